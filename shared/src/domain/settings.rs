//! The settings a project holds for its features: the scheduled report
//! ([`ReportSettings`]) and the B2B imports ([`B2bImportSettings`]: column
//! mappings, custom attributes, client and team roles). They sit below
//! `project` (which holds them) and below `report` and `b2b` (which read
//! them), so neither side has to import the other.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::kinds::Period;

/// How often a project's report is generated and mailed to its subscribers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    Off,
    Daily,
    #[default]
    Weekly,
    Monthly,
}

impl Schedule {
    /// The range the run on `today` covers (the previous day, ISO week or
    /// calendar month), or `None` when nothing is due today.
    pub fn due(self, today: Date) -> Option<(Date, Date, Period)> {
        let yesterday = today.previous_day()?;
        match self {
            Schedule::Off => None,
            Schedule::Daily => Some((yesterday, yesterday, Period::Day)),
            Schedule::Weekly => (today.weekday() == time::Weekday::Monday).then(|| (today - Duration::days(7), yesterday, Period::Day)),
            Schedule::Monthly => (today.day() == 1).then(|| (Period::Month.start(yesterday), yesterday, Period::Week)),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Schedule::Off => "off",
            Schedule::Daily => "daily",
            Schedule::Weekly => "weekly",
            Schedule::Monthly => "monthly",
        }
    }
}

/// Report settings of a project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    #[serde(default)]
    pub schedule: Schedule,
    /// Who receives the scheduled report's link (0–20 addresses).
    #[serde(default)]
    pub subscribers: Vec<String>,
}

/// Days a personal link works after it was made, unless the project says
/// otherwise (`settings.personal_link_days`); as Qualtrics' default.
pub const DEFAULT_PERSONAL_LINK_DAYS: u32 = 60;

/// The range `settings.personal_link_days` may take: a day to a year.
pub const PERSONAL_LINK_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

/// The serde default of `settings.personal_link_days`.
pub fn default_min_responses() -> u32 {
    10
}

/// A project's report counters start on one partition key.
pub fn default_write_shards() -> u32 {
    1
}

pub fn default_personal_link_days() -> u32 {
    DEFAULT_PERSONAL_LINK_DAYS
}

/// Checks `settings.personal_link_days`: the reason when it is out of range.
pub fn check_personal_link_days(days: u32) -> Result<(), String> {
    if PERSONAL_LINK_DAYS.contains(&days) {
        Ok(())
    } else {
        Err(format!(
            "personal links work for {} to {} days (default {DEFAULT_PERSONAL_LINK_DAYS}); {days} is outside that",
            PERSONAL_LINK_DAYS.start(),
            PERSONAL_LINK_DAYS.end()
        ))
    }
}

/// A contact's role at its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClientRole {
    DecisionMaker,
    Influencer,
    ProcurementFinancePerson,
    ProgramManager,
    ExecutiveSponsor,
    EndUser,
    AccountMember,
}

/// A colleague's role in an account's team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TeamRole {
    AccountExecutive,
    AccountOwner,
    CustomerSuccessManager,
    TechnicalSalesProfessional,
    SalesEngineer,
    CustomerSupportProfessional,
    OtherAccountTeamMember,
}

/// Reads a role's canonical name (`DECISION_MAKER`), also written with
/// spaces or in other case (`Decision maker`).
fn canonical<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    let name: String = text.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_uppercase() }).collect();
    serde_json::from_value(serde_json::Value::String(name)).ok()
}

/// Every client role's canonical name.
pub const CLIENT_ROLES: [&str; 7] =
    ["DECISION_MAKER", "INFLUENCER", "PROCUREMENT_FINANCE_PERSON", "PROGRAM_MANAGER", "EXECUTIVE_SPONSOR", "END_USER", "ACCOUNT_MEMBER"];

/// Every team role's canonical name.
pub const TEAM_ROLES: [&str; 7] = [
    "ACCOUNT_EXECUTIVE",
    "ACCOUNT_OWNER",
    "CUSTOMER_SUCCESS_MANAGER",
    "TECHNICAL_SALES_PROFESSIONAL",
    "SALES_ENGINEER",
    "CUSTOMER_SUPPORT_PROFESSIONAL",
    "OTHER_ACCOUNT_TEAM_MEMBER",
];

/// The type of a custom account attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AttributeType {
    Integer,
    Decimal,
    String,
    /// One of the listed values (exactly as written).
    Enum {
        values: Vec<String>,
    },
    /// ISO 8601: `2026-11-23`, `2026-11-23T10:00:00Z` or with an offset.
    DateTime,
}

impl AttributeType {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            AttributeType::Integer => "Integer",
            AttributeType::Decimal => "Decimal",
            AttributeType::String => "String",
            AttributeType::Enum { .. } => "Enum",
            AttributeType::DateTime => "DateTime",
        }
    }
}

/// A custom account attribute: its column name and type
/// (`{"name": "Tier", "type": "enum", "values": ["Gold", "Silver"]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub name: String,
    #[serde(flatten)]
    pub kind: AttributeType,
}

/// Column names of the accounts file (defaults: a Salesforce export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountColumns {
    pub id: String,
    pub name: String,
    pub parent_id: String,
    pub is_deleted: String,
}

impl Default for AccountColumns {
    fn default() -> Self {
        AccountColumns { id: "Id".into(), name: "Name".into(), parent_id: "ParentId".into(), is_deleted: "IsDeleted".into() }
    }
}

/// Column names of the contacts file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactColumns {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub title: String,
    pub account_id: String,
    pub is_deleted: String,
}

impl Default for ContactColumns {
    fn default() -> Self {
        ContactColumns {
            id: "Id".into(),
            first_name: "FirstName".into(),
            last_name: "LastName".into(),
            email: "Email".into(),
            title: "Title".into(),
            account_id: "AccountId".into(),
            is_deleted: "IsDeleted".into(),
        }
    }
}

/// Column names of the account team members file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamColumns {
    pub account_id: String,
    pub user_email: String,
    pub role: String,
    pub is_deleted: String,
}

impl Default for TeamColumns {
    fn default() -> Self {
        TeamColumns {
            account_id: "AccountId".into(),
            user_email: "UserEmail".into(),
            role: "TeamMemberRole".into(),
            is_deleted: "IsDeleted".into(),
        }
    }
}

/// A project's B2B settings: the column mappings, the custom attributes,
/// the title → client role table and the team role names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct B2bImportSettings {
    pub account_columns: AccountColumns,
    pub contact_columns: ContactColumns,
    pub team_columns: TeamColumns,
    pub attributes: Vec<AttributeDef>,
    /// Contact titles (compared without case and surrounding spaces) to
    /// client roles; a title not listed is an `ACCOUNT_MEMBER`, unless it
    /// is itself a role's name.
    pub title_roles: BTreeMap<String, ClientRole>,
    /// Team role values of the file to team roles, besides the canonical
    /// names and Salesforce's standard picklist (Account Manager, Executive
    /// Sponsor, Sales Manager, Lead Qualifier, Pre-Sales Consultant, Sales
    /// Rep…), which are known already.
    pub team_roles: BTreeMap<String, TeamRole>,
    /// When set, each contacts import that adds contacts starts a
    /// distribution to exactly those new contacts, with these messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_distribution: Option<AutoDistribution>,
}

/// The distribution an import starts by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoDistribution {
    pub messages: BTreeMap<super::i18n::Lang, super::distribution::Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<super::distribution::Reminder>,
}

impl B2bImportSettings {
    pub fn is_default(&self) -> bool {
        *self == B2bImportSettings::default()
    }

    /// Checks names and the attribute declarations; the message names the field.
    pub fn check(&self) -> Result<(), (String, String)> {
        let mut seen = BTreeSet::new();
        for (i, a) in self.attributes.iter().enumerate() {
            let at = format!("attributes[{i}]");
            if a.name.trim().is_empty() || a.name.trim() != a.name || a.name.chars().count() > 100 {
                return Err((format!("{at}.name"), "1–100 characters, without surrounding spaces".into()));
            }
            if !seen.insert(a.name.clone()) {
                return Err((format!("{at}.name"), format!("{:?} is declared twice", a.name)));
            }
            let reserved =
                [&self.account_columns.id, &self.account_columns.name, &self.account_columns.parent_id, &self.account_columns.is_deleted];
            if reserved.contains(&&a.name) {
                return Err((format!("{at}.name"), format!("{:?} is one of the accounts file's own columns", a.name)));
            }
            if let AttributeType::Enum { values } = &a.kind {
                if values.is_empty() || values.len() > 200 || values.iter().any(|v| v.trim().is_empty()) {
                    return Err((format!("{at}.values"), "an Enum needs 1–200 non-empty values".into()));
                }
            }
        }
        if self.attributes.len() > 50 {
            return Err(("attributes".into(), "at most 50 attributes".into()));
        }
        Ok(())
    }

    /// The client role of a contact title.
    pub fn client_role(&self, title: &str) -> ClientRole {
        let t = title.trim();
        self.title_roles
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(t))
            .map(|(_, r)| *r)
            .or_else(|| canonical(t))
            .unwrap_or(ClientRole::AccountMember)
    }

    /// The team role of a file's role value, or an error naming the known ones.
    pub fn team_role(&self, value: &str) -> Result<TeamRole, String> {
        let v = value.trim();
        if let Some((_, r)) = self.team_roles.iter().find(|(k, _)| k.trim().eq_ignore_ascii_case(v)) {
            return Ok(*r);
        }
        if let Some(r) = canonical(v) {
            return Ok(r);
        }
        let salesforce = match v.to_ascii_lowercase().as_str() {
            "account manager" => Some(TeamRole::AccountOwner),
            "executive sponsor" | "sales manager" | "sales rep" | "account executive" => Some(TeamRole::AccountExecutive),
            "pre-sales consultant" | "presales consultant" => Some(TeamRole::TechnicalSalesProfessional),
            "sales engineer" => Some(TeamRole::SalesEngineer),
            "customer success manager" => Some(TeamRole::CustomerSuccessManager),
            "support" | "customer support" => Some(TeamRole::CustomerSupportProfessional),
            "lead qualifier" | "channel manager" => Some(TeamRole::OtherAccountTeamMember),
            _ => None,
        };
        salesforce.ok_or_else(|| {
            format!("{v:?} is not a team role; use one of {} or map it in settings.b2b_import.team_roles", TEAM_ROLES.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn schedules_cover_the_period_just_ended() {
        let monday = date!(2026 - 11 - 23);
        assert_eq!(Schedule::Weekly.due(monday), Some((date!(2026 - 11 - 16), date!(2026 - 11 - 22), Period::Day)));
        assert_eq!(Schedule::Weekly.due(date!(2026 - 11 - 24)), None);
        assert_eq!(Schedule::Monthly.due(date!(2026 - 12 - 01)), Some((date!(2026 - 11 - 01), date!(2026 - 11 - 30), Period::Week)));
        assert_eq!(Schedule::Daily.due(monday), Some((date!(2026 - 11 - 22), date!(2026 - 11 - 22), Period::Day)));
        assert_eq!(Schedule::Off.due(monday), None);
    }

    #[test]
    fn personal_link_days_run_from_one_day_to_a_year() {
        assert_eq!(default_personal_link_days(), 60);
        for ok in [1, 60, 90, 365] {
            assert_eq!(check_personal_link_days(ok), Ok(()), "{ok}");
        }
        for bad in [0, 366, u32::MAX] {
            let reason = check_personal_link_days(bad).unwrap_err();
            assert!(reason.contains("1 to 365 days") && reason.contains(&bad.to_string()), "{reason}");
        }
    }

    #[test]
    fn attribute_declarations_read_from_json() {
        let defs: Vec<AttributeDef> = serde_json::from_str(
            r#"[{"name": "Tier", "type": "enum", "values": ["Gold", "Silver"]}, {"name": "Renewal", "type": "date_time"}]"#,
        )
        .unwrap();
        assert_eq!(defs[0].kind, AttributeType::Enum { values: vec!["Gold".into(), "Silver".into()] });
        assert_eq!(defs[1].kind, AttributeType::DateTime);
        assert!(serde_json::from_str::<Vec<AttributeDef>>(r#"[{"name": "X", "type": "colour"}]"#).is_err());
    }
}
