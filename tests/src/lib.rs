//! The test harness: every test starts its own local stack on its own moto
//! server (free ports, nothing shared), so `cargo test` needs nothing started
//! by hand and tests cannot see each other's data. Dropping the stack stops
//! the emulator.

use std::time::Duration;

pub use pulse_local::lambda::Invocation;
use pulse_local::{LocalStack, Options};
use serde_json::Value;

/// The API key the test stacks ask for.
pub const API_KEY: &str = "test-api-key";

/// How long an event may take to arrive before a test gives up waiting. It
/// only bounds a hang; no test measures time.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A local stack for one test.
pub struct TestStack {
    pub stack: LocalStack,
    pub http: reqwest::Client,
}

impl TestStack {
    /// Starts a fresh stack. Schedules only fire when a test fires them.
    pub async fn start() -> Self {
        pulse_shared::telemetry::init();
        let mut options = Options::new();
        options.api_key = API_KEY.to_string();
        options.run_schedules = false;
        let stack = LocalStack::start(options).await.unwrap_or_else(|e| panic!("the local stack did not start: {e}"));
        TestStack { stack, http: reqwest::Client::new() }
    }

    /// The absolute URL of a path on the stack.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.stack.base_url)
    }

    /// A request to an admin route, with the API key.
    pub fn admin(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).header("x-api-key", API_KEY)
    }

    /// Waits until `function` has an invocation that `matches`; returns it.
    pub async fn invocation(&self, function: &str, matches: impl Fn(&Invocation) -> bool) -> Invocation {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(found) = self.stack.functions.invocations(Some(function)).into_iter().find(|i| matches(i)) {
                return found;
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "{function} never received the expected event; it received: {:#?}",
                    self.stack.functions.invocations(Some(function))
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the outbox holds at least `n` emails; returns them.
    pub async fn outbox(&self, n: usize) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let mails: Vec<Value> = self.http.get(self.url("/_local/outbox.json")).send().await.expect("outbox").json().await.expect("outbox json");
            if mails.len() >= n {
                return mails;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("the outbox holds {} emails, expected {n}: {mails:#?}", mails.len());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The configuration a function runs with.
    pub fn config(&self, function: &str) -> &pulse_shared::Config {
        &self.stack.configs[function]
    }
}

impl TestStack {
    /// Creates a project through the admin API; panics unless 201.
    pub async fn create_project(&self, body: Value) -> Value {
        let r = self.admin(reqwest::Method::POST, "/admin/projects").json(&body).send().await.expect("create project");
        let status = r.status();
        let v: Value = r.json().await.expect("project json");
        assert_eq!(status, 201, "{v}");
        v
    }

    /// Publishes a project's draft; returns the publish answer.
    pub async fn publish(&self, id: &str) -> Value {
        let r = self.admin(reqwest::Method::POST, &format!("/admin/projects/{id}/publish")).send().await.expect("publish");
        assert_eq!(r.status(), 201);
        r.json().await.expect("publish json")
    }

    /// Creates and publishes a project; returns its id, the path of its
    /// anonymous link and the published survey.
    pub async fn open_project(&self, body: Value) -> (String, String, Value) {
        let p = self.create_project(body).await;
        let id = p["id"].as_str().expect("id").to_string();
        let survey = self.publish(&id).await["survey"].clone();
        let anon = p["anonymous_link"].as_str().expect("link").strip_prefix(&self.stack.base_url).expect("link on this stack").to_string();
        (id, anon, survey)
    }

    /// Mints a personal link; returns its path (`/s/<token>`).
    pub async fn personal_link(&self, id: &str, body: Value) -> String {
        let r = self.admin(reqwest::Method::POST, &format!("/admin/projects/{id}/links")).json(&body).send().await.expect("mint link");
        let status = r.status();
        let v: Value = r.json().await.expect("link json");
        assert_eq!(status, 201, "{v}");
        let url = v["url"].as_str().expect("url").to_string();
        url.strip_prefix(&self.stack.base_url).expect("link on this stack").to_string()
    }

    /// A project's stored responses.
    pub async fn responses(&self, id: &str) -> Value {
        self.admin(reqwest::Method::GET, &format!("/admin/projects/{id}/responses")).send().await.expect("responses").json().await.expect("json")
    }
}

/// A complete, valid set of answers for a survey definition: the top of
/// every scale, the first option of every choice, a short text; no
/// follow-up request.
pub fn complete_answers(survey: &Value) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for q in survey["questions"].as_array().expect("questions") {
        if !q["shown_if"].is_null() || q["id"] == "follow_up" {
            continue;
        }
        let id = q["id"].as_str().unwrap().to_string();
        let a = &q["answering"];
        let value = match a["type"].as_str().unwrap() {
            "scale" => a["max"].to_string(),
            "single" | "multi" => a["choices"][0]["value"].as_str().unwrap().to_string(),
            _ => "All good".to_string(),
        };
        form.push((id, value));
    }
    form
}

impl TestStack {
    /// Posts a survey form as a browser does.
    pub async fn post_form(&self, path: &str, answers: &[(String, String)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(answers))
            .send()
            .await
            .expect("submit")
    }

    /// Posts a survey form; returns the status.
    pub async fn submit(&self, path: &str, answers: &[(String, String)]) -> reqwest::StatusCode {
        self.post_form(path, answers).await.status()
    }

    /// Waits until `notify-thresholds` has been handed `n` response inserts
    /// (and answered them), so that every notification they cause is sent.
    pub async fn wait_for_stream(&self, n: usize) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let seen: std::collections::BTreeSet<String> = self
                .stack
                .functions
                .invocations(Some("notify-thresholds"))
                .iter()
                .filter(|i| i.result.as_ref().is_ok_and(|r| r["batchItemFailures"].as_array().is_some_and(|f| f.is_empty())))
                .flat_map(|i| i.event["Records"].as_array().cloned().unwrap_or_default())
                .filter(|r| r["eventName"] == "INSERT" && r["dynamodb"]["Keys"]["sk"]["S"].as_str().is_some_and(|s| s.starts_with("RESPONSE#")))
                .filter_map(|r| r["dynamodb"]["SequenceNumber"].as_str().map(str::to_string))
                .collect();
            let seen = seen.len();
            if seen >= n {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("notify-thresholds saw {seen} of {n} responses");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The emails sent so far, newest first.
    pub async fn mails(&self) -> Vec<Value> {
        self.http.get(self.url("/_local/outbox.json")).send().await.expect("outbox").json().await.expect("outbox json")
    }
}

/// An `application/x-www-form-urlencoded` body.
pub fn form_body(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}
