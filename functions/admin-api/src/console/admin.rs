//! Budgets and plans, and the console's users (admins).

use axum::http::Method;
use maud::html;
use pulse_shared::domain::access::Role;
use pulse_shared::domain::i18n::{t, t_args};
use pulse_shared::render::console::{self as view, csrf_field, field, page, Section};
use pulse_shared::render::keys;
use serde_json::{json, Value};

use super::projects::{short_time, text};
use super::{first, html_response, see_other, Failure, Page, PageResult};

/// Every account's budget view; admins change plans here.
pub(super) async fn budgets(p: &Page<'_>) -> PageResult {
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
                    dt { (t(l, keys::C_RESERVE)) } dd { (text(&b["invitation_reserve"])) }
                    dt { (t(l, keys::C_LINK_SHARE)) } dd { (text(&b["link_used"])) " / " (text(&b["link_budget"])) }
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
                    form method="post" action={ "/console/budgets/" (text(&a["id"])) "/reserve" } {
                        (csrf_field(p.chrome.csrf))
                        label for={ "reserve-" (text(&a["id"])) } { (t(l, keys::C_SET_RESERVE)) }
                        input type="number" inputmode="numeric" min="0" max=(text(&b["monthly_budget"])) id={ "reserve-" (text(&a["id"])) }
                            name="invitation_reserve" value=(text(&b["invitation_reserve"]));
                        button type="submit" { (t(l, keys::C_SET_RESERVE_BUTTON)) }
                    }
                }
            }
        }
    };
    Ok(html_response(200, page(&p.in_section(Section::Budgets), &t(l, keys::C_BUDGETS_TITLE), body), vec![]))
}

/// The console's users (admins only).
pub(super) async fn users(p: &Page<'_>, error: Option<(u16, String)>) -> PageResult {
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

pub(super) async fn invite(p: &Page<'_>) -> PageResult {
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

pub(super) async fn user_action(p: &Page<'_>, username: &str, action: &str) -> PageResult {
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
