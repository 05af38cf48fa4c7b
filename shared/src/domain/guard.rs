//! The defences of the public survey links (part 7 of the product): a
//! submission through an anonymous link is accepted only with a form token
//! that the page view issued, signed with the stack's key, bound to the link
//! and to one submission id, no older than [`FORM_MAX_AGE_MS`] and no younger
//! than the minimum fill time; the form's honeypot field must be empty; and
//! a sliding window per link and per source address refuses bursts.
//!
//! A POST without a page view has no token; a forged one fails the
//! signature; a replayed one carries the submission id of the response it
//! already stored, so it stores nothing new and charges nothing. The rules
//! here are pure; the store keeps the key and the window counters.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The form field that carries the token.
pub const TOKEN_FIELD: &str = "ft";

/// The honeypot: a field people never see (hidden from sight, from screen
/// readers and from the keyboard) that form-filling bots fill in.
pub const HONEYPOT_FIELD: &str = "website";

/// How long a page may stay open before its form must be sent again
/// (answers kept): a day.
pub const FORM_MAX_AGE_MS: u64 = 24 * 3_600_000;

/// The token's signature, truncated to 128 bits.
const MAC_BYTES: usize = 16;

/// Why a submission was refused before anything was stored. Every refusal
/// is counted on the project (see `Guard::count_refusal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// No form token: the POST did not come from a page view.
    NoToken,
    /// The signature does not match this link (forged, or another
    /// project's or link's form).
    Forged,
    /// The page was opened too long ago.
    Expired,
    /// Sent faster than a person can fill in the form.
    TooFast,
    /// The honeypot field was filled in.
    Honeypot,
    /// Too many submissions from one address in the window.
    AddressBurst,
    /// Too many submissions through one link in the window.
    LinkBurst,
    /// The project's daily cap of anonymous responses is reached.
    DailyCap,
    /// The form's body is over the size any survey's answers take.
    TooLarge,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::NoToken => "no_token",
            Refusal::Forged => "forged",
            Refusal::Expired => "expired",
            Refusal::TooFast => "too_fast",
            Refusal::Honeypot => "honeypot",
            Refusal::AddressBurst => "address_burst",
            Refusal::LinkBurst => "link_burst",
            Refusal::DailyCap => "daily_cap",
            Refusal::TooLarge => "too_large",
        }
    }

    /// Whether a person may have caused it (the page is shown again with
    /// their answers and a fresh token) rather than a script (a plain
    /// refusal page).
    pub fn may_be_a_person(self) -> bool {
        matches!(self, Refusal::Expired | Refusal::TooFast)
    }
}

/// HMAC-SHA256 of `text` under `key` (every keyed value of this module).
fn keyed(key: &[u8], text: &str) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    m.update(text.as_bytes());
    m
}

/// What a form token signs.
fn form_text(link: &str, id: &str, issued_ms: u64) -> String {
    format!("pulse-form-v1\n{link}\n{id}\n{issued_ms}")
}

fn mac(key: &[u8], link: &str, id: &str, issued_ms: u64) -> [u8; MAC_BYTES] {
    let full = keyed(key, &form_text(link, id, issued_ms)).finalize().into_bytes();
    let mut out = [0u8; MAC_BYTES];
    out.copy_from_slice(&full[..MAC_BYTES]);
    out
}

/// The token of a form for the link `link`, issued at `issued_ms` for the
/// submission id `id` (22 URL-safe characters).
pub fn issue(key: &[u8], link: &str, id: &str, issued_ms: u64) -> String {
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac(key, link, id, issued_ms));
    format!("{id}.{issued_ms}.{sig}")
}

/// Checks a form token for the link `link` at `now_ms`: the submission id
/// it carries, or why it is refused.
pub fn verify(key: &[u8], link: &str, token: Option<&str>, now_ms: u64, min_fill_ms: u64) -> Result<String, Refusal> {
    let token = token.filter(|t| !t.is_empty()).ok_or(Refusal::NoToken)?;
    let mut parts = token.splitn(3, '.');
    let (Some(id), Some(issued), Some(sig)) = (parts.next(), parts.next(), parts.next()) else { return Err(Refusal::Forged) };
    let issued_ms: u64 = issued.parse().map_err(|_| Refusal::Forged)?;
    if !super::links::plausible_token(id) {
        return Err(Refusal::Forged);
    }
    let given = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).map_err(|_| Refusal::Forged)?;
    // constant-time comparison of the truncated signature
    keyed(key, &form_text(link, id, issued_ms)).verify_truncated_left(&given).map_err(|_| Refusal::Forged)?;
    if given.len() != MAC_BYTES {
        return Err(Refusal::Forged);
    }
    if now_ms > issued_ms.saturating_add(FORM_MAX_AGE_MS) {
        return Err(Refusal::Expired);
    }
    if now_ms < issued_ms.saturating_add(min_fill_ms) {
        return Err(Refusal::TooFast);
    }
    Ok(id.to_string())
}

/// The sliding window's estimate of the requests in the last minute: the
/// previous fixed minute's count, weighted by how much of it still lies in
/// the window, plus the current minute's (this request included).
/// Admitted while it is at most `per_minute`.
pub fn window_admits(previous: u64, current: u64, ms_into_minute: u64, per_minute: u64) -> bool {
    let left = 60_000u64.saturating_sub(ms_into_minute.min(60_000));
    // in thousandths of a request, to stay in integers
    let estimate = previous * left / 60 + current * 1000;
    estimate <= per_minute * 1000
}

/// What one partition of a window counter takes in a minute at the
/// window's limit: 500 a second, half of what DynamoDB gives one partition
/// key, so that requests refused beyond the limit (counted too) fit as well.
pub const WINDOW_SHARD_PER_MINUTE: u64 = 30_000;

/// How many partition keys the window with the limit `per_minute` is
/// counted over: one up to [`WINDOW_SHARD_PER_MINUTE`] (every request on one
/// counter, the estimate exact), more for a link raised for a crowd (a TV
/// advert's QR code: 5,000 a second on one link would take five times what
/// one partition can), at most [`super::shard::MAX_SHARDS`].
pub fn window_shards(per_minute: u64) -> u32 {
    u32::try_from(per_minute.div_ceil(WINDOW_SHARD_PER_MINUTE).clamp(1, u64::from(super::shard::MAX_SHARDS))).unwrap_or(1)
}

/// [`window_admits`] for a window counted over `shards` keys, this request
/// on one of them picked at random: that shard's counts times `shards`
/// estimate the window's. Each shard admits at most its share of the limit,
/// so the window never admits more than the limit; at the limit each shard
/// holds at least 15,000 a minute, and it admits within about 1 % of it.
pub fn shard_admits(previous: u64, current: u64, shards: u32, ms_into_minute: u64, per_minute: u64) -> bool {
    let s = u64::from(shards.max(1));
    window_admits(previous.saturating_mul(s), current.saturating_mul(s), ms_into_minute, per_minute)
}

/// The keys of the window counters: per link, and per source address
/// (kept only as a keyed hash, never in clear).
pub fn window_keys(key: &[u8], link: &str, source: &str) -> [String; 2] {
    let hashed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(&keyed(key, &format!("pulse-source-v1\n{source}")).finalize().into_bytes()[..16]);
    [format!("link:{link}"), format!("addr:{hashed}")]
}

/// The name of the share links' key among the stack's secrets.
pub const LINK_KEY: &str = "links";

/// How a link's token is kept in the table: its keyed hash, so that a
/// table backup holds no working link.
pub fn token_hash(key: &[u8], token: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(keyed(key, &format!("pulse-link-v1\n{token}")).finalize().into_bytes())
}

/// The token of a contact's invitation in a distribution: derived from
/// the two with the links' secret, so that every attempt at the invitation
/// makes the same link, which is then its claim
/// ([`crate::domain::invitation::LinkHold`]), and erasure finds it without
/// an index. Like a random token it is kept nowhere (only its
/// [`token_hash`]) and cannot be guessed without the secret.
pub fn invitation_token(key: &[u8], distribution_id: &str, email_key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(keyed(key, &format!("pulse-invitation-v1\n{distribution_id}\n{email_key}")).finalize().into_bytes())
}

/// The id of a contact's invitation link in a distribution (the
/// [`token_hash`] of its [`invitation_token`]).
pub fn invitation_link_id(key: &[u8], distribution_id: &str, email_key: &str) -> String {
    token_hash(key, &invitation_token(key, distribution_id, email_key))
}

/// The secret behind [`subject_hash`].
pub const SUBJECT_KEY: &str = "subjects";

/// A person's keyed hash (of their normalised address): what an erasure
/// keeps where exactly-once or "never mail again" needs to recognise them,
/// so that no stored record names them.
pub fn subject_hash(key: &[u8], email_key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(keyed(key, &format!("pulse-subject-v1\n{email_key}")).finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    const LINK: &str = "anonymous-link-token-aaaaaaaaaaaaaaaaaaaaaa";
    const ID: &str = "AAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn an_invitation_token_is_the_same_for_its_distribution_and_contact_and_no_other() {
        let t = invitation_token(KEY, "d1", "anna@example.com");
        assert_eq!(t, invitation_token(KEY, "d1", "anna@example.com"), "every attempt makes the same link");
        assert_eq!(t.len(), 43, "as long as a random token (32 bytes)");
        assert_ne!(t, invitation_token(KEY, "d2", "anna@example.com"));
        assert_ne!(t, invitation_token(KEY, "d1", "ben@example.com"));
        assert_ne!(t, invitation_token(b"another key", "d1", "anna@example.com"), "not without the secret");
        assert!(!t.contains("anna") && !t.contains("d1"));
    }

    #[test]
    fn a_token_from_the_page_view_carries_its_submission_id() {
        let t = issue(KEY, LINK, ID, 1_000_000);
        assert_eq!(verify(KEY, LINK, Some(&t), 1_005_000, 3_000), Ok(ID.to_string()));
    }

    #[test]
    fn no_token_a_forged_one_or_another_links_is_refused() {
        assert_eq!(verify(KEY, LINK, None, 0, 0), Err(Refusal::NoToken));
        assert_eq!(verify(KEY, LINK, Some(""), 0, 0), Err(Refusal::NoToken));
        let t = issue(KEY, LINK, ID, 1_000_000);
        assert_eq!(verify(KEY, "another-link-bbbbbbbbbbbbbbbbbbbbbbbb", Some(&t), 1_005_000, 0), Err(Refusal::Forged));
        assert_eq!(verify(b"another key", LINK, Some(&t), 1_005_000, 0), Err(Refusal::Forged));
        // a changed issue time (to dodge the fill time) or id breaks the signature
        let moved = t.replace(".1000000.", ".900000.");
        assert_eq!(verify(KEY, LINK, Some(&moved), 1_005_000, 0), Err(Refusal::Forged));
        let other_id = t.replacen('A', "B", 1);
        assert_eq!(verify(KEY, LINK, Some(&other_id), 1_005_000, 0), Err(Refusal::Forged));
        for junk in ["x", "a.b.c", "AAAAAAAAAAAAAAAAAAAAAA.12.", "AAAAAAAAAAAAAAAAAAAAAA.12.AAAA"] {
            assert_eq!(verify(KEY, LINK, Some(junk), 1_005_000, 0), Err(Refusal::Forged), "{junk}");
        }
        // a signature cut short is not accepted because its prefix matches
        let short = &t[..t.len() - 4];
        assert_eq!(verify(KEY, LINK, Some(short), 1_005_000, 0), Err(Refusal::Forged));
    }

    #[test]
    fn a_form_sent_too_soon_or_too_late_is_refused() {
        let t = issue(KEY, LINK, ID, 1_000_000);
        assert_eq!(verify(KEY, LINK, Some(&t), 1_002_999, 3_000), Err(Refusal::TooFast));
        assert_eq!(verify(KEY, LINK, Some(&t), 1_003_000, 3_000), Ok(ID.into()));
        assert_eq!(verify(KEY, LINK, Some(&t), 1_000_000 + FORM_MAX_AGE_MS + 1, 3_000), Err(Refusal::Expired));
        assert!(Refusal::TooFast.may_be_a_person() && !Refusal::Honeypot.may_be_a_person());
    }

    #[test]
    fn the_window_weighs_the_previous_minute_by_what_is_left_of_it() {
        // 10 a minute: 10 in the previous minute, at its very end
        assert!(!window_admits(10, 1, 0, 10));
        // half-way through: 5 of them still count
        assert!(window_admits(10, 5, 30_000, 10));
        assert!(!window_admits(10, 6, 30_000, 10));
        // a quiet previous minute: the current one alone decides
        assert!(window_admits(0, 10, 59_000, 10));
        assert!(!window_admits(0, 11, 59_000, 10));
    }

    #[test]
    fn a_window_is_spread_only_when_its_limit_is_beyond_one_partition_and_its_estimate_holds_at_the_limit() {
        assert_eq!((window_shards(20), window_shards(1), window_shards(30_000)), (1, 1, 1), "the usual limits: one exact counter");
        assert_eq!((window_shards(30_001), window_shards(300_000), window_shards(u64::MAX)), (2, 10, 32));
        // one shard: the plain window
        assert_eq!(shard_admits(10, 5, 1, 30_000, 10), window_admits(10, 5, 30_000, 10));
        // 300,000 a minute over 10 shards, the requests picked at random
        // (a fixed generator); each shard admits its share, so the window
        // never admits more than its limit
        let (limit, shards) = (300_000u64, window_shards(300_000));
        let admitted = |offered: u64| {
            let mut rng = fastrand::Rng::with_seed(7);
            let mut counts = vec![0u64; shards as usize];
            (0..offered)
                .filter(|_| {
                    let s = rng.usize(..shards as usize);
                    counts[s] += 1;
                    shard_admits(0, counts[s], shards, 59_999, limit)
                })
                .count() as u64
        };
        assert_eq!(admitted(2 * limit), limit, "twice the limit offered: exactly the limit admitted");
        let at_limit = admitted(limit);
        assert!(at_limit <= limit && at_limit >= limit * 99 / 100, "the limit offered: {at_limit} admitted");
        assert_eq!(admitted(limit / 2), limit / 2, "half the limit: every one admitted");
    }

    #[test]
    fn a_links_token_is_kept_as_a_keyed_hash() {
        let h = token_hash(KEY, "tok");
        assert_eq!((h.len(), h == token_hash(KEY, "tok")), (43, true));
        assert_ne!(h, token_hash(b"other key", "tok"));
        assert!(!h.contains("tok"));
    }

    #[test]
    fn a_source_address_is_never_kept_in_clear() {
        let [link, addr] = window_keys(KEY, LINK, "203.0.113.7");
        assert_eq!(link, format!("link:{LINK}"));
        assert!(!addr.contains("203.0.113.7") && addr.starts_with("addr:"));
        assert_ne!(addr, window_keys(b"other key", LINK, "203.0.113.7")[1]);
        assert_eq!(addr, window_keys(KEY, LINK, "203.0.113.7")[1]);
    }
}
