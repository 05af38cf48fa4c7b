//! `pulse-bench`: Pulse's benchmark command. It prints figures for this
//! machine; it asserts nothing (the targets and the recorded figures are in
//! `BENCHMARKS.md`). Run it with `./infra/bench.sh` (release build).
//!
//! * `import`: the contact import's parse + validate path (the parser, the
//!   duplicate set and the rejection report of pass 1) over generated files
//!   of 1, 10 and 100 MB, each in a child process so that its peak RSS
//!   (`VmHWM`) is its own. The file is read in 64 KiB chunks, as the S3
//!   body stream hands them over. Beside it, in the same run and on the
//!   same file: `infra/import_baseline.py` (the same pass with Python's csv
//!   module and an address regex) and `wc -l`, for ratios that hold where
//!   absolute figures do not repeat.
//! * `send [contacts] [rate]`: a distribution to a generated list (3,000
//!   contacts at 20 emails a second by default) through the whole local
//!   stack on the emulator: the achieved send rate against the configured
//!   one (from the per-second send counters), and the CPU time this process
//!   (handlers, pumps, SDK; not the emulator) spent per invitation.
//! * `report`: report generation from aggregates seeded for 1,000, 100,000
//!   and 1,000,000 responses (90 days, two operational fields with ten
//!   values each): the same number of buckets holding larger counts. Times
//!   the figures (DynamoDB queries on the emulator + computation) and the
//!   HTML rendering, median of five runs each.
//! * `sizes`: the size of each release Lambda artifact under
//!   `target/lambda/<function>/bootstrap` (built by `./infra/build-lambdas.sh`).
//! * `init`: each function's init, from process start until the Lambda
//!   runtime asks for its first event (`GET /2018-06-01/runtime/invocation/next`
//!   to a stand-in of the Runtime API on 127.0.0.1, with the Lambda
//!   environment and dummy resource names; `AWS_ENDPOINT_URL` points at the
//!   stand-in, so an AWS call during init would be seen and listed). The
//!   native release binaries in `target/release` (`./infra/bench.sh` builds
//!   them) stand in for the arm64 ones; median, min and max of 7 starts.
//! * `submit`: the submission handler's CPU time per request, (a) its pure
//!   path in-process (20,000 anonymous submissions to an assessment survey:
//!   decoding the stored definition, form parsing, validation, the response,
//!   its report contribution, its DynamoDB item, the thank-you page), thread
//!   CPU time in all and wall time by step; (b) 500 submissions POSTed one
//!   after another through the local stack: this process's CPU per
//!   submission (gateway, handler, SDK and pumps together), the request
//!   time, and the AWS calls each function makes per submission.
//! * `calls`: the AWS calls per imported contact (a 1,000-contact file), per
//!   invitation (a distribution to them), per page view and per submission
//!   (200 each, anonymous and through the invitations' personal links),
//!   counted by an SDK interceptor on every function's clients, with the
//!   DynamoDB request units they consume; then the cost of 1,000 responses
//!   at AWS list prices (constants in `bench/calls.rs`), anonymous and from
//!   invitations at a 20 % response rate.
//! * `partition [factor] [submissions] [respondents] [shards]`: one project's ceiling
//!   under DynamoDB's per-partition limits (the emulator's partition model
//!   at 1/factor, 20 by default, against the same scenario with the model
//!   off): concurrent submissions through personal links to one budgeted
//!   project, accepted per second and throttled, scaled back by the factor
//!   (see `bench/partition.rs`). Not part of `all`.
//! * `scale [factor] [seconds] [multiple]`: one project's anonymous link
//!   offered `multiple` (20) times its unsharded ceiling open-loop for
//!   `seconds` (60) under the partition model at 1/factor (20): a baseline
//!   with nothing throttled, then unsharded, then spread over write shards,
//!   each on an account whose budget runs out inside the run and with a
//!   notification rule; offered and accepted per second, refusals by kind,
//!   latency, and exactly once checked (no submission lost, counters and
//!   report totals, the budget at its edge, each threshold emailed once;
//!   see `bench/scale.rs`). Not part of `all`.
//! * `import-e2e [factor] [rows] [unspread rows]`: a contact file imported
//!   through the local stack under the partition model at 1/factor (20),
//!   `rows` (50,000, which stand for 1,000,000 at DynamoDB's limits) with
//!   the directory spread over partition keys, and `unspread rows` (5,000)
//!   with the design before (one key for the contacts, one for the list) in
//!   the same run: rows a second, the ratio, every member read back, the
//!   busiest partitions (see `bench/imports.rs`). Not part of `all`.
//!
//! `PULSE_PARTITION_FACTOR=F` in the environment turns the emulator's
//! partition model on at 1/F for every emulator this command starts, so any
//! scenario can be run against DynamoDB's per-partition limits.

#[path = "bench/calls.rs"]
mod calls;
#[path = "bench/imports.rs"]
mod imports;
#[path = "bench/init.rs"]
mod init;
#[path = "bench/partition.rs"]
mod partition;
#[path = "bench/scale.rs"]
mod scale;
#[path = "bench/stack.rs"]
mod stack;
#[path = "bench/submit.rs"]
mod submit;
#[path = "bench/survey.rs"]
mod survey;

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use pulse_shared::domain::contacts::{Found, Parser};
use pulse_shared::domain::imports::Tally;

const SIZES_MB: [u64; 3] = [1, 10, 100];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map(String::as_str).unwrap_or("all");
    match what {
        "import-child" => import_child(Path::new(&args[2])),
        "import" => import(),
        "sizes" => sizes(),
        "report" => report(),
        "send" => send(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(3000), args.get(3).and_then(|n| n.parse().ok()).unwrap_or(20)),
        "init" => init::init(),
        "submit" => submit::submit(),
        "calls" => calls::calls(),
        "machine" => machine(),
        "partition" => {
            machine();
            partition::partition(
                args.get(2).and_then(|n| n.parse().ok()).unwrap_or(partition::FACTOR),
                args.get(3).and_then(|n| n.parse().ok()).unwrap_or(partition::SUBMISSIONS),
                args.get(4).and_then(|n| n.parse().ok()).unwrap_or(partition::RESPONDENTS),
                args.get(5).and_then(|n| n.parse().ok()).unwrap_or(partition::SHARDS),
            )
        }
        "import-e2e" => {
            machine();
            imports::import_e2e(
                args.get(2).and_then(|n| n.parse().ok()).unwrap_or(imports::FACTOR),
                args.get(3).and_then(|n| n.parse().ok()).unwrap_or(imports::ROWS),
                args.get(4).and_then(|n| n.parse().ok()).unwrap_or(imports::UNSPREAD_ROWS),
            )
        }
        "scale" => {
            machine();
            scale::scale(
                args.get(2).and_then(|n| n.parse().ok()).unwrap_or(scale::FACTOR),
                args.get(3).and_then(|n| n.parse().ok()).unwrap_or(scale::SECONDS),
                args.get(4).and_then(|n| n.parse().ok()).unwrap_or(scale::MULTIPLE),
            )
        }
        "all" => {
            machine();
            import();
            send(3000, 20);
            report();
            sizes();
            init::init();
            submit::submit();
            calls::calls();
        }
        other => {
            eprintln!("unknown benchmark {other:?}; use: all | import | send [contacts] [rate] | report | sizes | init | submit | calls | partition [factor] [submissions] [respondents] [shards] | scale [factor] [seconds] [multiple] | import-e2e [factor] [rows] [unspread rows] | machine");
            std::process::exit(2);
        }
    }
}

fn workspace() -> PathBuf {
    pulse_local::workspace_root()
}

fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0)))
        .unwrap_or(0);
    println!("machine: {cpu}, {cores} cores, {:.0} GiB; {}", mem as f64 / 1_048_576.0, std::env::consts::ARCH);
}

/// A contact file of about `mb` MB: realistic rows with an operational
/// field, one duplicate in 50 rows and one invalid address in 100.
fn contact_file(mb: u64) -> PathBuf {
    let dir = workspace().join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    let path = dir.join(format!("contacts-{mb}MB.csv"));
    if path.metadata().is_ok_and(|m| m.len() >= mb * 1_048_576) {
        return path;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("bench file"));
    let target = mb * 1_048_576;
    let mut written = 0u64;
    let header = "Email,FirstName,LastName,Business Unit,Notes\r\n";
    out.write_all(header.as_bytes()).unwrap();
    written += header.len() as u64;
    let mut i = 0u64;
    while written < target {
        let email = match i % 100 {
            0 if i > 0 => format!("invalid-address-{i}"),
            50 => format!("Person.{}@Example-Shop.fi", i - 7),
            _ => format!("person.{i}@example-shop.fi"),
        };
        let row = format!("{email},Firstname{i},\"Lastname, {i}\",Unit {},Customer since {}\r\n", i % 13, 2000 + i % 25);
        out.write_all(row.as_bytes()).unwrap();
        written += row.len() as u64;
        i += 1;
    }
    out.flush().unwrap();
    path
}

fn import() {
    println!("\ncontact import, parse + validate (pass 1), one thread, median of 5 runs, beside a Python csv + regex pass and a line count of the same file:");
    println!(
        "{:>8} {:>10} {:>10} {:>9} {:>11} {:>10} {:>10} {:>11} {:>12}",
        "file", "rows", "seconds", "MB/s", "peak RSS MB", "Python s", "× Python", "wc -l s", "÷ wc -l"
    );
    let me = std::env::current_exe().expect("own path");
    let python = std::env::var("PULSE_PYTHON").unwrap_or_else(|_| "python3".into());
    let baseline = workspace().join("infra/import_baseline.py");
    for mb in SIZES_MB {
        let path = contact_file(mb);
        // each run in a fresh process, the three side by side in turn
        let (mut ours, mut theirs, mut lines) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..5 {
            let f = child_fields(Command::new(&me).arg("import-child").arg(&path));
            ours.push((f[0], f[1], f[2], f[3]));
            let f = child_fields(Command::new(&python).arg(&baseline).arg(&path));
            theirs.push(f[4]);
            let wall = Instant::now();
            child_fields(Command::new("wc").arg("-l").arg(&path));
            lines.push(wall.elapsed().as_secs_f64());
        }
        ours.sort_by(|a, b| a.2.total_cmp(&b.2));
        let (bytes, rows, secs, rss_kb) = ours[ours.len() / 2];
        let (python_s, wc_s) = (median(&mut theirs), median(&mut lines));
        println!(
            "{:>6}MB {:>10} {:>10.3} {:>9.0} {:>11.1} {:>10.3} {:>10.1} {:>11.4} {:>12.1}",
            mb,
            rows,
            secs,
            bytes / 1_048_576.0 / secs,
            rss_kb / 1024.0,
            python_s,
            python_s / secs,
            wc_s,
            secs / wc_s
        );
    }
    println!("  (× Python: how many times faster than the Python pass; ÷ wc -l: how many times slower than counting the lines)");
}

/// A child process's whitespace-separated numbers on stdout; its failure ends the benchmark.
fn child_fields(command: &mut Command) -> Vec<f64> {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    if !out.status.success() {
        eprintln!("{command:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        std::process::exit(1);
    }
    String::from_utf8_lossy(&out.stdout).split_whitespace().filter_map(|f| f.parse().ok()).collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Runs pass 1 over a file; prints `bytes rows seconds peak_rss_kb` (wall
/// time of the single-threaded pass, file reads included).
fn import_child(path: &Path) {
    let mut file = std::fs::File::open(path).expect("bench file");
    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let fields = vec!["Business Unit".to_string()];
    let mut parser = Parser::new(&path.to_string_lossy(), &fields);
    let mut tally = Tally::new(std::io::sink()).expect("tally");
    let mut chunk = vec![0u8; 64 * 1024];
    let wall = Instant::now();
    {
        let mut sink = |found: Found| {
            if let Found::Row(r) = found {
                tally.row(&r, |_| false).expect("sink");
            }
        };
        loop {
            let n = file.read(&mut chunk).expect("read");
            if n == 0 {
                break;
            }
            parser.push(&chunk[..n], &mut sink).expect("valid file");
        }
        parser.finish(&mut sink).expect("valid file");
    }
    let (counts, _, _) = tally.finish().expect("tally");
    let secs = wall.elapsed().as_secs_f64();
    println!("{bytes} {} {secs} {}", counts.rows_read, peak_rss_kb());
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn sizes() {
    println!("\nrelease Lambda artifacts (arm64, target/lambda/<function>/bootstrap):");
    let dir = workspace().join("target/lambda");
    let mut found = false;
    for f in stack::functions().iter().map(|f| &f.binary) {
        match std::fs::metadata(dir.join(f).join("bootstrap")) {
            Ok(m) => {
                found = true;
                println!("{f:>20} {:>8.2} MB", m.len() as f64 / 1_048_576.0);
            }
            Err(_) => println!("{f:>20} not built"),
        }
    }
    if !found {
        println!("  (build them with ./infra/build-lambdas.sh)");
    }
}

/// User + system CPU seconds of this process so far (`/proc/self/stat`).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn send(contacts: usize, rate: u32) {
    println!("\ndistribution of {contacts} contacts at a configured {rate} emails/s (local stack on the emulator):");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Err(e) = runtime.block_on(send_run(contacts, rate)) {
        eprintln!("the send benchmark failed: {e}");
        std::process::exit(1);
    }
}

async fn send_run(contacts: usize, rate: u32) -> Result<(), String> {
    let mut options = stack::options();
    options.parameter_overrides.insert("SesSendRate".into(), rate.to_string());
    let bench = stack::Bench::start(options).await?;
    let project =
        bench.open_project("quick_check_in", serde_json::json!({ "organisation_name": "Bench Oy", "business_type": "B2C" })).await?;
    let list = bench.import(&project.id, stack::contact_csv(contacts, &[])).await?;
    let cpu0 = cpu_seconds();
    let wall = Instant::now();
    let done = bench.distribute(&project.id, &list, &["en"]).await?;
    let cpu = cpu_seconds() - cpu0;
    let secs = wall.elapsed().as_secs_f64();
    let out = bench
        .stack
        .aws
        .dynamodb
        .query()
        .table_name(&bench.stack.configs["send-distribution"].core_table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S("RATE#ses".into()))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let windows: Vec<(u64, u64)> = out
        .items()
        .iter()
        .filter_map(|i| {
            let second = i.get("sk")?.as_s().ok()?.strip_prefix("WINDOW#")?.parse().ok()?;
            Some((second, i.get("sent")?.as_n().ok()?.parse().ok()?))
        })
        .collect();
    let sent = done["counts"]["sent"].as_u64().unwrap_or(0);
    let first = windows.iter().map(|w| w.0).min().unwrap_or(0);
    let last = windows.iter().map(|w| w.0).max().unwrap_or(0);
    // the first and last seconds are partial: the rate is measured between them
    let inner: u64 = windows.iter().filter(|w| w.0 > first && w.0 < last).map(|w| w.1).sum();
    let inner_secs = last.saturating_sub(first).saturating_sub(1).max(1);
    let busiest = windows.iter().map(|w| w.1).max().unwrap_or(0);
    println!("  sent {sent} of {contacts} in {secs:.1} s (distribution created to done)");
    println!(
        "  achieved rate {:.2}/s over the {inner_secs} full seconds between the first and the last (configured {rate}/s; {:+.1} %)",
        inner as f64 / inner_secs as f64,
        (inner as f64 / inner_secs as f64 / f64::from(rate) - 1.0) * 100.0
    );
    println!("  busiest second: {busiest} emails");
    println!("  CPU of handlers + local stack: {:.2} ms per invitation ({cpu:.1} s in all)", cpu * 1000.0 / sent.max(1) as f64);
    bench.stop().await;
    Ok(())
}

const REPORT_SIZES: [u64; 3] = [1_000, 100_000, 1_000_000];
const REPORT_DAYS: i64 = 90;
const SEGMENT_VALUES: u64 = 10;

fn report() {
    println!("\nreport generation from aggregates ({REPORT_DAYS} days, 2 fields x {SEGMENT_VALUES} values; median of 5 runs):");
    println!("{:>12} {:>10} {:>12} {:>12} {:>10} {:>10}", "responses", "buckets", "reads ms", "compute ms", "html ms", "html KB");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Err(e) = runtime.block_on(report_run()) {
        eprintln!("the report benchmark failed: {e}");
        std::process::exit(1);
    }
}

/// Counters of `n` responses spread over the scales the way a typical
/// pulse looks (more promoters than detractors).
fn spread(n: u64) -> pulse_shared::domain::report::Counters {
    let mut c = pulse_shared::domain::report::Counters::new();
    let share = |weights: &[u64], i: usize| n * weights[i] / weights.iter().sum::<u64>();
    let nps_w = [2, 1, 1, 1, 2, 3, 4, 8, 10, 12, 14];
    for (v, _) in nps_w.iter().enumerate() {
        c.insert(format!("nps.{v}"), share(&nps_w, v));
    }
    let csat_w = [1, 2, 4, 8, 6];
    for v in 0..5 {
        c.insert(format!("csat.{}", v + 1), share(&csat_w, v));
    }
    let ces_w = [1, 1, 2, 3, 5, 6, 4];
    for v in 0..7 {
        c.insert(format!("ces.{}", v + 1), share(&ces_w, v));
    }
    c.insert("n".into(), n);
    c.insert("personal".into(), n * 2 / 3);
    c.insert("invited".into(), n * 3);
    c
}

async fn report_run() -> Result<(), String> {
    use pulse_shared::domain::report::{Dimension, Period, Request};
    let stack = stack::Bench::start(stack::options()).await?.stack;
    let sdk = pulse_shared::store::emulator_sdk_config(&stack.emulator_url).await;
    let aws = &pulse_shared::store::Aws::new(&sdk, stack.configs["generate-report"].clone());
    let fields = ["Region".to_string(), "Business Unit".to_string()];
    let to = time::OffsetDateTime::now_utc().date();
    let from = to - time::Duration::days(REPORT_DAYS - 1);
    for total in REPORT_SIZES {
        let settings: pulse_shared::domain::project::Settings = serde_json::from_value(serde_json::json!({
            "organisation_name": "Bench Oy", "business_type": "B2C", "operational_fields": fields }))
        .map_err(|e| e.to_string())?;
        let settings = settings.normalise().map_err(|e| e.message)?;
        let id = format!("bench-{total}");
        let def = pulse_shared::domain::survey::generate(&id, pulse_shared::domain::project::Kind::QuickCheckIn, &settings, 1);
        let per_day = total / REPORT_DAYS as u64;
        let mut buckets = 0;
        for d in 0..REPORT_DAYS {
            let day = from + time::Duration::days(d);
            aws.seed_bucket(&id, day, None, &spread(per_day)).await.map_err(|e| e.to_string())?;
            buckets += 1;
            for f in &fields {
                let dim = Dimension::Field(f.clone());
                for v in 0..SEGMENT_VALUES {
                    aws.seed_bucket(&id, day, Some((&dim, &format!("Value {v}"))), &spread(per_day / SEGMENT_VALUES))
                        .await
                        .map_err(|e| e.to_string())?;
                    buckets += 1;
                }
            }
        }
        let request = Request {
            from: pulse_shared::domain::report::day_text(from),
            to: pulse_shared::domain::report::day_text(to),
            period: Period::Week,
            segments: fields.iter().cloned().map(Dimension::Field).collect(),
            min_responses: pulse_shared::domain::report::MIN_RESPONSES,
            filter: None,
        };
        let pfrom = request.previous_range()?.0;
        let mut runs = Vec::new();
        let mut html_len = 0;
        for _ in 0..5 {
            // the reads (on the emulator), the computation, the rendering
            let t0 = Instant::now();
            let totals = aws.day_buckets(&id, pfrom, to).await.map_err(|e| e.to_string())?;
            let mut segments = Vec::new();
            for dim in &request.segments {
                segments.push((dim.clone(), aws.segment_buckets(&id, dim, from, to).await.map_err(|e| e.to_string())?));
            }
            let texts = aws.report_texts(&id, from, to, 200).await.map_err(|e| e.to_string())?;
            let t1 = Instant::now();
            let f = pulse_shared::domain::report::figures(pulse_shared::domain::report::Inputs {
                project_id: &id,
                definition: &def,
                request: &request,
                totals: &totals,
                segments: &segments,
                texts,
                generated_at: "bench",
            })?;
            let t2 = Instant::now();
            let html = pulse_shared::render::dashboard::html_in(&f, &def, pulse_shared::domain::i18n::Lang::En);
            let t3 = Instant::now();
            html_len = html.len();
            if f.headline.responses < total * 9 / 10 {
                return Err(format!("the figures hold {} responses, expected about {total}", f.headline.responses));
            }
            let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
            runs.push((ms(t0, t1), ms(t1, t2), ms(t2, t3)));
        }
        let median = |pick: fn(&(f64, f64, f64)) -> f64| {
            let mut v: Vec<f64> = runs.iter().map(pick).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "{total:>12} {buckets:>10} {:>12.0} {:>12.2} {:>10.2} {:>10.1}",
            median(|r| r.0),
            median(|r| r.1),
            median(|r| r.2),
            html_len as f64 / 1024.0
        );
    }
    stack.stop().await;
    Ok(())
}
