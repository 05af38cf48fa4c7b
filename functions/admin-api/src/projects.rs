//! Project routes: create, read, list, change, logo, publish, preview,
//! personal links and responses.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::http::HeaderMap;
use pulse_shared::domain::erasure::JobRecord;
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::jobs::SliceJob;
use pulse_shared::domain::links::{new_id, ContactSnapshot, LinkKind};
use pulse_shared::domain::logo::{check_logo, LogoError};
use pulse_shared::domain::project::{merge_patch, Kind, Logo, Project, SettingError, Settings};
use pulse_shared::domain::response::Filter;
use pulse_shared::domain::survey::generate;
use pulse_shared::{clock, http as web, App, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::lookup::{check_contact, load};
use crate::routing::{Ctx, Json, Path, Query, Reply};

fn setting_error(e: SettingError) -> Error {
    Error::bad_field(format!("settings.{}", e.field), format!("settings.{}: {}", e.field, e.message))
}

async fn view(app: &App, p: &Project) -> Result<Value, Error> {
    // served by Pulse (submit-response's logo route), never straight from the bucket
    let logo_url = p.settings.logo.as_ref().and_then(|l| pulse_shared::domain::logo::logo_path(&l.key));
    let logo_url = logo_url.map(|path| format!("{}{path}", app.config.public_base_url));
    let anonymous_link = app.anonymous_url(p).await?;
    // the website widget: its address, and the snippet a website pastes
    let embed_url = pulse_shared::domain::embed::embed_path(&anonymous_link);
    let title = pulse_shared::render::embed::frame_title(&p.settings.organisation_name, p.settings.default_language());
    let embed_snippet = pulse_shared::domain::embed::snippet(&embed_url, &title);
    Ok(json!({
        "id": p.id,
        "kind": p.kind,
        "revision": p.revision,
        "published_version": p.published_version,
        "anonymous_link": anonymous_link,
        "embed": { "url": embed_url, "snippet": embed_snippet, "enabled": !p.settings.embed_origins.is_empty() },
        "logo_url": logo_url,
        "closed": p.is_closed(),
        "closed_at": p.closed_at,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "settings": p.settings,
    }))
}

/// Body of `POST /admin/projects`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateProject {
    /// `quick_check_in` or `assessment`; fixed once created.
    #[schema(value_type = String)]
    kind: Kind,
    /// Every setting of the guided setup (organisation, languages, questions, notifications, …); the logo has its own route.
    #[schema(value_type = Object)]
    settings: Settings,
}

/// Create a project.
#[utoipa::path(post, path = "/admin/projects", tag = "projects", request_body = CreateProject, responses((status = 201, description = "The project")))]
pub async fn create(Ctx(ref app): Ctx, Json(body): Json<CreateProject>) -> Reply {
    if body.settings.logo.is_some() {
        return Err(Error::bad_field("settings.logo", "the logo is uploaded with PUT /admin/projects/{id}/logo").into());
    }
    let mut settings = body.settings.normalise().map_err(setting_error)?;
    pulse_shared::domain::survey::check_edits(body.kind, &settings).map_err(setting_error)?;
    crate::lookup::check_alert_segments(body.kind, &settings)?;
    if let Some(zone) = crate::lookup::check_project_account(app, settings.account_id.as_deref()).await? {
        // dates on its pages are the account's until the project sets its own
        settings.time_zone.get_or_insert(zone);
    }
    let now = clock::now();
    let id = new_id();
    let (_, anonymous, sealed) = app.mint_anonymous_link(&id, &now).await?;
    let project = Project {
        id,
        kind: body.kind,
        settings,
        revision: 1,
        published_version: None,
        anonymous_link: anonymous.id.clone(),
        anonymous_sealed: sealed,
        rule_since: 0,
        closed_at: None,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    app.aws.create_project(&project, &anonymous).await?;
    tracing::info!(project_id = %project.id, "project created");
    Ok(web::json(201, &view(app, &project).await?))
}

/// Read a project.
#[utoipa::path(get, path = "/admin/projects/{id}", tag = "projects", params(("id" = String, Path, description = "The project")), responses((status = 200, description = "The project")))]
pub async fn get(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let p = load(app, id).await?;
    Ok(web::json(200, &view(app, &p).await?))
}

/// Delete a project with all its data.
///
/// The project is gone at once for every route (its links answer the
/// not-found page, queued sends and reports are dropped); its data is
/// deleted by a job, slice by slice: responses, contacts, lists,
/// invitations, links and tokens, aggregates, B2B records, every version of
/// its files, then its own records. The job's status stays readable at
/// `status_url` afterwards. Repeating the request while the job runs answers
/// the same job.
#[utoipa::path(delete, path = "/admin/projects/{id}", tag = "projects", params(("id" = String, Path, description = "The project")),
    responses((status = 202, description = "{job, status_url}: the deletion, running"), (status = 404, description = "No such project"),
        (status = 409, description = "The project changed meanwhile")))]
pub async fn delete(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let job = match app.aws.get_project(id).await? {
        Some(p) => {
            let job = JobRecord::deletion(id, &new_id(), &app.clock.now());
            app.aws.begin_deletion(&p, &job).await?;
            tracing::info!(project_id = %id, job_id = %job.job_id, "project deletion started");
            job
        }
        // a repeated request (the first one's answer lost): the same job
        None => {
            let job_id = app.aws.deletion(id).await?.ok_or_else(|| Error::not_found(format!("project {id}")))?;
            app.aws.get_job(id, &job_id).await?.ok_or_else(|| Error::not_found(format!("job {job_id} of project {id}")))?
        }
    };
    // its SFTP user goes at once (and again on a repeat: none is fine)
    if let Some(sftp) = &app.aws.sftp {
        sftp.delete_user(id).await?;
    }
    // queued again on a repeat: a slice's checkpoint is conditional, so two
    // runs of the same slice save once
    app.aws.enqueue(&SliceJob { project_id: id.clone(), job_id: job.job_id.clone() }).await?;
    let status_url = format!("/admin/projects/{id}/jobs/{}", job.job_id);
    Ok(web::json(202, &json!({ "job": job, "status_url": status_url })))
}

/// List projects, newest first.
#[utoipa::path(get, path = "/admin/projects", tag = "projects", responses((status = 200, description = "{projects}")))]
pub async fn list(Ctx(ref app): Ctx) -> Reply {
    let projects = app.aws.list_projects().await?;
    Ok(web::json(200, &json!({ "projects": projects })))
}

/// Change the draft settings (JSON merge patch); the kind cannot change.
///
/// `kind` may be repeated but never changed; `revision`, when given, must be the current one.
#[utoipa::path(patch, path = "/admin/projects/{id}", tag = "projects", params(("id" = String, Path, description = "The project")),
    request_body(content = Object, description = "{settings?: merge patch of the settings, kind?, revision?}"),
    responses((status = 200, description = "The project"), (status = 409, description = "The kind differs, or the revision is not the current one")))]
pub async fn patch(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<Value>) -> Reply {
    let Value::Object(fields) = &body else {
        return Err(Error::bad_request("the body must be a JSON object such as {\"settings\": {…}}").into());
    };
    if let Some(unknown) = fields.keys().find(|k| !["settings", "kind", "revision"].contains(&k.as_str())) {
        return Err(Error::bad_field(unknown.clone(), format!("unknown field `{unknown}`; expected settings, kind or revision")).into());
    }
    let mut p = load(app, id).await?;
    if let Some(kind) = fields.get("kind") {
        let wanted: Kind = serde_json::from_value(kind.clone()).map_err(|e| Error::bad_field("kind", format!("kind: {e}")))?;
        if wanted != p.kind {
            return Err(Error::Conflict(format!(
                "a project's kind is fixed when it is created: this project is {} and stays so; create another project for {}",
                kind_name(p.kind),
                kind_name(wanted)
            ))
            .into());
        }
    }
    let expected = match fields.get("revision") {
        None => p.revision,
        Some(r) => {
            let r = r.as_u64().ok_or_else(|| Error::bad_field("revision", "revision must be a whole number"))?;
            if r != p.revision {
                return Err(Error::Conflict(format!(
                    "the project is at revision {}, not {r}; read it again and repeat the change",
                    p.revision
                ))
                .into());
            }
            r
        }
    };
    if let Some(patch) = fields.get("settings") {
        if patch.get("logo").is_some() {
            return Err(Error::bad_field("settings.logo", "the logo is uploaded with PUT /admin/projects/{id}/logo").into());
        }
        let mut merged = serde_json::to_value(&p.settings).map_err(|e| Error::bad_request(e.to_string()))?;
        merge_patch(&mut merged, patch);
        if let Some(logo) = &p.settings.logo {
            merged["logo"] = serde_json::to_value(logo).map_err(|e| Error::bad_request(e.to_string()))?;
        }
        let text = merged.to_string();
        let settings: Settings = web::parse_json::<Settings>(text.as_bytes()).map_err(|e| match e {
            Error::BadRequest { field: Some(f), message } => {
                Error::BadRequest { field: Some(format!("settings.{f}")), message: format!("settings.{message}") }
            }
            other => other,
        })?;
        let settings = settings.normalise().map_err(setting_error)?;
        pulse_shared::domain::survey::check_edits(p.kind, &settings).map_err(setting_error)?;
        crate::lookup::check_alert_segments(p.kind, &settings)?;
        crate::lookup::check_attribute_lock(app, id, &p.settings.b2b_import.attributes, &settings.b2b_import.attributes).await?;
        if settings.account_id != p.settings.account_id {
            crate::lookup::check_project_account(app, settings.account_id.as_deref()).await?;
        }
        if settings.write_shards < p.settings.write_shards {
            // a report reads the shards the setting names: one written to
            // before must stay among them
            return Err(Error::bad_field(
                "settings.write_shards",
                format!(
                    "settings.write_shards can only grow: the report counters are already spread over {} shards",
                    p.settings.write_shards
                ),
            )
            .into());
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

/// Upload the logo (PNG, JPEG or SVG, at most 1 MB).
///
/// The request body is the image.
#[utoipa::path(put, path = "/admin/projects/{id}/logo", tag = "projects", params(("id" = String, Path, description = "The project")),
    request_body(content = Vec<u8>, content_type = "image/*"),
    responses((status = 200, description = "The project"), (status = 413, description = "The image is larger than 1 MB")))]
pub async fn put_logo(Ctx(ref app): Ctx, Path(ref id): Path<String>, headers: HeaderMap, body: Bytes) -> Reply {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes: &[u8] = body.as_ref();
    // an SVG is stored as written anew from the allowlist, never as sent
    let checked = check_logo(&content_type, bytes).map_err(|e| match e {
        LogoError::TooLarge(size) => Error::PayloadTooLarge { size, limit: pulse_shared::domain::logo::MAX_LOGO_BYTES },
        other => Error::bad_field("logo", other.to_string()),
    })?;
    let mut p = load(app, id).await?;
    let key = format!("logos/{id}/{}.{}", new_id(), checked.ext);
    let size = checked.bytes.len() as u64;
    app.aws.put_object(&key, checked.content_type, checked.bytes).await?;
    let expected = p.revision;
    p.settings.logo = Some(Logo { key, content_type: checked.content_type.to_string(), bytes: size });
    p.revision += 1;
    p.updated_at = clock::now();
    app.aws.update_project(&p, expected).await?;
    Ok(web::json(200, &view(app, &p).await?))
}

/// Freeze the draft as the next survey version.
#[utoipa::path(post, path = "/admin/projects/{id}/publish", tag = "projects", params(("id" = String, Path, description = "The project")),
    responses((status = 201, description = "{version, published_at, survey}"), (status = 409, description = "The project changed meanwhile")))]
pub async fn publish(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
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

/// Close the survey: every link (anonymous and personal) shows a page
/// saying it is closed, and nothing more is stored or charged.
///
/// Closing a closed survey changes nothing and answers the same.
#[utoipa::path(post, path = "/admin/projects/{id}/close", tag = "projects", params(("id" = String, Path, description = "The project")),
    responses((status = 200, description = "The project, `closed: true` with `closed_at`"), (status = 409, description = "The project changed meanwhile")))]
pub async fn close(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let mut p = load(app, id).await?;
    if p.close(&app.clock.now()) {
        store_change(app, &mut p).await?;
        tracing::info!(project_id = %p.id, "survey closed");
    }
    Ok(web::json(200, &view(app, &p).await?))
}

/// Open a closed survey again: its links take answers as before.
///
/// Reopening an open survey changes nothing and answers the same.
#[utoipa::path(post, path = "/admin/projects/{id}/reopen", tag = "projects", params(("id" = String, Path, description = "The project")),
    responses((status = 200, description = "The project, `closed: false`"), (status = 409, description = "The project changed meanwhile")))]
pub async fn reopen(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let mut p = load(app, id).await?;
    if p.reopen() {
        store_change(app, &mut p).await?;
        tracing::info!(project_id = %p.id, "survey reopened");
    }
    Ok(web::json(200, &view(app, &p).await?))
}

/// Stores a change of `p` as its next revision: the submissions' check
/// of the revision makes it count at once, also on warm Lambdas.
async fn store_change(app: &App, p: &mut Project) -> Result<(), Error> {
    let expected = p.revision;
    p.revision += 1;
    p.updated_at = app.clock.now();
    app.aws.update_project(p, expected).await
}

/// Replace the anonymous link with a new one; the old one stops working
/// at once (it answers the not-found page).
///
/// The new link, the project naming it and the old link's deletion are one
/// transaction: the project always has one working anonymous link. A
/// repeated request rotates again.
#[utoipa::path(post, path = "/admin/projects/{id}/anonymous-link", tag = "projects", params(("id" = String, Path, description = "The project")),
    responses((status = 201, description = "{anonymous_link, token}: the new link"), (status = 409, description = "The project changed meanwhile")))]
pub async fn rotate_anonymous_link(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let mut p = load(app, id).await?;
    let now = app.clock.now();
    let (token, link, sealed) = app.mint_anonymous_link(&p.id, &now).await?;
    let old = std::mem::replace(&mut p.anonymous_link, link.id.clone());
    p.anonymous_sealed = sealed;
    let expected = p.revision;
    p.revision += 1;
    p.updated_at = now;
    app.aws.rotate_anonymous_link(&p, expected, &old, &link).await?;
    tracing::info!(project_id = %p.id, "anonymous link rotated");
    Ok(web::json(201, &json!({ "anonymous_link": app.survey_url(&token), "token": token })))
}

/// The survey of a published version, or the draft preview.
#[utoipa::path(get, path = "/admin/projects/{id}/survey", tag = "projects",
    params(("id" = String, Path, description = "The project"), ("version" = Option<String>, Query, description = "A published version's number, or `draft` (the default)")),
    responses((status = 200, description = "The survey definition")))]
pub async fn survey(Ctx(ref app): Ctx, Path(ref id): Path<String>, Query(query): Query) -> Reply {
    let version = query.first("version");
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
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MintLink {
    #[schema(format = "email")]
    email: String,
    first_name: String,
    last_name: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    /// The contact's language (`en`, `de`, …); the page's choice if absent.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    language: Option<Lang>,
}

/// Mint a personal survey link for one contact.
///
/// Distributions do this for every contact; this route serves tests and one-off invitations.
#[utoipa::path(post, path = "/admin/projects/{id}/links", tag = "projects", params(("id" = String, Path, description = "The project")), request_body = MintLink,
    responses((status = 201, description = "{token, url}")))]
pub async fn mint_link(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<MintLink>) -> Reply {
    let p = load(app, id).await?;
    let email = check_contact(&p, &body.email, &body.first_name, &body.last_name, &body.fields)?;
    let kind = LinkKind::Personal {
        contact: ContactSnapshot {
            email,
            first_name: body.first_name.trim().to_string(),
            last_name: body.last_name.trim().to_string(),
            fields: body.fields.into_iter().map(|(k, v)| (k, v.trim().to_string())).collect(),
            language: body.language,
        },
        response_id: new_id(),
        distribution_id: None,
    };
    // the stack's clock: the link expires settings.personal_link_days after it
    let (token, link) = app.mint_link(&p.id, kind, &app.clock.now()).await?;
    app.aws.put_link(&link).await?;
    Ok(web::json(201, &json!({ "token": token, "url": app.survey_url(&token) })))
}

/// How many stored responses one request reads at most while filtering
/// (the answer's `next` continues from there).
const SCAN_PAGES: usize = 20;

/// A page of the project's responses, newest last, optionally filtered.
///
/// Filtering reads at most 2,000 stored responses per request; `next` (when
/// present) continues after the last one read, so a sparse filter may answer
/// a short or empty page with a `next`.
#[utoipa::path(get, path = "/admin/projects/{id}/responses", tag = "projects",
    params(("id" = String, Path, description = "The project"), ("after" = Option<String>, Query, description = "The `next` of the previous page"),
        ("limit" = Option<u32>, Query, description = "At most this many responses (1–200, default 100)"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (UTC)"), ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD"),
        ("channel" = Option<String>, Query, description = "anonymous or personal"), ("band" = Option<String>, Query, description = "promoter, passive or detractor (NPS)"),
        ("follow_up" = Option<String>, Query, description = "yes or no"), ("segment" = Option<String>, Query, description = "Field=value: an operational field or an answer")),
    responses((status = 200, description = "{count, responses, next}")))]
pub async fn responses(Ctx(ref app): Ctx, Path(ref id): Path<String>, Query(query): Query) -> Reply {
    let filter = Filter::parse(|name| query.first(name)).map_err(|e| Error::bad_field(e.field, e.to_string()))?;
    let limit = bounded(query.first("limit"), "limit", 200, 100)? as usize;
    load(app, id).await?;
    let mut after = query.first("after").map(str::to_string);
    let mut out = Vec::new();
    for _ in 0..SCAN_PAGES {
        let (page, next) = app.aws.list_responses(id, after.as_deref(), 100).await?;
        for r in page {
            if out.len() == limit {
                break;
            }
            after = Some(r.response_id.clone());
            if filter.matches(&r) {
                out.push(r);
            }
        }
        if out.len() == limit || next.is_none() {
            // a full page continues after its last response; the end has no next
            if next.is_none() && out.len() < limit {
                after = None;
            }
            break;
        }
        after = next;
    }
    let next = if out.len() == limit { out.last().map(|r| r.response_id.clone()) } else { after };
    let count = app.aws.response_count(id).await?;
    Ok(web::json(200, &json!({ "count": count, "responses": out, "next": next })))
}

/// One response in full.
#[utoipa::path(get, path = "/admin/projects/{id}/responses/{response}", tag = "projects",
    params(("id" = String, Path, description = "The project"), ("response" = String, Path, description = "The response")),
    responses((status = 200, description = "The response")))]
pub async fn response(Ctx(ref app): Ctx, Path((ref id, ref response_id)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    let r = app.aws.get_response(id, response_id).await?.ok_or_else(|| Error::not_found(format!("response {response_id}")))?;
    Ok(web::json(200, &r))
}

/// A whole number query parameter `name` from 1 to `max` (`default` when absent).
fn bounded(value: Option<&str>, name: &str, max: u64, default: u64) -> Result<u64, Error> {
    match value {
        None => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| Error::bad_field(name, format!("{name} {v:?}: expected 1 to {max}"))),
    }
}

/// Submissions refused before anything was stored (no form token, a forged or expired one, too fast, the honeypot, a burst, the daily cap), by day and reason.
#[utoipa::path(get, path = "/admin/projects/{id}/refusals", tag = "projects",
    params(("id" = String, Path, description = "The project"), ("days" = Option<u32>, Query, description = "The last this many days (1–90, default 30)")),
    responses((status = 200, description = "{days: {YYYY-MM-DD: {reason: count}}, total: {reason: count}}")))]
pub async fn refusals(Ctx(ref app): Ctx, Path(ref id): Path<String>, Query(query): Query) -> Reply {
    let days = bounded(query.first("days"), "days", 90, 30)?;
    load(app, id).await?;
    let from = clock::from_ms(app.clock.now_ms().saturating_sub((days - 1) * 86_400_000));
    let by_day = app.aws.refusals(id, &from[..10]).await?;
    let mut total: BTreeMap<&str, u64> = BTreeMap::new();
    for reasons in by_day.values() {
        for (reason, n) in reasons {
            *total.entry(reason.as_str()).or_default() += n;
        }
    }
    Ok(web::json(200, &json!({ "days": by_day, "total": total })))
}
