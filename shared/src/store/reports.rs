//! Report aggregates, report records and report links in DynamoDB.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `AGG#{project}` | `DAY#{day}` | the project's counters of a day (`c:{counter}`) |
//! | core | `AGG#{project}#{F:field or Q:question}` | `DAY#{day}#{value}` | the counters of a day and segment value |
//! | core | `AGG#{project}#TEXT` | `{submitted at}#{response id}` | an open-text answer for the report (erased with the response) |
//! | core | `PROJECT#{id}` | `REPORT#{report id}` | a report: request, state, S3 keys, link token |
//! | core | `RLINK#{keyed hash of the token}` | `RLINK` | a report's share link: project, report, expiry (TTL) |
//! | core | `PROJECT#{id}` | `RSHARE#{report id}#{link id}` | the link in its report's list: label, created, expiry (TTL) |
//!
//! The aggregate updates are items of the response's own transaction (see
//! `store_response`): a response and every counter it moves are stored
//! together or not at all. A report queries buckets by day range, so its
//! cost is days × segment values, whatever the number of responses.

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::report::{day_text, parse_day, Bucket, Contribution, Counters, Dimension, TextAnswer};
use crate::domain::shard;
use crate::{Config, Error, Result};

use super::{from_item, n, s, to_item, Item};
#[allow(unused_imports)]
use crate::ports::*;

fn agg_pk(project_id: &str) -> String {
    format!("AGG#{project_id}")
}

fn segment_pk(project_id: &str, dim: &Dimension) -> String {
    format!("AGG#{project_id}#{}", dim.key())
}

fn text_pk(project_id: &str) -> String {
    format!("AGG#{project_id}#TEXT")
}

/// The keys of a bucket: the project's day, or a segment value's day, on
/// write shard `shard` (`domain::shard`; 0 is the unsharded key).
fn bucket_key(project_id: &str, day: Date, segment: Option<(&Dimension, &str)>, shard: u32) -> (String, String) {
    match segment {
        None => (shard::key(&agg_pk(project_id), shard), format!("DAY#{}", day_text(day))),
        Some((dim, value)) => (shard::key(&segment_pk(project_id, dim), shard), format!("DAY#{}#{value}", day_text(day))),
    }
}

/// An update expression adding `counters` (name, amount) to a bucket and
/// setting its day / dimension / value (so that it reads back without
/// parsing keys): the expression, its names and its values.
fn bucket_update(counters: &[(String, u64)], day: Date, segment: Option<(&Dimension, &str)>) -> (String, Names, Item) {
    let mut names = Names::from([("#day".to_string(), "day".to_string())]);
    let mut values = Item::from([(":day".to_string(), s(day_text(day)))]);
    let mut set = "SET #day = :day".to_string();
    if let Some((dim, value)) = segment {
        set.push_str(", #dim = :dim, #value = :value");
        names.insert("#dim".into(), "dim".into());
        names.insert("#value".into(), "value".into());
        values.insert(":dim".into(), s(dim.key()));
        values.insert(":value".into(), s(value));
    }
    let mut adds = Vec::with_capacity(counters.len());
    for (i, (name, amount)) in counters.iter().enumerate() {
        adds.push(format!("#c{i} :v{i}"));
        names.insert(format!("#c{i}"), format!("c:{name}"));
        values.insert(format!(":v{i}"), n(*amount));
    }
    (format!("{set} ADD {}", adds.join(", ")), names, values)
}

/// Expression attribute names.
type Names = std::collections::HashMap<String, String>;

/// A transaction item adding one to each counter of a bucket.
fn bump(
    cfg: &Config,
    project_id: &str,
    counters: &[String],
    day: Date,
    segment: Option<(&Dimension, &str)>,
    shard: u32,
) -> Result<TransactWriteItem> {
    let ones: Vec<(String, u64)> = counters.iter().map(|c| (c.clone(), 1)).collect();
    bucket_write(cfg, bucket_key(project_id, day, segment, shard), &ones, day, segment)
}

/// The transaction item adding `counters` to the bucket `key`.
fn bucket_write(
    cfg: &Config,
    (pk, sk): (String, String),
    counters: &[(String, u64)],
    day: Date,
    segment: Option<(&Dimension, &str)>,
) -> Result<TransactWriteItem> {
    let (expression, names, values) = bucket_update(counters, day, segment);
    let update = Update::builder()
        .table_name(&cfg.core_table)
        .key("pk", s(pk))
        .key("sk", s(sk))
        .update_expression(expression)
        .set_expression_attribute_names(Some(names))
        .set_expression_attribute_values(Some(values))
        .build()
        .map_err(Error::aws("TransactWriteItems (update)"))?;
    Ok(TransactWriteItem::builder().update(update).build())
}

#[derive(Serialize, Deserialize)]
struct TextItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    answer: TextAnswer,
    response_id: String,
}

/// The transaction items that add a response's contribution to the
/// aggregates: the project's day bucket, one bucket per segment, and its
/// open-text answers, all on the write shard the response's id picks
/// among the project's `shards`.
pub(crate) fn aggregate_items(
    cfg: &Config,
    project_id: &str,
    response_id: &str,
    submitted_at: &str,
    nps: Option<i64>,
    c: &Contribution,
    shards: u32,
) -> Result<Vec<TransactWriteItem>> {
    let shard = shard::pick(response_id, shards);
    let mut out = vec![bump(cfg, project_id, &c.counters, c.day, None, shard)?];
    for (dim, value) in &c.segments {
        out.push(bump(cfg, project_id, &c.counters, c.day, Some((dim, value)), shard)?);
    }
    let follow_up = c.counters.iter().any(|k| k == "follow_up");
    for (question, text) in &c.texts {
        let item = to_item(&TextItem {
            pk: shard::key(&text_pk(project_id), shard),
            sk: format!("{submitted_at}#{response_id}#{question}"),
            answer: TextAnswer { submitted_at: submitted_at.to_string(), question: question.clone(), text: text.clone(), nps, follow_up },
            response_id: response_id.to_string(),
        })?;
        let put =
            Put::builder().table_name(&cfg.core_table).set_item(Some(item)).build().map_err(Error::aws("TransactWriteItems (put)"))?;
        out.push(TransactWriteItem::builder().put(put).build());
    }
    Ok(out)
}

/// The updates a message's sent invitations make, one per bucket they
/// touch: `invited` in the project's days and in the days of the segments
/// their contacts' fields fall in, each by how many fall there.
pub(crate) fn invited_bumps<'a>(
    cfg: &Config,
    project_id: &str,
    sent: impl IntoIterator<Item = (Date, &'a std::collections::BTreeMap<String, String>)>,
) -> Result<Vec<TransactWriteItem>> {
    type Segment = Option<(Dimension, String)>;
    let mut by: std::collections::BTreeMap<(String, String), (Date, Segment, u64)> = std::collections::BTreeMap::new();
    for (day, fields) in sent {
        let segments = std::iter::once(None).chain(crate::domain::report::field_segments(fields).into_iter().map(Some));
        for segment in segments {
            // invitations go at SES's pace, far below a partition's: shard 0
            let key = bucket_key(project_id, day, segment.as_ref().map(|(d, v)| (d, v.as_str())), 0);
            by.entry(key).or_insert((day, segment, 0)).2 += 1;
        }
    }
    by.into_iter()
        .map(|(key, (day, segment, count))| {
            bucket_write(cfg, key, &[("invited".to_string(), count)], day, segment.as_ref().map(|(d, v)| (d, v.as_str())))
        })
        .collect()
}

fn bucket(item: Item) -> Bucket {
    let mut counters = Counters::new();
    let mut b = Bucket::default();
    for (k, v) in item {
        match (k.as_str(), v) {
            ("day", AttributeValue::S(d)) => b.day = parse_day(&d),
            ("value", AttributeValue::S(v)) => b.value = Some(v),
            (k, AttributeValue::N(x)) if k.starts_with("c:") => {
                counters.insert(k[2..].to_string(), x.parse().unwrap_or(0));
            }
            _ => {}
        }
    }
    b.counters = counters;
    b
}

pub use crate::domain::report::record::{share_url, ReportRecord, ReportState, ShareLink, LINK_DAYS};

#[derive(Serialize, Deserialize)]
struct ReportItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    record: ReportRecord,
}

#[derive(Serialize, Deserialize)]
struct LinkItem {
    pk: String,
    sk: String,
    project_id: String,
    report_id: String,
    /// Epoch seconds: DynamoDB's TTL removes the link after it.
    expires_at: u64,
}

/// A share link's entry in its report's list (same TTL).
#[derive(Serialize, Deserialize)]
struct ShareItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    link: ShareLink,
}

fn share_sk(report_id: &str, link_id: &str) -> String {
    format!("RSHARE#{report_id}#{link_id}")
}

impl super::Aws {
    /// The buckets of every shard of `base` between `low` and `high`, the
    /// shards of one bucket summed.
    async fn sharded_buckets(&self, project_id: &str, base: String, low: String, high: String) -> Result<Vec<Bucket>> {
        let shards = self.report_shards(project_id).await?;
        let mut out = Vec::new();
        for pk in shard::keys(&base, shards) {
            out.extend(self.buckets_between(pk, low.clone(), high.clone()).await?);
        }
        Ok(if shards > 1 { crate::domain::report::merge_shards(out) } else { out })
    }

    async fn buckets_between(&self, pk: String, low: String, high: String) -> Result<Vec<Bucket>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .dynamodb
                .query()
                .table_name(&self.config.core_table)
                .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
                .expression_attribute_values(":pk", s(&pk))
                .expression_attribute_values(":low", s(&low))
                .expression_attribute_values(":high", s(&high))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(Error::aws("Query"))?;
            out.extend(page.items.unwrap_or_default().into_iter().map(bucket));
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(out),
            }
        }
    }
}

impl crate::ports::Reports for super::Aws {
    /// The project's day buckets from `from` to `to` (inclusive).
    async fn day_buckets(&self, project_id: &str, from: Date, to: Date) -> Result<Vec<Bucket>> {
        self.sharded_buckets(project_id, agg_pk(project_id), format!("DAY#{}", day_text(from)), format!("DAY#{}", day_text(to))).await
    }

    /// A dimension's segment buckets from `from` to `to` (inclusive).
    async fn segment_buckets(&self, project_id: &str, dim: &Dimension, from: Date, to: Date) -> Result<Vec<Bucket>> {
        // `$` sorts right after `#`, so `DAY#{to}$` bounds every value of day `to`.
        self.sharded_buckets(project_id, segment_pk(project_id, dim), format!("DAY#{}#", day_text(from)), format!("DAY#{}$", day_text(to)))
            .await
    }

    /// Adds counters to a bucket directly (the benchmark seeds large
    /// aggregates this way; responses move them in their own transaction).
    async fn seed_bucket(&self, project_id: &str, day: Date, segment: Option<(&Dimension, &str)>, counters: &Counters) -> Result<()> {
        let (pk, sk) = bucket_key(project_id, day, segment, 0);
        let amounts: Vec<(String, u64)> = counters.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let (expression, names, values) = bucket_update(&amounts, day, segment);
        self.dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression(expression)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        Ok(())
    }

    /// The newest open-text answers submitted from `from` to `to`, the
    /// newest of every shard.
    async fn report_texts(&self, project_id: &str, from: Date, to: Date, limit: usize) -> Result<Vec<TextAnswer>> {
        let mut out: Vec<(String, TextAnswer)> = Vec::new();
        for pk in shard::keys(&text_pk(project_id), self.report_shards(project_id).await?) {
            let page = self
                .dynamodb
                .query()
                .table_name(&self.config.core_table)
                .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
                .expression_attribute_values(":pk", s(pk))
                .expression_attribute_values(":low", s(day_text(from)))
                // `U` sorts after the `T` of any time on day `to`.
                .expression_attribute_values(":high", s(format!("{}U", day_text(to))))
                .scan_index_forward(false)
                .limit(i32::try_from(limit).unwrap_or(i32::MAX))
                .send()
                .await
                .map_err(Error::aws("Query"))?;
            for item in page.items.unwrap_or_default() {
                let t = from_item::<TextItem>(item, "report text")?;
                out.push((t.sk, t.answer));
            }
        }
        // newest first across the shards, as one partition would give them
        out.sort_by(|a, b| b.0.cmp(&a.0));
        out.truncate(limit);
        Ok(out.into_iter().map(|(_, t)| t).collect())
    }

    /// Removes a response's open-text answers from the report texts (GDPR
    /// erasure), on whichever shard they were written; the counters stay.
    async fn erase_report_texts(&self, project_id: &str, submitted_at: &str, response_id: &str) -> Result<()> {
        let prefix = format!("{submitted_at}#{response_id}#");
        for pk in shard::keys(&text_pk(project_id), self.project_shards(project_id).await?) {
            for item in self.query_all(&self.config.core_table, &pk, &prefix).await? {
                let Some(sk) = super::sort_key(&item).map(str::to_string) else { continue };
                self.dynamodb
                    .delete_item()
                    .table_name(&self.config.core_table)
                    .key("pk", s(&pk))
                    .key("sk", s(sk))
                    .send()
                    .await
                    .map_err(Error::aws("DeleteItem"))?;
            }
        }
        Ok(())
    }

    /// Creates a report record unless a report with this id exists (a
    /// repeated schedule run): returns whether it was created.
    async fn create_report(&self, r: &ReportRecord) -> Result<bool> {
        let item =
            to_item(&ReportItem { pk: format!("PROJECT#{}", r.project_id), sk: format!("REPORT#{}", r.report_id), record: r.clone() })?;
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        super::applied(out, "PutItem")
    }

    /// Reads a report record.
    async fn get_report(&self, project_id: &str, report_id: &str) -> Result<Option<ReportRecord>> {
        let item = self.get_item(&self.config.core_table, &format!("PROJECT#{project_id}"), &format!("REPORT#{report_id}")).await?;
        item.map(|i| from_item::<ReportItem>(i, "REPORT").map(|r| r.record)).transpose()
    }

    /// A project's reports, newest first.
    async fn list_reports(&self, project_id: &str) -> Result<Vec<ReportRecord>> {
        let mut out = self
            .query_all(&self.config.core_table, &format!("PROJECT#{project_id}"), "REPORT#")
            .await?
            .into_iter()
            .map(|i| from_item::<ReportItem>(i, "REPORT").map(|r| r.record))
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.report_id.cmp(&a.report_id)));
        Ok(out)
    }

    /// Records a report's outcome (written again by a retry: the files are
    /// the same, so the last write is as good as the first).
    async fn finish_report(&self, r: &ReportRecord) -> Result<()> {
        let item =
            to_item(&ReportItem { pk: format!("PROJECT#{}", r.project_id), sk: format!("REPORT#{}", r.report_id), record: r.clone() })?;
        self.replace_item(&self.config.core_table, item).await
    }

    /// A done report's files as time-limited links, and its shareable link.
    async fn report_links(&self, r: &ReportRecord) -> Result<serde_json::Value> {
        if r.state != ReportState::Done {
            return Ok(serde_json::Value::Null);
        }
        let valid = std::time::Duration::from_secs(3600);
        Ok(serde_json::json!({
            "html": self.presigned_get(&r.key("report.html"), valid).await?,
            "csv": self.presigned_get(&r.key("report.csv"), valid).await?,
            "json": self.presigned_get(&r.key("report.json"), valid).await?,
        }))
    }

    async fn share_report(&self, project_id: &str, link: &ShareLink) -> Result<()> {
        let entry = to_item(&LinkItem {
            pk: format!("RLINK#{}", link.id),
            sk: "RLINK".into(),
            project_id: project_id.to_string(),
            report_id: link.report_id.clone(),
            expires_at: link.expires_at,
        })?;
        let listed =
            to_item(&ShareItem { pk: format!("PROJECT#{project_id}"), sk: share_sk(&link.report_id, &link.id), link: link.clone() })?;
        let build = |e| Error::aws("TransactWriteItems (build)")(e);
        let put = |item| {
            Put::builder()
                .table_name(&self.config.core_table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map(|p| TransactWriteItem::builder().put(p).build())
                .map_err(build)
        };
        self.dynamodb
            .transact_write_items()
            .transact_items(put(entry)?)
            .transact_items(put(listed)?)
            .send()
            .await
            .map_err(Error::aws("TransactWriteItems"))?;
        Ok(())
    }

    async fn report_shares(&self, project_id: &str, report_id: &str) -> Result<Vec<ShareLink>> {
        let items = self.query_all(&self.config.core_table, &format!("PROJECT#{project_id}"), &share_sk(report_id, "")).await?;
        let mut links = items.into_iter().map(|i| from_item::<ShareItem>(i, "RSHARE").map(|i| i.link)).collect::<Result<Vec<_>>>()?;
        links.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(links)
    }

    async fn revoke_share(&self, project_id: &str, report_id: &str, link_id: &str) -> Result<bool> {
        let listed = self.delete_existing(&self.config.core_table, &format!("PROJECT#{project_id}"), &share_sk(report_id, link_id)).await?;
        // the link itself, only if it is this report's
        let out = self
            .dynamodb
            .delete_item()
            .table_name(&self.config.core_table)
            .key("pk", s(format!("RLINK#{link_id}")))
            .key("sk", s("RLINK"))
            .condition_expression("project_id = :p AND report_id = :r")
            .expression_attribute_values(":p", s(project_id))
            .expression_attribute_values(":r", s(report_id))
            .send()
            .await;
        let deleted = super::applied(out, "DeleteItem")?;
        Ok(listed || deleted)
    }

    async fn delete_report(&self, project_id: &str, report_id: &str) -> Result<bool> {
        for link in self.report_shares(project_id, report_id).await? {
            self.revoke_share(project_id, report_id, &link.id).await?;
        }
        self.delete_existing(&self.config.core_table, &format!("PROJECT#{project_id}"), &format!("REPORT#{report_id}")).await
    }

    /// The report a link token opens, while the link has not expired.
    async fn report_by_link(&self, token_hash: &str, now_s: u64) -> Result<Option<ReportRecord>> {
        let Some(item) = self.get_item(&self.config.core_table, &format!("RLINK#{token_hash}"), "RLINK").await? else { return Ok(None) };
        let link: LinkItem = from_item(item, "RLINK")?;
        if link.expires_at <= now_s {
            return Ok(None);
        }
        self.get_report(&link.project_id, &link.report_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::Request;
    use time::macros::date;

    #[test]
    fn a_bucket_reads_its_day_value_and_counters() {
        let item = Item::from([
            ("pk".to_string(), s("AGG#p#F:Region")),
            ("sk".to_string(), s("DAY#2026-11-20#North")),
            ("day".to_string(), s("2026-11-20")),
            ("value".to_string(), s("North")),
            ("dim".to_string(), s("F:Region")),
            ("c:n".to_string(), n(3)),
            ("c:nps.9".to_string(), n(2)),
        ]);
        let b = bucket(item);
        assert_eq!(b.day, Some(date!(2026 - 11 - 20)));
        assert_eq!(b.value.as_deref(), Some("North"));
        assert_eq!(b.counters, Counters::from([("n".to_string(), 3), ("nps.9".to_string(), 2)]));
    }

    #[test]
    fn a_report_record_round_trips() {
        let r = ReportRecord {
            project_id: "p".into(),
            report_id: "r".into(),
            source: "weekly".into(),
            request: Request {
                from: "2026-11-16".into(),
                to: "2026-11-22".into(),
                period: Default::default(),
                segments: vec![Dimension::Field("Region".into())],
                min_responses: crate::domain::report::MIN_RESPONSES,
                filter: None,
            },
            state: ReportState::Done,
            created_at: "2026-11-23T06:00:00.000Z".into(),
            finished_at: Some("2026-11-23T06:00:01.000Z".into()),
            error: None,
            responses: 3,
        };
        let item = to_item(&ReportItem { pk: "PROJECT#p".into(), sk: "REPORT#r".into(), record: r.clone() }).unwrap();
        let back: ReportItem = from_item(item, "k").unwrap();
        assert_eq!(back.record, r);
    }
}
