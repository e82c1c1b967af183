//! Amounts as exports write them ("1234.50", "-3.2", "12") to integers, so sums stay
//! exact: a listing's price in hundredths of the shop's currency, an order's amounts in
//! the minor unit of the order's own currency (none for JPY, thousandths for KWD).

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

/// A listing's price, as `parse_cents` reads it: never below zero in a shop's file.
pub fn parse_price_cents(text: &str) -> Result<i64, String> {
    match parse_cents(text)? {
        cents if cents < 0 => Err("a negative price, which no shop exports".to_string()),
        cents => Ok(cents),
    }
}

/// Formats hundredths back as a plain decimal ("1234.50").
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// Currencies whose minor unit is not a hundredth (ISO 4217): none at all, or a thousandth.
pub(crate) const NO_MINOR_UNIT: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
];
pub(crate) const THOUSANDTHS: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// Whether `code` is an ISO 4217 currency code, in any case ("eur" is the euro; "XYZ"
/// or "EU" is no currency).
pub fn is_currency_code(code: &str) -> bool {
    let Ok(letters) = <[u8; 3]>::try_from(code.as_bytes()) else {
        return false;
    };
    let upper = letters.map(|byte| byte.to_ascii_uppercase());
    std::str::from_utf8(&upper).is_ok_and(|code| iso_currency::Currency::from_code(code).is_some())
}

/// How many digits a currency's minor unit has: 0 for JPY, 3 for KWD, 2 for the rest.
pub fn minor_digits(currency: &str) -> u32 {
    // Asked for every amount of an import: three bytes compared, no text made.
    let Ok(code) = <[u8; 3]>::try_from(currency.trim().as_bytes()) else {
        return 2;
    };
    let code = code.map(|byte| byte.to_ascii_uppercase());
    let listed = |codes: &[&str]| codes.iter().any(|listed| listed.as_bytes() == code);
    if listed(NO_MINOR_UNIT) {
        0
    } else if listed(THOUSANDTHS) {
        3
    } else {
        2
    }
}

/// A number as people and spreadsheets write it, with a decimal point and no grouping:
/// "12,50" (a decimal comma) is "12.50", "1,234.50" and "1.234,50" are "1234.50",
/// "1,234" (a thousands comma) is "1234". None when the grouping is not in threes.
pub fn plain_decimal(text: &str) -> Option<String> {
    let text = text.trim();
    let (comma, point) = (text.rfind(','), text.rfind('.'));
    let decimal = match (comma, point) {
        (Some(comma), Some(point)) => Some(if comma > point { ',' } else { '.' }),
        (Some(comma), None) => {
            (text.matches(',').count() == 1 && text.len() - comma - 1 != 3).then_some(',')
        }
        (None, Some(_)) => (text.matches('.').count() == 1).then_some('.'),
        (None, None) => None,
    };
    let grouping = match (decimal, comma) {
        (Some(','), _) => '.',
        (Some(_), _) | (None, Some(_)) => ',',
        (None, None) => '.',
    };
    let (whole, fraction) = match decimal.and_then(|separator| text.rfind(separator)) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let groups: Vec<&str> = whole.split(grouping).collect();
    if groups[1..].iter().any(|group| group.len() != 3) {
        return None;
    }
    let mut plain = groups.concat();
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    Some(plain)
}

/// An amount in `currency` as the shops' exports write it ("1234.50", "$1,234.50",
/// "12,50 €", "(3.20)", "¥1500") to integer minor units of the currency: cents for USD,
/// yen for JPY, fils for KWD. An empty cell is zero. More decimals than the currency has
/// (a cent and a half) are refused: no shop's export writes them.
pub fn parse_minor(text: &str, currency: &str) -> Result<i64, String> {
    parse_minor_with(text, currency, false)
}

/// As `parse_minor`, rounding more decimals than the currency has half away from zero to
/// its minor unit: a seller's own spreadsheet writes amounts it worked out (16.448).
pub fn parse_minor_rounded(text: &str, currency: &str) -> Result<i64, String> {
    parse_minor_with(text, currency, true)
}

fn parse_minor_with(text: &str, currency: &str, round: bool) -> Result<i64, String> {
    match plain_minor(text, minor_digits(currency)) {
        Some(minor) => Ok(minor),
        None => any_minor(text, currency, round),
    }
}

/// `parse_minor_with` for every way of writing an amount: signs, codes, brackets,
/// grouping, decimal commas.
fn any_minor(text: &str, currency: &str, round: bool) -> Result<i64, String> {
    let trimmed = text.trim();
    let (bracketed, inner) = match trimmed
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
    {
        Some(inner) => (true, inner),
        None => (false, trimmed),
    };
    // Currency signs and codes before or after the number ("US $", "CA$", "EUR", "kr").
    let in_number = |c: char| c.is_ascii_digit() || matches!(c, '-' | '.' | ',');
    let start = inner.len() - inner.trim_start_matches(|c: char| !in_number(c)).len();
    let number = inner[start..].trim_end_matches(|c: char| !in_number(c));
    let (prefix, suffix) = (&inner[..start], &inner[start + number.len()..]);
    if !is_currency_sign(prefix) || !is_currency_sign(suffix) {
        return Err(format!("not an amount in {currency}, like 1234.50"));
    }
    let number = number.trim_end_matches(['.', ',']);
    if number.is_empty() {
        return if inner.chars().any(|c| c.is_ascii_digit()) || !inner.is_empty() && inner != "-" {
            Err(format!("not an amount in {currency}, like 1234.50"))
        } else {
            Ok(0)
        };
    }
    let digits = minor_digits(currency) as usize;
    let plain = plain_decimal(number)
        .ok_or_else(|| format!("not an amount in {currency}, like 1234.50"))?;
    let (negative, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (bracketed, plain.as_str()),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(format!("not an amount in {currency}, like 1234.50"));
    }
    let (kept, dropped) = fraction.split_at(fraction.len().min(digits));
    let rounds_up = round && dropped.bytes().next().is_some_and(|byte| byte >= b'5');
    if !round && dropped.bytes().any(|byte| byte != b'0') {
        return Err(format!(
            "{currency} has {digits} decimal places, this amount has {}",
            fraction.len()
        ));
    }
    let scale = 10_i64.pow(digits as u32);
    let whole: i64 = whole
        .parse()
        .map_err(|_| "the amount is too large".to_string())?;
    let fraction: i64 = if digits == 0 {
        0
    } else {
        format!("{kept:0<digits$}").parse().unwrap_or(0)
    };
    let minor = whole
        .checked_mul(scale)
        .and_then(|minor| minor.checked_add(fraction + i64::from(rounds_up)))
        .ok_or_else(|| "the amount is too large".to_string())?;
    Ok(if negative { -minor } else { minor })
}

/// The common case of `parse_minor_with`, read without making any text: digits with an
/// optional minus and decimal point ("-1234.5") and no more decimals than the currency
/// has. None for anything else, which the general reading then takes (and words).
fn plain_minor(text: &str, digits: u32) -> Option<i64> {
    let text = text.trim().as_bytes();
    let (negative, unsigned) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let (whole, fraction) = match unsigned.iter().position(|byte| *byte == b'.') {
        Some(point) => (&unsigned[..point], &unsigned[point + 1..]),
        None => (unsigned, &[][..]),
    };
    // Fifteen whole digits and three of a minor unit always fit an i64.
    let plain = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    if whole.is_empty()
        || whole.len() > 15
        || !plain(whole)
        || !plain(fraction)
        || fraction.len() > digits as usize
        || (fraction.is_empty() && unsigned.len() != whole.len())
    {
        return None;
    }
    let number = |part: &[u8]| {
        part.iter()
            .fold(0_i64, |value, byte| value * 10 + i64::from(byte - b'0'))
    };
    let padding = digits - fraction.len() as u32;
    let minor = number(whole) * 10_i64.pow(digits) + number(fraction) * 10_i64.pow(padding);
    Some(if negative { -minor } else { minor })
}

/// Whether what stands beside a number is a currency's sign or code: symbols ("$", "€"),
/// a code or country letters ("EUR", "US $"), or a local abbreviation ("kr", "zł").
fn is_currency_sign(affix: &str) -> bool {
    let letters: String = affix.chars().filter(|c| c.is_alphabetic()).collect();
    letters.is_empty()
        || (letters.len() <= 3 && letters.chars().all(|c| c.is_ascii_uppercase()))
        || ["kr", "zł", "Kč", "Ft", "lei", "Fr"].contains(&letters.as_str())
}

/// Minor units back as a plain decimal in `currency` ("1234.50", "1500" for JPY).
pub fn format_minor(amount: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    if digits == 0 {
        return amount.to_string();
    }
    let sign = if amount < 0 { "-" } else { "" };
    let scale = 10_u64.pow(digits);
    let amount = amount.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        amount / scale,
        amount % scale,
        width = digits as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_minor_units_of_their_currency() {
        for (text, currency, minor) in [
            ("12.50", "USD", 1250),
            ("$1,234.50", "USD", 123_450),
            ("US $12.99", "USD", 1299),
            ("12,50 €", "EUR", 1250),
            ("1.234,50", "EUR", 123_450),
            ("1,234", "GBP", 123_400),
            ("(3.20)", "GBP", -320),
            ("-3.2", "CAD", -320),
            ("¥1500", "JPY", 1500),
            ("1500.00", "JPY", 1500),
            ("12.345", "KWD", 12_345),
            ("199 kr", "SEK", 19_900),
            ("", "USD", 0),
            ("  ", "USD", 0),
        ] {
            assert_eq!(parse_minor(text, currency), Ok(minor), "{text} {currency}");
        }
    }

    #[test]
    fn the_quick_reading_agrees_with_the_general_one() {
        for text in [
            "0",
            "12",
            "12.5",
            "12.50",
            "-3.2",
            " 7.05 ",
            "007.50",
            "-0.01",
            "12.",
            "1.234",
            "12.345",
            "-",
            "",
            ".5",
            "999999999999999",
            "9999999999999999999",
        ] {
            for currency in ["USD", "JPY", "KWD"] {
                if let Some(quick) = plain_minor(text, minor_digits(currency)) {
                    for round in [false, true] {
                        let general = any_minor(text, currency, round);
                        assert_eq!(Ok(quick), general, "{text:?} in {currency}");
                    }
                }
            }
        }
        assert_eq!(plain_minor("12.5", 2), Some(1250));
        assert_eq!(plain_minor("12.345", 2), None);
        assert_eq!(plain_minor("12.", 2), None);
        assert_eq!(minor_digits("jpy"), 0);
        assert_eq!(minor_digits(" KWD "), 3);
        assert_eq!(minor_digits("EURO"), 2);
    }

    #[test]
    fn amounts_that_are_not_refused_in_a_sentence() {
        assert_eq!(
            parse_minor("12.5", "JPY"),
            Err("JPY has 0 decimal places, this amount has 1".into())
        );
        for text in ["abc", "1e3", "12.3.4x", "--1", "24,0x", "twelve 12"] {
            assert!(parse_minor(text, "USD").is_err(), "{text}");
        }
    }

    #[test]
    fn minor_units_format_back() {
        for (amount, currency, text) in [
            (123_450, "USD", "1234.50"),
            (-7, "EUR", "-0.07"),
            (1500, "JPY", "1500"),
            (12_345, "KWD", "12.345"),
        ] {
            assert_eq!(format_minor(amount, currency), text);
            assert_eq!(parse_minor(text, currency), Ok(amount));
        }
    }

    #[test]
    fn worked_out_amounts_round_to_the_minor_unit_only_when_asked() {
        assert!(parse_minor("16.448", "USD").is_err());
        for (text, currency, minor) in [
            ("16.448", "USD", 1645),
            ("16.444", "USD", 1644),
            ("-5.487", "USD", -549),
            ("(0.005)", "USD", -1),
            ("1500.5", "JPY", 1501),
            ("12,5", "EUR", 1250),
        ] {
            assert_eq!(parse_minor_rounded(text, currency), Ok(minor), "{text}");
        }
    }

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
