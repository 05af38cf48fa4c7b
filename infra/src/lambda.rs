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

impl Functions {
    /// Every Pulse function, each with the [`App`] built from its own
    /// environment in the template (one SDK config, one set of clients, as
    /// each Lambda builds once at start-up). `apps` is keyed by binary name.
    pub fn new(apps: &BTreeMap<String, Arc<App>>) -> Result<Self, String> {
        let app = |name: &str| apps.get(name).cloned().ok_or_else(|| format!("template.yaml has no function with Binary {name}"));
        let mut h: BTreeMap<String, Invoke> = BTreeMap::new();
        h.insert(
            "admin-api".into(),
            http_function(app("admin-api")?, |app: Arc<App>, req| async move { admin_api::handle(&app, req).await }),
        );
        h.insert(
            "submit-response".into(),
            http_function(app("submit-response")?, |app: Arc<App>, req| async move { submit_response::handle(&app, req).await }),
        );
        h.insert(
            "import-contacts".into(),
            event_function(app("import-contacts")?, |app: Arc<App>, ev| async move { import_contacts::handle(&app, ev).await }),
        );
        h.insert(
            "send-distribution".into(),
            event_function(app("send-distribution")?, |app: Arc<App>, ev| async move { send_distribution::handle(&app, ev).await }),
        );
        h.insert(
            "notify-thresholds".into(),
            event_function(app("notify-thresholds")?, |app: Arc<App>, ev| async move { notify_thresholds::handle(&app, ev).await }),
        );
        h.insert(
            "generate-report".into(),
            event_function(app("generate-report")?, |app: Arc<App>, ev| async move { generate_report::handle(&app, ev).await }),
        );
        Ok(Functions { handlers: Arc::new(h), log: Arc::new(Mutex::new(VecDeque::new())) })
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
                context.invoked_function_arn = format!("arn:aws:lambda:{}:{}:function:{function}", crate::template::REGION, crate::template::ACCOUNT_ID);
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
            tracing::warn!(function, request_id, error = %e, "invocation failed");
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
