//! What a user may do, derived in one place from the policy and their roles:
//! [`Policy::capabilities`]. The server sends it in `whoami` ([`crate::api::WhoAmI`]),
//! its guards read it (chat screen, archived sessions, audit trail, admin screens,
//! break-the-glass, revoking grants), and the browser app reads it instead of checking
//! roles itself. The rules an admin's change to a user must follow (no deactivating
//! oneself, no removing one's own admin role) are here too: [`check_user_change`].
//!
//! The policy file says which roles call which tools and which may break the glass; the
//! oversight screens go by role: archived sessions for reviewers and auditors, the audit
//! trail for auditors, the admin screens for admins, anyone's grant revoked by auditors
//! and admins. A superuser (the demo admin) may do everything but break the glass, which
//! they never need (the policy lets them call every tool on every patient).

use crate::api::UpdateUserRequest;
use crate::policy::{Policy, Subject};
use crate::role::{Role, Roles};
use crate::tool::ToolName;
use serde::{Deserialize, Serialize};

/// The shortest reason accepted for breaking the glass, in characters.
pub const BREAK_GLASS_REASON_MIN_CHARS: u32 = 10;
/// The longest reason accepted for breaking the glass, in characters.
pub const BREAK_GLASS_REASON_MAX_CHARS: u32 = 1000;

/// What a user may do (`whoami`'s `capabilities`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Capabilities {
    /// Chat with the assistant: the policy gives them at least one tool.
    pub chat: bool,
    /// Break the glass, and on what terms; `None` when none of their roles may.
    #[serde(default)]
    pub break_glass: Option<BreakGlassTerms>,
    /// Read everyone's archived chat sessions (reviewers, auditors).
    pub review_archives: bool,
    /// The audit trail, its verification, exports and the accounting of disclosures
    /// (auditors).
    pub audit: bool,
    /// Revoke anyone's break-the-glass grant, not only their own (auditors, admins).
    pub revoke_any_grant: bool,
    /// The admin screens: usage, budgets, FHIR import (admins).
    pub administer: bool,
    /// Create users and change their roles, unit and status (admins), within
    /// [`check_user_change`].
    pub manage_users: bool,
    /// A superuser (the demo admin): every tool on every patient.
    pub superuser: bool,
}

/// The terms of breaking the glass: on a patient outside the user's care team (on their
/// team they need no grant), when a tool is refused with `break_glass_required`, with a
/// reason, for the policy's time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakGlassTerms {
    /// The tools a grant opens on that patient: those of the user's roles that may break
    /// the glass.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub tools: Vec<ToolName>,
    /// How long a grant lasts, in minutes.
    pub minutes: u32,
    /// The shortest reason accepted, in characters.
    pub reason_min_chars: u32,
    /// The longest reason accepted, in characters.
    pub reason_max_chars: u32,
}

impl Policy {
    /// What `subject` may do under this policy: the one derivation the server's guards,
    /// `whoami` and the browser app read.
    pub fn capabilities(&self, subject: &Subject) -> Capabilities {
        let su = subject.superuser;
        let has = |role| su || subject.roles.has(role);
        let glass_roles: Vec<Role> = subject
            .roles
            .iter()
            .filter(|r| self.role(*r).break_glass)
            .collect();
        let break_glass = (!glass_roles.is_empty()).then(|| BreakGlassTerms {
            tools: ToolName::ALL
                .into_iter()
                .filter(|t| glass_roles.iter().any(|r| self.role(*r).tools.contains(t)))
                .collect(),
            minutes: self.break_glass_minutes,
            reason_min_chars: BREAK_GLASS_REASON_MIN_CHARS,
            reason_max_chars: BREAK_GLASS_REASON_MAX_CHARS,
        });
        Capabilities {
            chat: !self.tools_for(subject).is_empty(),
            break_glass,
            review_archives: has(Role::Reviewer) || has(Role::Auditor),
            audit: has(Role::Auditor),
            revoke_any_grant: has(Role::Auditor) || has(Role::Admin),
            administer: has(Role::Admin),
            manage_users: has(Role::Admin),
            superuser: su,
        }
    }
}

/// Why an admin's change to a user is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UserChangeRefusal {
    /// The caller does not manage users.
    #[error("Only admins may do this.")]
    NotPermitted,
    /// An admin deactivating themselves.
    #[error("You cannot deactivate yourself.")]
    DeactivateSelf,
    /// An admin removing their own admin role (nobody might be left to give it back).
    #[error("You cannot remove your own admin role.")]
    RemoveOwnAdminRole,
}

impl UserChangeRefusal {
    /// A machine code.
    pub fn code(&self) -> &'static str {
        match self {
            UserChangeRefusal::NotPermitted => "role_required",
            UserChangeRefusal::DeactivateSelf => "cannot_deactivate_self",
            UserChangeRefusal::RemoveOwnAdminRole => "cannot_remove_own_admin",
        }
    }
}

/// Whether the user `actor` (holding `actor_roles`, with `caps`) may make `change` to
/// user `target`: they must manage users, and may not deactivate themselves or drop
/// their own admin role.
pub fn check_user_change(
    caps: &Capabilities,
    actor: i64,
    actor_roles: &Roles,
    target: i64,
    change: &UpdateUserRequest,
) -> Result<(), UserChangeRefusal> {
    if !caps.manage_users {
        return Err(UserChangeRefusal::NotPermitted);
    }
    if actor != target {
        return Ok(());
    }
    if change.is_active == Some(false) {
        return Err(UserChangeRefusal::DeactivateSelf);
    }
    if let Some(roles) = &change.roles {
        if actor_roles.has(Role::Admin) && !roles.contains(&Role::Admin) {
            return Err(UserChangeRefusal::RemoveOwnAdminRole);
        }
    }
    Ok(())
}

/// Whether the admin screen locks the box of `role` for user `target` when `actor` looks
/// at it (`has`: the target holds the role): exactly the changes [`check_user_change`]
/// refuses.
pub fn role_box_locked(actor: i64, target: i64, role: Role, has: bool) -> bool {
    actor == target && role == Role::Admin && has
}

/// Whether the admin screen locks user `target`'s "may sign in" box for `actor`.
pub fn active_box_locked(actor: i64, target: i64) -> bool {
    actor == target
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::DEFAULT_POLICY_TOML;

    fn caps(roles: &[Role], superuser: bool) -> Capabilities {
        Policy::builtin().capabilities(&Subject {
            roles: Roles::new(roles.iter().copied()),
            superuser,
        })
    }

    /// (chat, break glass, review, audit, revoke any grant, administer, manage users)
    fn flags(c: &Capabilities) -> [bool; 7] {
        [
            c.chat,
            c.break_glass.is_some(),
            c.review_archives,
            c.audit,
            c.revoke_any_grant,
            c.administer,
            c.manage_users,
        ]
    }

    #[test]
    fn each_role_gets_what_the_builtin_policy_and_its_screens_give() {
        let t = true;
        let f = false;
        for (role, expected) in [
            (Role::Doctor, [t, t, f, f, f, f, f]),
            (Role::Nurse, [t, f, f, f, f, f, f]),
            (Role::Billing, [t, f, f, f, f, f, f]),
            (Role::Reviewer, [f, f, t, f, f, f, f]),
            (Role::Auditor, [f, f, t, t, t, f, f]),
            (Role::Admin, [f, f, f, f, t, t, t]),
        ] {
            let c = caps(&[role], false);
            assert_eq!(flags(&c), expected, "{role}");
            assert!(!c.superuser);
        }
    }

    #[test]
    fn several_roles_give_the_union() {
        let c = caps(&[Role::Nurse, Role::Reviewer], false);
        assert_eq!(flags(&c), [true, false, true, false, false, false, false]);
        let c = caps(&[Role::Admin, Role::Auditor], false);
        assert_eq!(flags(&c), [false, false, true, true, true, true, true]);
    }

    #[test]
    fn a_superuser_may_do_everything_but_needs_no_glass() {
        let c = caps(&[Role::Admin], true);
        assert_eq!(flags(&c), [true, false, true, true, true, true, true]);
        assert!(c.superuser);
        // Without any role too.
        assert!(caps(&[], true).chat);
    }

    #[test]
    fn break_glass_terms_come_from_the_policy() {
        let terms = caps(&[Role::Doctor, Role::Billing], false)
            .break_glass
            .unwrap();
        assert_eq!(terms.minutes, 60);
        assert_eq!(terms.reason_min_chars, 10);
        assert_eq!(terms.reason_max_chars, 1000);
        // The doctor's tools (billing's may not break the glass, and need not).
        assert!(terms.tools.contains(&ToolName::GetClinicalNotes));
        assert!(!terms.tools.contains(&ToolName::GetBillingSummary));
        assert_eq!(terms.tools.len(), 12);
        // A policy that lets nurses break the glass for 15 minutes.
        let custom = DEFAULT_POLICY_TOML
            .replace("break_glass_minutes = 60", "break_glass_minutes = 15")
            .replace(
                "patients = \"care_team\"\nbreak_glass = false",
                "patients = \"care_team\"\nbreak_glass = true",
            );
        let p = Policy::from_toml(&custom).unwrap();
        let nurse = p.capabilities(&Subject {
            roles: Roles::new([Role::Nurse]),
            superuser: false,
        });
        let terms = nurse.break_glass.unwrap();
        assert_eq!(terms.minutes, 15);
        assert!(terms.tools.contains(&ToolName::GetVitalSigns));
        assert!(!terms.tools.contains(&ToolName::GetLabResults));
    }

    #[test]
    fn a_policy_giving_admins_tools_lets_them_chat() {
        let custom = DEFAULT_POLICY_TOML.replace(
            "[roles.admin]\ntools = []",
            "[roles.admin]\ntools = [\"search_patients\"]",
        );
        let p = Policy::from_toml(&custom).unwrap();
        let c = p.capabilities(&Subject {
            roles: Roles::new([Role::Admin]),
            superuser: false,
        });
        assert!(c.chat);
        assert!(!caps(&[Role::Admin], false).chat);
    }

    #[test]
    fn an_admin_may_not_deactivate_or_unadmin_themselves() {
        let admin = caps(&[Role::Admin], false);
        let me = Roles::new([Role::Admin]);
        let drop_admin = UpdateUserRequest {
            roles: Some(vec![Role::Doctor]),
            ..Default::default()
        };
        let deactivate = UpdateUserRequest {
            is_active: Some(false),
            ..Default::default()
        };
        assert_eq!(
            check_user_change(&admin, 1, &me, 1, &drop_admin),
            Err(UserChangeRefusal::RemoveOwnAdminRole)
        );
        assert_eq!(
            check_user_change(&admin, 1, &me, 1, &deactivate),
            Err(UserChangeRefusal::DeactivateSelf)
        );
        // Others may lose both; oneself may gain roles and keep admin.
        assert_eq!(check_user_change(&admin, 1, &me, 2, &drop_admin), Ok(()));
        assert_eq!(check_user_change(&admin, 1, &me, 2, &deactivate), Ok(()));
        let add_reviewer = UpdateUserRequest {
            roles: Some(vec![Role::Admin, Role::Reviewer]),
            ..Default::default()
        };
        assert_eq!(check_user_change(&admin, 1, &me, 1, &add_reviewer), Ok(()));
        let rename = UpdateUserRequest {
            display_name: Some("Ada".into()),
            ..Default::default()
        };
        assert_eq!(check_user_change(&admin, 1, &me, 1, &rename), Ok(()));
        // A non-admin manages nobody.
        let doctor = caps(&[Role::Doctor], false);
        assert_eq!(
            check_user_change(&doctor, 1, &Roles::new([Role::Doctor]), 2, &rename),
            Err(UserChangeRefusal::NotPermitted)
        );
        assert_eq!(
            UserChangeRefusal::RemoveOwnAdminRole.code(),
            "cannot_remove_own_admin"
        );
    }

    #[test]
    fn the_admin_screen_locks_exactly_what_the_server_refuses() {
        let admin = caps(&[Role::Admin], false);
        let mine = Roles::new([Role::Admin]);
        for role in Role::ALL {
            // The box of a role the admin holds takes it away, else gives it.
            let has = mine.has(role);
            let next: Vec<Role> = if has {
                mine.iter().filter(|r| *r != role).collect()
            } else {
                mine.iter().chain([role]).collect()
            };
            let change = UpdateUserRequest {
                roles: Some(next),
                ..Default::default()
            };
            let refused = check_user_change(&admin, 7, &mine, 7, &change).is_err();
            assert_eq!(role_box_locked(7, 7, role, has), refused, "{role}");
            assert!(!role_box_locked(7, 8, role, has));
        }
        let deactivate = UpdateUserRequest {
            is_active: Some(false),
            ..Default::default()
        };
        assert_eq!(
            active_box_locked(7, 7),
            check_user_change(&admin, 7, &mine, 7, &deactivate).is_err()
        );
        assert!(!active_box_locked(7, 8));
    }
}
