//! Slices of long jobs from the report queue: the paged half of a GDPR
//! erasure, and a project's deletion (see `pulse_shared::domain::erasure`).
//!
//! A slice reads the job's record, works through at most
//! `JOB_SLICE_PAGES` pages (and stops well before the invocation's
//! deadline), saves its place with a write conditional on the slice number
//! and queues the next slice. A redelivered message whose slice was saved
//! already finds its save refused and queues nothing; the work it repeated
//! is idempotent (an erased response no longer names the person; a report
//! rebuilt twice is the same report; a deleted page is not there to delete
//! again).

use std::collections::BTreeMap;

#[allow(unused_imports)]
use pulse_shared::ports::*;

use pulse_shared::domain::erasure::{project_prefixes, slice_goes_on, JobKind, JobRecord, JobState, Phase};
use pulse_shared::domain::guard::{subject_hash, SUBJECT_KEY};
use pulse_shared::domain::jobs::SliceJob;
use pulse_shared::domain::mail::normalise_email;
use pulse_shared::domain::survey::{Answering, Definition};
use pulse_shared::store::reports::ReportState;
use pulse_shared::{App, Error};

/// Responses read per page.
const RESPONSE_PAGE: i32 = 200;

/// Time kept in hand before the invocation's deadline (a report rebuild or
/// a page must fit in what is left). Measured on the system clock, as the
/// deadline is: the app's clock is the one tests and the local stack move.
const MARGIN_MS: u64 = 60_000;

/// Runs one slice of a job; returns the record as saved (or as found, when
/// there was nothing to do).
pub async fn run_slice<S: Jobs + Guard + Responses + Projects + Reports + Files + Imports + Queue + Directory + Distributions + Secrets>(
    app: &App<S>,
    msg: &SliceJob,
    deadline_ms: u64,
) -> Result<Option<JobRecord>, Error> {
    let Some(mut job) = app.aws.get_job(&msg.project_id, &msg.job_id).await? else {
        tracing::warn!(project_id = %msg.project_id, job_id = %msg.job_id, "job record not found; nothing to do");
        return Ok(None);
    };
    if job.state == JobState::Done {
        return Ok(Some(job));
    }
    let expected = job.slices;
    let subject = match &job.kind {
        JobKind::Erase { subject } => Some(subject.clone()),
        JobKind::DeleteProject => None,
    };
    let key = app.aws.secret(SUBJECT_KEY).await?;
    let is_theirs = |address: &str| subject.as_deref() == Some(subject_hash(key.as_slice(), &normalise_email(address)).as_str());
    let mut definitions: BTreeMap<u32, Option<Definition>> = BTreeMap::new();
    let mut pages = 0;
    while job.phase != Phase::Done
        && slice_goes_on(pages, app.config.job_slice_pages, pulse_shared::clock::now_ms(), deadline_ms, MARGIN_MS)
    {
        pages += 1;
        match job.phase {
            Phase::Responses if subject.is_none() => purge_step(app, &mut job, Place::Responses, "responses").await?,
            Phase::Responses => {
                let (page, next) = app.aws.list_responses(&job.project_id, job.cursor.as_deref(), RESPONSE_PAGE).await?;
                for mut r in page {
                    if !r.addresses().iter().any(|a| is_theirs(a)) {
                        continue;
                    }
                    if let std::collections::btree_map::Entry::Vacant(slot) = definitions.entry(r.version) {
                        slot.insert(app.aws.get_version(&job.project_id, r.version).await?);
                    }
                    let def = definitions.get(&r.version).and_then(Option::as_ref);
                    let free_text = |id: &str| {
                        def.is_some_and(|d| d.questions.iter().any(|q| q.id == id && matches!(q.answering, Answering::Text { .. })))
                    };
                    r.erase_personal_data(free_text, &app.clock.now());
                    app.aws.replace_response(&r).await?;
                    app.aws.erase_report_texts(&job.project_id, &r.submitted_at, &r.response_id).await?;
                    job.add("responses", 1);
                }
                match next {
                    Some(n) => job.cursor = Some(n),
                    None => job.advance(&app.clock.now()),
                }
            }
            Phase::Reports => rebuild_next_report(app, &mut job).await?,
            Phase::Files => clean_next_import(app, &mut job, &is_theirs).await?,
            Phase::Contacts => purge_step(app, &mut job, Place::Contacts, "contact_records").await?,
            Phase::Lists => {
                // every shard of every list, one partition after another
                use pulse_shared::domain::{directory, shard};
                let lists = app.aws.list_lists(&job.project_id).await?;
                let partitions =
                    lists.iter().flat_map(|l| shard::keys(&directory::members_base(&l.list_id), directory::SHARDS).collect::<Vec<_>>());
                purge_each(app, &mut job, partitions.collect(), "", Place::Contacts, "list_members").await?
            }
            Phase::Invitations => {
                let sends = app.aws.list_distributions(&job.project_id).await?.into_iter().map(|d| d.id).collect();
                purge_each(app, &mut job, sends, "DIST#", Place::Core, "invitations").await?
            }
            Phase::Sweep => {
                let (n, next) = app.aws.sweep_project(&job.project_id, job.cursor.as_deref()).await?;
                job.add("links_tokens_aggregates", n);
                match next {
                    Some(c) => job.cursor = Some(c),
                    None => job.advance(&app.clock.now()),
                }
            }
            Phase::Objects => {
                let prefixes = project_prefixes(&job.project_id);
                let at: usize = job.cursor.as_deref().and_then(|c| c.parse().ok()).unwrap_or(0);
                match prefixes.get(at) {
                    None => job.advance(&app.clock.now()),
                    Some(prefix) => {
                        let n = app.aws.purge_prefix(prefix).await?;
                        job.add("file_versions", n);
                        if n == 0 {
                            job.cursor = Some((at + 1).to_string());
                        }
                    }
                }
            }
            Phase::Project => {
                // the Salesforce connected app's secret, the project's own
                // partition, then its other jobs' records (this one stays:
                // it is the deletion's receipt)
                match job.cursor.as_deref() {
                    None => {
                        if app.aws.delete_secret(&job.project_id).await? {
                            job.add("secrets", 1);
                        }
                        job.cursor = Some("partition".into());
                    }
                    Some("partition") => {
                        let n = app.aws.purge_partition(Place::Core, &format!("PROJECT#{}", job.project_id), None).await?;
                        job.add("project_items", n);
                        if n == 0 {
                            job.cursor = Some("jobs".into());
                        }
                    }
                    Some(_) => {
                        let own = format!("JOB#{}", job.job_id);
                        let n = app.aws.purge_partition(Place::Core, &format!("JOBS#{}", job.project_id), Some(&own)).await?;
                        job.add("other_jobs", n);
                        if n == 0 {
                            job.advance(&app.clock.now());
                        }
                    }
                }
            }
            Phase::Done => {}
        }
    }
    job.end_slice(&app.clock.now());
    if !app.aws.save_job(&job, expected).await? {
        tracing::info!(project_id = %job.project_id, job_id = %job.job_id, slice = expected, "slice saved by another run; stopping here");
        return app.aws.get_job(&job.project_id, &job.job_id).await;
    }
    if job.state == JobState::Running {
        app.aws.enqueue(&SliceJob { project_id: job.project_id.clone(), job_id: job.job_id.clone() }).await?;
    }
    tracing::info!(project_id = %job.project_id, job_id = %job.job_id, phase = ?job.phase, slices = job.slices, "job slice saved");
    Ok(Some(job))
}

/// One page of the project's partition in `place` deleted; the phase ends
/// when nothing is left.
async fn purge_step<S: Jobs>(app: &App<S>, job: &mut JobRecord, place: Place, counted_as: &str) -> Result<(), Error> {
    // responses may be spread over write shards, contacts over the
    // directory's (shard 0 also holds suppressions and erasure marks); the
    // project, and with it its count, is gone by now: every shard a
    // project may have is asked
    let shards = match place {
        Place::Responses => pulse_shared::domain::shard::MAX_SHARDS,
        Place::Contacts => pulse_shared::domain::directory::SHARDS,
        Place::Core => 1,
    };
    let base = match place {
        Place::Contacts => pulse_shared::domain::directory::contacts_base(&job.project_id),
        Place::Responses | Place::Core => format!("PROJECT#{}", job.project_id),
    };
    for pk in pulse_shared::domain::shard::keys(&base, shards) {
        let n = app.aws.purge_partition(place, &pk, None).await?;
        if n > 0 {
            job.add(counted_as, n);
            return Ok(());
        }
    }
    job.advance(&app.clock.now());
    Ok(())
}

/// One page of the next partition `{prefix}{id}` (by id, after the cursor:
/// the ids whose partitions are empty) deleted; the phase ends after the
/// last.
async fn purge_each<S: Jobs>(
    app: &App<S>,
    job: &mut JobRecord,
    ids: Vec<String>,
    prefix: &str,
    place: Place,
    counted_as: &str,
) -> Result<(), Error> {
    let Some(id) = next_after(ids, job.cursor.as_deref(), |i| i) else {
        job.advance(&app.clock.now());
        return Ok(());
    };
    let n = app.aws.purge_partition(place, &format!("{prefix}{id}"), None).await?;
    job.add(counted_as, n);
    if n == 0 {
        job.cursor = Some(id);
    }
    Ok(())
}

/// The item with the least id after `cursor` (the phase's place).
fn next_after<T>(items: Vec<T>, cursor: Option<&str>, id: impl Fn(&T) -> &String) -> Option<T> {
    items.into_iter().filter(|i| cursor.is_none_or(|c| id(i).as_str() > c)).min_by(|a, b| id(a).cmp(id(b)))
}

/// Rebuilds the next stored report (by id, after the cursor) without the
/// person, and forgets the files' old versions; the share links keep
/// opening the same keys, now the rebuilt files. Nothing to rebuild when
/// none of the person's responses were found.
async fn rebuild_next_report<S: Reports + Files + Responses + Projects>(app: &App<S>, job: &mut JobRecord) -> Result<(), Error> {
    if job.removed_at("responses") == 0 {
        job.advance(&app.clock.now());
        return Ok(());
    }
    let reports = app.aws.list_reports(&job.project_id).await?;
    let Some(report) = next_after(reports, job.cursor.as_deref(), |r| &r.report_id) else {
        job.advance(&app.clock.now());
        return Ok(());
    };
    job.cursor = Some(report.report_id.clone());
    if report.state != ReportState::Done {
        // not written yet: it will be made from the erased responses
        return Ok(());
    }
    let project = app.aws.get_project(&job.project_id).await?.ok_or_else(|| Error::not_found(format!("project {}", job.project_id)))?;
    let rebuilt = crate::generate(app, &project, report).await?;
    for file in ["report.html", "report.csv", "report.json"] {
        app.aws.forget_old_versions(&rebuilt.key(file)).await?;
    }
    job.add("reports_rebuilt", 1);
    Ok(())
}

/// The next import's files (by upload id, after the cursor): the original
/// contact file is deleted once its import has ended; a rejected-rows or
/// summary file that holds the person is deleted.
async fn clean_next_import<S: Imports + Files>(app: &App<S>, job: &mut JobRecord, is_theirs: &impl Fn(&str) -> bool) -> Result<(), Error> {
    let imports = app.aws.list_imports(&job.project_id).await?;
    let Some(import) = next_after(imports, job.cursor.as_deref(), |i| &i.upload_id) else {
        job.advance(&app.clock.now());
        return Ok(());
    };
    job.cursor = Some(import.upload_id.clone());
    if import.state.is_final() && app.aws.delete_object(&import.key).await? {
        job.add("uploads", 1);
    }
    for key in [&import.rejected_key, &import.summary_key].into_iter().flatten() {
        if holds_person(app, key, is_theirs).await? && app.aws.delete_object(key).await? {
            job.add("import_reports", 1);
        }
    }
    Ok(())
}

/// Whether a stored text file names the person: every token with an `@`
/// (between separators of CSV, TSV, JSON) is compared by keyed hash; read
/// as a stream, line by line.
async fn holds_person<S: Files>(app: &App<S>, key: &str, is_theirs: &impl Fn(&str) -> bool) -> Result<bool, Error> {
    let bucket = &app.config.data_bucket;
    let Some((_, etag)) = app.aws.head(bucket, key).await? else { return Ok(false) };
    let mut body = app.aws.read_stream(bucket, key, &etag).await?;
    let mut carry: Vec<u8> = Vec::new();
    let found_in = |line: &[u8]| {
        String::from_utf8_lossy(line)
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '\t' | '"' | '\'' | '<' | '>' | '[' | ']' | '{' | '}'))
            .filter(|t| t.contains('@'))
            .any(is_theirs)
    };
    while let Some(chunk) = body.try_next().await.map_err(Error::aws("GetObject (read)"))? {
        carry.extend_from_slice(&chunk);
        if let Some(end) = carry.iter().rposition(|b| *b == b'\n') {
            let rest = carry.split_off(end + 1);
            if carry.split(|b| *b == b'\n').any(found_in) {
                return Ok(true);
            }
            carry = rest;
        }
    }
    Ok(found_in(&carry))
}
