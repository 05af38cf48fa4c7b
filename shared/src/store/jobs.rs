//! Long jobs' records (a GDPR erasure, a project's deletion), one item
//! each, and the deletion's paged removals.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `JOBS#{project id}` | `JOB#{job id}` | kind, phase, cursor, what was removed where, slices run |
//! | core | `PROJECT#{id}` | `DELETED` | a project being deleted: when (the project item is gone) |
//!
//! The partition is the project's jobs, apart from the project's own
//! partition, so that a job's record outlives what it removes.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, WriteRequest};
use serde::{Deserialize, Serialize};

use crate::domain::erasure::JobRecord;
use crate::domain::project::Project;
use crate::ports::Place;
use crate::{Error, Result};

use super::{applied, from_item, n, s, to_item, tx_condition_failed, Item};

/// Items deleted per page of a partition.
const PURGE_PAGE: i32 = 100;

/// Items a sweep's scan reads per page (DynamoDB stops at 1 MB anyway).
const SWEEP_PAGE: i32 = 1000;

#[derive(Serialize, Deserialize)]
struct JobItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    job: JobRecord,
}

pub(crate) fn jobs_pk(project_id: &str) -> String {
    format!("JOBS#{project_id}")
}

fn item(job: &JobRecord) -> Result<super::Item> {
    to_item(&JobItem { pk: jobs_pk(&job.project_id), sk: format!("JOB#{}", job.job_id), job: job.clone() })
}

impl crate::ports::Jobs for super::Aws {
    async fn create_job(&self, job: &JobRecord) -> Result<()> {
        self.dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item(job)?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(Error::aws("PutItem"))?;
        Ok(())
    }

    async fn get_job(&self, project_id: &str, job_id: &str) -> Result<Option<JobRecord>> {
        let found = self.get_item(&self.config.core_table, &jobs_pk(project_id), &format!("JOB#{job_id}")).await?;
        found.map(|i| from_item::<JobItem>(i, "JOB").map(|i| i.job)).transpose()
    }

    async fn list_jobs(&self, project_id: &str) -> Result<Vec<JobRecord>> {
        let items = self.query_all(&self.config.core_table, &jobs_pk(project_id), "JOB#").await?;
        let mut jobs = items.into_iter().map(|i| from_item::<JobItem>(i, "JOB").map(|i| i.job)).collect::<Result<Vec<_>>>()?;
        jobs.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.job_id.cmp(&a.job_id)));
        Ok(jobs)
    }

    async fn save_job(&self, job: &JobRecord, expected_slices: u64) -> Result<bool> {
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item(job)?))
            .condition_expression("slices = :expected")
            .expression_attribute_values(":expected", n(expected_slices))
            .send()
            .await;
        applied(out, "PutItem")
    }

    async fn begin_deletion(&self, p: &Project, job: &JobRecord) -> Result<()> {
        use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
        let t = &self.config.core_table;
        let pk = format!("PROJECT#{}", p.id);
        let build = |e| Error::aws("TransactWriteItems (build)")(e);
        let gone = Delete::builder()
            .table_name(t)
            .key("pk", s(&pk))
            .key("sk", s("PROJECT"))
            .condition_expression("revision = :revision")
            .expression_attribute_values(":revision", n(p.revision))
            .build()
            .map_err(build)?;
        let unlisted = Delete::builder().table_name(t).key("pk", s("PROJECTS")).key("sk", s(&pk)).build().map_err(build)?;
        let mark = Put::builder()
            .table_name(t)
            .item("pk", s(&pk))
            .item("sk", s("DELETED"))
            .item("at", s(&job.created_at))
            .item("job_id", s(&job.job_id))
            .build()
            .map_err(build)?;
        let record = Put::builder()
            .table_name(t)
            .set_item(Some(item(job)?))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(build)?;
        // a warm Lambda's kept link finds the revision moved on (on every
        // write shard's counters), reads the project again and finds none
        let stats = super::surveys::stats_revision_items(t, &p.id, p.settings.write_shards, p.revision + 1)?;
        let mut tx = self
            .dynamodb
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().delete(gone).build())
            .transact_items(TransactWriteItem::builder().delete(unlisted).build())
            .transact_items(TransactWriteItem::builder().put(mark).build())
            .transact_items(TransactWriteItem::builder().put(record).build());
        for item in stats {
            tx = tx.transact_items(item);
        }
        let out = tx.send().await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if tx_condition_failed(&e) => {
                Err(Error::Conflict("the project was changed by someone else since it was read; read it again and delete it then".into()))
            }
            Err(e) => Err(Error::aws("TransactWriteItems")(e)),
        }
    }

    async fn deletion(&self, project_id: &str) -> Result<Option<String>> {
        let mark = self.get_item(&self.config.core_table, &format!("PROJECT#{project_id}"), "DELETED").await?;
        Ok(mark.and_then(|m| m.get("job_id").and_then(|v| v.as_s().ok()).cloned()))
    }

    async fn purge_partition(&self, place: Place, pk: &str, keep: Option<&str>) -> Result<u64> {
        let table = match place {
            Place::Core => &self.config.core_table,
            Place::Contacts => &self.config.contacts_table,
            Place::Responses => &self.config.responses_table,
        };
        let page = self
            .dynamodb
            .query()
            .table_name(table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(pk))
            .projection_expression("pk, sk")
            .limit(PURGE_PAGE)
            .send()
            .await
            .map_err(Error::aws("Query"))?;
        let keys: Vec<Item> = page.items.unwrap_or_default().into_iter().filter(|k| super::sort_key(k) != keep).collect();
        self.delete_keys(table, keys).await
    }

    async fn sweep_project(&self, project_id: &str, cursor: Option<&str>) -> Result<(u64, Option<String>)> {
        let t = &self.config.core_table;
        let start = match cursor {
            Some(c) => {
                let key: HashMap<String, String> =
                    serde_json::from_str(c).map_err(|e| Error::Corrupt { key: "the sweep's cursor".into(), source: Box::new(e) })?;
                Some(key.into_iter().map(|(k, v)| (k, s(v))).collect::<Item>())
            }
            None => None,
        };
        // aggregates and B2B records live in partitions named after the
        // project; links, tokens and share entries name it in an attribute,
        // scheduled work in its sort key (the job records, which also name
        // it, stay until the last phase)
        let page = self
            .dynamodb
            .scan()
            .table_name(t)
            .filter_expression(
                "(pk = :agg OR begins_with(pk, :aggs) OR pk = :b2b OR project_id = :p OR begins_with(#key, :reports) \
                 OR (pk = :due AND contains(sk, :in_due))) AND NOT begins_with(pk, :jobs)",
            )
            .expression_attribute_names("#key", "key")
            .expression_attribute_values(":agg", s(format!("AGG#{project_id}")))
            .expression_attribute_values(":aggs", s(format!("AGG#{project_id}#")))
            .expression_attribute_values(":b2b", s(format!("B2B#{project_id}")))
            .expression_attribute_values(":p", s(project_id))
            .expression_attribute_values(":reports", s(format!("reports/{project_id}/")))
            .expression_attribute_values(":jobs", s("JOBS#"))
            .expression_attribute_values(":due", s("DUE"))
            .expression_attribute_values(":in_due", s(format!("#{project_id}#")))
            .projection_expression("pk, sk")
            .set_exclusive_start_key(start)
            .limit(SWEEP_PAGE)
            .send()
            .await
            .map_err(Error::aws("Scan"))?;
        let next = match page.last_evaluated_key {
            Some(k) if !k.is_empty() => {
                let plain: HashMap<String, String> =
                    k.iter().filter_map(|(name, v)| Some((name.clone(), v.as_s().ok()?.clone()))).collect();
                Some(serde_json::to_string(&plain).map_err(|e| Error::Corrupt { key: "the sweep's cursor".into(), source: Box::new(e) })?)
            }
            _ => None,
        };
        let deleted = self.delete_keys(t, page.items.unwrap_or_default()).await?;
        Ok((deleted, next))
    }

    async fn purge_prefix(&self, prefix: &str) -> Result<u64> {
        use aws_sdk_s3::types::{Delete, ObjectIdentifier};
        let bucket = &self.config.data_bucket;
        let page = self.s3.list_object_versions().bucket(bucket).prefix(prefix).send().await.map_err(Error::aws("ListObjectVersions"))?;
        let mut objects = Vec::new();
        let versions = page.versions().iter().map(|v| (v.key(), v.version_id()));
        let markers = page.delete_markers().iter().map(|m| (m.key(), m.version_id()));
        for (key, version) in versions.chain(markers) {
            let Some(key) = key else { continue };
            let id = ObjectIdentifier::builder().key(key).set_version_id(version.map(str::to_string));
            objects.push(id.build().map_err(Error::aws("DeleteObjects (build)"))?);
        }
        if objects.is_empty() {
            return Ok(0);
        }
        let count = objects.len() as u64;
        let delete = Delete::builder().set_objects(Some(objects)).quiet(true).build().map_err(Error::aws("DeleteObjects (build)"))?;
        let out = self.s3.delete_objects().bucket(bucket).delete(delete).send().await.map_err(Error::aws("DeleteObjects"))?;
        if let Some(e) = out.errors().first() {
            let why = format!("{}: {}", e.key().unwrap_or_default(), e.message().unwrap_or_default());
            return Err(Error::Aws { operation: "DeleteObjects", source: why.into() });
        }
        Ok(count)
    }
}

impl super::Aws {
    /// Deletes items by key (`pk`, `sk`), 25 a request, retrying what
    /// DynamoDB leaves unprocessed; how many.
    async fn delete_keys(&self, table: &str, keys: Vec<Item>) -> Result<u64> {
        let count = keys.len() as u64;
        for chunk in keys.chunks(25) {
            let mut requests: Vec<WriteRequest> = Vec::with_capacity(chunk.len());
            for k in chunk {
                let key: HashMap<String, AttributeValue> =
                    k.iter().filter(|(name, _)| *name == "pk" || *name == "sk").map(|(a, b)| (a.clone(), b.clone())).collect();
                let delete = DeleteRequest::builder().set_key(Some(key)).build().map_err(Error::aws("BatchWriteItem (build)"))?;
                requests.push(WriteRequest::builder().delete_request(delete).build());
            }
            let mut attempt = 0u64;
            while !requests.is_empty() {
                // a call throttled whole applied nothing: all of it comes back
                requests = match self.dynamodb.batch_write_item().request_items(table, requests.clone()).send().await {
                    Ok(out) => out.unprocessed_items.and_then(|mut u| u.remove(table)).unwrap_or_default(),
                    Err(e) if super::throttled(&e) => requests,
                    Err(e) => return Err(Error::aws("BatchWriteItem")(e)),
                };
                if !requests.is_empty() {
                    attempt += 1;
                    if attempt > 8 {
                        return Err(Error::Conflict("DynamoDB left deletes unprocessed after 8 tries; the slice comes back".into()));
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                }
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::erasure::{Erasure, JobRecord};

    #[test]
    fn a_job_round_trips_through_its_item() {
        let job = JobRecord::erasure("p", "j", "hash", &Erasure { contact: true, ..Erasure::default() }, "t");
        let i = item(&job).unwrap();
        assert_eq!(i["pk"].as_s().unwrap(), "JOBS#p");
        assert_eq!(i["kind"].as_s().unwrap(), "erase");
        assert_eq!(from_item::<JobItem>(i, "k").unwrap().job, job);
    }
}
