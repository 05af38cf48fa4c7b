//! Help and status routes: the stack's status, the first pulse's checklist
//! read from the stack's state, and the support bundle (admins) to attach
//! to a bug report.

use pulse_shared::domain::help::{checklist, withhold_secrets, Progress, ERRORS_SHOWN};
use pulse_shared::domain::imports::ImportState;
use pulse_shared::domain::report::record::ReportState;
#[allow(unused_imports)]
use pulse_shared::ports::*;
use pulse_shared::{http as web, App, Error};
use serde::Serialize;
use serde_json::json;

use crate::routing::{Ctx, Reply};

/// How many projects (newest first) the checklist looks into for a
/// finished upload, a send and a report.
const PROJECTS_LOOKED_AT: usize = 100;

/// The version of this deployment: the crates' version and the build's
/// identifier (its commit, or `PULSE_BUILD_ID`), when the build had one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Version {
    pub(crate) version: &'static str,
    pub(crate) build: Option<&'static str>,
}

pub(crate) const VERSION: Version = Version { version: env!("CARGO_PKG_VERSION"), build: option_env!("PULSE_BUILD_ID") };

/// The stack's status.
#[utoipa::path(get, path = "/admin/status", tag = "meta", responses(
    (status = 200, description = "{version, checks, dead_letters, ses, schedules}: every table, the bucket and each queue answering, \
                                  the messages waiting on each dead-letter queue, SES's sandbox and quota against the configured rate, the schedules"),
))]
pub(crate) async fn status(Ctx(ref app): Ctx) -> Reply {
    let status = app.aws.status().await;
    let mut body = serde_json::to_value(&status).map_err(|e| Error::Aws { operation: "status", source: e.into() })?;
    body["version"] = json!(VERSION);
    Ok(web::json(200, &body))
}

/// What the stack holds towards a first pulse (read fresh, never stored).
async fn progress(app: &App) -> pulse_shared::Result<Progress> {
    let ses = app.aws.status().await.ses;
    let mut projects = app.aws.list_projects().await?;
    projects.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let mut p = Progress {
        sender_verified: ses.sender_verified,
        production_access: ses.account.map(|a| a.production_access),
        project: projects.first().map(|p| p.id.clone()),
        ..Default::default()
    };
    for project in projects.iter().take(PROJECTS_LOOKED_AT) {
        if p.uploaded.is_none() && app.aws.list_imports(&project.id).await?.iter().any(|i| i.state == ImportState::Done) {
            p.uploaded = Some(project.id.clone());
        }
        if p.sent.is_none() && app.aws.list_distributions(&project.id).await?.iter().any(|d| d.counts.sent > 0) {
            p.sent = Some(project.id.clone());
        }
        if !p.report_generated && app.aws.list_reports(&project.id).await?.iter().any(|r| r.state == ReportState::Done) {
            p.report_generated = true;
        }
        if p.uploaded.is_some() && p.sent.is_some() && p.report_generated {
            break;
        }
    }
    Ok(p)
}

/// The first pulse's checklist.
#[utoipa::path(get, path = "/admin/checklist", tag = "meta", responses(
    (status = 200, description = "{items: [{step, done, next}], progress}: each step of a first pulse done or not (null: SES did not say), \
                                  with the console page that does an open one"),
))]
pub(crate) async fn get_checklist(Ctx(ref app): Ctx) -> Reply {
    let p = progress(app).await?;
    Ok(web::json(200, &json!({ "items": checklist(&p), "progress": p })))
}

/// A support bundle to attach to a bug report.
#[utoipa::path(get, path = "/admin/support-bundle", tag = "meta", responses(
    (status = 200, description = "{version, generated_at, configuration: {values, withheld}, status, last_errors}: the configuration without \
                                  its secrets (the names withheld are listed), the status checks and the last 5xx errors with their request ids"),
))]
pub(crate) async fn support_bundle(Ctx(ref app): Ctx) -> Reply {
    let status = app.aws.status().await;
    let errors = app.aws.last_errors(ERRORS_SHOWN).await?;
    let configuration = withhold_secrets(app.config.described());
    let body = json!({
        "version": VERSION,
        "generated_at": app.clock.now(),
        "configuration": configuration,
        "status": status,
        "last_errors": errors,
    });
    // no address leaves in it (the sender's, one in an SES answer): each masked
    let text = pulse_shared::domain::mail::mask_addresses(&body.to_string());
    Ok(lambda_http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(lambda_http::Body::Text(text))
        .unwrap_or_default())
}
