//! The current time, as stored: RFC 3339 in UTC with milliseconds.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Now, as stored (`2026-11-22T21:40:03.123Z`).
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

/// A time as stored.
pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let t = t.replace_nanosecond(t.millisecond() as u32 * 1_000_000).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

/// Milliseconds since the Unix epoch (Lambda deadlines use the same unit).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_with_milliseconds() {
        let t = time::macros::datetime!(2026-11-22 21:40:03.123456 +02:00);
        assert_eq!(super::format(t), "2026-11-22T19:40:03.123Z");
    }
}
