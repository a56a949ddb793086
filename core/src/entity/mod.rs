//! sea-orm entities, one module per table, matching the migrations in `ward-migration`.
//! Rows are storage types: handlers never serialise them directly.

pub mod allergies;
pub mod audit_checkpoints;
pub mod audit_events;
pub mod audit_head;
pub mod billing_accounts;
pub mod break_glass_grants;
pub mod budget_counters;
pub mod care_plans;
pub mod care_team_assignments;
pub mod chat_messages;
pub mod chat_sessions;
pub mod clinical_notes;
pub mod conditions;
pub mod diagnostic_reports;
pub mod encounters;
pub mod immunizations;
pub mod insurance_claims;
pub mod lab_results;
pub mod login_failures;
pub mod login_throttle;
pub mod medications;
pub mod oidc_logins;
pub mod patient_aliases;
pub mod patients;
pub mod phi_disclosures;
pub mod procedures;
pub mod rate_limit_events;
pub mod rate_limit_locks;
pub mod refresh_tokens;
pub mod settings;
pub mod token_usage;
pub mod user_identities;
pub mod user_roles;
pub mod users;
pub mod vital_signs;
