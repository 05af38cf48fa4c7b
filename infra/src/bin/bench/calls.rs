//! `calls`: the AWS calls made per imported contact, per invitation, per
//! survey page view and per submission, counted on the functions' clients,
//! and what they cost per 1,000 responses at AWS list prices.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pulse_shared::domain::survey::Definition;

use super::stack::{self, Bench};
use super::survey;
use pulse_local::calls::{sum, CallKey, Calls, Usage};

const CONTACTS: usize = 1_000;
const SUBMISSIONS: usize = 200;
/// The send rate of the run: high enough that the per-second budget never
/// makes a sender wait (the emulator is far slower).
const RUN_SEND_RATE: u32 = 500;
/// The share of invitations answered in the invitation scenario.
const RESPONSE_RATE: f64 = 0.2;
/// The admin API's calls are per operator action (and the benchmark's
/// status polling), not per unit: listed apart, left out of the costs.
const ADMIN: &str = "admin-api";
/// Billed time assumed per invocation of a function the run does not time.
const ASSUMED_SECONDS: f64 = 0.1;

/// AWS list prices in USD, us-east-1, as of 2026-11-23 (the figures given
/// for this benchmark from the pricing pages named; not fetched by it).
mod price {
    /// DynamoDB on-demand (Standard table class), per write / read request
    /// unit: <https://aws.amazon.com/dynamodb/pricing/on-demand/>.
    pub const DYNAMODB_WRITE_UNIT: f64 = 0.625 / 1e6;
    pub const DYNAMODB_READ_UNIT: f64 = 0.125 / 1e6;
    /// Lambda, per request and per GB-second on arm64:
    /// <https://aws.amazon.com/lambda/pricing/>.
    pub const LAMBDA_REQUEST: f64 = 0.20 / 1e6;
    pub const LAMBDA_GB_SECOND_ARM64: f64 = 0.000_013_333_4;
    /// SQS standard queues, per request: <https://aws.amazon.com/sqs/pricing/>.
    pub const SQS_REQUEST: f64 = 0.40 / 1e6;
    /// S3 Standard requests: PUT, COPY, POST, LIST; GET and all others:
    /// <https://aws.amazon.com/s3/pricing/>.
    pub const S3_PUT: f64 = 0.005 / 1000.0;
    pub const S3_GET: f64 = 0.0004 / 1000.0;
    /// SES outbound email: <https://aws.amazon.com/ses/pricing/>.
    pub const SES_EMAIL: f64 = 0.10 / 1000.0;
    /// API Gateway HTTP APIs, per request (first 300 million a month):
    /// <https://aws.amazon.com/api-gateway/pricing/>.
    pub const HTTP_API_REQUEST: f64 = 1.00 / 1e6;
}

/// What a phase does, one unit at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    Import,
    Send,
    View,
    Submit,
}

/// One measured stretch of work: the calls it made and what it did.
struct Phase {
    work: Work,
    title: String,
    /// How many units the phase did (contacts, invitations, requests).
    units: f64,
    usage: BTreeMap<CallKey, Usage>,
    /// Invocations per function during the phase.
    invocations: BTreeMap<String, u64>,
    wall: Duration,
    /// Wall time of each HTTP request the phase timed, sorted (ms).
    latencies: Vec<f64>,
}

impl Phase {
    fn median_ms(&self) -> Option<f64> {
        (!self.latencies.is_empty()).then(|| self.latencies[self.latencies.len() / 2])
    }

    /// Usage per unit, without the admin API.
    fn per_unit(&self, pick: impl Fn(&CallKey) -> bool) -> Usage {
        let u = sum(&self.usage, |k| k.function != ADMIN && pick(k));
        Usage { calls: u.calls, read_units: u.read_units / self.units, write_units: u.write_units / self.units }
    }

    fn calls_per_unit(&self, pick: impl Fn(&CallKey) -> bool) -> f64 {
        self.per_unit(pick).calls as f64 / self.units
    }

    fn invocations_per_unit(&self) -> f64 {
        self.invocations.iter().filter(|(f, _)| *f != ADMIN).map(|(_, n)| *n as f64).sum::<f64>() / self.units
    }
}

fn now_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

/// Runs `work` (which returns the wall times of the requests it timed)
/// and collects the calls and invocations it set off.
async fn phase<F>(bench: &Bench, calls: &Calls, work: Work, title: String, units: usize, run: F) -> Result<Phase, String>
where
    F: Future<Output = Result<Vec<f64>, String>>,
{
    calls.take();
    let since = now_ms();
    let started = Instant::now();
    let mut latencies = run.await?;
    let wall = started.elapsed();
    calls.settle().await;
    let mut invocations = BTreeMap::new();
    for i in bench.stack.functions.invocations(None).into_iter().filter(|i| i.at_ms >= since) {
        *invocations.entry(i.function).or_insert(0) += 1;
    }
    latencies.sort_by(f64::total_cmp);
    Ok(Phase { work, title, units: units as f64, usage: calls.take(), invocations, wall, latencies })
}

/// Opens each survey link (`GET`), timing each request.
async fn views(bench: &Bench, paths: &[String], tokens: &mut Vec<Option<String>>) -> Result<Vec<f64>, String> {
    let mut latencies = Vec::new();
    for path in paths {
        let t = Instant::now();
        let (status, token) = bench.view(path).await?;
        if status != 200 {
            return Err(format!("GET {path}: {status}"));
        }
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        tokens.push(token);
    }
    Ok(latencies)
}

/// Submits complete answers through each link, timing each request, each
/// with the form token its page view gave (anonymous links).
async fn submissions(bench: &Bench, def: &Definition, paths: &[String], tokens: &[Option<String>]) -> Result<Vec<f64>, String> {
    let mut latencies = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let mut form = survey::answers(def, i);
        form.extend(tokens.get(i).cloned().flatten().map(|t| ("ft".to_string(), t)));
        let t = Instant::now();
        bench.submit(path, &form).await?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(latencies)
}

pub fn calls() {
    println!("\nAWS calls per unit of work, counted by an SDK interceptor on every function's clients (local stack on moto):");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Err(e) = runtime.block_on(calls_run()) {
        eprintln!("the calls benchmark failed: {e}");
        std::process::exit(1);
    }
}

async fn calls_run() -> Result<(), String> {
    let calls = Calls::default();
    let mut options = stack::options();
    options.client_hook = Some(calls.hook());
    options.parameter_overrides.insert("SesSendRate".into(), RUN_SEND_RATE.to_string());
    let bench = Bench::start(options).await?;
    let project = bench.open_project("assessment", survey::settings()).await?;
    let def: Definition = serde_json::from_value(project.survey.clone()).map_err(|e| e.to_string())?;
    println!(
        "  (an assessment project: {} questions, operational fields {:?}, no account budget)",
        def.questions.len(),
        survey::OPERATIONAL_FIELDS
    );

    let mut list = String::new();
    let import =
        phase(&bench, &calls, Work::Import, format!("per imported contact ({CONTACTS} contacts, one CSV file)"), CONTACTS, async {
            list = bench.import(&project.id, stack::contact_csv(CONTACTS, &survey::OPERATIONAL_FIELDS)).await?;
            Ok(vec![])
        })
        .await?;
    let send =
        phase(&bench, &calls, Work::Send, format!("per invitation ({CONTACTS} invitations, at {RUN_SEND_RATE}/s)"), CONTACTS, async {
            let d = bench.distribute(&project.id, &list, &survey::LANGUAGES).await?;
            match d["counts"]["sent"].as_u64() {
                Some(sent) if sent as usize == CONTACTS => Ok(vec![]),
                _ => Err(format!("the distribution did not send every invitation: {d}")),
            }
        })
        .await?;
    let anonymous: Vec<String> = vec![project.anonymous_path.clone(); SUBMISSIONS];
    let personal: Vec<String> = bench.personal_links().await?.into_iter().take(SUBMISSIONS).collect();
    if personal.len() < SUBMISSIONS {
        return Err(format!("only {} personal links were found in the outbox", personal.len()));
    }
    let mut anonymous_tokens = Vec::new();
    let anon_view = phase(
        &bench,
        &calls,
        Work::View,
        format!("per anonymous page view ({SUBMISSIONS} GET /s/{{token}})"),
        SUBMISSIONS,
        views(&bench, &anonymous, &mut anonymous_tokens),
    )
    .await?;
    let anon_submit = phase(
        &bench,
        &calls,
        Work::Submit,
        format!("per anonymous submission ({SUBMISSIONS} POST /s/{{token}})"),
        SUBMISSIONS,
        submissions(&bench, &def, &anonymous, &anonymous_tokens),
    )
    .await?;
    let personal_view = phase(
        &bench,
        &calls,
        Work::View,
        format!("per personal-link page view ({SUBMISSIONS} invitees)"),
        SUBMISSIONS,
        views(&bench, &personal, &mut Vec::new()),
    )
    .await?;
    let personal_submit = phase(
        &bench,
        &calls,
        Work::Submit,
        format!("per personal-link submission ({SUBMISSIONS} invitees)"),
        SUBMISSIONS,
        submissions(&bench, &def, &personal, &[]),
    )
    .await?;

    let phases = [&import, &send, &anon_view, &anon_submit, &personal_view, &personal_submit];
    for p in phases {
        print_phase(p);
    }

    let memory = stack::memory_mb();
    let template_rate: f64 =
        bench.stack.template.parameters.get("SesSendRate").cloned().flatten().and_then(|r| r.parse().ok()).unwrap_or(14.0);
    let send_concurrency = send_concurrency(&bench);
    // billed seconds per invocation, by function, where the run tells
    let import_seconds = import.wall.as_secs_f64() / import.invocations.get("import-contacts").copied().unwrap_or(1).max(1) as f64;
    let send_seconds =
        send_concurrency * CONTACTS as f64 / template_rate / send.invocations.get("send-distribution").copied().unwrap_or(1).max(1) as f64;
    let seconds = |p: &Phase, function: &str| -> f64 {
        match function {
            "import-contacts" => import_seconds,
            "send-distribution" => send_seconds,
            "submit-response" => p.median_ms().map_or(ASSUMED_SECONDS, |ms| ms / 1000.0),
            _ => ASSUMED_SECONDS,
        }
    };
    let costs: Vec<Cost> = phases.iter().map(|p| Cost::of(p, &memory, |f| seconds(p, f))).collect();
    let [import_c, send_c, anon_view_c, anon_submit_c, personal_view_c, personal_submit_c] =
        <[Cost; 6]>::try_from(costs).map_err(|_| "six phases")?;

    let anonymous_1000 = (anon_view_c + anon_submit_c) * 1000.0;
    let responses = CONTACTS as f64 * RESPONSE_RATE;
    let invited_1000 = import_c * 1000.0 + send_c * 1000.0 + (personal_view_c + personal_submit_c) * (1000.0 * RESPONSE_RATE);
    let invited_per_1000_responses = invited_1000 * (1000.0 / responses);
    println!("\ncost at us-east-1 list prices (USD; a response = one page view + one submission):");
    println!("  A: 1,000 anonymous responses");
    println!(
        "  B: 1,000 contacts imported, 1,000 invitations, and their {:.0} responses ({:.0} % response rate)",
        responses,
        RESPONSE_RATE * 100.0
    );
    println!("  C: B scaled to 1,000 responses (5,000 contacts and invitations)");
    println!("{:>28} {:>12} {:>12} {:>12}", "", "A", "B", "C");
    for (name, pick) in Cost::LINES {
        println!("{name:>28} {:>12.5} {:>12.5} {:>12.5}", pick(&anonymous_1000), pick(&invited_1000), pick(&invited_per_1000_responses));
    }
    println!(
        "{:>28} {:>12.5} {:>12.5} {:>12.5}",
        "total",
        anonymous_1000.total(),
        invited_1000.total(),
        invited_per_1000_responses.total()
    );
    println!("  assumptions:");
    println!("    DynamoDB: on-demand request units from the items' sizes (see above); updates and deletes as 1 KB writes; streams read by Lambda are free");
    println!(
        "    Lambda: arm64 at the template's MemorySize ({}); billed time per invocation: submit-response the median request time above \
         (on moto, so high), import-contacts the import's wall time ({import_seconds:.1} s), send-distribution rate-bound at the \
         template's SesSendRate {template_rate}/s with {send_concurrency} concurrent senders waiting ({send_seconds:.1} s per invocation), others {ASSUMED_SECONDS} s",
        memory.iter().map(|(f, m)| format!("{f} {m} MB")).collect::<Vec<_>>().join(", ")
    );
    println!("    SQS: the functions' own requests plus, for each send-queue message, the event source's ReceiveMessage and DeleteMessage (idle long polls not counted)");
    println!("    S3: the functions' requests plus the file's upload through its presigned URL; API Gateway: one request per page view and submission");
    println!("    not included: the admin API's calls, CloudWatch Logs, storage, data transfer, the free tiers");
    bench.stop().await;
    Ok(())
}

/// `MaximumConcurrency` of send-distribution's send-queue event source.
fn send_concurrency(bench: &Bench) -> f64 {
    bench
        .stack
        .template
        .functions
        .iter()
        .filter(|f| f.binary == "send-distribution")
        .flat_map(|f| &f.events)
        .find_map(|e| match e {
            pulse_local::template::EventSpec::Sqs { max_concurrency, .. } => Some((*max_concurrency).max(1) as f64),
            _ => None,
        })
        .unwrap_or(1.0)
}

fn print_phase(p: &Phase) {
    println!("\n  {} — {:.1} s:", p.title, p.wall.as_secs_f64());
    println!("    {:<18} {:<9} {:<20} {:>10} {:>10} {:>10}", "function", "service", "operation", "calls", "RRU", "WRU");
    for (k, u) in p.usage.iter().filter(|(k, _)| k.function != ADMIN) {
        println!(
            "    {:<18} {:<9} {:<20} {:>10.3} {:>10.2} {:>10.2}",
            k.function,
            k.service,
            k.operation,
            u.calls as f64 / p.units,
            u.read_units / p.units,
            u.write_units / p.units
        );
    }
    let dynamodb = p.per_unit(|k| k.service == "DynamoDB");
    println!(
        "    {:<49} {:>10.3} {:>10.2} {:>10.2}",
        "all DynamoDB",
        p.calls_per_unit(|k| k.service == "DynamoDB"),
        dynamodb.read_units,
        dynamodb.write_units
    );
    let invocations: Vec<String> = p.invocations.iter().filter(|(f, _)| *f != ADMIN).map(|(f, n)| format!("{f} {n}")).collect();
    println!(
        "    Lambda invocations: {} ({:.3} per unit)",
        if invocations.is_empty() { "none".into() } else { invocations.join(", ") },
        p.invocations_per_unit()
    );
    if let Some(ms) = p.median_ms() {
        println!("    request wall time: median {ms:.1} ms");
    }
    let admin = sum(&p.usage, |k| k.function == ADMIN).calls;
    if admin > 0 {
        println!("    ({ADMIN}: {admin} calls in all — the operator's request and the benchmark's status polling; not per unit)");
    }
}

/// The cost of one unit of a phase, by service (USD).
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    dynamodb_reads: f64,
    dynamodb_writes: f64,
    lambda_requests: f64,
    lambda_compute: f64,
    api_gateway: f64,
    sqs: f64,
    s3: f64,
    ses: f64,
}

type Line = (&'static str, fn(&Cost) -> f64);

impl Cost {
    const LINES: [Line; 8] = [
        ("DynamoDB reads", |c| c.dynamodb_reads),
        ("DynamoDB writes", |c| c.dynamodb_writes),
        ("Lambda requests", |c| c.lambda_requests),
        ("Lambda compute", |c| c.lambda_compute),
        ("API Gateway (HTTP API)", |c| c.api_gateway),
        ("SQS", |c| c.sqs),
        ("S3 requests", |c| c.s3),
        ("SES emails", |c| c.ses),
    ];

    fn total(&self) -> f64 {
        Cost::LINES.iter().map(|(_, pick)| pick(self)).sum()
    }

    /// Per unit of `p`: `seconds(function)` is the billed time of one of
    /// its invocations.
    fn of(p: &Phase, memory: &BTreeMap<String, u64>, seconds: impl Fn(&str) -> f64) -> Cost {
        let dynamodb = p.per_unit(|k| k.service == "DynamoDB");
        let s3_put_class = |op: &str| ["Put", "Copy", "List", "Create", "Upload", "Complete"].iter().any(|prefix| op.starts_with(prefix));
        let s3_free = |op: &str| op.starts_with("Delete");
        let mut s3 = p.calls_per_unit(|k| k.service == "S3" && s3_put_class(&k.operation)) * price::S3_PUT
            + p.calls_per_unit(|k| k.service == "S3" && !s3_put_class(&k.operation) && !s3_free(&k.operation)) * price::S3_GET;
        let mut api_requests = 0.0;
        let mut event_source_requests = 0.0;
        match p.work {
            // the file's upload through its presigned URL
            Work::Import => s3 += price::S3_PUT / p.units,
            Work::View | Work::Submit => api_requests = 1.0,
            Work::Send => {}
        }
        if let Some(n) = p.invocations.get("send-distribution") {
            // one send-queue message per invocation (BatchSize 1)
            event_source_requests = 2.0 * *n as f64 / p.units;
        }
        let gb_seconds: f64 = p
            .invocations
            .iter()
            .filter(|(f, _)| *f != ADMIN)
            .map(|(f, n)| *n as f64 * memory.get(f).copied().unwrap_or(128) as f64 / 1024.0 * seconds(f))
            .sum::<f64>()
            / p.units;
        Cost {
            dynamodb_reads: dynamodb.read_units * price::DYNAMODB_READ_UNIT,
            dynamodb_writes: dynamodb.write_units * price::DYNAMODB_WRITE_UNIT,
            lambda_requests: p.invocations_per_unit() * price::LAMBDA_REQUEST,
            lambda_compute: gb_seconds * price::LAMBDA_GB_SECOND_ARM64,
            api_gateway: api_requests * price::HTTP_API_REQUEST,
            sqs: (p.calls_per_unit(|k| k.service == "SQS") + event_source_requests) * price::SQS_REQUEST,
            s3,
            ses: p.calls_per_unit(|k| k.service == "SESv2" && k.operation == "SendEmail") * price::SES_EMAIL,
        }
    }
}

impl std::ops::Add for Cost {
    type Output = Cost;
    fn add(self, o: Cost) -> Cost {
        Cost {
            dynamodb_reads: self.dynamodb_reads + o.dynamodb_reads,
            dynamodb_writes: self.dynamodb_writes + o.dynamodb_writes,
            lambda_requests: self.lambda_requests + o.lambda_requests,
            lambda_compute: self.lambda_compute + o.lambda_compute,
            api_gateway: self.api_gateway + o.api_gateway,
            sqs: self.sqs + o.sqs,
            s3: self.s3 + o.s3,
            ses: self.ses + o.ses,
        }
    }
}

impl std::ops::Mul<f64> for Cost {
    type Output = Cost;
    fn mul(self, k: f64) -> Cost {
        Cost {
            dynamodb_reads: self.dynamodb_reads * k,
            dynamodb_writes: self.dynamodb_writes * k,
            lambda_requests: self.lambda_requests * k,
            lambda_compute: self.lambda_compute * k,
            api_gateway: self.api_gateway * k,
            sqs: self.sqs * k,
            s3: self.s3 * k,
            ses: self.ses * k,
        }
    }
}
