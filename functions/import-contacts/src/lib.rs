//! `import-contacts`: started by S3 object-created events under `uploads/`.
//!
//! Today it reads each event record into the upload it names (decoding the
//! URL-encoded key), checks the object exists and refuses files over 100 MB
//! before reading a row. The streaming CSV/TSV import itself (validation,
//! upserts, mailing list, progress, report) arrives with the contact-upload
//! issue; until then an accepted upload is reported as `received`, not
//! imported.

use aws_lambda_events::event::s3::S3Event;
use lambda_runtime::LambdaEvent;
use pulse_shared::domain::upload::{UploadRef, MAX_UPLOAD_BYTES};
use pulse_shared::{events, App, Error};
use serde::Serialize;

/// What the function did with each record of the event.
#[derive(Debug, Serialize, PartialEq)]
pub struct Outcome {
    pub uploads: Vec<UploadSeen>,
}

/// One record's upload.
#[derive(Debug, Serialize, PartialEq)]
pub struct UploadSeen {
    pub bucket: String,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upload: Option<UploadRef>,
    pub size: Option<u64>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The Lambda handler. An AWS failure fails the invocation (S3's
/// asynchronous invoke retries it); a key of the wrong shape or a file over
/// the limit is refused and reported, since retrying cannot change it.
pub async fn handle(app: &App, event: LambdaEvent<S3Event>) -> Result<Outcome, Error> {
    let mut uploads = Vec::new();
    for record in &event.payload.records {
        let (bucket, key) = match events::s3_object(record) {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "S3 record refused");
                uploads.push(refused(String::new(), record.s3.object.key.clone().unwrap_or_default(), None, e.to_string()));
                continue;
            }
        };
        let upload = match UploadRef::from_key(&key) {
            Ok(u) => u,
            Err(e) => {
                tracing::warn!(%key, error = %e, "object is not an upload");
                uploads.push(refused(bucket, key, None, e.to_string()));
                continue;
            }
        };
        let head = app.aws.s3.head_object().bucket(&bucket).key(&key).send().await.map_err(Error::aws("HeadObject"))?;
        let size = head.content_length.and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
        if size > MAX_UPLOAD_BYTES {
            let reason = format!(
                "the file {:?} is {:.1} MB; contact files may be at most 100 MB",
                upload.file_name,
                size as f64 / 1_048_576.0
            );
            tracing::warn!(%key, size, "upload refused: too large");
            uploads.push(UploadSeen { status: "refused", size: Some(size), reason: Some(reason), upload: Some(upload), bucket, key });
            continue;
        }
        tracing::info!(%key, size, project_id = %upload.project_id, "upload received");
        uploads.push(UploadSeen { bucket, key, upload: Some(upload), size: Some(size), status: "received", reason: None });
    }
    Ok(Outcome { uploads })
}

fn refused(bucket: String, key: String, size: Option<u64>, reason: String) -> UploadSeen {
    UploadSeen { bucket, key, upload: None, size, status: "refused", reason: Some(reason) }
}
