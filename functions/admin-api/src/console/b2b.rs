//! B2B accounts: the account list with its hierarchy, health, churn flag
//! and rolled-up figures over a period; one account's page (the very
//! section its team gets by email, in the reader's language); and the
//! account report routed to every account's team.

use axum::http::Method;
use maud::html;
use pulse_shared::domain::b2b::AccountReport;
use pulse_shared::domain::i18n::{t, t_args};
use pulse_shared::render::console::{csrf_field, page, urlencode, Section};
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
        p { a href={ "/console/projects/" (id) "/uploads" } { (t(l, keys::C_UPLOADS_LINK)) } }
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
