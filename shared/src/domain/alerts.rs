//! Metric alerts: a project's rules on NPS, CSAT, CES or the response
//! count, for the whole project or each value of a segment — a threshold
//! ("NPS below 20") or a drop against a trailing baseline (the day against
//! the 7 days before it, the week against the 28 before, the month against
//! the 90 before).
//!
//! A rule fires only when the data says so: at least the minimum number of
//! answers, and a significant result at 95 % — for a threshold, the whole
//! interval lies beyond it; for a drop, a two-sample test against the
//! baseline. Then it stays quiet (hysteresis) until that rule and segment
//! has recovered (the point estimate back at the threshold or the
//! baseline), and it fires at most once per period. Pure rules: reading
//! aggregates and the conditional writes that make each alert exactly once
//! live in the store and the callers.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// The days of aggregates an alert may read back (a report's longest
/// range, `report::MAX_REACH_DAYS`).
pub const MAX_REACH_DAYS: i64 = 800;

/// At most this many rules per project.
pub const MAX_RULES: usize = 20;

/// What a rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Nps,
    /// % of 4–5 on 1–5.
    Csat,
    /// Mean effort on 1–7 (higher is easier).
    Ces,
    /// Responses in the window.
    Responses,
}

impl Metric {
    /// The values a threshold may take.
    fn range(self) -> (f64, f64) {
        match self {
            Metric::Nps => (-100.0, 100.0),
            Metric::Csat => (0.0, 100.0),
            Metric::Ces => (1.0, 7.0),
            Metric::Responses => (0.0, 1e9),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Metric::Nps => "NPS",
            Metric::Csat => "CSAT",
            Metric::Ces => "CES",
            Metric::Responses => "responses",
        }
    }
}

/// The period a rule looks at, and the baseline a drop is measured against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    Day,
    #[default]
    Week,
    Month,
}

impl Window {
    pub fn days(self) -> i64 {
        match self {
            Window::Day => 1,
            Window::Week => 7,
            Window::Month => 30,
        }
    }

    /// The trailing baseline a drop is measured against: the 7 days before
    /// a day, the 28 before a week, the quarter before a month.
    pub fn baseline_days(self) -> i64 {
        match self {
            Window::Day => 7,
            Window::Week => 28,
            Window::Month => 90,
        }
    }

    /// The period a rule fires at most once in: the day, the ISO week, the
    /// month of `today`.
    pub fn period(self, today: Date) -> String {
        match self {
            Window::Day => format!("{:04}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day()),
            Window::Week => {
                let (year, week, _) = today.to_iso_week_date();
                format!("{year:04}-W{week:02}")
            }
            Window::Month => format!("{:04}-{:02}", today.year(), u8::from(today.month())),
        }
    }
}

/// One alert rule (`settings.alerts[]`). Exactly one of `below`, `above`
/// and `drop` is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// The rule's name, unique in the project (letters, digits, `-`, `_`).
    pub name: String,
    pub metric: Metric,
    /// A segment dimension (an operational field or an "about you"
    /// question): the rule holds for each of its values; none: the whole
    /// project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    #[serde(default)]
    pub window: Window,
    /// Fires when the metric is significantly below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Fires when the metric is significantly above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    /// Fires when the metric fell at least this much against the baseline
    /// (points; for responses, per cent of the baseline's rate) and the
    /// fall is significant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<f64>,
    /// Days of the baseline (default: the window's, 7, 28 or 90).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_days: Option<u32>,
    /// The fewest answers a verdict is drawn from (default: the project's
    /// `min_responses`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_responses: Option<u32>,
}

/// A rule's condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    Below(f64),
    Above(f64),
    Drop(f64),
}

impl AlertRule {
    pub fn condition(&self) -> Condition {
        match (self.below, self.above, self.drop) {
            (Some(b), _, _) => Condition::Below(b),
            (_, Some(a), _) => Condition::Above(a),
            (_, _, Some(d)) => Condition::Drop(d),
            _ => Condition::Drop(0.0),
        }
    }

    pub fn baseline_days(&self) -> i64 {
        self.baseline_days.map(i64::from).unwrap_or_else(|| self.window.baseline_days())
    }

    /// Checks the rule on its own (its segment is checked against the
    /// survey by [`check_segments`]); the error is (field under the rule,
    /// message).
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let n = self.name.trim();
        if n.is_empty() || n.len() > 40 || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(("name", format!("{:?} is not a rule name: 1-40 letters, digits, '-' or '_'", self.name)));
        }
        let given = [self.below, self.above, self.drop].iter().filter(|v| v.is_some()).count();
        if given != 1 {
            return Err(("below", "give exactly one of below, above or drop".into()));
        }
        let (lo, hi) = self.metric.range();
        for (field, v) in [("below", self.below), ("above", self.above)] {
            if let Some(v) = v {
                if !v.is_finite() || v < lo || v > hi {
                    return Err((field, format!("{v} is outside {}'s scale ({lo} to {hi})", self.metric.name())));
                }
            }
        }
        if let Some(d) = self.drop {
            let most = if self.metric == Metric::Responses { 100.0 } else { hi - lo };
            if !d.is_finite() || d < 0.0 || d > most {
                return Err(("drop", format!("{d} is not a fall between 0 and {most}")));
            }
        }
        if self.min_responses == Some(0) {
            return Err(("min_responses", "at least 1 answer".into()));
        }
        if let Some(0) = self.baseline_days {
            return Err(("baseline_days", "at least 1 day".into()));
        }
        let reach = self.window.days() + self.baseline_days() + 1;
        if reach > MAX_REACH_DAYS {
            return Err((
                "baseline_days",
                format!(
                    "the window and its baseline reach back {reach} days; the aggregates an alert reads reach back at most {MAX_REACH_DAYS}"
                ),
            ));
        }
        Ok(())
    }
}

/// Checks the rules of a project: each on its own, names unique, at most
/// [`MAX_RULES`]. The error is (field, message), the field as
/// `alerts[i].name`.
pub fn check_rules(rules: &[AlertRule]) -> Result<(), (String, String)> {
    if rules.len() > MAX_RULES {
        return Err(("alerts".into(), format!("at most {MAX_RULES} rules")));
    }
    for (i, r) in rules.iter().enumerate() {
        r.check().map_err(|(f, m)| (format!("alerts[{i}].{f}"), m))?;
        if rules[..i].iter().any(|o| o.name == r.name) {
            return Err((format!("alerts[{i}].name"), format!("{:?} is the name of an earlier rule", r.name)));
        }
    }
    Ok(())
}

/// Checks each rule's segment against the segments the survey has
/// (`known`: operational fields and segment questions, by name).
pub fn check_segments(rules: &[AlertRule], known: &[String]) -> Result<(), (String, String)> {
    for (i, r) in rules.iter().enumerate() {
        if let Some(s) = &r.segment {
            if !known.contains(s) {
                let list = if known.is_empty() { "the project has none".to_string() } else { known.join(", ") };
                return Err((format!("alerts[{i}].segment"), format!("no segment named {s:?}; segments are: {list}")));
            }
        }
    }
    Ok(())
}

/// The days a rule reads on `today` (UTC): the window and its baseline,
/// each inclusive. A response count looks at complete days only (the
/// window ends yesterday), a score at everything so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub window: (Date, Date),
    pub baseline: (Date, Date),
}

pub fn span(rule: &AlertRule, today: Date) -> Span {
    let end = if rule.metric == Metric::Responses { today - Duration::days(1) } else { today };
    let from = end - Duration::days(rule.window.days() - 1);
    let base_to = from - Duration::days(1);
    Span { window: (from, end), baseline: (base_to - Duration::days(rule.baseline_days() - 1), base_to) }
}

/// A rule's state for one scope, kept in the store and written only under
/// a condition on `version` (compare and set).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AlertState {
    /// Fired and not recovered since.
    pub alerting: bool,
    /// Alerts fired so far (each one's ledger key has its number).
    pub episode: u64,
    /// The period of the last alert.
    #[serde(default)]
    pub period: String,
    /// The last alert's emails went out.
    #[serde(default)]
    pub notified: bool,
    /// Bumped by every write; a write expects the version it read.
    pub version: u64,
}

/// What to do with a rule and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Write the new state (expecting the read version), then send the
    /// alert of its episode.
    Fire(AlertState),
    /// The last alert was claimed but its emails may not have gone out:
    /// send them (the ledger keeps them once).
    Resend,
    /// Write the recovered state.
    Recover(AlertState),
    Nothing,
}

/// The next step from the stored state, what the data says (`fire`: the
/// condition holds significantly; `recovered`: the point estimate is back)
/// and the current period.
pub fn step(state: Option<&AlertState>, fire: bool, recovered: bool, period: &str) -> Step {
    let s = state.cloned().unwrap_or_default();
    if s.alerting {
        if recovered && s.notified {
            return Step::Recover(AlertState { alerting: false, version: s.version + 1, ..s });
        }
        if !s.notified {
            return Step::Resend;
        }
        return Step::Nothing;
    }
    if fire && s.period != period {
        return Step::Fire(AlertState {
            alerting: true,
            episode: s.episode + 1,
            period: period.to_string(),
            notified: false,
            version: s.version + 1,
        });
    }
    Step::Nothing
}

/// The state key of a rule and scope (the segment value, none for the
/// whole project).
pub fn state_key(rule: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{rule}#{v}"),
        None => format!("{rule}#*"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rule(json: serde_json::Value) -> AlertRule {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn hysteresis_one_alert_until_recovered_and_once_per_period() {
        let (firing, calm) = ((true, false), (false, true));
        let Step::Fire(s1) = step(None, firing.0, firing.1, "2026-W49") else { panic!() };
        assert_eq!((s1.episode, s1.alerting, s1.version), (1, true, 1));
        // claimed, not yet sent: send (again)
        assert_eq!(step(Some(&s1), firing.0, firing.1, "2026-W49"), Step::Resend);
        let sent = AlertState { notified: true, ..s1.clone() };
        // still firing: nothing new
        assert_eq!(step(Some(&sent), firing.0, firing.1, "2026-W50"), Step::Nothing);
        let Step::Recover(r) = step(Some(&sent), calm.0, calm.1, "2026-W49") else { panic!() };
        assert!(!r.alerting && r.version == 2);
        // a new fall in the same period: still once per period
        assert_eq!(step(Some(&r), firing.0, firing.1, "2026-W49"), Step::Nothing);
        let Step::Fire(s2) = step(Some(&r), firing.0, firing.1, "2026-W50") else { panic!() };
        assert_eq!(s2.episode, 2);
    }

    #[test]
    fn spans_and_periods() {
        let today = date!(2026 - 12 - 03);
        let r = rule(serde_json::json!({ "name": "w", "metric": "nps", "drop": 5 }));
        let s = span(&r, today);
        assert_eq!((s.window, s.baseline), ((date!(2026 - 11 - 27), today), (date!(2026 - 10 - 30), date!(2026 - 11 - 26))));
        let c = rule(serde_json::json!({ "name": "d", "metric": "responses", "below": 5, "window": "day" }));
        assert_eq!(span(&c, today).window, (date!(2026 - 12 - 02), date!(2026 - 12 - 02)), "complete days only");
        assert_eq!(Window::Week.period(today), "2026-W49");
        assert_eq!(Window::Month.period(today), "2026-12");
        assert_eq!(Window::Day.period(today), "2026-12-03");
        assert_eq!(MAX_REACH_DAYS, crate::domain::report::MAX_RANGE_DAYS);
    }

    #[test]
    fn bad_rules_are_refused_naming_the_field() {
        let bad = |json: serde_json::Value| check_rules(&[rule(json)]).unwrap_err();
        assert_eq!(bad(serde_json::json!({ "name": "a", "metric": "nps", "below": 20, "min_responses": 0 })).0, "alerts[0].min_responses");
        assert_eq!(bad(serde_json::json!({ "name": "a", "metric": "nps", "below": 200 })).0, "alerts[0].below");
        assert_eq!(bad(serde_json::json!({ "name": "a", "metric": "nps" })).0, "alerts[0].below");
        let long = bad(serde_json::json!({ "name": "a", "metric": "nps", "drop": 5, "window": "month", "baseline_days": 900 }));
        assert_eq!(long.0, "alerts[0].baseline_days");
        assert!(long.1.contains("800"), "{}", long.1);
        assert!(serde_json::from_value::<AlertRule>(serde_json::json!({ "name": "a", "metric": "happiness", "below": 1 })).is_err());
        let seg = check_segments(
            &[rule(serde_json::json!({ "name": "a", "metric": "nps", "below": 1, "segment": "Regio" }))],
            &["Region".into()],
        )
        .unwrap_err();
        assert_eq!(seg.0, "alerts[0].segment");
        assert!(seg.1.contains("Region"));
    }
}
