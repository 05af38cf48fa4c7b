//! The double of long jobs' records (see [`super`]), under the keys of
//! `store::jobs`.

use serde_json::{json, Value};

use super::{Memory, Table};
use crate::domain::erasure::JobRecord;
use crate::domain::project::Project;
use crate::ports::Place;
use crate::{Error, Result};

/// Items or objects deleted per page, as the adapter's page.
const PAGE: usize = 100;

fn pk(project_id: &str) -> String {
    format!("JOBS#{project_id}")
}

impl crate::ports::Jobs for Memory {
    async fn create_job(&self, job: &JobRecord) -> Result<()> {
        let mut st = self.lock();
        let sk = format!("JOB#{}", job.job_id);
        if st.get::<JobRecord>(Table::Core, &pk(&job.project_id), &sk).is_some() {
            return Err(Error::Aws { operation: "PutItem", source: "ConditionalCheckFailedException".into() });
        }
        st.put(Table::Core, &pk(&job.project_id), &sk, job);
        Ok(())
    }

    async fn get_job(&self, project_id: &str, job_id: &str) -> Result<Option<JobRecord>> {
        Ok(self.lock().get(Table::Core, &pk(project_id), &format!("JOB#{job_id}")))
    }

    async fn list_jobs(&self, project_id: &str) -> Result<Vec<JobRecord>> {
        let mut jobs: Vec<JobRecord> = self.lock().query(Table::Core, &pk(project_id), "JOB#").into_iter().map(|(_, j)| j).collect();
        jobs.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.job_id.cmp(&a.job_id)));
        Ok(jobs)
    }

    async fn save_job(&self, job: &JobRecord, expected_slices: u64) -> Result<bool> {
        let mut st = self.lock();
        let sk = format!("JOB#{}", job.job_id);
        match st.get::<JobRecord>(Table::Core, &pk(&job.project_id), &sk) {
            Some(stored) if stored.slices == expected_slices => {
                st.put(Table::Core, &pk(&job.project_id), &sk, job);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn begin_deletion(&self, p: &Project, job: &JobRecord) -> Result<()> {
        let mut st = self.lock();
        let project_pk = format!("PROJECT#{}", p.id);
        if st.get::<Project>(Table::Core, &project_pk, "PROJECT").is_none_or(|c| c.revision != p.revision) {
            return Err(Error::Conflict(
                "the project was changed by someone else since it was read; read it again and delete it then".into(),
            ));
        }
        st.delete(Table::Core, &project_pk, "PROJECT");
        st.delete(Table::Core, "PROJECTS", &project_pk);
        st.put(Table::Core, &project_pk, "DELETED", &json!({ "at": job.created_at, "job_id": job.job_id }));
        st.put(Table::Core, &pk(&p.id), &format!("JOB#{}", job.job_id), job);
        let mut stats = st.get::<Value>(Table::Core, &project_pk, "STATS").unwrap_or_else(|| json!({}));
        stats["revision"] = json!(p.revision + 1);
        st.put(Table::Core, &project_pk, "STATS", &stats);
        Ok(())
    }

    async fn deletion(&self, project_id: &str) -> Result<Option<String>> {
        let mark = self.lock().get::<Value>(Table::Core, &format!("PROJECT#{project_id}"), "DELETED");
        Ok(mark.and_then(|m| m["job_id"].as_str().map(str::to_string)))
    }

    async fn purge_partition(&self, place: Place, pk: &str, keep: Option<&str>) -> Result<u64> {
        let table = match place {
            Place::Core => Table::Core,
            Place::Contacts => Table::Contacts,
            Place::Responses => Table::Responses,
        };
        let mut st = self.lock();
        let keys: Vec<String> = st.keys(table, pk, "").into_iter().filter(|k| Some(k.as_str()) != keep).take(PAGE).collect();
        for k in &keys {
            st.delete(table, pk, k);
        }
        Ok(keys.len() as u64)
    }

    /// The whole table in one page: the double is small.
    async fn sweep_project(&self, project_id: &str, _cursor: Option<&str>) -> Result<(u64, Option<String>)> {
        let mut st = self.lock();
        let (agg, aggs, b2b, reports) =
            (format!("AGG#{project_id}"), format!("AGG#{project_id}#"), format!("B2B#{project_id}"), format!("reports/{project_id}/"));
        let in_due = format!("#{project_id}#");
        let theirs: Vec<(String, String)> = st
            .items
            .iter()
            .filter(|((t, pk, sk), v)| {
                *t == Table::Core
                    && !pk.starts_with("JOBS#")
                    && (*pk == agg
                        || pk.starts_with(&aggs)
                        || *pk == b2b
                        || v.get("project_id").and_then(Value::as_str) == Some(project_id)
                        || v.get("key").and_then(Value::as_str).is_some_and(|k| k.starts_with(&reports))
                        || (pk == "DUE" && sk.contains(&in_due)))
            })
            .map(|((_, pk, sk), _)| (pk.clone(), sk.clone()))
            .collect();
        for (pk, sk) in &theirs {
            st.delete(Table::Core, pk, sk);
        }
        Ok((theirs.len() as u64, None))
    }

    async fn purge_prefix(&self, prefix: &str) -> Result<u64> {
        let mut st = self.lock();
        let keys: Vec<String> = st.objects.keys().filter(|k| k.starts_with(prefix)).take(PAGE).cloned().collect();
        for k in &keys {
            st.objects.remove(k);
        }
        Ok(keys.len() as u64)
    }
}
