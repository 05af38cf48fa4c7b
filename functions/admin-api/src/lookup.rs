//! What the feature modules share (a leaf: it imports none of them):
//! loading a project, checking a contact given in a request body, a
//! project's account, and the lock on custom attributes that hold data.

#[allow(unused_imports)]
use pulse_shared::ports::*;
use std::collections::BTreeMap;

use pulse_shared::domain::mail::parse_email;
use pulse_shared::domain::project::Project;
use pulse_shared::{App, Error};

pub(crate) async fn load(app: &App, id: &str) -> Result<Project, Error> {
    app.aws.get_project(id).await?.ok_or_else(|| Error::not_found(format!("project {id}")))
}

/// Checks a contact given in a request body (email, names, operational
/// fields of the project `p`); returns the trimmed address.
pub(crate) fn check_contact(
    p: &Project,
    email: &str,
    first_name: &str,
    last_name: &str,
    fields: &BTreeMap<String, String>,
) -> Result<String, Error> {
    let email = parse_email(email).map_err(|e| Error::bad_field("email", e.to_string()))?;
    for (name, value) in [("first_name", first_name), ("last_name", last_name)] {
        if value.trim().is_empty() {
            return Err(Error::bad_field(name, format!("{name} must not be empty")));
        }
    }
    if let Some(unknown) = fields.keys().find(|k| !p.settings.operational_fields.contains(k)) {
        return Err(Error::bad_field(
            format!("fields.{unknown}"),
            format!("{unknown:?} is not an operational field of this project (they are: {})", p.settings.operational_fields.join(", ")),
        ));
    }
    Ok(email)
}

/// Refuses a change of the custom attributes' types once they hold data (409).
pub async fn check_attribute_lock(
    app: &App,
    project_id: &str,
    old: &[pulse_shared::domain::b2b::AttributeDef],
    new: &[pulse_shared::domain::b2b::AttributeDef],
) -> Result<(), Error> {
    if old == new {
        return Ok(());
    }
    let with_data = app.aws.attributes_with_data(project_id).await?;
    pulse_shared::domain::b2b::check_attribute_change(old, new, |n| with_data.contains(n))
        .map_err(|e| Error::Conflict(format!("settings.b2b_import.attributes: {e}")))
}

/// Checks that a project's account exists (400 naming the field if not).
/// Returns the account's time zone (a new project without one of its own
/// takes it).
pub async fn check_project_account(app: &App, account_id: Option<&str>) -> Result<Option<String>, Error> {
    let Some(id) = account_id else { return Ok(None) };
    match app.aws.get_account(id).await? {
        Some(account) => Ok(Some(account.time_zone)),
        None => Err(Error::bad_field(
            "settings.account_id",
            format!("settings.account_id: no account {id:?}; create one with POST /admin/accounts"),
        )),
    }
}

/// Checks that each alert rule's segment is one the project's survey has
/// (an operational field or an "about you" question), naming the rule's
/// field in the error.
pub fn check_alert_segments(
    kind: pulse_shared::domain::project::Kind,
    settings: &pulse_shared::domain::project::Settings,
) -> Result<(), Error> {
    if settings.alerts.iter().all(|r| r.segment.is_none()) {
        return Ok(());
    }
    let def = pulse_shared::domain::survey::generate("draft", kind, settings, 1);
    let known: Vec<String> =
        pulse_shared::domain::report::dimensions(&def, &settings.operational_fields).iter().map(|d| d.name().to_string()).collect();
    pulse_shared::domain::alerts::check_segments(&settings.alerts, &known)
        .map_err(|(field, m)| Error::bad_field(format!("settings.{field}"), format!("settings.{field}: {m}")))
}
