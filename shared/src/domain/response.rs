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

/// How a respondent came to the survey from an invitation email: a score
/// of the email's 0–10 row (the survey opens with it chosen), or the
/// invitation's button or plain link (the same address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Scale,
    Button,
}

impl Via {
    /// The form field carrying it from the page view to the submission.
    pub const FIELD: &'static str = "via";

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Scale => "scale",
            Via::Button => "button",
        }
    }

    pub fn parse(v: &str) -> Option<Via> {
        match v {
            "scale" => Some(Via::Scale),
            "button" => Some(Via::Button),
            _ => None,
        }
    }

    /// How a personal link was opened: with a score of the email's row
    /// (`?score=N`, N a score the survey asks) or without.
    pub fn of_opening(score_chosen: bool) -> Via {
        if score_chosen {
            Via::Scale
        } else {
            Via::Button
        }
    }
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
    /// How a personal link's respondent came from the invitation email;
    /// none for anonymous links, API submissions and older responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
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

    /// The addresses the response holds, normalised: its contact's, and a
    /// follow-up address the respondent typed (how an erasure finds them).
    pub fn addresses(&self) -> Vec<String> {
        let typed = match self.answers.get(ids::FOLLOW_UP_CONTACT) {
            Some(Answer::Text(t)) if t.contains('@') => Some(t.as_str()),
            _ => None,
        };
        self.contact_email.as_deref().into_iter().chain(typed).map(super::mail::normalise_email).collect()
    }

    /// Whether the respondent asked to be contacted.
    pub fn wants_follow_up(&self) -> bool {
        matches!(self.answers.get(ids::FOLLOW_UP), Some(Answer::Text(t)) if t == "yes")
    }
}

/// An NPS answer's group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// 9–10.
    Promoter,
    /// 7–8.
    Passive,
    /// 0–6.
    Detractor,
}

impl Band {
    /// The group of a 0–10 score.
    pub fn of(score: i64) -> Band {
        match score {
            9.. => Band::Promoter,
            7..=8 => Band::Passive,
            _ => Band::Detractor,
        }
    }

    fn parse(s: &str) -> Option<Band> {
        match s {
            "promoter" => Some(Band::Promoter),
            "passive" => Some(Band::Passive),
            "detractor" => Some(Band::Detractor),
            _ => None,
        }
    }
}

/// Which responses a list or an export holds; every part given must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// First day, `YYYY-MM-DD` (UTC, as `submitted_at`).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    pub channel: Option<Channel>,
    /// The NPS group; responses without an NPS answer never match.
    pub band: Option<Band>,
    /// Whether the respondent asked to be contacted.
    pub follow_up: Option<bool>,
    /// An operational field (embedded data) or "about you" question, and its value.
    pub segment: Option<(String, String)>,
}

/// A filter parameter that cannot be read: its name and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FilterError {
    pub field: &'static str,
    pub message: String,
}

fn day(field: &'static str, v: &str) -> Result<String, FilterError> {
    let ok = v.len() == 10 && time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]")).is_ok();
    if ok {
        Ok(v.to_string())
    } else {
        Err(FilterError { field, message: format!("{v:?} is not a day such as 2026-12-01") })
    }
}

impl Filter {
    /// Reads a filter from query parameters (`get` returns a parameter's
    /// value; empty values are ignored): `from`, `to`, `channel`
    /// (`anonymous`/`personal`), `band` (`promoter`/`passive`/`detractor`),
    /// `follow_up` (`yes`/`no`), `segment` (`Field=value`).
    pub fn parse<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Filter, FilterError> {
        let given = |name: &str| get(name).map(str::trim).filter(|v| !v.is_empty());
        let mut f = Filter::default();
        if let Some(v) = given("from") {
            f.from = Some(day("from", v)?);
        }
        if let Some(v) = given("to") {
            f.to = Some(day("to", v)?);
        }
        if let (Some(from), Some(to)) = (&f.from, &f.to) {
            if from > to {
                return Err(FilterError { field: "to", message: format!("{to} is before {from}") });
            }
        }
        if let Some(v) = given("channel") {
            f.channel = Some(match v {
                "anonymous" => Channel::Anonymous,
                "personal" => Channel::Personal,
                _ => return Err(FilterError { field: "channel", message: format!("{v:?}: expected anonymous or personal") }),
            });
        }
        if let Some(v) = given("band") {
            f.band = Some(
                Band::parse(v)
                    .ok_or_else(|| FilterError { field: "band", message: format!("{v:?}: expected promoter, passive or detractor") })?,
            );
        }
        if let Some(v) = given("follow_up") {
            f.follow_up = Some(match v {
                "yes" => true,
                "no" => false,
                _ => return Err(FilterError { field: "follow_up", message: format!("{v:?}: expected yes or no") }),
            });
        }
        if let Some(v) = given("segment") {
            let (field, value) =
                v.split_once('=').ok_or_else(|| FilterError { field: "segment", message: format!("{v:?}: expected Field=value") })?;
            f.segment = Some((field.trim().to_string(), value.trim().to_string()));
        }
        Ok(f)
    }

    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether `r` is one of the responses the filter holds.
    pub fn matches(&self, r: &Response) -> bool {
        let day = r.submitted_at.get(..10).unwrap_or_default();
        if self.from.as_deref().is_some_and(|from| day < from) || self.to.as_deref().is_some_and(|to| day > to) {
            return false;
        }
        if self.channel.is_some_and(|c| c != r.channel) {
            return false;
        }
        if let Some(band) = self.band {
            match r.answers.get(ids::NPS) {
                Some(Answer::Number(n)) if Band::of(*n) == band => {}
                _ => return false,
            }
        }
        if self.follow_up.is_some_and(|wanted| wanted != r.wants_follow_up()) {
            return false;
        }
        if let Some((field, value)) = &self.segment {
            let answered = match r.answers.get(field) {
                Some(Answer::Text(t)) => t == value,
                Some(Answer::Many(many)) => many.contains(value),
                Some(Answer::Number(n)) => n.to_string() == *value,
                None => false,
            };
            if !(answered || r.embedded.get(field) == Some(value)) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(nps: i64, day: &str, channel: Channel, follow_up: bool) -> Response {
        let mut answers = BTreeMap::new();
        answers.insert(ids::NPS.to_string(), Answer::Number(nps));
        if follow_up {
            answers.insert(ids::FOLLOW_UP.to_string(), Answer::Text("yes".into()));
        }
        answers.insert(ids::INDUSTRY.to_string(), Answer::Text("retail".into()));
        Response {
            project_id: "p".into(),
            response_id: "r".into(),
            version: 1,
            language: Lang::En,
            channel,
            submitted_at: format!("{day}T10:00:00Z"),
            answers,
            embedded: [("Region".to_string(), "North".to_string())].into(),
            contact_email: None,
            first_name: None,
            last_name: None,
            erased_at: None,
            via: None,
        }
    }

    fn filter(pairs: &[(&str, &str)]) -> Result<Filter, FilterError> {
        Filter::parse(|name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v))
    }

    #[test]
    fn each_part_of_a_filter_narrows_the_responses() {
        let r = response(9, "2026-11-20", Channel::Personal, true);
        assert!(filter(&[]).unwrap().is_empty());
        assert!(filter(&[("from", "2026-11-20"), ("to", "2026-11-20")]).unwrap().matches(&r), "the days are inclusive");
        assert!(!filter(&[("from", "2026-11-21")]).unwrap().matches(&r));
        assert!(!filter(&[("to", "2026-11-19")]).unwrap().matches(&r));
        assert!(filter(&[("channel", "personal"), ("band", "promoter"), ("follow_up", "yes")]).unwrap().matches(&r));
        assert!(!filter(&[("channel", "anonymous")]).unwrap().matches(&r));
        assert!(!filter(&[("band", "passive")]).unwrap().matches(&r));
        assert!(!filter(&[("follow_up", "no")]).unwrap().matches(&r));
        assert!(filter(&[("segment", "Region=North")]).unwrap().matches(&r), "an operational field");
        assert!(filter(&[("segment", "industry=retail")]).unwrap().matches(&r), "an answered question");
        assert!(!filter(&[("segment", "Region=South")]).unwrap().matches(&r));
        assert_eq!(
            [0, 6, 7, 8, 9, 10].map(Band::of),
            [Band::Detractor, Band::Detractor, Band::Passive, Band::Passive, Band::Promoter, Band::Promoter]
        );
    }

    #[test]
    fn a_filter_that_cannot_be_read_names_its_parameter() {
        assert_eq!(filter(&[("from", "20.11.2026")]).unwrap_err().field, "from");
        assert_eq!(filter(&[("from", "2026-11-21"), ("to", "2026-11-20")]).unwrap_err().field, "to");
        assert_eq!(filter(&[("channel", "email")]).unwrap_err().field, "channel");
        assert_eq!(filter(&[("band", "fan")]).unwrap_err().field, "band");
        assert_eq!(filter(&[("follow_up", "maybe")]).unwrap_err().field, "follow_up");
        assert_eq!(filter(&[("segment", "Region")]).unwrap_err().field, "segment");
        assert!(filter(&[("from", " "), ("band", "")]).unwrap().is_empty(), "empty form fields filter nothing");
    }

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
            via: None,
        };
        r.erase_personal_data(|id| id == ids::NEEDS, "2026-11-23T00:00:00Z");
        assert_eq!(r.answers.keys().collect::<Vec<_>>(), vec![ids::INDUSTRY, ids::NPS]);
        assert_eq!((r.contact_email, r.first_name, r.last_name), (None, None, None));
        assert!(r.embedded.is_empty());
        assert_eq!(r.erased_at.as_deref(), Some("2026-11-23T00:00:00Z"));
    }
}
