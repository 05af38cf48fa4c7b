//! The double of long jobs' records (see [`super`]), under the keys of
//! `store::jobs`.

use super::{Memory, Table};
use crate::domain::erasure::JobRecord;
use crate::{Error, Result};

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
}
