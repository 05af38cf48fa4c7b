//! The guided setup of a project, step by step: what it is, its questions
//! (with their wording and the optional ones to leave out), what happens
//! after a response, its account, its logo, and a summary to publish from.
//!
//! Every step saves the draft through the admin API (create, then JSON merge
//! patches of the settings), so each step is validated by the same rules as
//! the API, with the error shown at its field; "Save as draft" keeps the
//! user on the step, and nothing already saved is lost by a refused step.

use axum::http::Method;
use lambda_http::{Body, Response};
use maud::{html, Markup};
use pulse_shared::domain::i18n::{pick, t, t_args, Lang};
use pulse_shared::domain::kinds::SizeMeasure;
use pulse_shared::domain::project::{Settings, DEFAULT_CHANNELS};
use pulse_shared::domain::survey::{generate, Definition};
use pulse_shared::render::console::{csrf_field, field, page, Section};
use pulse_shared::render::keys;
use serde_json::{json, Value};

use super::projects::{kind_name, text};
use super::{all, first, html_response, see_other, Failure, Page, PageResult};

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Basics,
    Questions,
    Wording,
    After,
    Account,
    Logo,
    Summary,
}

impl Step {
    const ALL: [Step; 7] = [Step::Basics, Step::Questions, Step::Wording, Step::After, Step::Account, Step::Logo, Step::Summary];

    fn slug(self) -> &'static str {
        match self {
            Step::Basics => "basics",
            Step::Questions => "questions",
            Step::Wording => "wording",
            Step::After => "after",
            Step::Account => "account",
            Step::Logo => "logo",
            Step::Summary => "summary",
        }
    }

    pub(super) fn parse(slug: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.slug() == slug)
    }

    fn title(self, l: Lang) -> String {
        t(
            l,
            match self {
                Step::Basics => keys::C_STEP_BASICS,
                Step::Questions => keys::C_STEP_QUESTIONS,
                Step::Wording => keys::C_STEP_WORDING,
                Step::After => keys::C_STEP_AFTER,
                Step::Account => keys::C_STEP_ACCOUNT,
                Step::Logo => keys::C_STEP_LOGO,
                Step::Summary => keys::C_STEP_SUMMARY,
            },
        )
    }

    fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    fn next(self) -> Step {
        Step::ALL.get(self.index() + 1).copied().unwrap_or(Step::Summary)
    }

    fn back(self) -> Step {
        Step::ALL[self.index().saturating_sub(1)]
    }
}

/// An error at a field: the form field's id and the message.
type FieldError = (String, String);

/// The form field id of an API field path (`settings.follow_ups.recipients[1]` → `follow_ups-recipients`).
fn field_id(path: &str) -> String {
    path.trim_start_matches("settings.").split('[').next().unwrap_or_default().replace('.', "-")
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn joined(v: &Value) -> String {
    v.as_array().map(|a| a.iter().map(text).collect::<Vec<_>>().join("\n")).unwrap_or_default()
}

fn error_for<'a>(errors: &'a [FieldError], id: &str) -> Option<&'a str> {
    errors.iter().find(|(f, _)| f == id || f.starts_with(&format!("{id}-"))).map(|(_, m)| m.as_str())
}

/// The list of steps, the current one marked.
fn progress(l: Lang, id: Option<&str>, current: Step) -> Markup {
    html! {
        nav aria-label=(t(l, keys::C_STEPS)) {
            ol.steps {
                @for (i, s) in Step::ALL.iter().enumerate() {
                    li aria-current=[(*s == current).then_some("step")] {
                        @match id {
                            Some(id) if *s != current => a href={ "/console/projects/" (id) "/setup/" (s.slug()) } { (i + 1) ". " (s.title(l)) },
                            _ => span { (i + 1) ". " (s.title(l)) },
                        }
                    }
                }
            }
        }
        p.hint { (t_args(l, keys::C_STEP_OF, &[("step", (current.index() + 1).into()), ("steps", Step::ALL.len().into())])) }
    }
}

fn error_summary(l: Lang, errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.alert role="alert" {
                p { strong { (t(l, keys::C_WIZARD_ERRORS)) } }
                ul { @for (f, m) in errors { li { a href={ "#" (f) } { (m) } } } }
            }
        }
    }
}

/// The buttons of a step: back, save as draft, save and continue.
fn buttons(l: Lang, step: Step) -> Markup {
    html! {
        div {
            // Enter submits the first button: continue
            @if step != Step::Summary { button type="submit" name="go" value="next" { (t(l, keys::C_SAVE_CONTINUE)) } }
            button.secondary type="submit" name="go" value="stay" { (t(l, keys::C_SAVE_DRAFT)) }
            @if step != Step::Basics { button.secondary type="submit" name="go" value="back" { (t(l, keys::C_BACK)) } }
        }
    }
}

fn radio(name: &str, value: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.choice { input type="radio" id={ (name) "-" (value) } name=(name) value=(value) checked[checked]; label for={ (name) "-" (value) } { (label) } }
    }
}

fn checkbox(name: &str, value: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.choice { input type="checkbox" id={ (name) "-" (value) } name=(name) value=(value) checked[checked]; label for={ (name) "-" (value) } { (label) } }
    }
}

/// The form of the basics step (also the new-project page).
fn basics_form(l: Lang, id: Option<&str>, s: &Value, kind: &str, errors: &[FieldError]) -> Markup {
    let langs: Vec<&str> = s["languages"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_else(|| vec!["en"]);
    let default = langs.first().copied().unwrap_or("en");
    let business = s["business_type"].as_str().unwrap_or("B2C");
    html! {
        fieldset id="kind" {
            legend { (t(l, keys::C_FIELD_KIND)) span.hint { (t(l, keys::C_FIELD_KIND_HINT)) } }
            @for (value, key) in [("quick_check_in", keys::C_KIND_QUICK), ("assessment", keys::C_KIND_ASSESSMENT)] {
                div.choice {
                    input type="radio" id={ "kind-" (value) } name="kind" value=(value) checked[kind == value] disabled[id.is_some()];
                    label for={ "kind-" (value) } { (t(l, key)) }
                }
            }
        }
        (field("organisation_name", &t(l, keys::C_FIELD_ORG), "text", s["organisation_name"].as_str().unwrap_or_default(), None, error_for(errors, "organisation_name"), true))
        fieldset id="business_type" {
            legend { (t(l, keys::C_FIELD_BUSINESS)) }
            (radio("business_type", "B2B", &t(l, keys::C_BUSINESS_B2B), business == "B2B"))
            (radio("business_type", "B2C", &t(l, keys::C_BUSINESS_B2C), business == "B2C"))
        }
        fieldset id="languages" {
            legend { (t(l, keys::C_FIELD_LANGUAGES)) }
            @if let Some(e) = error_for(errors, "languages") { p.error { (e) } }
            @for lang in Lang::ALL {
                div.choice {
                    input type="checkbox" id={ "languages-" (lang.code()) } name="languages" value=(lang.code()) checked[langs.contains(&lang.code())];
                    label for={ "languages-" (lang.code()) } lang=(lang.code()) { (lang.native_name()) }
                }
            }
        }
        label for="default_language" { (t(l, keys::C_FIELD_DEFAULT_LANGUAGE)) span.hint { (t(l, keys::C_FIELD_DEFAULT_LANGUAGE_HINT)) } }
        select id="default_language" name="default_language" {
            @for lang in Lang::ALL { option value=(lang.code()) lang=(lang.code()) selected[lang.code() == default] { (lang.native_name()) } }
        }
        (field("operational_fields", &t(l, keys::C_FIELD_OPERATIONAL), "textarea", &joined(&s["operational_fields"]), Some(&t(l, keys::C_FIELD_OPERATIONAL_HINT)), error_for(errors, "operational_fields"), false))
    }
}

/// The settings patch of the basics step (and the settings of a new project).
fn basics_patch(f: &[(String, String)], current: &Value) -> (Value, Vec<(String, &'static str)>) {
    let mut problems = Vec::new();
    let checked = all(f, "languages");
    let default = first(f, "default_language");
    let mut languages: Vec<&str> = Vec::new();
    if checked.contains(&default) {
        languages.push(default);
    }
    languages.extend(checked.iter().filter(|c| **c != default));
    if first(f, "organisation_name").trim().is_empty() {
        problems.push(("organisation_name".to_string(), keys::C_ERR_REQUIRED));
    }
    if languages.is_empty() {
        problems.push(("languages".to_string(), keys::C_ERR_LANGUAGE_NEEDED));
    } else if !checked.contains(&default) {
        problems.push(("default_language".to_string(), keys::C_ERR_DEFAULT_LANGUAGE));
    }
    let business = first(f, "business_type");
    let mut patch = json!({
        "organisation_name": first(f, "organisation_name").trim(),
        "business_type": business,
        "languages": languages,
        "operational_fields": lines(first(f, "operational_fields")),
    });
    // switching the business type brings the other type's questions with their defaults
    if business == "B2B" && current["b2b"].is_null() {
        patch["b2b"] = json!({ "industries": [], "company_size": { "measure": "employees" } });
        patch["b2c"] = Value::Null;
    } else if business == "B2C" && current["b2c"].is_null() {
        patch["b2c"] = json!({ "measure_in_person": false });
        patch["b2b"] = Value::Null;
    }
    (patch, problems)
}

/// The new-project page: the basics step before the project exists.
pub(super) fn new_page(p: &Page<'_>, values: &Value, kind: &str, errors: &[FieldError], status: u16) -> Response<Body> {
    let l = p.lang();
    let body = html! {
        p { a href="/console" { "← " (t(l, keys::C_NAV_PROJECTS)) } }
        h1 { (t(l, keys::C_WIZARD_TITLE)) }
        (progress(l, None, Step::Basics))
        (error_summary(l, errors))
        form method="post" action="/console/projects/new" novalidate {
            (csrf_field(p.chrome.csrf))
            h2 { (Step::Basics.title(l)) }
            (basics_form(l, None, values, kind, errors))
            (buttons(l, Step::Basics))
        }
    };
    html_response(status, page(&p.in_section(Section::Projects), &t(l, keys::C_WIZARD_TITLE), body), vec![])
}

/// Creates the project from the basics step.
pub(super) async fn create(p: &Page<'_>) -> PageResult {
    let l = p.lang();
    let kind = match first(p.fields, "kind") {
        "assessment" => "assessment",
        _ => "quick_check_in",
    };
    let (settings, problems) = basics_patch(p.fields, &Value::Null);
    let mut settings = settings;
    if let Value::Object(m) = &mut settings {
        m.retain(|_, v| !v.is_null());
    }
    if !problems.is_empty() {
        let errors: Vec<FieldError> = problems.into_iter().map(|(f, k)| (f, t(l, k))).collect();
        return Ok(new_page(p, &settings, kind, &errors, 400));
    }
    match p.api(Method::POST, "/admin/projects", Some(json!({ "kind": kind, "settings": settings }))).await {
        Ok(created) => {
            let id = created["id"].as_str().unwrap_or_default();
            let next = match first(p.fields, "go") {
                "stay" => format!("/console/projects/{id}/setup/basics?saved=1"),
                _ => format!("/console/projects/{id}/setup/questions"),
            };
            Ok(see_other(&next, vec![]))
        }
        Err(Failure::Api { status: 400, body }) => {
            let errors = vec![api_error(l, &body)];
            Ok(new_page(p, &settings, kind, &errors, 400))
        }
        Err(other) => Err(other),
    }
}

/// The field and message of an API error, the message prefixed in the user's language.
fn api_error(l: Lang, body: &Value) -> FieldError {
    let field = field_id(body["field"].as_str().unwrap_or("organisation_name"));
    let message = body["message"].as_str().unwrap_or_default().trim_start_matches("settings.");
    (field, t_args(l, keys::C_ERR_FIELD, &[("detail", message.into())]))
}

/// A step of an existing project's setup.
pub(super) async fn step_page(p: &Page<'_>, id: &str, step: Step) -> PageResult {
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    render_step(p, id, step, &project, &[], 200).await
}

async fn render_step(p: &Page<'_>, id: &str, step: Step, project: &Value, errors: &[FieldError], status: u16) -> PageResult {
    let l = p.lang();
    let s = &project["settings"];
    let kind = project["kind"].as_str().unwrap_or_default();
    let notice = (first(p.query, "saved") == "1").then(|| t(l, keys::C_SAVED_NOTICE));
    let content = match step {
        Step::Basics => basics_form(l, Some(id), s, kind, errors),
        Step::Questions => questions_form(l, s, kind, errors),
        Step::Wording => wording_form(l, s, kind),
        Step::After => after_form(l, s, errors),
        Step::Account => account_form(p, s).await?,
        Step::Logo => logo_form(l, project, errors),
        Step::Summary => summary(l, id, project),
    };
    let multipart = step == Step::Logo;
    let body = html! {
        p { a href={ "/console/projects/" (id) } { "← " (text(&s["organisation_name"])) } }
        h1 { (t(l, keys::C_WIZARD_TITLE)) }
        (progress(l, Some(id), step))
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        (error_summary(l, errors))
        form method="post" action={ "/console/projects/" (id) "/setup/" (step.slug()) } enctype=[multipart.then_some("multipart/form-data")] novalidate {
            (csrf_field(p.chrome.csrf))
            h2 { (step.title(l)) }
            (content)
            (buttons(l, step))
        }
        @if step == Step::Summary && p.role.allows(pulse_shared::domain::access::Role::Editor) {
            form method="post" action={ "/console/projects/" (id) "/publish" } {
                (csrf_field(p.chrome.csrf))
                p.hint { (t(l, keys::C_PUBLISH_HINT)) }
                button type="submit" { (t(l, keys::C_PUBLISH)) }
            }
        }
    };
    Ok(html_response(
        status,
        page(&p.in_section(Section::Projects), &format!("{} – {}", t(l, keys::C_WIZARD_TITLE), step.title(l)), body),
        vec![],
    ))
}

fn questions_form(l: Lang, s: &Value, kind: &str, errors: &[FieldError]) -> Markup {
    let b2b = s["business_type"].as_str() == Some("B2B");
    let measure = s["b2b"]["company_size"]["measure"].as_str().unwrap_or("employees");
    let bands = if s["b2b"]["company_size"]["bands"].as_array().is_some_and(|a| !a.is_empty()) {
        joined(&s["b2b"]["company_size"]["bands"])
    } else {
        let m = if measure == "revenue" { SizeMeasure::Revenue } else { SizeMeasure::Employees };
        m.default_bands().join("\n")
    };
    let channels = if s["b2c"]["channels"].as_array().is_some_and(|a| !a.is_empty()) {
        joined(&s["b2c"]["channels"])
    } else {
        DEFAULT_CHANNELS.join("\n")
    };
    let demographics = s["demographics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    let label = d["label"]["en"].as_str().unwrap_or_default();
                    let options: Vec<String> = d["options"].as_array().map(|o| o.iter().map(text).collect()).unwrap_or_default();
                    if options.is_empty() {
                        label.to_string()
                    } else {
                        format!("{label}: {}", options.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let hidden: Vec<&str> = s["hidden_questions"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let optional = optional_questions(s, kind);
    html! {
        @if b2b {
            (field("b2b-industries", &t(l, keys::C_FIELD_INDUSTRIES), "textarea", &joined(&s["b2b"]["industries"]), Some(&t(l, keys::C_ONE_PER_LINE)), error_for(errors, "b2b-industries"), false))
            fieldset id="b2b-company_size-measure" {
                legend { (t(l, keys::C_FIELD_SIZE_MEASURE)) }
                (radio("size_measure", "employees", &t(l, keys::C_SIZE_EMPLOYEES), measure != "revenue"))
                (radio("size_measure", "revenue", &t(l, keys::C_SIZE_REVENUE), measure == "revenue"))
            }
            (field("b2b-company_size-bands", &t(l, keys::C_FIELD_SIZE_BANDS), "textarea", &bands, Some(&t(l, keys::C_FIELD_SIZE_BANDS_HINT)), error_for(errors, "b2b-company_size"), false))
        } @else {
            fieldset id="b2c" {
                legend { (t(l, keys::C_FIELD_IN_PERSON)) }
                (checkbox("measure_in_person", "yes", &t(l, keys::C_FIELD_IN_PERSON_YES), s["b2c"]["measure_in_person"].as_bool() == Some(true)))
            }
            (field("b2c-channels", &t(l, keys::C_FIELD_CHANNELS), "textarea", &channels, Some(&t(l, keys::C_ONE_PER_LINE)), error_for(errors, "b2c-channels"), false))
            (field("b2c-locations", &t(l, keys::C_FIELD_LOCATIONS), "textarea", &joined(&s["b2c"]["locations"]), Some(&t(l, keys::C_FIELD_LOCATIONS_HINT)), error_for(errors, "b2c-locations"), false))
        }
        (field("demographics", &t(l, keys::C_FIELD_DEMOGRAPHICS), "textarea", &demographics, Some(&t(l, keys::C_FIELD_DEMOGRAPHICS_HINT)), error_for(errors, "demographics"), false))
        @if !optional.is_empty() {
            fieldset id="hidden_questions" {
                legend { (t(l, keys::C_FIELD_HIDDEN)) span.hint { (t(l, keys::C_FIELD_HIDDEN_HINT)) } }
                @for (qid, label) in &optional {
                    (checkbox("hidden_questions", qid, label, hidden.contains(&qid.as_str())))
                }
            }
        }
    }
}

/// The settings as the domain type (for generating the survey here).
fn settings_of(s: &Value) -> Option<Settings> {
    serde_json::from_value(s.clone()).ok()
}

/// The generated survey without the operators' wording and hiding.
fn plain_survey(s: &Value, kind: &str) -> Option<Definition> {
    let mut settings = settings_of(s)?;
    settings.wording.clear();
    settings.hidden_questions.clear();
    let kind = serde_json::from_value(json!(kind)).ok()?;
    Some(generate("draft", kind, &settings, 0))
}

/// Optional questions with their text in English (id, text).
fn optional_questions(s: &Value, kind: &str) -> Vec<(String, String)> {
    plain_survey(s, kind)
        .map(|d| d.questions.iter().filter(|q| !q.required).map(|q| (q.id.clone(), pick(&q.text, Lang::En).to_string())).collect())
        .unwrap_or_default()
}

fn wording_form(l: Lang, s: &Value, kind: &str) -> Markup {
    let Some(plain) = plain_survey(s, kind) else { return html! {} };
    let langs: Vec<Lang> =
        s["languages"].as_array().map(|a| a.iter().filter_map(|v| Lang::parse(v.as_str()?)).collect()).unwrap_or_default();
    html! {
        p { (t(l, keys::C_WORDING_INTRO)) }
        @for q in &plain.questions {
            fieldset id={ "wording-" (q.id) } {
                legend { (pick(&q.text, l)) }
                @for lang in &langs {
                    @let name = format!("wording.{}.{}", q.id, lang.code());
                    @let input_id = format!("wording-{}-{}", q.id, lang.code());
                    @let current = s["wording"][&q.id][lang.code()].as_str().unwrap_or_default();
                    label for=(input_id) lang=(lang.code()) { (lang.native_name()) }
                    input type="text" id=(input_id) name=(name) lang=(lang.code()) value=(if current.is_empty() { pick(&q.text, *lang) } else { current });
                }
            }
        }
    }
}

fn after_form(l: Lang, s: &Value, errors: &[FieldError]) -> Markup {
    let mode = s["notifications"]["rule"]["mode"].as_str().unwrap_or("off");
    let n = s["notifications"]["rule"]["n"].as_u64().map(|n| n.to_string()).unwrap_or_else(|| "10".into());
    let schedule = s["reports"]["schedule"].as_str().unwrap_or("weekly");
    html! {
        (field("resource_page_url", &t(l, keys::C_FIELD_RESOURCE), "url", s["resource_page_url"].as_str().unwrap_or_default(), None, error_for(errors, "resource_page_url"), false))
        fieldset id="follow_ups" {
            legend { (t(l, keys::C_FIELD_FOLLOW_UPS)) span.hint { (t(l, keys::C_FIELD_FOLLOW_UPS_HINT)) } }
            (checkbox("follow_ups", "on", &t(l, keys::C_FIELD_FOLLOW_UPS_ON), s["follow_ups"]["enabled"].as_bool() == Some(true)))
            (field("follow_ups-recipients", &t(l, keys::C_FIELD_RECIPIENTS), "textarea", &joined(&s["follow_ups"]["recipients"]), Some(&t(l, keys::C_RECIPIENTS_HINT)), error_for(errors, "follow_ups"), false))
        }
        fieldset id="notifications" {
            legend { (t(l, keys::C_FIELD_NOTIFICATIONS)) }
            (radio("notifications-mode", "off", &t(l, keys::C_NOTIFY_OFF), mode == "off"))
            (radio("notifications-mode", "every", &t(l, keys::C_NOTIFY_EVERY), mode == "every"))
            (radio("notifications-mode", "once", &t(l, keys::C_NOTIFY_ONCE), mode == "once"))
            (field("notifications-rule-n", &t(l, keys::C_FIELD_NOTIFY_N), "number", &n, None, error_for(errors, "notifications-rule"), false))
            (field("notifications-recipients", &t(l, keys::C_FIELD_RECIPIENTS), "textarea", &joined(&s["notifications"]["recipients"]), Some(&t(l, keys::C_RECIPIENTS_HINT)), error_for(errors, "notifications-recipients"), false))
        }
        fieldset id="reports" {
            legend { (t(l, keys::C_FIELD_REPORTS)) }
            @for (value, key) in [("off", keys::C_REPORT_OFF), ("daily", keys::C_REPORT_DAILY), ("weekly", keys::C_REPORT_WEEKLY), ("monthly", keys::C_REPORT_MONTHLY)] {
                (radio("reports-schedule", value, &t(l, key), schedule == value))
            }
            (field("reports-subscribers", &t(l, keys::C_FIELD_SUBSCRIBERS), "textarea", &joined(&s["reports"]["subscribers"]), Some(&t(l, keys::C_RECIPIENTS_HINT)), error_for(errors, "reports-subscribers"), false))
        }
    }
}

async fn account_form(p: &Page<'_>, s: &Value) -> Result<Markup, Failure> {
    let l = p.lang();
    let accounts = p.api(Method::GET, "/admin/accounts", None).await?;
    let current = s["account_id"].as_str().unwrap_or_default();
    Ok(html! {
        p { (t(l, keys::C_ACCOUNT_INTRO)) }
        label for="account_id" { (t(l, keys::C_FIELD_ACCOUNT)) }
        select id="account_id" name="account_id" {
            option value="" selected[current.is_empty()] { (t(l, keys::C_NO_ACCOUNT)) }
            @for a in accounts["accounts"].as_array().into_iter().flatten() {
                option value=(text(&a["id"])) selected[a["id"].as_str() == Some(current)] { (text(&a["name"])) " (" (text(&a["plan"])) ")" }
            }
        }
        p { a href="/console/budgets" { (t(l, keys::C_NAV_BUDGETS)) } }
    })
}

fn logo_form(l: Lang, project: &Value, errors: &[FieldError]) -> Markup {
    html! {
        @if let Some(url) = project["logo_url"].as_str() {
            p { (t(l, keys::C_LOGO_CURRENT)) }
            p { img src=(url) alt=(t(l, keys::C_LOGO_CURRENT)) style="max-height:4rem;max-width:12rem"; }
        }
        div class=[error_for(errors, "logo").map(|_| "invalid")] {
            label for="logo" { (t(l, keys::C_FIELD_LOGO)) span.hint id="logo-hint" { (t(l, keys::C_FIELD_LOGO_HINT)) } }
            @if let Some(e) = error_for(errors, "logo") { p.error id="logo-error" { (e) } }
            input type="file" id="logo" name="logo" accept="image/png,image/jpeg,image/svg+xml" aria-describedby="logo-hint";
        }
    }
}

fn summary(l: Lang, id: &str, project: &Value) -> Markup {
    let s = &project["settings"];
    let list = |v: &Value| {
        let joined = v.as_array().map(|a| a.iter().map(text).collect::<Vec<_>>().join(", ")).unwrap_or_default();
        if joined.is_empty() {
            "–".to_string()
        } else {
            joined
        }
    };
    let edit = |step: Step| html! { " " a href={ "/console/projects/" (id) "/setup/" (step.slug()) } { (t(l, keys::C_EDIT)) span style="position:absolute;left:-9999px" { " " (step.title(l)) } } };
    html! {
        dl.summary {
            dt { (t(l, keys::C_FIELD_KIND)) } dd { (kind_name(l, project["kind"].as_str().unwrap_or_default())) }
            dt { (t(l, keys::C_FIELD_ORG)) } dd { (text(&s["organisation_name"])) (edit(Step::Basics)) }
            dt { (t(l, keys::C_FIELD_BUSINESS)) } dd { (text(&s["business_type"])) }
            dt { (t(l, keys::C_FIELD_LANGUAGES)) } dd { (list(&s["languages"])) }
            dt { (t(l, keys::C_FIELD_OPERATIONAL)) } dd { (list(&s["operational_fields"])) }
            dt { (t(l, keys::C_FIELD_HIDDEN)) } dd { (list(&s["hidden_questions"])) (edit(Step::Questions)) }
            dt { (t(l, keys::C_FIELD_RESOURCE)) } dd { (text(&s["resource_page_url"])) (edit(Step::After)) }
            dt { (t(l, keys::C_FIELD_FOLLOW_UPS)) } dd { (list(&s["follow_ups"]["recipients"])) }
            dt { (t(l, keys::C_FIELD_NOTIFICATIONS)) } dd { (text(&s["notifications"]["rule"]["mode"])) " " (text(&s["notifications"]["rule"]["n"])) }
            dt { (t(l, keys::C_FIELD_REPORTS)) } dd { (text(&s["reports"]["schedule"])) }
            dt { (t(l, keys::C_FIELD_ACCOUNT)) } dd { (text(&s["account_id"])) (edit(Step::Account)) }
        }
        p { a href={ "/console/projects/" (id) "/preview" } { (t(l, keys::C_PREVIEW_OPEN)) } }
    }
}

/// The settings patch of a step's form, or the fields the console already
/// knows are wrong (message keys).
fn patch_of(step: Step, f: &[(String, String)], current: &Value, kind: &str) -> (Value, Vec<(String, &'static str)>) {
    let mut problems = Vec::new();
    let patch = match step {
        Step::Basics => return basics_patch(f, current),
        Step::Questions => {
            let demographics: Vec<Value> = lines(first(f, "demographics"))
                .iter()
                .map(|line| match line.split_once(':') {
                    Some((label, options)) => json!({ "label": { "en": label.trim() },
                        "options": options.split(',').map(str::trim).filter(|o| !o.is_empty()).collect::<Vec<_>>() }),
                    None => json!({ "label": { "en": line } }),
                })
                .collect();
            let mut patch = json!({ "demographics": demographics, "hidden_questions": all(f, "hidden_questions") });
            if current["business_type"].as_str() == Some("B2B") {
                patch["b2b"] = json!({ "industries": lines(first(f, "b2b-industries")),
                    "company_size": { "measure": if first(f, "size_measure") == "revenue" { "revenue" } else { "employees" },
                                      "bands": lines(first(f, "b2b-company_size-bands")) } });
            } else {
                patch["b2c"] = json!({ "measure_in_person": first(f, "measure_in_person") == "yes",
                    "channels": lines(first(f, "b2c-channels")), "locations": lines(first(f, "b2c-locations")) });
            }
            patch
        }
        Step::Wording => {
            // only what differs from the generated text is kept
            let mut wording = serde_json::Map::new();
            if let Some(plain) = plain_survey(current, kind) {
                for q in &plain.questions {
                    let mut per_lang = serde_json::Map::new();
                    for lang in Lang::ALL {
                        let given = first(f, &format!("wording.{}.{}", q.id, lang.code())).trim();
                        if !given.is_empty() && given != pick(&q.text, lang) {
                            per_lang.insert(lang.code().to_string(), json!(given));
                        }
                    }
                    if !per_lang.is_empty() {
                        wording.insert(q.id.clone(), Value::Object(per_lang));
                    }
                }
            }
            // the whole map is replaced: a merge patch of null first, then the new one
            json!({ "wording": Value::Object(wording) })
        }
        Step::After => {
            let url = first(f, "resource_page_url").trim();
            if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
                problems.push(("resource_page_url".to_string(), keys::C_ERR_URL));
            }
            for list in ["follow_ups-recipients", "notifications-recipients", "reports-subscribers"] {
                if lines(first(f, list)).iter().any(|a| pulse_shared::domain::mail::parse_email(a).is_err()) {
                    problems.push((list.to_string(), keys::C_ERR_EMAILS));
                }
            }
            let mode = first(f, "notifications-mode");
            let n: Option<u64> = first(f, "notifications-rule-n").trim().parse().ok();
            if mode != "off" && n.is_none() {
                problems.push(("notifications-rule-n".to_string(), keys::C_ERR_NUMBER));
            }
            let rule = match mode {
                "every" | "once" => json!({ "mode": mode, "n": n.unwrap_or(0) }),
                _ => json!({ "mode": "off" }),
            };
            json!({
                "resource_page_url": if url.is_empty() { Value::Null } else { json!(url) },
                "follow_ups": { "enabled": first(f, "follow_ups") == "on", "recipients": lines(first(f, "follow_ups-recipients")) },
                "notifications": { "rule": rule, "recipients": lines(first(f, "notifications-recipients")) },
                "reports": { "schedule": first(f, "reports-schedule"), "subscribers": lines(first(f, "reports-subscribers")) },
            })
        }
        Step::Account => {
            let a = first(f, "account_id");
            json!({ "account_id": if a.is_empty() { Value::Null } else { json!(a) } })
        }
        Step::Logo | Step::Summary => json!({}),
    };
    (patch, problems)
}

/// Saves a step, then goes on, back, or stays.
pub(super) async fn save(p: &Page<'_>, id: &str, step: Step, logo: Option<(String, Vec<u8>)>) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let kind = project["kind"].as_str().unwrap_or_default();
    let (patch, problems) = patch_of(step, p.fields, &project["settings"], kind);
    let mut shown = project.clone();
    if !problems.is_empty() {
        let errors: Vec<FieldError> = problems.into_iter().map(|(f, k)| (f, t(l, k))).collect();
        merge(&mut shown["settings"], &patch);
        return render_step(p, id, step, &shown, &errors, 400).await;
    }
    if step == Step::Wording {
        // replace, not merge, the wording map
        p.api(Method::PATCH, &format!("/admin/projects/{id}"), Some(json!({ "settings": { "wording": null } }))).await?;
    }
    if patch.as_object().is_some_and(|m| !m.is_empty()) {
        match p.api(Method::PATCH, &format!("/admin/projects/{id}"), Some(json!({ "settings": patch }))).await {
            Ok(_) => {}
            Err(Failure::Api { status: 400 | 409, body }) => {
                merge(&mut shown["settings"], &patch);
                return render_step(p, id, step, &shown, &[api_error(l, &body)], 400).await;
            }
            Err(other) => return Err(other),
        }
    }
    if let Some((content_type, bytes)) = logo.filter(|(_, b)| !b.is_empty()) {
        let (status, body) =
            crate::call_raw(p.app, p.role, p.request_id, &format!("/admin/projects/{id}/logo"), &content_type, bytes).await;
        if status >= 400 {
            let message = match status {
                413 => t(l, keys::C_ERR_LOGO_SIZE),
                415 | 400 => t(l, keys::C_ERR_LOGO_TYPE),
                _ => text(&body["message"]),
            };
            if status == 403 {
                return Err(Failure::Api { status, body });
            }
            return render_step(p, id, step, &project, &[("logo".to_string(), message)], 400).await;
        }
    }
    let target = match first(p.fields, "go") {
        "back" => step.back(),
        "stay" => step,
        _ => step.next(),
    };
    let saved = if target == step { "?saved=1" } else { "" };
    Ok(see_other(&format!("/console/projects/{id}/setup/{}{saved}", target.slug()), vec![]))
}

/// A JSON merge patch applied to `target` (to show a refused step as the user filled it in).
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_default_language_comes_first_and_must_be_chosen() {
        let f = fields(&[
            ("organisation_name", "X"),
            ("business_type", "B2C"),
            ("languages", "en"),
            ("languages", "de"),
            ("default_language", "de"),
        ]);
        let (patch, problems) = basics_patch(&f, &json!({ "b2c": {} }));
        assert!(problems.is_empty());
        assert_eq!(patch["languages"], json!(["de", "en"]));
        let f = fields(&[("organisation_name", " "), ("business_type", "B2C"), ("languages", "en"), ("default_language", "fi")]);
        let (_, problems) = basics_patch(&f, &json!({}));
        let named: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(named, ["organisation_name", "default_language"]);
    }

    #[test]
    fn switching_to_b2b_brings_its_questions_and_drops_b2c() {
        let f = fields(&[("organisation_name", "X"), ("business_type", "B2B"), ("languages", "en"), ("default_language", "en")]);
        let (patch, _) = basics_patch(&f, &json!({ "b2c": { "measure_in_person": true } }));
        assert_eq!(patch["b2b"]["company_size"]["measure"], "employees");
        assert_eq!(patch["b2c"], Value::Null);
    }

    #[test]
    fn demographics_lines_become_questions_with_options() {
        let f = fields(&[("demographics", "Age group: 18–34, 35+\nFavourite shop\n")]);
        let (patch, _) = patch_of(Step::Questions, &f, &json!({ "business_type": "B2C" }), "quick_check_in");
        assert_eq!(
            patch["demographics"],
            json!([{ "label": { "en": "Age group" }, "options": ["18–34", "35+"] }, { "label": { "en": "Favourite shop" } }])
        );
    }

    #[test]
    fn a_notification_rule_needs_its_number_and_api_fields_map_to_form_fields() {
        let f = fields(&[("notifications-mode", "every"), ("notifications-rule-n", "ten"), ("reports-schedule", "weekly")]);
        let (_, problems) = patch_of(Step::After, &f, &json!({}), "quick_check_in");
        assert_eq!(problems[0].0, "notifications-rule-n");
        assert_eq!(field_id("settings.follow_ups.recipients[2]"), "follow_ups-recipients");
        assert_eq!(field_id("organisation_name"), "organisation_name");
    }

    #[test]
    fn addresses_and_links_are_checked_before_the_api_is_asked() {
        let f = fields(&[
            ("resource_page_url", "example.com/help"),
            ("follow_ups-recipients", "cx@example.com\nnot an address"),
            ("notifications-mode", "off"),
        ]);
        let (_, problems) = patch_of(Step::After, &f, &json!({}), "quick_check_in");
        let named: Vec<(&str, &str)> = problems.iter().map(|(f, k)| (f.as_str(), *k)).collect();
        assert_eq!(named, [("resource_page_url", keys::C_ERR_URL), ("follow_ups-recipients", keys::C_ERR_EMAILS)]);
    }

    #[test]
    fn a_refused_step_is_shown_as_filled_in() {
        let mut v = json!({ "a": 1, "b": { "c": 2, "d": 3 } });
        merge(&mut v, &json!({ "a": null, "b": { "c": 5 }, "e": [1] }));
        assert_eq!(v, json!({ "b": { "c": 5, "d": 3 }, "e": [1] }));
    }
}
