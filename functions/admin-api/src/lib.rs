//! `admin-api`: the operators' HTTP API under `/admin/`, IAM-authorized when
//! deployed (the local stack asks for an API key instead).
//!
//! Every route is listed once in [`ROUTES`]; the router dispatches from it
//! and a test keeps `openapi.json` (served at `GET /admin/openapi.json`)
//! equal to it.

mod accounts;
mod b2b;
mod contacts;
mod distributions;
mod projects;
mod reports;

use lambda_http::{Body, Request, RequestExt, Response};
use pulse_shared::domain::{jobs::SendJob, mail::parse_email};
use pulse_shared::{http as web, App, Error};
use serde::Deserialize;
use tracing::Instrument;

/// The OpenAPI document of this API.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Every route: method and path template.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/admin/health"),
    ("POST", "/admin/test-email"),
    ("GET", "/admin/openapi.json"),
    ("GET", "/admin/projects"),
    ("POST", "/admin/projects"),
    ("GET", "/admin/projects/{id}"),
    ("PATCH", "/admin/projects/{id}"),
    ("PUT", "/admin/projects/{id}/logo"),
    ("POST", "/admin/projects/{id}/publish"),
    ("GET", "/admin/projects/{id}/survey"),
    ("POST", "/admin/projects/{id}/links"),
    ("GET", "/admin/projects/{id}/responses"),
    ("POST", "/admin/projects/{id}/uploads"),
    ("GET", "/admin/projects/{id}/uploads"),
    ("GET", "/admin/projects/{id}/uploads/{upload}"),
    ("POST", "/admin/projects/{id}/uploads/{upload}/retry"),
    ("GET", "/admin/projects/{id}/lists"),
    ("GET", "/admin/projects/{id}/lists/{list}/contacts"),
    ("GET", "/admin/projects/{id}/contacts/{email}"),
    ("DELETE", "/admin/projects/{id}/contacts/{email}"),
    ("GET", "/admin/projects/{id}/suppressions"),
    ("POST", "/admin/projects/{id}/suppressions"),
    ("POST", "/admin/projects/{id}/distributions"),
    ("GET", "/admin/projects/{id}/distributions"),
    ("GET", "/admin/projects/{id}/distributions/{distribution}"),
    ("POST", "/admin/projects/{id}/distributions/{distribution}/cancel"),
    ("POST", "/admin/projects/{id}/events"),
    ("GET", "/admin/projects/{id}/figures"),
    ("POST", "/admin/projects/{id}/reports"),
    ("GET", "/admin/projects/{id}/reports"),
    ("GET", "/admin/projects/{id}/reports/{report}"),
    ("GET", "/admin/projects/{id}/accounts"),
    ("POST", "/admin/projects/{id}/accounts/report"),
    ("GET", "/admin/plans"),
    ("POST", "/admin/plans"),
    ("GET", "/admin/accounts"),
    ("POST", "/admin/accounts"),
    ("GET", "/admin/accounts/{id}"),
    ("PUT", "/admin/accounts/{id}/plan"),
    ("GET", "/admin/accounts/{id}/budget"),
];

/// The Lambda handler: never fails the invocation; every error becomes a
/// JSON response carrying the request id.
pub async fn handle(app: &App, req: Request) -> Result<Response<Body>, lambda_http::Error> {
    let request_id = web::request_id(&req);
    let span = tracing::info_span!("admin-api", request_id = %request_id, method = %req.method(), path = %req.uri().path());
    let result = route(app, &req).instrument(span).await;
    Ok(result.unwrap_or_else(|e| web::error_response(&e, &request_id)))
}

/// Matches `path` against a template; returns its parameters in order
/// (the project id, then the upload, list or email).
fn matches(template: &str, path: &str) -> Option<Vec<String>> {
    let t: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let p: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (a, b) in t.iter().zip(&p) {
        if a.starts_with('{') && a.ends_with('}') {
            params.push(b.to_string());
        } else if a != b {
            return None;
        }
    }
    Some(params)
}

async fn route(app: &App, req: &Request) -> Result<Response<Body>, Error> {
    let path = format!("/admin/{}", web::path_param(req, "proxy").unwrap_or_default());
    let method = req.method().as_str().to_string();
    let found: Vec<(&str, &str, Vec<String>)> =
        ROUTES.iter().filter_map(|(m, t)| matches(t, &path).map(|params| (*m, *t, params))).collect();
    let Some((_, template, params)) = found.iter().find(|(m, _, _)| *m == method).cloned() else {
        if found.is_empty() {
            return Err(Error::not_found(format!("route {method} {path}")));
        }
        let allowed: Vec<&str> = found.iter().map(|(m, _, _)| *m).collect();
        return Err(Error::MethodNotAllowed { method, path, allowed: allowed.join(", ") });
    };
    let id = params.first().cloned().unwrap_or_default();
    let sub = params.get(1).cloned().unwrap_or_default();
    let query = req.query_string_parameters();
    match (method.as_str(), template) {
        ("GET", "/admin/health") => health(app).await,
        ("POST", "/admin/test-email") => test_email(app, req).await,
        ("GET", "/admin/openapi.json") => Ok(Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::Text(OPENAPI.to_string()))
            .unwrap_or_default()),
        ("GET", "/admin/projects") => projects::list(app).await,
        ("POST", "/admin/projects") => projects::create(app, req).await,
        ("GET", "/admin/projects/{id}") => projects::get(app, &id).await,
        ("PATCH", "/admin/projects/{id}") => projects::patch(app, &id, req).await,
        ("PUT", "/admin/projects/{id}/logo") => projects::put_logo(app, &id, req).await,
        ("POST", "/admin/projects/{id}/publish") => projects::publish(app, &id).await,
        ("GET", "/admin/projects/{id}/survey") => projects::survey(app, &id, query.first("version")).await,
        ("POST", "/admin/projects/{id}/links") => projects::mint_link(app, &id, req).await,
        ("GET", "/admin/projects/{id}/responses") => projects::responses(app, &id, query.first("after")).await,
        ("POST", "/admin/projects/{id}/uploads") => contacts::create_upload(app, &id, req).await,
        ("GET", "/admin/projects/{id}/uploads") => contacts::list_uploads(app, &id).await,
        ("GET", "/admin/projects/{id}/uploads/{upload}") => contacts::get_upload(app, &id, &sub).await,
        ("POST", "/admin/projects/{id}/uploads/{upload}/retry") => contacts::retry_upload(app, &id, &sub).await,
        ("GET", "/admin/projects/{id}/lists") => contacts::lists(app, &id).await,
        ("GET", "/admin/projects/{id}/lists/{list}/contacts") => contacts::members(app, &id, &sub, query.first("after")).await,
        ("GET", "/admin/projects/{id}/contacts/{email}") => contacts::get_contact(app, &id, &sub).await,
        ("DELETE", "/admin/projects/{id}/contacts/{email}") => contacts::erase_contact(app, &id, &sub).await,
        ("GET", "/admin/projects/{id}/suppressions") => contacts::suppressions(app, &id).await,
        ("POST", "/admin/projects/{id}/suppressions") => contacts::suppress(app, &id, req).await,
        ("POST", "/admin/projects/{id}/distributions") => distributions::create(app, &id, req).await,
        ("GET", "/admin/projects/{id}/distributions") => distributions::list(app, &id).await,
        ("GET", "/admin/projects/{id}/distributions/{distribution}") => distributions::get(app, &id, &sub).await,
        ("POST", "/admin/projects/{id}/distributions/{distribution}/cancel") => distributions::cancel(app, &id, &sub).await,
        ("POST", "/admin/projects/{id}/events") => distributions::event(app, &id, req).await,
        ("GET", "/admin/projects/{id}/figures") => reports::figures(app, &id, &query).await,
        ("POST", "/admin/projects/{id}/reports") => reports::create(app, &id, req).await,
        ("GET", "/admin/projects/{id}/reports") => reports::list(app, &id).await,
        ("GET", "/admin/projects/{id}/reports/{report}") => reports::get(app, &id, &sub).await,
        ("GET", "/admin/projects/{id}/accounts") => b2b::accounts(app, &id, &query).await,
        ("POST", "/admin/projects/{id}/accounts/report") => b2b::send_sections(app, &id).await,
        ("GET", "/admin/plans") => accounts::list_plans(app).await,
        ("POST", "/admin/plans") => accounts::create_plan(app, req).await,
        ("GET", "/admin/accounts") => accounts::list(app).await,
        ("POST", "/admin/accounts") => accounts::create(app, req).await,
        ("GET", "/admin/accounts/{id}") => accounts::get(app, &id).await,
        ("PUT", "/admin/accounts/{id}/plan") => accounts::change_plan(app, &id, req).await,
        ("GET", "/admin/accounts/{id}/budget") => accounts::budget(app, &id).await,
        _ => Err(Error::not_found(format!("route {method} {path}"))),
    }
}

async fn health(app: &App) -> Result<Response<Body>, Error> {
    let checks = app.aws.health().await;
    let ok = checks.iter().all(|c| c.ok);
    Ok(web::json(if ok { 200 } else { 503 }, &serde_json::json!({ "ok": ok, "checks": checks })))
}

/// Body of `POST /admin/test-email`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestEmailRequest {
    to: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

async fn test_email(app: &App, req: &Request) -> Result<Response<Body>, Error> {
    let body: TestEmailRequest = web::json_body(req)?;
    let to = parse_email(&body.to).map_err(|e| Error::bad_field("to", e.to_string()))?;
    let job = SendJob::TestEmail {
        to,
        subject: body.subject.unwrap_or_else(|| "Pulse test email".to_string()),
        text: body
            .text
            .unwrap_or_else(|| "This is a test email from Pulse: the sender identity and the send queue work.".to_string()),
    };
    let message_id = app.aws.enqueue(&app.config.send_queue_url, &job).await?;
    tracing::info!(message_id, "test email queued");
    Ok(web::json(202, &serde_json::json!({ "queued": true, "message_id": message_id })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_openapi_document_lists_exactly_the_routes_served() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let mut documented = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys().filter(|k| *k != "parameters") {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
        let served: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
        assert_eq!(documented, served);
    }

    #[test]
    fn templates_match_whole_paths_only() {
        assert_eq!(matches("/admin/projects/{id}", "/admin/projects/p1"), Some(vec!["p1".to_string()]));
        assert_eq!(matches("/admin/projects", "/admin/projects/"), Some(vec![]));
        assert_eq!(
            matches("/admin/projects/{id}/contacts/{email}", "/admin/projects/p1/contacts/a@example.com"),
            Some(vec!["p1".to_string(), "a@example.com".to_string()])
        );
        assert_eq!(matches("/admin/projects/{id}", "/admin/projects/p1/logo"), None);
    }
}
