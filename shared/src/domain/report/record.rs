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
    /// The token of the report's shareable link (`/reports/{token}`).
    pub link_token: String,
    #[serde(default)]
    pub responses: u64,
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
            link_token: crate::domain::links::new_token(),
            responses: 0,
        }
    }

    /// Its shareable link, under the public base URL `base`: for 90 days a
    /// redirect to the HTML report, no sign-in needed.
    pub fn share_url(&self, base: &str) -> String {
        format!("{base}/reports/{}", self.link_token)
    }

    /// Where its files are in the data bucket.
    pub fn key(&self, file: &str) -> String {
        format!("reports/{}/{}/{file}", self.project_id, self.report_id)
    }
}
