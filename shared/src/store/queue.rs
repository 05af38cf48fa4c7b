//! The queues: one JSON message per job.

#[allow(unused_imports)]
use crate::ports::*;
use crate::{Error, Result};

impl crate::ports::Queue for super::Aws {
    async fn enqueue<J: Job>(&self, job: &J) -> Result<String> {
        let queue_url = match J::QUEUE {
            QueueName::Send => &self.config.send_queue_url,
            QueueName::Import => &self.config.import_queue_url,
            QueueName::Report => &self.config.report_queue_url,
        };
        let body = serde_json::to_string(job).map_err(|e| Error::bad_request(format!("job cannot be encoded: {e}")))?;
        let out = self.sqs.send_message().queue_url(queue_url).message_body(body).send().await.map_err(Error::aws("SendMessage"))?;
        Ok(out.message_id.unwrap_or_default())
    }

    async fn retry_send_later(&self, receipt_handle: &str, seconds: u32) -> Result<()> {
        self.sqs
            .change_message_visibility()
            .queue_url(&self.config.send_queue_url)
            .receipt_handle(receipt_handle)
            .visibility_timeout(seconds.min(43_200) as i32)
            .send()
            .await
            .map_err(Error::aws("ChangeMessageVisibility"))?;
        Ok(())
    }
}
