//! The survey, generated from a project's settings as data: the same
//! definition drives the respondent page, the validation of answers and the
//! reports. Publishing freezes a definition under a version number.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::i18n::{keys, localized, pick, t, Lang, Localized};

fn en_de(en: &str, de: &str) -> Localized {
    BTreeMap::from([(Lang::En, en.to_string()), (Lang::De, de.to_string())])
}
use super::project::{BusinessType, Kind, Settings};

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
        match self {
            Section::Communication => en_de("Communication", "Kommunikation"),
            Section::Action => en_de("Our actions", "Unsere Maßnahmen"),
            Section::Confidence => en_de("Confidence", "Vertrauen"),
            Section::InPerson => en_de("Visiting us in person", "Persönliche Besuche vor Ort"),
            Section::Metrics => en_de("Your overall experience", "Ihre Erfahrung insgesamt"),
            Section::CustomerNeeds => en_de("Your needs", "Ihre Anforderungen"),
            Section::AboutYou => en_de("About you", "Über Sie"),
            Section::FollowUp => en_de("Follow-up", "Rückmeldung"),
        }
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

fn choices(items: &[(&str, &str, &str)]) -> Vec<Choice> {
    items.iter().map(|(v, en, de)| Choice { value: v.to_string(), label: en_de(en, de) }).collect()
}

fn plain_choices(items: &[String]) -> Vec<Choice> {
    items
        .iter()
        .map(|i| Choice { value: i.clone(), label: Lang::ALL.iter().map(|l| (*l, i.clone())).collect() })
        .collect()
}

fn agreement_scale() -> Answering {
    Answering::Scale { min: 1, max: 5, min_label: en_de("Very dissatisfied", "Sehr unzufrieden"), max_label: en_de("Very satisfied", "Sehr zufrieden") }
}

fn q(id: &str, section: Section, en: &str, de: &str, required: bool, answering: Answering) -> Question {
    Question { id: id.to_string(), section, text: en_de(en, de), required, answering, shown_if: None }
}

/// Generates the survey a project's settings describe.
pub fn generate(project_id: &str, kind: Kind, settings: &Settings, version: u32) -> Definition {
    use ids::*;
    use Section::*;
    let org = settings.organisation_name.as_str();
    let t = |en: String, de: String| (en, de);
    let mut questions = Vec::new();
    let assessment = kind == Kind::Assessment;

    // Communication
    if assessment {
        let (en, de) = t(
            format!("How often would you like {org} to update you on the measures it is taking?"),
            format!("Wie oft möchten Sie von {org} über die ergriffenen Maßnahmen informiert werden?"),
        );
        questions.push(q(COMM_FREQUENCY, Communication, &en, &de, true, Answering::Single {
            choices: choices(&[
                ("daily", "Daily", "Täglich"),
                ("weekly", "Weekly", "Wöchentlich"),
                ("every_two_weeks", "Every two weeks", "Alle zwei Wochen"),
                ("monthly", "Monthly", "Monatlich"),
                ("when_something_changes", "Only when something changes", "Nur wenn sich etwas ändert"),
            ]),
        }));
        let (en, de) = t(
            format!("Through which channels would you like to hear from {org}?"),
            format!("Über welche Kanäle möchten Sie von {org} hören?"),
        );
        questions.push(q(COMM_CHANNELS, Communication, &en, &de, false, Answering::Multi {
            choices: choices(&[
                ("email", "Email", "E-Mail"),
                ("website", "Website", "Website"),
                ("social_media", "Social media", "Soziale Medien"),
                ("app", "Mobile app", "Mobile App"),
                ("sms", "Text message (SMS)", "SMS"),
                ("phone", "Phone call", "Telefonanruf"),
                ("in_person", "In person", "Persönlich"),
            ]),
        }));
    }
    let (en, de) = t(
        format!("How well does {org}'s communication about its measures meet your expectations?"),
        format!("Wie gut erfüllt die Kommunikation von {org} über ihre Maßnahmen Ihre Erwartungen?"),
    );
    questions.push(q(COMM_MET, Communication, &en, &de, true, Answering::Scale {
        min: 1,
        max: 5,
        min_label: en_de("Far below expectations", "Weit unter den Erwartungen"),
        max_label: en_de("Far above expectations", "Weit über den Erwartungen"),
    }));

    // Action
    let (en, de) = t(
        format!("How satisfied are you with the measures {org} has taken so far?"),
        format!("Wie zufrieden sind Sie mit den Maßnahmen, die {org} bisher ergriffen hat?"),
    );
    questions.push(q(ACTION_SATISFACTION, Action, &en, &de, true, agreement_scale()));
    if assessment {
        questions.push(q(
            ACTION_RELEVANCE,
            Action,
            "How relevant to you are the measures taken?",
            "Wie relevant sind die ergriffenen Maßnahmen für Sie?",
            true,
            Answering::Scale { min: 1, max: 5, min_label: en_de("Not at all relevant", "Überhaupt nicht relevant"), max_label: en_de("Extremely relevant", "Äußerst relevant") },
        ));
        questions.push(q(
            ACTION_TIMELINESS,
            Action,
            "How timely were the measures taken?",
            "Wie rechtzeitig wurden die Maßnahmen ergriffen?",
            true,
            Answering::Scale { min: 1, max: 5, min_label: en_de("Far too late", "Viel zu spät"), max_label: en_de("Right on time", "Genau rechtzeitig") },
        ));
    }

    // Confidence
    let (en, de) = t(
        format!("How confident are you in {org}'s continued ability to meet your changing needs?"),
        format!("Wie sicher sind Sie, dass {org} Ihre sich ändernden Anforderungen auch weiterhin erfüllen kann?"),
    );
    questions.push(q(CONFIDENCE, Confidence, &en, &de, true, Answering::Scale {
        min: 1,
        max: 5,
        min_label: en_de("Not at all confident", "Überhaupt nicht sicher"),
        max_label: en_de("Completely confident", "Vollkommen sicher"),
    }));

    // In-person interaction (B2C, when measured)
    if let (true, Some(b2c)) = (assessment, settings.b2c.as_ref().filter(|b| b.measure_in_person)) {
        let (en, de) = t(
            format!("Compared with before, how often do you now visit {org} in person?"),
            format!("Wie oft besuchen Sie {org} im Vergleich zu früher persönlich?"),
        );
        questions.push(q(IN_PERSON_CHANGE, InPerson, &en, &de, true, Answering::Single {
            choices: choices(&[
                ("more", "More often", "Häufiger"),
                ("same", "About as often", "Etwa gleich oft"),
                ("less", "Less often", "Seltener"),
                ("stopped", "I have stopped visiting", "Gar nicht mehr"),
                ("never", "I never visited in person", "Ich war nie persönlich vor Ort"),
            ]),
        }));
        questions.push(q(
            IN_PERSON_CHANNELS,
            InPerson,
            "Where do you usually meet us in person?",
            "Wo begegnen Sie uns üblicherweise persönlich?",
            false,
            Answering::Multi { choices: plain_choices(&b2c.channels) },
        ));
        questions.push(q(
            IN_PERSON_PREFERENCE,
            InPerson,
            "How would you prefer to interact with us in the coming months?",
            "Wie möchten Sie in den kommenden Monaten am liebsten mit uns in Kontakt treten?",
            true,
            Answering::Single {
                choices: choices(&[
                    ("in_person", "In person, as before", "Persönlich, wie bisher"),
                    ("in_person_with_measures", "In person, with safety measures in place", "Persönlich, mit Schutzmaßnahmen"),
                    ("online", "Online or by delivery", "Online oder per Lieferung"),
                    ("phone", "By phone", "Telefonisch"),
                ]),
            },
        ));
    }

    // The standard metrics
    let (en, de) = t(
        format!("How likely is it that you would recommend {org} to a friend or colleague?"),
        format!("Wie wahrscheinlich ist es, dass Sie {org} einem Freund oder Kollegen empfehlen?"),
    );
    questions.push(q(NPS, Metrics, &en, &de, true, Answering::Scale {
        min: 0,
        max: 10,
        min_label: localized(keys::NPS_MIN, &[]),
        max_label: localized(keys::NPS_MAX, &[]),
    }));
    let (en, de) = t(
        format!("Overall, how satisfied are you with {org}?"),
        format!("Wie zufrieden sind Sie insgesamt mit {org}?"),
    );
    questions.push(q(CSAT, Metrics, &en, &de, true, agreement_scale()));
    let (en, de) = t(
        format!("How easy was it to get what you needed from {org}?"),
        format!("Wie einfach war es, von {org} zu bekommen, was Sie brauchten?"),
    );
    questions.push(q(CES, Metrics, &en, &de, true, Answering::Scale {
        min: 1,
        max: 7,
        min_label: en_de("Very difficult", "Sehr schwierig"),
        max_label: en_de("Very easy", "Sehr einfach"),
    }));

    // Customer needs (open text)
    let (en, de) = t(
        format!("What could {org} do better or differently to support you right now?"),
        format!("Was könnte {org} derzeit besser oder anders machen, um Sie zu unterstützen?"),
    );
    questions.push(q(NEEDS, CustomerNeeds, &en, &de, false, Answering::Text { max_chars: 4000, multiline: true }));

    // About you: B2B industry and size, or B2C location; then demographics.
    match settings.business_type {
        BusinessType::B2B => {
            if let Some(b2b) = &settings.b2b {
                questions.push(q(INDUSTRY, AboutYou, "Which industry is your organisation in?", "In welcher Branche ist Ihr Unternehmen tätig?", false, Answering::Single {
                    choices: plain_choices(&b2b.industries),
                }));
                let (en, de) = match b2b.company_size.measure {
                    super::project::SizeMeasure::Revenue => ("What is your organisation's annual revenue?", "Wie hoch ist der Jahresumsatz Ihres Unternehmens?"),
                    super::project::SizeMeasure::Employees => ("How many people does your organisation employ?", "Wie viele Mitarbeitende hat Ihr Unternehmen?"),
                };
                questions.push(q(COMPANY_SIZE, AboutYou, en, de, false, Answering::Single { choices: plain_choices(&b2b.company_size.bands) }));
            }
        }
        BusinessType::B2C => {
            if let Some(b2c) = &settings.b2c {
                questions.push(q(LOCATION, AboutYou, "Where are you located?", "Wo wohnen Sie?", false, Answering::Single {
                    choices: plain_choices(&b2c.locations),
                }));
            }
        }
    }
    for (i, d) in settings.demographics.iter().enumerate() {
        let answering = if d.options.is_empty() {
            Answering::Text { max_chars: 200, multiline: false }
        } else {
            Answering::Single { choices: plain_choices(&d.options) }
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
        let (en, de) = t(
            format!("Would you like someone from {org} to contact you about your answers?"),
            format!("Möchten Sie, dass sich jemand von {org} wegen Ihrer Antworten bei Ihnen meldet?"),
        );
        questions.push(q(FOLLOW_UP, FollowUp, &en, &de, false, Answering::Single {
            choices: choices(&[("yes", "Yes, please contact me", "Ja, bitte kontaktieren Sie mich"), ("no", "No, thank you", "Nein, danke")]),
        }));
        let mut contact = q(
            FOLLOW_UP_CONTACT,
            FollowUp,
            "How should we reach you? (email address or phone number)",
            "Wie erreichen wir Sie? (E-Mail-Adresse oder Telefonnummer)",
            true,
            Answering::Text { max_chars: 200, multiline: false },
        );
        contact.shown_if = Some((FOLLOW_UP.to_string(), "yes".to_string()));
        questions.push(contact);
    }

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
            let given: Vec<&str> = values.get(q.id.as_str()).map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
            if given.is_empty() {
                if q.required {
                    errors.push(if q.id == ids::FOLLOW_UP_CONTACT { error(q, keys::ERR_CONTACT_NEEDED) } else { error(q, keys::ERR_REQUIRED) });
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
                        errors.push(error(q, keys::ERR_TOO_LONG));
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
    fn the_assessment_covers_all_five_areas_and_the_metrics() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 1);
        let sections: std::collections::BTreeSet<Section> = d.questions.iter().map(|q| q.section).collect();
        for s in [Section::Communication, Section::Action, Section::Confidence, Section::InPerson, Section::CustomerNeeds, Section::Metrics, Section::AboutYou, Section::FollowUp] {
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
        let b2b = settings(json!({ "organisation_name": "A", "business_type": "B2B", "b2b": { "company_size": { "measure": "revenue" } } }));
        let d = generate("p", Kind::Assessment, &b2b, 1);
        assert!(ids_of(&d).contains(&ids::INDUSTRY) && ids_of(&d).contains(&ids::COMPANY_SIZE));
        assert!(!ids_of(&d).contains(&ids::LOCATION) && !ids_of(&d).contains(&ids::FOLLOW_UP));
    }

    fn complete() -> Vec<(&'static str, &'static str)> {
        vec![
            ("comm_frequency", "weekly"), ("comm_channels", "email"), ("comm_channels", "app"), ("comm_met", "4"),
            ("action_satisfaction", "5"), ("action_relevance", "4"), ("action_timeliness", "3"), ("confidence", "5"),
            ("in_person_change", "less"), ("in_person_preference", "online"), ("nps", "10"), ("csat", "5"), ("ces", "6"),
            ("needs", "  <b>More</b> opening hours "), ("location", "Texas"), ("demo_1", "35+"),
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
            if *k == "nps" { *v = "11" }
            if *k == "ces" { *v = "easy" }
            if *k == "location" { *v = "Atlantis" }
            if *k == "comm_channels" { *v = "carrier pigeon" }
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
    fn asking_for_follow_up_needs_a_reachable_contact() {
        let d = generate("p1", Kind::Assessment, &b2c_in_person(), 1);
        let mut f = complete();
        f.push(("follow_up", "yes"));
        let errors = d.validate(&form(&f), Lang::En).unwrap_err();
        assert_eq!(errors, vec![AnswerError { question: "follow_up_contact".into(), message: t(Lang::En, keys::ERR_CONTACT_NEEDED).into() }]);
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
