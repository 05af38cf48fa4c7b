//! Contract cases: see `tests/contract.rs`. Contact imports, the directory
//! (lists, contacts, suppressions, erasure), B2B accounts, the data bucket
//! and the health check.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Duration;

use pulse_shared::domain::b2b::{AccountRow, AttributeValue, B2bContactRow, ClientRole, TeamRole, TeamRow};
use pulse_shared::domain::contacts::{ContactRow, FileProblem, Format, NotText, RowError, TextEncoding, Warning};
use pulse_shared::domain::directory::{Erasure, ImportRecord, ListState, MailingList};
use pulse_shared::domain::erasure::{JobRecord, JobState, Marker, Phase};
use pulse_shared::domain::imports::{key_hash, Counts, ImportState};
use pulse_shared::domain::links::new_id;
use pulse_shared::domain::upload::UploadRef;
use pulse_shared::ports::*;

crate::contract!(contacts:
    an_import_is_recorded_once,
    validation_starts_for_one_file_version_and_restarts_after_a_crash,
    validation_ends_once_and_the_checkpoint_only_moves_forward,
    an_import_finishes_once,
    invocations_are_counted_on_an_existing_import_only,
    a_replaced_file_is_noted_once_on_an_existing_import_only,
    a_list_is_created_once_and_made_ready,
    contacts_are_upserted_and_members_read_in_pages,
    the_lists_a_contact_is_on_are_found,
    a_suppression_keeps_its_first_reason_and_survives_imports,
    the_suppressed_among_many_addresses_are_read_at_once,
    erasing_a_contact_removes_it_everywhere_and_keeps_its_suppression_as_a_hash,
    accounts_are_upserted_with_their_checked_parents,
    attributes_with_data_only_accumulate,
    team_members_are_upserted,
    b2b_contacts_are_written_to_the_directory_and_read_by_id,
    erasing_b2b_contacts_removes_every_record_of_the_person,
    a_suppression_is_lifted_only_for_its_reason,
    objects_are_read_only_as_the_version_their_etag_names,
    a_local_file_is_stored_whole,
    an_object_is_deleted_with_every_version,
    a_job_slice_is_saved_once,
    presigned_links_name_the_object_and_their_validity,
    the_health_check_names_every_resource,
    the_status_reads_every_queue_each_dead_letter_queue_and_the_ses_account,
    errors_are_kept_newest_first_and_at_most_as_many_as_asked,
    erasing_a_contact_erases_its_links_responses_and_report_texts,
    objects_are_listed_under_a_prefix_with_their_etags,
    a_sync_slot_is_claimed_once,
    a_sync_run_is_begun_once_and_taken_over_only_after_its_lease,
    a_projects_secret_is_created_replaced_and_kept_apart,
);

/// The data bucket's name, which `Files::head` and `read_stream` take.
pub trait DataBucket {
    fn data_bucket(&self) -> String;
}

impl DataBucket for pulse_shared::memory::Memory {
    fn data_bucket(&self) -> String {
        self.config.data_bucket.clone()
    }
}

impl DataBucket for pulse_shared::store::Aws {
    fn data_bucket(&self) -> String {
        self.config.data_bucket.clone()
    }
}

fn project() -> String {
    format!("p-{}", new_id())
}

/// A fresh email key (lower-case, as keys are).
fn email() -> String {
    format!("{}@example.com", new_id().to_lowercase())
}

fn upload(project_id: &str) -> UploadRef {
    let upload_id = new_id();
    UploadRef {
        key: format!("uploads/{project_id}/{upload_id}/team.csv"),
        project_id: project_id.to_string(),
        upload_id,
        file_name: "team.csv".into(),
    }
}

fn import(project_id: &str, now: &str) -> ImportRecord {
    ImportRecord::new(&upload(project_id), "team".into(), now)
}

fn upload_of(r: &ImportRecord) -> UploadRef {
    UploadRef { key: r.key.clone(), project_id: r.project_id.clone(), upload_id: r.upload_id.clone(), file_name: r.file_name.clone() }
}

fn row(line: u64, email: &str, first_name: &str) -> ContactRow {
    ContactRow {
        line,
        email_key: email.to_lowercase(),
        email: email.to_string(),
        first_name: first_name.to_string(),
        last_name: "Virtanen".into(),
        fields: BTreeMap::from([("Region".to_string(), "North".to_string())]),
    }
}

fn list(project_id: &str, list_id: &str, name: &str, created_at: &str) -> MailingList {
    MailingList {
        list_id: list_id.to_string(),
        project_id: project_id.to_string(),
        name: name.to_string(),
        upload_id: list_id.to_string(),
        state: ListState::Importing,
        contacts: 0,
        created_at: created_at.to_string(),
    }
}

fn b2b_contact(id: &str, email: &str, account_id: &str, deleted: bool) -> B2bContactRow {
    B2bContactRow {
        line: 2,
        id: id.to_string(),
        first_name: "Anna".into(),
        last_name: "Virtanen".into(),
        email: email.to_string(),
        email_key: email.to_lowercase(),
        title: "CTO".into(),
        account_id: account_id.to_string(),
        role: ClientRole::DecisionMaker,
        deleted,
    }
}

/// Every member of a list, read a page of `limit` at a time.
async fn all_members<S: Directory>(s: &S, list_id: &str, limit: i32) -> Vec<String> {
    let mut keys = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let (page, next) = s.list_members(list_id, after.as_deref(), limit).await.unwrap();
        assert!(page.len() <= usize::try_from(limit).unwrap(), "a page holds at most its limit");
        assert!(page.windows(2).all(|w| w[0].email_key < w[1].email_key), "a page is in address order");
        keys.extend(page.into_iter().map(|c| c.email_key));
        match next {
            Some(n) => after = Some(n),
            None => {
                // in the order of the list's shards: compared as a set
                keys.sort();
                return keys;
            }
        }
    }
}

// ---------------------------------------------------------------- imports

pub async fn an_import_is_recorded_once<S: Imports>(s: &S) {
    let p = project();
    let first = import(&p, "2026-11-22T10:00:00Z");
    let older = ImportRecord { created_at: "2026-11-21T10:00:00Z".into(), ..import(&p, "2026-11-21T10:00:00Z") };
    assert!(s.create_import(&first).await.unwrap());
    let again = ImportRecord { file_name: "other.csv".into(), ..first.clone() };
    assert!(!s.create_import(&again).await.unwrap(), "a second record of the same upload is refused");
    assert!(s.create_import(&older).await.unwrap());
    assert_eq!(s.get_import(&p, &first.upload_id).await.unwrap(), Some(first.clone()), "the first record stays");
    assert_eq!(s.get_import(&p, "nothing").await.unwrap(), None);
    assert_eq!(s.list_imports(&p).await.unwrap(), vec![older, first], "oldest first");
    assert!(s.list_imports(&project()).await.unwrap().is_empty());
}

pub async fn validation_starts_for_one_file_version_and_restarts_after_a_crash<S: Imports>(s: &S) {
    let p = project();
    let r = import(&p, "t0");
    let up = upload_of(&r);
    assert!(!s.start_validation(&up, "\"e1\"", 10, "t1").await.unwrap(), "no record, no start");
    s.create_import(&r).await.unwrap();
    assert!(s.start_validation(&up, "\"e1\"", 10, "t1").await.unwrap());
    let started = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!(
        (started.state, started.etag.as_deref(), started.size, started.invocations),
        (ImportState::Validating, Some("\"e1\""), Some(10), 1)
    );
    assert_eq!(started.updated_at, "t1");
    // the same event again (the first attempt died in pass 1)
    assert!(s.start_validation(&up, "\"e1\"", 10, "t2").await.unwrap());
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap().unwrap().invocations, 2);
    // another file version over the same key changes nothing
    assert!(!s.start_validation(&up, "\"e2\"", 20, "t3").await.unwrap());
    let kept = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!((kept.etag.as_deref(), kept.size, kept.invocations, kept.updated_at.as_str()), (Some("\"e1\""), Some(10), 2, "t2"));
}

fn validated(r: &ImportRecord) -> ImportRecord {
    ImportRecord {
        counts: Counts { rows_read: 5, accepted: 4, rejected: 1, duplicates_merged: 1, suppressed: 0 },
        warnings: vec![Warning { column: "Extra".into(), message: "ignored".into() }],
        first_rejections: vec![RowError { line: 3, column: Some("Email".into()), reason: "not an address".into() }],
        rejected_key: Some(format!("imports/{}/rejected.csv", r.upload_id)),
        format: Some(Format::Semicolon),
        encoding: Some(TextEncoding::Windows1252),
        written: 99,
        checkpoint_line: 99,
        updated_at: "t2".into(),
        ..r.clone()
    }
}

pub async fn validation_ends_once_and_the_checkpoint_only_moves_forward<S: Imports>(s: &S) {
    let p = project();
    let r = import(&p, "t0");
    s.create_import(&r).await.unwrap();
    assert!(!s.mark_validated(&validated(&r)).await.unwrap(), "not validating yet");
    s.note_validation(&p, &r.upload_id, 5, 100, "t1").await.unwrap();
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap().unwrap().validated_rows, 0, "no progress before validation starts");
    s.start_validation(&upload_of(&r), "\"e\"", 10, "t1").await.unwrap();
    s.note_validation(&p, &r.upload_id, 5, 100, "t1").await.unwrap();
    s.note_validation(&p, &r.upload_id, 3, 60, "t1").await.unwrap();
    let checking = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!((checking.validated_rows, checking.validated_bytes), (5, 100), "pass 1's progress never moves back");
    s.checkpoint(&p, &r.upload_id, 3, 2, "t1").await.unwrap();
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap().unwrap().checkpoint_line, 0, "no checkpoint before writing begins");

    assert!(s.mark_validated(&validated(&r)).await.unwrap());
    let running = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!(running.state, ImportState::Running);
    assert_eq!(running.counts, validated(&r).counts);
    assert_eq!((running.warnings.len(), running.first_rejections.len(), running.format), (1, 1, Some(Format::Semicolon)));
    assert_eq!(running.encoding, Some(TextEncoding::Windows1252), "how the file was read is kept for pass 2 and the page");
    assert_eq!(running.rejected_key, validated(&r).rejected_key);
    assert_eq!((running.written, running.checkpoint_line, running.updated_at.as_str()), (0, 0, "t2"), "writing begins from the first line");
    assert_eq!((running.etag.as_deref(), running.invocations), (Some("\"e\""), 1), "what validation started with stays");
    let late = ImportRecord { counts: Counts::default(), ..validated(&r) };
    assert!(!s.mark_validated(&late).await.unwrap(), "pass 1 ends once");
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap().unwrap().counts, validated(&r).counts);
    s.note_validation(&p, &r.upload_id, 50, 1000, "t3").await.unwrap();
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap().unwrap().validated_rows, 5, "no validation progress once writing");

    s.checkpoint(&p, &r.upload_id, 10, 8, "t3").await.unwrap();
    s.checkpoint(&p, &r.upload_id, 6, 5, "t4").await.unwrap();
    s.checkpoint(&p, &r.upload_id, 10, 9, "t5").await.unwrap();
    let at = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!((at.checkpoint_line, at.written, at.updated_at.as_str()), (10, 8, "t3"), "a slower duplicate run never moves it back");
    s.checkpoint(&p, &r.upload_id, 12, 10, "t6").await.unwrap();
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap().unwrap().checkpoint_line, 12);
    s.checkpoint(&p, "nothing", 12, 10, "t6").await.unwrap();
    assert_eq!(s.get_import(&p, "nothing").await.unwrap(), None, "a checkpoint creates no import");
}

pub async fn an_import_finishes_once<S: Imports>(s: &S) {
    let p = project();
    let r = import(&p, "t0");
    let done = ImportRecord {
        state: ImportState::Done,
        summary_key: Some("s.json".into()),
        written: 4,
        checkpoint_line: 5,
        updated_at: "t9".into(),
        ..r.clone()
    };
    assert!(!s.finish_import(&done).await.unwrap(), "no record, nothing to finish");
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap(), None);
    s.create_import(&r).await.unwrap();
    s.start_validation(&upload_of(&r), "\"e\"", 10, "t1").await.unwrap();
    assert!(s.finish_import(&done).await.unwrap());
    let failed = ImportRecord { state: ImportState::Failed, error: Some("late".into()), updated_at: "t10".into(), ..done.clone() };
    assert!(!s.finish_import(&failed).await.unwrap(), "an import ends once");
    let stored = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!((stored.state, stored.error, stored.summary_key.as_deref()), (ImportState::Done, None, Some("s.json")));
    assert_eq!(
        (stored.written, stored.checkpoint_line, stored.finished_at.as_deref(), stored.updated_at.as_str()),
        (4, 5, Some("t9"), "t9")
    );
    assert!(!s.start_validation(&upload_of(&r), "\"e\"", 10, "t11").await.unwrap(), "a repeated S3 event after the end changes nothing");
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap().unwrap().state, ImportState::Done);
    // a refused file keeps what it was, for the page to explain
    let workbook = import(&p, "t0");
    s.create_import(&workbook).await.unwrap();
    s.start_validation(&upload_of(&workbook), "\"e\"", 10, "t1").await.unwrap();
    let problem = FileProblem::NotText { what: NotText::Xlsx };
    let refused = ImportRecord {
        state: ImportState::Failed,
        error: Some("an Excel workbook".into()),
        file_problem: Some(problem.clone()),
        ..workbook.clone()
    };
    assert!(s.finish_import(&refused).await.unwrap());
    assert_eq!(s.get_import(&p, &workbook.upload_id).await.unwrap().unwrap().file_problem, Some(problem));
}

pub async fn invocations_are_counted_on_an_existing_import_only<S: Imports>(s: &S) {
    let p = project();
    let r = import(&p, "t0");
    assert!(s.count_invocation(&p, &r.upload_id, "t1").await.is_err(), "no record to count on");
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap(), None, "counting creates nothing");
    s.create_import(&r).await.unwrap();
    s.count_invocation(&p, &r.upload_id, "t1").await.unwrap();
    s.count_invocation(&p, &r.upload_id, "t2").await.unwrap();
    let counted = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!((counted.invocations, counted.updated_at.as_str(), counted.state), (2, "t2", ImportState::AwaitingUpload));
}

pub async fn a_replaced_file_is_noted_once_on_an_existing_import_only<S: Imports>(s: &S) {
    let p = project();
    let r = import(&p, "t0");
    assert!(s.note_replaced(&p, &r.upload_id, "t1").await.is_err(), "no record to note on");
    assert_eq!(s.get_import(&p, &r.upload_id).await.unwrap(), None, "noting creates nothing");
    s.create_import(&r).await.unwrap();
    s.note_replaced(&p, &r.upload_id, "t1").await.unwrap();
    s.note_replaced(&p, &r.upload_id, "t2").await.unwrap();
    let noted = s.get_import(&p, &r.upload_id).await.unwrap().unwrap();
    assert_eq!((noted.replaced_at.as_deref(), noted.state), (Some("t1"), ImportState::AwaitingUpload), "the first time is kept");
}

// -------------------------------------------------------------- directory

pub async fn a_list_is_created_once_and_made_ready<S: Directory>(s: &S) {
    let p = project();
    let (a, b) = (new_id(), new_id());
    assert!(s.list_ready(&p, &a, 3).await.is_err(), "no list to make ready");
    assert_eq!(s.get_list(&p, &a).await.unwrap(), None);
    s.create_list(&list(&p, &a, "first", "t2")).await.unwrap();
    s.create_list(&list(&p, &a, "renamed", "t3")).await.unwrap();
    s.create_list(&list(&p, &b, "older", "t1")).await.unwrap();
    assert_eq!(s.get_list(&p, &a).await.unwrap(), Some(list(&p, &a, "first", "t2")), "a repeated create changes nothing");
    s.list_ready(&p, &a, 3).await.unwrap();
    let ready = s.get_list(&p, &a).await.unwrap().unwrap();
    assert_eq!((ready.state, ready.contacts, ready.name.as_str()), (ListState::Ready, 3, "first"));
    let names: Vec<String> = s.list_lists(&p).await.unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["older", "first"], "oldest first");
    assert!(s.list_lists(&project()).await.unwrap().is_empty());
}

pub async fn the_lists_a_contact_is_on_are_found<S: Directory>(s: &S) {
    let p = project();
    let (a, b, c) = (new_id(), new_id(), new_id());
    let (anna, bo) = (email(), email());
    s.write_contacts(&p, &a, &[row(2, &anna, "Anna"), row(3, &bo, "Bo")], &a, "t1").await.unwrap();
    s.write_contacts(&p, &c, &[row(2, &anna, "Anna")], &c, "t2").await.unwrap();
    s.write_contacts(&p, &b, &[row(2, &bo, "Bo")], &b, "t3").await.unwrap();
    let all = [a.clone(), b.clone(), c.clone()];
    assert_eq!(s.lists_of(&anna, &all).await.unwrap(), [a.clone(), c.clone()]);
    assert_eq!(s.lists_of(&bo, &all).await.unwrap(), [a.clone(), b.clone()]);
    assert!(s.lists_of(&email(), &all).await.unwrap().is_empty());
    assert!(s.lists_of(&anna, &[]).await.unwrap().is_empty());
}

pub async fn contacts_are_upserted_and_members_read_in_pages<S: Directory>(s: &S) {
    let p = project();
    let (a, b) = (new_id(), new_id());
    let mut emails: Vec<String> = (0..5).map(|_| email()).collect();
    let rows: Vec<ContactRow> = emails.iter().enumerate().map(|(i, e)| row(i as u64 + 2, e, "Anna")).collect();
    s.write_contacts(&p, &a, &rows, &a, "t1").await.unwrap();
    // the same rows again (a retried slice), one of them changed by a later upload
    let mut changed = rows.clone();
    changed[0].first_name = "Anja".into();
    s.write_contacts(&p, &a, &changed, &a, "t1").await.unwrap();
    s.write_contacts(&p, &b, &rows[..1], &b, "t2").await.unwrap();

    let stored = s.get_contact(&p, &emails[0]).await.unwrap().unwrap();
    assert_eq!(
        (stored.first_name.as_str(), stored.upload_id.as_str(), stored.updated_at.as_str()),
        ("Anna", b.as_str(), "t2"),
        "the last write wins"
    );
    assert_eq!(stored.fields["Region"], "North");
    let other = s.get_contact(&p, &emails[1]).await.unwrap().unwrap();
    assert_eq!((other.email.as_str(), other.first_name.as_str(), other.upload_id.as_str()), (emails[1].as_str(), "Anna", a.as_str()));
    assert_eq!(s.get_contact(&project(), &emails[0]).await.unwrap(), None, "contacts belong to their project");

    emails.sort();
    assert_eq!(all_members(s, &a, 2).await, emails, "every member once");
    assert_eq!(all_members(s, &a, 1).await, emails);
    assert_eq!(all_members(s, &a, 10).await, emails);
    let (first, next) = s.list_members(&a, None, 2).await.unwrap();
    assert_eq!(first.len(), 2, "a page is filled while members are left, whichever partition holds them");
    let (rest, end) = s.list_members(&a, next.as_deref(), 10).await.unwrap();
    assert_eq!(rest.len(), 3, "a full page's next goes on after it");
    assert!(rest.iter().all(|m| first.iter().all(|f| f.email_key != m.email_key)), "nothing read twice");
    assert_eq!(end, None, "the last page says so");
    let members = s.list_members(&a, None, 10).await.unwrap().0;
    let anja = members.iter().find(|m| m.email_key == rows[0].email_key).unwrap();
    assert_eq!(anja.first_name, "Anja", "a member is the contact as its list's upload imported it");
    assert_eq!(all_members(s, &b, 2).await, vec![rows[0].email_key.clone()]);
    assert!(all_members(s, &new_id(), 2).await.is_empty());
}

pub async fn the_suppressed_among_many_addresses_are_read_at_once<S: Directory>(s: &S) {
    let p = project();
    // more than one BatchGetItem's 100 keys
    let keys: Vec<String> = (0..130).map(|_| email()).collect();
    for (i, k) in keys.iter().enumerate().filter(|(i, _)| i % 40 == 7) {
        s.suppress(&p, k, if i % 80 == 7 { "unsubscribed" } else { "bounced" }, "t1").await.unwrap();
    }
    s.suppress(&project(), &keys[0], "manual", "t1").await.unwrap();
    let found = s.suppressions_of(&p, &keys).await.unwrap();
    let mut suppressed: Vec<&String> = found.keys().collect();
    suppressed.sort();
    let mut expected: Vec<&String> = [7, 47, 87, 127].iter().map(|i| &keys[*i]).collect();
    expected.sort();
    assert_eq!(suppressed, expected, "those suppressed in this project, and only they");
    assert_eq!(found[&keys[7]].reason, "unsubscribed");
    assert_eq!(found[&keys[47]].reason, "bounced");
    assert!(s.suppressions_of(&p, &[]).await.unwrap().is_empty());
}

pub async fn a_suppression_keeps_its_first_reason_and_survives_imports<S: Directory>(s: &S) {
    let p = project();
    let (anna, ben) = (email(), email());
    assert_eq!(s.get_suppression(&p, &anna).await.unwrap(), None);
    let first = s.suppress(&p, &anna, "unsubscribed", "t1").await.unwrap();
    assert_eq!((first.email_key.as_str(), first.reason.as_str(), first.at.as_str()), (anna.as_str(), "unsubscribed", "t1"));
    let again = s.suppress(&p, &anna, "bounced", "t2").await.unwrap();
    assert_eq!(again, first, "the first reason stays");
    s.suppress(&p, &ben, "manual", "t3").await.unwrap();
    s.write_contacts(&p, &new_id(), &[row(2, &anna, "Anna")], "u", "t4").await.unwrap();
    assert_eq!(s.get_suppression(&p, &anna).await.unwrap(), Some(first.clone()), "an import never lifts a suppression");
    let mut all = s.list_suppressions(&p).await.unwrap();
    all.sort_by(|a, b| a.email_key.cmp(&b.email_key));
    let mut expected = vec![first, s.get_suppression(&p, &ben).await.unwrap().unwrap()];
    expected.sort_by(|a, b| a.email_key.cmp(&b.email_key));
    assert_eq!(all, expected);
    assert_eq!(s.suppressed_hashes(&p).await.unwrap(), HashSet::from([key_hash(&anna), key_hash(&ben)]));
    assert!(s.suppressed_hashes(&project()).await.unwrap().is_empty());
    assert!(s.list_suppressions(&project()).await.unwrap().is_empty());
}

pub async fn erasing_a_contact_removes_it_everywhere_and_keeps_its_suppression_as_a_hash<S: Directory + B2bAccounts>(s: &S) {
    let p = project();
    let (a, b, c) = (new_id(), new_id(), new_id());
    let (anna, ben) = (email(), email());
    for (id, at) in [(&a, "t1"), (&b, "t2"), (&c, "t3")] {
        s.create_list(&list(&p, id, id, at)).await.unwrap();
    }
    s.write_contacts(&p, &a, &[row(2, &anna, "Anna"), row(3, &ben, "Ben")], &a, "t1").await.unwrap();
    s.list_ready(&p, &a, 2).await.unwrap();
    s.write_contacts(&p, &b, &[row(2, &anna, "Anna")], &b, "t2").await.unwrap();
    s.list_ready(&p, &b, 1).await.unwrap();
    s.write_contacts(&p, &c, &[row(2, &anna, "Anna"), row(3, &ben, "Ben")], &c, "t3").await.unwrap();
    let account = new_id();
    let crm = [
        (b2b_contact("c1", &anna, &account, false), "u".to_string(), false),
        (b2b_contact("c2", &anna, &account, false), "u".to_string(), false),
    ];
    s.write_b2b_contacts(&p, &a, &crm, "u", "t4").await.unwrap();
    s.write_b2b_contacts(&p, &a, &[(b2b_contact("c3", &ben, &account, false), "u".to_string(), false)], "u", "t4").await.unwrap();
    s.suppress(&p, &anna, "unsubscribed", "t5").await.unwrap();
    assert!(!s.has_erasures(&p).await.unwrap());

    let erased = s.erase_directory(&p, &anna, "hash-of-anna", "t6").await.unwrap();
    assert_eq!(erased, Erasure { contact: true, list_memberships: 3, b2b_contacts: 2, suppression_hashed: true, ..Erasure::default() });
    assert_eq!(s.get_contact(&p, &anna).await.unwrap(), None);
    assert_eq!(all_members(s, &a, 10).await, vec![ben.clone()]);
    assert!(all_members(s, &b, 10).await.is_empty());
    assert_eq!(s.get_list(&p, &a).await.unwrap().unwrap().contacts, 1, "the list's size follows");
    assert_eq!(s.get_list(&p, &b).await.unwrap().unwrap().contacts, 0);
    assert_eq!(all_members(s, &c, 10).await, vec![ben.clone()]);
    assert_eq!(s.get_list(&p, &c).await.unwrap().unwrap().contacts, 0, "a list still importing is not shrunk below zero");
    let left: Vec<String> = s.b2b_contacts(&p).await.unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(left, ["c3"]);
    assert_eq!(s.get_suppression(&p, &anna).await.unwrap(), None, "the address is gone from the suppressions");
    let marker = Marker { subject: "hash-of-anna".into(), erased_at: "t6".into(), suppressed: true };
    assert_eq!(s.erased_marker(&p, "hash-of-anna").await.unwrap(), Some(marker.clone()), "an erased person who opted out stays suppressed");
    assert!(s.has_erasures(&p).await.unwrap());
    assert_eq!(s.get_contact(&p, &ben).await.unwrap().unwrap().email, ben, "nobody else is touched");

    assert_eq!(s.erase_directory(&p, &anna, "hash-of-anna", "t7").await.unwrap(), Erasure::default(), "a repeated erasure finds nothing");
    assert_eq!(s.erased_marker(&p, "hash-of-anna").await.unwrap(), Some(marker), "and keeps the first mark and its suppression");
    let other = project();
    assert_eq!(s.erase_directory(&other, &ben, "hash-of-ben", "t7").await.unwrap(), Erasure::default(), "erasure is per project");
    assert_eq!(s.erased_marker(&other, "hash-of-anna").await.unwrap(), None);
    assert!(s.get_contact(&p, &ben).await.unwrap().is_some());
}

// -------------------------------------------------------------------- B2B

fn account(id: &str, name: &str, deleted: bool) -> AccountRow {
    AccountRow {
        line: 2,
        id: id.to_string(),
        name: name.to_string(),
        parent_id: None,
        deleted,
        attributes: BTreeMap::from([
            ("Seats".to_string(), AttributeValue::Integer(40)),
            ("Tier".to_string(), AttributeValue::Text("gold".into())),
        ]),
    }
}

pub async fn accounts_are_upserted_with_their_checked_parents<S: B2bAccounts>(s: &S) {
    let p = project();
    let parents = BTreeMap::from([("A".to_string(), None), ("B".to_string(), Some("A".to_string()))]);
    s.write_accounts(&p, &[account("A", "Acme", false), account("B", "Acme North", false)], &parents, "u1", "t1").await.unwrap();
    // a later upload renames A and deletes B; C's parent link was cut by the check
    let later = BTreeMap::from([("C".to_string(), None)]);
    s.write_accounts(
        &p,
        &[account("A", "Acme Group", false), account("B", "Acme North", true), account("C", "Cut", false)],
        &later,
        "u2",
        "t2",
    )
    .await
    .unwrap();
    let accounts = s.b2b_accounts(&p).await.unwrap();
    let by_id: BTreeMap<&str, _> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    assert_eq!(by_id.len(), 3, "an upsert adds no second record");
    assert_eq!((by_id["A"].name.as_str(), by_id["A"].upload_id.as_str(), by_id["A"].updated_at.as_str()), ("Acme Group", "u2", "t2"));
    assert!(by_id["B"].deleted, "deleted accounts are kept");
    assert_eq!(by_id["B"].parent_id, None, "the parent is the checked one the write was given");
    assert_eq!(by_id["A"].attributes["Seats"], AttributeValue::Integer(40));
    assert_eq!(by_id["A"].attributes["Tier"], AttributeValue::Text("gold".into()));

    s.set_parent(&p, "C", Some("A")).await.unwrap();
    s.set_parent(&p, "A", None).await.unwrap();
    s.set_parent(&p, "nothing", Some("A")).await.unwrap();
    let accounts = s.b2b_accounts(&p).await.unwrap();
    let by_id: BTreeMap<&str, _> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    assert_eq!(by_id.len(), 3, "setting the parent of an unknown account creates none");
    assert_eq!(by_id["C"].parent_id.as_deref(), Some("A"));
    assert_eq!(by_id["A"].parent_id, None);
    assert_eq!(by_id["C"].name, "Cut", "only the parent changes");
    s.set_parent(&p, "C", None).await.unwrap();
    assert_eq!(s.b2b_accounts(&p).await.unwrap().into_iter().find(|a| a.id == "C").unwrap().parent_id, None);
    assert!(s.b2b_accounts(&project()).await.unwrap().is_empty());
}

pub async fn attributes_with_data_only_accumulate<S: B2bAccounts>(s: &S) {
    let p = project();
    assert!(s.attributes_with_data(&p).await.unwrap().is_empty());
    s.note_attributes(&p, &BTreeSet::new()).await.unwrap();
    assert!(s.attributes_with_data(&p).await.unwrap().is_empty());
    s.note_attributes(&p, &BTreeSet::from(["Seats".to_string()])).await.unwrap();
    s.note_attributes(&p, &BTreeSet::from(["Seats".to_string(), "Tier".to_string()])).await.unwrap();
    s.note_attributes(&p, &BTreeSet::new()).await.unwrap();
    assert_eq!(s.attributes_with_data(&p).await.unwrap(), BTreeSet::from(["Seats".to_string(), "Tier".to_string()]));
    assert!(s.attributes_with_data(&project()).await.unwrap().is_empty());
}

pub async fn team_members_are_upserted<S: B2bAccounts>(s: &S) {
    let p = project();
    let member = |account: &str, email: &str, role, deleted| TeamRow {
        line: 2,
        account_id: account.into(),
        user_email: email.into(),
        role,
        deleted,
    };
    let rows =
        [member("A", "Sam@Example.com", TeamRole::AccountOwner, false), member("B", "sam@example.com", TeamRole::AccountExecutive, false)];
    s.write_team(&p, &rows, "u1", "t1").await.unwrap();
    s.write_team(&p, &[member("A", "sam@example.COM", TeamRole::SalesEngineer, true)], "u2", "t2").await.unwrap();
    let mut team = s.b2b_team(&p).await.unwrap();
    team.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    assert_eq!(team.len(), 2, "one member per account and address, whatever its case");
    assert_eq!(
        (team[0].role, team[0].deleted, team[0].upload_id.as_str(), team[0].user_email.as_str()),
        (TeamRole::SalesEngineer, true, "u2", "sam@example.COM")
    );
    assert_eq!((team[1].role, team[1].deleted, team[1].updated_at.as_str()), (TeamRole::AccountExecutive, false, "t1"));
    assert!(s.b2b_team(&project()).await.unwrap().is_empty());
}

pub async fn b2b_contacts_are_written_to_the_directory_and_read_by_id<S: B2bAccounts + Directory>(s: &S) {
    let p = project();
    let list_id = new_id();
    let (anna, ben) = (email(), email());
    let rows =
        [(b2b_contact("c1", &anna, "A", false), "u1".to_string(), true), (b2b_contact("c2", &ben, "A", true), "u1".to_string(), false)];
    s.write_b2b_contacts(&p, &list_id, &rows, "u1", "t1").await.unwrap();
    // the same file again, then a later one moving Anna to account B
    s.write_b2b_contacts(&p, &list_id, &rows, "u1", "t1").await.unwrap();
    s.write_b2b_contacts(&p, &list_id, &[(b2b_contact("c1", &anna, "B", false), "u1".to_string(), true)], "u2", "t2").await.unwrap();

    let all = s.b2b_contacts(&p).await.unwrap();
    assert_eq!(all.len(), 2);
    let found = s.b2b_contacts_by_id(&p, &["c1".to_string(), "c1".to_string(), "nothing".to_string()]).await.unwrap();
    assert_eq!(found.keys().collect::<Vec<_>>(), ["c1"], "absent ids are not returned");
    let c1 = &found["c1"];
    assert_eq!(
        (c1.account_id.as_str(), c1.first_upload_id.as_str(), c1.upload_id.as_str(), c1.updated_at.as_str()),
        ("B", "u1", "u2", "t2")
    );
    assert_eq!(
        (c1.email.as_str(), c1.email_key.as_str(), c1.title.as_str(), c1.role),
        (anna.as_str(), anna.as_str(), "CTO", ClientRole::DecisionMaker)
    );
    assert!(all.iter().any(|c| c.id == "c2" && c.deleted));

    let contact = s.get_contact(&p, &anna).await.unwrap().unwrap();
    assert_eq!(contact.fields.get("AccountId").map(String::as_str), Some("B"));
    assert_eq!(contact.fields.get("ClientRole").map(String::as_str), Some("DECISION_MAKER"));
    assert_eq!((contact.upload_id.as_str(), contact.updated_at.as_str()), ("u2", "t2"));
    assert!(s.get_contact(&p, &ben).await.unwrap().is_some(), "every B2B contact is in the directory");
    assert_eq!(all_members(s, &list_id, 10).await, vec![anna.clone()], "only those listed are members");
    assert!(s.b2b_contacts_by_id(&project(), &["c1".to_string()]).await.unwrap().is_empty());
}

pub async fn erasing_b2b_contacts_removes_every_record_of_the_person<S: B2bAccounts + Directory>(s: &S) {
    let p = project();
    let (anna, ben) = (email(), email());
    let rows = [
        (b2b_contact("c1", &anna, "A", false), "u".to_string(), false),
        (b2b_contact("c2", &anna.to_uppercase(), "B", false), "u".to_string(), false),
        (b2b_contact("c3", &ben, "A", false), "u".to_string(), false),
    ];
    s.write_b2b_contacts(&p, "l", &rows, "u", "t1").await.unwrap();
    assert_eq!(s.erase_b2b_contacts(&p, &anna).await.unwrap(), 2, "every id of one address");
    let left: Vec<String> = s.b2b_contacts(&p).await.unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(left, ["c3"]);
    assert_eq!(s.erase_b2b_contacts(&p, &anna).await.unwrap(), 0, "a repeated erasure finds nothing");
    assert_eq!(s.erase_b2b_contacts(&project(), &ben).await.unwrap(), 0);
    assert!(s.get_contact(&p, &anna).await.unwrap().is_some(), "only the B2B records go; the directory has its own erasure");
}

pub async fn a_suppression_is_lifted_only_for_its_reason<S: B2bAccounts + Directory>(s: &S) {
    let p = project();
    let (deleted, unsubscribed) = (email(), email());
    s.suppress(&p, &deleted, "deleted", "t1").await.unwrap();
    s.suppress(&p, &unsubscribed, "unsubscribed", "t1").await.unwrap();
    s.lift_suppression(&p, &unsubscribed, "deleted").await.unwrap();
    assert!(s.get_suppression(&p, &unsubscribed).await.unwrap().is_some(), "an unsubscribe stays whatever the file says");
    s.lift_suppression(&p, &deleted, "deleted").await.unwrap();
    assert_eq!(s.get_suppression(&p, &deleted).await.unwrap(), None, "an undeleted contact is no longer suppressed");
    s.lift_suppression(&p, &deleted, "deleted").await.unwrap();
    s.lift_suppression(&p, &email(), "deleted").await.unwrap();
    assert_eq!(s.list_suppressions(&p).await.unwrap().len(), 1);
}

// ------------------------------------------------------------------ files

async fn read_all(stream: pulse_shared::store::files::ByteStream) -> Vec<u8> {
    stream.collect().await.unwrap().into_bytes().to_vec()
}

pub async fn objects_are_read_only_as_the_version_their_etag_names<S: Files + DataBucket>(s: &S) {
    let bucket = s.data_bucket();
    let key = format!("uploads/{}/{}/list.csv", project(), new_id());
    assert_eq!(s.head(&bucket, &key).await.unwrap(), None);
    assert!(s.read_stream(&bucket, &key, "\"e\"").await.is_err(), "no object to read");
    s.put_object(&key, "text/csv", b"Email\nanna@example.com\n".to_vec()).await.unwrap();
    let (size, first) = s.head(&bucket, &key).await.unwrap().unwrap();
    assert_eq!(size, 23);
    assert!(first.starts_with('"') && first.ends_with('"'), "ETags are quoted: {first}");
    assert_eq!(read_all(s.read_stream(&bucket, &key, &first).await.unwrap()).await, b"Email\nanna@example.com\n");

    s.put_object(&key, "text/csv", b"Email\nanna@example.com\n".to_vec()).await.unwrap();
    assert_eq!(s.head(&bucket, &key).await.unwrap().unwrap().1, first, "the same bytes keep their ETag");
    s.put_object(&key, "text/csv", b"Email\nben@example.com\n".to_vec()).await.unwrap();
    let (size, second) = s.head(&bucket, &key).await.unwrap().unwrap();
    assert_eq!(size, 22);
    assert_ne!(second, first);
    assert!(s.read_stream(&bucket, &key, &first).await.is_err(), "a file replaced mid-import fails the read");
    assert_eq!(read_all(s.read_stream(&bucket, &key, &second).await.unwrap()).await, b"Email\nben@example.com\n");
}

pub async fn objects_are_listed_under_a_prefix_with_their_etags<S: Files + DataBucket>(s: &S) {
    let (bucket, p) = (s.data_bucket(), project());
    assert_eq!(s.list_objects(&format!("sync/{p}/")).await.unwrap(), vec![]);
    for key in [format!("sync/{p}/contacts/c.csv"), format!("sync/{p}/accounts/a.csv"), format!("sync/{p}x/accounts/a.csv")] {
        s.put_object(&key, "text/csv", key.as_bytes().to_vec()).await.unwrap();
    }
    let listed = s.list_objects(&format!("sync/{p}/")).await.unwrap();
    let keys: Vec<&str> = listed.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, [format!("sync/{p}/accounts/a.csv"), format!("sync/{p}/contacts/c.csv")], "in key order, only under the prefix");
    let (_, etag) = s.head(&bucket, &listed[0].0).await.unwrap().unwrap();
    assert_eq!(listed[0].1.trim_matches('"'), etag.trim_matches('"'), "the listed ETag is the object's");
}

fn sync_config(project_id: &str) -> pulse_shared::domain::b2b::sync::SyncConfig {
    use pulse_shared::domain::b2b::sync::*;
    SyncConfig {
        project_id: project_id.to_string(),
        settings: SyncSettings {
            source: SyncSource::DropFolder,
            schedule: Some(SyncSchedule { every: Every::Hourly, at: None, from: None }),
            new_list: true,
            distribute: false,
            enabled: true,
            salesforce: None,
        },
        last_slot: None,
        updated_at: "2026-06-01T09:00:00Z".into(),
    }
}

pub async fn a_sync_slot_is_claimed_once<S: Syncs>(s: &S) {
    let p = project();
    assert!(!s.claim_slot(&p, None, "2026-06-01T09:00").await.unwrap(), "no sync, no slot");
    s.put_sync(&sync_config(&p)).await.unwrap();
    assert_eq!(s.get_sync(&p).await.unwrap(), Some(sync_config(&p)));
    assert!(s.syncs().await.unwrap().iter().any(|c| c.project_id == p));
    assert!(s.claim_slot(&p, None, "2026-06-01T09:00").await.unwrap());
    assert!(!s.claim_slot(&p, None, "2026-06-01T09:00").await.unwrap(), "a second tick of the same slot");
    assert!(!s.claim_slot(&p, Some("2026-06-01T08:00"), "2026-06-01T10:00").await.unwrap(), "from a slot that is not the last");
    assert!(s.claim_slot(&p, Some("2026-06-01T09:00"), "2026-06-01T10:00").await.unwrap());
    assert_eq!(s.get_sync(&p).await.unwrap().unwrap().last_slot.as_deref(), Some("2026-06-01T10:00"));
}

pub async fn a_sync_run_is_begun_once_and_taken_over_only_after_its_lease<S: Syncs>(s: &S) {
    use pulse_shared::domain::b2b::sync::{RunState, SyncRun, Trigger};
    let p = project();
    let mut run = SyncRun::refused(&p, "r1".into(), Trigger::Drop, String::new(), vec![], "2026-06-01T09:00:00Z");
    run.state = RunState::Running;
    run.reason = None;
    run.lease_until_ms = 1_000;
    assert_eq!(s.begin_run(&run, 500).await.unwrap(), Begun::Claimed);
    assert!(matches!(s.begin_run(&run, 900).await.unwrap(), Begun::Held(r) if r.id == "r1"), "its lease runs");
    let mut again = run.clone();
    again.lease_until_ms = 5_000;
    assert_eq!(s.begin_run(&again, 2_000).await.unwrap(), Begun::Claimed, "taken over after the lease");
    let mut done = again.clone();
    done.state = RunState::Done;
    s.save_run(&done).await.unwrap();
    assert!(matches!(s.begin_run(&again, 9_000).await.unwrap(), Begun::Ended(r) if r.state == RunState::Done), "an ended run stays ended");
    let mut later = SyncRun::refused(&p, "r2".into(), Trigger::Schedule, "why".into(), vec![], "2026-06-02T09:00:00Z");
    later.lease_until_ms = 0;
    assert_eq!(s.begin_run(&later, 9_000).await.unwrap(), Begun::Claimed);
    let runs = s.sync_runs(&p).await.unwrap();
    assert_eq!(runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["r2", "r1"], "newest first");
}

pub async fn an_object_is_deleted_with_every_version<S: Files + DataBucket>(s: &S) {
    let bucket = s.data_bucket();
    let key = format!("uploads/{}/list.csv", project());
    assert!(!s.delete_object(&key).await.unwrap(), "deleting nothing is harmless");
    s.put_object(&key, "text/csv", b"Email\nanna@example.com\n".to_vec()).await.unwrap();
    s.put_object(&key, "text/csv", b"Email\nben@example.com\n".to_vec()).await.unwrap();
    assert!(s.forget_old_versions(&key).await.unwrap() <= 1, "at most the one older version");
    assert!(s.head(&bucket, &key).await.unwrap().is_some(), "the current version stays");
    assert!(s.delete_object(&key).await.unwrap());
    assert_eq!(s.head(&bucket, &key).await.unwrap(), None);
    assert!(!s.delete_object(&key).await.unwrap(), "a second delete finds nothing");
}

pub async fn a_job_slice_is_saved_once<S: Jobs>(s: &S) {
    let p = project();
    let mut job = JobRecord::erasure(&p, &new_id(), "hash", &Erasure { contact: true, ..Erasure::default() }, "t1");
    s.create_job(&job).await.unwrap();
    assert!(s.create_job(&job).await.is_err(), "a job is created once");
    job.add("responses", 3);
    job.cursor = Some("r200".into());
    job.end_slice("t2");
    assert!(s.save_job(&job, 0).await.unwrap());
    assert!(!s.save_job(&job, 0).await.unwrap(), "a redelivered slice cannot save over the next one's place");
    let stored = s.get_job(&p, &job.job_id).await.unwrap().unwrap();
    assert_eq!((stored.slices, stored.removed_at("responses"), stored.phase), (1, 3, Phase::Responses));
    job.advance("t3");
    job.advance("t3");
    job.advance("t3");
    job.end_slice("t3");
    assert!(s.save_job(&job, 1).await.unwrap());
    let listed = s.list_jobs(&p).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, JobState::Done);
    assert_eq!(s.get_job(&p, "nope").await.unwrap(), None);
}

pub async fn a_local_file_is_stored_whole<S: Files + DataBucket>(s: &S) {
    let bucket = s.data_bucket();
    let key = format!("reports/{}/{}.csv", project(), new_id());
    let bytes: Vec<u8> = (0..200_000u32).flat_map(|i| format!("{i}\n").into_bytes()).collect();
    let path = std::env::temp_dir().join(format!("pulse-contract-{}.csv", new_id()));
    std::fs::write(&path, &bytes).unwrap();
    s.put_file(&key, "text/csv", &path).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let (size, etag) = s.head(&bucket, &key).await.unwrap().unwrap();
    assert_eq!(size, bytes.len() as u64);
    assert_eq!(read_all(s.read_stream(&bucket, &key, &etag).await.unwrap()).await, bytes);
    assert!(s.put_file(&key, "text/csv", &path).await.is_err(), "a missing file is an error");
}

pub async fn presigned_links_name_the_object_and_their_validity<S: Files>(s: &S) {
    let key = format!("logos/{}/logo.png", new_id());
    let get = s.presigned_get(&key, Duration::from_secs(900)).await.unwrap();
    assert!(get.contains(&key), "{get}");
    assert!(get.to_lowercase().contains("expires=900"), "{get}");
    let put = s.presigned_put(&key, "image/png", Duration::from_secs(600)).await.unwrap();
    assert!(put.contains(&key), "{put}");
    assert!(put.to_lowercase().contains("expires=600"), "{put}");
}

// ----------------------------------------------------------------- health

pub async fn the_health_check_names_every_resource<S: Health + DataBucket>(s: &S) {
    let checks = s.health().await;
    let resources: Vec<&str> = checks.iter().map(|c| c.resource.as_str()).collect();
    assert_eq!(resources, ["core table", "contacts table", "responses table", "data bucket", "send queue"]);
    assert!(checks.iter().all(|c| c.ok && c.detail.is_none()), "{checks:?}");
    assert_eq!(checks[3].name, s.data_bucket());
    assert!(checks.iter().all(|c| !c.name.is_empty()));
}

pub async fn the_status_reads_every_queue_each_dead_letter_queue_and_the_ses_account<S: Health>(s: &S) {
    let status = s.status().await;
    assert!(status.checks.iter().all(|c| c.ok), "{:?}", status.checks);
    for resource in ["core table", "data bucket", "send queue", "import queue", "report queue", "SendDeadLetterQueue"] {
        assert!(status.checks.iter().any(|c| c.resource == resource), "{resource}: {:?}", status.checks);
    }
    assert!(!status.dead_letters.is_empty());
    assert!(status.dead_letters.iter().all(|d| d.waiting == Some(0) && d.detail.is_none()), "{:?}", status.dead_letters);
    assert_eq!(status.ses.sender_verified, Some(true));
    let account = status.ses.account.expect("SES's account");
    assert!(!account.production_access && account.sending_enabled, "a new account, in the sandbox: {account:?}");
    assert_eq!(status.ses.rate_too_high, f64::from(status.ses.configured_rate) > account.max_send_rate);
}

pub async fn errors_are_kept_newest_first_and_at_most_as_many_as_asked<S: Health>(s: &S) {
    use pulse_shared::domain::help::ErrorRecord;
    let run = new_id();
    for (i, at) in ["2030-01-01T00:00:01Z", "2030-01-01T00:00:03Z", "2030-01-01T00:00:02Z"].into_iter().enumerate() {
        let e = ErrorRecord::new(at, "admin-api", "GET", "/admin/projects/{id}", 500, "internal", "internal error", &format!("{run}-{i}"));
        s.record_error(&e, 1_900_000_000).await.unwrap();
    }
    let last = s.last_errors(2).await.unwrap();
    let seen: Vec<(&str, &str)> = last.iter().map(|e| (e.at.as_str(), e.request_id.as_str())).collect();
    assert_eq!(seen, [("2030-01-01T00:00:03Z", format!("{run}-1").as_str()), ("2030-01-01T00:00:02Z", format!("{run}-2").as_str())]);
    assert_eq!(last[0].route, "/admin/projects/{id}");
}

// ------------------------------------------------------ erasure, all of it

/// The whole erasure across capabilities: the contact's personal links, the
/// personal data of its responses (scores kept) and their report texts go;
/// another contact's stay. Needs the Projects, Links, Responses and Reports
/// doubles as well.
pub async fn erasing_a_contact_erases_its_links_responses_and_report_texts<S: Directory + Projects + Links + Responses + Reports>(s: &S) {
    use pulse_shared::domain::i18n::Lang;
    use pulse_shared::domain::links::{new_token, ContactSnapshot, Link, LinkKind};
    use pulse_shared::domain::project::{Kind, Project};
    use pulse_shared::domain::report::{contribution, parse_day};
    use pulse_shared::domain::response::{Channel, Response};
    use pulse_shared::domain::survey::{generate, ids, Answer};
    use pulse_shared::store::surveys::{Gate, Stored};

    let now = pulse_shared::clock::now();
    let settings = serde_json::from_value(serde_json::json!({
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": ["Region"],
    }))
    .unwrap();
    let p = Project {
        id: project(),
        kind: Kind::QuickCheckIn,
        settings,
        revision: 1,
        published_version: None,
        anonymous_link: new_token(),
        anonymous_sealed: "sealed".into(),
        rule_since: 0,
        closed_at: None,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    let anonymous = Link { id: p.anonymous_link.clone(), project_id: p.id.clone(), kind: LinkKind::Anonymous, created_at: now.clone() };
    s.create_project(&p, &anonymous).await.unwrap();
    let def = generate(&p.id, p.kind, &p.settings, 1);
    let p = Project { revision: 2, published_version: Some(1), ..p };
    s.publish(&p, &def, 1, &now).await.unwrap();

    let (anna, ben) = (email(), email());
    let list_id = new_id();
    s.create_list(&list(&p.id, &list_id, "customers", &now)).await.unwrap();
    s.write_contacts(&p.id, &list_id, &[row(2, &anna, "Anna"), row(3, &ben, "Ben")], &list_id, &now).await.unwrap();
    let link = |email: &str| Link {
        id: new_token(),
        project_id: p.id.clone(),
        kind: LinkKind::Personal {
            contact: ContactSnapshot {
                email: email.to_string(),
                first_name: "Anna".into(),
                last_name: "Virtanen".into(),
                fields: BTreeMap::from([("Region".to_string(), "North".to_string())]),
                language: None,
            },
            response_id: new_id(),
            distribution_id: None,
        },
        created_at: now.clone(),
    };
    // two invitations to Anna (her address as typed once), one to Ben
    let (annas, annas_second, bens) = (link(&anna.to_uppercase()), link(&anna), link(&ben));
    for l in [&annas, &annas_second, &bens] {
        s.put_link(l).await.unwrap();
    }
    let answer = |l: &Link, email: &str| {
        let LinkKind::Personal { response_id, .. } = &l.kind else { unreachable!() };
        Response {
            project_id: p.id.clone(),
            response_id: response_id.clone(),
            version: 1,
            language: Lang::En,
            channel: Channel::Personal,
            submitted_at: now.clone(),
            answers: BTreeMap::from([
                (ids::NPS.to_string(), Answer::Number(9)),
                (ids::NEEDS.to_string(), Answer::Text(format!("Call me, I am {email}"))),
                (ids::FOLLOW_UP_CONTACT.to_string(), Answer::Text("+49 30 1234567".into())),
            ]),
            embedded: BTreeMap::from([("Region".to_string(), "North".to_string())]),
            contact_email: Some(email.to_string()),
            first_name: Some("Anna".into()),
            last_name: Some("Virtanen".into()),
            erased_at: None,
            via: None,
        }
    };
    let (hers, his) = (answer(&annas, &anna.to_uppercase()), answer(&bens, &ben));
    for (r, l) in [(&hers, &annas), (&his, &bens)] {
        let stored = s.store_response(r, Some(&l.id), 2, contribution(&def, r).as_ref(), Gate::NONE).await.unwrap();
        assert!(matches!(stored, Stored::New), "{stored:?}");
    }
    let day = parse_day(&now[..10]).unwrap();
    assert_eq!(s.report_texts(&p.id, day, day, 10).await.unwrap().len(), 2);

    let erased = s.erase_directory(&p.id, &anna, "hash-of-anna", "2030-01-01T00:00:00Z").await.unwrap();
    assert_eq!(erased, Erasure { contact: true, list_memberships: 1, links: 2, ..Erasure::default() });
    // the responses, as the erasure job pages through them
    let (page, _) = s.list_responses(&p.id, None, 10).await.unwrap();
    for mut r in page.into_iter().filter(|r| r.addresses().contains(&anna)) {
        r.erase_personal_data(|q| q == ids::NEEDS, "2030-01-01T00:00:00Z");
        s.replace_response(&r).await.unwrap();
        s.erase_report_texts(&p.id, &r.submitted_at, &r.response_id).await.unwrap();
    }
    assert_eq!(s.get_link(&annas.id).await.unwrap(), None);
    assert_eq!(s.get_link(&annas_second.id).await.unwrap(), None);
    assert_eq!(s.get_link(&bens.id).await.unwrap(), Some(bens.clone()));
    let kept = s.get_response(&p.id, &hers.response_id).await.unwrap().unwrap();
    assert_eq!((kept.contact_email, kept.first_name, kept.last_name), (None, None, None));
    assert!(kept.embedded.is_empty());
    assert_eq!(
        kept.answers,
        BTreeMap::from([(ids::NPS.to_string(), Answer::Number(9))]),
        "the score stays, free text and the follow-up contact go"
    );
    assert_eq!(kept.erased_at.as_deref(), Some("2030-01-01T00:00:00Z"));
    assert_eq!(s.get_response(&p.id, &his.response_id).await.unwrap(), Some(his.clone()), "nobody else is touched");
    let texts = s.report_texts(&p.id, day, day, 10).await.unwrap();
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].text, format!("Call me, I am {ben}"));
    assert_eq!(s.response_count(&p.id).await.unwrap(), 2, "the counters stay");
    let again = s.erase_directory(&p.id, &anna, "hash-of-anna", "2030-01-02T00:00:00Z").await.unwrap();
    assert_eq!(again, Erasure::default(), "a repeated erasure finds nothing");
}

pub async fn a_projects_secret_is_created_replaced_and_kept_apart<S: Secrets>(s: &S) {
    let (p, q) = (project(), project());
    assert_eq!(s.get_secret(&p).await.unwrap(), None, "none yet");
    assert_eq!(s.secret_changed(&p).await.unwrap(), None);
    s.put_secret(&p, r#"{"client_id":"k","client_secret":"one"}"#).await.unwrap();
    assert_eq!(s.get_secret(&p).await.unwrap().as_deref(), Some(r#"{"client_id":"k","client_secret":"one"}"#));
    let changed = s.secret_changed(&p).await.unwrap().expect("set, with its time");
    assert!(pulse_shared::clock::parse_ms(&changed).is_some(), "an RFC 3339 time: {changed}");
    s.put_secret(&p, r#"{"client_id":"k","client_secret":"two"}"#).await.unwrap();
    assert_eq!(s.get_secret(&p).await.unwrap().as_deref(), Some(r#"{"client_id":"k","client_secret":"two"}"#), "replaced");
    assert_eq!(s.get_secret(&q).await.unwrap(), None, "another project's is its own");
    assert!(s.delete_secret(&p).await.unwrap(), "deleted");
    assert_eq!((s.get_secret(&p).await.unwrap(), s.secret_changed(&p).await.unwrap()), (None, None), "at once, nothing left");
    assert!(!s.delete_secret(&p).await.unwrap(), "a second deletion finds none");
}

/// The adapter only: contacts and list members written before the
/// directory was spread over partition keys (by the adapter with one shard:
/// the design before) are still found, listed and erased by the spread one,
/// and a contact written again since is read from its new place.
#[tokio::test(flavor = "multi_thread")]
async fn contacts_stored_before_the_spread_are_found_listed_and_erased_after_it() {
    let (_emulator, spread) = crate::emulator().await;
    assert_eq!(spread.directory_shards, pulse_shared::domain::directory::SHARDS);
    let mut before = spread.clone();
    before.directory_shards = 1;
    let p = project();
    let (old, new) = (new_id(), new_id());
    let emails: Vec<String> = (0..40).map(|_| email()).collect();
    let rows: Vec<ContactRow> = emails.iter().enumerate().map(|(i, e)| row(i as u64 + 2, e, "Anna")).collect();
    for (id, at) in [(&old, "t1"), (&new, "t2")] {
        spread.create_list(&list(&p, id, id, at)).await.unwrap();
    }
    before.write_contacts(&p, &old, &rows, &old, "t1").await.unwrap();
    let mut again = rows[..1].to_vec();
    again[0].first_name = "Anja".into();
    spread.write_contacts(&p, &new, &again, &new, "t2").await.unwrap();

    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(all_members(&spread, &old, 7).await, sorted, "a list written before is read whole");
    assert_eq!(all_members(&spread, &new, 7).await, vec![emails[0].clone()]);
    assert_eq!(spread.get_contact(&p, &emails[1]).await.unwrap().map(|c| c.upload_id), Some(old.clone()), "found where it was");
    let anja = spread.get_contact(&p, &emails[0]).await.unwrap().unwrap();
    assert_eq!((anja.first_name.as_str(), anja.upload_id.as_str()), ("Anja", new.as_str()), "written again: read from its shard");
    let both = [old.clone(), new.clone()];
    assert_eq!(spread.lists_of(&emails[0], &both).await.unwrap(), both);
    assert_eq!(spread.lists_of(&emails[1], &both).await.unwrap(), std::slice::from_ref(&old));

    let erased = spread.erase_directory(&p, &emails[0], "hash-of-anja", "t3").await.unwrap();
    assert!(erased.contact);
    assert_eq!(erased.list_memberships, 2, "once per list, old place and new");
    assert_eq!(spread.get_contact(&p, &emails[0]).await.unwrap(), None, "gone from both places");
    assert_eq!(before.get_contact(&p, &emails[0]).await.unwrap(), None, "gone from the old place too");
    assert!(spread.lists_of(&emails[0], &both).await.unwrap().is_empty());
    assert_eq!(all_members(&spread, &old, 100).await.len(), 39);
}
