//! `submit-response`: the public respondent routes — the survey page
//! (`GET /s/{token}`), the submission (`POST /s/{token}`) and the unsubscribe
//! page and one-click POST (`/unsubscribe/{token}`).
//!
//! Survey links and unsubscribe links are minted by projects and
//! distributions (their issues); until a link exists every token gets the
//! friendly not-found page, which never says whether a token exists.

use lambda_http::{Body, Request, Response};
use pulse_shared::{http as web, render, App, Error};
use tracing::Instrument;

/// The Lambda handler.
pub async fn handle(app: &App, req: Request) -> Result<Response<Body>, lambda_http::Error> {
    let request_id = web::request_id(&req);
    let span = tracing::info_span!("submit-response", request_id = %request_id, method = %req.method());
    let result = route(app, &req).instrument(span).await;
    Ok(result.unwrap_or_else(|e| web::error_response(&e, &request_id)))
}

async fn route(_app: &App, req: &Request) -> Result<Response<Body>, Error> {
    // Every public route is bounded: a body over the limit is refused first.
    web::body_bytes(req)?;
    let token = web::path_param(req, "token").unwrap_or_default();
    tracing::info!(token_len = token.len(), "link requested");
    Ok(web::html(404, render::link_not_found_page()))
}
