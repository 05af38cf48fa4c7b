//! Distribution routes: create (now or scheduled), list, read, cancel, and
//! the events behind triggered sends.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeMap;

use pulse_shared::domain::budget::{invitations_possible, view as budget_view};
use pulse_shared::domain::distribution::{check_every_language, check_messages, check_send_at, DistCounts, DistState, Message, Reminder};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::jobs::{InviteContact, SendJob};
use pulse_shared::domain::links::new_id;
use pulse_shared::domain::mail::normalise_email;
use pulse_shared::domain::project::Project;
use pulse_shared::store::distributions::{Distribution, Triggered};
use pulse_shared::{clock, http as web, App, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::lookup::{check_contact, load};
use crate::routing::{Ctx, Json, Path, Query, Reply};

/// Body of `POST /admin/projects/{id}/distributions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewDistribution {
    list_id: String,
    /// When to start (RFC 3339); now if absent.
    #[serde(default)]
    send_at: Option<String>,
    /// Per language (`en`, `de`, …): {subject, body} of the invitation; every language of the project.
    #[schema(value_type = Object)]
    messages: BTreeMap<Lang, Message>,
    /// {after_days (1-60), messages}: one reminder to those who have not answered.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    reminder: Option<Reminder>,
    /// Days (0-365): contacts invited by another distribution of the project within them are skipped; the project's quiet period if absent.
    #[serde(default)]
    quiet_period_days: Option<u32>,
}

fn view(d: &Distribution) -> Value {
    json!({
        "id": d.id,
        "project_id": d.project_id,
        "list_id": d.list_id,
        "state": d.state,
        "send_at": d.send_at,
        "messages": d.messages,
        "reminder": d.reminder,
        "counts": d.counts,
        "skipped": d.counts.skipped(),
        "failed_refused": d.counts.failed_refused(),
        "reminder_due_at": d.reminder_due_ms().map(clock::from_ms),
        "trigger": d.trigger.as_ref().map(|t| json!({ "event": t.event, "event_id": t.event_id, "email": t.contact.email })),
        "created_at": d.created_at,
        "finished_at": d.finished_at,
        "pause_reason": d.pause_reason,
        "quiet_period_days": d.quiet_period_days,
    })
}

fn bad(e: pulse_shared::domain::distribution::MessageError) -> Error {
    Error::bad_field(e.field.clone(), format!("{}: {}", e.field, e.message))
}

/// Invitations link to the published survey: there must be one.
fn published(p: &Project) -> Result<(), Error> {
    match p.published_version {
        Some(_) => Ok(()),
        None => Err(Error::Conflict(format!("project {} has no published survey yet; publish it before inviting anyone", p.id))),
    }
}

/// A draft checked as creating it would check it: the project, the list,
/// the send time, the invitations the budget leaves room for (none: no
/// budget applies) and the warnings to give.
struct Checked {
    project: Project,
    list: pulse_shared::domain::directory::MailingList,
    send_at_ms: u64,
    room: Option<u64>,
    budget: Option<Value>,
    warnings: Vec<String>,
}

async fn check_draft(app: &App, id: &str, body: &NewDistribution) -> Result<Checked, Error> {
    let project = load(app, id).await?;
    let list =
        app.aws.get_list(id, &body.list_id).await?.ok_or_else(|| Error::not_found(format!("list {} of project {id}", body.list_id)))?;
    if list.state != pulse_shared::domain::directory::ListState::Ready {
        return Err(Error::Conflict(format!("list {} is still being imported", list.list_id)));
    }
    published(&project)?;
    // a list with nobody on it would "finish" at once, having invited no one
    if list.contacts == 0 {
        return Err(Error::bad_field(
            "list_id",
            format!(
                "list_id: list {:?} ({}) has no contacts, so nobody would be invited; choose another list, or upload a file with contacts first",
                list.name, list.list_id
            ),
        ));
    }
    let s = &project.settings;
    check_messages("messages", &body.messages, &s.languages, &s.operational_fields).map_err(bad)?;
    check_every_language("messages", &body.messages, &s.languages).map_err(bad)?;
    if let Some(r) = &body.reminder {
        if !(1..=60).contains(&r.after_days) {
            return Err(Error::bad_field("reminder.after_days", "reminder.after_days: between 1 and 60 days"));
        }
        check_messages("reminder.messages", &r.messages, &s.languages, &s.operational_fields).map_err(bad)?;
        check_every_language("reminder.messages", &r.messages, &s.languages).map_err(bad)?;
    }
    if body.quiet_period_days.is_some_and(|d| d > 365) {
        return Err(Error::bad_field("quiet_period_days", "quiet_period_days: at most 365 days"));
    }
    let now_ms = app.clock.now_ms();
    let send_at_ms = match &body.send_at {
        None => now_ms,
        Some(t) => clock::parse_ms(t)
            .ok_or_else(|| Error::bad_field("send_at", format!("send_at: {t:?} is not an RFC 3339 time such as 2026-12-01T09:00:00Z")))?,
    };
    check_send_at(send_at_ms, now_ms).map_err(|m| Error::bad_field("send_at", format!("send_at: {m}")))?;
    // Said now, not after the fact: a send the budget leaves no room for is
    // refused, one it leaves room for in part is created with a warning.
    let mut warnings = Vec::new();
    let (mut room, mut budget) = (None, None);
    if let Some(account) = match &project.settings.account_id {
        Some(account_id) => app.aws.get_account(account_id).await?,
        None => None,
    } {
        let v = budget_view(&account, send_at_ms.max(now_ms));
        let possible = invitations_possible(&v, list.contacts);
        let numbers = format!(
            "account {}: {} of {} used in {}, {} remaining{}",
            account.name,
            v.used,
            v.monthly_budget,
            v.month,
            v.remaining,
            v.lifetime_remaining.map(|l| format!(", {l} left of the lifetime cap")).unwrap_or_default()
        );
        if possible == 0 && list.contacts > 0 {
            return Err(Error::Conflict(format!(
                "none of the {} contacts of list {} can be invited: the budget is used up ({numbers}); \
                 change the account's plan, or send at a time in the next billing month (it starts {})",
                list.contacts, list.list_id, v.month_ends_at
            )));
        }
        if possible < list.contacts {
            warnings.push(format!(
                "the budget leaves room for {possible} of the {} invitations ({numbers}); the rest will be skipped as over budget",
                list.contacts
            ));
        }
        room = Some(possible);
        budget = Some(json!({ "account": account.name, "time_zone": account.time_zone, "view": v }));
    }
    Ok(Checked { project, list, send_at_ms, room, budget, warnings })
}

/// Invite a mailing list by email, now or at send_at; optional reminder to non-responders.
#[utoipa::path(post, path = "/admin/projects/{id}/distributions", tag = "distributions", params(("id" = String, Path, description = "The project")), request_body = NewDistribution,
    responses((status = 201, description = "The distribution, with warnings (e.g. the budget leaves room for only part of the list)"),
        (status = 409, description = "The list is still being imported, nothing is published, or the budget leaves room for no invitation")))]
pub async fn create(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<NewDistribution>) -> Reply {
    let c = check_draft(app, id, &body).await?;
    let now_ms = app.clock.now_ms();
    let d = Distribution {
        quiet_period_days: body.quiet_period_days,
        ..Distribution::to_list(new_id(), id, &c.list.list_id, body.messages, body.reminder, now_ms, c.send_at_ms)
    };
    app.aws.launch_distribution(&d, c.send_at_ms).await?;
    tracing::info!(project_id = id, distribution_id = %d.id, list_id = %d.list_id, warnings = c.warnings.len(), "distribution created");
    let mut answer = view(&d);
    answer["warnings"] = json!(c.warnings);
    Ok(web::json(201, &answer))
}

/// Body of `POST /admin/projects/{id}/distributions/preview`: a draft as
/// for creating it, and who gets a test of it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DraftPreview {
    /// The distribution as `POST /admin/projects/{id}/distributions` takes it.
    distribution: NewDistribution,
    /// Sends the invitation in every language to this address, marked as a test.
    #[serde(default)]
    test_to: Option<String>,
}

/// The most contacts a preview looks at; a larger list's skips are scaled from them.
const FORECAST_CHECKED: usize = 5_000;

/// What a draft distribution would do, before it is started: how many would be sent and how many skipped and why (suppressed, quiet period, over budget), what it uses of the budget, each language's email for a sample contact of the list; optionally a test of it sent to one address.
#[utoipa::path(post, path = "/admin/projects/{id}/distributions/preview", tag = "distributions", params(("id" = String, Path, description = "The project")), request_body = DraftPreview,
    responses((status = 200, description = "{forecast, budget, send_at, sample, previews, reminder_previews, test, warnings}")))]
pub async fn preview(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<DraftPreview>) -> Reply {
    let DraftPreview { distribution: draft, test_to } = body;
    let test_to =
        test_to.map(|t| pulse_shared::domain::mail::parse_email(&t).map_err(|e| Error::bad_field("test_to", e.to_string()))).transpose()?;
    let c = check_draft(app, id, &draft).await?;
    // the list as the sending will find it: suppressions, the quiet period
    let suppressed = app.aws.suppressed_hashes(id).await?;
    let mut members = Vec::new();
    let mut after: Option<String> = None;
    while members.len() < FORECAST_CHECKED {
        let (page, next) = app.aws.list_members(&c.list.list_id, after.as_deref(), 1000).await?;
        members.extend(page);
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    members.truncate(FORECAST_CHECKED);
    let keys: Vec<String> = members.iter().map(|m| m.email_key.clone()).collect();
    let last = app.aws.last_invited(id, &keys).await?;
    let seen = members
        .iter()
        .map(|m| (suppressed.contains(&pulse_shared::domain::kinds::key_hash(&m.email_key)), last.get(&m.email_key).copied()));
    let quiet_days = draft.quiet_period_days.unwrap_or(c.project.settings.quiet_period_days);
    let forecast = pulse_shared::domain::distribution::forecast(seen, c.list.contacts, c.send_at_ms, quiet_days, c.room);
    // each language's email for the list's first contact by address (its
    // members are read shard after shard, not in address order), or an example one
    let sample =
        members.iter().min_by(|a, b| a.email_key.cmp(&b.email_key)).cloned().unwrap_or_else(|| pulse_shared::domain::directory::Contact {
            email: "anna.virtanen@example.com".into(),
            email_key: "anna.virtanen@example.com".into(),
            first_name: "Anna".into(),
            last_name: "Virtanen".into(),
            fields: c.project.settings.operational_fields.iter().map(|f| (f.clone(), f.clone())).collect(),
            upload_id: String::new(),
            updated_at: String::new(),
        });
    let base = &app.config.public_base_url;
    let (survey, unsubscribe) = (format!("{base}/s/preview"), format!("{base}/unsubscribe/preview"));
    let published = match c.project.published_version {
        Some(v) => app.aws.get_version(id, v).await?,
        None => None,
    };
    let fill = pulse_shared::domain::distribution::Fill {
        first_name: &sample.first_name,
        last_name: &sample.last_name,
        email: &sample.email,
        organisation: &c.project.settings.organisation_name,
        survey_link: &survey,
        unsubscribe_link: &unsubscribe,
        fields: &sample.fields,
    };
    let render = |messages: &BTreeMap<Lang, Message>| -> BTreeMap<Lang, pulse_shared::domain::mail::OutgoingEmail> {
        messages
            .iter()
            .map(|(l, m)| {
                let rating = published.as_ref().and_then(|d| pulse_shared::render::mail::EmailRating::of(d, *l));
                (*l, pulse_shared::render::mail::invitation(&sample.email, *l, m, &fill, rating.as_ref()))
            })
            .collect()
    };
    let previews = render(&draft.messages);
    let as_json = |emails: &BTreeMap<Lang, pulse_shared::domain::mail::OutgoingEmail>| -> Value {
        emails.iter().map(|(l, e)| (l.code().to_string(), json!({ "subject": e.subject, "text": e.text, "html": e.html }))).collect()
    };
    let mut test = Value::Null;
    if let Some(to) = test_to {
        let mut queued = Vec::new();
        for email in previews.values() {
            let job = SendJob::TestEmail {
                to: to.clone(),
                subject: format!("[Test] {}", email.subject),
                text: email.text.clone(),
                html: email.html.clone(),
            };
            queued.push(app.aws.enqueue(&job).await?);
        }
        tracing::info!(project_id = id, emails = queued.len(), "test of a draft distribution queued");
        test = json!({ "queued": queued.len(), "message_ids": queued });
    }
    Ok(web::json(
        200,
        &json!({
            "forecast": forecast,
            "budget": c.budget,
            "send_at": clock::from_ms(c.send_at_ms),
            "sample": { "first_name": sample.first_name, "last_name": sample.last_name, "email": sample.email },
            "previews": as_json(&previews),
            "reminder_previews": draft.reminder.as_ref().map(|r| as_json(&render(&r.messages))),
            "test": test,
            "warnings": c.warnings,
        }),
    ))
}

/// The project's distributions with their counts.
#[utoipa::path(get, path = "/admin/projects/{id}/distributions", tag = "distributions", params(("id" = String, Path, description = "The project")), responses((status = 200, description = "{distributions}")))]
pub async fn list(Ctx(ref app): Ctx, Path(ref id): Path<String>) -> Reply {
    load(app, id).await?;
    let all: Vec<Value> = app.aws.list_distributions(id).await?.iter().map(view).collect();
    Ok(web::json(200, &json!({ "distributions": all })))
}

async fn find(app: &App, id: &str, dist: &str) -> Result<Distribution, Error> {
    load(app, id).await?;
    app.aws.get_distribution(id, dist).await?.ok_or_else(|| Error::not_found(format!("distribution {dist} of project {id}")))
}

/// One distribution: state and counts (visible while sending).
#[utoipa::path(get, path = "/admin/projects/{id}/distributions/{distribution}", tag = "distributions", params(("id" = String, Path, description = "The project"), ("distribution" = String, Path, description = "The distribution")),
    responses((status = 200, description = "The distribution")))]
pub async fn get(Ctx(ref app): Ctx, Path((ref id, ref dist)): Path<(String, String)>) -> Reply {
    let d = find(app, id, dist).await?;
    let responses = app.aws.distribution_responses(dist).await?;
    let mut answer = view(&d);
    answer["responses"] = json!(responses);
    // every response came through a sent invitation's link (one a contact)
    answer["not_answered"] = json!(d.counts.sent.saturating_sub(responses));
    Ok(web::json(200, &answer))
}

/// Cancel a distribution that has not finished; contacts not yet invited are skipped.
///
/// They are counted as cancelled.
#[utoipa::path(post, path = "/admin/projects/{id}/distributions/{distribution}/cancel", tag = "distributions", params(("id" = String, Path, description = "The project"), ("distribution" = String, Path, description = "The distribution")),
    responses((status = 200, description = "The distribution"), (status = 409, description = "The distribution has ended")))]
pub async fn cancel(Ctx(ref app): Ctx, Path((ref id, ref dist)): Path<(String, String)>) -> Reply {
    let d = find(app, id, dist).await?;
    let open = [DistState::Scheduled, DistState::Planning, DistState::Sending];
    if !app.aws.move_distribution(id, dist, &open, DistState::Cancelled, &app.clock.now()).await? {
        return Err(Error::Conflict(format!("distribution {dist} has ended ({:?}); nothing to cancel", d.state).to_lowercase()).into());
    }
    Ok(web::json(200, &view(&find(app, id, dist).await?)))
}

/// Plans a distribution again from its first page and starts it now
/// (settled invitations stay settled: nobody is invited twice).
async fn start_again(app: &App, id: &str, dist: &str, from: &[DistState]) -> Result<bool, Error> {
    if !app.aws.replan_distribution(id, dist, from).await? {
        return Ok(false);
    }
    app.aws.schedule_due(app.clock.now_ms(), "start", id, dist).await?;
    Ok(true)
}

/// Resume a distribution paused because SES refused the sender (verify the identity, leave the sandbox or resume sending first); nobody is invited twice.
#[utoipa::path(post, path = "/admin/projects/{id}/distributions/{distribution}/resume", tag = "distributions", params(("id" = String, Path, description = "The project"), ("distribution" = String, Path, description = "The distribution")),
    responses((status = 200, description = "The distribution, scheduled to start again at once"), (status = 409, description = "It is not paused")))]
pub async fn resume(Ctx(ref app): Ctx, Path((ref id, ref dist)): Path<(String, String)>) -> Reply {
    let d = find(app, id, dist).await?;
    if !start_again(app, id, dist, &[DistState::Paused]).await? {
        return Err(Error::Conflict(format!("distribution {dist} is not paused ({:?}); nothing to resume", d.state).to_lowercase()).into());
    }
    tracing::info!(project_id = id, distribution_id = dist, "paused distribution resumed");
    Ok(web::json(200, &view(&find(app, id, dist).await?)))
}

/// How many invitations a retry reads at most in one request.
const RETRY_SCAN: usize = 20_000;

/// Send again the invitations SES refused (never one whose delivery is unknown: it may have gone out).
#[utoipa::path(post, path = "/admin/projects/{id}/distributions/{distribution}/retry", tag = "distributions", params(("id" = String, Path, description = "The project"), ("distribution" = String, Path, description = "The distribution")),
    responses((status = 200, description = "{reopened, distribution}"), (status = 409, description = "No invitation SES refused, or the distribution was cancelled")))]
pub async fn retry(Ctx(ref app): Ctx, Path((ref id, ref dist)): Path<(String, String)>) -> Reply {
    let d = find(app, id, dist).await?;
    if matches!(d.state, DistState::Cancelled | DistState::Scheduled) {
        return Err(Error::Conflict(format!("distribution {dist} is {:?}; there is nothing to send again", d.state).to_lowercase()).into());
    }
    let (mut reopened, mut read, mut after) = (0u64, 0usize, None::<String>);
    loop {
        let (page, next) = app.aws.invites(dist, after.as_deref(), 500).await?;
        read += page.len();
        for invite in page.iter().filter(|i| i.retryable()) {
            if app.aws.reopen_invite(id, dist, &invite.email_key).await? {
                reopened += 1;
            }
        }
        match next {
            Some(n) if read < RETRY_SCAN => after = Some(n),
            _ => break,
        }
    }
    if reopened == 0 {
        return Err(Error::Conflict(format!("distribution {dist} has no invitation SES refused; nothing to send again")).into());
    }
    start_again(app, id, dist, &[DistState::Done, DistState::Sending, DistState::Paused]).await?;
    tracing::info!(project_id = id, distribution_id = dist, reopened, "refused invitations sent again");
    Ok(web::json(200, &json!({ "reopened": reopened, "distribution": view(&find(app, id, dist).await?) })))
}

/// The distribution's recipients with what became of each (sent, skipped and why, failed and why), a page at a time.
#[utoipa::path(get, path = "/admin/projects/{id}/distributions/{distribution}/recipients", tag = "distributions",
    params(("id" = String, Path, description = "The project"), ("distribution" = String, Path, description = "The distribution"),
        ("state" = Option<String>, Query, description = "sent, skipped, failed, claimed or sending"), ("after" = Option<String>, Query, description = "The `next` of the previous page")),
    responses((status = 200, description = "{recipients: [{email, state, skip, reason, at, reminder}], next}")))]
pub async fn recipients(Ctx(ref app): Ctx, Path((ref id, ref dist)): Path<(String, String)>, Query(query): Query) -> Reply {
    find(app, id, dist).await?;
    let wanted = query.first("state");
    if let Some(w) = wanted {
        if !["sent", "skipped", "failed", "claimed", "sending"].contains(&w) {
            return Err(Error::bad_field("state", format!("state {w:?}: expected sent, skipped, failed, claimed or sending")).into());
        }
    }
    let (page, next) = app.aws.invites(dist, query.first("after"), 200).await?;
    let recipients: Vec<Value> = page
        .iter()
        .filter(|i| wanted.is_none_or(|w| i.state.as_str() == w))
        .map(|i| json!({ "email": i.email_key, "state": i.state.as_str(), "skip": i.skip, "reason": i.reason, "at": i.at, "reminder": i.reminder }))
        .collect();
    Ok(web::json(200, &json!({ "recipients": recipients, "next": next })))
}

/// Body of `POST /admin/projects/{id}/events`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Event {
    event: String,
    /// The caller's id of the event: the same id twice schedules one send.
    #[serde(default)]
    event_id: Option<String>,
    #[schema(format = "email")]
    email: String,
    first_name: String,
    last_name: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    language: Option<Lang>,
}

/// An event for a contact (order_placed, support_ticket_closed, …): schedules the project's trigger invitation after its delay; the same event_id twice schedules one.
#[utoipa::path(post, path = "/admin/projects/{id}/events", tag = "distributions", params(("id" = String, Path, description = "The project")), request_body = Event,
    responses((status = 202, description = "The triggered distribution, scheduled"), (status = 200, description = "The same event again: the distribution it scheduled"), (status = 409, description = "Nothing is published")))]
pub async fn event(Ctx(ref app): Ctx, Path(ref id): Path<String>, Json(body): Json<Event>) -> Reply {
    let project = load(app, id).await?;
    let Some(trigger) = project.settings.triggers.get(&body.event) else {
        let known: Vec<&str> = project.settings.triggers.keys().map(String::as_str).collect();
        return Err(Error::bad_field(
            "event",
            format!(
                "event: no trigger {:?} in this project (configured: {})",
                body.event,
                if known.is_empty() { "none".into() } else { known.join(", ") }
            ),
        )
        .into());
    };
    published(&project)?;
    let email = check_contact(&project, &body.email, &body.first_name, &body.last_name, &body.fields)?;
    let event_id = match body.event_id.as_deref().map(str::trim) {
        Some(e) if (1..=100).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)) => e.to_string(),
        Some(_) => return Err(Error::bad_field("event_id", "event_id: 1-100 letters, digits, '-', '_', '.' or ':'").into()),
        None => new_id(),
    };
    let now_ms = app.clock.now_ms();
    let at = now_ms + u64::from(trigger.delay_hours) * 3_600_000;
    let d = Distribution {
        id: Triggered::distribution_id(&body.event, &event_id),
        project_id: id.to_string(),
        list_id: String::new(),
        state: DistState::Scheduled,
        send_at: clock::from_ms(at),
        messages: trigger.messages.clone(),
        reminder: None,
        counts: DistCounts::default(),
        plan_cursor: None,
        planned_all: false,
        created_at: clock::from_ms(now_ms),
        finished_at: None,
        pause_reason: None,
        quiet_period_days: None,
        trigger: Some(Triggered {
            event: body.event.clone(),
            event_id,
            contact: InviteContact {
                email_key: normalise_email(&email),
                email,
                first_name: body.first_name.trim().to_string(),
                last_name: body.last_name.trim().to_string(),
                fields: body.fields.into_iter().map(|(k, v)| (k, v.trim().to_string())).collect(),
                language: body.language,
            },
        }),
    };
    // an integration event is the account's last sync (the budget view)
    if let Some(account_id) = &project.settings.account_id {
        app.aws.note_sync(account_id, &format!("event:{}", body.event), &clock::from_ms(now_ms)).await?;
    }
    if !app.aws.create_distribution(&d).await? {
        let existing = find(app, id, &d.id).await?;
        if let (Some(before), Some(now)) = (&existing.trigger, &d.trigger) {
            if !before.is_repeat_of(now) {
                return Err(Error::Conflict(format!(
                    "event_id {:?} of {} was already used for {} ({}); this request is for {}: use a new event_id for a new event",
                    now.event_id, now.event, before.contact.email, existing.created_at, now.contact.email
                ))
                .into());
            }
        }
        // the same event again: the send it scheduled stands
        return Ok(web::json(200, &view(&existing)));
    }
    app.aws.schedule_due(at, "start", id, &d.id).await?;
    tracing::info!(project_id = id, distribution_id = %d.id, "triggered send scheduled");
    Ok(web::json(202, &view(&d)))
}
