//! The local outbox: every email sent through the emulator's SES, read from
//! moto's `/moto-api/data.json`, newest first, with the links it carries.

use maud::html;
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
    // moto's dump walks every backend while other requests run (SES sends
    // among them) and can fail midway; a second look sees a settled state
    let mut attempt = 0;
    let data: Value = loop {
        attempt += 1;
        let read = async {
            reqwest::get(format!("{emulator_url}/moto-api/data.json"))
                .await
                .map_err(|e| format!("the emulator did not answer: {e}"))?
                .error_for_status()
                .map_err(|e| format!("the emulator's data dump failed: {e}"))?
                .json::<Value>()
                .await
                .map_err(|e| format!("the emulator's data could not be read: {e}"))
        };
        match read.await {
            Ok(v) => break v,
            Err(e) if attempt >= 3 => return Err(e),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100 * attempt)).await,
        }
    };
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

/// The outbox page (maud escapes every value; an HTML body is shown in a
/// sandboxed frame, as text of its `srcdoc` attribute).
pub fn page(mails: &[SentMail]) -> String {
    let body = html! {
        h1 { "Outbox" }
        p {
            (mails.len()) " email(s) sent through the local SES. "
            a href="/_local/outbox" { "Refresh" } " · " a href="/_local" { "Local stack" }
        }
        @for m in mails {
            article style="border-top:1px solid #ddd;padding:1rem 0" {
                h2 style="font-size:1.1rem" { (m.subject) }
                p { strong { "To:" } " " (m.to.join(", ")) br; strong { "From:" } " " (m.from) }
                h3 style="font-size:1rem" { "Links" }
                ul {
                    @for link in &m.links {
                        li { a href=(link) { (link) } }
                    }
                }
                @if m.body.contains("</") {
                    iframe sandbox title="Email body" srcdoc=(m.body) style="width:100%;min-height:16rem;border:1px solid #ddd" {}
                } @else {
                    pre style="white-space:pre-wrap" { (m.body) }
                }
            }
        }
        @if mails.is_empty() {
            p { "No email has been sent yet." }
        }
    };
    pulse_shared::render::document("en", "Pulse outbox", body)
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
        let m = SentMail {
            id: "1".into(),
            from: "a@example.com".into(),
            to: vec!["<b>@example.com".into()],
            subject: "<script>".into(),
            body: "x".into(),
            links: vec![],
        };
        let p = page(&[m]);
        assert!(p.contains("&lt;script&gt;") && !p.contains("<script>"));
        assert!(p.contains("&lt;b&gt;@example.com") && !p.contains("<b>@"), "{p}");
    }

    #[test]
    fn an_html_body_stays_inside_its_sandboxed_frame_and_links_are_clickable() {
        let m = SentMail {
            id: "1".into(),
            from: "a@example.com".into(),
            to: vec!["b@example.com".into()],
            subject: "Hi".into(),
            body: "<p class=\"x\">Hello</p><a href=\"http://h/s/a?x=1&amp;y=2\">go</a>".into(),
            links: vec!["http://h/s/a?x=1&y=2".into()],
        };
        let p = page(&[m]);
        assert!(p.contains("<iframe sandbox title=\"Email body\" srcdoc=\"&lt;p class=&quot;x&quot;&gt;Hello&lt;/p&gt;"), "{p}");
        assert!(!p.contains("<p class"), "{p}");
        assert!(p.contains("<li><a href=\"http://h/s/a?x=1&amp;y=2\">http://h/s/a?x=1&amp;y=2</a></li>"), "{p}");
        assert!(p.contains("1 email(s) sent") && p.contains("<a href=\"/_local\">Local stack</a>"), "{p}");
        assert!(page(&[]).contains("No email has been sent yet."));
    }
}
