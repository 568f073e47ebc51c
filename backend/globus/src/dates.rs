//! Dates as Globus documents write them, always in UTC: file documents `2020-09-23 18:53:12+00:00`,
//! task and access documents `2021-01-15T18:11:31+00:00`. Years run from 1 to 9999; a date a
//! client sends outside them is not a date (never an overflow).

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in Unix seconds: the dates written.
const FIRST: i64 = -62_135_596_800;
const LAST: i64 = 253_402_300_799;

/// Globus's date format in file documents (`2020-09-23 18:53:12+00:00`).
pub fn file_time(unix_seconds: i64) -> String {
    format(
        unix_seconds,
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]+00:00"),
    )
}

/// Globus's date format in task and access documents (`2021-01-15T18:11:31+00:00`).
pub fn iso_time(unix_seconds: i64) -> String {
    format(
        unix_seconds,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+00:00"),
    )
}

/// `unix_seconds` (brought within years 1 to 9999) as `description` writes it.
fn format(unix_seconds: i64, description: &[BorrowedFormatItem<'_>]) -> String {
    OffsetDateTime::from_unix_timestamp(unix_seconds.clamp(FIRST, LAST))
        .ok()
        .and_then(|time| time.format(description).ok())
        .unwrap_or_default()
}

/// Reads a UTC date as clients write it: `2024-05-01`, `2024-05-01T12:00:00` (seconds optional),
/// with an optional `Z` or `+00:00`, a space for the `T`. `None` for anything else: other
/// offsets, impossible dates, years outside 1 to 9999.
pub fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text
        .strip_suffix("+00:00")
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(text);
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let date = Date::parse(
        date,
        format_description!("[year padding:zero repr:full sign:automatic]-[month]-[day]"),
    )
    .ok()
    .filter(|date| date.year() >= 1)?;
    let time = match time {
        None => Time::MIDNIGHT,
        Some(time) => Time::parse(
            time,
            format_description!("[hour]:[minute][optional [:[second]]]"),
        )
        .ok()?,
    };
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_times_are_written_as_globus_writes_them() {
        assert_eq!(file_time(0), "1970-01-01 00:00:00+00:00");
        assert_eq!(file_time(1_600_887_192), "2020-09-23 18:53:12+00:00");
        assert_eq!(
            file_time(951_782_400),
            "2000-02-29 00:00:00+00:00",
            "a leap day"
        );
        assert_eq!(file_time(-1), "1969-12-31 23:59:59+00:00");
    }

    #[test]
    fn times_read_back_as_written() {
        for t in [0, 1_600_887_192, 951_782_400, -1, 4_102_444_800] {
            assert_eq!(parse_time(&iso_time(t)), Some(t), "{}", iso_time(t));
            assert_eq!(parse_time(&file_time(t)), Some(t));
        }
        assert_eq!(parse_time("2024-05-01"), Some(1_714_521_600));
        assert_eq!(parse_time("2024-05-01T12:00:00Z"), Some(1_714_564_800));
        for bad in [
            "2024-02-30",
            "2024-13-01",
            "yesterday",
            "2024-05-01T25:00:00",
            "2024-05-01T12:00:00+02:00",
            "999999999999999-01-01",
            "-999999999999999-01-01",
            "0000-01-01",
            "10000-01-01",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_first_and_last_years_are_written_and_nothing_beyond_them() {
        assert_eq!(iso_time(FIRST), "0001-01-01T00:00:00+00:00");
        assert_eq!(iso_time(LAST), "9999-12-31T23:59:59+00:00");
        assert_eq!(iso_time(i64::MAX), "9999-12-31T23:59:59+00:00");
        assert_eq!(iso_time(i64::MIN), "0001-01-01T00:00:00+00:00");
        assert_eq!(parse_time("9999-12-31T23:59:59Z"), Some(LAST));
        assert_eq!(parse_time("0001-01-01"), Some(FIRST));
        assert_eq!(parse_time("2024-05-01 12:00"), Some(1_714_564_800));
    }
}
