//! B2B accounts (part 8 of the product, the account-management command
//! center): the rules of the three imports — accounts, contacts and account
//! team members, in Salesforce's export shape by default —, client and team
//! roles, typed custom attributes, the parent hierarchy, and the account
//! health score with its churn-risk flag. Pure: the import function and the
//! store apply these rules; nothing here reads or writes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::contacts::{near_miss, Warning};
use super::metrics::NpsCounts;

/// What a B2B file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum B2bKind {
    Accounts,
    Contacts,
    TeamMembers,
}

impl B2bKind {
    pub fn as_str(self) -> &'static str {
        match self {
            B2bKind::Accounts => "accounts",
            B2bKind::Contacts => "contacts",
            B2bKind::TeamMembers => "team_members",
        }
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
    Enum { values: Vec<String> },
    /// ISO 8601: `2026-11-23`, `2026-11-23T10:00:00Z` or with an offset.
    DateTime,
}

impl AttributeType {
    fn name(&self) -> &'static str {
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

/// A checked attribute value, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributeValue {
    Integer(i64),
    Decimal(f64),
    Text(String),
}

/// Checks one value against its attribute's type; the message names the
/// allowed form.
pub fn check_value(def: &AttributeDef, raw: &str) -> Result<AttributeValue, String> {
    let v = raw.trim();
    match &def.kind {
        AttributeType::Integer => v.parse::<i64>().map(AttributeValue::Integer).map_err(|_| format!("{v:?} is not an Integer (a whole number such as 42 or -7)")),
        AttributeType::Decimal => match v.parse::<f64>() {
            Ok(d) if d.is_finite() && !v.contains(['e', 'E']) && !v.eq_ignore_ascii_case("nan") => Ok(AttributeValue::Decimal(d)),
            _ => Err(format!("{v:?} is not a Decimal (a number with a point, such as 12.5)")),
        },
        AttributeType::String => {
            if v.chars().count() > 1000 {
                Err("is longer than 1000 characters".to_string())
            } else {
                Ok(AttributeValue::Text(v.to_string()))
            }
        }
        AttributeType::Enum { values } => {
            if values.iter().any(|a| a == v) {
                Ok(AttributeValue::Text(v.to_string()))
            } else {
                Err(format!("{v:?} is not one of the allowed values: {}", values.join(", ")))
            }
        }
        AttributeType::DateTime => parse_date_time(v).ok_or_else(|| {
            format!("{v:?} is not an ISO 8601 date or date-time (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with Z or an offset such as +02:00)")
        }),
    }
}

/// An ISO 8601 date (as midnight UTC) or RFC 3339 date-time, as stored (UTC).
fn parse_date_time(v: &str) -> Option<AttributeValue> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(v, &Rfc3339) {
        return Some(AttributeValue::Text(crate::clock::format(t)));
    }
    let date = time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(AttributeValue::Text(crate::clock::format(date.midnight().assume_utc())))
}

/// Why a change of the declared attributes is refused (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the attribute {name:?} already holds data as {was}; its type cannot become {now}")]
pub struct AttributeLocked {
    pub name: String,
    pub was: String,
    pub now: String,
}

/// A declared type cannot change (nor the attribute go away) once data
/// exists for it; new attributes, and changes of attributes without data,
/// are fine. Enum values may be added, not removed.
pub fn check_attribute_change(old: &[AttributeDef], new: &[AttributeDef], has_data: impl Fn(&str) -> bool) -> Result<(), AttributeLocked> {
    for o in old.iter().filter(|o| has_data(&o.name)) {
        let locked = |now: String| AttributeLocked { name: o.name.clone(), was: o.kind.name().to_string(), now };
        match new.iter().find(|n| n.name == o.name) {
            None => return Err(locked("removed".into())),
            Some(n) => match (&o.kind, &n.kind) {
                (AttributeType::Enum { values: before }, AttributeType::Enum { values: after }) => {
                    if let Some(gone) = before.iter().find(|v| !after.contains(v)) {
                        return Err(locked(format!("an Enum without the value {gone:?}")));
                    }
                }
                (a, b) if a.name() != b.name() => return Err(locked(b.name().to_string())),
                _ => {}
            },
        }
    }
    Ok(())
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
        TeamColumns { account_id: "AccountId".into(), user_email: "UserEmail".into(), role: "TeamMemberRole".into(), is_deleted: "IsDeleted".into() }
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
            let reserved = [&self.account_columns.id, &self.account_columns.name, &self.account_columns.parent_id, &self.account_columns.is_deleted];
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
        salesforce.ok_or_else(|| format!("{v:?} is not a team role; use one of {} or map it in settings.b2b_import.team_roles", TEAM_ROLES.join(", ")))
    }
}

/// A problem with a B2B file's header: the import stops before any row is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("the header is missing the column {column:?} ({what}){}", match .found { Some(f) => format!("; the file has {f:?}, which is close but not exact (names must match exactly, or map the column in settings.b2b_import)"), None => String::new() })]
pub struct MissingColumn {
    pub column: String,
    pub what: &'static str,
    pub found: Option<String>,
}

/// Where each needed column of a B2B file stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct B2bHeader {
    pub kind: B2bKind,
    /// (what, column index) for the file's own columns.
    index: BTreeMap<&'static str, usize>,
    /// Custom attributes found (accounts file only).
    attributes: Vec<(AttributeDef, usize)>,
    pub columns: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// A rejected row: line, column and reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct B2bRowError {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl B2bHeader {
    /// Checks the header cells of a `kind` file against the mapping.
    /// `IsDeleted` may be absent (nothing is deleted then); declared
    /// attributes may be absent (not set by this file).
    pub fn check(kind: B2bKind, cells: &[String], s: &B2bImportSettings) -> Result<B2bHeader, MissingColumn> {
        let wanted: Vec<(&'static str, &str, bool)> = match kind {
            B2bKind::Accounts => vec![
                ("id", &s.account_columns.id, true),
                ("name", &s.account_columns.name, true),
                ("parent_id", &s.account_columns.parent_id, false),
                ("is_deleted", &s.account_columns.is_deleted, false),
            ],
            B2bKind::Contacts => vec![
                ("id", &s.contact_columns.id, true),
                ("first_name", &s.contact_columns.first_name, true),
                ("last_name", &s.contact_columns.last_name, true),
                ("email", &s.contact_columns.email, true),
                ("title", &s.contact_columns.title, false),
                ("account_id", &s.contact_columns.account_id, true),
                ("is_deleted", &s.contact_columns.is_deleted, false),
            ],
            B2bKind::TeamMembers => vec![
                ("account_id", &s.team_columns.account_id, true),
                ("user_email", &s.team_columns.user_email, true),
                ("role", &s.team_columns.role, true),
                ("is_deleted", &s.team_columns.is_deleted, false),
            ],
        };
        let mut index = BTreeMap::new();
        for (what, column, required) in wanted {
            match cells.iter().position(|c| c == column) {
                Some(i) => {
                    index.insert(what, i);
                }
                None if required => return Err(MissingColumn { column: column.to_string(), what, found: near_miss(column, cells).cloned() }),
                None => {}
            }
        }
        let mut attributes = Vec::new();
        if kind == B2bKind::Accounts {
            for a in &s.attributes {
                if let Some(i) = cells.iter().position(|c| *c == a.name) {
                    attributes.push((a.clone(), i));
                }
            }
        }
        let used: BTreeSet<usize> = index.values().copied().chain(attributes.iter().map(|(_, i)| *i)).collect();
        let warnings = cells
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
            .map(|(_, c)| Warning { column: c.clone(), message: format!("the column {c:?} is not mapped for {} files; its values are not stored", kind.as_str()) })
            .collect();
        Ok(B2bHeader { kind, index, attributes, columns: cells.to_vec(), warnings })
    }

    fn cell<'a>(&self, cells: &'a [String], what: &str) -> Option<&'a str> {
        self.index.get(what).and_then(|i| cells.get(*i)).map(|c| c.trim())
    }

    fn column(&self, what: &str) -> String {
        self.index.get(what).and_then(|i| self.columns.get(*i)).cloned().unwrap_or_else(|| what.to_string())
    }

    fn required(&self, line: u64, cells: &[String], what: &str) -> Result<String, B2bRowError> {
        match self.cell(cells, what) {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            _ => Err(B2bRowError { line, column: self.column(what), reason: "a value is required".into() }),
        }
    }

    fn deleted(&self, line: u64, cells: &[String]) -> Result<bool, B2bRowError> {
        match self.cell(cells, "is_deleted").map(str::to_ascii_lowercase).as_deref() {
            None | Some("") | Some("false") | Some("0") | Some("no") => Ok(false),
            Some("true") | Some("1") | Some("yes") => Ok(true),
            Some(other) => Err(B2bRowError { line, column: self.column("is_deleted"), reason: format!("{other:?} is not true or false") }),
        }
    }

    fn id(&self, line: u64, cells: &[String], what: &str) -> Result<String, B2bRowError> {
        let v = self.required(line, cells, what)?;
        if v.chars().count() > 100 || v.contains('#') {
            return Err(B2bRowError { line, column: self.column(what), reason: "an id is at most 100 characters, without '#'".into() });
        }
        Ok(v)
    }

    /// An accounts file's row.
    pub fn account(&self, line: u64, cells: &[String]) -> Result<AccountRow, B2bRowError> {
        let id = self.id(line, cells, "id")?;
        let name = self.required(line, cells, "name")?;
        let parent_id = match self.cell(cells, "parent_id") {
            Some(p) if !p.is_empty() => Some(self.id(line, cells, "parent_id")?),
            _ => None,
        };
        let deleted = self.deleted(line, cells)?;
        let mut attributes = BTreeMap::new();
        for (def, i) in &self.attributes {
            let raw = cells.get(*i).map(|c| c.trim()).unwrap_or_default();
            if raw.is_empty() {
                continue;
            }
            let value = check_value(def, raw).map_err(|reason| B2bRowError { line, column: def.name.clone(), reason })?;
            attributes.insert(def.name.clone(), value);
        }
        Ok(AccountRow { line, id, name, parent_id, deleted, attributes })
    }

    /// A contacts file's row; its account must be known (`known_account`).
    pub fn contact(&self, line: u64, cells: &[String], s: &B2bImportSettings, known_account: impl Fn(&str) -> bool) -> Result<B2bContactRow, B2bRowError> {
        let id = self.id(line, cells, "id")?;
        let first_name = self.required(line, cells, "first_name")?;
        let last_name = self.required(line, cells, "last_name")?;
        let raw_email = self.required(line, cells, "email")?;
        let email = super::mail::parse_email(&raw_email).map_err(|e| B2bRowError { line, column: self.column("email"), reason: e.to_string() })?;
        let account_id = self.id(line, cells, "account_id")?;
        if !known_account(&account_id) {
            return Err(B2bRowError { line, column: self.column("account_id"), reason: format!("no account with the id {account_id:?} (import the accounts file first); the contact is not linked") });
        }
        let title = self.cell(cells, "title").unwrap_or_default().to_string();
        let role = s.client_role(&title);
        let deleted = self.deleted(line, cells)?;
        Ok(B2bContactRow { line, id, first_name, last_name, email_key: super::mail::normalise_email(&email), email, title, account_id, role, deleted })
    }

    /// A team members file's row.
    pub fn team_member(&self, line: u64, cells: &[String], s: &B2bImportSettings, known_account: impl Fn(&str) -> bool) -> Result<TeamRow, B2bRowError> {
        let account_id = self.id(line, cells, "account_id")?;
        if !known_account(&account_id) {
            return Err(B2bRowError { line, column: self.column("account_id"), reason: format!("no account with the id {account_id:?}") });
        }
        let raw_email = self.required(line, cells, "user_email")?;
        let user_email = super::mail::parse_email(&raw_email).map_err(|e| B2bRowError { line, column: self.column("user_email"), reason: e.to_string() })?;
        let raw_role = self.required(line, cells, "role")?;
        let role = s.team_role(&raw_role).map_err(|reason| B2bRowError { line, column: self.column("role"), reason })?;
        let deleted = self.deleted(line, cells)?;
        Ok(TeamRow { line, account_id, user_email, role, deleted })
    }
}

/// An account as imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub line: u64,
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub deleted: bool,
    pub attributes: BTreeMap<String, AttributeValue>,
}

/// A B2B contact as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct B2bContactRow {
    pub line: u64,
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub email_key: String,
    pub title: String,
    pub account_id: String,
    pub role: ClientRole,
    pub deleted: bool,
}

/// An account team member as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRow {
    pub line: u64,
    pub account_id: String,
    pub user_email: String,
    pub role: TeamRole,
    pub deleted: bool,
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeValue>,
    pub upload_id: String,
    pub updated_at: String,
}

/// A stored account team member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRecord {
    pub account_id: String,
    pub user_email: String,
    pub role: TeamRole,
    #[serde(default)]
    pub deleted: bool,
    pub upload_id: String,
    pub updated_at: String,
}

/// Keeps one `ACCOUNT_OWNER` per account: the first (a stored owner, then
/// the file's order) stays, every later one is skipped with its row.
#[derive(Debug, Default)]
pub struct Owners {
    owner: BTreeMap<String, String>,
}

impl Owners {
    /// Starts from the owners already stored (account → owner email).
    pub fn new(stored: BTreeMap<String, String>) -> Self {
        Owners { owner: stored }
    }

    /// Whether a row may be kept; a second owner is refused with the reason.
    pub fn admit(&mut self, row: &TeamRow) -> Result<(), B2bRowError> {
        if row.role != TeamRole::AccountOwner || row.deleted {
            if row.deleted && row.role == TeamRole::AccountOwner && self.owner.get(&row.account_id).is_some_and(|o| o.eq_ignore_ascii_case(&row.user_email)) {
                self.owner.remove(&row.account_id);
            }
            return Ok(());
        }
        match self.owner.get(&row.account_id) {
            Some(o) if !o.eq_ignore_ascii_case(&row.user_email) => Err(B2bRowError {
                line: row.line,
                column: "TeamMemberRole".into(),
                reason: format!("account {:?} already has the ACCOUNT_OWNER {o}; only one owner per account is kept, so this row is skipped", row.account_id),
            }),
            _ => {
                self.owner.insert(row.account_id.clone(), row.user_email.clone());
                Ok(())
            }
        }
    }
}

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
                problems.push(HierarchyProblem { account_id: id.clone(), parent_id: p.clone(), reason: format!("the parent {p:?} is not an account") });
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
                problems.push(HierarchyProblem { account_id: id.clone(), parent_id: parent.clone(), reason: format!("making {parent:?} the parent of {id:?} closes a cycle") });
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

/// An account's counts from its summed aggregate counters (the
/// `AccountId` segment's buckets): responses, invitations, NPS, CSAT.
pub fn account_counts(c: &super::report::Counters) -> AccountCounts {
    use super::survey::ids;
    let nps = super::metrics::nps_counts(&super::report::histogram(c, ids::NPS));
    let csat = super::report::histogram(c, ids::CSAT);
    AccountCounts {
        responses: c.get("n").copied().unwrap_or(0),
        invited: c.get("invited").copied().unwrap_or(0),
        nps,
        csat_answers: csat.values().sum(),
        csat_satisfied: csat.iter().filter(|(v, _)| **v >= 4).map(|(_, n)| n).sum(),
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

/// Fewest responses before a health score or a churn flag is given.
pub const MIN_RESPONSES: u64 = 5;

/// Detractor share above which an account is at risk.
pub const CHURN_DETRACTOR_SHARE: f64 = 0.30;

/// NPS drop against the previous period (points) that puts an account at risk.
pub const CHURN_NPS_DROP: f64 = 10.0;

/// An account's health.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    pub nps: Option<f64>,
    pub previous_nps: Option<f64>,
    /// NPS now minus NPS in the previous period.
    pub trend: Option<f64>,
    pub csat: Option<f64>,
    pub response_rate: Option<f64>,
    pub detractor_share: Option<f64>,
    /// 0–100; none below [`MIN_RESPONSES`] responses.
    pub score: Option<f64>,
    pub churn_risk: bool,
    /// Why the account is flagged (empty when it is not).
    pub reasons: Vec<String>,
}

/// The health of an account from this period's and the previous period's
/// counts. The rule (also in the README):
/// * score = 50 % NPS rescaled to 0–100, 30 % CSAT, 20 % response rate
///   (weights of missing parts spread over the others), given from
///   [`MIN_RESPONSES`] responses on;
/// * churn risk when, with at least [`MIN_RESPONSES`] responses, the
///   detractor share is above 30 %, or NPS fell by 10 points or more
///   against the previous period (which also had enough responses).
pub fn health(now: &AccountCounts, previous: &AccountCounts) -> Health {
    let enough = |c: &AccountCounts| c.nps.total() >= MIN_RESPONSES;
    let nps = now.nps.score();
    let previous_nps = previous.nps.score().filter(|_| enough(previous));
    let trend = nps.zip(previous_nps).map(|(a, b)| a - b);
    let csat = (now.csat_answers > 0).then(|| now.csat_satisfied as f64 * 100.0 / now.csat_answers as f64);
    let response_rate = super::metrics::response_rate(now.responses, now.invited);
    let detractor_share = (now.nps.total() > 0).then(|| now.nps.detractors as f64 / now.nps.total() as f64);
    let parts: Vec<(f64, f64)> = [(0.5, nps.map(|n| (n + 100.0) / 2.0)), (0.3, csat), (0.2, response_rate)]
        .into_iter()
        .filter_map(|(w, v)| v.map(|v| (w, v)))
        .collect();
    let weight: f64 = parts.iter().map(|(w, _)| w).sum();
    let score = (enough(now) && weight > 0.0).then(|| (parts.iter().map(|(w, v)| w * v).sum::<f64>() / weight * 10.0).round() / 10.0);
    let mut reasons = Vec::new();
    if enough(now) {
        if let Some(d) = detractor_share.filter(|d| *d > CHURN_DETRACTOR_SHARE) {
            reasons.push(format!("{:.0} % detractors (above {:.0} %)", d * 100.0, CHURN_DETRACTOR_SHARE * 100.0));
        }
        if let Some(t) = trend.filter(|t| *t <= -CHURN_NPS_DROP) {
            reasons.push(format!("NPS fell by {:.0} points against the previous period", -t));
        }
    }
    Health { nps, previous_nps, trend, csat, response_rate, detractor_share, score, churn_risk: !reasons.is_empty(), reasons }
}


/// The rule behind the health score and the churn flag, as the report states it.
pub fn health_rule() -> String {
    format!(
        "score (0–100) = 50 % NPS rescaled to 0–100, 30 % CSAT, 20 % response rate (missing parts' weight spread over the others), from {MIN_RESPONSES} responses on; \
         churn risk when, with at least {MIN_RESPONSES} responses, detractors are above {:.0} % or NPS fell by {CHURN_NPS_DROP:.0} points or more against the previous period",
        CHURN_DETRACTOR_SHARE * 100.0
    )
}

/// One account of the report.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    /// Depth in the hierarchy (0: a top account).
    pub depth: usize,
    pub children: Vec<String>,
    /// Its own responses (its contacts').
    pub own: AccountCounts,
    /// Its own and every descendant's.
    pub rolled_up: AccountCounts,
    pub health: Health,
    pub team: Vec<TeamMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamMember {
    pub email: String,
    pub role: TeamRole,
}

/// The account report of a range (`from`..=`to`) against the range before.
#[derive(Debug, Clone, Serialize)]
pub struct AccountReport {
    pub project_id: String,
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub rule: String,
    pub accounts: Vec<AccountView>,
    /// Soft-deleted accounts (kept for history, not reported).
    pub deleted_accounts: usize,
}


/// What an account report is made from: the range and the one before it,
/// the stored accounts and team, and the `AccountId` segment's buckets over
/// both ranges.
pub struct ReportInputs<'a> {
    pub project_id: &'a str,
    pub from: time::Date,
    pub to: time::Date,
    pub previous_from: time::Date,
    pub accounts: &'a [AccountRecord],
    pub team: &'a [TeamRecord],
    pub buckets: Vec<super::report::Bucket>,
}

/// The account report: each active account's own and rolled-up figures
/// and health, tops first, each followed by its descendants (by name).
/// A deleted account is left out, and its children become tops.
pub fn account_report(i: ReportInputs<'_>) -> AccountReport {
    use super::report::{day_text, Counters};
    let mut now_counters: BTreeMap<String, Counters> = BTreeMap::new();
    let mut prev_counters: BTreeMap<String, Counters> = BTreeMap::new();
    for b in i.buckets {
        let (Some(d), Some(account)) = (b.day, b.value) else { continue };
        if d > i.to || d < i.previous_from {
            continue;
        }
        let into = if d >= i.from { now_counters.entry(account).or_default() } else { prev_counters.entry(account).or_default() };
        for (k, v) in b.counters {
            *into.entry(k).or_default() += v;
        }
    }
    let active: BTreeMap<&String, &AccountRecord> = i.accounts.iter().filter(|a| !a.deleted).map(|a| (&a.id, a)).collect();
    let links: BTreeMap<String, Option<String>> =
        active.values().map(|a| (a.id.clone(), a.parent_id.clone().filter(|p| active.contains_key(p)))).collect();
    let own = |counters: &BTreeMap<String, Counters>| -> BTreeMap<String, AccountCounts> {
        counters.iter().filter(|(k, _)| links.contains_key(*k)).map(|(k, c)| (k.clone(), account_counts(c))).collect()
    };
    let (own_now, own_prev) = (own(&now_counters), own(&prev_counters));
    let (rolled_now, rolled_prev) = (roll_up(&links, &own_now), roll_up(&links, &own_prev));
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, parent) in &links {
        if let Some(p) = parent {
            children.entry(p.clone()).or_default().push(id.clone());
        }
    }
    let name_of = |id: &String| active.get(id).map(|a| a.name.clone()).unwrap_or_default();
    for kids in children.values_mut() {
        kids.sort_by_key(|k| (name_of(k), k.clone()));
    }
    let mut tops: Vec<&String> = links.iter().filter(|(_, p)| p.is_none()).map(|(id, _)| id).collect();
    tops.sort_by_key(|id| (name_of(id), (*id).clone()));
    let mut stack: Vec<(String, usize)> = tops.into_iter().rev().map(|id| (id.clone(), 0)).collect();
    let mut accounts = Vec::new();
    while let Some((id, depth)) = stack.pop() {
        for k in children.get(&id).into_iter().flatten().rev() {
            stack.push((k.clone(), depth + 1));
        }
        let Some(a) = active.get(&id) else { continue };
        let rolled = rolled_now.get(&id).copied().unwrap_or_default();
        accounts.push(AccountView {
            id: id.clone(),
            name: a.name.clone(),
            parent_id: links.get(&id).cloned().flatten(),
            depth,
            children: children.get(&id).cloned().unwrap_or_default(),
            own: own_now.get(&id).copied().unwrap_or_default(),
            rolled_up: rolled,
            health: health(&rolled, &rolled_prev.get(&id).copied().unwrap_or_default()),
            team: i.team.iter().filter(|t| t.account_id == id && !t.deleted).map(|t| TeamMember { email: t.user_email.clone(), role: t.role }).collect(),
        });
    }
    AccountReport {
        project_id: i.project_id.to_string(),
        from: day_text(i.from),
        to: day_text(i.to),
        previous_from: day_text(i.previous_from),
        previous_to: day_text(i.from - time::Duration::days(1)),
        rule: health_rule(),
        accounts,
        deleted_accounts: i.accounts.iter().filter(|a| a.deleted).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn settings() -> B2bImportSettings {
        B2bImportSettings {
            attributes: vec![
                AttributeDef { name: "Employees".into(), kind: AttributeType::Integer },
                AttributeDef { name: "ARR".into(), kind: AttributeType::Decimal },
                AttributeDef { name: "Tier".into(), kind: AttributeType::Enum { values: vec!["Gold".into(), "Silver".into()] } },
                AttributeDef { name: "Renewal".into(), kind: AttributeType::DateTime },
                AttributeDef { name: "Segment".into(), kind: AttributeType::String },
            ],
            title_roles: BTreeMap::from([("CFO".to_string(), ClientRole::ProcurementFinancePerson), ("VP Engineering".to_string(), ClientRole::DecisionMaker)]),
            ..Default::default()
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic_any_b2b_reader(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), kind in 0..3u8) {
            use super::super::contacts::{Format, Record, Records};
            let s = settings();
            let kind = [B2bKind::Accounts, B2bKind::Contacts, B2bKind::TeamMembers][kind as usize];
            let mut records = Records::new(Format::Csv);
            let mut header: Option<B2bHeader> = None;
            let mut owners = Owners::new(BTreeMap::new());
            let mut on = |r: Record<'_>| {
                match r {
                    Record::Header(names) => header = B2bHeader::check(kind, &names, &s).ok(),
                    Record::Row(line, cells) => {
                        if let (Some(h), Ok(texts)) = (&header, cells.texts(line, &[])) {
                            let _ = h.account(line, &texts);
                            let _ = h.contact(line, &texts, &s, |_| true);
                            if let Ok(t) = h.team_member(line, &texts, &s, |_| true) {
                                let _ = owners.admit(&t);
                            }
                        }
                    }
                }
                Ok(())
            };
            for chunk in bytes.chunks(7) {
                if records.push(chunk, &mut on).is_err() {
                    return Ok(());
                }
            }
            let _ = records.finish(&mut on);
        }

        #[test]
        fn a_valid_accounts_file_round_trips(rows in proptest::collection::vec(("[A-Za-z0-9]{1,12}", "[A-Za-z][A-Za-z ,\"]{0,19}", 0i64..100_000), 1..20)) {
            use super::super::contacts::{Format, Record, Records};
            let s = settings();
            let mut file = String::from("Id,Name,Employees\n");
            let mut expected = Vec::new();
            for (i, (id, name, employees)) in rows.iter().enumerate() {
                let id = format!("{id}{i}");
                file.push_str(&format!("{id},\"{}\",{employees}\n", name.replace('"', "\"\"")));
                expected.push((id, name.trim().to_string(), *employees));
            }
            let mut header = None;
            let mut got = Vec::new();
            let mut records = Records::new(Format::Csv);
            let mut on = |r: Record<'_>| {
                match r {
                    Record::Header(names) => header = Some(B2bHeader::check(B2bKind::Accounts, &names, &s).unwrap()),
                    Record::Row(line, cells) => {
                        let h = header.as_ref().unwrap();
                        let a = h.account(line, &cells.texts(line, &h.columns).unwrap()).unwrap();
                        let employees = match a.attributes.get("Employees") { Some(AttributeValue::Integer(n)) => *n, other => panic!("{other:?}") };
                        got.push((a.id, a.name, employees));
                    }
                }
                Ok(())
            };
            records.push(file.as_bytes(), &mut on).unwrap();
            records.finish(&mut on).unwrap();
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn attribute_declarations_read_from_json() {
        let defs: Vec<AttributeDef> = serde_json::from_str(r#"[{"name": "Tier", "type": "enum", "values": ["Gold", "Silver"]}, {"name": "Renewal", "type": "date_time"}]"#).unwrap();
        assert_eq!(defs[0].kind, AttributeType::Enum { values: vec!["Gold".into(), "Silver".into()] });
        assert_eq!(defs[1].kind, AttributeType::DateTime);
        assert!(serde_json::from_str::<Vec<AttributeDef>>(r#"[{"name": "X", "type": "colour"}]"#).is_err());
    }

    #[test]
    fn typed_attributes_accept_their_form_and_name_it_otherwise() {
        let s = settings();
        let a = |i: usize| &s.attributes[i];
        assert_eq!(check_value(a(0), " 42 "), Ok(AttributeValue::Integer(42)));
        assert!(check_value(a(0), "4.2").unwrap_err().contains("Integer"));
        assert_eq!(check_value(a(1), "12.5"), Ok(AttributeValue::Decimal(12.5)));
        assert!(check_value(a(1), "1e9").is_err() && check_value(a(1), "NaN").is_err());
        assert_eq!(check_value(a(2), "Gold"), Ok(AttributeValue::Text("Gold".into())));
        assert!(check_value(a(2), "gold").unwrap_err().contains("Gold, Silver"));
        assert_eq!(check_value(a(3), "2026-11-23"), Ok(AttributeValue::Text("2026-11-23T00:00:00Z".into())));
        assert_eq!(check_value(a(3), "2026-11-23T12:00:00+02:00"), Ok(AttributeValue::Text("2026-11-23T10:00:00Z".into())));
        let e = check_value(a(3), "23.11.2026").unwrap_err();
        assert!(e.contains("ISO 8601") && e.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn an_attribute_type_is_locked_once_data_exists() {
        let old = settings().attributes;
        let mut changed = old.clone();
        changed[0].kind = AttributeType::String;
        let e = check_attribute_change(&old, &changed, |n| n == "Employees").unwrap_err();
        assert_eq!((e.was.as_str(), e.now.as_str()), ("Integer", "String"));
        assert!(check_attribute_change(&old, &changed, |_| false).is_ok(), "no data yet: any change");
        let mut fewer = old.clone();
        fewer[2].kind = AttributeType::Enum { values: vec!["Gold".into()] };
        assert!(check_attribute_change(&old, &fewer, |n| n == "Tier").unwrap_err().now.contains("Silver"));
        let mut more = old.clone();
        more[2].kind = AttributeType::Enum { values: vec!["Gold".into(), "Silver".into(), "Bronze".into()] };
        assert!(check_attribute_change(&old, &more, |_| true).is_ok());
        assert!(check_attribute_change(&old, &old[1..], |n| n == "Employees").is_err(), "removing one with data");
    }

    #[test]
    fn titles_map_to_client_roles_and_team_roles_are_recognised() {
        let s = settings();
        assert_eq!(s.client_role(" cfo "), ClientRole::ProcurementFinancePerson);
        assert_eq!(s.client_role("VP Engineering"), ClientRole::DecisionMaker);
        assert_eq!(s.client_role("Executive sponsor"), ClientRole::ExecutiveSponsor);
        assert_eq!(s.client_role("Intern"), ClientRole::AccountMember);
        assert_eq!(s.team_role("ACCOUNT_OWNER"), Ok(TeamRole::AccountOwner));
        assert_eq!(s.team_role("Customer Success Manager"), Ok(TeamRole::CustomerSuccessManager));
        assert_eq!(s.team_role("Sales Engineer"), Ok(TeamRole::SalesEngineer));
        assert!(s.team_role("Wizard").unwrap_err().contains("ACCOUNT_EXECUTIVE"));
    }

    #[test]
    fn headers_follow_the_mapping_and_near_misses_are_named() {
        let s = settings();
        let h = B2bHeader::check(B2bKind::Accounts, &cells(&["Id", "Name", "ParentId", "IsDeleted", "Tier", "Website"]), &s).unwrap();
        assert_eq!(h.warnings.len(), 1);
        assert_eq!(h.warnings[0].column, "Website");
        let e = B2bHeader::check(B2bKind::Contacts, &cells(&["Id", "FirstName", "LastName", "Email", "Account Id"]), &s).unwrap_err();
        assert_eq!((e.column.as_str(), e.found.as_deref()), ("AccountId", Some("Account Id")));
        assert!(e.to_string().contains("close but not exact"));
        let mut mapped = s.clone();
        mapped.contact_columns.account_id = "Account Id".into();
        assert!(B2bHeader::check(B2bKind::Contacts, &cells(&["Id", "FirstName", "LastName", "Email", "Account Id"]), &mapped).is_ok());
    }

    #[test]
    fn rows_are_checked_with_line_column_and_reason() {
        let s = settings();
        let h = B2bHeader::check(B2bKind::Accounts, &cells(&["Id", "Name", "ParentId", "IsDeleted", "Employees", "Renewal"]), &s).unwrap();
        let a = h.account(2, &cells(&["001A", "Acme", "", "false", "250", "2027-01-31"])).unwrap();
        assert_eq!((a.parent_id, a.deleted, a.attributes.len()), (None, false, 2));
        let e = h.account(3, &cells(&["001B", "Beta", "001A", "maybe", "", ""])).unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (3, "IsDeleted"));
        let e = h.account(4, &cells(&["001C", "Gamma", "", "", "many", ""])).unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (4, "Employees"));
        let e = h.account(5, &cells(&["", "Nameless", "", "", "", ""])).unwrap_err();
        assert_eq!(e.column, "Id");

        let h = B2bHeader::check(B2bKind::Contacts, &cells(&["Id", "FirstName", "LastName", "Email", "Title", "AccountId", "IsDeleted"]), &s).unwrap();
        let known = |id: &str| id == "001A";
        let c = h.contact(2, &cells(&["003A", "Ada", "Lovelace", "Ada@Example.com", "CFO", "001A", "false"]), &s, known).unwrap();
        assert_eq!((c.email_key.as_str(), c.role), ("ada@example.com", ClientRole::ProcurementFinancePerson));
        let e = h.contact(3, &cells(&["003B", "Bo", "B", "bo@example.com", "", "001Z", ""]), &s, known).unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (3, "AccountId"));
        assert!(e.reason.contains("001Z"));

        let h = B2bHeader::check(B2bKind::TeamMembers, &cells(&["AccountId", "UserEmail", "TeamMemberRole", "IsDeleted"]), &s).unwrap();
        let e = h.team_member(2, &cells(&["001A", "sam@corp.example", "Wizard", ""]), &s, known).unwrap_err();
        assert_eq!(e.column, "TeamMemberRole");
    }

    #[test]
    fn only_the_first_account_owner_is_kept() {
        let row = |line, account: &str, email: &str, role, deleted| TeamRow { line, account_id: account.into(), user_email: email.into(), role, deleted };
        let mut owners = Owners::new(BTreeMap::from([("001B".to_string(), "old@corp.example".to_string())]));
        assert!(owners.admit(&row(2, "001A", "first@corp.example", TeamRole::AccountOwner, false)).is_ok());
        let e = owners.admit(&row(3, "001A", "second@corp.example", TeamRole::AccountOwner, false)).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.reason.contains("first@corp.example"));
        assert!(owners.admit(&row(4, "001A", "first@corp.example", TeamRole::AccountOwner, false)).is_ok(), "the same owner again");
        assert!(owners.admit(&row(5, "001A", "csm@corp.example", TeamRole::CustomerSuccessManager, false)).is_ok());
        assert!(owners.admit(&row(6, "001B", "new@corp.example", TeamRole::AccountOwner, false)).is_err(), "a stored owner comes first");
        assert!(owners.admit(&row(7, "001B", "old@corp.example", TeamRole::AccountOwner, true)).is_ok());
        assert!(owners.admit(&row(8, "001B", "new@corp.example", TeamRole::AccountOwner, false)).is_ok(), "after the old owner's deletion");
    }

    fn links(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
        pairs.iter().map(|(a, p)| (a.to_string(), p.map(str::to_string))).collect()
    }

    #[test]
    fn unknown_parents_and_cycles_are_reported_not_stored() {
        let (ok, problems) = check_hierarchy(&links(&[("A", None), ("B", Some("A")), ("C", Some("B")), ("D", Some("X")), ("E", Some("F")), ("F", Some("E")), ("G", Some("G"))]));
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
    fn account_counts_come_from_the_segment_counters() {
        let c: super::super::report::Counters = [("n", 4), ("invited", 10), ("nps.10", 2), ("nps.7", 1), ("nps.3", 1), ("csat.5", 3), ("csat.2", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let a = account_counts(&c);
        assert_eq!((a.responses, a.invited, a.csat_answers, a.csat_satisfied), (4, 10, 4, 3));
        assert_eq!(a.nps, NpsCounts { promoters: 2, passives: 1, detractors: 1 });
    }

    #[test]
    fn figures_roll_up_the_hierarchy() {
        let l = links(&[("HQ", None), ("EU", Some("HQ")), ("DE", Some("EU")), ("US", Some("HQ"))]);
        let c = |responses, promoters, detractors| AccountCounts { responses, nps: NpsCounts { promoters, passives: 0, detractors }, ..Default::default() };
        let own = BTreeMap::from([("DE".to_string(), c(3, 2, 1)), ("EU".to_string(), c(1, 1, 0)), ("US".to_string(), c(2, 0, 2))]);
        let up = roll_up(&l, &own);
        assert_eq!(up["DE"].responses, 3);
        assert_eq!(up["EU"].responses, 4);
        assert_eq!(up["HQ"].responses, 6);
        assert_eq!(up["HQ"].nps, NpsCounts { promoters: 3, passives: 0, detractors: 3 });
    }

    #[test]
    fn health_scores_and_the_churn_rule() {
        let c = |p, pa, d, invited, csat_answers, csat_satisfied| AccountCounts {
            responses: p + pa + d,
            invited,
            nps: NpsCounts { promoters: p, passives: pa, detractors: d },
            csat_answers,
            csat_satisfied,
        };
        // NPS 40 → 70; CSAT 80; response rate 50 → 0.5·70 + 0.3·80 + 0.2·50 = 69
        let h = health(&c(6, 2, 2, 20, 10, 8), &AccountCounts::default());
        assert_eq!((h.nps, h.score, h.churn_risk), (Some(40.0), Some(69.0), false));
        // four detractors of ten: at risk
        let h = health(&c(4, 2, 4, 10, 0, 0), &AccountCounts::default());
        assert!(h.churn_risk && h.reasons[0].contains("40 %"), "{h:?}");
        // NPS from 60 to 40 with enough responses both times: at risk
        let h = health(&c(6, 2, 2, 0, 0, 0), &c(7, 2, 1, 0, 0, 0));
        assert_eq!(h.trend, Some(-20.0));
        assert!(h.churn_risk && h.reasons.iter().any(|r| r.contains("fell by 20")));
        // too few responses: no score, no flag
        let h = health(&c(0, 0, 3, 3, 0, 0), &AccountCounts::default());
        assert_eq!((h.score, h.churn_risk), (None, false));
        // nothing at all: nothing is made up
        let h = health(&AccountCounts::default(), &AccountCounts::default());
        assert_eq!((h.nps, h.csat, h.response_rate, h.score), (None, None, None, None));
    }
}
