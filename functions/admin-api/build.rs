//! The deployed version's build identifier: `PULSE_BUILD_ID` when the build
//! sets one (CI), else the checkout's commit read with the local `git` (no
//! network), else none. The console's status page and support bundle show it.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8(out.stdout).ok()?.trim().to_string()).filter(|s| !s.is_empty())
}

fn main() {
    println!("cargo:rerun-if-env-changed=PULSE_BUILD_ID");
    // rebuilt when the checkout moves to another commit
    for reference in ["HEAD".to_string(), git(&["symbolic-ref", "-q", "HEAD"]).unwrap_or_default()] {
        if let Some(path) = git(&["rev-parse", "--git-path", &reference]).filter(|_| !reference.is_empty()) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let id = std::env::var("PULSE_BUILD_ID").ok().filter(|s| !s.trim().is_empty()).or_else(|| git(&["rev-parse", "--short=12", "HEAD"]));
    if let Some(id) = id {
        let clean: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.+".contains(*c)).take(64).collect();
        println!("cargo:rustc-env=PULSE_BUILD_ID={clean}");
    }
}
