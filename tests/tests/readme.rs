//! The README's commands, as a newcomer would copy them: the curl tour is
//! `infra/tour.sh`, shown in the README line for line and run here against
//! a fresh local stack; the two main commands exist and are executable.

use std::os::unix::fs::PermissionsExt;

use pulse_tests::{TestStack, API_KEY};

fn read(path: &str) -> String {
    std::fs::read_to_string(pulse_local::workspace_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The lines of `infra/tour.sh` the README shows.
fn tour_lines() -> String {
    let script = read("infra/tour.sh");
    let start = script.find("# --- tour ---\n").expect("the tour's start marker") + "# --- tour ---\n".len();
    let end = script.find("# --- end of tour ---").expect("the tour's end marker");
    script[start..end].to_string()
}

#[test]
fn the_readme_shows_the_tour_script_line_for_line_and_its_two_commands_exist() {
    let readme = read("README.md");
    let tour = tour_lines();
    assert!(
        readme.contains(&format!("B=http://127.0.0.1:3000; K='x-api-key: local-dev-key'\n{tour}```")),
        "README.md must show infra/tour.sh's tour as it is"
    );
    for command in ["infra/local.sh", "infra/test.sh", "infra/tour.sh"] {
        assert!(readme.contains(&format!("./{command}")), "the README names ./{command}");
        let mode = std::fs::metadata(pulse_local::workspace_root().join(command)).unwrap().permissions().mode();
        assert!(mode & 0o111 != 0, "{command} is executable");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_curl_tour_works_as_written_against_a_fresh_stack() {
    let t = TestStack::start().await;
    let base = t.url("");
    let out = tokio::process::Command::new("bash")
        .arg(pulse_local::workspace_root().join("infra/tour.sh"))
        .arg(&base)
        .env("PULSE_ADMIN_API_KEY", API_KEY)
        .output()
        .await
        .expect("bash runs the tour");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the tour failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let id = stdout
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("Project "))
        .and_then(|l| l.split(':').next())
        .expect("the project id")
        .to_string();
    // what the tour did is there: the logo, the imported list, the invitations and the test email, the account
    let project: serde_json::Value =
        t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(project["published_version"], 1);
    assert_eq!(project["settings"]["logo"]["content_type"], "image/svg+xml");
    assert!(project["settings"]["account_id"].is_string());
    let mails = t.outbox(3).await;
    let sent = serde_json::to_string(&mails).unwrap();
    for address in ["anna@example.com", "ben@example.com", "you@example.com"] {
        assert!(sent.contains(address), "{address} got an email: {sent}");
    }
}

#[test]
fn the_readmes_alert_rules_are_rules_the_api_takes() {
    let readme = read("README.md");
    let section = &readme[readme.find("### Metric alerts").expect("the alerts section")..];
    let start = section.find("```json\n").expect("its example") + "```json\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let settings: serde_json::Value = serde_json::from_str(&format!(
        r#"{{ "organisation_name": "Kahvila Oy", "business_type": "B2C", "operational_fields": ["Region"],
            "notifications": {{ "recipients": ["team@example.com"] }}, {example} }}"#
    ))
    .unwrap_or_else(|e| panic!("the README's alerts example is not JSON: {e}"));
    let settings: pulse_shared::domain::project::Settings = serde_json::from_value(settings).expect("settings with the README's alerts");
    assert_eq!(settings.alerts.len(), 3);
    settings.normalise().expect("the README's rules pass the API's checks");
}
