//! Response notifications and follow-up requests, exactly once, through the
//! local stack (emails read back from the emulator's SES).

use std::time::Duration;

use pulse_tests::{complete_answers, TestStack, PATIENCE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn project(rule: Value, follow_ups: Value) -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": ["Region"],
        "notifications": { "rule": rule, "recipients": ["team@example.com"] },
        "follow_ups": follow_ups } })
}

/// `n` anonymous submissions, all at once.
async fn submit_concurrently(t: &TestStack, path: &str, answers: &[(String, String)], n: usize) {
    let mut tasks = Vec::new();
    for i in 0..n {
        let http = t.http.clone();
        let url = t.url(path);
        let mut a = answers.to_vec();
        a.iter_mut().filter(|(k, _)| k == "nps").for_each(|(_, v)| *v = (i % 11).to_string());
        a.push(("ft".into(), t.form_token(path).await.expect("the page carries a form token")));
        let body = pulse_tests::form_body(&a);
        tasks.push(tokio::spawn(async move {
            http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap().status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
}

fn subjects(mails: &[Value]) -> Vec<String> {
    let mut s: Vec<String> = mails.iter().map(|m| m["subject"].as_str().unwrap().to_string()).collect();
    s.sort();
    s
}

/// The dashboard a notification's body links to, once generate-report has
/// written it ("in progress" until then).
async fn linked_report(t: &TestStack, body: &str) -> String {
    let start = body.find(&format!("{}/reports/", t.stack.base_url)).expect("links to the report");
    let link: String = body[start..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<').collect();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let r = t.http.get(&link).send().await.unwrap();
        if r.status() == 200 {
            return r.text().await.unwrap();
        }
        assert_eq!(r.status(), 202, "{link}");
        assert!(tokio::time::Instant::now() < deadline, "the threshold's report was never written");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Hands every stream batch `notify-thresholds` has seen to it once more.
async fn replay_stream(t: &TestStack) {
    for inv in t.stack.functions.invocations(Some("notify-thresholds")) {
        let r = t.stack.functions.invoke("notify-thresholds", "replay", inv.event, Duration::from_secs(60)).await.unwrap();
        assert_eq!(r["batchItemFailures"], json!([]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_50_sends_exactly_four_emails_for_200_concurrent_responses_and_replays_send_nothing() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(project(json!({ "mode": "every", "n": 50 }), json!({ "enabled": false }))).await;
    submit_concurrently(&t, &anon, &complete_answers(&survey), 200).await;
    t.wait_for_stream(200).await;
    let mails = t.mails().await;
    assert_eq!(
        subjects(&mails),
        vec![
            "Kahvila Oy: 100 responses reached",
            "Kahvila Oy: 150 responses reached",
            "Kahvila Oy: 200 responses reached",
            "Kahvila Oy: 50 responses reached",
        ]
    );
    assert!(mails.iter().all(|m| m["to"] == json!(["team@example.com"])));
    let latest = mails.iter().find(|m| m["subject"].as_str().unwrap().contains(" 200 ")).unwrap();
    let body = latest["body"].as_str().unwrap();
    // nps answers cycle 0..=10: 200 answers → 36 promoters (9, 10), 36 passives, 128 detractors → NPS −46,
    // its adjusted-Wald interval (n' = 203) −56 to −35
    assert!(body.contains("Current NPS: <strong>-46 (95 % interval -56 to -35"), "{body}");
    // the link opens a report made for the threshold, no sign-in needed
    // ("in progress" until generate-report has written it)
    let html = linked_report(&t, body).await;
    assert!(html.contains("Kahvila Oy") && html.contains("<svg"), "the dashboard");
    // one report for the hour, shared by the four emails
    let reports: Value = t.admin(Method::GET, &format!("/admin/projects/{id}/reports")).send().await.unwrap().json().await.unwrap();
    let made: Vec<&Value> = reports["reports"].as_array().unwrap().iter().filter(|r| r["source"] == "threshold").collect();
    assert_eq!(made.len(), 1, "{reports:#}");
    assert!(made[0]["id"].as_str().unwrap().ends_with("h-threshold"), "{made:#?}");
    assert!(made[0]["responses"].as_u64() >= Some(50), "made when the first threshold was reached: {made:#?}");
    let links: std::collections::BTreeSet<&str> = mails
        .iter()
        .filter_map(|m| m["links"].as_array())
        .flat_map(|l| l.iter().filter_map(Value::as_str).filter(|l| l.contains("/reports/")))
        .collect();
    // each email links the hour's one report through a link of its own (a
    // share token is shown once, never stored)
    assert_eq!(links.len(), 4, "{links:?}");
    let rid = made[0]["id"].as_str().unwrap();
    let shares: Value =
        t.admin(Method::GET, &format!("/admin/projects/{id}/reports/{rid}/shares")).send().await.unwrap().json().await.unwrap();
    let labels: Vec<&str> = shares["shares"].as_array().unwrap().iter().filter_map(|s| s["label"].as_str()).collect();
    // (a batch that reached a threshold another batch mailed made one too)
    assert!(labels.len() >= 4 && labels.iter().all(|l| *l == "threshold"), "the four links are the report's: {shares:#}");
    assert!(body.contains("/unsubscribe/"));
    assert_eq!(t.responses(&id).await["count"], 200);

    replay_stream(&t).await;
    assert_eq!(t.mails().await.len(), 4, "a replay of every stream record sends nothing new");
    // and makes nothing: no share link, no report, for thresholds already mailed
    let again: Value =
        t.admin(Method::GET, &format!("/admin/projects/{id}/reports/{rid}/shares")).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["shares"].as_array().unwrap().len(), labels.len(), "a replay minted share links: {again:#}");
    let reports: Value = t.admin(Method::GET, &format!("/admin/projects/{id}/reports")).send().await.unwrap().json().await.unwrap();
    assert_eq!(reports["reports"].as_array().unwrap().iter().filter(|r| r["source"] == "threshold").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_ledger_write_after_ses_took_the_email_never_sends_it_twice() {
    let t = TestStack::start().await;
    let (_, anon, survey) = t.open_project(project(json!({ "mode": "every", "n": 5 }), json!({ "enabled": false }))).await;
    // the ledger's complete write fails, through every SDK retry
    t.inject_fault(json!({ "operation": "UpdateItem", "matching": "COMPLETE", "mode": "error", "times": 50 })).await;
    submit_concurrently(&t, &anon, &complete_answers(&survey), 5).await;
    t.wait_for_stream(5).await;
    assert_eq!(subjects(&t.mails().await), vec!["Kahvila Oy: 5 responses reached"]);
    let faults: Value = t.http.get(format!("{}/_pulse/faults", t.stack.emulator_url)).send().await.unwrap().json().await.unwrap();
    assert!(faults[0]["spoiled"].as_u64() > Some(0), "the complete write did fail: {faults}");
    t.clear_faults().await;
    // the stream's records handed over again: nothing sends it again
    replay_stream(&t).await;
    submit_concurrently(&t, &anon, &complete_answers(&survey), 5).await;
    t.wait_for_stream(10).await;
    replay_stream(&t).await;
    let mut sent = subjects(&t.mails().await);
    sent.sort();
    assert_eq!(sent, vec!["Kahvila Oy: 10 responses reached", "Kahvila Oy: 5 responses reached"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn once_150_sends_exactly_one_email() {
    let t = TestStack::start().await;
    let (_, anon, survey) = t.open_project(project(json!({ "mode": "once", "n": 150 }), json!({ "enabled": false }))).await;
    submit_concurrently(&t, &anon, &complete_answers(&survey), 200).await;
    t.wait_for_stream(200).await;
    assert_eq!(subjects(&t.mails().await), vec!["Kahvila Oy: 150 responses reached"]);
    replay_stream(&t).await;
    assert_eq!(t.mails().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_request_emails_every_field_to_all_recipients_once() {
    let t = TestStack::start().await;
    let follow_ups = json!({ "enabled": true, "recipients": ["cx@example.com", "lead@example.com"] });
    let (id, _, survey) = t.open_project(project(json!({ "mode": "off" }), follow_ups)).await;
    let link = t
        .personal_link(
            &id,
            json!({ "email": "anna@example.fi", "first_name": "Anna", "last_name": "Virtanen", "fields": { "Region": "Uusimaa" } }),
        )
        .await;
    let mut answers = complete_answers(&survey);
    answers.retain(|(k, _)| k != "needs");
    answers.push(("needs".into(), "Faster <b>replies</b>, please".into()));
    answers.push(("follow_up".into(), "yes".into()));
    answers.push(("follow_up_contact".into(), "+358 40 123 4567".into()));
    assert_eq!(t.submit(&link, &answers).await, StatusCode::OK);
    t.wait_for_stream(1).await;

    let mails = t.mails().await;
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let m = &mails[0];
    assert_eq!(m["to"], json!(["cx@example.com", "lead@example.com"]));
    assert_eq!(m["subject"], "Follow-up requested: Anna Virtanen (Kahvila Oy)");
    let body = m["body"].as_str().unwrap();
    let stored = &t.responses(&id).await["responses"][0];
    for expected in [
        stored["submitted_at"].as_str().unwrap(),
        "Anna",
        "Virtanen",
        "+358 40 123 4567",
        "anna@example.fi",
        "Faster &lt;b&gt;replies&lt;/b&gt;, please",
        "10 (scale 0–10)",
        "Uusimaa",
        "within 48 hours",
    ] {
        assert!(body.contains(expected), "{expected:?} missing from {body}");
    }

    replay_stream(&t).await;
    assert_eq!(t.mails().await.len(), 1, "replays send nothing new");

    // anonymous: what the respondent typed
    let p: Value = t.admin(Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json().await.unwrap();
    let anon_path = p["anonymous_link"].as_str().unwrap().strip_prefix(&t.stack.base_url).unwrap().to_string();
    let mut anon_answers = complete_answers(&survey);
    anon_answers.push(("follow_up".into(), "yes".into()));
    anon_answers.push(("follow_up_contact".into(), "guest@example.org".into()));
    assert_eq!(t.submit(&anon_path, &anon_answers).await, StatusCode::OK);
    t.wait_for_stream(2).await;
    let mails = t.mails().await;
    assert_eq!(mails.len(), 2);
    let anon_mail = &mails[0];
    assert_eq!(anon_mail["subject"], "Follow-up requested: An anonymous respondent (Kahvila Oy)");
    assert!(anon_mail["body"].as_str().unwrap().contains("guest@example.org"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_follow_up_email_when_follow_ups_are_off_or_declined() {
    let t = TestStack::start().await;
    let (_, anon, survey) = t.open_project(project(json!({ "mode": "off" }), json!({ "enabled": false }))).await;
    assert!(survey["questions"].as_array().unwrap().iter().all(|q| q["id"] != "follow_up"));
    let mut answers = complete_answers(&survey);
    answers.push(("follow_up".into(), "yes".into()));
    answers.push(("follow_up_contact".into(), "x@example.com".into()));
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);

    let (_, anon2, survey2) =
        t.open_project(project(json!({ "mode": "off" }), json!({ "enabled": true, "recipients": ["cx@example.com"] }))).await;
    let mut declined = complete_answers(&survey2);
    declined.push(("follow_up".into(), "no".into()));
    assert_eq!(t.submit(&anon2, &declined).await, StatusCode::OK);
    t.wait_for_stream(2).await;
    assert_eq!(t.mails().await.len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_rule_applies_from_the_next_response_and_never_resends() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(project(json!({ "mode": "every", "n": 5 }), json!({ "enabled": false }))).await;
    let answers = complete_answers(&survey);
    for _ in 0..7 {
        assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    }
    t.wait_for_stream(7).await;
    assert_eq!(subjects(&t.mails().await), vec!["Kahvila Oy: 5 responses reached"]);

    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "notifications": { "rule": { "mode": "every", "n": 3 } } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for _ in 0..3 {
        assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    }
    t.wait_for_stream(10).await;
    assert_eq!(
        subjects(&t.mails().await),
        vec!["Kahvila Oy: 5 responses reached", "Kahvila Oy: 9 responses reached"],
        "3 and 6 are past and never sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipient_who_unsubscribes_gets_no_more_notifications() {
    let t = TestStack::start().await;
    let (_, anon, survey) = t.open_project(project(json!({ "mode": "every", "n": 2 }), json!({ "enabled": false }))).await;
    let answers = complete_answers(&survey);
    for _ in 0..2 {
        t.submit(&anon, &answers).await;
    }
    t.wait_for_stream(2).await;
    let mails = t.mails().await;
    assert_eq!(mails.len(), 1);
    let unsubscribe =
        mails[0]["links"].as_array().unwrap().iter().filter_map(Value::as_str).find(|l| l.contains("/unsubscribe/")).unwrap().to_string();
    let page = t.http.get(&unsubscribe).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Stop these notifications"));
    // the one-click POST of RFC 8058
    let r = t
        .http
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("will no longer receive"));
    for _ in 0..2 {
        t.submit(&anon, &answers).await;
    }
    t.wait_for_stream(4).await;
    assert_eq!(t.mails().await.len(), 1, "no notification at 4 for the recipient who stopped them");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn colleagues_read_notifications_reports_and_follow_ups_in_the_projects_default_language() {
    let t = TestStack::start().await;
    let mut finnish = project(json!({ "mode": "every", "n": 2 }), json!({ "enabled": false }));
    finnish["settings"]["languages"] = json!(["fi", "en"]);
    let (_, anon, survey) = t.open_project(finnish).await;
    let answers = complete_answers(&survey);
    for _ in 0..2 {
        assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    }
    t.wait_for_stream(2).await;
    let mails = t.mails().await;
    assert_eq!(subjects(&mails), vec!["Kahvila Oy: 2 vastausta saavutettu"]);
    let body = mails[0]["body"].as_str().unwrap();
    assert!(
        body.contains("<html lang=\"fi\">") && body.contains("NPS nyt: <strong>") && body.contains("Lopeta nämä ilmoitukset"),
        "{body}"
    );
    let html = linked_report(&t, body).await;
    assert!(
        html.contains("<html lang=\"fi\">") && html.contains("Kahvila Oy — Pulse-raportti") && html.contains("2 vastausta tällä jaksolla"),
        "{html}"
    );

    let mut german = project(json!({ "mode": "off" }), json!({ "enabled": true, "recipients": ["cx@example.com"] }));
    german["settings"]["languages"] = json!(["de", "en"]);
    let (_, anon, survey) = t.open_project(german).await;
    let mut answers = complete_answers(&survey);
    answers.push(("follow_up".into(), "yes".into()));
    answers.push(("follow_up_contact".into(), "gast@example.org".into()));
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    t.wait_for_stream(3).await;
    let mails = t.mails().await;
    let follow_up = mails.iter().find(|m| m["to"] == json!(["cx@example.com"])).expect("the follow-up request");
    assert_eq!(follow_up["subject"], "Rückmeldung erbeten: Eine anonyme Person (Kahvila Oy)");
    let body = follow_up["body"].as_str().unwrap();
    assert!(body.contains("gast@example.org") && body.contains("innerhalb von 48 Stunden"), "{body}");
}

// ------------------------------------------------------------ metric alerts

fn alerting_project(alerts: Value) -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C",
        "b2c": { "locations": ["Berlin", "Hamburg"] },
        "notifications": { "recipients": ["team@example.com"] },
        "alerts": alerts } })
}

/// `scores.len()` anonymous submissions at `location`, with those NPS
/// answers, all at once.
async fn submit_scores(t: &TestStack, path: &str, survey: &Value, location: &str, scores: &[u8]) {
    let mut answers = complete_answers(survey);
    answers.retain(|(k, _)| k != "nps" && k != "location");
    answers.push(("location".into(), location.into()));
    let mut tasks = Vec::new();
    for score in scores {
        let mut a = answers.clone();
        a.push(("nps".into(), score.to_string()));
        a.push(("ft".into(), t.form_token(path).await.expect("the page carries a form token")));
        let (http, url, body) = (t.http.clone(), t.url(path), pulse_tests::form_body(&a));
        tasks.push(tokio::spawn(async move {
            http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap().status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
}

/// The alert emails sent so far.
async fn alerts(t: &TestStack) -> Vec<Value> {
    t.mails().await.into_iter().filter(|m| m["subject"].as_str().unwrap_or_default().contains("alert")).collect()
}

async fn next_day(t: &TestStack) {
    let r = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": 86_400 })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// Runs the daily schedule (which evaluates every project's alerts) twice at once.
async fn two_daily_runs_at_once(t: &TestStack) {
    let url = t.url("/_local/schedules/GenerateReportFunction.DailyReports");
    let (a, b) = tokio::join!(t.http.post(&url).send(), t.http.post(&url).send());
    assert_eq!((a.unwrap().status(), b.unwrap().status()), (StatusCode::OK, StatusCode::OK));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_significant_fall_in_one_segment_alerts_once_a_dip_in_another_never_and_a_recovery_rearms_the_rule() {
    let t = TestStack::start().await;
    let rule = json!([{ "name": "nps-fall", "metric": "nps", "segment": "location", "window": "day", "drop": 10 }]);
    let (id, anon, survey) = t.open_project(alerting_project(rule)).await;
    // the baseline day: both places all promoters
    submit_scores(&t, &anon, &survey, "Berlin", &[10; 20]).await;
    submit_scores(&t, &anon, &survey, "Hamburg", &[10; 12]).await;
    t.wait_for_stream(32).await;
    next_day(&t).await;
    // the next day: Berlin falls hard (significant), Hamburg dips by 20 on
    // ten answers (not significant)
    submit_scores(&t, &anon, &survey, "Berlin", &[2; 15]).await;
    submit_scores(&t, &anon, &survey, "Hamburg", &[10, 10, 10, 10, 10, 10, 10, 10, 8, 8]).await;
    t.wait_for_stream(57).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while alerts(&t).await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "no alert was sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent = alerts(&t).await;
    assert_eq!(sent.len(), 1, "one alert, for Berlin only: {:?}", subjects(&sent));
    let mail = &sent[0];
    assert_eq!(mail["subject"], "Kahvila Oy: NPS alert for location = Berlin");
    let body = mail["body"].as_str().unwrap();
    // it fires with the batch that made the fall significant, so on part of the 15
    assert!(body.contains("fell to -100 (n = ") && body.contains("from +100 in the baseline (n = 20)"), "{body}");
    assert!(body.contains("Day: ") && body.contains("Baseline: "), "the day and its baseline: {body}");
    assert!(body.contains("p = 0.000"), "the test's p-value: {body}");
    // its link opens the dashboard of Berlin's responses only
    let report = linked_report(&t, body).await;
    assert!(report.contains("Only the responses with") && report.contains("Berlin"), "{report}");

    // a replayed batch and two concurrent evaluations: still one
    replay_stream(&t).await;
    two_daily_runs_at_once(&t).await;
    assert_eq!(alerts(&t).await.len(), 1, "exactly once under replays and concurrency");

    // the day after, Berlin recovers (no new alert), and the day after
    // that it falls again: the rule fires a second time
    next_day(&t).await;
    submit_scores(&t, &anon, &survey, "Berlin", &[10; 20]).await;
    t.wait_for_stream(77).await;
    two_daily_runs_at_once(&t).await;
    assert_eq!(alerts(&t).await.len(), 1, "a recovery sends nothing");
    next_day(&t).await;
    submit_scores(&t, &anon, &survey, "Berlin", &[0; 20]).await;
    t.wait_for_stream(97).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while alerts(&t).await.len() < 2 {
        assert!(tokio::time::Instant::now() < deadline, "the second fall was not alerted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    two_daily_runs_at_once(&t).await;
    let sent = alerts(&t).await;
    assert_eq!(sent.len(), 2, "{:?}", subjects(&sent));
    assert!(sent.iter().all(|m| m["subject"] == "Kahvila Oy: NPS alert for location = Berlin"));
    let _ = id;
}

#[tokio::test]
async fn alert_rules_with_an_unknown_segment_or_metric_a_minimum_below_one_or_a_baseline_beyond_the_data_are_refused() {
    let t = TestStack::start().await;
    for (rule, field) in [
        (json!({ "name": "a", "metric": "nps", "segment": "Regio", "below": 0 }), "settings.alerts[0].segment"),
        (json!({ "name": "a", "metric": "happiness", "below": 0 }), "settings.alerts[0].metric"),
        (json!({ "name": "a", "metric": "nps", "below": 0, "min_responses": 0 }), "settings.alerts[0].min_responses"),
        (json!({ "name": "a", "metric": "nps", "drop": 5, "window": "month", "baseline_days": 900 }), "settings.alerts[0].baseline_days"),
    ] {
        let r = t.admin(Method::POST, "/admin/projects").json(&alerting_project(json!([rule]))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], field, "{e}");
    }
}
