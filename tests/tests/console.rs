//! The operators' console through the local stack: Cognito sign-in on the
//! emulator's user pool (created from the template), the session cookies,
//! token checks, CSRF, roles, and a project set up, published and opened
//! from the console.

use std::collections::BTreeMap;

use pulse_tests::TestStack;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, SET_COOKIE};
use serde_json::{json, Value};

/// A browser-like session: keeps the cookies, follows no redirects.
struct Browser<'a> {
    t: &'a TestStack,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
    lang: &'static str,
}

/// A response read whole.
struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl<'a> Browser<'a> {
    fn new(t: &'a TestStack) -> Self {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { t, http, cookies: BTreeMap::new(), lang: "en" }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let r = req.header(COOKIE, cookie).header(ACCEPT_LANGUAGE, self.lang).send().await.unwrap();
        for c in r.headers().get_all(SET_COOKIE) {
            let c = c.to_str().unwrap();
            assert!(c.contains("HttpOnly") && c.contains("Secure") && c.contains("SameSite=Strict"), "{c}");
            let (name, value) = c.split(';').next().unwrap().split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let status = r.status().as_u16();
        let location = r.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string());
        Page { status, location, body: r.text().await.unwrap() }
    }

    async fn get(&mut self, path: &str) -> Page {
        let req = self.http.get(self.t.url(path));
        self.send(req).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let req = self.http.post(self.t.url(path)).header("content-type", "application/x-www-form-urlencoded").body(body);
        self.send(req).await
    }

    /// The CSRF token of the signed-in page at `path`.
    async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        hidden(&page.body, "csrf")
    }

    /// Signs in with a temporary password, choosing `new_password` on the way.
    async fn first_sign_in(&mut self, email: &str, temporary: &str, new_password: &str) {
        let page = self.post("/console/sign-in", &[("email", email), ("password", temporary), ("next", "/console")]).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let session = hidden(&page.body, "session");
        let page = self
            .post(
                "/console/sign-in/new-password",
                &[("email", email), ("session", &session), ("password", new_password), ("password2", new_password), ("next", "/console")],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(page.location.as_deref(), Some("/console"));
        assert!(self.cookies.contains_key("pulse_id") && self.cookies.contains_key("pulse_refresh"));
    }
}

/// Owned form fields as the pairs `Browser::post` takes.
fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The value of the first hidden field `name` of a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = body.find(&marker).unwrap_or_else(|| panic!("no field {name} in {body}")) + marker.len();
    body[start..].split('"').next().unwrap().to_string()
}

fn seeded_admin(t: &TestStack) -> (String, String) {
    let u = t.stack.console_users.first().expect("the template seeds the first admin");
    assert_eq!(u.groups, vec!["admin".to_string()]);
    (u.username.clone(), u.temporary_password.clone())
}

/// A console user in `group`, created as an admin would, with a temporary password.
async fn add_user(t: &TestStack, email: &str, group: &str) -> String {
    let pool = t.config("admin-api").user_pool_id.clone();
    let temporary = "Temp-Passw0rd!x";
    t.stack
        .aws
        .cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username(email)
        .temporary_password(temporary)
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    t.stack.aws.cognito.admin_add_user_to_group().user_pool_id(&pool).username(email).group_name(group).send().await.unwrap();
    temporary.to_string()
}

const PASSWORD: &str = "Correct-Horse-42!";

/// Starts a distribution of `messages` to `list_id` through the admin API
/// and waits until it is done; returns its id.
async fn sent(t: &TestStack, id: &str, list_id: &Value, messages: Value) -> String {
    let d = t
        .admin_json(
            reqwest::Method::POST,
            &format!("/admin/projects/{id}/distributions"),
            Some(json!({ "list_id": list_id, "messages": messages })),
        )
        .await;
    let dist = d["id"].as_str().unwrap_or_else(|| panic!("{d}")).to_string();
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    while t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/distributions/{dist}"), None).await["state"] != "done" {
        assert!(tokio::time::Instant::now() < deadline, "the distribution never finished");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    dist
}

/// The seeded admin signed in, and a published project with the
/// operational field `Region`.
async fn admin_with_project(t: &TestStack) -> (Browser<'_>, String) {
    admin_with(t, json!({ "languages": ["en"], "operational_fields": ["Region"] })).await
}

/// The seeded admin signed in, and a published project with `settings`
/// besides its name and business type.
async fn admin_with(t: &TestStack, settings: Value) -> (Browser<'_>, String) {
    let (email, temporary) = seeded_admin(t);
    let mut admin = Browser::new(t);
    admin.first_sign_in(&email, &temporary, PASSWORD).await;
    let mut all = json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C" });
    all.as_object_mut().unwrap().extend(settings.as_object().unwrap().clone());
    let (id, _, _) = t.open_project(json!({ "kind": "quick_check_in", "settings": all })).await;
    (admin, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeded_admin_signs_in_with_a_password_change_and_signs_out() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut b = Browser::new(&t);

    // not signed in: to the sign-in page, and back to the page asked for afterwards
    let page = b.get("/console/budgets").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/console/sign-in?next=%2Fconsole%2Fbudgets"));

    b.first_sign_in(&email, &temporary, PASSWORD).await;
    let home = b.get("/console").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Pulse projects") && home.body.contains(&email), "{}", home.body);

    // signing in again with the new password goes straight to `next`
    let mut again = Browser::new(&t);
    let page = again.post("/console/sign-in", &[("email", &email), ("password", PASSWORD), ("next", "/console/budgets")]).await;
    assert_eq!((page.status, page.location.as_deref()), (303, Some("/console/budgets")));
    assert_eq!(again.get("/console/budgets").await.status, 200);

    // a next outside the console is not followed
    let page =
        Browser::new(&t).post("/console/sign-in", &[("email", &email), ("password", PASSWORD), ("next", "https://evil.example/")]).await;
    assert_eq!(page.location.as_deref(), Some("/console"));

    // an admin keeps part of an account's month for invitations
    let account = t.admin_json(reqwest::Method::POST, "/admin/accounts", Some(json!({ "name": "Kahvila Oy" }))).await;
    let id = account["id"].as_str().unwrap();
    let csrf = b.csrf("/console/budgets").await;
    let set = b.post(&format!("/console/budgets/{id}/reserve"), &[("csrf", &csrf), ("invitation_reserve", "20")]).await;
    assert_eq!((set.status, set.location.as_deref()), (303, Some("/console/budgets")));
    let page = b.get("/console/budgets").await;
    assert!(page.body.contains("Kept for invitations each month") && page.body.contains("0 / 30"), "{}", page.body);
    let budget = t.admin_json(reqwest::Method::GET, &format!("/admin/accounts/{id}/budget"), None).await;
    assert_eq!((budget["invitation_reserve"].as_u64(), budget["link_budget"].as_u64()), (Some(20), Some(30)), "{budget:#}");

    let csrf = b.csrf("/console").await;
    let out = b.post("/console/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!((out.status, out.location.as_deref()), (303, Some("/console/sign-in?signed_out=1")));
    assert!(b.cookies.is_empty(), "the session cookies are cleared: {:?}", b.cookies);
    assert_eq!(b.get("/console").await.status, 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_with_the_emailed_code() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut b = Browser::new(&t);
    b.first_sign_in(&email, &temporary, PASSWORD).await;
    let mut b = Browser::new(&t);
    let page = b.post("/console/forgot-password", &[("email", &email)]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("a code is on its way"), "{}", page.body);
    let page = b
        .post(
            "/console/reset-password",
            &[("email", &email), ("code", "123456"), ("password", "Another-Horse-43!"), ("password2", "Another-Horse-43!")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Your password has been changed."));
    let page = b.post("/console/sign-in", &[("email", &email), ("password", "Another-Horse-43!"), ("next", "/console")]).await;
    assert_eq!(page.status, 303, "the new password signs in");
    // an unknown address gets the same answer (nothing tells whether an account exists)
    let page = Browser::new(&t).post("/console/forgot-password", &[("email", "nobody@example.com")]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("a code is on its way"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_a_weak_new_password_are_explained_in_the_users_language() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut b = Browser::new(&t);
    b.lang = "de-DE,de;q=0.9";
    let page = b.post("/console/sign-in", &[("email", &email), ("password", "nope"), ("next", "/console")]).await;
    assert_eq!(page.status, 401);
    assert!(page.body.contains("E-Mail-Adresse oder Passwort ist falsch."), "{}", page.body);
    assert!(page.body.contains(r#"value="admin@example.com""#), "the address is kept");

    let page = b.post("/console/sign-in", &[("email", &email), ("password", &temporary), ("next", "/console")]).await;
    let session = hidden(&page.body, "session");
    let page = b
        .post("/console/sign-in/new-password", &[("email", &email), ("session", &session), ("password", "short"), ("password2", "short")])
        .await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("Das Passwort erfüllt die Regeln nicht"), "{}", page.body);
    let page = b
        .post("/console/sign-in/new-password", &[("email", &email), ("session", &session), ("password", PASSWORD), ("password2", "other")])
        .await;
    assert!(page.body.contains("Die beiden Passwörter stimmen nicht überein."), "{}", page.body);
}

/// A token signed with the emulator's key (the test stands in for an
/// attacker who has it, and for the passing of time).
fn signed(claims: &Value) -> String {
    let python = pulse_local::workspace_root().join(".venv/bin/python");
    let script = "import json,sys\nfrom moto.utilities.utils import load_resource\nfrom joserfc import jwk, jwt\n\
                  k = jwk.RSAKey.import_key(load_resource('moto.cognitoidp.models', 'resources/jwks-private.json'))\n\
                  print(jwt.encode({'kid': 'dummy', 'alg': 'RS256'}, json.loads(sys.argv[1]), k))";
    let out = std::process::Command::new(python).arg("-c").arg(script).arg(claims.to_string()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_foreign_and_expired_tokens_are_refused_and_an_expired_one_is_refreshed() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut b = Browser::new(&t);
    b.first_sign_in(&email, &temporary, PASSWORD).await;
    let id = b.cookies["pulse_id"].clone();
    let refresh = b.cookies["pulse_refresh"].clone();
    let with_id = |token: &str, refresh: &str| {
        let mut x = Browser::new(&t);
        x.cookies.insert("pulse_id".into(), token.to_string());
        x.cookies.insert("pulse_refresh".into(), refresh.to_string());
        x
    };

    // forged: the token with its payload changed (another address, more groups) keeps the old signature
    let mut claims = claims_of(&id);
    claims["cognito:groups"] = json!(["admin", "editor"]);
    claims["email"] = json!("mallory@example.com");
    let parts: Vec<&str> = id.split('.').collect();
    use base64::Engine;
    let forged = format!("{}.{}.{}", parts[0], base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2]);
    let page = with_id(&forged, &refresh).get("/console").await;
    assert_eq!(page.status, 303, "a forged token is refused");
    assert!(page.location.unwrap().starts_with("/console/sign-in?next="));

    // from another pool (same emulator, so the same signing key: only the issuer tells)
    let mut foreign = claims_of(&id);
    foreign["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_another");
    assert_eq!(with_id(&signed(&foreign), &refresh).get("/console").await.status, 303, "another pool's token is refused");
    let mut other_client = claims_of(&id);
    other_client["aud"] = json!("another-client");
    assert_eq!(with_id(&signed(&other_client), &refresh).get("/console").await.status, 303, "another client's token is refused");
    let access = claims_of(&b.cookies["pulse_access"]);
    assert_eq!(with_id(&signed(&access), &refresh).get("/console").await.status, 303, "an access token is not an ID token");

    // expired: refreshed with the refresh token, the page is served and the cookie renewed
    let mut expired = claims_of(&id);
    expired["exp"] = json!(expired["iat"].as_u64().unwrap() - 1);
    let stale = signed(&expired);
    let mut x = with_id(&stale, &refresh);
    let page = x.get("/console/budgets").await;
    assert_eq!(page.status, 200, "an expired ID token is refreshed: {}", page.body);
    assert_ne!(x.cookies["pulse_id"], stale, "the refreshed ID token replaces the expired one");
    // without a working refresh token: back to sign-in, then to the page asked for
    let page = with_id(&stale, "not-a-refresh-token").get("/console/budgets").await;
    assert_eq!(page.location.as_deref(), Some("/console/sign-in?next=%2Fconsole%2Fbudgets&expired=1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_without_the_csrf_token_changes_nothing_and_a_viewer_cannot_publish() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut admin = Browser::new(&t);
    admin.first_sign_in(&email, &temporary, PASSWORD).await;

    // the admin sets up a project with the guided setup's first step
    let csrf = admin.csrf("/console/projects/new").await;
    let page = admin
        .post(
            "/console/projects/new",
            &[
                ("csrf", &csrf),
                ("kind", "assessment"),
                ("organisation_name", "Nordwind GmbH"),
                ("business_type", "B2B"),
                ("languages", "de"),
                ("languages", "en"),
                ("default_language", "de"),
                ("operational_fields", "Region\nBusiness Unit"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.location.unwrap();
    assert!(location.ends_with("/setup/questions"), "the setup goes on to the questions: {location}");
    let id = location.trim_start_matches("/console/projects/").split('/').next().unwrap().to_string();
    let project = t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(project["kind"], "assessment");
    assert_eq!(project["settings"]["languages"], json!(["de", "en"]));
    assert_eq!(project["settings"]["operational_fields"], json!(["Region", "Business Unit"]));

    // without the token (or with another session's) nothing is published
    let page = admin.post(&format!("/console/projects/{id}/publish"), &[]).await;
    assert_eq!(page.status, 403);
    let page = admin.post(&format!("/console/projects/{id}/publish"), &[("csrf", "0123456789012345678901234567890123456789")]).await;
    assert_eq!(page.status, 403);
    let project = t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(project["published_version"], Value::Null);

    // a viewer sees the project but its publish is the API's 403
    let viewer_temporary = add_user(&t, "vera@example.com", "viewer").await;
    let mut viewer = Browser::new(&t);
    viewer.first_sign_in("vera@example.com", &viewer_temporary, PASSWORD).await;
    let page = viewer.get(&format!("/console/projects/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nordwind GmbH") && !page.body.contains("/publish\""), "no publish button for a viewer");
    let csrf = viewer.csrf(&format!("/console/projects/{id}")).await;
    let page = viewer.post(&format!("/console/projects/{id}/publish"), &[("csrf", &csrf)]).await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("Your role does not allow this."));
    let project = t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(project["published_version"], Value::Null, "the viewer's publish changed nothing");
    assert_eq!(viewer.get("/console/users").await.status, 403, "only admins manage users");

    // the admin publishes; the anonymous link and its QR code appear and the survey opens
    let csrf = admin.csrf(&format!("/console/projects/{id}")).await;
    let page = admin.post(&format!("/console/projects/{id}/publish"), &[("csrf", &csrf)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = admin.get(&format!("/console/projects/{id}?published=1")).await;
    assert!(page.body.contains("Published as version 1."), "{}", page.body);
    assert!(page.body.contains("<svg"), "the QR code is drawn");
    let link = hidden_link(&page.body);
    let survey = t.http.get(&link).send().await.unwrap();
    assert_eq!(survey.status(), 200);
    assert!(survey.text().await.unwrap().contains("Nordwind GmbH"));

    // two responses through the anonymous link: a promoter and a detractor
    let survey = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/survey?version=1"), None).await;
    let path = link.trim_start_matches(&t.url(""));
    for score in ["10", "3"] {
        let mut answers = pulse_tests::complete_answers(&survey);
        answers.retain(|(k, _)| k != "nps");
        answers.push(("nps".into(), score.into()));
        assert_eq!(t.submit(path, &answers).await, 200);
    }
    let all = admin.get(&format!("/console/projects/{id}/responses")).await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("2 responses in all."), "{}", all.body);
    assert_eq!(all.body.matches("/responses/").count(), 2, "both are listed");
    let listed =
        t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}/responses")).send().await.unwrap().json::<Value>().await.unwrap();
    let day = listed["responses"][0]["submitted_at"].as_str().unwrap()[..10].to_string();
    let home = admin.get("/console").await;
    assert!(home.body.contains(&format!("<td>{day}</td>")), "the project list shows the latest day with responses: {}", home.body);
    assert!(home.body.contains(r#"<td class="num">2</td>"#), "and the two responses");
    let promoters = admin.get(&format!("/console/projects/{id}/responses?band=promoter")).await;
    assert_eq!(promoters.body.matches(&format!("/console/projects/{id}/responses/")).count(), 1, "only the promoter");
    let bad = admin.get(&format!("/console/projects/{id}/responses?from=yesterday")).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("is not a day such as 2026-12-01"), "{}", bad.body);
    let csv = admin.get(&format!("/console/projects/{id}/responses.csv?band=detractor")).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 2, "a header and the detractor: {}", csv.body);
    assert!(csv.body.lines().next().unwrap().starts_with("response_id,submitted_at,channel"));
    let dashboard = admin.get(&format!("/console/projects/{id}/dashboard/frame?period=day")).await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("Nordwind GmbH"), "{}", dashboard.body);
    let page = admin.get(&format!("/console/projects/{id}/dashboard?period=day&segments=Region")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    let made = admin.post(&format!("/console/projects/{id}/dashboard?period=day"), &[("csrf", &csrf)]).await;
    assert_eq!(made.status, 200);
    // the new share link is shown this once; only its keyed hash is kept
    let shown = made.body.split("/reports/").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default().to_string();
    assert!(shown.len() >= 20, "the share link is on the page: {}", made.body);
    let reports = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/reports"), None).await;
    assert_eq!(reports["reports"].as_array().unwrap().len(), 1, "the downloads are being made");
    let rid = reports["reports"][0]["id"].as_str().unwrap();
    let shares = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/reports/{rid}/shares"), None).await;
    assert_eq!(shares["shares"].as_array().unwrap().len(), 1, "{shares}");
    assert!(!shares.to_string().contains(&shown), "the token is not stored in clear");

    // the preview renders the draft in each language
    let frame = admin.get(&format!("/console/projects/{id}/preview/frame?lang=de")).await;
    assert_eq!(frame.status, 200);
    assert!(frame.body.contains(r#"<html lang="de">"#) && frame.body.contains("Nordwind GmbH"));

    // editing the published project makes a new draft: its changes are listed, and publishing makes version 2
    let csrf = admin.csrf(&format!("/console/projects/{id}/setup/questions")).await;
    let page = admin
        .post(
            &format!("/console/projects/{id}/setup/questions"),
            &[("csrf", &csrf), ("size_measure", "revenue"), ("hidden_questions", "comm_channels"), ("go", "stay")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let overview = admin.get(&format!("/console/projects/{id}")).await;
    assert!(overview.body.contains("Changes not yet published"), "{}", overview.body);
    assert!(overview.body.contains("No longer asked: "), "the hidden question is listed: {}", overview.body);
    let csrf = hidden(&overview.body, "csrf");
    assert_eq!(admin.post(&format!("/console/projects/{id}/publish"), &[("csrf", &csrf)]).await.status, 303);
    let overview = admin.get(&format!("/console/projects/{id}")).await;
    assert!(overview.body.contains("Version 2") && overview.body.contains("The first published version."), "{}", overview.body);
    let old = admin.get(&format!("/console/projects/{id}/preview/frame?version=1&lang=en")).await;
    assert!(old.body.contains(r#"name="comm_channels""#), "version 1 still asks it");

    // a personal link for one contact, with an operational field; a bad address is explained at the field
    let csrf = hidden(&overview.body, "csrf");
    let bad = admin
        .post(
            &format!("/console/projects/{id}/links"),
            &[("csrf", &csrf), ("email", "anna"), ("first_name", "Anna"), ("last_name", "Berg")],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains(r#"id="email-error""#), "{}", bad.body);
    let minted = admin
        .post(
            &format!("/console/projects/{id}/links"),
            &[
                ("csrf", &csrf),
                ("email", "anna@example.com"),
                ("first_name", "Anna"),
                ("last_name", "Berg"),
                ("field.Region", "Nord"),
                ("language", "de"),
            ],
        )
        .await;
    assert_eq!(minted.status, 201, "{}", minted.body);
    let marker = r#"id="minted-link" readonly value=""#;
    let start = minted.body.find(marker).unwrap() + marker.len();
    let personal = minted.body[start..].split('"').next().unwrap().to_string();
    let survey_page = t.http.get(&personal).send().await.unwrap().text().await.unwrap();
    assert!(survey_page.contains(r#"<html lang="de">"#), "the contact's language");
}

/// The anonymous link shown on a project page.
fn hidden_link(body: &str) -> String {
    let marker = r#"id="anonymous-link" readonly value=""#;
    let start = body.find(marker).unwrap_or_else(|| panic!("no anonymous link in {body}")) + marker.len();
    body[start..].split('"').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_invites_regroups_and_disables_a_colleague() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut admin = Browser::new(&t);
    admin.first_sign_in(&email, &temporary, PASSWORD).await;
    let csrf = admin.csrf("/console/users").await;
    let page = admin.post("/console/users", &[("csrf", &csrf), ("email", "not-an-address"), ("role", "editor")]).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("Enter an email address"));
    let page = admin.post("/console/users", &[("csrf", &csrf), ("email", "eda@example.com"), ("role", "editor")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = admin.get("/console/users").await;
    assert!(page.body.contains("eda@example.com"), "{}", page.body);
    let page = admin.post("/console/users", &[("csrf", &csrf), ("email", "eda@example.com"), ("role", "editor")]).await;
    assert_eq!(page.status, 409, "inviting twice is explained");

    let pool = t.config("admin-api").user_pool_id.clone();
    let cognito = t.stack.aws.cognito.clone();
    let groups = |pool: String| {
        let cognito = cognito.clone();
        async move {
            let out = cognito.admin_list_groups_for_user().user_pool_id(pool).username("eda@example.com").send().await.unwrap();
            out.groups.unwrap_or_default().into_iter().filter_map(|g| g.group_name).collect::<Vec<_>>()
        }
    };
    assert_eq!(groups(pool.clone()).await, vec!["editor".to_string()]);
    let user = t.stack.aws.cognito.admin_get_user().user_pool_id(&pool).username("eda@example.com").send().await.unwrap();
    let username = user.username;
    let page = admin.post(&format!("/console/users/{username}/role"), &[("csrf", &csrf), ("role", "viewer")]).await;
    assert_eq!(page.status, 303);
    assert_eq!(groups(pool.clone()).await, vec!["viewer".to_string()]);
    let page = admin.post(&format!("/console/users/{username}/disable"), &[("csrf", &csrf)]).await;
    assert_eq!(page.status, 303);
    let user = t.stack.aws.cognito.admin_get_user().user_pool_id(&pool).username("eda@example.com").send().await.unwrap();
    assert!(!user.enabled);

    // a disabled colleague is told so at sign-in, in their language
    let temporary = add_user(&t, "dora@example.com", "editor").await;
    let dora = t.stack.aws.cognito.admin_get_user().user_pool_id(&pool).username("dora@example.com").send().await.unwrap().username;
    assert_eq!(admin.post(&format!("/console/users/{dora}/disable"), &[("csrf", &csrf)]).await.status, 303);
    let mut b = Browser::new(&t);
    b.lang = "fi";
    let page = b.post("/console/sign-in", &[("email", "dora@example.com"), ("password", &temporary)]).await;
    assert_eq!(page.status, 401);
    assert!(page.body.contains("Tämä tili on poistettu käytöstä."), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_links_of_a_project_are_closed_replaced_revoked_and_the_project_deleted_from_the_console() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut admin = Browser::new(&t);
    admin.first_sign_in(&email, &temporary, PASSWORD).await;
    let (id, anonymous, survey) = t
        .open_project(json!({ "kind": "quick_check_in", "settings": { "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"] } }))
        .await;
    let path = format!("/console/projects/{id}");
    assert_eq!(t.submit(&anonymous, &pulse_tests::complete_answers(&survey)).await, 200);

    // closed and reopened: respondents see the closed page meanwhile
    let csrf = admin.csrf(&path).await;
    assert_eq!(admin.post(&format!("{path}/close"), &[("csrf", &csrf)]).await.status, 303);
    let page = admin.get(&path).await;
    assert!(page.body.contains("has been closed since") && page.body.contains("Reopen the survey"), "{}", page.body);
    t.until_pages_see_changes().await;
    assert_eq!(t.http.get(t.url(&anonymous)).send().await.unwrap().status(), 410);
    assert_eq!(admin.post(&format!("{path}/reopen"), &[("csrf", &csrf)]).await.status, 303);
    t.until_pages_see_changes().await;
    assert_eq!(t.http.get(t.url(&anonymous)).send().await.unwrap().status(), 200);

    // the anonymous link replaced: the old one is gone, the page shows the new one
    let page = admin.post(&format!("{path}/rotate"), &[("csrf", &csrf)]).await;
    assert_eq!(page.location.as_deref(), Some(format!("{path}?rotated=1").as_str()));
    let page = admin.get(&format!("{path}?rotated=1")).await;
    assert!(page.body.contains("The anonymous link was replaced"));
    t.until_pages_see_changes().await;
    assert_eq!(t.http.get(t.url(&anonymous)).send().await.unwrap().status(), 404);
    let shown =
        t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}"), None).await["anonymous_link"].as_str().unwrap().to_string();
    assert!(page.body.contains(&shown), "the new link is on the page");

    // how long personal links work: a wrong number is explained at its field
    let page = admin.post(&format!("{path}/link-days"), &[("csrf", &csrf), ("personal_link_days", "0")]).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("aria-invalid=\"true\"") && page.body.contains("personal_link_days"), "{}", page.body);
    assert_eq!(admin.post(&format!("{path}/link-days"), &[("csrf", &csrf), ("personal_link_days", "30")]).await.status, 303);
    let project = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}"), None).await;
    assert_eq!(project["settings"]["personal_link_days"], 30);

    // a report's share links listed and one revoked
    let made = t.admin_json(reqwest::Method::POST, &format!("/admin/projects/{id}/reports"), Some(json!({}))).await;
    let (report, share) = (made["id"].as_str().unwrap().to_string(), made["share"].as_str().unwrap().to_string());
    let shares = format!("{path}/reports/{report}/shares");
    let page = admin.get(&shares).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let link = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/reports/{report}/shares"), None).await["shares"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(page.body.contains(&format!("/shares/{link}/revoke")) && !page.body.contains(&share), "listed, its URL never shown again");
    let page = admin.post(&format!("{shares}/{link}/revoke"), &[("csrf", &csrf)]).await;
    assert_eq!(page.location.as_deref(), Some(format!("{shares}?revoked=1").as_str()));
    assert_eq!(t.http.get(&share).send().await.unwrap().status(), 404, "the revoked link opens nothing");

    // deleting asks for the project's name; a wrong one deletes nothing
    let page = admin.get(&path).await;
    assert!(page.body.contains("Delete this project"));
    let page = admin.post(&format!("{path}/delete"), &[("csrf", &csrf), ("confirm_name", "Kahvila")]).await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.body.contains("nothing was deleted"));
    assert_eq!(t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().status(), 200);
    let page = admin.post(&format!("{path}/delete"), &[("csrf", &csrf), ("confirm_name", "Kahvila Oy")]).await;
    assert_eq!(page.location.as_deref(), Some("/console?deleted=1"));
    let page = admin.get("/console?deleted=1").await;
    assert!(page.body.contains("The project was deleted") && !page.body.contains(&id));
    assert_eq!(t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contacts_are_found_erased_and_suppressed_from_the_console_without_an_address_in_any_url() {
    let t = TestStack::start().await;
    let (mut admin, id) = admin_with_project(&t).await;
    let done = t
        .import_file(
            &id,
            "asiakkaat.csv",
            "Email,FirstName,LastName,Region\naino@example.fi,Aino,Aalto,North\nbo@example.com,Bo,Berg,South\n",
        )
        .await;
    assert_eq!(done["state"], "done", "{done:#}");
    let base = format!("/console/projects/{id}");

    // the lists with their sizes, and their members
    let page = admin.get(&format!("{base}/contacts")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let list_id = done["list_id"].as_str().unwrap();
    assert!(page.body.contains(&format!("{base}/lists/{list_id}")) && page.body.contains(">2<"), "{}", page.body);
    let page = admin.get(&format!("{base}/lists/{list_id}")).await;
    assert!(page.body.contains("aino@example.fi") && page.body.contains("Berg"));

    // found by a posted address; an unknown one says so
    let csrf = admin.csrf(&format!("{base}/contacts")).await;
    let page = admin.post(&format!("{base}/contacts/find"), &[("csrf", &csrf), ("email", "Aino@Example.fi")]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Aalto") && page.body.contains("North") && page.body.contains("Not suppressed"));
    let page = admin.post(&format!("{base}/contacts/find"), &[("csrf", &csrf), ("email", "nobody@example.org")]).await;
    assert_eq!(page.status, 404);
    let page = admin.post(&format!("{base}/contacts/find"), &[("csrf", &csrf), ("email", "not an address")]).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("aria-invalid=\"true\""));

    // the erasure asks for the box first, then runs and shows its job
    let page = admin.post(&format!("{base}/contacts/erase"), &[("csrf", &csrf), ("email", "aino@example.fi")]).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("nothing was erased"));
    let still = t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}/contacts/aino%40example.fi")).send().await.unwrap();
    assert_eq!(still.status(), 200, "nothing erased without the box");
    let page = admin.post(&format!("{base}/contacts/erase"), &[("csrf", &csrf), ("email", "aino@example.fi"), ("confirm", "yes")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let job = page.location.unwrap();
    assert!(job.starts_with(&format!("{base}/jobs/")) && !job.contains('@'), "no address in the URL: {job}");
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    loop {
        let page = admin.get(&job).await;
        assert_eq!(page.status, 200, "{}", page.body);
        if page.body.contains("Done:") {
            assert!(page.body.contains("List memberships"), "what was removed where, in words: {}", page.body);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the erasure never finished");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let gone = t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}/contacts/aino%40example.fi")).send().await.unwrap();
    assert_eq!(gone.status(), 404);

    // suppressions: added by hand, a wrong address explained, lifted by an admin;
    // an unsubscribe cannot be lifted
    let page = admin.post(&format!("{base}/suppressions"), &[("csrf", &csrf), ("email", "x@")]).await;
    assert_eq!(page.status, 400);
    assert_eq!(admin.post(&format!("{base}/suppressions"), &[("csrf", &csrf), ("email", "bo@example.com")]).await.status, 303);
    let r = t
        .admin(reqwest::Method::POST, &format!("/admin/projects/{id}/suppressions"))
        .json(&json!({ "email": "cy@example.com", "reason": "unsubscribed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let page = admin.get(&format!("{base}/suppressions")).await;
    assert!(page.body.contains("bo@example.com") && page.body.contains("added by hand") && page.body.contains("unsubscribed"));
    assert_eq!(page.body.matches("/suppressions/lift").count(), 1, "only the one added by hand can be lifted");
    assert_eq!(admin.post(&format!("{base}/suppressions/lift"), &[("csrf", &csrf), ("email", "bo@example.com")]).await.status, 303);
    let page = admin.get(&format!("{base}/suppressions")).await;
    assert!(!page.body.contains("bo@example.com"));
    let r = t.admin(reqwest::Method::DELETE, &format!("/admin/projects/{id}/suppressions/cy%40example.com")).send().await.unwrap();
    assert_eq!(r.status(), 409, "an unsubscribe stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributions_progress_and_each_recipients_fate_are_shown_in_the_console() {
    let t = TestStack::start().await;
    let (mut admin, id) = admin_with(&t, json!({ "languages": ["en"] })).await;
    let done = t.import_file(&id, "asiakkaat.csv", "Email,FirstName,LastName\naino@example.fi,Aino,Aalto\nbo@example.com,Bo,Berg\n").await;
    let r = t
        .admin(reqwest::Method::POST, &format!("/admin/projects/{id}/suppressions"))
        .json(&json!({ "email": "bo@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let messages = json!({ "en": { "subject": "{{FirstName}}, how are we doing?", "body": "Hello {{FirstName}}: {{SurveyLink}}" } });
    let dist = sent(&t, &id, &done["list_id"], messages).await;
    let base = format!("/console/projects/{id}/sends");
    let page = admin.get(&base).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!("{base}/{dist}")) && page.body.contains("asiakkaat"), "the list's name: {}", page.body);
    let page = admin.get(&format!("{base}/{dist}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("State: done") && page.body.contains("Skipped: the address is suppressed"), "{}", page.body);
    assert!(!page.body.contains("Cancel the sending"), "a finished sending cannot be cancelled");
    // why didn't Bo get it? filtered to the skipped
    let page = admin.get(&format!("{base}/{dist}?state=skipped")).await;
    assert!(page.body.contains("bo@example.com") && !page.body.contains("aino@example.fi"), "{}", page.body);
    let page = admin.get(&format!("{base}/{dist}?state=sent")).await;
    assert!(page.body.contains("aino@example.fi") && !page.body.contains("bo@example.com"));

    // a contact's page: the list it is on, its invitations with what became of them, its response
    let mail = t.outbox(1).await.into_iter().find(|m| m["to"][0] == "aino@example.fi").expect("aino's invitation");
    let link = mail["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).find(|l| l.contains("/s/")).unwrap().to_string();
    let path = link.strip_prefix(&t.stack.base_url).unwrap().to_string();
    let survey = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/survey?version=1"), None).await;
    assert_eq!(t.submit(&path, &pulse_tests::complete_answers(&survey)).await, reqwest::StatusCode::OK);
    let csrf = admin.csrf(&format!("/console/projects/{id}/contacts")).await;
    let page = admin.post(&format!("/console/projects/{id}/contacts/find"), &[("csrf", &csrf), ("email", "aino@example.fi")]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let list_id = done["list_id"].as_str().unwrap();
    assert!(page.body.contains(&format!("/console/projects/{id}/lists/{list_id}")), "the list: {}", page.body);
    assert!(page.body.contains(&format!("{base}/{dist}")) && page.body.contains(">Sent<"), "the invitation: {}", page.body);
    assert!(page.body.contains(&format!("/console/projects/{id}/responses/")) && page.body.contains("Answered on"), "{}", page.body);
    let page = admin.post(&format!("/console/projects/{id}/contacts/find"), &[("csrf", &csrf), ("email", "bo@example.com")]).await;
    assert!(page.body.contains("Skipped: the address is suppressed") && page.body.contains("No response yet."), "{}", page.body);
}

/// The number in the table row a page labels `label`.
fn row_count(body: &str, label: &str) -> String {
    let at = body.find(&format!(">{label}</th>")).unwrap_or_else(|| panic!("{label} in {body}"));
    body[at..].split("<td class=\"num\">").nth(1).unwrap().split('<').next().unwrap().to_string()
}

/// The hidden fields and the action of the upload page's S3 form.
fn s3_form(body: &str) -> (String, Vec<(String, String)>) {
    let start = body.find(r#"enctype="multipart/form-data""#).expect("the S3 form");
    let form_start = body[..start].rfind("<form").unwrap();
    let form = &body[form_start..form_start + body[form_start..].find("</form>").unwrap()];
    let action = form.split(r#"action=""#).nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let mut fields = Vec::new();
    for input in form.split(r#"<input type="hidden" "#).skip(1) {
        let name = input.split(r#"name=""#).nth(1).unwrap().split('"').next().unwrap().to_string();
        let value = input.split(r#"value=""#).nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&").replace("&quot;", "\"");
        fields.push((name, value));
    }
    (action, fields)
}

/// Posts a file to S3 the way a browser submits the form: its fields, then the file.
async fn post_to_s3(action: &str, fields: &[(String, String)], file_name: &str, bytes: &[u8]) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.clone(), v.clone());
    }
    form =
        form.part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file_name.to_string()).mime_str("text/csv").unwrap());
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    http.post(action).multipart(form).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_file_goes_from_the_browser_straight_to_s3_and_its_import_is_explained_without_javascript() {
    let t = TestStack::start().await;
    let (mut admin, id) = admin_with_project(&t).await;
    let base = format!("/console/projects/{id}/uploads");

    // the columns this project's files need, and a sample file with exactly them
    let page = admin.get(&base).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for column in ["Email", "FirstName", "LastName", "Region"] {
        assert!(page.body.contains(&format!("<code>{column}</code>")), "{column} is listed");
    }
    let sample = admin.get(&format!("{base}/sample?kind=contacts")).await;
    assert_eq!(sample.status, 200);
    assert!(sample.body.starts_with("Email,FirstName,LastName,Region\r\n"), "{}", sample.body);

    // step one names the list; step two is a form that posts to S3 itself
    let csrf = admin.csrf(&base).await;
    let page = admin.post(&base, &[("csrf", &csrf), ("kind", "contacts"), ("list_name", "Kanta-asiakkaat")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let upload_page = page.location.unwrap();
    let page = admin.get(&upload_page).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let (action, fields) = s3_form(&page.body);
    assert!(action.starts_with(&t.stack.emulator_url), "the form posts to S3, not to a Lambda: {action}");
    // the page carries the size limit, and the script refuses a larger file before a byte is sent
    assert!(page.body.contains(r#"data-max-bytes="104857600""#), "{}", page.body);
    assert!(page.body.contains(r#"data-too-large="This file is larger than 100 MB, the most a contact file may be."#), "{}", page.body);
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    for name in ["key", "policy", "x-amz-signature", "x-amz-credential", "success_action_redirect"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }

    // S3 refuses a form whose policy was tampered with, and a key it does not name
    let mut forged = fields.clone();
    for (k, v) in forged.iter_mut() {
        if k == "key" {
            *v = format!("uploads/{id}/elsewhere/list.csv");
        }
    }
    let refused = post_to_s3(&action, &forged, "kanta.csv", b"Email,FirstName,LastName,Region\n").await;
    assert_eq!(refused.status(), 403, "a key the policy does not name");
    let mut forged = fields.clone();
    forged.retain(|(k, _)| k != "x-amz-signature");
    forged.push(("x-amz-signature".into(), "0".repeat(64)));
    let refused = post_to_s3(&action, &forged, "kanta.csv", b"Email,FirstName,LastName,Region\n").await;
    assert_eq!(refused.status(), 403, "a wrong signature");

    // the real upload: S3 sends the browser back through the console's bounce page
    let csv = "Email,FirstName,LastName,Region,Notes\naino@example.fi,Aino,Aalto,North,x\nnot-an-address,Bo,Berg,South,y\naino@example.fi,Aino,Aalto,East,z\n";
    let r = post_to_s3(&action, &fields, "kanta.csv", csv.as_bytes()).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let back = r.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(back.starts_with(&t.url("/console/uploaded?to=")), "{back}");
    let bounce = admin.get(back.trim_start_matches(&t.url(""))).await;
    assert_eq!(bounce.status, 200);
    assert!(bounce.body.contains(&format!(r#"content="0; url={upload_page}""#)), "{}", bounce.body);

    // the import page follows the import; the outcome counts, warns and offers the rejected rows
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    let page = loop {
        let page = admin.get(&upload_page).await;
        // 303 to itself: the file arrived while the page was being made
        assert!(page.status == 200 || page.location.as_deref() == Some(upload_page.as_str()), "{}", page.body);
        if page.body.contains("data-final") {
            break page;
        }
        assert!(page.status == 303 || page.body.contains("<progress"), "a progress bar while it runs");
        assert!(tokio::time::Instant::now() < deadline, "the import never finished");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(page.body.contains("Import finished"), "{}", page.body);
    let count = |label: &str| row_count(&page.body, label);
    assert_eq!(count("Accepted"), "2");
    assert_eq!(count("Rejected"), "1");
    assert_eq!(count("Duplicates merged"), "1");
    assert_eq!(count("Contacts on the list"), "1");
    assert!(page.body.contains("The column “Notes” is not used"), "the unused column is named");
    assert!(page.body.contains("Download every rejected row"), "the rejected rows file");
    let upload_id = upload_page.rsplit('/').next().unwrap();
    let record = t
        .admin(reqwest::Method::GET, &format!("/admin/projects/{id}/uploads/{upload_id}"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(record["list_name"], "Kanta-asiakkaat");

    // a header near miss is explained with its fix, in the reader's language
    admin.lang = "de";
    let page = admin.post(&base, &[("csrf", &csrf), ("kind", "contacts"), ("list_name", "Falsch")]).await;
    let upload_page = page.location.unwrap();
    let (action, fields) = s3_form(&admin.get(&upload_page).await.body);
    let r = post_to_s3(&action, &fields, "falsch.csv", b"E-Mail,FirstName,LastName,Region\naino@example.fi,Aino,Aalto,North\n").await;
    assert_eq!(r.status(), 303);
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    let page = loop {
        let page = admin.get(&upload_page).await;
        if page.body.contains("data-final") {
            break page;
        }
        assert!(tokio::time::Instant::now() < deadline, "the import never ended");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(page.body.contains("Die Spalte „E-Mail“ sieht aus wie „Email“. Benennen Sie sie genau in „Email“ um"), "{}", page.body);
    // a workbook instead of a CSV file is named for what it is, with how to save it as CSV UTF-8
    let page = admin.post(&base, &[("csrf", &csrf), ("kind", "contacts"), ("list_name", "Arbeitsmappe")]).await;
    let workbook_page = page.location.unwrap();
    let (action, fields) = s3_form(&admin.get(&workbook_page).await.body);
    let xlsx = [b"PK\x03\x04".as_slice(), &[0; 26], b"[Content_Types].xml", &[0; 30], b"PK\x03\x04xl/workbook.xml"].concat();
    assert_eq!(post_to_s3(&action, &fields, "Kunden.xlsx", &xlsx).await.status(), 303);
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    let page = loop {
        let page = admin.get(&workbook_page).await;
        if page.body.contains("data-final") {
            break page;
        }
        assert!(tokio::time::Instant::now() < deadline, "the import never ended");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(
        page.body.contains("Dies ist eine Excel-Arbeitsmappe (.xlsx), keine CSV-Datei.")
            && page.body.contains("„CSV UTF-8 (durch Trennzeichen getrennt) (*.csv)“"),
        "{}",
        page.body
    );
    // the form of an upload that has its file already is not handed out again
    let r =
        t.admin(reqwest::Method::POST, &format!("/admin/projects/{id}/uploads/{upload_id}/form")).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_is_composed_checked_tested_and_sent_from_the_console() {
    let t = TestStack::start().await;
    let (mut admin, id) = admin_with(&t, json!({ "languages": ["fi", "en"], "quiet_period_days": 30 })).await;
    let first = t.import_file(&id, "vanhat.csv", "Email,FirstName,LastName\ncy@example.com,Cy,Carr\n").await;
    let done = t
        .import_file(
            &id,
            "asiakkaat.csv",
            "Email,FirstName,LastName\naino@example.fi,Aino,Aalto\nbo@example.com,Bo,Berg\ncy@example.com,Cy,Carr\ndee@example.com,Dee,Dahl\n",
        )
        .await;
    // one suppressed, one invited a moment ago by another distribution (quiet period)
    let r = t
        .admin(reqwest::Method::POST, &format!("/admin/projects/{id}/suppressions"))
        .json(&json!({ "email": "bo@example.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let messages = json!({ "fi": { "subject": "Hei", "body": "{{SurveyLink}}" }, "en": { "subject": "Hi", "body": "{{SurveyLink}}" } });
    let d = t
        .admin_json(
            reqwest::Method::POST,
            &format!("/admin/projects/{id}/distributions"),
            Some(json!({ "list_id": first["list_id"], "messages": messages })),
        )
        .await;
    assert!(d["id"].is_string(), "{d}");
    t.outbox(1).await;
    let base = format!("/console/projects/{id}/sends/new");

    // every language of the project, prefilled in its own language, with the placeholders
    let page = admin.get(&base).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for field in ["subject-fi", "body-fi", "subject-en", "body-en", "reminder-body-fi"] {
        assert!(page.body.contains(&format!(r#"id="{field}""#)), "{field}");
    }
    assert!(page.body.contains("Hei {{FirstName}},") && page.body.contains("Hello {{FirstName}},"), "{}", page.body);
    assert!(page.body.contains(r#"data-insert="{{SurveyLink}}""#));
    let csrf = hidden(&page.body, "csrf");
    let list_id = done["list_id"].as_str().unwrap();
    let draft = |action: &'static str, fi_body: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("action", action.to_string()),
            ("list_id", list_id.to_string()),
            ("subject-fi", "{{FirstName}}, miten onnistuimme?".to_string()),
            ("body-fi", fi_body.to_string()),
            ("subject-en", "{{FirstName}}, how did we do?".to_string()),
            ("body-en", "Hello {{FirstName}}: {{SurveyLink}}\n\nNo more: {{UnsubscribeLink}}".to_string()),
            ("when", "now".to_string()),
            ("after_days", "3".to_string()),
            ("test_to", "me@example.com".to_string()),
        ]
    };
    let pairs = |fields: &[(&'static str, String)]| -> Vec<(&'static str, String)> { fields.to_vec() };

    // an unknown placeholder is named at its field, and nothing is sent
    let fields = pairs(&draft("preview", "Hei {{Nickname}}: {{SurveyLink}}"));
    let page = admin.post(&base, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.body.contains(r#"id="body-fi-error""#) && page.body.contains("Nickname"), "{}", page.body);
    assert!(page.body.contains("Hei {{Nickname}}"), "what was typed is kept");

    // the script's live preview: the emails alone, or nothing while the draft cannot be previewed
    let live = format!("{base}?part=preview");
    let page = admin.post(&live, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!((page.status, page.body.as_str()), (422, ""), "an unknown placeholder: nothing to show");
    let fields = pairs(&draft("", "Hei {{FirstName}}: {{SurveyLink}}"));
    let page = admin.post(&live, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.starts_with("<section") && page.body.matches("<iframe").count() == 2, "the two emails alone: {}", page.body);
    assert!(page.body.contains("miten onnistuimme?") && !page.body.contains("<html"), "{}", page.body);

    // a language left out, a send time gone by, a list without contacts: each said at its field, before the API is asked
    let with = |changes: &[(&'static str, &str)]| {
        let mut fields = pairs(&draft("preview", "Hei {{FirstName}}: {{SurveyLink}}"));
        for (k, v) in changes {
            fields.retain(|(f, _)| f != k);
            fields.push((*k, v.to_string()));
        }
        fields
    };
    let empty = t
        .import_file(
            &id,
            "tyhja.csv",
            "Email,FirstName,LastName
not-an-email,A,B
",
        )
        .await;
    assert_eq!((empty["state"].as_str(), empty["contacts"].as_u64()), (Some("done"), Some(0)), "{empty:#}");
    let cases = [
        (with(&[("subject-en", ""), ("body-en", " ")]), "subject-en", "The invitation in English is missing."),
        (with(&[("when", "at"), ("send_at_local", "2020-01-01T09:00")]), "send_at_local", "This time has already passed (UTC)."),
        (with(&[("list_id", empty["list_id"].as_str().unwrap())]), "list_id", "This list has no contacts, so nobody would be invited."),
    ];
    for (fields, field, message) in cases {
        let page = admin.post(&base, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
        assert_eq!(page.status, 400, "{}", page.body);
        assert!(page.body.contains(&format!(r#"id="{field}-error""#)) && page.body.contains(message), "{field}: {}", page.body);
    }

    // what will happen: 4 on the list, 1 suppressed, 1 in the quiet period, 2 sent; each language's email for a contact
    let fields = pairs(&draft("preview", "Hei {{FirstName}}: {{SurveyLink}}"));
    let page = admin.post(&base, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let count = |label: &str| row_count(&page.body, label);
    assert_eq!(count("Contacts on the list"), "4");
    assert_eq!(count("Will get an invitation"), "2");
    assert_eq!(count("Skipped: the address is suppressed"), "1");
    assert_eq!(count("Skipped: invited recently (quiet period)"), "1");
    assert!(page.body.contains("Aino, miten onnistuimme?") && page.body.contains("Aino, how did we do?"), "the previews: {}", page.body);
    assert!(page.body.contains(r#"value="send""#), "the send button comes with the check");
    assert_eq!(t.mails().await.len(), 1, "a check sends nothing");

    // a test of each language goes to the address given
    let fields = pairs(&draft("test", "Hei {{FirstName}}: {{SurveyLink}}"));
    let page = admin.post(&base, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("2 test emails are on their way."), "{}", page.body);
    let mails = t.outbox(3).await;
    let tests: Vec<&Value> = mails.iter().filter(|m| m["to"][0] == "me@example.com").collect();
    assert_eq!(tests.len(), 2, "{mails:#?}");
    assert!(tests.iter().any(|m| m["subject"] == "[Test] Aino, how did we do?"), "{tests:#?}");

    // sent: the distribution's page; exactly the two who may be invited get
    // it, in the project's first language (the contacts have none of their own)
    let fields = pairs(&draft("send", "Hei {{FirstName}}: {{SurveyLink}}"));
    let page = admin.post(&base, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let dist = page.location.unwrap();
    assert!(dist.starts_with(&format!("/console/projects/{id}/sends/")) && !dist.ends_with("/new"), "{dist}");
    let mails = t.outbox(5).await;
    let invited: Vec<&str> = mails
        .iter()
        .filter(|m| m["subject"].as_str().is_some_and(|s| s.ends_with("miten onnistuimme?") && !s.starts_with("[Test]")))
        .map(|m| m["to"][0].as_str().unwrap())
        .collect();
    assert_eq!(invited.len(), 2, "{mails:#?}");
    assert!(invited.contains(&"aino@example.fi") && invited.contains(&"dee@example.com"), "{invited:?}");
    // each invitation asks the 0–10 question as eleven links to its own survey link
    let aino = mails.iter().find(|m| m["to"][0] == "aino@example.fi" && !m["subject"].as_str().unwrap().starts_with("[Test]")).unwrap();
    let links: Vec<&str> = aino["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).collect();
    let scored: Vec<&&str> = links.iter().filter(|l| l.contains("score=")).collect();
    assert_eq!(scored.len(), 11, "{links:?}");
    assert!(scored.iter().all(|l| l.starts_with(links[0].split('?').next().unwrap())), "all to the same survey link: {links:?}");
    assert!(links[0].ends_with("?lang=fi") && scored.iter().all(|l| l.contains("?lang=fi&score=")), "in the email's language: {links:?}");

    // the same invitation as the triggered send of an event, three days after it
    let mut fields = pairs(&draft("trigger", "Hei {{FirstName}}: {{SurveyLink}}"));
    fields.extend([("event_name", "Order Placed".to_string()), ("delay_days", "3".to_string())]);
    let page = admin.post(&base, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, 400, "a name the API does not take is named at its field: {}", page.body);
    assert!(page.body.contains(r#"id="event_name-error""#), "{}", page.body);
    fields.retain(|(k, _)| *k != "event_name");
    fields.push(("event_name", "order_placed".to_string()));
    let page = admin.post(&base, &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("each order_placed event now schedules this invitation"), "{}", page.body);
    let project = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}"), None).await;
    let trigger = &project["settings"]["triggers"]["order_placed"];
    assert_eq!(trigger["delay_hours"], 72, "{project:#}");
    assert_eq!(trigger["messages"]["en"]["subject"], "{{FirstName}}, how did we do?");
    let page =
        admin.post(&format!("/console/projects/{id}/sends/triggers/remove"), &[("csrf", &csrf), ("event_name", "order_placed")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let project = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}"), None).await;
    assert!(project["settings"]["triggers"].get("order_placed").is_none(), "{project:#}");
}

/// Uploads a file through the console as a browser without JavaScript does
/// (step one, the S3 form, the bounce back) and returns the import page
/// once the import has ended.
async fn upload_through_console(admin: &mut Browser<'_>, project: &str, kind: &str, list_name: &str, bytes: &[u8]) -> String {
    let base = format!("/console/projects/{project}/uploads");
    let csrf = admin.csrf(&base).await;
    let page = admin.post(&base, &[("csrf", &csrf), ("kind", kind), ("list_name", list_name)]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let upload_page = page.location.unwrap();
    let (action, fields) = s3_form(&admin.get(&upload_page).await.body);
    let r = post_to_s3(&action, &fields, &format!("{list_name}.csv"), bytes).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    loop {
        let page = admin.get(&upload_page).await;
        if page.body.contains("data-final") {
            return page.body;
        }
        assert!(tokio::time::Instant::now() < deadline, "the import never ended");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2b_files_are_uploaded_and_the_accounts_shown_with_their_hierarchy_and_routed_to_their_teams_from_the_console() {
    let t = TestStack::start().await;
    let (mut admin, id) = admin_with(&t, json!({ "business_type": "B2B", "languages": ["en"], "operational_fields": ["AccountId"] })).await;

    // the three files, with the columns each is read by shown first
    let page = admin.get(&format!("/console/projects/{id}/uploads")).await;
    for column in ["<code>Id</code>", "<code>ParentId</code>", "<code>TeamMemberRole</code>", "<code>UserEmail</code>"] {
        assert!(page.body.contains(column), "{column} is shown");
    }
    let accounts = "Id,Name,ParentId,IsDeleted\n001HQ,Acme Group,,false\n001DE,Acme Germany,001HQ,false\n";
    let outcome = upload_through_console(&mut admin, &id, "b2b_accounts", "accounts", accounts.as_bytes()).await;
    assert!(outcome.contains("Import finished"), "{outcome}");
    // the outcome shows how the file's columns were read: the project's mapping
    assert!(outcome.contains("How the file's columns are read"), "{outcome}");
    let mapped = |column: &str, field: &str| outcome.contains(&format!("<td><code>{column}</code></td><td>{field}</td>"));
    assert!(mapped("ParentId", "Parent account (the hierarchy)") && mapped("Id", "Account ID (from your CRM)"), "{outcome}");
    let contacts = "Id,FirstName,LastName,Email,Title,AccountId,IsDeleted\n003A,Anna,Berg,anna@acme.example,CFO,001DE,false\n";
    let outcome = upload_through_console(&mut admin, &id, "b2b_contacts", "contacts", contacts.as_bytes()).await;
    assert!(outcome.contains("Import finished"), "{outcome}");
    // a near miss in a team file is explained with its fix
    let outcome = upload_through_console(
        &mut admin,
        &id,
        "b2b_team",
        "team",
        b"AccountId,UserEmail,Team Member Role\n001DE,owner@corp.example,ACCOUNT_OWNER\n",
    )
    .await;
    assert!(outcome.contains("The column “Team Member Role” looks like “TeamMemberRole”"), "{outcome}");
    let team = "AccountId,UserEmail,TeamMemberRole,IsDeleted\n001DE,owner@corp.example,ACCOUNT_OWNER,false\n";
    let outcome = upload_through_console(&mut admin, &id, "b2b_team", "team", team.as_bytes()).await;
    assert!(outcome.contains("Import finished"), "{outcome}");

    // the list: the sub-account under its parent; an account's page with its team
    let page = admin.get(&format!("/console/projects/{id}/accounts")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let (hq, de) = (page.body.find("Acme Group").unwrap(), page.body.find("Acme Germany").unwrap());
    let arrow = hq + page.body[hq..].find("↳").expect("a sub-account is marked");
    assert!(hq < arrow && arrow < de, "Acme Germany is listed under Acme Group: {}", page.body);
    let page = admin.get(&format!("/console/projects/{id}/accounts/001DE")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h1>Acme Germany</h1>") && page.body.contains("owner@corp.example"), "{}", page.body);
    assert!(
        page.body.contains("anna@acme.example") && page.body.contains("<td>CFO</td><td>Account member</td>"),
        "its contacts: {}",
        page.body
    );
    let page = admin.get(&format!("/console/projects/{id}/accounts/001HQ")).await;
    assert!(page.body.contains("No contacts of this account are imported."), "{}", page.body);
    assert_eq!(admin.get(&format!("/console/projects/{id}/accounts/001NOPE")).await.status, 404);

    // routed to the teams: the owner gets one email, a second click sends nothing again
    let csrf = admin.csrf(&format!("/console/projects/{id}/accounts")).await;
    let page = admin.post(&format!("/console/projects/{id}/accounts/send"), &[("csrf", &csrf)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("2 account pages made. Team members emailed now: 1."), "{}", page.body);
    let mails = t.outbox(1).await;
    assert!(mails.iter().any(|m| m["to"][0] == "owner@corp.example"), "{mails:#?}");
    let page = admin.post(&format!("/console/projects/{id}/accounts/send"), &[("csrf", &csrf)]).await;
    assert!(page.body.contains("Team members emailed now: 0."), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_b2b_sync_is_set_up_from_the_console_which_shows_its_runs_and_why_one_failed() {
    let t = TestStack::start().await;
    let (mut admin, id) = admin_with(&t, json!({ "business_type": "B2B", "languages": ["en"], "time_zone": "Europe/Helsinki" })).await;
    let path = format!("/console/projects/{id}/accounts/sync");
    let page = admin.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("No sync is set up") && page.body.contains(&format!("/sync/{id}/accounts/")), "{}", page.body);
    assert!(page.body.contains("Europe/Helsinki"), "the time is the project's: {}", page.body);

    // an impossible time is refused at its field, nothing saved
    let csrf = hidden(&page.body, "csrf");
    let bad = admin.post(&path, &[("csrf", &csrf), ("every", "daily"), ("at", "25:00"), ("new_list", "on"), ("enabled", "on")]).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("id=\"at-error\"") && bad.body.contains("not a time of day"), "{}", bad.body);
    assert_eq!(t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/b2b/sync"), None).await["sync"], Value::Null);
    let ok = admin.post(&path, &[("csrf", &csrf), ("every", "daily"), ("at", "06:30"), ("new_list", "on"), ("enabled", "on")]).await;
    assert_eq!((ok.status, ok.location.as_deref()), (303, Some(format!("{path}?saved=1").as_str())), "{}", ok.body);
    let sync = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/b2b/sync"), None).await;
    assert_eq!(sync["sync"]["schedule"], json!({ "every": "daily", "at": "06:30" }), "{sync:#}");

    // a file of an unknown kind: a failed run, shown with its reason
    let bucket = t.config("import-contacts").data_bucket.clone();
    let put =
        |key: String, body: &'static str| t.stack.aws.s3.put_object().bucket(&bucket).key(key).body(body.as_bytes().to_vec().into()).send();
    put(format!("sync/{id}/orders/o.csv"), "x\n").await.unwrap();
    put(format!("sync/{id}/accounts/Account.csv"), "Id,Name\n001,Acme\n").await.unwrap();
    put(
        format!("sync/{id}/contacts/Contact.csv"),
        "Id,FirstName,LastName,Email,Title,AccountId\n003,Anna,Berg,anna@acme.example,CFO,001\n",
    )
    .await
    .unwrap();
    put(format!("sync/{id}/team/Team.csv"), "AccountId,UserEmail,TeamMemberRole\n001,ae@corp.example,Account Executive\n").await.unwrap();
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    let page = loop {
        let page = admin.get(&path).await;
        if page.body.contains("Done") && page.body.contains("Failed") {
            break page;
        }
        assert!(tokio::time::Instant::now() < deadline, "{}", page.body);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(
        page.body.contains("the folder &quot;orders&quot; is not one of") || page.body.contains("the folder \"orders\" is not one of"),
        "{}",
        page.body
    );
    assert!(page.body.contains("1 rows imported, 0 rejected") && page.body.contains("New contacts: 1"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sftp_key_is_added_explained_when_wrong_and_removed_from_the_console() {
    let t = TestStack::start_with(&[("SftpEndpoint", "true")]).await;
    let (mut admin, id) = admin_with(&t, json!({ "business_type": "B2B", "languages": ["en"] })).await;
    let sync = admin.get(&format!("/console/projects/{id}/accounts/sync")).await;
    assert!(sync.body.contains(&format!("/console/projects/{id}/accounts/sftp")), "the sync page links to SFTP access");
    let path = format!("/console/projects/{id}/accounts/sftp");
    let page = admin.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!("pulse-{id}")) && page.body.contains("No key yet"), "{}", page.body);

    // a private key pasted by mistake: explained at the field, in German
    let csrf = hidden(&page.body, "csrf");
    admin.post("/console/language", &[("csrf", &csrf), ("lang", "de")]).await;
    let wrong = admin.post(&path, &[("csrf", &csrf), ("public_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn")]).await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    assert!(wrong.body.contains("id=\"public_key-error\""), "{}", wrong.body);
    assert!(wrong.body.contains("Das ist ein privater Schlüssel"), "the problem in German: {}", wrong.body);
    assert_eq!(t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/b2b/sftp"), None).await["keys"], json!([]));

    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBGbuqGIXObD/cDl5G0YuiXGMIKhJrcs1uIB7d4kQID1 anna@laptop";
    let added = admin.post(&path, &[("csrf", &csrf), ("public_key", key)]).await;
    assert_eq!((added.status, added.location.as_deref()), (303, Some(format!("{path}?done=added").as_str())), "{}", added.body);
    let listed = admin.get(&format!("{path}?done=added")).await;
    assert!(listed.body.contains("SHA256:V01jH6y3ydfooY/hw+ziTWUHGXM812lXpRGL7y+gL4E"), "{}", listed.body);
    let again = admin.post(&path, &[("csrf", &csrf), ("public_key", key)]).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("Dieser Schlüssel ist bereits hinzugefügt"), "{}", again.body);
    let keys = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/b2b/sftp"), None).await;
    let key_id = keys["keys"][0]["id"].as_str().expect("the key").to_string();
    let removed = admin.post(&format!("{path}/{key_id}/remove"), &[("csrf", &csrf)]).await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let keys = t.admin_json(reqwest::Method::GET, &format!("/admin/projects/{id}/b2b/sftp"), None).await;
    assert_eq!(keys["keys"].as_array().map(Vec::len), Some(0), "{keys:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_salesforce_sync_is_set_up_from_the_console_its_secret_never_shown_and_a_failed_run_explained() {
    let t = TestStack::start().await;
    let org = pulse_tests::salesforce::StandIn::start("3MVG9key", "consumer-secret-4411").await;
    org.put(
        "Account",
        json!({ "Id": "001", "Name": "Acme", "ParentId": null, "IsDeleted": false, "SystemModstamp": pulse_tests::salesforce::stamp("2026-01-05T10:00:00") }),
    );
    org.with(|o| o.missing = vec![("Contact".into(), "Title".into())]);
    let (mut admin, id) = admin_with(&t, json!({ "business_type": "B2B", "languages": ["en"] })).await;
    let path = format!("/console/projects/{id}/accounts/sync");
    let csrf = admin.csrf(&path).await;

    // plain http to anywhere but this machine is refused at its field
    let form = |url: &str, csrf: &str| -> Vec<(String, String)> {
        [
            ("source", "salesforce"),
            ("instance_url", url),
            ("flow", "client_credentials"),
            ("every", "none"),
            ("new_list", "on"),
            ("enabled", "on"),
            ("csrf", csrf),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let bad = form("http://acme.my.salesforce.com", &csrf);
    let bad = admin.post(&path, &pairs(&bad)).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("id=\"instance_url-error\"") && bad.body.contains("https only"), "{}", bad.body);
    let ok = form(&org.url, &csrf);
    let saved = admin.post(&path, &pairs(&ok)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = admin.get(&path).await;
    assert!(page.body.contains("Not stored yet") && page.body.contains("Run now"), "{}", page.body);
    assert!(!page.body.contains("aws s3 cp"), "no drop folder for a Salesforce sync: {}", page.body);

    // the secret: stored, then only "stored, last changed"
    let stored = admin
        .post(&format!("{path}/secret"), &[("csrf", &csrf), ("client_id", "3MVG9key"), ("client_secret", "consumer-secret-4411")])
        .await;
    assert_eq!(stored.status, 303, "{}", stored.body);
    let page = admin.get(&format!("{path}?secret=1")).await;
    assert!(page.body.contains("The secret is stored.") && page.body.contains("Stored, last changed"), "{}", page.body);
    assert!(!page.body.contains("consumer-secret-4411"), "the secret is never shown");

    // run now: the org lacks a field, and the page says which
    let queued = admin.post(&format!("{path}/run"), &[("csrf", &csrf)]).await;
    assert_eq!((queued.status, queued.location.as_deref()), (303, Some(format!("{path}?queued=1").as_str())));
    let deadline = tokio::time::Instant::now() + pulse_tests::PATIENCE;
    let page = loop {
        let page = admin.get(&path).await;
        if page.body.contains("Failed") {
            break page;
        }
        assert!(tokio::time::Instant::now() < deadline, "{}", page.body);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(page.body.contains("the field Title does not exist on Contact") && page.body.contains("asked for"), "{}", page.body);
    assert!(page.body.contains("Account: 1 records (0 deleted) on 1 pages"), "{}", page.body);

    // an editor may run the sync but not touch the credentials
    let temporary = add_user(&t, "editor@example.com", "editor").await;
    let mut editor = Browser::new(&t);
    editor.first_sign_in("editor@example.com", &temporary, PASSWORD).await;
    let page = editor.get(&path).await;
    assert!(page.body.contains("Run now") && page.body.contains("Stored, last changed"), "{}", page.body);
    assert!(!page.body.contains("Store the secret"), "the secret's form is for admins: {}", page.body);
}

// ------------------------------------------------------------ help and status

/// The checklist's line of `step`: its `data-done` and its text.
fn step_line(body: &str, step: &str) -> (String, String) {
    let at = body.find(&format!(r#"data-step="{step}""#)).unwrap_or_else(|| panic!("no step {step} in {body}"));
    let line = &body[at..];
    let line = &line[..line.find("</li>").unwrap_or(line.len())];
    let done = line.split(r#"data-done=""#).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
    (done, line.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_pulse_checklist_ticks_itself_as_a_project_an_upload_and_a_send_happen() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut admin = Browser::new(&t);
    admin.first_sign_in(&email, &temporary, PASSWORD).await;
    let page = admin.get("/console/help").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(r#"href="/console/help""#), "the navigation leads to the section");
    assert_eq!(step_line(&page.body, "sender_verified").0, "true", "the local stack verifies its sender");
    let (done, line) = step_line(&page.body, "out_of_sandbox");
    assert_eq!(done, "false", "the emulator's account is in the sandbox, as a new one is");
    assert!(line.contains(r#"href="/console/help/status#ses""#), "{line}");
    let (done, line) = step_line(&page.body, "first_project");
    assert_eq!(done, "false");
    assert!(line.contains(r#"href="/console/projects/new""#), "{line}");
    assert!(page.body.contains("1 of 6 steps done"), "{}", page.body);

    // AWS grants production access: the step ticks on the next look
    let r = t.http.post(format!("{}/_pulse/ses-account", t.stack.emulator_url)).json(&json!({ "production_access": true })).send().await;
    assert_eq!(r.unwrap().status(), 200);
    let (id, _, _) = t.open_project(json!({ "kind": "quick_check_in", "settings": { "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"] } })).await;
    let page = admin.get("/console/help").await;
    assert_eq!(step_line(&page.body, "out_of_sandbox").0, "true");
    assert_eq!(step_line(&page.body, "first_project").0, "true");
    let (done, line) = step_line(&page.body, "first_upload");
    assert_eq!(done, "false");
    assert!(line.contains(&format!(r#"href="/console/projects/{id}/uploads""#)), "the next step is in the project: {line}");

    let imported = t.import_file(&id, "asiakkaat.csv", "Email,FirstName,LastName\naino@example.fi,Aino,Aalto\n").await;
    assert_eq!(imported["state"], "done", "{imported:#}");
    let page = admin.get("/console/help").await;
    assert_eq!(step_line(&page.body, "first_upload").0, "true", "{}", page.body);
    let (done, line) = step_line(&page.body, "first_send");
    assert_eq!(done, "false");
    assert!(line.contains(&format!(r#"href="/console/projects/{id}/sends/new""#)), "{line}");

    let messages = json!({ "en": { "subject": "How are we doing?", "body": "Hello {{FirstName}}: {{SurveyLink}}" } });
    sent(&t, &id, &imported["list_id"], messages).await;
    let page = admin.get("/console/help").await;
    assert_eq!(step_line(&page.body, "first_send").0, "true", "{}", page.body);
    let (done, line) = step_line(&page.body, "first_report");
    assert_eq!(done, "false");
    assert!(line.contains(&format!(r#"href="/console/projects/{id}/dashboard""#)), "{line}");
    assert!(page.body.contains("5 of 6 steps done"), "{}", page.body);

    // in German too
    admin.lang = "de";
    admin.cookies.remove("pulse_lang");
    let page = admin.get("/console/help").await;
    assert!(page.body.contains("5 von 6 Schritten erledigt"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_shows_the_messages_waiting_on_a_dead_letter_queue_and_a_viewer_sees_it_too() {
    let t = TestStack::start().await;
    let viewer_password = add_user(&t, "viewer@example.com", "viewer").await;
    let mut viewer = Browser::new(&t);
    viewer.first_sign_in("viewer@example.com", &viewer_password, PASSWORD).await;
    let waiting = |body: &str, queue: &str| -> String {
        let at = body.find(&format!(r#"data-queue="{queue}""#)).unwrap_or_else(|| panic!("no {queue} in {body}"));
        body[at..].split(r#"data-waiting=""#).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string()
    };
    let page = viewer.get("/console/help/status").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(waiting(&page.body, "SendDeadLetterQueue"), "0");
    assert!(page.body.contains("Every table, the bucket and every queue answer."), "{}", page.body);
    assert!(
        page.body.contains("Core table (projects, links, distributions, budgets)") && page.body.contains("Report queue"),
        "{}",
        page.body
    );
    // the sandbox's quota (1 a second) against the template's 14
    assert!(page.body.contains(r#"id="rate-warning""#) && page.body.contains("over SES"), "{}", page.body);
    assert!(page.body.contains("In the sandbox"), "{}", page.body);
    // the schedules, as the local stack has them: not firing on their own in the tests
    assert!(page.body.contains("-daily-reports") && page.body.contains("cron(0 6 * * ? *)"), "{}", page.body);
    assert!(page.body.contains("Disabled"), "{}", page.body);
    assert!(page.body.contains(env!("CARGO_PKG_VERSION")), "the version: {}", page.body);
    assert!(page.body.contains("Only administrators can download"), "{}", page.body);

    let config = t.config("admin-api");
    let (_, dlq) = config.dead_letter_queues.iter().find(|(n, _)| n == "SendDeadLetterQueue").expect("the send queue's dead letters");
    t.stack.aws.sqs.send_message().queue_url(dlq).message_body(r#"{"failed":true}"#).send().await.unwrap();
    let page = viewer.get("/console/help/status").await;
    assert_eq!(waiting(&page.body, "SendDeadLetterQueue"), "1", "{}", page.body);
    assert_eq!(waiting(&page.body, "ImportDeadLetterQueue"), "0");

    // a viewer may not download the support bundle
    let page = viewer.get("/console/help/support-bundle.json").await;
    assert_eq!(page.status, 403, "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_support_bundle_holds_no_secret_and_names_a_recorded_5xx_by_its_request_id() {
    let t = TestStack::start().await;
    let (mut admin, id) = admin_with_project(&t).await;
    // a 5xx: the project cannot be read
    t.inject_fault(json!({ "operation": "GetItem", "matching": id, "mode": "error", "after": 0, "times": 1000 })).await;
    let r = t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap();
    assert_eq!(r.status(), 500);
    let failed: Value = r.json().await.unwrap();
    let request_id = failed["request_id"].as_str().expect("the error's request id").to_string();
    assert_ne!(request_id, "unknown");
    t.clear_faults().await;

    let r = t
        .http
        .get(t.url("/console/help/support-bundle.json"))
        .header(COOKIE, admin.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let disposition = r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains(".json"), "{disposition}");
    let text = r.text().await.unwrap();
    let bundle: Value = serde_json::from_str(&text).expect("the bundle is JSON");
    let kept = bundle["last_errors"].as_array().cloned().unwrap_or_default();
    let error = kept.iter().find(|e| e["request_id"] == request_id.as_str()).unwrap_or_else(|| panic!("{request_id} not in {bundle:#}"));
    assert_eq!(error["route"], "/admin/projects/{id}", "the route's template, not the path: {error}");
    assert_eq!(error["status"], 500);
    assert!(!text.contains(&id), "no raw path or id of the failed request");

    // no secret value, and the names withheld are listed
    let config = t.config("admin-api");
    let withheld: Vec<&str> = bundle["configuration"]["withheld"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(withheld.contains(&"LINKS_KEY_ID") && withheld.contains(&"SECRETS_PREFIX"), "{withheld:?}");
    assert_eq!(bundle["configuration"]["values"]["CORE_TABLE"], config.core_table.as_str());
    let (admin_email, _) = seeded_admin(&t);
    for secret in [
        config.links_key_id.as_str(),
        config.secrets_prefix.as_str(),
        t.stack.api_key.as_str(),
        PASSWORD,
        admin.cookies["pulse_id"].as_str(),
        admin.cookies["pulse_refresh"].as_str(),
        config.sender_email.as_str(),
        admin_email.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret} is in the support bundle");
    }
    assert!(bundle["version"]["version"].is_string() && bundle["status"]["checks"].is_array(), "{bundle:#}");
    // the page offers it to an admin
    let page = admin.get("/console/help/status").await;
    assert!(page.body.contains(r#"href="/console/help/support-bundle.json""#), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_document_names_every_table_and_the_bucket_of_the_template() {
    let t = TestStack::start().await;
    let (email, temporary) = seeded_admin(&t);
    let mut admin = Browser::new(&t);
    admin.first_sign_in(&email, &temporary, PASSWORD).await;
    let page = admin.get("/console/help/data").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!t.stack.template.tables.is_empty() && !t.stack.template.buckets.is_empty());
    for id in t.stack.template.tables.iter().map(|t| &t.logical_id).chain(t.stack.template.buckets.iter().map(|b| &b.logical_id)) {
        assert!(page.body.contains(&format!(r#"id="store-{id}""#)), "{id} is not in the document: {}", page.body);
    }
    for q in &t.stack.template.queues {
        assert!(page.body.contains(&q.logical_id), "{} is not in the document", q.logical_id);
    }
    // the retention this stack runs with
    let days = t.config("admin-api").upload_retention_days;
    assert!(page.body.contains(&format!("uploads/: deleted after {days} days")), "{}", page.body);
    assert!(!page.body.contains("Not described"), "every store is described");
}
