//! The console's users (Cognito) for scripts and the `pulse` command: the
//! same operations as the console's *Users* page, through the same adapter.

use pulse_shared::domain::access::Role;
use pulse_shared::domain::mail::parse_email;
#[allow(unused_imports)]
use pulse_shared::ports::*;
use pulse_shared::store::users::Operator;
use pulse_shared::{http as web, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::routing::{Ctx, Json, Path, Reply};

fn view(u: &Operator) -> Value {
    json!({
        "username": u.username,
        "email": u.email,
        "role": u.role.map(Role::as_str),
        "enabled": u.enabled,
        "status": u.status,
    })
}

fn role(field: &str, name: &str) -> Result<Role, Error> {
    Role::parse(name).ok_or_else(|| Error::bad_field(field, format!("{field}: unknown role {name:?}; the roles are viewer, editor, admin")))
}

/// Every console user with their role and state.
#[utoipa::path(get, path = "/admin/users", tag = "users", responses((status = 200, description = "{users: [{username, email, role, enabled, status}]}")))]
pub async fn list(Ctx(ref app): Ctx) -> Reply {
    let users = app.aws.users.list().await?;
    Ok(web::json(200, &json!({ "users": users.iter().map(view).collect::<Vec<_>>() })))
}

/// An invitation to the console.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Invitation {
    /// Their address: Cognito emails them a temporary password.
    email: String,
    /// viewer, editor or admin (default viewer).
    #[serde(default)]
    role: Option<String>,
}

/// Invite someone to the console: Cognito emails them a temporary password,
/// which they replace at their first sign-in.
#[utoipa::path(post, path = "/admin/users", tag = "users", request_body = Invitation,
    responses((status = 201, description = "The user"), (status = 409, description = "The address already has a console account")))]
pub async fn invite(Ctx(ref app): Ctx, Json(body): Json<Invitation>) -> Reply {
    let email = parse_email(body.email.trim()).map_err(|e| Error::bad_field("email", format!("email: {e}")))?;
    let role = role("role", body.role.as_deref().unwrap_or("viewer"))?;
    app.aws.users.invite(&email, role).await?;
    tracing::info!(role = role.as_str(), "console user invited");
    let user = app.aws.users.list().await?.into_iter().find(|u| u.email == email || u.username == email);
    let body = user.as_ref().map(view).unwrap_or_else(|| json!({ "username": email, "email": email, "role": role.as_str() }));
    Ok(web::json(201, &body))
}

/// A change to a console user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    /// viewer, editor or admin.
    #[serde(default)]
    role: Option<String>,
    /// false: no sign-in, sessions ended; true: allowed again.
    #[serde(default)]
    enabled: Option<bool>,
}

/// Change a console user's role, or disable (ending their sessions) or enable them.
#[utoipa::path(patch, path = "/admin/users/{username}", tag = "users", request_body = UserChange,
    params(("username" = String, Path, description = "The user's username (their address, or the id `users list` shows)")),
    responses((status = 200, description = "The user"), (status = 404, description = "No such user")))]
pub async fn change(Ctx(ref app): Ctx, Path(ref username): Path<String>, Json(body): Json<UserChange>) -> Reply {
    if body.role.is_none() && body.enabled.is_none() {
        return Err(Error::bad_request("give role or enabled").into());
    }
    let role = body.role.as_deref().map(|r| role("role", r)).transpose()?;
    let users = &app.aws.users;
    let found = users.list().await?.into_iter().find(|u| &u.username == username || &u.email == username);
    let Some(user) = found else {
        return Err(Error::NotFound { what: format!("console user {username}") }.into());
    };
    if let Some(role) = role {
        users.set_role(&user.username, role).await?;
    }
    if let Some(enabled) = body.enabled {
        users.set_enabled(&user.username, enabled).await?;
    }
    tracing::info!(role = ?role.map(Role::as_str), enabled = ?body.enabled, "console user changed");
    let user = users.list().await?.into_iter().find(|u| u.username == user.username).unwrap_or(user);
    Ok(web::json(200, &view(&user)))
}
