//! Plans and survey budgets through the local stack: what counts (sent
//! invitations and reminders, responses through links the team hands out,
//! not responses to emailed invitations), records refused and not queued
//! when the month's budget is used up, the next month starting fresh at
//! midnight in the account's time zone (with the stack's clock moved), plan
//! changes applying at once, the lifetime cap, the budget view, and the
//! budget holding exactly under 100 concurrent submissions.

use std::time::Duration;

use pulse_shared::domain::budget::{billing_month, month_bounds};
use pulse_tests::{complete_answers, TestStack, PATIENCE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn post(t: &TestStack, path: &str, body: Value) -> (StatusCode, Value) {
    let r = t.admin(Method::POST, path).json(&body).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

async fn get(t: &TestStack, path: &str) -> Value {
    let r = t.admin(Method::GET, path).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

/// Creates a plan; returns its name.
async fn plan(t: &TestStack, name: &str, monthly: i64, lifetime: Option<i64>) -> String {
    let mut body = json!({ "name": name, "monthly_budget": monthly });
    if let Some(c) = lifetime {
        body["lifetime_cap"] = c.into();
    }
    let (status, p) = post(t, "/admin/plans", body).await;
    assert_eq!(status, 201, "{p}");
    name.to_string()
}

/// Creates an account; returns its id.
async fn account(t: &TestStack, plan: &str, time_zone: &str) -> String {
    let (status, a) = post(t, "/admin/accounts", json!({ "name": "Kahvila Oy", "plan": plan, "time_zone": time_zone })).await;
    assert_eq!(status, 201, "{a}");
    a["id"].as_str().unwrap().to_string()
}

async fn budget(t: &TestStack, account_id: &str) -> Value {
    get(t, &format!("/admin/accounts/{account_id}/budget")).await
}

fn project(account_id: &str) -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": ["Region"],
        "languages": ["en", "de"], "account_id": account_id } })
}

/// Opens a budgeted project; returns (id, anonymous link path, answers).
async fn open(t: &TestStack, account_id: &str) -> (String, String, Vec<(String, String)>) {
    let (id, anon, survey) = t.open_project(project(account_id)).await;
    (id, anon, complete_answers(&survey))
}

async fn response_count(t: &TestStack, id: &str) -> usize {
    t.responses(id).await["responses"].as_array().unwrap().len()
}

fn contacts(n: usize) -> String {
    let mut f = String::from("Email,FirstName,LastName,Region\n");
    for i in 0..n {
        f.push_str(&format!("c{i}@example.com,First{i},Last{i},North\n"));
    }
    f
}

async fn distribution(t: &TestStack, id: &str, dist: &str) -> Value {
    get(t, &format!("/admin/projects/{id}/distributions/{dist}")).await
}

/// Sends to the whole list and waits until the distribution is done.
async fn send_to(t: &TestStack, id: &str, list_id: &str, reminder: Option<Value>) -> Value {
    // a distribution speaks every language of the project (en and de)
    let mut body = json!({ "list_id": list_id, "messages": {
        "en": { "subject": "How are we doing?", "body": "Please answer: {{SurveyLink}}" },
        "de": { "subject": "Wie machen wir uns?", "body": "Bitte antworten: {{SurveyLink}}" } } });
    if let Some(r) = reminder {
        body["reminder"] = r;
    }
    let (status, d) = post(t, &format!("/admin/projects/{id}/distributions"), body).await;
    assert_eq!(status, 201, "{d}");
    let dist = d["id"].as_str().unwrap().to_string();
    let deadline = tokio::time::Instant::now() + PATIENCE * 2;
    loop {
        let d = distribution(t, id, &dist).await;
        if d["state"] == "done" {
            return d;
        }
        assert!(tokio::time::Instant::now() < deadline, "the distribution never finished: {d:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn survey_path(t: &TestStack, mail: &Value) -> String {
    let link = mail["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).find(|l| l.contains("/s/")).unwrap();
    link.strip_prefix(&t.stack.base_url).unwrap().to_string()
}

async fn clock_ms(t: &TestStack) -> u64 {
    let v: Value = t.http.get(t.url("/_local/clock")).send().await.unwrap().json().await.unwrap();
    v["now_ms"].as_u64().unwrap()
}

/// Moves the stack's clock forward to `target_ms`.
async fn move_clock_to(t: &TestStack, target_ms: u64) {
    let now = clock_ms(t).await;
    assert!(target_ms > now);
    let r = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": (target_ms - now).div_ceil(1000) })).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

async fn fire_due(t: &TestStack) {
    let r = t.http.post(t.url("/_local/schedules/SendDistributionFunction.DueSends")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn plans_need_a_positive_budget_and_unknown_plans_or_accounts_are_refused() {
    let t = TestStack::start().await;
    let plans = get(&t, "/admin/plans").await;
    assert_eq!(plans["plans"][0], json!({ "name": "Starter", "monthly_budget": 50, "lifetime_cap": 20000, "built_in": true }));
    for (budget, needle) in [(json!(0), "at least 1"), (json!(-5), "-5")] {
        let (status, e) = post(&t, "/admin/plans", json!({ "name": "Broken", "monthly_budget": budget })).await;
        assert_eq!(status, 400, "{e}");
        assert_eq!(e["field"], "monthly_budget", "{e}");
        assert!(e["message"].as_str().unwrap().contains(needle), "{e}");
    }
    let (status, e) = post(&t, "/admin/plans", json!({ "name": "Capped", "monthly_budget": 100, "lifetime_cap": -1 })).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("lifetime_cap")), "{e}");
    plan(&t, "Growth", 500, None).await;
    let (status, _) = post(&t, "/admin/plans", json!({ "name": "growth", "monthly_budget": 10 })).await;
    assert_eq!(status, 409, "a plan name is taken once");

    let (status, e) = post(&t, "/admin/accounts", json!({ "name": "Acme", "plan": "Platinum" })).await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["field"], "plan");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("\"Platinum\"") && message.contains("Starter") && message.contains("Growth"), "{message}");
    let (status, e) = post(&t, "/admin/accounts", json!({ "name": "Acme", "time_zone": "Mars/Olympus" })).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("time_zone")), "{e}");
    let (status, a) = post(&t, "/admin/accounts", json!({ "name": "Acme" })).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!((a["plan"].as_str(), a["time_zone"].as_str(), a["budget"]["remaining"].as_u64()), (Some("Starter"), Some("UTC"), Some(50)));
    let id = a["id"].as_str().unwrap();
    let r = t.admin(Method::PUT, &format!("/admin/accounts/{id}/plan")).json(&json!({ "plan": "Nope" })).send().await.unwrap();
    assert_eq!(r.status(), 400);

    let r = t.admin(Method::POST, "/admin/projects").json(&project("AAAAAAAAAAAAAAAAAAAAAA")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["field"], "settings.account_id", "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sent_invitations_count_answered_or_not_and_sends_over_budget_are_skipped_not_queued() {
    let t = TestStack::start().await;
    let acct = account(&t, &plan(&t, "Five", 5, None).await, "UTC").await;
    let (id, anon, answers) = open(&t, &acct).await;
    let done = t.import_file(&id, "customers.csv", contacts(8)).await;
    assert_eq!(done["state"], "done", "{done:#}");
    let d = send_to(&t, &id, done["list_id"].as_str().unwrap(), None).await;
    assert_eq!((d["counts"]["sent"].as_u64(), d["counts"]["skipped_over_budget"].as_u64()), (Some(5), Some(3)), "{d:#}");
    let mails = t.mails().await;
    assert_eq!(mails.len(), 5, "only five invitations went out");
    let b = budget(&t, &acct).await;
    assert_eq!((b["used"].as_u64(), b["remaining"].as_u64(), b["refused"].as_u64()), (Some(5), Some(0), Some(3)), "{b:#}");
    assert_eq!(b["exhausted"], "monthly_budget");
    assert_eq!(b["last_accepted_kind"], "invitation");
    assert_eq!(b["last_sync_kind"], "import", "the contact import is the last sync: {b:#}");

    // every send message delivered once more charges and sends nothing new
    for inv in t.stack.functions.invocations(Some("send-distribution")) {
        if inv.event["Records"][0]["eventSource"] == "aws:sqs" {
            let r = t.stack.functions.invoke("send-distribution", "redelivered", inv.event, Duration::from_secs(90)).await.unwrap();
            assert_eq!(r["batchItemFailures"], json!([]), "{r}");
        }
    }
    assert_eq!(t.mails().await.len(), 5);
    let b = budget(&t, &acct).await;
    assert_eq!((b["used"].as_u64(), b["refused"].as_u64()), (Some(5), Some(3)), "a retry is not charged again: {b:#}");

    // a response to an emailed invitation does not count again
    assert_eq!(t.submit(&survey_path(&t, &mails[0]), &answers).await, StatusCode::OK);
    assert_eq!(budget(&t, &acct).await["used"], 5);
    // an anonymous respondent is told before filling in the form, in their language
    let r = t.http.get(t.url(&anon)).header("accept-language", "de").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let page = r.text().await.unwrap();
    assert!(page.contains("nimmt in diesem Monat keine weiteren Antworten an"), "{page}");
    assert!(!page.contains("name=\"ft\""), "no form to send");
    let page = t.http.get(t.url(&anon)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN, "the page says so before the form is filled in");
    assert!(page.text().await.unwrap().contains("not accepting any more responses this month"));
    assert_eq!(response_count(&t, &id).await, 1);
    let b = budget(&t, &acct).await;
    assert_eq!((b["used"].as_u64(), b["refused"].as_u64()), (Some(5), Some(3)), "{b:#}");

    // nothing was queued: the next month sends nothing by itself
    let month = b["month"].as_str().unwrap().to_string();
    let (_, next) = month_bounds(&month, "UTC").unwrap();
    move_clock_to(&t, next + 60_000).await;
    fire_due(&t).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(t.mails().await.len(), 5, "the skipped contacts are not surveyed later");
    let b = budget(&t, &acct).await;
    assert_ne!(b["month"], month.as_str());
    assert_eq!((b["used"].as_u64(), b["remaining"].as_u64(), b["refused"].as_u64()), (Some(0), Some(5), Some(0)), "{b:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reminder_counts_when_sent_and_is_skipped_once_the_budget_is_used_up() {
    let t = TestStack::start().await;
    let acct = account(&t, &plan(&t, "Three", 3, None).await, "UTC").await;
    let (id, _, _) = open(&t, &acct).await;
    let done = t.import_file(&id, "customers.csv", contacts(2)).await;
    let reminder = json!({ "after_days": 1, "messages": {
        "en": { "subject": "Reminder: a minute for us?", "body": "Still time: {{SurveyLink}}" },
        "de": { "subject": "Erinnerung: eine Minute für uns?", "body": "Noch Zeit: {{SurveyLink}}" } } });
    let d = send_to(&t, &id, done["list_id"].as_str().unwrap(), Some(reminder)).await;
    assert_eq!(d["counts"]["sent"], 2);
    let dist = d["id"].as_str().unwrap();
    fire_due(&t).await;
    let now = clock_ms(&t).await;
    move_clock_to(&t, now + 25 * 3_600_000).await;
    fire_due(&t).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let d = loop {
        let d = distribution(&t, &id, dist).await;
        if d["counts"]["reminders_sent"].as_u64().unwrap_or(0) + d["counts"]["reminders_over_budget"].as_u64().unwrap_or(0) == 2 {
            break d;
        }
        assert!(tokio::time::Instant::now() < deadline, "both reminders should be settled: {d:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // the month may have turned over with the clock; if so, both reminders fit
    let b = budget(&t, &acct).await;
    if billing_month(now, "UTC") == b["month"].as_str().unwrap() {
        assert_eq!((d["counts"]["reminders_sent"].as_u64(), d["counts"]["reminders_over_budget"].as_u64()), (Some(1), Some(1)), "{d:#}");
        assert_eq!(
            (b["used"].as_u64(), b["refused"].as_u64(), b["last_accepted_kind"].as_str()),
            (Some(3), Some(1), Some("reminder")),
            "{b:#}"
        );
        let reminders = t.mails().await.into_iter().filter(|m| m["subject"].as_str().unwrap().starts_with("Reminder")).count();
        assert_eq!(reminders, 1);
    } else {
        assert_eq!(d["counts"]["reminders_sent"], 2, "{d:#}");
        assert_eq!(b["used"], 2, "{b:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_next_billing_month_starts_fresh_at_midnight_in_the_accounts_time_zone() {
    let t = TestStack::start().await;
    let two = plan(&t, "Two", 2, None).await;
    let helsinki = account(&t, &two, "Europe/Helsinki").await;
    let utc = account(&t, &two, "UTC").await;
    let (h_id, h_anon, answers) = open(&t, &helsinki).await;
    let (u_id, u_anon, _) = open(&t, &utc).await;
    // forms opened while the month's budget lasted, sent once it is used up
    let mut late = std::collections::BTreeMap::new();
    for anon in [&h_anon, &u_anon] {
        late.insert(anon.clone(), t.form_token(anon).await.unwrap());
    }
    let with = |token: &str| {
        let mut a = answers.clone();
        a.push(("ft".to_string(), token.to_string()));
        a
    };
    for anon in [&h_anon, &u_anon] {
        assert_eq!(t.submit(anon, &answers).await, StatusCode::OK);
        assert_eq!(t.submit(anon, &answers).await, StatusCode::OK);
        assert_eq!(t.submit(anon, &with(&late[anon])).await, StatusCode::FORBIDDEN, "the third response of the month is refused");
    }
    // half an hour after midnight in Helsinki on the 1st: still the last
    // day of the old month in UTC (Helsinki is 2 or 3 hours ahead)
    let now = clock_ms(&t).await;
    let month = billing_month(now, "Europe/Helsinki");
    let (_, next) = month_bounds(&month, "Europe/Helsinki").unwrap();
    let target = next + 30 * 60_000;
    assert_eq!(billing_month(target, "UTC"), month, "still the old month in UTC");
    move_clock_to(&t, target).await;

    let b = budget(&t, &helsinki).await;
    assert_ne!(b["month"], month.as_str());
    assert_eq!((b["used"].as_u64(), b["remaining"].as_u64(), b["refused"].as_u64()), (Some(0), Some(2), Some(0)), "{b:#}");
    assert_eq!(b["month_starts_at"].as_str().map(|s| s.ends_with(":00:00Z")), Some(true), "{b:#}");
    assert_eq!(t.submit(&h_anon, &answers).await, StatusCode::OK, "a new month in Helsinki");
    let page = t.http.get(t.url(&u_anon)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN, "still the old month in UTC: the page says the survey is closed");
    assert_eq!(response_count(&t, &h_id).await, 3);
    assert_eq!(response_count(&t, &u_id).await, 2);
    let b = budget(&t, &helsinki).await;
    assert_eq!(
        (b["used"].as_u64(), b["lifetime_used"].as_u64(), b["last_accepted_kind"].as_str()),
        (Some(1), Some(3), Some("link_response")),
        "{b:#}"
    );
    assert_eq!(budget(&t, &utc).await["refused"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_plan_change_applies_to_the_months_remaining_budget_at_once() {
    let t = TestStack::start().await;
    let small = plan(&t, "Small", 2, None).await;
    let large = plan(&t, "Large", 5, None).await;
    let acct = account(&t, &small, "UTC").await;
    let (_, anon, answers) = open(&t, &acct).await;
    for _ in 0..2 {
        assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    }
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::FORBIDDEN);
    let change = |p: &str| t.admin(Method::PUT, &format!("/admin/accounts/{acct}/plan")).json(&json!({ "plan": p })).send();
    let r = change(&large).await.unwrap();
    assert_eq!(r.status(), 200);
    let a: Value = r.json().await.unwrap();
    assert_eq!((a["plan"].as_str(), a["budget"]["remaining"].as_u64()), (Some("Large"), Some(3)), "{a:#}");
    // the refused submission left a "used up" for the page views of its
    // function, kept a moment; a submission is charged at once
    t.until_pages_see_changes().await;
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK, "the upgrade applies at once");
    let a: Value = change(&small).await.unwrap().json().await.unwrap();
    assert_eq!((a["budget"]["used"].as_u64(), a["budget"]["remaining"].as_u64()), (Some(3), Some(0)), "{a:#}");
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::FORBIDDEN, "the downgrade applies at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_lifetime_cap_holds_across_months_and_projects() {
    let t = TestStack::start().await;
    let acct = account(&t, &plan(&t, "Capped", 2, Some(3)).await, "UTC").await;
    let (_, first, answers) = open(&t, &acct).await;
    let (_, second, _) = open(&t, &acct).await;
    assert_eq!(t.submit(&first, &answers).await, StatusCode::OK);
    assert_eq!(t.submit(&second, &answers).await, StatusCode::OK, "the budget is the account's, across its projects");
    assert_eq!(t.submit(&second, &answers).await, StatusCode::FORBIDDEN);
    let month = budget(&t, &acct).await["month"].as_str().unwrap().to_string();
    let (_, next) = month_bounds(&month, "UTC").unwrap();
    move_clock_to(&t, next + 60_000).await;
    assert_eq!(t.submit(&first, &answers).await, StatusCode::OK);
    assert_eq!(t.submit(&first, &answers).await, StatusCode::FORBIDDEN, "three for life");
    let b = budget(&t, &acct).await;
    assert_eq!((b["used"].as_u64(), b["remaining"].as_u64(), b["lifetime_remaining"].as_u64()), (Some(1), Some(1), Some(0)), "{b:#}");
    assert_eq!(b["exhausted"], "lifetime_cap");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_submissions_against_ten_remaining_accept_exactly_ten() {
    let t = TestStack::start().await;
    let acct = account(&t, &plan(&t, "Twelve", 12, None).await, "UTC").await;
    let (id, anon, answers) = open(&t, &acct).await;
    for _ in 0..2 {
        assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    }
    assert_eq!(budget(&t, &acct).await["remaining"], 10);
    // a hundred page views while the budget lasts, then every form at once
    let mut forms = Vec::new();
    for _ in 0..100 {
        let mut a = answers.clone();
        a.push(("ft".into(), t.form_token(&anon).await.expect("the page carries a form token")));
        forms.push(a);
    }
    let mut tasks = Vec::new();
    for a in forms {
        let (http, url, body) = (t.http.clone(), t.url(&anon), pulse_tests::form_body(&a));
        tasks.push(tokio::spawn(async move {
            http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap().status()
        }));
    }
    let mut accepted = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => accepted += 1,
            StatusCode::FORBIDDEN => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((accepted, refused), (10, 90));
    assert_eq!(response_count(&t, &id).await, 12);
    let b = budget(&t, &acct).await;
    assert_eq!((b["used"].as_u64(), b["remaining"].as_u64(), b["refused"].as_u64()), (Some(12), Some(0), Some(90)), "{b:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_budget_view_shows_the_last_sync_and_the_last_accepted_record() {
    let t = TestStack::start().await;
    let acct = account(&t, "Starter", "Europe/Berlin").await;
    let mut p = project(&acct);
    p["settings"]["triggers"] = json!({ "order_placed": { "delay_hours": 72, "messages": {
        "en": { "subject": "How was your order?", "body": "{{SurveyLink}}" } } } });
    let (id, anon, survey) = t.open_project(p).await;
    let b = budget(&t, &acct).await;
    assert_eq!((b["monthly_budget"].as_u64(), b["remaining"].as_u64(), b["lifetime_cap"].as_u64()), (Some(50), Some(50), Some(20000)));
    assert!(b["last_sync_at"].is_null() && b["last_accepted_at"].is_null(), "{b:#}");
    let event = json!({ "event": "order_placed", "email": "buyer@example.com", "first_name": "Bea", "last_name": "Buyer", "fields": { "Region": "North" } });
    let (status, _) = post(&t, &format!("/admin/projects/{id}/events"), event).await;
    assert_eq!(status, 202);
    let b = budget(&t, &acct).await;
    assert_eq!(b["last_sync_kind"], "event:order_placed", "{b:#}");
    assert_eq!(b["used"], 0, "a scheduled send counts when it is sent, not before");
    // a personal link minted by the team counts when answered, like the anonymous link
    let minted = t
        .personal_link(
            &id,
            json!({ "email": "walk-in@example.com", "first_name": "Wal", "last_name": "Kin", "fields": { "Region": "South" } }),
        )
        .await;
    assert_eq!(t.submit(&minted, &complete_answers(&survey)).await, StatusCode::OK);
    assert_eq!(t.submit(&anon, &complete_answers(&survey)).await, StatusCode::OK);
    let b = budget(&t, &acct).await;
    assert_eq!(
        (b["used"].as_u64(), b["remaining"].as_u64(), b["last_accepted_kind"].as_str()),
        (Some(2), Some(48), Some("link_response")),
        "{b:#}"
    );
    assert!(b["last_accepted_at"].is_string(), "{b:#}");
    let a = get(&t, &format!("/admin/accounts/{acct}")).await;
    assert_eq!(a["budget"], b);
    let list = get(&t, "/admin/accounts").await;
    assert_eq!(list["accounts"][0]["id"], acct.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_project_moved_to_a_used_up_account_refuses_at_once_on_a_warm_function() {
    let t = TestStack::start().await;
    let roomy = account(&t, &plan(&t, "Roomy", 100, None).await, "UTC").await;
    let full = account(&t, &plan(&t, "One", 1, None).await, "UTC").await;
    let (_, other, answers) = open(&t, &full).await;
    assert_eq!(t.submit(&other, &answers).await, StatusCode::OK);
    let (id, anon, _) = open(&t, &roomy).await;
    // the submission function has met the link and keeps its project
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    // a respondent opens the page, then the project moves
    let mut opened = answers.clone();
    opened.push(("ft".into(), t.form_token(&anon).await.unwrap()));
    let r =
        t.admin(Method::PATCH, &format!("/admin/projects/{id}")).json(&json!({ "settings": { "account_id": full } })).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // no page view in between: the transaction's revision check makes the
    // function read the project again, and the new account refuses
    assert_eq!(t.submit(&anon, &opened).await, StatusCode::FORBIDDEN);
    assert_eq!(response_count(&t, &id).await, 2);
    let (b_roomy, b_full) = (budget(&t, &roomy).await, budget(&t, &full).await);
    assert_eq!(
        (b_roomy["used"].as_u64(), b_full["used"].as_u64(), b_full["refused"].as_u64()),
        (Some(2), Some(1), Some(1)),
        "{b_roomy:#} {b_full:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invitation_reserve_keeps_sending_after_the_links_share_is_used_up() {
    let t = TestStack::start().await;
    let acct = account(&t, &plan(&t, "Ten", 10, None).await, "UTC").await;
    let r =
        t.admin(Method::PUT, &format!("/admin/accounts/{acct}/reserve")).json(&json!({ "invitation_reserve": 11 })).send().await.unwrap();
    assert_eq!(r.status(), 400, "more than the budget");
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["field"], "invitation_reserve", "{e}");
    let r =
        t.admin(Method::PUT, &format!("/admin/accounts/{acct}/reserve")).json(&json!({ "invitation_reserve": 4 })).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (id, anon, answers) = open(&t, &acct).await;
    // a form opened while the links' share lasts, sent after it is used up
    let mut late = answers.clone();
    late.push(("ft".into(), t.form_token(&anon).await.unwrap()));
    for _ in 0..6 {
        assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    }
    assert_eq!(t.submit(&anon, &late).await, StatusCode::FORBIDDEN, "the seventh: the links' share is used up");
    let page = t.http.get(t.url(&anon)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN, "the page says so at once");
    let b = budget(&t, &acct).await;
    assert_eq!(
        (b["invitation_reserve"].as_u64(), b["link_budget"].as_u64(), b["link_used"].as_u64(), b["link_remaining"].as_u64()),
        (Some(4), Some(6), Some(6), Some(0)),
        "{b:#}"
    );
    assert_eq!((b["links_exhausted"].as_str(), b["exhausted"].as_str(), b["remaining"].as_u64()), (Some("link_share"), None, Some(4)));

    // six contacts: the reserve leaves room for four, and the answer says so
    let done = t.import_file(&id, "customers.csv", contacts(6)).await;
    let list = done["list_id"].as_str().unwrap();
    let body = json!({ "list_id": list, "messages": { "en": { "subject": "How are we doing?", "body": "Please answer: {{SurveyLink}}" }, "de": { "subject": "Wie machen wir uns?", "body": "Bitte antworten: {{SurveyLink}}" } } });
    let (status, d) = post(&t, &format!("/admin/projects/{id}/distributions"), body.clone()).await;
    assert_eq!(status, 201, "{d:#}");
    let warning = d["warnings"][0].as_str().unwrap_or_default();
    assert!(warning.contains("room for 4 of the 6 invitations"), "{d:#}");
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let d = loop {
        let d = distribution(&t, &id, d["id"].as_str().unwrap()).await;
        if d["state"] == "done" || tokio::time::Instant::now() > deadline {
            break d;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!((d["counts"]["sent"].as_u64(), d["counts"]["skipped_over_budget"].as_u64()), (Some(4), Some(2)), "{d:#}");
    // with the month's budget used up, a new distribution is refused at once
    let (status, e) = post(&t, &format!("/admin/projects/{id}/distributions"), body).await;
    assert_eq!(status, 409, "{e:#}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(message.contains("none of the 6 contacts") && message.contains("10 of 10 used"), "{message}");
    assert_eq!(
        t.admin(Method::GET, &format!("/admin/projects/{id}/distributions")).send().await.unwrap().json::<Value>().await.unwrap()
            ["distributions"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing was created"
    );
}

#[tokio::test]
async fn a_project_of_an_account_shows_times_in_the_accounts_zone_unless_it_sets_its_own() {
    let t = TestStack::start().await;
    let plan = plan(&t, "zone", 1000, None).await;
    let acct = account(&t, &plan, "Europe/Helsinki").await;
    let (status, p) = post(&t, "/admin/projects", project(&acct)).await;
    assert_eq!(status, 201, "{p}");
    assert_eq!(p["settings"]["time_zone"], "Europe/Helsinki", "taken from the account");
    let figures = get(&t, &format!("/admin/projects/{}/figures", p["id"].as_str().unwrap())).await;
    assert_eq!(figures["time_zone"], "Europe/Helsinki", "the figures carry the zone their page shows times in");
    let mut own = project(&acct);
    own["settings"]["time_zone"] = "Europe/Berlin".into();
    let (_, p) = post(&t, "/admin/projects", own).await;
    assert_eq!(p["settings"]["time_zone"], "Europe/Berlin", "a project's own zone wins");
    let mut bad = project(&acct);
    bad["settings"]["time_zone"] = "Mars/Olympus".into();
    let (status, e) = post(&t, "/admin/projects", bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["field"].as_str().is_some_and(|f| f.ends_with("time_zone")), "the error names the field: {e}");
}

/// The lease items of an account in the core table: (lease key, granted, used).
async fn leases(t: &TestStack, account_id: &str) -> Vec<(String, u64, u64)> {
    use aws_sdk_dynamodb::types::AttributeValue;
    let table = t.config("admin-api").core_table.clone();
    let prefix = format!("ACCOUNT#{account_id}#LEASE");
    let out = t
        .stack
        .aws
        .dynamodb
        .scan()
        .table_name(&table)
        .filter_expression("begins_with(pk, :p)")
        .expression_attribute_values(":p", AttributeValue::S(prefix))
        .send()
        .await
        .unwrap();
    let n = |i: &std::collections::HashMap<String, AttributeValue>, k: &str| {
        i.get(k).and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    out.items().iter().map(|i| (i["pk"].as_s().unwrap().clone(), n(i, "granted"), n(i, "used"))).collect()
}

/// Sends `forms` forms at once; returns (accepted, refused).
async fn at_once(t: &TestStack, anon: &str, answers: &[(String, String)], forms: usize) -> (usize, usize) {
    let mut bodies = Vec::new();
    for _ in 0..forms {
        let mut a = answers.to_vec();
        a.push(("ft".into(), t.form_token(anon).await.expect("the page carries a form token")));
        bodies.push(pulse_tests::form_body(&a));
    }
    let mut tasks = Vec::new();
    for body in bodies {
        let (http, url) = (t.http.clone(), t.url(anon));
        tasks.push(tokio::spawn(async move {
            http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap().status()
        }));
    }
    let (mut accepted, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => accepted += 1,
            StatusCode::FORBIDDEN => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    (accepted, refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_project_over_four_write_shards_spends_the_budget_through_leases_to_the_last_response() {
    let t = TestStack::start().await;
    let acct = account(&t, &plan(&t, "Leased", 62, None).await, "UTC").await;
    let mut p = project(&acct);
    p["settings"]["write_shards"] = 4.into();
    let (id, anon, survey) = t.open_project(p).await;
    let answers = complete_answers(&survey);
    for _ in 0..2 {
        assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    }
    assert_eq!(at_once(&t, &anon, &answers, 70).await, (60, 10), "62 in the budget, two of them used before");
    let held = leases(&t, &acct).await;
    assert!(held.len() > 1, "the charges went through several leases, not the account item: {held:?}");
    let spent: u64 = held.iter().map(|(_, _, used)| used).sum();
    assert_eq!(spent, 62, "every accepted response was charged to a lease, once: {held:?}");
    assert!(held.iter().all(|(_, granted, used)| used <= granted), "{held:?}");
    let stats = t.responses(&id).await;
    assert_eq!(stats["count"], 62);
    let b = budget(&t, &acct).await;
    assert_eq!((b["used"].as_u64(), b["remaining"].as_u64(), b["refused"].as_u64()), (Some(62), Some(0), Some(10)), "{b:#}");

    // a larger plan grants again at once; a smaller one takes back what
    // the leases hold unspent, so it holds at once too
    let change = |p: String| t.admin(Method::PUT, &format!("/admin/accounts/{acct}/plan")).json(&json!({ "plan": p })).send();
    let larger = plan(&t, "Larger", 200, None).await;
    assert_eq!(change(larger).await.unwrap().status(), 200);
    // the pages' kept "used up" (from the refused submissions) lasts a moment
    t.until_pages_see_changes().await;
    assert_eq!(at_once(&t, &anon, &answers, 3).await, (3, 0));
    let smaller = plan(&t, "Smaller", 65, None).await;
    let a: Value = change(smaller).await.unwrap().json().await.unwrap();
    assert_eq!((a["budget"]["used"].as_u64(), a["budget"]["remaining"].as_u64()), (Some(65), Some(0)), "{a:#}");
    let held = leases(&t, &acct).await;
    assert!(held.iter().all(|(_, granted, used)| granted == used), "a plan change leaves no lease holding units: {held:?}");
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::FORBIDDEN, "the downgrade applies at once");

    // the next month: every lease starts empty and is refilled from the new budget
    let month = b["month"].as_str().unwrap().to_string();
    let (_, next) = month_bounds(&month, "UTC").unwrap();
    move_clock_to(&t, next + 60_000).await;
    assert_eq!(at_once(&t, &anon, &answers, 4).await, (4, 0));
    let b = budget(&t, &acct).await;
    assert_ne!(b["month"].as_str(), Some(month.as_str()));
    assert_eq!((b["used"].as_u64(), b["remaining"].as_u64(), b["refused"].as_u64()), (Some(4), Some(61), Some(0)), "{b:#}");
    // the account's own item counts what the leases hold as used: never
    // less use than the budget view, so a page view may trust its room
    use pulse_shared::ports::Budgets;
    let sdk = pulse_shared::store::emulator_sdk_config(&t.stack.emulator_url).await;
    let store = pulse_shared::store::Aws::new(&sdk, t.config("admin-api").clone());
    let charged = store.get_account_as_charged(&acct).await.unwrap().unwrap();
    let full = store.get_account(&acct).await.unwrap().unwrap();
    let held: u64 = leases(&t, &acct).await.iter().map(|(_, granted, used)| granted - used).sum();
    assert!(held > 0, "the leases hold units after the refill");
    assert_eq!(charged.usage.used, full.usage.used + held, "{charged:?} {full:?}");
}
