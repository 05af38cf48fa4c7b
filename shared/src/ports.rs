//! The capabilities handlers depend on, one small trait each (ports).
//!
//! A handler names the few it needs (`S: Invitations + Mail`), never the
//! whole store. [`crate::store::Aws`] implements them on DynamoDB, S3, SQS
//! and SES and owns its table, bucket and queue names; the in-memory
//! doubles in [`crate::memory`] (feature `testing`) implement the same
//! traits by applying the domain's rules, and one contract suite
//! (`tests/tests/contract.rs`) runs against both.
//!
//! Every method returns a `Send` future, so handlers generic over these
//! traits run on the Lambda runtime and in the local stack alike.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::primitives::ByteStream;
use time::Date;

use crate::domain::b2b::{AccountRecord, AccountRow, B2bContactRow, TeamRecord, TeamRow};
use crate::domain::budget::{Account, Charge, Charged, Plan, Record};
use crate::domain::contacts::ContactRow;
use crate::domain::directory::{Contact, Erasure, ImportRecord, MailingList, Suppression};
use crate::domain::distribution::DistState;
use crate::domain::erasure::{JobRecord, Marker};
use crate::domain::help::ErrorRecord;
use crate::domain::invitation::{Invite, LinkClaim, ReminderClaim, Settle};
use crate::domain::ledger::{Claim, Entry};
use crate::domain::links::Link;
use crate::domain::mail::OutgoingEmail;
use crate::domain::project::Project;
use crate::domain::report::{Bucket, Counters, Dimension, Request, TextAnswer};
use crate::domain::response::Response;
use crate::domain::survey::Definition;
use crate::store::b2b::B2bContactRecord;
use crate::store::budgets::AccountSummary;
use crate::store::distributions::{Distribution, Due};
use crate::store::health::{Check, StackStatus};
use crate::store::reports::{ReportRecord, ShareLink};
use crate::store::surveys::{LinkContext, ProjectSummary, Stored};
use crate::Result;

/// Everything a Pulse function may use: a name for "all the ports", for
/// handlers that need most of them and for the local stack's wiring.
pub trait Store:
    Projects
    + Links
    + Guard
    + Responses
    + Imports
    + Directory
    + Distributions
    + Invitations
    + Notifications
    + Budgets
    + Reports
    + B2bAccounts
    + Syncs
    + Secrets
    + Files
    + Jobs
    + Mail
    + Queue
    + Health
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<
        T: Projects
            + Links
            + Guard
            + Responses
            + Imports
            + Directory
            + Distributions
            + Invitations
            + Notifications
            + Budgets
            + Reports
            + B2bAccounts
            + Syncs
            + Secrets
            + Files
            + Jobs
            + Mail
            + Queue
            + Health
            + Clone
            + Send
            + Sync
            + 'static,
    > Store for T
{
}

/// Projects, their drafts and published versions.
pub trait Projects: Send + Sync {
    /// Creates a project with its list entry and anonymous link.
    fn create_project(&self, p: &Project, anonymous: &Link) -> impl Future<Output = Result<()>> + Send;

    /// Reads a project.
    fn get_project(&self, id: &str) -> impl Future<Output = Result<Option<Project>>> + Send;

    /// Lists every project (newest first).
    fn list_projects(&self) -> impl Future<Output = Result<Vec<ProjectSummary>>> + Send;

    /// Stores a changed project, only if it is still at `expected_revision`
    /// (two operators editing at once cannot overwrite each other).
    fn update_project(&self, p: &Project, expected_revision: u64) -> impl Future<Output = Result<()>> + Send;

    /// Freezes `definition` as the project's next version and makes it the
    /// one respondents see, in one transaction conditional on the revision.
    fn publish(&self, p: &Project, definition: &Definition, expected_revision: u64, now: &str) -> impl Future<Output = Result<()>> + Send;

    /// Replaces the project's anonymous link with `new_link` (which `p`
    /// now names) and deletes the old one (`old_link`, its id), together with
    /// the project's change, conditional on `expected_revision`, all or
    /// nothing: the project is never left without a working anonymous
    /// link, and the old one stops working everywhere (a warm Lambda that
    /// kept it finds the project's revision moved on).
    fn rotate_anonymous_link(
        &self,
        p: &Project,
        expected_revision: u64,
        old_link: &str,
        new_link: &Link,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Reads a published version (once per warm Lambda: versions never change).
    fn get_version(&self, project_id: &str, version: u32) -> impl Future<Output = Result<Option<Definition>>> + Send;

    /// A published version, shared with the warm Lambda's cache.
    fn published(&self, project_id: &str, version: u32) -> impl Future<Output = Result<Option<Arc<Definition>>>> + Send;

    /// The definition reports label their figures with: the published
    /// survey, or (before the first publication) the draft. One body for
    /// every store.
    fn report_definition(&self, p: &Project) -> impl Future<Output = Result<Definition>> + Send {
        async move {
            match p.published_version {
                Some(v) => {
                    self.get_version(&p.id, v).await?.ok_or_else(|| crate::Error::not_found(format!("version {v} of project {}", p.id)))
                }
                None => Ok(crate::domain::survey::generate(&p.id, p.kind, &p.settings, 0)),
            }
        }
    }
}

/// How old a link's context kept by a warm Lambda may be for its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Whatever is kept (for minutes): a submission, whose transaction
    /// checks the project's revision and reads again on a change.
    Kept,
    /// Kept for at most a moment (about a second): a page view. The
    /// project's item is the one every view of its survey would read, and
    /// one item takes at most 3,000 read units a second; kept a second per
    /// warm Lambda, a crowd's views read it a few times a second instead.
    /// A survey closed or a link replaced shows on its pages within that
    /// moment (and on a submission at once).
    Recent,
    /// Read now (which also renews what is kept).
    Fresh,
}

/// Whether an account's links have room at `now_ms` ([`Budgets::links_have_room`]),
/// read from the store: the account's own item first (one read): with room
/// there, there is room; only when it looks used up are its leases' unspent
/// units read as well. No account: room (the link is not on a budget).
pub async fn links_room<S: Budgets>(store: &S, id: &str, now_ms: u64) -> Result<Room> {
    let used_up = |a: &Account| crate::domain::budget::view(a, now_ms).links_exhausted.is_some();
    if !store.get_account_as_charged(id).await?.as_ref().is_some_and(used_up) {
        return Ok(Room::Free);
    }
    Ok(match store.get_account(id).await? {
        Some(a) if used_up(&a) => {
            let month = crate::domain::budget::billing_month(now_ms, &a.time_zone);
            let ends = crate::domain::budget::month_end_ms(&month, &a.time_zone).unwrap_or(now_ms);
            Room::UsedUp { month_ends_ms: ends }
        }
        _ => Room::Free,
    })
}

/// What a page view learns of an account's links' room ([`links_room`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Room {
    /// A response through a link may be recorded (its own charge decides).
    Free,
    /// The links' share is used up; a new billing month starts at
    /// `month_ends_ms` (a raised budget or a lease's return may end it sooner).
    UsedUp { month_ends_ms: u64 },
}

impl Room {
    /// Whether what was learnt still says "room" at `now_ms`: a used-up
    /// month never outlives its month.
    pub fn has_room_at(self, now_ms: u64) -> bool {
        match self {
            Room::Free => true,
            Room::UsedUp { month_ends_ms } => now_ms >= month_ends_ms,
        }
    }
}

/// Survey links (anonymous and personal) and what a warm Lambda keeps of them.
pub trait Links: Send + Sync {
    /// A link with what a submission through it needs of its project:
    /// kept by a warm Lambda or read now, as `freshness` allows. `None`: no
    /// such link or project. What is kept may be out of date; the
    /// submission's transaction checks the revision
    /// ([`Aws::store_response`]), and [`Aws::forget_link`] drops it.
    /// Links are found by id: the keyed hash of their token (`App::link_id`).
    fn link_context(&self, link_id: &str, freshness: Freshness) -> impl Future<Output = Result<Option<Arc<LinkContext>>>> + Send;

    /// Moves a link kept under its token in clear (before tokens were
    /// hashed) to its id, with its answered mark and its index entry; a
    /// retired anonymous link is deleted instead. Whether the link now
    /// works under its id.
    fn rekey_link(&self, token: &str, link_id: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Drops a link's kept context (its project turned out to have changed).
    fn forget_link(&self, link_id: &str);

    /// Stores a new link (never overwrites one). A personal link is
    /// indexed under its contact in the same transaction, so that erasing
    /// the contact finds it ([`Aws::erase_links`]).
    fn put_link(&self, link: &Link) -> impl Future<Output = Result<()>> + Send;

    /// Deletes the personal links of a contact (by email key) of a
    /// project, with their index, and the contact's invitation link of each
    /// distribution (derived, not indexed); returns how many there were. A link
    /// deleted while a warm Lambda still keeps it stores nothing: the
    /// submission's transaction requires the link to exist.
    fn erase_links(&self, project_id: &str, email_key: &str) -> impl Future<Output = Result<u64>> + Send;

    /// Whether a link has been answered.
    fn link_answered(&self, link_id: &str) -> impl Future<Output = Result<bool>> + Send;

    /// A contact's personal links in a project, each with when it was
    /// answered (none: not yet).
    fn links_of(&self, project_id: &str, email_key: &str) -> impl Future<Output = Result<Vec<(Link, Option<String>)>>> + Send;

    /// Reads a link by its id.
    fn get_link(&self, link_id: &str) -> impl Future<Output = Result<Option<Link>>> + Send;

    /// Shares an object of the bucket through Pulse's own link until
    /// `expires_s` (the link's token kept only as its keyed hash,
    /// `token_hash`): a promise of days that an S3 presigned link, signed
    /// with a function's short-lived session, cannot keep.
    fn share_object(&self, token_hash: &str, key: &str, expires_s: u64) -> impl Future<Output = Result<()>> + Send;

    /// The object a share link opens at `now_s`, if it exists and has not expired.
    fn shared_object(&self, token_hash: &str, now_s: u64) -> impl Future<Output = Result<Option<String>>> + Send;
}

/// The public links' defences (`domain::guard`): the stack's own keys, the
/// sliding windows and the count of refused submissions.
pub trait Guard: Send + Sync {
    /// The stack's secret `name` (32 random bytes, made once on first use
    /// and kept while the Lambda is warm): the form tokens' signing key, the
    /// key of hashed addresses.
    fn secret(&self, name: &str) -> impl Future<Output = Result<Arc<[u8; 32]>>> + Send;

    /// Seals `clear` with the stack's links key (KMS in AWS and the local
    /// stack): what Pulse must show again but never keeps in clear.
    fn seal(&self, clear: &str) -> impl Future<Output = Result<String>> + Send;

    /// Opens what [`Guard::seal`] sealed.
    fn unseal(&self, sealed: &str) -> impl Future<Output = Result<String>> + Send;

    /// Counts one request in each sliding window `(key, per_minute)` and
    /// says which refuses it: the index of the first over its limit, None
    /// when every one admits it. Counters expire by TTL. A window whose
    /// limit is beyond what one partition takes is counted over several
    /// keys, a random one per request, whose counts estimate the whole
    /// (`domain::guard::window_shards`; the double counts it on one).
    fn admit(&self, windows: &[(String, u64)], now_ms: u64) -> impl Future<Output = Result<Option<usize>>> + Send;

    /// Counts a refused submission of a project on `day` (`YYYY-MM-DD`).
    fn count_blocked(&self, project_id: &str, reason: crate::domain::guard::Refusal, day: &str) -> impl Future<Output = Result<()>> + Send;

    /// A project's refused submissions by day (from `from_day` on) and reason.
    fn refusals(&self, project_id: &str, from_day: &str) -> impl Future<Output = Result<BTreeMap<String, BTreeMap<String, u64>>>> + Send;
}

/// Responses, stored once with their counters.
pub trait Responses: Send + Sync {
    /// Stores a response exactly once, with the project's response counter
    /// and (for a personal link) the link's answered mark, in one
    /// transaction. A second attempt with the same response id changes
    /// nothing and returns the stored response. The response's report
    /// aggregates (`contribution`) move in the same transaction.
    /// An anonymous response of a budgeted project is charged to its
    /// account (`charge`) in the same transaction: with the budget used up,
    /// nothing is stored ([`Stored::OverBudget`]). The transaction also
    /// checks that the project is still at `project_revision`, the one the
    /// response was validated against (on the counters item it updates
    /// anyway, so the check costs no extra item), so that a warm Lambda's kept
    /// project is never out of date for what it stores
    /// ([`Stored::ProjectChanged`]).
    fn store_response(
        &self,
        r: &Response,
        personal_link: Option<&str>,
        project_revision: u64,
        contribution: Option<&crate::domain::report::Contribution>,
        gate: crate::store::surveys::Gate<'_>,
    ) -> impl Future<Output = Result<Stored>> + Send;

    /// Reads one response.
    fn get_response(&self, project_id: &str, response_id: &str) -> impl Future<Output = Result<Option<Response>>> + Send;

    /// A project's responses, a page at a time (`after`: the last response
    /// id of the previous page).
    fn list_responses(
        &self,
        project_id: &str,
        after: Option<&str>,
        limit: i32,
    ) -> impl Future<Output = Result<(Vec<Response>, Option<String>)>> + Send;

    /// Stores a response again after a change that keeps its identity (the
    /// GDPR erasure of its personal data); it must exist.
    fn replace_response(&self, r: &Response) -> impl Future<Output = Result<()>> + Send;

    /// The project's response count and NPS counts (from its counters, not
    /// a scan), summed over the write shards the project (as read by the
    /// caller) has: one read of them all.
    fn project_stats(&self, project: &Project) -> impl Future<Output = Result<(u64, crate::domain::metrics::NpsCounts)>> + Send;

    /// The project's response count (from its counter, not a scan).
    fn response_count(&self, project_id: &str) -> impl Future<Output = Result<u64>> + Send;
}

/// Contact imports: their records, states and checkpoints.
pub trait Imports: Send + Sync {
    // ------------------------------------------------------------ imports

    /// Records an upload unless it is recorded already (false then): a
    /// new one when its URL is handed out, or one whose file arrived in the
    /// bucket without a URL from the admin API.
    fn create_import(&self, r: &ImportRecord) -> impl Future<Output = Result<bool>> + Send;

    fn get_import(&self, project_id: &str, upload_id: &str) -> impl Future<Output = Result<Option<ImportRecord>>> + Send;

    /// A project's imports, oldest first.
    fn list_imports(&self, project_id: &str) -> impl Future<Output = Result<Vec<ImportRecord>>> + Send;

    /// Starts (or restarts) pass 1 for the file version `etag`; counts the
    /// invocation. False when the import is past validation or holds
    /// another file version (nothing changed then).
    fn start_validation(
        &self,
        upload: &crate::domain::upload::UploadRef,
        etag: &str,
        size: u64,
        now: &str,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Notes that a different file was written to the upload's key after
    /// the one the import holds (refused); the first note's time is kept.
    fn note_replaced(&self, project_id: &str, upload_id: &str, now: &str) -> impl Future<Output = Result<()>> + Send;

    /// Counts one more invocation of a running import.
    fn count_invocation(&self, project_id: &str, upload_id: &str, now: &str) -> impl Future<Output = Result<()>> + Send;

    /// Ends pass 1: the counts are final, the rejected rows' CSV is stored
    /// and writing begins from the first line. Only from `validating`.
    fn mark_validated(&self, r: &ImportRecord) -> impl Future<Output = Result<bool>> + Send;

    /// Notes pass 1's progress: `rows` checked and `bytes` of the file read
    /// (never back, and only while validating).
    fn note_validation(
        &self,
        project_id: &str,
        upload_id: &str,
        rows: u64,
        bytes: u64,
        now: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Moves the checkpoint forward (never back: a slower duplicate run
    /// cannot undo the progress of a faster one).
    fn checkpoint(&self, project_id: &str, upload_id: &str, line: u64, written: u64, now: &str) -> impl Future<Output = Result<()>> + Send;

    /// Ends an import as `done` or `failed`, once: false if it had ended.
    fn finish_import(&self, r: &ImportRecord) -> impl Future<Output = Result<bool>> + Send;
}

/// The contact directory: contacts, mailing lists, suppressions, erasure.
pub trait Directory: Send + Sync {
    // -------------------------------------------------------------- lists

    /// Creates a list (state `importing`) unless it exists.
    fn create_list(&self, list: &MailingList) -> impl Future<Output = Result<()>> + Send;

    /// Marks a list ready with its size.
    fn list_ready(&self, project_id: &str, list_id: &str, contacts: u64) -> impl Future<Output = Result<()>> + Send;

    fn get_list(&self, project_id: &str, list_id: &str) -> impl Future<Output = Result<Option<MailingList>>> + Send;

    fn list_lists(&self, project_id: &str) -> impl Future<Output = Result<Vec<MailingList>>> + Send;

    /// The lists (of `list_ids`) a contact is a member of.
    fn lists_of(&self, email_key: &str, list_ids: &[String]) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// A page of a list's members, in address order within the page
    /// (`after`: the `next` of the previous page; the pages of a list spread
    /// over partitions go shard after shard, so the list as a whole is not
    /// in address order).
    fn list_members(
        &self,
        list_id: &str,
        after: Option<&str>,
        limit: i32,
    ) -> impl Future<Output = Result<(Vec<Contact>, Option<String>)>> + Send;

    // ----------------------------------------------------------- contacts

    /// Upserts contacts and puts them on a list, in BatchWriteItem calls of
    /// 25 requests (two per contact). The rows must have distinct emails.
    fn write_contacts(
        &self,
        project_id: &str,
        list_id: &str,
        rows: &[ContactRow],
        upload_id: &str,
        now: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    fn get_contact(&self, project_id: &str, email_key: &str) -> impl Future<Output = Result<Option<Contact>>> + Send;

    // ------------------------------------------------------- suppressions

    /// Suppresses an address for a project; the first reason stays.
    fn suppress(&self, project_id: &str, email_key: &str, reason: &str, at: &str) -> impl Future<Output = Result<Suppression>> + Send;

    fn get_suppression(&self, project_id: &str, email_key: &str) -> impl Future<Output = Result<Option<Suppression>>> + Send;

    /// The suppressions of those of `email_keys` that are suppressed, by
    /// email key, read at once (one BatchGetItem per 100): what a message
    /// of invitations checks before it sends.
    fn suppressions_of(
        &self,
        project_id: &str,
        email_keys: &[String],
    ) -> impl Future<Output = Result<std::collections::HashMap<String, Suppression>>> + Send;

    fn list_suppressions(&self, project_id: &str) -> impl Future<Output = Result<Vec<Suppression>>> + Send;

    /// The hashes of a project's suppressed email keys (8 bytes each).
    fn suppressed_hashes(&self, project_id: &str) -> impl Future<Output = Result<HashSet<u64>>> + Send;

    // ---------------------------------------------------------------- GDPR

    /// The directory half of a GDPR erasure (see [`crate::domain::erasure`]):
    /// the directory entry, every list membership, its personal links, B2B
    /// contact records, invitation records and contact-frequency mark; a
    /// triggered send's snapshot of the person is blanked and the send
    /// cancelled; a suppression is kept as the keyed hash `subject` instead
    /// of the address. Leaves the erasure's [`Marker`] under `subject`.
    /// Running it again removes nothing more and is harmless.
    fn erase_directory(&self, project_id: &str, email_key: &str, subject: &str, now: &str) -> impl Future<Output = Result<Erasure>> + Send;

    /// The erasure mark of a person (by keyed hash), if they were erased.
    fn erased_marker(&self, project_id: &str, subject: &str) -> impl Future<Output = Result<Option<Marker>>> + Send;

    /// Whether the project has any erasure marks (most have none: the send
    /// path hashes addresses only when it does).
    fn has_erasures(&self, project_id: &str) -> impl Future<Output = Result<bool>> + Send;
}

/// Distributions, the schedule of due work, contact frequency and the send rate.
pub trait Distributions: Send + Sync {
    /// Creates a list's distribution (once: false if it exists) and starts
    /// it: its first plan message now, or the schedule at `send_at_ms`.
    fn launch_distribution(&self, d: &Distribution, send_at_ms: u64) -> impl Future<Output = Result<bool>> + Send;

    fn create_distribution(&self, d: &Distribution) -> impl Future<Output = Result<bool>> + Send;

    fn get_distribution(&self, project_id: &str, id: &str) -> impl Future<Output = Result<Option<Distribution>>> + Send;

    /// The responses through a distribution's links (each counted once,
    /// with the response).
    fn distribution_responses(&self, dist_id: &str) -> impl Future<Output = Result<u64>> + Send;

    fn list_distributions(&self, project_id: &str) -> impl Future<Output = Result<Vec<Distribution>>> + Send;

    /// Moves a distribution from one state to another; false if it was
    /// not in `from` (nothing changed).
    fn move_distribution(
        &self,
        project_id: &str,
        id: &str,
        from: &[DistState],
        to: DistState,
        now: &str,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Pauses a planning or sending distribution with SES's `reason`;
    /// false if it was in neither state.
    fn pause_distribution(&self, project_id: &str, id: &str, reason: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Puts a distribution in `from` back on the schedule to be planned
    /// again from its first page (the planned count starts again; settled
    /// invitations stay settled, so nobody is invited twice); the caller
    /// schedules its start. False if it was not in `from`.
    fn replan_distribution(&self, project_id: &str, id: &str, from: &[DistState]) -> impl Future<Output = Result<bool>> + Send;

    /// Records a planned page: the cursor moves from `after` to `next`
    /// (only if it still stands at `after`, so a repeated page is counted
    /// once) and `planned` grows by `count`. False if the page was planned before.
    fn planned_page(
        &self,
        project_id: &str,
        id: &str,
        after: Option<&str>,
        next: Option<&str>,
        count: u64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Marks the contact invited now by `dist_id`, unless another
    /// distribution invited it within the quiet period (false then).
    fn mark_invited(
        &self,
        project_id: &str,
        email_key: &str,
        dist_id: &str,
        now_ms: u64,
        quiet_days: u32,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// When each of these contacts was last invited by any distribution of
    /// the project (those never invited are left out).
    fn last_invited(
        &self,
        project_id: &str,
        email_keys: &[String],
    ) -> impl Future<Output = Result<std::collections::HashMap<String, u64>>> + Send;

    /// Takes one send from the global per-second budget of `rate` emails;
    /// false when this second's budget is spent (wait for the next).
    fn take_send_token(&self, window: u64, rate: u32) -> impl Future<Output = Result<bool>> + Send;

    /// Takes up to `want` sends at once from the second `window`'s budget
    /// of `rate` emails: how many it got (0 when the second's budget is
    /// spent). One write for a whole message's sends.
    fn take_send_tokens(&self, window: u64, rate: u32, want: u32) -> impl Future<Output = Result<u32>> + Send;

    /// Puts work on the schedule's list, due at `at_ms`.
    fn schedule_due(&self, at_ms: u64, kind: &str, project_id: &str, distribution_id: &str) -> impl Future<Output = Result<()>> + Send;

    /// Work due at or before `now_ms`, oldest first (at most 100 a call).
    fn due(&self, now_ms: u64) -> impl Future<Output = Result<Vec<Due>>> + Send;

    /// Takes handled work off the schedule's list.
    fn done_due(&self, sk: &str) -> impl Future<Output = Result<()>> + Send;

    /// Takes back the contact-frequency mark this invitation set at
    /// `now_ms` (it was not sent after all: the budget was used up).
    fn unmark_invited(&self, project_id: &str, email_key: &str, dist_id: &str, now_ms: u64) -> impl Future<Output = Result<()>> + Send;
}

/// The invitation ledger: one claimed, charged and settled invitation per contact and distribution, and its reminder.
pub trait Invitations: Send + Sync {
    /// One invitation, as stored.
    fn get_invite(&self, dist_id: &str, email_key: &str) -> impl Future<Output = Result<Option<Invite>>> + Send;

    /// Reopens a failed invitation SES refused ([`Invite::reopen`]) and
    /// takes it off the distribution's `failed` count, in one transaction.
    /// False if it is not a retryable failure.
    fn reopen_invite(&self, project_id: &str, dist_id: &str, email_key: &str) -> impl Future<Output = Result<bool>> + Send;

    /// A page of a distribution's invitations (after the email key `after`).
    fn invites(&self, dist_id: &str, after: Option<&str>, limit: i32)
        -> impl Future<Output = Result<(Vec<Invite>, Option<String>)>> + Send;

    /// A contact's invitations by the distributions `dist_ids` (those that
    /// have one), with the distribution's id.
    fn invites_of(&self, email_key: &str, dist_ids: &[String]) -> impl Future<Output = Result<Vec<(String, Invite)>>> + Send;

    /// Claims an invitation's reminder, once; for a budgeted project the
    /// claim and the reminder's charge are one transaction, and an exhausted
    /// budget skips the reminder for good (counted on the distribution).
    fn claim_reminder(
        &self,
        project_id: &str,
        dist_id: &str,
        email_key: &str,
        charge: Option<&Charge>,
    ) -> impl Future<Output = Result<ReminderClaim>> + Send;

    /// Notes which project and distribution an email SES accepted
    /// (`message_id`) belongs to, for feedback in SES's classic form, which
    /// carries no tags (kept 60 days).
    fn note_message(&self, message_id: &str, project_id: &str, dist_id: &str, now_ms: u64) -> impl Future<Output = Result<()>> + Send;

    /// Notes the origin of several accepted emails at once (one batch
    /// write), as [`Invitations::note_message`] does for one.
    fn note_messages(
        &self,
        message_ids: &[String],
        project_id: &str,
        dist_id: &str,
        now_ms: u64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Claims a contact's invitation by putting its personal link, whose id
    /// is the same for every attempt ([`crate::domain::guard::invitation_token`]),
    /// held by `attempt` until `until_ms`. A link there already is decided
    /// by [`crate::domain::invitation::decide_hold`] at `now_ms`
    /// (`never_sent`: the ledger says it never reached SES) and taken over
    /// only if nobody moved it since it was read.
    fn claim_link(
        &self,
        link: &Link,
        attempt: &str,
        until_ms: u64,
        now_ms: u64,
        never_sent: bool,
    ) -> impl Future<Output = Result<LinkClaim>> + Send;

    /// SES did not take the invitation for a passing reason: its link's
    /// hold is let go as never sent, so the redelivery takes it over (same
    /// link, same charge). False if `attempt` no longer held it.
    fn release_link(&self, link_id: &str, attempt: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Deletes the link `attempt` holds (the invitation is not sent: its
    /// contact never gets a working link).
    fn drop_link(&self, link_id: &str, attempt: &str) -> impl Future<Output = Result<()>> + Send;

    /// Charges a held invitation to its account before its email goes out:
    /// the link's charge mark and the account's counter move together, once
    /// per attempt.
    fn charge_link(&self, link_id: &str, attempt: &str, c: &Charge) -> impl Future<Output = Result<Charged>> + Send;

    /// Settles a message's invitations together: each ledger entry is
    /// written only where its [`crate::domain::invitation::Expect`] holds,
    /// and the distribution's counters and the project's day and segment
    /// buckets move by the sum of those written, in the same transaction
    /// (split at DynamoDB's 100 items). Which of `settles` were written
    /// (one settled first by another attempt is left out, not counted).
    fn settle_invites(&self, project_id: &str, dist_id: &str, settles: &[Settle]) -> impl Future<Output = Result<Vec<bool>>> + Send;

    /// The ledger entries of these contacts in a distribution (one batch
    /// read), by email key.
    fn invites_at(
        &self,
        dist_id: &str,
        email_keys: &[String],
    ) -> impl Future<Output = Result<std::collections::HashMap<String, Invite>>> + Send;

    /// The project and distribution an email SES accepted belongs to.
    fn message_origin(&self, message_id: &str) -> impl Future<Output = Result<Option<(String, String)>>> + Send;

    /// A reminder SES did not take for a passing reason is due again
    /// ([`Invite::unclaim_reminder`]); false if it was not being sent.
    fn reminder_unclaimed(&self, dist_id: &str, email_key: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Settles a claimed reminder (`sent` moves the distribution's
    /// `reminders_sent` with it; `skipped` does not).
    fn settle_reminder(&self, project_id: &str, dist_id: &str, email_key: &str, sent: bool) -> impl Future<Output = Result<()>> + Send;
}

/// The notification ledger (each notification once) and recipients' opt-outs.
pub trait Notifications: Send + Sync {
    /// Sends `email` once under the ledger key `key`: claimed first (until
    /// the invocation's deadline, at least a minute), completed after
    /// sending, released if sending fails so that a retry can send. Says
    /// whether this call sent it or it had been sent before.
    fn send_once(
        &self,
        project_id: &str,
        key: &str,
        deadline_ms: u64,
        email: &crate::domain::mail::OutgoingEmail,
    ) -> impl Future<Output = Result<crate::domain::ledger::Sent>> + Send;

    /// Claims the notification `key` of a project until `until_ms`: the
    /// put's condition is [`ledger::may_claim`]; a refusal is explained by
    /// [`ledger::refused`] from the entry found.
    fn claim_notification(&self, project_id: &str, key: &str, now_ms: u64, until_ms: u64) -> impl Future<Output = Result<Claim>> + Send;

    /// A notification's ledger entry.
    fn ledger_entry(&self, project_id: &str, key: &str) -> impl Future<Output = Result<Option<Entry>>> + Send;

    /// Marks the claim this invocation holds (taken until `until_ms`) as
    /// being handed to SES ([`ledger::mark_sending`]); false if it is not
    /// that claim any more.
    fn notification_sending(&self, project_id: &str, key: &str, until_ms: u64) -> impl Future<Output = Result<bool>> + Send;

    /// Marks a notification being sent as sent.
    fn complete_notification(&self, project_id: &str, key: &str, message_id: &str, at: &str) -> impl Future<Output = Result<()>> + Send;

    /// Releases a claim whose sending failed, so that a retry can send.
    fn release_notification(&self, project_id: &str, key: &str) -> impl Future<Output = Result<()>> + Send;

    /// The state of a metric alert rule for one scope
    /// ([`crate::domain::alerts::state_key`]).
    fn alert_state(&self, project_id: &str, key: &str) -> impl Future<Output = Result<Option<crate::domain::alerts::AlertState>>> + Send;

    /// Writes an alert state only over the version it was computed from
    /// (`new.version - 1`; none stored for version 1): false when another
    /// evaluation wrote first, so that concurrent evaluations fire once.
    fn put_alert_state(
        &self,
        project_id: &str,
        key: &str,
        new: &crate::domain::alerts::AlertState,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// The recipients of a project who stopped response notifications.
    fn opted_out(&self, project_id: &str) -> impl Future<Output = Result<BTreeSet<String>>> + Send;

    /// A fresh opt-out token for a recipient, for one email (kept only as
    /// its keyed hash; it works for `OPTOUT_DAYS` days).
    fn optout_token(&self, project_id: &str, email: &str) -> impl Future<Output = Result<String>> + Send;

    /// What an opt-out token stands for: (project id, recipient).
    fn find_optout(&self, token: &str) -> impl Future<Output = Result<Option<(String, String)>>> + Send;

    /// Stops response notifications to a recipient (idempotent).
    fn opt_out(&self, project_id: &str, email: &str, at: &str) -> impl Future<Output = Result<()>> + Send;
}

/// Plans, accounts and their budget counters.
pub trait Budgets: Send + Sync {
    /// Creates a plan (a name is taken once, case-insensitively; Starter is built in).
    fn create_plan(&self, plan: &Plan, now: &str) -> impl Future<Output = Result<()>> + Send;

    /// A plan by name (case-insensitive), Starter included.
    fn get_plan(&self, name: &str) -> impl Future<Output = Result<Option<Plan>>> + Send;

    /// Every plan, Starter first.
    fn list_plans(&self) -> impl Future<Output = Result<Vec<Plan>>> + Send;

    /// Creates an account with its list entry.
    fn create_account(&self, a: &Account) -> impl Future<Output = Result<()>> + Send;

    /// Reads an account.
    fn get_account(&self, id: &str) -> impl Future<Output = Result<Option<Account>>> + Send;

    /// Reads an account's own item alone: what its leases hold unspent
    /// counts as used, so its use is never less than [`Budgets::get_account`]
    /// tells (one read, for a check that only needs to know there is room).
    fn get_account_as_charged(&self, id: &str) -> impl Future<Output = Result<Option<Account>>> + Send;

    /// Whether the links of an account have room for a response at
    /// `now_ms`, as a page view asks before it shows a form (the
    /// submission's own charge decides): [`links_room`] from the
    /// account's own item, its leases only when that says the links'
    /// share is used up. A warm Lambda keeps the answer for a moment
    /// (`PAGE_AGE`), since a crowd on one survey would otherwise read the
    /// account's item, one partition, on every view, before the budget's
    /// edge and after it; a "used up" never past its billing month (a new
    /// month shows the form at once), and a submission refused for the
    /// budget keeps a "used up" in its place, so the next page says so at
    /// once without reading the account.
    fn links_have_room(&self, id: &str, now_ms: u64) -> impl Future<Output = Result<bool>> + Send;

    /// Every account (oldest first).
    fn list_accounts(&self) -> impl Future<Output = Result<Vec<AccountSummary>>> + Send;

    /// Puts the account on `plan` at once: the month's remaining budget is
    /// the new budget less what was used. False if there is no such account.
    fn change_plan(&self, id: &str, plan: &Plan, now: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Keeps `reserve` records of each month for invitations and reminders
    /// (links may use the budget less it, also after plan changes). False
    /// if there is no such account.
    fn set_reserve(&self, id: &str, reserve: u64, now: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Starts the billing month `month` on the account if its counters
    /// belong to an earlier month (once, whoever comes first).
    fn roll_month(&self, id: &str, month: &str) -> impl Future<Output = Result<()>> + Send;

    /// The charge of a record of `account_id` made now: starts a new
    /// billing month first if one has begun. The account's time zone (fixed
    /// when the account is created) and the month last seen current are
    /// kept by a warm Lambda, so within a month no read is needed: the
    /// charge's own condition checks the month. None when the account does
    /// not exist (nothing is charged).
    fn prepare_charge(&self, account_id: &str, now_ms: u64, record: Record) -> impl Future<Output = Result<Option<Charge>>> + Send;

    /// Counts a refused record in the billing month.
    fn count_refusal(&self, c: &Charge) -> impl Future<Output = Result<()>> + Send;

    /// Gives back a charged record that was never delivered (SES refused
    /// the email), within the month it was charged in.
    fn refund(&self, account_id: &str, month: &str) -> impl Future<Output = Result<()>> + Send;

    /// Notes a sync (a contact import, an integration event) on the account.
    fn note_sync(&self, account_id: &str, kind: &str, at: &str) -> impl Future<Output = Result<()>> + Send;
}

/// Aggregates, report records and their files' links.
pub trait Reports: Send + Sync {
    /// The project's day buckets from `from` to `to` (inclusive).
    fn day_buckets(&self, project_id: &str, from: Date, to: Date) -> impl Future<Output = Result<Vec<Bucket>>> + Send;

    /// A dimension's segment buckets from `from` to `to` (inclusive).
    fn segment_buckets(&self, project_id: &str, dim: &Dimension, from: Date, to: Date) -> impl Future<Output = Result<Vec<Bucket>>> + Send;

    /// Adds counters to a bucket directly (the benchmark seeds large
    /// aggregates this way; responses move them in their own transaction).
    fn seed_bucket(
        &self,
        project_id: &str,
        day: Date,
        segment: Option<(&Dimension, &str)>,
        counters: &Counters,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The newest open-text answers submitted from `from` to `to`.
    fn report_texts(&self, project_id: &str, from: Date, to: Date, limit: usize) -> impl Future<Output = Result<Vec<TextAnswer>>> + Send;

    /// Removes a response's open-text answers from the report texts (GDPR
    /// erasure); the counters stay.
    fn erase_report_texts(&self, project_id: &str, submitted_at: &str, response_id: &str) -> impl Future<Output = Result<()>> + Send;

    /// Creates a report record unless a report with this id exists (a
    /// repeated schedule run): returns whether it was created.
    fn create_report(&self, r: &ReportRecord) -> impl Future<Output = Result<bool>> + Send;

    /// Reads a report record.
    fn get_report(&self, project_id: &str, report_id: &str) -> impl Future<Output = Result<Option<ReportRecord>>> + Send;

    /// A project's reports, newest first.
    fn list_reports(&self, project_id: &str) -> impl Future<Output = Result<Vec<ReportRecord>>> + Send;

    /// Records a report's outcome (written again by a retry: the files are
    /// the same, so the last write is as good as the first).
    fn finish_report(&self, r: &ReportRecord) -> impl Future<Output = Result<()>> + Send;

    /// Computes the figures of a report request from the aggregates: the
    /// day buckets of the range and the one before it, the segment buckets
    /// of each dimension asked for, the newest open-text answers.
    /// One body for every store: it only reads through the methods above.
    /// Scores with fewer answers than the project's `min_responses` are
    /// marked too few, whatever the request says.
    fn report_figures(
        &self,
        project: &crate::domain::project::Project,
        def: &crate::domain::survey::Definition,
        request: &Request,
        now: &str,
    ) -> impl Future<Output = Result<crate::domain::report::Figures>> + Send {
        async move {
            let project_id = project.id.as_str();
            let request = &Request { min_responses: project.settings.min_responses.into(), ..request.clone() };
            let bad = |m: String| crate::Error::bad_field("request", m);
            let (from, to) = request.range().map_err(bad)?;
            let (pfrom, _) = request.previous_range().map_err(bad)?;
            let mut segments = Vec::new();
            let (totals, texts) = match &request.filter {
                // one segment value: its buckets are the totals; the other
                // breakdowns and the open texts are of everyone, so left out
                Some(f) => {
                    let buckets = self.segment_buckets(project_id, &f.dimension, pfrom, to).await?;
                    (buckets.into_iter().filter(|b| b.value.as_deref() == Some(f.value.as_str())).collect(), Vec::new())
                }
                None => {
                    for dim in &request.segments {
                        segments.push((dim.clone(), self.segment_buckets(project_id, dim, from, to).await?));
                    }
                    (
                        self.day_buckets(project_id, pfrom, to).await?,
                        self.report_texts(project_id, from, to, crate::domain::report::MAX_TEXTS).await?,
                    )
                }
            };
            crate::domain::report::figures(crate::domain::report::Inputs {
                project_id,
                definition: def,
                request,
                totals: &totals,
                segments: &segments,
                texts,
                generated_at: now,
            })
            .map(|f| crate::domain::report::Figures { time_zone: project.settings.time_zone().to_string(), ..f })
            .map_err(bad)
        }
    }

    /// A done report's files as time-limited (one hour) links for the operator.
    fn report_links(&self, r: &ReportRecord) -> impl Future<Output = Result<serde_json::Value>> + Send;

    /// Stores a share link of a report under its token's keyed hash
    /// (`link.id`), with its entry in the report's list of links.
    fn share_report(&self, project_id: &str, link: &ShareLink) -> impl Future<Output = Result<()>> + Send;

    /// A report's share links (expired ones too, until the table's TTL
    /// removes them), oldest first.
    fn report_shares(&self, project_id: &str, report_id: &str) -> impl Future<Output = Result<Vec<ShareLink>>> + Send;

    /// Revokes a share link; false if there was none (revoking twice is harmless).
    fn revoke_share(&self, project_id: &str, report_id: &str, link_id: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Deletes a report's record and every share link of it (its files are
    /// the caller's to delete); false if there was no such report.
    fn delete_report(&self, project_id: &str, report_id: &str) -> impl Future<Output = Result<bool>> + Send;

    /// The report a share link opens (found by the token's keyed hash),
    /// while the link has not expired.
    fn report_by_link(&self, token_hash: &str, now_s: u64) -> impl Future<Output = Result<Option<ReportRecord>>> + Send;
}

/// B2B accounts, their team and contacts.
pub trait B2bAccounts: Send + Sync {
    /// Every account of a project (deleted ones too).
    fn b2b_accounts(&self, project_id: &str) -> impl Future<Output = Result<Vec<AccountRecord>>> + Send;

    /// Every team member of a project.
    fn b2b_team(&self, project_id: &str) -> impl Future<Output = Result<Vec<TeamRecord>>> + Send;

    /// Every B2B contact of a project.
    fn b2b_contacts(&self, project_id: &str) -> impl Future<Output = Result<Vec<B2bContactRecord>>> + Send;

    /// Deletes a project's B2B contact records of one person (by email
    /// key; a CRM export may hold several ids for one address): part of
    /// the GDPR erasure. Returns how many there were. Erasure is rare, so
    /// the project's B2B contacts are read rather than indexed by address.
    fn erase_b2b_contacts(&self, project_id: &str, email_key: &str) -> impl Future<Output = Result<u64>> + Send;

    /// Writes accounts (upserts, in batches); `parents` holds the checked
    /// parent of each (a cut link is stored as none).
    fn write_accounts(
        &self,
        project_id: &str,
        rows: &[AccountRow],
        parents: &BTreeMap<String, Option<String>>,
        upload_id: &str,
        now: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Stores a changed parent link (the hierarchy check cut or restored it).
    fn set_parent(&self, project_id: &str, account_id: &str, parent: Option<&str>) -> impl Future<Output = Result<()>> + Send;

    /// Notes that custom attributes hold data (their types are locked from now on).
    fn note_attributes(&self, project_id: &str, names: &BTreeSet<String>) -> impl Future<Output = Result<()>> + Send;

    /// The custom attributes that hold data.
    fn attributes_with_data(&self, project_id: &str) -> impl Future<Output = Result<BTreeSet<String>>> + Send;

    /// Writes team members (upserts, in batches).
    fn write_team(&self, project_id: &str, rows: &[TeamRow], upload_id: &str, now: &str) -> impl Future<Output = Result<()>> + Send;

    /// The stored B2B contacts with these ids (absent ones are not returned).
    fn b2b_contacts_by_id(
        &self,
        project_id: &str,
        ids: &[String],
    ) -> impl Future<Output = Result<BTreeMap<String, B2bContactRecord>>> + Send;

    /// Writes B2B contacts: the B2B record, the directory contact and, for
    /// those `listed`, the list member. Returns nothing; the caller decides
    /// who is new and who is listed.
    fn write_b2b_contacts(
        &self,
        project_id: &str,
        list_id: &str,
        rows: &[(B2bContactRow, String, bool)],
        upload_id: &str,
        now: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Lifts a suppression only if its reason is `reason` (an undeleted
    /// contact; an unsubscribe stays).
    fn lift_suppression(&self, project_id: &str, email_key: &str, reason: &str) -> impl Future<Output = Result<()>> + Send;
}

/// Files in the data bucket: uploads, logos, reports.
pub trait Files: Send + Sync {
    /// Stores an object.
    fn put_object(&self, key: &str, content_type: &str, bytes: Vec<u8>) -> impl Future<Output = Result<()>> + Send;

    /// A time-limited GET link to an object (computed locally, no call).
    fn presigned_get(&self, key: &str, valid_for: Duration) -> impl Future<Output = Result<String>> + Send;

    /// Stores a local file, streamed from disk (large reports).
    fn put_file(&self, key: &str, content_type: &str, path: &std::path::Path) -> impl Future<Output = Result<()>> + Send;

    /// A time-limited PUT link for one object, bound to its content type
    /// (the uploader must send the same `Content-Type`).
    fn presigned_put(&self, key: &str, content_type: &str, valid_for: Duration) -> impl Future<Output = Result<String>> + Send;

    /// A browser form that posts one file straight to `key` (at most
    /// `max_bytes`), signed with the function's credentials (computed
    /// locally, no call); S3 then sends the browser to `redirect`, or
    /// answers 201 when there is none (a script's upload).
    fn presigned_post(
        &self,
        key: &str,
        max_bytes: u64,
        redirect: Option<&str>,
        valid_for: Duration,
    ) -> impl Future<Output = Result<crate::domain::upload::PostForm>> + Send;

    /// An object's size and ETag, or `None` if it does not exist.
    fn head(&self, bucket: &str, key: &str) -> impl Future<Output = Result<Option<(u64, String)>>> + Send;

    /// The body of an object as a stream of chunks, provided it is still
    /// the version `etag` names (a file replaced mid-import fails the read).
    fn read_stream(&self, bucket: &str, key: &str, etag: &str) -> impl Future<Output = Result<ByteStream>> + Send;

    /// A small object of the data bucket (a logo) with its content type,
    /// or `None` if it does not exist.
    fn get_object(&self, key: &str) -> impl Future<Output = Result<Option<(String, Vec<u8>)>>> + Send;

    /// Deletes an object of the data bucket with every stored version of it
    /// (the bucket keeps versions: a plain delete would leave the old bytes
    /// behind); whether there was anything. Deleting nothing is harmless.
    fn delete_object(&self, key: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Deletes the versions of an object older than its current one (after
    /// it was rewritten without someone's data).
    fn forget_old_versions(&self, key: &str) -> impl Future<Output = Result<u64>> + Send;

    /// The current objects of the data bucket under `prefix`: key and ETag,
    /// in key order (a drop folder: a handful of files).
    fn list_objects(&self, prefix: &str) -> impl Future<Output = Result<Vec<(String, String)>>> + Send;
}

/// What claiming a sync run found.
#[derive(Debug, Clone, PartialEq)]
pub enum Begun {
    /// This invocation holds the run now.
    Claimed,
    /// Another invocation holds it (its lease runs).
    Held(crate::domain::b2b::sync::SyncRun),
    /// It ended before: the same files again change nothing.
    Ended(crate::domain::b2b::sync::SyncRun),
}

/// The projects' connected-app secrets (a Salesforce org's consumer key
/// and secret or private key), one per project, in Secrets Manager: never
/// in a table, a log or an answer.
pub trait Secrets: Send + Sync {
    /// Creates or replaces the project's secret.
    fn put_secret(&self, project_id: &str, value: &str) -> impl Future<Output = Result<()>> + Send;
    /// The project's secret, if one is set.
    fn get_secret(&self, project_id: &str) -> impl Future<Output = Result<Option<String>>> + Send;
    /// When the project's secret was last changed (RFC 3339), if one is set.
    fn secret_changed(&self, project_id: &str) -> impl Future<Output = Result<Option<String>>> + Send;
    /// Deletes the project's secret at once (no recovery window): the
    /// project's deletion. Whether there was one.
    fn delete_secret(&self, project_id: &str) -> impl Future<Output = Result<bool>> + Send;
}

/// The automated B2B sync: each project's settings and its runs (see
/// [`crate::domain::b2b::sync`]).
pub trait Syncs: Send + Sync {
    /// Stores a project's sync (its settings and last claimed slot).
    fn put_sync(&self, config: &crate::domain::b2b::sync::SyncConfig) -> impl Future<Output = Result<()>> + Send;

    fn get_sync(&self, project_id: &str) -> impl Future<Output = Result<Option<crate::domain::b2b::sync::SyncConfig>>> + Send;

    /// Every project's sync (one query), for the scheduled tick.
    fn syncs(&self) -> impl Future<Output = Result<Vec<crate::domain::b2b::sync::SyncConfig>>> + Send;

    /// Moves the last claimed slot from `last` to `slot`, if it still is
    /// `last`: one invocation runs a slot, however many ticks see it.
    fn claim_slot(&self, project_id: &str, last: Option<&str>, slot: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Creates a run, or takes over a running one whose lease ended before
    /// `now_ms`; otherwise says who has it or how it ended.
    fn begin_run(&self, run: &crate::domain::b2b::sync::SyncRun, now_ms: u64) -> impl Future<Output = Result<Begun>> + Send;

    /// Stores a run held by this invocation (progress, its end).
    fn save_run(&self, run: &crate::domain::b2b::sync::SyncRun) -> impl Future<Output = Result<()>> + Send;

    /// A project's runs, newest first.
    fn sync_runs(&self, project_id: &str) -> impl Future<Output = Result<Vec<crate::domain::b2b::sync::SyncRun>>> + Send;
}

/// Long data work in slices (see [`crate::domain::erasure`]).
pub trait Jobs: Send + Sync {
    /// Records a new job.
    fn create_job(&self, job: &JobRecord) -> impl Future<Output = Result<()>> + Send;

    fn get_job(&self, project_id: &str, job_id: &str) -> impl Future<Output = Result<Option<JobRecord>>> + Send;

    /// A project's jobs, newest first.
    fn list_jobs(&self, project_id: &str) -> impl Future<Output = Result<Vec<JobRecord>>> + Send;

    /// Saves a slice's checkpoint if the stored job has run `expected_slices`
    /// slices (the record carries the next number): false if another run of
    /// the same slice saved first.
    fn save_job(&self, job: &JobRecord, expected_slices: u64) -> impl Future<Output = Result<bool>> + Send;

    /// Starts a project's deletion, all or nothing and only from the
    /// revision `p` was read at: the project and its list entry go (every
    /// route, warm Lambdas included, finds no project from here on), the
    /// deletion's `job` is recorded, and a `DELETED` mark naming it stays
    /// in the project's partition until the job's last phase.
    fn begin_deletion(&self, p: &Project, job: &JobRecord) -> impl Future<Output = Result<()>> + Send;

    /// The job deleting a project, while its `DELETED` mark stands.
    fn deletion(&self, project_id: &str) -> impl Future<Output = Result<Option<String>>> + Send;

    /// Deletes one page of partition `pk` of `place`, except the item with
    /// sort key `keep`; how many it deleted (0: nothing is left).
    fn purge_partition(&self, place: Place, pk: &str, keep: Option<&str>) -> impl Future<Output = Result<u64>> + Send;

    /// One page of a scan of the core table for a project's items outside
    /// its own partitions (links, opt-out and share tokens, aggregates, B2B
    /// records), deleted; how many, and where the scan goes on (None: done).
    fn sweep_project(&self, project_id: &str, cursor: Option<&str>) -> impl Future<Output = Result<(u64, Option<String>)>> + Send;

    /// Deletes up to a page of object versions (and delete markers) under
    /// `prefix`; how many (0: nothing is left).
    fn purge_prefix(&self, prefix: &str) -> impl Future<Output = Result<u64>> + Send;
}

/// The tables, for the ports that work on any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Core,
    Contacts,
    Responses,
}

/// Sending email.
pub trait Mail: Send + Sync {
    /// Sends one email from the stack's sender; returns the message id.
    fn send_email(&self, email: &OutgoingEmail) -> impl Future<Output = Result<String>> + Send;

    /// Sends one email through a configuration set whose bounce and
    /// complaint events come back tagged with `tags` (name, value: letters,
    /// digits, `_` and `-`), so they can be traced to a project.
    /// Sent through the stack's configuration set.
    fn send_tracked(&self, email: &OutgoingEmail, tags: &[(&str, &str)]) -> impl Future<Output = Result<String>> + Send;
}

/// The stack's work queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueueName {
    /// Invitation batches and test emails, for `send-distribution`.
    Send,
    /// Continuations of long contact imports, for `import-contacts`.
    Import,
    /// Reports asked for, for `generate-report`.
    Report,
}

/// A job, and the queue it goes to.
pub trait Job: serde::Serialize + Sync {
    const QUEUE: QueueName;
}

impl Job for crate::domain::jobs::SendJob {
    const QUEUE: QueueName = QueueName::Send;
}

impl Job for crate::domain::jobs::ImportJob {
    const QUEUE: QueueName = QueueName::Import;
}

impl Job for crate::domain::jobs::SyncNowJob {
    const QUEUE: QueueName = QueueName::Import;
}

impl Job for crate::domain::jobs::ReportJob {
    const QUEUE: QueueName = QueueName::Report;
}

impl Job for crate::domain::jobs::SliceJob {
    const QUEUE: QueueName = QueueName::Report;
}

/// Work queues.
pub trait Queue: Send + Sync {
    /// Puts one job on its queue; returns the message id.
    fn enqueue<J: Job>(&self, job: &J) -> impl Future<Output = Result<String>> + Send;

    /// Brings a received message of the send queue back after `seconds`
    /// (its visibility timeout changed): a backoff before its redelivery.
    fn retry_send_later(&self, receipt_handle: &str, seconds: u32) -> impl Future<Output = Result<()>> + Send;
}

/// The health check, the console's status page and the errors kept for
/// the support bundle.
pub trait Health: Send + Sync {
    /// Describes the three tables, heads the bucket and reads the queue's
    /// attributes; each check says whether the resource answered.
    fn health(&self) -> impl Future<Output = Vec<Check>> + Send;

    /// Everything the status page shows: every table, the bucket and every
    /// queue answering, the messages waiting on each dead-letter and
    /// failure queue, the sender's verification and SES's account (sandbox,
    /// quota) and each schedule's state. What cannot be read says why;
    /// nothing here fails.
    fn status(&self) -> impl Future<Output = StackStatus> + Send;

    /// Keeps a 5xx for the support bundle for [`crate::domain::help::ERROR_DAYS`]
    /// (then TTL deletes it).
    fn record_error(&self, e: &ErrorRecord, now_s: u64) -> impl Future<Output = Result<()>> + Send;

    /// The newest recorded errors, at most `limit`, newest first.
    fn last_errors(&self, limit: usize) -> impl Future<Output = Result<Vec<ErrorRecord>>> + Send;
}
