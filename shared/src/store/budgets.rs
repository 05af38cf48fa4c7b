//! Plans, accounts and the budget counters in DynamoDB.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `PLANS` | `PLAN#{lower-case name}` | a plan created through the API (Starter is built in) |
//! | core | `ACCOUNT#{id}` | `ACCOUNT` | an account: its plan's figures, time zone and usage counters |
//! | core | `ACCOUNTS` | `ACCOUNT#{id}` | list entry (id, name) |
//! | core | `ACCOUNT#{id}#LEASE#~{n}` (`n` > 0; `ACCOUNT#{id}#LEASE` for 0) | `LEASE` | a budget lease of write shard `n` ([`crate::domain::lease`]) |
//!
//! A record is charged by one conditional update of the account item,
//! inside the transaction of what it pays for (the invitation's charge mark,
//! the reminder's claim, the anonymous response):
//! `month = :m AND used < monthly_budget AND (no cap OR lifetime_used <
//! lifetime_cap)`. The plan's figures live on the same item, so a plan
//! change and a charge are ordered by DynamoDB itself. A new billing month
//! first resets the counters (conditional on the stored month being older,
//! so that concurrent resets happen once).
//!
//! A project spread over write shards charges its responses to the
//! account's leases instead ([`lease_charge_item`], [`crate::domain::lease`]),
//! so that no one item takes every charge of a busy account.

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

use crate::domain::budget::{after_cancel, billing_month, link_budget, starter, Account, AfterCancel, ItemRefusal, Plan, Record, STARTER};
use crate::domain::lease::{lease_size, unspent, Lease, Pool, Refill};
use crate::domain::shard::MAX_SHARDS;
use crate::{Config, Error, Result};

use super::{applied, from_item, n, s, to_item, Item};
#[allow(unused_imports)]
use crate::ports::*;

#[derive(Serialize, Deserialize)]
struct PlanItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    plan: Plan,
    created_at: String,
}

#[derive(Serialize, Deserialize)]
struct AccountItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    account: Account,
}

/// An entry of the account list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

#[derive(Serialize, Deserialize)]
struct SummaryItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    summary: AccountSummary,
}

fn plan_sk(name: &str) -> String {
    format!("PLAN#{}", name.to_lowercase())
}

fn account_key(id: &str) -> Item {
    Item::from([("pk".to_string(), s(format!("ACCOUNT#{id}"))), ("sk".to_string(), s("ACCOUNT"))])
}

pub use crate::domain::budget::{Charge, Charged};

/// The per-item cancellation codes of a cancelled transaction.
pub(crate) fn cancellation_codes(e: &SdkError<TransactWriteItemsError>) -> Option<Vec<ItemRefusal>> {
    match e.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(c)) => {
            Some(c.cancellation_reasons().iter().map(|r| ItemRefusal::from_code(r.code())).collect())
        }
        _ => None,
    }
}

/// An account's time zone and the billing month known to have begun on it.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownMonth {
    pub time_zone: String,
    pub month: String,
}

/// The update that charges one record, for a transaction. A response
/// through a link also counts in `link_used`, within the links' share when
/// part of the budget is reserved for invitations.
pub fn charge_item(cfg: &Config, c: &Charge) -> Result<TransactWriteItem> {
    let link = c.record == Record::LinkResponse;
    let update = Update::builder()
        .table_name(&cfg.core_table)
        .set_key(Some(account_key(&c.account_id)))
        .update_expression(if link {
            "ADD used :one, lifetime_used :one, link_used :one SET last_accepted_at = :at, last_accepted_kind = :kind"
        } else {
            "ADD used :one, lifetime_used :one SET last_accepted_at = :at, last_accepted_kind = :kind"
        })
        .condition_expression(if link {
            "#month = :m AND used < monthly_budget AND (attribute_not_exists(lifetime_cap) OR lifetime_used < lifetime_cap) \
             AND (attribute_not_exists(link_budget) OR link_used < link_budget)"
        } else {
            "#month = :m AND used < monthly_budget AND (attribute_not_exists(lifetime_cap) OR lifetime_used < lifetime_cap)"
        })
        .expression_attribute_names("#month", "month")
        .expression_attribute_values(":m", s(&c.month))
        .expression_attribute_values(":one", n(1))
        .expression_attribute_values(":at", s(&c.at))
        .expression_attribute_values(":kind", s(c.record.as_str()))
        .build()
        .map_err(Error::aws("TransactWriteItems (build)"))?;
    Ok(TransactWriteItem::builder().update(update).build())
}

fn lease_base(account_id: &str) -> String {
    format!("ACCOUNT#{account_id}#LEASE")
}

fn lease_pk(account_id: &str, n: u32) -> String {
    crate::domain::shard::key(&lease_base(account_id), n)
}

fn lease_key(account_id: &str, n: u32) -> Item {
    Item::from([("pk".to_string(), s(lease_pk(account_id, n))), ("sk".to_string(), s("LEASE"))])
}

/// The update that charges one response to lease `n` of the account, for
/// the response's transaction: on condition that the lease holds an unspent
/// unit of the charge's month.
pub fn lease_charge_item(cfg: &Config, c: &Charge, lease: u32) -> Result<TransactWriteItem> {
    let update = Update::builder()
        .table_name(&cfg.core_table)
        .set_key(Some(lease_key(&c.account_id, lease)))
        .update_expression("ADD used :one SET last_accepted_at = :at")
        .condition_expression("#month = :m AND used < granted")
        .expression_attribute_names("#month", "month")
        .expression_attribute_values(":m", s(&c.month))
        .expression_attribute_values(":one", n(1))
        .expression_attribute_values(":at", s(&c.at))
        .build()
        .map_err(Error::aws("TransactWriteItems (build)"))?;
    Ok(TransactWriteItem::builder().update(update).build())
}

/// What a refill of a lease came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refilled {
    /// The lease was given this many more units.
    Granted(u64),
    /// The account has nothing left to grant this month.
    Empty,
    /// Other refills or charges kept changing the account: nothing moved.
    Raced,
}

/// How often a refill reads the account again after its condition failed.
const REFILL_ATTEMPTS: u32 = 6;

#[derive(Serialize, Deserialize)]
struct LeaseItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    lease: Lease,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_accepted_at: Option<String>,
}

fn pool_of(a: &Account) -> Pool {
    Pool {
        monthly_budget: a.monthly_budget,
        used: a.usage.used,
        lifetime_cap: a.lifetime_cap,
        lifetime_used: a.usage.lifetime_used,
        link_budget: a.link_budget,
        link_used: a.usage.link_used,
    }
}

impl super::Aws {
    /// Writes `items` together with the charge `c`, all or nothing. A lost
    /// race with another transaction is tried again; an exhausted budget is
    /// counted as a refusal.
    pub async fn write_charged(&self, c: &Charge, items: Vec<TransactWriteItem>) -> Result<Charged> {
        let count = items.len();
        let tx = self.dynamodb.transact_write_items().set_transact_items(Some(items)).transact_items(charge_item(&self.config, c)?);
        let mut attempt = 0u32;
        loop {
            let out = tx.clone().send().await;
            let e = match out {
                Ok(_) => return Ok(Charged::Done),
                Err(e) => e,
            };
            let Some(refusals) = cancellation_codes(&e) else { return Err(Error::aws("TransactWriteItems")(e)) };
            match after_cancel(&refusals, count, attempt) {
                AfterCancel::Ends(Charged::OverBudget) => {
                    self.count_refusal(c).await?;
                    return Ok(Charged::OverBudget);
                }
                AfterCancel::Ends(outcome) => return Ok(outcome),
                AfterCancel::Retry => {
                    attempt += 1;
                    let step = 25 * u64::from(attempt);
                    tokio::time::sleep(std::time::Duration::from_millis(step + fastrand::u64(0..step))).await;
                    continue;
                }
                AfterCancel::Fail => {}
            }
            return Err(Error::aws("TransactWriteItems")(e));
        }
    }
}

impl super::Aws {
    /// Every lease of the account (one batch read of every shard's key).
    async fn leases(&self, account_id: &str) -> Result<Vec<(u32, LeaseItem)>> {
        let keys = (0..MAX_SHARDS).map(|n| lease_key(account_id, n)).collect();
        let mut out = Vec::new();
        for item in self.batch_get(&self.config.core_table, keys).await? {
            let lease: LeaseItem = from_item(item, "LEASE")?;
            let n = crate::domain::shard::of_key(&lease_base(account_id), &lease.pk).unwrap_or(0);
            out.push((n, lease));
        }
        Ok(out)
    }

    /// Moves what the account can still grant (a [`lease_size`] at most) to
    /// lease `lease`, in one transaction whose conditions make two refills
    /// that read the same account unable to grant more than it has
    /// ([`Refill::limits`]).
    pub(crate) async fn refill_lease(&self, c: &Charge, lease: u32, shards: u32) -> Result<Refilled> {
        let core = &self.config.core_table;
        for attempt in 0..REFILL_ATTEMPTS {
            if attempt > 0 {
                let step = 20 * u64::from(attempt);
                tokio::time::sleep(std::time::Duration::from_millis(step + fastrand::u64(0..=step))).await;
            }
            let (mut account, mut held) = (None, None);
            for item in self.batch_get(core, vec![account_key(&c.account_id), lease_key(&c.account_id, lease)]).await? {
                if item.get("sk").and_then(|v| v.as_s().ok()).map(String::as_str) == Some("LEASE") {
                    held = Some(from_item::<LeaseItem>(item, "LEASE")?.lease);
                } else {
                    account = Some(from_item::<AccountItem>(item, "ACCOUNT")?.account);
                }
            }
            let Some(account) = account else { return Ok(Refilled::Empty) };
            if account.usage.month != c.month {
                // the account's month moved on (or is not rolled yet): the
                // charge is read again with the right month
                return Ok(Refilled::Raced);
            }
            let Some(refill) = Refill::of(pool_of(&account), lease_size(account.monthly_budget, shards)) else {
                return Ok(Refilled::Empty);
            };
            let l = refill.limits();
            let mut cond = "#month = :m AND monthly_budget = :budget AND used <= :max_used".to_string();
            let mut take = Update::builder()
                .table_name(core)
                .set_key(Some(account_key(&c.account_id)))
                .update_expression("ADD used :g, lifetime_used :g, link_used :g SET has_leases = :yes")
                .expression_attribute_names("#month", "month")
                .expression_attribute_values(":m", s(&c.month))
                .expression_attribute_values(":g", n(refill.units))
                .expression_attribute_values(":yes", aws_sdk_dynamodb::types::AttributeValue::Bool(true))
                .expression_attribute_values(":budget", n(l.monthly_budget))
                .expression_attribute_values(":max_used", n(l.max_used));
            match (l.lifetime_cap, l.max_lifetime_used) {
                (Some(cap), Some(max)) => {
                    cond.push_str(" AND lifetime_cap = :cap AND lifetime_used <= :max_life");
                    take = take.expression_attribute_values(":cap", n(cap)).expression_attribute_values(":max_life", n(max));
                }
                _ => cond.push_str(" AND attribute_not_exists(lifetime_cap)"),
            }
            match (l.link_budget, l.max_link_used) {
                (Some(links), Some(max)) => {
                    cond.push_str(" AND link_budget = :links AND link_used <= :max_links");
                    take = take.expression_attribute_values(":links", n(links)).expression_attribute_values(":max_links", n(max));
                }
                _ => cond.push_str(" AND attribute_not_exists(link_budget)"),
            }
            let take = take.condition_expression(cond).build().map_err(Error::aws("TransactWriteItems (build)"))?;
            let give = Update::builder()
                .table_name(core)
                .set_key(Some(lease_key(&c.account_id, lease)))
                .expression_attribute_names("#month", "month")
                .expression_attribute_values(":m", s(&c.month))
                .expression_attribute_values(":g", n(refill.units));
            let give = match held {
                Some(h) if h.month == c.month => give.update_expression("ADD granted :g").condition_expression("#month = :m"),
                _ => give
                    .update_expression("SET #month = :m, granted = :g, used = :zero")
                    .condition_expression("attribute_not_exists(#month) OR #month < :m")
                    .expression_attribute_values(":zero", n(0)),
            }
            .build()
            .map_err(Error::aws("TransactWriteItems (build)"))?;
            let out = self
                .dynamodb
                .transact_write_items()
                .transact_items(TransactWriteItem::builder().update(take).build())
                .transact_items(TransactWriteItem::builder().update(give).build())
                .send()
                .await;
            match out {
                Ok(_) => {
                    tracing::debug!(account_id = %c.account_id, lease, units = refill.units, "budget lease refilled");
                    return Ok(Refilled::Granted(refill.units));
                }
                Err(e) if cancellation_codes(&e).is_some() || super::throttled(&e) => continue,
                Err(e) => return Err(Error::aws("TransactWriteItems")(e)),
            }
        }
        Ok(Refilled::Raced)
    }

    /// Another lease of the account (not `but`) that still holds units of
    /// the charge's month, if any: the account has nothing left to grant,
    /// so what the leases hold is the month's last budget.
    pub(crate) async fn lease_with_units(&self, c: &Charge, but: u32) -> Result<Option<u32>> {
        let mut open: Vec<(u32, u64)> = self
            .leases(&c.account_id)
            .await?
            .into_iter()
            .map(|(n, l)| (n, l.lease.left(&c.month)))
            .filter(|(n, left)| *left > 0 && *n != but)
            .collect();
        // the fullest first, ties broken at random so that concurrent
        // charges spread over what is left
        fastrand::shuffle(&mut open);
        open.sort_by_key(|(_, left)| std::cmp::Reverse(*left));
        Ok(open.first().map(|(n, _)| *n))
    }

    /// Takes back what the account's leases hold unspent in `month` (after
    /// a plan change, so that a lower budget holds at once): each lease's
    /// `granted` becomes its `used`, then the account's counters are
    /// lowered by what it held. Should the second write be lost, the
    /// account counts units no one spent: the budget is under-used, never
    /// exceeded.
    async fn revoke_leases(&self, account_id: &str, month: &str) -> Result<()> {
        for (n, held) in self.leases(account_id).await? {
            if held.lease.left(month) == 0 {
                continue;
            }
            let out = self
                .dynamodb
                .update_item()
                .table_name(&self.config.core_table)
                .set_key(Some(lease_key(account_id, n)))
                .update_expression("SET granted = used")
                .condition_expression("#month = :m AND used < granted")
                .expression_attribute_names("#month", "month")
                .expression_attribute_values(":m", s(month))
                .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
                .send()
                .await;
            let old = match out {
                Ok(o) => o.attributes.unwrap_or_default(),
                Err(e) if e.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()) => continue,
                Err(e) => return Err(Error::aws("UpdateItem")(e)),
            };
            let old: Lease = from_item(old, "LEASE")?;
            let units = old.granted.saturating_sub(old.used);
            let minus = aws_sdk_dynamodb::types::AttributeValue::N(format!("-{units}"));
            let out = self
                .dynamodb
                .update_item()
                .table_name(&self.config.core_table)
                .set_key(Some(account_key(account_id)))
                .update_expression("ADD used :minus, lifetime_used :minus, link_used :minus")
                .condition_expression("#month = :m")
                .expression_attribute_names("#month", "month")
                .expression_attribute_values(":m", s(month))
                .expression_attribute_values(":minus", minus)
                .send()
                .await;
            applied(out, "UpdateItem")?;
        }
        Ok(())
    }
}

impl crate::ports::Budgets for super::Aws {
    /// Creates a plan (a name is taken once, case-insensitively; Starter is built in).
    async fn create_plan(&self, plan: &Plan, now: &str) -> Result<()> {
        let item = to_item(&PlanItem { pk: "PLANS".into(), sk: plan_sk(&plan.name), plan: plan.clone(), created_at: now.to_string() })?;
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        if applied(out, "PutItem")? {
            Ok(())
        } else {
            Err(Error::Conflict(format!(
                "a plan named {:?} already exists; plans are not changed once created, create one with another name",
                plan.name
            )))
        }
    }

    /// A plan by name (case-insensitive), Starter included.
    async fn get_plan(&self, name: &str) -> Result<Option<Plan>> {
        if name.eq_ignore_ascii_case(STARTER) {
            return Ok(Some(starter()));
        }
        let item = self.get_item(&self.config.core_table, "PLANS", &plan_sk(name)).await?;
        item.map(|i| from_item::<PlanItem>(i, "PLAN").map(|p| p.plan)).transpose()
    }

    /// Every plan, Starter first.
    async fn list_plans(&self) -> Result<Vec<Plan>> {
        let mut plans = vec![starter()];
        for item in self.query_all(&self.config.core_table, "PLANS", "PLAN#").await? {
            plans.push(from_item::<PlanItem>(item, "PLAN")?.plan);
        }
        Ok(plans)
    }

    /// Creates an account with its list entry.
    async fn create_account(&self, a: &Account) -> Result<()> {
        let mut item = to_item(&AccountItem { pk: String::new(), sk: String::new(), account: a.clone() })?;
        item.extend(account_key(&a.id));
        let summary = to_item(&SummaryItem {
            pk: "ACCOUNTS".into(),
            sk: format!("ACCOUNT#{}", a.id),
            summary: AccountSummary { id: a.id.clone(), name: a.name.clone(), created_at: a.created_at.clone() },
        })?;
        let build = Error::aws("TransactWriteItems (build)");
        let put = Put::builder()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(build)?;
        let entry = Put::builder()
            .table_name(&self.config.core_table)
            .set_item(Some(summary))
            .build()
            .map_err(Error::aws("TransactWriteItems (build)"))?;
        self.dynamodb
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .transact_items(TransactWriteItem::builder().put(entry).build())
            .send()
            .await
            .map_err(|e| {
                if super::tx_condition_failed(&e) {
                    Error::Conflict("an account with this id already exists".into())
                } else {
                    Error::aws("TransactWriteItems")(e)
                }
            })?;
        Ok(())
    }

    /// Reads an account.
    /// What its leases hold unspent is not counted as used.
    async fn get_account(&self, id: &str) -> Result<Option<Account>> {
        let key = format!("ACCOUNT#{id}");
        let Some(item) = self.get_item(&self.config.core_table, &key, "ACCOUNT").await? else { return Ok(None) };
        let leased = item.get("has_leases").and_then(|v| v.as_bool().ok()).copied().unwrap_or(false);
        let mut account = from_item::<AccountItem>(item, &key)?.account;
        if leased {
            let leases = self.leases(id).await?;
            let held = unspent(leases.iter().map(|(_, l)| &l.lease), &account.usage.month);
            let u = &mut account.usage;
            u.used = u.used.saturating_sub(held);
            u.lifetime_used = u.lifetime_used.saturating_sub(held);
            u.link_used = u.link_used.saturating_sub(held);
            let last = leases.into_iter().filter_map(|(_, l)| l.last_accepted_at).max();
            if last > u.last_accepted_at {
                u.last_accepted_at = last;
                u.last_accepted_kind = Some(Record::LinkResponse);
            }
        }
        Ok(Some(account))
    }

    async fn get_account_as_charged(&self, id: &str) -> Result<Option<Account>> {
        let key = format!("ACCOUNT#{id}");
        let Some(item) = self.get_item(&self.config.core_table, &key, "ACCOUNT").await? else { return Ok(None) };
        Ok(Some(from_item::<AccountItem>(item, &key)?.account))
    }

    /// The answer kept for `PAGE_AGE`; a "used up" never past its month.
    async fn links_have_room(&self, id: &str, now_ms: u64) -> Result<bool> {
        match self.page_rooms.get_within(id, super::PAGE_AGE) {
            Some(crate::ports::Room::Free) => return Ok(true),
            Some(used_up) if !used_up.has_room_at(now_ms) => return Ok(false),
            _ => {} // nothing kept, or a used-up month that has ended
        }
        let room = crate::ports::links_room(self, id, now_ms).await?;
        self.page_rooms.put(id.to_string(), room);
        Ok(room.has_room_at(now_ms))
    }

    /// Every account (oldest first).
    async fn list_accounts(&self) -> Result<Vec<AccountSummary>> {
        let mut out = Vec::new();
        for item in self.query_all(&self.config.core_table, "ACCOUNTS", "ACCOUNT#").await? {
            out.push(from_item::<SummaryItem>(item, "ACCOUNTS")?.summary);
        }
        out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Puts the account on `plan` at once: the month's remaining budget is
    /// the new budget less what was used. False if there is no such account.
    async fn change_plan(&self, id: &str, plan: &Plan, now: &str) -> Result<bool> {
        // The links' share follows the new budget; the condition on the
        // reserve read makes a concurrent reserve change read again.
        for _ in 0..5 {
            let Some(account) = self.get_account(id).await? else { return Ok(false) };
            let reserve = account.invitation_reserve;
            let mut req = self
                .dynamodb
                .update_item()
                .table_name(&self.config.core_table)
                .set_key(Some(account_key(id)))
                .condition_expression(
                    "attribute_exists(pk) AND (attribute_not_exists(invitation_reserve) OR invitation_reserve = :reserve)",
                )
                .expression_attribute_values(":plan", s(&plan.name))
                .expression_attribute_values(":budget", n(plan.monthly_budget))
                .expression_attribute_values(":reserve", n(reserve))
                .expression_attribute_values(":now", s(now));
            let links = if reserve > 0 { ", link_budget = :links" } else { "" };
            if reserve > 0 {
                req = req.expression_attribute_values(":links", n(link_budget(plan.monthly_budget, reserve)));
            }
            req = match plan.lifetime_cap {
                Some(cap) => req
                    .update_expression(format!(
                        "SET #plan = :plan, monthly_budget = :budget, lifetime_cap = :cap, updated_at = :now{links}"
                    ))
                    .expression_attribute_values(":cap", n(cap)),
                None => req.update_expression(format!(
                    "SET #plan = :plan, monthly_budget = :budget, updated_at = :now{links} REMOVE lifetime_cap"
                )),
            };
            if applied(req.expression_attribute_names("#plan", "plan").send().await, "UpdateItem")? {
                // what the leases hold was granted from the old budget
                self.revoke_leases(id, &account.usage.month).await?;
                return Ok(true);
            }
        }
        Err(Error::Conflict("the account's reserve kept changing during the plan change; try again".into()))
    }

    /// Keeps `reserve` records of each month for invitations and reminders:
    /// links may use the budget less it. False if there is no such account.
    async fn set_reserve(&self, id: &str, reserve: u64, now: &str) -> Result<bool> {
        for _ in 0..5 {
            let Some(account) = self.get_account(id).await? else { return Ok(false) };
            let out = self
                .dynamodb
                .update_item()
                .table_name(&self.config.core_table)
                .set_key(Some(account_key(id)))
                .update_expression(
                    "SET invitation_reserve = :reserve, link_budget = :links, link_used = if_not_exists(link_used, :zero), updated_at = :now",
                )
                .condition_expression("attribute_exists(pk) AND monthly_budget = :budget")
                .expression_attribute_values(":reserve", n(reserve))
                .expression_attribute_values(":links", n(link_budget(account.monthly_budget, reserve)))
                .expression_attribute_values(":budget", n(account.monthly_budget))
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":now", s(now))
                .send()
                .await;
            if applied(out, "UpdateItem")? {
                // what the leases hold was granted from the old links' share
                self.revoke_leases(id, &account.usage.month).await?;
                return Ok(true);
            }
        }
        Err(Error::Conflict("the account's plan kept changing while the reserve was set; try again".into()))
    }

    /// Starts the billing month `month` on the account if its counters
    /// belong to an earlier month (once, whoever comes first).
    async fn roll_month(&self, id: &str, month: &str) -> Result<()> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(account_key(id)))
            .update_expression("SET #month = :m, used = :zero, refused = :zero, link_used = :zero REMOVE last_refused_at")
            .condition_expression("attribute_exists(pk) AND #month < :m")
            .expression_attribute_names("#month", "month")
            .expression_attribute_values(":m", s(month))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        applied(out, "UpdateItem")?;
        Ok(())
    }

    /// The charge of a record of `account_id` made now: starts a new
    /// billing month first if one has begun. The account's time zone (fixed
    /// when the account is created) and the month last seen current are
    /// kept by a warm Lambda, so within a month no read is needed: the
    /// charge's own condition checks the month. None when the account does
    /// not exist (nothing is charged).
    async fn prepare_charge(&self, account_id: &str, now_ms: u64, record: Record) -> Result<Option<Charge>> {
        let charge = |month: String| Charge { account_id: account_id.to_string(), month, record, at: crate::clock::from_ms(now_ms) };
        if let Some(known) = self.accounts.get(account_id) {
            let month = billing_month(now_ms, &known.time_zone);
            if month == known.month {
                return Ok(Some(charge(month)));
            }
        }
        let Some(account) = self.get_account(account_id).await? else {
            tracing::warn!(account_id, "the project's account does not exist; the record is not charged");
            return Ok(None);
        };
        let month = billing_month(now_ms, &account.time_zone);
        if account.usage.month < month {
            self.roll_month(account_id, &month).await?;
        }
        if account.usage.month <= month {
            self.accounts.put(account_id.to_string(), KnownMonth { time_zone: account.time_zone, month: month.clone() });
        }
        Ok(Some(charge(month)))
    }

    /// Counts a refused record in the billing month.
    async fn count_refusal(&self, c: &Charge) -> Result<()> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(account_key(&c.account_id)))
            .update_expression("ADD refused :one SET last_refused_at = :at")
            .condition_expression("#month = :m")
            .expression_attribute_names("#month", "month")
            .expression_attribute_values(":m", s(&c.month))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":at", s(&c.at))
            .send()
            .await;
        applied(out, "UpdateItem")?;
        Ok(())
    }

    /// Gives back a charged record that was never delivered (SES refused
    /// the email), within the month it was charged in.
    async fn refund(&self, account_id: &str, month: &str) -> Result<()> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(account_key(account_id)))
            .update_expression("ADD used :minus, lifetime_used :minus")
            .condition_expression("#month = :m AND used > :zero AND lifetime_used > :zero")
            .expression_attribute_names("#month", "month")
            .expression_attribute_values(":m", s(month))
            .expression_attribute_values(":minus", aws_sdk_dynamodb::types::AttributeValue::N("-1".into()))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        applied(out, "UpdateItem")?;
        Ok(())
    }

    /// Notes a sync (a contact import, an integration event) on the account.
    async fn note_sync(&self, account_id: &str, kind: &str, at: &str) -> Result<()> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(account_key(account_id)))
            .update_expression("SET last_sync_at = :at, last_sync_kind = :kind")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":at", s(at))
            .expression_attribute_values(":kind", s(kind))
            .send()
            .await;
        applied(out, "UpdateItem")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::budget::Usage;

    #[test]
    fn an_account_item_keeps_its_counters_at_the_top_level_for_the_conditions() {
        let a = Account {
            id: "a1".into(),
            name: "Acme".into(),
            plan: "Starter".into(),
            monthly_budget: 50,
            lifetime_cap: Some(20_000),
            invitation_reserve: 0,
            link_budget: None,
            time_zone: "Europe/Helsinki".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            usage: Usage {
                month: "2026-11".into(),
                used: 3,
                lifetime_used: 7,
                last_accepted_kind: Some(Record::Reminder),
                ..Default::default()
            },
        };
        let item = to_item(&AccountItem { pk: "ACCOUNT#a1".into(), sk: "ACCOUNT".into(), account: a.clone() }).unwrap();
        for k in ["month", "used", "monthly_budget", "lifetime_used", "lifetime_cap"] {
            assert!(item.contains_key(k), "{k} is not a top-level attribute");
        }
        assert_eq!(item["used"], n(3));
        assert_eq!(from_item::<AccountItem>(item, "k").unwrap().account, a);
    }
}
