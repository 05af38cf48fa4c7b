//! Adapters to the AWS services. They translate between Pulse's types and
//! the wire; they make no decisions.

pub mod files;
pub mod health;
pub mod mail;
pub mod notifications;
pub mod queue;
pub mod surveys;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

/// The four clients, built once from one SDK config.
#[derive(Clone, Debug)]
pub struct Aws {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub ses: aws_sdk_sesv2::Client,
}

impl Aws {
    /// Builds every client from the same SDK config. When the config points
    /// at an explicit endpoint (an emulator), S3 uses path-style addressing,
    /// since bucket sub-domains of `127.0.0.1` do not resolve.
    pub fn new(sdk: &SdkConfig) -> Self {
        let s3_config = aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(sdk.endpoint_url().is_some())
            .build();
        Aws {
            dynamodb: aws_sdk_dynamodb::Client::new(sdk),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sqs: aws_sdk_sqs::Client::new(sdk),
            ses: aws_sdk_sesv2::Client::new(sdk),
        }
    }
}

/// A DynamoDB item as the SDK holds it.
pub(crate) type Item = std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>;

impl Aws {
    /// Reads one item by its `pk`/`sk` (strongly consistent).
    pub(crate) async fn get_item(&self, table: &str, pk: &str, sk: &str) -> crate::Result<Option<Item>> {
        use aws_sdk_dynamodb::types::AttributeValue;
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
