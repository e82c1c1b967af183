//! The dates and times the channels write, to UTC RFC 3339 (which sorts as text).

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

fn utc(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A time with its offset ("2024-05-01 10:00:00 +0200", "2024-05-01T10:00:00+02:00",
/// "2024-05-01T08:00:00Z"); one without an offset is taken as UTC
/// ("2024-05-01 10:00:00", WooCommerce's).
pub fn timestamp(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(parsed) = shopify_time(text) {
        return Some(utc(parsed));
    }
    if let Ok(parsed) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z")
        .or_else(|_| DateTime::parse_from_rfc3339(text))
    {
        return Some(utc(parsed.with_timezone(&Utc)));
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| utc(naive.and_utc()))
}

/// Shopify's "2024-05-01 10:00:00 +0200", read without a format parser (an export has
/// one on every order); None for anything else.
fn shopify_time(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 25
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b' '
        && bytes[13] == b':'
        && bytes[16] == b':'
        && bytes[19] == b' '
        && matches!(bytes[20], b'+' | b'-');
    if !shaped {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|byte| byte.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let date = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let time = date.and_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)?;
    let offset = (number(21..23)? * 3600 + number(23..25)? * 60) as i32;
    let offset = if bytes[20] == b'-' { -offset } else { offset };
    let zone = chrono::FixedOffset::east_opt(offset)?;
    Some(time.and_local_timezone(zone).single()?.with_timezone(&Utc))
}

/// Which order times an import believes, as UTC RFC 3339 text (which sorts as time).
pub struct PlausibleDates {
    latest: String,
}

/// Amazon and eBay opened in 1995: an order before is a misread or damaged date.
const EARLIEST_ORDER: &str = "1995-01-01";

impl PlausibleDates {
    /// Up to two days from now (a shop's clock may run ahead of the seller's).
    pub fn now() -> PlausibleDates {
        PlausibleDates {
            latest: utc(Utc::now() + chrono::Duration::days(2)),
        }
    }

    /// Why an order of `time` (from `timestamp`, `day` or `written`) cannot be, if so.
    pub fn doubt(&self, time: &str) -> Option<&'static str> {
        if time < EARLIEST_ORDER {
            Some("a date before 1995, when none of the shops sold online")
        } else if time > self.latest.as_str() {
            Some("a date in the future, which no shop exports")
        } else {
            None
        }
    }
}

/// A day in one of `formats` (chrono's), at midnight UTC.
pub fn day(text: &str, formats: &[&str]) -> Option<String> {
    let text = text.trim();
    formats
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|naive| utc(naive.and_utc()))
}

/// A date (and time) as a spreadsheet or a shop of its own writes it: any of
/// `timestamp`'s forms, or a day of three numbers (year first, or day and month in the
/// order `month_first` says, the year of two digits or four; "-", "/" or "." between)
/// with an optional time ("14:05", "14:05:09", "2:05 PM"), taken as UTC.
pub fn written(text: &str, month_first: bool) -> Option<String> {
    if let Some(time) = timestamp(text) {
        return Some(time);
    }
    let text = text.trim();
    let (day_part, time_part) = match text.split_once([' ', 'T']) {
        Some((day, time)) => (day, time.trim()),
        None => (text, ""),
    };
    let numbers: Vec<&str> = day_part.split(['-', '/', '.']).collect();
    let [a, b, c] = numbers.as_slice() else {
        return None;
    };
    let number = |digits: &str| -> Option<u32> {
        (!digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())?
    };
    let year = |digits: &str| -> Option<i32> {
        let value = number(digits)? as i32;
        match digits.len() {
            4 => Some(value),
            2 => Some(2000 + value),
            _ => None,
        }
    };
    let date = if a.len() == 4 {
        NaiveDate::from_ymd_opt(year(a)?, number(b)?, number(c)?)
    } else if month_first {
        NaiveDate::from_ymd_opt(year(c)?, number(a)?, number(b)?)
    } else {
        NaiveDate::from_ymd_opt(year(c)?, number(b)?, number(a)?)
    }?;
    let time = if time_part.is_empty() {
        chrono::NaiveTime::MIN
    } else {
        ["%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p"]
            .iter()
            .find_map(|format| chrono::NaiveTime::parse_from_str(time_part, format).ok())?
    };
    Some(utc(date.and_time(time).and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_become_utc() {
        for (text, expected) in [
            ("2024-05-01 10:00:00 +0200", "2024-05-01T08:00:00Z"),
            ("2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00Z"),
            ("2024-05-01T08:00:00Z", "2024-05-01T08:00:00Z"),
            ("2024-05-01 10:00:00", "2024-05-01T10:00:00Z"),
            ("2024-05-01 01:00:00 -0330", "2024-05-01T04:30:00Z"),
            ("2024-12-31 23:30:00 -0100", "2025-01-01T00:30:00Z"),
        ] {
            assert_eq!(timestamp(text).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(timestamp("01/05/2024"), None);
        assert_eq!(timestamp("2024-02-30 10:00:00 +0000"), None);
        assert_eq!(timestamp("2024-05-01 10:00:00 +02xx"), None);
    }

    #[test]
    fn days_in_the_formats_asked_for() {
        assert_eq!(
            day("03/14/24", &["%m/%d/%y"]).as_deref(),
            Some("2024-03-14T00:00:00Z")
        );
        assert_eq!(
            day("Mar-14-24", &["%b-%d-%y"]).as_deref(),
            Some("2024-03-14T00:00:00Z")
        );
        assert_eq!(day("14/03/24", &["%m/%d/%y"]), None);
    }

    #[test]
    fn dates_of_a_file_of_its_own_in_the_order_it_writes_them() {
        for (text, month_first, expected) in [
            ("05/03/2024", false, "2024-03-05T00:00:00Z"),
            ("05/03/2024", true, "2024-05-03T00:00:00Z"),
            ("31.12.24 14:05", false, "2024-12-31T14:05:00Z"),
            ("12-31-2024 2:05 PM", true, "2024-12-31T14:05:00Z"),
            ("2024/12/31", true, "2024-12-31T00:00:00Z"),
            ("2024-12-31 14:05:09", false, "2024-12-31T14:05:09Z"),
            ("2024-05-01T10:00:00+02:00", false, "2024-05-01T08:00:00Z"),
        ] {
            assert_eq!(
                written(text, month_first).as_deref(),
                Some(expected),
                "{text}"
            );
        }
        for text in [
            "31/12/2024",
            "2024-13-01",
            "5 March 2024",
            "05/03/202",
            "05/03/2024 25:00",
        ] {
            assert_eq!(written(text, true), None, "{text}");
        }
    }
}
