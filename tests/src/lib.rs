//! The test harness: every test starts its own local stack on its own moto
//! server (free ports, nothing shared), so `cargo test` needs nothing started
//! by hand and tests cannot see each other's data. Dropping the stack stops
//! the emulator.

pub mod salesforce;

use std::time::Duration;

use pulse_local::calls::Calls;
pub use pulse_local::lambda::Invocation;
use pulse_local::{LocalStack, Options};
use serde_json::Value;

/// The API key the test stacks ask for.
pub const API_KEY: &str = "test-api-key";

/// How long an event may take to arrive before a test gives up waiting. It
/// only bounds a hang; no test measures time.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Where the tests' logs are kept, one file per test process:
/// `PULSE_LOG_DIR`, else `target/test-artifacts/logs/`. `infra/test.sh`
/// empties it first and scans it last (`tests/tests/logscan.rs`).
pub fn log_dir() -> std::path::PathBuf {
    match std::env::var_os("PULSE_LOG_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => dir.into(),
        None => pulse_local::workspace_root().join("target/test-artifacts/logs"),
    }
}

/// Sends this process's logs, the in-process functions' among them, to a
/// file of its own in [`log_dir`] (once; later calls do nothing).
pub fn init_logs() {
    pulse_shared::telemetry::init_in(&log_dir());
}

/// A local stack for one test.
pub struct TestStack {
    pub stack: LocalStack,
    pub http: reqwest::Client,
    /// The AWS calls every function makes, when the stack counts them
    /// ([`TestStack::start_counting_calls`]).
    pub calls: Option<Calls>,
}

impl TestStack {
    /// Starts a fresh stack. Schedules only fire when a test fires them.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts a fresh stack with template parameters overridden.
    pub async fn start_with(parameters: &[(&str, &str)]) -> Self {
        Self::start_options(parameters, None).await
    }

    /// Starts a fresh stack whose functions' AWS clients count their calls
    /// (the interceptor `pulse-bench` uses).
    pub async fn start_counting_calls() -> Self {
        Self::start_options(&[], Some(Calls::default())).await
    }

    /// Starts a fresh stack on another template than the workspace's (one
    /// whose policies a test has narrowed, say).
    pub async fn start_on_template(template: &std::path::Path) -> Self {
        let mut options = Options::new();
        options.template = Some(template.to_path_buf());
        Self::start_with_options(options, &[], None).await
    }

    async fn start_options(parameters: &[(&str, &str)], calls: Option<Calls>) -> Self {
        Self::start_with_options(Options::new(), parameters, calls).await
    }

    async fn start_with_options(mut options: Options, parameters: &[(&str, &str)], calls: Option<Calls>) -> Self {
        init_logs();
        options.client_hook = calls.as_ref().map(Calls::hook);
        options.api_key = API_KEY.to_string();
        options.run_schedules = false;
        // Tests submit many forms from 127.0.0.1 at machine speed: the
        // anonymous links' fill time and windows are opened up unless a
        // test sets them (the defences' own tests do).
        let open = [("FormMinSeconds", "0"), ("AnonymousPerAddressPerMinute", "1000000"), ("AnonymousPerLinkPerMinute", "1000000")];
        options.parameter_overrides = open
            .iter()
            .filter(|(k, _)| !parameters.iter().any(|(p, _)| p == k))
            .chain(parameters.iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let stack = LocalStack::start(options).await.unwrap_or_else(|e| panic!("the local stack did not start: {e}"));
        TestStack { stack, http: reqwest::Client::new(), calls }
    }

    /// The absolute URL of a path on the stack.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.stack.base_url)
    }

    /// An admin route's JSON answer (whatever its status).
    pub async fn admin_json(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.admin(method, path);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("admin request").json().await.unwrap_or(Value::Null)
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
            let mails = self.mails().await;
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

/// A function's DynamoDB call that its template policy does not allow is
/// refused as AWS would refuse it; should the function shrug the error off
/// (a best-effort step), the test still fails here, when its stack goes.
/// A test that means to provoke refusals takes them first
/// (`stack.denials.take()`).
impl Drop for TestStack {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let denied = self.stack.denials.take();
        if !denied.is_empty() {
            let list: Vec<String> = denied.iter().map(ToString::to_string).collect();
            panic!("calls refused by the functions' template policies (template.yaml):\n{}", list.join("\n"));
        }
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
        self.admin(reqwest::Method::GET, &format!("/admin/projects/{id}/responses"))
            .send()
            .await
            .expect("responses")
            .json()
            .await
            .expect("json")
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

/// The value of the hidden input `name` on a page.
pub fn hidden_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    let value = &page[at..at + page[at..].find('"')?];
    Some(value.replace("&amp;", "&"))
}

impl TestStack {
    /// Posts a survey form as a browser does: after a page view, with the
    /// form token the page carries (unless the answers bring their own
    /// `ft`, or the page has none).
    pub async fn post_form(&self, path: &str, answers: &[(String, String)]) -> reqwest::Response {
        let mut answers = answers.to_vec();
        if !answers.iter().any(|(k, _)| k == "ft") {
            if let Some(token) = self.form_token(path).await {
                answers.push(("ft".into(), token));
            }
        }
        self.post_raw(path, &answers).await
    }

    /// Posts a form exactly as given (no page view, no token added).
    pub async fn post_raw(&self, path: &str, answers: &[(String, String)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(answers))
            .send()
            .await
            .expect("submit")
    }

    /// Waits until a change to a project or to its account's budget shows
    /// on its survey pages: a page view uses what the warm function read of
    /// the link, the project and the budget's room up to `PAGE_AGE` ago
    /// (`Freshness::Recent`, `Budgets::links_have_room`); a submission
    /// checks at once.
    pub async fn until_pages_see_changes(&self) {
        tokio::time::sleep(pulse_shared::store::PAGE_AGE + std::time::Duration::from_millis(50)).await;
    }

    /// Views a survey page and returns the form token it carries, if any.
    pub async fn form_token(&self, path: &str) -> Option<String> {
        let page = self.http.get(self.url(path)).send().await.expect("page view").text().await.unwrap_or_default();
        hidden_value(&page, "ft")
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
                .filter(|r| {
                    r["eventName"] == "INSERT" && r["dynamodb"]["Keys"]["sk"]["S"].as_str().is_some_and(|s| s.starts_with("RESPONSE#"))
                })
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

    /// The emails sent so far, newest first. Every test that reads mail
    /// also checks that no emailed link is an S3 presigned URL: an email
    /// promises its links for days, and a presigned URL signed with a
    /// function's session credentials dies within hours.
    pub async fn mails(&self) -> Vec<Value> {
        let mails: Vec<Value> =
            self.http.get(self.url("/_local/outbox.json")).send().await.expect("outbox").json().await.expect("outbox json");
        for mail in &mails {
            let presigned = presigned_links(&mail["links"]);
            assert!(presigned.is_empty(), "an email links to S3 presigned URLs {presigned:?}: {mail:#}");
        }
        mails
    }
}

/// The S3 presigned URLs among `links` (a JSON array of URLs).
pub fn presigned_links(links: &Value) -> Vec<String> {
    let signed = |l: &&str| l.contains("X-Amz-Signature") || l.contains("X-Amz-Credential") || l.contains("memory://");
    links.as_array().into_iter().flatten().filter_map(Value::as_str).filter(signed).map(str::to_string).collect()
}

/// How long an S3 presigned URL is valid, in seconds (`X-Amz-Expires`).
pub fn presigned_lifetime(url: &str) -> Option<u64> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "X-Amz-Expires").and_then(|(_, v)| v.parse().ok())
}

/// An `application/x-www-form-urlencoded` body.
pub fn form_body(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

impl TestStack {
    /// Asks for an upload URL and PUTs `bytes` to it, as a CX team's
    /// browser or script does; returns the admin API's answer.
    pub async fn upload(&self, project_id: &str, file_name: &str, list_name: Option<&str>, bytes: Vec<u8>) -> Value {
        let mut body = serde_json::json!({ "file_name": file_name });
        if let Some(n) = list_name {
            body["list_name"] = n.into();
        }
        self.upload_with(project_id, body, bytes).await
    }

    /// Asks for an upload URL with `body` (file name, list name, B2B kind…)
    /// and PUTs `bytes` to it; returns the admin API's answer.
    pub async fn upload_with(&self, project_id: &str, body: Value, bytes: Vec<u8>) -> Value {
        let r = self
            .admin(reqwest::Method::POST, &format!("/admin/projects/{project_id}/uploads"))
            .json(&body)
            .send()
            .await
            .expect("upload url");
        let status = r.status();
        let answer: Value = r.json().await.expect("upload json");
        assert_eq!(status, 201, "{answer}");
        let put = &answer["upload"];
        let r = self
            .http
            .put(put["url"].as_str().expect("url"))
            .header("content-type", put["headers"]["Content-Type"].as_str().expect("content type"))
            .body(bytes)
            .send()
            .await
            .expect("PUT to the upload URL");
        assert!(r.status().is_success(), "the presigned PUT failed: {} {}", r.status(), r.text().await.unwrap_or_default());
        answer
    }

    /// An upload's import record, as the admin API shows it.
    pub async fn import(&self, project_id: &str, upload_id: &str) -> Value {
        let r =
            self.admin(reqwest::Method::GET, &format!("/admin/projects/{project_id}/uploads/{upload_id}")).send().await.expect("upload");
        assert_eq!(r.status(), 200);
        r.json().await.expect("upload json")
    }

    /// Waits until an import has ended (`done` or `failed`); returns it.
    pub async fn finished_import(&self, project_id: &str, upload_id: &str) -> Value {
        self.import_until(project_id, upload_id, |v| v["state"] == "done" || v["state"] == "failed").await
    }

    /// Waits until an import record satisfies `ready`; returns it.
    pub async fn import_until(&self, project_id: &str, upload_id: &str, ready: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let v = self.import(project_id, upload_id).await;
            if ready(&v) {
                return v;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("the import never got there: {v:#}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Uploads a file and waits for its import to end; returns the record.
    pub async fn import_file(&self, project_id: &str, file_name: &str, bytes: impl Into<Vec<u8>>) -> Value {
        let u = self.upload(project_id, file_name, None, bytes.into()).await;
        self.finished_import(project_id, u["upload_id"].as_str().expect("upload id")).await
    }

    /// Erases a person (GDPR) and waits for the erasure's job to finish;
    /// returns the answer of the request (`erased`: the directory half) with
    /// `job` replaced by the finished job.
    pub async fn erase(&self, project_id: &str, email: &str) -> Value {
        self.run_job(&format!("/admin/projects/{project_id}/contacts/{email}")).await
    }

    /// Deletes a project (`DELETE /admin/projects/{id}`) and waits for the
    /// deletion's job to end; returns the answer with the job as it ended.
    pub async fn delete_project(&self, project_id: &str) -> Value {
        self.run_job(&format!("/admin/projects/{project_id}")).await
    }

    /// A `DELETE` that answers 202 with a job, followed until the job is done.
    async fn run_job(&self, path: &str) -> Value {
        let r = self.admin(reqwest::Method::DELETE, path).send().await.expect("delete");
        let status = r.status();
        let mut answer: Value = r.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 202, "{answer:#}");
        let url = answer["status_url"].as_str().expect("status url").to_string();
        // a large project's job runs through many slices: the 50,000
        // responses of the privacy suite take about five minutes on a
        // two-core machine, more while other suites run; this only stops
        // a job that never ends
        let deadline = tokio::time::Instant::now() + PATIENCE * 20;
        loop {
            let job: Value = self.admin(reqwest::Method::GET, &url).send().await.expect("job").json().await.unwrap_or(Value::Null);
            if job["job"]["state"] == "done" {
                answer["job"] = job["job"].clone();
                return answer;
            }
            assert!(tokio::time::Instant::now() < deadline, "job still running: {job:#}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Injects a DynamoDB fault in the emulator (see `infra/emulator.py`).
    pub async fn inject_fault(&self, rule: Value) {
        let r = self.http.post(format!("{}/_pulse/faults", self.stack.emulator_url)).json(&rule).send().await.expect("fault");
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    }

    /// Clears every injected fault.
    pub async fn clear_faults(&self) {
        let r = self.http.delete(format!("{}/_pulse/faults", self.stack.emulator_url)).send().await.expect("faults");
        assert_eq!(r.status(), 200);
    }
}
