//! The optional SFTP endpoint's users (AWS Transfer Family): one per
//! project, named `pulse-<project>`, whose logical home directory is the
//! project's drop folder, so what they put lands where the B2B sync looks.
//! Their SSH keys are kept by Transfer Family itself (nothing in the tables).

use aws_sdk_transfer::error::ProvideErrorMetadata;
use aws_sdk_transfer::types::{HomeDirectoryMapEntry, HomeDirectoryType};

use crate::domain::b2b::ssh::{self, PublicKey};
use crate::{Error, Result};

/// One SSH key of a project's SFTP user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SftpKey {
    pub id: String,
    pub key_type: String,
    pub fingerprint: String,
    pub comment: Option<String>,
    pub imported_at: Option<String>,
}

/// A project's SFTP user as Transfer Family has it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SftpUser {
    pub user_name: String,
    pub keys: Vec<SftpKey>,
}

/// The endpoint's users; `None` for a stack without the endpoint.
#[derive(Clone, Debug)]
pub struct DropFolderUsers {
    client: aws_sdk_transfer::Client,
    server_id: String,
    role_arn: String,
    bucket: String,
}

fn transfer_error<E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static>(
    operation: &'static str,
) -> impl FnOnce(aws_sdk_transfer::error::SdkError<E>) -> Error {
    move |e| match e.as_service_error().and_then(|s| s.code()) {
        Some("ResourceExistsException") => Error::Conflict("this key is already added".into()),
        Some("InvalidRequestException") => {
            Error::bad_field("public_key", e.as_service_error().and_then(|s| s.message()).unwrap_or("refused").to_string())
        }
        _ => Error::aws(operation)(e),
    }
}

fn not_found<E: ProvideErrorMetadata>(e: &aws_sdk_transfer::error::SdkError<E>) -> bool {
    e.as_service_error().and_then(|s| s.code()) == Some("ResourceNotFoundException")
}

impl DropFolderUsers {
    /// The endpoint of `config`, if the stack has one.
    pub fn new(client: aws_sdk_transfer::Client, config: &crate::Config) -> Option<Self> {
        (!config.sftp_server_id.is_empty()).then(|| DropFolderUsers {
            client,
            server_id: config.sftp_server_id.clone(),
            role_arn: config.sftp_user_role_arn.clone(),
            bucket: config.data_bucket.clone(),
        })
    }

    /// The server's id (its host is `<id>.server.transfer.<region>.amazonaws.com`).
    pub fn server_id(&self) -> &str {
        &self.server_id
    }

    /// The project's user with its keys; `None` before its first key.
    pub async fn user(&self, project_id: &str) -> Result<Option<SftpUser>> {
        let user_name = ssh::user_name(project_id);
        let out = match self.client.describe_user().server_id(&self.server_id).user_name(&user_name).send().await {
            Ok(out) => out,
            Err(e) if not_found(&e) => return Ok(None),
            Err(e) => return Err(transfer_error("DescribeUser")(e)),
        };
        let keys = out
            .user
            .map(|u| u.ssh_public_keys.unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .map(|k| {
                let parsed = ssh::parse(&k.ssh_public_key_body).ok();
                SftpKey {
                    id: k.ssh_public_key_id,
                    key_type: parsed.as_ref().map(|p| p.key_type.clone()).unwrap_or_default(),
                    fingerprint: parsed.as_ref().map(|p| p.fingerprint.clone()).unwrap_or_default(),
                    comment: None,
                    imported_at: Some(aws_smithy_time(k.date_imported)),
                }
            })
            .collect();
        Ok(Some(SftpUser { user_name, keys }))
    }

    /// Adds a checked key to the project's user, making the user (at home
    /// in the project's drop folder) with its first key.
    pub async fn add_key(&self, project_id: &str, key: &PublicKey) -> Result<String> {
        let user_name = ssh::user_name(project_id);
        if self.user(project_id).await?.is_none() {
            let home = HomeDirectoryMapEntry::builder()
                .entry("/")
                .target(format!("/{}/sync/{project_id}", self.bucket))
                .build()
                .map_err(Error::aws("CreateUser"))?;
            let created = self
                .client
                .create_user()
                .server_id(&self.server_id)
                .user_name(&user_name)
                .role(&self.role_arn)
                .home_directory_type(HomeDirectoryType::Logical)
                .home_directory_mappings(home)
                .ssh_public_key_body(&key.line)
                .send()
                .await;
            match created {
                Ok(_) => {
                    let user = self.user(project_id).await?.unwrap_or(SftpUser { user_name, keys: vec![] });
                    let id = user.keys.into_iter().find(|k| k.fingerprint == key.fingerprint).map(|k| k.id).unwrap_or_default();
                    return Ok(id);
                }
                // made meanwhile by another request: add the key to it
                Err(e) if e.as_service_error().and_then(|s| s.code()) == Some("ResourceExistsException") => {}
                Err(e) => return Err(transfer_error("CreateUser")(e)),
            }
        }
        let out = self
            .client
            .import_ssh_public_key()
            .server_id(&self.server_id)
            .user_name(&user_name)
            .ssh_public_key_body(&key.line)
            .send()
            .await
            .map_err(transfer_error("ImportSshPublicKey"))?;
        Ok(out.ssh_public_key_id)
    }

    /// Removes one key; the user stays (with no key, nobody can sign in).
    pub async fn remove_key(&self, project_id: &str, key_id: &str) -> Result<()> {
        let user_name = ssh::user_name(project_id);
        match self.client.delete_ssh_public_key().server_id(&self.server_id).user_name(&user_name).ssh_public_key_id(key_id).send().await {
            Ok(_) => Ok(()),
            Err(e) if not_found(&e) => Err(Error::NotFound { what: format!("SSH key {key_id}") }),
            Err(e) => Err(transfer_error("DeleteSshPublicKey")(e)),
        }
    }

    /// Deletes the project's user (the project is deleted); no user is fine.
    pub async fn delete_user(&self, project_id: &str) -> Result<()> {
        match self.client.delete_user().server_id(&self.server_id).user_name(ssh::user_name(project_id)).send().await {
            Ok(_) => Ok(()),
            Err(e) if not_found(&e) => Ok(()),
            Err(e) => Err(transfer_error("DeleteUser")(e)),
        }
    }
}

fn aws_smithy_time(t: aws_sdk_transfer::primitives::DateTime) -> String {
    t.fmt(aws_sdk_transfer::primitives::DateTimeFormat::DateTime).unwrap_or_default()
}
