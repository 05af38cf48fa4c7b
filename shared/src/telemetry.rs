//! Structured logs. In Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) the output is
//! JSON lines for CloudWatch (the template sets `LogFormat: JSON`); a handler
//! opens a span carrying the request id, so every line of an invocation can be
//! found from the id an error response shows. Locally the same events print
//! in a compact human format unless `PULSE_LOG_FORMAT=json`.

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber once; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some() || std::env::var("PULSE_LOG_FORMAT").is_ok_and(|v| v == "json");
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = fmt().with_env_filter(filter).with_target(false).with_ansi(ansi);
    let _ = if json { builder.json().with_current_span(true).with_span_list(false).try_init() } else { builder.compact().try_init() };
}
