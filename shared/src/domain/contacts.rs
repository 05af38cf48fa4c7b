//! Reading a contact list in constant memory: bytes are pushed in chunks as
//! they arrive from S3 and come out as a checked header and, row by row,
//! accepted contacts or rejections naming the line, the column and the
//! reason.
//!
//! Files are read as spreadsheet programs write them (see [`super::textfile`]):
//! comma, semicolon or tab as the delimiter (told from the header line),
//! UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode
//! Text"), Windows-1252 and Mac Roman (Excel's plain "CSV"), LF, CRLF or
//! CR line ends. A workbook or other binary file is refused for what it is;
//! an encoding problem stops the whole file, never one row at a time.
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
use super::textfile::{Decoder, TextError};
pub use super::textfile::{NotText, TextEncoding};

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
    /// Comma-separated.
    Csv,
    /// Tab-separated (also Excel's "Unicode Text").
    Tsv,
    /// Semicolon-separated: Excel's "CSV" where the decimal mark is a
    /// comma (German, Finnish), LibreOffice in those languages.
    Semicolon,
}

impl Format {
    pub fn delimiter(self) -> u8 {
        match self {
            Format::Csv => b',',
            Format::Tsv => b'\t',
            Format::Semicolon => b';',
        }
    }

    /// The delimiters to try, the file name's most likely first (it wins a tie).
    fn preference(file_name: &str) -> [Format; 3] {
        let lower = file_name.to_ascii_lowercase();
        if [".tsv", ".tab", ".txt"].iter().any(|e| lower.ends_with(e)) {
            [Format::Tsv, Format::Csv, Format::Semicolon]
        } else {
            [Format::Csv, Format::Semicolon, Format::Tsv]
        }
    }

    /// The delimiter of a header line: the one that splits it into the most
    /// `known` column names (exactly, then loosely), then into the most
    /// fields; the file name breaks a tie.
    pub fn sniff(file_name: &str, header_line: &str, known: &[String]) -> Format {
        let known_loose: Vec<String> = known.iter().map(|k| loose(k)).collect();
        let score = |f: Format| {
            let cells = split_line(header_line, f.delimiter() as char);
            let exact = cells.iter().filter(|c| known.contains(c)).count();
            let near = cells.iter().filter(|c| known_loose.contains(&loose(c))).count();
            (exact, near, cells.len())
        };
        let order = Format::preference(file_name);
        let mut best = (order[0], score(order[0]));
        for f in &order[1..] {
            let s = score(*f);
            if s > best.1 {
                best = (*f, s);
            }
        }
        best.0
    }
}

/// The cells of one line split at `delimiter` outside quotes, unquoted and
/// trimmed (for telling the delimiter only; records are read by csv-core).
fn split_line(line: &str, delimiter: char) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().expect("a cell").push('"');
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => cells.push(String::new()),
            c => cells.last_mut().expect("a cell").push(c),
        }
    }
    cells.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_string()).collect()
}

/// A problem that stops the import before any row is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has a header but no rows")]
    HeaderOnly,
    #[error("the file is {}, not a CSV file: {}", .0.describe(), .0.advice())]
    NotText(NotText),
    #[error("the file is not a text file (it contains binary data at byte {0}); save the list as CSV UTF-8 and upload that file")]
    Binary(u64),
    #[error("line {line} is not in the text encoding of the lines before it: the file mixes encodings; save it again as CSV UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\")")]
    MixedEncoding { line: u64 },
    #[error("the header is missing the required column {column:?}{}", suggestion_text(.found))]
    MissingColumn { column: String, found: Option<String> },
    #[error("the header is missing the operational field {column:?} of this project{}", suggestion_text(.found))]
    MissingField { column: String, found: Option<String> },
    #[error("the header names the column {column:?} twice (columns {first} and {second})")]
    DuplicateColumn { column: String, first: usize, second: usize },
    #[error("line {line} is longer than 1 MB; is a quote left open?")]
    RowTooLong { line: u64 },
    #[error("line {line} has more than {max} columns; is a quote left open, or is the delimiter not a comma, semicolon or tab?")]
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

impl From<TextError> for FileError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::NotText(kind) => FileError::NotText(kind),
            TextError::Binary(at) => FileError::Binary(at),
            TextError::MixedEncoding { line } => FileError::MixedEncoding { line },
        }
    }
}

/// A file-level problem that is not the header's, for a page to explain in
/// the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileProblem {
    /// A workbook, PDF, image or archive.
    NotText { what: NotText },
    /// Binary data at this byte.
    Binary { at: u64 },
    /// The encoding changes at this line.
    MixedEncoding { line: u64 },
    /// Over the size limit (both in bytes).
    TooLarge { size: u64, limit: u64 },
}

impl FileError {
    /// What the file is or holds, when that is the problem.
    pub fn file_problem(&self) -> Option<FileProblem> {
        match self {
            FileError::NotText(what) => Some(FileProblem::NotText { what: *what }),
            FileError::Binary(at) => Some(FileProblem::Binary { at: *at }),
            FileError::MixedEncoding { line } => Some(FileProblem::MixedEncoding { line: *line }),
            _ => None,
        }
    }

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
pub(crate) fn loose(name: &str) -> String {
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
/// mechanics (what the file is, its encoding, line ends and delimiter,
/// overlong rows, line numbers, the BOM) shared by every kind of upload;
/// what a record means is the caller's.
pub struct Records {
    decoder: Decoder,
    /// The text of the chunk being read (reused).
    text: Vec<u8>,
    /// Text before the header line has ended (its delimiter is not known yet).
    head: Vec<u8>,
    /// How far `head` was searched for the header's end, and whether a quote
    /// is open there.
    head_scanned: (usize, bool),
    file_name: String,
    known: Vec<String>,
    format: Option<Format>,
    reader: Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
    record_line: u64,
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
    /// Reads a file named `file_name` whose header should hold the `known`
    /// columns (they tell its delimiter).
    pub fn new(file_name: &str, known: &[String]) -> Self {
        Records {
            decoder: Decoder::new(),
            text: Vec::new(),
            head: Vec::new(),
            head_scanned: (0, false),
            file_name: file_name.to_string(),
            known: known.to_vec(),
            format: None,
            reader: Self::reader(Format::Csv),
            output: vec![0; 4096],
            ends: vec![0; 64],
            out_len: 0,
            ends_len: 0,
            record_line: 1,
            header_seen: false,
            rows: 0,
            done: false,
        }
    }

    fn reader(format: Format) -> Reader {
        // Records end at '\n' (the decoder makes every line end one), so
        // that line numbers are exact and blank lines count.
        ReaderBuilder::new().delimiter(format.delimiter()).terminator(Terminator::Any(b'\n')).build()
    }

    /// Rows read so far (blank lines not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The delimiter, once the header line has been read.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// The text encoding, as far as the file has been read.
    pub fn encoding(&self) -> Option<TextEncoding> {
        self.decoder.encoding()
    }

    /// Feeds a chunk; `record` receives the header, then each row. A
    /// record's error stops the file. Call [`Records::finish`] after the last chunk.
    pub fn push(&mut self, input: &[u8], record: &mut impl FnMut(Record<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let result = match self.decoder.push(input, &mut text) {
            Ok(()) => self.feed(&text, false, record),
            Err(e) => Err(e.into()),
        };
        self.text = text;
        result
    }

    /// Ends the file: an empty file or one with only a header is an error.
    pub fn finish(&mut self, record: &mut impl FnMut(Record<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        self.decoder.finish(&mut text)?;
        self.feed(&text, true, record)?;
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

    /// Reads decoded text; until the header line has ended, holds it back
    /// to tell the delimiter from the whole line.
    fn feed(&mut self, text: &[u8], last: bool, record: &mut impl FnMut(Record<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
        if self.format.is_some() {
            return self.parse(text, record);
        }
        self.head.extend_from_slice(text);
        let (mut at, mut quoted) = self.head_scanned;
        let mut end = None;
        while at < self.head.len() {
            match self.head[at] {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => {
                    end = Some(at);
                    break;
                }
                _ => {}
            }
            at += 1;
        }
        self.head_scanned = (at, quoted);
        if end.is_none() && !last && self.head.len() < MAX_ROW_BYTES {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&self.head[..end.unwrap_or(self.head.len())]);
        let format = Format::sniff(&self.file_name, &line, &self.known);
        self.format = Some(format);
        self.reader = Self::reader(format);
        let head = std::mem::take(&mut self.head);
        self.parse(&head, record)
    }

    fn parse(&mut self, mut input: &[u8], record: &mut impl FnMut(Record<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
        while !input.is_empty() {
            let (res, nin, nout, nend) = self.reader.read_record(input, &mut self.output[self.out_len..], &mut self.ends[self.ends_len..]);
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            self.step(res, record)?;
        }
        Ok(())
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
                    // the decoder wrote UTF-8
                    let mut names: Vec<String> = cells.iter().map(|c| String::from_utf8_lossy(c).trim().to_string()).collect();
                    // a second BOM (a file saved twice over) is no part of the name
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
    /// Reads the file `file_name` (its extension breaks a tie between
    /// delimiters) against the project's `operational_fields`.
    pub fn new(file_name: &str, operational_fields: &[String]) -> Self {
        let known: Vec<String> = REQUIRED_COLUMNS.iter().map(|c| c.to_string()).chain(operational_fields.iter().cloned()).collect();
        Parser { records: Records::new(file_name, &known), operational_fields: operational_fields.to_vec(), header: None }
    }

    /// Rows read so far (accepted or rejected, blank lines not counted).
    pub fn rows(&self) -> u64 {
        self.records.rows()
    }

    /// The delimiter, once the header line has been read.
    pub fn format(&self) -> Option<Format> {
        self.records.format()
    }

    /// The text encoding, as far as the file has been read (final after
    /// [`Parser::finish`]).
    pub fn encoding(&self) -> Option<TextEncoding> {
        self.records.encoding()
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
    fn parse(
        bytes: &[u8],
        file_name: &str,
        ops: &[String],
        chunk: usize,
    ) -> Result<(Header, Vec<Result<ContactRow, RowError>>), FileError> {
        let mut p = Parser::new(file_name, ops);
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
            let (h, rows) = parse(file.as_bytes(), "list.csv", &fields(&["Business Unit"]), chunk).unwrap();
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
        let (_, rows) = parse(b"Email,FirstName,LastName\n\n  \r\nbad,A,B\n", "list.csv", &[], 4).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].as_ref().unwrap_err().line, 4);
    }

    #[test]
    fn reads_tsv_and_tells_the_delimiter_from_the_header() {
        let known = fields(&["Email", "FirstName", "LastName"]);
        assert_eq!(Format::sniff("list.TSV", "", &known), Format::Tsv);
        assert_eq!(Format::sniff("list.csv", "", &known), Format::Csv);
        assert_eq!(Format::sniff("list.csv", "Email\tFirstName\tLastName", &known), Format::Tsv);
        assert_eq!(Format::sniff("upload", "Email;FirstName;LastName", &known), Format::Semicolon);
        // the known columns win over the count of fields
        assert_eq!(Format::sniff("x.csv", "\"Email\";\"FirstName\";\"LastName\";\"Notes, misc\"", &known), Format::Semicolon);
        assert_eq!(Format::sniff("x.csv", "Email,FirstName,LastName,Region;Area;Zone;Unit", &known), Format::Csv);
        // nothing known: the most fields
        assert_eq!(Format::sniff("x.csv", "a;b;c,d", &[]), Format::Semicolon);
        let (_, rows) = parse(b"Email\tFirstName\tLastName\na@example.com\tA\tB\n", "list.tsv", &[], 5).unwrap();
        assert_eq!(rows[0].as_ref().unwrap().last_name, "B");
    }

    #[test]
    fn near_misses_are_named_with_the_suggestion() {
        let e = parse(b"email,FirstName,LastName\n", "list.csv", &[], 99).unwrap_err();
        assert_eq!(e, FileError::MissingColumn { column: "Email".into(), found: Some("email".into()) });
        let e = parse(b"Email,FirstName,LastName,BusinessUnit\nx", "list.csv", &fields(&["Business Unit"]), 99).unwrap_err();
        assert_eq!(e, FileError::MissingField { column: "Business Unit".into(), found: Some("BusinessUnit".into()) });
        assert!(e.to_string().contains("\"BusinessUnit\", which is close but not exact"));
        let e = parse(b"Email,FirstName,Surname\n", "list.csv", &[], 99).unwrap_err();
        assert_eq!(e, FileError::MissingColumn { column: "LastName".into(), found: None });
    }

    #[test]
    fn duplicate_headers_are_refused_and_unknown_columns_warned() {
        let e = parse(b"Email,FirstName,LastName,Email\n", "list.csv", &[], 99).unwrap_err();
        assert_eq!(e, FileError::DuplicateColumn { column: "Email".into(), first: 1, second: 4 });
        let (h, _) = parse(b"Email,FirstName,LastName,Shoe size\na@example.com,A,B,44\n", "list.csv", &[], 99).unwrap();
        assert_eq!(h.warnings.len(), 1);
        assert_eq!(h.warnings[0].column, "Shoe size");
    }

    #[test]
    fn each_bad_row_is_rejected_with_line_column_and_reason() {
        let file = b"Email,FirstName,LastName\nnot-an-email,A,B\nc@example.com,,B\nd@example.com,D\ne@example.com,\xe9t\xe9,E\n,F,G\nok@example.com,O,K\n";
        let (_, rows) = parse(file, "list.csv", &[], 6).unwrap();
        let errs: Vec<(u64, Option<String>)> = rows.iter().filter_map(|r| r.as_ref().err()).map(|e| (e.line, e.column.clone())).collect();
        assert_eq!(errs, vec![(2, Some("Email".into())), (3, Some("FirstName".into())), (4, None), (6, Some("Email".into())),]);
        assert!(rows[2].as_ref().unwrap_err().reason.contains("2 columns; the header has 3"));
        // a Windows-1252 value is read as such, not rejected as "not UTF-8"
        assert_eq!(rows[3].as_ref().unwrap().first_name, "été");
        assert_eq!(rows[5].as_ref().unwrap().email_key, "ok@example.com");
    }

    #[test]
    fn empty_header_only_binary_and_endless_rows_stop_the_file() {
        assert_eq!(parse(b"", "list.csv", &[], 9).unwrap_err(), FileError::Empty);
        assert_eq!(parse(b"Email,FirstName,LastName\r\n\r\n", "list.csv", &[], 9).unwrap_err(), FileError::HeaderOnly);
        assert_eq!(parse(b"\x89PNG\r\n\x1a\n\0\0", "list.csv", &[], 9).unwrap_err(), FileError::NotText(NotText::Image));
        assert_eq!(parse(b"Email,FirstName,LastName\na@example.com,\0", "list.csv", &[], 9).unwrap_err(), FileError::Binary(39));
        let mut open_quote = b"Email,FirstName,LastName\na@example.com,\"".to_vec();
        open_quote.extend(std::iter::repeat_n(b'x', MAX_ROW_BYTES + 10));
        assert_eq!(parse(&open_quote, "list.csv", &[], 65536).unwrap_err(), FileError::RowTooLong { line: 2 });
    }

    #[test]
    fn a_row_of_millions_of_commas_ends_the_file_early_and_in_little_memory() {
        // 50 million commas, fed a megabyte at a time: the parser stops at
        // the first megabyte, never holding more than MAX_FIELDS field ends
        let mut p = Parser::new("list.csv", &[]);
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
        assert_eq!(parse(header.as_bytes(), "list.csv", &[], 4096).unwrap_err(), FileError::TooManyFields { line: 1, max: MAX_FIELDS });
        let some: Vec<String> = (0..300).map(|i| format!("Extra{i}")).collect();
        let file = format!(
            "Email,FirstName,LastName,{}
a@example.com,A,B{}
",
            some.join(","),
            ",x".repeat(300)
        );
        let (h, rows) = parse(file.as_bytes(), "list.csv", &[], 4096).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(h.warnings.len(), MAX_WARNINGS + 1);
        assert!(h.warnings[MAX_WARNINGS].message.starts_with("and 280 more columns"), "{:?}", h.warnings[MAX_WARNINGS]);
    }

    /// Reads a spreadsheet export in chunks of several sizes; every row must
    /// be accepted. Returns the rows and how the file was read.
    fn export(bytes: &[u8], file_name: &str) -> (Vec<ContactRow>, Format, TextEncoding) {
        let mut seen = None;
        for chunk in [1, 2, 7, 4096, bytes.len()] {
            let mut p = Parser::new(file_name, &fields(&["Region"]));
            let mut rows = Vec::new();
            let mut sink = |f: Found| {
                if let Found::Row(r) = f {
                    rows.push(r.map(|r| r.to_owned()));
                }
            };
            for c in bytes.chunks(chunk.max(1)) {
                p.push(c, &mut sink).unwrap_or_else(|e| panic!("{file_name} in chunks of {chunk}: {e}"));
            }
            p.finish(&mut sink).unwrap_or_else(|e| panic!("{file_name} in chunks of {chunk}: {e}"));
            let rows: Vec<ContactRow> = rows.into_iter().map(|r| r.unwrap_or_else(|e| panic!("{file_name}: {e:?}"))).collect();
            let read = (rows, p.format().unwrap(), p.encoding().unwrap());
            if let Some(first) = &seen {
                assert_eq!(first, &read, "{file_name}: chunks of {chunk} read differently");
            }
            seen = Some(read);
        }
        seen.unwrap()
    }

    fn names(rows: &[ContactRow]) -> Vec<(String, String, String)> {
        rows.iter().map(|r| (r.email.clone(), r.last_name.clone(), r.fields["Region"].clone())).collect()
    }

    fn utf16le(text: &str) -> Vec<u8> {
        [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
    }

    #[test]
    fn german_excel_csv_semicolon_windows_1252_is_read_with_its_umlauts() {
        // Excel (German): "CSV (Trennzeichen-getrennt) (*.csv)"
        let file = b"Email;FirstName;LastName;Region\r\nanna.mueller@example.de;Anna;M\xfcller;S\xfcd\r\njari@example.fi;Jari;J\xe4rvinen;\"Nord; Ost\"\r\nb@example.de;Bernd;Wei\xdf;Mitte\r\n";
        let (rows, format, encoding) = export(file, "Kunden.csv");
        assert_eq!((format, encoding), (Format::Semicolon, TextEncoding::Windows1252));
        assert_eq!(
            names(&rows),
            [
                ("anna.mueller@example.de".to_string(), "Müller".to_string(), "Süd".to_string()),
                ("jari@example.fi".into(), "Järvinen".into(), "Nord; Ost".into()),
                ("b@example.de".into(), "Weiß".into(), "Mitte".into()),
            ]
        );
    }

    #[test]
    fn finnish_excel_csv_semicolon_windows_1252_is_read() {
        // Excel (Finnish): "CSV (luetteloerotin) (*.csv)", a header with non-ASCII names too
        let file = b"Email;FirstName;LastName;Region;L\xe4hde\r\nmatti@example.fi;Matti;Meik\xe4l\xe4inen;H\xe4me;messu\r\nasa@example.se;\xc5sa;\xc5str\xf6m;Ahvenanmaa;\r\n";
        let mut p = Parser::new("asiakkaat.csv", &fields(&["Region"]));
        let mut header = None;
        let mut sink = |f: Found| {
            if let Found::Header(h) = f {
                header = Some(h)
            }
        };
        p.push(file, &mut sink).unwrap();
        p.finish(&mut sink).unwrap();
        assert_eq!(header.unwrap().warnings[0].column, "Lähde");
        let (rows, format, encoding) = export(file, "asiakkaat.csv");
        assert_eq!((format, encoding), (Format::Semicolon, TextEncoding::Windows1252));
        assert_eq!(names(&rows)[0], ("matti@example.fi".into(), "Meikäläinen".into(), "Häme".into()));
        assert_eq!((rows[1].first_name.as_str(), rows[1].last_name.as_str()), ("Åsa", "Åström"));
    }

    #[test]
    fn excel_csv_utf8_with_bom_and_semicolons_is_read() {
        // Excel (German): "CSV UTF-8 (durch Trennzeichen getrennt) (*.csv)"
        let file = "\u{feff}Email;FirstName;LastName;Region\r\nanna@example.de;Anna;Müller;Süd\r\n";
        let (rows, format, encoding) = export(file.as_bytes(), "Kunden.csv");
        assert_eq!((format, encoding), (Format::Semicolon, TextEncoding::Utf8));
        assert_eq!(names(&rows), [("anna@example.de".to_string(), "Müller".to_string(), "Süd".to_string())]);
    }

    #[test]
    fn excel_unicode_text_utf16_with_tabs_is_read() {
        // Excel: "Unicode Text (*.txt)": UTF-16 LE with a BOM, tab-delimited, CRLF
        let file =
            utf16le("Email\tFirstName\tLastName\tRegion\r\nanna@example.de\tAnna\tMüller\tSüd\r\nj@example.fi\tJari\tJärvinen\tNord\r\n");
        let (rows, format, encoding) = export(&file, "Kontakte.txt");
        assert_eq!((format, encoding), (Format::Tsv, TextEncoding::Utf16Le));
        assert_eq!(names(&rows)[1], ("j@example.fi".into(), "Järvinen".into(), "Nord".into()));
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn libreoffice_csv_quoted_with_semicolons_is_read() {
        // LibreOffice Calc (German): Text CSV, UTF-8, ";" as field and '"' as string delimiter, every text cell quoted
        let file = "\"Email\";\"FirstName\";\"LastName\";\"Region\"\n\"anna@example.de\";\"Anna\";\"Müller\";\"Süd, Bayern\"\n";
        let (rows, format, encoding) = export(file.as_bytes(), "kontakte.csv");
        assert_eq!((format, encoding), (Format::Semicolon, TextEncoding::Utf8));
        assert_eq!(names(&rows), [("anna@example.de".to_string(), "Müller".to_string(), "Süd, Bayern".to_string())]);
    }

    #[test]
    fn numbers_exports_with_comma_or_semicolon_are_read() {
        // Numbers: File > Export To > CSV, Unicode (UTF-8); the delimiter follows the Mac's region
        let comma = "Email,FirstName,LastName,Region\nanna@example.com,Anna,Virtanen,\"North, East\"\n";
        let semicolon = "Email;FirstName;LastName;Region\nanna@example.de;Anna;Müller;Süd\n";
        let (rows, format, _) = export(comma.as_bytes(), "Contacts.csv");
        assert_eq!((format, rows[0].fields["Region"].as_str()), (Format::Csv, "North, East"));
        let (rows, format, _) = export(semicolon.as_bytes(), "Kontakte.csv");
        assert_eq!((format, rows[0].last_name.as_str()), (Format::Semicolon, "Müller"));
    }

    #[test]
    fn google_sheets_csv_with_crlf_and_no_last_line_end_is_read() {
        // Google Sheets: File > Download > CSV: UTF-8, comma, CRLF, no line end after the last row
        let file =
            "Email,FirstName,LastName,Region\r\nanna@example.fi,Anna,Järvinen,Uusimaa\r\nbo@example.se,Bo,Öberg,\"Åland, Mariehamn\"";
        let (rows, format, encoding) = export(file.as_bytes(), "Contacts - Sheet1.csv");
        assert_eq!((format, encoding), (Format::Csv, TextEncoding::Utf8));
        assert_eq!(names(&rows)[1], ("bo@example.se".into(), "Öberg".into(), "Åland, Mariehamn".into()));
    }

    #[test]
    fn old_mac_csv_with_cr_line_ends_in_mac_roman_is_read() {
        // Excel for Mac (older): "CSV (Comma delimited)": Mac Roman, lines ended by CR alone
        let file = b"Email,FirstName,LastName,Region\rjari@example.fi,Jari,J\x8arvinen,Nord\ranna@example.de,Anna,M\x9fller,S\x9fd\r";
        let (rows, format, encoding) = export(file, "Kontakte.csv");
        assert_eq!((format, encoding), (Format::Csv, TextEncoding::MacRoman));
        assert_eq!(names(&rows)[1], ("anna@example.de".into(), "Müller".into(), "Süd".into()));
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn workbooks_and_pdfs_are_called_what_they_are_with_how_to_save_csv() {
        let zip = |names: &str| [b"PK\x03\x04".as_slice(), &[0; 26], names.as_bytes(), &[0x8b, 0, 0x13]].concat();
        let xlsx = zip("[Content_Types].xml  _rels/.rels  xl/workbook.xml  xl/worksheets/sheet1.xml");
        let cases: [(Vec<u8>, NotText, &str); 4] = [
            (xlsx, NotText::Xlsx, "an Excel workbook (.xlsx), not a CSV file"),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0".to_vec(), NotText::Xls, "an Excel 97-2003 workbook (.xls)"),
            (zip("mimetypeapplication/vnd.oasis.opendocument.spreadsheet"), NotText::Ods, "LibreOffice spreadsheet (.ods)"),
            (b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj".to_vec(), NotText::Pdf, "a PDF document"),
        ];
        for (bytes, kind, words) in cases {
            let e = parse(&bytes, "Kontakte.csv", &[], 3).unwrap_err();
            assert_eq!(e, FileError::NotText(kind));
            let message = e.to_string();
            assert!(message.contains(words) && message.contains("UTF-8"), "{message}");
            assert!(!message.contains("missing") && !message.contains("header"), "{message}");
        }
    }

    #[test]
    fn a_file_that_mixes_encodings_is_refused_whole_not_row_by_row() {
        let file = b"Email,FirstName,LastName\na@example.com,J\xc3\xbcrgen,M\nb@example.com,J\xfcrgen,M\n";
        assert_eq!(parse(file, "list.csv", &[], 4).unwrap_err(), FileError::MixedEncoding { line: 3 });
        assert!(FileError::MixedEncoding { line: 3 }.to_string().contains("CSV UTF-8"));
    }

    fn csv_quote(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\"\""))
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), chunk in 1usize..64) {
            let _ = parse(&bytes, "list.csv", &fields(&["Region"]), chunk);
            let _ = parse(&bytes, "list.tsv", &[], chunk);
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
            let (_, parsed) = parse(file.as_bytes(), "list.csv", &fields(&["Region"]), chunk).unwrap();
            let expected: Vec<(String, String, String)> = rows
                .iter()
                .enumerate()
                .filter(|(_, (_, _, first, _))| !first.trim().is_empty())
                // a line break in a value is read as "\n", whether written CRLF, LF or CR
                .map(|(i, (l, d, f, r))| (format!("{l}{i}@{d}.example"), f.trim().to_string(), r.replace("\r\n", "\n").replace('\r', "\n").trim().to_string()))
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
