//! Privacy end to end: a GDPR erasure reaches every copy of a person (every
//! DynamoDB item and every stored S3 object version is searched
//! afterwards), old share links open the rebuilt reports, and an erasure of
//! a large project runs to its end through many checkpoints.

use std::time::Duration;

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::response::{Channel, Response};
use pulse_shared::domain::survey::{ids, Answer};
use pulse_tests::{complete_answers, TestStack, PATIENCE};
use reqwest::Method;
use serde_json::{json, Value};

const ADDRESS: &str = "zoe.erase@example.fi";
const SURNAME: &str = "Quaxleigh";
const PRIVATE: &str = "zoe.private@elsewhere.example";
const TEXT: &str = "Zebra-quartz-9931 please call";

/// What must be found nowhere after the erasure.
const TRACES: [&str; 4] = [ADDRESS, SURNAME, PRIVATE, "zebra-quartz-9931"];

fn project() -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": ["Region"],
        "follow_ups": { "enabled": true, "recipients": ["cx@example.com"] } } })
}

/// The local stack keeps versions in the bucket, as the template's does:
/// an erasure must reach the old ones too.
async fn assert_the_bucket_keeps_versions(t: &TestStack) {
    let (s3, bucket) = (&t.stack.aws.s3, t.config("admin-api").data_bucket.clone());
    for body in ["one", "two"] {
        s3.put_object().bucket(&bucket).key("probe/versions").body(body.as_bytes().to_vec().into()).send().await.unwrap();
    }
    let versions = s3.list_object_versions().bucket(&bucket).prefix("probe/").send().await.unwrap();
    assert_eq!(versions.versions().len(), 2, "the bucket keeps old versions");
    for v in versions.versions() {
        s3.delete_object().bucket(&bucket).key("probe/versions").set_version_id(v.version_id().map(str::to_string)).send().await.unwrap();
    }
}

/// Every place that still holds one of `traces`: DynamoDB items (table and
/// key) and S3 object versions (key and version).
async fn places_holding(t: &TestStack, traces: &[&str]) -> Vec<String> {
    let c = t.config("admin-api").clone();
    let traces: Vec<String> = traces.iter().map(|s| s.to_lowercase()).collect();
    let holds = |text: &str| {
        let text = text.to_lowercase();
        traces.iter().any(|s| text.contains(s.as_str()))
    };
    let mut found = Vec::new();
    for table in [&c.core_table, &c.contacts_table, &c.responses_table] {
        let mut start = None;
        loop {
            let page = t.stack.aws.dynamodb.scan().table_name(table).set_exclusive_start_key(start).send().await.unwrap();
            for item in page.items() {
                if holds(&format!("{item:?}")) {
                    found.push(format!("{table}: {:?} / {:?}", item.get("pk"), item.get("sk")));
                }
            }
            start = page.last_evaluated_key().cloned();
            if start.is_none() {
                break;
            }
        }
    }
    let s3 = &t.stack.aws.s3;
    let versions = s3.list_object_versions().bucket(&c.data_bucket).send().await.unwrap();
    assert_ne!(versions.is_truncated(), Some(true), "the test's bucket fits one page");
    for v in versions.versions() {
        let (key, version) = (v.key().unwrap_or_default(), v.version_id().unwrap_or("null"));
        let body = s3.get_object().bucket(&c.data_bucket).key(key).version_id(version).send().await.unwrap().body.collect().await;
        if holds(&String::from_utf8_lossy(&body.unwrap().into_bytes())) {
            found.push(format!("s3: {key} ({version})"));
        }
    }
    found
}

/// Sends a list the plain invitation and waits until the distribution is
/// done; returns it.
async fn distribute(t: &TestStack, id: &str, list_id: &Value) -> Value {
    let messages = json!({ "en": { "subject": "{{FirstName}}, how are we doing?", "body": "Hello {{FirstName}}: {{SurveyLink}}" } });
    let body = json!({ "list_id": list_id, "messages": messages });
    let d = t.admin_json(Method::POST, &format!("/admin/projects/{id}/distributions"), Some(body)).await;
    let dist = d["id"].as_str().unwrap_or_else(|| panic!("no distribution: {d}")).to_string();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let d = t.admin_json(Method::GET, &format!("/admin/projects/{id}/distributions/{dist}"), None).await;
        if d["state"] == "done" {
            return d;
        }
        assert!(tokio::time::Instant::now() < deadline, "the distribution never finished: {d}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Asks for a report and waits for it; returns it and its share link.
async fn report(t: &TestStack, id: &str) -> (Value, String) {
    let created = t.admin_json(Method::POST, &format!("/admin/projects/{id}/reports"), Some(json!({}))).await;
    let rid = created["id"].as_str().unwrap_or_else(|| panic!("no report: {created}")).to_string();
    let share = created["share"].as_str().unwrap_or_else(|| panic!("no share link: {created}")).to_string();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let r = t.admin_json(Method::GET, &format!("/admin/projects/{id}/reports/{rid}"), None).await;
        if r["state"] == "done" {
            return (r, share);
        }
        assert!(tokio::time::Instant::now() < deadline && r["state"] == "pending", "report {rid}: {r}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_erasure_reaches_every_copy_and_old_share_links_open_the_rebuilt_reports() {
    let t = TestStack::start().await;
    assert_the_bucket_keeps_versions(&t).await;
    let (id, _, survey) = t.open_project(project()).await;
    let file = format!("Email,FirstName,LastName,Region\n{ADDRESS},Zoe,{SURNAME},North\nbo@example.com,Bo,Berg,South\n");
    let done = t.import_file(&id, "customers.csv", file).await;
    assert_eq!(done["state"], "done", "{done:#}");
    let bucket = t.config("admin-api").data_bucket.clone();
    // the record says done first, then the file goes
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !t.stack.aws.s3.list_object_versions().bucket(&bucket).prefix("uploads/").send().await.unwrap().versions().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the original file is deleted, every version, once imported");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    distribute(&t, &id, &done["list_id"]).await;
    let link_of = |to: &str, mails: &[Value]| -> String {
        let mail = mails.iter().find(|m| m["to"].to_string().contains(to)).unwrap_or_else(|| panic!("no mail to {to}"));
        let url = mail["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).find(|l| l.contains("/s/")).unwrap();
        url.trim_start_matches(&t.stack.base_url).to_string()
    };
    let mails = t.mails().await;
    let (hers, his) = (link_of(ADDRESS, &mails), link_of("bo@example.com", &mails));
    let mut answers: Vec<(String, String)> =
        complete_answers(&survey).into_iter().map(|(k, v)| if v == "All good" { (k, TEXT.to_string()) } else { (k, v) }).collect();
    answers.push(("follow_up".into(), "yes".into()));
    answers.push(("follow_up_contact".into(), PRIVATE.into()));
    assert_eq!(t.submit(&hers, &answers).await, 200);
    assert_eq!(t.submit(&his, &complete_answers(&survey)).await, 200);
    let suppressed = t
        .admin_json(
            Method::POST,
            &format!("/admin/projects/{id}/suppressions"),
            Some(json!({ "email": ADDRESS, "reason": "unsubscribed" })),
        )
        .await;
    assert_eq!(suppressed["suppression"]["reason"], "unsubscribed", "{suppressed}");
    let shares = [report(&t, &id).await.1, report(&t, &id).await.1];
    for share in &shares {
        let page = t.http.get(share).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Zebra-quartz-9931"), "the report holds her text before the erasure");
    }
    assert!(!places_holding(&t, &TRACES).await.is_empty(), "the search finds her before the erasure");

    // days pass (the app's clock, not the invocation's deadline, moves)
    let r = t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": 3 * 86_400 })).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let erased = t.erase(&id, ADDRESS).await;
    let job = &erased["job"];
    assert_eq!(erased["erased"]["contact"], true, "{erased:#}");
    assert_eq!(erased["erased"]["suppression_hashed"], true, "{erased:#}");
    assert!(erased["erased"]["invitations"].as_u64().unwrap() >= 2, "her invitation and contact mark: {erased:#}");
    assert_eq!(job["removed"]["responses"], 1, "{job:#}");
    assert_eq!(job["removed"]["reports_rebuilt"], 2, "{job:#}");
    assert!(!job.to_string().contains('@'), "the erasure's record names nobody: {job}");

    // a bounce of a mail sent before the erasure arrives afterwards: her
    // suppression stays a keyed hash
    let bounce = json!({ "eventType": "Bounce", "bounce": { "bounceType": "Permanent", "bouncedRecipients": [{ "emailAddress": ADDRESS }] },
        "mail": { "tags": { "project_id": [id] } } });
    let r = t.http.post(t.url("/_local/sns/SendDistributionFunction.Feedback")).body(bounce.to_string()).send().await.unwrap();
    let handled: Value = r.json().await.unwrap();
    assert_eq!(handled["result"]["kept_hashed"], 1, "{handled}");

    let left = places_holding(&t, &TRACES).await;
    assert!(left.is_empty(), "still holding her data: {left:#?}");
    for share in &shares {
        let page = t.http.get(share).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("Zebra-quartz-9931"), "the old share link opens the rebuilt report");
        assert!(page.contains("<svg"), "and it is still a report");
    }
    // Bo is untouched; the scores stay
    assert_eq!(t.responses(&id).await["count"], 2);
    let bo = t.admin_json(Method::GET, &format!("/admin/projects/{id}/contacts/bo@example.com"), None).await;
    assert_eq!(bo["contact"]["last_name"], "Berg");

    // a queued invitation that still names her is skipped, and she stays
    // suppressed (by hash) even when a later file adds her back
    let again = t.import_file(&id, "again.csv", format!("Email,FirstName,LastName,Region\n{ADDRESS},Zoe,{SURNAME},North\n")).await;
    let finished = distribute(&t, &id, &again["list_id"]).await;
    assert_eq!((finished["counts"]["sent"].clone(), finished["counts"]["skipped_erased"].clone()), (json!(0), json!(1)), "{finished:#}");

    // erasing someone who is nowhere is not an error; nor is a second erasure
    let nobody = t.erase(&id, "nobody@example.org").await;
    assert_eq!(nobody["erased"]["contact"], false);
    assert_eq!(nobody["job"]["removed"], json!({}), "{nobody:#}");
}

/// The token of a link path or URL (`…/s/<token>`, `…/reports/<token>`,
/// an invitation's `…/s/<token>?lang=de`).
fn token_of(link: &str) -> String {
    let path = link.split('?').next().unwrap_or_default();
    path.rsplit('/').next().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_table_or_file_holds_a_working_link_token() {
    let t = TestStack::start().await;
    let (id, first_anonymous, survey) = t.open_project(project()).await;
    let rotated = t.admin_json(Method::POST, &format!("/admin/projects/{id}/anonymous-link"), None).await;
    let anonymous =
        rotated["anonymous_link"].as_str().unwrap_or_else(|| panic!("{rotated}")).trim_start_matches(&t.stack.base_url).to_string();
    let minted = t.personal_link(&id, json!({ "email": "mia@example.com", "first_name": "Mia", "last_name": "Moss" })).await;
    let done = t.import_file(&id, "customers.csv", "Email,FirstName,LastName,Region\nbo@example.com,Bo,Berg,South\n".to_string()).await;
    distribute(&t, &id, &done["list_id"]).await;
    let mail = t.mails().await.into_iter().find(|m| m["to"].to_string().contains("bo@example.com")).expect("Bo's invitation");
    let links: Vec<String> = mail["links"].as_array().unwrap().iter().filter_map(|l| l.as_str().map(str::to_string)).collect();
    let invited = links.iter().find(|l| l.contains("/s/")).expect("a survey link").trim_start_matches(&t.stack.base_url).to_string();
    assert!(links.iter().any(|l| l.contains("/unsubscribe/")), "{links:?}");
    let (_, share) = report(&t, &id).await;

    // the team is shown the anonymous link again: it is sealed, not lost
    let shown = t.admin_json(Method::GET, &format!("/admin/projects/{id}"), None).await;
    assert_eq!(shown["anonymous_link"], rotated["anonymous_link"]);
    // every link works …
    for path in [&anonymous, &minted, &invited] {
        let r = t.http.get(t.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    assert_eq!(t.http.get(&share).send().await.unwrap().status(), 200);
    assert_eq!(t.http.get(t.url(&first_anonymous)).send().await.unwrap().status(), 404, "the rotated link is gone");
    assert_eq!(t.submit(&invited, &complete_answers(&survey)).await, 200);
    // … and yet no item of any table, no stored file, holds one of their tokens
    let tokens: Vec<String> = [&first_anonymous, &anonymous, &minted, &invited, &share].iter().map(|l| token_of(l)).collect();
    assert!(tokens.iter().all(|t| t.len() >= 43), "{tokens:?}");
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let left = places_holding(&t, &refs).await;
    assert!(left.is_empty(), "tokens kept in clear: {left:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_erasure_of_a_project_with_50000_responses_completes_through_checkpoints() {
    // five pages of 200 responses a slice: 250 pages take 50 slices
    let t = TestStack::start_with(&[("JobSlicePages", "5")]).await;
    let (id, _, _) = t.open_project(project()).await;
    let table = t.config("admin-api").responses_table.clone();
    const N: usize = 50_000;
    let theirs = [7, 24_999, 49_998];
    let mut batch = Vec::new();
    for i in 0..N {
        let mine = theirs.contains(&i);
        let r = Response {
            project_id: id.clone(),
            response_id: format!("r{i:06}"),
            version: 1,
            language: Lang::En,
            channel: if mine { Channel::Personal } else { Channel::Anonymous },
            submitted_at: "2026-11-30T10:00:00.000Z".into(),
            answers: [(ids::NPS.to_string(), Answer::Number(9))].into_iter().collect(),
            embedded: Default::default(),
            contact_email: mine.then(|| ADDRESS.to_string()),
            first_name: mine.then(|| "Zoe".to_string()),
            last_name: mine.then(|| SURNAME.to_string()),
            erased_at: None,
            via: None,
        };
        let mut item: std::collections::HashMap<String, AttributeValue> = serde_dynamo::to_item(&r).unwrap();
        item.insert("pk".into(), AttributeValue::S(format!("PROJECT#{id}")));
        item.insert("sk".into(), AttributeValue::S(format!("RESPONSE#{}", r.response_id)));
        batch.push(WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().unwrap()).build());
        if batch.len() == 25 || i == N - 1 {
            let mut pending = std::mem::take(&mut batch);
            while !pending.is_empty() {
                let out = t.stack.aws.dynamodb.batch_write_item().request_items(&table, pending).send().await.unwrap();
                pending = out.unprocessed_items().and_then(|m| m.get(&table)).cloned().unwrap_or_default();
            }
        }
    }

    let erased = t.erase(&id, ADDRESS).await;
    let job = &erased["job"];
    assert_eq!(job["removed"]["responses"], 3, "{job:#}");
    assert!(job["slices"].as_u64().unwrap() >= 50, "the work went through checkpoints: {job:#}");
    for i in theirs {
        let r = t.admin_json(Method::GET, &format!("/admin/projects/{id}/responses/r{i:06}"), None).await;
        let r = if r["response"].is_object() { &r["response"] } else { &r };
        assert!(r["contact_email"].is_null() && r["last_name"].is_null(), "{r}");
        assert_eq!(r["answers"]["nps"], 9, "the score stays");
    }
    let left = places_holding(&t, &[ADDRESS, SURNAME]).await;
    assert!(left.is_empty(), "still holding her data: {left:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_link_promised_for_longer_than_an_hour_is_an_s3_presigned_url() {
    let t = TestStack::start().await;
    let (id, anon, survey) = t.open_project(project()).await;
    assert_eq!(t.submit(&anon, &complete_answers(&survey)).await, 200);
    let (r, share) = report(&t, &id).await;
    // the share link (90 days) is Pulse's own route…
    assert!(share.starts_with(&format!("{}/reports/", t.stack.base_url)), "{share}");
    assert!(pulse_tests::presigned_links(&json!([share])).is_empty());
    // …which serves the report itself, with the public pages' headers: it
    // quotes what respondents wrote, so it runs no script, is never framed,
    // sniffed or cached (only a report too large for a Lambda's answer is
    // handed over as a five-minute S3 link)
    let opened = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap().get(&share).send().await.unwrap();
    assert_eq!(opened.status(), 200);
    let header = |name: &str| opened.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(header("content-security-policy"), pulse_shared::http::PUBLIC_CSP);
    assert_eq!(
        (header("x-content-type-options"), header("cache-control"), header("referrer-policy")),
        ("nosniff".into(), "no-store".into(), "no-referrer".into())
    );
    assert!(header("content-type").starts_with("text/html"));
    assert!(opened.text().await.unwrap().contains("<svg"), "the dashboard itself");
    // the operator's downloads are presigned for an hour at most
    for file in ["html", "csv", "json"] {
        let url = r["links"][file].as_str().unwrap();
        assert!(pulse_tests::presigned_lifetime(url).is_some_and(|s| s <= 3600), "{file}: {url}");
    }
    // a deleted report takes its files (every version), its record and its
    // share links with it; deleting it again is harmless
    let rid = r["id"].as_str().unwrap().to_string();
    let deleted = t.admin_json(Method::DELETE, &format!("/admin/projects/{id}/reports/{rid}"), None).await;
    assert_eq!(deleted["deleted"], true, "{deleted}");
    assert_eq!(t.http.get(&share).send().await.unwrap().status(), 404, "the share link dies with its report");
    let bucket = t.config("admin-api").data_bucket.clone();
    let versions = t.stack.aws.s3.list_object_versions().bucket(&bucket).prefix(format!("reports/{id}/{rid}/")).send().await.unwrap();
    assert!(versions.versions().is_empty() && versions.delete_markers().is_empty(), "no version of its files is left");
    let again = t.admin_json(Method::DELETE, &format!("/admin/projects/{id}/reports/{rid}"), None).await;
    assert_eq!(again["deleted"], false, "{again}");
    // and every email's links are checked by `mails()` in every test that reads mail
    let with_presigned = json!(["https://b.s3.amazonaws.com/k?X-Amz-Expires=604800&X-Amz-Signature=abc", "https://pulse/reports/t"]);
    assert_eq!(pulse_tests::presigned_links(&with_presigned).len(), 1, "the check catches a presigned link");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_project_is_deleted_with_all_its_data_and_another_project_keeps_everything() {
    // one page a slice: the deletion runs through many checkpoints
    let t = TestStack::start_with(&[("JobSlicePages", "1")]).await;
    let (id, anonymous, survey) = t.open_project(project()).await;
    let (other, other_link, _) = t.open_project(project()).await;
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let r = t.admin(Method::PUT, &format!("/admin/projects/{id}/logo")).header("content-type", "image/png").body(png).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let file =
        format!("Email,FirstName,LastName,Region\n{ADDRESS},Zoe,{SURNAME},North\nbo@example.com,Bo,Berg,South\nnot-an-address,X,Y,North\n");
    let done = t.import_file(&id, "customers.csv", file).await;
    assert_eq!(done["state"], "done", "{done:#}");
    distribute(&t, &id, &done["list_id"]).await;
    let mail = t.mails().await.into_iter().find(|m| m["to"].to_string().contains(ADDRESS)).expect("her invitation");
    let url = mail["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).find(|l| l.contains("/s/")).unwrap().to_string();
    let personal = url.trim_start_matches(&t.stack.base_url).to_string();
    let mut answers: Vec<(String, String)> =
        complete_answers(&survey).into_iter().map(|(k, v)| if v == "All good" { (k, TEXT.to_string()) } else { (k, v) }).collect();
    answers.push(("follow_up".into(), "yes".into()));
    answers.push(("follow_up_contact".into(), PRIVATE.into()));
    assert_eq!(t.submit(&personal, &answers).await, 200);
    assert_eq!(t.submit(&anonymous, &complete_answers(&survey)).await, 200);
    assert_eq!(t.submit(&other_link, &complete_answers(&survey)).await, 200);
    let (_, share) = report(&t, &id).await;
    let (_, other_share) = report(&t, &other).await;
    let bucket = t.config("admin-api").data_bucket.clone();
    let keys_of = |project: String| {
        let t = &t;
        let bucket = bucket.clone();
        async move {
            let all = t.stack.aws.s3.list_object_versions().bucket(&bucket).send().await.unwrap();
            all.versions().iter().filter_map(|v| v.key()).filter(|k| k.contains(&project)).map(str::to_string).collect::<Vec<_>>()
        }
    };
    assert!(keys_of(id.clone()).await.len() >= 4, "logo, report files, rejected rows: {:?}", keys_of(id.clone()).await);
    let before_other = keys_of(other.clone()).await;

    let deleted = t.delete_project(&id).await;
    let job = &deleted["job"];
    assert_eq!(job["kind"], "delete_project", "{job:#}");
    assert!(job["slices"].as_u64().unwrap() >= 8, "one page a slice, through every phase: {job:#}");
    for place in
        ["responses", "contact_records", "list_members", "invitations", "links_tokens_aggregates", "file_versions", "project_items"]
    {
        assert!(job["removed"][place].as_u64().unwrap_or(0) > 0, "{place}: {job:#}");
    }

    // gone for every route …
    assert_eq!(t.admin(Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().status(), 404);
    let list = t.admin_json(Method::GET, "/admin/projects", None).await;
    assert!(!list.to_string().contains(&id), "{list}");
    for path in [&anonymous, &personal] {
        assert_eq!(t.http.get(t.url(path)).send().await.unwrap().status(), 404, "{path}");
    }
    assert_eq!(t.http.get(&share).send().await.unwrap().status(), 404);
    // … and nothing of it is kept: no item names the project or holds her
    // data, but the deletion's own record (ids and counts only)
    let left = places_holding(&t, &[&id, ADDRESS, SURNAME, PRIVATE, "zebra-quartz-9931", "bo@example.com"]).await;
    let job_key = format!("JOBS#{id}");
    let unexpected: Vec<&String> = left.iter().filter(|place| !place.contains(&job_key)).collect();
    assert!(unexpected.is_empty(), "still holding the project's data: {unexpected:#?}");
    assert_eq!(left.len(), 1, "the deletion's record stays: {left:#?}");
    assert!(keys_of(id.clone()).await.is_empty(), "no file version of the project is left");
    // a repeat is a 404 once the job is done; the status stays readable
    assert_eq!(t.admin(Method::DELETE, &format!("/admin/projects/{id}")).send().await.unwrap().status(), 404);
    let status = t.admin_json(Method::GET, deleted["status_url"].as_str().unwrap(), None).await;
    assert_eq!(status["job"]["state"], "done", "{status}");

    // the other project is untouched
    assert_eq!(keys_of(other.clone()).await, before_other);
    assert_eq!(t.http.get(t.url(&other_link)).send().await.unwrap().status(), 200);
    assert_eq!(t.http.get(&other_share).send().await.unwrap().status(), 200);
    assert_eq!(t.responses(&other).await["count"], 1);
}
