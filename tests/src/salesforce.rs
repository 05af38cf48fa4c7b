//! A local stand-in for a Salesforce org, started by a test: the OAuth 2.0
//! token endpoint and the REST API's `query`/`queryAll` with
//! `nextRecordsUrl` paging, answering with Salesforce's documented shapes
//! (token `{access_token, instance_url, token_type, issued_at, signature}`,
//! query `{totalSize, done, nextRecordsUrl?, records: [{attributes: {type,
//! url}, …}]}`, errors `[{message, errorCode}]`). A test scripts it through
//! [`Org`]: the records of each object (with `SystemModstamp` and
//! `IsDeleted`), the page size, sessions that expire, answers that are
//! 503, fields the org lacks; and reads back what it was asked.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// What the org holds and how it behaves; what it was asked.
#[derive(Debug, Default)]
pub struct Org {
    /// Records by object (`Account`, `Contact`, `AccountTeamMember`), each
    /// with every field (relationships nested: `{"User": {"Email": …}}`).
    pub records: BTreeMap<String, Vec<Value>>,
    /// Records per page (Salesforce: 2000 by default).
    pub page_size: usize,
    /// The connected app's consumer key and secret.
    pub client_id: String,
    pub client_secret: String,
    /// The next N queries find their session expired (401 INVALID_SESSION_ID).
    pub expire_sessions: u32,
    /// The next N query requests answer 503.
    pub unavailable: u32,
    /// The next N query requests find the org's API limit exceeded (403
    /// REQUEST_LIMIT_EXCEEDED).
    pub limited: u32,
    /// Fields the org does not have, by object.
    pub missing: Vec<(String, String)>,
    /// Tokens issued, and the one that is valid now.
    pub tokens_issued: u32,
    pub token: Option<String>,
    /// The JWT bearer assertions received.
    pub assertions: Vec<String>,
    /// Every SOQL query received (first pages only).
    pub queries: Vec<String>,
    /// Answers given with status 503.
    pub unavailable_answers: u32,
    /// Result sets being paged, by locator.
    cursors: BTreeMap<String, Vec<Value>>,
}

/// A running stand-in; dropping it stops the server.
pub struct StandIn {
    pub url: String,
    pub org: Arc<Mutex<Org>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A Salesforce timestamp (`2026-06-01T09:00:00.000+0000`).
pub fn stamp(iso: &str) -> String {
    format!("{}.000+0000", &iso[..19])
}

impl StandIn {
    /// Starts the stand-in on a free port of 127.0.0.1 with the consumer
    /// key and secret it accepts.
    pub async fn start(client_id: &str, client_secret: &str) -> StandIn {
        let org = Arc::new(Mutex::new(Org {
            page_size: 2000,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            ..Org::default()
        }));
        let app = Router::new()
            .route("/services/oauth2/token", post(token))
            .route("/services/data/{version}/query", get(query))
            .route("/services/data/{version}/queryAll", get(query_all))
            .route("/services/data/{version}/query/{locator}", get(next_page))
            .with_state(org.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        StandIn { url, org, task }
    }

    /// Changes the org.
    pub fn with<R>(&self, f: impl FnOnce(&mut Org) -> R) -> R {
        f(&mut self.org.lock().unwrap())
    }

    /// Puts a record of `object` (replacing the one with its `Id`).
    pub fn put(&self, object: &str, record: Value) {
        self.with(|o| {
            let list = o.records.entry(object.to_string()).or_default();
            list.retain(|r| r["Id"] != record["Id"]);
            list.push(record);
        })
    }
}

type Shared = State<Arc<Mutex<Org>>>;

fn errors(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!([{ "message": message, "errorCode": code }]))).into_response()
}

async fn token(State(org): Shared, body: String) -> Response {
    let form: BTreeMap<String, String> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    let mut o = org.lock().unwrap();
    if let Some(a) = form.get("assertion") {
        o.assertions.push(a.clone());
    }
    let ok = match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => form.get("client_id") == Some(&o.client_id) && form.get("client_secret") == Some(&o.client_secret),
        // the assertion's signature is checked by the test (`assertions`); here its shape
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => form.get("assertion").is_some_and(|a| a.split('.').count() == 3),
        _ => false,
    };
    if !ok {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_client", "error_description": "invalid client credentials" })))
            .into_response();
    }
    o.tokens_issued += 1;
    let token = format!("00DSTANDIN!{}", o.tokens_issued);
    o.token = Some(token.clone());
    Json(json!({
        "access_token": token, "instance_url": "https://standin.my.salesforce.com", "id": "https://login.salesforce.com/id/00D/005",
        "token_type": "Bearer", "issued_at": "1780304400000", "signature": "c3RhbmQtaW4="
    }))
    .into_response()
}

/// The checks every REST request passes first: the session, then the org's
/// availability; `Some`: the answer that refuses it.
fn refuse(o: &mut Org, headers: &HeaderMap) -> Option<Response> {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if bearer.is_none() || bearer != o.token.as_deref() {
        return Some(errors(StatusCode::UNAUTHORIZED, "INVALID_SESSION_ID", "Session expired or invalid"));
    }
    if o.expire_sessions > 0 {
        o.expire_sessions -= 1;
        o.token = None;
        return Some(errors(StatusCode::UNAUTHORIZED, "INVALID_SESSION_ID", "Session expired or invalid"));
    }
    if o.limited > 0 {
        o.limited -= 1;
        return Some(errors(StatusCode::FORBIDDEN, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
    }
    if o.unavailable > 0 {
        o.unavailable -= 1;
        o.unavailable_answers += 1;
        return Some(errors(StatusCode::SERVICE_UNAVAILABLE, "SERVER_UNAVAILABLE", "Server is temporarily unavailable"));
    }
    None
}

async fn query(State(org): Shared, headers: HeaderMap, Path(version): Path<String>, Query(q): Query<BTreeMap<String, String>>) -> Response {
    run_query(&org, &headers, &version, q.get("q").cloned().unwrap_or_default(), false)
}

async fn query_all(
    State(org): Shared,
    headers: HeaderMap,
    Path(version): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    run_query(&org, &headers, &version, q.get("q").cloned().unwrap_or_default(), true)
}

/// `SELECT a, b.c FROM Object [WHERE SystemModstamp > <dateTime>] [ORDER BY Id]`,
/// the only shape the sync sends.
fn run_query(org: &Arc<Mutex<Org>>, headers: &HeaderMap, version: &str, soql: String, all: bool) -> Response {
    let mut o = org.lock().unwrap();
    if let Some(r) = refuse(&mut o, headers) {
        return r;
    }
    o.queries.push(soql.clone());
    let Some((select, rest)) = soql.strip_prefix("SELECT ").and_then(|s| s.split_once(" FROM ")) else {
        return errors(StatusCode::BAD_REQUEST, "MALFORMED_QUERY", "unexpected token");
    };
    let fields: Vec<&str> = select.split(',').map(str::trim).collect();
    let object = rest.split_whitespace().next().unwrap_or_default().to_string();
    for f in &fields {
        if o.missing.iter().any(|(obj, field)| *obj == object && field.eq_ignore_ascii_case(f)) {
            let message = format!("\n{soql}\n ^\nERROR at Row:1:Column:8\nNo such column '{f}' on entity '{object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
            return errors(StatusCode::BAD_REQUEST, "INVALID_FIELD", &message);
        }
    }
    let since = rest.split("SystemModstamp > ").nth(1).map(|s| s.split_whitespace().next().unwrap_or_default()[..19].to_string());
    let mut rows: Vec<Value> = o
        .records
        .get(&object)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| all || r["IsDeleted"] != true)
        .filter(|r| since.as_ref().is_none_or(|s| r["SystemModstamp"].as_str().unwrap_or_default()[..19] > **s))
        .collect();
    rows.sort_by(|a, b| a["Id"].as_str().cmp(&b["Id"].as_str()));
    let projected: Vec<Value> = rows.iter().map(|r| project(r, &object, version, &fields)).collect();
    page(&mut o, version, projected, 0)
}

/// A record as a query returns it: `attributes`, then the selected fields
/// (relationships nested, with their own `attributes`).
fn project(record: &Value, object: &str, version: &str, fields: &[&str]) -> Value {
    let id = record["Id"].as_str().unwrap_or_default();
    let mut out = json!({ "attributes": { "type": object, "url": format!("/services/data/{version}/sobjects/{object}/{id}") } });
    for f in fields {
        let parts: Vec<&str> = f.split('.').collect();
        match parts[..] {
            [one] => out[one] = record.get(one).cloned().unwrap_or(Value::Null),
            [rel, field] => {
                let related = &record[rel];
                if related.is_null() {
                    out[rel] = Value::Null;
                } else {
                    if out[rel].is_null() {
                        out[rel] =
                            json!({ "attributes": { "type": "User", "url": format!("/services/data/{version}/sobjects/User/005") } });
                    }
                    out[rel][field] = related.get(field).cloned().unwrap_or(Value::Null);
                }
            }
            _ => {}
        }
    }
    out
}

fn page(o: &mut Org, version: &str, rows: Vec<Value>, from: usize) -> Response {
    let size = o.page_size.max(1);
    let end = (from + size).min(rows.len());
    let mut body = json!({ "totalSize": rows.len(), "done": end >= rows.len(), "records": rows[from.min(rows.len())..end] });
    if end < rows.len() {
        let locator = format!("01gSTANDIN{:04}-{end}", o.cursors.len());
        body["nextRecordsUrl"] = json!(format!("/services/data/{version}/query/{locator}"));
        o.cursors.insert(locator, rows);
    }
    Json(body).into_response()
}

async fn next_page(State(org): Shared, headers: HeaderMap, Path((version, locator)): Path<(String, String)>) -> Response {
    let mut o = org.lock().unwrap();
    if let Some(r) = refuse(&mut o, &headers) {
        return r;
    }
    let from: usize = locator.rsplit('-').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let Some(rows) = o.cursors.get(&locator).cloned() else {
        return errors(StatusCode::BAD_REQUEST, "INVALID_QUERY_LOCATOR", "invalid query locator");
    };
    page(&mut o, &version, rows, from)
}
