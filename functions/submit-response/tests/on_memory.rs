//! The respondent routes on the in-memory double (no emulator): which page a
//! link leads to, in which language, and how often an answer is stored. The
//! same paths run through the local stack in `tests/tests/projects.rs` and
//! in Chromium in `tests/tests/browser.rs`.

use std::collections::{BTreeMap, HashMap};

use lambda_http::{Body, Request, RequestExt};
use pulse_shared::clock::{self, Clock};
use pulse_shared::domain::budget::{Account, Usage};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::links::{new_id, new_token, ContactSnapshot, Link, LinkKind};
use pulse_shared::domain::project::Project;
use pulse_shared::memory::Memory;
use pulse_shared::ports::*;
use pulse_shared::App;
use serde_json::json;

/// A published quick check-in offered in Finnish and English.
async fn published(app: &App<Memory>, account_id: Option<&str>) -> Project {
    app.aws
        .published_project(json!({
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["fi", "en"], "account_id": account_id
        }))
        .await
}

async fn personal_link(app: &App<Memory>, p: &Project, language: Option<Lang>) -> String {
    let contact = ContactSnapshot {
        email: "anna@example.com".into(),
        first_name: "Anna".into(),
        last_name: "Virtanen".into(),
        fields: BTreeMap::new(),
        language,
    };
    let link = Link {
        token: new_token(),
        project_id: p.id.clone(),
        kind: LinkKind::Personal { contact, response_id: new_id(), distribution_id: None },
        created_at: clock::now(),
    };
    app.aws.put_link(&link).await.unwrap();
    link.token
}

fn request(method: &str, token: &str, accept_language: &str, form: &[(&str, &str)]) -> Request {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    http::Request::builder()
        .method(method)
        .uri(format!("/s/{token}"))
        .header("accept-language", accept_language)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(if form.is_empty() { Body::Empty } else { Body::from(body) })
        .unwrap()
        .with_path_parameters(HashMap::from([("token".to_string(), token.to_string())]))
}

/// Every question of the quick check-in answered.
fn answers(nps: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![("comm_met", "4"), ("action_satisfaction", "5"), ("confidence", "4"), ("nps", nps), ("csat", "5"), ("ces", "2")]
}

async fn page(app: &App<Memory>, req: Request) -> (u16, String) {
    let res = submit_response::handle(app, req).await.unwrap();
    let status = res.status().as_u16();
    let body = match res.into_body() {
        Body::Text(t) => t,
        Body::Binary(b) => String::from_utf8(b).unwrap(),
        Body::Empty => String::new(),
        _ => String::new(),
    };
    (status, body)
}

#[tokio::test]
async fn an_unknown_link_leads_to_the_not_found_page() {
    let app = App::in_memory(Clock::default());
    let (status, body) = page(&app, request("GET", &new_token(), "en", &[])).await;
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "a page for people, not a JSON error");
}

#[tokio::test]
async fn a_personal_link_opens_in_the_contacts_language_and_an_anonymous_one_in_the_browsers() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let token = personal_link(&app, &p, Some(Lang::Fi)).await;
    let (status, body) = page(&app, request("GET", &token, "en-GB,en;q=0.9", &[])).await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<html lang="fi""#), "the contact's language wins over the browser's");
    let (_, body) = page(&app, request("GET", &p.anonymous_token, "en-GB,en;q=0.9", &[])).await;
    assert!(body.contains(r#"<html lang="en""#));
}

#[tokio::test]
async fn a_personal_link_stores_one_response_and_refuses_a_different_second_answer() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let token = personal_link(&app, &p, None).await;
    let (status, _) = page(&app, request("POST", &token, "en", &answers("9"))).await;
    assert_eq!(status, 200);
    // the same answers again (a double click, a retried request): thank you, nothing new
    let (status, _) = page(&app, request("POST", &token, "en", &answers("9"))).await;
    assert_eq!(status, 200);
    // different answers through the same link: already answered
    let (status, _) = page(&app, request("POST", &token, "en", &answers("3"))).await;
    assert_eq!(status, 409);
    let (stored, _) = app.aws.list_responses(&p.id, None, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].contact_email.as_deref(), Some("anna@example.com"));
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 1);
}

#[tokio::test]
async fn an_incomplete_form_is_shown_again_with_its_errors_and_nothing_is_stored() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let (status, body) = page(&app, request("POST", &p.anonymous_token, "fi", &[("nps", "11")])).await;
    assert_eq!(status, 422);
    assert!(body.contains("aria-describedby"), "each error stands by its question");
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0);
}

#[tokio::test]
async fn an_anonymous_response_over_the_budget_is_refused_and_not_stored() {
    let app = App::in_memory(Clock::default());
    let month = pulse_shared::domain::budget::billing_month(app.clock.now_ms(), "Europe/Helsinki");
    let account = Account {
        id: format!("a-{}", new_id()),
        name: "Kahvila Oy".into(),
        plan: "Starter".into(),
        monthly_budget: 1,
        lifetime_cap: None,
        time_zone: "Europe/Helsinki".into(),
        created_at: clock::now(),
        updated_at: clock::now(),
        usage: Usage { month, ..Default::default() },
    };
    app.aws.create_account(&account).await.unwrap();
    let p = published(&app, Some(&account.id)).await;
    let mut first = answers("10");
    first.push(("sid", "first-submission-id-0001"));
    assert_eq!(page(&app, request("POST", &p.anonymous_token, "en", &first)).await.0, 200);
    let mut second = answers("8");
    second.push(("sid", "second-submission-id-0002"));
    assert_eq!(page(&app, request("POST", &p.anonymous_token, "en", &second)).await.0, 403);
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 1);
    let a = app.aws.get_account(&account.id).await.unwrap().unwrap();
    assert_eq!((a.usage.used, a.usage.refused), (1, 1));
}

#[tokio::test]
async fn switching_language_keeps_every_answer_and_stores_nothing() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let token = personal_link(&app, &p, Some(Lang::Fi)).await;
    let mut form = answers("7");
    form.truncate(4); // half the survey answered
    let sid = new_id();
    form.extend([("lang", "fi"), ("sid", sid.as_str()), ("switch_lang", "en")]);
    let (status, body) = page(&app, request("POST", &token, "fi", &form)).await;
    assert_eq!(status, 200, "a switch is not an error, though the form is incomplete");
    assert!(body.contains(r#"<html lang="en""#), "the page comes back in the language asked for");
    assert!(body.contains(r#"name="nps" value="7" checked"#), "the answer given is still chosen: {body}");
    assert!(body.contains(r#"name="lang" value="en""#), "the next submit stays in that language");
    assert!(body.contains(&format!(r#"name="sid" value="{sid}""#)), "the same submission");
    assert!(!body.contains("role=\"alert\""), "no error summary for a language switch");
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0);
    // the rest answered in English and sent: stored once, in English
    let mut rest = answers("7");
    rest.extend([("lang", "en"), ("sid", sid.as_str())]);
    assert_eq!(page(&app, request("POST", &token, "fi", &rest)).await.0, 200);
    let (stored, _) = app.aws.list_responses(&p.id, None, 10).await.unwrap();
    assert_eq!((stored.len(), stored[0].language), (1, Lang::En));
}
