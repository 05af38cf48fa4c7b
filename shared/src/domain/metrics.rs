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
