//! The Salesforce source of the B2B sync: what a project sets (the org's
//! instance URL, the connected app's flow, which Salesforce field feeds
//! which column), the SOQL each run sends, how Salesforce's answers and
//! errors are read, and how records become the rows the CSV imports take.
//! Pure: the HTTP client is `store::salesforce`, the run is
//! `import-contacts`' `sync` module.
//!
//! Salesforce's compound fields (`MailingAddress`, `BillingAddress`, the
//! `Name` of a Contact…) cannot be imported: a mapping naming one is
//! refused with its components to select instead.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::mapping::columns;
use super::B2bKind;
use crate::domain::settings::B2bImportSettings;

/// The REST API version queried unless the settings name another.
pub const DEFAULT_API_VERSION: &str = "v62.0";

/// The Salesforce objects a run reads, in import order.
pub const OBJECTS: [(B2bKind, &str); 3] =
    [(B2bKind::Accounts, "Account"), (B2bKind::Contacts, "Contact"), (B2bKind::TeamMembers, "AccountTeamMember")];

/// The object a kind is read from.
pub fn object(kind: B2bKind) -> &'static str {
    match kind {
        B2bKind::Accounts => "Account",
        B2bKind::Contacts => "Contact",
        B2bKind::TeamMembers => "AccountTeamMember",
    }
}

/// How Pulse signs in to the org (a connected app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flow", rename_all = "snake_case", deny_unknown_fields)]
pub enum Auth {
    /// OAuth 2.0 client credentials: the app's consumer key and secret; the
    /// app runs as its configured "Run As" user.
    ClientCredentials,
    /// OAuth 2.0 JWT bearer: an RS256 assertion signed with the app's
    /// private key, for `username` (pre-authorised for the app).
    JwtBearer { username: String },
}

/// Which Salesforce field feeds each column of the accounts rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountFields {
    pub id: String,
    pub name: String,
    pub parent_id: String,
    pub is_deleted: String,
    /// Declared custom attributes (`settings.b2b_import.attributes`, by
    /// name) and the field each is read from (`Tier__c`).
    pub attributes: BTreeMap<String, String>,
}

impl Default for AccountFields {
    fn default() -> Self {
        AccountFields {
            id: "Id".into(),
            name: "Name".into(),
            parent_id: "ParentId".into(),
            is_deleted: "IsDeleted".into(),
            attributes: BTreeMap::new(),
        }
    }
}

/// Which Salesforce field feeds each column of the contacts rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactFields {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub title: String,
    pub account_id: String,
    pub is_deleted: String,
}

impl Default for ContactFields {
    fn default() -> Self {
        ContactFields {
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

/// Which Salesforce field feeds each column of the team members rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamFields {
    pub account_id: String,
    pub user_email: String,
    pub role: String,
    pub is_deleted: String,
}

impl Default for TeamFields {
    fn default() -> Self {
        TeamFields {
            account_id: "AccountId".into(),
            user_email: "User.Email".into(),
            role: "TeamMemberRole".into(),
            is_deleted: "IsDeleted".into(),
        }
    }
}

/// The field mapping (defaults: Salesforce's standard fields).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fields {
    pub accounts: AccountFields,
    pub contacts: ContactFields,
    pub team: TeamFields,
}

/// A project's Salesforce org. The connected app's secret is not here: it
/// is kept in Secrets Manager (`PUT /admin/projects/{id}/b2b/sync/secret`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesforceSettings {
    /// `https://<my domain>.my.salesforce.com`
    pub instance_url: String,
    pub auth: Auth,
    #[serde(default = "default_version")]
    pub api_version: String,
    #[serde(default)]
    pub fields: Fields,
}

fn default_version() -> String {
    DEFAULT_API_VERSION.to_string()
}

/// A field that cannot be imported, and what to select instead.
fn compound(object: &str, field: &str) -> Option<String> {
    let address = |prefix: &str| format!("{prefix}Street, {prefix}City, {prefix}State, {prefix}PostalCode, {prefix}Country");
    match (object, field) {
        ("Contact", "Name") => Some("FirstName, LastName (and Salutation)".into()),
        (_, "BillingAddress") => Some(address("Billing")),
        (_, "ShippingAddress") => Some(address("Shipping")),
        (_, "MailingAddress") => Some(address("Mailing")),
        (_, "OtherAddress") => Some(address("Other")),
        (_, "Address") => Some(address("")),
        _ => None,
    }
}

/// A field name as SOQL takes it: an API name, or a relationship path
/// (`User.Email`).
fn is_field_name(f: &str) -> bool {
    !f.is_empty()
        && f.len() <= 200
        && f.split('.').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

impl SalesforceSettings {
    /// The fields a kind's rows are read from: (what, Salesforce field), in
    /// the order of [`columns`]; then, for accounts, the attributes.
    pub fn fields_of(&self, kind: B2bKind) -> Vec<(&'static str, &str)> {
        let f = &self.fields;
        match kind {
            B2bKind::Accounts => vec![
                ("id", &f.accounts.id),
                ("name", &f.accounts.name),
                ("parent_id", &f.accounts.parent_id),
                ("is_deleted", &f.accounts.is_deleted),
            ],
            B2bKind::Contacts => vec![
                ("id", &f.contacts.id),
                ("first_name", &f.contacts.first_name),
                ("last_name", &f.contacts.last_name),
                ("email", &f.contacts.email),
                ("title", &f.contacts.title),
                ("account_id", &f.contacts.account_id),
                ("is_deleted", &f.contacts.is_deleted),
            ],
            B2bKind::TeamMembers => vec![
                ("account_id", &f.team.account_id),
                ("user_email", &f.team.user_email),
                ("role", &f.team.role),
                ("is_deleted", &f.team.is_deleted),
            ],
        }
        .into_iter()
        .map(|(w, s)| (w, s.as_str()))
        .collect()
    }

    /// Checks the settings; the error names the field. `loopback_http`:
    /// the local stack's stand-in may be `http://127.0.0.1:<port>` (never
    /// set in a deployed stack: see `SalesforceLoopbackHttp` in the
    /// template).
    pub fn check(&self, imports: &B2bImportSettings, loopback_http: bool) -> Result<(), (String, String)> {
        check_instance_url(&self.instance_url, loopback_http).map_err(|m| ("salesforce.instance_url".to_string(), m))?;
        if let Auth::JwtBearer { username } = &self.auth {
            if username.trim().is_empty() || !username.contains('@') {
                return Err((
                    "salesforce.auth.username".into(),
                    "the JWT bearer flow signs in as a Salesforce user: give the username (name@company.com)".into(),
                ));
            }
        }
        let v = self.api_version.strip_prefix('v').unwrap_or("");
        let ok_version = v
            .split_once('.')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit()));
        if !ok_version {
            return Err((
                "salesforce.api_version".into(),
                format!("{:?} is not an API version such as {DEFAULT_API_VERSION}", self.api_version),
            ));
        }
        for (kind, obj) in OBJECTS {
            let group = match kind {
                B2bKind::Accounts => "accounts",
                B2bKind::Contacts => "contacts",
                B2bKind::TeamMembers => "team",
            };
            for (what, field) in self.fields_of(kind) {
                check_field(obj, field).map_err(|m| (format!("salesforce.fields.{group}.{what}"), m))?;
            }
        }
        for (name, field) in &self.fields.accounts.attributes {
            let at = format!("salesforce.fields.accounts.attributes.{name}");
            if !imports.attributes.iter().any(|a| a.name == *name) {
                return Err((at, format!("{name:?} is not a declared attribute (settings.b2b_import.attributes)")));
            }
            check_field("Account", field).map_err(|m| (at, m))?;
        }
        Ok(())
    }

    /// The SOQL of a kind: every mapped field (each once), of the rows
    /// changed after `since` (a run's watermark: the start of the last
    /// successful run), or all rows on a first run. Deleted rows come too:
    /// the query goes to `queryAll`.
    pub fn soql(&self, kind: B2bKind, since: Option<&str>) -> String {
        let mut wanted: Vec<&str> = vec!["Id"];
        wanted.extend(self.fields_of(kind).into_iter().map(|(_, f)| f));
        if kind == B2bKind::Accounts {
            wanted.extend(self.fields.accounts.attributes.values().map(String::as_str));
        }
        let mut fields: Vec<&str> = Vec::new();
        for f in wanted {
            if !fields.iter().any(|x| x.eq_ignore_ascii_case(f)) {
                fields.push(f);
            }
        }
        let mut q = format!("SELECT {} FROM {}", fields.join(", "), object(kind));
        if let Some(s) = since {
            q.push_str(&format!(" WHERE SystemModstamp > {}", soql_datetime(s)));
        }
        q.push_str(" ORDER BY Id");
        q
    }

    /// The header of the rows a kind's records become: the project's own
    /// column names (`settings.b2b_import`), so the import reads them as it
    /// reads a file; then the mapped attributes.
    pub fn header(&self, kind: B2bKind, imports: &B2bImportSettings) -> Vec<String> {
        let mut h: Vec<String> = columns(kind, imports).into_iter().map(|(_, c, _)| c.to_string()).collect();
        if kind == B2bKind::Accounts {
            h.extend(self.fields.accounts.attributes.keys().cloned());
        }
        h
    }

    /// A record as a row under [`Self::header`]: each field's value (a
    /// relationship path followed: `User.Email`), booleans `true`/`false`,
    /// null or absent empty.
    pub fn row(&self, kind: B2bKind, record: &Value) -> Vec<String> {
        let mut fields: Vec<&str> = self.fields_of(kind).into_iter().map(|(_, f)| f).collect();
        if kind == B2bKind::Accounts {
            fields.extend(self.fields.accounts.attributes.values().map(String::as_str));
        }
        fields.into_iter().map(|f| cell(record, f)).collect()
    }
}

/// Rows as CSV (quoted where needed), header first: the bytes the import
/// reads as it reads an uploaded file.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        // writing to a Vec cannot fail
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// A record's field, followed along a relationship path; field names are
/// matched without case, as Salesforce's are.
pub fn cell(record: &Value, path: &str) -> String {
    let mut v = record;
    for part in path.split('.') {
        let next = v.as_object().and_then(|o| o.get(part).or_else(|| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(part)).map(|(_, v)| v)));
        match next {
            Some(n) => v = n,
            None => return String::new(),
        }
    }
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn check_field(object: &str, field: &str) -> Result<(), String> {
    if !is_field_name(field) {
        return Err(format!("{field:?} is not a Salesforce field name (an API name such as Tier__c, or a path such as User.Email)"));
    }
    if let Some(components) = compound(object, field) {
        return Err(format!("{field} of {object} is a compound field, which cannot be imported; map its components instead: {components}"));
    }
    Ok(())
}

/// An org's URL: https, a host, nothing after it. `loopback_http` lets
/// `http://127.0.0.1:<port>` and `http://localhost:<port>` through (the
/// local stack's stand-in).
pub fn check_instance_url(url: &str, loopback_http: bool) -> Result<(), String> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("{url:?} is not a URL (https://<my domain>.my.salesforce.com)"))?;
    let host_port = rest.trim_end_matches('/');
    if host_port.is_empty() || host_port.contains(['/', '?', '#', '@', ' ']) {
        return Err(format!("{url:?}: give the org's address alone, https://<my domain>.my.salesforce.com"));
    }
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    match scheme {
        "https" => Ok(()),
        "http" if loopback_http && matches!(host, "127.0.0.1" | "localhost") => Ok(()),
        _ => Err(format!("{url:?}: Salesforce is reached over https only")),
    }
}

/// A stored time (RFC 3339) as a SOQL dateTime literal: whole seconds, UTC,
/// unquoted (`2026-06-01T09:00:00Z`). The fraction is dropped, which moves
/// the watermark back by under a second: a row is read again rather than
/// missed.
pub fn soql_datetime(stored: &str) -> String {
    let base = stored.split('.').next().unwrap_or(stored).trim_end_matches('Z');
    format!("{base}Z")
}

/// The connected app's secret, as the admin API takes it and Secrets
/// Manager keeps it (never stored in the table, logged or answered).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesforceSecret {
    /// The consumer key.
    pub client_id: String,
    /// The consumer secret (client credentials flow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// The PEM private key of the app's certificate (JWT bearer flow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
}

impl std::fmt::Debug for SalesforceSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SalesforceSecret(…)")
    }
}

impl SalesforceSecret {
    /// Checks the secret holds what `auth` signs in with.
    pub fn check(&self, auth: Option<&Auth>) -> Result<(), (String, String)> {
        if self.client_id.trim().is_empty() {
            return Err(("client_id".into(), "the connected app's consumer key is required".into()));
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&self.client_secret) && blank(&self.private_key) {
            return Err(("client_secret".into(), "give the consumer secret (client credentials) or the private key (JWT bearer)".into()));
        }
        match auth {
            Some(Auth::ClientCredentials) if blank(&self.client_secret) => {
                Err(("client_secret".into(), "the client credentials flow needs the consumer secret".into()))
            }
            Some(Auth::JwtBearer { .. }) if blank(&self.private_key) => {
                Err(("private_key".into(), "the JWT bearer flow needs the PEM private key of the app's certificate".into()))
            }
            _ => match &self.private_key {
                Some(k) if !k.trim().is_empty() && !k.contains("-----BEGIN") => {
                    Err(("private_key".into(), "the private key is read as PEM (-----BEGIN PRIVATE KEY-----…)".into()))
                }
                _ => Ok(()),
            },
        }
    }
}

/// What a Salesforce answer that is not a success means for the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The session expired or was revoked: a new token, then once more.
    ExpiredSession,
    /// Busy or over the org's API limit: again after a pause, a few times.
    Retry(String),
    /// A mapped field the org does not have.
    NoSuchField { field: String, object: String },
    /// Anything else: the run fails with Salesforce's own words.
    Fail(String),
}

/// Reads a failed REST answer (`[{"message","errorCode"}]`).
pub fn refusal(status: u16, body: &str) -> Refusal {
    let errors: Vec<Value> = serde_json::from_str::<Value>(body)
        .ok()
        .map(|v| match v {
            Value::Array(a) => a,
            o @ Value::Object(_) => vec![o],
            _ => Vec::new(),
        })
        .unwrap_or_default();
    let first = errors.first();
    let code = first.and_then(|e| e["errorCode"].as_str()).unwrap_or_default().to_string();
    let message = first.and_then(|e| e["message"].as_str()).unwrap_or_default().to_string();
    let said = if code.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status} {code}: {message}") };
    match (status, code.as_str()) {
        (401, _) if code == "INVALID_SESSION_ID" || code.is_empty() => Refusal::ExpiredSession,
        (403, "REQUEST_LIMIT_EXCEEDED") | (503, _) | (502, _) | (504, _) | (429, _) => Refusal::Retry(said),
        (400, "INVALID_FIELD") => match no_such_column(&message) {
            Some((field, object)) => Refusal::NoSuchField { field, object },
            None => Refusal::Fail(said),
        },
        _ => Refusal::Fail(said),
    }
}

/// `No such column 'X' on entity 'Contact'` → (X, Contact).
fn no_such_column(message: &str) -> Option<(String, String)> {
    let rest = message.split("No such column '").nth(1)?;
    let (field, rest) = rest.split_once('\'')?;
    let object = rest.split("entity '").nth(1)?.split('\'').next()?;
    Some((field.to_string(), object.to_string()))
}

/// What the token endpoint said when it refused (`{"error",
/// "error_description"}`), in words for the run.
pub fn token_refusal(status: u16, body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let error = v["error"].as_str().unwrap_or_default();
    let description = v["error_description"].as_str().unwrap_or_default();
    if error.is_empty() {
        format!("Salesforce's token endpoint answered HTTP {status}")
    } else {
        format!("Salesforce refused the connected app's credentials (HTTP {status} {error}: {description}); check the consumer key and secret or private key (PUT …/b2b/sync/secret) and the app's OAuth policies")
    }
}

/// What one object's fetch came to, for the run record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fetched {
    pub object: String,
    /// Records received (deleted ones included).
    pub records: u64,
    /// Of them, `IsDeleted` true.
    pub deleted: u64,
    /// Pages followed (`nextRecordsUrl`).
    pub pages: u64,
}

/// The Salesforce part of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesforceRun {
    /// Rows changed after this time were asked for (None: all, a first run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(default)]
    pub objects: Vec<Fetched>,
    /// Tokens fetched (a second one: the session had expired).
    #[serde(default)]
    pub tokens: u64,
    /// Answers tried again (busy, over the limit).
    #[serde(default)]
    pub retries: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings() -> SalesforceSettings {
        serde_json::from_value(json!({ "instance_url": "https://acme.my.salesforce.com", "auth": { "flow": "client_credentials" } }))
            .unwrap()
    }

    fn imports() -> B2bImportSettings {
        serde_json::from_value(json!({ "attributes": [{ "name": "Tier", "type": "string" }] })).unwrap()
    }

    #[test]
    fn soql_selects_each_mapped_field_once_since_the_watermark() {
        let s = settings();
        assert_eq!(s.soql(B2bKind::Accounts, None), "SELECT Id, Name, ParentId, IsDeleted FROM Account ORDER BY Id");
        assert_eq!(
            s.soql(B2bKind::Contacts, Some("2026-06-01T09:00:00.123Z")),
            "SELECT Id, FirstName, LastName, Email, Title, AccountId, IsDeleted FROM Contact WHERE SystemModstamp > 2026-06-01T09:00:00Z ORDER BY Id"
        );
        assert_eq!(
            s.soql(B2bKind::TeamMembers, None),
            "SELECT Id, AccountId, User.Email, TeamMemberRole, IsDeleted FROM AccountTeamMember ORDER BY Id"
        );
        let mut t = settings();
        t.fields.accounts.attributes.insert("Tier".into(), "Tier__c".into());
        assert_eq!(t.soql(B2bKind::Accounts, None), "SELECT Id, Name, ParentId, IsDeleted, Tier__c FROM Account ORDER BY Id");
    }

    #[test]
    fn records_become_the_rows_the_files_hold() {
        let mut s = settings();
        s.fields.accounts.attributes.insert("Tier".into(), "Tier__c".into());
        let i = imports();
        assert_eq!(s.header(B2bKind::Accounts, &i), ["Id", "Name", "ParentId", "IsDeleted", "Tier"]);
        let account = json!({ "attributes": { "type": "Account", "url": "/x" }, "Id": "001A", "Name": "Acme", "ParentId": null, "IsDeleted": false, "Tier__c": "Gold" });
        assert_eq!(s.row(B2bKind::Accounts, &account), ["001A", "Acme", "", "false", "Gold"]);
        let member = json!({ "attributes": { "type": "AccountTeamMember" }, "AccountId": "001A", "User": { "attributes": {}, "Email": "ae@corp.example" }, "TeamMemberRole": "Account Manager", "IsDeleted": true });
        assert_eq!(s.header(B2bKind::TeamMembers, &i), ["AccountId", "UserEmail", "TeamMemberRole", "IsDeleted"]);
        assert_eq!(s.row(B2bKind::TeamMembers, &member), ["001A", "ae@corp.example", "Account Manager", "true"]);
        let no_user = json!({ "AccountId": "001A", "User": null, "TeamMemberRole": "x" });
        assert_eq!(s.row(B2bKind::TeamMembers, &no_user)[1], "");
        // the project's own column names head the rows
        let mut renamed = i.clone();
        renamed.contact_columns.email = "E-Mail".into();
        assert_eq!(s.header(B2bKind::Contacts, &renamed)[3], "E-Mail");
    }

    #[test]
    fn compound_fields_odd_names_and_plain_http_are_refused_by_field() {
        let i = imports();
        assert_eq!(settings().check(&i, false), Ok(()));
        let mut s = settings();
        s.fields.contacts.first_name = "Name".into();
        let (field, message) = s.check(&i, false).unwrap_err();
        assert_eq!(field, "salesforce.fields.contacts.first_name");
        assert!(message.contains("compound") && message.contains("FirstName, LastName"), "{message}");
        let mut s = settings();
        s.fields.accounts.attributes.insert("Tier".into(), "BillingAddress".into());
        let (field, message) = s.check(&i, false).unwrap_err();
        assert_eq!(field, "salesforce.fields.accounts.attributes.Tier");
        assert!(message.contains("BillingCity"), "{message}");
        let mut s = settings();
        s.fields.accounts.attributes.insert("Size".into(), "Size__c".into());
        assert!(s.check(&i, false).unwrap_err().1.contains("not a declared attribute"));
        let mut s = settings();
        s.fields.team.user_email = "User.Email; DROP".into();
        assert_eq!(s.check(&i, false).unwrap_err().0, "salesforce.fields.team.user_email");
        let mut s = settings();
        s.instance_url = "http://127.0.0.1:4000".into();
        assert_eq!(s.check(&i, false).unwrap_err().0, "salesforce.instance_url", "plain http outside the local stack");
        assert_eq!(s.check(&i, true), Ok(()), "the local stack's stand-in");
        s.instance_url = "http://acme.my.salesforce.com".into();
        assert!(s.check(&i, true).is_err(), "plain http to anything but this machine, ever");
        s.instance_url = "https://acme.my.salesforce.com/services".into();
        assert!(s.check(&i, false).is_err());
        let mut s = settings();
        s.auth = Auth::JwtBearer { username: String::new() };
        assert_eq!(s.check(&i, false).unwrap_err().0, "salesforce.auth.username");
        s.api_version = "62".into();
        s.auth = Auth::JwtBearer { username: "int@acme.example".into() };
        assert_eq!(s.check(&i, false).unwrap_err().0, "salesforce.api_version");
    }

    #[test]
    fn salesforce_errors_are_read_by_code() {
        let e = |code: &str, msg: &str| json!([{ "message": msg, "errorCode": code }]).to_string();
        assert_eq!(refusal(401, &e("INVALID_SESSION_ID", "Session expired or invalid")), Refusal::ExpiredSession);
        assert!(matches!(refusal(503, "<html>down</html>"), Refusal::Retry(_)));
        assert!(
            matches!(refusal(403, &e("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")), Refusal::Retry(m) if m.contains("REQUEST_LIMIT_EXCEEDED"))
        );
        let bad = e("INVALID_FIELD", "\nSELECT Id, Tier__c FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Tier__c' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");
        assert_eq!(refusal(400, &bad), Refusal::NoSuchField { field: "Tier__c".into(), object: "Contact".into() });
        assert!(matches!(refusal(400, &e("MALFORMED_QUERY", "unexpected token")), Refusal::Fail(m) if m.contains("MALFORMED_QUERY")));
        let t = token_refusal(400, r#"{"error":"invalid_client","error_description":"invalid client credentials"}"#);
        assert!(t.contains("invalid_client") && t.contains("refused"), "{t}");
    }

    #[test]
    fn secrets_hold_what_their_flow_needs_and_never_print() {
        let s = SalesforceSecret { client_id: "key".into(), client_secret: Some("shh".into()), private_key: None };
        assert_eq!(s.check(Some(&Auth::ClientCredentials)), Ok(()));
        assert_eq!(s.check(Some(&Auth::JwtBearer { username: "u@x".into() })).unwrap_err().0, "private_key");
        assert!(!format!("{s:?}").contains("shh"));
        let bad = SalesforceSecret { client_id: "key".into(), client_secret: None, private_key: Some("not pem".into()) };
        assert_eq!(bad.check(None).unwrap_err().0, "private_key");
    }
}
