//! The respondent page in a real browser: Debian's headless Chromium, driven
//! through chromedriver (WebDriver), at phone width. Screenshots are kept in
//! `target/test-artifacts/` for a person to look at. chromedriver is spoken
//! to over plain HTTP on loopback (no TLS stack needed).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use pulse_shared::domain::i18n::{keys, t_args, Arg, ArgKind, Key, Lang};
use pulse_shared::render::keys as console_keys;
use pulse_tests::TestStack;
use reqwest::Method;
use serde_json::{json, Value};

fn artifacts() -> PathBuf {
    let dir = pulse_local::workspace_root().join("target/test-artifacts");
    std::fs::create_dir_all(&dir).expect("artifact folder");
    dir
}

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    url: String,
    _child: tokio::process::Child,
}

async fn chromedriver() -> Driver {
    let port = pulse_local::emulator::free_port().unwrap();
    let child = tokio::process::Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver is not installed: apt-get install chromium chromium-driver (./infra/setup.sh does it as root)");
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if reqwest::get(format!("{url}/status")).await.is_ok() {
            return Driver { url, _child: child };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("chromedriver did not start");
}

async fn browser(driver: &Driver) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=360,900", "--lang=en-US"]
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session");
    client.set_window_size(360, 900).await.expect("phone width");
    client
}

async fn save(client: &fantoccini::Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    std::fs::write(artifacts().join(name), png).expect("write screenshot");
}

/// Answers the questions of `survey` the current page shows (on a survey
/// in steps, the current step's) as a person would: clicking labels,
/// typing, the NPS by keyboard; leaves the follow-up question alone.
async fn answer_step(client: &fantoccini::Client, survey: &Value) {
    for q in survey["questions"].as_array().unwrap() {
        let qid = q["id"].as_str().unwrap();
        if client.find_all(Locator::Css(&format!("#q-{qid}"))).await.unwrap().is_empty() {
            continue; // on another step
        }
        let a = &q["answering"];
        match a["type"].as_str().unwrap() {
            "scale" if qid == "nps" => {
                // by keyboard: focus the radio and press the space bar
                client.find(Locator::Css("input[name='nps'][value='10']")).await.unwrap().send_keys(" ").await.unwrap();
            }
            "scale" => {
                let value = a["max"].to_string();
                client.find(Locator::Css(&format!("input[name='{qid}'][value='{value}']"))).await.unwrap().click().await.unwrap();
            }
            "single" | "multi" if qid != "follow_up" => {
                client.find(Locator::Css(&format!("label[for='{qid}-0']"))).await.unwrap().click().await.unwrap();
            }
            "text" if qid == "needs" => {
                client.find(Locator::Id(qid)).await.unwrap().send_keys("Longer opening hours, please.").await.unwrap();
            }
            _ => {}
        }
    }
}

/// The step the page shows (its `at` field), if the survey is in steps.
async fn step_shown(client: &fantoccini::Client) -> Option<u64> {
    let at: Value =
        client.execute("const a = document.querySelector('#survey input[name=at]'); return a && Number(a.value);", vec![]).await.unwrap();
    at.as_u64()
}

/// Presses the step's Next, if it has one, and waits for the next step.
async fn next_step(client: &fantoccini::Client) -> bool {
    let Some(at) = step_shown(client).await else { return false };
    let Some(next) = client.find_all(Locator::Css("#survey button[name=step][value=next]")).await.unwrap().into_iter().next() else {
        return false;
    };
    next.click().await.unwrap();
    client.wait().for_element(Locator::Css(&format!("#survey input[name=at][value='{}']", at + 1))).await.unwrap();
    true
}

/// Presses the step's Back and waits for the step before.
async fn back_step(client: &fantoccini::Client) {
    let at = step_shown(client).await.expect("a survey in steps");
    client.find(Locator::Css("#survey button[name=step][value=back]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css(&format!("#survey input[name=at][value='{}']", at - 1))).await.unwrap();
}

/// Whether the control `css` is checked.
async fn checked(client: &fantoccini::Client, css: &str) -> bool {
    let v: Value = client.execute(&format!("return document.querySelector(\"{css}\").checked;"), vec![]).await.unwrap();
    v == json!(true)
}

/// Answers the rest of `survey` from the current page on, step by step
/// (see [`answer_step`]), and asks for a follow-up by phone: "yes", then
/// the form sent, which asks how to reach the respondent (on a step of its
/// own, or below on a single page). Ends with the number typed in; the
/// caller sends the form.
async fn answer_everything(client: &fantoccini::Client, survey: &Value) {
    loop {
        answer_step(client, survey).await;
        if !next_step(client).await {
            break;
        }
    }
    client.find(Locator::Css("label[for='follow_up-0']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
    let contact = client.wait().for_element(Locator::Id("follow_up_contact")).await.unwrap();
    contact.send_keys("+49 30 1234567").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_respondent_fills_in_the_assessment_on_a_phone_and_sees_the_thank_you_page() {
    let t = TestStack::start().await;
    let project = t
        .create_project(json!({ "kind": "assessment", "settings": {
            "organisation_name": "Café Aroma", "business_type": "B2C", "operational_fields": ["Region"],
            "b2c": { "measure_in_person": true, "locations": ["Berlin", "Hamburg", "München"] },
            "resource_page_url": "https://example.com/help",
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] },
            "languages": ["en", "de"] } }))
        .await;
    let id = project["id"].as_str().unwrap();
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" rx="6" fill="#6b3e26"/><text x="60" y="26" font-size="16" text-anchor="middle" fill="#fff" font-family="sans-serif">Aroma</text></svg>"##;
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/logo"))
        .header("content-type", "image/svg+xml")
        .body(svg.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let survey = t.publish(id).await["survey"].clone();
    let link = t
        .personal_link(
            id,
            json!({ "email": "anna@example.fi", "first_name": "Anna", "last_name": "Virtanen", "fields": { "Region": "Nord" } }),
        )
        .await;

    let driver = chromedriver().await;
    let client = browser(&driver).await;
    client.goto(&t.url(&link)).await.unwrap();
    let title = client.find(Locator::Css("header .org")).await.unwrap().text().await.unwrap();
    assert_eq!(title, "Café Aroma");
    let logo_loaded: Value = client
        .execute("const i = document.querySelector('header img'); return i && i.complete && i.naturalWidth > 0;", vec![])
        .await
        .unwrap();
    assert_eq!(logo_loaded, json!(true), "the logo loads");
    // one area per step: communication, actions, confidence, in person,
    // the overall experience, needs, about you, follow-up
    let progress = client.find(Locator::Id("step-progress")).await.unwrap().text().await.unwrap();
    assert_eq!(progress, "Step 1 of 8");
    let bar: Value = client.execute("const p = document.querySelector('progress'); return [p.value, p.max];", vec![]).await.unwrap();
    assert_eq!(bar, json!([1, 8]));
    let overflow: Value = client.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
    assert_eq!(overflow, json!(true), "nothing wider than a 360 px phone");
    let height: Value = client.execute("return document.documentElement.scrollHeight;", vec![]).await.unwrap();
    assert!(height.as_f64().unwrap() < 2000.0, "a step is a short page, not the whole survey: {height}");
    save(&client, "survey-phone.png").await;

    // Next with the step's required question unanswered: the step comes back with its error.
    client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css(".summary[role=alert]")).await.unwrap();
    let error = client.find(Locator::Id("err-comm_frequency")).await.unwrap().text().await.unwrap();
    assert_eq!(error, "Please answer this question.");
    assert_eq!(step_shown(&client).await, Some(1), "still on the first step");
    save(&client, "validation-error-phone.png").await;

    // Answered, Next, Back: the answers are still chosen.
    client.find(Locator::Css("label[for='comm_frequency-1']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("label[for='comm_channels-2']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("input[name='comm_met'][value='4']")).await.unwrap().click().await.unwrap();
    assert!(next_step(&client).await);
    assert_eq!(client.find(Locator::Id("step-progress")).await.unwrap().text().await.unwrap(), "Step 2 of 8");
    client.find(Locator::Css("input[name='action_satisfaction'][value='2']")).await.unwrap().click().await.unwrap();
    back_step(&client).await;
    for css in ["#comm_frequency-1", "#comm_channels-2", "input[name='comm_met'][value='4']"] {
        assert!(checked(&client, css).await, "{css} is still chosen after Back");
    }
    assert!(next_step(&client).await);
    assert!(checked(&client, "input[name='action_satisfaction'][value='2']").await, "the second step's answer went along too");

    // The language switch on step 2: still step 2, in German, the answers kept.
    client.find(Locator::Css("button[name=switch_lang][value=de]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("html[lang=de]")).await.unwrap();
    assert_eq!(client.find(Locator::Id("step-progress")).await.unwrap().text().await.unwrap(), "Schritt 2 von 8");
    assert_eq!(step_shown(&client).await, Some(2));
    assert!(checked(&client, "input[name='action_satisfaction'][value='2']").await, "the answer is kept through the switch");
    let carried = client.find(Locator::Css("#survey input[type=hidden][name=comm_frequency]")).await.unwrap().attr("value").await.unwrap();
    assert_eq!(carried.as_deref(), Some("weekly"), "the first step's answers go along");
    // a middle step, for people: axe finds nothing, nothing wider than the phone
    assert_eq!(axe(&client).await, Vec::<String>::new(), "axe on step 2");
    let overflow: Value = client.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
    assert_eq!(overflow, json!(true));
    save(&client, "survey-step-2-de-phone.png").await;
    client.find(Locator::Css("button[name=switch_lang][value=en]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("html[lang=en]")).await.unwrap();
    assert_eq!(step_shown(&client).await, Some(2));

    // The rest, step by step; on the overall-experience step the 0–10 scale.
    loop {
        if !client.find_all(Locator::Css("#q-nps")).await.unwrap().is_empty() {
            // the 0–10 scale on one row: eleven targets sharing a top, each at least 24 px wide and high
            let boxes: Value = client
                .execute(
                    "return Array.from(document.querySelectorAll('#q-nps .scale label')).map(l => { const r = l.getBoundingClientRect(); return [r.top, r.width, r.height]; });",
                    vec![],
                )
                .await
                .unwrap();
            let boxes: Vec<(f64, f64, f64)> = serde_json::from_value(boxes).unwrap();
            assert_eq!(boxes.len(), 11);
            assert!(boxes.iter().all(|b| (b.0 - boxes[0].0).abs() < 0.5), "one row: {boxes:?}");
            assert!(boxes.iter().all(|b| b.1 >= 24.0 && b.2 >= 24.0), "targets of at least 24 px: {boxes:?}");
            client.execute("document.getElementById('q-nps').scrollIntoView();", vec![]).await.unwrap();
            save(&client, "survey-scale-phone.png").await;
        }
        answer_step(&client, &survey).await;
        if !next_step(&client).await {
            break;
        }
    }
    assert_eq!(client.find(Locator::Id("step-progress")).await.unwrap().text().await.unwrap(), "Step 8 of 8");
    // "yes, contact me", then Send: the contact on a step of its own, explained
    client.find(Locator::Css("label[for='follow_up-0']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
    let contact = client.wait().for_element(Locator::Id("follow_up_contact")).await.unwrap();
    assert_eq!(client.find(Locator::Id("step-progress")).await.unwrap().text().await.unwrap(), "Step 9 of 9");
    let label = client.find(Locator::Css("label[for=follow_up_contact]")).await.unwrap().text().await.unwrap();
    assert!(label.contains("(required)") && !label.contains("optional"), "{label}");
    let why = client.find(Locator::Id("hint-follow_up_contact")).await.unwrap().text().await.unwrap();
    assert_eq!(why, "We use it only to answer you.");
    assert!(client.find_all(Locator::Css(".summary")).await.unwrap().is_empty(), "saying yes is no mistake");
    contact.send_keys("+49 30 1234567").await.unwrap();
    save(&client, "survey-contact-step-phone.png").await;
    client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
    // Wait for an element only the thank-you page has (its status line):
    // the survey page's own h1 and resource link would be found, and go
    // stale, while the browser is still navigating.
    client.wait().for_element(Locator::Css("p[role=status]")).await.unwrap();
    let heading = client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(heading, "Thank you!");
    let resource = client.find(Locator::Css(".resource a")).await.unwrap().attr("href").await.unwrap();
    assert_eq!(resource.as_deref(), Some("https://example.com/help"));
    save(&client, "thank-you-phone.png").await;
    client.close().await.unwrap();

    let stored = t.responses(id).await;
    assert_eq!(stored["count"], 1);
    let r = &stored["responses"][0];
    for q in survey["questions"].as_array().unwrap() {
        assert!(!r["answers"][q["id"].as_str().unwrap()].is_null(), "{} is stored: {r}", q["id"]);
    }
    assert_eq!(r["answers"]["comm_frequency"], "weekly", "chosen on the first step");
    assert_eq!(r["answers"]["comm_channels"], json!(["social_media"]));
    assert_eq!(r["answers"]["comm_met"], 4);
    assert_eq!(r["answers"]["action_satisfaction"], 5, "changed on the last visit to its step");
    assert_eq!(r["answers"]["needs"], "Longer opening hours, please.");
    assert_eq!(r["answers"]["nps"], 10, "chosen with the keyboard");
    assert_eq!(r["answers"]["follow_up"], "yes");
    assert_eq!(r["answers"]["follow_up_contact"], "+49 30 1234567");
    assert_eq!(r["embedded"]["Region"], "Nord");
    assert_eq!(r["via"], "button", "opened without a score of the email's row");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_dashboard_renders_in_a_browser_with_its_charts() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Café Aroma", "business_type": "B2C", "operational_fields": ["Region"],
            "b2c": { "locations": ["Berlin", "Hamburg", "München"] } } }))
        .await;
    for (i, nps) in [10, 9, 9, 8, 7, 6, 3, 10, 9, 0].iter().enumerate() {
        let mut answers = pulse_tests::complete_answers(&survey);
        answers.retain(|(k, _)| k != "nps" && k != "location" && k != "needs");
        answers.push(("nps".into(), nps.to_string()));
        answers.push(("location".into(), ["Berlin", "Hamburg", "München"][i % 3].into()));
        if i % 4 == 0 {
            answers.push(("needs".into(), format!("Idea number {i}: longer opening hours")));
        }
        assert_eq!(t.submit(&anon, &answers).await, reqwest::StatusCode::OK);
    }
    // The local stack's own page asks for the report and opens it when done.
    let r = t.http.post(t.url(&format!("/_local/projects/{id}/report"))).send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK, "the local stack opens the finished report");

    let driver = chromedriver().await;
    let client = browser(&driver).await;
    client.set_window_size(1200, 2400).await.unwrap();
    client.goto(&t.url(&format!("/_local/projects/{id}/report"))).await.unwrap();
    let title = client.wait().for_element(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(title.contains("Café Aroma"), "{title}");
    let charts = client.find_all(Locator::Css("svg")).await.unwrap();
    assert!(charts.len() >= 4, "trend and distribution charts are drawn: {}", charts.len());
    let body = client.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
    assert!(body.contains("Idea number 0"), "open texts are listed");
    assert!(!body.contains("NaN"));
    save(&client, "report-dashboard.png").await;
    let violations = axe(&client).await;
    assert_eq!(violations, Vec::<String>::new(), "axe on the report dashboard");
    client.close().await.unwrap();
}

/// The numbers a script in the page returns (font sizes in px).
async fn font_sizes(client: &fantoccini::Client, script: &str) -> Vec<f64> {
    serde_json::from_value(client.execute(script, vec![]).await.unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_fits_a_phone_with_readable_chart_text_and_dates_in_the_projects_zone_and_language() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Café Aroma", "business_type": "B2C", "languages": ["de"],
            "time_zone": "Europe/Helsinki", "min_responses": 3,
            "b2c": { "locations": ["Berlin", "Hamburg", "München", "Frankfurt am Main (Innenstadt, Zeil 112)"] } } }))
        .await;
    for (i, nps) in [10, 9, 9, 8, 7, 6, 3, 10].iter().enumerate() {
        let mut answers = pulse_tests::complete_answers(&survey);
        answers.retain(|(k, _)| k != "nps" && k != "location");
        answers.push(("nps".into(), nps.to_string()));
        answers.push(("location".into(), ["Berlin", "Hamburg", "München", "Frankfurt am Main (Innenstadt, Zeil 112)"][i % 4].into()));
        assert_eq!(t.submit(&anon, &answers).await, reqwest::StatusCode::OK);
    }
    let r = t.http.post(t.url(&format!("/_local/projects/{id}/report"))).send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);

    let driver = chromedriver().await;
    let client = browser(&driver).await;
    client.set_window_size(360, 800).await.unwrap();
    client.goto(&t.url(&format!("/_local/projects/{id}/report"))).await.unwrap();
    client.wait().for_element(Locator::Css("h1")).await.unwrap();
    let fits: Value = client.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.unwrap();
    let fits: (f64, f64) = serde_json::from_value(fits).unwrap();
    assert!(fits.0 <= fits.1, "the dashboard is no wider than a 360 px phone: {fits:?}");
    // the rendered size of every chart label: its font size times the
    // scale its SVG is drawn at (a viewBox shrinks text on a phone)
    let sizes = font_sizes(
        &client,
        "return Array.from(document.querySelectorAll('svg text')).map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);",
    )
    .await;
    assert!(sizes.len() >= 12, "axis labels are drawn: {sizes:?}");
    let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(smallest >= 11.0, "every chart label is at least 11 px at 360 px: the smallest is {smallest:.1} px");
    // and every other text on the page
    let html_sizes = font_sizes(
        &client,
        "return Array.from(document.querySelectorAll('body *')).filter(e => !(e instanceof SVGElement) && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length).map(e => parseFloat(getComputedStyle(e).fontSize));",
    )
    .await;
    assert!(html_sizes.iter().all(|s| *s >= 11.0), "no text under 11 px: {html_sizes:?}");
    // each chart's figures are a table, reachable without a mouse
    let tables: Value = client.execute("return document.querySelectorAll('figure.chart details table').length;", vec![]).await.unwrap();
    assert_eq!(tables, json!(4), "NPS, CSAT, CES and responses each have their table");
    let text = client.find(Locator::Css("header")).await.unwrap().text().await.unwrap();
    assert!(
        text.contains("Uhr (Europe/Helsinki)") && !text.contains("Z ") && !text.contains("T0"),
        "the time in the project's zone, in German: {text}"
    );
    save(&client, "report-dashboard-phone.png").await;
    client
        .execute(
            "document.querySelector('figure.chart details').open = true; document.querySelector('figure.chart').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    save(&client, "report-dashboard-phone-chart.png").await;
    client.close().await.unwrap();
}

/// Every text a person reads on the page: the rendered text, the title and
/// the labels of landmarks and images.
async fn visible_text(client: &fantoccini::Client) -> String {
    let text: Value = client
        .execute(
            "return [document.title, document.body.innerText, ...[...document.querySelectorAll('[aria-label],[alt],[title]')]\
             .map(e => [e.getAttribute('aria-label'), e.getAttribute('alt'), e.getAttribute('title')].join(' '))].join(' ');",
            vec![],
        )
        .await
        .unwrap();
    text.as_str().unwrap().to_string()
}

/// Message `key` in `lang`, its variables filled as the survey fills them.
fn message(lang: Lang, key: &Key, org: &str) -> String {
    let args: Vec<(&str, Arg)> =
        key.args.iter().map(|(n, kind)| (*n, if *kind == ArgKind::Number { 2.into() } else { org.into() })).collect();
    t_args(lang, key.id, &args)
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 3).map(str::to_lowercase)
}

/// Whether `needle` stands in `text` as whole words.
fn contains_words(text: &str, needle: &str) -> bool {
    text.match_indices(needle)
        .any(|(i, m)| !text[..i].ends_with(char::is_alphanumeric) && !text[i + m.len()..].starts_with(char::is_alphanumeric))
}

/// The English of the respondent interface found in `page`, a page in
/// `lang`: English messages whose translation differs (an English text in
/// the language's file, or a lookup in the wrong language), and words of
/// English messages that no message of `lang`, no language name and none
/// of the project's own texts (`own`) hold (English written into the code).
fn english_on(page: &str, lang: Lang, own: &str) -> Vec<String> {
    let org = "Café Aroma";
    let respondent: Vec<&Key> = keys::RESPONDENT.iter().chain(keys::SURVEY_STEPS).chain(keys::SURVEY).collect();
    let mut found: Vec<String> = respondent
        .iter()
        .map(|k| (message(Lang::En, k, org), message(lang, k, org)))
        .filter(|(en, translated)| en != translated && contains_words(page, en))
        .map(|(en, _)| en)
        .collect();
    let all: Vec<&Key> = keys::REGISTRY.iter().flat_map(|list| list.iter()).collect();
    let native: std::collections::BTreeSet<String> = all
        .iter()
        .flat_map(|k| words(&message(lang, k, org)).collect::<Vec<_>>())
        .chain(words(own))
        .chain(Lang::ALL.iter().flat_map(|l| words(l.native_name())))
        .collect();
    let english: std::collections::BTreeSet<String> =
        respondent.iter().flat_map(|k| words(&message(Lang::En, k, org)).collect::<Vec<_>>()).filter(|w| !native.contains(w)).collect();
    assert!(english.len() > 100, "the check has English words to look for: {}", english.len());
    let on_page: std::collections::BTreeSet<String> = words(page).collect();
    found.extend(english.intersection(&on_page).cloned());
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn german_and_finnish_pages_show_no_english_interface_text_on_a_phone() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t
        .open_project(json!({ "kind": "assessment", "settings": {
            "organisation_name": "Café Aroma", "business_type": "B2C", "b2c": { "measure_in_person": true },
            "resource_page_url": "https://example.com/help",
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] },
            "languages": ["en", "de", "fi"] } }))
        .await;
    let own = "Café Aroma";
    let driver = chromedriver().await;
    let client = browser(&driver).await;
    for lang in [Lang::De, Lang::Fi] {
        let code = lang.code();
        client.goto(&format!("{}?lang={code}", t.url(&anon))).await.unwrap();
        let html_lang: Value = client.execute("return document.documentElement.lang;", vec![]).await.unwrap();
        assert_eq!(html_lang, json!(code));
        let overflow: Value = client.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
        assert_eq!(overflow, json!(true), "nothing wider than a 360 px phone in {code}");
        let page = visible_text(&client).await;
        assert!(
            page.contains(&pulse_shared::domain::i18n::t(lang, keys::SECTION_COMMUNICATION)),
            "the {code} section titles are shown: {page}"
        );
        assert_eq!(english_on(&page, lang, own), Vec::<String>::new(), "English on the {code} survey page: {page}");
        save(&client, &format!("survey-phone-{code}.png")).await;

        // The validation errors and their summary.
        client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
        client.wait().for_element(Locator::Css(".summary[role=alert]")).await.unwrap();
        let page = visible_text(&client).await;
        assert!(page.contains(&pulse_shared::domain::i18n::t(lang, keys::ERR_REQUIRED)), "{page}");
        assert_eq!(english_on(&page, lang, own), Vec::<String>::new(), "English on the {code} error page: {page}");
        save(&client, &format!("validation-error-phone-{code}.png")).await;

        // The steps, and the contact step after "yes".
        answer_everything(&client, &survey).await;
        let page = visible_text(&client).await;
        assert!(page.contains(&pulse_shared::domain::i18n::t(lang, keys::CONTACT_HINT)), "{page}");
        assert_eq!(english_on(&page, lang, own), Vec::<String>::new(), "English on the {code} contact step: {page}");
        save(&client, &format!("survey-contact-step-phone-{code}.png")).await;

        // The thank-you page.
        client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
        client.wait().for_element(Locator::Css("p[role=status]")).await.unwrap();
        let page = visible_text(&client).await;
        assert!(page.contains(&pulse_shared::domain::i18n::t(lang, keys::THANK_YOU_BODY)), "{page}");
        assert_eq!(english_on(&page, lang, own), Vec::<String>::new(), "English on the {code} thank-you page: {page}");
        save(&client, &format!("thank-you-phone-{code}.png")).await;

        // A closed survey's page: for people too (axe, 360 px, no English).
        let closed = t.admin(Method::POST, &format!("/admin/projects/{id}/close")).send().await.unwrap();
        assert_eq!(closed.status(), 200);
        t.until_pages_see_changes().await;
        client.goto(&format!("{}?lang={code}", t.url(&anon))).await.unwrap();
        let page = visible_text(&client).await;
        assert!(page.contains(&pulse_shared::domain::i18n::t(lang, keys::SURVEY_CLOSED_TITLE)), "{page}");
        assert_eq!(english_on(&page, lang, own), Vec::<String>::new(), "English on the {code} closed page: {page}");
        let mut violations = Vec::new();
        check_page(&client, &format!("survey-closed-{code}"), &mut violations).await;
        assert_eq!(violations, Vec::<String>::new());
        t.admin(Method::POST, &format!("/admin/projects/{id}/reopen")).send().await.unwrap();
        t.until_pages_see_changes().await;
    }
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_keeps_the_answers_and_enter_still_sends_the_survey() {
    let t = TestStack::start().await;
    let (id, anon, _) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["fi", "en"],
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } } }))
        .await;
    let driver = chromedriver().await;
    let client = browser(&driver).await;
    client.goto(&format!("{}?lang=fi", t.url(&anon))).await.unwrap();
    client.find(Locator::Css("input[name=nps][value='8']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("button[name=switch_lang][value=en]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("html[lang=en]")).await.unwrap();
    let kept: Value = client.execute("return document.querySelector(\"input[name=nps][value='8']\").checked;", vec![]).await.unwrap();
    assert_eq!(kept, json!(true), "the answer given in Finnish is still chosen in English");
    save(&client, "language-switched-phone.png").await;

    // Enter in a text field sends the survey (its errors come back, still
    // in English); it does not press the language switch.
    client.find(Locator::Css("#survey input[type=text]")).await.unwrap().send_keys("\u{E007}").await.unwrap();
    client.wait().for_element(Locator::Css(".summary[role=alert]")).await.unwrap();
    let lang: Value = client.execute("return document.documentElement.lang;", vec![]).await.unwrap();
    assert_eq!(lang, json!("en"));
    client.close().await.unwrap();

    let responses: Value = t.admin(Method::GET, &format!("/admin/projects/{id}/responses")).send().await.unwrap().json().await.unwrap();
    assert_eq!(responses["responses"].as_array().map(Vec::len), Some(0), "a switch stores nothing: {responses}");
}

/// Runs axe-core (from the npm registry, installed by `infra/setup.sh
/// --browser` into `target/axe`) inside the current page; returns each
/// violation as "rule: nodes".
async fn axe(client: &fantoccini::Client) -> Vec<String> {
    let source = std::fs::read_to_string(pulse_local::workspace_root().join("target/axe/node_modules/axe-core/axe.min.js"))
        .expect("axe-core is not installed: ./infra/setup.sh --browser installs it into target/axe");
    client.execute(&source, vec![]).await.expect("axe-core loads");
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))), e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    result.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// Checks the current page with axe-core and keeps screenshots at phone and desktop width.
async fn check_page(client: &fantoccini::Client, name: &str, violations: &mut Vec<String>) {
    for (width, label) in [(360, "phone"), (1280, "desktop")] {
        client.set_window_size(width, 900).await.unwrap();
        let overflow: Value = client.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
        if overflow != json!(true) {
            violations.push(format!("{name} at {width} px: the page is wider than the window"));
        }
        save(client, &format!("console-{name}-{label}.png")).await;
    }
    violations.extend(axe(client).await.into_iter().map(|v| format!("{name}: {v}")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_signs_in_sets_up_and_publishes_a_project_and_axe_finds_nothing_in_three_languages() {
    // with the SFTP endpoint, so that its page shows keys and the form
    let t = TestStack::start_with(&[("SftpEndpoint", "true")]).await;
    let admin = t.stack.console_users.first().expect("the seeded admin").clone();
    let driver = chromedriver().await;
    let client = browser(&driver).await;
    let mut violations = Vec::new();

    // first sign-in: the temporary password, then a new one
    client.goto(&t.url("/console")).await.unwrap();
    assert!(client.current_url().await.unwrap().path().ends_with("/console/sign-in"), "not signed in: the sign-in page");
    check_page(&client, "sign-in", &mut violations).await;
    client.find(Locator::Id("email")).await.unwrap().send_keys(&admin.username).await.unwrap();
    client.find(Locator::Id("password")).await.unwrap().send_keys(&admin.temporary_password).await.unwrap();
    client.find(Locator::Css("main button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("password2")).await.unwrap();
    check_page(&client, "new-password", &mut violations).await;
    client.find(Locator::Id("password")).await.unwrap().send_keys("Correct-Horse-42!").await.unwrap();
    client.find(Locator::Id("password2")).await.unwrap().send_keys("Correct-Horse-42!").await.unwrap();
    client.find(Locator::Css("main button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("a.button[href='/console/projects/new']")).await.unwrap();

    // the guided setup, step by step; a missing organisation name first
    client.goto(&t.url("/console/projects/new")).await.unwrap();
    client.find(Locator::Css("label[for='kind-assessment']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("label[for='business_type-B2B']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("label[for='languages-de']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("#default_language option[value='de']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Id("operational_fields")).await.unwrap().send_keys("Region").await.unwrap();
    let next = Locator::Css("main form button[value='next']");
    client.find(next).await.unwrap().click().await.unwrap();
    let error = client.wait().for_element(Locator::Css("#organisation_name-error")).await.unwrap().text().await.unwrap();
    assert_eq!(error, "Please fill in this field.");
    check_page(&client, "setup-error", &mut violations).await;
    client.find(Locator::Id("organisation_name")).await.unwrap().send_keys("Nordwind GmbH").await.unwrap();
    client.find(next).await.unwrap().click().await.unwrap();
    // questions: B2B industries, the default size bands, an optional question left out
    client.wait().for_element(Locator::Id("b2b-industries")).await.unwrap();
    check_page(&client, "setup-questions", &mut violations).await;
    client.find(Locator::Id("b2b-industries")).await.unwrap().clear().await.unwrap();
    client.find(Locator::Id("b2b-industries")).await.unwrap().send_keys("Manufacturing\nRetail").await.unwrap();
    client.find(Locator::Css("label[for='hidden_questions-comm_channels']")).await.unwrap().click().await.unwrap();
    client.find(next).await.unwrap().click().await.unwrap();
    // wording: the NPS question in German
    let nps_de = Locator::Id("wording-nps-de");
    client.wait().for_element(nps_de).await.unwrap();
    check_page(&client, "setup-wording", &mut violations).await;
    client.find(nps_de).await.unwrap().clear().await.unwrap();
    client.find(nps_de).await.unwrap().send_keys("Würden Sie Nordwind weiterempfehlen?").await.unwrap();
    client.find(next).await.unwrap().click().await.unwrap();
    // after a response: follow-ups to a colleague, a bad notification number first
    client.wait().for_element(Locator::Id("follow_ups-recipients")).await.unwrap();
    client.find(Locator::Css("label[for='follow_ups-on']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Id("follow_ups-recipients")).await.unwrap().send_keys("cx@example.com").await.unwrap();
    client.find(Locator::Css("label[for='notifications-mode-every']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Id("notifications-rule-n")).await.unwrap().clear().await.unwrap();
    client.find(Locator::Id("notifications-rule-n")).await.unwrap().send_keys("ten").await.unwrap();
    client.find(next).await.unwrap().click().await.unwrap();
    let error = client.wait().for_element(Locator::Css("#notifications-rule-n-error")).await.unwrap().text().await.unwrap();
    assert_eq!(error, "Enter a whole number, such as 10.");
    assert_eq!(
        client.find(Locator::Id("follow_ups-recipients")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("cx@example.com"),
        "what was typed is kept"
    );
    check_page(&client, "setup-after", &mut violations).await;
    client.find(Locator::Id("notifications-rule-n")).await.unwrap().clear().await.unwrap();
    client.find(Locator::Id("notifications-rule-n")).await.unwrap().send_keys("5").await.unwrap();
    client.find(Locator::Id("notifications-recipients")).await.unwrap().send_keys("cx@example.com").await.unwrap();
    client.find(next).await.unwrap().click().await.unwrap();
    // account: none; logo: a file over 1 MB is refused at the field, then an SVG
    client.wait().for_element(Locator::Id("account_id")).await.unwrap();
    check_page(&client, "setup-account", &mut violations).await;
    client.find(next).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("logo")).await.unwrap();
    check_page(&client, "setup-logo", &mut violations).await;
    let big = artifacts().join("too-big-logo.png");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(1024 * 1024 + 10, 0);
    std::fs::write(&big, png).unwrap();
    client.find(Locator::Id("logo")).await.unwrap().send_keys(big.to_str().unwrap()).await.unwrap();
    client.find(next).await.unwrap().click().await.unwrap();
    let error = client.wait().for_element(Locator::Css("#logo-error")).await.unwrap().text().await.unwrap();
    assert_eq!(error, "The logo is larger than 1 MB. Choose a smaller file.");
    let svg = artifacts().join("logo.svg");
    std::fs::write(
        &svg,
        br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#102a43"/></svg>"##,
    )
    .unwrap();
    client.find(Locator::Id("logo")).await.unwrap().send_keys(svg.to_str().unwrap()).await.unwrap();
    client.find(next).await.unwrap().click().await.unwrap();
    // the summary, then publish
    client.wait().for_element(Locator::Css("dl.summary")).await.unwrap();
    check_page(&client, "setup-summary", &mut violations).await;
    let id = client.current_url().await.unwrap().path().split('/').nth(3).unwrap().to_string();
    let project = t.admin(Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json::<Value>().await.unwrap();
    let s = &project["settings"];
    assert_eq!(s["languages"], json!(["de", "en"]));
    assert_eq!(s["b2b"]["industries"], json!(["Manufacturing", "Retail"]));
    assert_eq!(s["hidden_questions"], json!(["comm_channels"]));
    assert_eq!(s["wording"], json!({ "nps": { "de": "Würden Sie Nordwind weiterempfehlen?" } }));
    assert_eq!(s["follow_ups"], json!({ "enabled": true, "recipients": ["cx@example.com"] }));
    assert_eq!(s["notifications"]["rule"], json!({ "mode": "every", "n": 5 }));
    assert_eq!(s["logo"]["content_type"], "image/svg+xml");
    let project_url = t.url(&format!("/console/projects/{id}"));
    client.goto(&project_url).await.unwrap();
    check_page(&client, "project-draft", &mut violations).await;

    // preview, then publish
    client.find(Locator::Css("a[href$='/preview']")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("iframe.phone")).await.unwrap();
    check_page(&client, "preview", &mut violations).await;
    client.goto(&project_url).await.unwrap();
    client.find(Locator::Css("form[action$='/publish'] button")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("anonymous-link")).await.unwrap();
    check_page(&client, "project-published", &mut violations).await;
    let link = client.find(Locator::Id("anonymous-link")).await.unwrap().prop("value").await.unwrap().unwrap();

    // a respondent answers through the anonymous link in a second session
    let respondent = browser(&driver).await;
    respondent.goto(&link).await.unwrap();
    assert_eq!(respondent.find(Locator::Css("header .org")).await.unwrap().text().await.unwrap(), "Nordwind GmbH");
    let page = respondent.source().await.unwrap();
    // the first step, communication, without the question left out
    assert!(page.contains("name=\"comm_frequency\"") && !page.contains("name=\"comm_channels\""), "the hidden question is not asked");
    // the fourth step (communication, actions, confidence, the overall
    // experience: a B2B project asks nothing about visits) in German
    let german = t
        .http
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("lang=en&at=4&switch_lang=de")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(german.contains("Schritt 4 von") && german.contains("name=\"nps\""), "{german}");
    assert!(german.contains("Würden Sie Nordwind weiterempfehlen?"), "the changed German wording");
    let survey =
        t.admin(Method::GET, &format!("/admin/projects/{id}/survey?version=1")).send().await.unwrap().json::<Value>().await.unwrap();
    answer_everything(&respondent, &survey).await;
    respondent.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
    respondent.wait().for_element(Locator::Css("p[role=status]")).await.unwrap();
    respondent.close().await.unwrap();
    let listed = t.admin(Method::GET, &format!("/admin/projects/{id}/responses")).send().await.unwrap().json::<Value>().await.unwrap();
    let response_id = listed["responses"][0]["response_id"].as_str().expect("the response is stored").to_string();

    // an account, so that the budgets page shows its figures and the plan and reserve forms
    let r = t.admin(Method::POST, "/admin/accounts").json(&json!({ "name": "Nordwind GmbH" })).send().await.unwrap();
    assert_eq!(r.status(), 201);

    // a list and a distribution to it, for the invitations pages
    let done =
        t.import_file(&id, "kunden.csv", "Email,FirstName,LastName,Region,Business Unit\nanna@example.de,Anna,Schmidt,Nord,Retail\n").await;
    let messages = json!({ "de": { "subject": "{{FirstName}}, wie war es?", "body": "Hallo {{FirstName}}: {{SurveyLink}}" },
        "en": { "subject": "{{FirstName}}, how are we doing?", "body": "Hello {{FirstName}}: {{SurveyLink}}" } });
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/distributions"))
        .json(&json!({ "list_id": done["list_id"], "messages": messages }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let dist = r.json::<Value>().await.unwrap()["id"].as_str().expect("a distribution").to_string();
    // B2B accounts, for the accounts pages
    let u = t
        .upload_with(
            &id,
            json!({ "file_name": "accounts.csv", "b2b": "accounts" }),
            b"Id,Name,ParentId\n001HQ,Nordwind Gruppe,\n001FI,Nordwind Suomi,001HQ\n".to_vec(),
        )
        .await;
    let accounts_upload = u["upload_id"].as_str().unwrap().to_string();
    let imported = t.finished_import(&id, &accounts_upload).await;
    assert_eq!(imported["state"], "done", "{imported:#}");
    // a Salesforce sync with its secret stored, for the sync page
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync"))
        .json(&json!({ "source": "salesforce", "salesforce": { "instance_url": "https://nordwind.my.salesforce.com", "auth": { "flow": "client_credentials" } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync/secret"))
        .json(&json!({ "client_id": "3MVG9key", "client_secret": "consumer-secret" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // a suppression added by hand, for the suppressions page
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/suppressions"))
        .json(&json!({ "email": "gone@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // a report with a share link, for its share-links page
    let made = t.admin(Method::POST, &format!("/admin/projects/{id}/reports")).json(&json!({})).send().await.unwrap();
    let report = made.json::<Value>().await.unwrap()["id"].as_str().expect("a report").to_string();

    // a contact file from the browser: straight to S3 with the script's
    // progress bar, then the import followed on its page until it ends
    client.goto(&t.url(&format!("/console/projects/{id}/uploads"))).await.unwrap();
    check_page(&client, "uploads", &mut violations).await;
    client.find(Locator::Id("list_name")).await.unwrap().send_keys("Kunden Dezember").await.unwrap();
    client.find(Locator::Css("main form[action$='/uploads'] button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("file")).await.unwrap();
    check_page(&client, "upload-form", &mut violations).await;
    let upload_page = client.current_url().await.unwrap().path().to_string();
    let file = artifacts().join("kunden-dezember.csv");
    std::fs::write(&file, "Email,FirstName,LastName,Region,Notes\nbert@example.de,Bert,Bauer,Süd,x\nkeine-adresse,Carl,Clausen,West,y\n")
        .unwrap();
    client.find(Locator::Id("file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    client.find(Locator::Css("main form[enctype] button[type=submit]")).await.unwrap().click().await.unwrap();
    let outcome = client.wait().for_element(Locator::Css("#import-status [data-final]")).await.unwrap().text().await.unwrap();
    assert!(outcome.contains("Import finished") && outcome.contains("Rejected"), "{outcome}");
    assert_eq!(client.current_url().await.unwrap().path(), upload_page, "the script brought the browser back to the import");
    check_page(&client, "upload-outcome", &mut violations).await;

    // an invitation composed and checked in the browser: a click puts a
    // placeholder where the cursor is; the check shows what will happen
    client.goto(&t.url(&format!("/console/projects/{id}/sends/new"))).await.unwrap();
    check_page(&client, "compose", &mut violations).await;
    let subject = client.find(Locator::Id("subject-en")).await.unwrap();
    subject.clear().await.unwrap();
    subject.click().await.unwrap();
    client.find(Locator::XPath("//button[@class='placeholder' and text()='{{FirstName}}']")).await.unwrap().click().await.unwrap();
    subject.send_keys(", how was it?").await.unwrap();
    assert_eq!(subject.prop("value").await.unwrap().as_deref(), Some("{{FirstName}}, how was it?"));
    client.find(Locator::Css("button[value='preview']")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("forecast-title")).await.unwrap();
    let checked = client.source().await.unwrap();
    assert!(checked.contains("Anna, how was it?") || checked.contains("Bert, how was it?"), "the preview is for a contact of the list");
    check_page(&client, "compose-checked", &mut violations).await;

    // a contact's page: lists, invitations, responses, suppression, erasure
    client.goto(&t.url(&format!("/console/projects/{id}/contacts"))).await.unwrap();
    client.find(Locator::Id("email")).await.unwrap().send_keys("anna@example.de").await.unwrap();
    client.find(Locator::Css("form[action$='/contacts/find'] button")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("erase-title")).await.unwrap();
    check_page(&client, "contact", &mut violations).await;

    // a project's SFTP key, for its page
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBGbuqGIXObD/cDl5G0YuiXGMIKhJrcs1uIB7d4kQID1 anna@laptop";
    let added =
        t.admin(reqwest::Method::POST, &format!("/admin/projects/{id}/b2b/sftp/keys")).json(&json!({ "public_key": key })).send().await;
    assert_eq!(added.unwrap().status(), 201);

    // the other pages, in each language
    for lang in ["en", "de", "fi"] {
        client.goto(&t.url("/console")).await.unwrap();
        client.find(Locator::Css(&format!("#console-lang option[value='{lang}']"))).await.unwrap().click().await.unwrap();
        client.find(Locator::Css("form[action='/console/language'] button")).await.unwrap().click().await.unwrap();
        client.wait().for_element(Locator::Css(&format!("html[lang='{lang}']"))).await.unwrap();
        check_page(&client, &format!("projects-{lang}"), &mut violations).await;
        let pages = [
            ("/console/projects/new".to_string(), "setup"),
            ("/console/budgets".to_string(), "budgets"),
            ("/console/users".to_string(), "users"),
            (format!("/console/projects/{id}/dashboard?period=day&segments=Region"), "dashboard"),
            (format!("/console/projects/{id}/responses"), "responses"),
            (format!("/console/projects/{id}/responses/{response_id}"), "response"),
            (format!("/console/projects/{id}/preview"), "preview"),
            (format!("/console/projects/{id}/setup/basics"), "step-basics"),
            (format!("/console/projects/{id}/setup/questions"), "step-questions"),
            (format!("/console/projects/{id}/setup/wording"), "step-wording"),
            (format!("/console/projects/{id}/setup/after"), "step-after"),
            (format!("/console/projects/{id}/setup/account"), "step-account"),
            (format!("/console/projects/{id}/setup/logo"), "step-logo"),
            (format!("/console/projects/{id}/setup/summary"), "step-summary"),
            (format!("/console/projects/{id}/reports/{report}/shares"), "shares"),
            (format!("/console/projects/{id}/contacts"), "contacts"),
            (format!("/console/projects/{id}/sends"), "sends"),
            (format!("/console/projects/{id}/sends/{dist}"), "send"),
            (format!("/console/projects/{id}/suppressions"), "suppressions"),
            (format!("/console/projects/{id}/uploads"), "uploads"),
            (upload_page.clone(), "upload"),
            (format!("/console/projects/{id}/uploads/{accounts_upload}"), "b2b-outcome"),
            (format!("/console/projects/{id}/sends/new"), "compose"),
            (format!("/console/projects/{id}/accounts"), "accounts"),
            (format!("/console/projects/{id}/accounts/001FI"), "account"),
            (format!("/console/projects/{id}/accounts/sync"), "sync-salesforce"),
            (format!("/console/projects/{id}/accounts/sftp"), "sftp"),
            ("/console/help".to_string(), "help-checklist"),
            ("/console/help/status".to_string(), "help-status"),
            ("/console/help/data".to_string(), "help-data"),
        ];
        for (path, name) in pages {
            client.goto(&t.url(&path)).await.unwrap();
            check_page(&client, &format!("{name}-{lang}"), &mut violations).await;
        }
        client.goto(&project_url).await.unwrap();
        check_page(&client, &format!("project-{lang}"), &mut violations).await;
        client.goto(&t.url(&format!("/console/projects/{id}/responses"))).await.unwrap();
        let rows = client.find_all(Locator::Css("main tbody tr")).await.unwrap().len();
        assert_eq!(rows, 1, "the respondent's answer is in the list");
    }

    // signing out ends the session
    client.find(Locator::Css("form[action='/console/sign-out'] button")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("p.notice")).await.unwrap();
    client.goto(&t.url("/console")).await.unwrap();
    assert!(client.current_url().await.unwrap().path().ends_with("/console/sign-in"));
    client.close().await.unwrap();
    assert!(violations.is_empty(), "accessibility and layout problems:\n{}", violations.join("\n"));
}

/// A website of its own on another loopback port, serving `page` at every
/// path (a thread per connection, for the test's life). Returns its origin.
async fn website(page: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port for the website");
    let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let page = page.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65536 {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    page.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(page.as_bytes()).await;
            });
        }
    });
    origin
}

/// A website's page with the project's widget snippet in it.
fn website_page(snippet: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Kahvila Oy</title></head><body><main><h1>Kahvila Oy</h1><p>Tell us how we are doing:</p>{snippet}</main></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_website_listed_in_the_project_shows_the_survey_widget_and_a_respondent_answers_in_it() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en", "fi"],
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } } }))
        .await;
    let project = t.admin_json(Method::GET, &format!("/admin/projects/{id}"), None).await;
    let snippet = project["embed"]["snippet"].as_str().expect("the snippet").to_string();
    let listed = website(website_page(&snippet)).await;
    let other = website(website_page(&snippet)).await;
    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "embed_origins": [listed] } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let driver = chromedriver().await;
    let client = browser(&driver).await;
    // a website that is not listed: the browser refuses to show the survey in its frame
    client.goto(&other).await.unwrap();
    client.wait().for_element(Locator::Css("iframe")).await.unwrap();
    client.enter_frame(0).await.unwrap();
    // the frame settles on the browser's error page (or is not scriptable at all), never the form
    let mut settled = json!(null);
    for _ in 0..100 {
        match client.execute("return [location.href, document.readyState, !!document.getElementById('survey')];", vec![]).await {
            Ok(v) if v[0] != "about:blank" && v[1] == "complete" => {
                settled = v;
                break;
            }
            Ok(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => {
                settled = json!([e.to_string(), "refused", false]);
                break;
            }
        }
    }
    assert_eq!(settled[2], json!(false), "a website that is not listed cannot show the survey: {settled}");
    assert!(settled[0].as_str().is_some_and(|u| u.starts_with("chrome-error:")) || settled[1] == "refused", "{settled}");
    client.enter_parent_frame().await.unwrap();

    // the listed website: the compact survey in its frame, answered there
    client.goto(&listed).await.unwrap();
    let frame = client.wait().for_element(Locator::Css("iframe")).await.unwrap();
    let title = frame.attr("title").await.unwrap();
    assert_eq!(title.as_deref(), Some("Kahvila Oy: customer survey"));
    client.enter_frame(0).await.unwrap();
    client.wait().for_element(Locator::Css("#survey")).await.unwrap();
    let fits: Value = client
        .execute("return [document.documentElement.scrollWidth <= window.innerWidth, window.innerWidth, getComputedStyle(document.querySelector('header .org')).position];", vec![])
        .await
        .unwrap();
    assert_eq!(fits[0], json!(true), "nothing wider than the frame: {fits}");
    assert!(fits[1].as_f64().unwrap() <= 360.0, "the frame is phone-wide: {fits}");
    assert_eq!(fits[2], json!("absolute"), "no header chrome: {fits}");
    let violations = axe(&client).await;
    assert_eq!(violations, Vec::<String>::new(), "axe in the widget");
    client.enter_parent_frame().await.unwrap();
    save(&client, "widget-on-a-website-phone.png").await;
    client.enter_frame(0).await.unwrap();
    answer_everything(&client, &survey).await;
    client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("p[role=status]")).await.unwrap();
    let heading = client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(heading, "Thank you!", "the thank-you page shows in the website's frame");
    client.enter_parent_frame().await.unwrap();
    save(&client, "widget-thank-you-phone.png").await;
    client.close().await.unwrap();

    let stored = t.responses(&id).await;
    assert_eq!(stored["count"], 1, "the widget's response is stored: {stored:#}");
    assert_eq!(stored["responses"][0]["channel"], "anonymous");
    assert!(anon.starts_with("/s/"));
}

/// Lighthouse (from the npm registry, installed by `infra/setup.sh
/// --browser` into `target/lighthouse`) on the anonymous survey page as a
/// phone sees it, with Debian's Chromium; its JSON report is kept in
/// `target/test-artifacts/`. Performance is simulated from one trace (the
/// default throttling); its loading metrics are asserted, not the
/// main-thread blocking time, which follows this machine's load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lighthouse_scores_the_survey_page_on_a_phone_as_accessible_well_made_and_fast() {
    let t = TestStack::start().await;
    let (_, anon, _) = t
        .open_project(json!({ "kind": "assessment", "settings": {
            "organisation_name": "Café Aroma", "business_type": "B2C", "b2c": { "measure_in_person": true },
            "resource_page_url": "https://example.com/help",
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] },
            "languages": ["en", "de", "fi"] } }))
        .await;
    let bin = pulse_local::workspace_root().join("target/lighthouse/node_modules/.bin/lighthouse");
    assert!(bin.exists(), "Lighthouse is not installed: ./infra/setup.sh --browser installs it into target/lighthouse");
    let report = artifacts().join("lighthouse-survey.json");
    let profile = tempdir_for("lighthouse-profile");
    let out = tokio::process::Command::new(&bin)
        .arg(t.url(&anon))
        .args([
            "--form-factor=mobile",
            "--throttling-method=simulate",
            "--only-categories=accessibility,best-practices,performance",
            "--output=json",
            "--quiet",
            "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ])
        .arg(format!("--output-path={}", report.display()))
        .env("CHROME_PATH", "/usr/bin/chromium")
        .env("TMPDIR", &profile)
        .output()
        .await
        .expect("Lighthouse runs");
    assert!(out.status.success(), "Lighthouse failed: {}", String::from_utf8_lossy(&out.stderr));
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&report).expect("the report")).expect("a JSON report");
    let score = |category: &str| (result["categories"][category]["score"].as_f64().unwrap_or(0.0) * 100.0).round() as u32;
    // what costs points, for the failure message
    let failing: Vec<String> = result["audits"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, a)| a["score"].as_f64().is_some_and(|s| s < 0.9) && a["scoreDisplayMode"] != "informative")
        .map(|(id, a)| format!("{id} ({}): {}", a["score"], a["displayValue"].as_str().unwrap_or_default()))
        .collect();
    // the loading metrics (first and largest paint, speed index, layout
    // shift), weighted as the performance category weighs them; the
    // main-thread blocking time is left out: Lighthouse measures it on
    // this machine's CPU at that moment (a shared 2-core machine under the
    // other tests), not on the page
    let measured_here = ["total-blocking-time", "max-potential-fid"];
    let (weighed, weights) = result["categories"]["performance"]["auditRefs"]
        .as_array()
        .expect("the performance category's audits")
        .iter()
        .filter(|r| r["weight"].as_f64().unwrap_or(0.0) > 0.0 && !measured_here.contains(&r["id"].as_str().unwrap_or("")))
        .map(|r| (r["weight"].as_f64().unwrap_or(0.0), result["audits"][r["id"].as_str().unwrap_or("")]["score"].as_f64().unwrap_or(0.0)))
        .fold((0.0, 0.0), |(sum, total), (w, s)| (sum + w * s, total + w));
    assert!(weights > 0.0, "the performance category weighs its loading metrics");
    let loading = (weighed / weights * 100.0).round() as u32;
    let scores = (score("accessibility"), score("best-practices"), loading);
    assert_eq!(result["configSettings"]["formFactor"], "mobile");
    assert!(
        scores.0 == 100 && scores.1 == 100 && scores.2 >= 95,
        "scores (accessibility, best practices, loading) {scores:?}, performance with the blocking time {}; failing audits: {failing:#?}",
        score("performance")
    );
}

/// A fresh folder under the test artifacts (emptied first).
fn tempdir_for(name: &str) -> PathBuf {
    let dir = artifacts().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_outbox_reads_on_a_phone_with_long_links_wrapped_and_each_email_whole() {
    let t = TestStack::start().await;
    let (id, _, _) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"] } }))
        .await;
    let done =
        t.import_file(&id, "customers.csv", "Email,FirstName,LastName\nanna@example.fi,Anna,Virtanen\nbert@example.fi,Bert,Berg\n").await;
    let long = "We would like to hear from you. ".repeat(40);
    let messages = json!({ "en": { "subject": "{{FirstName}}, how are we doing?",
        "body": format!("Hello {{{{FirstName}}}}:\n\n{long}\n\n{{{{SurveyLink}}}}\n\nUnsubscribe: {{{{UnsubscribeLink}}}}") } });
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/distributions"))
        .json(&json!({ "list_id": done["list_id"], "messages": messages }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    let mails = t.outbox(2).await;
    assert_eq!(mails.len(), 2);

    let driver = chromedriver().await;
    let client = browser(&driver).await;
    client.goto(&t.url("/_local/outbox")).await.unwrap();
    client.wait().for_element(Locator::Css("iframe.mail")).await.unwrap();
    let sent: Vec<String> = {
        let mut v = Vec::new();
        for p in client.find_all(Locator::Css("article p:first-of-type")).await.unwrap() {
            v.push(p.text().await.unwrap());
        }
        v
    };
    assert!(sent[0].contains("Sent: #2 of 2") && sent[1].contains("Sent: #1 of 2"), "numbered in the order sent: {sent:?}");
    let unsubscribe = client
        .find_all(Locator::XPath("//li[starts-with(normalize-space(.), 'Unsubscribe:')]/a[contains(@href, '/unsubscribe/')]"))
        .await
        .unwrap();
    assert_eq!(unsubscribe.len(), 2, "each email's unsubscribe URL is a link");
    // each frame grows to its email: read whole in the page's own scroll
    let mut fitted = json!(null);
    for _ in 0..100 {
        fitted = client
            .execute(
                "return [...document.querySelectorAll('iframe.mail')].map(f => { const d = f.contentDocument.documentElement; \
                 return [f.clientHeight, d.scrollHeight, d.scrollWidth <= f.clientWidth, d.scrollWidth, f.clientWidth]; });",
                vec![],
            )
            .await
            .unwrap();
        let frames = fitted.as_array().unwrap();
        if frames.iter().all(|f| f[0].as_f64().unwrap() >= f[1].as_f64().unwrap() && f[1].as_f64().unwrap() > 300.0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let frames = fitted.as_array().unwrap();
    assert!(
        frames.iter().all(|f| f[0].as_f64().unwrap() >= f[1].as_f64().unwrap() && f[2] == json!(true)),
        "no scrolling inside a frame, nothing wider than it: {fitted}"
    );
    let overflow: Value = client.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
    assert_eq!(overflow, json!(true), "nothing wider than a 360 px phone: long links wrap");
    save(&client, "outbox-phone.png").await;
    let violations = axe(&client).await;
    assert_eq!(violations, Vec::<String>::new(), "axe on the outbox");
    client.close().await.unwrap();
}

/// chromedriver's own command for Chromium's network emulation: the
/// conditions every page of the session gets (`Some`), or none again.
#[derive(Debug)]
struct NetworkConditions(Option<Value>);

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
        base_url.join(&format!("session/{}/chromium/network_conditions", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (Method, Option<String>) {
        match &self.0 {
            Some(conditions) => (Method::POST, Some(json!({ "network_conditions": conditions }).to_string())),
            None => (Method::DELETE, None),
        }
    }
}

/// A console message in English (the language the browser asks for).
fn en(key: &str) -> String {
    pulse_shared::domain::i18n::t(Lang::En, key)
}

/// The first sign-in of the seeded admin: the temporary password, then a
/// new one; every page checked on the way.
async fn first_sign_in(client: &fantoccini::Client, t: &TestStack, violations: &mut Vec<String>) {
    let admin = t.stack.console_users.first().expect("the seeded admin").clone();
    client.goto(&t.url("/console")).await.unwrap();
    assert!(client.current_url().await.unwrap().path().ends_with("/console/sign-in"), "not signed in: the sign-in page");
    check_page(client, "proof-sign-in", violations).await;
    client.find(Locator::Id("email")).await.unwrap().send_keys(&admin.username).await.unwrap();
    client.find(Locator::Id("password")).await.unwrap().send_keys(&admin.temporary_password).await.unwrap();
    client.find(Locator::Css("main button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("password2")).await.unwrap();
    check_page(client, "proof-new-password", violations).await;
    client.find(Locator::Id("password")).await.unwrap().send_keys("Correct-Horse-42!").await.unwrap();
    client.find(Locator::Id("password2")).await.unwrap().send_keys("Correct-Horse-42!").await.unwrap();
    client.find(Locator::Css("main button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("a.button[href='/console/projects/new']")).await.unwrap();
    check_page(client, "proof-projects", violations).await;
}

/// A contact upload started in the console: the list's name on the
/// uploads page, then, on the upload's own page, `file` chosen. Returns the
/// upload page's path; the caller presses the button.
async fn choose_file(client: &fantoccini::Client, t: &TestStack, id: &str, list_name: &str, file: &std::path::Path) -> String {
    client.goto(&t.url(&format!("/console/projects/{id}/uploads"))).await.unwrap();
    client.find(Locator::Id("list_name")).await.unwrap().send_keys(list_name).await.unwrap();
    client.find(Locator::Css("main form[action$='/uploads'] button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("file")).await.unwrap();
    client.find(Locator::Id("file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    client.current_url().await.unwrap().path().to_string()
}

/// Presses the upload button and waits (bounded) for the import's outcome
/// on its page, which the script follows by itself.
async fn send_file_and_wait(client: &fantoccini::Client) -> String {
    client.find(Locator::Css("main form[enctype] button[type=submit]")).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(pulse_tests::PATIENCE)
        .for_element(Locator::Css("#import-status [data-final]"))
        .await
        .expect("the import ends")
        .text()
        .await
        .unwrap()
}

/// The labelled figures of the tables or term lists inside `css`: each row's
/// header (or term) and its number.
async fn figures(client: &fantoccini::Client, css: &str) -> std::collections::BTreeMap<String, String> {
    let script = format!(
        "const root = document.querySelector(\"{css}\"); const out = {{}};\
         root.querySelectorAll('tr').forEach(r => {{ const h = r.querySelector('th[scope=row]'), d = r.querySelector('td');\
           if (h && d) out[h.textContent.trim()] = d.textContent.trim(); }});\
         root.querySelectorAll('dt').forEach(t => {{ const d = t.nextElementSibling; if (d && d.tagName === 'DD') out[t.textContent.trim()] = d.textContent.trim(); }});\
         return out;"
    );
    serde_json::from_value(client.execute(&script, vec![]).await.unwrap()).unwrap()
}

/// Scrolls the element `id` into view at phone width (a field's error, so
/// that the screenshots show it).
async fn in_view(client: &fantoccini::Client, id: &str) {
    client.set_window_size(360, 900).await.unwrap();
    client.execute(&format!("document.getElementById('{id}').scrollIntoView({{ block: 'center' }});"), vec![]).await.unwrap();
}

/// The texts of the elements `css` matches, in order.
async fn texts(client: &fantoccini::Client, css: &str) -> Vec<String> {
    let v =
        client.execute(&format!("return [...document.querySelectorAll(\"{css}\")].map(e => e.textContent.trim());"), vec![]).await.unwrap();
    serde_json::from_value(v).unwrap()
}

/// A contact file of 20,000 rows with known faults: every 500th row (from
/// the 251st) has no valid address, and every 800th repeats the first
/// address of its block of 800 in other letter case. Returns the file and
/// (rows, rejected, duplicates).
fn twenty_thousand_contacts() -> (String, u64, u64, u64) {
    let (mut file, mut bad, mut dup) = (String::from("Email,FirstName,LastName\n"), 0, 0);
    for i in 0..20_000u64 {
        if i % 500 == 250 {
            bad += 1;
            file.push_str(&format!("kunde{i:05}-at-example.org,Vorname{i},Nachname{i}\n"));
        } else if i % 800 == 799 {
            dup += 1;
            file.push_str(&format!("KUNDE{:05}@Example.ORG,Vorname{i},Nachname{i}\n", i - 799));
        } else {
            file.push_str(&format!("kunde{i:05}@example.org,Vorname{i},Nachname{i}\n"));
        }
    }
    (file, 20_000, bad, dup)
}

/// What a page's progress bars show, read by a script in the page: the
/// upload's bytes (once the upload runs), the import's saved contacts
/// (while it saves), and whether the import's outcome is there.
const PROGRESS_PROBE: &str = "const bar = id => { const b = document.getElementById(id); \
     return b && b.hasAttribute('value') && !b.closest('[hidden]') ? [b.value, b.max] : null; };\
     return [bar('upload-progress'), bar('import-progress'), !!document.querySelector('#import-status [data-final]')];";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cx_manager_uploads_sends_reminds_and_erases_in_the_browser() {
    let t = TestStack::start().await;
    let driver = chromedriver().await;
    let client = browser(&driver).await;
    let mut violations = Vec::new();

    // 1. the seeded admin signs in; a German and English project is published through the API
    first_sign_in(&client, &t, &mut violations).await;
    let (id, _, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Nordwind GmbH", "business_type": "B2C", "languages": ["de", "en"],
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } } }))
        .await;
    client.goto(&t.url(&format!("/console/projects/{id}/uploads"))).await.unwrap();
    check_page(&client, "proof-uploads", &mut violations).await;

    // 2. 20,000 contacts from the browser on a slow line: the progress bars
    // are read while they move, then the outcome's counts are the file's
    let (contents, rows, bad, dup) = twenty_thousand_contacts();
    assert_eq!((bad, dup), (40, 25), "the faults the file was made with");
    let big = artifacts().join("proof-kunden-20000.csv");
    std::fs::write(&big, &contents).unwrap();
    let upload_page = choose_file(&client, &t, &id, "Kunden 2026", &big).await;
    check_page(&client, "proof-upload-form", &mut violations).await;
    client.set_window_size(360, 900).await.unwrap();
    // almost 1 MB at 150 kB/s in each direction: some seconds of upload
    let slow = json!({ "offline": false, "latency": 5, "download_throughput": 150_000, "upload_throughput": 150_000 });
    client.issue_cmd(NetworkConditions(Some(slow))).await.expect("Chromium's network emulation");
    client.find(Locator::Css("main form[enctype] button[type=submit]")).await.unwrap().click().await.unwrap();
    let mut upload_seen: Vec<(f64, f64)> = Vec::new();
    let mut import_seen: Vec<(f64, f64)> = Vec::new();
    // one picture of each bar on its way, for a person to look at
    let mut pictured = [false, false];
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE * 10;
    loop {
        // a probe during a navigation may fail: the next one reads the new page
        if let Ok(v) = client.execute(PROGRESS_PROBE, vec![]).await {
            for (at, seen) in [(0, &mut upload_seen), (1, &mut import_seen)] {
                if let Some(pair) = v[at].as_array() {
                    let now = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
                    if seen.last() != Some(&now) {
                        seen.push(now);
                    }
                    if !pictured[at] && now.0 > 0.0 && now.0 < now.1 {
                        // a picture missed (the page moving on) is no failure
                        if let Ok(png) = client.screenshot().await {
                            pictured[at] = true;
                            let name = format!("console-proof-{}-progress-phone.png", ["upload", "import"][at]);
                            std::fs::write(artifacts().join(name), png).expect("write screenshot");
                        }
                    }
                }
            }
            if v[2] == json!(true) {
                break;
            }
        }
        if tokio::time::Instant::now() >= deadline {
            let said: Value = client
                .execute(
                    "const s = document.getElementById('upload-status'); return [location.pathname, s ? s.textContent : null];",
                    vec![],
                )
                .await
                .unwrap_or_default();
            panic!("the import never ended: page and upload status {said}, upload {upload_seen:?}, import {import_seen:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client.issue_cmd(NetworkConditions(None)).await.expect("the network as it was");
    // the bar's initial 0 (of 100) is not a reading of the upload
    upload_seen.retain(|(value, _)| *value > 0.0);
    let distinct: std::collections::BTreeSet<String> = upload_seen
        .iter()
        .map(|(v, m)| format!("upload {v}/{m} bytes"))
        .chain(import_seen.iter().map(|(v, m)| format!("import {v}/{m} contacts")))
        .collect();
    println!("progress values seen ({}): {distinct:?}", distinct.len());
    assert!(distinct.len() >= 3, "the progress moved through at least three values: {distinct:?}");
    for seen in [&upload_seen, &import_seen] {
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0 || w[0].1 != w[1].1), "progress never goes back: {seen:?}");
    }
    assert_eq!(client.current_url().await.unwrap().path(), upload_page, "the script brought the browser back to the import");
    let counts = figures(&client, "#import-status").await;
    let expected = [
        (console_keys::C_COUNT_ROWS, rows),
        (console_keys::C_COUNT_ACCEPTED, rows - bad),
        (console_keys::C_COUNT_REJECTED, bad),
        (console_keys::C_COUNT_MERGED, dup),
        (console_keys::C_COUNT_SUPPRESSED, 0),
        (console_keys::C_COUNT_CONTACTS, rows - bad - dup),
    ];
    for (key, n) in expected {
        assert_eq!(counts.get(&en(key)).map(String::as_str), Some(n.to_string().as_str()), "{}: {counts:?}", en(key));
    }
    // the first rejected row is line 252 (the header is line 1), for its address
    let first_rejection = texts(&client, "#import-status thead ~ tbody tr:first-child td").await;
    assert_eq!(first_rejection.get(..2), Some(&["252".to_string(), "Email".to_string()][..]), "{first_rejection:?}");
    check_page(&client, "proof-import-20000", &mut violations).await;
    // its list: the first 500 members, and a way to the next page
    client.find(Locator::Css("#import-status a[href*='/lists/']")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("main tbody tr")).await.unwrap();
    let members = texts(&client, "main tbody tr td:first-child").await;
    assert_eq!(members.len(), 500, "a page of members");
    assert!(members.iter().all(|m| m.ends_with("@example.org") || m.ends_with("@Example.ORG")), "{:?}", &members[..3]);
    assert_eq!(client.find_all(Locator::Css("a[href^='?after=']")).await.unwrap().len(), 1, "the next page");
    check_page(&client, "proof-list-members-20000", &mut violations).await;

    // 3. a header with a near miss: the page says which column and how to fix it
    let near = artifacts().join("proof-kunden-near-miss.csv");
    std::fs::write(&near, "E-Mail,FirstName,LastName\nanna@example.de,Anna,Schmidt\n").unwrap();
    choose_file(&client, &t, &id, "Kunden mit Tippfehler", &near).await;
    let outcome = send_file_and_wait(&client).await;
    assert!(outcome.contains(&en(console_keys::C_IMPORT_FAILED)), "{outcome}");
    let said = client.find(Locator::Css("#import-status p.error")).await.unwrap().text().await.unwrap();
    let advice = t_args(Lang::En, console_keys::C_HEADER_NEAR, &[("column", "Email".into()), ("found", "E-Mail".into())]);
    assert_eq!(said, advice);
    assert!(said.contains("“E-Mail”") && said.contains("“Email”"), "{said}");
    check_page(&client, "proof-import-near-miss", &mut violations).await;

    // the small list the invitation goes to, also from the browser
    let small = artifacts().join("proof-kunden-klein.csv");
    std::fs::write(
        &small,
        "Email,FirstName,LastName\nanna@example.de,Anna,Schmidt\nben@example.de,Ben,Becker\nclara@example.com,Clara,Jones\n",
    )
    .unwrap();
    choose_file(&client, &t, &id, "Stammkunden", &small).await;
    let outcome = send_file_and_wait(&client).await;
    assert!(outcome.contains(&en(console_keys::C_IMPORT_DONE)), "{outcome}");
    let counts = figures(&client, "#import-status").await;
    assert_eq!(counts.get(&en(console_keys::C_COUNT_CONTACTS)).map(String::as_str), Some("3"), "{counts:?}");
    let list_link = client.find(Locator::Css("#import-status a[href*='/lists/']")).await.unwrap().attr("href").await.unwrap().unwrap();
    let list_id = list_link.rsplit('/').next().unwrap().to_string();
    check_page(&client, "proof-import-small", &mut violations).await;

    // 4. the invitation in German and English with a reminder after 3 days:
    // mistakes said at their fields, then checked, previewed and sent
    client.goto(&t.url(&format!("/console/projects/{id}/sends/new"))).await.unwrap();
    check_page(&client, "proof-compose", &mut violations).await;
    client.find(Locator::Css(&format!("#list_id option[value='{list_id}']"))).await.unwrap().click().await.unwrap();
    let texts_to_type = [
        ("subject-de", ""),
        ("body-de", "Hallo {{FirstName}},\nwie war Ihr Besuch bei uns?\n{{SurveyLink}}\nAbmelden: {{UnsubscribeLink}}"),
        ("subject-en", "{{FirstName}}, how was your visit?"),
        ("body-en", "Hello {{FirstName}},\nhow was your visit?\n{{SurveyLink}}\nUnsubscribe: {{UnsubscribeLink}}"),
        ("reminder-subject-de", "Erinnerung: {{FirstName}}, haben Sie eine Minute?"),
        ("reminder-subject-en", "Reminder: {{FirstName}}, do you have a minute?"),
    ];
    for (field, text) in texts_to_type {
        let input = client.find(Locator::Id(field)).await.unwrap();
        input.clear().await.unwrap();
        if !text.is_empty() {
            input.send_keys(text).await.unwrap();
        }
    }
    client.find(Locator::Css("label[for='reminder']")).await.unwrap().click().await.unwrap();
    let days = client.find(Locator::Id("after_days")).await.unwrap();
    days.clear().await.unwrap();
    days.send_keys("3").await.unwrap();
    // the German subject left empty
    client.find(Locator::Css("button[value='preview']")).await.unwrap().click().await.unwrap();
    let error = client.wait().for_element(Locator::Id("subject-de-error")).await.unwrap().text().await.unwrap();
    assert_eq!(error, en(console_keys::C_ERR_REQUIRED));
    let invalid = client.find(Locator::Id("subject-de")).await.unwrap().attr("aria-invalid").await.unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    assert_eq!(
        client.find(Locator::Id("subject-en")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("{{FirstName}}, how was your visit?"),
        "what was typed is kept"
    );
    in_view(&client, "subject-de-error").await;
    check_page(&client, "proof-compose-empty-subject", &mut violations).await;
    client.find(Locator::Id("subject-de")).await.unwrap().send_keys("{{FirstName}}, wie war Ihr Besuch?").await.unwrap();
    // a send time in the past (the date field's value set as its picker would)
    client.find(Locator::Css("label[for='when-at']")).await.unwrap().click().await.unwrap();
    client.execute("document.getElementById('send_at_local').value = '2020-01-02T09:00';", vec![]).await.unwrap();
    client.find(Locator::Css("button[value='preview']")).await.unwrap().click().await.unwrap();
    let error = client.wait().for_element(Locator::Id("send_at_local-error")).await.unwrap().text().await.unwrap();
    assert_eq!(error, t_args(Lang::En, console_keys::C_ERR_SEND_AT_PAST, &[("tz", "UTC".into())]));
    in_view(&client, "send_at_local-error").await;
    check_page(&client, "proof-compose-past-time", &mut violations).await;
    // now: what will happen, and the email for a contact of the list in each language
    client.find(Locator::Css("label[for='when-now']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("button[value='preview']")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("forecast-title")).await.unwrap();
    let forecast = figures(&client, "section.forecast").await;
    assert_eq!(forecast.get(&en(console_keys::C_FORECAST_SEND)).map(String::as_str), Some("3"), "{forecast:?}");
    let previewed = client.find(Locator::Id("previews-title")).await.unwrap().text().await.unwrap();
    let sample = ["Anna", "Ben", "Clara"].into_iter().find(|n| previewed.contains(n)).unwrap_or_else(|| panic!("a contact: {previewed}"));
    let subjects = texts(&client, "section[aria-labelledby='previews-title'] h3").await;
    assert_eq!(subjects, vec![format!("Deutsch: {sample}, wie war Ihr Besuch?"), format!("English: {sample}, how was your visit?")]);
    let frames = client.find_all(Locator::Css("iframe.email")).await.unwrap().len();
    assert_eq!(frames, 2, "each language's email is shown");
    // the preview follows the text as it is typed, without a click
    client.find(Locator::Id("body-en")).await.unwrap().send_keys("\nSee you soon!").await.unwrap();
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    loop {
        let english = client.find_all(Locator::Css("#live-preview iframe.email")).await.unwrap();
        // the script may replace the frame between finding it and reading
        // it (a stale element): that is "not yet", look again
        let srcdoc = match english.get(1) {
            Some(frame) => frame.attr("srcdoc").await.ok().flatten().unwrap_or_default(),
            None => String::new(),
        };
        if srcdoc.contains("See you soon!") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the live preview never showed the new line");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check_page(&client, "proof-compose-preview", &mut violations).await;
    client.find(Locator::Css("button[value='send']")).await.unwrap().click().await.unwrap();
    // the distribution's page follows its progress by itself until it is done
    client.wait().for_element(Locator::Id("send-status")).await.unwrap();
    let send_page = client.current_url().await.unwrap().path().to_string();
    let dist = send_page.rsplit('/').next().unwrap().to_string();
    let mut states = Vec::new();
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE * 3;
    loop {
        // whether it has ended first, so that the line read is never older
        let ended = !client.find_all(Locator::Css("#send-status [data-final]")).await.unwrap().is_empty();
        let line = texts(&client, "#send-status p:first-child").await.into_iter().next().unwrap_or_default();
        if states.last() != Some(&line) {
            states.push(line);
        }
        if ended {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the distribution never finished: {states:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("distribution states seen: {states:?}");
    let done = t_args(Lang::En, console_keys::C_SEND_STATE, &[("state", en(console_keys::C_DIST_DONE).as_str().into())]);
    assert_eq!(states.last(), Some(&done), "{states:?}");
    let sent = figures(&client, "#send-status").await;
    assert_eq!(sent.get(&en(console_keys::C_COL_SENT)).map(String::as_str), Some("3"), "{sent:?}");
    assert_eq!(sent.get(&en(console_keys::C_COUNT_REMINDERS)).map(String::as_str), Some("0"), "{sent:?}");
    check_page(&client, "proof-send-progress", &mut violations).await;

    // 5. Anna's invitation in the local outbox, its survey link clicked,
    // the survey answered and sent
    let mails = t.outbox(3).await;
    assert_eq!(mails.len(), 3, "{mails:#?}");
    client.goto(&t.url("/_local/outbox")).await.unwrap();
    let link = client
        .find(Locator::XPath(
            "//article[contains(., 'anna@example.de') and .//h2[. = 'Anna, wie war Ihr Besuch?']]//li[starts-with(normalize-space(.), 'Survey:')]/a",
        ))
        .await
        .expect("Anna's German invitation with its survey link");
    check_page(&client, "proof-outbox", &mut violations).await;
    let console_window = client.window().await.unwrap();
    link.click().await.unwrap();
    let mut survey_window = None;
    for _ in 0..200 {
        survey_window = client.windows().await.unwrap().into_iter().find(|w| *w != console_window);
        if survey_window.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client.switch_to_window(survey_window.expect("the survey opens in a tab of its own")).await.unwrap();
    client.wait().for_element(Locator::Css("#survey")).await.unwrap();
    assert_eq!(client.find(Locator::Css("header .org")).await.unwrap().text().await.unwrap(), "Nordwind GmbH");
    // in the German email's language, though the browser asks for English
    let lang: Value = client.execute("return document.documentElement.lang;", vec![]).await.unwrap();
    assert_eq!(lang, json!("de"), "the survey opens in the language of the email");
    check_page(&client, "proof-survey", &mut violations).await;
    client.set_window_size(360, 900).await.unwrap();
    answer_everything(&client, &survey).await;
    client.find(Locator::Css("#survey button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("p[role=status]")).await.unwrap();
    check_page(&client, "proof-thank-you", &mut violations).await;
    client.close_window().await.unwrap();
    client.switch_to_window(console_window).await.unwrap();
    let stored = t.responses(&id).await;
    assert_eq!(stored["count"], 1, "Anna's response is stored: {stored:#}");

    // 6. three days and an hour later the schedule runs the reminders:
    // one to each who has not answered, none to Anna
    let r = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": (3 * 24 + 1) * 3600 })).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = t.http.post(t.url("/_local/schedules/SendDistributionFunction.DueSends")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let fired: Value = r.json().await.unwrap();
    assert_eq!(fired["result"]["due"][0]["kind"], "reminder", "{fired}");
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    loop {
        let d = t.admin_json(Method::GET, &format!("/admin/projects/{id}/distributions/{dist}"), None).await;
        if d["counts"]["reminders_sent"] == 2 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "two reminders expected: {d:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mails = t.mails().await;
    let reminded: Vec<&str> = mails
        .iter()
        .filter(|m| m["subject"].as_str().is_some_and(|s| s.starts_with("Erinnerung:") || s.starts_with("Reminder:")))
        .map(|m| m["to"][0].as_str().unwrap())
        .collect();
    let mut sorted = reminded.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec!["ben@example.de", "clara@example.com"], "one reminder to each non-responder, none to Anna");
    for (to, n) in [("anna@example.de", 1), ("ben@example.de", 2), ("clara@example.com", 2)] {
        assert_eq!(mails.iter().filter(|m| m["to"][0] == to).count(), n, "{to}: the invitation and a reminder if no answer");
    }
    client.goto(&t.url("/_local/outbox")).await.unwrap();
    let subjects = texts(&client, "article h2").await;
    assert_eq!(subjects.iter().filter(|s| s.starts_with("Erinnerung: ")).count(), 2, "{subjects:?}");
    assert!(subjects.contains(&"Erinnerung: Ben, haben Sie eine Minute?".to_string()), "{subjects:?}");
    client.goto(&t.url(&send_page)).await.unwrap();
    let after = figures(&client, "#send-status").await;
    assert_eq!(after.get(&en(console_keys::C_COUNT_REMINDERS)).map(String::as_str), Some("2"), "{after:?}");
    check_page(&client, "proof-send-reminded", &mut violations).await;

    // 7. Clara erased from her page: the box must be ticked, the erasure's
    // page followed until it is done; she is gone from the list and the search
    let contacts = t.url(&format!("/console/projects/{id}/contacts"));
    client.goto(&contacts).await.unwrap();
    check_page(&client, "proof-contacts", &mut violations).await;
    client.find(Locator::Id("email")).await.unwrap().send_keys("clara@example.com").await.unwrap();
    client.find(Locator::Css("form[action$='/contacts/find'] button")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Id("erase-title")).await.unwrap();
    let shown = client.find(Locator::Css("main dl.summary")).await.unwrap().text().await.unwrap();
    assert!(shown.contains("Clara") && shown.contains("Jones"), "{shown}");
    check_page(&client, "proof-contact", &mut violations).await;
    client.find(Locator::Css("form[action$='/contacts/erase'] button")).await.unwrap().click().await.unwrap();
    let error = client.wait().for_element(Locator::Id("confirm-error")).await.unwrap().text().await.unwrap();
    assert_eq!(error, en(console_keys::C_ERASE_UNCONFIRMED));
    in_view(&client, "confirm-error").await;
    check_page(&client, "proof-contact-unconfirmed", &mut violations).await;
    client.find(Locator::Css("label[for='confirm']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("form[action$='/contacts/erase'] button")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("main p[role=status]")).await.unwrap();
    let job_page = client.current_url().await.unwrap().path().to_string();
    assert!(job_page.starts_with(&format!("/console/projects/{id}/jobs/")) && !job_page.contains('@'), "{job_page}");
    // the page follows the erasure by itself, without a reload
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    while client.find_all(Locator::Css("#job-status [data-final]")).await.unwrap().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the erasure page never showed the end");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(client.current_url().await.unwrap().path(), job_page, "no reload, no redirect");
    let status = client.find(Locator::Css("main p[role=status]")).await.unwrap().text().await.unwrap();
    assert_eq!(status, en(console_keys::C_JOB_DONE_CLEAN), "she was never suppressed: nothing of her is left");
    // her contact, her list membership, her invitation and reminder
    let removed = figures(&client, "main dl.summary").await;
    for (place, n) in
        [(console_keys::C_PLACE_CONTACT, "1"), (console_keys::C_PLACE_LIST_MEMBERSHIPS, "1"), (console_keys::C_PLACE_INVITATIONS, "2")]
    {
        assert_eq!(removed.get(&en(place)).map(String::as_str), Some(n), "{place}: {removed:?}");
    }
    check_page(&client, "proof-erasure-job", &mut violations).await;
    client.goto(&t.url(&list_link)).await.unwrap();
    let members = texts(&client, "main tbody tr td:first-child").await;
    assert_eq!(members, vec!["anna@example.de", "ben@example.de"], "Clara is gone from the list");
    check_page(&client, "proof-list-members-after-erasure", &mut violations).await;
    client.goto(&contacts).await.unwrap();
    client.find(Locator::Id("email")).await.unwrap().send_keys("clara@example.com").await.unwrap();
    client.find(Locator::Css("form[action$='/contacts/find'] button")).await.unwrap().click().await.unwrap();
    let nobody = client.wait().for_element(Locator::Css("main p.alert[role=alert]")).await.unwrap().text().await.unwrap();
    assert_eq!(nobody, en(console_keys::C_CONTACT_NOT_FOUND));
    assert!(client.find_all(Locator::Id("erase-title")).await.unwrap().is_empty());
    check_page(&client, "proof-contact-not-found", &mut violations).await;

    client.close().await.unwrap();
    assert!(violations.is_empty(), "accessibility and layout problems:\n{}", violations.join("\n"));
}
