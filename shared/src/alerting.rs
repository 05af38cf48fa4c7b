//! Evaluating a project's metric alerts ([`crate::domain::alerts`]) from
//! the aggregates — day buckets of the project or of a segment, never a
//! scan of responses — after each batch of responses (`notify-thresholds`)
//! and on the daily schedule (`generate-report`).
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
use crate::domain::jobs::ReportJob;
use crate::domain::mail::{mask_addresses, normalise_email};
use crate::domain::project::Project;
use crate::domain::report::record::{ReportRecord, ReportState};
use crate::domain::report::{self, day_text, judge, resolve_segments, Counters, Filter, Verdict};
use crate::ports::{Guard, Notifications, Projects, Queue, Reports};
use crate::render::mail::{metric_alert, MetricAlert};
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
        let fresh = ReportRecord::new(&project.id, report_id.to_string(), source, request, self.clock.now());
        let record = if self.aws.create_report(&fresh).await? {
            fresh
        } else {
            self.aws.get_report(&project.id, report_id).await?.ok_or_else(|| Error::not_found(format!("report {report_id}")))?
        };
        if record.state != ReportState::Done {
            self.aws.enqueue(&ReportJob { project_id: project.id.clone(), report_id: report_id.to_string() }).await?;
        }
        Ok(self.share_report(&record, source).await?.0)
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
