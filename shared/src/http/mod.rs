//! Request/response helpers for the HTTP functions, and the one place an
//! [`Error`] becomes an HTTP response.

use lambda_http::{Body, Request, RequestExt, Response};
use serde::{de::DeserializeOwned, Serialize};

use crate::domain::mail::mask_addresses;
use crate::Error;

/// Bodies larger than this are refused with 413 on every route.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The id of this invocation: the Lambda request id (it stands in every log
/// line of the invocation and in every error body).
pub fn request_id(req: &Request) -> String {
    req.lambda_context_ref().map(|c| c.request_id.clone()).filter(|id| !id.is_empty()).unwrap_or_else(|| "unknown".to_string())
}

/// A JSON response.
pub fn json<T: Serialize>(status: u16, value: &T) -> Response<Body> {
    match serde_json::to_string(value) {
        Ok(text) => Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Body::Text(text))
            .unwrap_or_else(|_| Response::new(Body::Empty)),
        Err(e) => {
            tracing::error!(error = %e, "response could not be serialised");
            let mut r = Response::new(Body::Text(r#"{"error":"internal","message":"internal error"}"#.into()));
            *r.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
            r
        }
    }
}

/// The Content-Security-Policy of the public pages: no script at all,
/// styles only inline (the pages carry their own), images (the project's
/// logo, which Pulse serves at `/logo/…`) from the page's own origin only,
/// forms posted back to Pulse only, and no framing.
pub const PUBLIC_CSP: &str =
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// An HTML response of the public routes: the strict Content-Security-Policy
/// ([`PUBLIC_CSP`]), no MIME sniffing, no referrer, and never cached (the
/// pages may carry a respondent's answers or address).
pub fn html(status: u16, page: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        .header("content-security-policy", PUBLIC_CSP)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-store")
        .body(Body::Text(page))
        .unwrap_or_else(|_| Response::new(Body::Empty))
}

/// `response` (a public page) frameable by exactly the checked `origins`
/// (`domain::embed`): its Content-Security-Policy's `frame-ancestors 'none'`
/// names them instead; the rest of the policy stays. No origins: unchanged.
pub fn frameable_by(mut response: Response<Body>, origins: &[String]) -> Response<Body> {
    if origins.is_empty() {
        return response;
    }
    let none = crate::domain::embed::frame_ancestors(&[]);
    let policy = response.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(policy) = policy.filter(|p| p.contains(&none)) {
        let allowed = policy.replace(&none, &crate::domain::embed::frame_ancestors(origins));
        if let Ok(value) = http::HeaderValue::from_str(&allowed) {
            response.headers_mut().insert("content-security-policy", value);
        }
    }
    response
}

/// Pages smaller than this go out as they are (compressing them saves less
/// than the header costs).
const COMPRESS_FROM_BYTES: usize = 1024;

/// Whether an `Accept-Encoding` value takes gzip (a `q=0` refuses it).
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        let coding = pieces.next().unwrap_or_default();
        let refused = pieces.any(|p| p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0));
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

/// An HTML response gzip-compressed when the browser takes gzip and the
/// page is worth it (`Content-Encoding`, `Vary`); anything else unchanged.
pub fn compressed(accept_encoding: &str, response: Response<Body>) -> Response<Body> {
    use std::io::Write;
    let html = response.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let big = matches!(response.body(), Body::Text(t) if t.len() >= COMPRESS_FROM_BYTES);
    if !html || !big || !accepts_gzip(accept_encoding) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Body::Text(text) = body else { return Response::from_parts(parts, body) };
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(text.len() / 3), flate2::Compression::default());
    match encoder.write_all(text.as_bytes()).and_then(|()| encoder.finish()) {
        Ok(gzipped) => {
            parts.headers.insert("content-encoding", http::HeaderValue::from_static("gzip"));
            parts.headers.insert("vary", http::HeaderValue::from_static("accept-encoding"));
            parts.headers.remove("content-length");
            Response::from_parts(parts, Body::Binary(gzipped))
        }
        // a page that cannot be compressed goes out as it is
        Err(_) => Response::from_parts(parts, Body::Text(text)),
    }
}

/// Maps an error to its status and `{error, message, request_id}` body.
/// Internal details are logged with the request id, never sent.
pub fn error_response(err: &Error, request_id: &str) -> Response<Body> {
    let status = match err {
        Error::BadRequest { .. } => 400,
        Error::NotFound { .. } => 404,
        Error::Conflict(_) => 409,
        Error::MethodNotAllowed { .. } => 405,
        Error::PayloadTooLarge { .. } => 413,
        // SES's own words help the operator (an unverified sender, a quota)
        Error::MailRefused { .. } => 502,
        Error::Aws { .. } if err.is_throttled() => 503,
        Error::Config(_) | Error::Aws { .. } | Error::Corrupt { .. } => 500,
    };
    let message = if status == 500 {
        let source = std::error::Error::source(err).map(|s| mask_addresses(&format!("{s:?}")));
        tracing::error!(request_id, error = %mask_addresses(&err.to_string()), source, "request failed");
        "internal error; quote the request id when reporting it".to_string()
    } else if status == 503 {
        let source = std::error::Error::source(err).map(|s| mask_addresses(&format!("{s:?}")));
        tracing::warn!(request_id, error = %mask_addresses(&err.to_string()), source, "throttled after the retries");
        format!("busy: more requests arrive than the tables take at this moment; try again in {BUSY_RETRY_SECONDS} seconds")
    } else {
        tracing::info!(request_id, error = %mask_addresses(&err.to_string()), "request refused");
        err.to_string()
    };
    let mut body = serde_json::json!({
        "error": err.code(),
        "message": message,
        "request_id": request_id,
    });
    if let Error::BadRequest { field: Some(field), .. } = err {
        body["field"] = serde_json::Value::String(field.clone());
    }
    let mut response = json(status, &body);
    if status == 503 {
        response.headers_mut().insert("retry-after", http::HeaderValue::from(BUSY_RETRY_SECONDS));
    }
    response
}

/// How long a caller refused for throttling is asked to wait.
pub const BUSY_RETRY_SECONDS: u64 = 5;

/// The request body as bytes, refusing bodies over [`MAX_BODY_BYTES`].
pub fn body_bytes(req: &Request) -> Result<&[u8], Error> {
    let bytes: &[u8] = req.body().as_ref();
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Error::PayloadTooLarge { size: bytes.len(), limit: MAX_BODY_BYTES });
    }
    Ok(bytes)
}

/// Parses a JSON body into `T`; a failure names the field (its JSON path)
/// and what was wrong with it.
pub fn json_body<T: DeserializeOwned>(req: &Request) -> Result<T, Error> {
    parse_json(body_bytes(req)?)
}

/// Parses JSON bytes into `T`, naming the failing field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.is_empty() {
        return Err(Error::bad_request("the request body is empty; a JSON object is expected"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::bad_request(format!("the request body is not valid UTF-8 (byte {})", e.valid_up_to())))?;
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            Error::bad_request(format!("the request body is not valid JSON: {inner}"))
        } else if path == "." {
            Error::bad_request(format!("the request body does not match: {inner}"))
        } else {
            Error::bad_field(path.clone(), format!("field `{path}`: {inner}"))
        }
    })
}

/// A path parameter filled by API Gateway from the route template.
pub fn path_param(req: &Request, name: &str) -> Option<String> {
    req.path_parameters_ref().and_then(|p| p.first(name)).map(str::to_string)
}

#[cfg(test)]
mod tests {

    #[test]
    fn pages_are_gzipped_only_for_browsers_that_take_it() {
        assert!(accepts_gzip("gzip, deflate, br") && accepts_gzip("br;q=1.0, gzip;q=0.8") && accepts_gzip("*"));
        assert!(!accepts_gzip("br") && !accepts_gzip("gzip;q=0") && !accepts_gzip(""));
        let page = "<p>Hallo</p>".repeat(200);
        let res = compressed("gzip", html(200, page.clone()));
        assert_eq!(res.headers()["content-encoding"], "gzip");
        let lambda_http::Body::Binary(bytes) = res.body() else { panic!("a gzipped body") };
        assert!(bytes.len() < page.len() / 5);
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut back).unwrap();
        assert_eq!(back, page);
        assert!(compressed("br", html(200, page.clone())).headers().get("content-encoding").is_none());
        assert!(compressed("gzip", html(200, "<p>short</p>".into())).headers().get("content-encoding").is_none(), "not worth it");
        assert!(compressed("gzip", json(200, &page)).headers().get("content-encoding").is_none(), "only pages");
    }
    use super::*;
    use serde::Deserialize;

    #[test]
    fn a_page_is_frameable_by_exactly_the_listed_origins() {
        let csp = |r: &Response<lambda_http::Body>| r.headers()["content-security-policy"].to_str().unwrap().to_string();
        let origins = ["https://www.example.com".to_string(), "https://shop.example.com".to_string()];
        let framed = csp(&frameable_by(html(200, "<p>x</p>".into()), &origins));
        assert_eq!(
            framed,
            PUBLIC_CSP.replace("frame-ancestors 'none'", "frame-ancestors https://www.example.com https://shop.example.com")
        );
        assert_eq!(csp(&frameable_by(html(200, "<p>x</p>".into()), &[])), PUBLIC_CSP, "no origins: nothing may frame it");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        to: String,
        settings: Settings,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Settings {
        every: u32,
    }

    fn field_of(r: Result<Body, Error>) -> Option<String> {
        match r {
            Err(Error::BadRequest { field, .. }) => field,
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn names_the_nested_field_of_a_wrong_type() {
        let r = parse_json::<Body>(br#"{"to":"a@example.com","settings":{"every":"ten"}}"#);
        assert_eq!(field_of(r).as_deref(), Some("settings.every"));
    }

    #[test]
    fn names_a_missing_field() {
        let r = parse_json::<Body>(br#"{"settings":{"every":3}}"#);
        match r {
            Err(Error::BadRequest { message, .. }) => assert!(message.contains("missing field `to`"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_and_empty_bodies_are_bad_requests() {
        assert!(matches!(parse_json::<Body>(b"{\"to\":"), Err(Error::BadRequest { .. })));
        assert!(matches!(parse_json::<Body>(b""), Err(Error::BadRequest { .. })));
        assert!(matches!(parse_json::<Body>(&[0xff, 0xfe]), Err(Error::BadRequest { .. })));
    }

    #[test]
    fn errors_map_to_status_and_carry_the_request_id() {
        let r = error_response(&Error::bad_field("to", "bad"), "req-1");
        assert_eq!(r.status(), 400);
        let body: serde_json::Value = serde_json::from_slice(r.body().as_ref()).unwrap();
        assert_eq!(body["request_id"], "req-1");
        assert_eq!(body["field"], "to");
        let internal = Error::Aws { operation: "GetItem", source: "boom".into() };
        let r = error_response(&internal, "req-2");
        assert_eq!(r.status(), 500);
        let body: serde_json::Value = serde_json::from_slice(r.body().as_ref()).unwrap();
        assert!(!body["message"].as_str().unwrap().contains("boom"));
    }
}
