//! Reports through the local stack: figures from the aggregates compared
//! with figures computed here from the submitted answers, the HTML / CSV /
//! JSON files, segments, the empty case, the weekly schedule with its
//! emailed link, and GDPR erasure of report texts.

use std::time::Duration;

use pulse_tests::{complete_answers, TestStack, PATIENCE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn project(extra: Value) -> Value {
    let mut settings = json!({
        "organisation_name": "Kahvila <Oy>", "business_type": "B2B", "operational_fields": ["Region"],
        "b2b": { "industries": ["Retail", "Health"], "company_size": { "measure": "employees" } },
        "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] },
    });
    for (k, v) in extra.as_object().unwrap() {
        settings[k] = v.clone();
    }
    json!({ "kind": "assessment", "settings": settings })
}

/// One respondent: NPS, CSAT, CES, region (personal link) or none
/// (anonymous), industry, and a text.
struct Answer {
    nps: i64,
    csat: i64,
    ces: i64,
    region: Option<&'static str>,
    industry: &'static str,
    needs: Option<&'static str>,
    follow_up: bool,
}

const ANSWERS: [Answer; 8] = [
    Answer {
        nps: 10,
        csat: 5,
        ces: 7,
        region: Some("North"),
        industry: "Retail",
        needs: Some("=SUM(A1:A9) faster replies"),
        follow_up: true,
    },
    Answer { nps: 9, csat: 4, ces: 6, region: Some("North"), industry: "Retail", needs: None, follow_up: false },
    Answer { nps: 9, csat: 5, ces: 2, region: Some("North"), industry: "Health", needs: None, follow_up: false },
    Answer { nps: 8, csat: 3, ces: 5, region: Some("North"), industry: "Health", needs: Some("More <b>updates</b>"), follow_up: false },
    Answer { nps: 7, csat: 2, ces: 4, region: Some("North"), industry: "Retail", needs: None, follow_up: false },
    Answer { nps: 6, csat: 1, ces: 1, region: Some("South"), industry: "Retail", needs: None, follow_up: false },
    Answer { nps: 2, csat: 4, ces: 3, region: Some("South"), industry: "Health", needs: None, follow_up: false },
    Answer { nps: 0, csat: 1, ces: 7, region: None, industry: "Retail", needs: None, follow_up: false },
];

async fn submit_all(t: &TestStack, id: &str, anon: &str, survey: &Value) {
    for (i, a) in ANSWERS.iter().enumerate() {
        let mut form = complete_answers(survey);
        form.retain(|(k, _)| !["nps", "csat", "ces", "industry", "needs"].contains(&k.as_str()));
        form.push(("nps".into(), a.nps.to_string()));
        form.push(("csat".into(), a.csat.to_string()));
        form.push(("ces".into(), a.ces.to_string()));
        form.push(("industry".into(), a.industry.into()));
        if let Some(text) = a.needs {
            form.push(("needs".into(), text.into()));
        }
        if a.follow_up {
            form.push(("follow_up".into(), "yes".into()));
            form.push(("follow_up_contact".into(), "+358 40 1234567".into()));
        }
        let path = match a.region {
            Some(region) => {
                t.personal_link(id, json!({ "email": format!("r{i}@example.fi"), "first_name": "R", "last_name": format!("{i}"), "fields": { "Region": region } }))
                    .await
            }
            None => anon.to_string(),
        };
        assert_eq!(t.submit(&path, &form).await, StatusCode::OK);
    }
}

/// NPS, CSAT and CES computed here, straight from the answers.
fn expected(answers: &[&Answer]) -> (f64, f64, f64, f64) {
    let n = answers.len() as f64;
    let promoters = answers.iter().filter(|a| a.nps >= 9).count() as f64;
    let detractors = answers.iter().filter(|a| a.nps <= 6).count() as f64;
    let nps = (promoters - detractors) * 100.0 / n;
    // the adjusted-Wald interval's half width: three answers added
    // (¾ promoter, 1½ passive, ¾ detractor)
    let m = n + 3.0;
    let (p, d) = ((promoters + 0.75) / m, (detractors + 0.75) / m);
    let half = 1.959_963_984_540_054 * ((p + d - (p - d).powi(2)) / m).sqrt() * 100.0;
    let (low, high) = (((p - d) * 100.0 - half).max(-100.0), ((p - d) * 100.0 + half).min(100.0));
    let margin = (high - low) / 2.0;
    let csat = answers.iter().filter(|a| a.csat >= 4).count() as f64 * 100.0 / n;
    let ces = answers.iter().map(|a| a.ces as f64).sum::<f64>() / n;
    (nps, margin, csat, ces)
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-6)
}

async fn get_json(t: &TestStack, path: &str) -> (StatusCode, Value) {
    let r = t.admin(Method::GET, path).send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

/// Asks for a report and waits until `generate-report` has finished it.
async fn report(t: &TestStack, id: &str, body: Value) -> Value {
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/reports")).json(&body).send().await.unwrap();
    let status = r.status();
    let created: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::ACCEPTED, "{created}");
    let rid = created["id"].as_str().unwrap().to_string();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let (_, r) = get_json(t, &format!("/admin/projects/{id}/reports/{rid}")).await;
        if r["state"] != "pending" {
            return r;
        }
        assert!(tokio::time::Instant::now() < deadline, "report {rid} still pending: {r}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn fetch(t: &TestStack, url: &str) -> String {
    let r = t.http.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    r.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_report_json_matches_figures_computed_from_the_submitted_responses() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(project(json!({}))).await;
    submit_all(&t, &id, &anon, &survey).await;

    let r = report(&t, &id, json!({ "period": "week" })).await;
    assert_eq!(r["state"], "done", "{r}");
    assert_eq!(r["responses"], 8);
    let figures: Value = serde_json::from_str(&fetch(&t, r["links"]["json"].as_str().unwrap()).await).unwrap();

    let all: Vec<&Answer> = ANSWERS.iter().collect();
    let (nps, margin, csat, ces) = expected(&all);
    let h = &figures["headline"];
    assert_eq!(h["responses"], 8);
    assert!(close(&h["nps"]["score"], nps), "NPS {} vs {nps}", h["nps"]["score"]);
    assert!(close(&h["nps"]["margin"], margin), "margin {} vs {margin}", h["nps"]["margin"]);
    assert!(close(&h["csat"], csat), "CSAT {} vs {csat}", h["csat"]);
    assert!(close(&h["ces"], ces), "CES {} vs {ces}", h["ces"]);
    assert_eq!(h["follow_ups"], 1);
    assert_eq!(figures["note"], Value::Null);

    // Segments: by region (from the contacts) and by industry (asked).
    let region = figures["segments"].as_array().unwrap().iter().find(|s| s["dimension"]["name"] == "Region").unwrap();
    let north: Vec<&Answer> = ANSWERS.iter().filter(|a| a.region == Some("North")).collect();
    let row = region["rows"].as_array().unwrap().iter().find(|r| r["value"] == "North").unwrap();
    assert_eq!(row["responses"], 5);
    assert!(close(&row["nps"]["score"], expected(&north).0));
    assert_eq!(row["small"], false);
    let south = region["rows"].as_array().unwrap().iter().find(|r| r["value"] == "South").unwrap();
    assert_eq!((south["responses"].clone(), south["small"].clone()), (json!(2), json!(true)), "n < 5 is shown and flagged");
    let industry = figures["segments"].as_array().unwrap().iter().find(|s| s["dimension"]["name"] == "industry").unwrap();
    let retail = industry["rows"].as_array().unwrap().iter().find(|r| r["value"] == "Retail").unwrap();
    let retail_answers: Vec<&Answer> = ANSWERS.iter().filter(|a| a.industry == "Retail").collect();
    assert_eq!(retail["responses"], 5);
    assert!(close(&retail["csat"], expected(&retail_answers).2));

    // Distribution of NPS answers and the open texts.
    let nps_bars = figures["distributions"].as_array().unwrap().iter().find(|d| d["question"] == "nps").unwrap();
    let count = |v: &str| nps_bars["bars"].as_array().unwrap().iter().find(|b| b[0] == v).unwrap()[2].clone();
    assert_eq!((count("9"), count("10"), count("5")), (json!(2), json!(1), json!(0)));
    let texts: Vec<&str> = figures["texts"].as_array().unwrap().iter().map(|x| x["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 2);
    let flagged = figures["texts"].as_array().unwrap().iter().find(|x| x["follow_up"] == true).unwrap();
    assert_eq!(flagged["nps"], 10);

    // The HTML dashboard escapes what respondents and operators wrote.
    let html = fetch(&t, r["links"]["html"].as_str().unwrap()).await;
    assert!(html.contains("Kahvila &lt;Oy&gt;") && !html.contains("Kahvila <Oy>"));
    assert!(html.contains("More &lt;b&gt;updates&lt;/b&gt;"));
    assert!(html.contains("<svg"));
    assert!(!html.contains("NaN"));

    // The CSV holds every response, formulas neutralised.
    let csv = fetch(&t, r["links"]["csv"].as_str().unwrap()).await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "Region") && headers.iter().any(|h| h == "nps"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8);
    let needs = headers.iter().position(|h| h == "needs").unwrap();
    assert!(rows.iter().any(|r| &r[needs] == "'=SUM(A1:A9) faster replies"), "a formula is neutralised with a leading quote");
    assert!(!rows.iter().any(|r| r[needs].starts_with('=')));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn figures_refuse_an_unknown_segment_and_an_empty_project_says_so_plainly() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project(json!({}))).await;

    let (status, body) = get_json(&t, &format!("/admin/projects/{id}/figures?segments=Region,Business%20Unit")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "segments");
    assert!(body["message"].as_str().unwrap().contains("\"Business Unit\""), "{body}");
    let (status, body) = get_json(&t, &format!("/admin/projects/{id}/figures?from=2026-02-30")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "from");

    let r = report(&t, &id, json!({})).await;
    assert_eq!(r["state"], "done", "{r}");
    let json_text = fetch(&t, r["links"]["json"].as_str().unwrap()).await;
    let figures: Value = serde_json::from_str(&json_text).unwrap();
    assert!(figures["note"].as_str().unwrap().starts_with("No responses between"), "{}", figures["note"]);
    assert_eq!(figures["headline"]["nps"], Value::Null);
    let html = fetch(&t, r["links"]["html"].as_str().unwrap()).await;
    for text in [&json_text, &html] {
        assert!(!text.contains("NaN") && !text.contains("inf\""), "no NaN, no division by zero");
    }
    assert!(html.contains("No responses between"));
}

/// Seconds from the stack's now to the next Monday, 06:00 UTC.
async fn to_next_monday(t: &TestStack) -> u64 {
    let now: Value = t.http.get(t.url("/_local/clock")).send().await.unwrap().json().await.unwrap();
    let ms = now["now_ms"].as_u64().unwrap();
    let day = ms / 86_400_000;
    // 1970-01-01 was a Thursday: weekday 0 = Monday ⇒ (day + 3) % 7.
    let weekday = (day + 3) % 7;
    let next_monday = day + (7 - weekday);
    (next_monday * 86_400_000 + 6 * 3_600_000 - ms) / 1000
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_weekly_report_is_made_once_and_emailed_once_with_a_working_link() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t
        .open_project(project(json!({ "reports": { "schedule": "weekly", "subscribers": ["boss@example.com", "cx@example.com"] } })))
        .await;
    submit_all(&t, &id, &anon, &survey).await;

    let secs = to_next_monday(&t).await;
    let r = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": secs })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for _ in 0..2 {
        let r = t.http.post(t.url("/_local/schedules/GenerateReportFunction.DailyReports")).send().await.unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["result"]["reports"].as_array().map(Vec::len), Some(1), "one message per due project: {body}");
    }

    // the run fans out: each project's report is made from its own message
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let (list, mails) = loop {
        let (_, list) = get_json(&t, &format!("/admin/projects/{id}/reports")).await;
        let mails: Vec<Value> = t.mails().await.into_iter().filter(|m| m["subject"].as_str().unwrap().contains("pulse report")).collect();
        if (list["reports"][0]["state"] == "done" && mails.len() >= 2) || tokio::time::Instant::now() > deadline {
            break (list, mails);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let reports = list["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "a repeated run makes no second report: {list}");
    assert_eq!(reports[0]["source"], "weekly");
    assert_eq!(reports[0]["responses"], 8, "the week just ended holds every response");
    // both runs' messages handled: still one email per subscriber
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while t
        .stack
        .functions
        .invocations(Some("generate-report"))
        .iter()
        .filter(|i| i.event["Records"][0]["eventSource"] == "aws:sqs")
        .count()
        < 2
    {
        assert!(tokio::time::Instant::now() < deadline, "generate-report never got both messages");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mails: Vec<Value> = if mails.len() >= 2 {
        t.mails().await.into_iter().filter(|m| m["subject"].as_str().unwrap().contains("pulse report")).collect()
    } else {
        mails
    };
    let mut to: Vec<String> = mails.iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    to.sort();
    assert_eq!(to, vec!["boss@example.com", "cx@example.com"], "one email per subscriber, whatever the runs");
    let body = mails[0]["body"].as_str().unwrap();
    let start = body.find(&format!("{}/reports/", t.stack.base_url)).unwrap();
    let link: String = body[start..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<').collect();
    let html = fetch(&t, &link).await;
    assert!(html.contains("Kahvila &lt;Oy&gt;"), "the emailed link opens the report");
    assert!(
        t.http.get(format!("{}/reports/not-a-real-token-at-all-000000", t.stack.base_url)).send().await.unwrap().status()
            == StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn erasing_a_contact_removes_their_text_from_reports_and_keeps_the_scores() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(project(json!({}))).await;
    submit_all(&t, &id, &anon, &survey).await;
    let (_, before) = get_json(&t, &format!("/admin/projects/{id}/figures")).await;
    assert_eq!(before["texts"].as_array().unwrap().len(), 2);

    // r0 wrote the formula text and asked for a follow-up.
    let erased = t.erase(&id, "r0@example.fi").await;
    assert_eq!(erased["job"]["removed"]["responses"], 1, "{erased:#}");
    let (_, after) = get_json(&t, &format!("/admin/projects/{id}/figures")).await;
    let texts: Vec<&str> = after["texts"].as_array().unwrap().iter().map(|x| x["text"].as_str().unwrap()).collect();
    assert_eq!(texts, vec!["More <b>updates</b>"]);
    assert_eq!(after["headline"], before["headline"], "the scores stay");
}
