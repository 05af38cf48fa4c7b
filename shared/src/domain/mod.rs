//! Pure types and rules: no AWS, no I/O, no async.
//!
//! The modules form layers; each imports only from the layers below it, so
//! there is no import circle (the test in `layers.rs` fails on one and names it):
//!
//! 1. **Leaf**: [`kinds`] (project kinds, limits, required contact columns,
//!    calendar periods, email-key hashing, spreadsheet-safe text), plus the
//!    self-contained helpers [`i18n`], [`mail`], [`metrics`] and [`textfile`]
//!    (what an uploaded text file is). They import nothing from the domain.
//! 2. **Entities**: what is stored and what a project holds: [`settings`]
//!    (a project's settings for its features: the scheduled report, B2B
//!    imports), [`distribution`], [`links`], [`project`], [`survey`],
//!    [`response`], [`contacts`], [`budget`], [`records`] and the like.
//! 3. **Features**: rules that combine entities: [`imports`], [`report`]
//!    (`aggregate` the write side, `figures` the read side), [`b2b`]
//!    (`mapping`, `attributes`, `hierarchy`, `health`), [`notify`].
//!
//! Where a new rule goes: into the feature it serves; a type or constant two
//! features need goes down a layer (a value every layer uses into [`kinds`],
//! a setting a project holds into [`settings`]), never sideways into a
//! feature the other then imports. A `mod.rs` only declares and re-exports
//! its children; the children import each other, not their `mod.rs`.

pub mod access;
pub mod alerts;
pub mod b2b;
pub mod budget;
pub mod contacts;
pub mod datamap;
pub mod directory;
pub mod distribution;
pub mod embed;
pub mod erasure;
pub mod feedback;
pub mod guard;
pub mod help;
pub mod i18n;
pub mod imports;
pub mod invitation;
pub mod jobs;
pub mod kinds;
pub mod lease;
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
pub mod session;
pub mod settings;
pub mod shard;
pub mod steps;
pub mod submission;
pub mod survey;
pub mod textfile;
pub mod upload;

#[cfg(test)]
mod layers;
