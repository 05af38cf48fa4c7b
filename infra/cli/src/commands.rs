//! Each command: the admin route(s) it calls and what it prints.

use std::time::Duration;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use pulse_shared::domain::project::Settings;
use reqwest::Method;
use serde_json::{json, Value};

use crate::api::Api;
use crate::args::{Accounts, ApiCall, B2b, Cli, Command, Contacts, Distributions, Projects, SftpCommand, SyncCommand, Users};
use crate::output::{self, cell, fields, table};
use crate::{files, Failure, Io, Result};

/// How often a follow-up asks for the state.
const POLL: Duration = Duration::from_millis(500);

pub async fn dispatch(cli: &Cli, io: &mut Io) -> Result<()> {
    // a bad file is found before anything is looked up or sent
    precheck(cli)?;
    let api = Api::connect(&cli.target, io).await?;
    let json = cli.json;
    io.quiet = cli.quiet;
    match &cli.command {
        Command::Projects(p) => projects(&api, io, json, p).await,
        Command::Contacts(c) => contacts(&api, io, json, c).await,
        Command::Send(s) => send(&api, io, json, s).await,
        Command::Distributions(d) => distributions(&api, io, json, d).await,
        Command::Figures(f) => figures(&api, io, json, f).await,
        Command::Report(r) => report(&api, io, json, r).await,
        Command::Budget(b) => budget(&api, io, json, b).await,
        Command::Accounts(a) => accounts(&api, io, json, a).await,
        Command::Users(u) => users(&api, io, json, u).await,
        Command::B2b(b) => b2b(&api, io, json, b).await,
        Command::Api(call) => raw(&api, io, call).await,
        Command::Doctor => crate::doctor::doctor(&api, io, json).await,
    }
}

/// Files that can be checked without the API.
fn precheck(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Projects(Projects::Create { file }) => files::project_file(file).map(|_| ()),
        Command::Projects(Projects::Logo { file, .. }) | Command::Contacts(Contacts::Upload { file, .. }) => {
            std::fs::metadata(file).map(|_| ()).map_err(|e| Failure::Usage(format!("cannot read {}: {e}", file.display())))
        }
        Command::Send(s) => files::read_document(&s.message_file).map(|_| ()),
        Command::Api(ApiCall { file: Some(file), .. }) => files::read_document(file).map(|_| ()),
        Command::B2b(B2b::Sync(SyncCommand::Set { file, .. })) => files::sync_file(file).map(|_| ()),
        Command::B2b(B2b::Sftp(SftpCommand::AddKey { file, .. })) => files::public_key_file(file).map(|_| ()),
        _ => Ok(()),
    }
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

fn s(v: &Value) -> String {
    cell(v)
}

/// A project's settings as the shared crate reads them.
fn settings_of(project: &Value) -> Result<Settings> {
    serde_json::from_value(project["settings"].clone())
        .map_err(|e| Failure::Usage(format!("the project's settings cannot be read by this version of pulse ({e}); update pulse")))
}

fn project_view(p: &Value) -> String {
    let state = if p["closed"] == true {
        "closed".to_string()
    } else if p["published_version"].is_null() {
        "draft".to_string()
    } else {
        format!("published (version {})", p["published_version"])
    };
    fields(&[
        ("project", s(&p["id"])),
        ("organisation", s(&p["settings"]["organisation_name"])),
        ("kind", s(&p["kind"])),
        ("state", state),
        ("revision", s(&p["revision"])),
        ("languages", p["settings"]["languages"].as_array().map(|l| l.iter().map(cell).collect::<Vec<_>>().join(", ")).unwrap_or_default()),
        ("account", s(&p["settings"]["account_id"])),
        ("anonymous link", s(&p["anonymous_link"])),
        ("logo", s(&p["logo_url"])),
    ])
}

async fn projects(api: &Api, io: &mut Io, json: bool, command: &Projects) -> Result<()> {
    match command {
        Projects::List => {
            let v = api.get("/admin/projects").await?;
            output::print(io, json, &v, || {
                let rows = v["projects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let state = if p["published_version"].is_null() { "draft".into() } else { format!("v{}", p["published_version"]) };
                        vec![s(&p["id"]), s(&p["organisation_name"]), s(&p["kind"]), state, s(&p["created_at"])]
                    })
                    .collect();
                table(&["project", "organisation", "kind", "published", "created"], rows)
            });
        }
        Projects::Create { file } => {
            let body = files::project_file(file)?;
            let v = api.post("/admin/projects", &body).await?;
            output::print_id(io, &s(&v["id"]));
            output::print(io, json, &v, || format!("created project {}\n{}", s(&v["id"]), project_view(&v)));
        }
        Projects::Show { project } => {
            let v = api.get(&format!("/admin/projects/{}", enc(project))).await?;
            output::print(io, json, &v, || project_view(&v));
        }
        Projects::Edit { project, file } => {
            let current = api.get(&format!("/admin/projects/{}", enc(project))).await?;
            let patch = files::settings_patch(file, &current["settings"])?;
            let body = json!({ "settings": patch, "revision": current["revision"] });
            let v = api.call(Method::PATCH, &format!("/admin/projects/{}", enc(project)), Some(&body)).await?;
            output::print(io, json, &v, || {
                format!("changed project {} (revision {})\n{}", s(&v["id"]), s(&v["revision"]), project_view(&v))
            });
        }
        Projects::Publish { project } => {
            let v = api.call(Method::POST, &format!("/admin/projects/{}/publish", enc(project)), None).await?;
            output::print(io, json, &v, || format!("published project {project}: version {}\n", s(&v["version"])));
        }
        Projects::Logo { project, file } => {
            let bytes = std::fs::read(file).map_err(|e| Failure::Usage(format!("cannot read {}: {e}", file.display())))?;
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
            let content_type = match ext.as_str() {
                "svg" => "image/svg+xml",
                "png" => "image/png",
                "jpg" | "jpeg" => "image/jpeg",
                _ => return Err(Failure::Usage(format!("{}: a logo is .svg, .png or .jpg (at most 1 MB)", file.display()))),
            };
            let v = api.send(Method::PUT, &format!("/admin/projects/{}/logo", enc(project)), Some(content_type), bytes).await?;
            output::print(io, json, &v, || format!("logo of project {project} uploaded: {}\n", s(&v["logo_url"])));
        }
        Projects::Links { project, rotate } => {
            if *rotate {
                let v = api.call(Method::POST, &format!("/admin/projects/{}/anonymous-link", enc(project)), None).await?;
                output::print(io, json, &v, || format!("new anonymous link (the old one no longer works): {}\n", s(&v["anonymous_link"])));
            } else {
                let p = api.get(&format!("/admin/projects/{}", enc(project))).await?;
                let v = json!({ "anonymous_link": p["anonymous_link"], "embed": p["embed"] });
                output::print(io, json, &v, || {
                    let widget =
                        if p["embed"]["enabled"] == true { s(&p["embed"]["url"]) } else { "not enabled (settings.embed_origins)".into() };
                    fields(&[("anonymous link", s(&p["anonymous_link"])), ("website widget", widget)])
                });
            }
        }
    }
    Ok(())
}

async fn contacts(api: &Api, io: &mut Io, json: bool, command: &Contacts) -> Result<()> {
    match command {
        Contacts::Upload { file, project, list, no_wait } => upload(api, io, json, file, project, list.as_deref(), *no_wait).await,
        Contacts::Lists { project } => {
            let v = api.get(&format!("/admin/projects/{}/lists", enc(project))).await?;
            output::print(io, json, &v, || {
                let rows = v["lists"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|l| vec![s(&l["list_id"]), s(&l["name"]), s(&l["state"]), s(&l["contacts"]), s(&l["created_at"])])
                    .collect();
                table(&["list", "name", "state", "contacts", "created"], rows)
            });
            Ok(())
        }
        Contacts::Show { email, project } => {
            let v = api.get(&format!("/admin/projects/{}/contacts/{}", enc(project), enc(email))).await?;
            output::print(io, json, &v, || contact_view(&v));
            Ok(())
        }
        Contacts::Erase { email, project, yes } => {
            if !yes {
                return Err(Failure::Usage(format!("erasing {email} from project {project} cannot be undone: repeat with --yes")));
            }
            let v = api.call(Method::DELETE, &format!("/admin/projects/{}/contacts/{}", enc(project), enc(email)), None).await?;
            output::print(io, json, &v, || {
                format!("erasure started: job {} (follow it at {})\n", s(&v["job"]["job_id"]), s(&v["status_url"]))
            });
            Ok(())
        }
    }
}

fn contact_view(v: &Value) -> String {
    let c = &v["contact"];
    let mut pairs = vec![("email", s(&c["email"])), ("name", format!("{} {}", s(&c["first_name"]), s(&c["last_name"])).trim().to_string())];
    let extra: Vec<String> = c["fields"].as_object().into_iter().flatten().map(|(k, f)| format!("{k}={}", cell(f))).collect();
    pairs.push(("fields", extra.join(", ")));
    let lists: Vec<String> =
        v["lists"].as_array().into_iter().flatten().map(|l| format!("{} ({})", s(&l["name"]), s(&l["list_id"]))).collect();
    pairs.push(("lists", lists.join(", ")));
    pairs.push(("suppressed", if v["suppressed"] == true { format!("yes {}", s(&v["suppression"])) } else { "no".into() }));
    pairs.push(("responses", v["responses"].as_array().map(|r| r.len()).unwrap_or(0).to_string()));
    let mut text = fields(&pairs);
    let invitations: Vec<Vec<String>> = v["invitations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| vec![s(&i["distribution_id"]), s(&i["state"]), s(&i["skip"]), s(&i["reason"]), s(&i["at"])])
        .collect();
    if !invitations.is_empty() {
        text += &table(&["distribution", "state", "skipped", "reason", "at"], invitations);
        text.push('\n');
    }
    text
}

async fn upload(
    api: &Api,
    io: &mut Io,
    json: bool,
    file: &std::path::Path,
    project: &str,
    list: Option<&str>,
    no_wait: bool,
) -> Result<()> {
    let bytes = std::fs::read(file).map_err(|e| Failure::Usage(format!("cannot read {}: {e}", file.display())))?;
    let file_name = file.file_name().and_then(|n| n.to_str()).unwrap_or("contacts.csv").to_string();
    let mut body = json!({ "file_name": file_name, "size": bytes.len() });
    if let Some(l) = list {
        body["list_name"] = json!(l);
    }
    let created = api.post(&format!("/admin/projects/{}/uploads", enc(project)), &body).await?;
    let upload_id = s(&created["upload_id"]);
    let total = bytes.len() as u64;

    // the file goes straight to the bucket through the presigned URL
    let bar = output::bar(io, json, total, "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}");
    bar.set_message(format!("uploading {file_name}"));
    output::event(io, json, json!({ "event": "upload", "upload_id": upload_id, "bytes": 0, "total": total }));
    let url = created["upload"]["url"]
        .as_str()
        .ok_or_else(|| Failure::Refused { status: 201, message: "the upload answer has no URL".into() })?;
    let data = bytes::Bytes::from(bytes);
    let chunks: Vec<bytes::Bytes> = (0..data.len()).step_by(64 * 1024).map(|i| data.slice(i..(i + 64 * 1024).min(data.len()))).collect();
    let counting = bar.clone();
    let stream = futures_util::stream::iter(chunks.into_iter().map(move |c| {
        counting.inc(c.len() as u64);
        Ok::<_, std::io::Error>(c)
    }));
    let mut put = api.plain().put(url).header("content-length", total).body(reqwest::Body::wrap_stream(stream));
    if let Some(headers) = created["upload"]["headers"].as_object() {
        for (k, v) in headers {
            put = put.header(k, cell(v));
        }
    }
    let answer = put.send().await.map_err(|e| Failure::Unreachable(format!("the upload of {file_name} to the bucket failed: {e}")))?;
    if !answer.status().is_success() {
        let status = answer.status().as_u16();
        let text = answer.text().await.unwrap_or_default();
        let reason = text.split("<Message>").nth(1).and_then(|m| m.split('<').next()).unwrap_or("").to_string();
        return Err(Failure::Refused { status, message: format!("the bucket refused the upload of {file_name}: {reason}") });
    }
    bar.finish_and_clear();
    output::event(io, json, json!({ "event": "upload", "upload_id": upload_id, "bytes": total, "total": total }));
    if no_wait {
        output::print_id(io, &s(&created["list_id"]));
        output::print(io, json, &created, || {
            format!("uploaded {file_name} ({}); import {upload_id} of list {}\n", output::bytes(total), s(&created["list_id"]))
        });
        return Ok(());
    }

    // then the import, until it ends
    let status_path = format!("/admin/projects/{}/uploads/{}", enc(project), enc(&upload_id));
    let bar = output::bar(io, json, 1000, "{msg} [{bar:30}] {percent}%");
    let mut last = Value::Null;
    let record = loop {
        let r = api.get(&status_path).await?;
        let state = s(&r["state"]);
        bar.set_message(format!("importing: {state}, {} rows read", s(&r["counts"]["rows_read"])));
        if let Some(p) = r["progress"].as_f64() {
            bar.set_position((p * 1000.0) as u64);
        }
        let summary = json!({ "event": "import", "upload_id": upload_id, "state": r["state"], "progress": r["progress"], "counts": r["counts"], "written": r["written"] });
        if summary != last {
            output::event(io, json, summary.clone());
            last = summary;
        }
        if state == "done" || state == "failed" {
            break r;
        }
        tokio::time::sleep(POLL).await;
    };
    bar.finish_and_clear();
    let failed = record["state"] == "failed";
    if !failed {
        output::print_id(io, &s(&record["list_id"]));
    }
    output::print(io, json, &record, || {
        let c = &record["counts"];
        let mut text = format!(
            "import {upload_id} of {file_name} into list {} ({}): {}\n",
            s(&record["list_name"]),
            s(&record["list_id"]),
            s(&record["state"])
        );
        text += &table(
            &["rows read", "accepted", "rejected", "duplicates merged", "suppressed", "contacts"],
            vec![vec![
                s(&c["rows_read"]),
                s(&c["accepted"]),
                s(&c["rejected"]),
                s(&c["duplicates_merged"]),
                s(&c["suppressed"]),
                s(&record["contacts"]),
            ]],
        );
        text.push('\n');
        if let Some(u) = record["report"]["rejected_rows_url"].as_str() {
            text += &format!("rejected rows (line, column, reason): {u}\n");
        }
        text
    });
    if failed {
        let mut why = s(&record["error"]);
        if !record["header_problem"].is_null() {
            why = format!("{why} ({})", record["header_problem"]);
        }
        return Err(Failure::Outcome(format!(
            "the import of {file_name} failed: {why}; nothing was stored; fix the file and upload it again"
        )));
    }
    Ok(())
}

/// A list's id from its id or name.
async fn list_id(api: &Api, project: &str, list: &str) -> Result<String> {
    let v = api.get(&format!("/admin/projects/{}/lists", enc(project))).await?;
    let lists = v["lists"].as_array().cloned().unwrap_or_default();
    if let Some(l) = lists.iter().find(|l| l["list_id"] == list) {
        return Ok(s(&l["list_id"]));
    }
    let named: Vec<&Value> = lists.iter().filter(|l| l["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(list))).collect();
    match named.as_slice() {
        [one] => Ok(s(&one["list_id"])),
        [] => {
            let names: Vec<String> = lists.iter().map(|l| format!("{} ({})", s(&l["name"]), s(&l["list_id"]))).collect();
            Err(Failure::Usage(format!(
                "project {project} has no list `{list}`; its lists: {}",
                if names.is_empty() { "none yet (pulse contacts upload)".into() } else { names.join(", ") }
            )))
        }
        _ => Err(Failure::Usage(format!("project {project} has several lists named `{list}`: give the list id"))),
    }
}

async fn send(api: &Api, io: &mut Io, json: bool, args: &crate::args::Send) -> Result<()> {
    let project = api.get(&format!("/admin/projects/{}", enc(&args.project))).await?;
    let settings = settings_of(&project)?;
    let message = files::message_file(&args.message_file, &settings)?;
    if let Some(at) = &args.at {
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .map_err(|_| Failure::Usage(format!("--at {at}: give the time as RFC 3339, e.g. 2026-12-01T09:00:00Z")))?;
    }
    let list_id = list_id(api, &args.project, &args.list).await?;
    let mut distribution = json!({ "list_id": list_id, "messages": message.messages });
    if let Some(r) = &message.reminder {
        distribution["reminder"] = json!(r);
    }
    if let Some(at) = &args.at {
        distribution["send_at"] = json!(at);
    }
    if args.dry_run {
        let mut body = json!({ "distribution": distribution });
        if let Some(t) = &args.test_to {
            body["test_to"] = json!(t);
        }
        let v = api.post(&format!("/admin/projects/{}/distributions/preview", enc(&args.project)), &body).await?;
        output::print(io, json, &v, || dry_run_view(&v));
        return Ok(());
    }
    let v = api.post(&format!("/admin/projects/{}/distributions", enc(&args.project)), &distribution).await?;
    let id = s(&v["id"]);
    output::print_id(io, &id);
    output::print(io, json, &v, || {
        let mut text = format!("distribution {id} {} (list {list_id}, sending at {})\n", s(&v["state"]), s(&v["send_at"]));
        for w in v["warnings"].as_array().into_iter().flatten() {
            text += &format!("warning: {}\n", cell(w));
        }
        text + &format!("follow it: pulse distributions watch {id} --project {}\n", args.project)
    });
    if args.watch {
        watch(api, io, json, &args.project, &id).await?;
    }
    Ok(())
}

fn dry_run_view(v: &Value) -> String {
    let f = &v["forecast"];
    let estimated =
        if f["estimated"] == true { format!(" (estimated from {} contacts looked at)", s(&f["checked"])) } else { String::new() };
    let mut text = format!("dry run: nothing was sent{estimated}\n");
    text += &table(
        &["contacts", "will be sent", "skipped: suppressed", "skipped: quiet period", "skipped: over budget"],
        vec![vec![s(&f["contacts"]), s(&f["will_send"]), s(&f["suppressed"]), s(&f["quiet_period"]), s(&f["over_budget"])]],
    );
    text.push('\n');
    text += &format!("sending at {}\n", s(&v["send_at"]));
    let b = &v["budget"];
    if b.is_null() {
        text += "budget: none applies (the project names no account)\n";
    } else {
        text += &format!(
            "budget ({} {}): {} of {} used, {} remaining\n",
            s(&b["plan"]),
            s(&b["month"]),
            s(&b["used"]),
            s(&b["monthly_budget"]),
            s(&b["remaining"])
        );
    }
    for w in v["warnings"].as_array().into_iter().flatten() {
        text += &format!("warning: {}\n", cell(w));
    }
    if let Some(previews) = v["previews"].as_object() {
        for (lang, e) in previews {
            text += &format!("[{lang}] {}\n", s(&e["subject"]));
        }
    }
    if !v["test"].is_null() {
        text += &format!("test emails queued: {}\n", s(&v["test"]["queued"]));
    }
    text
}

/// The project a distribution belongs to, by looking through the projects.
async fn project_of(api: &Api, project: &Option<String>, distribution: &str) -> Result<String> {
    if let Some(p) = project {
        return Ok(p.clone());
    }
    let v = api.get("/admin/projects").await?;
    for p in v["projects"].as_array().into_iter().flatten() {
        let id = s(&p["id"]);
        let ds = api.get(&format!("/admin/projects/{}/distributions", enc(&id))).await?;
        if ds["distributions"].as_array().into_iter().flatten().any(|d| d["id"] == distribution) {
            return Ok(id);
        }
    }
    Err(Failure::Usage(format!("no project has a distribution {distribution}; check the id, or give --project")))
}

fn distribution_row(d: &Value) -> Vec<String> {
    let c = &d["counts"];
    vec![
        s(&d["id"]),
        s(&d["list_id"]),
        s(&d["state"]),
        s(&c["planned"]),
        s(&c["sent"]),
        s(&d["skipped"]),
        s(&c["failed"]),
        s(&d["send_at"]),
    ]
}

const DISTRIBUTION_HEADER: [&str; 8] = ["distribution", "list", "state", "planned", "sent", "skipped", "failed", "send at"];

async fn distributions(api: &Api, io: &mut Io, json: bool, command: &Distributions) -> Result<()> {
    match command {
        Distributions::List { project } => {
            let v = api.get(&format!("/admin/projects/{}/distributions", enc(project))).await?;
            output::print(io, json, &v, || {
                table(&DISTRIBUTION_HEADER, v["distributions"].as_array().into_iter().flatten().map(distribution_row).collect())
            });
        }
        Distributions::Show { distribution, project } => {
            let p = project_of(api, project, distribution).await?;
            let v = api.get(&format!("/admin/projects/{}/distributions/{}", enc(&p), enc(distribution))).await?;
            output::print(io, json, &v, || table(&DISTRIBUTION_HEADER, vec![distribution_row(&v)]));
        }
        Distributions::Watch { distribution, project } => {
            let p = project_of(api, project, distribution).await?;
            watch(api, io, json, &p, distribution).await?;
        }
        Distributions::Resume { distribution, project, watch: follow } => {
            let p = project_of(api, project, distribution).await?;
            let v =
                api.call(Method::POST, &format!("/admin/projects/{}/distributions/{}/resume", enc(&p), enc(distribution)), None).await?;
            output::print(io, json, &v, || format!("distribution {distribution}: {} again\n", s(&v["state"])));
            if *follow {
                watch(api, io, json, &p, distribution).await?;
            }
        }
        Distributions::Retry { distribution, project } => {
            let p = project_of(api, project, distribution).await?;
            let v = api.call(Method::POST, &format!("/admin/projects/{}/distributions/{}/retry", enc(&p), enc(distribution)), None).await?;
            output::print(io, json, &v, || {
                format!("distribution {distribution}: {} refused invitations are sent again\n", s(&v["reopened"]))
            });
        }
        Distributions::Recipients { distribution, project, state, after } => {
            let p = project_of(api, project, distribution).await?;
            let mut query = Vec::new();
            if let Some(st) = state {
                query.push(format!("state={}", enc(st)));
            }
            if let Some(a) = after {
                query.push(format!("after={}", enc(a)));
            }
            let q = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
            let v = api.get(&format!("/admin/projects/{}/distributions/{}/recipients{q}", enc(&p), enc(distribution))).await?;
            output::print(io, json, &v, || {
                let rows = v["recipients"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| vec![s(&r["email"]), s(&r["state"]), s(&r["skip"]), s(&r["reason"]), s(&r["at"])])
                    .collect();
                let mut text = table(&["email", "state", "skipped", "reason", "at"], rows);
                text.push('\n');
                if let Some(next) = v["next"].as_str() {
                    text += &format!("more: pulse distributions recipients {distribution} --project {p} --after {next}\n");
                }
                text
            });
        }
        Distributions::Cancel { distribution, project } => {
            let p = project_of(api, project, distribution).await?;
            let v =
                api.call(Method::POST, &format!("/admin/projects/{}/distributions/{}/cancel", enc(&p), enc(distribution)), None).await?;
            output::print(io, json, &v, || format!("distribution {distribution}: {}\n", s(&v["state"])));
        }
    }
    Ok(())
}

/// Follows a distribution until it is done, paused or cancelled.
async fn watch(api: &Api, io: &mut Io, json: bool, project: &str, distribution: &str) -> Result<()> {
    let path = format!("/admin/projects/{}/distributions/{}", enc(project), enc(distribution));
    let bar = output::bar(io, json, 0, "{msg} [{bar:30}] {pos}/{len}");
    let mut last = Value::Null;
    let d = loop {
        let d = api.get(&path).await?;
        let c = &d["counts"];
        let handled = ["sent", "failed"].iter().map(|k| c[*k].as_u64().unwrap_or(0)).sum::<u64>() + d["skipped"].as_u64().unwrap_or(0);
        let planned = c["planned"].as_u64().unwrap_or(0);
        bar.set_length(planned.max(handled));
        bar.set_position(handled);
        bar.set_message(format!("{}: {} sent", s(&d["state"]), s(&c["sent"])));
        let summary = json!({ "event": "distribution", "id": distribution, "state": d["state"], "planned": planned, "sent": c["sent"], "skipped": d["skipped"], "failed": c["failed"] });
        if summary != last {
            output::event(io, json, summary.clone());
            last = summary;
        }
        let state = s(&d["state"]);
        if ["done", "paused", "cancelled"].contains(&state.as_str()) {
            break d;
        }
        tokio::time::sleep(POLL).await;
    };
    bar.finish_and_clear();
    output::print(io, json, &d, || table(&DISTRIBUTION_HEADER, vec![distribution_row(&d)]));
    match s(&d["state"]).as_str() {
        "paused" => Err(Failure::Outcome(format!(
            "distribution {distribution} is paused: {}; fix the sender (pulse doctor), then `pulse distributions resume {distribution} --project {project}`",
            s(&d["pause_reason"])
        ))),
        "cancelled" => Err(Failure::Outcome(format!("distribution {distribution} was cancelled"))),
        _ => Ok(()),
    }
}

async fn figures(api: &Api, io: &mut Io, json: bool, args: &crate::args::Figures) -> Result<()> {
    let mut query: Vec<String> = Vec::new();
    for (k, v) in [("from", &args.from), ("to", &args.to), ("period", &args.period), ("segments", &args.segments)] {
        if let Some(v) = v {
            query.push(format!("{k}={}", enc(v)));
        }
    }
    let q = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
    let v = api.get(&format!("/admin/projects/{}/figures{q}", enc(&args.project))).await?;
    output::print(io, json, &v, || {
        let h = &v["headline"];
        let pct = |x: &Value| x.as_f64().map(|f| format!("{:.0} %", f * 100.0)).unwrap_or_else(|| "–".into());
        let num = |x: &Value| x.as_f64().map(|f| format!("{f:.1}")).unwrap_or_else(|| "–".into());
        let nps = if h["nps"].is_null() { "–".into() } else { format!("{} ± {}", num(&h["nps"]["score"]), num(&h["nps"]["margin"])) };
        table(
            &["responses", "NPS", "CSAT", "CES", "response rate", "invitations"],
            vec![vec![s(&h["responses"]), nps, pct(&h["csat"]), num(&h["ces"]), pct(&h["response_rate"]), s(&h["invitations"])]],
        )
    });
    Ok(())
}

async fn report(api: &Api, io: &mut Io, json: bool, args: &crate::args::Report) -> Result<()> {
    let created = api.call(Method::POST, &format!("/admin/projects/{}/reports", enc(&args.project)), None).await?;
    let id = s(&created["id"]);
    let mut v = created.clone();
    if args.wait || args.open {
        let path = format!("/admin/projects/{}/reports/{}", enc(&args.project), enc(&id));
        let bar = output::bar(io, json, 0, "{spinner} {msg}");
        bar.set_message(format!("making report {id}"));
        v = loop {
            let r = api.get(&path).await?;
            bar.tick();
            match r["state"].as_str() {
                Some("done") => break r,
                Some("failed") => return Err(Failure::Outcome(format!("report {id} failed: {}", s(&r["error"])))),
                _ => tokio::time::sleep(POLL).await,
            }
        };
        bar.finish_and_clear();
        v["share"] = created["share"].clone();
        v["share_link"] = created["share_link"].clone();
    }
    // the URL is shown this once (only its keyed hash is kept)
    let share = s(&created["share"]);
    output::print_id(io, &id);
    output::print(io, json, &v, || {
        let mut text = format!(
            "report {id}: {} ({} to {})\nshare link (90 days, no sign-in; shown only now): {share}\n",
            s(&v["state"]),
            s(&v["from"]),
            s(&v["to"]),
        );
        if let Some(links) = v["links"].as_object() {
            for (k, u) in links {
                text += &format!("{k}: {}\n", cell(u));
            }
        }
        text
    });
    if args.open {
        let link = share;
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        if std::process::Command::new(opener).arg(&link).spawn().is_err() {
            return Err(Failure::Outcome(format!("cannot start {opener} to open the report; open {link} yourself")));
        }
    }
    Ok(())
}

fn budget_view(b: &Value) -> String {
    let mut pairs = vec![
        ("account", s(&b["account_id"])),
        ("plan", s(&b["plan"])),
        ("month", format!("{} ({} to {}, {})", s(&b["month"]), s(&b["month_starts_at"]), s(&b["month_ends_at"]), s(&b["time_zone"]))),
        ("budget", s(&b["monthly_budget"])),
        ("used", s(&b["used"])),
        ("remaining", s(&b["remaining"])),
        ("refused this month", s(&b["refused"])),
        (
            "lifetime used",
            format!("{} of {}", s(&b["lifetime_used"]), if b["lifetime_cap"].is_null() { "no cap".into() } else { s(&b["lifetime_cap"]) }),
        ),
        ("invitation reserve", s(&b["invitation_reserve"])),
        ("links' budget", format!("{} used of {}", s(&b["link_used"]), s(&b["link_budget"]))),
    ];
    if !b["exhausted"].is_null() {
        pairs.push(("used up by", s(&b["exhausted"])));
    }
    pairs.push(("last sync", format!("{} {}", s(&b["last_sync_at"]), s(&b["last_sync_kind"])).trim().to_string()));
    fields(&pairs)
}

async fn budget(api: &Api, io: &mut Io, json: bool, args: &crate::args::Budget) -> Result<()> {
    let account = match (&args.account, &args.project) {
        (Some(a), _) => a.clone(),
        (None, Some(p)) => {
            let project = api.get(&format!("/admin/projects/{}", enc(p))).await?;
            project["settings"]["account_id"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| Failure::Usage(format!("project {p} names no account (settings.account_id): it has no budget")))?
        }
        (None, None) => return Err(Failure::Usage("give --account or --project".into())),
    };
    let v = api.get(&format!("/admin/accounts/{}/budget", enc(&account))).await?;
    output::print(io, json, &v, || budget_view(&v));
    Ok(())
}

async fn accounts(api: &Api, io: &mut Io, json: bool, command: &Accounts) -> Result<()> {
    match command {
        Accounts::List => {
            let v = api.get("/admin/accounts").await?;
            output::print(io, json, &v, || {
                let rows = v["accounts"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| {
                        vec![
                            s(&a["id"]),
                            s(&a["name"]),
                            s(&a["plan"]),
                            s(&a["time_zone"]),
                            s(&a["budget"]["used"]),
                            s(&a["budget"]["remaining"]),
                        ]
                    })
                    .collect();
                table(&["account", "name", "plan", "time zone", "used", "remaining"], rows)
            });
        }
        Accounts::Create { name, plan, time_zone } => {
            let mut body = json!({ "name": name });
            if let Some(p) = plan {
                body["plan"] = json!(p);
            }
            if let Some(t) = time_zone {
                body["time_zone"] = json!(t);
            }
            let v = api.post("/admin/accounts", &body).await?;
            output::print_id(io, &s(&v["id"]));
            output::print(io, json, &v, || format!("created account {} ({}, plan {})\n", s(&v["id"]), s(&v["name"]), s(&v["plan"])));
        }
        Accounts::Show { account } => {
            let v = api.get(&format!("/admin/accounts/{}", enc(account))).await?;
            output::print(io, json, &v, || format!("{} ({})\n{}", s(&v["name"]), s(&v["id"]), budget_view(&v["budget"])));
        }
        Accounts::Plan { account, plan } => {
            let v = api.call(Method::PUT, &format!("/admin/accounts/{}/plan", enc(account)), Some(&json!({ "plan": plan }))).await?;
            output::print(io, json, &v, || format!("account {account} is on plan {} now\n", s(&v["plan"])));
        }
        Accounts::Reserve { account, invitation_reserve } => {
            let body = json!({ "invitation_reserve": invitation_reserve });
            let v = api.call(Method::PUT, &format!("/admin/accounts/{}/reserve", enc(account)), Some(&body)).await?;
            output::print(io, json, &v, || format!("account {account} keeps {invitation_reserve} records a month for invitations\n"));
        }
        Accounts::Plans => {
            let v = api.get("/admin/plans").await?;
            output::print(io, json, &v, || {
                let rows = v["plans"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| vec![s(&p["name"]), s(&p["monthly_budget"]), s(&p["lifetime_cap"])])
                    .collect();
                table(&["plan", "monthly budget", "lifetime cap"], rows)
            });
        }
    }
    Ok(())
}

fn user_line(v: &Value) -> String {
    let state = if v["enabled"].as_bool() == Some(false) { "disabled" } else { "enabled" };
    format!("{} is {} ({state}, {})\n", s(&v["email"]), s(&v["role"]), s(&v["status"]))
}

async fn users(api: &Api, io: &mut Io, json: bool, command: &Users) -> Result<()> {
    let change = |user: &str| format!("/admin/users/{}", enc(user));
    match command {
        Users::List => {
            let v = api.get("/admin/users").await?;
            output::print(io, json, &v, || {
                let rows = v["users"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|u| {
                        let state = if u["enabled"].as_bool() == Some(false) { "disabled" } else { "enabled" };
                        vec![s(&u["email"]), s(&u["role"]), state.to_string(), s(&u["status"])]
                    })
                    .collect();
                table(&["email", "role", "state", "status"], rows)
            });
        }
        Users::Invite { email, role } => {
            let v = api.post("/admin/users", &json!({ "email": email, "role": role })).await?;
            output::print(io, json, &v, || format!("invited {}: Cognito emails a temporary password\n{}", s(&v["email"]), user_line(&v)));
        }
        Users::Role { user, role } => {
            let v = api.call(Method::PATCH, &change(user), Some(&json!({ "role": role }))).await?;
            output::print(io, json, &v, || user_line(&v));
        }
        Users::Disable { user } | Users::Enable { user } => {
            let enabled = matches!(command, Users::Enable { .. });
            let v = api.call(Method::PATCH, &change(user), Some(&json!({ "enabled": enabled }))).await?;
            output::print(io, json, &v, || user_line(&v));
        }
    }
    Ok(())
}

async fn b2b(api: &Api, io: &mut Io, json: bool, command: &B2b) -> Result<()> {
    match command {
        B2b::Accounts { project } => {
            let v = api.get(&format!("/admin/projects/{}/accounts", enc(project))).await?;
            output::print(io, json, &v, || {
                let rows = v["accounts"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| {
                        vec![
                            s(&a["id"]),
                            s(&a["name"]),
                            s(&a["parent_id"]),
                            s(&a["health"]["score"]),
                            if a["health"]["churn_risk"] == true { "churn risk".to_string() } else { String::new() },
                            a["team"].as_array().map(Vec::len).unwrap_or(0).to_string(),
                        ]
                    })
                    .collect();
                table(&["account", "name", "parent", "health", "flag", "team"], rows)
            });
        }
        B2b::Sync(SyncCommand::Show { project }) => {
            let v = api.get(&format!("/admin/projects/{}/b2b/sync", enc(project))).await?;
            output::print(io, json, &v, || sync_view(&v));
        }
        B2b::Sync(SyncCommand::Run { project }) => {
            let v = api.call(Method::POST, &format!("/admin/projects/{}/b2b/sync/run", enc(project)), None).await?;
            output::print(io, json, &v, || "the run is queued: `pulse b2b sync show` shows it\n".to_string());
        }
        B2b::Sync(SyncCommand::Set { project, file }) => {
            let body = files::sync_file(file)?;
            let v = api.call(Method::PUT, &format!("/admin/projects/{}/b2b/sync", enc(project)), Some(&body)).await?;
            output::print(io, json, &v, || sync_view(&v));
        }
        B2b::Sftp(SftpCommand::Keys { project }) => {
            let v = api.get(&format!("/admin/projects/{}/b2b/sftp", enc(project))).await?;
            output::print(io, json, &v, || {
                if v["enabled"] != true {
                    return format!("{}\n", s(&v["message"]));
                }
                let rows = v["keys"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|k| vec![s(&k["id"]), s(&k["key_type"]), s(&k["fingerprint"]), s(&k["imported_at"])])
                    .collect();
                format!("sftp {}@{}\n{}", s(&v["user_name"]), s(&v["host"]), table(&["key", "type", "fingerprint", "added"], rows))
            });
        }
        B2b::Sftp(SftpCommand::AddKey { project, file }) => {
            let key = files::public_key_file(file)?;
            let v = api.post(&format!("/admin/projects/{}/b2b/sftp/keys", enc(project)), &json!({ "public_key": key })).await?;
            output::print_id(io, &s(&v["id"]));
            output::print(io, json, &v, || format!("added {} ({}) for {}\n", s(&v["id"]), s(&v["fingerprint"]), s(&v["user_name"])));
        }
        B2b::Sftp(SftpCommand::RemoveKey { project, key }) => {
            let v = api.call(Method::DELETE, &format!("/admin/projects/{}/b2b/sftp/keys/{}", enc(project), enc(key)), None).await?;
            output::print(io, json, &v, || format!("removed {key}: it no longer signs in\n"));
        }
    }
    Ok(())
}

/// A sync's settings and last runs, for people.
fn sync_view(v: &Value) -> String {
    let sync = &v["sync"];
    let mut out = format!("drop folder {}\n", s(&v["drop_folder"]));
    if sync.is_null() {
        out.push_str("no sync is set up\n");
    } else {
        let schedule = match sync["schedule"]["every"].as_str() {
            Some("daily") => format!("daily at {}", s(&sync["schedule"]["at"])),
            Some(every) => every.to_string(),
            None => "when all three files are there".to_string(),
        };
        out.push_str(&fields(&[
            ("source", s(&sync["source"])),
            ("runs", schedule),
            ("new list", s(&sync["new_list"])),
            ("distribute", s(&sync["distribute"])),
            ("enabled", s(&sync["enabled"])),
        ]));
    }
    let rows: Vec<Vec<String>> = v["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| vec![s(&r["started_at"]), s(&r["trigger"]), s(&r["state"]), s(&r["new_contacts"]), s(&r["reason"])])
        .collect();
    if !rows.is_empty() {
        out.push_str(&table(&["started", "trigger", "state", "new contacts", "reason"], rows));
    }
    out
}

/// Whether a concrete path matches a documented one (`{id}` takes one segment).
fn route_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

/// `pulse api METHOD PATH [-f FILE]`: the route checked against the API's
/// own document, then called; the answer printed as JSON.
async fn raw(api: &Api, io: &mut Io, call: &ApiCall) -> Result<()> {
    let method = call.method.to_ascii_lowercase();
    let path = call.path.split('?').next().unwrap_or_default().to_string();
    if !path.starts_with("/admin/") {
        return Err(Failure::Usage(format!("{}: admin routes start with /admin/", call.path)));
    }
    let document = api.get("/admin/openapi.json").await?;
    let paths = document["paths"].as_object().cloned().unwrap_or_default();
    let documented = paths.iter().find(|(template, _)| route_matches(template, &path));
    match documented {
        Some((_, operations)) if operations.get(&method).is_some() => {}
        Some((template, operations)) => {
            let allowed: Vec<String> = operations.as_object().into_iter().flatten().map(|(m, _)| m.to_uppercase()).collect();
            return Err(Failure::Usage(format!("{template} takes {}, not {}", allowed.join(", "), method.to_uppercase())));
        }
        None => {
            let templates: Vec<&str> = paths.keys().map(String::as_str).collect();
            let hint = files::nearest(&path, &templates).map(|n| format!("; did you mean {n}?")).unwrap_or_default();
            return Err(Failure::Usage(format!("{path} is no admin route{hint}")));
        }
    }
    let body = call.file.as_deref().map(files::read_document).transpose()?;
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).map_err(|e| Failure::Usage(e.to_string()))?;
    let v = api.call(method, &call.path, body.as_ref()).await?;
    output::print(io, true, &v, String::new);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::route_matches;

    #[test]
    fn a_path_matches_its_routes_template_segment_by_segment() {
        assert!(route_matches("/admin/projects/{id}/b2b/sync", "/admin/projects/P1/b2b/sync"));
        assert!(!route_matches("/admin/projects/{id}/b2b/sync", "/admin/projects//b2b/sync"));
        assert!(!route_matches("/admin/projects/{id}", "/admin/projects/P1/b2b"));
        assert!(!route_matches("/admin/projects", "/admin/project"));
    }
}
