//! The contact directory's entities: contacts, suppressions, mailing lists,
//! imports (with the rules of their states) and what an erasure removed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::b2b::{B2bContactRow, B2bKind};
use super::contacts::{ContactRow, Format, RowError, Warning};
use super::imports::{Counts, ImportState};
use super::upload::UploadRef;

/// How many partition keys a project's contacts, and each list's members,
/// are spread over (issue #21). An import writes two items a row (the
/// contact and its list membership), and DynamoDB gives one partition key
/// about 1,000 write units a second: under one key each, a
/// 1,000,000-row file needed over half an hour of writes, however fast it
/// was read. Over 16 each, the 32 keys take about 32,000 units a second.
///
/// Shard 0 is the key of the design before (`PROJECT#{id}`, `LIST#{id}`),
/// so what was stored then is still found there, and a count of 1 is that
/// design exactly (the benchmark measures it beside this one).
pub const SHARDS: u32 = 16;

/// The key family of a project's contacts (shard 0 also holds its
/// suppressions and erasure marks).
pub fn contacts_base(project_id: &str) -> String {
    format!("PROJECT#{project_id}")
}

/// The key family of a list's members.
pub fn members_base(list_id: &str) -> String {
    format!("LIST#{list_id}")
}

/// The partition key `email_key` is written under in the family `base`
/// spread over `shards`: a stable hash of the address picks the shard, so
/// a contact and its memberships are found again by its address alone.
pub fn spread_pk(base: &str, email_key: &str, shards: u32) -> String {
    super::shard::key(base, super::shard::pick(email_key, shards))
}

/// Every partition key `email_key` may be stored under in the family
/// `base`: its shard first, then shard 0, where it was written before the
/// spread (one key when they are the same).
pub fn lookup_pks(base: &str, email_key: &str, shards: u32) -> Vec<String> {
    let spread = spread_pk(base, email_key, shards);
    if spread == base {
        vec![spread]
    } else {
        vec![spread, base.to_string()]
    }
}

/// A contact of a project (and, as a list member, as it was imported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    /// The project's operational fields, by exact name.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The upload that wrote it last.
    pub upload_id: String,
    pub updated_at: String,
}

impl Contact {
    pub fn from_row(row: &ContactRow, upload_id: &str, now: &str) -> Self {
        Contact {
            email: row.email.clone(),
            email_key: row.email_key.clone(),
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            fields: row.fields.clone(),
            upload_id: upload_id.to_string(),
            updated_at: now.to_string(),
        }
    }
}

impl Contact {
    /// A B2B contact as the directory keeps it: its account and client role
    /// as fields, so invitations and responses carry them.
    pub fn from_b2b_row(row: &B2bContactRow, upload_id: &str, now: &str) -> Self {
        let role = serde_json::to_value(row.role).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        Contact {
            email: row.email.clone(),
            email_key: row.email_key.clone(),
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            fields: BTreeMap::from([("AccountId".to_string(), row.account_id.clone()), ("ClientRole".to_string(), role)]),
            upload_id: upload_id.to_string(),
            updated_at: now.to_string(),
        }
    }
}

/// An address that gets no invitations from a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suppression {
    pub email_key: String,
    /// `unsubscribed`, `bounced`, `complained` or `manual`.
    pub reason: String,
    pub at: String,
}

/// Whether a list can be sent to yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListState {
    /// Its upload is being written.
    Importing,
    /// Every member is stored.
    Ready,
}

/// A mailing list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailingList {
    pub list_id: String,
    pub project_id: String,
    pub name: String,
    pub upload_id: String,
    pub state: ListState,
    /// Members, once ready.
    #[serde(default)]
    pub contacts: u64,
    pub created_at: String,
}

impl MailingList {
    /// The list an import fills: its upload's, `importing` until ready.
    pub fn importing(r: &ImportRecord, now: &str) -> Self {
        MailingList {
            list_id: r.list_id.clone(),
            project_id: r.project_id.clone(),
            name: r.list_name.clone(),
            upload_id: r.upload_id.clone(),
            state: ListState::Importing,
            contacts: 0,
            created_at: now.to_string(),
        }
    }
}

/// A contact import, from the upload URL to its report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub project_id: String,
    pub upload_id: String,
    pub file_name: String,
    /// The object key the file is uploaded to.
    pub key: String,
    pub list_id: String,
    pub list_name: String,
    pub state: ImportState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// The text encoding the file was read in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<crate::domain::contacts::TextEncoding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Final once validated.
    #[serde(default)]
    pub counts: Counts,
    /// Accepted rows stored so far (duplicates included), for progress.
    #[serde(default)]
    pub written: u64,
    /// Rows pass 1 has checked so far, and the bytes of the file it has
    /// read, for progress while validating.
    #[serde(default)]
    pub validated_rows: u64,
    #[serde(default)]
    pub validated_bytes: u64,
    /// Every accepted row up to this line is stored.
    #[serde(default)]
    pub checkpoint_line: u64,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    #[serde(default)]
    pub first_rejections: Vec<RowError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The header's missing column and its near miss, when that stopped
    /// the import (the console explains it in the reader's language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_problem: Option<crate::domain::contacts::HeaderProblem>,
    /// What the file is or holds when that stopped the import (a workbook,
    /// binary data, mixed encodings, over the size limit), for the console
    /// to explain in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_problem: Option<crate::domain::contacts::FileProblem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_key: Option<String>,
    /// Invocations that worked on it (continuations and retries included).
    #[serde(default)]
    pub invocations: u64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// A B2B file (accounts, contacts or team members); none: a contact list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b2b: Option<B2bKind>,
    /// When a different file was first written to the upload's key after
    /// the one this import holds: it was refused, as an upload takes one
    /// file (the page offers a new upload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_at: Option<String>,
}

impl ImportRecord {
    /// A new upload's record: awaiting its file, its list named `list_name`.
    pub fn new(upload: &UploadRef, list_name: String, now: &str) -> Self {
        ImportRecord {
            project_id: upload.project_id.clone(),
            upload_id: upload.upload_id.clone(),
            file_name: upload.file_name.clone(),
            key: upload.key.clone(),
            list_id: upload.upload_id.clone(),
            list_name,
            state: ImportState::AwaitingUpload,
            format: None,
            encoding: None,
            etag: None,
            size: None,
            counts: Counts::default(),
            written: 0,
            validated_rows: 0,
            validated_bytes: 0,
            checkpoint_line: 0,
            warnings: vec![],
            first_rejections: vec![],
            error: None,
            header_problem: None,
            file_problem: None,
            summary_key: None,
            rejected_key: None,
            invocations: 0,
            created_at: now.to_string(),
            updated_at: now.to_string(),
            finished_at: None,
            b2b: None,
            replaced_at: None,
        }
    }
}

/// The rules of an import's states: which step may move it, so that a
/// repeated S3 event, a retried continuation or a slower duplicate run
/// changes nothing. The store applies each only where the rule allows it.
impl ImportRecord {
    /// Pass 1 starts (or restarts) for the file version `etag`: while no
    /// file version was taken, or the same one, and before validation ended.
    pub fn may_start_validation(&self, etag: &str) -> bool {
        matches!(self.state, ImportState::AwaitingUpload | ImportState::Validating) && self.etag.as_deref().is_none_or(|e| e == etag)
    }

    /// Pass 1 ends once: only from `validating`.
    pub fn may_mark_validated(&self) -> bool {
        self.state == ImportState::Validating
    }

    /// Pass 1's progress only moves forward, and only while validating.
    pub fn may_note_validation(&self, rows: u64) -> bool {
        self.state == ImportState::Validating && self.validated_rows < rows
    }

    /// The checkpoint only moves forward, and only while writing.
    pub fn may_checkpoint(&self, line: u64) -> bool {
        self.state == ImportState::Running && self.checkpoint_line < line
    }

    /// An import ends once, as done or failed.
    pub fn may_finish(&self) -> bool {
        !self.state.is_final()
    }
}

pub use super::erasure::Erasure;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_is_spread_by_its_address_and_looked_up_where_it_was_stored_before() {
        let base = contacts_base("p1");
        assert_eq!(spread_pk(&base, "anna@example.fi", 1), "PROJECT#p1", "one shard: the key before the spread");
        assert_eq!(lookup_pks(&base, "anna@example.fi", 1), ["PROJECT#p1"]);
        let keys: std::collections::BTreeSet<String> =
            (0..2_000).map(|i| spread_pk(&members_base("l"), &format!("person.{i}@example.fi"), SHARDS)).collect();
        assert_eq!(keys.len(), SHARDS as usize, "2,000 addresses reach every shard");
        assert!(keys.contains("LIST#l") && keys.contains("LIST#l#~15"), "{keys:?}");
        let spread = spread_pk(&base, "anna@example.fi", SHARDS);
        assert_eq!(spread, spread_pk(&base, "anna@example.fi", SHARDS), "the same address, the same key");
        let found = lookup_pks(&base, "anna@example.fi", SHARDS);
        assert_eq!(found[0], spread);
        assert_eq!(found.last().map(String::as_str), Some("PROJECT#p1"), "then where it was before the spread");
    }

    fn record(state: ImportState) -> ImportRecord {
        let upload =
            UploadRef { project_id: "p".into(), upload_id: "u".into(), file_name: "f.csv".into(), key: "uploads/p/u/f.csv".into() };
        ImportRecord { state, ..ImportRecord::new(&upload, "f.csv".into(), "t") }
    }

    #[test]
    fn validation_starts_for_one_file_version_only_and_restarts_after_a_crash() {
        let fresh = record(ImportState::AwaitingUpload);
        assert!(fresh.may_start_validation("e1"));
        let started = ImportRecord { state: ImportState::Validating, etag: Some("e1".into()), ..fresh };
        // a retry of the same event (the first attempt died in pass 1)
        assert!(started.may_start_validation("e1"));
        // a second upload over the same key while the first is read
        assert!(!started.may_start_validation("e2"));
        assert!(!record(ImportState::Running).may_start_validation("e1"));
        assert!(!record(ImportState::Done).may_start_validation("e1"));
    }

    #[test]
    fn the_checkpoint_never_moves_back_and_an_import_ends_once() {
        let running = ImportRecord { checkpoint_line: 100, ..record(ImportState::Running) };
        assert!(running.may_checkpoint(101));
        assert!(!running.may_checkpoint(100));
        assert!(!running.may_checkpoint(50));
        assert!(!record(ImportState::Validating).may_checkpoint(101));
        assert!(record(ImportState::Validating).may_mark_validated());
        assert!(!running.may_mark_validated());
        assert!(running.may_finish());
        assert!(!record(ImportState::Done).may_finish());
        assert!(!record(ImportState::Failed).may_finish());
    }
}
