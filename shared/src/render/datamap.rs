//! The console's data and security document of a deployment, made from the
//! template ([`crate::domain::datamap::read_template`]) and the settings in
//! force: which personal data is kept where, for how long, encrypted how
//! and who can reach it. Nothing in it is written by hand about a resource
//! but what the data in it is (a text per table, bucket or queue kind).

use std::collections::BTreeMap;

use maud::{html, Markup};

use crate::domain::datamap::{Deployment, Reach};
use crate::domain::i18n::{t, t_args, Lang};
use crate::render::keys;

/// The runtime settings the document states beside the template's.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Parameter name → days in force (`UploadRetentionDays`, `LogRetentionDays`).
    pub days: BTreeMap<String, u64>,
    pub share_link_days: u64,
    pub personal_link_days: u64,
    pub account_link_days: u64,
    pub session_hours: u64,
}

/// What personal data a store of the template holds: its text's key, or
/// `None` for a store this document does not describe (a test makes that a
/// failure for the template in the repository).
pub fn what_is_kept(id: &str, is_dead_letter_queue: bool) -> Option<&'static str> {
    Some(match id {
        "CoreTable" => keys::C_DATA_WHAT_CORE,
        "ContactsTable" => keys::C_DATA_WHAT_CONTACTS,
        "ResponsesTable" => keys::C_DATA_WHAT_RESPONSES,
        "DataBucket" => keys::C_DATA_WHAT_BUCKET,
        "SendQueue" | "ImportQueue" | "ReportQueue" => keys::C_DATA_WHAT_QUEUE,
        _ if is_dead_letter_queue || id.ends_with("FailureQueue") => keys::C_DATA_WHAT_DEAD_LETTERS,
        _ => return None,
    })
}

fn reach_list(reach: &[(&crate::domain::datamap::Function, &Reach)], l: Lang) -> Markup {
    html! {
        ul {
            @for (f, r) in reach {
                li {
                    strong { (f.binary.as_deref().unwrap_or(&f.id)) } ": "
                    code { (r.actions.iter().cloned().collect::<Vec<_>>().join(", ")) }
                    @if !r.prefixes.is_empty() {
                        " (" (r.prefixes.iter().map(|p| if p == "*" { t(l, keys::C_DATA_WHOLE_BUCKET) } else { p.clone() }).collect::<Vec<_>>().join(", ")) ")"
                    }
                }
            }
            li { (t(l, keys::C_DATA_REACH_IAM)) }
        }
    }
}

/// The document's body (for a console page).
pub fn data_document(l: Lang, d: &Deployment, s: &Settings) -> Markup {
    let days = |v: &crate::domain::datamap::Days| v.resolve(&s.days, &d.parameter_defaults).unwrap_or(0);
    let undescribed = t(l, keys::C_DATA_UNDESCRIBED);
    html! {
        p { (t(l, keys::C_DATA_INTRO)) }
        h2 id="stores" { (t(l, keys::C_DATA_SECTION_STORES)) }
        @for table in &d.tables {
            section.card aria-labelledby={ "store-" (table.id) } {
                h3 id={ "store-" (table.id) } { (table.id) " " span.hint { "(DynamoDB)" } }
                dl.summary.doc {
                    dt { (t(l, keys::C_DATA_COL_WHAT)) }
                    dd { (what_is_kept(&table.id, false).map(|k| t(l, k)).unwrap_or_else(|| undescribed.clone())) }
                    dt { (t(l, keys::C_DATA_COL_KEPT)) }
                    dd {
                        @match &table.ttl_attribute {
                            Some(a) => { (t_args(l, keys::C_DATA_TTL, &[("attribute", a.as_str().into())])) }
                            None => { (t(l, keys::C_DATA_NO_TTL)) }
                        }
                        @if table.point_in_time_recovery { " " (t(l, keys::C_DATA_PITR)) }
                        @if table.stream.is_some() { " " (t(l, keys::C_DATA_STREAM)) }
                    }
                    dt { (t(l, keys::C_DATA_COL_ENCRYPTED)) }
                    dd { (t(l, if table.kms_encrypted { keys::C_DATA_ENC_KMS } else { keys::C_DATA_ENC_DYNAMO_DEFAULT })) }
                    dt { (t(l, keys::C_DATA_COL_REACH)) }
                    dd { (reach_list(&d.reaching(&table.id), l)) }
                }
            }
        }
        @for bucket in &d.buckets {
            section.card aria-labelledby={ "store-" (bucket.id) } {
                h3 id={ "store-" (bucket.id) } { (bucket.id) " " span.hint { "(S3)" } }
                dl.summary.doc {
                    dt { (t(l, keys::C_DATA_COL_WHAT)) }
                    dd { (what_is_kept(&bucket.id, false).map(|k| t(l, k)).unwrap_or_else(|| undescribed.clone())) }
                    dt { (t(l, keys::C_DATA_COL_KEPT)) }
                    dd {
                        ul {
                            @for e in &bucket.expirations {
                                li { (t_args(l, keys::C_DATA_EXPIRES, &[("prefix", e.prefix.clone().unwrap_or_else(|| "*".into()).into()), ("days", days(&e.days).into())])) }
                            }
                            li { (t(l, keys::C_DATA_BUCKET_REST)) }
                            @if let Some(v) = &bucket.old_versions_days {
                                li { (t_args(l, keys::C_DATA_OLD_VERSIONS, &[("days", days(v).into())])) }
                            }
                        }
                    }
                    dt { (t(l, keys::C_DATA_COL_ENCRYPTED)) }
                    dd {
                        @match &bucket.encryption {
                            Some(a) => { (t_args(l, keys::C_DATA_ENC_SSE, &[("algorithm", a.as_str().into())])) }
                            None => { (t(l, keys::C_DATA_ENC_NONE)) }
                        }
                        @if bucket.tls_only { " " (t(l, keys::C_DATA_TLS_ONLY)) }
                        @if bucket.public_access_blocked { " " (t(l, keys::C_DATA_PUBLIC_BLOCKED)) }
                    }
                    dt { (t(l, keys::C_DATA_COL_REACH)) }
                    dd { (reach_list(&d.reaching(&bucket.id), l)) }
                }
            }
        }
        h2 id="queues" { (t(l, keys::C_DATA_SECTION_QUEUES)) }
        div.scroll {
            table {
                thead { tr {
                    th scope="col" { (t(l, keys::C_DATA_COL_STORE)) }
                    th scope="col" { (t(l, keys::C_DATA_COL_WHAT)) }
                    th scope="col" { (t(l, keys::C_DATA_COL_KEPT)) }
                    th scope="col" { (t(l, keys::C_DATA_COL_ENCRYPTED)) }
                    th scope="col" { (t(l, keys::C_DATA_COL_REACH)) }
                } }
                tbody {
                    @for q in &d.queues {
                        @let dead = q.dead_letters_of.is_some();
                        tr {
                            th scope="row" { (q.id) }
                            td { (what_is_kept(&q.id, dead).map(|k| t(l, k)).unwrap_or_else(|| undescribed.clone())) }
                            td { (t_args(l, keys::C_DATA_QUEUE_KEPT, &[("days", (q.retention_seconds / 86_400).into())])) }
                            td { (t(l, if q.encrypted { keys::C_DATA_ENC_QUEUE } else { keys::C_DATA_ENC_NONE })) }
                            td {
                                (d.reaching(&q.id).iter().map(|(f, _)| f.binary.clone().unwrap_or_else(|| f.id.clone())).collect::<Vec<_>>().join(", "))
                            }
                        }
                    }
                }
            }
        }
        h2 id="logs" { (t(l, keys::C_DATA_SECTION_LOGS)) }
        p { (t(l, keys::C_DATA_LOGS_NOTE)) }
        ul {
            @for g in &d.log_groups {
                li {
                    (g.function.clone().unwrap_or_else(|| g.id.clone())) ": "
                    (t_args(l, keys::C_DATA_LOGS_KEPT, &[("days", g.retention.as_ref().map(days).unwrap_or(0).into())]))
                }
            }
        }
        h2 id="links" { (t(l, keys::C_DATA_SECTION_LINKS)) }
        ul {
            li { (t_args(l, keys::C_DATA_LINK_PERSONAL, &[("days", s.personal_link_days.into())])) }
            li { (t_args(l, keys::C_DATA_LINK_SHARE, &[("days", s.share_link_days.into())])) }
            li { (t_args(l, keys::C_DATA_LINK_ACCOUNT, &[("days", s.account_link_days.into())])) }
            li { (t_args(l, keys::C_DATA_SESSION, &[("hours", s.session_hours.into())])) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::datamap::read_template;

    const TEMPLATE: &str = include_str!("../../../template.yaml");

    fn settings() -> Settings {
        Settings {
            days: BTreeMap::from([("UploadRetentionDays".to_string(), 7), ("LogRetentionDays".to_string(), 14)]),
            share_link_days: 90,
            personal_link_days: 60,
            account_link_days: 7,
            session_hours: 12,
        }
    }

    #[test]
    fn the_document_names_and_describes_every_table_bucket_and_queue_of_the_template() {
        let d = read_template(TEMPLATE).unwrap();
        assert!(!d.tables.is_empty() && !d.buckets.is_empty() && !d.queues.is_empty());
        for l in Lang::ALL {
            let html = data_document(l, &d, &settings()).into_string();
            for id in d.tables.iter().map(|t| &t.id).chain(d.buckets.iter().map(|b| &b.id)).chain(d.queues.iter().map(|q| &q.id)) {
                assert!(html.contains(id.as_str()), "{id} is not in the {l:?} document");
            }
            assert!(!html.contains(&t(l, keys::C_DATA_UNDESCRIBED)), "a store of the template is not described ({l:?})");
        }
    }

    #[test]
    fn the_retention_in_force_is_stated_not_the_templates_default() {
        let d = read_template(TEMPLATE).unwrap();
        let html = data_document(Lang::En, &d, &settings()).into_string();
        assert!(html.contains("uploads/: deleted after 7 days"), "{html}");
        assert!(html.contains("AdminApiFunction: 14 days"), "{html}");
        assert!(html.contains("dynamodb:DeleteItem"));
    }

    #[test]
    fn a_store_the_document_does_not_know_is_flagged_not_passed_over() {
        let d = read_template("Resources:\n  AuditTable:\n    Type: AWS::DynamoDB::Table\n    Properties: {}\n").unwrap();
        let html = data_document(Lang::En, &d, &settings()).into_string();
        assert!(html.contains("AuditTable") && html.contains(&t(Lang::En, keys::C_DATA_UNDESCRIBED)), "{html}");
    }
}
