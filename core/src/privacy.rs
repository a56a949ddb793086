//! PHI boundary 2 (anything → LLM provider), applied.
//!
//! [`PhiEngine`] holds the shared detector, built from what Ward knows (every patient's
//! names and identifiers, every staff name) and rebuilt when patients are imported.
//! [`Protected`] is text that went through the engine in the configured mode; provider
//! requests are built only from `Protected` values, so nothing un-redacted can reach a
//! provider by accident. A detection failure is an error and nothing is sent.

use crate::entity::{
    billing_accounts, care_plans, clinical_notes, diagnostic_reports, encounters, immunizations,
    medications, patients, procedures, users,
};
use crate::error::{Error, Result};
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};
use serde_json::Value;
use std::sync::{Arc, RwLock};
use ward_domain::masking::{field_kind, FieldKind};
use ward_phi::{
    Detector, DisclosureTally, FieldClass, KnownIdentifiers, NameRole, PhiMode, PhiType,
    SessionVault,
};

/// The shared detector.
pub struct PhiEngine {
    detector: RwLock<Arc<Detector>>,
}

/// Text that is safe to send to the provider under the configured mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Protected(String);

impl Protected {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Ward's own fixed text (the system prompt, tool descriptions): contains no PHI by
    /// construction.
    pub fn ward_text(text: &'static str) -> Protected {
        Protected(text.to_string())
    }

    /// Ward-built text from parts that are already protected.
    pub fn join(parts: &[&Protected], sep: &str) -> Protected {
        Protected(
            parts
                .iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join(sep),
        )
    }

    /// Text the model itself produced (tool-call arguments), sent back to it unchanged.
    /// It can only contain what the model was given (surrogates) or invented.
    pub fn from_model(text: String) -> Protected {
        Protected(text)
    }

    /// Any text, in unit tests only.
    #[cfg(test)]
    pub fn for_tests(text: &str) -> Protected {
        Protected(text.to_string())
    }

    /// The text as a JSON string literal (still protected: escaping adds no content).
    pub fn to_json_string(&self) -> Protected {
        Protected(Value::String(self.0.clone()).to_string())
    }

    /// Wraps protected content in Ward's own fixed framing.
    pub fn framed(prefix: &str, inner: &Protected, suffix: &str) -> Protected {
        Protected(format!("{prefix}{}{suffix}", inner.0))
    }
}

fn phi_failure(e: ward_phi::PhiError) -> Error {
    tracing::error!(error = %e, "PHI protection failed; nothing was sent");
    Error::unavailable(
        "phi_protection_failed",
        "Ward could not check this text for PHI, so nothing was sent to the model.",
    )
}

/// How a tool-result key is treated on its way to the provider.
pub fn field_class(key: &str) -> FieldClass {
    match field_kind(key) {
        FieldKind::PatientName => FieldClass::PatientName,
        FieldKind::StaffName => FieldClass::StaffName,
        FieldKind::Date => FieldClass::Phi(PhiType::Date),
        FieldKind::Identifier(kind) => kind
            .parse()
            .map(FieldClass::Phi)
            .unwrap_or(FieldClass::FreeText),
        FieldKind::FreeText | FieldKind::Age => FieldClass::FreeText,
        FieldKind::NotPhi => FieldClass::NotPhi,
    }
}

/// Collects the identifiers Ward knows from the database.
pub async fn known_identifiers(
    db: &DatabaseConnection,
) -> Result<KnownIdentifiers, sea_orm::DbErr> {
    let mut known = KnownIdentifiers::new();
    for p in patients::Entity::find().all(db).await? {
        let name = crate::tools::queries::full_name(&p.given_name, &p.family_name);
        if !name.is_empty() {
            known.add_name(&name, NameRole::Patient);
        }
        known.add(PhiType::Id, &p.id);
        if let Some(mrn) = &p.mrn {
            known.add(PhiType::Mrn, mrn);
        }
        known.add(PhiType::Ssn, &p.ssn);
        known.add(PhiType::Phone, &p.phone);
        known.add(PhiType::Email, &p.email);
        known.add(PhiType::StreetAddress, &p.address_line);
    }
    for a in billing_accounts::Entity::find().all(db).await? {
        known.add(PhiType::Account, &a.account_number);
        known.add(PhiType::HealthPlan, &a.member_id);
    }
    let staff: Vec<String> = users::Entity::find()
        .select_only()
        .column(users::Column::DisplayName)
        .into_tuple()
        .all(db)
        .await?;
    let attendings: Vec<String> = encounters::Entity::find()
        .select_only()
        .column(encounters::Column::Attending)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let authors: Vec<String> = clinical_notes::Entity::find()
        .select_only()
        .column(clinical_notes::Column::Author)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let prescribers: Vec<String> = medications::Entity::find()
        .select_only()
        .column(medications::Column::Prescriber)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    // The people named on the newer records (issue 31): performers and authors.
    let mut record_staff: Vec<String> = vec![];
    macro_rules! staff_of {
        ($m:ident, $col:ident) => {
            record_staff.extend(
                $m::Entity::find()
                    .select_only()
                    .column($m::Column::$col)
                    .distinct()
                    .into_tuple::<String>()
                    .all(db)
                    .await?,
            )
        };
    }
    staff_of!(procedures, Performer);
    staff_of!(immunizations, Performer);
    staff_of!(diagnostic_reports, Performer);
    staff_of!(care_plans, Author);
    for name in staff
        .iter()
        .chain(&attendings)
        .chain(&authors)
        .chain(&prescribers)
        .chain(&record_staff)
    {
        let bare = name
            .trim_start_matches("Dr. ")
            .trim_start_matches("Nurse ")
            .trim();
        if !bare.is_empty() {
            known.add_name(bare, NameRole::Staff);
        }
    }
    Ok(known)
}

impl PhiEngine {
    /// Builds the detector from the database.
    pub async fn load(db: &DatabaseConnection) -> Result<PhiEngine, sea_orm::DbErr> {
        let known = known_identifiers(db).await?;
        Ok(PhiEngine {
            detector: RwLock::new(Arc::new(Detector::new(known))),
        })
    }

    /// Rebuilds the detector (after patients were imported).
    pub async fn reload(&self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let fresh = Arc::new(Detector::new(known_identifiers(db).await?));
        *self
            .detector
            .write()
            .expect("detector lock is never poisoned") = fresh;
        Ok(())
    }

    /// The current detector.
    pub fn detector(&self) -> Arc<Detector> {
        self.detector
            .read()
            .expect("detector lock is never poisoned")
            .clone()
    }

    /// Protects free text (a clinician message, history) for the provider.
    pub fn protect_text(
        &self,
        vault: &mut SessionVault,
        mode: PhiMode,
        text: &str,
        tally: &mut DisclosureTally,
    ) -> Result<Protected> {
        vault
            .protect_text(&self.detector(), mode, text, tally)
            .map(Protected)
            .map_err(phi_failure)
    }

    /// Protects a structured tool result for the provider: fields by type, free text by
    /// the detector. The session learns the result's identifiers first, so later free
    /// text that mentions them is caught too.
    pub fn protect_result(
        &self,
        vault: &mut SessionVault,
        mode: PhiMode,
        result: &Value,
        tally: &mut DisclosureTally,
    ) -> Result<Protected> {
        learn_identifiers(vault, result);
        let protected = vault
            .protect_json(&self.detector(), mode, result, &field_class, tally)
            .map_err(phi_failure)?;
        Ok(Protected(protected.to_string()))
    }
}

/// Teaches the vault the identifiers in a tool result (names, ids, contact details).
fn learn_identifiers(vault: &mut SessionVault, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (field_class(key), item.as_str()) {
                    (FieldClass::PatientName, Some(s)) => vault.learn_name(s, NameRole::Patient),
                    (FieldClass::StaffName, Some(s)) => {
                        vault.learn_name(s.trim_start_matches("Dr. "), NameRole::Staff)
                    }
                    (FieldClass::Phi(kind), Some(s)) if kind != PhiType::Date => {
                        vault.learn(kind, s)
                    }
                    _ => learn_identifiers(vault, item),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| learn_identifiers(vault, i)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_keys_map_to_phi_classes() {
        assert!(matches!(field_class("name"), FieldClass::PatientName));
        assert!(matches!(field_class("attending"), FieldClass::StaffName));
        assert!(matches!(field_class("mrn"), FieldClass::Phi(PhiType::Mrn)));
        assert!(matches!(
            field_class("birth_date"),
            FieldClass::Phi(PhiType::Date)
        ));
        assert!(matches!(field_class("text"), FieldClass::FreeText));
        assert!(matches!(field_class("value"), FieldClass::NotPhi));
        assert!(matches!(
            field_class("never_seen_before"),
            FieldClass::FreeText
        ));
    }
}
