//! Server-rendered HTML: respondent pages and emails, through maud, which
//! escapes every value it is given; `PreEscaped` only wraps markup and
//! style sheets this crate built itself.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::i18n::{self, t, Lang};

pub mod accounts;
pub mod console;
pub mod dashboard;
pub mod datamap;
pub mod dates;
pub mod embed;
pub mod keys;
pub mod mail;
pub mod survey;

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;line-height:1.5;color:#1a1a1a;background:#f6f7f9}
main{max-width:40rem;margin:0 auto;background:#fff;padding:1.5rem;border-radius:.5rem}
h1{font-size:1.4rem;margin-top:0}
a{color:#0b57d0}
"#;

/// Pulse's icon (`GET /favicon.svg`, served by the public function): a
/// pulse line on a round badge.
pub const FAVICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#0b57d0"/><path d="M4 17h6l3-7 5 13 3-6h7" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>"##;

/// The icon's link, in every page's head.
pub fn icon_link() -> Markup {
    html! { link rel="icon" type="image/svg+xml" href="/favicon.svg"; }
}

/// A complete, self-contained page: mobile viewport, readable type, no
/// JavaScript.
pub fn document(lang: &str, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="description" content=(title);
                (icon_link())
                title { (title) }
                // our own constant
                style { (PreEscaped(STYLE)) }
            }
            body {
                main { (body) }
            }
        }
    }
    .into_string()
}

/// A page with a heading and one line of text, e.g. a confirmation; `status`
/// marks the line as a status message for screen readers.
pub fn message_page(lang: Lang, title: &str, text: &str, status: bool) -> String {
    document(
        lang.code(),
        title,
        html! {
            h1 { (title) }
            p role=[status.then_some("status")] { (text) }
        },
    )
}

/// The page for a link that is unknown, expired or tampered with. It says
/// nothing about whether such a link ever existed. The link carries no
/// language, so the page is in English with every other language below.
pub fn link_not_found_page() -> String {
    let body = html! {
        h1 { (t(Lang::En, i18n::keys::NOT_FOUND_HEADING)) }
        p { (t(Lang::En, i18n::keys::NOT_FOUND_BODY)) }
        @for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            p lang=(lang.code()) { (t(lang, i18n::keys::NOT_FOUND_HEADING)) ". " (t(lang, i18n::keys::NOT_FOUND_BODY)) }
        }
    };
    document("en", &t(Lang::En, i18n::keys::NOT_FOUND_TITLE), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_their_title() {
        let p = document("en", "<b>", html! { p { "ok" } });
        assert!(p.contains("<title>&lt;b&gt;</title>"));
        assert!(p.contains("<p>ok</p>"));
        let m = message_page(Lang::De, "A & B", "<i>x</i>", true);
        assert!(
            m.contains("<html lang=\"de\">")
                && m.contains("<h1>A &amp; B</h1>")
                && m.contains("<p role=\"status\">&lt;i&gt;x&lt;/i&gt;</p>")
        );
    }

    #[test]
    fn the_not_found_page_speaks_every_language() {
        let p = link_not_found_page();
        assert!(p.contains("<h1>This link does not lead to a survey</h1>"));
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            assert!(p.contains(&format!("<p lang=\"{}\">{}", lang.code(), t(lang, i18n::keys::NOT_FOUND_HEADING))));
        }
    }
}
