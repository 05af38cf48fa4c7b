//! What a refused submission means. A submission is one transaction: the
//! response (first item), the project's counters with the revision check
//! (second), the personal link's mark and the aggregates, and — for a
//! budgeted anonymous response — the account's charge (last). When DynamoDB
//! cancels it, the per-item reasons say why, and this decides.

use super::budget::ItemRefusal;

/// Why a submission's transaction was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The project moved on since the answers were checked: read it again.
    ProjectChanged,
    /// The account's budget (or lifetime cap) is used up.
    OverBudget,
    /// The project's daily cap of anonymous responses is reached.
    DailyCap,
    /// The response id is taken, or the personal link answered: look at
    /// what is stored ([`after_taken`]).
    Taken,
    /// Not a condition of ours (throttling, a conflict that outlived the
    /// retries): an error.
    Other,
}

/// The daily cap's counter, when there is one, is the third item (an
/// anonymous submission has no personal link's mark).
pub const DAILY_CAP_ITEM: usize = 2;

/// The counter of a project's daily cap a response counts on, and that
/// counter's share of the cap: `(slot, share)`. A project whose aggregates
/// are spread over `shards` write shards spreads its cap over as many
/// counters (at most one per response of the cap), the response's own
/// shard picking one, so that no single item takes every anonymous
/// response of a crowd; the shares add up to the cap exactly, so the day
/// never admits more than it. A crowd fills its counters unevenly, so the
/// last responses of a day may be refused while another counter still has
/// room (never early by more than the shares not yet filled). Slot 0 is
/// the counter of an unspread project, as before. On a day the project's
/// shards change, the counters it had keep their counts under the new
/// shares, so that day may admit up to the new counters' shares more.
pub fn daily_cap_slot(cap: u32, shards: u32, shard: u32) -> (u32, u32) {
    let slots = shards.min(cap).max(1);
    let slot = shard % slots;
    (slot, cap / slots + u32::from(slot < cap % slots))
}

/// Decides a cancelled submission from its items' refusals. A taken
/// response wins over the daily cap and the budget (a retry of a stored
/// response is not refused for want of either).
pub fn refused(refusals: &[ItemRefusal], charged: bool, capped: bool) -> Refused {
    let failed = |r: Option<&ItemRefusal>| r == Some(&ItemRefusal::ConditionFailed);
    if failed(refusals.get(1)) {
        Refused::ProjectChanged
    } else if failed(refusals.first()) {
        Refused::Taken
    } else if capped && failed(refusals.get(DAILY_CAP_ITEM)) {
        Refused::DailyCap
    } else if charged && failed(refusals.last()) {
        Refused::OverBudget
    } else if refusals.contains(&ItemRefusal::ConditionFailed) {
        Refused::Taken
    } else {
        Refused::Other
    }
}

/// After [`Refused::Taken`], what was found decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// The same response is stored (a retry, or the link answered before).
    AlreadyThere,
    /// The personal link is gone (its contact was erased).
    LinkGone,
    /// The link is marked but its response is not readable yet: a
    /// concurrent submission through it is being stored.
    BeingAnswered,
}

/// `response_stored`: the response id reads back; `link_exists`: for a
/// personal link, whether it still exists (None: anonymous).
pub fn after_taken(response_stored: bool, link_exists: Option<bool>) -> Taken {
    match (response_stored, link_exists) {
        (true, _) => Taken::AlreadyThere,
        (false, Some(false)) => Taken::LinkGone,
        _ => Taken::BeingAnswered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemRefusal::*;

    #[test]
    fn a_changed_project_is_seen_on_the_counters_item() {
        assert_eq!(refused(&[None, ConditionFailed, None], false, false), Refused::ProjectChanged);
        assert_eq!(refused(&[ConditionFailed, ConditionFailed, None], true, false), Refused::ProjectChanged);
    }

    #[test]
    fn an_exhausted_budget_refuses_only_a_new_response() {
        assert_eq!(refused(&[None, None, ConditionFailed], true, false), Refused::OverBudget);
        // the same response again: it is taken, not over budget
        assert_eq!(refused(&[ConditionFailed, None, ConditionFailed], true, false), Refused::Taken);
        // without a charge the last item is an aggregate or the link mark
        assert_eq!(refused(&[None, None, ConditionFailed], false, false), Refused::Taken);
        assert_eq!(refused(&[None, Conflict, None], false, false), Refused::Other);
    }

    #[test]
    fn a_spread_daily_caps_shares_add_up_to_the_cap_exactly() {
        for (cap, shards) in [(10, 1), (10, 4), (1_000, 16), (3, 16), (1, 32), (7, 7)] {
            let mut shares = std::collections::BTreeMap::new();
            for shard in 0..shards {
                let (slot, share) = daily_cap_slot(cap, shards, shard);
                assert!(slot < cap.max(1), "never more counters than responses of the cap");
                shares.insert(slot, share);
            }
            assert_eq!(shares.values().sum::<u32>(), cap, "cap {cap} over {shards} shards: {shares:?}");
            assert!(shares.values().all(|s| *s >= 1), "every counter admits at least one");
        }
        assert_eq!(daily_cap_slot(10, 1, 0), (0, 10), "an unspread project keeps its one counter");
        assert_eq!(daily_cap_slot(10, 4, 5), (1, 3), "10 over 4: 3, 3, 2, 2");
        assert_eq!(daily_cap_slot(10, 4, 3), (3, 2));
    }

    #[test]
    fn a_reached_daily_cap_refuses_only_a_new_response_and_before_the_budget() {
        assert_eq!(refused(&[None, None, ConditionFailed, None, None], true, true), Refused::DailyCap);
        assert_eq!(refused(&[None, None, ConditionFailed, None, ConditionFailed], true, true), Refused::DailyCap);
        assert_eq!(refused(&[ConditionFailed, None, ConditionFailed, None], false, true), Refused::Taken);
        assert_eq!(refused(&[None, None, None, None, ConditionFailed], true, true), Refused::OverBudget);
    }

    #[test]
    fn a_taken_submission_is_explained_by_what_is_stored() {
        assert_eq!(after_taken(true, Some(true)), Taken::AlreadyThere);
        assert_eq!(after_taken(true, Option::None), Taken::AlreadyThere);
        assert_eq!(after_taken(false, Some(false)), Taken::LinkGone);
        assert_eq!(after_taken(false, Some(true)), Taken::BeingAnswered);
        assert_eq!(after_taken(false, Option::None), Taken::BeingAnswered);
    }
}
