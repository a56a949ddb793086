//! Ward's database schema as sea-orm migrations, one file per change
//! (`mYYYYMMDD_NNNNNN_verb_noun.rs`). They run at boot and with `server migrate`, on
//! SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_identity;
mod m20261124_000002_create_clinical;
mod m20261124_000003_create_audit;
mod m20261124_000004_create_chat;
mod m20261125_000005_add_session_turn_lease;
mod m20261207_000030_relax_optional_dates;
mod m20261207_000031_create_more_records;
mod m20261207_000032_relax_patient_identifiers;
mod m20261207_000040_create_oidc_sign_in;
mod m20261207_000050_add_message_provider_content;
mod m20261207_000060_harden_sign_in;
mod m20261207_000070_create_replicas;
mod m20261207_000090_add_session_patient_banner;
mod m20261207_000100_key_audit_chain;

/// The ordered list of Ward's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_identity::Migration),
            Box::new(m20261124_000002_create_clinical::Migration),
            Box::new(m20261124_000003_create_audit::Migration),
            Box::new(m20261124_000004_create_chat::Migration),
            Box::new(m20261125_000005_add_session_turn_lease::Migration),
            Box::new(m20261207_000030_relax_optional_dates::Migration),
            Box::new(m20261207_000031_create_more_records::Migration),
            Box::new(m20261207_000032_relax_patient_identifiers::Migration),
            Box::new(m20261207_000040_create_oidc_sign_in::Migration),
            Box::new(m20261207_000050_add_message_provider_content::Migration),
            Box::new(m20261207_000060_harden_sign_in::Migration),
            Box::new(m20261207_000070_create_replicas::Migration),
            Box::new(m20261207_000090_add_session_patient_banner::Migration),
            Box::new(m20261207_000100_key_audit_chain::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `target.id`, deleting with its parent.
pub(crate) fn cascade(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    target_col: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, target_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// An index named after its table and columns.
pub(crate) fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    for c in columns {
        i.col(*c);
    }
    i.to_owned()
}
