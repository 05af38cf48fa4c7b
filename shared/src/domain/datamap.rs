//! What the deployment keeps and who reaches it, read from `template.yaml`:
//! its tables (TTL, point-in-time recovery, stream, encryption), buckets
//! (encryption, versioning, lifecycle rules, public access, TLS-only),
//! queues (encryption, retention), log groups (retention) and which
//! function's role reaches which of them with which actions. The console's
//! data and security document is made from this and the runtime settings,
//! so that it says what the template deploys, never what someone remembered.
//!
//! Pure: [`read_template`] takes the template's text (the console embeds
//! the file at build time).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_norway::Value;

/// A number of days fixed in the template, or a parameter's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Days {
    Fixed(u64),
    Parameter(String),
}

impl Days {
    /// The days in force: a parameter's from `values` (the deployed
    /// settings), else its template default.
    pub fn resolve(&self, values: &BTreeMap<String, u64>, defaults: &BTreeMap<String, u64>) -> Option<u64> {
        match self {
            Days::Fixed(n) => Some(*n),
            Days::Parameter(p) => values.get(p).or_else(|| defaults.get(p)).copied(),
        }
    }
}

/// A DynamoDB table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub id: String,
    /// The attribute DynamoDB's TTL deletes items by, when enabled.
    pub ttl_attribute: Option<String>,
    pub point_in_time_recovery: bool,
    pub stream: Option<String>,
    /// `SSESpecification` with KMS; otherwise DynamoDB's default: an AWS owned key.
    pub kms_encrypted: bool,
    pub deletion_protected: bool,
}

/// A lifecycle rule that deletes objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiry {
    pub rule: String,
    /// `None`: every object.
    pub prefix: Option<String>,
    pub days: Days,
}

/// An S3 bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub id: String,
    /// The `BucketName` as written (`pulse-data-${AWS::AccountId}-${AWS::Region}`).
    pub name_pattern: Option<String>,
    /// `SSEAlgorithm` (`AES256`, `aws:kms`).
    pub encryption: Option<String>,
    pub versioned: bool,
    /// All four public-access blocks on.
    pub public_access_blocked: bool,
    /// A bucket policy denies every request not over TLS.
    pub tls_only: bool,
    pub expirations: Vec<Expiry>,
    /// Days an overwritten or deleted object's old version is kept.
    pub old_versions_days: Option<Days>,
}

/// An SQS queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Queue {
    pub id: String,
    pub encrypted: bool,
    /// `MessageRetentionPeriod` (SQS's default: four days).
    pub retention_seconds: u64,
    /// The queue whose failed messages it keeps.
    pub dead_letters_of: Option<String>,
}

/// A log group of the stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogGroup {
    pub id: String,
    /// The function whose logs it holds.
    pub function: Option<String>,
    pub retention: Option<Days>,
}

/// What one function's role may do to one resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reach {
    pub actions: BTreeSet<String>,
    /// Bucket prefixes (`logos/`), or `*` for the whole bucket.
    pub prefixes: BTreeSet<String>,
}

/// A Lambda function and the resources its role reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Function {
    pub id: String,
    pub binary: Option<String>,
    /// Resource logical id → what the role may do there.
    pub reach: BTreeMap<String, Reach>,
}

/// What the template deploys that holds data, and who reaches it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Deployment {
    pub tables: Vec<Table>,
    pub buckets: Vec<Bucket>,
    pub queues: Vec<Queue>,
    pub log_groups: Vec<LogGroup>,
    pub functions: Vec<Function>,
    /// Numeric parameters' defaults.
    pub parameter_defaults: BTreeMap<String, u64>,
}

impl Deployment {
    /// The functions reaching resource `id`, with what they may do there.
    pub fn reaching(&self, id: &str) -> Vec<(&Function, &Reach)> {
        self.functions.iter().filter_map(|f| f.reach.get(id).map(|r| (f, r))).collect()
    }
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping().and_then(|m| m.get(key))
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || text(v).is_some_and(|s| s.eq_ignore_ascii_case("true"))
}

fn days(v: Option<&Value>) -> Option<Days> {
    let v = v?;
    if let Some(p) = text(get(v, "Ref")) {
        return Some(Days::Parameter(p));
    }
    text(Some(v)).and_then(|s| s.parse().ok()).map(Days::Fixed)
}

/// The logical ids a value refers to (`Ref`, `Fn::GetAtt`, `${X}` and
/// `${X.Attr}` in `Fn::Sub`), and the literal texts of its `Fn::Sub`s.
fn references(v: &Value, ids: &mut BTreeSet<String>, subs: &mut Vec<String>) {
    match v {
        Value::Mapping(m) => {
            for (k, inner) in m {
                match k.as_str() {
                    Some("Ref") => ids.extend(text(Some(inner))),
                    Some("Fn::GetAtt") => match inner {
                        Value::Sequence(parts) => ids.extend(text(parts.first())),
                        Value::String(s) => ids.extend(s.split('.').next().map(str::to_string)),
                        _ => {}
                    },
                    Some("Fn::Sub") => {
                        let pattern = match inner {
                            Value::Sequence(parts) => text(parts.first()),
                            other => text(Some(other)),
                        };
                        if let Some(p) = pattern {
                            let mut rest = p.as_str();
                            while let Some(start) = rest.find("${") {
                                let Some(end) = rest[start..].find('}') else { break };
                                let name = &rest[start + 2..start + end];
                                if !name.starts_with("AWS::") {
                                    ids.insert(name.split('.').next().unwrap_or(name).to_string());
                                }
                                rest = &rest[start + end + 1..];
                            }
                            subs.push(p);
                        }
                        if let Value::Sequence(parts) = inner {
                            for part in parts.iter().skip(1) {
                                references(part, ids, subs);
                            }
                        }
                    }
                    _ => references(inner, ids, subs),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|i| references(i, ids, subs)),
        _ => {}
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Sequence(s)) => s.iter().filter_map(|x| text(Some(x))).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// What SAM's policy templates and event sources grant, as actions.
fn template_actions(name: &str) -> Vec<String> {
    match name {
        "SQSSendMessagePolicy" => vec!["sqs:SendMessage".into()],
        "SQSPollerPolicy" => vec!["sqs:ReceiveMessage".into(), "sqs:DeleteMessage".into()],
        other => vec![other.to_string()],
    }
}

/// Reads the template's data stores and the functions' reach.
pub fn read_template(text_of_template: &str) -> Result<Deployment, String> {
    let doc: Value = serde_norway::from_str(text_of_template).map_err(|e| format!("template.yaml is not valid YAML: {e}"))?;
    let resources = get(&doc, "Resources").and_then(Value::as_mapping).ok_or("template.yaml has no Resources")?;
    let mut d = Deployment::default();
    if let Some(params) = get(&doc, "Parameters").and_then(Value::as_mapping) {
        for (k, p) in params {
            if let (Some(name), Some(n)) = (text(Some(k)), text(get(p, "Default")).and_then(|s| s.parse().ok())) {
                d.parameter_defaults.insert(name, n);
            }
        }
    }
    let mut tls_only = BTreeSet::new();
    // (dead-letter queue, the queue it keeps the failures of)
    let mut redrives = Vec::new();
    for (k, r) in resources {
        let id = text(Some(k)).unwrap_or_default();
        let props = get(r, "Properties").cloned().unwrap_or(Value::Null);
        match text(get(r, "Type")).as_deref() {
            Some("AWS::DynamoDB::Table") => {
                let ttl = get(&props, "TimeToLiveSpecification");
                d.tables.push(Table {
                    ttl_attribute: ttl.filter(|t| truthy(get(t, "Enabled"))).and_then(|t| text(get(t, "AttributeName"))),
                    point_in_time_recovery: truthy(
                        get(&props, "PointInTimeRecoverySpecification").and_then(|p| get(p, "PointInTimeRecoveryEnabled")),
                    ),
                    stream: get(&props, "StreamSpecification").and_then(|s| text(get(s, "StreamViewType"))),
                    kms_encrypted: truthy(get(&props, "SSESpecification").and_then(|s| get(s, "SSEEnabled"))),
                    deletion_protected: truthy(get(&props, "DeletionProtectionEnabled")),
                    id,
                });
            }
            Some("AWS::S3::Bucket") => {
                let rules = get(&props, "LifecycleConfiguration").and_then(|l| get(l, "Rules")).and_then(Value::as_sequence);
                let enabled = rules.into_iter().flatten().filter(|r| text(get(r, "Status")).as_deref() == Some("Enabled"));
                let mut expirations = Vec::new();
                let mut old_versions_days = None;
                for rule in enabled {
                    let prefix = text(get(rule, "Prefix")).or_else(|| get(rule, "Filter").and_then(|f| text(get(f, "Prefix"))));
                    if let Some(days) = days(get(rule, "ExpirationInDays")) {
                        expirations.push(Expiry { rule: text(get(rule, "Id")).unwrap_or_default(), prefix, days });
                    }
                    if let Some(n) = days(get(rule, "NoncurrentVersionExpiration").and_then(|n| get(n, "NoncurrentDays"))) {
                        old_versions_days = Some(n);
                    }
                }
                let block = get(&props, "PublicAccessBlockConfiguration");
                d.buckets.push(Bucket {
                    name_pattern: get(&props, "BucketName").and_then(|n| text(get(n, "Fn::Sub")).or_else(|| text(Some(n)))),
                    encryption: get(&props, "BucketEncryption")
                        .and_then(|e| get(e, "ServerSideEncryptionConfiguration"))
                        .and_then(Value::as_sequence)
                        .and_then(|rules| rules.first())
                        .and_then(|r| get(r, "ServerSideEncryptionByDefault"))
                        .and_then(|r| text(get(r, "SSEAlgorithm"))),
                    versioned: get(&props, "VersioningConfiguration").and_then(|v| text(get(v, "Status"))).as_deref() == Some("Enabled"),
                    public_access_blocked: block.is_some_and(|b| {
                        ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]
                            .iter()
                            .all(|k| truthy(get(b, k)))
                    }),
                    tls_only: false,
                    expirations,
                    old_versions_days,
                    id,
                });
            }
            Some("AWS::S3::BucketPolicy") => {
                let statements = get(&props, "PolicyDocument").and_then(|p| get(p, "Statement")).and_then(Value::as_sequence);
                let denies_plain = statements.into_iter().flatten().any(|s| {
                    text(get(s, "Effect")).as_deref() == Some("Deny")
                        && get(s, "Condition").and_then(|c| get(c, "Bool")).and_then(|b| text(get(b, "aws:SecureTransport"))).as_deref()
                            == Some("false")
                });
                if denies_plain {
                    let mut ids = BTreeSet::new();
                    references(get(&props, "Bucket").unwrap_or(&Value::Null), &mut ids, &mut Vec::new());
                    tls_only.extend(ids);
                }
            }
            Some("AWS::SQS::Queue") => {
                let mut target = BTreeSet::new();
                references(get(&props, "RedrivePolicy").unwrap_or(&Value::Null), &mut target, &mut Vec::new());
                redrives.extend(target.into_iter().map(|dlq| (dlq, id.clone())));
                d.queues.push(Queue {
                    encrypted: truthy(get(&props, "SqsManagedSseEnabled")) || get(&props, "KmsMasterKeyId").is_some(),
                    retention_seconds: text(get(&props, "MessageRetentionPeriod")).and_then(|s| s.parse().ok()).unwrap_or(345_600),
                    // filled below, from the queues that name this one their dead-letter target
                    dead_letters_of: None,
                    id,
                });
            }
            Some("AWS::Logs::LogGroup") => {
                let mut ids = BTreeSet::new();
                references(get(&props, "LogGroupName").unwrap_or(&Value::Null), &mut ids, &mut Vec::new());
                d.log_groups.push(LogGroup { function: ids.into_iter().next(), retention: days(get(&props, "RetentionInDays")), id });
            }
            Some("AWS::Serverless::Function") => {
                let binary = get(r, "Metadata").and_then(|m| get(m, "BuildProperties")).and_then(|b| text(get(b, "Binary")));
                d.functions.push(Function { id, binary, reach: BTreeMap::new() });
            }
            _ => {}
        }
    }
    for (dlq, source) in redrives {
        if let Some(q) = d.queues.iter_mut().find(|q| q.id == dlq) {
            q.dead_letters_of = Some(source);
        }
    }
    for b in &mut d.buckets {
        b.tls_only = tls_only.contains(&b.id);
    }
    let stores: BTreeSet<String> = d
        .tables
        .iter()
        .map(|t| t.id.clone())
        .chain(d.buckets.iter().map(|b| b.id.clone()))
        .chain(d.queues.iter().map(|q| q.id.clone()))
        .collect();
    let buckets: Vec<(String, String)> = d.buckets.iter().filter_map(|b| b.name_pattern.clone().map(|n| (b.id.clone(), n))).collect();
    for f in &mut d.functions {
        let Some(r) = resources.get(f.id.as_str()) else { continue };
        let props = get(r, "Properties").cloned().unwrap_or(Value::Null);
        let mut grant = |ids: BTreeSet<String>, subs: &[String], actions: &[String]| {
            for id in ids.into_iter().filter(|i| stores.contains(i)) {
                let reach = f.reach.entry(id).or_default();
                reach.actions.extend(actions.iter().cloned());
            }
            for (bucket, pattern) in &buckets {
                for sub in subs.iter().filter(|s| s.contains(pattern.as_str())) {
                    let after = sub.split_once(pattern.as_str()).map(|(_, a)| a).unwrap_or_default();
                    let prefix = after.trim_start_matches('/').trim_end_matches('*');
                    let reach = f.reach.entry(bucket.clone()).or_default();
                    reach.actions.extend(actions.iter().cloned());
                    reach.prefixes.insert(if prefix.is_empty() { "*".to_string() } else { prefix.to_string() });
                }
            }
        };
        for policy in get(&props, "Policies").and_then(Value::as_sequence).into_iter().flatten() {
            let Some(m) = policy.as_mapping() else { continue };
            for (k, body) in m {
                let name = text(Some(k)).unwrap_or_default();
                if name == "Statement" {
                    for s in body.as_sequence().into_iter().flatten() {
                        if text(get(s, "Effect")).as_deref() != Some("Allow") {
                            continue;
                        }
                        let (mut ids, mut subs) = (BTreeSet::new(), Vec::new());
                        references(get(s, "Resource").unwrap_or(&Value::Null), &mut ids, &mut subs);
                        grant(ids, &subs, &strings(get(s, "Action")));
                    }
                } else {
                    let (mut ids, mut subs) = (BTreeSet::new(), Vec::new());
                    references(body, &mut ids, &mut subs);
                    grant(ids, &subs, &template_actions(&name));
                }
            }
        }
        // what SAM grants for the function's event sources
        for ev in get(&props, "Events").and_then(Value::as_mapping).into_iter().flat_map(|m| m.values()) {
            let p = get(ev, "Properties").cloned().unwrap_or(Value::Null);
            let (mut ids, mut subs) = (BTreeSet::new(), Vec::new());
            let actions: Vec<String> = match text(get(ev, "Type")).as_deref() {
                Some("SQS") => {
                    references(get(&p, "Queue").unwrap_or(&Value::Null), &mut ids, &mut subs);
                    vec!["sqs:ReceiveMessage".into(), "sqs:DeleteMessage".into()]
                }
                Some("DynamoDB") => {
                    references(get(&p, "Stream").unwrap_or(&Value::Null), &mut ids, &mut subs);
                    vec!["dynamodb:GetRecords".into()]
                }
                _ => continue,
            };
            grant(ids, &subs, &actions);
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = include_str!("../../../template.yaml");

    fn deployment() -> Deployment {
        read_template(TEMPLATE).unwrap()
    }

    #[test]
    fn reads_every_table_with_its_ttl_and_recovery() {
        let d = deployment();
        let ids: Vec<&str> = d.tables.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["CoreTable", "ContactsTable", "ResponsesTable"]);
        assert!(d.tables.iter().all(|t| t.point_in_time_recovery && t.deletion_protected));
        assert_eq!(d.tables[0].ttl_attribute.as_deref(), Some("expires_at"));
        assert_eq!(d.tables[2].ttl_attribute, None);
        assert_eq!(d.tables[2].stream.as_deref(), Some("NEW_AND_OLD_IMAGES"));
    }

    #[test]
    fn reads_the_buckets_encryption_versions_and_lifecycle() {
        let d = deployment();
        let b = &d.buckets[0];
        assert_eq!((b.id.as_str(), b.encryption.as_deref()), ("DataBucket", Some("AES256")));
        assert!(b.versioned && b.public_access_blocked && b.tls_only, "{b:?}");
        let uploads = b.expirations.iter().find(|e| e.prefix.as_deref() == Some("uploads/")).expect("uploads expire");
        assert_eq!(uploads.days, Days::Parameter("UploadRetentionDays".into()));
        assert_eq!(b.old_versions_days, Some(Days::Fixed(1)));
        assert_eq!(d.parameter_defaults["UploadRetentionDays"], 30);
    }

    #[test]
    fn reads_queues_and_their_dead_letters_and_the_log_groups() {
        let d = deployment();
        let send_dlq = d.queues.iter().find(|q| q.id == "SendDeadLetterQueue").unwrap();
        assert_eq!(send_dlq.dead_letters_of.as_deref(), Some("SendQueue"));
        assert_eq!(send_dlq.retention_seconds, 1_209_600);
        assert!(d.queues.iter().all(|q| q.encrypted), "{:?}", d.queues);
        let admin = d.log_groups.iter().find(|l| l.function.as_deref() == Some("AdminApiFunction")).unwrap();
        assert_eq!(admin.retention, Some(Days::Parameter("LogRetentionDays".into())));
    }

    #[test]
    fn reads_which_function_reaches_which_store() {
        let d = deployment();
        let admin = d.functions.iter().find(|f| f.id == "AdminApiFunction").unwrap();
        assert!(admin.reach["ResponsesTable"].actions.contains("dynamodb:Query"));
        assert!(!admin.reach["ResponsesTable"].actions.contains("dynamodb:PutItem"), "responses are only read here");
        assert!(admin.reach["DataBucket"].prefixes.contains("logos/"), "{:?}", admin.reach["DataBucket"]);
        assert!(admin.reach["SendQueue"].actions.contains("sqs:SendMessage"));
        let report = d.functions.iter().find(|f| f.id == "GenerateReportFunction").unwrap();
        assert!(report.reach["DataBucket"].prefixes.contains("*"));
        assert!(report.reach["ReportQueue"].actions.contains("sqs:ReceiveMessage"));
        let names: Vec<&str> = d.reaching("ContactsTable").iter().map(|(f, _)| f.id.as_str()).collect();
        assert!(names.contains(&"ImportContactsFunction"), "{names:?}");
    }

    #[test]
    fn a_parameters_days_come_from_the_settings_in_force_else_its_default() {
        let d = Days::Parameter("UploadRetentionDays".into());
        let defaults = BTreeMap::from([("UploadRetentionDays".to_string(), 30)]);
        assert_eq!(d.resolve(&BTreeMap::new(), &defaults), Some(30));
        assert_eq!(d.resolve(&BTreeMap::from([("UploadRetentionDays".to_string(), 7)]), &defaults), Some(7));
    }

    #[test]
    fn a_template_that_is_not_yaml_is_refused() {
        assert!(read_template("Resources: [").is_err());
        assert!(read_template("a: 1").is_err());
    }
}
