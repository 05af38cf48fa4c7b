//! Invitations: the project's distributions with their counts, and one
//! distribution's progress (planned, sent, skipped by reason, failed,
//! reminders), its cancellation, and its recipients, each with what became
//! of them and why ("why didn't they get it?").

use std::collections::BTreeMap;

use axum::http::Method;
use maud::html;
use pulse_shared::domain::access::Role;
use pulse_shared::domain::i18n::{t, t_args, Lang};
use pulse_shared::render::console::{csrf_field, page, refreshing_page, urlencode, Section};
use pulse_shared::render::keys;
use serde_json::Value;

use super::projects::{short_time, text};
use super::{first, html_response, Page, PageResult};

/// A distribution's state in the reader's words.
fn state(l: Lang, state: &str) -> String {
    let key = match state {
        "scheduled" => keys::C_DIST_SCHEDULED,
        "planning" => keys::C_DIST_PLANNING,
        "sending" => keys::C_DIST_SENDING,
        "done" => keys::C_DIST_DONE,
        "cancelled" => keys::C_DIST_CANCELLED,
        "paused" => keys::C_DIST_PAUSED,
        other => return other.to_string(),
    };
    t(l, key)
}

/// Why a recipient was skipped (the invitation's `skip`, as its counter is named).
const SKIPS: [(&str, &str, &str); 7] = [
    ("suppressed", "skipped_suppressed", keys::C_SKIP_SUPPRESSED),
    ("unsubscribed", "skipped_unsubscribed", keys::C_SKIP_UNSUBSCRIBED),
    ("invalid", "skipped_invalid", keys::C_SKIP_INVALID),
    ("quiet_period", "skipped_quiet_period", keys::C_SKIP_QUIET),
    ("over_budget", "skipped_over_budget", keys::C_SKIP_BUDGET),
    ("cancelled", "skipped_cancelled", keys::C_SKIP_CANCELLED),
    ("erased", "skipped_erased", keys::C_SKIP_ERASED),
];

/// What became of one recipient, in words.
pub(super) fn outcome(l: Lang, r: &Value) -> String {
    match r["state"].as_str().unwrap_or_default() {
        "sent" => t(l, keys::C_OUTCOME_SENT),
        "skipped" => {
            let skip = r["skip"].as_str().unwrap_or_default();
            SKIPS.iter().find(|(s, _, _)| *s == skip).map(|(_, _, key)| t(l, key)).unwrap_or_else(|| skip.to_string())
        }
        "failed" => t_args(l, keys::C_OUTCOME_FAILED, &[("reason", text(&r["reason"]).into())]),
        _ => t(l, keys::C_OUTCOME_WAITING),
    }
}

/// The project's distributions, newest first, with their counts.
pub(super) async fn sends(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let org = text(&project["settings"]["organisation_name"]);
    let listed = p.api(Method::GET, &format!("/admin/projects/{id}/distributions"), None).await?;
    let lists = p.api(Method::GET, &format!("/admin/projects/{id}/lists"), None).await?;
    let names: BTreeMap<String, String> =
        lists["lists"].as_array().into_iter().flatten().map(|list| (text(&list["list_id"]), text(&list["name"]))).collect();
    let all = listed["distributions"].as_array().cloned().unwrap_or_default();
    let title = t_args(l, keys::C_SENDS_TITLE, &[("org", org.as_str().into())]);
    let body = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (title) }
        (super::insights::tabs(l, id, "sends"))
        p { a.button href={ "/console/projects/" (id) "/sends/new" } { (t(l, keys::C_COMPOSE_LINK)) } }
        @if all.is_empty() {
            p { (t(l, keys::C_NO_SENDS)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_STARTED)) }
                    th scope="col" { (t(l, keys::C_COL_LIST)) }
                    th scope="col" { (t(l, keys::C_COL_STATE)) }
                    th scope="col" class="num" { (t(l, keys::C_COL_SENT)) }
                    th scope="col" class="num" { (t(l, keys::C_COL_SKIPPED)) }
                    th scope="col" class="num" { (t(l, keys::C_COL_FAILED)) }
                } }
                tbody { @for d in &all {
                    tr {
                        td { a href={ "/console/projects/" (id) "/sends/" (text(&d["id"])) } { (short_time(d["created_at"].as_str().unwrap_or_default())) } }
                        td { @if let Some(event) = d["trigger"]["event"].as_str() { (event) } @else { (names.get(&text(&d["list_id"])).cloned().unwrap_or_else(|| text(&d["list_id"]))) } }
                        td { (state(l, d["state"].as_str().unwrap_or_default())) }
                        td.num { (text(&d["counts"]["sent"])) }
                        td.num { (text(&d["skipped"])) }
                        td.num { (text(&d["counts"]["failed"])) }
                    }
                } }
            } }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Projects), &title, body), vec![]))
}

/// Responses and their share of the invitations sent.
fn response_share(l: Lang, responses: u64, sent: u64) -> String {
    match sent {
        0 => responses.to_string(),
        _ => t_args(l, keys::C_RESPONSE_SHARE, &[("n", responses.into()), ("percent", (responses * 100 / sent).into())]),
    }
}

/// Where a distribution stands: its state and counts by reason (the script
/// asks for this part again until the distribution has ended, marked
/// `data-final`; without it, the refresh link).
fn progress(l: Lang, d: &Value, base: &str) -> maud::Markup {
    let c = &d["counts"];
    let count = |name: &str| c[name].as_u64().unwrap_or(0);
    let current = d["state"].as_str().unwrap_or_default();
    let ended = matches!(current, "done" | "cancelled");
    html! {
        div data-final=[ended.then_some("1")] {
            p { (t_args(l, keys::C_SEND_STATE, &[("state", state(l, current).into())])) }
            @if !ended {
                p { a href=(base) { (t(l, keys::C_REFRESH)) } }
            }
            dl.summary {
                dt { (t(l, keys::C_COUNT_PLANNED)) } dd { (count("planned")) }
                dt { (t(l, keys::C_COL_SENT)) } dd { (count("sent")) }
                @for (_, counter, key) in SKIPS {
                    @if count(counter) > 0 { dt { (t(l, key)) } dd { (count(counter)) } }
                }
                dt { (t(l, keys::C_COL_FAILED)) } dd { (count("failed")) }
                @for (key, n) in [
                    (keys::C_FAILED_REFUSED, d["failed_refused"].as_u64().unwrap_or(0)),
                    (keys::C_FAILED_UNKNOWN, count("failed_unknown")),
                    (keys::C_FAILED_NO_MESSAGE, count("failed_no_message")),
                ] {
                    @if n > 0 { dt.sub { (t(l, key)) } dd { (n) } }
                }
                @if let Some(responses) = d["responses"].as_u64() {
                    dt { (t(l, keys::C_COUNT_RESPONSES)) }
                    dd { (response_share(l, responses, count("sent"))) }
                    dt { (t(l, keys::C_COUNT_NOT_ANSWERED)) } dd { (d["not_answered"].as_u64().unwrap_or(0)) }
                }
                @if d["reminder"].is_object() {
                    @if let Some(due) = d["reminder_due_at"].as_str().filter(|_| current != "cancelled") {
                        dt { (t(l, keys::C_REMINDER_DUE)) } dd { (short_time(due)) }
                    }
                    dt { (t(l, keys::C_COUNT_REMINDERS)) } dd { (count("reminders_sent")) }
                    @if count("reminders_over_budget") > 0 { dt { (t(l, keys::C_COUNT_REMINDERS_BUDGET)) } dd { (count("reminders_over_budget")) } }
                }
            }
        }
    }
}

/// One distribution: its counts by reason, its cancellation, its
/// recipients (filtered by state, 200 invitations read a page).
pub(super) async fn send(p: &Page<'_>, id: &str, dist: &str) -> PageResult {
    let l = p.lang();
    let d = p.api(Method::GET, &format!("/admin/projects/{id}/distributions/{dist}"), None).await?;
    let d = if d["distribution"].is_object() { d["distribution"].clone() } else { d };
    let base = format!("/console/projects/{id}/sends/{dist}");
    if first(p.query, "part") == "status" {
        return Ok(html_response(200, progress(l, &d, &base).into_string(), vec![]));
    }
    let wanted = first(p.query, "state");
    let wanted = ["sent", "skipped", "failed"].into_iter().find(|s| *s == wanted);
    let after = first(p.query, "after");
    let mut path = format!("/admin/projects/{id}/distributions/{dist}/recipients?");
    if let Some(w) = wanted {
        path.push_str(&format!("state={w}&"));
    }
    if !after.is_empty() {
        path.push_str(&format!("after={}", urlencode(after)));
    }
    let recipients = p.api(Method::GET, &path, None).await?;
    let current = d["state"].as_str().unwrap_or_default();
    let title = t_args(l, keys::C_SEND_TITLE, &[("at", short_time(d["created_at"].as_str().unwrap_or_default()).into())]);
    let body = html! {
        p { a href={ "/console/projects/" (id) "/sends" } { "← " (t(l, keys::C_TAB_SENDS)) } }
        h1 { (title) }
        div id="send-status" data-poll={ (base) "?part=status" } aria-live="polite" { (progress(l, &d, &base)) }
        script src="/console/console.js" defer {}
        @if p.role.allows(Role::Editor) && !matches!(current, "done" | "cancelled") {
            form method="post" action={ (base) "/cancel" } {
                (csrf_field(p.chrome.csrf))
                p.hint id="cancel-hint" { (t(l, keys::C_CANCEL_SEND_HINT)) }
                button.danger type="submit" aria-describedby="cancel-hint" { (t(l, keys::C_CANCEL_SEND)) }
            }
        }
        h2 { (t(l, keys::C_RECIPIENTS_TITLE)) }
        form method="get" action=(base) {
            label for="state" { (t(l, keys::C_SHOW_STATE)) }
            select id="state" name="state" {
                option value="" { (t(l, keys::C_STATE_ALL)) }
                option value="sent" selected[wanted == Some("sent")] { (t(l, keys::C_COL_SENT)) }
                option value="skipped" selected[wanted == Some("skipped")] { (t(l, keys::C_COL_SKIPPED)) }
                option value="failed" selected[wanted == Some("failed")] { (t(l, keys::C_COL_FAILED)) }
            }
            button.secondary type="submit" { (t(l, keys::C_FILTER)) }
        }
        @let rows = recipients["recipients"].as_array().cloned().unwrap_or_default();
        @if rows.is_empty() {
            p { (t(l, keys::C_NO_RECIPIENTS)) }
        } @else {
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_COL_ADDRESS)) }
                    th scope="col" { (t(l, keys::C_COL_OUTCOME)) }
                } }
                tbody { @for r in &rows {
                    tr {
                        td { (text(&r["email"])) }
                        td { (outcome(l, r)) @if let Some(at) = r["at"].as_str() { br; span.hint { (short_time(at)) } } }
                    }
                } }
            } }
        }
        @if let Some(next) = recipients["next"].as_str() {
            p { a href={ (base) "?" (wanted.map(|w| format!("state={w}&")).unwrap_or_default()) "after=" (urlencode(next)) } { (t(l, keys::C_NEXT_PAGE)) } }
        }
    };
    let refresh = (!matches!(current, "done" | "cancelled")).then_some(10);
    Ok(html_response(200, refreshing_page(&p.in_section(Section::Projects), &title, body, refresh), vec![]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_progress_tells_failures_by_reason_responses_and_when_the_reminder_is_due_in_every_language() {
        let d = json!({ "state": "done", "counts": { "planned": 10, "sent": 8, "failed": 2, "failed_unknown": 1, "reminders_sent": 0 },
                        "failed_refused": 1, "responses": 2, "not_answered": 6,
                        "reminder": { "after_days": 3 }, "reminder_due_at": "2026-12-06T09:00:00.000Z" });
        for (l, words) in [
            (Lang::En, ["refused by the mail service", "delivery unknown", "2 (25 % of those sent)", "Not answered yet", "Reminder due"]),
            (
                Lang::De,
                [
                    "vom Mail-Dienst abgelehnt",
                    "Zustellung unbekannt",
                    "2 (25 % der Gesendeten)",
                    "Noch nicht geantwortet",
                    "Erinnerung fällig",
                ],
            ),
            (
                Lang::Fi,
                ["postipalvelu hylkäsi", "toimitus on tuntematon", "2 (25 % lähetetyistä)", "Ei vielä vastannut", "Muistutus erääntyy"],
            ),
        ] {
            let html = progress(l, &d, "/console/projects/p/sends/d").into_string();
            for w in words {
                assert!(html.contains(w), "{l:?} {w}: {html}");
            }
            assert!(!html.contains("no message"), "a kind with none is left out");
            assert!(html.contains("<dd>6</dd>"), "{html}");
        }
        // nothing to tell: no reminder, no responses counted yet
        let plain = progress(Lang::En, &json!({ "state": "sending", "counts": { "planned": 2 } }), "/x").into_string();
        assert!(!plain.contains("Reminder due") && !plain.contains("Responses") && !plain.contains("of which"), "{plain}");
    }
}
