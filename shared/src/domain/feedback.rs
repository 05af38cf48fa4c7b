//! SES feedback: the bounce and complaint events SES publishes (through the
//! configuration set's SNS destination) about the invitations Pulse sent.
//!
//! A permanent bounce or a complaint suppresses the address for the project
//! the email was sent for (its `project_id` tag); a transient bounce
//! (mailbox full, auto-reply) suppresses nothing. Both the event-publishing
//! form (`eventType`) and the classic notification form
//! (`notificationType`) are read.

use serde::Deserialize;

/// What a feedback event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// `bounced` or `complained` (the suppression's reason), or `None` for
    /// feedback that suppresses nothing (a transient bounce, a delivery).
    pub reason: Option<&'static str>,
    pub addresses: Vec<String>,
    pub project_id: Option<String>,
    pub distribution_id: Option<String>,
    /// SES's id of the email: the classic form carries no tags, so the
    /// project is found from what the sender noted of it.
    pub message_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    event_type: Option<String>,
    notification_type: Option<String>,
    bounce: Option<Bounce>,
    complaint: Option<Complaint>,
    mail: Option<Mail>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bounce {
    bounce_type: Option<String>,
    #[serde(default)]
    bounced_recipients: Vec<Recipient>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Complaint {
    #[serde(default)]
    complained_recipients: Vec<Recipient>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    email_address: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Mail {
    #[serde(default)]
    tags: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    message_id: Option<String>,
}

/// Reads one SNS message body from SES.
pub fn read(message: &str) -> Result<Feedback, String> {
    let e: Event = serde_json::from_str(message).map_err(|e| format!("not an SES event: {e}"))?;
    let kind = e.event_type.or(e.notification_type).ok_or("the SES event has neither eventType nor notificationType")?;
    let tag = |name: &str| e.mail.as_ref().and_then(|m| m.tags.get(name)).and_then(|v| v.first()).cloned();
    let (reason, addresses) = match kind.as_str() {
        "Bounce" => {
            let b = e.bounce.ok_or("a Bounce event without its bounce")?;
            let permanent = b.bounce_type.as_deref() == Some("Permanent");
            (permanent.then_some("bounced"), b.bounced_recipients.into_iter().map(|r| r.email_address).collect())
        }
        "Complaint" => {
            let c = e.complaint.ok_or("a Complaint event without its complaint")?;
            (Some("complained"), c.complained_recipients.into_iter().map(|r| r.email_address).collect())
        }
        _ => (None, Vec::new()),
    };
    let message_id = e.mail.as_ref().and_then(|m| m.message_id.clone());
    Ok(Feedback { reason, addresses, project_id: tag("project_id"), distribution_id: tag("distribution_id"), message_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permanent_bounce_suppresses_its_recipients_in_the_tagged_project() {
        let m = r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",
            "bouncedRecipients":[{"emailAddress":"gone@example.com","status":"5.1.1"}]},
            "mail":{"destination":["gone@example.com"],"tags":{"project_id":["p1"],"distribution_id":["d1"]}}}"#;
        let f = read(m).unwrap();
        assert_eq!(f.reason, Some("bounced"));
        assert_eq!(f.addresses, vec!["gone@example.com"]);
        assert_eq!((f.project_id.as_deref(), f.distribution_id.as_deref()), (Some("p1"), Some("d1")));
    }

    #[test]
    fn complaints_suppress_and_transient_bounces_do_not() {
        let c =
            read(r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"x@example.com"}]},"mail":{}}"#)
                .unwrap();
        assert_eq!((c.reason, c.addresses.len(), c.project_id), (Some("complained"), 1, None));
        let t =
            read(r#"{"eventType":"Bounce","bounce":{"bounceType":"Transient","bouncedRecipients":[{"emailAddress":"full@example.com"}]}}"#)
                .unwrap();
        assert_eq!(t.reason, None);
        assert_eq!(read(r#"{"eventType":"Delivery","mail":{}}"#).unwrap().reason, None);
        assert!(read("not json").is_err());
        // the classic form: no tags, the message's id to look the project up by
        let classic = read(
            r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"gone@example.com"}]},
                "mail":{"messageId":"0100018c-abc","destination":["gone@example.com"]}}"#,
        )
        .unwrap();
        assert_eq!((classic.reason, classic.project_id, classic.message_id.as_deref()), (Some("bounced"), None, Some("0100018c-abc")));
        assert!(read(r#"{"eventType":"Bounce"}"#).is_err());
    }
}
