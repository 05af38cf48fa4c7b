//! B2B accounts (part 8 of the product, the account-management command
//! center): the rules of the three imports — accounts, contacts and account
//! team members, in Salesforce's export shape by default —, client and team
//! roles, typed custom attributes, the parent hierarchy, and the account
//! health score with its churn-risk flag. Pure: the import function and the
//! store apply these rules; nothing here reads or writes.
//!
//! [`mapping`] reads the three files by the project's column mapping,
//! [`attributes`] checks the typed custom attributes, [`hierarchy`] keeps
//! the parent links acyclic and rolls counts up, [`health`](mod@health) scores accounts
//! and builds the account report. The settings themselves live in
//! [`crate::domain::settings`]. Every item is re-exported here, so
//! `crate::domain::b2b::X` keeps naming it.

pub mod attributes;
#[cfg(test)]
mod fixtures;
pub mod health;
pub mod hierarchy;
pub mod mapping;
pub mod salesforce;
pub mod ssh;
pub mod sync;

pub use crate::domain::settings::{
    AccountColumns, AttributeDef, AttributeType, AutoDistribution, B2bImportSettings, ClientRole, ContactColumns, TeamColumns, TeamRole,
    CLIENT_ROLES, TEAM_ROLES,
};
pub use attributes::*;
pub use health::*;
pub use hierarchy::*;
pub use mapping::*;
