//! Long jobs' records (the GDPR erasure), one item each.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `JOBS#{project id}` | `JOB#{job id}` | kind, phase, cursor, what was removed where, slices run |
//!
//! The partition is the project's jobs, apart from the project's own
//! partition, so that a job's record outlives what it removes.

use serde::{Deserialize, Serialize};

use crate::domain::erasure::JobRecord;
use crate::{Error, Result};

use super::{applied, from_item, n, to_item};

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
