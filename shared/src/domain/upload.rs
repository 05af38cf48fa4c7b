//! Where uploads land in the bucket, and how an S3 event's object key is read
//! back into the upload it belongs to.
//!
//! Layout: `uploads/{project_id}/{upload_id}/{file name}`. S3 notifications
//! carry the key URL-encoded with `+` for a space, so the key is decoded here
//! (the `url_decoded_key` field of the event is not filled by real S3).

use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};

/// The prefix the import function is subscribed to (see `template.yaml`).
pub const UPLOADS_PREFIX: &str = "uploads/";

/// Files larger than this are refused before any row is read.
pub const MAX_UPLOAD_BYTES: u64 = 100 * 1024 * 1024;

/// An uploaded contact file, as named by its object key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRef {
    pub key: String,
    pub project_id: String,
    pub upload_id: String,
    pub file_name: String,
}

/// Why a key is not an upload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadKeyError {
    #[error("object key {0:?} is not valid percent-encoded UTF-8")]
    Encoding(String),
    #[error("object key {0:?} is not of the form uploads/<project>/<upload>/<file name>")]
    Shape(String),
}

/// Decodes an object key as S3 event notifications carry it (`+` is a
/// space, `%XX` an escaped byte).
pub fn decode_event_key(raw: &str) -> Result<String, UploadKeyError> {
    let plus_as_space = raw.replace('+', " ");
    percent_decode_str(&plus_as_space).decode_utf8().map(|k| k.into_owned()).map_err(|_| UploadKeyError::Encoding(raw.to_string()))
}

impl UploadRef {
    /// Reads a decoded object key.
    pub fn from_key(key: &str) -> Result<Self, UploadKeyError> {
        let shape = || UploadKeyError::Shape(key.to_string());
        let rest = key.strip_prefix(UPLOADS_PREFIX).ok_or_else(shape)?;
        let mut parts = rest.splitn(3, '/');
        let (project_id, upload_id, file_name) = match (parts.next(), parts.next(), parts.next()) {
            (Some(p), Some(u), Some(f)) if !p.is_empty() && !u.is_empty() && !f.is_empty() && !f.contains('/') => (p, u, f),
            _ => return Err(shape()),
        };
        Ok(UploadRef {
            key: key.to_string(),
            project_id: project_id.to_string(),
            upload_id: upload_id.to_string(),
            file_name: file_name.to_string(),
        })
    }

    /// The key an upload is stored under.
    pub fn key_for(project_id: &str, upload_id: &str, file_name: &str) -> String {
        format!("{UPLOADS_PREFIX}{project_id}/{upload_id}/{file_name}")
    }
}

/// A browser form that uploads one file straight to S3 (POST Object with a
/// signed policy, so the file never passes through a Lambda): where it
/// posts and its hidden fields, in order. The file goes last, as `file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostForm {
    pub url: String,
    pub fields: Vec<(String, String)>,
}

/// The credentials and region a POST policy is signed with.
#[derive(Debug, Clone, Copy)]
pub struct PolicySigner<'a> {
    pub access_key: &'a str,
    pub secret: &'a str,
    /// The session token of temporary credentials (a Lambda's role has one).
    pub session_token: Option<&'a str>,
    pub region: &'a str,
}

/// What the policy allows: exactly `key` in `bucket`, a file of 1 byte up
/// to `max_bytes`, valid until `now + valid_for`; after the upload S3 sends
/// the browser to `redirect` (a plain form), or answers 201 (a script).
#[derive(Debug, Clone, Copy)]
pub struct PostPolicy<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub max_bytes: u64,
    pub redirect: Option<&'a str>,
    pub valid_for: std::time::Duration,
}

impl PostPolicy<'_> {
    /// The form's fields, signed with Signature Version 4 as S3's POST
    /// Object requires (the policy is the string to sign).
    pub fn sign(&self, url: &str, signer: &PolicySigner, now: std::time::SystemTime) -> PostForm {
        use base64::Engine;
        let at = jiff::Timestamp::try_from(now).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let until = at.checked_add(jiff::SignedDuration::try_from(self.valid_for).unwrap_or_default()).unwrap_or(at);
        let date = at.strftime("%Y%m%d").to_string();
        let credential = format!("{}/{date}/{}/s3/aws4_request", signer.access_key, signer.region);
        let mut fields = vec![("key".to_string(), self.key.to_string())];
        match self.redirect {
            Some(r) => fields.push(("success_action_redirect".into(), r.to_string())),
            None => fields.push(("success_action_status".into(), "201".into())),
        }
        fields.push(("x-amz-algorithm".into(), "AWS4-HMAC-SHA256".into()));
        fields.push(("x-amz-credential".into(), credential));
        fields.push(("x-amz-date".into(), at.strftime("%Y%m%dT%H%M%SZ").to_string()));
        if let Some(token) = signer.session_token {
            fields.push(("x-amz-security-token".into(), token.to_string()));
        }
        let mut conditions = vec![serde_json::json!({ "bucket": self.bucket })];
        conditions.extend(fields.iter().map(|(k, v)| serde_json::json!({ k: v })));
        conditions.push(serde_json::json!(["content-length-range", 1, self.max_bytes]));
        let policy = serde_json::json!({
            "expiration": until.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string(),
            "conditions": conditions,
        });
        let policy = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
        let key = aws_sigv4::sign::v4::generate_signing_key(signer.secret, now, signer.region, "s3");
        let signature = aws_sigv4::sign::v4::calculate_signature(key, policy.as_bytes());
        fields.push(("policy".into(), policy));
        fields.push(("x-amz-signature".into(), signature));
        PostForm { url: url.to_string(), fields }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_post_policy_allows_exactly_the_key_the_size_and_the_redirect() {
        use base64::Engine;
        let signer = PolicySigner { access_key: "AKID", secret: "secret", session_token: Some("tok"), region: "eu-central-1" };
        let policy = PostPolicy {
            bucket: "b",
            key: "uploads/p/u/list",
            max_bytes: 100,
            redirect: Some("https://x.example/console/uploaded"),
            valid_for: std::time::Duration::from_secs(3600),
        };
        let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600); // 2026-01-01T00:00:00Z
        let form = policy.sign("https://b.s3.amazonaws.com/", &signer, now);
        let field = |name: &str| form.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        assert_eq!(field("x-amz-credential"), "AKID/20260101/eu-central-1/s3/aws4_request");
        assert_eq!(field("x-amz-date"), "20260101T000000Z");
        assert_eq!(field("x-amz-security-token"), "tok");
        assert_eq!(field("success_action_redirect"), "https://x.example/console/uploaded");
        let decoded = base64::engine::general_purpose::STANDARD.decode(field("policy")).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&decoded).unwrap();
        assert_eq!(doc["expiration"], "2026-01-01T01:00:00.000Z");
        let conditions = doc["conditions"].as_array().unwrap();
        assert!(conditions.contains(&serde_json::json!({"key": "uploads/p/u/list"})));
        assert!(conditions.contains(&serde_json::json!({"bucket": "b"})));
        assert!(conditions.contains(&serde_json::json!(["content-length-range", 1, 100])));
        // every field but the policy and its signature is bound by the policy
        for (k, v) in form.fields.iter().filter(|(k, _)| k != "policy" && k != "x-amz-signature") {
            assert!(conditions.contains(&serde_json::json!({ k: v })), "{k} is not in the policy");
        }
        // the signature covers the policy: another secret or policy signs differently
        let other = policy.sign("u", &PolicySigner { secret: "other", ..signer }, now);
        assert_ne!(field("x-amz-signature"), other.fields.iter().find(|(k, _)| k == "x-amz-signature").unwrap().1);
        assert_eq!(field("x-amz-signature").len(), 64);
        let script = PostPolicy { redirect: None, ..policy }.sign("u", &signer, now);
        assert!(script.fields.contains(&("success_action_status".into(), "201".into())));
    }

    #[test]
    fn decodes_plus_and_percent_escapes() {
        assert_eq!(decode_event_key("uploads/p1/u1/Kunden+M%C3%A4rz%2B.csv").unwrap(), "uploads/p1/u1/Kunden März+.csv");
        assert_eq!(decode_event_key("uploads%2Fp1%2Fu1%2Fa.csv").unwrap(), "uploads/p1/u1/a.csv");
    }

    #[test]
    fn refuses_bytes_that_are_not_utf8() {
        assert!(matches!(decode_event_key("uploads/p/u/%FF.csv"), Err(UploadKeyError::Encoding(_))));
    }

    #[test]
    fn reads_project_upload_and_file_name() {
        let u = UploadRef::from_key("uploads/p1/u1/Kunden März.csv").unwrap();
        assert_eq!((u.project_id.as_str(), u.upload_id.as_str(), u.file_name.as_str()), ("p1", "u1", "Kunden März.csv"));
        assert_eq!(UploadRef::key_for("p1", "u1", "Kunden März.csv"), u.key);
    }

    #[test]
    fn refuses_keys_of_another_shape() {
        for bad in ["reports/p1/u1/a.csv", "uploads/p1/a.csv", "uploads//u1/a.csv", "uploads/p1/u1/", "uploads/p1/u1/dir/a.csv"] {
            assert!(UploadRef::from_key(bad).is_err(), "{bad:?} was accepted");
        }
    }

    proptest! {
        #[test]
        fn any_key_round_trips_through_event_encoding(project in "[a-z0-9-]{1,12}", upload in "[a-z0-9-]{1,12}", name in "[^/]{1,40}") {
            let key = UploadRef::key_for(&project, &upload, &name);
            // S3's event encoding: form-urlencoding of the key
            let encoded: String = key.split('/').map(|seg| {
                percent_encoding::utf8_percent_encode(seg, percent_encoding::NON_ALPHANUMERIC).to_string()
            }).collect::<Vec<_>>().join("/");
            let decoded = decode_event_key(&encoded).unwrap();
            prop_assert_eq!(&decoded, &key);
            let u = UploadRef::from_key(&decoded).unwrap();
            prop_assert_eq!(u.file_name, name);
        }

        #[test]
        fn arbitrary_keys_never_panic(raw in ".{0,80}") {
            if let Ok(k) = decode_event_key(&raw) { let _ = UploadRef::from_key(&k); }
        }
    }
}
