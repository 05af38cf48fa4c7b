//! Account health (score and churn-risk flag) and the account report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::hierarchy::{roll_up, AccountCounts};
use super::mapping::{AccountRecord, TeamRecord};
use crate::domain::settings::TeamRole;

/// An account's counts from its summed aggregate counters (the
/// `AccountId` segment's buckets): responses, invitations, NPS, CSAT.
pub fn account_counts(c: &crate::domain::report::Counters) -> AccountCounts {
    use crate::domain::survey::ids;
    let nps = crate::domain::metrics::nps_counts(&crate::domain::report::histogram(c, ids::NPS));
    let csat = crate::domain::report::histogram(c, ids::CSAT);
    AccountCounts {
        responses: c.get("n").copied().unwrap_or(0),
        invited: c.get("invited").copied().unwrap_or(0),
        nps,
        csat_answers: csat.values().sum(),
        csat_satisfied: csat.iter().filter(|(v, _)| **v >= 4).map(|(_, n)| n).sum(),
    }
}

/// Fewest responses before a health score or a churn flag is given.
pub const MIN_RESPONSES: u64 = 5;

/// Detractor share above which an account is at risk.
pub const CHURN_DETRACTOR_SHARE: f64 = 0.30;

/// NPS drop against the previous period (points) that puts an account at risk.
pub const CHURN_NPS_DROP: f64 = 10.0;

/// An account's health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub nps: Option<f64>,
    pub previous_nps: Option<f64>,
    /// NPS now minus NPS in the previous period.
    pub trend: Option<f64>,
    pub csat: Option<f64>,
    pub response_rate: Option<f64>,
    pub detractor_share: Option<f64>,
    /// 0–100; none below [`MIN_RESPONSES`] responses.
    pub score: Option<f64>,
    pub churn_risk: bool,
    /// Why the account is flagged (empty when it is not).
    pub reasons: Vec<String>,
}

/// The health of an account from this period's and the previous period's
/// counts. The rule (also in the README):
/// * score = 50 % NPS rescaled to 0–100, 30 % CSAT, 20 % response rate
///   (weights of missing parts spread over the others), given from
///   [`MIN_RESPONSES`] responses on;
/// * churn risk when, with at least [`MIN_RESPONSES`] responses, the
///   detractor share is above 30 %, or NPS fell by 10 points or more
///   against the previous period (which also had enough responses).
pub fn health(now: &AccountCounts, previous: &AccountCounts) -> Health {
    let enough = |c: &AccountCounts| c.nps.total() >= MIN_RESPONSES;
    let nps = now.nps.score();
    let previous_nps = previous.nps.score().filter(|_| enough(previous));
    let trend = nps.zip(previous_nps).map(|(a, b)| a - b);
    let csat = (now.csat_answers > 0).then(|| now.csat_satisfied as f64 * 100.0 / now.csat_answers as f64);
    let response_rate = crate::domain::metrics::response_rate(now.responses, now.invited);
    let detractor_share = (now.nps.total() > 0).then(|| now.nps.detractors as f64 / now.nps.total() as f64);
    let parts: Vec<(f64, f64)> = [(0.5, nps.map(|n| (n + 100.0) / 2.0)), (0.3, csat), (0.2, response_rate)]
        .into_iter()
        .filter_map(|(w, v)| v.map(|v| (w, v)))
        .collect();
    let weight: f64 = parts.iter().map(|(w, _)| w).sum();
    let score = (enough(now) && weight > 0.0).then(|| (parts.iter().map(|(w, v)| w * v).sum::<f64>() / weight * 10.0).round() / 10.0);
    let mut reasons = Vec::new();
    if enough(now) {
        if let Some(d) = detractor_share.filter(|d| *d > CHURN_DETRACTOR_SHARE) {
            reasons.push(format!("{:.0} % detractors (above {:.0} %)", d * 100.0, CHURN_DETRACTOR_SHARE * 100.0));
        }
        if let Some(t) = trend.filter(|t| *t <= -CHURN_NPS_DROP) {
            reasons.push(format!("NPS fell by {:.0} points against the previous period", -t));
        }
    }
    Health { nps, previous_nps, trend, csat, response_rate, detractor_share, score, churn_risk: !reasons.is_empty(), reasons }
}

/// The rule behind the health score and the churn flag, as the report states it.
pub fn health_rule() -> String {
    format!(
        "score (0–100) = 50 % NPS rescaled to 0–100, 30 % CSAT, 20 % response rate (missing parts' weight spread over the others), from {MIN_RESPONSES} responses on; \
         churn risk when, with at least {MIN_RESPONSES} responses, detractors are above {:.0} % or NPS fell by {CHURN_NPS_DROP:.0} points or more against the previous period",
        CHURN_DETRACTOR_SHARE * 100.0
    )
}

/// One account of the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    /// Depth in the hierarchy (0: a top account).
    pub depth: usize,
    pub children: Vec<String>,
    /// Its own responses (its contacts').
    pub own: AccountCounts,
    /// Its own and every descendant's.
    pub rolled_up: AccountCounts,
    pub health: Health,
    pub team: Vec<TeamMember>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamMember {
    pub email: String,
    pub role: TeamRole,
}

/// The account report of a range (`from`..=`to`) against the range before.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountReport {
    pub project_id: String,
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub rule: String,
    pub accounts: Vec<AccountView>,
    /// Soft-deleted accounts (kept for history, not reported).
    pub deleted_accounts: usize,
}

/// What an account report is made from: the range and the one before it,
/// the stored accounts and team, and the `AccountId` segment's buckets over
/// both ranges.
pub struct ReportInputs<'a> {
    pub project_id: &'a str,
    pub from: time::Date,
    pub to: time::Date,
    pub previous_from: time::Date,
    pub accounts: &'a [AccountRecord],
    pub team: &'a [TeamRecord],
    pub buckets: Vec<crate::domain::report::Bucket>,
}

/// The account report: each active account's own and rolled-up figures
/// and health, tops first, each followed by its descendants (by name).
/// A deleted account is left out, and its children become tops.
pub fn account_report(i: ReportInputs<'_>) -> AccountReport {
    use crate::domain::report::{day_text, Counters};
    let mut now_counters: BTreeMap<String, Counters> = BTreeMap::new();
    let mut prev_counters: BTreeMap<String, Counters> = BTreeMap::new();
    for b in i.buckets {
        let (Some(d), Some(account)) = (b.day, b.value) else { continue };
        if d > i.to || d < i.previous_from {
            continue;
        }
        let into = if d >= i.from { now_counters.entry(account).or_default() } else { prev_counters.entry(account).or_default() };
        for (k, v) in b.counters {
            *into.entry(k).or_default() += v;
        }
    }
    let active: BTreeMap<&String, &AccountRecord> = i.accounts.iter().filter(|a| !a.deleted).map(|a| (&a.id, a)).collect();
    let links: BTreeMap<String, Option<String>> =
        active.values().map(|a| (a.id.clone(), a.parent_id.clone().filter(|p| active.contains_key(p)))).collect();
    let own = |counters: &BTreeMap<String, Counters>| -> BTreeMap<String, AccountCounts> {
        counters.iter().filter(|(k, _)| links.contains_key(*k)).map(|(k, c)| (k.clone(), account_counts(c))).collect()
    };
    let (own_now, own_prev) = (own(&now_counters), own(&prev_counters));
    let (rolled_now, rolled_prev) = (roll_up(&links, &own_now), roll_up(&links, &own_prev));
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, parent) in &links {
        if let Some(p) = parent {
            children.entry(p.clone()).or_default().push(id.clone());
        }
    }
    let name_of = |id: &String| active.get(id).map(|a| a.name.clone()).unwrap_or_default();
    for kids in children.values_mut() {
        kids.sort_by_key(|k| (name_of(k), k.clone()));
    }
    let mut tops: Vec<&String> = links.iter().filter(|(_, p)| p.is_none()).map(|(id, _)| id).collect();
    tops.sort_by_key(|id| (name_of(id), (*id).clone()));
    let mut stack: Vec<(String, usize)> = tops.into_iter().rev().map(|id| (id.clone(), 0)).collect();
    let mut accounts = Vec::new();
    while let Some((id, depth)) = stack.pop() {
        for k in children.get(&id).into_iter().flatten().rev() {
            stack.push((k.clone(), depth + 1));
        }
        let Some(a) = active.get(&id) else { continue };
        let rolled = rolled_now.get(&id).copied().unwrap_or_default();
        accounts.push(AccountView {
            id: id.clone(),
            name: a.name.clone(),
            parent_id: links.get(&id).cloned().flatten(),
            depth,
            children: children.get(&id).cloned().unwrap_or_default(),
            own: own_now.get(&id).copied().unwrap_or_default(),
            rolled_up: rolled,
            health: health(&rolled, &rolled_prev.get(&id).copied().unwrap_or_default()),
            team: i
                .team
                .iter()
                .filter(|t| t.account_id == id && !t.deleted)
                .map(|t| TeamMember { email: t.user_email.clone(), role: t.role })
                .collect(),
        });
    }
    AccountReport {
        project_id: i.project_id.to_string(),
        from: day_text(i.from),
        to: day_text(i.to),
        previous_from: day_text(i.previous_from),
        previous_to: day_text(i.from - time::Duration::days(1)),
        rule: health_rule(),
        accounts,
        deleted_accounts: i.accounts.iter().filter(|a| a.deleted).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::NpsCounts;

    #[test]
    fn account_counts_come_from_the_segment_counters() {
        let c: crate::domain::report::Counters =
            [("n", 4), ("invited", 10), ("nps.10", 2), ("nps.7", 1), ("nps.3", 1), ("csat.5", 3), ("csat.2", 1)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        let a = account_counts(&c);
        assert_eq!((a.responses, a.invited, a.csat_answers, a.csat_satisfied), (4, 10, 4, 3));
        assert_eq!(a.nps, NpsCounts { promoters: 2, passives: 1, detractors: 1 });
    }

    #[test]
    fn health_scores_and_the_churn_rule() {
        let c = |p, pa, d, invited, csat_answers, csat_satisfied| AccountCounts {
            responses: p + pa + d,
            invited,
            nps: NpsCounts { promoters: p, passives: pa, detractors: d },
            csat_answers,
            csat_satisfied,
        };
        // NPS 40 → 70; CSAT 80; response rate 50 → 0.5·70 + 0.3·80 + 0.2·50 = 69
        let h = health(&c(6, 2, 2, 20, 10, 8), &AccountCounts::default());
        assert_eq!((h.nps, h.score, h.churn_risk), (Some(40.0), Some(69.0), false));
        // four detractors of ten: at risk
        let h = health(&c(4, 2, 4, 10, 0, 0), &AccountCounts::default());
        assert!(h.churn_risk && h.reasons[0].contains("40 %"), "{h:?}");
        // NPS from 60 to 40 with enough responses both times: at risk
        let h = health(&c(6, 2, 2, 0, 0, 0), &c(7, 2, 1, 0, 0, 0));
        assert_eq!(h.trend, Some(-20.0));
        assert!(h.churn_risk && h.reasons.iter().any(|r| r.contains("fell by 20")));
        // too few responses: no score, no flag
        let h = health(&c(0, 0, 3, 3, 0, 0), &AccountCounts::default());
        assert_eq!((h.score, h.churn_risk), (None, false));
        // nothing at all: nothing is made up
        let h = health(&AccountCounts::default(), &AccountCounts::default());
        assert_eq!((h.nps, h.csat, h.response_rate, h.score), (None, None, None, None));
    }
}
