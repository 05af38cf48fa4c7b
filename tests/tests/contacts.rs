//! Contact upload through the local stack: presigned upload, the S3 event,
//! the streaming two-pass import, lists, suppression, reports, retries,
//! continuations and GDPR erasure.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::time::Duration;

use pulse_tests::{complete_answers, TestStack};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn project(fields: &[&str]) -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": fields } })
}

async fn new_project(t: &TestStack, fields: &[&str]) -> String {
    t.create_project(project(fields)).await["id"].as_str().unwrap().to_string()
}

async fn get(t: &TestStack, path: &str) -> (StatusCode, Value) {
    let r = t.admin(Method::GET, path).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

/// Members of a list, counted in the table itself.
async fn member_count(t: &TestStack, list_id: &str) -> i64 {
    use pulse_shared::domain::{directory, shard};
    let table = &t.config("import-contacts").contacts_table;
    let mut count = 0;
    // every partition the list's members are spread over, counted in the table itself
    for pk in shard::keys(&directory::members_base(list_id), directory::SHARDS) {
        count += pulse_local::count_partition(&t.stack.aws.dynamodb, table, &pk).await.unwrap();
    }
    count
}

async fn contact(t: &TestStack, id: &str, email: &str) -> (StatusCode, Value) {
    get(t, &format!("/admin/projects/{id}/contacts/{email}")).await
}

/// A fetched report file (presigned link on the emulator).
async fn fetch(t: &TestStack, url: &Value) -> String {
    t.http.get(url.as_str().expect("report link")).send().await.unwrap().text().await.unwrap()
}

/// A list of `n` contacts `c{i}@example.com` with a Region column.
fn contacts_file(n: usize) -> String {
    let mut f = String::from("Email,FirstName,LastName,Region\n");
    for i in 0..n {
        f.push_str(&format!("c{i}@example.com,First{i},Last{i},R{}\n", i % 7));
    }
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_csv_is_imported_into_contacts_and_a_list_named_after_the_file() {
    let t = TestStack::start().await;
    let id = new_project(&t, &["Business Unit"]).await;
    let file = "\u{feff}Email,FirstName,LastName,Business Unit,Shoe size\r\n\
        \" Anna@Example.FI \",Anna,\"Virtanen, M.\",\"North\nEast\",38\r\n\
        bo@example.com,\"Bo \"\"B\"\"\",Berg,South,44\r\n\
        not-an-email,X,Y,West,40\r\n\
        ANNA@example.fi,Annika,Virtanen,North,39\r\n\
        cy@example.com,,Cole,East,41\r\n";
    let done = t.import_file(&id, "Kunden März.csv", file).await;
    assert_eq!(done["state"], "done", "{done:#}");
    assert_eq!(done["list_name"], "Kunden März");
    assert_eq!(done["format"], "csv");
    assert_eq!(done["counts"], json!({ "rows_read": 5, "accepted": 3, "rejected": 2, "duplicates_merged": 1, "suppressed": 0 }));
    assert_eq!(done["contacts"], 2);
    assert_eq!(done["progress"], 1.0);
    // rejections with line, column and reason; the embedded newline counts as a line
    let rejections: Vec<(u64, String)> = done["first_rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(rejections, vec![(5, "Email".to_string()), (7, "FirstName".to_string())]);
    assert_eq!(done["warnings"][0]["column"], "Shoe size");

    // the later duplicate won; values trimmed; the unknown column is not stored
    let (status, c) = contact(&t, &id, "anna@example.fi").await;
    assert_eq!(status, 200);
    assert_eq!(c["contact"]["first_name"], "Annika");
    assert_eq!(c["contact"]["email"], "ANNA@example.fi");
    assert_eq!(c["contact"]["fields"], json!({ "Business Unit": "North" }));
    assert_eq!(c["suppressed"], false);
    let (_, bo) = contact(&t, &id, "BO@example.com").await;
    assert_eq!(bo["contact"]["first_name"], "Bo \"B\"");

    // the list holds exactly the accepted contacts
    let list_id = done["list_id"].as_str().unwrap();
    let (status, lists) = get(&t, &format!("/admin/projects/{id}/lists")).await;
    assert_eq!(status, 200);
    assert_eq!(lists["lists"][0]["name"], "Kunden März");
    assert_eq!(lists["lists"][0]["state"], "ready");
    assert_eq!(lists["lists"][0]["contacts"], 2);
    let (_, members) = get(&t, &format!("/admin/projects/{id}/lists/{list_id}/contacts")).await;
    let emails: Vec<&str> = members["contacts"].as_array().unwrap().iter().map(|c| c["email_key"].as_str().unwrap()).collect();
    assert_eq!(emails, vec!["anna@example.fi", "bo@example.com"]);

    // the report: summary JSON and the rejected rows as CSV
    let summary: Value = serde_json::from_str(&fetch(&t, &done["report"]["summary_url"]).await).unwrap();
    assert_eq!(summary["counts"], done["counts"]);
    assert_eq!(summary["state"], "done");
    let csv = fetch(&t, &done["report"]["rejected_rows_url"]).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "line,column,reason");
    assert!(lines[1].starts_with("5,Email,") && lines[1].contains("not-an-email"), "{csv}");
    assert!(lines[2].starts_with("7,FirstName,the first name is missing"), "{csv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_german_excel_csv_with_semicolons_and_umlauts_imports_every_row() {
    // what Excel in German saves as "CSV (Trennzeichen-getrennt)": semicolons, Windows-1252, CRLF
    let t = TestStack::start().await;
    let id = new_project(&t, &["Region"]).await;
    let file = b"Email;FirstName;LastName;Region\r\nanna.mueller@example.de;Anna;M\xfcller;S\xfcd\r\njari@example.fi;Jari;J\xe4rvinen;\"Nord; Ost\"\r\nb.weiss@example.de;Bernd;Wei\xdf;Mitte\r\n";
    let done = t.import_file(&id, "Kunden.csv", file.to_vec()).await;
    assert_eq!(done["state"], "done", "{done:#}");
    assert_eq!((done["counts"]["accepted"].as_u64(), done["counts"]["rejected"].as_u64()), (Some(3), Some(0)), "{done:#}");
    assert_eq!((done["format"].as_str(), done["encoding"].as_str()), (Some("semicolon"), Some("windows-1252")));
    let (_, anna) = contact(&t, &id, "anna.mueller@example.de").await;
    assert_eq!((anna["contact"]["last_name"].as_str(), anna["contact"]["fields"]["Region"].as_str()), (Some("Müller"), Some("Süd")));
    let (_, jari) = contact(&t, &id, "jari@example.fi").await;
    assert_eq!(
        (jari["contact"]["last_name"].as_str(), jari["contact"]["fields"]["Region"].as_str()),
        (Some("Järvinen"), Some("Nord; Ost"))
    );
    assert_eq!(member_count(&t, done["list_id"].as_str().unwrap()).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tsv_is_detected_from_the_content_and_the_list_takes_the_given_name() {
    let t = TestStack::start().await;
    let id = new_project(&t, &["Region"]).await;
    let u = t
        .upload(&id, "export", Some("Autumn customers"), b"Email\tFirstName\tLastName\tRegion\na@example.com\tA, Jr.\tB\tNorth\n".to_vec())
        .await;
    let done = t.finished_import(&id, u["upload_id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "done", "{done:#}");
    assert_eq!(done["format"], "tsv");
    assert_eq!(done["list_name"], "Autumn customers");
    let (_, c) = contact(&t, &id, "a@example.com").await;
    assert_eq!(c["contact"]["first_name"], "A, Jr.");
    assert_eq!(c["contact"]["fields"]["Region"], "North");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn header_problems_fail_the_import_before_any_contact_is_touched() {
    let t = TestStack::start().await;
    let id = new_project(&t, &["Business Unit"]).await;
    let first = t.import_file(&id, "first.csv", "Email,FirstName,LastName,Business Unit\nanna@example.fi,Anna,Virtanen,North\n").await;
    assert_eq!(first["state"], "done");
    let cases: [(&str, &str); 4] = [
        ("Email,FirstName,LastName,BusinessUnit\nanna@example.fi,Changed,Name,South\n", "\"BusinessUnit\", which is close but not exact"),
        (
            "email,FirstName,LastName,Business Unit\nanna@example.fi,Changed,Name,South\n",
            "missing the required column \"Email\"; the file has \"email\"",
        ),
        (
            "Email,FirstName,LastName,Business Unit,Email\nanna@example.fi,Changed,Name,South,x@example.com\n",
            "names the column \"Email\" twice (columns 1 and 5)",
        ),
        ("Email,FirstName,Business Unit\nanna@example.fi,Changed,South\n", "missing the required column \"LastName\""),
    ];
    for (file, expected) in cases {
        let failed = t.import_file(&id, "second.csv", file).await;
        assert_eq!(failed["state"], "failed", "{failed:#}");
        let error = failed["error"].as_str().unwrap();
        assert!(error.starts_with("second.csv: ") && error.contains(expected), "{error}");
        assert_eq!(member_count(&t, failed["list_id"].as_str().unwrap()).await, 0);
        let summary: Value = serde_json::from_str(&fetch(&t, &failed["report"]["summary_url"]).await).unwrap();
        assert_eq!(summary["error"], error);
    }
    let (_, c) = contact(&t, &id, "anna@example.fi").await;
    assert_eq!(c["contact"]["first_name"], "Anna", "a failed import must not alter a stored contact");
    assert_eq!(c["contact"]["fields"]["Business Unit"], "North");
    let (_, lists) = get(&t, &format!("/admin/projects/{id}/lists")).await;
    assert_eq!(lists["lists"].as_array().unwrap().len(), 1, "failed imports create no list");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_files_get_a_specific_message_each() {
    let t = TestStack::start().await;
    let id = new_project(&t, &[]).await;
    let stored = t.import_file(&id, "good.csv", "Email,FirstName,LastName\nkeep@example.com,Keep,Me\n").await;
    assert_eq!(stored["state"], "done");
    let wide_header: Vec<String> = (0..5_000).map(|i| format!("Extra{i}")).collect();
    let xlsx = [b"PK\x03\x04".as_slice(), &[0; 26], b"[Content_Types].xml", &[0; 40], b"PK\x03\x04xl/workbook.xml"].concat();
    let failures: [(&str, Vec<u8>, &str); 9] = [
        ("empty.csv", vec![], "the file is empty"),
        ("header.csv", b"Email,FirstName,LastName\r\n".to_vec(), "the file has a header but no rows"),
        ("garbage.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "the file is an image, not a CSV file"),
        ("Kunden.csv", xlsx, "the file is an Excel workbook (.xlsx), not a CSV file: open it in Excel"),
        ("nul.csv", b"Email,FirstName,LastName\nkeep@example.com,\0".to_vec(), "binary data at byte 42"),
        (
            "mixed-encodings.csv",
            b"Email,FirstName,LastName\nkeep@example.com,J\xc3\xbcrgen,M\nx@example.com,J\xfcrgen,M\n".to_vec(),
            "line 3 is not in the text encoding of the lines before it",
        ),
        (
            "quote.csv",
            [b"Email,FirstName,LastName\nkeep@example.com,\"".to_vec(), vec![b'x'; 1_100_000]].concat(),
            "line 2 is longer than 1 MB",
        ),
        (
            "commas.csv",
            [
                b"Email,FirstName,LastName
keep@example.com,"
                    .to_vec(),
                vec![b','; 5_000_000],
            ]
            .concat(),
            "line 2 has more than 1000 columns",
        ),
        (
            "wide.csv",
            format!(
                "Email,FirstName,LastName,{}
keep@example.com,A,B
",
                wide_header.join(",")
            )
            .into_bytes(),
            "line 1 has more than 1000 columns",
        ),
    ];
    for (name, bytes, expected) in failures {
        let failed = t.import_file(&id, name, bytes).await;
        assert_eq!(failed["state"], "failed", "{name}: {failed:#}");
        let error = failed["error"].as_str().unwrap();
        assert!(error.starts_with(&format!("{name}: ")) && error.contains(expected), "{name}: {error}");
        assert!(failed["header_problem"].is_null() && !error.contains("missing"), "{name}: no misleading column problem: {failed:#}");
    }
    // a workbook is named for what it is, for the console to explain in the reader's language
    let failed = t.import_file(&id, "Kunden.xlsx", [b"PK\x03\x04".as_slice(), &[0; 26], b"xl/workbook.xml"].concat()).await;
    assert_eq!(failed["file_problem"], json!({ "kind": "not_text", "what": "xlsx" }), "{failed:#}");
    // Windows-1252 values (Excel's plain "CSV") are read as such; ragged rows are row errors: rejected and reported, the rest imported
    let mixed =
        b"Email,FirstName,LastName\nj@example.com,J\xfcrgen,M\nr@example.com,Ragged\nok@example.com,Ok,Row\nx@example.com,Too,Many,Cells\n"
            .to_vec();
    let done = t.import_file(&id, "mixed.csv", mixed).await;
    assert_eq!(done["state"], "done");
    assert_eq!((done["counts"]["accepted"].as_u64(), done["encoding"].as_str()), (Some(2), Some("windows-1252")), "{done:#}");
    let reasons: Vec<String> =
        done["first_rejections"].as_array().unwrap().iter().map(|r| format!("{} {}", r["line"], r["reason"])).collect();
    assert!(reasons[0].starts_with("3 ") && reasons[0].contains("2 columns; the header has 3"), "{reasons:?}");
    assert!(reasons[1].starts_with("5 ") && reasons[1].contains("4 columns; the header has 3"), "{reasons:?}");
    let (_, j) = contact(&t, &id, "j@example.com").await;
    assert_eq!(j["contact"]["first_name"], "Jürgen");
    let (_, keep) = contact(&t, &id, "keep@example.com").await;
    assert_eq!(keep["contact"]["first_name"], "Keep");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn files_over_100_mb_are_refused_before_any_row_is_read() {
    let t = TestStack::start().await;
    let id = new_project(&t, &[]).await;
    // refused at once when the size is announced
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/uploads"))
        .json(&json!({ "file_name": "big.csv", "size": 101 * 1024 * 1024 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "size");
    assert!(body["message"].as_str().unwrap().contains("at most 100 MB"), "{body}");
    // and by the import when it is not: 101 MB of valid rows
    let row = b"big@example.com,Big,File\n";
    let mut file = b"Email,FirstName,LastName\n".to_vec();
    while file.len() <= 101 * 1024 * 1024 {
        file.extend_from_slice(row);
    }
    let file_len = file.len() as u64;
    let failed = t.import_file(&id, "big.csv", file).await;
    assert_eq!(failed["state"], "failed");
    // a size just over a limit is rounded up, never down to the limit, and given exactly
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.contains(&format!(
            "the file is 101.1 MB ({} bytes); contact files may be at most 100 MB (104,857,600 bytes)",
            pulse_shared::domain::imports::grouped(file_len)
        )),
        "{failed:#}"
    );
    assert_eq!(failed["file_problem"], json!({ "kind": "too_large", "size": file_len, "limit": 104_857_600 }));
    assert_eq!(failed["counts"]["rows_read"], 0);
    assert_eq!(contact(&t, &id, "big@example.com").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_suppressed_contact_stays_suppressed_whatever_the_file_says() {
    let t = TestStack::start().await;
    let id = new_project(&t, &[]).await;
    let r = t
        .admin(Method::POST, &format!("/admin/projects/{id}/suppressions"))
        .json(&json!({ "email": "Gone@Example.com", "reason": "unsubscribed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let done = t.import_file(&id, "list.csv", "Email,FirstName,LastName\ngone@example.com,Gone,Away\nstay@example.com,Stay,Here\n").await;
    assert_eq!(done["counts"]["suppressed"], 1);
    let (_, gone) = contact(&t, &id, "gone@example.com").await;
    assert_eq!(gone["suppressed"], true);
    assert_eq!(gone["suppression"]["reason"], "unsubscribed");
    assert_eq!(gone["contact"]["first_name"], "Gone");
    let (_, stay) = contact(&t, &id, "stay@example.com").await;
    assert_eq!(stay["suppressed"], false);
    // a second import changes nothing about it either
    t.import_file(&id, "again.csv", "Email,FirstName,LastName\ngone@example.com,Back,Again\n").await;
    let (_, gone) = contact(&t, &id, "gone@example.com").await;
    assert_eq!((gone["suppressed"].clone(), gone["contact"]["first_name"].clone()), (json!(true), json!("Back")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_s3_event_delivered_twice_changes_nothing_the_second_time() {
    let t = TestStack::start().await;
    let id = new_project(&t, &[]).await;
    let done = t.import_file(&id, "list.csv", contacts_file(30)).await;
    assert_eq!(done["state"], "done", "{done:#}");
    let (_, before) = contact(&t, &id, "c1@example.com").await;
    let event = t.invocation("import-contacts", |i| i.event["Records"][0]["eventSource"] == "aws:s3").await.event;
    let again = t.stack.functions.invoke("import-contacts", "redelivered", event, Duration::from_secs(60)).await.unwrap();
    // the original file was deleted once imported: nothing is left to read
    assert_eq!(again["outcomes"][0]["status"], "gone", "{again:#}");
    let after = t.import(&id, done["upload_id"].as_str().unwrap()).await;
    for field in ["state", "counts", "written", "invocations", "updated_at", "finished_at"] {
        assert_eq!(after[field], done[field], "the import record's {field} must not change");
    }
    let (_, c) = contact(&t, &id, "c1@example.com").await;
    assert_eq!(c, before, "the contact must not be written again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_import_interrupted_halfway_completes_on_retry_without_duplicates() {
    let t = TestStack::start().await;
    let id = new_project(&t, &["Region"]).await;
    // 1,500 contacts (125 batches); one address appears twice, far apart
    let mut file = contacts_file(1500);
    file.push_str("c3@example.com,Later,Row,Z\n");
    // the 41st BatchWriteItem and every one after it fail: the invocation dies halfway
    t.inject_fault(json!({ "operation": "BatchWriteItem", "mode": "error", "after": 40, "times": 100000 })).await;
    let u = t.upload(&id, "big.csv", None, file.into_bytes()).await;
    let upload_id = u["upload_id"].as_str().unwrap();
    t.invocation("import-contacts", |i| i.result.is_err()).await;
    let stuck = t.import_until(&id, upload_id, |v| v["state"] == "running" && v["checkpoint_line"].as_u64() > Some(1)).await;
    let checkpoint = stuck["checkpoint_line"].as_u64().unwrap();
    assert!(checkpoint < 1502, "the import cannot have finished: {stuck:#}");
    t.clear_faults().await;

    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/uploads/{upload_id}/retry")).send().await.unwrap();
    assert_eq!(r.status(), 202);
    let done = t.finished_import(&id, upload_id).await;
    assert_eq!(done["state"], "done", "{done:#}");
    assert_eq!(done["counts"]["accepted"], 1501);
    assert_eq!(done["counts"]["duplicates_merged"], 1);
    assert_eq!(done["contacts"], 1500);
    assert_eq!(done["written"], 1501);
    assert_eq!(member_count(&t, done["list_id"].as_str().unwrap()).await, 1500);
    let resumed = t.invocation("import-contacts", |i| i.result.as_ref().is_ok_and(|r| r["outcomes"][0]["status"] == "imported")).await;
    let from = resumed.result.unwrap()["outcomes"][0]["resumed_from_line"].as_u64().unwrap();
    assert!(from >= checkpoint && from > 1, "the retry resumed from line {from}, not from the checkpoint {checkpoint}");
    let (_, c3) = contact(&t, &id, "c3@example.com").await;
    assert_eq!(c3["contact"]["first_name"], "Later", "the later row wins across the interruption");
    let (_, last) = contact(&t, &id, "c1499@example.com").await;
    assert_eq!(last["contact"]["last_name"], "Last1499");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unprocessed_items_are_written_on_retry() {
    let t = TestStack::start().await;
    let id = new_project(&t, &["Region"]).await;
    t.inject_fault(json!({ "operation": "BatchWriteItem", "mode": "unprocessed", "after": 0, "times": 30 })).await;
    let done = t.import_file(&id, "list.csv", contacts_file(300)).await;
    assert_eq!(done["state"], "done", "{done:#}");
    assert_eq!(member_count(&t, done["list_id"].as_str().unwrap()).await, 300);
    let faults: Value = t.http.get(format!("{}/_pulse/faults", t.stack.emulator_url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(faults[0]["spoiled"], 30, "the fault must have been hit: {faults}");
    for i in [0, 150, 299] {
        assert_eq!(contact(&t, &id, &format!("c{i}@example.com")).await.0, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_import_longer_than_its_time_slice_continues_and_shows_progress() {
    let t = TestStack::start_with(&[("ImportSliceSeconds", "1")]).await;
    let id = new_project(&t, &["Region"]).await;
    let u = t.upload(&id, "large.csv", None, contacts_file(8000).into_bytes()).await;
    let upload_id = u["upload_id"].as_str().unwrap();
    // progress is visible while it runs
    let running =
        t.import_until(&id, upload_id, |v| v["state"] == "done" || (v["state"] == "running" && v["written"].as_u64() > Some(0))).await;
    assert_eq!(running["state"], "running", "the import should still be running: {running:#}");
    assert_eq!(running["counts"]["accepted"], 8000);
    let progress = running["progress"].as_f64().unwrap();
    assert!(progress > 0.0 && progress < 1.0, "{running:#}");
    let done = t.finished_import(&id, upload_id).await;
    assert_eq!(done["state"], "done", "{done:#}");
    assert!(done["invocations"].as_u64().unwrap() >= 2, "{done:#}");
    let continued = t.invocation("import-contacts", |i| i.result.as_ref().is_ok_and(|r| r["outcomes"][0]["status"] == "continued")).await;
    assert_eq!(continued.event["Records"][0]["eventSource"], "aws:s3");
    t.invocation("import-contacts", |i| {
        i.event["Records"][0]["eventSource"] == "aws:sqs" && i.result.as_ref().is_ok_and(|r| r["outcomes"][0]["status"] == "imported")
    })
    .await;
    assert_eq!(member_count(&t, done["list_id"].as_str().unwrap()).await, 8000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_large_file_notes_the_rows_checked_while_it_is_validated() {
    let t = TestStack::start().await;
    let id = new_project(&t, &["Region"]).await;
    // about 9.4 MB of rows with a long note each, all but ten refused (no
    // address), so that pass 1 reads a lot and pass 2 writes little
    let mut f = String::from("Email,FirstName,LastName,Region,Notes\n");
    let note = "n".repeat(4000);
    for i in 0..2300 {
        f.push_str(&format!("no-address-{i},First{i},Last{i},R1,{note}\n"));
    }
    for i in 0..10 {
        f.push_str(&format!("c{i}@example.com,First{i},Last{i},R1,short\n"));
    }
    let size = f.len() as u64;
    let u = t.upload(&id, "long-notes.csv", None, f.into_bytes()).await;
    let done = t.finished_import(&id, u["upload_id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "done", "{done:#}");
    assert_eq!((done["counts"]["rows_read"].as_u64(), done["counts"]["accepted"].as_u64()), (Some(2310), Some(10)));
    // noted every 4 MiB of the file: twice, the last at 8 MiB or a chunk after
    let (rows, bytes) = (done["validated_rows"].as_u64().unwrap(), done["validated_bytes"].as_u64().unwrap());
    assert!((8 * 1024 * 1024..size).contains(&bytes), "bytes read when last noted: {bytes} of {size}");
    let per_row = 4000 + 30;
    assert!(rows > 0 && rows.abs_diff(bytes / per_row) < 300, "rows checked when last noted: {rows}, at {bytes} bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn upload_requests_and_retries_are_checked() {
    let t = TestStack::start().await;
    let id = new_project(&t, &[]).await;
    for (body, field) in [
        (json!({ "file_name": "a/b.csv" }), "file_name"),
        (json!({ "file_name": "" }), "file_name"),
        (json!({ "file_name": "a.csv", "list_name": " " }), "list_name"),
        (json!({ "file_name": "a.csv", "colour": "red" }), ""),
    ] {
        let r = t.admin(Method::POST, &format!("/admin/projects/{id}/uploads")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 400, "{body}");
        let v: Value = r.json().await.unwrap();
        if !field.is_empty() {
            assert_eq!(v["field"], field, "{v}");
        }
    }
    let r = t.admin(Method::POST, "/admin/projects/nope/uploads").json(&json!({ "file_name": "a.csv" })).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/uploads")).json(&json!({ "file_name": "a.csv" })).send().await.unwrap();
    let u: Value = r.json().await.unwrap();
    let upload_id = u["upload_id"].as_str().unwrap();
    assert_eq!(t.import(&id, upload_id).await["state"], "awaiting_upload");
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/uploads/{upload_id}/retry")).send().await.unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(get(&t, &format!("/admin/projects/{id}/uploads/nope")).await.0, 404);
    assert_eq!(get(&t, &format!("/admin/projects/{id}/lists/nope/contacts")).await.0, 404);
    assert_eq!(contact(&t, &id, "not-an-email").await.0, 400);
    let (status, uploads) = get(&t, &format!("/admin/projects/{id}/uploads")).await;
    assert_eq!(status, 200);
    assert_eq!(uploads["uploads"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn erasing_a_contact_removes_it_everywhere_and_keeps_the_scores() {
    let t = TestStack::start().await;
    let mut p = project(&["Region"]);
    p["settings"]["follow_ups"] = json!({ "enabled": true, "recipients": ["cx@example.com"] });
    let (id, _, survey) = t.open_project(p).await;
    let done = t
        .import_file(
            &id,
            "list.csv",
            "Email,FirstName,LastName,Region\nanna@example.fi,Anna,Virtanen,North\nbo@example.com,Bo,Berg,South\n",
        )
        .await;
    let again = t.import_file(&id, "again.csv", "Email,FirstName,LastName,Region\nANNA@example.fi,Anna,Virtanen,North\n").await;
    let link = t
        .personal_link(
            &id,
            json!({ "email": "Anna@Example.fi", "first_name": "Anna", "last_name": "Virtanen", "fields": { "Region": "North" } }),
        )
        .await;
    let mut answers = complete_answers(&survey);
    answers.iter_mut().filter(|(k, _)| k == "nps").for_each(|(_, v)| *v = "3".into());
    answers.push(("follow_up".into(), "yes".into()));
    answers.push(("follow_up_contact".into(), "+358 40 123 4567".into()));
    assert_eq!(t.submit(&link, &answers).await, StatusCode::OK);
    let before = t.responses(&id).await;
    assert_eq!(before["responses"][0]["contact_email"], "Anna@Example.fi");
    // an invitation Anna has not answered yet, opened: the survey function keeps it
    let unanswered = t
        .personal_link(
            &id,
            json!({ "email": "anna@example.fi", "first_name": "Anna", "last_name": "Virtanen", "fields": { "Region": "North" } }),
        )
        .await;
    assert_eq!(t.http.get(t.url(&unanswered)).send().await.unwrap().status(), StatusCode::OK);

    let erased = t.erase(&id, "anna@example.fi").await;
    assert_eq!(
        erased["erased"],
        json!({ "contact": true, "list_memberships": 2, "links": 2, "b2b_contacts": 0, "invitations": 0, "triggered_sends": 0, "suppression_hashed": false })
    );
    assert_eq!(erased["job"]["removed"]["responses"], 1, "{erased:#}");
    // her links carried her name, address and fields: they are gone, also
    // for the warm function that kept the unanswered one
    assert_eq!(t.submit(&unanswered, &complete_answers(&survey)).await, StatusCode::NOT_FOUND, "nothing stored through an erased link");
    t.until_pages_see_changes().await;
    for path in [&link, &unanswered] {
        assert_eq!(t.http.get(t.url(path)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(contact(&t, &id, "anna@example.fi").await.0, 404);
    assert_eq!(member_count(&t, done["list_id"].as_str().unwrap()).await, 1);
    assert_eq!(member_count(&t, again["list_id"].as_str().unwrap()).await, 0);
    let (_, lists) = get(&t, &format!("/admin/projects/{id}/lists")).await;
    assert_eq!(lists["lists"][0]["contacts"], 1);

    let after = t.responses(&id).await;
    let r = &after["responses"][0];
    assert_eq!(after["count"], 1);
    for gone in ["contact_email", "first_name", "last_name"] {
        assert!(r[gone].is_null(), "{gone} kept: {r:#}");
    }
    assert_eq!(r["embedded"], json!({}));
    assert!(r["answers"]["follow_up_contact"].is_null(), "{r:#}");
    assert_eq!(r["answers"]["nps"], 3, "the score stays");
    assert!(r["erased_at"].is_string());
    // Bo is untouched
    assert_eq!(contact(&t, &id, "bo@example.com").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_different_file_written_later_to_an_upload_is_refused_and_shown_on_the_upload() {
    let t = TestStack::start().await;
    let id = new_project(&t, &["Region"]).await;
    let answer = t.upload(&id, "first.csv", None, contacts_file(3).into_bytes()).await;
    let upload_id = answer["upload_id"].as_str().unwrap();
    let done = t.finished_import(&id, upload_id).await;
    assert_eq!((done["state"].as_str(), done["counts"]["accepted"].as_u64()), (Some("done"), Some(3)), "{done:#}");
    assert!(done["replaced_at"].is_null(), "{done:#}");
    // the same upload URL, used again with another file
    let put = &answer["upload"];
    let r = t
        .http
        .put(put["url"].as_str().unwrap())
        .header("content-type", put["headers"]["Content-Type"].as_str().unwrap())
        .body(contacts_file(7))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let seen = t.import_until(&id, upload_id, |v| v["replaced_at"].is_string()).await;
    assert_eq!(seen["state"], "done", "the first file's import stands: {seen:#}");
    assert_eq!(seen["counts"]["accepted"], 3, "{seen:#}");
    assert_eq!(member_count(&t, seen["list_id"].as_str().unwrap()).await, 3, "nothing of the second file was imported");
    let (status, c) = contact(&t, &id, "c6@example.com").await;
    assert_eq!(status, 404, "the second file's contacts are not in the directory: {c}");
}
