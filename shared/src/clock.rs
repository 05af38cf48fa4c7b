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

/// The clock handlers read "now" from: the system clock plus an offset
/// that is always zero in Lambda. The local stack can move its own stack's
/// clock forward (`POST /_local/clock`), so that scheduled sends, reminders
/// and triggered sends can be tested without waiting days.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Clock {
    /// Milliseconds since the epoch.
    pub fn now_ms(&self) -> u64 {
        let offset = self.offset_ms.load(std::sync::atomic::Ordering::Relaxed);
        now_ms().saturating_add_signed(offset)
    }

    /// Now, as stored.
    pub fn now(&self) -> String {
        from_ms(self.now_ms())
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: std::time::Duration) {
        self.offset_ms.fetch_add(by.as_millis() as i64, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A time in milliseconds since the epoch, as stored.
pub fn from_ms(ms: u64) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format(t)
}

/// A stored time (RFC 3339) in milliseconds since the epoch.
pub fn parse_ms(text: &str) -> Option<u64> {
    let t = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    u64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// A local date and time (`2026-12-10T09:00`, as a `datetime-local` field
/// sends it) in the time zone `tz` (IANA name), as an RFC 3339 instant.
pub fn local_to_instant(local: &str, tz: &str) -> Option<String> {
    let dt: jiff::civil::DateTime = local.trim().parse().ok()?;
    let zone = jiff::tz::TimeZone::get(tz).ok()?;
    Some(dt.to_zoned(zone).ok()?.timestamp().to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_local_time_is_read_in_the_accounts_time_zone() {
        assert_eq!(super::local_to_instant("2026-12-10T09:00", "Europe/Helsinki").as_deref(), Some("2026-12-10T07:00:00Z"));
        assert_eq!(super::local_to_instant("2026-07-10T09:00", "Europe/Berlin").as_deref(), Some("2026-07-10T07:00:00Z"));
        assert_eq!(super::local_to_instant("2026-12-10T09:00", "UTC").as_deref(), Some("2026-12-10T09:00:00Z"));
        assert_eq!(super::local_to_instant("tomorrow", "UTC"), None);
    }

    #[test]
    fn formats_utc_with_milliseconds() {
        let t = time::macros::datetime!(2026-11-22 21:40:03.123456 +02:00);
        assert_eq!(super::format(t), "2026-11-22T19:40:03.123Z");
    }

    #[test]
    fn milliseconds_round_trip_and_the_clock_moves_forward() {
        let ms = super::parse_ms("2026-11-22T19:40:03.123Z").unwrap();
        assert_eq!(super::from_ms(ms), "2026-11-22T19:40:03.123Z");
        assert_eq!(super::parse_ms("2026-11-22T21:40:03+02:00"), Some(ms - 123));
        assert_eq!(super::parse_ms("yesterday"), None);
        let c = super::Clock::default();
        let copy = c.clone();
        let before = c.now_ms();
        copy.advance(std::time::Duration::from_secs(3 * 86_400));
        assert!(c.now_ms() >= before + 3 * 86_400_000);
    }
}
