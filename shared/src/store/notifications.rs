//! The notification ledger and recipients' opt-outs, in the core table.
//!
//! | pk | sk | item |
//! | --- | --- | --- |
//! | `PROJECT#{id}` | `NOTIFIED#{key}` | one notification: IN_PROGRESS (until a time) or COMPLETE |
//! | `OPTOUT#{token's keyed hash}` | `OPTOUT` | what an opt-out token stands for (one per email; TTL) |
//! | `PROJECT#{id}` | `OPTED_OUT#{email}` | a recipient who stopped response notifications |
//!
//! The ledger follows Powertools' idempotency record: a notification is
//! claimed with a conditional put (absent, or an IN_PROGRESS claim whose
//! time has run out), sent, then marked COMPLETE; if sending fails the claim
//! is released so a retry can send. A duplicate stream record, a retried
//! batch or a concurrent invocation finds the claim and sends nothing.

use std::collections::BTreeSet;

use crate::domain::guard::{token_hash, LINK_KEY};
use crate::domain::links::new_token;

/// Days an opt-out link in a notification email keeps working.
pub const OPTOUT_DAYS: u64 = 400;
use crate::domain::mail::{mask_addresses, normalise_email};
use crate::{Error, Result};

use super::{n, s};
#[allow(unused_imports)]
use crate::ports::*;

pub use crate::domain::ledger::Claim;
use crate::domain::ledger::{self, Entry};

impl crate::ports::Notifications for super::Aws {
    /// Sends `email` once under the ledger key `key`: claimed first (until
    /// the invocation's deadline, at least a minute), completed after
    /// sending, released if sending fails so that a retry can send.
    async fn send_once(
        &self,
        project_id: &str,
        key: &str,
        deadline_ms: u64,
        email: &crate::domain::mail::OutgoingEmail,
    ) -> Result<crate::domain::ledger::Sent> {
        let now_ms = crate::clock::now_ms();
        // A claim outlives this invocation only if it crashes; then it expires.
        let until_ms = deadline_ms.max(now_ms + 60_000);
        match self.claim_notification(project_id, key, now_ms, until_ms).await? {
            Claim::AlreadySent => {
                tracing::info!(project_id, key = %mask_addresses(key), "already sent");
                Ok(crate::domain::ledger::Sent::Before)
            }
            Claim::InProgressElsewhere => Err(Error::Conflict(format!("notification {key} is being sent by another invocation"))),
            Claim::Claimed => {
                // from this mark on, nothing sends it again (`domain::ledger`)
                if !self.notification_sending(project_id, key, until_ms).await? {
                    return Err(Error::Conflict(format!("notification {key}: the claim was taken over before it was sent")));
                }
                match self.send_email(email).await {
                    Ok(message_id) => {
                        if let Err(e) = self.complete_notification(project_id, key, &message_id, &crate::clock::now()).await {
                            // SES took it: the entry stays `sending`, which counts as sent
                            tracing::warn!(project_id, key = %mask_addresses(key), message_id, error = %crate::error::chain(&e), "notification sent; its completion was not recorded, and it is not sent again");
                        } else {
                            tracing::info!(project_id, key = %mask_addresses(key), message_id, "notification sent");
                        }
                        Ok(crate::domain::ledger::Sent::Now)
                    }
                    Err(e) => {
                        self.release_notification(project_id, key).await?;
                        Err(e)
                    }
                }
            }
        }
    }

    /// Claims the notification `key` of a project until `until_ms`: the
    /// put's condition is [`ledger::may_claim`]; a refusal is explained by
    /// [`ledger::refused`] from the entry found.
    async fn claim_notification(&self, project_id: &str, key: &str, now_ms: u64, until_ms: u64) -> Result<Claim> {
        let pk = format!("PROJECT#{project_id}");
        let sk = format!("NOTIFIED#{key}");
        let mut item = super::to_item(&Entry::InProgress { in_progress_until: until_ms })?;
        item.insert("pk".into(), s(&pk));
        item.insert("sk".into(), s(&sk));
        let put = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk) OR (#s = :ip AND in_progress_until < :now)")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":ip", s("IN_PROGRESS"))
            .expression_attribute_values(":now", n(now_ms))
            .send()
            .await;
        if super::applied(put, "PutItem")? {
            return Ok(Claim::Claimed);
        }
        let existing = self.ledger_entry(project_id, key).await?;
        Ok(ledger::refused(existing.as_ref()))
    }

    async fn alert_state(&self, project_id: &str, key: &str) -> Result<Option<crate::domain::alerts::AlertState>> {
        let item = self.get_item(&self.config.core_table, &format!("PROJECT#{project_id}"), &format!("ALERT#{key}")).await?;
        item.map(|i| super::from_item(i, "ALERT")).transpose()
    }

    async fn put_alert_state(&self, project_id: &str, key: &str, new: &crate::domain::alerts::AlertState) -> Result<bool> {
        let mut item = super::to_item(new)?;
        item.insert("pk".into(), s(format!("PROJECT#{project_id}")));
        item.insert("sk".into(), s(format!("ALERT#{key}")));
        let put = self.dynamodb.put_item().table_name(&self.config.core_table).set_item(Some(item));
        let put = if new.version <= 1 {
            put.condition_expression("attribute_not_exists(pk)")
        } else {
            put.condition_expression("version = :v").expression_attribute_values(":v", n(new.version - 1))
        };
        super::applied(put.send().await, "PutItem")
    }

    /// A notification's ledger entry.
    async fn ledger_entry(&self, project_id: &str, key: &str) -> Result<Option<Entry>> {
        let item = self.get_item(&self.config.core_table, &format!("PROJECT#{project_id}"), &format!("NOTIFIED#{key}")).await?;
        item.map(|i| super::from_item::<Entry>(i, "NOTIFIED")).transpose()
    }

    async fn notification_sending(&self, project_id: &str, key: &str, until_ms: u64) -> Result<bool> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(format!("PROJECT#{project_id}")))
            .key("sk", s(format!("NOTIFIED#{key}")))
            .update_expression("SET #s = :sending")
            .condition_expression("#s = :ip AND in_progress_until = :until")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":sending", s("SENDING"))
            .expression_attribute_values(":ip", s("IN_PROGRESS"))
            .expression_attribute_values(":until", n(until_ms))
            .send()
            .await;
        super::applied(out, "UpdateItem")
    }

    /// Marks a notification being sent as sent.
    async fn complete_notification(&self, project_id: &str, key: &str, message_id: &str, at: &str) -> Result<()> {
        self.dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(format!("PROJECT#{project_id}")))
            .key("sk", s(format!("NOTIFIED#{key}")))
            .update_expression("SET #s = :c, message_id = :m, sent_at = :at REMOVE in_progress_until")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":c", s("COMPLETE"))
            .expression_attribute_values(":m", s(message_id))
            .expression_attribute_values(":at", s(at))
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        Ok(())
    }

    /// Releases a claim whose sending failed, so that a retry can send.
    async fn release_notification(&self, project_id: &str, key: &str) -> Result<()> {
        self.dynamodb
            .delete_item()
            .table_name(&self.config.core_table)
            .key("pk", s(format!("PROJECT#{project_id}")))
            .key("sk", s(format!("NOTIFIED#{key}")))
            .condition_expression("#s IN (:ip, :sending)")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":ip", s("IN_PROGRESS"))
            .expression_attribute_values(":sending", s("SENDING"))
            .send()
            .await
            .map_err(Error::aws("DeleteItem"))?;
        Ok(())
    }

    /// The recipients of a project who stopped response notifications.
    async fn opted_out(&self, project_id: &str) -> Result<BTreeSet<String>> {
        let out = self
            .dynamodb
            .query()
            .table_name(&self.config.core_table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
            .expression_attribute_values(":pk", s(format!("PROJECT#{project_id}")))
            .expression_attribute_values(":p", s("OPTED_OUT#"))
            .send()
            .await
            .map_err(Error::aws("Query"))?;
        Ok(out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|i| i.get("sk").and_then(|v| v.as_s().ok()).and_then(|sk| sk.strip_prefix("OPTED_OUT#")).map(str::to_string))
            .collect())
    }

    /// A fresh opt-out token for a recipient, for one email: kept only as
    /// its keyed hash, working for [`OPTOUT_DAYS`] days.
    async fn optout_token(&self, project_id: &str, email: &str) -> Result<String> {
        use crate::ports::Guard;
        let token = new_token();
        let id = token_hash(self.secret(LINK_KEY).await?.as_slice(), &token);
        let expires = crate::clock::now_ms() / 1000 + OPTOUT_DAYS * 86_400;
        self.dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .item("pk", s(format!("OPTOUT#{id}")))
            .item("sk", s("OPTOUT"))
            .item("project_id", s(project_id))
            .item("email", s(normalise_email(email)))
            .item("expires_at", super::n(expires))
            .send()
            .await
            .map_err(Error::aws("PutItem"))?;
        Ok(token)
    }

    /// What an opt-out token stands for: (project id, recipient).
    async fn find_optout(&self, token: &str) -> Result<Option<(String, String)>> {
        use crate::ports::Guard;
        let id = token_hash(self.secret(LINK_KEY).await?.as_slice(), token);
        let item = self.get_item(&self.config.core_table, &format!("OPTOUT#{id}"), "OPTOUT").await?;
        let now_s = crate::clock::now_ms() / 1000;
        Ok(item.and_then(|i| {
            let get = |k: &str| i.get(k).and_then(|v| v.as_s().ok()).cloned();
            // TTL deletes within days of expiry: the time is checked here
            let expires: u64 = i.get("expires_at").and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()).unwrap_or(u64::MAX);
            (expires > now_s).then_some(())?;
            Some((get("project_id")?, get("email")?))
        }))
    }

    /// Stops response notifications to a recipient (idempotent).
    async fn opt_out(&self, project_id: &str, email: &str, at: &str) -> Result<()> {
        self.dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .item("pk", s(format!("PROJECT#{project_id}")))
            .item("sk", s(format!("OPTED_OUT#{}", normalise_email(email))))
            .item("at", s(at))
            .send()
            .await
            .map_err(Error::aws("PutItem"))?;
        Ok(())
    }
}
