//! The route declaration against the document and the router: every
//! documented operation is served (and needs its role), every declared route
//! is documented, and routing errors are the JSON errors of every route.

use std::collections::{BTreeMap, BTreeSet};

use lambda_http::RequestExt;
use pulse_shared::domain::access::Role;
use serde_json::{json, Value};

use super::*;
use crate::routing::{caller_role, routed_uri};

/// An API Gateway v2 event as the local stack and API Gateway send it for
/// `ANY /admin/{proxy+}`; `authorizer` is the request context's (if any).
fn event(method: &str, raw_path: &str, body: Option<&str>, authorizer: Option<Value>) -> Request {
    let proxy = raw_path.strip_prefix("/admin/").expect("an admin path");
    let decoded = percent_encoding::percent_decode_str(proxy).decode_utf8_lossy().into_owned();
    let mut context = json!({
        "accountId": "123456789012", "apiId": "local", "domainName": "127.0.0.1", "domainPrefix": "local",
        "http": { "method": method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "test" },
        "requestId": "req-1", "routeKey": "ANY /admin/{proxy+}", "stage": "$default", "time": "0", "timeEpoch": 0,
    });
    if let Some(a) = authorizer {
        context["authorizer"] = a;
    }
    let event = json!({
        "version": "2.0", "routeKey": "ANY /admin/{proxy+}", "rawPath": raw_path, "rawQueryString": "",
        "headers": { "host": "127.0.0.1", "content-type": "application/json" },
        "requestContext": context, "pathParameters": { "proxy": decoded },
        "body": body, "isBase64Encoded": false,
    });
    let mut context = lambda_http::Context::default();
    context.request_id = "req-1".to_string();
    lambda_http::request::from_str(&event.to_string()).expect("a valid API Gateway v2 event").with_lambda_context(context)
}

fn iam() -> Option<Value> {
    Some(json!({ "iam": { "accessKey": "LOCAL", "accountId": "123456789012", "callerId": "local-operator", "userId": "local-operator",
        "userArn": "arn:aws:iam::123456789012:user/local-operator" } }))
}

fn user(groups: &str) -> Option<Value> {
    Some(json!({ "jwt": { "claims": { "sub": "u1", "cognito:groups": groups }, "scopes": null } }))
}

fn body_of(r: &Response<Body>) -> Value {
    serde_json::from_slice(r.body().as_ref()).unwrap_or(Value::Null)
}

/// Every documented operation: (method, path template) → its operation.
fn documented() -> BTreeMap<(String, String), Value> {
    let doc: Value = serde_json::from_str(&API.document).expect("the document is JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap().iter().filter(|(k, _)| *k != "parameters") {
            ops.insert((method.to_uppercase(), path.clone()), op.clone());
        }
    }
    ops
}

/// A concrete path for a template: each `{param}` filled, an email
/// percent-encoded as a client sends it.
fn concrete(template: &str) -> String {
    template.replace("{email}", "first.last%2Btag%40example.com").replace("{id}", "p1").replace('{', "x-").replace('}', "")
}

#[test]
fn the_declared_routes_and_the_document_list_the_same_operations() {
    let declared: BTreeSet<(String, String)> = API.declared.iter().map(|d| (d.method.clone(), d.path.clone())).collect();
    assert_eq!(declared.len(), API.declared.len(), "a route is declared twice");
    let documented: BTreeSet<(String, String)> = documented().into_keys().collect();
    let undocumented: Vec<_> = declared.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&declared).collect();
    assert!(undocumented.is_empty(), "declared but not documented: {undocumented:?}");
    assert!(unserved.is_empty(), "documented but not declared: {unserved:?}");
    assert!(documented.contains(&("POST".to_string(), "/admin/projects/{id}/publish".to_string())));
}

#[test]
fn each_operation_names_its_role_a_unique_id_and_every_path_parameter() {
    let ops = documented();
    let mut ids = BTreeSet::new();
    for d in &API.declared {
        let op = &ops[&(d.method.clone(), d.path.clone())];
        assert_eq!(op[routing::ROLE_EXTENSION], d.role.as_str(), "{} {}", d.method, d.path);
        assert!(ids.insert(op["operationId"].as_str().unwrap().to_string()), "operationId of {} {} repeated", d.method, d.path);
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{} {} has no summary", d.method, d.path);
        let params: BTreeSet<&str> =
            op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path").filter_map(|p| p["name"].as_str()).collect();
        let in_template: BTreeSet<&str> = d.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
        assert_eq!(params, in_template, "{} {}: path parameters", d.method, d.path);
    }
    // the roles of the issue: reads are viewer's, plans, accounts and test email admin's
    let role = |m: &str, p: &str| API.declared.iter().find(|d| d.method == m && d.path == p).map(|d| d.role);
    assert_eq!(role("GET", "/admin/projects/{id}"), Some(Role::Viewer));
    assert_eq!(role("PATCH", "/admin/projects/{id}"), Some(Role::Editor));
    assert_eq!(role("DELETE", "/admin/projects/{id}/contacts/{email}"), Some(Role::Editor));
    assert_eq!(role("POST", "/admin/plans"), Some(Role::Admin));
    assert_eq!(role("PUT", "/admin/accounts/{id}/plan"), Some(Role::Admin));
    assert_eq!(role("POST", "/admin/test-email"), Some(Role::Admin));
    // the support bundle is the one read that is not a viewer's: it holds the stack's configuration
    assert_eq!(role("GET", "/admin/support-bundle"), Some(Role::Admin));
    assert_eq!(role("GET", "/admin/status"), Some(Role::Viewer));
    assert!(
        API.declared.iter().filter(|d| d.method == "GET" && d.path != "/admin/support-bundle").all(|d| d.role == Role::Viewer),
        "every other read is a viewer's"
    );
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_refused_to_a_caller_below_its_role() {
    for (method, path) in documented().into_keys() {
        let declared = API.declared.iter().find(|d| d.method == method && d.path == path).expect("declared");
        // no role at all: the route is found (not 404/405) and refused before its handler
        let r = dispatch(event(&method, &concrete(&path), None, None)).await;
        assert_eq!(r.status(), 403, "{method} {path}: {:?}", body_of(&r));
        let body = body_of(&r);
        assert_eq!(body["error"], "forbidden");
        assert_eq!(body["request_id"], "req-1");
        assert!(body["message"].as_str().unwrap().contains(declared.role.as_str()), "{body}");
        // the role just below the one required is refused too
        if let Some(below) = Role::ALL.into_iter().rev().find(|r| *r < declared.role) {
            let r = dispatch(event(&method, &concrete(&path), None, user(below.as_str()))).await;
            assert_eq!(r.status(), 403, "{method} {path} as {below:?}");
        }
    }
}

#[tokio::test]
async fn the_document_is_served_to_any_role() {
    for caller in [iam(), user("viewer")] {
        let r = dispatch(event("GET", "/admin/openapi.json", None, caller)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/json");
        match r.body() {
            Body::Text(t) => assert_eq!(t, &API.document),
            other => panic!("the document is text, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn other_methods_on_a_documented_path_are_405_naming_the_allowed_ones() {
    let ops = documented();
    let paths: BTreeSet<&String> = ops.keys().map(|(_, p)| p).collect();
    for path in paths {
        let allowed: Vec<&str> = API.declared.iter().filter(|d| &d.path == path).map(|d| d.method.as_str()).collect();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"].into_iter().filter(|m| !allowed.contains(m)) {
            let r = dispatch(event(method, &concrete(path), None, iam())).await;
            assert_eq!(r.status(), 405, "{method} {path}");
            let body = body_of(&r);
            assert_eq!(body["error"], "method_not_allowed");
            let message = body["message"].as_str().unwrap();
            assert!(message.ends_with(&format!("allowed: {}", allowed.join(", "))), "{method} {path}: {message}");
        }
    }
    let r = dispatch(event("DELETE", "/admin/projects", None, iam())).await;
    assert_eq!(body_of(&r)["message"], "DELETE is not allowed on /admin/projects; allowed: GET, POST");
}

#[tokio::test]
async fn an_unknown_route_is_a_404_json_error_with_the_request_id() {
    for path in ["/admin/nowhere", "/admin/projects/p1/nowhere", "/admin/projects/p1/contacts"] {
        let r = dispatch(event("GET", path, None, iam())).await;
        assert_eq!(r.status(), 404, "{path}");
        let body = body_of(&r);
        assert_eq!(body["error"], "not_found");
        assert_eq!(body["request_id"], "req-1");
        assert_eq!(body["message"], format!("route GET {path} not found"));
    }
}

#[test]
fn the_caller_role_comes_from_the_authorizer() {
    let role = |a: Option<Value>| caller_role(event("GET", "/admin/health", None, a).extensions());
    assert_eq!(role(iam()), Some(Role::Admin), "IAM (and the local API key) is a machine caller");
    assert_eq!(role(user("[viewer editor]")), Some(Role::Editor));
    assert_eq!(role(user("viewer")), Some(Role::Viewer));
    assert_eq!(role(user("[staff]")), None);
    assert_eq!(role(None), None);
}

#[test]
fn the_routed_path_keeps_encoded_segments_and_drops_empty_ones() {
    let uri = |raw: &str| {
        let req = event("GET", raw, None, None);
        routed_uri(req.extensions(), req.uri()).to_string()
    };
    assert_eq!(uri("/admin/projects/p1/contacts/a%40example.com"), "/admin/projects/p1/contacts/a@example.com");
    assert_eq!(
        uri("/admin/projects/p1/contacts/first%20last%2Ftag%3F%40example.com"),
        "/admin/projects/p1/contacts/first%20last/tag%3F@example.com"
    );
    assert_eq!(uri("/admin/projects/"), "/admin/projects");
    assert_eq!(uri("/admin/projects//p1"), "/admin/projects/p1");
}

/// Path parameters reach a handler decoded, emails included.
#[tokio::test]
async fn path_parameters_arrive_decoded() {
    use axum::routing::get;
    let router: axum::Router = axum::Router::new().route(
        "/admin/projects/{id}/contacts/{email}",
        get(|routing::Path((id, email)): routing::Path<(String, String)>| async move { format!("{id}|{email}") }),
    );
    for (raw, expected) in [
        ("/admin/projects/p1/contacts/a%40example.com", "p1|a@example.com"),
        ("/admin/projects/p1/contacts/first.last+tag@example.com", "p1|first.last+tag@example.com"),
        ("/admin/projects/p1/contacts/%C3%A4iti%40example.fi", "p1|äiti@example.fi"),
    ] {
        let req = event("GET", raw, None, None);
        let (mut parts, body) = req.into_parts();
        parts.uri = routed_uri(&parts.extensions, &parts.uri);
        let r = router.clone().oneshot(Request::from_parts(parts, body)).await.unwrap();
        let text = http_body_util::BodyExt::collect(r.into_body()).await.unwrap().to_bytes();
        assert_eq!(std::str::from_utf8(&text).unwrap(), expected, "{raw}");
    }
}

/// A JSON body that does not parse is the 400 naming the field that
/// `pulse_shared::http` makes; one too large is a 413.
#[tokio::test]
async fn json_bodies_fail_with_the_shared_error_mapping() {
    use axum::routing::post;
    let router: axum::Router = axum::Router::new().route(
        "/admin/test-email",
        post(|Json(body): Json<TestEmailRequest>| async move { Ok::<_, routing::Failure>(web::json(202, &json!({ "to": body.to }))) }),
    );
    let send = |body: String| {
        let router = router.clone();
        async move {
            let r = router.oneshot(event("POST", "/admin/test-email", Some(&body), None)).await.unwrap();
            routing::into_lambda(r, "req-1").await
        }
    };
    let r = send("{\"to\": ".into()).await;
    assert_eq!(r.status(), 400);
    assert!(body_of(&r)["message"].as_str().unwrap().contains("not valid JSON"));
    let r = send(json!({ "to": ["x"] }).to_string()).await;
    assert_eq!(r.status(), 400);
    assert_eq!(body_of(&r)["field"], "to");
    assert_eq!(body_of(&r)["request_id"], "req-1");
    let r = send(json!({ "to": "a@example.com", "cc": "b@example.com" }).to_string()).await;
    assert_eq!(r.status(), 400);
    let r = send(json!({ "to": "a@example.com", "text": "x".repeat(web::MAX_BODY_BYTES) }).to_string()).await;
    assert_eq!(r.status(), 413);
    let r = send(json!({ "to": "a@example.com" }).to_string()).await;
    assert_eq!(r.status(), 202);
    assert_eq!(body_of(&r)["to"], "a@example.com");
}
#[test]
fn every_reference_in_the_document_resolves() {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc: Value = serde_json::from_str(&API.document).unwrap();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.iter().any(|r| r == "#/components/schemas/CreateProject"), "request bodies are described: {found:?}");
    for r in found {
        let pointer = r.strip_prefix('#').expect("a local reference");
        assert!(doc.pointer(pointer).is_some(), "{r} leads nowhere");
    }
}
