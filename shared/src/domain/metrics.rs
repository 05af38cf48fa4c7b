//! Survey metrics from counts: NPS with its margin of error.

use serde::{Deserialize, Serialize};

/// Where an NPS answer (0–10) falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsGroup {
    /// 9–10
    Promoter,
    /// 7–8
    Passive,
    /// 0–6
    Detractor,
}

/// The group of an NPS answer; `None` outside 0–10.
pub fn nps_group(score: i64) -> Option<NpsGroup> {
    match score {
        9..=10 => Some(NpsGroup::Promoter),
        7..=8 => Some(NpsGroup::Passive),
        0..=6 => Some(NpsGroup::Detractor),
        _ => None,
    }
}

/// NPS answer counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsCounts {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

impl NpsCounts {
    pub fn total(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    /// % promoters − % detractors, from −100 to 100; `None` without answers.
    pub fn score(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| (self.promoters as f64 - self.detractors as f64) * 100.0 / n as f64)
    }

    /// The 95% margin of error of the score, in NPS points:
    /// 1.96 · √((p + d − (p − d)²) / n) · 100, with p and d the promoter and
    /// detractor shares. `None` without answers.
    pub fn margin_of_error(&self) -> Option<f64> {
        let n = self.total();
        if n == 0 {
            return None;
        }
        let p = self.promoters as f64 / n as f64;
        let d = self.detractors as f64 / n as f64;
        let variance = (p + d - (p - d).powi(2)).max(0.0);
        Some(1.96 * (variance / n as f64).sqrt() * 100.0)
    }
}

/// The two-sided 95 % quantile of the standard normal distribution.
const Z95: f64 = 1.959_963_984_540_054;

impl NpsCounts {
    /// The adjusted shares behind [`Self::interval`]: three answers added
    /// (¾ promoter, 1½ passive, ¾ detractor), and the adjusted score's
    /// variance per answer (on −1…1).
    fn adjusted(&self) -> (f64, f64) {
        let n = self.total() as f64 + 3.0;
        let p = (self.promoters as f64 + 0.75) / n;
        let d = (self.detractors as f64 + 0.75) / n;
        let s = p - d;
        (s, ((p + d - s * s) / n).max(0.0))
    }

    /// The 95 % interval of the score, in NPS points, by the adjusted-Wald
    /// method (Rocks 2016), which keeps its coverage at small samples and
    /// at extreme scores where the plain Wald interval collapses to a
    /// point (five promoters out of five: 17.5 to 100, not 100 ± 0);
    /// clipped to −100…100. `None` without answers.
    pub fn interval(&self) -> Option<(f64, f64)> {
        if self.total() == 0 {
            return None;
        }
        let (s, v) = self.adjusted();
        let half = Z95 * v.sqrt();
        Some((((s - half) * 100.0).max(-100.0), ((s + half) * 100.0).min(100.0)))
    }
}

/// Whether two NPS samples differ: the two-sided p-value of the difference
/// of their adjusted-Wald scores (a z-test on the adjusted shares and
/// variances, so that small samples and samples of identical answers do
/// not claim certainty: one promoter against one detractor is p = 0.35).
/// `None` when either has no answers.
pub fn nps_change_p(now: &NpsCounts, before: &NpsCounts) -> Option<f64> {
    now.score()?;
    before.score()?;
    let (a, va) = now.adjusted();
    let (b, vb) = before.adjusted();
    let se = (va + vb).sqrt();
    if se == 0.0 {
        return None;
    }
    let z = (a - b) / se;
    Some((2.0 * (1.0 - normal_cdf(z.abs()))).clamp(0.0, 1.0))
}

/// A change is called significant at this p-value or below (95 %).
pub const SIGNIFICANT_P: f64 = 0.05;

/// The standard normal distribution function, from the complementary
/// error function (Numerical Recipes' `erfcc`, fractional error below
/// 1.2·10⁻⁷).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07 + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// Counts of the answers to one scale question: value → how many.
pub type Histogram = std::collections::BTreeMap<i64, u64>;

/// CSAT: the share (%) of 4 and 5 answers on the 1–5 scale.
pub fn csat(h: &Histogram) -> Option<f64> {
    let n: u64 = h.values().sum();
    (n > 0).then(|| h.range(4..=5).map(|(_, c)| *c).sum::<u64>() as f64 * 100.0 / n as f64)
}

/// CES: the mean effort on the 1–7 scale and the share (%) of "easy"
/// answers (5–7).
pub fn ces(h: &Histogram) -> Option<(f64, f64)> {
    let n: u64 = h.values().sum();
    if n == 0 {
        return None;
    }
    let sum: i64 = h.iter().map(|(v, c)| v * *c as i64).sum();
    let easy: u64 = h.range(5..=7).map(|(_, c)| *c).sum();
    Some((sum as f64 / n as f64, easy as f64 * 100.0 / n as f64))
}

/// NPS counts from the 0–10 histogram.
pub fn nps_counts(h: &Histogram) -> NpsCounts {
    let mut c = NpsCounts::default();
    for (v, n) in h {
        match nps_group(*v) {
            Some(NpsGroup::Promoter) => c.promoters += n,
            Some(NpsGroup::Passive) => c.passives += n,
            Some(NpsGroup::Detractor) => c.detractors += n,
            None => {}
        }
    }
    c
}

/// Response rate (%): responses ÷ delivered invitations; `None` before any
/// invitation was delivered.
pub fn response_rate(responses: u64, delivered: u64) -> Option<f64> {
    (delivered > 0).then(|| responses as f64 * 100.0 / delivered as f64)
}

/// A scale's mean placed on 0–100 (min → 0, max → 100), so that areas
/// measured on different scales compare.
pub fn scale_score(h: &Histogram, min: i64, max: i64) -> Option<f64> {
    let n: u64 = h.values().sum();
    if n == 0 || max <= min {
        return None;
    }
    let sum: i64 = h.iter().map(|(v, c)| v * *c as i64).sum();
    let mean = sum as f64 / n as f64;
    Some((mean - min as f64) * 100.0 / (max - min) as f64)
}

#[cfg(test)]
mod scale_tests {
    use super::*;

    fn h(pairs: &[(i64, u64)]) -> Histogram {
        pairs.iter().copied().collect()
    }

    #[test]
    fn csat_is_the_share_of_four_and_five() {
        assert_eq!(csat(&h(&[(5, 3), (4, 1), (3, 2), (1, 2)])), Some(50.0));
        assert_eq!(csat(&Histogram::new()), None);
        assert_eq!(csat(&h(&[(5, 4)])), Some(100.0));
    }

    #[test]
    fn ces_is_the_mean_and_the_easy_share() {
        // 7,7,5,2 → mean 5.25, easy 3 of 4
        assert_eq!(ces(&h(&[(7, 2), (5, 1), (2, 1)])), Some((5.25, 75.0)));
        assert_eq!(ces(&Histogram::new()), None);
    }

    #[test]
    fn nps_from_a_histogram_matches_the_counts() {
        let c = nps_counts(&h(&[(10, 2), (9, 3), (8, 1), (7, 2), (6, 1), (0, 1)]));
        assert_eq!(c, NpsCounts { promoters: 5, passives: 3, detractors: 2 });
        assert!((c.score().unwrap() - 30.0).abs() < 1e-9);
    }

    #[test]
    fn response_rate_and_scale_scores() {
        assert_eq!(response_rate(25, 100), Some(25.0));
        assert_eq!(response_rate(3, 0), None);
        assert_eq!(scale_score(&h(&[(1, 1), (5, 1)]), 1, 5), Some(50.0));
        assert_eq!(scale_score(&h(&[(5, 2)]), 1, 5), Some(100.0));
        assert_eq!(scale_score(&Histogram::new(), 1, 5), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_the_nps_definition() {
        assert_eq!(nps_group(10), Some(NpsGroup::Promoter));
        assert_eq!(nps_group(9), Some(NpsGroup::Promoter));
        assert_eq!(nps_group(8), Some(NpsGroup::Passive));
        assert_eq!(nps_group(7), Some(NpsGroup::Passive));
        assert_eq!(nps_group(6), Some(NpsGroup::Detractor));
        assert_eq!(nps_group(0), Some(NpsGroup::Detractor));
        assert_eq!(nps_group(11), None);
        assert_eq!(nps_group(-1), None);
    }

    #[test]
    fn the_adjusted_wald_interval_by_hand() {
        let close = |a: f64, b: f64| (a - b).abs() < 0.01;
        // five promoters of five: not "100 ± 0" but 17.5 to 100 (n' = 8,
        // p' = 5.75/8, d' = 0.75/8, var = (0.8125 − 0.625²)/8)
        let (lo, hi) = NpsCounts { promoters: 5, ..Default::default() }.interval().unwrap();
        assert!(close(lo, 17.49) && hi == 100.0, "{lo} {hi}");
        // 5/3/2: n' = 13, p' = 5.75/13, d' = 2.75/13
        let (lo, hi) = NpsCounts { promoters: 5, passives: 3, detractors: 2 }.interval().unwrap();
        assert!(close(lo, -19.05) && close(hi, 65.20), "{lo} {hi}");
        // three detractors: clipped at −100
        let (lo, hi) = NpsCounts { detractors: 3, ..Default::default() }.interval().unwrap();
        assert!(lo == -100.0 && close(hi, 6.58), "{lo} {hi}");
        assert_eq!(NpsCounts::default().interval(), None);
    }

    #[test]
    fn a_change_is_significant_only_when_the_samples_say_so() {
        let c = |p, pa, d| NpsCounts { promoters: p, passives: pa, detractors: d };
        // NPS 50 against 0 with 60 answers each: adjusted 0.492 against 0,
        // z = 3.38
        let p = nps_change_p(&c(40, 10, 10), &c(20, 20, 20)).unwrap();
        assert!((p - 0.000_721).abs() < 0.000_01 && p < SIGNIFICANT_P, "{p}");
        // a few answers either way: no clear change
        let p = nps_change_p(&c(3, 1, 1), &c(2, 2, 1)).unwrap();
        assert!((p - 0.7440).abs() < 0.001, "{p}");
        let p = nps_change_p(&c(30, 10, 10), &c(25, 10, 15)).unwrap();
        assert!((p - 0.2437).abs() < 0.001 && p > SIGNIFICANT_P, "{p}");
        // one promoter against one detractor is 200 points, and proves nothing
        let p = nps_change_p(&c(1, 0, 0), &c(0, 0, 1)).unwrap();
        assert!((p - 0.3458).abs() < 0.001, "{p}");
        assert_eq!(nps_change_p(&c(0, 0, 0), &c(1, 0, 0)), None);
    }

    #[test]
    fn the_normal_distribution_function_matches_its_table() {
        for (x, want) in [(0.0, 0.5), (1.0, 0.841_344_7), (1.959_964, 0.975), (-2.575_829, 0.005), (3.0, 0.998_650_1)] {
            assert!((normal_cdf(x) - want).abs() < 1e-6, "{x}: {}", normal_cdf(x));
        }
    }

    #[test]
    fn score_and_margin_by_hand() {
        // 5 promoters, 3 passives, 2 detractors: NPS = 50% − 20% = 30
        let c = NpsCounts { promoters: 5, passives: 3, detractors: 2 };
        assert!((c.score().unwrap() - 30.0).abs() < 1e-9);
        // variance = 0.5 + 0.2 − 0.09 = 0.61; MOE = 1.96·√(0.061)·100 = 48.41
        assert!((c.margin_of_error().unwrap() - 48.408).abs() < 0.01);
        assert_eq!(NpsCounts::default().score(), None);
        assert_eq!(NpsCounts { promoters: 4, ..Default::default() }.score(), Some(100.0));
        assert_eq!(NpsCounts { detractors: 4, ..Default::default() }.score(), Some(-100.0));
        assert_eq!(NpsCounts { promoters: 4, ..Default::default() }.margin_of_error(), Some(0.0));
    }
}
