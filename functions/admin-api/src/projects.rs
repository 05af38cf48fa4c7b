//! Project routes: create, read, list, change, logo, publish, preview,
//! personal links and responses.

use std::collections::BTreeMap;
use std::time::Duration;

use lambda_http::{Body, Request, Response};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::links::{new_id, new_token, ContactSnapshot, Link, LinkKind};
use pulse_shared::domain::logo::{check_logo, LogoError};
use pulse_shared::domain::mail::parse_email;
use pulse_shared::domain::project::{merge_patch, Kind, Logo, Project, SettingError, Settings};
use pulse_shared::domain::survey::generate;
use pulse_shared::{clock, http as web, App, Error};
use serde::Deserialize;
use serde_json::{json, Value};

fn setting_error(e: SettingError) -> Error {
    Error::bad_field(format!("settings.{}", e.field), format!("settings.{}: {}", e.field, e.message))
}

async fn view(app: &App, p: &Project) -> Result<Value, Error> {
    let logo_url = match &p.settings.logo {
        Some(l) => Some(app.aws.presigned_get(&l.key, Duration::from_secs(3600)).await?),
        None => None,
    };
    Ok(json!({
        "id": p.id,
        "kind": p.kind,
        "revision": p.revision,
        "published_version": p.published_version,
        "anonymous_link": format!("{}/s/{}", app.config.public_base_url, p.anonymous_token),
        "logo_url": logo_url,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "settings": p.settings,
    }))
}

pub(crate) async fn load(app: &App, id: &str) -> Result<Project, Error> {
    app.aws.get_project(id).await?.ok_or_else(|| Error::not_found(format!("project {id}")))
}

/// Body of `POST /admin/projects`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateProject {
    kind: Kind,
    settings: Settings,
}

pub async fn create(app: &App, req: &Request) -> Result<Response<Body>, Error> {
    let body: CreateProject = web::json_body(req)?;
    if body.settings.logo.is_some() {
        return Err(Error::bad_field("settings.logo", "the logo is uploaded with PUT /admin/projects/{id}/logo"));
    }
    let settings = body.settings.normalise().map_err(setting_error)?;
    crate::accounts::check_project_account(app, settings.account_id.as_deref()).await?;
    let now = clock::now();
    let project = Project {
        id: new_id(),
        kind: body.kind,
        settings,
        revision: 1,
        published_version: None,
        anonymous_token: new_token(),
        rule_since: 0,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    let anonymous = Link { token: project.anonymous_token.clone(), project_id: project.id.clone(), kind: LinkKind::Anonymous, created_at: now };
    app.aws.create_project(&project, &anonymous).await?;
    tracing::info!(project_id = %project.id, "project created");
    Ok(web::json(201, &view(app, &project).await?))
}

pub async fn get(app: &App, id: &str) -> Result<Response<Body>, Error> {
    let p = load(app, id).await?;
    Ok(web::json(200, &view(app, &p).await?))
}

pub async fn list(app: &App) -> Result<Response<Body>, Error> {
    let projects = app.aws.list_projects().await?;
    Ok(web::json(200, &json!({ "projects": projects })))
}

/// Applies a JSON merge patch to the draft settings; `kind` may be repeated
/// but never changed; `revision`, when given, must be the current one.
pub async fn patch(app: &App, id: &str, req: &Request) -> Result<Response<Body>, Error> {
    let body: Value = web::json_body(req)?;
    let Value::Object(fields) = &body else {
        return Err(Error::bad_request("the body must be a JSON object such as {\"settings\": {…}}"));
    };
    if let Some(unknown) = fields.keys().find(|k| !["settings", "kind", "revision"].contains(&k.as_str())) {
        return Err(Error::bad_field(unknown.clone(), format!("unknown field `{unknown}`; expected settings, kind or revision")));
    }
    let mut p = load(app, id).await?;
    if let Some(kind) = fields.get("kind") {
        let wanted: Kind = serde_json::from_value(kind.clone())
            .map_err(|e| Error::bad_field("kind", format!("kind: {e}")))?;
        if wanted != p.kind {
            return Err(Error::Conflict(format!(
                "a project's kind is fixed when it is created: this project is {} and stays so; create another project for {}",
                kind_name(p.kind),
                kind_name(wanted)
            )));
        }
    }
    let expected = match fields.get("revision") {
        None => p.revision,
        Some(r) => {
            let r = r.as_u64().ok_or_else(|| Error::bad_field("revision", "revision must be a whole number"))?;
            if r != p.revision {
                return Err(Error::Conflict(format!("the project is at revision {}, not {r}; read it again and repeat the change", p.revision)));
            }
            r
        }
    };
    if let Some(patch) = fields.get("settings") {
        if patch.get("logo").is_some() {
            return Err(Error::bad_field("settings.logo", "the logo is uploaded with PUT /admin/projects/{id}/logo"));
        }
        let mut merged = serde_json::to_value(&p.settings).map_err(|e| Error::bad_request(e.to_string()))?;
        merge_patch(&mut merged, patch);
        if let Some(logo) = &p.settings.logo {
            merged["logo"] = serde_json::to_value(logo).map_err(|e| Error::bad_request(e.to_string()))?;
        }
        let text = merged.to_string();
        let settings: Settings = web::parse_json::<Settings>(text.as_bytes()).map_err(|e| match e {
            Error::BadRequest { field: Some(f), message } => Error::BadRequest { field: Some(format!("settings.{f}")), message: format!("settings.{message}") },
            other => other,
        })?;
        let settings = settings.normalise().map_err(setting_error)?;
        crate::b2b::check_attribute_lock(app, id, &p.settings.b2b_import.attributes, &settings.b2b_import.attributes).await?;
        if settings.account_id != p.settings.account_id {
            crate::accounts::check_project_account(app, settings.account_id.as_deref()).await?;
        }
        if settings.notifications.rule != p.settings.notifications.rule {
            // The new rule counts from here: past thresholds are never re-sent.
            p.rule_since = app.aws.response_count(id).await?;
        }
        p.settings = settings;
    }
    p.revision = expected + 1;
    p.updated_at = clock::now();
    app.aws.update_project(&p, expected).await?;
    Ok(web::json(200, &view(app, &p).await?))
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::QuickCheckIn => "a quick check-in",
        Kind::Assessment => "an assessment",
    }
}

/// Stores the request body as the project's logo.
pub async fn put_logo(app: &App, id: &str, req: &Request) -> Result<Response<Body>, Error> {
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes: &[u8] = req.body().as_ref();
    let (content_type, ext) = check_logo(&content_type, bytes).map_err(|e| match e {
        LogoError::TooLarge(size) => Error::PayloadTooLarge { size, limit: pulse_shared::domain::logo::MAX_LOGO_BYTES },
        other => Error::bad_field("logo", other.to_string()),
    })?;
    let mut p = load(app, id).await?;
    let key = format!("logos/{id}/{}.{ext}", new_id());
    app.aws.put_object(&key, content_type, bytes.to_vec()).await?;
    let expected = p.revision;
    p.settings.logo = Some(Logo { key, content_type: content_type.to_string(), bytes: bytes.len() as u64 });
    p.revision += 1;
    p.updated_at = clock::now();
    app.aws.update_project(&p, expected).await?;
    Ok(web::json(200, &view(app, &p).await?))
}

/// Freezes the draft as the next survey version.
pub async fn publish(app: &App, id: &str) -> Result<Response<Body>, Error> {
    let mut p = load(app, id).await?;
    let version = p.published_version.unwrap_or(0) + 1;
    let definition = generate(&p.id, p.kind, &p.settings, version);
    let expected = p.revision;
    let now = clock::now();
    p.published_version = Some(version);
    p.revision += 1;
    p.updated_at = now.clone();
    app.aws.publish(&p, &definition, expected, &now).await?;
    tracing::info!(project_id = %p.id, version, "survey published");
    Ok(web::json(201, &json!({ "version": version, "published_at": now, "survey": definition })))
}

/// The survey of a version (`?version=N`), or of the draft.
pub async fn survey(app: &App, id: &str, version: Option<&str>) -> Result<Response<Body>, Error> {
    let p = load(app, id).await?;
    let definition = match version {
        None | Some("draft") => generate(&p.id, p.kind, &p.settings, 0),
        Some(v) => {
            let n: u32 = v.parse().map_err(|_| Error::bad_field("version", format!("version {v:?} is not a number or \"draft\"")))?;
            app.aws.get_version(id, n).await?.ok_or_else(|| Error::not_found(format!("version {n} of project {id}")))?
        }
    };
    Ok(web::json(200, &definition))
}

/// Body of `POST /admin/projects/{id}/links`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MintLink {
    email: String,
    first_name: String,
    last_name: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    language: Option<Lang>,
}

/// Checks a contact given in a request body (email, names, operational
/// fields of the project `p`); returns the trimmed address.
pub(crate) fn check_contact(p: &Project, email: &str, first_name: &str, last_name: &str, fields: &BTreeMap<String, String>) -> Result<String, Error> {
    let email = parse_email(email).map_err(|e| Error::bad_field("email", e.to_string()))?;
    for (name, value) in [("first_name", first_name), ("last_name", last_name)] {
        if value.trim().is_empty() {
            return Err(Error::bad_field(name, format!("{name} must not be empty")));
        }
    }
    if let Some(unknown) = fields.keys().find(|k| !p.settings.operational_fields.contains(k)) {
        return Err(Error::bad_field(
            format!("fields.{unknown}"),
            format!("{unknown:?} is not an operational field of this project (they are: {})", p.settings.operational_fields.join(", ")),
        ));
    }
    Ok(email)
}

/// Mints a personal link for one contact (distributions do this for every
/// contact; this route serves tests and one-off invitations).
pub async fn mint_link(app: &App, id: &str, req: &Request) -> Result<Response<Body>, Error> {
    let body: MintLink = web::json_body(req)?;
    let p = load(app, id).await?;
    let email = check_contact(&p, &body.email, &body.first_name, &body.last_name, &body.fields)?;
    let link = Link {
        token: new_token(),
        project_id: p.id.clone(),
        kind: LinkKind::Personal {
            contact: ContactSnapshot {
                email,
                first_name: body.first_name.trim().to_string(),
                last_name: body.last_name.trim().to_string(),
                fields: body.fields.into_iter().map(|(k, v)| (k, v.trim().to_string())).collect(),
                language: body.language,
            },
            response_id: new_id(),
            distribution_id: None,
        },
        created_at: clock::now(),
    };
    app.aws.put_link(&link).await?;
    Ok(web::json(201, &json!({ "token": link.token, "url": format!("{}/s/{}", app.config.public_base_url, link.token) })))
}

/// A page of the project's responses.
pub async fn responses(app: &App, id: &str, after: Option<&str>) -> Result<Response<Body>, Error> {
    load(app, id).await?;
    let (responses, next) = app.aws.list_responses(id, after, 100).await?;
    let count = app.aws.response_count(id).await?;
    Ok(web::json(200, &json!({ "count": count, "responses": responses, "next": next })))
}
