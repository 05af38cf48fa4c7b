//! A Salesforce sync's run (rules: `pulse_shared::domain::b2b::salesforce`).
//!
//! 1. **Claim** the run (its id: the scheduled slot's, or the one "run
//!    now" gave), with the watermark: the start of the last run that
//!    loaded everything (none: a first run reads every row).
//! 2. **Fetch** Account, then Contact, then AccountTeamMember through
//!    `queryAll` (deleted rows too), only rows changed after the
//!    watermark, page by page; each object's rows become the CSV the
//!    manual import reads (the project's own column names), kept under
//!    `salesforce/<project>/<run>/`. Any failure here — credentials
//!    refused, a field the org lacks, Salesforce still busy after its
//!    retries — fails the run with its reason **before anything is
//!    loaded**, so the previous runs' data stay as they were and the
//!    watermark does not move.
//! 3. **Load** the files as the drop folder's are: accounts, contacts, team
//!    members through the manual imports' own code (lists of new contacts,
//!    automatic distribution, rejected rows' reports), then record the run.

#[allow(unused_imports)]
use pulse_shared::ports::*;

use pulse_shared::domain::b2b::salesforce::{self as sf, Fetched, SalesforceRun, SalesforceSecret};
use pulse_shared::domain::b2b::sync::{self, RunFile, RunState, SyncConfig, SyncRun, Trigger};
use pulse_shared::domain::mail::mask_addresses;
use pulse_shared::domain::project::Project;
use pulse_shared::store::salesforce::Salesforce;
use pulse_shared::{App, Error};
use serde_json::{json, Value};

/// Where a run keeps the rows it fetched until they are loaded.
pub const FETCHED_PREFIX: &str = "salesforce/";

/// Runs the project's Salesforce sync as the run `run_id`.
pub(crate) async fn execute<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    bucket: &str,
    project: &Project,
    config: &SyncConfig,
    trigger: Trigger,
    run_id: String,
    deadline_ms: u64,
) -> Result<Value, Error> {
    let now = app.clock.now();
    let now_ms = app.clock.now_ms();
    let Some(settings) = config.settings.salesforce.clone() else {
        let run =
            SyncRun::refused(&project.id, run_id, trigger, "the sync's source is salesforce but its org is not set".into(), vec![], &now);
        return super::record_refusal(app, run).await;
    };
    let runs = app.aws.sync_runs(&project.id).await?;
    let since = sync::watermark(&runs);
    // an earlier attempt of this very run that fetched everything already
    let fetched_before = runs.iter().find(|r| r.id == run_id && r.state == RunState::Running && !r.files.is_empty()).cloned();
    let mut run = SyncRun {
        project_id: project.id.clone(),
        id: run_id,
        trigger,
        state: RunState::Running,
        reason: None,
        files: Vec::new(),
        ignored: Vec::new(),
        new_contacts: 0,
        list_id: None,
        distribution_id: None,
        new_list: config.settings.new_list,
        distribute: config.settings.distribute,
        started_at: now.clone(),
        finished_at: None,
        lease_until_ms: super::lease_until(now_ms, deadline_ms),
        salesforce: Some(SalesforceRun { since: since.clone(), ..SalesforceRun::default() }),
    };
    if let Some(before) = &fetched_before {
        run.started_at = before.started_at.clone();
        run.files = before.files.clone();
        run.salesforce = before.salesforce.clone();
        run.new_contacts = before.new_contacts;
        run.list_id = before.list_id.clone();
        run.distribution_id = before.distribution_id.clone();
    }
    match app.aws.begin_run(&run, now_ms).await? {
        Begun::Claimed => {}
        Begun::Held(other) => return Ok(json!({ "run_id": other.id, "status": "running", "reason": "another invocation runs it" })),
        Begun::Ended(before) => return Ok(json!({ "run_id": before.id, "status": "already_done", "state": before.state })),
    }
    if fetched_before.is_none() {
        match fetch(app, project, &settings, &mut run).await {
            Ok(Ok(())) => app.aws.save_run(&run).await?,
            Ok(Err(reason)) => return fail(app, run, reason).await,
            Err(e) => {
                // an AWS error: the run is given back at once for the retry,
                // which fetches again (nothing was loaded)
                run.lease_until_ms = 0;
                if let Err(save) = app.aws.save_run(&run).await {
                    tracing::warn!(error = %pulse_shared::error::chain(&save), "the run's lease could not be given back");
                }
                return Err(e);
            }
        }
    }
    super::finish(app, bucket, project, run, deadline_ms).await
}

/// Ends a run that loaded nothing, with its reason, logged as the failure
/// it is (no record, name or address in the line: Salesforce's message
/// names fields and objects).
async fn fail<S: Syncs>(app: &App<S>, mut run: SyncRun, reason: String) -> Result<Value, Error> {
    run.state = RunState::Failed;
    run.reason = Some(reason.clone());
    run.finished_at = Some(app.clock.now());
    run.lease_until_ms = 0;
    app.aws.save_run(&run).await?;
    tracing::error!(project_id = %run.project_id, run_id = %run.id, source = "salesforce", reason = %mask_addresses(&reason), "B2B sync run failed");
    Ok(json!({ "run_id": run.id, "status": "failed", "reason": reason, "salesforce": run.salesforce }))
}

/// Fetches the three objects into the run's files. `Ok(Err(reason))`: the
/// run fails for `reason`, nothing having been loaded.
async fn fetch<S: Files + Secrets>(
    app: &App<S>,
    project: &Project,
    settings: &sf::SalesforceSettings,
    run: &mut SyncRun,
) -> Result<Result<(), String>, Error> {
    let Some(raw) = app.aws.get_secret(&project.id).await? else {
        return Ok(Err(format!(
            "no connected-app secret is set for this project: store it with PUT /admin/projects/{}/b2b/sync/secret (or the console's sync page)",
            project.id
        )));
    };
    let secret: SalesforceSecret = match serde_json::from_str(&raw) {
        Ok(s) => s,
        Err(_) => return Ok(Err("the stored connected-app secret cannot be read; store it again".into())),
    };
    let mut client = match Salesforce::new(settings.clone(), secret) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let since = run.salesforce.as_ref().and_then(|s| s.since.clone());
    let imports = &project.settings.b2b_import;
    let mut files = Vec::new();
    let mut objects = Vec::new();
    let mut outcome = Ok(());
    for (kind, object) in sf::OBJECTS {
        let soql = settings.soql(kind, since.as_deref());
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut deleted = 0;
        let pages = client
            .query_all(object, &soql, |record| {
                if sf::cell(record, "IsDeleted") == "true" {
                    deleted += 1;
                }
                rows.push(settings.row(kind, record));
            })
            .await;
        let pages = match pages {
            Ok(p) => p,
            Err(e) => {
                outcome = Err(format!("{object}: {e}"));
                break;
            }
        };
        objects.push(Fetched { object: object.to_string(), records: rows.len() as u64, deleted, pages });
        if rows.is_empty() {
            continue; // nothing changed: no file (a header alone is no file)
        }
        let folder = sync::folder(kind);
        let key = format!("{FETCHED_PREFIX}{}/{}/{folder}.csv", project.id, run.id);
        app.aws.put_object(&key, "text/csv; charset=utf-8", sf::csv(&settings.header(kind, imports), &rows)).await?;
        let etag = app.aws.head(&app.config.data_bucket, &key).await?.map(|(_, e)| e).unwrap_or_default();
        files.push(RunFile::new(kind, key, format!("{object}.csv"), etag, &run.id));
    }
    let record = run.salesforce.get_or_insert_with(SalesforceRun::default);
    record.objects = objects;
    record.tokens = client.tokens;
    record.retries = client.retries;
    if outcome.is_err() {
        // fetched rows of the objects before are not loaded: removed again
        for f in &files {
            app.aws.delete_object(&f.key).await?;
        }
        return Ok(outcome);
    }
    run.files = files;
    Ok(Ok(()))
}
