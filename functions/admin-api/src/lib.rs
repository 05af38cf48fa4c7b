//! `admin-api`: the operators' HTTP API under `/admin/`, IAM-authorized when
//! deployed (the local stack asks for an API key instead).
//!
//! Routes today: `GET /admin/health` (checks every table, the bucket and the
//! send queue) and `POST /admin/test-email` (queues a test email through the
//! send queue, proving the SES identity and the sender). Projects, uploads,
//! distributions and reports join with their issues.

use lambda_http::{Body, Request, Response};
use pulse_shared::domain::{jobs::SendJob, mail::parse_email};
use pulse_shared::{http as web, App, Error};
use serde::Deserialize;
use tracing::Instrument;

/// The Lambda handler: never fails the invocation; every error becomes a
/// JSON response carrying the request id.
pub async fn handle(app: &App, req: Request) -> Result<Response<Body>, lambda_http::Error> {
    let request_id = web::request_id(&req);
    let span = tracing::info_span!("admin-api", request_id = %request_id, method = %req.method(), path = %req.uri().path());
    let result = route(app, &req).instrument(span).await;
    Ok(result.unwrap_or_else(|e| web::error_response(&e, &request_id)))
}

async fn route(app: &App, req: &Request) -> Result<Response<Body>, Error> {
    let rest = web::path_param(req, "proxy").unwrap_or_default();
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (req.method().as_str(), segments.as_slice()) {
        ("GET", ["health"]) => health(app).await,
        ("POST", ["test-email"]) => test_email(app, req).await,
        (method, _) => Err(Error::not_found(format!("route {method} /admin/{rest}"))),
    }
}

async fn health(app: &App) -> Result<Response<Body>, Error> {
    let checks = app.aws.health(&app.config).await;
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
    let message_id = app.aws.enqueue_send_job(&app.config.send_queue_url, &job).await?;
    tracing::info!(message_id, "test email queued");
    Ok(web::json(202, &serde_json::json!({ "queued": true, "message_id": message_id })))
}
