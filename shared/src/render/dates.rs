//! Dates and times as a reader of each language writes them ("5 December
//! 2026", "5. Dezember 2026", "5. joulukuuta 2026"), with the month names
//! and the order from the translation files; times in a time zone (IANA
//! name) and named with it.

use time::Date;

use super::keys;
use crate::domain::i18n::{t_args, Lang};
use crate::domain::report::parse_day;

/// A calendar day in full: "5 December 2026".
pub fn long(l: Lang, d: Date) -> String {
    t_args(
        l,
        keys::DATE_LONG,
        &[("day", d.day().to_string().into()), ("month", u8::from(d.month()).into()), ("year", d.year().to_string().into())],
    )
}

/// A day for an axis or a table row: "5 Dec", "5.12.".
pub fn short(l: Lang, d: Date) -> String {
    t_args(l, keys::DATE_SHORT, &[("day", d.day().to_string().into()), ("month", u8::from(d.month()).into())])
}

/// A month: "Dec 2026", "Dez. 2026", "joulukuu 2026".
pub fn month(l: Lang, d: Date) -> String {
    t_args(l, keys::DATE_MONTH, &[("month", u8::from(d.month()).into()), ("year", d.year().to_string().into())])
}

/// A stored day (`2026-12-05`) in full; anything else as it is.
pub fn long_text(l: Lang, day: &str) -> String {
    parse_day(day).map(|d| long(l, d)).unwrap_or_else(|| day.to_string())
}

/// A stored instant (RFC 3339, UTC) in `zone` (unknown: UTC): its day, its
/// hour and minute, and the zone's name as shown.
fn local(instant: &str, zone: &str) -> Option<(Date, i8, i8, String)> {
    let ts = instant.parse::<jiff::Timestamp>().ok()?;
    let (tz, name) = match jiff::tz::TimeZone::get(zone) {
        Ok(tz) => (tz, zone),
        Err(_) => (jiff::tz::TimeZone::UTC, "UTC"),
    };
    let z = ts.to_zoned(tz);
    let day = Date::from_calendar_date(i32::from(z.year()), time::Month::try_from(z.month() as u8).ok()?, z.day() as u8).ok()?;
    Some((day, z.hour(), z.minute(), name.to_string()))
}

/// A stored instant as the day and time it was in `zone`: "5 December
/// 2026, 06:29 (Europe/Berlin)". An unknown zone falls back to UTC; an
/// unreadable instant is shown as it is.
pub fn date_time(l: Lang, instant: &str, zone: &str) -> String {
    let Some((day, hour, minute, name)) = local(instant, zone) else { return instant.to_string() };
    // Finnish writes the hour without a leading zero ("klo 6.29")
    let hour = if l == Lang::Fi { hour.to_string() } else { format!("{hour:02}") };
    t_args(
        l,
        keys::DATE_TIME,
        &[("date", long(l, day).into()), ("hour", hour.into()), ("minute", format!("{minute:02}").into()), ("zone", name.into())],
    )
}

/// The day (in `zone`) of a stored instant, in full.
pub fn day_of_instant(l: Lang, instant: &str, zone: &str) -> String {
    match local(instant, zone) {
        Some((day, ..)) => long(l, day),
        None => instant.get(..10).unwrap_or(instant).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn days_are_written_as_each_language_writes_them() {
        let d = date!(2026 - 12 - 05);
        assert_eq!(long(Lang::En, d), "5 December 2026");
        assert_eq!(long(Lang::De, d), "5. Dezember 2026");
        assert_eq!(long(Lang::Fi, d), "5. joulukuuta 2026");
        assert_eq!(short(Lang::En, d), "5 Dec");
        assert_eq!(short(Lang::De, d), "5.12.");
        assert_eq!(short(Lang::Fi, d), "5.12.");
        assert_eq!(month(Lang::En, date!(2026 - 03 - 01)), "Mar 2026");
        assert_eq!(month(Lang::De, date!(2026 - 03 - 01)), "März 2026");
        assert_eq!(month(Lang::Fi, date!(2026 - 03 - 01)), "maaliskuu 2026");
        assert_eq!(long_text(Lang::En, "2026-01-31"), "31 January 2026");
        assert_eq!(long_text(Lang::En, "soon"), "soon");
    }

    #[test]
    fn times_are_shown_in_the_projects_time_zone_and_name_it() {
        // the raw string: 04:29 UTC is 06:29 in Helsinki in December
        let at = "2026-12-05T04:29:10.511Z";
        assert_eq!(date_time(Lang::En, at, "Europe/Helsinki"), "5 December 2026, 06:29 (Europe/Helsinki)");
        assert_eq!(date_time(Lang::De, at, "Europe/Berlin"), "5. Dezember 2026, 05:29 Uhr (Europe/Berlin)");
        assert_eq!(date_time(Lang::Fi, at, "Europe/Helsinki"), "5. joulukuuta 2026 klo 6.29 (Europe/Helsinki)");
        // the day changes with the zone
        assert_eq!(date_time(Lang::En, "2026-12-05T23:30:00Z", "Europe/Helsinki"), "6 December 2026, 01:30 (Europe/Helsinki)");
        assert_eq!(day_of_instant(Lang::En, "2026-12-05T23:30:00Z", "Europe/Helsinki"), "6 December 2026");
        assert_eq!(date_time(Lang::En, at, "Mars/Olympus"), "5 December 2026, 04:29 (UTC)");
        assert_eq!(date_time(Lang::En, "yesterday", "UTC"), "yesterday");
    }
}
