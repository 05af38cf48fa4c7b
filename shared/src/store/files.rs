//! Objects in the data bucket: logos now; uploads and reports with their parts.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;

use crate::{Config, Error, Result};

impl super::Aws {
    /// Stores an object.
    pub async fn put_object(&self, cfg: &Config, key: &str, content_type: &str, bytes: Vec<u8>) -> Result<()> {
        self.s3
            .put_object()
            .bucket(&cfg.data_bucket)
            .key(key)
            .content_type(content_type)
            .body(bytes.into())
            .send()
            .await
            .map_err(Error::aws("PutObject"))?;
        Ok(())
    }

    /// A time-limited GET link to an object (computed locally, no call).
    pub async fn presigned_get(&self, cfg: &Config, key: &str, valid_for: Duration) -> Result<String> {
        let presigning = PresigningConfig::expires_in(valid_for).map_err(Error::aws("presign"))?;
        let req = self.s3.get_object().bucket(&cfg.data_bucket).key(key).presigned(presigning).await.map_err(Error::aws("presign GetObject"))?;
        Ok(req.uri().to_string())
    }
}
