//! The double of the notification ledger and recipients' opt-outs (see
//! [`super`]), under the keys of `store::notifications`: the ledger entry
//! `PROJECT#{id}` / `NOTIFIED#{key}` (an [`Entry`]), what an opt-out token
//! stands for `OPTOUT#{token's keyed hash}` / `OPTOUT` (`project_id`,
//! `email`), and the opt-out
//! itself `PROJECT#{id}` / `OPTED_OUT#{email}` (`at`). The ledger's
//! transitions are the domain's ([`ledger::claim`], [`ledger::may_release`]).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::sending::deliver;
use super::{Memory, State, Table};
use crate::domain::ledger::{self, Claim, Entry};
use crate::domain::links::new_token;
use crate::domain::mail::{normalise_email, OutgoingEmail};
use crate::{Error, Result};

fn pk(project_id: &str) -> String {
    format!("PROJECT#{project_id}")
}

fn ledger_sk(key: &str) -> String {
    format!("NOTIFIED#{key}")
}

fn claim_in(st: &mut State, project_id: &str, key: &str, now_ms: u64, until_ms: u64) -> Claim {
    let existing: Option<Entry> = st.get(Table::Core, &pk(project_id), &ledger_sk(key));
    match ledger::claim(existing.as_ref(), now_ms, until_ms) {
        Ok(entry) => {
            st.put(Table::Core, &pk(project_id), &ledger_sk(key), &entry);
            Claim::Claimed
        }
        Err(refused) => refused,
    }
}

/// Moves this invocation's claim to `sending` ([`ledger::mark_sending`]).
fn sending_in(st: &mut State, project_id: &str, key: &str, until_ms: u64) -> bool {
    let existing: Option<Entry> = st.get(Table::Core, &pk(project_id), &ledger_sk(key));
    match ledger::mark_sending(existing.as_ref(), until_ms) {
        Some(next) => {
            st.put(Table::Core, &pk(project_id), &ledger_sk(key), &next);
            true
        }
        None => false,
    }
}

/// Marks a notification sent (an unconditional update, as the adapter's).
fn complete_in(st: &mut State, project_id: &str, key: &str, message_id: &str, at: &str) {
    st.put(Table::Core, &pk(project_id), &ledger_sk(key), &Entry::Complete { message_id: message_id.to_string(), sent_at: at.to_string() });
}

/// Deletes a claim in progress; anything else fails as the adapter's
/// conditional delete does.
fn release_in(st: &mut State, project_id: &str, key: &str) -> Result<()> {
    let existing: Option<Entry> = st.get(Table::Core, &pk(project_id), &ledger_sk(key));
    if !ledger::may_release(existing.as_ref()) {
        return Err(Error::aws("DeleteItem")(std::io::Error::other(format!(
            "notification {key} is not in progress: the conditional request failed"
        ))));
    }
    st.delete(Table::Core, &pk(project_id), &ledger_sk(key));
    Ok(())
}

impl crate::ports::Notifications for Memory {
    async fn alert_state(&self, project_id: &str, key: &str) -> Result<Option<crate::domain::alerts::AlertState>> {
        Ok(self.lock().get(Table::Core, &pk(project_id), &format!("ALERT#{key}")))
    }

    async fn put_alert_state(&self, project_id: &str, key: &str, new: &crate::domain::alerts::AlertState) -> Result<bool> {
        let mut st = self.lock();
        let sk = format!("ALERT#{key}");
        let stored: Option<crate::domain::alerts::AlertState> = st.get(Table::Core, &pk(project_id), &sk);
        // the adapter's condition: absent for version 1, else the version before
        let fits = match stored {
            None => new.version <= 1,
            Some(old) => new.version > 1 && old.version == new.version - 1,
        };
        if fits {
            st.put(Table::Core, &pk(project_id), &sk, new);
        }
        Ok(fits)
    }

    async fn send_once(&self, project_id: &str, key: &str, deadline_ms: u64, email: &OutgoingEmail) -> Result<crate::domain::ledger::Sent> {
        let now_ms = crate::clock::now_ms();
        let until_ms = deadline_ms.max(now_ms + 60_000);
        let mut st = self.lock();
        match claim_in(&mut st, project_id, key, now_ms, until_ms) {
            Claim::AlreadySent => Ok(crate::domain::ledger::Sent::Before),
            Claim::InProgressElsewhere => Err(Error::Conflict(format!("notification {key} is being sent by another invocation"))),
            Claim::Claimed if !sending_in(&mut st, project_id, key, until_ms) => {
                Err(Error::Conflict(format!("notification {key}: the claim was taken over before it was sent")))
            }
            Claim::Claimed => match deliver(&mut st, email, &[]) {
                Ok(message_id) => {
                    complete_in(&mut st, project_id, key, &message_id, &crate::clock::now());
                    Ok(crate::domain::ledger::Sent::Now)
                }
                Err(e) => {
                    release_in(&mut st, project_id, key)?;
                    Err(e)
                }
            },
        }
    }

    async fn claim_notification(&self, project_id: &str, key: &str, now_ms: u64, until_ms: u64) -> Result<Claim> {
        Ok(claim_in(&mut self.lock(), project_id, key, now_ms, until_ms))
    }

    async fn ledger_entry(&self, project_id: &str, key: &str) -> Result<Option<Entry>> {
        Ok(self.lock().get(Table::Core, &pk(project_id), &ledger_sk(key)))
    }

    async fn notification_sending(&self, project_id: &str, key: &str, until_ms: u64) -> Result<bool> {
        Ok(sending_in(&mut self.lock(), project_id, key, until_ms))
    }

    async fn complete_notification(&self, project_id: &str, key: &str, message_id: &str, at: &str) -> Result<()> {
        complete_in(&mut self.lock(), project_id, key, message_id, at);
        Ok(())
    }

    async fn release_notification(&self, project_id: &str, key: &str) -> Result<()> {
        release_in(&mut self.lock(), project_id, key)
    }

    async fn opted_out(&self, project_id: &str) -> Result<BTreeSet<String>> {
        let st = self.lock();
        Ok(st
            .keys(Table::Core, &pk(project_id), "OPTED_OUT#")
            .iter()
            .filter_map(|sk| sk.strip_prefix("OPTED_OUT#"))
            .map(str::to_string)
            .collect())
    }

    async fn optout_token(&self, project_id: &str, email: &str) -> Result<String> {
        use crate::ports::Guard;
        let token = new_token();
        let id = crate::domain::guard::token_hash(self.secret(crate::domain::guard::LINK_KEY).await?.as_slice(), &token);
        let record = json!({ "project_id": project_id, "email": normalise_email(email) });
        self.lock().put(Table::Core, &format!("OPTOUT#{id}"), "OPTOUT", &record);
        Ok(token)
    }

    async fn find_optout(&self, token: &str) -> Result<Option<(String, String)>> {
        use crate::ports::Guard;
        let id = crate::domain::guard::token_hash(self.secret(crate::domain::guard::LINK_KEY).await?.as_slice(), token);
        let item = self.lock().get::<Value>(Table::Core, &format!("OPTOUT#{id}"), "OPTOUT");
        Ok(item.and_then(|i| {
            let get = |k: &str| i.get(k).and_then(Value::as_str).map(str::to_string);
            Some((get("project_id")?, get("email")?))
        }))
    }

    async fn opt_out(&self, project_id: &str, email: &str, at: &str) -> Result<()> {
        self.lock().put(Table::Core, &pk(project_id), &format!("OPTED_OUT#{}", normalise_email(email)), &json!({ "at": at }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::Notifications;

    fn email() -> OutgoingEmail {
        OutgoingEmail {
            to: vec!["team@example.com".into()],
            subject: "50 responses reached".into(),
            text: "Hello".into(),
            html: None,
            headers: vec![],
        }
    }

    #[tokio::test]
    async fn a_refused_email_releases_its_claim_so_that_a_retry_sends_it_once() {
        let m = Memory::for_tests();
        let deadline = crate::clock::now_ms() + 60_000;
        m.lock().refuse_mail_to.push("TEAM@example.com".into());
        let refused = m.send_once("p1", "threshold:50", deadline, &email()).await.unwrap_err();
        assert_eq!(refused.send_failure(), Some(crate::domain::mail::SendFailure::Recipient), "{refused:?}");
        assert_eq!(m.ledger_entry("p1", "threshold:50").await.unwrap(), None, "released");
        assert!(m.sent().is_empty());
        m.lock().refuse_mail_to.clear();
        m.send_once("p1", "threshold:50", deadline, &email()).await.unwrap();
        m.send_once("p1", "threshold:50", deadline, &email()).await.unwrap();
        let sent = m.sent();
        assert_eq!(sent.len(), 1, "sent once");
        assert_eq!(sent[0].email, email());
        let entry = m.ledger_entry("p1", "threshold:50").await.unwrap();
        assert!(matches!(entry, Some(Entry::Complete { message_id, .. }) if message_id == sent[0].message_id));
    }
}
