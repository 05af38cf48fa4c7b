//! A survey answered in steps, without JavaScript: the assessment shows one
//! area (section) per page, the quick check-in all of it on one page.
//!
//! Nothing is stored before the final submission. Each step's form carries
//! every answer given so far (the other steps' answers as hidden fields),
//! the step it shows ([`AT_FIELD`], from 1) and the button pressed
//! ([`STEP_FIELD`]: [`Move`]). *Next* checks the step's own questions and
//! shows the following step; *Back* shows the previous one unchecked; the
//! last step's *Send* is a complete submission, as is a POST with every
//! answer and no step field (what API clients send).
//!
//! A conditional question (the follow-up contact, asked only after "yes,
//! contact me") is only ever shown once the answers so far call for it: on
//! a survey in steps as a step of its own right after the step of its
//! condition, on a single page below it after a submission that said yes.
//! A form that holds no field for it never showed it: the respondent said
//! yes only now, and is asked next ([`retry`]) rather than told off.

use std::collections::BTreeMap;

use super::i18n::Lang;
use super::project::Kind;
use super::survey::{ids, AnswerError, Definition, Question, Section};

/// The form field of the button pressed (a [`Move`]).
pub const STEP_FIELD: &str = "step";

/// The form field holding the step the form showed, from 1.
pub const AT_FIELD: &str = "at";

/// Which button of a step was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Check this step's questions, then show the next step.
    Next,
    /// Show the previous step; nothing is checked.
    Back,
    /// The final submission (the same as a form without a step field).
    Send,
}

impl Move {
    pub fn parse(v: &str) -> Option<Move> {
        match v {
            "next" => Some(Move::Next),
            "back" => Some(Move::Back),
            "send" => Some(Move::Send),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Move::Next => "next",
            Move::Back => "back",
            Move::Send => "send",
        }
    }
}

/// One page of the survey.
#[derive(Debug, Clone, PartialEq)]
pub struct Step<'a> {
    /// The area the step shows (the first question's, on a single page).
    pub section: Section,
    pub questions: Vec<&'a Question>,
}

impl Step<'_> {
    /// Whether the step asks the question `id`.
    pub fn asks(&self, id: &str) -> bool {
        self.questions.iter().any(|q| q.id == id)
    }
}

/// Whether the survey is answered in steps (the assessment) or on one page.
pub fn in_steps(def: &Definition) -> bool {
    def.kind == Kind::Assessment
}

/// The values of a form by field name.
fn values(form: &[(String, String)]) -> BTreeMap<&str, Vec<&str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in form {
        out.entry(k.as_str()).or_default().push(v.as_str());
    }
    out
}

/// Whether the answers in `form` call for question `q` (always, unless it
/// is conditional; then when its condition was answered as it names).
pub fn called_for(q: &Question, form: &[(String, String)]) -> bool {
    match &q.shown_if {
        None => true,
        Some((other, wanted)) => form.iter().any(|(k, v)| k == other && v.trim() == wanted),
    }
}

/// The pages of the survey, given the answers so far: in steps, one per
/// section in question order, and a conditional question the answers call
/// for on a page of its own after the page of its condition; on one page,
/// every question the answers call for. Never empty for a survey with
/// questions.
pub fn steps<'a>(def: &'a Definition, form: &[(String, String)]) -> Vec<Step<'a>> {
    let asked: Vec<&Question> = def.questions.iter().filter(|q| called_for(q, form)).collect();
    if !in_steps(def) {
        return match asked.first() {
            Some(first) => vec![Step { section: first.section, questions: asked }],
            None => Vec::new(),
        };
    }
    let mut out: Vec<Step> = Vec::new();
    for q in asked {
        match out.last_mut() {
            Some(last) if q.shown_if.is_none() && last.section == q.section && !last.questions.iter().any(|p| p.shown_if.is_some()) => {
                last.questions.push(q)
            }
            _ => out.push(Step { section: q.section, questions: vec![q] }),
        }
    }
    out
}

/// The step a form showed (its [`AT_FIELD`]), within 1..=`count`: 1
/// when it names none.
pub fn at(form: &[(String, String)], count: usize) -> usize {
    let named = form.iter().find(|(k, _)| k == AT_FIELD).and_then(|(_, v)| v.trim().parse::<usize>().ok()).unwrap_or(1);
    named.clamp(1, count.max(1))
}

/// The problems of the answers to one step's questions (checked as the
/// whole survey checks them).
pub fn step_errors(def: &Definition, form: &[(String, String)], lang: Lang, step: &Step) -> Vec<AnswerError> {
    match def.validate(form, lang) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().filter(|e| step.asks(&e.question)).collect(),
    }
}

/// Where a Next or Back leads: the step to show (from 1) and its problems.
pub fn turn(def: &Definition, form: &[(String, String)], lang: Lang, to: Move) -> (usize, Vec<AnswerError>) {
    let steps = steps(def, form);
    let here = at(form, steps.len());
    match to {
        Move::Back => (here.saturating_sub(1).max(1), Vec::new()),
        Move::Next | Move::Send => {
            let errors = steps.get(here - 1).map(|s| step_errors(def, form, lang, s)).unwrap_or_default();
            if errors.is_empty() {
                ((here + 1).min(steps.len().max(1)), errors)
            } else {
                (here, errors)
            }
        }
    }
}

/// What to show after a complete submission that cannot be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Retry {
    /// The step (from 1) holding the first problem.
    pub at: usize,
    /// That step's problems.
    pub errors: Vec<AnswerError>,
    /// The respondent only now asked to be contacted: the step (or page)
    /// asks how to reach them, and that is not a mistake of theirs.
    pub ask_contact: bool,
}

/// The step to show after a complete submission was refused with `errors`
/// (in question order, as [`Definition::validate`] gives them): the first
/// step with a problem, and its problems. A missing follow-up contact the
/// form had no field for is not a problem but the question asked next.
pub fn retry(def: &Definition, form: &[(String, String)], errors: Vec<AnswerError>) -> Retry {
    let contact_field = values(form).contains_key(ids::FOLLOW_UP_CONTACT);
    let contact_missing = errors.iter().any(|e| e.question == ids::FOLLOW_UP_CONTACT) && !contact_field;
    let errors: Vec<AnswerError> = errors.into_iter().filter(|e| !(contact_missing && e.question == ids::FOLLOW_UP_CONTACT)).collect();
    let steps = steps(def, form);
    let wanted = |id: &str| steps.iter().position(|s| s.asks(id));
    let first = match errors.first() {
        Some(e) => wanted(&e.question),
        None if contact_missing => wanted(ids::FOLLOW_UP_CONTACT),
        None => None,
    };
    let shown = first.map(|i| i + 1).unwrap_or_else(|| at(form, steps.len()));
    let errors = match steps.get(shown - 1) {
        Some(step) => errors.into_iter().filter(|e| step.asks(&e.question)).collect(),
        None => errors,
    };
    Retry { at: shown, errors, ask_contact: contact_missing }
}

/// The answers of `form` to carry on a page showing `step`, as hidden
/// fields: every non-empty answer to a question of the survey the step
/// does not show (form fields that are not answers stay behind).
pub fn carried<'f>(def: &Definition, form: &'f [(String, String)], step: Option<&Step>) -> Vec<(&'f str, &'f str)> {
    form.iter()
        .filter(|(k, v)| !v.trim().is_empty() && def.question(k).is_some() && !step.is_some_and(|s| s.asks(k)))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::{keys, t};
    use crate::domain::project::Settings;
    use crate::domain::survey::generate;
    use serde_json::json;

    fn settings() -> Settings {
        serde_json::from_value::<Settings>(json!({ "organisation_name": "Café Aroma", "business_type": "B2C",
            "b2c": { "measure_in_person": true, "locations": ["Berlin", "Hamburg"] },
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] },
            "demographics": [{ "label": { "en": "Age group" }, "options": ["18–34", "35+"] }] }))
        .unwrap()
        .normalise()
        .unwrap()
    }

    fn assessment() -> Definition {
        generate("p", Kind::Assessment, &settings(), 1)
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn ids_of<'a>(step: &Step<'a>) -> Vec<&'a str> {
        step.questions.iter().map(|q| q.id.as_str()).collect()
    }

    #[test]
    fn the_assessment_has_one_step_per_area_and_the_contact_step_only_after_a_yes() {
        let d = assessment();
        let steps = steps(&d, &[]);
        let sections: Vec<Section> = steps.iter().map(|s| s.section).collect();
        assert_eq!(
            sections,
            [
                Section::Communication,
                Section::Action,
                Section::Confidence,
                Section::InPerson,
                Section::Metrics,
                Section::CustomerNeeds,
                Section::AboutYou,
                Section::FollowUp
            ]
        );
        assert_eq!(ids_of(&steps[0]), [ids::COMM_FREQUENCY, ids::COMM_CHANNELS, ids::COMM_MET]);
        assert_eq!(ids_of(&steps[4]), [ids::NPS, ids::CSAT, ids::CES]);
        assert_eq!(ids_of(&steps[6]), [ids::LOCATION, "demo_1"]);
        assert_eq!(ids_of(&steps[7]), [ids::FOLLOW_UP], "no contact question before the respondent says yes");
        let every: usize = steps.iter().map(|s| s.questions.len()).sum();
        assert_eq!(every, d.questions.len() - 1, "every question but the contact is on a step");

        let yes = steps_of(&d, &[("follow_up", "yes")]);
        assert_eq!(yes.len(), 9);
        assert_eq!(ids_of(&yes[8]), [ids::FOLLOW_UP_CONTACT], "the contact question is a step of its own, after the yes");
        assert_eq!(steps_of(&d, &[("follow_up", "no")]).len(), 8);
    }

    fn steps_of<'a>(d: &'a Definition, pairs: &[(&str, &str)]) -> Vec<Step<'a>> {
        steps(d, &form(pairs))
    }

    #[test]
    fn the_quick_check_in_is_one_page_with_the_contact_question_only_after_a_yes() {
        let d = generate("p", Kind::QuickCheckIn, &settings(), 1);
        let page = steps(&d, &[]);
        assert_eq!(page.len(), 1);
        assert!(page[0].asks(ids::NPS) && page[0].asks(ids::FOLLOW_UP) && !page[0].asks(ids::FOLLOW_UP_CONTACT));
        let page = steps_of(&d, &[("follow_up", "yes")]);
        assert_eq!(page.len(), 1);
        assert!(page[0].asks(ids::FOLLOW_UP_CONTACT));
    }

    #[test]
    fn next_checks_only_the_steps_own_questions_and_back_checks_nothing() {
        let d = assessment();
        // step 1 with its required frequency unanswered; later steps unanswered too
        let f = form(&[("at", "1"), ("comm_met", "4")]);
        let (shown, errors) = turn(&d, &f, Lang::De, Move::Next);
        assert_eq!(shown, 1, "the step is shown again");
        assert_eq!(errors, vec![AnswerError { question: ids::COMM_FREQUENCY.into(), message: t(Lang::De, keys::ERR_REQUIRED) }]);
        // answered: the next step, though the later steps are still empty
        let f = form(&[("at", "1"), ("comm_met", "4"), ("comm_frequency", "weekly")]);
        assert_eq!(turn(&d, &f, Lang::De, Move::Next), (2, vec![]));
        // an answer outside the scale on this step is caught
        let f = form(&[("at", "2"), ("action_satisfaction", "9"), ("action_relevance", "4"), ("action_timeliness", "4")]);
        assert_eq!(turn(&d, &f, Lang::En, Move::Next).1[0].message, t(Lang::En, keys::ERR_OUT_OF_RANGE));
        // back: unchecked, never before the first step
        assert_eq!(turn(&d, &form(&[("at", "3")]), Lang::En, Move::Back), (2, vec![]));
        assert_eq!(turn(&d, &form(&[("at", "1")]), Lang::En, Move::Back), (1, vec![]));
        // a step number out of range is held to the steps there are
        assert_eq!(at(&form(&[("at", "99")]), 8), 8);
        assert_eq!(at(&form(&[("at", "zero")]), 8), 1);
        assert_eq!(at(&form(&[("at", "0")]), 8), 1);
    }

    #[test]
    fn saying_yes_leads_to_the_contact_step_which_then_needs_a_contact() {
        let d = assessment();
        let f = form(&[("at", "8"), ("follow_up", "yes")]);
        assert_eq!(turn(&d, &f, Lang::En, Move::Next), (9, vec![]));
        let f = form(&[("at", "9"), ("follow_up", "yes"), ("follow_up_contact", "")]);
        let (shown, errors) = turn(&d, &f, Lang::En, Move::Next);
        assert_eq!((shown, errors[0].message.as_str()), (9, t(Lang::En, keys::ERR_CONTACT_NEEDED).as_str()));
    }

    fn complete() -> Vec<(&'static str, &'static str)> {
        vec![
            ("comm_frequency", "weekly"),
            ("comm_met", "4"),
            ("action_satisfaction", "5"),
            ("action_relevance", "4"),
            ("action_timeliness", "3"),
            ("confidence", "5"),
            ("in_person_change", "less"),
            ("in_person_preference", "online"),
            ("nps", "10"),
            ("csat", "5"),
            ("ces", "6"),
        ]
    }

    #[test]
    fn a_refused_submission_shows_the_first_step_with_a_problem_and_only_its_problems() {
        let d = assessment();
        let mut f = complete();
        f.retain(|(k, _)| *k != "action_relevance" && *k != "csat");
        let f = form(&f);
        let errors = d.validate(&f, Lang::En).unwrap_err();
        assert_eq!(errors.len(), 2);
        let r = retry(&d, &f, errors);
        assert_eq!(r.at, 2);
        assert_eq!(r.errors.iter().map(|e| e.question.as_str()).collect::<Vec<_>>(), [ids::ACTION_RELEVANCE]);
        assert!(!r.ask_contact);
    }

    #[test]
    fn a_yes_without_a_contact_field_asks_for_the_contact_and_is_no_mistake() {
        let d = assessment();
        let mut f = complete();
        f.push(("follow_up", "yes"));
        let f = form(&f);
        let r = retry(&d, &f, d.validate(&f, Lang::En).unwrap_err());
        assert_eq!(r, Retry { at: 9, errors: vec![], ask_contact: true });
        // the field was on the page and left empty: that is a mistake
        let mut f = f.clone();
        f.push(("follow_up_contact".into(), " ".into()));
        let r = retry(&d, &f, d.validate(&f, Lang::En).unwrap_err());
        assert_eq!(r.at, 9);
        assert!(!r.ask_contact);
        assert_eq!(r.errors[0].message, t(Lang::En, keys::ERR_CONTACT_NEEDED));
        // on one page: the page itself, with the contact question now asked
        let quick = generate("p", Kind::QuickCheckIn, &settings(), 1);
        let f = form(&[
            ("comm_met", "4"),
            ("action_satisfaction", "5"),
            ("confidence", "5"),
            ("nps", "9"),
            ("csat", "5"),
            ("ces", "6"),
            ("follow_up", "yes"),
        ]);
        let r = retry(&quick, &f, quick.validate(&f, Lang::En).unwrap_err());
        assert_eq!(r, Retry { at: 1, errors: vec![], ask_contact: true });
        assert!(steps(&quick, &f)[0].asks(ids::FOLLOW_UP_CONTACT));
    }

    #[test]
    fn the_hidden_carry_over_holds_the_other_steps_answers_only() {
        let d = assessment();
        let f = form(&[
            ("lang", "en"),
            ("at", "2"),
            ("step", "next"),
            ("ft", "token"),
            ("comm_frequency", "weekly"),
            ("comm_channels", "email"),
            ("comm_channels", "app"),
            ("needs", "\"><script>alert(1)</script>"),
            ("action_satisfaction", "4"),
            ("nps", ""),
            ("not_a_question", "x"),
        ]);
        let steps = steps(&d, &f);
        let carried = carried(&d, &f, Some(&steps[1]));
        assert_eq!(
            carried,
            [("comm_frequency", "weekly"), ("comm_channels", "email"), ("comm_channels", "app"), ("needs", "\"><script>alert(1)</script>"),],
            "the shown step's own answers, empty answers and the form's other fields are not carried"
        );
    }
}
