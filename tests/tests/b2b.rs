//! B2B accounts through the local stack: the three imports (accounts,
//! contacts, team members) with their rules — typed attributes, soft
//! deletes, the hierarchy with its cycle and unknown parent, client roles,
//! one owner per account, unknown accounts —, the automatic distribution to
//! exactly the new contacts, the attribute type lock, and the account
//! report's figures (rolled up the hierarchy, health, churn risk) against
//! hand-computed values, with each account's section routed to its team.

use std::collections::BTreeSet;
use std::time::Duration;

use pulse_tests::{complete_answers, TestStack, PATIENCE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ACCOUNTS: &str = "\
Id,Name,ParentId,IsDeleted,Tier,Employees,Renewal,Website
001HQ,Acme Group,,false,Gold,5000,2027-01-31,acme.example
001EU,Acme Europe,001HQ,false,Silver,1200,2026-12-15T10:00:00Z,
001DE,Acme Germany,001EU,false,Gold,300,,
001US,Acme US,001HQ,false,,800,,
001OLD,Old Co,,true,,,,
001X,Cyclic X,001Y,false,,,,
001Y,Cyclic Y,001X,false,,,,
001ORPH,Orphan,001NOPE,false,,,,
001BADT,Bad Tier,,false,Platinum,,,
001BADD,Bad Date,,false,,,31.12.2026,
001BADI,Bad Int,,false,,lots,,
";

const CONTACTS: &str = "\
Id,FirstName,LastName,Email,Title,AccountId,IsDeleted
003A,Anna,Berg,anna@acme.example,CFO,001DE,false
003B,Ben,Cole,ben@acme.example,VP Engineering,001EU,false
003C,Cara,Dahl,cara@acme.example,Intern,001US,false
003D,Dan,Eck,dan@acme.example,Buyer,001NOPE,false
003E,Eva,Fox,eva@acme.example,End user,001DE,true
003F,Finn,Gray,finn@old.example,CFO,001OLD,false
";

const TEAM: &str = "\
AccountId,UserEmail,TeamMemberRole,IsDeleted
001DE,owner1@corp.example,ACCOUNT_OWNER,false
001DE,owner2@corp.example,ACCOUNT_OWNER,false
001DE,csm@corp.example,Customer Success Manager,false
001EU,ae@corp.example,Account Executive,false
001US,gone@corp.example,Sales Engineer,true
001NOPE,x@corp.example,ACCOUNT_OWNER,false
001US,wiz@corp.example,Wizard,false
";

fn project() -> Value {
    json!({ "kind": "quick_check_in", "settings": {
        "organisation_name": "Konepaja Oy", "business_type": "B2B",
        // minted links for account 001X carry the account like imported contacts do
        "operational_fields": ["AccountId"],
        "b2b_import": {
            "attributes": [
                { "name": "Tier", "type": "enum", "values": ["Gold", "Silver"] },
                { "name": "Employees", "type": "integer" },
                { "name": "Renewal", "type": "date_time" }
            ],
            "title_roles": { "CFO": "PROCUREMENT_FINANCE_PERSON", "VP Engineering": "DECISION_MAKER" },
            "auto_distribution": { "messages": { "en": { "subject": "{{FirstName}}, how is {{Organisation}} doing?", "body": "Please answer: {{SurveyLink}}" } } }
        } } })
}

/// Uploads a B2B file and waits for its import to end; returns the record.
async fn import(t: &TestStack, id: &str, kind: &str, name: &str, file: &str) -> Value {
    let u = t.upload_with(id, json!({ "file_name": name, "b2b": kind }), file.as_bytes().to_vec()).await;
    t.finished_import(id, u["upload_id"].as_str().unwrap()).await
}

async fn get(t: &TestStack, path: &str) -> Value {
    let r = t.admin(Method::GET, path).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

fn rejection_lines(import: &Value) -> Vec<(u64, String)> {
    import["first_rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// Waits until the project has a distribution that is done; returns them all.
async fn distributions_done(t: &TestStack, id: &str, n: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let all = get(t, &format!("/admin/projects/{id}/distributions")).await["distributions"].as_array().unwrap().clone();
        if all.len() >= n && all.iter().all(|d| d["state"] == "done") {
            return all;
        }
        assert!(tokio::time::Instant::now() < deadline, "distributions: {all:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_b2b_imports_apply_every_rule_and_invite_exactly_the_new_contacts() {
    let t = TestStack::start().await;
    let (id, _, survey) = t.open_project(project()).await;

    // accounts: typed attributes, a soft delete, a cycle, an unknown parent
    let a = import(&t, &id, "accounts", "Account.csv", ACCOUNTS).await;
    assert_eq!(a["state"], "done", "{a:#}");
    assert_eq!((a["counts"]["accepted"].as_u64(), a["counts"]["rejected"].as_u64()), (Some(8), Some(3)), "{a:#}");
    assert_eq!(rejection_lines(&a), vec![(10, "Tier".into()), (11, "Renewal".into()), (12, "Employees".into())]);
    let reasons: Vec<&str> = a["first_rejections"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons[0].contains("Gold, Silver"), "{reasons:?}");
    assert!(reasons[1].contains("ISO 8601") && reasons[1].contains("YYYY-MM-DD"), "{reasons:?}");
    let warnings: Vec<String> = a["warnings"].as_array().unwrap().iter().map(|w| w["message"].as_str().unwrap().to_string()).collect();
    assert!(warnings.iter().any(|w| w.contains("Website")), "the unmapped column: {warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("001ORPH") && w.contains("001NOPE")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("cycle")), "{warnings:?}");

    // contacts: roles, an unknown account, a deleted contact, a deleted account
    let c = import(&t, &id, "contacts", "Contact.csv", CONTACTS).await;
    assert_eq!(c["state"], "done", "{c:#}");
    assert_eq!(rejection_lines(&c), vec![(5, "AccountId".into())]);
    assert!(c["first_rejections"][0]["reason"].as_str().unwrap().contains("001NOPE"));
    assert_eq!(c["written"], 3, "anna, ben and cara are new, listed and invited: {c:#}");
    let members = get(&t, &format!("/admin/projects/{id}/lists/{}/contacts", c["list_id"].as_str().unwrap())).await;
    let listed: BTreeSet<String> =
        members["contacts"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap().to_string()).collect();
    assert_eq!(listed, BTreeSet::from(["anna@acme.example".to_string(), "ben@acme.example".into(), "cara@acme.example".into()]));
    let anna = get(&t, &format!("/admin/projects/{id}/contacts/anna@acme.example")).await;
    assert_eq!(anna["contact"]["fields"], json!({ "AccountId": "001DE", "ClientRole": "PROCUREMENT_FINANCE_PERSON" }), "{anna:#}");
    let ben = get(&t, &format!("/admin/projects/{id}/contacts/ben@acme.example")).await;
    assert_eq!(ben["contact"]["fields"]["ClientRole"], "DECISION_MAKER");
    let cara = get(&t, &format!("/admin/projects/{id}/contacts/cara@acme.example")).await;
    assert_eq!(cara["contact"]["fields"]["ClientRole"], "ACCOUNT_MEMBER");
    let eva = get(&t, &format!("/admin/projects/{id}/contacts/eva@acme.example")).await;
    assert_eq!(eva["suppression"]["reason"], "deleted", "a soft-deleted contact is kept and never invited: {eva:#}");

    // the automatic distribution went to exactly the new contacts
    let d = distributions_done(&t, &id, 1).await;
    assert_eq!((d.len(), d[0]["counts"]["sent"].as_u64()), (1, Some(3)), "{d:#?}");
    let mails = t.mails().await;
    let invited: BTreeSet<String> = mails.iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    assert_eq!(invited, listed);
    // the same contacts again plus one: only the new one is invited
    let again = format!("{CONTACTS}003G,Gus,Hill,gus@acme.example,CFO,001US,false\n");
    let c2 = import(&t, &id, "contacts", "Contact-2.csv", &again).await;
    assert_eq!(c2["written"], 1, "{c2:#}");
    let d = distributions_done(&t, &id, 2).await;
    assert_eq!(d.iter().map(|d| d["counts"]["sent"].as_u64().unwrap()).sum::<u64>(), 4, "{d:#?}");
    assert_eq!(t.mails().await.len(), 4);

    // team members: the second owner skipped with its row, roles read, unknowns rejected
    let tm = import(&t, &id, "team_members", "AccountTeamMember.csv", TEAM).await;
    assert_eq!(tm["state"], "done", "{tm:#}");
    assert_eq!(rejection_lines(&tm), vec![(3, "TeamMemberRole".into()), (7, "AccountId".into()), (8, "TeamMemberRole".into())], "{tm:#}");
    assert!(tm["first_rejections"][0]["reason"].as_str().unwrap().contains("owner1@corp.example"));

    // the declared type of an attribute with data is locked
    let mut attrs = project()["settings"]["b2b_import"]["attributes"].clone();
    attrs[0] = json!({ "name": "Tier", "type": "string" });
    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "b2b_import": { "attributes": attrs } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("Tier"));
    let mut more = project()["settings"]["b2b_import"]["attributes"].clone();
    more.as_array_mut().unwrap().push(json!({ "name": "Region", "type": "string" }));
    let r = t
        .admin(Method::PATCH, &format!("/admin/projects/{id}"))
        .json(&json!({ "settings": { "b2b_import": { "attributes": more } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "a new attribute is fine");

    // responses: anna (DE) promoter, ben (EU) detractor, cara (US) promoter
    let answer = |nps: &str, csat: &str| {
        let mut a = complete_answers(&survey);
        for (k, v) in a.iter_mut() {
            match k.as_str() {
                "nps" => *v = nps.to_string(),
                "csat" => *v = csat.to_string(),
                _ => {}
            }
        }
        a
    };
    for (email, nps, csat) in [("anna@acme.example", "10", "5"), ("ben@acme.example", "3", "2"), ("cara@acme.example", "9", "4")] {
        let mail = mails.iter().find(|m| m["to"][0] == email).unwrap();
        let link = mail["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).find(|l| l.contains("/s/")).unwrap();
        let path = link.strip_prefix(&t.stack.base_url).unwrap();
        assert_eq!(t.submit(path, &answer(nps, csat)).await, StatusCode::OK);
    }
    // six minted links for account 001X: four detractors, two promoters
    for (i, nps) in ["0", "2", "5", "6", "9", "10"].iter().enumerate() {
        let link = t
            .personal_link(
                &id,
                json!({ "email": format!("x{i}@x.example"), "first_name": "X", "last_name": "Y", "fields": { "AccountId": "001X" } }),
            )
            .await;
        assert_eq!(t.submit(&link, &answer(nps, "3")).await, StatusCode::OK);
    }

    let report = get(&t, &format!("/admin/projects/{id}/accounts")).await;
    let acct = |id: &str| {
        report["accounts"].as_array().unwrap().iter().find(|a| a["id"] == id).cloned().unwrap_or_else(|| panic!("{id} in {report:#}"))
    };
    assert_eq!(report["deleted_accounts"], 1);
    assert!(report["accounts"].as_array().unwrap().iter().all(|a| a["id"] != "001OLD"), "a deleted account is not reported");
    let order: Vec<&str> = report["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    let pos = |x: &str| order.iter().position(|o| *o == x).unwrap();
    assert!(pos("001HQ") < pos("001EU") && pos("001EU") < pos("001DE"), "{order:?}");
    // hand-computed: DE alone 1 promoter → +100; EU with DE: 1 promoter, 1 detractor → 0;
    // HQ with all: 2 promoters, 1 detractor → +33.3; 3 of 4 invitations answered (gus did not)
    assert_eq!(acct("001DE")["health"]["nps"], 100.0);
    assert_eq!(acct("001EU")["own"]["responses"], 1);
    assert_eq!(acct("001EU")["rolled_up"]["responses"], 2);
    assert_eq!(acct("001EU")["health"]["nps"], 0.0);
    let hq = acct("001HQ");
    assert_eq!(
        (hq["depth"].as_u64(), hq["rolled_up"]["responses"].as_u64(), hq["rolled_up"]["invited"].as_u64()),
        (Some(0), Some(3), Some(4)),
        "{hq:#}"
    );
    assert!((hq["health"]["nps"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9, "{hq:#}");
    assert_eq!(hq["health"]["response_rate"], 75.0);
    assert!((hq["health"]["csat"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9, "two of three satisfied: {hq:#}");
    assert!(hq["health"]["score"].is_null(), "fewer than five responses: no score");
    assert!(!hq["health"]["churn_risk"].as_bool().unwrap());
    // 001X: 2 promoters, 4 detractors → NPS −33.3, detractors 66.7 % → churn risk; CSAT 0 %
    // score = (0.5 · 33.3 + 0.3 · 0) / 0.8 (no invitations: no response rate) = 20.8
    let x = acct("001X");
    assert!(x["health"]["churn_risk"].as_bool().unwrap(), "{x:#}");
    assert!(x["health"]["reasons"][0].as_str().unwrap().contains("67 % detractors"), "{x:#}");
    assert_eq!(x["health"]["score"], 20.8, "{x:#}");
    assert_eq!(acct("001DE")["team"].as_array().unwrap().len(), 2, "owner1 and the CSM, not the second owner");

    // each account's section goes to its team
    let r = t.admin(Method::POST, &format!("/admin/projects/{id}/accounts/report")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let sent: Value = r.json().await.unwrap();
    let routed: BTreeSet<(String, String)> = sent["emailed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["account_id"].as_str().unwrap().into(), e["email"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        routed,
        BTreeSet::from([
            ("001DE".to_string(), "owner1@corp.example".to_string()),
            ("001DE".into(), "csm@corp.example".into()),
            ("001EU".into(), "ae@corp.example".into())
        ])
    );
    let mails = t.mails().await;
    let to_owner = mails.iter().find(|m| m["to"][0] == "owner1@corp.example").expect("the owner's email");
    assert!(to_owner["subject"].as_str().unwrap().contains("Acme Germany"));
    let link = to_owner["links"].as_array().unwrap().iter().filter_map(|l| l.as_str()).next().unwrap();
    // Pulse's own link for the week the email promises, never an S3 presigned one
    assert!(link.starts_with(&t.url("/shared/")) && !link.contains("X-Amz-"), "{link}");
    let page = t.http.get(link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Acme Germany") && page.contains("Health score"), "{page}");
    // routed once: asking again sends nothing new, and says so
    let again: Value = t.admin(Method::POST, &format!("/admin/projects/{id}/accounts/report")).send().await.unwrap().json().await.unwrap();
    assert_eq!(t.mails().await.len(), mails.len());
    assert_eq!(again["emailed"], json!([]), "nobody is emailed now: {again:#}");
    assert_eq!(again["emailed_before"].as_array().unwrap().len(), 3, "all three had been: {again:#}");

    // erasing Anna (GDPR) removes her B2B contact record and her invitation
    // link with the rest; a second erasure finds nothing left
    let first = t.erase(&id, "anna@acme.example").await;
    assert_eq!(
        (first["erased"]["b2b_contacts"].as_u64(), first["erased"]["links"].as_u64(), first["job"]["removed"]["responses"].as_u64()),
        (Some(1), Some(1), Some(1)),
        "{first:#}"
    );
    let second = t.erase(&id, "anna@acme.example").await;
    assert_eq!(
        second["erased"],
        json!({ "contact": false, "list_memberships": 0, "links": 0, "b2b_contacts": 0, "invitations": 0, "triggered_sends": 0, "suppression_hashed": false }),
        "{second:#}"
    );
    assert_eq!(second["job"]["removed"], json!({}), "nothing is left to find: {second:#}");
    // the link expires with its promise
    let week = pulse_shared::render::mail::ACCOUNT_SECTION_LINK_DAYS * 86_400 + 60;
    t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": week })).send().await.unwrap();
    assert_eq!(t.http.get(link).send().await.unwrap().status(), 404, "an expired share link leads nowhere");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_b2b_files_get_specific_messages_and_store_nothing() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project()).await;
    let near = import(&t, &id, "contacts", "c.csv", "Id,FirstName,LastName,Email,Title,Account Id\n003A,A,B,a@x.example,CFO,001\n").await;
    assert_eq!(near["state"], "failed");
    let e = near["error"].as_str().unwrap();
    assert!(e.contains("\"AccountId\"") && e.contains("\"Account Id\""), "{e}");
    let empty = import(&t, &id, "accounts", "a.csv", "").await;
    assert_eq!(empty["state"], "failed");
    let header_only = import(&t, &id, "team_members", "t.csv", "AccountId,UserEmail,TeamMemberRole\n").await;
    assert!(header_only["error"].as_str().unwrap().contains("no rows"), "{header_only:#}");
    let report = get(&t, &format!("/admin/projects/{id}/accounts")).await;
    assert_eq!(report["accounts"], json!([]));
    // a contact for an account that does not exist is reported, not linked
    let c = import(&t, &id, "contacts", "c2.csv", "Id,FirstName,LastName,Email,Title,AccountId\n003A,A,B,a@x.example,CFO,001NOPE\n").await;
    assert_eq!(rejection_lines(&c), vec![(2, "AccountId".into())]);
    let r = t.admin(Method::GET, &format!("/admin/projects/{id}/contacts/a@x.example")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

// ---------------------------------------------------------------- the sync

const SYNC_ACCOUNTS: &str = "\
Id,Name,ParentId,IsDeleted
001HQ,Acme Group,,false
001DE,Acme Germany,001HQ,false
";

const SYNC_CONTACTS: &str = "\
Id,FirstName,LastName,Email,Title,AccountId
003A,Anna,Berg,anna@acme.example,CFO,001DE
003B,Ben,Cole,ben@acme.example,VP Engineering,001HQ
003C,Cara,Dahl,cara@acme.example,Intern,001DE
";

const SYNC_TEAM: &str = "\
AccountId,UserEmail,TeamMemberRole
001DE,owner@corp.example,ACCOUNT_OWNER
001HQ,ae@corp.example,Account Executive
";

/// Writes a file to the project's drop folder, as `aws s3 cp` would.
async fn drop_file(t: &TestStack, key: &str, body: &str) {
    let bucket = t.config("import-contacts").data_bucket.clone();
    t.stack.aws.s3.put_object().bucket(bucket).key(key).body(body.as_bytes().to_vec().into()).send().await.unwrap();
}

/// What is left in the project's drop folder.
async fn folder(t: &TestStack, id: &str) -> Vec<String> {
    let bucket = t.config("import-contacts").data_bucket.clone();
    let listed = t.stack.aws.s3.list_objects_v2().bucket(bucket).prefix(format!("sync/{id}/")).send().await.unwrap();
    listed.contents().iter().filter_map(|o| o.key().map(str::to_string)).collect()
}

/// Waits until the project has `n` runs, none running; returns them (newest first).
async fn runs(t: &TestStack, id: &str, n: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let v = get(t, &format!("/admin/projects/{id}/b2b/sync")).await;
        let all = v["runs"].as_array().unwrap().clone();
        if all.len() >= n && all.iter().all(|r| r["state"] != "running") {
            return all;
        }
        assert!(tokio::time::Instant::now() < deadline, "runs: {all:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until import-contacts has handled the S3 events of `keys` (each at least `times` times).
async fn handled(t: &TestStack, keys: &[String], times: usize) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let seen = t.stack.functions.invocations(Some("import-contacts"));
        let count = |k: &String| {
            seen.iter()
                .filter(|i| i.event["Records"][0]["s3"]["object"]["key"].as_str().is_some_and(|e| e.replace("%2F", "/") == *k))
                .count()
        };
        if keys.iter().all(|k| count(k) >= times) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "events of {keys:?} not handled {times} times");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_dropped_files_make_one_ordered_run_and_the_same_files_again_change_nothing() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project()).await;
    // anna is known already (a manual import, and its own distribution)
    import(&t, &id, "accounts", "Account.csv", SYNC_ACCOUNTS).await;
    let known = import(
        &t,
        &id,
        "contacts",
        "Contact.csv",
        "Id,FirstName,LastName,Email,Title,AccountId\n003A,Anna,Berg,anna@acme.example,CFO,001DE\n",
    )
    .await;
    assert_eq!(known["written"], 1, "{known:#}");
    distributions_done(&t, &id, 1).await;
    let r = t
        .admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync"))
        .json(&json!({ "source": "drop_folder", "new_list": true, "distribute": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set: Value = r.json().await.unwrap();
    assert!(set["drop_folder"].as_str().unwrap().ends_with(&format!("/sync/{id}/")), "{set:#}");

    // dropped in the wrong order on purpose: team, contacts, then accounts
    let keys = [
        format!("sync/{id}/team/AccountTeamMember.csv"),
        format!("sync/{id}/contacts/Contact.csv"),
        format!("sync/{id}/accounts/Account.csv"),
    ];
    let accounts = SYNC_ACCOUNTS.replace("Acme Group", "Acme Group AG");
    for (key, body) in keys.iter().zip([SYNC_TEAM, SYNC_CONTACTS, accounts.as_str()]) {
        drop_file(&t, key, body).await;
    }
    let all = runs(&t, &id, 1).await;
    assert_eq!(all.len(), 1, "{all:#?}");
    let run = &all[0];
    assert_eq!((run["state"].as_str(), run["trigger"].as_str()), (Some("done"), Some("drop")), "{run:#}");
    let kinds: Vec<&str> = run["files"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["accounts", "contacts", "team_members"]);
    assert!(run["files"].as_array().unwrap().iter().all(|f| f["state"] == "done" && f["counts"]["rejected"] == 0), "{run:#}");
    // accounts were stored before contacts and team members were read
    let uploads = get(&t, &format!("/admin/projects/{id}/uploads")).await;
    let created = |kind: &str| {
        let upload_id =
            run["files"].as_array().unwrap().iter().find(|f| f["kind"] == kind).unwrap()["upload_id"].as_str().unwrap().to_string();
        let u = uploads["uploads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["upload_id"] == upload_id)
            .cloned()
            .unwrap_or_else(|| panic!("{upload_id} in {uploads:#}"));
        (u["created_at"].as_str().unwrap().to_string(), u["finished_at"].as_str().unwrap().to_string())
    };
    let (a, c, tm) = (created("accounts"), created("contacts"), created("team_members"));
    assert!(a.1 <= c.0 && c.1 <= tm.0, "accounts {a:?}, contacts {c:?}, team {tm:?}");
    let report = get(&t, &format!("/admin/projects/{id}/accounts")).await;
    let hq = report["accounts"].as_array().unwrap().iter().find(|x| x["id"] == "001HQ").unwrap();
    assert_eq!(hq["name"], "Acme Group AG", "the dropped accounts file was loaded");
    let de = report["accounts"].as_array().unwrap().iter().find(|x| x["id"] == "001DE").unwrap();
    assert_eq!(de["team"].as_array().unwrap().len(), 1, "{de:#}");

    // a new list of exactly the new contacts, and one distribution to it
    assert_eq!(run["new_contacts"], 2, "{run:#}");
    let list_id = run["list_id"].as_str().expect("the run's list");
    let members = get(&t, &format!("/admin/projects/{id}/lists/{list_id}/contacts")).await;
    let listed: BTreeSet<String> =
        members["contacts"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap().to_string()).collect();
    assert_eq!(listed, BTreeSet::from(["ben@acme.example".to_string(), "cara@acme.example".into()]));
    let dist_id = run["distribution_id"].as_str().expect("the run's distribution");
    let d = distributions_done(&t, &id, 2).await;
    let sync_dist = d.iter().find(|x| x["id"] == dist_id).unwrap_or_else(|| panic!("{dist_id} in {d:#?}"));
    assert_eq!(sync_dist["counts"]["sent"], 2, "{sync_dist:#}");
    let invited: Vec<String> = t.mails().await.iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    assert_eq!(invited.iter().filter(|e| *e == "anna@acme.example").count(), 1, "anna is not invited again: {invited:?}");
    assert!(folder(&t, &id).await.is_empty(), "the run's files left the folder");

    // the same three files again: nothing new
    let lists_before = get(&t, &format!("/admin/projects/{id}/lists")).await;
    for (key, body) in keys.iter().zip([SYNC_TEAM, SYNC_CONTACTS, accounts.as_str()]) {
        drop_file(&t, key, body).await;
    }
    handled(&t, &keys, 2).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !folder(&t, &id).await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the files again were not cleared: {:?}", folder(&t, &id).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(runs(&t, &id, 1).await.len(), 1, "no second run");
    assert_eq!(get(&t, &format!("/admin/projects/{id}/distributions")).await["distributions"].as_array().unwrap().len(), 2);
    assert_eq!(get(&t, &format!("/admin/projects/{id}/lists")).await, lists_before);
    assert_eq!(t.mails().await.len(), invited.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_scheduled_run_with_a_bad_contacts_file_is_partial_and_bad_drops_are_refused_with_reasons() {
    let t = TestStack::start().await;
    let (id, _, _) = t.open_project(project()).await;
    let put = |body: Value| t.admin(Method::PUT, &format!("/admin/projects/{id}/b2b/sync")).json(&body).send();
    // bad schedules: told which field, nothing stored
    for (schedule, field) in [
        (json!({ "every": "daily", "at": "25:00" }), "schedule.at"),
        (json!({ "every": "daily", "at": "06:00", "from": "2020-01-01" }), "schedule.from"),
    ] {
        let r = put(json!({ "source": "drop_folder", "schedule": schedule })).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], field, "{e:#}");
    }
    assert_eq!(get(&t, &format!("/admin/projects/{id}/b2b/sync")).await["sync"], Value::Null);
    let r = put(json!({ "source": "drop_folder", "schedule": { "every": "hourly" }, "new_list": true })).await.unwrap();
    assert_eq!(r.status(), 200);

    // a file of an unknown kind and one with an unexpected name: failed runs saying why
    let widgets = format!("sync/{id}/widgets/w.csv");
    let xlsx = format!("sync/{id}/accounts/Account.xlsx");
    drop_file(&t, &widgets, "x\n").await;
    drop_file(&t, &xlsx, "x\n").await;
    let refused = runs(&t, &id, 2).await;
    assert!(refused.iter().all(|r| r["state"] == "failed" && r["files"] == json!([])), "{refused:#?}");
    let reasons: Vec<&str> = refused.iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("\"widgets\"") && r.contains("accounts, contacts and team")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("Account.xlsx") && r.contains(".csv")), "{reasons:?}");
    assert_eq!(get(&t, &format!("/admin/projects/{id}/accounts")).await["accounts"], json!([]), "nothing stored");

    // accounts and a contacts file with bad rows; no team file: the schedule runs them
    drop_file(&t, &format!("sync/{id}/accounts/Account.csv"), SYNC_ACCOUNTS).await;
    let bad = "Id,FirstName,LastName,Email,Title,AccountId\n003A,Anna,Berg,anna@acme.example,CFO,001DE\n003X,Xavi,Yu,not-an-email,CFO,001DE\n003Y,Yara,Zed,yara@acme.example,CFO,001NOPE\n";
    let contacts_key = format!("sync/{id}/contacts/Contact.csv");
    drop_file(&t, &contacts_key, bad).await;
    handled(&t, &[contacts_key], 1).await;
    assert_eq!(runs(&t, &id, 2).await.len(), 2, "two of three files wait for the schedule");
    let fire = || t.http.post(t.url("/_local/schedules/ImportContactsFunction.SyncSchedule")).send();
    let r: Value = fire().await.unwrap().json().await.unwrap();
    assert_eq!(r["result"]["runs"], json!([]), "the hour it was set in has been claimed: {r:#}");
    t.http.post(t.url("/_local/clock")).json(&json!({ "seconds": 3600 })).send().await.unwrap();
    let r: Value = fire().await.unwrap().json().await.unwrap();
    assert_eq!(r["result"]["runs"].as_array().map(Vec::len), Some(1), "{r:#}");
    let all = runs(&t, &id, 3).await;
    let run = &all[0];
    assert_eq!((run["state"].as_str(), run["trigger"].as_str()), (Some("partial"), Some("schedule")), "{run:#}");
    let contacts = &run["files"][1];
    assert_eq!((contacts["kind"].as_str(), contacts["counts"]["rejected"].as_u64()), (Some("contacts"), Some(2)), "{run:#}");
    let rejected: Vec<(u64, String, String)> = contacts["first_rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_str().unwrap_or("").to_string(), r["reason"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!((rejected[0].0, rejected[0].1.as_str()), (3, "Email"), "{rejected:?}");
    assert_eq!((rejected[1].0, rejected[1].1.as_str()), (4, "AccountId"), "{rejected:?}");
    assert!(rejected[1].2.contains("001NOPE"), "{rejected:?}");
    assert_eq!(run["files"][0]["state"], "done");
    let ignored: Vec<&str> = run["ignored"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(BTreeSet::from_iter(ignored), BTreeSet::from([widgets.as_str(), xlsx.as_str()]), "{run:#}");
    let report = get(&t, &format!("/admin/projects/{id}/accounts")).await;
    assert_eq!(report["accounts"].as_array().unwrap().len(), 2, "the accounts were loaded: {report:#}");
    assert_eq!(run["new_contacts"], 1);
    assert!(run["distribution_id"].is_null(), "distribute is off: {run:#}");
    // the same slot again: no second run
    let r: Value = fire().await.unwrap().json().await.unwrap();
    assert_eq!(r["result"]["runs"], json!([]));
}
