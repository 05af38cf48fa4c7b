//! Where the API is and how a request reaches it: the stack's `ApiUrl`
//! output or a given URL; SigV4 with the AWS credential chain for a deployed
//! stack, the local key for the local one.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;
use reqwest::Method;
use serde_json::Value;

use crate::args::Target;
use crate::{Failure, Io, Result};

/// The key the local stack asks for unless `PULSE_API_KEY` says otherwise.
pub const LOCAL_KEY: &str = "local-dev-key";

/// A deployed stack, as CloudFormation describes it.
#[derive(Debug, Clone, Default)]
pub struct Stack {
    pub name: String,
    pub outputs: BTreeMap<String, String>,
    pub parameters: BTreeMap<String, String>,
}

enum Auth {
    Key(String),
    SigV4 { sdk: Box<SdkConfig>, region: String },
}

/// The admin API of one stack.
pub struct Api {
    /// Base URL without a trailing slash (`…/admin/…` paths are added).
    pub base: String,
    http: reqwest::Client,
    auth: Auth,
    /// The CloudFormation stack, when found through one.
    pub stack: Option<Stack>,
}

fn is_local(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map(|(h, p)| if p.chars().all(|c| c.is_ascii_digit()) { h } else { host }).unwrap_or(host);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The stack name in `samconfig.toml` (`[default.global.parameters]
/// stack_name`, else `[default.deploy.parameters]`), looked for in `dir` and
/// its parents.
pub fn samconfig_stack(dir: &Path) -> Option<String> {
    for d in dir.ancestors() {
        let path = d.join("samconfig.toml");
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let doc: toml::Table = text.parse().ok()?;
        let default = doc.get("default")?;
        for section in ["global", "deploy"] {
            if let Some(name) =
                default.get(section).and_then(|s| s.get("parameters")).and_then(|p| p.get("stack_name")).and_then(|v| v.as_str())
            {
                return Some(name.to_string());
            }
        }
        return None;
    }
    None
}

/// The AWS configuration of the credential chain, with `--profile` and
/// `--region`; fails with what to do when there are no credentials.
pub async fn aws_config(target: &Target) -> Result<SdkConfig> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(p) = &target.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &target.region {
        loader = loader.region(Region::new(r.clone()));
    }
    let sdk = loader.load().await;
    if sdk.region().is_none() {
        return Err(Failure::Usage("no AWS region: pass --region (e.g. --region eu-west-1) or set one in your AWS profile".into()));
    }
    let profile = target.profile.as_deref().map(|p| format!(" (profile {p})")).unwrap_or_default();
    let Some(provider) = sdk.credentials_provider() else {
        return Err(Failure::Unreachable(format!(
            "no AWS credentials{profile}: run `aws configure` or `aws sso login`, or pass --profile"
        )));
    };
    // only whether there are credentials is looked at; they are never shown
    if let Err(e) = provider.provide_credentials().await {
        return Err(Failure::Unreachable(format!(
            "no AWS credentials{profile}: {}; run `aws sso login{}` or `aws configure`, or pass --profile",
            one_line(&e.to_string()),
            target.profile.as_deref().map(|p| format!(" --profile {p}")).unwrap_or_default()
        )));
    }
    Ok(sdk)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The AWS error's own message (the SDK's display says only "service error").
pub fn aws_message<E: std::error::Error + 'static>(e: &E) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    one_line(&parts.join(": "))
}

/// The stack's outputs and parameters.
pub async fn describe_stack(sdk: &SdkConfig, name: &str) -> Result<Stack> {
    let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
    let cfn = aws_sdk_cloudformation::Client::new(sdk);
    let answer = cfn.describe_stacks().stack_name(name).send().await.map_err(|e| {
        let message = aws_message(&e);
        if message.contains("does not exist") {
            Failure::Unreachable(format!(
                "there is no CloudFormation stack `{name}` in {region}: check --stack (or PULSE_STACK, samconfig.toml) and --region"
            ))
        } else {
            Failure::Unreachable(format!("cannot read the CloudFormation stack `{name}` in {region}: {message}"))
        }
    })?;
    let stack = answer.stacks().first().ok_or_else(|| {
        Failure::Unreachable(format!("there is no CloudFormation stack `{name}` in {region}: check --stack and --region"))
    })?;
    Ok(Stack {
        name: name.to_string(),
        outputs: stack.outputs().iter().filter_map(|o| Some((o.output_key()?.to_string(), o.output_value()?.to_string()))).collect(),
        parameters: stack
            .parameters()
            .iter()
            .filter_map(|p| Some((p.parameter_key()?.to_string(), p.parameter_value().unwrap_or_default().to_string())))
            .collect(),
    })
}

impl Api {
    /// Finds the API the options point at and how to call it.
    pub async fn connect(target: &Target, io: &Io) -> Result<Api> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("pulse-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Failure::Unreachable(format!("cannot start the HTTP client: {e}")))?;
        let key = || Auth::Key(io.var("PULSE_API_KEY").unwrap_or_else(|| LOCAL_KEY.to_string()));
        if target.local {
            let port = io.var("PULSE_PORT").unwrap_or_else(|| "3000".into());
            return Ok(Api { base: format!("http://127.0.0.1:{port}"), http, auth: key(), stack: None });
        }
        if let Some(url) = &target.url {
            if !url.starts_with("http://") && !url.starts_with("https://") {
                return Err(Failure::Usage(format!("--url {url}: give the API's base URL with http:// or https://")));
            }
            let base = url.trim_end_matches('/').to_string();
            if is_local(&base) {
                return Ok(Api { base, http, auth: key(), stack: None });
            }
            let sdk = aws_config(target).await?;
            let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
            return Ok(Api { base, http, auth: Auth::SigV4 { sdk: Box::new(sdk), region }, stack: None });
        }
        let name = target.stack.clone().or_else(|| io.var("PULSE_STACK")).or_else(|| samconfig_stack(&io.cwd)).ok_or_else(|| {
            Failure::Usage(
                "which stack? pass --stack NAME (or set PULSE_STACK, or run where samconfig.toml is), or --local / --url URL".into(),
            )
        })?;
        let sdk = aws_config(target).await?;
        let stack = describe_stack(&sdk, &name).await?;
        let base = stack.outputs.get("ApiUrl").cloned().ok_or_else(|| {
            Failure::Unreachable(format!("the stack `{name}` has no ApiUrl output: is it a Pulse stack, and is its deployment finished?"))
        })?;
        let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
        Ok(Api { base: base.trim_end_matches('/').to_string(), http, auth: Auth::SigV4 { sdk: Box::new(sdk), region }, stack: Some(stack) })
    }

    pub fn is_local(&self) -> bool {
        matches!(self.auth, Auth::Key(_))
    }

    /// The SDK configuration a deployed stack is reached with.
    pub fn sdk(&self) -> Option<&SdkConfig> {
        match &self.auth {
            Auth::SigV4 { sdk, .. } => Some(sdk),
            Auth::Key(_) => None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A JSON request; the answer's JSON, or the refusal.
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let bytes = match body {
            Some(b) => serde_json::to_vec(b).map_err(|e| Failure::Usage(format!("cannot write the request body: {e}")))?,
            None => Vec::new(),
        };
        let content_type = body.map(|_| "application/json");
        self.send(method, path, content_type, bytes).await
    }

    pub async fn get(&self, path: &str) -> Result<Value> {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        self.call(Method::POST, path, Some(body)).await
    }

    /// Any body; JSON answer.
    pub async fn send(&self, method: Method, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Result<Value> {
        let url = self.url(path);
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("content-type".into(), ct.into()));
        }
        match &self.auth {
            Auth::Key(key) => headers.push(("x-api-key".into(), key.clone())),
            Auth::SigV4 { sdk, region } => {
                let provider = sdk.credentials_provider().ok_or_else(|| Failure::Unreachable("no AWS credentials".into()))?;
                let credentials = provider.provide_credentials().await.map_err(|e| {
                    Failure::Unreachable(format!(
                        "no AWS credentials: {}; run `aws sso login` or `aws configure`",
                        one_line(&e.to_string())
                    ))
                })?;
                let signed: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let signer = crate::sign::Signer { credentials: &credentials, region, service: "execute-api" };
                let extra = signer.headers(SystemTime::now(), method.as_str(), &url, &signed, &body).map_err(Failure::Usage)?;
                headers.extend(extra);
            }
        }
        let mut req = self.http.request(method.clone(), &url);
        for (k, v) in &headers {
            req = req.header(k, v);
        }
        let answer = req.body(body).send().await.map_err(|e| {
            Failure::Unreachable(format!(
                "cannot reach the API at {}: {}; is the stack running (./infra/local.sh) or the URL right?",
                self.base,
                reqwest_reason(&e)
            ))
        })?;
        let status = answer.status().as_u16();
        let text = answer.text().await.map_err(|e| Failure::Unreachable(format!("the answer from {url} broke off: {e}")))?;
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(json);
        }
        let message = json["message"].as_str().map(str::to_string).unwrap_or_else(|| one_line(&text.chars().take(200).collect::<String>()));
        Err(match status {
            401 | 403 if self.is_local() => Failure::Unreachable(format!(
                "the API at {} refused the key ({status}: {message}); set PULSE_API_KEY to the stack's key (./infra/local.sh uses local-dev-key unless PULSE_ADMIN_API_KEY says otherwise)",
                self.base
            )),
            401 | 403 => Failure::Unreachable(format!(
                "the API at {} refused these AWS credentials ({status}: {message}); use a profile whose role may call execute-api:Invoke on the stack's admin API (--profile), in the stack's region (--region)",
                self.base
            )),
            _ => Failure::Refused { status, message: format!("{method} {path}: {message}") },
        })
    }

    /// A request that is not to the admin API (a presigned URL, the public
    /// pages): no signature, no key.
    pub fn plain(&self) -> &reqwest::Client {
        &self.http
    }
}

fn reqwest_reason(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    one_line(&parts.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_local_stack_from_a_deployed_one() {
        assert!(is_local("http://127.0.0.1:3000"));
        assert!(is_local("http://localhost:3000/"));
        assert!(is_local("http://127.0.0.1"));
        assert!(!is_local("https://abc.execute-api.eu-west-1.amazonaws.com"));
        assert!(!is_local("https://localhost.example.com"));
    }

    #[test]
    fn reads_the_stack_name_from_samconfig() {
        let dir = std::env::temp_dir().join(format!("pulse-samconfig-{}", std::process::id()));
        let nested = dir.join("a/b");
        std::fs::create_dir_all(&nested).expect("dir");
        std::fs::write(dir.join("samconfig.toml"), "version = 0.1\n[default.global.parameters]\nstack_name = \"pulse-prod\"\n")
            .expect("write");
        assert_eq!(samconfig_stack(&nested).as_deref(), Some("pulse-prod"));
        std::fs::write(dir.join("samconfig.toml"), "version = 0.1\n[default.deploy.parameters]\nstack_name = \"other\"\n").expect("write");
        assert_eq!(samconfig_stack(&dir).as_deref(), Some("other"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
