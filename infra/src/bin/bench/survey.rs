//! The survey the submission benchmarks answer: a realistic assessment
//! project (B2C with the in-person questions, two operational fields,
//! three demographic questions, English and German), and complete,
//! varied answers to it.

use pulse_shared::domain::project::{Kind, Settings};
use pulse_shared::domain::survey::{Answering, Definition};
use serde_json::{json, Value};

/// The project's operational fields (contact-list columns).
pub const OPERATIONAL_FIELDS: [&str; 2] = ["Region", "Business Unit"];

/// The project's languages.
pub const LANGUAGES: [&str; 2] = ["en", "de"];

/// The project's settings, as `POST /admin/projects` takes them.
pub fn settings() -> Value {
    json!({
        "organisation_name": "Bench Retail Oy",
        "business_type": "B2C",
        "operational_fields": OPERATIONAL_FIELDS,
        "b2c": { "measure_in_person": true },
        "demographics": [
            { "label": { "en": "Your age", "de": "Ihr Alter" }, "options": ["Under 25", "25-34", "35-44", "45-54", "55-64", "65 or older"] },
            { "label": { "en": "How long have you been a customer?", "de": "Wie lange sind Sie schon Kunde?" }, "options": ["Less than a year", "1-3 years", "3-10 years", "More than 10 years"] },
            { "label": { "en": "Your occupation", "de": "Ihr Beruf" } }
        ],
        "languages": LANGUAGES,
    })
}

/// The definition publishing freezes for these settings (as version 1).
pub fn definition(project_id: &str) -> Definition {
    let settings: Settings = serde_json::from_value(settings()).expect("the bench settings are well-formed");
    let settings = settings.normalise().expect("the bench settings are valid");
    pulse_shared::domain::survey::generate(project_id, Kind::Assessment, &settings, 1)
}

/// A complete answer set for respondent `i`, varied over the respondents:
/// every scale, every single and multiple choice (two options), the
/// free-text need from one respondent in three, the demographic texts (the
/// form token comes from the page view).
pub fn answers(def: &Definition, i: usize) -> Vec<(String, String)> {
    let mut form = Vec::new();
    let writes_text = matches!(i % 3, 0);
    for (n, q) in def.questions.iter().enumerate() {
        if q.shown_if.is_some() {
            continue;
        }
        let k = i * 7 + n * 3;
        match &q.answering {
            Answering::Scale { min, max, .. } => form.push((q.id.clone(), (min + (k as i64) % (max - min + 1)).to_string())),
            Answering::Single { choices } => form.push((q.id.clone(), choices[k % choices.len()].value.clone())),
            Answering::Multi { choices } => {
                form.push((q.id.clone(), choices[k % choices.len()].value.clone()));
                form.push((q.id.clone(), choices[(k + 1) % choices.len()].value.clone()));
            }
            Answering::Text { multiline: true, .. } if writes_text => form.push((
                q.id.clone(),
                format!("Opening hours that suit people who work shifts would help, and answers to email within a day. ({i})"),
            )),
            Answering::Text { multiline: false, .. } => form.push((q.id.clone(), format!("Occupation {}", i % 40))),
            Answering::Text { .. } => {}
        }
    }
    form
}

/// The form as the browser posts it (`application/x-www-form-urlencoded`).
pub fn encode(form: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish()
}
