//! The vocabulary shared by every part of the engine: identifier kinds, name
//! roles, protection modes and field classes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The Safe Harbor identifier kinds.
///
/// `Serialize`, `Deserialize`, `Display` and `FromStr` use the corpus names:
/// `NAME`, `DATE`, `AGE`, `MRN`, `PHONE`, `FAX`, `EMAIL`, `SSN`,
/// `STREET_ADDRESS`, `CITY`, `ZIP`, `HEALTH_PLAN`, `ACCOUNT`, `LICENSE`,
/// `VEHICLE`, `DEVICE`, `URL`, `IP`, `ID`, `HOSPITAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PhiType {
    /// A person's name (patient, relative, clinician).
    Name,
    /// Any element of a date more specific than the year.
    Date,
    /// An age over 89.
    Age,
    /// A medical record number.
    Mrn,
    /// A telephone number.
    Phone,
    /// A fax number.
    Fax,
    /// An e-mail address.
    Email,
    /// A social security number.
    Ssn,
    /// A street address (number, street, unit).
    StreetAddress,
    /// A city or town.
    City,
    /// A ZIP code.
    Zip,
    /// A health-plan beneficiary number (Medicare, Medicaid, insurer member id).
    HealthPlan,
    /// An account number (billing, bank).
    Account,
    /// A certificate or licence number (driver's licence, DEA, NPI, state licence).
    License,
    /// A vehicle identifier (licence plate, VIN).
    Vehicle,
    /// A device identifier or serial number.
    Device,
    /// A web address.
    Url,
    /// An IP address.
    Ip,
    /// Any other unique identifying number, record or study id.
    Id,
    /// A hospital or clinic name.
    Hospital,
}

impl PhiType {
    /// Every kind, in declaration order.
    pub const ALL: [PhiType; 20] = [
        PhiType::Name,
        PhiType::Date,
        PhiType::Age,
        PhiType::Mrn,
        PhiType::Phone,
        PhiType::Fax,
        PhiType::Email,
        PhiType::Ssn,
        PhiType::StreetAddress,
        PhiType::City,
        PhiType::Zip,
        PhiType::HealthPlan,
        PhiType::Account,
        PhiType::License,
        PhiType::Vehicle,
        PhiType::Device,
        PhiType::Url,
        PhiType::Ip,
        PhiType::Id,
        PhiType::Hospital,
    ];

    /// The corpus name, e.g. `STREET_ADDRESS`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhiType::Name => "NAME",
            PhiType::Date => "DATE",
            PhiType::Age => "AGE",
            PhiType::Mrn => "MRN",
            PhiType::Phone => "PHONE",
            PhiType::Fax => "FAX",
            PhiType::Email => "EMAIL",
            PhiType::Ssn => "SSN",
            PhiType::StreetAddress => "STREET_ADDRESS",
            PhiType::City => "CITY",
            PhiType::Zip => "ZIP",
            PhiType::HealthPlan => "HEALTH_PLAN",
            PhiType::Account => "ACCOUNT",
            PhiType::License => "LICENSE",
            PhiType::Vehicle => "VEHICLE",
            PhiType::Device => "DEVICE",
            PhiType::Url => "URL",
            PhiType::Ip => "IP",
            PhiType::Id => "ID",
            PhiType::Hospital => "HOSPITAL",
        }
    }

    /// The label used in surrogates of this kind, e.g. `[MRN_1]`; names use
    /// `PATIENT`, `STAFF` or `PERSON` instead (see [`NameRole`]).
    pub fn surrogate_label(self) -> &'static str {
        match self {
            PhiType::Name => "PERSON",
            PhiType::StreetAddress => "ADDRESS",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for PhiType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown [`PhiType`], [`PhiMode`] or similar word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}")]
pub struct UnknownWord {
    what: &'static str,
}

impl FromStr for PhiType {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PhiType::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownWord { what: "PHI type" })
    }
}

/// Whose name a known name is: decides the surrogate label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameRole {
    /// A patient: surrogates like `[PATIENT_1]`.
    Patient,
    /// A member of staff: surrogates like `[STAFF_1]`.
    Staff,
}

impl NameRole {
    /// The surrogate label, `PATIENT` or `STAFF`.
    pub fn label(self) -> &'static str {
        match self {
            NameRole::Patient => "PATIENT",
            NameRole::Staff => "STAFF",
        }
    }
}

/// How identifiers are treated on their way to an LLM provider (docs/contract.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhiMode {
    /// Consistent per-session surrogates, dates shifted; replies mapped back.
    #[default]
    Pseudonymize,
    /// Identifiers replaced by `[REDACTED_<TYPE>]`; nothing is mapped back.
    Redact,
    /// Sent as is (deployments with a BAA only); still counted.
    Allow,
}

impl PhiMode {
    /// The lowercase word: `pseudonymize`, `redact` or `allow`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhiMode::Pseudonymize => "pseudonymize",
            PhiMode::Redact => "redact",
            PhiMode::Allow => "allow",
        }
    }
}

impl fmt::Display for PhiMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PhiMode {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pseudonymize" | "pseudonymise" => Ok(PhiMode::Pseudonymize),
            "redact" => Ok(PhiMode::Redact),
            "allow" => Ok(PhiMode::Allow),
            _ => Err(UnknownWord { what: "PHI mode" }),
        }
    }
}

/// How one string field of a structured tool result is treated before it is
/// sent to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldClass {
    /// The whole value is one identifier of this kind.
    Phi(PhiType),
    /// The whole value is a patient's name.
    PatientName,
    /// The whole value is a staff member's name.
    StaffName,
    /// An age in years: exact below 90, `90 or older` from 90 on in every mode that
    /// protects (Safe Harbor aggregates ages over 89).
    Age,
    /// Free text: run the detector over it.
    FreeText,
    /// Not PHI (codes, units, clinical values): sent unchanged.
    NotPhi,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_type_round_trips_through_its_corpus_name() {
        for k in PhiType::ALL {
            assert_eq!(k.to_string().parse::<PhiType>().unwrap(), k);
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(serde_json::from_str::<PhiType>(&json).unwrap(), k);
        }
        assert!("NOPE".parse::<PhiType>().is_err());
    }

    #[test]
    fn phi_mode_uses_lowercase_words_and_defaults_to_pseudonymize() {
        assert_eq!(PhiMode::default(), PhiMode::Pseudonymize);
        for m in [PhiMode::Pseudonymize, PhiMode::Redact, PhiMode::Allow] {
            assert_eq!(m.to_string().parse::<PhiMode>().unwrap(), m);
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{m}\""));
        }
        assert!("open".parse::<PhiMode>().is_err());
    }
}
