//! What the report tests share: a B2B assessment and its responses.

use std::collections::BTreeMap;

use crate::domain::i18n::Lang;
use crate::domain::project::{Kind, Settings};
use crate::domain::response::{Channel, Response};
use crate::domain::survey::{generate, ids, Answer, Definition};

fn settings() -> Settings {
    serde_json::from_value(serde_json::json!({
        "organisation_name": "Café Aroma",
        "business_type": "B2B",
        "operational_fields": ["Region"],
        "b2b": { "industries": ["Retail", "Health"], "company_size": { "measure": "employees" } },
        "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] }
    }))
    .map(|s: Settings| s.normalise().unwrap())
    .unwrap()
}

pub(super) fn def() -> Definition {
    generate("p", Kind::Assessment, &settings(), 1)
}

pub(super) fn response(at: &str, nps: i64, region: Option<&str>, extra: &[(&str, Answer)]) -> Response {
    let mut answers: BTreeMap<String, Answer> = BTreeMap::new();
    answers.insert(ids::NPS.into(), Answer::Number(nps));
    for (k, v) in extra {
        answers.insert(k.to_string(), v.clone());
    }
    Response {
        project_id: "p".into(),
        response_id: format!("r{at}{nps}"),
        version: 1,
        language: Lang::En,
        channel: if region.is_some() { Channel::Personal } else { Channel::Anonymous },
        submitted_at: at.into(),
        answers,
        embedded: region.map(|r| [("Region".to_string(), r.to_string())].into()).unwrap_or_default(),
        contact_email: None,
        first_name: None,
        last_name: None,
        erased_at: None,
        via: None,
    }
}
