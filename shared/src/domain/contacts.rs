//! Reading a contact list (CSV or TSV, UTF-8 with or without BOM) in
//! constant memory: bytes are pushed in chunks as they arrive from S3 and
//! come out as a checked header and, row by row, accepted contacts or
//! rejections naming the line, the column and the reason.
//!
//! Rules: `Email`, `FirstName`, `LastName` are required columns; the
//! project's operational fields are matched exactly, and a near miss
//! ("BusinessUnit" for "Business Unit", "email" for "Email") is named with the
//! suggestion; duplicate headers are refused; unknown columns are reported as
//! warnings and not stored. Values are trimmed; emails must be valid and are
//! keyed in their normalised (lower-case) form.

use std::collections::BTreeMap;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};
use serde::{Deserialize, Serialize};

use super::kinds::REQUIRED_COLUMNS;
use super::mail::{normalise_email, parse_email, valid_email};

/// The longest row accepted (bytes); a longer one stops the import.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;

/// The most fields (columns) a record may have, the header's included: a
/// row of millions of delimiters ends the file with an error instead of
/// the memory of the Lambda.
pub const MAX_FIELDS: usize = 1_000;

/// The most unused-column warnings an import lists one by one (the rest
/// are summed up in one more).
pub const MAX_WARNINGS: usize = 20;

/// Field separator of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Tsv,
}

impl Format {
    /// From the file name's extension, else from the first line (more tabs
    /// than commas: TSV).
    pub fn detect(file_name: &str, first_bytes: &[u8]) -> Format {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".tsv") || lower.ends_with(".tab") {
            return Format::Tsv;
        }
        if lower.ends_with(".csv") {
            return Format::Csv;
        }
        let line = first_bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        let tabs = line.iter().filter(|b| **b == b'\t').count();
        let commas = line.iter().filter(|b| **b == b',').count();
        if tabs > commas {
            Format::Tsv
        } else {
            Format::Csv
        }
    }

    fn delimiter(self) -> u8 {
        match self {
            Format::Csv => b',',
            Format::Tsv => b'\t',
        }
    }
}

/// A problem that stops the import before any row is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has a header but no rows")]
    HeaderOnly,
    #[error("the header (line 1) is not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)")]
    HeaderNotUtf8,
    #[error("the file does not look like a CSV or TSV text file (it contains binary data at byte {0})")]
    Binary(u64),
    #[error("the header is missing the required column {column:?}{}", suggestion_text(.found))]
    MissingColumn { column: String, found: Option<String> },
    #[error("the header is missing the operational field {column:?} of this project{}", suggestion_text(.found))]
    MissingField { column: String, found: Option<String> },
    #[error("the header names the column {column:?} twice (columns {first} and {second})")]
    DuplicateColumn { column: String, first: usize, second: usize },
    #[error("line {line} is longer than 1 MB; is a quote left open?")]
    RowTooLong { line: u64 },
    #[error("line {line} has more than {max} columns; is the delimiter right (a comma for CSV, a tab for TSV)?")]
    TooManyFields { line: u64, max: usize },
    /// A B2B file's header problem (missing or near-miss mapped column).
    #[error("{message}")]
    Header { message: String, column: String, found: Option<String> },
}

/// A column the header lacks, and the near miss the file has instead, for
/// a page to explain in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderProblem {
    pub column: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

impl FileError {
    /// The missing column with its near miss, when that is the problem.
    pub fn header_problem(&self) -> Option<HeaderProblem> {
        match self {
            FileError::MissingColumn { column, found } | FileError::MissingField { column, found } => {
                Some(HeaderProblem { column: column.clone(), found: found.clone() })
            }
            FileError::Header { column, found, .. } => Some(HeaderProblem { column: column.clone(), found: found.clone() }),
            _ => None,
        }
    }
}

fn suggestion_text(found: &Option<String>) -> String {
    match found {
        Some(f) => format!("; the file has {f:?}, which is close but not exact (names must match exactly: case, spaces and punctuation)"),
        None => String::new(),
    }
}

/// A column of the file that is not used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub column: String,
    pub message: String,
}

/// Where each needed column stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub columns: Vec<String>,
    email: usize,
    first_name: usize,
    last_name: usize,
    fields: Vec<(String, usize)>,
    pub warnings: Vec<Warning>,
}

/// Compares names loosely, to find near misses: case, spaces and
/// punctuation ignored.
fn loose(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

pub(crate) fn near_miss<'a>(wanted: &str, columns: &'a [String]) -> Option<&'a String> {
    let w = loose(wanted);
    columns
        .iter()
        .filter(|c| c.as_str() != wanted)
        .map(|c| (c, strsim::levenshtein(&w, &loose(c))))
        .filter(|(_, d)| *d <= 2.min(w.len() / 3))
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

impl Header {
    /// Checks the header cells against the required columns and the
    /// project's operational fields.
    pub fn check(cells: &[String], operational_fields: &[String]) -> Result<Header, FileError> {
        for (i, c) in cells.iter().enumerate() {
            if let Some(j) = cells[..i].iter().position(|d| d == c) {
                return Err(FileError::DuplicateColumn { column: c.clone(), first: j + 1, second: i + 1 });
            }
        }
        let find = |name: &str| cells.iter().position(|c| c == name);
        let required = |name: &str| {
            find(name).ok_or_else(|| FileError::MissingColumn { column: name.to_string(), found: near_miss(name, cells).cloned() })
        };
        let email = required(REQUIRED_COLUMNS[0])?;
        let first_name = required(REQUIRED_COLUMNS[1])?;
        let last_name = required(REQUIRED_COLUMNS[2])?;
        let mut fields = Vec::new();
        for f in operational_fields {
            match find(f) {
                Some(i) => fields.push((f.clone(), i)),
                None => return Err(FileError::MissingField { column: f.clone(), found: near_miss(f, cells).cloned() }),
            }
        }
        let used: Vec<usize> = [email, first_name, last_name].into_iter().chain(fields.iter().map(|(_, i)| *i)).collect();
        let unused: Vec<&String> = cells.iter().enumerate().filter(|(i, _)| !used.contains(i)).map(|(_, c)| c).collect();
        let mut warnings: Vec<Warning> = unused
            .iter()
            .take(MAX_WARNINGS)
            .map(|c| Warning {
                column: c.to_string(),
                message: format!("the column {c:?} is not an operational field of this project; its values are not stored"),
            })
            .collect();
        if unused.len() > MAX_WARNINGS {
            let more = unused.len() - MAX_WARNINGS;
            warnings.push(Warning {
                column: "…".into(),
                message: format!("and {more} more columns are not operational fields of this project; their values are not stored"),
            });
        }
        Ok(Header { columns: cells.to_vec(), email, first_name, last_name, fields, warnings })
    }
}

/// An accepted row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub line: u64,
    /// The key: trimmed, lower-case.
    pub email_key: String,
    /// As given (trimmed).
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub fields: BTreeMap<String, String>,
}

/// A rejected row: where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

/// The cells of one record, borrowed from the parser's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Cells<'a> {
    output: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Cells<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &'a [u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.output[start..self.ends[i]]
    }

    fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// An accepted row, borrowed from the parser's buffer: checked, not yet
/// copied (pass 1 only counts it; pass 2 takes [`Row::to_owned`]).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub line: u64,
    /// Trimmed, as given.
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    header: &'a Header,
    cells: Cells<'a>,
}

impl Row<'_> {
    /// The 64-bit hash of the row's email key (see [`super::kinds::key_hash`]).
    pub fn key_hash(&self) -> u64 {
        super::kinds::key_hash(self.email)
    }

    pub fn to_owned(&self) -> ContactRow {
        let fields = self
            .header
            .fields
            .iter()
            .map(|(name, i)| (name.clone(), std::str::from_utf8(self.cells.get(*i)).unwrap_or_default().trim().to_string()))
            .collect();
        ContactRow {
            line: self.line,
            email_key: normalise_email(self.email),
            email: self.email.to_string(),
            first_name: self.first_name.to_string(),
            last_name: self.last_name.to_string(),
            fields,
        }
    }
}

impl Header {
    /// Checks one row's cells (raw bytes) against the header, copying nothing.
    pub fn row<'a>(&'a self, line: u64, cells: Cells<'a>) -> Result<Row<'a>, RowError> {
        let fail = |column: Option<&str>, reason: String| RowError { line, column: column.map(str::to_string), reason };
        if cells.len() != self.columns.len() {
            return Err(fail(None, format!("the row has {} columns; the header has {}", cells.len(), self.columns.len())));
        }
        let text = |i: usize| -> Result<&'a str, RowError> {
            std::str::from_utf8(cells.get(i)).map(str::trim).map_err(|e| {
                fail(
                    Some(&self.columns[i]),
                    format!("not valid UTF-8 text (byte {} of the value); save the file as UTF-8", e.valid_up_to() + 1),
                )
            })
        };
        let email = text(self.email)?;
        if !valid_email(email) {
            let reason = match parse_email(email) {
                _ if email.is_empty() => "the email address is missing".to_string(),
                Err(e) => e.to_string(),
                Ok(_) => format!("{email:?} is not a valid email address"),
            };
            return Err(fail(Some(REQUIRED_COLUMNS[0]), reason));
        }
        let first_name = text(self.first_name)?;
        if first_name.is_empty() {
            return Err(fail(Some(REQUIRED_COLUMNS[1]), "the first name is missing".into()));
        }
        let last_name = text(self.last_name)?;
        if last_name.is_empty() {
            return Err(fail(Some(REQUIRED_COLUMNS[2]), "the last name is missing".into()));
        }
        for (_, i) in &self.fields {
            text(*i)?;
        }
        Ok(Row { line, email, first_name, last_name, header: self, cells })
    }
}

/// What the parser found.
#[derive(Debug, Clone)]
pub enum Found<'a> {
    Header(Header),
    Row(Result<Row<'a>, RowError>),
}

/// The records of a CSV/TSV file, pushed in chunks of any size: the byte
/// mechanics (binary data, overlong rows, line numbers, the BOM, the
/// header's UTF-8) shared by every kind of upload; what a record means is
/// the caller's.
pub struct Records {
    reader: Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
    record_line: u64,
    bytes_seen: u64,
    header_seen: bool,
    rows: u64,
    done: bool,
}

/// One record of the file.
pub enum Record<'a> {
    /// The first record: the column names, trimmed, without a BOM.
    Header(Vec<String>),
    /// A later, non-blank record, with the line it starts on.
    Row(u64, Cells<'a>),
}

impl Records {
    pub fn new(format: Format) -> Self {
        Records {
            // Records end at '\n' (a '\r' before it is trimmed with the
            // value), so that line numbers are exact and blank lines count.
            reader: ReaderBuilder::new().delimiter(format.delimiter()).terminator(Terminator::Any(b'\n')).build(),
            output: vec![0; 4096],
            ends: vec![0; 64],
            out_len: 0,
            ends_len: 0,
            record_line: 1,
            bytes_seen: 0,
            header_seen: false,
            rows: 0,
            done: false,
        }
    }

    /// Rows read so far (blank lines not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Feeds a chunk; `record` receives the header, then each row. A
    /// record's error stops the file. Call [`Records::finish`] after the last chunk.
    pub fn push(&mut self, mut input: &[u8], record: &mut impl FnMut(Record<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
        if let Some(at) = input.iter().position(|b| *b == 0) {
            return Err(FileError::Binary(self.bytes_seen + at as u64));
        }
        self.bytes_seen += input.len() as u64;
        while !input.is_empty() {
            let (res, nin, nout, nend) = self.reader.read_record(input, &mut self.output[self.out_len..], &mut self.ends[self.ends_len..]);
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            self.step(res, record)?;
        }
        Ok(())
    }

    /// Ends the file: an empty file or one with only a header is an error.
    pub fn finish(&mut self, record: &mut impl FnMut(Record<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
        while !self.done {
            let (res, _, nout, nend) = self.reader.read_record(&[], &mut self.output[self.out_len..], &mut self.ends[self.ends_len..]);
            self.out_len += nout;
            self.ends_len += nend;
            self.step(res, record)?;
        }
        if !self.header_seen {
            Err(FileError::Empty)
        } else if self.rows == 0 {
            Err(FileError::HeaderOnly)
        } else {
            Ok(())
        }
    }

    fn step(&mut self, res: ReadRecordResult, record: &mut impl FnMut(Record<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
        match res {
            ReadRecordResult::InputEmpty => Ok(()),
            ReadRecordResult::OutputFull => {
                if self.output.len() >= MAX_ROW_BYTES {
                    return Err(FileError::RowTooLong { line: self.record_line });
                }
                let grown = self.output.len() * 2;
                self.output.resize(grown, 0);
                Ok(())
            }
            ReadRecordResult::OutputEndsFull => {
                if self.ends.len() >= MAX_FIELDS {
                    return Err(FileError::TooManyFields { line: self.record_line, max: MAX_FIELDS });
                }
                let grown = (self.ends.len() * 2).min(MAX_FIELDS);
                self.ends.resize(grown, 0);
                Ok(())
            }
            ReadRecordResult::Record => {
                let line = self.record_line;
                self.record_line = self.reader.line();
                let cells = Cells { output: &self.output[..self.out_len], ends: &self.ends[..self.ends_len] };
                let blank = cells.iter().all(|c| c.iter().all(u8::is_ascii_whitespace));
                let result = if !self.header_seen {
                    let mut names = cells
                        .iter()
                        .map(|c| std::str::from_utf8(c).map(|s| s.trim().to_string()))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|_| FileError::HeaderNotUtf8)?;
                    // csv-core drops a BOM only when it arrives whole in the first chunk
                    if let Some(first) = names.first_mut() {
                        *first = first.trim_start_matches('\u{feff}').trim().to_string();
                    }
                    self.header_seen = true;
                    record(Record::Header(names))
                } else if blank {
                    Ok(())
                } else {
                    self.rows += 1;
                    record(Record::Row(line, cells))
                };
                self.out_len = 0;
                self.ends_len = 0;
                result
            }
            ReadRecordResult::End => {
                self.done = true;
                Ok(())
            }
        }
    }
}

impl<'a> Cells<'a> {
    /// The cells as trimmed text; a cell that is not UTF-8 is named by its
    /// column (from `columns`) in the error.
    pub fn texts(&self, line: u64, columns: &[String]) -> Result<Vec<String>, RowError> {
        (0..self.len())
            .map(|i| {
                std::str::from_utf8(self.get(i)).map(|s| s.trim().to_string()).map_err(|e| RowError {
                    line,
                    column: columns.get(i).cloned(),
                    reason: format!("not valid UTF-8 text (byte {} of the value); save the file as UTF-8", e.valid_up_to() + 1),
                })
            })
            .collect()
    }
}

/// A push parser of contact lists: feed it the file's bytes in chunks of
/// any size.
pub struct Parser {
    records: Records,
    operational_fields: Vec<String>,
    header: Option<Header>,
}

impl Parser {
    pub fn new(format: Format, operational_fields: &[String]) -> Self {
        Parser { records: Records::new(format), operational_fields: operational_fields.to_vec(), header: None }
    }

    /// Rows read so far (accepted or rejected, blank lines not counted).
    pub fn rows(&self) -> u64 {
        self.records.rows()
    }

    /// Feeds a chunk; `found` receives the header, then each row. Call
    /// [`Parser::finish`] after the last chunk.
    pub fn push(&mut self, input: &[u8], found: &mut impl FnMut(Found<'_>)) -> Result<(), FileError> {
        let (header, ops) = (&mut self.header, &self.operational_fields);
        self.records.push(input, &mut |r| Self::record(header, ops, r, found))
    }

    /// Ends the file.
    pub fn finish(&mut self, found: &mut impl FnMut(Found<'_>)) -> Result<(), FileError> {
        let (header, ops) = (&mut self.header, &self.operational_fields);
        self.records.finish(&mut |r| Self::record(header, ops, r, found))
    }

    fn record(header: &mut Option<Header>, ops: &[String], r: Record<'_>, found: &mut impl FnMut(Found<'_>)) -> Result<(), FileError> {
        match (r, &*header) {
            (Record::Header(names), _) => {
                let h = Header::check(&names, ops)?;
                *header = Some(h.clone());
                found(Found::Header(h));
            }
            (Record::Row(line, cells), Some(h)) => found(Found::Row(h.row(line, cells))),
            (Record::Row(..), None) => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(f: &[&str]) -> Vec<String> {
        f.iter().map(|s| s.to_string()).collect()
    }

    /// Parses a whole file in chunks of `chunk` bytes.
    fn parse(bytes: &[u8], format: Format, ops: &[String], chunk: usize) -> Result<(Header, Vec<Result<ContactRow, RowError>>), FileError> {
        let mut p = Parser::new(format, ops);
        let mut header = None;
        let mut rows = Vec::new();
        let mut sink = |f: Found| match f {
            Found::Header(h) => header = Some(h),
            Found::Row(r) => rows.push(r.map(|r| r.to_owned())),
        };
        for c in bytes.chunks(chunk.max(1)) {
            p.push(c, &mut sink)?;
        }
        p.finish(&mut sink)?;
        Ok((header.unwrap(), rows))
    }

    #[test]
    fn reads_quoted_fields_bom_crlf_and_trims() {
        let file = "\u{feff}Email,FirstName,LastName,Business Unit\r\n\" Anna@Example.FI \",Anna,\"Virtanen, M.\",\"North\nEast\"\r\nb@example.com,\"Bo \"\"B\"\"\",Berg,South\r\n";
        for chunk in [1, 3, 7, 4096] {
            let (h, rows) = parse(file.as_bytes(), Format::Csv, &fields(&["Business Unit"]), chunk).unwrap();
            assert!(h.warnings.is_empty());
            let a = rows[0].as_ref().unwrap();
            assert_eq!((a.line, a.email_key.as_str(), a.email.as_str()), (2, "anna@example.fi", "Anna@Example.FI"));
            assert_eq!(a.last_name, "Virtanen, M.");
            assert_eq!(a.fields["Business Unit"], "North\nEast");
            let b = rows[1].as_ref().unwrap();
            assert_eq!(b.line, 4, "line numbers count the embedded newline");
            assert_eq!(b.first_name, "Bo \"B\"");
        }
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let (_, rows) = parse(b"Email,FirstName,LastName\n\n  \r\nbad,A,B\n", Format::Csv, &[], 4).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].as_ref().unwrap_err().line, 4);
    }

    #[test]
    fn reads_tsv_and_detects_the_format() {
        assert_eq!(Format::detect("list.TSV", b""), Format::Tsv);
        assert_eq!(Format::detect("list.csv", b"a\tb\tc"), Format::Csv);
        assert_eq!(Format::detect("upload", b"Email\tFirstName\tLastName\n"), Format::Tsv);
        let (_, rows) = parse(b"Email\tFirstName\tLastName\na@example.com\tA\tB\n", Format::Tsv, &[], 5).unwrap();
        assert_eq!(rows[0].as_ref().unwrap().last_name, "B");
    }

    #[test]
    fn near_misses_are_named_with_the_suggestion() {
        let e = parse(b"email,FirstName,LastName\n", Format::Csv, &[], 99).unwrap_err();
        assert_eq!(e, FileError::MissingColumn { column: "Email".into(), found: Some("email".into()) });
        let e = parse(b"Email,FirstName,LastName,BusinessUnit\nx", Format::Csv, &fields(&["Business Unit"]), 99).unwrap_err();
        assert_eq!(e, FileError::MissingField { column: "Business Unit".into(), found: Some("BusinessUnit".into()) });
        assert!(e.to_string().contains("\"BusinessUnit\", which is close but not exact"));
        let e = parse(b"Email,FirstName,Surname\n", Format::Csv, &[], 99).unwrap_err();
        assert_eq!(e, FileError::MissingColumn { column: "LastName".into(), found: None });
    }

    #[test]
    fn duplicate_headers_are_refused_and_unknown_columns_warned() {
        let e = parse(b"Email,FirstName,LastName,Email\n", Format::Csv, &[], 99).unwrap_err();
        assert_eq!(e, FileError::DuplicateColumn { column: "Email".into(), first: 1, second: 4 });
        let (h, _) = parse(b"Email,FirstName,LastName,Shoe size\na@example.com,A,B,44\n", Format::Csv, &[], 99).unwrap();
        assert_eq!(h.warnings.len(), 1);
        assert_eq!(h.warnings[0].column, "Shoe size");
    }

    #[test]
    fn each_bad_row_is_rejected_with_line_column_and_reason() {
        let file = b"Email,FirstName,LastName\nnot-an-email,A,B\nc@example.com,,B\nd@example.com,D\ne@example.com,\xe9t\xe9,E\n,F,G\nok@example.com,O,K\n";
        let (_, rows) = parse(file, Format::Csv, &[], 6).unwrap();
        let errs: Vec<(u64, Option<String>)> = rows.iter().filter_map(|r| r.as_ref().err()).map(|e| (e.line, e.column.clone())).collect();
        assert_eq!(
            errs,
            vec![
                (2, Some("Email".into())),
                (3, Some("FirstName".into())),
                (4, None),
                (5, Some("FirstName".into())),
                (6, Some("Email".into())),
            ]
        );
        assert!(rows[2].as_ref().unwrap_err().reason.contains("2 columns; the header has 3"));
        assert!(rows[3].as_ref().unwrap_err().reason.contains("UTF-8"));
        assert_eq!(rows[5].as_ref().unwrap().email_key, "ok@example.com");
    }

    #[test]
    fn empty_header_only_binary_and_endless_rows_stop_the_file() {
        assert_eq!(parse(b"", Format::Csv, &[], 9).unwrap_err(), FileError::Empty);
        assert_eq!(parse(b"Email,FirstName,LastName\r\n\r\n", Format::Csv, &[], 9).unwrap_err(), FileError::HeaderOnly);
        assert_eq!(parse(b"\x89PNG\r\n\x1a\n\0\0", Format::Csv, &[], 9).unwrap_err(), FileError::Binary(8));
        assert_eq!(parse(b"Em\xe9il,FirstName,LastName\n", Format::Csv, &[], 9).unwrap_err(), FileError::HeaderNotUtf8);
        let mut open_quote = b"Email,FirstName,LastName\na@example.com,\"".to_vec();
        open_quote.extend(std::iter::repeat_n(b'x', MAX_ROW_BYTES + 10));
        assert_eq!(parse(&open_quote, Format::Csv, &[], 65536).unwrap_err(), FileError::RowTooLong { line: 2 });
    }

    #[test]
    fn a_row_of_millions_of_commas_ends_the_file_early_and_in_little_memory() {
        // 50 million commas, fed a megabyte at a time: the parser stops at
        // the first megabyte, never holding more than MAX_FIELDS field ends
        let mut p = Parser::new(Format::Csv, &[]);
        let mut sink = |_: Found| {};
        p.push(
            b"Email,FirstName,LastName
a@example.com,",
            &mut sink,
        )
        .unwrap();
        let commas = vec![b','; 1 << 20];
        let mut stopped = None;
        for i in 0..48 {
            if let Err(e) = p.push(&commas, &mut sink) {
                stopped = Some((i, e));
                break;
            }
        }
        assert_eq!(stopped, Some((0, FileError::TooManyFields { line: 2, max: MAX_FIELDS })));
        assert!(FileError::TooManyFields { line: 2, max: MAX_FIELDS }.to_string().contains("delimiter"));
    }

    #[test]
    fn a_header_too_wide_is_a_file_error_and_many_unused_columns_are_summed_up() {
        let wide: Vec<String> = (0..5_000).map(|i| format!("Extra{i}")).collect();
        let header = format!(
            "Email,FirstName,LastName,{}
a@example.com,A,B{}
",
            wide.join(","),
            ",x".repeat(5_000)
        );
        assert_eq!(parse(header.as_bytes(), Format::Csv, &[], 4096).unwrap_err(), FileError::TooManyFields { line: 1, max: MAX_FIELDS });
        let some: Vec<String> = (0..300).map(|i| format!("Extra{i}")).collect();
        let file = format!(
            "Email,FirstName,LastName,{}
a@example.com,A,B{}
",
            some.join(","),
            ",x".repeat(300)
        );
        let (h, rows) = parse(file.as_bytes(), Format::Csv, &[], 4096).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(h.warnings.len(), MAX_WARNINGS + 1);
        assert!(h.warnings[MAX_WARNINGS].message.starts_with("and 280 more columns"), "{:?}", h.warnings[MAX_WARNINGS]);
    }

    fn csv_quote(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\"\""))
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), chunk in 1usize..64) {
            let _ = parse(&bytes, Format::Csv, &fields(&["Region"]), chunk);
            let _ = parse(&bytes, Format::Tsv, &[], chunk);
        }

        #[test]
        fn any_valid_contact_list_round_trips_exactly(
            rows in proptest::collection::vec(("[a-z]{1,8}", "[a-z]{2,8}", "[^\u{0}\r\n]{1,12}", "[^\u{0}]{0,12}"), 1..20),
            chunk in 1usize..50,
        ) {
            let mut file = String::from("Email,FirstName,LastName,Region\n");
            for (i, (local, domain, first, region)) in rows.iter().enumerate() {
                file.push_str(&format!("{local}{i}@{domain}.example,{},Last,{}\n", csv_quote(first), csv_quote(region)));
            }
            let (_, parsed) = parse(file.as_bytes(), Format::Csv, &fields(&["Region"]), chunk).unwrap();
            let expected: Vec<(String, String, String)> = rows
                .iter()
                .enumerate()
                .filter(|(_, (_, _, first, _))| !first.trim().is_empty())
                .map(|(i, (l, d, f, r))| (format!("{l}{i}@{d}.example"), f.trim().to_string(), r.trim().to_string()))
                .collect();
            let got: Vec<(String, String, String)> = parsed
                .iter()
                .filter_map(|r| r.as_ref().ok())
                .map(|c| (c.email.clone(), c.first_name.clone(), c.fields["Region"].clone()))
                .collect();
            prop_assert_eq!(got, expected);
        }
    }
}
