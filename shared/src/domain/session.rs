//! A console session: which Cognito ID tokens are accepted and who they
//! stand for, and the CSRF token of a session. Pure: the signature is
//! checked by the adapter (`store::users`) against the pool's keys; the
//! claims are judged here.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::access::Role;

/// The claims of a Cognito ID token that the console reads.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct IdClaims {
    pub iss: String,
    /// The app client the token was issued to.
    pub aud: String,
    /// `id` for an ID token, `access` for an access token.
    pub token_use: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(rename = "cognito:username", default)]
    pub username: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    pub groups: Vec<String>,
}

/// Who a valid token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The user's stable id.
    pub sub: String,
    /// The user name Cognito knows them by (for user management).
    pub username: String,
    /// The sign-in address.
    pub email: String,
    /// The strongest role among their groups; `None`: signed in, may do nothing.
    pub role: Option<Role>,
    /// When the token stops being accepted (seconds since the epoch).
    pub expires_at: u64,
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenProblem {
    #[error("the token is not a well-formed JWT")]
    Malformed,
    #[error("the token was signed by a key the user pool does not publish")]
    UnknownKey,
    #[error("the token's signature does not verify")]
    BadSignature,
    #[error("the token was issued by another user pool")]
    WrongIssuer,
    #[error("the token was issued to another app client")]
    WrongClient,
    #[error("the token is not an ID token")]
    WrongUse,
    #[error("the token has expired")]
    Expired,
}

/// What a token must say: the pool that issues tokens and the console's client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    pub issuer: String,
    pub client_id: String,
}

impl Expected {
    /// The issuer Cognito writes into the tokens of `pool_id` in `region`.
    pub fn new(region: &str, pool_id: &str, client_id: &str) -> Self {
        Expected { issuer: format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}"), client_id: client_id.to_string() }
    }
}

/// Judges the claims of a token whose signature verified: issuer, client,
/// use and expiry (`now` in seconds since the epoch; no leeway).
pub fn identity(claims: IdClaims, expected: &Expected, now: u64) -> Result<Identity, TokenProblem> {
    if claims.iss != expected.issuer {
        return Err(TokenProblem::WrongIssuer);
    }
    if claims.token_use != "id" {
        return Err(TokenProblem::WrongUse);
    }
    if claims.aud != expected.client_id {
        return Err(TokenProblem::WrongClient);
    }
    if claims.exp <= now {
        return Err(TokenProblem::Expired);
    }
    let role = Role::strongest(claims.groups.iter().map(String::as_str));
    let email = claims.email.clone().or_else(|| claims.username.clone()).unwrap_or_else(|| claims.sub.clone());
    Ok(Identity { username: claims.username.unwrap_or_else(|| claims.sub.clone()), sub: claims.sub, email, role, expires_at: claims.exp })
}

/// The CSRF token of a session: derived from the session's secret (the
/// refresh token, which only the HttpOnly cookie holds), so a page of
/// another site can neither read nor compute it, and it changes with every
/// sign-in.
pub fn csrf_token(session_secret: &str) -> String {
    let digest = Sha256::new().chain_update(b"pulse-console-csrf\0").chain_update(session_secret.as_bytes()).finalize();
    digest.iter().take(20).map(|b| format!("{b:02x}")).collect()
}

/// Whether `given` is the session's CSRF token (compared in constant time).
pub fn csrf_matches(given: &str, session_secret: &str) -> bool {
    let want = csrf_token(session_secret);
    given.len() == want.len() && given.bytes().zip(want.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// Where to go after signing in: a console path asked for, never another
/// site (`//evil.example`, `https://…`) or a path outside the console.
pub fn safe_return(path: Option<&str>) -> &str {
    match path {
        Some(p)
            if (p == "/console" || p.starts_with("/console/") || p.starts_with("/console?")) && !p.contains("//") && !p.contains('\\') =>
        {
            p
        }
        _ => "/console",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> IdClaims {
        IdClaims {
            iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool".into(),
            aud: "client".into(),
            token_use: "id".into(),
            exp: 2_000,
            sub: "u-1".into(),
            email: Some("ada@example.com".into()),
            username: Some("u-1".into()),
            groups: vec!["viewer".into(), "editor".into()],
        }
    }

    fn expected() -> Expected {
        Expected::new("eu-west-1", "eu-west-1_pool", "client")
    }

    #[test]
    fn a_current_id_token_of_the_pool_and_client_is_the_strongest_group_role() {
        let id = identity(claims(), &expected(), 1_999).unwrap();
        assert_eq!(id.role, Some(Role::Editor));
        assert_eq!(id.email, "ada@example.com");
        assert_eq!(id.expires_at, 2_000);
    }

    #[test]
    fn another_pool_another_client_an_access_token_and_an_expired_token_are_refused() {
        let mut c = claims();
        c.iss = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other".into();
        assert_eq!(identity(c, &expected(), 1_000), Err(TokenProblem::WrongIssuer));
        let mut c = claims();
        c.aud = "other".into();
        assert_eq!(identity(c, &expected(), 1_000), Err(TokenProblem::WrongClient));
        let mut c = claims();
        c.token_use = "access".into();
        assert_eq!(identity(c, &expected(), 1_000), Err(TokenProblem::WrongUse));
        assert_eq!(identity(claims(), &expected(), 2_000), Err(TokenProblem::Expired));
    }

    #[test]
    fn a_user_without_a_role_group_is_signed_in_with_no_role() {
        let mut c = claims();
        c.groups = vec!["staff".into()];
        assert_eq!(identity(c, &expected(), 1_000).unwrap().role, None);
    }

    #[test]
    fn the_csrf_token_belongs_to_its_session_only() {
        let t = csrf_token("refresh-a");
        assert_eq!(t.len(), 40);
        assert!(csrf_matches(&t, "refresh-a"));
        assert!(!csrf_matches(&t, "refresh-b"));
        assert!(!csrf_matches("", "refresh-a"));
        assert!(!csrf_matches(&t[..39], "refresh-a"));
    }

    #[test]
    fn only_console_paths_are_returned_to() {
        assert_eq!(safe_return(Some("/console/projects/p1")), "/console/projects/p1");
        assert_eq!(safe_return(Some("/console?lang=de")), "/console?lang=de");
        for bad in ["https://evil.example/", "//evil.example", "/console//evil.example", "/admin/projects", "/consolex", "/console\\x"] {
            assert_eq!(safe_return(Some(bad)), "/console", "{bad}");
        }
        assert_eq!(safe_return(None), "/console");
    }
}
