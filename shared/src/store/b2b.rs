//! B2B accounts, their contacts and team members in DynamoDB.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `B2B#{project}` | `ACCOUNT#{account id}` | an account: name, checked parent, deleted, typed attributes |
//! | core | `B2B#{project}` | `CONTACT#{contact id}` | a B2B contact: email, account, title, client role, deleted, the upload that first brought it |
//! | core | `B2B#{project}` | `TEAM#{account id}#{email}` | an account team member: role, deleted |
//! | core | `B2B#{project}` | `ATTRS` | the custom attributes that hold data (their types are locked) |
//!
//! A B2B contact is also a contact of the project's directory (its account
//! and client role as fields, so responses carry them and the reports can
//! segment by account); a deleted one is suppressed with the reason
//! `deleted` (kept, never invited), which an undelete lifts again — any
//! other suppression stays whatever the file says.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use serde::{Deserialize, Serialize};

pub use crate::domain::b2b::{AccountRecord, TeamRecord};
use crate::domain::b2b::{AccountRow, B2bContactRow, TeamRow};
use crate::{Error, Result};

use super::{from_item, s, to_item, Item};
#[allow(unused_imports)]
use crate::ports::*;

pub use crate::domain::b2b::B2bContactRecord;

#[derive(Serialize, Deserialize)]
struct Keyed<T> {
    pk: String,
    sk: String,
    #[serde(flatten)]
    inner: T,
}

fn b2b_pk(project_id: &str) -> String {
    format!("B2B#{project_id}")
}

fn put(item: Item) -> Result<WriteRequest> {
    let put = PutRequest::builder().set_item(Some(item)).build().map_err(Error::aws("BatchWriteItem (put)"))?;
    Ok(WriteRequest::builder().put_request(put).build())
}

impl super::Aws {
    async fn query_b2b<T: serde::de::DeserializeOwned>(&self, project_id: &str, prefix: &str) -> Result<Vec<T>> {
        let items = self.query_all(&self.config.core_table, &b2b_pk(project_id), prefix).await?;
        items.into_iter().map(|i| from_item::<Keyed<T>>(i, prefix).map(|k| k.inner)).collect()
    }
}

impl crate::ports::B2bAccounts for super::Aws {
    /// Every account of a project (deleted ones too).
    async fn b2b_accounts(&self, project_id: &str) -> Result<Vec<AccountRecord>> {
        self.query_b2b(project_id, "ACCOUNT#").await
    }

    /// Every team member of a project.
    async fn b2b_team(&self, project_id: &str) -> Result<Vec<TeamRecord>> {
        self.query_b2b(project_id, "TEAM#").await
    }

    /// Every B2B contact of a project.
    async fn b2b_contacts(&self, project_id: &str) -> Result<Vec<B2bContactRecord>> {
        self.query_b2b(project_id, "CONTACT#").await
    }

    /// Deletes a project's B2B contact records of one person (by email
    /// key; a CRM export may hold several ids for one address): part of
    /// the GDPR erasure. Returns how many there were. Erasure is rare, so
    /// the project's B2B contacts are read rather than indexed by address.
    async fn erase_b2b_contacts(&self, project_id: &str, email_key: &str) -> Result<u64> {
        let mut erased = 0;
        for c in self.b2b_contacts(project_id).await?.into_iter().filter(|c| c.email_key == email_key) {
            self.dynamodb
                .delete_item()
                .table_name(&self.config.core_table)
                .key("pk", s(b2b_pk(project_id)))
                .key("sk", s(format!("CONTACT#{}", c.id)))
                .send()
                .await
                .map_err(Error::aws("DeleteItem"))?;
            erased += 1;
        }
        Ok(erased)
    }

    /// Writes accounts (upserts, in batches); `parents` holds the checked
    /// parent of each (a cut link is stored as none).
    async fn write_accounts(
        &self,
        project_id: &str,
        rows: &[AccountRow],
        parents: &BTreeMap<String, Option<String>>,
        upload_id: &str,
        now: &str,
    ) -> Result<()> {
        let mut requests = Vec::with_capacity(rows.len());
        for r in rows {
            let record = AccountRecord {
                id: r.id.clone(),
                name: r.name.clone(),
                parent_id: parents.get(&r.id).cloned().flatten(),
                deleted: r.deleted,
                attributes: r.attributes.clone(),
                upload_id: upload_id.to_string(),
                updated_at: now.to_string(),
            };
            requests.push(put(to_item(&Keyed { pk: b2b_pk(project_id), sk: format!("ACCOUNT#{}", r.id), inner: record })?)?);
        }
        for chunk in requests.chunks(super::contacts::BATCH_ITEMS) {
            self.batch_write(&self.config.core_table, chunk.to_vec()).await?;
        }
        Ok(())
    }

    /// Stores a changed parent link (the hierarchy check cut or restored it).
    async fn set_parent(&self, project_id: &str, account_id: &str, parent: Option<&str>) -> Result<()> {
        let req = self
            .dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(b2b_pk(project_id)))
            .key("sk", s(format!("ACCOUNT#{account_id}")))
            .condition_expression("attribute_exists(pk)");
        let req = match parent {
            Some(p) => req.update_expression("SET parent_id = :p").expression_attribute_values(":p", s(p)),
            None => req.update_expression("REMOVE parent_id"),
        };
        super::applied(req.send().await, "UpdateItem")?;
        Ok(())
    }

    /// Notes that custom attributes hold data (their types are locked from now on).
    async fn note_attributes(&self, project_id: &str, names: &BTreeSet<String>) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        self.dynamodb
            .update_item()
            .table_name(&self.config.core_table)
            .key("pk", s(b2b_pk(project_id)))
            .key("sk", s("ATTRS"))
            .update_expression("ADD #names :names")
            .expression_attribute_names("#names", "names")
            .expression_attribute_values(":names", AttributeValue::Ss(names.iter().cloned().collect()))
            .send()
            .await
            .map_err(Error::aws("UpdateItem"))?;
        Ok(())
    }

    /// The custom attributes that hold data.
    async fn attributes_with_data(&self, project_id: &str) -> Result<BTreeSet<String>> {
        let item = self.get_item(&self.config.core_table, &b2b_pk(project_id), "ATTRS").await?;
        Ok(item.and_then(|i| i.get("names").and_then(|v| v.as_ss().ok()).cloned()).unwrap_or_default().into_iter().collect())
    }

    /// Writes team members (upserts, in batches).
    async fn write_team(&self, project_id: &str, rows: &[TeamRow], upload_id: &str, now: &str) -> Result<()> {
        let mut requests = Vec::with_capacity(rows.len());
        for r in rows {
            let key = crate::domain::mail::normalise_email(&r.user_email);
            let record = TeamRecord {
                account_id: r.account_id.clone(),
                user_email: r.user_email.clone(),
                role: r.role,
                deleted: r.deleted,
                upload_id: upload_id.into(),
                updated_at: now.into(),
            };
            requests.push(put(to_item(&Keyed { pk: b2b_pk(project_id), sk: format!("TEAM#{}#{key}", r.account_id), inner: record })?)?);
        }
        for chunk in requests.chunks(super::contacts::BATCH_ITEMS) {
            self.batch_write(&self.config.core_table, chunk.to_vec()).await?;
        }
        Ok(())
    }

    /// The stored B2B contacts with these ids (absent ones are not returned).
    async fn b2b_contacts_by_id(&self, project_id: &str, ids: &[String]) -> Result<BTreeMap<String, B2bContactRecord>> {
        let mut found = BTreeMap::new();
        let unique: BTreeSet<&String> = ids.iter().collect();
        let keys: Vec<Item> = unique
            .into_iter()
            .map(|id| Item::from([("pk".to_string(), s(b2b_pk(project_id))), ("sk".to_string(), s(format!("CONTACT#{id}")))]))
            .collect();
        for item in self.batch_get(&self.config.core_table, keys).await? {
            let c = from_item::<Keyed<B2bContactRecord>>(item, "CONTACT")?.inner;
            found.insert(c.id.clone(), c);
        }
        Ok(found)
    }

    /// Writes B2B contacts: the B2B record, the directory contact and, for
    /// those `listed`, the list member. Returns nothing; the caller decides
    /// who is new and who is listed.
    async fn write_b2b_contacts(
        &self,
        project_id: &str,
        list_id: &str,
        rows: &[(B2bContactRow, String, bool)],
        upload_id: &str,
        now: &str,
    ) -> Result<()> {
        let mut core = Vec::new();
        let mut directory = Vec::new();
        for (r, first_upload_id, listed) in rows {
            let record = B2bContactRecord::from_row(r, first_upload_id, upload_id, now);
            core.push(put(to_item(&Keyed { pk: b2b_pk(project_id), sk: format!("CONTACT#{}", r.id), inner: record })?)?);
            let contact = super::contacts::Contact::from_b2b_row(r, upload_id, now);
            use crate::domain::directory::{contacts_base, members_base, spread_pk};
            let mut pks = vec![spread_pk(&contacts_base(project_id), &r.email_key, self.directory_shards)];
            if *listed {
                pks.push(spread_pk(&members_base(list_id), &r.email_key, self.directory_shards));
            }
            for pk in pks {
                directory.push(put(to_item(&Keyed { pk, sk: format!("CONTACT#{}", r.email_key), inner: contact.clone() })?)?);
            }
        }
        for chunk in core.chunks(super::contacts::BATCH_ITEMS) {
            self.batch_write(&self.config.core_table, chunk.to_vec()).await?;
        }
        for chunk in directory.chunks(super::contacts::BATCH_ITEMS) {
            self.batch_write(&self.config.contacts_table, chunk.to_vec()).await?;
        }
        Ok(())
    }

    /// Lifts a suppression only if its reason is `reason` (an undeleted
    /// contact; an unsubscribe stays).
    async fn lift_suppression(&self, project_id: &str, email_key: &str, reason: &str) -> Result<()> {
        let out = self
            .dynamodb
            .delete_item()
            .table_name(&self.config.contacts_table)
            .key("pk", s(format!("PROJECT#{project_id}")))
            .key("sk", s(format!("SUPPRESSED#{email_key}")))
            .condition_expression("reason = :r")
            .expression_attribute_values(":r", s(reason))
            .send()
            .await;
        super::applied(out, "DeleteItem")?;
        Ok(())
    }
}
