//! The B2B drop folder's SFTP access: the host and user, the SSH keys, a
//! form to add one and a button to remove each (through the admin API).

use axum::http::Method;
use maud::html;
use pulse_shared::domain::access::Role;
use pulse_shared::domain::b2b::ssh::{self, KeyError};
use pulse_shared::domain::i18n::{t, t_args, Lang};
use pulse_shared::render::console::{csrf_field, field, page, Section};
use pulse_shared::render::keys;

use super::projects::{short_time, text};
use super::{first, html_response, see_other, Failure, Page, PageResult};

pub(super) async fn page_of(p: &Page<'_>, id: &str) -> PageResult {
    sftp_with(p, id, 200, None).await
}

async fn sftp_with(p: &Page<'_>, id: &str, status: u16, error: Option<String>) -> PageResult {
    let l = p.lang();
    let project = p.api(Method::GET, &format!("/admin/projects/{id}"), None).await?;
    let v = p.api(Method::GET, &format!("/admin/projects/{id}/b2b/sftp"), None).await?;
    let org = text(&project["settings"]["organisation_name"]);
    let title = t_args(l, keys::C_SFTP_TITLE, &[("org", org.as_str().into())]);
    let keys_of = v["keys"].as_array().cloned().unwrap_or_default();
    let (host, user) = (text(&v["host"]), text(&v["user_name"]));
    let editor = p.role.allows(Role::Editor);
    let posted = if error.is_some() { first(p.fields, "public_key").to_string() } else { String::new() };
    let body = html! {
        p { a href={ "/console/projects/" (id) "/accounts/sync" } { "← " (t(l, keys::C_SYNC_LINK)) } }
        h1 { (title) }
        @match first(p.query, "done") {
            "added" => p.notice role="status" { (t(l, keys::C_SFTP_ADDED)) },
            "removed" => p.notice role="status" { (t(l, keys::C_SFTP_REMOVED)) },
            _ => {},
        }
        p { (t(l, keys::C_SFTP_INTRO)) }
        @if v["enabled"] != true {
            p.notice { (t(l, keys::C_SFTP_OFF)) }
        } @else {
            dl {
                dt { (t(l, keys::C_SFTP_HOST)) } dd { code { (host) } }
                dt { (t(l, keys::C_SFTP_USER)) } dd { code { (user) } }
            }
            p { (t(l, keys::C_SFTP_HOW)) }
            pre { code {
                "sftp -i ~/.ssh/id_ed25519 " (user) "@" (host) "\n"
                "put Account.csv accounts/\n"
                "put Contact.csv contacts/\n"
                "put AccountTeamMember.csv team/"
            } }
            h2 { (t(l, keys::C_SFTP_KEYS)) }
            @if keys_of.is_empty() {
                p { (t(l, keys::C_SFTP_NO_KEYS)) }
            } @else {
                div.scroll { table {
                    thead { tr {
                        th scope="col" { (t(l, keys::C_SFTP_COL_TYPE)) }
                        th scope="col" { (t(l, keys::C_SFTP_COL_FINGERPRINT)) }
                        th scope="col" { (t(l, keys::C_SFTP_COL_ADDED)) }
                        @if editor { th scope="col" { span.visually-hidden { (t(l, keys::C_SFTP_REMOVE)) } } }
                    } }
                    tbody { @for k in &keys_of {
                        tr {
                            td { (text(&k["key_type"])) }
                            td { code { (text(&k["fingerprint"])) } }
                            td { (short_time(k["imported_at"].as_str().unwrap_or_default())) }
                            @if editor {
                                td {
                                    form method="post" action={ "/console/projects/" (id) "/accounts/sftp/" (text(&k["id"])) "/remove" } {
                                        (csrf_field(p.chrome.csrf))
                                        button.secondary type="submit" aria-label=(t_args(l, keys::C_SFTP_REMOVE_KEY, &[("fingerprint", text(&k["fingerprint"]).into())])) {
                                            (t(l, keys::C_SFTP_REMOVE))
                                        }
                                    }
                                }
                            }
                        }
                    } }
                } }
            }
            @if editor {
                h2 { (t(l, keys::C_SFTP_ADD)) }
                form method="post" action={ "/console/projects/" (id) "/accounts/sftp" } novalidate {
                    (csrf_field(p.chrome.csrf))
                    (field("public_key", &t(l, keys::C_SFTP_PUBLIC_KEY), "textarea", &posted, Some(&t(l, keys::C_SFTP_PUBLIC_KEY_HINT)), error.as_deref(), true))
                    button type="submit" { (t(l, keys::C_SFTP_ADD_BUTTON)) }
                }
            }
        }
    };
    Ok(html_response(status, page(&p.in_section(Section::Projects), &title, body), vec![]))
}

/// What is wrong with a pasted key, in the user's language.
fn key_problem(l: Lang, e: &KeyError) -> String {
    match e {
        KeyError::Empty => t(l, keys::C_SFTP_ERR_EMPTY),
        KeyError::Private => t(l, keys::C_SFTP_ERR_PRIVATE),
        KeyError::UnknownType(kind) => t_args(l, keys::C_SFTP_ERR_TYPE, &[("type", kind.as_str().into())]),
        KeyError::NotBase64 | KeyError::Mismatch { .. } => t(l, keys::C_SFTP_ERR_BODY),
        KeyError::WeakRsa(bits) => t_args(l, keys::C_SFTP_ERR_WEAK, &[("bits", (*bits as u64).into())]),
    }
}

/// Adds the pasted key; what is wrong with it is shown at the field (checked
/// here first with the API's own rule, to say it in the user's language).
pub(super) async fn add(p: &Page<'_>, id: &str) -> PageResult {
    let l = p.lang();
    let pasted = first(p.fields, "public_key");
    if let Err(e) = ssh::parse(pasted) {
        return sftp_with(p, id, 400, Some(key_problem(l, &e))).await;
    }
    let body = serde_json::json!({ "public_key": pasted });
    match p.api(Method::POST, &format!("/admin/projects/{id}/b2b/sftp/keys"), Some(body)).await {
        Ok(_) => Ok(see_other(&format!("/console/projects/{id}/accounts/sftp?done=added"), vec![])),
        Err(Failure::Api { status: 409, body }) if body["message"].as_str().is_some_and(|m| m.contains("already added")) => {
            sftp_with(p, id, 409, Some(t(l, keys::C_SFTP_ERR_EXISTS))).await
        }
        Err(Failure::Api { status: status @ (400 | 409), body }) => {
            let message = t_args(l, keys::C_ERR_FIELD, &[("detail", text(&body["message"]).into())]);
            sftp_with(p, id, status, Some(message)).await
        }
        Err(other) => Err(other),
    }
}

pub(super) async fn remove(p: &Page<'_>, id: &str, key_id: &str) -> PageResult {
    p.api(Method::DELETE, &format!("/admin/projects/{id}/b2b/sftp/keys/{key_id}"), None).await?;
    Ok(see_other(&format!("/console/projects/{id}/accounts/sftp?done=removed"), vec![]))
}
