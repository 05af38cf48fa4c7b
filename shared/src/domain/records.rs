//! Keys of stored items, as they come back in stream records.

use serde::{Deserialize, Serialize};

/// The primary key every Pulse table uses (`pk` hash, `sk` range).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemKey {
    pub pk: String,
    pub sk: String,
}
