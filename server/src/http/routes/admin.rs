//! The admins' endpoints: usage and spend, budgets, users and roles.

use crate::http::auth::{Admin, UserManager};
use crate::http::error::{ApiResult, JsonBody};
use crate::http::extract::{Path, Query};
use crate::http::openapi::{BadRequest, Conflict, JsonBodyErrors, NotFound, SignedIn, Unavailable};
use crate::http::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use ward_core::identity::users::{self, NewUser};
use ward_core::usage;
use ward_domain::api::{
    BudgetSettings, CreateUserRequest, UpdateUserRequest, UsageReport, UserView,
};
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::capability::{check_user_change, UserChangeRefusal};
use ward_domain::role::Roles;

/// Query of the usage report.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// How many days back (default 14).
    #[serde(default = "fourteen")]
    days: u32,
}

fn fourteen() -> u32 {
    14
}

/// `GET /frontend/api/admin/usage/`: tokens and spend per day and per user.
#[utoipa::path(get, path = "/frontend/api/admin/usage/", tag = "admin",
    params(UsageQuery),
    responses(
        (status = 200, description = "Usage and spend.", body = UsageReport),
        BadRequest, SignedIn, Unavailable,
    ))]
pub async fn usage_report(
    State(app): State<AppState>,
    Admin(_): Admin,
    Query(q): Query<UsageQuery>,
) -> ApiResult<Json<UsageReport>> {
    Ok(Json(usage::report(&app.ward, q.days).await?))
}

/// `GET /frontend/api/admin/budgets/`.
#[utoipa::path(get, path = "/frontend/api/admin/budgets/", tag = "admin",
    responses(
        (status = 200, description = "The daily budgets.", body = BudgetSettings),
        SignedIn, Unavailable,
    ))]
pub async fn get_budgets(
    State(app): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<BudgetSettings>> {
    let b = usage::budgets(&app.ward).await?;
    Ok(Json(BudgetSettings {
        global_daily_usd: ward_domain::pricing::to_usd(b.global_micros),
        user_daily_usd: ward_domain::pricing::to_usd(b.user_micros),
    }))
}

/// `PUT /frontend/api/admin/budgets/`.
#[utoipa::path(put, path = "/frontend/api/admin/budgets/", tag = "admin",
    request_body = BudgetSettings,
    responses(
        (status = 200, description = "The budgets as set.", body = BudgetSettings),
        JsonBodyErrors, SignedIn, Unavailable,
    ))]
pub async fn put_budgets(
    State(app): State<AppState>,
    Admin(caller): Admin,
    JsonBody(b): JsonBody<BudgetSettings>,
) -> ApiResult<Json<BudgetSettings>> {
    Ok(Json(usage::set_budgets(&app.ward, &caller, &b).await?))
}

/// `GET /frontend/api/admin/users/`.
#[utoipa::path(get, path = "/frontend/api/admin/users/", tag = "admin",
    responses(
        (status = 200, description = "Every user.", body = Vec<UserView>),
        SignedIn, Unavailable,
    ))]
pub async fn list_users(
    State(app): State<AppState>,
    UserManager(_): UserManager,
) -> ApiResult<Json<Vec<UserView>>> {
    Ok(Json(users::list_users(&app.ward.db).await?))
}

/// `POST /frontend/api/admin/users/`: creates a user (audited).
#[utoipa::path(post, path = "/frontend/api/admin/users/", tag = "admin",
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created.", body = UserView),
        JsonBodyErrors, SignedIn, Conflict, Unavailable,
    ))]
pub async fn create_user(
    State(app): State<AppState>,
    UserManager(caller): UserManager,
    JsonBody(req): JsonBody<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let id = users::create_user(
        &app.ward.db,
        NewUser {
            username: req.username.trim().to_string(),
            display_name: req.display_name.trim().to_string(),
            password: req.password,
            roles: Roles::new(req.roles),
            unit: req.unit.filter(|u| !u.trim().is_empty()),
            superuser: false,
            patients: vec![],
        },
        Some(caller.entry(AuditAction::UserAdmin, Outcome::Ok)),
    )
    .await?;
    let view = users::list_users(&app.ward.db)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| ward_core::Error::internal("created user vanished"))?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `PATCH /frontend/api/admin/users/<id>/`: roles, unit, active, display name (audited).
/// An admin may not deactivate themselves nor remove their own admin role
/// ([`ward_domain::capability::check_user_change`]): `400`.
#[utoipa::path(patch, path = "/frontend/api/admin/users/{id}/", tag = "admin",
    params(("id" = i64, Path, description = "The user id.")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "The user as changed.", body = UserView),
        JsonBodyErrors, SignedIn, NotFound, Unavailable,
    ))]
pub async fn update_user(
    State(app): State<AppState>,
    UserManager(caller): UserManager,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<UpdateUserRequest>,
) -> ApiResult<Json<UserView>> {
    let me = &caller.principal;
    check_user_change(
        &me.capabilities(&app.ward.policy),
        me.id.get(),
        &me.roles,
        id,
        &req,
    )
    .map_err(|refusal| match refusal {
        UserChangeRefusal::NotPermitted => {
            ward_core::Error::forbidden(refusal.code(), refusal.to_string())
        }
        _ => ward_core::Error::bad_request(refusal.code(), refusal.to_string()),
    })?;
    users::update_user(
        &app.ward.db,
        id,
        &req,
        caller.entry(AuditAction::UserAdmin, Outcome::Ok),
    )
    .await?;
    let view = users::list_users(&app.ward.db)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| ward_core::Error::not_found("user"))?;
    Ok(Json(view))
}
