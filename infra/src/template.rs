//! Reads `template.yaml` into the resources the local stack creates and the
//! functions, routes and event sources it wires, and resolves the intrinsic
//! functions the template uses (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If` on
//! the template's conditions) against the emulator's physical names.

use std::collections::BTreeMap;

use serde_norway::{Mapping, Value};

/// The account id and region moto answers for.
pub const ACCOUNT_ID: &str = "123456789012";
pub const REGION: &str = "us-east-1";

/// A problem with the template, naming the resource and property.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template.yaml could not be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("template.yaml is not valid YAML: {0}")]
    Yaml(#[from] serde_norway::Error),
    #[error("template.yaml, {at}: {problem}")]
    Invalid { at: String, problem: String },
}

fn invalid(at: impl Into<String>, problem: impl Into<String>) -> TemplateError {
    TemplateError::Invalid { at: at.into(), problem: problem.into() }
}

/// A DynamoDB table of the template.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub logical_id: String,
    pub attributes: Vec<(String, String)>,
    pub key_schema: Vec<(String, String)>,
    pub stream_view_type: Option<String>,
    pub ttl_attribute: Option<String>,
}

/// An S3 bucket of the template.
#[derive(Debug, Clone)]
pub struct BucketSpec {
    pub logical_id: String,
    /// The `BucketName` property, unresolved (it may use `Fn::Sub`).
    pub name: Option<Value>,
    /// `VersioningConfiguration.Status` is `Enabled`: the bucket keeps old
    /// versions, so deleting someone's data must reach them too.
    pub versioned: bool,
    /// `CorsConfiguration.CorsRules`: (methods, origins, headers, max age).
    pub cors: Vec<CorsRule>,
}

/// One CORS rule of a bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorsRule {
    pub methods: Vec<String>,
    pub origins: Vec<String>,
    pub headers: Vec<String>,
    pub max_age: Option<i32>,
}

/// An SQS queue of the template.
#[derive(Debug, Clone)]
pub struct QueueSpec {
    pub logical_id: String,
    pub visibility_timeout: Option<u64>,
    pub retention_period: Option<u64>,
    pub dead_letter_target: Option<String>,
    pub max_receive_count: Option<u64>,
}

/// A Cognito user pool of the template (the console's operators).
#[derive(Debug, Clone)]
pub struct UserPoolSpec {
    pub logical_id: String,
    /// `UserPoolName`, unresolved.
    pub name: Option<Value>,
    pub username_attributes: Vec<String>,
    pub auto_verified_attributes: Vec<String>,
    pub admin_create_only: bool,
    /// `Policies.PasswordPolicy`: `MinimumLength`, `Require*`, `TemporaryPasswordValidityDays`.
    pub password_policy: BTreeMap<String, Value>,
    pub mfa: Option<String>,
}

/// An app client of a user pool.
#[derive(Debug, Clone)]
pub struct UserPoolClientSpec {
    pub logical_id: String,
    /// The pool's logical id.
    pub pool: String,
    pub name: Option<String>,
    pub auth_flows: Vec<String>,
}

/// A group of a user pool (a console role).
#[derive(Debug, Clone)]
pub struct UserPoolGroupSpec {
    pub logical_id: String,
    pub pool: String,
    pub name: Value,
    pub precedence: Option<u64>,
    pub description: Option<String>,
}

/// A user the template creates (the first admin).
#[derive(Debug, Clone)]
pub struct UserPoolUserSpec {
    pub logical_id: String,
    pub pool: String,
    pub username: Value,
    /// Attribute name and (unresolved) value.
    pub attributes: Vec<(String, Value)>,
}

/// A user put in a group by the template.
#[derive(Debug, Clone)]
pub struct GroupMembershipSpec {
    pub logical_id: String,
    pub pool: String,
    pub group: Value,
    pub username: Value,
}

/// The template's Cognito resources.
#[derive(Debug, Clone, Default)]
pub struct CognitoSpec {
    pub pools: Vec<UserPoolSpec>,
    pub clients: Vec<UserPoolClientSpec>,
    pub groups: Vec<UserPoolGroupSpec>,
    pub users: Vec<UserPoolUserSpec>,
    pub memberships: Vec<GroupMembershipSpec>,
}

/// How a function is started.
#[derive(Debug, Clone, PartialEq)]
pub enum EventSpec {
    Http {
        name: String,
        method: String,
        path: String,
        iam_auth: bool,
    },
    S3 {
        name: String,
        bucket: String,
        events: Vec<String>,
        prefix: Option<String>,
        suffix: Option<String>,
    },
    /// `max_concurrency`: `ScalingConfig.MaximumConcurrency` (2, the least
    /// AWS allows, when the template leaves it open).
    Sqs {
        name: String,
        queue: String,
        batch_size: usize,
        max_concurrency: usize,
    },
    Stream {
        name: String,
        table: String,
        batch_size: usize,
        max_retries: u32,
    },
    /// `rule`: the rule's `Name` (unresolved), when the template names it.
    Schedule {
        name: String,
        expression: String,
        rule: Option<Value>,
    },
    /// An SNS topic of the template (here: SES's bounce and complaint events).
    Sns {
        name: String,
        topic: String,
    },
}

/// A Lambda function of the template.
#[derive(Debug, Clone)]
pub struct FunctionSpec {
    pub logical_id: String,
    /// `Metadata.BuildProperties.Binary`: the function crate it runs.
    pub binary: String,
    /// `Timeout` in seconds (the function's own, else Globals', else 3).
    pub timeout: u64,
    /// `MemorySize` in MB (the function's own, else Globals', else 128).
    pub memory_size: u64,
    /// Environment variables (Globals merged with the function's own), unresolved.
    pub environment: BTreeMap<String, Value>,
    pub events: Vec<EventSpec>,
    /// `Policies`, unresolved (read by [`crate::iam::Permissions`]).
    pub policies: Option<Value>,
}

/// Everything the local stack takes from the template.
#[derive(Debug, Clone)]
pub struct Template {
    pub parameters: BTreeMap<String, Option<String>>,
    pub tables: Vec<TableSpec>,
    pub buckets: Vec<BucketSpec>,
    pub queues: Vec<QueueSpec>,
    pub functions: Vec<FunctionSpec>,
    pub http_apis: Vec<String>,
    /// `AWS::Transfer::Server`s: logical id and the condition it is made
    /// under, if any.
    pub transfer_servers: Vec<(String, Option<String>)>,
    /// `AWS::IAM::Role`s other than the functions' own (SAM makes those):
    /// logical ids; the local stack gives each the ARN CloudFormation would.
    pub roles: Vec<String>,
    /// `AWS::SSM::Parameter`s: logical id, name and value (unresolved).
    pub ssm_parameters: Vec<(String, Value, Value)>,
    /// The `Conditions` section, unevaluated.
    pub conditions: BTreeMap<String, Value>,
    /// SES configuration sets (logical id, `Name` if given).
    pub configuration_sets: Vec<(String, Option<Value>)>,
    /// KMS keys (logical ids): made on the emulator, so that what is sealed
    /// locally is sealed as in AWS.
    pub keys: Vec<String>,
    pub cognito: CognitoSpec,
}

fn get<'a>(m: &'a Value, key: &str) -> Option<&'a Value> {
    m.as_mapping().and_then(|m| m.get(key))
}

fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn ref_target(v: Option<&Value>) -> Option<String> {
    let v = v?;
    if let Some(r) = get(v, "Ref") {
        return string(Some(r));
    }
    if let Some(Value::Sequence(parts)) = get(v, "Fn::GetAtt") {
        return string(parts.first());
    }
    if let Some(Value::String(s)) = get(v, "Fn::GetAtt") {
        return s.split('.').next().map(str::to_string);
    }
    None
}

impl Template {
    /// Loads and reads a template file.
    pub fn load(path: &std::path::Path) -> Result<Self, TemplateError> {
        Self::parse(&std::fs::read_to_string(path)?)
    }

    /// Reads template text.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let doc: Value = serde_norway::from_str(text)?;
        let mut parameters = BTreeMap::new();
        if let Some(Value::Mapping(ps)) = get(&doc, "Parameters") {
            for (k, v) in ps {
                let name = string(Some(k)).ok_or_else(|| invalid("Parameters", "a parameter name is not a string"))?;
                parameters.insert(name, string(get(v, "Default")));
            }
        }
        let global_timeout = get(&doc, "Globals").and_then(|g| get(g, "Function")).and_then(|f| number(get(f, "Timeout"))).unwrap_or(3);
        let global_memory = get(&doc, "Globals").and_then(|g| get(g, "Function")).and_then(|f| number(get(f, "MemorySize"))).unwrap_or(128);
        let global_env: Mapping = get(&doc, "Globals")
            .and_then(|g| get(g, "Function"))
            .and_then(|f| get(f, "Environment"))
            .and_then(|e| get(e, "Variables"))
            .and_then(Value::as_mapping)
            .cloned()
            .unwrap_or_default();
        let resources = get(&doc, "Resources").and_then(Value::as_mapping).ok_or_else(|| invalid("Resources", "missing"))?;
        let mut t = Template {
            parameters,
            tables: vec![],
            buckets: vec![],
            queues: vec![],
            functions: vec![],
            http_apis: vec![],
            ssm_parameters: vec![],
            transfer_servers: vec![],
            roles: vec![],
            conditions: get(&doc, "Conditions")
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((string(Some(k))?, v.clone())))
                .collect(),
            configuration_sets: vec![],
            keys: vec![],
            cognito: CognitoSpec::default(),
        };
        for (k, res) in resources {
            let id = string(Some(k)).ok_or_else(|| invalid("Resources", "a logical id is not a string"))?;
            let kind = string(get(res, "Type")).ok_or_else(|| invalid(&id, "missing Type"))?;
            let props = get(res, "Properties").cloned().unwrap_or(Value::Mapping(Mapping::new()));
            match kind.as_str() {
                "AWS::DynamoDB::Table" => t.tables.push(table(&id, &props)?),
                "AWS::S3::Bucket" => t.buckets.push(BucketSpec {
                    logical_id: id,
                    name: get(&props, "BucketName").cloned(),
                    versioned: string(get(&props, "VersioningConfiguration").and_then(|v| get(v, "Status"))).as_deref() == Some("Enabled"),
                    cors: cors_rules(&props),
                }),
                "AWS::SQS::Queue" => t.queues.push(QueueSpec {
                    visibility_timeout: number(get(&props, "VisibilityTimeout")),
                    retention_period: number(get(&props, "MessageRetentionPeriod")),
                    dead_letter_target: get(&props, "RedrivePolicy").and_then(|r| ref_target(get(r, "deadLetterTargetArn"))),
                    max_receive_count: get(&props, "RedrivePolicy").and_then(|r| number(get(r, "maxReceiveCount"))),
                    logical_id: id,
                }),
                "AWS::Serverless::HttpApi" => t.http_apis.push(id),
                "AWS::Transfer::Server" => t.transfer_servers.push((id, string(get(res, "Condition")))),
                "AWS::IAM::Role" => t.roles.push(id),
                "AWS::SSM::Parameter" => {
                    let name = get(&props, "Name").cloned().ok_or_else(|| invalid(format!("{id}.Name"), "missing"))?;
                    let value = get(&props, "Value").cloned().ok_or_else(|| invalid(format!("{id}.Value"), "missing"))?;
                    t.ssm_parameters.push((id, name, value));
                }
                "AWS::SES::ConfigurationSet" => t.configuration_sets.push((id, get(&props, "Name").cloned())),
                "AWS::KMS::Key" => t.keys.push(id),
                "AWS::Cognito::UserPool" => t.cognito.pools.push(user_pool(id, &props)),
                "AWS::Cognito::UserPoolClient" => t.cognito.clients.push(UserPoolClientSpec {
                    pool: pool_of(&id, &props)?,
                    name: string(get(&props, "ClientName")),
                    auth_flows: strings(get(&props, "ExplicitAuthFlows")),
                    logical_id: id,
                }),
                "AWS::Cognito::UserPoolGroup" => t.cognito.groups.push(UserPoolGroupSpec {
                    pool: pool_of(&id, &props)?,
                    name: get(&props, "GroupName").cloned().ok_or_else(|| invalid(format!("{id}.GroupName"), "missing"))?,
                    precedence: number(get(&props, "Precedence")),
                    description: string(get(&props, "Description")),
                    logical_id: id,
                }),
                "AWS::Cognito::UserPoolUser" => t.cognito.users.push(UserPoolUserSpec {
                    pool: pool_of(&id, &props)?,
                    username: get(&props, "Username").cloned().ok_or_else(|| invalid(format!("{id}.Username"), "missing"))?,
                    attributes: get(&props, "UserAttributes")
                        .and_then(Value::as_sequence)
                        .into_iter()
                        .flatten()
                        .filter_map(|a| Some((string(get(a, "Name"))?, get(a, "Value")?.clone())))
                        .collect(),
                    logical_id: id,
                }),
                "AWS::Cognito::UserPoolUserToGroupAttachment" => t.cognito.memberships.push(GroupMembershipSpec {
                    pool: pool_of(&id, &props)?,
                    group: get(&props, "GroupName").cloned().ok_or_else(|| invalid(format!("{id}.GroupName"), "missing"))?,
                    username: get(&props, "Username").cloned().ok_or_else(|| invalid(format!("{id}.Username"), "missing"))?,
                    logical_id: id,
                }),
                "AWS::Serverless::Function" => {
                    let f = function(&id, res, &props, &global_env, (global_timeout, global_memory))?;
                    if let Some(other) = t.function(&f.binary) {
                        return Err(invalid(
                            &id,
                            format!("Metadata.BuildProperties.Binary {} is already the binary of {}", f.binary, other.logical_id),
                        ));
                    }
                    t.functions.push(f);
                }
                _ => {}
            }
        }
        Ok(t)
    }

    /// The binary name of every function (`Metadata.BuildProperties.Binary`),
    /// in template order: the one list of Pulse's Lambda functions. Each is
    /// the crate `functions/<binary>` and that crate's binary.
    pub fn binaries(&self) -> Vec<&str> {
        self.functions.iter().map(|f| f.binary.as_str()).collect()
    }

    /// The function whose binary is `binary`.
    pub fn function(&self, binary: &str) -> Option<&FunctionSpec> {
        self.functions.iter().find(|f| f.binary == binary)
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_sequence).into_iter().flatten().filter_map(|e| string(Some(e))).collect()
}

fn pool_of(id: &str, props: &Value) -> Result<String, TemplateError> {
    ref_target(get(props, "UserPoolId")).ok_or_else(|| invalid(format!("{id}.UserPoolId"), "must be a Ref to a user pool of the template"))
}

fn user_pool(id: String, props: &Value) -> UserPoolSpec {
    let policy = get(props, "Policies").and_then(|p| get(p, "PasswordPolicy")).and_then(Value::as_mapping);
    UserPoolSpec {
        name: get(props, "UserPoolName").cloned(),
        username_attributes: strings(get(props, "UsernameAttributes")),
        auto_verified_attributes: strings(get(props, "AutoVerifiedAttributes")),
        admin_create_only: matches!(
            get(props, "AdminCreateUserConfig").and_then(|c| get(c, "AllowAdminCreateUserOnly")),
            Some(Value::Bool(true))
        ),
        password_policy: policy.into_iter().flatten().filter_map(|(k, v)| Some((string(Some(k))?, v.clone()))).collect(),
        mfa: string(get(props, "MfaConfiguration")),
        logical_id: id,
    }
}

/// A bucket's CORS rules (strings only; anything else in a list is left out).
fn cors_rules(props: &Value) -> Vec<CorsRule> {
    let strings = |rule: &Value, name: &str| -> Vec<String> {
        get(rule, name).and_then(Value::as_sequence).map(|l| l.iter().filter_map(|v| string(Some(v))).collect()).unwrap_or_default()
    };
    let rules = get(props, "CorsConfiguration").and_then(|c| get(c, "CorsRules")).and_then(Value::as_sequence);
    rules
        .map(|rules| {
            rules
                .iter()
                .map(|r| CorsRule {
                    methods: strings(r, "AllowedMethods"),
                    origins: strings(r, "AllowedOrigins"),
                    headers: strings(r, "AllowedHeaders"),
                    max_age: number(get(r, "MaxAge")).and_then(|n| i32::try_from(n).ok()),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn table(id: &str, props: &Value) -> Result<TableSpec, TemplateError> {
    let pairs = |key: &str, a: &str, b: &str| -> Result<Vec<(String, String)>, TemplateError> {
        let seq = get(props, key).and_then(Value::as_sequence).ok_or_else(|| invalid(format!("{id}.{key}"), "missing"))?;
        seq.iter()
            .map(|e| match (string(get(e, a)), string(get(e, b))) {
                (Some(x), Some(y)) => Ok((x, y)),
                _ => Err(invalid(format!("{id}.{key}"), format!("each entry needs {a} and {b}"))),
            })
            .collect()
    };
    Ok(TableSpec {
        logical_id: id.to_string(),
        attributes: pairs("AttributeDefinitions", "AttributeName", "AttributeType")?,
        key_schema: pairs("KeySchema", "AttributeName", "KeyType")?,
        stream_view_type: get(props, "StreamSpecification").and_then(|s| string(get(s, "StreamViewType"))),
        ttl_attribute: get(props, "TimeToLiveSpecification")
            .filter(|t| matches!(get(t, "Enabled"), Some(Value::Bool(true))))
            .and_then(|t| string(get(t, "AttributeName"))),
    })
}

/// `defaults`: the Globals' (Timeout, MemorySize).
fn function(id: &str, res: &Value, props: &Value, global_env: &Mapping, defaults: (u64, u64)) -> Result<FunctionSpec, TemplateError> {
    let binary = get(res, "Metadata")
        .and_then(|m| get(m, "BuildProperties"))
        .and_then(|b| string(get(b, "Binary")))
        .ok_or_else(|| invalid(id, "Metadata.BuildProperties.Binary is missing"))?;
    let mut environment = BTreeMap::new();
    let own_env = get(props, "Environment").and_then(|e| get(e, "Variables")).and_then(Value::as_mapping);
    for (k, v) in global_env.iter().chain(own_env.into_iter().flatten()) {
        let name = string(Some(k)).ok_or_else(|| invalid(format!("{id}.Environment"), "a variable name is not a string"))?;
        environment.insert(name, v.clone());
    }
    let mut events = Vec::new();
    if let Some(Value::Mapping(evs)) = get(props, "Events") {
        for (k, ev) in evs {
            let name = string(Some(k)).unwrap_or_default();
            let at = format!("{id}.Events.{name}");
            let p = get(ev, "Properties").cloned().unwrap_or(Value::Null);
            let kind = string(get(ev, "Type")).ok_or_else(|| invalid(&at, "missing Type"))?;
            events.push(match kind.as_str() {
                "HttpApi" => EventSpec::Http {
                    name,
                    method: string(get(&p, "Method")).ok_or_else(|| invalid(&at, "missing Method"))?.to_uppercase(),
                    path: string(get(&p, "Path")).ok_or_else(|| invalid(&at, "missing Path"))?,
                    iam_auth: get(&p, "Auth").and_then(|a| string(get(a, "Authorizer"))).as_deref() != Some("NONE"),
                },
                "S3" => {
                    let rules = get(&p, "Filter").and_then(|f| get(f, "S3Key")).and_then(|k| get(k, "Rules")).and_then(Value::as_sequence);
                    let rule = |which: &str| {
                        rules
                            .into_iter()
                            .flatten()
                            .find(|r| string(get(r, "Name")).is_some_and(|n| n.eq_ignore_ascii_case(which)))
                            .and_then(|r| string(get(r, "Value")))
                    };
                    let events = match get(&p, "Events") {
                        Some(Value::Sequence(s)) => s.iter().filter_map(|e| string(Some(e))).collect(),
                        other => string(other).into_iter().collect(),
                    };
                    EventSpec::S3 {
                        bucket: ref_target(get(&p, "Bucket"))
                            .ok_or_else(|| invalid(&at, "Bucket must be a Ref to a bucket of the template"))?,
                        events,
                        prefix: rule("prefix"),
                        suffix: rule("suffix"),
                        name,
                    }
                }
                "SQS" => EventSpec::Sqs {
                    queue: ref_target(get(&p, "Queue"))
                        .ok_or_else(|| invalid(&at, "Queue must be a Fn::GetAtt of a queue of the template"))?,
                    batch_size: number(get(&p, "BatchSize")).unwrap_or(10) as usize,
                    max_concurrency: get(&p, "ScalingConfig").and_then(|c| number(get(c, "MaximumConcurrency"))).unwrap_or(2) as usize,
                    name,
                },
                "DynamoDB" => EventSpec::Stream {
                    table: ref_target(get(&p, "Stream"))
                        .ok_or_else(|| invalid(&at, "Stream must be a Fn::GetAtt of a table's StreamArn"))?,
                    batch_size: number(get(&p, "BatchSize")).unwrap_or(100) as usize,
                    max_retries: number(get(&p, "MaximumRetryAttempts")).unwrap_or(3) as u32,
                    name,
                },
                "Schedule" | "ScheduleV2" => EventSpec::Schedule {
                    expression: string(get(&p, "Schedule"))
                        .or_else(|| string(get(&p, "ScheduleExpression")))
                        .ok_or_else(|| invalid(&at, "missing Schedule"))?,
                    rule: get(&p, "Name").cloned(),
                    name,
                },
                "SNS" => EventSpec::Sns {
                    topic: ref_target(get(&p, "Topic")).ok_or_else(|| invalid(&at, "Topic must be a Ref to a topic of the template"))?,
                    name,
                },
                other => return Err(invalid(&at, format!("event type {other} is not supported by the local stack"))),
            });
        }
    }
    let timeout = number(get(props, "Timeout")).unwrap_or(defaults.0);
    let memory_size = number(get(props, "MemorySize")).unwrap_or(defaults.1);
    let policies = get(props, "Policies").cloned();
    Ok(FunctionSpec { logical_id: id.to_string(), binary, timeout, memory_size, environment, events, policies })
}

/// A created resource: what `Ref` gives and its attributes.
#[derive(Debug, Clone, Default)]
pub struct Physical {
    pub reference: String,
    pub attributes: BTreeMap<String, String>,
}

/// Resolves intrinsic functions against created resources and parameters.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    pub stack_name: String,
    pub parameters: BTreeMap<String, String>,
    pub resources: BTreeMap<String, Physical>,
    /// The template's conditions, evaluated on demand against `parameters`.
    pub conditions: BTreeMap<String, Value>,
}

impl Resolver {
    fn pseudo(&self, name: &str) -> Option<String> {
        Some(match name {
            "AWS::AccountId" => ACCOUNT_ID.to_string(),
            "AWS::Region" => REGION.to_string(),
            "AWS::StackName" => self.stack_name.clone(),
            "AWS::Partition" => "aws".to_string(),
            "AWS::URLSuffix" => "amazonaws.com".to_string(),
            _ => return None,
        })
    }

    fn reference(&self, name: &str, at: &str) -> Result<String, TemplateError> {
        if let Some(v) = self.pseudo(name).or_else(|| self.parameters.get(name).cloned()) {
            return Ok(v);
        }
        self.resources
            .get(name)
            .map(|p| p.reference.clone())
            .ok_or_else(|| invalid(at, format!("Ref to {name}, which the local stack has not created")))
    }

    fn attribute(&self, resource: &str, attr: &str, at: &str) -> Result<String, TemplateError> {
        self.resources
            .get(resource)
            .and_then(|p| p.attributes.get(attr).cloned())
            .ok_or_else(|| invalid(at, format!("Fn::GetAtt {resource}.{attr} is not known to the local stack")))
    }

    /// Whether the named condition holds (`Fn::Equals`, `Fn::Not`,
    /// `Fn::And`, `Fn::Or` and `Condition` references, as CloudFormation
    /// evaluates them).
    pub fn condition(&self, name: &str, at: &str) -> Result<bool, TemplateError> {
        let v = self.conditions.get(name).ok_or_else(|| invalid(at, format!("condition {name} is not in Conditions")))?;
        self.holds(v, &format!("Conditions.{name}"))
    }

    fn holds(&self, v: &Value, at: &str) -> Result<bool, TemplateError> {
        let all = |key: &str| -> Result<Vec<bool>, TemplateError> {
            let items = get(v, key).and_then(Value::as_sequence).ok_or_else(|| invalid(at, format!("{key} needs a list")))?;
            items.iter().map(|c| self.holds(c, at)).collect()
        };
        if let Some(name) = get(v, "Condition").and_then(|c| string(Some(c))) {
            return self.condition(&name, at);
        }
        if let Some(pair) = get(v, "Fn::Equals").and_then(Value::as_sequence) {
            return match pair.as_slice() {
                [a, b] => Ok(self.resolve(a, at)? == self.resolve(b, at)?),
                _ => Err(invalid(at, "Fn::Equals needs two values")),
            };
        }
        if get(v, "Fn::Not").is_some() {
            return match all("Fn::Not")?.as_slice() {
                [one] => Ok(!one),
                _ => Err(invalid(at, "Fn::Not needs one condition")),
            };
        }
        if get(v, "Fn::And").is_some() {
            return Ok(all("Fn::And")?.into_iter().all(|b| b));
        }
        if get(v, "Fn::Or").is_some() {
            return Ok(all("Fn::Or")?.into_iter().any(|b| b));
        }
        Err(invalid(at, format!("unsupported condition {v:?}")))
    }

    /// Resolves a value to a string; `at` names where it stands for errors.
    pub fn resolve(&self, v: &Value, at: &str) -> Result<String, TemplateError> {
        if let Some(s) = string(Some(v)) {
            return Ok(s);
        }
        if let Some(branches) = get(v, "Fn::If") {
            return match branches.as_sequence().map(Vec::as_slice) {
                Some([c, then, otherwise]) => {
                    let name = string(Some(c)).ok_or_else(|| invalid(at, "Fn::If needs a condition's name first"))?;
                    self.resolve(if self.condition(&name, at)? { then } else { otherwise }, at)
                }
                _ => Err(invalid(at, "Fn::If needs [condition, value if true, value if false]")),
            };
        }
        if let Some(r) = get(v, "Ref").and_then(|r| string(Some(r))) {
            return self.reference(&r, at);
        }
        if let Some(ga) = get(v, "Fn::GetAtt") {
            let (res, attr) = match ga {
                Value::Sequence(p) if p.len() == 2 => (string(p.first()), string(p.get(1))),
                Value::String(s) => {
                    let mut it = s.splitn(2, '.');
                    (it.next().map(str::to_string), it.next().map(str::to_string))
                }
                _ => (None, None),
            };
            return match (res, attr) {
                (Some(r), Some(a)) => self.attribute(&r, &a, at),
                _ => Err(invalid(at, "Fn::GetAtt needs [Resource, Attribute]")),
            };
        }
        if let Some(Value::String(pattern)) = get(v, "Fn::Sub") {
            let mut out = String::new();
            let mut rest = pattern.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let end = rest[start..].find('}').ok_or_else(|| invalid(at, "unclosed ${ in Fn::Sub"))? + start;
                let name = &rest[start + 2..end];
                let value = match name.split_once('.') {
                    Some((r, a)) if !name.starts_with("AWS::") => self.attribute(r, a, at)?,
                    _ => self.reference(name, at)?,
                };
                out.push_str(&value);
                rest = &rest[end + 1..];
            }
            out.push_str(rest);
            return Ok(out);
        }
        Err(invalid(at, format!("unsupported value {v:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The project's own template, as deployed.
    fn deployed() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
        serde_norway::from_str(&std::fs::read_to_string(path).expect("template.yaml")).expect("template.yaml is YAML")
    }

    /// The logical id a `Fn::GetAtt: [Id, Attr]` names.
    fn get_att(v: &Value) -> Option<String> {
        v.get("Fn::GetAtt")?.as_sequence()?.first()?.as_str().map(str::to_string)
    }

    #[test]
    fn every_dead_letter_and_failure_queue_has_an_alarm_for_the_operators() {
        let t = deployed();
        let resources = t["Resources"].as_mapping().unwrap();
        let mut targets = std::collections::BTreeSet::new();
        for (_, r) in resources {
            if let Some(dlq) = r.get("Properties").and_then(|p| p.get("RedrivePolicy")).and_then(|p| p.get("deadLetterTargetArn")) {
                targets.extend(get_att(dlq));
            }
            let events = r.get("Properties").and_then(|p| p.get("Events")).and_then(Value::as_mapping).cloned().unwrap_or_default();
            for (_, e) in events {
                if let Some(d) = e.get("Properties").and_then(|p| p.get("DestinationConfig")).and_then(|d| d.get("OnFailure")) {
                    targets.extend(d.get("Destination").and_then(get_att));
                }
            }
            if let Some(d) = r.get("Properties").and_then(|p| p.get("EventInvokeConfig")).and_then(|c| c.get("DestinationConfig")) {
                targets.extend(d.get("OnFailure").and_then(|o| o.get("Destination")).and_then(get_att));
            }
        }
        assert!(targets.len() >= 5, "{targets:?}");
        for queue in &targets {
            let alarmed = resources.values().any(|r| {
                r["Type"] == "AWS::CloudWatch::Alarm"
                    && r["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
                    && r["Properties"]["AlarmActions"].as_sequence().is_some_and(|a| !a.is_empty())
                    && r["Properties"]["Dimensions"]
                        .as_sequence()
                        .is_some_and(|d| d.iter().any(|d| get_att(&d["Value"]).as_ref() == Some(queue)))
            });
            assert!(alarmed, "{queue} has no alarm on visible messages");
        }
    }

    #[test]
    fn every_asynchronously_invoked_function_keeps_its_failed_events() {
        let t = deployed();
        for (id, r) in t["Resources"].as_mapping().unwrap() {
            let events = r.get("Properties").and_then(|p| p.get("Events")).and_then(Value::as_mapping).cloned().unwrap_or_default();
            let asynchronous = events.values().any(|e| matches!(e["Type"].as_str(), Some("S3" | "SNS" | "Schedule")));
            if asynchronous {
                let on_failure = &r["Properties"]["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Destination"];
                assert!(get_att(on_failure).is_some(), "{id:?} is invoked asynchronously without an on-failure destination");
            }
        }
    }

    #[test]
    fn every_functions_log_group_is_the_stacks_with_a_retention() {
        let t = deployed();
        let resources = t["Resources"].as_mapping().unwrap();
        let functions: Vec<&str> =
            resources.iter().filter(|(_, r)| r["Type"] == "AWS::Serverless::Function").filter_map(|(id, _)| id.as_str()).collect();
        assert_eq!(functions.len(), 6);
        for f in functions {
            let name = format!("/aws/lambda/${{{f}}}");
            let group = resources
                .values()
                .find(|r| r["Type"] == "AWS::Logs::LogGroup" && r["Properties"]["LogGroupName"]["Fn::Sub"] == name.as_str());
            let group = group.unwrap_or_else(|| panic!("{f} has no log group of the stack's"));
            assert_eq!(group["Properties"]["RetentionInDays"]["Ref"], "LogRetentionDays", "{f}");
        }
        assert_eq!(t["Parameters"]["LogRetentionDays"]["Default"], 90);
    }

    #[test]
    fn every_queue_a_function_reads_hides_a_message_six_times_the_functions_timeout() {
        let t = deployed();
        let resources = t["Resources"].as_mapping().unwrap();
        let default_timeout = t["Globals"]["Function"]["Timeout"].as_u64().unwrap();
        let mut checked = 0;
        for (id, r) in resources {
            let timeout = r["Properties"]["Timeout"].as_u64().unwrap_or(default_timeout);
            let events = r.get("Properties").and_then(|p| p.get("Events")).and_then(Value::as_mapping).cloned().unwrap_or_default();
            for e in events.values().filter(|e| e["Type"] == "SQS") {
                let queue = get_att(&e["Properties"]["Queue"]).unwrap();
                let visibility = resources[queue.as_str()]["Properties"]["VisibilityTimeout"].as_u64().unwrap_or(30);
                assert!(visibility >= 6 * timeout, "{queue}: {visibility} s for {id:?}'s {timeout} s timeout");
                checked += 1;
            }
        }
        assert!(checked >= 3);
    }

    /// The functions of the template: logical id and resource.
    fn functions(t: &Value) -> Vec<(String, Value)> {
        let resources = t["Resources"].as_mapping().unwrap();
        resources
            .iter()
            .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
            .map(|(id, r)| (id.as_str().unwrap().to_string(), r.clone()))
            .collect()
    }

    /// The IAM statements a function's `Policies` list (SAM policy
    /// templates are not statements and are left out).
    fn statements(function: &Value) -> Vec<Value> {
        let policies = function["Properties"]["Policies"].as_sequence().cloned().unwrap_or_default();
        policies.iter().filter_map(|p| p.get("Statement")?.as_sequence().cloned()).flatten().collect()
    }

    /// A statement's actions, whether one string or a list.
    fn actions(statement: &Value) -> Vec<String> {
        match &statement["Action"] {
            Value::String(a) => vec![a.clone()],
            Value::Sequence(a) => a.iter().filter_map(|a| a.as_str().map(str::to_string)).collect(),
            other => panic!("Action {other:?}"),
        }
    }

    /// A statement's resources as text: a string, a `Fn::Sub` pattern (of
    /// either form), or `${Id.Attr}` for a `Fn::GetAtt`.
    fn resources(statement: &Value) -> Vec<String> {
        let one = |r: &Value| -> String {
            if let Some(s) = r.as_str() {
                return s.to_string();
            }
            match &r["Fn::Sub"] {
                Value::String(s) => return s.clone(),
                Value::Sequence(parts) => return parts[0].as_str().unwrap().to_string(),
                _ => {}
            }
            let ga = r["Fn::GetAtt"].as_sequence().unwrap_or_else(|| panic!("Resource {r:?}"));
            format!("${{{}.{}}}", ga[0].as_str().unwrap(), ga[1].as_str().unwrap())
        };
        match &statement["Resource"] {
            Value::Sequence(rs) => rs.iter().map(one).collect(),
            r => vec![one(r)],
        }
    }

    #[test]
    fn no_function_has_a_sam_crud_policy() {
        let t = deployed();
        for (id, f) in functions(&t) {
            for p in f["Properties"]["Policies"].as_sequence().unwrap() {
                let names: Vec<&str> = p.as_mapping().map(|m| m.keys().filter_map(Value::as_str).collect()).unwrap_or_default();
                assert!(!names.iter().any(|n| n.ends_with("CrudPolicy")), "{id} has {names:?}: write the actions it uses instead");
            }
        }
    }

    #[test]
    fn the_public_function_cannot_scan_deletes_only_re_keyed_links_and_reads_only_logos_and_reports() {
        let t = deployed();
        let public = &t["Resources"]["SubmitResponseFunction"];
        // no SAM policy template either: each hides its own list of actions
        for p in public["Properties"]["Policies"].as_sequence().unwrap() {
            assert!(p.get("Statement").is_some(), "the public function's policy {p:?} is not a statement");
        }
        let statements = statements(public);
        assert!(statements.len() >= 4, "{statements:?}");
        for s in &statements {
            assert_eq!(s["Effect"], "Allow");
            let actions = actions(s);
            // the one delete: a link kept under its token in clear is moved
            // to its id when opened (`rekey_link`), in a statement of its own
            let rekey = actions == ["dynamodb:DeleteItem"]
                && resources(s).iter().all(|r| ["${CoreTable.Arn}", "${ContactsTable.Arn}"].contains(&r.as_str()));
            for a in &actions {
                let name = a.rsplit(':').next().unwrap();
                assert!(!a.contains('*'), "the public function has the wildcard action {a}");
                assert!(!name.contains("Scan") && (rekey || !name.contains("Delete")), "the public function may not {a}");
            }
            for r in resources(s) {
                if r.contains(":s3:::") || r.contains("DataBucket") {
                    assert!(r.ends_with("/logos/*") || r.ends_with("/reports/*"), "the public function reaches {r} in the bucket");
                    assert_eq!(actions, ["s3:GetObject"], "the public function only reads the bucket");
                }
            }
        }
    }

    #[test]
    fn every_function_reads_the_stacks_base_url_parameter_and_no_other() {
        let t = deployed();
        let parameter = &t["Resources"]["PublicBaseUrlParameter"];
        assert_eq!(parameter["Properties"]["Name"]["Fn::Sub"], "/${AWS::StackName}/public-base-url");
        assert_eq!(parameter["Properties"]["Value"]["Fn::GetAtt"][0], "PulseHttpApi");
        assert_eq!(
            t["Globals"]["Function"]["Environment"]["Variables"]["PUBLIC_BASE_URL_PARAMETER"]["Fn::Sub"],
            "/${AWS::StackName}/public-base-url"
        );
        for (id, f) in functions(&t) {
            let ssm: Vec<Value> = statements(&f).into_iter().filter(|s| actions(s).iter().any(|a| a.starts_with("ssm:"))).collect();
            assert_eq!(ssm.len(), 1, "{id}");
            assert_eq!(actions(&ssm[0]), ["ssm:GetParameter"], "{id}");
            assert_eq!(
                resources(&ssm[0]),
                ["arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${AWS::StackName}/public-base-url"],
                "{id}"
            );
        }
        // no function names the parameter resource: that would be a circle
        // (the API names the functions, the parameter names the API)
        for (id, f) in functions(&t) {
            let text = serde_norway::to_string(&f).unwrap();
            assert!(!text.contains("PublicBaseUrlParameter"), "{id} refers to the parameter resource");
        }
    }

    #[test]
    fn the_sftp_endpoint_is_off_by_default_and_its_users_reach_only_the_drop_folders() {
        let t = deployed();
        assert_eq!(t["Parameters"]["SftpEndpoint"]["Default"], "false", "it costs by the hour");
        for id in ["SftpServer", "SftpUserRole"] {
            assert_eq!(t["Resources"][id]["Condition"], "HasSftp", "{id}");
        }
        assert_eq!(t["Outputs"]["SftpHost"]["Condition"], "HasSftp");
        let role = &t["Resources"]["SftpUserRole"]["Properties"];
        assert_eq!(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"], "transfer.amazonaws.com");
        let statements = role["Policies"][0]["PolicyDocument"]["Statement"].as_sequence().unwrap();
        for s in statements {
            for r in resources(s) {
                let in_sync =
                    r.ends_with("/sync/*") || (r.ends_with("-${AWS::Region}") && s["Condition"]["StringLike"]["s3:prefix"][0] == "sync/*");
                assert!(in_sync, "an SFTP user reaches {r}");
            }
            assert!(actions(s).iter().all(|a| ["s3:PutObject", "s3:GetObject", "s3:ListBucket"].contains(&a.as_str())), "{s:?}");
        }
        // only admin-api manages the users, on pulse- users, passing that role only
        for (id, f) in functions(&t) {
            let transfer: Vec<Value> = statements_of(&f, "transfer:");
            let pass: Vec<Value> = statements_of(&f, "iam:");
            if id == "AdminApiFunction" {
                assert_eq!(resources(&transfer[0]), ["arn:${AWS::Partition}:transfer:${AWS::Region}:${AWS::AccountId}:user/*/pulse-*"]);
                assert_eq!(resources(&pass[0]), ["arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-SftpUserRole-*"]);
                assert_eq!(pass[0]["Condition"]["StringEquals"]["iam:PassedToService"], "transfer.amazonaws.com");
            } else {
                assert!(transfer.is_empty() && pass.is_empty(), "{id}");
            }
        }
    }

    /// A function's statements with an action of `service` (e.g. `ssm:`).
    fn statements_of(function: &Value, service: &str) -> Vec<Value> {
        statements(function).into_iter().filter(|s| actions(s).iter().any(|a| a.starts_with(service))).collect()
    }

    #[test]
    fn email_is_sent_as_the_stacks_sender_only() {
        let t = deployed();
        let mut granted = 0;
        for (id, f) in functions(&t) {
            for s in statements(&f).iter().filter(|s| actions(s).iter().any(|a| a.starts_with("ses:"))) {
                // the status page's reads, the admin API's only: the sender's
                // verification, and the account's sandbox and quota (an action
                // SES defines no resource for)
                match actions(s).as_slice() {
                    [read] if read == "ses:GetAccount" && id == "AdminApiFunction" => continue,
                    [read] if read == "ses:GetEmailIdentity" && id == "AdminApiFunction" => {
                        for r in resources(s) {
                            assert!(r.ends_with("identity/${SenderEmail}") || r.ends_with("identity/${SenderDomain}"), "{id} reads {r}");
                        }
                        continue;
                    }
                    _ => {}
                }
                assert_eq!(actions(s), ["ses:SendEmail"], "{id}");
                for r in resources(s) {
                    let allowed = ["identity/${SenderEmail}", "identity/${SenderDomain}", "configuration-set/${SesConfigurationSet}"];
                    assert!(allowed.iter().any(|a| r.ends_with(a)), "{id} may send email on {r}");
                }
                granted += 1;
            }
        }
        assert_eq!(granted, 4, "admin-api, send-distribution, notify-thresholds and generate-report send email");
        let domain = &t["Resources"]["AdminApiFunction"]["Properties"]["Policies"];
        let domain = domain.as_sequence().unwrap().iter().filter_map(|p| p.get("Statement")).flat_map(|s| s.as_sequence().unwrap().clone());
        let sub =
            domain.flat_map(|s| s["Resource"].as_sequence().cloned().unwrap_or_default()).find(|r| r["Fn::Sub"].is_sequence()).unwrap();
        let split = &sub["Fn::Sub"][1]["SenderDomain"]["Fn::Select"];
        assert_eq!((split[0].as_u64(), &split[1]["Fn::Split"][1]["Ref"]), (Some(1), &Value::from("SenderEmail")), "the sender's domain");
    }

    #[test]
    fn every_table_is_kept_by_the_stack_and_protected_from_deletion() {
        let t = deployed();
        let tables: Vec<_> = t["Resources"].as_mapping().unwrap().iter().filter(|(_, r)| r["Type"] == "AWS::DynamoDB::Table").collect();
        assert_eq!(tables.len(), 3);
        for (id, r) in tables {
            assert_eq!(r["DeletionPolicy"], "Retain", "{id:?}");
            assert_eq!(r["UpdateReplacePolicy"], "Retain", "{id:?}");
            assert_eq!(r["Properties"]["DeletionProtectionEnabled"], true, "{id:?}");
            assert_eq!(r["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"], true, "{id:?}");
        }
    }

    /// The custom domain and the sender's identity are there only when
    /// asked for: a domain with its certificate (TLS 1.2, mapped to the
    /// API's stage), the identity with DKIM and the stack's configuration set.
    #[test]
    fn the_custom_domain_and_the_sender_identity_are_opt_in() {
        let t = deployed();
        let all = &t["Resources"];
        assert_eq!(t["Parameters"]["CustomDomainName"]["Default"], "");
        assert_eq!(t["Parameters"]["ManageSenderIdentity"]["Default"], "false");
        let domain = &all["ApiCustomDomain"];
        assert_eq!(domain["Condition"], "HasCustomDomain");
        let config = &domain["Properties"]["DomainNameConfigurations"][0];
        assert_eq!(
            (&config["SecurityPolicy"], &config["CertificateArn"]["Ref"]),
            (&Value::from("TLS_1_2"), &Value::from("CustomDomainCertificateArn"))
        );
        let mapping = &all["ApiCustomDomainMapping"];
        assert_eq!(mapping["Condition"], "HasCustomDomain");
        assert_eq!(mapping["Properties"]["ApiId"]["Ref"], "PulseHttpApi");
        let identity = &all["SenderIdentity"];
        assert_eq!(identity["Condition"], "ManagesSenderIdentity");
        assert_eq!(identity["Properties"]["ConfigurationSetAttributes"]["ConfigurationSetName"]["Ref"], "SesConfigurationSet");
        assert!(identity["Properties"]["DkimSigningAttributes"].is_mapping());
        for (output, condition) in [("CustomDomainTarget", "HasCustomDomain"), ("SenderDkimRecords", "ManagesSenderIdentity")] {
            assert_eq!(t["Outputs"][output]["Condition"], condition, "{output}");
        }
    }

    #[test]
    fn the_bucket_is_versioned_tls_only_and_expires_uploads_and_old_versions() {
        let t = deployed();
        let all = &t["Resources"];
        let bucket = &all["DataBucket"]["Properties"];
        assert_eq!(bucket["VersioningConfiguration"]["Status"], "Enabled");
        assert_eq!(bucket["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"], true);
        assert_eq!(bucket["PublicAccessBlockConfiguration"]["BlockPublicPolicy"], true);
        assert!(bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"].is_sequence());
        let rules = bucket["LifecycleConfiguration"]["Rules"].as_sequence().unwrap();
        for prefix in ["uploads/", "imports/"] {
            let rule = rules.iter().find(|r| r["Prefix"] == prefix).unwrap_or_else(|| panic!("no lifecycle rule for {prefix}"));
            assert_eq!(rule["Status"], "Enabled");
            assert_eq!(rule["ExpirationInDays"]["Ref"], "UploadRetentionDays", "{prefix}");
        }
        assert_eq!(t["Parameters"]["UploadRetentionDays"]["Default"], 30);
        let every = rules.iter().find(|r| r.get("Prefix").is_none()).expect("a rule for every object");
        assert_eq!(every["NoncurrentVersionExpiration"]["NoncurrentDays"], 1);
        assert!(every["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"].is_u64());
        let policy = all
            .as_mapping()
            .unwrap()
            .values()
            .find(|r| r["Type"] == "AWS::S3::BucketPolicy" && r["Properties"]["Bucket"]["Ref"] == "DataBucket")
            .expect("a policy of the data bucket");
        let tls = policy["Properties"]["PolicyDocument"]["Statement"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|s| s["Effect"] == "Deny" && s["Condition"]["Bool"]["aws:SecureTransport"] == "false")
            .expect("a statement denying requests without TLS");
        assert_eq!((&tls["Principal"], &tls["Action"]), (&Value::from("*"), &Value::from("s3:*")));
        assert_eq!(resources(tls), ["${DataBucket.Arn}", "${DataBucket.Arn}/*"]);
    }

    #[test]
    fn the_topics_are_encrypted_with_a_key_their_publishers_may_use() {
        let t = deployed();
        let resources = &t["Resources"];
        for (topic, publisher) in [("SesFeedbackTopic", "ses.amazonaws.com"), ("OperatorsTopic", "cloudwatch.amazonaws.com")] {
            let key = &resources[topic]["Properties"]["KmsMasterKeyId"];
            assert!(!key.is_null(), "{topic} is not encrypted");
            // alias/aws/sns's policy cannot be changed to let a service publish
            let key = key["Ref"].as_str().unwrap_or_else(|| panic!("{topic}: {key:?} is not a key of the stack"));
            assert_eq!(resources[key]["Properties"]["EnableKeyRotation"], true);
            let allowed = resources[key]["Properties"]["KeyPolicy"]["Statement"].as_sequence().unwrap().iter().any(|s| {
                let services = &s["Principal"]["Service"];
                let names = services.as_sequence().cloned().unwrap_or_else(|| vec![services.clone()]);
                names.iter().any(|n| n == publisher)
                    && actions(s).iter().any(|a| a == "kms:GenerateDataKey*")
                    && s["Condition"]["StringEquals"]["aws:SourceAccount"]["Ref"] == "AWS::AccountId"
            });
            assert!(allowed, "{publisher} cannot publish to {topic}");
        }
    }

    #[test]
    fn every_queue_is_encrypted_at_rest() {
        let t = deployed();
        for (id, r) in t["Resources"].as_mapping().unwrap().iter().filter(|(_, r)| r["Type"] == "AWS::SQS::Queue") {
            let p = &r["Properties"];
            assert!(p["SqsManagedSseEnabled"] == true || !p["KmsMasterKeyId"].is_null(), "{id:?}");
        }
    }

    #[test]
    fn the_api_logs_each_request_without_its_path() {
        let t = deployed();
        let settings = &t["Resources"]["PulseHttpApi"]["Properties"]["AccessLogSettings"];
        let group = get_att(&settings["DestinationArn"]).expect("an access log group");
        assert_eq!(t["Resources"][group.as_str()]["Properties"]["RetentionInDays"]["Ref"], "LogRetentionDays");
        let format = settings["Format"].as_str().unwrap();
        for field in ["$context.requestId", "$context.routeKey", "$context.status"] {
            assert!(format.contains(field), "{field}");
        }
        for personal in ["$context.path", "$context.http.path", "rawPath", "QueryString", "userAgent", "$context.authorizer"] {
            assert!(!format.contains(personal), "the access log has {personal}");
        }
    }

    const T: &str = r#"
Parameters:
  Sender: {Type: String, Default: a@example.com}
Globals:
  Function:
    Environment:
      Variables:
        TABLE: {Ref: Tbl}
        BUCKET: {"Fn::Sub": "data-${AWS::AccountId}-${Tbl.Arn}"}
        SENDER: {Ref: Sender}
Resources:
  Tbl:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Fn:
    Type: AWS::Serverless::Function
    Metadata: {BuildProperties: {Binary: my-fn}}
    Properties:
      Environment: {Variables: {OWN: x}}
      Events:
        Page: {Type: HttpApi, Properties: {Path: "/s/{token}", Method: get, Auth: {Authorizer: NONE}}}
        Admin: {Type: HttpApi, Properties: {Path: "/admin/{proxy+}", Method: ANY}}
        Up: {Type: S3, Properties: {Bucket: {Ref: B}, Events: "s3:ObjectCreated:*", Filter: {S3Key: {Rules: [{Name: prefix, Value: up/}]}}}}
        Str: {Type: DynamoDB, Properties: {Stream: {"Fn::GetAtt": [Tbl, StreamArn]}, BatchSize: 7}}
"#;

    #[test]
    fn reads_tables_functions_and_events() {
        let t = Template::parse(T).unwrap();
        assert_eq!(t.tables[0].stream_view_type.as_deref(), Some("NEW_IMAGE"));
        let f = t.function("my-fn").unwrap();
        assert_eq!(f.environment.len(), 4);
        assert!(f.events.contains(&EventSpec::Http {
            name: "Page".into(),
            method: "GET".into(),
            path: "/s/{token}".into(),
            iam_auth: false
        }));
        assert!(f.events.contains(&EventSpec::Http {
            name: "Admin".into(),
            method: "ANY".into(),
            path: "/admin/{proxy+}".into(),
            iam_auth: true
        }));
        assert!(f.events.contains(&EventSpec::S3 {
            name: "Up".into(),
            bucket: "B".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some("up/".into()),
            suffix: None
        }));
        assert!(f.events.contains(&EventSpec::Stream { name: "Str".into(), table: "Tbl".into(), batch_size: 7, max_retries: 3 }));
    }

    #[test]
    fn resolves_fn_if_on_the_templates_conditions() {
        let t = Template::parse(
            "Parameters:\n  Url: {Type: String, Default: ''}\n  Domain: {Type: String, Default: ''}\n\
             Conditions:\n  HasUrl: {Fn::Not: [{Fn::Equals: [{Ref: Url}, '']}]}\n  \
             HasDomain: {Fn::And: [{Fn::Not: [{Fn::Equals: [{Ref: Domain}, '']}]}, {Fn::Not: [{Condition: HasUrl}]}]}\n\
             Resources: {}\n",
        )
        .unwrap();
        let value: Value =
            serde_norway::from_str("Fn::If: [HasUrl, {Ref: Url}, {Fn::If: [HasDomain, {Fn::Sub: 'https://${Domain}'}, '']}]").unwrap();
        let resolver = |url: &str, domain: &str| Resolver {
            parameters: [("Url".to_string(), url.to_string()), ("Domain".to_string(), domain.to_string())].into(),
            conditions: t.conditions.clone(),
            ..Default::default()
        };
        assert_eq!(resolver("", "").resolve(&value, "x").unwrap(), "");
        assert_eq!(resolver("", "d.example").resolve(&value, "x").unwrap(), "https://d.example");
        assert_eq!(resolver("https://u.example", "d.example").resolve(&value, "x").unwrap(), "https://u.example");
        let unknown: Value = serde_norway::from_str("Fn::If: [Nope, a, b]").unwrap();
        assert!(resolver("", "").resolve(&unknown, "Here").unwrap_err().to_string().contains("Nope"));
    }

    #[test]
    fn resolves_refs_subs_and_attributes() {
        let t = Template::parse(T).unwrap();
        let mut r = Resolver { stack_name: "s".into(), ..Default::default() };
        r.parameters.insert("Sender".into(), t.parameters["Sender"].clone().unwrap());
        r.resources
            .insert("Tbl".into(), Physical { reference: "tbl-1".into(), attributes: [("Arn".to_string(), "arn:t".to_string())].into() });
        let env = &t.function("my-fn").unwrap().environment;
        assert_eq!(r.resolve(&env["TABLE"], "TABLE").unwrap(), "tbl-1");
        assert_eq!(r.resolve(&env["BUCKET"], "BUCKET").unwrap(), format!("data-{ACCOUNT_ID}-arn:t"));
        assert_eq!(r.resolve(&env["SENDER"], "SENDER").unwrap(), "a@example.com");
        let missing = Value::Mapping([(Value::String("Ref".into()), Value::String("Nope".into()))].into_iter().collect());
        assert!(r.resolve(&missing, "X").unwrap_err().to_string().contains("Nope"));
    }

    #[test]
    fn memory_size_comes_from_the_function_else_from_globals() {
        let t = Template::parse(T).unwrap();
        assert_eq!(t.function("my-fn").unwrap().memory_size, 128, "neither sets it: Lambda's default");
        let two = "Globals: {Function: {MemorySize: 256}}\nResources:\n  A: {Type: AWS::Serverless::Function, Metadata: {BuildProperties: {Binary: a}}}\n  \
                   B: {Type: AWS::Serverless::Function, Metadata: {BuildProperties: {Binary: b}}, Properties: {MemorySize: 1024}}\n";
        let t = Template::parse(two).unwrap();
        assert_eq!(t.binaries(), ["a", "b"]);
        assert_eq!((t.function("a").unwrap().memory_size, t.function("b").unwrap().memory_size), (256, 1024));
    }

    #[test]
    fn two_functions_with_one_binary_are_refused_naming_both() {
        let twice = "Resources:\n  A: {Type: AWS::Serverless::Function, Metadata: {BuildProperties: {Binary: x}}}\n  \
                     B: {Type: AWS::Serverless::Function, Metadata: {BuildProperties: {Binary: x}}}\n";
        let e = Template::parse(twice).unwrap_err().to_string();
        assert!(e.contains("B") && e.contains("Binary x") && e.contains("of A"), "{e}");
        let none = "Resources:\n  A: {Type: AWS::Serverless::Function, Properties: {}}\n";
        assert!(Template::parse(none).unwrap_err().to_string().contains("A: Metadata.BuildProperties.Binary is missing"));
    }

    /// The shell scripts read the list with `infra/functions.sh` (awk, so that
    /// they need no build): it must list what this parser reads from the
    /// real template.
    #[test]
    fn the_shell_listing_of_functions_matches_the_template() {
        let root = crate::workspace_root();
        let shell = |path: &std::path::Path| {
            let out = std::process::Command::new("bash")
                .arg(root.join("infra/functions.sh"))
                .arg(path)
                .output()
                .expect("bash runs infra/functions.sh");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect::<Vec<_>>()
        };
        let real = root.join("template.yaml");
        let listed = shell(&real);
        assert!(!listed.is_empty());
        assert_eq!(listed, Template::load(&real).unwrap().binaries());
        // Type after Metadata, quoted values, comments, other resources and a
        // `Binary:` key outside Resources
        let tricky = "Parameters:\n  P: {Type: String}\nResources:\n  # a comment\n  Api:\n    Type: AWS::Serverless::HttpApi\n  \
                      B:\n    Metadata:\n      BuildProperties:\n        Binary: \"b-fn\"  # quoted\n    Type: 'AWS::Serverless::Function'\n  \
                      A:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildProperties:\n        Binary: a-fn\n  \
                      Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  Binary: {Value: no}\n";
        let path = std::env::temp_dir().join(format!("pulse-functions-{}.yaml", std::process::id()));
        std::fs::write(&path, tricky).unwrap();
        let listed = shell(&path);
        std::fs::remove_file(&path).ok();
        assert_eq!(listed, ["b-fn", "a-fn"]);
        assert_eq!(listed, Template::parse(tricky).unwrap().binaries());
    }
}
