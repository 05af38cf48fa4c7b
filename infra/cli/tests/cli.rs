//! The `pulse` command against a fresh local stack, in-process: what a
//! person runs, what a script reads (`--json`, exit codes, progress
//! events on stderr), and the bad inputs that must stop with one line.

use std::path::PathBuf;

use pulse_cli::{run, Io};
use pulse_tests::{TestStack, API_KEY};
use serde_json::Value;

struct Ran {
    code: i32,
    out: String,
    err: String,
}

impl Ran {
    fn json(&self) -> Value {
        serde_json::from_str(&self.out).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\nstderr: {}", self.out, self.err))
    }

    /// The progress events (`--json`) on stderr.
    fn events(&self, kind: &str) -> Vec<Value> {
        self.err.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).filter(|e| e["event"] == kind).collect()
    }
}

async fn pulse_with(env: &[(&str, &str)], args: &[&str]) -> Ran {
    let (mut io, out, err) = Io::captured(env);
    let mut full = vec!["pulse"];
    full.extend_from_slice(args);
    let code = run(full, &mut io).await;
    Ran { code, out: out.text(), err: err.text() }
}

/// `pulse --url <the stack> ARGS` with the stack's key.
async fn pulse(stack: &TestStack, args: &[&str]) -> Ran {
    let mut full = vec!["--url", stack.stack.base_url.as_str()];
    full.extend_from_slice(args);
    pulse_with(&[("PULSE_API_KEY", API_KEY)], &full).await
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("pulse-cli-test-{}-{}", std::process::id(), fastrand_suffix()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn fastrand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

const PROJECT: &str = "\
kind: quick_check_in
settings:
  organisation_name: Demo GmbH
  business_type: B2B
  languages: [de, en]
  operational_fields: [Region]
";

const MESSAGES: &str = "\
messages:
  de: {subject: \"{{FirstName}}, wie machen wir uns?\", body: \"Bitte antworten Sie: {{SurveyLink}}\"}
  en: {subject: \"{{FirstName}}, how are we doing?\", body: \"Please answer: {{SurveyLink}}\"}
";

/// How many rows the large contact file has.
const ROWS: usize = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_project_from_a_file_to_sent_invitations() {
    let stack = TestStack::start().await;
    let d = dir();
    std::fs::write(d.join("pulse.yaml"), PROJECT).expect("write");
    std::fs::write(d.join("invitation.yaml"), MESSAGES).expect("write");

    // create from a YAML file, publish
    let created = pulse(&stack, &["--json", "projects", "create", "-f", d.join("pulse.yaml").to_str().unwrap()]).await;
    assert_eq!(created.code, 0, "{}", created.err);
    let id = created.json()["id"].as_str().expect("id").to_string();
    let published = pulse(&stack, &["projects", "publish", &id]).await;
    assert_eq!(published.code, 0, "{}", published.err);
    assert!(published.out.contains(&format!("published project {id}: version 1")), "{}", published.out);
    std::fs::write(
        d.join("logo.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#102a43"/></svg>"##,
    )
    .expect("write");
    let logo = pulse(&stack, &["projects", "logo", &id, d.join("logo.svg").to_str().unwrap()]).await;
    assert_eq!(logo.code, 0, "{}", logo.err);
    assert!(logo.out.contains(&format!("{}/logo/{id}/", stack.stack.base_url)), "{}", logo.out);
    let shown = pulse(&stack, &["projects", "show", &id]).await;
    assert!(shown.out.contains("published (version 1)") && shown.out.contains("Demo GmbH"), "{}", shown.out);

    // a large contact file: the upload's bytes, then the import to its end
    let mut csv = String::from("Email,FirstName,LastName,Region\n");
    for i in 0..ROWS {
        csv.push_str(&format!("person{i}@example.com,Person,Number{i},{}\n", if i % 2 == 0 { "North" } else { "South" }));
    }
    csv.push_str("not-an-address,Bad,Row,North\n");
    std::fs::write(d.join("customers.csv"), &csv).expect("write");
    let up = pulse(
        &stack,
        &["--json", "contacts", "upload", d.join("customers.csv").to_str().unwrap(), "--project", &id, "--list", "customers"],
    )
    .await;
    assert_eq!(up.code, 0, "{}", up.err);
    let uploads = up.events("upload");
    assert_eq!(uploads.last().expect("upload events")["bytes"], csv.len() as u64, "{}", up.err);
    let imports = up.events("import");
    let last = imports.last().expect("import events");
    assert_eq!(last["state"], "done", "{}", up.err);
    assert_eq!(last["counts"]["accepted"], ROWS as u64);
    assert_eq!(last["counts"]["rejected"], 1);
    let record = up.json();
    assert_eq!(record["contacts"], ROWS as u64);
    assert!(record["report"]["rejected_rows_url"].is_string(), "{record}");

    // a small list to invite, uploaded as a person does (tables, no events)
    std::fs::write(d.join("pilot.csv"), "Email,FirstName,LastName,Region\nanna@example.com,Anna,Schmidt,Nord\nben@example.com,Ben,Jones,South\ncarla@example.com,Carla,Rossi,South\n")
        .expect("write");
    let up = pulse(&stack, &["contacts", "upload", d.join("pilot.csv").to_str().unwrap(), "--project", &id, "--list", "pilot"]).await;
    assert_eq!(up.code, 0, "{}", up.err);
    assert!(up.out.contains(": done") && up.out.contains("accepted"), "{}", up.out);
    assert!(up.err.is_empty(), "no progress on a stderr that is not a terminal: {}", up.err);

    // dry run: what will happen, nothing created
    let message = d.join("invitation.yaml");
    let dry =
        pulse(&stack, &["--json", "send", "--project", &id, "--list", "pilot", "--message-file", message.to_str().unwrap(), "--dry-run"])
            .await;
    assert_eq!(dry.code, 0, "{}", dry.err);
    assert_eq!(dry.json()["forecast"]["will_send"], 3, "{}", dry.out);
    let dry = pulse(&stack, &["send", "--project", &id, "--list", "pilot", "--message-file", message.to_str().unwrap(), "--dry-run"]).await;
    assert!(dry.out.contains("dry run: nothing was sent") && dry.out.contains("will be sent"), "{}", dry.out);
    let none = pulse(&stack, &["--json", "distributions", "list", "--project", &id]).await;
    assert_eq!(none.json()["distributions"], serde_json::json!([]), "a dry run creates nothing");

    // for real, then watched to the end (the project found from the id)
    let sent = pulse(&stack, &["--json", "send", "--project", &id, "--list", "pilot", "--message-file", message.to_str().unwrap()]).await;
    assert_eq!(sent.code, 0, "{}", sent.err);
    let distribution = sent.json()["id"].as_str().expect("distribution id").to_string();
    let watched = pulse(&stack, &["--json", "distributions", "watch", &distribution]).await;
    assert_eq!(watched.code, 0, "{}", watched.err);
    let end = watched.events("distribution").last().cloned().expect("distribution events");
    assert_eq!(end["state"], "done", "{}", watched.err);
    assert_eq!(end["sent"], 3);
    assert_eq!(stack.outbox(3).await.len(), 3);
    let who = pulse(&stack, &["--json", "distributions", "recipients", &distribution, "--project", &id, "--state", "sent"]).await;
    assert_eq!(who.json()["recipients"].as_array().map(Vec::len), Some(3), "{}", who.out);
    let lists = pulse(&stack, &["contacts", "lists", "--project", &id]).await;
    assert!(lists.out.contains("customers") && lists.out.contains("pilot") && lists.out.contains("20000"), "{}", lists.out);
    let resume = pulse(&stack, &["distributions", "resume", &distribution, "--project", &id]).await;
    assert_eq!(resume.code, 2, "a finished distribution is not resumed: {}", resume.err);
    assert!(resume.err.contains("not paused"), "{}", resume.err);

    // a report, waited for: its share link and its files
    let report = pulse(&stack, &["report", "--project", &id, "--wait"]).await;
    assert_eq!(report.code, 0, "{}", report.err);
    let share = format!("{}/reports/", stack.stack.base_url);
    assert!(report.out.contains(": done (") && report.out.contains(&share) && report.out.contains("html: http"), "{}", report.out);
    let who = pulse(&stack, &["contacts", "show", "anna@example.com", "--project", &id]).await;
    assert!(who.out.contains("Anna Schmidt") && who.out.contains("Region=Nord") && who.out.contains(&distribution), "{}", who.out);

    // figures and the budget
    let figures = pulse(&stack, &["--json", "figures", "--project", &id]).await;
    assert_eq!(figures.code, 0, "{}", figures.err);
    assert_eq!(figures.json()["headline"]["responses"], 0);
    let table = pulse(&stack, &["figures", "--project", &id]).await;
    assert!(table.out.contains("NPS") && table.out.contains("responses"), "{}", table.out);
    let account = pulse(&stack, &["--json", "accounts", "create", "Demo GmbH", "--time-zone", "Europe/Berlin"]).await;
    assert_eq!(account.code, 0, "{}", account.err);
    let account = account.json()["id"].as_str().expect("account id").to_string();
    let budget = pulse(&stack, &["--json", "budget", "--account", &account]).await;
    assert_eq!(budget.code, 0, "{}", budget.err);
    assert_eq!(budget.json()["monthly_budget"], 50, "the Starter plan");
    let budget = pulse(&stack, &["budget", "--account", &account]).await;
    assert!(budget.out.contains("remaining") && budget.out.contains("Starter"), "{}", budget.out);

    // an edit: a merge patch checked against the current settings, then sent
    std::fs::write(d.join("changes.yaml"), format!("settings:\n  account_id: \"{account}\"\n  quiet_period_days: 30\n")).expect("write");
    let edited = pulse(&stack, &["--json", "projects", "edit", &id, "-f", d.join("changes.yaml").to_str().unwrap()]).await;
    assert_eq!(edited.code, 0, "{}", edited.err);
    let edited = edited.json();
    assert_eq!(edited["settings"]["quiet_period_days"], 30);
    assert_eq!(edited["settings"]["organisation_name"], "Demo GmbH", "the rest is kept");
    let budget = pulse(&stack, &["--json", "budget", "--project", &id]).await;
    assert_eq!(budget.json()["account_id"], account.as_str(), "{}", budget.err);
    std::fs::write(d.join("typo.yaml"), "quiet_period_dayz: 10\n").expect("write");
    let typo = pulse(&stack, &["projects", "edit", &id, "-f", d.join("typo.yaml").to_str().unwrap()]).await;
    assert_eq!(typo.code, 1, "{}", typo.err);
    assert!(typo.err.contains("did you mean `quiet_period_days`?"), "{}", typo.err);
    let after = pulse(&stack, &["--json", "projects", "show", &id]).await.json();
    assert_eq!(after["settings"]["quiet_period_days"], 30, "nothing changed by the refused edit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_stops_with_one_line_and_nothing_done() {
    let stack = TestStack::start().await;
    let d = dir();

    // a typo in a field name: named with the near miss, nothing created
    std::fs::write(d.join("typo.yaml"), PROJECT.replace("organisation_name", "organisaton_name")).expect("write");
    let typo = pulse(&stack, &["projects", "create", "-f", d.join("typo.yaml").to_str().unwrap()]).await;
    assert_eq!(typo.code, 1, "{}", typo.err);
    assert_eq!(typo.err.lines().count(), 1, "{}", typo.err);
    assert!(typo.err.contains("unknown field `organisaton_name` at `settings`, did you mean `organisation_name`?"), "{}", typo.err);
    let list = pulse(&stack, &["--json", "projects", "list"]).await;
    assert_eq!(list.json()["projects"], serde_json::json!([]));

    // an import that fails (a required column missing): exit 4, saying why, no list of contacts
    std::fs::write(d.join("pulse.yaml"), PROJECT).expect("write");
    let created = pulse(&stack, &["--json", "projects", "create", "-f", d.join("pulse.yaml").to_str().unwrap()]).await;
    let id = created.json()["id"].as_str().expect("id").to_string();
    std::fs::write(d.join("broken.csv"), "Email,FirstName,Region\nanna@example.com,Anna,Nord\n").expect("write");
    let broken = pulse(&stack, &["contacts", "upload", d.join("broken.csv").to_str().unwrap(), "--project", &id]).await;
    assert_eq!(broken.code, 4, "{}\n{}", broken.out, broken.err);
    assert!(broken.err.contains("the import of broken.csv failed") && broken.err.contains("LastName"), "{}", broken.err);
    assert!(broken.out.contains(": failed"), "{}", broken.out);

    // the message file is checked before anything is created
    std::fs::write(
        d.join("m.yaml"),
        "messages:\n  de: {subject: Hallo, body: \"{{SurveyLink}} {{Regoin}}\"}\n  en: {subject: Hi, body: \"{{SurveyLink}}\"}\n",
    )
    .expect("write");
    let bad = pulse(&stack, &["send", "--project", &id, "--list", "x", "--message-file", d.join("m.yaml").to_str().unwrap()]).await;
    assert_eq!(bad.code, 1, "{}", bad.err);
    assert!(bad.err.contains("Regoin"), "{}", bad.err);
    let none = pulse(&stack, &["--json", "distributions", "list", "--project", &id]).await;
    assert_eq!(none.json()["distributions"], serde_json::json!([]));

    // the API refuses: exit 2, with its message
    let missing = pulse(&stack, &["projects", "show", "no-such-project"]).await;
    assert_eq!(missing.code, 2, "{}", missing.err);
    assert_eq!(missing.err.lines().count(), 1, "{}", missing.err);

    // a wrong key: exit 3, saying what to do
    let wrong = pulse_with(&[("PULSE_API_KEY", "wrong-key")], &["--url", &stack.stack.base_url, "projects", "list"]).await;
    assert_eq!(wrong.code, 3, "{}", wrong.err);
    assert!(wrong.err.contains("PULSE_API_KEY") && !wrong.err.contains("wrong-key"), "{}", wrong.err);

    // nothing listening: exit 3
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        l.local_addr().expect("addr").port()
    };
    let gone = pulse_with(&[], &["--url", &format!("http://127.0.0.1:{port}"), "projects", "list"]).await;
    assert_eq!(gone.code, 3, "{}", gone.err);
    assert!(gone.err.contains("cannot reach the API"), "{}", gone.err);

    // an API answering 403 (as API Gateway does to credentials without the right)
    let forbidden = forbidding_server().await;
    let refused = pulse_with(&[], &["--url", &forbidden, "projects", "list"]).await;
    assert_eq!(refused.code, 3, "{}", refused.err);
    assert_eq!(refused.err.lines().count(), 1, "{}", refused.err);
    assert!(refused.err.contains("403") && refused.err.contains("refused"), "{}", refused.err);

    // usage: exit 1; help: exit 0 with an example
    let usage = pulse_with(&[], &["--url", &stack.stack.base_url, "send", "--project", "p"]).await;
    assert_eq!(usage.code, 1, "{}", usage.err);
    let help = pulse_with(&[], &["contacts", "upload", "--help"]).await;
    assert_eq!(help.code, 0);
    assert!(help.out.contains("Example:"), "{}", help.out);
}

/// A server that answers every request 403 as API Gateway does.
async fn forbidding_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let body = r#"{"message":"Forbidden"}"#;
            let answer = format!(
                "HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_reports_an_unverified_sender_with_the_fix() {
    let stack = TestStack::start().await;
    let healthy = pulse(&stack, &["doctor"]).await;
    assert_eq!(healthy.code, 0, "{}\n{}", healthy.out, healthy.err);
    for line in ["ok    SES sender", "ok    public URL", "ok    dead letters", "ok    health"] {
        assert!(healthy.out.contains(line), "{line}: {}", healthy.out);
    }

    let sender = stack.config("admin-api").sender_email.clone();
    stack.stack.aws.ses.delete_email_identity().email_identity(&sender).send().await.expect("identity deleted");
    let sick = pulse(&stack, &["doctor"]).await;
    assert_eq!(sick.code, 4, "{}\n{}", sick.out, sick.err);
    let line = sick.out.lines().find(|l| l.contains("SES sender")).expect("sender line");
    assert!(line.starts_with("FAIL") && line.contains(&sender) && line.contains("fix: verify it in SES"), "{line}");
    assert!(sick.err.contains("1 check(s) failed"), "{}", sick.err);
    let json = pulse(&stack, &["--json", "doctor"]).await;
    let checks = json.json()["checks"].as_array().cloned().expect("checks");
    assert!(checks.iter().any(|c| c["check"] == "SES sender" && c["status"] == "fail" && c["fix"].is_string()), "{checks:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_invited_given_a_role_disabled_and_enabled_and_any_route_is_callable_by_pulse_api() {
    let stack = TestStack::start().await;
    let invited = pulse(&stack, &["users", "invite", "colleague@example.com", "--role", "editor"]).await;
    assert_eq!(invited.code, 0, "{}", invited.err);
    assert!(invited.out.contains("colleague@example.com is editor (enabled, FORCE_CHANGE_PASSWORD)"), "{}", invited.out);

    let again = pulse(&stack, &["users", "invite", "colleague@example.com"]).await;
    assert_eq!(again.code, 2, "{}", again.out);
    assert!(again.err.contains("already has a console account"), "{}", again.err);

    let role = pulse(&stack, &["users", "role", "colleague@example.com", "admin"]).await;
    assert_eq!(role.code, 0, "{}", role.err);
    let disabled = pulse(&stack, &["--json", "users", "disable", "colleague@example.com"]).await;
    assert_eq!((disabled.json()["role"].as_str(), disabled.json()["enabled"].as_bool()), (Some("admin"), Some(false)));

    // what the pool holds, read past the command: one role group, disabled
    let pool = &stack.config("admin-api").user_pool_id;
    let cognito = &stack.stack.aws.cognito;
    let user = cognito.admin_get_user().user_pool_id(pool).username("colleague@example.com").send().await.expect("user");
    assert!(!user.enabled);
    let groups = cognito.admin_list_groups_for_user().user_pool_id(pool).username("colleague@example.com").send().await.expect("groups");
    let names: Vec<_> = groups.groups().iter().filter_map(|g| g.group_name()).collect();
    assert_eq!(names, ["admin"]);

    let listed = pulse(&stack, &["users", "list"]).await;
    assert!(
        listed.out.lines().any(|l| l.contains("colleague@example.com") && l.contains("admin") && l.contains("disabled")),
        "{}",
        listed.out
    );
    let enabled = pulse(&stack, &["--json", "users", "enable", "colleague@example.com"]).await;
    assert_eq!(enabled.json()["enabled"], true);

    let nobody = pulse(&stack, &["users", "disable", "nobody@example.com"]).await;
    assert_eq!(nobody.code, 2);
    assert!(nobody.err.contains("console user nobody@example.com not found"), "{}", nobody.err);
    let bad = pulse(&stack, &["users", "invite", "not-an-address"]).await;
    assert_eq!(bad.code, 2);
    assert!(bad.err.contains("email"), "{}", bad.err);

    // any route, checked against the API's own document first
    let raw = pulse(&stack, &["api", "GET", "/admin/users"]).await;
    assert_eq!(raw.code, 0, "{}", raw.err);
    assert_eq!(raw.json()["users"].as_array().map(Vec::len), Some(2), "the admin and the colleague");
    let typo = pulse(&stack, &["api", "GET", "/admin/usres"]).await;
    assert_eq!(typo.code, 1);
    assert!(typo.err.contains("/admin/usres is no admin route; did you mean /admin/users?"), "{}", typo.err);
    let method = pulse(&stack, &["api", "DELETE", "/admin/users"]).await;
    assert_eq!(method.code, 1);
    assert!(method.err.contains("/admin/users takes GET, POST, not DELETE"), "{}", method.err);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_b2b_sync_and_its_sftp_keys_are_set_from_files() {
    let stack = TestStack::start_with(&[("SftpEndpoint", "true")]).await;
    let d = dir();
    std::fs::write(d.join("pulse.yaml"), PROJECT).unwrap();
    let created = pulse(&stack, &["-q", "projects", "create", "-f", d.join("pulse.yaml").to_str().unwrap()]).await;
    let project = created.out.trim().to_string();
    assert!(!project.is_empty(), "{}", created.err);

    // a typo in the sync file: named with its near miss, nothing stored
    std::fs::write(d.join("sync.yaml"), "source: drop_folder\nschedule: {every: daily, at: \"06:30\"}\nnew_lst: true\n").unwrap();
    let typo = pulse(&stack, &["b2b", "sync", "set", "--project", &project, "-f", d.join("sync.yaml").to_str().unwrap()]).await;
    assert_eq!(typo.code, 1, "{}", typo.err);
    assert!(typo.err.contains("unknown field `new_lst`, did you mean `new_list`?"), "{}", typo.err);
    let shown = pulse(&stack, &["b2b", "sync", "show", "--project", &project]).await;
    assert!(shown.out.contains("no sync is set up") && shown.out.contains(&format!("/sync/{project}/")), "{}", shown.out);
    std::fs::write(d.join("sync.yaml"), "source: drop_folder\nschedule: {every: daily, at: \"06:30\"}\nnew_list: true\n").unwrap();
    let set = pulse(&stack, &["b2b", "sync", "set", "--project", &project, "-f", d.join("sync.yaml").to_str().unwrap()]).await;
    assert_eq!(set.code, 0, "{}", set.err);
    assert!(set.out.contains("daily at 06:30"), "{}", set.out);
    let run = pulse(&stack, &["--json", "b2b", "sync", "run", "--project", &project]).await;
    assert_eq!((run.code, run.json()["status"].as_str()), (0, Some("queued")), "{}", run.err);

    // a key from its .pub file; a private key is refused before anything is sent
    std::fs::write(d.join("partner"), "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n").unwrap();
    let private = pulse(&stack, &["b2b", "sftp", "add-key", "--project", &project, d.join("partner").to_str().unwrap()]).await;
    assert_eq!(private.code, 1);
    assert!(private.err.contains("this is a private key"), "{}", private.err);
    std::fs::write(d.join("partner.pub"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBGbuqGIXObD/cDl5G0YuiXGMIKhJrcs1uIB7d4kQID1 anna@laptop\n")
        .unwrap();
    let added = pulse(&stack, &["-q", "b2b", "sftp", "add-key", "--project", &project, d.join("partner.pub").to_str().unwrap()]).await;
    assert_eq!(added.code, 0, "{}", added.err);
    let key = added.out.trim().to_string();
    let keys = pulse(&stack, &["b2b", "sftp", "keys", "--project", &project]).await;
    assert!(keys.out.contains(&format!("sftp pulse-{project}@")) && keys.out.contains("SHA256:V01jH6y3ydfooY"), "{}", keys.out);
    let removed = pulse(&stack, &["b2b", "sftp", "remove-key", "--project", &project, &key]).await;
    assert_eq!(removed.code, 0, "{}", removed.err);
    let keys = pulse(&stack, &["--json", "b2b", "sftp", "keys", "--project", &project]).await;
    assert_eq!(keys.json()["keys"], serde_json::json!([]));
}
