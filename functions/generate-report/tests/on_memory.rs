//! `generate-report`'s daily run on the in-memory double (no emulator):
//! the response thresholds a stream batch missed (a batch dropped after its
//! retries, as under a crowd that keeps the project's partition throttled)
//! are emailed by the daily run, each once however often it runs.

use std::collections::BTreeMap;

use lambda_runtime::{Context, LambdaEvent};
use pulse_shared::clock::{self, Clock};
use pulse_shared::domain::project::Project;
use pulse_shared::domain::survey::{ids, Answer};
use pulse_shared::memory::Memory;
use pulse_shared::App;
use serde_json::json;

/// A response stored as the submission stores it (its counters moved), and
/// never delivered to `notify-thresholds`.
async fn respond(app: &App<Memory>, p: &Project) {
    app.aws.respond(p, BTreeMap::from([(ids::NPS.to_string(), Answer::Number(9))])).await;
}

/// The daily schedule's invocation (EventBridge's event is not read).
async fn daily_run(app: &App<Memory>) {
    let mut context = Context::default();
    context.deadline = clock::now_ms() + 300_000;
    generate_report::handle(app, LambdaEvent::new(json!({ "source": "aws.events" }), context)).await.expect("the daily run succeeds");
}

fn notifications(app: &App<Memory>) -> Vec<String> {
    app.aws.sent().into_iter().filter(|m| m.email.to == vec!["cx@example.com".to_string()]).map(|m| m.email.subject).collect()
}

#[tokio::test]
async fn the_daily_run_emails_each_threshold_the_stream_missed_once() {
    let app = App::in_memory(Clock::default());
    let p = app
        .aws
        .published_project(json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C",
            "notifications": { "rule": { "mode": "every", "n": 2 }, "recipients": ["cx@example.com"] } }))
        .await;
    respond(&app, &p).await;
    daily_run(&app).await;
    assert!(notifications(&app).is_empty(), "one response is below the first threshold");

    respond(&app, &p).await;
    respond(&app, &p).await;
    daily_run(&app).await;
    daily_run(&app).await;
    let sent = notifications(&app);
    assert_eq!(sent.len(), 1, "the threshold of 2, missed by the stream, is emailed once by two daily runs: {sent:?}");

    respond(&app, &p).await;
    daily_run(&app).await;
    assert_eq!(notifications(&app).len(), 2, "the threshold of 4 follows, once");
}
