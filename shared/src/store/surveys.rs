//! Projects, survey versions, links and responses in DynamoDB.
//!
//! | table | pk | sk | item |
//! | --- | --- | --- | --- |
//! | core | `PROJECT#{id}` | `PROJECT` | the project (settings as JSON, revision, published version) |
//! | core | `PROJECTS` | `PROJECT#{id}` | list entry (name, kind, created) |
//! | core | `PROJECT#{id}` | `VERSION#{000001}` | a published survey definition (JSON) |
//! | core | `PROJECT#{id}` | `STATS` | counters moved with each response; the project's revision, for the submission's check |
//! | core | `LINK#{link id}` | `LINK` | a survey link; `responded_at` once answered |
//! | contacts | `PROJECT#{id}` | `LINKOF#{email key}#{link id}` | a personal link under its contact, for erasure |
//! | responses | `PROJECT#{id}` | `RESPONSE#{response id}` | a response |
//!
//! Every write that can be repeated is conditional: a project or version is
//! created once, a change applies only to the revision it was made from, a
//! response is stored once per response id (a personal link's id is fixed
//! when the link is minted), together with its counters in one transaction.
//!
//! A link's id is the keyed hash of its token (`guard::token_hash`): no
//! token is kept in clear, and the anonymous link's token, which the team
//! is shown again, only sealed (`Guard::seal`). A link kept before tokens
//! were hashed (`LINK#{token}`) is re-keyed the first time it is opened
//! ([`Links::rekey_link`]).

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::sync::Arc;

use crate::domain::links::{Link, LinkKind};
use crate::domain::mail::normalise_email;
use crate::domain::project::{Kind, Project, Settings};
use crate::domain::response::Response;
use crate::domain::submission::{after_taken, Refused, Taken};
use crate::domain::survey::Definition;
use crate::{Error, Result};

use super::{from_item, s, to_item, Item};
#[allow(unused_imports)]
use crate::ports::*;

fn json_text<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::bad_request(format!("cannot encode: {e}")))
}

fn from_json<T: DeserializeOwned>(text: &str, key: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt { key: key.to_string(), source: Box::new(e) })
}

/// Whether a transaction was cancelled by a failed condition (rather than
/// by throttling or a conflict with another transaction, which are retried).
fn condition_failed(e: &SdkError<TransactWriteItemsError>) -> bool {
    match e {
        SdkError::ServiceError(se) => match se.err() {
            TransactWriteItemsError::TransactionCanceledException(c) => {
                c.cancellation_reasons().iter().any(|r| r.code() == Some("ConditionalCheckFailed"))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether a transaction lost a race with another transaction on the same
/// items (DynamoDB cancels it with `TransactionConflict`), or was cancelled
/// because an item's partition was out of capacity (`ThrottlingError`, which
/// the SDK does not retry: the cancellation is not a throttling error code).
/// Nothing of a cancelled transaction is applied, and its response is put
/// only if new, so trying again after a backoff is right.
fn lost_race(e: &SdkError<TransactWriteItemsError>) -> bool {
    match e {
        SdkError::ServiceError(se) => match se.err() {
            TransactWriteItemsError::TransactionCanceledException(c) => {
                let codes: Vec<&str> = c.cancellation_reasons().iter().filter_map(|r| r.code()).collect();
                (codes.contains(&"TransactionConflict") || codes.contains(&"ThrottlingError")) && !codes.contains(&"ConditionalCheckFailed")
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether DynamoDB refused the whole call for throttling (after the SDK's
/// own retries).
fn throttled(e: &SdkError<TransactWriteItemsError>) -> bool {
    use aws_sdk_dynamodb::error::ProvideErrorMetadata;
    matches!(e.code(), Some("ThrottlingException" | "ProvisionedThroughputExceededException" | "RequestLimitExceeded"))
}

/// How many times a submission's transaction is tried again after a race or
/// a throttled partition.
const STORE_ATTEMPTS: u32 = 8;

fn put(table: &str, item: Item, condition: Option<&str>) -> Result<TransactWriteItem> {
    let put = Put::builder().table_name(table).set_item(Some(item)).set_condition_expression(condition.map(str::to_string));
    Ok(TransactWriteItem::builder().put(put.build().map_err(Error::aws("TransactWriteItems (put)"))?).build())
}

fn delete(table: &str, pk: &str, sk: &str) -> Result<TransactWriteItem> {
    let delete = Delete::builder().table_name(table).key("pk", s(pk)).key("sk", s(sk));
    Ok(TransactWriteItem::builder().delete(delete.build().map_err(Error::aws("TransactWriteItems (delete)"))?).build())
}

#[derive(Serialize, Deserialize)]
struct ProjectItem {
    pk: String,
    sk: String,
    id: String,
    kind: Kind,
    /// The settings as JSON: they are read and written whole.
    settings: String,
    revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published_version: Option<u32>,
    #[serde(default)]
    anonymous_link: String,
    #[serde(default)]
    anonymous_sealed: String,
    /// A project kept before tokens were hashed: its anonymous token in
    /// clear (read, sealed and hashed; never written again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    anonymous_token: Option<String>,
    #[serde(default)]
    rule_since: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed_at: Option<String>,
    created_at: String,
    updated_at: String,
}

/// An entry of the project list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: String,
    pub organisation_name: String,
    pub kind: Kind,
    pub published_version: Option<u32>,
    pub created_at: String,
}

#[derive(Serialize, Deserialize)]
struct SummaryItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    summary: ProjectSummary,
}

#[derive(Serialize, Deserialize)]
struct VersionItem {
    pk: String,
    sk: String,
    version: u32,
    definition: String,
    published_at: String,
}

#[derive(Serialize, Deserialize)]
struct LinkItem {
    pk: String,
    sk: String,
    link: String,
    project_id: String,
    created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    responded_at: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct ResponseItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    response: Response,
}

fn project_pk(id: &str) -> String {
    format!("PROJECT#{id}")
}

/// The partition key of the project's counters item on write shard `shard`
/// (`domain::shard`): `PROJECT#{id}` for shard 0, as before shards; the
/// others under the project's aggregates (`AGG#{id}#STATS#~{n}`), which a
/// project's deletion sweeps.
pub(crate) fn stats_pk(id: &str, shard: u32) -> String {
    if shard == 0 {
        project_pk(id)
    } else {
        crate::domain::shard::key(&format!("AGG#{id}#STATS"), shard)
    }
}

/// The updates setting `revision` on every counters item of a project of
/// `shards` write shards (a submission checks its shard's).
pub(crate) fn stats_revision_items(table: &str, id: &str, shards: u32, revision: u64) -> Result<Vec<TransactWriteItem>> {
    (0..shards.max(1))
        .map(|shard| {
            let update = Update::builder()
                .table_name(table)
                .key("pk", s(stats_pk(id, shard)))
                .key("sk", s("STATS"))
                .update_expression("SET revision = :revision")
                .expression_attribute_values(":revision", AttributeValue::N(revision.to_string()))
                .build()
                .map_err(Error::aws("TransactWriteItems (update)"))?;
            Ok(TransactWriteItem::builder().update(update).build())
        })
        .collect()
}

/// The sort key of a personal link's index item under its contact.
fn link_of(email_key: &str, link_id: &str) -> String {
    format!("LINKOF#{email_key}#{link_id}")
}

pub(crate) fn link_pk(link_id: &str) -> String {
    format!("LINK#{link_id}")
}

fn version_sk(v: u32) -> String {
    format!("VERSION#{v:06}")
}

fn project_items(p: &Project) -> Result<(Item, Item)> {
    let item = ProjectItem {
        pk: project_pk(&p.id),
        sk: "PROJECT".into(),
        id: p.id.clone(),
        kind: p.kind,
        settings: json_text(&p.settings)?,
        revision: p.revision,
        published_version: p.published_version,
        anonymous_link: p.anonymous_link.clone(),
        anonymous_sealed: p.anonymous_sealed.clone(),
        anonymous_token: None,
        rule_since: p.rule_since,
        closed_at: p.closed_at.clone(),
        created_at: p.created_at.clone(),
        updated_at: p.updated_at.clone(),
    };
    let summary = SummaryItem {
        pk: "PROJECTS".into(),
        sk: project_pk(&p.id),
        summary: ProjectSummary {
            id: p.id.clone(),
            organisation_name: p.settings.organisation_name.clone(),
            kind: p.kind,
            published_version: p.published_version,
            created_at: p.created_at.clone(),
        },
    };
    Ok((to_item(&item)?, to_item(&summary)?))
}

pub(crate) fn link_item(link: &Link) -> Result<Item> {
    to_item(&LinkItem {
        pk: link_pk(&link.id),
        sk: "LINK".into(),
        link: json_text(link)?,
        project_id: link.project_id.clone(),
        created_at: link.created_at.clone(),
        responded_at: None,
    })
}

/// A survey link and what a submission through it needs of its project,
/// as read at one revision of the project.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkContext {
    pub link: Link,
    /// The project's revision when it was read.
    pub revision: u64,
    pub published_version: Option<u32>,
    /// The account the project's records count against.
    pub account_id: Option<String>,
    /// The project's daily cap of anonymous responses.
    pub anonymous_daily_cap: Option<u32>,
    /// Whether the survey is closed (its links turn respondents away).
    pub closed: bool,
    /// Days a personal link of the project works after it was made.
    pub personal_link_days: u32,
    /// The project's logo as it is now (a logo uploaded after publishing
    /// shows at once; the published version keeps the one it was made with).
    pub logo_key: Option<String>,
    /// The websites that may show the anonymous survey in an iframe
    /// (`settings.embed_origins`).
    pub embed_origins: Vec<String>,
    /// The write shards of the project's aggregates (`settings.write_shards`).
    pub write_shards: u32,
}

impl LinkContext {
    /// The context of `link` as `project` is now.
    pub fn new(link: Link, project: &Project) -> Self {
        LinkContext {
            link,
            revision: project.revision,
            published_version: project.published_version,
            account_id: project.settings.account_id.clone(),
            anonymous_daily_cap: project.settings.anonymous_daily_cap,
            closed: project.is_closed(),
            personal_link_days: project.settings.personal_link_days,
            logo_key: project.settings.logo.as_ref().map(|l| l.key.clone()),
            embed_origins: project.settings.embed_origins.clone(),
            write_shards: project.settings.write_shards,
        }
    }
}

/// The limits a submission's transaction checks besides its own items.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gate<'a> {
    /// The account's charge (an anonymous or minted-link response of a
    /// budgeted project).
    pub charge: Option<&'a super::budgets::Charge>,
    /// The project's daily cap of anonymous responses: the day
    /// (`YYYY-MM-DD`, UTC) and the cap.
    pub daily_cap: Option<(&'a str, u32)>,
    /// The write shards of the project's aggregates
    /// (`settings.write_shards`, as the project's revision had it).
    pub shards: u32,
    /// The distribution whose invitation carried the personal link: its
    /// responses counter moves with the response.
    pub distribution: Option<&'a str>,
}

impl<'a> Gate<'a> {
    /// No limit: the response's own conditions only.
    pub const NONE: Gate<'static> = Gate { charge: None, daily_cap: None, shards: 1, distribution: None };

    /// The account's charge only.
    pub fn charged(c: &'a super::budgets::Charge) -> Self {
        Gate { charge: Some(c), ..Gate::NONE }
    }

    /// The same gate, writing the aggregates over `shards` shards.
    pub fn spread(self, shards: u32) -> Self {
        Gate { shards, ..self }
    }
}

/// The daily cap's counter: `PROJECT#{id}` / `ANONDAY#{day}`, `n`
/// (expires two days after its day); a spread project's other counters
/// are under `PROJECT#{id}#~{slot}`
/// ([`crate::domain::submission::daily_cap_slot`]).
pub(crate) fn daily_cap_sk(day: &str) -> String {
    format!("ANONDAY#{day}")
}

/// What storing a response did.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// Stored now, exactly once.
    New,
    /// Nothing stored: the project's daily cap of anonymous responses is reached.
    DailyCap,
    /// A response with this id was already stored (a retry or a second
    /// submission through the same personal link): nothing changed.
    AlreadyThere(Box<Response>),
    /// The account's budget for the month (or its lifetime cap) is used up:
    /// nothing was stored, and the refusal was counted.
    OverBudget,
    /// The personal link no longer exists (its contact was erased): nothing
    /// was stored.
    LinkGone,
    /// The partitions the response's transaction writes stayed throttled
    /// (or raced) through every retry: nothing was stored; the same
    /// submission may be sent again in a moment.
    Busy,
    /// The project is no longer at the revision the response was made
    /// against (a new version was published, a setting changed): nothing
    /// was stored; read the project again.
    ProjectChanged,
}

impl super::Aws {
    /// How many write shards the project has now (1 if it is gone): read
    /// afresh, as the count only grows and every write used one no larger.
    pub(crate) async fn project_shards(&self, project_id: &str) -> Result<u32> {
        use crate::ports::Projects;
        Ok(self.get_project(project_id).await?.map_or(1, |p| p.settings.write_shards.max(1)))
    }

    /// The write shards a report reads: the count read for it a moment ago
    /// (`REPORT_SHARDS_AGE`), or afresh.
    pub(crate) async fn report_shards(&self, project_id: &str) -> Result<u32> {
        if let Some(kept) = self.report_shards.get(project_id) {
            return Ok(kept);
        }
        let shards = self.project_shards(project_id).await?;
        self.report_shards.put(project_id.to_string(), shards);
        Ok(shards)
    }

    /// A response and the partition key it is stored under: looked for on
    /// every shard it may have been written to, in one batch read.
    async fn find_response(&self, project_id: &str, response_id: &str) -> Result<Option<(String, Response)>> {
        use crate::domain::shard;
        let sk = format!("RESPONSE#{response_id}");
        let shards = self.project_shards(project_id).await?;
        if shards == 1 {
            let item = self.get_item(&self.config.responses_table, &project_pk(project_id), &sk).await?;
            return item.map(|i| from_item::<ResponseItem>(i, "RESPONSE").map(|r| (r.pk, r.response))).transpose();
        }
        let keys = shard::candidates(response_id, shards)
            .into_iter()
            .map(|n| Item::from([("pk".to_string(), s(shard::key(&project_pk(project_id), n))), ("sk".to_string(), s(&sk))]))
            .collect();
        let found = self.batch_get(&self.config.responses_table, keys).await?;
        found.into_iter().next().map(|i| from_item::<ResponseItem>(i, "RESPONSE").map(|r| (r.pk, r.response))).transpose()
    }

    /// Writes the project (conditional on its revision), its list entry and
    /// `with`, all or nothing.
    async fn write_project(&self, p: &Project, expected_revision: u64, with: Vec<TransactWriteItem>) -> Result<()> {
        let (item, summary) = project_items(p)?;
        let t = &self.config.core_table;
        let guarded = Put::builder()
            .table_name(t)
            .set_item(Some(item))
            .condition_expression("revision = :expected")
            .expression_attribute_values(":expected", AttributeValue::N(expected_revision.to_string()))
            .build()
            .map_err(Error::aws("TransactWriteItems (put)"))?;
        // The counters items (one per write shard), which every
        // submission's transaction updates, carry the revision, so a
        // submission checks it there.
        let mut tx = self
            .dynamodb
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(guarded).build())
            .transact_items(put(t, summary, None)?);
        for stats in stats_revision_items(t, &p.id, p.settings.write_shards, p.revision)? {
            tx = tx.transact_items(stats);
        }
        for extra in with {
            tx = tx.transact_items(extra);
        }
        tx.send().await.map_err(|e| {
            if condition_failed(&e) {
                Error::Conflict(
                    "the project was changed or published by someone else since it was read; read it again and repeat the change".into(),
                )
            } else {
                Error::aws("TransactWriteItems")(e)
            }
        })?;
        Ok(())
    }
}

impl crate::ports::Projects for super::Aws {
    /// Creates a project with its list entry and anonymous link.
    async fn create_project(&self, p: &Project, anonymous: &Link) -> Result<()> {
        let (item, summary) = project_items(p)?;
        let t = &self.config.core_table;
        self.dynamodb
            .transact_write_items()
            .transact_items(put(t, item, Some("attribute_not_exists(pk)"))?)
            .transact_items(put(t, summary, None)?)
            .transact_items(put(t, link_item(anonymous)?, Some("attribute_not_exists(pk)"))?)
            .send()
            .await
            .map_err(|e| {
                if condition_failed(&e) {
                    Error::Conflict("a project with this id already exists".into())
                } else {
                    Error::aws("TransactWriteItems")(e)
                }
            })?;
        Ok(())
    }

    /// Reads a project.
    async fn get_project(&self, id: &str) -> Result<Option<Project>> {
        let key = project_pk(id);
        let Some(item) = self.get_item(&self.config.core_table, &key, "PROJECT").await? else { return Ok(None) };
        let i: ProjectItem = from_item(item, &key)?;
        let (anonymous_link, anonymous_sealed) = match (i.anonymous_sealed.is_empty(), &i.anonymous_token) {
            (true, Some(clear)) => {
                use crate::domain::guard::{token_hash, LINK_KEY};
                use crate::ports::Guard;
                (token_hash(self.secret(LINK_KEY).await?.as_slice(), clear), self.seal(clear).await?)
            }
            _ => (i.anonymous_link, i.anonymous_sealed),
        };
        Ok(Some(Project {
            anonymous_link,
            anonymous_sealed,
            settings: from_json::<Settings>(&i.settings, &key)?,
            id: i.id,
            kind: i.kind,
            revision: i.revision,
            published_version: i.published_version,
            rule_since: i.rule_since,
            closed_at: i.closed_at,
            created_at: i.created_at,
            updated_at: i.updated_at,
        }))
    }

    /// Lists every project (newest first).
    async fn list_projects(&self) -> Result<Vec<ProjectSummary>> {
        let mut out = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .dynamodb
                .query()
                .table_name(&self.config.core_table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s("PROJECTS"))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(Error::aws("Query"))?;
            for item in page.items.unwrap_or_default() {
                let i: SummaryItem = from_item(item, "PROJECTS")?;
                out.push(i.summary);
            }
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Stores a changed project, only if it is still at `expected_revision`
    /// (two operators editing at once cannot overwrite each other).
    async fn update_project(&self, p: &Project, expected_revision: u64) -> Result<()> {
        self.write_project(p, expected_revision, Vec::new()).await
    }

    /// Freezes `definition` as the project's next version and makes it the
    /// one respondents see, in one transaction conditional on the revision.
    async fn publish(&self, p: &Project, definition: &Definition, expected_revision: u64, now: &str) -> Result<()> {
        let version = to_item(&VersionItem {
            pk: project_pk(&p.id),
            sk: version_sk(definition.version),
            version: definition.version,
            definition: json_text(definition)?,
            published_at: now.to_string(),
        })?;
        self.write_project(p, expected_revision, vec![put(&self.config.core_table, version, Some("attribute_not_exists(pk)"))?]).await
    }

    /// Replaces the project's anonymous link: the project (now naming
    /// `new_link`, conditional on its revision), the new link and the old
    /// link's deletion in one transaction, so the project always has
    /// exactly one working anonymous link.
    async fn rotate_anonymous_link(&self, p: &Project, expected_revision: u64, old_link: &str, new_link: &Link) -> Result<()> {
        let t = &self.config.core_table;
        let new = put(t, link_item(new_link)?, Some("attribute_not_exists(pk)"))?;
        self.write_project(p, expected_revision, vec![new, delete(t, &link_pk(old_link), "LINK")?]).await?;
        self.forget_link(old_link);
        Ok(())
    }

    /// Reads a published version (once per warm Lambda: versions never change).
    async fn get_version(&self, project_id: &str, version: u32) -> Result<Option<Definition>> {
        Ok(self.published(project_id, version).await?.map(|d| (*d).clone()))
    }

    /// A published version, shared with the warm Lambda's cache.
    async fn published(&self, project_id: &str, version: u32) -> Result<Option<Arc<Definition>>> {
        let cache_key = (project_id.to_string(), version);
        if let Some(def) = self.versions.get(&cache_key) {
            return Ok(Some(def));
        }
        let Some(item) = self.get_item(&self.config.core_table, &project_pk(project_id), &version_sk(version)).await? else {
            return Ok(None);
        };
        let key = format!("{}/{}", project_pk(project_id), version_sk(version));
        let i: VersionItem = from_item(item, &key)?;
        let def = Arc::new(from_json::<Definition>(&i.definition, &key)?);
        self.versions.put(cache_key, Arc::clone(&def));
        Ok(Some(def))
    }
}

impl crate::ports::Links for super::Aws {
    /// A link with what a submission through it needs of its project:
    /// kept by a warm Lambda or read now, as `freshness` allows (a page
    /// view's context is at most `PAGE_AGE` old). `None`: no such link or
    /// project. What is kept may be out of date; the submission's
    /// transaction checks the revision ([`Aws::store_response`]), and
    /// [`Aws::forget_link`] drops it.
    async fn link_context(&self, link_id: &str, freshness: crate::ports::Freshness) -> Result<Option<Arc<LinkContext>>> {
        use crate::ports::Freshness;
        let kept = match freshness {
            Freshness::Kept => self.links.get(link_id),
            Freshness::Recent => self.links.get_within(link_id, super::PAGE_AGE),
            Freshness::Fresh => None,
        };
        if let Some(kept) = kept {
            return Ok(Some(kept));
        }
        let Some(link) = self.get_link(link_id).await? else {
            self.forget_link(link_id);
            return Ok(None);
        };
        let Some(project) = self.get_project(&link.project_id).await? else { return Ok(None) };
        let context = Arc::new(LinkContext::new(link, &project));
        self.links.put(link_id.to_string(), Arc::clone(&context));
        Ok(Some(context))
    }

    /// Moves a link kept under its token in clear (before tokens were
    /// hashed) to its id, with its answered mark and its index entry, in
    /// one transaction; a retired anonymous link (no longer its project's)
    /// is deleted instead. Whether there was such a link.
    async fn rekey_link(&self, token: &str, link_id: &str) -> Result<bool> {
        let t = &self.config.core_table;
        let Some(item) = self.get_item(t, &link_pk(token), "LINK").await? else { return Ok(false) };
        let old: LinkItem = from_item(item, "LINK")?;
        let mut link: Link = from_json(&old.link, "LINK")?;
        link.id = link_id.to_string();
        let retired = match &link.kind {
            LinkKind::Anonymous => self.get_project(&link.project_id).await?.is_none_or(|p| p.anonymous_link != link_id),
            LinkKind::Personal { .. } => false,
        };
        let mut tx = self.dynamodb.transact_write_items().transact_items(delete(t, &link_pk(token), "LINK")?);
        if !retired {
            let mut item = link_item(&link)?;
            if let Some(at) = &old.responded_at {
                item.insert("responded_at".into(), s(at));
            }
            tx = tx.transact_items(put(t, item, Some("attribute_not_exists(pk)"))?);
        }
        if let LinkKind::Personal { contact, .. } = &link.kind {
            let email_key = normalise_email(&contact.email);
            let c = &self.config.contacts_table;
            let index =
                Item::from([("pk".to_string(), s(project_pk(&link.project_id))), ("sk".to_string(), s(link_of(&email_key, link_id)))]);
            tx = tx
                .transact_items(delete(c, &project_pk(&link.project_id), &link_of(&email_key, token))?)
                .transact_items(put(c, index, None)?);
        }
        match tx.send().await {
            Ok(_) => Ok(!retired),
            // a concurrent open re-keyed it first
            Err(e) if condition_failed(&e) => Ok(self.get_link(link_id).await?.is_some()),
            Err(e) => Err(Error::aws("TransactWriteItems")(e)),
        }
    }

    async fn share_object(&self, token_hash: &str, key: &str, expires_s: u64) -> Result<()> {
        self.dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .item("pk", s(format!("SHARE#{token_hash}")))
            .item("sk", s("SHARE"))
            .item("key", s(key))
            .item("expires_at", AttributeValue::N(expires_s.to_string()))
            .send()
            .await
            .map_err(Error::aws("PutItem"))?;
        Ok(())
    }

    async fn shared_object(&self, token_hash: &str, now_s: u64) -> Result<Option<String>> {
        let Some(item) = self.get_item(&self.config.core_table, &format!("SHARE#{token_hash}"), "SHARE").await? else { return Ok(None) };
        // TTL deletes within days of expiry: the time is checked here
        let expires: u64 = item.get("expires_at").and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()).unwrap_or(0);
        Ok(item.get("key").and_then(|v| v.as_s().ok()).filter(|_| expires > now_s).cloned())
    }

    /// Drops a link's kept context (its project turned out to have changed).
    fn forget_link(&self, link_id: &str) {
        self.links.forget(link_id);
    }

    /// Stores a new link (never overwrites one). A personal link is
    /// indexed under its contact in the same transaction, so that erasing
    /// the contact finds it ([`Aws::erase_links`]).
    async fn put_link(&self, link: &Link) -> Result<()> {
        let mut tx = self.dynamodb.transact_write_items().transact_items(put(
            &self.config.core_table,
            link_item(link)?,
            Some("attribute_not_exists(pk)"),
        )?);
        if let LinkKind::Personal { contact, .. } = &link.kind {
            let index = Item::from([
                ("pk".to_string(), s(project_pk(&link.project_id))),
                ("sk".to_string(), s(link_of(&normalise_email(&contact.email), &link.id))),
            ]);
            tx = tx.transact_items(put(&self.config.contacts_table, index, None)?);
        }
        tx.send().await.map_err(Error::aws("TransactWriteItems"))?;
        Ok(())
    }

    /// Deletes the personal links of a contact (by email key) of a
    /// project, with their index; returns how many there were. A link
    /// deleted while a warm Lambda still keeps it stores nothing: the
    /// submission's transaction requires the link to exist.
    async fn erase_links(&self, project_id: &str, email_key: &str) -> Result<u64> {
        let prefix = link_of(email_key, "");
        let mut erased = 0;
        for item in self.query_all(&self.config.contacts_table, &project_pk(project_id), &prefix).await? {
            let Some(sk) = super::sort_key(&item).map(str::to_string) else { continue };
            let Some(link_id) = sk.strip_prefix(&prefix) else { continue };
            self.dynamodb
                .transact_write_items()
                .transact_items(delete(&self.config.core_table, &link_pk(link_id), "LINK")?)
                .transact_items(delete(&self.config.contacts_table, &project_pk(project_id), &sk)?)
                .send()
                .await
                .map_err(Error::aws("TransactWriteItems"))?;
            erased += 1;
        }
        // invitations' links are derived, not indexed
        for id in super::distributions::invitation_link_ids(self, project_id, email_key).await? {
            erased += u64::from(self.delete_existing(&self.config.core_table, &link_pk(&id), "LINK").await?);
        }
        Ok(erased)
    }

    /// Whether a link has been answered.
    async fn link_answered(&self, link_id: &str) -> Result<bool> {
        let item = self.get_item(&self.config.core_table, &link_pk(link_id), "LINK").await?;
        Ok(item.is_some_and(|i| i.contains_key("responded_at")))
    }

    /// Reads a link by its id.
    async fn links_of(&self, project_id: &str, email_key: &str) -> Result<Vec<(Link, Option<String>)>> {
        let prefix = link_of(email_key, "");
        let index = self.query_all(&self.config.contacts_table, &project_pk(project_id), &prefix).await?;
        let mut ids: Vec<String> =
            index.iter().filter_map(|i| super::sort_key(i).and_then(|sk| sk.strip_prefix(&prefix)).map(str::to_string)).collect();
        // invitations' links are derived, not indexed
        ids.extend(super::distributions::invitation_link_ids(self, project_id, email_key).await?);
        ids.sort();
        ids.dedup();
        let keys: Vec<super::Item> = ids
            .iter()
            .map(|id| super::Item::from([("pk".to_string(), super::s(link_pk(id))), ("sk".to_string(), super::s("LINK"))]))
            .collect();
        let mut links = Vec::new();
        for item in self.batch_get(&self.config.core_table, keys).await? {
            let i: LinkItem = from_item(item, "LINK")?;
            links.push((from_json(&i.link, "LINK")?, i.responded_at));
        }
        links.sort_by(|a: &(Link, Option<String>), b| a.0.created_at.cmp(&b.0.created_at));
        Ok(links)
    }

    async fn get_link(&self, link_id: &str) -> Result<Option<Link>> {
        let Some(item) = self.get_item(&self.config.core_table, &link_pk(link_id), "LINK").await? else { return Ok(None) };
        let i: LinkItem = from_item(item, "LINK")?;
        Ok(Some(from_json(&i.link, "LINK")?))
    }
}

/// How many times one submission refills a lease or moves to another one
/// before it gives up as busy (the leases kept being spent by others).
const LEASE_TURNS: u32 = 2 * crate::domain::shard::MAX_SHARDS;

impl crate::ports::Responses for super::Aws {
    /// Stores a response exactly once, with the project's response counter
    /// and (for a personal link) the link's answered mark, in one
    /// transaction. A second attempt with the same response id changes
    /// nothing and returns the stored response. The response's report
    /// aggregates (`contribution`) move in the same transaction.
    /// An anonymous response of a budgeted project is charged to its
    /// account (`charge`) in the same transaction: with the budget used up,
    /// nothing is stored ([`Stored::OverBudget`]). The transaction also
    /// checks that the project is still at `project_revision`, the one the
    /// response was validated against (on the counters item it updates
    /// anyway, so the check costs no extra item), so that a warm Lambda's kept
    /// project is never out of date for what it stores
    /// ([`Stored::ProjectChanged`]).
    async fn store_response(
        &self,
        r: &Response,
        personal_link: Option<&str>,
        project_revision: u64,
        contribution: Option<&crate::domain::report::Contribution>,
        gate: Gate<'_>,
    ) -> Result<Stored> {
        let charge = gate.charge;
        let shard = crate::domain::shard::pick(&r.response_id, gate.shards);
        let item = to_item(&ResponseItem {
            pk: crate::domain::shard::key(&project_pk(&r.project_id), shard),
            sk: format!("RESPONSE#{}", r.response_id),
            response: r.clone(),
        })?;
        let nps_counter = match r.answers.get(crate::domain::survey::ids::NPS) {
            Some(crate::domain::survey::Answer::Number(n)) => match crate::domain::metrics::nps_group(*n) {
                Some(crate::domain::metrics::NpsGroup::Promoter) => ", nps_promoters :one",
                Some(crate::domain::metrics::NpsGroup::Passive) => ", nps_passives :one",
                Some(crate::domain::metrics::NpsGroup::Detractor) => ", nps_detractors :one",
                None => "",
            },
            _ => "",
        };
        let counter = Update::builder()
            .table_name(&self.config.core_table)
            .key("pk", s(stats_pk(&r.project_id, shard)))
            .key("sk", s("STATS"))
            .update_expression(format!("ADD responses :one{nps_counter} SET last_response_at = :at"))
            // the counters item carries the project's revision (see
            // `write_project`); none yet: the project has not changed
            // since it was first read
            .condition_expression("attribute_not_exists(revision) OR revision = :revision")
            .expression_attribute_values(":revision", AttributeValue::N(project_revision.to_string()))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":at", s(r.submitted_at.clone()))
            .build()
            .map_err(Error::aws("TransactWriteItems (update)"))?;
        let mut tx = self
            .dynamodb
            .transact_write_items()
            .transact_items(put(&self.config.responses_table, item, Some("attribute_not_exists(pk)"))?)
            .transact_items(TransactWriteItem::builder().update(counter).build());
        // the daily cap's counter is the third item (`domain::submission`)
        let capped = personal_link.is_none() && gate.daily_cap.is_some();
        if let (None, Some((day, cap))) = (personal_link, gate.daily_cap) {
            let expires = crate::clock::parse_ms(&format!("{day}T00:00:00Z")).unwrap_or(0) / 1000 + 3 * 86_400;
            // spread with the project's aggregates: this shard's counter and share
            let (slot, share) = crate::domain::submission::daily_cap_slot(cap, gate.shards, shard);
            let count = Update::builder()
                .table_name(&self.config.core_table)
                .key("pk", s(crate::domain::shard::key(&project_pk(&r.project_id), slot)))
                .key("sk", s(daily_cap_sk(day)))
                .update_expression("ADD n :one SET expires_at = :exp")
                .condition_expression("attribute_not_exists(n) OR n < :cap")
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .expression_attribute_values(":cap", AttributeValue::N(share.to_string()))
                .expression_attribute_values(":exp", AttributeValue::N(expires.to_string()))
                .build()
                .map_err(Error::aws("TransactWriteItems (update)"))?;
            tx = tx.transact_items(TransactWriteItem::builder().update(count).build());
        }
        if let Some(link_id) = personal_link {
            let mark = Update::builder()
                .table_name(&self.config.core_table)
                .key("pk", s(link_pk(link_id)))
                .key("sk", s("LINK"))
                .update_expression("SET responded_at = :at")
                .condition_expression("attribute_exists(pk) AND attribute_not_exists(responded_at)")
                .expression_attribute_values(":at", s(r.submitted_at.clone()))
                .build()
                .map_err(Error::aws("TransactWriteItems (update)"))?;
            tx = tx.transact_items(TransactWriteItem::builder().update(mark).build());
        }
        // the distribution's responses, on an item of their own (not the
        // distribution's, which its sending updates): no condition
        if let Some(dist_id) = gate.distribution {
            let (pk, sk) = super::distributions::responses_key(dist_id);
            let count = Update::builder()
                .table_name(&self.config.core_table)
                .key("pk", s(pk))
                .key("sk", s(sk))
                .update_expression("ADD n :one")
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .build()
                .map_err(Error::aws("TransactWriteItems (update)"))?;
            tx = tx.transact_items(TransactWriteItem::builder().update(count).build());
        }
        if let Some(c) = contribution {
            let nps = match r.answers.get(crate::domain::survey::ids::NPS) {
                Some(crate::domain::survey::Answer::Number(n)) => Some(*n),
                _ => None,
            };
            for item in super::reports::aggregate_items(&self.config, &r.project_id, &r.response_id, &r.submitted_at, nps, c, gate.shards)?
            {
                tx = tx.transact_items(item);
            }
        }
        // A project spread over write shards charges the account's lease
        // of the response's shard (`domain::lease`), refilled from the
        // account when it is out; unsharded, the account item itself.
        let mut lease = charge.filter(|_| gate.shards > 1).map(|_| shard);
        let mut turns = 0u32;
        let e = loop {
            let mut tx = tx.clone();
            match (charge, lease) {
                (Some(c), Some(n)) => tx = tx.transact_items(super::budgets::lease_charge_item(&self.config, c, n)?),
                (Some(c), None) => tx = tx.transact_items(super::budgets::charge_item(&self.config, c)?),
                _ => {}
            }
            // Concurrent responses of a project update the same day bucket,
            // so transactions can lose races, and its partitions (the
            // counters', the day bucket's, the account's) can run out of
            // capacity; they are retried with exponential backoff and full
            // jitter.
            let mut attempt = 0u32;
            let sent = loop {
                match tx.clone().send().await {
                    Err(e) if lost_race(&e) && attempt < STORE_ATTEMPTS => {
                        attempt += 1;
                        let cap = (25u64 << attempt.min(6)).min(1_000);
                        tokio::time::sleep(std::time::Duration::from_millis(25 + fastrand::u64(0..=cap))).await;
                    }
                    other => break other,
                }
            };
            let e = match sent {
                Ok(_) => return Ok(Stored::New),
                Err(e) => e,
            };
            // still raced or throttled after every retry: nothing was
            // stored, and the respondent may send the same form again in a
            // moment
            if lost_race(&e) || throttled(&e) {
                tracing::warn!(project_id = %r.project_id, attempts = attempt + 1, "the submission's partitions stayed busy; nothing stored");
                return Ok(Stored::Busy);
            }
            let refusals = super::budgets::cancellation_codes(&e).unwrap_or_default();
            let (Some(c), Some(n)) = (charge, lease) else { break e };
            if crate::domain::submission::refused(&refusals, true, capped) != Refused::OverBudget {
                break e;
            }
            // the lease is out: refill it, or, when the account has nothing
            // left to grant, charge another lease that still holds units
            turns += 1;
            if turns > LEASE_TURNS {
                tracing::warn!(project_id = %r.project_id, "the account's leases kept running out under other charges; nothing stored");
                return Ok(Stored::Busy);
            }
            match self.refill_lease(c, n, gate.shards).await? {
                super::budgets::Refilled::Granted(_) => continue,
                super::budgets::Refilled::Raced => return Ok(Stored::Busy),
                super::budgets::Refilled::Empty => match self.lease_with_units(c, n).await? {
                    Some(other) => lease = Some(other),
                    None => break e,
                },
            }
        };
        let refusals = super::budgets::cancellation_codes(&e).unwrap_or_default();
        match crate::domain::submission::refused(&refusals, charge.is_some(), capped) {
            Refused::ProjectChanged => Ok(Stored::ProjectChanged),
            Refused::DailyCap => Ok(Stored::DailyCap),
            Refused::OverBudget => {
                if let Some(c) = charge {
                    // the next page view of this Lambda says so at once,
                    // without reading the account again (a crowd past the
                    // edge would read it on every refused submission)
                    let month_end =
                        self.accounts.get(&c.account_id).and_then(|known| crate::domain::budget::month_end_ms(&c.month, &known.time_zone));
                    match month_end {
                        Some(month_ends_ms) => self.page_rooms.put(c.account_id.clone(), crate::ports::Room::UsedUp { month_ends_ms }),
                        None => self.page_rooms.forget(&c.account_id),
                    }
                    self.count_refusal(c).await?;
                }
                Ok(Stored::OverBudget)
            }
            Refused::Taken => {
                let existing = self.get_response(&r.project_id, &r.response_id).await?;
                let link_exists = match (&existing, personal_link) {
                    (None, Some(link_id)) => Some(self.get_link(link_id).await?.is_some()),
                    _ => None,
                };
                match (after_taken(existing.is_some(), link_exists), existing) {
                    (Taken::AlreadyThere, Some(existing)) => Ok(Stored::AlreadyThere(Box::new(existing))),
                    (Taken::LinkGone, _) => Ok(Stored::LinkGone),
                    _ => Err(Error::Conflict("this link is being answered right now".into())),
                }
            }
            Refused::Other => Err(Error::aws("TransactWriteItems")(e)),
        }
    }

    /// Reads one response, on whichever write shard it was stored.
    async fn get_response(&self, project_id: &str, response_id: &str) -> Result<Option<Response>> {
        Ok(self.find_response(project_id, response_id).await?.map(|(_, r)| r))
    }

    /// A project's responses, a page at a time, shard after shard (`after`:
    /// the cursor the previous page ended with; a page may be empty while
    /// more follow).
    async fn list_responses(&self, project_id: &str, after: Option<&str>, limit: i32) -> Result<(Vec<Response>, Option<String>)> {
        use crate::domain::shard;
        let shards = self.project_shards(project_id).await?;
        let (at, last) = after.map_or((0, None), shard::parse_cursor);
        if at >= shards {
            return Ok((Vec::new(), None));
        }
        let start = last.map(|a| format!("RESPONSE#{a}"));
        let pk = shard::key(&project_pk(project_id), at);
        let (items, next) = self.query_page(&self.config.responses_table, &pk, "RESPONSE#", start.as_deref(), Some(limit)).await?;
        let responses =
            items.into_iter().map(|i| from_item::<ResponseItem>(i, "RESPONSE").map(|r| r.response)).collect::<Result<Vec<_>>>()?;
        let next = match next.and_then(|sk| sk.strip_prefix("RESPONSE#").map(str::to_string)) {
            // one shard only: the cursor is the last id, as before shards
            Some(id) if shards == 1 => Some(id),
            Some(id) => Some(shard::cursor(at, Some(&id))),
            None if at + 1 < shards => Some(shard::cursor(at + 1, None)),
            None => None,
        };
        Ok((responses, next))
    }

    /// Stores a response again after a change that keeps its identity (the
    /// GDPR erasure of its personal data), where it is stored; it must exist.
    async fn replace_response(&self, r: &Response) -> Result<()> {
        let Some((pk, _)) = self.find_response(&r.project_id, &r.response_id).await? else {
            return Err(Error::NotFound { what: format!("response {}", r.response_id) });
        };
        let item = to_item(&ResponseItem { pk, sk: format!("RESPONSE#{}", r.response_id), response: r.clone() })?;
        self.replace_item(&self.config.responses_table, item).await
    }

    /// Summed over the project's write shards, read in one batch.
    async fn project_stats(&self, project: &Project) -> Result<(u64, crate::domain::metrics::NpsCounts)> {
        self.stats_over(&project.id, project.settings.write_shards).await
    }

    /// The project's response count (from its counter, not a scan).
    async fn response_count(&self, project_id: &str) -> Result<u64> {
        Ok(self.stats_over(project_id, self.project_shards(project_id).await?).await?.0)
    }
}

impl super::Aws {
    /// A project's counters over `shards` write shards, in one batch read.
    async fn stats_over(&self, project_id: &str, shards: u32) -> Result<(u64, crate::domain::metrics::NpsCounts)> {
        let keys = (0..shards.max(1))
            .map(|shard| Item::from([("pk".to_string(), s(stats_pk(project_id, shard))), ("sk".to_string(), s("STATS"))]))
            .collect();
        let (mut responses, mut nps) = (0, crate::domain::metrics::NpsCounts::default());
        for item in self.batch_get(&self.config.core_table, keys).await? {
            let n = |k: &str| item.get(k).and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
            responses += n("responses");
            nps.promoters += n("nps_promoters");
            nps.passives += n("nps_passives");
            nps.detractors += n("nps_detractors");
        }
        Ok((responses, nps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::Lang;
    use crate::domain::response::Channel;
    use crate::domain::survey::Answer;
    use std::collections::BTreeMap;

    #[test]
    fn a_response_item_round_trips_through_dynamodb_attributes() {
        let r = Response {
            project_id: "p1".into(),
            response_id: "r1".into(),
            version: 2,
            language: Lang::De,
            channel: Channel::Personal,
            submitted_at: "2026-11-22T10:00:00Z".into(),
            answers: BTreeMap::from([
                ("nps".to_string(), Answer::Number(9)),
                ("needs".to_string(), Answer::Text("<b>x</b>".into())),
                ("comm_channels".to_string(), Answer::Many(vec!["email".into(), "app".into()])),
            ]),
            embedded: BTreeMap::from([("Business Unit".to_string(), "North".to_string())]),
            contact_email: Some("a@example.com".into()),
            first_name: Some("Anna".into()),
            last_name: Some("Virtanen".into()),
            erased_at: None,
            via: None,
        };
        let item = to_item(&ResponseItem { pk: "PROJECT#p1".into(), sk: "RESPONSE#r1".into(), response: r.clone() }).unwrap();
        assert_eq!(item["answers"].as_m().unwrap()["nps"], AttributeValue::N("9".into()));
        let back: ResponseItem = from_item(item, "k").unwrap();
        assert_eq!(back.response, r);
    }
}
