//! The foundation, end to end: the template's resources exist in the local
//! stack, and each kind of event reaches its handler as AWS would deliver it.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use pulse_local::template::EventSpec;
use pulse_tests::{TestStack, API_KEY};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_table_bucket_queue_route_and_function_of_the_template_exists_locally() {
    let t = TestStack::start().await;
    let s = &t.stack;
    let aws = &s.aws;

    let tables = aws.dynamodb.list_tables().send().await.unwrap().table_names.unwrap_or_default();
    for spec in &s.template.tables {
        let name = &s.resolver.resources[&spec.logical_id].reference;
        assert!(tables.contains(name), "table {} ({name}) missing", spec.logical_id);
        let desc = aws.dynamodb.describe_table().table_name(name).send().await.unwrap().table.unwrap();
        let keys: Vec<(String, String)> =
            desc.key_schema().iter().map(|k| (k.attribute_name().to_string(), k.key_type().as_str().to_string())).collect();
        assert_eq!(keys, spec.key_schema, "key schema of {}", spec.logical_id);
        assert_eq!(
            desc.stream_specification().and_then(|s| s.stream_view_type()).map(|v| v.as_str().to_string()),
            spec.stream_view_type,
            "stream of {}",
            spec.logical_id
        );
    }
    assert!(s.template.tables.iter().any(|t| t.logical_id == "ResponsesTable" && t.stream_view_type.is_some()));

    let buckets: Vec<String> =
        aws.s3.list_buckets().send().await.unwrap().buckets().iter().filter_map(|b| b.name().map(str::to_string)).collect();
    for b in &s.template.buckets {
        assert!(buckets.contains(&s.resolver.resources[&b.logical_id].reference), "bucket {} missing", b.logical_id);
    }

    let queues = aws.sqs.list_queues().send().await.unwrap().queue_urls.unwrap_or_default();
    for q in &s.template.queues {
        let url = &s.resolver.resources[&q.logical_id].reference;
        assert!(queues.contains(url), "queue {} missing", q.logical_id);
        if let Some(dlq) = &q.dead_letter_target {
            let attrs = aws
                .sqs
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)
                .send()
                .await
                .unwrap();
            let policy =
                attrs.attributes().and_then(|a| a.get(&aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)).cloned().unwrap_or_default();
            assert!(policy.contains(&s.resolver.resources[dlq].attributes["QueueName"]), "{} redrives to {dlq}: {policy}", q.logical_id);
        }
    }

    let handlers: BTreeSet<String> = s.functions.names().into_iter().collect();
    let template_routes: BTreeSet<(String, String, String)> = s
        .template
        .functions
        .iter()
        .flat_map(|f| {
            f.events.iter().filter_map(move |e| match e {
                EventSpec::Http { method, path, .. } => Some((method.clone(), path.clone(), f.binary.clone())),
                _ => None,
            })
        })
        .collect();
    for f in &s.template.functions {
        assert!(handlers.contains(&f.binary), "no handler for {}", f.binary);
        assert!(s.configs.contains_key(&f.binary), "no configuration for {}", f.binary);
    }
    // the template is the one list of functions: the stack runs exactly its
    // functions, and each is the crate functions/<Binary> of the workspace
    let binaries: BTreeSet<String> = s.template.binaries().into_iter().map(str::to_string).collect();
    assert_eq!(handlers, binaries, "the functions the stack runs against the template's");
    let functions_dir = pulse_local::workspace_root().join("functions");
    let crates: BTreeSet<String> = std::fs::read_dir(&functions_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|dir| dir.join("Cargo.toml").is_file())
        .map(|dir| {
            let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            assert!(manifest.contains(&format!("name = \"{name}\"")), "{} is the package {name}", dir.display());
            name
        })
        .collect();
    assert_eq!(crates, binaries, "the crates under functions/ against the template's functions");
    let served: Value = t.http.get(t.url("/_local/routes")).send().await.unwrap().json().await.unwrap();
    let served: BTreeSet<(String, String, String)> = served["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["method"].as_str().unwrap().into(), r["path"].as_str().unwrap().into(), r["function"].as_str().unwrap().into()))
        .collect();
    assert_eq!(served, template_routes);
    assert!(served.len() >= 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_request_reaches_its_handler_as_an_api_gateway_v2_event() {
    let t = TestStack::start().await;
    let r = t.admin(Method::GET, "/admin/health").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["ok"], true, "{body}");
    assert_eq!(body["checks"].as_array().unwrap().len(), 5);

    let inv = t.invocation("admin-api", |i| i.event["rawPath"] == "/admin/health").await;
    assert_eq!(inv.event["version"], "2.0");
    assert_eq!(inv.event["routeKey"], "ANY /admin/{proxy+}");
    assert_eq!(inv.event["pathParameters"]["proxy"], "health");
    assert_eq!(inv.event["requestContext"]["http"]["method"], "GET");
    assert!(inv.event["requestContext"]["authorizer"]["iam"].is_object());
    assert_eq!(inv.result.as_ref().unwrap()["statusCode"], 200);

    let r = t.http.get(t.url("/s/tok%20en-1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let inv = t.invocation("submit-response", |i| i.event["rawPath"] == "/s/tok%20en-1").await;
    assert_eq!(inv.event["pathParameters"]["token"], "tok en-1");
    assert!(inv.event["requestContext"].get("authorizer").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_refuse_a_missing_or_wrong_api_key_before_the_handler_runs() {
    let t = TestStack::start().await;
    let missing = t.http.get(t.url("/admin/health")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    let wrong = t.http.get(t.url("/admin/health")).header("x-api-key", format!("{API_KEY}x")).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(t.stack.functions.invocations(Some("admin-api")).is_empty());
    // public routes need no key
    assert_eq!(t.http.post(t.url("/unsubscribe/abc")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(t.stack.functions.invocations(Some("submit-response")).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_reaches_import_contacts_as_an_s3_event_with_its_key_decoded() {
    let t = TestStack::start().await;
    let bucket = &t.config("import-contacts").data_bucket;
    let put =
        |key: &str, body: &'static str| t.stack.aws.s3.put_object().bucket(bucket).key(key).body(body.as_bytes().to_vec().into()).send();
    put("reports/p1/r1.html", "<p>not an upload</p>").await.unwrap();
    put("uploads/p1/u1/Kunden März+1.csv", "Email,FirstName,LastName\n").await.unwrap();

    let inv = t.invocation("import-contacts", |_| true).await;
    let record = &inv.event["Records"][0];
    assert_eq!(record["eventSource"], "aws:s3");
    assert!(record["eventName"].as_str().unwrap().starts_with("ObjectCreated"));
    assert_ne!(record["s3"]["object"]["key"], "uploads/p1/u1/Kunden März+1.csv", "S3 sends the key URL-encoded");
    let result = inv.result.expect("import-contacts succeeded");
    let outcome = &result["outcomes"][0];
    assert_eq!(outcome["key"], "uploads/p1/u1/Kunden März+1.csv");
    assert_eq!(outcome["upload_id"], "u1");
    // there is no project p1: refused, and said why
    assert_eq!(outcome["status"], "refused");
    assert_eq!(outcome["reason"], "there is no project \"p1\"");
    // the other prefix is not subscribed
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = t.stack.functions.invocations(Some("import-contacts"));
    assert!(all.iter().all(|i| !i.event.to_string().contains("reports/")), "{all:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_record_reaches_notify_thresholds_as_a_stream_record() {
    let t = TestStack::start().await;
    let table = &t.config("notify-thresholds").responses_table;
    t.stack
        .aws
        .dynamodb
        .put_item()
        .table_name(table)
        .item("pk", AttributeValue::S("PROJECT#p1".into()))
        .item("sk", AttributeValue::S("PROBE#r1".into()))
        .item("nps", AttributeValue::N("9".into()))
        .send()
        .await
        .unwrap();
    let inv = t.invocation("notify-thresholds", |_| true).await;
    let record = &inv.event["Records"][0];
    assert_eq!(record["eventName"], "INSERT");
    assert_eq!(record["eventSource"], "aws:dynamodb");
    assert_eq!(record["dynamodb"]["Keys"]["pk"]["S"], "PROJECT#p1");
    assert_eq!(record["dynamodb"]["NewImage"]["nps"]["N"], "9");
    assert!(record["eventSourceARN"].as_str().unwrap().contains(table.as_str()));
    assert_eq!(inv.result.unwrap()["batchItemFailures"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_stream_record_fails_alone_by_its_sequence_number() {
    let t = TestStack::start().await;
    let record = |seq: &str, keys: Value, image: Value| {
        json!({
            "eventID": seq, "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
            "dynamodb": { "Keys": keys, "NewImage": image, "SequenceNumber": seq, "SizeBytes": 10, "StreamViewType": "NEW_AND_OLD_IMAGES" }
        })
    };
    let response_image = json!({
        "pk": { "S": "PROJECT#p" }, "sk": { "S": "RESPONSE#a" }, "project_id": { "S": "p" }, "response_id": { "S": "a" },
        "version": { "N": "1" }, "language": { "S": "en" }, "channel": { "S": "anonymous" },
        "submitted_at": { "S": "2026-11-22T10:00:00.000Z" }, "answers": { "M": { "nps": { "N": "9" } } }, "embedded": { "M": {} }
    });
    let event = json!({ "Records": [
        record("100", json!({ "pk": { "S": "PROJECT#p" }, "sk": { "S": "RESPONSE#a" } }), response_image),
        record("101", json!({ "pk": { "N": "7" } }), json!({})),
        record("102", json!({ "pk": { "S": "PROJECT#p" }, "sk": { "S": "RESPONSE#b" } }), json!({ "pk": { "S": "PROJECT#p" } })),
        record("103", json!({ "pk": { "S": "PROJECT#p" }, "sk": { "S": "STATS" } }), json!({})),
    ]});
    let result = t.stack.functions.invoke("notify-thresholds", "req-stream", event, Duration::from_secs(30)).await.unwrap();
    // 101: keys unreadable; 102: a response image that is not a response. 100 and 103 pass.
    assert_eq!(result["batchItemFailures"], json!([{ "itemIdentifier": "101" }, { "itemIdentifier": "102" }]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_message_reaches_send_distribution_and_its_email_appears_on_the_outbox_page() {
    let t = TestStack::start().await;
    let r = t
        .admin(Method::POST, "/admin/test-email")
        .json(&json!({ "to": "anna.virtanen@example.fi", "subject": "Hello from the <test>" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let queued: Value = r.json().await.unwrap();

    let inv = t.invocation("send-distribution", |_| true).await;
    let message = &inv.event["Records"][0];
    assert_eq!(message["eventSource"], "aws:sqs");
    assert_eq!(message["messageId"], queued["message_id"]);
    let job: Value = serde_json::from_str(message["body"].as_str().unwrap()).unwrap();
    assert_eq!(job["kind"], "test_email");
    assert_eq!(inv.result.unwrap()["batchItemFailures"], json!([]));

    let mails = t.outbox(1).await;
    assert_eq!(mails[0]["to"], json!(["anna.virtanen@example.fi"]));
    assert_eq!(mails[0]["from"], t.config("send-distribution").sender_email.as_str());
    let page = t.http.get(t.url("/_local/outbox")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Hello from the &lt;test&gt;"), "{page}");
    assert!(page.contains("anna.virtanen@example.fi"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_queue_message_fails_alone_and_the_rest_of_the_batch_is_sent() {
    let t = TestStack::start().await;
    // One batch as Lambda hands it over: only the unreadable message fails.
    let message = |id: &str, body: &str| {
        json!({ "messageId": id, "receiptHandle": format!("rh-{id}"), "body": body, "attributes": {}, "messageAttributes": {},
                "md5OfBody": "", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "awsRegion": "us-east-1" })
    };
    let batch = json!({ "Records": [
        message("m-bad", "{not json"),
        message("m-good", r#"{"kind":"test_email","to":"b@example.com","subject":"s","text":"t"}"#),
    ]});
    let r = t.stack.functions.invoke("send-distribution", "req-batch", batch, Duration::from_secs(30)).await.unwrap();
    assert_eq!(r["batchItemFailures"], json!([{ "itemIdentifier": "m-bad" }]));
    let mails = t.outbox(1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["to"], json!(["b@example.com"]));

    // Through the queue: the unreadable message is reported, and left for redelivery.
    let queue = &t.config("send-distribution").send_queue_url;
    let sent = t.stack.aws.sqs.send_message().queue_url(queue).message_body("{still not json").send().await.unwrap();
    let id = sent.message_id().unwrap().to_string();
    let inv = t.invocation("send-distribution", |i| i.event.to_string().contains("{still not json")).await;
    assert_eq!(inv.result.unwrap()["batchItemFailures"], json!([{ "itemIdentifier": id }]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_reaches_generate_report_as_an_eventbridge_event() {
    let t = TestStack::start().await;
    let schedule = t.stack.schedules.iter().find(|s| s.function == "generate-report").expect("a report schedule in the template");
    assert_eq!(schedule.expression, "cron(0 6 * * ? *)", "one daily run checks every project's schedule");
    let r = t.http.post(t.url(&format!("/_local/schedules/{}", schedule.name))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let inv = t.invocation("generate-report", |_| true).await;
    assert_eq!(inv.event["detail-type"], "Scheduled Event");
    assert_eq!(inv.event["source"], "aws.events");
    assert!(inv.event["resources"][0].as_str().unwrap().ends_with(&schedule.rule));
    // no project yet: the run answers with today's date and no report
    let result = inv.result.unwrap();
    assert_eq!(result["reports"], json!([]));
    assert_eq!(result["today"].as_str().map(str::len), Some(10));
    let unknown = t.http.post(t.url("/_local/schedules/Nope.Never")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_json_errors_naming_what_is_wrong() {
    let t = TestStack::start().await;
    // unknown route: 404 JSON from the gateway
    let r = t.http.get(t.url("/nowhere")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "not_found");
    // unknown admin route: 404 JSON from the handler, with its request id
    let r = t.admin(Method::GET, "/admin/nowhere").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let gateway_id = r.headers()["apigw-requestid"].to_str().unwrap().to_string();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    assert_eq!(body["request_id"], gateway_id.as_str());
    // malformed JSON: 400
    let r = t.admin(Method::POST, "/admin/test-email").body("{\"to\": ").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("not valid JSON"));
    // wrong type: 400 naming the field
    let r = t.admin(Method::POST, "/admin/test-email").json(&json!({ "to": ["x"] })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["field"], "to");
    // invalid address: 400 naming the field
    let r = t.admin(Method::POST, "/admin/test-email").json(&json!({ "to": "not-an-address" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "to");
    assert!(body["message"].as_str().unwrap().contains("not-an-address"));
    // unknown field: 400 naming it
    let r = t.admin(Method::POST, "/admin/test-email").json(&json!({ "to": "a@example.com", "bcc": "x" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().contains("bcc"));
    // a body over 64 KB on a public route: 413
    let r = t.http.post(t.url("/s/abc")).body(vec![b'a'; 65 * 1024]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_never_takes_the_local_stack_down() {
    let t = TestStack::start().await;
    // an event the function cannot read
    let r = t.stack.functions.invoke("admin-api", "req-bad-event", json!({ "not": "an http event" }), Duration::from_secs(5)).await;
    assert!(r.is_err());
    // an upload event while DynamoDB fails: the handler's AWS call fails
    let bucket = &t.config("import-contacts").data_bucket;
    t.stack.aws.s3.put_object().bucket(bucket).key("uploads/p/u/list.csv").body(b"Email\n".to_vec().into()).send().await.unwrap();
    t.invocation("import-contacts", |_| true).await;
    t.inject_fault(json!({ "operation": "GetItem", "mode": "error", "after": 0, "times": 1000 })).await;
    let event = json!({ "Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventName": "ObjectCreated:Put",
        "eventTime": "2026-11-22T10:00:00.000Z", "userIdentity": { "principalId": "AWS:X" },
        "requestParameters": { "sourceIPAddress": "127.0.0.1" }, "responseElements": {},
        "s3": { "s3SchemaVersion": "1.0", "bucket": { "name": bucket, "arn": format!("arn:aws:s3:::{bucket}") },
                "object": { "key": "uploads/p/u/list.csv", "size": 6 } }
    }]});
    let r = t.stack.functions.invoke("import-contacts", "req-failing", event, Duration::from_secs(30)).await;
    let err = r.unwrap_err();
    assert!(err.contains("GetItem"), "{err}");
    t.clear_faults().await;
    // the stack still serves
    let r = t.admin(Method::GET, "/admin/health").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let failed: Vec<_> = t.stack.functions.invocations(None).into_iter().filter(|i| i.result.is_err()).collect();
    assert_eq!(failed.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_home_page_creates_a_demo_project_a_newcomer_can_answer() {
    let t = TestStack::start().await;
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.post(t.url("/_local/demo")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let home = t.http.get(t.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Café Aroma (demo)"), "{home}");
    assert!(home.contains("version 1 published"));
    assert!(home.contains("Accounts and budgets") && home.contains("0 of 50 used"), "the demo account's budget view: {home}");
    let personal = location.split("personal=").nth(1).unwrap();
    let page = t.http.get(personal).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("<html lang=\"de\">") && page.contains("Café Aroma (demo)"));
}

/// A first `sam deploy` without `PublicBaseUrl`: every function reads the
/// API's own URL from the stack's SSM parameter at start (the template's
/// `Fn::If` leaves the variable empty), so links work without a second
/// deploy; with a custom domain, links use it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_without_a_base_url_links_to_its_own_api_read_from_the_stacks_parameter() {
    let t = TestStack::start_with(&[("PublicBaseUrl", "")]).await;
    for function in t.stack.configs.keys() {
        let config = t.config(function);
        assert_eq!(config.public_base_url, t.stack.base_url, "{function}");
        assert_eq!(config.public_base_url_parameter, "/pulse-local/public-base-url", "{function}");
    }
    let body = json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["en"] } });
    // open_project asserts the anonymous link is on this stack
    let (_, anonymous, _) = t.open_project(body).await;
    let page = t.http.get(t.url(&anonymous)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    drop(t);

    let t = TestStack::start_with(&[
        ("PublicBaseUrl", ""),
        ("CustomDomainName", "surveys.kahvila.example"),
        ("CustomDomainCertificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/x"),
    ])
    .await;
    assert_eq!(t.config("admin-api").public_base_url, "https://surveys.kahvila.example");
}
