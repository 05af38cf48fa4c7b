//! Contacts: the project's mailing lists and their members, a contact found
//! by address (with its suppression and the GDPR erasure), the erasure's
//! progress, and the suppressed addresses.
//!
//! An address is never put in a URL (URLs end up in access logs and browser
//! histories): a contact is looked up and erased through posted forms.

use axum::http::Method;
use maud::{html, Markup};
use pulse_shared::domain::access::Role;
use pulse_shared::domain::i18n::{t, t_args, Lang};
use pulse_shared::render::console::{csrf_field, field, page, refreshing_page, urlencode, Section};
use pulse_shared::render::keys;
use serde_json::{json, Value};

use super::projects::{short_time, text};
use super::{first, html_response, see_other, Failure, Page, PageResult};

/// A suppression's reason in the reader's words.
fn reason(l: Lang, reason: &str) -> String {
    match reason {
        "manual" => t(l, keys::C_REASON_MANUAL),
        "unsubscribed" => t(l, keys::C_REASON_UNSUBSCRIBED),
        "bounced" => t(l, keys::C_REASON_BOUNCED),
        "complained" => t(l, keys::C_REASON_COMPLAINED),
        "deleted" => t(l, keys::C_REASON_DELETED),
        other => other.to_string(),
    }
}

/// The project's name and the tabs, on top of every contacts page.
async fn heading(p: &Page<'_>, id: &str) -> Result<(String, Markup), Failure> {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let org = text(&project["settings"]["organisation_name"]);
    let top = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (t_args(l, keys::C_CONTACTS_TITLE, &[("org", org.as_str().into())])) }
        (super::insights::tabs(l, id, "contacts"))
    };
    Ok((org, top))
}

/// The lookup form (an address, posted).
fn find_form(p: &Page<'_>, id: &str, value: &str, error: Option<&str>) -> Markup {
    let l = p.lang();
    html! {
        h2 { (t(l, keys::C_FIND_TITLE)) }
        form method="post" action={ "/console/projects/" (id) "/contacts/find" } novalidate {
            (csrf_field(p.chrome.csrf))
            (field("email", &t(l, keys::C_EMAIL), "email", value, None, error, true))
            button type="submit" { (t(l, keys::C_FIND_BUTTON)) }
        }
    }
}

/// The contacts tab: lists with their sizes and sources, the lookup form,
/// the way to the suppressed addresses.
pub(super) async fn contacts(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let (org, top) = heading(p, id).await?;
    let lists = p.api(Method::GET, &format!("/admin/projects/{id}/lists"), None).await?;
    let lists = lists["lists"].as_array().cloned().unwrap_or_default();
    let body = html! {
        (top)
        p { a href={ "/console/projects/" (id) "/uploads" } { (t(l, keys::C_UPLOADS_LINK)) } }
        (find_form(p, id, "", None))
        p { a href={ "/console/projects/" (id) "/suppressions" } { (t(l, keys::C_SUPPRESSIONS_TITLE)) } }
        h2 { (t(l, keys::C_LISTS_TITLE)) }
        @if lists.is_empty() {
            p { (t(l, keys::C_NO_LISTS)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_LIST)) }
                    th scope="col" { (t(l, keys::C_COL_STATE)) }
                    th scope="col" class="num" { (t(l, keys::C_COL_MEMBERS)) }
                    th scope="col" { (t(l, keys::C_COL_MADE)) }
                    th scope="col" { (t(l, keys::C_COL_SOURCE)) }
                } }
                tbody { @for list in &lists {
                    tr {
                        td { a href={ "/console/projects/" (id) "/lists/" (text(&list["list_id"])) } { (text(&list["name"])) } }
                        td { (t(l, if list["state"] == "ready" { keys::C_LIST_READY } else { keys::C_LIST_IMPORTING })) }
                        td.num { (text(&list["contacts"])) }
                        td { (short_time(list["created_at"].as_str().unwrap_or_default())) }
                        td { a href={ "/console/projects/" (id) "/uploads/" (text(&list["upload_id"])) } { (t(l, keys::C_LIST_FROM_UPLOAD)) } }
                    }
                } }
            } }
        }
    };
    let title = t_args(l, keys::C_CONTACTS_TITLE, &[("org", org.as_str().into())]);
    Ok(html_response(200, page(&p.in_section(Section::Projects), &title, body), vec![]))
}

/// A page of a list's members (500 at a time).
pub(super) async fn members(p: &Page<'_>, id: &str, list_id: &str) -> PageResult {
    let l = p.lang();
    let (_, top) = heading(p, id).await?;
    let after = first(p.query, "after");
    let path = format!(
        "/admin/projects/{id}/lists/{list_id}/contacts{}",
        if after.is_empty() { String::new() } else { format!("?after={}", urlencode(after)) }
    );
    let page_of = p.api(Method::GET, &path, None).await?;
    let name = text(&page_of["list"]["name"]);
    let title = t_args(l, keys::C_MEMBERS_TITLE, &[("list", name.as_str().into())]);
    let body = html! {
        (top)
        h2 { (title) }
        div.scroll { table {
            thead { tr {
                th scope="col" { (t(l, keys::C_EMAIL)) }
                th scope="col" { (t(l, keys::C_FIRST_NAME)) }
                th scope="col" { (t(l, keys::C_LAST_NAME)) }
            } }
            tbody { @for c in page_of["contacts"].as_array().into_iter().flatten() {
                tr { td { (text(&c["email"])) } td { (text(&c["first_name"])) } td { (text(&c["last_name"])) } }
            } }
        } }
        @if let Some(next) = page_of["next"].as_str() {
            p { a href={ "?after=" (urlencode(next)) } { (t(l, keys::C_NEXT_PAGE)) } }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &title, body), vec![]))
}

/// A contact looked up by the posted address: fields, suppression, erasure.
pub(super) async fn find(p: &Page<'_>, id: &str) -> PageResult {
    contact_page(p, id, first(p.fields, "email").trim(), None).await
}

async fn contact_page(p: &Page<'_>, id: &str, email: &str, erase_error: Option<&str>) -> PageResult {
    let l = p.lang();
    let (_, top) = heading(p, id).await?;
    let found = match p.api(Method::GET, &format!("/admin/projects/{id}/contacts/{}", urlencode(email)), None).await {
        Ok(found) => found,
        Err(Failure::Api { status: 400, body }) => {
            let message = t_args(l, keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            let body = html! { (top) (find_form(p, id, email, Some(&message))) };
            return Ok(html_response(400, page(&p.in_section(Section::Projects), &t(l, keys::C_FIND_TITLE), body), vec![]));
        }
        Err(Failure::Api { status: 404, .. }) => {
            let body = html! { (top) p.alert role="alert" { (t(l, keys::C_CONTACT_NOT_FOUND)) } (find_form(p, id, email, None)) };
            return Ok(html_response(404, page(&p.in_section(Section::Projects), &t(l, keys::C_FIND_TITLE), body), vec![]));
        }
        Err(other) => return Err(other),
    };
    let c = &found["contact"];
    let s = &found["suppression"];
    let body = html! {
        (top)
        h2 { (t(l, keys::C_CONTACT_TITLE)) }
        dl.summary {
            dt { (t(l, keys::C_EMAIL)) } dd { (if c.is_object() { text(&c["email"]) } else { email.to_string() }) }
            @if c.is_object() {
                dt { (t(l, keys::C_FIRST_NAME)) } dd { (text(&c["first_name"])) }
                dt { (t(l, keys::C_LAST_NAME)) } dd { (text(&c["last_name"])) }
                @for (name, value) in c["fields"].as_object().into_iter().flatten() {
                    dt { (name) } dd { (text(value)) }
                }
            }
        }
        h3 { (t(l, keys::C_LISTS_TITLE)) }
        @if let Some(lists) = found["lists"].as_array().filter(|x| !x.is_empty()) {
            ul { @for list in lists {
                li { a href={ "/console/projects/" (id) "/lists/" (text(&list["list_id"])) } { (text(&list["name"])) } }
            } }
        } @else { p { (t(l, keys::C_NO_LISTS)) } }
        h3 { (t(l, keys::C_CONTACT_INVITATIONS)) }
        @if let Some(invitations) = found["invitations"].as_array().filter(|x| !x.is_empty()) {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_STARTED)) }
                    th scope="col" { (t(l, keys::C_COL_OUTCOME)) }
                } }
                tbody { @for i in invitations {
                    tr {
                        td { a href={ "/console/projects/" (id) "/sends/" (text(&i["distribution_id"])) } {
                            (short_time(i["distribution_created_at"].as_str().unwrap_or_default()))
                        } }
                        td { (super::sends::outcome(l, i)) }
                    }
                } }
            } }
        } @else { p { (t(l, keys::C_CONTACT_NO_INVITATIONS)) } }
        h3 { (t(l, keys::C_CONTACT_RESPONSES)) }
        @if let Some(responses) = found["responses"].as_array().filter(|x| !x.is_empty()) {
            ul { @for r in responses {
                li { a href={ "/console/projects/" (id) "/responses/" (text(&r["response_id"])) } {
                    (t_args(l, keys::C_CONTACT_ANSWERED, &[("at", short_time(r["submitted_at"].as_str().unwrap_or_default()).into())]))
                } }
            } }
        } @else { p { (t(l, keys::C_CONTACT_NO_RESPONSES)) } }
        h3 { (t(l, keys::C_SUPPRESSIONS_TITLE)) }
        @if s.is_object() {
            p { (t_args(l, keys::C_SUPPRESSED_STATE, &[("reason", reason(l, s["reason"].as_str().unwrap_or_default()).into()), ("at", short_time(s["at"].as_str().unwrap_or_default()).into())])) }
        } @else {
            p { (t(l, keys::C_NOT_SUPPRESSED)) }
        }
        @if p.role.allows(Role::Editor) {
            section.danger aria-labelledby="erase-title" {
                h2 id="erase-title" { (t(l, keys::C_ERASE_TITLE)) }
                p { (t(l, keys::C_ERASE_HINT)) }
                form method="post" action={ "/console/projects/" (id) "/contacts/erase" } {
                    (csrf_field(p.chrome.csrf))
                    input type="hidden" name="email" value=(email);
                    div class=[erase_error.map(|_| "invalid")] {
                        div.choice {
                            input type="checkbox" id="confirm" name="confirm" value="yes" aria-describedby=[erase_error.map(|_| "confirm-error")];
                            label for="confirm" { (t(l, keys::C_ERASE_CONFIRM)) }
                        }
                        @if let Some(e) = erase_error { p.error id="confirm-error" { (e) } }
                    }
                    button.danger type="submit" { (t(l, keys::C_ERASE_BUTTON)) }
                }
            }
        }
    };
    let status = if erase_error.is_some() { 400 } else { 200 };
    Ok(html_response(status, page(&p.in_section(Section::Projects), &t(l, keys::C_CONTACT_TITLE), body), vec![]))
}

/// Erases the posted address once its box is ticked, then shows the job.
pub(super) async fn erase(p: &Page<'_>, id: &str) -> PageResult {
    let email = first(p.fields, "email").trim().to_string();
    if first(p.fields, "confirm") != "yes" {
        return contact_page(p, id, &email, Some(&t(p.lang(), keys::C_ERASE_UNCONFIRMED))).await;
    }
    let started = p.api(Method::DELETE, &format!("/admin/projects/{id}/contacts/{}", urlencode(&email)), None).await?;
    let job = text(&started["job"]["job_id"]);
    Ok(see_other(&format!("/console/projects/{id}/jobs/{job}"), vec![]))
}

/// An erasure's progress: its phase while it runs, what it removed where.
/// The page follows the job by itself (the script asks for `?part=status`
/// until it is done; without JavaScript the page reloads itself).
pub(super) async fn job(p: &Page<'_>, id: &str, job_id: &str) -> PageResult {
    let l = p.lang();
    let found = p.api(Method::GET, &format!("/admin/projects/{id}/jobs/{job_id}"), None).await?;
    let job = &found["job"];
    if first(p.query, "part") == "status" {
        return Ok(html_response(200, job_status(l, job).into_string(), vec![]));
    }
    let done = job["state"] == "done";
    let poll = format!("/console/projects/{id}/jobs/{job_id}?part=status");
    let body = html! {
        p { a href={ "/console/projects/" (id) "/contacts" } { "← " (t(l, keys::C_TAB_CONTACTS)) } }
        h1 { (t(l, keys::C_JOB_TITLE)) }
        div id="job-status" data-poll=(poll) aria-live="polite" { (job_status(l, job)) }
        script src="/console/console.js" defer {}
    };
    let title = t(l, keys::C_JOB_TITLE);
    Ok(html_response(200, refreshing_page(&p.in_section(Section::Projects), &title, body, (!done).then_some(5)), vec![]))
}

/// Where an erasure stands, and what it removed where (marked `data-final`
/// once done, so the script stops asking).
fn job_status(l: Lang, job: &Value) -> Markup {
    let removed = job["removed"].as_object().cloned().unwrap_or_default();
    html! {
        @if job["state"] == "done" {
            div data-final="1" {
                p role="status" {
                    @if removed.contains_key("suppressions_hashed") { (t(l, keys::C_JOB_DONE)) } @else { (t(l, keys::C_JOB_DONE_CLEAN)) }
                }
            }
        } @else {
            p role="status" { (t_args(l, keys::C_JOB_RUNNING, &[("phase", phase_name(l, job["phase"].as_str().unwrap_or_default()).into())])) }
            p { a href="" { (t(l, keys::C_REFRESH)) } }
        }
        h2 { (t(l, keys::C_JOB_REMOVED)) }
        dl.summary {
            @for (name, n) in &removed {
                dt { (place_name(l, name)) } dd { (text(n)) }
            }
        }
    }
}

/// A place an erasure removes the person from, in the reader's words.
fn place_name(l: Lang, place: &str) -> String {
    let key = match place {
        "contact" => keys::C_PLACE_CONTACT,
        "list_memberships" => keys::C_PLACE_LIST_MEMBERSHIPS,
        "links" => keys::C_PLACE_LINKS,
        "b2b_contacts" => keys::C_PLACE_B2B_CONTACTS,
        "invitations" => keys::C_PLACE_INVITATIONS,
        "triggered_sends" => keys::C_PLACE_TRIGGERED,
        "suppressions_hashed" => keys::C_PLACE_SUPPRESSION,
        "responses" => keys::C_PLACE_RESPONSES,
        "reports_rebuilt" => keys::C_PLACE_REPORTS,
        "uploads" => keys::C_PLACE_UPLOADS,
        "import_reports" => keys::C_PLACE_IMPORT_REPORTS,
        other => return other.replace('_', " "),
    };
    t(l, key)
}

/// An erasure's phase, in the reader's words.
fn phase_name(l: Lang, phase: &str) -> String {
    let key = match phase {
        "responses" => keys::C_PHASE_RESPONSES,
        "reports" => keys::C_PHASE_REPORTS,
        "files" => keys::C_PHASE_FILES,
        other => return other.replace('_', " "),
    };
    t(l, key)
}

/// The suppressed addresses with their reasons; suppress by hand (editors),
/// lift what was added by hand (admins).
pub(super) async fn suppressions(p: &Page<'_>, id: &str) -> PageResult {
    suppressions_page(p, id, "", None).await
}

async fn suppressions_page(p: &Page<'_>, id: &str, value: &str, error: Option<&str>) -> PageResult {
    let l = p.lang();
    let (_, top) = heading(p, id).await?;
    let listed = p.api(Method::GET, &format!("/admin/projects/{id}/suppressions"), None).await?;
    let list = listed["suppressions"].as_array().cloned().unwrap_or_default();
    let body = html! {
        (top)
        h2 { (t(l, keys::C_SUPPRESSIONS_TITLE)) }
        p.hint { (t(l, keys::C_LIFT_HINT)) }
        @if list.is_empty() {
            p { (t(l, keys::C_SUPPRESSIONS_NONE)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_ADDRESS)) }
                    th scope="col" { (t(l, keys::C_COL_REASON)) }
                    th scope="col" { (t(l, keys::C_COL_SINCE)) }
                    @if p.role.allows(Role::Admin) { th scope="col" { span.visually-hidden { (t(l, keys::C_LIFT)) } } }
                } }
                tbody { @for s in &list {
                    @let address = text(&s["email_key"]);
                    tr {
                        td { (address) }
                        td { (reason(l, s["reason"].as_str().unwrap_or_default())) }
                        td { (short_time(s["at"].as_str().unwrap_or_default())) }
                        @if p.role.allows(Role::Admin) {
                            td { @if s["reason"] == "manual" {
                                form method="post" action={ "/console/projects/" (id) "/suppressions/lift" } {
                                    (csrf_field(p.chrome.csrf))
                                    input type="hidden" name="email" value=(address);
                                    button.secondary type="submit" aria-label={ (t(l, keys::C_LIFT)) ": " (address) } { (t(l, keys::C_LIFT)) }
                                }
                            } }
                        }
                    }
                } }
            } }
        }
        @if p.role.allows(Role::Editor) {
            h2 { (t(l, keys::C_SUPPRESS_TITLE)) }
            form method="post" action={ "/console/projects/" (id) "/suppressions" } novalidate {
                (csrf_field(p.chrome.csrf))
                (field("email", &t(l, keys::C_EMAIL), "email", value, None, error, true))
                button type="submit" { (t(l, keys::C_SUPPRESS_BUTTON)) }
            }
        }
    };
    let status = if error.is_some() { 400 } else { 200 };
    Ok(html_response(status, page(&p.in_section(Section::Projects), &t(l, keys::C_SUPPRESSIONS_TITLE), body), vec![]))
}

/// Suppresses the posted address by hand (a wrong address is explained at its field).
pub(super) async fn suppress(p: &Page<'_>, id: &str) -> PageResult {
    let email = first(p.fields, "email").trim().to_string();
    match p.api(Method::POST, &format!("/admin/projects/{id}/suppressions"), Some(json!({ "email": email }))).await {
        Ok(_) => Ok(see_other(&format!("/console/projects/{id}/suppressions"), vec![])),
        Err(Failure::Api { status: 400, body }) => {
            let message = t_args(p.lang(), keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            suppressions_page(p, id, &email, Some(&message)).await
        }
        Err(other) => Err(other),
    }
}

/// Lifts a suppression added by hand (admins; the API refuses any other).
pub(super) async fn lift(p: &Page<'_>, id: &str) -> PageResult {
    let email = first(p.fields, "email").trim();
    p.api(Method::DELETE, &format!("/admin/projects/{id}/suppressions/{}", urlencode(email)), None).await?;
    Ok(see_other(&format!("/console/projects/{id}/suppressions"), vec![]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erasure_tells_its_phase_and_places_in_the_readers_words_and_marks_its_end() {
        let running = json!({ "state": "running", "phase": "reports", "removed": { "contact": 1, "list_memberships": 2 } });
        for (l, words) in [
            (Lang::En, ["stored reports", "List memberships", "Contact"]),
            (Lang::De, ["gespeicherte Berichte", "Listenmitgliedschaften", "Kontakt"]),
            (Lang::Fi, ["tallennetut raportit", "Listajäsenyydet", "Yhteystieto"]),
        ] {
            let html = job_status(l, &running).into_string();
            for w in words {
                assert!(html.contains(w), "{l:?} {w}: {html}");
            }
            assert!(!html.contains("data-final") && !html.contains("list_memberships"), "{html}");
        }
        let clean = job_status(Lang::En, &json!({ "state": "done", "removed": { "contact": 1 } })).into_string();
        assert!(
            clean.contains("data-final") && clean.contains("nothing of the person is left.") && !clean.contains("suppression"),
            "{clean}"
        );
        let coded = job_status(Lang::En, &json!({ "state": "done", "removed": { "suppressions_hashed": 1 } })).into_string();
        assert!(coded.contains("the code of a suppression") && coded.contains("kept as a code"), "{coded}");
    }
}
