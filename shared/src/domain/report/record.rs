//! A report's record: what was asked, where its files are, its state and
//! its shareable link.

use serde::{Deserialize, Serialize};

use super::Request;

/// The stored state of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    Pending,
    Done,
    Failed,
}

/// A report record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRecord {
    pub project_id: String,
    pub report_id: String,
    /// `on_demand`, or the schedule that made it (`weekly`…).
    pub source: String,
    pub request: Request,
    pub state: ReportState,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default)]
    pub responses: u64,
}

/// One shareable link of a report (`/reports/{token}`). The token itself is
/// shown once, when the link is made, and stored only as its keyed hash,
/// which also names the link for listing and revoking it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLink {
    pub id: String,
    pub report_id: String,
    /// Who it was made for (`on_demand`, `subscribers`, `threshold`, or the
    /// operator's own words).
    pub label: String,
    pub created_at: String,
    /// Epoch seconds after which it opens nothing.
    pub expires_at: u64,
}

/// A share link's URL under the public base URL `base`.
pub fn share_url(base: &str, token: &str) -> String {
    format!("{base}/reports/{token}")
}

/// How long a report's shareable link opens the report.
pub const LINK_DAYS: u64 = 90;

impl ReportRecord {
    /// A new pending report with a fresh link token.
    pub fn new(project_id: &str, report_id: String, source: &str, request: Request, now: String) -> Self {
        ReportRecord {
            project_id: project_id.to_string(),
            report_id,
            source: source.to_string(),
            request,
            state: ReportState::Pending,
            created_at: now,
            finished_at: None,
            error: None,
            responses: 0,
        }
    }

    /// Where its files are in the data bucket.
    pub fn key(&self, file: &str) -> String {
        format!("reports/{}/{}/{file}", self.project_id, self.report_id)
    }
}
