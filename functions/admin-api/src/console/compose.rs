//! A new distribution: the list, the invitation in every language of the
//! project (prefilled with a translated default text, placeholders listed),
//! when to send it (in the account's time zone), its quiet period, a
//! reminder; then, before
//! anything is sent, what will happen (sent, skipped and why, the budget it
//! uses) with each language's email for a contact of the list, and a test
//! of it sent to oneself. Everything goes through the admin API (`preview`,
//! `create`), so its checks and field-named errors are the API's.

use std::collections::BTreeMap;

use axum::http::Method;
use maud::{html, Markup};
use pulse_shared::clock::local_to_instant;
use pulse_shared::domain::distribution::{check_send_at, PLACEHOLDERS};
use pulse_shared::domain::i18n::{t, t_args, Lang};
use pulse_shared::render::console::{csrf_field, field, page, Section};
use pulse_shared::render::keys;
use serde_json::{json, Value};

use super::projects::text;
use super::{first, html_response, see_other, Failure, Page, PageResult};

/// The default invitation in `lang`: subject and text.
fn default_invitation(lang: Lang, reminder: bool) -> (String, String) {
    let args = |k: &str| t_args(lang, k, &[("org", "{{Organisation}}".into()), ("first", "{{FirstName}}".into())]);
    let subject = args(if reminder { keys::C_DEFAULT_REMINDER_SUBJECT } else { keys::C_DEFAULT_SUBJECT });
    let body = [
        args(keys::C_DEFAULT_GREETING),
        args(if reminder { keys::C_DEFAULT_REMINDER_ASK } else { keys::C_DEFAULT_ASK }),
        "{{SurveyLink}}".to_string(),
        args(keys::C_DEFAULT_THANKS),
        format!("{} {{{{UnsubscribeLink}}}}", t(lang, keys::C_DEFAULT_OPT_OUT)),
    ]
    .join("\n\n");
    (subject, body)
}

/// What the form holds: posted values, or the defaults.
struct Draft {
    list_id: String,
    when: String,
    send_at_local: String,
    reminder: bool,
    after_days: String,
    /// The distribution's quiet period in days (the project's to begin with).
    quiet_days: String,
    test_to: String,
    /// A triggered send: the event, and days after it.
    event_name: String,
    delay_days: String,
    /// (lang, reminder) → (subject, body)
    messages: BTreeMap<(Lang, bool), (String, String)>,
}

impl Draft {
    fn new(languages: &[Lang], me: &str, quiet_days: u64) -> Self {
        let mut messages = BTreeMap::new();
        for l in languages {
            for reminder in [false, true] {
                messages.insert((*l, reminder), default_invitation(*l, reminder));
            }
        }
        Draft {
            list_id: String::new(),
            when: "now".into(),
            send_at_local: String::new(),
            reminder: false,
            after_days: "3".into(),
            quiet_days: quiet_days.to_string(),
            test_to: me.to_string(),
            event_name: String::new(),
            delay_days: "3".into(),
            messages,
        }
    }

    fn posted(p: &Page<'_>, languages: &[Lang]) -> Self {
        let f = p.fields;
        let mut messages = BTreeMap::new();
        for l in languages {
            for reminder in [false, true] {
                let prefix = if reminder { "reminder-" } else { "" };
                let subject = first(f, &format!("{prefix}subject-{}", l.code())).to_string();
                let body = first(f, &format!("{prefix}body-{}", l.code())).replace("\r\n", "\n");
                messages.insert((*l, reminder), (subject, body));
            }
        }
        Draft {
            list_id: first(f, "list_id").to_string(),
            when: first(f, "when").to_string(),
            send_at_local: first(f, "send_at_local").to_string(),
            reminder: first(f, "reminder") == "yes",
            after_days: first(f, "after_days").to_string(),
            quiet_days: first(f, "quiet_period_days").trim().to_string(),
            test_to: first(f, "test_to").trim().to_string(),
            event_name: first(f, "event_name").trim().to_string(),
            delay_days: first(f, "delay_days").trim().to_string(),
            messages,
        }
    }

    /// The API's body; a send time that cannot be read is the API's error
    /// to give (it names the field).
    /// The invitation's (or the reminder's) messages by language.
    fn messages(&self, reminder: bool) -> Value {
        self.messages
            .iter()
            .filter(|((_, r), _)| *r == reminder)
            .map(|((l, _), (subject, body))| (l.code().to_string(), json!({ "subject": subject, "body": body })))
            .collect::<serde_json::Map<_, _>>()
            .into()
    }

    /// The settings patch that makes this invitation the triggered send of
    /// its event (a number of days the API cannot take is its error to give).
    fn trigger_patch(&self) -> Value {
        let hours = self.delay_days.parse::<i64>().map(|d| d * 24).unwrap_or(-1);
        let name = if self.event_name.is_empty() { "-" } else { self.event_name.as_str() };
        json!({ "settings": { "triggers": { name: { "delay_hours": hours, "messages": self.messages(false) } } } })
    }

    fn body(&self, tz: &str) -> Value {
        let mut body = json!({ "list_id": self.list_id, "messages": self.messages(false) });
        if self.when == "at" {
            body["send_at"] = json!(local_to_instant(&self.send_at_local, tz).unwrap_or_else(|| self.send_at_local.clone()));
        }
        if let Ok(days) = self.quiet_days.parse::<u32>() {
            body["quiet_period_days"] = json!(days);
        }
        if self.reminder {
            body["reminder"] = json!({ "after_days": self.after_days.trim().parse::<i64>().unwrap_or(0), "messages": self.messages(true) });
        }
        body
    }
}

/// What the form must hold before the API is asked, said at the field in
/// the reader's language: a list with contacts, every language's
/// invitation (and reminder, when on), a send time still ahead. The API
/// checks the same (in English, naming its fields) for its other callers.
fn check_form(l: Lang, c: &Context, d: &Draft, now_ms: u64) -> Option<(String, String)> {
    let at = |field: String, message: String| Some((field, message));
    if c.lists.iter().any(|(id, _, count)| *id == d.list_id && *count == 0) {
        return at("list_id".into(), t(l, keys::C_ERR_LIST_EMPTY));
    }
    for reminder in [false, true].into_iter().filter(|r| !*r || d.reminder) {
        let prefix = if reminder { "reminder-" } else { "" };
        for lang in &c.languages {
            let (subject, body) = d.messages.get(&(*lang, reminder)).cloned().unwrap_or_default();
            let (sid, bid) = (format!("{prefix}subject-{}", lang.code()), format!("{prefix}body-{}", lang.code()));
            match (subject.trim().is_empty(), body.trim().is_empty()) {
                (true, true) => {
                    let key = if reminder { keys::C_ERR_REMINDER_MISSING } else { keys::C_ERR_MESSAGE_MISSING };
                    return at(sid, t_args(l, key, &[("language", lang.native_name().into())]));
                }
                (true, false) => return at(sid, t(l, keys::C_ERR_REQUIRED)),
                (false, true) => return at(bid, t(l, keys::C_ERR_REQUIRED)),
                (false, false) => {}
            }
        }
    }
    match d.quiet_days.parse::<u32>() {
        Ok(days) if days <= 365 => {}
        Ok(_) => return at("quiet_period_days".into(), t(l, keys::C_ERR_QUIET_DAYS)),
        Err(_) => return at("quiet_period_days".into(), t(l, keys::C_ERR_NUMBER)),
    }
    if d.when == "at" {
        if d.send_at_local.trim().is_empty() {
            return at("send_at_local".into(), t(l, keys::C_ERR_REQUIRED));
        }
        let past = local_to_instant(&d.send_at_local, &c.tz)
            .and_then(|i| pulse_shared::clock::parse_ms(&i))
            .is_some_and(|ms| check_send_at(ms, now_ms).is_err());
        if past {
            return at("send_at_local".into(), t_args(l, keys::C_ERR_SEND_AT_PAST, &[("tz", c.tz.as_str().into())]));
        }
    }
    None
}

/// The form's id of the field an API error names (`messages.de.body` is
/// `body-de`, a whole language missing, `messages.de`, is its subject).
fn field_id(api_field: &str) -> String {
    // the preview's body holds the draft under `distribution`
    let api_field = api_field.strip_prefix("distribution.").unwrap_or(api_field);
    let api_field = api_field.strip_prefix("settings.").unwrap_or(api_field);
    let parts: Vec<&str> = api_field.split('.').collect();
    match parts.as_slice() {
        ["messages", l, part] => format!("{part}-{l}"),
        ["messages", l] => format!("subject-{l}"),
        ["reminder", "messages", l, part] => format!("reminder-{part}-{l}"),
        ["reminder", "messages", l] => format!("reminder-subject-{l}"),
        ["reminder", "after_days"] => "after_days".into(),
        ["send_at"] => "send_at_local".into(),
        ["triggers", _, "messages", l, part] => format!("{part}-{l}"),
        ["triggers", _, "messages", l] => format!("subject-{l}"),
        ["triggers", _, "delay_hours"] => "delay_days".into(),
        ["triggers", ..] => "event_name".into(),
        _ => api_field.to_string(),
    }
}

/// The project's languages, its lists ready to send to, and the time zone
/// send times are given in.
struct Context {
    org: String,
    languages: Vec<Lang>,
    quiet_days: u64,
    lists: Vec<(String, String, u64)>,
    tz: String,
    /// The triggered sends: event name, hours after the event.
    triggers: Vec<(String, u64)>,
}

async fn context(p: &Page<'_>, id: &str) -> Result<Context, Failure> {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let s = &project["settings"];
    let languages: Vec<Lang> = s["languages"].as_array().into_iter().flatten().filter_map(|l| l.as_str().and_then(Lang::parse)).collect();
    let lists = p.api(Method::GET, &format!("/admin/projects/{id}/lists"), None).await?;
    let lists = lists["lists"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["state"] == "ready")
        .map(|l| (text(&l["list_id"]), text(&l["name"]), l["contacts"].as_u64().unwrap_or(0)))
        .collect();
    let tz = match s["account_id"].as_str() {
        Some(account) => {
            p.api(Method::GET, &format!("/admin/accounts/{account}"), None).await?["time_zone"].as_str().unwrap_or("UTC").to_string()
        }
        None => "UTC".to_string(),
    };
    let triggers =
        s["triggers"].as_object().into_iter().flatten().map(|(name, t)| (name.clone(), t["delay_hours"].as_u64().unwrap_or(0))).collect();
    Ok(Context {
        org: text(&s["organisation_name"]),
        languages,
        quiet_days: s["quiet_period_days"].as_u64().unwrap_or(0),
        lists,
        tz,
        triggers,
    })
}

/// The compose page.
pub(super) async fn new_page(p: &Page<'_>, id: &str) -> PageResult {
    let c = context(p, id).await?;
    let draft = Draft::new(&c.languages, p.chrome.email, c.quiet_days);
    Ok(render(p, id, &c, &draft, Shown::default(), 200))
}

/// A posted draft: checked and previewed, tested, or sent.
pub(super) async fn post(p: &Page<'_>, id: &str) -> PageResult {
    let c = context(p, id).await?;
    let mut draft = Draft::posted(p, &c.languages);
    if draft.quiet_days.is_empty() {
        // left empty (or a form from before the field): the project's
        draft.quiet_days = c.quiet_days.to_string();
    }
    let body = draft.body(&c.tz);
    // the script's live preview: the emails alone, or nothing while the
    // draft cannot be previewed (the form says why when it is sent)
    if first(p.query, "part") == "preview" {
        let nothing = || Ok(html_response(422, String::new(), vec![]));
        if check_form(p.lang(), &c, &draft, p.app.clock.now_ms()).is_some() {
            return nothing();
        }
        return match p
            .api(Method::POST, &format!("/admin/projects/{id}/distributions/preview"), Some(json!({ "distribution": body })))
            .await
        {
            Ok(preview) => Ok(html_response(200, previews(p.lang(), &preview).into_string(), vec![])),
            Err(Failure::Api { status: 400 | 404 | 409, .. }) => nothing(),
            Err(e) => Err(e),
        };
    }
    let action = first(p.fields, "action");
    if action != "trigger" {
        if let Some((field, message)) = check_form(p.lang(), &c, &draft, p.app.clock.now_ms()) {
            return Ok(render(p, id, &c, &draft, Shown { problem: Some((Some(field), message)), ..Shown::default() }, 400));
        }
    }
    let answer = if action == "send" {
        p.api(Method::POST, &format!("/admin/projects/{id}/distributions"), Some(body)).await
    } else if action == "trigger" {
        match p.api(Method::PATCH, &format!("/admin/projects/{id}"), Some(draft.trigger_patch())).await {
            Ok(_) => {
                let c = context(p, id).await?;
                let saved = t_args(p.lang(), keys::C_TRIGGER_SAVED, &[("event", draft.event_name.as_str().into())]);
                return Ok(render(p, id, &c, &draft, Shown { notice: Some(&saved), ..Shown::default() }, 200));
            }
            Err(e) => Err(e),
        }
    } else {
        let mut preview = json!({ "distribution": body });
        if action == "test" {
            preview["test_to"] = json!(draft.test_to);
        }
        p.api(Method::POST, &format!("/admin/projects/{id}/distributions/preview"), Some(preview)).await
    };
    match answer {
        Ok(made) if action == "send" => Ok(see_other(&format!("/console/projects/{id}/sends/{}", text(&made["id"])), vec![])),
        Ok(preview) => Ok(render(p, id, &c, &draft, Shown { preview: Some(&preview), ..Shown::default() }, 200)),
        Err(Failure::Api { status: status @ (400 | 404 | 409), body }) => {
            let problem = (body["field"].as_str().map(field_id), body["message"].as_str().unwrap_or_default().to_string());
            Ok(render(p, id, &c, &draft, Shown { problem: Some(problem), ..Shown::default() }, status))
        }
        Err(e) => Err(e),
    }
}

/// What the page shows besides the form: the check's outcome, the API's
/// refusal (the form's field it names, and its message), a notice.
#[derive(Default)]
struct Shown<'a> {
    preview: Option<&'a Value>,
    problem: Option<(Option<String>, String)>,
    notice: Option<&'a str>,
}

fn render(p: &Page<'_>, id: &str, c: &Context, d: &Draft, shown: Shown<'_>, status: u16) -> lambda_http::Response<lambda_http::Body> {
    let Shown { preview, problem, notice } = shown;
    let l = p.lang();
    let title = t_args(l, keys::C_COMPOSE_TITLE, &[("org", c.org.as_str().into())]);
    let error_at = |field: &str| problem.as_ref().filter(|(f, _)| f.as_deref() == Some(field)).map(|(_, m)| m.as_str());
    let general = problem.as_ref().filter(|(f, _)| f.is_none()).map(|(_, m)| m.as_str());
    let message_fields = |lang: Lang, reminder: bool| -> Markup {
        let (subject, body) = d.messages.get(&(lang, reminder)).cloned().unwrap_or_default();
        let prefix = if reminder { "reminder-" } else { "" };
        let sid = format!("{prefix}subject-{}", lang.code());
        let bid = format!("{prefix}body-{}", lang.code());
        let legend = t_args(l, if reminder { keys::C_REMINDER_IN } else { keys::C_MESSAGE_IN }, &[("language", lang.native_name().into())]);
        html! {
            fieldset {
                legend { (legend) }
                (field(&sid, &t(l, keys::C_SUBJECT), "text", &subject, None, error_at(&sid), true))
                (field(&bid, &t(l, keys::C_BODY), "textarea", &body, Some(&t(l, keys::C_BODY_HINT)), error_at(&bid), true))
            }
        }
    };
    let body = html! {
        p { a href={ "/console/projects/" (id) "/sends" } { "← " (t(l, keys::C_TAB_SENDS)) } }
        h1 { (title) }
        @if let Some(m) = general { p.alert role="alert" { (m) } }
        // a field's problem is also said at the top (a phone shows the top
        // after sending the form), with a link to the field
        @if let Some((Some(f), m)) = problem.as_ref() {
            p.alert role="alert" id="problem-summary" { a href={ "#" (f) } { (m) } }
        }
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        @if c.lists.is_empty() {
            p { (t(l, keys::C_NO_READY_LISTS)) " " a href={ "/console/projects/" (id) "/uploads" } { (t(l, keys::C_UPLOADS_LINK)) } }
        }
        @if let Some(pv) = preview { (forecast(l, pv)) }
        form method="post" action={ "/console/projects/" (id) "/sends/new" } novalidate data-compose
            data-live={ "/console/projects/" (id) "/sends/new?part=preview" } {
                (csrf_field(p.chrome.csrf))
                @if !c.lists.is_empty() {
                    div class=[error_at("list_id").map(|_| "invalid")] {
                        label for="list_id" { (t(l, keys::C_COMPOSE_LIST)) }
                        @if let Some(e) = error_at("list_id") { p.error id="list_id-error" { (e) } }
                        select id="list_id" name="list_id" {
                            @for (list_id, name, count) in &c.lists {
                                option value=(list_id) selected[*list_id == d.list_id] {
                                    (t_args(l, keys::C_LIST_OPTION, &[("name", name.as_str().into()), ("count", (*count).into())]))
                                }
                            }
                        }
                    }
                }
                p id="placeholders-hint" { (t(l, keys::C_PLACEHOLDERS)) }
                ul.placeholders aria-labelledby="placeholders-hint" {
                    @for name in PLACEHOLDERS { li { code data-insert={ "{{" (name) "}}" } { "{{" (name) "}}" } } }
                }
                @for lang in &c.languages { (message_fields(*lang, false)) }
                fieldset {
                    legend { (t(l, keys::C_WHEN)) }
                    div.choice {
                        input type="radio" id="when-now" name="when" value="now" checked[d.when != "at"];
                        label for="when-now" { (t(l, keys::C_SEND_NOW)) }
                    }
                    div.choice {
                        input type="radio" id="when-at" name="when" value="at" checked[d.when == "at"];
                        label for="when-at" { (t(l, keys::C_SEND_AT)) }
                    }
                    (field("send_at_local", &t_args(l, keys::C_SEND_AT_TIME, &[("tz", c.tz.as_str().into())]), "datetime-local", &d.send_at_local, None, error_at("send_at_local"), false))
                }
                (field("quiet_period_days", &t(l, keys::C_QUIET_DAYS), "number", &d.quiet_days,
                    Some(&t_args(l, keys::C_QUIET_INFO, &[("days", c.quiet_days.into())])), error_at("quiet_period_days"), false))
                fieldset {
                    legend { (t(l, keys::C_REMINDER_TITLE)) }
                    div.choice {
                        input type="checkbox" id="reminder" name="reminder" value="yes" checked[d.reminder];
                        label for="reminder" { (t(l, keys::C_REMINDER_ON)) }
                    }
                    (field("after_days", &t(l, keys::C_REMINDER_DAYS), "number", &d.after_days, None, error_at("after_days"), false))
                    @for lang in &c.languages { (message_fields(*lang, true)) }
                }
                @if !c.lists.is_empty() {
                    (field("test_to", &t(l, keys::C_TEST_TO), "email", &d.test_to, None, error_at("test_to"), false))
                    div.actions {
                        button type="submit" name="action" value="test" class="secondary" { (t(l, keys::C_TEST_BUTTON)) }
                        button type="submit" name="action" value="preview" { (t(l, keys::C_CHECK_BUTTON)) }
                        @if preview.is_some() {
                            button type="submit" name="action" value="send" { (t(l, keys::C_SEND_BUTTON)) }
                        }
                    }
                }
                fieldset {
                    legend { (t(l, keys::C_TRIGGER_TITLE)) }
                    p { (t(l, keys::C_TRIGGER_HINT)) }
                    (field("event_name", &t(l, keys::C_TRIGGER_EVENT), "text", &d.event_name, Some(&t(l, keys::C_TRIGGER_EVENT_HINT)), error_at("event_name"), false))
                    (field("delay_days", &t(l, keys::C_TRIGGER_DAYS), "number", &d.delay_days, None, error_at("delay_days"), false))
                    button type="submit" name="action" value="trigger" class="secondary" { (t(l, keys::C_TRIGGER_SAVE)) }
                }
        }
        // the emails as they will arrive (the script keeps them up to date
        // while the text is typed)
        div id="live-preview" { @if let Some(pv) = preview { (previews(l, pv)) } }
        @if !c.triggers.is_empty() {
            h2 { (t(l, keys::C_TRIGGERS_TITLE)) }
            div.scroll { table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_TRIGGER_EVENT)) }
                    th scope="col" class="num" { (t(l, keys::C_TRIGGER_DAYS)) }
                    th scope="col" { span.visually-hidden { (t(l, keys::C_TRIGGER_REMOVE)) } }
                } }
                tbody { @for (name, hours) in &c.triggers {
                    tr {
                        td { code { (name) } }
                        td.num { (format!("{:.1}", *hours as f64 / 24.0).trim_end_matches(".0")) }
                        td { form method="post" action={ "/console/projects/" (id) "/sends/triggers/remove" } {
                            (csrf_field(p.chrome.csrf))
                            input type="hidden" name="event_name" value=(name);
                            button type="submit" class="secondary" style="margin:0" { (t(l, keys::C_TRIGGER_REMOVE)) " " code { (name) } }
                        } }
                    }
                } }
            } }
        }
        script src="/console/console.js" defer {}
    };
    html_response(status, page(&p.in_section(Section::Projects), &title, body), vec![])
}

/// What will happen: sent, skipped by reason, the budget it uses, a test sent.
fn forecast(l: Lang, pv: &Value) -> Markup {
    let f = &pv["forecast"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let row = |key: &str, v: u64| html! { tr { th scope="row" { (t(l, key)) } td.num { (v) } } };
    html! {
        section.forecast aria-labelledby="forecast-title" {
            h2 id="forecast-title" { (t(l, keys::C_FORECAST_TITLE)) }
            @if let Some(test) = pv["test"]["queued"].as_u64() {
                p.notice role="status" { (t_args(l, keys::C_TEST_SENT, &[("count", test.into())])) }
            }
            div.scroll { table { tbody {
                (row(keys::C_FORECAST_CONTACTS, n(&f["contacts"])))
                (row(keys::C_FORECAST_SEND, n(&f["will_send"])))
                (row(keys::C_SKIP_SUPPRESSED, n(&f["suppressed"])))
                (row(keys::C_SKIP_QUIET, n(&f["quiet_period"])))
                (row(keys::C_SKIP_BUDGET, n(&f["over_budget"])))
            } } }
            @if f["estimated"] == true {
                p { (t_args(l, keys::C_FORECAST_ESTIMATED, &[("checked", n(&f["checked"]).into())])) }
            }
            @if let Some(v) = pv["budget"]["view"].as_object() {
                @let get = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
                p { (t_args(l, keys::C_BUDGET_USE, &[
                    ("uses", n(&f["will_send"]).into()),
                    ("used", get("used").into()),
                    ("budget", get("monthly_budget").into()),
                    ("remaining", get("remaining").into()),
                ])) }
            }
            @for w in pv["warnings"].as_array().into_iter().flatten() { p { (text(w)) } }
        }
    }
}

/// Each language's email for the sample contact, as it will arrive.
fn previews(l: Lang, pv: &Value) -> Markup {
    let name = format!("{} {}", text(&pv["sample"]["first_name"]), text(&pv["sample"]["last_name"]));
    html! {
        section aria-labelledby="previews-title" {
            h2 id="previews-title" { (t_args(l, keys::C_PREVIEW_FOR, &[("name", name.as_str().into())])) }
            @for (code, email) in pv["previews"].as_object().into_iter().flatten() {
                @let language = Lang::parse(code).map(|x| x.native_name()).unwrap_or_default();
                h3 { (language) ": " (text(&email["subject"])) }
                iframe.email sandbox="" title=(t_args(l, keys::C_PREVIEW_FRAME, &[("language", language.into())]))
                    srcdoc=(email["html"].as_str().unwrap_or_default()) {}
            }
        }
    }
}

/// A triggered send taken off the project (its scheduled invitations stay).
pub(super) async fn remove_trigger(p: &Page<'_>, id: &str) -> PageResult {
    let name = first(p.fields, "event_name");
    p.api(Method::PATCH, &format!("/admin/projects/{id}"), Some(json!({ "settings": { "triggers": { name: null } } }))).await?;
    Ok(see_other(&format!("/console/projects/{id}/sends/new"), vec![]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_field_is_the_forms_field() {
        assert_eq!(field_id("messages.de.body"), "body-de");
        assert_eq!(field_id("reminder.messages.fi.subject"), "reminder-subject-fi");
        assert_eq!(field_id("send_at"), "send_at_local");
        assert_eq!(field_id("distribution.messages.en.subject"), "subject-en");
        assert_eq!(field_id("settings.triggers.order_placed.delay_hours"), "delay_days");
        assert_eq!(field_id("settings.triggers.Order Placed"), "event_name");
        assert_eq!(field_id("settings.triggers.x.messages.de.body"), "body-de");
        // a whole language missing is said at its subject
        assert_eq!(field_id("messages.de"), "subject-de");
        assert_eq!(field_id("distribution.reminder.messages.fi"), "reminder-subject-fi");
        assert_eq!(field_id("list_id"), "list_id");
    }

    #[test]
    fn the_quiet_period_is_the_projects_until_changed_and_checked_at_its_field() {
        let c = Context {
            org: "Nordwind".into(),
            languages: vec![Lang::En],
            quiet_days: 30,
            lists: vec![("l1".into(), "Kunden".into(), 3)],
            tz: "UTC".into(),
            triggers: vec![],
        };
        let mut d = Draft::new(&c.languages, "me@example.com", c.quiet_days);
        d.list_id = "l1".into();
        assert_eq!(d.body("UTC")["quiet_period_days"], 30, "the project's to begin with");
        assert_eq!(check_form(Lang::En, &c, &d, 0), None);
        d.quiet_days = "0".into();
        assert_eq!((check_form(Lang::En, &c, &d, 0), d.body("UTC")["quiet_period_days"].as_u64()), (None, Some(0)));
        for (typed, message) in [("400", "at most 365 days"), ("ten", "whole number")] {
            d.quiet_days = typed.into();
            let (field, said) = check_form(Lang::En, &c, &d, 0).expect("refused");
            assert_eq!(field, "quiet_period_days");
            assert!(said.contains(message), "{typed}: {said}");
        }
        d.quiet_days = "400".into();
        assert!(check_form(Lang::De, &c, &d, 0).unwrap().1.contains("365 Tage"), "in the reader's language");
    }

    #[test]
    fn the_default_invitation_is_in_its_own_language_with_the_links() {
        let (subject, body) = default_invitation(Lang::De, false);
        assert!(subject.contains("{{Organisation}}"), "{subject}");
        assert!(body.contains("{{SurveyLink}}") && body.contains("{{UnsubscribeLink}}") && body.contains("{{FirstName}}"), "{body}");
        assert_ne!(default_invitation(Lang::En, false).1, body, "German, not English");
    }
}
