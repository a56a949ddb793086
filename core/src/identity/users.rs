//! Users, roles and care teams in the database, and [`Principal`], the authenticated caller.

use crate::db::{self, statement, Answering, Batch};
use crate::entity::{care_team_assignments, patients, user_roles, users};
use crate::error::{Error, Result};
use crate::identity::password;
use crate::ids::UserId;
use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QueryResult, QuerySelect,
};
use ward_domain::api::{CareTeam, UpdateUserRequest, UserView, WhoAmI};
use ward_domain::audit::AuditEntry;
use ward_domain::capability::Capabilities;
use ward_domain::policy::{Policy, Subject};
use ward_domain::role::{Role, Roles};

/// An authenticated, active user as every service sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// User id.
    pub id: UserId,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Roles.
    pub roles: Roles,
    /// Superuser (the demo admin).
    pub is_superuser: bool,
    /// Care unit.
    pub unit: Option<String>,
}

impl Principal {
    /// The policy's view of this user.
    pub fn subject(&self) -> Subject {
        Subject {
            roles: self.roles.clone(),
            superuser: self.is_superuser,
        }
    }

    /// What the user may do under `policy` (the one derivation the guards and `whoami`
    /// read).
    pub fn capabilities(&self, policy: &Policy) -> Capabilities {
        policy.capabilities(&self.subject())
    }

    /// Whether the user holds `role` (superusers hold every role). What a user may do is
    /// [`Principal::capabilities`], not a role check.
    pub fn has_role(&self, role: Role) -> bool {
        self.is_superuser || self.roles.has(role)
    }
}

/// The roles of a user.
pub async fn roles_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Roles> {
    let rows = user_roles::Entity::find()
        .filter(user_roles::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    Ok(Roles::new(rows.iter().filter_map(|r| r.role.parse().ok())))
}

fn principal_with(u: users::Model, roles: Roles) -> Principal {
    Principal {
        id: UserId::new(u.id),
        username: u.username,
        display_name: u.display_name,
        roles,
        is_superuser: u.is_superuser,
        unit: u.unit,
    }
}

/// The active user with this id, if any: the user and their roles in one query (it runs
/// for every authenticated request).
pub async fn load_principal(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<Principal>> {
    principal_of(
        principal_read(UserId::new(user_id))
            .query_all(db)
            .await?
            .iter(),
    )
}

/// The read of the active user with this id and their roles (one row per role);
/// [`principal_of`] reads its rows. A request that reads other rows anyway (a chat turn)
/// reads its caller in the same call.
pub fn principal_read(user_id: UserId) -> Answering {
    Answering::select(
        "u.id, u.username, u.display_name, u.unit, u.is_superuser, r.role",
        "FROM users u LEFT JOIN user_roles r ON r.user_id = u.id \
         WHERE u.id = $1 AND u.is_active = $2",
        [user_id.into(), true.into()],
    )
}

/// The principal in the rows of [`principal_read`]; `None` if the user is missing or
/// inactive.
pub fn principal_of<'a>(rows: impl Iterator<Item = &'a QueryResult>) -> Result<Option<Principal>> {
    let rows: Vec<_> = rows.collect();
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let roles = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>>("", "role").ok().flatten())
        .filter_map(|r| r.parse().ok());
    Ok(Some(Principal {
        id: UserId::new(first.try_get("", "id")?),
        username: first.try_get("", "username")?,
        display_name: first.try_get("", "display_name")?,
        roles: Roles::new(roles),
        is_superuser: first.try_get("", "is_superuser")?,
        unit: first.try_get("", "unit")?,
    }))
}

/// The user row for a sign-in attempt (active or not).
pub async fn find_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<users::Model>> {
    Ok(users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(db)
        .await?)
}

/// Builds the principal of a user row.
pub async fn principal_for(db: &impl ConnectionTrait, u: users::Model) -> Result<Principal> {
    let roles = roles_of(db, u.id).await?;
    Ok(principal_with(u, roles))
}

/// Whether `patient_id` is on the user's care team: the patient's unit is the user's unit,
/// or the patient is explicitly assigned to the user.
pub async fn on_care_team(
    db: &impl ConnectionTrait,
    p: &Principal,
    patient_id: &str,
) -> Result<bool> {
    if let Some(unit) = &p.unit {
        let in_unit = patients::Entity::find_by_id(patient_id.to_string())
            .filter(patients::Column::Unit.eq(unit.as_str()))
            .count(db)
            .await?;
        if in_unit > 0 {
            return Ok(true);
        }
    }
    let assigned = care_team_assignments::Entity::find()
        .filter(care_team_assignments::Column::UserId.eq(p.id))
        .filter(care_team_assignments::Column::PatientId.eq(patient_id))
        .count(db)
        .await?;
    Ok(assigned > 0)
}

/// `whoami` for `p` (who they are, roles, care team, what `policy` lets them do), with
/// the CSRF token their browser session holds, if any.
pub async fn whoami(
    db: &impl ConnectionTrait,
    policy: &Policy,
    p: &Principal,
    csrf_token: Option<String>,
) -> Result<WhoAmI> {
    Ok(WhoAmI {
        id: p.id.get(),
        username: p.username.clone(),
        display_name: p.display_name.clone(),
        roles: p.roles.iter().collect(),
        is_superuser: p.is_superuser,
        care_team: care_team(db, p).await?,
        csrf_token,
        // The caller sets it from the configuration (`Config::is_production`).
        demo: false,
        capabilities: p.capabilities(policy),
    })
}

/// The user's care team: every patient of their unit, and their explicit assignments.
pub async fn care_team(db: &impl ConnectionTrait, p: &Principal) -> Result<CareTeam> {
    let mut ids: Vec<String> = vec![];
    if let Some(unit) = &p.unit {
        ids = patients::Entity::find()
            .select_only()
            .column(patients::Column::Id)
            .filter(patients::Column::Unit.eq(unit.as_str()))
            .into_tuple::<String>()
            .all(db)
            .await?;
    }
    let assigned: Vec<String> = care_team_assignments::Entity::find()
        .select_only()
        .column(care_team_assignments::Column::PatientId)
        .filter(care_team_assignments::Column::UserId.eq(p.id))
        .into_tuple::<String>()
        .all(db)
        .await?;
    ids.extend(assigned);
    ids.sort();
    ids.dedup();
    Ok(CareTeam {
        unit: p.unit.clone(),
        patients: ids,
    })
}

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Username (1–150 letters, digits, `.`, `_`, `-`, `@`).
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Password (at least 8 characters), hashed before storage.
    pub password: String,
    /// Roles (at least one unless superuser).
    pub roles: Roles,
    /// Care unit.
    pub unit: Option<String>,
    /// Superuser.
    pub superuser: bool,
    /// Explicitly assigned patients.
    pub patients: Vec<String>,
}

/// Checks a username's shape.
pub fn valid_username(u: &str) -> bool {
    !u.is_empty()
        && u.len() <= 150
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
}

/// Creates a user with their roles and assignments, and (given `audit`, the record of
/// whoever creates them: an admin's request, the command line) its `user_admin` audit
/// record, all in one transaction: if the record cannot be written, no user exists.
pub async fn create_user(
    db: &DatabaseConnection,
    new: NewUser,
    audit: Option<AuditEntry>,
) -> Result<i64> {
    if !valid_username(&new.username) {
        return Err(Error::bad_request(
            "invalid_username",
            "A username is 1-150 letters, digits, '.', '_', '-', '@' or '+'.",
        ));
    }
    if new.password.chars().count() < 8 {
        return Err(Error::bad_request(
            "weak_password",
            "A password needs at least 8 characters.",
        ));
    }
    if new.roles.is_empty() && !new.superuser {
        return Err(Error::bad_request(
            "no_roles",
            "A user needs at least one role.",
        ));
    }
    if find_by_username(db, &new.username).await?.is_some() {
        return Err(taken());
    }
    let hash = password::hash_async(new.password.clone()).await;
    let now = Utc::now();
    let txn = db::begin_serialized(db).await?;
    let b = txn.get_database_backend();
    let row = txn
        .query_one_raw(statement(
            b,
            "INSERT INTO users (username, display_name, password_hash, unit, is_active, \
             is_superuser, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             RETURNING id",
            [
                new.username.clone().into(),
                new.display_name.clone().into(),
                hash.0.into(),
                new.unit.clone().into(),
                true.into(),
                new.superuser.into(),
                now.into(),
            ],
        ))
        .await
        .map_err(|e| {
            // Two creations of one name raced: the unique index refuses the second.
            if e.to_string().to_lowercase().contains("unique") {
                taken()
            } else {
                e.into()
            }
        })?
        .ok_or_else(|| Error::internal("the user insert returned no id"))?;
    let id: i64 = row.try_get("", "id")?;
    let mut batch = Batch::new(b);
    for role in new.roles.iter() {
        batch.push(
            "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)",
            [id.into(), role.as_str().into()],
        );
    }
    for patient in &new.patients {
        batch.push(
            "INSERT INTO care_team_assignments (user_id, patient_id) VALUES ($1, $2)",
            [id.into(), patient.clone().into()],
        );
    }
    batch.execute(&txn).await?;
    if let Some(mut e) = audit {
        e.reason = Some(format!(
            "created user #{id} '{}' with roles {}{}",
            new.username,
            new.roles.joined(),
            if new.superuser { " (superuser)" } else { "" }
        ));
        crate::audit::append_in(&txn, e).await?;
    }
    txn.commit().await?;
    Ok(id)
}

fn taken() -> Error {
    Error::new(
        crate::error::ErrorKind::Conflict,
        "username_taken",
        "That username is taken.",
    )
}

/// Every user, by username, for the admin screens.
pub async fn list_users(db: &impl ConnectionTrait) -> Result<Vec<UserView>> {
    let all = users::Entity::find()
        .order_by_asc(users::Column::Username)
        .all(db)
        .await?;
    let roles = user_roles::Entity::find().all(db).await?;
    let assignments = care_team_assignments::Entity::find().all(db).await?;
    Ok(all
        .into_iter()
        .map(|u| UserView {
            roles: Roles::new(
                roles
                    .iter()
                    .filter(|r| r.user_id == u.id)
                    .filter_map(|r| r.role.parse().ok()),
            )
            .iter()
            .collect(),
            assigned_patients: assignments
                .iter()
                .filter(|a| a.user_id == u.id)
                .map(|a| a.patient_id.clone())
                .collect(),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            unit: u.unit,
            is_active: u.is_active,
            is_superuser: u.is_superuser,
        })
        .collect())
}

/// Changes a user's roles, unit, status or display name, and writes `audit` (the
/// admin's `user_admin` record) in the same transaction: both or neither.
pub async fn update_user(
    db: &DatabaseConnection,
    id: i64,
    change: &UpdateUserRequest,
    mut audit: AuditEntry,
) -> Result<()> {
    let Some(user) = users::Entity::find_by_id(id).one(db).await? else {
        return Err(Error::not_found("user"));
    };
    let unit = match &change.unit {
        Some(u) => {
            let u = u.trim();
            (!u.is_empty()).then(|| u.to_string())
        }
        None => user.unit.clone(),
    };
    let is_active = change.is_active.unwrap_or(user.is_active);
    let display_name = change
        .display_name
        .as_ref()
        .map(|n| n.trim().to_string())
        .unwrap_or(user.display_name.clone());
    let txn = db::begin_serialized(db).await?;
    let mut batch = Batch::new(txn.get_database_backend());
    batch.push(
        "UPDATE users SET unit = $1, is_active = $2, display_name = $3, updated_at = $4 \
         WHERE id = $5",
        [
            unit.into(),
            is_active.into(),
            display_name.into(),
            Utc::now().into(),
            id.into(),
        ],
    );
    if let Some(roles) = &change.roles {
        batch.push("DELETE FROM user_roles WHERE user_id = $1", [id.into()]);
        for role in Roles::new(roles.iter().copied()).iter() {
            batch.push(
                "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)",
                [id.into(), role.as_str().into()],
            );
        }
    }
    batch.execute(&txn).await?;
    audit.reason = Some(format!(
        "updated user #{id}: {}",
        serde_json::json!({"roles": change.roles, "unit": change.unit, "is_active": change.is_active, "display_name": change.display_name.is_some()})
    ));
    crate::audit::append_in(&txn, audit).await?;
    txn.commit().await?;
    Ok(())
}
