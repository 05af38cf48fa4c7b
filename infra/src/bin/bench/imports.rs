//! `pulse-bench import-e2e [factor] [rows] [unspread rows]`: a contact file
//! imported through the whole local stack (presigned upload, the S3 event,
//! both passes of `import-contacts`, the list made ready) under the
//! emulator's partition model at 1/`factor`, twice in one run:
//!
//! * with the directory's key design before issue #21 (every contact of the
//!   project under one partition key, every member of the list under
//!   another: the adapter with one directory shard), on `unspread rows`;
//! * with the contacts and members spread over
//!   [`pulse_shared::domain::directory::SHARDS`] keys each, on `rows`.
//!
//! Every limit of the model is DynamoDB's divided by `factor`, so `rows`
//! rows at 1/`factor` meet the partitions as `rows × factor` rows do at
//! DynamoDB's own limits, in the same time (while the partitions, not this
//! machine, bound the import). The defaults, 50,000 rows at 1/20, stand for
//! a 1,000,000-row file; the design before gets a tenth of that, since at
//! about 1,000 rows a second (scaled) the whole file would take over a
//! quarter of an hour. Its rate is the figure to compare.

use std::sync::Arc;
use std::time::Instant;

use pulse_local::ClientHook;
use reqwest::Method;
use serde_json::{json, Value};

use super::partition::{model, model_state, partitions};
use super::stack::{self, Bench};

pub const FACTOR: f64 = 20.0;
pub const ROWS: usize = 50_000;
pub const UNSPREAD_ROWS: usize = 5_000;

pub fn import_e2e(factor: f64, rows: usize, unspread_rows: usize) {
    println!(
        "\na contact file imported through the local stack under the partition model at 1/{factor} \
         (upload to list ready; {rows} rows stand for {:.0} at DynamoDB's limits):",
        rows as f64 * factor
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Err(e) = runtime.block_on(run(factor, rows, unspread_rows)) {
        eprintln!("the import benchmark failed: {e}");
        std::process::exit(1);
    }
}

/// One import's outcome.
struct Outcome {
    seconds: f64,
    rows: usize,
}

impl Outcome {
    fn rate(&self) -> f64 {
        self.rows as f64 / self.seconds.max(1e-9)
    }
}

async fn run(factor: f64, rows: usize, unspread_rows: usize) -> Result<(), String> {
    let unspread = once(factor, unspread_rows, 1).await?;
    let spread = once(factor, rows, pulse_shared::domain::directory::SHARDS).await?;
    let at_limits = |o: &Outcome| o.rate() * factor;
    println!(
        "  at DynamoDB's limits (× {factor}): one key each {:.0} rows/s, spread {:.0} rows/s; spread / one key each = {:.2}",
        at_limits(&unspread),
        at_limits(&spread),
        spread.rate() / unspread.rate()
    );
    let million = |o: &Outcome| 1_000_000.0 / at_limits(o) / 60.0;
    println!(
        "  a 1,000,000-row file: {:.1} min spread, {:.1} min with one key each (at each run's rate)",
        million(&spread),
        million(&unspread)
    );
    Ok(())
}

/// Imports `rows` contacts into a new project on a new stack whose
/// functions spread the directory over `shards` keys.
async fn once(factor: f64, rows: usize, shards: u32) -> Result<Outcome, String> {
    let mut options = stack::options();
    options.client_hook = Some(ClientHook(Arc::new(move |_, mut aws| {
        aws.directory_shards = shards;
        aws
    })));
    let bench = Bench::start(options).await?;
    let fields = ["Region"];
    let settings = json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"], "operational_fields": fields });
    let project = bench.open_project("quick_check_in", settings).await?;
    let file = stack::contact_csv(rows, &fields);
    let bytes = file.len();
    // the model on for the import alone, every counter anew
    model(&bench, Some(factor)).await?;
    let started = Instant::now();
    let list_id = bench.import(&project.id, file).await?;
    let seconds = started.elapsed().as_secs_f64();
    let state: Value = model_state(&bench).await?;
    // every member read back through the admin API, the model off again
    model(&bench, None).await?;
    let mut members = std::collections::HashSet::new();
    let mut after: Option<String> = None;
    loop {
        let query = after
            .as_deref()
            .map(|a| format!("?after={}", percent_encoding::utf8_percent_encode(a, percent_encoding::NON_ALPHANUMERIC)))
            .unwrap_or_default();
        let page = bench.admin(Method::GET, &format!("/admin/projects/{}/lists/{list_id}/contacts{query}", project.id), None).await?;
        members.extend(page["contacts"].as_array().into_iter().flatten().filter_map(|c| c["email_key"].as_str().map(str::to_string)));
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => break,
        }
    }
    let stored = members.len() as u64;
    let design = if shards == 1 { "one key each (the design before)".to_string() } else { format!("spread over {shards} keys each") };
    println!(
        "  {design}: {rows} rows ({:.1} MB) in {seconds:.1} s = {:.0} rows/s; its {stored} members read back{}",
        bytes as f64 / 1_048_576.0,
        rows as f64 / seconds,
        if stored == rows as u64 { " (every row)" } else { " (NOT every row)" }
    );
    partitions(&state, factor);
    bench.stop().await;
    if stored != rows as u64 {
        return Err(format!("{stored} members read back, not {rows}"));
    }
    Ok(Outcome { seconds, rows })
}
