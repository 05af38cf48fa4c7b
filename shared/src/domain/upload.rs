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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
