//! The write side of reports: what one response adds to the aggregates.
//!
//! A response adds one to counters in buckets: one bucket per project and
//! day (UTC), and one per day and value of each segment dimension (each
//! operational field the contact brought, and each single-choice "about
//! you" question: industry, company size, location, demographics). A report
//! reads only buckets, so its cost grows with days × segment values, never
//! with the number of responses.
//!
//! Counter names: `n` (responses), `personal` (through a personal link),
//! `via.scale` / `via.button` (a personal link opened from the invitation's
//! 0–10 row, or from its button or plain link),
//! `follow_up` (asked to be contacted), `invited` (invitations sent, moved
//! by the sender), `{question}.{value}` for a scale answer,
//! `{question}={value}` for a chosen option, `{question}:text` for an
//! answered free-text question.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::domain::kinds::MAX_OPERATIONAL_FIELDS;
use crate::domain::metrics::Histogram;
use crate::domain::response::{Channel, Response, Via};
use crate::domain::survey::{ids, Answer, Answering, Definition, Question, Section};

/// Counter name → count.
pub type Counters = BTreeMap<String, u64>;

/// Segment values are cut to this many characters (they are sort keys).
pub const MAX_SEGMENT_VALUE_CHARS: usize = 200;

/// A calendar day as stored in keys (`2026-11-23`).
pub fn day_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = text[0..4].parse().ok()?;
    let month: u8 = text[5..7].parse().ok()?;
    let day: u8 = text[8..10].parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// The day (UTC) of a stored time (`2026-11-23T10:00:00.000Z`).
pub fn day_of(time: &str) -> Option<Date> {
    parse_day(time.get(..10)?)
}

/// A segment dimension: an operational field or an "about you" question.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Dimension {
    /// An operational field, by its exact name (embedded contact data).
    Field(String),
    /// A single-choice question, by id (`industry`, `company_size`, `location`, `demo_1`…).
    Question(String),
}

impl Dimension {
    /// Its name in keys: `F:{name}` or `Q:{id}`.
    pub fn key(&self) -> String {
        match self {
            Dimension::Field(f) => format!("F:{f}"),
            Dimension::Question(q) => format!("Q:{q}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        if let Some(f) = key.strip_prefix("F:") {
            Some(Dimension::Field(f.to_string()))
        } else {
            key.strip_prefix("Q:").map(|q| Dimension::Question(q.to_string()))
        }
    }

    /// The name shown in reports and accepted by the API.
    pub fn name(&self) -> &str {
        match self {
            Dimension::Field(f) | Dimension::Question(f) => f,
        }
    }
}

/// The questions that segment: single-choice questions about the respondent.
fn segment_questions(def: &Definition) -> impl Iterator<Item = &Question> {
    def.questions.iter().filter(|q| q.section == Section::AboutYou && matches!(q.answering, Answering::Single { .. }))
}

/// Every dimension a project's reports can be broken down by.
pub fn dimensions(def: &Definition, operational_fields: &[String]) -> Vec<Dimension> {
    let mut out: Vec<Dimension> = operational_fields.iter().cloned().map(Dimension::Field).collect();
    out.extend(segment_questions(def).map(|q| Dimension::Question(q.id.clone())));
    out
}

fn cut(value: &str) -> String {
    value.trim().chars().take(MAX_SEGMENT_VALUE_CHARS).collect()
}

/// The segments of a contact's fields (a response's embedded data, an
/// invitation's contact): one per non-empty field.
pub fn field_segments(fields: &BTreeMap<String, String>) -> Vec<(Dimension, String)> {
    fields.iter().take(MAX_OPERATIONAL_FIELDS).map(|(f, v)| (Dimension::Field(f.clone()), cut(v))).filter(|(_, v)| !v.is_empty()).collect()
}

/// What one response adds: its day, the counters, and the segments
/// (dimension, value) whose buckets get the same counters.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub day: Date,
    pub counters: Vec<String>,
    pub segments: Vec<(Dimension, String)>,
    /// Free-text answers (question id, text): kept for the report's
    /// open-text section, erased with the response's personal data.
    pub texts: Vec<(String, String)>,
}

/// The contribution of a response to the aggregates; `None` when its time
/// cannot be read (it would not be stored then either).
/// The segments by operational field are the contact's embedded fields
/// (the project's operational fields when the contact was imported).
pub fn contribution(def: &Definition, r: &Response) -> Option<Contribution> {
    let day = day_of(&r.submitted_at)?;
    let mut counters = vec!["n".to_string()];
    if r.channel == Channel::Personal {
        counters.push("personal".into());
    }
    if let Some(via) = r.via {
        counters.push(via_counter(via));
    }
    if r.wants_follow_up() {
        counters.push("follow_up".into());
    }
    let mut texts = Vec::new();
    for q in &def.questions {
        let Some(answer) = r.answers.get(&q.id) else { continue };
        match (&q.answering, answer) {
            (Answering::Scale { .. }, Answer::Number(n)) => counters.push(format!("{}.{n}", q.id)),
            (Answering::Single { .. }, Answer::Text(v)) => counters.push(format!("{}={v}", q.id)),
            (Answering::Multi { .. }, Answer::Many(vs)) => counters.extend(vs.iter().map(|v| format!("{}={v}", q.id))),
            // The follow-up contact (an address or phone number) is personal
            // data: it is not copied into the report's texts.
            (Answering::Text { .. }, Answer::Text(t)) if q.id != ids::FOLLOW_UP_CONTACT => {
                counters.push(format!("{}:text", q.id));
                if q.section == Section::CustomerNeeds {
                    texts.push((q.id.clone(), t.clone()));
                }
            }
            _ => {}
        }
    }
    let mut segments = field_segments(&r.embedded);
    for q in segment_questions(def) {
        if let Some(Answer::Text(v)) = r.answers.get(&q.id) {
            segments.push((Dimension::Question(q.id.clone()), cut(v)));
        }
    }
    Some(Contribution { day, counters, segments, texts })
}

/// The counter of responses that came `via` a part of the invitation email.
pub fn via_counter(via: Via) -> String {
    format!("via.{}", via.as_str())
}

/// One aggregate bucket as read back: a day, the segment value (none for
/// the project's totals) and its counters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bucket {
    pub day: Option<Date>,
    pub value: Option<String>,
    pub counters: Counters,
}

/// The buckets of a project's write shards (`domain::shard`) as one
/// partition would hold them: the shards of each day and value summed,
/// ordered by day, then value.
pub fn merge_shards(buckets: Vec<Bucket>) -> Vec<Bucket> {
    let mut merged: BTreeMap<(Option<Date>, Option<String>), Counters> = BTreeMap::new();
    for b in buckets {
        let sum = merged.entry((b.day, b.value)).or_default();
        for (k, n) in b.counters {
            *sum.entry(k).or_default() += n;
        }
    }
    merged.into_iter().map(|((day, value), counters)| Bucket { day, value, counters }).collect()
}

/// The histogram of a scale question from summed counters.
pub fn histogram(c: &Counters, question: &str) -> Histogram {
    let prefix = format!("{question}.");
    c.iter().filter_map(|(k, n)| k.strip_prefix(&prefix).and_then(|v| v.parse::<i64>().ok()).map(|v| (v, *n))).collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{def, response};
    use super::*;
    use time::macros::date;

    #[test]
    fn a_response_contributes_its_answers_and_segments() {
        let r = response(
            "2026-11-20T10:00:00.000Z",
            9,
            Some("North"),
            &[
                (ids::CSAT, Answer::Number(4)),
                (ids::INDUSTRY, Answer::Text("Retail".into())),
                (ids::COMM_CHANNELS, Answer::Many(vec!["email".into(), "app".into()])),
                (ids::NEEDS, Answer::Text("Faster replies".into())),
                (ids::FOLLOW_UP, Answer::Text("yes".into())),
                (ids::FOLLOW_UP_CONTACT, Answer::Text("+49 30 123456".into())),
            ],
        );
        let c = contribution(&def(), &r).unwrap();
        assert_eq!(c.day, date!(2026 - 11 - 20));
        for k in
            ["n", "personal", "follow_up", "nps.9", "csat.4", "industry=Retail", "comm_channels=email", "comm_channels=app", "needs:text"]
        {
            assert!(c.counters.contains(&k.to_string()), "{k} missing from {:?}", c.counters);
        }
        assert!(!c.counters.iter().any(|k| k.starts_with("follow_up_contact")), "the follow-up contact is personal data");
        assert_eq!(
            c.segments,
            vec![(Dimension::Field("Region".into()), "North".into()), (Dimension::Question("industry".into()), "Retail".into())]
        );
        assert_eq!(c.texts, vec![("needs".to_string(), "Faster replies".to_string())]);
        assert!(!c.counters.iter().any(|k| k.starts_with("via.")), "a response without a channel counts under neither");
    }

    #[test]
    fn a_response_counts_under_the_part_of_the_email_it_came_from() {
        let mut r = response("2026-11-20T10:00:00.000Z", 9, None, &[]);
        r.via = Some(Via::Scale);
        let c = contribution(&def(), &r).unwrap();
        assert!(c.counters.contains(&"via.scale".to_string()) && !c.counters.contains(&"via.button".to_string()), "{:?}", c.counters);
        r.via = Some(Via::Button);
        let c = contribution(&def(), &r).unwrap();
        assert!(c.counters.contains(&"via.button".to_string()) && !c.counters.contains(&"via.scale".to_string()), "{:?}", c.counters);
    }

    #[test]
    fn the_shards_of_a_bucket_sum_to_one_bucket_per_day_and_value() {
        let d1 = time::macros::date!(2026 - 11 - 20);
        let d2 = time::macros::date!(2026 - 11 - 21);
        let b = |day, value: Option<&str>, n: u64, x: u64| Bucket {
            day: Some(day),
            value: value.map(str::to_string),
            counters: Counters::from([("n".to_string(), n), ("nps.9".to_string(), x)]),
        };
        let merged = merge_shards(vec![b(d2, None, 1, 0), b(d1, Some("North"), 2, 1), b(d1, Some("North"), 3, 1), b(d2, None, 4, 2)]);
        assert_eq!(merged, vec![b(d1, Some("North"), 5, 2), b(d2, None, 5, 2)]);
    }
}
