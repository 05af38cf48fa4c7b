//! What a handler is given: the configuration, the store (the ports, built
//! once per process outside the handler and reused across invocations) and
//! the clock.

use crate::domain::links::{new_token, Link, LinkKind};
use crate::domain::project::Project;
use crate::domain::report::record::{share_url, ReportRecord, ShareLink, LINK_DAYS};
use crate::{clock::Clock, store::Aws, Config, Result};

/// The handler's world. `S` is the store: the AWS adapter in Lambda and the
/// local stack, an in-memory double (`crate::memory`) in handler unit
/// tests. Handlers are generic over the ports they use.
#[derive(Clone, Debug)]
pub struct App<S = Aws> {
    pub config: Config,
    pub aws: S,
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
        let mut config = Config::from_env()?;
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        crate::store::parameters::resolve_public_base_url(&mut config, &sdk).await?;
        Ok(App::new(config, &sdk))
    }
}

#[cfg(feature = "testing")]
impl App<crate::memory::Memory> {
    /// A handler's world on the in-memory double, with a clock the test
    /// moves.
    pub fn in_memory(clock: Clock) -> Self {
        let store = crate::memory::Memory::for_tests();
        App { config: (*store.config).clone(), aws: store, clock }
    }
}

impl<S: crate::ports::Guard> App<S> {
    /// The id a link with `token` is kept under: the token's keyed hash, so
    /// that a copy of the tables opens nothing.
    pub async fn link_id(&self, token: &str) -> Result<String> {
        use crate::domain::guard::{token_hash, LINK_KEY};
        Ok(token_hash(self.aws.secret(LINK_KEY).await?.as_slice(), token))
    }

    /// Mints a survey link: its token (for the URL, the only place it is
    /// ever shown) and the link to keep, under the token's keyed hash.
    pub async fn mint_link(&self, project_id: &str, kind: LinkKind, created_at: &str) -> Result<(String, Link)> {
        let token = new_token();
        let link = Link { id: self.link_id(&token).await?, project_id: project_id.to_string(), kind, created_at: created_at.to_string() };
        Ok((token, link))
    }

    /// A new anonymous link for a project: its token, its link to keep and
    /// its token sealed (see [`Project::anonymous_sealed`]).
    pub async fn mint_anonymous_link(&self, project_id: &str, created_at: &str) -> Result<(String, Link, String)> {
        let (token, link) = self.mint_link(project_id, LinkKind::Anonymous, created_at).await?;
        let sealed = self.aws.seal(&token).await?;
        Ok((token, link, sealed))
    }

    /// The URL of a survey link's token.
    pub fn survey_url(&self, token: &str) -> String {
        format!("{}/s/{token}", self.config.public_base_url)
    }

    /// The URL of a project's anonymous link (its token unsealed).
    pub async fn anonymous_url(&self, p: &Project) -> Result<String> {
        Ok(self.survey_url(&self.aws.unseal(&p.anonymous_sealed).await?))
    }
}

impl<S: crate::ports::Links + crate::ports::Guard> App<S> {
    /// The link behind a token (from an email or a URL): found by its id,
    /// or moved there first if an earlier version kept it under the token
    /// in clear.
    pub async fn link_of_token(&self, token: &str) -> Result<Option<Link>> {
        let id = self.link_id(token).await?;
        if let Some(link) = self.aws.get_link(&id).await? {
            return Ok(Some(link));
        }
        if self.aws.rekey_link(token, &id).await? {
            return self.aws.get_link(&id).await;
        }
        Ok(None)
    }
}

impl<S: crate::ports::Reports + crate::ports::Guard> App<S> {
    /// Makes a share link of a report, valid [`LINK_DAYS`] days: its URL
    /// (the only place the token is ever shown) and its record, stored under
    /// the token's keyed hash so that a copy of the table opens nothing.
    pub async fn share_report(&self, r: &ReportRecord, label: &str) -> Result<(String, ShareLink)> {
        let token = new_token();
        let link = ShareLink {
            id: self.link_id(&token).await?,
            report_id: r.report_id.clone(),
            label: label.to_string(),
            created_at: self.clock.now(),
            expires_at: self.clock.now_ms() / 1000 + LINK_DAYS * 86_400,
        };
        self.aws.share_report(&r.project_id, &link).await?;
        Ok((share_url(&self.config.public_base_url, &token), link))
    }
}
