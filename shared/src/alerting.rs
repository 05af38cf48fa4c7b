//! Evaluating a project's metric alerts ([`crate::domain::alerts`]) from
//! the aggregates — day buckets of the project or of a segment, never a
//! scan of responses — and its response-count thresholds
//! ([`App::notify_thresholds`]), after each batch of responses
//! (`notify-thresholds`) and on the daily schedule (`generate-report`).
//!
//! Exactly once under retries and concurrency: an alert is claimed by a
//! conditional write of the rule's state for that scope (one evaluation
//! wins the new episode), then emailed under ledger keys of that episode
//! ([`Notifications::send_once`]), then marked notified. An evaluation that
//! finds a claimed episode not yet notified sends it again; the ledger
//! keeps each email once.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::domain::alerts::{span, state_key, AlertRule, AlertState, Step};
use crate::domain::guard::{subject_hash, SUBJECT_KEY};
use crate::domain::jobs::ReportJob;
use crate::domain::mail::{mask_addresses, normalise_email};
use crate::domain::notify::{due_thresholds, RuleInForce};
use crate::domain::project::Project;
use crate::domain::report::record::{ReportRecord, ReportState};
use crate::domain::report::{self, day_text, judge, resolve_segments, Counters, Filter, Verdict};
use crate::ports::{Guard, Notifications, Projects, Queue, Reports, Responses};
use crate::render::mail::{metric_alert, response_notification, MetricAlert, ResponseNotification};
use crate::{App, Error, Result};

/// What an evaluation did for one rule and scope (for logs and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub rule: String,
    pub scope: Option<String>,
    pub step: &'static str,
}

fn add(into: &mut Counters, from: &Counters) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

impl<S: Projects + Reports + Notifications + Queue + Guard> App<S> {
    /// A report made once under `report_id` (a retried or concurrent caller
    /// finds the same one), queued for `generate-report` until it is done;
    /// returns a fresh share link to it (the token is never stored).
    pub async fn report_once(&self, project: &Project, report_id: &str, source: &str, request: report::Request) -> Result<String> {
        let record = self.report_record_once(project, report_id, source, request).await?;
        Ok(self.share_report(&record, source).await?.0)
    }

    /// The record of a report made once under `report_id` (a retried or
    /// concurrent caller finds the same one), queued for `generate-report`
    /// until it is done.
    async fn report_record_once(&self, project: &Project, report_id: &str, source: &str, request: report::Request) -> Result<ReportRecord> {
        let fresh = ReportRecord::new(&project.id, report_id.to_string(), source, request, self.clock.now());
        let record = if self.aws.create_report(&fresh).await? {
            fresh
        } else {
            self.aws.get_report(&project.id, report_id).await?.ok_or_else(|| Error::not_found(format!("report {report_id}")))?
        };
        if record.state != ReportState::Done {
            self.aws.enqueue(&ReportJob { project_id: project.id.clone(), report_id: report_id.to_string() }).await?;
        }
        Ok(record)
    }

    /// Evaluates every alert rule of `project` on today's aggregates and
    /// emails what fires. Errors of one rule do not stop the others; the
    /// first is returned after all were tried (a retry repeats nothing
    /// that was done).
    pub async fn evaluate_alerts(&self, project: &Project, deadline_ms: u64) -> Result<Vec<Outcome>> {
        let rules = &project.settings.alerts;
        if rules.is_empty() {
            return Ok(vec![]);
        }
        let today = report::day_of(&self.clock.now()).ok_or_else(|| Error::bad_request("the clock cannot be read"))?;
        let def = self.aws.report_definition(project).await?;
        let mut outcomes = Vec::new();
        let mut first_error = None;
        for rule in rules {
            match self.evaluate_rule(project, &def, rule, today, deadline_ms).await {
                Ok(mut o) => outcomes.append(&mut o),
                Err(e) => {
                    tracing::error!(project_id = %project.id, rule = %rule.name, error = %mask_addresses(&e.to_string()), "alert rule not evaluated");
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(outcomes), Err)
    }

    async fn evaluate_rule(
        &self,
        project: &Project,
        def: &crate::domain::survey::Definition,
        rule: &AlertRule,
        today: time::Date,
        deadline_ms: u64,
    ) -> Result<Vec<Outcome>> {
        let sp = span(rule, today);
        let (from, to) = (sp.baseline.0, sp.window.1);
        // (scope value, window counters, baseline counters)
        let mut scopes: BTreeMap<Option<String>, (Counters, Counters)> = BTreeMap::new();
        let dimension = match &rule.segment {
            None => None,
            Some(name) => Some(
                resolve_segments(std::slice::from_ref(name), def, &project.settings.operational_fields)
                    .map_err(|m| Error::bad_field("alerts.segment", m))?
                    .pop()
                    .ok_or_else(|| Error::bad_field("alerts.segment", format!("no segment named {name:?}")))?,
            ),
        };
        let buckets = match &dimension {
            None => self.aws.day_buckets(&project.id, from, to).await?,
            Some(dim) => self.aws.segment_buckets(&project.id, dim, from, to).await?,
        };
        for b in &buckets {
            let Some(day) = b.day else { continue };
            let entry = scopes.entry(b.value.clone()).or_default();
            if (sp.window.0..=sp.window.1).contains(&day) {
                add(&mut entry.0, &b.counters);
            } else if (sp.baseline.0..=sp.baseline.1).contains(&day) {
                add(&mut entry.1, &b.counters);
            }
        }
        if dimension.is_none() {
            // the whole project is judged even on a day without buckets
            scopes.entry(None).or_default();
        }
        let period = rule.window.period(today);
        let min = u64::from(project.settings.min_responses);
        let mut outcomes = Vec::new();
        for (value, (now, base)) in &scopes {
            let verdict = judge(rule, min, now, base);
            let key = state_key(&rule.name, value.as_deref());
            let state = self.aws.alert_state(&project.id, &key).await?;
            let step = crate::domain::alerts::step(state.as_ref(), verdict.fire, verdict.recovered, &period);
            let name = match &step {
                Step::Fire(new) => {
                    if !self.aws.put_alert_state(&project.id, &key, new).await? {
                        // another evaluation took this episode and sends it
                        "lost"
                    } else {
                        self.send_alert(project, rule, dimension.as_ref(), value.as_deref(), &verdict, new, sp, deadline_ms).await?;
                        "fired"
                    }
                }
                Step::Resend => {
                    let s = state.clone().unwrap_or_default();
                    self.send_alert(project, rule, dimension.as_ref(), value.as_deref(), &verdict, &s, sp, deadline_ms).await?;
                    "resent"
                }
                Step::Recover(new) => {
                    self.aws.put_alert_state(&project.id, &key, new).await?;
                    "recovered"
                }
                Step::Nothing => "nothing",
            };
            if name != "nothing" {
                tracing::info!(project_id = %project.id, rule = %rule.name, step = name, "alert rule evaluated");
            }
            outcomes.push(Outcome { rule: rule.name.clone(), scope: value.clone(), step: name });
        }
        Ok(outcomes)
    }

    /// Emails the alert of `state`'s episode to each recipient who has not
    /// opted out (each once, by ledger key), then marks the state notified.
    #[allow(clippy::too_many_arguments)]
    async fn send_alert(
        &self,
        project: &Project,
        rule: &AlertRule,
        dimension: Option<&report::Dimension>,
        value: Option<&str>,
        verdict: &Verdict,
        state: &AlertState,
        sp: crate::domain::alerts::Span,
        deadline_ms: u64,
    ) -> Result<()> {
        let key = state_key(&rule.name, value);
        // the scope's value is hashed into ids: it may hold any character
        let scope_id: String = Sha256::digest(key.as_bytes())[..6].iter().map(|b| format!("{b:02x}")).collect();
        let today = sp.window.1;
        let mut request = report::Request::recent(today, vec![]);
        request.filter = dimension.zip(value).map(|(d, v)| Filter { dimension: d.clone(), value: v.to_string() });
        let report_id = format!("alert-{scope_id}-{}", state.episode);
        let report_url = self.report_once(project, &report_id, "alert", request).await?;
        let opted_out = self.aws.opted_out(&project.id).await?;
        let (window, baseline) = ((day_text(sp.window.0), day_text(sp.window.1)), (day_text(sp.baseline.0), day_text(sp.baseline.1)));
        // the segment as the rule names it
        let scope = rule.segment.as_deref().zip(value);
        for to in &project.settings.notifications.recipients {
            let recipient = normalise_email(to);
            if opted_out.contains(&recipient) {
                continue;
            }
            let token = self.aws.optout_token(&project.id, &recipient).await?;
            let email = metric_alert(&MetricAlert {
                organisation: &project.settings.organisation_name,
                rule,
                scope,
                verdict,
                window: (&window.0, &window.1),
                baseline: (&baseline.0, &baseline.1),
                report_url: &report_url,
                unsubscribe_url: &format!("{}/unsubscribe/{token}", self.config.public_base_url),
                to,
                lang: project.settings.default_language(),
            });
            self.aws.send_once(&project.id, &format!("alert#{scope_id}#{}#{recipient}", state.episode), deadline_ms, &email).await?;
        }
        let notified = AlertState { notified: true, version: state.version + 1, ..state.clone() };
        self.aws.put_alert_state(&project.id, &key, &notified).await?;
        Ok(())
    }
}

/// At most this many thresholds are notified per project and check (the
/// most recent ones), so a rule of `every 1` cannot flood an inbox.
const MAX_THRESHOLDS_PER_CHECK: usize = 5;

/// A threshold's ledger key for one recipient: the threshold and a keyed
/// hash of the address, so the ledger (kept as long as the project) holds
/// no address.
fn ledger_key(threshold: &str, subjects: &[u8], recipient: &str) -> String {
    format!("{threshold}#{}", subject_hash(subjects, recipient))
}

impl<S: Projects + Responses + Reports + Notifications + Queue + Guard> App<S> {
    /// Response notifications: compares `project`'s response count (the
    /// counters the submissions move, summed over its shards) with its rule
    /// (`every N`, `once N`, `off`, counted from when the rule was set) and
    /// emails each due threshold to each recipient who has not opted out,
    /// with the share link of a report of the last four weeks. Each email is
    /// guarded by its ledger entry (the threshold and recipient), so any
    /// number of checks, after each batch of the stream and on the daily
    /// run (which catches what a dropped batch missed), send it once.
    pub async fn notify_thresholds(&self, project: &Project, deadline_ms: u64) -> Result<()> {
        let project_id = project.id.as_str();
        let rule = RuleInForce { rule: project.settings.notifications.rule, since: project.rule_since };
        if project.settings.notifications.recipients.is_empty() {
            return Ok(());
        }
        let (count, nps) = self.aws.project_stats(project).await?;
        let due = due_thresholds(rule, count, MAX_THRESHOLDS_PER_CHECK);
        if due.is_empty() {
            return Ok(());
        }
        let opted_out = self.aws.opted_out(project_id).await?;
        // Only what is still to be sent makes a report, a share link and an
        // opt-out link: a check whose thresholds were all mailed (by an
        // earlier check, or before a retry) makes nothing.
        let subjects = self.aws.secret(SUBJECT_KEY).await?;
        let mut pending = Vec::new();
        for threshold in &due {
            for to in &project.settings.notifications.recipients {
                let recipient = normalise_email(to);
                if opted_out.contains(&recipient) {
                    continue;
                }
                let key = ledger_key(&threshold.ledger_key, subjects.as_slice(), &recipient);
                // an entry under the address itself was written before the
                // ledger hashed its recipients: it counts as sent too
                let legacy = format!("{}#{recipient}", threshold.ledger_key);
                if self.aws.ledger_entry(project_id, &key).await?.is_some() || self.aws.ledger_entry(project_id, &legacy).await?.is_some() {
                    continue;
                }
                pending.push((threshold, to, recipient, key));
            }
        }
        if pending.is_empty() {
            return Ok(());
        }
        let report = self.threshold_report(project).await?;
        let mut first_error = None;
        for (threshold, to, recipient, key) in pending {
            // each email links the report through a link of its own (a
            // share token is shown once, never stored)
            let (report_url, _) = self.share_report(&report, "threshold").await?;
            let token = self.aws.optout_token(project_id, &recipient).await?;
            let email = response_notification(&ResponseNotification {
                organisation: &project.settings.organisation_name,
                reached: threshold.reached,
                count,
                nps,
                report_url: &report_url,
                unsubscribe_url: &format!("{}/unsubscribe/{token}", self.config.public_base_url),
                to,
                lang: project.settings.default_language(),
            });
            if let Err(e) = self.aws.send_once(project_id, &key, deadline_ms, &email).await {
                tracing::error!(project_id, key, error = %mask_addresses(&e.to_string()), "response notification failed");
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// The report a threshold's notification links to, by a share link of
    /// its own (no sign-in needed): the last four weeks, made at most once
    /// per project and hour and shared by every threshold email of that
    /// hour (a retried batch finds it too), queued for `generate-report`;
    /// the link says "in progress" until it is written.
    async fn threshold_report(&self, project: &Project) -> Result<ReportRecord> {
        let now = self.clock.now();
        let today = report::day_of(&now).ok_or_else(|| Error::bad_request("the clock cannot be read"))?;
        let def = self.aws.report_definition(project).await?;
        let report_id = format!("{}h-threshold", now.get(..13).unwrap_or(&now));
        let request = report::Request::recent(today, report::dimensions(&def, &project.settings.operational_fields));
        self.report_record_once(project, &report_id, "threshold", request).await
    }
}
