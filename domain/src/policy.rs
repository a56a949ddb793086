//! The access policy (docs/contract.md §1): roles → tools, patient scope, break-the-glass and field
//! masking. The policy is data (a TOML file with a built-in default); the decision is one
//! pure function, [`Policy::decide`].

use crate::masking::{FieldMasks, MaskRule, MASKABLE_FIELDS};
use crate::role::{Role, Roles};
use crate::tool::ToolName;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The built-in policy file.
pub const DEFAULT_POLICY_TOML: &str = include_str!("default_policy.toml");

/// Which patients a role reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PatientScope {
    /// Only patients on the user's care team (unit or explicit assignment).
    CareTeam,
    /// Every patient.
    Any,
}

/// One role's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRules {
    /// The tools the role may call.
    pub tools: BTreeSet<ToolName>,
    /// Which patients it reaches.
    pub patients: PatientScope,
    /// Whether it may break the glass.
    pub break_glass: bool,
    /// Field masks.
    pub mask: FieldMasks,
    /// The identity provider's roles or groups (single sign-on, `OIDC_ROLES_CLAIM`) that
    /// give this role.
    pub idp_groups: BTreeSet<String>,
}

/// The whole policy, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    roles: BTreeMap<Role, RoleRules>,
    superuser_mask: FieldMasks,
    /// How long a break-the-glass grant lasts, in minutes.
    pub break_glass_minutes: u32,
}

/// A policy file that cannot be used; the message says exactly what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid access policy: {0}")]
pub struct PolicyError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default = "default_minutes")]
    break_glass_minutes: u32,
    roles: BTreeMap<String, RawRole>,
    #[serde(default)]
    superuser: Option<RawSuperuser>,
}

fn default_minutes() -> u32 {
    60
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    tools: Vec<String>,
    #[serde(default)]
    patients: Option<String>,
    #[serde(default)]
    break_glass: bool,
    #[serde(default)]
    mask: BTreeMap<String, String>,
    #[serde(default)]
    idp_groups: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuperuser {
    #[serde(default)]
    mask: BTreeMap<String, String>,
}

fn parse_mask(context: &str, raw: &BTreeMap<String, String>) -> Result<FieldMasks, PolicyError> {
    let mut out = BTreeMap::new();
    for (field, rule) in raw {
        if !MASKABLE_FIELDS.contains(&field.as_str()) {
            return Err(PolicyError(format!(
                "{context}: unknown mask field '{field}' (maskable: {})",
                MASKABLE_FIELDS.join(", ")
            )));
        }
        let rule: MaskRule = rule
            .parse()
            .map_err(|e| PolicyError(format!("{context}: field '{field}': {e}")))?;
        out.insert(field.clone(), rule);
    }
    Ok(FieldMasks(out))
}

impl Policy {
    /// The built-in policy.
    pub fn builtin() -> Policy {
        Policy::from_toml(DEFAULT_POLICY_TOML).expect("the built-in policy is valid")
    }

    /// Parses and validates a policy file. Unknown roles, tools, fields or rules, and roles
    /// missing from the file, are refused with a message naming them.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| PolicyError(e.to_string()))?;
        if raw.break_glass_minutes == 0 || raw.break_glass_minutes > 24 * 60 {
            return Err(PolicyError(
                "break_glass_minutes must be between 1 and 1440".into(),
            ));
        }
        let mut roles = BTreeMap::new();
        for (name, rules) in raw.roles {
            let role: Role = name
                .parse()
                .map_err(|e: crate::role::UnknownRole| PolicyError(e.to_string()))?;
            let mut tools = BTreeSet::new();
            for t in &rules.tools {
                let tool: ToolName = t
                    .parse()
                    .map_err(|e| PolicyError(format!("role '{name}': {e}")))?;
                tools.insert(tool);
            }
            let patients = match rules.patients.as_deref() {
                None | Some("care_team") => PatientScope::CareTeam,
                Some("any") => PatientScope::Any,
                Some(other) => {
                    return Err(PolicyError(format!(
                        "role '{name}': patients must be \"care_team\" or \"any\", not \"{other}\""
                    )))
                }
            };
            let mask = parse_mask(&format!("role '{name}'"), &rules.mask)?;
            let mut idp_groups = BTreeSet::new();
            for group in rules.idp_groups {
                if group.trim().is_empty() || group.len() > 256 {
                    return Err(PolicyError(format!(
                        "role '{name}': idp_groups entries must be 1-256 characters"
                    )));
                }
                idp_groups.insert(group);
            }
            roles.insert(
                role,
                RoleRules {
                    tools,
                    patients,
                    break_glass: rules.break_glass,
                    mask,
                    idp_groups,
                },
            );
        }
        for role in Role::ALL {
            if !roles.contains_key(&role) {
                return Err(PolicyError(format!(
                    "role '{role}' is missing (list it, with tools = [] if it has none)"
                )));
            }
        }
        let superuser_mask = match raw.superuser {
            Some(s) => parse_mask("superuser", &s.mask)?,
            None => FieldMasks::default(),
        };
        Ok(Policy {
            roles,
            superuser_mask,
            break_glass_minutes: raw.break_glass_minutes,
        })
    }

    /// One role's rules.
    pub fn role(&self, role: Role) -> &RoleRules {
        &self.roles[&role]
    }

    /// The single access decision: may `subject` call `tool` on a patient that stands in
    /// `relation` to them? Pure; tested as a table over every role × tool × relation.
    pub fn decide(&self, subject: &Subject, tool: ToolName, relation: PatientRelation) -> Decision {
        let granting: Vec<&RoleRules> = subject
            .roles
            .iter()
            .map(|r| self.role(r))
            .filter(|rules| rules.tools.contains(&tool))
            .collect();
        if subject.superuser {
            return Decision::Allow(Grant {
                masks: self.superuser_mask.clone(),
                scope: PatientScope::Any,
                break_glass: false,
            });
        }
        if granting.is_empty() {
            return Decision::Deny(Denial::ToolNotPermitted);
        }
        let union = |rules: &[&RoleRules]| {
            rules
                .iter()
                .skip(1)
                .fold(rules[0].mask.clone(), |acc, r| acc.union(&r.mask))
        };
        let any_scope: Vec<&RoleRules> = granting
            .iter()
            .copied()
            .filter(|r| r.patients == PatientScope::Any)
            .collect();
        let glass: Vec<&RoleRules> = granting.iter().copied().filter(|r| r.break_glass).collect();
        match relation {
            PatientRelation::NoPatient => Decision::Allow(Grant {
                masks: union(&granting),
                scope: if any_scope.is_empty() {
                    PatientScope::CareTeam
                } else {
                    PatientScope::Any
                },
                break_glass: false,
            }),
            PatientRelation::CareTeam => Decision::Allow(Grant {
                masks: union(&granting),
                scope: PatientScope::CareTeam,
                break_glass: false,
            }),
            PatientRelation::Outside | PatientRelation::BreakGlass if !any_scope.is_empty() => {
                Decision::Allow(Grant {
                    masks: union(&any_scope),
                    scope: PatientScope::Any,
                    break_glass: false,
                })
            }
            PatientRelation::BreakGlass if !glass.is_empty() => Decision::Allow(Grant {
                masks: union(&glass),
                scope: PatientScope::CareTeam,
                break_glass: true,
            }),
            PatientRelation::Outside | PatientRelation::BreakGlass => {
                Decision::Deny(Denial::OutsideCareTeam {
                    may_break_glass: !glass.is_empty(),
                })
            }
        }
    }

    /// The Ward roles that the identity provider's `groups` (its roles or groups claim)
    /// give, by each role's `idp_groups`; empty when none maps. Names match exactly (case
    /// included). Never the superuser: single sign-on grants only roles.
    pub fn roles_for_idp_groups<'a>(&self, groups: impl IntoIterator<Item = &'a str>) -> Roles {
        let groups: BTreeSet<&str> = groups.into_iter().collect();
        Roles::new(
            self.roles
                .iter()
                .filter(|(_, rules)| rules.idp_groups.iter().any(|g| groups.contains(g.as_str())))
                .map(|(role, _)| *role),
        )
    }

    /// The tools `subject` may call at all (for some patient).
    pub fn tools_for(&self, subject: &Subject) -> Vec<ToolName> {
        ToolName::ALL
            .into_iter()
            .filter(|t| {
                subject.superuser || subject.roles.iter().any(|r| self.role(r).tools.contains(t))
            })
            .collect()
    }

    /// The masks that apply to `subject` across all their roles (for `rbac/effective`).
    pub fn masks_for(&self, subject: &Subject) -> FieldMasks {
        if subject.superuser {
            return self.superuser_mask.clone();
        }
        let mut roles = subject.roles.iter().map(|r| &self.role(r).mask);
        match roles.next() {
            Some(first) => roles.fold(first.clone(), |acc, m| acc.union(m)),
            None => FieldMasks::default(),
        }
    }
}

/// Who is asking.
#[derive(Clone, Debug)]
pub struct Subject {
    /// The caller's roles.
    pub roles: Roles,
    /// Whether the caller is a superuser (demo admin).
    pub superuser: bool,
}

/// How the patient of a call relates to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatientRelation {
    /// The tool is not about one patient (search).
    NoPatient,
    /// The patient is on the caller's care team.
    CareTeam,
    /// The patient is outside the care team, with no active break-the-glass grant.
    Outside,
    /// The patient is outside the care team and the caller holds an active grant.
    BreakGlass,
}

/// What the caller may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The call may go ahead under this grant.
    Allow(Grant),
    /// The call is refused.
    Deny(Denial),
}

/// The terms of an allowed call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// Masks to apply to the result.
    pub masks: FieldMasks,
    /// For searches: which patients the results may include.
    pub scope: PatientScope,
    /// Whether access rests on a break-the-glass grant (flagged in the audit trail).
    pub break_glass: bool,
}

/// Why a call is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// None of the caller's roles grants the tool.
    ToolNotPermitted,
    /// The patient is outside the caller's care team.
    OutsideCareTeam {
        /// Whether the caller could break the glass for this patient.
        may_break_glass: bool,
    },
}

impl Denial {
    /// A machine code for the denial.
    pub fn code(&self) -> &'static str {
        match self {
            Denial::ToolNotPermitted => "tool_not_permitted",
            Denial::OutsideCareTeam {
                may_break_glass: true,
            } => "break_glass_required",
            Denial::OutsideCareTeam { .. } => "outside_care_team",
        }
    }

    /// A sentence for people.
    pub fn message(&self, tool: ToolName) -> String {
        match self {
            Denial::ToolNotPermitted => format!("Your role does not permit the tool {tool}."),
            Denial::OutsideCareTeam {
                may_break_glass: true,
            } => "This patient is not on your care team. Break the glass, with a reason, to \
                  access the record."
                .into(),
            Denial::OutsideCareTeam { .. } => "This patient is not on your care team.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PatientRelation::*;
    use ToolName::*;

    fn subject(roles: &[Role]) -> Subject {
        Subject {
            roles: Roles::new(roles.iter().copied()),
            superuser: false,
        }
    }

    /// The expected outcome of one cell of the table: `A` allowed, `B` allowed on a
    /// break-the-glass grant, `G` denied but break-the-glass possible, `O` denied outside
    /// the care team, `T` tool not permitted.
    fn expected(role: Role, tool: ToolName, rel: PatientRelation) -> char {
        let clinical = [
            GetPatientOverview,
            ListAdmissions,
            GetLabResults,
            GetVitalSigns,
            GetMedications,
            GetClinicalNotes,
            ListProcedures,
            ListImmunizations,
            GetDiagnosticReports,
            ListAllergies,
            ListCarePlans,
        ];
        let nursing = [
            GetPatientOverview,
            ListAdmissions,
            GetVitalSigns,
            GetMedications,
            ListAllergies,
            ListImmunizations,
            ListCarePlans,
        ];
        let billing = [SearchPatients, GetBillingSummary, ListInsuranceClaims];
        let team_scoped = |allowed: bool, glass: bool| match (allowed, rel) {
            (false, _) => 'T',
            (true, NoPatient | CareTeam) => 'A',
            (true, BreakGlass) if glass => 'B',
            (true, _) if glass => 'G',
            (true, _) => 'O',
        };
        match role {
            Role::Doctor => team_scoped(tool == SearchPatients || clinical.contains(&tool), true),
            Role::Nurse => team_scoped(tool == SearchPatients || nursing.contains(&tool), false),
            Role::Billing if billing.contains(&tool) => 'A',
            _ => 'T',
        }
    }

    #[test]
    fn policy_table_over_every_role_tool_and_relation() {
        let policy = Policy::builtin();
        let mut checked = 0;
        for role in Role::ALL {
            for tool in ToolName::ALL {
                for rel in [NoPatient, CareTeam, Outside, BreakGlass] {
                    if (rel == NoPatient) == tool.spec().per_patient {
                        continue; // a per-patient tool always has a relation, search never
                    }
                    let got = match policy.decide(&subject(&[role]), tool, rel) {
                        Decision::Allow(g) if g.break_glass => 'B',
                        Decision::Allow(_) => 'A',
                        Decision::Deny(Denial::ToolNotPermitted) => 'T',
                        Decision::Deny(Denial::OutsideCareTeam {
                            may_break_glass: true,
                        }) => 'G',
                        Decision::Deny(Denial::OutsideCareTeam { .. }) => 'O',
                    };
                    assert_eq!(got, expected(role, tool, rel), "{role} × {tool} × {rel:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 6 * (13 * 3 + 1));
    }

    #[test]
    fn billing_sees_last_four_of_ssn_and_others_nothing() {
        let p = Policy::builtin();
        let rule = |role| match p.decide(&subject(&[role]), SearchPatients, NoPatient) {
            Decision::Allow(g) => g.masks.rule("ssn"),
            Decision::Deny(_) => panic!("{role} may search"),
        };
        assert_eq!(rule(Role::Billing), MaskRule::Last4);
        assert_eq!(rule(Role::Doctor), MaskRule::Hidden);
        assert_eq!(rule(Role::Nurse), MaskRule::Hidden);
        let su = Subject {
            roles: Roles::new([Role::Admin]),
            superuser: true,
        };
        match p.decide(&su, GetClinicalNotes, Outside) {
            Decision::Allow(g) => assert_eq!(g.masks.rule("ssn"), MaskRule::Hidden),
            d => panic!("superuser denied: {d:?}"),
        }
    }

    #[test]
    fn nurse_masks_insurance_member_id_and_doctor_sees_last_four() {
        let p = Policy::builtin();
        let rule = |role| match p.decide(&subject(&[role]), GetPatientOverview, CareTeam) {
            Decision::Allow(g) => g.masks.rule("member_id"),
            Decision::Deny(_) => panic!(),
        };
        assert_eq!(rule(Role::Nurse), MaskRule::Hidden);
        assert_eq!(rule(Role::Doctor), MaskRule::Last4);
    }

    #[test]
    fn several_roles_give_the_union_of_permissions() {
        let p = Policy::builtin();
        let s = subject(&[Role::Nurse, Role::Billing]);
        assert!(matches!(
            p.decide(&s, GetBillingSummary, Outside),
            Decision::Allow(_)
        ));
        assert!(matches!(
            p.decide(&s, GetVitalSigns, CareTeam),
            Decision::Allow(_)
        ));
        assert!(matches!(
            p.decide(&s, GetClinicalNotes, CareTeam),
            Decision::Deny(Denial::ToolNotPermitted)
        ));
        match p.decide(&s, SearchPatients, NoPatient) {
            Decision::Allow(g) => assert_eq!(g.scope, PatientScope::Any),
            d => panic!("{d:?}"),
        }
    }

    #[test]
    fn identity_provider_groups_map_to_the_roles_that_list_them() {
        let p = Policy::builtin();
        let roles = p.roles_for_idp_groups(["ward-doctors", "unrelated", "ward-billing"]);
        assert_eq!(roles, Roles::new([Role::Doctor, Role::Billing]));
        assert!(p.roles_for_idp_groups(["staff", "Ward-Doctors"]).is_empty());
        assert!(p.roles_for_idp_groups([]).is_empty());
        let custom = DEFAULT_POLICY_TOML.replace(
            "idp_groups = [\"ward-nurses\"]",
            "idp_groups = [\"ward-nurses\", \"rn-staff\"]",
        );
        let p = Policy::from_toml(&custom).unwrap();
        assert_eq!(
            p.roles_for_idp_groups(["rn-staff"]),
            Roles::new([Role::Nurse])
        );
        let empty = DEFAULT_POLICY_TOML.replace("\"ward-nurses\"", "\" \"");
        assert!(Policy::from_toml(&empty)
            .unwrap_err()
            .0
            .contains("idp_groups"));
    }

    #[test]
    fn a_policy_naming_an_unknown_tool_or_role_is_refused() {
        let bad_tool = DEFAULT_POLICY_TOML.replace(
            "\"get_vital_signs\",\n",
            "\"get_vital_signs\", \"launch_missiles\",\n",
        );
        let e = Policy::from_toml(&bad_tool).unwrap_err();
        assert!(e.0.contains("launch_missiles"), "{e}");
        let bad_role = format!("{DEFAULT_POLICY_TOML}\n[roles.janitor]\ntools = []\n");
        let e = Policy::from_toml(&bad_role).unwrap_err();
        assert!(e.0.contains("janitor"), "{e}");
        let bad_mask = DEFAULT_POLICY_TOML.replace("ssn = \"last4\"", "ssn = \"blurry\"");
        let e = Policy::from_toml(&bad_mask).unwrap_err();
        assert!(e.0.contains("blurry"), "{e}");
        let missing = DEFAULT_POLICY_TOML.replace("[roles.admin]\ntools = []\n", "");
        let e = Policy::from_toml(&missing).unwrap_err();
        assert!(e.0.contains("admin"), "{e}");
    }
}
