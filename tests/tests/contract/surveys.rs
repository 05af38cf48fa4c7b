//! Contract cases: see `tests/contract.rs`. Projects, links, responses (the
//! submission's one transaction), report aggregates and records, plans,
//! accounts and their budget counters.

use std::collections::BTreeMap;

use pulse_shared::clock;
use pulse_shared::domain::budget::{billing_month, Account, Charge, Plan, Record, Usage};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::links::{new_id, new_token, ContactSnapshot, Link, LinkKind};
use pulse_shared::domain::metrics::NpsCounts;
use pulse_shared::domain::project::{Kind, Project};
use pulse_shared::domain::report::{contribution, parse_day, Contribution, Counters, Dimension, Request};
use pulse_shared::domain::response::{Channel, Response};
use pulse_shared::domain::survey::{generate, ids, Answer};
use pulse_shared::ports::*;
use pulse_shared::store::reports::{ReportRecord, ReportState};
use pulse_shared::store::surveys::{Gate, Stored};

crate::contract!(surveys:
    a_project_is_created_once_and_read_back,
    a_deletion_removes_the_projects_items_and_files_and_nothing_else,
    a_project_changes_only_from_the_revision_it_was_read_at,
    a_publication_freezes_a_version_once,
    a_link_is_stored_once_and_read_back,
    erasing_a_contact_removes_its_personal_links_only,
    a_contacts_personal_links_are_read_with_when_they_were_answered,
    a_link_context_carries_the_project_revision_and_account,
    a_link_context_says_whether_the_survey_is_closed_and_how_long_personal_links_work,
    the_anonymous_link_is_replaced_with_its_project_all_or_nothing,
    a_response_is_stored_once_with_its_counters,
    a_personal_link_is_answered_once,
    a_response_through_an_erased_link_is_not_stored,
    a_response_against_an_old_revision_is_refused,
    responses_are_listed_a_page_at_a_time,
    a_replaced_response_keeps_its_identity,
    a_budgeted_response_is_charged_with_it_and_refused_over_budget,
    a_response_is_refused_at_the_lifetime_cap,
    a_reserve_keeps_the_links_to_their_share_and_follows_plan_changes,
    a_daily_cap_refuses_anonymous_responses_beyond_it,
    a_spread_daily_cap_admits_each_counters_share_and_never_more_than_the_cap,
    a_contribution_moves_the_aggregates_with_the_response_only,
    aggregates_spread_over_write_shards_read_back_as_one,
    seeded_buckets_add_up_and_read_by_day_range,
    report_texts_are_newest_first_and_erased_with_their_response,
    a_report_is_created_once_and_opened_by_its_link_until_it_expires,
    a_finished_report_is_recorded_with_its_links,
    report_figures_count_the_stored_responses,
    a_plan_name_is_taken_once,
    an_account_is_created_once_and_listed,
    a_plan_change_applies_at_once,
    a_new_month_resets_the_counters_once,
    a_charge_is_prepared_in_the_current_month,
    refusals_and_refunds_count_in_their_month_only,
    a_sync_is_noted_on_the_account,
    a_sent_invitation_counts_in_the_report_buckets_once,
);

// ----------------------------------------------------------------- helpers

/// A day from its text (a macro: the test crate does not name `time`'s types).
macro_rules! day {
    ($text:expr) => {
        parse_day($text).unwrap_or_else(|| panic!("{} is not a day", $text))
    };
}

/// A new project (not stored) and its anonymous link.
fn new_project(account_id: Option<&str>) -> (Project, Link) {
    let settings = serde_json::from_value(serde_json::json!({
        "organisation_name": "Kahvila Oy",
        "business_type": "B2C",
        "operational_fields": ["Region"],
        "account_id": account_id,
    }))
    .expect("the settings are valid");
    let now = clock::now();
    let p = Project {
        id: format!("p-{}", new_id()),
        kind: Kind::QuickCheckIn,
        settings,
        revision: 1,
        published_version: None,
        anonymous_link: new_token(),
        anonymous_sealed: "sealed".into(),
        rule_since: 0,
        closed_at: None,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    let link = Link { id: p.anonymous_link.clone(), project_id: p.id.clone(), kind: LinkKind::Anonymous, created_at: now };
    (p, link)
}

/// A stored project.
async fn project<S: Projects>(s: &S, account_id: Option<&str>) -> Project {
    let (p, link) = new_project(account_id);
    s.create_project(&p, &link).await.expect("the project is created");
    p
}

fn personal_link(project_id: &str, email: &str) -> Link {
    Link {
        id: new_token(),
        project_id: project_id.to_string(),
        kind: LinkKind::Personal {
            contact: ContactSnapshot {
                email: email.to_string(),
                first_name: "Anna".into(),
                last_name: "Virtanen".into(),
                fields: BTreeMap::from([("Region".to_string(), "North".to_string())]),
                language: None,
            },
            response_id: new_id(),
            distribution_id: None,
        },
        created_at: clock::now(),
    }
}

fn response(project_id: &str, response_id: &str, nps: i64, submitted_at: &str) -> Response {
    Response {
        project_id: project_id.to_string(),
        response_id: response_id.to_string(),
        version: 1,
        language: Lang::En,
        channel: Channel::Anonymous,
        submitted_at: submitted_at.to_string(),
        answers: BTreeMap::from([(ids::NPS.to_string(), Answer::Number(nps))]),
        embedded: BTreeMap::new(),
        contact_email: None,
        first_name: None,
        last_name: None,
        erased_at: None,
        via: None,
    }
}

/// The response a personal link leads to.
fn personal_response(link: &Link, nps: i64) -> Response {
    let LinkKind::Personal { contact, response_id, .. } = &link.kind else { panic!("not a personal link") };
    Response {
        channel: Channel::Personal,
        embedded: contact.fields.clone(),
        contact_email: Some(contact.email.clone()),
        ..response(&link.project_id, response_id, nps, "2026-11-20T10:00:00.000Z")
    }
}

fn unique_email() -> String {
    format!("{}@example.com", new_id().to_lowercase().replace(['-', '_'], "x"))
}

fn account(monthly_budget: u64, lifetime_cap: Option<u64>, usage: Usage) -> Account {
    let now = clock::now();
    Account {
        id: format!("a-{}", new_id()),
        name: "Acme".into(),
        plan: "Starter".into(),
        monthly_budget,
        lifetime_cap,
        invitation_reserve: 0,
        link_budget: None,
        time_zone: "Europe/Helsinki".into(),
        created_at: now.clone(),
        updated_at: now,
        usage,
    }
}

fn usage(month: &str, used: u64, lifetime_used: u64) -> Usage {
    Usage { month: month.to_string(), used, lifetime_used, ..Default::default() }
}

/// The billing month now in the accounts' time zone.
fn this_month() -> String {
    billing_month(clock::now_ms(), "Europe/Helsinki")
}

async fn stored_account<S: Budgets>(s: &S, a: &Account) -> Account {
    s.get_account(&a.id).await.unwrap().expect("the account exists")
}

fn counters(pairs: &[(&str, u64)]) -> Counters {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

// ---------------------------------------------------------------- projects

pub async fn a_project_is_created_once_and_read_back<S: Projects + Links>(s: &S) {
    let (p, link) = new_project(None);
    s.create_project(&p, &link).await.unwrap();
    assert_eq!(s.get_project(&p.id).await.unwrap(), Some(p.clone()));
    assert_eq!(s.get_link(&p.anonymous_link).await.unwrap(), Some(link.clone()));
    let listed = s.list_projects().await.unwrap();
    let entry = listed.iter().find(|e| e.id == p.id).expect("the project is listed");
    assert_eq!(entry.organisation_name, "Kahvila Oy");
    assert_eq!(entry.published_version, None);
    // created again (a retry): refused, nothing changed
    let mut again = p.clone();
    again.settings.organisation_name = "Other Oy".into();
    assert!(s.create_project(&again, &link).await.is_err());
    assert_eq!(s.get_project(&p.id).await.unwrap(), Some(p.clone()));
    assert_eq!(s.list_projects().await.unwrap().iter().filter(|e| e.id == p.id).count(), 1);
    assert_eq!(s.get_project(&format!("p-{}", new_id())).await.unwrap(), None);
}

pub async fn a_project_changes_only_from_the_revision_it_was_read_at<S: Projects>(s: &S) {
    let p = project(s, None).await;
    let mut changed = p.clone();
    changed.revision = 2;
    changed.settings.organisation_name = "Kahvila Uusi Oy".into();
    s.update_project(&changed, 1).await.unwrap();
    // a second operator who read revision 1 cannot overwrite it
    let mut stale = p.clone();
    stale.revision = 2;
    stale.settings.organisation_name = "Stale Oy".into();
    assert!(matches!(s.update_project(&stale, 1).await, Err(pulse_shared::Error::Conflict(_))));
    assert_eq!(s.get_project(&p.id).await.unwrap(), Some(changed.clone()));
    let listed = s.list_projects().await.unwrap();
    assert_eq!(listed.iter().find(|e| e.id == p.id).map(|e| e.organisation_name.as_str()), Some("Kahvila Uusi Oy"));
    // a project that does not exist is not created by an update
    let (ghost, _) = new_project(None);
    assert!(s.update_project(&ghost, 1).await.is_err());
    assert_eq!(s.get_project(&ghost.id).await.unwrap(), None);
}

pub async fn a_publication_freezes_a_version_once<S: Projects>(s: &S) {
    let p = project(s, None).await;
    let def = generate(&p.id, p.kind, &p.settings, 1);
    let mut published = p.clone();
    published.revision = 2;
    published.published_version = Some(1);
    s.publish(&published, &def, 1, &clock::now()).await.unwrap();
    assert_eq!(s.get_version(&p.id, 1).await.unwrap(), Some(def.clone()));
    assert_eq!(s.published(&p.id, 1).await.unwrap().as_deref(), Some(&def));
    assert_eq!(s.get_version(&p.id, 2).await.unwrap(), None);
    assert_eq!(s.get_project(&p.id).await.unwrap().and_then(|p| p.published_version), Some(1));
    // the same version again, even from the current revision: refused
    let mut again = published.clone();
    again.revision = 3;
    let mut other = def.clone();
    other.project_id = "changed".into();
    assert!(s.publish(&again, &other, 2, &clock::now()).await.is_err());
    assert_eq!(s.get_project(&p.id).await.unwrap().map(|p| p.revision), Some(2));
    assert_eq!(s.get_version(&p.id, 1).await.unwrap(), Some(def));
}

// ------------------------------------------------------------------- links

pub async fn a_link_is_stored_once_and_read_back<S: Projects + Links>(s: &S) {
    let p = project(s, None).await;
    let link = personal_link(&p.id, &unique_email());
    s.put_link(&link).await.unwrap();
    assert_eq!(s.get_link(&link.id).await.unwrap(), Some(link.clone()));
    assert!(!s.link_answered(&link.id).await.unwrap());
    let mut other = personal_link(&p.id, &unique_email());
    other.id = link.id.clone();
    assert!(s.put_link(&other).await.is_err(), "a link is never overwritten");
    assert_eq!(s.get_link(&link.id).await.unwrap(), Some(link));
    assert_eq!(s.get_link(&new_token()).await.unwrap(), None);
    assert!(!s.link_answered(&new_token()).await.unwrap());
}

pub async fn erasing_a_contact_removes_its_personal_links_only<S: Projects + Links>(s: &S) {
    let p = project(s, None).await;
    let (a, b) = (unique_email(), unique_email());
    let a1 = personal_link(&p.id, &a);
    let a2 = personal_link(&p.id, &a.to_uppercase());
    let b1 = personal_link(&p.id, &b);
    for l in [&a1, &a2, &b1] {
        s.put_link(l).await.unwrap();
    }
    assert_eq!(s.erase_links(&p.id, &a).await.unwrap(), 2);
    assert_eq!(s.get_link(&a1.id).await.unwrap(), None);
    assert_eq!(s.get_link(&a2.id).await.unwrap(), None);
    assert_eq!(s.get_link(&b1.id).await.unwrap(), Some(b1.clone()));
    assert!(s.get_link(&p.anonymous_link).await.unwrap().is_some(), "the anonymous link stays");
    // erased again: nothing left to erase
    assert_eq!(s.erase_links(&p.id, &a).await.unwrap(), 0);
    // another project's links of the same person are not touched
    let q = project(s, None).await;
    let q1 = personal_link(&q.id, &b);
    s.put_link(&q1).await.unwrap();
    assert_eq!(s.erase_links(&p.id, &b).await.unwrap(), 1);
    assert_eq!(s.get_link(&q1.id).await.unwrap(), Some(q1));
}

pub async fn a_contacts_personal_links_are_read_with_when_they_were_answered<S: Projects + Links + Responses>(s: &S) {
    let p = project(s, None).await;
    let (a, b) = (unique_email(), unique_email());
    let first = Link { created_at: "2026-11-01T10:00:00.000Z".into(), ..personal_link(&p.id, &a) };
    let second = Link { created_at: "2026-11-02T10:00:00.000Z".into(), ..personal_link(&p.id, &a) };
    for l in [&second, &first, &personal_link(&p.id, &b)] {
        s.put_link(l).await.unwrap();
    }
    assert_eq!(s.store_response(&personal_response(&second, 9), Some(&second.id), 1, None, Gate::NONE).await.unwrap(), Stored::New);
    let links = s.links_of(&p.id, &a).await.unwrap();
    let ids: Vec<&str> = links.iter().map(|(l, _)| l.id.as_str()).collect();
    assert_eq!(ids, [first.id.as_str(), second.id.as_str()], "oldest first, only this contact's");
    assert!(links[0].1.is_none() && links[1].1.is_some(), "{links:?}");
    assert!(s.links_of(&p.id, &unique_email()).await.unwrap().is_empty());
    let q = project(s, None).await;
    assert!(s.links_of(&q.id, &a).await.unwrap().is_empty(), "another project's");
}

pub async fn a_link_context_carries_the_project_revision_and_account<S: Projects + Links>(s: &S) {
    let p = project(s, Some("acct-1")).await;
    let context = s.link_context(&p.anonymous_link, Freshness::Fresh).await.unwrap().expect("the link exists");
    assert_eq!(context.link.project_id, p.id);
    assert_eq!((context.revision, context.published_version, context.account_id.as_deref()), (1, None, Some("acct-1")));
    let mut changed = p.clone();
    changed.revision = 2;
    s.update_project(&changed, 1).await.unwrap();
    s.forget_link(&p.anonymous_link);
    let fresh = s.link_context(&p.anonymous_link, Freshness::Fresh).await.unwrap().expect("the link exists");
    assert_eq!(fresh.revision, 2);
    assert_eq!(s.link_context(&new_token(), Freshness::Fresh).await.unwrap(), None);
    assert_eq!(s.link_context(&new_token(), Freshness::Kept).await.unwrap(), None);
}

pub async fn a_link_context_says_whether_the_survey_is_closed_and_how_long_personal_links_work<S: Projects + Links + Responses>(s: &S) {
    let p = project(s, None).await;
    let context = s.link_context(&p.anonymous_link, Freshness::Fresh).await.unwrap().expect("the link exists");
    assert_eq!((context.closed, context.personal_link_days), (false, 60));
    let mut closed = p.clone();
    assert!(closed.close("2026-11-20T10:00:00.000Z"));
    closed.settings.personal_link_days = 90;
    closed.revision = 2;
    s.update_project(&closed, 1).await.unwrap();
    assert_eq!(s.get_project(&p.id).await.unwrap(), Some(closed.clone()), "closed_at is stored");
    let fresh = s.link_context(&p.anonymous_link, Freshness::Fresh).await.unwrap().expect("the link exists");
    assert_eq!((fresh.closed, fresh.personal_link_days, fresh.revision), (true, 90, 2));
    // a response against the revision before the close is refused
    let r = response(&p.id, &new_id(), 9, "2026-11-20T10:00:01.000Z");
    assert_eq!(s.store_response(&r, None, 1, None, Gate::NONE).await.unwrap(), Stored::ProjectChanged);
    let mut open = closed.clone();
    assert!(open.reopen());
    open.revision = 3;
    s.update_project(&open, 2).await.unwrap();
    assert!(!s.link_context(&p.anonymous_link, Freshness::Fresh).await.unwrap().expect("the link exists").closed);
}

pub async fn the_anonymous_link_is_replaced_with_its_project_all_or_nothing<S: Projects + Links + Responses>(s: &S) {
    let p = project(s, None).await;
    let old = p.anonymous_link.clone();
    let kept = s.link_context(&old, Freshness::Kept).await.unwrap().expect("the link exists");
    let new = Link { id: new_token(), project_id: p.id.clone(), kind: LinkKind::Anonymous, created_at: clock::now() };
    let mut rotated = p.clone();
    rotated.anonymous_link = new.id.clone();
    rotated.revision = 2;
    // from a revision that is not the current one: nothing changes
    assert!(s.rotate_anonymous_link(&rotated, 5, &old, &new).await.is_err());
    assert_eq!(s.get_project(&p.id).await.unwrap(), Some(p.clone()));
    assert!(s.get_link(&old).await.unwrap().is_some());
    assert_eq!(s.get_link(&new.id).await.unwrap(), None);

    s.rotate_anonymous_link(&rotated, 1, &old, &new).await.unwrap();
    assert_eq!(s.get_project(&p.id).await.unwrap().map(|p| p.anonymous_link), Some(new.id.clone()));
    assert_eq!(s.get_link(&new.id).await.unwrap(), Some(new.clone()));
    assert_eq!(s.get_link(&old).await.unwrap(), None);
    assert_eq!(s.link_context(&old, Freshness::Fresh).await.unwrap(), None, "the old link is gone");
    assert_eq!(s.link_context(&old, Freshness::Kept).await.unwrap(), None, "also for a warm Lambda that kept it");
    // a response through what a warm Lambda kept of the old link is refused
    let r = response(&p.id, &new_id(), 9, "2026-11-20T10:00:00.000Z");
    assert_eq!(s.store_response(&r, None, kept.revision, None, Gate::NONE).await.unwrap(), Stored::ProjectChanged);
    assert_eq!(s.response_count(&p.id).await.unwrap(), 0);
    // a retry of the same rotation (the revision moved on) changes nothing
    assert!(s.rotate_anonymous_link(&rotated, 1, &old, &new).await.is_err());
    assert_eq!(s.get_link(&new.id).await.unwrap(), Some(new));
}

// --------------------------------------------------------------- responses

pub async fn a_response_is_stored_once_with_its_counters<S: Projects + Responses>(s: &S) {
    let p = project(s, None).await;
    let r = response(&p.id, &new_id(), 9, "2026-11-20T10:00:00.000Z");
    assert_eq!(s.store_response(&r, None, 1, None, Gate::NONE).await.unwrap(), Stored::New);
    assert_eq!(s.get_response(&p.id, &r.response_id).await.unwrap(), Some(r.clone()));
    // a retry with the same id changes nothing and returns what is stored
    let mut retry = r.clone();
    retry.answers.insert(ids::NPS.into(), Answer::Number(0));
    assert_eq!(s.store_response(&retry, None, 1, None, Gate::NONE).await.unwrap(), Stored::AlreadyThere(Box::new(r.clone())));
    assert_eq!(s.get_response(&p.id, &r.response_id).await.unwrap(), Some(r.clone()));
    let detractor = response(&p.id, &new_id(), 3, "2026-11-20T11:00:00.000Z");
    let passive = response(&p.id, &new_id(), 7, "2026-11-20T12:00:00.000Z");
    assert_eq!(s.store_response(&detractor, None, 1, None, Gate::NONE).await.unwrap(), Stored::New);
    assert_eq!(s.store_response(&passive, None, 1, None, Gate::NONE).await.unwrap(), Stored::New);
    assert_eq!(s.project_stats(&p).await.unwrap(), (3, NpsCounts { promoters: 1, passives: 1, detractors: 1 }));
    assert_eq!(s.response_count(&p.id).await.unwrap(), 3);
    let q = project(s, None).await;
    assert_eq!(s.project_stats(&q).await.unwrap(), (0, NpsCounts::default()));
    assert_eq!(s.get_response(&q.id, &r.response_id).await.unwrap(), None);
}

pub async fn a_personal_link_is_answered_once<S: Projects + Links + Responses + Distributions>(s: &S) {
    let p = project(s, None).await;
    let link = personal_link(&p.id, &unique_email());
    s.put_link(&link).await.unwrap();
    let r = personal_response(&link, 10);
    // the invitation's distribution counts the response with it
    let dist = new_id();
    let gate = Gate { distribution: Some(&dist), ..Gate::NONE };
    assert_eq!(s.store_response(&r, Some(&link.id), 1, None, gate).await.unwrap(), Stored::New);
    assert!(s.link_answered(&link.id).await.unwrap());
    assert_eq!(s.distribution_responses(&dist).await.unwrap(), 1);
    // the link's response id is fixed: a second submission finds the first
    let second = Response { answers: BTreeMap::from([(ids::NPS.to_string(), Answer::Number(2))]), ..r.clone() };
    assert_eq!(s.store_response(&second, Some(&link.id), 1, None, gate).await.unwrap(), Stored::AlreadyThere(Box::new(r.clone())));
    // a response under another id through the answered link is refused: nothing is stored
    let other = Response { response_id: new_id(), ..r.clone() };
    assert!(s.store_response(&other, Some(&link.id), 1, None, gate).await.is_err());
    assert_eq!(s.get_response(&p.id, &other.response_id).await.unwrap(), None);
    assert_eq!(s.project_stats(&p).await.unwrap(), (1, NpsCounts { promoters: 1, passives: 0, detractors: 0 }));
    assert_eq!(s.distribution_responses(&dist).await.unwrap(), 1, "counted once, with the stored response only");
    assert_eq!(s.distribution_responses(&new_id()).await.unwrap(), 0);
}

pub async fn a_response_through_an_erased_link_is_not_stored<S: Projects + Links + Responses>(s: &S) {
    let p = project(s, None).await;
    let email = unique_email();
    let link = personal_link(&p.id, &email);
    s.put_link(&link).await.unwrap();
    assert_eq!(s.erase_links(&p.id, &email).await.unwrap(), 1);
    let r = personal_response(&link, 8);
    assert_eq!(s.store_response(&r, Some(&link.id), 1, None, Gate::NONE).await.unwrap(), Stored::LinkGone);
    assert_eq!(s.get_response(&p.id, &r.response_id).await.unwrap(), None);
    assert_eq!(s.response_count(&p.id).await.unwrap(), 0);
}

pub async fn a_response_against_an_old_revision_is_refused<S: Projects + Responses + Reports>(s: &S) {
    let p = project(s, None).await;
    let mut changed = p.clone();
    changed.revision = 2;
    s.update_project(&changed, 1).await.unwrap();
    let r = response(&p.id, &new_id(), 9, "2026-11-21T10:00:00.000Z");
    let c = Contribution { day: day!("2026-11-21"), counters: vec!["n".into()], segments: vec![], texts: vec![] };
    assert_eq!(s.store_response(&r, None, 1, Some(&c), Gate::NONE).await.unwrap(), Stored::ProjectChanged);
    assert_eq!(s.get_response(&p.id, &r.response_id).await.unwrap(), None);
    assert_eq!(s.response_count(&p.id).await.unwrap(), 0);
    assert!(s.day_buckets(&p.id, day!("2026-11-21"), day!("2026-11-21")).await.unwrap().is_empty(), "no aggregate moved");
    // against the current revision it is stored
    assert_eq!(s.store_response(&r, None, 2, Some(&c), Gate::NONE).await.unwrap(), Stored::New);
    assert_eq!(s.response_count(&p.id).await.unwrap(), 1);
    // a stale retry of a stored response: the changed project wins (read it again)
    assert_eq!(s.store_response(&r, None, 1, Some(&c), Gate::NONE).await.unwrap(), Stored::ProjectChanged);
    let days = s.day_buckets(&p.id, day!("2026-11-21"), day!("2026-11-21")).await.unwrap();
    assert_eq!(days[0].counters, counters(&[("n", 1)]));
}

pub async fn responses_are_listed_a_page_at_a_time<S: Projects + Responses>(s: &S) {
    let p = project(s, None).await;
    let mut ids: Vec<String> = (0..3).map(|_| new_id()).collect();
    for id in &ids {
        assert_eq!(
            s.store_response(&response(&p.id, id, 9, "2026-11-20T10:00:00.000Z"), None, 1, None, Gate::NONE).await.unwrap(),
            Stored::New
        );
    }
    ids.sort();
    let (first, next) = s.list_responses(&p.id, None, 2).await.unwrap();
    assert_eq!(first.iter().map(|r| r.response_id.clone()).collect::<Vec<_>>(), ids[..2]);
    let next = next.expect("more follow");
    assert_eq!(next, ids[1]);
    let (second, last) = s.list_responses(&p.id, Some(&next), 2).await.unwrap();
    assert_eq!(second.iter().map(|r| r.response_id.clone()).collect::<Vec<_>>(), ids[2..]);
    assert_eq!(last, None);
    let (all, none) = s.list_responses(&p.id, None, 10).await.unwrap();
    assert_eq!((all.len(), none), (3, None));
}

pub async fn a_replaced_response_keeps_its_identity<S: Projects + Responses>(s: &S) {
    let p = project(s, None).await;
    let mut r = response(&p.id, &new_id(), 9, "2026-11-20T10:00:00.000Z");
    r.contact_email = Some("anna@example.com".into());
    r.answers.insert(ids::NEEDS.into(), Answer::Text("Faster replies".into()));
    assert_eq!(s.store_response(&r, None, 1, None, Gate::NONE).await.unwrap(), Stored::New);
    let mut erased = r.clone();
    erased.erase_personal_data(|q| q == ids::NEEDS, "2026-11-25T10:00:00.000Z");
    s.replace_response(&erased).await.unwrap();
    let stored = s.get_response(&p.id, &r.response_id).await.unwrap().expect("still there");
    assert_eq!(stored, erased);
    assert_eq!((stored.contact_email, stored.answers.get(ids::NPS)), (None, Some(&Answer::Number(9))));
    assert_eq!(s.response_count(&p.id).await.unwrap(), 1, "the counters stay");
    // a response that was never stored is not created by a replacement
    let ghost = response(&p.id, &new_id(), 5, "2026-11-20T10:00:00.000Z");
    assert!(s.replace_response(&ghost).await.is_err());
    assert_eq!(s.get_response(&p.id, &ghost.response_id).await.unwrap(), None);
}

pub async fn a_reserve_keeps_the_links_to_their_share_and_follows_plan_changes<S: Projects + Responses + Budgets>(s: &S) {
    let a = account(4, None, usage(&this_month(), 0, 0));
    s.create_account(&a).await.unwrap();
    assert!(s.set_reserve(&a.id, 2, &clock::now()).await.unwrap());
    assert!(!s.set_reserve("no-such-account", 2, &clock::now()).await.unwrap());
    let p = project(s, Some(&a.id)).await;
    let (account_id, project_id) = (&a.id, &p.id);
    let link = |i: u64| async move {
        let charge = s.prepare_charge(account_id, clock::now_ms(), Record::LinkResponse).await.unwrap().unwrap();
        let r = response(project_id, &new_id(), 9, &format!("2026-11-20T10:00:0{i}.000Z"));
        s.store_response(&r, None, 1, None, Gate::charged(&charge)).await.unwrap()
    };
    assert_eq!((link(1).await, link(2).await, link(3).await), (Stored::New, Stored::New, Stored::OverBudget), "two of four for links");
    // an invitation still has the reserve
    let invite = s.prepare_charge(&a.id, clock::now_ms(), Record::Invitation).await.unwrap().unwrap();
    let r = response(&p.id, &new_id(), 9, "2026-11-20T10:00:05.000Z");
    assert_eq!(s.store_response(&r, None, 1, None, Gate::charged(&invite)).await.unwrap(), Stored::New);
    let after = stored_account(s, &a).await;
    assert_eq!((after.usage.used, after.usage.link_used, after.usage.refused, after.link_budget), (3, 2, 1, Some(2)));
    // a larger plan widens the links' share by as much
    s.change_plan(&a.id, &Plan { name: "Six".into(), monthly_budget: 6, lifetime_cap: None, built_in: false }, &clock::now())
        .await
        .unwrap();
    assert_eq!(stored_account(s, &a).await.link_budget, Some(4));
    assert_eq!(link(4).await, Stored::New);
}

pub async fn a_daily_cap_refuses_anonymous_responses_beyond_it<S: Projects + Responses>(s: &S) {
    let p = project(s, None).await;
    let gate = Gate { daily_cap: Some(("2026-11-20", 2)), ..Gate::NONE };
    let first = response(&p.id, &new_id(), 9, "2026-11-20T10:00:00.000Z");
    assert_eq!(s.store_response(&first, None, 1, None, gate).await.unwrap(), Stored::New);
    let second = response(&p.id, &new_id(), 9, "2026-11-20T10:00:01.000Z");
    assert_eq!(s.store_response(&second, None, 1, None, gate).await.unwrap(), Stored::New);
    // a retry of a stored response is not refused by the cap
    assert_eq!(s.store_response(&second, None, 1, None, gate).await.unwrap(), Stored::AlreadyThere(Box::new(second.clone())));
    let third = response(&p.id, &new_id(), 9, "2026-11-20T10:00:02.000Z");
    assert_eq!(s.store_response(&third, None, 1, None, gate).await.unwrap(), Stored::DailyCap);
    assert_eq!(s.response_count(&p.id).await.unwrap(), 2);
    // the next day has its own count
    let next = Gate { daily_cap: Some(("2026-11-21", 2)), ..Gate::NONE };
    assert_eq!(s.store_response(&third, None, 1, None, next).await.unwrap(), Stored::New);
}

pub async fn a_spread_daily_cap_admits_each_counters_share_and_never_more_than_the_cap<S: Projects + Responses>(s: &S) {
    use pulse_shared::domain::shard::pick;
    use pulse_shared::domain::submission::daily_cap_slot;
    let p = project(s, None).await;
    let (cap, shards) = (10, 4);
    let gate = Gate { daily_cap: Some(("2026-11-20", cap)), ..Gate::NONE }.spread(shards);
    let mut counted = std::collections::BTreeMap::<u32, u32>::new();
    let mut arrived = std::collections::BTreeMap::<u32, u32>::new();
    let mut stored = 0;
    for i in 0..60 {
        let r = response(&p.id, &new_id(), 9, &format!("2026-11-20T10:00:{:02}.000Z", i % 60));
        // where the response counts, and whether that counter has room: known in advance
        let (slot, share) = daily_cap_slot(cap, shards, pick(&r.response_id, shards));
        *arrived.entry(slot).or_default() += 1;
        let room = counted.get(&slot).copied().unwrap_or(0) < share;
        let outcome = s.store_response(&r, None, 1, None, gate).await.unwrap();
        assert_eq!(outcome, if room { Stored::New } else { Stored::DailyCap }, "response {i} on counter {slot} of share {share}");
        if room {
            *counted.entry(slot).or_default() += 1;
            stored += 1;
        }
    }
    assert!(stored <= cap, "never more than the cap: {stored}");
    let filled = (0..shards.min(cap)).all(|slot| arrived.get(&slot).copied().unwrap_or(0) >= daily_cap_slot(cap, shards, slot).1);
    if filled {
        assert_eq!(stored, cap, "every counter reached its share: the whole cap was admitted");
    }
}

pub async fn a_budgeted_response_is_charged_with_it_and_refused_over_budget<S: Projects + Responses + Budgets + Reports>(s: &S) {
    let a = account(1, None, usage(&this_month(), 0, 0));
    s.create_account(&a).await.unwrap();
    let p = project(s, Some(&a.id)).await;
    let charge = s.prepare_charge(&a.id, clock::now_ms(), Record::LinkResponse).await.unwrap().expect("the account exists");
    let first = response(&p.id, &new_id(), 9, "2026-11-20T10:00:00.000Z");
    assert_eq!(s.store_response(&first, None, 1, None, Gate::charged(&charge)).await.unwrap(), Stored::New);
    let after = stored_account(s, &a).await;
    assert_eq!((after.usage.used, after.usage.lifetime_used, after.usage.refused), (1, 1, 0));
    assert_eq!(
        (after.usage.last_accepted_at.as_deref(), after.usage.last_accepted_kind),
        (Some(charge.at.as_str()), Some(Record::LinkResponse))
    );
    // the budget is used up: nothing is stored, the refusal is counted
    let second = response(&p.id, &new_id(), 9, "2026-11-20T11:00:00.000Z");
    let charge2 = s.prepare_charge(&a.id, clock::now_ms(), Record::LinkResponse).await.unwrap().expect("the account exists");
    let c = Contribution {
        day: day!("2026-11-20"),
        counters: vec!["n".into()],
        segments: vec![],
        texts: vec![(ids::NEEDS.into(), "refused".into())],
    };
    assert_eq!(s.store_response(&second, None, 1, Some(&c), Gate::charged(&charge2)).await.unwrap(), Stored::OverBudget);
    assert_eq!(s.get_response(&p.id, &second.response_id).await.unwrap(), None);
    assert!(s.day_buckets(&p.id, day!("2026-11-20"), day!("2026-11-20")).await.unwrap().is_empty(), "no aggregate moved");
    assert!(s.report_texts(&p.id, day!("2026-11-20"), day!("2026-11-20"), 10).await.unwrap().is_empty());
    assert_eq!(s.response_count(&p.id).await.unwrap(), 1);
    let refused = stored_account(s, &a).await;
    assert_eq!((refused.usage.used, refused.usage.refused), (1, 1));
    assert_eq!(refused.usage.last_refused_at.as_deref(), Some(charge2.at.as_str()));
    // a retry of the stored response is not refused for want of budget
    assert_eq!(
        s.store_response(&first, None, 1, None, Gate::charged(&charge2)).await.unwrap(),
        Stored::AlreadyThere(Box::new(first.clone()))
    );
    let unchanged = stored_account(s, &a).await;
    assert_eq!((unchanged.usage.used, unchanged.usage.refused), (1, 1));
    // a charge of another month than the account's counters is refused too
    let stale = Charge { month: "2000-01".into(), ..charge.clone() };
    let third = response(&p.id, &new_id(), 9, "2026-11-20T12:00:00.000Z");
    s.change_plan(&a.id, &Plan { name: "Big".into(), monthly_budget: 100, lifetime_cap: None, built_in: false }, &clock::now())
        .await
        .unwrap();
    assert_eq!(s.store_response(&third, None, 1, None, Gate::charged(&stale)).await.unwrap(), Stored::OverBudget);
    assert_eq!(s.store_response(&third, None, 1, None, Gate::charged(&charge)).await.unwrap(), Stored::New);
    assert_eq!(stored_account(s, &a).await.usage.used, 2);
}

pub async fn a_response_is_refused_at_the_lifetime_cap<S: Projects + Responses + Budgets>(s: &S) {
    let a = account(50, Some(3), usage(&this_month(), 0, 3));
    s.create_account(&a).await.unwrap();
    let p = project(s, Some(&a.id)).await;
    let charge = s.prepare_charge(&a.id, clock::now_ms(), Record::LinkResponse).await.unwrap().expect("the account exists");
    let r = response(&p.id, &new_id(), 9, "2026-11-20T10:00:00.000Z");
    assert_eq!(s.store_response(&r, None, 1, None, Gate::charged(&charge)).await.unwrap(), Stored::OverBudget);
    assert_eq!(s.get_response(&p.id, &r.response_id).await.unwrap(), None);
    let after = stored_account(s, &a).await;
    assert_eq!((after.usage.used, after.usage.lifetime_used, after.usage.refused), (0, 3, 1));
}

pub async fn a_contribution_moves_the_aggregates_with_the_response_only<S: Projects + Responses + Reports>(s: &S) {
    let p = project(s, None).await;
    let region = Dimension::Field("Region".into());
    let r = response(&p.id, &new_id(), 9, "2026-11-20T10:00:00.000Z");
    let c = Contribution {
        day: day!("2026-11-20"),
        counters: vec!["n".into(), "nps.9".into(), "follow_up".into()],
        segments: vec![(region.clone(), "North".into())],
        texts: vec![(ids::NEEDS.into(), "Faster replies".into())],
    };
    assert_eq!(s.store_response(&r, None, 1, Some(&c), Gate::NONE).await.unwrap(), Stored::New);
    // the retry moves nothing
    assert!(matches!(s.store_response(&r, None, 1, Some(&c), Gate::NONE).await.unwrap(), Stored::AlreadyThere(_)));
    let days = s.day_buckets(&p.id, day!("2026-11-19"), day!("2026-11-21")).await.unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!((days[0].day, days[0].value.as_deref()), (Some(day!("2026-11-20")), None));
    assert_eq!(days[0].counters, counters(&[("n", 1), ("nps.9", 1), ("follow_up", 1)]));
    let north = s.segment_buckets(&p.id, &region, day!("2026-11-20"), day!("2026-11-20")).await.unwrap();
    assert_eq!(north.len(), 1);
    assert_eq!((north[0].day, north[0].value.as_deref()), (Some(day!("2026-11-20")), Some("North")));
    assert_eq!(north[0].counters, days[0].counters);
    let texts = s.report_texts(&p.id, day!("2026-11-20"), day!("2026-11-20"), 10).await.unwrap();
    assert_eq!(texts.len(), 1);
    assert_eq!(
        (texts[0].question.as_str(), texts[0].text.as_str(), texts[0].nps, texts[0].follow_up),
        (ids::NEEDS, "Faster replies", Some(9), true)
    );
    assert_eq!(texts[0].submitted_at, r.submitted_at);
}

pub async fn aggregates_spread_over_write_shards_read_back_as_one<S: Projects + Responses + Reports>(s: &S) {
    let mut p = project(s, None).await;
    // spread over 8 shards (the setting only grows; the revision moves)
    p.settings.write_shards = 8;
    p.revision += 1;
    s.update_project(&p, p.revision - 1).await.unwrap();
    let region = Dimension::Field("Region".into());
    let mut ids_seen = std::collections::BTreeSet::new();
    for i in 0..40u32 {
        let r = response(&p.id, &format!("spread-{i}"), 9, &format!("2026-11-20T10:{:02}:00.000Z", i));
        ids_seen.insert(pulse_shared::domain::shard::pick(&r.response_id, 8));
        let c = Contribution {
            day: day!("2026-11-20"),
            counters: vec!["n".into(), "nps.9".into()],
            segments: vec![(region.clone(), if i % 4 == 0 { "South".into() } else { "North".into() })],
            texts: vec![(ids::NEEDS.into(), format!("text {i:02}"))],
        };
        let gate = Gate::NONE.spread(8);
        assert_eq!(s.store_response(&r, None, p.revision, Some(&c), gate).await.unwrap(), Stored::New);
    }
    assert!(ids_seen.len() >= 6, "the responses went to many shards: {ids_seen:?}");
    // the responses themselves, spread too: listed page by page across the
    // shards, each found and replaced where it is stored
    let (mut listed, mut after) = (Vec::new(), None::<String>);
    loop {
        let (page, next) = s.list_responses(&p.id, after.as_deref(), 7).await.unwrap();
        listed.extend(page.into_iter().map(|r| r.response_id));
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    listed.sort();
    listed.dedup();
    assert_eq!(listed.len(), 40, "{listed:?}");
    let mut r17 = s.get_response(&p.id, "spread-17").await.unwrap().expect("found on its shard");
    r17.erased_at = Some("2026-11-21T00:00:00.000Z".into());
    s.replace_response(&r17).await.unwrap();
    assert_eq!(s.get_response(&p.id, "spread-17").await.unwrap().and_then(|r| r.erased_at), r17.erased_at);
    // the project's counters, summed over the shards
    let (count, nps) = s.project_stats(&p).await.unwrap();
    assert_eq!((count, nps.promoters), (40, 40));
    assert_eq!(s.response_count(&p.id).await.unwrap(), 40, "the count by project id reads the shards too");
    // every shard's counters carry the revision: a response made against
    // the one before is refused on whichever shard it falls
    for i in 0..16 {
        let r = response(&p.id, &format!("stale-{i}"), 9, "2026-11-20T11:00:00.000Z");
        assert_eq!(s.store_response(&r, None, p.revision - 1, None, Gate::NONE.spread(8)).await.unwrap(), Stored::ProjectChanged);
    }
    let days = s.day_buckets(&p.id, day!("2026-11-20"), day!("2026-11-20")).await.unwrap();
    assert_eq!(days.len(), 1, "one bucket per day, the shards summed: {days:?}");
    assert_eq!(days[0].counters, counters(&[("n", 40), ("nps.9", 40)]));
    let segments = s.segment_buckets(&p.id, &region, day!("2026-11-20"), day!("2026-11-20")).await.unwrap();
    let by_value: Vec<(Option<&str>, u64)> = segments.iter().map(|b| (b.value.as_deref(), b.counters["n"])).collect();
    assert_eq!(by_value, vec![(Some("North"), 30), (Some("South"), 10)]);
    // the newest texts across every shard, newest first
    let texts = s.report_texts(&p.id, day!("2026-11-20"), day!("2026-11-20"), 5).await.unwrap();
    let read: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(read, vec!["text 39", "text 38", "text 37", "text 36", "text 35"]);
    // an erasure finds a response's text on its shard
    s.erase_report_texts(&p.id, "2026-11-20T10:39:00.000Z", "spread-39").await.unwrap();
    let texts = s.report_texts(&p.id, day!("2026-11-20"), day!("2026-11-20"), 1).await.unwrap();
    assert_eq!(texts[0].text, "text 38");
}

// ----------------------------------------------------------------- reports

pub async fn seeded_buckets_add_up_and_read_by_day_range<S: Projects + Reports>(s: &S) {
    let p = project(s, None).await;
    let region = Dimension::Field("Region".into());
    let industry = Dimension::Question(ids::INDUSTRY.into());
    for d in ["2026-11-01", "2026-11-02", "2026-11-03"] {
        s.seed_bucket(&p.id, day!(d), None, &counters(&[("n", 2), ("invited", 5)])).await.unwrap();
    }
    s.seed_bucket(&p.id, day!("2026-11-02"), None, &counters(&[("n", 1), ("nps.10", 1)])).await.unwrap();
    let days = s.day_buckets(&p.id, day!("2026-11-02"), day!("2026-11-03")).await.unwrap();
    assert_eq!(days.iter().map(|b| b.day).collect::<Vec<_>>(), vec![Some(day!("2026-11-02")), Some(day!("2026-11-03"))]);
    assert_eq!(days[0].counters, counters(&[("n", 3), ("invited", 5), ("nps.10", 1)]));
    assert_eq!(days[1].counters, counters(&[("n", 2), ("invited", 5)]));
    for (d, value) in [("2026-11-01", "North"), ("2026-11-02", "North"), ("2026-11-02", "South"), ("2026-11-04", "North")] {
        s.seed_bucket(&p.id, day!(d), Some((&region, value)), &counters(&[("n", 1)])).await.unwrap();
    }
    s.seed_bucket(&p.id, day!("2026-11-02"), Some((&industry, "Retail")), &counters(&[("n", 7)])).await.unwrap();
    let segments = s.segment_buckets(&p.id, &region, day!("2026-11-01"), day!("2026-11-02")).await.unwrap();
    let seen: Vec<_> = segments.iter().map(|b| (b.day, b.value.as_deref(), b.counters.get("n").copied())).collect();
    assert_eq!(
        seen,
        vec![
            (Some(day!("2026-11-01")), Some("North"), Some(1)),
            (Some(day!("2026-11-02")), Some("North"), Some(1)),
            (Some(day!("2026-11-02")), Some("South"), Some(1))
        ]
    );
    let retail = s.segment_buckets(&p.id, &industry, day!("2026-11-01"), day!("2026-11-30")).await.unwrap();
    assert_eq!(retail.len(), 1);
    assert_eq!(retail[0].counters, counters(&[("n", 7)]));
    assert!(s.day_buckets(&p.id, day!("2026-10-01"), day!("2026-10-31")).await.unwrap().is_empty());
}

pub async fn report_texts_are_newest_first_and_erased_with_their_response<S: Projects + Responses + Reports>(s: &S) {
    let p = project(s, None).await;
    let mut stored = Vec::new();
    for (at, text) in [("2026-11-18T09:00:00.000Z", "old"), ("2026-11-19T09:00:00.000Z", "middle"), ("2026-11-20T09:00:00.000Z", "new")] {
        let r = response(&p.id, &new_id(), 6, at);
        let c = Contribution {
            day: day!(&at[..10]),
            counters: vec!["n".into()],
            segments: vec![],
            texts: vec![(ids::NEEDS.into(), text.into())],
        };
        assert_eq!(s.store_response(&r, None, 1, Some(&c), Gate::NONE).await.unwrap(), Stored::New);
        stored.push(r);
    }
    let pid = p.id.as_str();
    let texts = |from: &str, to: &str, limit: usize| {
        let (from, to) = (day!(from), day!(to));
        async move { s.report_texts(pid, from, to, limit).await.unwrap().into_iter().map(|t| t.text).collect::<Vec<_>>() }
    };
    assert_eq!(texts("2026-11-18", "2026-11-20", 10).await, ["new", "middle", "old"]);
    assert_eq!(texts("2026-11-18", "2026-11-20", 2).await, ["new", "middle"]);
    assert_eq!(texts("2026-11-19", "2026-11-19", 10).await, ["middle"]);
    let middle = &stored[1];
    s.erase_report_texts(&p.id, &middle.submitted_at, &middle.response_id).await.unwrap();
    assert_eq!(texts("2026-11-18", "2026-11-20", 10).await, ["new", "old"]);
    // erased again: nothing more goes
    s.erase_report_texts(&p.id, &middle.submitted_at, &middle.response_id).await.unwrap();
    assert_eq!(texts("2026-11-18", "2026-11-20", 10).await, ["new", "old"]);
    let days = s.day_buckets(&p.id, day!("2026-11-19"), day!("2026-11-19")).await.unwrap();
    assert_eq!(days[0].counters, counters(&[("n", 1)]), "the counters stay");
}

fn report(project_id: &str, created_at: &str) -> ReportRecord {
    let request = Request {
        from: "2026-11-01".into(),
        to: "2026-11-28".into(),
        period: Default::default(),
        segments: vec![],
        min_responses: 10,
        filter: None,
    };
    ReportRecord::new(project_id, new_id(), "weekly", request, created_at.to_string())
}

pub async fn a_report_is_created_once_and_opened_by_its_link_until_it_expires<S: Projects + Reports>(s: &S) {
    use pulse_shared::store::reports::ShareLink;
    let p = project(s, None).await;
    let now_ms = clock::now_ms();
    let older = report(&p.id, "2026-11-23T06:00:00.000Z");
    let newer = report(&p.id, "2026-11-30T06:00:00.000Z");
    assert!(s.create_report(&older).await.unwrap());
    assert!(s.create_report(&newer).await.unwrap());
    // a repeated schedule run creates nothing and changes nothing
    let mut repeated = older.clone();
    repeated.source = "on_demand".into();
    assert!(!s.create_report(&repeated).await.unwrap());
    assert_eq!(s.get_report(&p.id, &older.report_id).await.unwrap(), Some(older.clone()));
    assert_eq!(s.list_reports(&p.id).await.unwrap(), vec![newer.clone(), older.clone()]);
    let now_s = now_ms / 1000;
    let expires = now_s + pulse_shared::store::reports::LINK_DAYS * 86_400;
    let link = |id: &str, r: &ReportRecord, at: &str| ShareLink {
        id: id.to_string(),
        report_id: r.report_id.clone(),
        label: "subscribers".into(),
        created_at: at.into(),
        expires_at: expires,
    };
    let (first, second) = (link(&new_token(), &older, "t1"), link(&new_token(), &older, "t2"));
    s.share_report(&p.id, &first).await.unwrap();
    s.share_report(&p.id, &second).await.unwrap();
    assert!(s.share_report(&p.id, &first).await.is_err(), "a link id is taken once");
    s.share_report(&p.id, &link(&new_token(), &newer, "t3")).await.unwrap();
    assert_eq!(s.report_shares(&p.id, &older.report_id).await.unwrap(), vec![first.clone(), second.clone()]);
    assert_eq!(s.report_by_link(&first.id, now_s).await.unwrap(), Some(older.clone()));
    assert_eq!(s.report_by_link(&first.id, expires - 1).await.unwrap(), Some(older.clone()));
    assert_eq!(s.report_by_link(&first.id, expires).await.unwrap(), None);
    assert_eq!(s.report_by_link(&new_token(), now_s).await.unwrap(), None);
    assert_eq!(s.get_report(&p.id, &new_id()).await.unwrap(), None);

    // revoked: at once, once; another report's link cannot be revoked through this one
    assert!(!s.revoke_share(&p.id, &newer.report_id, &first.id).await.unwrap());
    assert_eq!(s.report_by_link(&first.id, now_s).await.unwrap(), Some(older.clone()));
    assert!(s.revoke_share(&p.id, &older.report_id, &first.id).await.unwrap());
    assert!(!s.revoke_share(&p.id, &older.report_id, &first.id).await.unwrap(), "revoking twice is harmless");
    assert_eq!(s.report_by_link(&first.id, now_s).await.unwrap(), None);
    assert_eq!(s.report_shares(&p.id, &older.report_id).await.unwrap(), vec![second.clone()]);

    // a deleted report takes its links with it
    assert!(s.delete_report(&p.id, &older.report_id).await.unwrap());
    assert!(!s.delete_report(&p.id, &older.report_id).await.unwrap());
    assert_eq!(s.report_by_link(&second.id, now_s).await.unwrap(), None);
    assert!(s.report_shares(&p.id, &older.report_id).await.unwrap().is_empty());
    assert_eq!(s.list_reports(&p.id).await.unwrap(), vec![newer.clone()]);
}

pub async fn a_finished_report_is_recorded_with_its_links<S: Projects + Reports>(s: &S) {
    let p = project(s, None).await;
    let r = report(&p.id, &clock::now());
    assert!(s.create_report(&r).await.unwrap());
    assert_eq!(s.report_links(&r).await.unwrap(), serde_json::Value::Null, "a pending report has no files");
    let done = ReportRecord { state: ReportState::Done, finished_at: Some(clock::now()), responses: 4, ..r.clone() };
    s.finish_report(&done).await.unwrap();
    // a retry writes the same outcome again
    s.finish_report(&done).await.unwrap();
    assert_eq!(s.get_report(&p.id, &r.report_id).await.unwrap(), Some(done.clone()));
    let links = s.report_links(&done).await.unwrap();
    for file in ["html", "csv", "json"] {
        let url = links[file].as_str().unwrap_or_else(|| panic!("no {file} link in {links}"));
        assert!(url.contains(&done.key(&format!("report.{file}"))), "{url} does not name the {file} file");
    }
    assert!(links.get("share").is_none(), "share links are made apart, their tokens never stored");
    // a report that was never created is not created by finishing it
    let ghost = ReportRecord { state: ReportState::Failed, ..report(&p.id, &clock::now()) };
    assert!(s.finish_report(&ghost).await.is_err());
    assert_eq!(s.get_report(&p.id, &ghost.report_id).await.unwrap(), None);
}

pub async fn report_figures_count_the_stored_responses<S: Projects + Responses + Reports>(s: &S) {
    let p = project(s, None).await;
    let draft = s.report_definition(&p).await.unwrap();
    assert_eq!(draft, generate(&p.id, p.kind, &p.settings, 0), "before publication the draft labels the report");
    for (nps, region) in [(10, "North"), (9, "North"), (2, "South")] {
        let mut r = response(&p.id, &new_id(), nps, "2026-11-20T10:00:00.000Z");
        r.embedded.insert("Region".into(), region.into());
        let c = contribution(&draft, &r).expect("the time is readable");
        assert_eq!(s.store_response(&r, None, 1, Some(&c), Gate::NONE).await.unwrap(), Stored::New);
    }
    s.seed_bucket(&p.id, day!("2026-11-20"), None, &counters(&[("invited", 6)])).await.unwrap();
    let region = Dimension::Field("Region".into());
    let request = Request {
        from: "2026-11-16".into(),
        to: "2026-11-22".into(),
        period: Default::default(),
        segments: vec![region.clone()],
        min_responses: 10,
        filter: None,
    };
    let figures = s.report_figures(&p, &draft, &request, &clock::now()).await.unwrap();
    assert_eq!((figures.headline.responses, figures.headline.invitations), (3, 6));
    let nps = figures.headline.nps.expect("NPS answers were given");
    assert_eq!((nps.promoters, nps.passives, nps.detractors), (2, 0, 1));
    let table = figures.segments.iter().find(|t| t.dimension == region).expect("the Region breakdown");
    let rows: BTreeMap<&str, u64> = table.rows.iter().map(|r| (r.value.as_str(), r.responses)).collect();
    assert_eq!(rows, BTreeMap::from([("North", 2), ("South", 1)]));
    let bad = Request { from: "2026-11-22".into(), to: "2026-11-16".into(), ..request };
    assert!(s.report_figures(&p, &draft, &bad, &clock::now()).await.is_err());
    // once published, the published version labels the report
    let def = generate(&p.id, p.kind, &p.settings, 1);
    let published = Project { revision: 2, published_version: Some(1), ..p.clone() };
    s.publish(&published, &def, 1, &clock::now()).await.unwrap();
    assert_eq!(s.report_definition(&published).await.unwrap(), def);
    let missing = Project { published_version: Some(7), ..published };
    assert!(s.report_definition(&missing).await.is_err());
}

// ----------------------------------------------------------------- budgets

fn plan(name: &str, monthly_budget: u64, lifetime_cap: Option<u64>) -> Plan {
    Plan { name: name.to_string(), monthly_budget, lifetime_cap, built_in: false }
}

pub async fn a_plan_name_is_taken_once<S: Budgets>(s: &S) {
    let name = format!("Growth {}", new_id().replace(['-', '_'], "x"));
    let growth = plan(&name, 500, Some(10_000));
    s.create_plan(&growth, &clock::now()).await.unwrap();
    assert_eq!(s.get_plan(&name.to_uppercase()).await.unwrap(), Some(growth.clone()));
    assert!(matches!(s.create_plan(&plan(&name.to_lowercase(), 10, None), &clock::now()).await, Err(pulse_shared::Error::Conflict(_))));
    assert_eq!(s.get_plan(&name).await.unwrap(), Some(growth.clone()));
    let plans = s.list_plans().await.unwrap();
    assert!(plans[0].built_in && plans[0].name == "Starter", "Starter comes first");
    assert_eq!(plans.iter().filter(|p| p.name.eq_ignore_ascii_case(&name)).collect::<Vec<_>>(), vec![&growth]);
    assert!(s.get_plan("starter").await.unwrap().is_some_and(|p| p.built_in));
    assert_eq!(s.get_plan(&format!("none {}", new_id())).await.unwrap(), None);
}

pub async fn an_account_is_created_once_and_listed<S: Budgets>(s: &S) {
    let a = account(50, Some(20_000), usage(&this_month(), 0, 0));
    s.create_account(&a).await.unwrap();
    assert_eq!(s.get_account(&a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(s.get_account_as_charged(&a.id).await.unwrap(), Some(a.clone()), "no leases: the same account");
    let again = Account { name: "Other".into(), ..a.clone() };
    assert!(matches!(s.create_account(&again).await, Err(pulse_shared::Error::Conflict(_))));
    assert_eq!(s.get_account(&a.id).await.unwrap(), Some(a.clone()));
    let listed = s.list_accounts().await.unwrap();
    assert_eq!(
        listed.iter().filter(|e| e.id == a.id).map(|e| (e.name.as_str(), e.created_at.as_str())).collect::<Vec<_>>(),
        vec![("Acme", a.created_at.as_str())]
    );
    assert_eq!(s.get_account(&format!("a-{}", new_id())).await.unwrap(), None);
}

pub async fn a_plan_change_applies_at_once<S: Budgets>(s: &S) {
    let a = account(50, Some(20_000), usage(&this_month(), 7, 7));
    s.create_account(&a).await.unwrap();
    assert!(s.change_plan(&a.id, &plan("Unlimited", 1000, None), "2026-11-25T10:00:00.000Z").await.unwrap());
    let after = stored_account(s, &a).await;
    assert_eq!((after.plan.as_str(), after.monthly_budget, after.lifetime_cap), ("Unlimited", 1000, None));
    assert_eq!((after.usage.used, after.updated_at.as_str()), (7, "2026-11-25T10:00:00.000Z"), "what was used stays");
    assert!(s.change_plan(&a.id, &plan("Small", 5, Some(100)), "2026-11-26T10:00:00.000Z").await.unwrap());
    assert_eq!(stored_account(s, &a).await.lifetime_cap, Some(100));
    assert!(!s.change_plan(&format!("a-{}", new_id()), &plan("Small", 5, None), "2026-11-26T10:00:00.000Z").await.unwrap());
}

pub async fn a_new_month_resets_the_counters_once<S: Budgets>(s: &S) {
    let mut u = usage("2026-10", 5, 40);
    u.refused = 2;
    u.last_refused_at = Some("2026-10-30T10:00:00.000Z".into());
    let a = account(50, None, u);
    s.create_account(&a).await.unwrap();
    s.roll_month(&a.id, "2026-11").await.unwrap();
    let rolled = stored_account(s, &a).await;
    assert_eq!((rolled.usage.month.as_str(), rolled.usage.used, rolled.usage.refused, rolled.usage.lifetime_used), ("2026-11", 0, 0, 40));
    assert_eq!(rolled.usage.last_refused_at, None);
    // counted in the new month, then rolled again (a late duplicate): nothing resets
    let c = Charge { account_id: a.id.clone(), month: "2026-11".into(), record: Record::Invitation, at: "2026-11-02T10:00:00.000Z".into() };
    s.count_refusal(&c).await.unwrap();
    s.roll_month(&a.id, "2026-11").await.unwrap();
    s.roll_month(&a.id, "2026-10").await.unwrap();
    let same = stored_account(s, &a).await;
    assert_eq!((same.usage.month.as_str(), same.usage.refused), ("2026-11", 1));
    // an unknown account is not created
    let ghost = format!("a-{}", new_id());
    s.roll_month(&ghost, "2026-11").await.unwrap();
    assert_eq!(s.get_account(&ghost).await.unwrap(), None);
}

pub async fn a_charge_is_prepared_in_the_current_month<S: Budgets>(s: &S) {
    let a = account(50, None, usage("2000-01", 9, 9));
    s.create_account(&a).await.unwrap();
    let now_ms = clock::now_ms();
    let c = s.prepare_charge(&a.id, now_ms, Record::Reminder).await.unwrap().expect("the account exists");
    let month = billing_month(now_ms, &a.time_zone);
    assert_eq!(c, Charge { account_id: a.id.clone(), month: month.clone(), record: Record::Reminder, at: clock::from_ms(now_ms) });
    let rolled = stored_account(s, &a).await;
    assert_eq!((rolled.usage.month, rolled.usage.used, rolled.usage.lifetime_used), (month.clone(), 0, 9));
    // prepared again in the same month: the counters are not reset again
    s.count_refusal(&c).await.unwrap();
    let c2 = s.prepare_charge(&a.id, now_ms, Record::Invitation).await.unwrap().expect("the account exists");
    assert_eq!(c2.month, month);
    let again = stored_account(s, &a).await;
    assert_eq!((again.usage.refused, again.usage.lifetime_used), (1, 9));
    assert_eq!(s.prepare_charge(&format!("a-{}", new_id()), now_ms, Record::Invitation).await.unwrap(), None);
}

pub async fn refusals_and_refunds_count_in_their_month_only<S: Budgets>(s: &S) {
    let a = account(50, None, usage("2026-11", 2, 2));
    s.create_account(&a).await.unwrap();
    let c = Charge { account_id: a.id.clone(), month: "2026-11".into(), record: Record::Invitation, at: "2026-11-05T10:00:00.000Z".into() };
    s.count_refusal(&c).await.unwrap();
    s.count_refusal(&Charge { month: "2026-10".into(), ..c.clone() }).await.unwrap();
    let counted = stored_account(s, &a).await;
    assert_eq!((counted.usage.refused, counted.usage.last_refused_at.as_deref()), (1, Some("2026-11-05T10:00:00.000Z")));
    s.refund(&a.id, "2026-10").await.unwrap();
    assert_eq!(stored_account(s, &a).await.usage.used, 2, "a refund of another month gives nothing back");
    for _ in 0..3 {
        s.refund(&a.id, "2026-11").await.unwrap();
    }
    let refunded = stored_account(s, &a).await;
    assert_eq!((refunded.usage.used, refunded.usage.lifetime_used), (0, 0), "never below zero");
    // unknown accounts: nothing happens, no error
    let ghost = format!("a-{}", new_id());
    s.refund(&ghost, "2026-11").await.unwrap();
    s.count_refusal(&Charge { account_id: ghost.clone(), ..c }).await.unwrap();
    assert_eq!(s.get_account(&ghost).await.unwrap(), None);
}

pub async fn a_sync_is_noted_on_the_account<S: Budgets>(s: &S) {
    let a = account(50, None, usage(&this_month(), 0, 0));
    s.create_account(&a).await.unwrap();
    s.note_sync(&a.id, "import", "2026-11-20T10:00:00.000Z").await.unwrap();
    s.note_sync(&a.id, "event:order_placed", "2026-11-21T10:00:00.000Z").await.unwrap();
    let noted = stored_account(s, &a).await;
    assert_eq!(
        (noted.usage.last_sync_kind.as_deref(), noted.usage.last_sync_at.as_deref()),
        (Some("event:order_placed"), Some("2026-11-21T10:00:00.000Z"))
    );
    assert_eq!(noted.usage.used, 0);
    let ghost = format!("a-{}", new_id());
    s.note_sync(&ghost, "import", "2026-11-20T10:00:00.000Z").await.unwrap();
    assert_eq!(s.get_account(&ghost).await.unwrap(), None);
}

// ------------------------------------------------- across capabilities

/// A sent invitation counts `invited` in the report buckets the Reports
/// port reads (the response rate's denominator), once; a skipped one does
/// not.
pub async fn a_sent_invitation_counts_in_the_report_buckets_once<S: Projects + Invitations + Reports>(s: &S) {
    use pulse_shared::domain::invitation::{Expect, Outcome, Settle};
    let p = project(s, None).await;
    let dist = format!("d-{}", new_id());
    let fields = BTreeMap::from([("Region".to_string(), "North".to_string())]);
    let at = "2026-11-20T10:00:00.000Z";
    for (email, outcome) in
        [("a@example.com", Outcome::Sent { message_id: "m-1".into() }), ("b@example.com", Outcome::Failed("bounced".into()))]
    {
        let one = [Settle {
            email_key: email.into(),
            outcome,
            fields: fields.clone(),
            link: new_token(),
            charged: None,
            expect: Expect::Absent,
            at: at.into(),
        }];
        assert_eq!(s.settle_invites(&p.id, &dist, &one).await.unwrap(), [true]);
        // settled again (a retry): refused, nothing counted twice
        assert_eq!(s.settle_invites(&p.id, &dist, &one).await.unwrap(), [false]);
    }
    let days = s.day_buckets(&p.id, day!("2026-11-20"), day!("2026-11-20")).await.unwrap();
    assert_eq!(days.iter().map(|b| b.counters.clone()).collect::<Vec<_>>(), vec![counters(&[("invited", 1)])]);
    let north = s.segment_buckets(&p.id, &Dimension::Field("Region".into()), day!("2026-11-20"), day!("2026-11-20")).await.unwrap();
    assert_eq!(
        north.iter().map(|b| (b.value.as_deref(), b.counters.clone())).collect::<Vec<_>>(),
        vec![(Some("North"), counters(&[("invited", 1)]))]
    );
    // the responses' counters add to the same buckets
    s.seed_bucket(&p.id, day!("2026-11-20"), None, &counters(&[("n", 1), ("personal", 1)])).await.unwrap();
    let days = s.day_buckets(&p.id, day!("2026-11-20"), day!("2026-11-20")).await.unwrap();
    assert_eq!(days[0].counters, counters(&[("invited", 1), ("n", 1), ("personal", 1)]));
}

/// Runs a paged removal until it finds nothing left; how many it removed.
async fn drain<F: std::future::Future<Output = pulse_shared::Result<u64>>>(mut page: impl FnMut() -> F) -> u64 {
    let mut total = 0;
    for _ in 0..100 {
        match page().await.expect("a page is removed") {
            0 => return total,
            n => total += n,
        }
    }
    panic!("the removal never ended")
}

pub async fn a_deletion_removes_the_projects_items_and_files_and_nothing_else<S: Projects + Links + Notifications + Jobs + Files>(s: &S) {
    use pulse_shared::domain::erasure::JobRecord;
    let (mine, theirs) = (project(s, None).await, project(s, None).await);
    let mut tokens = Vec::new();
    for p in [&mine, &theirs] {
        let link = personal_link(&p.id, "anna@example.com");
        s.put_link(&link).await.unwrap();
        tokens.push((link.id.clone(), s.optout_token(&p.id, "team@example.com").await.unwrap()));
        for key in [format!("reports/{}/r1/report.html", p.id), format!("logos/{}/logo.png", p.id)] {
            s.put_object(&key, "text/plain", b"x".to_vec()).await.unwrap();
        }
    }
    let job = JobRecord::deletion(&mine.id, &new_id(), &clock::now());
    let stale = Project { revision: 7, ..mine.clone() };
    assert!(s.begin_deletion(&stale, &job).await.is_err(), "only from the revision it was read at");
    s.begin_deletion(&mine, &job).await.unwrap();
    assert_eq!(s.get_project(&mine.id).await.unwrap(), None, "gone for every route at once");
    assert!(!s.list_projects().await.unwrap().iter().any(|p| p.id == mine.id));
    assert_eq!(s.deletion(&mine.id).await.unwrap(), Some(job.job_id.clone()));
    assert_eq!(s.get_job(&mine.id, &job.job_id).await.unwrap(), Some(job.clone()), "recorded with the deletion");

    let mut swept = 0;
    let mut cursor = None;
    for _ in 0..1000 {
        let (n, next) = s.sweep_project(&mine.id, cursor.as_deref()).await.unwrap();
        swept += n;
        cursor = next;
        if cursor.is_none() {
            break;
        }
    }
    assert!(cursor.is_none(), "the sweep ends");
    assert!(swept >= 3, "the anonymous and personal links and the opt-out token: {swept}");
    for prefix in pulse_shared::domain::erasure::project_prefixes(&mine.id) {
        drain(|| s.purge_prefix(&prefix)).await;
    }
    let own = format!("JOB#{}", job.job_id);
    let (project_pk, jobs_pk) = (format!("PROJECT#{}", mine.id), format!("JOBS#{}", mine.id));
    assert!(drain(|| s.purge_partition(Place::Core, &project_pk, None)).await >= 2, "the project's items");
    drain(|| s.purge_partition(Place::Core, &jobs_pk, Some(&own))).await;

    assert_eq!(s.deletion(&mine.id).await.unwrap(), None, "the mark goes with the partition");
    assert!(s.get_job(&mine.id, &job.job_id).await.unwrap().is_some(), "the deletion's record stays");
    let (mine_link, mine_optout) = &tokens[0];
    assert_eq!(s.get_link(&mine.anonymous_link).await.unwrap(), None);
    assert_eq!(s.get_link(mine_link).await.unwrap(), None);
    assert_eq!(s.find_optout(mine_optout).await.unwrap(), None);
    assert_eq!(s.get_object(&format!("logos/{}/logo.png", mine.id)).await.unwrap(), None);
    // the other project keeps everything
    let (their_link, their_optout) = &tokens[1];
    assert!(s.get_project(&theirs.id).await.unwrap().is_some());
    assert!(s.get_link(&theirs.anonymous_link).await.unwrap().is_some());
    assert!(s.get_link(their_link).await.unwrap().is_some());
    assert!(s.find_optout(their_optout).await.unwrap().is_some());
    assert!(s.get_object(&format!("reports/{}/r1/report.html", theirs.id)).await.unwrap().is_some());
}
