//! Pure types and rules: no AWS, no I/O, no async.

pub mod b2b;
pub mod budget;
pub mod contacts;
pub mod directory;
pub mod distribution;
pub mod feedback;
pub mod i18n;
pub mod imports;
pub mod invitation;
pub mod jobs;
pub mod ledger;
pub mod links;
pub mod logo;
pub mod mail;
pub mod metrics;
pub mod notify;
pub mod project;
pub mod records;
pub mod report;
pub mod response;
pub mod submission;
pub mod survey;
pub mod upload;
