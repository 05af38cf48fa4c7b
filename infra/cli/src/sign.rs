//! SigV4 for the admin API (API Gateway's IAM authorisation, service
//! `execute-api`): the headers to add to a request, computed by `aws-sigv4`.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

/// Who signs, where, for which service.
pub struct Signer<'a> {
    pub credentials: &'a Credentials,
    pub region: &'a str,
    pub service: &'a str,
}

impl Signer<'_> {
    /// The headers (`authorization`, `x-amz-date`, `x-amz-security-token`
    /// when the credentials have a session) that sign this request.
    pub fn headers(
        &self,
        time: SystemTime,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, String> {
        let identity = self.credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| format!("cannot sign the request to {url}: {e}"))?
            .into();
        let signable = SignableRequest::new(method, url, headers.iter().copied(), SignableBody::Bytes(body))
            .map_err(|e| format!("cannot sign the request to {url}: {e}"))?;
        let (instructions, _) = sign(signable, &params).map_err(|e| format!("cannot sign the request to {url}: {e}"))?.into_parts();
        Ok(instructions.headers().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's published SigV4 test suite, case `get-vanilla`: GET / on
    /// example.amazonaws.com, AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1,
    /// service "service".
    #[test]
    fn signs_the_get_vanilla_test_vector() {
        let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "test-vector");
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160); // 20150830T123600Z
        let signer = Signer { credentials: &credentials, region: "us-east-1", service: "service" };
        let headers =
            signer.headers(time, "GET", "https://example.amazonaws.com/", &[("host", "example.amazonaws.com")], b"").expect("signed");
        let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(get("x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            get("authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
        assert_eq!(get("x-amz-security-token"), None);
    }

    /// A session token is sent (and signed) with temporary credentials; a
    /// body changes the signature.
    #[test]
    fn signs_the_body_and_the_session_token() {
        let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Some("SESSION".into()), None, "t");
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160);
        let sign_body = |body: &[u8]| {
            Signer { credentials: &credentials, region: "eu-west-1", service: "execute-api" }
                .headers(time, "POST", "https://abc.execute-api.eu-west-1.amazonaws.com/admin/projects", &[], body)
                .expect("signed")
        };
        let (a, b) = (sign_body(b"{}"), sign_body(b"{\"x\":1}"));
        let auth = |h: &[(String, String)]| h.iter().find(|(k, _)| k == "authorization").map(|(_, v)| v.clone()).expect("authorization");
        assert_ne!(auth(&a), auth(&b));
        assert!(auth(&a).contains("/eu-west-1/execute-api/aws4_request"), "{}", auth(&a));
        assert!(a.iter().any(|(k, v)| k == "x-amz-security-token" && v == "SESSION"));
    }
}
