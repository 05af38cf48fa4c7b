//! Contact routes: upload URLs and import progress, mailing lists, contacts,
//! suppressions and GDPR erasure.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::time::Duration;

use pulse_shared::domain::erasure::JobRecord;
use pulse_shared::domain::guard::{subject_hash, SUBJECT_KEY};
use pulse_shared::domain::imports::{check_file_name, list_name_for, ImportState};
use pulse_shared::domain::jobs::{ImportJob, SliceJob};
use pulse_shared::domain::links::new_id;
use pulse_shared::domain::mail::{normalise_email, parse_email};
use pulse_shared::domain::upload::{UploadRef, MAX_UPLOAD_BYTES};
use pulse_shared::store::contacts::ImportRecord;
use pulse_shared::{clock, http as web, App, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::lookup::load;
use crate::routing::{Ctx, Json, Path, Query, Reply};

/// How long an upload URL and a report link stay valid.
const LINK_LIFETIME: Duration = Duration::from_secs(3600);

/// Body of `POST /admin/projects/{id}/uploads`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewUpload {
    file_name: String,
    /// The mailing list's name (default: the file name without extension).
    #[serde(default)]
    list_name: Option<String>,
    /// The file's size in bytes, if known: a file over the limit is refused now.
    #[serde(default)]
    size: Option<u64>,
    /// A B2B file: `accounts`, `contacts` or `team_members` (none: a contact list).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    b2b: Option<pulse_shared::domain::b2b::B2bKind>,
}

/// The content type an upload must be sent with, from its file name.
fn content_type(file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".tsv") || lower.ends_with(".tab") {
        "text/tab-separated-values"
    } else {
        "text/csv"
    }
}

/// Hand out a presigned S3 PUT URL for a contact file (CSV or TSV, at most 100 MB); its upload starts the import.
#[utoipa::path(post, path = "/admin/projects/{id}/uploads", tag = "contacts", params(("id" = String, Path, description = "The project")), request_body = NewUpload,
    responses((status = 201, description = "{upload_id, list_id, list_name, key, upload: {method, url, headers, expires_in_seconds}, status, max_bytes}")))]
pub async fn create_upload(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<NewUpload>) -> Reply {
    let project = load(app, id).await?;
    let file_name = check_file_name(&body.file_name).map_err(|m| Error::bad_field("file_name", m))?;
    if let Some(size) = body.size.filter(|s| *s > MAX_UPLOAD_BYTES) {
        return Err(Error::bad_field("size", pulse_shared::domain::imports::too_large(&file_name, size, MAX_UPLOAD_BYTES)).into());
    }
    let list_name = match body.list_name.as_deref().map(str::trim) {
        Some("") => return Err(Error::bad_field("list_name", "the list name must not be empty").into()),
        Some(n) if n.chars().count() > 200 => {
            return Err(Error::bad_field("list_name", "the list name is longer than 200 characters").into())
        }
        Some(n) => n.to_string(),
        None => list_name_for(&file_name),
    };
    let upload_id = new_id();
    let key = UploadRef::key_for(&project.id, &upload_id, &file_name);
    let upload = UploadRef { key: key.clone(), project_id: project.id.clone(), upload_id: upload_id.clone(), file_name };
    let mut record = ImportRecord::new(&upload, list_name, &clock::now());
    record.b2b = body.b2b;
    if !app.aws.create_import(&record).await? {
        return Err(Error::Conflict(format!("upload {upload_id} exists already; try again")).into());
    }
    let ct = content_type(&upload.file_name);
    let url = app.aws.presigned_put(&key, ct, LINK_LIFETIME).await?;
    tracing::info!(project_id = %project.id, %upload_id, "upload URL handed out");
    Ok(web::json(
        201,
        &json!({
            "upload_id": upload_id,
            "list_id": record.list_id,
            "list_name": record.list_name,
            "key": key,
            "upload": { "method": "PUT", "url": url, "headers": { "Content-Type": ct }, "expires_in_seconds": LINK_LIFETIME.as_secs() },
            "status": format!("/admin/projects/{}/uploads/{upload_id}", project.id),
            "max_bytes": MAX_UPLOAD_BYTES,
        }),
    ))
}

async fn upload_view(app: &App, r: &ImportRecord) -> Result<Value, Error> {
    let link = |key: &Option<String>| {
        let key = key.clone();
        async move {
            match key {
                Some(k) => app.aws.presigned_get(&k, LINK_LIFETIME).await.map(Some),
                None => Ok(None),
            }
        }
    };
    let progress = match r.state {
        ImportState::Done => Some(1.0),
        ImportState::Running if r.counts.accepted > 0 => Some((r.written as f64 / r.counts.accepted as f64).min(1.0)),
        ImportState::Validating => r.size.filter(|&size| size > 0).map(|size| (r.validated_bytes as f64 / size as f64).min(1.0)),
        _ => None,
    };
    Ok(json!({
        "upload_id": r.upload_id,
        "file_name": r.file_name,
        "b2b": r.b2b,
        "list_id": r.list_id,
        "list_name": r.list_name,
        "state": r.state,
        "size": r.size,
        "format": r.format,
        "encoding": r.encoding,
        "counts": r.counts,
        "contacts": if r.state == ImportState::Done { r.counts.contacts() } else { 0 },
        "written": r.written,
        "validated_rows": r.validated_rows,
        "validated_bytes": r.validated_bytes,
        "checkpoint_line": r.checkpoint_line,
        "progress": progress,
        "warnings": r.warnings,
        "first_rejections": r.first_rejections,
        "error": r.error,
        "header_problem": r.header_problem,
        "file_problem": r.file_problem,
        "invocations": r.invocations,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "finished_at": r.finished_at,
        "replaced_at": r.replaced_at,
        "report": {
            "summary_url": link(&r.summary_key).await?,
            "rejected_rows_url": link(&r.rejected_key).await?,
        },
    }))
}

/// The project's imports, oldest first.
#[utoipa::path(get, path = "/admin/projects/{id}/uploads", tag = "contacts", params(("id" = String, Path, description = "The project")), responses((status = 200, description = "{uploads}")))]
pub async fn list_uploads(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    let mut uploads = Vec::new();
    for r in app.aws.list_imports(id).await? {
        uploads.push(upload_view(app, &r).await?);
    }
    Ok(web::json(200, &json!({ "uploads": uploads })))
}

async fn load_upload(app: &App, id: &str, upload_id: &str) -> Result<ImportRecord, Error> {
    load(app, id).await?;
    app.aws.get_import(id, upload_id).await?.ok_or_else(|| Error::not_found(format!("upload {upload_id} of project {id}")))
}

/// One import: state and counts while it runs; report links (summary JSON, rejected rows CSV) once ended.
#[utoipa::path(get, path = "/admin/projects/{id}/uploads/{upload}", tag = "contacts", params(("id" = String, Path, description = "The project"), ("upload" = String, Path, description = "The upload")), responses((status = 200, description = "The import")))]
pub async fn get_upload(Ctx(ref app): Ctx, Path((ref id, ref upload_id)): Path<(String, String)>) -> Reply {
    let r = load_upload(app, id, upload_id).await?;
    Ok(web::json(200, &upload_view(app, &r).await?))
}

/// Body of `POST /admin/projects/{id}/uploads/{upload}/form`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewForm {
    /// Where S3 sends the browser after the upload (an absolute http(s)
    /// URL); none: S3 answers 201, for a script's upload.
    #[serde(default)]
    redirect: Option<String>,
}

/// A browser form that uploads the file straight to S3 (POST Object with a signed policy, valid one hour): post `fields` and then the file as `file` to `url`.
#[utoipa::path(post, path = "/admin/projects/{id}/uploads/{upload}/form", tag = "contacts", params(("id" = String, Path, description = "The project"), ("upload" = String, Path, description = "The upload")),
    request_body = NewForm,
    responses((status = 200, description = "{method, url, fields, file_field, max_bytes, expires_in_seconds}"), (status = 409, description = "The upload has its file already")))]
pub async fn upload_form(Ctx(ref app): Ctx, Path((ref id, ref upload_id)): Path<(String, String)>, Json(body): Json<NewForm>) -> Reply {
    let r = load_upload(app, id, upload_id).await?;
    if r.state != ImportState::AwaitingUpload {
        return Err(Error::Conflict(format!("upload {upload_id} has its file already ({}); start a new upload", r.state.as_str())).into());
    }
    let redirect = body.redirect.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = redirect {
        let ok = (r.starts_with("https://") || r.starts_with("http://")) && r.len() <= 2000 && !r.chars().any(char::is_whitespace);
        if !ok {
            return Err(Error::bad_field("redirect", "the redirect must be an absolute http(s) URL without spaces").into());
        }
    }
    let form = app.aws.presigned_post(&r.key, MAX_UPLOAD_BYTES, redirect, LINK_LIFETIME).await?;
    let fields: serde_json::Map<String, Value> = form.fields.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
    Ok(web::json(
        200,
        &json!({
            "method": "POST",
            "url": form.url,
            "fields": fields,
            "file_field": "file",
            "max_bytes": MAX_UPLOAD_BYTES,
            "expires_in_seconds": LINK_LIFETIME.as_secs(),
        }),
    ))
}

/// Queue an interrupted import again; it resumes from its checkpoint.
#[utoipa::path(post, path = "/admin/projects/{id}/uploads/{upload}/retry", tag = "contacts", params(("id" = String, Path, description = "The project"), ("upload" = String, Path, description = "The upload")),
    responses((status = 202, description = "{queued, message_id, resumes_after_line}"), (status = 409, description = "No file yet, or the import has ended")))]
pub async fn retry_upload(Ctx(ref app): Ctx, Path((ref id, ref upload_id)): Path<(String, String)>) -> Reply {
    let r = load_upload(app, id, upload_id).await?;
    match r.state {
        ImportState::AwaitingUpload => {
            Err(Error::Conflict(format!("upload {upload_id} has no file yet; PUT it to the upload URL first")).into())
        }
        s if s.is_final() => {
            Err(Error::Conflict(format!("the import of upload {upload_id} has ended ({}); nothing to retry", s.as_str())).into())
        }
        _ => {
            let message_id = app.aws.enqueue(&ImportJob { bucket: app.config.data_bucket.clone(), key: r.key.clone() }).await?;
            Ok(web::json(202, &json!({ "queued": true, "message_id": message_id, "resumes_after_line": r.checkpoint_line })))
        }
    }
}

/// The project's mailing lists (one per upload).
#[utoipa::path(get, path = "/admin/projects/{id}/lists", tag = "contacts", params(("id" = String, Path, description = "The project")), responses((status = 200, description = "{lists}")))]
pub async fn lists(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    let lists = app.aws.list_lists(id).await?;
    Ok(web::json(200, &json!({ "lists": lists })))
}

/// A page (500) of a list's members.
#[utoipa::path(get, path = "/admin/projects/{id}/lists/{list}/contacts", tag = "contacts",
    params(("id" = String, Path, description = "The project"), ("list" = String, Path, description = "The mailing list"), ("after" = Option<String>, Query, description = "The `next` of the previous page")),
    responses((status = 200, description = "{list, contacts, next}")))]
pub async fn members(Ctx(ref app): Ctx, Path((ref id, ref list_id)): Path<(String, String)>, Query(query): Query) -> Reply {
    let after = query.first("after");
    load(app, id).await?;
    let list = app.aws.get_list(id, list_id).await?.ok_or_else(|| Error::not_found(format!("list {list_id} of project {id}")))?;
    let (contacts, next) = app.aws.list_members(&list.list_id, after, 500).await?;
    Ok(web::json(200, &json!({ "list": list, "contacts": contacts, "next": next })))
}

fn email_key(raw: &str) -> Result<String, Error> {
    parse_email(raw).map(|e| normalise_email(&e)).map_err(|e| Error::bad_field("email", e.to_string()))
}

/// A contact: its fields, the lists it is on, its invitations with what became of them, its responses through its personal links, and whether it is suppressed.
#[utoipa::path(get, path = "/admin/projects/{id}/contacts/{email}", tag = "contacts", params(("id" = String, Path, description = "The project"), ("email" = String, Path, description = "The contact's address (percent-encoded)")),
    responses((status = 200, description = "{contact, lists, invitations, responses, suppressed, suppression}")))]
pub async fn get_contact(Ctx(ref app): Ctx, Path((ref id, ref email)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    let key = email_key(email)?;
    let contact = app.aws.get_contact(id, &key).await?;
    let suppression = app.aws.get_suppression(id, &key).await?;
    if contact.is_none() && suppression.is_none() {
        return Err(Error::not_found(format!("contact {key} of project {id}")).into());
    }
    let all_lists = app.aws.list_lists(id).await?;
    let ids: Vec<String> = all_lists.iter().map(|l| l.list_id.clone()).collect();
    let on = app.aws.lists_of(&key, &ids).await?;
    let lists: Vec<Value> =
        all_lists.iter().filter(|l| on.contains(&l.list_id)).map(|l| json!({ "list_id": l.list_id, "name": l.name })).collect();
    let distributions = app.aws.list_distributions(id).await?;
    let ids: Vec<String> = distributions.iter().map(|d| d.id.clone()).collect();
    let invitations: Vec<Value> = app
        .aws
        .invites_of(&key, &ids)
        .await?
        .into_iter()
        .map(|(d, i)| {
            let created = distributions.iter().find(|x| x.id == d).map(|x| x.created_at.clone());
            json!({ "distribution_id": d, "distribution_created_at": created, "state": i.state, "skip": i.skip,
                "reason": i.reason, "at": i.at, "reminder": i.reminder })
        })
        .collect();
    // answered personal links: one response each (a reminder's link leads to the same one)
    let mut responses: Vec<Value> = Vec::new();
    for (link, answered_at) in app.aws.links_of(id, &key).await? {
        let (Some(at), pulse_shared::domain::links::LinkKind::Personal { response_id, distribution_id, .. }) = (answered_at, &link.kind)
        else {
            continue;
        };
        if responses.iter().all(|r| r["response_id"] != response_id.as_str()) {
            responses.push(json!({ "response_id": response_id, "submitted_at": at, "distribution_id": distribution_id }));
        }
    }
    Ok(web::json(
        200,
        &json!({ "contact": contact, "lists": lists, "invitations": invitations, "responses": responses,
            "suppressed": suppression.is_some(), "suppression": suppression }),
    ))
}

/// GDPR erasure of a person: at once, the directory (contact, list memberships, personal links, B2B records, invitation records, a triggered send's snapshot; a suppression is kept as a keyed hash); then, as a job in slices, their responses (scores kept), the stored reports (rebuilt without them) and the contact files that hold them. Answers 202 with the job; an address that is nowhere is not an error.
#[utoipa::path(delete, path = "/admin/projects/{id}/contacts/{email}", tag = "contacts", params(("id" = String, Path, description = "The project"), ("email" = String, Path, description = "The contact's address (percent-encoded)")),
    responses((status = 202, description = "{erased, job, status_url}")))]
pub async fn erase_contact(Ctx(ref app): Ctx, Path((ref id, ref email)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    let key = email_key(email)?;
    let subject = subject_hash(app.aws.secret(SUBJECT_KEY).await?.as_slice(), &key);
    let now = app.clock.now();
    let erased = app.aws.erase_directory(id, &key, &subject, &now).await?;
    let job = JobRecord::erasure(id, &new_id(), &subject, &erased, &now);
    app.aws.create_job(&job).await?;
    app.aws.enqueue(&SliceJob { project_id: id.clone(), job_id: job.job_id.clone() }).await?;
    tracing::info!(project_id = id, job_id = %job.job_id, contact = erased.contact, "erasure started");
    let status_url = format!("/admin/projects/{id}/jobs/{}", job.job_id);
    Ok(web::json(202, &json!({ "erased": erased, "job": job, "status_url": status_url })))
}

/// The project's long jobs (erasures, its deletion), newest first: what each removed where.
#[utoipa::path(get, path = "/admin/projects/{id}/jobs", tag = "contacts", params(("id" = String, Path, description = "The project")), responses((status = 200, description = "{jobs}")))]
pub async fn jobs(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    // no project needed: a deleted project's deletion job stays readable
    Ok(web::json(200, &json!({ "jobs": app.aws.list_jobs(id).await? })))
}

/// One job: its phase, its place and what it removed where.
#[utoipa::path(get, path = "/admin/projects/{id}/jobs/{job}", tag = "contacts", params(("id" = String, Path, description = "The project"), ("job" = String, Path, description = "The job")),
    responses((status = 200, description = "{job}"), (status = 404, description = "No such job")))]
pub async fn job(Ctx(ref app): Ctx, Path((ref id, ref job_id)): Path<(String, String)>) -> Reply {
    // no project needed: a deleted project's deletion job stays readable
    let job = app.aws.get_job(id, job_id).await?.ok_or_else(|| Error::not_found(format!("job {job_id} of project {id}")))?;
    Ok(web::json(200, &json!({ "job": job })))
}

/// The project's suppressed addresses.
#[utoipa::path(get, path = "/admin/projects/{id}/suppressions", tag = "contacts", params(("id" = String, Path, description = "The project")), responses((status = 200, description = "{suppressions}")))]
pub async fn suppressions(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    Ok(web::json(200, &json!({ "suppressions": app.aws.list_suppressions(id).await? })))
}

/// Body of `POST /admin/projects/{id}/suppressions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSuppression {
    #[schema(format = "email")]
    email: String,
    /// manual (the default), unsubscribed, bounced or complained.
    #[serde(default)]
    reason: Option<String>,
}

const REASONS: [&str; 4] = ["manual", "unsubscribed", "bounced", "complained"];

/// Suppress an address for the project (no imports lift it).
#[utoipa::path(post, path = "/admin/projects/{id}/suppressions", tag = "contacts", params(("id" = String, Path, description = "The project")), request_body = NewSuppression,
    responses((status = 201, description = "{suppression}")))]
pub async fn suppress(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<NewSuppression>) -> Reply {
    load(app, id).await?;
    let key = email_key(&body.email)?;
    let reason = body.reason.unwrap_or_else(|| "manual".into());
    if !REASONS.contains(&reason.as_str()) {
        return Err(Error::bad_field("reason", format!("reason must be one of {}", REASONS.join(", "))).into());
    }
    let s = app.aws.suppress(id, &key, &reason, &clock::now()).await?;
    Ok(web::json(201, &json!({ "suppression": s })))
}

/// Lift a suppression that was added by hand (admins). An unsubscribe, a
/// bounce or a complaint is never lifted by hand: the person asked, or
/// their mailbox refused, and mailing them again would harm the sender.
#[utoipa::path(delete, path = "/admin/projects/{id}/suppressions/{email}", tag = "contacts",
    params(("id" = String, Path, description = "The project"), ("email" = String, Path, description = "The address (percent-encoded)")),
    responses((status = 200, description = "{lifted}"), (status = 409, description = "The suppression was not added by hand")))]
pub async fn lift(Ctx(ref app): Ctx, Path((ref id, ref email)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    let key = email_key(email)?;
    match app.aws.get_suppression(id, &key).await? {
        None => Ok(web::json(200, &json!({ "lifted": false }))),
        Some(s) if s.reason == "manual" => {
            app.aws.lift_suppression(id, &key, "manual").await?;
            tracing::info!(project_id = id, "suppression added by hand lifted");
            Ok(web::json(200, &json!({ "lifted": true })))
        }
        Some(s) => Err(Error::Conflict(format!(
            "this address is suppressed because it was {}; only suppressions added by hand can be lifted",
            s.reason
        ))
        .into()),
    }
}
