//! Email addresses and outgoing messages.

use serde::{Deserialize, Serialize};

/// An email ready to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// Extra headers (e.g. `List-Unsubscribe`).
    pub headers: Vec<(String, String)>,
}

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{address:?} is not a valid email address: {reason}")]
pub struct InvalidEmail {
    pub address: String,
    pub reason: String,
}

/// Checks an address (RFC 5322 syntax, with a domain that has a dot, as
/// deliverable addresses do) and returns it trimmed.
pub fn parse_email(raw: &str) -> Result<String, InvalidEmail> {
    let address = raw.trim();
    let invalid = |reason: &str| InvalidEmail { address: address.to_string(), reason: reason.to_string() };
    if address.is_empty() {
        return Err(invalid("it is empty"));
    }
    let parsed: email_address::EmailAddress = address.parse().map_err(|e: email_address::Error| invalid(&e.to_string()))?;
    let domain = parsed.domain();
    if !domain.contains('.') || domain.starts_with('[') {
        return Err(invalid("the domain must be a host name such as example.com"));
    }
    Ok(address.to_string())
}

/// Whether [`parse_email`] would accept an address (already trimmed),
/// without copying it: the fast path of the contact import. The common
/// shape (a dot-atom before the `@`, a host name after it) is recognised
/// here byte by byte; anything else goes to the full RFC 5322 parser.
pub fn valid_email(address: &str) -> bool {
    if plain_address(address) {
        return true;
    }
    match address.rsplit_once('@') {
        Some((_, domain)) => domain.contains('.') && !domain.starts_with('[') && email_address::EmailAddress::is_valid(address),
        None => false,
    }
}

/// An address of the plain shape every parser accepts: ASCII, at most 254
/// bytes, a dot-atom local part of 1-64 bytes, and a host name of at least
/// two labels (letters, digits, inner hyphens; 1-63 bytes each).
fn plain_address(address: &str) -> bool {
    let b = address.as_bytes();
    if b.len() > 254 {
        return false;
    }
    let Some(at) = b.iter().position(|c| *c == b'@') else { return false };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    let atext = |c: u8| c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c);
    let local_ok =
        (1..=64).contains(&local.len()) && local.split(|c| *c == b'.').all(|part| !part.is_empty() && part.iter().all(|c| atext(*c)));
    let mut labels = 0;
    let domain_ok = domain.split(|c| *c == b'.').all(|label| {
        labels += 1;
        (1..=63).contains(&label.len())
            && label.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            && label[0] != b'-'
            && label[label.len() - 1] != b'-'
    });
    local_ok && domain_ok && labels >= 2
}

/// The form an address is compared and keyed by: trimmed, lower-case.
pub fn normalise_email(address: &str) -> String {
    address.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_trims_them() {
        assert_eq!(parse_email("  anna.virtanen@example.fi ").unwrap(), "anna.virtanen@example.fi");
        assert_eq!(parse_email("x+tag@sub.example.com").unwrap(), "x+tag@sub.example.com");
    }

    #[test]
    fn refuses_what_cannot_be_delivered() {
        for bad in ["", "plain", "a@", "@example.com", "a@localhost", "a b@example.com", "a@@example.com"] {
            assert!(parse_email(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(normalise_email(" Anna@Example.COM "), "anna@example.com");
    }

    #[test]
    fn the_fast_path_agrees_with_the_full_parser() {
        let cases = [
            "anna@example.fi",
            "person.12@example-shop.fi",
            "a+tag@sub.example.co.uk",
            "o'brien@example.ie",
            "x@y.z",
            "no-at-sign",
            "two@@example.com",
            "dot.@example.com",
            ".dot@example.com",
            "a..b@example.com",
            "a@-example.com",
            "a@example-.com",
            "a@localhost",
            "a@[127.0.0.1]",
            "\"quoted\"@example.com",
            "jürgen@example.de",
            "a@b..com",
            "@example.com",
            "a@",
        ];
        for c in cases {
            let full = parse_email(c).is_ok();
            assert_eq!(valid_email(c), full, "{c}");
            if plain_address(c) {
                assert!(full, "the fast path accepted {c}, the parser does not");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn whatever_the_fast_path_accepts_the_parser_accepts(address in "[a-z0-9.+'_-]{0,8}@?[a-zA-Z0-9.-]{0,12}") {
            if plain_address(&address) {
                proptest::prop_assert!(parse_email(&address).is_ok(), "{}", address);
            }
            proptest::prop_assert_eq!(valid_email(&address), parse_email(&address).is_ok(), "{}", address);
        }
    }
}

/// An address as a page may show it to whoever holds a link: the first
/// letter of the local part, then `…`, and the domain (`a…@example.com`),
/// enough for its owner to recognise it and little for anyone else.
pub fn mask_email(address: &str) -> String {
    match address.trim().rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".to_string(),
    }
}

/// `text` as a log line may carry it: every address in it (also
/// percent-encoded, `anna%40example.fi` in a path) masked as
/// [`mask_email`] masks it. The one way a path, a ledger key
/// (`report#…#anna@example.fi`) or an error message that may hold an
/// address is logged.
pub fn mask_addresses(text: &str) -> String {
    let is_local = |c: char| c.is_alphanumeric() || "._%+-!$*^~{}".contains(c);
    let is_domain = |c: char| c.is_alphanumeric() || c == '.' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut done = 0; // bytes of `text` already in `out`
    let mut at = 0;
    while let Some(found) = text[at..].find(['@', '%']) {
        let sign = at + found;
        let sign_len = if text[sign..].starts_with('@') {
            1
        } else if text[sign..].get(..3).is_some_and(|s| s.eq_ignore_ascii_case("%40")) {
            3
        } else {
            at = sign + 1;
            continue;
        };
        let local_start = text[done..sign].char_indices().rev().take_while(|&(_, c)| is_local(c)).last().map_or(sign, |(i, _)| done + i);
        let domain_end = sign + sign_len + text[sign + sign_len..].find(|c: char| !is_domain(c)).unwrap_or(text.len() - sign - sign_len);
        let domain = text[sign + sign_len..domain_end].trim_end_matches(['.', '-']);
        // generous: an address mistyped without its dot is still someone's
        if local_start == sign || domain.is_empty() || domain.starts_with('.') {
            at = sign + sign_len;
            continue;
        }
        let first = text[local_start..].chars().next().unwrap_or_default();
        out.push_str(&text[done..local_start]);
        out.push(first);
        out.push_str("…@");
        out.push_str(domain);
        done = sign + sign_len + domain.len();
        at = done;
    }
    out.push_str(&text[done..]);
    out
}

/// What SES's refusal of an email means for the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendFailure {
    /// Throttling or a service fault: the same email later may go through.
    Transient,
    /// This email is refused (its recipient's address, its content): it
    /// fails, with SES's reason.
    Recipient,
    /// The sender cannot send at all (an unverified identity, the sandbox,
    /// sending paused, the account suspended, the day's quota used up):
    /// every recipient would fail alike, so the sending pauses.
    Sender,
}

/// Classifies SES's answer to `SendEmail`: its error `code` (e.g.
/// `MessageRejected`), `message` and HTTP `status` (none: the request never
/// got an answer, e.g. a timeout).
pub fn classify_send_failure(code: Option<&str>, message: &str, status: Option<u16>) -> SendFailure {
    let message = message.to_ascii_lowercase();
    if message.contains("daily message quota") || message.contains("not verified") || message.contains("sandbox") {
        return SendFailure::Sender;
    }
    match code {
        Some("SendingPausedException" | "AccountSuspendedException" | "MailFromDomainNotVerifiedException" | "NotFoundException") => {
            SendFailure::Sender
        }
        Some("TooManyRequestsException" | "ThrottlingException" | "Throttling" | "LimitExceededException") => SendFailure::Transient,
        Some("MessageRejected" | "BadRequestException" | "InvalidParameterValue") => SendFailure::Recipient,
        _ => match status {
            Some(s) if (400..500).contains(&s) && s != 408 && s != 429 => SendFailure::Recipient,
            _ => SendFailure::Transient,
        },
    }
}

#[cfg(test)]
mod send_failure_tests {
    use super::*;

    #[test]
    fn a_masked_address_keeps_its_first_letter_and_domain_only() {
        assert_eq!(mask_email("anna.virtanen@example.fi"), "a…@example.fi");
        assert_eq!(mask_email(" Ö@example.com "), "Ö…@example.com");
        assert_eq!(mask_email("not an address"), "…");
    }

    #[test]
    fn every_address_in_a_log_text_is_masked_and_nothing_else() {
        assert_eq!(mask_addresses("report#r1#anna.virtanen@example.fi"), "report#r1#a…@example.fi");
        assert_eq!(
            mask_addresses("/admin/projects/p1/contacts/anna%40example.fi/erase"),
            "/admin/projects/p1/contacts/a…@example.fi/erase"
        );
        assert_eq!(mask_addresses("/contacts/Anna%2Bx%40Example.FI"), "/contacts/A…@Example.FI");
        assert_eq!(
            mask_addresses("contact \"b@example.com\" not found; to=c.d@x.example, Ö@example.com."),
            "contact \"b…@example.com\" not found; to=c…@x.example, Ö…@example.com."
        );
        assert_eq!(mask_addresses("a…@example.fi stays"), "a…@example.fi stays");
        assert_eq!(mask_addresses(&mask_addresses("x@y.example")), "x…@y.example");
        assert_eq!(mask_addresses("\"anna@examplefi\" is not a valid email address"), "\"a…@examplefi\" is not a valid email address");
        for plain in ["no address", "@handle", "50% off, 100%", "x@.example", "x@", "%", "…@", "threshold:50"] {
            assert_eq!(mask_addresses(plain), plain);
        }
    }

    #[test]
    fn throttling_and_service_faults_are_passing() {
        assert_eq!(
            classify_send_failure(Some("TooManyRequestsException"), "Maximum sending rate exceeded.", Some(429)),
            SendFailure::Transient
        );
        assert_eq!(classify_send_failure(Some("InternalFailure"), "", Some(500)), SendFailure::Transient);
        assert_eq!(classify_send_failure(None, "", Some(503)), SendFailure::Transient);
        assert_eq!(classify_send_failure(None, "dispatch failure: timed out", None), SendFailure::Transient);
    }

    #[test]
    fn a_refused_message_fails_its_recipient_only() {
        assert_eq!(classify_send_failure(Some("MessageRejected"), "Illegal address", Some(400)), SendFailure::Recipient);
        assert_eq!(classify_send_failure(Some("BadRequestException"), "Invalid email address <a@@b>", Some(400)), SendFailure::Recipient);
    }

    #[test]
    fn a_sender_that_cannot_send_pauses_rather_than_failing_everyone() {
        let unverified = "Email address is not verified. The following identities failed the check in region EU-WEST-1: pulse@example.com";
        assert_eq!(classify_send_failure(Some("MessageRejected"), unverified, Some(400)), SendFailure::Sender);
        assert_eq!(
            classify_send_failure(Some("SendingPausedException"), "Sending is paused for this account", Some(400)),
            SendFailure::Sender
        );
        assert_eq!(classify_send_failure(Some("AccountSuspendedException"), "", Some(400)), SendFailure::Sender);
        assert_eq!(classify_send_failure(Some("LimitExceededException"), "Daily message quota exceeded.", Some(400)), SendFailure::Sender);
    }
}
