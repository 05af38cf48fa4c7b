//! The survey, generated from a project's settings as data: the same
//! definition drives the respondent page, the validation of answers and the
//! reports. Publishing freezes a definition under a version number.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::i18n::{keys, localized, pick, t, t_args, Arg, Lang, Localized};
use super::project::{self, BusinessType, Kind, Settings};

/// The areas a question belongs to (the assessment's five, the standard
/// metrics, and who the respondent is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Communication,
    Action,
    Confidence,
    InPerson,
    Metrics,
    CustomerNeeds,
    AboutYou,
    FollowUp,
}

impl Section {
    /// The heading shown above the section.
    pub fn title(self) -> Localized {
        localized(
            match self {
                Section::Communication => keys::SECTION_COMMUNICATION,
                Section::Action => keys::SECTION_ACTION,
                Section::Confidence => keys::SECTION_CONFIDENCE,
                Section::InPerson => keys::SECTION_IN_PERSON,
                Section::Metrics => keys::SECTION_METRICS,
                Section::CustomerNeeds => keys::SECTION_CUSTOMER_NEEDS,
                Section::AboutYou => keys::SECTION_ABOUT_YOU,
                Section::FollowUp => keys::SECTION_FOLLOW_UP,
            },
            &[],
        )
    }
}

/// One answer option: the stored value and its label per language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Localized,
}

/// How a question is answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answering {
    /// A whole number from `min` to `max`, with labels at both ends.
    Scale { min: i64, max: i64, min_label: Localized, max_label: Localized },
    /// Exactly one option.
    Single { choices: Vec<Choice> },
    /// Any number of options.
    Multi { choices: Vec<Choice> },
    /// Free text of at most `max_chars` characters.
    Text { max_chars: usize, multiline: bool },
}

/// A question of the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id: the form field name and the key of the stored answer.
    pub id: String,
    pub section: Section,
    pub text: Localized,
    pub required: bool,
    pub answering: Answering,
    /// Only asked when the question `id` was answered with `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_if: Option<(String, String)>,
}

/// A frozen survey: what respondents see and what answers are checked against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub project_id: String,
    /// 0 for the draft preview, 1, 2, … once published.
    pub version: u32,
    pub kind: Kind,
    pub organisation_name: String,
    pub languages: Vec<Lang>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_page_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_key: Option<String>,
    pub questions: Vec<Question>,
}

/// Ids of the standard questions, used by the reports.
pub mod ids {
    pub const NPS: &str = "nps";
    pub const CSAT: &str = "csat";
    pub const CES: &str = "ces";
    pub const COMM_FREQUENCY: &str = "comm_frequency";
    pub const COMM_CHANNELS: &str = "comm_channels";
    pub const COMM_MET: &str = "comm_met";
    pub const ACTION_SATISFACTION: &str = "action_satisfaction";
    pub const ACTION_RELEVANCE: &str = "action_relevance";
    pub const ACTION_TIMELINESS: &str = "action_timeliness";
    pub const CONFIDENCE: &str = "confidence";
    pub const IN_PERSON_CHANGE: &str = "in_person_change";
    pub const IN_PERSON_CHANNELS: &str = "in_person_channels";
    pub const IN_PERSON_PREFERENCE: &str = "in_person_preference";
    pub const NEEDS: &str = "needs";
    pub const INDUSTRY: &str = "industry";
    pub const COMPANY_SIZE: &str = "company_size";
    pub const LOCATION: &str = "location";
    pub const FOLLOW_UP: &str = "follow_up";
    pub const FOLLOW_UP_CONTACT: &str = "follow_up_contact";
    /// Demographic questions are `demo_1`, `demo_2`, … in settings order.
    pub const DEMOGRAPHIC_PREFIX: &str = "demo_";
}

/// Options with fixed values, labelled from the translations.
fn choices(items: &[(&str, &str)]) -> Vec<Choice> {
    items.iter().map(|(value, key)| Choice { value: value.to_string(), label: localized(key, &[]) }).collect()
}

/// A project's own options: labelled as written, except the defaults the
/// project kept (`defaults` with their message ids `labels`), which are
/// translated; the stored value is the option as written either way.
fn listed_choices(items: &[String], defaults: &[&str], labels: &[&'static str]) -> Vec<Choice> {
    items
        .iter()
        .map(|item| Choice {
            value: item.clone(),
            label: match project::default_label(item, defaults, labels) {
                Some(key) => localized(key, &[]),
                None => Lang::ALL.iter().map(|l| (*l, item.clone())).collect(),
            },
        })
        .collect()
}

fn scale(min: i64, max: i64, min_label: &str, max_label: &str) -> Answering {
    Answering::Scale { min, max, min_label: localized(min_label, &[]), max_label: localized(max_label, &[]) }
}

fn agreement_scale() -> Answering {
    scale(1, 5, keys::SCALE_SATISFACTION_MIN, keys::SCALE_SATISFACTION_MAX)
}

fn q(id: &str, section: Section, text: Localized, required: bool, answering: Answering) -> Question {
    Question { id: id.to_string(), section, text, required, answering, shown_if: None }
}

/// Generates the survey a project's settings describe, with every text in
/// every language (a frozen version keeps them as they were).
pub fn generate(project_id: &str, kind: Kind, settings: &Settings, version: u32) -> Definition {
    use ids::*;
    use Section::*;
    let org: &[(&str, Arg)] = &[("org", settings.organisation_name.as_str().into())];
    let text = |key: &str| localized(key, org);
    let mut questions = Vec::new();
    let assessment = kind == Kind::Assessment;

    // Communication
    if assessment {
        questions.push(q(
            COMM_FREQUENCY,
            Communication,
            text(keys::Q_COMM_FREQUENCY),
            true,
            Answering::Single {
                choices: choices(&[
                    ("daily", keys::FREQ_DAILY),
                    ("weekly", keys::FREQ_WEEKLY),
                    ("every_two_weeks", keys::FREQ_EVERY_TWO_WEEKS),
                    ("monthly", keys::FREQ_MONTHLY),
                    ("when_something_changes", keys::FREQ_WHEN_SOMETHING_CHANGES),
                ]),
            },
        ));
        questions.push(q(
            COMM_CHANNELS,
            Communication,
            text(keys::Q_COMM_CHANNELS),
            false,
            Answering::Multi {
                choices: choices(&[
                    ("email", keys::CHANNEL_EMAIL),
                    ("website", keys::CHANNEL_WEBSITE),
                    ("social_media", keys::CHANNEL_SOCIAL_MEDIA),
                    ("app", keys::CHANNEL_APP),
                    ("sms", keys::CHANNEL_SMS),
                    ("phone", keys::CHANNEL_PHONE),
                    ("in_person", keys::CHANNEL_IN_PERSON),
                ]),
            },
        ));
    }
    questions.push(q(
        COMM_MET,
        Communication,
        text(keys::Q_COMM_MET),
        true,
        scale(1, 5, keys::SCALE_EXPECTATIONS_MIN, keys::SCALE_EXPECTATIONS_MAX),
    ));

    // Action
    questions.push(q(ACTION_SATISFACTION, Action, text(keys::Q_ACTION_SATISFACTION), true, agreement_scale()));
    if assessment {
        questions.push(q(
            ACTION_RELEVANCE,
            Action,
            text(keys::Q_ACTION_RELEVANCE),
            true,
            scale(1, 5, keys::SCALE_RELEVANCE_MIN, keys::SCALE_RELEVANCE_MAX),
        ));
        questions.push(q(
            ACTION_TIMELINESS,
            Action,
            text(keys::Q_ACTION_TIMELINESS),
            true,
            scale(1, 5, keys::SCALE_TIMELINESS_MIN, keys::SCALE_TIMELINESS_MAX),
        ));
    }

    // Confidence
    questions.push(q(
        CONFIDENCE,
        Confidence,
        text(keys::Q_CONFIDENCE),
        true,
        scale(1, 5, keys::SCALE_CONFIDENCE_MIN, keys::SCALE_CONFIDENCE_MAX),
    ));

    // In-person interaction (B2C, when measured)
    if let (true, Some(b2c)) = (assessment, settings.b2c.as_ref().filter(|b| b.measure_in_person)) {
        questions.push(q(
            IN_PERSON_CHANGE,
            InPerson,
            text(keys::Q_IN_PERSON_CHANGE),
            true,
            Answering::Single {
                choices: choices(&[
                    ("more", keys::VISITS_MORE),
                    ("same", keys::VISITS_SAME),
                    ("less", keys::VISITS_LESS),
                    ("stopped", keys::VISITS_STOPPED),
                    ("never", keys::VISITS_NEVER),
                ]),
            },
        ));
        questions.push(q(
            IN_PERSON_CHANNELS,
            InPerson,
            text(keys::Q_IN_PERSON_CHANNELS),
            false,
            Answering::Multi { choices: listed_choices(&b2c.channels, &project::DEFAULT_CHANNELS, &project::DEFAULT_CHANNEL_LABELS) },
        ));
        questions.push(q(
            IN_PERSON_PREFERENCE,
            InPerson,
            text(keys::Q_IN_PERSON_PREFERENCE),
            true,
            Answering::Single {
                choices: choices(&[
                    ("in_person", keys::PREFER_IN_PERSON),
                    ("in_person_with_measures", keys::PREFER_IN_PERSON_WITH_MEASURES),
                    ("online", keys::PREFER_ONLINE),
                    ("phone", keys::PREFER_PHONE),
                ]),
            },
        ));
    }

    // The standard metrics
    questions.push(q(NPS, Metrics, text(keys::Q_NPS), true, scale(0, 10, keys::NPS_MIN, keys::NPS_MAX)));
    questions.push(q(CSAT, Metrics, text(keys::Q_CSAT), true, agreement_scale()));
    questions.push(q(CES, Metrics, text(keys::Q_CES), true, scale(1, 7, keys::SCALE_EFFORT_MIN, keys::SCALE_EFFORT_MAX)));

    // Customer needs (open text)
    questions.push(q(NEEDS, CustomerNeeds, text(keys::Q_NEEDS), false, Answering::Text { max_chars: 4000, multiline: true }));

    // About you: B2B industry and size, or B2C location; then demographics.
    match settings.business_type {
        BusinessType::B2B => {
            if let Some(b2b) = &settings.b2b {
                questions.push(q(
                    INDUSTRY,
                    AboutYou,
                    text(keys::Q_INDUSTRY),
                    false,
                    Answering::Single {
                        choices: listed_choices(&b2b.industries, &project::DEFAULT_INDUSTRIES, &project::DEFAULT_INDUSTRY_LABELS),
                    },
                ));
                let measure = b2b.company_size.measure;
                let question = match measure {
                    project::SizeMeasure::Revenue => keys::Q_SIZE_REVENUE,
                    project::SizeMeasure::Employees => keys::Q_SIZE_EMPLOYEES,
                };
                let (defaults, labels): (Vec<&str>, Vec<&'static str>) = project::default_band_labels(measure).iter().copied().unzip();
                questions.push(q(
                    COMPANY_SIZE,
                    AboutYou,
                    text(question),
                    false,
                    Answering::Single { choices: listed_choices(&b2b.company_size.bands, &defaults, &labels) },
                ));
            }
        }
        BusinessType::B2C => {
            if let Some(b2c) = &settings.b2c {
                questions.push(q(
                    LOCATION,
                    AboutYou,
                    text(keys::Q_LOCATION),
                    false,
                    Answering::Single { choices: listed_choices(&b2c.locations, &project::US_STATES, &project::US_STATE_LABELS) },
                ));
            }
        }
    }
    for (i, d) in settings.demographics.iter().enumerate() {
        let answering = if d.options.is_empty() {
            Answering::Text { max_chars: 200, multiline: false }
        } else {
            Answering::Single { choices: listed_choices(&d.options, &[], &[]) }
        };
        questions.push(Question {
            id: format!("{DEMOGRAPHIC_PREFIX}{}", i + 1),
            section: AboutYou,
            text: d.label.clone(),
            required: false,
            answering,
            shown_if: None,
        });
    }

    // Follow-up consent
    if settings.follow_ups.enabled {
        questions.push(q(
            FOLLOW_UP,
            FollowUp,
            text(keys::Q_FOLLOW_UP),
            false,
            Answering::Single { choices: choices(&[("yes", keys::FOLLOW_UP_YES), ("no", keys::FOLLOW_UP_NO)]) },
        ));
        let mut contact =
            q(FOLLOW_UP_CONTACT, FollowUp, text(keys::Q_FOLLOW_UP_CONTACT), true, Answering::Text { max_chars: 200, multiline: false });
        contact.shown_if = Some((FOLLOW_UP.to_string(), "yes".to_string()));
        questions.push(contact);
    }

    apply_edits(&mut questions, settings);
    Definition {
        project_id: project_id.to_string(),
        version,
        kind,
        organisation_name: settings.organisation_name.clone(),
        languages: settings.languages.clone(),
        resource_page_url: settings.resource_page_url.clone(),
        logo_key: settings.logo.as_ref().map(|l| l.key.clone()),
        questions,
    }
}

/// The most characters of a question's changed wording.
pub const MAX_WORDING_CHARS: usize = 500;

/// The operators' changes to the generated questions: hidden optional
/// questions are left out (with the questions shown only after them), and
/// changed wording replaces the generated text in its language.
fn apply_edits(questions: &mut Vec<Question>, settings: &Settings) {
    let hidden = |id: &str| settings.hidden_questions.iter().any(|h| h == id);
    let dropped: Vec<String> = questions.iter().filter(|q| !q.required && hidden(&q.id)).map(|q| q.id.clone()).collect();
    questions.retain(|q| !dropped.contains(&q.id) && !q.shown_if.as_ref().is_some_and(|(parent, _)| dropped.contains(parent)));
    for q in questions.iter_mut() {
        for (lang, text) in settings.wording.get(&q.id).into_iter().flatten() {
            if !text.trim().is_empty() {
                q.text.insert(*lang, text.trim().to_string());
            }
        }
    }
}

/// Whether the settings' question changes fit the survey of `kind`: each
/// changed wording names a question of it, in a language of the project, at
/// most [`MAX_WORDING_CHARS`] long; each hidden question is an optional one.
pub fn check_edits(kind: Kind, settings: &Settings) -> Result<(), crate::domain::project::SettingError> {
    use crate::domain::project::SettingError;
    let plain = Settings { wording: Default::default(), hidden_questions: vec![], ..settings.clone() };
    let survey = generate("check", kind, &plain, 0);
    let err = |field: String, message: String| Err(SettingError { field, message });
    for (id, texts) in &settings.wording {
        if survey.question(id).is_none() {
            return err(format!("wording.{id}"), format!("the survey has no question {id:?}"));
        }
        for (lang, text) in texts {
            if !settings.languages.contains(lang) {
                return err(format!("wording.{id}.{}", lang.code()), format!("{} is not a language of the project", lang.code()));
            }
            if text.chars().count() > MAX_WORDING_CHARS {
                return err(format!("wording.{id}.{}", lang.code()), format!("at most {MAX_WORDING_CHARS} characters"));
            }
        }
    }
    for id in &settings.hidden_questions {
        match survey.question(id) {
            None => return err("hidden_questions".into(), format!("the survey has no question {id:?}")),
            Some(q) if q.required => return err("hidden_questions".into(), format!("{id:?} is required and cannot be hidden")),
            Some(_) => {}
        }
    }
    Ok(())
}

/// One difference between two versions of a survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Organisation,
    Languages,
    ResourceLink,
    Logo,
    /// A question asked now that was not before (its id).
    Added(String),
    /// A question no longer asked.
    Removed(String),
    /// A question's text, its answers or when it is shown changed.
    Changed(String),
}

/// What changed from `before` to `after`, survey-wide changes first, then
/// the questions in the order of `after` (removed ones last).
pub fn changes(before: &Definition, after: &Definition) -> Vec<Change> {
    let mut out = Vec::new();
    if before.organisation_name != after.organisation_name {
        out.push(Change::Organisation);
    }
    if before.languages != after.languages {
        out.push(Change::Languages);
    }
    if before.resource_page_url != after.resource_page_url {
        out.push(Change::ResourceLink);
    }
    if before.logo_key != after.logo_key {
        out.push(Change::Logo);
    }
    for q in &after.questions {
        match before.question(&q.id) {
            None => out.push(Change::Added(q.id.clone())),
            Some(old) if old.text != q.text || old.answering != q.answering || old.required != q.required || old.shown_if != q.shown_if => {
                out.push(Change::Changed(q.id.clone()))
            }
            Some(_) => {}
        }
    }
    for q in &before.questions {
        if after.question(&q.id).is_none() {
            out.push(Change::Removed(q.id.clone()));
        }
    }
    out
}

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Number(i64),
    Text(String),
    Many(Vec<String>),
}

/// A problem with one answer, worded for the respondent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerError {
    /// The question id, or `form` for the form as a whole.
    pub question: String,
    pub message: String,
}

/// Whether a text looks like an email address or a phone number.
pub fn is_email_or_phone(text: &str) -> bool {
    let t = text.trim();
    if t.contains('@') {
        return super::mail::parse_email(t).is_ok();
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits) && t.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

impl Definition {
    /// Checks submitted form fields (name, value; repeated names for
    /// multiple choice) against the survey: types, ranges, required answers,
    /// option membership, conditional questions. Returns the answers to
    /// store, or every problem found, in question order.
    pub fn validate(&self, form: &[(String, String)], lang: Lang) -> Result<BTreeMap<String, Answer>, Vec<AnswerError>> {
        let mut values: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (k, v) in form {
            values.entry(k.as_str()).or_default().push(v.as_str());
        }
        let mut answers = BTreeMap::new();
        let mut errors = Vec::new();
        let error = |q: &Question, key: &str| AnswerError { question: q.id.clone(), message: t(lang, key) };
        for q in &self.questions {
            if let Some((other, wanted)) = &q.shown_if {
                let shown = values.get(other.as_str()).is_some_and(|v| v.iter().any(|x| x.trim() == wanted));
                if !shown {
                    continue;
                }
            }
            let given: Vec<&str> =
                values.get(q.id.as_str()).map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
            if given.is_empty() {
                if q.required {
                    errors.push(if q.id == ids::FOLLOW_UP_CONTACT {
                        error(q, keys::ERR_CONTACT_NEEDED)
                    } else {
                        error(q, keys::ERR_REQUIRED)
                    });
                }
                continue;
            }
            match &q.answering {
                Answering::Scale { min, max, .. } => match (given.len(), given[0].parse::<i64>()) {
                    (1, Ok(n)) if (*min..=*max).contains(&n) => {
                        answers.insert(q.id.clone(), Answer::Number(n));
                    }
                    (1, Ok(_)) => errors.push(error(q, keys::ERR_OUT_OF_RANGE)),
                    _ => errors.push(error(q, keys::ERR_NOT_A_NUMBER)),
                },
                Answering::Single { choices } => {
                    if given.len() == 1 && choices.iter().any(|c| c.value == given[0]) {
                        answers.insert(q.id.clone(), Answer::Text(given[0].to_string()));
                    } else {
                        errors.push(error(q, keys::ERR_NOT_AN_OPTION));
                    }
                }
                Answering::Multi { choices } => {
                    if given.iter().all(|g| choices.iter().any(|c| c.value == *g)) {
                        let mut picked: Vec<String> = Vec::new();
                        for c in choices.iter().filter(|c| given.contains(&c.value.as_str())) {
                            picked.push(c.value.clone());
                        }
                        answers.insert(q.id.clone(), Answer::Many(picked));
                    } else {
                        errors.push(error(q, keys::ERR_NOT_AN_OPTION));
                    }
                }
                Answering::Text { max_chars, .. } => {
                    let text = given.join("\n");
                    if text.chars().count() > *max_chars {
                        let message = t_args(lang, keys::ERR_TOO_LONG, &[("max", (*max_chars).into())]);
                        errors.push(AnswerError { question: q.id.clone(), message });
                    } else if q.id == ids::FOLLOW_UP_CONTACT && !is_email_or_phone(&text) {
                        errors.push(error(q, keys::ERR_CONTACT_INVALID));
                    } else {
                        answers.insert(q.id.clone(), Answer::Text(text));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(errors)
        }
    }

    /// The question with `id`.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The label of a choice value, in `lang`.
    pub fn choice_label<'a>(&'a self, id: &str, value: &'a str, lang: Lang) -> &'a str {
        let choices = match self.question(id).map(|q| &q.answering) {
            Some(Answering::Single { choices } | Answering::Multi { choices }) => choices,
            _ => return value,
        };
        choices.iter().find(|c| c.value == value).map(|c| pick(&c.label, lang)).unwrap_or(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::project::Settings;
    use serde_json::json;

    fn settings(v: serde_json::Value) -> Settings {
        serde_json::from_value::<Settings>(v).unwrap().normalise().unwrap()
    }

    fn b2c_in_person() -> Settings {
        settings(json!({ "organisation_name": "Café Aroma", "business_type": "B2C", "b2c": { "measure_in_person": true },
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] },
            "demographics": [{ "label": { "en": "Age group", "de": "Altersgruppe" }, "options": ["18–34", "35+"] }] }))
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn ids_of(d: &Definition) -> Vec<&str> {
        d.questions.iter().map(|q| q.id.as_str()).collect()
    }

    #[test]
    fn changed_wording_replaces_its_language_and_hidden_optional_questions_go_with_their_follow_ups() {
        let mut s = b2c_in_person();
        s.languages = vec![Lang::En, Lang::De];
        s.wording.insert(ids::NPS.into(), [(Lang::De, "  Würden Sie uns weiterempfehlen?  ".to_string())].into());
        s.hidden_questions = vec![ids::FOLLOW_UP.into()];
        check_edits(Kind::Assessment, &s).unwrap();
        let d = generate("p", Kind::Assessment, &s, 1);
        let nps = d.question(ids::NPS).unwrap();
        assert_eq!(nps.text[&Lang::De], "Würden Sie uns weiterempfehlen?");
        assert!(nps.text[&Lang::En].contains("recommend"), "English keeps the generated text");
        assert!(d.question(ids::FOLLOW_UP).is_none() && d.question(ids::FOLLOW_UP_CONTACT).is_none(), "{:?}", ids_of(&d));
    }

    #[test]
    fn the_changes_between_versions_are_listed_survey_wide_first() {
        let before = generate("p", Kind::Assessment, &b2c_in_person(), 1);
        let mut s = b2c_in_person();
        s.organisation_name = "Café Aroma Berlin".into();
        s.languages = vec![Lang::En, Lang::De];
        s.hidden_questions = vec![ids::COMM_CHANNELS.into()];
        s.wording.insert(ids::NPS.into(), [(Lang::En, "Would you recommend us?".to_string())].into());
        let after = generate("p", Kind::Assessment, &s, 2);
        let c = changes(&before, &after);
        assert_eq!(c[..2], [Change::Organisation, Change::Languages]);
        assert!(c.contains(&Change::Changed(ids::NPS.into())));
        assert!(c.contains(&Change::Removed(ids::COMM_CHANNELS.into())));
        assert!(changes(&after, &after).is_empty());
    }

    #[test]
    fn question_changes_name_what_is_wrong() {
        let mut s = b2c_in_person();
        s.hidden_questions = vec![ids::NPS.into()];
        assert_eq!(check_edits(Kind::Assessment, &s).unwrap_err().message, "\"nps\" is required and cannot be hidden");
        let mut s = b2c_in_person();
        s.wording.insert("nope".into(), [(Lang::En, "x".to_string())].into());
        assert_eq!(check_edits(Kind::Assessment, &s).unwrap_err().field, "wording.nope");
        let mut s = b2c_in_person();
        s.wording.insert(ids::NPS.into(), [(Lang::Fi, "x".to_string())].into());
        assert_eq!(check_edits(Kind::Assessment, &s).unwrap_err().field, "wording.nps.fi", "Finnish is not a language of the project");
        let mut s = b2c_in_person();
        s.wording.insert(ids::NPS.into(), [(Lang::En, "x".repeat(MAX_WORDING_CHARS + 1))].into());
        assert!(check_edits(Kind::Assessment, &s).is_err());
        // a question of the assessment only is unknown to a quick check-in
        let mut s = b2c_in_person();
        s.hidden_questions = vec![ids::COMM_CHANNELS.into()];
        assert!(check_edits(Kind::Assessment, &s).is_ok());
        assert!(check_edits(Kind::QuickCheckIn, &s).is_err());
    }

    #[test]
    fn the_assessment_covers_all_five_areas_and_the_metrics() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 1);
        let sections: std::collections::BTreeSet<Section> = d.questions.iter().map(|q| q.section).collect();
        for s in [
            Section::Communication,
            Section::Action,
            Section::Confidence,
            Section::InPerson,
            Section::CustomerNeeds,
            Section::Metrics,
            Section::AboutYou,
            Section::FollowUp,
        ] {
            assert!(sections.contains(&s), "{s:?} missing");
        }
        let ids = ids_of(&d);
        for id in [ids::NPS, ids::CSAT, ids::CES, ids::LOCATION, "demo_1", ids::FOLLOW_UP, ids::FOLLOW_UP_CONTACT] {
            assert!(ids.contains(&id), "{id} missing");
        }
        assert!(d.questions.iter().all(|q| q.text.contains_key(&Lang::En) && q.text.contains_key(&Lang::De)));
        assert!(pick(&d.question(ids::NPS).unwrap().text, Lang::De).contains("Café Aroma"));
    }

    #[test]
    fn the_quick_check_in_is_a_short_subset_of_the_assessment() {
        let s = b2c_in_person();
        let quick = generate("p1", Kind::QuickCheckIn, &s, 1);
        let full = generate("p1", Kind::Assessment, &s, 1);
        assert!(quick.questions.len() < full.questions.len());
        assert!(ids_of(&quick).iter().all(|id| ids_of(&full).contains(id)));
        assert!(!ids_of(&quick).contains(&ids::IN_PERSON_CHANGE));
        assert!(ids_of(&quick).contains(&ids::NPS));
    }

    #[test]
    fn in_person_questions_only_when_measured_and_b2b_asks_industry_and_size() {
        let no_in_person = settings(json!({ "organisation_name": "A", "business_type": "B2C" }));
        assert!(!ids_of(&generate("p", Kind::Assessment, &no_in_person, 1)).contains(&ids::IN_PERSON_CHANGE));
        let b2b =
            settings(json!({ "organisation_name": "A", "business_type": "B2B", "b2b": { "company_size": { "measure": "revenue" } } }));
        let d = generate("p", Kind::Assessment, &b2b, 1);
        assert!(ids_of(&d).contains(&ids::INDUSTRY) && ids_of(&d).contains(&ids::COMPANY_SIZE));
        assert!(!ids_of(&d).contains(&ids::LOCATION) && !ids_of(&d).contains(&ids::FOLLOW_UP));
    }

    fn complete() -> Vec<(&'static str, &'static str)> {
        vec![
            ("comm_frequency", "weekly"),
            ("comm_channels", "email"),
            ("comm_channels", "app"),
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
            ("needs", "  <b>More</b> opening hours "),
            ("location", "Texas"),
            ("demo_1", "35+"),
        ]
    }

    #[test]
    fn a_complete_form_becomes_typed_answers() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 1);
        let a = d.validate(&form(&complete()), Lang::En).unwrap();
        assert_eq!(a["nps"], Answer::Number(10));
        assert_eq!(a["comm_channels"], Answer::Many(vec!["email".into(), "app".into()]));
        assert_eq!(a["needs"], Answer::Text("<b>More</b> opening hours".into()));
        assert!(!a.contains_key("follow_up_contact"));
    }

    #[test]
    fn every_rejection_names_its_question_in_the_page_language() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 1);
        let mut f = complete();
        f.retain(|(k, _)| *k != "csat");
        f.iter_mut().for_each(|(k, v)| {
            if *k == "nps" {
                *v = "11"
            }
            if *k == "ces" {
                *v = "easy"
            }
            if *k == "location" {
                *v = "Atlantis"
            }
            if *k == "comm_channels" {
                *v = "carrier pigeon"
            }
        });
        let errors = d.validate(&form(&f), Lang::De).unwrap_err();
        let by_q: BTreeMap<&str, &str> = errors.iter().map(|e| (e.question.as_str(), e.message.as_str())).collect();
        assert_eq!(by_q["csat"], t(Lang::De, keys::ERR_REQUIRED));
        assert_eq!(by_q["nps"], t(Lang::De, keys::ERR_OUT_OF_RANGE));
        assert_eq!(by_q["ces"], t(Lang::De, keys::ERR_NOT_A_NUMBER));
        assert_eq!(by_q["location"], t(Lang::De, keys::ERR_NOT_AN_OPTION));
        assert_eq!(by_q["comm_channels"], t(Lang::De, keys::ERR_NOT_AN_OPTION));
        assert_eq!(errors.len(), 5);
    }

    #[test]
    fn a_text_over_its_limit_is_refused_naming_the_limit() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 1);
        let mut f = complete();
        let long = "x".repeat(4001);
        f.push(("needs", long.as_str()));
        f.retain(|(k, v)| *k != "needs" || v.len() > 100);
        let errors = d.validate(&form(&f), Lang::Fi).unwrap_err();
        assert_eq!(
            errors,
            vec![AnswerError { question: "needs".into(), message: "Vastaus on liian pitkä: enintään 4000 merkkiä.".into() }]
        );
    }

    #[test]
    fn asking_for_follow_up_needs_a_reachable_contact() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 1);
        let mut f = complete();
        f.push(("follow_up", "yes"));
        let errors = d.validate(&form(&f), Lang::En).unwrap_err();
        assert_eq!(errors, vec![AnswerError { question: "follow_up_contact".into(), message: t(Lang::En, keys::ERR_CONTACT_NEEDED) }]);
        f.push(("follow_up_contact", "call me maybe"));
        assert_eq!(d.validate(&form(&f), Lang::En).unwrap_err()[0].message, t(Lang::En, keys::ERR_CONTACT_INVALID));
        f.pop();
        f.push(("follow_up_contact", "+49 30 1234567"));
        assert_eq!(d.validate(&form(&f), Lang::En).unwrap()["follow_up_contact"], Answer::Text("+49 30 1234567".into()));
        // declining needs no contact, and a contact given anyway is not stored
        let mut f = complete();
        f.push(("follow_up", "no"));
        f.push(("follow_up_contact", "x"));
        assert!(!d.validate(&form(&f), Lang::En).unwrap().contains_key("follow_up_contact"));
    }

    #[test]
    fn recognises_emails_and_phone_numbers() {
        assert!(is_email_or_phone("anna@example.fi"));
        assert!(is_email_or_phone("+358 40 123 4567"));
        assert!(!is_email_or_phone("12"));
        assert!(!is_email_or_phone("anna@"));
        assert!(!is_email_or_phone("ring me"));
    }

    #[test]
    fn definitions_round_trip_through_json() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 3);
        let back: Definition = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
