//! Pulse's common crate.
//!
//! * [`domain`]: pure types and rules, no AWS, no I/O, no async.
//! * [`store`]: the AWS adapters (DynamoDB, S3, SQS, SES v2), built once from
//!   one SDK config.
//! * [`render`]: HTML pages and emails.
//! * [`http`]: request/response helpers and the one error → HTTP mapping.
//! * [`config`], [`error`], [`telemetry`]: what every function shares.
//!
//! The Lambda entry points (`functions/*`), the local stack (`infra/`) and
//! the tests (`tests/`) all call the same code from here.

pub mod alerting;
pub mod app;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod events;
pub mod http;
#[cfg(feature = "testing")]
pub mod memory;
pub mod ports;
pub mod render;
pub mod store;
pub mod telemetry;
pub mod temp;

pub use app::App;
pub use config::Config;
pub use error::{Error, Result};
