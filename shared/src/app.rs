//! What a handler is given: the configuration and the AWS clients, built once
//! per process (outside the handler) and reused across invocations.

use crate::{clock::Clock, store::Aws, Config, Result};

/// The handler's world.
#[derive(Clone, Debug)]
pub struct App {
    pub config: Config,
    pub aws: Aws,
    /// "Now" for scheduling decisions (send times, reminders, triggers).
    pub clock: Clock,
}

impl App {
    /// From configuration and one SDK config (Lambda: the default chain;
    /// local stack and tests: the emulator's endpoint).
    pub fn new(config: Config, sdk: &aws_config::SdkConfig) -> Self {
        App { aws: Aws::new(sdk, config.clone()), config, clock: Clock::default() }
    }

    /// The same, reading time from `clock` (the local stack shares one
    /// clock among its functions).
    pub fn with_clock(config: Config, sdk: &aws_config::SdkConfig, clock: Clock) -> Self {
        App { aws: Aws::new(sdk, config.clone()), config, clock }
    }

    /// Lambda start-up: configuration from the environment, AWS from the
    /// default provider chain (`AWS_ENDPOINT_URL` is honoured by the SDK).
    pub async fn from_env() -> Result<Self> {
        let config = Config::from_env()?;
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Ok(App::new(config, &sdk))
    }
}
