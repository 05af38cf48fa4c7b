//! A real check of every resource the stack depends on, the status page's
//! reading of the stack (queues, dead letters, SES, schedules) and the
//! errors kept for the support bundle.

use serde::{Deserialize, Serialize};

use super::{from_item, s, to_item};
use crate::domain::help::{ErrorRecord, SesAccount, ERROR_DAYS};
use crate::error::chain;
#[allow(unused_imports)]
use crate::ports::*;
use crate::{Error, Result};

/// The outcome of checking one resource.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Check {
    pub resource: String,
    pub name: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

fn check(resource: &str, name: &str, r: Result<(), String>) -> Check {
    Check { resource: resource.to_string(), name: name.to_string(), ok: r.is_ok(), detail: r.err() }
}

/// The messages waiting on a dead-letter or failure queue.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QueueDepth {
    /// The queue's logical id in the template (`SendDeadLetterQueue`).
    pub name: String,
    pub url: String,
    /// `ApproximateNumberOfMessages`; `None`: it could not be read (see `detail`).
    pub waiting: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One of the stack's schedules as EventBridge has it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScheduleState {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `None`: the rule could not be read (see `detail`).
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The sender and the SES account.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SesState {
    pub sender: String,
    /// The sender or its domain is a verified identity (`None`: SES did not say).
    pub sender_verified: Option<bool>,
    /// `None`: `GetAccount` failed (see `detail`).
    pub account: Option<SesAccount>,
    /// The emails a second the stack is configured to send (`SES_SEND_RATE`).
    pub configured_rate: u32,
    /// The configured rate is over SES's `MaxSendRate`.
    pub rate_too_high: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The status page's reading of the stack.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StackStatus {
    /// Every table, the bucket and every queue: answering or not.
    pub checks: Vec<Check>,
    pub dead_letters: Vec<QueueDepth>,
    pub ses: SesState,
    pub schedules: Vec<ScheduleState>,
}

impl SesState {
    /// From what SES said (or why it could not).
    pub fn of(sender: &str, sender_verified: Option<bool>, account: std::result::Result<SesAccount, String>, configured_rate: u32) -> Self {
        let rate_too_high =
            account.as_ref().is_ok_and(|a| crate::domain::help::rate_exceeds_quota(f64::from(configured_rate), a.max_send_rate));
        let (account, detail) = match account {
            Ok(a) => (Some(a), None),
            Err(e) => (None, Some(e)),
        };
        SesState { sender: sender.to_string(), sender_verified, account, configured_rate, rate_too_high, detail }
    }
}

/// The SES account as `GetAccount` describes it (sesv2).
pub async fn ses_account(ses: &aws_sdk_sesv2::Client) -> std::result::Result<SesAccount, String> {
    let a = ses.get_account().send().await.map_err(|e| chain(&e))?;
    let quota = a.send_quota();
    Ok(SesAccount {
        production_access: a.production_access_enabled(),
        sending_enabled: a.sending_enabled(),
        max_24_hour_send: quota.map(|q| q.max24_hour_send()).unwrap_or(0.0),
        max_send_rate: quota.map(|q| q.max_send_rate()).unwrap_or(0.0),
        sent_last_24_hours: quota.map(|q| q.sent_last24_hours()).unwrap_or(0.0),
    })
}

/// Whether the sender address, or its domain, is a verified SES identity
/// (`None`: neither could be read for another reason than not existing).
pub async fn sender_verified(ses: &aws_sdk_sesv2::Client, sender: &str) -> Option<bool> {
    let domain = sender.rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_default();
    let mut answered = false;
    for identity in [sender.to_string(), domain] {
        match ses.get_email_identity().email_identity(&identity).send().await {
            Ok(i) => {
                answered = true;
                if i.verified_for_sending_status() || i.verification_status() == Some(&aws_sdk_sesv2::types::VerificationStatus::Success) {
                    return Some(true);
                }
            }
            Err(e) if e.as_service_error().is_some_and(|se| se.is_not_found_exception()) => answered = true,
            Err(_) => {}
        }
    }
    answered.then_some(false)
}

/// A kept error: under one partition of the core table, newest last by its
/// sort key, deleted by TTL after [`ERROR_DAYS`].
#[derive(Serialize, Deserialize)]
struct ErrorItem {
    pk: String,
    sk: String,
    expires_at: u64,
    #[serde(flatten)]
    record: ErrorRecord,
}

const ERRORS_PK: &str = "ERRORS";

impl super::Aws {
    async fn queue_answers(&self, url: &str, depth: bool) -> std::result::Result<Option<u64>, String> {
        let mut call = self.sqs.get_queue_attributes().queue_url(url);
        if depth {
            call = call.attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages);
        }
        let a = call.send().await.map_err(|e| chain(&e))?;
        Ok(a.attributes()
            .and_then(|m| m.get(&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages))
            .and_then(|v| v.parse().ok()))
    }
}

impl crate::ports::Health for super::Aws {
    /// Describes the three tables, heads the bucket and reads the queue's
    /// attributes; each check says whether the resource answered.
    async fn health(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        for (resource, table) in [
            ("core table", &self.config.core_table),
            ("contacts table", &self.config.contacts_table),
            ("responses table", &self.config.responses_table),
        ] {
            let r = self.dynamodb.describe_table().table_name(table).send().await;
            checks.push(check(resource, table, r.map(|_| ()).map_err(|e| chain(&e))));
        }
        let r = self.s3.head_bucket().bucket(&self.config.data_bucket).send().await;
        checks.push(check("data bucket", &self.config.data_bucket, r.map(|_| ()).map_err(|e| chain(&e))));
        let r = self.sqs.get_queue_attributes().queue_url(&self.config.send_queue_url).send().await;
        checks.push(check("send queue", &self.config.send_queue_url, r.map(|_| ()).map_err(|e| chain(&e))));
        checks
    }

    async fn status(&self) -> StackStatus {
        let c = &self.config;
        let mut checks = self.health().await;
        for (resource, url) in [("import queue", &c.import_queue_url), ("report queue", &c.report_queue_url)] {
            checks.push(check(resource, url, self.queue_answers(url, false).await.map(|_| ())));
        }
        let mut dead_letters = Vec::new();
        for (name, url) in &c.dead_letter_queues {
            let answer = self.queue_answers(url, true).await;
            checks.push(check(name, url, answer.clone().map(|_| ())));
            let (waiting, detail) = match answer {
                Ok(n) => (Some(n.unwrap_or(0)), None),
                Err(e) => (None, Some(e)),
            };
            dead_letters.push(QueueDepth { name: name.clone(), url: url.clone(), waiting, detail });
        }
        let ses =
            SesState::of(&c.sender_email, sender_verified(&self.ses, &c.sender_email).await, ses_account(&self.ses).await, c.ses_send_rate);
        let mut schedules = Vec::new();
        for rule in &c.schedule_rules {
            schedules.push(match self.events.describe_rule().name(rule).send().await {
                Ok(r) => ScheduleState {
                    rule: rule.clone(),
                    expression: r.schedule_expression().map(str::to_string),
                    description: r.description().map(str::to_string),
                    enabled: Some(r.state() == Some(&aws_sdk_eventbridge::types::RuleState::Enabled)),
                    detail: None,
                },
                Err(e) => ScheduleState { rule: rule.clone(), expression: None, description: None, enabled: None, detail: Some(chain(&e)) },
            });
        }
        StackStatus { checks, dead_letters, ses, schedules }
    }

    async fn record_error(&self, e: &ErrorRecord, now_s: u64) -> Result<()> {
        let item = ErrorItem {
            pk: ERRORS_PK.to_string(),
            sk: format!("{}#{}", e.at, e.request_id),
            expires_at: now_s + ERROR_DAYS * 86_400,
            record: e.clone(),
        };
        self.dynamodb
            .put_item()
            .table_name(&self.config.core_table)
            .set_item(Some(to_item(&item)?))
            .send()
            .await
            .map_err(Error::aws("PutItem"))?;
        Ok(())
    }

    async fn last_errors(&self, limit: usize) -> Result<Vec<ErrorRecord>> {
        let out = self
            .dynamodb
            .query()
            .table_name(&self.config.core_table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(ERRORS_PK))
            .scan_index_forward(false)
            .limit(limit.clamp(1, 100) as i32)
            .send()
            .await
            .map_err(Error::aws("Query"))?;
        out.items.unwrap_or_default().into_iter().map(|i| from_item::<ErrorItem>(i, ERRORS_PK).map(|e| e.record)).collect()
    }
}
