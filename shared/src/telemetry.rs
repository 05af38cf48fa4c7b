//! Structured logs. In Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) the output is
//! JSON lines for CloudWatch (the template sets `LogFormat: JSON`); a handler
//! opens a span carrying the request id, so every line of an invocation can be
//! found from the id an error response shows. Locally the same events print
//! in a compact human format unless `PULSE_LOG_FORMAT=json`.
//!
//! With `PULSE_LOG_DIR` set (or through [`init_in`], as the end-to-end tests
//! do) the lines go to a file of this process in that directory instead of
//! standard output, with Pulse's own crates at `debug`: the tests' logs are
//! kept and scanned for personal data (`tests/tests/logscan.rs`).
//!
//! Logs carry no addresses, names or free text: an address that a log line
//! needs (in a path, a ledger key, an error message) goes through
//! [`crate::domain::mail::mask_addresses`].

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use tracing_subscriber::{fmt, EnvFilter};

/// Pulse's crates, logged at `debug` into a log file.
const OWN_CRATES: [&str; 8] = [
    "pulse_shared",
    "pulse_local",
    "admin_api",
    "submit_response",
    "import_contacts",
    "send_distribution",
    "notify_thresholds",
    "generate_report",
];

/// Installs the global subscriber once; later calls do nothing. With
/// `PULSE_LOG_DIR` set the lines go to a file in that directory ([`init_in`]).
pub fn init() {
    install(std::env::var_os("PULSE_LOG_DIR").filter(|d| !d.is_empty()).map(PathBuf::from));
}

/// Installs the global subscriber once, writing to `<dir>/<program>-<pid>.log`
/// (the directory is made if missing). `RUST_LOG` still chooses the levels;
/// without it, `info` and Pulse's own crates at `debug`.
pub fn init_in(dir: &Path) {
    install(Some(dir.to_path_buf()));
}

fn install(dir: Option<PathBuf>) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let file = dir.and_then(|dir| match open_log_file(&dir) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("logs go to standard output: no log file in {}: {e}", dir.display());
                None
            }
        });
        let default = match file {
            Some(_) => OWN_CRATES.iter().fold("info".to_string(), |f, c| format!("{f},{c}=debug")),
            None => "info".to_string(),
        };
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
        let json = std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some() || std::env::var("PULSE_LOG_FORMAT").is_ok_and(|v| v == "json");
        let ansi = file.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout());
        let builder = fmt().with_env_filter(filter).with_target(false).with_ansi(ansi);
        let _ = match (file, json) {
            (Some(f), true) => builder.with_writer(Mutex::new(f)).json().with_current_span(true).with_span_list(false).try_init(),
            (Some(f), false) => builder.with_writer(Mutex::new(f)).compact().try_init(),
            (None, true) => builder.json().with_current_span(true).with_span_list(false).try_init(),
            (None, false) => builder.compact().try_init(),
        };
    });
}

/// A new log file of this process in `dir`: the program's name and the
/// process id, so that test binaries running at once never share a file.
fn open_log_file(dir: &Path) -> std::io::Result<std::fs::File> {
    std::fs::create_dir_all(dir)?;
    let program = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "pulse".to_string());
    std::fs::OpenOptions::new().create(true).append(true).open(dir.join(format!("{program}-{}.log", std::process::id())))
}
