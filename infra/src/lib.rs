//! Pulse's local stack: the whole of `template.yaml` on this machine.
//!
//! [`LocalStack::start`] starts moto server, creates the template's tables,
//! bucket and queues on it, resolves each function's environment from the
//! template into its [`pulse_shared::Config`], runs every function's handler
//! in-process (the same code its Lambda binary runs) and delivers its events:
//! HTTP routes on 127.0.0.1, S3 upload events, DynamoDB stream records, SQS
//! messages and schedules. The `pulse-local` binary and the tests both use it.

pub mod calls;
pub mod emulator;
pub mod gateway;
pub mod iam;
pub mod lambda;
pub mod outbox;
pub mod provision;
pub mod pumps;
pub mod template;

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pulse_shared::{
    store::{Aws, Clients},
    App, Config,
};

use crate::emulator::Emulator;
use crate::gateway::{Gateway, Route, Schedule};
use crate::lambda::Functions;
use crate::template::{EventSpec, Resolver, Template};

/// How to start the stack.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace root (holds `template.yaml` and `.venv`).
    pub workspace: PathBuf,
    /// Port of the HTTP routes (0: a free one).
    pub http_port: u16,
    /// Port of moto server (0: a free one).
    pub emulator_port: u16,
    /// The key admin routes ask for in `x-api-key`.
    pub api_key: String,
    /// Prefix of every resource name.
    pub stack_name: String,
    /// Parameter values over the template's defaults.
    pub parameter_overrides: BTreeMap<String, String>,
    /// Whether `rate(...)` schedules fire on their own (the tests fire by hand).
    pub run_schedules: bool,
    /// A change to each function's AWS clients (none: as built).
    pub client_hook: Option<ClientHook>,
    /// The template to run (none: the workspace's `template.yaml`).
    pub template: Option<PathBuf>,
}

/// Applied to each function's AWS clients, with the function's binary name,
/// before the stack runs it: `pulse-bench` adds SDK interceptors that count
/// the calls each function makes.
#[derive(Clone)]
pub struct ClientHook(pub Arc<ClientChange>);

/// What a [`ClientHook`] does: (function's binary name, its clients) → clients.
pub type ClientChange = dyn Fn(&str, Aws) -> Aws + Send + Sync;

impl std::fmt::Debug for ClientHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientHook")
    }
}

impl Options {
    /// Defaults for this checkout: free ports, a fresh API key.
    pub fn new() -> Self {
        Options {
            workspace: workspace_root(),
            http_port: 0,
            emulator_port: 0,
            api_key: format!("local-{}", uuid::Uuid::new_v4().simple()),
            stack_name: "pulse-local".into(),
            parameter_overrides: BTreeMap::new(),
            run_schedules: true,
            client_hook: None,
            template: None,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self::new()
    }
}

/// The workspace root: the current directory if it holds `template.yaml`,
/// else the one this crate was built in.
pub fn workspace_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    if cwd.join("template.yaml").is_file() {
        return cwd;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or(cwd)
}

/// Why the stack could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Emulator(#[from] emulator::EmulatorError),
    #[error(transparent)]
    Template(#[from] template::TemplateError),
    #[error(transparent)]
    Provision(#[from] provision::ProvisionError),
    #[error("function {function}: {message}")]
    Function { function: String, message: String },
    #[error("the HTTP port could not be opened: {0}")]
    Listen(#[from] std::io::Error),
    #[error("{0}")]
    Wiring(String),
}

/// A running local stack. Dropping it stops everything it started (the
/// emulator is killed and reaped as it drops).
pub struct LocalStack {
    /// Base URL of the routes, e.g. `http://127.0.0.1:3000`.
    pub base_url: String,
    pub api_key: String,
    pub emulator_url: String,
    pub template: Template,
    pub resolver: Resolver,
    /// Each function's configuration, by binary name.
    pub configs: BTreeMap<String, Config>,
    pub functions: Functions,
    /// Clients on the emulator, for inspection by tests and tools.
    pub aws: Clients,
    pub routes: Vec<Route>,
    pub schedules: Vec<Schedule>,
    /// The clock every function reads (tests move it forward).
    pub clock: pulse_shared::clock::Clock,
    /// The console users the template creates, with their temporary passwords.
    pub console_users: Vec<provision::SeededUser>,
    /// The functions' DynamoDB calls their template policy did not allow
    /// (each was refused with `AccessDeniedException`, as AWS would).
    pub denials: iam::Denials,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    emulator: Option<Emulator>,
}

/// How many items the partition `pk` of `table` holds (a counting Query,
/// page after page): what the tests and the benchmark check a write by.
pub async fn count_partition(dynamodb: &aws_sdk_dynamodb::Client, table: &str, pk: &str) -> Result<i64, String> {
    use aws_sdk_dynamodb::types::{AttributeValue, Select};
    let mut total = 0i64;
    let mut start = None;
    loop {
        let out = dynamodb
            .query()
            .table_name(table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(pk.into()))
            .select(Select::Count)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(|e| pulse_shared::error::chain(&e))?;
        total += i64::from(out.count());
        start = out.last_evaluated_key;
        if start.is_none() {
            return Ok(total);
        }
    }
}

/// The AWS adapter on a fresh emulator with the template's tables, bucket
/// and queues, but no functions running: what the contract suite holds the
/// in-memory double against. Dropping the emulator stops it.
pub async fn store_on_emulator() -> Result<(Emulator, Aws), StartError> {
    let options = Options::new();
    let template = Template::load(&options.workspace.join("template.yaml"))?;
    let emulator = Emulator::start(&options.workspace, emulator::free_port()?).await?;
    let sdk = pulse_shared::store::emulator_sdk_config(&emulator.url).await;
    let clients = Clients::new(&sdk);
    let parameters = local_parameters(&template, "http://127.0.0.1:9", &BTreeMap::new());
    let resolver = provision::provision(&clients, &template, &options.stack_name, parameters, "http://127.0.0.1:9").await?;
    let f = template.functions.first().ok_or_else(|| StartError::Wiring("the template has no function".into()))?;
    let config = function_config(&resolver, f, &sdk).await?;
    provision::verify_sender(&clients, &config.sender_email).await?;
    Ok((emulator, Aws::new(&sdk, config)))
}

/// A function's configuration as Lambda would see it: its environment from
/// the template, then (as at a Lambda's cold start) the stack's base URL
/// from its parameter when the environment leaves it empty.
async fn function_config(resolver: &Resolver, f: &template::FunctionSpec, sdk: &aws_config::SdkConfig) -> Result<Config, StartError> {
    let mut env = BTreeMap::new();
    for (name, value) in &f.environment {
        env.insert(name.clone(), resolver.resolve(value, &format!("{}.Environment.{name}", f.logical_id))?);
    }
    let failed = |message: String| StartError::Function { function: f.binary.clone(), message };
    let mut config = Config::from_lookup(|k| env.get(k).cloned()).map_err(|e| failed(e.to_string()))?;
    pulse_shared::store::parameters::resolve_public_base_url(&mut config, sdk).await.map_err(|e| failed(pulse_shared::error::chain(&e)))?;
    Ok(config)
}

/// The address the template's first console admin gets locally (`AdminEmail`).
pub const LOCAL_ADMIN_EMAIL: &str = "admin@example.com";

/// The template's parameter values for a local stack: the defaults, the
/// public base URL of this stack, a local `AdminEmail`, then `overrides`
/// (as `sam deploy --parameter-overrides`).
fn local_parameters(template: &Template, base_url: &str, overrides: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut parameters: BTreeMap<String, String> =
        template.parameters.iter().filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v))).collect();
    parameters.insert("PublicBaseUrl".into(), base_url.to_string());
    parameters.insert("AdminEmail".into(), LOCAL_ADMIN_EMAIL.into());
    // the tests' Salesforce stand-in listens on http://127.0.0.1:<port>
    parameters.insert("SalesforceLoopbackHttp".into(), "true".into());
    parameters.extend(overrides.clone());
    parameters
}

impl LocalStack {
    /// Starts the emulator, provisions the template and serves it.
    pub async fn start(options: Options) -> Result<Self, StartError> {
        let template_path = options.template.clone().unwrap_or_else(|| options.workspace.join("template.yaml"));
        let template = Template::load(&template_path)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.http_port)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let emulator = Emulator::start(&options.workspace, options.emulator_port).await?;
        let sdk = pulse_shared::store::emulator_sdk_config(&emulator.url).await;
        let aws = Clients::new(&sdk);

        let parameters = local_parameters(&template, &base_url, &options.parameter_overrides);
        let mut resolver = provision::provision(&aws, &template, &options.stack_name, parameters, &base_url).await?;
        let console_users = provision::seed_users(&aws, &template, &mut resolver).await?;

        let mut configs = BTreeMap::new();
        let mut apps = BTreeMap::new();
        let clock = pulse_shared::clock::Clock::default();
        let denials = iam::Denials::default();
        for f in &template.functions {
            let config = function_config(&resolver, f, &sdk).await?;
            let mut app = App::with_clock(config.clone(), &sdk, clock.clone());
            // as in AWS, each function may only make the DynamoDB calls its
            // role's policy allows
            let permissions = Arc::new(iam::Permissions::of(&template, f, &resolver)?);
            app.aws = iam::guarded(app.aws, iam::Guard { permissions, denials: denials.clone() });
            if let Some(hook) = &options.client_hook {
                app.aws = (hook.0)(&f.binary, app.aws);
            }
            apps.insert(f.binary.clone(), Arc::new(app));
            configs.insert(f.binary.clone(), config);
        }
        if let Some(sender) = configs.values().next().map(|c| c.sender_email.clone()) {
            provision::verify_sender(&aws, &sender).await?;
        }
        let functions = Functions::new(&apps).map_err(StartError::Wiring)?;

        let mut tasks = Vec::new();
        let mut routes = Vec::new();
        let mut schedules = Vec::new();
        let mut s3_subscriptions = Vec::new();
        let mut topics = Vec::new();
        for f in &template.functions {
            let timeout = Duration::from_secs(f.timeout);
            for event in &f.events {
                match event {
                    EventSpec::Http { method, path, iam_auth, .. } => routes.push(Route {
                        method: method.clone(),
                        path: path.clone(),
                        function: f.binary.clone(),
                        iam_auth: *iam_auth,
                        timeout: timeout.min(Duration::from_secs(29)),
                    }),
                    EventSpec::Sqs { queue, batch_size, max_concurrency, .. } => {
                        let physical = resolver
                            .resources
                            .get(queue)
                            .ok_or_else(|| StartError::Wiring(format!("{}: queue {queue} unknown", f.logical_id)))?;
                        // as many pollers as concurrent invocations the event source may run
                        for _ in 0..(*max_concurrency).max(1) {
                            tasks.push(tokio::spawn(pumps::sqs_pump(
                                aws.clone(),
                                functions.clone(),
                                f.binary.clone(),
                                timeout,
                                physical.reference.clone(),
                                physical.attributes.get("Arn").cloned().unwrap_or_default(),
                                *batch_size,
                            )));
                        }
                    }
                    EventSpec::Stream { table, batch_size, max_retries, .. } => {
                        let arn = resolver
                            .resources
                            .get(table)
                            .and_then(|p| p.attributes.get("StreamArn").cloned())
                            .ok_or_else(|| StartError::Wiring(format!("{}: table {table} has no stream", f.logical_id)))?;
                        tasks.push(tokio::spawn(pumps::stream_pump(
                            emulator.url.clone(),
                            functions.clone(),
                            f.binary.clone(),
                            timeout,
                            arn,
                            *batch_size,
                            *max_retries,
                        )));
                    }
                    EventSpec::S3 { name, bucket, events, prefix, suffix } => {
                        let bucket = resolver
                            .resources
                            .get(bucket)
                            .ok_or_else(|| StartError::Wiring(format!("{}: bucket {bucket} unknown", f.logical_id)))?;
                        s3_subscriptions.push(pumps::S3Subscription {
                            function: f.binary.clone(),
                            timeout,
                            bucket: bucket.reference.clone(),
                            events: events.clone(),
                            prefix: prefix.clone(),
                            suffix: suffix.clone(),
                            queue_name: format!("{}-s3-{}-{name}", options.stack_name, f.logical_id),
                        });
                    }
                    EventSpec::Schedule { name, expression, rule } => {
                        let rule = match rule {
                            Some(v) => resolver.resolve(v, &format!("{}.Events.{name}.Properties.Name", f.logical_id))?,
                            None => format!("{}-{}-{name}", options.stack_name, f.logical_id),
                        };
                        let schedule = Schedule {
                            name: format!("{}.{name}", f.logical_id),
                            function: f.binary.clone(),
                            rule,
                            expression: expression.clone(),
                            timeout,
                        };
                        // the rule on the emulator as EventBridge has it, enabled
                        // only when it fires on its own here (a cron schedule
                        // and the tests' schedules fire by hand)
                        let fires = options.run_schedules && pumps::rate_period(expression).is_some();
                        provision::schedule_rule(&aws, &schedule.rule, expression, fires).await?;
                        if let (true, Some(period)) = (options.run_schedules, pumps::rate_period(expression)) {
                            tasks.push(tokio::spawn(pumps::schedule_pump(
                                functions.clone(),
                                f.binary.clone(),
                                timeout,
                                schedule.rule.clone(),
                                period,
                            )));
                        }
                        schedules.push(schedule);
                    }
                    EventSpec::Sns { name, topic } => topics.push(gateway::Topic {
                        name: format!("{}.{name}", f.logical_id),
                        function: f.binary.clone(),
                        topic_arn: format!("arn:aws:sns:{}:{}:{}-{topic}", template::REGION, template::ACCOUNT_ID, options.stack_name),
                        timeout,
                    }),
                }
            }
        }
        pumps::start_s3_notifications(&aws, &functions, s3_subscriptions).await.map_err(StartError::Wiring)?;

        // what `pulse doctor` checks on this stack: the sender, the queues
        // that must stay empty and whether schedules fire on their own
        let dead_letters: BTreeMap<&String, &String> = resolver
            .resources
            .iter()
            .filter(|(id, _)| id.ends_with("DeadLetterQueue") || id.ends_with("FailureQueue"))
            .map(|(id, p)| (id, &p.reference))
            .collect();
        let description = serde_json::json!({
            "stack_name": options.stack_name,
            "emulator_url": emulator.url,
            "region": "us-east-1",
            "sender": configs.values().next().map(|c| c.sender_email.clone()),
            "public_base_url": base_url,
            "dead_letter_queues": dead_letters,
            "schedules": schedules.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            "schedules_run": options.run_schedules,
        });
        let gateway = Arc::new(Gateway {
            description,
            routes: routes.clone(),
            schedules: schedules.clone(),
            topics,
            functions: functions.clone(),
            api_key: options.api_key.clone(),
            emulator_url: emulator.url.clone(),
            base_url: base_url.clone(),
            clock: clock.clone(),
        });
        let app = gateway::router(gateway);
        tasks.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "HTTP server stopped");
            }
        }));

        Ok(LocalStack {
            base_url,
            api_key: options.api_key,
            emulator_url: emulator.url.clone(),
            template,
            resolver,
            configs,
            functions,
            aws,
            routes,
            schedules,
            clock,
            console_users,
            denials,
            tasks,
            emulator: Some(emulator),
        })
    }

    /// The emulator's process id (none once it has been stopped).
    pub fn emulator_pid(&self) -> Option<u32> {
        self.emulator.as_ref().and_then(Emulator::pid)
    }

    /// Stops the pumps, the server and the emulator (killed and reaped).
    pub async fn stop(mut self) {
        for t in &self.tasks {
            t.abort();
        }
        if let Some(e) = self.emulator.take() {
            e.stop().await;
        }
    }
}

impl Drop for LocalStack {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}
