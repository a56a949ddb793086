//! Clinical data in: the deterministic demo generator and the FHIR R4 importer, and the
//! signal that tells every Ward process that clinical data changed (so that the PHI
//! engine learns the names and identifiers of imported patients).

pub mod demo;
pub mod fhir;

use crate::entity::settings;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};
use std::time::Duration;

/// The `settings` key whose value changes whenever clinical data is imported.
pub const DATA_VERSION_KEY: &str = "clinical_data_version";

/// How often a running Ward checks whether clinical data changed.
pub const DATA_VERSION_POLL: Duration = Duration::from_secs(5);

/// Records that clinical data changed (a new value under [`DATA_VERSION_KEY`]), so that
/// every Ward process reloads what it derives from it.
pub async fn data_changed(db: &DatabaseConnection) -> Result<(), DbErr> {
    settings::Entity::insert(settings::ActiveModel {
        key: Set(DATA_VERSION_KEY.into()),
        value: Set(uuid::Uuid::new_v4().to_string()),
    })
    .on_conflict(
        OnConflict::column(settings::Column::Key)
            .update_column(settings::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The current value under [`DATA_VERSION_KEY`].
pub async fn data_version(db: &DatabaseConnection) -> Result<Option<String>, DbErr> {
    Ok(settings::Entity::find_by_id(DATA_VERSION_KEY.to_string())
        .one(db)
        .await?
        .map(|s| s.value))
}

/// Watches [`DATA_VERSION_KEY`] and reloads the PHI engine's known identifiers when it
/// changes: after an import by the command line (another process) or by another replica.
/// `loaded_at` is the version the engine was built from. The task ends when the last
/// handle to `ward` is dropped.
pub fn spawn_phi_reloader(ward: &crate::Ward, loaded_at: Option<String>) {
    let weak = std::sync::Arc::downgrade(&ward.0);
    tokio::spawn(async move {
        let mut seen: Option<Option<String>> = Some(loaded_at);
        loop {
            tokio::time::sleep(DATA_VERSION_POLL).await;
            let Some(inner) = weak.upgrade() else {
                break;
            };
            let current = match data_version(&inner.db).await {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the clinical data version");
                    continue;
                }
            };
            match &seen {
                None => seen = Some(current),
                Some(before) if *before != current => match inner.phi.reload(&inner.db).await {
                    Ok(()) => {
                        tracing::info!("clinical data changed: PHI engine reloaded");
                        seen = Some(current);
                    }
                    Err(e) => tracing::warn!(error = %e, "PHI engine reload failed"),
                },
                Some(_) => {}
            }
        }
    });
}
