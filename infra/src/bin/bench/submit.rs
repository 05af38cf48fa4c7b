//! `submit`: the submission handler's CPU time per request, (a) on its pure
//! path in-process without AWS and (b) whole, through the local stack.

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use pulse_shared::clock;
use pulse_shared::domain::guard;
use pulse_shared::domain::i18n::choose;
use pulse_shared::domain::project::Settings;
use pulse_shared::domain::report::contribution;
use pulse_shared::domain::response::{Channel, Response};
use pulse_shared::domain::survey::Definition;
use pulse_shared::render::survey::thank_you_page;
use serde::Serialize;

use super::stack::{self, Bench};
use super::survey;
use pulse_local::calls::{sum, Calls};

/// Iterations of the pure path.
const PURE_N: usize = 20_000;
/// Decodings of the stored definition timed.
const DECODES: usize = 2_000;
/// Submissions through the stack.
pub const STACK_N: usize = 500;
/// The `Accept-Language` a browser sends.
const ACCEPT_LANGUAGE: &str = "de-DE,de;q=0.9,en;q=0.8";

/// The steps of the pure path, in order.
const STEPS: [&str; 6] = [
    "parse the form, check its token, choose the language",
    "validate the answers (Definition::validate)",
    "build the response",
    "report contribution",
    "response item (serde_dynamo::to_item)",
    "render the thank-you page",
];

/// The CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec to the valid pointer given.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The pure path's form-token key and anonymous link.
const FORM_KEY: &[u8] = b"bench-form-key-bench-form-key-32";
const BENCH_LINK: &str = "bench-anonymous-link-token-aaaaaaaaaaaaaaaa";

/// What the handler reads from DynamoDB, as stored (JSON text), and the
/// bodies respondents post.
struct Stored {
    definition: String,
    settings: String,
    bodies: Vec<String>,
}

/// The stored form of a response (as `store::surveys` writes it).
#[derive(Serialize)]
struct ResponseItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    response: Response,
}

/// What `submit` does for one anonymous submission besides its I/O;
/// `lap(step)` is called as each step ends.
/// The definition is the one a warm Lambda keeps (decoded once per
/// version: see [`decode`]).
fn submission(def: &Definition, stored: &Stored, i: usize, now_ms: u64, lap: &mut impl FnMut(usize)) -> usize {
    let body = stored.bodies[i % stored.bodies.len()].as_bytes();
    assert!(std::str::from_utf8(body).is_ok());
    let form: Vec<(String, String)> = form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let lang = choose(&def.languages, field("lang"), None, Some(ACCEPT_LANGUAGE));
    let response_id =
        guard::verify(FORM_KEY, BENCH_LINK, field(guard::TOKEN_FIELD), now_ms, 0).expect("the benchmark's form tokens are valid");
    lap(0);
    let answers = def.validate(&form, lang).expect("the benchmark's answers are valid");
    lap(1);
    let response = Response {
        project_id: def.project_id.clone(),
        response_id,
        version: def.version,
        language: lang,
        channel: Channel::Anonymous,
        submitted_at: clock::from_ms(now_ms),
        answers,
        embedded: BTreeMap::new(),
        contact_email: None,
        first_name: None,
        last_name: None,
        erased_at: None,
        via: None,
    };
    lap(2);
    let contribution = contribution(def, &response);
    lap(3);
    let item: HashMap<String, AttributeValue> = serde_dynamo::to_item(ResponseItem {
        pk: format!("PROJECT#{}", response.project_id),
        sk: format!("RESPONSE#{}", response.response_id),
        response: response.clone(),
    })
    .expect("response item");
    lap(4);
    let page = thank_you_page(def, lang, None);
    lap(5);
    page.len() + item.len() + contribution.map_or(0, |c| c.counters.len())
}

/// What a Lambda does the first time it meets a survey version and a
/// link: decode the stored definition and the project's settings (JSON).
fn decode(stored: &Stored) -> usize {
    let def: Definition = serde_json::from_str(&stored.definition).expect("definition");
    let settings: Settings = serde_json::from_str(&stored.settings).expect("settings");
    def.questions.len() + settings.operational_fields.len()
}

pub fn submit() {
    pure_path();
    println!();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Err(e) = runtime.block_on(through_stack(STACK_N)) {
        eprintln!("the submit benchmark failed: {e}");
        std::process::exit(1);
    }
}

fn pure_path() {
    let def = survey::definition("bench-project");
    let settings: Settings = serde_json::from_value(survey::settings()).expect("settings");
    let stored = Stored {
        definition: serde_json::to_string(&def).expect("definition"),
        settings: serde_json::to_string(&settings.normalise().expect("settings")).expect("settings"),
        bodies: (0..60)
            .map(|i| {
                let mut form = survey::answers(&def, i);
                let id = pulse_shared::domain::links::new_id();
                form.push((guard::TOKEN_FIELD.into(), guard::issue(FORM_KEY, BENCH_LINK, &id, clock::now_ms() - 10_000)));
                survey::encode(&form)
            })
            .collect(),
    };
    let now_ms = clock::now_ms();
    println!(
        "\nsubmission, pure path in-process (no AWS): {PURE_N} anonymous submissions to an assessment survey of {} questions \
         (B2C, 2 operational fields, 3 demographics, en+de; definition {:.1} KB as stored), one thread:",
        def.questions.len(),
        stored.definition.len() as f64 / 1024.0
    );
    let mut sink = 0usize;
    for _ in 0..50 {
        sink += decode(&stored);
    }
    let decode0 = thread_cpu();
    for _ in 0..DECODES {
        sink += decode(&stored);
    }
    let decoding = (thread_cpu() - decode0).as_secs_f64() * 1e6 / DECODES as f64;
    for i in 0..500 {
        sink += submission(&def, &stored, i, now_ms, &mut |_| {});
    }
    // the total, in thread CPU time
    let cpu0 = thread_cpu();
    for i in 0..PURE_N {
        sink += submission(&def, &stored, i, now_ms, &mut |_| {});
    }
    let cpu = thread_cpu() - cpu0;
    // the steps, in wall time between steps (a tight single-threaded loop)
    let mut steps = [Duration::ZERO; STEPS.len()];
    let wall0 = Instant::now();
    for i in 0..PURE_N {
        let mut last = Instant::now();
        sink += submission(&def, &stored, i, now_ms, &mut |step| {
            let now = Instant::now();
            steps[step] += now - last;
            last = now;
        });
    }
    let wall = wall0.elapsed();
    black_box(sink);
    let per = |d: Duration| d.as_secs_f64() * 1e6 / PURE_N as f64;
    println!(
        "  thread CPU time: {:.1} µs per submission on a warm Lambda, which keeps the decoded definition and the link's project (CLOCK_THREAD_CPUTIME_ID over the loop)",
        per(cpu)
    );
    println!("  once per Lambda and survey version or link: {decoding:.1} µs to decode the stored definition and settings (JSON)");
    println!("  by step (wall time of a second pass, {:.1} µs per submission):", per(wall));
    for (name, d) in STEPS.iter().zip(steps) {
        println!("    {name:<50} {:>8.1} µs", per(d));
    }
    println!("  not included: building the TransactWriteItems request (aggregate items), the SDK's signing and JSON, the Lambda event (see below)");
}

/// Anonymous submissions POSTed one after another through the local
/// stack's gateway; this process's CPU per submission and each function's
/// AWS calls.
async fn through_stack(n: usize) -> Result<(), String> {
    let calls = Calls::default();
    let mut options = stack::options();
    options.client_hook = Some(calls.hook());
    let bench = Bench::start(options).await?;
    let project = bench.open_project("assessment", survey::settings()).await?;
    let def: Definition = serde_json::from_value(project.survey.clone()).map_err(|e| e.to_string())?;
    // each form with the token of its own page view, viewed before the timing
    let mut forms: Vec<Vec<(String, String)>> = Vec::with_capacity(n + 5);
    for i in 0..n + 5 {
        let mut form = survey::answers(&def, i);
        let (_, token) = bench.view(&project.anonymous_path).await?;
        form.push(("ft".into(), token.ok_or("the anonymous page carries no form token")?));
        forms.push(form);
    }
    // the first submissions open connections and warm the caches
    for form in &forms[n..] {
        bench.submit(&project.anonymous_path, form).await?;
    }
    calls.settle().await;
    calls.take();
    let mut latencies = Vec::with_capacity(n);
    let cpu0 = crate::cpu_seconds();
    let wall = Instant::now();
    for form in &forms[..n] {
        let t = Instant::now();
        bench.submit(&project.anonymous_path, form).await?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let cpu = crate::cpu_seconds() - cpu0;
    let secs = wall.elapsed().as_secs_f64();
    calls.settle().await;
    let usage = calls.take();
    latencies.sort_by(f64::total_cmp);
    println!("submission through the local stack: {n} anonymous submissions POSTed one after another (the same survey; moto as DynamoDB):");
    println!(
        "  CPU of this process: {:.2} ms per submission ({cpu:.2} s in all; gateway, Lambda event JSON, handler, SDK, the stack's event pumps; not moto)",
        cpu * 1000.0 / n as f64
    );
    println!(
        "  wall time per POST: median {:.1} ms, p90 {:.1} ms ({secs:.1} s in all)",
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 9 / 10]
    );
    for function in ["submit-response", "notify-thresholds"] {
        let mine: Vec<_> = usage.iter().filter(|(k, _)| k.function == function).collect();
        if mine.is_empty() {
            println!("  {function}: no AWS calls");
            continue;
        }
        let calls: Vec<String> =
            mine.iter().map(|(k, u)| format!("{} {} {:.2}", k.service, k.operation, u.calls as f64 / n as f64)).collect();
        println!("  {function} AWS calls per submission: {}", calls.join(", "));
    }
    let dynamodb = sum(&usage, |k| k.function == "submit-response" && k.service == "DynamoDB");
    println!(
        "  DynamoDB round trips per submission in the handler: {:.2} (a warm Lambda keeps the link with its project's revision, the \
         published version and the account's month, so a submission is the one TransactWriteItems, which checks the revision; \
         the first request through a link on a Lambda reads the link, the project, the version and the account first)",
        dynamodb.calls as f64 / n as f64
    );
    bench.stop().await;
    Ok(())
}
