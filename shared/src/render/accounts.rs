//! One account's section of the account report: the page its team gets a
//! link to. Static HTML through maud, every text escaped; its words from
//! the translation files, in the project's default language.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::keys;
use crate::domain::b2b::{AccountCounts, AccountView, Health, TeamRole, CHURN_DETRACTOR_SHARE, CHURN_NPS_DROP, MIN_RESPONSES};
use crate::domain::i18n::{t, t_args, Lang};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;padding:1rem;line-height:1.5;color:#1a1a1a;background:#f6f7f9}\
main{max-width:40rem;margin:0 auto;background:#fff;padding:1.5rem;border-radius:.5rem}h1{font-size:1.4rem;margin-top:0}a{color:#0b57d0}";

fn pct(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:.1} %")).unwrap_or_else(|| "—".into())
}

fn signed(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:+.0}")).unwrap_or_else(|| "—".into())
}

fn counts_row(label: &str, c: &AccountCounts) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td { (c.responses) }
            td { (signed(c.nps.score())) }
            td { (pct((c.csat_answers > 0).then(|| c.csat_satisfied as f64 * 100.0 / c.csat_answers as f64))) }
            td { (pct(crate::domain::metrics::response_rate(c.responses, c.invited))) }
        }
    }
}

fn role(l: Lang, r: TeamRole) -> String {
    t(
        l,
        match r {
            TeamRole::AccountExecutive => keys::ROLE_ACCOUNT_EXECUTIVE,
            TeamRole::AccountOwner => keys::ROLE_ACCOUNT_OWNER,
            TeamRole::CustomerSuccessManager => keys::ROLE_CUSTOMER_SUCCESS_MANAGER,
            TeamRole::TechnicalSalesProfessional => keys::ROLE_TECHNICAL_SALES_PROFESSIONAL,
            TeamRole::SalesEngineer => keys::ROLE_SALES_ENGINEER,
            TeamRole::CustomerSupportProfessional => keys::ROLE_CUSTOMER_SUPPORT_PROFESSIONAL,
            TeamRole::OtherAccountTeamMember => keys::ROLE_OTHER_ACCOUNT_TEAM_MEMBER,
        },
    )
}

/// Why a flagged account is at risk, in `l`: the churn rule's two
/// conditions (see [`crate::domain::b2b::health`]) read from the figures the
/// flag was decided on. Empty when the account is not flagged.
fn churn_reasons(l: Lang, h: &Health) -> Vec<String> {
    if !h.churn_risk {
        return Vec::new();
    }
    let mut reasons = Vec::new();
    if let Some(d) = h.detractor_share.filter(|d| *d > CHURN_DETRACTOR_SHARE) {
        let (share, limit) = (format!("{:.0}", d * 100.0), format!("{:.0}", CHURN_DETRACTOR_SHARE * 100.0));
        reasons.push(t_args(l, keys::ACCOUNT_REASON_DETRACTORS, &[("share", share.into()), ("limit", limit.into())]));
    }
    if let Some(drop) = h.trend.filter(|t| *t <= -CHURN_NPS_DROP) {
        reasons.push(t_args(l, keys::ACCOUNT_REASON_NPS_FELL, &[("points", (-drop).round().into())]));
    }
    reasons
}

/// The section of account `a` (with its direct sub-accounts `sub`) of the
/// account report of `from`..`to`, in the project's default language `lang`.
pub fn section(lang: Lang, organisation: &str, from: &str, to: &str, a: &AccountView, sub: &[&AccountView]) -> String {
    let l = lang;
    let h = &a.health;
    let rule = t_args(
        l,
        keys::ACCOUNT_RULE,
        &[("min", MIN_RESPONSES.into()), ("share", (CHURN_DETRACTOR_SHARE * 100.0).round().into()), ("drop", CHURN_NPS_DROP.into())],
    );
    let rate = t(l, keys::ACCOUNT_RESPONSE_RATE);
    let body = html! {
        h1 { (a.name) }
        p { (t_args(l, keys::ACCOUNT_SUBTITLE, &[("org", organisation.into()), ("from", from.into()), ("to", to.into())])) }
        @if h.churn_risk {
            p.risk role="status" { strong { (t(l, keys::ACCOUNT_CHURN_RISK)) } ": " (churn_reasons(l, h).join("; ")) }
        } @else {
            p role="status" { (t(l, keys::ACCOUNT_NO_CHURN_RISK)) }
        }
        dl {
            dt { (t(l, keys::ACCOUNT_HEALTH_SCORE)) }
            dd { (h.score.map(|s| format!("{s:.0}")).unwrap_or_else(|| "—".into())) " / 100" }
            dt { "NPS" }
            dd { (signed(h.nps)) " " (t_args(l, keys::ACCOUNT_NPS_DETAIL, &[("previous", signed(h.previous_nps).into()), ("trend", signed(h.trend).into())])) }
            dt { "CSAT" }
            dd { (pct(h.csat)) }
            dt { (rate) }
            dd { (pct(h.response_rate)) }
            dt { (t(l, keys::ACCOUNT_DETRACTOR_SHARE)) }
            dd { (pct(h.detractor_share.map(|d| d * 100.0))) }
        }
        table {
            caption { (t(l, keys::ACCOUNT_FIGURES)) }
            thead {
                tr {
                    th scope="col" {}
                    th scope="col" { (t(l, keys::ACCOUNT_RESPONSES)) }
                    th scope="col" { "NPS" }
                    th scope="col" { "CSAT" }
                    th scope="col" { (rate) }
                }
            }
            tbody {
                (counts_row(&t(l, keys::ACCOUNT_WITH_SUB_ACCOUNTS), &a.rolled_up))
                (counts_row(&t(l, keys::ACCOUNT_ALONE), &a.own))
                @for s in sub {
                    (counts_row(&format!("↳ {}", s.name), &s.rolled_up))
                }
            }
        }
        h2 { (t(l, keys::ACCOUNT_TEAM)) }
        ul {
            @for member in &a.team {
                li { (member.email) " — " (role(l, member.role)) }
            }
        }
        p { small { (rule) } }
    };
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (t_args(l, keys::ACCOUNT_PAGE_TITLE, &[("account", a.name.as_str().into())])) }
                // our own constant: a style sheet is raw text, not escaped
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}
