//! B2B accounts: the account list with its hierarchy, health, churn flag
//! and rolled-up figures over a period; one account's page (the very
//! section its team gets by email, in the reader's language); and the
//! account report routed to every account's team; the automated sync (its
//! drop folder, settings and runs).

use axum::http::Method;
use maud::html;
use pulse_shared::domain::access::Role;
use pulse_shared::domain::b2b::AccountReport;
use pulse_shared::domain::i18n::{t, t_args};
use pulse_shared::render::console::{csrf_field, field, page, urlencode, Section};
use pulse_shared::render::keys;

use super::projects::text;
use super::{first, html_response, Failure, Page, PageResult};

/// The report of the period the query names (the API's default: 28 days).
async fn report(p: &Page<'_>, id: &str) -> Result<(String, AccountReport), Failure> {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let (from, to) = (first(p.query, "from"), first(p.query, "to"));
    let mut path = format!("/admin/projects/{id}/accounts");
    let range: Vec<String> =
        [("from", from), ("to", to)].iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
    if !range.is_empty() {
        path = format!("{path}?{}", range.join("&"));
    }
    let value = p.api(Method::GET, &path, None).await?;
    let report = serde_json::from_value(value).map_err(|_| Failure::NotFound)?;
    Ok((text(&project["settings"]["organisation_name"]), report))
}

fn signed(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:+.0}")).unwrap_or_else(|| "—".into())
}

/// The account list.
pub(super) async fn accounts(p: &Page<'_>, id: &str) -> PageResult {
    accounts_with(p, id, None).await
}

async fn accounts_with(p: &Page<'_>, id: &str, sent: Option<(u64, u64)>) -> PageResult {
    let l = p.lang();
    let (org, r) = report(p, id).await?;
    let title = t_args(l, keys::C_ACCOUNTS_TITLE, &[("org", org.as_str().into())]);
    let query = format!("?from={}&to={}", r.from, r.to);
    let body = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (title) }
        (super::insights::tabs(l, id, "accounts"))
        p {
            a href={ "/console/projects/" (id) "/uploads" } { (t(l, keys::C_UPLOADS_LINK)) }
            " · "
            a href={ "/console/projects/" (id) "/accounts/sync" } { (t(l, keys::C_SYNC_LINK)) }
        }
        form method="get" action={ "/console/projects/" (id) "/accounts" } {
            fieldset {
                legend { (t(l, keys::C_RANGE)) }
                label for="from" { (t(l, keys::C_FROM)) }
                input type="date" id="from" name="from" value=(r.from);
                label for="to" { (t(l, keys::C_TO)) }
                input type="date" id="to" name="to" value=(r.to);
                button type="submit" { (t(l, keys::C_SHOW)) }
            }
        }
        @if let Some((sections, emailed)) = sent {
            p.notice role="status" { (t_args(l, keys::C_SECTIONS_SENT, &[("sections", sections.into()), ("emailed", emailed.into())])) }
        }
        @if r.accounts.is_empty() {
            p { (t(l, keys::C_NO_B2B_ACCOUNTS)) }
        } @else {
            div.scroll { table {
                caption { (t_args(l, keys::C_ACCOUNTS_CAPTION, &[("from", r.from.as_str().into()), ("to", r.to.as_str().into())])) }
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_ACCOUNT)) }
                    th scope="col" class="num" { (t(l, keys::ACCOUNT_HEALTH_SCORE)) }
                    th scope="col" class="num" { "NPS" }
                    th scope="col" class="num" { (t(l, keys::C_COL_TREND)) }
                    th scope="col" class="num" { (t(l, keys::ACCOUNT_RESPONSES)) }
                    th scope="col" { (t(l, keys::C_COL_CHURN)) }
                } }
                tbody { @for a in &r.accounts {
                    tr {
                        th scope="row" style={ "padding-left:" (0.5 + a.depth as f64 * 1.25) "rem" } {
                            @if a.depth > 0 { span aria-hidden="true" { "↳ " } }
                            a href={ "/console/projects/" (id) "/accounts/" (urlencode(&a.id)) (query) } { (a.name) }
                        }
                        td.num { (a.health.score.map(|s| format!("{s:.0}")).unwrap_or_else(|| "—".into())) }
                        td.num { (signed(a.health.nps)) }
                        td.num { (signed(a.health.trend)) }
                        td.num { (a.rolled_up.responses) }
                        td { @if a.health.churn_risk { strong { (t(l, keys::ACCOUNT_CHURN_RISK)) } } @else { "—" } }
                    }
                } }
            } }
            @if r.deleted_accounts > 0 {
                p { (t_args(l, keys::C_DELETED_ACCOUNTS, &[("count", (r.deleted_accounts as u64).into())])) }
            }
            form method="post" action={ "/console/projects/" (id) "/accounts/send" } {
                (csrf_field(p.chrome.csrf))
                p { (t(l, keys::C_SEND_SECTIONS_HINT)) }
                button type="submit" { (t(l, keys::C_SEND_SECTIONS)) }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &title, body), vec![]))
}

/// One account: its section of the report, in the reader's language.
pub(super) async fn account(p: &Page<'_>, id: &str, account_id: &str) -> PageResult {
    let l = p.lang();
    let (org, r) = report(p, id).await?;
    let a = r.accounts.iter().find(|a| a.id == account_id).ok_or(Failure::NotFound)?;
    let sub: Vec<_> = r.accounts.iter().filter(|x| a.children.contains(&x.id)).collect();
    let contacts = p.api(Method::GET, &format!("/admin/projects/{id}/accounts/{}/contacts", urlencode(account_id)), None).await?;
    let contacts = contacts["contacts"].as_array().cloned().unwrap_or_default();
    let body = html! {
        p { a href={ "/console/projects/" (id) "/accounts?from=" (r.from) "&to=" (r.to) } { "← " (t(l, keys::C_TAB_ACCOUNTS)) } }
        (pulse_shared::render::accounts::section_body(l, &org, &r.from, &r.to, a, &sub))
        h2 { (t(l, keys::C_ACCOUNT_CONTACTS)) }
        @if contacts.is_empty() {
            p { (t(l, keys::C_ACCOUNT_NO_CONTACTS)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_NAME)) }
                    th scope="col" { (t(l, keys::C_EMAIL)) }
                    th scope="col" { (t(l, keys::C_COL_TITLE)) }
                    th scope="col" { (t(l, keys::C_COL_CLIENT_ROLE)) }
                } }
                tbody { @for c in &contacts {
                    tr {
                        td { (text(&c["first_name"])) " " (text(&c["last_name"])) }
                        td { (text(&c["email"])) }
                        td { (text(&c["title"])) }
                        td { (pulse_shared::render::accounts::client_role(l, c["role"].as_str().unwrap_or_default())) }
                    }
                } }
            } }
        }
    };
    let title = t_args(l, keys::ACCOUNT_PAGE_TITLE, &[("account", a.name.as_str().into())]);
    Ok(html_response(200, page(&p.in_section(Section::Projects), &title, body), vec![]))
}

/// Each account's section made and emailed to its team (once per report).
pub(super) async fn send(p: &Page<'_>, id: &str) -> PageResult {
    let done = p.api(Method::POST, &format!("/admin/projects/{id}/accounts/report"), None).await?;
    let sections = done["sections"].as_u64().unwrap_or(0);
    let emailed = done["emailed"].as_array().map_or(0, |e| e.len() as u64);
    accounts_with(p, id, Some((sections, emailed))).await
}

/// The automated sync: its drop folder (with an `aws s3 cp` line), its
/// settings, and its latest runs with each file's outcome.
pub(super) async fn sync_page(p: &Page<'_>, id: &str) -> PageResult {
    sync_with(p, id, 200, None).await
}

async fn sync_with(p: &Page<'_>, id: &str, status: u16, error: Option<(String, String)>) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let v = p.api(Method::GET, &format!("/admin/projects/{id}/b2b/sync"), None).await?;
    let org = text(&project["settings"]["organisation_name"]);
    let tz = project["settings"]["time_zone"].as_str().unwrap_or("UTC").to_string();
    let title = t_args(l, keys::C_SYNC_TITLE, &[("org", org.as_str().into())]);
    let folder = text(&v["drop_folder"]);
    let s = &v["sync"];
    // after a refusal the form shows what was posted
    let posted = error.is_some();
    let value = |name: &str, stored: &serde_json::Value| if posted { first(p.fields, name).to_string() } else { text(stored) };
    let every = if posted { first(p.fields, "every").to_string() } else { s["schedule"]["every"].as_str().unwrap_or("none").to_string() };
    let checked = |name: &str, default: bool| if posted { !first(p.fields, name).is_empty() } else { s[name].as_bool().unwrap_or(default) };
    let err = |field: &str| error.as_ref().filter(|(f, _)| f == field).map(|(_, m)| m.as_str());
    let shown_at_field = [
        "schedule.at",
        "schedule.from",
        "salesforce.instance_url",
        "salesforce.auth.username",
        "client_id",
        "client_secret",
        "private_key",
    ];
    let other_error = error.as_ref().filter(|(f, _)| !shown_at_field.contains(&f.as_str())).map(|(_, m)| m.as_str());
    let source = if posted && !first(p.fields, "source").is_empty() {
        first(p.fields, "source").to_string()
    } else {
        s["source"].as_str().unwrap_or("drop_folder").to_string()
    };
    let sf = &s["salesforce"];
    let flow = if posted && !first(p.fields, "flow").is_empty() {
        first(p.fields, "flow").to_string()
    } else {
        sf["auth"]["flow"].as_str().unwrap_or("client_credentials").to_string()
    };
    let secret_changed = v["secret"]["changed_at"].as_str().map(str::to_string);
    let runs = v["runs"].as_array().cloned().unwrap_or_default();
    let state_text = |state: &str| match state {
        "running" => t(l, keys::C_SYNC_STATE_RUNNING),
        "done" => t(l, keys::C_SYNC_STATE_DONE),
        "partial" => t(l, keys::C_SYNC_STATE_PARTIAL),
        _ => t(l, keys::C_SYNC_STATE_FAILED),
    };
    let body = html! {
        p { a href={ "/console/projects/" (id) "/accounts" } { "← " (t(l, keys::C_TAB_ACCOUNTS)) } }
        h1 { (title) }
        @if first(p.query, "saved") == "1" { p.notice role="status" { (t(l, keys::C_SYNC_SAVED)) } }
        @if first(p.query, "secret") == "1" { p.notice role="status" { (t(l, keys::C_SYNC_SECRET_SAVED)) } }
        @if first(p.query, "queued") == "1" { p.notice role="status" { (t(l, keys::C_SYNC_QUEUED)) } }
        @if !s.is_null() && p.role.allows(Role::Editor) {
            form method="post" action={ "/console/projects/" (id) "/accounts/sync/run" } {
                (csrf_field(p.chrome.csrf))
                button type="submit" { (t(l, keys::C_SYNC_RUN_NOW)) }
            }
        }
        p { (t(l, keys::C_SYNC_INTRO)) }
        @if source == "salesforce" { p { (t(l, keys::C_SYNC_SF_INTRO)) } }
        @if source != "salesforce" {
            h2 { (t(l, keys::C_SYNC_FOLDER)) }
            p { code { (folder) } }
            p.hint { (t(l, keys::C_SYNC_FOLDER_HINT)) }
            p { a href={ "/console/projects/" (id) "/accounts/sftp" } { (t(l, keys::C_SFTP_LINK)) } }
            p { (t(l, keys::C_SYNC_COPY_HINT)) }
            pre { code {
                "aws s3 cp Account.csv " (folder) "accounts/\n"
                "aws s3 cp Contact.csv " (folder) "contacts/\n"
                "aws s3 cp AccountTeamMember.csv " (folder) "team/"
            } }
        }
        h2 id="sync-settings" { (t(l, keys::C_SYNC_SETTINGS)) }
        @if s.is_null() { p { (t(l, keys::C_SYNC_NOT_SET)) } }
        @if let Some(e) = other_error { p.alert role="alert" { (e) } }
        form method="post" action={ "/console/projects/" (id) "/accounts/sync" } novalidate {
            (csrf_field(p.chrome.csrf))
            fieldset {
                legend { (t(l, keys::C_SYNC_SOURCE)) }
                @for (v, key) in [("drop_folder", keys::C_SYNC_SOURCE_DROP), ("salesforce", keys::C_SYNC_SOURCE_SALESFORCE)] {
                    div {
                        input type="radio" id={ "source-" (v) } name="source" value=(v) checked[source == v];
                        label for={ "source-" (v) } { (t(l, key)) }
                    }
                }
            }
            fieldset {
                legend { (t(l, keys::C_SYNC_SOURCE_SALESFORCE)) }
                (field("instance_url", &t(l, keys::C_SYNC_SF_URL), "url", &value("instance_url", &sf["instance_url"]), None, err("salesforce.instance_url"), false))
                fieldset {
                    legend { (t(l, keys::C_SYNC_SF_FLOW)) }
                    @for (v, key) in [("client_credentials", keys::C_SYNC_SF_CLIENT_CREDENTIALS), ("jwt_bearer", keys::C_SYNC_SF_JWT)] {
                        div {
                            input type="radio" id={ "flow-" (v) } name="flow" value=(v) checked[flow == v];
                            label for={ "flow-" (v) } { (t(l, key)) }
                        }
                    }
                }
                (field("username", &t(l, keys::C_SYNC_SF_USERNAME), "email", &value("username", &sf["auth"]["username"]), None, err("salesforce.auth.username"), false))
            }
            fieldset {
                legend { (t(l, keys::C_SYNC_SCHEDULE)) }
                @for (v, key) in [("none", keys::C_SYNC_SCHEDULE_NONE), ("hourly", keys::C_SYNC_SCHEDULE_HOURLY), ("daily", keys::C_SYNC_SCHEDULE_DAILY)] {
                    div {
                        input type="radio" id={ "every-" (v) } name="every" value=(v) checked[every == v];
                        label for={ "every-" (v) } { (t(l, key)) }
                    }
                }
            }
            (field("at", &t_args(l, keys::C_SYNC_AT, &[("tz", tz.as_str().into())]), "time", &value("at", &s["schedule"]["at"]), None, err("schedule.at"), false))
            (field("from", &t(l, keys::C_SYNC_FROM), "date", &value("from", &s["schedule"]["from"]), None, err("schedule.from"), false))
            @for (name, key, default) in [("new_list", keys::C_SYNC_NEW_LIST, true), ("distribute", keys::C_SYNC_DISTRIBUTE, false), ("enabled", keys::C_SYNC_ENABLED, true)] {
                div {
                    input type="checkbox" id=(name) name=(name) value="on" checked[checked(name, default)];
                    label for=(name) { (t(l, key)) }
                }
            }
            button type="submit" { (t(l, keys::C_SYNC_SAVE)) }
        }
        @if source == "salesforce" {
            h2 id="sync-secret" { (t(l, keys::C_SYNC_SECRET)) }
            @match &secret_changed {
                Some(at) => p { (t_args(l, keys::C_SYNC_SECRET_SET, &[("at", format!("{} UTC", super::projects::short_time(at)).into())])) },
                None => p { (t(l, keys::C_SYNC_SECRET_NOT_SET)) },
            }
            p.hint { (t(l, keys::C_SYNC_SECRET_HINT)) }
            @if p.role == Role::Admin { form method="post" action={ "/console/projects/" (id) "/accounts/sync/secret" } novalidate autocomplete="off" {
                (csrf_field(p.chrome.csrf))
                (field("client_id", &t(l, keys::C_SYNC_CLIENT_ID), "text", "", None, err("client_id"), true))
                (field("client_secret", &t(l, keys::C_SYNC_CLIENT_SECRET), "password", "", None, err("client_secret"), false))
                (field("private_key", &t(l, keys::C_SYNC_PRIVATE_KEY), "textarea", "", None, err("private_key"), false))
                button type="submit" { (t(l, keys::C_SYNC_SECRET_SAVE)) }
            } }
        }
        h2 { (t(l, keys::C_SYNC_RUNS)) }
        @if runs.is_empty() {
            p { (t(l, keys::C_SYNC_NO_RUNS)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_SYNC_COL_STARTED)) }
                    th scope="col" { (t(l, keys::C_SYNC_COL_STATE)) }
                    th scope="col" { (t(l, keys::C_SYNC_COL_FILES)) }
                    th scope="col" { (t(l, keys::C_SYNC_COL_RESULT)) }
                } }
                tbody { @for r in &runs {
                    tr {
                        td {
                            (text(&r["started_at"])) br;
                            span.hint { (match r["trigger"].as_str() {
                                Some("schedule") => t(l, keys::C_SYNC_TRIGGER_SCHEDULE),
                                Some("manual") => t(l, keys::C_SYNC_TRIGGER_MANUAL),
                                _ => t(l, keys::C_SYNC_TRIGGER_DROP),
                            }) }
                        }
                        td { strong { (state_text(r["state"].as_str().unwrap_or_default())) } }
                        td {
                            @if let Some(since) = r["salesforce"]["since"].as_str() { p.hint { (t_args(l, keys::C_SYNC_SINCE, &[("since", format!("{} UTC", super::projects::short_time(since)).into())])) } }
                            @let objects = r["salesforce"]["objects"].as_array().cloned().unwrap_or_default();
                            @if !objects.is_empty() { ul { @for o in &objects {
                                li { (t_args(l, keys::C_SYNC_OBJECT_COUNTS, &[
                                    ("object", text(&o["object"]).into()),
                                    ("records", o["records"].as_u64().unwrap_or(0).into()),
                                    ("deleted", o["deleted"].as_u64().unwrap_or(0).into()),
                                    ("pages", o["pages"].as_u64().unwrap_or(0).into()),
                                ])) }
                            } } }
                            ul { @for f in r["files"].as_array().into_iter().flatten() {
                            li {
                                code { (text(&f["key"])) } ": "
                                @if let Some(e) = f["error"].as_str() { span.error { (e) } } @else {
                                    (t_args(l, keys::C_SYNC_FILE_COUNTS, &[("accepted", f["counts"]["accepted"].as_u64().unwrap_or(0).into()), ("rejected", f["counts"]["rejected"].as_u64().unwrap_or(0).into())]))
                                }
                                @let rejections = f["first_rejections"].as_array().cloned().unwrap_or_default();
                                @if !rejections.is_empty() { ul { @for x in &rejections {
                                    li { (t_args(l, keys::C_SYNC_REJECTION, &[("line", x["line"].as_u64().unwrap_or(0).into()), ("column", text(&x["column"]).into()), ("reason", text(&x["reason"]).into())])) }
                                } } }
                            }
                        } }
                        }
                        td {
                            @if let Some(reason) = r["reason"].as_str() { p.error { (reason) } }
                            @if r["state"] != "failed" && r["state"] != "running" {
                                p { (t_args(l, keys::C_SYNC_NEW_CONTACTS, &[("count", r["new_contacts"].as_u64().unwrap_or(0).into())])) }
                            }
                            @if r["distribution_id"].is_string() { p { (t(l, keys::C_SYNC_DISTRIBUTION)) } }
                            @for i in r["ignored"].as_array().into_iter().flatten() {
                                p.hint { (t_args(l, keys::C_SYNC_IGNORED, &[("key", text(&i["key"]).into()), ("reason", text(&i["reason"]).into())])) }
                            }
                        }
                    }
                } }
            } }
        }
    };
    Ok(html_response(status, page(&p.in_section(Section::Projects), &title, body), vec![]))
}

/// Saves the sync's settings from the form (a 400 is shown at its field).
pub(super) async fn save_sync(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let on = |name: &str| !first(p.fields, name).is_empty();
    let from = first(p.fields, "from").trim();
    let mut schedule = match first(p.fields, "every") {
        "hourly" => serde_json::json!({ "every": "hourly" }),
        "daily" => serde_json::json!({ "every": "daily", "at": first(p.fields, "at").trim() }),
        _ => serde_json::Value::Null,
    };
    if !schedule.is_null() && !from.is_empty() {
        schedule["from"] = from.into();
    }
    let mut body = serde_json::json!({ "source": "drop_folder", "schedule": schedule, "new_list": on("new_list"), "distribute": on("distribute"), "enabled": on("enabled") });
    if first(p.fields, "source") == "salesforce" {
        // the field mapping and API version set through the API are kept
        let stored = p.api(Method::GET, &format!("/admin/projects/{id}/b2b/sync"), None).await?;
        let mut sf = stored["sync"]["salesforce"].as_object().cloned().unwrap_or_default();
        sf.insert("instance_url".into(), first(p.fields, "instance_url").trim().into());
        let auth = match first(p.fields, "flow") {
            "jwt_bearer" => serde_json::json!({ "flow": "jwt_bearer", "username": first(p.fields, "username").trim() }),
            _ => serde_json::json!({ "flow": "client_credentials" }),
        };
        sf.insert("auth".into(), auth);
        body["source"] = "salesforce".into();
        body["salesforce"] = serde_json::Value::Object(sf);
    }
    match p.api(Method::PUT, &format!("/admin/projects/{id}/b2b/sync"), Some(body)).await {
        Ok(_) => Ok(super::see_other(&format!("/console/projects/{id}/accounts/sync?saved=1"), vec![])),
        Err(Failure::Api { status: 400, body }) => {
            let message = t_args(l, keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            sync_with(p, id, 400, Some((text(&body["field"]), message))).await
        }
        Err(other) => Err(other),
    }
}

/// Stores the connected app's secret from the form (never shown again; a
/// 400 is shown at its field, the typed values not echoed back).
pub(super) async fn save_secret(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let optional = |name: &str| {
        let v = first(p.fields, name).trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    let body = serde_json::json!({ "client_id": first(p.fields, "client_id").trim(), "client_secret": optional("client_secret"), "private_key": optional("private_key") });
    match p.api(Method::PUT, &format!("/admin/projects/{id}/b2b/sync/secret"), Some(body)).await {
        Ok(_) => Ok(super::see_other(&format!("/console/projects/{id}/accounts/sync?secret=1#sync-secret"), vec![])),
        Err(Failure::Api { status: 400, body }) => {
            let message = t_args(l, keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            sync_with(p, id, 400, Some((text(&body["field"]), message))).await
        }
        Err(other) => Err(other),
    }
}

/// Asks for a run now (any source).
pub(super) async fn run_now(p: &Page<'_>, id: &str) -> PageResult {
    p.api(Method::POST, &format!("/admin/projects/{id}/b2b/sync/run"), None).await?;
    Ok(super::see_other(&format!("/console/projects/{id}/accounts/sync?queued=1"), vec![]))
}
