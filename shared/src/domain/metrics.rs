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
