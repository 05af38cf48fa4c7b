//! The operators' console under `/console`: Cognito sign-in and the pages a
//! CX team runs a pulse with.
//!
//! - **Session**: the ID, access and refresh tokens live in `HttpOnly;
//!   Secure; SameSite=Strict` cookies scoped to `/console`. Every request's
//!   ID token is checked against the pool's keys, issuer, client, use and
//!   expiry ([`pulse_shared::store::users::Operators::verify`]); an expired
//!   one is refreshed with the refresh token; anything else sends the user
//!   to the sign-in page and back to the page asked for afterwards.
//! - **CSRF**: every form that changes something carries the session's
//!   token ([`session::csrf_token`]); a POST without it is refused with 403.
//! - **Pages**: [`projects`] (list, project page, links, preview),
//!   [`setup`] (the guided setup), [`insights`] (dashboard, responses),
//!   [`admin`] (budgets and plans, users), [`help`] (help and status: the
//!   first pulse's checklist, the stack's status, the data and security
//!   document, the support bundle).
//! - **One code path for every change**: pages call the admin API's own
//!   router in-process ([`crate::call`]) as the signed-in user's role, so
//!   validation, field-named errors and the role of every operation are the
//!   API's; a viewer's publish is the API's 403.

mod admin;
mod b2b;
mod compose;
mod contacts;
mod help;
mod insights;
mod projects;
mod sends;
mod setup;
mod sftp;
mod uploads;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::{header, Method};
use lambda_http::{Body, Request, Response};
use pulse_shared::domain::access::Role;
use pulse_shared::domain::i18n::{t, Lang};
use pulse_shared::domain::session::{self, Identity, TokenProblem};
use pulse_shared::render::console::{self as view, Chrome, Section};
use pulse_shared::render::keys;
use pulse_shared::store::users::{AuthError, SignIn, Tokens};
use pulse_shared::App;
use serde_json::{json, Value};

const ID_COOKIE: &str = "pulse_id";
const ACCESS_COOKIE: &str = "pulse_access";
const REFRESH_COOKIE: &str = "pulse_refresh";
const LANG_COOKIE: &str = "pulse_lang";
/// How long the session cookies live: the app client's refresh-token validity.
pub(super) const SESSION_SECONDS: u64 = 12 * 3600;

/// A request's cookies by name.
fn cookies(req: &Request) -> BTreeMap<String, String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

fn set_cookie(name: &str, value: &str, max_age: u64) -> String {
    format!("{name}={value}; Path=/console; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict")
}

fn session_cookies(tokens: &Tokens, refresh: &str) -> Vec<String> {
    vec![
        set_cookie(ID_COOKIE, &tokens.id, SESSION_SECONDS),
        set_cookie(ACCESS_COOKIE, &tokens.access, SESSION_SECONDS),
        set_cookie(REFRESH_COOKIE, refresh, SESSION_SECONDS),
    ]
}

fn cleared_cookies() -> Vec<String> {
    [ID_COOKIE, ACCESS_COOKIE, REFRESH_COOKIE].iter().map(|n| set_cookie(n, "", 0)).collect()
}

/// The page language: the user's choice (cookie), then the browser's.
fn language(req: &Request, cookies: &BTreeMap<String, String>) -> Lang {
    if let Some(l) = cookies.get(LANG_COOKIE).and_then(|c| Lang::parse(c)) {
        return l;
    }
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    accept
        .split(',')
        .filter_map(|part| part.split(';').next())
        .filter_map(|tag| Lang::parse(tag.trim().split('-').next().unwrap_or_default()))
        .next()
        .unwrap_or(Lang::En)
}

/// The pages' content security policy: nothing from elsewhere, scripts
/// only from the console itself, forms only to it.
pub(super) const CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'";

/// The pages' policy, also allowing forms and requests to `origin` (S3 for
/// an upload). The directives are widened in place: a browser takes the
/// first of two directives of one name and ignores the second.
pub(super) fn csp_allowing(origin: &str) -> String {
    let origin: String = origin.chars().filter(|c| !c.is_whitespace() && *c != ';' && *c != ',').collect();
    CSP.replace("connect-src 'self'", &format!("connect-src 'self' {origin}"))
        .replace("form-action 'self'", &format!("form-action 'self' {origin}"))
}

pub(super) fn html_response(status: u16, body: String, cookies: Vec<String>) -> Response<Body> {
    html_response_with(status, body, cookies, CSP)
}

/// A page with its own content security policy ([`csp_allowing`]).
pub(super) fn html_response_with(status: u16, body: String, cookies: Vec<String>, csp: &str) -> Response<Body> {
    let mut b = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "same-origin")
        .header("content-security-policy", csp);
    for c in cookies {
        b = b.header(header::SET_COOKIE, c);
    }
    b.body(Body::Text(body)).unwrap_or_default()
}

pub(super) fn see_other(location: &str, cookies: Vec<String>) -> Response<Body> {
    let mut b = Response::builder().status(303).header(header::LOCATION, location).header(header::CACHE_CONTROL, "no-store");
    for c in cookies {
        b = b.header(header::SET_COOKIE, c);
    }
    b.body(Body::Empty).unwrap_or_default()
}

/// The fields of a form body.
pub(super) fn form(req: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(req.body().as_ref()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

pub(super) fn first<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

pub(super) fn all<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

pub(super) fn query(req: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// The most bytes of a file a console form takes (the logo's limit is 1 MB;
/// a little more is read so the API can say the file is too large).
const MAX_UPLOAD: usize = 1024 * 1024 + 1;

/// The fields of a posted form, URL-encoded or multipart (then with its
/// file: content type and bytes, read up to [`MAX_UPLOAD`]).
async fn posted(req: Request) -> (Vec<(String, String)>, Option<(String, Vec<u8>)>) {
    use axum::extract::FromRequest;
    let multipart =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("multipart/form-data"));
    if !multipart {
        return (form(&req), None);
    }
    let (parts, body) = req.into_parts();
    let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(body.to_vec()));
    let Ok(mut m) = axum::extract::Multipart::from_request(req, &()).await else {
        return (vec![], None);
    };
    let mut fields = Vec::new();
    let mut file = None;
    while let Ok(Some(mut part)) = m.next_field().await {
        let name = part.name().unwrap_or_default().to_string();
        if part.file_name().is_some() {
            let content_type = part.content_type().unwrap_or("application/octet-stream").to_string();
            let mut bytes = Vec::new();
            while let Ok(Some(chunk)) = part.chunk().await {
                bytes.extend_from_slice(&chunk);
                if bytes.len() >= MAX_UPLOAD {
                    bytes.truncate(MAX_UPLOAD);
                    break;
                }
            }
            file = Some((content_type, bytes));
        } else if let Ok(value) = part.text().await {
            fields.push((name, value));
        }
    }
    (fields, file)
}

/// A signed-in user on one request.
struct Session {
    identity: Identity,
    access: String,
    csrf: String,
    /// Cookies to set (after a refresh).
    renewed: Vec<String>,
}

/// The session of the request's cookies, refreshed when its ID token has
/// expired; `None`: not signed in (or the token is refused).
async fn authenticate(app: &App, cookies: &BTreeMap<String, String>) -> Option<Session> {
    let users = &app.aws.users;
    let id = cookies.get(ID_COOKIE).filter(|v| !v.is_empty())?;
    let refresh = cookies.get(REFRESH_COOKIE).filter(|v| !v.is_empty())?;
    let access = cookies.get(ACCESS_COOKIE).cloned().unwrap_or_default();
    match users.verify(id).await {
        Ok(identity) => Some(Session { identity, access, csrf: session::csrf_token(refresh), renewed: vec![] }),
        Err(TokenProblem::Expired) => {
            let tokens = users.refresh(refresh).await.ok()?;
            let identity = users.verify(&tokens.id).await.ok()?;
            Some(Session {
                identity,
                access: tokens.access.clone(),
                csrf: session::csrf_token(refresh),
                renewed: session_cookies(&tokens, refresh),
            })
        }
        Err(problem) => {
            tracing::info!(problem = %pulse_shared::domain::mail::mask_addresses(&problem.to_string()), "console token refused");
            None
        }
    }
}

fn auth_message(lang: Lang, e: &AuthError) -> String {
    match e {
        AuthError::WrongCredentials => t(lang, keys::C_ERR_CREDENTIALS),
        AuthError::Disabled => t(lang, keys::C_ERR_DISABLED),
        AuthError::WeakPassword(_) => t(lang, keys::C_ERR_WEAK_PASSWORD),
        AuthError::WrongCode => t(lang, keys::C_ERR_CODE),
        AuthError::ExpiredCode => t(lang, keys::C_ERR_CODE_EXPIRED),
        AuthError::TooManyAttempts => t(lang, keys::C_ERR_TOO_MANY),
        AuthError::ResetRequired => t(lang, keys::C_ERR_RESET_REQUIRED),
        AuthError::SessionExpired => t(lang, keys::C_ERR_SIGN_IN_EXPIRED),
        AuthError::Other(err) => {
            tracing::error!(error = %pulse_shared::domain::mail::mask_addresses(&pulse_shared::error::chain(err)), "sign-in failed");
            t(lang, keys::C_ERR_UNAVAILABLE)
        }
    }
}

/// After a completed sign-in step: signed in (cookies, back to `next`), or the next step's page.
fn signed_in_step(lang: Lang, next: &str, email: &str, step: SignIn) -> Response<Body> {
    match step {
        SignIn::Done(tokens) => {
            let refresh = tokens.refresh.clone().unwrap_or_default();
            see_other(session::safe_return(Some(next)), session_cookies(&tokens, &refresh))
        }
        SignIn::NewPassword { session } => html_response(200, view::new_password(lang, next, email, &session, None), vec![]),
        SignIn::Totp { session } => html_response(200, view::totp(lang, next, email, &session, None), vec![]),
    }
}

/// Every `/console` request.
pub async fn handle(app: &Arc<App>, req: Request, request_id: &str) -> Response<Body> {
    let jar = cookies(&req);
    let lang = language(&req, &jar);
    let path = req.uri().path().trim_end_matches('/').to_string();
    let path = if path.is_empty() { "/console".to_string() } else { path };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).skip(1).collect();
    let method = req.method().clone();
    let q = query(&req);

    // pages without a session
    match (&method, segments.as_slice()) {
        (&Method::GET, ["sign-in"]) => {
            let notice = (first(&q, "signed_out") == "1").then(|| t(lang, keys::C_SIGNED_OUT));
            let expired = (first(&q, "expired") == "1").then(|| t(lang, keys::C_SESSION_EXPIRED));
            return html_response(200, view::sign_in(lang, first(&q, "next"), "", expired.as_deref(), notice.as_deref()), vec![]);
        }
        (&Method::POST, ["sign-in"]) => {
            let f = form(&req);
            let (email, next) = (first(&f, "email").trim(), first(&f, "next"));
            return match app.aws.users.sign_in(email, first(&f, "password")).await {
                Ok(step) => signed_in_step(lang, next, email, step),
                Err(e) => html_response(401, view::sign_in(lang, next, email, Some(&auth_message(lang, &e)), None), vec![]),
            };
        }
        (&Method::POST, ["sign-in", "new-password"]) => {
            let f = form(&req);
            let (email, next, s) = (first(&f, "email"), first(&f, "next"), first(&f, "session"));
            if first(&f, "password") != first(&f, "password2") {
                return html_response(400, view::new_password(lang, next, email, s, Some(&t(lang, keys::C_ERR_PASSWORDS_DIFFER))), vec![]);
            }
            return match app.aws.users.new_password(email, s, first(&f, "password")).await {
                Ok(step) => signed_in_step(lang, next, email, step),
                Err(AuthError::SessionExpired) => {
                    html_response(401, view::sign_in(lang, next, email, Some(&t(lang, keys::C_ERR_SIGN_IN_EXPIRED)), None), vec![])
                }
                Err(e) => html_response(400, view::new_password(lang, next, email, s, Some(&auth_message(lang, &e))), vec![]),
            };
        }
        (&Method::POST, ["sign-in", "code"]) => {
            let f = form(&req);
            let (email, next, s) = (first(&f, "email"), first(&f, "next"), first(&f, "session"));
            return match app.aws.users.totp(email, s, first(&f, "code").trim()).await {
                Ok(step) => signed_in_step(lang, next, email, step),
                Err(e) => html_response(400, view::totp(lang, next, email, s, Some(&auth_message(lang, &e))), vec![]),
            };
        }
        (&Method::GET, ["uploaded"]) => return uploads::bounce(lang, first(&q, "to")),
        (&Method::GET, ["console.js"]) => return uploads::script(),
        (&Method::GET, ["forgot-password"]) => return html_response(200, view::forgot(lang, first(&q, "email"), false, None), vec![]),
        (&Method::POST, ["forgot-password"]) => {
            let f = form(&req);
            let email = first(&f, "email").trim();
            return match app.aws.users.forgot_password(email).await {
                Ok(()) => html_response(200, view::forgot(lang, email, true, None), vec![]),
                Err(e) => html_response(400, view::forgot(lang, email, false, Some(&auth_message(lang, &e))), vec![]),
            };
        }
        (&Method::POST, ["reset-password"]) => {
            let f = form(&req);
            let email = first(&f, "email");
            if first(&f, "password") != first(&f, "password2") {
                return html_response(400, view::forgot(lang, email, true, Some(&t(lang, keys::C_ERR_PASSWORDS_DIFFER))), vec![]);
            }
            return match app.aws.users.reset_password(email, first(&f, "code").trim(), first(&f, "password")).await {
                Ok(()) => html_response(200, view::sign_in(lang, "", email, None, Some(&t(lang, keys::C_PASSWORD_CHANGED))), vec![]),
                Err(e) => html_response(400, view::forgot(lang, email, true, Some(&auth_message(lang, &e))), vec![]),
            };
        }
        (&Method::POST, ["language"]) => {
            // a preference, not a change to anything stored: no session needed
            let f = form(&req);
            let chosen = Lang::parse(first(&f, "lang")).unwrap_or(lang);
            let back = session::safe_return(Some(first(&f, "back")));
            return see_other(
                back,
                vec![format!("{LANG_COOKIE}={}; Path=/console; Max-Age=31536000; HttpOnly; Secure; SameSite=Strict", chosen.code())],
            );
        }
        _ => {}
    }

    let Some(s) = authenticate(app, &jar).await else {
        let target = match req.uri().query() {
            Some(query) if method == Method::GET => format!("{path}?{query}"),
            _ if method == Method::GET => path.clone(),
            _ => "/console".to_string(),
        };
        let expired = if jar.contains_key(ID_COOKIE) { "&expired=1" } else { "" };
        return see_other(&format!("/console/sign-in?next={}{expired}", view::urlencode(&target)), cleared_cookies());
    };
    let (fields, upload) = if method == Method::POST { posted(req).await } else { (vec![], None) };
    let chrome = Chrome { lang, email: &s.identity.email, role: s.identity.role, csrf: &s.csrf, path: &path, section: Section::Projects };
    if method == Method::POST
        && !session::csrf_matches(first(&fields, "csrf"), jar.get(REFRESH_COOKIE).map(String::as_str).unwrap_or_default())
    {
        tracing::info!(request_id, "console POST without a valid CSRF token refused");
        return html_response(403, view::problem(&chrome, 403, &t(lang, keys::C_ERR_CSRF), request_id), s.renewed);
    }
    let Some(role) = s.identity.role else {
        return html_response(403, view::problem(&chrome, 403, &t(lang, keys::C_ERR_NO_ROLE), request_id), s.renewed);
    };
    let ctx = Page { app, role, chrome, request_id, query: &q, fields: &fields, access: &s.access, upload };
    let mut response = route(&ctx, &method, &segments).await.unwrap_or_else(|failure| failure.page(&ctx));
    for c in s.renewed {
        if let Ok(v) = header::HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// What a page handler works with.
pub(super) struct Page<'a> {
    pub(super) app: &'a Arc<App>,
    pub(super) role: Role,
    pub(super) chrome: Chrome<'a>,
    pub(super) request_id: &'a str,
    pub(super) query: &'a [(String, String)],
    pub(super) fields: &'a [(String, String)],
    pub(super) access: &'a str,
    /// The file of a multipart form (content type, bytes), if one was sent.
    pub(super) upload: Option<(String, Vec<u8>)>,
}

impl Page<'_> {
    pub(super) fn lang(&self) -> Lang {
        self.chrome.lang
    }

    pub(super) fn in_section(&self, section: Section) -> Chrome<'_> {
        Chrome { section, ..self.chrome.clone() }
    }

    /// The admin API as the signed-in user's role.
    pub(super) async fn api(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, Failure> {
        let (status, value) = crate::call(self.app, self.role, self.request_id, method, path, body).await;
        if status >= 400 {
            return Err(Failure::Api { status, body: value });
        }
        Ok(value)
    }
}

/// Why a page could not be shown.
pub(super) enum Failure {
    /// The API refused (its status and error body).
    Api {
        status: u16,
        body: Value,
    },
    NotFound,
}

impl Failure {
    pub(super) fn page(self, p: &Page) -> Response<Body> {
        let (status, message) = match self {
            Failure::Api { status: 403, .. } => (403, t(p.lang(), keys::C_ERR_FORBIDDEN)),
            Failure::Api { status, body } => (status, body["message"].as_str().unwrap_or_default().to_string()),
            Failure::NotFound => (404, t(p.lang(), keys::C_NOT_FOUND_TITLE)),
        };
        html_response(status, view::problem(&p.chrome, status, &message, p.request_id), vec![])
    }
}

pub(super) type PageResult = Result<Response<Body>, Failure>;

async fn route(p: &Page<'_>, method: &Method, segments: &[&str]) -> PageResult {
    match (method, segments) {
        (&Method::GET, []) => projects::projects(p).await,
        (&Method::POST, ["sign-out"]) => {
            if let Err(e) = p.app.aws.users.sign_out(p.access).await {
                tracing::info!(error = %pulse_shared::domain::mail::mask_addresses(&e.to_string()), "global sign-out failed; the cookies are cleared anyway");
            }
            Ok(see_other("/console/sign-in?signed_out=1", cleared_cookies()))
        }
        (&Method::GET, ["projects", "new"]) => Ok(setup::new_page(p, &json!({}), "quick_check_in", &[], 200)),
        (&Method::POST, ["projects", "new"]) => setup::create(p).await,
        (&Method::GET, ["projects", id, "setup", step]) => {
            setup::step_page(p, id, setup::Step::parse(step).ok_or(Failure::NotFound)?).await
        }
        (&Method::POST, ["projects", id, "setup", step]) => {
            setup::save(p, id, setup::Step::parse(step).ok_or(Failure::NotFound)?, p.upload.clone()).await
        }
        (&Method::GET, ["projects", id]) => projects::project(p, id).await,
        (&Method::POST, ["projects", id, "publish"]) => {
            p.api(Method::POST, &format!("/admin/projects/{id}/publish"), None).await?;
            Ok(see_other(&format!("/console/projects/{id}?published=1"), vec![]))
        }
        (&Method::POST, ["projects", id, action @ ("close" | "reopen")]) => {
            p.api(Method::POST, &format!("/admin/projects/{id}/{action}"), None).await?;
            Ok(see_other(&format!("/console/projects/{id}"), vec![]))
        }
        (&Method::POST, ["projects", id, "rotate"]) => {
            p.api(Method::POST, &format!("/admin/projects/{id}/anonymous-link"), None).await?;
            Ok(see_other(&format!("/console/projects/{id}?rotated=1"), vec![]))
        }
        (&Method::POST, ["projects", id, "link-days"]) => projects::link_days(p, id).await,
        (&Method::POST, ["projects", id, "embed"]) => projects::embed_origins(p, id).await,
        (&Method::POST, ["projects", id, "delete"]) => projects::delete(p, id).await,
        (&Method::GET, ["projects", id, "sends"]) => sends::sends(p, id).await,
        (&Method::GET, ["projects", id, "sends", "new"]) => compose::new_page(p, id).await,
        (&Method::POST, ["projects", id, "sends", "new"]) => compose::post(p, id).await,
        (&Method::POST, ["projects", id, "sends", "triggers", "remove"]) => compose::remove_trigger(p, id).await,
        (&Method::GET, ["projects", id, "sends", dist]) => sends::send(p, id, dist).await,
        (&Method::POST, ["projects", id, "sends", dist, "cancel"]) => {
            p.api(Method::POST, &format!("/admin/projects/{id}/distributions/{dist}/cancel"), None).await?;
            Ok(see_other(&format!("/console/projects/{id}/sends/{dist}"), vec![]))
        }
        (&Method::GET, ["projects", id, "contacts"]) => contacts::contacts(p, id).await,
        (&Method::GET, ["projects", id, "accounts"]) => b2b::accounts(p, id).await,
        (&Method::POST, ["projects", id, "accounts", "send"]) => b2b::send(p, id).await,
        (&Method::GET, ["projects", id, "accounts", "sync"]) => b2b::sync_page(p, id).await,
        (&Method::POST, ["projects", id, "accounts", "sync"]) => b2b::save_sync(p, id).await,
        (&Method::GET, ["projects", id, "accounts", "sftp"]) => sftp::page_of(p, id).await,
        (&Method::POST, ["projects", id, "accounts", "sftp"]) => sftp::add(p, id).await,
        (&Method::POST, ["projects", id, "accounts", "sftp", key, "remove"]) => sftp::remove(p, id, key).await,
        (&Method::POST, ["projects", id, "accounts", "sync", "secret"]) => b2b::save_secret(p, id).await,
        (&Method::POST, ["projects", id, "accounts", "sync", "run"]) => b2b::run_now(p, id).await,
        (&Method::GET, ["projects", id, "accounts", account]) => b2b::account(p, id, account).await,
        (&Method::GET, ["projects", id, "uploads"]) => uploads::uploads(p, id).await,
        (&Method::POST, ["projects", id, "uploads"]) => uploads::create(p, id).await,
        (&Method::GET, ["projects", id, "uploads", "sample"]) => uploads::sample(p, id).await,
        (&Method::GET, ["projects", id, "uploads", upload]) => uploads::upload(p, id, upload).await,
        (&Method::POST, ["projects", id, "contacts", "find"]) => contacts::find(p, id).await,
        (&Method::POST, ["projects", id, "contacts", "erase"]) => contacts::erase(p, id).await,
        (&Method::GET, ["projects", id, "lists", list]) => contacts::members(p, id, list).await,
        (&Method::GET, ["projects", id, "jobs", job]) => contacts::job(p, id, job).await,
        (&Method::GET, ["projects", id, "suppressions"]) => contacts::suppressions(p, id).await,
        (&Method::POST, ["projects", id, "suppressions"]) => contacts::suppress(p, id).await,
        (&Method::POST, ["projects", id, "suppressions", "lift"]) => contacts::lift(p, id).await,
        (&Method::GET, ["projects", id, "reports", report, "shares"]) => insights::shares(p, id, report).await,
        (&Method::POST, ["projects", id, "reports", report, "shares", link, "revoke"]) => {
            p.api(Method::DELETE, &format!("/admin/projects/{id}/reports/{report}/shares/{link}"), None).await?;
            Ok(see_other(&format!("/console/projects/{id}/reports/{report}/shares?revoked=1"), vec![]))
        }
        (&Method::POST, ["projects", id, "reports", report, "delete"]) => {
            p.api(Method::DELETE, &format!("/admin/projects/{id}/reports/{report}"), None).await?;
            Ok(see_other(&format!("/console/projects/{id}/dashboard?report_deleted=1"), vec![]))
        }
        (&Method::GET, ["projects", id, "dashboard"]) => insights::dashboard(p, id).await,
        (&Method::POST, ["projects", id, "dashboard"]) => insights::make_report(p, id).await,
        (&Method::POST, ["projects", id, "reports", report, "share"]) => insights::share_report(p, id, report).await,
        (&Method::GET, ["projects", id, "dashboard", "frame"]) => insights::dashboard_frame(p, id).await,
        (&Method::GET, ["projects", id, "responses"]) => insights::responses(p, id).await,
        (&Method::GET, ["projects", id, "responses.csv"]) => insights::export(p, id).await,
        (&Method::GET, ["projects", id, "responses", response]) => insights::response(p, id, response).await,
        (&Method::POST, ["projects", id, "links"]) => projects::mint_link(p, id).await,
        (&Method::GET, ["projects", id, "preview"]) => projects::preview(p, id).await,
        (&Method::GET | &Method::POST, ["projects", id, "preview", "frame"]) => {
            projects::preview_frame(p, id, method == Method::POST).await
        }
        (&Method::GET, ["projects", id, "qr.svg"]) => {
            let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
            let link = project["anonymous_link"].as_str().unwrap_or_default();
            Ok(Response::builder()
                .status(200)
                .header(header::CONTENT_TYPE, "image/svg+xml")
                .header(header::CONTENT_DISPOSITION, "attachment; filename=\"pulse-survey-qr.svg\"")
                .body(Body::Text(projects::qr_svg(link)))
                .unwrap_or_default())
        }
        (&Method::GET, ["budgets"]) => admin::budgets(p).await,
        (&Method::POST, ["budgets", id, "plan"]) => {
            p.api(Method::PUT, &format!("/admin/accounts/{id}/plan"), Some(json!({ "plan": first(p.fields, "plan") }))).await?;
            Ok(see_other("/console/budgets", vec![]))
        }
        (&Method::POST, ["budgets", id, "reserve"]) => {
            // a number the API checks against the budget (a 400 names the field)
            let reserve = first(p.fields, "invitation_reserve").trim().parse::<i64>().unwrap_or(-1);
            p.api(Method::PUT, &format!("/admin/accounts/{id}/reserve"), Some(json!({ "invitation_reserve": reserve }))).await?;
            Ok(see_other("/console/budgets", vec![]))
        }
        (&Method::GET, ["help"]) => help::checklist(p).await,
        (&Method::GET, ["help", "status"]) => help::status(p).await,
        (&Method::GET, ["help", "data"]) => help::data(p).await,
        (&Method::GET, ["help", "support-bundle.json"]) => help::bundle(p).await,
        (&Method::GET, ["users"]) => admin::users(p, None).await,
        (&Method::POST, ["users"]) => admin::invite(p).await,
        (&Method::POST, ["users", username, action]) => admin::user_action(p, username, action).await,
        _ => Err(Failure::NotFound),
    }
}
