//! Contact files from the browser: the columns a file needs (with a sample
//! to download), the upload straight to S3 through a signed POST form (the
//! file never passes through a Lambda), and the import's progress and
//! outcome — accepted, rejected, merged, warnings, a header problem
//! explained with its fix, and the rejected rows to download.
//!
//! Without JavaScript the form posts to S3, which sends the browser back to
//! the import's page (through [`bounce`], so the session cookies come along),
//! and the page has a refresh button. With the small same-origin script
//! (`/console/console.js`) the upload shows its bytes and the import page
//! follows the import by itself.

use axum::http::{header, Method};
use lambda_http::{Body, Response};
use maud::{html, Markup};
use pulse_shared::domain::b2b::mapping::{columns as b2b_columns, B2bKind};
use pulse_shared::domain::i18n::{t, t_args, Lang};
use pulse_shared::domain::kinds::REQUIRED_COLUMNS;
use pulse_shared::domain::project::Settings;
use pulse_shared::domain::upload::MAX_UPLOAD_BYTES;
use pulse_shared::render::console::{csrf_field, field, page, refreshing_page, Section};
use pulse_shared::render::keys;
use serde_json::{json, Value};

use super::projects::{short_time, text};
use super::{csp_allowing, first, html_response_with, see_other, Failure, Page, PageResult, CSP};

/// The script that enhances the upload and import pages.
pub(super) const SCRIPT: &str = include_str!("console.js");

/// What a file holds, as the form names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Contacts,
    B2b(B2bKind),
}

impl FileKind {
    const ALL: [FileKind; 4] =
        [FileKind::Contacts, FileKind::B2b(B2bKind::Accounts), FileKind::B2b(B2bKind::Contacts), FileKind::B2b(B2bKind::TeamMembers)];

    fn parse(s: &str) -> FileKind {
        FileKind::ALL.into_iter().find(|k| k.code() == s).unwrap_or(FileKind::Contacts)
    }

    fn code(self) -> &'static str {
        match self {
            FileKind::Contacts => "contacts",
            FileKind::B2b(k) => match k {
                B2bKind::Accounts => "b2b_accounts",
                B2bKind::Contacts => "b2b_contacts",
                B2bKind::TeamMembers => "b2b_team",
            },
        }
    }

    fn name(self, l: Lang) -> String {
        t(
            l,
            match self {
                FileKind::Contacts => keys::C_FILE_CONTACTS,
                FileKind::B2b(B2bKind::Accounts) => keys::C_FILE_ACCOUNTS,
                FileKind::B2b(B2bKind::Contacts) => keys::C_FILE_B2B_CONTACTS,
                FileKind::B2b(B2bKind::TeamMembers) => keys::C_FILE_TEAM,
            },
        )
    }

    fn of_upload(upload: &Value) -> FileKind {
        match upload["b2b"].as_str() {
            Some("accounts") => FileKind::B2b(B2bKind::Accounts),
            Some("contacts") => FileKind::B2b(B2bKind::Contacts),
            Some("team_members") => FileKind::B2b(B2bKind::TeamMembers),
            _ => FileKind::Contacts,
        }
    }
}

/// The columns a `kind` file is read by in this project — the very lists
/// the import checks — with whether each is required and an example value.
/// The columns a file of `kind` is read by: (column, required, an example
/// value, what it becomes in Pulse: a B2B field's name, or none).
fn columns(kind: FileKind, settings: &Settings) -> Vec<(String, bool, &'static str, Option<&'static str>)> {
    match kind {
        FileKind::Contacts => REQUIRED_COLUMNS
            .iter()
            .zip(["anna.virtanen@example.com", "Anna", "Virtanen"])
            .map(|(c, e)| (c.to_string(), true, e, None))
            .chain(settings.operational_fields.iter().map(|f| (f.clone(), true, "…", None)))
            .collect(),
        FileKind::B2b(k) => b2b_columns(k, &settings.b2b_import)
            .into_iter()
            .map(|(what, column, required)| {
                let example = match what {
                    "id" if k == B2bKind::Accounts => "0015g00000ACME01",
                    "id" => "0035g00000ANNA01",
                    "name" => "Acme Oy",
                    "parent_id" => "",
                    "is_deleted" => "false",
                    "first_name" => "Anna",
                    "last_name" => "Virtanen",
                    "email" => "anna.virtanen@example.com",
                    "title" => "CFO",
                    "account_id" => "0015g00000ACME01",
                    "user_email" => "kim.account.manager@example.com",
                    "role" => "Account Manager",
                    _ => "",
                };
                (column.to_string(), required, example, Some(b2b_field(k, what)))
            })
            .collect(),
    }
}

/// The key of what a B2B file's column becomes in Pulse.
fn b2b_field(kind: B2bKind, what: &str) -> &'static str {
    match (kind, what) {
        (B2bKind::Accounts, "id") => keys::C_FIELD_ACCOUNT_ID,
        (_, "id") => keys::C_FIELD_CONTACT_ID,
        (_, "name") => keys::C_FIELD_ACCOUNT_NAME,
        (_, "parent_id") => keys::C_FIELD_PARENT,
        (_, "is_deleted") => keys::C_FIELD_DELETED,
        (_, "first_name") => keys::C_FIELD_FIRST_NAME,
        (_, "last_name") => keys::C_FIELD_LAST_NAME,
        (_, "email") => keys::C_FIELD_EMAIL,
        (_, "title") => keys::C_FIELD_TITLE,
        (_, "account_id") => keys::C_FIELD_ACCOUNT_OF,
        (_, "user_email") => keys::C_FIELD_TEAM_MEMBER,
        _ => keys::C_FIELD_TEAM_ROLE,
    }
}

/// A CSV field, quoted when it must be.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

async fn project_settings(p: &Page<'_>, id: &str) -> Result<(String, Settings), Failure> {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let org = text(&project["settings"]["organisation_name"]);
    let settings = serde_json::from_value::<Settings>(project["settings"].clone()).map_err(|_| Failure::NotFound)?;
    Ok((org, settings))
}

/// The columns a file of `kind` needs; for a B2B file, what each becomes
/// in Pulse under the project's column mapping, with its attributes.
fn columns_table(l: Lang, id: &str, kind: FileKind, settings: &Settings) -> Markup {
    let b2b = matches!(kind, FileKind::B2b(_));
    let attributes: &[_] = match kind {
        FileKind::B2b(B2bKind::Accounts) => &settings.b2b_import.attributes,
        _ => &[],
    };
    html! {
        section aria-labelledby={ "columns-" (kind.code()) } {
            h3 id={ "columns-" (kind.code()) } { (kind.name(l)) }
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_COLUMN)) }
                    @if b2b { th scope="col" { (t(l, keys::C_COL_IN_PULSE)) } }
                    th scope="col" { (t(l, keys::C_COL_NEEDED)) }
                } }
                tbody {
                    @for (column, required, _, becomes) in columns(kind, settings) {
                        tr {
                            td { code { (column) } }
                            @if let Some(key) = becomes { td { (t(l, key)) } }
                            td { (t(l, if required { keys::C_REQUIRED } else { keys::C_OPTIONAL })) }
                        }
                    }
                    @for a in attributes {
                        tr {
                            td { code { (a.name) } }
                            td { (t_args(l, keys::C_FIELD_ATTRIBUTE, &[("name", a.name.as_str().into())])) }
                            td { (t(l, keys::C_OPTIONAL)) }
                        }
                    }
                }
            } }
            p { a href={ "/console/projects/" (id) "/uploads/sample?kind=" (kind.code()) } download { (t(l, keys::C_SAMPLE)) " (" (kind.name(l)) ")" } }
        }
    }
}

/// The contact files page: the new upload's first step (what the file holds
/// and the list's name), the columns each kind needs, earlier uploads.
pub(super) async fn uploads(p: &Page<'_>, id: &str) -> PageResult {
    new_upload_page(p, id, "", FileKind::Contacts, None, 200).await
}

async fn new_upload_page(p: &Page<'_>, id: &str, list_name: &str, kind: FileKind, error: Option<&str>, status: u16) -> PageResult {
    let l = p.lang();
    let (org, settings) = project_settings(p, id).await?;
    let earlier = p.api(Method::GET, &format!("/admin/projects/{id}/uploads"), None).await?;
    let mut earlier = earlier["uploads"].as_array().cloned().unwrap_or_default();
    earlier.reverse();
    let title = t_args(l, keys::C_UPLOADS_TITLE, &[("org", org.as_str().into())]);
    let b2b = settings.business_type == pulse_shared::domain::kinds::BusinessType::B2B || settings.b2b.is_some();
    let kinds: Vec<FileKind> = FileKind::ALL.into_iter().filter(|k| b2b || *k == FileKind::Contacts).collect();
    let body = html! {
        p { a href={ "/console/projects/" (id) "/contacts" } { "← " (t(l, keys::C_TAB_CONTACTS)) } }
        h1 { (title) }
        h2 { (t(l, keys::C_UPLOAD_NEW)) }
        form method="post" action={ "/console/projects/" (id) "/uploads" } novalidate {
            (csrf_field(p.chrome.csrf))
            @if kinds.len() > 1 {
                fieldset {
                    legend { (t(l, keys::C_UPLOAD_KIND)) }
                    @for k in &kinds {
                        div.choice {
                            input type="radio" name="kind" id={ "kind-" (k.code()) } value=(k.code()) checked[*k == kind];
                            label for={ "kind-" (k.code()) } { (k.name(l)) }
                        }
                    }
                }
            }
            (field("list_name", &t(l, keys::C_UPLOAD_LIST_NAME), "text", list_name, Some(&t(l, keys::C_UPLOAD_LIST_HINT)), error, false))
            button type="submit" { (t(l, keys::C_UPLOAD_NEXT)) }
        }
        h2 { (t(l, keys::C_COLUMNS_TITLE)) }
        p { (t(l, keys::C_COLUMNS_HINT)) }
        @for k in &kinds { (columns_table(l, id, *k, &settings)) }
        @if !earlier.is_empty() {
            h2 { (t(l, keys::C_IMPORTS_TITLE)) }
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_LIST)) }
                    th scope="col" { (t(l, keys::C_COL_STATE)) }
                    th scope="col" class="num" { (t(l, keys::C_COUNT_ACCEPTED)) }
                    th scope="col" class="num" { (t(l, keys::C_COUNT_REJECTED)) }
                    th scope="col" { (t(l, keys::C_COL_MADE)) }
                } }
                tbody { @for u in &earlier {
                    tr {
                        td { a href={ "/console/projects/" (id) "/uploads/" (text(&u["upload_id"])) } { (text(&u["list_name"])) } }
                        td { (state_name(l, u["state"].as_str().unwrap_or_default())) }
                        td.num { (text(&u["counts"]["accepted"])) }
                        td.num { (text(&u["counts"]["rejected"])) }
                        td { (short_time(u["created_at"].as_str().unwrap_or_default())) }
                    }
                } }
            } }
        }
    };
    Ok(html_response_with(status, page(&p.in_section(Section::Projects), &title, body), vec![], CSP))
}

/// Step one posted: the upload is made (its list named) and the page to
/// choose the file opens.
pub(super) async fn create(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let kind = FileKind::parse(first(p.fields, "kind"));
    let typed = first(p.fields, "list_name").trim().to_string();
    let list_name = match (typed.is_empty(), kind) {
        (false, _) => typed.clone(),
        (true, k) => format!("{} {}", k.name(l), pulse_shared::clock::now().get(..10).unwrap_or_default()),
    };
    // the object's name: the list's, without what S3 keys or the import
    // cannot take (the format is told from the content)
    let file_name: String = list_name.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '-' } else { c }).collect();
    let mut body = json!({ "file_name": file_name, "list_name": list_name });
    if let FileKind::B2b(k) = kind {
        body["b2b"] = json!(k.as_str());
    }
    match p.api(Method::POST, &format!("/admin/projects/{id}/uploads"), Some(body)).await {
        Ok(made) => Ok(see_other(&format!("/console/projects/{id}/uploads/{}", text(&made["upload_id"])), vec![])),
        Err(Failure::Api { status: 400, body }) => {
            let message = body["message"].as_str().unwrap_or_default().to_string();
            new_upload_page(p, id, &typed, kind, Some(&message), 400).await
        }
        Err(e) => Err(e),
    }
}

/// The sample file of a kind: its header and one example row.
pub(super) async fn sample(p: &Page<'_>, id: &str) -> PageResult {
    let kind = FileKind::parse(first(p.query, "kind"));
    let (_, settings) = project_settings(p, id).await?;
    let cols = columns(kind, &settings);
    let header: Vec<String> = cols.iter().map(|(c, ..)| csv_cell(c)).collect();
    let row: Vec<String> = cols.iter().map(|(_, _, e, _)| csv_cell(e)).collect();
    let csv = format!("{}\r\n{}\r\n", header.join(","), row.join(","));
    Ok(Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"pulse-sample-{}.csv\"", kind.code()))
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::Text(csv))
        .unwrap_or_default())
}

fn state_name(l: Lang, state: &str) -> String {
    t(
        l,
        match state {
            "awaiting_upload" => keys::C_IMPORT_WAITING,
            "validating" => keys::C_IMPORT_VALIDATING,
            "running" => keys::C_IMPORT_SAVING,
            "done" => keys::C_IMPORT_DONE,
            _ => keys::C_IMPORT_FAILED,
        },
    )
}

/// The origin (scheme, host and port) of a URL.
fn origin(url: &str) -> &str {
    let rest = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[rest..].find('/') {
        Some(i) => &url[..rest + i],
        None => url,
    }
}

/// One import: the file form while it waits for its file, then its progress
/// and outcome. `?part=status` is the status section alone (the script
/// polls it).
pub(super) async fn upload(p: &Page<'_>, id: &str, upload_id: &str) -> PageResult {
    let l = p.lang();
    let u = p.api(Method::GET, &format!("/admin/projects/{id}/uploads/{upload_id}"), None).await?;
    let poll = format!("/console/projects/{id}/uploads/{upload_id}?part=status");
    if first(p.query, "part") == "status" {
        return Ok(html_response_with(200, status_section(l, id, &u).into_string(), vec![], CSP));
    }
    let list = text(&u["list_name"]);
    let title = t_args(l, keys::C_IMPORT_TITLE, &[("list", list.as_str().into())]);
    let back = html! { p { a href={ "/console/projects/" (id) "/uploads" } { "← " (t(l, keys::C_UPLOADS_LINK)) } } };
    if u["state"] != "awaiting_upload" {
        // a B2B file: how its columns are read (the project's mapping)
        let mapping = match FileKind::of_upload(&u) {
            kind @ FileKind::B2b(_) => Some((kind, project_settings(p, id).await?.1)),
            FileKind::Contacts => None,
        };
        let body = html! {
            (back)
            h1 { (title) }
            div id="import-status" data-poll=(poll) aria-live="polite" { (status_section(l, id, &u)) }
            @if let Some((kind, settings)) = &mapping {
                h2 { (t(l, keys::C_MAPPING_TITLE)) }
                (columns_table(l, id, *kind, settings))
            }
            script src="/console/console.js" defer {}
        };
        let running = !matches!(u["state"].as_str(), Some("done" | "failed"));
        let html = refreshing_page(&p.in_section(Section::Projects), &title, body, running.then_some(5));
        return Ok(html_response_with(200, html, vec![], CSP));
    }
    let page_url = format!("/console/projects/{id}/uploads/{upload_id}");
    let bounce = format!("{}/console/uploaded?to={}", p.app.config.public_base_url, super::view::urlencode(&page_url));
    let path = format!("/admin/projects/{id}/uploads/{upload_id}/form");
    let forms = match p.api(Method::POST, &path, Some(json!({ "redirect": bounce }))).await {
        Ok(form) => (form, p.api(Method::POST, &path, Some(json!({}))).await),
        Err(e) => (Value::Null, Err(e)),
    };
    let (form, script_form) = match forms {
        (form, Ok(script_form)) => (form, script_form),
        // the file arrived between the two reads: its import is what to show
        (_, Err(Failure::Api { status: 409, .. })) => return Ok(see_other(&page_url, vec![])),
        (_, Err(e)) => return Err(e),
    };
    let url = text(&form["url"]);
    let fields = form["fields"].as_object().cloned().unwrap_or_default();
    let kind = FileKind::of_upload(&u);
    let (_, settings) = project_settings(p, id).await?;
    let body = html! {
        (back)
        h1 { (title) }
        p { (kind.name(l)) }
        form method="post" action=(url) enctype="multipart/form-data" data-xhr-fields=(script_form["fields"].to_string()) data-next=(page_url)
            data-failed=(t(l, keys::C_UPLOAD_BROKEN)) data-max-bytes=(MAX_UPLOAD_BYTES)
            data-too-large=(t_args(l, keys::C_UPLOAD_TOO_LARGE, &[("limit", (MAX_UPLOAD_BYTES / 1_048_576).into())])) {
            @for (name, value) in &fields {
                input type="hidden" name=(name) value=(value.as_str().unwrap_or_default());
            }
            div {
                label for="file" { (t(l, keys::C_UPLOAD_CHOOSE)) span.hint id="file-hint" { (t(l, keys::C_COLUMNS_HINT)) } }
                input type="file" id="file" name="file" accept=".csv,.tsv,.txt,.tab,text/csv,text/tab-separated-values" required aria-describedby="file-hint";
            }
            div id="upload-live" hidden {
                label for="upload-progress" { (t(l, keys::C_UPLOAD_PROGRESS)) }
                progress id="upload-progress" max="100" value="0" {}
                p id="upload-status" role="status" {}
            }
            button type="submit" { (t(l, keys::C_UPLOAD_BUTTON)) }
        }
        h2 { (t(l, keys::C_COLUMNS_TITLE)) }
        (columns_table(l, id, kind, &settings))
        script src="/console/console.js" defer {}
    };
    let policy = csp_allowing(origin(&url));
    Ok(html_response_with(200, page(&p.in_section(Section::Projects), &title, body), vec![], &policy))
}

/// Where the import stands: progress while it runs, the outcome once it
/// has ended (marked `data-final`, so the script stops asking).
fn status_section(l: Lang, id: &str, u: &Value) -> Markup {
    let state = u["state"].as_str().unwrap_or_default();
    let counts = &u["counts"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let count_row = |key: &str, v: u64| html! { tr { th scope="row" { (t(l, key)) } td.num { (v) } } };
    html! {
        @if let Some(at) = u["replaced_at"].as_str() {
            p.error {
                (t_args(l, keys::C_UPLOAD_REPLACED, &[("at", short_time(at).into())])) " "
                a href={ "/console/projects/" (id) "/uploads" } { (t(l, keys::C_UPLOAD_AGAIN)) }
            }
        }
        @match state {
            "done" | "failed" => {
                div data-final="1" {
                    p { strong { (state_name(l, state)) } }
                    @if state == "failed" {
                        @if let Some(message) = file_problem(l, &u["file_problem"]) {
                            p.error { (message) }
                        } @else if let Some(problem) = u["header_problem"].as_object() {
                            @let column = problem.get("column").and_then(Value::as_str).unwrap_or_default();
                            @match problem.get("found").and_then(Value::as_str) {
                                Some(found) => p.error { (t_args(l, keys::C_HEADER_NEAR, &[("column", column.into()), ("found", found.into())])) },
                                None => p.error { (t_args(l, keys::C_HEADER_MISSING, &[("column", column.into())])) },
                            }
                        } @else {
                            p.error { (text(&u["error"])) }
                        }
                    } @else {
                        div.scroll { table {
                            tbody {
                                (count_row(keys::C_COUNT_ROWS, n(&counts["rows_read"])))
                                (count_row(keys::C_COUNT_ACCEPTED, n(&counts["accepted"])))
                                (count_row(keys::C_COUNT_REJECTED, n(&counts["rejected"])))
                                (count_row(keys::C_COUNT_MERGED, n(&counts["duplicates_merged"])))
                                (count_row(keys::C_COUNT_SUPPRESSED, n(&counts["suppressed"])))
                                // a B2B file fills no mailing list
                                @if u["b2b"].is_null() { (count_row(keys::C_COUNT_CONTACTS, n(&u["contacts"]))) }
                            }
                        } }
                        @if u["b2b"].is_null() {
                            p { a href={ "/console/projects/" (id) "/lists/" (text(&u["list_id"])) } { (t(l, keys::C_SHOW_LIST)) } }
                        }
                    }
                    @if let Some(warnings) = u["warnings"].as_array().filter(|w| !w.is_empty()) {
                        h2 { (t(l, keys::C_WARNINGS_TITLE)) }
                        ul { @for w in warnings {
                            @let column = w["column"].as_str().unwrap_or_default();
                            @if column == "…" { li { (text(&w["message"])) } }
                            @else { li { (t_args(l, keys::C_WARN_UNUSED, &[("column", column.into())])) } }
                        } }
                    }
                    @if let Some(rejections) = u["first_rejections"].as_array().filter(|r| !r.is_empty()) {
                        h2 { (t(l, keys::C_REJECTIONS_TITLE)) }
                        div.scroll { table {
                            thead { tr {
                                th scope="col" class="num" { (t(l, keys::C_COL_LINE)) }
                                th scope="col" { (t(l, keys::C_COL_COLUMN)) }
                                th scope="col" { (t(l, keys::C_COL_REASON)) }
                            } }
                            tbody { @for r in rejections {
                                tr { td.num { (text(&r["line"])) } td { (text(&r["column"])) } td { (text(&r["reason"])) } }
                            } }
                        } }
                    }
                    @if let Some(url) = u["report"]["rejected_rows_url"].as_str().filter(|_| n(&counts["rejected"]) > 0) {
                        p { a href=(url) { (t(l, keys::C_REJECTED_FILE)) } }
                    }
                    p { a href={ "/console/projects/" (id) "/uploads" } { (t(l, keys::C_UPLOAD_AGAIN)) } }
                }
            },
            _ => {
                @let (value, max) = match state {
                    "running" => (n(&u["written"]), n(&counts["accepted"]).max(1)),
                    // pass 1: the bytes of the file read so far
                    "validating" if n(&u["validated_bytes"]) > 0 => (n(&u["validated_bytes"]), n(&u["size"]).max(1)),
                    _ => (0, 0),
                };
                p {
                    @if state == "running" {
                        (t_args(l, keys::C_IMPORT_RUNNING, &[("written", value.into()), ("total", n(&counts["accepted"]).into())]))
                    } @else if state == "validating" && n(&u["validated_rows"]) > 0 {
                        (t_args(l, keys::C_IMPORT_CHECKED, &[("rows", n(&u["validated_rows"]).into())]))
                    } @else { (state_name(l, state)) }
                }
                label for="import-progress" { (t(l, keys::C_IMPORT_PROGRESS)) }
                @if max > 0 {
                    progress id="import-progress" max=(max) value=(value) { (value) " / " (max) }
                } @else {
                    progress id="import-progress" {}
                }
                form method="get" action={ "/console/projects/" (id) "/uploads/" (text(&u["upload_id"])) } {
                    button type="submit" { (t(l, keys::C_IMPORT_REFRESH)) }
                }
            },
        }
    }
}

/// What the file is or holds, when that stopped the import, with how to
/// make a CSV file of it, in the reader's language.
fn file_problem(l: Lang, problem: &Value) -> Option<String> {
    let n = |k: &str| problem[k].as_u64().unwrap_or(0);
    let key = match (problem["kind"].as_str()?, problem["what"].as_str().unwrap_or_default()) {
        ("not_text", "xlsx") => keys::C_FILE_XLSX,
        ("not_text", "xls") => keys::C_FILE_XLS,
        ("not_text", "ods") => keys::C_FILE_ODS,
        ("not_text", "numbers") => keys::C_FILE_NUMBERS,
        ("not_text", "zip") => keys::C_FILE_ZIP,
        ("not_text", "pdf") => keys::C_FILE_PDF,
        ("not_text", "image") => keys::C_FILE_IMAGE,
        ("binary", _) => return Some(t_args(l, keys::C_FILE_BINARY, &[("at", n("at").into())])),
        ("mixed_encoding", _) => return Some(t_args(l, keys::C_FILE_MIXED, &[("line", n("line").into())])),
        ("too_large", _) => {
            let size = pulse_shared::domain::imports::megabytes_up(n("size"));
            let size = if l == Lang::En { size } else { size.replace('.', ",") };
            let limit = n("limit") / 1_048_576;
            return Some(t_args(l, keys::C_FILE_TOO_LARGE, &[("size", size.as_str().into()), ("limit", limit.into())]));
        }
        _ => return None,
    };
    Some(t(l, key))
}

/// Where S3 sends the browser after an upload. Cookies with `SameSite=Strict`
/// do not come along on a navigation that another site started, so this page
/// (which needs none) moves on by itself from the console's own origin, and
/// then they do.
pub(super) fn bounce(l: Lang, to: &str) -> Response<Body> {
    let to = pulse_shared::domain::session::safe_return(Some(to));
    let body = html! {
        (maud::DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="refresh" content={ "0; url=" (to) };
                title { (t(l, keys::C_UPLOAD_RECEIVED)) }
            }
            body { main { p { (t(l, keys::C_UPLOAD_RECEIVED)) } p { a href=(to) { (t(l, keys::C_CONTINUE)) } } } }
        }
    };
    html_response_with(200, body.into_string(), vec![], CSP)
}

/// The script, served from the console's own origin (the pages allow no other).
pub(super) fn script() -> Response<Body> {
    Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "text/javascript; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=300")
        .header("x-content-type-options", "nosniff")
        .body(Body::Text(SCRIPT.to_string()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_replacement_is_told_on_the_upload_in_every_language_with_a_new_upload_offered() {
        let u = json!({ "state": "done", "upload_id": "u1", "list_id": "u1", "counts": { "accepted": 3 },
                        "replaced_at": "2026-12-03T10:15:00.000Z" });
        for (l, words) in [(Lang::En, "A different file was written"), (Lang::De, "andere Datei"), (Lang::Fi, "toinen tiedosto")] {
            let html = status_section(l, "p1", &u).into_string();
            assert!(html.contains(words), "{l:?}: {html}");
            assert!(html.contains(r#"href="/console/projects/p1/uploads""#), "{html}");
        }
        let plain = status_section(Lang::En, "p1", &json!({ "state": "done", "counts": {} })).into_string();
        assert!(!plain.contains("A different file"), "{plain}");
    }

    #[test]
    fn a_file_being_checked_shows_the_rows_checked_and_the_bytes_read_on_its_bar() {
        let u =
            json!({ "state": "validating", "upload_id": "u1", "size": 9_000_000, "validated_rows": 2048, "validated_bytes": 4_200_000 });
        for (l, words) in [(Lang::En, "checked so far"), (Lang::De, "bisher geprüft"), (Lang::Fi, "tarkistettu")] {
            let html = status_section(l, "p1", &u).into_string();
            assert!(html.contains(words) && html.contains("2048"), "{l:?}: {html}");
            assert!(html.contains(r#"max="9000000" value="4200000""#), "the bar follows the bytes read: {html}");
        }
        // before the first note: the phase alone, and a bar without a value
        let early = status_section(Lang::En, "p1", &json!({ "state": "validating", "size": 9_000_000 })).into_string();
        assert!(early.contains("Checking every row…") && !early.contains("value="), "{early}");
    }
}
