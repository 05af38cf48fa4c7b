//! Messages on the queues.
//!
//! The send queue (consumed by `send-distribution`) carries one JSON object
//! per message, tagged by `kind`. Today it carries the operator's test email
//! (proof that the SES identity, the queue and the sender work); invitation
//! batches join with distributions. The import queue (consumed by
//! `import-contacts`) carries [`ImportJob`]s: the continuation of an import
//! too long for one invocation, or an operator's retry.

use serde::{Deserialize, Serialize};

/// One unit of sending work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SendJob {
    /// A test email an operator asked for through the admin API.
    TestEmail { to: String, subject: String, text: String },
}

/// Go on with (or retry) the import of one uploaded object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportJob {
    pub bucket: String,
    pub key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json_with_its_kind() {
        let job = SendJob::TestEmail { to: "a@example.com".into(), subject: "s".into(), text: "t".into() };
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.contains(r#""kind":"test_email""#));
        assert_eq!(serde_json::from_str::<SendJob>(&json).unwrap(), job);
    }

    #[test]
    fn an_unknown_kind_is_an_error() {
        assert!(serde_json::from_str::<SendJob>(r#"{"kind":"fax","to":"x"}"#).is_err());
    }
}
