//! Emails to colleagues (response notifications, follow-up requests,
//! report and account-section links) and the frame of survey invitations:
//! text and HTML parts, every text from the translation files in the
//! project's default language, the HTML through maud, which escapes every
//! value.

use maud::{html, Markup, DOCTYPE};

use super::keys;
use crate::domain::i18n::{pick, t, t_args, Lang};
use crate::domain::mail::OutgoingEmail;
use crate::domain::metrics::NpsCounts;
use crate::domain::response::Response;
use crate::domain::survey::{ids, Answer, Answering, Definition};

/// How long the link of an account-section email works (the admin API
/// presigns it for as long).
pub const ACCOUNT_SECTION_LINK_DAYS: u64 = 7;

/// A whole HTML email around `body`.
fn html_doc(lang: Lang, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width";
            }
            body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a" { (body) }
        }
    }
    .into_string()
}

/// The small print under a rule: why the mail came, and how to stop it.
fn footer(why: &str, stop: Option<(&str, &str)>) -> Markup {
    html! {
        hr;
        p style="font-size:.85em;color:#555" {
            (why)
            @if let Some((label, url)) = stop {
                " " a href=(url) { (label) }
            }
        }
    }
}

/// Placeholders for the values [`emphasised`] shows in bold: characters of
/// Unicode's private use area, which no translation holds.
const MARKERS: [&str; 2] = ["\u{E000}", "\u{E001}"];

/// A translated sentence, formatted with [`MARKERS`] in place of some of its
/// values, with those values in bold: `strong[i]` replaces `MARKERS[i]`,
/// and maud escapes the text around them and the values alike.
fn emphasised(sentence: &str, strong: &[&str]) -> Markup {
    let mut parts: Vec<(&str, Option<&str>)> = Vec::new();
    let mut rest = sentence;
    while let Some((at, i)) = MARKERS.iter().enumerate().filter_map(|(i, m)| rest.find(m).map(|at| (at, i))).min() {
        parts.push((&rest[..at], strong.get(i).copied()));
        rest = &rest[at + MARKERS[i].len()..];
    }
    parts.push((rest, None));
    html! {
        @for (text, value) in parts {
            (text)
            @if let Some(v) = value { strong { (v) } }
        }
    }
}

fn unsubscribe_headers(url: &str) -> Vec<(String, String)> {
    vec![("List-Unsubscribe".into(), format!("<{url}>")), ("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into())]
}

/// A response notification to one recipient.
pub struct ResponseNotification<'a> {
    pub organisation: &'a str,
    pub reached: u64,
    pub count: u64,
    pub nps: NpsCounts,
    pub report_url: &'a str,
    pub unsubscribe_url: &'a str,
    pub to: &'a str,
    /// The project's default language.
    pub lang: Lang,
}

/// "N responses reached", with the current NPS and links.
pub fn response_notification(n: &ResponseNotification) -> OutgoingEmail {
    let l = n.lang;
    let nps = match (n.nps.score(), n.nps.interval()) {
        (Some(s), Some((lo, hi))) => t_args(
            l,
            keys::NOTIFICATION_NPS,
            &[
                ("score", format!("{s:+.0}").into()),
                ("low", format!("{lo:+.0}").into()),
                ("high", format!("{hi:+.0}").into()),
                ("answers", n.nps.total().into()),
            ],
        ),
        _ => t(l, keys::NOTIFICATION_NO_NPS),
    };
    let subject = t_args(l, keys::NOTIFICATION_SUBJECT, &[("org", n.organisation.into()), ("reached", n.reached.into())]);
    let headline = |org: &str| {
        t_args(l, keys::NOTIFICATION_HEADLINE, &[("org", org.into()), ("reached", n.reached.into()), ("count", n.count.into())])
    };
    let why = t(l, keys::NOTIFICATION_WHY);
    let stop = t(l, keys::NOTIFICATION_STOP);
    let report = t(l, keys::NOTIFICATION_SEE_REPORT);
    let current = t(l, keys::NOTIFICATION_CURRENT_NPS);
    let text = format!(
        "{}\n\n{current}: {nps}\n\n{report}: {}\n\n--\n{why}\n{stop}: {}\n",
        headline(n.organisation),
        n.report_url,
        n.unsubscribe_url
    );
    let html = html_doc(
        l,
        html! {
            p { (emphasised(&headline(MARKERS[0]), &[n.organisation])) }
            p { (current) ": " strong { (nps) } }
            p { a href=(n.report_url) { (report) } }
            (footer(&why, Some((&stop, n.unsubscribe_url))))
        },
    );
    OutgoingEmail { to: vec![n.to.to_string()], subject, text, html: Some(html), headers: unsubscribe_headers(n.unsubscribe_url) }
}

/// A scheduled report's link to one subscriber.
pub struct ReportReady<'a> {
    pub organisation: &'a str,
    pub from: &'a str,
    pub to_day: &'a str,
    pub responses: u64,
    /// NPS and its 95 % interval (low, high), when there were NPS answers.
    pub nps: Option<(f64, f64, f64)>,
    pub report_url: &'a str,
    pub unsubscribe_url: &'a str,
    pub to: &'a str,
    pub lang: Lang,
}

/// "Your report for … is ready", with the headline and the link.
pub fn report_ready(r: &ReportReady) -> OutgoingEmail {
    let l = r.lang;
    let subject = t_args(l, keys::REPORT_SUBJECT, &[("org", r.organisation.into()), ("from", r.from.into()), ("to", r.to_day.into())]);
    let summary = match r.nps {
        Some((s, lo, hi)) => t_args(
            l,
            keys::REPORT_SUMMARY,
            &[
                ("responses", r.responses.into()),
                ("score", format!("{s:+.0}").into()),
                ("low", format!("{lo:+.0}").into()),
                ("high", format!("{hi:+.0}").into()),
            ],
        ),
        None => t_args(l, keys::REPORT_SUMMARY_NO_NPS, &[("responses", r.responses.into())]),
    };
    let open = t(l, keys::REPORT_OPEN);
    let why = t(l, keys::REPORT_WHY);
    let stop = t(l, keys::REPORT_STOP);
    let text = format!("{subject}\n\n{summary}\n\n{open}: {}\n\n--\n{why}\n{stop}: {}\n", r.report_url, r.unsubscribe_url);
    let html = html_doc(
        l,
        html! {
            p { strong { (subject) } }
            p { (summary) }
            p { a href=(r.report_url) { (open) } }
            (footer(&why, Some((&stop, r.unsubscribe_url))))
        },
    );
    OutgoingEmail { to: vec![r.to.to_string()], subject, text, html: Some(html), headers: unsubscribe_headers(r.unsubscribe_url) }
}

/// An account's section of the account report, to one of its team members,
/// in the project's default language `lang`.
#[allow(clippy::too_many_arguments)]
pub fn account_section(
    lang: Lang,
    to: &str,
    organisation: &str,
    account: &str,
    from: &str,
    to_day: &str,
    url: &str,
    churn_risk: bool,
) -> OutgoingEmail {
    let l = lang;
    let key = if churn_risk { keys::ACCOUNT_MAIL_SUBJECT_CHURN } else { keys::ACCOUNT_MAIL_SUBJECT };
    let subject =
        t_args(l, key, &[("org", organisation.into()), ("account", account.into()), ("from", from.into()), ("to", to_day.into())]);
    let open = t(l, keys::ACCOUNT_MAIL_OPEN);
    let valid = t_args(l, keys::ACCOUNT_MAIL_VALID, &[("days", ACCOUNT_SECTION_LINK_DAYS.into())]);
    let why = t(l, keys::ACCOUNT_MAIL_WHY);
    let text = format!("{subject}\n\n{open}: {url}\n{valid}\n\n--\n{why}\n");
    let html = html_doc(
        l,
        html! {
            p { strong { (subject) } }
            p { a href=(url) { (open) } " " (valid) }
            (footer(&why, None))
        },
    );
    OutgoingEmail { to: vec![to.to_string()], subject, text, html: Some(html), headers: Vec::new() }
}

/// A metric alert, for one recipient.
pub struct MetricAlert<'a> {
    pub organisation: &'a str,
    pub rule: &'a crate::domain::alerts::AlertRule,
    /// The segment's name and value; none: the whole project.
    pub scope: Option<(&'a str, &'a str)>,
    pub verdict: &'a crate::domain::report::Verdict,
    /// The window and (for drops) the baseline, as stored days.
    pub window: (&'a str, &'a str),
    pub baseline: (&'a str, &'a str),
    pub report_url: &'a str,
    pub unsubscribe_url: &'a str,
    pub to: &'a str,
    pub lang: Lang,
}

/// A metric's value as its pages show it.
fn metric_value(m: crate::domain::alerts::Metric, v: f64) -> String {
    use crate::domain::alerts::Metric;
    match m {
        Metric::Nps => format!("{v:+.0}"),
        Metric::Csat => format!("{v:.1} %"),
        Metric::Ces => format!("{v:.2}"),
        Metric::Responses if v.fract() == 0.0 => format!("{v:.0}"),
        Metric::Responses => format!("{v:.1}"),
    }
}

/// The email of a metric alert: what was measured, against what, how sure,
/// and a link to the figures of that segment.
pub fn metric_alert(a: &MetricAlert) -> OutgoingEmail {
    use crate::domain::alerts::Condition;
    let l = a.lang;
    let metric = a.rule.metric.name();
    let scope = match a.scope {
        Some((segment, value)) => t_args(l, keys::ALERT_SCOPE_SEGMENT, &[("segment", segment.into()), ("value", value.into())]),
        None => t(l, keys::ALERT_SCOPE_ALL),
    };
    let show = |v: f64| metric_value(a.rule.metric, v);
    let current = a.verdict.current;
    let finding = match (a.rule.condition(), current) {
        (Condition::Below(th) | Condition::Above(th), Some(c)) => t_args(
            l,
            if matches!(a.rule.condition(), Condition::Below(_)) { keys::ALERT_BELOW } else { keys::ALERT_ABOVE },
            &[
                ("metric", metric.into()),
                ("scope", scope.as_str().into()),
                ("value", show(c.value).into()),
                ("low", show(c.low).into()),
                ("high", show(c.high).into()),
                ("n", c.answers.into()),
                ("threshold", show(th).into()),
            ],
        ),
        (Condition::Drop(_), Some(c)) => t_args(
            l,
            keys::ALERT_DROP,
            &[
                ("metric", metric.into()),
                ("scope", scope.as_str().into()),
                ("value", show(c.value).into()),
                ("n", c.answers.into()),
                ("baseline", a.verdict.baseline.map(|b| show(b.value)).unwrap_or_else(|| "—".into()).into()),
                ("base_n", a.verdict.baseline.map_or(0, |b| b.answers).into()),
                ("p", a.verdict.p.map(|p| format!("{p:.3}")).unwrap_or_else(|| "—".into()).into()),
            ],
        ),
        (_, None) => String::new(),
    };
    let day = |d: &str| super::dates::long_text(l, d);
    let period = if a.window.0 == a.window.1 {
        t_args(l, keys::ALERT_DAY, &[("day", day(a.window.0).into())])
    } else {
        t_args(l, keys::ALERT_PERIOD, &[("from", day(a.window.0).into()), ("to", day(a.window.1).into())])
    };
    let baseline = matches!(a.rule.condition(), Condition::Drop(_))
        .then(|| t_args(l, keys::ALERT_BASELINE, &[("from", day(a.baseline.0).into()), ("to", day(a.baseline.1).into())]));
    let rule = t_args(l, keys::ALERT_RULE, &[("rule", a.rule.name.as_str().into())]);
    let quiet = t(l, keys::ALERT_QUIET);
    let see = t(l, keys::ALERT_SEE_REPORT);
    let (why, stop) = (t(l, keys::NOTIFICATION_WHY), t(l, keys::NOTIFICATION_STOP));
    let subject =
        t_args(l, keys::ALERT_SUBJECT, &[("org", a.organisation.into()), ("metric", metric.into()), ("scope", scope.as_str().into())]);
    let text = format!(
        "{finding}\n\n{period}\n{}{rule}\n\n{see}: {}\n\n{quiet}\n\n--\n{why}\n{stop}: {}\n",
        baseline.as_ref().map(|b| format!("{b}\n")).unwrap_or_default(),
        a.report_url,
        a.unsubscribe_url
    );
    let html = html_doc(
        l,
        html! {
            p { strong { (finding) } }
            p { (period) @if let Some(b) = &baseline { br; (b) } br; (rule) }
            p { a href=(a.report_url) { (see) } }
            p { (quiet) }
            (footer(&why, Some((&stop, a.unsubscribe_url))))
        },
    );
    OutgoingEmail { to: vec![a.to.to_string()], subject, text, html: Some(html), headers: unsubscribe_headers(a.unsubscribe_url) }
}

/// A follow-up request to the project's follow-up recipients, in `lang`.
pub fn follow_up_request(def: &Definition, r: &Response, recipients: &[String], lang: Lang) -> OutgoingEmail {
    let l = lang;
    let anonymous = t(l, keys::FOLLOW_UP_ANONYMOUS);
    let name = match (&r.first_name, &r.last_name) {
        (Some(f), Some(last)) => format!("{f} {last}"),
        _ => t(l, keys::FOLLOW_UP_ANONYMOUS_PERSON),
    };
    let preferred = match r.answers.get(ids::FOLLOW_UP_CONTACT) {
        Some(Answer::Text(text)) => text.clone(),
        _ => t(l, keys::FOLLOW_UP_NOT_GIVEN),
    };
    let list_email = r.contact_email.clone().unwrap_or_else(|| t(l, keys::FOLLOW_UP_NOT_ON_LIST));
    let mut rows: Vec<(String, String)> = vec![
        (t(l, keys::FOLLOW_UP_COMPLETED), r.submitted_at.clone()),
        (t(l, keys::FOLLOW_UP_FIRST_NAME), r.first_name.clone().unwrap_or_else(|| anonymous.clone())),
        (t(l, keys::FOLLOW_UP_LAST_NAME), r.last_name.clone().unwrap_or_else(|| anonymous.clone())),
        (t(l, keys::FOLLOW_UP_PREFERRED_CONTACT), preferred),
        (t(l, keys::FOLLOW_UP_LIST_EMAIL), list_email),
    ];
    for q in &def.questions {
        let Some(answer) = r.answers.get(&q.id) else { continue };
        if q.id == ids::FOLLOW_UP || q.id == ids::FOLLOW_UP_CONTACT {
            continue;
        }
        let value = match (answer, &q.answering) {
            (Answer::Number(n), Answering::Scale { min, max, .. }) => t_args(
                l,
                keys::FOLLOW_UP_SCALE,
                &[("value", n.to_string().into()), ("min", min.to_string().into()), ("max", max.to_string().into())],
            ),
            (Answer::Text(text), Answering::Single { .. }) => def.choice_label(&q.id, text, l).to_string(),
            (Answer::Many(v), _) => v.iter().map(|x| def.choice_label(&q.id, x, l).to_string()).collect::<Vec<_>>().join(", "),
            (Answer::Text(text), _) => text.clone(),
            (Answer::Number(n), _) => n.to_string(),
        };
        rows.push((pick(&q.text, l).to_string(), value));
    }
    for (field, value) in &r.embedded {
        rows.push((field.clone(), value.clone()));
    }
    let advice = t(l, keys::FOLLOW_UP_ADVICE);
    let org = &def.organisation_name;
    let subject = t_args(l, keys::FOLLOW_UP_SUBJECT, &[("name", name.as_str().into()), ("org", org.as_str().into())]);
    let intro = |name: &str, org: &str| t_args(l, keys::FOLLOW_UP_INTRO, &[("name", name.into()), ("org", org.into())]);
    let text =
        format!("{}\n\n{}\n\n{advice}\n", intro(&name, org), rows.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n"));
    let html = html_doc(
        l,
        html! {
            p { (emphasised(&intro(MARKERS[0], MARKERS[1]), &[&name, org])) }
            table {
                @for (k, v) in &rows {
                    tr {
                        th style="text-align:left;padding:.25em .75em .25em 0;vertical-align:top" { (k) }
                        td { (v) }
                    }
                }
            }
            p { strong { (advice) } }
        },
    );
    OutgoingEmail { to: recipients.to_vec(), subject, text, html: Some(html), headers: vec![] }
}

/// The operator's message text as HTML paragraphs: blank lines part
/// paragraphs, line breaks stay, and the survey link becomes a link.
fn paragraphs(body: &str, link: &str) -> Markup {
    html! {
        @for paragraph in body.split("\n\n") {
            p {
                @for (i, line) in paragraph.split('\n').enumerate() {
                    @if i > 0 { br; }
                    @if link.is_empty() {
                        (line)
                    } @else {
                        @for (j, piece) in line.split(link).enumerate() {
                            @if j > 0 { a href=(link) { (link) } }
                            (piece)
                        }
                    }
                }
            }
        }
    }
}

/// The survey's 0–10 question as an invitation shows it, in the contact's
/// language: the question and its end labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailRating {
    pub question: String,
    pub low: String,
    pub high: String,
}

impl EmailRating {
    /// The NPS question of a published survey in `lang`, if it asks one.
    pub fn of(def: &crate::domain::survey::Definition, lang: Lang) -> Option<Self> {
        let q = def.question(crate::domain::survey::ids::NPS)?;
        let crate::domain::survey::Answering::Scale { min_label, max_label, .. } = &q.answering else { return None };
        Some(EmailRating {
            question: crate::domain::i18n::pick(&q.text, lang).to_string(),
            low: crate::domain::i18n::pick(min_label, lang).to_string(),
            high: crate::domain::i18n::pick(max_label, lang).to_string(),
        })
    }
}

/// The link that opens the survey with `score` chosen.
fn scored(survey_link: &str, score: i64) -> String {
    let sep = if survey_link.contains('?') { '&' } else { '?' };
    format!("{survey_link}{sep}score={score}")
}

/// A survey invitation (or reminder) to one contact: the message filled in
/// with the contact's fields and links, as text and HTML (every value
/// escaped; the survey link a button), with an unsubscribe footer in the
/// contact's language and the one-click `List-Unsubscribe` headers (RFC 8058).
/// With `rating`, the HTML part also asks the 0–10 question as eleven
/// links, each opening the survey with that score chosen (the respondent
/// confirms it there; opening a link stores nothing).
pub fn invitation(
    to: &str,
    lang: Lang,
    message: &crate::domain::distribution::Message,
    fill: &crate::domain::distribution::Fill,
    rating: Option<&EmailRating>,
) -> OutgoingEmail {
    let subject = fill.render(&message.subject, |v| v.replace(['\r', '\n'], " "));
    let body = fill.render(&message.body, str::to_string);
    let from = t_args(lang, keys::INVITATION_FROM, &[("org", fill.organisation.into())]);
    let unsubscribe = t(lang, keys::INVITATION_UNSUBSCRIBE);
    let text = format!("{body}\n\n--\n{from} {unsubscribe}: {}\n", fill.unsubscribe_link);
    let button = t(lang, keys::INVITATION_START);
    let html = html_doc(
        lang,
        html! {
            (paragraphs(&body, fill.survey_link))
            @if let Some(r) = rating {
                p { strong { (r.question) } }
                table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:separate;border-spacing:2px" {
                    tr {
                        @for n in 0..=10 {
                            td {
                                a href=(scored(fill.survey_link, n)) style="display:block;min-width:1.5em;padding:.45em 0;text-align:center;border:1px solid #1a56db;border-radius:4px;color:#1a56db;text-decoration:none;font-weight:600" { (n) }
                            }
                        }
                    }
                }
                p style="font-size:.85em;color:#555" { "0 = " (r.low) " · 10 = " (r.high) }
            }
            p {
                a href=(fill.survey_link) style="display:inline-block;padding:.6em 1.2em;background:#1a56db;color:#fff;text-decoration:none;border-radius:4px" { (button) }
            }
            (footer(&from, Some((&unsubscribe, fill.unsubscribe_link))))
        },
    );
    OutgoingEmail { to: vec![to.to_string()], subject, text, html: Some(html), headers: unsubscribe_headers(fill.unsubscribe_link) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::project::{Kind, Settings};
    use crate::domain::response::Channel;
    use crate::domain::survey::generate;

    fn notification(lang: Lang) -> OutgoingEmail {
        response_notification(&ResponseNotification {
            organisation: "Kahvila <Oy>",
            reached: 50,
            count: 52,
            nps: NpsCounts { promoters: 30, passives: 12, detractors: 10 },
            report_url: "https://x.example/r",
            unsubscribe_url: "https://x.example/u/t",
            to: "team@example.com",
            lang,
        })
    }

    #[test]
    fn notifications_speak_the_projects_language_and_escape_names() {
        let en = notification(Lang::En);
        assert_eq!(en.subject, "Kahvila <Oy>: 50 responses reached");
        assert!(en.html.as_ref().unwrap().contains("<strong>Kahvila &lt;Oy&gt;</strong>"));
        // 30/12/10: adjusted Wald (n' = 55) 15.5 to 57.2
        assert!(en.text.contains("Current NPS: +38 (95 % interval +16 to +57, from 52 answers)"), "{}", en.text);
        assert!(en.headers.contains(&("List-Unsubscribe".to_string(), "<https://x.example/u/t>".to_string())));
        let de = notification(Lang::De);
        assert_eq!(de.subject, "Kahvila <Oy>: 50 Antworten erreicht");
        assert!(de.text.contains("Aktueller NPS: +38") && de.text.contains("Diese Benachrichtigungen abbestellen"));
        assert!(de.html.unwrap().starts_with("<!DOCTYPE html><html lang=\"de\">"));
    }

    #[test]
    fn finnish_notifications_and_plurals_come_from_the_translation_files() {
        let fi = notification(Lang::Fi);
        assert_eq!(fi.subject, "Kahvila <Oy>: 50 vastausta saavutettu");
        let html = fi.html.unwrap();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"fi\">"), "{html}");
        assert!(html.contains("<strong>Kahvila &lt;Oy&gt;</strong>") && html.contains("NPS nyt: <strong>+38"), "{html}");
        assert!(fi.text.contains("Lopeta nämä ilmoitukset: https://x.example/u/t"), "{}", fi.text);
        let one = |lang| {
            response_notification(&ResponseNotification {
                organisation: "Kahvila Oy",
                reached: 1,
                count: 1,
                nps: NpsCounts { promoters: 1, passives: 0, detractors: 0 },
                report_url: "https://x.example/r",
                unsubscribe_url: "https://x.example/u/t",
                to: "team@example.com",
                lang,
            })
        };
        assert_eq!(one(Lang::En).subject, "Kahvila Oy: 1 response reached");
        assert_eq!(one(Lang::De).subject, "Kahvila Oy: 1 Antwort erreicht");
        assert_eq!(one(Lang::Fi).subject, "Kahvila Oy: 1 vastaus saavutettu");
    }

    #[test]
    fn report_and_account_emails_speak_the_projects_language() {
        let ready = |lang, nps| {
            report_ready(&ReportReady {
                organisation: "Kahvila Oy",
                from: "2026-11-01",
                to_day: "2026-11-07",
                responses: 1,
                nps,
                report_url: "https://x.example/r",
                unsubscribe_url: "https://x.example/u/t",
                to: "boss@example.com",
                lang,
            })
        };
        let en = ready(Lang::En, Some((25.0, 12.4, 37.6)));
        assert_eq!(en.subject, "Kahvila Oy: pulse report 2026-11-01 – 2026-11-07");
        assert!(en.text.contains("1 response; NPS +25 (95 % interval +12 to +38)."), "{}", en.text);
        let de = ready(Lang::De, None);
        assert_eq!(de.subject, "Kahvila Oy: Pulse-Bericht 2026-11-01 – 2026-11-07");
        assert!(de.text.contains("1 Antwort; keine NPS-Antworten in diesem Zeitraum."), "{}", de.text);
        assert!(ready(Lang::Fi, None).text.contains("Avaa raportti: https://x.example/r"));

        let de = account_section(
            Lang::De,
            "ae@corp.example",
            "Acme <Gruppe>",
            "Acme GmbH",
            "2026-10-01",
            "2026-10-31",
            "https://s3.example/a?x=1&y=2",
            true,
        );
        assert_eq!(de.subject, "Acme <Gruppe>: Kundenbericht für Acme GmbH, 2026-10-01 – 2026-10-31 (Abwanderungsrisiko)");
        assert!(de.text.contains("(der Link ist 7 Tage gültig)"), "{}", de.text);
        let html = de.html.unwrap();
        assert!(html.contains("Acme &lt;Gruppe&gt;") && html.contains("href=\"https://s3.example/a?x=1&amp;y=2\""), "{html}");
        let en =
            account_section(Lang::En, "ae@corp.example", "Acme", "Acme GmbH", "2026-10-01", "2026-10-31", "https://s3.example/a", false);
        assert_eq!(en.subject, "Acme: account report for Acme GmbH, 2026-10-01 – 2026-10-31");
        assert!(en.text.contains("Open your account's section: https://s3.example/a\n(the link works for 7 days)"), "{}", en.text);
    }

    #[test]
    fn emphasised_values_are_bold_and_escaped_wherever_the_translation_puts_them() {
        let m = emphasised(&format!("{} asked {} <ok>", MARKERS[1], MARKERS[0]), &["<A>", "B&B"]).into_string();
        assert_eq!(m, "<strong>B&amp;B</strong> asked <strong>&lt;A&gt;</strong> &lt;ok&gt;");
    }

    #[test]
    fn follow_ups_carry_every_field_in_the_projects_language() {
        let s: Settings = serde_json::from_value(serde_json::json!({
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["de", "en"],
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } }))
        .unwrap();
        let def = generate("p", Kind::QuickCheckIn, &s.normalise().unwrap(), 1);
        let r = Response {
            project_id: "p".into(),
            response_id: "r".into(),
            version: 1,
            language: Lang::En,
            channel: Channel::Anonymous,
            submitted_at: "2026-11-22T10:00:00.000Z".into(),
            answers: [
                ("nps".to_string(), Answer::Number(3)),
                ("follow_up".to_string(), Answer::Text("yes".into())),
                ("follow_up_contact".to_string(), Answer::Text("+49 30 1234".into())),
            ]
            .into(),
            embedded: Default::default(),
            contact_email: None,
            first_name: None,
            last_name: None,
            erased_at: None,
            via: None,
        };
        let m = follow_up_request(&def, &r, &["cx@example.com".to_string()], Lang::De);
        assert_eq!(m.subject, "Rückmeldung erbeten: Eine anonyme Person (Kahvila Oy)");
        for expected in ["Abgeschlossen: 2026-11-22T10:00:00.000Z", "+49 30 1234", "3 (Skala 0–10)", "48 Stunden", "(anonyme Antwort"] {
            assert!(m.text.contains(expected), "{expected} missing: {}", m.text);
        }
        let m = follow_up_request(&def, &r, &["cx@example.com".to_string()], Lang::Fi);
        assert_eq!(m.subject, "Yhteydenottoa pyydetty: Nimetön vastaaja (Kahvila Oy)");
        for expected in ["Vastattu: 2026-11-22T10:00:00.000Z", "+49 30 1234", "3 (asteikko 0–10)", "48 tunnin", "(nimetön vastaus"] {
            assert!(m.text.contains(expected), "{expected} missing: {}", m.text);
        }
        let html = m.html.unwrap();
        assert!(html.contains("<strong>Nimetön vastaaja</strong> pyysi") && html.contains("<strong>Kahvila Oy</strong>"), "{html}");
    }

    /// Anna's fill of a message, with her `fields`.
    fn anna(fields: &std::collections::BTreeMap<String, String>) -> crate::domain::distribution::Fill<'_> {
        crate::domain::distribution::Fill {
            first_name: "Anna",
            last_name: "Virtanen",
            email: "anna@example.fi",
            organisation: "Kahvila Oy",
            survey_link: "https://x.example/s/tok",
            unsubscribe_link: "https://x.example/unsubscribe/tok",
            fields,
        }
    }

    #[test]
    fn an_invitation_is_filled_in_escaped_and_carries_one_click_unsubscribe() {
        let fields = std::collections::BTreeMap::from([("Region".to_string(), "<North>".to_string())]);
        let fill = anna(&fields);
        let m = crate::domain::distribution::Message {
            subject: "Hi {{FirstName}}".into(),
            body: "Dear {{FirstName}} ({{Region}}),\n\nplease: {{SurveyLink}}".into(),
        };
        let e = invitation("anna@example.fi", Lang::En, &m, &fill, None);
        assert_eq!(e.subject, "Hi Anna");
        assert!(e.text.starts_with("Dear Anna (<North>),\n\nplease: https://x.example/s/tok"), "{}", e.text);
        assert!(e.text.contains("Unsubscribe: https://x.example/unsubscribe/tok"));
        let html = e.html.unwrap();
        assert!(html.contains("(&lt;North&gt;)") && !html.contains("<North>"), "{html}");
        assert!(html.contains("<a href=\"https://x.example/s/tok\">https://x.example/s/tok</a>"), "{html}");
        assert_eq!(e.headers[0], ("List-Unsubscribe".to_string(), "<https://x.example/unsubscribe/tok>".to_string()));
        assert_eq!(e.headers[1].1, "List-Unsubscribe=One-Click");

        let m = crate::domain::distribution::Message {
            subject: "Hallo".into(),
            body: "Liebe <b>{{FirstName}}</b>\nbitte: {{SurveyLink}}".into(),
        };
        let de = invitation("anna@example.fi", Lang::De, &m, &fill, None);
        assert!(
            de.text.contains("Sie erhalten diese Umfrage-Einladung von Kahvila Oy. Abmelden: https://x.example/unsubscribe/tok"),
            "{}",
            de.text
        );
        let html = de.html.unwrap();
        assert!(html.contains("<p>Liebe &lt;b&gt;Anna&lt;/b&gt;<br>bitte: <a href=\"https://x.example/s/tok\">"), "{html}");
        assert!(html.contains(">Zur Umfrage</a>") && html.contains(">Abmelden</a>"), "{html}");
        let fi = invitation("anna@example.fi", Lang::Fi, &m, &fill, None);
        assert!(fi.html.unwrap().contains(">Aloita kysely</a>"));
    }

    #[test]
    fn an_invitation_asks_the_surveys_own_0_to_10_question_as_eleven_links() {
        let s: Settings = serde_json::from_value(serde_json::json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C",
            "languages": ["fi", "en"], "wording": { "nps": { "en": "Would you recommend Kahvila?" } } }))
        .unwrap();
        let def = generate("p", Kind::QuickCheckIn, &s.normalise().unwrap(), 1);
        let rating = EmailRating::of(&def, Lang::En).expect("the survey asks the NPS question");
        assert_eq!(rating.question, "Would you recommend Kahvila?", "the project's own wording");
        let fields = std::collections::BTreeMap::new();
        let fill = anna(&fields);
        let m = crate::domain::distribution::Message { subject: "Hi".into(), body: "{{SurveyLink}}".into() };
        let e = invitation("anna@example.fi", Lang::En, &m, &fill, Some(&rating));
        let html = e.html.unwrap();
        for n in 0..=10 {
            assert!(html.contains(&format!("href=\"https://x.example/s/tok?score={n}\"")), "score {n}: {html}");
        }
        assert!(html.contains("<strong>Would you recommend Kahvila?</strong>") && html.contains("0 = Not at all likely"), "{html}");
        assert!(!e.text.contains("score="), "the text part keeps the plain link: {}", e.text);
    }
}
