//! One contact's invitation in one distribution, and its reminder: the
//! exactly-once rules, as states and pure transitions.
//!
//! ```text
//!            claim (absent)            mark_sending            settle
//!   (none) ──────────────► claimed ───────────────► sending ─────────► sent | failed
//!                            │  ▲                                        │
//!                            │  └── reclaim (claim ran out, never        └─ reminder: (none) → sending → sent | skipped
//!                            │       handed to SES: same link)                       (none) → over_budget
//!                            └────── settle ─────────────────────────► skipped | failed
//! ```
//!
//! A claim over an existing invitation is decided by [`decide_claim`]; a
//! `sending` invitation whose claim ran out may have been handed to SES
//! before its Lambda died, so it is never sent again ([`ClaimOver::Unknown`]).
//! The store keeps these records and applies each transition only where
//! the rule here allows it (as a condition of the write); the in-memory
//! double applies the same functions, and one contract suite holds both.

use serde::{Deserialize, Serialize};

use super::distribution::Skip;

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    /// An invocation owns it until `claimed_until_ms`.
    Claimed,
    /// Being handed to SES: from here on a crash leaves it unknown.
    Sending,
    Sent,
    Skipped,
    Failed,
}

impl InviteState {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteState::Claimed => "claimed",
            InviteState::Sending => "sending",
            InviteState::Sent => "sent",
            InviteState::Skipped => "skipped",
            InviteState::Failed => "failed",
        }
    }

    /// The states an invitation is settled from.
    pub const SETTLE_FROM: [InviteState; 2] = [InviteState::Claimed, InviteState::Sending];

    /// Whether it has ended (sent, skipped or failed).
    pub fn is_settled(self) -> bool {
        !Self::SETTLE_FROM.contains(&self)
    }
}

/// Where an invitation's reminder stands (none: not claimed yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderState {
    Sending,
    Sent,
    Skipped,
    /// The account's budget was used up when the reminder was due: skipped
    /// for good.
    OverBudget,
}

impl ReminderState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderState::Sending => "sending",
            ReminderState::Sent => "sent",
            ReminderState::Skipped => "skipped",
            ReminderState::OverBudget => "over_budget",
        }
    }
}

/// One contact's invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub email_key: String,
    pub state: InviteState,
    /// The personal link's id (the keyed hash of its token, minted with
    /// the claim; an invitation kept before tokens were hashed has the
    /// token here, under its old name).
    #[serde(default, alias = "token")]
    pub link: String,
    #[serde(default)]
    pub claimed_until_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<Skip>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<ReminderState>,
    /// The account and billing month the invitation was charged to (set
    /// once, before the email goes out; a retry does not charge again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charged_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charged_month: Option<String>,
}

impl Invite {
    /// A fresh claim, owned until `until_ms`, with the link `link` (its id).
    pub fn claimed(email_key: &str, link: &str, until_ms: u64) -> Self {
        Invite {
            email_key: email_key.to_string(),
            state: InviteState::Claimed,
            link: link.to_string(),
            claimed_until_ms: until_ms,
            skip: None,
            message_id: None,
            reason: None,
            at: None,
            reminder: None,
            charged_account: None,
            charged_month: None,
        }
    }

    /// A contact skipped before any claim (claim and outcome at once).
    pub fn skipped(email_key: &str, skip: Skip, at: &str) -> Self {
        Invite { state: InviteState::Skipped, skip: Some(skip), at: Some(at.to_string()), ..Invite::claimed(email_key, "", 0) }
    }

    /// `mark_sending`: only a claimed invitation is handed to SES.
    pub fn mark_sending(&self) -> Option<Invite> {
        (self.state == InviteState::Claimed).then(|| Invite { state: InviteState::Sending, ..self.clone() })
    }

    /// `settle`: from claimed or sending, once.
    pub fn settle(&self, outcome: &Outcome, at: &str) -> Option<Invite> {
        if self.state.is_settled() {
            return None;
        }
        let mut next = Invite { state: outcome.state(), at: Some(at.to_string()), ..self.clone() };
        match outcome {
            Outcome::Sent { message_id } => next.message_id = Some(message_id.clone()),
            Outcome::Skipped(skip) => next.skip = Some(*skip),
            Outcome::Failed(reason) => next.reason = Some(reason.clone()),
        }
        Some(next)
    }

    /// `unsend`: SES did not take the email for a passing reason (throttling,
    /// a fault): the invitation is claimed again with its claim run out, so
    /// the message's redelivery takes it over with the same link and charge.
    pub fn unsend(&self, now_ms: u64) -> Option<Invite> {
        (self.state == InviteState::Sending).then(|| Invite { state: InviteState::Claimed, claimed_until_ms: now_ms, ..self.clone() })
    }

    /// Whether a failed invitation may be tried again: SES refused it (an
    /// invitation whose delivery is unknown may have gone out, and is not;
    /// one without a message would fail the same way again).
    pub fn retryable(&self) -> bool {
        self.state == InviteState::Failed && FailKind::of(self.reason.as_deref().unwrap_or_default()) == FailKind::Refused
    }

    /// `reopen`: a retryable failure is claimable again (claim run out,
    /// same link, no charge: SES's refusal gave the record back).
    pub fn reopen(&self) -> Option<Invite> {
        self.retryable().then(|| Invite {
            state: InviteState::Claimed,
            claimed_until_ms: 0,
            reason: None,
            at: None,
            charged_account: None,
            charged_month: None,
            ..self.clone()
        })
    }

    /// `reclaim`: a claim that ran out before its email was handed to SES
    /// is taken over, only if nobody moved it since it was read
    /// (`seen_until_ms`), with a new link (`link`): the old link's token was
    /// never kept, and its email never went out.
    pub fn reclaim(&self, seen_until_ms: u64, until_ms: u64, link: &str) -> Option<Invite> {
        (self.state == InviteState::Claimed && self.claimed_until_ms == seen_until_ms).then(|| Invite {
            claimed_until_ms: until_ms,
            link: link.to_string(),
            ..self.clone()
        })
    }

    /// `charge`: a claimed invitation is charged to an account once.
    pub fn charge(&self, account_id: &str, month: &str) -> Option<Invite> {
        (self.state == InviteState::Claimed && self.charged_month.is_none()).then(|| Invite {
            charged_account: Some(account_id.to_string()),
            charged_month: Some(month.to_string()),
            ..self.clone()
        })
    }

    /// `claim_reminder`: only a sent invitation, once.
    pub fn claim_reminder(&self, to: ReminderState) -> Option<Invite> {
        (self.state == InviteState::Sent && self.reminder.is_none()).then(|| Invite { reminder: Some(to), ..self.clone() })
    }

    /// `settle_reminder`: a reminder being sent ends sent or skipped.
    pub fn settle_reminder(&self, sent: bool) -> Option<Invite> {
        (self.reminder == Some(ReminderState::Sending))
            .then(|| Invite { reminder: Some(if sent { ReminderState::Sent } else { ReminderState::Skipped }), ..self.clone() })
    }

    /// `unclaim_reminder`: SES did not take the reminder for a passing
    /// reason; it is due again (the page's redelivery claims it anew).
    pub fn unclaim_reminder(&self) -> Option<Invite> {
        (self.reminder == Some(ReminderState::Sending)).then(|| Invite { reminder: None, ..self.clone() })
    }

    /// Whether a reminder is due for it (sent, no reminder yet).
    pub fn awaits_reminder(&self) -> bool {
        self.state == InviteState::Sent && self.reminder.is_none()
    }
}

/// The reason of an invitation that failed for want of a message in any
/// language the contact could be written to.
pub const NO_MESSAGE: &str = "the distribution has no message";

/// Why an invitation failed, as the distribution counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailKind {
    /// SES refused the email (the address or the message): may be retried.
    Refused,
    /// A run stopped while handing it to SES: it may have gone out.
    Unknown,
    /// The distribution had no message to send.
    NoMessage,
}

impl FailKind {
    /// The kind of a failure's reason.
    pub fn of(reason: &str) -> FailKind {
        if reason.starts_with(UNKNOWN_DELIVERY) {
            FailKind::Unknown
        } else if reason == NO_MESSAGE {
            FailKind::NoMessage
        } else {
            FailKind::Refused
        }
    }

    /// The distribution counter it moves beside `failed` (a refusal has
    /// none: it is what `failed` holds beyond the others, as a refused
    /// invitation may be reopened and taken off `failed` again).
    pub fn counter(self) -> Option<&'static str> {
        match self {
            FailKind::Refused => None,
            FailKind::Unknown => Some("failed_unknown"),
            FailKind::NoMessage => Some("failed_no_message"),
        }
    }
}

/// How the reason of an invitation whose delivery is unknown begins.
pub const UNKNOWN_DELIVERY: &str = "delivery unknown";

/// How an invitation ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Handed to SES.
    Sent {
        message_id: String,
    },
    Skipped(Skip),
    Failed(String),
}

impl Outcome {
    pub fn state(&self) -> InviteState {
        match self {
            Outcome::Sent { .. } => InviteState::Sent,
            Outcome::Skipped(_) => InviteState::Skipped,
            Outcome::Failed(_) => InviteState::Failed,
        }
    }

    /// The distribution counter the outcome moves.
    pub fn counter(&self) -> &'static str {
        match self {
            Outcome::Sent { .. } => "sent",
            Outcome::Skipped(skip) => skip.counter(),
            Outcome::Failed(_) => "failed",
        }
    }

    /// The distribution counters the outcome moves: [`Outcome::counter`],
    /// and for a failure the counter of its kind, if it has one.
    pub fn counters(&self) -> Vec<&'static str> {
        let kind = match self {
            Outcome::Failed(reason) => FailKind::of(reason).counter(),
            _ => None,
        };
        std::iter::once(self.counter()).chain(kind).collect()
    }
}

/// What a claim found when the invitation existed already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOver {
    /// Settled before (sent, skipped or failed): nothing to do.
    Settled,
    /// Another invocation holds it until its claim runs out.
    Busy,
    /// An earlier attempt may have handed it to SES and died: never sent
    /// again.
    Unknown,
    /// An earlier attempt claimed it and died before SES: take it over
    /// (with [`Invite::reclaim`]).
    Reclaim,
}

/// Decides a claim over an existing invitation at `now_ms`. `None` (the
/// record vanished between the refused put and the read) is busy: the
/// message is retried later and finds it then.
pub fn decide_claim(existing: Option<&Invite>, now_ms: u64) -> ClaimOver {
    let Some(existing) = existing else { return ClaimOver::Busy };
    if existing.state.is_settled() {
        ClaimOver::Settled
    } else if existing.claimed_until_ms > now_ms {
        ClaimOver::Busy
    } else if existing.state == InviteState::Sending {
        ClaimOver::Unknown
    } else {
        ClaimOver::Reclaim
    }
}

/// What claiming an invitation came to.
#[derive(Debug, Clone, PartialEq)]
pub enum InviteClaim {
    /// This invocation owns it now.
    Claimed,
    /// Settled before (sent, skipped or failed): nothing to do.
    Settled,
    /// Another invocation holds it until its claim expires.
    Busy,
    /// A previous attempt may have sent it and then died: it is never sent
    /// again (counted as failed).
    Unknown,
    /// A previous attempt claimed it and died before sending: this
    /// invocation owns it now, with the new link (the claim as it was
    /// before, for its charge).
    Reclaimed(Box<Invite>),
}

/// What claiming a reminder came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderClaim {
    /// This invocation sends it (and, for a budgeted project, it is charged).
    Claimed,
    /// Claimed or settled before.
    Taken,
    /// The account's budget is used up: the reminder is skipped for good.
    OverBudget,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_000_000;

    fn claimed(until: u64) -> Invite {
        Invite::claimed("a@example.com", "tok", until)
    }

    #[test]
    fn a_passing_ses_refusal_leaves_the_invitation_to_be_taken_over_with_its_link() {
        let sending = Invite::claimed("k", "tok", 5_000).mark_sending().unwrap();
        let again = sending.unsend(1_000).unwrap();
        assert_eq!((again.state, again.link.as_str(), again.claimed_until_ms), (InviteState::Claimed, "tok", 1_000));
        assert_eq!(decide_claim(Some(&again), 1_001), ClaimOver::Reclaim, "the redelivery takes it over");
        assert!(Invite::claimed("k", "tok", 5_000).unsend(1_000).is_none(), "only one being sent");
    }

    #[test]
    fn a_reminder_ses_did_not_take_for_now_is_due_again() {
        let sent = Invite::claimed("k", "tok", 5).mark_sending().unwrap().settle(&Outcome::Sent { message_id: "m".into() }, "t").unwrap();
        let sending = sent.claim_reminder(ReminderState::Sending).unwrap();
        let again = sending.unclaim_reminder().unwrap();
        assert!(again.awaits_reminder());
        assert!(sent.unclaim_reminder().is_none() && again.settle_reminder(true).is_none());
    }

    #[test]
    fn only_a_refused_invitation_is_reopened_and_never_one_whose_delivery_is_unknown() {
        let mut charged = Invite::claimed("k", "tok", 5_000).charge("a1", "2026-12").unwrap();
        charged = charged.mark_sending().unwrap();
        let refused = charged.settle(&Outcome::Failed("SES refused the email (MessageRejected): Illegal address".into()), "t").unwrap();
        let open = refused.reopen().unwrap();
        assert_eq!((open.state, open.link.as_str(), open.charged_month, open.reason), (InviteState::Claimed, "tok", None, None));
        let unknown = charged.settle(&Outcome::Failed(format!("{UNKNOWN_DELIVERY}: stopped")), "t").unwrap();
        assert!(!unknown.retryable() && unknown.reopen().is_none());
        let bare = charged.settle(&Outcome::Failed(NO_MESSAGE.into()), "t").unwrap();
        assert!(!bare.retryable() && bare.reopen().is_none(), "without a message it would fail again");
        assert!(Invite::claimed("k", "tok", 5_000).reopen().is_none());
    }

    #[test]
    fn a_failure_moves_failed_and_the_counter_of_its_kind_a_refusal_failed_alone() {
        let refused = Outcome::Failed("SES refused the email (MessageRejected): Illegal address".into());
        assert_eq!(refused.counters(), ["failed"]);
        assert_eq!(Outcome::Failed(format!("{UNKNOWN_DELIVERY}: stopped")).counters(), ["failed", "failed_unknown"]);
        assert_eq!(Outcome::Failed(NO_MESSAGE.into()).counters(), ["failed", "failed_no_message"]);
        assert_eq!(Outcome::Sent { message_id: "m".into() }.counters(), ["sent"]);
        assert_eq!(Outcome::Skipped(Skip::QuietPeriod).counters(), ["skipped_quiet_period"]);
    }

    #[test]
    fn a_claim_over_a_live_claim_is_busy_and_over_a_settled_one_does_nothing() {
        assert_eq!(decide_claim(Some(&claimed(NOW + 1)), NOW), ClaimOver::Busy);
        let sent = claimed(NOW + 1).mark_sending().unwrap().settle(&Outcome::Sent { message_id: "m".into() }, "t").unwrap();
        assert_eq!(decide_claim(Some(&sent), NOW + 10_000_000), ClaimOver::Settled);
        let skipped = Invite::skipped("a@example.com", Skip::QuietPeriod, "t");
        assert_eq!(decide_claim(Some(&skipped), NOW), ClaimOver::Settled);
        assert_eq!(decide_claim(None, NOW), ClaimOver::Busy);
    }

    #[test]
    fn a_claim_over_a_sending_record_after_a_crash_is_unknown_and_never_sent_again() {
        // the first attempt marked it sending, then died before settling
        let crashed = claimed(NOW - 1).mark_sending().unwrap();
        assert_eq!(decide_claim(Some(&crashed), NOW), ClaimOver::Unknown);
        // while its claim still runs, it is someone else's
        assert_eq!(decide_claim(Some(&claimed(NOW + 5).mark_sending().unwrap()), NOW), ClaimOver::Busy);
        // it cannot be reclaimed or marked sending again; it can only be settled (as failed)
        assert_eq!(crashed.reclaim(NOW - 1, NOW + 60_000, "tok2"), None);
        assert_eq!(crashed.mark_sending(), None);
        let failed = crashed.settle(&Outcome::Failed("delivery unknown".into()), "t").unwrap();
        assert_eq!(failed.state, InviteState::Failed);
    }

    #[test]
    fn a_claim_that_ran_out_before_ses_is_reclaimed_with_a_new_link() {
        let stale = claimed(NOW - 1);
        assert_eq!(decide_claim(Some(&stale), NOW), ClaimOver::Reclaim);
        let mine = stale.reclaim(NOW - 1, NOW + 60_000, "tok2").unwrap();
        assert_eq!((mine.link.as_str(), mine.claimed_until_ms, mine.state), ("tok2", NOW + 60_000, InviteState::Claimed));
        // a second invocation that read the same stale claim loses the race
        assert_eq!(mine.reclaim(NOW - 1, NOW + 70_000, "tok3"), None);
    }

    #[test]
    fn a_settle_that_races_a_reclaim_wins_once_and_the_reclaim_then_finds_it_settled() {
        let stale = claimed(NOW - 1);
        // the slow first attempt settles after all …
        let settled = stale.settle(&Outcome::Skipped(Skip::Suppressed), "t").unwrap();
        // … so the reclaim that read the stale claim no longer applies,
        assert_eq!(settled.reclaim(NOW - 1, NOW + 60_000, "tok2"), None);
        // and a fresh look decides it is settled
        assert_eq!(decide_claim(Some(&settled), NOW), ClaimOver::Settled);
        // the other order: the reclaim first, then the old attempt's settle
        // still applies once (its email went out), and only once
        let reclaimed = stale.reclaim(NOW - 1, NOW + 60_000, "tok2").unwrap();
        let once = reclaimed.settle(&Outcome::Sent { message_id: "m".into() }, "t").unwrap();
        assert_eq!(once.settle(&Outcome::Sent { message_id: "m2".into() }, "t"), None);
    }

    #[test]
    fn an_invitation_is_charged_once_and_only_while_claimed() {
        let c = claimed(NOW).charge("acc", "2026-12").unwrap();
        assert_eq!(c.charged_month.as_deref(), Some("2026-12"));
        assert_eq!(c.charge("acc", "2026-12"), None);
        assert_eq!(claimed(NOW).mark_sending().unwrap().charge("acc", "2026-12"), None);
    }

    #[test]
    fn a_reminder_is_claimed_once_after_the_invitation_was_sent_and_settled_once() {
        assert_eq!(claimed(NOW).claim_reminder(ReminderState::Sending), None);
        let sent = claimed(NOW).settle(&Outcome::Sent { message_id: "m".into() }, "t").unwrap();
        assert!(sent.awaits_reminder());
        let r = sent.claim_reminder(ReminderState::Sending).unwrap();
        assert_eq!(r.claim_reminder(ReminderState::Sending), None);
        let done = r.settle_reminder(true).unwrap();
        assert_eq!(done.reminder, Some(ReminderState::Sent));
        assert_eq!(done.settle_reminder(true), None);
        let over = sent.claim_reminder(ReminderState::OverBudget).unwrap();
        assert_eq!(over.settle_reminder(true), None);
        assert!(!over.awaits_reminder());
    }

    #[test]
    fn states_are_stored_under_their_old_names() {
        let json = serde_json::to_value(claimed(NOW).mark_sending().unwrap()).unwrap();
        assert_eq!(json["state"], "sending");
        let r = serde_json::to_value(ReminderState::OverBudget).unwrap();
        assert_eq!(r, "over_budget");
        for s in [InviteState::Claimed, InviteState::Sending, InviteState::Sent, InviteState::Skipped, InviteState::Failed] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
