//! `generate-report`: started by the EventBridge schedule (and, with the
//! reports issue, on demand from the admin API).
//!
//! Today it reads the scheduled event (its time and rule) and reports what
//! run it was asked for; the reports themselves (aggregates → HTML/CSV/JSON
//! in S3, emailed links) arrive with the reports issue, so `reports_written`
//! is honestly zero until then.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::LambdaEvent;
use pulse_shared::{App, Error};
use serde::Serialize;

/// What the run was asked for and did.
#[derive(Debug, Serialize, PartialEq)]
pub struct Run {
    pub source: String,
    pub detail_type: String,
    pub time: Option<String>,
    pub rules: Vec<String>,
    pub reports_written: usize,
}

/// The Lambda handler.
pub async fn handle(_app: &App, event: LambdaEvent<EventBridgeEvent>) -> Result<Run, Error> {
    let e = event.payload;
    let run = Run {
        source: e.source,
        detail_type: e.detail_type,
        time: e.time.map(|t| t.to_rfc3339()),
        rules: e.resources.unwrap_or_default(),
        reports_written: 0,
    };
    tracing::info!(time = ?run.time, rules = ?run.rules, "report run");
    Ok(run)
}
