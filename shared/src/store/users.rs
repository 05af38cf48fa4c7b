//! The console's operators in Cognito: signing in (with the first-sign-in
//! password change and TOTP), refreshing, signing out, forgotten passwords,
//! checking ID tokens against the pool's published keys, and the user
//! management of admins.
//!
//! The keys (JWKS) are fetched from `<Cognito endpoint>/<pool id>/.well-known/jwks.json`
//! (the endpoint the SDK uses: AWS's, or the emulator's when
//! `AWS_ENDPOINT_URL` points there), kept for the life of the warm Lambda,
//! and fetched again, at most once a minute, when a token names a key the
//! set does not hold (key rotation).

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType, AuthenticationResultType, ChallengeNameType};
use aws_sdk_cognitoidentityprovider::Client;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use tokio::sync::RwLock;

use crate::domain::access::Role;
use crate::domain::session::{identity, Expected, IdClaims, Identity, TokenProblem};
use crate::Error;

/// The tokens of a signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub id: String,
    pub access: String,
    /// Given at sign-in; a refresh keeps the one the session has.
    pub refresh: Option<String>,
}

/// Where a sign-in step leaves the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in.
    Done(Tokens),
    /// First sign-in with a temporary password: a new password is needed.
    NewPassword { session: String },
    /// TOTP MFA is on: the code from the authenticator app is needed.
    Totp { session: String },
}

/// Why a sign-in step was refused, in terms the page explains.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("the user is disabled")]
    Disabled,
    #[error("the password does not meet the policy: {0}")]
    WeakPassword(String),
    #[error("the code is wrong")]
    WrongCode,
    #[error("the code has expired")]
    ExpiredCode,
    #[error("too many attempts; wait a few minutes")]
    TooManyAttempts,
    #[error("the password must be reset first")]
    ResetRequired,
    #[error("the sign-in took too long; start again")]
    SessionExpired,
    #[error(transparent)]
    Other(#[from] Error),
}

/// A console user as an admin sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub username: String,
    pub email: String,
    pub enabled: bool,
    /// Cognito's status: `FORCE_CHANGE_PASSWORD` until the first sign-in, then `CONFIRMED`.
    pub status: String,
    pub role: Option<Role>,
}

/// The pool's signing keys as last fetched.
#[derive(Debug, Default)]
struct Keys {
    set: Option<Arc<JwkSet>>,
    fetched: Option<Instant>,
}

/// Cognito for the console (see the module doc).
#[derive(Clone, Debug)]
pub struct Operators {
    client: Client,
    pool_id: String,
    client_id: String,
    expected: Expected,
    jwks_url: String,
    keys: Arc<RwLock<Keys>>,
}

fn cognito_error<E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static>(
    operation: &'static str,
) -> impl FnOnce(aws_sdk_cognitoidentityprovider::error::SdkError<E>) -> AuthError {
    move |e| {
        let code = e.as_service_error().and_then(|s| s.code()).unwrap_or_default().to_string();
        let message = e.as_service_error().and_then(|s| s.message()).unwrap_or_default().to_string();
        match code.as_str() {
            "NotAuthorizedException" if message.to_lowercase().contains("disabled") => AuthError::Disabled,
            "NotAuthorizedException"
                if message.to_lowercase().contains("session") || message.to_lowercase().contains("invalid session") =>
            {
                AuthError::SessionExpired
            }
            "NotAuthorizedException" | "UserNotFoundException" => AuthError::WrongCredentials,
            "InvalidPasswordException" => AuthError::WeakPassword(message),
            "CodeMismatchException" | "EnableSoftwareTokenMFAException" => AuthError::WrongCode,
            "ExpiredCodeException" => AuthError::ExpiredCode,
            "LimitExceededException" | "TooManyRequestsException" | "TooManyFailedAttemptsException" => AuthError::TooManyAttempts,
            "PasswordResetRequiredException" => AuthError::ResetRequired,
            _ => AuthError::Other(Error::Aws { operation, source: Box::new(e) }),
        }
    }
}

/// An administrative call's error; a user who does not exist is a 404
/// naming them, not an AWS failure.
fn user_error<'a, E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static>(
    operation: &'static str,
    username: &'a str,
) -> impl FnOnce(aws_sdk_cognitoidentityprovider::error::SdkError<E>) -> Error + 'a {
    move |e| match e.as_service_error().and_then(|s| s.code()) {
        Some("UserNotFoundException") => Error::NotFound { what: format!("console user {username}") },
        _ => Error::aws(operation)(e),
    }
}

fn tokens(result: Option<AuthenticationResultType>) -> Result<Tokens, AuthError> {
    let r = result.ok_or_else(|| AuthError::Other(Error::bad_request("Cognito answered without tokens")))?;
    Ok(Tokens { id: r.id_token.unwrap_or_default(), access: r.access_token.unwrap_or_default(), refresh: r.refresh_token })
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

impl Operators {
    /// For the pool and client `config` names, through `cognito` (built from `sdk`).
    pub fn new(cognito: Client, config: &crate::Config, sdk: &aws_config::SdkConfig) -> Self {
        let region = sdk.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".to_string());
        let endpoint = sdk.endpoint_url().map(|u| u.trim_end_matches('/').to_string());
        let endpoint = endpoint.unwrap_or_else(|| format!("https://cognito-idp.{region}.amazonaws.com"));
        Operators {
            client: cognito,
            pool_id: config.user_pool_id.clone(),
            client_id: config.user_pool_client_id.clone(),
            expected: Expected::new(&region, &config.user_pool_id, &config.user_pool_client_id),
            jwks_url: format!("{endpoint}/{}/.well-known/jwks.json", config.user_pool_id),
            keys: Arc::default(),
        }
    }

    fn step(
        &self,
        challenge: Option<ChallengeNameType>,
        session: Option<String>,
        result: Option<AuthenticationResultType>,
    ) -> Result<SignIn, AuthError> {
        let session = session.unwrap_or_default();
        match challenge {
            None => Ok(SignIn::Done(tokens(result)?)),
            Some(ChallengeNameType::NewPasswordRequired) => Ok(SignIn::NewPassword { session }),
            Some(ChallengeNameType::SoftwareTokenMfa) => Ok(SignIn::Totp { session }),
            Some(other) => {
                Err(AuthError::Other(Error::bad_request(format!("the sign-in asks for {other:?}, which the console does not offer"))))
            }
        }
    }

    /// Email and password.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignIn, AuthError> {
        let out = self
            .client
            .initiate_auth()
            .client_id(&self.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", email)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .map_err(cognito_error("InitiateAuth"))?;
        self.step(out.challenge_name, out.session, out.authentication_result)
    }

    /// The new password of a first sign-in.
    pub async fn new_password(&self, email: &str, session: &str, password: &str) -> Result<SignIn, AuthError> {
        let out = self
            .client
            .respond_to_auth_challenge()
            .client_id(&self.client_id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .session(session)
            .challenge_responses("USERNAME", email)
            .challenge_responses("NEW_PASSWORD", password)
            .send()
            .await
            .map_err(cognito_error("RespondToAuthChallenge"))?;
        self.step(out.challenge_name, out.session, out.authentication_result)
    }

    /// The code of the user's authenticator app.
    pub async fn totp(&self, email: &str, session: &str, code: &str) -> Result<SignIn, AuthError> {
        let out = self
            .client
            .respond_to_auth_challenge()
            .client_id(&self.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .challenge_responses("USERNAME", email)
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
            .await
            .map_err(cognito_error("RespondToAuthChallenge"))?;
        self.step(out.challenge_name, out.session, out.authentication_result)
    }

    /// Fresh ID and access tokens for a session's refresh token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, AuthError> {
        let out = self
            .client
            .initiate_auth()
            .client_id(&self.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token)
            .send()
            .await
            .map_err(cognito_error("InitiateAuth"))?;
        tokens(out.authentication_result)
    }

    /// Ends every session of the user (their refresh tokens stop working).
    pub async fn sign_out(&self, access_token: &str) -> Result<(), AuthError> {
        self.client.global_sign_out().access_token(access_token).send().await.map_err(cognito_error("GlobalSignOut"))?;
        Ok(())
    }

    /// Emails a code to reset the password (silently nothing for an unknown address).
    pub async fn forgot_password(&self, email: &str) -> Result<(), AuthError> {
        match self.client.forgot_password().client_id(&self.client_id).username(email).send().await.map_err(cognito_error("ForgotPassword"))
        {
            Ok(_) | Err(AuthError::WrongCredentials) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Sets a new password with the emailed code.
    pub async fn reset_password(&self, email: &str, code: &str, password: &str) -> Result<(), AuthError> {
        self.client
            .confirm_forgot_password()
            .client_id(&self.client_id)
            .username(email)
            .confirmation_code(code)
            .password(password)
            .send()
            .await
            .map_err(cognito_error("ConfirmForgotPassword"))?;
        Ok(())
    }

    /// Who an ID token stands for, or why it is refused: the signature
    /// against the pool's keys (RS256 only), then issuer, client, use and expiry.
    pub async fn verify(&self, token: &str) -> Result<Identity, TokenProblem> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenProblem::Malformed)?;
        if header.alg != Algorithm::RS256 {
            return Err(TokenProblem::BadSignature);
        }
        let kid = header.kid.ok_or(TokenProblem::UnknownKey)?;
        let jwk = self.key(&kid).await?;
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| TokenProblem::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::RS256);
        // the claims are judged by the domain rule below, the signature here
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let data = jsonwebtoken::decode::<IdClaims>(token, &key, &validation).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => TokenProblem::BadSignature,
            _ => TokenProblem::Malformed,
        })?;
        identity(data.claims, &self.expected, now_secs())
    }

    /// The key `kid` of the pool, fetching the set when it is not known yet.
    async fn key(&self, kid: &str) -> Result<jsonwebtoken::jwk::Jwk, TokenProblem> {
        {
            let keys = self.keys.read().await;
            if let Some(k) = keys.set.as_ref().and_then(|s| s.find(kid)) {
                return Ok(k.clone());
            }
            if keys.fetched.is_some_and(|t| t.elapsed() < Duration::from_secs(60)) {
                return Err(TokenProblem::UnknownKey);
            }
        }
        let mut keys = self.keys.write().await;
        if keys.fetched.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
            keys.fetched = Some(Instant::now());
            match fetch_jwks(&self.jwks_url).await {
                Ok(set) => keys.set = Some(Arc::new(set)),
                Err(e) => {
                    tracing::error!(error = %crate::error::chain(&e), url = %self.jwks_url, "the user pool's keys could not be fetched")
                }
            }
        }
        keys.set.as_ref().and_then(|s| s.find(kid)).cloned().ok_or(TokenProblem::UnknownKey)
    }

    /// Every console user with their role.
    pub async fn list(&self) -> Result<Vec<Operator>, Error> {
        let mut users = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .list_users()
                .user_pool_id(&self.pool_id)
                .set_pagination_token(token)
                .send()
                .await
                .map_err(Error::aws("ListUsers"))?;
            for u in out.users.unwrap_or_default() {
                let username = u.username.unwrap_or_default();
                let email =
                    u.attributes.unwrap_or_default().into_iter().find(|a| a.name == "email").and_then(|a| a.value).unwrap_or_default();
                users.push(Operator {
                    role: self.role_of(&username).await?,
                    email,
                    enabled: u.enabled,
                    status: u.user_status.map(|s| s.as_str().to_string()).unwrap_or_default(),
                    username,
                });
            }
            token = out.pagination_token;
            if token.is_none() {
                break;
            }
        }
        users.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(users)
    }

    async fn role_of(&self, username: &str) -> Result<Option<Role>, Error> {
        let out = self
            .client
            .admin_list_groups_for_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .map_err(Error::aws("AdminListGroupsForUser"))?;
        Ok(Role::strongest(out.groups.unwrap_or_default().iter().filter_map(|g| g.group_name.as_deref())))
    }

    /// Creates a user; Cognito emails them a temporary password.
    pub async fn invite(&self, email: &str, role: Role) -> Result<(), Error> {
        let attr = |n: &str, v: &str| AttributeType::builder().name(n).value(v).build().map_err(Error::aws("AdminCreateUser"));
        let out = self
            .client
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(email)
            .user_attributes(attr("email", email)?)
            .user_attributes(attr("email_verified", "true")?)
            .send()
            .await;
        if let Err(e) = out {
            if e.as_service_error().and_then(|s| s.code()) == Some("UsernameExistsException") {
                return Err(Error::Conflict(format!("{email} already has a console account")));
            }
            return Err(Error::aws("AdminCreateUser")(e));
        }
        self.set_role(email, role).await
    }

    /// Gives a user exactly one role group.
    pub async fn set_role(&self, username: &str, role: Role) -> Result<(), Error> {
        for r in Role::ALL {
            if r == role {
                continue;
            }
            self.client
                .admin_remove_user_from_group()
                .user_pool_id(&self.pool_id)
                .username(username)
                .group_name(r.as_str())
                .send()
                .await
                .map_err(user_error("AdminRemoveUserFromGroup", username))?;
        }
        self.client
            .admin_add_user_to_group()
            .user_pool_id(&self.pool_id)
            .username(username)
            .group_name(role.as_str())
            .send()
            .await
            .map_err(user_error("AdminAddUserToGroup", username))?;
        Ok(())
    }

    /// Disables (no sign-in, sessions ended) or enables a user.
    pub async fn set_enabled(&self, username: &str, enabled: bool) -> Result<(), Error> {
        if enabled {
            self.client
                .admin_enable_user()
                .user_pool_id(&self.pool_id)
                .username(username)
                .send()
                .await
                .map_err(user_error("AdminEnableUser", username))?;
        } else {
            self.client
                .admin_disable_user()
                .user_pool_id(&self.pool_id)
                .username(username)
                .send()
                .await
                .map_err(user_error("AdminDisableUser", username))?;
            self.client
                .admin_user_global_sign_out()
                .user_pool_id(&self.pool_id)
                .username(username)
                .send()
                .await
                .map_err(user_error("AdminUserGlobalSignOut", username))?;
        }
        Ok(())
    }
}

/// The key set at `url` (http or https), within five seconds.
async fn fetch_jwks(url: &str) -> Result<JwkSet, Error> {
    use http_body_util::BodyExt;
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| Error::Aws { operation: "fetching the user pool's JWKS", source: e };
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
        .map_err(|e| failed(e.into()))?
        .https_or_http()
        .enable_http1()
        .build();
    let client: hyper_util::client::legacy::Client<_, http_body_util::Empty<bytes::Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https);
    let uri: http::Uri = url.parse().map_err(|e: http::uri::InvalidUri| failed(e.into()))?;
    let fetch = async {
        let response = client.get(uri).await.map_err(|e| failed(e.into()))?;
        if !response.status().is_success() {
            return Err(failed(format!("HTTP {}", response.status()).into()));
        }
        let body = response.into_body().collect().await.map_err(|e| failed(e.into()))?.to_bytes();
        serde_json::from_slice::<JwkSet>(&body).map_err(|e| failed(e.into()))
    };
    tokio::time::timeout(Duration::from_secs(5), fetch).await.map_err(|e| failed(e.into()))?
}
