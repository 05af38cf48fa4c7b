//! `notify-thresholds` on the in-memory double (no emulator): each
//! follow-up request and each threshold is emailed once, also when the
//! stream delivers a record twice or a batch is retried. The same paths run
//! through the local stack in `tests/tests/notifications.rs`.

use std::collections::BTreeMap;

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use lambda_runtime::{Context, LambdaEvent};
use pulse_shared::clock::{self, Clock};
use pulse_shared::domain::project::Project;
use pulse_shared::domain::response::Response;
use pulse_shared::domain::survey::{ids, Answer};
use pulse_shared::memory::Memory;
use pulse_shared::ports::*;
use pulse_shared::App;
use serde_json::json;

async fn published(app: &App<Memory>, settings: serde_json::Value) -> Project {
    app.aws.published_project(settings).await
}

/// A response stored as the submission stores it (counters included).
async fn respond(app: &App<Memory>, p: &Project, follow_up: bool) -> Response {
    let mut answers = BTreeMap::from([(ids::NPS.to_string(), Answer::Number(9))]);
    if follow_up {
        answers.insert(ids::FOLLOW_UP.to_string(), Answer::Text("yes".into()));
        answers.insert(ids::FOLLOW_UP_CONTACT.to_string(), Answer::Text("anna@example.com".into()));
    }
    app.aws.respond(p, answers).await
}

/// The stream record DynamoDB writes for a stored response.
fn inserted(r: &Response, sequence: &str) -> EventRecord {
    let mut image = serde_json::to_value(r).unwrap();
    image["pk"] = json!(format!("PROJECT#{}", r.project_id));
    image["sk"] = json!(format!("RESPONSE#{}", r.response_id));
    let mut record = EventRecord::default();
    record.event_name = "INSERT".into();
    record.change.keys = serde_dynamo::to_item(json!({ "pk": image["pk"], "sk": image["sk"] })).unwrap();
    record.change.new_image = serde_dynamo::to_item(image).unwrap();
    record.change.sequence_number = Some(sequence.to_string());
    record
}

async fn deliver(app: &App<Memory>, records: Vec<EventRecord>) {
    let mut event = Event::default();
    event.records = records;
    let mut context = Context::default();
    context.deadline = clock::now_ms() + 300_000;
    let answer = notify_thresholds::handle(app, LambdaEvent::new(event, context)).await.unwrap();
    assert!(answer.batch_item_failures.is_empty(), "no record failed: {:?}", answer.batch_item_failures);
}

#[tokio::test]
async fn a_follow_up_request_is_emailed_once_though_its_record_comes_twice() {
    let app = App::in_memory(Clock::default());
    let p = published(
        &app,
        json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C",
                "follow_ups": { "enabled": true, "recipients": ["cx@example.com", "lead@example.com"] } }),
    )
    .await;
    let r = respond(&app, &p, true).await;
    // the same record twice in one batch, then the batch again (a retry)
    deliver(&app, vec![inserted(&r, "1"), inserted(&r, "1")]).await;
    deliver(&app, vec![inserted(&r, "1")]).await;
    let sent = app.aws.sent();
    assert_eq!(sent.len(), 1, "one follow-up request: {sent:?}");
    assert_eq!(sent[0].email.to, vec!["cx@example.com".to_string(), "lead@example.com".to_string()]);
    assert!(sent[0].email.text.contains("anna@example.com"), "the preferred contact is in the request");
}

#[tokio::test]
async fn every_second_response_notifies_once_per_threshold() {
    let app = App::in_memory(Clock::default());
    let p = published(
        &app,
        json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C",
                "notifications": { "rule": { "mode": "every", "n": 2 }, "recipients": ["cx@example.com"] } }),
    )
    .await;
    let first = respond(&app, &p, false).await;
    deliver(&app, vec![inserted(&first, "1")]).await;
    assert!(app.aws.sent().is_empty(), "one response is below the threshold");
    let second = respond(&app, &p, false).await;
    deliver(&app, vec![inserted(&second, "2")]).await;
    deliver(&app, vec![inserted(&first, "1"), inserted(&second, "2")]).await;
    let sent = app.aws.sent();
    assert_eq!(sent.len(), 1, "the threshold of 2 is notified once: {sent:?}");
    assert_eq!(sent[0].email.to, vec!["cx@example.com".to_string()]);
    // a retried batch queues the unfinished report again (generating it is
    // idempotent), but there is one report for the threshold
    let reports: std::collections::BTreeSet<String> = app.aws.queued().iter().map(|(_, job)| job["report_id"].to_string()).collect();
    assert_eq!(reports.len(), 1, "one report for the threshold: {reports:?}");
    assert_eq!(app.aws.list_reports(&p.id).await.unwrap().len(), 1);
}
