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
//!
//! Each project of a batch is read once. Its item is the one every page
//! view of its survey reads, so under a crowd those reads (and any other)
//! may be throttled: the work is done again with backoff while the
//! invocation has time ([`while_throttled`]) before the batch is reported
//! failed and retried by the stream. Thresholds a dropped batch missed are
//! sent by the daily run (`generate-report`), which checks every project.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeMap;

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use lambda_runtime::LambdaEvent;
use pulse_shared::app::while_throttled;
use pulse_shared::domain::mail::mask_addresses;
use pulse_shared::domain::project::Project;
use pulse_shared::domain::response::Response;
use pulse_shared::render::mail::follow_up_request;
use pulse_shared::{events, App, Error};

/// The projects of a batch, each read once (`None`: deleted). A read that
/// DynamoDB throttles (the project's item is the one every page view of
/// its survey reads) is waited out while the invocation has time.
#[derive(Default)]
struct BatchProjects(BTreeMap<String, Option<Project>>);

impl BatchProjects {
    async fn get<S: Projects>(&mut self, app: &App<S>, id: &str, deadline_ms: u64) -> Result<Option<Project>, Error> {
        if let Some(p) = self.0.get(id) {
            return Ok(p.clone());
        }
        let p = while_throttled(deadline_ms, || app.aws.get_project(id)).await?;
        self.0.insert(id.to_string(), p.clone());
        Ok(p)
    }
}

/// The Lambda handler.
pub async fn handle<S: Projects + Notifications + Responses + Reports + Queue + Guard>(
    app: &App<S>,
    event: LambdaEvent<Event>,
) -> Result<DynamoDbEventResponse, Error> {
    let deadline_ms = event.context.deadline;
    let mut failed: Vec<String> = Vec::new();
    let mut projects = BatchProjects::default();
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
            let sent = match projects.get(app, &response.project_id, deadline_ms).await {
                Ok(project) => follow_up(app, project.as_ref(), &response, deadline_ms).await,
                Err(e) => Err(e),
            };
            if let Err(e) = sent {
                tracing::error!(response_id = %response.response_id, error = %mask_addresses(&e.to_string()), "follow-up request not sent");
                failed.push(sequence);
            }
        }
    }

    for (project_id, first_sequence) in &touched {
        let project = match projects.get(app, project_id, deadline_ms).await {
            Ok(Some(p)) => p,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(project_id, error = %mask_addresses(&e.to_string()), "project not read; its notifications wait for the retry");
                failed.push(first_sequence.clone());
                continue;
            }
        };
        // each check repeats nothing that was sent (the ledger), so a
        // throttled one is simply done again
        if let Err(e) = while_throttled(deadline_ms, || app.notify_thresholds(&project, deadline_ms)).await {
            tracing::error!(project_id, error = %mask_addresses(&e.to_string()), "response notifications not sent");
            failed.push(first_sequence.clone());
        }
        // the metric alerts, from the aggregates the batch just moved
        if let Err(e) = while_throttled(deadline_ms, || app.evaluate_alerts(&project, deadline_ms)).await {
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

async fn follow_up<S: Projects + Notifications>(
    app: &App<S>,
    project: Option<&Project>,
    r: &Response,
    deadline_ms: u64,
) -> Result<(), Error> {
    let Some(project) = project else {
        tracing::warn!(project_id = %r.project_id, "response of a deleted project; no follow-up");
        return Ok(());
    };
    let recipients = &project.settings.follow_ups.recipients;
    if recipients.is_empty() {
        tracing::warn!(project_id = %r.project_id, "follow-up requested but the project has no follow-up recipients");
        return Ok(());
    }
    let def = while_throttled(deadline_ms, || app.aws.get_version(&r.project_id, r.version))
        .await?
        .ok_or_else(|| Error::not_found(format!("version {} of project {}", r.version, r.project_id)))?;
    let email = follow_up_request(&def, r, recipients, project.settings.default_language());
    app.aws.send_once(&r.project_id, &format!("followup#{}", r.response_id), deadline_ms, &email).await.map(|_| ())
}
