//! What a handler is given: the configuration and the AWS clients, built once
//! per process (outside the handler) and reused across invocations.

use crate::{store::Aws, Config, Result};

/// The handler's world.
#[derive(Clone, Debug)]
pub struct App {
    pub config: Config,
    pub aws: Aws,
}

impl App {
    /// From configuration and one SDK config (Lambda: the default chain;
    /// local stack and tests: the emulator's endpoint).
    pub fn new(config: Config, sdk: &aws_config::SdkConfig) -> Self {
        App { aws: Aws::new(sdk), config }
    }

    /// Lambda start-up: configuration from the environment, AWS from the
    /// default provider chain (`AWS_ENDPOINT_URL` is honoured by the SDK).
    pub async fn from_env() -> Result<Self> {
        let config = Config::from_env()?;
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Ok(App::new(config, &sdk))
    }
}
