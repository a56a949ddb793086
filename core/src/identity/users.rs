//! Users, roles and care teams in the database, and [`Principal`], the authenticated caller.

use crate::db::{Batch, BatchRows, STEP_COLUMN};
use crate::entity::{care_team_assignments, patients, user_roles, users};
use crate::error::{Error, Result};
use crate::identity::password;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use ward_domain::api::{CareTeam, UpdateUserRequest, UserView, WhoAmI};
use ward_domain::policy::Subject;
use ward_domain::role::{Role, Roles};

/// An authenticated, active user as every service sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// User id.
    pub id: i64,
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

    /// Whether the user holds `role` (superusers hold every role).
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

fn principal_of(u: users::Model, roles: Roles) -> Principal {
    Principal {
        id: u.id,
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
    let mut batch = Batch::new(db.get_database_backend());
    push_principal(&mut batch, user_id);
    principal_from(&batch.query_all(db).await?)
}

const PRINCIPAL_STEP: &str = "principal";

/// Adds to `batch` the read of the active user with this id and their roles (one row per
/// role); [`principal_from`] reads it. A request that reads other rows anyway (a chat
/// turn) reads its caller in the same call.
pub fn push_principal(batch: &mut Batch, user_id: i64) {
    batch.push(
        format!(
            "SELECT u.id, u.username, u.display_name, u.unit, u.is_superuser, r.role, \
             '{PRINCIPAL_STEP}' AS {STEP_COLUMN} \
             FROM users u LEFT JOIN user_roles r ON r.user_id = u.id \
             WHERE u.id = $1 AND u.is_active = $2"
        ),
        [user_id.into(), true.into()],
    );
}

/// The principal [`push_principal`] read; `None` if the user is missing or inactive.
pub fn principal_from(rows: &BatchRows) -> Result<Option<Principal>> {
    let rows: Vec<_> = rows.steps(PRINCIPAL_STEP).collect();
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let roles = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>>("", "role").ok().flatten())
        .filter_map(|r| r.parse().ok());
    Ok(Some(Principal {
        id: first.try_get("", "id")?,
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
    Ok(principal_of(u, roles))
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

/// `whoami` for `p` (who they are, roles, care team), with the CSRF token their browser
/// session holds, if any.
pub async fn whoami(
    db: &impl ConnectionTrait,
    p: &Principal,
    csrf_token: Option<String>,
) -> Result<WhoAmI> {
    Ok(WhoAmI {
        id: p.id,
        username: p.username.clone(),
        display_name: p.display_name.clone(),
        roles: p.roles.iter().collect(),
        is_superuser: p.is_superuser,
        care_team: care_team(db, p).await?,
        csrf_token,
        // The caller sets it from the configuration (`Config::is_production`).
        demo: false,
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

/// Creates a user with their roles and assignments, in one transaction.
pub async fn create_user<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    new: NewUser,
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
        return Err(Error::new(
            crate::error::ErrorKind::Conflict,
            "username_taken",
            "That username is taken.",
        ));
    }
    let hash = password::hash_async(new.password.clone()).await;
    let now = Utc::now();
    let txn = db.begin().await?;
    let user = users::ActiveModel {
        username: Set(new.username.clone()),
        display_name: Set(new.display_name.clone()),
        password_hash: Set(hash.0),
        unit: Set(new.unit.clone()),
        is_active: Set(true),
        is_superuser: Set(new.superuser),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for role in new.roles.iter() {
        user_roles::ActiveModel {
            user_id: Set(user.id),
            role: Set(role.as_str().to_string()),
        }
        .insert(&txn)
        .await?;
    }
    for patient in &new.patients {
        care_team_assignments::ActiveModel {
            user_id: Set(user.id),
            patient_id: Set(patient.clone()),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(user.id)
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

/// Changes a user's roles, unit, status or display name.
pub async fn update_user<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: i64,
    change: &UpdateUserRequest,
) -> Result<()> {
    let Some(user) = users::Entity::find_by_id(id).one(db).await? else {
        return Err(Error::not_found("user"));
    };
    let txn = db.begin().await?;
    let mut active: users::ActiveModel = user.into();
    if let Some(unit) = &change.unit {
        let unit = unit.trim();
        active.unit = Set((!unit.is_empty()).then(|| unit.to_string()));
    }
    if let Some(a) = change.is_active {
        active.is_active = Set(a);
    }
    if let Some(name) = &change.display_name {
        active.display_name = Set(name.trim().to_string());
    }
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    if let Some(roles) = &change.roles {
        user_roles::Entity::delete_many()
            .filter(user_roles::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
        for role in Roles::new(roles.iter().copied()).iter() {
            user_roles::ActiveModel {
                user_id: Set(id),
                role: Set(role.as_str().to_string()),
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
