//! Survey links: unguessable tokens, what a link stands for, and the
//! identity of the response it may produce.

use std::collections::BTreeMap;

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::i18n::Lang;

/// Bytes of randomness in a token (256 bits; the product asks for ≥ 128).
pub const TOKEN_BYTES: usize = 32;

/// A fresh random token, URL-safe (43 characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    // The OS generator failing is not recoverable; a token of zeros must never be minted.
    getrandom::fill(&mut bytes).expect("the operating system's random generator is unavailable");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A short random id (128 bits, 22 characters) for projects and responses.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random generator is unavailable");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `token` has the shape of a token this crate mints (so a lookup
/// is worth making); says nothing about whether it exists.
pub fn plausible_token(token: &str) -> bool {
    (22..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Who a personal link belongs to: the contact's details at the time the
/// link was made, attached to the response as embedded data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactSnapshot {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// The project's operational fields, by exact name.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Lang>,
}

/// What a link leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkKind {
    /// The project's public link (web page, widget, QR code).
    Anonymous,
    /// One contact's link: one completed response, with a response id fixed
    /// at minting so that the response can be stored exactly once.
    Personal {
        contact: ContactSnapshot,
        response_id: String,
        /// The distribution whose invitation carried the link (its email
        /// was counted against the budget when sent); none for a link
        /// minted through the API and handed out by the team itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        distribution_id: Option<String>,
    },
}

impl LinkKind {
    /// Whether a response through this link counts against the account's
    /// budget when it is submitted (the team handed the link out itself);
    /// a link emailed by a distribution was counted when it was sent.
    pub fn counts_on_submission(&self) -> bool {
        matches!(self, LinkKind::Anonymous | LinkKind::Personal { distribution_id: None, .. })
    }
}

/// A survey link, as kept: under the keyed hash of its token
/// (`guard::token_hash`), never the token itself, so that a copy of the
/// tables opens no survey. The token exists only in the URL handed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The keyed hash of the link's token (a link kept before tokens were
    /// hashed has its token here, under its old name, until it is re-keyed).
    #[serde(alias = "token")]
    pub id: String,
    pub project_id: String,
    #[serde(flatten)]
    pub kind: LinkKind,
    pub created_at: String,
}

impl Link {
    /// Whether the link has expired at `now_ms`: a personal link works for
    /// `personal_link_days` days from when it was made (its `created_at`),
    /// then no more; the anonymous link never expires (it is closed with
    /// its survey, or rotated). A `created_at` that cannot be read counts
    /// as expired: a link of unknown age is not trusted to be young.
    pub fn expired(&self, personal_link_days: u32, now_ms: u64) -> bool {
        match self.kind {
            LinkKind::Anonymous => false,
            LinkKind::Personal { .. } => match crate::clock::parse_ms(&self.created_at) {
                Some(made) => now_ms >= made.saturating_add(u64::from(personal_link_days) * 86_400_000),
                None => true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(plausible_token(&a));
        assert_eq!(new_id().len(), 22);
    }

    #[test]
    fn implausible_tokens_are_recognised_without_a_lookup() {
        for t in ["", "short", "has space in it and is long enough", "ünïcödé-ünïcödé-ünïcödé", &"a".repeat(65)] {
            assert!(!plausible_token(t), "{t:?}");
        }
    }

    fn personal(created_at: &str) -> Link {
        let contact = ContactSnapshot {
            email: "anna@example.com".into(),
            first_name: "Anna".into(),
            last_name: "Schmidt".into(),
            fields: BTreeMap::new(),
            language: None,
        };
        Link {
            id: new_token(),
            project_id: "p".into(),
            kind: LinkKind::Personal { contact, response_id: new_id(), distribution_id: None },
            created_at: created_at.into(),
        }
    }

    #[test]
    fn a_personal_link_expires_its_days_after_it_was_made() {
        let made = crate::clock::parse_ms("2026-01-01T12:00:00.000Z").unwrap();
        let link = personal("2026-01-01T12:00:00.000Z");
        let day = 86_400_000;
        assert!(!link.expired(60, made));
        assert!(!link.expired(60, made + 60 * day - 1));
        assert!(link.expired(60, made + 60 * day));
        assert!(link.expired(60, made + 61 * day));
        assert!(!link.expired(90, made + 61 * day));
        assert!(link.expired(1, made + day));
        // a link of unknown age is not trusted
        assert!(personal("yesterday").expired(60, made));
    }

    #[test]
    fn the_anonymous_link_never_expires() {
        let link = Link { id: new_token(), project_id: "p".into(), kind: LinkKind::Anonymous, created_at: "2020-01-01T00:00:00Z".into() };
        assert!(!link.expired(1, u64::MAX));
    }
}
