//! One account's section of the account report: the page its team gets a
//! link to. Static HTML, every text escaped.

use super::{escape, page};
use crate::domain::b2b::{AccountCounts, AccountView};

fn pct(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:.1} %")).unwrap_or_else(|| "—".into())
}

fn signed(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:+.0}")).unwrap_or_else(|| "—".into())
}

fn counts_row(label: &str, c: &AccountCounts) -> String {
    format!(
        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        escape(label),
        c.responses,
        signed(c.nps.score()),
        pct((c.csat_answers > 0).then(|| c.csat_satisfied as f64 * 100.0 / c.csat_answers as f64)),
        pct(crate::domain::metrics::response_rate(c.responses, c.invited)),
    )
}

/// The section of account `a` (with its direct sub-accounts `sub`) of the
/// account report of `from`..`to`.
pub fn section(organisation: &str, from: &str, to: &str, rule: &str, a: &AccountView, sub: &[&AccountView]) -> String {
    let h = &a.health;
    let flag = if h.churn_risk {
        format!("<p class=\"risk\" role=\"status\"><strong>Churn risk</strong>: {}</p>", escape(&h.reasons.join("; ")))
    } else {
        "<p role=\"status\">No churn risk flagged.</p>".to_string()
    };
    let score = h.score.map(|s| format!("{s:.0}")).unwrap_or_else(|| "—".into());
    let mut rows = counts_row("This account with its sub-accounts", &a.rolled_up);
    rows.push_str(&counts_row("This account alone", &a.own));
    for s in sub {
        rows.push_str(&counts_row(&format!("↳ {}", s.name), &s.rolled_up));
    }
    let team: String = a.team.iter().map(|t| format!("<li>{} — {:?}</li>", escape(&t.email), t.role)).collect();
    let body = format!(
        "<h1>{name}</h1><p>{org} · account report {from} – {to}</p>{flag}\
         <dl><dt>Health score</dt><dd>{score} / 100</dd><dt>NPS</dt><dd>{nps} (previous period {prev}; trend {trend})</dd>\
         <dt>CSAT</dt><dd>{csat}</dd><dt>Response rate</dt><dd>{rate}</dd><dt>Detractor share</dt><dd>{det}</dd></dl>\
         <table><caption>Figures</caption><thead><tr><th scope=\"col\"></th><th scope=\"col\">Responses</th><th scope=\"col\">NPS</th><th scope=\"col\">CSAT</th><th scope=\"col\">Response rate</th></tr></thead><tbody>{rows}</tbody></table>\
         <h2>Account team</h2><ul>{team}</ul><p><small>{rule}</small></p>",
        name = escape(&a.name),
        org = escape(organisation),
        from = escape(from),
        to = escape(to),
        nps = signed(h.nps),
        prev = signed(h.previous_nps),
        trend = signed(h.trend),
        csat = pct(h.csat),
        rate = pct(h.response_rate),
        det = pct(h.detractor_share.map(|d| d * 100.0)),
        rule = escape(rule),
    );
    page("en", &format!("{} — account report", a.name), &body)
}
