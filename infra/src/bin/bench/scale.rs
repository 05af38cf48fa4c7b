//! `scale [factor] [seconds] [multiple]`: one project offered `multiple`
//! times its unsharded ceiling (20 by default) under the emulator's
//! partition model at 1/factor (20 by default), for `seconds` (60 by
//! default), unsharded and then spread over write shards (issue #21).
//!
//! Respondents arrive open-loop at a fixed rate, each a browser on the
//! project's anonymous link: the page view (which gives the form its token),
//! then the POST of complete answers. The count is bounded (rate ×
//! seconds); an arrival due while [`IN_FLIGHT`] visits are unanswered is
//! not sent and is counted as not offered: that is this machine's bound, not
//! the product's, and the figures say what was offered.
//!
//! **The unsharded ceiling is computed from the model**, not measured by
//! the unsharded run: the offered rate has to be fixed before that run
//! starts, and both runs are offered the same. It is DynamoDB's 1,000 WCU
//! (3,000 RCU) a second per partition ÷ `factor`, divided by the units one
//! submission takes on its busiest partition, which this run measures first
//! (20 submissions one after another with the model on at DynamoDB's own
//! limits, after 20 that grow the day's report items to their size). The
//! unsharded run's accepted rate is printed beside it.
//!
//! Three runs, each on a fresh account and project:
//! 1. **baseline**: the model at 1/1, which this machine cannot reach
//!    (nothing is throttled: what the machine and moto take), a large
//!    budget, one write shard;
//! 2. **unsharded** and 3. **spread** (`write_shards` the next power of two
//!    at or above the multiple, at most 32): the model at 1/factor, an
//!    account whose budget is half of what the slower of the ceiling and
//!    the baseline would accept in `seconds` (so it runs out inside both
//!    runs), and a notification rule `every budget/4` (four threshold
//!    emails, the last at the budget's edge).
//!
//! Printed per run: offered/s, accepted/s (up to the last accepted answer:
//! the budget's edge), refused by kind (all with a page), the model's
//! throttles (retried inside the stack but for the last of each 503), p50
//! and p99 of the accepted POSTs, and the exactness checks: every visit
//! answered with a page; the responses the API lists are exactly the
//! accepted submissions (by id: the form token carries the submission id);
//! the project's counter and the report's totals and NPS groups equal them;
//! the budget charged equals the accepted and, with a budget, the budget
//! (accepted = what remained at the start); each threshold emailed once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use pulse_shared::domain::metrics::{nps_group, NpsGroup};
use pulse_shared::domain::survey::{ids, Definition};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::time::Instant;

use super::partition::{budgeted_project, model, model_state, partitions};
use super::stack::{self, Bench, Visit};
use super::survey;

/// The benchmark's defaults.
pub const FACTOR: f64 = 20.0;
pub const SECONDS: f64 = 60.0;
pub const MULTIPLE: f64 = 20.0;
/// The most visits in flight at once (see the module's documentation).
const IN_FLIGHT: usize = 64;
/// DynamoDB's limits per partition key, a second.
const WCU: f64 = 1_000.0;
const RCU: f64 = 3_000.0;
/// Submissions that grow the day's report items, then submissions measured.
const WARM: usize = 20;

pub fn scale(factor: f64, seconds: f64, multiple: f64) {
    println!(
        "\none project at {multiple} times its unsharded ceiling: anonymous submissions (page view + POST) offered open-loop for \
         {seconds} s under the partition model at 1/{factor}, a baseline, then unsharded, then spread over write shards:"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Err(e) = runtime.block_on(run(factor, seconds, multiple)) {
        eprintln!("the scale benchmark failed: {e}");
        std::process::exit(1);
    }
}

/// How one run is set up.
struct Setup {
    title: String,
    /// The model's factor during the run.
    factor: f64,
    shards: u32,
    /// The plan of the run's account.
    plan: &'static str,
    /// The account's monthly budget, when it is meant to run out.
    budget: Option<u64>,
    rate: f64,
    seconds: f64,
}

/// What one run gave.
struct Outcome {
    /// Arrivals due, and sent (the rest found IN_FLIGHT visits unanswered).
    due: usize,
    sent: usize,
    /// Seconds from the first arrival to the last one sent.
    sending: f64,
    /// Seconds from the first arrival to the last accepted answer.
    accepting: f64,
    /// The accepted visits: arrival, submission id, POST round trip.
    accepted: Vec<(usize, String, f64)>,
    /// Refused visits by kind, all answered with a page.
    refused: BTreeMap<String, usize>,
    /// Visits not answered with a page (transport errors, bare statuses).
    unanswered: BTreeMap<String, usize>,
    model: Value,
}

impl Outcome {
    fn rate(&self) -> f64 {
        self.accepted.len() as f64 / self.accepting.max(1e-9)
    }
}

async fn run(factor: f64, seconds: f64, multiple: f64) -> Result<(), String> {
    let bench = Bench::start(stack::options()).await?;
    bench.admin(Method::POST, "/admin/plans", Some(&json!({ "name": "Large", "monthly_budget": 10_000_000 }))).await?;

    // the units one submission takes on its busiest partition, on a warm stack
    model(&bench, None).await?;
    let (_, warm) = budgeted_project(&bench, "Large", survey::settings()).await?;
    let def: Definition = serde_json::from_value(warm.survey.clone()).map_err(|e| e.to_string())?;
    let url = format!("{}{}", bench.stack.base_url, warm.anonymous_path);
    for i in 0..2 * WARM {
        if i == WARM {
            model(&bench, Some(1.0)).await?;
        }
        let form = survey::answers(&def, i);
        match stack::visit(&bench.http, &url, &form).await? {
            Visit { post: Some(p), .. } if p.status == 200 => {}
            _ => return Err(format!("warm-up submission {i} was not accepted")),
        }
    }
    let units = model_state(&bench).await?;
    let busiest = |what: &str| {
        let key = units["partitions"]
            .as_array()
            .into_iter()
            .flatten()
            .max_by(|a, b| a[what].as_f64().unwrap_or(0.0).total_cmp(&b[what].as_f64().unwrap_or(0.0)));
        // "CoreTable PROJECT#…": the table's logical name (the last part of its name) and the key
        let name = |p: &Value| {
            format!("{} {}", p["table"].as_str().unwrap_or("").rsplit('-').next().unwrap_or(""), p["key"].as_str().unwrap_or(""))
        };
        key.map(|p| (name(p), p[what].as_f64().unwrap_or(0.0) / WARM as f64)).unwrap_or_default()
    };
    let (write_key, write_units) = busiest("write_units");
    let (read_key, read_units) = busiest("read_units");
    let ceiling = (WCU / factor / write_units.max(1e-9)).min(RCU / factor / read_units.max(1e-9));
    let rate = ceiling * multiple;
    let shards = (multiple.ceil() as u32).next_power_of_two().clamp(2, 32);
    println!(
        "  the unsharded ceiling, from the model: {ceiling:.1} submissions/s at 1/{factor} ({:.0}/s at DynamoDB's limits): \
         a submission takes {write_units:.2} WCU on its busiest partition ({write_key}) and {read_units:.2} RCU on its busiest \
         read ({read_key}); offered {multiple} × that = {rate:.1}/s, at most {IN_FLIGHT} in flight",
        ceiling * factor
    );

    let base = Setup {
        title: "baseline: the model at 1/1 (nothing throttled: this machine), one write shard".into(),
        factor: 1.0,
        shards: 1,
        plan: "Large",
        budget: None,
        rate,
        seconds,
    };
    let baseline = scenario(&bench, &def, &base).await?;
    let machine = baseline.rate();
    let budget = 4 * ((ceiling.min(machine) * seconds / 8.0).floor() as u64).max(1);
    bench.admin(Method::POST, "/admin/plans", Some(&json!({ "name": "Edge", "monthly_budget": budget }))).await?;
    let edge = |title: String, shards| Setup { title, factor, shards, plan: "Edge", budget: Some(budget), rate, seconds };
    let one =
        scenario(&bench, &def, &edge(format!("unsharded: the model at 1/{factor}, one write shard, a budget of {budget}"), 1)).await?;
    let spread =
        scenario(&bench, &def, &edge(format!("spread: the model at 1/{factor}, {shards} write shards, a budget of {budget}"), shards))
            .await?;

    println!(
        "  => the baseline (this machine) took {machine:.1}/s; offered {rate:.1}/s, it could send {:.1}/s ({:.2} of the target)",
        baseline.sent as f64 / baseline.sending,
        baseline.sent as f64 / baseline.sending / rate
    );
    println!(
        "  => unsharded: {:.1} accepted/s (× {factor} = {:.0}/s), {:.2} of the computed ceiling {ceiling:.1}/s and {:.2} of the baseline",
        one.rate(),
        one.rate() * factor,
        one.rate() / ceiling,
        one.rate() / machine
    );
    println!(
        "  => spread over {shards}: {:.1} accepted/s (× {factor} = {:.0}/s), {:.2} of the baseline{}",
        spread.rate(),
        spread.rate() * factor,
        spread.rate() / machine,
        if spread.rate() > 0.8 * machine { " (close to it: this machine, not the partitions, bounded it)" } else { "" }
    );
    println!("  => spread / unsharded accepted/s: {:.2}", spread.rate() / one.rate().max(1e-9));
    bench.stop().await;
    Ok(())
}

/// One run: a fresh account and project, the load, the checks.
async fn scenario(bench: &Bench, def: &Definition, s: &Setup) -> Result<Outcome, String> {
    println!("  {}:", s.title);
    model(bench, None).await?;
    // a recipient of its own: the spread run's shards differ from the unsharded run's
    let recipient = format!("alerts.shards-{}@example.com", s.shards);
    let every = s.budget.map(|b| b / 4);
    let mut settings = survey::settings();
    settings["write_shards"] = s.shards.into();
    if let Some(n) = every {
        settings["notifications"] = json!({ "rule": { "mode": "every", "n": n }, "recipients": [recipient] });
    }
    let (account_id, project) = budgeted_project(bench, s.plan, settings).await?;
    let remaining = bench.admin(Method::GET, &format!("/admin/accounts/{account_id}/budget"), None).await?["link_remaining"]
        .as_u64()
        .ok_or("no budget remaining")?;
    model(bench, Some(s.factor)).await?;
    let o = load(bench, def, &project.anonymous_path, s.rate, s.seconds).await?;
    let o = Outcome { model: model_state(bench).await?, ..o };
    model(bench, None).await?;

    let refused: Vec<String> = o.refused.iter().map(|(k, v)| format!("{v} × {k}")).collect();
    let unanswered: Vec<String> = o.unanswered.iter().map(|(k, v)| format!("{v} × {k}")).collect();
    let mut latency: Vec<f64> = o.accepted.iter().map(|a| a.2 * 1000.0).collect();
    latency.sort_by(f64::total_cmp);
    let pick = |q: usize| latency.get((latency.len() * q / 100).min(latency.len().saturating_sub(1))).copied().unwrap_or(0.0);
    println!(
        "    offered {:.1}/s ({} of {} due sent in {:.1} s; {} not sent: {IN_FLIGHT} in flight); accepted {} = {:.1}/s \
         (up to the last accepted answer, {:.1} s; × {} = {:.0}/s); accepted POST p50 {:.0} ms, p99 {:.0} ms",
        o.sent as f64 / o.sending,
        o.sent,
        o.due,
        o.sending,
        o.due - o.sent,
        o.accepted.len(),
        o.rate(),
        o.accepting,
        s.factor,
        o.rate() * s.factor,
        pick(50),
        pick(99)
    );
    println!(
        "    refused with a page: {}; not answered with a page: {}",
        if refused.is_empty() { "none".into() } else { refused.join(", ") },
        if unanswered.is_empty() { "none".into() } else { unanswered.join(", ") }
    );
    let busy: usize = o.refused.iter().filter(|(k, _)| k.contains("503")).map(|(_, v)| v).sum();
    let throttled = o.model["throttled_writes"].as_u64().unwrap_or(0) + o.model["throttled_reads"].as_u64().unwrap_or(0);
    println!(
        "    throttles retried inside the stack (the model's refusals less the last attempt of each 503): {}",
        throttled.saturating_sub(busy as u64)
    );
    let total = |what: &str| o.model["partitions"].as_array().into_iter().flatten().map(|p| p[what].as_f64().unwrap_or(0.0)).sum::<f64>();
    let per = |what: &str| total(what) / o.sent.max(1) as f64;
    println!(
        "    DynamoDB items the model let through: {:.0} reads ({:.0} RCU) and {:.0} writes ({:.0} WCU); per visit sent {:.1} reads \
         ({:.1} RCU) and {:.1} writes ({:.1} WCU); load average at the end {} (the machine is shared)",
        total("reads"),
        total("read_units"),
        total("writes"),
        total("write_units"),
        per("reads"),
        per("read_units"),
        per("writes"),
        per("write_units"),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').take(3).collect::<Vec<_>>().join(" ")
    );
    if s.factor > 1.0 {
        partitions(&o.model, s.factor);
    }
    check(bench, def, s, &o, &project.id, &account_id, remaining, every.map(|n| (n, recipient.as_str()))).await?;
    Ok(o)
}

/// Offers visits to the anonymous link at `rate` a second for `seconds`.
async fn load(bench: &Bench, def: &Definition, path: &str, rate: f64, seconds: f64) -> Result<Outcome, String> {
    let due = (rate * seconds).round() as usize;
    let url = format!("{}{path}", bench.stack.base_url);
    let permits = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(due);
    for i in 0..due {
        tokio::time::sleep_until(start + Duration::from_secs_f64(i as f64 / rate)).await;
        let Ok(permit) = permits.clone().try_acquire_owned() else { continue };
        let (http, url, form) = (bench.http.clone(), url.clone(), survey::answers(def, i));
        tasks.push(tokio::spawn(async move {
            let visit = stack::visit(&http, &url, &form).await;
            drop(permit);
            (i, visit, start.elapsed().as_secs_f64())
        }));
    }
    let sending = start.elapsed().as_secs_f64();
    let sent = tasks.len();
    let (mut accepted, mut refused, mut unanswered, mut accepting) = (Vec::new(), BTreeMap::new(), BTreeMap::new(), 0.0f64);
    for t in tasks {
        let (i, visit, at) = t.await.map_err(|e| e.to_string())?;
        let (what, answer) = match &visit {
            Err(e) => {
                *unanswered.entry(e.split(':').next().unwrap_or("error").to_string()).or_insert(0) += 1;
                continue;
            }
            Ok(Visit { post: Some(p), .. }) => ("POST", p),
            Ok(v) => ("page view", &v.view),
        };
        let v = visit.as_ref().expect("an answered visit");
        match (answer.status, &v.token) {
            (200, Some(token)) if what == "POST" => {
                accepted.push((i, token.split('.').next().unwrap_or("").to_string(), answer.secs));
                accepting = accepting.max(at);
            }
            (status, _) => {
                let kind = match status {
                    403 => "over budget",
                    429 => "throttled",
                    503 => "busy",
                    504 => "timed out",
                    _ => "other",
                };
                let into = if answer.page { &mut refused } else { &mut unanswered };
                *into.entry(format!("{what} {status} ({kind})")).or_insert(0) += 1;
            }
        }
    }
    Ok(Outcome { due, sent, sending, accepting, accepted, refused, unanswered, model: Value::Null })
}

/// The exactness checks of one run, printed.
#[allow(clippy::too_many_arguments)]
async fn check(
    bench: &Bench,
    def: &Definition,
    s: &Setup,
    o: &Outcome,
    project_id: &str,
    account_id: &str,
    remaining: u64,
    rule: Option<(u64, &str)>,
) -> Result<(), String> {
    let yes = |ok: bool| if ok { "yes" } else { "NO" };
    // let the stream's consumer (notify-thresholds) catch up
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut stored = BTreeSet::new();
    let mut listed = 0usize;
    let mut after: Option<String> = None;
    let count = loop {
        let page = bench
            .admin(
                Method::GET,
                &format!("/admin/projects/{project_id}/responses?limit=200{}", after.map(|a| format!("&after={a}")).unwrap_or_default()),
                None,
            )
            .await?;
        for r in page["responses"].as_array().into_iter().flatten() {
            listed += 1;
            stored.insert(r["response_id"].as_str().unwrap_or("").to_string());
        }
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => break page["count"].as_u64().unwrap_or(0),
        }
    };
    let accepted: BTreeSet<String> = o.accepted.iter().map(|a| a.1.clone()).collect();
    let n = accepted.len() as u64;
    println!(
        "    no submission lost: {} (every visit answered with a page; the API lists {listed} responses, {} of them accepted, \
         {} accepted ones missing, {} refused ones stored)",
        yes(o.unanswered.is_empty() && listed == stored.len() && stored == accepted),
        stored.intersection(&accepted).count(),
        accepted.difference(&stored).count(),
        stored.difference(&accepted).count()
    );
    let figures = bench.admin(Method::GET, &format!("/admin/projects/{project_id}/figures"), None).await?;
    let headline = &figures["headline"];
    let mut groups = [0u64; 3];
    for (i, _, _) in &o.accepted {
        let score = survey::answers(def, *i).into_iter().find(|(k, _)| k == ids::NPS).and_then(|(_, v)| v.parse().ok());
        match score.and_then(nps_group) {
            Some(NpsGroup::Promoter) => groups[0] += 1,
            Some(NpsGroup::Passive) => groups[1] += 1,
            Some(NpsGroup::Detractor) => groups[2] += 1,
            None => {}
        }
    }
    let reported = ["promoters", "passives", "detractors"].map(|g| headline["nps"][g].as_u64().unwrap_or(0));
    println!(
        "    counters and aggregates exact: {} (the project's counter {count}, the report's responses {} and NPS groups {:?}, \
         against {n} accepted with groups {groups:?})",
        yes(count == n && headline["responses"].as_u64() == Some(n) && reported == groups),
        headline["responses"],
        reported
    );
    let view = bench.admin(Method::GET, &format!("/admin/accounts/{account_id}/budget"), None).await?;
    let used = view["used"].as_u64().unwrap_or(0);
    match s.budget {
        Some(budget) => println!(
            "    the budget exact at its edge: {} (charged {used} of {budget}; accepted {n}, remaining at the start {remaining}; \
             the account counted {} refusals)",
            yes(used == budget && n == remaining && used == n),
            view["refused"]
        ),
        None => println!("    the budget charged exactly: {} (charged {used}, accepted {n})", yes(used == n)),
    }
    let Some((every, recipient)) = rule else { return Ok(()) };
    let due: Vec<u64> = (1..).map(|k| k * every).take_while(|t| *t <= n).collect();
    let mut mailed = BTreeMap::new();
    for wait in 0..40 {
        mailed = thresholds_mailed(bench, recipient).await?;
        if due.iter().all(|t| mailed.contains_key(t)) {
            // a second look, for any sent twice
            tokio::time::sleep(Duration::from_secs(3)).await;
            mailed = thresholds_mailed(bench, recipient).await?;
            break;
        }
        if wait < 39 {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }
    let expected: BTreeMap<u64, usize> = due.iter().map(|t| (*t, 1)).collect();
    println!(
        "    each threshold emailed once: {} (every {every}: {} due, emailed {:?} [threshold: emails])",
        yes(mailed == expected),
        due.len(),
        mailed
    );
    Ok(())
}

/// The notification emails sent to `recipient`, by the threshold their
/// subject names ("…: 150 responses reached").
async fn thresholds_mailed(bench: &Bench, recipient: &str) -> Result<BTreeMap<u64, usize>, String> {
    let mut mailed = BTreeMap::new();
    for m in pulse_local::outbox::fetch(&bench.stack.emulator_url).await? {
        if m.to.iter().any(|t| t == recipient) {
            let number: String = m.subject.rsplit(": ").next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
            *mailed.entry(number.parse().unwrap_or(0)).or_insert(0) += 1;
        }
    }
    Ok(mailed)
}
