//! In-memory doubles of the ports (feature `testing`): the same traits as
//! [`crate::store::Aws`], kept in one mutex so that every method is atomic
//! as the adapter's conditional writes and transactions are. They decide
//! nothing of their own: the exactly-once rules come from the domain
//! (`domain::invitation`, `domain::ledger`, `ImportRecord::may_*`,
//! `domain::budget`, `domain::submission`). `tests/tests/contract.rs` runs
//! one suite against this double and against the adapter on the emulator,
//! so the two cannot drift.
//!
//! Items are kept as JSON under the same table, partition and sort keys as
//! the adapter's (see the tables in each `store` module), so a method of one
//! capability sees what another wrote, as in DynamoDB.

mod b2b;
mod budgets;
mod contacts;
mod files;
mod guard;
mod jobs;
mod notifications;
mod reports;
mod secrets;
mod sending;
mod surveys;
mod sync;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::ports::QueueName;
use crate::Config;

/// The tables of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Core,
    Contacts,
    Responses,
}

/// An object in the data bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub etag: String,
}

/// An email the double "sent".
#[derive(Debug, Clone, PartialEq)]
pub struct SentEmail {
    pub message_id: String,
    pub email: crate::domain::mail::OutgoingEmail,
    /// The SES tags, for tracked sends.
    pub tags: Vec<(String, String)>,
}

/// Everything the double holds.
#[derive(Debug, Default)]
pub struct State {
    pub items: BTreeMap<(Table, String, String), Value>,
    pub objects: BTreeMap<String, Object>,
    pub sent: Vec<SentEmail>,
    pub queued: Vec<(QueueName, Value)>,
    /// Mail that the double refuses (by recipient), to test failure paths.
    pub refuse_mail_to: Vec<String>,
    /// How the next sends fail, one each (then they go through again).
    pub mail_failures: std::collections::VecDeque<crate::domain::mail::SendFailure>,
    /// Send-queue messages put back for later (receipt handle, seconds).
    pub retried_later: Vec<(String, u32)>,
    /// Connected-app secrets by project: (value, changed at).
    pub secrets: BTreeMap<String, (String, String)>,
    /// Recorded 5xx errors, oldest first (the support bundle's).
    pub errors: Vec<crate::domain::help::ErrorRecord>,
}

/// The in-memory store. Clones share the same state.
#[derive(Debug, Clone)]
pub struct Memory {
    state: Arc<Mutex<State>>,
    pub config: Arc<Config>,
}

impl Memory {
    pub fn new(config: Config) -> Self {
        Memory { state: Arc::default(), config: Arc::new(config) }
    }

    /// A double with a configuration fit for tests.
    pub fn for_tests() -> Self {
        Memory::new(test_config())
    }

    /// The state, for a method's whole work (never held across an await).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The emails sent so far.
    pub fn sent(&self) -> Vec<SentEmail> {
        self.lock().sent.clone()
    }

    /// The jobs queued so far, with their queues.
    pub fn queued(&self) -> Vec<(QueueName, Value)> {
        self.lock().queued.clone()
    }
}

/// A configuration whose names are the double's own.
pub fn test_config() -> Config {
    let vars: std::collections::HashMap<String, String> = [
        ("CORE_TABLE", "core"),
        ("CONTACTS_TABLE", "contacts"),
        ("RESPONSES_TABLE", "responses"),
        ("DATA_BUCKET", "data"),
        ("SEND_QUEUE_URL", "memory://send"),
        ("IMPORT_QUEUE_URL", "memory://import"),
        ("REPORT_QUEUE_URL", "memory://report"),
        ("SENDER_EMAIL", "pulse@example.com"),
        ("PUBLIC_BASE_URL", "http://127.0.0.1:9"),
        ("PUBLIC_BASE_URL_PARAMETER", "/pulse/public-base-url"),
        ("SFTP_SERVER_ID", ""),
        ("SFTP_USER_ROLE_ARN", ""),
        ("SES_SEND_RATE", "20"),
        ("SES_CONFIGURATION_SET", "pulse"),
        ("IMPORT_SLICE_SECONDS", "600"),
        ("USER_POOL_ID", "us-east-1_memory"),
        ("USER_POOL_CLIENT_ID", "memory-client"),
        ("FORM_MIN_SECONDS", "0"),
        ("ANONYMOUS_PER_ADDRESS_PER_MINUTE", "1000"),
        ("ANONYMOUS_PER_LINK_PER_MINUTE", "1000"),
        ("JOB_SLICE_PAGES", "50"),
        ("LINKS_KEY_ID", "memory-links-key"),
        ("SECRETS_PREFIX", "pulse/salesforce/"),
        ("SALESFORCE_LOOPBACK_HTTP", "true"),
        ("DEAD_LETTER_QUEUES", "SendDeadLetterQueue=memory://send-dead-letters AsyncFailureQueue=memory://async-failures"),
        ("SCHEDULE_RULES", "pulse-daily-reports"),
        ("UPLOAD_RETENTION_DAYS", "30"),
        ("LOG_RETENTION_DAYS", "90"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Config::from_map(&vars).unwrap_or_else(|e| panic!("the test configuration is incomplete: {e}"))
}

impl State {
    /// One item, decoded.
    pub fn get<T: DeserializeOwned>(&self, table: Table, pk: &str, sk: &str) -> Option<T> {
        self.items.get(&(table, pk.to_string(), sk.to_string())).map(|v| decode(v, pk, sk))
    }

    /// Whether an item exists.
    pub fn has(&self, table: Table, pk: &str, sk: &str) -> bool {
        self.items.contains_key(&(table, pk.to_string(), sk.to_string()))
    }

    /// Writes an item (over any there).
    pub fn put<T: Serialize>(&mut self, table: Table, pk: &str, sk: &str, value: &T) {
        let v = serde_json::to_value(value).unwrap_or_else(|e| panic!("{pk}/{sk} cannot be encoded: {e}"));
        self.items.insert((table, pk.to_string(), sk.to_string()), v);
    }

    /// Deletes an item; whether it was there.
    pub fn delete(&mut self, table: Table, pk: &str, sk: &str) -> bool {
        self.items.remove(&(table, pk.to_string(), sk.to_string())).is_some()
    }

    /// The items of partition `pk` whose sort key begins with `prefix`, in
    /// sort-key order, with their sort keys.
    pub fn query<T: DeserializeOwned>(&self, table: Table, pk: &str, prefix: &str) -> Vec<(String, T)> {
        self.range(table, pk, prefix).map(|(sk, v)| (sk.to_string(), decode(v, pk, sk))).collect()
    }

    /// The same, raw.
    pub fn range<'a>(&'a self, table: Table, pk: &'a str, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
        let start = (table, pk.to_string(), prefix.to_string());
        self.items
            .range(start..)
            .take_while(move |((t, p, s), _)| *t == table && p == pk && s.starts_with(prefix))
            .map(|((_, _, s), v)| (s.as_str(), v))
    }

    /// Every sort key of partition `pk` beginning with `prefix`.
    pub fn keys(&self, table: Table, pk: &str, prefix: &str) -> Vec<String> {
        self.range(table, pk, prefix).map(|(sk, _)| sk.to_string()).collect()
    }
}

fn decode<T: DeserializeOwned>(v: &Value, pk: &str, sk: &str) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{pk}/{sk} does not decode: {e}"))
}

impl Memory {
    /// A quick check-in with `settings` (JSON, as the admin API takes them),
    /// created with its anonymous link and published as version 1, as the
    /// admin API's create and publish leave it: the handler tests' project.
    pub async fn published_project(&self, settings: Value) -> crate::domain::project::Project {
        self.published_project_of(crate::domain::project::Kind::QuickCheckIn, settings).await
    }

    /// A published project of `kind`, as [`Memory::published_project`].
    pub async fn published_project_of(&self, kind: crate::domain::project::Kind, settings: Value) -> crate::domain::project::Project {
        use crate::domain::guard::{token_hash, LINK_KEY};
        use crate::domain::links::{new_id, new_token, Link, LinkKind};
        use crate::ports::{Guard, Projects};
        let now = crate::clock::now();
        let token = new_token();
        let id = token_hash(self.secret(LINK_KEY).await.expect("the double's key").as_slice(), &token);
        let mut p = crate::domain::project::Project {
            id: format!("p-{}", new_id()),
            kind,
            settings: serde_json::from_value(settings).unwrap_or_else(|e| panic!("the test project's settings do not read: {e}")),
            revision: 1,
            published_version: None,
            anonymous_link: id.clone(),
            anonymous_sealed: self.seal(&token).await.expect("the double seals"),
            rule_since: 0,
            closed_at: None,
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        let link = Link { id, project_id: p.id.clone(), kind: LinkKind::Anonymous, created_at: now.clone() };
        let created = self.create_project(&p, &link).await;
        created.unwrap_or_else(|e| panic!("the test project is not created: {e}"));
        let definition = crate::domain::survey::generate(&p.id, p.kind, &p.settings, 1);
        (p.published_version, p.revision) = (Some(1), 2);
        let published = self.publish(&p, &definition, 1, &now).await;
        published.unwrap_or_else(|e| panic!("the test project is not published: {e}"));
        p
    }

    /// An anonymous response with `answers`, stored as a submission through
    /// the project's link stores it (its counters moved), now.
    pub async fn respond(
        &self,
        p: &crate::domain::project::Project,
        answers: std::collections::BTreeMap<String, crate::domain::survey::Answer>,
    ) -> crate::domain::response::Response {
        use crate::ports::Responses;
        let r = crate::domain::response::Response {
            project_id: p.id.clone(),
            response_id: crate::domain::links::new_id(),
            version: p.published_version.unwrap_or(1),
            language: crate::domain::i18n::Lang::En,
            channel: crate::domain::response::Channel::Anonymous,
            submitted_at: crate::clock::now(),
            answers,
            embedded: std::collections::BTreeMap::new(),
            contact_email: None,
            first_name: None,
            last_name: None,
            erased_at: None,
            via: None,
        };
        let stored = self.store_response(&r, None, p.revision, None, crate::store::surveys::Gate::NONE).await;
        stored.unwrap_or_else(|e| panic!("the test response is not stored: {e}"));
        r
    }

    /// The token of a test project's anonymous link (unsealed).
    pub async fn anonymous_token(&self, p: &crate::domain::project::Project) -> String {
        use crate::ports::Guard;
        self.unseal(&p.anonymous_sealed).await.expect("the test project's anonymous link is sealed by this double")
    }
}
