//! A contact import's bookkeeping: its state and counts, the rules of the
//! two passes (validate the whole file first, then write), duplicate
//! detection in bounded memory, and the report.
//!
//! Pass 1 reads the whole file and counts rows read, accepted, rejected,
//! duplicates merged and suppressed, writing each rejection to the report;
//! a file-level problem (empty, binary, a missing column…) fails the import
//! before any contact is written. Pass 2 reads the file again and writes the
//! accepted contacts; its progress is a checkpoint line (every accepted row
//! up to it is stored), so a retried or continued invocation skips what is
//! done and writes the rest exactly once.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;

use serde::{Deserialize, Serialize};

use super::contacts::{FileError, RowError, Warning};
pub use super::kinds::{key_hash, spreadsheet_safe};

/// How many rejections the import record keeps inline (the report's CSV has all).
pub const INLINE_REJECTIONS: usize = 20;

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    /// An upload URL was handed out; no file yet.
    AwaitingUpload,
    /// Pass 1: reading and checking every row; nothing written yet.
    Validating,
    /// Pass 2: writing the accepted contacts.
    Running,
    /// Every accepted contact is stored and the list is ready.
    Done,
    /// The file was refused; nothing was written.
    Failed,
}

impl ImportState {
    /// Whether the import has ended (a repeated event changes nothing).
    pub fn is_final(self) -> bool {
        matches!(self, ImportState::Done | ImportState::Failed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportState::AwaitingUpload => "awaiting_upload",
            ImportState::Validating => "validating",
            ImportState::Running => "running",
            ImportState::Done => "done",
            ImportState::Failed => "failed",
        }
    }
}

/// The counts of pass 1 (final once validated).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Rows after the header, blank lines not counted.
    pub rows_read: u64,
    /// Rows that passed every check (duplicates included).
    pub accepted: u64,
    pub rejected: u64,
    /// Accepted rows whose email an earlier accepted row already had; the
    /// later row's values win.
    pub duplicates_merged: u64,
    /// Distinct accepted contacts who are unsubscribed or suppressed: they
    /// are stored and listed, and stay suppressed.
    pub suppressed: u64,
}

impl Counts {
    /// The distinct contacts the list will hold.
    pub fn contacts(&self) -> u64 {
        self.accepted - self.duplicates_merged
    }
}

/// A set of email keys held as 64-bit hashes (8 bytes a contact, about
/// 18 MB for a million) to find duplicates without keeping the addresses.
/// SipHash with fixed keys: the same file gives the same answers in every
/// invocation. Two different addresses colliding in a million is a
/// one-in-ten-million chance; the cost would be one row counted as a
/// duplicate and written after, not instead of, the other.
#[derive(Debug, Default)]
pub struct Deduper {
    seen: HashSet<u64, BuildHasherDefault<AlreadyHashed>>,
}

/// The set's hasher: its keys are SipHash values already, so hashing them
/// again would only cost time.
#[derive(Debug, Default)]
pub struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Deduper {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a key; false if it was seen before.
    pub fn insert(&mut self, email_key: &str) -> bool {
        self.seen.insert(key_hash(email_key))
    }

    pub fn contains(&self, email_key: &str) -> bool {
        self.seen.contains(&key_hash(email_key))
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// Pass 1's tally: counts every row, remembers the first rejections and
/// writes every rejection to the report CSV.
pub struct Tally<W: Write> {
    pub counts: Counts,
    pub first_rejections: Vec<RowError>,
    seen: Deduper,
    rejects: csv::Writer<W>,
}

impl<W: Write> Tally<W> {
    /// A tally writing the rejected rows' CSV (header included) to `out`.
    pub fn new(out: W) -> std::io::Result<Self> {
        let mut rejects = csv::Writer::from_writer(out);
        rejects.write_record(["line", "column", "reason"]).map_err(std::io::Error::other)?;
        Ok(Tally { counts: Counts::default(), first_rejections: Vec::new(), seen: Deduper::new(), rejects })
    }

    /// Counts one row; `suppressed` says whether an email key (by its
    /// [`key_hash`]) is suppressed.
    pub fn row(&mut self, row: &Result<super::contacts::Row<'_>, RowError>, suppressed: impl Fn(u64) -> bool) -> std::io::Result<()> {
        match row {
            Ok(c) => {
                let hash = c.key_hash();
                self.accept(hash, suppressed(hash));
                Ok(())
            }
            Err(e) => self.reject(e),
        }
    }

    /// Counts an accepted row by its key's hash (a repeated key is a
    /// merged duplicate); `suppressed` says whether the key is suppressed.
    pub fn accept(&mut self, hash: u64, suppressed: bool) {
        self.counts.rows_read += 1;
        self.counts.accepted += 1;
        if !self.seen.seen.insert(hash) {
            self.counts.duplicates_merged += 1;
        } else if suppressed {
            self.counts.suppressed += 1;
        }
    }

    /// Counts a rejected row and writes it to the report.
    pub fn reject(&mut self, e: &RowError) -> std::io::Result<()> {
        self.counts.rows_read += 1;
        self.counts.rejected += 1;
        if self.first_rejections.len() < INLINE_REJECTIONS {
            self.first_rejections.push(e.clone());
        }
        let line = e.line.to_string();
        let column = spreadsheet_safe(e.column.as_deref().unwrap_or(""));
        let reason = spreadsheet_safe(&e.reason);
        self.rejects.write_record([line.as_str(), column.as_str(), reason.as_str()]).map_err(std::io::Error::other)
    }

    /// Flushes the CSV and hands back its writer.
    pub fn finish(self) -> std::io::Result<(Counts, Vec<RowError>, W)> {
        let out = self.rejects.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok((self.counts, self.first_rejections, out))
    }
}

/// The summary written to S3 (`summary.json`) and shown by the admin API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub project_id: String,
    pub upload_id: String,
    pub file_name: String,
    pub list_id: String,
    pub list_name: String,
    pub state: ImportState,
    pub counts: Counts,
    /// Contacts stored (distinct).
    pub contacts: u64,
    pub warnings: Vec<Warning>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub first_rejections: Vec<RowError>,
    pub rejected_rows_csv: Option<String>,
    pub finished_at: String,
}

/// The message of a file-level failure, with the file named.
pub fn file_failure(file_name: &str, e: &FileError) -> String {
    format!("{file_name}: {e}")
}

/// The message of a file over the size limit: the size rounded up to a
/// tenth of a megabyte (a file a few bytes over never reads as the limit)
/// and exact in bytes.
pub fn too_large(file_name: &str, size: u64, limit: u64) -> String {
    format!(
        "{file_name}: the file is {} MB ({} bytes); contact files may be at most {} MB ({} bytes). Split it and upload the parts.",
        megabytes_up(size),
        grouped(size),
        limit / 1_048_576,
        grouped(limit)
    )
}

/// Bytes as megabytes (MiB), rounded up to one decimal: "100.1".
pub fn megabytes_up(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10).div_ceil(1_048_576);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A count with thousands separated by commas: "104,857,600".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Checks a file name given for an upload: what S3 and the report can hold.
pub fn check_file_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the file name is empty".into());
    }
    if name.chars().count() > 200 {
        return Err("the file name is longer than 200 characters".into());
    }
    if name.contains('/') || name.contains('\\') || name.chars().any(char::is_control) {
        return Err("the file name may not contain slashes or control characters".into());
    }
    if name == "." || name == ".." {
        return Err("the file name is not a file name".into());
    }
    Ok(name.to_string())
}

/// The default list name: the file name without its extension.
pub fn list_name_for(file_name: &str) -> String {
    match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ["csv", "tsv", "txt", "tab"].contains(&ext.to_ascii_lowercase().as_str()) => {
            stem.to_string()
        }
        _ => file_name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contacts::{Found, Parser};

    #[test]
    fn the_tally_counts_duplicates_suppressions_and_rejections() {
        let file =
            "Email,FirstName,LastName\na@example.com,A,B\nA@Example.com,A,B\ns@example.com,A,B\nS@example.com,A,B\n=HYPERLINK(\"x\"),A,B\n";
        let mut t = Tally::new(Vec::new()).unwrap();
        let suppressed = |h: u64| h == key_hash("s@example.com");
        let mut p = Parser::new("list.csv", &[]);
        let mut sink = |f: Found| {
            if let Found::Row(r) = f {
                t.row(&r, suppressed).unwrap();
            }
        };
        p.push(file.as_bytes(), &mut sink).unwrap();
        p.finish(&mut sink).unwrap();
        let (counts, first, csv) = t.finish().unwrap();
        assert_eq!(counts, Counts { rows_read: 5, accepted: 4, rejected: 1, duplicates_merged: 2, suppressed: 1 });
        assert_eq!(counts.contacts(), 2);
        assert_eq!(first.len(), 1);
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with("line,column,reason\n6,Email,") && csv.contains("HYPERLINK"), "{csv}");
    }

    #[test]
    fn the_deduper_is_stable_across_instances() {
        let mut a = Deduper::new();
        assert!(a.insert("x@example.com"));
        assert!(!a.insert("x@example.com"));
        assert!(Deduper::new().insert("x@example.com"));
        assert_eq!(key_hash("x@example.com"), key_hash("X@Example.COM"));
        assert_eq!(key_hash("Jürgen@example.de"), key_hash("jürgen@example.de"));
        assert_ne!(key_hash("x@example.com"), key_hash("y@example.com"));
    }

    #[test]
    fn file_names_and_list_names() {
        assert_eq!(check_file_name(" Kunden März.csv ").unwrap(), "Kunden März.csv");
        for bad in ["", "a/b.csv", "..", "a\nb.csv"] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_file_name(&"x".repeat(201)).is_err());
        assert_eq!(list_name_for("Kunden März.CSV"), "Kunden März");
        assert_eq!(list_name_for("contacts.2026.tsv"), "contacts.2026");
        assert_eq!(list_name_for("export"), "export");
        assert_eq!(list_name_for(".csv"), ".csv");
    }

    #[test]
    fn messages_name_the_file_and_the_limit() {
        assert_eq!(
            too_large("big.csv", 101 * 1_048_576, 100 * 1_048_576),
            "big.csv: the file is 101.0 MB (105,906,176 bytes); contact files may be at most 100 MB (104,857,600 bytes). \
             Split it and upload the parts."
        );
        assert_eq!(file_failure("a.csv", &FileError::Empty), "a.csv: the file is empty");
    }

    #[test]
    fn a_file_just_over_the_limit_never_reads_as_the_limit() {
        let limit = 100 * 1_048_576;
        for over in [1, 3, 1000, 104_857] {
            let m = too_large("big.csv", limit + over, limit);
            assert!(!m.contains("is 100.0 MB") && m.contains("is 100.1 MB"), "{m}");
            assert!(m.contains(&format!("({} bytes)", grouped(limit + over))), "{m}");
        }
        assert!(too_large("big.csv", limit + 3, limit).contains("104,857,603 bytes"));
        assert_eq!(
            (megabytes_up(0), megabytes_up(1), megabytes_up(1_048_576), megabytes_up(1_048_577)),
            ("0.0".into(), "0.1".into(), "1.0".into(), "1.1".into())
        );
        assert_eq!(
            (grouped(0), grouped(999), grouped(1000), grouped(1_234_567)),
            ("0".into(), "999".into(), "1,000".into(), "1,234,567".into())
        );
    }
}
