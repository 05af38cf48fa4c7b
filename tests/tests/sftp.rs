//! The optional SFTP endpoint of the B2B drop folder (`SftpEndpoint=true`):
//! a project's Transfer Family user is made with its first SSH key, lives in
//! the project's drop folder, and loses access when its key or its project
//! goes; a pasted key that is not one is refused in words; a stack without
//! the endpoint says how to get one.

use pulse_tests::TestStack;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

// ssh-keygen -t ed25519 -C anna@laptop
const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBGbuqGIXObD/cDl5G0YuiXGMIKhJrcs1uIB7d4kQID1 anna@laptop";
const FINGERPRINT: &str = "SHA256:V01jH6y3ydfooY/hw+ziTWUHGXM812lXpRGL7y+gL4E";

fn project() -> Value {
    json!({ "kind": "quick_check_in", "settings": { "organisation_name": "Acme", "business_type": "B2B", "languages": ["en"] } })
}

async fn call(t: &TestStack, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = t.admin(method, path);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("admin request");
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_projects_sftp_user_is_made_with_its_first_key_at_home_in_the_drop_folder() {
    let t = TestStack::start_with(&[("SftpEndpoint", "true")]).await;
    let id = t.create_project(project()).await["id"].as_str().unwrap().to_string();
    let base = format!("/admin/projects/{id}/b2b/sftp");
    let (status, before) = call(&t, Method::GET, &base, None).await;
    assert_eq!((status, &before["enabled"], before["keys"].as_array().map(Vec::len)), (StatusCode::OK, &json!(true), Some(0)));
    assert_eq!(before["user_name"], format!("pulse-{id}"));
    assert!(before["host"].as_str().unwrap().ends_with(".server.transfer.us-east-1.amazonaws.com"), "{before:#}");

    let (status, added) = call(&t, Method::POST, &format!("{base}/keys"), Some(json!({ "public_key": KEY }))).await;
    assert_eq!(status, StatusCode::CREATED, "{added:#}");
    assert_eq!(added["fingerprint"], FINGERPRINT);

    // the user Transfer Family holds: the stack's role, a logical home that
    // is exactly the folder the sync reads, and the key
    let server = t.config("admin-api").sftp_server_id.clone();
    let user = t.stack.aws.transfer.describe_user().server_id(&server).user_name(format!("pulse-{id}")).send().await.expect("user");
    let user = user.user.expect("described");
    assert_eq!(user.role.as_deref(), Some(t.config("admin-api").sftp_user_role_arn.as_str()));
    assert_eq!(user.home_directory_type.map(|h| h.as_str().to_string()).as_deref(), Some("LOGICAL"));
    let mapping = user.home_directory_mappings.unwrap_or_default();
    let (_, sync) = call(&t, Method::PUT, &format!("/admin/projects/{id}/b2b/sync"), Some(json!({ "source": "drop_folder" }))).await;
    let folder = sync["drop_folder"].as_str().expect("the drop folder").trim_start_matches("s3:/").trim_end_matches('/').to_string();
    assert_eq!((mapping.len(), mapping[0].entry.as_str(), mapping[0].target.as_str()), (1, "/", folder.as_str()), "{sync:#}");
    let keys = user.ssh_public_keys.unwrap_or_default();
    assert_eq!(keys.len(), 1);

    // the same key again, then what is not a key: refused in words
    let (status, again) = call(&t, Method::POST, &format!("{base}/keys"), Some(json!({ "public_key": KEY }))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again:#}");
    let (status, private) =
        call(&t, Method::POST, &format!("{base}/keys"), Some(json!({ "public_key": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc" }))).await;
    assert_eq!((status, private["field"].as_str()), (StatusCode::BAD_REQUEST, Some("public_key")));
    assert!(private["message"].as_str().unwrap().contains("paste the public key"), "{private:#}");

    let (_, listed) = call(&t, Method::GET, &base, None).await;
    let listed = listed["keys"].as_array().cloned().unwrap();
    assert_eq!((listed.len(), listed[0]["fingerprint"].as_str()), (1, Some(FINGERPRINT)));
    let key_id = listed[0]["id"].as_str().unwrap().to_string();
    let (status, _) = call(&t, Method::DELETE, &format!("{base}/keys/{key_id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&t, Method::DELETE, &format!("{base}/keys/{key_id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, after) = call(&t, Method::GET, &base, None).await;
    assert_eq!(after["keys"].as_array().map(Vec::len), Some(0));

    // deleting the project removes its user at once
    t.delete_project(&id).await;
    let gone = t.stack.aws.transfer.describe_user().server_id(&server).user_name(format!("pulse-{id}")).send().await;
    assert!(gone.is_err(), "the user outlived its project");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_without_the_endpoint_says_how_to_get_one_and_stores_nothing() {
    let t = TestStack::start().await;
    assert_eq!(t.config("admin-api").sftp_server_id, "", "off by default: it costs by the hour");
    let id = t.create_project(project()).await["id"].as_str().unwrap().to_string();
    let (status, v) = call(&t, Method::GET, &format!("/admin/projects/{id}/b2b/sftp"), None).await;
    assert_eq!((status, &v["enabled"]), (StatusCode::OK, &json!(false)));
    let (status, v) = call(&t, Method::POST, &format!("/admin/projects/{id}/b2b/sftp/keys"), Some(json!({ "public_key": KEY }))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(v["message"].as_str().unwrap().contains("SftpEndpoint=true"), "{v:#}");
    let (status, _) = call(&t, Method::GET, "/admin/projects/nope/b2b/sftp", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
