//! The respondent pages, through maud (every text escaped by the engine):
//! the survey form (no JavaScript; radio groups and checkboxes in fieldsets
//! with legends, labels on every control, errors linked to their questions
//! with `aria-describedby`; the assessment one area per step with its
//! progress, Next and Back, as `domain::steps` lays it out), the thank-you page, the already-answered page
//! and the budget-closed page. Every word comes from the translation files
//! or from the project.

use std::collections::BTreeMap;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::guard;
use crate::domain::i18n::{keys, pick, t, t_args, Lang};
use crate::domain::project::Kind;
use crate::domain::response::Via;
use crate::domain::steps::{self, Move, AT_FIELD, STEP_FIELD};
use crate::domain::survey::{ids, AnswerError, Answering, Definition, Question, Section};

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
    /// The anonymous link's form token (`domain::guard`): it carries the
    /// submission id that makes a repeated POST of this form harmless.
    /// Personal links need none.
    pub form_token: Option<&'a str>,
    /// A notice above the form (the answers are kept; send it again).
    pub notice: Option<&'a str>,
    /// The step to show (from 1) of a survey answered in steps; a single
    /// page ignores it.
    pub step: usize,
    /// How a personal link was opened from its invitation email, carried
    /// to the submission.
    pub via: Option<Via>,
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
.scale{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr);gap:.2rem;max-width:32rem}
.scale label{display:flex;flex-direction:column;align-items:center;min-width:0;min-height:2.75rem;padding:.35rem 0;border:1px solid #9aa3ad;border-radius:.4rem;cursor:pointer}
.scale input{margin:0 0 .2rem}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#555;margin-top:.3rem;gap:1rem;max-width:32rem}
.ends span:last-child{text-align:right}
.choice{display:flex;gap:.5rem;align-items:flex-start;padding:.35rem 0}
.choice input{margin-top:.3rem;width:1.15rem;height:1.15rem;flex:none}
input[type=text],textarea,select{width:100%;font:inherit;padding:.5rem;border:1px solid #9aa3ad;border-radius:.4rem}
textarea{min-height:7rem}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.error{color:#a30d0d;font-weight:600;margin:.25rem 0}
.invalid{border-left:4px solid #a30d0d;padding-left:.75rem}
.summary{border:2px solid #a30d0d;border-radius:.4rem;padding:.75rem 1rem;margin-bottom:1.5rem}
.summary a{color:#a30d0d}
button{font:inherit;font-weight:600;background:#0b57d0;color:#fff;border:2px solid #0b57d0;border-radius:.4rem;padding:.75rem 1.5rem;cursor:pointer;width:100%;max-width:20rem}
button.secondary{background:#fff;color:#0b57d0}
.moves{display:flex;flex-direction:column;gap:.75rem;margin-top:1rem}
.progress{margin:0 0 .25rem;font-weight:600;color:#38414d}
progress{width:100%;max-width:32rem;height:.6rem;accent-color:#0b57d0}
a{color:#0b57d0}
button.link{background:none;color:#0b57d0;text-decoration:underline;padding:.25rem;width:auto;max-width:none;font-weight:400;font-size:inherit;margin-left:.25rem;border:0}
.default-submit,.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.notice{border:2px solid #0b57d0;border-radius:.4rem;padding:.75rem 1rem;margin-bottom:1.5rem}
.resource{margin-top:2rem;padding-top:1rem;border-top:1px solid #e3e5e8}
"#;

fn shell(lang: Lang, title: &str, org: &str, logo_url: Option<&str>, switch: Markup, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="description" content=(t_args(lang, keys::SURVEY_DESCRIPTION, &[("org", org.into())]));
                (super::icon_link())
                title { (title) }
                // our own constant
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    header {
                        @if let Some(url) = logo_url {
                            img src=(url) alt=(t_args(lang, keys::LOGO_ALT, &[("org", org.into())]));
                        }
                        span.org { (org) }
                        (switch)
                    }
                    (body)
                }
            }
        }
    }
    .into_string()
}

/// The language switch: submit buttons of the survey form (`form` names it
/// from the header), so switching re-renders the page in the other
/// language with every answer given so far, without JavaScript and without
/// storing anything. A form's default button (the one Enter in a text field
/// presses) is its first submit button in document order, so a copy of the
/// form's own submit button comes first, out of sight and out of the tab
/// order: Enter sends the survey (or, on a step, goes on as the step's own
/// button does: `primary` names it), it never switches the language.
fn language_switch(def: &Definition, lang: Lang, primary: Option<(Move, &str)>) -> Markup {
    html! {
        @if def.languages.len() > 1 {
            @match primary {
                Some((to, label)) => button.default-submit type="submit" form=(FORM_ID) name=(STEP_FIELD) value=(to.as_str()) tabindex="-1" aria-hidden="true" { (label) },
                None => button.default-submit type="submit" form=(FORM_ID) tabindex="-1" aria-hidden="true" { (t(lang, keys::SUBMIT)) },
            }
            nav.lang aria-label=(t(lang, keys::LANGUAGE)) {
                @for l in &def.languages {
                    @if *l == lang {
                        span aria-current="true" lang=(l.code()) { (l.native_name()) }
                    } @else {
                        button.link type="submit" form=(FORM_ID) name=(SWITCH_FIELD) value=(l.code()) lang=(l.code()) formnovalidate { (l.native_name()) }
                    }
                }
            }
        }
    }
}

/// The survey form's id (the language switch submits it).
const FORM_ID: &str = "survey";

/// The form field of the language switch: a POST carrying it asks for the
/// page again in that language, with the answers so far; nothing is stored.
pub const SWITCH_FIELD: &str = "switch_lang";

fn resource_link(def: &Definition, lang: Lang) -> Markup {
    html! {
        @if let Some(url) = &def.resource_page_url {
            p.resource { a href=(url) rel="noopener" { (t(lang, keys::RESOURCE_LINK)) } }
        }
    }
}

/// "(required)" or "(optional)". A conditional question is only shown once
/// the answers call for it (`domain::steps`), so it is what it says it is:
/// the follow-up contact, asked after "yes, contact me", is required.
fn marks(q: &Question, lang: Lang) -> Markup {
    let mark = if q.required { t(lang, keys::REQUIRED) } else { t(lang, keys::OPTIONAL) };
    html! { " " span.hint { "(" (mark) ")" } }
}

/// What a question's answer is used for, below its label: the follow-up
/// contact's.
fn explanation(q: &Question, lang: Lang) -> Option<String> {
    (q.id == ids::FOLLOW_UP_CONTACT).then(|| t(lang, keys::CONTACT_HINT))
}

fn question_html(q: &Question, lang: Lang, given: &[&str], error: Option<&str>) -> Markup {
    let id = q.id.as_str();
    let text = pick(&q.text, lang);
    let explained = explanation(q, lang);
    let described: Vec<String> = explained.iter().map(|_| format!("hint-{id}")).chain(error.map(|_| format!("err-{id}"))).collect();
    let error_id = (!described.is_empty()).then(|| described.join(" "));
    let invalid = error.map(|_| "true");
    let required = q.required;
    let err_html = html! {
        @if let Some(e) = error {
            p.error id={ "err-" (id) } { (e) }
        }
    };
    match &q.answering {
        Answering::Scale { min, max, min_label, max_label } => {
            let (min_label, max_label) = (pick(min_label, lang), pick(max_label, lang));
            html! {
                fieldset id={ "q-" (id) } class=[error.map(|_| "invalid")] aria-describedby=[&error_id] aria-invalid=[invalid] {
                    legend { (text) (marks(q, lang)) }
                    (err_html)
                    div.scale {
                        @for n in *min..=*max {
                            label {
                                input type="radio" name=(id) value=(n) checked[given.contains(&n.to_string().as_str())] required[required];
                                (n)
                            }
                        }
                    }
                    div.ends aria-hidden="true" {
                        span { (min) " = " (min_label) }
                        span { (max) " = " (max_label) }
                    }
                    p.hint style="position:absolute;left:-9999px" { (min) " = " (min_label) ", " (max) " = " (max_label) }
                }
            }
        }
        Answering::Single { choices } | Answering::Multi { choices } => {
            let multi = matches!(q.answering, Answering::Multi { .. });
            let hint = if multi { t(lang, keys::CHOOSE_ANY) } else { t(lang, keys::CHOOSE_ONE) };
            html! {
                fieldset id={ "q-" (id) } class=[error.map(|_| "invalid")] aria-describedby=[&error_id] aria-invalid=[invalid] {
                    legend { (text) (marks(q, lang)) span class="hint sub" { (hint) } }
                    (err_html)
                    @for (i, c) in choices.iter().enumerate() {
                        div.choice {
                            input type=(if multi { "checkbox" } else { "radio" }) id={ (id) "-" (i) } name=(id) value=(c.value)
                                checked[given.contains(&c.value.as_str())] required[required && !multi];
                            label for={ (id) "-" (i) } { (pick(&c.label, lang)) }
                        }
                    }
                }
            }
        }
        Answering::Text { max_chars, multiline } => {
            let value = given.join("\n");
            html! {
                div class={ "q" @if error.is_some() { " invalid" } } id={ "q-" (id) } {
                    label for=(id) { (text) (marks(q, lang)) }
                    @if let Some(e) = &explained {
                        p.hint id={ "hint-" (id) } { (e) }
                    }
                    (err_html)
                    @if *multiline {
                        textarea id=(id) name=(id) maxlength=(max_chars) aria-describedby=[&error_id] aria-invalid=[invalid] required[required] { (value) }
                    } @else {
                        input type="text" id=(id) name=(id) maxlength=(max_chars) value=(value) aria-describedby=[&error_id] aria-invalid=[invalid] required[required];
                    }
                }
            }
        }
    }
}

/// The survey form: the whole survey on one page, or (the assessment)
/// the step `p.step` of `domain::steps`, the other steps' answers carried
/// along as hidden fields.
pub fn survey_page(p: &SurveyPage) -> String {
    let def = p.definition;
    let lang = p.lang;
    let mut given: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in p.values {
        given.entry(k.as_str()).or_default().push(v.as_str());
    }
    let errors: BTreeMap<&str, &str> = p.errors.iter().map(|e| (e.question.as_str(), e.message.as_str())).collect();
    let duration = match def.kind {
        Kind::QuickCheckIn => t(lang, keys::DURATION_QUICK),
        Kind::Assessment => t(lang, keys::DURATION_ASSESSMENT),
    };
    let all = steps::steps(def, p.values);
    let total = all.len();
    let stepped = steps::in_steps(def) && total > 1;
    let at = if stepped { p.step.clamp(1, total) } else { 1 };
    let step = all.get(at - 1);
    let shown: Vec<&Question> = step.map(|s| s.questions.clone()).unwrap_or_default();
    let carried = steps::carried(def, p.values, step);
    let last = at >= total;
    let progress = t_args(lang, keys::STEP_OF, &[("n", at.into()), ("total", total.into())]);
    // the step's own button: what Enter presses too
    let primary = match (stepped, last) {
        (false, _) => None,
        (true, false) => Some((Move::Next, t(lang, keys::STEP_NEXT))),
        (true, true) => Some((Move::Send, t(lang, keys::SUBMIT))),
    };
    // A heading above the first question of each section.
    let mut section: Option<Section> = None;
    let questions: Vec<(Option<Section>, &Question)> = shown
        .iter()
        .map(|q| {
            let new = (section != Some(q.section)).then_some(q.section);
            section = Some(q.section);
            (new, *q)
        })
        .collect();
    let body = html! {
        h1 { (t(lang, keys::SURVEY_TITLE)) }
        @if at == 1 {
            p { (duration) }
        }
        @if stepped {
            p.progress id="step-progress" { (progress) }
            progress max=(total) value=(at) aria-labelledby="step-progress" { (progress) }
        }
        @if let Some(notice) = p.notice {
            p.notice role="alert" { (notice) }
        }
        @if !p.errors.is_empty() {
            div.summary role="alert" tabindex="-1" id="errors" {
                p { strong { (t(lang, keys::ERROR_SUMMARY)) } }
                ul {
                    @for q in &shown {
                        @if let Some(e) = errors.get(q.id.as_str()) {
                            li { a href={ "#q-" (q.id) } { (pick(&q.text, lang)) } br; (e) }
                        }
                    }
                }
            }
        }
        form #(FORM_ID) method="post" action=(p.action) accept-charset="utf-8" novalidate {
            @if let Some(token) = p.form_token {
                input type="hidden" name=(guard::TOKEN_FIELD) value=(token);
            }
            input type="hidden" name="lang" value=(lang.code());
            @if let Some(via) = p.via {
                input type="hidden" name=(Via::FIELD) value=(via.as_str());
            }
            @if stepped {
                input type="hidden" name=(AT_FIELD) value=(at);
            }
            // the other steps' answers, as given
            @for (name, value) in &carried {
                input type="hidden" name=(name) value=(value);
            }
            // the honeypot: out of sight, out of the tab order and hidden
            // from screen readers; only a form-filling script fills it in
            div.hp aria-hidden="true" {
                label for=(guard::HONEYPOT_FIELD) { (t(lang, keys::HONEYPOT_LABEL)) }
                input type="text" id=(guard::HONEYPOT_FIELD) name=(guard::HONEYPOT_FIELD) value="" tabindex="-1" autocomplete="off";
            }
            @for (new_section, q) in questions {
                @if let Some(s) = new_section {
                    h2 { (pick(&s.title(), lang)) }
                }
                (question_html(q, lang, given.get(q.id.as_str()).map(Vec::as_slice).unwrap_or_default(), errors.get(q.id.as_str()).copied()))
            }
            @match &primary {
                None => button type="submit" { (t(lang, keys::SUBMIT)) },
                Some((to, label)) => div.moves {
                    button type="submit" name=(STEP_FIELD) value=(to.as_str()) { (label) }
                    @if at > 1 {
                        button.secondary type="submit" name=(STEP_FIELD) value=(Move::Back.as_str()) formnovalidate { (t(lang, keys::STEP_BACK)) }
                    }
                },
            }
        }
        (resource_link(def, lang))
    };
    let title = if stepped {
        format!("{} – {} – {}", t(lang, keys::SURVEY_TITLE), progress, def.organisation_name)
    } else {
        format!("{} – {}", t(lang, keys::SURVEY_TITLE), def.organisation_name)
    };
    let switch = language_switch(def, lang, primary.as_ref().map(|(to, label)| (*to, label.as_str())));
    shell(lang, &title, &def.organisation_name, p.logo_url, switch, body)
}

/// An end page: a heading, one paragraph (a status line when `status`) and
/// the resource link.
fn end_page(def: &Definition, lang: Lang, logo_url: Option<&str>, title: &str, text: &str, status: bool) -> String {
    let title = t(lang, title);
    let body = html! {
        h1 { (title) }
        p role=[status.then_some("status")] { (t(lang, text)) }
        (resource_link(def, lang))
    };
    shell(lang, &title, &def.organisation_name, logo_url, html! {}, body)
}

/// The page after a stored response.
pub fn thank_you_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    end_page(def, lang, logo_url, keys::THANK_YOU_TITLE, keys::THANK_YOU_BODY, true)
}

/// The page for a personal link that was already used.
pub fn already_answered_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    end_page(def, lang, logo_url, keys::ALREADY_ANSWERED_TITLE, keys::ALREADY_ANSWERED_BODY, false)
}

/// The page for a submission refused as a script's (no form token, a
/// forged one, the honeypot filled in): nothing was recorded.
pub fn refused_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    end_page(def, lang, logo_url, keys::REFUSED_TITLE, keys::REFUSED_BODY, false)
}

/// The page for an anonymous link whose project's daily cap is reached.
pub fn daily_cap_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    end_page(def, lang, logo_url, keys::DAILY_CAP_TITLE, keys::DAILY_CAP_BODY, true)
}

/// The page for an anonymous link whose account has used up the month's
/// survey budget: the answers are not recorded, and the respondent is told so.
pub fn budget_used_up_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    end_page(def, lang, logo_url, keys::BUDGET_USED_UP_TITLE, keys::BUDGET_USED_UP_BODY, true)
}

/// The page of every link of a closed survey: no form, nothing recorded.
pub fn survey_closed_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    end_page(def, lang, logo_url, keys::SURVEY_CLOSED_TITLE, keys::SURVEY_CLOSED_BODY, false)
}

/// The page of a personal link older than the project's
/// `personal_link_days`: no form, nothing recorded, and whom to ask.
pub fn link_expired_page(def: &Definition, lang: Lang, logo_url: Option<&str>) -> String {
    end_page(def, lang, logo_url, keys::LINK_EXPIRED_TITLE, keys::LINK_EXPIRED_BODY, false)
}

/// Who an unsubscribe link belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscriber {
    /// A contact, from survey invitations.
    Contact,
    /// A colleague, from response notifications and scheduled reports.
    Colleague,
}

/// The unsubscribe page: the question with its one-button form, or (`done`)
/// the confirmation.
/// The address is shown masked (`a…@example.com`): the link may be
/// forwarded, and the page is for its owner to recognise, not to read.
pub fn unsubscribe_page(lang: Lang, who: Unsubscriber, done: bool, email: &str, org: &str) -> String {
    let args = [("email", crate::domain::mail::mask_email(email).into()), ("org", org.into())];
    let (title, text, button) = match (who, done) {
        (Unsubscriber::Contact, false) => (keys::UNSUBSCRIBE_TITLE, keys::UNSUBSCRIBE_TEXT, Some(keys::UNSUBSCRIBE_BUTTON)),
        (Unsubscriber::Contact, true) => (keys::UNSUBSCRIBED_TITLE, keys::UNSUBSCRIBED_TEXT, None),
        (Unsubscriber::Colleague, false) => (keys::OPT_OUT_TITLE, keys::OPT_OUT_TEXT, Some(keys::OPT_OUT_BUTTON)),
        (Unsubscriber::Colleague, true) => (keys::OPTED_OUT_TITLE, keys::OPTED_OUT_TEXT, None),
    };
    let title = t(lang, title);
    let body = html! {
        h1 { (title) }
        p role=[done.then_some("status")] { (t_args(lang, text, &args)) }
        @if let Some(button) = button {
            form method="post" { button type="submit" { (t(lang, button)) } }
        }
    };
    super::document(lang.code(), &title, body)
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
        page_at(values, errors, lang, 1)
    }

    fn page_at(values: &[(String, String)], errors: &[AnswerError], lang: Lang, step: usize) -> String {
        let d = def();
        survey_page(&SurveyPage {
            definition: &d,
            lang,
            action: "/s/tok",
            logo_url: Some("https://cdn.example/l.png"),
            values,
            errors,
            form_token: Some("tok1"),
            notice: None,
            step,
            via: None,
        })
    }

    /// The step (from 1) asking question `id`, given the answers `values`.
    fn step_of(values: &[(String, String)], id: &str) -> usize {
        let d = def();
        steps::steps(&d, values).iter().position(|s| s.asks(id)).expect("a step asks it") + 1
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_contact_question_is_asked_only_after_a_yes_as_required_and_says_what_it_is_for() {
        let total = steps::steps(&def(), &[]).len();
        for at in 1..=total {
            assert!(!page_at(&[], &[], Lang::De, at).contains("follow_up_contact"), "step {at} asks for a contact before any yes");
        }
        let yes = pairs(&[("follow_up", "yes")]);
        let at = step_of(&yes, ids::FOLLOW_UP_CONTACT);
        assert_eq!(at, total + 1, "the contact question is a step of its own, the last");
        for lang in Lang::ALL {
            let html = page_at(&yes, &[], lang, at);
            assert!(html.contains(&t_args(lang, keys::STEP_OF, &[("n", at.into()), ("total", at.into())])));
            let start = html.find("id=\"q-follow_up_contact\"").expect("the follow-up contact question is on its step");
            let label = &html[start..start + html[start..].find("</label>").unwrap()];
            assert!(label.contains(&t(lang, keys::REQUIRED)) && !label.contains(&t(lang, keys::OPTIONAL)), "one mark only: {label}");
            assert!(html.contains(&format!("<p class=\"hint\" id=\"hint-follow_up_contact\">{}</p>", t(lang, keys::CONTACT_HINT))));
            assert!(html.contains("aria-describedby=\"hint-follow_up_contact\""), "the explanation is read with the field");
            assert!(html.contains("<input type=\"hidden\" name=\"follow_up\" value=\"yes\">"), "the yes goes along");
        }
        let error = vec![AnswerError { question: ids::FOLLOW_UP_CONTACT.into(), message: t(Lang::En, keys::ERR_CONTACT_NEEDED) }];
        let html = page_at(&yes, &error, Lang::En, at);
        assert!(html.contains("aria-describedby=\"hint-follow_up_contact err-follow_up_contact\""));
    }

    #[test]
    fn the_assessment_shows_one_area_per_step_with_its_progress_next_and_back() {
        let total = steps::steps(&def(), &[]).len();
        assert!(total >= 5, "{total}");
        let first = page(&[], &[], Lang::En);
        assert!(first.contains(&format!("<p class=\"progress\" id=\"step-progress\">Step 1 of {total}</p>")));
        assert!(first.contains(&format!("<progress max=\"{total}\" value=\"1\" aria-labelledby=\"step-progress\">")));
        assert!(first.contains(&format!("<title>Your feedback – Step 1 of {total} – ")));
        assert!(first.contains("<h2>Communication</h2>") && first.contains("name=\"comm_frequency\""));
        assert!(!first.contains("name=\"nps\"") && !first.contains("<h2>Our actions</h2>"), "one area per step");
        assert!(first.contains("<button type=\"submit\" name=\"step\" value=\"next\">Next</button>"));
        assert!(!first.contains("value=\"back\""), "no way back from the first step");
        assert!(first.contains("<input type=\"hidden\" name=\"at\" value=\"1\">"));
        // Enter goes on as Next does; it never sends the survey from a step
        assert!(first.contains("<button class=\"default-submit\" type=\"submit\" form=\"survey\" name=\"step\" value=\"next\" tabindex=\"-1\" aria-hidden=\"true\">Next</button>"));
        let second = page_at(&[], &[], Lang::De, 2);
        assert!(second.contains(&format!("Schritt 2 von {total}")) && second.contains("<h2>Unsere Maßnahmen</h2>"), "{second}");
        let next = second.find("value=\"next\">Weiter</button>").unwrap();
        let back =
            second.find("<button class=\"secondary\" type=\"submit\" name=\"step\" value=\"back\" formnovalidate>Zurück</button>").unwrap();
        assert!(next < back, "the step's own button comes first");
        let last = page_at(&[], &[], Lang::En, total);
        assert!(last.contains("<button type=\"submit\" name=\"step\" value=\"send\">Submit</button>") && !last.contains("value=\"next\""));
        assert!(last.contains("name=\"follow_up\""));
        // a step out of range shows the last one
        assert!(page_at(&[], &[], Lang::En, 99).contains(&format!("Step {total} of {total}")));
    }

    #[test]
    fn the_other_steps_answers_go_along_as_hidden_fields_escaped() {
        let values = pairs(&[
            ("lang", "en"),
            ("at", "1"),
            ("ft", "tok1"),
            ("comm_channels", "email"),
            ("comm_channels", "app"),
            ("needs", "\"><script>alert(1)</script>"),
            ("nps", "9"),
            ("csat", ""),
        ]);
        let html = page_at(&values, &[], Lang::En, 1);
        assert!(
            html.contains("<input type=\"hidden\" name=\"needs\" value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains("<input type=\"hidden\" name=\"nps\" value=\"9\">"));
        assert!(!html.contains("name=\"csat\""), "an empty answer is not carried");
        // the step's own answers are its controls, not hidden fields
        assert!(
            html.contains("name=\"comm_channels\" value=\"email\" checked")
                && html.contains("name=\"comm_channels\" value=\"app\" checked")
        );
        assert!(!html.contains("<input type=\"hidden\" name=\"comm_channels\""));
        assert_eq!(html.matches("name=\"ft\"").count(), 1, "the form token once");
        assert_eq!(html.matches("name=\"lang\"").count(), 1);
        assert_eq!(html.matches("name=\"at\"").count(), 1);
    }

    #[test]
    fn the_opening_of_a_personal_link_goes_along() {
        let d = def();
        let page = |via| {
            survey_page(&SurveyPage {
                definition: &d,
                lang: Lang::En,
                action: "/s/tok",
                logo_url: None,
                values: &[],
                errors: &[],
                form_token: None,
                notice: None,
                step: 1,
                via,
            })
        };
        assert!(page(Some(Via::Scale)).contains("<input type=\"hidden\" name=\"via\" value=\"scale\">"));
        assert!(page(Some(Via::Button)).contains("<input type=\"hidden\" name=\"via\" value=\"button\">"));
        assert!(!page(None).contains("name=\"via\""));
    }

    #[test]
    fn the_quick_check_in_stays_one_page_and_asks_for_a_contact_after_a_yes() {
        let s: Settings =
            serde_json::from_value(json!({ "organisation_name": "Kahvila", "business_type": "B2C", "languages": ["en", "fi"],
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } }))
            .unwrap();
        let d = generate("p1", Kind::QuickCheckIn, &s.normalise().unwrap(), 1);
        let page = |values: &[(String, String)]| {
            survey_page(&SurveyPage {
                definition: &d,
                lang: Lang::En,
                action: "/s/tok",
                logo_url: None,
                values,
                errors: &[],
                form_token: None,
                notice: None,
                step: 3,
                via: None,
            })
        };
        let html = page(&[]);
        assert!(html.contains("name=\"nps\"") && html.contains("name=\"follow_up\"") && !html.contains("follow_up_contact"));
        assert!(!html.contains("<progress") && !html.contains("name=\"step\"") && !html.contains("name=\"at\""), "no steps");
        assert!(html.contains("<button type=\"submit\">Submit</button>"));
        assert!(html.contains("<button class=\"default-submit\" type=\"submit\" form=\"survey\" tabindex=\"-1\" aria-hidden=\"true\">"));
        let html = page(&pairs(&[("follow_up", "yes")]));
        assert!(html.contains("id=\"follow_up_contact\"") && html.contains(&t(Lang::En, keys::CONTACT_HINT)));
    }

    #[test]
    fn every_control_has_a_label_and_the_page_is_translated() {
        let html = page_at(&[], &[], Lang::De, step_of(&[], ids::NPS));
        assert!(html.contains("<html lang=\"de\">"));
        assert!(html.contains(&t(Lang::De, keys::STEP_NEXT)));
        assert!(html.contains("Wie wahrscheinlich ist es"));
        assert_eq!(html.matches("<fieldset").count(), html.matches("<legend>").count());
        for (i, _) in html.match_indices("<input type=\"text\" id=\"") {
            let id = html[i + 23..].split('"').next().unwrap();
            assert!(html.contains(&format!("<label for=\"{id}\"")), "text input {id} has no label");
        }
        // the switch submits the survey form, so the answers go along; the
        // form's default button (Enter) comes first and goes on
        let default = html
            .find("<button class=\"default-submit\" type=\"submit\" form=\"survey\" name=\"step\" value=\"next\" tabindex=\"-1\" aria-hidden=\"true\">")
            .unwrap();
        let switch = html
            .find("<button class=\"link\" type=\"submit\" form=\"survey\" name=\"switch_lang\" value=\"en\" lang=\"en\" formnovalidate>English</button>")
            .unwrap();
        assert!(default < switch, "the default button comes before the switch");
        assert!(html.contains("<form id=\"survey\" method=\"post\""));
        assert!(html.contains("https://example.com/help?a=1&amp;b=2"));
        assert!(!html.contains("<script"), "no script on the page, not even the organisation's name");
        assert!(html.contains("&lt;script&gt;alert('org')&lt;/script&gt; GmbH"));
    }

    #[test]
    fn errors_stand_next_to_their_questions_and_answers_are_kept() {
        let values = vec![("nps".to_string(), "9".to_string()), ("needs".to_string(), "</textarea><script>x</script>".to_string())];
        let errors = vec![AnswerError { question: "csat".into(), message: t(Lang::En, keys::ERR_REQUIRED) }];
        let html = page_at(&values, &errors, Lang::En, step_of(&values, ids::CSAT));
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("href=\"#q-csat\""));
        assert!(html.contains("id=\"err-csat\""));
        assert!(html.contains("aria-describedby=\"err-csat\""));
        assert!(html.contains("name=\"nps\" value=\"9\" checked"));
        assert!(html.contains("name=\"needs\" value=\"&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;\""));
        let html = page_at(&values, &[], Lang::En, step_of(&values, ids::NEEDS));
        assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"));
    }

    #[test]
    fn unsubscribe_pages_ask_then_confirm_in_the_language_given() {
        let ask = unsubscribe_page(Lang::Fi, Unsubscriber::Contact, false, "a&b@example.fi", "<Kahvila>");
        assert!(
            ask.contains("<html lang=\"fi\">") && ask.contains("<form method=\"post\"><button type=\"submit\">Peru tilaus</button></form>")
        );
        assert!(ask.contains("a…@example.fi") && !ask.contains("b@example.fi") && ask.contains("&lt;Kahvila&gt;"));
        let done = unsubscribe_page(Lang::En, Unsubscriber::Colleague, true, "cx@example.com", "Café");
        assert!(done.contains("<h1>Notifications stopped</h1>") && done.contains("role=\"status\"") && !done.contains("<form"));
    }

    #[test]
    fn the_end_pages_carry_the_resource_link() {
        let d = def();
        assert!(thank_you_page(&d, Lang::En, None).contains("https://example.com/help"));
        assert!(already_answered_page(&d, Lang::De, None).contains(&t(Lang::De, keys::ALREADY_ANSWERED_BODY)));
        let closed = budget_used_up_page(&d, Lang::De, None);
        assert!(closed.contains(&t(Lang::De, keys::BUDGET_USED_UP_BODY)) && closed.contains("lang=\"de\""));
        let closed = survey_closed_page(&d, Lang::De, None);
        assert!(closed.contains("<h1>Diese Umfrage ist geschlossen</h1>") && closed.contains("lang=\"de\"") && !closed.contains("<form"));
        let expired = link_expired_page(&d, Lang::Fi, None);
        assert!(expired.contains(&t(Lang::Fi, keys::LINK_EXPIRED_TITLE)) && expired.contains("lang=\"fi\"") && !expired.contains("<form"));
        assert!(link_expired_page(&d, Lang::En, None).contains("contact whoever sent you the link"));
    }
}
