//! Emails to colleagues: response notifications and follow-up requests
//! (text and HTML parts; every value from a respondent is escaped in HTML).

use super::escape;
use crate::domain::mail::OutgoingEmail;
use crate::domain::metrics::NpsCounts;
use crate::domain::response::Response;
use crate::domain::survey::{ids, Answer, Answering, Definition};
use crate::domain::i18n::{pick, Lang};

fn html_doc(body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"></head>\
         <body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a\">{body}</body></html>"
    )
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
}

/// "N responses reached", with the current NPS and links.
pub fn response_notification(n: &ResponseNotification) -> OutgoingEmail {
    let nps = match (n.nps.score(), n.nps.margin_of_error()) {
        (Some(s), Some(m)) => format!("{s:+.0} (±{m:.0} at 95% confidence, from {} answers)", n.nps.total()),
        _ => "no NPS answers yet".to_string(),
    };
    let subject = format!("{}: {} responses reached", n.organisation, n.reached);
    let text = format!(
        "Your pulse survey for {org} has reached {reached} responses ({count} in total now).\n\n\
         Current NPS: {nps}\n\nSee the report: {report}\n\n--\nYou receive this because you are a notification recipient of this project.\n\
         Stop these notifications: {unsub}\n",
        org = n.organisation,
        reached = n.reached,
        count = n.count,
        report = n.report_url,
        unsub = n.unsubscribe_url,
    );
    let html = html_doc(&format!(
        "<p>Your pulse survey for <strong>{org}</strong> has reached <strong>{reached}</strong> responses ({count} in total now).</p>\
         <p>Current NPS: <strong>{nps}</strong></p><p><a href=\"{report}\">See the report</a></p>\
         <hr><p style=\"font-size:.85em;color:#555\">You receive this because you are a notification recipient of this project. \
         <a href=\"{unsub}\">Stop these notifications</a></p>",
        org = escape(n.organisation),
        reached = n.reached,
        count = n.count,
        nps = escape(&nps),
        report = escape(n.report_url),
        unsub = escape(n.unsubscribe_url),
    ));
    OutgoingEmail {
        to: vec![n.to.to_string()],
        subject,
        text,
        html: Some(html),
        headers: vec![
            ("List-Unsubscribe".into(), format!("<{}>", n.unsubscribe_url)),
            ("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into()),
        ],
    }
}

/// A follow-up request to the project's follow-up recipients.
pub fn follow_up_request(def: &Definition, r: &Response, recipients: &[String]) -> OutgoingEmail {
    let name = match (&r.first_name, &r.last_name) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        _ => "An anonymous respondent".to_string(),
    };
    let preferred = match r.answers.get(ids::FOLLOW_UP_CONTACT) {
        Some(Answer::Text(t)) => t.clone(),
        _ => "(not given)".to_string(),
    };
    let list_email = r.contact_email.clone().unwrap_or_else(|| "(anonymous response: not on a contact list)".to_string());
    let mut rows: Vec<(String, String)> = vec![
        ("Completed".into(), r.submitted_at.clone()),
        ("First name".into(), r.first_name.clone().unwrap_or_else(|| "(anonymous)".into())),
        ("Last name".into(), r.last_name.clone().unwrap_or_else(|| "(anonymous)".into())),
        ("Preferred email or phone".into(), preferred),
        ("Email on the contact list".into(), list_email),
    ];
    for q in &def.questions {
        let Some(answer) = r.answers.get(&q.id) else { continue };
        if q.id == ids::FOLLOW_UP || q.id == ids::FOLLOW_UP_CONTACT {
            continue;
        }
        let value = match (answer, &q.answering) {
            (Answer::Number(n), Answering::Scale { min, max, .. }) => format!("{n} (scale {min}–{max})"),
            (Answer::Text(t), Answering::Single { .. }) => def.choice_label(&q.id, t, Lang::En).to_string(),
            (Answer::Many(v), _) => v.iter().map(|x| def.choice_label(&q.id, x, Lang::En).to_string()).collect::<Vec<_>>().join(", "),
            (Answer::Text(t), _) => t.clone(),
            (Answer::Number(n), _) => n.to_string(),
        };
        rows.push((pick(&q.text, Lang::En).to_string(), value));
    }
    for (field, value) in &r.embedded {
        rows.push((field.clone(), value.clone()));
    }
    let advice = "Please reach out within 48 hours: a quick, personal answer is what turns a concern into confidence.";
    let subject = format!("Follow-up requested: {name} ({})", def.organisation_name);
    let text = format!(
        "{name} asked to be contacted about their answers to the {org} pulse survey.\n\n{rows}\n\n{advice}\n",
        org = def.organisation_name,
        rows = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n"),
    );
    let table: String = rows
        .iter()
        .map(|(k, v)| format!("<tr><th style=\"text-align:left;padding:.25em .75em .25em 0;vertical-align:top\">{}</th><td>{}</td></tr>", escape(k), escape(v)))
        .collect();
    let html = html_doc(&format!(
        "<p><strong>{}</strong> asked to be contacted about their answers to the <strong>{}</strong> pulse survey.</p>\
         <table>{table}</table><p><strong>{advice}</strong></p>",
        escape(&name),
        escape(&def.organisation_name),
    ));
    OutgoingEmail { to: recipients.to_vec(), subject, text, html: Some(html), headers: vec![] }
}
