//! B2B routes: the account report (per account and rolled up the parent
//! hierarchy, with health and churn risk) and its per-account sections
//! emailed to each account's team; the automated sync's settings and runs.

use pulse_shared::domain::b2b::{self, AccountReport, AccountView};
use pulse_shared::domain::ledger::Sent;
use pulse_shared::domain::report::{parse_day, Dimension};
#[allow(unused_imports)]
use pulse_shared::ports::*;
use pulse_shared::{http as web, App, Error};
use serde_json::json;
use time::{Date, Duration};

use crate::lookup::load;
use crate::routing::{Ctx, Json, Path, Query, Reply};

fn day(field: &str, v: Option<&str>, default: Date) -> Result<Date, Error> {
    match v {
        None => Ok(default),
        Some(t) => parse_day(t).ok_or_else(|| Error::bad_field(field, format!("{field}: {t:?} is not a day (YYYY-MM-DD)"))),
    }
}

/// Reads what the account report needs (stored accounts, team, the
/// `AccountId` segment's buckets: never responses) and builds it.
pub async fn account_report(app: &App, project_id: &str, from: Option<&str>, to: Option<&str>) -> Result<AccountReport, Error> {
    let today = pulse_shared::domain::report::day_of(&app.clock.now()).ok_or_else(|| Error::bad_request("the clock cannot be read"))?;
    let to = day("to", to, today)?;
    let from = day("from", from, to - Duration::days(27))?;
    if from > to || (to - from).whole_days() > pulse_shared::domain::report::MAX_RANGE_DAYS {
        return Err(Error::bad_field(
            "from",
            format!("from: the range must run forwards and span at most {} days", pulse_shared::domain::report::MAX_RANGE_DAYS),
        ));
    }
    let previous_from = from - Duration::days((to - from).whole_days() + 1);
    let accounts = app.aws.b2b_accounts(project_id).await?;
    let team = app.aws.b2b_team(project_id).await?;
    let buckets = app.aws.segment_buckets(project_id, &Dimension::Field("AccountId".into()), previous_from, to).await?;
    Ok(b2b::account_report(b2b::ReportInputs { project_id, from, to, previous_from, accounts: &accounts, team: &team, buckets }))
}

/// The account report: each B2B account's own and rolled-up NPS, CSAT, response rate, detractor share, trend, health score and churn-risk flag, from the AccountId segment's aggregates.
#[utoipa::path(get, path = "/admin/projects/{id}/accounts", tag = "b2b",
    params(("id" = String, Path, description = "The project"), ("from" = Option<String>, Query, description = "The first day (YYYY-MM-DD); 28 days before `to` if absent"),
        ("to" = Option<String>, Query, description = "The last day (YYYY-MM-DD); today if absent")),
    responses((status = 200, description = "The account report")))]
pub async fn accounts(Ctx(ref app): Ctx, Path(ref id): Path<String>, Query(ref query): Query) -> Reply {
    load(app, id).await?;
    let report = account_report(app, id, query.first("from"), query.first("to")).await?;
    Ok(web::json(200, &report))
}

/// An account's contacts (those not deleted), with their titles and client roles.
#[utoipa::path(get, path = "/admin/projects/{id}/accounts/{account}/contacts", tag = "b2b",
    params(("id" = String, Path, description = "The project"), ("account" = String, Path, description = "The account's id")),
    responses((status = 200, description = "{account, contacts}")))]
pub async fn account_contacts(Ctx(ref app): Ctx, Path((ref id, ref account)): Path<(String, String)>) -> Reply {
    load(app, id).await?;
    if !app.aws.b2b_accounts(id).await?.iter().any(|a| a.id == *account) {
        return Err(Error::not_found(format!("account {account} of project {id}")).into());
    }
    let mut contacts: Vec<_> = app.aws.b2b_contacts(id).await?.into_iter().filter(|c| c.account_id == *account && !c.deleted).collect();
    contacts.sort_by(|a, b| (&a.last_name, &a.first_name).cmp(&(&b.last_name, &b.first_name)));
    let contacts: Vec<_> = contacts
        .iter()
        .map(|c| json!({ "id": c.id, "email": c.email, "first_name": c.first_name, "last_name": c.last_name, "title": c.title, "role": c.role }))
        .collect();
    Ok(web::json(200, &json!({ "account": account, "contacts": contacts })))
}

/// Make each account's section of the account report (HTML in S3) and email its link once to each member of the account's team.
///
/// Deleted team members get nothing.
#[utoipa::path(post, path = "/admin/projects/{id}/accounts/report", tag = "b2b", params(("id" = String, Path, description = "The project")),
    responses((status = 200, description = "{report_id, from, to, sections, emailed (now), emailed_before (by an earlier call: not again)}")))]
pub async fn send_sections(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    let p = load(app, id).await?;
    let report = account_report(app, id, None, None).await?;
    let report_id = format!("accounts-{}", report.to);
    let mut sections = 0;
    let mut emailed = Vec::new();
    let mut emailed_before = Vec::new();
    for a in &report.accounts {
        let key = format!("reports/{id}/{report_id}/{}.html", a.id);
        let sub: Vec<&AccountView> = report.accounts.iter().filter(|x| a.children.contains(&x.id)).collect();
        let html = pulse_shared::render::accounts::section(
            p.settings.default_language(),
            &p.settings.organisation_name,
            &report.from,
            &report.to,
            a,
            &sub,
        );
        app.aws.put_object(&key, "text/html; charset=utf-8", html.into_bytes()).await?;
        sections += 1;
        if a.team.is_empty() {
            continue;
        }
        // Pulse's own link for the days the email promises (an S3 presigned
        // link signed with this function's session would die in hours)
        let token = pulse_shared::domain::links::new_token();
        let hashed = app.link_id(&token).await?;
        let expires_s = app.clock.now_ms() / 1000 + pulse_shared::render::mail::ACCOUNT_SECTION_LINK_DAYS * 86_400;
        app.aws.share_object(&hashed, &key, expires_s).await?;
        let url = format!("{}/shared/{token}", app.config.public_base_url);
        for member in &a.team {
            let email = pulse_shared::render::mail::account_section(
                p.settings.default_language(),
                &member.email,
                &p.settings.organisation_name,
                &a.name,
                &report.from,
                &report.to,
                &url,
                a.health.churn_risk,
            );
            let ledger = format!("{report_id}#{}#{}", a.id, member.email.to_lowercase());
            let who = json!({ "account_id": a.id, "email": member.email });
            match app.aws.send_once(id, &ledger, app.clock.now_ms() + 20_000, &email).await? {
                Sent::Now => emailed.push(who),
                Sent::Before => emailed_before.push(who),
            }
        }
    }
    tracing::info!(project_id = id, sections, emails = emailed.len(), "account sections made and routed");
    Ok(web::json(
        200,
        &json!({ "report_id": report_id, "from": report.from, "to": report.to, "sections": sections, "emailed": emailed, "emailed_before": emailed_before }),
    ))
}

/// A project's B2B sync as the API shows it: its settings, where its drop
/// folder is, and its latest runs (newest first).
pub async fn sync_view(app: &App, project_id: &str) -> Result<serde_json::Value, Error> {
    let config = app.aws.get_sync(project_id).await?;
    let mut runs = app.aws.sync_runs(project_id).await?;
    runs.truncate(b2b::sync::RUNS_SHOWN);
    // whether the connected app's secret is set and when it changed: never the secret
    let changed = app.aws.secret_changed(project_id).await?;
    Ok(json!({
        "sync": config,
        "secret": { "set": changed.is_some(), "changed_at": changed },
        "drop_folder": format!("s3://{}/{}{project_id}/", app.config.data_bucket, b2b::sync::SYNC_PREFIX),
        "folders": ["accounts", "contacts", "team"],
        "runs": runs,
    }))
}

/// The project's automated B2B sync: its settings (null if none), its drop folder (`s3://<bucket>/sync/<project>/` with the folders accounts, contacts and team), and its latest 20 runs with each file's counts, rejected rows, warnings or error, the new contacts, their list and distribution.
#[utoipa::path(get, path = "/admin/projects/{id}/b2b/sync", tag = "b2b", params(("id" = String, Path, description = "The project")),
    responses((status = 200, description = "{sync, secret: {set, changed_at}, drop_folder, folders, runs}")))]
pub async fn get_sync(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    Ok(web::json(200, &sync_view(app, id).await?))
}

/// Set the project's automated B2B sync.
///
/// Files written to the drop folder are imported as the manual B2B uploads are (the column mapping of `settings.b2b_import`), accounts first, then contacts, then team members: as soon as all three are there, and at the schedule's time (`hourly`, or `daily` at `at` in the project's time zone, from the day `from`) with whatever is there. `new_list`: each run's new contacts make a list; `distribute`: that list gets the messages of `settings.b2b_import.auto_distribution`.
#[utoipa::path(put, path = "/admin/projects/{id}/b2b/sync", tag = "b2b", params(("id" = String, Path, description = "The project")),
    request_body(content = Object, description = "{source: \"drop_folder\" | \"salesforce\", salesforce? (for salesforce: {instance_url: \"https://…my.salesforce.com\", auth: {flow: \"client_credentials\"} | {flow: \"jwt_bearer\", username}, api_version? (v62.0), fields? {accounts: {id, name, parent_id, is_deleted, attributes: {attribute: field}}, contacts: {id, first_name, last_name, email, title, account_id, is_deleted}, team: {account_id, user_email, role, is_deleted}}}), schedule?: {every: \"hourly\" | \"daily\", at?: \"HH:MM\", from?: \"YYYY-MM-DD\"}, new_list? (true), distribute? (false), enabled? (true)}"),
    responses((status = 200, description = "{sync, drop_folder, folders, runs}"), (status = 400, description = "A field is invalid (named in `field`)")))]
pub async fn put_sync(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(settings): Json<b2b::sync::SyncSettings>) -> Reply {
    let p = load(app, id).await?;
    let tz = p.settings.time_zone();
    let now_ms = app.clock.now_ms();
    settings
        .check_with(
            &p.settings.b2b_import,
            p.settings.b2b_import.auto_distribution.is_some(),
            now_ms,
            tz,
            app.config.salesforce_loopback_http,
        )
        .map_err(|(field, message)| Error::bad_field(field.clone(), format!("{field}: {message}")))?;
    let before = app.aws.get_sync(id).await?;
    // a schedule starts with the slot it is set in (none is made up for the past)
    let last_slot = match (&settings.schedule, before) {
        (None, _) => None,
        (Some(s), Some(b)) if b.settings.schedule.as_ref() == Some(s) => b.last_slot,
        (Some(s), _) => s.slot(now_ms, tz),
    };
    let config = b2b::sync::SyncConfig { project_id: id.clone(), settings, last_slot, updated_at: app.clock.now() };
    app.aws.put_sync(&config).await?;
    tracing::info!(project_id = id, "B2B sync set");
    Ok(web::json(200, &sync_view(app, id).await?))
}

/// Store the project's Salesforce connected-app secret in Secrets Manager.
///
/// `client_id` (the consumer key) with `client_secret` (client credentials flow) or `private_key` (PEM, JWT bearer flow). It is kept in Secrets Manager only: never in the table, a log or an answer; `GET …/b2b/sync` shows whether it is set and when it changed.
#[utoipa::path(put, path = "/admin/projects/{id}/b2b/sync/secret", tag = "b2b", params(("id" = String, Path, description = "The project")),
    request_body(content = Object, description = "{client_id, client_secret?, private_key?}"),
    responses((status = 200, description = "{secret: {set, changed_at}}"), (status = 400, description = "A field is missing (named in `field`)")))]
pub async fn put_sync_secret(
    Ctx(ref app): Ctx,
    Path(ref id): Path<String>,
    Json(secret): Json<b2b::salesforce::SalesforceSecret>,
) -> Reply {
    load(app, id).await?;
    let auth = app.aws.get_sync(id).await?.and_then(|c| c.settings.salesforce).map(|s| s.auth);
    secret.check(auth.as_ref()).map_err(|(field, message)| Error::bad_field(field.clone(), format!("{field}: {message}")))?;
    let value = serde_json::to_string(&secret).map_err(|e| Error::bad_request(format!("the secret could not be written: {e}")))?;
    app.aws.put_secret(id, &value).await?;
    tracing::info!(project_id = id, "Salesforce connected-app secret stored");
    let changed = app.aws.secret_changed(id).await?;
    Ok(web::json(200, &json!({ "secret": { "set": changed.is_some(), "changed_at": changed } })))
}

/// Run the project's B2B sync now, whatever its schedule.
///
/// A Salesforce sync fetches what changed since its last successful run; a drop folder's runs whatever files are there. The run appears in `GET …/b2b/sync` → `runs` with its state and reason.
#[utoipa::path(post, path = "/admin/projects/{id}/b2b/sync/run", tag = "b2b", params(("id" = String, Path, description = "The project")),
    responses((status = 202, description = "{run_id (a Salesforce run's id), status: \"queued\"}"), (status = 409, description = "The project has no sync")))]
pub async fn run_sync(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    if app.aws.get_sync(id).await?.is_none() {
        return Err(Error::Conflict(format!("project {id} has no B2B sync; set it up first (PUT /admin/projects/{id}/b2b/sync)")).into());
    }
    let now_ms = app.clock.now_ms().to_string();
    let run_id = b2b::sync::run_id(&[("now", id.as_str()), ("at", now_ms.as_str())]);
    app.aws.enqueue(&pulse_shared::domain::jobs::SyncNowJob { sync_project: id.clone(), run_id: run_id.clone() }).await?;
    tracing::info!(project_id = id, run_id, "B2B sync run asked for");
    Ok(web::json(202, &json!({ "run_id": run_id, "status": "queued" })))
}
