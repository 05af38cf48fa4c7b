//! One account's section of the account report: the page its team gets a
//! link to. Static HTML through maud, every text escaped; its words from
//! the translation files, in the project's default language.

use maud::{html, Markup};

use super::keys;
use crate::domain::b2b::{AccountCounts, AccountView, Health, TeamRole, CHURN_DETRACTOR_SHARE, CHURN_NPS_DROP, MIN_RESPONSES};
use crate::domain::i18n::{t, t_args, Lang};

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

/// A contact's client role (as stored: `DECISION_MAKER`…) in `l`.
pub fn client_role(l: Lang, role: &str) -> String {
    let key = match role {
        "DECISION_MAKER" => keys::CLIENT_DECISION_MAKER,
        "INFLUENCER" => keys::CLIENT_INFLUENCER,
        "PROCUREMENT_FINANCE_PERSON" => keys::CLIENT_PROCUREMENT_FINANCE_PERSON,
        "PROGRAM_MANAGER" => keys::CLIENT_PROGRAM_MANAGER,
        "EXECUTIVE_SPONSOR" => keys::CLIENT_EXECUTIVE_SPONSOR,
        "END_USER" => keys::CLIENT_END_USER,
        _ => keys::CLIENT_ACCOUNT_MEMBER,
    };
    t(l, key)
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
/// account report of `from`..`to`, in the project's default language `lang`:
/// the page its team gets a link to.
pub fn section(lang: Lang, organisation: &str, from: &str, to: &str, a: &AccountView, sub: &[&AccountView]) -> String {
    let body = section_body(lang, organisation, from, to, a, sub);
    super::document(lang.code(), &t_args(lang, keys::ACCOUNT_PAGE_TITLE, &[("account", a.name.as_str().into())]), body)
}

/// The content of an account's section, for its own page and the console.
pub fn section_body(lang: Lang, organisation: &str, from: &str, to: &str, a: &AccountView, sub: &[&AccountView]) -> Markup {
    let l = lang;
    let h = &a.health;
    let rule = t_args(
        l,
        keys::ACCOUNT_RULE,
        &[("min", MIN_RESPONSES.into()), ("share", (CHURN_DETRACTOR_SHARE * 100.0).round().into()), ("drop", CHURN_NPS_DROP.into())],
    );
    let rate = t(l, keys::ACCOUNT_RESPONSE_RATE);
    html! {
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
        // scrolls by itself on a phone rather than widening the page
        div style="overflow-x:auto" { table {
            caption { (t(l, keys::ACCOUNT_FIGURES)) }
            thead {
                tr {
                    th scope="col" { (t(l, keys::C_COL_ACCOUNT)) }
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
        } }
        h2 { (t(l, keys::ACCOUNT_TEAM)) }
        ul {
            @for member in &a.team {
                li { (member.email) " — " (role(l, member.role)) }
            }
        }
        p { small { (rule) } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::b2b::{health, TeamMember};
    use crate::domain::metrics::NpsCounts;

    fn view(name: &str, now: NpsCounts, before: NpsCounts) -> AccountView {
        let counts = |nps: NpsCounts| AccountCounts { responses: nps.total(), invited: 10, nps, csat_answers: 0, csat_satisfied: 0 };
        AccountView {
            id: "001".into(),
            name: name.into(),
            parent_id: None,
            depth: 0,
            children: vec![],
            own: counts(now),
            rolled_up: counts(now),
            health: health(&counts(now), &counts(before)),
            team: vec![TeamMember { email: "owner@corp.example".into(), role: TeamRole::AccountOwner }],
        }
    }

    #[test]
    fn a_flagged_section_gives_its_reasons_and_roles_in_the_projects_language() {
        let a = view(
            "Acme <GmbH>",
            NpsCounts { promoters: 1, passives: 1, detractors: 4 },
            NpsCounts { promoters: 5, passives: 0, detractors: 0 },
        );
        assert!(a.health.churn_risk && a.health.reasons.len() == 2, "{:?}", a.health);
        let en = section(Lang::En, "Corp", "2026-10-01", "2026-10-31", &a, &[]);
        assert!(en.contains("<h1>Acme &lt;GmbH&gt;</h1>") && !en.contains("<GmbH>"), "{en}");
        // the same words the domain gives the JSON, from the translation file
        assert!(en.contains(&format!("<strong>Churn risk</strong>: {}</p>", a.health.reasons.join("; "))), "{en}");
        assert!(en.contains("owner@corp.example — Account owner") && en.contains("Health score"), "{en}");
        let de = section(Lang::De, "Corp", "2026-10-01", "2026-10-31", &a, &[]);
        assert!(de.starts_with("<!DOCTYPE html><html lang=\"de\">"), "{de}");
        assert!(
            de.contains(
                "<strong>Abwanderungsrisiko</strong>: 67 % Kritiker (über 30 %); NPS um 150 Punkte gegenüber dem Vorzeitraum gefallen"
            ),
            "{de}"
        );
        assert!(de.contains("Gesundheitswert") && de.contains("ab 5 Antworten") && de.contains("Kundenverantwortliche(r)"), "{de}");
        let fi = section(Lang::Fi, "Corp", "2026-10-01", "2026-10-31", &a, &[]);
        assert!(
            fi.contains("Asiakaspoistuman riski") && fi.contains("NPS laski 150 pistettä") && fi.contains("Asiakkuuden omistaja"),
            "{fi}"
        );
        for english in ["Churn", "Health score", "Response rate", "Account team", "This account", "account report", "responses"] {
            assert!(!de.contains(english) && !fi.contains(english), "{english:?} left in English");
        }
    }

    #[test]
    fn a_healthy_section_says_so_and_lists_its_sub_accounts() {
        let a = view("Acme", NpsCounts { promoters: 6, passives: 0, detractors: 0 }, NpsCounts::default());
        let sub = view("Acme Nord", NpsCounts { promoters: 1, passives: 0, detractors: 0 }, NpsCounts::default());
        let en = section(Lang::En, "Corp", "2026-10-01", "2026-10-31", &a, &[&sub]);
        assert!(en.contains("No churn risk flagged.") && en.contains("<th scope=\"row\">↳ Acme Nord</th>"), "{en}");
        assert!(section(Lang::Fi, "Corp", "2026-10-01", "2026-10-31", &a, &[&sub]).contains("Asiakaspoistuman riskiä ei havaittu."));
    }
}
