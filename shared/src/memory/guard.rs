//! The double of the public links' defences (see [`super`]), under the keys
//! of `store::guard`; the window's rule is the domain's.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use super::{Memory, Table};
use crate::domain::guard::{window_admits, Refusal};
use crate::Result;

impl crate::ports::Guard for Memory {
    /// Kept aside under a random handle: the double's "ciphertext" tells
    /// nothing of what it seals, as KMS's does not.
    async fn seal(&self, clear: &str) -> Result<String> {
        let handle = format!("sealed:{}", crate::domain::links::new_id());
        self.lock().put(Table::Core, "SEALED", &handle, &clear.to_string());
        Ok(handle)
    }

    async fn unseal(&self, sealed: &str) -> Result<String> {
        self.lock().get::<String>(Table::Core, "SEALED", sealed).ok_or_else(|| crate::Error::Conflict("nothing was sealed as this".into()))
    }

    async fn secret(&self, name: &str) -> Result<Arc<[u8; 32]>> {
        let mut st = self.lock();
        let pk = format!("SECRET#{name}");
        if let Some(key) = st.get::<[u8; 32]>(Table::Core, &pk, "SECRET") {
            return Ok(Arc::new(key));
        }
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).expect("the operating system's random generator is unavailable");
        st.put(Table::Core, &pk, "SECRET", &fresh);
        Ok(Arc::new(fresh))
    }

    async fn admit(&self, windows: &[(String, u64)], now_ms: u64) -> Result<Option<usize>> {
        let mut st = self.lock();
        let minute = now_ms / 60_000;
        let mut refused = None;
        for (i, (key, limit)) in windows.iter().enumerate() {
            let pk = format!("RATE#{key}");
            let previous = st.get::<u64>(Table::Core, &pk, &format!("M#{}", minute.saturating_sub(1))).unwrap_or(0);
            let current = st.get::<u64>(Table::Core, &pk, &format!("M#{minute}")).unwrap_or(0) + 1;
            st.put(Table::Core, &pk, &format!("M#{minute}"), &current);
            if refused.is_none() && !window_admits(previous, current, now_ms % 60_000, *limit) {
                refused = Some(i);
            }
        }
        Ok(refused)
    }

    async fn count_blocked(&self, project_id: &str, reason: Refusal, day: &str) -> Result<()> {
        let mut st = self.lock();
        let (pk, sk) = (format!("PROJECT#{project_id}"), format!("REFUSED#{day}"));
        let mut counts: Value = st.get(Table::Core, &pk, &sk).unwrap_or_else(|| json!({}));
        let n = counts[reason.as_str()].as_u64().unwrap_or(0) + 1;
        counts[reason.as_str()] = json!(n);
        st.put(Table::Core, &pk, &sk, &counts);
        Ok(())
    }

    async fn refusals(&self, project_id: &str, from_day: &str) -> Result<BTreeMap<String, BTreeMap<String, u64>>> {
        let st = self.lock();
        Ok(st
            .query::<BTreeMap<String, u64>>(Table::Core, &format!("PROJECT#{project_id}"), "REFUSED#")
            .into_iter()
            .filter_map(|(sk, counts)| sk.strip_prefix("REFUSED#").map(|d| (d.to_string(), counts)))
            .filter(|(day, _)| day.as_str() >= from_day)
            .collect())
    }
}
