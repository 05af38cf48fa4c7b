//! What a project's respondents said: the dashboard for a chosen period and
//! segment (the report's own rendering, from the aggregates), its downloads
//! and share link, and the responses: a filtered, paged list, one response
//! in full, and a CSV export.

use axum::http::{header, Method};
use lambda_http::{Body, Response};
use maud::{html, Markup};
use pulse_shared::domain::access::Role;
use pulse_shared::domain::i18n::{pick, t, t_args, Lang};
use pulse_shared::domain::kinds::spreadsheet_safe;
use pulse_shared::domain::report::figures::Figures;
use pulse_shared::domain::survey::Definition;
use pulse_shared::render::console::{csrf_field, page, urlencode, Section};
use pulse_shared::render::keys;
use serde_json::{json, Value};

use super::projects::{short_time, text};
use super::{first, html_response, Failure, Page, PageResult};

/// The query parameters the dashboard passes on to the figures.
const DASHBOARD_PARAMS: [&str; 6] = ["period", "from", "to", "segments", "segment", "value"];
/// The query parameters of the responses filter.
const FILTER_PARAMS: [&str; 6] = ["from", "to", "channel", "band", "follow_up", "segment"];
/// Most responses one CSV export holds (larger sets: the report's CSV).
const EXPORT_LIMIT: usize = 10_000;

/// `params` of the request as a query string (empty ones left out).
fn pass_on(p: &Page<'_>, params: &[&str]) -> String {
    let pairs: Vec<String> = params
        .iter()
        .filter_map(|k| Some(first(p.query, k)).filter(|v| !v.trim().is_empty()).map(|v| format!("{k}={}", urlencode(v.trim()))))
        .collect();
    pairs.join("&")
}

/// The published survey (or the draft before the first publish) the figures are labelled with.
async fn definition(p: &Page<'_>, id: &str, project: &Value) -> Result<Definition, Failure> {
    let version = project["published_version"].as_u64().map(|v| v.to_string()).unwrap_or_else(|| "draft".into());
    let def = p.api(Method::GET, &format!("/admin/projects/{id}/survey?version={version}"), None).await?;
    serde_json::from_value(def).map_err(|_| Failure::NotFound)
}

/// The segments a project can be broken down by: its operational fields and single-choice "about you" questions.
fn segment_choices(def: &Definition, project: &Value, l: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = project["settings"]["operational_fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(|f| (f.to_string(), f.to_string())))
        .collect();
    for q in &def.questions {
        if q.section == pulse_shared::domain::survey::Section::AboutYou
            && matches!(q.answering, pulse_shared::domain::survey::Answering::Single { .. })
        {
            out.push((q.id.clone(), pick(&q.text, l).to_string()));
        }
    }
    out
}

/// The project's pages: overview, dashboard, responses.
pub(super) fn tabs(l: Lang, id: &str, current: &str) -> Markup {
    let tab = |slug: &str, key: &str| {
        let href = if slug.is_empty() { format!("/console/projects/{id}") } else { format!("/console/projects/{id}/{slug}") };
        html! { li { a href=(href) aria-current=[(slug == current).then_some("page")] { (t(l, key)) } } }
    };
    html! {
        nav aria-label=(t(l, keys::C_PROJECT_NAV)) {
            ul.steps {
                (tab("", keys::C_TAB_OVERVIEW))
                (tab("dashboard", keys::C_TAB_DASHBOARD))
                (tab("responses", keys::C_TAB_RESPONSES))
                (tab("sends", keys::C_TAB_SENDS))
                (tab("contacts", keys::C_TAB_CONTACTS))
                (tab("accounts", keys::C_TAB_ACCOUNTS))
            }
        }
    }
}

/// The dashboard page: the filter form, the rendered dashboard, the downloads.
pub(super) async fn dashboard(p: &Page<'_>, id: &str) -> PageResult {
    dashboard_with(p, id, None).await
}

/// The dashboard, with a share link just made (shown this once: only its
/// keyed hash is kept).
async fn dashboard_with(p: &Page<'_>, id: &str, shared: Option<&str>) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let def = definition(p, id, &project).await?;
    let query = pass_on(p, &DASHBOARD_PARAMS);
    // the figures are asked for here too, so a bad range is explained on this page
    let problem = match p.api(Method::GET, &format!("/admin/projects/{id}/figures?{query}"), None).await {
        Ok(_) => None,
        Err(Failure::Api { status: 400, body }) => Some(text(&body["message"])),
        Err(other) => return Err(other),
    };
    let reports = p.api(Method::GET, &format!("/admin/projects/{id}/reports"), None).await?;
    let period = first(p.query, "period");
    let segment = first(p.query, "segments");
    let org = text(&project["settings"]["organisation_name"]);
    let body = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (t_args(l, keys::C_DASHBOARD_TITLE, &[("org", org.as_str().into())])) }
        (tabs(l, id, "dashboard"))
        form method="get" action={ "/console/projects/" (id) "/dashboard" } {
            fieldset {
                legend { (t(l, keys::C_DASHBOARD_RANGE)) }
                label for="period" { (t(l, keys::C_PERIOD)) }
                select id="period" name="period" {
                    @for (value, key) in [("day", keys::C_PERIOD_DAY), ("week", keys::C_PERIOD_WEEK), ("month", keys::C_PERIOD_MONTH)] {
                        option value=(value) selected[period == value] { (t(l, key)) }
                    }
                }
                label for="from" { (t(l, keys::C_FROM)) } input type="date" id="from" name="from" value=(first(p.query, "from"));
                label for="to" { (t(l, keys::C_TO)) } input type="date" id="to" name="to" value=(first(p.query, "to"));
                label for="segments" { (t(l, keys::C_SEGMENT)) }
                select id="segments" name="segments" {
                    option value="" { (t(l, keys::C_NO_SEGMENT)) }
                    @for (value, label) in segment_choices(&def, &project, l) { option value=(value) selected[segment == value] { (label) } }
                }
                button type="submit" { (t(l, keys::C_SHOW)) }
            }
        }
        @if let Some(problem) = &problem {
            p.alert role="alert" { (t_args(l, keys::C_ERR_FIELD, &[("detail", problem.as_str().into())])) }
        } @else {
            iframe.desktop src={ "/console/projects/" (id) "/dashboard/frame?" (query) } title=(t(l, keys::C_TAB_DASHBOARD)) style="height:1400px" {}
        }
        h2 { (t(l, keys::C_DOWNLOADS)) }
        @if first(p.query, "report_deleted") == "1" { p.notice role="status" { (t(l, keys::C_REPORT_DELETED_NOTICE)) } }
        @if let Some(url) = shared {
            div.notice role="status" {
                p { (t(l, keys::C_SHARE_SHOWN_ONCE)) }
                p { a href=(url) { (url) } }
            }
        }
        @if p.role.allows(Role::Editor) && problem.is_none() {
            form method="post" action={ "/console/projects/" (id) "/dashboard?" (query) } {
                (csrf_field(p.chrome.csrf))
                p.hint { (t(l, keys::C_MAKE_REPORT_HINT)) }
                button type="submit" { (t(l, keys::C_MAKE_REPORT)) }
            }
        }
        @let list = reports["reports"].as_array().cloned().unwrap_or_default();
        @if list.is_empty() {
            p { (t(l, keys::C_NO_REPORTS)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_DASHBOARD_RANGE)) }
                    th scope="col" { (t(l, keys::C_COL_STATE)) }
                    th scope="col" class="num" { (t(l, keys::C_COL_RESPONSES)) }
                    th scope="col" { (t(l, keys::C_DOWNLOADS)) }
                } }
                tbody { @for r in list.iter().take(20) {
                    tr {
                        td { (text(&r["from"])) " – " (text(&r["to"])) br; span.hint { (short_time(r["created_at"].as_str().unwrap_or_default())) } }
                        td { (text(&r["state"])) }
                        td.num { (text(&r["responses"])) }
                        td {
                            @if let Some(links) = r["links"].as_object() {
                                a href=(text(&links["html"])) { "HTML" } " · "
                                a href=(text(&links["csv"])) { "CSV" } " · "
                                a href=(text(&links["json"])) { "JSON" } " · "
                                a href={ "/console/projects/" (id) "/reports/" (text(&r["id"])) "/shares" } { (t(l, keys::C_SHARES)) }
                                @if p.role.allows(Role::Editor) {
                                    form method="post" action={ "/console/projects/" (id) "/reports/" (text(&r["id"])) "/share?" (query) } {
                                        (csrf_field(p.chrome.csrf))
                                        button type="submit" { (t(l, keys::C_SHARE_LINK)) }
                                    }
                                }
                            } @else {
                                a href={ "/console/projects/" (id) "/dashboard?" (query) } { (t(l, keys::C_REFRESH)) }
                            }
                        }
                    }
                } }
            } }
        }
    };
    Ok(html_response(
        200,
        page(&p.in_section(Section::Projects), &t_args(l, keys::C_DASHBOARD_TITLE, &[("org", org.as_str().into())]), body),
        vec![],
    ))
}

/// The dashboard itself, as the report renders it, in the user's language.
pub(super) async fn dashboard_frame(p: &Page<'_>, id: &str) -> PageResult {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let def = definition(p, id, &project).await?;
    let figures = p.api(Method::GET, &format!("/admin/projects/{id}/figures?{}", pass_on(p, &DASHBOARD_PARAMS)), None).await?;
    let figures: Figures = serde_json::from_value(figures).map_err(|_| Failure::NotFound)?;
    let lang = if def.languages.contains(&p.lang()) { p.lang() } else { def.languages.first().copied().unwrap_or(Lang::En) };
    Ok(html_response(200, pulse_shared::render::dashboard::html_in(&figures, &def, lang), vec![]))
}

/// Makes the report of the shown range (HTML, CSV, JSON and a share link).
pub(super) async fn make_report(p: &Page<'_>, id: &str) -> PageResult {
    let mut ask = json!({});
    for k in ["from", "to", "period"] {
        let v = first(p.query, k).trim();
        if !v.is_empty() {
            ask[k] = json!(v);
        }
    }
    let segment = first(p.query, "segments").trim();
    if !segment.is_empty() {
        ask["segments"] = json!([segment]);
    }
    let made = p.api(Method::POST, &format!("/admin/projects/{id}/reports"), Some(ask)).await?;
    dashboard_with(p, id, made["share"].as_str()).await
}

/// A new share link of one report, shown on the dashboard this once.
pub(super) async fn share_report(p: &Page<'_>, id: &str, report_id: &str) -> PageResult {
    let made =
        p.api(Method::POST, &format!("/admin/projects/{id}/reports/{report_id}/shares"), Some(json!({ "label": "console" }))).await?;
    dashboard_with(p, id, made["share"].as_str()).await
}

fn nps_of(r: &Value) -> String {
    r["answers"]["nps"].as_i64().map(|n| n.to_string()).unwrap_or_else(|| "–".into())
}

fn answer_text(v: &Value) -> String {
    match v {
        Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(", "),
        other => text(other),
    }
}

/// A filter's select: any, or one of `options` (value, message key), the request's choice selected.
fn filter_select(l: Lang, p: &Page<'_>, name: &str, label: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        label for=(name) { (t(l, label)) }
        select id=(name) name=(name) {
            option value="" { (t(l, keys::C_ANY)) }
            @for (value, key) in options { option value=(value) selected[first(p.query, name) == *value] { (t(l, key)) } }
        }
    }
}

/// Which link a response came through, in words.
fn channel_name(l: Lang, channel: &Value) -> String {
    t(l, if channel == "personal" { keys::C_CHANNEL_PERSONAL } else { keys::C_CHANNEL_ANONYMOUS })
}

/// The responses: filter form, a page of the list, export.
pub(super) async fn responses(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let def = definition(p, id, &project).await?;
    let filter = pass_on(p, &FILTER_PARAMS);
    let after = first(p.query, "after");
    let path = format!(
        "/admin/projects/{id}/responses?limit=50&{filter}{}",
        if after.is_empty() { String::new() } else { format!("&after={}", urlencode(after)) }
    );
    let (list, problem) = match p.api(Method::GET, &path, None).await {
        Ok(v) => (v, None),
        Err(Failure::Api { status: 400, body }) => (Value::Null, Some((text(&body["field"]), text(&body["message"])))),
        Err(other) => return Err(other),
    };
    let org = text(&project["settings"]["organisation_name"]);
    let segments = segment_choices(&def, &project, l);
    let body = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (t_args(l, keys::C_RESPONSES_TITLE, &[("org", org.as_str().into())])) }
        (tabs(l, id, "responses"))
        form method="get" action={ "/console/projects/" (id) "/responses" } {
            fieldset {
                legend { (t(l, keys::C_FILTER)) }
                label for="from" { (t(l, keys::C_FROM)) } input type="date" id="from" name="from" value=(first(p.query, "from"));
                label for="to" { (t(l, keys::C_TO)) } input type="date" id="to" name="to" value=(first(p.query, "to"));
                (filter_select(l, p, "channel", keys::C_CHANNEL, &[("personal", keys::C_CHANNEL_PERSONAL), ("anonymous", keys::C_CHANNEL_ANONYMOUS)]))
                (filter_select(l, p, "band", keys::C_BAND, &[("promoter", keys::C_BAND_PROMOTERS), ("passive", keys::C_BAND_PASSIVES), ("detractor", keys::C_BAND_DETRACTORS)]))
                (filter_select(l, p, "follow_up", keys::C_FOLLOW_UP_ASKED, &[("yes", keys::C_YES), ("no", keys::C_NO)]))
                @if !segments.is_empty() {
                    label for="segment" { (t(l, keys::C_SEGMENT_VALUE)) span.hint { (t(l, keys::C_SEGMENT_VALUE_HINT)) } }
                    input type="text" id="segment" name="segment" value=(first(p.query, "segment")) list="segment-fields";
                    datalist id="segment-fields" { @for (value, _) in &segments { option value={ (value) "=" } {} } }
                }
                button type="submit" { (t(l, keys::C_SHOW)) }
            }
        }
        @if let Some((field, message)) = &problem {
            p.alert role="alert" { (field) ": " (message) }
        } @else {
            p { (t_args(l, keys::C_RESPONSES_COUNT, &[("count", list["count"].as_u64().unwrap_or(0).into())])) " "
                a href={ "/console/projects/" (id) "/responses.csv?" (filter) } download { (t(l, keys::C_EXPORT_CSV)) } }
            div.scroll { table {
                caption.hint style="text-align:left" { (t(l, keys::C_RESPONSES_CAPTION)) }
                thead { tr {
                    th scope="col" { (t(l, keys::C_SUBMITTED)) }
                    th scope="col" { (t(l, keys::C_CHANNEL)) }
                    th scope="col" class="num" { "NPS" }
                    th scope="col" { (t(l, keys::C_FOLLOW_UP_ASKED)) }
                    th scope="col" { (t(l, keys::C_CONTACT)) }
                } }
                tbody { @for r in list["responses"].as_array().into_iter().flatten() {
                    tr {
                        td { a href={ "/console/projects/" (id) "/responses/" (text(&r["response_id"])) } { (short_time(r["submitted_at"].as_str().unwrap_or_default())) } }
                        td { (channel_name(l, &r["channel"])) }
                        td.num { (nps_of(r)) }
                        td { (if r["answers"]["follow_up"] == "yes" { t(l, keys::C_YES) } else { String::new() }) }
                        td { (r["contact_email"].as_str().unwrap_or("–")) }
                    }
                } }
            } }
            @if let Some(next) = list["next"].as_str() {
                p { a href={ "/console/projects/" (id) "/responses?" (filter) "&after=" (urlencode(next)) } { (t(l, keys::C_NEXT_PAGE)) } }
            }
        }
    };
    Ok(html_response(
        if problem.is_some() { 400 } else { 200 },
        page(&p.in_section(Section::Projects), &t_args(l, keys::C_RESPONSES_TITLE, &[("org", org.as_str().into())]), body),
        vec![],
    ))
}

/// One response in full, with the questions' text.
pub(super) async fn response(p: &Page<'_>, id: &str, response_id: &str) -> PageResult {
    let l = p.lang();
    let r = p.api(Method::GET, &format!("/admin/projects/{id}/responses/{}", urlencode(response_id)), None).await?;
    let version = r["version"].as_u64().unwrap_or(0);
    let def: Option<Definition> = p
        .api(Method::GET, &format!("/admin/projects/{id}/survey?version={version}"), None)
        .await
        .ok()
        .and_then(|d| serde_json::from_value(d).ok());
    let question =
        |qid: &str| def.as_ref().and_then(|d| d.question(qid)).map(|q| pick(&q.text, l).to_string()).unwrap_or_else(|| qid.to_string());
    let choice = |qid: &str, v: &Value| match (def.as_ref(), v) {
        (Some(d), Value::String(s)) => d.choice_label(qid, s, l).to_string(),
        (Some(d), Value::Array(a)) => {
            a.iter().filter_map(Value::as_str).map(|s| d.choice_label(qid, s, l).to_string()).collect::<Vec<_>>().join(", ")
        }
        _ => answer_text(v),
    };
    let body = html! {
        p { a href={ "/console/projects/" (id) "/responses" } { "← " (t(l, keys::C_TAB_RESPONSES)) } }
        h1 { (t(l, keys::C_RESPONSE_TITLE)) }
        dl.summary {
            dt { (t(l, keys::C_SUBMITTED)) } dd { (short_time(r["submitted_at"].as_str().unwrap_or_default())) " UTC" }
            dt { (t(l, keys::C_CHANNEL)) } dd { (channel_name(l, &r["channel"])) }
            dt { (t(l, keys::C_VERSION)) } dd { (version) }
            dt { (t(l, keys::C_FIELD_LANGUAGES)) } dd { (text(&r["language"])) }
            dt { (t(l, keys::C_CONTACT)) } dd { (r["contact_email"].as_str().unwrap_or("–")) " " (r["first_name"].as_str().unwrap_or_default()) " " (r["last_name"].as_str().unwrap_or_default()) }
            @for (k, v) in r["embedded"].as_object().into_iter().flatten() { dt { (k) } dd { (text(v)) } }
        }
        h2 { (t(l, keys::C_ANSWERS)) }
        dl.summary {
            @for (qid, v) in r["answers"].as_object().into_iter().flatten() { dt { (question(qid)) } dd { (choice(qid, v)) } }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &t(l, keys::C_RESPONSE_TITLE), body), vec![]))
}

/// The filtered responses as CSV (safe against spreadsheet formulas), at most [`EXPORT_LIMIT`].
pub(super) async fn export(p: &Page<'_>, id: &str) -> PageResult {
    let filter = pass_on(p, &FILTER_PARAMS);
    let mut rows: Vec<Value> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let cursor = after.as_deref().map(|a| format!("&after={}", urlencode(a))).unwrap_or_default();
        let page = p.api(Method::GET, &format!("/admin/projects/{id}/responses?limit=200&{filter}{cursor}"), None).await?;
        rows.extend(page["responses"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(next) if rows.len() < EXPORT_LIMIT => after = Some(next.to_string()),
            _ => break,
        }
    }
    rows.truncate(EXPORT_LIMIT);
    let mut questions: Vec<String> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for r in &rows {
        for k in r["answers"].as_object().into_iter().flatten().map(|(k, _)| k) {
            if !questions.contains(k) {
                questions.push(k.clone());
            }
        }
        for k in r["embedded"].as_object().into_iter().flatten().map(|(k, _)| k) {
            if !fields.contains(k) {
                fields.push(k.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["response_id", "submitted_at", "channel", "language", "version", "email", "first_name", "last_name"]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    header.extend(fields.iter().cloned());
    header.extend(questions.iter().cloned());
    let _ = w.write_record(header.iter().map(|h| spreadsheet_safe(h)));
    for r in &rows {
        let mut record: Vec<String> =
            ["response_id", "submitted_at", "channel", "language", "version", "contact_email", "first_name", "last_name"]
                .iter()
                .map(|k| {
                    r[*k].as_str().map(str::to_string).unwrap_or_else(|| if r[*k].is_null() { String::new() } else { r[*k].to_string() })
                })
                .collect();
        record.extend(fields.iter().map(|f| r["embedded"][f].as_str().unwrap_or_default().to_string()));
        record.extend(questions.iter().map(|q| if r["answers"][q].is_null() { String::new() } else { answer_text(&r["answers"][q]) }));
        let _ = w.write_record(record.iter().map(|c| spreadsheet_safe(c)));
    }
    let bytes = w.into_inner().unwrap_or_default();
    Ok(Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"responses-{id}.csv\""))
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::Text(String::from_utf8_lossy(&bytes).into_owned()))
        .unwrap_or_default())
}

/// A report's share links: when each was made, until when it works, and
/// (editors) revoke it; the report itself can be deleted here too.
pub(super) async fn shares(p: &Page<'_>, id: &str, report_id: &str) -> PageResult {
    let l = p.lang();
    let report = p.api(Method::GET, &format!("/admin/projects/{id}/reports/{report_id}"), None).await?;
    let listed = p.api(Method::GET, &format!("/admin/projects/{id}/reports/{report_id}/shares"), None).await?;
    let shares = listed["shares"].as_array().cloned().unwrap_or_default();
    let (from, to) = (text(&report["from"]), text(&report["to"]));
    let title = t_args(l, keys::C_SHARES_TITLE, &[("from", from.as_str().into()), ("to", to.as_str().into())]);
    let expires = |v: &Value| short_time(&pulse_shared::clock::from_ms(v.as_u64().unwrap_or(0) * 1000));
    let base = format!("/console/projects/{id}/reports/{report_id}");
    let body = html! {
        p { a href={ "/console/projects/" (id) "/dashboard" } { "← " (t(l, keys::C_TAB_DASHBOARD)) } }
        h1 { (title) }
        @if first(p.query, "revoked") == "1" { p.notice role="status" { (t(l, keys::C_REVOKED_NOTICE)) } }
        p.hint { (t(l, keys::C_SHARES_HINT)) }
        @if shares.is_empty() {
            p { (t(l, keys::C_SHARES_NONE)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_MADE)) br; span.hint { (t(l, keys::C_COL_LABEL)) } }
                    th scope="col" { (t(l, keys::C_COL_EXPIRES)) }
                    @if p.role.allows(Role::Editor) { th scope="col" { span.visually-hidden { (t(l, keys::C_REVOKE)) } } }
                } }
                tbody { @for s in &shares {
                    tr {
                        td { (short_time(s["created_at"].as_str().unwrap_or_default())) br; span.hint { (text(&s["label"])) } }
                        td { (expires(&s["expires_at"])) }
                        @if p.role.allows(Role::Editor) {
                            td {
                                form method="post" action={ (base) "/shares/" (text(&s["id"])) "/revoke" } {
                                    (csrf_field(p.chrome.csrf))
                                    button.secondary type="submit" aria-label={ (t(l, keys::C_REVOKE)) ": " (text(&s["label"])) ", " (short_time(s["created_at"].as_str().unwrap_or_default())) } { (t(l, keys::C_REVOKE)) }
                                }
                            }
                        }
                    }
                } }
            } }
        }
        @if p.role.allows(Role::Editor) {
            form method="post" action={ (base) "/delete" } {
                (csrf_field(p.chrome.csrf))
                button.danger type="submit" { (t(l, keys::C_DELETE_REPORT)) }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &title, body), vec![]))
}
