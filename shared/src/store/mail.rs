//! Sending email through SES v2 `SendEmail` (simple content: HTML + text
//! parts, custom headers such as `List-Unsubscribe`).

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message, MessageHeader, MessageTag};

use crate::domain::mail::OutgoingEmail;
#[allow(unused_imports)]
use crate::ports::*;
use crate::{Error, Result};

impl crate::ports::Mail for super::Aws {
    /// Sends one email from the stack's sender; returns SES's message id.
    async fn send_email(&self, email: &OutgoingEmail) -> Result<String> {
        self.send_as(email, None, &[]).await
    }

    /// Sends one email through a configuration set whose bounce and
    /// complaint events come back tagged with `tags` (name, value: letters,
    /// digits, `_` and `-`), so they can be traced to a project.
    async fn send_tracked(&self, email: &OutgoingEmail, tags: &[(&str, &str)]) -> Result<String> {
        self.send_as(email, Some(&self.config.ses_configuration_set), tags).await
    }
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
            .map_err(Error::aws("SendEmail"))?;
        Ok(out.message_id.unwrap_or_default())
    }
}
