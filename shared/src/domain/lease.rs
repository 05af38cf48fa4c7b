//! Budget leases: how a busy project's responses are charged without all
//! of them updating the one account item.
//!
//! A project spread over write shards ([`super::shard`]) charges each
//! response to the lease of its shard, `ACCOUNT#{id}#LEASE#~{n}`, instead
//! of to the account item. A lease holds a part of the month's budget
//! (`granted`) and what of it was spent (`used`):
//!
//! - **A charge** is `used + 1` on condition `month = :m AND used <
//!   granted`, inside the response's own transaction.
//! - **A lease that is out** is refilled by one transaction that moves
//!   [`grant`] units from the account to the lease. The account counts
//!   granted units as used (`used`, `lifetime_used`, `link_used`), on
//!   conditions computed here ([`Refill::limits`]) from the account as read:
//!   none of its counters may have passed the value that leaves room for the
//!   grant, and its budget figures must be the ones read. Two refills that
//!   read the same account can thus not both take its last units.
//! - **When the account has nothing left to grant**, the charge tries every
//!   other lease of the month that still holds units. A lease only empties
//!   once the account is out, so the budget is spent to the last response:
//!   a response is refused only when the account and every lease are out.
//! - **A plan change** takes back what the leases hold and did not spend
//!   (`granted` lowered to `used`, the account's counters lowered by the
//!   same, in one transaction per lease), so a lower budget holds at once.
//! - **A new month** starts every lease empty: a lease whose month is older
//!   is refilled as new (its old units went with the old month, whose
//!   counters the account reset).
//!
//! What an account shows as used is its counters less what the month's
//! leases hold unspent ([`unspent`]).

use serde::{Deserialize, Serialize};

/// The most units one refill moves to a lease: small enough that a month's
/// last units are not held up in one lease for long (they stay reachable
/// by every charge anyway), large enough that a refill (a two-item
/// transaction) is paid for by many responses.
pub const MAX_LEASE: u64 = 50;

/// One lease as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// The billing month of `granted` and `used`.
    pub month: String,
    #[serde(default)]
    pub granted: u64,
    #[serde(default)]
    pub used: u64,
}

impl Lease {
    /// Units the lease can still charge in `month`.
    pub fn left(&self, month: &str) -> u64 {
        if self.month == month {
            self.granted.saturating_sub(self.used)
        } else {
            0
        }
    }
}

/// The account's figures a refill reads: its budget and its counters of
/// the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    pub monthly_budget: u64,
    pub used: u64,
    pub lifetime_cap: Option<u64>,
    pub lifetime_used: u64,
    /// The links' share of the budget (absent: no reserve).
    pub link_budget: Option<u64>,
    pub link_used: u64,
}

/// How many units a lease of a project with `shards` write shards asks for:
/// an even part of a quarter of the budget, between 1 and [`MAX_LEASE`].
pub fn lease_size(monthly_budget: u64, shards: u32) -> u64 {
    (monthly_budget / (4 * u64::from(shards.max(1)))).clamp(1, MAX_LEASE)
}

/// What a refill may move from the account: `want`, or less when the
/// budget, the lifetime cap or the links' share has less left (0: nothing).
pub fn grant(pool: &Pool, want: u64) -> u64 {
    let mut room = pool.monthly_budget.saturating_sub(pool.used);
    if let Some(cap) = pool.lifetime_cap {
        room = room.min(cap.saturating_sub(pool.lifetime_used));
    }
    if let Some(links) = pool.link_budget {
        room = room.min(links.saturating_sub(pool.link_used));
    }
    room.min(want)
}

/// A refill of `units` from an account read as `pool`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refill {
    pub units: u64,
    pub pool: Pool,
}

/// The values the account's conditional update compares with: each
/// counter at most its figure less the grant, and the figures unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_used: u64,
    pub monthly_budget: u64,
    pub max_lifetime_used: Option<u64>,
    pub lifetime_cap: Option<u64>,
    pub max_link_used: Option<u64>,
    pub link_budget: Option<u64>,
}

impl Refill {
    /// A refill of what [`grant`] allows, or None when nothing is left.
    pub fn of(pool: Pool, want: u64) -> Option<Refill> {
        let units = grant(&pool, want);
        (units > 0).then_some(Refill { units, pool })
    }

    pub fn limits(&self) -> Limits {
        let p = &self.pool;
        Limits {
            max_used: p.monthly_budget - self.units,
            monthly_budget: p.monthly_budget,
            max_lifetime_used: p.lifetime_cap.map(|c| c - self.units),
            lifetime_cap: p.lifetime_cap,
            max_link_used: p.link_budget.map(|l| l - self.units),
            link_budget: p.link_budget,
        }
    }

    /// Whether the account's update applies to `now` (what the condition
    /// checks, as DynamoDB evaluates it).
    pub fn applies_to(&self, now: &Pool) -> bool {
        let l = self.limits();
        now.monthly_budget == l.monthly_budget
            && now.used <= l.max_used
            && now.lifetime_cap == l.lifetime_cap
            && l.max_lifetime_used.is_none_or(|m| now.lifetime_used <= m)
            && now.link_budget == l.link_budget
            && l.max_link_used.is_none_or(|m| now.link_used <= m)
    }

    /// The account after the refill.
    pub fn apply(&self, now: &Pool) -> Pool {
        Pool { used: now.used + self.units, lifetime_used: now.lifetime_used + self.units, link_used: now.link_used + self.units, ..*now }
    }
}

/// What the month's leases hold and did not spend: granted to them, so
/// counted in the account's `used`, but not charged to any response.
pub fn unspent<'a>(leases: impl IntoIterator<Item = &'a Lease>, month: &str) -> u64 {
    leases.into_iter().map(|l| l.left(month)).sum()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn pool(budget: u64) -> Pool {
        Pool { monthly_budget: budget, used: 0, lifetime_cap: None, lifetime_used: 0, link_budget: None, link_used: 0 }
    }

    #[test]
    fn a_grant_is_what_the_tightest_of_budget_cap_and_links_share_leaves() {
        let p = Pool { monthly_budget: 100, used: 90, lifetime_cap: Some(1_000), lifetime_used: 995, link_budget: Some(80), link_used: 70 };
        assert_eq!(grant(&p, 50), 5, "the lifetime cap leaves 5");
        assert_eq!(grant(&Pool { lifetime_cap: None, ..p }, 50), 10, "the budget and the links' share leave 10");
        assert_eq!(grant(&Pool { lifetime_cap: None, link_budget: Some(75), ..p }, 50), 5);
        assert_eq!(grant(&Pool { used: 100, ..p }, 50), 0);
        assert_eq!(grant(&Pool { used: 120, ..p }, 50), 0, "a lowered budget below what was used grants nothing");
        assert_eq!(Refill::of(Pool { used: 100, ..p }, 50), None);
    }

    #[test]
    fn the_lease_size_is_an_even_part_of_a_quarter_of_the_budget_within_bounds() {
        assert_eq!(lease_size(1_000_000, 16), MAX_LEASE);
        assert_eq!(lease_size(1_280, 16), 20);
        assert_eq!(lease_size(10, 16), 1);
        assert_eq!(lease_size(0, 4), 1);
    }

    #[test]
    fn a_refill_read_before_another_applied_is_refused_when_both_would_not_fit() {
        let read = Pool { used: 90, ..pool(100) };
        let first = Refill::of(read, 10).unwrap();
        let second = Refill::of(read, 10).unwrap();
        assert!(first.applies_to(&read));
        let after = first.apply(&read);
        assert!(!second.applies_to(&after), "both read 90 of 100: only one may take the last 10");
        let small = Refill::of(Pool { used: 95, ..pool(100) }, 10).unwrap();
        assert_eq!(small.units, 5);
        assert!(!small.applies_to(&Pool { used: 96, ..pool(100) }));
        assert!(small.applies_to(&Pool { used: 94, ..pool(100) }), "less used than read still leaves room");
        assert!(!first.applies_to(&Pool { monthly_budget: 50, ..read }), "a plan change between read and write refuses the refill");
    }

    #[test]
    fn a_lease_of_an_older_month_holds_nothing_and_is_not_counted_as_unspent() {
        let old = Lease { month: "2026-11".into(), granted: 50, used: 20 };
        let now = Lease { month: "2026-12".into(), granted: 50, used: 45 };
        assert_eq!(old.left("2026-12"), 0);
        assert_eq!(now.left("2026-12"), 5);
        assert_eq!(unspent([&old, &now], "2026-12"), 5);
        assert_eq!(unspent([&old, &now], "2026-11"), 30);
    }

    /// A model of DynamoDB's conditional writes (each applied atomically,
    /// under one lock) with many threads charging responses through leases
    /// as the store does: charge your lease; when it is out, refill it from
    /// what the account was read to hold; when the account has nothing
    /// left, try the other leases. The month changes halfway through one
    /// run. Whatever the interleaving: no month charges more than its
    /// budget, and every unit of it is charged before a response is
    /// refused.
    #[test]
    fn concurrent_lease_takers_never_hand_out_more_than_the_budget_and_use_all_of_it() {
        const SHARDS: usize = 8;
        const BUDGET: u64 = 1_000;
        struct World {
            account: Pool,
            month: String,
            leases: Vec<Lease>,
            charged: std::collections::BTreeMap<String, u64>,
        }
        for run in 0..20u64 {
            let world = Arc::new(Mutex::new(World {
                account: Pool { link_budget: Some(900), ..pool(BUDGET) },
                month: "2026-11".into(),
                leases: vec![Lease::default(); SHARDS],
                charged: Default::default(),
            }));
            let refused = Arc::new(Mutex::new(Vec::<String>::new()));
            let threads: Vec<_> = (0..16)
                .map(|t| {
                    let (world, refused) = (world.clone(), refused.clone());
                    std::thread::spawn(move || {
                        let mut rng = fastrand::Rng::with_seed(run * 100 + t);
                        for i in 0..150 {
                            if run % 2 == 1 && t == 0 && i == 75 {
                                // a month boundary: the account's counters reset
                                let mut w = world.lock().unwrap();
                                w.month = "2026-12".into();
                                w.account = Pool { link_budget: Some(900), ..pool(BUDGET) };
                            }
                            let month = world.lock().unwrap().month.clone();
                            let mine = rng.usize(0..SHARDS);
                            let charge = |n: usize| {
                                let mut w = world.lock().unwrap();
                                if w.month == month && w.leases[n].left(&month) > 0 {
                                    w.leases[n].used += 1;
                                    *w.charged.entry(month.clone()).or_default() += 1;
                                    true
                                } else {
                                    false
                                }
                            };
                            let mut done = charge(mine);
                            while !done {
                                // refill: read the account, then write conditionally
                                let read = { world.lock().unwrap().account };
                                std::thread::yield_now();
                                let Some(refill) = Refill::of(read, lease_size(BUDGET, SHARDS as u32)) else { break };
                                let applied = {
                                    let mut w = world.lock().unwrap();
                                    if w.month == month && refill.applies_to(&w.account) {
                                        w.account = refill.apply(&w.account);
                                        let lease = &mut w.leases[mine];
                                        if lease.month != month {
                                            *lease = Lease { month: month.clone(), granted: 0, used: 0 };
                                        }
                                        lease.granted += refill.units;
                                        true
                                    } else {
                                        false
                                    }
                                };
                                if applied || world.lock().unwrap().month != month {
                                    done = charge(mine);
                                    if world.lock().unwrap().month != month {
                                        break;
                                    }
                                }
                            }
                            if !done {
                                done = (0..SHARDS).any(charge);
                            }
                            if !done && world.lock().unwrap().month == month {
                                refused.lock().unwrap().push(month.clone());
                            }
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            let w = world.lock().unwrap();
            for (month, charged) in &w.charged {
                assert!(*charged <= 900, "run {run}: {month} charged {charged} of the links' 900");
            }
            let last = w.charged.get(&w.month).copied().unwrap_or(0);
            assert_eq!(
                w.account.used,
                last + unspent(&w.leases, &w.month),
                "run {run}: the account counts what was charged and what leases hold"
            );
            let refused = refused.lock().unwrap();
            for month in refused.iter() {
                assert_eq!(
                    w.charged.get(month).copied(),
                    Some(900),
                    "run {run}: a response of {month} was refused before the budget was spent"
                );
            }
            assert!(!refused.is_empty(), "run {run}: 2,400 responses against 900: some must be refused");
        }
    }
}
