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
/// without copying it: the fast path of the contact import.
pub fn valid_email(address: &str) -> bool {
    match address.rsplit_once('@') {
        Some((_, domain)) => domain.contains('.') && !domain.starts_with('[') && email_address::EmailAddress::is_valid(address),
        None => false,
    }
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
}
