//! `partition [factor] [submissions] [respondents] [shards]`: the ceiling of one
//! project under DynamoDB's per-partition limits (issue #21). Every
//! submission's transaction updates the same few items (the project's
//! counters, the day's report bucket and its segment buckets, the
//! account's budget item) and puts its response under the project's
//! partition key in the responses table, so one busy project meets
//! DynamoDB's 1,000 write units a second per partition key whatever the
//! table's on-demand capacity.
//!
//! The scenario runs twice on one stack, each time with a fresh account (a
//! large monthly budget) and a fresh budgeted assessment project with
//! `submissions` personal links minted first: once with the emulator's
//! partition model off (the baseline: what moto and this machine manage),
//! then with it on at `factor` (1,000/factor WCU and 3,000/factor RCU a
//! second per partition key, see `infra/emulator.py`). `respondents`
//! concurrent respondents each open a link's page and post its answers,
//! as browsers do, until every link has been used. Printed: the accepted
//! submissions (2xx) per second, what was refused and how, the model's
//! throttle counts (requests and batch items it refused, before Pulse's
//! and the SDK's retries), the busiest partitions' units a second in
//! emulator time, and all of it scaled back to DynamoDB's real limits
//! (× factor): the rate one project can take. Exactly once is checked:
//! responses stored = the project's counter = the budget used = accepted.
//! A fourth run repeats the spread one on an account whose budget is three
//! quarters of the submissions: exactly the budget is accepted and charged
//! (through the budget leases), the rest refused as over budget.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_sdk_dynamodb::types::AttributeValue;
use pulse_shared::domain::survey::Definition;
use reqwest::Method;
use serde_json::{json, Value};

use super::stack::{self, Bench, Project};
use super::survey;

/// The benchmark's defaults.
pub const FACTOR: f64 = 20.0;
pub const SUBMISSIONS: usize = 300;
pub const RESPONDENTS: usize = 16;
pub const SHARDS: u32 = 16;

pub fn partition(factor: f64, submissions: usize, respondents: usize, shards: u32) {
    println!(
        "\none project under DynamoDB's partition limits: {submissions} submissions through personal links by {respondents} \
         concurrent respondents (page view + POST), partition model off, then on at 1/{factor} unsharded, then with \
         settings.write_shards = {shards}:"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Err(e) = runtime.block_on(run(factor, submissions, respondents, shards)) {
        eprintln!("the partition benchmark failed: {e}");
        std::process::exit(1);
    }
}

/// What one run of the scenario gave.
struct Outcome {
    accepted: usize,
    /// Refused submissions by status (and page views that failed).
    refused: BTreeMap<String, usize>,
    secs: f64,
    /// The partition model's state at the end (null when off).
    model: Value,
    stored: i64,
    counted: i64,
    used: i64,
}

async fn run(factor: f64, submissions: usize, respondents: usize, shards: u32) -> Result<(), String> {
    let bench = Bench::start(stack::options()).await?;
    bench.admin(Method::POST, "/admin/plans", Some(&json!({ "name": "Bench", "monthly_budget": 10_000_000 }))).await?;
    let off = scenario(&bench, None, submissions, respondents, 1, "Bench").await?;
    report("model off (baseline: moto on this machine)", &off, None);
    let on = scenario(&bench, Some(factor), submissions, respondents, 1, "Bench").await?;
    report(&format!("model on at 1/{factor}, one write shard"), &on, Some(factor));
    let spread = scenario(&bench, Some(factor), submissions, respondents, shards, "Bench").await?;
    report(&format!("model on at 1/{factor}, {shards} write shards"), &spread, Some(factor));
    // the same spread project on an account whose budget runs out during
    // the run: the charges go through the budget leases to the last unit
    let budget = submissions * 3 / 4;
    bench.admin(Method::POST, "/admin/plans", Some(&json!({ "name": "Edge", "monthly_budget": budget }))).await?;
    let edge = scenario(&bench, Some(factor), submissions, respondents, shards, "Edge").await?;
    report(&format!("model on at 1/{factor}, {shards} write shards, a budget of {budget}"), &edge, Some(factor));
    // over budget, a page view already says so (403), and so does a POST
    let over: usize = edge.refused.iter().filter(|(k, _)| k.ends_with(" 403")).map(|(_, v)| v).sum();
    println!(
        "  => the budget at its edge: {} ({} accepted and {} charged of a budget of {budget}; {over} refused as over budget, {} otherwise)",
        if edge.accepted == budget && edge.used == budget as i64 { "exact" } else { "NOT EXACT" },
        edge.accepted,
        edge.used,
        edge.refused.values().sum::<usize>() - over
    );
    let rate = |o: &Outcome| o.accepted as f64 / o.secs;
    let (off_rate, on_rate, spread_rate) = (rate(&off), rate(&on), rate(&spread));
    for (what, r) in [("one write shard", on_rate), (&format!("{shards} write shards") as &str, spread_rate)] {
        println!(
            "  => {what}: one project's ceiling at DynamoDB's limits about {:.0} accepted submissions a second ({r:.1}/s × {factor}); \
             {:.2} of the baseline's {off_rate:.1}/s{}",
            r * factor,
            r / off_rate,
            if r > 0.8 * off_rate {
                " (close to it: the machine, not the partitions, bounded this run; take a larger factor)"
            } else {
                " (the partitions bound it, not the machine)"
            }
        );
    }
    println!("  => {shards} write shards take {:.2} times what one takes", spread_rate / on_rate);
    bench.stop().await;
    Ok(())
}

fn report(title: &str, o: &Outcome, factor: Option<f64>) {
    let rate = o.accepted as f64 / o.secs;
    let refused: Vec<String> = o.refused.iter().map(|(k, v)| format!("{v} × {k}")).collect();
    println!(
        "  {title}: {} accepted in {:.1} s = {rate:.1} submissions/s{}; refused: {}",
        o.accepted,
        o.secs,
        factor.map(|f| format!(" (× {f} = {:.0}/s at DynamoDB's limits)", rate * f)).unwrap_or_default(),
        if refused.is_empty() { "none".to_string() } else { refused.join(", ") }
    );
    let once = o.stored == o.accepted as i64 && o.counted == o.stored && o.used == o.stored;
    println!(
        "    exactly once: {} (responses stored {}, the project's counter {}, the budget used {}, accepted {})",
        if once { "yes" } else { "NO" },
        o.stored,
        o.counted,
        o.used,
        o.accepted
    );
    if let Some(factor) = factor {
        partitions(&o.model, factor);
    }
}

/// The partition model's throttle counts and its five busiest partitions,
/// scaled back by `factor` to DynamoDB's limits.
pub(super) fn partitions(model: &Value, factor: f64) {
    let Some(partitions) = model["partitions"].as_array() else { return };
    println!(
        "    throttled by the model: {} writes and {} reads (requests or batch items refused, each retry counted again)",
        model["throttled_writes"], model["throttled_reads"]
    );
    let mut busiest: Vec<&Value> = partitions.iter().collect();
    busiest.sort_by(|a, b| b["write_units"].as_f64().unwrap_or(0.0).total_cmp(&a["write_units"].as_f64().unwrap_or(0.0)));
    println!(
        "    busiest partitions, then those most refused reads (units a second over each one's span of emulator time; × {factor} at DynamoDB's limits):"
    );
    // and those whose reads were refused most, when they are not among them
    let mut refused: Vec<&Value> = partitions.iter().filter(|p| p["throttled_reads"].as_u64().unwrap_or(0) > 0).collect();
    refused.sort_by_key(|p| std::cmp::Reverse(p["throttled_reads"].as_u64().unwrap_or(0)));
    let shown: Vec<&Value> = busiest.iter().take(5).copied().collect();
    let extra = refused.into_iter().filter(|p| !shown.iter().any(|s| std::ptr::eq(*s, *p))).take(3);
    for p in shown.iter().copied().chain(extra) {
        let span = p["last_at"].as_f64().unwrap_or(0.0) - p["first_at"].as_f64().unwrap_or(0.0);
        let per = |units: &Value| if span > 0.0 { units.as_f64().unwrap_or(0.0) / span } else { 0.0 };
        let table = p["table"].as_str().unwrap_or("").rsplit('-').next().unwrap_or("");
        println!(
            "      {table:<15} {:<40} {:>6} writes of {:>4.1} WCU {:>7.1} WCU/s (× {factor} = {:>6.0}), {:>5} throttled; {:>5} reads {:>6.1} RCU/s, {:>4} throttled",
            p["key"].as_str().unwrap_or(""),
            p["writes"],
            p["write_units"].as_f64().unwrap_or(0.0) / p["writes"].as_f64().unwrap_or(1.0).max(1.0),
            per(&p["write_units"]),
            per(&p["write_units"]) * factor,
            p["throttled_writes"],
            p["reads"],
            per(&p["read_units"]),
            p["throttled_reads"],
        );
    }
}

/// Turns the emulator's partition model on at `factor` (its counters
/// reset), or off.
pub(super) async fn model(bench: &Bench, factor: Option<f64>) -> Result<Value, String> {
    let url = format!("{}/_pulse/partitions", bench.stack.emulator_url);
    let request = match factor {
        Some(f) => bench.http.post(url).json(&json!({ "factor": f })),
        None => bench.http.delete(url),
    };
    request.send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())
}

pub(super) async fn model_state(bench: &Bench) -> Result<Value, String> {
    let url = format!("{}/_pulse/partitions", bench.stack.emulator_url);
    bench.http.get(url).send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())
}

async fn scenario(bench: &Bench, factor: Option<f64>, n: usize, respondents: usize, shards: u32, plan: &str) -> Result<Outcome, String> {
    // set up with the model off, so that only the submissions meet it
    model(bench, None).await?;
    let mut settings = survey::settings();
    settings["write_shards"] = shards.into();
    let (account_id, project) = budgeted_project(bench, plan, settings).await?;
    let def: Definition = serde_json::from_value(project.survey.clone()).map_err(|e| e.to_string())?;
    let mut work = Vec::with_capacity(n);
    for i in 0..n {
        let fields: BTreeMap<&str, String> = [
            (survey::OPERATIONAL_FIELDS[0], ["North", "South", "East", "West"][i % 4].to_string()),
            (survey::OPERATIONAL_FIELDS[1], format!("Unit {}", i % 3)),
        ]
        .into_iter()
        .collect();
        let link = bench
            .admin(
                Method::POST,
                &format!("/admin/projects/{}/links", project.id),
                Some(&json!({ "email": format!("respondent.{i}@example.com"), "first_name": "Res", "last_name": format!("Pondent {i}"), "fields": fields })),
            )
            .await?;
        let path = link["url"].as_str().and_then(|u| u.strip_prefix(&bench.stack.base_url)).ok_or("no link url")?.to_string();
        work.push((path, survey::answers(&def, i)));
    }
    if let Some(f) = factor {
        model(bench, Some(f)).await?;
    }
    let work = Arc::new(work);
    let next = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..respondents {
        let (work, next, accepted, refused) = (work.clone(), next.clone(), accepted.clone(), refused.clone());
        let (http, base) = (bench.http.clone(), bench.stack.base_url.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((path, form)) = work.get(i) else { break };
                let outcome = match stack::visit(&http, &format!("{base}{path}"), form).await {
                    Err(e) => Err(e),
                    Ok(stack::Visit { post: Some(post), .. }) if (200..300).contains(&post.status) => Ok(()),
                    Ok(stack::Visit { post: Some(post), .. }) => Err(format!("POST {}", post.status)),
                    Ok(visit) => Err(format!("page view {}", visit.view.status)),
                };
                match outcome {
                    Ok(()) => {
                        accepted.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(why) => *refused.lock().expect("refusals").entry(why).or_default() += 1,
                }
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())?;
    }
    let secs = wall.elapsed().as_secs_f64();
    let state = if factor.is_some() { model_state(bench).await? } else { Value::Null };
    model(bench, None).await?;
    // let the stream's consumer (notify-thresholds) finish before counting
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let config = &bench.stack.configs["submit-response"];
    let (mut stored, mut counted) = (0, 0);
    for shard in 0..shards {
        let responses = pulse_shared::domain::shard::key(&format!("PROJECT#{}", project.id), shard);
        let stats =
            if shard == 0 { responses.clone() } else { pulse_shared::domain::shard::key(&format!("AGG#{}#STATS", project.id), shard) };
        stored += count(bench, &config.responses_table, &responses).await?;
        counted += number(bench, &config.core_table, &stats, "STATS", "responses").await?;
    }
    // what was charged (the budget view: what budget leases hold unspent
    // is not used)
    let budget = bench.admin(Method::GET, &format!("/admin/accounts/{account_id}/budget"), None).await?;
    let used = budget["used"].as_i64().ok_or("no budget used")?;
    let refused = refused.lock().expect("refusals").clone();
    Ok(Outcome { accepted: accepted.load(Ordering::SeqCst), refused, secs, model: state, stored, counted, used })
}

/// A new account on `plan` and a published assessment project with
/// `settings`, budgeted on it: the account's id and the project.
pub(super) async fn budgeted_project(bench: &Bench, plan: &str, mut settings: Value) -> Result<(String, Project), String> {
    let account = bench
        .admin(Method::POST, "/admin/accounts", Some(&json!({ "name": "Bench Account", "plan": plan, "time_zone": "Europe/Helsinki" })))
        .await?;
    let account_id = account["id"].as_str().ok_or("no account id")?.to_string();
    settings["account_id"] = account_id.clone().into();
    Ok((account_id, bench.open_project("assessment", settings).await?))
}

/// How many items a partition holds.
async fn count(bench: &Bench, table: &str, pk: &str) -> Result<i64, String> {
    pulse_local::count_partition(&bench.stack.aws.dynamodb, table, pk).await
}

/// A number attribute of one item (0 when absent).
async fn number(bench: &Bench, table: &str, pk: &str, sk: &str, attribute: &str) -> Result<i64, String> {
    let out = bench
        .stack
        .aws
        .dynamodb
        .get_item()
        .table_name(table)
        .key("pk", AttributeValue::S(pk.into()))
        .key("sk", AttributeValue::S(sk.into()))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| pulse_shared::error::chain(&e))?;
    Ok(out.item.and_then(|i| i.get(attribute).and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok())).unwrap_or(0))
}
