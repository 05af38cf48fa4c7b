//! Reading the typed Lambda events (`aws_lambda_events`) into Pulse's terms.

use aws_lambda_events::event::dynamodb::EventRecord;
use aws_lambda_events::event::s3::S3EventRecord;

use crate::domain::records::ItemKey;
use crate::domain::upload::{decode_event_key, UploadKeyError};

/// The decoded object key and the bucket of an S3 event record.
pub fn s3_object(record: &S3EventRecord) -> Result<(String, String), UploadKeyError> {
    let bucket = record.s3.bucket.name.clone().unwrap_or_default();
    let raw = record.s3.object.key.clone().unwrap_or_default();
    Ok((bucket, decode_event_key(&raw)?))
}

/// The primary key of the item a stream record is about.
pub fn stream_key(record: &EventRecord) -> Result<ItemKey, serde_dynamo::Error> {
    serde_dynamo::from_item(record.change.keys.clone())
}

/// The identifier Lambda expects in `batchItemFailures` for a stream record.
pub fn stream_sequence_number(record: &EventRecord) -> Option<String> {
    record.change.sequence_number.clone()
}

/// The response a stream record's new image holds.
pub fn stream_response(record: &EventRecord) -> Result<crate::domain::response::Response, serde_dynamo::Error> {
    #[derive(serde::Deserialize)]
    struct Image {
        #[serde(flatten)]
        response: crate::domain::response::Response,
    }
    serde_dynamo::from_item::<_, Image>(record.change.new_image.clone()).map(|i| i.response)
}
