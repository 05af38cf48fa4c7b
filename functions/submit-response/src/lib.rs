//! `submit-response`: the public respondent routes — the survey page
//! (`GET /s/{token}`), the submission (`POST /s/{token}`) and the unsubscribe
//! page and one-click POST (`/unsubscribe/{token}`), and the projects' logos
//! the pages show (`GET /logo/{project_id}/{file}`).
//!
//! A token that is malformed, unknown, or whose project has no published
//! survey gets the same friendly not-found page, so the page never tells
//! whether a token exists. Unsubscribe tokens are colleagues' opt-out
//! tokens (response notifications) or contacts' personal link tokens
//! (invitations).

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::sync::Arc;
use std::time::Duration;

use lambda_http::{Body, Request, RequestExt, Response};
use pulse_shared::domain::budget::Record;
use pulse_shared::domain::guard;
use pulse_shared::domain::i18n::{choose, keys, t, Lang};
use pulse_shared::domain::links::{new_id, plausible_token, Link, LinkKind};
use pulse_shared::domain::mail::normalise_email;
use pulse_shared::domain::response::{Channel, Response as StoredResponse, Via};
use pulse_shared::domain::steps::{self, Move, STEP_FIELD};
use pulse_shared::domain::survey::{AnswerError, Definition};
use pulse_shared::render::survey::{
    already_answered_page, budget_used_up_page, daily_cap_page, link_expired_page, refused_page, survey_closed_page, survey_page,
    thank_you_page, unsubscribe_page, SurveyPage, Unsubscriber, SWITCH_FIELD,
};
use pulse_shared::store::surveys::{Gate, LinkContext, Stored};
use pulse_shared::{clock, http as web, render, App, Error};
use tracing::Instrument;

/// The Lambda handler.
pub async fn handle<S: Links + Notifications + Projects + Directory + Reports + Files + Responses + Budgets + Guard>(
    app: &App<S>,
    req: Request,
) -> Result<Response<Body>, lambda_http::Error> {
    let request_id = web::request_id(&req);
    let span = tracing::info_span!("submit-response", request_id = %request_id, method = %req.method());
    let result = if embedded(&req) { embed(app, &req).instrument(span).await } else { route(app, &req).instrument(span).await };
    // a partition still throttled after every retry: a page that says so,
    // in the respondent's language, rather than an error
    let result = result.or_else(|e| if e.is_throttled() { Ok(busy_page(&req, &request_id)) } else { Err(e) });
    let accept = req.headers().get("accept-encoding").and_then(|v| v.to_str().ok()).unwrap_or_default();
    Ok(web::compressed(accept, result.unwrap_or_else(|e| web::error_response(&e, &request_id))))
}

/// The page for a request the tables could not take at this moment (503,
/// with when to come back); nothing it would have stored was stored.
fn busy_page(req: &Request, request_id: &str) -> Response<Body> {
    tracing::warn!(request_id, "throttled after the retries; the respondent is asked to come back");
    let accept = req.headers().get("accept-language").and_then(|v| v.to_str().ok());
    let lang = choose(&Lang::ALL, None, None, accept);
    let mut page = web::html(503, render::message_page(lang, &t(lang, keys::BUSY_TITLE), &t(lang, keys::BUSY_BODY), true));
    page.headers_mut().insert("retry-after", lambda_http::http::HeaderValue::from(web::BUSY_RETRY_SECONDS));
    page
}

fn not_found() -> Response<Body> {
    web::html(404, render::link_not_found_page())
}

async fn route<S: Links + Notifications + Projects + Directory + Reports + Files + Responses + Budgets + Guard>(
    app: &App<S>,
    req: &Request,
) -> Result<Response<Body>, Error> {
    let token = web::path_param(req, "token").unwrap_or_default();
    // Every public route is bounded: a body over the limit is refused first
    // (a survey's with the friendly page, counted on its project).
    if let Err(too_large) = web::body_bytes(req) {
        if req.method() == "POST" && req.uri().path().starts_with("/s/") {
            if let Some(survey) = open_survey(app, &token, Freshness::Kept).await? {
                let project_id = &survey.context.link.project_id;
                app.aws.count_blocked(project_id, guard::Refusal::TooLarge, &clock::from_ms(app.clock.now_ms())[..10]).await?;
                tracing::info!(project_id = %project_id, "submission refused before anything was stored: its body is over the limit");
                let lang = language(req, &survey, None);
                let logo = logo_url(&survey);
                return Ok(web::html(413, refused_page(&survey.definition, lang, logo.as_deref())));
            }
        }
        return Err(too_large);
    }
    if req.uri().path().starts_with("/unsubscribe/") {
        return unsubscribe(app, req, &token).await;
    }
    if req.uri().path().starts_with("/reports/") {
        return report(app, &token).await;
    }
    if req.uri().path().starts_with("/shared/") {
        return shared(app, &token).await;
    }
    if req.uri().path().starts_with("/logo/") {
        return logo(app, req).await;
    }
    if req.uri().path() == "/favicon.svg" {
        return Ok(Response::builder()
            .status(200)
            .header("content-type", "image/svg+xml")
            .header("cache-control", "public, max-age=86400")
            .header("content-security-policy", pulse_shared::domain::logo::SERVED_CSP)
            .header("x-content-type-options", "nosniff")
            .body(Body::Text(render::FAVICON.to_string()))
            .unwrap_or_default());
    }
    match req.method().as_str() {
        // A page view reads the link and the project afresh, unless this
        // warm Lambda read them a moment ago (`Freshness::Recent`: a crowd
        // on one survey would otherwise read its project's item, one
        // partition, on every view), and renews what it keeps of them...
        "GET" => match open_survey(app, &token, Freshness::Recent).await? {
            Some(survey) => show(app, req, &survey).await,
            None => Ok(not_found()),
        },
        // ...so that the submission that follows it, usually on the same
        // warm Lambda, is one DynamoDB round trip: its transaction checks
        // the project's revision, and a project changed since is read again.
        "POST" => {
            for freshness in [Freshness::Kept, Freshness::Fresh] {
                let Some(survey) = open_survey(app, &token, freshness).await? else { return Ok(not_found()) };
                // A closed survey or an expired link stores and charges
                // nothing. What a warm Lambda kept may say so no more (the
                // survey reopened, the link's days raised): read again
                // before turning anyone away. The other way round, the
                // transaction's revision check sends a kept open survey
                // that has been closed since back here, fresh.
                if let Some(gone) = turned_away(app, &survey) {
                    if freshness != Freshness::Fresh {
                        continue;
                    }
                    let lang = language(req, &survey, form_lang(req).as_deref());
                    tracing::info!(project_id = %survey.context.link.project_id, reason = gone.as_str(), "submission refused: nothing stored");
                    return Ok(gone_page(gone, &survey, lang));
                }
                match submit(app, req, &survey).await? {
                    Submitted::Page(page) => return Ok(page),
                    Submitted::ProjectChanged => app.aws.forget_link(&survey.context.link.id),
                }
            }
            Err(Error::Conflict("the survey was changed while this answer was being stored; please submit it again".into()))
        }
        _ => Ok(not_found()),
    }
}

/// The unsubscribe page (GET) and its confirmation or one-click POST
/// (RFC 8058): colleagues' opt-outs from response notifications (opt-out
/// tokens), and contacts' unsubscribes from invitations (the token of their
/// personal survey link, which every invitation carries).
async fn unsubscribe<S: Notifications + Links + Projects + Directory + Guard>(
    app: &App<S>,
    req: &Request,
    token: &str,
) -> Result<Response<Body>, Error> {
    if !plausible_token(token) {
        return Ok(not_found());
    }
    let (project_id, email, contact) = match app.aws.find_optout(token).await? {
        Some((project_id, email)) => (project_id, email, None),
        None => match app.link_of_token(token).await? {
            Some(Link { project_id, kind: LinkKind::Personal { contact, .. }, .. }) => (project_id, contact.email, Some(contact.language)),
            _ => return Ok(not_found()),
        },
    };
    let project = app.aws.get_project(&project_id).await?;
    // Contacts read the page in their survey language; colleagues in the
    // project's, the language of the emails they stop.
    let lang = match (&project, contact) {
        (Some(p), Some(language)) => {
            let accept = req.headers().get("accept-language").and_then(|v| v.to_str().ok());
            choose(&p.settings.languages, None, language, accept)
        }
        (Some(p), None) => p.settings.default_language(),
        (None, _) => Lang::En,
    };
    let org = project.map(|p| p.settings.organisation_name).unwrap_or_else(|| t(lang, keys::UNKNOWN_PROJECT));
    let who = if contact.is_some() { Unsubscriber::Contact } else { Unsubscriber::Colleague };
    match req.method().as_str() {
        "POST" => {
            if contact.is_some() {
                app.aws.suppress(&project_id, &normalise_email(&email), "unsubscribed", &clock::now()).await?;
                tracing::info!(project_id, "contact unsubscribed from invitations");
            } else {
                app.aws.opt_out(&project_id, &email, &clock::now()).await?;
                tracing::info!(project_id, "recipient opted out of response notifications");
            }
            Ok(web::html(200, unsubscribe_page(lang, who, true, &email, &org)))
        }
        _ => Ok(web::html(200, unsubscribe_page(lang, who, false, &email, &org))),
    }
}

/// A report's shareable link (emailed to subscribers): while it has not
/// expired, a redirect to a short-lived link to the report's HTML in S3.
async fn report<S: Reports + Files + Guard>(app: &App<S>, token: &str) -> Result<Response<Body>, Error> {
    if !plausible_token(token) {
        return Ok(not_found());
    }
    let now_s = app.clock.now_ms() / 1000;
    // looked up by its keyed hash only: the table never holds the token
    let hashed = app.link_id(token).await?;
    match app.aws.report_by_link(&hashed, now_s).await? {
        Some(r) if r.state == pulse_shared::store::reports::ReportState::Done => to_object(app, &r.key("report.html")).await,
        Some(_) => Ok(web::html(
            202,
            render::message_page(Lang::En, &t(Lang::En, keys::REPORT_IN_PROGRESS_TITLE), &t(Lang::En, keys::REPORT_IN_PROGRESS_BODY), true),
        )),
        None => Ok(not_found()),
    }
}

/// The least a busy project's respondents are asked to wait before sending
/// the form again (up to twice this, spread so that they do not return
/// together).
const RETRY_AFTER_SECONDS: u64 = 5;

/// The largest object served through Pulse itself: a Lambda's answer may
/// carry at most 6 MB, and a binary body travels base64-encoded.
const SERVED_BYTES: u64 = 4 * 1024 * 1024;

/// The object `key` (a share link's target), served by Pulse with the
/// headers of its public pages: the strict Content-Security-Policy, no MIME
/// sniffing, no referrer, never cached (a report may quote what a
/// respondent wrote), and a download for anything but HTML. An object too
/// large for a Lambda's answer is a redirect to a five-minute S3 link
/// instead (the promise of days is the link's, not S3's).
async fn to_object<S: Files>(app: &App<S>, key: &str) -> Result<Response<Body>, Error> {
    let size = app.aws.head(&app.config.data_bucket, key).await?.map(|(size, _)| size);
    match size {
        None => return Ok(not_found()),
        Some(size) if size <= SERVED_BYTES => {
            if let Some((content_type, bytes)) = app.aws.get_object(key).await? {
                return Ok(served(key, &content_type, bytes));
            }
            return Ok(not_found());
        }
        Some(_) => {}
    }
    let url = app.aws.presigned_get(key, Duration::from_secs(300)).await?;
    Ok(Response::builder()
        .status(303)
        .header("location", url)
        .header("cache-control", "no-store")
        .header("referrer-policy", "no-referrer")
        .body(Body::Empty)
        .unwrap_or_default())
}

/// An object's bytes as a public answer (see [`to_object`]).
fn served(key: &str, content_type: &str, bytes: Vec<u8>) -> Response<Body> {
    let html = content_type.starts_with("text/html");
    let name = key.rsplit('/').next().unwrap_or("report").replace(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-', "_");
    let body = match String::from_utf8(bytes) {
        Ok(text) => Body::Text(text),
        Err(e) => Body::Binary(e.into_bytes()),
    };
    Response::builder()
        .status(200)
        .header("content-type", content_type)
        .header("content-security-policy", web::PUBLIC_CSP)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-store")
        .header("content-disposition", if html { "inline".to_string() } else { format!("attachment; filename=\"{name}\"") })
        .body(body)
        .unwrap_or_default()
}

/// A share link (an account's section emailed to its team): while it has
/// not expired, a redirect to a short-lived link to the object in S3. The
/// token is looked up by its keyed hash only.
async fn shared<S: Links + Files + Guard>(app: &App<S>, token: &str) -> Result<Response<Body>, Error> {
    if !plausible_token(token) {
        return Ok(not_found());
    }
    let hashed = app.link_id(token).await?;
    match app.aws.shared_object(&hashed, app.clock.now_ms() / 1000).await? {
        Some(key) => to_object(app, &key).await,
        None => Ok(not_found()),
    }
}

/// A link whose project has a published survey.
struct OpenSurvey {
    /// The link's token, as the request named it (never kept: the link
    /// is kept under the token's keyed hash, its id).
    token: String,
    /// The link with the project's revision and account it was read at.
    context: Arc<LinkContext>,
    definition: Arc<Definition>,
}

/// The survey behind `token`: read now or as the warm Lambda kept it, as
/// `freshness` allows. None when the token, its project or a published version is
/// missing.
async fn open_survey<S: Links + Projects + Guard>(app: &App<S>, token: &str, freshness: Freshness) -> Result<Option<OpenSurvey>, Error> {
    if !plausible_token(token) {
        return Ok(None);
    }
    let id = app.link_id(token).await?;
    let context = match app.aws.link_context(&id, freshness).await? {
        Some(context) => context,
        // a link kept before tokens were hashed moves to its id when opened
        None if app.aws.rekey_link(token, &id).await? => match app.aws.link_context(&id, Freshness::Fresh).await? {
            Some(context) => context,
            None => return Ok(None),
        },
        None => return Ok(None),
    };
    let Some(version) = context.published_version else { return Ok(None) };
    let Some(definition) = app.aws.published(&context.link.project_id, version).await? else { return Ok(None) };
    Ok(Some(OpenSurvey { token: token.to_string(), context, definition }))
}

fn language(req: &Request, survey: &OpenSurvey, explicit: Option<&str>) -> Lang {
    let contact = match &survey.context.link.kind {
        LinkKind::Personal { contact, .. } => contact.language,
        LinkKind::Anonymous => None,
    };
    let accept = req.headers().get("accept-language").and_then(|v| v.to_str().ok());
    choose(&survey.definition.languages, explicit, contact, accept)
}

/// Why a link turns respondents away before its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gone {
    /// The survey is closed (every link of it).
    Closed,
    /// The personal link is older than the project's `personal_link_days`.
    Expired,
}

impl Gone {
    fn as_str(self) -> &'static str {
        match self {
            Gone::Closed => "closed",
            Gone::Expired => "expired",
        }
    }
}

/// Whether the survey behind a link turns respondents away now (by the
/// stack's clock).
fn turned_away<S>(app: &App<S>, survey: &OpenSurvey) -> Option<Gone> {
    let context = &survey.context;
    if context.closed {
        Some(Gone::Closed)
    } else if context.link.expired(context.personal_link_days, app.clock.now_ms()) {
        Some(Gone::Expired)
    } else {
        None
    }
}

/// The page saying why, in the respondent's language: 410, no form.
fn gone_page(gone: Gone, survey: &OpenSurvey, lang: Lang) -> Response<Body> {
    let logo = logo_url(survey);
    let page = match gone {
        Gone::Closed => survey_closed_page(&survey.definition, lang, logo.as_deref()),
        Gone::Expired => link_expired_page(&survey.definition, lang, logo.as_deref()),
    };
    web::html(410, page)
}

/// The language a submitted form names (its `lang` field), if any.
fn form_lang(req: &Request) -> Option<String> {
    let bytes = web::body_bytes(req).ok()?;
    form_urlencoded::parse(bytes).find(|(k, _)| k == "lang").map(|(_, v)| v.into_owned())
}

/// Where the survey's pages show its logo: Pulse's own logo route
/// ([`logo`]), on the page's origin.
/// The project's logo as it is now (uploaded after publishing too), else
/// the one the published version was made with.
fn logo_url(survey: &OpenSurvey) -> Option<String> {
    survey.context.logo_key.as_deref().or(survey.definition.logo_key.as_deref()).and_then(pulse_shared::domain::logo::logo_path)
}

/// A project's logo (`GET /logo/{project_id}/{file}`), read from the bucket
/// and served as an image that cannot run script on any origin: a
/// sandboxing Content-Security-Policy, inline under a neutral file name, no
/// MIME sniffing. Only what the logo upload writes, under a project that
/// exists, is served; anything else is the not-found page.
async fn logo<S: Projects + Files>(app: &App<S>, req: &Request) -> Result<Response<Body>, Error> {
    let project_id = web::path_param(req, "project_id").unwrap_or_default();
    let file = web::path_param(req, "file").unwrap_or_default();
    let Some(served) = pulse_shared::domain::logo::served_logo(&project_id, &file) else { return Ok(not_found()) };
    if req.method() != "GET" || app.aws.get_project(&project_id).await?.is_none() {
        return Ok(not_found());
    }
    let Some((_, bytes)) = app.aws.get_object(&served.key).await? else { return Ok(not_found()) };
    Ok(Response::builder()
        .status(200)
        .header("content-type", served.content_type)
        .header("content-disposition", format!("inline; filename=\"logo.{}\"", served.ext))
        .header("content-security-policy", pulse_shared::domain::logo::SERVED_CSP)
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "public, max-age=3600")
        .body(Body::Binary(bytes))
        .unwrap_or_default())
}

/// Where the survey's form posts: back to the address it was shown at (an
/// embedded survey's pages stay frameable).
fn action(req: &Request, survey: &OpenSurvey) -> String {
    let path = format!("/s/{}", survey.token);
    if embedded(req) {
        pulse_shared::domain::embed::embed_path(&path)
    } else {
        path
    }
}

/// Whether `req` is for the website widget's address (`/s/{token}/embed`).
fn embedded(req: &Request) -> bool {
    let path = req.uri().path();
    path.starts_with("/s/") && path.ends_with("/embed")
}

/// The website widget (`GET`/`POST /s/{token}/embed`): the anonymous link's
/// own pages through its own flow (a submission is stored, guarded and
/// counted against the budget exactly as through the link), compact for an
/// iframe, and frameable by the project's `embed_origins` and nothing else.
/// While the project lists none, the address says that embedding is not
/// enabled (not frameable); a personal link has no widget.
async fn embed<S: Links + Notifications + Projects + Directory + Reports + Files + Responses + Budgets + Guard>(
    app: &App<S>,
    req: &Request,
) -> Result<Response<Body>, Error> {
    let token = web::path_param(req, "token").unwrap_or_default();
    let post = req.method() == "POST";
    // A page view goes first: its flow reads the project (as a page view does), and the
    // origins are then read from what it read. A submission is checked
    // before anything is stored (afresh when the kept project lists none).
    let page = if post { None } else { Some(route(app, req).await?) };
    let mut survey = open_survey(app, &token, Freshness::Kept).await?;
    if post && survey.as_ref().is_some_and(|s| s.context.embed_origins.is_empty()) {
        survey = open_survey(app, &token, Freshness::Fresh).await?;
    }
    let Some(survey) = survey.filter(|s| matches!(s.context.link.kind, LinkKind::Anonymous)) else { return Ok(not_found()) };
    let origins = &survey.context.embed_origins;
    if origins.is_empty() {
        let explicit = if post { form_lang(req) } else { req.query_string_parameters().first("lang").map(str::to_string) };
        let lang = language(req, &survey, explicit.as_deref());
        let off = render::embed::embedding_off_page(&survey.definition, lang, &format!("/s/{}", survey.token));
        return Ok(web::html(403, off));
    }
    let page = match page {
        Some(page) => page,
        None => route(app, req).await?,
    };
    let (parts, body) = page.into_parts();
    let body = match body {
        Body::Text(html) => Body::Text(render::embed::compact(&html)),
        other => other,
    };
    Ok(web::frameable_by(Response::from_parts(parts, body), origins))
}

/// A fresh form token for an anonymous link's page (`domain::guard`).
async fn form_token<S: Guard>(app: &App<S>, survey: &OpenSurvey) -> Result<String, Error> {
    let key = app.aws.secret(FORM_KEY).await?;
    Ok(guard::issue(key.as_slice(), &survey.context.link.id, &new_id(), app.clock.now_ms()))
}

/// The name of the form tokens' key among the stack's secrets.
const FORM_KEY: &str = "form";

/// The address the request came from, as API Gateway saw it.
fn source_address(req: &Request) -> String {
    match req.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(c)) => c.http.source_ip.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

async fn show<S: Responses + Budgets + Files + Guard>(app: &App<S>, req: &Request, survey: &OpenSurvey) -> Result<Response<Body>, Error> {
    let query = req.query_string_parameters();
    let lang = language(req, survey, query.first("lang"));
    if let Some(gone) = turned_away(app, survey) {
        return Ok(gone_page(gone, survey, lang));
    }
    let logo = logo_url(survey);
    if let LinkKind::Personal { response_id, .. } = &survey.context.link.kind {
        if app.aws.get_response(&survey.context.link.project_id, response_id).await?.is_some() {
            return Ok(web::html(200, already_answered_page(&survey.definition, lang, logo.as_deref())));
        }
    }
    if survey.context.link.kind.counts_on_submission() {
        // Said up front, so that nobody fills in a form that cannot be
        // recorded (the submission's own charge still decides). The links'
        // share is the budget less what is kept for invitations.
        if let Some(id) = &survey.context.account_id {
            if !app.aws.links_have_room(id, app.clock.now_ms()).await? {
                return Ok(web::html(403, budget_used_up_page(&survey.definition, lang, logo.as_deref())));
            }
        }
    }
    let token = match survey.context.link.kind {
        LinkKind::Anonymous => Some(form_token(app, survey).await?),
        LinkKind::Personal { .. } => None,
    };
    // A score chosen in the invitation's 0–10 row opens the form with it
    // selected; only the respondent's own submission stores it, so a mail
    // scanner that opens every link stores nothing.
    let chosen: Vec<(String, String)> = query
        .first("score")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|n| (0..=10).contains(n) && survey.definition.question(pulse_shared::domain::survey::ids::NPS).is_some())
        .map(|n| vec![(pulse_shared::domain::survey::ids::NPS.to_string(), n.to_string())])
        .unwrap_or_default();
    // How a personal link was opened (a score of the email's row, or its
    // button or plain link) goes along to the submission that stores it.
    let via = match survey.context.link.kind {
        LinkKind::Personal { .. } => Some(Via::of_opening(!chosen.is_empty())),
        LinkKind::Anonymous => None,
    };
    let page = survey_page(&SurveyPage {
        definition: &survey.definition,
        lang,
        action: &action(req, survey),
        logo_url: logo.as_deref(),
        values: &chosen,
        errors: &[],
        form_token: token.as_deref(),
        notice: None,
        step: 1,
        via,
    });
    Ok(web::html(200, page))
}

/// What a submission came to.
enum Submitted {
    /// The page to answer with.
    Page(Response<Body>),
    /// Nothing was stored: the project changed since it was read.
    ProjectChanged,
}

async fn submit<S: Budgets + Responses + Links + Files + Guard>(
    app: &App<S>,
    req: &Request,
    survey: &OpenSurvey,
) -> Result<Submitted, Error> {
    let bytes = web::body_bytes(req)?;
    if std::str::from_utf8(bytes).is_err() {
        return Err(Error::bad_request("the form is not valid UTF-8"));
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let def = &survey.definition;
    let project_id = survey.context.link.project_id.as_str();
    let anonymous = matches!(survey.context.link.kind, LinkKind::Anonymous);
    let now_ms = app.clock.now_ms();
    let today = clock::from_ms(now_ms)[..10].to_string();
    // How a personal link was opened, as its page said.
    let via = if anonymous { None } else { field(Via::FIELD).and_then(Via::parse) };
    // The step the form showed (the assessment is answered in steps).
    let here = steps::at(&form, steps::steps(def, &form).len());
    // The form again at step `at`, with every answer given, a notice and
    // the form token (the form's own, or a fresh one after a refusal a
    // person may cause).
    let (form_ref, field) = (&form, &field);
    let again = |lang: Lang, at: usize, errors: Vec<AnswerError>, status: u16, notice: Option<&'static str>, fresh: bool| async move {
        let logo = logo_url(survey);
        let token = match (anonymous, field(guard::TOKEN_FIELD)) {
            (false, _) => None,
            (true, Some(t)) if !fresh => Some(t.to_string()),
            (true, _) => Some(form_token(app, survey).await?),
        };
        let notice = notice.map(|key| t(lang, key));
        let values: Vec<(String, String)> =
            form_ref.iter().filter(|(k, _)| k != guard::TOKEN_FIELD && k != guard::HONEYPOT_FIELD).cloned().collect();
        let page = survey_page(&SurveyPage {
            definition: def,
            lang,
            action: &action(req, survey),
            logo_url: logo.as_deref(),
            values: &values,
            errors: &errors,
            form_token: token.as_deref(),
            notice: notice.as_deref(),
            step: at,
            via,
        });
        Ok::<_, Error>(Submitted::Page(web::html(status, page)))
    };
    let refused = |reason: guard::Refusal| {
        let today = today.clone();
        async move {
            tracing::info!(project_id, reason = reason.as_str(), "submission refused before anything was stored");
            app.aws.count_blocked(project_id, reason, &today).await
        }
    };
    // The honeypot: only a script fills in a field nobody sees.
    if field(guard::HONEYPOT_FIELD).is_some_and(|v| !v.is_empty()) {
        refused(guard::Refusal::Honeypot).await?;
        let lang = language(req, survey, field("lang"));
        let logo = logo_url(survey);
        return Ok(Submitted::Page(web::html(403, refused_page(def, lang, logo.as_deref()))));
    }
    // The language switch: the page (the same step) in the language asked
    // for, with the answers so far; nothing is checked or stored.
    if let Some(to) = field(SWITCH_FIELD) {
        return again(language(req, survey, Some(to)), here, Vec::new(), 200, None, false).await;
    }
    let lang = language(req, survey, field("lang"));
    // A step's Next (its questions checked) or Back: the other step, with
    // the answers so far; nothing is stored before the last step's Send.
    if let Some(to @ (Move::Next | Move::Back)) = field(STEP_FIELD).and_then(Move::parse) {
        let (at, errors) = steps::turn(def, &form, lang, to);
        let status = if errors.is_empty() { 200 } else { 422 };
        return again(lang, at, errors, status, None, false).await;
    }
    // An anonymous submission needs the token of a page view: its
    // submission id makes a replay store nothing new.
    let mut response_id = String::new();
    let form_key = if anonymous { Some(app.aws.secret(FORM_KEY).await?) } else { None };
    if let Some(key) = &form_key {
        let min_fill_ms = u64::from(app.config.form_min_seconds) * 1000;
        match guard::verify(key.as_slice(), &survey.context.link.id, field(guard::TOKEN_FIELD), now_ms, min_fill_ms) {
            Ok(id) => response_id = id,
            Err(reason) => {
                refused(reason).await?;
                if reason.may_be_a_person() {
                    return again(lang, here, Vec::new(), 422, Some(keys::RESEND_NOTICE), true).await;
                }
                let logo = logo_url(survey);
                return Ok(Submitted::Page(web::html(403, refused_page(def, lang, logo.as_deref()))));
            }
        }
    }
    let answers = match def.validate(&form, lang) {
        Ok(a) => a,
        // the step with the first problem; a yes to "may we contact you?"
        // without a contact asks for it next
        Err(errors) => {
            let retry = steps::retry(def, &form, errors);
            let notice = (retry.ask_contact && !steps::in_steps(def)).then_some(keys::CONTACT_NOTICE);
            return again(lang, retry.at, retry.errors, 422, notice, false).await;
        }
    };
    // Bursts: per source address and per link, in sliding minutes.
    if let Some(key) = &form_key {
        let [link_window, address_window] = guard::window_keys(key.as_slice(), &survey.context.link.id, &source_address(req));
        let windows = [
            (address_window, u64::from(app.config.anonymous_per_address_per_minute)),
            (link_window, u64::from(app.config.anonymous_per_link_per_minute)),
        ];
        if let Some(i) = app.aws.admit(&windows, now_ms).await? {
            refused(if i == 0 { guard::Refusal::AddressBurst } else { guard::Refusal::LinkBurst }).await?;
            return again(lang, here, Vec::new(), 429, Some(keys::BUSY_NOTICE), true).await;
        }
    }
    let mut response = StoredResponse {
        project_id: project_id.to_string(),
        response_id,
        version: def.version,
        language: lang,
        channel: Channel::Anonymous,
        submitted_at: clock::from_ms(now_ms),
        answers,
        embedded: Default::default(),
        contact_email: None,
        first_name: None,
        last_name: None,
        erased_at: None,
        via: None,
    };
    let personal_link = match &survey.context.link.kind {
        LinkKind::Personal { contact, response_id, .. } => {
            response.response_id = response_id.clone();
            response.channel = Channel::Personal;
            response.embedded = contact.fields.clone();
            response.contact_email = Some(contact.email.clone());
            response.first_name = Some(contact.first_name.clone());
            response.last_name = Some(contact.last_name.clone());
            response.via = via;
            Some(survey.context.link.id.as_str())
        }
        LinkKind::Anonymous => None,
    };
    let logo = logo_url(survey);
    let contribution = pulse_shared::domain::report::contribution(def, &response);
    // A response through a link the team handed out counts against the
    // account's budget when it is submitted; a response to an emailed
    // invitation was counted when the invitation was sent.
    let charge = match &survey.context.account_id {
        Some(account_id) if survey.context.link.kind.counts_on_submission() => {
            app.aws.prepare_charge(account_id, now_ms, Record::LinkResponse).await?
        }
        _ => None,
    };
    let gate = Gate {
        charge: charge.as_ref(),
        daily_cap: survey.context.anonymous_daily_cap.map(|cap| (today.as_str(), cap)),
        shards: survey.context.write_shards,
        distribution: match &survey.context.link.kind {
            LinkKind::Personal { distribution_id, .. } => distribution_id.as_deref(),
            LinkKind::Anonymous => None,
        },
    };
    let stored = app.aws.store_response(&response, personal_link, survey.context.revision, contribution.as_ref(), gate).await?;
    let page = match stored {
        Stored::New => {
            tracing::info!(project_id = %response.project_id, response_id = %response.response_id, version = response.version, "response stored");
            web::html(200, thank_you_page(def, lang, logo.as_deref()))
        }
        Stored::AlreadyThere(existing) if existing.answers == response.answers => {
            tracing::info!(response_id = %response.response_id, "repeated submission; nothing stored");
            web::html(200, thank_you_page(def, lang, logo.as_deref()))
        }
        Stored::AlreadyThere(_) => web::html(409, already_answered_page(def, lang, logo.as_deref())),
        Stored::OverBudget => {
            tracing::info!(project_id = %response.project_id, "anonymous response refused: the account's budget is used up");
            web::html(403, budget_used_up_page(def, lang, logo.as_deref()))
        }
        Stored::DailyCap => {
            refused(guard::Refusal::DailyCap).await?;
            web::html(429, daily_cap_page(def, lang, logo.as_deref()))
        }
        Stored::LinkGone => {
            app.aws.forget_link(&survey.context.link.id);
            not_found()
        }
        Stored::ProjectChanged => {
            tracing::info!(project_id = %response.project_id, revision = survey.context.revision, "the project changed since it was read; reading it again");
            return Ok(Submitted::ProjectChanged);
        }
        // More answers arrive than the project's partitions take: the form
        // comes back with its answers and its own token (sent again, it
        // stores the same response once), and a browser or client is told
        // when to try again.
        Stored::Busy => {
            let Submitted::Page(mut page) = again(lang, here, Vec::new(), 503, Some(keys::BUSY_NOTICE), false).await? else {
                unreachable!("the form again is a page")
            };
            let spread = u64::from(pulse_shared::domain::shard::pick(&response.response_id, RETRY_AFTER_SECONDS as u32 + 1));
            page.headers_mut().insert("retry-after", lambda_http::http::HeaderValue::from(RETRY_AFTER_SECONDS + spread));
            page
        }
    };
    Ok(Submitted::Page(page))
}
