//! The local stand-in for API Gateway (HTTP API, payload format 2.0): the
//! template's routes on 127.0.0.1, each request turned into the same event
//! JSON API Gateway sends and handed to the function; its response turned
//! back into HTTP. IAM-authorized routes ask for the local API key instead
//! of a SigV4 signature. Also serves the local pages under `/_local/`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use maud::html;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::lambda::{now_ms, Functions};
use crate::template::ACCOUNT_ID;

/// A route of the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub method: String,
    pub path: String,
    pub function: String,
    pub iam_auth: bool,
    pub timeout: Duration,
}

/// A schedule that can be fired by hand.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    pub function: String,
    pub rule: String,
    pub expression: String,
    pub timeout: Duration,
}

/// What the gateway serves.
pub struct Gateway {
    /// What `GET /_local/stack` answers: the emulator, the sender, the
    /// dead-letter and failure queues, the schedules (for `pulse doctor`).
    pub description: Value,
    pub routes: Vec<Route>,
    pub schedules: Vec<Schedule>,
    /// SNS topics with a function subscribed; `POST /_local/sns/<name>`
    /// publishes to one (SES feedback has no other source locally).
    pub topics: Vec<Topic>,
    pub functions: Functions,
    pub api_key: String,
    pub emulator_url: String,
    /// The stack's own base URL (the local pages use the admin API through it).
    pub base_url: String,
    /// The clock every function of this stack reads.
    pub clock: pulse_shared::clock::Clock,
}

/// A topic a function is subscribed to (`<Function>.<Event>`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Topic {
    pub name: String,
    pub function: String,
    pub topic_arn: String,
    #[serde(skip)]
    pub timeout: std::time::Duration,
}

/// The header the local stack reads the API key from.
pub const API_KEY_HEADER: &str = "x-api-key";

/// API Gateway's own limit on a request payload.
const MAX_PAYLOAD: usize = 10 * 1024 * 1024;

/// The router of the local stack.
pub fn router(gateway: Arc<Gateway>) -> Router {
    Router::new()
        .route("/_local", get(index))
        .route("/_local/", get(index))
        .route("/_local/outbox", get(outbox_page))
        .route("/_local/outbox.json", get(outbox_json))
        .route("/_local/invocations", get(invocations))
        .route("/_local/routes", get(routes))
        .route("/_local/stack", get(stack))
        .route("/_local/schedules/{name}", post(fire_schedule))
        .route("/_local/demo", post(demo))
        .route("/_local/clock", get(clock).post(advance_clock))
        .route("/_local/sns/{name}", post(publish))
        .route("/_local/projects/{id}/report", get(latest_report).post(new_report))
        .fallback(api)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_PAYLOAD))
        .with_state(gateway)
}

/// Matches a path against a route template (`{name}`, `{name+}`); returns
/// the path parameters and a specificity score (literal segments first).
pub fn match_path(template: &str, path: &str) -> Option<((usize, usize), BTreeMap<String, String>)> {
    let t: Vec<&str> = template.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let mut params = BTreeMap::new();
    let (mut literal, mut single) = (0, 0);
    for (i, seg) in t.iter().enumerate() {
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
            if i != t.len() - 1 || p.len() <= i {
                return None;
            }
            params.insert(name.to_string(), decode(&p[i..].join("/")));
            return Some(((literal, single), params));
        }
        let actual = p.get(i)?;
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            params.insert(name.to_string(), decode(actual));
            single += 1;
        } else if seg == actual {
            literal += 1;
        } else {
            return None;
        }
    }
    (t.len() == p.len()).then_some(((literal, single), params))
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn find_route<'a>(routes: &'a [Route], method: &str, path: &str) -> Option<(&'a Route, BTreeMap<String, String>)> {
    routes
        .iter()
        .filter(|r| r.method == method || r.method == "ANY")
        .filter_map(|r| match_path(&r.path, path).map(|(score, params)| ((score, r.method != "ANY"), r, params)))
        .max_by_key(|(score, _, _)| *score)
        .map(|(_, r, p)| (r, p))
}

fn json_error(status: StatusCode, error: &str, message: &str, request_id: &str) -> Response {
    (status, Json(json!({ "error": error, "message": message, "request_id": request_id }))).into_response()
}

/// Builds the API Gateway v2 event for a request.
pub fn http_event(
    route: &Route,
    params: &BTreeMap<String, String>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> Value {
    let mut header_map: BTreeMap<String, String> = BTreeMap::new();
    let mut cookies = Vec::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if name == axum::http::header::COOKIE {
            cookies.extend(value.split(';').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()));
            continue;
        }
        header_map
            .entry(name.as_str().to_string())
            .and_modify(|v| {
                v.push(',');
                v.push_str(&value)
            })
            .or_insert(value);
    }
    let query = uri.query().unwrap_or("");
    let mut query_params: BTreeMap<String, String> = BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(&k.replace('+', " ")), decode(&v.replace('+', " ")));
        query_params
            .entry(k)
            .and_modify(|e| {
                e.push(',');
                e.push_str(&v)
            })
            .or_insert(v);
    }
    let route_key = format!("{} {}", route.method, route.path);
    let (body, is_base64) = match std::str::from_utf8(body) {
        _ if body.is_empty() => (Value::Null, false),
        Ok(text) => (Value::String(text.to_string()), false),
        Err(_) => (Value::String(base64::engine::general_purpose::STANDARD.encode(body)), true),
    };
    let now = now_ms();
    let host = header_map.get("host").cloned().unwrap_or_else(|| "127.0.0.1".into());
    let mut context = json!({
        "accountId": ACCOUNT_ID,
        "apiId": "local",
        "domainName": host,
        "domainPrefix": "local",
        "http": {
            "method": method.as_str(),
            "path": uri.path(),
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": header_map.get("user-agent").cloned().unwrap_or_default(),
        },
        "requestId": request_id,
        "routeKey": route_key,
        "stage": "$default",
        "time": now.to_string(),
        "timeEpoch": now as u64,
    });
    if route.iam_auth {
        context["authorizer"] = json!({ "iam": {
            "accessKey": "LOCAL", "accountId": ACCOUNT_ID, "callerId": "local-operator",
            "principalOrgId": null, "userArn": format!("arn:aws:iam::{ACCOUNT_ID}:user/local-operator"), "userId": "local-operator"
        }});
    }
    let mut event = json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": uri.path(),
        "rawQueryString": query,
        "headers": header_map,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": is_base64,
    });
    if !cookies.is_empty() {
        event["cookies"] = json!(cookies);
    }
    if !query_params.is_empty() {
        event["queryStringParameters"] = json!(query_params);
    }
    if !params.is_empty() {
        event["pathParameters"] = json!(params);
    }
    event
}

/// Turns a function's API Gateway v2 response into HTTP.
pub fn http_response(value: &Value, request_id: &str) -> Response {
    let status = value["statusCode"].as_u64().and_then(|s| StatusCode::from_u16(s as u16).ok()).unwrap_or(StatusCode::OK);
    let body = match value["body"].as_str() {
        None => Vec::new(),
        Some(b) if value["isBase64Encoded"].as_bool() == Some(true) => {
            base64::engine::general_purpose::STANDARD.decode(b).unwrap_or_default()
        }
        Some(b) => b.as_bytes().to_vec(),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    for (name, v) in value["headers"].as_object().into_iter().flatten() {
        if let (Ok(n), Some(Ok(v))) = (name.parse::<axum::http::HeaderName>(), v.as_str().map(HeaderValue::from_str)) {
            headers.insert(n, v);
        }
    }
    for (name, values) in value["multiValueHeaders"].as_object().into_iter().flatten() {
        for v in values.as_array().into_iter().flatten().filter_map(Value::as_str) {
            if let (Ok(n), Ok(v)) = (name.parse::<axum::http::HeaderName>(), HeaderValue::from_str(v)) {
                headers.append(n, v);
            }
        }
    }
    for c in value["cookies"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if let Ok(v) = HeaderValue::from_str(c) {
            headers.append(axum::http::header::SET_COOKIE, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("apigw-requestid", v);
    }
    response
}

async fn api(State(gw): State<Arc<Gateway>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let Some((route, params)) = find_route(&gw.routes, method.as_str(), uri.path()) else {
        return json_error(StatusCode::NOT_FOUND, "not_found", &format!("no route {} {}", method, uri.path()), &request_id);
    };
    if route.iam_auth {
        let given = headers.get(API_KEY_HEADER).and_then(|v| v.to_str().ok());
        if given != Some(gw.api_key.as_str()) {
            return json_error(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "admin routes need the local API key in the x-api-key header (the local stand-in for IAM authorization)",
                &request_id,
            );
        }
    }
    let event = http_event(route, &params, &method, &uri, &headers, &body, &request_id);
    match gw.functions.invoke(&route.function, &request_id, event, route.timeout).await {
        Ok(value) => http_response(&value, &request_id),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal Server Error", &request_id),
    }
}

#[derive(Deserialize)]
struct InvocationQuery {
    function: Option<String>,
}

async fn invocations(State(gw): State<Arc<Gateway>>, Query(q): Query<InvocationQuery>) -> Response {
    Json(gw.functions.invocations(q.function.as_deref())).into_response()
}

async fn routes(State(gw): State<Arc<Gateway>>) -> Response {
    let list: Vec<Value> =
        gw.routes.iter().map(|r| json!({ "method": r.method, "path": r.path, "function": r.function, "iam_auth": r.iam_auth })).collect();
    let schedules: Vec<Value> =
        gw.schedules.iter().map(|s| json!({ "name": s.name, "function": s.function, "expression": s.expression })).collect();
    Json(json!({ "routes": list, "schedules": schedules })).into_response()
}

async fn stack(State(gw): State<Arc<Gateway>>) -> Response {
    Json(gw.description.clone()).into_response()
}

async fn fire_schedule(State(gw): State<Arc<Gateway>>, Path(name): Path<String>) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let Some(s) = gw.schedules.iter().find(|s| s.name == name) else {
        let known: Vec<&str> = gw.schedules.iter().map(|s| s.name.as_str()).collect();
        return json_error(StatusCode::NOT_FOUND, "not_found", &format!("no schedule {name}; known: {}", known.join(", ")), &request_id);
    };
    let event = crate::pumps::scheduled_event(&s.rule);
    match gw.functions.invoke(&s.function, &request_id, event, s.timeout).await {
        Ok(result) => Json(json!({ "function": s.function, "request_id": request_id, "result": result })).into_response(),
        Err(e) => json_error(StatusCode::BAD_GATEWAY, "invocation_failed", &e, &request_id),
    }
}

/// Publishes the request body as one SNS message to the topic's function,
/// in the SNS event Lambda receives.
async fn publish(State(gw): State<Arc<Gateway>>, Path(name): Path<String>, body: Bytes) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let Some(topic) = gw.topics.iter().find(|t| t.name == name) else {
        let known: Vec<&str> = gw.topics.iter().map(|t| t.name.as_str()).collect();
        return json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("no topic subscription {name}; known: {}", known.join(", ")),
            &request_id,
        );
    };
    let event = json!({ "Records": [{
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": format!("{}:{}", topic.topic_arn, uuid::Uuid::new_v4()),
        "Sns": {
            "Type": "Notification",
            "MessageId": uuid::Uuid::new_v4().to_string(),
            "TopicArn": topic.topic_arn,
            "Subject": null,
            "Message": String::from_utf8_lossy(&body),
            "Timestamp": pulse_shared::clock::now(),
            "SignatureVersion": "1",
            "Signature": "local",
            "SigningCertUrl": "",
            "UnsubscribeUrl": "",
            "MessageAttributes": {}
        }
    }]});
    match gw.functions.invoke(&topic.function, &request_id, event, topic.timeout).await {
        Ok(result) => Json(json!({ "function": topic.function, "request_id": request_id, "result": result })).into_response(),
        Err(e) => json_error(StatusCode::BAD_GATEWAY, "invocation_failed", &e, &request_id),
    }
}

/// The stack's clock.
async fn clock(State(gw): State<Arc<Gateway>>) -> Response {
    Json(json!({ "now": gw.clock.now(), "now_ms": gw.clock.now_ms() })).into_response()
}

/// Moves the stack's clock forward: `{"seconds": 259200}`.
async fn advance_clock(State(gw): State<Arc<Gateway>>, Json(body): Json<Value>) -> Response {
    match body["seconds"].as_u64() {
        Some(secs) => {
            gw.clock.advance(std::time::Duration::from_secs(secs));
            tracing::info!(seconds = secs, now = %gw.clock.now(), "local clock moved forward");
            Json(json!({ "now": gw.clock.now(), "now_ms": gw.clock.now_ms() })).into_response()
        }
        None => {
            json_error(StatusCode::BAD_REQUEST, "bad_request", "expected {\"seconds\": <whole number of seconds to move forward>}", "local")
        }
    }
}

async fn outbox_json(State(gw): State<Arc<Gateway>>) -> Response {
    match crate::outbox::fetch(&gw.emulator_url).await {
        Ok(mails) => Json(mails).into_response(),
        Err(e) => json_error(StatusCode::BAD_GATEWAY, "emulator", &e, "local"),
    }
}

async fn outbox_page(State(gw): State<Arc<Gateway>>) -> Response {
    match crate::outbox::fetch(&gw.emulator_url).await {
        Ok(mails) => Html(crate::outbox::page(&mails)).into_response(),
        Err(e) => json_error(StatusCode::BAD_GATEWAY, "emulator", &e, "local"),
    }
}

/// Calls the stack's own admin API, as an operator would.
async fn admin(gw: &Gateway, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", gw.base_url)).header(API_KEY_HEADER, &gw.api_key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.map_err(|e| e.to_string())?;
    let status = r.status();
    let v: Value = r.json().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{path}: {status} {v}"));
    }
    Ok(v)
}

/// Creates a demo project (assessment, English and German, follow-ups on),
/// publishes it and mints a personal link, so a newcomer has a survey to open.
async fn demo(State(gw): State<Arc<Gateway>>) -> Response {
    let made = async {
        // the demo's account is on the free Starter plan: its budget shows on the index page
        let account =
            admin(&gw, reqwest::Method::POST, "/admin/accounts", Some(json!({ "name": "Café Aroma", "time_zone": "Europe/Berlin" })))
                .await?;
        let p = admin(
            &gw,
            reqwest::Method::POST,
            "/admin/projects",
            Some(json!({
                "kind": "assessment",
                "settings": {
                    "organisation_name": "Café Aroma (demo)",
                    "business_type": "B2C",
                    "operational_fields": ["Region"],
                    "b2c": { "measure_in_person": true, "locations": ["Berlin", "Hamburg", "München", "Köln"] },
                    "demographics": [{ "label": { "en": "Age group", "de": "Altersgruppe" }, "options": ["18–34", "35–54", "55+"] }],
                    "resource_page_url": "https://example.com/help",
                    "follow_ups": { "enabled": true, "recipients": ["cx-team@example.com"] },
                    "notifications": { "rule": { "mode": "every", "n": 5 }, "recipients": ["cx-team@example.com"] },
                    "languages": ["en", "de"],
                    "account_id": account["id"]
                }
            })),
        )
        .await?;
        let id = p["id"].as_str().unwrap_or_default().to_string();
        admin(&gw, reqwest::Method::POST, &format!("/admin/projects/{id}/publish"), None).await?;
        admin(
            &gw,
            reqwest::Method::POST,
            &format!("/admin/projects/{id}/links"),
            Some(json!({
                "email": "anna.virtanen@example.com", "first_name": "Anna", "last_name": "Virtanen",
                "fields": { "Region": "Nord" }, "language": "de"
            })),
        )
        .await
    }
    .await;
    match made {
        Ok(link) => (
            StatusCode::SEE_OTHER,
            [(axum::http::header::LOCATION, format!("/_local?personal={}", link["url"].as_str().unwrap_or_default()))],
        )
            .into_response(),
        Err(e) => json_error(StatusCode::BAD_GATEWAY, "demo", &e, "local"),
    }
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, location.to_string())]).into_response()
}

/// Opens a project's newest finished report (its HTML in the emulator's S3).
async fn latest_report(State(gw): State<Arc<Gateway>>, Path(id): Path<String>) -> Response {
    match admin(&gw, reqwest::Method::GET, &format!("/admin/projects/{id}/reports"), None).await {
        Ok(list) => {
            let done = list["reports"].as_array().into_iter().flatten().find_map(|r| r["links"]["html"].as_str().map(str::to_string));
            match done {
                Some(url) => see_other(&url),
                None => Html(no_report_page(&id)).into_response(),
            }
        }
        Err(e) => json_error(StatusCode::NOT_FOUND, "not_found", &e, "local"),
    }
}

/// The page of a project without a finished report; its button asks for one.
fn no_report_page(id: &str) -> String {
    let body = html! {
        h1 { "No report yet" }
        p { "Project " (id) " has no finished report." }
        form method="post" { button { "Make a report now" } }
    };
    pulse_shared::render::document("en", "No report yet", body)
}

/// Asks for a report of the last 28 days, waits for `generate-report` to
/// finish it (at most a minute) and opens it.
async fn new_report(State(gw): State<Arc<Gateway>>, Path(id): Path<String>) -> Response {
    let created = match admin(&gw, reqwest::Method::POST, &format!("/admin/projects/{id}/reports"), Some(json!({}))).await {
        Ok(v) => v,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, "bad_request", &e, "local"),
    };
    let report = created["id"].as_str().unwrap_or_default().to_string();
    for _ in 0..240 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        if let Ok(r) = admin(&gw, reqwest::Method::GET, &format!("/admin/projects/{id}/reports/{report}"), None).await {
            if let Some(url) = r["links"]["html"].as_str() {
                return see_other(url);
            }
            if r["state"] == "failed" {
                return json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "report_failed",
                    r["error"].as_str().unwrap_or("the report failed"),
                    "local",
                );
            }
        }
    }
    json_error(
        StatusCode::GATEWAY_TIMEOUT,
        "timeout",
        &format!("report {report} is not finished yet; see /_local/projects/{id}/report later"),
        "local",
    )
}

#[derive(Deserialize)]
struct IndexQuery {
    personal: Option<String>,
}

/// A project on the home page.
#[derive(Debug, Clone, PartialEq)]
struct ProjectRow {
    id: String,
    name: String,
    kind: String,
    /// The published version and the anonymous link (none: a draft).
    published: Option<(u64, String)>,
}

/// An account's budget view on the home page (the figures as the admin API
/// answers them).
#[derive(Debug, Clone, PartialEq)]
struct AccountRow {
    name: String,
    plan: String,
    month: String,
    time_zone: String,
    used: String,
    budget: String,
    remaining: String,
    refused: String,
    /// The last sync and the last accepted record: (when, of which kind).
    last_sync: (Option<String>, Option<String>),
    last_accepted: (Option<String>, Option<String>),
}

async fn index(State(gw): State<Arc<Gateway>>, Query(q): Query<IndexQuery>) -> Html<String> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut projects = Vec::new();
    if let Ok(list) = admin(&gw, reqwest::Method::GET, "/admin/projects", None).await {
        for summary in list["projects"].as_array().into_iter().flatten() {
            let id = summary["id"].as_str().unwrap_or_default();
            if let Ok(p) = admin(&gw, reqwest::Method::GET, &format!("/admin/projects/{id}"), None).await {
                projects.push(ProjectRow {
                    id: id.to_string(),
                    name: text(&p["settings"]["organisation_name"]),
                    kind: text(&p["kind"]),
                    published: p["published_version"].as_u64().map(|v| (v, text(&p["anonymous_link"]))),
                });
            }
        }
    }
    // the budget view of every account (part 7)
    let mut accounts = Vec::new();
    if let Ok(list) = admin(&gw, reqwest::Method::GET, "/admin/accounts", None).await {
        for summary in list["accounts"].as_array().into_iter().flatten() {
            let id = summary["id"].as_str().unwrap_or_default();
            if let Ok(b) = admin(&gw, reqwest::Method::GET, &format!("/admin/accounts/{id}/budget"), None).await {
                let optional = |v: &Value| v.as_str().map(str::to_string);
                accounts.push(AccountRow {
                    name: text(&summary["name"]),
                    plan: text(&b["plan"]),
                    month: text(&b["month"]),
                    time_zone: text(&b["time_zone"]),
                    used: b["used"].to_string(),
                    budget: b["monthly_budget"].to_string(),
                    remaining: b["remaining"].to_string(),
                    refused: b["refused"].to_string(),
                    last_sync: (optional(&b["last_sync_at"]), optional(&b["last_sync_kind"])),
                    last_accepted: (optional(&b["last_accepted_at"]), optional(&b["last_accepted_kind"])),
                });
            }
        }
    }
    Html(index_page(&projects, &accounts, q.personal.as_deref(), &gw.routes, &gw.schedules))
}

/// The local stack's home page: projects, accounts, the demo button, routes
/// and schedules (maud escapes every value).
fn index_page(
    projects: &[ProjectRow],
    accounts: &[AccountRow],
    personal: Option<&str>,
    routes: &[Route],
    schedules: &[Schedule],
) -> String {
    // "when (kind)", or "never"
    let last = |(at, kind): &(Option<String>, Option<String>)| {
        html! {
            (at.as_deref().unwrap_or("never")) " "
            @if let Some(kind) = kind { "(" (kind) ")" }
        }
    };
    let body = html! {
        h1 { "Pulse local stack" }
        @if let Some(link) = personal {
            p role="status" { "Demo project created. Anna's personal link: " a href=(link) { (link) } }
        }
        ul {
            li { a href="/_local/outbox" { "Outbox" } " — emails sent through SES" }
            li { a href="/_local/invocations" { "Invocations" } " — every event each function received and what it answered" }
            li { a href="/_local/routes" { "Routes and schedules" } " (JSON)" }
        }
        h2 { "Projects" }
        ul {
            @for p in projects {
                li {
                    strong { (p.name) } " (" (p.kind) ") — "
                    @match &p.published {
                        Some((version, link)) => { "version " (version) " published — " a href=(link) { (link) } }
                        None => { "draft (publish it to open the link)" }
                    }
                    " — " a href={ "/_local/projects/" (p.id) "/report" } { "latest report" } " "
                    form method="post" action={ "/_local/projects/" (p.id) "/report" } style="display:inline" { button { "Make a report now" } }
                }
            }
            @if projects.is_empty() {
                li { "No project yet." }
            }
        }
        h2 { "Accounts and budgets" }
        ul {
            @for a in accounts {
                li {
                    strong { (a.name) } " — plan " (a.plan) ", " (a.month) " (" (a.time_zone) "): " (a.used) " of " (a.budget) " used, "
                    strong { (a.remaining) " remaining" } ", " (a.refused) " refused this month; "
                    "last sync " (last(&a.last_sync)) "; last accepted record " (last(&a.last_accepted))
                }
            }
            @if accounts.is_empty() {
                li { "No account yet: projects without one are not budgeted (" code { "POST /admin/accounts" } ")." }
            }
        }
        form method="post" action="/_local/demo" { button { "Create a demo project" } }
        h2 { "Routes" }
        ul {
            @for r in routes {
                li { code { (r.method) " " (r.path) } " → " (r.function) @if r.iam_auth { " (API key)" } }
            }
        }
        h2 { "Schedules" }
        ul {
            @for s in schedules {
                li {
                    form method="post" action={ "/_local/schedules/" (s.name) } { code { (s.expression) } " → " (s.function) " " button { "Fire now" } }
                }
            }
        }
    };
    pulse_shared::render::document("en", "Pulse local stack", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str) -> Route {
        Route { method: method.into(), path: path.into(), function: path.into(), iam_auth: false, timeout: Duration::from_secs(1) }
    }

    #[test]
    fn the_home_page_keeps_its_links_and_buttons_and_escapes_what_it_shows() {
        let projects = [
            ProjectRow {
                id: "p1".into(),
                name: "Café <Aroma> & \"Co\"".into(),
                kind: "b2c".into(),
                published: Some((1, "http://h/s/a?x=1&y=2".into())),
            },
            ProjectRow { id: "p2".into(), name: "Draft".into(), kind: "b2b".into(), published: None },
        ];
        let account = AccountRow {
            name: "<i>Acme</i>".into(),
            plan: "starter".into(),
            month: "2026-12".into(),
            time_zone: "Europe/Helsinki".into(),
            used: "0".into(),
            budget: "50".into(),
            remaining: "50".into(),
            refused: "0".into(),
            last_sync: (None, None),
            last_accepted: (Some("2026-12-01T10:00:00Z".into()), Some("import".into())),
        };
        let routes = [Route {
            method: "GET".into(),
            path: "/s/{token}".into(),
            function: "submit-response".into(),
            iam_auth: false,
            timeout: Duration::from_secs(1),
        }];
        let schedules = [Schedule {
            name: "GenerateReportFunction.DailyReports".into(),
            function: "generate-report".into(),
            rule: "r".into(),
            expression: "cron(0 6 * * ? *)".into(),
            timeout: Duration::from_secs(1),
        }];
        let page = index_page(&projects, &[account], Some("http://h/s/personal\"><script>"), &routes, &schedules);
        for html in [
            "<a href=\"/_local/outbox\">Outbox</a>",
            "<a href=\"/_local/invocations\">Invocations</a>",
            "<form method=\"post\" action=\"/_local/demo\"><button>Create a demo project</button></form>",
            "<strong>Café &lt;Aroma&gt; &amp; &quot;Co&quot;</strong> (b2c) — version 1 published — <a href=\"http://h/s/a?x=1&amp;y=2\">",
            "<a href=\"/_local/projects/p1/report\">latest report</a>",
            "<form method=\"post\" action=\"/_local/projects/p2/report\" style=\"display:inline\"><button>Make a report now</button></form>",
            "draft (publish it to open the link)",
            "<strong>&lt;i&gt;Acme&lt;/i&gt;</strong> — plan starter, 2026-12 (Europe/Helsinki): 0 of 50 used, <strong>50 remaining</strong>, 0 refused this month; \
             last sync never ; last accepted record 2026-12-01T10:00:00Z (import)",
            "<li><code>GET /s/{token}</code> → submit-response</li>",
            "<form method=\"post\" action=\"/_local/schedules/GenerateReportFunction.DailyReports\"><code>cron(0 6 * * ? *)</code> → generate-report <button>Fire now</button></form>",
            "Anna's personal link: <a href=\"http://h/s/personal&quot;&gt;&lt;script&gt;\">",
        ] {
            assert!(page.contains(html), "{html} is not on the page:\n{page}");
        }
        assert!(!page.contains("<script>") && !page.contains("<i>"), "{page}");
        let empty = index_page(&[], &[], None, &[], &[]);
        assert!(
            empty.contains("<li>No project yet.</li>")
                && empty.contains("<code>POST /admin/accounts</code>")
                && !empty.contains("role=\"status\"")
        );
    }

    #[test]
    fn the_no_report_page_escapes_the_project_id_and_offers_to_make_one() {
        let page = no_report_page("<x>");
        assert!(
            page.contains("Project &lt;x&gt; has no finished report.")
                && page.contains("<form method=\"post\"><button>Make a report now</button></form>"),
            "{page}"
        );
    }

    #[test]
    fn matches_parameters_and_greedy_paths() {
        let (_, p) = match_path("/s/{token}", "/s/abc%20d").unwrap();
        assert_eq!(p["token"], "abc d");
        let (_, p) = match_path("/admin/{proxy+}", "/admin/projects/p1/publish").unwrap();
        assert_eq!(p["proxy"], "projects/p1/publish");
        assert!(match_path("/admin/{proxy+}", "/admin").is_none());
        assert!(match_path("/s/{token}", "/s/a/b").is_none());
        assert!(match_path("/s/{token}", "/x/a").is_none());
    }

    #[test]
    fn prefers_the_most_specific_route_and_exact_methods() {
        let routes = vec![route("ANY", "/admin/{proxy+}"), route("GET", "/admin/health"), route("ANY", "/admin/health")];
        let (r, _) = find_route(&routes, "GET", "/admin/health").unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/admin/health"));
        let (r, _) = find_route(&routes, "POST", "/admin/health").unwrap();
        assert_eq!(r.method, "ANY");
        assert!(find_route(&routes, "GET", "/nowhere").is_none());
    }
}
