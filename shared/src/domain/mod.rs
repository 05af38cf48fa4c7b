//! Pure types and rules: no AWS, no I/O, no async.

pub mod jobs;
pub mod mail;
pub mod records;
pub mod upload;
