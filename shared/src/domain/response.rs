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
}

impl Response {
    /// Whether the respondent asked to be contacted.
    pub fn wants_follow_up(&self) -> bool {
        matches!(self.answers.get(ids::FOLLOW_UP), Some(Answer::Text(t)) if t == "yes")
    }
}
