//! One `Config` for every function, read from the environment variables that
//! `template.yaml` sets (Globals → Environment). The local stack resolves the
//! same variables from the template and hands them over through
//! [`Config::from_lookup`], so a variable missing from the template fails the
//! local stack and the tests, not a deployed Lambda.

use std::collections::HashMap;

/// Everything a handler needs to know about where it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Projects, versions, mailing lists, distributions, ledgers, aggregates.
    pub core_table: String,
    /// Contact directory and list memberships.
    pub contacts_table: String,
    /// Responses; its stream feeds `notify-thresholds`.
    pub responses_table: String,
    /// Uploads, logos, import reports and generated reports.
    pub data_bucket: String,
    /// Invitation batches for `send-distribution`.
    pub send_queue_url: String,
    /// SES identity every email is sent from.
    pub sender_email: String,
    /// Base URL of the public routes (survey links, unsubscribe links).
    /// Empty until [`Config::public_base_url_parameter`] is read when the
    /// stack was deployed without one (see [`crate::store::parameters`]).
    pub public_base_url: String,
    /// The SSM parameter the stack keeps its own API URL in: the base URL
    /// when `PUBLIC_BASE_URL` is empty, so a first `sam deploy` gives working
    /// links without a second deploy and without a circular reference.
    pub public_base_url_parameter: String,
    /// Emails per second the stack may send.
    pub ses_send_rate: u32,
    /// The SES configuration set invitations are sent through: its bounce
    /// and complaint events come back to `send-distribution`.
    pub ses_configuration_set: String,
    /// Continuations of contact imports too long for one invocation.
    pub import_queue_url: String,
    /// Seconds one import invocation works before it checkpoints and hands
    /// the rest to a continuation (well under the function's timeout).
    pub import_slice_seconds: u32,
    /// Reports asked for through the admin API, for `generate-report`.
    pub report_queue_url: String,
    /// The Cognito user pool of the console's operators.
    pub user_pool_id: String,
    /// The console's app client of that pool.
    pub user_pool_client_id: String,
    /// The least time, in seconds, between an anonymous survey's page view
    /// and its submission (faster is a script, not a person).
    pub form_min_seconds: u32,
    /// Anonymous submissions one source address may make in a minute.
    pub anonymous_per_address_per_minute: u32,
    /// Anonymous submissions one link takes in a minute.
    pub anonymous_per_link_per_minute: u32,
    /// Pages (of 200 responses, or one report or contact file) a long job
    /// such as an erasure works through in one slice before it checkpoints
    /// and queues the rest.
    pub job_slice_pages: u32,
    /// The KMS key that seals what Pulse must show again but never keeps in
    /// clear (a project's anonymous link): a copy of the tables alone opens
    /// nothing.
    pub links_key_id: String,
    /// The SFTP endpoint's AWS Transfer Family server (empty: the stack has
    /// none, `SftpEndpoint=false`).
    pub sftp_server_id: String,
    /// The role its users act as: read and write under `sync/` only.
    pub sftp_user_role_arn: String,
    /// Where the projects' connected-app secrets are kept in Secrets
    /// Manager: `<prefix><project id>` (the functions may touch no other).
    pub secrets_prefix: String,
    /// Whether a Salesforce org may be `http://127.0.0.1:<port>` (the local
    /// stack's stand-in); false in every deployed stack: https only.
    pub salesforce_loopback_http: bool,
    /// The stack's dead-letter and failure queues: (logical id, URL), from
    /// `DEAD_LETTER_QUEUES` as `Name=url` entries separated by spaces. A
    /// message waiting on one is work that did not get done.
    pub dead_letter_queues: Vec<(String, String)>,
    /// The names of the stack's EventBridge rules (its schedules), from
    /// `SCHEDULE_RULES`, separated by spaces.
    pub schedule_rules: Vec<String>,
    /// Days an uploaded contact file, a drop folder's file and an import's
    /// summary stay in the bucket (the stack's `UploadRetentionDays`).
    pub upload_retention_days: u32,
    /// Days the functions' logs are kept (the stack's `LogRetentionDays`).
    pub log_retention_days: u32,
}

/// A variable that is missing or cannot be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("environment variable {0} is not set")]
    Missing(&'static str),
    #[error("environment variable {name} has an invalid value {value:?}: {reason}")]
    Invalid { name: &'static str, value: String, reason: &'static str },
}

impl Config {
    /// Reads the configuration from the process environment (Lambda).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration from a map (the local stack's resolved template).
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        Self::from_lookup(|name| vars.get(name).cloned())
    }

    /// Reads the configuration through any lookup function.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str| -> Result<String, ConfigError> {
            match lookup(name) {
                Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
                _ => Err(ConfigError::Missing(name)),
            }
        };
        let positive = |name: &'static str, reason: &'static str| -> Result<u32, ConfigError> {
            let value = get(name)?;
            match value.parse::<u32>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(ConfigError::Invalid { name, value, reason }),
            }
        };
        let whole = |name: &'static str, reason: &'static str| -> Result<u32, ConfigError> {
            let value = get(name)?;
            value.parse::<u32>().map_err(|_| ConfigError::Invalid { name, value, reason })
        };
        let dead_letter_queues = {
            let value = get("DEAD_LETTER_QUEUES")?;
            let mut queues = Vec::new();
            for entry in value.split_whitespace() {
                match entry.split_once('=') {
                    Some((name, url)) if !name.is_empty() && !url.is_empty() => queues.push((name.to_string(), url.to_string())),
                    _ => {
                        return Err(ConfigError::Invalid {
                            name: "DEAD_LETTER_QUEUES",
                            value,
                            reason: "expected Name=url entries separated by spaces",
                        })
                    }
                }
            }
            queues
        };
        let ses_send_rate = positive("SES_SEND_RATE", "expected a whole number of emails per second, at least 1")?;
        let import_slice_seconds = positive("IMPORT_SLICE_SECONDS", "expected a whole number of seconds, at least 1")?;
        // set by the template, possibly to "" (a feature the stack has not)
        let present = |name: &'static str| -> Result<String, ConfigError> {
            lookup(name).map(|v| v.trim().to_string()).ok_or(ConfigError::Missing(name))
        };
        // empty means "read the stack's parameter"
        let public_base_url = present("PUBLIC_BASE_URL")?;
        let public_base_url = match public_base_url.trim() {
            "" => String::new(),
            url => base_url("PUBLIC_BASE_URL", url)?,
        };
        Ok(Config {
            dead_letter_queues,
            schedule_rules: get("SCHEDULE_RULES")?.split_whitespace().map(str::to_string).collect(),
            upload_retention_days: positive("UPLOAD_RETENTION_DAYS", "expected a whole number of days, at least 1")?,
            log_retention_days: positive("LOG_RETENTION_DAYS", "expected a whole number of days, at least 1")?,
            core_table: get("CORE_TABLE")?,
            contacts_table: get("CONTACTS_TABLE")?,
            responses_table: get("RESPONSES_TABLE")?,
            data_bucket: get("DATA_BUCKET")?,
            send_queue_url: get("SEND_QUEUE_URL")?,
            sender_email: get("SENDER_EMAIL")?,
            public_base_url,
            public_base_url_parameter: get("PUBLIC_BASE_URL_PARAMETER")?,
            ses_send_rate,
            import_queue_url: get("IMPORT_QUEUE_URL")?,
            ses_configuration_set: get("SES_CONFIGURATION_SET")?,
            import_slice_seconds,
            report_queue_url: get("REPORT_QUEUE_URL")?,
            user_pool_id: get("USER_POOL_ID")?,
            user_pool_client_id: get("USER_POOL_CLIENT_ID")?,
            form_min_seconds: whole("FORM_MIN_SECONDS", "expected a whole number of seconds (0 or more)")?,
            anonymous_per_address_per_minute: positive(
                "ANONYMOUS_PER_ADDRESS_PER_MINUTE",
                "expected a whole number of submissions a minute, at least 1",
            )?,
            anonymous_per_link_per_minute: positive(
                "ANONYMOUS_PER_LINK_PER_MINUTE",
                "expected a whole number of submissions a minute, at least 1",
            )?,
            job_slice_pages: positive("JOB_SLICE_PAGES", "expected a whole number of pages, at least 1")?,
            links_key_id: get("LINKS_KEY_ID")?,
            sftp_server_id: present("SFTP_SERVER_ID")?,
            sftp_user_role_arn: present("SFTP_USER_ROLE_ARN")?,
            secrets_prefix: get("SECRETS_PREFIX")?,
            salesforce_loopback_http: {
                let value = get("SALESFORCE_LOOPBACK_HTTP")?;
                match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(ConfigError::Invalid { name: "SALESFORCE_LOOPBACK_HTTP", value, reason: "expected true or false" }),
                }
            },
        })
    }

    /// Sets the base URL read from the stack's parameter, checked as the
    /// variable is.
    pub fn set_public_base_url(&mut self, url: &str) -> Result<(), ConfigError> {
        self.public_base_url = base_url("PUBLIC_BASE_URL_PARAMETER", url.trim())?;
        Ok(())
    }

    /// Every variable [`Config`] reads with the value in force, in
    /// [`Config::VARIABLES`] order (for the support bundle, which withholds
    /// the secret ones: see [`crate::domain::help::withhold_secrets`]).
    pub fn described(&self) -> Vec<(&'static str, String)> {
        let queues = self.dead_letter_queues.iter().map(|(n, u)| format!("{n}={u}")).collect::<Vec<_>>().join(" ");
        let values = [
            self.core_table.clone(),
            self.contacts_table.clone(),
            self.responses_table.clone(),
            self.data_bucket.clone(),
            self.send_queue_url.clone(),
            self.sender_email.clone(),
            self.public_base_url.clone(),
            self.public_base_url_parameter.clone(),
            self.ses_send_rate.to_string(),
            self.import_queue_url.clone(),
            self.import_slice_seconds.to_string(),
            self.ses_configuration_set.clone(),
            self.report_queue_url.clone(),
            self.user_pool_id.clone(),
            self.user_pool_client_id.clone(),
            self.form_min_seconds.to_string(),
            self.anonymous_per_address_per_minute.to_string(),
            self.anonymous_per_link_per_minute.to_string(),
            self.job_slice_pages.to_string(),
            self.links_key_id.clone(),
            self.sftp_server_id.clone(),
            self.sftp_user_role_arn.clone(),
            self.secrets_prefix.clone(),
            self.salesforce_loopback_http.to_string(),
            queues,
            self.schedule_rules.join(" "),
            self.upload_retention_days.to_string(),
            self.log_retention_days.to_string(),
        ];
        Self::VARIABLES.into_iter().zip(values).collect()
    }

    /// The names of every variable [`Config`] reads, for checks against the template.
    pub const VARIABLES: [&'static str; 28] = [
        "CORE_TABLE",
        "CONTACTS_TABLE",
        "RESPONSES_TABLE",
        "DATA_BUCKET",
        "SEND_QUEUE_URL",
        "SENDER_EMAIL",
        "PUBLIC_BASE_URL",
        "PUBLIC_BASE_URL_PARAMETER",
        "SES_SEND_RATE",
        "IMPORT_QUEUE_URL",
        "IMPORT_SLICE_SECONDS",
        "SES_CONFIGURATION_SET",
        "REPORT_QUEUE_URL",
        "USER_POOL_ID",
        "USER_POOL_CLIENT_ID",
        "FORM_MIN_SECONDS",
        "ANONYMOUS_PER_ADDRESS_PER_MINUTE",
        "ANONYMOUS_PER_LINK_PER_MINUTE",
        "JOB_SLICE_PAGES",
        "LINKS_KEY_ID",
        "SFTP_SERVER_ID",
        "SFTP_USER_ROLE_ARN",
        "SECRETS_PREFIX",
        "SALESFORCE_LOOPBACK_HTTP",
        "DEAD_LETTER_QUEUES",
        "SCHEDULE_RULES",
        "UPLOAD_RETENTION_DAYS",
        "LOG_RETENTION_DAYS",
    ];
}

/// An absolute http(s) URL without its trailing slash.
fn base_url(name: &'static str, url: &str) -> Result<String, ConfigError> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(ConfigError::Invalid { name, value: url.to_string(), reason: "expected an absolute http(s) URL" });
    }
    Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> HashMap<String, String> {
        Config::VARIABLES
            .iter()
            .map(|k| {
                let v = match *k {
                    "SES_SEND_RATE" => "14".to_string(),
                    "IMPORT_SLICE_SECONDS" => "600".to_string(),
                    "FORM_MIN_SECONDS" | "ANONYMOUS_PER_ADDRESS_PER_MINUTE" | "ANONYMOUS_PER_LINK_PER_MINUTE" | "JOB_SLICE_PAGES" => {
                        "3".to_string()
                    }
                    "PUBLIC_BASE_URL" => "http://127.0.0.1:3000/".to_string(),
                    "SALESFORCE_LOOPBACK_HTTP" => "false".to_string(),
                    "UPLOAD_RETENTION_DAYS" | "LOG_RETENTION_DAYS" => "30".to_string(),
                    "DEAD_LETTER_QUEUES" => "SendDeadLetterQueue=http://q/send-dlq AsyncFailureQueue=http://q/async".to_string(),
                    other => other.to_lowercase(),
                };
                (k.to_string(), v)
            })
            .collect()
    }

    #[test]
    fn reads_every_variable_and_trims_the_base_url() {
        let c = Config::from_map(&full()).unwrap();
        assert_eq!(c.core_table, "core_table");
        assert_eq!(c.ses_send_rate, 14);
        assert_eq!(c.public_base_url, "http://127.0.0.1:3000");
        assert_eq!(c.dead_letter_queues[1], ("AsyncFailureQueue".to_string(), "http://q/async".to_string()));
        assert_eq!(c.schedule_rules, ["schedule_rules"]);
    }

    #[test]
    fn refuses_a_dead_letter_queue_without_its_name() {
        let mut vars = full();
        vars.insert("DEAD_LETTER_QUEUES".into(), "http://q/send-dlq".into());
        assert!(matches!(Config::from_map(&vars), Err(ConfigError::Invalid { name: "DEAD_LETTER_QUEUES", .. })));
    }

    #[test]
    fn describes_every_variable_with_the_value_it_was_read_from() {
        let vars = full();
        let c = Config::from_map(&vars).unwrap();
        let described = c.described();
        assert_eq!(described.len(), Config::VARIABLES.len());
        for (name, value) in described {
            let given = vars[name].trim_end_matches('/');
            assert_eq!(value, given, "{name}");
        }
    }

    #[test]
    fn names_the_missing_variable() {
        for name in Config::VARIABLES {
            let mut vars = full();
            vars.remove(name);
            assert_eq!(Config::from_map(&vars), Err(ConfigError::Missing(name)));
        }
    }

    #[test]
    fn refuses_a_zero_send_rate_and_a_relative_url() {
        let mut vars = full();
        vars.insert("SES_SEND_RATE".into(), "0".into());
        assert!(matches!(Config::from_map(&vars), Err(ConfigError::Invalid { name: "SES_SEND_RATE", .. })));
        let mut vars = full();
        vars.insert("PUBLIC_BASE_URL".into(), "surveys.example.com".into());
        assert!(matches!(Config::from_map(&vars), Err(ConfigError::Invalid { name: "PUBLIC_BASE_URL", .. })));
    }

    #[test]
    fn an_empty_base_url_waits_for_the_stacks_parameter_which_is_checked_alike() {
        let mut vars = full();
        vars.insert("PUBLIC_BASE_URL".into(), "".into());
        let mut c = Config::from_map(&vars).unwrap();
        assert_eq!(c.public_base_url, "");
        assert_eq!(c.public_base_url_parameter, "public_base_url_parameter");
        assert!(matches!(c.set_public_base_url("abc.execute-api"), Err(ConfigError::Invalid { name: "PUBLIC_BASE_URL_PARAMETER", .. })));
        c.set_public_base_url("https://abc.execute-api.eu-north-1.amazonaws.com/").unwrap();
        assert_eq!(c.public_base_url, "https://abc.execute-api.eu-north-1.amazonaws.com");
    }
}
