//! The notification ledger: each notification (a threshold email, a
//! follow-up request, a report to a team) is sent once, also when a stream
//! batch is retried, a record is delivered twice or two invocations race.
//!
//! It follows Powertools' idempotency record:
//!
//! ```text
//!   (none) ──claim──► in progress (until T) ──sending──► sending ──complete──► complete
//!      ▲                   │    │                          │
//!      └──── release ──────┘    └── T passed: claim again  └── SES refused: release
//! ```
//!
//! `sending` is written before the email goes to SES, so that once SES may
//! have accepted it nothing sends it again: a `sending` entry (its sender
//! at SES, or dead, or its `complete` write failed after SES took the
//! email) counts as sent. What is lost is at most the email of a sender
//! that died between that mark and SES, never a second copy.
//!
//! The store applies each transition only where these rules allow it (as
//! the condition of its write); the in-memory double applies the same
//! functions.

use serde::{Deserialize, Serialize};

/// One notification's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Entry {
    /// Claimed by an invocation until `in_progress_until` (ms).
    InProgress { in_progress_until: u64 },
    /// Being handed to SES by the invocation that claimed it (until
    /// `in_progress_until`): from here on it is never sent again.
    Sending { in_progress_until: u64 },
    /// Sent.
    Complete { message_id: String, sent_at: String },
}

/// What a claim came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This invocation sends it.
    Claimed,
    /// It was sent already.
    AlreadySent,
    /// Another invocation is sending it right now.
    InProgressElsewhere,
}

/// What a send-once call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// This call sent the email.
    Now,
    /// It had been sent before; nothing was sent.
    Before,
}

/// Whether a claim may be taken over `existing` at `now_ms`: nothing there,
/// or a claim whose time ran out (its sender died).
pub fn may_claim(existing: Option<&Entry>, now_ms: u64) -> bool {
    match existing {
        None => true,
        Some(Entry::InProgress { in_progress_until }) => *in_progress_until < now_ms,
        Some(Entry::Sending { .. } | Entry::Complete { .. }) => false,
    }
}

/// `sending`: only the claim this invocation holds (`until_ms`, as it
/// claimed it) moves on to SES.
pub fn mark_sending(existing: Option<&Entry>, until_ms: u64) -> Option<Entry> {
    match existing {
        Some(Entry::InProgress { in_progress_until }) if *in_progress_until == until_ms => {
            Some(Entry::Sending { in_progress_until: until_ms })
        }
        _ => None,
    }
}

/// Decides a claim: the entry to write, or why not.
pub fn claim(existing: Option<&Entry>, now_ms: u64, until_ms: u64) -> Result<Entry, Claim> {
    if may_claim(existing, now_ms) {
        Ok(Entry::InProgress { in_progress_until: until_ms })
    } else {
        Err(refused(existing))
    }
}

/// What a refused claim found: a `sending` entry is with SES or has been
/// (its sender may have died, or its `complete` write failed after SES
/// took it), so it counts as sent; if SES refuses it, its sender releases
/// it and fails, and its own retry sends it.
pub fn refused(existing: Option<&Entry>) -> Claim {
    match existing {
        Some(Entry::Complete { .. } | Entry::Sending { .. }) => Claim::AlreadySent,
        _ => Claim::InProgressElsewhere,
    }
}

/// Whether a claim may be released (one in progress, or being sent when
/// SES refused it: a completed notification stays complete).
pub fn may_release(existing: Option<&Entry>) -> bool {
    matches!(existing, Some(Entry::InProgress { .. } | Entry::Sending { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_claim_wins_and_a_second_finds_it_in_progress() {
        let first = claim(None, 10, 100).unwrap();
        assert_eq!(claim(Some(&first), 50, 150), Err(Claim::InProgressElsewhere));
    }

    #[test]
    fn an_entry_left_in_progress_by_a_crash_is_claimed_again_once_its_time_ran_out() {
        // the sender claimed until 100 and died: neither complete nor released
        let left = Entry::InProgress { in_progress_until: 100 };
        assert_eq!(claim(Some(&left), 99, 200), Err(Claim::InProgressElsewhere));
        assert_eq!(claim(Some(&left), 100, 200), Err(Claim::InProgressElsewhere));
        assert_eq!(claim(Some(&left), 101, 200), Ok(Entry::InProgress { in_progress_until: 200 }));
    }

    #[test]
    fn a_complete_entry_is_never_claimed_or_released() {
        let done = Entry::Complete { message_id: "m".into(), sent_at: "t".into() };
        assert_eq!(claim(Some(&done), u64::MAX, u64::MAX), Err(Claim::AlreadySent));
        assert!(!may_release(Some(&done)));
        assert!(may_release(Some(&Entry::InProgress { in_progress_until: 1 })));
        assert!(!may_release(None));
    }

    #[test]
    fn an_entry_being_sent_is_never_claimed_again_and_counts_as_sent() {
        let claimed = claim(None, 10, 100).unwrap();
        assert_eq!(mark_sending(Some(&claimed), 99), None, "only the claim as it was taken");
        let sending = mark_sending(Some(&claimed), 100).unwrap();
        assert_eq!(claim(Some(&sending), 50, 300), Err(Claim::AlreadySent));
        // its sender died, or its complete write failed after SES took it
        assert_eq!(claim(Some(&sending), 101, 300), Err(Claim::AlreadySent));
        assert!(may_release(Some(&sending)), "SES refused it: a retry may send");
    }

    #[test]
    fn entries_are_stored_with_the_powertools_status_names() {
        let json = serde_json::to_value(Entry::InProgress { in_progress_until: 5 }).unwrap();
        assert_eq!(json, serde_json::json!({ "status": "IN_PROGRESS", "in_progress_until": 5 }));
        let json = serde_json::to_value(Entry::Complete { message_id: "m".into(), sent_at: "t".into() }).unwrap();
        assert_eq!(json["status"], "COMPLETE");
    }
}
