//! `admin-api`: the operators' HTTP API under `/admin/`, IAM-authorized when
//! deployed (the local stack asks for an API key instead).
//!
//! Every route is declared once, in [`declare`]: an axum router (run inside
//! `lambda_http`) dispatches from it, each route's required role comes from
//! it, and the OpenAPI document served at `GET /admin/openapi.json` is
//! generated from it (utoipa). A test sends a request for every documented
//! operation through the router and compares the declared routes with the
//! document both ways.
//!
//! # Adding a route
//!
//! 1. Write the handler in the feature's module (`projects.rs`, …) with its
//!    `#[utoipa::path(method, path = "/admin/…", params(…), request_body = …,
//!    responses(…))]`; it takes extractors from [`routing`] (`Ctx`, `Path`,
//!    `Query`, `Json`) and returns a [`routing::Reply`]. A request body type
//!    derives `ToSchema`.
//! 2. Add one line to [`declare`]: `.viewer(routes!(module::handler))` for a
//!    read, `.editor(…)` for a change to projects, contacts, distributions or
//!    reports, `.admin(…)` for plans, accounts and test email.
//!
//! That is two files (one when the handler lives in `lib.rs`); the route
//! table, the dispatch, the role check and the document follow.
//!
//! Modules: the feature modules (`projects`, `contacts`, `distributions`,
//! `reports`, `accounts`, `b2b`, `sftp`, `users`) import only the leaf [`lookup`] (what they
//! share), never each other.

mod accounts;
mod b2b;
mod console;
mod contacts;
mod distributions;
mod help;
mod lookup;
mod projects;
mod reports;
pub mod routing;
mod sftp;
mod users;

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::sync::{Arc, LazyLock};

use lambda_http::tower::ServiceExt;
use lambda_http::{Body, Request, Response};
use pulse_shared::domain::{access as domain_access, jobs::SendJob, mail::parse_email};
use pulse_shared::{http as web, App, Error};
use serde::Deserialize;
use tracing::Instrument;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{Content, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::routes;

use routing::{Api, Caller, Ctx, Json, Reply, RequestId, Routes};

/// Every admin route, each once, with the role it requires.
pub fn declare() -> Routes {
    Routes::new(Document::openapi())
        .viewer(routes!(health))
        .viewer(routes!(help::status))
        .viewer(routes!(help::get_checklist))
        .admin(routes!(help::support_bundle))
        .admin(routes!(test_email))
        .viewer(routes!(openapi))
        .viewer(routes!(projects::list))
        .editor(routes!(projects::create))
        .viewer(routes!(projects::get))
        .admin(routes!(projects::delete))
        .editor(routes!(projects::patch))
        .editor(routes!(projects::put_logo))
        .editor(routes!(projects::publish))
        .editor(routes!(projects::close))
        .editor(routes!(projects::reopen))
        .editor(routes!(projects::rotate_anonymous_link))
        .viewer(routes!(projects::survey))
        .editor(routes!(projects::mint_link))
        .viewer(routes!(projects::responses))
        .viewer(routes!(projects::response))
        .viewer(routes!(projects::refusals))
        .editor(routes!(contacts::create_upload))
        .viewer(routes!(contacts::list_uploads))
        .viewer(routes!(contacts::get_upload))
        .editor(routes!(contacts::retry_upload))
        .editor(routes!(contacts::upload_form))
        .viewer(routes!(contacts::lists))
        .viewer(routes!(contacts::members))
        .viewer(routes!(contacts::get_contact))
        .editor(routes!(contacts::erase_contact))
        .viewer(routes!(contacts::jobs))
        .viewer(routes!(contacts::job))
        .viewer(routes!(contacts::suppressions))
        .editor(routes!(contacts::suppress))
        .admin(routes!(contacts::lift))
        .editor(routes!(distributions::create))
        .editor(routes!(distributions::preview))
        .viewer(routes!(distributions::list))
        .viewer(routes!(distributions::get))
        .editor(routes!(distributions::cancel))
        .editor(routes!(distributions::resume))
        .editor(routes!(distributions::retry))
        .viewer(routes!(distributions::recipients))
        .editor(routes!(distributions::event))
        .viewer(routes!(reports::figures))
        .editor(routes!(reports::create))
        .viewer(routes!(reports::list))
        .viewer(routes!(reports::get))
        .editor(routes!(reports::delete))
        .editor(routes!(reports::create_share))
        .viewer(routes!(reports::shares))
        .editor(routes!(reports::revoke_share))
        .viewer(routes!(b2b::accounts))
        .viewer(routes!(b2b::account_contacts))
        .editor(routes!(b2b::send_sections))
        .viewer(routes!(b2b::get_sync))
        .editor(routes!(b2b::put_sync))
        .viewer(routes!(sftp::get))
        .editor(routes!(sftp::add_key))
        .editor(routes!(sftp::remove_key))
        .admin(routes!(b2b::put_sync_secret))
        .editor(routes!(b2b::run_sync))
        .viewer(routes!(accounts::list_plans))
        .admin(routes!(accounts::create_plan))
        .viewer(routes!(accounts::list))
        .admin(routes!(accounts::create))
        .viewer(routes!(accounts::get))
        .admin(routes!(accounts::change_plan))
        .admin(routes!(accounts::set_reserve))
        .viewer(routes!(accounts::budget))
        .viewer(routes!(users::list))
        .admin(routes!(users::invite))
        .admin(routes!(users::change))
}

/// The routes, built once per process.
static API: LazyLock<Api> = LazyLock::new(|| declare().finish());

/// What the document says besides its paths.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pulse admin API",
        description = "Operators' API of Pulse. Deployed: IAM authorization (SigV4, service execute-api). Locally: the x-api-key header. \
                       Each operation requires a role (x-pulse-role: viewer, editor or admin); IAM and API-key callers are admin. \
                       Errors are {error, message, request_id[, field]}."
    ),
    security(("iam" = []), ("apiKey" = [])),
    components(schemas(ErrorBody)),
    modifiers(&Document)
)]
struct Document;

impl Modify for Document {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "iam",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description("Authorization", "AWS SigV4 (deployed)"))),
        );
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description("x-api-key", "Local stack only"))),
        );
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
                .build()
        };
        components.responses.insert("Error".into(), error("An error: what is wrong, where (field) and the request id to quote").into());
        components.responses.insert("Forbidden".into(), error("The caller's role does not allow the operation (see x-pulse-role)").into());
    }
}

/// The body of every error response.
#[derive(ToSchema)]
#[allow(dead_code)]
struct ErrorBody {
    /// The kind: bad_request, not_found, conflict, forbidden, method_not_allowed, payload_too_large or internal.
    error: String,
    message: String,
    request_id: String,
    /// The field of the request a bad request is about.
    field: Option<String>,
}

/// The Lambda handler: never fails the invocation; every error becomes a
/// JSON response carrying the request id.
pub async fn handle(app: &Arc<App>, req: Request) -> Result<Response<Body>, lambda_http::Error> {
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(app.clone());
    Ok(dispatch(Request::from_parts(parts, body)).await)
}

/// Routes a request (its [`App`] in its extensions) to its handler, as the
/// caller its authorizer context names.
async fn dispatch(req: Request) -> Response<Body> {
    let request_id = web::request_id(&req);
    if req.uri().path() == "/console" || req.uri().path().starts_with("/console/") {
        let span = tracing::info_span!("console", request_id = %request_id, method = %req.method(), path = %pulse_shared::domain::mail::mask_addresses(req.uri().path()));
        let Some(app) = req.extensions().get::<Arc<App>>().cloned() else {
            return web::error_response(&Error::bad_request("no App in the request"), &request_id);
        };
        let (method, route) = (req.method().to_string(), pulse_shared::domain::help::console_route(req.uri().path()));
        let response = console::handle(&app, req, &request_id).instrument(span.clone()).await;
        if response.status().is_server_error() {
            let code = if response.status().as_u16() == 503 { "busy" } else { "internal" };
            let message = response.status().canonical_reason().unwrap_or_default();
            keep_error(&app, &method, &route, response.status().as_u16(), code, message, &request_id).instrument(span).await;
        }
        return response;
    }
    let span = tracing::info_span!("admin-api", request_id = %request_id, method = %req.method(), path = %pulse_shared::domain::mail::mask_addresses(req.uri().path()));
    let (mut parts, body) = req.into_parts();
    parts.uri = routing::routed_uri(&parts.extensions, &parts.uri);
    let caller = routing::caller_role(&parts.extensions);
    parts.extensions.insert(RequestId(request_id.clone()));
    parts.extensions.insert(Caller(caller));
    let app = parts.extensions.get::<Arc<App>>().cloned();
    let method = parts.method.to_string();
    let response = match API.router.clone().oneshot(Request::from_parts(parts, body)).instrument(span.clone()).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let route = response.extensions().get::<routing::RouteTemplate>().map(|r| r.0.clone()).unwrap_or_else(|| "(no route)".to_string());
    let response = routing::into_lambda(response, &request_id).instrument(span.clone()).await;
    if let (true, Some(app)) = (response.status().is_server_error(), app) {
        let body: serde_json::Value = match response.body() {
            Body::Text(t) => serde_json::from_str(t).unwrap_or_default(),
            _ => serde_json::Value::Null,
        };
        let (code, message) = (body["error"].as_str().unwrap_or("internal"), body["message"].as_str().unwrap_or_default());
        keep_error(&app, &method, &route, response.status().as_u16(), code, message, &request_id).instrument(span).await;
    }
    response
}

/// Keeps a 5xx for the support bundle (its route's template, code and
/// message with addresses masked, request id); a failure to keep it is
/// logged, never the caller's problem.
async fn keep_error(app: &App, method: &str, route: &str, status: u16, code: &str, message: &str, request_id: &str) {
    let e = pulse_shared::domain::help::ErrorRecord::new(&app.clock.now(), "admin-api", method, route, status, code, message, request_id);
    if let Err(err) = app.aws.record_error(&e, app.clock.now_ms() / 1000).await {
        tracing::warn!(request_id, error = %pulse_shared::domain::mail::mask_addresses(&pulse_shared::error::chain(&err)), "the error could not be kept for the support bundle");
    }
}

/// Calls an admin route in-process as a caller with `role` (the console's
/// signed-in user): the route's own role check, validation and errors
/// apply. Returns the status and the JSON body (an error's
/// `{error, message, request_id, field}`).
pub(crate) async fn call(
    app: &Arc<App>,
    role: domain_access::Role,
    request_id: &str,
    method: axum::http::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let body = match body {
        Some(v) => Body::Text(v.to_string()),
        None => Body::Empty,
    };
    let query: std::collections::HashMap<String, Vec<String>> = form_urlencoded::parse(
        path.split_once('?').map(|(_, q)| q).unwrap_or_default().as_bytes(),
    )
    .fold(Default::default(), |mut m, (k, v)| {
        m.entry(k.into_owned()).or_insert_with(Vec::new).push(v.into_owned());
        m
    });
    let mut req = lambda_http::RequestExt::with_query_string_parameters(Request::new(body), query);
    *req.method_mut() = method;
    *req.uri_mut() = path.parse().unwrap_or_else(|_| axum::http::Uri::from_static("/"));
    req.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    finish_call(app, role, request_id, req).await
}

/// Runs an in-process request through the router as `role`.
async fn finish_call(app: &Arc<App>, role: domain_access::Role, request_id: &str, mut req: Request) -> (u16, serde_json::Value) {
    req.extensions_mut().insert(app.clone());
    req.extensions_mut().insert(RequestId(request_id.to_string()));
    req.extensions_mut().insert(Caller(Some(role)));
    let response = match API.router.clone().oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let response = routing::into_lambda(response, request_id).await;
    let status = response.status().as_u16();
    let value = match response.body() {
        Body::Text(t) => serde_json::from_str(t).unwrap_or(serde_json::Value::String(t.clone())),
        Body::Binary(b) => serde_json::from_slice(b).unwrap_or(serde_json::Value::Null),
        _ => serde_json::Value::Null,
    };
    (status, value)
}

/// Sends raw bytes (a logo) to an admin route in-process with `PUT`, as
/// [`call`] does JSON.
pub(crate) async fn call_raw(
    app: &Arc<App>,
    role: domain_access::Role,
    request_id: &str,
    path: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> (u16, serde_json::Value) {
    let mut req = Request::new(Body::Binary(bytes));
    *req.method_mut() = axum::http::Method::PUT;
    *req.uri_mut() = path.parse().unwrap_or_else(|_| axum::http::Uri::from_static("/"));
    if let Ok(v) = axum::http::HeaderValue::from_str(content_type) {
        req.headers_mut().insert(axum::http::header::CONTENT_TYPE, v);
    }
    finish_call(app, role, request_id, req).await
}

/// Check every table, the bucket and the send queue.
#[utoipa::path(get, path = "/admin/health", tag = "meta", responses(
    (status = 200, description = "Every resource answered: {ok, checks}"),
    (status = 503, description = "A resource did not answer: {ok: false, checks}"),
))]
async fn health(Ctx(ref app): Ctx) -> Reply {
    let checks = app.aws.health().await;
    let ok = checks.iter().all(|c| c.ok);
    Ok(web::json(if ok { 200 } else { 503 }, &serde_json::json!({ "ok": ok, "checks": checks })))
}

/// This document.
#[utoipa::path(get, path = "/admin/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI document of this API")))]
async fn openapi() -> Reply {
    Ok(Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::Text(API.document.clone()))
        .unwrap_or_default())
}

/// Body of `POST /admin/test-email`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TestEmailRequest {
    /// The address to send to.
    #[schema(format = "email")]
    to: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

/// Queue a test email through the send queue and SES.
#[utoipa::path(post, path = "/admin/test-email", tag = "meta", request_body = TestEmailRequest, responses((status = 202, description = "Queued: {queued, message_id}")))]
async fn test_email(Ctx(ref app): Ctx, Json(body): Json<TestEmailRequest>) -> Reply {
    let to = parse_email(&body.to).map_err(|e| Error::bad_field("to", e.to_string()))?;
    let job = SendJob::TestEmail {
        to,
        subject: body.subject.unwrap_or_else(|| "Pulse test email".to_string()),
        text: body.text.unwrap_or_else(|| "This is a test email from Pulse: the sender identity and the send queue work.".to_string()),
        html: None,
    };
    let message_id = app.aws.enqueue(&job).await?;
    tracing::info!(message_id, "test email queued");
    Ok(web::json(202, &serde_json::json!({ "queued": true, "message_id": message_id })))
}

#[cfg(test)]
mod tests;
