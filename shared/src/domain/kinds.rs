//! The leaf of the domain: the vocabulary and small rules every feature
//! shares (project kinds, limits, the required contact columns, calendar
//! periods, email-key hashing, spreadsheet-safe text). It imports nothing
//! from the domain, so any module may import it.

use std::hash::Hasher;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// How long the survey is: fixed at creation (another kind means another project).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// About two minutes, for repeated (longitudinal) use.
    QuickCheckIn,
    /// Five to seven minutes over the five areas.
    Assessment,
}

/// Whom the project surveys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BusinessType {
    B2B,
    B2C,
}

/// What company size is measured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeMeasure {
    Revenue,
    Employees,
}

/// Most operational fields a project has.
pub const MAX_OPERATIONAL_FIELDS: usize = 50;
/// Most demographic questions a project asks.
pub const MAX_DEMOGRAPHICS: usize = 20;

/// Columns every contact list has; operational fields may not reuse them.
pub const REQUIRED_COLUMNS: [&str; 3] = ["Email", "FirstName", "LastName"];

/// How a trend groups days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
}

impl Period {
    /// The first day of the period holding `d`.
    pub fn start(self, d: Date) -> Date {
        match self {
            Period::Day => d,
            Period::Week => d - Duration::days(i64::from(d.weekday().number_days_from_monday())),
            Period::Month => d.replace_day(1).unwrap_or(d),
        }
    }
}

/// The stable 64-bit hash of an email's key (its lower-case form), computed
/// from the address as given without allocating for ordinary addresses.
pub fn key_hash(email: &str) -> u64 {
    // std's SipHash with fixed keys: deprecated only in favour of hashers
    // with random keys, which is exactly what must not be used here.
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0x5075_6c73_6520_6b65, 0x7973_2076_3120_2020);
    let mut buf = [0u8; 256];
    if email.is_ascii() && email.len() <= buf.len() {
        let key = &mut buf[..email.len()];
        key.copy_from_slice(email.as_bytes());
        key.make_ascii_lowercase();
        h.write(key);
    } else {
        h.write(email.to_lowercase().as_bytes());
    }
    h.finish()
}

/// A cell made safe to open in a spreadsheet: text beginning with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula, so it
/// gets a leading apostrophe (OWASP's advice for CSV injection).
pub fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_left_alone() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(bad), format!("'{bad}"));
        }
        for good in ["Anna", "", "1-2", "a=b"] {
            assert_eq!(spreadsheet_safe(good), good);
        }
    }
}
