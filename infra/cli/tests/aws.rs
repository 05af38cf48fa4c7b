//! Finding a deployed stack through CloudFormation, against the emulator:
//! no credentials and a wrong stack name each stop with one line and exit
//! 3; `pulse doctor` reads a stack's parameters, queues and rules. (Its own
//! test binary: it sets the AWS environment of the process.)

use pulse_cli::{run, Io};
use pulse_tests::TestStack;

async fn pulse(args: &[&str]) -> (i32, String, String) {
    let (mut io, out, err) = Io::captured(&[]);
    let mut full = vec!["pulse"];
    full.extend_from_slice(args);
    let code = run(full, &mut io).await;
    (code, out.text(), err.text())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credentials_and_a_wrong_stack_name_say_what_to_do() {
    let stack = TestStack::start().await;
    let nowhere = std::env::temp_dir().join("pulse-cli-no-aws-config");
    // SAFETY of the environment: this binary has this one test.
    for (k, v) in [
        ("AWS_CONFIG_FILE", nowhere.join("config")),
        ("AWS_SHARED_CREDENTIALS_FILE", nowhere.join("credentials")),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_ENDPOINT_URL", stack.stack.emulator_url.clone().into()),
    ] {
        std::env::set_var(k, v);
    }
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ] {
        std::env::remove_var(k);
    }

    let (code, out, err) = pulse(&["--stack", "pulse", "--region", "us-east-1", "projects", "list"]).await;
    assert_eq!(code, 3, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no AWS credentials") && err.contains("aws sso login"), "{err}");

    let (code, _, err) = pulse(&["--stack", "pulse", "--profile", "nobody", "--region", "us-east-1", "projects", "list"]).await;
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no AWS credentials (profile nobody)"), "{err}");

    // credentials the emulator takes; a stack it does not have
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    let (code, out, err) = pulse(&["--stack", "pulse-nope", "--region", "us-east-1", "projects", "list"]).await;
    assert_eq!(code, 3, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("there is no CloudFormation stack `pulse-nope` in us-east-1"), "{err}");
    for secret in ["test\n", "AKID"] {
        assert!(!err.contains(secret) && !out.contains(secret), "no credential is printed: {err}");
    }

    // doctor on a "deployed" stack: its sender, rules and queues found through CloudFormation
    let sdk = pulse_shared::store::emulator_sdk_config(&stack.stack.emulator_url).await;
    let cfn = aws_sdk_cloudformation::Client::new(&sdk);
    let template = serde_json::json!({
        "Parameters": { "SenderEmail": {"Type": "String"}, "SesSendRate": {"Type": "String"}, "PublicBaseUrl": {"Type": "String"} },
        "Resources": {
            "SendDeadLetterQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "doctor-send-dlq"}},
            "AsyncFailureQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "doctor-async-failures"}},
            "DueSends": {"Type": "AWS::Events::Rule", "Properties": {"Name": "doctor-due-sends", "ScheduleExpression": "rate(1 minute)", "State": "DISABLED"}},
        },
        "Outputs": { "ApiUrl": {"Value": {"Ref": "PublicBaseUrl"}} },
    });
    let sender = stack.config("admin-api").sender_email.clone();
    let parameter = |k: &str, v: &str| aws_sdk_cloudformation::types::Parameter::builder().parameter_key(k).parameter_value(v).build();
    cfn.create_stack()
        .stack_name("pulse-doctor")
        .template_body(template.to_string())
        .parameters(parameter("SenderEmail", &sender))
        .parameters(parameter("SesSendRate", "14"))
        .parameters(parameter("PublicBaseUrl", &stack.stack.base_url))
        .send()
        .await
        .expect("stack created");
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let dlq = sqs.get_queue_url().queue_name("doctor-send-dlq").send().await.expect("queue").queue_url().expect("url").to_string();
    sqs.send_message().queue_url(&dlq).message_body("{}").send().await.expect("dead letter");
    let (code, out, err) = pulse(&["--stack", "pulse-doctor", "--region", "us-east-1", "--json", "doctor"]).await;
    assert_eq!(code, 4, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("doctor json");
    let check = |name: &str| {
        report["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["check"] == name).cloned())
            .unwrap_or_else(|| panic!("no {name} check: {report}"))
    };
    assert_eq!(check("SES sender")["status"], "ok", "{report}");
    assert_eq!(check("public URL")["status"], "ok", "{report}");
    let schedules = check("schedules");
    assert!(schedules["status"] == "fail" && schedules["detail"].as_str().unwrap_or_default().contains("DueSends"), "{schedules}");
    assert!(schedules["fix"].as_str().unwrap_or_default().contains("aws events enable-rule --name doctor-due-sends"), "{schedules}");
    let dead = check("dead letters");
    assert!(dead["status"] == "fail" && dead["detail"].as_str().unwrap_or_default().contains("SendDeadLetterQueue: 1"), "{dead}");
    assert!(dead["fix"].as_str().unwrap_or_default().contains("doctor-send-dlq"), "{dead}");
    let dkim = check("DKIM");
    assert_eq!(dkim["status"], "fail", "an address identity without DKIM: {report}");
    assert!(dkim["fix"].as_str().unwrap_or_default().contains("ManageSenderIdentity=true"), "{dkim}");

    // a deployed API (any address but 127.0.0.1/localhost) gets SigV4, not the key;
    // one that answers 403 is a one-line message about the credentials
    let (url, seen) = recording_server().await;
    let (code, out, err) = pulse(&["--url", &url, "--region", "eu-west-1", "projects", "list"]).await;
    assert_eq!(code, 3, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("refused these AWS credentials (403"), "{err}");
    assert!(!err.contains("Signature=") && !err.contains("test/"), "{err}");
    let request = seen.lock().expect("lock").clone().to_lowercase();
    assert!(request.starts_with("get /admin/projects "), "{request}");
    assert!(
        request.contains("authorization: aws4-hmac-sha256 credential=test/") && request.contains("/eu-west-1/execute-api/aws4_request"),
        "{request}"
    );
    assert!(request.contains("x-amz-date: ") && !request.contains("x-api-key"), "{request}");
}

/// A server on 127.0.0.2 (loopback, but not the local stack's address)
/// that keeps the first request's head and answers 403 as API Gateway does.
async fn recording_server() -> (String, std::sync::Arc<std::sync::Mutex<String>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.expect("bind 127.0.0.2");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let keep = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16384];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            *keep.lock().expect("lock") = String::from_utf8_lossy(&buf[..n]).into_owned();
            let body = r#"{"message":"User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: execute-api:Invoke"}"#;
            let answer = format!(
                "HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    (url, seen)
}
