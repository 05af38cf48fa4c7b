//! A real check of every resource the stack depends on.

use serde::Serialize;

use crate::error::chain;
#[allow(unused_imports)]
use crate::ports::*;

/// The outcome of checking one resource.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Check {
    pub resource: String,
    pub name: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

fn check(resource: &str, name: &str, r: Result<(), String>) -> Check {
    Check { resource: resource.to_string(), name: name.to_string(), ok: r.is_ok(), detail: r.err() }
}

impl crate::ports::Health for super::Aws {
    /// Describes the three tables, heads the bucket and reads the queue's
    /// attributes; each check says whether the resource answered.
    async fn health(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        for (resource, table) in [
            ("core table", &self.config.core_table),
            ("contacts table", &self.config.contacts_table),
            ("responses table", &self.config.responses_table),
        ] {
            let r = self.dynamodb.describe_table().table_name(table).send().await;
            checks.push(check(resource, table, r.map(|_| ()).map_err(|e| chain(&e))));
        }
        let r = self.s3.head_bucket().bucket(&self.config.data_bucket).send().await;
        checks.push(check("data bucket", &self.config.data_bucket, r.map(|_| ()).map_err(|e| chain(&e))));
        let r = self.sqs.get_queue_attributes().queue_url(&self.config.send_queue_url).send().await;
        checks.push(check("send queue", &self.config.send_queue_url, r.map(|_| ()).map_err(|e| chain(&e))));
        checks
    }
}
