//! Each function's DynamoDB permissions, as its template policy grants
//! them, checked on every call it makes: the emulator checks no IAM, so a
//! function calling an action its role lacks would pass every test here and
//! fail with `AccessDeniedException` once deployed. The local stack puts a
//! [`Guard`] on each function's DynamoDB client; before a request is sent it
//! works out the IAM actions and resources DynamoDB would authorise the
//! request against ([`needs`]) and refuses the call, as AWS would, when no
//! `Allow` statement of the function's `Policies` grants one of them (or a
//! `Deny` statement refuses it).
//!
//! Only DynamoDB is checked. The statements are read as IAM reads them:
//! actions case-insensitively, resources case-sensitively, both with the
//! `*` and `?` wildcards. What the check cannot model (a `Condition` or a
//! `NotResource` on a statement that may grant DynamoDB actions, a
//! `NotAction`, a SAM policy template or managed policy for DynamoDB) stops
//! the stack at start rather than being guessed.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::operation::{
    batch_get_item::BatchGetItemInput, batch_write_item::BatchWriteItemInput, delete_item::DeleteItemInput,
    describe_table::DescribeTableInput, describe_time_to_live::DescribeTimeToLiveInput, get_item::GetItemInput, put_item::PutItemInput,
    query::QueryInput, scan::ScanInput, transact_get_items::TransactGetItemsInput, transact_write_items::TransactWriteItemsInput,
    update_item::UpdateItemInput,
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{BeforeSerializationInterceptorContextRef, Input};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use pulse_shared::store::Aws;
use serde_norway::Value;

use crate::template::{FunctionSpec, Resolver, Template, TemplateError, ACCOUNT_ID, REGION};

/// One permission a request needs: an IAM action on a table (or one of its
/// indexes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Need {
    /// `dynamodb:GetItem`, …
    pub action: String,
    /// The table's name (or ARN) as the request gives it.
    pub table: String,
    /// The index a query or scan reads.
    pub index: Option<String>,
}

fn need(action: &str, table: &str, index: Option<&str>) -> Need {
    Need { action: format!("dynamodb:{action}"), table: table.to_string(), index: index.map(str::to_string) }
}

/// The permissions DynamoDB authorises a request against: the operation's
/// own action on its table; for a transaction, each item's action on its
/// table (`PutItem`, `UpdateItem`, `DeleteItem`, `ConditionCheckItem`;
/// `GetItem` for `TransactGetItems`); for a batch, the batch's action on
/// each table; a query or scan of an index, on the index. `Err`: the
/// operation's name, when the check does not know what it needs.
pub fn needs(input: &Input, operation: &str) -> Result<Vec<Need>, String> {
    let unknown = || operation.to_string();
    let mut out = BTreeSet::new();
    let table = |t: Option<&str>| t.map(str::to_string).ok_or_else(unknown);
    if let Some(i) = input.downcast_ref::<GetItemInput>() {
        out.insert(need("GetItem", &table(i.table_name())?, None));
    } else if let Some(i) = input.downcast_ref::<PutItemInput>() {
        out.insert(need("PutItem", &table(i.table_name())?, None));
    } else if let Some(i) = input.downcast_ref::<UpdateItemInput>() {
        out.insert(need("UpdateItem", &table(i.table_name())?, None));
    } else if let Some(i) = input.downcast_ref::<DeleteItemInput>() {
        out.insert(need("DeleteItem", &table(i.table_name())?, None));
    } else if let Some(i) = input.downcast_ref::<QueryInput>() {
        out.insert(need("Query", &table(i.table_name())?, i.index_name()));
    } else if let Some(i) = input.downcast_ref::<ScanInput>() {
        out.insert(need("Scan", &table(i.table_name())?, i.index_name()));
    } else if let Some(i) = input.downcast_ref::<DescribeTableInput>() {
        out.insert(need("DescribeTable", &table(i.table_name())?, None));
    } else if let Some(i) = input.downcast_ref::<DescribeTimeToLiveInput>() {
        out.insert(need("DescribeTimeToLive", &table(i.table_name())?, None));
    } else if let Some(i) = input.downcast_ref::<BatchGetItemInput>() {
        for t in i.request_items().into_iter().flat_map(|m| m.keys()) {
            out.insert(need("BatchGetItem", t, None));
        }
    } else if let Some(i) = input.downcast_ref::<BatchWriteItemInput>() {
        for t in i.request_items().into_iter().flat_map(|m| m.keys()) {
            out.insert(need("BatchWriteItem", t, None));
        }
    } else if let Some(i) = input.downcast_ref::<TransactWriteItemsInput>() {
        for item in i.transact_items() {
            let (action, t) = if let Some(p) = item.put() {
                ("PutItem", p.table_name())
            } else if let Some(u) = item.update() {
                ("UpdateItem", u.table_name())
            } else if let Some(d) = item.delete() {
                ("DeleteItem", d.table_name())
            } else if let Some(c) = item.condition_check() {
                ("ConditionCheckItem", c.table_name())
            } else {
                return Err(unknown());
            };
            out.insert(need(action, t, None));
        }
    } else if let Some(i) = input.downcast_ref::<TransactGetItemsInput>() {
        for item in i.transact_items() {
            let g = item.get().ok_or_else(unknown)?;
            out.insert(need("GetItem", g.table_name(), None));
        }
    } else {
        return Err(unknown());
    }
    Ok(out.into_iter().collect())
}

/// Whether `text` matches an IAM pattern (`*`: any run, `?`: any one
/// character).
fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, t) = (fold(pattern), fold(text));
    // the classic two-pointer glob, backtracking to the last `*`
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A statement of a function's policy that may concern DynamoDB, resolved.
#[derive(Debug, Clone)]
struct Statement {
    allow: bool,
    actions: Vec<String>,
    resources: Vec<String>,
}

impl Statement {
    fn covers(&self, action: &str, resource: &str) -> bool {
        self.actions.iter().any(|a| matches(a, action, true)) && self.resources.iter().any(|r| matches(r, resource, false))
    }
}

/// Whether an action pattern may match a DynamoDB action.
fn may_be_dynamodb(action: &str) -> bool {
    match action.split_once(':') {
        Some((service, _)) => matches(service, "dynamodb", true),
        None => action.chars().all(|c| c == '*'),
    }
}

/// A value that is one string or a list of them (`Action`, `Resource`).
fn one_or_many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Sequence(s)) => s.iter().collect(),
        Some(v) => vec![v],
        None => vec![],
    }
}

/// What a function may do to DynamoDB: its policy's statements, resolved.
#[derive(Debug, Clone)]
pub struct Permissions {
    /// The function's logical id.
    pub function: String,
    statements: Vec<Statement>,
    /// Each table of the template: its name → (logical id, ARN).
    tables: BTreeMap<String, (String, String)>,
}

impl Permissions {
    /// Reads the function's `Policies` and resolves the resources of the
    /// statements that may grant DynamoDB actions.
    pub fn of(template: &Template, f: &FunctionSpec, resolver: &Resolver) -> Result<Self, TemplateError> {
        let at = format!("{}.Policies", f.logical_id);
        let invalid = |problem: String| TemplateError::Invalid { at: at.clone(), problem };
        let mut statements = Vec::new();
        let policies: Vec<&Value> = one_or_many(f.policies.as_ref());
        for policy in policies {
            let listed = match policy {
                Value::Mapping(m) => {
                    if let Some(s) = m.get("Statement") {
                        one_or_many(Some(s))
                    } else if let Some(s) = m.get("PolicyDocument").and_then(|d| d.get("Statement")) {
                        one_or_many(Some(s))
                    } else {
                        // a SAM policy template (`SQSSendMessagePolicy: …`)
                        let names: Vec<&str> = m.keys().filter_map(Value::as_str).collect();
                        if let Some(name) = names.iter().find(|n| n.to_lowercase().contains("dynamodb")) {
                            return Err(invalid(format!(
                                "the SAM policy template {name} is not modelled by the local stack's permission check: write its statements"
                            )));
                        }
                        continue;
                    }
                }
                Value::String(name) if name.to_lowercase().contains("dynamodb") || name.ends_with("AdministratorAccess") => {
                    return Err(invalid(format!(
                        "the managed policy {name} is not modelled by the local stack's permission check: write its statements"
                    )));
                }
                _ => continue,
            };
            for s in listed {
                if s.get("NotAction").is_some() {
                    return Err(invalid("a statement with NotAction is not modelled by the local stack's permission check".into()));
                }
                let actions: Vec<String> =
                    one_or_many(s.get("Action")).into_iter().filter_map(|a| a.as_str().map(str::to_string)).collect();
                if !actions.iter().any(|a| may_be_dynamodb(a)) {
                    continue;
                }
                for unmodelled in ["Condition", "NotResource", "Principal"] {
                    if s.get(unmodelled).is_some() {
                        return Err(invalid(format!(
                            "a statement granting {actions:?} has a {unmodelled}, which the local stack's permission check does not model"
                        )));
                    }
                }
                let allow = match s.get("Effect").and_then(Value::as_str) {
                    Some("Allow") => true,
                    Some("Deny") => false,
                    other => return Err(invalid(format!("a statement granting {actions:?} has the Effect {other:?}"))),
                };
                let mut resources = Vec::new();
                for r in one_or_many(s.get("Resource")) {
                    resources.push(resolver.resolve(r, &format!("{at} (a statement granting {actions:?})"))?);
                }
                statements.push(Statement { allow, actions, resources });
            }
        }
        let tables = template
            .tables
            .iter()
            .filter_map(|t| {
                let p = resolver.resources.get(&t.logical_id)?;
                Some((p.reference.clone(), (t.logical_id.clone(), p.attributes.get("Arn")?.clone())))
            })
            .collect();
        Ok(Permissions { function: f.logical_id.clone(), statements, tables })
    }

    /// The ARN IAM checks for a table (by name or ARN) or one of its indexes.
    pub fn resource(&self, table: &str, index: Option<&str>) -> String {
        let arn = if table.starts_with("arn:") {
            table.to_string()
        } else {
            self.tables
                .get(table)
                .map(|(_, arn)| arn.clone())
                .unwrap_or_else(|| format!("arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{table}"))
        };
        match index {
            Some(i) => format!("{arn}/index/{i}"),
            None => arn,
        }
    }

    /// Whether the policy lets the function perform `action` on `resource`:
    /// an `Allow` statement covers it and no `Deny` statement does.
    pub fn allows(&self, action: &str, resource: &str) -> bool {
        let covering = || self.statements.iter().filter(|s| s.covers(action, resource));
        covering().any(|s| s.allow) && !covering().any(|s| !s.allow)
    }

    /// The request's permissions the policy does not grant (AWS names the
    /// first only; all are listed here, to be fixed at once).
    pub fn check(&self, input: &Input, operation: &str) -> Result<(), Vec<AccessDenied>> {
        let needed = needs(input, operation).map_err(|operation| {
            vec![AccessDenied {
                function: self.function.clone(),
                action: format!("dynamodb:{operation}"),
                resource: "(unknown)".into(),
                table: String::new(),
                reason: "the local stack's permission check does not know which permissions this operation needs (see infra/src/iam.rs)"
                    .into(),
            }]
        })?;
        let mut denied = Vec::new();
        for n in needed {
            let resource = self.resource(&n.table, n.index.as_deref());
            if !self.allows(&n.action, &resource) {
                let table = self.tables.get(&n.table).map(|(id, _)| id.clone()).unwrap_or_else(|| n.table.clone());
                denied.push(AccessDenied {
                    function: self.function.clone(),
                    action: n.action,
                    resource,
                    table,
                    reason: "no statement of its Policies in template.yaml allows it".into(),
                });
            }
        }
        if denied.is_empty() {
            Ok(())
        } else {
            Err(denied)
        }
    }
}

/// A call the function's policy does not allow, worded as AWS words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "AccessDeniedException: {function} is not authorized to perform: {action} on resource: {resource} (table {table}) because {reason}"
)]
pub struct AccessDenied {
    /// The function's logical id.
    pub function: String,
    pub action: String,
    pub resource: String,
    /// The table's logical id (its name when it is not the template's).
    pub table: String,
    pub reason: String,
}

/// Every call refused so far, by any function of the stack.
#[derive(Debug, Clone, Default)]
pub struct Denials(Arc<Mutex<Vec<AccessDenied>>>);

impl Denials {
    fn record(&self, denied: AccessDenied) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(denied);
    }

    /// The calls refused since the last `take`.
    pub fn take(&self) -> Vec<AccessDenied> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The interceptor on a function's DynamoDB client.
#[derive(Debug, Clone)]
pub struct Guard {
    pub permissions: Arc<Permissions>,
    pub denials: Denials,
}

impl Intercept for Guard {
    fn name(&self) -> &'static str {
        "local stack IAM check"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg.load::<Metadata>().map(|m| m.name().to_string()).unwrap_or_default();
        self.permissions.check(context.input(), &operation).map_err(|denied| {
            for d in &denied {
                tracing::error!(function = %d.function, action = %d.action, resource = %d.resource, "{d}");
                self.denials.record(d.clone());
            }
            let text: Vec<String> = denied.iter().map(ToString::to_string).collect();
            BoxError::from(text.join("; "))
        })
    }
}

/// The same clients, with the function's DynamoDB calls checked.
pub fn guarded(aws: Aws, guard: Guard) -> Aws {
    Aws { dynamodb: aws_sdk_dynamodb::Client::from_conf(aws.dynamodb.config().to_builder().interceptor(guard).build()), ..aws }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::{
        AttributeValue, ConditionCheck, Delete, Get, KeysAndAttributes, Put, PutRequest, TransactGetItem, TransactWriteItem, Update,
        WriteRequest,
    };
    use std::collections::HashMap;

    fn key() -> HashMap<String, AttributeValue> {
        [("pk".to_string(), AttributeValue::S("a".into())), ("sk".to_string(), AttributeValue::S("b".into()))].into()
    }

    fn actions(needs: &[Need]) -> Vec<(&str, &str)> {
        needs.iter().map(|n| (n.action.as_str(), n.table.as_str())).collect()
    }

    const T: &str = r#"
Resources:
  Core:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
  Other:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
  Fn:
    Type: AWS::Serverless::Function
    Metadata: {BuildProperties: {Binary: fn}}
    Properties:
      Policies:
        - SQSSendMessagePolicy: {QueueName: q}
        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem, "dynamodb:Batch*"]
              Resource:
                - Fn::GetAtt: [Core, Arn]
                - Fn::Sub: ${Core.Arn}/index/*
            - Effect: Allow
              Action: dynamodb:query
              Resource: {"Fn::Sub": "${Other.Arn}/index/by-*"}
            - Effect: Allow
              Action: s3:GetObject
              Resource: {"Fn::Sub": ["arn:aws:s3:::${B}/*", {B: x}]}
  All:
    Type: AWS::Serverless::Function
    Metadata: {BuildProperties: {Binary: all}}
    Properties:
      Policies:
        - Statement:
            - {Effect: Allow, Action: "*", Resource: "*"}
            - {Effect: Deny, Action: "dynamodb:Delete*", Resource: {"Fn::GetAtt": [Other, Arn]}}
"#;

    fn permissions(binary: &str) -> Permissions {
        let t = Template::parse(T).unwrap();
        let mut r = Resolver { stack_name: "s".into(), ..Default::default() };
        for id in ["Core", "Other"] {
            let arn = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/s-{id}");
            r.resources.insert(
                id.into(),
                crate::template::Physical { reference: format!("s-{id}"), attributes: [("Arn".to_string(), arn)].into() },
            );
        }
        Permissions::of(&t, t.function(binary).unwrap(), &r).unwrap()
    }

    #[test]
    fn a_transaction_needs_each_items_action_on_its_table() {
        let put = Put::builder().table_name("s-Core").set_item(Some(key())).build().unwrap();
        let update = Update::builder().table_name("s-Core").set_key(Some(key())).update_expression("SET x = :x").build().unwrap();
        let delete = Delete::builder().table_name("s-Other").set_key(Some(key())).build().unwrap();
        let check = ConditionCheck::builder()
            .table_name("s-Other")
            .set_key(Some(key()))
            .condition_expression("attribute_exists(pk)")
            .build()
            .unwrap();
        let input = TransactWriteItemsInput::builder()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .transact_items(TransactWriteItem::builder().update(update).build())
            .transact_items(TransactWriteItem::builder().delete(delete).build())
            .transact_items(TransactWriteItem::builder().condition_check(check).build())
            .build()
            .unwrap();
        let needed = needs(&Input::erase(input), "TransactWriteItems").unwrap();
        assert_eq!(
            actions(&needed),
            [
                ("dynamodb:ConditionCheckItem", "s-Other"),
                ("dynamodb:DeleteItem", "s-Other"),
                ("dynamodb:PutItem", "s-Core"),
                ("dynamodb:UpdateItem", "s-Core"),
            ]
        );
        let get = TransactGetItemsInput::builder()
            .transact_items(
                TransactGetItem::builder().get(Get::builder().table_name("s-Other").set_key(Some(key())).build().unwrap()).build(),
            )
            .build()
            .unwrap();
        assert_eq!(actions(&needs(&Input::erase(get), "TransactGetItems").unwrap()), [("dynamodb:GetItem", "s-Other")]);
    }

    #[test]
    fn a_batch_needs_the_batchs_action_on_every_table() {
        let keys = KeysAndAttributes::builder().keys(key()).build().unwrap();
        let input = BatchGetItemInput::builder().request_items("s-Core", keys.clone()).request_items("s-Other", keys).build().unwrap();
        assert_eq!(
            actions(&needs(&Input::erase(input), "BatchGetItem").unwrap()),
            [("dynamodb:BatchGetItem", "s-Core"), ("dynamodb:BatchGetItem", "s-Other")]
        );
        let write = WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(key())).build().unwrap()).build();
        let input = BatchWriteItemInput::builder().request_items("s-Other", vec![write]).build().unwrap();
        assert_eq!(actions(&needs(&Input::erase(input), "BatchWriteItem").unwrap()), [("dynamodb:BatchWriteItem", "s-Other")]);
    }

    #[test]
    fn an_operation_the_check_does_not_know_is_refused() {
        let input = aws_sdk_dynamodb::operation::list_tables::ListTablesInput::builder().build().unwrap();
        assert_eq!(needs(&Input::erase(input), "ListTables"), Err("ListTables".to_string()));
        let e = permissions("fn")
            .check(&Input::erase(aws_sdk_dynamodb::operation::list_tables::ListTablesInput::builder().build().unwrap()), "ListTables")
            .unwrap_err();
        assert_eq!(e[0].action, "dynamodb:ListTables");
    }

    #[test]
    fn the_policy_grants_its_actions_on_its_resources_only() {
        let p = permissions("fn");
        let core = p.resource("s-Core", None);
        assert_eq!(core, format!("arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/s-Core"));
        assert!(p.allows("dynamodb:GetItem", &core));
        assert!(p.allows("dynamodb:BatchWriteItem", &core), "a wildcard action");
        assert!(!p.allows("dynamodb:UpdateItem", &core));
        assert!(!p.allows("dynamodb:GetItem", &p.resource("s-Other", None)));
        // an index is its own resource
        assert!(p.allows("dynamodb:Query", &p.resource("s-Other", Some("by-date"))), "actions are case-insensitive");
        assert!(!p.allows("dynamodb:Query", &p.resource("s-Other", Some("all"))));
        assert!(!p.allows("dynamodb:Query", &p.resource("s-Other", None)));
        assert!(!p.allows("dynamodb:GetItem", &p.resource("s-Core-old", None)), "the table's ARN, not a prefix of it");

        let all = permissions("all");
        assert!(all.allows("dynamodb:UpdateItem", &all.resource("s-Other", None)));
        assert!(!all.allows("dynamodb:DeleteItem", &all.resource("s-Other", None)), "an explicit Deny wins");
        assert!(all.allows("dynamodb:DeleteItem", &all.resource("s-Core", None)));
    }

    #[test]
    fn a_refused_call_names_the_function_the_action_and_the_table() {
        let p = permissions("fn");
        let keys = KeysAndAttributes::builder().keys(key()).build().unwrap();
        let allowed = BatchGetItemInput::builder().request_items("s-Core", keys.clone()).build().unwrap();
        assert_eq!(p.check(&Input::erase(allowed), "BatchGetItem"), Ok(()));
        let refused = BatchGetItemInput::builder().request_items("s-Core", keys.clone()).request_items("s-Other", keys).build().unwrap();
        let e = p.check(&Input::erase(refused), "BatchGetItem").unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        let text = e[0].to_string();
        for part in ["AccessDeniedException", "Fn", "dynamodb:BatchGetItem", "table/s-Other", "table Other"] {
            assert!(text.contains(part), "{part} missing from: {text}");
        }
    }

    #[test]
    fn glob_patterns() {
        assert!(matches("dynamodb:*", "dynamodb:GetItem", true));
        assert!(matches("DynamoDB:get?tem", "dynamodb:GetItem", true));
        assert!(!matches("dynamodb:Get", "dynamodb:GetItem", true));
        assert!(matches("a*b*c", "aXbYbc", false));
        assert!(!matches("a*b*c", "aXbYbd", false));
        assert!(!matches("Table", "table", false));
        assert!(may_be_dynamodb("*") && may_be_dynamodb("dynamo*:Get*") && !may_be_dynamodb("s3:*"));
    }

    #[test]
    fn what_the_check_cannot_model_stops_the_stack() {
        for policies in [
            "[{DynamoDBCrudPolicy: {TableName: x}}]",
            "[AmazonDynamoDBFullAccess]",
            "[{Statement: [{Effect: Allow, Action: 'dynamodb:GetItem', Resource: '*', Condition: {}}]}]",
            "[{Statement: [{Effect: Allow, NotAction: 's3:*', Resource: '*'}]}]",
        ] {
            let text = format!(
                "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Metadata: {{BuildProperties: {{Binary: f}}}}\n    Properties:\n      Policies: {policies}\n"
            );
            let t = Template::parse(&text).unwrap();
            let e = Permissions::of(&t, t.function("f").unwrap(), &Resolver::default()).unwrap_err().to_string();
            assert!(e.contains("F.Policies"), "{policies}: {e}");
        }
    }
}
