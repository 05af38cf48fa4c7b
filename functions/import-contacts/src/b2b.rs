//! B2B files through the same upload path: accounts, contacts and account
//! team members (see `pulse_shared::domain::b2b` for the rules).
//!
//! 1. **Validate** (pass 1): the file is streamed through the same record
//!    reader as contact lists and every row checked against the project's
//!    mapping; rejections (line, column, reason: a bad type, an unknown
//!    account, a second owner…) go to the report's CSV, hierarchy problems
//!    (unknown parent, cycle) to its warnings. A header problem fails the
//!    import before anything is written.
//! 2. **Write** (pass 2): the file is streamed again and the same rules
//!    applied (they are deterministic); accounts are written whole with
//!    their checked parent links, contacts and team members in batches with
//!    the checkpoint after each, so a retried invocation resumes. Every
//!    write is an upsert by natural key (account id, contact id, account +
//!    member email): a repeated run changes nothing.
//! 3. **Finish**: a contacts file's new contacts (first brought by this
//!    upload, not deleted, at an active account) make the upload's mailing
//!    list; with `settings.b2b_import.auto_distribution` a distribution to
//!    that list starts by itself (once: its id is the upload's).

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::{BTreeMap, BTreeSet};

use pulse_shared::domain::b2b::{check_hierarchy, B2bHeader, B2bKind, B2bRowError, Owners, TeamRole};
use pulse_shared::domain::contacts::{FileError, Format, Record, Records, RowError, TextEncoding};
use pulse_shared::domain::imports::{self, key_hash, ImportState, Tally};
use pulse_shared::domain::upload::MAX_UPLOAD_BYTES;
use pulse_shared::store::contacts::{ImportRecord, MailingList};
use pulse_shared::store::distributions::Distribution;
use pulse_shared::{clock, Error};

use super::{fail, load, write_summary, Job, Outcome};
use pulse_shared::temp::TempFile;

/// Rows written per batch (contacts: three items each, in two tables).
const BATCH_ROWS: usize = 25;

fn row_error(e: B2bRowError) -> RowError {
    RowError { line: e.line, column: Some(e.column), reason: e.reason }
}

/// What the account rows of a file come to: the rows (the last of each
/// id), every account's checked parent (stored accounts too), the stored
/// links that must change, the problems, and the attributes given.
struct Accounts {
    rows: Vec<pulse_shared::domain::b2b::AccountRow>,
    parents: BTreeMap<String, Option<String>>,
    changed_stored: Vec<(String, Option<String>)>,
    problems: Vec<pulse_shared::domain::b2b::HierarchyProblem>,
    attributes: BTreeSet<String>,
}

/// The stored accounts: id → deleted.
async fn stored_accounts<S: B2bAccounts>(job: &Job<'_, S>) -> Result<BTreeMap<String, (bool, Option<String>)>, Error> {
    let all = job.app.aws.b2b_accounts(&job.upload.project_id).await?;
    Ok(all.into_iter().map(|a| (a.id, (a.deleted, a.parent_id))).collect())
}

/// One row, checked: the key it is deduplicated by, or its rejection.
enum Checked {
    Account(pulse_shared::domain::b2b::AccountRow),
    Contact(pulse_shared::domain::b2b::B2bContactRow),
    Team(pulse_shared::domain::b2b::TeamRow),
}

impl Checked {
    fn key(&self) -> String {
        match self {
            Checked::Account(a) => format!("A#{}", a.id),
            Checked::Contact(c) => format!("C#{}", c.id),
            Checked::Team(t) => format!("T#{}#{}", t.account_id, t.user_email.to_lowercase()),
        }
    }
}

/// Reads a B2B file chunk by chunk: each call of [`RowReader::next`] hands
/// over the checked rows (in file order) of the next chunk of the S3 body
/// stream, so the caller can write them before reading on.
struct RowReader<'j, S> {
    job: &'j Job<'j, S>,
    kind: B2bKind,
    stored: &'j BTreeMap<String, (bool, Option<String>)>,
    header: Option<B2bHeader>,
    records: Records,
    owners: Owners,
    body: pulse_shared::store::files::ByteStream,
    ended: bool,
}

/// What the next chunk held: its rows, or the file's problem.
type Chunk = Result<Vec<Result<Checked, RowError>>, FileError>;

impl<'j, S: B2bAccounts + Files> RowReader<'j, S> {
    async fn open(job: &'j Job<'j, S>, kind: B2bKind, stored: &'j BTreeMap<String, (bool, Option<String>)>) -> Result<Self, Error> {
        let mut owners = Owners::new(BTreeMap::new());
        if kind == B2bKind::TeamMembers {
            // the stored owners come first
            let team = job.app.aws.b2b_team(&job.upload.project_id).await?;
            owners = Owners::new(
                team.into_iter().filter(|t| t.role == TeamRole::AccountOwner && !t.deleted).map(|t| (t.account_id, t.user_email)).collect(),
            );
        }
        let body = job.app.aws.read_stream(job.bucket, &job.upload.key, &job.etag).await?;
        // the mapped columns tell the header's delimiter
        let known: Vec<String> = pulse_shared::domain::b2b::mapping::columns(kind, &job.project.settings.b2b_import)
            .into_iter()
            .map(|(_, column, _)| column.to_string())
            .collect();
        let records = Records::new(&job.upload.file_name, &known);
        Ok(RowReader { job, kind, stored, header: None, records, owners, body, ended: false })
    }

    /// The rows of the next chunk; none once the file has ended.
    async fn next(&mut self) -> Result<Option<Chunk>, Error> {
        if self.ended {
            return Ok(None);
        }
        let chunk = match self.body.next().await {
            Some(c) => Some(c.map_err(Error::aws("GetObject (body)"))?),
            None => None,
        };
        let (kind, stored, settings) = (self.kind, self.stored, &self.job.project.settings.b2b_import);
        let (header, owners) = (&mut self.header, &mut self.owners);
        let known = |id: &str| stored.contains_key(id);
        let mut rows = Vec::new();
        let mut on_record = |r: Record<'_>| -> Result<(), FileError> {
            match r {
                Record::Header(names) => {
                    *header = Some(B2bHeader::check(kind, &names, settings).map_err(|e| FileError::Header {
                        message: e.to_string(),
                        column: e.column,
                        found: e.found,
                    })?);
                }
                Record::Row(line, cells) => {
                    let Some(h) = &*header else { return Ok(()) };
                    let checked = if cells.len() != h.columns.len() {
                        Err(RowError {
                            line,
                            column: None,
                            reason: format!("the row has {} columns; the header has {}", cells.len(), h.columns.len()),
                        })
                    } else {
                        cells.texts(line, &h.columns).and_then(|texts| match kind {
                            B2bKind::Accounts => h.account(line, &texts).map(Checked::Account).map_err(row_error),
                            B2bKind::Contacts => h.contact(line, &texts, settings, known).map(Checked::Contact).map_err(row_error),
                            B2bKind::TeamMembers => h
                                .team_member(line, &texts, settings, known)
                                .and_then(|t| owners.admit(&t).map(|_| t))
                                .map(Checked::Team)
                                .map_err(row_error),
                        })
                    };
                    rows.push(checked);
                }
            }
            Ok(())
        };
        let result = match chunk {
            Some(bytes) => self.records.push(&bytes, &mut on_record),
            None => {
                self.ended = true;
                self.records.finish(&mut on_record)
            }
        };
        Ok(Some(result.map(|_| rows)))
    }

    fn format(&self) -> Format {
        self.records.format().unwrap_or(Format::Csv)
    }

    fn encoding(&self) -> Option<TextEncoding> {
        self.records.encoding()
    }

    fn warnings(&self) -> Vec<pulse_shared::domain::contacts::Warning> {
        self.header.as_ref().map(|h| h.warnings.clone()).unwrap_or_default()
    }
}

/// Reads the whole file again (pass 2), for the rows it holds; the file
/// must read as it did when validated.
fn changed(record: &ImportRecord, e: FileError) -> Error {
    Error::Corrupt { key: record.key.clone(), source: format!("the file no longer reads as it did when validated: {e}").into() }
}

/// The accounts of a file against the stored ones.
fn accounts_of(rows: Vec<pulse_shared::domain::b2b::AccountRow>, stored: &BTreeMap<String, (bool, Option<String>)>) -> Accounts {
    let mut last: BTreeMap<String, pulse_shared::domain::b2b::AccountRow> = BTreeMap::new();
    for r in rows {
        last.insert(r.id.clone(), r);
    }
    let mut links: BTreeMap<String, Option<String>> = stored.iter().map(|(id, (_, p))| (id.clone(), p.clone())).collect();
    for r in last.values() {
        links.insert(r.id.clone(), r.parent_id.clone());
    }
    let (parents, problems) = check_hierarchy(&links);
    let changed_stored = stored
        .iter()
        .filter(|(id, (_, p))| !last.contains_key(*id) && parents.get(*id) != Some(p))
        .map(|(id, _)| (id.clone(), parents.get(id).cloned().flatten()))
        .collect();
    let attributes = last.values().flat_map(|r| r.attributes.keys().cloned()).collect();
    let mut rows: Vec<_> = last.into_values().collect();
    rows.sort_by_key(|r| r.line);
    Accounts { rows, parents, changed_stored, problems, attributes }
}

/// Imports (or goes on importing) a B2B file whose record is `record`.
pub(crate) async fn import<S: Imports + Files + Directory + Budgets + B2bAccounts + Distributions>(
    job: &Job<'_, S>,
    mut record: ImportRecord,
    kind: B2bKind,
    size: u64,
    outcome: Outcome,
) -> Result<Outcome, Error> {
    let app = job.app;
    let now = clock::now();
    let stored = stored_accounts(job).await?;
    if matches!(record.state, ImportState::AwaitingUpload | ImportState::Validating) {
        if app.aws.start_validation(&job.upload, &job.etag, size, &now).await? {
            if size > MAX_UPLOAD_BYTES {
                record.error = Some(imports::too_large(&job.upload.file_name, size, MAX_UPLOAD_BYTES));
                record.file_problem = Some(pulse_shared::domain::contacts::FileProblem::TooLarge { size, limit: MAX_UPLOAD_BYTES });
                return fail(job, record, outcome).await;
            }
            // pass 1: count, report, keep nothing but the account rows
            let temp = TempFile::new("rejected", "csv");
            let io = |e: std::io::Error| Error::Aws { operation: "write the rejected rows", source: Box::new(e) };
            let mut tally = Tally::new(std::io::BufWriter::new(std::fs::File::create(temp.path()).map_err(io)?)).map_err(io)?;
            let mut account_rows = Vec::new();
            let mut reader = RowReader::open(job, kind, &stored).await?;
            let mut file_error = None;
            while let Some(chunk) = reader.next().await? {
                let rows = match chunk {
                    Ok(rows) => rows,
                    Err(e) => {
                        file_error = Some(e);
                        break;
                    }
                };
                for checked in rows {
                    match checked {
                        Ok(c) => {
                            tally.accept(key_hash(&c.key()), false);
                            if let Checked::Account(a) = c {
                                account_rows.push(a);
                            }
                        }
                        Err(e) => tally.reject(&e).map_err(io)?,
                    }
                }
            }
            if let Some(file_error) = file_error {
                record.error = Some(imports::file_failure(&job.upload.file_name, &file_error));
                record.header_problem = file_error.header_problem();
                record.file_problem = file_error.file_problem();
                return fail(job, record, outcome).await;
            }
            let (format, encoding, mut warnings) = (reader.format(), reader.encoding(), reader.warnings());
            if kind == B2bKind::Accounts {
                let column = job.project.settings.b2b_import.account_columns.parent_id.clone();
                for p in accounts_of(account_rows, &stored).problems {
                    warnings.push(pulse_shared::domain::contacts::Warning {
                        column: column.clone(),
                        message: format!("account {:?}: {}; the link is not stored", p.account_id, p.reason),
                    });
                }
            }
            let (counts, first_rejections, file) = tally.finish().map_err(io)?;
            file.into_inner().map_err(|e| io(e.into_error()))?;
            let rejected_key = job.report_key("rejected-rows.csv");
            app.aws.put_file(&rejected_key, "text/csv; charset=utf-8", temp.path()).await?;
            record.counts = counts;
            record.warnings = warnings;
            record.first_rejections = first_rejections;
            record.rejected_key = Some(rejected_key);
            record.format = Some(format);
            record.encoding = encoding;
            record.updated_at = clock::now();
            app.aws.mark_validated(&record).await?;
        }
        record = load(job).await?;
        if record.state.is_final() {
            return Ok(Outcome { status: "already_done", counts: Some(record.counts), ..outcome });
        }
    } else {
        app.aws.count_invocation(&job.upload.project_id, &job.upload.upload_id, &now).await?;
    }
    if record.state != ImportState::Running {
        return Err(Error::Conflict(format!("the import of {} is {} in another invocation", record.key, record.state.as_str())));
    }
    let written = match kind {
        B2bKind::Accounts => write_accounts(job, &record, &stored).await?,
        B2bKind::Contacts => write_contacts(job, &record, &stored).await?,
        B2bKind::TeamMembers => write_team(job, &record, &stored).await?,
    };
    let mut outcome = Outcome { counts: Some(record.counts), ..outcome };
    if kind == B2bKind::Contacts && job.options.list {
        app.aws.list_ready(&record.project_id, &record.list_id, written).await?;
        if written > 0 && job.options.distribute {
            if let Some(started) = auto_distribution(job, &record).await? {
                outcome.reason = Some(started);
            }
        }
    }
    record.state = ImportState::Done;
    record.written = written;
    write_summary(job, &mut record).await?;
    app.aws.finish_import(&record).await?;
    // the original file is not kept (see the contact import)
    app.aws.delete_object(&record.key).await?;
    if let Some(account_id) = &job.project.settings.account_id {
        app.aws.note_sync(account_id, "import", &app.clock.now()).await?;
    }
    tracing::info!(key = %record.key, kind = kind.as_str(), written, rejected = record.counts.rejected, "B2B import done");
    Ok(Outcome { status: "imported", ..outcome })
}

/// Pass 2 of an accounts file: every account with its checked parent; the
/// stored links a new cycle ran through are cut. Returns the accounts written.
async fn write_accounts<S: B2bAccounts + Files>(
    job: &Job<'_, S>,
    record: &ImportRecord,
    stored: &BTreeMap<String, (bool, Option<String>)>,
) -> Result<u64, Error> {
    let app = job.app;
    let mut rows = Vec::new();
    let mut reader = RowReader::open(job, B2bKind::Accounts, stored).await?;
    while let Some(chunk) = reader.next().await? {
        rows.extend(chunk.map_err(|e| changed(record, e))?.into_iter().filter_map(|c| match c {
            Ok(Checked::Account(a)) => Some(a),
            _ => None,
        }));
    }
    let a = accounts_of(rows, stored);
    app.aws.write_accounts(&record.project_id, &a.rows, &a.parents, &record.upload_id, &clock::now()).await?;
    for (id, parent) in &a.changed_stored {
        app.aws.set_parent(&record.project_id, id, parent.as_deref()).await?;
    }
    app.aws.note_attributes(&record.project_id, &a.attributes).await?;
    Ok(a.rows.len() as u64)
}

/// Pass 2 of a contacts file, in batches after the checkpoint. Returns the
/// new contacts (put on the upload's list, unless the options say no list).
async fn write_contacts<S: Directory + B2bAccounts + Imports + Files>(
    job: &Job<'_, S>,
    record: &ImportRecord,
    stored: &BTreeMap<String, (bool, Option<String>)>,
) -> Result<u64, Error> {
    let app = job.app;
    let now = clock::now();
    if job.options.list {
        app.aws.create_list(&MailingList::importing(record, &now)).await?;
    }
    let from = record.checkpoint_line;
    let mut listed = record.written;
    let mut batch: Vec<pulse_shared::domain::b2b::B2bContactRow> = Vec::new();
    let mut reader = RowReader::open(job, B2bKind::Contacts, stored).await?;
    while let Some(chunk) = reader.next().await? {
        let rows = chunk.map_err(|e| changed(record, e))?;
        let ended = reader.ended;
        for row in rows.into_iter().filter_map(|c| match c {
            Ok(Checked::Contact(row)) if row.line > from => Some(row),
            _ => None,
        }) {
            // a later row of the same contact wins, also inside a batch
            batch.retain(|b| b.id != row.id && b.email_key != row.email_key);
            batch.push(row);
            if batch.len() >= BATCH_ROWS {
                listed = write_contact_batch(job, record, stored, std::mem::take(&mut batch), listed, &now).await?;
            }
        }
        if ended && !batch.is_empty() {
            listed = write_contact_batch(job, record, stored, std::mem::take(&mut batch), listed, &now).await?;
        }
    }
    Ok(listed)
}

/// Writes one batch of contacts and moves the checkpoint past it; returns
/// the contacts listed so far.
async fn write_contact_batch<S: B2bAccounts + Directory + Imports>(
    job: &Job<'_, S>,
    record: &ImportRecord,
    stored: &BTreeMap<String, (bool, Option<String>)>,
    rows: Vec<pulse_shared::domain::b2b::B2bContactRow>,
    mut listed: u64,
    now: &str,
) -> Result<u64, Error> {
    let app = job.app;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let existing = app.aws.b2b_contacts_by_id(&record.project_id, &ids).await?;
    let mut writes = Vec::with_capacity(rows.len());
    for r in rows {
        let before = existing.get(&r.id);
        let first_upload = before.map(|b| b.first_upload_id.clone()).unwrap_or_else(|| record.upload_id.clone());
        let account_active = stored.get(&r.account_id).is_some_and(|(deleted, _)| !deleted);
        let new = first_upload == record.upload_id && !r.deleted && account_active;
        let list = new && job.options.list;
        if r.deleted {
            app.aws.suppress(&record.project_id, &r.email_key, "deleted", now).await?;
        } else if before.is_some_and(|b| b.deleted) {
            app.aws.lift_suppression(&record.project_id, &r.email_key, "deleted").await?;
        }
        listed += u64::from(new);
        writes.push((r, first_upload, list));
    }
    let last_line = writes.iter().map(|(r, _, _)| r.line).max().unwrap_or(record.checkpoint_line);
    app.aws.write_b2b_contacts(&record.project_id, &record.list_id, &writes, &record.upload_id, now).await?;
    app.aws.checkpoint(&record.project_id, &record.upload_id, last_line, listed, &clock::now()).await?;
    Ok(listed)
}

/// Pass 2 of a team members file: the rows the owner rule keeps.
async fn write_team<S: B2bAccounts + Files>(
    job: &Job<'_, S>,
    record: &ImportRecord,
    stored: &BTreeMap<String, (bool, Option<String>)>,
) -> Result<u64, Error> {
    let app = job.app;
    let mut kept: BTreeMap<String, pulse_shared::domain::b2b::TeamRow> = BTreeMap::new();
    let mut reader = RowReader::open(job, B2bKind::TeamMembers, stored).await?;
    while let Some(chunk) = reader.next().await? {
        for c in chunk.map_err(|e| changed(record, e))? {
            if let Ok(Checked::Team(t)) = c {
                kept.insert(Checked::Team(t.clone()).key(), t);
            }
        }
    }
    let rows: Vec<_> = kept.into_values().collect();
    app.aws.write_team(&record.project_id, &rows, &record.upload_id, &clock::now()).await?;
    Ok(rows.len() as u64)
}

/// Starts the project's automatic distribution to the upload's list of new
/// contacts, once. Returns what was done, for the outcome.
async fn auto_distribution<S: Distributions>(job: &Job<'_, S>, record: &ImportRecord) -> Result<Option<String>, Error> {
    let Some(auto) = &job.project.settings.b2b_import.auto_distribution else { return Ok(None) };
    if job.project.published_version.is_none() {
        tracing::warn!(project_id = %record.project_id, "automatic distribution skipped: the project has no published survey");
        return Ok(Some("automatic distribution skipped: the project has no published survey".into()));
    }
    let now_ms = job.app.clock.now_ms();
    let d = Distribution::to_list(
        format!("auto-{}", record.upload_id),
        &record.project_id,
        &record.list_id,
        auto.messages.clone(),
        auto.reminder.clone(),
        now_ms,
        now_ms,
    );
    let started = job.app.aws.launch_distribution(&d, now_ms).await?;
    tracing::info!(project_id = %record.project_id, distribution_id = %d.id, started, "automatic distribution to the new contacts");
    Ok(Some(format!("automatic distribution {} to the new contacts", d.id)))
}
