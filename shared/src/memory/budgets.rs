//! Plans, accounts and their budget counters in memory, under the keys of
//! [`crate::store::budgets`]. An account is kept whole (its plan's figures
//! and its usage on one item, as in the adapter). A charge applies the
//! adapter's condition (`month = :m AND used < monthly_budget AND (no cap
//! OR lifetime_used < lifetime_cap)`, i.e. the month matches and
//! [`budget::refusal`] finds nothing): [`may_charge`] and [`charge`] are
//! what every charged write of the double uses.

use serde::{Deserialize, Serialize};

use crate::domain::budget::{self, billing_month, starter, Account, Charge, Plan, Record, STARTER};
use crate::store::budgets::AccountSummary;
use crate::{Error, Result};

use super::{Memory, State, Table};

#[derive(Serialize, Deserialize)]
struct PlanItem {
    #[serde(flatten)]
    plan: Plan,
    created_at: String,
}

fn plan_sk(name: &str) -> String {
    format!("PLAN#{}", name.to_lowercase())
}

fn account_pk(id: &str) -> String {
    format!("ACCOUNT#{id}")
}

fn account(s: &State, id: &str) -> Option<Account> {
    s.get(Table::Core, &account_pk(id), "ACCOUNT")
}

fn save(s: &mut State, a: &Account) {
    s.put(Table::Core, &account_pk(&a.id), "ACCOUNT", a);
}

/// Whether the charge `c` would be accepted now: the account exists, its
/// counters are of the charge's month and neither its monthly budget nor
/// its lifetime cap is used up.
pub(crate) fn may_charge(s: &State, c: &Charge) -> bool {
    account(s, &c.account_id).is_some_and(|a| {
        a.usage.month == c.month
            && match c.record {
                Record::LinkResponse => budget::link_refusal(&a, a.usage.used, a.usage.link_used).is_none(),
                _ => budget::refusal(a.monthly_budget, a.lifetime_cap, a.usage.used, a.usage.lifetime_used).is_none(),
            }
    })
}

/// Charges one record if [`may_charge`] allows it; whether it did.
pub(crate) fn charge(s: &mut State, c: &Charge) -> bool {
    if !may_charge(s, c) {
        return false;
    }
    let Some(mut a) = account(s, &c.account_id) else { return false };
    a.usage.used += 1;
    a.usage.lifetime_used += 1;
    if c.record == Record::LinkResponse {
        a.usage.link_used += 1;
    }
    a.usage.last_accepted_at = Some(c.at.clone());
    a.usage.last_accepted_kind = Some(c.record);
    save(s, &a);
    true
}

/// Counts a refused record in the charge's month (nothing if the account's
/// counters are of another month).
pub(crate) fn count_refusal(s: &mut State, c: &Charge) {
    let Some(mut a) = account(s, &c.account_id) else { return };
    if a.usage.month != c.month {
        return;
    }
    a.usage.refused += 1;
    a.usage.last_refused_at = Some(c.at.clone());
    save(s, &a);
}

/// Starts the billing month `month` if the counters are of an earlier one.
fn roll(s: &mut State, id: &str, month: &str) {
    let Some(mut a) = account(s, id) else { return };
    if a.usage.month.as_str() >= month {
        return;
    }
    a.usage.month = month.to_string();
    a.usage.used = 0;
    a.usage.refused = 0;
    a.usage.link_used = 0;
    a.usage.last_refused_at = None;
    save(s, &a);
}

impl crate::ports::Budgets for Memory {
    async fn create_plan(&self, plan: &Plan, now: &str) -> Result<()> {
        let mut s = self.lock();
        let sk = plan_sk(&plan.name);
        if s.has(Table::Core, "PLANS", &sk) {
            return Err(Error::Conflict(format!(
                "a plan named {:?} already exists; plans are not changed once created, create one with another name",
                plan.name
            )));
        }
        s.put(Table::Core, "PLANS", &sk, &PlanItem { plan: plan.clone(), created_at: now.to_string() });
        Ok(())
    }

    async fn get_plan(&self, name: &str) -> Result<Option<Plan>> {
        if name.eq_ignore_ascii_case(STARTER) {
            return Ok(Some(starter()));
        }
        Ok(self.lock().get::<PlanItem>(Table::Core, "PLANS", &plan_sk(name)).map(|p| p.plan))
    }

    async fn list_plans(&self) -> Result<Vec<Plan>> {
        let mut plans = vec![starter()];
        plans.extend(self.lock().query::<PlanItem>(Table::Core, "PLANS", "PLAN#").into_iter().map(|(_, p)| p.plan));
        Ok(plans)
    }

    async fn create_account(&self, a: &Account) -> Result<()> {
        let mut s = self.lock();
        if account(&s, &a.id).is_some() {
            return Err(Error::Conflict("an account with this id already exists".into()));
        }
        save(&mut s, a);
        let summary = AccountSummary { id: a.id.clone(), name: a.name.clone(), created_at: a.created_at.clone() };
        s.put(Table::Core, "ACCOUNTS", &account_pk(&a.id), &summary);
        Ok(())
    }

    async fn get_account(&self, id: &str) -> Result<Option<Account>> {
        Ok(account(&self.lock(), id))
    }

    /// The double charges the account itself (no leases): the same account.
    async fn get_account_as_charged(&self, id: &str) -> Result<Option<Account>> {
        Ok(account(&self.lock(), id))
    }

    /// Nothing is kept: read every time.
    async fn links_have_room(&self, id: &str, now_ms: u64) -> Result<bool> {
        Ok(crate::ports::links_room(self, id, now_ms).await?.has_room_at(now_ms))
    }

    async fn list_accounts(&self) -> Result<Vec<AccountSummary>> {
        let mut out: Vec<AccountSummary> = self.lock().query(Table::Core, "ACCOUNTS", "ACCOUNT#").into_iter().map(|(_, a)| a).collect();
        out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn change_plan(&self, id: &str, plan: &Plan, now: &str) -> Result<bool> {
        let mut s = self.lock();
        let Some(mut a) = account(&s, id) else { return Ok(false) };
        a.plan = plan.name.clone();
        a.monthly_budget = plan.monthly_budget;
        a.lifetime_cap = plan.lifetime_cap;
        if a.invitation_reserve > 0 {
            a.link_budget = Some(budget::link_budget(plan.monthly_budget, a.invitation_reserve));
        }
        a.updated_at = now.to_string();
        save(&mut s, &a);
        Ok(true)
    }

    async fn set_reserve(&self, id: &str, reserve: u64, now: &str) -> Result<bool> {
        let mut s = self.lock();
        let Some(mut a) = account(&s, id) else { return Ok(false) };
        a.invitation_reserve = reserve;
        a.link_budget = Some(budget::link_budget(a.monthly_budget, reserve));
        a.updated_at = now.to_string();
        save(&mut s, &a);
        Ok(true)
    }

    async fn roll_month(&self, id: &str, month: &str) -> Result<()> {
        roll(&mut self.lock(), id, month);
        Ok(())
    }

    /// Reads the account each time (no warm cache is needed: what is
    /// observed is the same).
    async fn prepare_charge(&self, account_id: &str, now_ms: u64, record: Record) -> Result<Option<Charge>> {
        let mut s = self.lock();
        let Some(a) = account(&s, account_id) else {
            tracing::warn!(account_id, "the project's account does not exist; the record is not charged");
            return Ok(None);
        };
        let month = billing_month(now_ms, &a.time_zone);
        roll(&mut s, account_id, &month);
        Ok(Some(Charge { account_id: account_id.to_string(), month, record, at: crate::clock::from_ms(now_ms) }))
    }

    async fn count_refusal(&self, c: &Charge) -> Result<()> {
        count_refusal(&mut self.lock(), c);
        Ok(())
    }

    async fn refund(&self, account_id: &str, month: &str) -> Result<()> {
        let mut s = self.lock();
        let Some(mut a) = account(&s, account_id) else { return Ok(()) };
        if a.usage.month != month || a.usage.used == 0 || a.usage.lifetime_used == 0 {
            return Ok(());
        }
        a.usage.used -= 1;
        a.usage.lifetime_used -= 1;
        save(&mut s, &a);
        Ok(())
    }

    async fn note_sync(&self, account_id: &str, kind: &str, at: &str) -> Result<()> {
        let mut s = self.lock();
        let Some(mut a) = account(&s, account_id) else { return Ok(()) };
        a.usage.last_sync_at = Some(at.to_string());
        a.usage.last_sync_kind = Some(kind.to_string());
        save(&mut s, &a);
        Ok(())
    }
}
