//! The send queue.

use crate::domain::jobs::SendJob;
use crate::{Error, Result};

impl super::Aws {
    /// Puts one job on the send queue; returns the message id.
    pub async fn enqueue_send_job(&self, queue_url: &str, job: &SendJob) -> Result<String> {
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
