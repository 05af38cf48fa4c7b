//! `send-distribution`: invitations through SES v2, fanned out over the send
//! queue, and the schedule of due work.
//!
//! Queue messages ([`SendJob`]):
//! * `Plan`: one page of a distribution's list becomes `Invite` messages of
//!   [`CONTACTS_PER_MESSAGE`] contacts; the plan cursor moves only from the
//!   page it started at, so a repeated page is counted once; the next page
//!   is queued.
//! * `Invite`: the message's ledger entries and suppressions are read at
//!   once; each contact is checked (cancelled, invalid address, erased,
//!   suppressed or unsubscribed, quiet period), its send taken from the
//!   global per-second budget (a message's at once), claimed by putting its
//!   personal link (the same for every attempt, so the put is the claim),
//!   charged to the project's account (budgeted projects: once per
//!   invitation; with the month's budget used up it is skipped as over
//!   budget, not queued) and sent. The message's outcomes are settled
//!   together, with the distribution's counters and the report buckets, in
//!   one transaction, and the emails' origins noted in one batch. A hold
//!   that ran out without a settlement means an earlier attempt may have
//!   died between SES and the settlement: it is counted as failed and never
//!   sent again.
//! * `Remind`: one page of invitations; each sent one whose link has no
//!   response gets the reminder once (claimed the same way).
//! * `TestEmail`: an operator's test email.
//!
//! SES feedback (SNS, from the configuration set invitations are sent
//! through): a permanent bounce or a complaint suppresses the address in the
//! project the email was tagged with.
//!
//! The EventBridge schedule (every minute) starts distributions whose send
//! time has come (scheduled and triggered sends) and queues due reminders.
//!
//! A message that cannot be finished is reported in `batchItemFailures`, so
//! only it is retried.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::time::Duration;

use aws_lambda_events::event::sns::SnsEvent;
use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use lambda_runtime::LambdaEvent;
use pulse_shared::domain::budget::Record;
use pulse_shared::domain::distribution::{rate_window, retry_delay, sends_to_take, DistState, Fill, Message, Skip, CONTACTS_PER_MESSAGE};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::invitation::{
    decide_claim, ClaimOver, Expect, FailKind, InviteState, LinkClaim, Settle, NO_MESSAGE, UNKNOWN_DELIVERY,
};
use pulse_shared::domain::jobs::{InviteContact, SendJob};
use pulse_shared::domain::links::{new_id, ContactSnapshot, Link, LinkKind};
use pulse_shared::domain::mail::{mask_addresses, valid_email, OutgoingEmail, SendFailure};
use pulse_shared::domain::project::Project;
use pulse_shared::render::mail::invitation;
use pulse_shared::store::budgets::Charged;
use pulse_shared::store::distributions::{Distribution, Outcome, ReminderClaim};
use pulse_shared::{clock, App, Error};
use serde_json::{json, Value};

/// List members read per `Plan` message.
const PLAN_PAGE: i32 = 500;

/// Invitations read per `Remind` message.
const REMIND_PAGE: i32 = 100;

/// Time kept free before the invocation's deadline: no contact is started
/// later than this.
const DEADLINE_MARGIN: Duration = Duration::from_secs(10);

/// How long one contact's claim holds (its send takes far less).
const CLAIM_FOR: Duration = Duration::from_secs(60);

/// The Lambda handler, for queue messages, SES feedback and the schedule.
pub async fn handle<S: Directory + Mail + Distributions + Queue + Invitations + Links + Budgets + Projects + Guard>(
    app: &App<S>,
    event: LambdaEvent<Value>,
) -> Result<Value, Error> {
    if event.payload["Records"][0]["EventSource"] == "aws:sns" {
        let sns: SnsEvent =
            serde_json::from_value(event.payload).map_err(|e| Error::bad_request(format!("the SNS event could not be read: {e}")))?;
        return feedback(app, &sns).await;
    }
    if event.payload["Records"][0]["eventSource"] == "aws:sqs" {
        let sqs: SqsEvent =
            serde_json::from_value(event.payload).map_err(|e| Error::bad_request(format!("the SQS event could not be read: {e}")))?;
        let deadline_ms = event.context.deadline;
        let mut failures = Vec::new();
        for message in &sqs.records {
            let id = message.message_id.clone().unwrap_or_default();
            if clock::now_ms() + DEADLINE_MARGIN.as_millis() as u64 >= deadline_ms {
                // out of time: the message comes back after its visibility timeout
                tracing::warn!(message_id = %id, "no time left in this invocation; left for redelivery");
                failures.push(json!({ "itemIdentifier": id }));
                continue;
            }
            if let Err(e) = process(app, message, deadline_ms).await {
                if e.send_failure() == Some(SendFailure::Transient) {
                    // SES throttles or fails for now: back off before the redelivery
                    let receives = message.attributes.get("ApproximateReceiveCount").and_then(|n| n.parse().ok()).unwrap_or(1);
                    let delay = retry_delay(receives, fastrand::u32(..));
                    tracing::warn!(message_id = %id, delay, error = %mask_addresses(&pulse_shared::error::chain(&e)), "SES did not take every email; the message comes back after a backoff");
                    if let Some(receipt) = &message.receipt_handle {
                        if let Err(e) = app.aws.retry_send_later(receipt, delay).await {
                            tracing::warn!(message_id = %id, error = %mask_addresses(&pulse_shared::error::chain(&e)), "the backoff could not be set; the queue's visibility timeout applies");
                        }
                    }
                } else {
                    tracing::error!(message_id = %id, error = %mask_addresses(&pulse_shared::error::chain(&e)), "send job not finished; it will be retried");
                }
                failures.push(json!({ "itemIdentifier": id }));
            }
        }
        return Ok(json!({ "batchItemFailures": failures }));
    }
    dispatch_due(app).await
}

async fn process<S: Mail + Directory + Queue + Distributions + Invitations + Links + Budgets + Projects + Guard>(
    app: &App<S>,
    message: &SqsMessage,
    deadline_ms: u64,
) -> Result<(), Error> {
    let body = message.body.as_deref().unwrap_or_default();
    let job: SendJob = serde_json::from_str(body).map_err(|e| Error::bad_request(format!("unreadable send job: {e}")))?;
    match job {
        SendJob::TestEmail { to, subject, text, html } => {
            let email = OutgoingEmail { to: vec![to], subject, text, html, headers: Vec::new() };
            let id = app.aws.send_email(&email).await?;
            tracing::info!(ses_message_id = %id, "test email sent");
            Ok(())
        }
        SendJob::Plan { project_id, distribution_id, after } => plan(app, &project_id, &distribution_id, after.as_deref()).await,
        SendJob::Invite { project_id, distribution_id, contacts } => {
            invite(app, &project_id, &distribution_id, &contacts, deadline_ms).await
        }
        SendJob::Remind { project_id, distribution_id, after } => {
            remind(app, &project_id, &distribution_id, after.as_deref(), deadline_ms).await
        }
    }
}

async fn load<S: Projects + Distributions>(
    app: &App<S>,
    project_id: &str,
    distribution_id: &str,
) -> Result<Option<(Project, Distribution)>, Error> {
    // a project deleted while its messages waited: nothing is sent any more
    let Some(project) = app.aws.get_project(project_id).await? else {
        tracing::info!(distribution_id, "the distribution's project is deleted; nothing to send");
        return Ok(None);
    };
    let d = app
        .aws
        .get_distribution(project_id, distribution_id)
        .await?
        .ok_or_else(|| Error::not_found(format!("distribution {distribution_id} of project {project_id}")))?;
    Ok(Some((project, d)))
}

/// Splits one page of the list into invite messages.
async fn plan<S: Directory + Queue + Distributions + Projects>(
    app: &App<S>,
    project_id: &str,
    distribution_id: &str,
    after: Option<&str>,
) -> Result<(), Error> {
    let Some((_, d)) = load(app, project_id, distribution_id).await? else { return Ok(()) };
    if d.state != DistState::Planning || d.plan_cursor.as_deref() != after {
        tracing::info!(distribution_id, state = ?d.state, "page planned before or distribution not planning; nothing to do");
        return Ok(());
    }
    let (members, next) = app.aws.list_members(&d.list_id, after, PLAN_PAGE).await?;
    let contacts: Vec<InviteContact> = members
        .into_iter()
        .map(|c| InviteContact {
            email: c.email,
            email_key: c.email_key,
            first_name: c.first_name,
            last_name: c.last_name,
            fields: c.fields,
            language: None,
        })
        .collect();
    for chunk in contacts.chunks(CONTACTS_PER_MESSAGE) {
        let job =
            SendJob::Invite { project_id: project_id.to_string(), distribution_id: distribution_id.to_string(), contacts: chunk.to_vec() };
        app.aws.enqueue(&job).await?;
    }
    let count = contacts.len() as u64;
    if !app.aws.planned_page(project_id, distribution_id, after, next.as_deref(), count).await? {
        return Ok(());
    }
    match next {
        Some(n) => {
            let job = SendJob::Plan { project_id: project_id.to_string(), distribution_id: distribution_id.to_string(), after: Some(n) };
            app.aws.enqueue(&job).await?;
        }
        None => planned_all(app, &d).await?,
    }
    Ok(())
}

/// Every contact is planned: the reminder goes on the schedule, and an
/// empty distribution is done at once.
async fn planned_all<S: Distributions>(app: &App<S>, d: &Distribution) -> Result<(), Error> {
    if let Some(r) = &d.reminder {
        // the reminder's days count from the send time, as the progress
        // page tells them
        let now = app.clock.now_ms();
        let at = d.reminder_due_ms().unwrap_or(now + u64::from(r.after_days) * 86_400_000);
        app.aws.schedule_due(at, "reminder", &d.project_id, &d.id).await?;
    }
    finish_if_settled(app, &d.project_id, &d.id).await
}

async fn finish_if_settled<S: Distributions>(app: &App<S>, project_id: &str, distribution_id: &str) -> Result<(), Error> {
    let Some(d) = app.aws.get_distribution(project_id, distribution_id).await? else { return Ok(()) };
    if d.planned_all && d.counts.settled() >= d.counts.planned && d.state == DistState::Sending {
        app.aws.move_distribution(project_id, distribution_id, &[DistState::Sending], DistState::Done, &app.clock.now()).await?;
        tracing::info!(distribution_id, sent = d.counts.sent, skipped = d.counts.skipped(), failed = d.counts.failed, "distribution done");
    }
    Ok(())
}

/// The message for a contact: its language if the distribution has it,
/// else the project's default.
fn message_for<'a>(
    messages: &'a std::collections::BTreeMap<Lang, Message>,
    project: &Project,
    lang: Option<Lang>,
) -> Option<(Lang, &'a Message)> {
    let default = project.settings.languages.first().copied().unwrap_or(Lang::En);
    lang.and_then(|l| messages.get(&l).map(|m| (l, m)))
        .or_else(|| messages.get(&default).map(|m| (default, m)))
        .or_else(|| messages.iter().next().map(|(l, m)| (*l, m)))
}

/// Waits for a send from the stack's one per-second budget, shared by
/// every kind of email.
async fn throttle<S: Distributions>(app: &App<S>) -> Result<(), Error> {
    pulse_shared::store::mail::send_slot(&app.aws, app.config.ses_send_rate).await
}

/// Sends through the configuration set, tagged with the project and the
/// distribution, so that a bounce or complaint comes back to both; the
/// email's id is noted with them too, for feedback in SES's classic form
/// (no tags). That note is not worth an email: if it cannot be written,
/// the send stands and the warning says so.
async fn send<S: Mail + Invitations>(
    app: &App<S>,
    email: &OutgoingEmail,
    project_id: &str,
    distribution_id: &str,
) -> Result<String, Error> {
    let tags = [("project_id", project_id), ("distribution_id", distribution_id)];
    let message_id = app.aws.send_tracked(email, &tags).await?;
    if let Err(e) = app.aws.note_message(&message_id, project_id, distribution_id, app.clock.now_ms()).await {
        tracing::warn!(distribution_id, error = %mask_addresses(&pulse_shared::error::chain(&e)), "the email's origin was not noted; classic SES feedback about it finds no project");
    }
    Ok(message_id)
}

/// Who an email goes to.
struct Who<'a> {
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    fields: &'a std::collections::BTreeMap<String, String>,
}

/// An invitation or reminder with the contact's survey and unsubscribe links.
fn compose<S: Send + Sync>(
    app: &App<S>,
    project: &Project,
    published: Option<&pulse_shared::domain::survey::Definition>,
    token: &str,
    who: &Who,
    lang: Lang,
    message: &Message,
) -> OutgoingEmail {
    // the survey opens in the email's language (the respondent can still switch)
    let survey = format!("{}/s/{token}?lang={}", app.config.public_base_url, lang.code());
    let unsubscribe = format!("{}/unsubscribe/{token}", app.config.public_base_url);
    let fill = Fill {
        first_name: who.first_name,
        last_name: who.last_name,
        email: who.email,
        organisation: &project.settings.organisation_name,
        survey_link: &survey,
        unsubscribe_link: &unsubscribe,
        fields: who.fields,
    };
    let rating = published.and_then(|d| pulse_shared::render::mail::EmailRating::of(d, lang));
    invitation(who.email, lang, message, &fill, rating.as_ref())
}

/// Invites one message's contacts. The ledger is read for all of them at
/// once (a redelivered message finds its contacts settled in one read);
/// each contact to be sent is claimed by putting its personal link, which
/// is the same for every attempt, so the link is the claim; the sends are
/// taken from the per-second budget together; and the outcomes are settled
/// together, with the counters they move, in one transaction, then the
/// emails' origins noted in one batch. What was decided is settled even
/// when the message stops early (an error, the invocation's time).
async fn invite<S: Invitations + Directory + Links + Distributions + Budgets + Projects + Mail + Guard>(
    app: &App<S>,
    project_id: &str,
    distribution_id: &str,
    contacts: &[InviteContact],
    deadline_ms: u64,
) -> Result<(), Error> {
    let Some((project, d)) = load(app, project_id, distribution_id).await? else { return Ok(()) };
    if d.state == DistState::Paused {
        // resuming plans the distribution again: these contacts come back then
        tracing::info!(distribution_id, "the distribution is paused; this message's contacts wait for its resumption");
        return Ok(());
    }
    let mut run = Run::new(project_id, distribution_id);
    let stopped = invite_each(app, &project, &d, contacts, deadline_ms, &mut run).await;
    // settled whatever happened after: a stop loses nothing decided
    run.flush(app).await?;
    finish_if_settled(app, project_id, distribution_id).await?;
    match stopped? {
        Ended::Done { busy: 0 } => Ok(()),
        Ended::Done { busy } => {
            Err(Error::Conflict(format!("{busy} invitations are being sent by another invocation; this message comes back later")))
        }
        Ended::Passing(e) => Err(e),
        Ended::Paused => Ok(()),
    }
}

/// How a message's run ended (an error ends it too).
enum Ended {
    /// Every contact decided; `busy` held by another invocation.
    Done { busy: u32 },
    /// SES did not take some for now: the message comes back for them.
    Passing(Error),
    /// SES refuses the sender: the distribution was paused.
    Paused,
}

/// What one message's run has decided and not yet written.
struct Run {
    project_id: String,
    distribution_id: String,
    /// This run's id on the links it holds.
    attempt: String,
    settles: Vec<Settle>,
    /// SES's ids of the emails sent, to note with their origin.
    sent: Vec<String>,
    /// When the oldest hold not yet settled was taken.
    oldest_hold_ms: Option<u64>,
    tokens: Tokens,
}

impl Run {
    fn new(project_id: &str, distribution_id: &str) -> Self {
        Run {
            project_id: project_id.to_string(),
            distribution_id: distribution_id.to_string(),
            attempt: new_id(),
            settles: Vec::new(),
            sent: Vec::new(),
            oldest_hold_ms: None,
            tokens: Tokens::default(),
        }
    }

    /// Decides a contact's outcome (`email_key`: the contact's, or an
    /// erased person's keyed hash), to be written with the others.
    fn settle(&mut self, email_key: &str, outcome: Outcome, c: &InviteContact, held: Held, expect: Expect, at: &str) {
        self.settles.push(Settle {
            email_key: email_key.to_string(),
            outcome,
            fields: c.fields.clone(),
            link: held.link.to_string(),
            charged: held.charged,
            expect,
            at: at.to_string(),
        });
    }

    /// Writes what was decided: the settlements in one transaction (a
    /// refused email's charge given back once it is settled), then the sent
    /// emails' origins. A note that cannot be written is not worth an
    /// email: the sends stand and the warning says so.
    async fn flush<S: Invitations + Budgets>(&mut self, app: &App<S>) -> Result<(), Error> {
        self.oldest_hold_ms = None;
        let settles = std::mem::take(&mut self.settles);
        if !settles.is_empty() {
            let written = app.aws.settle_invites(&self.project_id, &self.distribution_id, &settles).await?;
            for (s, _) in settles.iter().zip(written).filter(|(_, w)| *w) {
                let Outcome::Failed(reason) = &s.outcome else { continue };
                if let Some((account_id, month)) = &s.charged {
                    // not sent: the budget gets it back
                    app.aws.refund(account_id, month).await?;
                }
                if FailKind::of(reason) == FailKind::Refused && !s.link.is_empty() {
                    // never sent: sending it again (on request) takes its link over at once
                    app.aws.release_link(&s.link, &self.attempt).await?;
                }
            }
        }
        let sent = std::mem::take(&mut self.sent);
        if !sent.is_empty() {
            if let Err(e) = app.aws.note_messages(&sent, &self.project_id, &self.distribution_id, app.clock.now_ms()).await {
                tracing::warn!(distribution_id = %self.distribution_id, error = %mask_addresses(&pulse_shared::error::chain(&e)), "the emails' origin was not noted; classic SES feedback about them finds no project");
            }
        }
        Ok(())
    }

    /// Settles early when the oldest hold is half way to running out, so
    /// that no hold runs out before its settlement.
    async fn flush_if_old<S: Invitations + Budgets>(&mut self, app: &App<S>) -> Result<(), Error> {
        let half = CLAIM_FOR.as_millis() as u64 / 2;
        if self.oldest_hold_ms.is_some_and(|t| app.clock.now_ms() >= t + half) {
            self.flush(app).await?;
        }
        Ok(())
    }
}

/// The link an invitation holds, and the charge it made.
struct Held<'a> {
    link: &'a str,
    charged: Option<(String, String)>,
}

/// A contact decided before any link.
const NO_LINK: Held = Held { link: "", charged: None };

/// Sends taken from the stack's per-second budget for a message at once,
/// as many as this sender can use in the rest of the second
/// ([`sends_to_take`], at the pace it has kept so far).
struct Tokens {
    window: u64,
    left: u32,
    /// When the last send was handed out, and the time a send has taken
    /// (a moving average, from one send to the next).
    last_ms: Option<u64>,
    pace_ms: u64,
}

impl Default for Tokens {
    fn default() -> Self {
        // SES answers in some tens of milliseconds: a first guess
        Tokens { window: 0, left: 0, last_ms: None, pace_ms: 50 }
    }
}

impl Tokens {
    /// One send, from those taken for this second or, with none left, from
    /// up to `want` more taken at once (waiting for the next second when
    /// this one's budget is spent). Those not used are left unused: never
    /// more than the rate in any second.
    async fn one<S: Distributions>(&mut self, app: &App<S>, want: u32) -> Result<(), Error> {
        if let Some(last) = self.last_ms {
            self.pace_ms = (3 * self.pace_ms + clock::now_ms().saturating_sub(last)) / 4;
        }
        loop {
            let now = clock::now_ms();
            let window = rate_window(now);
            if window == self.window && self.left > 0 {
                self.left -= 1;
                self.last_ms = Some(now);
                return Ok(());
            }
            let take = sends_to_take(want, 1000 - now % 1000, self.pace_ms);
            let got = app.aws.take_send_tokens(window, app.config.ses_send_rate, take).await?;
            if got > 0 {
                (self.window, self.left) = (window, got - 1);
                self.last_ms = Some(clock::now_ms());
                return Ok(());
            }
            // until the next second, a little jitter so that waiting senders do not all retry at once
            tokio::time::sleep(Duration::from_millis(1000 - now % 1000 + fastrand::u64(0..20))).await;
        }
    }
}

/// Decides and sends each contact of a message (see [`invite`]).
async fn invite_each<S: Invitations + Directory + Links + Distributions + Budgets + Projects + Mail + Guard>(
    app: &App<S>,
    project: &Project,
    d: &Distribution,
    contacts: &[InviteContact],
    deadline_ms: u64,
    run: &mut Run,
) -> Result<Ended, Error> {
    let (project_id, distribution_id) = (project.id.as_str(), d.id.as_str());
    // the survey the links lead to: its 0–10 question goes in the email too
    let published = match project.published_version {
        Some(v) => app.aws.get_version(project_id, v).await?,
        None => None,
    };
    // most projects never erased anyone: only then are addresses hashed
    let erasures = app.aws.has_erasures(project_id).await?;
    let keys: Vec<String> = contacts.iter().map(|c| c.email_key.clone()).collect();
    // the message's suppressions and ledger entries, each in one read
    let suppressed = app.aws.suppressions_of(project_id, &keys).await?;
    let ledger = app.aws.invites_at(distribution_id, &keys).await?;
    let quiet_days = d.quiet_days(project.settings.quiet_period_days);
    let mut busy = 0;
    // a passing SES refusal: the rest go on, and the message comes back for it
    let mut passing: Option<Error> = None;
    for (i, c) in contacts.iter().enumerate() {
        if clock::now_ms() + DEADLINE_MARGIN.as_millis() as u64 >= deadline_ms {
            // a low send rate can make 25 invitations outlast the invocation:
            // stop in time; the message comes back and skips what is settled
            return Err(Error::Conflict(
                "the invocation's time ran out before every contact of the message was invited; it comes back for the rest".into(),
            ));
        }
        run.flush_if_old(app).await?;
        let (now, now_ms) = (app.clock.now(), app.clock.now_ms());
        // what the ledger holds: settled, or claimed by a version before this one
        let expect = match ledger.get(&c.email_key) {
            None => Expect::Absent,
            Some(found) => match decide_claim(Some(found), now_ms) {
                ClaimOver::Settled => continue,
                ClaimOver::Busy => {
                    busy += 1;
                    continue;
                }
                ClaimOver::Unknown => {
                    let unknown = Outcome::Failed(format!("{UNKNOWN_DELIVERY}: an earlier attempt stopped while sending"));
                    run.settle(
                        &c.email_key,
                        unknown,
                        c,
                        Held { link: &found.link, charged: None },
                        Expect::State(InviteState::Sending),
                        &now,
                    );
                    continue;
                }
                ClaimOver::Reclaim => Expect::State(InviteState::Claimed),
            },
        };
        let skip = if d.state == DistState::Cancelled {
            Some((c.email_key.clone(), Skip::Cancelled))
        } else if !valid_email(&c.email) {
            Some((c.email_key.clone(), Skip::Invalid))
        } else if let Some(subject) = if erasures { erased(app, project_id, &c.email_key).await? } else { None } {
            // recorded under the keyed hash, never the address again
            Some((subject, Skip::Erased))
        } else {
            suppressed.get(&c.email_key).map(|s| (c.email_key.clone(), Skip::from_suppression(&s.reason)))
        };
        if let Some((key, skip)) = skip {
            // an erased person's entry is under the keyed hash: a new one
            let expect = if key == c.email_key { expect } else { Expect::Absent };
            run.settle(&key, Outcome::Skipped(skip), c, NO_LINK, expect, &now);
            continue;
        }
        if !app.aws.mark_invited(project_id, &c.email_key, distribution_id, now_ms, quiet_days).await? {
            run.settle(&c.email_key, Outcome::Skipped(Skip::QuietPeriod), c, NO_LINK, expect, &now);
            continue;
        }
        let Some((lang, message)) = message_for(&d.messages, project, c.language) else {
            run.settle(&c.email_key, Outcome::Failed(NO_MESSAGE.into()), c, NO_LINK, expect, &now);
            continue;
        };
        // the send, from the second's budget, before the hold: a hold is
        // handed to SES at once
        run.tokens.one(app, (contacts.len() - i) as u32).await?;
        let now_ms = app.clock.now_ms();
        // the personal link, kept only under its token's keyed hash: the
        // token lives in this invocation and the email, nowhere else
        let kind = LinkKind::Personal {
            contact: ContactSnapshot {
                email: c.email.clone(),
                first_name: c.first_name.clone(),
                last_name: c.last_name.clone(),
                fields: c.fields.clone(),
                language: c.language,
            },
            response_id: new_id(),
            distribution_id: Some(distribution_id.to_string()),
        };
        let (token, link) = app.invitation_link(project_id, distribution_id, &c.email_key, kind, &now).await?;
        let until_ms = now_ms + CLAIM_FOR.as_millis() as u64;
        let never_sent = expect != Expect::Absent;
        let mut charged = match app.aws.claim_link(&link, &run.attempt, until_ms, now_ms, never_sent).await? {
            LinkClaim::Claimed => None,
            LinkClaim::Retaken { charged } => charged,
            LinkClaim::Busy => {
                busy += 1;
                continue;
            }
            LinkClaim::Unknown => {
                tracing::warn!(distribution_id, "an earlier attempt stopped while handing this invitation to SES; it is not sent again");
                let unknown = Outcome::Failed(format!("{UNKNOWN_DELIVERY}: an earlier attempt stopped while sending"));
                run.settle(&c.email_key, unknown, c, Held { link: &link.id, charged: None }, expect, &now);
                continue;
            }
        };
        run.oldest_hold_ms.get_or_insert(now_ms);
        // The budget: an invitation counts when it is sent, so it is charged
        // now, once (an earlier attempt's charge stands); with the budget
        // used up it is skipped, not queued, its link dropped and its
        // frequency mark taken back.
        if let (Some(account_id), None) = (&project.settings.account_id, &charged) {
            if let Some(charge) = app.aws.prepare_charge(account_id, now_ms, Record::Invitation).await? {
                match app.aws.charge_link(&link.id, &run.attempt, &charge).await? {
                    Charged::Done => charged = Some((charge.account_id, charge.month)),
                    // taken over by another invocation meanwhile
                    Charged::ItemsRefused(_) => continue,
                    Charged::OverBudget => {
                        app.aws.drop_link(&link.id, &run.attempt).await?;
                        app.aws.unmark_invited(project_id, &c.email_key, distribution_id, now_ms).await?;
                        run.settle(&c.email_key, Outcome::Skipped(Skip::OverBudget), c, NO_LINK, expect, &now);
                        continue;
                    }
                }
            }
        }
        let who = Who { email: &c.email, first_name: &c.first_name, last_name: &c.last_name, fields: &c.fields };
        let email = compose(app, project, published.as_ref(), &token, &who, lang, message);
        // tagged with the project and the distribution, so that a bounce or
        // complaint comes back to both
        let tags = [("project_id", project_id), ("distribution_id", distribution_id)];
        match app.aws.send_tracked(&email, &tags).await {
            Ok(message_id) => {
                run.sent.push(message_id.clone());
                run.settle(&c.email_key, Outcome::Sent { message_id }, c, Held { link: &link.id, charged }, expect, &app.clock.now());
            }
            Err(e) => {
                // SES answered with an error: nothing was sent
                let reason = pulse_shared::error::chain(&e);
                match e.send_failure().unwrap_or(SendFailure::Transient) {
                    SendFailure::Transient => {
                        tracing::warn!(distribution_id, reason = %mask_addresses(&reason), "SES did not take the invitation for now; it is sent on the redelivery");
                        app.aws.release_link(&link.id, &run.attempt).await?;
                        passing = Some(e);
                    }
                    SendFailure::Sender => {
                        app.aws.release_link(&link.id, &run.attempt).await?;
                        if app.aws.pause_distribution(project_id, distribution_id, &reason).await? {
                            tracing::error!(distribution_id, reason = %mask_addresses(&reason), "SES refuses the sender: the distribution is paused and nobody is failed for it");
                        }
                        return Ok(Ended::Paused);
                    }
                    SendFailure::Recipient => {
                        tracing::warn!(distribution_id, reason = %mask_addresses(&reason), "invitation refused by SES");
                        run.settle(&c.email_key, Outcome::Failed(reason), c, Held { link: &link.id, charged }, expect, &app.clock.now());
                    }
                }
            }
        }
    }
    Ok(match passing {
        Some(e) => Ended::Passing(e),
        None => Ended::Done { busy },
    })
}

/// The link an invitation was sent with, by its id (an invitation kept
/// before tokens were hashed names its token: that link is re-keyed).
async fn invitation_link<S: Links + Guard>(app: &App<S>, link: &str) -> Result<Option<Link>, Error> {
    match app.aws.get_link(link).await? {
        Some(found) => Ok(Some(found)),
        None => app.link_of_token(link).await,
    }
}

/// Sends the reminder to one page of invitations without a response.
async fn remind<S: Invitations + Links + Directory + Budgets + Queue + Projects + Distributions + Mail + Guard>(
    app: &App<S>,
    project_id: &str,
    distribution_id: &str,
    after: Option<&str>,
    deadline_ms: u64,
) -> Result<(), Error> {
    let Some((project, d)) = load(app, project_id, distribution_id).await? else { return Ok(()) };
    // the survey the links lead to: its 0–10 question goes in the email too
    let published = match project.published_version {
        Some(v) => app.aws.get_version(project_id, v).await?,
        None => None,
    };
    let Some(reminder) = &d.reminder else { return Ok(()) };
    if d.state == DistState::Cancelled {
        return Ok(());
    }
    let (invites, next) = app.aws.invites(distribution_id, after, REMIND_PAGE).await?;
    let mut passing: Option<Error> = None;
    for inv in invites.iter().filter(|i| i.awaits_reminder()) {
        if clock::now_ms() + DEADLINE_MARGIN.as_millis() as u64 >= deadline_ms {
            return Err(Error::Conflict("the invocation's time ran out during the reminders; the page comes back for the rest".into()));
        }
        let Some(invited) = invitation_link(app, &inv.link).await? else { continue };
        if app.aws.link_answered(&invited.id).await? {
            continue;
        }
        let LinkKind::Personal { contact, .. } = &invited.kind else { continue };
        let suppressed = app.aws.get_suppression(project_id, &inv.email_key).await?.is_some();
        let chosen = message_for(&reminder.messages, &project, contact.language).filter(|_| !suppressed);
        // a reminder counts against the budget like an invitation: charged
        // with its claim, skipped for good when the budget is used up
        let charge = match (&project.settings.account_id, chosen.is_some()) {
            (Some(account_id), true) => app.aws.prepare_charge(account_id, app.clock.now_ms(), Record::Reminder).await?,
            _ => None,
        };
        match app.aws.claim_reminder(project_id, distribution_id, &inv.email_key, charge.as_ref()).await? {
            ReminderClaim::Claimed => {}
            ReminderClaim::Taken | ReminderClaim::OverBudget => continue,
        }
        let Some((lang, message)) = chosen else {
            app.aws.settle_reminder(project_id, distribution_id, &inv.email_key, false).await?;
            continue;
        };
        // a reminder is an email like any other: it keeps to the quiet period
        // (another distribution's invitation since) and starts it anew
        let quiet_days = d.quiet_days(project.settings.quiet_period_days);
        if !app.aws.mark_invited(project_id, &inv.email_key, distribution_id, app.clock.now_ms(), quiet_days).await? {
            tracing::info!(distribution_id, "reminder skipped: the contact was invited by another distribution within the quiet period");
            app.aws.settle_reminder(project_id, distribution_id, &inv.email_key, false).await?;
            if let Some(c) = &charge {
                app.aws.refund(&c.account_id, &c.month).await?;
            }
            continue;
        }
        // the invitation's token was never kept: the reminder carries a new
        // link to the same response (its id fixed at the invitation), working
        // its days from now
        let (token, again) = app.mint_link(project_id, invited.kind.clone(), &app.clock.now()).await?;
        app.aws.put_link(&again).await?;
        let who = Who { email: &contact.email, first_name: &contact.first_name, last_name: &contact.last_name, fields: &contact.fields };
        let email = compose(app, &project, published.as_ref(), &token, &who, lang, message);
        throttle(app).await?;
        match send(app, &email, project_id, distribution_id).await {
            Ok(_) => app.aws.settle_reminder(project_id, distribution_id, &inv.email_key, true).await?,
            Err(e) => {
                let reason = pulse_shared::error::chain(&e);
                // not sent: the budget gets it back either way
                if let Some(c) = &charge {
                    app.aws.refund(&c.account_id, &c.month).await?;
                }
                if e.send_failure() == Some(SendFailure::Recipient) {
                    tracing::warn!(distribution_id, reason = %mask_addresses(&reason), "reminder refused by SES");
                    app.aws.settle_reminder(project_id, distribution_id, &inv.email_key, false).await?;
                } else {
                    // passing, or the sender's own problem: due again when the page comes back
                    tracing::warn!(distribution_id, reason = %mask_addresses(&reason), "SES did not take the reminder for now; it is sent on the redelivery");
                    app.aws.reminder_unclaimed(distribution_id, &inv.email_key).await?;
                    passing = Some(e);
                }
            }
        }
    }
    if let Some(e) = passing {
        // the page comes back after a backoff; the next page is queued then
        return Err(e);
    }
    if let Some(n) = next {
        let job = SendJob::Remind { project_id: project_id.to_string(), distribution_id: distribution_id.to_string(), after: Some(n) };
        app.aws.enqueue(&job).await?;
    }
    Ok(())
}

/// Suppresses the addresses of permanent bounces and complaints, for a
/// project that exists and an address that is one. Feedback that cannot be
/// read fails the invocation: SNS's invocation is asynchronous, so after
/// Lambda's retries it lands on the on-failure queue (and its alarm)
/// instead of being dropped; an AWS failure is retried the same way.
async fn feedback<S: Directory + Projects + Invitations + Guard>(app: &App<S>, sns: &SnsEvent) -> Result<Value, Error> {
    let mut suppressed = Vec::new();
    let mut hashed = 0;
    for record in &sns.records {
        let f = match pulse_shared::domain::feedback::read(&record.sns.message) {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(message_id = %record.sns.message_id, error = %mask_addresses(&e.to_string()), "SES feedback not understood; kept on the failure queue");
                return Err(Error::bad_request(format!("SES feedback {} not understood: {e}", record.sns.message_id)));
            }
        };
        // the classic form carries no tags: the email's own noted origin
        let origin = match (&f.project_id, &f.message_id, f.reason) {
            (None, Some(message_id), Some(_)) => app.aws.message_origin(message_id).await?,
            _ => None,
        };
        let project_id = f.project_id.as_deref().or(origin.as_ref().map(|(p, _)| p.as_str()));
        let (Some(reason), Some(project_id)) = (f.reason, project_id) else {
            tracing::info!(reason = ?f.reason, project = ?f.project_id, "SES feedback that suppresses nothing");
            continue;
        };
        if app.aws.get_project(project_id).await?.is_none() {
            tracing::warn!(project_id, reason, "SES feedback for a project that does not exist; nothing suppressed");
            continue;
        }
        for address in &f.addresses {
            if !valid_email(address.trim()) {
                tracing::warn!(project_id, reason, "SES feedback names an invalid address; nothing suppressed");
                continue;
            }
            let key = pulse_shared::domain::mail::normalise_email(address);
            app.aws.suppress(project_id, &key, reason, &app.clock.now()).await?;
            if app.aws.has_erasures(project_id).await? {
                if let Some(subject) = erased(app, project_id, &key).await? {
                    // feedback on a mail to a person erased since: the
                    // suppression is kept by keyed hash, not by address
                    app.aws.erase_directory(project_id, &key, &subject, &app.clock.now()).await?;
                    tracing::info!(project_id, reason, "an erased person's feedback kept as a hashed suppression");
                    hashed += 1;
                    continue;
                }
            }
            tracing::info!(project_id, reason, distribution_id = ?f.distribution_id, "address suppressed by SES feedback");
            suppressed.push(json!({ "project_id": project_id, "email_key": key, "reason": reason }));
        }
    }
    Ok(json!({ "suppressed": suppressed, "kept_hashed": hashed }))
}

/// The schedule: starts what is due and queues due reminders.
async fn dispatch_due<S: Distributions + Queue>(app: &App<S>) -> Result<Value, Error> {
    let now = app.clock.now_ms();
    let mut started = Vec::new();
    for due in app.aws.due(now).await? {
        let (p, id) = (&due.project_id, &due.distribution_id);
        match due.kind.as_str() {
            "start" => {
                let Some(d) = app.aws.get_distribution(p, id).await? else {
                    app.aws.done_due(&due.sk).await?;
                    continue;
                };
                let moved = app.aws.move_distribution(p, id, &[DistState::Scheduled], DistState::Planning, &app.clock.now()).await?;
                if moved || (d.state == DistState::Planning && d.plan_cursor.is_none()) {
                    start(app, &d).await?;
                }
            }
            "reminder" => {
                let job = SendJob::Remind { project_id: p.clone(), distribution_id: id.clone(), after: None };
                app.aws.enqueue(&job).await?;
            }
            other => tracing::warn!(kind = other, "unknown due work dropped"),
        }
        app.aws.done_due(&due.sk).await?;
        started.push(json!({ "kind": due.kind, "distribution_id": id }));
    }
    Ok(json!({ "due": started, "now": clock::from_ms(now) }))
}

/// Starts a distribution that is `planning`: a list's is planned page by
/// page; a triggered send's one contact is invited directly.
pub async fn start<S: Queue + Distributions>(app: &App<S>, d: &Distribution) -> Result<(), Error> {
    match &d.trigger {
        Some(t) => {
            let job =
                SendJob::Invite { project_id: d.project_id.clone(), distribution_id: d.id.clone(), contacts: vec![t.contact.clone()] };
            app.aws.enqueue(&job).await?;
            if app.aws.planned_page(&d.project_id, &d.id, None, None, 1).await? {
                planned_all(app, d).await?;
            }
        }
        None => {
            let job = SendJob::Plan { project_id: d.project_id.clone(), distribution_id: d.id.clone(), after: None };
            app.aws.enqueue(&job).await?;
        }
    }
    Ok(())
}

/// The keyed hash of an erased person whom a queued message still names,
/// when the send must be skipped ([`pulse_shared::domain::erasure::may_mail`]).
async fn erased<S: Directory + Guard>(app: &App<S>, project_id: &str, email_key: &str) -> Result<Option<String>, Error> {
    use pulse_shared::domain::guard::{subject_hash, SUBJECT_KEY};
    let subject = subject_hash(app.aws.secret(SUBJECT_KEY).await?.as_slice(), email_key);
    let Some(marker) = app.aws.erased_marker(project_id, &subject).await? else { return Ok(None) };
    let written = app.aws.get_contact(project_id, email_key).await?.map(|c| c.updated_at);
    Ok((!pulse_shared::domain::erasure::may_mail(Some(&marker), written.as_deref())).then_some(subject))
}
