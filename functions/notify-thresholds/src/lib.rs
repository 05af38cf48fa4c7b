//! `notify-thresholds`: consumes the responses table's stream.
//!
//! Today it reads every record's key through `serde_dynamo` and reports a
//! record it cannot read as that record's failure (by sequence number), never
//! the whole batch. Response notifications and follow-up requests with their
//! exactly-once ledger arrive with the notifications issue; until then a
//! readable record is acknowledged without an email.

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use lambda_runtime::LambdaEvent;
use pulse_shared::{events, App, Error};

/// The Lambda handler.
pub async fn handle(_app: &App, event: LambdaEvent<Event>) -> Result<DynamoDbEventResponse, Error> {
    let mut response = DynamoDbEventResponse::default();
    for record in &event.payload.records {
        let sequence = events::stream_sequence_number(record);
        match events::stream_key(record) {
            Ok(key) => tracing::info!(pk = %key.pk, sk = %key.sk, event = %record.event_name, "response record"),
            Err(e) => {
                tracing::error!(event_id = %record.event_id, sequence = ?sequence, error = %e, "unreadable stream record");
                let mut failure = DynamoDbBatchItemFailure::default();
                failure.item_identifier = sequence;
                response.batch_item_failures.push(failure);
            }
        }
    }
    Ok(response)
}
