//! Reports: what a response adds to the aggregates, and the figures a
//! report computes from them. Pure: the store reads and writes the buckets,
//! `render::report` turns [`Figures`] into HTML, CSV and JSON.
//!
//! [`aggregate`] is the write side (what moves with each response: the
//! counters, the segments, the buckets), [`figures`](mod@figures) the read side (what a
//! report computes from the buckets). Every item is re-exported here, so
//! `crate::domain::report::X` names either side's items.

pub mod aggregate;
pub mod figures;
#[cfg(test)]
mod fixtures;
pub mod record;
pub mod verdict;

pub use crate::domain::kinds::Period;
pub use crate::domain::settings::{ReportSettings, Schedule};
pub use aggregate::*;
pub use figures::*;
pub use verdict::{judge, reading, Reading, Verdict};
