//! Projects, the generated survey, the respondent page and submission,
//! through the local stack.

use pulse_tests::{complete_answers, form_body, TestStack};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn full_b2c() -> Value {
    json!({
        "kind": "assessment",
        "settings": {
            "organisation_name": "Café Aroma",
            "business_type": "B2C",
            "operational_fields": ["Business Unit", "Region"],
            "demographics": [{ "label": { "en": "Age group", "de": "Altersgruppe" }, "options": ["18–34", "35–54", "55+"] }],
            "b2c": { "measure_in_person": true, "channels": ["Café", "Kiosk"] },
            "resource_page_url": "https://example.com/help",
            "follow_ups": { "enabled": true, "recipients": ["cx@example.com", "lead@example.com"] },
            "notifications": { "rule": { "mode": "every", "n": 50 }, "recipients": ["team@example.com"] },
            "languages": ["en", "de"]
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_keeps_every_setting_and_fills_the_defaults() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    let id = p["id"].as_str().unwrap();
    let got: Value = t.admin(Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json().await.unwrap();
    let s = &got["settings"];
    assert_eq!(got["kind"], "assessment");
    assert_eq!(s["organisation_name"], "Café Aroma");
    assert_eq!(s["operational_fields"], json!(["Business Unit", "Region"]));
    assert_eq!(s["b2c"]["channels"], json!(["Café", "Kiosk"]));
    assert_eq!(s["b2c"]["locations"].as_array().unwrap().len(), 50, "the 50 US states by default");
    assert_eq!(s["follow_ups"]["recipients"], json!(["cx@example.com", "lead@example.com"]));
    assert_eq!(s["notifications"]["rule"], json!({ "mode": "every", "n": 50 }));
    assert_eq!(s["languages"], json!(["en", "de"]));
    assert_eq!(s["resource_page_url"], "https://example.com/help");
    assert!(got["anonymous_link"].as_str().unwrap().starts_with(&format!("{}/s/", t.stack.base_url)));
    assert_eq!(got["published_version"], Value::Null);

    let b2b = t
        .create_project(json!({ "kind": "quick_check_in", "settings": {
            "organisation_name": "Konepaja Oy", "business_type": "B2B",
            "b2b": { "industries": ["Manufacturing", "Energy"], "company_size": { "measure": "revenue" } },
            "notifications": { "rule": { "mode": "once", "n": 150 }, "recipients": ["a@example.com"] } } }))
        .await;
    assert_eq!(b2b["settings"]["b2b"]["company_size"]["bands"].as_array().unwrap().len(), 6);
    assert_eq!(b2b["settings"]["b2b"]["industries"], json!(["Manufacturing", "Energy"]));

    let list: Value = t.admin(Method::GET, "/admin/projects").send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = list["projects"].as_array().unwrap().iter().map(|p| p["organisation_name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Café Aroma") && names.contains(&"Konepaja Oy"));

    // a change is a merge patch of the draft
    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "organisation_name": "Café Aroma GmbH", "notifications": { "rule": { "mode": "off" }, "recipients": [] } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["settings"]["organisation_name"], "Café Aroma GmbH");
    assert_eq!(changed["settings"]["notifications"]["rule"], json!({ "mode": "off" }));
    assert_eq!(changed["settings"]["follow_ups"]["recipients"].as_array().unwrap().len(), 2, "untouched settings stay");
    assert_eq!(changed["revision"], got["revision"].as_u64().unwrap() + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_that_break_a_rule_are_refused_naming_the_field() {
    let t = TestStack::start().await;
    let bad = |patch: Value| {
        let mut body = full_b2c();
        pulse_shared::domain::project::merge_patch(&mut body, &patch);
        body
    };
    let eleven: Vec<String> = (0..11).map(|i| format!("r{i}@example.com")).collect();
    let cases = [
        (bad(json!({ "settings": { "follow_ups": { "recipients": eleven } } })), "settings.follow_ups.recipients"),
        (
            bad(json!({ "settings": { "follow_ups": { "recipients": ["cx@example.com", "not an address"] } } })),
            "settings.follow_ups.recipients[1]",
        ),
        (bad(json!({ "settings": { "demographics": [{ "label": { "en": "Region" } }] } })), "settings.demographics[0].label"),
        (bad(json!({ "settings": { "business_type": "B2X" } })), "settings.business_type"),
        (bad(json!({ "settings": { "colour": "red" } })), "settings"),
        (bad(json!({ "kind": "marathon" })), "kind"),
        (bad(json!({ "settings": { "notifications": { "rule": { "mode": "every", "n": 0 } } } })), "settings.notifications.rule.n"),
        (bad(json!({ "settings": { "languages": ["sv"] } })), "settings.languages[0]"),
        (bad(json!({ "settings": { "resource_page_url": "help page" } })), "settings.resource_page_url"),
    ];
    for (body, field) in cases {
        let r = t.admin(Method::POST, "/admin/projects").json(&body).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{field}");
        let e: Value = r.json().await.unwrap();
        assert!(e["field"].as_str().unwrap_or_default().starts_with(field), "expected {field}, got {e}");
        assert!(!e["request_id"].as_str().unwrap().is_empty());
    }
    let list: Value = t.admin(Method::GET, "/admin/projects").send().await.unwrap().json().await.unwrap();
    assert_eq!(list["projects"], json!([]), "nothing was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kind_is_fixed_at_creation() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    let id = p["id"].as_str().unwrap();
    let r = t.admin(Method::PATCH, &format!("/admin/projects/{id}")).json(&json!({ "kind": "quick_check_in" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let e: Value = r.json().await.unwrap();
    assert!(e["message"].as_str().unwrap().contains("create another project"), "{e}");
    // repeating the same kind is fine; a stale revision is refused
    let r = t.admin(Method::PATCH, &format!("/admin/projects/{id}")).json(&json!({ "kind": "assessment" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "revision": 1, "settings": { "organisation_name": "X" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let got: Value = t.admin(Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(got["kind"], "assessment");
    assert_eq!(got["settings"]["organisation_name"], "Café Aroma");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_logo_is_checked_stored_and_shown_on_the_survey_page() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    let id = p["id"].as_str().unwrap();
    let path = format!("/admin/projects/{id}/logo");
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();

    let gif = t.admin(Method::PUT, &path).header("content-type", "image/gif").body(b"GIF89a....".to_vec()).send().await.unwrap();
    assert_eq!(gif.status(), StatusCode::BAD_REQUEST);
    assert!(gif.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("image/png"));
    let big = [png.clone(), vec![0u8; 1024 * 1024]].concat();
    let r = t.admin(Method::PUT, &path).header("content-type", "image/png").body(big).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let lying = t.admin(Method::PUT, &path).header("content-type", "image/png").body(b"<svg></svg>".to_vec()).send().await.unwrap();
    assert_eq!(lying.status(), StatusCode::BAD_REQUEST);
    let script = t
        .admin(Method::PUT, &path)
        .header("content-type", "image/svg+xml")
        .body(b"<svg onload=\"alert(1)\"></svg>".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::BAD_REQUEST);

    let r = t.admin(Method::PUT, &path).header("content-type", "image/png").body(png.clone()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let got: Value = r.json().await.unwrap();
    let logo_url = got["logo_url"].as_str().unwrap();
    let fetched = t.http.get(logo_url).send().await.unwrap();
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(fetched.bytes().await.unwrap().to_vec(), png);

    t.publish(id).await;
    let page = t.http.get(p["anonymous_link"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<img src=\""), "{page}");
    assert!(page.contains("alt=\"Café Aroma logo\""));

    // a logo replaced after publishing (the README's order) shows within a
    // moment, without publishing again
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>".to_vec();
    let r = t.admin(Method::PUT, &path).header("content-type", "image/svg+xml").body(svg).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let new_url = r.json::<Value>().await.unwrap()["logo_url"].as_str().unwrap().to_string();
    let new_path = new_url.strip_prefix(&t.stack.base_url).unwrap().to_string();
    t.until_pages_see_changes().await;
    let page = t.http.get(p["anonymous_link"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("<img src=\"{new_path}\"")), "the new logo {new_path}: {page}");

    // a browser that takes gzip gets the page gzipped, through the gateway as through API Gateway
    let r = t.http.get(p["anonymous_link"].as_str().unwrap()).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let bytes = r.bytes().await.unwrap();
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut unzipped).unwrap();
    assert!(
        unzipped.contains(&format!("<img src=\"{new_path}\"")) && unzipped.len() > bytes.len() * 2,
        "{} → {}",
        unzipped.len(),
        bytes.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logos_are_served_by_pulse_sandboxed_and_only_under_their_own_project() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    let id = p["id"].as_str().unwrap();
    let other = t.create_project(full_b2c()).await;
    let other_id = other["id"].as_str().unwrap();
    // an editor's attribute, which the upload leaves out
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect data-editor="x" width="120" height="40" fill="#102a43"/></svg>"##;
    let sanitised = pulse_shared::domain::logo::check_logo("image/svg+xml", svg).unwrap().bytes;
    assert!(!String::from_utf8_lossy(&sanitised).contains("data-editor"));
    let upload = |project: &str| {
        t.admin(Method::PUT, &format!("/admin/projects/{project}/logo")).header("content-type", "image/svg+xml").body(svg.to_vec()).send()
    };
    let got: Value = upload(id).await.unwrap().json().await.unwrap();
    let logo_url = got["logo_url"].as_str().unwrap();
    assert!(
        logo_url.starts_with(&t.url(&format!("/logo/{id}/"))) && logo_url.ends_with(".svg"),
        "the admin view links Pulse's route: {logo_url}"
    );
    let file = logo_url.rsplit('/').next().unwrap().to_string();
    let other_logo: Value = upload(other_id).await.unwrap().json().await.unwrap();
    let other_file = other_logo["logo_url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();

    // the survey page shows it from its own origin, which its policy allows
    t.publish(id).await;
    let page = t.http.get(p["anonymous_link"].as_str().unwrap()).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("img-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    let src = html.split("<img src=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the page shows the logo");
    assert_eq!(src, format!("/logo/{id}/{file}"));

    let logo = t.http.get(t.url(src)).send().await.unwrap();
    assert_eq!(logo.status(), StatusCode::OK);
    let header = |name: &str| logo.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert_eq!(header("content-type"), "image/svg+xml");
    assert_eq!(header("content-disposition"), "inline; filename=\"logo.svg\"");
    assert_eq!(header("content-security-policy"), "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("cache-control"), "public, max-age=3600");
    assert_eq!(logo.bytes().await.unwrap().to_vec(), sanitised, "the SVG as written anew at the upload");

    // another project's logo under its own project only; nothing outside logos/
    let ok = t.http.get(t.url(&format!("/logo/{other_id}/{other_file}"))).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let stem = file.trim_end_matches(".svg");
    for path in [
        format!("/logo/{id}/{other_file}"),
        format!("/logo/{other_id}/{file}"),
        format!("/logo/{id}/{stem}.png"),
        format!("/logo/{id}/{stem}"),
        format!("/logo/nope/{file}"),
        format!("/logo/{id}/..%2F..%2Flogos%2F{other_id}%2F{other_file}"),
        format!("/logo/..%2Flogos%2F{id}/{file}"),
        format!("/logo/{id}/..%2F..%2Fuploads%2F{id}%2Fcontacts.svg"),
    ] {
        let r = t.http.get(t.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn respondents_see_only_published_versions_and_responses_record_theirs() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    let id = p["id"].as_str().unwrap();
    let anon = p["anonymous_link"].as_str().unwrap().strip_prefix(&t.stack.base_url).unwrap().to_string();

    // not published yet: the friendly not-found page
    let r = t.http.get(t.url(&anon)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let v1 = t.publish(id).await;
    assert_eq!(v1["version"], 1);
    t.admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "organisation_name": "Draft Name" } }))
        .send()
        .await
        .unwrap();
    t.until_pages_see_changes().await;
    let page = t.http.get(t.url(&anon)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Café Aroma") && !page.contains("Draft Name"), "the draft is not shown");

    let answers = complete_answers(&v1["survey"]);
    let r = t.post_form(&anon, &answers).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Thank you"));

    let v2 = t.publish(id).await;
    assert_eq!(v2["version"], 2);
    t.until_pages_see_changes().await;
    let page = t.http.get(t.url(&anon)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Draft Name"));
    let r = t.post_form(&anon, &complete_answers(&v2["survey"])).await;
    assert_eq!(r.status(), StatusCode::OK);

    let stored = t.responses(id).await;
    assert_eq!(stored["count"], 2);
    let mut versions: Vec<u64> = stored["responses"].as_array().unwrap().iter().map(|r| r["version"].as_u64().unwrap()).collect();
    versions.sort();
    assert_eq!(versions, vec![1, 2]);
    let v1_survey: Value =
        t.admin(Method::GET, &format!("/admin/projects/{id}/survey?version=1")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v1_survey["organisation_name"], "Café Aroma", "published versions are frozen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_personal_link_takes_one_response_with_the_contacts_embedded_data() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    let id = p["id"].as_str().unwrap();
    let published = t.publish(id).await;
    let link = t
        .personal_link(
            id,
            json!({ "email": "anna@example.fi", "first_name": "Anna", "last_name": "Virtanen",
            "fields": { "Business Unit": "Retail North", "Region": "Uusimaa" }, "language": "de" }),
        )
        .await;
    let token = link.trim_start_matches("/s/");
    assert!(token.len() >= 22, "at least 128 bits of randomness");

    let page = t.http.get(t.url(&link)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<html lang=\"de\">"), "the contact's language");
    assert!(!page.contains("Business Unit") && !page.contains("Retail North"), "operational fields are never asked");

    let mut answers = complete_answers(&published["survey"]);
    answers.push(("needs".into(), "<script>alert('x')</script> more staff".into()));
    answers.retain(|(k, v)| k != "needs" || v.contains("script"));
    let r = t.post_form(&link, &answers).await;
    assert_eq!(r.status(), StatusCode::OK);

    // an identical retry stores nothing new and thanks again
    let r = t.post_form(&link, &answers).await;
    assert_eq!(r.status(), StatusCode::OK);
    // a different second submission is told the link was used
    let mut other = answers.clone();
    other.iter_mut().filter(|(k, _)| k == "nps").for_each(|(_, v)| *v = "3".into());
    let r = t.post_form(&link, &other).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("Bereits beantwortet"));
    // and so is a visit
    let page = t.http.get(t.url(&link)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Bereits beantwortet"));

    let stored = t.responses(id).await;
    assert_eq!(stored["count"], 1);
    let r = &stored["responses"][0];
    assert_eq!(r["embedded"], json!({ "Business Unit": "Retail North", "Region": "Uusimaa" }));
    assert_eq!(r["contact_email"], "anna@example.fi");
    assert_eq!(r["channel"], "personal");
    assert_eq!(r["version"], 1);
    assert_eq!(r["language"], "de");
    assert_eq!(r["answers"]["nps"], 10);
    assert_eq!(r["answers"]["needs"], "<script>alert('x')</script> more staff", "open text is stored as given");

    let unknown_field = t
        .admin(Method::POST, &format!("/admin/projects/{id}/links"))
        .json(&json!({ "email": "b@example.com", "first_name": "B", "last_name": "C", "fields": { "BusinessUnit": "x" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_field.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unknown_field.json::<Value>().await.unwrap()["field"], "fields.BusinessUnit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_submissions_of_one_personal_link_store_exactly_one_response() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    let id = p["id"].as_str().unwrap();
    let published = t.publish(id).await;
    let link = t.personal_link(id, json!({ "email": "c@example.com", "first_name": "C", "last_name": "D" })).await;
    let answers = complete_answers(&published["survey"]);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let client = t.http.clone();
        let url = t.url(&link);
        let mut a = answers.clone();
        a.iter_mut().filter(|(k, _)| k == "nps").for_each(|(_, v)| *v = (i % 11).to_string());
        let body = form_body(&a);
        tasks.push(tokio::spawn(async move {
            client.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap().status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
    let stored = t.responses(id).await;
    assert_eq!(stored["count"], 1);
    assert_eq!(stored["responses"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_answers_re_render_the_page_with_answers_kept_and_errors_in_place() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(full_b2c()).await;
    let mut answers = complete_answers(&survey);
    answers.retain(|(k, _)| k != "csat");
    answers.iter_mut().filter(|(k, _)| k == "ces").for_each(|(_, v)| *v = "9".into());
    answers.push(("follow_up".into(), "yes".into()));
    answers.iter_mut().filter(|(k, _)| k == "needs").for_each(|(_, v)| *v = "Kept <b>text</b>".into());
    let r = t.post_form(&anon, &answers).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // the assessment's step with the first problems: the overall experience
    let page = r.text().await.unwrap();
    for q in ["csat", "ces"] {
        assert!(page.contains(&format!("id=\"err-{q}\"")), "no error next to {q}");
        assert!(page.contains(&format!("href=\"#q-{q}\"")), "no summary link to {q}");
    }
    assert!(!page.contains("err-follow_up_contact"), "a yes with no contact field yet is no mistake");
    assert!(page.contains("name=\"needs\" value=\"Kept &lt;b&gt;text&lt;/b&gt;\""), "answers are kept, escaped");
    assert!(page.contains("name=\"nps\" value=\"10\" checked"));
    // those answered, the contact step is next; left empty, it is a mistake
    answers.retain(|(k, _)| k != "ces");
    answers.extend([("csat".into(), "5".into()), ("ces".into(), "7".into())]);
    let r = t.post_form(&anon, &answers).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"follow_up_contact\"") && !page.contains("err-follow_up_contact"), "{page}");
    answers.push(("follow_up_contact".into(), String::new()));
    let page = t.post_form(&anon, &answers).await.text().await.unwrap();
    assert!(page.contains("id=\"err-follow_up_contact\"") && page.contains("href=\"#q-follow_up_contact\""), "{page}");
    assert!(page.contains("Kept &lt;b&gt;text&lt;/b&gt;"), "answers are kept, escaped");
    assert_eq!(t.responses(&id).await["count"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_speaks_the_respondents_language() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    t.publish(p["id"].as_str().unwrap()).await;
    let anon = p["anonymous_link"].as_str().unwrap();
    let de = t.http.get(anon).header("accept-language", "de-DE,de;q=0.9,en;q=0.5").send().await.unwrap().text().await.unwrap();
    // the assessment's first step goes on with "Next"
    assert!(de.contains("<html lang=\"de\">") && de.contains("Weiter"));
    let en = t.http.get(format!("{anon}?lang=en")).header("accept-language", "de").send().await.unwrap().text().await.unwrap();
    assert!(en.contains("<html lang=\"en\">") && en.contains("Next"));
    let fallback = t.http.get(anon).header("accept-language", "fi").send().await.unwrap().text().await.unwrap();
    assert!(fallback.contains("<html lang=\"en\">"));
    assert!(fallback.contains("https://example.com/help"), "the resource page link ends the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_anonymous_post_of_one_form_is_stored_once() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(full_b2c()).await;
    // one page view, its form sent twice (a double click, a retried request)
    let mut answers = complete_answers(&survey);
    answers.push(("ft".into(), t.form_token(&anon).await.expect("the page carries a form token")));
    assert_eq!(t.post_form(&anon, &answers).await.status(), StatusCode::OK);
    assert_eq!(t.post_form(&anon, &answers).await.status(), StatusCode::OK);
    // another page view is another response
    answers.pop();
    assert_eq!(t.post_form(&anon, &answers).await.status(), StatusCode::OK);
    assert_eq!(t.responses(&id).await["count"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_links_and_bodies_get_friendly_clear_answers() {
    let t = TestStack::start().await;
    let p = t.create_project(full_b2c()).await;
    t.publish(p["id"].as_str().unwrap()).await;
    let anon = p["anonymous_link"].as_str().unwrap().strip_prefix(&t.stack.base_url).unwrap().to_string();
    let unknown = "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let tampered = format!("{}x", anon);
    let pages: Vec<String> = futures_pages(&t, &[unknown, &tampered, "/s/short", "/s/%3Cscript%3E"]).await;
    assert!(pages.windows(2).all(|w| w[0] == w[1]), "every bad token gets the same page");
    assert!(pages[0].contains("This link does not lead to a survey"));

    let r = t
        .http
        .post(t.url(&anon))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 64 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("Your answers were not accepted"), "the friendly page, not a JSON error");
    let refusals = t.admin_json(Method::GET, &format!("/admin/projects/{}/refusals", p["id"].as_str().unwrap()), None).await;
    assert_eq!(refusals["total"]["too_large"], 1, "{refusals:#}");
    let r = t
        .http
        .post(t.url(&anon))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'n', b'p', b's', b'=', 0xff, 0xfe])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let openapi = t.admin(Method::GET, "/admin/openapi.json").send().await.unwrap();
    assert_eq!(openapi.status(), StatusCode::OK);
    let doc: Value = openapi.json().await.unwrap();
    assert!(doc["paths"]["/admin/projects/{id}/publish"]["post"].is_object());
    let r = t.admin(Method::DELETE, "/admin/projects").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
}

async fn futures_pages(t: &TestStack, paths: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for p in paths {
        let r = t.http.get(t.url(p)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{p}");
        out.push(r.text().await.unwrap());
    }
    out
}

/// The DynamoDB calls `submit-response` made since the last look.
fn submit_calls(t: &TestStack) -> Vec<(String, u64)> {
    let usage = t.calls.as_ref().expect("a stack counting calls").take();
    usage
        .into_iter()
        .filter(|(k, _)| k.function == "submit-response" && k.service == "DynamoDB")
        .map(|(k, u)| (k.operation, u.calls))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_submission_is_one_window_round_and_one_transaction_and_a_changed_project_is_read_again() {
    let t = TestStack::start_counting_calls().await;
    let (id, anon, v1) = t.open_project(full_b2c()).await;
    let answers = complete_answers(&v1);

    // the page view reads the link, the project and the version...
    let r = t.http.get(t.url(&anon)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let view = submit_calls(&t);
    assert!(view.iter().any(|(op, _)| op == "GetItem"), "{view:?}");
    // ...so the submission after it is the sliding windows' one round (two
    // counters added, two read, together) and its one transaction
    let windows_and_transaction = vec![("GetItem".to_string(), 2), ("TransactWriteItems".to_string(), 1), ("UpdateItem".to_string(), 2)];
    let sorted = |mut v: Vec<(String, u64)>| {
        v.sort();
        v
    };
    for _ in 0..2 {
        let mut form = answers.clone();
        form.push(("ft".into(), t.form_token(&anon).await.unwrap()));
        submit_calls(&t);
        assert_eq!(t.post_raw(&anon, &form).await.status(), StatusCode::OK);
        assert_eq!(sorted(submit_calls(&t)), windows_and_transaction, "every warm submission");
    }

    // a new version is published while the warm function still holds the
    // project at its old revision: the transaction notices, stores
    // nothing, and the submission is made again against the new version
    let mut opened = answers.clone();
    opened.push(("ft".into(), t.form_token(&anon).await.unwrap()));
    t.admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "organisation_name": "Café Aroma Oy" } }))
        .send()
        .await
        .unwrap();
    let v2 = t.publish(&id).await;
    assert_eq!(v2["version"], 2);
    submit_calls(&t);
    let r = t.post_raw(&anon, &opened).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Café Aroma Oy"), "the thank-you page of the new version");
    let again = submit_calls(&t);
    assert_eq!(again.iter().find(|(op, _)| op == "TransactWriteItems").map(|(_, n)| *n), Some(2), "refused once, then stored: {again:?}");
    assert!(again.iter().any(|(op, n)| op == "GetItem" && *n >= 2), "the link and project read again: {again:?}");

    let stored = t.responses(&id).await;
    assert_eq!(stored["count"], 3, "the refused attempt stored nothing");
    let mut versions: Vec<u64> = stored["responses"].as_array().unwrap().iter().map(|r| r["version"].as_u64().unwrap()).collect();
    versions.sort();
    assert_eq!(versions, vec![1, 1, 2], "the response after the publish records the version it was stored against");
    // and the function keeps the new revision: the next submission is as warm again
    let mut form = answers.clone();
    form.push(("ft".into(), t.form_token(&anon).await.unwrap()));
    submit_calls(&t);
    assert_eq!(t.post_raw(&anon, &form).await.status(), StatusCode::OK);
    assert_eq!(sorted(submit_calls(&t)), windows_and_transaction);
}
