//! Contract cases: see `tests/contract.rs`.

use pulse_shared::ports::*;

crate::contract!(contacts: );
