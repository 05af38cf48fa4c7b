//! Sending email through SES v2 `SendEmail` (simple content: HTML + text
//! parts, custom headers such as `List-Unsubscribe`).

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message, MessageHeader, MessageTag};

use aws_sdk_sesv2::config::http::HttpResponse;
use aws_sdk_sesv2::error::SdkError;
use aws_sdk_sesv2::operation::send_email::SendEmailError;

use crate::domain::mail::{classify_send_failure, OutgoingEmail};
#[allow(unused_imports)]
use crate::ports::*;
use crate::{Error, Result};

/// Waits for a send from the stack's one per-second budget of `rate`
/// emails (`RATE#ses`, taken by every sender of every kind: invitations,
/// reminders, notifications, follow-ups, reports, account sections, test
/// emails), so that together they never exceed it in any second.
pub async fn send_slot<S: crate::ports::Distributions>(store: &S, rate: u32) -> Result<()> {
    loop {
        let now = crate::clock::now_ms();
        if store.take_send_token(crate::domain::distribution::rate_window(now), rate).await? {
            return Ok(());
        }
        // until the next second, a little jitter so that waiting senders do not all retry at once
        tokio::time::sleep(std::time::Duration::from_millis(1000 - now % 1000 + fastrand::u64(0..20))).await;
    }
}

impl crate::ports::Mail for super::Aws {
    /// Sends one email from the stack's sender, within the shared send
    /// budget ([`send_slot`]); returns SES's message id.
    async fn send_email(&self, email: &OutgoingEmail) -> Result<String> {
        send_slot(self, self.config.ses_send_rate).await?;
        self.send_as(email, None, &[]).await
    }

    /// Sends one email through a configuration set whose bounce and
    /// complaint events come back tagged with `tags` (name, value: letters,
    /// digits, `_` and `-`), so they can be traced to a project. The caller
    /// has taken its send from the budget ([`send_slot`]) before it marked
    /// the invitation `sending`.
    async fn send_tracked(&self, email: &OutgoingEmail, tags: &[(&str, &str)]) -> Result<String> {
        self.send_as(email, Some(&self.config.ses_configuration_set), tags).await
    }
}

/// SES's refusal, classified (`domain::mail::classify_send_failure`).
fn refused(e: SdkError<SendEmailError, HttpResponse>) -> Error {
    let status = e.raw_response().map(|r| r.status().as_u16());
    let (code, message) = match e.as_service_error() {
        Some(service) => (service.meta().code().map(str::to_string), service.meta().message().unwrap_or_default().to_string()),
        None => (None, aws_sdk_sesv2::error::DisplayErrorContext(&e).to_string()),
    };
    let failure = classify_send_failure(code.as_deref(), &message, status);
    Error::MailRefused { failure, code: code.unwrap_or_else(|| status.map_or("no answer".into(), |s| format!("HTTP {s}"))), message }
}

impl super::Aws {
    async fn send_as(&self, email: &OutgoingEmail, configuration_set: Option<&str>, tags: &[(&str, &str)]) -> Result<String> {
        let from = &self.config.sender_email;
        let text = |data: &str| Content::builder().data(data).charset("UTF-8").build().map_err(Error::aws("SendEmail (content)"));
        let mut body = Body::builder().text(text(&email.text)?);
        if let Some(html) = &email.html {
            body = body.html(text(html)?);
        }
        let mut message = Message::builder().subject(text(&email.subject)?).body(body.build());
        for (name, value) in &email.headers {
            message = message.headers(MessageHeader::builder().name(name).value(value).build().map_err(Error::aws("SendEmail (header)"))?);
        }
        let out = self
            .ses
            .send_email()
            .from_email_address(from)
            .destination(Destination::builder().set_to_addresses(Some(email.to.clone())).build())
            .content(EmailContent::builder().simple(message.build()).build())
            .set_configuration_set_name(configuration_set.map(str::to_string))
            .set_email_tags(if tags.is_empty() {
                None
            } else {
                Some(
                    tags.iter()
                        .map(|(n, v)| MessageTag::builder().name(*n).value(*v).build())
                        .collect::<std::result::Result<Vec<_>, _>>()
                        .map_err(Error::aws("SendEmail (tag)"))?,
                )
            })
            .send()
            .await
            .map_err(refused)?;
        Ok(out.message_id.unwrap_or_default())
    }
}
