//! Distributions: email invitations to a mailing list. The rules are here;
//! the fan-out and the sending are in `send-distribution`.
//!
//! * Subject and body per language, with placeholders for the contact's
//!   fields and the links: `{{FirstName}}`, `{{LastName}}`, `{{Email}}`,
//!   `{{Organisation}}`, `{{SurveyLink}}`, `{{UnsubscribeLink}}` and
//!   `{{<operational field>}}` (exact name). An unknown placeholder is an
//!   error at creation, not a hole in a sent email.
//! * One invitation per (distribution, contact); counts of every outcome.
//! * The quiet period: a contact invited by any distribution of the project
//!   within it is skipped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::i18n::Lang;

/// The placeholders every message may use (besides operational fields).
pub const PLACEHOLDERS: [&str; 6] = ["FirstName", "LastName", "Email", "Organisation", "SurveyLink", "UnsubscribeLink"];

/// Contacts per send-queue message. A message's invitations share one
/// ledger read, one take from the send budget, one settling transaction
/// (whose distribution counter and day and segment buckets are paid once
/// for all of them) and one batch of notes, so a larger message costs less
/// per invitation: at 50, a transaction of 50 entries and the buckets stays
/// within DynamoDB's 100 items for up to 48 segment values a message, and
/// 50 sends take a few seconds at SES's usual rates, far within the
/// function's time. A Lambda that dies mid-message leaves at most this many
/// invitations unsettled (counted failed, delivery unknown, never resent).
pub const CONTACTS_PER_MESSAGE: usize = 50;

/// A piece of a message: text, or a placeholder's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits a message into text and `{{placeholders}}`.
pub fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or_else(|| {
            format!("a placeholder opened with {{{{ at character {} is never closed with }}}}", text.len() - rest.len() + open + 1)
        })?;
        let name = after[..close].trim();
        if name.is_empty() {
            return Err("an empty placeholder {{}}".into());
        }
        out.push(Piece::Placeholder(name));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// A subject and a body in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub subject: String,
    /// Plain text with placeholders; paragraphs are separated by blank
    /// lines (the HTML part is made from it).
    pub body: String,
}

/// A message problem: the field it is in and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageError {
    pub field: String,
    pub message: String,
}

/// Checks the messages of a distribution: one per language the project
/// offers at most, its default language among them, every placeholder
/// known, the survey link in every body.
pub fn check_messages(
    field: &str,
    messages: &BTreeMap<Lang, Message>,
    languages: &[Lang],
    operational_fields: &[String],
) -> Result<(), MessageError> {
    let err = |f: String, m: String| MessageError { field: f, message: m };
    let default = languages.first().copied().unwrap_or(Lang::En);
    if !messages.contains_key(&default) {
        return Err(err(
            format!("{field}.{}", default.code()),
            format!("a message in the project's default language ({}) is required", default.code()),
        ));
    }
    for (lang, m) in messages {
        let at = format!("{field}.{}", lang.code());
        if !languages.contains(lang) {
            return Err(err(at, format!("the project's survey is not offered in {:?}", lang.code())));
        }
        for (part, text) in [("subject", &m.subject), ("body", &m.body)] {
            let f = format!("{at}.{part}");
            if text.trim().is_empty() {
                return Err(err(f, format!("the {part} must not be empty")));
            }
            if part == "subject" && (text.contains('\n') || text.chars().count() > 200) {
                return Err(err(f, "the subject must be one line of at most 200 characters".into()));
            }
            let ps = pieces(text).map_err(|m| err(f.clone(), m))?;
            for p in &ps {
                if let Piece::Placeholder(name) = p {
                    if !PLACEHOLDERS.contains(name) && !operational_fields.iter().any(|o| o == name) {
                        let mut known: Vec<String> = PLACEHOLDERS.iter().map(|s| s.to_string()).collect();
                        known.extend(operational_fields.iter().cloned());
                        return Err(err(
                            f,
                            format!(
                                "unknown placeholder {{{{{name}}}}}; known are {}",
                                known.iter().map(|k| format!("{{{{{k}}}}}")).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                }
            }
            if part == "body" && !ps.contains(&Piece::Placeholder("SurveyLink")) {
                return Err(err(f, "the body must contain {{SurveyLink}}, the contact's personal survey link".into()));
            }
        }
    }
    Ok(())
}

/// Checks that a distribution has a message in every language the project
/// offers: contacts read the invitation in their own language, and one
/// left out would send them another language's without anyone deciding so.
/// (Triggered and automatic sends keep falling back to the default
/// language; see [`check_messages`].)
pub fn check_every_language(field: &str, messages: &BTreeMap<Lang, Message>, languages: &[Lang]) -> Result<(), MessageError> {
    match languages.iter().find(|l| !messages.contains_key(l)) {
        Some(missing) => Err(MessageError {
            field: format!("{field}.{}", missing.code()),
            message: format!(
                "the message in {:?} is missing; the project offers its survey in {}, and each language needs its own subject and body",
                missing.code(),
                languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ")
            ),
        }),
        None => Ok(()),
    }
}

/// How far in the past a send time may be and still mean "now" (a time
/// picked to the minute, a clock a little behind).
pub const SEND_AT_GRACE_MS: u64 = 5 * 60 * 1000;

/// Checks a distribution's send time against the time it is now: one in
/// the past (beyond [`SEND_AT_GRACE_MS`]) is refused rather than sent at
/// once, since whoever chose it meant another moment.
pub fn check_send_at(send_at_ms: u64, now_ms: u64) -> Result<(), String> {
    if send_at_ms.saturating_add(SEND_AT_GRACE_MS) < now_ms {
        return Err(format!(
            "{} is in the past (it is now {}); choose a later time, or leave the send time out to send now",
            crate::clock::from_ms(send_at_ms),
            crate::clock::from_ms(now_ms)
        ));
    }
    Ok(())
}

/// The values a message is filled in with.
pub struct Fill<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub organisation: &'a str,
    pub survey_link: &'a str,
    pub unsubscribe_link: &'a str,
    pub fields: &'a BTreeMap<String, String>,
}

impl Fill<'_> {
    fn value(&self, name: &str) -> String {
        match name {
            "FirstName" => self.first_name.to_string(),
            "LastName" => self.last_name.to_string(),
            "Email" => self.email.to_string(),
            "Organisation" => self.organisation.to_string(),
            "SurveyLink" => self.survey_link.to_string(),
            "UnsubscribeLink" => self.unsubscribe_link.to_string(),
            other => self.fields.get(other).cloned().unwrap_or_default(),
        }
    }

    /// Fills in a checked message text; `escape` is applied to every value
    /// (HTML-escaping for the HTML part).
    pub fn render(&self, text: &str, escape: impl Fn(&str) -> String) -> String {
        match pieces(text) {
            Ok(ps) => ps
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => t.to_string(),
                    Piece::Placeholder(name) => escape(&self.value(name)),
                })
                .collect(),
            // messages are checked at creation; an unreadable one is sent as written
            Err(_) => text.to_string(),
        }
    }
}

/// Where a distribution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistState {
    /// Waits for its send time.
    Scheduled,
    /// The list is being split into send-queue messages.
    Planning,
    /// Every contact is planned; invitations are going out.
    Sending,
    /// Every planned contact has an outcome.
    Done,
    Cancelled,
    /// SES refuses the sender itself (an unverified identity, the sandbox,
    /// sending paused): nothing more is sent and nobody is failed for it
    /// until it is resumed (its `pause_reason` says why).
    Paused,
}

/// Why a contact got no invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    Suppressed,
    Unsubscribed,
    Invalid,
    /// Invited by another distribution of the project within its quiet period.
    QuietPeriod,
    /// The plan's monthly budget was used up (budgets: their own issue).
    OverBudget,
    Cancelled,
    /// The person was erased (GDPR) after the message naming them was
    /// queued; the invitation's record keeps only their keyed hash.
    Erased,
}

impl Skip {
    /// The counter it moves.
    pub fn counter(self) -> &'static str {
        match self {
            Skip::Suppressed => "skipped_suppressed",
            Skip::Unsubscribed => "skipped_unsubscribed",
            Skip::Invalid => "skipped_invalid",
            Skip::QuietPeriod => "skipped_quiet_period",
            Skip::OverBudget => "skipped_over_budget",
            Skip::Cancelled => "skipped_cancelled",
            Skip::Erased => "skipped_erased",
        }
    }

    /// A suppression's reason as a skip.
    pub fn from_suppression(reason: &str) -> Skip {
        match reason {
            "unsubscribed" => Skip::Unsubscribed,
            _ => Skip::Suppressed,
        }
    }
}

/// A distribution's counts (each moved exactly once per contact).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistCounts {
    #[serde(default)]
    pub planned: u64,
    #[serde(default)]
    pub sent: u64,
    #[serde(default)]
    pub skipped_suppressed: u64,
    #[serde(default)]
    pub skipped_unsubscribed: u64,
    #[serde(default)]
    pub skipped_invalid: u64,
    #[serde(default)]
    pub skipped_quiet_period: u64,
    #[serde(default)]
    pub skipped_over_budget: u64,
    #[serde(default)]
    pub skipped_cancelled: u64,
    #[serde(default)]
    pub skipped_erased: u64,
    #[serde(default)]
    pub failed: u64,
    /// Of `failed`: a run stopped while handing it to SES (it may have gone out).
    #[serde(default)]
    pub failed_unknown: u64,
    /// Of `failed`: there was no message to send.
    #[serde(default)]
    pub failed_no_message: u64,
    #[serde(default)]
    pub reminders_sent: u64,
    /// Reminders not sent because the account's budget was used up.
    #[serde(default)]
    pub reminders_over_budget: u64,
}

impl DistCounts {
    pub fn skipped(&self) -> u64 {
        self.skipped_suppressed
            + self.skipped_unsubscribed
            + self.skipped_invalid
            + self.skipped_quiet_period
            + self.skipped_over_budget
            + self.skipped_cancelled
            + self.skipped_erased
    }

    /// Of `failed`: refused by SES (what `failed` holds beyond the
    /// other kinds; see `invitation::FailKind`).
    pub fn failed_refused(&self) -> u64 {
        self.failed.saturating_sub(self.failed_unknown + self.failed_no_message)
    }

    /// Contacts with an outcome.
    pub fn settled(&self) -> u64 {
        self.sent + self.skipped() + self.failed
    }
}

/// The optional reminder to contacts who have not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    /// Days after the invitation (1–60).
    pub after_days: u32,
    pub messages: BTreeMap<Lang, Message>,
}

/// Whether a contact last invited at `last_ms` is still inside the quiet
/// period of `days` at `now_ms`.
pub fn in_quiet_period(last_ms: Option<u64>, now_ms: u64, days: u32) -> bool {
    match last_ms {
        Some(last) if days > 0 => now_ms.saturating_sub(last) < u64::from(days) * 86_400_000,
        _ => false,
    }
}

/// What a distribution would do, told before it is started: how many of the
/// list would be sent an invitation and how many skipped, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    /// The list's contacts.
    pub contacts: u64,
    /// Suppressed or unsubscribed (never mailed).
    pub suppressed: u64,
    /// Invited by another distribution within the quiet period.
    pub quiet_period: u64,
    /// Beyond what the account's budget leaves room for.
    pub over_budget: u64,
    pub will_send: u64,
    /// How many contacts were looked at: fewer than `contacts` for a large
    /// list, whose skips are then scaled from those (`estimated`).
    pub checked: u64,
    pub estimated: bool,
}

/// The forecast from the contacts looked at (each: suppressed, when last
/// invited), scaled to the list's size when only some were; `room`: the
/// invitations the budget leaves room for (none: no budget applies).
pub fn forecast(
    checked: impl IntoIterator<Item = (bool, Option<u64>)>,
    contacts: u64,
    send_at_ms: u64,
    quiet_days: u32,
    room: Option<u64>,
) -> Forecast {
    let (mut n, mut suppressed, mut quiet) = (0u64, 0u64, 0u64);
    for (is_suppressed, last_ms) in checked {
        n += 1;
        if is_suppressed {
            suppressed += 1;
        } else if in_quiet_period(last_ms, send_at_ms, quiet_days) {
            quiet += 1;
        }
    }
    let scale = |k: u64| if n == 0 || n >= contacts { k } else { (k as u128 * contacts as u128 / n as u128) as u64 };
    let (suppressed, quiet_period) = (scale(suppressed), scale(quiet));
    let candidates = contacts.saturating_sub(suppressed + quiet_period);
    let will_send = room.map_or(candidates, |r| r.min(candidates));
    Forecast { contacts, suppressed, quiet_period, over_budget: candidates - will_send, will_send, checked: n, estimated: n < contacts }
}

/// Seconds before a send-queue message that met a passing SES refusal
/// (throttling, a fault) comes back: 5 s doubled with each delivery, at most
/// 10 minutes, plus up to half of that again at random (`random`), so that
/// refused senders do not all return at once.
pub fn retry_delay(receives: u32, random: u32) -> u32 {
    let base = 5u32.saturating_mul(1 << receives.saturating_sub(1).min(7)).min(600);
    base + random % (base / 2 + 1)
}

/// How many sends a sender takes at once from the second's budget: the
/// `want` it has left, but no more than it can hand to SES in the
/// `ms_left` of the second at its own `pace_ms` a send (and at least one).
/// Sends taken and not used in their second are lost to every sender, so a
/// slow sender must not take a second's worth at its end.
pub fn sends_to_take(want: u32, ms_left: u64, pace_ms: u64) -> u32 {
    let usable = ms_left / pace_ms.max(1) + 1;
    want.min(u32::try_from(usable).unwrap_or(u32::MAX)).max(1)
}

/// The per-second window a send falls in (for the global rate limit).
pub fn rate_window(now_ms: u64) -> u64 {
    now_ms / 1000
}

/// A distribution as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub id: String,
    pub project_id: String,
    pub list_id: String,
    pub state: DistState,
    /// When sending starts (RFC 3339).
    pub send_at: String,
    pub messages: BTreeMap<Lang, Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<Reminder>,
    #[serde(flatten)]
    pub counts: DistCounts,
    /// The last list member planned (pages continue after it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_cursor: Option<String>,
    /// Every list member has been planned.
    #[serde(default)]
    pub planned_all: bool,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// For a triggered send: the event and the one contact it invites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Triggered>,
    /// Why it is paused (SES's words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_reason: Option<String>,
    /// Its own quiet period in days (none: the project's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_period_days: Option<u32>,
}

impl Distribution {
    /// The quiet period it keeps to: its own, else the project's.
    pub fn quiet_days(&self, project_days: u32) -> u32 {
        self.quiet_period_days.unwrap_or(project_days)
    }

    /// When its reminder goes to those who have not answered: the reminder's
    /// days after the send time (none: no reminder, or a send time that
    /// cannot be read).
    pub fn reminder_due_ms(&self) -> Option<u64> {
        let r = self.reminder.as_ref()?;
        Some(crate::clock::parse_ms(&self.send_at)? + u64::from(r.after_days) * 86_400_000)
    }

    /// A distribution to a mailing list, sent from `send_at_ms` (now or
    /// later): `planning` at once, else `scheduled`.
    pub fn to_list(
        id: String,
        project_id: &str,
        list_id: &str,
        messages: BTreeMap<Lang, Message>,
        reminder: Option<Reminder>,
        now_ms: u64,
        send_at_ms: u64,
    ) -> Self {
        Distribution {
            id,
            project_id: project_id.to_string(),
            list_id: list_id.to_string(),
            state: if send_at_ms <= now_ms { DistState::Planning } else { DistState::Scheduled },
            send_at: crate::clock::from_ms(send_at_ms.max(now_ms)),
            messages,
            reminder,
            counts: DistCounts::default(),
            plan_cursor: None,
            planned_all: false,
            created_at: crate::clock::from_ms(now_ms),
            finished_at: None,
            trigger: None,
            pause_reason: None,
            quiet_period_days: None,
        }
    }
}

/// The event behind a triggered send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Triggered {
    pub event: String,
    pub event_id: String,
    pub contact: super::jobs::InviteContact,
}

impl Triggered {
    /// The id of the distribution an event schedules: the event name and a
    /// hash of the event id exactly as given, so that ids differing only in
    /// punctuation (`ord.2002`, `ord-2002`, `ord:2002`) stay apart.
    pub fn distribution_id(event: &str, event_id: &str) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new().chain_update(event.as_bytes()).chain_update(b"\0").chain_update(event_id.as_bytes()).finalize();
        let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        format!("t-{event}-{hex}")
    }

    /// Whether `other` is this same event posted again (same id, contact and
    /// fields), as opposed to the id reused for something else.
    pub fn is_repeat_of(&self, other: &Triggered) -> bool {
        self.event == other.event
            && self.event_id == other.event_id
            && self.contact.email_key == other.contact.email_key
            && self.contact.first_name == other.contact.first_name
            && self.contact.last_name == other.contact.last_name
            && self.contact.fields == other.contact.fields
            && self.contact.language == other.contact.language
    }
}

/// Work the schedule picks up when it is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The item's sort key (to delete it once handled).
    pub sk: String,
    pub at_ms: u64,
    /// `start` (a scheduled or triggered distribution) or `reminder`.
    pub kind: String,
    pub project_id: String,
    pub distribution_id: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sender_takes_what_it_can_send_in_the_rest_of_the_second() {
        assert_eq!(sends_to_take(50, 1000, 50), 21, "50 ms a send: about 20 in a second");
        assert_eq!(sends_to_take(50, 100, 50), 3, "near the second's end, a few");
        assert_eq!(sends_to_take(5, 1000, 10), 5, "never more than it has left");
        assert_eq!(sends_to_take(50, 0, 50), 1, "at least one");
        assert_eq!(sends_to_take(50, 1000, 0), 50, "a pace not yet known is no bound");
    }

    use super::*;

    #[test]
    fn a_forecast_counts_skips_by_reason_and_stops_at_the_budget() {
        let day = 86_400_000;
        let now = 100 * day;
        let checked = [(false, None), (true, None), (false, Some(now - day)), (false, Some(now - 40 * day)), (true, Some(now))];
        let f = forecast(checked, 5, now, 30, None);
        assert_eq!((f.suppressed, f.quiet_period, f.over_budget, f.will_send, f.estimated), (2, 1, 0, 2, false));
        let f = forecast(checked, 5, now, 30, Some(1));
        assert_eq!((f.over_budget, f.will_send), (1, 1), "the budget leaves room for one");
        // no quiet period: the recent invitation does not hold anyone back
        assert_eq!(forecast(checked, 5, now, 0, None).will_send, 3);
        // a large list: what was seen is scaled to its size
        let f = forecast(checked, 500, now, 30, None);
        assert_eq!((f.suppressed, f.quiet_period, f.will_send, f.checked, f.estimated), (200, 100, 200, 5, true));
    }

    #[test]
    fn a_passing_refusal_backs_off_doubling_with_jitter() {
        assert_eq!((retry_delay(1, 0), retry_delay(2, 0), retry_delay(3, 0)), (5, 10, 20));
        assert_eq!(retry_delay(1, 2), 7);
        assert!((5..=7).contains(&retry_delay(1, u32::MAX)));
        assert_eq!(retry_delay(20, 0), 600, "at most ten minutes");
        assert!(retry_delay(20, u32::MAX) <= 900);
    }

    fn trigger(event_id: &str, email: &str) -> Triggered {
        Triggered {
            event: "order_placed".into(),
            event_id: event_id.into(),
            contact: crate::domain::jobs::InviteContact {
                email_key: email.to_lowercase(),
                email: email.into(),
                first_name: "Bea".into(),
                last_name: "Buyer".into(),
                fields: Default::default(),
                language: None,
            },
        }
    }

    #[test]
    fn event_ids_are_kept_exactly_and_a_reuse_for_another_contact_is_not_a_repeat() {
        let ids: Vec<String> =
            ["ord.2002", "ord-2002", "ord:2002", "ORD-2002"].iter().map(|e| Triggered::distribution_id("order_placed", e)).collect();
        for (i, a) in ids.iter().enumerate() {
            assert!(a.starts_with("t-order_placed-") && a.len() == "t-order_placed-".len() + 24, "{a}");
            assert!(ids[i + 1..].iter().all(|b| b != a), "{ids:?}");
        }
        assert_eq!(ids[0], Triggered::distribution_id("order_placed", "ord.2002"), "stable");
        assert_ne!(Triggered::distribution_id("order_placed", "x"), Triggered::distribution_id("order_shipped", "x"));
        let first = trigger("ord.2002", "bea@example.com");
        assert!(first.is_repeat_of(&trigger("ord.2002", "bea@example.com")));
        assert!(!first.is_repeat_of(&trigger("ord.2002", "ben@example.com")));
    }

    fn msgs(subject: &str, body: &str) -> BTreeMap<Lang, Message> {
        BTreeMap::from([(Lang::En, Message { subject: subject.into(), body: body.into() })])
    }

    #[test]
    fn placeholders_are_split_out_and_unclosed_ones_refused() {
        assert_eq!(
            pieces("Hi {{ FirstName }}, {{SurveyLink}}!").unwrap(),
            vec![
                Piece::Text("Hi "),
                Piece::Placeholder("FirstName"),
                Piece::Text(", "),
                Piece::Placeholder("SurveyLink"),
                Piece::Text("!")
            ]
        );
        assert!(pieces("Hi {{FirstName").unwrap_err().contains("never closed"));
        assert!(pieces("{{ }}").is_err());
    }

    #[test]
    fn messages_are_checked_with_the_field_named() {
        let ops = vec!["Business Unit".to_string()];
        let ok = msgs("Hello {{FirstName}}", "Your unit {{Business Unit}}: {{SurveyLink}}");
        assert!(check_messages("messages", &ok, &[Lang::En], &ops).is_ok());
        let e = check_messages("messages", &msgs("Hi {{Nickname}}", "{{SurveyLink}}"), &[Lang::En], &ops).unwrap_err();
        assert_eq!(e.field, "messages.en.subject");
        assert!(e.message.contains("unknown placeholder {{Nickname}}") && e.message.contains("{{Business Unit}}"), "{}", e.message);
        let e = check_messages("messages", &msgs("Hi", "no link"), &[Lang::En], &ops).unwrap_err();
        assert_eq!(e.field, "messages.en.body");
        let e = check_messages("messages", &msgs("Hi", "{{SurveyLink}}"), &[Lang::De, Lang::En], &ops).unwrap_err();
        assert_eq!(e.field, "messages.de");
        let mut two = msgs("Hi", "{{SurveyLink}}");
        two.insert(Lang::De, Message { subject: "Hallo".into(), body: "{{SurveyLink}}".into() });
        assert_eq!(check_messages("messages", &two, &[Lang::En], &ops).unwrap_err().field, "messages.de");
        assert_eq!(check_messages("m", &msgs("a\nb", "{{SurveyLink}}"), &[Lang::En], &ops).unwrap_err().field, "m.en.subject");
    }

    #[test]
    fn a_distribution_needs_every_language_of_the_project() {
        let mut both = msgs("Hi", "{{SurveyLink}}");
        assert!(check_every_language("messages", &both, &[Lang::En]).is_ok());
        let e = check_every_language("messages", &both, &[Lang::En, Lang::De]).unwrap_err();
        assert_eq!(e.field, "messages.de");
        assert!(e.message.contains("\"de\" is missing") && e.message.contains("en, de"), "{}", e.message);
        both.insert(Lang::De, Message { subject: "Hallo".into(), body: "{{SurveyLink}}".into() });
        assert!(check_every_language("reminder.messages", &both, &[Lang::En, Lang::De]).is_ok());
        assert_eq!(check_every_language("reminder.messages", &both, &[Lang::Fi, Lang::En]).unwrap_err().field, "reminder.messages.fi");
    }

    #[test]
    fn a_send_time_in_the_past_is_refused_beyond_a_few_minutes() {
        let now = 1_800_000_000_000;
        assert!(check_send_at(now + 60_000, now).is_ok());
        assert!(check_send_at(now - 60_000, now).is_ok(), "the minute just begun is now");
        let e = check_send_at(now - SEND_AT_GRACE_MS - 1, now).unwrap_err();
        assert!(e.contains("is in the past (it is now 2027-01-15T08:00:00") && e.contains("later time"), "{e}");
        assert!(check_send_at(0, now).is_err());
    }

    #[test]
    fn rendering_fills_in_and_escapes_values() {
        let fields = BTreeMap::from([("Business Unit".to_string(), "R&D".to_string())]);
        let fill = Fill {
            first_name: "Anna",
            last_name: "Virtanen",
            email: "a@example.fi",
            organisation: "Kahvila Oy",
            survey_link: "https://x/s/t",
            unsubscribe_link: "https://x/unsubscribe/t",
            fields: &fields,
        };
        assert_eq!(fill.render("Hi {{FirstName}} ({{Business Unit}}) {{SurveyLink}}", str::to_string), "Hi Anna (R&D) https://x/s/t");
        assert_eq!(fill.render("{{Business Unit}}", |v| v.replace('&', "&amp;")), "R&amp;D");
    }

    #[test]
    fn the_quiet_period_counts_whole_days_from_the_last_invitation() {
        let day = 86_400_000;
        assert!(in_quiet_period(Some(10 * day), 39 * day, 30));
        assert!(!in_quiet_period(Some(10 * day), 40 * day, 30));
        assert!(!in_quiet_period(None, 40 * day, 30));
        assert!(!in_quiet_period(Some(10 * day), 10 * day, 0));
    }

    #[test]
    fn counts_add_up() {
        let c = DistCounts { planned: 10, sent: 5, skipped_suppressed: 1, skipped_quiet_period: 2, failed: 1, ..Default::default() };
        assert_eq!((c.skipped(), c.settled()), (3, 9));
        assert_eq!(Skip::from_suppression("unsubscribed"), Skip::Unsubscribed);
        assert_eq!(Skip::from_suppression("bounced").counter(), "skipped_suppressed");
    }
}
