//! The console's "Help and status" section, its rules: the first pulse's
//! checklist from the stack's state (never a stored tick), SES's send rate
//! against the configured one, which configuration values a support bundle
//! withholds, and the record of a 5xx kept for the bundle.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::mail::mask_addresses;

/// A step of the first pulse, in the order a team takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The sender address (or its domain) is a verified SES identity.
    SenderVerified,
    /// The SES account is out of the sandbox: any address can be invited.
    OutOfSandbox,
    FirstProject,
    /// A contact upload was imported to its end.
    FirstUpload,
    /// A distribution sent at least one invitation.
    FirstSend,
    FirstReport,
}

impl Step {
    pub const ALL: [Step; 6] =
        [Step::SenderVerified, Step::OutOfSandbox, Step::FirstProject, Step::FirstUpload, Step::FirstSend, Step::FirstReport];
}

/// What the stack holds, read fresh for each look at the checklist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// `None`: SES could not be asked.
    pub sender_verified: Option<bool>,
    pub production_access: Option<bool>,
    /// A project (the newest), if any.
    pub project: Option<String>,
    /// A project with a finished upload (to send to its list).
    pub uploaded: Option<String>,
    /// A project that sent invitations (to make its report).
    pub sent: Option<String>,
    pub report_generated: bool,
}

/// One line of the checklist: done, or what to do next and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub step: Step,
    /// `None`: the state could not be read (SES did not answer).
    pub done: Option<bool>,
    /// The console page that does the step (when not done).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Where the status page explains SES (no console page changes SES).
pub const SES_HELP: &str = "/console/help/status#ses";

/// The checklist of the first pulse from the stack's state: each step done
/// or not, and for each open one the console page that does it (in the
/// project that got furthest).
pub fn checklist(p: &Progress) -> Vec<Item> {
    let project_page = |id: &Option<String>, page: &str| match id {
        Some(id) => format!("/console/projects/{id}/{page}"),
        None => "/console/projects/new".to_string(),
    };
    let send_from = p.uploaded.clone().or_else(|| p.project.clone());
    let report_of = p.sent.clone().or_else(|| send_from.clone());
    Step::ALL
        .iter()
        .map(|&step| {
            let (done, next) = match step {
                Step::SenderVerified => (p.sender_verified, SES_HELP.to_string()),
                Step::OutOfSandbox => (p.production_access, SES_HELP.to_string()),
                Step::FirstProject => (Some(p.project.is_some()), "/console/projects/new".to_string()),
                Step::FirstUpload => (Some(p.uploaded.is_some()), project_page(&p.project, "uploads")),
                Step::FirstSend => (Some(p.sent.is_some()), project_page(&send_from, "sends/new")),
                Step::FirstReport => (Some(p.report_generated), project_page(&report_of, "dashboard")),
            };
            Item { step, done, next: (done != Some(true)).then_some(next) }
        })
        .collect()
}

/// The SES account as `GetAccount` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SesAccount {
    pub production_access: bool,
    pub sending_enabled: bool,
    pub max_24_hour_send: f64,
    pub max_send_rate: f64,
    pub sent_last_24_hours: f64,
}

/// Whether the stack is configured to send faster than SES lets it: SES
/// then throttles what goes over (a warning on the status page, a failed
/// check of `pulse doctor`).
pub fn rate_exceeds_quota(configured_per_second: f64, max_send_rate: f64) -> bool {
    configured_per_second > max_send_rate
}

/// The parts of a configuration variable's name that mark its value as a
/// secret (or a key to one): such values never leave in a support bundle.
pub const SECRET_MARKERS: [&str; 9] = ["KEY", "TOKEN", "PASSWORD", "SECRET", "PEPPER", "CREDENTIAL", "PRIVATE", "SIGNATURE", "SESSION"];

/// Whether a variable's value is withheld: its name has a [`SECRET_MARKERS`]
/// word (`LINKS_KEY_ID`, `SECRETS_PREFIX`, `AWS_SESSION_TOKEN`).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| SECRET_MARKERS.iter().any(|m| word.starts_with(m) || word.ends_with(m)))
}

/// Configuration for a bug report: the values that may leave (email
/// addresses masked) and the names whose values were withheld.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shareable {
    pub values: BTreeMap<String, String>,
    pub withheld: Vec<String>,
}

/// Splits `(name, value)` pairs into what a support bundle may show and the
/// names it withholds.
pub fn withhold_secrets<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> Shareable {
    let mut out = Shareable::default();
    for (name, value) in pairs {
        if is_secret_name(name) {
            out.withheld.push(name.to_string());
        } else {
            out.values.insert(name.to_string(), mask_addresses(&value));
        }
    }
    out.withheld.sort();
    out
}

/// How many recorded errors the status page and the bundle show.
pub const ERRORS_SHOWN: usize = 20;
/// Days a recorded error is kept (then DynamoDB's TTL deletes it).
pub const ERROR_DAYS: u64 = 14;
/// The most characters of an error's message kept.
const MESSAGE_CHARS: usize = 160;

/// A 5xx answered by an HTTP function, as kept for the support bundle: the
/// route's template (never the raw path, which may hold ids or an
/// address), the error's code and its message with addresses masked, and
/// the request id to find it in the logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorRecord {
    /// RFC 3339.
    pub at: String,
    pub function: String,
    pub method: String,
    pub route: String,
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: String,
}

impl ErrorRecord {
    /// A record with its texts made safe to keep: addresses masked, the
    /// message cut, the code and route of route-safe characters only.
    #[allow(clippy::too_many_arguments)]
    pub fn new(at: &str, function: &str, method: &str, route: &str, status: u16, code: &str, message: &str, request_id: &str) -> Self {
        let plain = |s: &str, max: usize| -> String {
            s.chars().filter(|c| c.is_ascii_alphanumeric() || "-_/{}.+".contains(*c)).take(max).collect()
        };
        ErrorRecord {
            at: at.to_string(),
            function: plain(function, 40),
            method: plain(method, 10),
            route: plain(&mask_addresses(route), 200),
            status,
            code: plain(code, 40),
            message: mask_addresses(message).chars().take(MESSAGE_CHARS).collect(),
            request_id: plain(request_id, 80),
        }
    }
}

/// The words of the console's routes; any other segment is an id (or an
/// address), which [`console_route`] replaces by `{id}`.
const CONSOLE_WORDS: [&str; 45] = [
    "projects",
    "new",
    "setup",
    "publish",
    "close",
    "reopen",
    "rotate",
    "link-days",
    "embed",
    "delete",
    "sends",
    "cancel",
    "triggers",
    "remove",
    "contacts",
    "accounts",
    "send",
    "sync",
    "sftp",
    "secret",
    "run",
    "uploads",
    "sample",
    "find",
    "erase",
    "lists",
    "jobs",
    "suppressions",
    "lift",
    "reports",
    "shares",
    "revoke",
    "share",
    "dashboard",
    "frame",
    "responses",
    "responses.csv",
    "links",
    "preview",
    "qr.svg",
    "budgets",
    "plan",
    "reserve",
    "users",
    "help",
];

/// The template of a console path (`/console/projects/{id}/sends`): its
/// words kept, every other segment `{id}`, so that no id or address is kept.
pub fn console_route(path: &str) -> String {
    let extra = ["console", "status", "checklist", "data", "support-bundle.json", "sign-in", "sign-out", "language", "basics"];
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if CONSOLE_WORDS.contains(&s) || extra.contains(&s) { s.to_string() } else { "{id}".to_string() })
        .collect();
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(items: &[Item]) -> Vec<Step> {
        items.iter().filter(|i| i.done != Some(true)).map(|i| i.step).collect()
    }

    #[test]
    fn a_new_stack_has_every_step_open_each_with_the_page_that_does_it() {
        let items = checklist(&Progress { sender_verified: Some(false), production_access: Some(false), ..Default::default() });
        assert_eq!(open(&items), Step::ALL);
        assert_eq!(items[0].next.as_deref(), Some(SES_HELP));
        assert!(items[2..].iter().all(|i| i.next.as_deref() == Some("/console/projects/new")), "{items:?}");
    }

    #[test]
    fn steps_tick_as_the_stack_gets_further_and_the_next_step_points_into_the_project() {
        let mut p = Progress { sender_verified: Some(true), production_access: None, project: Some("p1".into()), ..Default::default() };
        let items = checklist(&p);
        assert_eq!(open(&items), [Step::OutOfSandbox, Step::FirstUpload, Step::FirstSend, Step::FirstReport]);
        assert_eq!(items[1].done, None, "SES did not say: neither ticked nor refused");
        assert_eq!(items[3].next.as_deref(), Some("/console/projects/p1/uploads"));
        p.uploaded = Some("p2".into());
        let items = checklist(&p);
        assert_eq!(items[4].next.as_deref(), Some("/console/projects/p2/sends/new"), "send from the project with a list");
        p.sent = Some("p2".into());
        let items = checklist(&p);
        assert_eq!(open(&items), [Step::OutOfSandbox, Step::FirstReport]);
        assert_eq!(items[5].next.as_deref(), Some("/console/projects/p2/dashboard"));
        p.report_generated = true;
        assert!(checklist(&p)[5].next.is_none());
    }

    #[test]
    fn a_configured_rate_over_the_quota_is_flagged() {
        assert!(rate_exceeds_quota(14.0, 1.0));
        assert!(!rate_exceeds_quota(14.0, 14.0));
    }

    #[test]
    fn secrets_and_keys_are_withheld_by_name_and_addresses_masked() {
        let s = withhold_secrets([
            ("CORE_TABLE", "pulse-core".to_string()),
            ("LINKS_KEY_ID", "1234abcd".to_string()),
            ("SECRETS_PREFIX", "pulse/salesforce/".to_string()),
            ("AWS_SESSION_TOKEN", "tok".to_string()),
            ("API_PASSWORD", "hunter2".to_string()),
            ("SENDER_EMAIL", "surveys@example.com".to_string()),
        ]);
        assert_eq!(s.withheld, ["API_PASSWORD", "AWS_SESSION_TOKEN", "LINKS_KEY_ID", "SECRETS_PREFIX"]);
        assert_eq!(s.values["CORE_TABLE"], "pulse-core");
        assert!(!s.values["SENDER_EMAIL"].contains("surveys@example.com"), "{:?}", s.values);
        let text = serde_json::to_string(&s).unwrap();
        for secret in ["1234abcd", "tok\"", "hunter2", "pulse/salesforce/"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    #[test]
    fn a_keyless_name_is_not_withheld() {
        assert!(!is_secret_name("CORE_TABLE"));
        assert!(!is_secret_name("SES_SEND_RATE"));
        assert!(!is_secret_name("USER_POOL_CLIENT_ID"));
        assert!(is_secret_name("pepper"));
    }

    #[test]
    fn a_recorded_error_keeps_no_address_and_no_raw_path() {
        let e = ErrorRecord::new(
            "2025-01-01T00:00:00Z",
            "admin-api",
            "GET",
            &console_route("/console/projects/p-123/contacts/ada@example.com"),
            500,
            "internal",
            "failed for ada@example.com: <script>",
            "req-1",
        );
        assert_eq!(e.route, "/console/projects/{id}/contacts/{id}");
        assert!(!serde_json::to_string(&e).unwrap().contains("ada@example.com"));
        assert_eq!(console_route("/console/help/status"), "/console/help/status");
    }
}
