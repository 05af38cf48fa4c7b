//! Long data work as a resumable job: the GDPR erasure of one person, and
//! the deletion of a whole project with all its data.
//!
//! An erasure has two halves. The **directory** half (the contact, its list
//! memberships, personal links, B2B records, invitation records, contact
//! marks, a triggered send's snapshot, a suppression) is a bounded number of
//! writes and runs in the admin API's request. The **paged** half walks
//! data that grows with the project (responses, stored reports, contact
//! files) and runs as a [`JobRecord`] on the report queue, one slice per
//! message: each slice does a bounded amount of work, saves its cursor with
//! a conditional write, and queues the next slice. A redelivered message
//! finds the checkpoint moved on and does nothing twice.
//!
//! The job's record and its messages name the person only by a keyed hash
//! ([`super::guard::subject_hash`]): no stored record of the erasure holds
//! personal data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a job does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobKind {
    /// Erase one person (by keyed hash) from the project's paged data.
    Erase { subject: String },
    /// Delete the project and everything it holds: its partitions in the
    /// three tables, its mailing lists and distributions, its links,
    /// aggregates and B2B records, and every version of its files. The
    /// project is gone for every route from the request on; the job's
    /// record stays, naming only ids and counts, as the deletion's receipt.
    DeleteProject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Done,
}

/// Where a job stands. An erasure goes Responses → Reports → Files; a
/// project's deletion Responses → Contacts → Lists → Invitations → Sweep →
/// Objects → Project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Responses: for an erasure, the person's address, names, contact
    /// fields and free text removed (scores kept, so the figures do not
    /// move); for a deletion, every response deleted.
    Responses,
    /// Stored reports made before the erasure, rebuilt without the person.
    Reports,
    /// Contact files: originals and rejected-rows files that hold the person.
    Files,
    /// The project's contact directory: contacts, suppressions, erasure
    /// marks, the index of personal links.
    Contacts,
    /// Each mailing list's members.
    Lists,
    /// Each distribution's invitation records.
    Invitations,
    /// Items of the project outside its own partitions, found by a scan of
    /// the core table: links, opt-out and share tokens, aggregates, B2B.
    Sweep,
    /// Every version of every file under the project's prefixes.
    Objects,
    /// The project's own partition (settings, versions, lists, distributions,
    /// reports, imports, ledgers) and its other jobs' records.
    Project,
    Done,
}

impl Phase {
    fn next(self, kind: &JobKind) -> Phase {
        match (kind, self) {
            (JobKind::Erase { .. }, Phase::Responses) => Phase::Reports,
            (JobKind::Erase { .. }, Phase::Reports) => Phase::Files,
            (JobKind::Erase { .. }, _) => Phase::Done,
            (JobKind::DeleteProject, Phase::Responses) => Phase::Contacts,
            (JobKind::DeleteProject, Phase::Contacts) => Phase::Lists,
            (JobKind::DeleteProject, Phase::Lists) => Phase::Invitations,
            (JobKind::DeleteProject, Phase::Invitations) => Phase::Sweep,
            (JobKind::DeleteProject, Phase::Sweep) => Phase::Objects,
            (JobKind::DeleteProject, Phase::Objects) => Phase::Project,
            (JobKind::DeleteProject, _) => Phase::Done,
        }
    }
}

/// The bucket prefixes a project's files live under (with its B2B sync's:
/// files dropped and not yet taken, rows fetched from Salesforce and not
/// yet loaded).
pub fn project_prefixes(project_id: &str) -> [String; 6] {
    ["reports", "logos", "uploads", "imports", "sync", "salesforce"].map(|p| format!("{p}/{project_id}/"))
}

/// A job's record: its kind, where it stands, and what it removed where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub project_id: String,
    pub job_id: String,
    #[serde(flatten)]
    pub kind: JobKind,
    pub state: JobState,
    pub phase: Phase,
    /// Where the current phase goes on (a response id, a report id…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// What was removed or rewritten, by place (`contact`, `responses`,
    /// `reports_rebuilt`…): the job's status for the operator.
    #[serde(default)]
    pub removed: BTreeMap<String, u64>,
    /// Slices run so far; each checkpoint is conditional on it, so a
    /// redelivered message cannot run a slice twice.
    pub slices: u64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
}

impl JobRecord {
    /// An erasure whose directory half is done (`directory`), its paged half
    /// to run.
    pub fn erasure(project_id: &str, job_id: &str, subject: &str, directory: &Erasure, now: &str) -> Self {
        JobRecord {
            project_id: project_id.into(),
            job_id: job_id.into(),
            kind: JobKind::Erase { subject: subject.into() },
            state: JobState::Running,
            phase: Phase::Responses,
            cursor: None,
            removed: directory.places(),
            slices: 0,
            created_at: now.into(),
            updated_at: now.into(),
            finished_at: None,
        }
    }

    /// A project's deletion, started (the project already gone for every
    /// route), its data to delete.
    pub fn deletion(project_id: &str, job_id: &str, now: &str) -> Self {
        JobRecord {
            project_id: project_id.into(),
            job_id: job_id.into(),
            kind: JobKind::DeleteProject,
            state: JobState::Running,
            phase: Phase::Responses,
            cursor: None,
            removed: BTreeMap::new(),
            slices: 0,
            created_at: now.into(),
            updated_at: now.into(),
            finished_at: None,
        }
    }

    /// Counts `n` more removed at `place`.
    pub fn add(&mut self, place: &str, n: u64) {
        if n > 0 {
            *self.removed.entry(place.to_string()).or_default() += n;
        }
    }

    /// How many were removed at `place`.
    pub fn removed_at(&self, place: &str) -> u64 {
        self.removed.get(place).copied().unwrap_or(0)
    }

    /// The current phase is finished: the next one starts from its
    /// beginning; after the last, the job is done.
    pub fn advance(&mut self, now: &str) {
        self.phase = self.phase.next(&self.kind);
        self.cursor = None;
        if self.phase == Phase::Done {
            self.state = JobState::Done;
            self.finished_at = Some(now.into());
        }
    }

    /// One slice ended (its work saved under the next slice number).
    pub fn end_slice(&mut self, now: &str) {
        self.slices += 1;
        self.updated_at = now.into();
    }
}

/// What the directory half of an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Erasure {
    pub contact: bool,
    pub list_memberships: u64,
    /// Personal links (invitations, minted links) deleted: they carried the
    /// contact's name, address and fields, and would have attached them to
    /// a later response.
    pub links: u64,
    /// B2B contact records (CRM imports) of the person.
    pub b2b_contacts: u64,
    /// Invitation records (one per distribution) and the contact-frequency
    /// mark, whose keys held the address.
    pub invitations: u64,
    /// Triggered sends whose snapshot of the contact was blanked.
    pub triggered_sends: u64,
    /// Whether a suppression was kept, as a keyed hash in place of the address.
    pub suppression_hashed: bool,
}

impl Erasure {
    /// The counts by place, as a job's status shows them.
    pub fn places(&self) -> BTreeMap<String, u64> {
        [
            ("contact", u64::from(self.contact)),
            ("list_memberships", self.list_memberships),
            ("links", self.links),
            ("b2b_contacts", self.b2b_contacts),
            ("invitations", self.invitations),
            ("triggered_sends", self.triggered_sends),
            ("suppressions_hashed", u64::from(self.suppression_hashed)),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.to_string(), n))
        .collect()
    }
}

/// The mark an erasure leaves in the contact directory, under the person's
/// keyed hash: a message queued before the erasure (an invitation batch, a
/// triggered send) that still names them is skipped; a suppressed person is
/// never mailed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub subject: String,
    pub erased_at: String,
    /// The person had opted out or bounced: never mail them again, even if a
    /// later import adds them back.
    #[serde(default)]
    pub suppressed: bool,
}

/// Whether a send that names an erased person may go ahead: only when the
/// person was not suppressed and was added again after the erasure (a new
/// contact written later than the mark). `contact_written_at` is when the
/// contact's directory entry was written, if it exists.
pub fn may_mail(marker: Option<&Marker>, contact_written_at: Option<&str>) -> bool {
    match marker {
        None => true,
        Some(m) if m.suppressed => false,
        Some(m) => contact_written_at.is_some_and(|at| at > m.erased_at.as_str()),
    }
}

/// The slice's budget of pages: at most `max_pages`, and no more once fewer
/// than `margin_ms` remain before the invocation's deadline; but always the
/// first, so that every slice moves the job on.
pub fn slice_goes_on(pages_done: u32, max_pages: u32, now_ms: u64, deadline_ms: u64, margin_ms: u64) -> bool {
    pages_done == 0 || (pages_done < max_pages && now_ms.saturating_add(margin_ms) < deadline_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> JobRecord {
        let directory = Erasure { contact: true, list_memberships: 2, ..Erasure::default() };
        JobRecord::erasure("p", "j", "h", &directory, "2026-12-02T10:00:00Z")
    }

    #[test]
    fn an_erasure_job_starts_with_what_the_directory_half_removed() {
        let j = job();
        assert_eq!(j.phase, Phase::Responses);
        assert_eq!(j.removed_at("contact"), 1);
        assert_eq!(j.removed_at("list_memberships"), 2);
        assert!(!j.removed.contains_key("links"), "places with nothing removed are left out");
    }

    #[test]
    fn phases_run_in_order_and_the_last_ends_the_job() {
        let mut j = job();
        j.cursor = Some("r1".into());
        j.advance("t1");
        assert_eq!((j.phase, j.cursor.as_deref(), j.state), (Phase::Reports, None, JobState::Running));
        j.advance("t2");
        assert_eq!(j.phase, Phase::Files);
        j.advance("t3");
        assert_eq!((j.phase, j.state, j.finished_at.as_deref()), (Phase::Done, JobState::Done, Some("t3")));
    }

    #[test]
    fn a_deletion_walks_every_place_of_the_project_in_order() {
        let mut j = JobRecord::deletion("p", "j", "t0");
        let mut seen = vec![j.phase];
        while j.state == JobState::Running {
            j.advance("t");
            seen.push(j.phase);
        }
        use Phase::*;
        assert_eq!(seen, [Responses, Contacts, Lists, Invitations, Sweep, Objects, Project, Done]);
        let json = serde_json::to_string(&j).unwrap();
        assert!(json.contains(r#""kind":"delete_project""#), "{json}");
        assert_eq!(serde_json::from_str::<JobRecord>(&json).unwrap(), j);
        assert_eq!(project_prefixes("p1")[0], "reports/p1/");
    }

    #[test]
    fn the_record_holds_no_address() {
        let json = serde_json::to_string(&job()).unwrap();
        assert!(json.contains(r#""kind":"erase""#) && json.contains(r#""subject":"h""#));
        assert!(!json.contains('@'));
        assert_eq!(serde_json::from_str::<JobRecord>(&json).unwrap(), job());
    }

    #[test]
    fn a_queued_send_to_an_erased_person_is_skipped_unless_they_were_added_again() {
        let m = Marker { subject: "h".into(), erased_at: "2026-12-02T10:00:00Z".into(), suppressed: false };
        assert!(may_mail(None, None));
        assert!(!may_mail(Some(&m), None), "no contact any more");
        assert!(!may_mail(Some(&m), Some("2026-12-01T09:00:00Z")), "written before the erasure");
        assert!(may_mail(Some(&m), Some("2026-12-03T09:00:00Z")), "imported again afterwards");
        let suppressed = Marker { suppressed: true, ..m };
        assert!(!may_mail(Some(&suppressed), Some("2026-12-03T09:00:00Z")), "an opt-out outlives the erasure");
    }

    #[test]
    fn a_slice_stops_at_its_page_budget_or_near_the_deadline() {
        assert!(slice_goes_on(0, 5, 1_000, 100_000, 10_000));
        assert!(!slice_goes_on(5, 5, 1_000, 100_000, 10_000));
        assert!(!slice_goes_on(1, 5, 95_000, 100_000, 10_000));
        assert!(slice_goes_on(0, 5, 95_000, 100_000, 10_000), "every slice does one page at least");
    }
}
