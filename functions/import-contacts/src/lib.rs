//! `import-contacts`: imports an uploaded contact file (CSV or TSV, up to
//! 100 MB) into the project's contact directory and a new mailing list.
//!
//! Started by the S3 object-created event of an upload, and by messages on
//! the import queue: the continuation of an import too long for one
//! invocation, or an operator's retry. The same object always leads to the
//! same result, however often and however interrupted it runs:
//!
//! 1. **Validate** (pass 1): the file is streamed from S3 through the parser;
//!    every row is counted and every rejection written to the report's CSV.
//!    A file-level problem (too large, empty, binary, a missing or
//!    near-miss column…) fails the import here, before any contact is
//!    written, so nothing already stored is touched.
//! 2. **Write** (pass 2): the file is streamed again and the accepted rows
//!    are written in BatchWriteItem calls (contact + list member, 25
//!    requests), four in flight. A duplicate email waits for the batches in
//!    flight so that the later row wins. The checkpoint (every accepted row
//!    up to a line is stored) moves forward as batches complete; a retried
//!    invocation skips what it covers. When the time slice is spent, the
//!    import checkpoints and queues its own continuation.
//! 3. **Finish**: the list is marked ready with its size, the summary JSON
//!    is written next to the rejected rows' CSV and the import is `done`.
//!
//! B2B files (accounts, contacts, account team members) take the same path
//! with their own rules: see [`b2b`]. Files written to a project's drop
//! folder (`sync/…`) and the sync's schedule (an EventBridge tick) run
//! them as one sync run each: see [`sync`].

mod b2b;
mod sync;

use pulse_shared::ports::*;
#[allow(unused_imports)]
use pulse_shared::temp::TempFile;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use aws_lambda_events::event::s3::S3Event;
use aws_lambda_events::event::sqs::SqsEvent;
use futures_util::stream::{FuturesOrdered, StreamExt};
use lambda_runtime::LambdaEvent;
use pulse_shared::domain::contacts::{ContactRow, FileError, FileProblem, Format, Found, Parser, TextEncoding};
use pulse_shared::domain::imports::{self, Counts, Deduper, ImportState, Summary, Tally};
use pulse_shared::domain::jobs::ImportJob;
use pulse_shared::domain::project::Project;
use pulse_shared::domain::upload::{UploadRef, MAX_UPLOAD_BYTES};
use pulse_shared::store::contacts::{ImportRecord, MailingList, BATCH_ITEMS};
use pulse_shared::{clock, events, App, Error};
use serde::Serialize;
use serde_json::{json, Value};

/// Contacts per BatchWriteItem (two requests each: contact and list member).
const CONTACTS_PER_BATCH: usize = BATCH_ITEMS / 2;

/// BatchWriteItem calls in flight at once. The directory is spread over
/// 32 partition keys (contacts and list members), which take about 16,000
/// rows a second at DynamoDB's limits; 8 calls of 12 rows in flight, at a
/// few tens of milliseconds each, write a few thousand rows a second.
const WRITERS: usize = 8;

/// How often the checkpoint is saved while writing.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// How often pass 1 notes its progress: every this many bytes of the file
/// (25 small writes for a file of 100 MB).
pub const VALIDATION_NOTE_BYTES: u64 = 4 * 1024 * 1024;

/// Time kept free before the Lambda deadline, whatever the slice says.
const DEADLINE_MARGIN: Duration = Duration::from_secs(60);

/// What one import run did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub key: String,
    /// `imported`, `continued`, `failed`, `already_done`, `refused` or
    /// `gone`; `sync` for a run-now job (the run's summary in `reason`).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The checkpoint this run started writing from (0: the first line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resumed_from_line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint_line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<Counts>,
}

impl Outcome {
    fn new(key: &str, status: &'static str) -> Self {
        Outcome {
            key: key.to_string(),
            status,
            upload_id: None,
            reason: None,
            resumed_from_line: None,
            checkpoint_line: None,
            counts: None,
        }
    }

    fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// The Lambda handler, for both event sources. An S3 event's failure fails
/// the invocation (Lambda's asynchronous retries run it again and it
/// resumes); a queue message's failure is reported in `batchItemFailures`
/// and comes back after the visibility timeout.
pub async fn handle<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    event: LambdaEvent<Value>,
) -> Result<Value, Error> {
    let deadline_ms = event.context.deadline;
    if event.payload["source"] == "aws.events" {
        // the sync's schedule
        return sync::tick(app, &app.config.data_bucket, deadline_ms).await;
    }
    let source = event.payload["Records"][0]["eventSource"].as_str().unwrap_or_default().to_string();
    if source == "aws:sqs" {
        let sqs: SqsEvent =
            serde_json::from_value(event.payload).map_err(|e| Error::bad_request(format!("the SQS event could not be read: {e}")))?;
        let mut failures = Vec::new();
        let mut outcomes = Vec::new();
        for message in sqs.records {
            let id = message.message_id.clone().unwrap_or_default();
            if let Ok(now) = serde_json::from_str::<pulse_shared::domain::jobs::SyncNowJob>(message.body.as_deref().unwrap_or_default()) {
                match sync::run_now(app, &app.config.data_bucket, &now.sync_project, &now.run_id, deadline_ms).await {
                    Ok(v) => outcomes.push(Outcome { reason: Some(v.to_string()), ..Outcome::new("", "sync") }),
                    Err(e) => {
                        tracing::error!(message_id = %id, project_id = %now.sync_project, error = %pulse_shared::domain::mail::mask_addresses(&pulse_shared::error::chain(&e)), "sync run failed; the message will be redelivered");
                        failures.push(json!({ "itemIdentifier": id }));
                    }
                }
                continue;
            }
            let job: ImportJob = match serde_json::from_str(message.body.as_deref().unwrap_or_default()) {
                Ok(job) => job,
                Err(e) => {
                    // retrying cannot repair it: reported, not redelivered
                    tracing::error!(message_id = %id, error = %pulse_shared::domain::mail::mask_addresses(&e.to_string()), "import queue message is not an import job");
                    outcomes.push(Outcome::new("", "refused").because(format!("message {id} is not an import job: {e}")));
                    continue;
                }
            };
            match run(app, &job.bucket, &job.key, deadline_ms).await {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    tracing::error!(message_id = %id, key = %job.key, error = %pulse_shared::domain::mail::mask_addresses(&pulse_shared::error::chain(&e)), "import failed; the message will be redelivered");
                    failures.push(json!({ "itemIdentifier": id }));
                }
            }
        }
        return Ok(json!({ "batchItemFailures": failures, "outcomes": outcomes }));
    }
    let s3: S3Event =
        serde_json::from_value(event.payload).map_err(|e| Error::bad_request(format!("the S3 event could not be read: {e}")))?;
    let mut outcomes = Vec::new();
    for record in &s3.records {
        match events::s3_object(record) {
            Ok((bucket, key)) if key.starts_with(pulse_shared::domain::b2b::sync::SYNC_PREFIX) => {
                outcomes.push(serde_json::to_value(sync::on_drop(app, &bucket, &key, deadline_ms).await?).unwrap_or_default())
            }
            Ok((bucket, key)) => outcomes.push(serde_json::to_value(run(app, &bucket, &key, deadline_ms).await?).unwrap_or_default()),
            Err(e) => {
                tracing::warn!(error = %pulse_shared::domain::mail::mask_addresses(&e.to_string()), "S3 record refused");
                let refused = Outcome::new(record.s3.object.key.as_deref().unwrap_or_default(), "refused").because(e.to_string());
                outcomes.push(serde_json::to_value(refused).unwrap_or_default());
            }
        }
    }
    Ok(json!({ "outcomes": outcomes }))
}

/// Where one upload's import reads and writes.
struct Job<'a, S> {
    app: &'a App<S>,
    bucket: &'a str,
    upload: UploadRef,
    etag: String,
    project: Project,
    options: Options,
}

/// What a B2B contacts import does with its new contacts: a manual upload
/// lists them and distributes when the project says so; a sync run as its
/// settings say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Options {
    /// The new contacts make the upload's mailing list.
    pub list: bool,
    /// The list gets `settings.b2b_import.auto_distribution`, if set.
    pub distribute: bool,
}

impl Options {
    const MANUAL: Options = Options { list: true, distribute: true };
}

impl<S> Job<'_, S> {
    fn report_key(&self, name: &str) -> String {
        format!("imports/{}/{}/{name}", self.upload.project_id, self.upload.upload_id)
    }
}

/// Imports (or goes on importing) one object. `deadline_ms` is the
/// invocation's deadline (milliseconds since the epoch).
pub async fn run<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions>(
    app: &App<S>,
    bucket: &str,
    key: &str,
    deadline_ms: u64,
) -> Result<Outcome, Error> {
    let upload = match UploadRef::from_key(key) {
        Ok(u) => u,
        Err(e) => return Ok(Outcome::new(key, "refused").because(e.to_string())),
    };
    let list_name = imports::list_name_for(&upload.file_name);
    import_object(app, bucket, upload, None, list_name, Options::MANUAL, deadline_ms).await
}

/// Imports (or goes on importing) the object `upload.key` as the upload
/// `upload.upload_id`: a manual upload (its record made by the admin API)
/// or a file of a sync run (`b2b` names its kind; the record is made here).
async fn import_object<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions>(
    app: &App<S>,
    bucket: &str,
    upload: UploadRef,
    b2b: Option<pulse_shared::domain::b2b::B2bKind>,
    list_name: String,
    options: Options,
    deadline_ms: u64,
) -> Result<Outcome, Error> {
    let started = Instant::now();
    let key = upload.key.clone();
    let key = key.as_str();
    let mut outcome = Outcome::new(key, "refused");
    outcome.upload_id = Some(upload.upload_id.clone());
    let Some((size, etag)) = app.aws.head(bucket, key).await? else {
        return Ok(Outcome { status: "gone", ..outcome }.because("the object no longer exists"));
    };
    let Some(project) = app.aws.get_project(&upload.project_id).await? else {
        tracing::warn!(key, "upload for an unknown project");
        return Ok(outcome.because(format!("there is no project {:?}", upload.project_id)));
    };
    let now = clock::now();
    let mut fresh = ImportRecord::new(&upload, list_name, &now);
    fresh.b2b = b2b;
    app.aws.create_import(&fresh).await?;
    let job = Job { app, bucket, upload, etag, project, options };
    let mut record = load(&job).await?;
    if record.etag.as_ref().is_some_and(|e| *e != job.etag) {
        // shown on the upload's page, which offers a new upload
        app.aws.note_replaced(&job.upload.project_id, &job.upload.upload_id, &now).await?;
        return Ok(outcome.because(format!(
            "upload {} already holds another file; ask for a new upload URL to import another file",
            job.upload.upload_id
        )));
    }
    if record.state.is_final() {
        if record.state == ImportState::Done {
            // a retry after the deletion below failed
            app.aws.delete_object(key).await?;
        }
        tracing::info!(key, state = record.state.as_str(), "import already ended; nothing to do");
        return Ok(Outcome { status: "already_done", counts: Some(record.counts), ..outcome });
    }
    if let Some(kind) = record.b2b {
        return b2b::import(&job, record, kind, size, outcome).await;
    }
    if matches!(record.state, ImportState::AwaitingUpload | ImportState::Validating) {
        if app.aws.start_validation(&job.upload, &job.etag, size, &now).await? {
            if size > MAX_UPLOAD_BYTES {
                record.error = Some(imports::too_large(&job.upload.file_name, size, MAX_UPLOAD_BYTES));
                record.file_problem = Some(FileProblem::TooLarge { size, limit: MAX_UPLOAD_BYTES });
                return fail(&job, record, outcome).await;
            }
            match validate(&job).await? {
                Err(file_error) => {
                    record.error = Some(imports::file_failure(&job.upload.file_name, &file_error));
                    record.header_problem = file_error.header_problem();
                    record.file_problem = file_error.file_problem();
                    return fail(&job, record, outcome).await;
                }
                Ok(v) => {
                    record.counts = v.counts;
                    record.warnings = v.warnings;
                    record.first_rejections = v.first_rejections;
                    record.rejected_key = Some(v.rejected_key);
                    record.format = Some(v.format);
                    record.encoding = v.encoding;
                    record.updated_at = clock::now();
                    app.aws.mark_validated(&record).await?;
                }
            }
        }
        record = load(&job).await?;
        if record.state.is_final() {
            return Ok(Outcome { status: "already_done", counts: Some(record.counts), ..outcome });
        }
    } else {
        app.aws.count_invocation(&job.upload.project_id, &job.upload.upload_id, &now).await?;
    }
    if record.state != ImportState::Running {
        // another invocation is validating this very file right now
        return Err(Error::Conflict(format!("the import of {key} is {} in another invocation", record.state.as_str())));
    }

    app.aws.create_list(&MailingList::importing(&record, &now)).await?;
    let remaining = Duration::from_millis(deadline_ms.saturating_sub(clock::now_ms())).saturating_sub(DEADLINE_MARGIN);
    let slice = Duration::from_secs(app.config.import_slice_seconds.into()).min(remaining);
    let from = record.checkpoint_line;
    outcome.resumed_from_line = Some(from);
    let written = write(&job, &record, started + slice).await?;
    outcome.checkpoint_line = Some(written.line);
    outcome.counts = Some(record.counts);
    if !written.finished {
        app.aws.checkpoint(&record.project_id, &record.upload_id, written.line, written.rows, &clock::now()).await?;
        app.aws.enqueue(&ImportJob { bucket: bucket.to_string(), key: key.to_string() }).await?;
        tracing::info!(key, line = written.line, "import slice spent; continuation queued");
        return Ok(Outcome { status: "continued", ..outcome });
    }
    app.aws.list_ready(&record.project_id, &record.list_id, record.counts.contacts()).await?;
    record.state = ImportState::Done;
    record.written = written.rows;
    record.checkpoint_line = written.line;
    write_summary(&job, &mut record).await?;
    app.aws.finish_import(&record).await?;
    // the original file is not kept: its rows are in the directory now, and
    // a person erased later must not linger in it
    app.aws.delete_object(key).await?;
    // a finished import is the account's last sync (the budget view)
    if let Some(account_id) = &job.project.settings.account_id {
        app.aws.note_sync(account_id, "import", &app.clock.now()).await?;
    }
    tracing::info!(key, contacts = record.counts.contacts(), rejected = record.counts.rejected, "import done");
    Ok(Outcome { status: "imported", ..outcome })
}

async fn load<S: Imports>(job: &Job<'_, S>) -> Result<ImportRecord, Error> {
    job.app.aws.get_import(&job.upload.project_id, &job.upload.upload_id).await?.ok_or_else(|| Error::Corrupt {
        key: format!("IMPORT#{}", job.upload.upload_id),
        source: "the import record vanished while importing".into(),
    })
}

/// Ends an import as failed (nothing was written), with its summary.
async fn fail<S: Imports + Files>(job: &Job<'_, S>, mut record: ImportRecord, outcome: Outcome) -> Result<Outcome, Error> {
    record.state = ImportState::Failed;
    let reason = record.error.clone().unwrap_or_default();
    tracing::warn!(key = %record.key, reason = %pulse_shared::domain::mail::mask_addresses(&reason), "import failed");
    write_summary(job, &mut record).await?;
    job.app.aws.finish_import(&record).await?;
    Ok(Outcome { status: "failed", ..outcome }.because(reason))
}

async fn write_summary<S: Files>(job: &Job<'_, S>, record: &mut ImportRecord) -> Result<(), Error> {
    let now = clock::now();
    let summary = Summary {
        project_id: record.project_id.clone(),
        upload_id: record.upload_id.clone(),
        file_name: record.file_name.clone(),
        list_id: record.list_id.clone(),
        list_name: record.list_name.clone(),
        state: record.state,
        counts: record.counts,
        contacts: if record.state == ImportState::Done { record.counts.contacts() } else { 0 },
        warnings: record.warnings.clone(),
        error: record.error.clone(),
        first_rejections: record.first_rejections.clone(),
        rejected_rows_csv: record.rejected_key.clone(),
        finished_at: now.clone(),
    };
    let key = job.report_key("summary.json");
    let body = serde_json::to_vec_pretty(&summary).map_err(|e| Error::bad_request(format!("summary cannot be encoded: {e}")))?;
    job.app.aws.put_object(&key, "application/json", body).await?;
    record.summary_key = Some(key);
    record.updated_at = now;
    Ok(())
}

/// What pass 1 found in a readable file.
struct Validated {
    format: Format,
    encoding: Option<TextEncoding>,
    counts: Counts,
    warnings: Vec<pulse_shared::domain::contacts::Warning>,
    first_rejections: Vec<pulse_shared::domain::contacts::RowError>,
    rejected_key: String,
}

/// Pass 1: reads and checks every row; writes the rejected rows' CSV to a
/// temporary file, then to S3. Nothing else is written.
async fn validate<S: Directory + Files + Imports>(job: &Job<'_, S>) -> Result<Result<Validated, FileError>, Error> {
    let app = job.app;
    let suppressed = app.aws.suppressed_hashes(&job.upload.project_id).await?;
    let temp = TempFile::new("rejected", "csv");
    let io = |e: std::io::Error| Error::Aws { operation: "write the rejected rows", source: Box::new(e) };
    let file = std::io::BufWriter::new(std::fs::File::create(temp.path()).map_err(io)?);
    let mut tally = Tally::new(file).map_err(io)?;
    let mut warnings = Vec::new();
    let mut io_error = None;
    let mut parser = Parser::new(&job.upload.file_name, &job.project.settings.operational_fields);
    let mut body = app.aws.read_stream(job.bucket, &job.upload.key, &job.etag).await?;
    // rows checked and bytes read, noted on the import every few
    // megabytes for its page's progress
    let rows = std::sync::atomic::AtomicU64::new(0);
    let (mut bytes, mut next_note) = (0u64, VALIDATION_NOTE_BYTES);
    let mut sink = |found: Found| match found {
        Found::Header(h) => warnings = h.warnings,
        Found::Row(row) => {
            rows.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Err(e) = tally.row(&row, |h| suppressed.contains(&h)) {
                io_error = Some(e);
            }
        }
    };
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(Error::aws("GetObject (body)"))?;
        bytes += chunk.len() as u64;
        if let Err(e) = parser.push(&chunk, &mut sink) {
            return Ok(Err(e));
        }
        if bytes >= next_note {
            next_note = bytes + VALIDATION_NOTE_BYTES;
            let (project_id, upload_id) = (&job.upload.project_id, &job.upload.upload_id);
            let checked = rows.load(std::sync::atomic::Ordering::Relaxed);
            app.aws.note_validation(project_id, upload_id, checked, bytes, &clock::now()).await?;
        }
    }
    if let Err(e) = parser.finish(&mut sink) {
        return Ok(Err(e));
    }
    let (format, encoding) = (parser.format().unwrap_or(Format::Csv), parser.encoding());
    if let Some(e) = io_error {
        return Err(io(e));
    }
    let (counts, first_rejections, file) = tally.finish().map_err(io)?;
    file.into_inner().map_err(|e| io(e.into_error()))?;
    let rejected_key = job.report_key("rejected-rows.csv");
    app.aws.put_file(&rejected_key, "text/csv; charset=utf-8", temp.path()).await?;
    Ok(Ok(Validated { format, encoding, counts, warnings, first_rejections, rejected_key }))
}

/// How far pass 2 got.
struct Written {
    /// Every accepted row up to this line is stored.
    line: u64,
    /// Accepted rows up to `line` (duplicates included).
    rows: u64,
    finished: bool,
}

type BatchFuture<'a> = Pin<Box<dyn Future<Output = Result<(u64, u64), Error>> + Send + 'a>>;

/// Pass 2's writer: batches in line order, at most [`WRITERS`] in flight,
/// the checkpoint following the batches completed in order.
struct Writer<'a, S> {
    job: &'a Job<'a, S>,
    record: &'a ImportRecord,
    now: String,
    pending: Vec<ContactRow>,
    /// Accepted rows the pending batch accounts for (merged duplicates too).
    pending_rows: u64,
    /// The pending batch holds a later row of an email written by an
    /// earlier batch: the batches in flight must land first.
    barrier: bool,
    in_flight: FuturesOrdered<BatchFuture<'a>>,
    line: u64,
    rows: u64,
    batches: u64,
    saved_at: Instant,
}

impl<'a, S: Directory + Imports> Writer<'a, S> {
    fn add(&mut self, row: ContactRow, first_of_email: bool) {
        self.pending_rows += 1;
        if !first_of_email {
            if let Some(slot) = self.pending.iter_mut().find(|p| p.email_key == row.email_key) {
                *slot = row;
                return;
            }
            self.barrier = true;
        }
        self.pending.push(row);
    }

    async fn flush(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if self.barrier {
            while let Some(done) = self.in_flight.next().await {
                self.landed(done?).await?;
            }
            self.barrier = false;
        }
        let batch = std::mem::take(&mut self.pending);
        let rows = std::mem::take(&mut self.pending_rows);
        let last = batch.iter().map(|r| r.line).max().unwrap_or(self.line);
        let (app, r, now) = (self.job.app, self.record, self.now.clone());
        self.in_flight.push_back(Box::pin(async move {
            app.aws.write_contacts(&r.project_id, &r.list_id, &batch, &r.upload_id, &now).await.map(|_| (last, rows))
        }));
        self.batches += 1;
        while self.in_flight.len() >= WRITERS {
            match self.in_flight.next().await {
                Some(done) => self.landed(done?).await?,
                None => break,
            }
        }
        Ok(())
    }

    async fn landed(&mut self, (line, rows): (u64, u64)) -> Result<(), Error> {
        self.line = line;
        self.rows += rows;
        if self.saved_at.elapsed() >= CHECKPOINT_EVERY {
            self.save().await?;
        }
        Ok(())
    }

    async fn save(&mut self) -> Result<(), Error> {
        let app = self.job.app;
        app.aws.checkpoint(&self.record.project_id, &self.record.upload_id, self.line, self.rows, &clock::now()).await?;
        self.saved_at = Instant::now();
        Ok(())
    }

    async fn drain(&mut self) -> Result<(), Error> {
        self.flush().await?;
        while let Some(done) = self.in_flight.next().await {
            self.landed(done?).await?;
        }
        Ok(())
    }
}

/// Pass 2: writes the accepted rows after the checkpoint, until the file
/// ends or `until` has passed (after at least one batch).
async fn write<S: Files + Directory + Imports>(job: &Job<'_, S>, record: &ImportRecord, until: Instant) -> Result<Written, Error> {
    let from = record.checkpoint_line;
    // the same bytes read the same way: the delimiter and the encoding are
    // told again, as pass 1 told them
    let mut parser = Parser::new(&job.upload.file_name, &job.project.settings.operational_fields);
    let mut seen = Deduper::new();
    let mut w = Writer {
        job,
        record,
        now: clock::now(),
        pending: Vec::with_capacity(CONTACTS_PER_BATCH),
        pending_rows: 0,
        barrier: false,
        in_flight: FuturesOrdered::new(),
        line: from,
        rows: 0,
        batches: 0,
        saved_at: Instant::now(),
    };
    let result = async {
        let mut body = job.app.aws.read_stream(job.bucket, &job.upload.key, &job.etag).await?;
        let mut rows: Vec<ContactRow> = Vec::new();
        let changed = |e: FileError| Error::Corrupt {
            key: job.upload.key.clone(),
            source: format!("the file no longer reads as it did when validated: {e}").into(),
        };
        let mut ended = false;
        loop {
            match body.next().await {
                Some(chunk) => {
                    let chunk = chunk.map_err(Error::aws("GetObject (body)"))?;
                    parser
                        .push(&chunk, &mut |f| {
                            if let Found::Row(Ok(r)) = f {
                                rows.push(r.to_owned())
                            }
                        })
                        .map_err(changed)?;
                }
                None => {
                    parser
                        .finish(&mut |f| {
                            if let Found::Row(Ok(r)) = f {
                                rows.push(r.to_owned())
                            }
                        })
                        .map_err(changed)?;
                    ended = true;
                }
            }
            for row in rows.drain(..) {
                let first = seen.insert(&row.email_key);
                if row.line <= from {
                    w.rows += 1;
                    continue;
                }
                w.add(row, first);
                if w.pending.len() >= CONTACTS_PER_BATCH {
                    w.flush().await?;
                }
            }
            if ended {
                w.drain().await?;
                return Ok(true);
            }
            if Instant::now() >= until && w.batches > 0 {
                w.drain().await?;
                return Ok(false);
            }
        }
    }
    .await;
    match result {
        Ok(finished) => Ok(Written { line: w.line, rows: w.rows, finished }),
        Err(e) => {
            // keep what landed, so that the retry resumes from there
            if let Err(save) = w.save().await {
                tracing::warn!(error = %pulse_shared::domain::mail::mask_addresses(&pulse_shared::error::chain(&save)), "the checkpoint could not be saved after a failure");
            }
            Err(e)
        }
    }
}
