//! The public links' defences in DynamoDB (see `domain::guard`).
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `SECRET#{name}` | `SECRET` | `key`: 32 random bytes, made once (conditional put) |
//! | core | `RATE#{window key}` (or `RATE#{window key}#~{shard}` for a window spread over partitions) | `M#{minute}` | `n`: requests in that minute (on that shard); expires after two minutes |
//! | core | `PROJECT#{id}` | `REFUSED#{day}` | one counter per refusal reason |

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use super::{applied, n, s};
use crate::domain::guard::{shard_admits, window_shards, Refusal};
use crate::{Error, Result};

fn number(v: Option<&AttributeValue>) -> u64 {
    v.and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// What a sealed value is for, bound into its ciphertext: a value sealed
/// for something else does not open as a link.
const SEALED_FOR: (&str, &str) = ("purpose", "pulse-link");

impl crate::ports::Guard for super::Aws {
    async fn seal(&self, clear: &str) -> Result<String> {
        use base64::Engine;
        let out = self
            .kms
            .encrypt()
            .key_id(&self.config.links_key_id)
            .encryption_context(SEALED_FOR.0, SEALED_FOR.1)
            .plaintext(aws_sdk_kms::primitives::Blob::new(clear.as_bytes()))
            .send()
            .await
            .map_err(Error::aws("KMS Encrypt"))?;
        let blob = out.ciphertext_blob.ok_or_else(|| Error::Conflict("KMS Encrypt returned no ciphertext".into()))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(blob.as_ref()))
    }

    async fn unseal(&self, sealed: &str) -> Result<String> {
        use base64::Engine;
        let blob = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .map_err(|e| Error::Corrupt { key: "a sealed link".into(), source: Box::new(e) })?;
        let out = self
            .kms
            .decrypt()
            .key_id(&self.config.links_key_id)
            .encryption_context(SEALED_FOR.0, SEALED_FOR.1)
            .ciphertext_blob(aws_sdk_kms::primitives::Blob::new(blob))
            .send()
            .await
            .map_err(Error::aws("KMS Decrypt"))?;
        let clear = out.plaintext.ok_or_else(|| Error::Conflict("KMS Decrypt returned nothing".into()))?;
        String::from_utf8(clear.into_inner()).map_err(|e| Error::Corrupt { key: "a sealed link".into(), source: Box::new(e) })
    }

    async fn secret(&self, name: &str) -> Result<Arc<[u8; 32]>> {
        if let Some(key) = self.secrets.get(name) {
            return Ok(key);
        }
        let pk = format!("SECRET#{name}");
        let read = |item: Option<super::Item>| -> Option<[u8; 32]> {
            let bytes = item?.get("key")?.as_b().ok()?.as_ref().to_vec();
            bytes.try_into().ok()
        };
        let key = match read(self.get_item(&self.config.core_table, &pk, "SECRET").await?) {
            Some(key) => key,
            None => {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh).expect("the operating system's random generator is unavailable");
                let out = self
                    .dynamodb
                    .put_item()
                    .table_name(&self.config.core_table)
                    .item("pk", s(&pk))
                    .item("sk", s("SECRET"))
                    .item("key", AttributeValue::B(fresh.to_vec().into()))
                    .condition_expression("attribute_not_exists(pk)")
                    .send()
                    .await;
                if applied(out, "PutItem")? {
                    fresh
                } else {
                    // another Lambda made it first: theirs is the key
                    let item = self.get_item(&self.config.core_table, &pk, "SECRET").await?;
                    read(item).ok_or_else(|| Error::Corrupt { key: pk.clone(), source: "the secret is not 32 bytes".into() })?
                }
            }
        };
        let key = Arc::new(key);
        self.secrets.put(name.to_string(), key.clone());
        Ok(key)
    }

    async fn admit(&self, windows: &[(String, u64)], now_ms: u64) -> Result<Option<usize>> {
        let minute = now_ms / 60_000;
        let expires = (minute + 3) * 60;
        // a window beyond one partition's rate is counted on a random one
        // of its shards, whose counts estimate the whole (domain::guard)
        let counts = windows.iter().map(|(key, limit)| async move {
            let shards = window_shards(*limit);
            let pk = crate::domain::shard::key(&format!("RATE#{key}"), fastrand::u32(..shards));
            let add = self
                .dynamodb
                .update_item()
                .table_name(&self.config.core_table)
                .key("pk", s(&pk))
                .key("sk", s(format!("M#{minute}")))
                .update_expression("ADD n :one SET expires_at = :exp")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":exp", n(expires))
                .return_values(ReturnValue::UpdatedNew)
                .send();
            let previous_sk = format!("M#{}", minute.saturating_sub(1));
            let previous = self.get_item(&self.config.core_table, &pk, &previous_sk);
            let (added, previous) = tokio::join!(add, previous);
            let current = number(added.map_err(Error::aws("UpdateItem"))?.attributes().and_then(|a| a.get("n")));
            Ok::<_, Error>((number(previous?.as_ref().and_then(|i| i.get("n"))), current, shards))
        });
        let counted = futures_util::future::try_join_all(counts).await?;
        Ok(counted
            .iter()
            .zip(windows)
            .position(|((previous, current, shards), (_, limit))| !shard_admits(*previous, *current, *shards, now_ms % 60_000, *limit)))
    }

    async fn count_blocked(&self, project_id: &str, reason: Refusal, day: &str) -> Result<()> {
        self.dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(format!("PROJECT#{project_id}")))
            .key("sk", s(format!("REFUSED#{day}")))
            .update_expression("ADD #r :one")
            .expression_attribute_names("#r", reason.as_str())
            .expression_attribute_values(":one", n(1))
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        Ok(())
    }

    async fn refusals(&self, project_id: &str, from_day: &str) -> Result<BTreeMap<String, BTreeMap<String, u64>>> {
        let mut out = BTreeMap::new();
        for item in self.query_all(&self.config.core_table, &format!("PROJECT#{project_id}"), "REFUSED#").await? {
            let Some(day) = item.get("sk").and_then(|v| v.as_s().ok()).and_then(|sk| sk.strip_prefix("REFUSED#")) else { continue };
            if day < from_day {
                continue;
            }
            let reasons = item.iter().filter(|(k, _)| *k != "pk" && *k != "sk").map(|(k, v)| (k.clone(), number(Some(v)))).collect();
            out.insert(day.to_string(), reasons);
        }
        Ok(out)
    }
}
