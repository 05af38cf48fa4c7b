//! Report aggregates, report records and report links in memory, under the
//! keys of [`crate::store::reports`]. A bucket is kept as the adapter's item
//! is: `day`, for a segment `dim` and `value`, and one number per counter
//! under `c:{counter}`; [`add_to_bucket`] moves counters here
//! (a response's contribution, a seeded bucket; the invitations' double
//! writes `c:invited` in the same layout), so every reader sees what every
//! writer wrote.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::domain::report::{day_text, parse_day, Bucket, Contribution, Counters, Dimension, TextAnswer};
use crate::store::reports::{ReportRecord, ReportState, ShareLink};
use crate::{Error, Result};

use super::{Memory, State, Table};

fn agg_pk(project_id: &str) -> String {
    format!("AGG#{project_id}")
}

fn segment_pk(project_id: &str, dim: &Dimension) -> String {
    format!("AGG#{project_id}#{}", dim.key())
}

fn text_pk(project_id: &str) -> String {
    format!("AGG#{project_id}#TEXT")
}

fn bucket_key(project_id: &str, day: Date, segment: Option<(&Dimension, &str)>) -> (String, String) {
    match segment {
        None => (agg_pk(project_id), format!("DAY#{}", day_text(day))),
        Some((dim, value)) => (segment_pk(project_id, dim), format!("DAY#{}#{value}", day_text(day))),
    }
}

/// Adds `counters` (name, amount) to a bucket, creating it if need be, as
/// the adapter's `ADD` does.
pub(crate) fn add_to_bucket(s: &mut State, project_id: &str, day: Date, segment: Option<(&Dimension, &str)>, counters: &[(String, u64)]) {
    let (pk, sk) = bucket_key(project_id, day, segment);
    let mut item: Map<String, Value> = s.get(Table::Core, &pk, &sk).unwrap_or_default();
    item.insert("day".into(), Value::from(day_text(day)));
    if let Some((dim, value)) = segment {
        item.insert("dim".into(), Value::from(dim.key()));
        item.insert("value".into(), Value::from(value));
    }
    for (name, amount) in counters {
        let key = format!("c:{name}");
        let before = item.get(&key).and_then(Value::as_u64).unwrap_or(0);
        item.insert(key, Value::from(before + amount));
    }
    s.put(Table::Core, &pk, &sk, &item);
}

/// One to each counter in the day's bucket and in each segment's.
fn bump(s: &mut State, project_id: &str, counters: &[String], day: Date, segments: &[(Dimension, String)]) {
    let ones: Vec<(String, u64)> = counters.iter().map(|c| (c.clone(), 1)).collect();
    add_to_bucket(s, project_id, day, None, &ones);
    for (dim, value) in segments {
        add_to_bucket(s, project_id, day, Some((dim, value)), &ones);
    }
}

#[derive(Serialize, Deserialize)]
struct TextItem {
    #[serde(flatten)]
    answer: TextAnswer,
    response_id: String,
}

/// What a stored response adds to the aggregates (the adapter's
/// `aggregate_items`): its counters in the day and segment buckets, and its
/// open-text answers.
pub(crate) fn add_contribution(s: &mut State, project_id: &str, response_id: &str, submitted_at: &str, nps: Option<i64>, c: &Contribution) {
    bump(s, project_id, &c.counters, c.day, &c.segments);
    let follow_up = c.counters.iter().any(|k| k == "follow_up");
    for (question, text) in &c.texts {
        let item = TextItem {
            answer: TextAnswer { submitted_at: submitted_at.to_string(), question: question.clone(), text: text.clone(), nps, follow_up },
            response_id: response_id.to_string(),
        };
        s.put(Table::Core, &text_pk(project_id), &format!("{submitted_at}#{response_id}#{question}"), &item);
    }
}

fn bucket(item: &Value) -> Bucket {
    let mut b = Bucket::default();
    let Some(map) = item.as_object() else { return b };
    for (k, v) in map {
        match (k.as_str(), v) {
            ("day", Value::String(d)) => b.day = parse_day(d),
            ("value", Value::String(v)) => b.value = Some(v.clone()),
            (k, Value::Number(x)) if k.starts_with("c:") => {
                b.counters.insert(k[2..].to_string(), x.as_u64().unwrap_or(0));
            }
            _ => {}
        }
    }
    b
}

/// The items of `pk` whose sort key is between `low` and `high` (inclusive).
fn between<'a>(s: &'a State, pk: &'a str, low: &'a str, high: &'a str) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
    s.range(Table::Core, pk, "").filter(move |(sk, _)| *sk >= low && *sk <= high)
}

#[derive(Serialize, Deserialize)]
struct LinkItem {
    project_id: String,
    report_id: String,
    expires_at: u64,
}

fn report_pk(project_id: &str) -> String {
    format!("PROJECT#{project_id}")
}

fn report_sk(report_id: &str) -> String {
    format!("REPORT#{report_id}")
}

fn rlink_pk(token_hash: &str) -> String {
    format!("RLINK#{token_hash}")
}

fn share_sk(report_id: &str, link_id: &str) -> String {
    format!("RSHARE#{report_id}#{link_id}")
}

/// A time-limited GET link to an object of the data bucket: a URL that
/// names the key and how long it is valid (as the Files double's).
fn presigned_get(m: &Memory, key: &str, valid_for: std::time::Duration) -> String {
    format!("memory://{}/{key}?expires={}", m.config.data_bucket, valid_for.as_secs())
}

impl crate::ports::Reports for Memory {
    async fn day_buckets(&self, project_id: &str, from: Date, to: Date) -> Result<Vec<Bucket>> {
        let s = self.lock();
        let (pk, low, high) = (agg_pk(project_id), format!("DAY#{}", day_text(from)), format!("DAY#{}", day_text(to)));
        Ok(between(&s, &pk, &low, &high).map(|(_, v)| bucket(v)).collect())
    }

    async fn segment_buckets(&self, project_id: &str, dim: &Dimension, from: Date, to: Date) -> Result<Vec<Bucket>> {
        let s = self.lock();
        // `$` sorts right after `#`, so `DAY#{to}$` bounds every value of day `to`.
        let (pk, low, high) = (segment_pk(project_id, dim), format!("DAY#{}#", day_text(from)), format!("DAY#{}$", day_text(to)));
        Ok(between(&s, &pk, &low, &high).map(|(_, v)| bucket(v)).collect())
    }

    async fn seed_bucket(&self, project_id: &str, day: Date, segment: Option<(&Dimension, &str)>, counters: &Counters) -> Result<()> {
        let amounts: Vec<(String, u64)> = counters.iter().map(|(k, v)| (k.clone(), *v)).collect();
        add_to_bucket(&mut self.lock(), project_id, day, segment, &amounts);
        Ok(())
    }

    async fn report_texts(&self, project_id: &str, from: Date, to: Date, limit: usize) -> Result<Vec<TextAnswer>> {
        let s = self.lock();
        // `U` sorts after the `T` of any time on day `to`.
        let (pk, low, high) = (text_pk(project_id), day_text(from), format!("{}U", day_text(to)));
        let mut texts: Vec<TextAnswer> = between(&s, &pk, &low, &high)
            .map(|(sk, v)| {
                serde_json::from_value::<TextItem>(v.clone())
                    .map(|t| t.answer)
                    .map_err(|e| Error::Corrupt { key: format!("{pk}/{sk}"), source: Box::new(e) })
            })
            .collect::<Result<_>>()?;
        texts.reverse();
        texts.truncate(limit);
        Ok(texts)
    }

    async fn erase_report_texts(&self, project_id: &str, submitted_at: &str, response_id: &str) -> Result<()> {
        let mut s = self.lock();
        let pk = text_pk(project_id);
        for sk in s.keys(Table::Core, &pk, &format!("{submitted_at}#{response_id}#")) {
            s.delete(Table::Core, &pk, &sk);
        }
        Ok(())
    }

    async fn create_report(&self, r: &ReportRecord) -> Result<bool> {
        let mut s = self.lock();
        let (pk, sk) = (report_pk(&r.project_id), report_sk(&r.report_id));
        if s.has(Table::Core, &pk, &sk) {
            return Ok(false);
        }
        s.put(Table::Core, &pk, &sk, r);
        Ok(true)
    }

    async fn get_report(&self, project_id: &str, report_id: &str) -> Result<Option<ReportRecord>> {
        Ok(self.lock().get(Table::Core, &report_pk(project_id), &report_sk(report_id)))
    }

    async fn list_reports(&self, project_id: &str) -> Result<Vec<ReportRecord>> {
        let mut out: Vec<ReportRecord> =
            self.lock().query(Table::Core, &report_pk(project_id), "REPORT#").into_iter().map(|(_, r)| r).collect();
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.report_id.cmp(&a.report_id)));
        Ok(out)
    }

    async fn finish_report(&self, r: &ReportRecord) -> Result<()> {
        let mut s = self.lock();
        let (pk, sk) = (report_pk(&r.project_id), report_sk(&r.report_id));
        if !s.has(Table::Core, &pk, &sk) {
            return Err(Error::not_found(format!("report {} of project {}", r.report_id, r.project_id)));
        }
        s.put(Table::Core, &pk, &sk, r);
        Ok(())
    }

    async fn report_links(&self, r: &ReportRecord) -> Result<Value> {
        if r.state != ReportState::Done {
            return Ok(Value::Null);
        }
        let valid = std::time::Duration::from_secs(3600);
        Ok(serde_json::json!({
            "html": presigned_get(self, &r.key("report.html"), valid),
            "csv": presigned_get(self, &r.key("report.csv"), valid),
            "json": presigned_get(self, &r.key("report.json"), valid),
        }))
    }

    async fn share_report(&self, project_id: &str, link: &ShareLink) -> Result<()> {
        let mut s = self.lock();
        let (entry, listed) = (rlink_pk(&link.id), share_sk(&link.report_id, &link.id));
        if s.has(Table::Core, &entry, "RLINK") || s.has(Table::Core, &report_pk(project_id), &listed) {
            return Err(Error::Aws { operation: "TransactWriteItems", source: "TransactionCanceledException".into() });
        }
        let item = LinkItem { project_id: project_id.to_string(), report_id: link.report_id.clone(), expires_at: link.expires_at };
        s.put(Table::Core, &entry, "RLINK", &item);
        s.put(Table::Core, &report_pk(project_id), &listed, link);
        Ok(())
    }

    async fn report_shares(&self, project_id: &str, report_id: &str) -> Result<Vec<ShareLink>> {
        let mut links: Vec<ShareLink> =
            self.lock().query(Table::Core, &report_pk(project_id), &share_sk(report_id, "")).into_iter().map(|(_, l)| l).collect();
        links.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(links)
    }

    async fn revoke_share(&self, project_id: &str, report_id: &str, link_id: &str) -> Result<bool> {
        let mut s = self.lock();
        let listed = s.delete(Table::Core, &report_pk(project_id), &share_sk(report_id, link_id));
        let theirs = s
            .get::<LinkItem>(Table::Core, &rlink_pk(link_id), "RLINK")
            .is_some_and(|l| l.project_id == project_id && l.report_id == report_id);
        let deleted = theirs && s.delete(Table::Core, &rlink_pk(link_id), "RLINK");
        Ok(listed || deleted)
    }

    async fn delete_report(&self, project_id: &str, report_id: &str) -> Result<bool> {
        for link in self.report_shares(project_id, report_id).await? {
            self.revoke_share(project_id, report_id, &link.id).await?;
        }
        Ok(self.lock().delete(Table::Core, &report_pk(project_id), &report_sk(report_id)))
    }

    async fn report_by_link(&self, token_hash: &str, now_s: u64) -> Result<Option<ReportRecord>> {
        let s = self.lock();
        let Some(link) = s.get::<LinkItem>(Table::Core, &rlink_pk(token_hash), "RLINK") else { return Ok(None) };
        if link.expires_at <= now_s {
            return Ok(None);
        }
        Ok(s.get(Table::Core, &report_pk(&link.project_id), &report_sk(&link.report_id)))
    }
}
