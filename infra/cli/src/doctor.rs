//! `pulse doctor`: what a stack needs to send and serve, one line each with
//! the fix. A deployed stack is read through CloudFormation (its
//! parameters, queues and rules); the local stack describes itself at
//! `GET /_local/stack` and its SES is the emulator's.

use std::collections::BTreeMap;
use std::io::Write;

use aws_config::SdkConfig;
use serde_json::{json, Value};

use crate::api::{aws_message, Api};
use crate::{output, Failure, Io, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Fail,
    /// Not checked here (not emulated locally, or not applicable).
    Skip,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
    pub fix: String,
}

fn ok(name: &'static str, detail: impl Into<String>) -> Check {
    Check { name, status: Status::Ok, detail: detail.into(), fix: String::new() }
}

fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check { name, status: Status::Fail, detail: detail.into(), fix: fix.into() }
}

fn skip(name: &'static str, detail: impl Into<String>) -> Check {
    Check { name, status: Status::Skip, detail: detail.into(), fix: String::new() }
}

/// What the checks look at, from the stack.
struct Subject {
    local: bool,
    sdk: SdkConfig,
    sender: Option<String>,
    send_rate: Option<f64>,
    public_base_url: String,
    /// Logical id → queue URL.
    dead_letters: BTreeMap<String, String>,
    /// The DKIM records the stack's own sender identity asks for
    /// (`SenderDkimRecords` output, with `ManageSenderIdentity=true`).
    dkim_records: Option<String>,
    /// Schedule name → (enabled, the rule's name).
    schedules: Result<BTreeMap<String, (bool, String)>>,
}

async fn local_subject(api: &Api) -> Result<Subject> {
    let url = api.url("/_local/stack");
    let answer =
        api.plain().get(&url).send().await.map_err(|e| Failure::Unreachable(format!("cannot reach the local stack at {url}: {e}")))?;
    if !answer.status().is_success() {
        return Err(Failure::Usage(format!(
            "{} does not describe itself at /_local/stack: is it a Pulse local stack (./infra/local.sh)?",
            api.base
        )));
    }
    let d: Value = answer.json().await.map_err(|e| Failure::Unreachable(format!("{url}: {e}")))?;
    let emulator = d["emulator_url"].as_str().unwrap_or_default().to_string();
    let run = d["schedules_run"] == true;
    Ok(Subject {
        local: true,
        sdk: pulse_shared::store::emulator_sdk_config(&emulator).await,
        sender: d["sender"].as_str().map(str::to_string),
        send_rate: None,
        dkim_records: None,
        public_base_url: d["public_base_url"].as_str().unwrap_or(&api.base).to_string(),
        dead_letters: d["dead_letter_queues"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), output::cell(v))).collect())
            .unwrap_or_default(),
        schedules: Ok(d["schedules"].as_array().into_iter().flatten().map(|s| (output::cell(s), (run, output::cell(s)))).collect()),
    })
}

async fn deployed_subject(api: &Api) -> Result<Subject> {
    let (Some(stack), Some(sdk)) = (&api.stack, api.sdk()) else {
        return Err(Failure::Usage("pulse doctor reads the stack's resources: give the stack (--stack NAME) rather than --url".into()));
    };
    let cfn = aws_sdk_cloudformation::Client::new(sdk);
    let mut dead_letters = BTreeMap::new();
    let mut rules = Vec::new();
    let mut pages = cfn.list_stack_resources().stack_name(&stack.name).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|e| Failure::Unreachable(format!("cannot list the resources of stack {}: {}", stack.name, aws_message(&e))))?;
        for r in page.stack_resource_summaries() {
            let (Some(id), Some(physical), Some(kind)) = (r.logical_resource_id(), r.physical_resource_id(), r.resource_type()) else {
                continue;
            };
            if kind == "AWS::SQS::Queue" && (id.ends_with("DeadLetterQueue") || id.ends_with("FailureQueue")) {
                dead_letters.insert(id.to_string(), physical.to_string());
            }
            if kind == "AWS::Events::Rule" {
                rules.push((id.to_string(), physical.to_string()));
            }
        }
    }
    let events = aws_sdk_eventbridge::Client::new(sdk);
    let mut schedules = BTreeMap::new();
    let mut schedule_error = None;
    for (id, name) in rules {
        match events.describe_rule().name(&name).send().await {
            Ok(r) => {
                schedules.insert(id, (r.state() == Some(&aws_sdk_eventbridge::types::RuleState::Enabled), name.clone()));
            }
            Err(e) => schedule_error = Some(format!("cannot read the rule {name}: {}", aws_message(&e))),
        }
    }
    // the stack's own answer (its parameter, its domain or its API URL)
    let public = stack.outputs.get("PublicBaseUrl").filter(|u| !u.is_empty()).or_else(|| stack.outputs.get("ApiUrl"));
    Ok(Subject {
        local: false,
        sdk: sdk.clone(),
        sender: stack.parameters.get("SenderEmail").cloned(),
        send_rate: stack.parameters.get("SesSendRate").and_then(|r| r.parse().ok()),
        dkim_records: stack.outputs.get("SenderDkimRecords").cloned(),
        public_base_url: public.cloned().unwrap_or_else(|| api.base.clone()).trim_end_matches('/').to_string(),
        dead_letters,
        schedules: match schedule_error {
            Some(e) => Err(Failure::Unreachable(e)),
            None => Ok(schedules),
        },
    })
}

async fn sender_checks(subject: &Subject) -> Vec<Check> {
    let Some(sender) = subject.sender.clone() else {
        return vec![fail(
            "SES sender",
            "the stack names no sender (SenderEmail)",
            "deploy with --parameter-overrides SenderEmail=you@yourdomain",
        )];
    };
    let ses = aws_sdk_sesv2::Client::new(&subject.sdk);
    let domain = sender.rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_default();
    let mut found = Vec::new();
    for identity in [sender.clone(), domain.clone()] {
        if let Ok(i) = ses.get_email_identity().email_identity(&identity).send().await {
            found.push((identity, i));
        }
    }
    let verified = found.iter().find(|(_, i)| {
        i.verified_for_sending_status() || i.verification_status() == Some(&aws_sdk_sesv2::types::VerificationStatus::Success)
    });
    let fix = format!(
        "verify it in SES: `aws sesv2 create-email-identity --email-identity {sender}` and open the link SES emails (or verify the domain {domain})"
    );
    let mut checks = vec![match (verified, found.is_empty()) {
        (Some((identity, _)), _) => ok("SES sender", format!("{sender} is verified (identity {identity})")),
        (None, true) => fail("SES sender", format!("{sender} is not an SES identity: SES refuses every email from it"), fix),
        (None, false) => fail("SES sender", format!("{sender} is not verified yet: SES refuses every email from it"), fix),
    }];
    if subject.local {
        checks.push(skip("DKIM", "not emulated locally"));
    } else {
        let dkim =
            found.iter().any(|(_, i)| i.dkim_attributes().and_then(|d| d.status()) == Some(&aws_sdk_sesv2::types::DkimStatus::Success));
        checks.push(if dkim {
            ok("DKIM", format!("emails from {domain} are DKIM-signed"))
        } else {
            fail(
                "DKIM",
                format!("emails from {domain} are not DKIM-signed: mailbox providers may file them as spam"),
                match &subject.dkim_records {
                    Some(records) => format!("publish these CNAME records (name=value) in {domain}'s DNS: {records}"),
                    None => format!(
                        "deploy with --parameter-overrides ManageSenderIdentity=true and publish the SenderDkimRecords output's CNAME records (or `aws sesv2 create-email-identity --email-identity {domain}` and publish the records it gives)"
                    ),
                },
            )
        });
    }
    // the same reading of the account as the console's status page
    match pulse_shared::store::health::ses_account(&ses).await {
        Ok(account) => {
            checks.push(if account.production_access {
                ok("SES sandbox", "out of the sandbox: any address can be invited")
            } else if subject.local {
                skip("SES sandbox", "the emulator's account is in the sandbox, as a new AWS account is")
            } else {
                fail(
                    "SES sandbox",
                    "the account is in the SES sandbox: only verified addresses receive email, at most 200 a day",
                    "ask for production access (SES console → Account dashboard → Request production access)",
                )
            });
            let quota = account.max_send_rate;
            checks.push(match subject.send_rate {
                Some(rate) if !pulse_shared::domain::help::rate_exceeds_quota(rate, quota) => {
                    ok("send rate", format!("SesSendRate {rate}/s is within the SES quota of {quota}/s"))
                }
                Some(rate) => fail(
                    "send rate",
                    format!("SesSendRate {rate}/s is over the SES quota of {quota}/s: SES will throttle"),
                    format!("deploy with --parameter-overrides SesSendRate={quota}, or ask AWS for a higher sending quota"),
                ),
                None => skip("send rate", format!("the SES quota is {quota}/s; the stack sets no SesSendRate")),
            });
        }
        Err(e) if subject.local => {
            let _ = e;
            checks.push(skip("SES sandbox", "not emulated locally"));
            checks.push(skip("send rate", "not emulated locally"));
        }
        Err(e) => {
            checks.push(fail("SES account", format!("cannot read the SES account: {e}"), "use credentials that may call ses:GetAccount"))
        }
    }
    checks
}

async fn public_check(api: &Api, subject: &Subject) -> Check {
    let url = format!("{}/s/pulse-doctor-check", subject.public_base_url);
    match api.plain().get(&url).send().await {
        Ok(r) if r.status().as_u16() < 500 => {
            ok("public URL", format!("{} answers ({} for an unknown link, as it should)", subject.public_base_url, r.status().as_u16()))
        }
        Ok(r) => fail(
            "public URL",
            format!("{} answers {} for a survey link", subject.public_base_url, r.status()),
            "look at the SubmitResponseFunction's logs in CloudWatch",
        ),
        Err(e) => fail(
            "public URL",
            format!("{} does not answer: {e}", subject.public_base_url),
            "point the custom domain's DNS at the CustomDomainTarget output (or give HostedZoneId), or leave PublicBaseUrl empty to use the API's own URL",
        ),
    }
}

fn schedule_check(subject: &Subject) -> Check {
    match &subject.schedules {
        Err(e) => fail("schedules", e.to_string(), "use credentials that may call events:DescribeRule"),
        Ok(s) if s.is_empty() => fail("schedules", "the stack has no schedules", "deploy the stack from template.yaml"),
        Ok(s) => {
            let off: Vec<&String> = s.iter().filter(|(_, (on, _))| !*on).map(|(n, _)| n).collect();
            let rules: Vec<String> =
                s.values().filter(|(on, _)| !*on).map(|(_, rule)| format!("`aws events enable-rule --name {rule}`")).collect();
            match (off.is_empty(), subject.local) {
                (true, _) => ok("schedules", format!("{} enabled", s.len())),
                (false, true) => {
                    skip("schedules", format!("{} fire only by hand on this local stack (POST /_local/schedules/NAME)", off.len()))
                }
                (false, false) => fail(
                    "schedules",
                    format!("disabled: {}", off.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")),
                    format!("enable them: {} (due sends, reminders and reports wait until then)", rules.join(", ")),
                ),
            }
        }
    }
}

async fn dead_letter_check(subject: &Subject) -> Check {
    if subject.dead_letters.is_empty() {
        return fail("dead letters", "no dead-letter or failure queues found", "deploy the stack from template.yaml");
    }
    let sqs = aws_sdk_sqs::Client::new(&subject.sdk);
    let mut waiting = Vec::new();
    for (id, url) in &subject.dead_letters {
        let answer = sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
            .send()
            .await;
        match answer {
            Ok(a) => {
                let n: u64 = a
                    .attributes()
                    .and_then(|m| m.get(&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if n > 0 {
                    waiting.push((format!("{id}: {n}"), url.clone()));
                }
            }
            Err(e) => {
                return fail(
                    "dead letters",
                    format!("cannot read {id}: {}", aws_message(&e)),
                    "use credentials that may call sqs:GetQueueAttributes",
                )
            }
        }
    }
    if waiting.is_empty() {
        ok("dead letters", format!("{} queues empty", subject.dead_letters.len()))
    } else {
        fail(
            "dead letters",
            format!("messages that failed: {}", waiting.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(", ")),
            format!(
                "read them ({}), fix the cause in the function's logs, then redrive them",
                waiting.iter().map(|(_, url)| format!("`aws sqs receive-message --queue-url {url}`")).collect::<Vec<_>>().join(", ")
            ),
        )
    }
}

async fn health_check(api: &Api) -> Check {
    match api.get("/admin/health").await {
        Ok(v) if v["ok"] == true => ok("health", "every table, the bucket and the send queue answer"),
        Ok(v) => fail("health", format!("not every resource answers: {}", v["checks"]), "look at the AdminApiFunction's logs"),
        Err(e @ Failure::Unreachable(_)) => {
            fail("health", e.to_string(), "use credentials that may call the admin API (execute-api:Invoke)")
        }
        Err(e) => fail("health", e.to_string(), "look at the AdminApiFunction's logs"),
    }
}

pub async fn doctor(api: &Api, io: &mut Io, json: bool) -> Result<()> {
    let subject = if api.is_local() { local_subject(api).await? } else { deployed_subject(api).await? };
    let mut checks = sender_checks(&subject).await;
    checks.push(public_check(api, &subject).await);
    checks.push(schedule_check(&subject));
    checks.push(dead_letter_check(&subject).await);
    checks.push(health_check(api).await);
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if json {
        let v = json!({
            "ok": failed == 0,
            "checks": checks.iter().map(|c| json!({
                "check": c.name,
                "status": match c.status { Status::Ok => "ok", Status::Fail => "fail", Status::Skip => "skipped" },
                "detail": c.detail,
                "fix": if c.fix.is_empty() { Value::Null } else { json!(c.fix) },
            })).collect::<Vec<_>>(),
        });
        let _ = writeln!(io.out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for c in &checks {
            let mark = match c.status {
                Status::Ok => "ok  ",
                Status::Fail => "FAIL",
                Status::Skip => "skip",
            };
            let fix = if c.fix.is_empty() { String::new() } else { format!(" — fix: {}", c.fix) };
            let _ = writeln!(io.out, "{mark}  {:<13} {}{fix}", c.name, c.detail);
        }
    }
    if failed > 0 {
        return Err(Failure::Outcome(format!("{failed} check(s) failed; each line above says the fix")));
    }
    Ok(())
}
