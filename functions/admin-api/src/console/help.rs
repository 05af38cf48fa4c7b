//! Help and status: the first pulse's checklist (ticked from the stack's
//! state by `GET /admin/checklist`), the stack's status (`GET
//! /admin/status`), the data and security document generated from the
//! template embedded at build time, and the support bundle (`GET
//! /admin/support-bundle`, admins only) as a download.

use std::sync::LazyLock;

use axum::http::{header, Method};
use lambda_http::{Body, Response};
use maud::{html, Markup};
use pulse_shared::domain::access::Role;
use pulse_shared::domain::datamap::{read_template, Deployment};
use pulse_shared::domain::i18n::{t, t_args, Lang};
use pulse_shared::render::console::{page, Section};
use pulse_shared::render::datamap::{data_document, Settings};
use pulse_shared::render::keys;
use serde_json::Value;

use super::projects::text;
use super::{html_response, Failure, Page, PageResult};

/// The template this function was built with: the data document's source.
const TEMPLATE: &str = include_str!("../../../../template.yaml");

static DEPLOYMENT: LazyLock<Result<Deployment, String>> = LazyLock::new(|| read_template(TEMPLATE));

/// The section's own navigation: its three pages.
fn subnav(l: Lang, here: &str) -> Markup {
    let entry = |href: &str, key: &str| {
        html! { li { a href=(href) aria-current=[(href == here).then_some("page")] { (t(l, key)) } } }
    };
    html! {
        nav aria-label=(t(l, keys::C_HELP_PAGES)) {
            ul.steps {
                (entry("/console/help", keys::C_HELP_CHECKLIST))
                (entry("/console/help/status", keys::C_HELP_STATUS))
                (entry("/console/help/data", keys::C_HELP_DATA))
            }
        }
    }
}

/// A step's title and what to do next.
fn step_texts(step: &str) -> (&'static str, &'static str) {
    match step {
        "sender_verified" => (keys::C_STEP_SENDER, keys::C_STEP_SENDER_NEXT),
        "out_of_sandbox" => (keys::C_STEP_SANDBOX, keys::C_STEP_SANDBOX_NEXT),
        "first_project" => (keys::C_STEP_PROJECT, keys::C_STEP_PROJECT_NEXT),
        "first_upload" => (keys::C_STEP_UPLOAD, keys::C_STEP_UPLOAD_NEXT),
        "first_send" => (keys::C_STEP_SEND, keys::C_STEP_SEND_NEXT),
        _ => (keys::C_STEP_REPORT, keys::C_STEP_REPORT_NEXT),
    }
}

/// `GET /console/help`: the first pulse's checklist.
pub(super) async fn checklist(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let v = p.api(Method::GET, "/admin/checklist", None).await?;
    let items = v["items"].as_array().cloned().unwrap_or_default();
    let done = items.iter().filter(|i| i["done"] == true).count();
    let sender = p.app.config.sender_email.as_str();
    let body = html! {
        h1 { (t(l, keys::C_NAV_HELP)) }
        (subnav(l, "/console/help"))
        h2 { (t(l, keys::C_HELP_CHECKLIST)) }
        p { (t(l, keys::C_HELP_CHECKLIST_INTRO)) }
        p.notice role="status" id="checklist-progress" { (t_args(l, keys::C_HELP_PROGRESS, &[("done", done.into()), ("total", items.len().into())])) }
        ol.checklist aria-describedby="checklist-progress" {
            @for item in &items {
                @let step = item["step"].as_str().unwrap_or_default();
                @let (title, next) = step_texts(step);
                @let (mark, class, state) = match item["done"].as_bool() {
                    Some(true) => ("✓", "state ok", t(l, keys::C_STEP_DONE)),
                    Some(false) => ("○", "state bad", t(l, keys::C_STEP_OPEN)),
                    None => ("?", "state unknown", t(l, keys::C_STEP_UNKNOWN)),
                };
                li data-step=(step) data-done=(item["done"].to_string()) {
                    span.mark aria-hidden="true" { (mark) }
                    strong { (t(l, title)) } " "
                    span class=(class) { (state) }
                    @if let Some(href) = item["next"].as_str() {
                        p style="margin:.25rem 0 0" {
                            a href=(href) { (t_args(l, next, &[("sender", sender.into())])) }
                        }
                    }
                }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Help), &t(l, keys::C_HELP_CHECKLIST), body), vec![]))
}

fn answers(l: Lang, ok: bool) -> Markup {
    html! {
        @if ok { span."state ok" { (t(l, keys::C_STATUS_ANSWERS)) } } @else { span."state bad" { (t(l, keys::C_STATUS_SILENT)) } }
    }
}

fn number(v: &Value) -> String {
    v.as_f64().map(|n| if n.fract() == 0.0 { format!("{n:.0}") } else { format!("{n}") }).unwrap_or_else(|| "–".into())
}

/// `GET /console/help/status`: every resource, the dead letters, SES, the
/// schedules and the version.
pub(super) async fn status(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let v = p.api(Method::GET, "/admin/status", None).await?;
    let checks = v["checks"].as_array().cloned().unwrap_or_default();
    let failing = checks.iter().filter(|c| c["ok"] != true).count();
    let ses = &v["ses"];
    let account = &ses["account"];
    let body = html! {
        h1 { (t(l, keys::C_NAV_HELP)) }
        (subnav(l, "/console/help/status"))
        h2 { (t(l, keys::C_HELP_STATUS)) }
        @if failing == 0 {
            p.notice role="status" { (t(l, keys::C_STATUS_ALL_OK)) }
        } @else {
            p.alert role="alert" { (t_args(l, keys::C_STATUS_NOT_ALL_OK, &[("count", failing.into())])) }
        }
        section aria-labelledby="resources" {
            h3 id="resources" { (t(l, keys::C_STATUS_RESOURCES)) }
            div.scroll {
                table {
                    thead { tr {
                        th scope="col" { (t(l, keys::C_STATUS_COL_RESOURCE)) }
                        th scope="col" { (t(l, keys::C_STATUS_COL_STATE)) }
                        th scope="col" { (t(l, keys::C_STATUS_COL_NAME)) }
                    } }
                    tbody {
                        @for c in &checks {
                            tr {
                                th scope="row" { (resource_name(l, c["resource"].as_str().unwrap_or_default())) }
                                td { (answers(l, c["ok"] == true)) @if let Some(d) = c["detail"].as_str() { br; span.hint { (d) } } }
                                td { code { (text(&c["name"])) } }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="dead-letters" {
            h3 id="dead-letters" { (t(l, keys::C_STATUS_DEAD_LETTERS)) }
            p { (t(l, keys::C_STATUS_DEAD_INTRO)) }
            div.scroll {
                table {
                    thead { tr {
                        th scope="col" { (t(l, keys::C_DATA_COL_STORE)) }
                        th scope="col" class="num" { (t(l, keys::C_STATUS_COL_WAITING)) }
                    } }
                    tbody {
                        @for q in v["dead_letters"].as_array().into_iter().flatten() {
                            tr data-queue=(text(&q["name"])) {
                                th scope="row" { (text(&q["name"])) }
                                td.num data-waiting=(q["waiting"].to_string()) {
                                    @match q["waiting"].as_u64() {
                                        Some(0) => { "0" }
                                        Some(n) => { span."state bad" { (n) } }
                                        None => { span."state unknown" { (t(l, keys::C_STATUS_UNREADABLE)) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="ses" {
            h3 id="ses" { (t(l, keys::C_STATUS_SES)) }
            dl.summary.doc {
                dt { (t(l, keys::C_STATUS_SENDER)) }
                dd {
                    code { (text(&ses["sender"])) } " — "
                    @match ses["sender_verified"].as_bool() {
                        Some(true) => { span."state ok" { (t(l, keys::C_STATUS_VERIFIED)) } }
                        Some(false) => { (t_args(l, keys::C_STATUS_NOT_VERIFIED, &[("sender", text(&ses["sender"]).into())])) }
                        None => { span."state unknown" { (t(l, keys::C_STEP_UNKNOWN)) } }
                    }
                }
                @if account.is_object() {
                    dt { (t(l, keys::C_STATUS_SANDBOX)) }
                    dd { @if account["production_access"] == true { (t(l, keys::C_STATUS_OUT_OF_SANDBOX)) } @else { (t(l, keys::C_STATUS_IN_SANDBOX)) } }
                    dt { (t(l, keys::C_STATUS_QUOTA)) }
                    dd { (t_args(l, keys::C_STATUS_QUOTA_VALUE, &[
                        ("day", number(&account["max_24_hour_send"]).into()),
                        ("rate", number(&account["max_send_rate"]).into()),
                        ("sent", number(&account["sent_last_24_hours"]).into()),
                    ])) }
                }
                dt { (t(l, keys::C_STATUS_RATE)) }
                dd { (t_args(l, keys::C_STATUS_RATE_VALUE, &[("rate", ses["configured_rate"].as_u64().unwrap_or(0).into())])) }
            }
            @if !account.is_object() { p.alert { (t(l, keys::C_STATUS_SES_UNREADABLE)) } }
            @if account["sending_enabled"] == false { p.alert { (t(l, keys::C_STATUS_PAUSED)) } }
            @if ses["rate_too_high"] == true {
                p.alert id="rate-warning" { (t_args(l, keys::C_STATUS_RATE_TOO_HIGH, &[
                    ("configured", ses["configured_rate"].as_u64().unwrap_or(0).into()),
                    ("quota", number(&account["max_send_rate"]).into()),
                ])) }
            }
        }
        section aria-labelledby="schedules" {
            h3 id="schedules" { (t(l, keys::C_STATUS_SCHEDULES)) }
            @let schedules = v["schedules"].as_array().cloned().unwrap_or_default();
            @if schedules.is_empty() { p { (t(l, keys::C_STATUS_NO_SCHEDULES)) } }
            @else {
                div.scroll {
                    table {
                        thead { tr {
                            th scope="col" { (t(l, keys::C_STATUS_COL_RULE)) }
                            th scope="col" { (t(l, keys::C_STATUS_COL_WHEN)) }
                            th scope="col" { (t(l, keys::C_STATUS_COL_STATE)) }
                        } }
                        tbody {
                            @for s in &schedules {
                                tr {
                                    th scope="row" { code { (text(&s["rule"])) } @if let Some(d) = s["description"].as_str() { br; span.hint { (d) } } }
                                    td { code { (s["expression"].as_str().unwrap_or("–")) } }
                                    td {
                                        @match s["enabled"].as_bool() {
                                            Some(true) => { span."state ok" { (t(l, keys::C_STATUS_ENABLED)) } }
                                            Some(false) => { span."state unknown" { (t(l, keys::C_STATUS_DISABLED)) } }
                                            None => { span."state bad" { (t(l, keys::C_STATUS_UNREADABLE)) } br; span.hint { (text(&s["detail"])) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="version" {
            h3 id="version" { (t(l, keys::C_STATUS_VERSION)) }
            dl.summary.doc {
                dt { (t(l, keys::C_STATUS_VERSION)) } dd { code { (text(&v["version"]["version"])) } }
                dt { (t(l, keys::C_STATUS_BUILD)) }
                dd { @match v["version"]["build"].as_str() { Some(b) => { code { (b) } } None => { (t(l, keys::C_STATUS_NO_BUILD)) } } }
            }
        }
        section aria-labelledby="bundle" {
            h3 id="bundle" { (t(l, keys::C_HELP_BUNDLE)) }
            p { (t(l, keys::C_HELP_BUNDLE_INTRO)) }
            @if p.role == Role::Admin {
                p { a.button href="/console/help/support-bundle.json" download { (t(l, keys::C_HELP_BUNDLE_DOWNLOAD)) } }
            } @else {
                p.hint { (t(l, keys::C_HELP_BUNDLE_ADMINS)) }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Help), &t(l, keys::C_HELP_STATUS), body), vec![]))
}

/// `GET /console/help/data`: the data and security document of this
/// deployment, from the template it was built with and its settings.
pub(super) async fn data(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let deployment = DEPLOYMENT.as_ref().map_err(|e| Failure::Api { status: 500, body: serde_json::json!({ "message": e }) })?;
    let c = &p.app.config;
    let settings = Settings {
        days: [("UploadRetentionDays", c.upload_retention_days), ("LogRetentionDays", c.log_retention_days)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), u64::from(v)))
            .collect(),
        share_link_days: pulse_shared::domain::report::record::LINK_DAYS,
        personal_link_days: u64::from(pulse_shared::domain::settings::DEFAULT_PERSONAL_LINK_DAYS),
        account_link_days: pulse_shared::render::mail::ACCOUNT_SECTION_LINK_DAYS,
        session_hours: super::SESSION_SECONDS / 3600,
    };
    let body = html! {
        h1 { (t(l, keys::C_NAV_HELP)) }
        (subnav(l, "/console/help/data"))
        h2 { (t(l, keys::C_HELP_DATA)) }
        (data_document(l, deployment, &settings))
    };
    Ok(html_response(200, page(&p.in_section(Section::Help), &t(l, keys::C_HELP_DATA), body), vec![]))
}

/// `GET /console/help/support-bundle.json`: the bundle as a download (the
/// API refuses anyone but an admin).
pub(super) async fn bundle(p: &Page<'_>) -> PageResult {
    let v = p.api(Method::GET, "/admin/support-bundle", None).await?;
    let day: String = p.app.clock.now().chars().take(10).collect();
    Ok(Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"pulse-support-bundle-{day}.json\""))
        .header(header::CACHE_CONTROL, "no-store")
        .header("x-content-type-options", "nosniff")
        .body(Body::Text(serde_json::to_string_pretty(&v).unwrap_or_default()))
        .unwrap_or_default())
}

/// A resource of the status page (as the API names it) in the reader's words.
fn resource_name(l: Lang, resource: &str) -> String {
    let key = match resource {
        "core table" => keys::C_RES_CORE_TABLE,
        "contacts table" => keys::C_RES_CONTACTS_TABLE,
        "responses table" => keys::C_RES_RESPONSES_TABLE,
        "data bucket" => keys::C_RES_DATA_BUCKET,
        "send queue" => keys::C_RES_SEND_QUEUE,
        "import queue" => keys::C_RES_IMPORT_QUEUE,
        "report queue" => keys::C_RES_REPORT_QUEUE,
        other => return other.to_string(),
    };
    t(l, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_of_the_status_page_is_named_in_the_readers_language() {
        let resources = ["core table", "contacts table", "responses table", "data bucket", "send queue", "import queue", "report queue"];
        for l in [Lang::En, Lang::De, Lang::Fi] {
            for r in resources {
                assert_ne!(resource_name(l, r), r, "{l:?}: {r}");
            }
        }
        assert_eq!(resource_name(Lang::De, "core table"), "Haupttabelle (Projekte, Links, Versände, Budgets)");
    }
}
