//! Contract cases: see `tests/contract.rs`. Sending: distributions, the
//! schedule, the quiet period and the send rate; invitations (claimed,
//! charged and settled once, and their reminders); the notification
//! ledger and opt-outs; mail and the queues.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};

use pulse_shared::domain::budget::{Account, Charge, Charged, Record, Usage};
use pulse_shared::domain::distribution::{DistState, Message, Skip};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::invitation::{Expect, Invite, InviteState, LinkClaim, Outcome, ReminderClaim, ReminderState, Settle};
use pulse_shared::domain::jobs::SendJob;
use pulse_shared::domain::ledger::{Claim, Entry, Sent};
use pulse_shared::domain::links::{new_id, new_token, ContactSnapshot, Link, LinkKind};
use pulse_shared::domain::mail::OutgoingEmail;
use pulse_shared::domain::report::{day_of, Dimension};
use pulse_shared::memory::Memory;
use pulse_shared::ports::*;
use pulse_shared::store::distributions::Distribution;
use pulse_shared::store::Aws;
use serde_json::Value;

crate::contract!(sending:
    a_distribution_is_created_once_and_listed_in_creation_order,
    launching_now_queues_the_plan_and_launching_later_schedules_the_start,
    a_distribution_moves_only_from_the_states_given,
    a_planned_page_is_counted_once,
    the_quiet_period_holds_a_contact_for_other_distributions,
    the_last_invitation_of_many_contacts_is_read_at_once,
    a_contacts_invitations_are_read_across_distributions,
    the_send_rate_gives_rate_tokens_a_second,
    due_work_is_listed_oldest_first_until_done,
    invitations_are_read_a_page_at_a_time,
    a_reminder_is_claimed_once_and_settled_once,
    a_reminder_over_budget_is_skipped_for_good,
    a_notification_is_claimed_once_and_completed,
    an_alert_state_is_written_only_over_the_version_it_was_read_at,
    a_ledger_entry_left_in_progress_is_claimable_again_only_after_its_time,
    a_released_claim_is_claimable_again_and_a_complete_one_is_never_released,
    a_notification_handed_to_ses_is_never_claimed_again,
    send_once_sends_once_and_not_while_another_invocation_holds_the_claim,
    opt_out_tokens_are_made_per_email_and_opt_outs_are_kept,
    mail_is_sent_with_a_message_id,
    the_send_rate_gives_a_message_its_sends_at_once,
    an_invitations_link_is_its_claim_held_once_and_taken_over_only_as_the_rule_says,
    a_held_link_is_charged_once_and_an_exhausted_budget_refuses_it,
    a_messages_settlements_are_written_once_with_their_counters_summed,
    settlements_beyond_one_transaction_are_split_and_all_counted,
    the_origins_of_a_messages_emails_are_noted_at_once,
    a_contacts_invitation_links_are_found_and_erased_without_an_index,
);

/// The jobs on the send queue, received (taken off it): what the queue's
/// consumer would see. The queue has no read port; the adapter's is SQS, the
/// double's is its list of queued jobs.
#[allow(async_fn_in_trait)]
pub trait SendQueue {
    async fn send_jobs(&self) -> Vec<Value>;
}

impl SendQueue for Aws {
    async fn send_jobs(&self) -> Vec<Value> {
        let mut jobs = Vec::new();
        loop {
            let out = self.sqs.receive_message().queue_url(&self.config.send_queue_url).max_number_of_messages(10).send().await.unwrap();
            let messages = out.messages.unwrap_or_default();
            if messages.is_empty() {
                return jobs;
            }
            jobs.extend(messages.iter().filter_map(|m| m.body.as_deref()).map(|b| serde_json::from_str(b).unwrap()));
        }
    }
}

impl SendQueue for Memory {
    async fn send_jobs(&self) -> Vec<Value> {
        let mut st = self.lock();
        let (send, rest) = std::mem::take(&mut st.queued).into_iter().partition(|(q, _)| *q == QueueName::Send);
        st.queued = rest;
        send.into_iter().map(|(_, j): (QueueName, Value)| j).collect()
    }
}

/// The `invited` counter of a project's bucket of the day of `at` (or of a
/// segment value's bucket that day).
async fn invited<S: Reports>(s: &S, project_id: &str, at: &str, segment: Option<(&Dimension, &str)>) -> u64 {
    let day = day_of(at).unwrap();
    let buckets = match segment {
        None => s.day_buckets(project_id, day, day).await.unwrap(),
        Some((dim, value)) => {
            s.segment_buckets(project_id, dim, day, day).await.unwrap().into_iter().filter(|b| b.value.as_deref() == Some(value)).collect()
        }
    };
    buckets.iter().map(|b| b.counters.get("invited").copied().unwrap_or(0)).sum()
}

async fn usage<S: Budgets>(s: &S, account_id: &str) -> Usage {
    s.get_account(account_id).await.unwrap().unwrap().usage
}

/// A fresh id.
fn id(prefix: &str) -> String {
    format!("{prefix}-{}", new_token())
}

/// A random number (for the global rate windows and schedule times).
fn random() -> u64 {
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}

const NOW: u64 = 1_795_000_000_000; // 2026-11-18T11:06:40Z
const MINUTE: u64 = 60_000;
const DAY: u64 = 86_400_000;

fn distribution(project_id: &str, send_at_ms: u64) -> Distribution {
    let messages = BTreeMap::from([(Lang::En, Message { subject: "Hello".into(), body: "{{SurveyLink}}".into() })]);
    Distribution::to_list(id("d"), project_id, &id("l"), messages, None, NOW, send_at_ms)
}

async fn dist<S: Distributions>(s: &S, project_id: &str, id: &str) -> Distribution {
    s.get_distribution(project_id, id).await.unwrap().unwrap()
}

async fn invite<S: Invitations>(s: &S, dist_id: &str, email_key: &str) -> Invite {
    s.get_invite(dist_id, email_key).await.unwrap().unwrap()
}

fn sent(message_id: &str) -> Outcome {
    Outcome::Sent { message_id: message_id.into() }
}

fn no_fields() -> BTreeMap<String, String> {
    BTreeMap::new()
}

fn email(to: &str, subject: &str) -> OutgoingEmail {
    OutgoingEmail { to: vec![to.into()], subject: subject.into(), text: "Hello".into(), html: None, headers: vec![] }
}

/// A sent invitation of a created distribution.
async fn sent_invite<S: Distributions + Invitations>(s: &S, p: &str, d: &Distribution, email_key: &str) {
    assert_eq!(s.settle_invites(p, &d.id, &[settle(email_key, sent("m"), no_fields(), Expect::Absent)]).await.unwrap(), [true]);
}

/// A contact skipped in a distribution (the distribution was cancelled).
async fn skipped_invite<S: Invitations>(s: &S, p: &str, d: &str, email_key: &str) {
    let skip = settle(email_key, Outcome::Skipped(Skip::Cancelled), no_fields(), Expect::Absent);
    assert_eq!(s.settle_invites(p, d, &[skip]).await.unwrap(), [true]);
}

fn account(monthly_budget: u64) -> Account {
    Account {
        id: id("acc"),
        name: "Kahvila Oy".into(),
        plan: "Starter".into(),
        monthly_budget,
        lifetime_cap: None,
        invitation_reserve: 0,
        link_budget: None,
        time_zone: "UTC".into(),
        created_at: "2026-11-01T00:00:00.000Z".into(),
        updated_at: "2026-11-01T00:00:00.000Z".into(),
        usage: Usage { month: "2026-11".into(), ..Default::default() },
    }
}

fn charge(a: &Account, record: Record) -> Charge {
    Charge { account_id: a.id.clone(), month: "2026-11".into(), record, at: "2026-11-19T10:00:00.000Z".into() }
}

// ------------------------------------------------------------ distributions

pub async fn a_distribution_is_created_once_and_listed_in_creation_order<S: Distributions>(s: &S) {
    let p = id("p");
    let first = distribution(&p, NOW);
    assert!(s.create_distribution(&first).await.unwrap());
    let mut again = first.clone();
    again.list_id = "another".into();
    assert!(!s.create_distribution(&again).await.unwrap(), "a second create is refused");
    assert_eq!(dist(s, &p, &first.id).await, first, "and changes nothing");
    let mut second = distribution(&p, NOW);
    second.created_at = "2026-11-19T12:00:00.000Z".into();
    let mut earliest = distribution(&p, NOW);
    earliest.created_at = "2026-11-17T12:00:00.000Z".into();
    assert!(s.create_distribution(&second).await.unwrap());
    assert!(s.create_distribution(&earliest).await.unwrap());
    let listed: Vec<String> = s.list_distributions(&p).await.unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(listed, vec![earliest.id, first.id, second.id]);
    assert_eq!(s.get_distribution(&p, "missing").await.unwrap(), None);
    assert!(s.list_distributions(&id("p")).await.unwrap().is_empty());
}

pub async fn launching_now_queues_the_plan_and_launching_later_schedules_the_start<S: Distributions + SendQueue>(s: &S) {
    let p = id("p");
    let now = distribution(&p, NOW);
    assert_eq!(now.state, DistState::Planning);
    assert!(s.launch_distribution(&now, NOW).await.unwrap());
    let plan = serde_json::to_value(SendJob::Plan { project_id: p.clone(), distribution_id: now.id.clone(), after: None }).unwrap();
    let jobs = s.send_jobs().await;
    assert_eq!(jobs.iter().filter(|j| **j == plan).count(), 1, "{jobs:?}");
    assert!(!s.launch_distribution(&now, NOW).await.unwrap(), "a second launch is refused");
    assert!(!s.send_jobs().await.contains(&plan), "and queues nothing");

    let at = NOW + DAY + random() % DAY;
    let later = distribution(&p, at);
    assert_eq!(later.state, DistState::Scheduled);
    assert!(s.launch_distribution(&later, at).await.unwrap());
    let starts =
        |due: Vec<pulse_shared::store::distributions::Due>| due.into_iter().filter(|d| d.distribution_id == later.id).collect::<Vec<_>>();
    assert!(starts(s.due(at - 1).await.unwrap()).is_empty(), "not due before its time");
    let due = starts(s.due(at).await.unwrap());
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].at_ms, due[0].kind.as_str(), due[0].project_id.as_str()), (at, "start", p.as_str()));
    assert!(!s.send_jobs().await.iter().any(|j| j["distribution_id"] == later.id.as_str()), "nothing queued for the later one");
    assert_eq!(dist(s, &p, &later.id).await, later);
    s.done_due(&due[0].sk).await.unwrap();
}

pub async fn a_distribution_moves_only_from_the_states_given<S: Distributions>(s: &S) {
    let p = id("p");
    let d = distribution(&p, NOW);
    assert!(s.create_distribution(&d).await.unwrap());
    assert!(s.move_distribution(&p, &d.id, &[DistState::Scheduled, DistState::Planning], DistState::Sending, "t1").await.unwrap());
    let moved = dist(s, &p, &d.id).await;
    assert_eq!((moved.state, moved.finished_at), (DistState::Sending, None));
    assert!(
        !s.move_distribution(&p, &d.id, &[DistState::Planning], DistState::Cancelled, "t2").await.unwrap(),
        "not from planning any more"
    );
    assert_eq!(dist(s, &p, &d.id).await.state, DistState::Sending);
    assert!(s.move_distribution(&p, &d.id, &[DistState::Sending], DistState::Done, "t3").await.unwrap());
    let done = dist(s, &p, &d.id).await;
    assert_eq!((done.state, done.finished_at.as_deref()), (DistState::Done, Some("t3")));
    assert!(!s.move_distribution(&p, &d.id, &[DistState::Sending], DistState::Done, "t4").await.unwrap(), "done once");
    assert_eq!(dist(s, &p, &d.id).await.finished_at.as_deref(), Some("t3"));
    assert!(!s.move_distribution(&p, "missing", &[DistState::Sending], DistState::Done, "t").await.unwrap());
    assert_eq!(s.get_distribution(&p, "missing").await.unwrap(), None, "a refused move creates nothing");
}

pub async fn a_planned_page_is_counted_once<S: Distributions>(s: &S) {
    let p = id("p");
    let d = distribution(&p, NOW);
    assert!(s.create_distribution(&d).await.unwrap());
    assert!(s.planned_page(&p, &d.id, None, Some("b@example.com"), 2).await.unwrap());
    assert!(!s.planned_page(&p, &d.id, None, Some("b@example.com"), 2).await.unwrap(), "the same page again");
    let after_one = dist(s, &p, &d.id).await;
    assert_eq!(
        (after_one.counts.planned, after_one.plan_cursor.as_deref(), after_one.state),
        (2, Some("b@example.com"), DistState::Planning)
    );
    assert!(!s.planned_page(&p, &d.id, Some("a@example.com"), None, 5).await.unwrap(), "a page after another cursor");
    assert!(s.planned_page(&p, &d.id, Some("b@example.com"), None, 1).await.unwrap(), "the last page");
    assert!(!s.planned_page(&p, &d.id, Some("b@example.com"), None, 1).await.unwrap(), "the last page again");
    let all = dist(s, &p, &d.id).await;
    assert_eq!((all.counts.planned, all.planned_all, all.state), (3, true, DistState::Sending));
    assert!(!s.planned_page(&p, &d.id, all.plan_cursor.as_deref(), None, 1).await.unwrap(), "nothing is planned once it is sending");
    assert!(!s.planned_page(&p, "missing", None, None, 1).await.unwrap());
}

pub async fn the_last_invitation_of_many_contacts_is_read_at_once<S: Distributions>(s: &S) {
    let p = id("p");
    let d = id("d");
    // more than one BatchGetItem's 100 keys, some never invited
    let keys: Vec<String> = (0..150).map(|i| format!("c{i}@example.com")).collect();
    for (i, k) in keys.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        assert!(s.mark_invited(&p, k, &d, NOW + i as u64, 30).await.unwrap());
    }
    assert!(s.mark_invited(&id("p"), "c1@example.com", &d, NOW, 30).await.unwrap(), "another project's mark");
    let last = s.last_invited(&p, &keys).await.unwrap();
    assert_eq!(last.len(), 50);
    assert_eq!(last.get("c0@example.com"), Some(&NOW));
    assert_eq!(last.get("c149@example.com"), None);
    assert_eq!(last.get("c147@example.com"), Some(&(NOW + 147)));
    assert!(s.last_invited(&p, &[]).await.unwrap().is_empty());
}

pub async fn a_contacts_invitations_are_read_across_distributions<S: Distributions + Invitations>(s: &S) {
    let p = id("p");
    let (d1, d2, d3) = (id("d"), id("d"), id("d"));
    for d in [&d1, &d2, &d3] {
        s.create_distribution(&Distribution::to_list(d.clone(), &p, "l", BTreeMap::new(), None, NOW, NOW)).await.unwrap();
    }
    let (a, b) = ("a@example.com", "b@example.com");
    for (d, who) in [(&d1, a), (&d1, b), (&d3, a), (&d2, b)] {
        skipped_invite(s, &p, d, who).await;
    }
    let asked = [d3.clone(), d2.clone(), d1.clone()];
    let found = s.invites_of(a, &asked).await.unwrap();
    let dists: Vec<&str> = found.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(dists, [d3.as_str(), d1.as_str()], "in the order asked, only where invited");
    assert!(found.iter().all(|(_, i)| i.email_key == a));
    assert!(s.invites_of("nobody@example.com", &asked).await.unwrap().is_empty());
    assert!(s.invites_of(a, &[]).await.unwrap().is_empty());
}

pub async fn the_quiet_period_holds_a_contact_for_other_distributions<S: Distributions>(s: &S) {
    let p = id("p");
    let (d1, d2) = (id("d"), id("d"));
    assert!(s.mark_invited(&p, "a@example.com", &d1, NOW, 30).await.unwrap());
    assert!(!s.mark_invited(&p, "a@example.com", &d2, NOW + 29 * DAY, 30).await.unwrap(), "another distribution within the quiet period");
    assert!(s.mark_invited(&p, "a@example.com", &d1, NOW + MINUTE, 30).await.unwrap(), "the same distribution again");
    assert!(s.mark_invited(&p, "a@example.com", &d2, NOW + 2 * MINUTE, 0).await.unwrap(), "no quiet period");
    assert!(!s.mark_invited(&p, "a@example.com", &d1, NOW + 3 * MINUTE, 30).await.unwrap(), "held for d2 now");
    assert!(s.mark_invited(&p, "a@example.com", &d1, NOW + 2 * MINUTE + 31 * DAY, 30).await.unwrap(), "after the quiet period");
    assert!(s.mark_invited(&id("p"), "a@example.com", &d2, NOW, 30).await.unwrap(), "another project's contact");

    // a mark taken back only by the invitation that set it
    let b = "b@example.com";
    assert!(s.mark_invited(&p, b, &d1, NOW, 30).await.unwrap());
    s.unmark_invited(&p, b, &d2, NOW).await.unwrap();
    s.unmark_invited(&p, b, &d1, NOW + 1).await.unwrap();
    assert!(!s.mark_invited(&p, b, &d2, NOW + MINUTE, 30).await.unwrap(), "the mark stays");
    s.unmark_invited(&p, b, &d1, NOW).await.unwrap();
    assert!(s.mark_invited(&p, b, &d2, NOW + MINUTE, 30).await.unwrap(), "the mark is gone");
    s.unmark_invited(&p, "nobody@example.com", &d1, NOW).await.unwrap();
}

pub async fn the_send_rate_gives_rate_tokens_a_second<S: Distributions>(s: &S) {
    let window = 1_000_000_000 + random() % 1_000_000_000;
    for i in 0..3 {
        assert!(s.take_send_token(window, 3).await.unwrap(), "token {i}");
    }
    assert!(!s.take_send_token(window, 3).await.unwrap(), "the second's budget is spent");
    assert!(!s.take_send_token(window, 3).await.unwrap());
    assert!(s.take_send_token(window + 1, 3).await.unwrap(), "the next second");
    assert!(s.take_send_token(window, 4).await.unwrap(), "a higher rate leaves one more");
}

pub async fn due_work_is_listed_oldest_first_until_done<S: Distributions>(s: &S) {
    let p = id("p");
    let base = NOW - 400 * DAY + random() % DAY;
    let d: Vec<String> = (0..3).map(|_| id("d")).collect();
    s.schedule_due(base + 2 * MINUTE, "reminder", &p, &d[1]).await.unwrap();
    s.schedule_due(base, "start", &p, &d[0]).await.unwrap();
    s.schedule_due(base + 5 * MINUTE, "start", &p, &d[2]).await.unwrap();
    let mine = |due: Vec<pulse_shared::store::distributions::Due>| due.into_iter().filter(|x| x.project_id == p).collect::<Vec<_>>();
    let due = mine(s.due(base + 2 * MINUTE).await.unwrap());
    let seen: Vec<(u64, &str, &str)> = due.iter().map(|x| (x.at_ms, x.kind.as_str(), x.distribution_id.as_str())).collect();
    assert_eq!(seen, vec![(base, "start", d[0].as_str()), (base + 2 * MINUTE, "reminder", d[1].as_str())]);
    s.done_due(&due[0].sk).await.unwrap();
    s.done_due(&due[0].sk).await.unwrap();
    let rest: Vec<String> = mine(s.due(base + 10 * MINUTE).await.unwrap()).into_iter().map(|x| x.distribution_id).collect();
    assert_eq!(rest, vec![d[1].clone(), d[2].clone()]);
    for x in mine(s.due(base + 10 * MINUTE).await.unwrap()) {
        s.done_due(&x.sk).await.unwrap();
    }
    assert!(mine(s.due(base + 10 * MINUTE).await.unwrap()).is_empty());
}

// -------------------------------------------------------------- invitations

pub async fn invitations_are_read_a_page_at_a_time<S: Invitations>(s: &S) {
    let (p, d) = (id("p"), id("d"));
    let keys = ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"];
    for k in keys.iter().rev() {
        skipped_invite(s, &p, &d, k).await;
    }
    let page = |v: Vec<Invite>| v.into_iter().map(|i| i.email_key).collect::<Vec<_>>();
    let (first, next) = s.invites(&d, None, 2).await.unwrap();
    assert_eq!((page(first), next.as_deref()), (vec![keys[0].to_string(), keys[1].to_string()], Some(keys[1])));
    let (second, next) = s.invites(&d, Some(keys[1]), 2).await.unwrap();
    assert_eq!((page(second), next.as_deref()), (vec![keys[2].to_string(), keys[3].to_string()], Some(keys[3])));
    let (last, next) = s.invites(&d, Some(keys[3]), 2).await.unwrap();
    assert_eq!((page(last), next), (vec![keys[4].to_string()], None));
    let (all, next) = s.invites(&d, None, 10).await.unwrap();
    assert_eq!((all.len(), next), (5, None));
    assert_eq!(s.invites(&id("d"), None, 10).await.unwrap(), (vec![], None));
}

pub async fn a_reminder_is_claimed_once_and_settled_once<S: Distributions + Invitations>(s: &S) {
    let p = id("p");
    let d = distribution(&p, NOW);
    assert!(s.create_distribution(&d).await.unwrap());
    skipped_invite(s, &p, &d.id, "claimed@example.com").await;
    assert_eq!(s.claim_reminder(&p, &d.id, "claimed@example.com", None).await.unwrap(), ReminderClaim::Taken, "never sent");
    assert_eq!(s.claim_reminder(&p, &d.id, "nobody@example.com", None).await.unwrap(), ReminderClaim::Taken);
    for key in ["a@example.com", "b@example.com"] {
        sent_invite(s, &p, &d, key).await;
    }
    assert_eq!(s.claim_reminder(&p, &d.id, "a@example.com", None).await.unwrap(), ReminderClaim::Claimed);
    assert_eq!(s.claim_reminder(&p, &d.id, "a@example.com", None).await.unwrap(), ReminderClaim::Taken, "claimed once");
    assert_eq!(invite(s, &d.id, "a@example.com").await.reminder, Some(ReminderState::Sending));
    s.settle_reminder(&p, &d.id, "a@example.com", true).await.unwrap();
    s.settle_reminder(&p, &d.id, "a@example.com", true).await.unwrap();
    s.settle_reminder(&p, &d.id, "a@example.com", false).await.unwrap();
    assert_eq!(invite(s, &d.id, "a@example.com").await.reminder, Some(ReminderState::Sent));
    assert_eq!(s.claim_reminder(&p, &d.id, "a@example.com", None).await.unwrap(), ReminderClaim::Taken, "sent once");
    assert_eq!(s.claim_reminder(&p, &d.id, "b@example.com", None).await.unwrap(), ReminderClaim::Claimed);
    s.settle_reminder(&p, &d.id, "b@example.com", false).await.unwrap();
    assert_eq!(invite(s, &d.id, "b@example.com").await.reminder, Some(ReminderState::Skipped));
    s.settle_reminder(&p, &d.id, "claimed@example.com", true).await.unwrap();
    assert_eq!(invite(s, &d.id, "claimed@example.com").await.reminder, None, "no reminder was claimed");
    assert_eq!(dist(s, &p, &d.id).await.counts.reminders_sent, 1);
}

pub async fn a_reminder_over_budget_is_skipped_for_good<S: Distributions + Invitations + Budgets>(s: &S) {
    let acc = account(1);
    s.create_account(&acc).await.unwrap();
    let c = charge(&acc, Record::Reminder);
    let p = id("p");
    let d = distribution(&p, NOW);
    assert!(s.create_distribution(&d).await.unwrap());
    for key in ["a@example.com", "b@example.com"] {
        sent_invite(s, &p, &d, key).await;
    }
    assert_eq!(s.claim_reminder(&p, &d.id, "a@example.com", Some(&c)).await.unwrap(), ReminderClaim::Claimed);
    assert_eq!(s.claim_reminder(&p, &d.id, "a@example.com", Some(&c)).await.unwrap(), ReminderClaim::Taken, "claimed and charged once");
    assert_eq!(usage(s, &acc.id).await.used, 1);
    assert_eq!(s.claim_reminder(&p, &d.id, "b@example.com", Some(&c)).await.unwrap(), ReminderClaim::OverBudget);
    assert_eq!(invite(s, &d.id, "b@example.com").await.reminder, Some(ReminderState::OverBudget));
    assert_eq!(s.claim_reminder(&p, &d.id, "b@example.com", Some(&c)).await.unwrap(), ReminderClaim::Taken, "skipped for good");
    s.settle_reminder(&p, &d.id, "b@example.com", true).await.unwrap();
    assert_eq!(invite(s, &d.id, "b@example.com").await.reminder, Some(ReminderState::OverBudget));
    let usage = usage(s, &acc.id).await;
    assert_eq!((usage.used, usage.refused, usage.last_accepted_kind), (1, 1, Some(Record::Reminder)));
    let counts = dist(s, &p, &d.id).await.counts;
    assert_eq!((counts.reminders_over_budget, counts.reminders_sent), (1, 0));
}

// ------------------------------------------------------------ notifications

pub async fn an_alert_state_is_written_only_over_the_version_it_was_read_at<S: Notifications>(s: &S) {
    use pulse_shared::domain::alerts::AlertState;
    let p = id("alerts");
    assert_eq!(s.alert_state(&p, "low#*").await.unwrap(), None);
    let first = AlertState { alerting: true, episode: 1, period: "2026-W49".into(), notified: false, version: 1 };
    assert!(s.put_alert_state(&p, "low#*", &first).await.unwrap());
    assert!(!s.put_alert_state(&p, "low#*", &first).await.unwrap(), "a second first write loses");
    let sent = AlertState { notified: true, version: 2, ..first.clone() };
    assert!(s.put_alert_state(&p, "low#*", &sent).await.unwrap());
    assert!(!s.put_alert_state(&p, "low#*", &AlertState { alerting: false, ..sent.clone() }).await.unwrap(), "a stale version loses");
    assert_eq!(s.alert_state(&p, "low#*").await.unwrap(), Some(sent));
    assert_eq!(s.alert_state(&p, "low#North").await.unwrap(), None, "each scope has its own state");
}

pub async fn a_notification_is_claimed_once_and_completed<S: Notifications>(s: &S) {
    let p = id("p");
    assert_eq!(s.ledger_entry(&p, "n50").await.unwrap(), None);
    assert_eq!(s.claim_notification(&p, "n50", NOW, NOW + MINUTE).await.unwrap(), Claim::Claimed);
    assert_eq!(s.claim_notification(&p, "n50", NOW + 1, NOW + 2 * MINUTE).await.unwrap(), Claim::InProgressElsewhere);
    assert_eq!(s.ledger_entry(&p, "n50").await.unwrap(), Some(Entry::InProgress { in_progress_until: NOW + MINUTE }));
    s.complete_notification(&p, "n50", "m1", "t1").await.unwrap();
    assert_eq!(s.ledger_entry(&p, "n50").await.unwrap(), Some(Entry::Complete { message_id: "m1".into(), sent_at: "t1".into() }));
    assert_eq!(s.claim_notification(&p, "n50", NOW + 10 * DAY, NOW + 11 * DAY).await.unwrap(), Claim::AlreadySent);
    assert_eq!(s.claim_notification(&p, "n100", NOW, NOW + MINUTE).await.unwrap(), Claim::Claimed, "another key");
    assert_eq!(s.claim_notification(&id("p"), "n50", NOW, NOW + MINUTE).await.unwrap(), Claim::Claimed, "another project");
}

pub async fn a_ledger_entry_left_in_progress_is_claimable_again_only_after_its_time<S: Notifications>(s: &S) {
    let p = id("p");
    assert_eq!(s.claim_notification(&p, "k", NOW, NOW + MINUTE).await.unwrap(), Claim::Claimed);
    // the sender died: neither completed nor released
    assert_eq!(s.claim_notification(&p, "k", NOW + MINUTE - 1, NOW + 2 * MINUTE).await.unwrap(), Claim::InProgressElsewhere);
    assert_eq!(s.claim_notification(&p, "k", NOW + MINUTE, NOW + 2 * MINUTE).await.unwrap(), Claim::InProgressElsewhere, "at its time");
    assert_eq!(s.ledger_entry(&p, "k").await.unwrap(), Some(Entry::InProgress { in_progress_until: NOW + MINUTE }));
    assert_eq!(s.claim_notification(&p, "k", NOW + MINUTE + 1, NOW + 3 * MINUTE).await.unwrap(), Claim::Claimed, "after its time");
    assert_eq!(s.ledger_entry(&p, "k").await.unwrap(), Some(Entry::InProgress { in_progress_until: NOW + 3 * MINUTE }));
    assert_eq!(s.claim_notification(&p, "k", NOW + MINUTE + 2, NOW + 4 * MINUTE).await.unwrap(), Claim::InProgressElsewhere);
}

pub async fn a_notification_handed_to_ses_is_never_claimed_again<S: Notifications>(s: &S) {
    let p = id("p");
    assert_eq!(s.claim_notification(&p, "k", NOW, NOW + MINUTE).await.unwrap(), Claim::Claimed);
    assert!(!s.notification_sending(&p, "k", NOW + MINUTE - 1).await.unwrap(), "only the claim as it was taken");
    assert!(s.notification_sending(&p, "k", NOW + MINUTE).await.unwrap());
    assert_eq!(s.ledger_entry(&p, "k").await.unwrap(), Some(Entry::Sending { in_progress_until: NOW + MINUTE }));
    // its complete write failed after SES took it: nothing claims it again, ever
    assert_eq!(s.claim_notification(&p, "k", NOW + 1, NOW + 2 * MINUTE).await.unwrap(), Claim::AlreadySent);
    assert_eq!(s.claim_notification(&p, "k", NOW + DAY, NOW + DAY + MINUTE).await.unwrap(), Claim::AlreadySent);
    // SES refused it: released, a retry may send it
    s.release_notification(&p, "k").await.unwrap();
    assert_eq!(s.claim_notification(&p, "k", NOW + DAY, NOW + DAY + MINUTE).await.unwrap(), Claim::Claimed);
}

pub async fn a_released_claim_is_claimable_again_and_a_complete_one_is_never_released<S: Notifications>(s: &S) {
    let p = id("p");
    assert_eq!(s.claim_notification(&p, "k", NOW, NOW + MINUTE).await.unwrap(), Claim::Claimed);
    s.release_notification(&p, "k").await.unwrap();
    assert_eq!(s.ledger_entry(&p, "k").await.unwrap(), None);
    assert!(s.release_notification(&p, "k").await.is_err(), "nothing to release");
    assert_eq!(s.claim_notification(&p, "k", NOW + 1, NOW + MINUTE).await.unwrap(), Claim::Claimed, "a retry claims it at once");
    s.complete_notification(&p, "k", "m", "t").await.unwrap();
    assert!(s.release_notification(&p, "k").await.is_err(), "a complete notification stays complete");
    assert_eq!(s.ledger_entry(&p, "k").await.unwrap(), Some(Entry::Complete { message_id: "m".into(), sent_at: "t".into() }));
}

pub async fn send_once_sends_once_and_not_while_another_invocation_holds_the_claim<S: Notifications>(s: &S) {
    let p = id("p");
    let now = pulse_shared::clock::now_ms();
    let mail = email("team@example.com", "Kahvila Oy: 50 responses reached");
    assert_eq!(s.send_once(&p, "threshold:50", now + MINUTE, &mail).await.unwrap(), Sent::Now);
    let Some(Entry::Complete { message_id, .. }) = s.ledger_entry(&p, "threshold:50").await.unwrap() else { panic!("sent and completed") };
    assert!(!message_id.is_empty());
    assert_eq!(s.send_once(&p, "threshold:50", now + MINUTE, &mail).await.unwrap(), Sent::Before, "said so");
    let Some(Entry::Complete { message_id: again, .. }) = s.ledger_entry(&p, "threshold:50").await.unwrap() else {
        panic!("still complete")
    };
    assert_eq!(again, message_id, "not sent again");

    assert_eq!(s.claim_notification(&p, "threshold:100", now, now + 10 * MINUTE).await.unwrap(), Claim::Claimed);
    let busy = s.send_once(&p, "threshold:100", now + MINUTE, &mail).await;
    assert!(matches!(busy, Err(pulse_shared::Error::Conflict(_))), "{busy:?}");
    assert_eq!(s.ledger_entry(&p, "threshold:100").await.unwrap(), Some(Entry::InProgress { in_progress_until: now + 10 * MINUTE }));
}

pub async fn opt_out_tokens_are_made_per_email_and_opt_outs_are_kept<S: Notifications>(s: &S) {
    let p = id("p");
    let token = s.optout_token(&p, " Team@Example.com ").await.unwrap();
    let next = s.optout_token(&p, "team@example.com").await.unwrap();
    assert_ne!(next, token, "a fresh token for each email (only its hash is kept, so none can be handed out twice)");
    let elsewhere = s.optout_token(&id("p"), "team@example.com").await.unwrap();
    assert_eq!(s.find_optout(&token).await.unwrap(), Some((p.clone(), "team@example.com".to_string())));
    assert_eq!(
        s.find_optout(&next).await.unwrap(),
        Some((p.clone(), "team@example.com".to_string())),
        "earlier emails' links keep working"
    );
    assert_ne!(
        s.find_optout(&elsewhere).await.unwrap().map(|(project, _)| project),
        Some(p.clone()),
        "a token opts out of its own project only"
    );
    assert_eq!(s.find_optout("no-such-token").await.unwrap(), None);
    assert!(s.opted_out(&p).await.unwrap().is_empty());
    s.opt_out(&p, "Team@Example.com", "t1").await.unwrap();
    s.opt_out(&p, "team@example.com", "t2").await.unwrap();
    s.opt_out(&p, "boss@example.com", "t3").await.unwrap();
    let out: Vec<String> = s.opted_out(&p).await.unwrap().into_iter().collect();
    assert_eq!(out, vec!["boss@example.com".to_string(), "team@example.com".to_string()]);
    assert!(s.opted_out(&id("p")).await.unwrap().is_empty());
}

// ------------------------------------------------------------- mail, queue

pub async fn mail_is_sent_with_a_message_id<S: Mail + Queue>(s: &S) {
    let first = s.send_email(&email("anna@example.com", "Hello")).await.unwrap();
    let tagged = s.send_tracked(&email("anna@example.com", "Your survey"), &[("project", "p-1"), ("distribution", "d-1")]).await.unwrap();
    assert!(!first.is_empty() && !tagged.is_empty());
    assert_ne!(first, tagged);
    let job = SendJob::TestEmail { to: "anna@example.com".into(), subject: "Test".into(), text: "Hello".into(), html: None };
    assert!(!s.enqueue(&job).await.unwrap().is_empty());
}

// ------------------------------------------------ a message's invitations at once

pub async fn the_send_rate_gives_a_message_its_sends_at_once<S: Distributions>(s: &S) {
    let window = 1_000_000_000 + random() % 1_000_000_000;
    assert_eq!(s.take_send_tokens(window, 5, 3).await.unwrap(), 3, "three at once");
    assert_eq!(s.take_send_tokens(window, 5, 3).await.unwrap(), 2, "what is left of the second");
    assert_eq!(s.take_send_tokens(window, 5, 3).await.unwrap(), 0, "the second's budget is spent");
    assert!(!s.take_send_token(window, 5).await.unwrap(), "for every sender");
    assert_eq!(s.take_send_tokens(window + 1, 5, 9).await.unwrap(), 5, "never more than the rate");
    assert!(s.take_send_token(window + 2, 5).await.unwrap());
    assert_eq!(s.take_send_tokens(window + 2, 5, 5).await.unwrap(), 4, "one sender's token counts");
}

fn personal_link(id: &str, project_id: &str, email: &str, dist_id: &str) -> Link {
    let contact =
        ContactSnapshot { email: email.into(), first_name: "Anna".into(), last_name: "A".into(), fields: no_fields(), language: None };
    Link {
        id: id.into(),
        project_id: project_id.into(),
        kind: LinkKind::Personal { contact, response_id: new_id(), distribution_id: Some(dist_id.into()) },
        created_at: "2026-11-19T10:00:00.000Z".into(),
    }
}

pub async fn an_invitations_link_is_its_claim_held_once_and_taken_over_only_as_the_rule_says<S: Invitations + Links>(s: &S) {
    let (p, d) = (id("p"), id("d"));
    let link = personal_link(&id("link"), &p, "anna@example.com", &d);
    assert_eq!(s.claim_link(&link, "a1", NOW + MINUTE, NOW, false).await.unwrap(), LinkClaim::Claimed);
    assert_eq!(s.get_link(&link.id).await.unwrap(), Some(link.clone()), "the claim is the working link");
    assert_eq!(s.claim_link(&link, "a2", NOW + 2 * MINUTE, NOW, false).await.unwrap(), LinkClaim::Busy, "held");
    assert_eq!(
        s.claim_link(&link, "a2", NOW + 2 * MINUTE, NOW + MINUTE, false).await.unwrap(),
        LinkClaim::Unknown,
        "it may have reached SES"
    );
    // the ledger says it never did (reopened): taken over, without the old charge
    assert_eq!(s.claim_link(&link, "a3", NOW + 2 * MINUTE, NOW + MINUTE, true).await.unwrap(), LinkClaim::Retaken { charged: None });
    assert!(!s.release_link(&link.id, "a1").await.unwrap(), "a1 holds it no more");
    assert_eq!(s.claim_link(&link, "a4", NOW + 3 * MINUTE, NOW + MINUTE, true).await.unwrap(), LinkClaim::Busy, "a3 holds it");
    // SES did not take it: let go as never sent, taken over at once
    assert!(s.release_link(&link.id, "a3").await.unwrap());
    assert_eq!(s.claim_link(&link, "a4", NOW + 3 * MINUTE, NOW + MINUTE, false).await.unwrap(), LinkClaim::Retaken { charged: None });
    assert_eq!(s.claim_link(&link, "a5", NOW + 3 * MINUTE, NOW + MINUTE, false).await.unwrap(), LinkClaim::Busy, "once");
    s.drop_link(&link.id, "a3").await.unwrap();
    assert!(s.get_link(&link.id).await.unwrap().is_some(), "only its holder drops it");
    s.drop_link(&link.id, "a4").await.unwrap();
    assert_eq!(s.get_link(&link.id).await.unwrap(), None);
}

pub async fn a_held_link_is_charged_once_and_an_exhausted_budget_refuses_it<S: Invitations + Budgets>(s: &S) {
    let acc = account(1);
    s.create_account(&acc).await.unwrap();
    let c = charge(&acc, Record::Invitation);
    let (p, d) = (id("p"), id("d"));
    let a = personal_link(&id("link"), &p, "a@example.com", &d);
    let b = personal_link(&id("link"), &p, "b@example.com", &d);
    for l in [&a, &b] {
        assert_eq!(s.claim_link(l, "a1", NOW + MINUTE, NOW, false).await.unwrap(), LinkClaim::Claimed);
    }
    assert_eq!(s.charge_link(&a.id, "a1", &c).await.unwrap(), Charged::Done);
    assert_eq!(s.charge_link(&a.id, "a1", &c).await.unwrap(), Charged::ItemsRefused(vec![0]), "charged once");
    assert_eq!(s.charge_link(&b.id, "a2", &c).await.unwrap(), Charged::ItemsRefused(vec![0]), "only by its holder");
    assert_eq!(s.charge_link(&b.id, "a1", &c).await.unwrap(), Charged::OverBudget, "the budget is used up");
    let used = usage(s, &acc.id).await;
    assert_eq!((used.used, used.refused), (1, 1));
    // SES did not take it: the redelivery takes it over with its charge
    assert!(s.release_link(&a.id, "a1").await.unwrap());
    let again = s.claim_link(&a, "a2", NOW + 2 * MINUTE, NOW, false).await.unwrap();
    assert_eq!(again, LinkClaim::Retaken { charged: Some((acc.id.clone(), "2026-11".into())) });
    // a charge of another month than the account's, or of no account, is refused too
    let roomy = account(5);
    s.create_account(&roomy).await.unwrap();
    let last_month = Charge { month: "2026-10".into(), ..charge(&roomy, Record::Invitation) };
    assert_eq!(s.charge_link(&b.id, "a1", &last_month).await.unwrap(), Charged::OverBudget);
    let roomy_usage = usage(s, &roomy.id).await;
    assert_eq!((roomy_usage.used, roomy_usage.refused), (0, 0), "nothing is counted in another month");
    let nobody = charge(&account(5), Record::Invitation);
    assert_eq!(s.charge_link(&b.id, "a1", &nobody).await.unwrap(), Charged::OverBudget, "no such account");
    assert_eq!(s.charge_link(&b.id, "a1", &charge(&roomy, Record::Invitation)).await.unwrap(), Charged::Done);
    assert_eq!(usage(s, &roomy.id).await.used, 1);
}

fn settle(key: &str, outcome: Outcome, fields: BTreeMap<String, String>, expect: Expect) -> Settle {
    Settle {
        email_key: key.into(),
        outcome,
        fields,
        link: format!("link-{key}"),
        charged: None,
        expect,
        at: "2026-11-19T10:00:00.000Z".into(),
    }
}

pub async fn a_messages_settlements_are_written_once_with_their_counters_summed<S: Distributions + Invitations + Reports>(s: &S) {
    let p = id("p");
    let d = distribution(&p, NOW);
    assert!(s.create_distribution(&d).await.unwrap());
    let at = "2026-11-19T10:00:00.000Z";
    let north = BTreeMap::from([("Region".to_string(), "North".to_string())]);
    let batch = vec![
        settle("a@example.com", sent("m1"), north.clone(), Expect::Absent),
        settle("b@example.com", sent("m2"), no_fields(), Expect::Absent),
        settle("c@example.com", Outcome::Skipped(Skip::QuietPeriod), no_fields(), Expect::Absent),
        settle("d@example.com", Outcome::Failed("SES refused the email (MessageRejected): bad".into()), no_fields(), Expect::Absent),
    ];
    assert_eq!(s.settle_invites(&p, &d.id, &batch).await.unwrap(), [true, true, true, true]);
    let a = invite(s, &d.id, "a@example.com").await;
    assert_eq!(
        (a.state, a.message_id.as_deref(), a.link.as_str(), a.at.as_deref()),
        (InviteState::Sent, Some("m1"), "link-a@example.com", Some(at))
    );
    let counts = dist(s, &p, &d.id).await.counts;
    assert_eq!((counts.sent, counts.skipped_quiet_period, counts.failed), (2, 1, 1));
    assert_eq!(invited(s, &p, at, None).await, 2, "both sent count in the day");
    let region = Dimension::Field("Region".into());
    assert_eq!(invited(s, &p, at, Some((&region, "North"))).await, 1, "one in its segment");
    // repeated (a redelivered message): nothing written, nothing counted twice
    assert_eq!(s.settle_invites(&p, &d.id, &batch).await.unwrap(), [false, false, false, false]);
    // one settled already beside a new one: only the new one moves the counters
    let mixed = vec![
        settle("a@example.com", Outcome::Failed("late".into()), no_fields(), Expect::Absent),
        settle("e@example.com", sent("m5"), no_fields(), Expect::Absent),
    ];
    assert_eq!(s.settle_invites(&p, &d.id, &mixed).await.unwrap(), [false, true]);
    assert_eq!(invite(s, &d.id, "a@example.com").await.state, InviteState::Sent, "the first settlement stands");
    let counts = dist(s, &p, &d.id).await.counts;
    assert_eq!((counts.sent, counts.failed), (3, 1));
    assert_eq!(invited(s, &p, at, None).await, 3);
    // a refused invitation reopened: settled again from its open state, once
    assert!(s.reopen_invite(&p, &d.id, "d@example.com").await.unwrap());
    let retry = vec![settle("d@example.com", sent("m6"), no_fields(), Expect::State(InviteState::Claimed))];
    assert_eq!(s.settle_invites(&p, &d.id, &retry).await.unwrap(), [true]);
    assert_eq!(s.settle_invites(&p, &d.id, &retry).await.unwrap(), [false]);
    let counts = dist(s, &p, &d.id).await.counts;
    assert_eq!((counts.sent, counts.failed), (4, 0));
    assert_eq!(s.settle_invites(&p, &d.id, &[]).await.unwrap(), Vec::<bool>::new());
    let found = s.invites_at(&d.id, &["a@example.com".into(), "e@example.com".into(), "zed@example.com".into()]).await.unwrap();
    assert_eq!(found.len(), 2, "those that exist, in one read");
    assert_eq!(found["e@example.com"].message_id.as_deref(), Some("m5"));
}

pub async fn settlements_beyond_one_transaction_are_split_and_all_counted<S: Distributions + Invitations + Reports>(s: &S) {
    let p = id("p");
    let d = distribution(&p, NOW);
    assert!(s.create_distribution(&d).await.unwrap());
    let at = "2026-11-19T10:00:00.000Z";
    // 25 contacts, each in 4 segments of its own: 25 + 1 + 1 + 100 items
    let batch: Vec<Settle> = (0..25)
        .map(|i| {
            let fields = (0..4).map(|f| (format!("F{f}"), format!("v{i}"))).collect();
            settle(&format!("c{i:02}@example.com"), sent(&format!("m{i}")), fields, Expect::Absent)
        })
        .collect();
    assert_eq!(s.settle_invites(&p, &d.id, &batch).await.unwrap(), vec![true; 25]);
    assert_eq!(dist(s, &p, &d.id).await.counts.sent, 25);
    assert_eq!(invited(s, &p, at, None).await, 25);
    let f3 = Dimension::Field("F3".into());
    assert_eq!(invited(s, &p, at, Some((&f3, "v24"))).await, 1, "the last one's segment");
    assert_eq!(s.settle_invites(&p, &d.id, &batch).await.unwrap(), vec![false; 25]);
    assert_eq!(dist(s, &p, &d.id).await.counts.sent, 25);
}

pub async fn the_origins_of_a_messages_emails_are_noted_at_once<S: Invitations>(s: &S) {
    let (p, d) = (id("p"), id("d"));
    let ids: Vec<String> = (0..30).map(|_| id("msg")).collect();
    s.note_messages(&ids, &p, &d, NOW).await.unwrap();
    for m in [&ids[0], &ids[24], &ids[29]] {
        assert_eq!(s.message_origin(m).await.unwrap(), Some((p.clone(), d.clone())));
    }
    s.note_messages(&[], &p, &d, NOW).await.unwrap();
}

pub async fn a_contacts_invitation_links_are_found_and_erased_without_an_index<S: Distributions + Invitations + Links + Guard>(s: &S) {
    use pulse_shared::domain::guard::{invitation_link_id, LINK_KEY};
    let p = id("p");
    let d = distribution(&p, NOW);
    assert!(s.create_distribution(&d).await.unwrap());
    let key = s.secret(LINK_KEY).await.unwrap();
    let anna = "anna@example.com";
    let link = personal_link(&invitation_link_id(key.as_slice(), &d.id, anna), &p, anna, &d.id);
    assert_eq!(s.claim_link(&link, "a1", NOW + MINUTE, NOW, false).await.unwrap(), LinkClaim::Claimed);
    let other = personal_link(&invitation_link_id(key.as_slice(), &d.id, "ben@example.com"), &p, "ben@example.com", &d.id);
    assert_eq!(s.claim_link(&other, "a1", NOW + MINUTE, NOW, false).await.unwrap(), LinkClaim::Claimed);
    let links = s.links_of(&p, anna).await.unwrap();
    assert_eq!(links.iter().map(|(l, _)| l.id.as_str()).collect::<Vec<_>>(), [link.id.as_str()], "hers, found by her distributions");
    assert_eq!(s.erase_links(&p, anna).await.unwrap(), 1);
    assert_eq!(s.get_link(&link.id).await.unwrap(), None, "erased");
    assert!(s.get_link(&other.id).await.unwrap().is_some(), "nobody else's");
    assert_eq!(s.erase_links(&p, anna).await.unwrap(), 0, "a repeated erasure finds nothing");
}
