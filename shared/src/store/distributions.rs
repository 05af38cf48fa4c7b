//! Distributions, their invitations (one per contact, claimed by their
//! personal link before an email and settled once, a message's together),
//! the contact-frequency marks and the global send rate.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `PROJECT#{id}` | `DIST#{distribution id}` | a distribution: messages, state, plan cursor, counters |
//! | core | `DIST#{distribution id}` | `INVITE#{email key}` | one contact's invitation, written once when settled: sent / skipped / failed (`claimed` again when a refusal is reopened) |
//! | core | `LINK#{link id}` | `LINK` | an invitation's link is its claim: `claim_attempt`, `claim_until`, `claim_unsent`, its charge |
//! | core | `DIST#{distribution id}` | `RESPONSES` | `n`: responses through the distribution's links (moved with each response) |
//! | core | `RATE#ses` | `WINDOW#{unix second}` | emails sent in that second, across every Lambda (TTL) |
//! | core | `SESMSG#{message id}` | `SESMSG` | the project and distribution of an email SES accepted (TTL) |
//! | contacts | `PROJECT#{id}` | `INVITED#{email key}` | when the contact was last invited, and by which distribution |
//!
//! An invitation of a budgeted project is charged to the account between
//! its claim and its email (the charge set on its link in the charge's
//! transaction), and a reminder with its claim; see [`super::budgets`].

use futures_util::StreamExt;
use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, PutRequest, TransactWriteItem, Update, WriteRequest};
use serde::{Deserialize, Serialize};

use crate::domain::budget::ItemRefusal;
use crate::domain::distribution::DistState;
use crate::domain::invitation::{decide_hold, ClaimOver, Expect, InviteState, LinkClaim, LinkHold, ReminderState, Settle};
pub use crate::domain::invitation::{Invite, Outcome, ReminderClaim};
use crate::domain::links::Link;
use crate::{Error, Result};

use super::budgets::{Charge, Charged};
use super::{applied, condition_failed, from_item, n, s, to_item, tx_condition_failed, Item};
#[allow(unused_imports)]
use crate::ports::*;

pub use crate::domain::distribution::{Distribution, Due, Triggered};

/// The key of a distribution's responses counter.
pub(crate) fn responses_key(dist_id: &str) -> (String, &'static str) {
    (format!("DIST#{dist_id}"), "RESPONSES")
}

#[derive(Serialize, Deserialize)]
struct DistItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    d: Distribution,
}

/// How long the origin of an accepted email is kept (SES feedback in its
/// classic form names only the message): 60 days.
const MESSAGE_KEPT_S: u64 = 60 * 86_400;

fn dist_key(project_id: &str, id: &str) -> Item {
    Item::from([("pk".to_string(), s(format!("PROJECT#{project_id}"))), ("sk".to_string(), s(format!("DIST#{id}")))])
}

/// The contact-frequency mark of a contact.
fn invited_key(project_id: &str, email_key: &str) -> Item {
    Item::from([("pk".to_string(), s(format!("PROJECT#{project_id}"))), ("sk".to_string(), s(format!("INVITED#{email_key}")))])
}

fn invite_key(dist_id: &str, email_key: &str) -> Item {
    Item::from([("pk".to_string(), s(format!("DIST#{dist_id}"))), ("sk".to_string(), s(format!("INVITE#{email_key}")))])
}

/// An invitation's state as stored (its serde name).
fn state(st: InviteState) -> AttributeValue {
    s(st.as_str())
}

fn reminder_state(st: ReminderState) -> AttributeValue {
    s(st.as_str())
}

fn dynamo_state(state: DistState) -> AttributeValue {
    serde_dynamo::to_attribute_value(state).unwrap_or(AttributeValue::Null(true))
}

impl super::Aws {
    /// Writes an invitation (`put`, with its condition) and moves the
    /// distribution's `counter` by `by` (never below zero), in one
    /// transaction; false if a condition refused it.
    async fn put_invite_counted(&self, put: Put, project_id: &str, dist_id: &str, counter: &str, by: i64) -> Result<bool> {
        let build = |e| Error::aws("TransactWriteItems (build)")(e);
        let mut update = Update::builder()
            .table_name(&self.config.core_table)
            .set_key(Some(dist_key(project_id, dist_id)))
            .update_expression("ADD #c :by")
            .expression_attribute_names("#c", counter)
            .expression_attribute_values(":by", AttributeValue::N(by.to_string()));
        if by < 0 {
            update = update.condition_expression("#c >= :least").expression_attribute_values(":least", n(by.unsigned_abs()));
        }
        let out = self
            .dynamodb
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .transact_items(TransactWriteItem::builder().update(update.build().map_err(build)?).build())
            .send()
            .await;
        match out {
            Ok(_) => Ok(true),
            Err(e) if tx_condition_failed(&e) => Ok(false),
            Err(e) => Err(Error::aws("TransactWriteItems")(e)),
        }
    }

    /// The sending half of an erasure: the person's invitation record in
    /// every distribution and their contact-frequency mark deleted (their
    /// keys hold the address); a triggered send's snapshot of them blanked,
    /// and the send cancelled if it had not started. Returns (records
    /// deleted, triggered sends blanked).
    pub(crate) async fn erase_from_sending(&self, project_id: &str, email_key: &str) -> Result<(u64, u64)> {
        let mut invitations = u64::from(
            self.delete_existing(&self.config.contacts_table, &format!("PROJECT#{project_id}"), &format!("INVITED#{email_key}")).await?,
        );
        let mut triggered = 0;
        // A triggered send has exactly one contact: only the person's own
        // can hold their invitation, so the many triggered sends of a busy
        // project are not each asked. The rest are asked a few at once,
        // which keeps a project of thousands of distributions well inside
        // the API's time limit.
        let distributions = self.list_distributions(project_id).await?;
        let asked: Vec<&Distribution> =
            distributions.iter().filter(|d| d.trigger.as_ref().is_none_or(|t| t.contact.email_key == email_key)).collect();
        let invite_sk = format!("INVITE#{email_key}");
        let mut deletes = Vec::with_capacity(asked.len());
        for d in &asked {
            let (pk, sk) = (format!("DIST#{}", d.id), &invite_sk);
            deletes.push(async move { self.delete_existing(&self.config.core_table, &pk, sk).await });
        }
        let found: Vec<bool> = futures_util::stream::iter(deletes)
            .buffer_unordered(ERASE_CONCURRENCY)
            .collect::<Vec<Result<bool>>>()
            .await
            .into_iter()
            .collect::<Result<_>>()?;
        invitations += found.into_iter().filter(|f| *f).count() as u64;
        for d in asked {
            if d.trigger.as_ref().is_some_and(|t| t.contact.email_key == email_key) {
                let blank = serde_dynamo::to_attribute_value(crate::domain::jobs::InviteContact {
                    email: String::new(),
                    email_key: String::new(),
                    first_name: String::new(),
                    last_name: String::new(),
                    fields: BTreeMap::new(),
                    language: None,
                })
                .map_err(|e| Error::Corrupt { key: format!("DIST#{}", d.id), source: Box::new(e) })?;
                self.dynamodb
                    .update_item()
                    .table_name(&self.config.core_table)
                    .set_key(Some(dist_key(project_id, &d.id)))
                    .update_expression("SET #t.contact = :blank")
                    .expression_attribute_names("#t", "trigger")
                    .expression_attribute_values(":blank", blank)
                    .send()
                    .await
                    .map_err(Error::aws("UpdateItem"))?;
                self.move_distribution(project_id, &d.id, &[DistState::Scheduled], DistState::Cancelled, &crate::clock::now()).await?;
                triggered += 1;
            }
        }
        Ok((invitations, triggered))
    }

    /// `set` on the core-table item `key` if its `state` is one of `from`
    /// (`values` name the expression's other values); whether it applied.
    async fn set_if_state(&self, key: Item, from: &[AttributeValue], set: &str, values: Vec<(&str, AttributeValue)>) -> Result<bool> {
        let names: Vec<String> = (0..from.len()).map(|i| format!(":from{i}")).collect();
        let mut req = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(key))
            .update_expression(set)
            .condition_expression(format!("#state IN ({})", names.join(", ")))
            .expression_attribute_names("#state", "state");
        for (name, value) in names.iter().zip(from) {
            req = req.expression_attribute_values(name, value.clone());
        }
        for (name, value) in values {
            req = req.expression_attribute_values(name, value);
        }
        applied(req.send().await, "UpdateItem")
    }
}

/// How many distributions an erasure asks at once for the person's invitation.
const ERASE_CONCURRENCY: usize = 16;

impl crate::ports::Distributions for super::Aws {
    async fn distribution_responses(&self, dist_id: &str) -> Result<u64> {
        let (pk, sk) = responses_key(dist_id);
        let item = self.get_item(&self.config.core_table, &pk, sk).await?;
        Ok(item.and_then(|i| i.get("n").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok())).unwrap_or(0))
    }

    /// Creates a list's distribution (once: false if it exists) and starts
    /// it: its first plan message now, or the schedule at `send_at_ms`.
    async fn launch_distribution(&self, d: &Distribution, send_at_ms: u64) -> Result<bool> {
        if !self.create_distribution(d).await? {
            return Ok(false);
        }
        if d.state == DistState::Planning {
            let job = crate::domain::jobs::SendJob::Plan { project_id: d.project_id.clone(), distribution_id: d.id.clone(), after: None };
            self.enqueue(&job).await?;
        } else {
            self.schedule_due(send_at_ms, "start", &d.project_id, &d.id).await?;
        }
        Ok(true)
    }

    async fn create_distribution(&self, d: &Distribution) -> Result<bool> {
        let item = to_item(&DistItem { pk: format!("PROJECT#{}", d.project_id), sk: format!("DIST#{}", d.id), d: d.clone() })?;
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        applied(out, "PutItem")
    }

    async fn get_distribution(&self, project_id: &str, id: &str) -> Result<Option<Distribution>> {
        let item = self.get_item(&self.config.core_table, &format!("PROJECT#{project_id}"), &format!("DIST#{id}")).await?;
        item.map(|i| from_item::<DistItem>(i, "DIST").map(|d| d.d)).transpose()
    }

    async fn list_distributions(&self, project_id: &str) -> Result<Vec<Distribution>> {
        let items = self.query_all(&self.config.core_table, &format!("PROJECT#{project_id}"), "DIST#").await?;
        let mut all = items.into_iter().map(|i| from_item::<DistItem>(i, "DIST").map(|d| d.d)).collect::<Result<Vec<_>>>()?;
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(all)
    }

    /// Moves a distribution from one state to another; false if it was
    /// not in `from` (nothing changed).
    async fn move_distribution(&self, project_id: &str, id: &str, from: &[DistState], to: DistState, now: &str) -> Result<bool> {
        let from: Vec<AttributeValue> = from.iter().map(|f| dynamo_state(*f)).collect();
        let key = dist_key(project_id, id);
        if matches!(to, DistState::Done | DistState::Cancelled) {
            self.set_if_state(key, &from, "SET #state = :to, finished_at = :now", vec![(":to", dynamo_state(to)), (":now", s(now))]).await
        } else {
            self.set_if_state(key, &from, "SET #state = :to", vec![(":to", dynamo_state(to))]).await
        }
    }

    async fn pause_distribution(&self, project_id: &str, id: &str, reason: &str) -> Result<bool> {
        let from = [dynamo_state(DistState::Planning), dynamo_state(DistState::Sending)];
        let values = vec![(":to", dynamo_state(DistState::Paused)), (":reason", s(reason))];
        self.set_if_state(dist_key(project_id, id), &from, "SET #state = :to, pause_reason = :reason", values).await
    }

    async fn replan_distribution(&self, project_id: &str, id: &str, from: &[DistState]) -> Result<bool> {
        let from: Vec<AttributeValue> = from.iter().map(|f| dynamo_state(*f)).collect();
        let set = "SET #state = :to, planned = :zero, planned_all = :no REMOVE plan_cursor, pause_reason, finished_at";
        let values = vec![(":to", dynamo_state(DistState::Scheduled)), (":zero", n(0)), (":no", AttributeValue::Bool(false))];
        self.set_if_state(dist_key(project_id, id), &from, set, values).await
    }

    /// Records a planned page: the cursor moves from `after` to `next`
    /// (only if it still stands at `after`, so a repeated page is counted
    /// once) and `planned` grows by `count`. False if the page was planned before.
    async fn planned_page(&self, project_id: &str, id: &str, after: Option<&str>, next: Option<&str>, count: u64) -> Result<bool> {
        let mut req = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(dist_key(project_id, id)))
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":planning", dynamo_state(DistState::Planning))
            .expression_attribute_values(":n", n(count));
        req = match after {
            Some(a) => req.condition_expression("#state = :planning AND plan_cursor = :after").expression_attribute_values(":after", s(a)),
            None => req.condition_expression("#state = :planning AND attribute_not_exists(plan_cursor)"),
        };
        req = match next {
            Some(nx) => req.update_expression("SET plan_cursor = :next ADD planned :n").expression_attribute_values(":next", s(nx)),
            None => req
                .update_expression("SET planned_all = :yes, #state = :sending, plan_cursor = :end ADD planned :n")
                .expression_attribute_values(":yes", AttributeValue::Bool(true))
                .expression_attribute_values(":sending", dynamo_state(DistState::Sending))
                .expression_attribute_values(":end", s("~end")),
        };
        match req.send().await {
            Ok(_) => Ok(true),
            Err(e) if condition_failed(&e) => Ok(false),
            Err(e) => Err(Error::aws("UpdateItem")(e)),
        }
    }

    /// Marks the contact invited now by `dist_id`, unless another
    /// distribution invited it within the quiet period (false then).
    async fn mark_invited(&self, project_id: &str, email_key: &str, dist_id: &str, now_ms: u64, quiet_days: u32) -> Result<bool> {
        let cutoff = now_ms.saturating_sub(u64::from(quiet_days) * 86_400_000);
        let mut req = self
            .dynamodb
            .update_item()
            .table_name(&self.config.contacts_table)
            .set_key(Some(invited_key(project_id, email_key)))
            .update_expression("SET last_ms = :now, distribution_id = :d")
            .expression_attribute_values(":now", n(now_ms))
            .expression_attribute_values(":d", s(dist_id));
        if quiet_days > 0 {
            req = req
                .condition_expression("attribute_not_exists(last_ms) OR last_ms <= :cutoff OR distribution_id = :d")
                .expression_attribute_values(":cutoff", n(cutoff));
        }
        match req.send().await {
            Ok(_) => Ok(true),
            Err(e) if condition_failed(&e) => Ok(false),
            Err(e) => Err(Error::aws("UpdateItem")(e)),
        }
    }

    async fn last_invited(&self, project_id: &str, email_keys: &[String]) -> Result<std::collections::HashMap<String, u64>> {
        let keys: Vec<Item> = email_keys.iter().map(|k| invited_key(project_id, k)).collect();
        let mut found = std::collections::HashMap::new();
        for item in self.batch_get(&self.config.contacts_table, keys).await? {
            let key = item.get("sk").and_then(|v| v.as_s().ok()).and_then(|sk| sk.strip_prefix("INVITED#")).map(str::to_string);
            let last = item.get("last_ms").and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<u64>().ok());
            if let (Some(key), Some(last)) = (key, last) {
                found.insert(key, last);
            }
        }
        Ok(found)
    }

    /// Takes one send from the global per-second budget of `rate` emails;
    /// false when this second's budget is spent (wait for the next).
    async fn take_send_token(&self, window: u64, rate: u32) -> Result<bool> {
        Ok(self.take_send_tokens(window, rate, 1).await? == 1)
    }

    async fn take_send_tokens(&self, window: u64, rate: u32, want: u32) -> Result<u32> {
        let mut want = want.min(rate);
        while want > 0 {
            let out = self
                .dynamodb
                .update_item()
                .table_name(&self.config.core_table)
                .key("pk", s("RATE#ses"))
                .key("sk", s(format!("WINDOW#{window}")))
                .update_expression("ADD sent :k SET expires_at = :ttl")
                .condition_expression("attribute_not_exists(sent) OR sent <= :most")
                .expression_attribute_values(":k", n(want.into()))
                .expression_attribute_values(":most", n(u64::from(rate - want)))
                .expression_attribute_values(":ttl", n(window + 3600))
                .send()
                .await;
            if applied(out, "UpdateItem")? {
                return Ok(want);
            }
            if want == 1 {
                // the second's budget is spent
                return Ok(0);
            }
            // fewer are left: read how many, and take those
            let item = self.get_item(&self.config.core_table, "RATE#ses", &format!("WINDOW#{window}")).await?;
            let taken: u64 = item.and_then(|i| i.get("sent").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok())).unwrap_or(0);
            want = want.min(u32::try_from(u64::from(rate).saturating_sub(taken)).unwrap_or(0));
        }
        Ok(0)
    }

    /// Puts work on the schedule's list, due at `at_ms`.
    async fn schedule_due(&self, at_ms: u64, kind: &str, project_id: &str, distribution_id: &str) -> Result<()> {
        self.dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .item("pk", s("DUE"))
            .item("sk", s(format!("{at_ms:013}#{kind}#{project_id}#{distribution_id}")))
            .send()
            .await
            .map_err(Error::aws("PutItem"))?;
        Ok(())
    }

    /// Work due at or before `now_ms`, oldest first (at most 100 a call).
    async fn due(&self, now_ms: u64) -> Result<Vec<Due>> {
        let out = self
            .dynamodb
            .query()
            .table_name(&self.config.core_table)
            .key_condition_expression("pk = :due AND sk <= :now")
            .expression_attribute_values(":due", s("DUE"))
            .expression_attribute_values(":now", s(format!("{now_ms:013}#~")))
            .limit(100)
            .send()
            .await
            .map_err(Error::aws("Query"))?;
        Ok(out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(super::sort_key)
            .filter_map(|sk| {
                let mut parts = sk.splitn(4, '#');
                let at_ms = parts.next()?.parse().ok()?;
                Some(Due {
                    sk: sk.to_string(),
                    at_ms,
                    kind: parts.next()?.to_string(),
                    project_id: parts.next()?.to_string(),
                    distribution_id: parts.next()?.to_string(),
                })
            })
            .collect())
    }

    /// Takes handled work off the schedule's list.
    async fn done_due(&self, sk: &str) -> Result<()> {
        self.dynamodb
            .delete_item()
            .table_name(&self.config.core_table)
            .key("pk", s("DUE"))
            .key("sk", s(sk))
            .send()
            .await
            .map_err(Error::aws("DeleteItem"))?;
        Ok(())
    }

    /// Takes back the contact-frequency mark this invitation set at
    /// `now_ms` (it was not sent after all: the budget was used up).
    async fn unmark_invited(&self, project_id: &str, email_key: &str, dist_id: &str, now_ms: u64) -> Result<()> {
        let out = self
            .dynamodb
            .delete_item()
            .table_name(&self.config.contacts_table)
            .set_key(Some(invited_key(project_id, email_key)))
            .condition_expression("distribution_id = :d AND last_ms = :now")
            .expression_attribute_values(":d", s(dist_id))
            .expression_attribute_values(":now", n(now_ms))
            .send()
            .await;
        applied(out, "DeleteItem")?;
        Ok(())
    }
}

impl crate::ports::Invitations for super::Aws {
    /// One invitation, as stored.
    async fn get_invite(&self, dist_id: &str, email_key: &str) -> Result<Option<Invite>> {
        let item = self.get_item(&self.config.core_table, &format!("DIST#{dist_id}"), &format!("INVITE#{email_key}")).await?;
        item.map(|i| from_item::<Invite>(i, "INVITE")).transpose()
    }

    async fn reopen_invite(&self, project_id: &str, dist_id: &str, email_key: &str) -> Result<bool> {
        // the rule is the domain's: read, decide, write on condition of what was read
        let Some(existing) = self.get_invite(dist_id, email_key).await? else { return Ok(false) };
        let Some(open) = existing.reopen() else { return Ok(false) };
        let mut item = to_item(&open)?;
        item.extend(invite_key(dist_id, email_key));
        let put = Put::builder()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("#state = :failed AND reason = :reason")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":failed", state(InviteState::Failed))
            .expression_attribute_values(":reason", s(existing.reason.clone().unwrap_or_default()))
            .build()
            .map_err(Error::aws("TransactWriteItems (build)"))?;
        self.put_invite_counted(put, project_id, dist_id, "failed", -1).await
    }

    /// A page of a distribution's invitations (after the email key `after`).
    async fn invites(&self, dist_id: &str, after: Option<&str>, limit: i32) -> Result<(Vec<Invite>, Option<String>)> {
        let after = after.map(|a| format!("INVITE#{a}"));
        let (items, next) =
            self.query_page(&self.config.core_table, &format!("DIST#{dist_id}"), "INVITE#", after.as_deref(), Some(limit)).await?;
        let invites = items.into_iter().map(|i| from_item::<Invite>(i, "INVITE")).collect::<Result<Vec<_>>>()?;
        Ok((invites, next.and_then(|sk| sk.strip_prefix("INVITE#").map(str::to_string))))
    }

    async fn invites_of(&self, email_key: &str, dist_ids: &[String]) -> Result<Vec<(String, Invite)>> {
        let keys: Vec<Item> = dist_ids.iter().map(|d| invite_key(d, email_key)).collect();
        let mut found = Vec::new();
        for item in self.batch_get(&self.config.core_table, keys).await? {
            let dist = item.get("pk").and_then(|v| v.as_s().ok()).and_then(|pk| pk.strip_prefix("DIST#")).map(str::to_string);
            if let Some(dist) = dist {
                found.push((dist, from_item::<Invite>(item, "INVITE")?));
            }
        }
        // in the order asked
        found.sort_by_key(|(d, _)| dist_ids.iter().position(|x| x == d));
        Ok(found)
    }

    /// Claims an invitation's reminder, once; for a budgeted project the
    /// claim and the reminder's charge are one transaction, and an exhausted
    /// budget skips the reminder for good (counted on the distribution).
    async fn claim_reminder(&self, project_id: &str, dist_id: &str, email_key: &str, charge: Option<&Charge>) -> Result<ReminderClaim> {
        let claim = |to: ReminderState| {
            Update::builder()
                .table_name(&self.config.core_table)
                .set_key(Some(invite_key(dist_id, email_key)))
                .update_expression("SET reminder = :to")
                .condition_expression("#state = :sent AND attribute_not_exists(reminder)")
                .expression_attribute_names("#state", "state")
                .expression_attribute_values(":sent", state(InviteState::Sent))
                .expression_attribute_values(":to", reminder_state(to))
                .build()
                .map_err(Error::aws("UpdateItem (build)"))
        };
        let Some(c) = charge else {
            // not budgeted: the claim alone
            let out = self
                .dynamodb
                .transact_write_items()
                .transact_items(TransactWriteItem::builder().update(claim(ReminderState::Sending)?).build())
                .send()
                .await;
            return match out {
                Ok(_) => Ok(ReminderClaim::Claimed),
                Err(e) if tx_condition_failed(&e) => Ok(ReminderClaim::Taken),
                Err(e) => Err(Error::aws("TransactWriteItems")(e)),
            };
        };
        match self.write_charged(c, vec![TransactWriteItem::builder().update(claim(ReminderState::Sending)?).build()]).await? {
            Charged::Done => Ok(ReminderClaim::Claimed),
            Charged::ItemsRefused(_) => Ok(ReminderClaim::Taken),
            Charged::OverBudget => {
                let counter = Update::builder()
                    .table_name(&self.config.core_table)
                    .set_key(Some(dist_key(project_id, dist_id)))
                    .update_expression("ADD reminders_over_budget :one")
                    .expression_attribute_values(":one", n(1))
                    .build()
                    .map_err(Error::aws("TransactWriteItems (build)"))?;
                let out = self
                    .dynamodb
                    .transact_write_items()
                    .transact_items(TransactWriteItem::builder().update(claim(ReminderState::OverBudget)?).build())
                    .transact_items(TransactWriteItem::builder().update(counter).build())
                    .send()
                    .await;
                match out {
                    Ok(_) => Ok(ReminderClaim::OverBudget),
                    Err(e) if tx_condition_failed(&e) => Ok(ReminderClaim::Taken),
                    Err(e) => Err(Error::aws("TransactWriteItems")(e)),
                }
            }
        }
    }

    /// Settles a claimed reminder (`sent` moves the distribution's
    /// `reminders_sent` with it; `skipped` does not).
    async fn note_message(&self, message_id: &str, project_id: &str, dist_id: &str, now_ms: u64) -> Result<()> {
        self.dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .item("pk", s(format!("SESMSG#{message_id}")))
            .item("sk", s("SESMSG"))
            .item("project_id", s(project_id))
            .item("distribution_id", s(dist_id))
            .item("expires_at", n(now_ms / 1000 + MESSAGE_KEPT_S))
            .send()
            .await
            .map_err(Error::aws("PutItem"))?;
        Ok(())
    }

    async fn note_messages(&self, message_ids: &[String], project_id: &str, dist_id: &str, now_ms: u64) -> Result<()> {
        let mut requests = Vec::new();
        for id in message_ids {
            let item = Item::from([
                ("pk".to_string(), s(format!("SESMSG#{id}"))),
                ("sk".to_string(), s("SESMSG")),
                ("project_id".to_string(), s(project_id)),
                ("distribution_id".to_string(), s(dist_id)),
                ("expires_at".to_string(), n(now_ms / 1000 + MESSAGE_KEPT_S)),
            ]);
            let put = PutRequest::builder().set_item(Some(item)).build().map_err(Error::aws("BatchWriteItem (put)"))?;
            requests.push(WriteRequest::builder().put_request(put).build());
        }
        for chunk in requests.chunks(25) {
            self.batch_write(&self.config.core_table, chunk.to_vec()).await?;
        }
        Ok(())
    }

    async fn claim_link(&self, link: &Link, attempt: &str, until_ms: u64, now_ms: u64, never_sent: bool) -> Result<LinkClaim> {
        let mut item = super::surveys::link_item(link)?;
        item.insert("claim_attempt".into(), s(attempt));
        item.insert("claim_until".into(), n(until_ms));
        let table = &self.config.core_table;
        let out =
            self.dynamodb.put_item().table_name(table).set_item(Some(item)).condition_expression("attribute_not_exists(pk)").send().await;
        if applied(out, "PutItem")? {
            return Ok(LinkClaim::Claimed);
        }
        let found = self.get_item(table, &super::surveys::link_pk(&link.id), "LINK").await?.map(|i| hold_of(&i));
        match decide_hold(found.as_ref(), now_ms, never_sent) {
            ClaimOver::Unknown => Ok(LinkClaim::Unknown),
            ClaimOver::Busy | ClaimOver::Settled => Ok(LinkClaim::Busy),
            ClaimOver::Reclaim => {
                let Some(seen) = found else { return Ok(LinkClaim::Busy) };
                // taken over only as it was read: one attempt wins
                if seen.attempt.is_empty() {
                    return Ok(LinkClaim::Busy);
                }
                let req = self
                    .dynamodb
                    .update_item()
                    .table_name(table)
                    .key("pk", s(super::surveys::link_pk(&link.id)))
                    .key("sk", s("LINK"))
                    .update_expression("SET claim_attempt = :me, claim_until = :until REMOVE claim_unsent")
                    .condition_expression("claim_attempt = :seen AND claim_until = :seen_until")
                    .expression_attribute_values(":me", s(attempt))
                    .expression_attribute_values(":until", n(until_ms))
                    .expression_attribute_values(":seen", s(&seen.attempt))
                    .expression_attribute_values(":seen_until", n(seen.until_ms));
                // a reopened invitation's refusal gave its charge back
                let charged = if never_sent { None } else { seen.charged };
                Ok(if applied(req.send().await, "UpdateItem")? { LinkClaim::Retaken { charged } } else { LinkClaim::Busy })
            }
        }
    }

    async fn release_link(&self, link_id: &str, attempt: &str) -> Result<bool> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(super::surveys::link_pk(link_id)))
            .key("sk", s("LINK"))
            .update_expression("SET claim_unsent = :yes, claim_until = :zero")
            .condition_expression("claim_attempt = :me")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":me", s(attempt))
            .send()
            .await;
        applied(out, "UpdateItem")
    }

    async fn drop_link(&self, link_id: &str, attempt: &str) -> Result<()> {
        let out = self
            .dynamodb
            .delete_item()
            .table_name(&self.config.core_table)
            .key("pk", s(super::surveys::link_pk(link_id)))
            .key("sk", s("LINK"))
            .condition_expression("claim_attempt = :me")
            .expression_attribute_values(":me", s(attempt))
            .send()
            .await;
        applied(out, "DeleteItem")?;
        Ok(())
    }

    async fn charge_link(&self, link_id: &str, attempt: &str, c: &Charge) -> Result<Charged> {
        let mark = Update::builder()
            .table_name(&self.config.core_table)
            .key("pk", s(super::surveys::link_pk(link_id)))
            .key("sk", s("LINK"))
            .update_expression("SET charged_account = :a, charged_month = :m, charged_attempt = :me")
            .condition_expression("claim_attempt = :me AND (attribute_not_exists(charged_attempt) OR charged_attempt <> :me)")
            .expression_attribute_values(":me", s(attempt))
            .expression_attribute_values(":a", s(&c.account_id))
            .expression_attribute_values(":m", s(&c.month))
            .build()
            .map_err(Error::aws("TransactWriteItems (build)"))?;
        self.write_charged(c, vec![TransactWriteItem::builder().update(mark).build()]).await
    }

    async fn settle_invites(&self, project_id: &str, dist_id: &str, settles: &[Settle]) -> Result<Vec<bool>> {
        let mut written = vec![false; settles.len()];
        for chunk in settle_chunks(settles) {
            let mut live = chunk;
            let mut attempt = 0u32;
            while !live.is_empty() {
                let items = self.settle_items(project_id, dist_id, settles, &live)?;
                let e = match self.dynamodb.transact_write_items().set_transact_items(Some(items)).send().await {
                    Ok(_) => {
                        for &i in &live {
                            written[i] = true;
                        }
                        break;
                    }
                    Err(e) => e,
                };
                let Some(refusals) = super::budgets::cancellation_codes(&e) else { return Err(Error::aws("TransactWriteItems")(e)) };
                // the ledger entries come first, in `live`'s order
                let settled_elsewhere: Vec<usize> = live
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| refusals.get(*k) == Some(&ItemRefusal::ConditionFailed))
                    .map(|(_, &i)| i)
                    .collect();
                if !settled_elsewhere.is_empty() {
                    live.retain(|i| !settled_elsewhere.contains(i));
                    continue;
                }
                if refusals.contains(&ItemRefusal::Conflict) && attempt < 8 {
                    attempt += 1;
                    let step = 25 * u64::from(attempt);
                    tokio::time::sleep(std::time::Duration::from_millis(step + fastrand::u64(0..step))).await;
                    continue;
                }
                return Err(Error::aws("TransactWriteItems")(e));
            }
        }
        Ok(written)
    }

    async fn invites_at(&self, dist_id: &str, email_keys: &[String]) -> Result<std::collections::HashMap<String, Invite>> {
        let keys: Vec<Item> = email_keys.iter().map(|k| invite_key(dist_id, k)).collect();
        let mut found = std::collections::HashMap::new();
        for item in self.batch_get(&self.config.core_table, keys).await? {
            let invite = from_item::<Invite>(item, "INVITE")?;
            found.insert(invite.email_key.clone(), invite);
        }
        Ok(found)
    }

    async fn message_origin(&self, message_id: &str) -> Result<Option<(String, String)>> {
        let item = self.get_item(&self.config.core_table, &format!("SESMSG#{message_id}"), "SESMSG").await?;
        let text = |i: &Item, k: &str| i.get(k).and_then(|v| v.as_s().ok()).cloned();
        Ok(item.and_then(|i| text(&i, "project_id").zip(text(&i, "distribution_id"))))
    }

    async fn reminder_unclaimed(&self, dist_id: &str, email_key: &str) -> Result<bool> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(invite_key(dist_id, email_key)))
            .update_expression("REMOVE reminder")
            .condition_expression("reminder = :sending")
            .expression_attribute_values(":sending", reminder_state(ReminderState::Sending))
            .send()
            .await;
        applied(out, "UpdateItem")
    }

    async fn settle_reminder(&self, project_id: &str, dist_id: &str, email_key: &str, sent: bool) -> Result<()> {
        let build = |e| Error::aws("TransactWriteItems (build)")(e);
        let invite = Update::builder()
            .table_name(&self.config.core_table)
            .set_key(Some(invite_key(dist_id, email_key)))
            .update_expression("SET reminder = :to")
            .condition_expression("reminder = :sending")
            .expression_attribute_values(":sending", reminder_state(ReminderState::Sending))
            .expression_attribute_values(":to", reminder_state(if sent { ReminderState::Sent } else { ReminderState::Skipped }))
            .build()
            .map_err(build)?;
        let mut tx = self.dynamodb.transact_write_items().transact_items(TransactWriteItem::builder().update(invite).build());
        if sent {
            let counter = Update::builder()
                .table_name(&self.config.core_table)
                .set_key(Some(dist_key(project_id, dist_id)))
                .update_expression("ADD reminders_sent :one")
                .expression_attribute_values(":one", n(1))
                .build()
                .map_err(build)?;
            tx = tx.transact_items(TransactWriteItem::builder().update(counter).build());
        }
        match tx.send().await {
            Ok(_) => Ok(()),
            Err(e) if tx_condition_failed(&e) => Ok(()),
            Err(e) => Err(Error::aws("TransactWriteItems")(e)),
        }
    }
}

/// The ids of the links a contact's invitations have in a project's
/// distributions: derived, not indexed
/// ([`crate::domain::guard::invitation_token`]), so erasure and the
/// contact's page find them (those that exist) without a write per invitation.
pub async fn invitation_link_ids<S: crate::ports::Distributions + crate::ports::Guard>(
    store: &S,
    project_id: &str,
    email_key: &str,
) -> Result<Vec<String>> {
    use crate::domain::guard::{invitation_link_id, LINK_KEY};
    let key = store.secret(LINK_KEY).await?;
    let dists = store.list_distributions(project_id).await?;
    Ok(dists.iter().map(|d| invitation_link_id(key.as_slice(), &d.id, email_key)).collect())
}

/// A link's hold, as stored on it ([`LinkHold`]).
fn hold_of(item: &Item) -> LinkHold {
    let text = |k: &str| item.get(k).and_then(|v| v.as_s().ok()).cloned();
    LinkHold {
        attempt: text("claim_attempt").unwrap_or_default(),
        until_ms: item.get("claim_until").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok()).unwrap_or(0),
        unsent: item.get("claim_unsent").and_then(|v| v.as_bool().ok()).copied().unwrap_or(false),
        charged: text("charged_account").zip(text("charged_month")),
    }
}

/// DynamoDB's limit of items in one transaction.
const TRANSACTION_ITEMS: usize = 100;

/// `settles` cut into runs whose transaction stays within
/// [`TRANSACTION_ITEMS`]: their entries, the distribution's counters and
/// each day or segment bucket their sent invitations touch.
fn settle_chunks(settles: &[Settle]) -> Vec<Vec<usize>> {
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let (mut chunk, mut buckets) = (Vec::new(), std::collections::BTreeSet::new());
    for (i, st) in settles.iter().enumerate() {
        let mut mine = std::collections::BTreeSet::new();
        if let (Outcome::Sent { .. }, Some(day)) = (&st.outcome, crate::domain::report::day_of(&st.at)) {
            mine.insert((day, None));
            for (dim, value) in crate::domain::report::field_segments(&st.fields) {
                mine.insert((day, Some((dim, value))));
            }
        }
        let together = buckets.union(&mine).count();
        if !chunk.is_empty() && chunk.len() + 1 + 1 + together > TRANSACTION_ITEMS {
            chunks.push(std::mem::take(&mut chunk));
            buckets.clear();
        }
        chunk.push(i);
        buckets.extend(mine);
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
}

impl super::Aws {
    /// One settling transaction's items: the ledger entries of `live` (in
    /// that order, each on its condition), then the distribution's counters
    /// and the buckets, by the sums of those entries.
    fn settle_items(&self, project_id: &str, dist_id: &str, settles: &[Settle], live: &[usize]) -> Result<Vec<TransactWriteItem>> {
        let build = |e| Error::aws("TransactWriteItems (build)")(e);
        let mut items = Vec::new();
        let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut sent = Vec::new();
        for &i in live {
            let st = &settles[i];
            let mut item = to_item(&st.invite())?;
            item.extend(invite_key(dist_id, &st.email_key));
            let put = Put::builder().table_name(&self.config.core_table).set_item(Some(item));
            let put = match st.expect {
                Expect::Absent => put.condition_expression("attribute_not_exists(pk)"),
                Expect::State(from) => put
                    .condition_expression("#state = :from")
                    .expression_attribute_names("#state", "state")
                    .expression_attribute_values(":from", state(from)),
            };
            items.push(TransactWriteItem::builder().put(put.build().map_err(build)?).build());
            for counter in st.outcome.counters() {
                *counts.entry(counter).or_default() += 1;
            }
            if let (Outcome::Sent { .. }, Some(day)) = (&st.outcome, crate::domain::report::day_of(&st.at)) {
                sent.push((day, &st.fields));
            }
        }
        let mut counter = Update::builder().table_name(&self.config.core_table).set_key(Some(dist_key(project_id, dist_id)));
        let mut adds = Vec::new();
        for (k, (name, count)) in counts.iter().enumerate() {
            counter = counter.expression_attribute_names(format!("#c{k}"), *name).expression_attribute_values(format!(":n{k}"), n(*count));
            adds.push(format!("#c{k} :n{k}"));
        }
        items.push(
            TransactWriteItem::builder()
                .update(counter.update_expression(format!("ADD {}", adds.join(", "))).build().map_err(build)?)
                .build(),
        );
        items.extend(super::reports::invited_bumps(&self.config, project_id, sent)?);
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::distribution::{DistCounts, Message};
    use crate::domain::i18n::Lang;

    #[test]
    fn a_distribution_round_trips_with_its_counters_at_the_top_level() {
        let d = Distribution {
            id: "d1".into(),
            project_id: "p1".into(),
            list_id: "l1".into(),
            state: DistState::Sending,
            send_at: "2026-11-22T10:00:00.000Z".into(),
            messages: BTreeMap::from([(Lang::En, Message { subject: "Hi".into(), body: "{{SurveyLink}}".into() })]),
            reminder: None,
            counts: DistCounts { planned: 3, sent: 1, skipped_unsubscribed: 1, ..Default::default() },
            plan_cursor: Some("a@example.com".into()),
            planned_all: false,
            created_at: "t".into(),
            finished_at: None,
            trigger: None,
            pause_reason: None,
            quiet_period_days: None,
        };
        let item = to_item(&DistItem { pk: "PROJECT#p1".into(), sk: "DIST#d1".into(), d: d.clone() }).unwrap();
        assert_eq!(item["sent"], n(1));
        assert_eq!(item["state"], s("sending"));
        assert_eq!(from_item::<DistItem>(item, "k").unwrap().d, d);
        assert_eq!(dynamo_state(DistState::Planning), s("planning"));
    }
}
