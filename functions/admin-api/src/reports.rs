//! Report routes: figures straight from the aggregates, and reports (HTML,
//! CSV, JSON in S3) asked for on demand and made by `generate-report`.

use axum::body::Bytes;
use pulse_shared::domain::jobs::ReportJob;
use pulse_shared::domain::links::new_id;
use pulse_shared::domain::project::Project;
use pulse_shared::domain::report::{
    day_text, dimensions, parse_day, resolve_segments, Period, Request as ReportRequest, DEFAULT_RANGE_DAYS,
};
use pulse_shared::domain::survey::Definition;
#[allow(unused_imports)]
use pulse_shared::ports::*;
use pulse_shared::store::reports::ReportRecord;
use pulse_shared::{http as web, App, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use time::Duration;
use utoipa::ToSchema;

use crate::lookup::load;
use crate::routing::{checked, Ctx, Path, Query, Reply};

/// What a report covers, as asked for (body of `POST …/reports`, or the
/// query of `GET …/figures`). Defaults: the last 28 days up to today, by
/// day, broken down by every operational field and "about you" question.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ask {
    /// The first day (YYYY-MM-DD).
    #[serde(default)]
    from: Option<String>,
    /// The last day (YYYY-MM-DD); today if absent.
    #[serde(default)]
    to: Option<String>,
    /// day, week or month.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    period: Option<Period>,
    /// Operational fields and "about you" questions to break down by.
    #[serde(default)]
    segments: Option<Vec<String>>,
    /// Only the responses whose `segment` (a field or question) has `value`.
    #[serde(default)]
    segment: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

fn request_from(app: &App, p: &Project, def: &Definition, ask: Ask) -> Result<ReportRequest, Error> {
    let today = pulse_shared::domain::report::day_of(&app.clock.now()).ok_or_else(|| Error::bad_request("the clock cannot be read"))?;
    let day = |field: &str, v: Option<String>, default: time::Date| match v {
        None => Ok(default),
        Some(t) => parse_day(&t).ok_or_else(|| Error::bad_field(field, format!("{field}: {t:?} is not a day (YYYY-MM-DD)"))),
    };
    let to = day("to", ask.to, today)?;
    let from = day("from", ask.from, to - Duration::days(DEFAULT_RANGE_DAYS - 1))?;
    let segments = match ask.segments {
        None => dimensions(def, &p.settings.operational_fields),
        Some(names) => resolve_segments(&names, def, &p.settings.operational_fields)
            .map_err(|m| Error::bad_field("segments", format!("segments: {m}")))?,
    };
    let filter = match (ask.segment, ask.value) {
        (None, None) => None,
        (Some(name), Some(value)) => {
            let dimension = resolve_segments(std::slice::from_ref(&name), def, &p.settings.operational_fields)
                .map_err(|m| Error::bad_field("segment", format!("segment: {m}")))?
                .pop()
                .ok_or_else(|| Error::bad_field("segment", format!("segment: no segment named {name:?}")))?;
            Some(pulse_shared::domain::report::Filter { dimension, value })
        }
        (Some(_), None) => return Err(Error::bad_field("value", "value: a segment filter needs the value to keep")),
        (None, Some(_)) => return Err(Error::bad_field("segment", "segment: a value needs the segment it belongs to")),
    };
    let request = ReportRequest {
        from: day_text(from),
        to: day_text(to),
        period: ask.period.unwrap_or_default(),
        segments,
        min_responses: p.settings.min_responses.into(),
        filter,
    };
    request.range().map_err(|m| Error::bad_field(m.split(':').next().unwrap_or("request").to_string(), m.clone()))?;
    Ok(request)
}

fn view(r: &ReportRecord, links: Value) -> Value {
    json!({
        "id": r.report_id,
        "project_id": r.project_id,
        "source": r.source,
        "state": r.state,
        "from": r.request.from,
        "to": r.request.to,
        "period": r.request.period,
        "segments": r.request.segments.iter().map(|d| d.name()).collect::<Vec<_>>(),
        "responses": r.responses,
        "created_at": r.created_at,
        "finished_at": r.finished_at,
        "error": r.error,
        "links": links,
    })
}

/// The report's figures (NPS/CSAT/CES with margins, change vs the previous range, trend, distributions, areas, segments, open texts) computed from the aggregates.
#[utoipa::path(get, path = "/admin/projects/{id}/figures", tag = "reports",
    params(("id" = String, Path, description = "The project"), ("from" = Option<String>, Query, description = "The first day (YYYY-MM-DD)"),
        ("to" = Option<String>, Query, description = "The last day (YYYY-MM-DD)"), ("period" = Option<String>, Query, description = "day, week or month"),
        ("segments" = Option<String>, Query, description = "Comma-separated fields to break down by"),
        ("segment" = Option<String>, Query, description = "Only responses of this segment (field or question)…"),
        ("value" = Option<String>, Query, description = "…with this value")),
    responses((status = 200, description = "The figures")))]
pub async fn figures(Ctx(ref app): Ctx, Path(ref id): Path<String>, Query(ref query): Query) -> Reply {
    let p = load(app, id).await?;
    let def = app.aws.report_definition(&p).await?;
    let period = match query.first("period") {
        None => None,
        Some(t) => Some(
            serde_json::from_value::<Period>(json!(t))
                .map_err(|_| Error::bad_field("period", format!("period: {t:?} is not one of day, week, month")))?,
        ),
    };
    let ask = Ask {
        from: query.first("from").map(str::to_string),
        to: query.first("to").map(str::to_string),
        period,
        segments: query.first("segments").map(|s| s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()),
        segment: query.first("segment").map(str::to_string),
        value: query.first("value").map(str::to_string),
    };
    let request = request_from(app, &p, &def, ask)?;
    let f = app.aws.report_figures(&p, &def, &request, &app.clock.now()).await?;
    Ok(web::json(200, &f))
}

/// Ask for a report (HTML dashboard, raw-responses CSV, figures JSON); generate-report makes it.
///
/// Stores a pending report and queues it; an empty body asks for the defaults.
#[utoipa::path(post, path = "/admin/projects/{id}/reports", tag = "reports", params(("id" = String, Path, description = "The project")), request_body(content = Option<Ask>),
    responses((status = 202, description = "The report, pending")))]
pub async fn create(Ctx(ref app): Ctx, Path(ref id): Path<String>, body: Bytes) -> Reply {
    let p = load(app, id).await?;
    let ask: Ask = if checked(&body)?.is_empty() { Ask::default() } else { web::parse_json(checked(&body)?)? };
    let def = app.aws.report_definition(&p).await?;
    let request = request_from(app, &p, &def, ask)?;
    let now = app.clock.now();
    // Time first, so that ids sort by creation.
    let report_id = format!("{}-{}", now.replace([':', '.', '-'], ""), &new_id()[..8]);
    let record = ReportRecord::new(&p.id, report_id, "on_demand", request, now);
    app.aws.create_report(&record).await?;
    // its first share link, shown this once (only its keyed hash is kept)
    let (share, link) = app.share_report(&record, "on_demand").await?;
    app.aws.enqueue(&ReportJob { project_id: p.id.clone(), report_id: record.report_id.clone() }).await?;
    let mut out = view(&record, Value::Null);
    out["share"] = json!(share);
    out["share_link"] = json!(link);
    Ok(web::json(202, &out))
}

async fn report_of(app: &App, id: &str, report_id: &str) -> Result<ReportRecord, Error> {
    load(app, id).await?;
    app.aws.get_report(id, report_id).await?.ok_or_else(|| Error::not_found(format!("report {report_id} of project {id}")))
}

/// Body of `POST …/reports/{report}/shares`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewShare {
    /// Who the link is for, in the operator's words (up to 100 characters).
    #[serde(default)]
    label: Option<String>,
}

/// A new share link of a report: no sign-in needed for 90 days. Its URL is shown only in this answer.
#[utoipa::path(post, path = "/admin/projects/{id}/reports/{report}/shares", tag = "reports", params(("id" = String, Path, description = "The project"), ("report" = String, Path, description = "The report")),
    request_body(content = Option<NewShare>), responses((status = 201, description = "{share, link}")))]
pub async fn create_share(Ctx(ref app): Ctx, Path((ref id, ref report_id)): Path<(String, String)>, body: Bytes) -> Reply {
    let r = report_of(app, id, report_id).await?;
    let ask: NewShare = if checked(&body)?.is_empty() { NewShare::default() } else { web::parse_json(checked(&body)?)? };
    let label = ask.label.unwrap_or_else(|| "shared".into());
    if label.trim().is_empty() || label.chars().count() > 100 {
        return Err(Error::bad_field("label", "label must be 1 to 100 characters").into());
    }
    let (share, link) = app.share_report(&r, label.trim()).await?;
    Ok(web::json(201, &json!({ "share": share, "link": link })))
}

/// A report's share links (ids, labels, when made, when they expire); the URLs themselves are not kept.
#[utoipa::path(get, path = "/admin/projects/{id}/reports/{report}/shares", tag = "reports", params(("id" = String, Path, description = "The project"), ("report" = String, Path, description = "The report")),
    responses((status = 200, description = "{shares}")))]
pub async fn shares(Ctx(ref app): Ctx, Path((ref id, ref report_id)): Path<(String, String)>) -> Reply {
    report_of(app, id, report_id).await?;
    Ok(web::json(200, &json!({ "shares": app.aws.report_shares(id, report_id).await? })))
}

/// Revokes a share link at once; revoking it again is harmless.
#[utoipa::path(delete, path = "/admin/projects/{id}/reports/{report}/shares/{link}", tag = "reports",
    params(("id" = String, Path, description = "The project"), ("report" = String, Path, description = "The report"), ("link" = String, Path, description = "The link's id")),
    responses((status = 200, description = "{revoked}")))]
pub async fn revoke_share(Ctx(ref app): Ctx, Path((ref id, ref report_id, ref link_id)): Path<(String, String, String)>) -> Reply {
    report_of(app, id, report_id).await?;
    let revoked = app.aws.revoke_share(id, report_id, link_id).await?;
    Ok(web::json(200, &json!({ "revoked": revoked })))
}

/// Deletes a report: its files (every stored version), its record and every share link of it.
#[utoipa::path(delete, path = "/admin/projects/{id}/reports/{report}", tag = "reports", params(("id" = String, Path, description = "The project"), ("report" = String, Path, description = "The report")),
    responses((status = 200, description = "{deleted}")))]
pub async fn delete(Ctx(ref app): Ctx, Path((ref id, ref report_id)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    let Some(r) = app.aws.get_report(id, report_id).await? else {
        // deleting twice is harmless
        return Ok(web::json(200, &json!({ "deleted": false })));
    };
    // the files first: a retry after a failure finds the record and goes on
    for file in ["report.html", "report.csv", "report.json"] {
        app.aws.delete_object(&r.key(file)).await?;
    }
    let deleted = app.aws.delete_report(id, report_id).await?;
    Ok(web::json(200, &json!({ "deleted": deleted })))
}

/// The project's reports, newest first.
#[utoipa::path(get, path = "/admin/projects/{id}/reports", tag = "reports", params(("id" = String, Path, description = "The project")), responses((status = 200, description = "{reports}")))]
pub async fn list(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    let mut out = Vec::new();
    for r in app.aws.list_reports(id).await? {
        let links = app.aws.report_links(&r).await?;
        out.push(view(&r, links));
    }
    Ok(web::json(200, &json!({ "reports": out })))
}

/// A report's state and, when done, its links.
///
/// The links lead to its HTML, CSV and JSON.
#[utoipa::path(get, path = "/admin/projects/{id}/reports/{report}", tag = "reports", params(("id" = String, Path, description = "The project"), ("report" = String, Path, description = "The report")),
    responses((status = 200, description = "The report")))]
pub async fn get(Ctx(ref app): Ctx, Path((ref id, ref report_id)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    let r = app.aws.get_report(id, report_id).await?.ok_or_else(|| Error::not_found(format!("report {report_id} of project {id}")))?;
    let links = app.aws.report_links(&r).await?;
    Ok(web::json(200, &view(&r, links)))
}
