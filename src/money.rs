//! Amounts as exports write them ("1234.50", "-3.2", "12") to integer hundredths of
//! the currency unit, so sums stay exact.

/// Parses a plain decimal amount; an empty cell is zero.
pub fn parse_cents(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 2 {
        return Err("not an amount like 1234.50".to_string());
    }
    let whole: i64 = whole
        .parse()
        .map_err(|_| "the amount is too large".to_string())?;
    let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let cents = whole
        .checked_mul(100)
        .and_then(|cents| cents.checked_add(fraction))
        .ok_or_else(|| "the amount is too large".to_string())?;
    Ok(if negative { -cents } else { cents })
}

/// Formats hundredths back as a plain decimal ("1234.50").
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_exactly() {
        for (text, cents) in [
            ("12.50", 1250),
            ("12.5", 1250),
            ("12", 1200),
            ("", 0),
            ("-3.07", -307),
            ("0.01", 1),
        ] {
            assert_eq!(parse_cents(text), Ok(cents), "{text}");
        }
    }

    #[test]
    fn localised_or_garbled_amounts_are_refused() {
        for text in ["12,50", "1.234.5", "12.345", "abc", "-", ".5", "1e3"] {
            assert!(parse_cents(text).is_err(), "{text}");
        }
    }

    #[test]
    fn formatting_round_trips() {
        for cents in [0, 1, 1250, -307, 123_456_789] {
            assert_eq!(parse_cents(&format_cents(cents)), Ok(cents));
        }
    }
}
