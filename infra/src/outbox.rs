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

/// What a link in an email is for, as the outbox names it.
fn link_kind(url: &str) -> &'static str {
    if url.contains("/unsubscribe/") {
        "Unsubscribe"
    } else if url.contains("/s/") {
        "Survey"
    } else if url.contains("/reports/") || url.contains("/shared/") {
        "Report"
    } else {
        "Link"
    }
}

/// An HTML email as its frame's document: links open in a new tab (the
/// frame is sandboxed: no script, no navigation of the outbox).
fn framed_body(body: &str) -> String {
    format!("<base target=\"_blank\"><style>body{{margin:.5rem .25rem;overflow-wrap:anywhere}}img{{max-width:100%}}</style>{body}")
}

/// The outbox's own script: each email's frame grows to its document's
/// height, so a long email reads in the page's one scroll (without script
/// the frames are tall and scroll inside).
const FIT_FRAMES: &str = "for (const f of document.querySelectorAll('iframe.mail')) {\
 const fit = () => { try { f.style.height = (f.contentDocument.documentElement.scrollHeight + 16) + 'px'; } catch (e) {} };\
 f.addEventListener('load', fit); fit(); }";

/// The outbox on a phone: little padding, so that an email's frame is
/// nearly as wide as the screen.
const PHONE_STYLE: &str = "@media (max-width:30rem){body{padding:.5rem}main{padding:1rem .25rem}}";

/// The outbox page (maud escapes every value; an HTML body is shown in a
/// sandboxed frame, as text of its `srcdoc` attribute). moto keeps no send
/// time, so each email shows its place in the order of sending.
pub fn page(mails: &[SentMail]) -> String {
    let total = mails.len();
    let wrap = "overflow-wrap:anywhere;word-break:break-word";
    let body = html! {
        // our own constant: on a phone the emails get the screen's width
        style { (maud::PreEscaped(PHONE_STYLE)) }
        h1 { "Outbox" }
        p {
            (total) " email(s) sent through the local SES, newest first. "
            a href="/_local/outbox" { "Refresh" } " · " a href="/_local" { "Local stack" }
        }
        @for (i, m) in mails.iter().enumerate() {
            article style="border-top:1px solid #ddd;padding:1rem 0" aria-labelledby={ "mail-" (i) } {
                h2 id={ "mail-" (i) } style={ "font-size:1.1rem;" (wrap) } { (m.subject) }
                p style=(wrap) {
                    strong { "Sent:" } " " (format!("#{} of {total}", total - i)) " (in the order sent)" br;
                    strong { "To:" } " " (m.to.join(", ")) br;
                    strong { "From:" } " " (m.from)
                }
                @if !m.links.is_empty() {
                    h3 style="font-size:1rem" { "Links" }
                    ul style={ "padding-left:1.25rem;" (wrap) } {
                        @for link in &m.links {
                            li { (link_kind(link)) ": " a href=(link) target="_blank" rel="noopener" { (link) } }
                        }
                    }
                }
                h3 style="font-size:1rem" { "Message" }
                @if m.body.contains("</") {
                    iframe.mail sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox" title={ "Email body: " (m.subject) }
                        srcdoc=(framed_body(&m.body)) style="display:block;width:100%;height:40rem;border:1px solid #ddd" {}
                } @else {
                    pre style={ "white-space:pre-wrap;font:inherit;" (wrap) } { (linked(&m.body)) }
                }
            }
        }
        @if mails.is_empty() {
            p { "No email has been sent yet." }
        }
        // our own constant
        script { (maud::PreEscaped(FIT_FRAMES)) }
    };
    pulse_shared::render::document("en", "Pulse outbox", body)
}

/// A text body with its http(s) URLs as links (everything escaped).
fn linked(text: &str) -> maud::Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        let tail = &rest[start..];
        let end = tail.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')')).unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ';']);
        parts.push((false, &rest[..start]));
        parts.push((true, url));
        rest = &tail[url.len()..];
    }
    parts.push((false, rest));
    html! {
        @for (is_link, piece) in parts {
            @if is_link { a href=(piece) target="_blank" rel="noopener" { (piece) } } @else { (piece) }
        }
    }
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
        // the one script is the outbox's own
        assert!(p.contains("&lt;script&gt;") && p.matches("<script>").count() == 1, "{p}");
        assert!(p.contains(&format!("<script>{FIT_FRAMES}</script>")), "{p}");
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
        assert!(p.contains("sandbox=\"allow-same-origin allow-popups allow-popups-to-escape-sandbox\" title=\"Email body: Hi\""), "{p}");
        assert!(
            p.contains("srcdoc=\"&lt;base target=&quot;_blank&quot;&gt;") && p.contains("&lt;p class=&quot;x&quot;&gt;Hello&lt;/p&gt;"),
            "{p}"
        );
        assert!(!p.contains("<p class"), "{p}");
        assert!(
            p.contains(
                "<li>Survey: <a href=\"http://h/s/a?x=1&amp;y=2\" target=\"_blank\" rel=\"noopener\">http://h/s/a?x=1&amp;y=2</a></li>"
            ),
            "{p}"
        );
        assert!(p.contains("<strong>Sent:</strong> #1 of 1 (in the order sent)"), "{p}");
        assert!(p.contains("1 email(s) sent") && p.contains("<a href=\"/_local\">Local stack</a>"), "{p}");
        assert!(page(&[]).contains("No email has been sent yet."));
    }

    #[test]
    fn a_text_body_shows_its_unsubscribe_url_as_a_link_and_mails_are_numbered_in_sending_order() {
        let mail = |id: &str, body: &str| SentMail {
            id: id.into(),
            from: "a@example.com".into(),
            to: vec!["b@example.com".into()],
            subject: format!("Mail {id}"),
            body: body.into(),
            links: links(body),
        };
        let text = "Hello <you>\n--\nUnsubscribe: http://h/unsubscribe/tok.";
        let p = page(&[mail("2", text), mail("1", "First")]);
        assert!(p.contains("Hello &lt;you&gt;"), "escaped: {p}");
        assert!(
            p.contains(
                "Unsubscribe: <a href=\"http://h/unsubscribe/tok\" target=\"_blank\" rel=\"noopener\">http://h/unsubscribe/tok</a>."
            ),
            "{p}"
        );
        assert!(p.contains("<li>Unsubscribe: <a href=\"http://h/unsubscribe/tok\""), "{p}");
        let (newest, oldest) = (p.find("#2 of 2").unwrap(), p.find("#1 of 2").unwrap());
        assert!(newest < oldest, "newest first, numbered in the order sent");
    }
}
