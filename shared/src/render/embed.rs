//! The website widget's pages: the survey's own pages made compact for an
//! iframe (no header chrome, no page-high column), and the page an embed
//! address shows when its project lets no website embed the survey.

use maud::html;

use crate::domain::i18n::{keys, t, t_args, Lang};
use crate::domain::survey::Definition;

/// What the survey's pages change inside a website's iframe: a white page
/// filling the frame, the logo and organisation name kept for screen
/// readers only (the website around it says whose survey it is), smaller
/// headings. Our own constant, added after the page's own style sheet.
const COMPACT_STYLE: &str = "<style>\
body{background:#fff}\
main{max-width:none;min-height:0;padding:.75rem .75rem 1rem}\
header{border:0;margin:0;padding:0}\
header img,header .org{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
h1{font-size:1.2rem;margin:.25rem 0 .75rem}\
h2{font-size:1.05rem;margin:1.25rem 0 .4rem}\
</style>";

/// A respondent page (the survey form, its thank-you page or any other
/// page of the link) made compact for an iframe ([`COMPACT_STYLE`]).
pub fn compact(page: &str) -> String {
    match page.find("</head>") {
        Some(at) => format!("{}{COMPACT_STYLE}{}", &page[..at], &page[at..]),
        None => page.to_string(),
    }
}

/// The page of an embed address whose project lists no website that may
/// show the survey: it says so, and links to the survey's own page
/// (`link`, the anonymous link's path).
pub fn embedding_off_page(def: &Definition, lang: Lang, link: &str) -> String {
    let title = t(lang, keys::EMBED_OFF_TITLE);
    let body = html! {
        h1 { (title) }
        p { (t_args(lang, keys::EMBED_OFF_BODY, &[("org", def.organisation_name.as_str().into())])) }
        p { a href=(link) { (t(lang, keys::EMBED_OFF_LINK)) } }
    };
    super::document(lang.code(), &title, body)
}

/// The iframe's title in the snippet a website pastes, in `lang`.
pub fn frame_title(org: &str, lang: Lang) -> String {
    t_args(lang, keys::EMBED_FRAME_TITLE, &[("org", org.into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compact_style_comes_after_the_pages_own() {
        let page = "<html><head><style>main{min-height:100vh}</style></head><body><main>x</main></body></html>";
        let c = compact(page);
        assert!(c.find("min-height:100vh").unwrap() < c.find("min-height:0").unwrap(), "{c}");
        assert!(c.contains("</style><style>") && c.ends_with("</head><body><main>x</main></body></html>"), "{c}");
        assert_eq!(compact("no head"), "no head");
    }

    #[test]
    fn the_off_page_says_so_in_the_language_and_links_the_survey() {
        let def: Definition = serde_json::from_value(serde_json::json!({
            "project_id": "p", "version": 1, "kind": "quick_check_in", "organisation_name": "Café <Aroma>",
            "languages": ["de"], "questions": [] }))
        .unwrap_or_else(|e| panic!("a definition: {e}"));
        let page = embedding_off_page(&def, Lang::De, "/s/abc");
        assert!(page.contains("<html lang=\"de\">"), "{page}");
        assert!(page.contains(&t(Lang::De, keys::EMBED_OFF_TITLE)));
        assert!(page.contains("Café &lt;Aroma&gt;") && page.contains("<a href=\"/s/abc\">"), "{page}");
        assert_eq!(frame_title("Café Aroma", Lang::En), "Café Aroma: customer survey");
    }
}
