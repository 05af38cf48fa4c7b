//! What the aggregates say about a metric alert rule
//! ([`crate::domain::alerts`]): the metric's reading with its interval, the
//! one-sided test of a fall against the baseline, and the verdict.

use serde::{Deserialize, Serialize};

use super::aggregate::{histogram, Counters};
use crate::domain::alerts::{AlertRule, Condition, Metric};
use crate::domain::metrics::{csat, normal_cdf, nps_change_p, nps_counts, NpsCounts, SIGNIFICANT_P};
use crate::domain::survey::ids;

/// The two-sided 95 % quantile of the standard normal distribution.
const Z95: f64 = 1.959_963_984_540_054;

/// A metric as read from summed counters: its value, 95 % interval and the
/// answers behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub answers: u64,
}

/// The Wilson 95 % interval of `k` of `n`, in per cent.
fn wilson(k: u64, n: u64) -> (f64, f64) {
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    (((centre - half) * 100.0).max(0.0), ((centre + half) * 100.0).min(100.0))
}

/// Mean, variance of the mean, and count of a 1–7 histogram.
fn mean_and_variance(c: &Counters, question: &str) -> Option<(f64, f64, u64)> {
    let h = histogram(c, question);
    let n: u64 = h.values().sum();
    if n == 0 {
        return None;
    }
    let mean = h.iter().map(|(v, k)| *v as f64 * *k as f64).sum::<f64>() / n as f64;
    let var = if n > 1 { h.iter().map(|(v, k)| (*v as f64 - mean).powi(2) * *k as f64).sum::<f64>() / (n - 1) as f64 } else { 0.0 };
    Some((mean, var / n as f64, n))
}

/// The satisfied (4–5) and all CSAT answers.
fn csat_counts(c: &Counters) -> (u64, u64) {
    let h = histogram(c, ids::CSAT);
    (h.range(4..=5).map(|(_, k)| *k).sum(), h.values().sum())
}

/// The metric of `c`; `None` without answers. A response count's interval
/// is the count itself (it is not a sample).
pub fn reading(metric: Metric, c: &Counters) -> Option<Reading> {
    match metric {
        Metric::Nps => {
            let n: NpsCounts = nps_counts(&histogram(c, ids::NPS));
            let (low, high) = n.interval()?;
            Some(Reading { value: n.score()?, low, high, answers: n.total() })
        }
        Metric::Csat => {
            let (k, n) = csat_counts(c);
            let value = csat(&histogram(c, ids::CSAT))?;
            let (low, high) = wilson(k, n);
            Some(Reading { value, low, high, answers: n })
        }
        Metric::Ces => {
            let (mean, var, n) = mean_and_variance(c, ids::CES)?;
            let half = Z95 * var.sqrt();
            Some(Reading { value: mean, low: (mean - half).max(1.0), high: (mean + half).min(7.0), answers: n })
        }
        Metric::Responses => {
            let n = c.get("n").copied().unwrap_or(0);
            Some(Reading { value: n as f64, low: n as f64, high: n as f64, answers: n })
        }
    }
}

/// P(X ≤ k) for X Poisson with mean `lambda`.
fn poisson_cdf(k: u64, lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 1.0;
    }
    let mut term = (-lambda).exp();
    if term == 0.0 {
        // far out: the normal approximation with continuity correction
        return normal_cdf((k as f64 + 0.5 - lambda) / lambda.sqrt());
    }
    let mut sum = term;
    for i in 1..=k {
        term *= lambda / i as f64;
        sum += term;
        if sum >= 1.0 {
            return 1.0;
        }
    }
    sum.min(1.0)
}

/// The one-sided p-value that `now` is lower than `base` (for responses:
/// that a count this low comes from the baseline's rate). `None` when
/// either side has no answers.
pub fn fall_p(metric: Metric, now: &Counters, base: &Counters, window_days: i64, baseline_days: i64) -> Option<f64> {
    let one_sided = |z: f64| 1.0 - normal_cdf(z);
    match metric {
        Metric::Nps => {
            let (a, b) = (nps_counts(&histogram(now, ids::NPS)), nps_counts(&histogram(base, ids::NPS)));
            let two = nps_change_p(&a, &b)?;
            // the two-sided p halved, on the side of a fall
            Some(if a.score()? < b.score()? { two / 2.0 } else { 1.0 - two / 2.0 })
        }
        Metric::Csat => {
            let ((ka, na), (kb, nb)) = (csat_counts(now), csat_counts(base));
            if na == 0 || nb == 0 {
                return None;
            }
            let (pa, pb) = (ka as f64 / na as f64, kb as f64 / nb as f64);
            let pooled = (ka + kb) as f64 / (na + nb) as f64;
            let se = (pooled * (1.0 - pooled) * (1.0 / na as f64 + 1.0 / nb as f64)).sqrt();
            if se == 0.0 {
                return Some(if pa < pb { 0.0 } else { 1.0 });
            }
            Some(one_sided((pb - pa) / se))
        }
        Metric::Ces => {
            let (ma, va, _) = mean_and_variance(now, ids::CES)?;
            let (mb, vb, _) = mean_and_variance(base, ids::CES)?;
            let se = (va + vb).sqrt();
            if se == 0.0 {
                return Some(if ma < mb { 0.0 } else { 1.0 });
            }
            Some(one_sided((mb - ma) / se))
        }
        Metric::Responses => {
            let k = now.get("n").copied().unwrap_or(0);
            let base_n = base.get("n").copied().unwrap_or(0);
            let lambda = base_n as f64 * window_days as f64 / baseline_days as f64;
            Some(poisson_cdf(k, lambda))
        }
    }
}

/// What the data says about one rule and scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The condition holds, significantly, with enough answers.
    pub fire: bool,
    /// The point estimate is back on the right side (the end of an alert).
    pub recovered: bool,
    pub current: Option<Reading>,
    /// The baseline (drops only); for responses, its count scaled to the window.
    pub baseline: Option<Reading>,
    /// The test's p-value (drops), when both sides have answers.
    pub p: Option<f64>,
    /// Too few answers to say anything.
    pub too_few: bool,
}

/// Judges `rule` on the window's and the baseline's counters, with `min`
/// the fewest answers (the rule's own, else the project's).
pub fn judge(rule: &AlertRule, project_min: u64, now: &Counters, base: &Counters) -> Verdict {
    let min = rule.min_responses.map(u64::from).unwrap_or(project_min).max(1);
    let current = reading(rule.metric, now);
    let counts = rule.metric == Metric::Responses;
    let mut v = Verdict { fire: false, recovered: false, current, baseline: None, p: None, too_few: false };
    match rule.condition() {
        Condition::Below(t) | Condition::Above(t) => {
            let Some(c) = current else {
                v.too_few = true;
                return v;
            };
            // a count is exact; a score counts only from `min` answers
            if !counts && c.answers < min {
                v.too_few = true;
                v.recovered = false;
                return v;
            }
            match rule.condition() {
                Condition::Below(_) => {
                    v.fire = c.high < t;
                    v.recovered = c.value >= t;
                }
                _ => {
                    v.fire = c.low > t;
                    v.recovered = c.value <= t;
                }
            }
        }
        Condition::Drop(d) => {
            let (wd, bd) = (rule.window.days(), rule.baseline_days());
            let base_reading = reading(rule.metric, base).map(|b| {
                if counts {
                    let scaled = b.value * wd as f64 / bd as f64;
                    Reading { value: scaled, low: scaled, high: scaled, answers: b.answers }
                } else {
                    b
                }
            });
            v.baseline = base_reading;
            v.p = fall_p(rule.metric, now, base, wd, bd);
            let (Some(c), Some(b)) = (current, base_reading) else {
                v.too_few = true;
                return v;
            };
            let enough = if counts { b.answers >= min } else { c.answers >= min && b.answers >= min };
            if !enough {
                v.too_few = true;
                return v;
            }
            // the fall that counts: points, or per cent of the baseline's rate
            let floor = if counts { b.value * (1.0 - d / 100.0) } else { b.value - d };
            let fell = c.value < b.value && c.value <= floor;
            v.fire = fell && v.p.is_some_and(|p| p <= SIGNIFICANT_P);
            v.recovered = c.value > floor || c.value >= b.value;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nps(p: u64, pa: u64, d: u64) -> Counters {
        let mut c = Counters::new();
        c.insert("n".into(), p + pa + d);
        c.insert("nps.10".into(), p);
        c.insert("nps.8".into(), pa);
        c.insert("nps.3".into(), d);
        c
    }

    fn rule(json: serde_json::Value) -> AlertRule {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_threshold_fires_only_when_the_whole_interval_is_beyond_it() {
        let r = rule(serde_json::json!({ "name": "low-nps", "metric": "nps", "below": 20 }));
        // NPS 0 of 10 answers (interval about −45…45): not clearly below 20
        let v = judge(&r, 10, &nps(3, 4, 3), &Counters::new());
        assert!(!v.fire && !v.recovered && !v.too_few, "{v:?}");
        // NPS −40 of 50 answers: interval about −60…−18, all below 20
        let v = judge(&r, 10, &nps(10, 10, 30), &Counters::new());
        assert!(v.fire, "{v:?}");
        // too few answers: nothing said
        let v = judge(&r, 10, &nps(0, 0, 5), &Counters::new());
        assert!(!v.fire && v.too_few);
        // back at 20 or above: recovered
        assert!(judge(&r, 10, &nps(20, 20, 10), &Counters::new()).recovered);
    }

    #[test]
    fn a_drop_must_be_significant_and_as_large_as_the_rule_says() {
        let r = rule(serde_json::json!({ "name": "fall", "metric": "nps", "drop": 10, "window": "week" }));
        let base = nps(60, 30, 10); // +50 on 100
                                    // +10 on 40: a fall of 40 points, p far below 0.05
        let v = judge(&r, 10, &nps(14, 16, 10), &base);
        assert!(v.fire && v.p.unwrap() < 0.01, "{v:?}");
        // +40 on 10: a fall of 10, not significant on so few
        let v = judge(&r, 10, &nps(5, 4, 1), &base);
        assert!(!v.fire && v.p.unwrap() > SIGNIFICANT_P, "{v:?}");
        // a rise never fires
        assert!(!judge(&r, 10, &nps(40, 0, 0), &base).fire);
    }

    #[test]
    fn csat_ces_and_response_counts_have_their_own_tests() {
        let mut now = Counters::new();
        now.insert("csat.5".into(), 10);
        now.insert("csat.2".into(), 30);
        let mut base = Counters::new();
        base.insert("csat.5".into(), 80);
        base.insert("csat.2".into(), 20);
        let r = rule(serde_json::json!({ "name": "c", "metric": "csat", "drop": 5 }));
        let v = judge(&r, 10, &now, &base);
        assert!(v.fire && (v.current.unwrap().value - 25.0).abs() < 1e-9, "{v:?}");
        // Wilson: 0 of 10 satisfied is 0 to 27.8 %, not 0 ± 0
        let (lo, hi) = wilson(0, 10);
        assert!(lo == 0.0 && (hi - 27.75).abs() < 0.05, "{hi}");
        // responses: 2 yesterday against 70 in the 7 days before (10 a day)
        let mut y = Counters::new();
        y.insert("n".into(), 2);
        let mut b = Counters::new();
        b.insert("n".into(), 70);
        let r = rule(serde_json::json!({ "name": "quiet", "metric": "responses", "drop": 50, "window": "day" }));
        let v = judge(&r, 10, &y, &b);
        assert!(v.fire && v.p.unwrap() < 0.01 && v.baseline.unwrap().value == 10.0, "{v:?}");
        // Poisson P(X ≤ 2 | 10) = 0.00277
        assert!((poisson_cdf(2, 10.0) - 0.002_769).abs() < 1e-5);
    }
}
