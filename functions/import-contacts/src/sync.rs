//! The automated B2B sync's runs (rules: `pulse_shared::domain::b2b::sync`).
//!
//! Started by the S3 event of a file written to a project's drop folder
//! (`sync/<project>/{accounts,contacts,team}/<file>`), which runs once all
//! three kinds are there, and by the scheduled tick, which runs whatever is
//! there when a project's slot comes. Either way:
//!
//! 1. **Plan**: the folder is listed; one file per kind, keys that are no
//!    file of a run are ignored with their reason. The run's id comes from
//!    the files' keys and ETags.
//! 2. **Claim**: the run record is created (or taken over once the lease of
//!    an invocation that died ended). A run that ended before — the same
//!    files again — changes nothing: its files are removed again.
//! 3. **Import**: accounts, then contacts, then team members, each through
//!    the manual uploads' import (the same validation, rejected rows'
//!    report, idempotent writes, list of new contacts and automatic
//!    distribution), as the upload `sync-<run>-<kind>`: a retried run
//!    finds each import done or resumes it.
//! 4. **Record**: each file's counts, rejected rows, warnings or error;
//!    the new contacts, their list and distribution; the run `done`,
//!    `partial` or `failed`. The files are removed (their rows are stored;
//!    the report keeps the rejected ones).

#[allow(unused_imports)]
use pulse_shared::ports::*;

use pulse_shared::domain::b2b::sync::{self, DropFile, Listed, RunFile, RunState, SyncConfig, SyncRun, SyncSource, Trigger};
use pulse_shared::domain::b2b::B2bKind;
use pulse_shared::domain::mail::mask_addresses;
use pulse_shared::domain::upload::UploadRef;
use pulse_shared::{App, Error};
use serde_json::{json, Value};

use super::{import_object, Options};

mod salesforce;

/// A run someone asked for ("run now"): the project's sync runs at once,
/// whatever its schedule, as the run `run_id` (a Salesforce run; a drop
/// folder's run takes its id from its files).
pub(crate) async fn run_now<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    bucket: &str,
    project_id: &str,
    run_id: &str,
    deadline_ms: u64,
) -> Result<Value, Error> {
    let Some(project) = app.aws.get_project(project_id).await? else {
        return Ok(json!({ "project_id": project_id, "status": "refused", "reason": "there is no such project" }));
    };
    let Some(config) = app.aws.get_sync(project_id).await? else {
        return Ok(json!({ "project_id": project_id, "status": "refused", "reason": "the project has no sync" }));
    };
    match config.settings.source {
        SyncSource::DropFolder => execute(app, bucket, &project, &config, Trigger::Manual, deadline_ms).await,
        SyncSource::Salesforce => {
            salesforce::execute(app, bucket, &project, &config, Trigger::Manual, run_id.to_string(), deadline_ms).await
        }
    }
}

/// How long a claimed run is held when the invocation's deadline is unknown.
const LEASE_MS: u64 = 15 * 60 * 1000;

/// Until when a run claimed now is held: the invocation's deadline.
fn lease_until(now_ms: u64, deadline_ms: u64) -> u64 {
    if deadline_ms > now_ms {
        deadline_ms
    } else {
        now_ms + LEASE_MS
    }
}

/// A file written to a drop folder.
pub(crate) async fn on_drop<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    bucket: &str,
    key: &str,
    deadline_ms: u64,
) -> Result<Value, Error> {
    let Some(project_id) = DropFile::project_of(key) else {
        tracing::error!(key, "a file outside any project's drop folder; nothing imported");
        return Ok(json!({ "key": key, "status": "refused", "reason": "the key names no project folder" }));
    };
    let Some(project) = app.aws.get_project(project_id).await? else {
        tracing::error!(key, project_id, "a file in the drop folder of a project that does not exist; nothing imported");
        return Ok(json!({ "key": key, "status": "refused", "reason": format!("there is no project {project_id:?}") }));
    };
    let now = app.clock.now();
    let refuse = |reason: String, etag: &str| {
        let id = sync::run_id(&[("refused", key), ("etag", etag)]);
        SyncRun::refused(&project.id, id, Trigger::Drop, reason, Vec::new(), &now)
    };
    let etag = match app.aws.head(bucket, key).await? {
        Some((_, etag)) => etag,
        None => return Ok(json!({ "key": key, "status": "gone" })),
    };
    if let Err(e) = DropFile::from_key(key) {
        // a file no run takes: said on a run of its own, nothing imported
        let run = refuse(e.to_string(), &etag);
        return record_refusal(app, run).await;
    }
    let Some(config) = app.aws.get_sync(&project.id).await? else {
        let run = refuse(
            format!("{key}: project {} has no drop-folder sync; set it up (PUT /admin/projects/{}/b2b/sync)", project.id, project.id),
            &etag,
        );
        return record_refusal(app, run).await;
    };
    if config.settings.source == SyncSource::Salesforce {
        let run = refuse(
            format!("{key}: project {} syncs from Salesforce; files in its drop folder are not imported (set the source to drop_folder to use them)", project.id),
            &etag,
        );
        return record_refusal(app, run).await;
    }
    if !config.settings.enabled {
        tracing::info!(key, "the project's sync is off; the file waits in the folder");
        return Ok(json!({ "key": key, "status": "waiting", "reason": "the sync is off" }));
    }
    execute(app, bucket, &project, &config, Trigger::Drop, deadline_ms).await
}

/// Stores a run that failed before importing anything (once: its id is
/// the file's), and logs it as the failure it is.
async fn record_refusal<S: Syncs>(app: &App<S>, run: SyncRun) -> Result<Value, Error> {
    let reason = run.reason.clone().unwrap_or_default();
    match app.aws.begin_run(&run, app.clock.now_ms()).await? {
        Begun::Claimed => {
            tracing::error!(project_id = %run.project_id, run_id = %run.id, reason = %mask_addresses(&reason), "B2B sync run failed");
        }
        Begun::Held(_) | Begun::Ended(_) => {}
    }
    Ok(json!({ "run_id": run.id, "status": "failed", "reason": reason }))
}

/// The scheduled tick: every enabled sync whose slot has come runs once.
pub(crate) async fn tick<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    bucket: &str,
    deadline_ms: u64,
) -> Result<Value, Error> {
    let mut runs = Vec::new();
    for config in app.aws.syncs().await? {
        let Some(schedule) = config.settings.schedule.as_ref().filter(|_| config.settings.enabled) else { continue };
        let Some(project) = app.aws.get_project(&config.project_id).await? else { continue };
        let tz = project.settings.time_zone();
        let Some(slot) = sync::due_slot(schedule, config.last_slot.as_deref(), app.clock.now_ms(), tz) else { continue };
        if !app.aws.claim_slot(&project.id, config.last_slot.as_deref(), &slot).await? {
            continue; // another tick has it
        }
        tracing::info!(project_id = %project.id, slot, "scheduled B2B sync");
        let ran = match config.settings.source {
            SyncSource::DropFolder => execute(app, bucket, &project, &config, Trigger::Schedule, deadline_ms).await,
            SyncSource::Salesforce => {
                let id = sync::run_id(&[("salesforce", project.id.as_str()), ("slot", slot.as_str())]);
                salesforce::execute(app, bucket, &project, &config, Trigger::Schedule, id, deadline_ms).await
            }
        };
        match ran {
            Ok(v) => runs.push(v),
            Err(e) => {
                // the other projects' syncs still run; this one is logged
                tracing::error!(project_id = %project.id, error = %mask_addresses(&pulse_shared::error::chain(&e)), "scheduled B2B sync failed");
                runs.push(json!({ "project_id": project.id, "status": "error", "reason": e.to_string() }));
            }
        }
    }
    Ok(json!({ "runs": runs }))
}

/// Plans, claims and runs the folder's files.
async fn execute<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    bucket: &str,
    project: &pulse_shared::domain::project::Project,
    config: &SyncConfig,
    trigger: Trigger,
    deadline_ms: u64,
) -> Result<Value, Error> {
    let prefix = format!("{}{}/", sync::SYNC_PREFIX, project.id);
    let listing: Vec<Listed> = app.aws.list_objects(&prefix).await?.into_iter().map(|(key, etag)| Listed { key, etag }).collect();
    let now = app.clock.now();
    let plan = match sync::plan(&project.id, &listing) {
        Ok(p) => p,
        Err(reason) => {
            let parts: Vec<(&str, &str)> = listing.iter().map(|l| (l.key.as_str(), l.etag.as_str())).collect();
            let run = SyncRun::refused(&project.id, sync::run_id(&parts), trigger, reason, Vec::new(), &now);
            return record_refusal(app, run).await;
        }
    };
    if plan.files.is_empty() || (trigger == Trigger::Drop && !plan.complete()) {
        let present: Vec<&str> = plan.files.iter().map(|f| sync::folder(f.kind)).collect();
        return Ok(json!({ "project_id": project.id, "status": "waiting", "present": present }));
    }
    let now_ms = app.clock.now_ms();
    let lease = lease_until(now_ms, deadline_ms);
    let files: Vec<RunFile> =
        plan.files.iter().map(|f| RunFile::new(f.kind, f.key.clone(), f.file_name.clone(), f.etag.clone(), &plan.id)).collect();
    let run = SyncRun {
        project_id: project.id.clone(),
        id: plan.id.clone(),
        trigger,
        state: RunState::Running,
        reason: None,
        files,
        ignored: plan.ignored.clone(),
        new_contacts: 0,
        list_id: None,
        distribution_id: None,
        new_list: config.settings.new_list,
        distribute: config.settings.distribute,
        started_at: now.clone(),
        finished_at: None,
        lease_until_ms: lease,
        salesforce: None,
    };
    match app.aws.begin_run(&run, now_ms).await? {
        Begun::Claimed => {}
        Begun::Held(other) => {
            return Ok(json!({ "run_id": other.id, "status": "running", "reason": "another invocation runs it" }));
        }
        Begun::Ended(before) => {
            // the same files again: nothing new; they leave the folder
            remove_files(app, bucket, &before.files).await?;
            tracing::info!(project_id = %project.id, run_id = %before.id, "these files were imported by an earlier run; nothing to do");
            return Ok(json!({ "run_id": before.id, "status": "already_done", "state": before.state }));
        }
    }
    finish(app, bucket, project, run, deadline_ms).await
}

/// Imports a claimed run's files in order, records how it ended, removes
/// the files and logs the outcome (a failed run as an error: the
/// template's `SyncRunFailed` alarm counts that line).
async fn finish<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    bucket: &str,
    project: &pulse_shared::domain::project::Project,
    mut run: SyncRun,
    deadline_ms: u64,
) -> Result<Value, Error> {
    match import_files(app, bucket, project, &mut run, deadline_ms).await {
        Ok(()) => {}
        Err(e) => {
            // free the run at once for Lambda's retry, which resumes it
            run.lease_until_ms = 0;
            if let Err(save) = app.aws.save_run(&run).await {
                tracing::warn!(error = %pulse_shared::error::chain(&save), "the run's lease could not be given back");
            }
            return Err(e);
        }
    }
    run.state = if run.files.is_empty() { RunState::Done } else { run.outcome() };
    if run.state == RunState::Failed {
        run.reason = run.failure();
    }
    run.finished_at = Some(app.clock.now());
    app.aws.save_run(&run).await?;
    remove_files(app, bucket, &run.files).await?;
    let summary = json!({
        "run_id": run.id, "status": run.state.as_str(), "new_contacts": run.new_contacts, "salesforce": run.salesforce,
        "distribution_id": run.distribution_id, "files": run.files.iter().map(|f| json!({ "kind": f.kind, "state": f.state, "rejected": f.counts.rejected })).collect::<Vec<_>>(),
    });
    match run.state {
        RunState::Failed => {
            tracing::error!(project_id = %project.id, run_id = %run.id, reason = %mask_addresses(&run.reason.clone().unwrap_or_default()), "B2B sync run failed")
        }
        RunState::Partial => {
            tracing::warn!(project_id = %project.id, run_id = %run.id, files = ?run.files.iter().map(|f| (f.kind, f.state.clone(), f.counts.rejected)).collect::<Vec<_>>(), "B2B sync run partial")
        }
        _ => tracing::info!(project_id = %project.id, run_id = %run.id, new_contacts = run.new_contacts, "B2B sync run done"),
    }
    Ok(summary)
}

/// Imports the run's files in order, saving the run after each.
async fn import_files<S: Files + Projects + Imports + Directory + Queue + Budgets + B2bAccounts + Distributions + Syncs + Secrets>(
    app: &App<S>,
    bucket: &str,
    project: &pulse_shared::domain::project::Project,
    run: &mut SyncRun,
    deadline_ms: u64,
) -> Result<(), Error> {
    let options = Options { list: run.new_list, distribute: run.distribute };
    for i in 0..run.files.len() {
        let f = run.files[i].clone();
        let upload = UploadRef {
            key: f.key.clone(),
            project_id: project.id.clone(),
            upload_id: f.upload_id.clone(),
            file_name: f.file_name.clone(),
        };
        let list_name = format!("B2B sync {} ({})", run.started_at.get(..16).unwrap_or(&run.started_at).replace('T', " "), f.file_name);
        let outcome = import_object(app, bucket, upload, Some(f.kind), list_name, options, deadline_ms).await?;
        let record = app.aws.get_import(&project.id, &f.upload_id).await?;
        let file = &mut run.files[i];
        match record {
            Some(r) if r.state.is_final() && r.etag.as_deref().is_none_or(|e| e == f.etag) => {
                file.state = Some(r.state.as_str().to_string());
                file.counts = r.counts;
                file.written = r.written;
                file.warnings = r.warnings;
                file.first_rejections = r.first_rejections;
                file.rejected_rows_csv = r.rejected_key;
                file.error = r.error;
            }
            _ => {
                // the file changed or went while the run read it
                file.state = Some("failed".into());
                file.error = Some(outcome.reason.unwrap_or_else(|| format!("the import ended {}", outcome.status)));
            }
        }
        if f.kind == B2bKind::Contacts && file.state.as_deref() == Some("done") {
            run.new_contacts = file.written;
            if run.new_list && file.written > 0 {
                run.list_id = Some(f.upload_id.clone());
                let auto = format!("auto-{}", f.upload_id);
                if app.aws.get_distribution(&project.id, &auto).await?.is_some() {
                    run.distribution_id = Some(auto);
                }
            }
        }
        app.aws.save_run(run).await?;
    }
    Ok(())
}

/// Removes a run's files from the folder, each only while it still holds
/// the bytes the run took (a newer file under the same name stays).
async fn remove_files<S: Files>(app: &App<S>, bucket: &str, files: &[RunFile]) -> Result<(), Error> {
    for f in files {
        if let Some((_, etag)) = app.aws.head(bucket, &f.key).await? {
            if etag.trim_matches('"') == f.etag.trim_matches('"') {
                app.aws.delete_object(&f.key).await?;
            }
        }
    }
    Ok(())
}
