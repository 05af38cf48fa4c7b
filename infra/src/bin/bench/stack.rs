//! The local stack as the benchmarks drive it: start it, create and publish
//! a project, import a contact list, run a distribution, open and answer
//! surveys, all through the HTTP routes as an operator and respondents would.

use std::collections::BTreeMap;
use std::time::Duration;

use pulse_local::{LocalStack, Options};
use reqwest::Method;
use serde_json::{json, Value};

/// A started stack and an HTTP client for its routes.
pub struct Bench {
    pub stack: LocalStack,
    pub http: reqwest::Client,
}

/// A published project.
pub struct Project {
    pub id: String,
    /// The path of its anonymous link (`/s/<token>`).
    pub anonymous_path: String,
    /// The published survey definition.
    pub survey: Value,
}

/// Options for a benchmark stack: schedules only fire when asked.
pub fn options() -> Options {
    let mut options = Options::new();
    options.run_schedules = false;
    // every submission comes from 127.0.0.1 at machine speed: the anonymous
    // links' fill time and windows are opened up (their DynamoDB calls stay)
    for (k, v) in [("FormMinSeconds", "0"), ("AnonymousPerAddressPerMinute", "1000000"), ("AnonymousPerLinkPerMinute", "1000000")] {
        options.parameter_overrides.insert(k.into(), v.into());
    }
    options
}

impl Bench {
    /// Starts the stack; its warnings and errors go to stderr.
    pub async fn start(options: Options) -> Result<Bench, String> {
        std::env::set_var("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()));
        pulse_shared::telemetry::init();
        let stack = LocalStack::start(options).await.map_err(|e| e.to_string())?;
        Ok(Bench { stack, http: reqwest::Client::new() })
    }

    pub async fn stop(self) {
        self.stack.stop().await;
    }

    /// An admin request (with the API key); the JSON answer of a 2xx status.
    pub async fn admin(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.stack.base_url)).header("x-api-key", &self.stack.api_key);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let v: Value = response.json().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(v)
        } else {
            Err(format!("{path}: {status}: {v}"))
        }
    }

    /// Creates a project of `kind` with `settings` and publishes it.
    pub async fn open_project(&self, kind: &str, settings: Value) -> Result<Project, String> {
        let project = self.admin(Method::POST, "/admin/projects", Some(&json!({ "kind": kind, "settings": settings }))).await?;
        let id = project["id"].as_str().unwrap_or_default().to_string();
        let published = self.admin(Method::POST, &format!("/admin/projects/{id}/publish"), None).await?;
        let anonymous_path =
            project["anonymous_link"].as_str().and_then(|l| l.strip_prefix(&self.stack.base_url)).unwrap_or_default().to_string();
        Ok(Project { id, anonymous_path, survey: published["survey"].clone() })
    }

    /// Uploads a contact file and waits for its import; returns the list id.
    pub async fn import(&self, project_id: &str, file: String) -> Result<String, String> {
        let upload =
            self.admin(Method::POST, &format!("/admin/projects/{project_id}/uploads"), Some(&json!({ "file_name": "bench.csv" }))).await?;
        self.http
            .put(upload["upload"]["url"].as_str().unwrap_or_default())
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| e.to_string())?;
        let upload_id = upload["upload_id"].as_str().unwrap_or_default();
        loop {
            let u = self.admin(Method::GET, &format!("/admin/projects/{project_id}/uploads/{upload_id}"), None).await?;
            match u["state"].as_str() {
                Some("done") => return Ok(upload["list_id"].as_str().unwrap_or_default().to_string()),
                Some("failed") => return Err(format!("the import failed: {u}")),
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }

    /// Sends a distribution to a list (a message in each of `languages`)
    /// and waits until it is done; returns the distribution.
    pub async fn distribute(&self, project_id: &str, list_id: &str, languages: &[&str]) -> Result<Value, String> {
        let messages: BTreeMap<&str, Value> =
            languages.iter().map(|l| (*l, json!({ "subject": "Hello {{FirstName}}", "body": "Please answer: {{SurveyLink}}" }))).collect();
        let d = self
            .admin(
                Method::POST,
                &format!("/admin/projects/{project_id}/distributions"),
                Some(&json!({ "list_id": list_id, "messages": messages })),
            )
            .await?;
        let id = d["id"].as_str().unwrap_or_default().to_string();
        loop {
            let d = self.admin(Method::GET, &format!("/admin/projects/{project_id}/distributions/{id}"), None).await?;
            if d["state"] == "done" {
                return Ok(d);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Opens a survey page (`GET /s/<token>`); returns the status and the
    /// form token an anonymous link's page carries.
    pub async fn view(&self, path: &str) -> Result<(u16, Option<String>), String> {
        let r = self.http.get(format!("{}{path}", self.stack.base_url)).send().await.map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        let page = r.text().await.map_err(|e| e.to_string())?;
        Ok((status, form_token(&page)))
    }

    /// Submits a survey form (`POST /s/<token>`) as given (an anonymous
    /// link's needs the `ft` of a page view: [`Bench::view`]); fails unless 200.
    pub async fn submit(&self, path: &str, form: &[(String, String)]) -> Result<(), String> {
        let r = self.http.post(format!("{}{path}", self.stack.base_url)).form(&form).send().await.map_err(|e| e.to_string())?;
        let status = r.status();
        let body = r.text().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("POST {path}: {status}: {}", body.chars().take(300).collect::<String>()))
        }
    }

    /// The personal survey links (paths) in the emails sent so far.
    pub async fn personal_links(&self) -> Result<Vec<String>, String> {
        let mails = pulse_local::outbox::fetch(&self.stack.emulator_url).await?;
        let prefix = format!("{}/s/", self.stack.base_url);
        Ok(mails
            .iter()
            .filter_map(|m| m.links.iter().find(|l| l.starts_with(&prefix)))
            .filter_map(|l| l.strip_prefix(&self.stack.base_url).map(str::to_string))
            .collect())
    }
}

/// The form token a survey page carries (an anonymous link's page).
pub fn form_token(page: &str) -> Option<String> {
    let at = page.find(r#"name="ft" value=""#)?;
    let rest = &page[at + 17..];
    rest.find('"').map(|end| rest[..end].to_string())
}

/// One answer of the stack to a respondent's request.
pub struct Answer {
    pub status: u16,
    /// The round trip.
    pub secs: f64,
    /// Whether it was an HTML page (the survey, a thank-you or a refusal).
    pub page: bool,
}

/// What a respondent's visit came to: the page view, then the POST (none
/// when the page view did not show the form), with the form token posted.
pub struct Visit {
    pub view: Answer,
    pub post: Option<Answer>,
    pub token: Option<String>,
}

/// A respondent, as a browser is one: opens the survey page (`GET url`),
/// then posts `form` with the form token the page carries (an anonymous
/// link's). An error is a request the stack did not answer.
pub async fn visit(http: &reqwest::Client, url: &str, form: &[(String, String)]) -> Result<Visit, String> {
    async fn answer(request: reqwest::RequestBuilder) -> Result<(Answer, String), String> {
        let t = std::time::Instant::now();
        let r = request.send().await.map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        let html = r.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
        let body = r.text().await.map_err(|e| e.to_string())?;
        Ok((Answer { status, secs: t.elapsed().as_secs_f64(), page: html && !body.is_empty() }, body))
    }
    let (view, page) = answer(http.get(url)).await.map_err(|e| format!("page view: {e}"))?;
    if !(200..300).contains(&view.status) {
        return Ok(Visit { view, post: None, token: None });
    }
    let token = form_token(&page);
    let mut form = form.to_vec();
    form.extend(token.clone().map(|t| ("ft".to_string(), t)));
    let (post, _) = answer(http.post(url).form(&form)).await.map_err(|e| format!("POST: {e}"))?;
    Ok(Visit { view, post: Some(post), token })
}

/// A contact file of `n` contacts with a column per operational field
/// (`Region` gets one of five values, any other field one of eight).
pub fn contact_csv(n: usize, fields: &[&str]) -> String {
    let mut file = String::from("Email,FirstName,LastName");
    for f in fields {
        file.push(',');
        file.push_str(f);
    }
    file.push('\n');
    for i in 0..n {
        file.push_str(&format!("person.{i}@example.com,First{i},Last{i}"));
        for f in fields {
            let value = match *f {
                "Region" => ["North", "South", "East", "West", "Central"][i % 5].to_string(),
                _ => format!("Unit {}", i % 8),
            };
            file.push(',');
            file.push_str(&value);
        }
        file.push('\n');
    }
    file
}

/// The functions of `template.yaml` (the one list of them), read as the
/// local stack reads them; an unreadable template ends the benchmark.
pub fn functions() -> Vec<pulse_local::template::FunctionSpec> {
    match pulse_local::template::Template::load(&pulse_local::workspace_root().join("template.yaml")) {
        Ok(t) => t.functions,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

/// Each function's `MemorySize` in `template.yaml` (its own, else the
/// `Globals` one), by binary name.
pub fn memory_mb() -> BTreeMap<String, u64> {
    functions().into_iter().map(|f| (f.binary, f.memory_size)).collect()
}
