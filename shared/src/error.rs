//! The one error type of Pulse. Domain and store code return it; the HTTP
//! functions map it to a status and a JSON body in exactly one place
//! ([`crate::http::error_response`]); event functions decide from
//! [`Error::is_retryable`] whether a record is retried.

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong, in the terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request or file is malformed; `field` names where.
    #[error("{message}")]
    BadRequest { field: Option<String>, message: String },
    /// A thing that does not exist (or that the caller may not know exists).
    #[error("{what} not found")]
    NotFound { what: String },
    /// The path exists but not with this method.
    #[error("{method} is not allowed on {path}; allowed: {allowed}")]
    MethodNotAllowed { method: String, path: String, allowed: String },
    /// The request conflicts with what is stored (e.g. changing an immutable setting).
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than the route accepts.
    #[error("the request body is {size} bytes; at most {limit} bytes are accepted")]
    PayloadTooLarge { size: usize, limit: usize },
    /// A configuration problem (missing variable, unreadable template).
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// An AWS call failed; `operation` names it. Retryable.
    #[error("{operation} failed")]
    Aws {
        operation: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// SES refused an email; `failure` says what that means for the sender.
    #[error("SES refused the email ({code}): {message}")]
    MailRefused { failure: crate::domain::mail::SendFailure, code: String, message: String },
    /// A stored item could not be read back into its type: a bug or a
    /// hand-edited item. Not retryable.
    #[error("stored item {key} is unreadable")]
    Corrupt {
        key: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Error {
    /// A bad request naming the field it is about.
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::BadRequest { field: Some(field.into()), message: message.into() }
    }

    /// A bad request not tied to one field.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Error::BadRequest { field: None, message: message.into() }
    }

    /// Something that does not exist.
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    /// Wraps an AWS SDK error with the operation it came from.
    pub fn aws<E>(operation: &'static str) -> impl FnOnce(E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        move |source| Error::Aws { operation, source: Box::new(source) }
    }

    /// Whether DynamoDB (or another service) refused the call for
    /// throttling after the SDK's own retries: a hot partition or a quota,
    /// which a moment later takes the same call.
    pub fn is_throttled(&self) -> bool {
        const CODES: [&str; 4] =
            ["ThrottlingException", "ProvisionedThroughputExceededException", "ThrottlingError", "RequestLimitExceeded"];
        match self {
            Error::Aws { source, .. } => {
                let text = format!("{source:?}");
                CODES.iter().any(|c| text.contains(c))
            }
            _ => false,
        }
    }

    /// Whether trying the same work again may succeed (throttling, network,
    /// service errors), as opposed to input that will fail every time.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Aws { .. }) || matches!(self, Error::MailRefused { failure: crate::domain::mail::SendFailure::Transient, .. })
    }

    /// What SES's refusal means, when this is one.
    pub fn send_failure(&self) -> Option<crate::domain::mail::SendFailure> {
        match self {
            Error::MailRefused { failure, .. } => Some(*failure),
            _ => None,
        }
    }

    /// The stable machine-readable code of the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest { .. } => "bad_request",
            Error::NotFound { .. } => "not_found",
            Error::Conflict(_) => "conflict",
            Error::MethodNotAllowed { .. } => "method_not_allowed",
            Error::PayloadTooLarge { .. } => "payload_too_large",
            Error::Aws { .. } if self.is_throttled() => "busy",
            Error::Config(_) | Error::Aws { .. } | Error::Corrupt { .. } | Error::MailRefused { .. } => "internal",
        }
    }
}

/// An error and its sources, joined with ": " (the whole story for a log
/// line or a failure report).
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// How an event function's failure is reported to Lambda: the error kind as
/// `errorType` (e.g. `pulse::aws`), the message with its sources as
/// `errorMessage`.
impl From<Error> for lambda_http::lambda_runtime::Diagnostic {
    fn from(err: Error) -> Self {
        lambda_http::lambda_runtime::Diagnostic { error_type: format!("pulse::{}", err.code()), error_message: chain(&err) }
    }
}
