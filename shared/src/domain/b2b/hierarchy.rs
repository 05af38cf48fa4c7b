//! The account hierarchy: parent links checked (no unknown parent, no
//! cycle) and counts rolled up from each account to its ancestors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::metrics::NpsCounts;

/// A parent link that cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HierarchyProblem {
    pub account_id: String,
    pub parent_id: String,
    pub reason: String,
}

/// Checks parent links: `links` are every account's parent (stored and
/// imported, the imported ones winning); a parent that is not an account,
/// or a link that closes a cycle, is reported and left out. Returns the
/// links that hold and the problems.
pub fn check_hierarchy(links: &BTreeMap<String, Option<String>>) -> (BTreeMap<String, Option<String>>, Vec<HierarchyProblem>) {
    let mut problems = Vec::new();
    let mut ok: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (id, parent) in links {
        match parent {
            Some(p) if !links.contains_key(p) => {
                problems.push(HierarchyProblem {
                    account_id: id.clone(),
                    parent_id: p.clone(),
                    reason: format!("the parent {p:?} is not an account"),
                });
                ok.insert(id.clone(), None);
            }
            _ => {
                ok.insert(id.clone(), parent.clone());
            }
        }
    }
    // walk up from every account; a walk that comes back to an account of
    // its own path is a cycle: the link that closes it (the smallest id's
    // parent link, so the choice does not depend on where the walk began)
    // is cut and reported
    loop {
        let mut cut: Option<String> = None;
        'walk: for start in ok.keys() {
            let mut path: Vec<&String> = vec![start];
            let mut at = start;
            while let Some(Some(p)) = ok.get(at) {
                if let Some(pos) = path.iter().position(|x| *x == p) {
                    cut = path[pos..].iter().min().map(|s| (*s).clone());
                    break 'walk;
                }
                path.push(p);
                at = p;
            }
        }
        match cut {
            None => return (ok, problems),
            Some(id) => {
                let parent = ok.get(&id).cloned().flatten().unwrap_or_default();
                problems.push(HierarchyProblem {
                    account_id: id.clone(),
                    parent_id: parent.clone(),
                    reason: format!("making {parent:?} the parent of {id:?} closes a cycle"),
                });
                ok.insert(id, None);
            }
        }
    }
}

/// Every account's ancestors, nearest first (the hierarchy must be
/// acyclic, as [`check_hierarchy`] leaves it).
pub fn ancestors<'a>(links: &'a BTreeMap<String, Option<String>>, id: &str) -> Vec<&'a String> {
    let mut out = Vec::new();
    let mut at = links.get_key_value(id).map(|(k, _)| k);
    while let Some(k) = at {
        match links.get(k) {
            Some(Some(p)) if !out.contains(&p) && p != k => {
                out.push(p);
                at = links.get_key_value(p).map(|(k, _)| k);
            }
            _ => break,
        }
    }
    out
}

/// An account's counts over a period (its own, or rolled up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountCounts {
    pub responses: u64,
    pub invited: u64,
    pub nps: NpsCounts,
    /// CSAT answers and how many were 4–5.
    pub csat_answers: u64,
    pub csat_satisfied: u64,
}

impl AccountCounts {
    pub fn add(&mut self, o: &AccountCounts) {
        self.responses += o.responses;
        self.invited += o.invited;
        self.nps.promoters += o.nps.promoters;
        self.nps.passives += o.nps.passives;
        self.nps.detractors += o.nps.detractors;
        self.csat_answers += o.csat_answers;
        self.csat_satisfied += o.csat_satisfied;
    }
}

/// Rolls each account's own counts up the hierarchy: an account's figure
/// holds its own and every descendant's.
pub fn roll_up(links: &BTreeMap<String, Option<String>>, own: &BTreeMap<String, AccountCounts>) -> BTreeMap<String, AccountCounts> {
    let mut total: BTreeMap<String, AccountCounts> = links.keys().map(|k| (k.clone(), AccountCounts::default())).collect();
    for (id, c) in own {
        if let Some(t) = total.get_mut(id) {
            t.add(c);
        }
        for a in ancestors(links, id) {
            if let Some(t) = total.get_mut(a) {
                t.add(c);
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
        pairs.iter().map(|(a, p)| (a.to_string(), p.map(str::to_string))).collect()
    }

    #[test]
    fn unknown_parents_and_cycles_are_reported_not_stored() {
        let (ok, problems) = check_hierarchy(&links(&[
            ("A", None),
            ("B", Some("A")),
            ("C", Some("B")),
            ("D", Some("X")),
            ("E", Some("F")),
            ("F", Some("E")),
            ("G", Some("G")),
        ]));
        assert_eq!(ok["C"], Some("B".to_string()));
        assert_eq!(ok["D"], None);
        let reported: Vec<(&str, &str)> = problems.iter().map(|p| (p.account_id.as_str(), p.parent_id.as_str())).collect();
        assert!(reported.contains(&("D", "X")));
        assert!(reported.contains(&("E", "F")), "{problems:?}");
        assert!(reported.contains(&("G", "G")));
        assert_eq!(problems.len(), 3);
        assert_eq!(ok["F"], Some("E".to_string()), "one link of the cycle is cut, the other kept");
        assert_eq!(ancestors(&ok, "C"), vec!["B", "A"]);
    }

    #[test]
    fn figures_roll_up_the_hierarchy() {
        let l = links(&[("HQ", None), ("EU", Some("HQ")), ("DE", Some("EU")), ("US", Some("HQ"))]);
        let c = |responses, promoters, detractors| AccountCounts {
            responses,
            nps: NpsCounts { promoters, passives: 0, detractors },
            ..Default::default()
        };
        let own = BTreeMap::from([("DE".to_string(), c(3, 2, 1)), ("EU".to_string(), c(1, 1, 0)), ("US".to_string(), c(2, 0, 2))]);
        let up = roll_up(&l, &own);
        assert_eq!(up["DE"].responses, 3);
        assert_eq!(up["EU"].responses, 4);
        assert_eq!(up["HQ"].responses, 6);
        assert_eq!(up["HQ"].nps, NpsCounts { promoters: 3, passives: 0, detractors: 3 });
    }
}
