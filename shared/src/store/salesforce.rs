//! The Salesforce REST client of the B2B sync: a token from the org's
//! token endpoint (`/services/oauth2/token`, client credentials or JWT
//! bearer), then `GET /services/data/<version>/queryAll?q=<SOQL>` following
//! `nextRecordsUrl` page by page. What an answer means is decided by
//! `domain::b2b::salesforce::refusal`; this adapter only acts on it: an
//! expired session gets one new token, a busy org or an exceeded limit a
//! few tries with backoff, anything else ends the fetch with Salesforce's
//! words. Nothing here logs a record, a token or a secret.
//!
//! It speaks HTTP through the hyper + rustls stack the AWS SDK already
//! brings (as the user pool's JWKS fetch does): no second HTTP client in
//! the Lambda.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::Value;

use crate::domain::b2b::salesforce::{refusal, token_refusal, Auth, Refusal, SalesforceSecret, SalesforceSettings};

/// Tries of one request while Salesforce is busy or over its limit.
pub const TRIES: u32 = 4;

/// The longest a request may take before it counts as a failed try.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a fetch ended without its records. Each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SalesforceError {
    #[error("{0}")]
    Credentials(String),
    #[error("the field {field} does not exist on {object} in the Salesforce org (INVALID_FIELD): correct salesforce.fields in the sync's settings or add the field to the org; nothing was loaded")]
    NoSuchField { field: String, object: String },
    #[error("Salesforce was still unavailable after {tries} tries ({last}); nothing was loaded, the next run asks again")]
    Unavailable { tries: u32, last: String },
    #[error("Salesforce refused the {object} query: {message}; nothing was loaded")]
    Refused { object: String, message: String },
    #[error("Salesforce's session expired again right after a new token; nothing was loaded")]
    SessionLost,
    #[error("Salesforce answered the {object} query with something that is not a query result ({problem}); nothing was loaded")]
    Malformed { object: String, problem: String },
}

type Client =
    hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>, Full<Bytes>>;

/// A signed-in connection to one org, with what it did (for the run).
pub struct Salesforce {
    client: Client,
    base: String,
    settings: SalesforceSettings,
    secret: SalesforceSecret,
    token: Option<String>,
    /// The pause before the first retry (doubling after).
    backoff: Duration,
    /// Tokens fetched.
    pub tokens: u64,
    /// Requests tried again.
    pub retries: u64,
}

/// An answer: status and body.
struct Answer {
    status: u16,
    body: Bytes,
}

impl Salesforce {
    /// A client for the org of `settings`, signing in with `secret`.
    pub fn new(settings: SalesforceSettings, secret: SalesforceSecret) -> Result<Self, SalesforceError> {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
            .map_err(|e| SalesforceError::Credentials(format!("no TLS roots to reach Salesforce with: {e}")))?
            .https_or_http()
            .enable_http1()
            .build();
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https);
        let base = settings.instance_url.trim_end_matches('/').to_string();
        Ok(Salesforce { client, base, settings, secret, token: None, backoff: Duration::from_millis(500), tokens: 0, retries: 0 })
    }

    /// Sets the pause before the first retry (the tests' stand-in answers at once).
    pub fn with_backoff(mut self, first: Duration) -> Self {
        self.backoff = first;
        self
    }

    async fn send(&self, req: http::Request<Full<Bytes>>) -> Result<Answer, String> {
        let fetch = async {
            let response = self.client.request(req).await.map_err(|e| format!("could not reach the org: {}", crate::error::chain(&e)))?;
            let status = response.status().as_u16();
            let body = response.into_body().collect().await.map_err(|e| format!("the answer broke off: {e}"))?.to_bytes();
            Ok(Answer { status, body })
        };
        tokio::time::timeout(REQUEST_TIMEOUT, fetch).await.map_err(|_| "no answer within a minute".to_string())?
    }

    /// Sends a request again while Salesforce is busy (`retry` says which
    /// answers are worth another try), with doubling pauses.
    async fn with_retries(
        &mut self,
        make: impl Fn() -> Result<http::Request<Full<Bytes>>, String>,
        retry: impl Fn(&Answer) -> Option<String>,
    ) -> Result<Answer, SalesforceError> {
        let mut pause = self.backoff;
        let mut last = String::new();
        for attempt in 1..=TRIES {
            if attempt > 1 {
                self.retries += 1;
                tokio::time::sleep(pause + Duration::from_millis(fastrand::u64(0..=pause.as_millis() as u64 / 4))).await;
                pause *= 2;
            }
            let req = make().map_err(SalesforceError::Credentials)?;
            match self.send(req).await {
                Ok(answer) => match retry(&answer) {
                    Some(why) => last = why,
                    None => return Ok(answer),
                },
                Err(network) => last = network,
            }
        }
        Err(SalesforceError::Unavailable { tries: TRIES, last })
    }

    /// A new access token from the token endpoint.
    async fn sign_in(&mut self) -> Result<(), SalesforceError> {
        let url = format!("{}/services/oauth2/token", self.base);
        let form = self.grant()?;
        let answer = self
            .with_retries(
                || {
                    http::Request::post(&url)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header("accept", "application/json")
                        .body(Full::new(Bytes::from(form.clone())))
                        .map_err(|e| e.to_string())
                },
                |a| matches!(a.status, 429 | 502 | 503 | 504).then(|| format!("HTTP {} from the token endpoint", a.status)),
            )
            .await?;
        self.tokens += 1;
        if answer.status != 200 {
            return Err(SalesforceError::Credentials(token_refusal(answer.status, &String::from_utf8_lossy(&answer.body))));
        }
        let v: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        let token = v["access_token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| SalesforceError::Credentials("Salesforce's token endpoint answered without an access token".to_string()))?;
        self.token = Some(token.to_string());
        Ok(())
    }

    /// The token request's form for the configured flow.
    fn grant(&self) -> Result<String, SalesforceError> {
        let mut form = form_urlencoded::Serializer::new(String::new());
        match &self.settings.auth {
            Auth::ClientCredentials => {
                let secret = self.secret.client_secret.as_deref().ok_or_else(|| {
                    SalesforceError::Credentials("the stored secret has no consumer secret for the client credentials flow".into())
                })?;
                form.append_pair("grant_type", "client_credentials")
                    .append_pair("client_id", &self.secret.client_id)
                    .append_pair("client_secret", secret);
            }
            Auth::JwtBearer { username } => {
                let assertion = self.assertion(username)?;
                form.append_pair("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer").append_pair("assertion", &assertion);
            }
        }
        Ok(form.finish())
    }

    /// The JWT bearer flow's RS256 assertion (valid three minutes).
    fn assertion(&self, username: &str) -> Result<String, SalesforceError> {
        let pem = self
            .secret
            .private_key
            .as_deref()
            .ok_or_else(|| SalesforceError::Credentials("the stored secret has no private key for the JWT bearer flow".into()))?;
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes())
            .map_err(|_| SalesforceError::Credentials("the stored private key is not an RSA key in PEM form".into()))?;
        let audience = if self.base.contains(".sandbox.") { "https://test.salesforce.com" } else { "https://login.salesforce.com" };
        let exp = crate::clock::now_ms() / 1000 + 180;
        let claims = serde_json::json!({ "iss": self.secret.client_id, "sub": username, "aud": audience, "exp": exp });
        jsonwebtoken::encode(&jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256), &claims, &key)
            .map_err(|_| SalesforceError::Credentials("the assertion could not be signed with the stored private key".into()))
    }

    /// A GET of the REST API with the session; an expired session gets one
    /// new token.
    async fn get(&mut self, object: &str, path_and_query: &str) -> Result<Value, SalesforceError> {
        let url = format!("{}{path_and_query}", self.base);
        let mut renewed = false;
        loop {
            if self.token.is_none() {
                self.sign_in().await?;
            }
            let token = self.token.clone().unwrap_or_default();
            let answer = self
                .with_retries(
                    || {
                        http::Request::get(&url)
                            .header("authorization", format!("Bearer {token}"))
                            .header("accept", "application/json")
                            .body(Full::new(Bytes::new()))
                            .map_err(|e| e.to_string())
                    },
                    |a| match refusal(a.status, &String::from_utf8_lossy(&a.body)) {
                        Refusal::Retry(why) if a.status != 200 => Some(why),
                        _ => None,
                    },
                )
                .await?;
            if answer.status == 200 {
                return serde_json::from_slice(&answer.body)
                    .map_err(|e| SalesforceError::Malformed { object: object.to_string(), problem: e.to_string() });
            }
            match refusal(answer.status, &String::from_utf8_lossy(&answer.body)) {
                Refusal::ExpiredSession if !renewed => {
                    tracing::info!(object, "Salesforce session expired; signing in again");
                    renewed = true;
                    self.token = None;
                }
                Refusal::ExpiredSession => return Err(SalesforceError::SessionLost),
                Refusal::NoSuchField { field, object } => return Err(SalesforceError::NoSuchField { field, object }),
                Refusal::Retry(last) => return Err(SalesforceError::Unavailable { tries: TRIES, last }),
                Refusal::Fail(message) => return Err(SalesforceError::Refused { object: object.to_string(), message }),
            }
        }
    }

    /// Runs `soql` through `queryAll` (deleted rows included), handing each
    /// record to `each` page by page; returns the pages read.
    pub async fn query_all(&mut self, object: &str, soql: &str, mut each: impl FnMut(&Value)) -> Result<u64, SalesforceError> {
        let q: String = form_urlencoded::byte_serialize(soql.as_bytes()).collect();
        let mut path = format!("/services/data/{}/queryAll?q={q}", self.settings.api_version);
        let mut pages = 0;
        loop {
            let page = self.get(object, &path).await?;
            pages += 1;
            let malformed = |problem: &str| SalesforceError::Malformed { object: object.to_string(), problem: problem.to_string() };
            let records = page["records"].as_array().ok_or_else(|| malformed("no records"))?;
            records.iter().for_each(&mut each);
            if page["done"].as_bool().unwrap_or(true) {
                return Ok(pages);
            }
            let next = page["nextRecordsUrl"].as_str().ok_or_else(|| malformed("done is false without a nextRecordsUrl"))?;
            // the next page is on the same org's REST API, nowhere else
            if !next.starts_with("/services/data/") || next.contains("://") {
                return Err(malformed("a nextRecordsUrl outside the org's REST API"));
            }
            path = next.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key made for this test alone (`openssl genpkey -algorithm RSA`); it
    /// signs in nowhere.
    const PRIVATE: &str = include_str!("../../testdata/salesforce-test-only-key.pem");
    const PUBLIC: &str = include_str!("../../testdata/salesforce-test-only-key.pub.pem");

    fn client(instance_url: &str, auth: Auth, secret: SalesforceSecret) -> Salesforce {
        let settings =
            SalesforceSettings { instance_url: instance_url.into(), auth, api_version: "v62.0".into(), fields: Default::default() };
        Salesforce::new(settings, secret).unwrap()
    }

    #[test]
    fn the_jwt_bearer_assertion_is_rs256_signed_for_the_user_and_the_login_audience() {
        let secret = SalesforceSecret { client_id: "3MVG9key".into(), client_secret: None, private_key: Some(PRIVATE.into()) };
        let c = client("https://acme.my.salesforce.com", Auth::JwtBearer { username: "int@acme.example".into() }, secret.clone());
        let form = c.grant().unwrap();
        assert!(form.starts_with("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="), "{form}");
        let assertion = c.assertion("int@acme.example").unwrap();
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.set_audience(&["https://login.salesforce.com"]);
        let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC.as_bytes()).unwrap();
        let claims = jsonwebtoken::decode::<serde_json::Value>(&assertion, &key, &v).unwrap().claims;
        assert_eq!((claims["iss"].as_str(), claims["sub"].as_str()), (Some("3MVG9key"), Some("int@acme.example")));
        let exp = claims["exp"].as_u64().unwrap();
        let now = crate::clock::now_ms() / 1000;
        assert!(exp > now && exp <= now + 180, "valid three minutes at most");
        let sandbox = client("https://acme--uat.sandbox.my.salesforce.com", Auth::JwtBearer { username: "u@x".into() }, secret);
        let a = sandbox.assertion("u@x").unwrap();
        v.set_audience(&["https://test.salesforce.com"]);
        assert!(jsonwebtoken::decode::<serde_json::Value>(&a, &key, &v).is_ok(), "a sandbox signs in at test.salesforce.com");
    }

    #[test]
    fn a_grant_without_what_its_flow_needs_is_a_clear_credentials_error() {
        let key_only = SalesforceSecret {
            client_id: "k".into(),
            client_secret: None,
            private_key: Some("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----".into()),
        };
        let c = client("https://acme.my.salesforce.com", Auth::ClientCredentials, key_only.clone());
        assert!(matches!(c.grant(), Err(SalesforceError::Credentials(m)) if m.contains("no consumer secret")));
        let c = client("https://acme.my.salesforce.com", Auth::JwtBearer { username: "u@x".into() }, key_only);
        assert!(matches!(c.grant(), Err(SalesforceError::Credentials(m)) if m.contains("not an RSA key")));
        let both = SalesforceSecret { client_id: "k&=".into(), client_secret: Some("s p+".into()), private_key: None };
        let c = client("https://acme.my.salesforce.com", Auth::ClientCredentials, both);
        assert_eq!(c.grant().unwrap(), "grant_type=client_credentials&client_id=k%26%3D&client_secret=s+p%2B", "form-encoded");
    }
}
