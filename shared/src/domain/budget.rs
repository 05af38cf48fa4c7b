//! Plans, accounts and the monthly survey budget (part 7 of the product).
//!
//! An account owns projects and has a plan: a monthly survey budget and an
//! optional lifetime cap. What counts against both (a "record"):
//! * an email invitation or reminder, when it is sent, answered or not;
//! * a response through a link the team hands out itself, when it is
//!   submitted: the anonymous link (web page, widget, QR code) or a personal
//!   link minted through the API.
//!
//! A response to an emailed invitation does not count again. When the
//! billing month's budget (or the lifetime cap) is used up, further records
//! are refused, not queued: sends are skipped as "over budget" and anonymous
//! submissions get a clear message. The billing month is the calendar month
//! in the account's time zone; a new month starts at zero. A plan change
//! applies at once: the month's remaining budget is the new plan's budget
//! less what was used.
//!
//! The rules here are pure; the store enforces them with one conditional
//! write per record (`used < monthly_budget`), so the budget is never
//! exceeded, whatever the concurrency.

use serde::{Deserialize, Serialize};

/// The free plan every deployment has.
pub const STARTER: &str = "Starter";

/// The free plan's monthly budget.
pub const STARTER_MONTHLY_BUDGET: u64 = 50;

/// The free plan's lifetime cap, across all projects of the account.
pub const STARTER_LIFETIME_CAP: u64 = 20_000;

/// A plan: its monthly budget and optional lifetime cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub name: String,
    pub monthly_budget: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_cap: Option<u64>,
    /// Built into Pulse (the Starter plan), not created through the API.
    #[serde(default)]
    pub built_in: bool,
}

/// The Starter plan.
pub fn starter() -> Plan {
    Plan { name: STARTER.into(), monthly_budget: STARTER_MONTHLY_BUDGET, lifetime_cap: Some(STARTER_LIFETIME_CAP), built_in: true }
}

/// A rule a plan or account request breaks: the field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct BudgetError {
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> BudgetError {
    BudgetError { field, message: message.into() }
}

/// The body of a plan's creation, as given (numbers signed, so that a
/// negative budget gets its own message rather than a type error).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    pub name: String,
    pub monthly_budget: i64,
    #[serde(default)]
    pub lifetime_cap: Option<i64>,
}

/// Whether a plan or account name is acceptable: 1–60 characters, letters,
/// digits, spaces, `-`, `_` and `.`, not starting or ending with a space.
fn check_name(field: &'static str, name: &str) -> Result<(), BudgetError> {
    if name.trim().is_empty() {
        return Err(err(field, "must not be empty"));
    }
    if name.trim() != name {
        return Err(err(field, "must not start or end with a space"));
    }
    if name.chars().count() > 60 {
        return Err(err(field, "at most 60 characters"));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))) {
        return Err(err(field, format!("{c:?} is not allowed; use letters, digits, spaces, '-', '_' or '.'")));
    }
    Ok(())
}

impl PlanRequest {
    /// Checks the request: a budget of 0 or less is refused, and so is a
    /// lifetime cap of 0 or less or one below the monthly budget.
    pub fn check(self) -> Result<Plan, BudgetError> {
        check_name("name", &self.name)?;
        if self.name.eq_ignore_ascii_case(STARTER) {
            return Err(err("name", format!("{STARTER} is the built-in free plan; choose another name")));
        }
        if self.monthly_budget <= 0 {
            return Err(err("monthly_budget", format!("must be at least 1; {} was given", self.monthly_budget)));
        }
        if self.monthly_budget > 100_000_000 {
            return Err(err("monthly_budget", "at most 100000000 records a month"));
        }
        let lifetime_cap = match self.lifetime_cap {
            None => None,
            Some(c) if c <= 0 => return Err(err("lifetime_cap", format!("must be at least 1 (or left out for no cap); {c} was given"))),
            Some(c) if c < self.monthly_budget => {
                return Err(err(
                    "lifetime_cap",
                    format!("{c} is below the monthly budget of {}; a cap that low makes the budget meaningless", self.monthly_budget),
                ))
            }
            Some(c) => Some(c as u64),
        };
        Ok(Plan { name: self.name, monthly_budget: self.monthly_budget as u64, lifetime_cap, built_in: false })
    }
}

/// The body of an account's creation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    pub name: String,
    #[serde(default = "starter_name")]
    pub plan: String,
    /// IANA time zone of the billing month (default `UTC`).
    #[serde(default = "utc")]
    pub time_zone: String,
}

fn starter_name() -> String {
    STARTER.into()
}

fn utc() -> String {
    "UTC".into()
}

impl AccountRequest {
    /// Checks the name and the time zone (the plan is checked against the
    /// stored plans by the caller).
    pub fn check(&self) -> Result<(), BudgetError> {
        check_name("name", &self.name)?;
        check_time_zone(&self.time_zone).map_err(|m| err("time_zone", m))
    }
}

/// Whether `name` is an IANA time zone Pulse knows.
pub fn check_time_zone(name: &str) -> Result<(), String> {
    jiff::tz::TimeZone::get(name)
        .map(|_| ())
        .map_err(|_| format!("{name:?} is not an IANA time zone name such as \"Europe/Berlin\", \"Europe/Helsinki\" or \"UTC\""))
}

/// The billing month (`YYYY-MM`) of the instant `ms` in the time zone `tz`.
/// An unknown zone counts as UTC (zones are checked when they are set).
pub fn billing_month(ms: u64, tz: &str) -> String {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let ts = jiff::Timestamp::from_millisecond(ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let z = ts.to_zoned(zone);
    format!("{:04}-{:02}", z.year(), z.month())
}

/// When the billing month `month` ends (the first instant of the next), in
/// milliseconds, in the time zone `tz`: until then a "used up" it learnt
/// stands.
pub fn month_end_ms(month: &str, tz: &str) -> Option<u64> {
    month_bounds(month, tz).map(|(_, end)| end)
}

/// The first instant of the billing month `month` (`YYYY-MM`) and of the
/// month after it, in milliseconds, in the time zone `tz`.
pub fn month_bounds(month: &str, tz: &str) -> Option<(u64, u64)> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i16, i8) = (y.parse().ok()?, m.parse().ok()?);
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let start = jiff::civil::Date::new(y, m, 1).ok()?;
    let next = if m == 12 { jiff::civil::Date::new(y + 1, 1, 1).ok()? } else { jiff::civil::Date::new(y, m + 1, 1).ok()? };
    let ms = |d: jiff::civil::Date| d.to_zoned(zone.clone()).ok().map(|z| z.timestamp().as_millisecond() as u64);
    Some((ms(start)?, ms(next)?))
}

/// What a record is (`link_response`: a response through the anonymous
/// link or a personal link minted through the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    Invitation,
    Reminder,
    LinkResponse,
}

impl Record {
    pub fn as_str(self) -> &'static str {
        match self {
            Record::Invitation => "invitation",
            Record::Reminder => "reminder",
            Record::LinkResponse => "link_response",
        }
    }
}

/// Why a record was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The share of the month's budget that links may use is used up (the
    /// rest is reserved for invitations).
    LinkShare,
    /// The billing month's budget is used up.
    MonthlyBudget,
    /// The account's lifetime cap is reached.
    LifetimeCap,
}

/// An account's usage as stored with it: the counters of the billing month
/// `month` (reset when a record of a later month arrives) and for life.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// The billing month the counters below belong to.
    pub month: String,
    #[serde(default)]
    pub used: u64,
    #[serde(default)]
    pub refused: u64,
    #[serde(default)]
    pub lifetime_used: u64,
    /// Of `used`, the responses through links the team hands out.
    #[serde(default)]
    pub link_used: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_accepted_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_accepted_kind: Option<Record>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_refused_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_at: Option<String>,
    /// What the last sync was: `import` (a contact upload) or
    /// `event:<name>` (an integration event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_kind: Option<String>,
}

/// An account: its plan (copied onto it, so that a plan change and a
/// record's check meet on one item) and its usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub plan: String,
    pub monthly_budget: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_cap: Option<u64>,
    /// Records of the month kept for invitations and reminders: responses
    /// through links may use the budget less this ([`link_budget`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub invitation_reserve: u64,
    /// What links may use this month, stored beside the budget so that the
    /// charge's condition can compare it (set with the reserve and kept by
    /// plan changes; absent: no reserve).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_budget: Option<u64>,
    pub time_zone: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(flatten)]
    pub usage: Usage,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What links may use of a month's `monthly_budget` with `reserve` kept
/// for invitations.
pub fn link_budget(monthly_budget: u64, reserve: u64) -> u64 {
    monthly_budget.saturating_sub(reserve)
}

/// Checks an invitation reserve against the monthly budget.
pub fn check_reserve(reserve: i64, monthly_budget: u64) -> Result<u64, BudgetError> {
    if reserve < 0 {
        return Err(err("invitation_reserve", format!("must be 0 or more; {reserve} was given")));
    }
    if reserve as u64 > monthly_budget {
        return Err(err(
            "invitation_reserve",
            format!("{reserve} is more than the plan's monthly budget of {monthly_budget}; at most {monthly_budget}"),
        ));
    }
    Ok(reserve as u64)
}

/// Which limit refuses the next response through a link, if any: the
/// month's budget and the lifetime cap as for every record, then the links'
/// share when part of the budget is reserved for invitations.
pub fn link_refusal(account: &Account, used: u64, link_used: u64) -> Option<Refusal> {
    refusal(account.monthly_budget, account.lifetime_cap, used, account.usage.lifetime_used)
        .or_else(|| account.link_budget.filter(|b| link_used >= *b).map(|_| Refusal::LinkShare))
}

/// Which limit refuses the next record, if any, for an account whose
/// counters are current (`usage.month` is the billing month).
pub fn refusal(monthly_budget: u64, lifetime_cap: Option<u64>, used: u64, lifetime_used: u64) -> Option<Refusal> {
    if lifetime_cap.is_some_and(|cap| lifetime_used >= cap) {
        Some(Refusal::LifetimeCap)
    } else if used >= monthly_budget {
        Some(Refusal::MonthlyBudget)
    } else {
        None
    }
}

/// The budget view: the billing month's budget, used and remaining, the
/// records refused this month, the last sync and the last accepted record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetView {
    pub account_id: String,
    pub plan: String,
    pub time_zone: String,
    /// The billing month (`YYYY-MM`) in the account's time zone.
    pub month: String,
    pub month_starts_at: String,
    pub month_ends_at: String,
    pub monthly_budget: u64,
    pub used: u64,
    pub remaining: u64,
    pub refused: u64,
    pub lifetime_cap: Option<u64>,
    pub lifetime_used: u64,
    pub lifetime_remaining: Option<u64>,
    /// What refuses the next record, if anything does.
    pub exhausted: Option<Refusal>,
    /// Records kept for invitations and reminders.
    pub invitation_reserve: u64,
    /// What responses through links may use this month (the budget less
    /// the reserve), what they used, and what is left of it.
    pub link_budget: u64,
    pub link_used: u64,
    pub link_remaining: u64,
    /// What refuses the next response through a link, if anything does.
    pub links_exhausted: Option<Refusal>,
    pub last_sync_at: Option<String>,
    pub last_sync_kind: Option<String>,
    pub last_accepted_at: Option<String>,
    pub last_accepted_kind: Option<Record>,
    pub last_refused_at: Option<String>,
}

/// The view of `account` at the instant `now_ms`. Counters stored for an
/// earlier month read as zero: the month has started fresh, even before
/// its first record resets them.
pub fn view(account: &Account, now_ms: u64) -> BudgetView {
    let month = billing_month(now_ms, &account.time_zone);
    let current = account.usage.month == month;
    let (used, refused, link_used) = if current { (account.usage.used, account.usage.refused, account.usage.link_used) } else { (0, 0, 0) };
    let links = account.link_budget.unwrap_or(account.monthly_budget).min(account.monthly_budget);
    let links_exhausted = link_refusal(account, used, link_used);
    let (start, end) = month_bounds(&month, &account.time_zone).unwrap_or((0, 0));
    let in_month = |at: &Option<String>| at.clone().filter(|_| current);
    BudgetView {
        account_id: account.id.clone(),
        plan: account.plan.clone(),
        time_zone: account.time_zone.clone(),
        month,
        month_starts_at: crate::clock::from_ms(start),
        month_ends_at: crate::clock::from_ms(end),
        monthly_budget: account.monthly_budget,
        used,
        remaining: account.monthly_budget.saturating_sub(used),
        refused,
        lifetime_cap: account.lifetime_cap,
        lifetime_used: account.usage.lifetime_used,
        lifetime_remaining: account.lifetime_cap.map(|c| c.saturating_sub(account.usage.lifetime_used)),
        exhausted: refusal(account.monthly_budget, account.lifetime_cap, used, account.usage.lifetime_used),
        invitation_reserve: account.invitation_reserve,
        link_budget: links,
        link_used,
        link_remaining: if links_exhausted.is_some() {
            0
        } else {
            links.saturating_sub(link_used).min(account.monthly_budget.saturating_sub(used))
        },
        links_exhausted,
        last_sync_at: account.usage.last_sync_at.clone(),
        last_sync_kind: account.usage.last_sync_kind.clone(),
        last_accepted_at: account.usage.last_accepted_at.clone(),
        last_accepted_kind: account.usage.last_accepted_kind,
        last_refused_at: in_month(&account.usage.last_refused_at),
    }
}

/// How many of `contacts` invitations the budget view `v` (at the send
/// time) leaves room for: the month's remaining budget and what is left of
/// the lifetime cap.
pub fn invitations_possible(v: &BudgetView, contacts: u64) -> u64 {
    let room = v.lifetime_remaining.map_or(v.remaining, |l| l.min(v.remaining));
    if v.exhausted.is_some() {
        0
    } else {
        room.min(contacts)
    }
}

/// A record about to be charged to an account: the account and the billing
/// month it falls in (the counters are current for that month).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub account_id: String,
    pub month: String,
    pub record: Record,
    pub at: String,
}

/// How a charged write ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Charged {
    /// The record and its charge were written together.
    Done,
    /// The budget (or the lifetime cap) is used up: nothing was written,
    /// and the refusal is counted.
    OverBudget,
    /// A condition of the record's own items failed (indexes of the items
    /// given): nothing was written.
    ItemsRefused(Vec<usize>),
}

/// Why one item of a cancelled transaction was refused (DynamoDB's
/// cancellation reasons, one per item, in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemRefusal {
    /// The item was fine; another one cancelled the transaction.
    None,
    /// Its condition failed.
    ConditionFailed,
    /// Another transaction was writing it at the same moment.
    Conflict,
    /// Anything else (throttling, validation): not ours to decide.
    Other,
}

impl ItemRefusal {
    /// From DynamoDB's cancellation reason code.
    pub fn from_code(code: Option<&str>) -> Self {
        match code {
            None | Some("None") => ItemRefusal::None,
            Some("ConditionalCheckFailed") => ItemRefusal::ConditionFailed,
            Some("TransactionConflict") => ItemRefusal::Conflict,
            Some(_) => ItemRefusal::Other,
        }
    }
}

/// How many times a charged write that lost a race is tried again.
pub const CHARGE_ATTEMPTS: u32 = 8;

/// What a charged write does after its transaction was cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterCancel {
    /// It is over: the record's items refused, or the budget used up.
    Ends(Charged),
    /// A race with another transaction: try again.
    Retry,
    /// Not a decision of ours: the error goes up.
    Fail,
}

/// Decides what a cancelled charged write does. The transaction holds the
/// record's `own` items first, then the account's charge. A refused item of
/// the record wins over the budget (nothing would have been written
/// anyway, and nothing is counted as refused), the charge's condition means
/// the budget is used up, and a conflict is tried again `CHARGE_ATTEMPTS`
/// times.
pub fn after_cancel(refusals: &[ItemRefusal], own: usize, attempt: u32) -> AfterCancel {
    let own_refused: Vec<usize> =
        refusals.iter().take(own).enumerate().filter(|(_, r)| **r == ItemRefusal::ConditionFailed).map(|(i, _)| i).collect();
    if !own_refused.is_empty() {
        return AfterCancel::Ends(Charged::ItemsRefused(own_refused));
    }
    if refusals.get(own) == Some(&ItemRefusal::ConditionFailed) {
        return AfterCancel::Ends(Charged::OverBudget);
    }
    if refusals.contains(&ItemRefusal::Conflict) && attempt < CHARGE_ATTEMPTS {
        return AfterCancel::Retry;
    }
    AfterCancel::Fail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> u64 {
        crate::clock::parse_ms(text).unwrap()
    }

    fn plan(budget: i64, cap: Option<i64>) -> Result<Plan, BudgetError> {
        PlanRequest { name: "Growth".into(), monthly_budget: budget, lifetime_cap: cap }.check()
    }

    #[test]
    fn a_plan_needs_a_positive_budget_and_a_sensible_cap() {
        assert_eq!(plan(500, None).unwrap().monthly_budget, 500);
        assert_eq!(plan(0, None).unwrap_err().field, "monthly_budget");
        assert!(plan(-5, None).unwrap_err().message.contains("-5"));
        assert_eq!(plan(500, Some(0)).unwrap_err().field, "lifetime_cap");
        assert_eq!(plan(500, Some(100)).unwrap_err().field, "lifetime_cap");
        assert_eq!(plan(500, Some(10_000)).unwrap().lifetime_cap, Some(10_000));
        let starter = PlanRequest { name: "starter".into(), monthly_budget: 9, lifetime_cap: None }.check().unwrap_err();
        assert_eq!(starter.field, "name");
        let bad = PlanRequest { name: "a/b".into(), monthly_budget: 9, lifetime_cap: None }.check().unwrap_err();
        assert_eq!(bad.field, "name");
    }

    #[test]
    fn the_starter_plan_gives_fifty_a_month_and_twenty_thousand_for_life() {
        let s = starter();
        assert_eq!((s.monthly_budget, s.lifetime_cap, s.built_in), (50, Some(20_000), true));
    }

    #[test]
    fn the_billing_month_is_the_calendar_month_in_the_accounts_time_zone() {
        // 22:30 UTC on 30 November is already 1 December in Helsinki (UTC+2)
        let t = ms("2026-11-30T22:30:00Z");
        assert_eq!(billing_month(t, "UTC"), "2026-11");
        assert_eq!(billing_month(t, "Europe/Helsinki"), "2026-12");
        // and 1 December 03:00 UTC is still 30 November in New York
        assert_eq!(billing_month(ms("2026-12-01T03:00:00Z"), "America/New_York"), "2026-11");
        assert_eq!(billing_month(ms("2026-12-31T23:59:59.999Z"), "UTC"), "2026-12");
        assert_eq!(billing_month(ms("2027-01-01T00:00:00Z"), "UTC"), "2027-01");
    }

    #[test]
    fn month_bounds_follow_the_zone_and_the_year_end() {
        let (start, end) = month_bounds("2026-12", "Europe/Helsinki").unwrap();
        assert_eq!(crate::clock::from_ms(start), "2026-11-30T22:00:00Z");
        assert_eq!(crate::clock::from_ms(end), "2026-12-31T22:00:00Z");
        let (start, end) = month_bounds("2026-12", "UTC").unwrap();
        assert_eq!(
            (crate::clock::from_ms(start).as_str(), crate::clock::from_ms(end).as_str()),
            ("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")
        );
        assert_eq!(month_bounds("2026-13", "UTC"), None);
        assert_eq!(month_end_ms("2026-12", "UTC"), Some(month_bounds("2027-01", "UTC").unwrap().0), "the next month's first instant");
        assert_eq!(month_end_ms("soon", "UTC"), None);
        assert_eq!(month_bounds("soon", "UTC"), None);
    }

    #[test]
    fn time_zones_are_checked_by_name() {
        assert!(check_time_zone("Europe/Berlin").is_ok());
        assert!(check_time_zone("UTC").is_ok());
        assert!(check_time_zone("Mars/Olympus").unwrap_err().contains("Mars/Olympus"));
        let r = AccountRequest { name: "Acme".into(), plan: STARTER.into(), time_zone: "CET+1".into() };
        assert_eq!(r.check().unwrap_err().field, "time_zone");
    }

    fn account(used: u64, lifetime_used: u64, month: &str) -> Account {
        Account {
            id: "a1".into(),
            name: "Acme".into(),
            plan: "Growth".into(),
            monthly_budget: 10,
            lifetime_cap: Some(100),
            invitation_reserve: 0,
            link_budget: None,
            time_zone: "UTC".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            usage: Usage { month: month.into(), used, refused: 3, lifetime_used, last_refused_at: Some("r".into()), ..Default::default() },
        }
    }

    #[test]
    fn the_view_shows_remaining_budget_and_what_refuses_next() {
        let now = ms("2026-11-23T10:00:00Z");
        let v = view(&account(4, 40, "2026-11"), now);
        assert_eq!((v.month.as_str(), v.used, v.remaining, v.refused, v.exhausted), ("2026-11", 4, 6, 3, None));
        assert_eq!(v.lifetime_remaining, Some(60));
        assert_eq!(view(&account(10, 40, "2026-11"), now).exhausted, Some(Refusal::MonthlyBudget));
        assert_eq!(view(&account(2, 100, "2026-11"), now).exhausted, Some(Refusal::LifetimeCap));
    }

    #[test]
    fn a_new_month_starts_fresh_and_a_downgrade_leaves_nothing_negative() {
        let december = ms("2026-12-01T00:00:01Z");
        let v = view(&account(10, 40, "2026-11"), december);
        assert_eq!((v.month.as_str(), v.used, v.remaining, v.refused, v.last_refused_at), ("2026-12", 0, 10, 0, None));
        let mut a = account(8, 40, "2026-11");
        a.monthly_budget = 5; // downgraded below what was used
        let v = view(&a, ms("2026-11-23T10:00:00Z"));
        assert_eq!((v.remaining, v.exhausted), (0, Some(Refusal::MonthlyBudget)));
    }

    #[test]
    fn a_reserve_keeps_part_of_the_budget_from_the_links() {
        let now = ms("2026-11-23T10:00:00Z");
        let mut a = account(6, 40, "2026-11");
        a.invitation_reserve = 4;
        a.link_budget = Some(link_budget(a.monthly_budget, 4));
        a.usage.link_used = 5;
        let v = view(&a, now);
        assert_eq!((v.link_budget, v.link_used, v.link_remaining, v.links_exhausted), (6, 5, 1, None));
        a.usage.link_used = 6;
        let v = view(&a, now);
        assert_eq!((v.link_remaining, v.links_exhausted, v.exhausted), (0, Some(Refusal::LinkShare), None), "invitations go on");
        assert_eq!(v.remaining, 4);
        // without a reserve links share the whole budget
        let plain = view(&account(6, 40, "2026-11"), now);
        assert_eq!((plain.link_budget, plain.link_remaining, plain.links_exhausted), (10, 4, None));
        assert_eq!(check_reserve(11, 10).unwrap_err().field, "invitation_reserve");
        assert!(check_reserve(-1, 10).is_err());
        assert_eq!((check_reserve(10, 10), link_budget(5, 9)), (Ok(10), 0));
    }

    #[test]
    fn a_distribution_sees_how_many_invitations_the_budget_leaves_room_for() {
        let now = ms("2026-11-23T10:00:00Z");
        assert_eq!(invitations_possible(&view(&account(4, 40, "2026-11"), now), 20), 6);
        assert_eq!(invitations_possible(&view(&account(4, 40, "2026-11"), now), 3), 3);
        assert_eq!(invitations_possible(&view(&account(10, 40, "2026-11"), now), 20), 0);
        assert_eq!(invitations_possible(&view(&account(2, 97, "2026-11"), now), 20), 3, "the lifetime cap's rest");
        // a send next month sees next month's budget
        assert_eq!(invitations_possible(&view(&account(10, 40, "2026-11"), ms("2026-12-01T09:00:00Z")), 20), 10);
    }

    #[test]
    fn a_cancelled_charge_is_refused_by_its_own_items_first_then_by_the_budget() {
        use ItemRefusal::*;
        assert_eq!(after_cancel(&[ConditionFailed, None, ConditionFailed], 2, 0), AfterCancel::Ends(Charged::ItemsRefused(vec![0])));
        assert_eq!(after_cancel(&[None, None, ConditionFailed], 2, 0), AfterCancel::Ends(Charged::OverBudget));
        assert_eq!(after_cancel(&[Conflict, None], 1, 0), AfterCancel::Retry);
        assert_eq!(after_cancel(&[None, Conflict], 1, CHARGE_ATTEMPTS - 1), AfterCancel::Retry);
        assert_eq!(after_cancel(&[None, Conflict], 1, CHARGE_ATTEMPTS), AfterCancel::Fail);
        assert_eq!(after_cancel(&[Other, None], 1, 0), AfterCancel::Fail);
        assert_eq!(ItemRefusal::from_code(Some("ThrottlingError")), Other);
        assert_eq!(ItemRefusal::from_code(Some("None")), None);
    }
}
