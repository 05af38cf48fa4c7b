//! Messages on the queues.
//!
//! The send queue (consumed by `send-distribution`) carries one JSON object
//! per message, tagged by `kind`. Today it carries the operator's test email
//! (proof that the SES identity, the queue and the sender work); invitation
//! batches join with distributions. The import queue (consumed by
//! `import-contacts`) carries [`ImportJob`]s: the continuation of an import
//! too long for one invocation, or an operator's retry.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::i18n::Lang;

/// One unit of sending work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SendJob {
    /// A test email an operator asked for through the admin API.
    TestEmail {
        to: String,
        subject: String,
        text: String,
        /// The HTML part, when the test is of an invitation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        html: Option<String>,
    },
    /// Split the next page of a distribution's list (after the member
    /// `after`) into [`SendJob::Invite`] messages.
    Plan { project_id: String, distribution_id: String, after: Option<String> },
    /// Invite these contacts (one claim each: exactly once per contact).
    Invite { project_id: String, distribution_id: String, contacts: Vec<InviteContact> },
    /// Remind the next page of a distribution's invitations that have no
    /// response yet.
    Remind { project_id: String, distribution_id: String, after: Option<String> },
}

/// A contact to invite, as the list holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteContact {
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Lang>,
}

/// Go on with (or retry) the import of one uploaded object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportJob {
    pub bucket: String,
    pub key: String,
}

/// A B2B sync run someone asked for (the console's or the API's "run
/// now"), on the import queue: `import-contacts` runs the project's sync
/// as the run `run_id` (a redelivered message resumes the same run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncNowJob {
    pub sync_project: String,
    pub run_id: String,
}

/// A report asked for through the admin API, for `generate-report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportJob {
    pub project_id: String,
    pub report_id: String,
}

/// The next slice of a long job (a GDPR erasure), also on the report queue:
/// the job's record says what to do and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceJob {
    pub project_id: String,
    pub job_id: String,
}

/// What the report queue carries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ReportQueueMessage {
    Slice(SliceJob),
    Report(ReportJob),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json_with_its_kind() {
        let job = SendJob::TestEmail { to: "a@example.com".into(), subject: "s".into(), text: "t".into(), html: None };
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.contains(r#""kind":"test_email""#));
        assert_eq!(serde_json::from_str::<SendJob>(&json).unwrap(), job);
    }

    #[test]
    fn the_report_queue_tells_a_slice_from_a_report() {
        let slice = serde_json::to_string(&SliceJob { project_id: "p".into(), job_id: "j".into() }).unwrap();
        assert!(matches!(serde_json::from_str(&slice).unwrap(), ReportQueueMessage::Slice(SliceJob { .. })));
        let report = serde_json::to_string(&ReportJob { project_id: "p".into(), report_id: "r".into() }).unwrap();
        assert!(matches!(serde_json::from_str(&report).unwrap(), ReportQueueMessage::Report(ReportJob { .. })));
        assert!(serde_json::from_str::<ReportQueueMessage>(r#"{"project_id":"p"}"#).is_err());
    }

    #[test]
    fn an_unknown_kind_is_an_error() {
        assert!(serde_json::from_str::<SendJob>(r#"{"kind":"fax","to":"x"}"#).is_err());
    }
}
