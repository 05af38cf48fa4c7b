//! SSH public keys for a project's SFTP drop folder: what an operator pastes
//! is checked here before it reaches AWS Transfer Family, so a mistake is
//! named in plain words (and in the operator's language by the caller).

use base64::Engine;
use sha2::{Digest, Sha256};

/// The key types AWS Transfer Family accepts.
pub const KEY_TYPES: [&str; 5] = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"];

/// A public key as OpenSSH writes it: `type base64 [comment]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub key_type: String,
    /// The key in one line, without its comment (what is sent to AWS).
    pub line: String,
    pub comment: Option<String>,
    /// `SHA256:…` as `ssh-keygen -l` prints it.
    pub fingerprint: String,
}

/// Why a pasted key is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is empty")]
    Empty,
    #[error("this is a private key: paste the public key (the .pub file)")]
    Private,
    #[error("unknown key type {0:?}; use one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521")]
    UnknownType(String),
    #[error("the key's body is not base64 (was it cut or wrapped?)")]
    NotBase64,
    #[error("the key's body is a {inside} key, but the line says {outside}")]
    Mismatch { outside: String, inside: String },
    #[error("an RSA key must have at least 2048 bits; this one has {0}")]
    WeakRsa(usize),
}

/// The length-prefixed strings of an SSH wire-format key blob.
fn wire_strings(mut blob: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while blob.len() >= 4 {
        let n = u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]) as usize;
        if blob.len() < 4 + n {
            break;
        }
        out.push(&blob[4..4 + n]);
        blob = &blob[4 + n..];
    }
    out
}

/// Checks a pasted public key: one line, a known type, a body that decodes
/// to a key of the same type (and RSA of 2048 bits at least).
pub fn parse(text: &str) -> Result<PublicKey, KeyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(KeyError::Empty);
    }
    if text.contains("PRIVATE KEY") {
        return Err(KeyError::Private);
    }
    let mut words = text.split_whitespace();
    let key_type = words.next().unwrap_or_default().to_string();
    if !KEY_TYPES.contains(&key_type.as_str()) {
        return Err(KeyError::UnknownType(key_type));
    }
    let body = words.next().unwrap_or_default();
    let comment = words.collect::<Vec<_>>().join(" ");
    let blob = base64::engine::general_purpose::STANDARD.decode(body).map_err(|_| KeyError::NotBase64)?;
    let parts = wire_strings(&blob);
    let inside = parts.first().map(|t| String::from_utf8_lossy(t).to_string()).unwrap_or_default();
    if inside != key_type {
        return Err(KeyError::Mismatch { outside: key_type, inside });
    }
    if key_type == "ssh-rsa" {
        // e, then n: the modulus's bits, without its sign byte
        let modulus = parts.get(2).copied().unwrap_or_default();
        let modulus = modulus.strip_prefix(&[0u8][..]).unwrap_or(modulus);
        let bits = modulus.len() * 8 - modulus.first().map_or(8, |b| b.leading_zeros() as usize);
        if bits < 2048 {
            return Err(KeyError::WeakRsa(bits));
        }
    }
    let digest = Sha256::digest(&blob);
    let fingerprint = format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest));
    Ok(PublicKey { line: format!("{key_type} {body}"), key_type, comment: (!comment.is_empty()).then_some(comment), fingerprint })
}

/// The Transfer Family user name of a project's drop folder.
pub fn user_name(project_id: &str) -> String {
    format!("pulse-{project_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    // ssh-keygen -t ed25519 -C anna@laptop; its fingerprint from ssh-keygen -l
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBGbuqGIXObD/cDl5G0YuiXGMIKhJrcs1uIB7d4kQID1 anna@laptop";

    #[test]
    fn reads_an_openssh_public_key_with_its_comment_and_fingerprint() {
        let k = parse(&format!("  {ED25519}\n")).unwrap();
        assert_eq!(k.key_type, "ssh-ed25519");
        assert_eq!(k.comment.as_deref(), Some("anna@laptop"));
        assert_eq!(k.line, ED25519.trim_end_matches(" anna@laptop"));
        assert_eq!(k.fingerprint, "SHA256:V01jH6y3ydfooY/hw+ziTWUHGXM812lXpRGL7y+gL4E", "as ssh-keygen -l prints it");
    }

    #[test]
    fn names_what_is_wrong_with_a_pasted_key() {
        assert_eq!(parse(" "), Err(KeyError::Empty));
        assert_eq!(parse("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn..."), Err(KeyError::Private));
        assert_eq!(parse("ssh-dss AAAAB3NzaC1kc3M="), Err(KeyError::UnknownType("ssh-dss".into())));
        assert_eq!(parse("ssh-ed25519 not*base64"), Err(KeyError::NotBase64));
        let ed_body = ED25519.split(' ').nth(1).unwrap();
        assert_eq!(
            parse(&format!("ssh-rsa {ed_body}")),
            Err(KeyError::Mismatch { outside: "ssh-rsa".into(), inside: "ssh-ed25519".into() })
        );
    }

    #[test]
    fn refuses_an_rsa_key_under_2048_bits() {
        let wire = |parts: &[&[u8]]| -> String {
            let mut blob = Vec::new();
            for p in parts {
                blob.extend_from_slice(&(p.len() as u32).to_be_bytes());
                blob.extend_from_slice(p);
            }
            base64::engine::general_purpose::STANDARD.encode(blob)
        };
        let modulus_1024 = [&[0u8][..], &[0xC0; 128][..]].concat();
        assert_eq!(parse(&format!("ssh-rsa {}", wire(&[b"ssh-rsa", &[1, 0, 1], &modulus_1024]))), Err(KeyError::WeakRsa(1024)));
        let modulus_2048 = [&[0u8][..], &[0x80; 256][..]].concat();
        assert!(parse(&format!("ssh-rsa {}", wire(&[b"ssh-rsa", &[1, 0, 1], &modulus_2048]))).is_ok());
    }
}
