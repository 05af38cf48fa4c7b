//! A pulse project and every setting of its guided setup, with the rules
//! that keep a project consistent. Pure: no I/O.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::i18n::{keys, Lang};
pub use super::kinds::{BusinessType, Kind, SizeMeasure, MAX_DEMOGRAPHICS, MAX_OPERATIONAL_FIELDS, REQUIRED_COLUMNS};
use super::mail::parse_email;

impl SizeMeasure {
    /// The pre-filled bands, editable by the project.
    pub fn default_bands(self) -> Vec<String> {
        let bands: &[&str] = match self {
            SizeMeasure::Revenue => &[
                "Less than $1 million",
                "$1 million – $10 million",
                "$10 million – $50 million",
                "$50 million – $250 million",
                "$250 million – $1 billion",
                "More than $1 billion",
            ],
            SizeMeasure::Employees => &["1–9", "10–49", "50–249", "250–999", "1,000–4,999", "5,000 or more"],
        };
        bands.iter().map(|b| b.to_string()).collect()
    }
}

/// The pre-filled bands of `measure` (as [`SizeMeasure::default_bands`])
/// with the message id of their translated label.
pub fn default_band_labels(measure: SizeMeasure) -> &'static [(&'static str, &'static str)] {
    match measure {
        SizeMeasure::Revenue => &REVENUE_BANDS,
        SizeMeasure::Employees => &EMPLOYEE_BANDS,
    }
}

const REVENUE_BANDS: [(&str, &str); 6] = [
    ("Less than $1 million", keys::REVENUE_UNDER_1M),
    ("$1 million – $10 million", keys::REVENUE_1M_10M),
    ("$10 million – $50 million", keys::REVENUE_10M_50M),
    ("$50 million – $250 million", keys::REVENUE_50M_250M),
    ("$250 million – $1 billion", keys::REVENUE_250M_1B),
    ("More than $1 billion", keys::REVENUE_OVER_1B),
];

const EMPLOYEE_BANDS: [(&str, &str); 6] = [
    ("1–9", keys::EMPLOYEES_1_9),
    ("10–49", keys::EMPLOYEES_10_49),
    ("50–249", keys::EMPLOYEES_50_249),
    ("250–999", keys::EMPLOYEES_250_999),
    ("1,000–4,999", keys::EMPLOYEES_1000_4999),
    ("5,000 or more", keys::EMPLOYEES_5000_PLUS),
];

/// The 50 US states: the default locations of a B2C project.
pub const US_STATES: [&str; 50] = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
];

/// The message ids of [`US_STATES`]' names, in the same order.
pub const US_STATE_LABELS: [&str; 50] = [
    keys::US_ALABAMA,
    keys::US_ALASKA,
    keys::US_ARIZONA,
    keys::US_ARKANSAS,
    keys::US_CALIFORNIA,
    keys::US_COLORADO,
    keys::US_CONNECTICUT,
    keys::US_DELAWARE,
    keys::US_FLORIDA,
    keys::US_GEORGIA,
    keys::US_HAWAII,
    keys::US_IDAHO,
    keys::US_ILLINOIS,
    keys::US_INDIANA,
    keys::US_IOWA,
    keys::US_KANSAS,
    keys::US_KENTUCKY,
    keys::US_LOUISIANA,
    keys::US_MAINE,
    keys::US_MARYLAND,
    keys::US_MASSACHUSETTS,
    keys::US_MICHIGAN,
    keys::US_MINNESOTA,
    keys::US_MISSISSIPPI,
    keys::US_MISSOURI,
    keys::US_MONTANA,
    keys::US_NEBRASKA,
    keys::US_NEVADA,
    keys::US_NEW_HAMPSHIRE,
    keys::US_NEW_JERSEY,
    keys::US_NEW_MEXICO,
    keys::US_NEW_YORK,
    keys::US_NORTH_CAROLINA,
    keys::US_NORTH_DAKOTA,
    keys::US_OHIO,
    keys::US_OKLAHOMA,
    keys::US_OREGON,
    keys::US_PENNSYLVANIA,
    keys::US_RHODE_ISLAND,
    keys::US_SOUTH_CAROLINA,
    keys::US_SOUTH_DAKOTA,
    keys::US_TENNESSEE,
    keys::US_TEXAS,
    keys::US_UTAH,
    keys::US_VERMONT,
    keys::US_VIRGINIA,
    keys::US_WASHINGTON,
    keys::US_WEST_VIRGINIA,
    keys::US_WISCONSIN,
    keys::US_WYOMING,
];

/// The default in-person channels of a B2C project.
pub const DEFAULT_CHANNELS: [&str; 4] = ["Store", "Branch office", "Restaurant", "Event or venue"];

/// The message ids of [`DEFAULT_CHANNELS`]' labels, in the same order.
pub const DEFAULT_CHANNEL_LABELS: [&str; 4] =
    [keys::IN_PERSON_STORE, keys::IN_PERSON_BRANCH, keys::IN_PERSON_RESTAURANT, keys::IN_PERSON_EVENT];

/// Company size question of a B2B project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanySize {
    pub measure: SizeMeasure,
    /// Defaults to [`SizeMeasure::default_bands`].
    #[serde(default)]
    pub bands: Vec<String>,
}

/// B2B settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct B2b {
    /// Industries offered as options.
    #[serde(default)]
    pub industries: Vec<String>,
    pub company_size: CompanySize,
}

/// B2C settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct B2c {
    /// Whether in-person / location-based behaviour is measured.
    #[serde(default)]
    pub measure_in_person: bool,
    /// The in-person channels (defaults to [`DEFAULT_CHANNELS`]).
    #[serde(default)]
    pub channels: Vec<String>,
    /// The locations respondents choose from (defaults to the 50 US states).
    #[serde(default)]
    pub locations: Vec<String>,
}

/// An extra demographic question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demographic {
    /// The question, per language (`en` required).
    pub label: std::collections::BTreeMap<Lang, String>,
    /// Answer options; empty means a free-text answer.
    #[serde(default)]
    pub options: Vec<String>,
}

/// Follow-up requests: respondents may ask to be contacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FollowUps {
    pub enabled: bool,
    /// 1–10 addresses when enabled.
    #[serde(default)]
    pub recipients: Vec<String>,
}

/// When colleagues are told about responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum NotificationRule {
    /// No response notifications.
    #[default]
    Off,
    /// At N, 2N, 3N… responses.
    Every { n: u32 },
    /// Once, when N responses are reached.
    Once { n: u32 },
}

/// Response notifications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Notifications {
    #[serde(default)]
    pub rule: NotificationRule,
    /// 1–10 addresses unless the rule is off.
    #[serde(default)]
    pub recipients: Vec<String>,
}

/// The logo stored for a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logo {
    pub key: String,
    pub content_type: String,
    pub bytes: u64,
}

/// Every setting of a project (the draft that publishing freezes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub organisation_name: String,
    pub business_type: BusinessType,
    /// Names contact-list columns must match exactly.
    #[serde(default)]
    pub operational_fields: Vec<String>,
    #[serde(default)]
    pub demographics: Vec<Demographic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b2b: Option<B2b>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b2c: Option<B2c>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_page_url: Option<String>,
    #[serde(default)]
    pub follow_ups: FollowUps,
    #[serde(default)]
    pub notifications: Notifications,
    /// Survey languages; the first is the default.
    #[serde(default = "default_languages")]
    pub languages: Vec<Lang>,
    /// Contact frequency rule: a contact invited by any distribution of the
    /// project within this many days is skipped (0: no rule).
    #[serde(default)]
    pub quiet_period_days: u32,
    /// The fewest answers a score (NPS, CSAT, CES, of the whole project or
    /// a segment) is shown for; below it pages say "too few responses".
    #[serde(default = "super::settings::default_min_responses")]
    pub min_responses: u32,
    /// The time zone (IANA name, e.g. `Europe/Helsinki`) that reports,
    /// dashboards and alerts show dates and times in; absent: UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Anonymous responses the project takes in one day (UTC); absent: no
    /// cap. Beyond it respondents are told to come back tomorrow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_daily_cap: Option<u32>,
    /// Days a personal link works after it was made (1–365, default 60);
    /// then it shows a page saying it has expired. The anonymous link does
    /// not expire.
    #[serde(default = "super::settings::default_personal_link_days")]
    pub personal_link_days: u32,
    /// How many partition keys the report counters of each response are
    /// spread over (1–32, default 1; see `domain::shard`): more takes more
    /// responses a second, a report reads every one. It only grows.
    #[serde(default = "super::settings::default_write_shards")]
    pub write_shards: u32,
    /// Triggered sends by event name (`order_placed`, `order_cancelled`,
    /// `support_ticket_closed` or a custom name): an event posted for a
    /// contact schedules an invitation this long after it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub triggers: std::collections::BTreeMap<String, Trigger>,
    /// The scheduled report and who receives it.
    #[serde(default)]
    pub reports: super::settings::ReportSettings,
    /// B2B account imports: column mappings, custom account attributes,
    /// title → client role table, team role names, auto-distribution.
    #[serde(default, skip_serializing_if = "super::settings::B2bImportSettings::is_default")]
    pub b2b_import: super::settings::B2bImportSettings,
    /// The account whose plan and monthly budget the project's records
    /// count against (invitations sent, anonymous responses); none: the
    /// project is not budgeted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Set by the logo upload, not by the settings body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Logo>,
    /// The wording of generated questions changed per language, by
    /// question id (languages not given keep the generated text).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub wording: std::collections::BTreeMap<String, std::collections::BTreeMap<Lang, String>>,
    /// Optional questions left out of the survey, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_questions: Vec<String>,
    /// Metric alerts: rules on NPS, CSAT, CES or the response count that
    /// email the notification recipients when a significant change shows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<super::alerts::AlertRule>,
    /// The websites (origins such as `https://www.example.com`) that may
    /// show the anonymous survey in an iframe (`/s/{token}/embed`); none:
    /// no website may.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embed_origins: Vec<String>,
}

/// A triggered send: the delay after the event and the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Hours after the event (e.g. 72 for three days; 0–2160).
    pub delay_hours: u32,
    pub messages: std::collections::BTreeMap<Lang, super::distribution::Message>,
}

/// Whether an event name is acceptable: lower-case letters, digits and
/// underscores, 1–40 characters.
pub fn valid_event_name(name: &str) -> bool {
    (1..=40).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn default_languages() -> Vec<Lang> {
    vec![Lang::En]
}

/// A rule a setting breaks: the field (JSON path) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SettingError {
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> SettingError {
    SettingError { field: field.into(), message: message.into() }
}

/// Compares names as people mean them: case and spacing do not matter.
fn same_meaning(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

fn check_list(field: &str, items: &[String], min: usize, max: usize, max_len: usize) -> Result<(), SettingError> {
    if items.len() < min || items.len() > max {
        return Err(err(field, format!("between {min} and {max} entries are needed; {} were given", items.len())));
    }
    let mut seen = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if item.trim().is_empty() {
            return Err(err(at, "must not be empty"));
        }
        if item.chars().count() > max_len {
            return Err(err(at, format!("at most {max_len} characters")));
        }
        if !seen.insert(item.trim().to_lowercase()) {
            return Err(err(at, format!("{item:?} is listed twice")));
        }
    }
    Ok(())
}

fn check_recipients(field: &str, recipients: &mut [String]) -> Result<(), SettingError> {
    if recipients.is_empty() || recipients.len() > 10 {
        return Err(err(field, format!("1 to 10 recipient addresses are needed; {} were given", recipients.len())));
    }
    check_addresses(field, recipients)
}

fn check_addresses(field: &str, recipients: &mut [String]) -> Result<(), SettingError> {
    let mut seen = BTreeSet::new();
    for (i, r) in recipients.iter_mut().enumerate() {
        *r = parse_email(r).map_err(|e| err(format!("{field}[{i}]"), e.to_string()))?;
        if !seen.insert(r.to_lowercase()) {
            return Err(err(format!("{field}[{i}]"), format!("{r} is listed twice")));
        }
    }
    Ok(())
}

impl Settings {
    /// The time zone pages show times in ([`Settings::time_zone`]'s field).
    pub fn time_zone(&self) -> &str {
        self.time_zone.as_deref().unwrap_or("UTC")
    }

    /// Fills the defaults (size bands, channels, the 50 US states), trims
    /// names, and checks every rule; the first broken rule is returned.
    pub fn normalise(mut self) -> Result<Self, SettingError> {
        self.organisation_name = self.organisation_name.trim().to_string();
        self.b2b_import.check().map_err(|(field, message)| err(format!("b2b_import.{field}"), message))?;
        if let Some(auto) = &self.b2b_import.auto_distribution {
            let fields = ["AccountId".to_string(), "ClientRole".to_string()];
            super::distribution::check_messages("b2b_import.auto_distribution.messages", &auto.messages, &self.languages, &fields)
                .map_err(|e| err(e.field.clone(), e.message.clone()))?;
        }
        if let Some(a) = &self.account_id {
            if !crate::domain::links::plausible_token(a) {
                return Err(err("account_id", format!("{a:?} is not an account id (as returned by POST /admin/accounts)")));
            }
        }
        if self.organisation_name.is_empty() {
            return Err(err("organisation_name", "must not be empty"));
        }
        if self.organisation_name.chars().count() > 200 {
            return Err(err("organisation_name", "at most 200 characters"));
        }

        // Operational fields are matched exactly against CSV headers, so
        // they are kept as given (no trimming inside, no case folding).
        // Each field and demographic is an aggregate bucket that a response
        // updates in its one transaction (at most 100 items).
        if self.operational_fields.len() > MAX_OPERATIONAL_FIELDS {
            return Err(err("operational_fields", format!("at most {MAX_OPERATIONAL_FIELDS} fields")));
        }
        if self.demographics.len() > MAX_DEMOGRAPHICS {
            return Err(err("demographics", format!("at most {MAX_DEMOGRAPHICS} questions")));
        }
        for (i, f) in self.operational_fields.iter().enumerate() {
            let at = format!("operational_fields[{i}]");
            if f.trim().is_empty() {
                return Err(err(at, "must not be empty"));
            }
            if f.trim() != f {
                return Err(err(at, format!("{f:?} starts or ends with a space; contact-list headers are matched exactly")));
            }
            if f.chars().count() > 100 {
                return Err(err(at, "at most 100 characters"));
            }
            if let Some(c) = REQUIRED_COLUMNS.iter().find(|c| same_meaning(c, f)) {
                return Err(err(at, format!("{f:?} is the required column {c} of every contact list")));
            }
            if self.operational_fields[..i].contains(f) {
                return Err(err(at, format!("{f:?} is listed twice")));
            }
        }

        for (i, d) in self.demographics.iter_mut().enumerate() {
            let at = format!("demographics[{i}]");
            let Some(en) = d.label.get(&Lang::En) else {
                return Err(err(format!("{at}.label.en"), "an English label is required"));
            };
            if en.trim().is_empty() {
                return Err(err(format!("{at}.label.en"), "must not be empty"));
            }
            for label in d.label.values() {
                if let Some(f) = self.operational_fields.iter().find(|f| same_meaning(f, label)) {
                    return Err(err(
                        format!("{at}.label"),
                        format!(
                            "{label:?} duplicates the operational field {f:?}, which contact lists already supply; it is never asked again"
                        ),
                    ));
                }
            }
            if !d.options.is_empty() {
                check_list(&format!("{at}.options"), &d.options, 2, 50, 100)?;
            }
        }
        for i in 1..self.demographics.len() {
            let en = |k: usize| self.demographics[k].label.get(&Lang::En).cloned().unwrap_or_default();
            if (0..i).any(|k| same_meaning(&en(k), &en(i))) {
                return Err(err(format!("demographics[{i}].label.en"), "the same question is asked twice"));
            }
        }

        match self.business_type {
            BusinessType::B2B => {
                if self.b2c.is_some() {
                    return Err(err("b2c", "a B2B project has B2B settings (industries, company size), not B2C ones"));
                }
                let b2b = self.b2b.get_or_insert_with(|| B2b {
                    industries: vec![],
                    company_size: CompanySize { measure: SizeMeasure::Employees, bands: vec![] },
                });
                if b2b.company_size.bands.is_empty() {
                    b2b.company_size.bands = b2b.company_size.measure.default_bands();
                }
                if b2b.industries.is_empty() {
                    b2b.industries = DEFAULT_INDUSTRIES.iter().map(|s| s.to_string()).collect();
                }
                check_list("b2b.industries", &b2b.industries, 1, 60, 100)?;
                check_list("b2b.company_size.bands", &b2b.company_size.bands, 2, 12, 100)?;
            }
            BusinessType::B2C => {
                if self.b2b.is_some() {
                    return Err(err("b2b", "a B2C project has B2C settings (in-person channels, locations), not B2B ones"));
                }
                let b2c = self.b2c.get_or_insert_with(|| B2c { measure_in_person: false, channels: vec![], locations: vec![] });
                if b2c.channels.is_empty() {
                    b2c.channels = DEFAULT_CHANNELS.iter().map(|s| s.to_string()).collect();
                }
                if b2c.locations.is_empty() {
                    b2c.locations = US_STATES.iter().map(|s| s.to_string()).collect();
                }
                check_list("b2c.channels", &b2c.channels, 1, 20, 100)?;
                check_list("b2c.locations", &b2c.locations, 1, 500, 100)?;
            }
        }

        if let Some(url) = &self.resource_page_url {
            let url = url.trim().to_string();
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= 2000
                && !url.contains(char::is_whitespace)
                && url.split("://").nth(1).is_some_and(|rest| {
                    rest.split('/')
                        .next()
                        .is_some_and(|host| host.contains('.') || host.starts_with("127.0.0.1") || host.starts_with("localhost"))
                });
            if !ok {
                return Err(err(
                    "resource_page_url",
                    format!("{url:?} is not an absolute http(s) address such as https://example.com/help"),
                ));
            }
            self.resource_page_url = Some(url);
        }

        if let Some(tz) = &self.time_zone {
            crate::domain::budget::check_time_zone(tz).map_err(|m| err("time_zone", m))?;
        }
        super::alerts::check_rules(&self.alerts).map_err(|(f, m)| err(f, m))?;
        if !self.alerts.is_empty() && self.notifications.recipients.is_empty() {
            return Err(err("notifications.recipients", "alerts are emailed to the notification recipients: name at least one"));
        }
        if !(1..=1000).contains(&self.min_responses) {
            return Err(err("min_responses", "between 1 and 1000 answers"));
        }
        if self.quiet_period_days > 365 {
            return Err(err("quiet_period_days", "at most 365 days"));
        }
        super::settings::check_personal_link_days(self.personal_link_days).map_err(|m| err("personal_link_days", m))?;
        super::shard::check(self.write_shards).map_err(|m| err("write_shards", m))?;
        if self.anonymous_daily_cap == Some(0) {
            return Err(err("anonymous_daily_cap", "at least 1 response a day (or left out for no cap)"));
        }
        for (name, t) in &self.triggers {
            if !valid_event_name(name) {
                return Err(err(
                    format!("triggers.{name}"),
                    "event names are 1-40 lower-case letters, digits and underscores (e.g. order_placed)",
                ));
            }
            if t.delay_hours > 2160 {
                return Err(err(format!("triggers.{name}.delay_hours"), "at most 2160 hours (90 days)"));
            }
            super::distribution::check_messages(
                &format!("triggers.{name}.messages"),
                &t.messages,
                &self.languages,
                &self.operational_fields,
            )
            .map_err(|e| err(e.field, e.message))?;
        }

        if self.follow_ups.enabled {
            check_recipients("follow_ups.recipients", &mut self.follow_ups.recipients)?;
        } else if self.follow_ups.recipients.len() > 10 {
            return Err(err("follow_ups.recipients", "at most 10 recipients"));
        }

        match self.notifications.rule {
            NotificationRule::Off => {}
            NotificationRule::Every { n } | NotificationRule::Once { n } => {
                if n == 0 || n > 1_000_000 {
                    return Err(err("notifications.rule.n", "must be between 1 and 1,000,000 responses"));
                }
                check_recipients("notifications.recipients", &mut self.notifications.recipients)?;
            }
        }

        if self.reports.subscribers.len() > 20 {
            return Err(err("reports.subscribers", "at most 20 subscribers"));
        }
        check_addresses("reports.subscribers", &mut self.reports.subscribers)?;

        super::embed::check_origins(&mut self.embed_origins).map_err(|(at, message)| match at {
            Some(i) => err(format!("embed_origins[{i}]"), message),
            None => err("embed_origins", message),
        })?;

        if self.languages.is_empty() {
            return Err(err("languages", "at least one language is needed"));
        }
        for i in 1..self.languages.len() {
            if self.languages[..i].contains(&self.languages[i]) {
                return Err(err(format!("languages[{i}]"), "listed twice"));
            }
        }
        Ok(self)
    }

    /// The project's default survey language.
    pub fn default_language(&self) -> Lang {
        self.languages.first().copied().unwrap_or(Lang::En)
    }
}

/// Industries offered when a B2B project names none.
pub const DEFAULT_INDUSTRIES: [&str; 12] = [
    "Financial services",
    "Healthcare",
    "Manufacturing",
    "Retail",
    "Technology",
    "Telecommunications",
    "Education",
    "Government",
    "Energy and utilities",
    "Transport and logistics",
    "Professional services",
    "Other",
];

/// The message ids of [`DEFAULT_INDUSTRIES`]' labels, in the same order.
pub const DEFAULT_INDUSTRY_LABELS: [&str; 12] = [
    keys::INDUSTRY_FINANCIAL_SERVICES,
    keys::INDUSTRY_HEALTHCARE,
    keys::INDUSTRY_MANUFACTURING,
    keys::INDUSTRY_RETAIL,
    keys::INDUSTRY_TECHNOLOGY,
    keys::INDUSTRY_TELECOMMUNICATIONS,
    keys::INDUSTRY_EDUCATION,
    keys::INDUSTRY_GOVERNMENT,
    keys::INDUSTRY_ENERGY,
    keys::INDUSTRY_TRANSPORT,
    keys::INDUSTRY_PROFESSIONAL_SERVICES,
    keys::INDUSTRY_OTHER,
];

/// The message id of a default option's translated label: `value` is one
/// of `defaults` (the English texts stored as answers) and `labels` their
/// message ids in the same order. A project's own options have none.
pub fn default_label(value: &str, defaults: &[&str], labels: &[&'static str]) -> Option<&'static str> {
    defaults.iter().position(|d| *d == value).and_then(|i| labels.get(i).copied())
}

/// Applies an RFC 7386 JSON merge patch (`null` removes a member).
pub fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    if let Value::Object(p) = patch {
        if !target.is_object() {
            *target = Value::Object(Default::default());
        }
        if let Value::Object(t) = target {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
    } else {
        *target = patch.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(v: serde_json::Value) -> Result<Settings, SettingError> {
        serde_json::from_value::<Settings>(v).map_err(|e| err("body", e.to_string()))?.normalise()
    }

    fn b2c() -> serde_json::Value {
        json!({ "organisation_name": " Kahvila Oy ", "business_type": "B2C" })
    }

    #[test]
    fn default_options_are_labelled_by_their_own_english_text() {
        use crate::domain::i18n::t;
        let pairs = US_STATES
            .iter()
            .zip(US_STATE_LABELS)
            .chain(DEFAULT_CHANNELS.iter().zip(DEFAULT_CHANNEL_LABELS))
            .chain(DEFAULT_INDUSTRIES.iter().zip(DEFAULT_INDUSTRY_LABELS));
        for m in [SizeMeasure::Revenue, SizeMeasure::Employees] {
            assert_eq!(m.default_bands(), default_band_labels(m).iter().map(|(v, _)| v.to_string()).collect::<Vec<_>>());
        }
        let bands =
            [SizeMeasure::Revenue, SizeMeasure::Employees].into_iter().flat_map(|m| default_band_labels(m).iter().map(|(v, k)| (v, *k)));
        for (value, key) in pairs.chain(bands) {
            assert_eq!(t(Lang::En, key), *value, "{key} is out of step with its default");
        }
        assert_eq!(default_label("California", &US_STATES, &US_STATE_LABELS).map(|k| t(Lang::De, k)), Some("Kalifornien".to_string()));
        assert_eq!(default_label("Atlantis", &US_STATES, &US_STATE_LABELS), None);
    }

    #[test]
    fn b2c_defaults_to_the_50_states_and_default_channels() {
        let s = settings(b2c()).unwrap();
        assert_eq!(s.organisation_name, "Kahvila Oy");
        let b2c = s.b2c.unwrap();
        assert_eq!(b2c.locations.len(), 50);
        assert_eq!(b2c.locations[0], "Alabama");
        assert_eq!(b2c.channels.len(), DEFAULT_CHANNELS.len());
        assert_eq!(s.languages, vec![Lang::En]);
    }

    #[test]
    fn b2b_prefills_editable_size_bands_by_measure() {
        let s = settings(json!({ "organisation_name": "A", "business_type": "B2B", "b2b": { "company_size": { "measure": "revenue" } } }))
            .unwrap();
        assert_eq!(s.b2b.as_ref().unwrap().company_size.bands, SizeMeasure::Revenue.default_bands());
        let s = settings(json!({ "organisation_name": "A", "business_type": "B2B",
            "b2b": { "industries": ["Banking"], "company_size": { "measure": "employees", "bands": ["small", "large"] } } }))
        .unwrap();
        assert_eq!(s.b2b.unwrap().company_size.bands, vec!["small", "large"]);
    }

    #[test]
    fn settings_of_the_other_business_type_are_refused() {
        let mut v = b2c();
        v["b2b"] = json!({ "company_size": { "measure": "revenue" } });
        assert_eq!(settings(v).unwrap_err().field, "b2b");
    }

    #[test]
    fn follow_ups_need_one_to_ten_valid_recipients() {
        let mut v = b2c();
        v["follow_ups"] = json!({ "enabled": true, "recipients": [] });
        assert_eq!(settings(v.clone()).unwrap_err().field, "follow_ups.recipients");
        let eleven: Vec<String> = (0..11).map(|i| format!("r{i}@example.com")).collect();
        v["follow_ups"] = json!({ "enabled": true, "recipients": eleven });
        assert!(settings(v.clone()).unwrap_err().message.contains("11 were given"));
        let ten: Vec<String> = (0..10).map(|i| format!("r{i}@example.com")).collect();
        v["follow_ups"] = json!({ "enabled": true, "recipients": ten });
        assert!(settings(v.clone()).is_ok());
        v["follow_ups"] = json!({ "enabled": true, "recipients": ["ok@example.com", "nope"] });
        assert_eq!(settings(v).unwrap_err().field, "follow_ups.recipients[1]");
    }

    #[test]
    fn notification_rules_need_a_positive_n_and_recipients() {
        let mut v = b2c();
        v["notifications"] = json!({ "rule": { "mode": "every", "n": 0 }, "recipients": ["a@example.com"] });
        assert_eq!(settings(v.clone()).unwrap_err().field, "notifications.rule.n");
        v["notifications"] = json!({ "rule": { "mode": "once", "n": 50 } });
        assert_eq!(settings(v.clone()).unwrap_err().field, "notifications.recipients");
        v["notifications"] = json!({ "rule": { "mode": "every", "n": 50 }, "recipients": ["a@example.com"] });
        assert_eq!(settings(v).unwrap().notifications.rule, NotificationRule::Every { n: 50 });
    }

    #[test]
    fn operational_fields_are_kept_exactly_and_not_duplicated() {
        let mut v = b2c();
        v["operational_fields"] = json!(["Business Unit", "Region"]);
        assert_eq!(settings(v.clone()).unwrap().operational_fields, vec!["Business Unit", "Region"]);
        v["operational_fields"] = json!(["Region", "Region"]);
        assert_eq!(settings(v.clone()).unwrap_err().field, "operational_fields[1]");
        v["operational_fields"] = json!(["email"]);
        assert!(settings(v.clone()).unwrap_err().message.contains("Email"));
        v["operational_fields"] = json!(["Region "]);
        assert!(settings(v).unwrap_err().message.contains("exactly"));
    }

    #[test]
    fn a_demographic_that_duplicates_an_operational_field_is_refused() {
        let mut v = b2c();
        v["operational_fields"] = json!(["Business Unit"]);
        v["demographics"] = json!([{ "label": { "en": "business  unit" }, "options": ["A", "B"] }]);
        let e = settings(v.clone()).unwrap_err();
        assert_eq!(e.field, "demographics[0].label");
        assert!(e.message.contains("Business Unit"));
        v["demographics"] = json!([{ "label": { "en": "Age group", "de": "Altersgruppe" }, "options": ["18–34", "35+"] }]);
        assert!(settings(v).is_ok());
    }

    #[test]
    fn resource_urls_must_be_absolute() {
        let mut v = b2c();
        v["resource_page_url"] = json!("javascript:alert(1)");
        assert_eq!(settings(v.clone()).unwrap_err().field, "resource_page_url");
        v["resource_page_url"] = json!("https://example.com/help");
        assert!(settings(v).is_ok());
    }

    #[test]
    fn embed_origins_are_https_origins_and_a_bad_one_is_named() {
        let mut v = b2c();
        assert_eq!(settings(v.clone()).unwrap().embed_origins, Vec::<String>::new(), "none by default");
        v["embed_origins"] = json!(["https://www.example.com", "https://Shop.Example.com:8443"]);
        assert_eq!(settings(v.clone()).unwrap().embed_origins, ["https://www.example.com", "https://shop.example.com:8443"]);
        v["embed_origins"] = json!(["https://www.example.com", "https://www.example.com/survey"]);
        let e = settings(v.clone()).unwrap_err();
        assert_eq!(e.field, "embed_origins[1]");
        assert!(e.message.contains("\"https://www.example.com/survey\"") && e.message.contains("path"), "{}", e.message);
        v["embed_origins"] = json!(["https://*.example.com"]);
        assert_eq!(settings(v).unwrap_err().field, "embed_origins[0]");
    }

    #[test]
    fn languages_must_be_supported_and_unique() {
        let mut v = b2c();
        v["languages"] = json!(["de", "en"]);
        assert_eq!(settings(v.clone()).unwrap().default_language(), Lang::De);
        v["languages"] = json!(["fr"]);
        assert!(serde_json::from_value::<Settings>(v.clone()).is_err());
        v["languages"] = json!(["en", "en"]);
        assert_eq!(settings(v).unwrap_err().field, "languages[1]");
    }

    #[test]
    fn personal_link_days_default_to_60_and_stay_within_a_year() {
        assert_eq!(settings(b2c()).unwrap().personal_link_days, 60);
        let mut v = b2c();
        v["personal_link_days"] = json!(90);
        assert_eq!(settings(v.clone()).unwrap().personal_link_days, 90);
        for bad in [0, 366] {
            v["personal_link_days"] = json!(bad);
            assert_eq!(settings(v.clone()).unwrap_err().field, "personal_link_days");
        }
        v["personal_link_days"] = json!("x");
        assert!(serde_json::from_value::<Settings>(v).is_err());
    }

    #[test]
    fn a_survey_closes_and_reopens_and_either_twice_changes_nothing() {
        let mut p = Project {
            id: "p".into(),
            kind: Kind::QuickCheckIn,
            settings: settings(b2c()).unwrap(),
            revision: 1,
            published_version: Some(1),
            anonymous_link: "t".into(),
            anonymous_sealed: "sealed".into(),
            rule_since: 0,
            closed_at: None,
            created_at: "2026-01-01T00:00:00.000Z".into(),
            updated_at: "2026-01-01T00:00:00.000Z".into(),
        };
        assert!(!p.is_closed());
        assert!(!p.reopen(), "an open survey is not reopened");
        assert!(p.close("2026-02-01T00:00:00.000Z"));
        assert!(p.is_closed());
        assert!(!p.close("2026-03-01T00:00:00.000Z"), "closing a closed survey is harmless");
        assert_eq!(p.closed_at.as_deref(), Some("2026-02-01T00:00:00.000Z"), "and keeps when it was closed");
        assert!(p.reopen());
        assert!(!p.is_closed() && p.closed_at.is_none());
        // a project stored before surveys could close reads as open
        let mut stored = serde_json::to_value(&p).unwrap();
        assert!(stored.get("closed_at").is_none());
        stored.as_object_mut().unwrap().remove("closed_at");
        assert!(!serde_json::from_value::<Project>(stored).unwrap().is_closed());
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut t = json!({ "a": 1, "b": { "c": 2, "d": 3 } });
        merge_patch(&mut t, &json!({ "a": null, "b": { "c": 5 }, "e": [1] }));
        assert_eq!(t, json!({ "b": { "c": 5, "d": 3 }, "e": [1] }));
    }
}

/// A stored project: the immutable kind, the draft settings, and which
/// survey version respondents see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub kind: Kind,
    pub settings: Settings,
    /// Bumped by every change; updates are conditional on it.
    pub revision: u64,
    /// The version respondents see; `None` until first published.
    pub published_version: Option<u32>,
    /// The id (keyed hash of the token) of the project's anonymous link.
    pub anonymous_link: String,
    /// Its token, sealed with the stack's links key (`Guard::seal`): shown
    /// to the team again, never kept in clear.
    pub anonymous_sealed: String,
    /// The response count when the notification rule was last set; the rule
    /// applies to thresholds above it.
    #[serde(default)]
    pub rule_since: u64,
    /// When the survey was closed; `None`: open. A closed survey's links
    /// (anonymous and personal) show a page saying so and store nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Project {
    /// Whether respondents are turned away.
    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }

    /// Closes the survey at `now`; false when it already was (then nothing
    /// changes, not even when it was closed: closing twice is harmless).
    pub fn close(&mut self, now: &str) -> bool {
        if self.is_closed() {
            return false;
        }
        self.closed_at = Some(now.to_string());
        true
    }

    /// Opens a closed survey again; false when it was open.
    pub fn reopen(&mut self) -> bool {
        self.closed_at.take().is_some()
    }
}
