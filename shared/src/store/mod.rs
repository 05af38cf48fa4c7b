//! Adapters to the AWS services. They translate between Pulse's types and
//! the wire; they make no decisions.

pub mod b2b;
pub mod budgets;
pub mod contacts;
pub mod distributions;
pub mod files;
pub mod guard;
pub mod health;
pub mod jobs;
pub mod mail;
pub mod notifications;
pub mod parameters;
pub mod queue;
pub mod reports;
pub mod salesforce;
pub mod secrets;
pub mod sftp;
pub mod surveys;
pub mod sync;
pub mod users;
pub mod warm;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

/// The four clients, built once from one SDK config, and what a warm
/// Lambda may keep between invocations ([`warm`]).
#[derive(Clone, Debug)]
pub struct Aws {
    /// Where the stack's resources are: table, bucket and queue names, the
    /// sender identity. The adapter owns them; callers never pass them.
    pub config: Arc<crate::Config>,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub ses: aws_sdk_sesv2::Client,
    /// Seals what must be shown again but never kept in clear (the
    /// anonymous link's token) with the stack's links key.
    pub kms: aws_sdk_kms::Client,
    /// The projects' connected-app secrets.
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    /// The stack's schedules (EventBridge rules), read by the status page.
    pub events: aws_sdk_eventbridge::Client,
    /// The console's operators: Cognito, and the pool's signing keys.
    pub users: users::Operators,
    /// The SFTP endpoint's users, when the stack has the endpoint.
    pub sftp: Option<sftp::DropFolderUsers>,
    /// Published survey versions read so far: a version never changes once
    /// published, so a warm Lambda reads and decodes each one once.
    pub versions: WarmCache<(String, u32), Arc<crate::domain::survey::Definition>>,
    /// Survey links with what their submission needs of the project
    /// (revision, published version, account), by token. The submission's
    /// transaction checks the revision, so a project changed since is
    /// noticed there and read again.
    pub links: WarmCache<String, Arc<surveys::LinkContext>>,
    /// Accounts' time zones with the billing month last seen current.
    pub accounts: WarmCache<String, budgets::KnownMonth>,
    /// The stack's secrets (form-token key, address-hash key), read once.
    pub secrets: WarmCache<String, Arc<[u8; 32]>>,
    /// Projects' write shard counts as a report's reads last saw them, for
    /// a moment ([`REPORT_SHARDS_AGE`]): one report reads many dimensions.
    pub report_shards: WarmCache<String, u32>,
    /// Whether accounts' links had room when a page view read it a moment ago
    /// ([`PAGE_AGE`]; `Budgets::links_have_room`).
    pub page_rooms: WarmCache<String, crate::ports::Room>,
    /// How many partition keys a project's contacts and each list's
    /// members are spread over ([`crate::domain::directory::SHARDS`]; 1 is
    /// the design before the spread, which the import benchmark measures).
    pub directory_shards: u32,
    /// The credentials and region the clients sign with, for what is
    /// signed here rather than by a client (an upload form's POST policy).
    pub signing: (Option<aws_credential_types::provider::SharedCredentialsProvider>, Option<String>),
}

#[allow(unused_imports)]
pub(crate) use crate::ports::*;
use std::sync::Arc;
pub use warm::WarmCache;

/// How many published versions, links and accounts a warm Lambda keeps.
const VERSIONS_KEPT: usize = 256;
const LINKS_KEPT: usize = 4096;
const ACCOUNTS_KEPT: usize = 1024;
/// How long a link's context and an account's time zone are used before
/// they are read again (both are checked by the writes relying on them).
const CONTEXT_AGE: std::time::Duration = std::time::Duration::from_secs(300);
/// How old the link context a page view uses may be (`Freshness::Recent`).
pub const PAGE_AGE: std::time::Duration = std::time::Duration::from_secs(1);
/// How long the shard count read for a report is used for its other
/// dimensions: a report's buckets are read within it, so its dimensions
/// all see the same shards, and a project is read once per report rather
/// than once per dimension. (A count raised in that moment leaves out only
/// what was written to the new shards in it, as if the report had been
/// made a moment earlier; erasures and lookups read the count afresh.)
const REPORT_SHARDS_AGE: std::time::Duration = std::time::Duration::from_secs(2);

/// The four service clients alone, for tools that manage the resources
/// themselves (the local stack provisions the template with them).
#[derive(Clone, Debug)]
pub struct Clients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub ses: aws_sdk_sesv2::Client,
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    pub kms: aws_sdk_kms::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub transfer: aws_sdk_transfer::Client,
    pub secretsmanager: aws_sdk_secretsmanager::Client,
    pub events: aws_sdk_eventbridge::Client,
}

impl Clients {
    /// Builds every client from the same SDK config. When the config points
    /// at an explicit endpoint (an emulator), S3 uses path-style addressing,
    /// since bucket sub-domains of `127.0.0.1` do not resolve.
    pub fn new(sdk: &SdkConfig) -> Self {
        let s3_config = aws_sdk_s3::config::Builder::from(sdk).force_path_style(sdk.endpoint_url().is_some()).build();
        Clients {
            dynamodb: aws_sdk_dynamodb::Client::new(sdk),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sqs: aws_sdk_sqs::Client::new(sdk),
            ses: aws_sdk_sesv2::Client::new(sdk),
            cognito: aws_sdk_cognitoidentityprovider::Client::new(sdk),
            kms: aws_sdk_kms::Client::new(sdk),
            ssm: aws_sdk_ssm::Client::new(sdk),
            transfer: aws_sdk_transfer::Client::new(sdk),
            secretsmanager: aws_sdk_secretsmanager::Client::new(sdk),
            events: aws_sdk_eventbridge::Client::new(sdk),
        }
    }
}

impl Aws {
    /// The adapter for the resources `config` names, on clients built from
    /// one SDK config.
    pub fn new(sdk: &SdkConfig, config: crate::Config) -> Self {
        let Clients { dynamodb, s3, sqs, ses, cognito, kms, transfer, secretsmanager, events, .. } = Clients::new(sdk);
        let users = users::Operators::new(cognito, &config, sdk);
        let sftp = sftp::DropFolderUsers::new(transfer, &config);
        Aws {
            config: Arc::new(config),
            dynamodb,
            s3,
            sqs,
            ses,
            kms,
            secretsmanager,
            events,
            users,
            sftp,
            versions: WarmCache::new(VERSIONS_KEPT, None),
            links: WarmCache::new(LINKS_KEPT, Some(CONTEXT_AGE)),
            accounts: WarmCache::new(ACCOUNTS_KEPT, Some(CONTEXT_AGE)),
            secrets: WarmCache::new(8, None),
            report_shards: WarmCache::new(ACCOUNTS_KEPT, Some(REPORT_SHARDS_AGE)),
            page_rooms: WarmCache::new(ACCOUNTS_KEPT, Some(PAGE_AGE)),
            directory_shards: crate::domain::directory::SHARDS,
            signing: (sdk.credentials_provider(), sdk.region().map(|r| r.to_string())),
        }
    }
}

/// A DynamoDB item as the SDK holds it.
pub(crate) type Item = std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{de::DeserializeOwned, Serialize};

pub(crate) fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub(crate) fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// An item struct to its DynamoDB form (serde_dynamo).
pub(crate) fn to_item<T: Serialize>(value: &T) -> crate::Result<Item> {
    serde_dynamo::to_item(value).map_err(|e| crate::Error::Corrupt { key: "new item".into(), source: Box::new(e) })
}

/// A DynamoDB item to its struct; `key` names it in the error.
pub(crate) fn from_item<T: DeserializeOwned>(item: Item, key: &str) -> crate::Result<T> {
    serde_dynamo::from_item(item).map_err(|e| crate::Error::Corrupt { key: key.to_string(), source: Box::new(e) })
}

/// Whether an SDK error is a failed condition of a single-item write.
pub(crate) fn condition_failed<E: aws_sdk_dynamodb::error::ProvideErrorMetadata, R>(e: &aws_sdk_dynamodb::error::SdkError<E, R>) -> bool {
    e.as_service_error().and_then(|se| se.code()) == Some("ConditionalCheckFailedException")
}

/// Whether an SDK error is DynamoDB throttling the call (a hot partition,
/// or the table's or account's throughput): the SDK has already retried it
/// with backoff; a batch that gets it had nothing applied and is tried again.
pub(crate) fn throttled<E: aws_sdk_dynamodb::error::ProvideErrorMetadata, R>(e: &aws_sdk_dynamodb::error::SdkError<E, R>) -> bool {
    matches!(
        e.as_service_error().and_then(|se| se.code()),
        Some("ThrottlingException" | "ProvisionedThroughputExceededException" | "RequestLimitExceeded")
    )
}

/// Whether a transaction was cancelled by a failed condition.
pub(crate) fn tx_condition_failed(
    e: &aws_sdk_dynamodb::error::SdkError<aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError>,
) -> bool {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    match e.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(c)) => {
            c.cancellation_reasons().iter().any(|r| r.code() == Some("ConditionalCheckFailed"))
        }
        _ => false,
    }
}

/// The outcome of a conditional write: applied (true), its condition
/// failed (false: nothing changed), or an error.
pub(crate) fn applied<T, E, R>(
    out: std::result::Result<T, aws_sdk_dynamodb::error::SdkError<E, R>>,
    operation: &'static str,
) -> crate::Result<bool>
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match out {
        Ok(_) => Ok(true),
        Err(e) if condition_failed(&e) => Ok(false),
        Err(e) => Err(crate::Error::aws(operation)(e)),
    }
}

/// The sort key of an item.
pub(crate) fn sort_key(item: &Item) -> Option<&str> {
    item.get("sk").and_then(|v| v.as_s().ok()).map(String::as_str)
}

impl Aws {
    /// One page of the items of partition `pk` whose sort key begins with
    /// `prefix`, after the sort key `after`; returns the page and the last
    /// sort key when more may follow.
    pub(crate) async fn query_page(
        &self,
        table: &str,
        pk: &str,
        prefix: &str,
        after: Option<&str>,
        limit: Option<i32>,
    ) -> crate::Result<(Vec<Item>, Option<String>)> {
        let start = after.map(|a| Item::from([("pk".to_string(), s(pk)), ("sk".to_string(), s(a))]));
        let page = self
            .dynamodb
            .query()
            .table_name(table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix))
            .set_exclusive_start_key(start)
            .set_limit(limit)
            .send()
            .await
            .map_err(crate::Error::aws("Query"))?;
        let next = page.last_evaluated_key.as_ref().and_then(sort_key).map(str::to_string);
        Ok((page.items.unwrap_or_default(), next))
    }

    /// Every item of partition `pk` whose sort key begins with `prefix`.
    pub(crate) async fn query_all(&self, table: &str, pk: &str, prefix: &str) -> crate::Result<Vec<Item>> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let (items, next) = self.query_page(table, pk, prefix, after.as_deref(), None).await?;
            all.extend(items);
            match next {
                Some(n) => after = Some(n),
                None => return Ok(all),
            }
        }
    }

    /// Writes an item over one that must exist (never creates it).
    pub(crate) async fn replace_item(&self, table: &str, item: Item) -> crate::Result<()> {
        self.dynamodb
            .put_item()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await
            .map_err(crate::Error::aws("PutItem"))?;
        Ok(())
    }

    /// Deletes the item `pk`/`sk`; whether it was there (deleting nothing is
    /// harmless).
    pub(crate) async fn delete_existing(&self, table: &str, pk: &str, sk: &str) -> crate::Result<bool> {
        let old = self
            .dynamodb
            .delete_item()
            .table_name(table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(crate::Error::aws("DeleteItem"))?;
        Ok(old.attributes.is_some())
    }

    /// Reads one item by its `pk`/`sk` (strongly consistent).
    pub(crate) async fn get_item(&self, table: &str, pk: &str, sk: &str) -> crate::Result<Option<Item>> {
        let out = self
            .dynamodb
            .get_item()
            .table_name(table)
            .key("pk", AttributeValue::S(pk.to_string()))
            .key("sk", AttributeValue::S(sk.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(crate::Error::aws("GetItem"))?;
        Ok(out.item)
    }
}

/// How many times a BatchGetItem's unprocessed keys are asked for.
const BATCH_GET_ATTEMPTS: u32 = 10;

impl Aws {
    /// Items of `table` by key (consistent reads, 100 keys a call, the
    /// unprocessed keys, or a call throttled whole, asked again with
    /// backoff); absent ones are left out. Keys still unprocessed after the
    /// last attempt are an error, never taken for absent items.
    pub(crate) async fn batch_get(&self, table: &str, keys: Vec<Item>) -> crate::Result<Vec<Item>> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut found = Vec::new();
        for chunk in keys.chunks(100) {
            let mut pending = Some(
                KeysAndAttributes::builder()
                    .set_keys(Some(chunk.to_vec()))
                    .consistent_read(true)
                    .build()
                    .map_err(crate::Error::aws("BatchGetItem (keys)"))?,
            );
            for attempt in 0..BATCH_GET_ATTEMPTS {
                let Some(keys) = pending.take() else { break };
                if attempt > 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(fastrand::u64(0..=(25u64 << attempt.min(7)).min(3_000)))).await;
                }
                let out = match self.dynamodb.batch_get_item().request_items(table, keys.clone()).send().await {
                    Ok(out) => out,
                    Err(e) if throttled(&e) => {
                        tracing::debug!(table, attempt, "BatchGetItem throttled, backing off");
                        pending = Some(keys);
                        continue;
                    }
                    Err(e) => return Err(crate::Error::aws("BatchGetItem")(e)),
                };
                found.extend(out.responses.and_then(|mut r| r.remove(table)).unwrap_or_default());
                pending = out.unprocessed_keys.and_then(|mut u| u.remove(table)).filter(|rest| !rest.keys().is_empty());
            }
            if let Some(rest) = pending {
                return Err(crate::Error::Aws {
                    operation: "BatchGetItem",
                    source: format!("{} keys were still unprocessed after {BATCH_GET_ATTEMPTS} attempts", rest.keys().len()).into(),
                });
            }
        }
        Ok(found)
    }
}

/// An SDK config for an AWS-compatible endpoint such as the emulator, with
/// fixed credentials (the emulator accepts any) and region `us-east-1`.
pub async fn emulator_sdk_config(endpoint_url: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint_url)
        .credentials_provider(Credentials::from_keys("test", "test", None))
        .load()
        .await
}
