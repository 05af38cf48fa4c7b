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

    /// The link of a contact's invitation in a distribution: its token and
    /// the link to keep, the same for every attempt
    /// ([`crate::domain::guard::invitation_token`]).
    pub async fn invitation_link(
        &self,
        project_id: &str,
        distribution_id: &str,
        email_key: &str,
        kind: LinkKind,
        created_at: &str,
    ) -> Result<(String, Link)> {
        use crate::domain::guard::{invitation_token, LINK_KEY};
        let key = self.aws.secret(LINK_KEY).await?;
        let token = invitation_token(key.as_slice(), distribution_id, email_key);
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

/// How long before an invocation's deadline [`while_throttled`] stops
/// waiting: the time the work itself may still need.
const THROTTLE_MARGIN_MS: u64 = 5_000;

/// Does `work` again while it fails only because DynamoDB throttled it (a
/// partition kept full by others, such as the page views of a popular
/// survey on its project's item), waiting with exponential backoff and
/// full jitter for as long as the invocation's deadline (`deadline_ms`,
/// the Unix-epoch milliseconds Lambda gives) leaves a margin. Any other
/// outcome, or the throttling there is no time left to wait out, is
/// returned as it came. `work` must be safe to repeat.
pub async fn while_throttled<T, F, Fut>(deadline_ms: u64, mut work: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut attempt: u32 = 0;
    loop {
        match work().await {
            Err(e) if e.is_throttled() => {
                let pause = 50 + fastrand::u64(0..=(100u64 << attempt.min(5)));
                if crate::clock::now_ms() + pause + THROTTLE_MARGIN_MS >= deadline_ms {
                    return Err(e);
                }
                attempt += 1;
                tracing::warn!(attempt, pause_ms = pause, "throttled; waiting to try again");
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
            }
            outcome => return outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn throttled() -> crate::Error {
        crate::Error::Aws { operation: "GetItem", source: "ThrottlingException: the partition is busy".into() }
    }

    #[tokio::test]
    async fn throttled_work_is_done_again_until_it_succeeds_while_the_deadline_allows() {
        let calls = AtomicU32::new(0);
        let outcome = while_throttled(crate::clock::now_ms() + 60_000, || async {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0..=2 => Err(throttled()),
                n => Ok(n),
            }
        })
        .await;
        assert_eq!(outcome.unwrap(), 3, "three throttled attempts, then the fourth succeeded");
    }

    #[tokio::test]
    async fn throttling_without_time_left_and_other_errors_are_returned_at_once() {
        let calls = AtomicU32::new(0);
        let near = crate::clock::now_ms() + THROTTLE_MARGIN_MS;
        let outcome: Result<()> = while_throttled(near, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(throttled())
        })
        .await;
        assert!(outcome.unwrap_err().is_throttled());
        assert_eq!(calls.load(Ordering::SeqCst), 1, "no time left to wait: tried once");

        let calls = AtomicU32::new(0);
        let outcome: Result<()> = while_throttled(crate::clock::now_ms() + 60_000, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(crate::Error::bad_request("not throttling"))
        })
        .await;
        assert_eq!(outcome.unwrap_err().code(), "bad_request");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "only throttling is waited out");
    }
}
