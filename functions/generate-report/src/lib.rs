//! `generate-report`: builds a project's report from its aggregates and
//! writes it to S3 as HTML (the dashboard), CSV (the raw responses) and
//! JSON (the figures).
//!
//! * **On demand**: the admin API stores a pending report record and queues
//!   a [`ReportJob`]; this function takes it from the report queue (SQS,
//!   failures reported per message).
//! * **On schedule**: a daily EventBridge rule fans out: each project whose
//!   schedule is due today (daily; weekly on Mondays; monthly on the 1st)
//!   gets the record of the period just ended, under an id made of the
//!   schedule and the period (a repeated run finds it and does not make a
//!   second), and one message on the report queue; that message makes the
//!   report and emails each subscriber its link once (the notification
//!   ledger). One project's failure is its own message's, retried and
//!   dead-lettered alone.
//!
//! The HTML and JSON read only aggregate buckets (days × segment values);
//! the CSV pages through the project's responses into a temporary file and
//! streams it to S3, so memory stays flat.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::io::Write;

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::LambdaEvent;
use pulse_shared::domain::jobs::{ReportJob, ReportQueueMessage};

pub mod jobs;
use pulse_shared::domain::mail::normalise_email;
use pulse_shared::domain::project::Project;
use pulse_shared::domain::report::{self, day_of, day_text, dimensions, Request};
use pulse_shared::domain::survey::Definition;
use pulse_shared::render::mail::{report_ready, ReportReady};
use pulse_shared::store::reports::{ReportRecord, ReportState};
use pulse_shared::{App, Error};
use serde_json::{json, Value};

/// The Lambda handler: an SQS batch of report jobs, or the daily schedule.
pub async fn handle<
    S: Reports + Projects + Files + Responses + Notifications + Queue + Jobs + Guard + Imports + Directory + Distributions + Secrets,
>(
    app: &App<S>,
    event: LambdaEvent<Value>,
) -> Result<Value, Error> {
    let deadline_ms = event.context.deadline;
    if event.payload["Records"][0]["eventSource"].as_str() == Some("aws:sqs") {
        let sqs: SqsEvent =
            serde_json::from_value(event.payload).map_err(|e| Error::bad_request(format!("the SQS event could not be read: {e}")))?;
        let mut failures = Vec::new();
        let mut reports = Vec::new();
        for message in sqs.records {
            let id = message.message_id.clone().unwrap_or_default();
            let job: ReportJob = match serde_json::from_str(message.body.as_deref().unwrap_or_default()) {
                Ok(ReportQueueMessage::Report(job)) => job,
                Ok(ReportQueueMessage::Slice(slice)) => {
                    match jobs::run_slice(app, &slice, deadline_ms).await {
                        Ok(Some(j)) => reports.push(json!({ "job_id": j.job_id, "state": j.state, "phase": j.phase })),
                        Ok(None) => {}
                        Err(e) => {
                            tracing::error!(message_id = %id, job_id = %slice.job_id, error = %pulse_shared::error::chain(&e), "job slice failed; the message will be redelivered");
                            failures.push(json!({ "itemIdentifier": id }));
                        }
                    }
                    continue;
                }
                Err(e) => {
                    // retrying cannot repair it: logged, not redelivered
                    tracing::error!(message_id = %id, error = %e, "report queue message is neither a report nor a job slice");
                    continue;
                }
            };
            match run_job(app, &job, deadline_ms).await {
                Ok(Some(r)) => reports.push(json!({ "report_id": r.report_id, "state": r.state })),
                Ok(None) => {}
                Err(e) => {
                    tracing::error!(message_id = %id, report_id = %job.report_id, error = %pulse_shared::domain::mail::mask_addresses(&pulse_shared::error::chain(&e)), "report failed; the message will be redelivered");
                    failures.push(json!({ "itemIdentifier": id }));
                }
            }
        }
        return Ok(json!({ "batchItemFailures": failures, "reports": reports }));
    }
    scheduled(app, deadline_ms).await
}

/// Sources of reports that are made on demand or for a threshold; any other
/// is a schedule's, whose subscribers are emailed.
const UNSCHEDULED: [&str; 3] = ["on_demand", "threshold", "alert"];

async fn run_job<S: Reports + Projects + Files + Responses + Notifications + Guard>(
    app: &App<S>,
    job: &ReportJob,
    deadline_ms: u64,
) -> Result<Option<ReportRecord>, Error> {
    // a report or project deleted while its message waited: nothing to make
    let Some(record) = app.aws.get_report(&job.project_id, &job.report_id).await? else {
        tracing::info!(report_id = %job.report_id, "report record not found (deleted); nothing to do");
        return Ok(None);
    };
    let Some(project) = app.aws.get_project(&job.project_id).await? else {
        tracing::info!(report_id = %job.report_id, "the report's project is deleted; nothing to do");
        return Ok(None);
    };
    let record = if record.state == ReportState::Done { record } else { generate(app, &project, record).await? };
    if record.state == ReportState::Done && !UNSCHEDULED.contains(&record.source.as_str()) {
        mail_subscribers(app, &project, &record, deadline_ms).await?;
    }
    Ok(Some(record))
}

/// Generates a report: figures, HTML, JSON and the raw-responses CSV to S3;
/// the record marked done (or failed, with the reason). Running it again
/// writes the same files.
pub async fn generate<S: Reports + Files + Responses + Projects>(
    app: &App<S>,
    p: &Project,
    mut record: ReportRecord,
) -> Result<ReportRecord, Error> {
    let def = app.aws.report_definition(p).await?;
    let f = match app.aws.report_figures(p, &def, &record.request, &app.clock.now()).await {
        Ok(f) => f,
        Err(e @ Error::BadRequest { .. }) => {
            record.state = ReportState::Failed;
            record.error = Some(e.to_string());
            record.finished_at = Some(app.clock.now());
            app.aws.finish_report(&record).await?;
            return Ok(record);
        }
        Err(e) => return Err(e),
    };
    let html = pulse_shared::render::dashboard::html_in(&f, &def, p.settings.default_language());
    app.aws.put_object(&record.key("report.html"), "text/html; charset=utf-8", html.into_bytes()).await?;
    let json = serde_json::to_vec_pretty(&f).map_err(|e| Error::bad_request(format!("cannot encode the figures: {e}")))?;
    app.aws.put_object(&record.key("report.json"), "application/json", json).await?;
    write_csv(app, p, &def, &record).await?;
    record.state = ReportState::Done;
    record.responses = f.headline.responses;
    record.error = None;
    record.finished_at = Some(app.clock.now());
    app.aws.finish_report(&record).await?;
    tracing::info!(project_id = %p.id, report_id = %record.report_id, responses = record.responses, "report written");
    Ok(record)
}

/// The raw responses of the report's range as CSV, through a temporary
/// file (constant memory whatever the number of responses).
async fn write_csv<S: Responses + Files>(app: &App<S>, p: &Project, def: &Definition, record: &ReportRecord) -> Result<(), Error> {
    let (from, to) = record.request.range().map_err(|e| Error::bad_field("request", e))?;
    let fields = &p.settings.operational_fields;
    let io = |e: std::io::Error| Error::bad_request(format!("cannot write the temporary CSV: {e}"));
    // two invocations of one report (a repeated run's message) may run at once
    let temp = pulse_shared::temp::TempFile::new("report", "csv");
    let path = temp.path();
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let csv_err = |e: csv::Error| Error::bad_request(format!("cannot write the CSV: {e}"));
    out.write_record(report::csv_columns(def, fields)).map_err(csv_err)?;
    let mut after: Option<String> = None;
    loop {
        let (page, next) = app.aws.list_responses(&p.id, after.as_deref(), 500).await?;
        for r in page {
            if day_of(&r.submitted_at).is_some_and(|d| (from..=to).contains(&d)) {
                out.write_record(report::csv_row(def, fields, &r)).map_err(csv_err)?;
            }
        }
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    out.into_inner().map_err(|e| io(e.into_error()))?.flush().map_err(io)?;
    app.aws.put_file(&record.key("report.csv"), "text/csv; charset=utf-8", path).await
}

/// The daily run: every project whose schedule is due today gets its
/// report's record and one message on the report queue; every project's
/// metric alerts are evaluated (the windows of a quiet project move on
/// without responses, so a fall in responses shows here), and its response
/// thresholds checked (one a stream batch missed, dropped after its
/// retries, is sent here; one already sent is found in the ledger).
async fn scheduled<S: Projects + Responses + Reports + Queue + Notifications + Guard>(
    app: &App<S>,
    deadline_ms: u64,
) -> Result<Value, Error> {
    let now = app.clock.now();
    let today = day_of(&now).ok_or_else(|| Error::bad_request(format!("cannot read today's date from {now}")))?;
    let mut queued = Vec::new();
    let mut first_error = None;
    for summary in app.aws.list_projects().await? {
        let Some(p) = app.aws.get_project(&summary.id).await? else { continue };
        if let Err(e) = app.evaluate_alerts(&p, deadline_ms).await {
            tracing::error!(project_id = %p.id, error = %pulse_shared::error::chain(&e), "metric alerts not evaluated");
            first_error.get_or_insert(e);
        }
        if let Err(e) = app.notify_thresholds(&p, deadline_ms).await {
            tracing::error!(project_id = %p.id, error = %pulse_shared::error::chain(&e), "response thresholds not checked");
            first_error.get_or_insert(e);
        }
        let schedule = p.settings.reports.schedule;
        let Some((from, to, period)) = schedule.due(today) else { continue };
        match queue_scheduled(app, &p, schedule.name(), from, to, period).await {
            Ok(r) => queued.push(json!({ "project_id": p.id, "report_id": r.report_id, "state": r.state })),
            Err(e) => {
                tracing::error!(project_id = %p.id, error = %pulse_shared::error::chain(&e), "scheduled report not queued");
                first_error.get_or_insert(e);
            }
        }
    }
    // A failure fails the invocation so that EventBridge's retry runs it
    // again (and its on-failure destination keeps it); the reports queued
    // already are found and not made twice.
    match first_error {
        Some(e) => Err(e),
        None => Ok(json!({ "today": day_text(today), "reports": queued })),
    }
}

/// Records a project's scheduled report (once per schedule and period) and
/// queues its making; a message queued twice makes it once and emails each
/// subscriber once.
async fn queue_scheduled<S: Reports + Projects + Queue>(
    app: &App<S>,
    p: &Project,
    schedule: &str,
    from: time::Date,
    to: time::Date,
    period: report::Period,
) -> Result<ReportRecord, Error> {
    let def = app.aws.report_definition(p).await?;
    let request = Request {
        from: day_text(from),
        to: day_text(to),
        period,
        segments: dimensions(&def, &p.settings.operational_fields),
        min_responses: p.settings.min_responses.into(),
        filter: None,
    };
    let report_id = format!("{}-{schedule}", day_text(from));
    let fresh = ReportRecord::new(&p.id, report_id.clone(), schedule, request, app.clock.now());
    app.aws.create_report(&fresh).await?;
    let record = app.aws.get_report(&p.id, &report_id).await?.ok_or_else(|| Error::not_found(format!("report {report_id}")))?;
    app.aws.enqueue(&ReportJob { project_id: p.id.clone(), report_id }).await?;
    Ok(record)
}

/// Emails the report's link to each subscriber who has not opted out of
/// the project's emails, once each.
async fn mail_subscribers<S: Notifications + Reports + Projects + Guard>(
    app: &App<S>,
    p: &Project,
    record: &ReportRecord,
    deadline_ms: u64,
) -> Result<(), Error> {
    if p.settings.reports.subscribers.is_empty() {
        return Ok(());
    }
    let opted_out = app.aws.opted_out(&p.id).await?;
    let def = app.aws.report_definition(p).await?;
    let headline = app.aws.report_figures(p, &def, &record.request, &app.clock.now()).await?.headline;
    // one link for this mailing (its token is never stored)
    let (url, _) = app.share_report(record, "subscribers").await?;
    let mut first_error = None;
    for to in &p.settings.reports.subscribers {
        let recipient = normalise_email(to);
        if opted_out.contains(&recipient) {
            continue;
        }
        let token = app.aws.optout_token(&p.id, &recipient).await?;
        let email = report_ready(&ReportReady {
            organisation: &p.settings.organisation_name,
            from: &record.request.from,
            to_day: &record.request.to,
            responses: headline.responses,
            nps: headline.nps.map(|n| (n.score, n.low, n.high)),
            report_url: &url,
            unsubscribe_url: &format!("{}/unsubscribe/{token}", app.config.public_base_url),
            to,
            lang: p.settings.default_language(),
        });
        let key = format!("report#{}#{recipient}", record.report_id);
        if let Err(e) = app.aws.send_once(&p.id, &key, deadline_ms, &email).await {
            tracing::error!(project_id = %p.id, key = %pulse_shared::domain::mail::mask_addresses(&key), error = %pulse_shared::domain::mail::mask_addresses(&e.to_string()), "report email failed");
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}
