//! The local stack holds each function to the DynamoDB permissions its
//! template policy grants: a call the policy does not allow is refused with
//! `AccessDeniedException`, as AWS would refuse it, instead of passing here
//! and failing once deployed.

use pulse_tests::TestStack;
use reqwest::Method;
use serde_json::json;
use serde_norway::Value;

/// The workspace's template with `action` taken out of every statement of
/// `function` that names `table`'s ARN; written to a file of its own.
fn narrowed_template(function: &str, table: &str, action: &str) -> std::path::PathBuf {
    let path = pulse_local::workspace_root().join("template.yaml");
    let mut t: Value = serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let policies = t["Resources"][function]["Properties"]["Policies"].as_sequence_mut().unwrap();
    let mut removed = 0;
    for statement in policies.iter_mut().filter_map(|p| p.get_mut("Statement")).filter_map(Value::as_sequence_mut).flatten() {
        let names_table = statement["Resource"]
            .as_sequence()
            .is_some_and(|rs| rs.iter().any(|r| r["Fn::GetAtt"].as_sequence().is_some_and(|ga| ga[0] == table)));
        if let (true, Some(actions)) = (names_table, statement.get_mut("Action").and_then(Value::as_sequence_mut)) {
            let before = actions.len();
            actions.retain(|a| a != action);
            removed += before - actions.len();
        }
    }
    assert!(removed > 0, "{function} has no statement granting {action} on {table}");
    let out = std::env::temp_dir().join(format!("pulse-narrowed-{}-{function}.yaml", std::process::id()));
    std::fs::write(&out, serde_norway::to_string(&t).unwrap()).unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_the_functions_policy_does_not_allow_is_refused_as_aws_would() {
    // the admin API may no longer put items in the core table
    let template = narrowed_template("AdminApiFunction", "CoreTable", "dynamodb:PutItem");
    let t = TestStack::start_on_template(&template).await;
    std::fs::remove_file(&template).ok();

    let body = json!({ "kind": "quick_check_in", "settings": { "organisation_name": "Café Aroma", "business_type": "B2C" } });
    let r = t.admin(Method::POST, "/admin/projects").json(&body).send().await.unwrap();
    assert!(r.status().is_server_error(), "a project was created without PutItem: {}", r.status());

    let denied = t.stack.denials.take();
    assert!(!denied.is_empty(), "no call was refused");
    for d in &denied {
        assert_eq!((d.function.as_str(), d.action.as_str(), d.table.as_str()), ("AdminApiFunction", "dynamodb:PutItem", "CoreTable"));
        assert!(d.resource.ends_with(":table/pulse-local-CoreTable"), "{}", d.resource);
        let text = d.to_string();
        assert!(text.starts_with("AccessDeniedException: AdminApiFunction is not authorized to perform: dynamodb:PutItem"), "{text}");
    }

    // what the policy still allows goes through: reading the project list
    let r = t.admin(Method::GET, "/admin/projects").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(t.stack.denials.take().is_empty());
}
