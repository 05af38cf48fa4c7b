//! The local outbox: every email sent through the emulator's SES, read from
//! moto's `/moto-api/data.json`, newest first, with the links it carries.

use pulse_shared::render::escape;
use serde::Serialize;
use serde_json::Value;

/// One sent email.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SentMail {
    pub id: String,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    pub links: Vec<String>,
}

/// Reads the emails SES has accepted, newest first.
pub async fn fetch(emulator_url: &str) -> Result<Vec<SentMail>, String> {
    let data: Value = reqwest::get(format!("{emulator_url}/moto-api/data.json"))
        .await
        .map_err(|e| format!("the emulator did not answer: {e}"))?
        .json()
        .await
        .map_err(|e| format!("the emulator's data could not be read: {e}"))?;
    let mut mails: Vec<SentMail> = data["ses"]["Message"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            let body = m["body"].as_str().unwrap_or_default().to_string();
            SentMail {
                id: m["id"].as_str().unwrap_or_default().to_string(),
                from: m["source"].as_str().unwrap_or_default().to_string(),
                to: m["destinations"]["ToAddresses"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.as_str().map(str::to_string))
                    .collect(),
                subject: m["subject"].as_str().unwrap_or_default().to_string(),
                links: links(&body),
                body,
            }
        })
        .collect();
    mails.reverse();
    Ok(mails)
}

/// The http(s) URLs in a text or HTML body, in order, without repeats.
pub fn links(body: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        let tail = &rest[start..];
        let end = tail.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')')).unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ';']).replace("&amp;", "&");
        if !found.contains(&url) {
            found.push(url);
        }
        rest = &tail[end..];
    }
    found
}

/// The outbox page.
pub fn page(mails: &[SentMail]) -> String {
    let mut items = String::new();
    for m in mails {
        let links: String = m.links.iter().map(|l| format!("<li><a href=\"{0}\">{0}</a></li>", escape(l))).collect();
        let looks_html = m.body.contains("</");
        let body = if looks_html {
            format!("<iframe sandbox title=\"Email body\" srcdoc=\"{}\" style=\"width:100%;min-height:16rem;border:1px solid #ddd\"></iframe>", escape(&m.body))
        } else {
            format!("<pre style=\"white-space:pre-wrap\">{}</pre>", escape(&m.body))
        };
        items.push_str(&format!(
            "<article style=\"border-top:1px solid #ddd;padding:1rem 0\"><h2 style=\"font-size:1.1rem\">{subject}</h2>\
             <p><strong>To:</strong> {to}<br><strong>From:</strong> {from}</p><h3 style=\"font-size:1rem\">Links</h3><ul>{links}</ul>{body}</article>",
            subject = escape(&m.subject),
            to = escape(&m.to.join(", ")),
            from = escape(&m.from),
        ));
    }
    if mails.is_empty() {
        items.push_str("<p>No email has been sent yet.</p>");
    }
    pulse_shared::render::page(
        "en",
        "Pulse outbox",
        &format!("<h1>Outbox</h1><p>{} email(s) sent through the local SES. <a href=\"/_local/outbox\">Refresh</a> · <a href=\"/_local\">Local stack</a></p>{items}", mails.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_in_text_and_html() {
        let body = "Take the survey: http://127.0.0.1:3000/s/abc.\n<a href=\"https://x.example/u?a=1&amp;b=2\">unsubscribe</a> http://127.0.0.1:3000/s/abc";
        assert_eq!(links(body), vec!["http://127.0.0.1:3000/s/abc".to_string(), "https://x.example/u?a=1&b=2".to_string()]);
    }

    #[test]
    fn the_page_escapes_what_mails_contain() {
        let m = SentMail { id: "1".into(), from: "a@example.com".into(), to: vec!["<b>@example.com".into()], subject: "<script>".into(), body: "x".into(), links: vec![] };
        let p = page(&[m]);
        assert!(p.contains("&lt;script&gt;") && !p.contains("<script>"));
    }
}
