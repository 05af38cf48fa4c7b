//! `send-distribution`: consumes the send queue and sends through SES v2.
//!
//! Each message is one [`SendJob`]. Today the queue carries operators' test
//! emails; invitation batches (personal links, throttling, exactly-once
//! ledger, suppression) arrive with the distributions issue. A message that
//! cannot be read or sent is reported in `batchItemFailures`, so only it is
//! retried (and after the queue's `maxReceiveCount`, dead-lettered).

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_runtime::LambdaEvent;
use pulse_shared::domain::{jobs::SendJob, mail::OutgoingEmail};
use pulse_shared::{App, Error};

/// The Lambda handler.
pub async fn handle(app: &App, event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    for message in &event.payload.records {
        let id = message.message_id.clone().unwrap_or_default();
        if let Err(e) = process(app, message).await {
            tracing::error!(message_id = %id, error = %e, retryable = e.is_retryable(), "send job failed");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    Ok(response)
}

async fn process(app: &App, message: &SqsMessage) -> Result<(), Error> {
    let body = message.body.as_deref().unwrap_or_default();
    let job: SendJob = serde_json::from_str(body).map_err(|e| Error::bad_request(format!("unreadable send job: {e}")))?;
    match job {
        SendJob::TestEmail { to, subject, text } => {
            let email = OutgoingEmail { to: vec![to], subject, text, html: None, headers: Vec::new() };
            let id = app.aws.send_email(&app.config.sender_email, &email).await?;
            tracing::info!(ses_message_id = %id, "test email sent");
        }
    }
    Ok(())
}
