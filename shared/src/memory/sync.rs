//! The double of the B2B sync's items (see [`super`]), on the keys of
//! [`crate::store::sync`].

use super::{Memory, Table};
use crate::domain::b2b::sync::{RunState, SyncConfig, SyncRun};
use crate::ports::Begun;
use crate::Result;

impl crate::ports::Syncs for Memory {
    async fn put_sync(&self, config: &SyncConfig) -> Result<()> {
        self.lock().put(Table::Core, "SYNCS", &format!("PROJECT#{}", config.project_id), config);
        Ok(())
    }

    async fn get_sync(&self, project_id: &str) -> Result<Option<SyncConfig>> {
        Ok(self.lock().get(Table::Core, "SYNCS", &format!("PROJECT#{project_id}")))
    }

    async fn syncs(&self) -> Result<Vec<SyncConfig>> {
        Ok(self.lock().query(Table::Core, "SYNCS", "PROJECT#").into_iter().map(|(_, c)| c).collect())
    }

    async fn claim_slot(&self, project_id: &str, last: Option<&str>, slot: &str) -> Result<bool> {
        let mut state = self.lock();
        let sk = format!("PROJECT#{project_id}");
        let Some(mut config) = state.get::<SyncConfig>(Table::Core, "SYNCS", &sk) else { return Ok(false) };
        if config.last_slot.as_deref() != last {
            return Ok(false);
        }
        config.last_slot = Some(slot.to_string());
        state.put(Table::Core, "SYNCS", &sk, &config);
        Ok(true)
    }

    async fn begin_run(&self, run: &SyncRun, now_ms: u64) -> Result<Begun> {
        let mut state = self.lock();
        let (pk, sk) = (format!("PROJECT#{}", run.project_id), format!("SYNCRUN#{}", run.id));
        match state.get::<SyncRun>(Table::Core, &pk, &sk) {
            Some(r) if r.state == RunState::Running && r.lease_until_ms >= now_ms => Ok(Begun::Held(r)),
            Some(r) if r.state != RunState::Running => Ok(Begun::Ended(r)),
            _ => {
                state.put(Table::Core, &pk, &sk, run);
                Ok(Begun::Claimed)
            }
        }
    }

    async fn save_run(&self, run: &SyncRun) -> Result<()> {
        self.lock().put(Table::Core, &format!("PROJECT#{}", run.project_id), &format!("SYNCRUN#{}", run.id), run);
        Ok(())
    }

    async fn sync_runs(&self, project_id: &str) -> Result<Vec<SyncRun>> {
        let mut runs: Vec<SyncRun> =
            self.lock().query(Table::Core, &format!("PROJECT#{project_id}"), "SYNCRUN#").into_iter().map(|(_, r)| r).collect();
        runs.sort_by(|a, b| b.started_at.cmp(&a.started_at));
        Ok(runs)
    }
}
