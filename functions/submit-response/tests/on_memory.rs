//! The respondent routes on the in-memory double (no emulator): which page a
//! link leads to, in which language, and how often an answer is stored. The
//! same paths run through the local stack in `tests/tests/projects.rs` and
//! in Chromium in `tests/tests/browser.rs`.

use std::collections::{BTreeMap, HashMap};

use lambda_http::{Body, Request, RequestExt};
use pulse_shared::clock::{self, Clock};
use pulse_shared::domain::budget::{Account, Usage};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::links::{new_id, new_token, ContactSnapshot, LinkKind};
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
    let kind = LinkKind::Personal { contact, response_id: new_id(), distribution_id: None };
    let (token, link) = app.mint_link(&p.id, kind, &clock::now()).await.unwrap();
    app.aws.put_link(&link).await.unwrap();
    token
}

/// The token of a project's anonymous link.
async fn anon(app: &App<Memory>, p: &Project) -> String {
    app.aws.anonymous_token(p).await
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

/// The form token of an anonymous link's page view.
async fn form_token(app: &App<Memory>, token: &str) -> String {
    let (_, body) = page(app, request("GET", token, "en", &[])).await;
    let at = body.find(r#"name="ft" value=""#).expect("an anonymous page carries a form token") + 17;
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

/// `form` with the token `ft`.
fn with<'a>(form: &[(&'a str, &'a str)], ft: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut f = form.to_vec();
    f.push(("ft", ft));
    f
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
    let (_, body) = page(&app, request("GET", &anon(&app, &p).await, "en-GB,en;q=0.9", &[])).await;
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
    let ft = form_token(&app, &anon(&app, &p).await).await;
    let form = with(&[("nps", "11")], &ft);
    let (status, body) = page(&app, request("POST", &anon(&app, &p).await, "fi", &form)).await;
    assert_eq!(status, 422);
    assert!(body.contains(&format!(r#"name="ft" value="{ft}""#)), "the form keeps its token");
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
        invitation_reserve: 0,
        link_budget: None,
        time_zone: "Europe/Helsinki".into(),
        created_at: clock::now(),
        updated_at: clock::now(),
        usage: Usage { month, ..Default::default() },
    };
    app.aws.create_account(&account).await.unwrap();
    let p = published(&app, Some(&account.id)).await;
    // two page views while the budget lasts
    let (t1, t2) = (form_token(&app, &anon(&app, &p).await).await, form_token(&app, &anon(&app, &p).await).await);
    let first = with(&answers("10"), &t1);
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &first)).await.0, 200);
    let second = with(&answers("8"), &t2);
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &second)).await.0, 403);
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
    form.extend([("lang", "fi"), ("switch_lang", "en")]);
    let (status, body) = page(&app, request("POST", &token, "fi", &form)).await;
    assert_eq!(status, 200, "a switch is not an error, though the form is incomplete");
    assert!(body.contains(r#"<html lang="en""#), "the page comes back in the language asked for");
    assert!(body.contains(r#"name="nps" value="7" checked"#), "the answer given is still chosen: {body}");
    assert!(body.contains(r#"name="lang" value="en""#), "the next submit stays in that language");
    assert!(!body.contains("role=\"alert\""), "no error summary for a language switch");
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0);
    // the rest answered in English and sent: stored once, in English
    let mut rest = answers("7");
    rest.extend([("lang", "en")]);
    assert_eq!(page(&app, request("POST", &token, "fi", &rest)).await.0, 200);
    let (stored, _) = app.aws.list_responses(&p.id, None, 10).await.unwrap();
    assert_eq!((stored.len(), stored[0].language), (1, Lang::En));
}

/// What the project counted as refused, by reason, over every day.
async fn refusals(app: &App<Memory>, p: &Project) -> BTreeMap<String, u64> {
    let mut all = BTreeMap::new();
    for (_, day) in app.aws.refusals(&p.id, "").await.unwrap() {
        for (reason, n) in day {
            *all.entry(reason).or_default() += n;
        }
    }
    all
}

#[tokio::test]
async fn a_post_without_a_page_view_or_with_a_forged_or_foreign_token_stores_nothing() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let other = published(&app, None).await;
    // no page view: no token
    let (status, body) = page(&app, request("POST", &anon(&app, &p).await, "en", &answers("10"))).await;
    assert_eq!(status, 403);
    assert!(body.contains("Your answers were not accepted"), "a page for people: {body}");
    // a made-up token, and another project's
    let mut forged = answers("10");
    forged.push(("ft", "AAAAAAAAAAAAAAAAAAAAAA.1.AAAAAAAAAAAAAAAAAAAAAA"));
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &forged)).await.0, 403);
    let foreign = form_token(&app, &anon(&app, &other).await).await;
    let theirs = with(&answers("10"), &foreign);
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &theirs)).await.0, 403);
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0);
    let counted = refusals(&app, &p).await;
    assert_eq!((counted.get("no_token"), counted.get("forged")), (Some(&1), Some(&2)), "{counted:?}");
}

#[tokio::test]
async fn a_replayed_token_stores_nothing_new() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let ft = form_token(&app, &anon(&app, &p).await).await;
    let form = with(&answers("10"), &ft);
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &form)).await.0, 200);
    // the same token again with the same answers: the retry's thank-you
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &form)).await.0, 200);
    // and with other answers: nothing new is stored
    let mut other = answers("2");
    other.push(("ft", ft.as_str()));
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &other)).await.0, 409);
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 1);
}

#[tokio::test]
async fn a_filled_in_honeypot_is_refused_and_counted() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let ft = form_token(&app, &anon(&app, &p).await).await;
    let mut form = with(&answers("10"), &ft);
    form.push(("website", "https://spam.example"));
    let (status, body) = page(&app, request("POST", &anon(&app, &p).await, "de", &form)).await;
    assert_eq!(status, 403);
    assert!(body.contains("Vastauksiasi ei hyväksytty"), "in the survey language the browser gets: {body}");
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0);
    assert_eq!(refusals(&app, &p).await.get("honeypot"), Some(&1));
    // the page hides the honeypot from sight, the keyboard and screen readers
    let (_, page_html) = page(&app, request("GET", &anon(&app, &p).await, "en", &[])).await;
    assert!(page_html.contains(r#"<div class="hp" aria-hidden="true">"#), "{page_html}");
    assert!(page_html.contains(r#"name="website" value="" tabindex="-1""#));
}

#[tokio::test]
async fn a_form_sent_faster_than_a_person_can_comes_back_with_its_answers_and_a_fresh_token() {
    let mut app = App::in_memory(Clock::default());
    app.config.form_min_seconds = 3;
    let p = published(&app, None).await;
    let ft = form_token(&app, &anon(&app, &p).await).await;
    let form = with(&answers("9"), &ft);
    let (status, body) = page(&app, request("POST", &anon(&app, &p).await, "en", &form)).await;
    assert_eq!(status, 422);
    assert!(body.contains("Please check them and send the form again"), "{body}");
    assert!(body.contains(r#"name="nps" value="9" checked"#), "the answers are kept");
    assert!(!body.contains(&format!(r#"value="{ft}""#)), "a fresh token, not the refused one");
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0);
    // the same form a little later is a person's
    app.clock.advance(std::time::Duration::from_secs(3));
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &form)).await.0, 200);
    // and a page left open for more than a day is sent again likewise
    let old = form_token(&app, &anon(&app, &p).await).await;
    let stale = with(&answers("7"), &old);
    app.clock.advance(std::time::Duration::from_secs(24 * 3600 + 1));
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "en", &stale)).await.0, 422);
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 1);
    let counted = refusals(&app, &p).await;
    assert_eq!((counted.get("too_fast"), counted.get("expired")), (Some(&1), Some(&1)), "{counted:?}");
}

#[tokio::test]
async fn a_burst_from_one_address_is_refused_beyond_its_window() {
    let mut app = App::in_memory(Clock::default());
    app.config.anonymous_per_address_per_minute = 5;
    let p = published(&app, None).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let ft = form_token(&app, &anon(&app, &p).await).await;
        let form = with(&answers("8"), &ft);
        let (status, body) = page(&app, request("POST", &anon(&app, &p).await, "en", &form)).await;
        if status == 429 {
            assert!(body.contains("Many answers are arriving") && body.contains(r#"name="nps" value="8" checked"#), "{body}");
        }
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 3, "{statuses:?}");
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 5);
    assert_eq!(refusals(&app, &p).await.get("address_burst"), Some(&3));
}

#[tokio::test]
async fn a_projects_daily_cap_refuses_beyond_it_until_the_next_day() {
    let app = App::in_memory(Clock::default());
    let p = app
        .aws
        .published_project(json!({
            "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["fi", "en"], "anonymous_daily_cap": 2
        }))
        .await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let ft = form_token(&app, &anon(&app, &p).await).await;
        let form = with(&answers("8"), &ft);
        statuses.push(page(&app, request("POST", &anon(&app, &p).await, "fi", &form)).await);
    }
    assert_eq!(statuses.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [200, 200, 429]);
    assert!(statuses[2].1.contains("Tämä kysely ei ota tänään vastaan"), "{}", statuses[2].1);
    assert_eq!(refusals(&app, &p).await.get("daily_cap"), Some(&1));
    app.clock.advance(std::time::Duration::from_secs(86_400));
    let ft = form_token(&app, &anon(&app, &p).await).await;
    let form = with(&answers("8"), &ft);
    assert_eq!(page(&app, request("POST", &anon(&app, &p).await, "fi", &form)).await.0, 200);
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 3);
}

#[tokio::test]
async fn public_pages_run_no_script_are_never_framed_or_cached_and_mask_the_address() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let token = personal_link(&app, &p, Some(Lang::Fi)).await;
    for req in
        [request("GET", &anon(&app, &p).await, "en", &[]), request("GET", &token, "en", &[]), request("GET", &new_token(), "en", &[])]
    {
        let res = submit_response::handle(&app, req).await.unwrap();
        let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let csp = header("content-security-policy");
        assert!(csp.contains("default-src 'none'") && !csp.contains("script-src") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(
            (header("x-content-type-options"), header("referrer-policy"), header("cache-control")),
            ("nosniff".into(), "no-referrer".into(), "no-store".into())
        );
    }
    let unsubscribe = http::Request::builder()
        .method("GET")
        .uri(format!("/unsubscribe/{token}"))
        .body(Body::Empty)
        .unwrap()
        .with_path_parameters(HashMap::from([("token".to_string(), token.clone())]));
    let (status, body) = page(&app, unsubscribe).await;
    assert_eq!(status, 200);
    assert!(body.contains("a…@example.com") && !body.contains("anna@example.com"), "the address is masked: {body}");
}

#[tokio::test]
async fn pages_carry_pulses_icon_and_a_description_and_the_icon_is_served() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let (status, body) = page(&app, request("GET", &anon(&app, &p).await, "fi", &[])).await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<link rel="icon" type="image/svg+xml" href="/favicon.svg">"#), "{body}");
    assert!(body.contains(r#"<meta name="description" content="Kahvila Oy:n lyhyt kysely"#), "in the page's language: {body}");
    let icon = http::Request::builder().method("GET").uri("/favicon.svg").body(Body::Empty).unwrap();
    let res = submit_response::handle(&app, icon).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(matches!(res.body(), Body::Text(t) if t.starts_with("<svg")));
}

#[tokio::test]
async fn a_score_chosen_in_the_email_opens_the_survey_with_it_selected_and_stores_nothing_until_sent() {
    let app = App::in_memory(Clock::default());
    let p = published(&app, None).await;
    let token = personal_link(&app, &p, Some(Lang::Fi)).await;
    let opened = |score: &str| {
        request("GET", &token, "en", &[]).with_query_string_parameters(HashMap::from([("score".to_string(), score.to_string())]))
    };
    // a mail scanner opening every link of the row stores nothing
    for n in 0..=10 {
        assert_eq!(page(&app, opened(&n.to_string())).await.0, 200);
    }
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0);
    let (_, body) = page(&app, opened("7")).await;
    assert!(body.contains(r#"name="nps" value="7" checked"#), "7 is chosen: {body}");
    assert_eq!(body.matches("checked").count(), 1, "and nothing else");
    assert!(body.contains(r#"<input type="hidden" name="via" value="scale">"#), "the page says it was opened from the row");
    let (_, body) = page(&app, opened("11")).await;
    assert!(!body.contains("checked"), "a score off the scale chooses nothing");
    assert!(body.contains(r#"<input type="hidden" name="via" value="button">"#), "as from the button");
    // the respondent's own submission stores it, with where they came from
    let mut sent = answers("7");
    sent.push(("via", "scale"));
    assert_eq!(page(&app, request("POST", &token, "en", &sent)).await.0, 200);
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 1);
    let (stored, _) = app.aws.list_responses(&p.id, None, 10).await.unwrap();
    assert_eq!(stored[0].via, Some(pulse_shared::domain::response::Via::Scale));
}

/// The value of the hidden field `name` on a page.
fn hidden(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!(r#"<input type="hidden" name="{name}" value=""#))? + name.len() + 36;
    Some(body[at..at + body[at..].find('"')?].to_string())
}

/// The answers of an assessment's first step (communication).
const STEP_ONE: [(&str, &str); 3] = [("comm_frequency", "weekly"), ("comm_channels", "email"), ("comm_met", "4")];

#[tokio::test]
async fn the_assessment_goes_step_by_step_carrying_the_answers_and_stores_only_the_last_steps_send() {
    let app = App::in_memory(Clock::default());
    let p = app
        .aws
        .published_project_of(
            pulse_shared::domain::project::Kind::Assessment,
            json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["fi", "en"] }),
        )
        .await;
    let token = anon(&app, &p).await;
    let (status, body) = page(&app, request("GET", &token, "en", &[])).await;
    assert_eq!(status, 200);
    let total: usize = body.split(r#"id="step-progress">Step 1 of "#).nth(1).and_then(|r| r.split('<').next()).unwrap().parse().unwrap();
    assert!(total >= 5, "one step per area: {total}");
    let ft = hidden(&body, "ft").expect("the form token");
    // Next with the step's required question unanswered: the step again, with its error only
    let form = with(&[("lang", "en"), ("at", "1"), ("step", "next"), ("comm_met", "4")], &ft);
    let (status, body) = page(&app, request("POST", &token, "en", &form)).await;
    assert_eq!(status, 422);
    assert!(body.contains("Step 1 of") && body.contains(r#"id="err-comm_frequency""#), "{body}");
    assert!(!body.contains(r#"id="err-nps""#), "the later steps are not checked yet");
    assert!(body.contains(r#"name="comm_met" value="4" checked"#));
    // answered: step 2, the first step's answers carried along
    let mut form = with(&STEP_ONE, &ft);
    form.extend([("lang", "en"), ("at", "1"), ("step", "next")]);
    let (status, body) = page(&app, request("POST", &token, "en", &form)).await;
    assert_eq!(status, 200);
    assert!(body.contains(&format!("Step 2 of {total}")), "{body}");
    assert_eq!(hidden(&body, "at").as_deref(), Some("2"));
    assert_eq!(hidden(&body, "comm_frequency").as_deref(), Some("weekly"));
    assert_eq!(hidden(&body, "ft").as_deref(), Some(ft.as_str()), "the form keeps its token");
    // the language switch on step 2 stays on step 2
    let mut switch = with(&STEP_ONE, &ft);
    switch.extend([("lang", "en"), ("at", "2"), ("action_satisfaction", "5"), ("switch_lang", "fi")]);
    let (status, body) = page(&app, request("POST", &token, "en", &switch)).await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<html lang="fi""#) && body.contains(&format!("Vaihe 2/{total}")), "{body}");
    assert!(body.contains(r#"name="action_satisfaction" value="5" checked"#));
    // back: step 1 with its answers chosen, nothing checked
    let mut back = with(&STEP_ONE, &ft);
    back.extend([("lang", "en"), ("at", "2"), ("step", "back")]);
    let (status, body) = page(&app, request("POST", &token, "en", &back)).await;
    assert_eq!(status, 200);
    assert!(body.contains("Step 1 of") && body.contains(r#"name="comm_frequency" value="weekly" checked"#));
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 0, "nothing is stored on the way");
    // the last step's Send with every answer: stored
    let survey = pulse_shared::domain::survey::generate(&p.id, p.kind, &p.settings, 1);
    let mut all: Vec<(String, String)> = pulse_shared::domain::steps::steps(&survey, &[])
        .iter()
        .flat_map(|s| s.questions.iter())
        .filter(|q| q.required)
        .map(|q| {
            let value = match &q.answering {
                pulse_shared::domain::survey::Answering::Scale { max, .. } => max.to_string(),
                pulse_shared::domain::survey::Answering::Single { choices }
                | pulse_shared::domain::survey::Answering::Multi { choices } => choices[0].value.clone(),
                pulse_shared::domain::survey::Answering::Text { .. } => "Fine".into(),
            };
            (q.id.clone(), value)
        })
        .collect();
    all.extend([("lang".into(), "en".into()), ("at".into(), total.to_string()), ("step".into(), "send".into()), ("ft".into(), ft.clone())]);
    let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(page(&app, request("POST", &token, "en", &all)).await.0, 200);
    assert_eq!(app.aws.response_count(&p.id).await.unwrap(), 1);
}

#[tokio::test]
async fn a_complete_post_without_steps_still_stores_an_assessment_and_a_refused_one_shows_the_step_of_its_first_problem() {
    let app = App::in_memory(Clock::default());
    let p = app
        .aws
        .published_project_of(
            pulse_shared::domain::project::Kind::Assessment,
            json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"] }),
        )
        .await;
    let token = personal_link(&app, &p, None).await;
    let mut form: Vec<(&str, &str)> = STEP_ONE.to_vec();
    form.extend([("action_satisfaction", "5"), ("action_relevance", "4"), ("confidence", "5"), ("nps", "9"), ("csat", "5"), ("ces", "6")]);
    let (status, body) = page(&app, request("POST", &token, "en", &form)).await;
    assert_eq!(status, 422);
    assert!(body.contains("Step 2 of") && body.contains(r#"id="err-action_timeliness""#), "{body}");
    assert_eq!(hidden(&body, "nps").as_deref(), Some("9"), "the other answers go along");
    form.push(("action_timeliness", "3"));
    assert_eq!(page(&app, request("POST", &token, "en", &form)).await.0, 200);
    let (stored, _) = app.aws.list_responses(&p.id, None, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].via, None, "a post without the page's channel records none");
}

#[tokio::test]
async fn saying_yes_to_a_follow_up_without_a_contact_asks_how_to_reach_the_respondent_then_stores_it() {
    let app = App::in_memory(Clock::default());
    let p = app
        .aws
        .published_project(json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"],
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } }))
        .await;
    let token = personal_link(&app, &p, None).await;
    let (_, body) = page(&app, request("GET", &token, "en", &[])).await;
    assert!(body.contains(r#"name="follow_up""#) && !body.contains("follow_up_contact"), "no contact question before a yes");
    let mut form = answers("9");
    form.push(("follow_up", "yes"));
    let (status, body) = page(&app, request("POST", &token, "en", &form)).await;
    assert_eq!(status, 422, "nothing stored yet");
    assert!(body.contains(r#"id="follow_up_contact""#) && body.contains("We use it only to answer you."), "{body}");
    assert!(body.contains("You asked us to contact you"), "the page says why it came back");
    assert!(!body.contains("class=\"summary\""), "saying yes is no mistake");
    assert!(body.contains(r#"name="follow_up" value="yes" checked"#));
    // the field left empty is a mistake now
    form.push(("follow_up_contact", ""));
    let (status, body) = page(&app, request("POST", &token, "en", &form)).await;
    assert_eq!(status, 422);
    assert!(body.contains(r#"id="err-follow_up_contact""#), "{body}");
    form.pop();
    form.push(("follow_up_contact", "+358 40 123 4567"));
    assert_eq!(page(&app, request("POST", &token, "en", &form)).await.0, 200);
    let (stored, _) = app.aws.list_responses(&p.id, None, 10).await.unwrap();
    assert_eq!(stored[0].answers["follow_up_contact"], pulse_shared::domain::survey::Answer::Text("+358 40 123 4567".into()));
}
