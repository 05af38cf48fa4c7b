//! One contact's invitation in one distribution, and its reminder: the
//! exactly-once rules, as states and pure transitions.
//!
//! ```text
//!   link (the claim)                                   ledger entry (written once)
//!   (none) ── put if absent ──► held by an attempt ─── SES ──► settled with its message's
//!                                │   until it runs out          others, counters summed:
//!                                │                              sent | skipped | failed
//!                                ├─ SES: not for now ──► let go (unsent): taken over, same link
//!                                └─ ran out, no entry ──► unknown: failed, never sent again
//!
//!   a refused (failed) entry ── reopen ──► claimed ── the same link taken over ──► settled again
//!   a sent entry ── reminder: (none) → sending → sent | skipped;  (none) → over_budget
//! ```
//!
//! The link of a contact's invitation in a distribution is always the same
//! ([`crate::domain::guard::invitation_token`]), so putting it is the claim
//! ([`LinkHold`], decided by [`decide_hold`]), and the ledger entry is
//! written once, when the invitation is settled, together with the rest of
//! its message ([`Settle`], applied where its [`Expect`] holds). A hold that
//! ran out without a settlement may have been handed to SES before its
//! Lambda died, so it is never sent again ([`ClaimOver::Unknown`]). Entries
//! left `claimed` or `sending` by the version before this one are decided
//! by [`decide_claim`]. The store applies each transition only where the
//! rule here allows it (as a condition of the write); the in-memory double
//! applies the same functions, and one contract suite holds both.

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

/// An invitation's claim as its personal link holds it. The link of a
/// contact's invitation in a distribution is always the same
/// ([`crate::domain::guard::invitation_token`]), so putting it (only if it
/// is not there) is the claim, and the ledger entry is written once, when
/// the invitation is settled ([`Settle`]): one write where a claim, a
/// `sending` mark and a link were three.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkHold {
    /// The attempt (one invocation's run over one message) holding it.
    pub attempt: String,
    /// Until when it is held; it is handed to SES within that time.
    pub until_ms: u64,
    /// SES did not take it for a passing reason: never sent, take it over.
    pub unsent: bool,
    /// The account and month it was charged to (a budgeted project).
    pub charged: Option<(String, String)>,
}

/// Decides a claim over an invitation's link that exists already, at
/// `now_ms`, when its ledger entry is not settled. `never_sent`: the ledger
/// says it was not handed to SES (reopened after a refusal, or claimed by a
/// version before this one). A hold that ran out otherwise may have been
/// handed to SES before its Lambda died: unknown, never sent again. `None`
/// (the link vanished between the refused put and the read) is busy.
pub fn decide_hold(existing: Option<&LinkHold>, now_ms: u64, never_sent: bool) -> ClaimOver {
    let Some(hold) = existing else { return ClaimOver::Busy };
    if hold.until_ms > now_ms {
        ClaimOver::Busy
    } else if hold.unsent || never_sent {
        ClaimOver::Reclaim
    } else {
        ClaimOver::Unknown
    }
}

/// What claiming an invitation's link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkClaim {
    /// The link is new and this attempt holds it.
    Claimed,
    /// Another attempt holds it until its hold runs out.
    Busy,
    /// An earlier attempt may have handed it to SES: never sent again.
    Unknown,
    /// An earlier attempt's hold was taken over (it never reached SES), with
    /// the charge it made, if any.
    Retaken { charged: Option<(String, String)> },
}

/// What an invitation's ledger entry must be for a settlement to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// None yet: the usual case.
    Absent,
    /// In this unsettled state (reopened after a refusal, or claimed by a
    /// version before this one).
    State(InviteState),
}

impl Expect {
    /// Whether the entry as it stands lets the settlement apply: exactly
    /// once, whoever settles first.
    pub fn admits(self, existing: Option<&Invite>) -> bool {
        match (self, existing) {
            (Expect::Absent, None) => true,
            (Expect::State(st), Some(i)) => i.state == st && !st.is_settled(),
            _ => false,
        }
    }
}

/// One invitation's outcome, settled with the others of its message in one
/// transaction that moves the counters they change once for all.
#[derive(Debug, Clone, PartialEq)]
pub struct Settle {
    pub email_key: String,
    pub outcome: Outcome,
    /// The contact's fields (a sent invitation counts in their segments).
    pub fields: std::collections::BTreeMap<String, String>,
    /// The link's id ("" for a contact skipped before any link).
    pub link: String,
    pub charged: Option<(String, String)>,
    pub expect: Expect,
    pub at: String,
}

impl Settle {
    /// The ledger entry it writes.
    pub fn invite(&self) -> Invite {
        let mut i = Invite::claimed(&self.email_key, &self.link, 0);
        i.charged_account = self.charged.as_ref().map(|c| c.0.clone());
        i.charged_month = self.charged.as_ref().map(|c| c.1.clone());
        i.settle(&self.outcome, &self.at).expect("a claimed invitation settles")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_000_000;

    fn claimed(until: u64) -> Invite {
        Invite::claimed("a@example.com", "tok", until)
    }

    /// Handed towards SES by a version before the link was the claim.
    fn sending(until: u64) -> Invite {
        Invite { state: InviteState::Sending, ..claimed(until) }
    }

    #[test]
    fn a_held_link_is_busy_until_its_hold_runs_out_then_unknown_unless_it_was_never_sent() {
        let hold = LinkHold { attempt: "a".into(), until_ms: NOW + 1, unsent: false, charged: None };
        assert_eq!(decide_hold(Some(&hold), NOW, false), ClaimOver::Busy);
        assert_eq!(decide_hold(Some(&hold), NOW, true), ClaimOver::Busy, "a live hold even on a reopened entry");
        assert_eq!(decide_hold(Some(&hold), NOW + 1, false), ClaimOver::Unknown, "it may have reached SES");
        assert_eq!(decide_hold(Some(&hold), NOW + 1, true), ClaimOver::Reclaim, "the ledger says it never did");
        let unsent = LinkHold { unsent: true, until_ms: 0, ..hold };
        assert_eq!(decide_hold(Some(&unsent), NOW, false), ClaimOver::Reclaim, "SES did not take it");
        assert_eq!(decide_hold(None, NOW, false), ClaimOver::Busy);
    }

    #[test]
    fn a_settlement_applies_once_to_the_entry_it_expects() {
        let s = Settle {
            email_key: "k".into(),
            outcome: Outcome::Sent { message_id: "m".into() },
            fields: Default::default(),
            link: "l".into(),
            charged: Some(("a1".into(), "2026-12".into())),
            expect: Expect::Absent,
            at: "t".into(),
        };
        let written = s.invite();
        assert_eq!((written.state, written.link.as_str(), written.message_id.as_deref()), (InviteState::Sent, "l", Some("m")));
        assert_eq!(written.charged_month.as_deref(), Some("2026-12"));
        assert!(Expect::Absent.admits(None));
        assert!(!Expect::Absent.admits(Some(&written)), "settled once");
        let reopened = claimed(0);
        assert!(Expect::State(InviteState::Claimed).admits(Some(&reopened)));
        assert!(!Expect::State(InviteState::Claimed).admits(Some(&written)));
        assert!(!Expect::State(InviteState::Claimed).admits(None));
    }

    #[test]
    fn a_reminder_ses_did_not_take_for_now_is_due_again() {
        let sent = Invite::claimed("k", "tok", 5).settle(&Outcome::Sent { message_id: "m".into() }, "t").unwrap();
        let sending = sent.claim_reminder(ReminderState::Sending).unwrap();
        let again = sending.unclaim_reminder().unwrap();
        assert!(again.awaits_reminder());
        assert!(sent.unclaim_reminder().is_none() && again.settle_reminder(true).is_none());
    }

    #[test]
    fn only_a_refused_invitation_is_reopened_and_never_one_whose_delivery_is_unknown() {
        let charged = Invite { charged_account: Some("a1".into()), charged_month: Some("2026-12".into()), ..sending(5_000) };
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
        let sent = sending(NOW + 1).settle(&Outcome::Sent { message_id: "m".into() }, "t").unwrap();
        assert_eq!(decide_claim(Some(&sent), NOW + 10_000_000), ClaimOver::Settled);
        let skipped = claimed(NOW).settle(&Outcome::Skipped(Skip::QuietPeriod), "t").unwrap();
        assert_eq!(decide_claim(Some(&skipped), NOW), ClaimOver::Settled);
        assert_eq!(decide_claim(None, NOW), ClaimOver::Busy);
    }

    #[test]
    fn a_claim_over_a_sending_record_after_a_crash_is_unknown_and_never_sent_again() {
        // the first attempt marked it sending, then died before settling
        let crashed = sending(NOW - 1);
        assert_eq!(decide_claim(Some(&crashed), NOW), ClaimOver::Unknown);
        // while its claim still runs, it is someone else's
        assert_eq!(decide_claim(Some(&sending(NOW + 5)), NOW), ClaimOver::Busy);
        // a claim that ran out before SES (or a reopened one) is taken over
        assert_eq!(decide_claim(Some(&claimed(NOW - 1)), NOW), ClaimOver::Reclaim);
        // it can only be settled (as failed)
        let failed = crashed.settle(&Outcome::Failed("delivery unknown".into()), "t").unwrap();
        assert_eq!(failed.state, InviteState::Failed);
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
        let json = serde_json::to_value(sending(NOW)).unwrap();
        assert_eq!(json["state"], "sending");
        let r = serde_json::to_value(ReminderState::OverBudget).unwrap();
        assert_eq!(r, "over_budget");
        for s in [InviteState::Claimed, InviteState::Sending, InviteState::Sent, InviteState::Skipped, InviteState::Failed] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
