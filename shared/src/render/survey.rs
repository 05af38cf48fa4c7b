//! The respondent pages: the survey form (no JavaScript; radio groups and
//! checkboxes in fieldsets with legends, labels on every control, errors
//! linked to their questions with `aria-describedby`), the thank-you page and
//! the already-answered page. Every text that came from a project or a
//! respondent is escaped.

use std::collections::BTreeMap;

use super::escape;
use crate::domain::i18n::{keys, pick, t, t_args, Lang};
use crate::domain::survey::{AnswerError, Answering, Definition, Question, Section};

/// What the survey page shows.
pub struct SurveyPage<'a> {
    pub definition: &'a Definition,
    pub lang: Lang,
    /// Where the form posts to (the link's path).
    pub action: &'a str,
    pub logo_url: Option<&'a str>,
    /// Answers to show again (after a failed submission).
    pub values: &'a [(String, String)],
    pub errors: &'a [AnswerError],
    /// The submission id that makes a repeated POST of this form harmless.
    pub submission_id: &'a str,
}

const STYLE: &str = r#"
:root{color-scheme:light}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;line-height:1.5;color:#1a1a1a;background:#f4f5f7;font-size:1rem}
main{max-width:42rem;margin:0 auto;background:#fff;padding:1rem 1rem 2rem;min-height:100vh}
header{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap;border-bottom:1px solid #e3e5e8;padding-bottom:.75rem;margin-bottom:1rem}
header img{max-height:3rem;max-width:10rem}
header .org{font-weight:600;font-size:1.1rem}
nav.lang{margin-left:auto;font-size:.9rem}
nav.lang a,nav.lang span{margin-left:.5rem}
h1{font-size:1.35rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:2rem 0 .5rem;color:#38414d}
fieldset,.q{border:0;margin:0 0 1.5rem;padding:0;min-width:0}
legend,.q>label{font-weight:600;margin-bottom:.5rem;padding:0;display:block}
.hint{font-weight:400;color:#555;font-size:.9rem}
.hint.sub{display:block}
.scale{display:flex;flex-wrap:wrap;gap:.35rem}
.scale label{display:flex;flex-direction:column;align-items:center;min-width:2.6rem;padding:.4rem .3rem;border:1px solid #9aa3ad;border-radius:.4rem;cursor:pointer}
.scale input{margin:0 0 .2rem}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#555;margin-top:.3rem;gap:1rem}
.choice{display:flex;gap:.5rem;align-items:flex-start;padding:.35rem 0}
.choice input{margin-top:.3rem;width:1.15rem;height:1.15rem;flex:none}
input[type=text],textarea,select{width:100%;font:inherit;padding:.5rem;border:1px solid #9aa3ad;border-radius:.4rem}
textarea{min-height:7rem}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.error{color:#a30d0d;font-weight:600;margin:.25rem 0}
.invalid{border-left:4px solid #a30d0d;padding-left:.75rem}
.summary{border:2px solid #a30d0d;border-radius:.4rem;padding:.75rem 1rem;margin-bottom:1.5rem}
.summary a{color:#a30d0d}
button{font:inherit;font-weight:600;background:#0b57d0;color:#fff;border:0;border-radius:.4rem;padding:.75rem 1.5rem;cursor:pointer;width:100%;max-width:20rem}
a{color:#0b57d0}
.resource{margin-top:2rem;padding-top:1rem;border-top:1px solid #e3e5e8}
"#;

fn shell(lang: Lang, title: &str, org: &str, logo_url: Option<&str>, switch: &str, body: &str) -> String {
    let logo = logo_url
        .map(|u| format!("<img src=\"{}\" alt=\"{}\">", escape(u), escape(&t_args(lang, keys::LOGO_ALT, &[("org", org.into())]))))
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"{l}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <header>{logo}<span class=\"org\">{o}</span>{switch}</header>\n{body}\n</main>\n</body>\n</html>\n",
        l = lang.code(),
        t = escape(title),
        o = escape(org),
    )
}

fn language_switch(def: &Definition, lang: Lang, action: &str) -> String {
    if def.languages.len() < 2 {
        return String::new();
    }
    let links: String = def
        .languages
        .iter()
        .map(|l| {
            if *l == lang {
                format!("<span aria-current=\"true\" lang=\"{}\">{}</span>", l.code(), l.native_name())
            } else {
                format!("<a href=\"{}?lang={}\" lang=\"{}\" hreflang=\"{}\">{}</a>", escape(action), l.code(), l.code(), l.code(), l.native_name())
            }
        })
        .collect();
    format!("<nav class=\"lang\" aria-label=\"{}\">{links}</nav>", t(lang, keys::LANGUAGE))
}

fn resource_link(def: &Definition, lang: Lang) -> String {
    def.resource_page_url
        .as_deref()
        .map(|u| format!("<p class=\"resource\"><a href=\"{}\" rel=\"noopener\">{}</a></p>", escape(u), t(lang, keys::RESOURCE_LINK)))
        .unwrap_or_default()
}

fn question_html(q: &Question, lang: Lang, given: &[&str], error: Option<&str>) -> String {
    let id = escape(&q.id);
    let text = escape(pick(&q.text, lang));
    let mark = if q.required { t(lang, keys::REQUIRED) } else { t(lang, keys::OPTIONAL) };
    let err_html = error.map(|e| format!("<p class=\"error\" id=\"err-{id}\">{}</p>", escape(e))).unwrap_or_default();
    let described = if error.is_some() { format!(" aria-describedby=\"err-{id}\" aria-invalid=\"true\"") } else { String::new() };
    let invalid = if error.is_some() { " invalid" } else { "" };
    let required_attr = if q.required && q.shown_if.is_none() { " required" } else { "" };
    let conditional = q
        .shown_if
        .as_ref()
        .map(|_| format!(" <span class=\"hint\">({})</span>", t(lang, keys::ONLY_IF_CONTACTED)))
        .unwrap_or_default();
    match &q.answering {
        Answering::Scale { min, max, min_label, max_label } => {
            let options: String = (*min..=*max)
                .map(|n| {
                    let checked = if given.contains(&n.to_string().as_str()) { " checked" } else { "" };
                    format!("<label><input type=\"radio\" name=\"{id}\" value=\"{n}\"{checked}{required_attr}>{n}</label>")
                })
                .collect();
            format!(
                "<fieldset id=\"q-{id}\" class=\"{invalid}\"{described}><legend>{text} <span class=\"hint\">({mark})</span></legend>{err_html}\
                 <div class=\"scale\">{options}</div><div class=\"ends\" aria-hidden=\"true\"><span>{min} = {}</span><span>{max} = {}</span></div>\
                 <p class=\"hint\" style=\"position:absolute;left:-9999px\">{min} = {}, {max} = {}</p></fieldset>",
                escape(pick(min_label, lang)),
                escape(pick(max_label, lang)),
                escape(pick(min_label, lang)),
                escape(pick(max_label, lang)),
            )
        }
        Answering::Single { choices } | Answering::Multi { choices } => {
            let multi = matches!(q.answering, Answering::Multi { .. });
            let kind = if multi { "checkbox" } else { "radio" };
            let hint = if multi { t(lang, keys::CHOOSE_ANY) } else { t(lang, keys::CHOOSE_ONE) };
            let options: String = choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let checked = if given.contains(&c.value.as_str()) { " checked" } else { "" };
                    let req = if multi { "" } else { required_attr };
                    format!(
                        "<div class=\"choice\"><input type=\"{kind}\" id=\"{id}-{i}\" name=\"{id}\" value=\"{}\"{checked}{req}><label for=\"{id}-{i}\">{}</label></div>",
                        escape(&c.value),
                        escape(pick(&c.label, lang))
                    )
                })
                .collect();
            format!(
                "<fieldset id=\"q-{id}\" class=\"{invalid}\"{described}><legend>{text} <span class=\"hint\">({mark})</span>{conditional}<span class=\"hint sub\">{hint}</span></legend>{err_html}{options}</fieldset>"
            )
        }
        Answering::Text { max_chars, multiline } => {
            let value = escape(&given.join("\n"));
            let control = if *multiline {
                format!("<textarea id=\"{id}\" name=\"{id}\" maxlength=\"{max_chars}\"{described}{required_attr}>{value}</textarea>")
            } else {
                format!("<input type=\"text\" id=\"{id}\" name=\"{id}\" maxlength=\"{max_chars}\" value=\"{value}\"{described}{required_attr}>")
            };
            format!(
                "<div class=\"q{invalid}\" id=\"q-{id}\"><label for=\"{id}\">{text} <span class=\"hint\">({mark})</span>{conditional}</label>{err_html}{control}</div>"
            )
        }
    }
}

/// The survey form.
pub fn survey_page(p: &SurveyPage) -> String {
    let def = p.definition;
    let lang = p.lang;
    let mut given: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in p.values {
        given.entry(k.as_str()).or_default().push(v.as_str());
    }
    let errors: BTreeMap<&str, &str> = p.errors.iter().map(|e| (e.question.as_str(), e.message.as_str())).collect();

    let mut body = String::new();
    let duration = match def.kind {
        crate::domain::project::Kind::QuickCheckIn => t(lang, keys::DURATION_QUICK),
        crate::domain::project::Kind::Assessment => t(lang, keys::DURATION_ASSESSMENT),
    };
    body.push_str(&format!("<h1>{}</h1><p>{duration}</p>", t(lang, keys::SURVEY_TITLE)));
    if !p.errors.is_empty() {
        let items: String = def
            .questions
            .iter()
            .filter_map(|q| errors.get(q.id.as_str()).map(|e| (q, e)))
            .map(|(q, e)| format!("<li><a href=\"#q-{}\">{}</a><br>{}</li>", escape(&q.id), escape(pick(&q.text, lang)), escape(e)))
            .collect();
        body.push_str(&format!(
            "<div class=\"summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><p><strong>{}</strong></p><ul>{items}</ul></div>",
            t(lang, keys::ERROR_SUMMARY)
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\" accept-charset=\"utf-8\" novalidate>\
         <input type=\"hidden\" name=\"sid\" value=\"{}\"><input type=\"hidden\" name=\"lang\" value=\"{}\">",
        escape(p.action),
        escape(p.submission_id),
        lang.code()
    ));
    let mut section: Option<Section> = None;
    for q in &def.questions {
        if section != Some(q.section) {
            section = Some(q.section);
            body.push_str(&format!("<h2>{}</h2>", escape(pick(&q.section.title(), lang))));
        }
        let values = given.get(q.id.as_str()).cloned().unwrap_or_default();
        body.push_str(&question_html(q, lang, &values, errors.get(q.id.as_str()).copied()));
    }
    body.push_str(&format!("<button type=\"submit\">{}</button></form>", t(lang, keys::SUBMIT)));
    body.push_str(&resource_link(def, lang));
    let title = format!("{} – {}", t(lang, keys::SURVEY_TITLE), def.organisation_name);
    shell(lang, &title, &def.organisation_name, p.logo_url, &language_switch(def, lang, p.action), &body)
}

/// The page after a stored response.
pub fn thank_you_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    let body = format!(
        "<h1>{}</h1><p role=\"status\">{}</p>{}",
        t(lang, keys::THANK_YOU_TITLE),
        t(lang, keys::THANK_YOU_BODY),
        resource_link(def, lang)
    );
    shell(lang, &t(lang, keys::THANK_YOU_TITLE), &def.organisation_name, logo_url, "", &body)
}

/// The page for a personal link that was already used.
pub fn already_answered_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    let body = format!(
        "<h1>{}</h1><p>{}</p>{}",
        t(lang, keys::ALREADY_ANSWERED_TITLE),
        t(lang, keys::ALREADY_ANSWERED_BODY),
        resource_link(def, lang)
    );
    shell(lang, &t(lang, keys::ALREADY_ANSWERED_TITLE), &def.organisation_name, logo_url, "", &body)
}

/// The page for an anonymous link whose account has used up the month's
/// survey budget: the answers are not recorded, and the respondent is told so.
pub fn budget_used_up_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    let body = format!(
        "<h1>{}</h1><p role=\"status\">{}</p>{}",
        t(lang, keys::BUDGET_USED_UP_TITLE),
        t(lang, keys::BUDGET_USED_UP_BODY),
        resource_link(def, lang)
    );
    shell(lang, &t(lang, keys::BUDGET_USED_UP_TITLE), &def.organisation_name, logo_url, "", &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::project::{Kind, Settings};
    use crate::domain::survey::generate;
    use serde_json::json;

    fn def() -> Definition {
        let s: Settings = serde_json::from_value(json!({
            "organisation_name": "<script>alert('org')</script> GmbH", "business_type": "B2C",
            "languages": ["en", "de"], "resource_page_url": "https://example.com/help?a=1&b=2",
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] }
        }))
        .unwrap();
        generate("p1", Kind::Assessment, &s.normalise().unwrap(), 1)
    }

    fn page(values: &[(String, String)], errors: &[AnswerError], lang: Lang) -> String {
        let d = def();
        survey_page(&SurveyPage { definition: &d, lang, action: "/s/tok", logo_url: Some("https://cdn.example/l.png"), values, errors, submission_id: "sid1" })
    }

    #[test]
    fn every_control_has_a_label_and_the_page_is_translated() {
        let html = page(&[], &[], Lang::De);
        assert!(html.contains("<html lang=\"de\">"));
        assert!(html.contains(&t(Lang::De, keys::SUBMIT)));
        assert!(html.contains("Wie wahrscheinlich ist es"));
        assert_eq!(html.matches("<fieldset").count(), html.matches("<legend>").count());
        for (i, _) in html.match_indices("<input type=\"text\" id=\"") {
            let id = html[i + 23..].split('"').next().unwrap();
            assert!(html.contains(&format!("<label for=\"{id}\"")), "text input {id} has no label");
        }
        assert!(html.contains("href=\"/s/tok?lang=en\""));
        assert!(html.contains("https://example.com/help?a=1&amp;b=2"));
        assert!(!html.contains("<script"), "no script on the page, not even the organisation's name");
        assert!(html.contains("&lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt; GmbH"));
    }

    #[test]
    fn errors_stand_next_to_their_questions_and_answers_are_kept() {
        let values = vec![("nps".to_string(), "9".to_string()), ("needs".to_string(), "</textarea><script>x</script>".to_string())];
        let errors = vec![AnswerError { question: "csat".into(), message: t(Lang::En, keys::ERR_REQUIRED) }];
        let html = page(&values, &errors, Lang::En);
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("href=\"#q-csat\""));
        assert!(html.contains("id=\"err-csat\""));
        assert!(html.contains("aria-describedby=\"err-csat\""));
        assert!(html.contains("name=\"nps\" value=\"9\" checked"));
        assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"));
    }

    #[test]
    fn the_end_pages_carry_the_resource_link() {
        let d = def();
        assert!(thank_you_page(&d, Lang::En, None).contains("https://example.com/help"));
        assert!(already_answered_page(&d, Lang::De, None).contains(&t(Lang::De, keys::ALREADY_ANSWERED_BODY)));
        let closed = budget_used_up_page(&d, Lang::De, None);
        assert!(closed.contains(&t(Lang::De, keys::BUDGET_USED_UP_BODY)) && closed.contains("lang=\"de\""));
    }
}
