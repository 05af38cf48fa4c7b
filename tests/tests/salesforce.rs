//! The B2B sync's Salesforce source through the local stack, against a
//! local stand-in of a Salesforce org (`pulse_tests::salesforce`) that
//! answers with Salesforce's documented shapes: two pages of accounts, a
//! deleted contact and a changed one since the last run loaded exactly as
//! those changes, an expired session refreshed, a 503 retried and then a
//! failed run with its reason; a field the org lacks, credentials it
//! refuses, settings that cannot work: each a clear message, nothing
//! stored half, the previous run's data and watermark left as they were.

use std::time::Duration;

use pulse_shared::domain::b2b::salesforce::soql_datetime;
use pulse_tests::salesforce::{stamp, StandIn};
use pulse_tests::{TestStack, PATIENCE};
use reqwest::Method;
use serde_json::{json, Value};

const KEY: &str = "3MVG9standin.consumer.key";
const SECRET: &str = "s3cr3t-consumer-value-7781";

fn project() -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Konepaja Oy", "business_type": "B2B", "languages": ["en"],
        "b2b_import": {
            "attributes": [{ "name": "Tier", "type": "enum", "values": ["Gold", "Silver"] }],
            "title_roles": { "CFO": "PROCUREMENT_FINANCE_PERSON" }
        } } })
}

const OLD: &str = "2026-01-05T10:00:00";

fn account(id: &str, name: &str, parent: Option<&str>, at: &str) -> Value {
    json!({ "Id": id, "Name": name, "ParentId": parent, "IsDeleted": false, "Tier__c": "Gold", "SystemModstamp": stamp(at),
            "BillingAddress": { "city": "Tampere" } })
}

fn contact(id: &str, first: &str, email: &str, title: &str, account: &str, deleted: bool, at: &str) -> Value {
    json!({ "Id": id, "FirstName": first, "LastName": "Berg", "Email": email, "Title": title, "AccountId": account,
            "IsDeleted": deleted, "SystemModstamp": stamp(at), "Name": format!("{first} Berg") })
}

fn member(id: &str, account: &str, email: &str, role: &str, at: &str) -> Value {
    json!({ "Id": id, "AccountId": account, "User": { "Email": email }, "TeamMemberRole": role, "IsDeleted": false, "SystemModstamp": stamp(at) })
}

/// An org with three accounts (two pages of two), two contacts and a team member.
async fn org() -> StandIn {
    let org = StandIn::start(KEY, SECRET).await;
    org.with(|o| o.page_size = 2);
    org.put("Account", account("001HQ", "Acme Group", None, OLD));
    org.put("Account", account("001DE", "Acme Germany", Some("001HQ"), OLD));
    org.put("Account", account("001US", "Acme US", Some("001HQ"), OLD));
    org.put("Contact", contact("003A", "Anna", "anna@acme.example", "CFO", "001DE", false, OLD));
    org.put("Contact", contact("003B", "Ben", "ben@acme.example", "Engineer", "001US", false, OLD));
    org.put("AccountTeamMember", member("01MA", "001DE", "owner@corp.example", "Account Manager", OLD));
    org
}

async fn get(t: &TestStack, path: &str) -> Value {
    let r = t.admin(Method::GET, path).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

/// Sets the project's sync to the stand-in's org and stores the secret.
async fn set_up(t: &TestStack, id: &str, org: &StandIn) {
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync"))
        .json(&json!({ "source": "salesforce", "new_list": true,
            "salesforce": { "instance_url": org.url, "auth": { "flow": "client_credentials" },
                            "fields": { "accounts": { "attributes": { "Tier": "Tier__c" } } } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    put_secret(t, id, SECRET).await;
}

async fn put_secret(t: &TestStack, id: &str, secret: &str) -> Value {
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync/secret"))
        .json(&json!({ "client_id": KEY, "client_secret": secret }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.contains(secret), "the answer never echoes the secret: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Asks for a run now and waits until it has ended; returns it.
async fn run_now(t: &TestStack, id: &str) -> Value {
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/b2b/sync/run")).send().await.unwrap();
    assert_eq!(r.status(), 202);
    let run_id = r.json::<Value>().await.unwrap()["run_id"].as_str().unwrap().to_string();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let v = get(t, &format!("/admin/projects/{id}/b2b/sync")).await;
        if let Some(run) = v["runs"].as_array().unwrap().iter().find(|r| r["id"] == run_id.as_str()) {
            if run["state"] != "running" {
                return run.clone();
            }
        }
        assert!(tokio::time::Instant::now() < deadline, "run {run_id} did not end: {v:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn fetched(run: &Value, object: &str) -> (u64, u64, u64) {
    let o = run["salesforce"]["objects"].as_array().unwrap().iter().find(|o| o["object"] == object).unwrap_or_else(|| panic!("{run:#}"));
    (o["records"].as_u64().unwrap(), o["deleted"].as_u64().unwrap(), o["pages"].as_u64().unwrap())
}

/// The account's contacts that are not deleted: (id, title).
async fn contacts_of(t: &TestStack, id: &str, account: &str) -> Vec<(String, String)> {
    let v = get(t, &format!("/admin/projects/{id}/accounts/{account}/contacts")).await;
    v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_string(), c["title"].as_str().unwrap().to_string()))
        .collect()
}

async fn account_names(t: &TestStack, id: &str) -> Vec<String> {
    let v = get(t, &format!("/admin/projects/{id}/accounts")).await;
    let mut names: Vec<String> = v["accounts"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

fn later(started_at: &str, seconds: u64) -> String {
    pulse_shared::clock::from_ms(pulse_shared::clock::parse_ms(started_at).unwrap() + seconds * 1000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn salesforce_pages_then_exactly_the_changes_since_the_last_run_with_an_expired_session_refreshed() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project()).await;
    let org = org().await;
    set_up(&t, &id, &org).await;
    let view = get(&t, &format!("/admin/projects/{id}/b2b/sync")).await;
    assert_eq!(view["secret"]["set"], true, "{view:#}");
    assert!(view["secret"]["changed_at"].is_string(), "{view:#}");
    assert!(!view.to_string().contains(SECRET), "neither the config nor the view holds the secret: {view:#}");

    // the first run reads everything: accounts in two pages, through queryAll
    let first = run_now(&t, &id).await;
    assert_eq!(first["state"], "done", "{first:#}");
    assert_eq!(first["trigger"], "manual");
    assert_eq!(fetched(&first, "Account"), (3, 0, 2), "three accounts on two pages: {first:#}");
    assert_eq!(fetched(&first, "Contact"), (2, 0, 1));
    assert_eq!(fetched(&first, "AccountTeamMember"), (1, 0, 1));
    assert_eq!(first["salesforce"]["since"], Value::Null, "a first run asks for every row");
    let soql = org.with(|o| o.queries.clone());
    assert_eq!(soql.len(), 3, "{soql:#?}");
    assert!(soql[0].starts_with("SELECT Id, Name, ParentId, IsDeleted, Tier__c FROM Account"), "{soql:#?}");
    assert!(soql[2].contains("User.Email"), "{soql:#?}");
    assert!(soql.iter().all(|q| !q.contains("Address")) && !soql[1].contains(" Name,"), "no compound field is selected: {soql:#?}");
    assert_eq!(first["new_contacts"], 2, "{first:#}");
    assert!(first["list_id"].is_string(), "the run's new contacts make a list: {first:#}");
    assert_eq!(contacts_of(&t, &id, "001DE").await, [("003A".to_string(), "CFO".to_string())]);
    assert_eq!(contacts_of(&t, &id, "001US").await, [("003B".to_string(), "Engineer".to_string())]);
    assert_eq!(account_names(&t, &id).await, ["Acme Germany", "Acme Group", "Acme US"]);
    let started = first["started_at"].as_str().unwrap().to_string();

    // since then: Anna's title changed, Ben was deleted (only queryAll shows
    // him); the session has expired by the next run
    let changed = later(&started, 60);
    org.put("Contact", contact("003A", "Anna", "anna@acme.example", "Head of Finance", "001DE", false, &changed));
    org.put("Contact", contact("003B", "Ben", "ben@acme.example", "Engineer", "001US", true, &changed));
    org.with(|o| o.expire_sessions = 1);
    let second = run_now(&t, &id).await;
    assert_eq!(second["state"], "done", "{second:#}");
    assert_eq!(second["salesforce"]["since"].as_str(), Some(started.as_str()), "the watermark: the last run's start");
    assert_eq!(second["salesforce"]["tokens"], 2, "the expired session got a new token: {second:#}");
    assert_eq!(fetched(&second, "Account"), (0, 0, 1), "no account changed");
    assert_eq!(fetched(&second, "Contact"), (2, 1, 1), "exactly the two changed contacts, one deleted");
    assert_eq!(fetched(&second, "AccountTeamMember"), (0, 0, 1));
    let files: Vec<&str> = second["files"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(files, ["contacts"], "only what changed is loaded: {second:#}");
    let queries = org.with(|o| o.queries.clone());
    assert!(queries[3..].iter().all(|q| q.contains(&format!("WHERE SystemModstamp > {}", soql_datetime(&started)))), "{queries:#?}");
    assert_eq!(second["new_contacts"], 0, "nobody new: {second:#}");
    assert_eq!(contacts_of(&t, &id, "001DE").await, [("003A".to_string(), "Head of Finance".to_string())], "the change is loaded");
    assert_eq!(contacts_of(&t, &id, "001US").await, [], "the deleted contact is gone from the account");
    assert_eq!(account_names(&t, &id).await, ["Acme Germany", "Acme Group", "Acme US"], "accounts untouched");
    let bucket = t.config("import-contacts").data_bucket.clone();
    let left = t.stack.aws.s3.list_objects_v2().bucket(bucket).prefix(format!("salesforce/{id}/")).send().await.unwrap();
    assert_eq!(left.key_count(), Some(0), "the fetched rows leave the bucket once loaded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn salesforce_failures_are_explained_and_leave_the_last_run_intact() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project()).await;
    let org = org().await;

    // settings that cannot work are refused at their field, nothing stored
    let put = |body: Value| t.admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync")).json(&body).send();
    let plain = put(json!({ "source": "salesforce", "salesforce": { "instance_url": "http://acme.my.salesforce.com", "auth": { "flow": "client_credentials" } } }))
        .await
        .unwrap();
    assert_eq!(plain.status(), 400);
    let plain: Value = plain.json().await.unwrap();
    assert_eq!(plain["field"], "salesforce.instance_url", "{plain:#}");
    assert!(plain["message"].as_str().unwrap().contains("https only"), "{plain:#}");
    let compound = put(json!({ "source": "salesforce", "salesforce": { "instance_url": org.url, "auth": { "flow": "client_credentials" },
        "fields": { "contacts": { "first_name": "Name" } } } }))
    .await
    .unwrap();
    assert_eq!(compound.status(), 400);
    let compound: Value = compound.json().await.unwrap();
    assert_eq!(compound["field"], "salesforce.fields.contacts.first_name", "{compound:#}");
    assert!(compound["message"].as_str().unwrap().contains("compound field"), "{compound:#}");
    assert_eq!(get(&t, &format!("/admin/projects/{id}/b2b/sync")).await["sync"], Value::Null, "nothing stored");

    set_up(&t, &id, &org).await;
    let first = run_now(&t, &id).await;
    assert_eq!(first["state"], "done", "{first:#}");
    let started = first["started_at"].as_str().unwrap().to_string();
    let renamed = later(&started, 60);
    org.put("Account", account("001US", "Acme Americas", Some("001HQ"), &renamed));

    // Salesforce unavailable: tried again, then a failed run with the reason
    org.with(|o| o.unavailable = u32::MAX);
    let busy = run_now(&t, &id).await;
    assert_eq!(busy["state"], "failed", "{busy:#}");
    let reason = busy["reason"].as_str().unwrap();
    assert!(reason.starts_with("Account:") && reason.contains("unavailable after 4 tries") && reason.contains("503"), "{reason}");
    assert_eq!(org.with(|o| o.unavailable_answers), 4, "four tries, then no more");
    assert_eq!(busy["salesforce"]["retries"], 3);
    assert_eq!(busy["files"], json!([]), "nothing loaded");
    org.with(|o| o.unavailable = 0);

    // a field the org lacks: named with its object; the account that changed
    // in the same run is not loaded either
    org.with(|o| o.missing = vec![("Contact".into(), "Title".into())]);
    let missing = run_now(&t, &id).await;
    assert_eq!(missing["state"], "failed", "{missing:#}");
    let reason = missing["reason"].as_str().unwrap();
    assert!(reason.contains("the field Title does not exist on Contact") && reason.contains("nothing was loaded"), "{reason}");
    assert_eq!(fetched(&missing, "Account"), (1, 0, 1), "the account was fetched…");
    assert_eq!(account_names(&t, &id).await, ["Acme Germany", "Acme Group", "Acme US"], "…and not loaded");
    org.with(|o| o.missing.clear());

    // credentials the org refuses
    put_secret(&t, &id, "a-wrong-secret").await;
    let refused = run_now(&t, &id).await;
    assert_eq!(refused["state"], "failed", "{refused:#}");
    let reason = refused["reason"].as_str().unwrap();
    assert!(reason.contains("refused the connected app's credentials") && reason.contains("invalid_client"), "{reason}");
    assert!(!reason.contains("a-wrong-secret"), "{reason}");

    // the previous run's data are intact, and the watermark never moved
    assert_eq!(contacts_of(&t, &id, "001DE").await, [("003A".to_string(), "CFO".to_string())]);
    put_secret(&t, &id, SECRET).await;
    let fixed = run_now(&t, &id).await;
    assert_eq!(fixed["state"], "done", "{fixed:#}");
    assert_eq!(fixed["salesforce"]["since"].as_str(), Some(started.as_str()), "failed runs do not move the watermark");
    assert_eq!(account_names(&t, &id).await, ["Acme Americas", "Acme Germany", "Acme Group"]);

    // each failure is a run with its reason; the view names the newest first
    let view = get(&t, &format!("/admin/projects/{id}/b2b/sync")).await;
    let states: Vec<&str> = view["runs"].as_array().unwrap().iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["done", "failed", "failed", "failed", "done"], "{view:#}");
    // and as an error line the template's SyncRunFailed alarm counts
    let logs =
        std::fs::read_dir(pulse_tests::log_dir()).unwrap().filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect::<String>();
    for run in [&busy, &missing, &refused] {
        let id = run["id"].as_str().unwrap();
        assert!(logs.lines().any(|l| l.contains("B2B sync run failed") && l.contains(id) && l.contains("ERROR")), "no error line for {id}");
    }
    assert!(!logs.contains(SECRET) && !logs.contains("a-wrong-secret"), "no secret in the logs");

    // a file dropped into the folder of a project that reads Salesforce is
    // not imported: a failed run says why
    let bucket = t.config("import-contacts").data_bucket.clone();
    let key = format!("sync/{id}/accounts/Account.csv");
    t.stack.aws.s3.put_object().bucket(&bucket).key(&key).body(b"Id,Name\n001X,Dropped\n".to_vec().into()).send().await.unwrap();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let dropped = loop {
        let v = get(&t, &format!("/admin/projects/{id}/b2b/sync")).await;
        if let Some(r) = v["runs"].as_array().unwrap().iter().find(|r| r["trigger"] == "drop") {
            break r.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "{v:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(dropped["state"], "failed");
    assert!(dropped["reason"].as_str().unwrap().contains("syncs from Salesforce"), "{dropped:#}");
    assert!(!account_names(&t, &id).await.contains(&"Dropped".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_jwt_bearer_org_is_read_with_the_private_key_kept_in_secrets_manager() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project()).await;
    let org = org().await;
    let private = include_str!("../../shared/testdata/salesforce-test-only-key.pem");
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync"))
        .json(&json!({ "source": "salesforce",
            "salesforce": { "instance_url": org.url, "auth": { "flow": "jwt_bearer", "username": "integration@konepaja.example" } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // the JWT flow needs the private key, not a consumer secret
    let wrong = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync/secret"))
        .json(&json!({ "client_id": KEY, "client_secret": SECRET }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert_eq!(wrong.json::<Value>().await.unwrap()["field"], "private_key");
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync/secret"))
        .json(&json!({ "client_id": KEY, "private_key": private }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(!get(&t, &format!("/admin/projects/{id}/b2b/sync")).await.to_string().contains("PRIVATE KEY"));

    let run = run_now(&t, &id).await;
    assert_eq!(run["state"], "done", "{run:#}");
    assert_eq!(fetched(&run, "Account"), (3, 0, 2));
    let assertion = org.with(|o| o.assertions.clone()).pop().expect("an assertion was sent");
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(include_bytes!("../../shared/testdata/salesforce-test-only-key.pub.pem")).unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.set_audience(&["https://login.salesforce.com"]);
    let claims = jsonwebtoken::decode::<Value>(&assertion, &key, &v).expect("signed with the stored key").claims;
    assert_eq!((claims["iss"].as_str(), claims["sub"].as_str()), (Some(KEY), Some("integration@konepaja.example")));

    // a deleted project takes its secret with it
    let name = format!("{}{id}", t.config("import-contacts").secrets_prefix);
    let stored = t.stack.aws.secretsmanager.get_secret_value().secret_id(&name).send().await.unwrap();
    assert!(stored.secret_string().unwrap().contains("PRIVATE KEY"), "kept in Secrets Manager under the stack's prefix");
    let deleted = t.delete_project(&id).await;
    assert_eq!(deleted["job"]["removed"]["secrets"], 1, "{deleted:#}");
    assert!(t.stack.aws.secretsmanager.get_secret_value().secret_id(&name).send().await.is_err(), "no secret outlives its project");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_scheduled_salesforce_run_waits_out_the_orgs_api_limit() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project()).await;
    let org = org().await;
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync"))
        .json(&json!({ "source": "salesforce", "schedule": { "every": "hourly" },
            "salesforce": { "instance_url": org.url, "auth": { "flow": "client_credentials" } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    put_secret(&t, &id, SECRET).await;
    let fire = || t.http.post(t.url("/_local/schedules/ImportContactsFunction.SyncSchedule")).send();
    let r: Value = fire().await.unwrap().json().await.unwrap();
    assert_eq!(get(&t, &format!("/admin/projects/{id}/b2b/sync")).await["runs"], json!([]), "the slot it was set in has passed: {r:#}");

    // an hour later the slot comes; the org is over its API limit twice
    org.with(|o| o.limited = 2);
    let moved = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": 3600 })).send().await.unwrap();
    assert!(moved.status().is_success());
    fire().await.unwrap();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let run = loop {
        let v = get(&t, &format!("/admin/projects/{id}/b2b/sync")).await;
        if let Some(r) = v["runs"].as_array().unwrap().first().filter(|r| r["state"] != "running") {
            break r.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "{v:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!((run["trigger"].as_str(), run["state"].as_str()), (Some("schedule"), Some("done")), "{run:#}");
    assert_eq!(run["salesforce"]["retries"], 2, "REQUEST_LIMIT_EXCEEDED is tried again: {run:#}");
    assert_eq!(fetched(&run, "Account"), (3, 0, 2));
    assert_eq!(account_names(&t, &id).await, ["Acme Germany", "Acme Group", "Acme US"]);
    // the same slot again runs nothing more
    fire().await.unwrap();
    assert_eq!(get(&t, &format!("/admin/projects/{id}/b2b/sync")).await["runs"].as_array().unwrap().len(), 1);
}
