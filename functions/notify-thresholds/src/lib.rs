//! `notify-thresholds`: consumes the responses table's stream and tells
//! colleagues about responses, each notification exactly once.
//!
//! * **Follow-up requests**: a new response that asks to be contacted sends
//!   one email to the project's follow-up recipients.
//! * **Response notifications**: after the batch, each project touched
//!   compares its response count (the counter moved in the submission's
//!   transaction) with its rule (`every N`, `once N`, `off`, counted from
//!   when the rule was set) and emails each due threshold to each recipient
//!   who has not opted out, with the share link of a report of the last
//!   four weeks made for the threshold (queued for `generate-report`).
//!
//! Every email is guarded by a ledger entry on a natural key (the response
//! id; the threshold and recipient), claimed before sending, completed after,
//! released on failure. A record that cannot be read or whose email failed
//! is reported by its sequence number, so only it (and what follows it) is
//! retried.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeMap;

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use lambda_runtime::LambdaEvent;
use pulse_shared::domain::guard::{subject_hash, SUBJECT_KEY};
use pulse_shared::domain::mail::{mask_addresses, normalise_email};
use pulse_shared::domain::notify::{due_thresholds, RuleInForce};
use pulse_shared::domain::project::Project;
use pulse_shared::domain::report;
use pulse_shared::domain::response::Response;
use pulse_shared::render::mail::{follow_up_request, response_notification, ResponseNotification};
use pulse_shared::{events, App, Error};

/// At most this many thresholds are notified per project and batch (the
/// most recent ones), so a rule of `every 1` cannot flood an inbox.
const MAX_THRESHOLDS_PER_BATCH: usize = 5;

/// A threshold's ledger key for one recipient: the threshold and a keyed
/// hash of the address, so the ledger (kept as long as the project) holds
/// no address.
fn ledger_key(threshold: &str, subjects: &[u8], recipient: &str) -> String {
    format!("{threshold}#{}", subject_hash(subjects, recipient))
}

/// The Lambda handler.
pub async fn handle<S: Projects + Notifications + Responses + Reports + Queue + Guard>(
    app: &App<S>,
    event: LambdaEvent<Event>,
) -> Result<DynamoDbEventResponse, Error> {
    let deadline_ms = event.context.deadline;
    let mut failed: Vec<String> = Vec::new();
    // project id -> sequence number of its first record in this batch
    let mut touched: BTreeMap<String, String> = BTreeMap::new();

    for record in &event.payload.records {
        let sequence = events::stream_sequence_number(record).unwrap_or_default();
        let response = match read_new_response(record) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(event_id = %record.event_id, sequence, keys = ?record.change.keys, error = %mask_addresses(&e.to_string()), "unreadable stream record");
                failed.push(sequence);
                continue;
            }
        };
        touched.entry(response.project_id.clone()).or_insert_with(|| sequence.clone());
        if response.wants_follow_up() {
            if let Err(e) = follow_up(app, &response, deadline_ms).await {
                tracing::error!(response_id = %response.response_id, error = %mask_addresses(&e.to_string()), "follow-up request not sent");
                failed.push(sequence);
            }
        }
    }

    for (project_id, first_sequence) in &touched {
        if let Err(e) = thresholds(app, project_id, deadline_ms).await {
            tracing::error!(project_id, error = %mask_addresses(&e.to_string()), "response notifications not sent");
            failed.push(first_sequence.clone());
        }
        // the metric alerts, from the aggregates the batch just moved
        if let Err(e) = alerts(app, project_id, deadline_ms).await {
            tracing::error!(project_id, error = %mask_addresses(&e.to_string()), "metric alerts not evaluated");
            failed.push(first_sequence.clone());
        }
    }

    let mut response = DynamoDbEventResponse::default();
    failed.sort();
    failed.dedup();
    for sequence in failed {
        let mut f = DynamoDbBatchItemFailure::default();
        f.item_identifier = Some(sequence);
        response.batch_item_failures.push(f);
    }
    Ok(response)
}

/// The response a record inserts; `None` for records about anything else
/// (other items, modifications, removals).
fn read_new_response(record: &EventRecord) -> Result<Option<Response>, Error> {
    let key = events::stream_key(record).map_err(|e| Error::bad_request(format!("record keys: {e}")))?;
    if record.event_name != "INSERT" || !key.sk.starts_with("RESPONSE#") {
        return Ok(None);
    }
    events::stream_response(record).map(Some).map_err(|e| Error::bad_request(format!("response {}: {e}", key.sk)))
}

async fn follow_up<S: Projects + Notifications>(app: &App<S>, r: &Response, deadline_ms: u64) -> Result<(), Error> {
    let Some(project) = app.aws.get_project(&r.project_id).await? else {
        tracing::warn!(project_id = %r.project_id, "response of a deleted project; no follow-up");
        return Ok(());
    };
    let recipients = &project.settings.follow_ups.recipients;
    if recipients.is_empty() {
        tracing::warn!(project_id = %r.project_id, "follow-up requested but the project has no follow-up recipients");
        return Ok(());
    }
    let def = app
        .aws
        .get_version(&r.project_id, r.version)
        .await?
        .ok_or_else(|| Error::not_found(format!("version {} of project {}", r.version, r.project_id)))?;
    let email = follow_up_request(&def, r, recipients, project.settings.default_language());
    app.aws.send_once(&r.project_id, &format!("followup#{}", r.response_id), deadline_ms, &email).await.map(|_| ())
}

/// The report a threshold's notification links to, by its share link (no
/// sign-in needed): the last four weeks, made at most once per project and
/// hour and shared by every threshold email of that hour (a retried batch
/// finds it too), queued for `generate-report`; the link says "in
/// progress" until it is written.
async fn threshold_report<S: Reports + Queue + Projects + Guard + Notifications>(app: &App<S>, project: &Project) -> Result<String, Error> {
    let now = app.clock.now();
    let today = report::day_of(&now).ok_or_else(|| Error::bad_request("the clock cannot be read"))?;
    let def = app.aws.report_definition(project).await?;
    let report_id = format!("{}h-threshold", now.get(..13).unwrap_or(&now));
    let request = report::Request::recent(today, report::dimensions(&def, &project.settings.operational_fields));
    app.report_once(project, &report_id, "threshold", request).await
}

async fn alerts<S: Projects + Responses + Notifications + Reports + Queue + Guard>(
    app: &App<S>,
    project_id: &str,
    deadline_ms: u64,
) -> Result<(), Error> {
    let Some(project) = app.aws.get_project(project_id).await? else { return Ok(()) };
    app.evaluate_alerts(&project, deadline_ms).await.map(|_| ())
}

async fn thresholds<S: Projects + Responses + Notifications + Reports + Queue + Guard>(
    app: &App<S>,
    project_id: &str,
    deadline_ms: u64,
) -> Result<(), Error> {
    let Some(project) = app.aws.get_project(project_id).await? else { return Ok(()) };
    let rule = RuleInForce { rule: project.settings.notifications.rule, since: project.rule_since };
    let (count, nps) = app.aws.project_stats(project_id).await?;
    let due = due_thresholds(rule, count, MAX_THRESHOLDS_PER_BATCH);
    if due.is_empty() {
        return Ok(());
    }
    let opted_out = app.aws.opted_out(project_id).await?;
    // Only what is still to be sent makes a report, a share link and an
    // opt-out link: a batch whose thresholds were all mailed (by an earlier
    // batch, or before a retry) makes nothing.
    let subjects = app.aws.secret(SUBJECT_KEY).await?;
    let mut pending = Vec::new();
    for threshold in &due {
        for to in &project.settings.notifications.recipients {
            let recipient = normalise_email(to);
            if opted_out.contains(&recipient) {
                continue;
            }
            let key = ledger_key(&threshold.ledger_key, subjects.as_slice(), &recipient);
            // an entry under the address itself was written before the
            // ledger hashed its recipients: it counts as sent too
            let legacy = format!("{}#{recipient}", threshold.ledger_key);
            if app.aws.ledger_entry(project_id, &key).await?.is_some() || app.aws.ledger_entry(project_id, &legacy).await?.is_some() {
                continue;
            }
            pending.push((threshold, to, recipient, key));
        }
    }
    if pending.is_empty() {
        return Ok(());
    }
    let report_url = threshold_report(app, &project).await?;
    let mut first_error = None;
    for (threshold, to, recipient, key) in pending {
        let token = app.aws.optout_token(project_id, &recipient).await?;
        let email = response_notification(&ResponseNotification {
            organisation: &project.settings.organisation_name,
            reached: threshold.reached,
            count,
            nps,
            report_url: &report_url,
            unsubscribe_url: &format!("{}/unsubscribe/{token}", app.config.public_base_url),
            to,
            lang: project.settings.default_language(),
        });
        if let Err(e) = app.aws.send_once(project_id, &key, deadline_ms, &email).await {
            tracing::error!(project_id, key, error = %mask_addresses(&e.to_string()), "response notification failed");
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}
