//! The contact directory, mailing lists, suppressions and contact imports.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | contacts | `PROJECT#{id}` or `PROJECT#{id}#~{shard}` | `CONTACT#{email key}` | a contact (upserted by imports), on the shard its address picks |
//! | contacts | `PROJECT#{id}` | `SUPPRESSED#{email key}` | an unsubscribed / bounced / suppressed address |
//! | contacts | `PROJECT#{id}` | `ERASED#{subject hash}` | an erased person's mark: when, and whether they were suppressed (no address) |
//! | contacts | `LIST#{list id}` or `LIST#{list id}#~{shard}` | `CONTACT#{email key}` | a list member, with the contact as imported, on the shard its address picks |
//! | core | `PROJECT#{id}` | `LIST#{list id}` | a mailing list (name, state, size) |
//! | core | `PROJECT#{id}` | `IMPORT#{upload id}` | an import: state, counts, checkpoint, report |
//!
//! Contacts and list members are spread over [`SHARDS`] partition keys
//! each by a hash of the address (shard 0 is the key of the design before,
//! where older contacts are still found): one import writes through 32
//! partitions instead of two. A contact is found by its address in one
//! call (its shard and shard 0 together); a list is read shard after shard.
//!
//! Suppressions are items of their own, so that an import, which overwrites
//! contacts, can never lift one. A list's id is its upload's id: the same
//! upload always writes the same members.

use std::collections::HashSet;
use std::time::Duration;

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, ReturnValue, WriteRequest};
use serde::{Deserialize, Serialize};

use crate::domain::contacts::ContactRow;
#[cfg(doc)]
use crate::domain::directory::SHARDS;
use crate::domain::directory::{contacts_base, lookup_pks, members_base, spread_pk};
pub use crate::domain::directory::{Contact, Erasure, ImportRecord, ListState, MailingList, Suppression};
use crate::domain::erasure::Marker;
use crate::domain::imports::{key_hash, ImportState};
use crate::domain::shard;
use crate::{Error, Result};

use super::{applied, condition_failed, from_item, n, s, sort_key, to_item, Item};
#[allow(unused_imports)]
use crate::ports::*;

/// DynamoDB's limit of requests in one BatchWriteItem.
pub const BATCH_ITEMS: usize = 25;

/// How often a batch's unprocessed items are tried again before the batch fails.
const BATCH_ATTEMPTS: u32 = 10;

fn project_pk(id: &str) -> String {
    format!("PROJECT#{id}")
}

fn contact_sk(email_key: &str) -> String {
    format!("CONTACT#{email_key}")
}

#[derive(Serialize, Deserialize)]
struct ContactItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    contact: Contact,
}

#[derive(Serialize, Deserialize)]
struct SuppressionItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    suppression: Suppression,
}

#[derive(Serialize, Deserialize)]
struct ListItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    list: MailingList,
}

#[derive(Serialize, Deserialize)]
struct ImportItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    record: ImportRecord,
}

fn import_sk(upload_id: &str) -> String {
    format!("IMPORT#{upload_id}")
}

fn import_key(project_id: &str, upload_id: &str) -> Item {
    Item::from([("pk".to_string(), s(project_pk(project_id))), ("sk".to_string(), s(import_sk(upload_id)))])
}

fn dynamo<T: Serialize>(value: &T) -> Result<AttributeValue> {
    serde_dynamo::to_attribute_value(value).map_err(|e| Error::Corrupt { key: "new value".into(), source: Box::new(e) })
}

impl super::Aws {
    /// One BatchWriteItem, with its `UnprocessedItems` (or the whole call,
    /// when DynamoDB throttles all of it, which applies none of it) tried
    /// again after an exponential backoff with full jitter until none is left.
    pub async fn batch_write(&self, table: &str, mut requests: Vec<WriteRequest>) -> Result<()> {
        for attempt in 0..BATCH_ATTEMPTS {
            if attempt > 0 {
                let cap = (25u64 << attempt.min(7)).min(3_000);
                tokio::time::sleep(Duration::from_millis(fastrand::u64(0..=cap))).await;
            }
            let out = match self.dynamodb.batch_write_item().request_items(table, requests.clone()).send().await {
                Ok(out) => out,
                Err(e) if super::throttled(&e) => {
                    tracing::debug!(table, left = requests.len(), attempt, "BatchWriteItem throttled, backing off");
                    continue;
                }
                Err(e) => return Err(Error::aws("BatchWriteItem")(e)),
            };
            requests = out.unprocessed_items.and_then(|mut u| u.remove(table)).unwrap_or_default();
            if requests.is_empty() {
                return Ok(());
            }
            tracing::debug!(table, left = requests.len(), attempt, "unprocessed items, backing off");
        }
        Err(Error::Aws {
            operation: "BatchWriteItem",
            source: format!("{} items were still unprocessed after {BATCH_ATTEMPTS} attempts", requests.len()).into(),
        })
    }
}

impl crate::ports::Imports for super::Aws {
    // ------------------------------------------------------------ imports

    /// Records an upload unless it is recorded already (false then): a
    /// new one when its URL is handed out, or one whose file arrived in the
    /// bucket without a URL from the admin API.
    async fn create_import(&self, r: &ImportRecord) -> Result<bool> {
        let item = to_item(&ImportItem { pk: project_pk(&r.project_id), sk: import_sk(&r.upload_id), record: r.clone() })?;
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        applied(out, "PutItem")
    }

    async fn get_import(&self, project_id: &str, upload_id: &str) -> Result<Option<ImportRecord>> {
        let item = self.get_item(&self.config.core_table, &project_pk(project_id), &import_sk(upload_id)).await?;
        item.map(|i| from_item::<ImportItem>(i, "IMPORT").map(|i| i.record)).transpose()
    }

    /// A project's imports, oldest first.
    async fn list_imports(&self, project_id: &str) -> Result<Vec<ImportRecord>> {
        let items = self.query_all(&self.config.core_table, &project_pk(project_id), "IMPORT#").await?;
        let mut all = items.into_iter().map(|i| from_item::<ImportItem>(i, "IMPORT").map(|i| i.record)).collect::<Result<Vec<_>>>()?;
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(all)
    }

    /// Starts (or restarts) pass 1 for the file version `etag`; counts the
    /// invocation. False when the import is past validation or holds
    /// another file version (nothing changed then).
    async fn start_validation(&self, upload: &crate::domain::upload::UploadRef, etag: &str, size: u64, now: &str) -> Result<bool> {
        let r = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(import_key(&upload.project_id, &upload.upload_id)))
            .update_expression("SET #state = :validating, etag = :etag, #size = :size, updated_at = :now ADD invocations :one")
            .condition_expression("#state IN (:awaiting, :validating) AND (attribute_not_exists(etag) OR etag = :etag)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#size", "size")
            .expression_attribute_values(":validating", dynamo(&ImportState::Validating)?)
            .expression_attribute_values(":awaiting", dynamo(&ImportState::AwaitingUpload)?)
            .expression_attribute_values(":etag", s(etag))
            .expression_attribute_values(":size", n(size))
            .expression_attribute_values(":now", s(now))
            .expression_attribute_values(":one", n(1))
            .send()
            .await;
        applied(r, "UpdateItem")
    }

    /// Counts one more invocation of a running import.
    async fn note_replaced(&self, project_id: &str, upload_id: &str, now: &str) -> Result<()> {
        self.dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(import_key(project_id, upload_id)))
            .update_expression("SET replaced_at = if_not_exists(replaced_at, :now)")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":now", s(now))
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        Ok(())
    }

    async fn count_invocation(&self, project_id: &str, upload_id: &str, now: &str) -> Result<()> {
        self.dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(import_key(project_id, upload_id)))
            .update_expression("SET updated_at = :now ADD invocations :one")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":now", s(now))
            .expression_attribute_values(":one", n(1))
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        Ok(())
    }

    /// Ends pass 1: the counts are final, the rejected rows' CSV is stored
    /// and writing begins from the first line. Only from `validating`.
    async fn mark_validated(&self, r: &ImportRecord) -> Result<bool> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(import_key(&r.project_id, &r.upload_id)))
            .update_expression(
                "SET #state = :running, counts = :counts, warnings = :warnings, first_rejections = :rejections, \
                 rejected_key = :rejected, #format = :format, #encoding = :encoding, written = :zero, checkpoint_line = :zero, \
                 updated_at = :now",
            )
            .condition_expression("#state = :validating")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#format", "format")
            .expression_attribute_values(":format", dynamo(&r.format)?)
            .expression_attribute_names("#encoding", "encoding")
            .expression_attribute_values(":encoding", dynamo(&r.encoding)?)
            .expression_attribute_values(":running", dynamo(&ImportState::Running)?)
            .expression_attribute_values(":validating", dynamo(&ImportState::Validating)?)
            .expression_attribute_values(":counts", dynamo(&r.counts)?)
            .expression_attribute_values(":warnings", dynamo(&r.warnings)?)
            .expression_attribute_values(":rejections", dynamo(&r.first_rejections)?)
            .expression_attribute_values(":rejected", dynamo(&r.rejected_key)?)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":now", s(&r.updated_at))
            .send()
            .await;
        applied(out, "UpdateItem")
    }

    async fn note_validation(&self, project_id: &str, upload_id: &str, rows: u64, bytes: u64, now: &str) -> Result<()> {
        let progress = Progress { state: ImportState::Validating, field: "validated_rows", value: rows, also: ("validated_bytes", bytes) };
        self.import_progress(project_id, upload_id, progress, now).await
    }

    /// Moves the checkpoint forward (never back: a slower duplicate run
    /// cannot undo the progress of a faster one).
    async fn checkpoint(&self, project_id: &str, upload_id: &str, line: u64, written: u64, now: &str) -> Result<()> {
        let progress = Progress { state: ImportState::Running, field: "checkpoint_line", value: line, also: ("written", written) };
        self.import_progress(project_id, upload_id, progress, now).await
    }

    /// Ends an import as `done` or `failed`, once: false if it had ended.
    async fn finish_import(&self, r: &ImportRecord) -> Result<bool> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(import_key(&r.project_id, &r.upload_id)))
            .update_expression(
                "SET #state = :state, #error = :error, header_problem = :problem, file_problem = :file_problem, summary_key = :summary, \
                 written = :written, checkpoint_line = :line, updated_at = :now, finished_at = :now",
            )
            .condition_expression("attribute_exists(pk) AND NOT #state IN (:done, :failed)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#error", "error")
            .expression_attribute_values(":state", dynamo(&r.state)?)
            .expression_attribute_values(":error", dynamo(&r.error)?)
            .expression_attribute_values(":problem", dynamo(&r.header_problem)?)
            .expression_attribute_values(":file_problem", dynamo(&r.file_problem)?)
            .expression_attribute_values(":summary", dynamo(&r.summary_key)?)
            .expression_attribute_values(":written", n(r.written))
            .expression_attribute_values(":line", n(r.checkpoint_line))
            .expression_attribute_values(":now", s(&r.updated_at))
            .expression_attribute_values(":done", dynamo(&ImportState::Done)?)
            .expression_attribute_values(":failed", dynamo(&ImportState::Failed)?)
            .send()
            .await;
        applied(out, "UpdateItem")
    }
}

impl crate::ports::Directory for super::Aws {
    // -------------------------------------------------------------- lists

    /// Creates a list (state `importing`) unless it exists.
    async fn create_list(&self, list: &MailingList) -> Result<()> {
        let item = to_item(&ListItem { pk: project_pk(&list.project_id), sk: format!("LIST#{}", list.list_id), list: list.clone() })?;
        let out = self
            .dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if condition_failed(&e) => Ok(()),
            Err(e) => Err(Error::aws("PutItem")(e)),
        }
    }

    /// Marks a list ready with its size.
    async fn list_ready(&self, project_id: &str, list_id: &str, contacts: u64) -> Result<()> {
        self.dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(project_pk(project_id)))
            .key("sk", s(format!("LIST#{list_id}")))
            .update_expression("SET #state = :ready, contacts = :n")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":ready", s("ready"))
            .expression_attribute_values(":n", n(contacts))
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        Ok(())
    }

    async fn get_list(&self, project_id: &str, list_id: &str) -> Result<Option<MailingList>> {
        let item = self.get_item(&self.config.core_table, &project_pk(project_id), &format!("LIST#{list_id}")).await?;
        item.map(|i| from_item::<ListItem>(i, "LIST").map(|l| l.list)).transpose()
    }

    async fn list_lists(&self, project_id: &str) -> Result<Vec<MailingList>> {
        let items = self.query_all(&self.config.core_table, &project_pk(project_id), "LIST#").await?;
        let mut all = items.into_iter().map(|i| from_item::<ListItem>(i, "LIST").map(|l| l.list)).collect::<Result<Vec<_>>>()?;
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(all)
    }

    /// Which of `list_ids` `email_key` is a member of (one BatchGetItem:
    /// each list's shard for the address, and its shard 0).
    async fn lists_of(&self, email_key: &str, list_ids: &[String]) -> Result<Vec<String>> {
        let mut list_of = std::collections::HashMap::new();
        let mut keys = Vec::new();
        for l in list_ids {
            for pk in lookup_pks(&members_base(l), email_key, self.directory_shards) {
                keys.push(Item::from([("pk".to_string(), s(&pk)), ("sk".to_string(), s(contact_sk(email_key)))]));
                list_of.insert(pk, l.as_str());
            }
        }
        let found: HashSet<&str> = self
            .batch_get(&self.config.contacts_table, keys)
            .await?
            .iter()
            .filter_map(|i| i.get("pk").and_then(|v| v.as_s().ok()).and_then(|pk| list_of.get(pk.as_str())).copied())
            .collect();
        Ok(list_ids.iter().filter(|l| found.contains(l.as_str())).cloned().collect())
    }

    /// A page of a list's members, shard after shard, the page in address
    /// order (`after`: the `next` of the previous page: a shard and the
    /// last email key read there; with one shard, the last email key, as
    /// before the spread).
    async fn list_members(&self, list_id: &str, after: Option<&str>, limit: i32) -> Result<(Vec<Contact>, Option<String>)> {
        let (shards, base) = (self.directory_shards.max(1), members_base(list_id));
        let (mut at, mut last) = after.map_or((0, None), shard::parse_cursor);
        let mut members = Vec::new();
        while at < shards {
            let room = limit.max(1) - i32::try_from(members.len()).unwrap_or(i32::MAX);
            if room <= 0 {
                // full at a shard's end: the next page starts on the next shard
                return Ok((by_address(members), Some(shard::cursor(at, None))));
            }
            let start = last.take().map(|k: String| contact_sk(&k));
            let (items, next) =
                self.query_page(&self.config.contacts_table, &shard::key(&base, at), "CONTACT#", start.as_deref(), Some(room)).await?;
            for i in items {
                members.push(from_item::<ContactItem>(i, "LIST member")?.contact);
            }
            match next.and_then(|sk| sk.strip_prefix("CONTACT#").map(str::to_string)) {
                // the page is full: it goes on after its last member read
                Some(key) if shards == 1 => return Ok((members, Some(key))),
                Some(key) => return Ok((by_address(members), Some(shard::cursor(at, Some(&key))))),
                None => at += 1,
            }
        }
        Ok((by_address(members), None))
    }

    // ----------------------------------------------------------- contacts

    /// Upserts contacts and puts them on a list, in BatchWriteItem calls of
    /// 25 requests (two per contact, each on the shard its address picks).
    /// The rows must have distinct emails.
    async fn write_contacts(&self, project_id: &str, list_id: &str, rows: &[ContactRow], upload_id: &str, now: &str) -> Result<()> {
        let mut requests = Vec::with_capacity(rows.len() * 2);
        let (contacts, members) = (contacts_base(project_id), members_base(list_id));
        for row in rows {
            let contact = Contact::from_row(row, upload_id, now);
            for base in [&contacts, &members] {
                let pk = spread_pk(base, &contact.email_key, self.directory_shards);
                let item = to_item(&ContactItem { pk, sk: contact_sk(&contact.email_key), contact: contact.clone() })?;
                let put = PutRequest::builder().set_item(Some(item)).build().map_err(Error::aws("BatchWriteItem (put)"))?;
                requests.push(WriteRequest::builder().put_request(put).build());
            }
        }
        for chunk in requests.chunks(BATCH_ITEMS) {
            self.batch_write(&self.config.contacts_table, chunk.to_vec()).await?;
        }
        Ok(())
    }

    /// The contact on its address's shard, or (written before the spread
    /// and not since) on shard 0: both asked in one BatchGetItem.
    async fn get_contact(&self, project_id: &str, email_key: &str) -> Result<Option<Contact>> {
        let pks = lookup_pks(&contacts_base(project_id), email_key, self.directory_shards);
        let keys = pks.iter().map(|pk| Item::from([("pk".to_string(), s(pk)), ("sk".to_string(), s(contact_sk(email_key)))])).collect();
        let found = self.batch_get(&self.config.contacts_table, keys).await?;
        let on = |pk: &String| found.iter().find(|i| i.get("pk").and_then(|v| v.as_s().ok()) == Some(pk));
        let Some(item) = pks.iter().find_map(on) else { return Ok(None) };
        from_item::<ContactItem>(item.clone(), "CONTACT").map(|c| Some(c.contact))
    }

    // ------------------------------------------------------- suppressions

    /// Suppresses an address for a project; the first reason stays.
    async fn suppress(&self, project_id: &str, email_key: &str, reason: &str, at: &str) -> Result<Suppression> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.contacts_table)
            .key("pk", s(project_pk(project_id)))
            .key("sk", s(format!("SUPPRESSED#{email_key}")))
            .update_expression(
                "SET email_key = if_not_exists(email_key, :k), reason = if_not_exists(reason, :r), #at = if_not_exists(#at, :at)",
            )
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":k", s(email_key))
            .expression_attribute_values(":r", s(reason))
            .expression_attribute_values(":at", s(at))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        let mut item = out.attributes.unwrap_or_default();
        item.insert("pk".into(), s(project_pk(project_id)));
        item.insert("sk".into(), s(format!("SUPPRESSED#{email_key}")));
        from_item::<SuppressionItem>(item, "SUPPRESSED").map(|i| i.suppression)
    }

    async fn get_suppression(&self, project_id: &str, email_key: &str) -> Result<Option<Suppression>> {
        let item = self.get_item(&self.config.contacts_table, &project_pk(project_id), &format!("SUPPRESSED#{email_key}")).await?;
        item.map(|i| from_item::<SuppressionItem>(i, "SUPPRESSED").map(|i| i.suppression)).transpose()
    }

    async fn suppressions_of(&self, project_id: &str, email_keys: &[String]) -> Result<std::collections::HashMap<String, Suppression>> {
        let pk = project_pk(project_id);
        let keys =
            email_keys.iter().map(|k| Item::from([("pk".to_string(), s(&pk)), ("sk".to_string(), s(format!("SUPPRESSED#{k}")))])).collect();
        let mut found = std::collections::HashMap::new();
        for item in self.batch_get(&self.config.contacts_table, keys).await? {
            let suppression = from_item::<SuppressionItem>(item, "SUPPRESSED")?.suppression;
            found.insert(suppression.email_key.clone(), suppression);
        }
        Ok(found)
    }

    async fn list_suppressions(&self, project_id: &str) -> Result<Vec<Suppression>> {
        let items = self.query_all(&self.config.contacts_table, &project_pk(project_id), "SUPPRESSED#").await?;
        items.into_iter().map(|i| from_item::<SuppressionItem>(i, "SUPPRESSED").map(|i| i.suppression)).collect()
    }

    /// The hashes of a project's suppressed email keys (8 bytes each).
    async fn suppressed_hashes(&self, project_id: &str) -> Result<HashSet<u64>> {
        let items = self.query_all(&self.config.contacts_table, &project_pk(project_id), "SUPPRESSED#").await?;
        Ok(items.iter().filter_map(sort_key).filter_map(|sk| sk.strip_prefix("SUPPRESSED#")).map(key_hash).collect())
    }

    // ---------------------------------------------------------------- GDPR

    async fn erase_directory(&self, project_id: &str, email_key: &str, subject: &str, now: &str) -> Result<Erasure> {
        let (contacts, pk) = (&self.config.contacts_table, project_pk(project_id));
        let mut erased = Erasure::default();
        for at in lookup_pks(&contacts_base(project_id), email_key, self.directory_shards) {
            erased.contact |= self.delete_existing(contacts, &at, &contact_sk(email_key)).await?;
        }
        for list in self.list_lists(project_id).await? {
            let mut member = false;
            for at in lookup_pks(&members_base(&list.list_id), email_key, self.directory_shards) {
                member |= self.delete_existing(contacts, &at, &contact_sk(email_key)).await?;
            }
            if member {
                erased.list_memberships += 1;
                let shrink = self
                    .dynamodb
                    .update_item()
                    .table_name(&self.config.core_table)
                    .key("pk", s(&pk))
                    .key("sk", s(format!("LIST#{}", list.list_id)))
                    .update_expression("ADD contacts :minus")
                    .condition_expression("attribute_exists(pk) AND contacts > :zero")
                    .expression_attribute_values(":minus", AttributeValue::N("-1".into()))
                    .expression_attribute_values(":zero", n(0))
                    .send()
                    .await;
                if let Err(e) = shrink {
                    if !condition_failed(&e) {
                        return Err(Error::aws("UpdateItem")(e));
                    }
                }
            }
        }
        erased.links = self.erase_links(project_id, email_key).await?;
        erased.b2b_contacts = self.erase_b2b_contacts(project_id, email_key).await?;
        (erased.invitations, erased.triggered_sends) = self.erase_from_sending(project_id, email_key).await?;
        erased.suppression_hashed = self.delete_existing(contacts, &pk, &format!("SUPPRESSED#{email_key}")).await?;
        // The mark: written last, so that a retry after a failure above runs
        // every step again; a second erasure keeps the first one's time and
        // never forgets a suppression.
        let suppressed = if erased.suppression_hashed { ":t" } else { "if_not_exists(suppressed, :f)" };
        let mut mark = self
            .dynamodb
            .update_item()
            .table_name(contacts)
            .key("pk", s(&pk))
            .key("sk", s(format!("ERASED#{subject}")))
            .update_expression(format!("SET subject = :s, erased_at = if_not_exists(erased_at, :at), suppressed = {suppressed}"))
            .expression_attribute_values(":s", s(subject))
            .expression_attribute_values(":at", s(now));
        mark = if erased.suppression_hashed {
            mark.expression_attribute_values(":t", AttributeValue::Bool(true))
        } else {
            mark.expression_attribute_values(":f", AttributeValue::Bool(false))
        };
        mark.send().await.map_err(Error::aws("UpdateItem"))?;
        Ok(erased)
    }

    async fn erased_marker(&self, project_id: &str, subject: &str) -> Result<Option<Marker>> {
        let item = self.get_item(&self.config.contacts_table, &project_pk(project_id), &format!("ERASED#{subject}")).await?;
        item.map(|i| from_item::<Marker>(i, "ERASED")).transpose()
    }

    async fn has_erasures(&self, project_id: &str) -> Result<bool> {
        let (items, _) = self.query_page(&self.config.contacts_table, &project_pk(project_id), "ERASED#", None, Some(1)).await?;
        Ok(!items.is_empty())
    }
}

/// A page of members in address order (read shard after shard, a page
/// holds several shards' runs), as a person reading the list expects.
fn by_address(mut members: Vec<Contact>) -> Vec<Contact> {
    members.sort_by(|a, b| a.email_key.cmp(&b.email_key));
    members
}

/// An import's progress: `field` moves to `value` (and `also` with it)
/// while the import is in `state`, and only forward.
struct Progress {
    state: ImportState,
    field: &'static str,
    value: u64,
    also: (&'static str, u64),
}

impl super::Aws {
    async fn import_progress(&self, project_id: &str, upload_id: &str, p: Progress, now: &str) -> Result<()> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .set_key(Some(import_key(project_id, upload_id)))
            .update_expression(format!("SET {} = :value, {} = :also, updated_at = :now", p.field, p.also.0))
            .condition_expression(format!("#state = :state AND (attribute_not_exists({0}) OR {0} < :value)", p.field))
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":state", dynamo(&p.state)?)
            .expression_attribute_values(":value", n(p.value))
            .expression_attribute_values(":also", n(p.also.1))
            .expression_attribute_values(":now", s(now))
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if condition_failed(&e) => Ok(()),
            Err(e) => Err(Error::aws("UpdateItem")(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contacts::{Format, RowError};
    use crate::domain::imports::Counts;
    use std::collections::BTreeMap;

    #[test]
    fn items_round_trip_through_their_dynamodb_form() {
        let contact = Contact {
            email: "Anna@Example.fi".into(),
            email_key: "anna@example.fi".into(),
            first_name: "Anna".into(),
            last_name: "Virtanen".into(),
            fields: BTreeMap::from([("Business Unit".to_string(), "North".to_string())]),
            upload_id: "u1".into(),
            updated_at: "2026-11-22T10:00:00Z".into(),
        };
        let item =
            to_item(&ContactItem { pk: "PROJECT#p".into(), sk: "CONTACT#anna@example.fi".into(), contact: contact.clone() }).unwrap();
        assert_eq!(item["fields"].as_m().unwrap()["Business Unit"], s("North"));
        assert_eq!(from_item::<ContactItem>(item, "k").unwrap().contact, contact);

        let record = ImportRecord {
            project_id: "p".into(),
            upload_id: "u".into(),
            file_name: "a.csv".into(),
            key: "uploads/p/u/a.csv".into(),
            list_id: "u".into(),
            list_name: "a".into(),
            state: ImportState::Running,
            format: Some(Format::Tsv),
            encoding: Some(crate::domain::contacts::TextEncoding::Windows1252),
            etag: Some("\"e\"".into()),
            size: Some(10),
            counts: Counts { rows_read: 3, accepted: 2, rejected: 1, duplicates_merged: 0, suppressed: 0 },
            written: 1,
            validated_rows: 3,
            validated_bytes: 10,
            checkpoint_line: 2,
            warnings: vec![],
            first_rejections: vec![RowError { line: 3, column: Some("Email".into()), reason: "x".into() }],
            error: None,
            header_problem: None,
            file_problem: None,
            summary_key: None,
            rejected_key: Some("k".into()),
            invocations: 2,
            created_at: "t".into(),
            updated_at: "t".into(),
            finished_at: None,
            b2b: None,
            replaced_at: Some("t2".into()),
        };
        let item = to_item(&ImportItem { pk: "PROJECT#p".into(), sk: "IMPORT#u".into(), record: record.clone() }).unwrap();
        assert_eq!(item["state"], s("running"));
        assert_eq!(from_item::<ImportItem>(item, "k").unwrap().record, record);
    }
}
