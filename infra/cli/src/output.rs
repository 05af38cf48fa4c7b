//! What a command prints: tables and short lines for people, JSON for
//! scripts (`--json`), progress bars on stderr only when it is a terminal
//! (with `--json`, progress goes to stderr as one JSON object a line).

use std::io::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use crate::Io;

/// A table of rows under a header.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(header.to_vec());
    for r in rows {
        t.add_row(r);
    }
    t.to_string()
}

/// Field: value lines for one object's chosen fields.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs.iter().map(|(k, v)| format!("{k:<width$}  {v}\n")).collect()
}

/// A JSON value as people read it in a cell: strings bare, null empty.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Prints `value` as JSON (`--json`) or `human` otherwise; nothing with
/// `--quiet` (see [`print_id`]).
pub fn print(io: &mut Io, json: bool, value: &Value, human: impl FnOnce() -> String) {
    if io.quiet {
        return;
    }
    if json {
        let _ = writeln!(io.out, "{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        let text = human();
        let _ = write!(io.out, "{text}");
        if !text.ends_with('\n') {
            let _ = writeln!(io.out);
        }
    }
}

/// `--quiet`: only the id of what was created, alone on its line.
pub fn print_id(io: &mut Io, id: &str) {
    if io.quiet {
        let _ = writeln!(io.out, "{id}");
    }
}

/// A progress event for scripts (`--json`): one line on stderr.
pub fn event(io: &mut Io, json: bool, value: Value) {
    if json {
        let _ = writeln!(io.err, "{value}");
    }
}

/// A progress bar on stderr, drawn only on a terminal and without `--json`.
pub fn bar(io: &Io, json: bool, len: u64, template: &str) -> ProgressBar {
    let target = if io.stderr_is_terminal && !json { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    bar
}

/// How many bytes, as people read them.
pub fn bytes(n: u64) -> String {
    indicatif::HumanBytes(n).to_string()
}
