//! The README's `pulse` tour: `cli/tour.sh`, shown in the README line for
//! line and run here with the built `pulse` against a fresh local stack.

use std::path::{Path, PathBuf};

use pulse_tests::{TestStack, API_KEY};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_readme_shows_the_pulse_tour_line_for_line() {
    let script = read("cli/tour.sh");
    let start = script.find("# --- tour ---\n").expect("the tour's start marker") + "# --- tour ---\n".len();
    let end = script.find("# --- end of tour ---").expect("the tour's end marker");
    let readme = read("README.md");
    assert!(readme.contains(&format!("```sh\n{}```", &script[start..end])), "README.md must show cli/tour.sh's tour as it is");
    assert!(readme.contains("cargo install --locked --path cli"), "the README says how to install pulse");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_pulse_tour_works_as_written_against_a_fresh_stack() {
    let t = TestStack::start().await;
    let port = t.stack.base_url.rsplit(':').next().expect("port").to_string();
    let bin = Path::new(env!("CARGO_BIN_EXE_pulse")).parent().expect("bin dir").to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = tokio::process::Command::new("bash")
        .arg(root().join("cli/tour.sh"))
        .env("PATH", path)
        .env("PULSE_PORT", &port)
        .env("PULSE_API_KEY", API_KEY)
        .output()
        .await
        .expect("bash runs the tour");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the tour failed:\n{stdout}\n{stderr}");
    let id = stdout.lines().last().and_then(|l| l.strip_prefix("Project ")).expect("the project id").to_string();
    let project: serde_json::Value =
        t.admin(reqwest::Method::GET, &format!("/admin/projects/{id}")).send().await.expect("project").json().await.expect("json");
    assert_eq!(project["published_version"], 1);
    assert_eq!(project["settings"]["logo"]["content_type"], "image/svg+xml");
    assert!(project["settings"]["account_id"].is_string(), "{project}");
    assert_eq!(t.outbox(2).await.len(), 2, "the invitations went out");
    for seen in ["dry run: nothing was sent", "will be sent", "done", "remaining", "ok    SES sender", "erasure started"] {
        assert!(stdout.contains(seen), "{seen}: {stdout}");
    }
}
