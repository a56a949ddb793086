//! The roles of docs/contract.md §1. A user may hold several; permissions are their union.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One of Ward's roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Physicians: clinical tools for their care team; break-the-glass for others.
    Doctor,
    /// Nurses: overview, vitals, medications, admissions for their care team.
    Nurse,
    /// Billing staff: patient search (demographics) and billing tools for any patient.
    Billing,
    /// Quality reviewers: read archived chat sessions of anyone.
    Reviewer,
    /// Compliance: the audit trail; archived sessions.
    Auditor,
    /// Operators: users, roles, budgets, configuration.
    Admin,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 6] = [
        Role::Doctor,
        Role::Nurse,
        Role::Billing,
        Role::Reviewer,
        Role::Auditor,
        Role::Admin,
    ];

    /// The lowercase name used in tokens, the policy file and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Doctor => "doctor",
            Role::Nurse => "nurse",
            Role::Billing => "billing",
            Role::Reviewer => "reviewer",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of Ward's roles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}' (known roles: doctor, nurse, billing, reviewer, auditor, admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// The set of roles a user holds, kept sorted and without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<Role>", into = "Vec<Role>")]
pub struct Roles(Vec<Role>);

impl Roles {
    /// Builds a role set from any list of roles.
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut v: Vec<Role> = roles.into_iter().collect();
        v.sort();
        v.dedup();
        Roles(v)
    }

    /// Whether the set contains `role`.
    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// Whether the set contains any of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// The roles, sorted.
    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The role names joined with commas, as stored in audit records.
    pub fn joined(&self) -> String {
        self.0
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl From<Vec<Role>> for Roles {
    fn from(v: Vec<Role>) -> Self {
        Roles::new(v)
    }
}

impl From<Roles> for Vec<Role> {
    fn from(r: Roles) -> Self {
        r.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("surgeon".parse::<Role>().is_err());
    }

    #[test]
    fn role_sets_are_sorted_and_deduplicated() {
        let r = Roles::new([Role::Nurse, Role::Doctor, Role::Nurse]);
        assert_eq!(r.joined(), "doctor,nurse");
        assert!(r.has(Role::Doctor) && !r.has(Role::Billing));
    }
}
