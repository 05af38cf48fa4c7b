//! Counting the AWS calls the functions make: an SDK interceptor on every
//! client of every function of the local stack (through
//! [`crate::Options::client_hook`]), tallied by function, service and
//! operation, with an estimate of the DynamoDB capacity units each call
//! consumes.
//!
//! Capacity units follow DynamoDB's rules for on-demand tables: a read is
//! one read request unit per 4 KB (half for an eventually consistent read,
//! two for a transactional one), summed over the items a query returns; a
//! write is one write request unit per 1 KB of the item written, two in a
//! transaction. Sizes are computed from the items as the client sends and
//! receives them (attribute names plus values, DynamoDB's size rules). The
//! client cannot see the size of an item an update or delete leaves or
//! removes: those count as one 1 KB write.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_dynamodb::operation::{
    batch_get_item::{BatchGetItemInput, BatchGetItemOutput},
    batch_write_item::BatchWriteItemInput,
    delete_item::DeleteItemInput,
    get_item::{GetItemInput, GetItemOutput},
    put_item::PutItemInput,
    query::{QueryInput, QueryOutput},
    scan::{ScanInput, ScanOutput},
    transact_get_items::{TransactGetItemsInput, TransactGetItemsOutput},
    transact_write_items::TransactWriteItemsInput,
    update_item::UpdateItemInput,
};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextRef, Input, Output,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use pulse_shared::store::Aws;

/// Who called what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallKey {
    pub function: String,
    pub service: String,
    pub operation: String,
}

/// Calls (attempts that reached the service) and DynamoDB capacity units.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub calls: u64,
    pub read_units: f64,
    pub write_units: f64,
}

impl Usage {
    fn add(&mut self, other: Usage) {
        self.calls += other.calls;
        self.read_units += other.read_units;
        self.write_units += other.write_units;
    }
}

#[derive(Debug, Default)]
struct Tally {
    usage: BTreeMap<CallKey, Usage>,
    /// Every call so far (never reset): tells when the stack is quiet.
    total: u64,
}

/// The shared tally of every function's calls.
#[derive(Debug, Clone, Default)]
pub struct Calls(Arc<Mutex<Tally>>);

impl Calls {
    /// The hook that puts a counter on each function's clients.
    pub fn hook(&self) -> crate::ClientHook {
        let calls = self.clone();
        crate::ClientHook(Arc::new(move |function: &str, aws: Aws| {
            counted(aws, Counter { function: function.to_string(), calls: calls.clone() })
        }))
    }

    fn record(&self, key: CallKey, usage: Usage) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        t.total += 1;
        t.usage.entry(key).or_default().add(usage);
    }

    /// The calls since the last `take`.
    pub fn take(&self) -> BTreeMap<CallKey, Usage> {
        std::mem::take(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()).usage)
    }

    fn total(&self) -> u64 {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).total
    }

    /// Waits until no function has made a call for two seconds (the
    /// stream and queue deliveries a request set off have finished), at
    /// most a minute.
    pub async fn settle(&self) {
        let quiet = Duration::from_secs(2);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let mut last = self.total();
        let mut since = tokio::time::Instant::now();
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = self.total();
            if now != last {
                last = now;
                since = tokio::time::Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }
}

/// Sums usage over the keys `pick` keeps.
pub fn sum(usage: &BTreeMap<CallKey, Usage>, pick: impl Fn(&CallKey) -> bool) -> Usage {
    let mut total = Usage::default();
    for (_, u) in usage.iter().filter(|(k, _)| pick(k)) {
        total.add(*u);
    }
    total
}

/// The same clients with the counter added.
fn counted(aws: Aws, counter: Counter) -> Aws {
    Aws {
        dynamodb: aws_sdk_dynamodb::Client::from_conf(aws.dynamodb.config().to_builder().interceptor(counter.clone()).build()),
        s3: aws_sdk_s3::Client::from_conf(aws.s3.config().to_builder().interceptor(counter.clone()).build()),
        sqs: aws_sdk_sqs::Client::from_conf(aws.sqs.config().to_builder().interceptor(counter.clone()).build()),
        ses: aws_sdk_sesv2::Client::from_conf(aws.ses.config().to_builder().interceptor(counter).build()),
        ..aws
    }
}

/// The interceptor: one per function and client.
#[derive(Debug, Clone)]
struct Counter {
    function: String,
    calls: Calls,
}

/// What the request of a DynamoDB call says about its capacity: the write
/// units it consumes, and the read units per 4 KB its answer will cost.
#[derive(Debug, Clone, Copy, Default)]
struct Capacity {
    write_units: f64,
    read_factor: f64,
}

impl Storable for Capacity {
    type Storer = StoreReplace<Self>;
}

impl Intercept for Counter {
    fn name(&self) -> &'static str {
        "pulse-bench call counter"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if cfg.load::<Metadata>().is_some_and(|m| m.service() == "DynamoDB") {
            let capacity = request_capacity(context.input());
            cfg.interceptor_state().store_put(capacity);
        }
        Ok(())
    }

    // Runs once per attempt that reached the service (never for presigned
    // URLs, which are made without a request).
    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(meta) = cfg.load::<Metadata>() else { return Ok(()) };
        let capacity = cfg.load::<Capacity>().copied().unwrap_or_default();
        let read_units = match context.output_or_error() {
            Ok(output) => read_units(output, capacity.read_factor),
            Err(_) => 0.0,
        };
        let key = CallKey { function: self.function.clone(), service: meta.service().to_string(), operation: meta.name().to_string() };
        self.calls.record(key, Usage { calls: 1, read_units, write_units: capacity.write_units });
        Ok(())
    }
}

type Item = HashMap<String, AttributeValue>;

/// An item's size by DynamoDB's rules: attribute names plus values.
fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

fn value_size(v: &AttributeValue) -> usize {
    let number = |n: &str| n.bytes().filter(u8::is_ascii_digit).count().div_ceil(2) + 1;
    match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Ss(v) => v.iter().map(String::len).sum(),
        AttributeValue::Ns(v) => v.iter().map(|n| number(n)).sum(),
        AttributeValue::Bs(v) => v.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::L(l) => 3 + l.iter().map(|x| 1 + value_size(x)).sum::<usize>(),
        AttributeValue::M(m) => 3 + m.iter().map(|(k, x)| 1 + k.len() + value_size(x)).sum::<usize>(),
        _ => 1,
    }
}

fn write_units(size: usize) -> f64 {
    size.div_ceil(1024).max(1) as f64
}

fn read_blocks(size: usize) -> f64 {
    size.div_ceil(4096).max(1) as f64
}

fn request_capacity(input: &Input) -> Capacity {
    let consistent = |c: Option<bool>| if c == Some(true) { 1.0 } else { 0.5 };
    let write = |write_units| Capacity { write_units, read_factor: 0.0 };
    let read = |read_factor| Capacity { write_units: 0.0, read_factor };
    if let Some(i) = input.downcast_ref::<PutItemInput>() {
        write(i.item().map_or(1.0, |it| write_units(item_size(it))))
    } else if input.downcast_ref::<UpdateItemInput>().is_some() || input.downcast_ref::<DeleteItemInput>().is_some() {
        write(1.0)
    } else if let Some(i) = input.downcast_ref::<TransactWriteItemsInput>() {
        write(i.transact_items().iter().map(|t| 2.0 * t.put().map_or(1.0, |p| write_units(item_size(p.item())))).sum())
    } else if let Some(i) = input.downcast_ref::<BatchWriteItemInput>() {
        write(
            i.request_items()
                .into_iter()
                .flat_map(|m| m.values())
                .flatten()
                .map(|w| w.put_request().map_or(1.0, |p| write_units(item_size(p.item()))))
                .sum(),
        )
    } else if let Some(i) = input.downcast_ref::<GetItemInput>() {
        read(consistent(i.consistent_read()))
    } else if let Some(i) = input.downcast_ref::<QueryInput>() {
        read(consistent(i.consistent_read()))
    } else if let Some(i) = input.downcast_ref::<ScanInput>() {
        read(consistent(i.consistent_read()))
    } else if let Some(i) = input.downcast_ref::<BatchGetItemInput>() {
        read(consistent(Some(i.request_items().into_iter().flat_map(|m| m.values()).any(|k| k.consistent_read() == Some(true)))))
    } else if input.downcast_ref::<TransactGetItemsInput>().is_some() {
        read(2.0)
    } else {
        Capacity::default()
    }
}

fn read_units(output: &Output, factor: f64) -> f64 {
    if factor == 0.0 {
        return 0.0;
    }
    let blocks = if let Some(o) = output.downcast_ref::<GetItemOutput>() {
        read_blocks(o.item().map_or(0, item_size))
    } else if let Some(o) = output.downcast_ref::<QueryOutput>() {
        read_blocks(o.items().iter().map(item_size).sum())
    } else if let Some(o) = output.downcast_ref::<ScanOutput>() {
        read_blocks(o.items().iter().map(item_size).sum())
    } else if let Some(o) = output.downcast_ref::<BatchGetItemOutput>() {
        o.responses().into_iter().flat_map(|m| m.values()).flatten().map(|i| read_blocks(item_size(i))).sum()
    } else if let Some(o) = output.downcast_ref::<TransactGetItemsOutput>() {
        o.responses().iter().map(|r| read_blocks(r.item().map_or(0, item_size))).sum()
    } else {
        0.0
    };
    blocks * factor
}
