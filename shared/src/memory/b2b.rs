//! The double of B2B accounts, teams and contacts (see [`super`]), on the
//! keys of [`crate::store::b2b`].

use std::collections::{BTreeMap, BTreeSet};

use super::{Memory, State, Table};
use crate::domain::b2b::{AccountRecord, AccountRow, B2bContactRow, TeamRecord, TeamRow};
use crate::domain::directory::{Contact, Suppression};
use crate::domain::mail::normalise_email;
use crate::store::b2b::B2bContactRecord;
use crate::Result;

fn b2b_pk(project_id: &str) -> String {
    format!("B2B#{project_id}")
}

/// The custom attributes that hold data, as the `ATTRS` item keeps them.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Attributes {
    names: BTreeSet<String>,
}

/// Deletes a project's B2B contact records of one person (by email key);
/// how many there were. Shared with the contact's erasure, which does it
/// under the same lock.
pub(super) fn erase_b2b_contacts(state: &mut State, project_id: &str, email_key: &str) -> u64 {
    let pk = b2b_pk(project_id);
    let theirs: Vec<String> = state
        .query::<B2bContactRecord>(Table::Core, &pk, "CONTACT#")
        .into_iter()
        .filter(|(_, c)| c.email_key == email_key)
        .map(|(sk, _)| sk)
        .collect();
    for sk in &theirs {
        state.delete(Table::Core, &pk, sk);
    }
    theirs.len() as u64
}

impl crate::ports::B2bAccounts for Memory {
    async fn b2b_accounts(&self, project_id: &str) -> Result<Vec<AccountRecord>> {
        Ok(self.lock().query(Table::Core, &b2b_pk(project_id), "ACCOUNT#").into_iter().map(|(_, a)| a).collect())
    }

    async fn b2b_team(&self, project_id: &str) -> Result<Vec<TeamRecord>> {
        Ok(self.lock().query(Table::Core, &b2b_pk(project_id), "TEAM#").into_iter().map(|(_, t)| t).collect())
    }

    async fn b2b_contacts(&self, project_id: &str) -> Result<Vec<B2bContactRecord>> {
        Ok(self.lock().query(Table::Core, &b2b_pk(project_id), "CONTACT#").into_iter().map(|(_, c)| c).collect())
    }

    async fn erase_b2b_contacts(&self, project_id: &str, email_key: &str) -> Result<u64> {
        Ok(erase_b2b_contacts(&mut self.lock(), project_id, email_key))
    }

    async fn write_accounts(
        &self,
        project_id: &str,
        rows: &[AccountRow],
        parents: &BTreeMap<String, Option<String>>,
        upload_id: &str,
        now: &str,
    ) -> Result<()> {
        let mut state = self.lock();
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
            state.put(Table::Core, &b2b_pk(project_id), &format!("ACCOUNT#{}", r.id), &record);
        }
        Ok(())
    }

    async fn set_parent(&self, project_id: &str, account_id: &str, parent: Option<&str>) -> Result<()> {
        let mut state = self.lock();
        let (pk, sk) = (b2b_pk(project_id), format!("ACCOUNT#{account_id}"));
        if let Some(mut account) = state.get::<AccountRecord>(Table::Core, &pk, &sk) {
            account.parent_id = parent.map(str::to_string);
            state.put(Table::Core, &pk, &sk, &account);
        }
        Ok(())
    }

    async fn note_attributes(&self, project_id: &str, names: &BTreeSet<String>) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        let mut state = self.lock();
        let pk = b2b_pk(project_id);
        let mut attrs: Attributes = state.get(Table::Core, &pk, "ATTRS").unwrap_or_default();
        attrs.names.extend(names.iter().cloned());
        state.put(Table::Core, &pk, "ATTRS", &attrs);
        Ok(())
    }

    async fn attributes_with_data(&self, project_id: &str) -> Result<BTreeSet<String>> {
        Ok(self.lock().get::<Attributes>(Table::Core, &b2b_pk(project_id), "ATTRS").unwrap_or_default().names)
    }

    async fn write_team(&self, project_id: &str, rows: &[TeamRow], upload_id: &str, now: &str) -> Result<()> {
        let mut state = self.lock();
        for r in rows {
            let key = normalise_email(&r.user_email);
            let record = TeamRecord {
                account_id: r.account_id.clone(),
                user_email: r.user_email.clone(),
                role: r.role,
                deleted: r.deleted,
                upload_id: upload_id.into(),
                updated_at: now.into(),
            };
            state.put(Table::Core, &b2b_pk(project_id), &format!("TEAM#{}#{key}", r.account_id), &record);
        }
        Ok(())
    }

    async fn b2b_contacts_by_id(&self, project_id: &str, ids: &[String]) -> Result<BTreeMap<String, B2bContactRecord>> {
        let state = self.lock();
        let pk = b2b_pk(project_id);
        Ok(ids
            .iter()
            .filter_map(|id| state.get::<B2bContactRecord>(Table::Core, &pk, &format!("CONTACT#{id}")))
            .map(|c| (c.id.clone(), c))
            .collect())
    }

    async fn write_b2b_contacts(
        &self,
        project_id: &str,
        list_id: &str,
        rows: &[(B2bContactRow, String, bool)],
        upload_id: &str,
        now: &str,
    ) -> Result<()> {
        let mut state = self.lock();
        for (r, first_upload_id, listed) in rows {
            let record = B2bContactRecord::from_row(r, first_upload_id, upload_id, now);
            state.put(Table::Core, &b2b_pk(project_id), &format!("CONTACT#{}", r.id), &record);
            let contact = Contact::from_b2b_row(r, upload_id, now);
            let mut pks = vec![format!("PROJECT#{project_id}")];
            if *listed {
                pks.push(format!("LIST#{list_id}"));
            }
            for pk in pks {
                state.put(Table::Contacts, &pk, &format!("CONTACT#{}", r.email_key), &contact);
            }
        }
        Ok(())
    }

    async fn lift_suppression(&self, project_id: &str, email_key: &str, reason: &str) -> Result<()> {
        let mut state = self.lock();
        let (pk, sk) = (format!("PROJECT#{project_id}"), format!("SUPPRESSED#{email_key}"));
        if state.get::<Suppression>(Table::Contacts, &pk, &sk).is_some_and(|s| s.reason == reason) {
            state.delete(Table::Contacts, &pk, &sk);
        }
        Ok(())
    }
}
