//! The local stand-in for the Lambda service: each function of the template
//! is the same handler its Lambda binary runs, invoked in-process with a JSON
//! payload exactly as Lambda would hand it (deserialised into the typed event
//! by the same serde code), with a request id and a deadline. Every
//! invocation is logged (event and result) so a developer, and the tests,
//! can see what each handler received and answered.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lambda_http::tower::ServiceExt;
use lambda_http::{request::LambdaRequest, service_fn, Adapter, Context, LambdaEvent};
use pulse_shared::App;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

type BoxFuture<T> = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;
type Invoke = Arc<dyn Fn(Value, Context) -> BoxFuture<Result<Value, String>> + Send + Sync>;

/// How many invocations the log keeps (oldest dropped first).
const LOG_CAPACITY: usize = 2000;

/// One invocation: what the function received and what it answered.
#[derive(Debug, Clone, Serialize)]
pub struct Invocation {
    pub function: String,
    pub request_id: String,
    pub at_ms: u128,
    pub event: Value,
    /// The handler's result, or its error (a failed invocation).
    pub result: Result<Value, String>,
}

/// The functions of the stack, by binary name.
#[derive(Clone)]
pub struct Functions {
    handlers: Arc<BTreeMap<String, Invoke>>,
    log: Arc<Mutex<VecDeque<Invocation>>>,
}

fn http_function<F, Fut>(app: Arc<App>, handler: F) -> Invoke
where
    F: Fn(Arc<App>, lambda_http::Request) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error>> + Send + 'static,
{
    Arc::new(move |payload: Value, context: Context| {
        let app = app.clone();
        let handler = handler.clone();
        Box::pin(async move {
            let request: LambdaRequest = serde_json::from_value(payload).map_err(|e| format!("the HTTP event could not be read: {e}"))?;
            let adapter = Adapter::from(service_fn(move |req| handler(app.clone(), req)));
            let response = adapter.oneshot(LambdaEvent::new(request, context)).await.map_err(|e| e.to_string())?;
            serde_json::to_value(response).map_err(|e| e.to_string())
        })
    })
}

fn event_function<E, R, F, Fut>(app: Arc<App>, handler: F) -> Invoke
where
    E: DeserializeOwned + Send + 'static,
    R: Serialize,
    F: Fn(Arc<App>, LambdaEvent<E>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, pulse_shared::Error>> + Send + 'static,
{
    Arc::new(move |payload: Value, context: Context| {
        let app = app.clone();
        let handler = handler.clone();
        Box::pin(async move {
            let event: E = serde_json::from_value(payload).map_err(|e| format!("the event could not be read: {e}"))?;
            match handler(app, LambdaEvent::new(event, context)).await {
                Ok(r) => serde_json::to_value(r).map_err(|e| e.to_string()),
                Err(e) => {
                    let d: lambda_runtime::Diagnostic = e.into();
                    Err(format!("{}: {}", d.error_type, d.error_message))
                }
            }
        })
    })
}

/// Builds a function's in-process handler from its [`App`].
type Register = fn(Arc<App>) -> Invoke;

/// The handler code of each function, by binary name: the one place the
/// local stack names Pulse's functions (the template is the list; this table
/// says which crate's `handle` each binary runs and how its event arrives).
/// Adding a function: its crate, the workspace, `template.yaml` and one line
/// here. [`Functions::new`] refuses a template function without a line and a
/// line without a template function.
const REGISTRY: &[(&str, Register)] = &[
    ("admin-api", |app| http_function(app, |app: Arc<App>, req| async move { admin_api::handle(&app, req).await })),
    ("submit-response", |app| http_function(app, |app: Arc<App>, req| async move { submit_response::handle(&app, req).await })),
    ("import-contacts", |app| event_function(app, |app: Arc<App>, ev| async move { import_contacts::handle(&app, ev).await })),
    ("send-distribution", |app| event_function(app, |app: Arc<App>, ev| async move { send_distribution::handle(&app, ev).await })),
    ("notify-thresholds", |app| event_function(app, |app: Arc<App>, ev| async move { notify_thresholds::handle(&app, ev).await })),
    ("generate-report", |app| event_function(app, |app: Arc<App>, ev| async move { generate_report::handle(&app, ev).await })),
];

/// The binary names [`REGISTRY`] has handler code for.
pub fn registered() -> Vec<&'static str> {
    REGISTRY.iter().map(|(name, _)| *name).collect()
}

/// Checks that the template's functions (`binaries`) and the registered
/// handlers are the same set; the error names every function on either side
/// alone, and where to fix it.
pub fn check_registrations<'a>(binaries: impl IntoIterator<Item = &'a str>, registered: &[&str]) -> Result<(), String> {
    let binaries: Vec<&str> = binaries.into_iter().collect();
    let unregistered: Vec<&str> = binaries.iter().copied().filter(|b| !registered.contains(b)).collect();
    let undeployed: Vec<&str> = registered.iter().copied().filter(|r| !binaries.contains(r)).collect();
    let mut problems = Vec::new();
    if !unregistered.is_empty() {
        problems.push(format!(
            "template.yaml has function(s) {} with no handler registered in infra/src/lambda.rs (REGISTRY)",
            unregistered.join(", ")
        ));
    }
    if !undeployed.is_empty() {
        problems.push(format!(
            "infra/src/lambda.rs registers {} but template.yaml has no AWS::Serverless::Function with that Metadata.BuildProperties.Binary",
            undeployed.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

impl Functions {
    /// Every function of the template, each with the [`App`] built from its
    /// own environment in the template (one SDK config, one set of clients,
    /// as each Lambda builds once at start-up). `apps` is keyed by binary
    /// name and holds exactly the template's functions; a function of the
    /// template without registered handler code, or registered code without
    /// a function in the template, is refused.
    pub fn new(apps: &BTreeMap<String, Arc<App>>) -> Result<Self, String> {
        check_registrations(apps.keys().map(String::as_str), &registered())?;
        let handlers =
            REGISTRY.iter().filter_map(|(name, register)| Some((name.to_string(), register(apps.get(*name)?.clone())))).collect();
        Ok(Functions { handlers: Arc::new(handlers), log: Arc::new(Mutex::new(VecDeque::new())) })
    }

    /// The binary names of every function.
    pub fn names(&self) -> Vec<String> {
        self.handlers.keys().cloned().collect()
    }

    /// Invokes `function` with `payload` under `request_id`. A panicking
    /// handler is contained (its invocation fails; the stack goes on).
    pub async fn invoke(&self, function: &str, request_id: &str, payload: Value, timeout: Duration) -> Result<Value, String> {
        let result = match self.handlers.get(function) {
            None => Err(format!("no function {function} in this stack")),
            Some(handler) => {
                let mut context = Context::default();
                context.request_id = request_id.to_string();
                context.invoked_function_arn =
                    format!("arn:aws:lambda:{}:{}:function:{function}", crate::template::REGION, crate::template::ACCOUNT_ID);
                context.deadline = (now_ms() + timeout.as_millis()) as u64;
                let fut = handler(payload.clone(), context);
                match tokio::time::timeout(timeout, tokio::spawn(fut)).await {
                    Err(_) => Err(format!("Task timed out after {} seconds", timeout.as_secs())),
                    Ok(Err(join)) => Err(format!("the handler panicked: {join}")),
                    Ok(Ok(r)) => r,
                }
            }
        };
        if let Err(e) = &result {
            tracing::warn!(function, request_id, error = %pulse_shared::domain::mail::mask_addresses(e), "invocation failed");
        }
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() == LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(Invocation {
            function: function.to_string(),
            request_id: request_id.to_string(),
            at_ms: now_ms(),
            event: payload,
            result: result.clone(),
        });
        result
    }

    /// The logged invocations, oldest first, of one function or all.
    pub fn invocations(&self, function: Option<&str>) -> Vec<Invocation> {
        let log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        log.iter().filter(|i| function.is_none_or(|f| i.function == f)).cloned().collect()
    }
}

pub(crate) fn now_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_and_the_registry_name_the_same_functions() {
        let template = crate::template::Template::load(&crate::workspace_root().join("template.yaml")).unwrap();
        assert_eq!(check_registrations(template.binaries(), &registered()), Ok(()));
        let mut sorted = registered();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), REGISTRY.len(), "a binary registered twice");
    }

    #[test]
    fn a_function_on_one_side_only_is_refused_naming_it_and_where_to_fix_it() {
        let registered = ["a", "b"];
        assert_eq!(check_registrations(["b", "a"], &registered), Ok(()));
        let e = check_registrations(["a", "b", "new-fn"], &registered).unwrap_err();
        assert!(e.contains("template.yaml has function(s) new-fn with no handler registered in infra/src/lambda.rs"), "{e}");
        assert!(!e.contains("registers"), "{e}");
        let e = check_registrations(["a"], &registered).unwrap_err();
        assert!(e.contains("infra/src/lambda.rs registers b but template.yaml has no AWS::Serverless::Function"), "{e}");
        let e = check_registrations(["a", "c"], &registered).unwrap_err();
        assert!(e.contains("function(s) c with no handler") && e.contains("registers b but"), "{e}");
    }
}
