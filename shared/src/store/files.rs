//! Objects in the data bucket: logos, uploads, import reports and reports.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
pub use aws_sdk_s3::primitives::ByteStream;

use crate::domain::upload::{PolicySigner, PostForm, PostPolicy};
#[allow(unused_imports)]
use crate::ports::*;
use crate::{Error, Result};

impl crate::ports::Files for super::Aws {
    /// Stores an object.
    async fn put_object(&self, key: &str, content_type: &str, bytes: Vec<u8>) -> Result<()> {
        self.s3
            .put_object()
            .bucket(&self.config.data_bucket)
            .key(key)
            .content_type(content_type)
            .body(bytes.into())
            .send()
            .await
            .map_err(Error::aws("PutObject"))?;
        Ok(())
    }

    /// A time-limited GET link to an object (computed locally, no call).
    async fn presigned_get(&self, key: &str, valid_for: Duration) -> Result<String> {
        let presigning = PresigningConfig::expires_in(valid_for).map_err(Error::aws("presign"))?;
        let req = self
            .s3
            .get_object()
            .bucket(&self.config.data_bucket)
            .key(key)
            .presigned(presigning)
            .await
            .map_err(Error::aws("presign GetObject"))?;
        Ok(req.uri().to_string())
    }

    /// Stores a local file, streamed from disk (large reports).
    async fn put_file(&self, key: &str, content_type: &str, path: &std::path::Path) -> Result<()> {
        let body = ByteStream::from_path(path).await.map_err(Error::aws("read the temporary file"))?;
        self.s3
            .put_object()
            .bucket(&self.config.data_bucket)
            .key(key)
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map_err(Error::aws("PutObject"))?;
        Ok(())
    }

    /// A time-limited PUT link for one object, bound to its content type
    /// (the uploader must send the same `Content-Type`).
    async fn presigned_put(&self, key: &str, content_type: &str, valid_for: Duration) -> Result<String> {
        let presigning = PresigningConfig::expires_in(valid_for).map_err(Error::aws("presign"))?;
        let req = self
            .s3
            .put_object()
            .bucket(&self.config.data_bucket)
            .key(key)
            .content_type(content_type)
            .presigned(presigning)
            .await
            .map_err(Error::aws("presign PutObject"))?;
        Ok(req.uri().to_string())
    }

    /// A POST form for one object, signed with the client's own credentials
    /// (a Lambda's role session: its token is in the policy). The form posts
    /// to the bucket's endpoint, the same one presigned links use.
    async fn presigned_post(&self, key: &str, max_bytes: u64, redirect: Option<&str>, valid_for: Duration) -> Result<PostForm> {
        use aws_credential_types::provider::ProvideCredentials;
        let missing = |what: &str| Error::Aws { operation: "sign a POST policy", source: format!("the SDK config has no {what}").into() };
        let (provider, region) = &self.signing;
        let credentials = provider
            .as_ref()
            .ok_or_else(|| missing("credentials"))?
            .provide_credentials()
            .await
            .map_err(Error::aws("sign a POST policy"))?;
        let region = region.clone().ok_or_else(|| missing("region"))?;
        // the bucket's URL as the SDK addresses it (virtual-hosted in AWS,
        // path-style on an emulator): a presigned link's, without its key
        let probe = self.presigned_get("k", valid_for).await?;
        let base = probe.split('?').next().unwrap_or_default().trim_end_matches("/k");
        let signer = PolicySigner {
            access_key: credentials.access_key_id(),
            secret: credentials.secret_access_key(),
            session_token: credentials.session_token(),
            region: &region,
        };
        let policy = PostPolicy { bucket: &self.config.data_bucket, key, max_bytes, redirect, valid_for };
        Ok(policy.sign(&format!("{base}/"), &signer, std::time::SystemTime::now()))
    }

    /// An object's size and ETag, or `None` if it does not exist.
    async fn head(&self, bucket: &str, key: &str) -> Result<Option<(u64, String)>> {
        match self.s3.head_object().bucket(bucket).key(key).send().await {
            Ok(h) => Ok(Some((h.content_length.and_then(|n| u64::try_from(n).ok()).unwrap_or(0), h.e_tag.unwrap_or_default()))),
            Err(e) if e.as_service_error().is_some_and(|se| se.is_not_found()) => Ok(None),
            Err(e) => Err(Error::aws("HeadObject")(e)),
        }
    }

    /// The body of an object as a stream of chunks, provided it is still
    /// the version `etag` names (a file replaced mid-import fails the read).
    async fn read_stream(&self, bucket: &str, key: &str, etag: &str) -> Result<ByteStream> {
        let out = self.s3.get_object().bucket(bucket).key(key).if_match(etag).send().await.map_err(Error::aws("GetObject"))?;
        Ok(out.body)
    }

    /// A small object of the data bucket (a logo) with its content type,
    /// or `None` if it does not exist.
    async fn get_object(&self, key: &str) -> Result<Option<(String, Vec<u8>)>> {
        let out = match self.s3.get_object().bucket(&self.config.data_bucket).key(key).send().await {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|se| se.is_no_such_key()) => return Ok(None),
            Err(e) => return Err(Error::aws("GetObject")(e)),
        };
        let content_type = out.content_type.unwrap_or_default();
        let bytes = out.body.collect().await.map_err(Error::aws("GetObject body"))?.into_bytes().to_vec();
        Ok(Some((content_type, bytes)))
    }

    async fn delete_object(&self, key: &str) -> Result<bool> {
        let versions = self.versions(key).await?;
        for (version, _) in &versions {
            self.delete_version(key, version).await?;
        }
        if versions.is_empty() {
            // an unversioned store lists nothing: a plain delete then
            let existed = self.head(&self.config.data_bucket, key).await?.is_some();
            self.s3.delete_object().bucket(&self.config.data_bucket).key(key).send().await.map_err(Error::aws("DeleteObject"))?;
            return Ok(existed);
        }
        Ok(true)
    }

    async fn list_objects(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .s3
                .list_objects_v2()
                .bucket(&self.config.data_bucket)
                .prefix(prefix)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(Error::aws("ListObjectsV2"))?;
            for o in page.contents() {
                if let Some(key) = o.key() {
                    out.push((key.to_string(), o.e_tag().unwrap_or_default().to_string()));
                }
            }
            match page.next_continuation_token() {
                Some(t) if page.is_truncated() == Some(true) => token = Some(t.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn forget_old_versions(&self, key: &str) -> Result<u64> {
        let mut forgotten = 0;
        for (version, latest) in self.versions(key).await? {
            if !latest {
                self.delete_version(key, &version).await?;
                forgotten += 1;
            }
        }
        Ok(forgotten)
    }
}

impl super::Aws {
    /// Every stored version (and delete marker) of exactly `key`, with
    /// whether it is the current one.
    async fn versions(&self, key: &str) -> Result<Vec<(String, bool)>> {
        let mut out = Vec::new();
        let (mut key_marker, mut version_marker) = (None, None);
        loop {
            let page = self
                .s3
                .list_object_versions()
                .bucket(&self.config.data_bucket)
                .prefix(key)
                .set_key_marker(key_marker.take())
                .set_version_id_marker(version_marker.take())
                .send()
                .await
                .map_err(Error::aws("ListObjectVersions"))?;
            for v in page.versions() {
                if v.key() == Some(key) {
                    out.push((v.version_id().unwrap_or("null").to_string(), v.is_latest().unwrap_or(false)));
                }
            }
            for m in page.delete_markers() {
                if m.key() == Some(key) {
                    out.push((m.version_id().unwrap_or("null").to_string(), m.is_latest().unwrap_or(false)));
                }
            }
            if page.is_truncated() != Some(true) {
                return Ok(out);
            }
            key_marker = page.next_key_marker().map(str::to_string);
            version_marker = page.next_version_id_marker().map(str::to_string);
        }
    }

    async fn delete_version(&self, key: &str, version: &str) -> Result<()> {
        self.s3
            .delete_object()
            .bucket(&self.config.data_bucket)
            .key(key)
            .version_id(version)
            .send()
            .await
            .map_err(Error::aws("DeleteObject"))?;
        Ok(())
    }
}
