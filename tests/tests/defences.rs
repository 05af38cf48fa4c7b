//! The anonymous links' defences through the local stack: a scripted bot
//! that never views the page stores nothing and charges nothing; a burst
//! from one address is cut at the sliding window; every refusal is counted
//! on the project (`GET /admin/projects/{id}/refusals`).

use pulse_shared::domain::links::new_id;
use pulse_tests::{complete_answers, TestStack};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn get(t: &TestStack, path: &str) -> Value {
    let r = t.admin(Method::GET, path).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

/// A project on a Starter account (50 records a month); returns (account,
/// project, anonymous link path, complete answers).
async fn starter_project(t: &TestStack) -> (String, String, String, Vec<(String, String)>) {
    let r = t.admin(Method::POST, "/admin/accounts").json(&json!({ "name": "Kahvila Oy" })).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let account = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let (id, anon, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en", "de"], "account_id": account } }))
        .await;
    (account, id, anon, complete_answers(&survey))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_bot_without_page_views_stores_nothing_and_leaves_the_budget_whole() {
    let t = TestStack::start_with(&[("FormMinSeconds", "2")]).await;
    let (account, id, anon, answers) = starter_project(&t).await;
    // 60 POSTs, each with a made-up submission id and token, none after a page view
    for i in 0..60 {
        let mut form = answers.clone();
        form.push(("sid".into(), new_id()));
        if i % 2 == 1 {
            form.push(("ft".into(), format!("{}.{}.{}", new_id(), 1_700_000_000_000u64 + i, new_id())));
        }
        let r = t.post_raw(&anon, &form).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        if i == 0 {
            assert!(r.text().await.unwrap().contains("Your answers were not accepted"));
        }
    }
    // a page view's token sent back at once: too fast for a person
    let token = t.form_token(&anon).await.expect("the page carries a form token");
    let mut fast = answers.clone();
    fast.push(("ft".into(), token));
    let r = t.post_raw(&anon, &fast).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Please check them and send the form again"), "{page}");
    assert_eq!(t.responses(&id).await["count"], 0);
    let budget = get(&t, &format!("/admin/accounts/{account}/budget")).await;
    assert_eq!((budget["used"].as_u64(), budget["remaining"].as_u64()), (Some(0), Some(50)), "{budget:#}");
    let refusals = get(&t, &format!("/admin/projects/{id}/refusals")).await;
    assert_eq!(refusals["total"], json!({ "no_token": 30, "forged": 30, "too_fast": 1 }), "{refusals:#}");
    // the form that came back, sent by a person a moment later, is stored
    let again = pulse_tests::hidden_value(&page, "ft").expect("a fresh token");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let mut person = answers.clone();
    person.push(("ft".into(), again));
    assert_eq!(t.post_raw(&anon, &person).await.status(), StatusCode::OK);
    assert_eq!(t.responses(&id).await["count"], 1);
    assert_eq!(get(&t, &format!("/admin/accounts/{account}/budget")).await["used"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_posts_from_one_address_in_a_minute_are_cut_at_the_window() {
    let t = TestStack::start_with(&[("AnonymousPerAddressPerMinute", "20")]).await;
    let (id, anon, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": { "organisation_name": "Kahvila Oy", "business_type": "B2C" } }))
        .await;
    let answers = complete_answers(&survey);
    // each with its own page view, as a scripted browser would
    let mut tokens = Vec::new();
    for _ in 0..100 {
        tokens.push(t.form_token(&anon).await.expect("the page carries a form token"));
    }
    let mut tasks = Vec::new();
    for token in tokens {
        let mut form = answers.clone();
        form.push(("ft".into(), token));
        let (http, url, body) = (t.http.clone(), t.url(&anon), pulse_tests::form_body(&form));
        tasks.push(tokio::spawn(async move {
            let r = http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }));
    }
    let (mut accepted, mut refused) = (0u64, 0u64);
    for task in tasks {
        match task.await.unwrap() {
            (StatusCode::OK, _) => accepted += 1,
            (StatusCode::TOO_MANY_REQUESTS, page) => {
                assert!(page.contains("Many answers are arriving at this moment"), "a friendly page: {page}");
                refused += 1;
            }
            (other, page) => panic!("unexpected {other}: {page}"),
        }
    }
    // at most the window's 20 in any sliding minute (a minute's turn during
    // the test can only lower what the previous minute leaves)
    assert!((1..=20).contains(&accepted), "{accepted} accepted");
    assert_eq!(accepted + refused, 100);
    assert_eq!(t.responses(&id).await["count"], accepted);
    let refusals = get(&t, &format!("/admin/projects/{id}/refusals")).await;
    assert_eq!(refusals["total"]["address_burst"], refused, "{refusals:#}");
}
