//! Projects: the list, a project's page (state, publish, links and QR code) and the preview.

use axum::http::Method;
use maud::{html, Markup, PreEscaped};
use pulse_shared::domain::access::Role;
use pulse_shared::domain::i18n::{pick, t, t_args, Lang};
use pulse_shared::render::console::{csrf_field, field, page, Section};
use pulse_shared::render::keys;
use serde_json::{json, Value};

use pulse_shared::domain::survey::{changes, Change, Definition};

use super::{first, html_response, Failure, Page, PageResult};

/// The anonymous link as a QR code (SVG), made here (qrcode crate).
pub(super) fn qr_svg(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

pub(super) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "–".to_string(),
        other => other.to_string(),
    }
}

/// The project list: each project's state, responses, NPS and last response.
pub(super) async fn projects(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let list = p.api(Method::GET, "/admin/projects", None).await?;
    let mut rows = Vec::new();
    for project in list["projects"].as_array().cloned().unwrap_or_default() {
        let id = project["id"].as_str().unwrap_or_default().to_string();
        let figures = match project["published_version"].as_u64() {
            Some(_) => p.api(Method::GET, &format!("/admin/projects/{id}/figures?period=day"), None).await.unwrap_or(Value::Null),
            None => Value::Null,
        };
        rows.push((project, figures));
    }
    let body = html! {
        h1 { (t(l, keys::C_PROJECTS_TITLE)) }
        @if first(p.query, "deleted") == "1" { p.notice role="status" { (t(l, keys::C_DELETED_NOTICE)) } }
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
                        th scope="col" { (t(l, keys::C_COL_LAST_DAY)) }
                    } }
                    tbody {
                        @for (project, figures) in &rows {
                            tr {
                                td { a href={ "/console/projects/" (project["id"].as_str().unwrap_or_default()) } { (text(&project["organisation_name"])) }
                                     br; span.hint { (kind_name(l, project["kind"].as_str().unwrap_or_default())) } }
                                td { (state_badge(l, project["published_version"].as_u64())) }
                                td.num { (figures["headline"]["responses"].as_u64().map(|n| n.to_string()).unwrap_or_else(|| "0".into())) }
                                td.num { (figures["headline"]["nps"]["score"].as_f64().map(|s| format!("{s:.0}")).unwrap_or_else(|| "–".into())) }
                                td { (last_day(figures).unwrap_or_else(|| "–".into())) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &t(l, keys::C_PROJECTS_TITLE), body), vec![]))
}

/// The latest day with responses in the figures' range (their day trend).
fn last_day(figures: &Value) -> Option<String> {
    figures["trend"]
        .as_array()?
        .iter()
        .rev()
        .find(|p| p["responses"].as_u64().unwrap_or(0) > 0)
        .and_then(|p| p["start"].as_str())
        .map(str::to_string)
}

pub(super) fn short_time(iso: &str) -> String {
    iso.get(..16).map(|s| s.replace('T', " ")).unwrap_or_else(|| iso.to_string())
}

pub(super) fn kind_name(l: Lang, kind: &str) -> String {
    t(l, if kind == "assessment" { keys::C_KIND_ASSESSMENT } else { keys::C_KIND_QUICK })
}

pub(super) fn state_badge(l: Lang, published: Option<u64>) -> Markup {
    match published {
        Some(v) => html! { span.state.published { (t_args(l, keys::C_STATE_PUBLISHED, &[("version", v.into())])) } },
        None => html! { span.state.draft { (t(l, keys::C_STATE_DRAFT)) } },
    }
}

/// A project: its state, publish, links with the QR code, the preview.
pub(super) async fn project(p: &Page<'_>, id: &str) -> PageResult {
    project_page(p, id, None, None).await
}

/// A survey version (0: the draft) as the domain type.
async fn version(p: &Page<'_>, id: &str, n: u64) -> Option<Definition> {
    let v = if n == 0 { "draft".to_string() } else { n.to_string() };
    let def = p.api(Method::GET, &format!("/admin/projects/{id}/survey?version={v}"), None).await.ok()?;
    serde_json::from_value(def).ok()
}

/// The changes of a version in words.
fn change_list(l: Lang, def: &Definition, before: &Definition, changes: &[Change]) -> Markup {
    let title = |qid: &str| {
        def.question(qid).or_else(|| before.question(qid)).map(|q| pick(&q.text, l).to_string()).unwrap_or_else(|| qid.to_string())
    };
    html! {
        ul {
            @for c in changes {
                li { (match c {
                    Change::Organisation => t(l, keys::C_CHANGE_ORG),
                    Change::Languages => t(l, keys::C_CHANGE_LANGUAGES),
                    Change::ResourceLink => t(l, keys::C_CHANGE_RESOURCE),
                    Change::Logo => t(l, keys::C_CHANGE_LOGO),
                    Change::Added(q) => t_args(l, keys::C_CHANGE_ADDED, &[("question", title(q).into())]),
                    Change::Removed(q) => t_args(l, keys::C_CHANGE_REMOVED, &[("question", title(q).into())]),
                    Change::Changed(q) => t_args(l, keys::C_CHANGE_CHANGED, &[("question", title(q).into())]),
                }) }
            }
        }
    }
}

/// Mints a personal link for one contact and shows it on the project page.
pub(super) async fn mint_link(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let f = p.fields;
    let mut fields = serde_json::Map::new();
    for (k, v) in f.iter().filter(|(k, _)| k.starts_with("field.")) {
        if !v.trim().is_empty() {
            fields.insert(k.trim_start_matches("field.").to_string(), json!(v.trim()));
        }
    }
    let mut body = json!({
        "email": first(f, "email").trim(), "first_name": first(f, "first_name").trim(), "last_name": first(f, "last_name").trim(),
        "fields": fields,
    });
    if !first(f, "language").is_empty() {
        body["language"] = json!(first(f, "language"));
    }
    match p.api(Method::POST, &format!("/admin/projects/{id}/links"), Some(body)).await {
        Ok(minted) => project_page(p, id, Some(text(&minted["url"])), None).await,
        Err(Failure::Api { status: 400, body }) => {
            let message = t_args(l, keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            project_page(p, id, None, Some((text(&body["field"]), message))).await
        }
        Err(other) => Err(other),
    }
}

/// Saves the websites that may show the survey (one origin a line; the
/// API's 400 naming the bad entry is shown at the field).
pub(super) async fn embed_origins(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let origins: Vec<&str> = first(p.fields, "embed_origins").lines().map(str::trim).filter(|o| !o.is_empty()).collect();
    let body = json!({ "settings": { "embed_origins": origins } });
    match p.api(Method::PATCH, &format!("/admin/projects/{id}"), Some(body)).await {
        Ok(_) => Ok(super::see_other(&format!("/console/projects/{id}?saved=1#embed-title"), vec![])),
        Err(Failure::Api { status: 400, body }) => {
            let message = t_args(l, keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            project_page(p, id, None, Some(("settings.embed_origins".into(), message))).await
        }
        Err(other) => Err(other),
    }
}

/// Changes how long personal links work (a 400 is shown at the field).
pub(super) async fn link_days(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    // a number the API checks (1 to 365); anything else is its 400, named at the field
    let days = first(p.fields, "personal_link_days").trim().parse::<i64>().unwrap_or(0);
    let body = json!({ "settings": { "personal_link_days": days } });
    match p.api(Method::PATCH, &format!("/admin/projects/{id}"), Some(body)).await {
        Ok(_) => Ok(super::see_other(&format!("/console/projects/{id}?saved=1"), vec![])),
        Err(Failure::Api { status: 400, body }) => {
            let message = t_args(l, keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            project_page(p, id, None, Some(("settings.personal_link_days".into(), message))).await
        }
        Err(other) => Err(other),
    }
}

/// Deletes the project (admins), once its name was typed to confirm.
pub(super) async fn delete(p: &Page<'_>, id: &str) -> PageResult {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let name = text(&project["settings"]["organisation_name"]);
    if first(p.fields, "confirm_name").trim() != name.trim() {
        return project_page(p, id, None, Some(("confirm_name".into(), t(p.lang(), keys::C_DELETE_MISMATCH)))).await;
    }
    p.api(Method::DELETE, &format!("/admin/projects/{id}"), None).await?;
    Ok(super::see_other("/console?deleted=1", vec![]))
}

async fn project_page(p: &Page<'_>, id: &str, minted: Option<String>, mint_error: Option<(String, String)>) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let s = &project["settings"];
    let link = project["anonymous_link"].as_str().unwrap_or_default();
    let published = project["published_version"].as_u64();
    let notice = if first(p.query, "published") == "1" {
        Some(t_args(l, keys::C_PUBLISHED_NOTICE, &[("version", published.unwrap_or(0).into())]))
    } else if first(p.query, "saved") == "1" {
        Some(t(l, keys::C_SAVED_NOTICE))
    } else if first(p.query, "rotated") == "1" {
        Some(t(l, keys::C_ROTATED_NOTICE))
    } else {
        None
    };
    let list = |v: &Value| {
        v.as_array().map(|a| a.iter().map(text).collect::<Vec<_>>().join(", ")).filter(|s| !s.is_empty()).unwrap_or_else(|| "–".into())
    };
    // the draft against the published version, and each version against the one before
    let draft = version(p, id, 0).await;
    let mut history = Vec::new();
    let mut unpublished = Vec::new();
    if let Some(v) = published {
        let mut newer = version(p, id, v).await;
        if let (Some(d), Some(n)) = (&draft, &newer) {
            unpublished = changes(n, d);
        }
        for n in (1..=v).rev().take(20) {
            let older = if n > 1 { version(p, id, n - 1).await } else { None };
            if let Some(def) = newer.take() {
                let list = older.as_ref().map(|o| (o.clone(), changes(o, &def)));
                history.push((n, def, list));
            }
            newer = older;
        }
    }
    let status = if mint_error.is_some() {
        400
    } else if minted.is_some() {
        201
    } else {
        200
    };
    let mint_err = |f: &str| mint_error.as_ref().filter(|(field, _)| field == f).map(|(_, m)| m.as_str());
    let body = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (text(&s["organisation_name"])) " " (state_badge(l, published)) }
        (super::insights::tabs(l, id, ""))
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        dl.summary {
            dt { (t(l, keys::C_FIELD_KIND)) } dd { (kind_name(l, project["kind"].as_str().unwrap_or_default())) }
            dt { (t(l, keys::C_FIELD_BUSINESS)) } dd { (text(&s["business_type"])) }
            dt { (t(l, keys::C_FIELD_LANGUAGES)) } dd { (list(&s["languages"])) }
            dt { (t(l, keys::C_FIELD_OPERATIONAL)) } dd { (list(&s["operational_fields"])) }
            dt { (t(l, keys::C_FIELD_RESOURCE)) } dd { (text(&s["resource_page_url"])) }
            dt { (t(l, keys::C_REVISION)) } dd { (text(&project["revision"])) }
        }
        @if p.role.allows(Role::Editor) {
            p { a.button.secondary href={ "/console/projects/" (id) "/setup/basics" } { (t(l, keys::C_EDIT_SETUP)) } }
        }
        h2 { (t(l, keys::C_PREVIEW_TITLE)) }
        p { a href={ "/console/projects/" (id) "/preview" } { (t(l, keys::C_PREVIEW_OPEN)) } }
        @if published.is_some() {
            h2 { (t(l, keys::C_UNPUBLISHED_TITLE)) }
            @if unpublished.is_empty() {
                p { (t(l, keys::C_UNPUBLISHED_NONE)) }
            } @else if let Some(d) = &draft {
                @if let Some((_, before, _)) = history.first() { (change_list(l, d, before, &unpublished)) }
            }
        }
        @if p.role.allows(Role::Editor) {
            form method="post" action={ "/console/projects/" (id) "/publish" } {
                (csrf_field(p.chrome.csrf))
                p.hint { (t(l, keys::C_PUBLISH_HINT)) }
                button type="submit" { (t(l, keys::C_PUBLISH)) }
            }
        }
        @if !history.is_empty() {
            h2 { (t(l, keys::C_HISTORY_TITLE)) }
            ol reversed {
                @for (n, def, list) in &history {
                    li {
                        strong { (t_args(l, keys::C_HISTORY_VERSION, &[("version", (*n).into())])) } " "
                        a href={ "/console/projects/" (id) "/preview?version=" (n) } { (t(l, keys::C_PREVIEW_TITLE)) }
                        @match list {
                            None => p { (t(l, keys::C_HISTORY_FIRST)) },
                            Some((_, c)) if c.is_empty() => p { (t(l, keys::C_UNPUBLISHED_NONE)) },
                            Some((before, c)) => (change_list(l, def, before, c)),
                        }
                    }
                }
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
        @if let Some(url) = &minted {
            div.notice role="status" {
                label for="minted-link" { (t(l, keys::C_MINTED)) }
                input type="text" id="minted-link" readonly value=(url);
            }
        }
        @if published.is_some() && p.role.allows(Role::Editor) {
            @let closed = project["closed"].as_bool().unwrap_or(false);
            @let action = if closed { "reopen" } else { "close" };
            form method="post" action={ "/console/projects/" (id) "/" (action) } {
                (csrf_field(p.chrome.csrf))
                @if closed {
                    p role="status" { (t_args(l, keys::C_SURVEY_CLOSED, &[("at", short_time(project["closed_at"].as_str().unwrap_or_default()).into())])) }
                    button type="submit" { (t(l, keys::C_REOPEN_SURVEY)) }
                } @else {
                    p { (t(l, keys::C_SURVEY_OPEN)) }
                    button.secondary type="submit" { (t(l, keys::C_CLOSE_SURVEY)) }
                }
            }
            h3 { (t(l, keys::C_ROTATE_TITLE)) }
            form method="post" action={ "/console/projects/" (id) "/rotate" } {
                (csrf_field(p.chrome.csrf))
                p.hint id="rotate-hint" { (t(l, keys::C_ROTATE_HINT)) }
                button.secondary type="submit" aria-describedby="rotate-hint" { (t(l, keys::C_ROTATE_BUTTON)) }
            }
        }
        section aria-labelledby="embed-title" {
            h2 id="embed-title" { (t(l, keys::C_EMBED_TITLE)) }
            p { (t(l, keys::C_EMBED_INTRO)) }
            @if published.is_some() && project["embed"]["enabled"].as_bool() == Some(true) {
                label for="embed-snippet" { (t(l, keys::C_EMBED_SNIPPET)) }
                textarea id="embed-snippet" readonly rows="4" { (text(&project["embed"]["snippet"])) }
            } @else if published.is_some() {
                p { (t(l, keys::C_EMBED_OFF)) }
            }
            @if p.role.allows(Role::Editor) {
                form method="post" action={ "/console/projects/" (id) "/embed" } novalidate {
                    (csrf_field(p.chrome.csrf))
                    @let origins = s["embed_origins"].as_array().map(|a| a.iter().map(text).collect::<Vec<_>>().join("\n")).unwrap_or_default();
                    @let posted = first(p.fields, "embed_origins");
                    @let shown = if mint_err("settings.embed_origins").is_some() { posted.to_string() } else { origins };
                    (field("embed_origins", &t(l, keys::C_EMBED_ORIGINS), "textarea", &shown, Some(&t(l, keys::C_EMBED_ORIGINS_HINT)), mint_err("settings.embed_origins"), false))
                    button.secondary type="submit" { (t(l, keys::C_EMBED_SAVE)) }
                }
            }
        }
        @if p.role.allows(Role::Editor) {
            form method="post" action={ "/console/projects/" (id) "/link-days" } novalidate {
                (csrf_field(p.chrome.csrf))
                (field("personal_link_days", &t(l, keys::C_LINK_DAYS), "number", &text(&s["personal_link_days"]), None, mint_err("settings.personal_link_days"), false))
                button.secondary type="submit" { (t(l, keys::C_LINK_DAYS_SAVE)) }
            }
        }
        @if published.is_some() && p.role.allows(Role::Editor) {
            h3 { (t(l, keys::C_MINT_TITLE)) }
            p.hint { (t(l, keys::C_MINT_HINT)) }
            form method="post" action={ "/console/projects/" (id) "/links" } novalidate {
                (csrf_field(p.chrome.csrf))
                (field("email", &t(l, keys::C_EMAIL), "email", "", None, mint_err("email"), true))
                (field("first_name", &t(l, keys::C_FIRST_NAME), "text", "", None, mint_err("first_name"), true))
                (field("last_name", &t(l, keys::C_LAST_NAME), "text", "", None, mint_err("last_name"), true))
                @for f in s["operational_fields"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    (field(&format!("field.{f}"), f, "text", "", None, mint_err(&format!("fields.{f}")), false))
                }
                label for="language" { (t(l, keys::C_CONTACT_LANGUAGE)) }
                select id="language" name="language" {
                    option value="" { (t(l, keys::C_ANY)) }
                    @for code in s["languages"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                        @if let Some(x) = Lang::parse(code) { option value=(code) lang=(code) { (x.native_name()) } }
                    }
                }
                button type="submit" { (t(l, keys::C_MINT_BUTTON)) }
            }
        }
        @if p.role.allows(Role::Admin) {
            section.danger aria-labelledby="delete-title" {
                h2 id="delete-title" { (t(l, keys::C_DELETE_TITLE)) }
                p { (t(l, keys::C_DELETE_HINT)) }
                form method="post" action={ "/console/projects/" (id) "/delete" } novalidate {
                    (csrf_field(p.chrome.csrf))
                    @let name = text(&s["organisation_name"]);
                    (field("confirm_name", &t_args(l, keys::C_DELETE_CONFIRM, &[("name", name.as_str().into())]), "text", "", None, mint_err("confirm_name"), true))
                    button.danger type="submit" { (t(l, keys::C_DELETE_BUTTON)) }
                }
            }
        }
    };
    Ok(html_response(status, page(&p.in_section(Section::Projects), &text(&s["organisation_name"]), body), vec![]))
}

/// The survey as respondents will see it, at phone and desktop width, per language.
pub(super) async fn preview(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let langs: Vec<Lang> = project["settings"]["languages"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| Lang::parse(v.as_str()?)).collect())
        .unwrap_or_default();
    let shown = Lang::parse(first(p.query, "lang")).filter(|x| langs.contains(x)).or(langs.first().copied()).unwrap_or(Lang::En);
    let version = first(p.query, "version").parse::<u32>().ok();
    let frame = format!(
        "/console/projects/{id}/preview/frame?lang={}{}",
        shown.code(),
        version.map(|v| format!("&version={v}")).unwrap_or_default()
    );
    let body = html! {
        p { a href={ "/console/projects/" (id) } { "← " (text(&project["settings"]["organisation_name"])) } }
        h1 { (t(l, keys::C_PREVIEW_TITLE)) }
        p { (t(l, keys::C_PREVIEW_INTRO)) }
        nav aria-label=(t(l, keys::C_FIELD_LANGUAGES)) {
            ul.steps {
                @for x in &langs {
                    li { a href={ "?lang=" (x.code()) (version.map(|v| format!("&version={v}")).unwrap_or_default()) } lang=(x.code()) aria-current=[(*x == shown).then_some("page")] { (x.native_name()) } }
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
pub(super) async fn preview_frame(p: &Page<'_>, id: &str, posted: bool) -> PageResult {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let version = first(p.query, "version").parse::<u32>().ok();
    let v = version.map(|v| v.to_string()).unwrap_or_else(|| "draft".into());
    let definition = p.api(Method::GET, &format!("/admin/projects/{id}/survey?version={v}"), None).await?;
    let def: Definition = serde_json::from_value(definition).map_err(|_| Failure::NotFound)?;
    let wanted = if posted { first(p.fields, pulse_shared::render::survey::SWITCH_FIELD) } else { first(p.query, "lang") };
    let lang = Lang::parse(wanted).filter(|x| def.languages.contains(x)).or(def.languages.first().copied()).unwrap_or(Lang::En);
    let action = format!("/console/projects/{id}/preview/frame{}", version.map(|v| format!("?version={v}")).unwrap_or_default());
    let values: Vec<(String, String)> = p.fields.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    // The steps of an assessment: Next and Back move (the preview checks nothing).
    let steps = pulse_shared::domain::steps::steps(&def, &values).len();
    let here = pulse_shared::domain::steps::at(&values, steps);
    let step = match pulse_shared::domain::steps::Move::parse(first(p.fields, pulse_shared::domain::steps::STEP_FIELD)) {
        Some(pulse_shared::domain::steps::Move::Next) => (here + 1).min(steps.max(1)),
        Some(pulse_shared::domain::steps::Move::Back) => here.saturating_sub(1).max(1),
        _ => here,
    };
    let html = pulse_shared::render::survey::survey_page(&pulse_shared::render::survey::SurveyPage {
        definition: &def,
        lang,
        action: &action,
        logo_url: project["logo_url"].as_str(),
        values: &values,
        errors: &[],
        form_token: None,
        notice: None,
        step,
        via: None,
    });
    Ok(html_response(200, html, vec![]))
}
