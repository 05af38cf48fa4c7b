//! Server-rendered HTML: respondent pages and emails.

pub mod accounts;
pub mod dashboard;
pub mod keys;
pub mod mail;
pub mod survey;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A complete, self-contained page: mobile viewport, readable type, no
/// JavaScript. `body` is trusted HTML built by this module's callers.
pub fn page(lang: &str, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;line-height:1.5;color:#1a1a1a;background:#f6f7f9}}
main{{max-width:40rem;margin:0 auto;background:#fff;padding:1.5rem;border-radius:.5rem}}
h1{{font-size:1.4rem;margin-top:0}}
a{{color:#0b57d0}}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>"#,
        lang = escape(lang),
        title = escape(title),
    )
}

/// The page for a link that is unknown, expired or tampered with. It says
/// nothing about whether such a link ever existed. The link carries no
/// language, so the page is in English with every other language below.
pub fn link_not_found_page() -> String {
    use crate::domain::i18n::{keys, t, Lang};
    let mut body = format!("<h1>{}</h1><p>{}</p>", t(Lang::En, keys::NOT_FOUND_HEADING), t(Lang::En, keys::NOT_FOUND_BODY));
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        body.push_str(&format!(
            "<p lang=\"{}\">{}. {}</p>",
            lang.code(),
            escape(&t(lang, keys::NOT_FOUND_HEADING)),
            escape(&t(lang, keys::NOT_FOUND_BODY))
        ));
    }
    page("en", &t(Lang::En, keys::NOT_FOUND_TITLE), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<script>alert("x")</script> & 'y'"#), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    }

    #[test]
    fn pages_escape_their_title() {
        let p = page("en", "<b>", "<p>ok</p>");
        assert!(p.contains("<title>&lt;b&gt;</title>"));
        assert!(p.contains("<p>ok</p>"));
    }
}
