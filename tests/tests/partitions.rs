//! The emulator's partition model (`infra/emulator.py`, issue #21): per
//! partition key, token buckets of DynamoDB's 1,000 write and 3,000 read
//! units a second divided by a factor, answering as DynamoDB answers a hot
//! partition. Every assertion is on counts and error types, with rates
//! computed from the emulator's own clock (its counters), never from this
//! process's wall clock.

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, PutRequest, TransactWriteItem, WriteRequest};
use pulse_local::emulator::Emulator;
use pulse_shared::store::Aws;
use serde_json::{json, Value};

type Item = std::collections::HashMap<String, AttributeValue>;

/// The adapter on a fresh emulator (kept alive by the returned guard), and
/// a client on it that never retries, so that each throttled call is seen.
async fn emulator() -> (Emulator, Aws, aws_sdk_dynamodb::Client) {
    pulse_tests::init_logs();
    let (emulator, aws) = pulse_local::store_on_emulator().await.unwrap_or_else(|e| panic!("the emulator did not start: {e}"));
    let sdk = pulse_shared::store::emulator_sdk_config(&emulator.url).await;
    let raw =
        aws_sdk_dynamodb::Client::from_conf(aws_sdk_dynamodb::config::Builder::from(&sdk).retry_config(RetryConfig::disabled()).build());
    (emulator, aws, raw)
}

/// Turns the model on at `factor` (every bucket and counter anew).
async fn model_on(emulator: &Emulator, factor: f64) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{}/_pulse/partitions", emulator.url))
        .json(&json!({ "factor": factor }))
        .send()
        .await
        .expect("partitions");
    assert_eq!(r.status(), 200);
    r.json().await.expect("partitions json")
}

/// The model's state and counters.
async fn model_state(emulator: &Emulator) -> Value {
    reqwest::get(format!("{}/_pulse/partitions", emulator.url)).await.expect("partitions").json().await.expect("partitions json")
}

/// One partition's counters (all zero when it was never touched).
fn counters(state: &Value, table: &str, key: &str) -> Value {
    state["partitions"]
        .as_array()
        .expect("partitions")
        .iter()
        .find(|p| p["table"] == table && p["key"] == key)
        .cloned()
        .unwrap_or_else(|| json!({ "writes": 0, "write_units": 0.0, "throttled_writes": 0 }))
}

fn item(pk: &str, sk: &str, bytes: usize) -> Item {
    Item::from([
        ("pk".to_string(), AttributeValue::S(pk.into())),
        ("sk".to_string(), AttributeValue::S(sk.into())),
        ("v".to_string(), AttributeValue::S("x".repeat(bytes))),
    ])
}

async fn put(client: &aws_sdk_dynamodb::Client, table: &str, item: Item) -> Result<(), PutItemError> {
    client.put_item().table_name(table).set_item(Some(item)).send().await.map(|_| ()).map_err(|e| e.into_service_error())
}

/// How many items a partition holds (read through the retrying client).
async fn stored(aws: &Aws, table: &str, pk: &str) -> i32 {
    let out = aws
        .dynamodb
        .query()
        .table_name(table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(pk.into()))
        .select(aws_sdk_dynamodb::types::Select::Count)
        .consistent_read(true)
        .send()
        .await
        .expect("query");
    out.count()
}

/// `PutItem`s from 16 tasks at once, `n` in all, on one partition key.
async fn hammer(raw: &aws_sdk_dynamodb::Client, table: &str, pk: &str, n: usize) -> Vec<Result<(), PutItemError>> {
    let mut tasks = Vec::new();
    for t in 0..16 {
        let (raw, table, pk) = (raw.clone(), table.to_string(), pk.to_string());
        tasks.push(tokio::spawn(async move {
            let mut results = Vec::new();
            for i in (t..n).step_by(16) {
                results.push(put(&raw, &table, item(&pk, &format!("{i:05}"), 200)).await);
            }
            results
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hot_partition_is_held_to_its_bucket_and_answered_with_throttling_exception() {
    let (emulator, aws, raw) = emulator().await;
    let table = aws.config.core_table.clone();
    let on = model_on(&emulator, 20.0).await;
    assert_eq!(on["write_units_per_second"], 50.0, "{on}");
    let rate = 50.0;

    let results = hammer(&raw, &table, "HOT", 640).await;
    let accepted = results.iter().filter(|r| r.is_ok()).count();
    let refused: Vec<&PutItemError> = results.iter().filter_map(|r| r.as_ref().err()).collect();

    // every refusal is an on-demand table's answer to a hot partition
    for e in &refused {
        assert_eq!(e.code(), Some("ThrottlingException"), "{e:?}");
        let PutItemError::ThrottlingException(t) = e else { panic!("not a ThrottlingException: {e:?}") };
        let reasons: Vec<_> = t.throttling_reasons().iter().filter_map(|r| r.reason()).collect();
        assert_eq!(reasons, ["TableWriteKeyRangeThroughputExceeded"], "{e:?}");
    }
    assert!(!refused.is_empty(), "640 writes to one key at once were never throttled at {rate} WCU/s");

    // the emulator counted exactly what it answered, and a refused write
    // stored nothing
    let state = model_state(&emulator).await;
    let hot = counters(&state, &table, "HOT");
    assert_eq!(hot["writes"], accepted, "{hot}");
    assert_eq!(hot["throttled_writes"], refused.len(), "{hot}");
    assert_eq!(hot["write_units"], accepted as f64, "items under 1 KB cost one unit each: {hot}");
    assert_eq!(stored(&aws, &table, "HOT").await as usize, accepted);

    // the accepted units never exceed one second's bucket plus the refill
    // over the emulator time between the first and the last accepted write
    let span = hot["last_at"].as_f64().expect("last_at") - hot["first_at"].as_f64().expect("first_at");
    let units = hot["write_units"].as_f64().expect("units");
    eprintln!("{accepted} of 640 writes accepted, {} throttled, {units} units in {span:.3} s of emulator time", refused.len());
    assert!(units <= rate + rate * span + 1e-6, "{units} units in {span:.3} s of emulator time at {rate}/s: {hot}");

    // other keys are untouched by the hot one
    put(&raw, &table, item("COLD", "1", 200)).await.expect("a cold key takes a write");
}

#[tokio::test]
async fn transactions_are_charged_twice_and_cancelled_item_by_item_when_a_partition_is_out() {
    let (emulator, aws, raw) = emulator().await;
    let table = aws.config.core_table.clone();
    // 0.1 write units a second: once a partition has written, it stays
    // empty for ten seconds of emulator time, whatever this machine's speed
    model_on(&emulator, 10_000.0).await;

    put(&raw, &table, item("PLAIN", "1", 200)).await.expect("the first write on a fresh partition");
    let put_item = |pk: &str| {
        TransactWriteItem::builder().put(Put::builder().table_name(&table).set_item(Some(item(pk, "1", 200))).build().expect("put")).build()
    };
    let check = TransactWriteItem::builder()
        .condition_check(
            ConditionCheck::builder()
                .table_name(&table)
                .key("pk", AttributeValue::S("CHECKED".into()))
                .key("sk", AttributeValue::S("1".into()))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .expect("check"),
        )
        .build();
    raw.transact_write_items().transact_items(put_item("TX")).transact_items(check).send().await.expect("the transaction");

    let state = model_state(&emulator).await;
    assert_eq!(counters(&state, &table, "PLAIN")["write_units"], 1.0, "a plain write of under 1 KB: one unit");
    assert_eq!(counters(&state, &table, "TX")["write_units"], 2.0, "the same write in a transaction: two");
    assert_eq!(counters(&state, &table, "CHECKED")["write_units"], 2.0, "a condition check costs a transactional write");

    // PLAIN's partition is out: a transaction touching it is cancelled,
    // with ThrottlingError for that item and None for the other
    let e = raw
        .transact_write_items()
        .transact_items(put_item("FRESH"))
        .transact_items(put_item("PLAIN"))
        .send()
        .await
        .expect_err("PLAIN's partition has no capacity")
        .into_service_error();
    let TransactWriteItemsError::TransactionCanceledException(c) = &e else { panic!("not cancelled: {e:?}") };
    let codes: Vec<_> = c.cancellation_reasons().iter().map(|r| r.code().unwrap_or_default()).collect();
    assert_eq!(codes, ["None", "ThrottlingError"]);
    assert_eq!(stored(&aws, &table, "FRESH").await, 0, "a cancelled transaction applies nothing");
    let state = model_state(&emulator).await;
    assert_eq!(counters(&state, &table, "FRESH")["write_units"], 0.0, "nor is it charged");
    assert_eq!(counters(&state, &table, "PLAIN")["throttled_writes"], 1);

    // and a single write to it is throttled too
    let e = put(&raw, &table, item("PLAIN", "2", 200)).await.expect_err("still out of capacity");
    assert!(e.is_throttling_exception(), "{e:?}");
}

#[tokio::test]
async fn batch_writes_get_unprocessed_items_and_pulses_batch_writer_finishes_them_once() {
    let (emulator, aws, raw) = emulator().await;
    let table = aws.config.contacts_table.clone();
    model_on(&emulator, 20.0).await;
    let batch = |pk: &str, from: usize| -> Vec<WriteRequest> {
        (from..from + 25)
            .map(|i| {
                // about 3 KB: three write units an item, 75 a batch against a
                // bucket of 50
                let put = PutRequest::builder().set_item(Some(item(pk, &format!("{i:03}"), 3_000))).build().expect("put");
                WriteRequest::builder().put_request(put).build()
            })
            .collect()
    };

    // DynamoDB's answer: the items beyond the partition's capacity come
    // back unprocessed, and the call succeeds
    let out = raw.batch_write_item().request_items(&table, batch("RAW", 0)).send().await.expect("not an error");
    let unprocessed = out.unprocessed_items().and_then(|u| u.get(&table)).map_or(0, Vec::len);
    assert!(unprocessed > 0, "75 write units against a bucket of 50 all went through");
    assert_eq!(stored(&aws, &table, "RAW").await as usize, 25 - unprocessed);

    // Pulse's batch writer tries the rest again until every item is in,
    // each written exactly once
    aws.batch_write(&table, batch("PULSE", 0)).await.expect("the first batch");
    aws.batch_write(&table, batch("PULSE", 25)).await.expect("the second batch");
    assert_eq!(stored(&aws, &table, "PULSE").await, 50);
    let pulse = counters(&model_state(&emulator).await, &table, "PULSE");
    assert_eq!(pulse["writes"], 50, "each item written once: {pulse}");
    assert!(pulse["throttled_writes"].as_u64().expect("throttled") > 0, "nothing was left unprocessed: {pulse}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_partition_model_is_off_by_default() {
    let (emulator, aws, raw) = emulator().await;
    let table = aws.config.core_table.clone();
    assert_eq!(model_state(&emulator).await["enabled"], false);

    let results = hammer(&raw, &table, "HOT", 640).await;
    let refused: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(refused.is_empty(), "{} of 640 writes refused with the model off: {:?}", refused.len(), refused.first());
    assert_eq!(stored(&aws, &table, "HOT").await, 640);
}

#[tokio::test]
async fn a_window_raised_for_a_crowd_is_counted_over_several_partitions_and_a_usual_one_on_one() {
    use pulse_shared::ports::Guard;
    let (emulator, aws, _raw) = emulator().await;
    model_on(&emulator, 1.0).await;
    let now = 1_800_000_000_000u64;
    for _ in 0..200 {
        let windows = [("link:crowd".to_string(), 300_000u64), ("addr:one".to_string(), 1_000)];
        assert_eq!(aws.admit(&windows, now).await.expect("admit"), None, "far below both limits");
    }
    let state = model_state(&emulator).await;
    let keys = |prefix: &str| -> Vec<(String, u64)> {
        state["partitions"]
            .as_array()
            .expect("partitions")
            .iter()
            .filter(|p| p["table"] == aws.config.core_table.as_str() && p["key"].as_str().is_some_and(|k| k.starts_with(prefix)))
            .map(|p| (p["key"].as_str().unwrap_or("").to_string(), p["writes"].as_u64().unwrap_or(0)))
            .collect()
    };
    let crowd = keys("RATE#link:crowd");
    assert_eq!(crowd.len(), 10, "300,000 a minute: ten partitions, each written: {crowd:?}");
    assert_eq!(crowd.iter().map(|(_, w)| w).sum::<u64>(), 200, "each request counted once: {crowd:?}");
    assert_eq!(keys("RATE#addr:one"), [("RATE#addr:one".to_string(), 200)], "1,000 a minute: one exact counter");
}

#[tokio::test]
async fn past_the_budgets_edge_a_crowd_of_page_views_reads_the_account_once_a_moment_and_a_new_month_shows_the_form_at_once() {
    use pulse_shared::domain::budget::{billing_month, month_bounds, Account, Usage};
    use pulse_shared::ports::Budgets;
    let (emulator, aws, _raw) = emulator().await;
    // the model at DynamoDB's own limits: nothing throttled, every read counted
    model_on(&emulator, 1.0).await;
    let now = pulse_shared::clock::parse_ms("2026-12-15T12:00:00Z").expect("a time");
    let month = billing_month(now, "Europe/Helsinki");
    let (_, next_month) = month_bounds(&month, "Europe/Helsinki").expect("bounds");
    let account = Account {
        id: "crowded".into(),
        name: "Kahvila Oy".into(),
        plan: "starter".into(),
        monthly_budget: 3,
        lifetime_cap: None,
        invitation_reserve: 0,
        link_budget: None,
        time_zone: "Europe/Helsinki".into(),
        created_at: "2026-12-01T00:00:00Z".into(),
        updated_at: "2026-12-01T00:00:00Z".into(),
        usage: Usage { month: month.clone(), used: 3, lifetime_used: 3, link_used: 3, ..Usage::default() },
    };
    aws.create_account(&account).await.expect("account");
    let reads = |state: &Value| counters(state, &aws.config.core_table, "ACCOUNT#crowded")["reads"].as_u64().unwrap_or(0);
    let before = reads(&model_state(&emulator).await);

    for view in 0..40u64 {
        assert!(!aws.links_have_room("crowded", now + view).await.expect("room"), "view {view}: the links' share is used up");
    }
    let after_views = reads(&model_state(&emulator).await) - before;
    assert!(after_views <= 5, "40 views in a moment read the account {after_views} times; a used-up is kept for a moment");
    assert!(after_views >= 1, "the first view reads the account");

    // the month's last millisecond: still used up, from what was kept
    assert!(!aws.links_have_room("crowded", next_month - 1).await.expect("room"));
    // the new month's first: the form, at once, even though a used-up was kept a moment ago
    assert!(aws.links_have_room("crowded", next_month).await.expect("room"), "a new month shows the form at once");
    assert!(reads(&model_state(&emulator).await) - before > after_views, "the new month read the account again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn submissions_to_a_hot_project_are_stored_exactly_once_or_handed_back_to_be_sent_again() {
    let t = pulse_tests::TestStack::start().await;
    let (id, anon, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"] } }))
        .await;
    let answers = pulse_tests::complete_answers(&survey);
    // 5 write units a second per partition: the project's day bucket takes
    // a couple of submissions a second, far fewer than are sent at once
    let http = reqwest::Client::new();
    let on = http.post(format!("{}/_pulse/partitions", t.stack.emulator_url)).json(&json!({ "factor": 200 })).send().await.expect("on");
    assert_eq!(on.status(), 200);

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (http, url, answers) = (http.clone(), t.url(&anon), answers.clone());
        tasks.spawn(async move {
            let mut statuses = Vec::new();
            let mut busy = Vec::new();
            for _ in 0..3 {
                // the page view reads the project's partition too, and
                // may be throttled as well
                let page = http.get(&url).send().await.expect("page view");
                let status = page.status().as_u16();
                let page = page.text().await.expect("page");
                let Some(token) = pulse_tests::hidden_value(&page, "ft") else {
                    assert!(status >= 500, "a page view without a form is a throttled one: {status}");
                    continue;
                };
                let mut form = answers.clone();
                form.push(("ft".into(), token));
                let r = http
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(pulse_tests::form_body(&form))
                    .send()
                    .await
                    .expect("submit");
                let status = r.status().as_u16();
                statuses.push(status);
                if status == 503 {
                    // told when to come back, with the answers and the same form token
                    let wait: u64 = r.headers()["retry-after"].to_str().expect("retry-after").parse().expect("seconds");
                    assert!((5..=10).contains(&wait), "{wait}");
                    let page = r.text().await.expect("busy page");
                    assert!(page.contains("Many answers are arriving at this moment"), "{page}");
                    // the form handed back (the transaction was throttled)
                    // carries its own token; a step before it throttled
                    // says so on a page of its own
                    if let Some(token) = pulse_tests::hidden_value(&page, "ft") {
                        assert_eq!(Some(token.as_str()), form.last().map(|(_, t)| t.as_str()));
                    }
                    busy.push(form);
                }
            }
            (statuses, busy)
        });
    }
    let (mut statuses, mut busy) = (Vec::new(), Vec::new());
    while let Some(s) = tasks.join_next().await {
        let (st, b) = s.expect("task");
        statuses.extend(st);
        busy.extend(b);
    }
    let state = model_state_at(&t.stack.emulator_url).await;
    let off = http.delete(format!("{}/_pulse/partitions", t.stack.emulator_url)).send().await.expect("off");
    assert_eq!(off.status(), 200);

    let accepted = statuses.iter().filter(|s| **s == 200).count();
    eprintln!("{accepted} of {} submissions accepted, {} writes throttled: {statuses:?}", statuses.len(), state["throttled_writes"]);
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "a throttled submission is never refused as the respondent's fault, nor an error: {statuses:?}"
    );
    assert!(!busy.is_empty(), "some submissions found the partitions busy: {statuses:?}");
    assert!(state["throttled_writes"].as_u64().expect("throttled") > 0, "the project's partitions were never out of capacity: {state}");
    assert!(accepted > 0, "{statuses:?}");
    // whatever was accepted is stored once with its counters; whatever was
    // refused left nothing behind
    assert_eq!(t.responses(&id).await["count"], accepted, "{statuses:?}");
    let stats = t
        .stack
        .aws
        .dynamodb
        .get_item()
        .table_name(&t.config("submit-response").core_table)
        .key("pk", AttributeValue::S(format!("PROJECT#{id}")))
        .key("sk", AttributeValue::S("STATS".into()))
        .consistent_read(true)
        .send()
        .await
        .expect("stats")
        .item
        .expect("the counters item");
    assert_eq!(stats["responses"].as_n().expect("responses"), &accepted.to_string(), "{statuses:?}");
    // each form handed back, sent again (twice, as an impatient respondent
    // might), is stored once
    for form in busy.iter().chain(busy.iter()) {
        let r = http
            .post(t.url(&anon))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(pulse_tests::form_body(form))
            .send()
            .await
            .expect("sent again");
        assert_eq!(r.status(), 200);
    }
    assert_eq!(t.responses(&id).await["count"], accepted + busy.len());
}

async fn model_state_at(url: &str) -> Value {
    reqwest::get(format!("{url}/_pulse/partitions")).await.expect("partitions").json().await.expect("partitions json")
}
