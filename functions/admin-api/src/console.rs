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
//! - **One code path for every change**: pages call the admin API's own
//!   router in-process ([`crate::call`]) as the signed-in user's role, so
//!   validation, field-named errors and the role of every operation are the
//!   API's; a viewer's publish is the API's 403.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::{header, Method};
use lambda_http::{Body, Request, Response};
use maud::{html, Markup, PreEscaped};
use pulse_shared::domain::access::Role;
use pulse_shared::domain::i18n::{t, t_args, Lang};
use pulse_shared::domain::session::{self, Identity, TokenProblem};
use pulse_shared::render::console::{self as view, csrf_field, field, page, Chrome, Section};
use pulse_shared::render::keys;
use pulse_shared::store::users::{AuthError, SignIn, Tokens};
use pulse_shared::App;
use serde_json::{json, Value};

const ID_COOKIE: &str = "pulse_id";
const ACCESS_COOKIE: &str = "pulse_access";
const REFRESH_COOKIE: &str = "pulse_refresh";
const LANG_COOKIE: &str = "pulse_lang";
/// How long the session cookies live: the app client's refresh-token validity.
const SESSION_SECONDS: u64 = 12 * 3600;

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

fn html_response(status: u16, body: String, cookies: Vec<String>) -> Response<Body> {
    let mut b = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "same-origin")
        .header(
            "content-security-policy",
            "default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'",
        );
    for c in cookies {
        b = b.header(header::SET_COOKIE, c);
    }
    b.body(Body::Text(body)).unwrap_or_default()
}

fn see_other(location: &str, cookies: Vec<String>) -> Response<Body> {
    let mut b = Response::builder().status(303).header(header::LOCATION, location).header(header::CACHE_CONTROL, "no-store");
    for c in cookies {
        b = b.header(header::SET_COOKIE, c);
    }
    b.body(Body::Empty).unwrap_or_default()
}

/// The fields of a form body.
fn form(req: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(req.body().as_ref()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn first<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

fn all<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

fn query(req: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
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
            tracing::info!(%problem, "console token refused");
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
            tracing::error!(error = %pulse_shared::error::chain(err), "sign-in failed");
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
    let fields = if method == Method::POST { form(&req) } else { vec![] };
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
    let ctx = Page { app, role, chrome, request_id, query: &q, fields: &fields, access: &s.access };
    let mut response = route(&ctx, &method, &segments).await.unwrap_or_else(|failure| failure.page(&ctx));
    for c in s.renewed {
        if let Ok(v) = header::HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// What a page handler works with.
struct Page<'a> {
    app: &'a Arc<App>,
    role: Role,
    chrome: Chrome<'a>,
    request_id: &'a str,
    query: &'a [(String, String)],
    fields: &'a [(String, String)],
    access: &'a str,
}

impl Page<'_> {
    fn lang(&self) -> Lang {
        self.chrome.lang
    }

    fn in_section(&self, section: Section) -> Chrome<'_> {
        Chrome { section, ..self.chrome.clone() }
    }

    /// The admin API as the signed-in user's role.
    async fn api(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, Failure> {
        let (status, value) = crate::call(self.app, self.role, self.request_id, method, path, body).await;
        if status >= 400 {
            return Err(Failure::Api { status, body: value });
        }
        Ok(value)
    }
}

/// Why a page could not be shown.
enum Failure {
    /// The API refused (its status and error body).
    Api {
        status: u16,
        body: Value,
    },
    NotFound,
}

impl Failure {
    fn page(self, p: &Page) -> Response<Body> {
        let (status, message) = match self {
            Failure::Api { status: 403, .. } => (403, t(p.lang(), keys::C_ERR_FORBIDDEN)),
            Failure::Api { status, body } => (status, body["message"].as_str().unwrap_or_default().to_string()),
            Failure::NotFound => (404, t(p.lang(), keys::C_NOT_FOUND_TITLE)),
        };
        html_response(status, view::problem(&p.chrome, status, &message, p.request_id), vec![])
    }
}

type PageResult = Result<Response<Body>, Failure>;

async fn route(p: &Page<'_>, method: &Method, segments: &[&str]) -> PageResult {
    match (method, segments) {
        (&Method::GET, []) => projects(p).await,
        (&Method::POST, ["sign-out"]) => {
            if let Err(e) = p.app.aws.users.sign_out(p.access).await {
                tracing::info!(error = %e, "global sign-out failed; the cookies are cleared anyway");
            }
            Ok(see_other("/console/sign-in?signed_out=1", cleared_cookies()))
        }
        (&Method::GET, ["projects", "new"]) => Ok(wizard_page(p, None, &Value::Null, &[], 200)),
        (&Method::POST, ["projects", "new"]) => create_project(p).await,
        (&Method::GET, ["projects", id]) => project(p, id).await,
        (&Method::POST, ["projects", id, "publish"]) => {
            p.api(Method::POST, &format!("/admin/projects/{id}/publish"), None).await?;
            Ok(see_other(&format!("/console/projects/{id}?published=1"), vec![]))
        }
        (&Method::GET, ["projects", id, "preview"]) => preview(p, id).await,
        (&Method::GET | &Method::POST, ["projects", id, "preview", "frame"]) => preview_frame(p, id, method == Method::POST).await,
        (&Method::GET, ["projects", id, "qr.svg"]) => {
            let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
            let link = project["anonymous_link"].as_str().unwrap_or_default();
            Ok(Response::builder()
                .status(200)
                .header(header::CONTENT_TYPE, "image/svg+xml")
                .header(header::CONTENT_DISPOSITION, "attachment; filename=\"pulse-survey-qr.svg\"")
                .body(Body::Text(qr_svg(link)))
                .unwrap_or_default())
        }
        (&Method::GET, ["budgets"]) => budgets(p).await,
        (&Method::POST, ["budgets", id, "plan"]) => {
            p.api(Method::PUT, &format!("/admin/accounts/{id}/plan"), Some(json!({ "plan": first(p.fields, "plan") }))).await?;
            Ok(see_other("/console/budgets", vec![]))
        }
        (&Method::GET, ["users"]) => users(p, None).await,
        (&Method::POST, ["users"]) => invite(p).await,
        (&Method::POST, ["users", username, action]) => user_action(p, username, action).await,
        _ => Err(Failure::NotFound),
    }
}

/// The anonymous link as a QR code (SVG), made here (qrcode crate).
fn qr_svg(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "–".to_string(),
        other => other.to_string(),
    }
}

/// The project list: each project's state, responses, NPS and last response.
async fn projects(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let list = p.api(Method::GET, "/admin/projects", None).await?;
    let mut rows = Vec::new();
    for project in list["projects"].as_array().cloned().unwrap_or_default() {
        let id = project["id"].as_str().unwrap_or_default().to_string();
        let figures = match project["published_version"].as_u64() {
            Some(_) => p.api(Method::GET, &format!("/admin/projects/{id}/figures"), None).await.unwrap_or(Value::Null),
            None => Value::Null,
        };
        rows.push((project, figures));
    }
    let body = html! {
        h1 { (t(l, keys::C_PROJECTS_TITLE)) }
        @if p.role.allows(Role::Editor) {
            p { a.button href="/console/projects/new" { (t(l, keys::C_NEW_PROJECT)) } }
        }
        @if rows.is_empty() {
            p { (t(l, keys::C_NO_PROJECTS)) }
        } @else {
            div.scroll {
                table {
                    caption.hint style="text-align:left" { (t(l, keys::C_PROJECTS_CAPTION)) }
                    thead { tr {
                        th scope="col" { (t(l, keys::C_COL_PROJECT)) }
                        th scope="col" { (t(l, keys::C_COL_STATE)) }
                        th scope="col" class="num" { (t(l, keys::C_COL_RESPONSES)) }
                        th scope="col" class="num" { "NPS" }
                    } }
                    tbody {
                        @for (project, figures) in &rows {
                            tr {
                                td { a href={ "/console/projects/" (project["id"].as_str().unwrap_or_default()) } { (text(&project["organisation_name"])) }
                                     br; span.hint { (kind_name(l, project["kind"].as_str().unwrap_or_default())) } }
                                td { (state_badge(l, project["published_version"].as_u64())) }
                                td.num { (figures["headline"]["responses"].as_u64().map(|n| n.to_string()).unwrap_or_else(|| "0".into())) }
                                td.num { (figures["headline"]["nps"]["score"].as_f64().map(|s| format!("{s:.0}")).unwrap_or_else(|| "–".into())) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &t(l, keys::C_PROJECTS_TITLE), body), vec![]))
}

fn short_time(iso: &str) -> String {
    iso.get(..16).map(|s| s.replace('T', " ")).unwrap_or_else(|| iso.to_string())
}

fn kind_name(l: Lang, kind: &str) -> String {
    t(l, if kind == "assessment" { keys::C_KIND_ASSESSMENT } else { keys::C_KIND_QUICK })
}

fn state_badge(l: Lang, published: Option<u64>) -> Markup {
    match published {
        Some(v) => html! { span.state.published { (t_args(l, keys::C_STATE_PUBLISHED, &[("version", v.into())])) } },
        None => html! { span.state.draft { (t(l, keys::C_STATE_DRAFT)) } },
    }
}

/// The guided setup's first step: what the project is (kind, organisation,
/// business type, languages). Saved as a draft project; the project page
/// then leads on to preview and publish.
fn wizard_page(p: &Page<'_>, id: Option<&str>, values: &Value, errors: &[(String, String)], status: u16) -> Response<Body> {
    let l = p.lang();
    let err = |f: &str| errors.iter().find(|(k, _)| k == f || k.starts_with(&format!("{f}."))).map(|(_, m)| m.as_str());
    let v = |f: &str| values[f].as_str().unwrap_or_default().to_string();
    let kind = values["kind"].as_str().unwrap_or("quick_check_in");
    let business = values["business_type"].as_str().unwrap_or("B2C");
    let langs: Vec<&str> =
        values["languages"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_else(|| vec!["en"]);
    let body = html! {
        h1 { (t(l, keys::C_WIZARD_TITLE)) }
        @if !errors.is_empty() {
            div.alert role="alert" {
                p { strong { (t(l, keys::C_WIZARD_ERRORS)) } }
                ul { @for (f, m) in errors { li { a href={ "#" (f.split('.').next().unwrap_or_default()) } { (m) } } } }
            }
        }
        form method="post" action="/console/projects/new" novalidate {
            (csrf_field(p.chrome.csrf))
            fieldset id="kind" {
                legend { (t(l, keys::C_FIELD_KIND)) span.hint { (t(l, keys::C_FIELD_KIND_HINT)) } }
                @for (value, key) in [("quick_check_in", keys::C_KIND_QUICK), ("assessment", keys::C_KIND_ASSESSMENT)] {
                    div.choice { input type="radio" id={ "kind-" (value) } name="kind" value=(value) checked[kind == value] disabled[id.is_some()]; label for={ "kind-" (value) } { (t(l, key)) } }
                }
            }
            (field("organisation_name", &t(l, keys::C_FIELD_ORG), "text", &v("organisation_name"), None, err("organisation_name"), true))
            fieldset id="business_type" {
                legend { (t(l, keys::C_FIELD_BUSINESS)) }
                @for value in ["B2B", "B2C"] {
                    div.choice { input type="radio" id={ "business-" (value) } name="business_type" value=(value) checked[business == value]; label for={ "business-" (value) } { (value) } }
                }
            }
            fieldset id="languages" {
                legend { (t(l, keys::C_FIELD_LANGUAGES)) span.hint { (t(l, keys::C_FIELD_LANGUAGES_HINT)) } }
                @if let Some(e) = err("languages") { p.error { (e) } }
                @for lang in Lang::ALL {
                    div.choice { input type="checkbox" id={ "lang-" (lang.code()) } name="languages" value=(lang.code()) checked[langs.contains(&lang.code())]; label for={ "lang-" (lang.code()) } lang=(lang.code()) { (lang.native_name()) } }
                }
            }
            (field("operational_fields", &t(l, keys::C_FIELD_OPERATIONAL), "textarea", &v("operational_fields"), Some(&t(l, keys::C_FIELD_OPERATIONAL_HINT)), err("operational_fields"), false))
            (field("resource_page_url", &t(l, keys::C_FIELD_RESOURCE), "url", &v("resource_page_url"), None, err("resource_page_url"), false))
            button type="submit" { (t(l, keys::C_SAVE_DRAFT)) }
        }
    };
    html_response(status, page(&p.in_section(Section::Projects), &t(l, keys::C_WIZARD_TITLE), body), vec![])
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

async fn create_project(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let f = p.fields;
    let languages: Vec<&str> = all(f, "languages");
    let mut settings = json!({
        "organisation_name": first(f, "organisation_name").trim(),
        "business_type": first(f, "business_type"),
        "languages": languages,
        "operational_fields": lines(first(f, "operational_fields")),
    });
    let url = first(f, "resource_page_url").trim();
    if !url.is_empty() {
        settings["resource_page_url"] = json!(url);
    }
    if first(f, "business_type") == "B2B" {
        settings["b2b"] = json!({ "industries": [], "company_size": { "measure": "employees" } });
    }
    let mut errors = Vec::new();
    if first(f, "organisation_name").trim().is_empty() {
        errors.push(("organisation_name".to_string(), t(l, keys::C_ERR_REQUIRED)));
    }
    if languages.is_empty() {
        errors.push(("languages".to_string(), t(l, keys::C_ERR_LANGUAGE_NEEDED)));
    }
    let values = json!({
        "kind": first(f, "kind"), "organisation_name": first(f, "organisation_name"), "business_type": first(f, "business_type"),
        "languages": languages, "operational_fields": first(f, "operational_fields"), "resource_page_url": url,
    });
    if !errors.is_empty() {
        return Ok(wizard_page(p, None, &values, &errors, 400));
    }
    match p.api(Method::POST, "/admin/projects", Some(json!({ "kind": first(f, "kind"), "settings": settings }))).await {
        Ok(created) => Ok(see_other(&format!("/console/projects/{}?saved=1", created["id"].as_str().unwrap_or_default()), vec![])),
        Err(Failure::Api { status: 400, body }) => {
            let field = body["field"].as_str().unwrap_or("kind").trim_start_matches("settings.").to_string();
            let message = body["message"].as_str().unwrap_or_default().to_string();
            Ok(wizard_page(p, None, &values, &[(field, message)], 400))
        }
        Err(other) => Err(other),
    }
}

/// A project: its state, publish, links with the QR code, the preview.
async fn project(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let s = &project["settings"];
    let link = project["anonymous_link"].as_str().unwrap_or_default();
    let published = project["published_version"].as_u64();
    let notice = if first(p.query, "published") == "1" {
        Some(t_args(l, keys::C_PUBLISHED_NOTICE, &[("version", published.unwrap_or(0).into())]))
    } else if first(p.query, "saved") == "1" {
        Some(t(l, keys::C_SAVED_NOTICE))
    } else {
        None
    };
    let list = |v: &Value| {
        v.as_array().map(|a| a.iter().map(text).collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty()).unwrap_or_else(|| "–".into())
    };
    let body = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (text(&s["organisation_name"])) " " (state_badge(l, published)) }
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        dl.summary {
            dt { (t(l, keys::C_FIELD_KIND)) } dd { (kind_name(l, project["kind"].as_str().unwrap_or_default())) }
            dt { (t(l, keys::C_FIELD_BUSINESS)) } dd { (text(&s["business_type"])) }
            dt { (t(l, keys::C_FIELD_LANGUAGES)) } dd { (list(&s["languages"])) }
            dt { (t(l, keys::C_FIELD_OPERATIONAL)) } dd { (list(&s["operational_fields"])) }
            dt { (t(l, keys::C_FIELD_RESOURCE)) } dd { (text(&s["resource_page_url"])) }
            dt { (t(l, keys::C_REVISION)) } dd { (text(&project["revision"])) }
        }
        h2 { (t(l, keys::C_PREVIEW_TITLE)) }
        p { a href={ "/console/projects/" (id) "/preview" } { (t(l, keys::C_PREVIEW_OPEN)) } }
        @if p.role.allows(Role::Editor) {
            form method="post" action={ "/console/projects/" (id) "/publish" } {
                (csrf_field(p.chrome.csrf))
                p.hint { (t(l, keys::C_PUBLISH_HINT)) }
                button type="submit" { (t(l, keys::C_PUBLISH)) }
            }
        }
        h2 { (t(l, keys::C_LINKS_TITLE)) }
        @if published.is_some() {
            label for="anonymous-link" { (t(l, keys::C_ANONYMOUS_LINK)) }
            input type="text" id="anonymous-link" readonly value=(link);
            p { a href=(link) { (t(l, keys::C_OPEN_SURVEY)) } }
            div.qr role="img" aria-label=(t(l, keys::C_QR_ALT)) { (PreEscaped(qr_svg(link))) }
            p { a href={ "/console/projects/" (id) "/qr.svg" } download { (t(l, keys::C_QR_DOWNLOAD)) } }
        } @else {
            p { (t(l, keys::C_LINK_AFTER_PUBLISH)) }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &text(&s["organisation_name"]), body), vec![]))
}

/// The survey as respondents will see it, at phone and desktop width, per language.
async fn preview(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let langs: Vec<Lang> = project["settings"]["languages"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| Lang::parse(v.as_str()?)).collect())
        .unwrap_or_default();
    let shown = Lang::parse(first(p.query, "lang")).filter(|x| langs.contains(x)).or(langs.first().copied()).unwrap_or(Lang::En);
    let frame = format!("/console/projects/{id}/preview/frame?lang={}", shown.code());
    let body = html! {
        p { a href={ "/console/projects/" (id) } { "← " (text(&project["settings"]["organisation_name"])) } }
        h1 { (t(l, keys::C_PREVIEW_TITLE)) }
        p { (t(l, keys::C_PREVIEW_INTRO)) }
        nav aria-label=(t(l, keys::C_FIELD_LANGUAGES)) {
            ul.steps {
                @for x in &langs {
                    li { a href={ "?lang=" (x.code()) } lang=(x.code()) aria-current=[(*x == shown).then_some("page")] { (x.native_name()) } }
                }
            }
        }
        div.frames {
            iframe.phone src=(frame) title=(t(l, keys::C_PREVIEW_PHONE)) {}
            iframe.desktop src=(frame) title=(t(l, keys::C_PREVIEW_DESKTOP)) {}
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &t(l, keys::C_PREVIEW_TITLE), body), vec![]))
}

/// The draft survey page itself (answers are shown back, never stored).
async fn preview_frame(p: &Page<'_>, id: &str, posted: bool) -> PageResult {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let definition = p.api(Method::GET, &format!("/admin/projects/{id}/survey?version=draft"), None).await?;
    let def: pulse_shared::domain::survey::Definition = serde_json::from_value(definition).map_err(|_| Failure::NotFound)?;
    let wanted = if posted { first(p.fields, pulse_shared::render::survey::SWITCH_FIELD) } else { first(p.query, "lang") };
    let lang = Lang::parse(wanted).filter(|x| def.languages.contains(x)).or(def.languages.first().copied()).unwrap_or(Lang::En);
    let action = format!("/console/projects/{id}/preview/frame");
    let values: Vec<(String, String)> = p.fields.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    let html = pulse_shared::render::survey::survey_page(&pulse_shared::render::survey::SurveyPage {
        definition: &def,
        lang,
        action: &action,
        logo_url: project["logo_url"].as_str(),
        values: &values,
        errors: &[],
        submission_id: "preview",
    });
    Ok(html_response(200, html, vec![]))
}

/// Every account's budget view; admins change plans here.
async fn budgets(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let accounts = p.api(Method::GET, "/admin/accounts", None).await?;
    let plans = p.api(Method::GET, "/admin/plans", None).await.unwrap_or(Value::Null);
    let plan_names: Vec<String> =
        plans["plans"].as_array().map(|a| a.iter().filter_map(|x| x["name"].as_str().map(str::to_string)).collect()).unwrap_or_default();
    let mut views = Vec::new();
    for a in accounts["accounts"].as_array().cloned().unwrap_or_default() {
        let id = a["id"].as_str().unwrap_or_default().to_string();
        let budget = p.api(Method::GET, &format!("/admin/accounts/{id}/budget"), None).await?;
        views.push((a, budget));
    }
    let body = html! {
        h1 { (t(l, keys::C_BUDGETS_TITLE)) }
        @if views.is_empty() { p { (t(l, keys::C_NO_ACCOUNTS)) } }
        @for (a, b) in &views {
            section.card aria-labelledby={ "acc-" (text(&a["id"])) } {
                h2 id={ "acc-" (text(&a["id"])) } { (text(&a["name"])) }
                dl.summary {
                    dt { (t(l, keys::C_PLAN)) } dd { (text(&b["plan"])) }
                    dt { (t(l, keys::C_MONTH)) } dd { (text(&b["month"])) " (" (text(&b["time_zone"])) ")" }
                    dt { (t(l, keys::C_BUDGET)) } dd { (text(&b["monthly_budget"])) }
                    dt { (t(l, keys::C_USED)) } dd { (text(&b["used"])) }
                    dt { (t(l, keys::C_REMAINING)) } dd { (text(&b["remaining"])) }
                    dt { (t(l, keys::C_REFUSED)) } dd { (text(&b["refused"])) }
                    dt { (t(l, keys::C_LIFETIME)) } dd { (text(&b["lifetime_used"])) " / " (text(&b["lifetime_cap"])) }
                    dt { (t(l, keys::C_REFUSES_NEXT)) } dd { (text(&b["exhausted"])) }
                    dt { (t(l, keys::C_LAST_SYNC)) } dd { (b["last_sync_at"].as_str().map(short_time).unwrap_or_else(|| "–".into())) }
                    dt { (t(l, keys::C_LAST_ACCEPTED)) } dd { (b["last_accepted_at"].as_str().map(short_time).unwrap_or_else(|| "–".into())) }
                }
                @if p.role == Role::Admin && !plan_names.is_empty() {
                    form method="post" action={ "/console/budgets/" (text(&a["id"])) "/plan" } {
                        (csrf_field(p.chrome.csrf))
                        label for={ "plan-" (text(&a["id"])) } { (t(l, keys::C_CHANGE_PLAN)) }
                        select id={ "plan-" (text(&a["id"])) } name="plan" {
                            @for name in &plan_names { option value=(name) selected[b["plan"].as_str() == Some(name.as_str())] { (name) } }
                        }
                        button type="submit" { (t(l, keys::C_CHANGE_PLAN_BUTTON)) }
                    }
                }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Budgets), &t(l, keys::C_BUDGETS_TITLE), body), vec![]))
}

/// The console's users (admins only).
async fn users(p: &Page<'_>, error: Option<(u16, String)>) -> PageResult {
    let l = p.lang();
    if p.role != Role::Admin {
        return Err(Failure::Api { status: 403, body: Value::Null });
    }
    let list = p.app.aws.users.list().await.map_err(|e| Failure::Api { status: 500, body: json!({ "message": e.to_string() }) })?;
    let status = error.as_ref().map(|(s, _)| *s).unwrap_or(200);
    let body = html! {
        h1 { (t(l, keys::C_USERS_TITLE)) }
        @if let Some((_, e)) = &error { p.alert role="alert" { (e) } }
        div.scroll { table {
            thead { tr {
                th scope="col" { (t(l, keys::C_EMAIL)) }
                th scope="col" { (t(l, keys::C_COL_ROLE)) }
                th scope="col" { (t(l, keys::C_COL_STATE)) }
                th scope="col" { (t(l, keys::C_COL_ACTIONS)) }
            } }
            tbody { @for u in &list {
                tr {
                    td { (u.email) }
                    td {
                        form method="post" action={ "/console/users/" (view::urlencode(&u.username)) "/role" } {
                            (csrf_field(p.chrome.csrf))
                            label for={ "role-" (u.username) } style="margin:0" { span.hint { (t_args(l, keys::C_ROLE_OF, &[("email", u.email.as_str().into())])) } }
                            select id={ "role-" (u.username) } name="role" {
                                @for r in Role::ALL { option value=(r.as_str()) selected[u.role == Some(r)] { (view::role_name(l, Some(r))) } }
                            }
                            button.secondary type="submit" { (t(l, keys::C_SAVE)) }
                        }
                    }
                    td { (if u.enabled { t(l, keys::C_USER_ENABLED) } else { t(l, keys::C_USER_DISABLED) }) br; span.hint { (u.status) } }
                    td {
                        form method="post" action={ "/console/users/" (view::urlencode(&u.username)) (if u.enabled { "/disable" } else { "/enable" }) } {
                            (csrf_field(p.chrome.csrf))
                            button.secondary type="submit" { (if u.enabled { t(l, keys::C_DISABLE) } else { t(l, keys::C_ENABLE) }) }
                        }
                    }
                }
            } }
        } }
        h2 { (t(l, keys::C_INVITE_TITLE)) }
        form method="post" action="/console/users" {
            (csrf_field(p.chrome.csrf))
            (field("email", &t(l, keys::C_EMAIL), "email", "", Some(&t(l, keys::C_INVITE_HINT)), None, true))
            label for="invite-role" { (t(l, keys::C_COL_ROLE)) }
            select id="invite-role" name="role" { @for r in Role::ALL { option value=(r.as_str()) selected[r == Role::Editor] { (view::role_name(l, Some(r))) } } }
            button type="submit" { (t(l, keys::C_INVITE)) }
        }
    };
    Ok(html_response(status, page(&p.in_section(Section::Users), &t(l, keys::C_USERS_TITLE), body), vec![]))
}

async fn invite(p: &Page<'_>) -> PageResult {
    if p.role != Role::Admin {
        return Err(Failure::Api { status: 403, body: Value::Null });
    }
    let email = first(p.fields, "email").trim();
    let role = Role::parse(first(p.fields, "role")).unwrap_or(Role::Viewer);
    if pulse_shared::domain::mail::parse_email(email).is_err() {
        return users(p, Some((400, t(p.lang(), keys::C_ERR_EMAIL)))).await;
    }
    match p.app.aws.users.invite(email, role).await {
        Ok(()) => Ok(see_other("/console/users", vec![])),
        Err(pulse_shared::Error::Conflict(m)) => users(p, Some((409, m))).await,
        Err(e) => Err(Failure::Api { status: 500, body: json!({ "message": e.to_string() }) }),
    }
}

async fn user_action(p: &Page<'_>, username: &str, action: &str) -> PageResult {
    if p.role != Role::Admin {
        return Err(Failure::Api { status: 403, body: Value::Null });
    }
    let users = &p.app.aws.users;
    let done = match action {
        "role" => users.set_role(username, Role::parse(first(p.fields, "role")).unwrap_or(Role::Viewer)).await,
        "disable" => users.set_enabled(username, false).await,
        "enable" => users.set_enabled(username, true).await,
        _ => return Err(Failure::NotFound),
    };
    done.map_err(|e| Failure::Api { status: 500, body: json!({ "message": e.to_string() }) })?;
    Ok(see_other("/console/users", vec![]))
}
