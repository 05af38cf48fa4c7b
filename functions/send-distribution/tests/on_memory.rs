//! The invitation rules of `send-distribution`, run on the in-memory double
//! (no emulator): what the handler does with each contact, from the
//! outcome of its claim, the suppression list and the budget. The same
//! paths run end to end through the local stack in `tests/tests/distributions.rs`.

use std::collections::BTreeMap;

use lambda_runtime::{Context, LambdaEvent};
use pulse_shared::clock::{self, Clock};
use pulse_shared::domain::distribution::{DistState, Message};
use pulse_shared::domain::i18n::Lang;
use pulse_shared::domain::invitation::{Invite, InviteState};
use pulse_shared::domain::jobs::{InviteContact, SendJob};
use pulse_shared::domain::links::{new_id, new_token};
use pulse_shared::domain::project::Project;
use pulse_shared::memory::{Memory, Table};
use pulse_shared::ports::*;
use pulse_shared::store::distributions::Distribution;
use pulse_shared::App;
use serde_json::{json, Value};

async fn published_project(app: &App<Memory>) -> Project {
    app.aws.published_project(json!({ "organisation_name": "Kahvila Oy", "business_type": "B2C", "languages": ["fi", "en"] })).await
}

async fn distribution(app: &App<Memory>, p: &Project) -> Distribution {
    let messages = BTreeMap::from([
        (Lang::Fi, Message { subject: "{{FirstName}}, miten onnistuimme?".into(), body: "Vastaa: {{SurveyLink}}".into() }),
        (Lang::En, Message { subject: "{{FirstName}}, how are we doing?".into(), body: "Please answer: {{SurveyLink}}".into() }),
    ]);
    let now_ms = app.clock.now_ms();
    let d = Distribution::to_list(format!("d-{}", new_id()), &p.id, "list-1", messages, None, now_ms, now_ms);
    assert!(app.aws.create_distribution(&d).await.unwrap());
    assert!(app.aws.move_distribution(&p.id, &d.id, &[DistState::Planning], DistState::Sending, &clock::now()).await.unwrap());
    d
}

fn contact(email: &str) -> InviteContact {
    InviteContact {
        email: email.to_string(),
        email_key: email.to_lowercase(),
        first_name: "Anna".into(),
        last_name: "Virtanen".into(),
        fields: BTreeMap::new(),
        language: Some(Lang::Fi),
    }
}

/// The SQS event Lambda hands the function for one job.
fn sqs(job: &SendJob) -> LambdaEvent<Value> {
    let payload = json!({ "Records": [{
        "messageId": new_id(), "receiptHandle": "r", "body": serde_json::to_string(job).unwrap(),
        "attributes": {}, "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:send", "awsRegion": "us-east-1"
    }]});
    let mut context = Context::default();
    context.deadline = clock::now_ms() + 300_000;
    LambdaEvent::new(payload, context)
}

/// The token of the survey link in an email's text.
fn survey_token(text: &str) -> String {
    let at = text.find("/s/").expect("the email carries a survey link") + 3;
    text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

async fn invite(app: &App<Memory>, p: &Project, d: &Distribution, contacts: Vec<InviteContact>) -> Value {
    let job = SendJob::Invite { project_id: p.id.clone(), distribution_id: d.id.clone(), contacts };
    send_distribution::handle(app, sqs(&job)).await.unwrap()
}

#[tokio::test]
async fn a_contact_is_invited_once_in_its_language_with_a_personal_link() {
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let d = distribution(&app, &p).await;
    let answer = invite(&app, &p, &d, vec![contact("anna@example.com")]).await;
    assert_eq!(answer["batchItemFailures"], json!([]));
    // the same message again (SQS delivers at least once)
    invite(&app, &p, &d, vec![contact("anna@example.com")]).await;
    let sent = app.aws.sent();
    assert_eq!(sent.len(), 1, "one email, however often the message comes");
    assert_eq!(sent[0].email.subject, "Anna, miten onnistuimme?");
    let invite = app.aws.get_invite(&d.id, "anna@example.com").await.unwrap().unwrap();
    assert_eq!(invite.state, InviteState::Sent);
    let token = survey_token(&sent[0].email.text);
    assert_eq!(app.link_id(&token).await.unwrap(), invite.link, "the email carries the contact's own link");
    assert!(!serde_json::to_string(&invite).unwrap().contains(&token), "the invitation keeps the link's hash, not its token");
    let d = app.aws.get_distribution(&p.id, &d.id).await.unwrap().unwrap();
    assert_eq!(d.counts.sent, 1);
}

#[tokio::test]
async fn an_invitation_left_sending_by_a_crash_is_failed_and_never_sent_again() {
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let d = distribution(&app, &p).await;
    // an earlier attempt (of the version before the link was the claim)
    // claimed it, handed it towards SES and died
    let crashed = Invite { state: InviteState::Sending, ..Invite::claimed("anna@example.com", &new_token(), app.clock.now_ms() - 1) };
    app.aws.lock().put(Table::Core, &format!("DIST#{}", d.id), "INVITE#anna@example.com", &crashed);
    invite(&app, &p, &d, vec![contact("anna@example.com")]).await;
    assert!(app.aws.sent().is_empty(), "a delivery that may have happened is not repeated");
    let invite = app.aws.get_invite(&d.id, "anna@example.com").await.unwrap().unwrap();
    assert_eq!(invite.state, InviteState::Failed);
    assert!(invite.reason.unwrap().contains("delivery unknown"));
    assert_eq!(app.aws.get_distribution(&p.id, &d.id).await.unwrap().unwrap().counts.failed, 1);
}

#[tokio::test]
async fn a_claim_that_ran_out_before_ses_is_taken_over_with_a_new_link() {
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let d = distribution(&app, &p).await;
    let stale = Invite::claimed("anna@example.com", "first-attempts-link", app.clock.now_ms() - 1);
    app.aws.lock().put(Table::Core, &format!("DIST#{}", d.id), "INVITE#anna@example.com", &stale);
    invite(&app, &p, &d, vec![contact("anna@example.com")]).await;
    let sent = app.aws.sent();
    assert_eq!(sent.len(), 1);
    // the first attempt's token was never kept and its email never left: the
    // takeover mints a link of its own, and the invitation names it
    let taken = app.aws.get_invite(&d.id, "anna@example.com").await.unwrap().unwrap();
    assert_ne!(taken.link, "first-attempts-link");
    assert_eq!(app.link_id(&survey_token(&sent[0].email.text)).await.unwrap(), taken.link);
}

#[tokio::test]
async fn suppressed_and_invalid_addresses_are_skipped_and_counted() {
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let d = distribution(&app, &p).await;
    app.aws.suppress(&p.id, "gone@example.com", "unsubscribed", &clock::now()).await.unwrap();
    let mut bad = contact("not an address");
    bad.email_key = "not an address".into();
    invite(&app, &p, &d, vec![contact("gone@example.com"), bad, contact("anna@example.com")]).await;
    assert_eq!(app.aws.sent().len(), 1);
    let d = app.aws.get_distribution(&p.id, &d.id).await.unwrap().unwrap();
    assert_eq!((d.counts.sent, d.counts.skipped_unsubscribed, d.counts.skipped_invalid), (1, 1, 1));
}

#[tokio::test]
async fn a_passing_ses_refusal_sends_the_rest_and_brings_the_message_back_after_a_backoff() {
    use pulse_shared::domain::mail::SendFailure;
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let d = distribution(&app, &p).await;
    app.aws.lock().mail_failures.push_back(SendFailure::Transient);
    let answer = invite(&app, &p, &d, vec![contact("anna@example.com"), contact("ben@example.com")]).await;
    assert_eq!(answer["batchItemFailures"].as_array().unwrap().len(), 1, "the message comes back: {answer}");
    let backoff = app.aws.lock().retried_later.clone();
    assert_eq!(backoff.len(), 1);
    assert!((5..=7).contains(&backoff[0].1), "the first backoff is 5 to 7 seconds: {backoff:?}");
    assert_eq!(app.aws.sent().len(), 1, "the other contact is invited meanwhile");
    assert_eq!(app.aws.get_invite(&d.id, "anna@example.com").await.unwrap(), None, "not failed: left for the redelivery");
    let first = app.link_id(&survey_token(&app.aws.sent()[0].email.text)).await.unwrap();
    // the redelivery invites her, with the link her invitation always has,
    // and nobody twice
    let answer = invite(&app, &p, &d, vec![contact("anna@example.com"), contact("ben@example.com")]).await;
    assert_eq!(answer["batchItemFailures"], json!([]));
    let sent = app.aws.sent();
    assert_eq!(sent.len(), 2);
    let again = app.aws.get_invite(&d.id, "anna@example.com").await.unwrap().unwrap();
    let token = survey_token(&sent[1].email.text);
    assert_eq!(app.link_id(&token).await.unwrap(), again.link);
    assert_ne!(again.link, first, "her link, not Ben's");
    assert!(app.aws.get_link(&again.link).await.unwrap().is_some(), "the link she was sent works");
    assert_eq!(app.aws.get_distribution(&p.id, &d.id).await.unwrap().unwrap().counts.sent, 2);
}

#[tokio::test]
async fn an_invitation_whose_hold_ran_out_unsettled_is_failed_and_never_sent_again() {
    use pulse_shared::domain::invitation::LinkClaim;
    use pulse_shared::domain::links::{ContactSnapshot, LinkKind};
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let d = distribution(&app, &p).await;
    // an earlier attempt held her link (so it may have reached SES) and died
    // before its settlement
    let kind = LinkKind::Personal {
        contact: ContactSnapshot {
            email: "anna@example.com".into(),
            first_name: "Anna".into(),
            last_name: "V".into(),
            fields: BTreeMap::new(),
            language: None,
        },
        response_id: new_id(),
        distribution_id: Some(d.id.clone()),
    };
    let (_, link) = app.invitation_link(&p.id, &d.id, "anna@example.com", kind, &clock::now()).await.unwrap();
    let now_ms = app.clock.now_ms();
    assert_eq!(app.aws.claim_link(&link, "died", now_ms - 1, now_ms - 60_001, false).await.unwrap(), LinkClaim::Claimed);
    // and one still held by a live attempt
    let answer = invite(&app, &p, &d, vec![contact("anna@example.com"), contact("ben@example.com")]).await;
    assert_eq!(answer["batchItemFailures"], json!([]));
    let sent = app.aws.sent();
    assert_eq!(
        sent.iter().map(|m| m.email.to[0].as_str()).collect::<Vec<_>>(),
        ["ben@example.com"],
        "a delivery that may have happened is not repeated"
    );
    let anna = app.aws.get_invite(&d.id, "anna@example.com").await.unwrap().unwrap();
    assert_eq!((anna.state, anna.link.as_str()), (InviteState::Failed, link.id.as_str()));
    assert!(anna.reason.unwrap().contains("delivery unknown"));
    let counts = app.aws.get_distribution(&p.id, &d.id).await.unwrap().unwrap().counts;
    assert_eq!((counts.sent, counts.failed, counts.failed_unknown), (1, 1, 1));
    // a hold still running: the message comes back later
    let carl = contact("carl@example.com");
    let (_, held) = app.invitation_link(&p.id, &d.id, &carl.email_key, link.kind.clone(), &clock::now()).await.unwrap();
    assert_eq!(app.aws.claim_link(&held, "alive", now_ms + 60_000, now_ms, false).await.unwrap(), LinkClaim::Claimed);
    let answer = invite(&app, &p, &d, vec![carl]).await;
    assert_eq!(answer["batchItemFailures"].as_array().unwrap().len(), 1, "busy: it comes back: {answer}");
    assert_eq!(app.aws.sent().len(), 1);
}

#[tokio::test]
async fn a_sender_ses_refuses_pauses_the_distribution_and_fails_nobody() {
    use pulse_shared::domain::mail::SendFailure;
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let d = distribution(&app, &p).await;
    app.aws.lock().mail_failures.push_back(SendFailure::Sender);
    let answer = invite(&app, &p, &d, vec![contact("anna@example.com"), contact("ben@example.com")]).await;
    assert_eq!(answer["batchItemFailures"], json!([]), "the message is done: resuming plans again");
    let d2 = app.aws.get_distribution(&p.id, &d.id).await.unwrap().unwrap();
    assert_eq!((d2.state, d2.counts.failed, d2.counts.sent), (DistState::Paused, 0, 0));
    assert!(app.aws.sent().is_empty());
    // another message of the paused distribution waits for the resumption
    invite(&app, &p, &d, vec![contact("cem@example.com")]).await;
    assert!(app.aws.sent().is_empty() && app.aws.get_invite(&d.id, "cem@example.com").await.unwrap().is_none());
}

#[tokio::test]
async fn a_reminder_ses_did_not_take_for_now_is_sent_when_its_page_comes_back() {
    use pulse_shared::domain::distribution::Reminder;
    use pulse_shared::domain::mail::SendFailure;
    let app = App::in_memory(Clock::default());
    let p = published_project(&app).await;
    let reminder = Reminder {
        after_days: 3,
        messages: BTreeMap::from([
            (Lang::Fi, Message { subject: "Muistutus".into(), body: "Vastaa: {{SurveyLink}}".into() }),
            (Lang::En, Message { subject: "Reminder".into(), body: "Please answer: {{SurveyLink}}".into() }),
        ]),
    };
    let now_ms = app.clock.now_ms();
    let messages = BTreeMap::from([(Lang::Fi, Message { subject: "Kysely".into(), body: "Vastaa: {{SurveyLink}}".into() })]);
    let d = Distribution::to_list(format!("d-{}", new_id()), &p.id, "list-1", messages, Some(reminder), now_ms, now_ms);
    assert!(app.aws.create_distribution(&d).await.unwrap());
    invite(&app, &p, &d, vec![contact("anna@example.com")]).await;
    app.aws.lock().mail_failures.push_back(SendFailure::Transient);
    let job = SendJob::Remind { project_id: p.id.clone(), distribution_id: d.id.clone(), after: None };
    let answer = send_distribution::handle(&app, sqs(&job)).await.unwrap();
    assert_eq!(answer["batchItemFailures"].as_array().unwrap().len(), 1, "the page comes back: {answer}");
    let anna = app.aws.get_invite(&d.id, "anna@example.com").await.unwrap().unwrap();
    assert!(anna.awaits_reminder(), "due again, not skipped: {anna:?}");
    let answer = send_distribution::handle(&app, sqs(&job)).await.unwrap();
    assert_eq!(answer["batchItemFailures"], json!([]));
    let reminders: Vec<_> = app.aws.sent().into_iter().filter(|m| m.email.subject == "Muistutus").collect();
    assert_eq!(reminders.len(), 1, "sent once, on the redelivery");
}
