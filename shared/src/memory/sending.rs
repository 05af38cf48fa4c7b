//! The double of distributions, invitations, mail and the queues (see
//! [`super`]), under the keys of `store::distributions`:
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `PROJECT#{id}` | `DIST#{distribution id}` | a [`Distribution`] (its counters at the top level) |
//! | core | `DIST#{distribution id}` | `INVITE#{email key}` | an [`Invite`] |
//! | core | `RATE#ses` | `WINDOW#{unix second}` | `sent`, `expires_at` |
//! | core | `DUE` | `{at ms:013}#{kind}#{project}#{distribution}` | work on the schedule's list |
//! | contacts | `PROJECT#{id}` | `INVITED#{email key}` | `last_ms`, `distribution_id` |
//!
//! A charge is the budgets double's ([`super::budgets::charge`], the
//! condition of `store::budgets::charge_item`); a sent invitation adds
//! `invited` to the report buckets through the reports double
//! ([`super::reports::add_to_bucket`]). Updates touch only the attributes the
//! adapter's update expressions name, and an update of a missing item
//! creates it, as DynamoDB's `UpdateItem` does.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::budgets::{charge, count_refusal};
use super::{Memory, SentEmail, State, Table};
use crate::domain::budget::{Charge, Charged};
use crate::domain::distribution::{in_quiet_period, DistState};
use crate::domain::invitation::{decide_hold, ClaimOver, Invite, LinkClaim, LinkHold, Outcome, ReminderClaim, ReminderState, Settle};
use crate::domain::jobs::SendJob;
use crate::domain::links::Link;
use crate::domain::mail::OutgoingEmail;
use crate::domain::report::{day_of, field_segments};
use crate::ports::{Job, Queue};
use crate::store::distributions::{Distribution, Due};
use crate::{Error, Result};

fn project_pk(project_id: &str) -> String {
    format!("PROJECT#{project_id}")
}

fn dist_sk(id: &str) -> String {
    format!("DIST#{id}")
}

fn invite_pk(dist_id: &str) -> String {
    format!("DIST#{dist_id}")
}

fn invite_sk(email_key: &str) -> String {
    format!("INVITE#{email_key}")
}

fn invited_sk(email_key: &str) -> String {
    format!("INVITED#{email_key}")
}

/// The item an `UpdateItem` works on: the one there, or a new one with
/// only the attributes the update sets.
/// The sending half of an erasure, as `store::distributions` does it.
pub(super) fn erase_from_sending(st: &mut State, project_id: &str, email_key: &str) -> (u64, u64) {
    let pk = project_pk(project_id);
    let mut invitations = u64::from(st.delete(Table::Contacts, &pk, &invited_sk(email_key)));
    let mut triggered = 0;
    let dists: Vec<(String, Distribution)> = st.query(Table::Core, &pk, "DIST#");
    for (sk, d) in dists {
        invitations += u64::from(st.delete(Table::Core, &invite_pk(&d.id), &invite_sk(email_key)));
        if d.trigger.as_ref().is_some_and(|t| t.contact.email_key == email_key) {
            if let Some(item) = existing(st, Table::Core, &pk, &sk) {
                if let Some(t) = item.get_mut("trigger") {
                    t["contact"] = json!({ "email": "", "email_key": "", "first_name": "", "last_name": "", "fields": {} });
                }
                if item.get("state") == Some(&json!(DistState::Scheduled)) {
                    item.insert("state".into(), json!(DistState::Cancelled));
                    item.insert("finished_at".into(), json!(crate::clock::now()));
                }
            }
            triggered += 1;
        }
    }
    (invitations, triggered)
}

fn upsert<'a>(st: &'a mut State, table: Table, pk: &str, sk: &str) -> &'a mut Map<String, Value> {
    let v = st.items.entry((table, pk.to_string(), sk.to_string())).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    v.as_object_mut().unwrap_or_else(|| unreachable!("just made an object"))
}

/// The item there, to update in place (a conditional update of a missing
/// item fails its condition).
fn existing<'a>(st: &'a mut State, table: Table, pk: &str, sk: &str) -> Option<&'a mut Map<String, Value>> {
    st.items.get_mut(&(table, pk.to_string(), sk.to_string())).and_then(Value::as_object_mut)
}

/// `ADD name :by` on a number attribute (absent: zero).
fn add(item: &mut Map<String, Value>, name: &str, by: i64) {
    let now = item.get(name).and_then(Value::as_i64).unwrap_or(0);
    item.insert(name.to_string(), json!(now + by));
}

fn number(item: &Map<String, Value>, name: &str) -> Option<u64> {
    item.get(name).and_then(Value::as_u64)
}

/// `ADD {counter} :one` on a distribution.
fn count(st: &mut State, project_id: &str, dist_id: &str, counter: &str) {
    add(upsert(st, Table::Core, &project_pk(project_id), &dist_sk(dist_id)), counter, 1);
}

/// One invitation, as stored.
fn invite(st: &State, dist_id: &str, email_key: &str) -> Option<Invite> {
    st.get(Table::Core, &invite_pk(dist_id), &invite_sk(email_key))
}

fn put_invite(st: &mut State, dist_id: &str, invite: &Invite) {
    st.put(Table::Core, &invite_pk(dist_id), &invite_sk(&invite.email_key), invite);
}

/// The counters a settled invitation moves: the distribution's, and for a
/// sent one `invited` in the project's day and its segments' days.
fn count_settled(st: &mut State, project_id: &str, dist_id: &str, outcome: &Outcome, fields: &BTreeMap<String, String>, at: &str) {
    for counter in outcome.counters() {
        count(st, project_id, dist_id, counter);
    }
    if let (Outcome::Sent { .. }, Some(day)) = (outcome, day_of(at)) {
        let one = [("invited".to_string(), 1)];
        super::reports::add_to_bucket(st, project_id, day, None, &one);
        for (dim, value) in field_segments(fields) {
            super::reports::add_to_bucket(st, project_id, day, Some((&dim, &value)), &one);
        }
    }
}

fn link_pk(link_id: &str) -> String {
    format!("LINK#{link_id}")
}

/// A link's hold, as the adapter stores it on the link.
fn hold_of(item: &Map<String, Value>) -> LinkHold {
    let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
    LinkHold {
        attempt: text("claim_attempt").unwrap_or_default(),
        until_ms: number(item, "claim_until").unwrap_or(0),
        unsent: item.get("claim_unsent").and_then(Value::as_bool).unwrap_or(false),
        charged: text("charged_account").zip(text("charged_month")),
    }
}

/// Sends one email: recorded with a fresh message id, or refused like an
/// SES error when its recipient is in `refuse_mail_to`.
pub(super) fn deliver(st: &mut State, email: &OutgoingEmail, tags: &[(&str, &str)]) -> Result<String> {
    if let Some(to) = email.to.iter().find(|to| st.refuse_mail_to.iter().any(|r| r.eq_ignore_ascii_case(to))) {
        return Err(Error::MailRefused {
            failure: crate::domain::mail::SendFailure::Recipient,
            code: "MessageRejected".into(),
            message: format!("the double refuses mail to {to}"),
        });
    }
    if let Some(failure) = st.mail_failures.pop_front() {
        return Err(Error::MailRefused { failure, code: format!("{failure:?}"), message: "injected in the double".into() });
    }
    let message_id = format!("memory-{}", uuid_like());
    let tags = tags.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    st.sent.push(SentEmail { message_id: message_id.clone(), email: email.clone(), tags });
    Ok(message_id)
}

/// A fresh unique id (a link token: 128 random bits).
fn uuid_like() -> String {
    crate::domain::links::new_token()
}

fn enqueue_in<J: Job>(st: &mut State, job: &J) -> Result<String> {
    let body = serde_json::to_value(job).map_err(|e| Error::bad_request(format!("job cannot be encoded: {e}")))?;
    st.queued.push((J::QUEUE, body));
    Ok(format!("memory-{}", uuid_like()))
}

fn create_distribution_in(st: &mut State, d: &Distribution) -> bool {
    let (pk, sk) = (project_pk(&d.project_id), dist_sk(&d.id));
    if st.has(Table::Core, &pk, &sk) {
        return false;
    }
    st.put(Table::Core, &pk, &sk, d);
    true
}

fn schedule_due_in(st: &mut State, at_ms: u64, kind: &str, project_id: &str, distribution_id: &str) {
    st.put(Table::Core, "DUE", &format!("{at_ms:013}#{kind}#{project_id}#{distribution_id}"), &json!({}));
}

impl crate::ports::Distributions for Memory {
    async fn distribution_responses(&self, dist_id: &str) -> Result<u64> {
        let (pk, sk) = crate::store::distributions::responses_key(dist_id);
        Ok(self.lock().get::<u64>(Table::Core, &pk, sk).unwrap_or(0))
    }

    async fn launch_distribution(&self, d: &Distribution, send_at_ms: u64) -> Result<bool> {
        let mut st = self.lock();
        if !create_distribution_in(&mut st, d) {
            return Ok(false);
        }
        if d.state == DistState::Planning {
            enqueue_in(&mut st, &SendJob::Plan { project_id: d.project_id.clone(), distribution_id: d.id.clone(), after: None })?;
        } else {
            schedule_due_in(&mut st, send_at_ms, "start", &d.project_id, &d.id);
        }
        Ok(true)
    }

    async fn create_distribution(&self, d: &Distribution) -> Result<bool> {
        Ok(create_distribution_in(&mut self.lock(), d))
    }

    async fn get_distribution(&self, project_id: &str, id: &str) -> Result<Option<Distribution>> {
        Ok(self.lock().get(Table::Core, &project_pk(project_id), &dist_sk(id)))
    }

    async fn list_distributions(&self, project_id: &str) -> Result<Vec<Distribution>> {
        let mut all: Vec<Distribution> =
            self.lock().query(Table::Core, &project_pk(project_id), "DIST#").into_iter().map(|(_, d)| d).collect();
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(all)
    }

    async fn move_distribution(&self, project_id: &str, id: &str, from: &[DistState], to: DistState, now: &str) -> Result<bool> {
        let mut st = self.lock();
        let Some(item) = existing(&mut st, Table::Core, &project_pk(project_id), &dist_sk(id)) else { return Ok(false) };
        let current = item.get("state").cloned().and_then(|s| serde_json::from_value::<DistState>(s).ok());
        if !current.is_some_and(|s| from.contains(&s)) {
            return Ok(false);
        }
        item.insert("state".into(), json!(to));
        if matches!(to, DistState::Done | DistState::Cancelled) {
            item.insert("finished_at".into(), json!(now));
        }
        Ok(true)
    }

    async fn pause_distribution(&self, project_id: &str, id: &str, reason: &str) -> Result<bool> {
        let mut st = self.lock();
        let Some(item) = existing(&mut st, Table::Core, &project_pk(project_id), &dist_sk(id)) else { return Ok(false) };
        let current = item.get("state").cloned().and_then(|s| serde_json::from_value::<DistState>(s).ok());
        if !matches!(current, Some(DistState::Planning | DistState::Sending)) {
            return Ok(false);
        }
        item.insert("state".into(), json!(DistState::Paused));
        item.insert("pause_reason".into(), json!(reason));
        Ok(true)
    }

    async fn replan_distribution(&self, project_id: &str, id: &str, from: &[DistState]) -> Result<bool> {
        let mut st = self.lock();
        let Some(item) = existing(&mut st, Table::Core, &project_pk(project_id), &dist_sk(id)) else { return Ok(false) };
        let current = item.get("state").cloned().and_then(|s| serde_json::from_value::<DistState>(s).ok());
        if !current.is_some_and(|s| from.contains(&s)) {
            return Ok(false);
        }
        item.insert("state".into(), json!(DistState::Scheduled));
        item.insert("planned".into(), json!(0));
        item.insert("planned_all".into(), json!(false));
        for gone in ["plan_cursor", "pause_reason", "finished_at"] {
            item.remove(gone);
        }
        Ok(true)
    }

    async fn planned_page(&self, project_id: &str, id: &str, after: Option<&str>, next: Option<&str>, count: u64) -> Result<bool> {
        let mut st = self.lock();
        let Some(item) = existing(&mut st, Table::Core, &project_pk(project_id), &dist_sk(id)) else { return Ok(false) };
        let planning = item.get("state") == Some(&json!(DistState::Planning));
        if !planning || item.get("plan_cursor").and_then(Value::as_str) != after {
            return Ok(false);
        }
        match next {
            Some(nx) => {
                item.insert("plan_cursor".into(), json!(nx));
            }
            None => {
                item.insert("planned_all".into(), json!(true));
                item.insert("state".into(), json!(DistState::Sending));
                item.insert("plan_cursor".into(), json!("~end"));
            }
        }
        add(item, "planned", i64::try_from(count).unwrap_or(i64::MAX));
        Ok(true)
    }

    async fn mark_invited(&self, project_id: &str, email_key: &str, dist_id: &str, now_ms: u64, quiet_days: u32) -> Result<bool> {
        let mut st = self.lock();
        let item = upsert(&mut st, Table::Contacts, &project_pk(project_id), &invited_sk(email_key));
        let by_this = item.get("distribution_id").and_then(Value::as_str) == Some(dist_id);
        // The adapter's condition states `in_quiet_period`, except at exactly
        // `quiet_days` after the last invitation: there its `last_ms < cutoff`
        // still holds the contact, where the domain's rule lets it go.
        if quiet_days > 0 && !by_this && in_quiet_period(number(item, "last_ms"), now_ms, quiet_days) {
            return Ok(false);
        }
        item.insert("last_ms".into(), json!(now_ms));
        item.insert("distribution_id".into(), json!(dist_id));
        Ok(true)
    }

    async fn last_invited(&self, project_id: &str, email_keys: &[String]) -> Result<std::collections::HashMap<String, u64>> {
        let st = self.lock();
        let pk = project_pk(project_id);
        Ok(email_keys
            .iter()
            .filter_map(|k| {
                let item: Option<Map<String, Value>> = st.get(Table::Contacts, &pk, &invited_sk(k));
                item.and_then(|i| number(&i, "last_ms")).map(|last| (k.clone(), last))
            })
            .collect())
    }

    async fn take_send_token(&self, window: u64, rate: u32) -> Result<bool> {
        Ok(self.take_send_tokens(window, rate, 1).await? == 1)
    }

    async fn take_send_tokens(&self, window: u64, rate: u32, want: u32) -> Result<u32> {
        let mut st = self.lock();
        let item = upsert(&mut st, Table::Core, "RATE#ses", &format!("WINDOW#{window}"));
        let left = u64::from(rate).saturating_sub(number(item, "sent").unwrap_or(0));
        let got = u64::from(want).min(left);
        if got > 0 {
            add(item, "sent", got as i64);
            item.insert("expires_at".into(), json!(window + 3600));
        }
        Ok(got as u32)
    }

    async fn schedule_due(&self, at_ms: u64, kind: &str, project_id: &str, distribution_id: &str) -> Result<()> {
        schedule_due_in(&mut self.lock(), at_ms, kind, project_id, distribution_id);
        Ok(())
    }

    async fn due(&self, now_ms: u64) -> Result<Vec<Due>> {
        let bound = format!("{now_ms:013}#~");
        let st = self.lock();
        Ok(st
            .keys(Table::Core, "DUE", "")
            .into_iter()
            .take_while(|sk| *sk <= bound)
            .take(100)
            .filter_map(|sk| {
                let mut parts = sk.splitn(4, '#');
                let at_ms = parts.next()?.parse().ok()?;
                let (kind, project_id, distribution_id) = (parts.next()?.to_string(), parts.next()?.to_string(), parts.next()?.to_string());
                Some(Due { sk: sk.clone(), at_ms, kind, project_id, distribution_id })
            })
            .collect())
    }

    async fn done_due(&self, sk: &str) -> Result<()> {
        self.lock().delete(Table::Core, "DUE", sk);
        Ok(())
    }

    async fn unmark_invited(&self, project_id: &str, email_key: &str, dist_id: &str, now_ms: u64) -> Result<()> {
        let mut st = self.lock();
        let (pk, sk) = (project_pk(project_id), invited_sk(email_key));
        let Some(item) = existing(&mut st, Table::Contacts, &pk, &sk) else { return Ok(()) };
        if item.get("distribution_id").and_then(Value::as_str) == Some(dist_id) && number(item, "last_ms") == Some(now_ms) {
            st.delete(Table::Contacts, &pk, &sk);
        }
        Ok(())
    }
}

impl crate::ports::Invitations for Memory {
    async fn get_invite(&self, dist_id: &str, email_key: &str) -> Result<Option<Invite>> {
        Ok(invite(&self.lock(), dist_id, email_key))
    }

    async fn reopen_invite(&self, project_id: &str, dist_id: &str, email_key: &str) -> Result<bool> {
        let mut st = self.lock();
        let Some(open) = invite(&st, dist_id, email_key).and_then(|i| i.reopen()) else { return Ok(false) };
        let failed = st.get::<Value>(Table::Core, &project_pk(project_id), &dist_sk(dist_id)).and_then(|d| d["failed"].as_u64());
        if failed.is_none_or(|n| n == 0) {
            return Ok(false);
        }
        put_invite(&mut st, dist_id, &open);
        add(upsert(&mut st, Table::Core, &project_pk(project_id), &dist_sk(dist_id)), "failed", -1);
        Ok(true)
    }

    async fn invites_of(&self, email_key: &str, dist_ids: &[String]) -> Result<Vec<(String, Invite)>> {
        let st = self.lock();
        Ok(dist_ids
            .iter()
            .filter_map(|d| st.get::<Invite>(Table::Core, &invite_pk(d), &invite_sk(email_key)).map(|i| (d.clone(), i)))
            .collect())
    }

    async fn invites(&self, dist_id: &str, after: Option<&str>, limit: i32) -> Result<(Vec<Invite>, Option<String>)> {
        let st = self.lock();
        let after = after.map(invite_sk);
        let mut rest = st
            .query::<Invite>(Table::Core, &invite_pk(dist_id), "INVITE#")
            .into_iter()
            .filter(|(sk, _)| after.as_ref().is_none_or(|a| sk > a));
        let page: Vec<Invite> = rest.by_ref().take(usize::try_from(limit).unwrap_or(0)).map(|(_, i)| i).collect();
        // as the emulator answers: a next key only when more follow
        let next = match (rest.next(), page.last()) {
            (Some(_), Some(last)) => Some(last.email_key.clone()),
            _ => None,
        };
        Ok((page, next))
    }

    async fn claim_reminder(
        &self,
        project_id: &str,
        dist_id: &str,
        email_key: &str,
        charge_with: Option<&Charge>,
    ) -> Result<ReminderClaim> {
        let mut st = self.lock();
        let Some(found) = invite(&st, dist_id, email_key) else { return Ok(ReminderClaim::Taken) };
        let Some(claimed) = found.claim_reminder(ReminderState::Sending) else { return Ok(ReminderClaim::Taken) };
        let Some(c) = charge_with else {
            put_invite(&mut st, dist_id, &claimed);
            return Ok(ReminderClaim::Claimed);
        };
        if charge(&mut st, c) {
            put_invite(&mut st, dist_id, &claimed);
            return Ok(ReminderClaim::Claimed);
        }
        // the budget is used up: the refusal is counted, and the reminder skipped for good
        count_refusal(&mut st, c);
        let Some(over) = found.claim_reminder(ReminderState::OverBudget) else { return Ok(ReminderClaim::Taken) };
        put_invite(&mut st, dist_id, &over);
        count(&mut st, project_id, dist_id, "reminders_over_budget");
        Ok(ReminderClaim::OverBudget)
    }

    async fn note_message(&self, message_id: &str, project_id: &str, dist_id: &str, _now_ms: u64) -> Result<()> {
        let origin = json!({ "project_id": project_id, "distribution_id": dist_id });
        self.lock().put(Table::Core, &format!("SESMSG#{message_id}"), "SESMSG", &origin);
        Ok(())
    }

    async fn note_messages(&self, message_ids: &[String], project_id: &str, dist_id: &str, now_ms: u64) -> Result<()> {
        for id in message_ids {
            self.note_message(id, project_id, dist_id, now_ms).await?;
        }
        Ok(())
    }

    async fn claim_link(&self, link: &Link, attempt: &str, until_ms: u64, now_ms: u64, never_sent: bool) -> Result<LinkClaim> {
        let mut st = self.lock();
        let pk = link_pk(&link.id);
        let Some(found) = existing(&mut st, Table::Core, &pk, "LINK") else {
            let mut item = serde_json::to_value(link).map_err(|e| Error::Corrupt { key: pk.clone(), source: Box::new(e) })?;
            item["claim_attempt"] = json!(attempt);
            item["claim_until"] = json!(until_ms);
            st.items.insert((Table::Core, pk, "LINK".into()), item);
            return Ok(LinkClaim::Claimed);
        };
        let seen = hold_of(found);
        match decide_hold(Some(&seen), now_ms, never_sent) {
            ClaimOver::Unknown => Ok(LinkClaim::Unknown),
            ClaimOver::Busy | ClaimOver::Settled => Ok(LinkClaim::Busy),
            ClaimOver::Reclaim if seen.attempt.is_empty() => Ok(LinkClaim::Busy),
            ClaimOver::Reclaim => {
                found.insert("claim_attempt".into(), json!(attempt));
                found.insert("claim_until".into(), json!(until_ms));
                found.remove("claim_unsent");
                Ok(LinkClaim::Retaken { charged: if never_sent { None } else { seen.charged } })
            }
        }
    }

    async fn release_link(&self, link_id: &str, attempt: &str) -> Result<bool> {
        let mut st = self.lock();
        let Some(found) = existing(&mut st, Table::Core, &link_pk(link_id), "LINK").filter(|f| f["claim_attempt"] == attempt) else {
            return Ok(false);
        };
        found.insert("claim_unsent".into(), json!(true));
        found.insert("claim_until".into(), json!(0));
        Ok(true)
    }

    async fn drop_link(&self, link_id: &str, attempt: &str) -> Result<()> {
        let mut st = self.lock();
        if existing(&mut st, Table::Core, &link_pk(link_id), "LINK").is_some_and(|f| f["claim_attempt"] == attempt) {
            st.delete(Table::Core, &link_pk(link_id), "LINK");
        }
        Ok(())
    }

    async fn charge_link(&self, link_id: &str, attempt: &str, c: &Charge) -> Result<Charged> {
        let mut st = self.lock();
        let mine = existing(&mut st, Table::Core, &link_pk(link_id), "LINK")
            .is_some_and(|f| f["claim_attempt"] == attempt && f.get("charged_attempt").is_none_or(|a| a != attempt));
        if !mine {
            return Ok(Charged::ItemsRefused(vec![0]));
        }
        if !charge(&mut st, c) {
            count_refusal(&mut st, c);
            return Ok(Charged::OverBudget);
        }
        if let Some(found) = existing(&mut st, Table::Core, &link_pk(link_id), "LINK") {
            found.insert("charged_account".into(), json!(c.account_id));
            found.insert("charged_month".into(), json!(c.month));
            found.insert("charged_attempt".into(), json!(attempt));
        }
        Ok(Charged::Done)
    }

    async fn settle_invites(&self, project_id: &str, dist_id: &str, settles: &[Settle]) -> Result<Vec<bool>> {
        let mut st = self.lock();
        let mut written = Vec::with_capacity(settles.len());
        for one in settles {
            let admitted = one.expect.admits(invite(&st, dist_id, &one.email_key).as_ref());
            if admitted {
                put_invite(&mut st, dist_id, &one.invite());
                count_settled(&mut st, project_id, dist_id, &one.outcome, &one.fields, &one.at);
            }
            written.push(admitted);
        }
        Ok(written)
    }

    async fn invites_at(&self, dist_id: &str, email_keys: &[String]) -> Result<std::collections::HashMap<String, Invite>> {
        let st = self.lock();
        Ok(email_keys.iter().filter_map(|k| invite(&st, dist_id, k).map(|i| (k.clone(), i))).collect())
    }

    async fn message_origin(&self, message_id: &str) -> Result<Option<(String, String)>> {
        let origin: Option<Value> = self.lock().get(Table::Core, &format!("SESMSG#{message_id}"), "SESMSG");
        Ok(origin.and_then(|o| Some((o["project_id"].as_str()?.to_string(), o["distribution_id"].as_str()?.to_string()))))
    }

    async fn reminder_unclaimed(&self, dist_id: &str, email_key: &str) -> Result<bool> {
        let mut st = self.lock();
        let Some(next) = invite(&st, dist_id, email_key).and_then(|i| i.unclaim_reminder()) else { return Ok(false) };
        put_invite(&mut st, dist_id, &next);
        Ok(true)
    }

    async fn settle_reminder(&self, project_id: &str, dist_id: &str, email_key: &str, sent: bool) -> Result<()> {
        let mut st = self.lock();
        let Some(next) = invite(&st, dist_id, email_key).and_then(|i| i.settle_reminder(sent)) else { return Ok(()) };
        put_invite(&mut st, dist_id, &next);
        if sent {
            count(&mut st, project_id, dist_id, "reminders_sent");
        }
        Ok(())
    }
}

impl crate::ports::Mail for Memory {
    async fn send_email(&self, email: &OutgoingEmail) -> Result<String> {
        deliver(&mut self.lock(), email, &[])
    }

    async fn send_tracked(&self, email: &OutgoingEmail, tags: &[(&str, &str)]) -> Result<String> {
        deliver(&mut self.lock(), email, tags)
    }
}

impl Queue for Memory {
    async fn enqueue<J: Job>(&self, job: &J) -> Result<String> {
        enqueue_in(&mut self.lock(), job)
    }

    async fn retry_send_later(&self, receipt_handle: &str, seconds: u32) -> Result<()> {
        self.lock().retried_later.push((receipt_handle.to_string(), seconds));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::Lang;
    use crate::ports::{Distributions, Mail, QueueName};

    fn email(to: &str) -> OutgoingEmail {
        OutgoingEmail { to: vec![to.into()], subject: "Your survey".into(), text: "Hello".into(), html: None, headers: vec![] }
    }

    #[tokio::test]
    async fn mail_is_recorded_with_its_tags_and_a_refused_recipient_fails_like_ses() {
        let m = Memory::for_tests();
        let plain = m.send_email(&email("anna@example.com")).await.unwrap();
        let tracked = m.send_tracked(&email("anna@example.com"), &[("project", "p1")]).await.unwrap();
        assert_ne!(plain, tracked);
        let sent = m.sent();
        assert_eq!(
            sent.iter().map(|s| (s.message_id.clone(), s.tags.clone())).collect::<Vec<_>>(),
            vec![(plain, vec![]), (tracked, vec![("project".to_string(), "p1".to_string())])]
        );
        m.lock().refuse_mail_to.push("bounce@example.com".into());
        let refused = m.send_email(&email("bounce@example.com")).await.unwrap_err();
        assert_eq!(refused.send_failure(), Some(crate::domain::mail::SendFailure::Recipient), "as SES's MessageRejected");
        assert_eq!(m.sent().len(), 2, "nothing recorded");
    }

    #[tokio::test]
    async fn launching_now_puts_one_plan_job_on_the_send_queue() {
        let m = Memory::for_tests();
        let messages =
            BTreeMap::from([(Lang::En, crate::domain::distribution::Message { subject: "Hi".into(), body: "{{SurveyLink}}".into() })]);
        let d = Distribution::to_list("d1".into(), "p1", "l1", messages, None, 1_000, 1_000);
        assert!(m.launch_distribution(&d, 1_000).await.unwrap());
        assert!(!m.launch_distribution(&d, 1_000).await.unwrap());
        let plan = serde_json::to_value(SendJob::Plan { project_id: "p1".into(), distribution_id: "d1".into(), after: None }).unwrap();
        assert_eq!(m.queued(), vec![(QueueName::Send, plan)]);
        assert!(m.due(u64::MAX / 2).await.unwrap().is_empty(), "nothing scheduled");
    }
}
