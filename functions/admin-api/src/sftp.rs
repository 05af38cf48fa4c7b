//! The optional SFTP endpoint of a project's B2B drop folder: its user and
//! SSH keys (AWS Transfer Family keeps them; the tables hold nothing).

use pulse_shared::domain::b2b::ssh;
#[allow(unused_imports)]
use pulse_shared::ports::*;
use pulse_shared::{http as web, App, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::lookup::load;
use crate::routing::{Ctx, Json, Path, Reply};

/// What to do to have an endpoint, for a stack without one.
const NO_ENDPOINT: &str =
    "this stack has no SFTP endpoint: deploy it with SftpEndpoint=true (it costs by the hour), or use the drop folder";

fn endpoint(app: &App) -> Result<&pulse_shared::store::sftp::DropFolderUsers, Error> {
    app.aws.sftp.as_ref().ok_or_else(|| Error::Conflict(NO_ENDPOINT.into()))
}

/// The endpoint's host name.
fn host(app: &App, server_id: &str) -> String {
    let region = app.aws.signing.1.clone().unwrap_or_else(|| "us-east-1".into());
    format!("{server_id}.server.transfer.{region}.amazonaws.com")
}

/// The project's SFTP access: whether the stack has an endpoint, its host,
/// the project's user name and its SSH keys.
#[utoipa::path(get, path = "/admin/projects/{id}/b2b/sftp", tag = "b2b", params(("id" = String, Path, description = "The project")),
    responses((status = 200, description = "{enabled, host, user_name, folder, keys: [{id, key_type, fingerprint, imported_at}]}")))]
pub async fn get(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    let Some(users) = app.aws.sftp.as_ref() else {
        return Ok(web::json(200, &json!({ "enabled": false, "message": NO_ENDPOINT })));
    };
    let user = users.user(id).await?;
    let keys: Vec<Value> = user.map(|u| u.keys.iter().map(|k| json!(k)).collect()).unwrap_or_default();
    Ok(web::json(
        200,
        &json!({
            "enabled": true,
            "host": host(app, users.server_id()),
            "user_name": ssh::user_name(id),
            "folder": "/",
            "directories": ["accounts/", "contacts/", "team/"],
            "keys": keys,
        }),
    ))
}

/// An SSH public key to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    /// One line as OpenSSH writes it (`ssh-ed25519 AAAA… comment`, the .pub file).
    public_key: String,
}

/// Add an SSH public key to the project's SFTP user (made with its first key,
/// at home in the project's drop folder).
#[utoipa::path(post, path = "/admin/projects/{id}/b2b/sftp/keys", tag = "b2b", params(("id" = String, Path, description = "The project")),
    request_body = NewKey,
    responses((status = 201, description = "{id, key_type, fingerprint}"), (status = 400, description = "Not a public key (why, in words)"),
        (status = 409, description = "The key is already added, or the stack has no SFTP endpoint")))]
pub async fn add_key(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<NewKey>) -> Reply {
    load(app, id).await?;
    let users = endpoint(app)?;
    let key = ssh::parse(&body.public_key).map_err(|e| Error::bad_field("public_key", format!("public_key: {e}")))?;
    let key_id = users.add_key(id, &key).await?;
    tracing::info!(project_id = %id, key_type = %key.key_type, fingerprint = %key.fingerprint, "SFTP key added");
    Ok(web::json(201, &json!({ "id": key_id, "key_type": key.key_type, "fingerprint": key.fingerprint, "user_name": ssh::user_name(id) })))
}

/// Remove an SSH key from the project's SFTP user: it no longer signs in.
#[utoipa::path(delete, path = "/admin/projects/{id}/b2b/sftp/keys/{key_id}", tag = "b2b",
    params(("id" = String, Path, description = "The project"), ("key_id" = String, Path, description = "The key, as listed")),
    responses((status = 200, description = "{removed}"), (status = 404, description = "No such key")))]
pub async fn remove_key(Ctx(ref app): Ctx, Path((ref id, ref key_id)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    endpoint(app)?.remove_key(id, key_id).await?;
    tracing::info!(project_id = %id, key_id = %key_id, "SFTP key removed");
    Ok(web::json(200, &json!({ "removed": key_id })))
}
