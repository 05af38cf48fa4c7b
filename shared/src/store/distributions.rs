//! Distributions, their invitations (one per contact, claimed before an
//! email and settled once), the contact-frequency marks and the global send
//! rate.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `PROJECT#{id}` | `DIST#{distribution id}` | a distribution: messages, state, plan cursor, counters |
//! | core | `DIST#{distribution id}` | `INVITE#{email key}` | one contact's invitation: claimed → sending → sent / skipped / failed |
//! | core | `DIST#{distribution id}` | `RESPONSES` | `n`: responses through the distribution's links (moved with each response) |
//! | core | `RATE#ses` | `WINDOW#{unix second}` | emails sent in that second, across every Lambda (TTL) |
//! | contacts | `PROJECT#{id}` | `INVITED#{email key}` | when the contact was last invited, and by which distribution |
//!
//! An invitation of a budgeted project is charged to the account between
//! its claim and its email (`charged_month` set on the invitation in the
//! charge's transaction), and a reminder with its claim; see [`super::budgets`].

use futures_util::StreamExt;
use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

use crate::domain::distribution::{DistState, Skip};
use crate::domain::invitation::{decide_claim, ClaimOver, InviteState, ReminderState};
pub use crate::domain::invitation::{Invite, InviteClaim, Outcome, ReminderClaim};
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
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s("RATE#ses"))
            .key("sk", s(format!("WINDOW#{window}")))
            .update_expression("ADD sent :one SET expires_at = :ttl")
            .condition_expression("attribute_not_exists(sent) OR sent < :rate")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":rate", n(rate.into()))
            .expression_attribute_values(":ttl", n(window + 3600))
            .send()
            .await;
        applied(out, "UpdateItem")
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
    /// Claims one contact's invitation until `until_ms`, with its link's id.
    async fn claim_invite(&self, dist_id: &str, email_key: &str, link: &str, now_ms: u64, until_ms: u64) -> Result<InviteClaim> {
        let mut item = to_item(&Invite::claimed(email_key, link, until_ms))?;
        item.extend(invite_key(dist_id, email_key));
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        if applied(out, "PutItem")? {
            return Ok(InviteClaim::Claimed);
        }
        let existing = self.get_invite(dist_id, email_key).await?;
        match decide_claim(existing.as_ref(), now_ms) {
            ClaimOver::Settled => Ok(InviteClaim::Settled),
            ClaimOver::Busy => Ok(InviteClaim::Busy),
            ClaimOver::Unknown => Ok(InviteClaim::Unknown),
            ClaimOver::Reclaim => {
                let Some(existing) = existing else { return Ok(InviteClaim::Busy) };
                // the condition is Invite::reclaim's rule: still claimed, as read
                let out = self
                    .dynamodb
                    .update_item()
                    .table_name(&self.config.core_table)
                    .set_key(Some(invite_key(dist_id, email_key)))
                    .update_expression("SET claimed_until_ms = :until, #link = :link REMOVE #token")
                    .condition_expression("#state = :claimed AND claimed_until_ms = :old")
                    .expression_attribute_names("#state", "state")
                    .expression_attribute_names("#link", "link")
                    .expression_attribute_names("#token", "token")
                    .expression_attribute_values(":link", s(link))
                    .expression_attribute_values(":claimed", state(InviteState::Claimed))
                    .expression_attribute_values(":old", n(existing.claimed_until_ms))
                    .expression_attribute_values(":until", n(until_ms))
                    .send()
                    .await;
                Ok(if applied(out, "UpdateItem")? { InviteClaim::Reclaimed(Box::new(existing)) } else { InviteClaim::Busy })
            }
        }
    }

    /// One invitation, as stored.
    async fn get_invite(&self, dist_id: &str, email_key: &str) -> Result<Option<Invite>> {
        let item = self.get_item(&self.config.core_table, &format!("DIST#{dist_id}"), &format!("INVITE#{email_key}")).await?;
        item.map(|i| from_item::<Invite>(i, "INVITE")).transpose()
    }

    /// Marks a claimed invitation as being handed to SES (from here on, a
    /// crash leaves it `sending`, and it is never sent again).
    async fn invite_sending(&self, dist_id: &str, email_key: &str) -> Result<bool> {
        let to = vec![(":to", state(InviteState::Sending))];
        self.set_if_state(invite_key(dist_id, email_key), &[state(InviteState::Claimed)], "SET #state = :to", to).await
    }

    async fn invite_unsent(&self, dist_id: &str, email_key: &str, now_ms: u64) -> Result<bool> {
        let values = vec![(":to", state(InviteState::Claimed)), (":now", n(now_ms))];
        let set = "SET #state = :to, claimed_until_ms = :now";
        self.set_if_state(invite_key(dist_id, email_key), &[state(InviteState::Sending)], set, values).await
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

    /// Settles an invitation (from `claimed` or `sending`) and moves the
    /// distribution's counter with it, in one transaction: exactly once.
    async fn settle_invite(
        &self,
        project_id: &str,
        dist_id: &str,
        email_key: &str,
        outcome: Outcome,
        fields: &BTreeMap<String, String>,
        at: &str,
    ) -> Result<bool> {
        let counters = outcome.counters();
        let [from_a, from_b] = InviteState::SETTLE_FROM;
        let mut invite = Update::builder()
            .table_name(&self.config.core_table)
            .set_key(Some(invite_key(dist_id, email_key)))
            .condition_expression("#state IN (:from_a, :from_b)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":from_a", state(from_a))
            .expression_attribute_values(":from_b", state(from_b))
            .expression_attribute_values(":to", state(outcome.state()))
            .expression_attribute_values(":at", s(at));
        invite = match &outcome {
            Outcome::Sent { message_id } => {
                invite.update_expression("SET #state = :to, #at = :at, message_id = :m").expression_attribute_values(":m", s(message_id))
            }
            Outcome::Skipped(skip) => invite.update_expression("SET #state = :to, #at = :at, skip = :skip").expression_attribute_values(
                ":skip",
                serde_dynamo::to_attribute_value(skip).map_err(|e| Error::Corrupt { key: "skip".into(), source: Box::new(e) })?,
            ),
            Outcome::Failed(reason) => {
                invite.update_expression("SET #state = :to, #at = :at, reason = :r").expression_attribute_values(":r", s(reason))
            }
        };
        let mut counter_update = Update::builder()
            .table_name(&self.config.core_table)
            .set_key(Some(dist_key(project_id, dist_id)))
            .expression_attribute_values(":one", n(1));
        let mut adds = Vec::new();
        for (i, counter) in counters.iter().enumerate() {
            counter_update = counter_update.expression_attribute_names(format!("#c{i}"), *counter);
            adds.push(format!("#c{i} :one"));
        }
        let counter_update = counter_update.update_expression(format!("ADD {}", adds.join(", ")));
        let build = |e| Error::aws("TransactWriteItems (build)")(e);
        let mut tx = self
            .dynamodb
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(invite.build().map_err(build)?).build())
            .transact_items(TransactWriteItem::builder().update(counter_update.build().map_err(build)?).build());
        // A sent invitation also counts in the project's day bucket: the
        // response rate's denominator.
        if let (Outcome::Sent { .. }, Some(day)) = (&outcome, crate::domain::report::day_of(at)) {
            for item in super::reports::invited_items(&self.config, project_id, day, fields)? {
                tx = tx.transact_items(item);
            }
        }
        let out = tx.send().await;
        match out {
            Ok(_) => Ok(true),
            Err(e) if tx_condition_failed(&e) => Ok(false),
            Err(e) => Err(Error::aws("TransactWriteItems")(e)),
        }
    }

    /// Skips a contact that was never claimed (the claim and the outcome in
    /// one transaction).
    async fn skip_unclaimed(&self, project_id: &str, dist_id: &str, email_key: &str, skip: Skip, at: &str) -> Result<bool> {
        let mut item = to_item(&Invite::skipped(email_key, skip, at))?;
        item.extend(invite_key(dist_id, email_key));
        let put = Put::builder()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(Error::aws("TransactWriteItems (build)"))?;
        self.put_invite_counted(put, project_id, dist_id, skip.counter(), 1).await
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

    /// Charges a claimed invitation to its account before its email goes
    /// out: the invitation's charge mark and the account's counter move
    /// together, once.
    async fn charge_invite(&self, dist_id: &str, email_key: &str, c: &Charge) -> Result<Charged> {
        let mark = Update::builder()
            .table_name(&self.config.core_table)
            .set_key(Some(invite_key(dist_id, email_key)))
            .update_expression("SET charged_account = :a, charged_month = :m")
            .condition_expression("#state = :claimed AND attribute_not_exists(charged_month)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":claimed", state(InviteState::Claimed))
            .expression_attribute_values(":a", s(&c.account_id))
            .expression_attribute_values(":m", s(&c.month))
            .build()
            .map_err(Error::aws("TransactWriteItems (build)"))?;
        self.write_charged(c, vec![TransactWriteItem::builder().update(mark).build()]).await
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
