//! When colleagues are told about responses: threshold crossings of the
//! response-notification rule, and follow-up requests. Pure rules; the
//! ledger that makes each notification happen once lives in the store.

use serde::{Deserialize, Serialize};

use super::project::NotificationRule;

/// The rule in force and the response count it was set at: a rule applies
/// to thresholds above that count only, so changing N never re-sends a
/// threshold that has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInForce {
    pub rule: NotificationRule,
    /// The project's response count when the rule was set.
    pub since: u64,
}

/// A threshold that is due: its ledger key is stable for the rule, so it is
/// notified once whatever the retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    pub reached: u64,
    pub ledger_key: String,
}

/// The thresholds of `rule` reached by `count` responses, above `since`.
/// `every N`: N, 2N, 3N… (only the multiples above `since`); `once N`: N,
/// if it lies above `since`. At most `limit` of them, the most recent last.
pub fn due_thresholds(rule: RuleInForce, count: u64, limit: usize) -> Vec<Threshold> {
    match rule.rule {
        NotificationRule::Off => Vec::new(),
        NotificationRule::Once { n } => {
            let n = u64::from(n);
            if n > rule.since && n <= count {
                vec![Threshold { reached: n, ledger_key: format!("once#{n}") }]
            } else {
                Vec::new()
            }
        }
        NotificationRule::Every { n } => {
            let n = u64::from(n.max(1));
            let first = (rule.since / n + 1) * n;
            if first > count {
                return Vec::new();
            }
            let last = count / n * n;
            let total = ((last - first) / n + 1) as usize;
            let skip = total.saturating_sub(limit);
            (0..total)
                .skip(skip)
                .map(|i| first + i as u64 * n)
                .map(|t| Threshold { reached: t, ledger_key: format!("every#{n}#{t}") })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(n: u32, since: u64) -> RuleInForce {
        RuleInForce { rule: NotificationRule::Every { n }, since }
    }

    fn reached(v: Vec<Threshold>) -> Vec<u64> {
        v.into_iter().map(|t| t.reached).collect()
    }

    #[test]
    fn every_n_fires_at_each_multiple() {
        assert_eq!(reached(due_thresholds(every(50, 0), 49, 10)), Vec::<u64>::new());
        assert_eq!(reached(due_thresholds(every(50, 0), 50, 10)), vec![50]);
        assert_eq!(reached(due_thresholds(every(50, 0), 200, 10)), vec![50, 100, 150, 200]);
        assert_eq!(reached(due_thresholds(every(50, 0), 249, 10)), vec![50, 100, 150, 200]);
    }

    #[test]
    fn once_n_fires_once_when_reached() {
        let once = |n, since| RuleInForce { rule: NotificationRule::Once { n }, since };
        assert_eq!(reached(due_thresholds(once(150, 0), 149, 10)), Vec::<u64>::new());
        assert_eq!(reached(due_thresholds(once(150, 0), 150, 10)), vec![150]);
        assert_eq!(reached(due_thresholds(once(150, 0), 400, 10)), vec![150]);
        assert_eq!(due_thresholds(once(150, 0), 400, 10)[0].ledger_key, "once#150");
        assert_eq!(reached(due_thresholds(once(100, 120), 400, 10)), Vec::<u64>::new(), "already passed when set");
    }

    #[test]
    fn off_never_fires() {
        assert!(due_thresholds(RuleInForce { rule: NotificationRule::Off, since: 0 }, 1_000, 10).is_empty());
    }

    #[test]
    fn a_changed_rule_applies_only_above_the_count_it_was_set_at() {
        // 130 responses under "every 50" (50 and 100 were sent), then "every 20"
        assert_eq!(reached(due_thresholds(every(20, 130), 130, 10)), Vec::<u64>::new());
        assert_eq!(reached(due_thresholds(every(20, 130), 139, 10)), Vec::<u64>::new());
        assert_eq!(reached(due_thresholds(every(20, 130), 160, 10)), vec![140, 160]);
        assert_eq!(due_thresholds(every(20, 130), 140, 10)[0].ledger_key, "every#20#140");
        assert_eq!(due_thresholds(every(50, 0), 100, 10)[1].ledger_key, "every#50#100");
    }

    #[test]
    fn a_huge_jump_notifies_only_the_most_recent_thresholds() {
        assert_eq!(reached(due_thresholds(every(1, 0), 1_000_000, 3)), vec![999_998, 999_999, 1_000_000]);
    }
}
