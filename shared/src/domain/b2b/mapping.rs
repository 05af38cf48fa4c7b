//! Reading the three B2B files (accounts, contacts, account team members)
//! by the project's column mapping: the header, each row with its line,
//! column and reason, the stored records, and the one-owner rule.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::attributes::{check_value, AttributeValue};
use crate::domain::contacts::{near_miss, Warning};
use crate::domain::settings::{AttributeDef, B2bImportSettings, ClientRole, TeamRole};

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

/// The columns a `kind` file is read by under the mapping `s`: (what, the
/// column's name, required), in the order a sample file lists them.
pub fn columns(kind: B2bKind, s: &B2bImportSettings) -> Vec<(&'static str, &str, bool)> {
    match kind {
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
    }
}

impl B2bHeader {
    /// Checks the header cells of a `kind` file against the mapping.
    /// `IsDeleted` may be absent (nothing is deleted then); declared
    /// attributes may be absent (not set by this file).
    pub fn check(kind: B2bKind, cells: &[String], s: &B2bImportSettings) -> Result<B2bHeader, MissingColumn> {
        let wanted = columns(kind, s);
        // a cell named exactly as some column or attribute is never taken for a near miss of another
        let exact: BTreeSet<&str> = wanted.iter().map(|(_, c, _)| *c).chain(s.attributes.iter().map(|a| a.name.as_str())).collect();
        let mut index = BTreeMap::new();
        for (what, column, required) in wanted {
            match cells.iter().position(|c| c == column) {
                Some(i) => {
                    index.insert(what, i);
                }
                None if required => {
                    return Err(MissingColumn { column: column.to_string(), what, found: near_miss(column, cells).cloned() })
                }
                // an optional column spelt nearly right would be dropped silently (a deleted
                // contact stored active, a hierarchy lost): the file is refused with the suggestion
                None => {
                    if let Some(found) = near_miss(column, cells).filter(|c| !exact.contains(c.as_str())) {
                        return Err(MissingColumn { column: column.to_string(), what, found: Some(found.clone()) });
                    }
                }
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
            .map(|(_, c)| Warning {
                column: c.clone(),
                message: format!("the column {c:?} is not mapped for {} files; its values are not stored", kind.as_str()),
            })
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
    pub fn contact(
        &self,
        line: u64,
        cells: &[String],
        s: &B2bImportSettings,
        known_account: impl Fn(&str) -> bool,
    ) -> Result<B2bContactRow, B2bRowError> {
        let id = self.id(line, cells, "id")?;
        let first_name = self.required(line, cells, "first_name")?;
        let last_name = self.required(line, cells, "last_name")?;
        let raw_email = self.required(line, cells, "email")?;
        let email = crate::domain::mail::parse_email(&raw_email).map_err(|e| B2bRowError {
            line,
            column: self.column("email"),
            reason: e.to_string(),
        })?;
        let account_id = self.id(line, cells, "account_id")?;
        if !known_account(&account_id) {
            return Err(B2bRowError {
                line,
                column: self.column("account_id"),
                reason: format!("no account with the id {account_id:?} (import the accounts file first); the contact is not linked"),
            });
        }
        let title = self.cell(cells, "title").unwrap_or_default().to_string();
        let role = s.client_role(&title);
        let deleted = self.deleted(line, cells)?;
        Ok(B2bContactRow {
            line,
            id,
            first_name,
            last_name,
            email_key: crate::domain::mail::normalise_email(&email),
            email,
            title,
            account_id,
            role,
            deleted,
        })
    }

    /// A team members file's row.
    pub fn team_member(
        &self,
        line: u64,
        cells: &[String],
        s: &B2bImportSettings,
        known_account: impl Fn(&str) -> bool,
    ) -> Result<TeamRow, B2bRowError> {
        let account_id = self.id(line, cells, "account_id")?;
        if !known_account(&account_id) {
            return Err(B2bRowError { line, column: self.column("account_id"), reason: format!("no account with the id {account_id:?}") });
        }
        let raw_email = self.required(line, cells, "user_email")?;
        let user_email = crate::domain::mail::parse_email(&raw_email).map_err(|e| B2bRowError {
            line,
            column: self.column("user_email"),
            reason: e.to_string(),
        })?;
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
            if row.deleted
                && row.role == TeamRole::AccountOwner
                && self.owner.get(&row.account_id).is_some_and(|o| o.eq_ignore_ascii_case(&row.user_email))
            {
                self.owner.remove(&row.account_id);
            }
            return Ok(());
        }
        match self.owner.get(&row.account_id) {
            Some(o) if !o.eq_ignore_ascii_case(&row.user_email) => Err(B2bRowError {
                line: row.line,
                column: "TeamMemberRole".into(),
                reason: format!(
                    "account {:?} already has the ACCOUNT_OWNER {o}; only one owner per account is kept, so this row is skipped",
                    row.account_id
                ),
            }),
            _ => {
                self.owner.insert(row.account_id.clone(), row.user_email.clone());
                Ok(())
            }
        }
    }
}

/// A stored B2B contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct B2bContactRecord {
    pub id: String,
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub title: String,
    pub account_id: String,
    pub role: ClientRole,
    #[serde(default)]
    pub deleted: bool,
    /// The upload that brought the contact first: its import's "new contacts".
    pub first_upload_id: String,
    pub upload_id: String,
    pub updated_at: String,
}

impl B2bContactRecord {
    /// A checked row as stored by the upload `upload_id`, which first
    /// brought the contact in `first_upload_id`.
    pub fn from_row(r: &B2bContactRow, first_upload_id: &str, upload_id: &str, now: &str) -> Self {
        B2bContactRecord {
            id: r.id.clone(),
            email: r.email.clone(),
            email_key: r.email_key.clone(),
            first_name: r.first_name.clone(),
            last_name: r.last_name.clone(),
            title: r.title.clone(),
            account_id: r.account_id.clone(),
            role: r.role,
            deleted: r.deleted,
            first_upload_id: first_upload_id.to_string(),
            upload_id: upload_id.to_string(),
            updated_at: now.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{cells, settings};
    use super::*;

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic_any_b2b_reader(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), kind in 0..3u8) {
            use crate::domain::contacts::{Record, Records};
            let s = settings();
            let kind = [B2bKind::Accounts, B2bKind::Contacts, B2bKind::TeamMembers][kind as usize];
            let mut records = Records::new("accounts.csv", &[]);
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
            use crate::domain::contacts::{Record, Records};
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
            let mut records = Records::new("accounts.csv", &[]);
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
        // optional columns spelt nearly right are refused too, with the suggestion
        let e = B2bHeader::check(B2bKind::Contacts, &cells(&["Id", "FirstName", "LastName", "Email", "AccountId", "Is Deleted"]), &s)
            .unwrap_err();
        assert_eq!((e.column.as_str(), e.found.as_deref()), ("IsDeleted", Some("Is Deleted")));
        let e = B2bHeader::check(B2bKind::Accounts, &cells(&["Id", "Name", "Parent Id"]), &s).unwrap_err();
        assert_eq!((e.column.as_str(), e.found.as_deref()), ("ParentId", Some("Parent Id")));
        assert!(B2bHeader::check(B2bKind::Accounts, &cells(&["Id", "Name"]), &s).is_ok(), "absent optional columns are fine");
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

        let h =
            B2bHeader::check(B2bKind::Contacts, &cells(&["Id", "FirstName", "LastName", "Email", "Title", "AccountId", "IsDeleted"]), &s)
                .unwrap();
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
        let row = |line, account: &str, email: &str, role, deleted| TeamRow {
            line,
            account_id: account.into(),
            user_email: email.into(),
            role,
            deleted,
        };
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
}
