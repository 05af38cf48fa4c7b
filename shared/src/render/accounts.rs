//! One account's section of the account report: the page its team gets a
//! link to. Static HTML through maud, every text escaped.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::b2b::{AccountCounts, AccountView};

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

/// The section of account `a` (with its direct sub-accounts `sub`) of the
/// account report of `from`..`to`.
pub fn section(organisation: &str, from: &str, to: &str, rule: &str, a: &AccountView, sub: &[&AccountView]) -> String {
    let h = &a.health;
    let body = html! {
        h1 { (a.name) }
        p { (organisation) " · account report " (from) " – " (to) }
        @if h.churn_risk {
            p.risk role="status" { strong { "Churn risk" } ": " (h.reasons.join("; ")) }
        } @else {
            p role="status" { "No churn risk flagged." }
        }
        dl {
            dt { "Health score" } dd { (h.score.map(|s| format!("{s:.0}")).unwrap_or_else(|| "—".into())) " / 100" }
            dt { "NPS" } dd { (signed(h.nps)) " (previous period " (signed(h.previous_nps)) "; trend " (signed(h.trend)) ")" }
            dt { "CSAT" } dd { (pct(h.csat)) }
            dt { "Response rate" } dd { (pct(h.response_rate)) }
            dt { "Detractor share" } dd { (pct(h.detractor_share.map(|d| d * 100.0))) }
        }
        table {
            caption { "Figures" }
            thead {
                tr {
                    th scope="col" {}
                    th scope="col" { "Responses" }
                    th scope="col" { "NPS" }
                    th scope="col" { "CSAT" }
                    th scope="col" { "Response rate" }
                }
            }
            tbody {
                (counts_row("This account with its sub-accounts", &a.rolled_up))
                (counts_row("This account alone", &a.own))
                @for s in sub {
                    (counts_row(&format!("↳ {}", s.name), &s.rolled_up))
                }
            }
        }
        h2 { "Account team" }
        ul {
            @for t in &a.team {
                li { (t.email) " — " (format!("{:?}", t.role)) }
            }
        }
        p { small { (rule) } }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (a.name) " — account report" }
                // our own constant: a style sheet is raw text, not escaped
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}
