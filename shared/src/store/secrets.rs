//! The projects' connected-app secrets in Secrets Manager: one secret per
//! project, named `<SECRETS_PREFIX><project id>` (the template's IAM
//! policies allow that prefix only). The value never reaches a table, a log
//! or an answer; what the API shows is whether one is set and when it last
//! changed.

use aws_sdk_secretsmanager::error::ProvideErrorMetadata;

use crate::{Error, Result};

fn name(config: &crate::Config, project_id: &str) -> String {
    format!("{}{project_id}", config.secrets_prefix)
}

fn not_found<E: ProvideErrorMetadata>(e: &E) -> bool {
    e.code() == Some("ResourceNotFoundException")
}

impl crate::ports::Secrets for super::Aws {
    async fn put_secret(&self, project_id: &str, value: &str) -> Result<()> {
        let id = name(&self.config, project_id);
        let put = self.secretsmanager.put_secret_value().secret_id(&id).secret_string(value).send().await;
        match put {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(not_found) => {
                self.secretsmanager
                    .create_secret()
                    .name(&id)
                    .description("Pulse: a project's Salesforce connected app (B2B sync)")
                    .secret_string(value)
                    .send()
                    .await
                    .map_err(Error::aws("CreateSecret"))?;
                Ok(())
            }
            Err(e) => Err(Error::aws("PutSecretValue")(e)),
        }
    }

    async fn get_secret(&self, project_id: &str) -> Result<Option<String>> {
        let out = self.secretsmanager.get_secret_value().secret_id(name(&self.config, project_id)).send().await;
        match out {
            Ok(v) => Ok(v.secret_string().map(str::to_string)),
            Err(e) if e.as_service_error().is_some_and(not_found) => Ok(None),
            Err(e) => Err(Error::aws("GetSecretValue")(e)),
        }
    }

    async fn delete_secret(&self, project_id: &str) -> Result<bool> {
        // described first: a secret deleted already is answered alike by
        // every Secrets Manager (moto's DeleteSecret succeeds again)
        if self.secret_changed(project_id).await?.is_none() {
            return Ok(false);
        }
        let out =
            self.secretsmanager.delete_secret().secret_id(name(&self.config, project_id)).force_delete_without_recovery(true).send().await;
        match out {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(not_found) => Ok(false),
            Err(e) => Err(Error::aws("DeleteSecret")(e)),
        }
    }

    async fn secret_changed(&self, project_id: &str) -> Result<Option<String>> {
        let out = self.secretsmanager.describe_secret().secret_id(name(&self.config, project_id)).send().await;
        match out {
            Ok(d) => {
                let at = d.last_changed_date().or(d.created_date()).map(|t| crate::clock::from_ms((t.secs().max(0) as u64) * 1000));
                Ok(Some(at.unwrap_or_default()))
            }
            Err(e) if e.as_service_error().is_some_and(not_found) => Ok(None),
            Err(e) => Err(Error::aws("DescribeSecret")(e)),
        }
    }
}
