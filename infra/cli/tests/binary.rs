//! The installed `pulse` binary itself: its help, its exit codes, its
//! one-line errors (the library's `run` behind a thin `main`).

use std::process::Command;

fn pulse(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pulse")).args(args).env_remove("PULSE_STACK").output().expect("pulse runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn help_names_the_exit_codes_and_errors_are_one_line() {
    let (code, out, _) = pulse(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Exit codes: 0 done; 1 usage or bad input") && out.contains("doctor"), "{out}");

    let (code, _, err) = pulse(&["projects", "create", "-f", "/nonexistent/pulse.yaml"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("pulse: cannot read /nonexistent/pulse.yaml"), "{err}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let (code, _, err) = pulse(&["--url", &format!("http://127.0.0.1:{port}"), "--json", "projects", "list"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.starts_with("pulse: cannot reach the API at http://127.0.0.1:"), "{err}");

    let (code, _, err) = pulse(&["--local", "--stack", "x", "doctor"]);
    assert_eq!(code, 1, "conflicting options are a usage error: {err}");
}
