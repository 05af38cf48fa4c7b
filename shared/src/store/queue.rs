//! The queues: one JSON message per job.

use serde::Serialize;

use crate::{Error, Result};

impl super::Aws {
    /// Puts one job on a queue; returns the message id.
    pub async fn enqueue<T: Serialize>(&self, queue_url: &str, job: &T) -> Result<String> {
        let body = serde_json::to_string(job).map_err(|e| Error::bad_request(format!("job cannot be encoded: {e}")))?;
        let out = self
            .sqs
            .send_message()
            .queue_url(queue_url)
            .message_body(body)
            .send()
            .await
            .map_err(Error::aws("SendMessage"))?;
        Ok(out.message_id.unwrap_or_default())
    }
}
