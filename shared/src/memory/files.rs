//! The double of the data bucket and of the health check (see [`super`]).
//! The bucket holds objects by key; an object's ETag is derived from its
//! bytes (quoted, as S3's), so the same bytes keep their ETag and other
//! bytes get another.

use std::hash::{Hash, Hasher};
use std::time::Duration;

use aws_sdk_s3::primitives::ByteStream;

use super::{Memory, Object};
use crate::domain::help::{ErrorRecord, SesAccount};
use crate::store::health::{Check, QueueDepth, ScheduleState, SesState, StackStatus};
use crate::{Error, Result};

fn etag(bytes: &[u8]) -> String {
    // SipHash with fixed keys: the same bytes always get the same ETag.
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0x6d65_6d6f_7279, 0x6574_6167);
    bytes.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

/// Quotes an ETag as S3 compares them (`If-Match` accepts either form).
fn quoted(etag: &str) -> String {
    format!("\"{}\"", etag.trim_matches('"'))
}

// Free functions rather than inherent methods of `Memory`, whose names
// other capabilities' doubles might also take.
fn store_object(m: &Memory, key: &str, content_type: &str, bytes: Vec<u8>) {
    let object = Object { content_type: content_type.to_string(), etag: etag(&bytes), bytes };
    m.lock().objects.insert(key.to_string(), object);
}

/// The object `key` of `bucket` (only the data bucket holds any).
fn object(m: &Memory, bucket: &str, key: &str) -> Option<Object> {
    if bucket != m.config.data_bucket {
        return None;
    }
    m.lock().objects.get(key).cloned()
}

fn presigned(m: &Memory, key: &str, valid_for: Duration, extra: &str) -> String {
    format!("memory://{}/{key}?expires={}{extra}", m.config.data_bucket, valid_for.as_secs())
}

impl crate::ports::Files for Memory {
    async fn put_object(&self, key: &str, content_type: &str, bytes: Vec<u8>) -> Result<()> {
        store_object(self, key, content_type, bytes);
        Ok(())
    }

    async fn presigned_get(&self, key: &str, valid_for: Duration) -> Result<String> {
        Ok(presigned(self, key, valid_for, ""))
    }

    async fn put_file(&self, key: &str, content_type: &str, path: &std::path::Path) -> Result<()> {
        let bytes = tokio::fs::read(path).await.map_err(Error::aws("read the temporary file"))?;
        store_object(self, key, content_type, bytes);
        Ok(())
    }

    async fn presigned_put(&self, key: &str, content_type: &str, valid_for: Duration) -> Result<String> {
        let content_type: String = form_urlencoded::byte_serialize(content_type.as_bytes()).collect();
        Ok(presigned(self, key, valid_for, &format!("&content-type={content_type}")))
    }

    async fn presigned_post(
        &self,
        key: &str,
        max_bytes: u64,
        redirect: Option<&str>,
        valid_for: Duration,
    ) -> Result<crate::domain::upload::PostForm> {
        let signer = crate::domain::upload::PolicySigner { access_key: "memory", secret: "memory", session_token: None, region: "memory" };
        let policy = crate::domain::upload::PostPolicy { bucket: &self.config.data_bucket, key, max_bytes, redirect, valid_for };
        Ok(policy.sign(&format!("memory://{}/", self.config.data_bucket), &signer, std::time::SystemTime::now()))
    }

    async fn head(&self, bucket: &str, key: &str) -> Result<Option<(u64, String)>> {
        Ok(object(self, bucket, key).map(|o| (o.bytes.len() as u64, o.etag)))
    }

    async fn read_stream(&self, bucket: &str, key: &str, etag: &str) -> Result<ByteStream> {
        match object(self, bucket, key) {
            Some(o) if o.etag == quoted(etag) => Ok(ByteStream::from(o.bytes)),
            Some(_) => Err(Error::Aws {
                operation: "GetObject",
                source: format!("{key}: the object is no longer the version {etag} (PreconditionFailed)").into(),
            }),
            None => Err(Error::Aws { operation: "GetObject", source: format!("{bucket}/{key}: no such object (NoSuchKey)").into() }),
        }
    }

    async fn get_object(&self, key: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(object(self, &self.config.data_bucket, key).map(|o| (o.content_type, o.bytes)))
    }

    async fn delete_object(&self, key: &str) -> Result<bool> {
        Ok(self.lock().objects.remove(key).is_some())
    }

    /// The double keeps no old versions.
    async fn forget_old_versions(&self, _key: &str) -> Result<u64> {
        Ok(0)
    }

    async fn list_objects(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let state = self.lock();
        Ok(state
            .objects
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, o)| (k.clone(), o.etag.clone()))
            .collect())
    }
}

impl crate::ports::Health for Memory {
    /// Every resource of the double answers: the checks the adapter makes,
    /// with the double's names.
    async fn health(&self) -> Vec<Check> {
        let c = &self.config;
        [
            ("core table", &c.core_table),
            ("contacts table", &c.contacts_table),
            ("responses table", &c.responses_table),
            ("data bucket", &c.data_bucket),
            ("send queue", &c.send_queue_url),
        ]
        .into_iter()
        .map(|(resource, name)| Check { resource: resource.to_string(), name: name.to_string(), ok: true, detail: None })
        .collect()
    }

    /// Every resource answers, no message waits, the sender is verified and
    /// the account is a new one in the sandbox (as the emulator's); the
    /// configured schedules are enabled.
    async fn status(&self) -> StackStatus {
        let c = &self.config;
        let mut checks = self.health().await;
        for (resource, name) in [("import queue", &c.import_queue_url), ("report queue", &c.report_queue_url)] {
            checks.push(Check { resource: resource.to_string(), name: name.to_string(), ok: true, detail: None });
        }
        let dead_letters: Vec<QueueDepth> = c
            .dead_letter_queues
            .iter()
            .map(|(name, url)| QueueDepth { name: name.clone(), url: url.clone(), waiting: Some(0), detail: None })
            .collect();
        for d in &dead_letters {
            checks.push(Check { resource: d.name.clone(), name: d.url.clone(), ok: true, detail: None });
        }
        let account = SesAccount {
            production_access: false,
            sending_enabled: true,
            max_24_hour_send: 200.0,
            max_send_rate: 1.0,
            sent_last_24_hours: self.lock().sent.len() as f64,
        };
        StackStatus {
            checks,
            dead_letters,
            ses: SesState::of(&c.sender_email, Some(true), Ok(account), c.ses_send_rate),
            schedules: c
                .schedule_rules
                .iter()
                .map(|rule| ScheduleState { rule: rule.clone(), expression: None, description: None, enabled: Some(true), detail: None })
                .collect(),
        }
    }

    async fn record_error(&self, e: &ErrorRecord, _now_s: u64) -> Result<()> {
        self.lock().errors.push(e.clone());
        Ok(())
    }

    async fn last_errors(&self, limit: usize) -> Result<Vec<ErrorRecord>> {
        let mut errors = self.lock().errors.clone();
        errors.sort_by(|a, b| (&b.at, &b.request_id).cmp(&(&a.at, &a.request_id)));
        errors.truncate(limit.clamp(1, 100));
        Ok(errors)
    }
}
