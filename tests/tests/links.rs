//! Survey links end to end: a survey closed and reopened, the anonymous
//! link replaced, personal links that expire after the project's
//! `personal_link_days`. Each refusal is a translated page without a form,
//! and stores (and charges) nothing.

use pulse_tests::{complete_answers, TestStack};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn project(extra: Value) -> Value {
    let mut body = json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en", "de"] } });
    pulse_shared::domain::project::merge_patch(&mut body, &json!({ "settings": extra }));
    body
}

fn contact() -> Value {
    json!({ "email": "anna@example.fi", "first_name": "Anna", "last_name": "Virtanen" })
}

async fn count(t: &TestStack, id: &str) -> u64 {
    t.responses(id).await["count"].as_u64().expect("count")
}

/// A page's status and text, in the language `accept` asks for.
async fn page(t: &TestStack, path: &str, accept: &str) -> (StatusCode, String) {
    let r = t.http.get(t.url(path)).header("accept-language", accept).send().await.expect("page");
    (r.status(), r.text().await.expect("page text"))
}

async fn post(t: &TestStack, method_path: &str) -> (StatusCode, Value) {
    let r = t.admin(Method::POST, method_path).send().await.expect("admin post");
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

/// Moves the stack's clock forward.
async fn days_pass(t: &TestStack, days: u64) {
    let r = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": days * 86_400 })).send().await.expect("clock");
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_survey_turns_every_link_away_until_it_is_reopened() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(project(json!({}))).await;
    let personal = t.personal_link(&id, contact()).await;
    let answers = complete_answers(&survey);
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    assert_eq!(count(&t, &id).await, 1);
    let view = t.admin_json(Method::GET, &format!("/admin/projects/{id}"), None).await;
    assert_eq!((view["closed"].clone(), view["closed_at"].clone()), (json!(false), Value::Null));

    // someone opens the form (a warm function keeps the link) just before the close
    let form_token = t.form_token(&anon).await.expect("the open survey's form token");
    let (status, closed) = post(&t, &format!("/admin/projects/{id}/close")).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["closed"], true);
    assert!(closed["closed_at"].is_string(), "{closed}");
    let (status, again) = post(&t, &format!("/admin/projects/{id}/close")).await;
    assert_eq!(
        (status, &again["closed_at"], &again["revision"]),
        (StatusCode::OK, &closed["closed_at"], &closed["revision"]),
        "closing twice is harmless"
    );
    let view = t.admin_json(Method::GET, &format!("/admin/projects/{id}"), None).await;
    assert_eq!((view["closed"].clone(), view["closed_at"].clone()), (json!(true), closed["closed_at"].clone()));

    // every link says so (a page within a moment), in the respondent's
    // language, without a form
    t.until_pages_see_changes().await;
    let (status, de) = page(&t, &anon, "de-DE,de;q=0.9").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(de.contains("<html lang=\"de\">") && de.contains("<h1>Diese Umfrage ist geschlossen</h1>"), "{de}");
    assert!(!de.contains("<form") && !de.contains("<script"), "no form, no script: {de}");
    let (status, en) = page(&t, &format!("{anon}?lang=en"), "de").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(en.contains("<html lang=\"en\">") && en.contains("This survey is closed") && en.contains("name=\"viewport\""), "{en}");
    let (status, mine) = page(&t, &personal, "en").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(mine.contains("This survey is closed"), "{mine}");

    // nothing is stored: not the form opened before the close, not a personal link's
    let mut late = answers.clone();
    late.push(("ft".into(), form_token));
    let r = t.post_raw(&anon, &late).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(r.text().await.unwrap().contains("This survey is closed"));
    let r = t.post_form(&personal, &answers).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert_eq!(count(&t, &id).await, 1, "a closed survey stores nothing");

    let (status, open) = post(&t, &format!("/admin/projects/{id}/reopen")).await;
    assert_eq!((status, &open["closed"], &open["closed_at"]), (StatusCode::OK, &json!(false), &Value::Null), "{open}");
    let (status, again) = post(&t, &format!("/admin/projects/{id}/reopen")).await;
    assert_eq!((status, &again["revision"]), (StatusCode::OK, &open["revision"]), "reopening an open survey changes nothing");
    t.until_pages_see_changes().await;
    let (status, form) = page(&t, &anon, "de").await;
    assert!(status == StatusCode::OK && form.contains("<form"), "{form}");
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    assert_eq!(t.submit(&personal, &answers).await, StatusCode::OK);
    assert_eq!(count(&t, &id).await, 3);

    let (status, e) = post(&t, "/admin/projects/nope/close").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_anonymous_link_retires_the_old_one_at_once() {
    let t = TestStack::start().await;
    let (id, old, survey) = t.open_project(project(json!({}))).await;
    let answers = complete_answers(&survey);
    // a page of the old link open (and kept by a warm function) during the rotation
    let old_token = t.form_token(&old).await.expect("form token");

    let (status, rotated) = post(&t, &format!("/admin/projects/{id}/anonymous-link")).await;
    assert_eq!(status, StatusCode::CREATED, "{rotated}");
    let new = rotated["anonymous_link"].as_str().unwrap().strip_prefix(&t.stack.base_url).unwrap().to_string();
    assert_ne!(new, old);
    let view = t.admin_json(Method::GET, &format!("/admin/projects/{id}"), None).await;
    assert_eq!(view["anonymous_link"], rotated["anonymous_link"]);

    // a submission through the old link stores nothing at once, and its
    // page is gone within a moment
    let mut late = answers.clone();
    late.push(("ft".into(), old_token));
    assert_eq!(t.post_raw(&old, &late).await.status(), StatusCode::NOT_FOUND);
    t.until_pages_see_changes().await;
    let (status, gone) = page(&t, &old, "en").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    assert_eq!(count(&t, &id).await, 0, "the old link stores nothing");

    let (status, form) = page(&t, &new, "en").await;
    assert!(status == StatusCode::OK && form.contains("<form"), "{form}");
    assert_eq!(t.submit(&new, &answers).await, StatusCode::OK);
    assert_eq!(count(&t, &id).await, 1);

    // a repeated request rotates again; there is always exactly one working link
    let (status, again) = post(&t, &format!("/admin/projects/{id}/anonymous-link")).await;
    assert_eq!(status, StatusCode::CREATED);
    let newest = again["anonymous_link"].as_str().unwrap().strip_prefix(&t.stack.base_url).unwrap().to_string();
    t.until_pages_see_changes().await;
    assert_eq!(page(&t, &new, "en").await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&t, &newest, "en").await.0, StatusCode::OK);
    assert_eq!(t.submit(&newest, &answers).await, StatusCode::OK);
    assert_eq!(count(&t, &id).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_links_expire_after_the_projects_days_and_anonymous_ones_never() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(project(json!({}))).await;
    let (long, _, _) = t.open_project(project(json!({ "personal_link_days": 90 }))).await;
    let view = t.admin_json(Method::GET, &format!("/admin/projects/{id}"), None).await;
    assert_eq!(view["settings"]["personal_link_days"], 60, "the default");
    let mine = t.personal_link(&id, contact()).await;
    let theirs = t.personal_link(&long, contact()).await;
    let answers = complete_answers(&survey);
    let (status, _) = page(&t, &mine, "en").await;
    assert_eq!(status, StatusCode::OK, "a new link works");

    days_pass(&t, 61).await;
    let (status, expired) = page(&t, &mine, "en").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(expired.contains("<h1>This link has expired</h1>") && expired.contains("whoever sent you the link"), "{expired}");
    assert!(!expired.contains("<form"), "{expired}");
    let (_, de) = page(&t, &format!("{mine}?lang=de"), "en").await;
    assert!(de.contains("<html lang=\"de\">") && de.contains("Dieser Link ist abgelaufen"), "{de}");
    let r = t.post_form(&mine, &answers).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(r.text().await.unwrap().contains("This link has expired"));
    assert_eq!(count(&t, &id).await, 0, "an expired link stores nothing");

    // the anonymous link does not expire; a project allowing 90 days keeps its link
    assert_eq!(t.submit(&anon, &answers).await, StatusCode::OK);
    assert_eq!(count(&t, &id).await, 1);
    let (status, form) = page(&t, &theirs, "en").await;
    assert!(status == StatusCode::OK && form.contains("<form"), "{form}");
    assert_eq!(t.submit(&theirs, &answers).await, StatusCode::OK);
    assert_eq!(count(&t, &long).await, 1);

    // more days for the project's links: the link works again at once
    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "personal_link_days": 120 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(t.submit(&mine, &answers).await, StatusCode::OK);
    assert_eq!(count(&t, &id).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_link_days_outside_a_day_to_a_year_are_refused_naming_the_field() {
    let t = TestStack::start().await;
    let p = t.create_project(project(json!({}))).await;
    let id = p["id"].as_str().unwrap();
    for bad in [json!(0), json!(366), json!("x"), json!(-1)] {
        let r = t.admin(Method::POST, "/admin/projects").json(&project(json!({ "personal_link_days": bad }))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], "settings.personal_link_days", "{bad}: {e}");
        let r = t
            .admin(Method::PATCH, &format!("/admin/projects/{id}"))
            .json(&json!({ "settings": { "personal_link_days": bad } }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], "settings.personal_link_days", "{bad}: {e}");
    }
    let list: Value = t.admin_json(Method::GET, "/admin/projects", None).await;
    assert_eq!(list["projects"].as_array().unwrap().len(), 1, "nothing else was stored");
    for good in [1, 365] {
        let r = t
            .admin(Method::PATCH, &format!("/admin/projects/{id}"))
            .json(&json!({ "settings": { "personal_link_days": good } }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{good}");
    }
}

/// Every `LINK#…` item of the core table whose link belongs to `project_id`.
async fn link_items(t: &TestStack, project_id: &str) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    let table = t.config("admin-api").core_table.clone();
    let page = t.stack.aws.dynamodb.scan().table_name(table).send().await.expect("scan");
    assert!(page.last_evaluated_key().is_none(), "the test's table fits one page");
    page.items()
        .iter()
        .filter(|i| i["pk"].as_s().is_ok_and(|pk| pk.starts_with("LINK#")))
        .filter(|i| i.get("project_id").and_then(|v| v.as_s().ok()) == Some(&project_id.to_string()))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_link_kept_in_clear_by_an_earlier_version_still_opens_and_moves_to_its_hash() {
    use aws_sdk_dynamodb::types::AttributeValue;
    let t = TestStack::start().await;
    let (id, _, survey) = t.open_project(project(json!({}))).await;
    t.personal_link(&id, contact()).await;
    // the personal link as an earlier version kept it: under its token, in clear
    let personal = link_items(&t, &id).await.into_iter().find(|i| i["link"].as_s().unwrap().contains("personal")).expect("the link");
    let token = pulse_shared::domain::links::new_token();
    let mut old: serde_json::Map<String, Value> = serde_json::from_str(personal["link"].as_s().unwrap()).unwrap();
    old.remove("id");
    old.insert("token".into(), json!(token));
    let mut legacy = personal.clone();
    legacy.insert("pk".into(), AttributeValue::S(format!("LINK#{token}")));
    legacy.insert("link".into(), AttributeValue::S(Value::Object(old).to_string()));
    let table = t.config("admin-api").core_table.clone();
    t.stack.aws.dynamodb.put_item().table_name(&table).set_item(Some(legacy)).send().await.expect("put");

    let path = format!("/s/{token}");
    assert_eq!(page(&t, &path, "en").await.0, StatusCode::OK, "the emailed link still opens");
    let kept = link_items(&t, &id).await;
    assert!(!kept.iter().any(|i| i["pk"].as_s().unwrap().contains(&token)), "no item holds the token any more");
    assert!(!kept.iter().any(|i| i["link"].as_s().unwrap().contains(&token)));
    assert_eq!(kept.len(), 3, "the anonymous link, the minted one and the moved one");
    assert_eq!(page(&t, &path, "en").await.0, StatusCode::OK, "and opens from its new key");
    assert_eq!(t.submit(&path, &complete_answers(&survey)).await, StatusCode::OK);
    assert_eq!(count(&t, &id).await, 1);

    // an old email's unsubscribe link (the same token) works as well
    let other = pulse_shared::domain::links::new_token();
    let mut again = personal.clone();
    let mut json: serde_json::Map<String, Value> = serde_json::from_str(personal["link"].as_s().unwrap()).unwrap();
    json.remove("id");
    json.insert("token".into(), json!(other));
    again.insert("pk".into(), AttributeValue::S(format!("LINK#{other}")));
    again.insert("link".into(), AttributeValue::S(Value::Object(json).to_string()));
    t.stack.aws.dynamodb.put_item().table_name(&table).set_item(Some(again)).send().await.expect("put");
    let (status, body) = page(&t, &format!("/unsubscribe/{other}"), "en").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!link_items(&t, &id).await.iter().any(|i| i["pk"].as_s().unwrap().contains(&other)), "moved to its hash");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_from_a_score_of_the_invitations_row_has_the_scale_channel_and_the_figures_count_it() {
    let t = TestStack::start().await;
    let (id, _, survey) = t.open_project(project(json!({}))).await;
    let scored = t.personal_link(&id, contact()).await;
    let plain = t.personal_link(&id, json!({ "email": "ben@example.fi", "first_name": "Ben", "last_name": "Nieminen" })).await;

    // a score of the email's 0–10 row: the page opens with it chosen, and
    // says where the respondent came from
    let (status, html) = page(&t, &format!("{scored}?score=9"), "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"nps\" value=\"9\" checked"), "the score is chosen");
    assert_eq!(pulse_tests::hidden_value(&html, "via").as_deref(), Some("scale"));
    let mut answers: Vec<(String, String)> = complete_answers(&survey).into_iter().filter(|(k, _)| k != "nps").collect();
    answers.push(("nps".into(), "9".into()));
    answers.push(("via".into(), "scale".into()));
    assert_eq!(t.submit(&scored, &answers).await, StatusCode::OK);

    // the invitation's button (or its plain link): no score
    let (_, html) = page(&t, &plain, "en").await;
    assert_eq!(pulse_tests::hidden_value(&html, "via").as_deref(), Some("button"));
    let mut answers = complete_answers(&survey);
    answers.push(("via".into(), "button".into()));
    assert_eq!(t.submit(&plain, &answers).await, StatusCode::OK);

    let stored = t.responses(&id).await;
    let via_of = |email: &str| {
        stored["responses"].as_array().unwrap().iter().find(|r| r["contact_email"] == email).map(|r| r["via"].clone()).unwrap()
    };
    assert_eq!(via_of("anna@example.fi"), "scale");
    assert_eq!(via_of("ben@example.fi"), "button");
    let figures = t.admin_json(Method::GET, &format!("/admin/projects/{id}/figures"), None).await;
    assert_eq!(figures["headline"]["responses"], 2, "{figures}");
    assert_eq!(figures["headline"]["via"], json!({ "scale": 1, "button": 1 }), "{figures}");
}

/// The policy's `frame-ancestors` directive of a response.
fn frame_ancestors(r: &reqwest::Response) -> String {
    let csp = r.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    csp.split(';').map(str::trim).find(|d| d.starts_with("frame-ancestors")).unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_website_widget_is_framed_only_by_the_listed_websites_and_its_responses_count_like_the_links() {
    let t = TestStack::start().await;
    let (status, plan) = post_json(&t, "/admin/plans", json!({ "name": "Tiny", "monthly_budget": 1 })).await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    let (status, account) = post_json(&t, "/admin/accounts", json!({ "name": "Kahvila Oy", "plan": "Tiny" })).await;
    assert_eq!(status, StatusCode::CREATED, "{account}");
    let account_id = account["id"].as_str().unwrap();
    let (id, anon, survey) = t.open_project(project(json!({ "account_id": account_id }))).await;
    let embed = format!("{anon}/embed");
    let answers = complete_answers(&survey);

    // no website listed: the widget says so, cannot be framed, stores nothing
    let r = t.http.get(t.url(&embed)).header("accept-language", "de").send().await.unwrap();
    assert_eq!((r.status(), frame_ancestors(&r)), (StatusCode::FORBIDDEN, "frame-ancestors 'none'".to_string()));
    let off = r.text().await.unwrap();
    let de = pulse_shared::domain::i18n::t(pulse_shared::domain::i18n::Lang::De, pulse_shared::domain::i18n::keys::EMBED_OFF_TITLE);
    assert!(off.contains(&de) && off.contains(&format!("href=\"{anon}\"")) && !off.contains("<form"), "{off}");
    let token = t.form_token(&anon).await.expect("the link's form token");
    let mut with_token = answers.clone();
    with_token.push(("ft".into(), token));
    let r = t.post_raw(&embed, &with_token).await;
    assert_eq!((r.status(), frame_ancestors(&r)), (StatusCode::FORBIDDEN, "frame-ancestors 'none'".to_string()));
    assert_eq!(count(&t, &id).await, 0, "a widget that is not enabled stores nothing");

    // bad origins are refused, naming the field and the entry
    for (bad, why) in
        [("https://www.example.com/survey", "path"), ("https://*.example.com", "wildcard"), ("http://www.example.com", "https")]
    {
        let r = t
            .admin(Method::PATCH, &format!("/admin/projects/{id}"))
            .json(&json!({ "settings": { "embed_origins": ["https://ok.example.com", bad] } }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], "settings.embed_origins[1]", "{e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains(&format!("{bad:?}")) && message.contains(why), "{message}");
    }
    let listed = ["https://www.example.com", "https://shop.example.com:8443"];
    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "embed_origins": listed } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    let snippet = view["embed"]["snippet"].as_str().unwrap();
    assert!(
        snippet.starts_with(&format!("<iframe src=\"{}\" title=\"Kahvila Oy: customer survey\" loading=\"lazy\"", t.url(&embed)))
            && snippet.contains("width=\"360\" height=\"600\""),
        "{snippet}"
    );

    // listed: frameable by exactly those websites (within a moment); every
    // other page still by none
    t.until_pages_see_changes().await;
    let r = t.http.get(t.url(&embed)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(frame_ancestors(&r), "frame-ancestors https://www.example.com https://shop.example.com:8443");
    let page = r.text().await.unwrap();
    assert!(page.contains(&format!("action=\"{embed}\"")) && !page.contains("<script"), "the form posts back to the widget: {page}");
    let r = t.http.get(t.url(&anon)).send().await.unwrap();
    assert_eq!(frame_ancestors(&r), "frame-ancestors 'none'", "the link's own page is not frameable");
    let personal = t.personal_link(&id, contact()).await;
    let r = t.http.get(t.url(&format!("{personal}/embed"))).send().await.unwrap();
    assert_eq!(
        (r.status(), frame_ancestors(&r)),
        (StatusCode::NOT_FOUND, "frame-ancestors 'none'".to_string()),
        "a personal link has no widget"
    );

    // a submission through the widget: stored and charged like the link's; its thank-you page frameable too
    let r = t.post_form(&embed, &answers).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(frame_ancestors(&r), "frame-ancestors https://www.example.com https://shop.example.com:8443");
    let thanks = r.text().await.unwrap();
    assert!(thanks.contains("Thank you") && thanks.contains("role=\"status\""), "{thanks}");
    let stored = t.responses(&id).await;
    assert_eq!(stored["count"], 1);
    assert_eq!(stored["responses"][0]["channel"], "anonymous", "{stored:#}");
    let budget = t.admin_json(Method::GET, &format!("/admin/accounts/{account_id}/budget"), None).await;
    assert_eq!(budget["used"], 1, "{budget:#}");
    // the budget of one is used up: the widget says so, framed, and stores nothing
    let r = t.post_form(&embed, &answers).await;
    assert_eq!(
        (r.status(), frame_ancestors(&r)),
        (StatusCode::FORBIDDEN, "frame-ancestors https://www.example.com https://shop.example.com:8443".to_string())
    );
    assert_eq!(count(&t, &id).await, 1);
}

async fn post_json(t: &TestStack, path: &str, body: Value) -> (StatusCode, Value) {
    let r = t.admin(Method::POST, path).json(&body).send().await.expect("admin post");
    (r.status(), r.json().await.unwrap_or(Value::Null))
}
