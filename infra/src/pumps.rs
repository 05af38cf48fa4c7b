//! Event sources, delivered as AWS delivers them:
//! * SQS event source mappings (as many pollers as the template's
//!   `MaximumConcurrency`, 2 when open): receive, invoke with an `SqsEvent`, delete
//!   what succeeded, leave `batchItemFailures` for redelivery.
//! * S3 notifications: the emulator's own S3 posts `ObjectCreated` events
//!   (same JSON as AWS, URL-encoded keys) to an internal queue per
//!   subscription; they are handed to the function as S3 events, with the
//!   asynchronous-invoke retry count of Lambda (2 retries).
//! * DynamoDB streams: `GetRecords` on each shard of the emulator's stream,
//!   records delivered in order in batches, a failure retried from the first
//!   failed sequence number up to `MaximumRetryAttempts`.
//! * Schedules: `rate(...)` expressions fire on time; any schedule can be
//!   fired now (`POST /_local/schedules/<Function>.<Event>`).

use std::time::Duration;

use aws_sdk_s3::types::{
    Event as S3EventKind, FilterRule, FilterRuleName, NotificationConfiguration, NotificationConfigurationFilter, QueueConfiguration,
    S3KeyFilter,
};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, MessageSystemAttributeName, QueueAttributeName};
use pulse_shared::store::Clients;
use serde_json::{json, Value};

use crate::lambda::Functions;
use crate::template::{ACCOUNT_ID, REGION};

/// How long the pumps wait between empty polls.
const IDLE: Duration = Duration::from_millis(150);

fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Delivers an SQS queue to a function, `batch_size` messages at a time.
pub async fn sqs_pump(
    aws: Clients,
    functions: Functions,
    function: String,
    timeout: Duration,
    queue_url: String,
    queue_arn: String,
    batch_size: usize,
) {
    loop {
        let received = aws
            .sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(batch_size.clamp(1, 10) as i32)
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await;
        let messages = match received {
            Ok(r) => r.messages.unwrap_or_default(),
            Err(e) => {
                tracing::debug!(error = %e, queue_url, "receive failed");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if messages.is_empty() {
            continue;
        }
        let records: Vec<Value> = messages
            .iter()
            .map(|m| {
                let attributes: serde_json::Map<String, Value> = m
                    .attributes()
                    .map(|a| a.iter().map(|(k, v)| (k.as_str().to_string(), Value::String(v.clone()))).collect())
                    .unwrap_or_default();
                json!({
                    "messageId": m.message_id(),
                    "receiptHandle": m.receipt_handle(),
                    "body": m.body(),
                    "attributes": attributes,
                    "messageAttributes": {},
                    "md5OfBody": m.md5_of_body(),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": queue_arn,
                    "awsRegion": REGION,
                })
            })
            .collect();
        let result = functions.invoke(&function, &request_id(), json!({ "Records": records }), timeout).await;
        // Whole-batch failure: nothing is deleted; the visibility timeout brings it back.
        let Ok(response) = result else { continue };
        let failed: Vec<String> = response["batchItemFailures"]
            .as_array()
            .map(|a| a.iter().filter_map(|f| f["itemIdentifier"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let entries: Vec<DeleteMessageBatchRequestEntry> = messages
            .iter()
            .filter(|m| !failed.iter().any(|f| Some(f.as_str()) == m.message_id()))
            .enumerate()
            .filter_map(|(i, m)| {
                DeleteMessageBatchRequestEntry::builder().id(i.to_string()).receipt_handle(m.receipt_handle()?).build().ok()
            })
            .collect();
        if !entries.is_empty() {
            if let Err(e) = aws.sqs.delete_message_batch().queue_url(&queue_url).set_entries(Some(entries)).send().await {
                tracing::warn!(error = %e, "deleting processed messages failed; they will be redelivered");
            }
        }
    }
}

/// One S3 → function subscription.
pub struct S3Subscription {
    pub function: String,
    pub timeout: Duration,
    pub bucket: String,
    pub events: Vec<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub queue_name: String,
}

/// Subscribes an internal queue per subscription to the bucket's
/// notifications (one configuration call per bucket, as S3 keeps one
/// configuration per bucket) and starts delivering them.
pub async fn start_s3_notifications(aws: &Clients, functions: &Functions, subs: Vec<S3Subscription>) -> Result<(), String> {
    let mut by_bucket: std::collections::BTreeMap<String, Vec<QueueConfiguration>> = Default::default();
    for sub in subs {
        let created = aws
            .sqs
            .create_queue()
            .queue_name(&sub.queue_name)
            .attributes(QueueAttributeName::VisibilityTimeout, "5")
            .send()
            .await
            .map_err(|e| format!("internal S3 event queue: {e}"))?;
        let url = created.queue_url.unwrap_or_default();
        let arn = format!("arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{}", sub.queue_name);
        let mut rules = Vec::new();
        for (name, value) in [(FilterRuleName::Prefix, &sub.prefix), (FilterRuleName::Suffix, &sub.suffix)] {
            if let Some(v) = value {
                rules.push(FilterRule::builder().name(name).value(v).build());
            }
        }
        let mut config = QueueConfiguration::builder()
            .queue_arn(arn)
            .set_events(Some(sub.events.iter().map(|e| S3EventKind::from(e.as_str())).collect()));
        if !rules.is_empty() {
            config = config.filter(
                NotificationConfigurationFilter::builder().key(S3KeyFilter::builder().set_filter_rules(Some(rules)).build()).build(),
            );
        }
        by_bucket.entry(sub.bucket.clone()).or_default().push(config.build().map_err(|e| e.to_string())?);
        tokio::spawn(s3_pump(aws.clone(), functions.clone(), sub.function, sub.timeout, url));
    }
    for (bucket, configs) in by_bucket {
        aws.s3
            .put_bucket_notification_configuration()
            .bucket(&bucket)
            .notification_configuration(NotificationConfiguration::builder().set_queue_configurations(Some(configs)).build())
            .send()
            .await
            .map_err(|e| format!("bucket notification for {bucket}: {e}"))?;
    }
    Ok(())
}

async fn s3_pump(aws: Clients, functions: Functions, function: String, timeout: Duration, queue_url: String) {
    loop {
        let received = aws
            .sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await;
        let Ok(received) = received else {
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        };
        for m in received.messages.unwrap_or_default() {
            let mut body: Value = serde_json::from_str(m.body().unwrap_or_default()).unwrap_or(Value::Null);
            as_s3_sends_it(&mut body);
            let attempts: u32 = m
                .attributes()
                .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                .and_then(|c| c.parse().ok())
                .unwrap_or(1);
            let done = if body.get("Records").is_none() {
                true // s3:TestEvent sent when the configuration is set
            } else {
                let ok = functions.invoke(&function, &request_id(), body, timeout).await.is_ok();
                // Lambda retries a failed asynchronous invocation twice.
                ok || attempts >= 3
            };
            if done {
                if let Some(handle) = m.receipt_handle() {
                    let _ = aws.sqs.delete_message().queue_url(&queue_url).receipt_handle(handle).send().await;
                }
            }
        }
    }
}

/// Fills in what moto's notification leaves out and S3 always sends: a zone
/// on `eventTime` (moto: `2026-11-22T20:54:28.711111`, S3: `...Z`),
/// `userIdentity`, `requestParameters` and `responseElements`.
fn as_s3_sends_it(body: &mut Value) {
    for record in body.get_mut("Records").and_then(Value::as_array_mut).into_iter().flatten() {
        for (field, value) in [
            ("userIdentity", json!({ "principalId": "AWS:LOCAL" })),
            ("requestParameters", json!({ "sourceIPAddress": "127.0.0.1" })),
            ("responseElements", json!({ "x-amz-request-id": "LOCAL", "x-amz-id-2": "LOCAL" })),
        ] {
            if record.get(field).is_none() {
                record[field] = value;
            }
        }
        if let Some(t) = record["eventTime"].as_str() {
            let zoned = t.ends_with('Z') || t.get(19..).is_some_and(|rest| rest.contains('+') || rest.contains('-'));
            if !zoned {
                record["eventTime"] = Value::String(format!("{t}Z"));
            }
        }
    }
}

/// Calls the emulator's DynamoDB Streams API. The JSON it answers is the
/// stream record format Lambda forwards, so records pass through unchanged.
async fn streams_call(http: &reqwest::Client, endpoint: &str, action: &str, body: Value) -> Result<Value, String> {
    let response = http
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", format!("DynamoDBStreams_20120810.{action}"))
        .header(
            "authorization",
            format!("AWS4-HMAC-SHA256 Credential=test/20260101/{REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0"),
        )
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| format!("{action}: {e}"))?;
    let status = response.status();
    let value: Value = response.json().await.map_err(|e| format!("{action}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{action}: {status} {value}"));
    }
    Ok(value)
}

/// Delivers a table's stream to a function.
pub async fn stream_pump(
    endpoint: String,
    functions: Functions,
    function: String,
    timeout: Duration,
    stream_arn: String,
    batch_size: usize,
    max_retries: u32,
) {
    let http = reqwest::Client::new();
    let shard = loop {
        match streams_call(&http, &endpoint, "DescribeStream", json!({ "StreamArn": stream_arn })).await {
            Ok(d) => match d["StreamDescription"]["Shards"][0]["ShardId"].as_str() {
                Some(s) => break s.to_string(),
                None => tokio::time::sleep(IDLE).await,
            },
            Err(e) => {
                tracing::warn!(error = %e, "stream not readable yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    let mut iterator = match streams_call(
        &http,
        &endpoint,
        "GetShardIterator",
        json!({ "StreamArn": stream_arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON" }),
    )
    .await
    {
        Ok(v) => v["ShardIterator"].as_str().unwrap_or_default().to_string(),
        Err(e) => {
            tracing::error!(error = %e, "stream pump stopped");
            return;
        }
    };
    let mut pending: Vec<Value> = Vec::new();
    let mut attempts: u32 = 0;
    loop {
        if pending.len() < batch_size {
            match streams_call(&http, &endpoint, "GetRecords", json!({ "ShardIterator": iterator, "Limit": 1000 })).await {
                Ok(v) => {
                    if let Some(next) = v["NextShardIterator"].as_str() {
                        iterator = next.to_string();
                    }
                    for mut r in v["Records"].as_array().cloned().unwrap_or_default() {
                        r["eventSourceARN"] = Value::String(stream_arn.clone());
                        pending.push(r);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "GetRecords failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            }
        }
        if pending.is_empty() {
            tokio::time::sleep(IDLE).await;
            continue;
        }
        let batch: Vec<Value> = pending.iter().take(batch_size).cloned().collect();
        let result = functions.invoke(&function, &request_id(), json!({ "Records": batch }), timeout).await;
        // The position to resume from: after the batch, or at the first failure.
        let retry_from = match &result {
            Err(_) => Some(0),
            Ok(r) => r["batchItemFailures"].as_array().and_then(|failures| {
                failures
                    .iter()
                    .filter_map(|f| f["itemIdentifier"].as_str())
                    .filter_map(|seq| batch.iter().position(|rec| rec["dynamodb"]["SequenceNumber"].as_str() == Some(seq)))
                    .min()
            }),
        };
        match retry_from {
            None => {
                pending.drain(..batch.len());
                attempts = 0;
            }
            Some(at) if attempts >= max_retries => {
                tracing::error!(
                    function,
                    "stream records dropped after {max_retries} retries (the deployed stack sends them to the failure queue)"
                );
                pending.drain(..batch.len().max(at + 1));
                attempts = 0;
            }
            Some(at) => {
                pending.drain(..at);
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(200 * u64::from(attempts))).await;
            }
        }
    }
}

/// Parses `rate(N unit)`; cron expressions are fired by hand only.
pub fn rate_period(expression: &str) -> Option<Duration> {
    let inner = expression.trim().strip_prefix("rate(")?.strip_suffix(')')?;
    let mut parts = inner.split_whitespace();
    let n: u64 = parts.next()?.parse().ok()?;
    let unit = parts.next()?.trim_end_matches('s');
    let secs = match unit {
        "minute" => 60,
        "hour" => 3600,
        "day" => 86400,
        _ => return None,
    };
    Some(Duration::from_secs(n * secs))
}

/// The event EventBridge sends for a scheduled rule.
pub fn scheduled_event(rule: &str) -> Value {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    json!({
        "version": "0",
        "id": uuid::Uuid::new_v4().to_string(),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "region": REGION,
        "resources": [format!("arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule}")],
        "detail": {}
    })
}

/// Fires a schedule on its rate.
pub async fn schedule_pump(functions: Functions, function: String, timeout: Duration, rule: String, period: Duration) {
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        ticker.tick().await;
        let _ = functions.invoke(&function, &request_id(), scheduled_event(&rule), timeout).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rate_expressions() {
        assert_eq!(rate_period("rate(7 days)"), Some(Duration::from_secs(7 * 86400)));
        assert_eq!(rate_period("rate(1 minute)"), Some(Duration::from_secs(60)));
        assert_eq!(rate_period("cron(0 8 ? * MON *)"), None);
    }
}
