//! The automated B2B sync in DynamoDB.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `SYNCS` | `PROJECT#{project}` | a project's sync: its settings and the last scheduled slot claimed (one query finds every sync a scheduled tick looks at) |
//! | core | `PROJECT#{project}` | `SYNCRUN#{run id}` | a run: its files with what each import did, its state, its lease |

use serde::{Deserialize, Serialize};

use crate::domain::b2b::sync::{SyncConfig, SyncRun};
use crate::{Error, Result};

use super::{applied, from_item, n, s, to_item};
#[allow(unused_imports)]
use crate::ports::*;

pub use crate::ports::Begun;

const SYNCS_PK: &str = "SYNCS";

#[derive(Serialize, Deserialize)]
struct Keyed<T> {
    pk: String,
    sk: String,
    #[serde(flatten)]
    inner: T,
}

fn project_sk(project_id: &str) -> String {
    format!("PROJECT#{project_id}")
}

fn run_key(project_id: &str, run_id: &str) -> (String, String) {
    (format!("PROJECT#{project_id}"), format!("SYNCRUN#{run_id}"))
}

impl crate::ports::Syncs for super::Aws {
    async fn put_sync(&self, config: &SyncConfig) -> Result<()> {
        let item = to_item(&Keyed { pk: SYNCS_PK.into(), sk: project_sk(&config.project_id), inner: config.clone() })?;
        self.dynamodb.put_item().table_name(&self.config.core_table).set_item(Some(item)).send().await.map_err(Error::aws("PutItem"))?;
        Ok(())
    }

    async fn get_sync(&self, project_id: &str) -> Result<Option<SyncConfig>> {
        let item = self.get_item(&self.config.core_table, SYNCS_PK, &project_sk(project_id)).await?;
        item.map(|i| from_item::<Keyed<SyncConfig>>(i, "SYNCS").map(|k| k.inner)).transpose()
    }

    async fn syncs(&self) -> Result<Vec<SyncConfig>> {
        let items = self.query_all(&self.config.core_table, SYNCS_PK, "PROJECT#").await?;
        items.into_iter().map(|i| from_item::<Keyed<SyncConfig>>(i, "SYNCS").map(|k| k.inner)).collect()
    }

    async fn claim_slot(&self, project_id: &str, last: Option<&str>, slot: &str) -> Result<bool> {
        let update = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(SYNCS_PK))
            .key("sk", s(project_sk(project_id)))
            .update_expression("SET last_slot = :slot");
        let update = match last {
            Some(l) => update.condition_expression("last_slot = :last").expression_attribute_values(":last", s(l)),
            None => update.condition_expression("attribute_exists(pk) AND attribute_not_exists(last_slot)"),
        };
        applied(update.expression_attribute_values(":slot", s(slot)).send().await, "UpdateItem")
    }

    async fn begin_run(&self, run: &SyncRun, now_ms: u64) -> Result<Begun> {
        let (pk, sk) = run_key(&run.project_id, &run.id);
        let item = to_item(&Keyed { pk: pk.clone(), sk: sk.clone(), inner: run.clone() })?;
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk) OR (#state = :running AND lease_until_ms < :now)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":running", s("running"))
            .expression_attribute_values(":now", n(now_ms))
            .send()
            .await;
        if applied(out, "PutItem")? {
            return Ok(Begun::Claimed);
        }
        let item = self.get_item(&self.config.core_table, &pk, &sk).await?;
        let stored = item.map(|i| from_item::<Keyed<SyncRun>>(i, "SYNCRUN").map(|k| k.inner)).transpose()?;
        Ok(match stored {
            Some(r) if r.state == crate::domain::b2b::sync::RunState::Running => Begun::Held(r),
            Some(r) => Begun::Ended(r),
            // deleted meanwhile (the project's deletion): nothing to take over
            None => Begun::Held(run.clone()),
        })
    }

    async fn save_run(&self, run: &SyncRun) -> Result<()> {
        let (pk, sk) = run_key(&run.project_id, &run.id);
        let item = to_item(&Keyed { pk, sk, inner: run.clone() })?;
        self.dynamodb.put_item().table_name(&self.config.core_table).set_item(Some(item)).send().await.map_err(Error::aws("PutItem"))?;
        Ok(())
    }

    async fn sync_runs(&self, project_id: &str) -> Result<Vec<SyncRun>> {
        let items = self.query_all(&self.config.core_table, &format!("PROJECT#{project_id}"), "SYNCRUN#").await?;
        let mut runs = items.into_iter().map(|i| from_item::<Keyed<SyncRun>>(i, "SYNCRUN").map(|k| k.inner)).collect::<Result<Vec<_>>>()?;
        runs.sort_by(|a, b| b.started_at.cmp(&a.started_at));
        Ok(runs)
    }
}
