//! The double of the contact directory and of contact imports (see
//! [`super`]), on the keys of [`crate::store::contacts`]. Erasure reaches
//! the personal links, responses and report texts under the keys of
//! [`crate::store::surveys`] and [`crate::store::reports`], as the adapter does.

use std::collections::HashSet;

use super::{Memory, State, Table};
use crate::domain::contacts::ContactRow;
use crate::domain::directory::{Contact, Erasure, ImportRecord, ListState, MailingList, Suppression};
use crate::domain::erasure::Marker;
use crate::domain::imports::{key_hash, ImportState};
use crate::domain::upload::UploadRef;
use crate::{Error, Result};

fn project_pk(id: &str) -> String {
    format!("PROJECT#{id}")
}

fn contact_sk(email_key: &str) -> String {
    format!("CONTACT#{email_key}")
}

fn import_sk(upload_id: &str) -> String {
    format!("IMPORT#{upload_id}")
}

fn list_sk(list_id: &str) -> String {
    format!("LIST#{list_id}")
}

fn suppressed_sk(email_key: &str) -> String {
    format!("SUPPRESSED#{email_key}")
}

/// The error the adapter gets when a write's condition that must hold
/// (the item exists) fails: an AWS error, retryable as the adapter's is.
pub(super) fn condition_error(operation: &'static str, key: &str) -> Error {
    Error::Aws { operation, source: format!("the conditional request failed ({key})").into() }
}

/// One page of a partition's items whose sort key begins with `prefix`,
/// after the sort key `after`, at most `limit` of them; with the last sort
/// key when the page is full, as DynamoDB's `LastEvaluatedKey` (more may follow).
pub(super) fn page<T: serde::de::DeserializeOwned>(
    state: &State,
    table: Table,
    pk: &str,
    prefix: &str,
    after: Option<&str>,
    limit: i32,
) -> (Vec<(String, T)>, Option<String>) {
    let limit = usize::try_from(limit.max(1)).unwrap_or(1);
    let items: Vec<(String, T)> =
        state.query::<T>(table, pk, prefix).into_iter().filter(|(sk, _)| after.is_none_or(|a| sk.as_str() > a)).take(limit).collect();
    let next = if items.len() == limit { items.last().map(|(sk, _)| sk.clone()) } else { None };
    (items, next)
}

fn get_import(state: &State, project_id: &str, upload_id: &str) -> Option<ImportRecord> {
    state.get(Table::Core, &project_pk(project_id), &import_sk(upload_id))
}

fn put_import(state: &mut State, r: &ImportRecord) {
    state.put(Table::Core, &project_pk(&r.project_id), &import_sk(&r.upload_id), r);
}

impl crate::ports::Imports for Memory {
    async fn create_import(&self, r: &ImportRecord) -> Result<bool> {
        let mut state = self.lock();
        if state.has(Table::Core, &project_pk(&r.project_id), &import_sk(&r.upload_id)) {
            return Ok(false);
        }
        put_import(&mut state, r);
        Ok(true)
    }

    async fn get_import(&self, project_id: &str, upload_id: &str) -> Result<Option<ImportRecord>> {
        Ok(get_import(&self.lock(), project_id, upload_id))
    }

    async fn list_imports(&self, project_id: &str) -> Result<Vec<ImportRecord>> {
        let mut all: Vec<ImportRecord> =
            self.lock().query(Table::Core, &project_pk(project_id), "IMPORT#").into_iter().map(|(_, r)| r).collect();
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(all)
    }

    async fn start_validation(&self, upload: &UploadRef, etag: &str, size: u64, now: &str) -> Result<bool> {
        let mut state = self.lock();
        let Some(mut r) = get_import(&state, &upload.project_id, &upload.upload_id) else { return Ok(false) };
        if !r.may_start_validation(etag) {
            return Ok(false);
        }
        r.state = ImportState::Validating;
        r.etag = Some(etag.to_string());
        r.size = Some(size);
        r.updated_at = now.to_string();
        r.invocations += 1;
        put_import(&mut state, &r);
        Ok(true)
    }

    async fn note_replaced(&self, project_id: &str, upload_id: &str, now: &str) -> Result<()> {
        let mut state = self.lock();
        let Some(mut r) = get_import(&state, project_id, upload_id) else {
            return Err(condition_error("UpdateItem", &import_sk(upload_id)));
        };
        r.replaced_at.get_or_insert_with(|| now.to_string());
        put_import(&mut state, &r);
        Ok(())
    }

    async fn count_invocation(&self, project_id: &str, upload_id: &str, now: &str) -> Result<()> {
        let mut state = self.lock();
        let Some(mut r) = get_import(&state, project_id, upload_id) else {
            return Err(condition_error("UpdateItem", &import_sk(upload_id)));
        };
        r.updated_at = now.to_string();
        r.invocations += 1;
        put_import(&mut state, &r);
        Ok(())
    }

    async fn mark_validated(&self, r: &ImportRecord) -> Result<bool> {
        let mut state = self.lock();
        let Some(mut stored) = get_import(&state, &r.project_id, &r.upload_id) else { return Ok(false) };
        if !stored.may_mark_validated() {
            return Ok(false);
        }
        stored.state = ImportState::Running;
        stored.counts = r.counts;
        stored.warnings = r.warnings.clone();
        stored.first_rejections = r.first_rejections.clone();
        stored.rejected_key = r.rejected_key.clone();
        stored.format = r.format;
        stored.encoding = r.encoding;
        stored.written = 0;
        stored.checkpoint_line = 0;
        stored.updated_at = r.updated_at.clone();
        put_import(&mut state, &stored);
        Ok(true)
    }

    async fn note_validation(&self, project_id: &str, upload_id: &str, rows: u64, bytes: u64, now: &str) -> Result<()> {
        let mut state = self.lock();
        let Some(mut r) = get_import(&state, project_id, upload_id) else { return Ok(()) };
        if r.may_note_validation(rows) {
            r.validated_rows = rows;
            r.validated_bytes = bytes;
            r.updated_at = now.to_string();
            put_import(&mut state, &r);
        }
        Ok(())
    }

    async fn checkpoint(&self, project_id: &str, upload_id: &str, line: u64, written: u64, now: &str) -> Result<()> {
        let mut state = self.lock();
        let Some(mut r) = get_import(&state, project_id, upload_id) else { return Ok(()) };
        if r.may_checkpoint(line) {
            r.checkpoint_line = line;
            r.written = written;
            r.updated_at = now.to_string();
            put_import(&mut state, &r);
        }
        Ok(())
    }

    async fn finish_import(&self, r: &ImportRecord) -> Result<bool> {
        let mut state = self.lock();
        let Some(mut stored) = get_import(&state, &r.project_id, &r.upload_id) else { return Ok(false) };
        if !stored.may_finish() {
            return Ok(false);
        }
        stored.state = r.state;
        stored.error = r.error.clone();
        stored.header_problem = r.header_problem.clone();
        stored.file_problem = r.file_problem.clone();
        stored.summary_key = r.summary_key.clone();
        stored.written = r.written;
        stored.checkpoint_line = r.checkpoint_line;
        stored.updated_at = r.updated_at.clone();
        stored.finished_at = Some(r.updated_at.clone());
        put_import(&mut state, &stored);
        Ok(true)
    }
}

impl crate::ports::Directory for Memory {
    async fn create_list(&self, list: &MailingList) -> Result<()> {
        let mut state = self.lock();
        let (pk, sk) = (project_pk(&list.project_id), list_sk(&list.list_id));
        if !state.has(Table::Core, &pk, &sk) {
            state.put(Table::Core, &pk, &sk, list);
        }
        Ok(())
    }

    async fn list_ready(&self, project_id: &str, list_id: &str, contacts: u64) -> Result<()> {
        let mut state = self.lock();
        let (pk, sk) = (project_pk(project_id), list_sk(list_id));
        let Some(mut list) = state.get::<MailingList>(Table::Core, &pk, &sk) else { return Err(condition_error("UpdateItem", &sk)) };
        list.state = ListState::Ready;
        list.contacts = contacts;
        state.put(Table::Core, &pk, &sk, &list);
        Ok(())
    }

    async fn get_list(&self, project_id: &str, list_id: &str) -> Result<Option<MailingList>> {
        Ok(self.lock().get(Table::Core, &project_pk(project_id), &list_sk(list_id)))
    }

    async fn list_lists(&self, project_id: &str) -> Result<Vec<MailingList>> {
        let mut all: Vec<MailingList> =
            self.lock().query(Table::Core, &project_pk(project_id), "LIST#").into_iter().map(|(_, l)| l).collect();
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(all)
    }

    async fn lists_of(&self, email_key: &str, list_ids: &[String]) -> Result<Vec<String>> {
        let st = self.lock();
        Ok(list_ids.iter().filter(|l| st.has(Table::Contacts, &list_sk(l), &contact_sk(email_key))).cloned().collect())
    }

    async fn list_members(&self, list_id: &str, after: Option<&str>, limit: i32) -> Result<(Vec<Contact>, Option<String>)> {
        let after = after.map(contact_sk);
        let (items, next) = page::<Contact>(&self.lock(), Table::Contacts, &list_sk(list_id), "CONTACT#", after.as_deref(), limit);
        Ok((items.into_iter().map(|(_, c)| c).collect(), next.and_then(|sk| sk.strip_prefix("CONTACT#").map(str::to_string))))
    }

    async fn write_contacts(&self, project_id: &str, list_id: &str, rows: &[ContactRow], upload_id: &str, now: &str) -> Result<()> {
        let mut state = self.lock();
        let mut requests = Vec::with_capacity(rows.len() * 2);
        for row in rows {
            let contact = Contact::from_row(row, upload_id, now);
            for pk in [project_pk(project_id), list_sk(list_id)] {
                requests.push((pk, contact_sk(&contact.email_key), contact.clone()));
            }
        }
        // As the adapter's BatchWriteItem calls: a call holding one key twice
        // is refused whole, the calls before it stay written.
        for chunk in requests.chunks(crate::store::contacts::BATCH_ITEMS) {
            let keys: HashSet<(&str, &str)> = chunk.iter().map(|(pk, sk, _)| (pk.as_str(), sk.as_str())).collect();
            if keys.len() < chunk.len() {
                return Err(Error::Aws {
                    operation: "BatchWriteItem",
                    source: "the batch holds an item key twice (the rows' emails must be distinct)".into(),
                });
            }
            for (pk, sk, contact) in chunk {
                state.put(Table::Contacts, pk, sk, contact);
            }
        }
        Ok(())
    }

    async fn get_contact(&self, project_id: &str, email_key: &str) -> Result<Option<Contact>> {
        Ok(self.lock().get(Table::Contacts, &project_pk(project_id), &contact_sk(email_key)))
    }

    async fn suppress(&self, project_id: &str, email_key: &str, reason: &str, at: &str) -> Result<Suppression> {
        let mut state = self.lock();
        let (pk, sk) = (project_pk(project_id), suppressed_sk(email_key));
        if let Some(first) = state.get::<Suppression>(Table::Contacts, &pk, &sk) {
            return Ok(first);
        }
        let s = Suppression { email_key: email_key.to_string(), reason: reason.to_string(), at: at.to_string() };
        state.put(Table::Contacts, &pk, &sk, &s);
        Ok(s)
    }

    async fn get_suppression(&self, project_id: &str, email_key: &str) -> Result<Option<Suppression>> {
        Ok(self.lock().get(Table::Contacts, &project_pk(project_id), &suppressed_sk(email_key)))
    }

    async fn suppressions_of(&self, project_id: &str, email_keys: &[String]) -> Result<std::collections::HashMap<String, Suppression>> {
        let s = self.lock();
        Ok(email_keys
            .iter()
            .filter_map(|k| {
                s.get::<Suppression>(Table::Contacts, &project_pk(project_id), &suppressed_sk(k)).map(|found| (k.clone(), found))
            })
            .collect())
    }

    async fn list_suppressions(&self, project_id: &str) -> Result<Vec<Suppression>> {
        Ok(self.lock().query(Table::Contacts, &project_pk(project_id), "SUPPRESSED#").into_iter().map(|(_, s)| s).collect())
    }

    async fn suppressed_hashes(&self, project_id: &str) -> Result<HashSet<u64>> {
        let keys = self.lock().keys(Table::Contacts, &project_pk(project_id), "SUPPRESSED#");
        Ok(keys.iter().filter_map(|sk| sk.strip_prefix("SUPPRESSED#")).map(key_hash).collect())
    }

    async fn erase_directory(&self, project_id: &str, email_key: &str, subject: &str, now: &str) -> Result<Erasure> {
        let mut state = self.lock();
        let pk = project_pk(project_id);
        let mut erased = Erasure { contact: state.delete(Table::Contacts, &pk, &contact_sk(email_key)), ..Erasure::default() };

        let lists: Vec<(String, MailingList)> = state.query(Table::Core, &pk, "LIST#");
        for (sk, mut list) in lists {
            if state.delete(Table::Contacts, &list_sk(&list.list_id), &contact_sk(email_key)) {
                erased.list_memberships += 1;
                if list.contacts > 0 {
                    list.contacts -= 1;
                    state.put(Table::Core, &pk, &sk, &list);
                }
            }
        }

        let prefix = format!("LINKOF#{email_key}#");
        for sk in state.keys(Table::Contacts, &pk, &prefix) {
            let Some(token) = sk.strip_prefix(&prefix) else { continue };
            state.delete(Table::Core, &format!("LINK#{token}"), "LINK");
            state.delete(Table::Contacts, &pk, &sk);
            erased.links += 1;
        }

        erased.b2b_contacts = super::b2b::erase_b2b_contacts(&mut state, project_id, email_key);
        (erased.invitations, erased.triggered_sends) = super::sending::erase_from_sending(&mut state, project_id, email_key);
        erased.suppression_hashed = state.delete(Table::Contacts, &pk, &suppressed_sk(email_key));
        let sk = format!("ERASED#{subject}");
        let mut marker = state.get::<Marker>(Table::Contacts, &pk, &sk).unwrap_or(Marker {
            subject: subject.to_string(),
            erased_at: now.to_string(),
            suppressed: false,
        });
        marker.suppressed |= erased.suppression_hashed;
        state.put(Table::Contacts, &pk, &sk, &marker);
        Ok(erased)
    }

    async fn erased_marker(&self, project_id: &str, subject: &str) -> Result<Option<Marker>> {
        Ok(self.lock().get(Table::Contacts, &project_pk(project_id), &format!("ERASED#{subject}")))
    }

    async fn has_erasures(&self, project_id: &str) -> Result<bool> {
        Ok(!self.lock().keys(Table::Contacts, &project_pk(project_id), "ERASED#").is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::Directory;
    use std::collections::BTreeMap;

    fn row(line: u64, email: &str) -> ContactRow {
        ContactRow {
            line,
            email_key: email.to_string(),
            email: email.to_string(),
            first_name: "A".into(),
            last_name: "B".into(),
            fields: BTreeMap::new(),
        }
    }

    /// The emulator writes such a batch (the last row wins); DynamoDB
    /// refuses it, and so does the double, so that a handler breaking the
    /// port's precondition fails its unit tests rather than production.
    #[tokio::test]
    async fn a_batch_holding_one_address_twice_is_refused_as_dynamodb_does() {
        let m = Memory::for_tests();
        let rows = [row(2, "anna@example.com"), row(3, "ben@example.com"), row(4, "anna@example.com")];
        assert!(m.write_contacts("p", "l", &rows, "u", "t").await.is_err());
        assert_eq!(m.get_contact("p", "anna@example.com").await.unwrap(), None, "the refused call wrote nothing");
        // 13 distinct rows: a first call of 25 requests, then one of 1
        let many: Vec<ContactRow> = (0..13).map(|i| row(i + 2, &format!("c{i}@example.com"))).collect();
        m.write_contacts("p", "l", &many, "u", "t").await.unwrap();
        assert_eq!(m.list_members("l", None, 100).await.unwrap().0.len(), 13);
    }
}
