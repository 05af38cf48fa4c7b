//! A completed survey response as stored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::i18n::Lang;
use super::survey::{ids, Answer};

/// Through which link the response came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Anonymous,
    Personal,
}

/// A response: the answers, the survey version they answer, and the
/// contact's embedded data (operational fields) for personal links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub project_id: String,
    pub response_id: String,
    pub version: u32,
    pub language: Lang,
    pub channel: Channel,
    pub submitted_at: String,
    pub answers: BTreeMap<String, Answer>,
    /// The contact's operational fields, by exact name.
    #[serde(default)]
    pub embedded: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// When the contact's personal data was erased (GDPR), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erased_at: Option<String>,
}

impl Response {
    /// Removes the respondent's personal data (GDPR erasure): the contact's
    /// address and names, the embedded contact fields, and every free-text
    /// answer (`is_free_text` says which questions are), the preferred email
    /// or phone among them. Scores and chosen options stay, so the figures
    /// do not change.
    pub fn erase_personal_data(&mut self, is_free_text: impl Fn(&str) -> bool, at: &str) {
        self.contact_email = None;
        self.first_name = None;
        self.last_name = None;
        self.embedded.clear();
        self.answers.retain(|id, _| id != ids::FOLLOW_UP_CONTACT && !is_free_text(id));
        self.erased_at = Some(at.to_string());
    }

    /// Whether the respondent asked to be contacted.
    pub fn wants_follow_up(&self) -> bool {
        matches!(self.answers.get(ids::FOLLOW_UP), Some(Answer::Text(t)) if t == "yes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erasure_keeps_scores_and_choices_and_drops_personal_data() {
        let mut answers = BTreeMap::new();
        answers.insert(ids::NPS.to_string(), Answer::Number(9));
        answers.insert(ids::INDUSTRY.to_string(), Answer::Text("retail".into()));
        answers.insert(ids::NEEDS.to_string(), Answer::Text("Call me, I am Anna".into()));
        answers.insert(ids::FOLLOW_UP_CONTACT.to_string(), Answer::Text("+49 30 1234567".into()));
        let mut r = Response {
            project_id: "p".into(),
            response_id: "r".into(),
            version: 1,
            language: Lang::En,
            channel: Channel::Personal,
            submitted_at: "2026-11-22T10:00:00Z".into(),
            answers,
            embedded: [("Region".to_string(), "North".to_string())].into(),
            contact_email: Some("anna@example.com".into()),
            first_name: Some("Anna".into()),
            last_name: Some("Virtanen".into()),
            erased_at: None,
        };
        r.erase_personal_data(|id| id == ids::NEEDS, "2026-11-23T00:00:00Z");
        assert_eq!(r.answers.keys().collect::<Vec<_>>(), vec![ids::INDUSTRY, ids::NPS]);
        assert_eq!((r.contact_email, r.first_name, r.last_name), (None, None, None));
        assert!(r.embedded.is_empty());
        assert_eq!(r.erased_at.as_deref(), Some("2026-11-23T00:00:00Z"));
    }
}
