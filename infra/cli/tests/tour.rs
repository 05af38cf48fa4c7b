//! The README's `pulse` tour: `infra/cli/tour.sh`, shown in the README line for
//! line and run here with the built `pulse` against a fresh local stack.

use std::path::{Path, PathBuf};

use pulse_tests::{TestStack, API_KEY};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_readme_shows_the_pulse_tour_line_for_line() {
    let script = read("infra/cli/tour.sh");
    let start = script.find("# --- tour ---\n").expect("the tour's start marker") + "# --- tour ---\n".len();
    let end = script.find("# --- end of tour ---").expect("the tour's end marker");
    let readme = read("README.md");
    assert!(readme.contains(&format!("```sh\n{}```", &script[start..end])), "README.md must show infra/cli/tour.sh's tour as it is");
    assert!(readme.contains("cargo install --locked --path infra/cli"), "the README says how to install pulse");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_pulse_tour_works_as_written_against_a_fresh_stack() {
    let t = TestStack::start().await;
    let port = t.stack.base_url.rsplit(':').next().expect("port").to_string();
    let bin = Path::new(env!("CARGO_BIN_EXE_pulse")).parent().expect("bin dir").to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = tokio::process::Command::new("bash")
        .arg(root().join("infra/cli/tour.sh"))
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

/// The README's "Deploying with SAM" walkthrough names only parameters,
/// outputs and resources the template has, says the truth about `PublicBaseUrl`'s default,
/// and every `pulse` line in it is a command `pulse` takes.
#[test]
fn the_readmes_deploy_walkthrough_names_real_parameters_outputs_and_commands() {
    use clap::Parser;
    let readme = read("README.md");
    let start = readme.find("## Deploying with SAM\n").expect("the Deploying section");
    let section = &readme[start..start + readme[start + 3..].find("\n## ").expect("a section after it") + 3];
    let template: serde_norway::Value = serde_norway::from_str(&read("template.yaml")).expect("template.yaml");
    let known = |name: &str| ["Parameters", "Outputs", "Resources"].iter().any(|part| template[*part].get(name).is_some());
    let mut named = 0;
    for code in section.split('`').skip(1).step_by(2) {
        let camel = code.len() > 3
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code.chars().all(|c| c.is_ascii_alphanumeric())
            && code.chars().skip(1).any(|c| c.is_ascii_uppercase());
        if camel {
            assert!(
                known(code),
                "the README's deploy walkthrough names `{code}`, which is no parameter, output or resource of template.yaml"
            );
            named += 1;
        }
    }
    assert!(named >= 10, "{named}");
    assert_eq!(template["Parameters"]["PublicBaseUrl"]["Default"], "", "the walkthrough says to leave PublicBaseUrl empty");
    let mut commands = 0;
    for line in section.lines().chain(readme.lines().filter(|l| l.contains("pulse users invite"))) {
        let Some(at) = line.find("pulse ") else { continue };
        let command = line[at..].split(['#', '`']).next().unwrap_or_default().trim();
        if !(command.starts_with("pulse doctor") || command.starts_with("pulse users")) {
            continue;
        }
        let words: Vec<String> = command.split_whitespace().map(|w| w.trim_matches('"').to_string()).collect();
        pulse_cli::args::Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("`{command}` is not a pulse command: {e}"));
        commands += 1;
    }
    assert!(commands >= 2, "{commands}");
}
