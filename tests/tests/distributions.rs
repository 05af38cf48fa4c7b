//! Distributions through the local stack: planning and sending over SQS and
//! SES (emails read back from the emulator), exactly once per contact,
//! suppression and unsubscribe, the quiet period, the send rate, reminders
//! and triggered sends (with the stack's clock moved forward).

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use pulse_tests::{complete_answers, TestStack, PATIENCE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn project() -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": ["Region"] } })
}

fn contacts(n: usize) -> String {
    let mut f = String::from("Email,FirstName,LastName,Region\n");
    for i in 0..n {
        f.push_str(&format!("c{i}@example.com,First{i},Last{i},R{}\n", i % 3));
    }
    f
}

fn messages() -> Value {
    json!({ "en": { "subject": "{{FirstName}}, how are we doing?", "body": "Dear {{FirstName}} in {{Region}},\n\nplease answer: {{SurveyLink}}" } })
}

/// Opens a project and imports a list; returns (project id, survey, list id).
async fn setup(t: &TestStack, body: Value, n: usize) -> (String, Value, String) {
    let (id, _, survey) = t.open_project(body).await;
    let done = t.import_file(&id, "customers.csv", contacts(n)).await;
    assert_eq!(done["state"], "done", "{done:#}");
    (id, survey, done["list_id"].as_str().unwrap().to_string())
}

async fn distribute(t: &TestStack, id: &str, body: Value) -> (StatusCode, Value) {
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/distributions")).json(&body).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

async fn send(t: &TestStack, id: &str, list_id: &str) -> Value {
    let (status, d) = distribute(t, id, json!({ "list_id": list_id, "messages": messages() })).await;
    assert_eq!(status, 201, "{d}");
    finished(t, id, d["id"].as_str().unwrap()).await
}

async fn distribution(t: &TestStack, id: &str, dist: &str) -> Value {
    t.admin(Method::GET, &format!("/admin/projects/{id}/distributions/{dist}")).send().await.unwrap().json().await.unwrap()
}

/// Waits until a distribution is done; returns it.
async fn finished(t: &TestStack, id: &str, dist: &str) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE * 3;
    loop {
        let d = distribution(t, id, dist).await;
        if d["state"] == "done" || d["state"] == "cancelled" {
            return d;
        }
        assert!(tokio::time::Instant::now() < deadline, "the distribution never finished: {d:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Invitations in the outbox (newest first), by their subject.
async fn invitations(t: &TestStack) -> Vec<Value> {
    t.mails().await.into_iter().filter(|m| m["subject"].as_str().is_some_and(|s| s.ends_with("how are we doing?"))).collect()
}

fn survey_link(mail: &Value) -> String {
    mail["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).find(|l| l.contains("/s/")).expect("a survey link").to_string()
}

fn unsubscribe_link(mail: &Value) -> String {
    mail["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .find(|l| l.contains("/unsubscribe/"))
        .expect("an unsubscribe link")
        .to_string()
}

async fn fire_due(t: &TestStack) -> Value {
    let r = t.http.post(t.url("/_local/schedules/SendDistributionFunction.DueSends")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn advance(t: &TestStack, hours: u64) {
    let r = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": hours * 3600 })).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

/// Replays every SQS batch `send-distribution` has received.
async fn redeliver_everything(t: &TestStack) {
    for inv in t.stack.functions.invocations(Some("send-distribution")) {
        if inv.event["Records"][0]["eventSource"] == "aws:sqs" {
            let r = t.stack.functions.invoke("send-distribution", "redelivered", inv.event, Duration::from_secs(90)).await.unwrap();
            assert_eq!(r["batchItemFailures"], json!([]), "{r}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_500_contact_list_gets_500_invitations_whose_links_open_the_survey_and_redelivery_sends_nothing_new() {
    let t = TestStack::start_with(&[("SesSendRate", "200")]).await;
    let (id, _, list_id) = setup(&t, project(), 500).await;
    let d = send(&t, &id, &list_id).await;
    assert_eq!(d["counts"]["planned"], 500, "{d:#}");
    assert_eq!(d["counts"]["sent"], 500, "{d:#}");
    assert_eq!(d["skipped"], 0);
    let mails = invitations(&t).await;
    assert_eq!(mails.len(), 500);
    let recipients: BTreeSet<String> = mails.iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    assert_eq!(recipients.len(), 500, "one invitation per contact");
    let links: BTreeSet<String> = mails.iter().map(survey_link).collect();
    assert_eq!(links.len(), 500, "a personal link each");
    let c7 = mails.iter().find(|m| m["to"][0] == "c7@example.com").unwrap();
    assert!(c7["body"].as_str().unwrap().contains("Dear First7 in R1"), "{c7:#}");
    for m in mails.iter().take(5) {
        let page = t.http.get(survey_link(m)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("Kahvila Oy"));
    }

    redeliver_everything(&t).await;
    assert_eq!(invitations(&t).await.len(), 500, "redelivered messages must send nothing");
    let again = distribution(&t, &id, d["id"].as_str().unwrap()).await;
    assert_eq!(again["counts"], d["counts"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_crash_between_sending_and_settling_never_sends_twice() {
    let t = TestStack::start().await;
    let (id, _, list_id) = setup(&t, project(), 6).await;
    // every settlement (the transaction that moves the invitation, keyed
    // INVITE#…, to sent) fails: each contact is handed to SES and then the
    // invocation dies
    t.inject_fault(json!({ "operation": "TransactWriteItems", "matching": "INVITE#", "mode": "error", "after": 0, "times": 1000 })).await;
    let (status, d) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages() })).await;
    assert_eq!(status, 201);
    let dist = d["id"].as_str().unwrap();
    t.invocation("send-distribution", |i| {
        i.result.as_ref().is_ok_and(|r| r["batchItemFailures"].as_array().is_some_and(|f| !f.is_empty()))
    })
    .await;
    let sent_before = invitations(&t).await.len();
    assert!(sent_before >= 1, "the first contact reached SES before the crash");
    t.clear_faults().await;
    // the claims expire; the message comes back (here: redelivered by hand)
    advance(&t, 1).await;
    redeliver_everything(&t).await;
    let d = finished(&t, &id, dist).await;
    let mails = invitations(&t).await;
    let recipients: BTreeSet<String> = mails.iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    assert_eq!(recipients.len(), mails.len(), "nobody got two invitations: {mails:#?}");
    assert_eq!(d["counts"]["failed"].as_u64().unwrap(), sent_before as u64, "the unknown deliveries are counted as failed: {d:#}");
    assert_eq!(d["counts"]["sent"].as_u64().unwrap() + d["counts"]["failed"].as_u64().unwrap(), 6, "{d:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unsubscribed_and_suppressed_contacts_get_nothing() {
    let t = TestStack::start().await;
    let (id, _, list_id) = setup(&t, project(), 4).await;
    let first = send(&t, &id, &list_id).await;
    assert_eq!(first["counts"]["sent"], 4);
    // c0 unsubscribes with the one-click POST of its invitation; c1 bounced
    let mails = invitations(&t).await;
    let c0 = mails.iter().find(|m| m["to"][0] == "c0@example.com").unwrap();
    let unsubscribe = unsubscribe_link(c0);
    let page = t.http.get(&unsubscribe).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Unsubscribe from survey invitations?"), "{page}");
    let r = t
        .http
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/suppressions"))
        .json(&json!({ "email": "c1@example.com", "reason": "bounced" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let second = send(&t, &id, &list_id).await;
    assert_eq!(second["counts"]["sent"], 2, "{second:#}");
    assert_eq!(second["counts"]["skipped_unsubscribed"], 1);
    assert_eq!(second["counts"]["skipped_suppressed"], 1);
    let to_c0 = invitations(&t).await.iter().filter(|m| m["to"][0] == "c0@example.com" || m["to"][0] == "c1@example.com").count();
    assert_eq!(to_c0, 2, "only the first distribution reached c0 and c1");
    // a new import does not lift the unsubscribe
    t.import_file(&id, "again.csv", "Email,FirstName,LastName,Region\nc0@example.com,Back,Again,R1\n").await;
    let (_, c) = (
        200,
        t.admin(Method::GET, &format!("/admin/projects/{id}/contacts/c0@example.com")).send().await.unwrap().json::<Value>().await.unwrap(),
    );
    assert_eq!(c["suppression"]["reason"], "unsubscribed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_quiet_period_skips_contacts_invited_recently() {
    let t = TestStack::start().await;
    let mut p = project();
    p["settings"]["quiet_period_days"] = json!(30);
    let (id, _, list_id) = setup(&t, p, 3).await;
    assert_eq!(send(&t, &id, &list_id).await["counts"]["sent"], 3);
    let second = send(&t, &id, &list_id).await;
    assert_eq!(second["counts"]["skipped_quiet_period"], 3, "{second:#}");
    assert_eq!(second["counts"]["sent"], 0);
    // the skipped contacts got no personal link from the second distribution: one link each, the first's
    let links = t
        .stack
        .aws
        .dynamodb
        .scan()
        .table_name(&t.config("send-distribution").core_table)
        .filter_expression("sk = :link AND project_id = :p AND contains(#link, :personal)")
        .expression_attribute_names("#link", "link")
        .expression_attribute_values(":link", AttributeValue::S("LINK".into()))
        .expression_attribute_values(":p", AttributeValue::S(id.clone()))
        .expression_attribute_values(":personal", AttributeValue::S(r#""kind":"personal""#.into()))
        .send()
        .await
        .unwrap();
    assert_eq!(links.items().len(), 3, "no link for a skipped invitation");
    // a distribution may keep a shorter quiet period of its own: 0 skips nobody
    for (days, quiet) in [(json!(null), 3), (json!(0), 0)] {
        let draft = json!({ "distribution": { "list_id": list_id, "messages": messages(), "quiet_period_days": days } });
        let r = t.admin(Method::POST, &format!("/admin/projects/{id}/distributions/preview")).json(&draft).send().await.unwrap();
        let preview: Value = r.json().await.unwrap();
        assert_eq!(preview["forecast"]["quiet_period"], quiet, "the forecast keeps the quiet period chosen: {preview:#}");
    }
    let (status, own) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages(), "quiet_period_days": 0 })).await;
    assert_eq!((status, own["quiet_period_days"].as_u64()), (StatusCode::CREATED, Some(0)), "{own}");
    let own = finished(&t, &id, own["id"].as_str().unwrap()).await;
    assert_eq!((own["counts"]["sent"].as_u64(), own["counts"]["skipped_quiet_period"].as_u64()), (Some(3), Some(0)), "{own:#}");
    let (status, refused) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages(), "quiet_period_days": 400 })).await;
    assert_eq!((status, refused["field"].as_str()), (StatusCode::BAD_REQUEST, Some("quiet_period_days")), "{refused}");
    advance(&t, 31 * 24).await;
    assert_eq!(send(&t, &id, &list_id).await["counts"]["sent"], 3);
    assert_eq!(invitations(&t).await.len(), 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reminder_counts_toward_the_quiet_period() {
    let t = TestStack::start().await;
    let mut p = project();
    p["settings"]["quiet_period_days"] = json!(10);
    let (id, _, list_id) = setup(&t, p, 1).await;
    let reminder = json!({ "after_days": 3, "messages": { "en": { "subject": "Reminder: {{FirstName}}, a minute for us?", "body": "Still time: {{SurveyLink}}" } } });
    let (status, d) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages(), "reminder": reminder })).await;
    assert_eq!(status, 201, "{d}");
    let dist = d["id"].as_str().unwrap();
    finished(&t, &id, dist).await;
    // day 3: the reminder goes
    advance(&t, 3 * 24 + 1).await;
    fire_due(&t).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while distribution(&t, &id, dist).await["counts"]["reminders_sent"] != 1 {
        assert!(tokio::time::Instant::now() < deadline, "the reminder is sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // day 11: ten days after the invitation but only eight after the reminder
    advance(&t, 8 * 24).await;
    let second = send(&t, &id, &list_id).await;
    assert_eq!(second["counts"]["skipped_quiet_period"], 1, "the reminder started the quiet period anew: {second:#}");
    assert_eq!(second["counts"]["sent"], 0);
    // day 14: the quiet period after the reminder is over
    advance(&t, 3 * 24).await;
    assert_eq!(send(&t, &id, &list_id).await["counts"]["sent"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_send_rate_is_never_exceeded_in_any_second() {
    let t = TestStack::start_with(&[("SesSendRate", "4")]).await;
    let (id, _, list_id) = setup(&t, project(), 30).await;
    let d = send(&t, &id, &list_id).await;
    assert_eq!(d["counts"]["sent"], 30);
    let per_second = sends_per_second(&t).await;
    assert_eq!(per_second.iter().sum::<u64>(), 30, "{per_second:?}");
    assert!(per_second.iter().all(|n| *n <= 4), "at most 4 a second: {per_second:?}");
    assert!(per_second.len() >= 8, "30 emails at 4 a second take at least 8 seconds: {per_second:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reminders_go_once_and_only_to_non_responders() {
    let t = TestStack::start().await;
    let (id, survey, list_id) = setup(&t, project(), 3).await;
    let reminder = json!({ "after_days": 3, "messages": { "en": { "subject": "Reminder: {{FirstName}}, a minute for us?", "body": "Still time: {{SurveyLink}}" } } });
    let (status, d) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages(), "reminder": reminder })).await;
    assert_eq!(status, 201, "{d}");
    let dist = d["id"].as_str().unwrap();
    finished(&t, &id, dist).await;
    let c1 = invitations(&t).await.into_iter().find(|m| m["to"][0] == "c1@example.com").unwrap();
    let path = survey_link(&c1).strip_prefix(&t.stack.base_url).unwrap().to_string();
    assert_eq!(t.submit(&path, &complete_answers(&survey)).await, StatusCode::OK);
    // the progress: one response of three sent, the reminder due three days after the send time
    let progress = distribution(&t, &id, dist).await;
    assert_eq!((progress["responses"].as_u64(), progress["not_answered"].as_u64()), (Some(1), Some(2)), "{progress:#}");
    let send_at = pulse_shared::clock::parse_ms(progress["send_at"].as_str().unwrap()).unwrap();
    let due = pulse_shared::clock::parse_ms(progress["reminder_due_at"].as_str().unwrap()).unwrap();
    assert_eq!(due - send_at, 3 * 86_400_000, "{progress:#}");

    fire_due(&t).await;
    advance(&t, 2 * 24).await;
    fire_due(&t).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let reminders =
        |mails: Vec<Value>| mails.into_iter().filter(|m| m["subject"].as_str().unwrap().starts_with("Reminder")).collect::<Vec<_>>();
    assert!(reminders(t.mails().await).is_empty(), "no reminder before three days");
    advance(&t, 25).await;
    let fired = fire_due(&t).await;
    assert_eq!(fired["result"]["due"][0]["kind"], "reminder", "{fired}");
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while distribution(&t, &id, dist).await["counts"]["reminders_sent"] != 2 {
        assert!(tokio::time::Instant::now() < deadline, "two reminders expected");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent: BTreeSet<String> = reminders(t.mails().await).iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    assert_eq!(sent, BTreeSet::from(["c0@example.com".to_string(), "c2@example.com".to_string()]));
    redeliver_everything(&t).await;
    assert_eq!(reminders(t.mails().await).len(), 2, "a reminder goes once");

    // the invitation's token was never kept: the reminder carries a new link
    // to the same response, so answering through either counts once
    let path = |mail: &Value| survey_link(mail).strip_prefix(&t.stack.base_url).unwrap().to_string();
    let c0 = |mails: Vec<Value>| mails.into_iter().find(|m| m["to"][0] == "c0@example.com").unwrap();
    let (invited, reminded) = (path(&c0(invitations(&t).await)), path(&c0(reminders(t.mails().await))));
    assert_ne!(invited, reminded);
    assert_eq!(t.submit(&reminded, &complete_answers(&survey)).await, StatusCode::OK);
    t.submit(&invited, &complete_answers(&survey)).await;
    assert_eq!(t.responses(&id).await["count"], 2, "c1's response and c0's, once");
    let progress = distribution(&t, &id, dist).await;
    assert_eq!((progress["responses"].as_u64(), progress["not_answered"].as_u64()), (Some(2), Some(1)), "{progress:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_triggered_event_sends_after_its_delay_once_per_event() {
    let t = TestStack::start().await;
    let mut p = project();
    p["settings"]["triggers"] = json!({ "order_placed": { "delay_hours": 72, "messages": {
        "en": { "subject": "{{FirstName}}, how are we doing?", "body": "Thanks for your order. {{SurveyLink}}" } } } });
    let (id, _, _) = t.open_project(p).await;
    let event = json!({ "event": "order_placed", "event_id": "order-1001", "email": "buyer@example.com", "first_name": "Bea", "last_name": "Buyer", "fields": { "Region": "North" } });
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/events")).json(&event).send().await.unwrap();
    assert_eq!(r.status(), 202);
    let d: Value = r.json().await.unwrap();
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/events")).json(&event).send().await.unwrap();
    assert_eq!(r.status(), 200, "the same event again schedules nothing new");
    fire_due(&t).await;
    advance(&t, 71).await;
    fire_due(&t).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(invitations(&t).await.is_empty(), "nothing before the delay");
    advance(&t, 2).await;
    fire_due(&t).await;
    let done = finished(&t, &id, d["id"].as_str().unwrap()).await;
    assert_eq!(done["counts"]["sent"], 1, "{done:#}");
    let mails = invitations(&t).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["to"][0], "buyer@example.com");
    fire_due(&t).await;
    assert_eq!(invitations(&t).await.len(), 1);
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/events"))
        .json(&json!({ "event": "order_shipped", "email": "a@example.com", "first_name": "A", "last_name": "B" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["field"], "event");
    assert!(v["message"].as_str().unwrap().contains("order_placed"), "{v}");

    // event ids are kept exactly: ids that differ only in punctuation are two events
    let post = |event_id: &str, email: &str| {
        let body = json!({ "event": "order_placed", "event_id": event_id, "email": email, "first_name": "C", "last_name": "D", "fields": { "Region": "North" } });
        t.admin(Method::POST, &format!("/admin/projects/{id}/events")).json(&body).send()
    };
    let a = post("ord.2002", "carla@example.com").await.unwrap();
    assert_eq!(a.status(), 202);
    let b = post("ord-2002", "dan@example.com").await.unwrap();
    assert_eq!(b.status(), 202, "ord-2002 is not ord.2002");
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_ne!(a["id"], b["id"]);
    assert_eq!(b["trigger"]["email"], "dan@example.com");
    // an id reused for another contact is a conflict naming both, not a silent merge
    let r = post("ord.2002", "erin@example.com").await.unwrap();
    assert_eq!(r.status(), 409);
    let v: Value = r.json().await.unwrap();
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("carla@example.com") && message.contains("erin@example.com"), "{message}");

    // erasing Dan (GDPR) cancels his triggered send, not started yet, and
    // blanks his details in it; Carla's stays as it was
    let erased = t.erase(&id, "dan@example.com").await;
    assert_eq!(erased["erased"]["triggered_sends"], 1, "{erased:#}");
    let dan = distribution(&t, &id, b["id"].as_str().unwrap()).await;
    assert_eq!(dan["state"], "cancelled", "{dan:#}");
    assert!(!dan.to_string().contains("dan@example.com"), "his address is gone from the send: {dan:#}");
    let carla = distribution(&t, &id, a["id"].as_str().unwrap()).await;
    assert_eq!((carla["state"].as_str(), carla["trigger"]["email"].as_str()), (Some("scheduled"), Some("carla@example.com")), "{carla:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_distribution_requests_are_refused_with_the_field_named() {
    let t = TestStack::start().await;
    let (id, _, list_id) = setup(&t, project(), 2).await;
    let mut bilingual = project();
    bilingual["settings"]["languages"] = json!(["en", "fi"]);
    let (other, _, other_list) = setup(&t, bilingual, 1).await;
    let (status, _) = distribute(&t, &id, json!({ "list_id": other_list, "messages": messages() })).await;
    assert_eq!(status, 404, "a list of another project");
    // every language of the project needs its message, the reminder's too
    let (status, v) = distribute(&t, &other, json!({ "list_id": other_list, "messages": messages() })).await;
    assert_eq!((status, v["field"].as_str()), (StatusCode::BAD_REQUEST, Some("messages.fi")), "{v}");
    assert!(v["message"].as_str().unwrap().contains("the message in \"fi\" is missing"), "{v}");
    let mut both = messages();
    both["fi"] = json!({ "subject": "{{FirstName}}, miten onnistuimme?", "body": "Vastaa: {{SurveyLink}}" });
    let reminder = json!({ "after_days": 3, "messages": { "fi": { "subject": "Muistutus", "body": "{{SurveyLink}}" } } });
    let (status, v) = distribute(&t, &other, json!({ "list_id": other_list, "messages": both, "reminder": reminder })).await;
    assert_eq!((status, v["field"].as_str()), (StatusCode::BAD_REQUEST, Some("reminder.messages.en")), "{v}");
    let (status, v) = distribute(&t, &other, json!({ "list_id": other_list, "messages": both })).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    for (m, field) in [
        (json!({ "en": { "subject": "Hi {{Nickname}}", "body": "{{SurveyLink}}" } }), "messages.en.subject"),
        (json!({ "en": { "subject": "Hi", "body": "no link here" } }), "messages.en.body"),
        (json!({ "de": { "subject": "Hallo", "body": "{{SurveyLink}}" } }), "messages.en"),
    ] {
        let (status, v) = distribute(&t, &id, json!({ "list_id": list_id, "messages": m })).await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["field"], field, "{v}");
    }
    let (status, v) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages(), "send_at": "tomorrow" })).await;
    assert_eq!((status, v["field"].as_str()), (StatusCode::BAD_REQUEST, Some("send_at")));
    // a send time in the past is refused, not sent at once
    let (status, v) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages(), "send_at": "2020-01-01T09:00:00Z" })).await;
    assert_eq!((status, v["field"].as_str()), (StatusCode::BAD_REQUEST, Some("send_at")), "{v}");
    assert!(v["message"].as_str().unwrap().contains("2020-01-01T09:00:00Z is in the past"), "{v}");
    // an unpublished project cannot invite anyone
    let draft = t.create_project(project()).await["id"].as_str().unwrap().to_string();
    let done = t.import_file(&draft, "x.csv", contacts(1)).await;
    let (status, _) = distribute(&t, &draft, json!({ "list_id": done["list_id"], "messages": messages() })).await;
    assert_eq!(status, 409);
    // a list whose every row was rejected is empty: refused at creation, naming the list, not "done" with nobody invited
    let empty = t.import_file(&id, "empty.csv", "Email,FirstName,LastName,Region\nnot-an-email,A,B,C\n").await;
    let (status, v) = distribute(&t, &id, json!({ "list_id": empty["list_id"], "messages": messages() })).await;
    assert_eq!((status, v["field"].as_str()), (StatusCode::BAD_REQUEST, Some("list_id")), "{v}");
    assert!(v["message"].as_str().unwrap().contains("has no contacts"), "{v}");
    // a scheduled distribution can be cancelled before it starts, and only once
    let (status, d) = distribute(&t, &id, json!({ "list_id": list_id, "messages": messages(), "send_at": "2099-01-01T09:00:00Z" })).await;
    assert_eq!((status, d["state"].as_str()), (StatusCode::CREATED, Some("scheduled")));
    let cancel = format!("/admin/projects/{id}/distributions/{}/cancel", d["id"].as_str().unwrap());
    let r = t.admin(Method::POST, &cancel).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["state"], "cancelled");
    assert_eq!(t.admin(Method::POST, &cancel).send().await.unwrap().status(), 409);
    let list: Value = t.admin(Method::GET, &format!("/admin/projects/{id}/distributions")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["distributions"].as_array().unwrap().len(), 1, "the refused ones were never made");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ses_bounces_and_complaints_suppress_the_address_for_the_project() {
    let t = TestStack::start().await;
    let (id, _, list_id) = setup(&t, project(), 3).await;
    let first = send(&t, &id, &list_id).await;
    assert_eq!(first["counts"]["sent"], 3);
    let tags = json!({ "project_id": [id], "distribution_id": [first["id"]] });
    let events = [
        json!({ "eventType": "Bounce", "bounce": { "bounceType": "Transient", "bouncedRecipients": [{ "emailAddress": "c0@example.com" }] }, "mail": { "tags": tags } }),
        json!({ "eventType": "Complaint", "complaint": { "complainedRecipients": [{ "emailAddress": "C1@example.com" }] }, "mail": { "tags": tags } }),
        json!({ "eventType": "Bounce", "bounce": { "bounceType": "Permanent", "bouncedRecipients": [{ "emailAddress": "c2@example.com" }] }, "mail": { "tags": tags } }),
    ];
    for e in events {
        let r = t.http.post(t.url("/_local/sns/SendDistributionFunction.Feedback")).body(e.to_string()).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let reason = |email: &'static str| {
        let t = &t;
        let id = id.clone();
        async move {
            t.admin(Method::GET, &format!("/admin/projects/{id}/contacts/{email}")).send().await.unwrap().json::<Value>().await.unwrap()
                ["suppression"]["reason"]
                .clone()
        }
    };
    assert_eq!(reason("c0@example.com").await, Value::Null, "a transient bounce suppresses nothing");
    assert_eq!(reason("c1@example.com").await, "complained");
    assert_eq!(reason("c2@example.com").await, "bounced");
    let second = send(&t, &id, &list_id).await;
    assert_eq!(second["counts"]["sent"], 1, "{second:#}");
    assert_eq!(second["counts"]["skipped_suppressed"], 2);
    // feedback for a project that does not exist, or naming no address, suppresses nothing
    let stranger = json!({ "project_id": ["AAAAAAAAAAAAAAAAAAAAAA"] });
    for e in [
        json!({ "eventType": "Complaint", "complaint": { "complainedRecipients": [{ "emailAddress": "c0@example.com" }] }, "mail": { "tags": stranger } }),
        json!({ "eventType": "Complaint", "complaint": { "complainedRecipients": [{ "emailAddress": "not an address" }] }, "mail": { "tags": tags } }),
    ] {
        let r = t.http.post(t.url("/_local/sns/SendDistributionFunction.Feedback")).body(e.to_string()).send().await.unwrap();
        let answer: Value = r.json().await.unwrap();
        assert_eq!(answer["result"]["suppressed"], json!([]), "{answer:#}");
    }
    assert_eq!(reason("c0@example.com").await, Value::Null);
    // the classic form (an identity's own notifications) carries no tags:
    // the project is found from the email's noted origin
    let to_c0 = invitations(&t).await.into_iter().find(|m| m["to"][0] == "c0@example.com").unwrap();
    let classic = json!({ "notificationType": "Complaint", "complaint": { "complainedRecipients": [{ "emailAddress": "c0@example.com" }] },
        "mail": { "messageId": to_c0["id"], "destination": ["c0@example.com"] } });
    let r = t.http.post(t.url("/_local/sns/SendDistributionFunction.Feedback")).body(classic.to_string()).send().await.unwrap();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["result"]["suppressed"].as_array().map(Vec::len), Some(1), "{answer:#}");
    assert_eq!(reason("c0@example.com").await, "complained");
    // feedback that cannot be read fails the invocation (deployed: Lambda's
    // retries, then the on-failure queue and its alarm), never dropped quietly
    let r = t.http.post(t.url("/_local/sns/SendDistributionFunction.Feedback")).body("not json").send().await.unwrap();
    assert!(!r.status().is_success(), "{}", r.text().await.unwrap());
}

/// Waits until a distribution is in `state`; returns it.
async fn reaches(t: &TestStack, id: &str, dist: &str, state: &str) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE * 3;
    loop {
        let d = distribution(t, id, dist).await;
        if d["state"] == state {
            return d;
        }
        assert!(tokio::time::Instant::now() < deadline, "the distribution never became {state}: {d:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many invitations each recipient got.
async fn invitations_by_recipient(t: &TestStack) -> std::collections::BTreeMap<String, usize> {
    let mut by = std::collections::BTreeMap::new();
    for m in invitations(t).await {
        *by.entry(m["to"][0].as_str().unwrap().to_string()).or_default() += 1;
    }
    by
}

/// The emails of each second, as the one send budget counted them.
async fn sends_per_second(t: &TestStack) -> Vec<u64> {
    let out = t
        .stack
        .aws
        .dynamodb
        .query()
        .table_name(&t.config("send-distribution").core_table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S("RATE#ses".into()))
        .send()
        .await
        .unwrap();
    out.items().iter().map(|i| i["sent"].as_n().unwrap().parse().unwrap()).collect()
}

async fn faults(t: &TestStack) -> Value {
    t.http.get(format!("{}/_pulse/faults", t.stack.emulator_url)).send().await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ses_throttling_on_five_of_twenty_sends_still_invites_all_twenty_exactly_once() {
    let t = TestStack::start().await;
    let (id, _, list) = setup(&t, project(), 20).await;
    t.inject_fault(json!({ "operation": "SendEmail", "mode": "throttle", "after": 3, "times": 5 })).await;
    let d = send(&t, &id, &list).await;
    assert_eq!((d["counts"]["sent"].as_u64(), d["counts"]["failed"].as_u64()), (Some(20), Some(0)), "{d:#}");
    let by = invitations_by_recipient(&t).await;
    assert_eq!(by.len(), 20, "{by:?}");
    assert!(by.values().all(|n| *n == 1), "each exactly once: {by:?}");
    assert_eq!(faults(&t).await[0]["spoiled"], 5, "SES throttled five sends");
    // the message that met them came back after a backoff, not at once
    let backed_off = t
        .stack
        .functions
        .invocations(Some("send-distribution"))
        .iter()
        .any(|i| i.result.as_ref().is_ok_and(|r| r["batchItemFailures"].as_array().is_some_and(|f| !f.is_empty())));
    assert!(backed_off, "the throttled message was left for redelivery");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rejected_invitation_fails_alone_with_its_reason_and_can_be_sent_again() {
    let t = TestStack::start().await;
    let (id, _, list) = setup(&t, project(), 20).await;
    t.inject_fault(json!({ "operation": "SendEmail", "mode": "rejected", "matching": "c7@example.com", "times": 1 })).await;
    let d = send(&t, &id, &list).await;
    let dist = d["id"].as_str().unwrap().to_string();
    assert_eq!((d["counts"]["sent"].as_u64(), d["counts"]["failed"].as_u64()), (Some(19), Some(1)), "{d:#}");
    let d = distribution(&t, &id, &dist).await;
    assert_eq!((d["failed_refused"].as_u64(), d["counts"]["failed_unknown"].as_u64()), (Some(1), Some(0)), "counted as refused: {d:#}");
    // who and why
    let failed = t.admin(Method::GET, &format!("/admin/projects/{id}/distributions/{dist}/recipients?state=failed")).send().await.unwrap();
    let failed: Value = failed.json().await.unwrap();
    assert_eq!(failed["recipients"].as_array().unwrap().len(), 1, "{failed:#}");
    assert_eq!(failed["recipients"][0]["email"], "c7@example.com");
    let reason = failed["recipients"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("MessageRejected") && reason.contains("Illegal address"), "{reason}");
    assert!(!invitations_by_recipient(&t).await.contains_key("c7@example.com"));
    // sent again on request: to c7 only
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/distributions/{dist}/retry")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let retried: Value = r.json().await.unwrap();
    assert_eq!(retried["reopened"], 1, "{retried:#}");
    fire_due(&t).await;
    let d = finished(&t, &id, &dist).await;
    assert_eq!((d["counts"]["sent"].as_u64(), d["counts"]["failed"].as_u64()), (Some(20), Some(0)), "{d:#}");
    assert_eq!(distribution(&t, &id, &dist).await["failed_refused"], 0, "sent after all: no longer refused");
    let by = invitations_by_recipient(&t).await;
    assert_eq!((by.len(), by.values().all(|n| *n == 1)), (20, true), "{by:?}");
    let again = t.admin(Method::POST, &format!("/admin/projects/{id}/distributions/{dist}/retry")).send().await.unwrap();
    assert_eq!(again.status(), 409, "nothing left to send again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unverified_sender_pauses_the_distribution_without_failing_anyone_until_it_is_resumed() {
    let t = TestStack::start().await;
    let (id, _, list) = setup(&t, project(), 20).await;
    t.inject_fault(json!({ "operation": "SendEmail", "mode": "unverified", "times": 1000 })).await;
    let (status, d) = distribute(&t, &id, json!({ "list_id": list, "messages": messages() })).await;
    assert_eq!(status, 201);
    let dist = d["id"].as_str().unwrap().to_string();
    let paused = reaches(&t, &id, &dist, "paused").await;
    assert_eq!((paused["counts"]["sent"].as_u64(), paused["counts"]["failed"].as_u64()), (Some(0), Some(0)), "{paused:#}");
    assert!(paused["pause_reason"].as_str().unwrap_or_default().contains("not verified"), "{paused:#}");
    // the identity is verified: resumed, everyone invited once
    t.clear_faults().await;
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/distributions/{dist}/resume")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    fire_due(&t).await;
    let d = finished(&t, &id, &dist).await;
    assert_eq!(
        (d["counts"]["sent"].as_u64(), d["counts"]["failed"].as_u64(), d["counts"]["planned"].as_u64()),
        (Some(20), Some(0), Some(20)),
        "{d:#}"
    );
    let by = invitations_by_recipient(&t).await;
    assert_eq!((by.len(), by.values().all(|n| *n == 1)), (20, true), "{by:?}");
    let again = t.admin(Method::POST, &format!("/admin/projects/{id}/distributions/{dist}/resume")).send().await.unwrap();
    assert_eq!(again.status(), 409, "not paused any more");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_refuses_a_fault_it_cannot_apply() {
    let t = TestStack::start().await;
    let url = format!("{}/_pulse/faults", t.stack.emulator_url);
    for rule in [
        json!({ "operation": "PutObject", "mode": "error" }),
        json!({ "operation": "SendEmail", "mode": "unprocessed" }),
        json!({ "operation": "GetItem", "mode": "throttle" }),
    ] {
        let r = t.http.post(&url).json(&rule).send().await.unwrap();
        assert_eq!(r.status(), 400, "{rule}");
        assert!(r.text().await.unwrap().contains(rule["operation"].as_str().unwrap()), "the answer names it");
    }
    assert_eq!(faults(&t).await, json!([]), "nothing was taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_kind_of_email_shares_one_send_rate() {
    let t = TestStack::start_with(&[("SesSendRate", "5")]).await;
    let body = json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": ["Region"],
        "notifications": { "rule": { "mode": "every", "n": 1 }, "recipients": ["team@example.com", "lead@example.com"] } } });
    let (id, survey, list) = setup(&t, body, 15).await;
    let anon = t.admin(Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json::<Value>().await.unwrap()
        ["anonymous_link"]
        .as_str()
        .unwrap()
        .trim_start_matches(&t.url(""))
        .to_string();
    // invitations, notifications and a test email, all at once
    let (status, d) = distribute(&t, &id, json!({ "list_id": list, "messages": messages() })).await;
    assert_eq!(status, 201);
    for _ in 0..6 {
        assert_eq!(t.submit(&anon, &complete_answers(&survey)).await, StatusCode::OK);
    }
    let r = t.admin(Method::POST, "/admin/test-email").json(&json!({ "to": "ops@example.com" })).send().await.unwrap();
    assert!(r.status().is_success());
    finished(&t, &id, d["id"].as_str().unwrap()).await;
    t.wait_for_stream(6).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let total = 15 + 6 * 2 + 1;
    while t.mails().await.len() < total && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(t.mails().await.len(), total, "invitations, notifications to two and the test email");
    let per_second = sends_per_second(&t).await;
    assert_eq!(per_second.iter().sum::<u64>(), total as u64, "every email took its send from the one budget: {per_second:?}");
    assert!(per_second.iter().all(|n| *n <= 5), "at most 5 a second: {per_second:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn what_will_happen_equals_the_outcome_with_suppressed_quiet_and_over_budget_contacts() {
    let t = TestStack::start().await;
    let r = t.admin(Method::POST, "/admin/plans").json(&json!({ "name": "Six", "monthly_budget": 6 })).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r = t
        .admin(Method::POST, "/admin/accounts")
        .json(&json!({ "name": "Kahvila Oy", "plan": "Six", "time_zone": "UTC" }))
        .send()
        .await
        .unwrap();
    let account: Value = r.json().await.unwrap();
    let mut p = project();
    p["settings"]["quiet_period_days"] = json!(30);
    p["settings"]["account_id"] = account["id"].clone();
    let (id, _, list_id) = setup(&t, p, 10).await;
    // c0–c2 were invited a moment ago (three of the budget's six), c3 and
    // c4 are suppressed; c5–c9 may be invited, but the budget leaves three
    let recent = t.import_file(&id, "recent.csv", contacts(3)).await;
    assert_eq!(send(&t, &id, recent["list_id"].as_str().unwrap()).await["counts"]["sent"], 3);
    for (email, reason) in [("c3@example.com", "bounced"), ("c4@example.com", "complained")] {
        let r = t
            .admin(Method::POST, &format!("/admin/projects/{id}/suppressions"))
            .json(&json!({ "email": email, "reason": reason }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }

    let draft = json!({ "list_id": list_id, "messages": messages() });
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/distributions/preview"))
        .json(&json!({ "distribution": draft }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let preview: Value = r.json().await.unwrap();
    let f = &preview["forecast"];
    let told = [&f["contacts"], &f["will_send"], &f["suppressed"], &f["quiet_period"], &f["over_budget"]].map(|v| v.as_u64().unwrap());
    assert_eq!(told, [10, 3, 2, 3, 2], "{preview:#}");
    assert_eq!(f["estimated"], false);

    let (status, d) = distribute(&t, &id, draft).await;
    assert_eq!(status, 201, "{d}");
    let done = finished(&t, &id, d["id"].as_str().unwrap()).await;
    let c = &done["counts"];
    let n = |k: &str| c[k].as_u64().unwrap_or(0);
    let happened = [
        n("sent") + n("skipped_suppressed") + n("skipped_unsubscribed") + n("skipped_quiet_period") + n("skipped_over_budget"),
        n("sent"),
        n("skipped_suppressed") + n("skipped_unsubscribed"),
        n("skipped_quiet_period"),
        n("skipped_over_budget"),
    ];
    assert_eq!(happened, told, "what the preview told is what happened: {done:#}");
    assert_eq!(n("failed"), 0, "{done:#}");
}
