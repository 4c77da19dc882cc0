//! Durations as the questionnaire writes them (`15m`, `4h`, `1d`, `35d`, `2w`, ISO 8601 such as
//! `PT4H` or `P1DT12H`), parsed once, and shown back to people (`40m 19s`, `62h`).

use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    Malformed(String),
    TooLarge(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => f.write_str("a duration cannot be empty"),
            DurationError::Malformed(text) => write!(
                f,
                "`{text}` is not a duration; write a number and a unit (m, h, d, w) such as `15m`, `4h`, `35d`, or ISO 8601 such as `PT4H`"
            ),
            DurationError::TooLarge(text) => write!(f, "`{text}` is too large to be a duration"),
        }
    }
}

impl std::error::Error for DurationError {}

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;

/// Parse a questionnaire duration.
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let malformed = || DurationError::Malformed(text.to_owned());
    let seconds = if let Some(iso) = text.strip_prefix('P') {
        parse_iso(iso).ok_or_else(malformed)?
    } else {
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(malformed)?;
        let (number, unit) = text.split_at(split);
        let unit = match unit {
            "m" => MINUTE,
            "h" => HOUR,
            "d" => DAY,
            "w" => WEEK,
            _ => return Err(malformed()),
        };
        number_times(number, unit).ok_or_else(malformed)?
    };
    seconds
        .map(Duration::from_secs)
        .ok_or_else(|| DurationError::TooLarge(text.to_owned()))
}

/// A duration answer, parsed: `None` when absent or malformed (the schema phase reports a
/// malformed one, so the rules skip it).
pub fn field(text: Option<&str>) -> Option<(&str, Duration)> {
    let text = text?;
    Some((text, parse(text).ok()?))
}

/// `Some(None)` for a well-formed number that overflows, `None` for no number at all.
fn number_times(number: &str, unit: u64) -> Option<Option<u64>> {
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(number.parse::<u64>().ok().and_then(|n| n.checked_mul(unit)))
}

/// The part after `P`: `2W`, `1D`, `T4H`, `1DT12H30M`.
fn parse_iso(iso: &str) -> Option<Option<u64>> {
    let (date, time) = match iso.split_once('T') {
        Some((date, time)) if !time.is_empty() => (date, Some(time)),
        Some(_) => return None,
        None => (iso, None),
    };
    let mut total: Option<u64> = Some(0);
    let mut any = false;
    let mut add = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut rest = part;
        let mut last = 0;
        while !rest.is_empty() {
            let split = rest.find(|c: char| !c.is_ascii_digit())?;
            let (number, tail) = rest.split_at(split);
            let designator = tail.chars().next()?;
            let index = units.iter().position(|&(d, _)| d == designator)?;
            // Designators in order, each at most once (`1D2D`, `1M1H` are malformed).
            if index < last {
                return None;
            }
            let value = number_times(number, units[index].1)?;
            total = total.zip(value).and_then(|(t, v)| t.checked_add(v));
            any = true;
            last = index + 1;
            rest = &tail[1..];
        }
        Some(())
    };
    add(date, &[('W', WEEK), ('D', DAY)])?;
    if let Some(time) = time {
        add(time, &[('H', HOUR), ('M', MINUTE), ('S', 1)])?;
    }
    any.then_some(total)
}

/// A command-line duration: `0`, `500ms`, `2s`, `1.5s`, `1m`, `1h`.
pub fn parse_cli(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("`{text}` needs a unit: ms, s, m or h (such as 500ms or 2s)"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 500ms or 2s"))?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        _ => return Err(format!("`{unit}` is not a unit: use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("`{text}` is out of range"))
}

/// A latency for people: `0.4 ms`, `183 ms`, and whole seconds as `3 s`.
pub fn millis(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if duration >= Duration::from_secs(1) && duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// A duration for people: `62h`, `2h 30m`, `40m 19s`, `45s`, and days from a week on (`7d`).
pub fn human(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= WEEK {
        let (days, hours) = (seconds / DAY, seconds % DAY / HOUR);
        return if hours == 0 {
            format!("{days}d")
        } else {
            format!("{days}d {hours}h")
        };
    }
    let (hours, minutes, secs) = (seconds / HOUR, seconds % HOUR / MINUTE, seconds % MINUTE);
    match (hours, minutes, secs) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}

/// How many times `part` fits in `whole`, for messages: `3.0x`, `92x`.
pub fn ratio(part: Duration, whole: Duration) -> String {
    let ratio = part.as_secs_f64() / whole.as_secs_f64();
    if ratio < 10.0 {
        format!("{ratio:.1}x")
    } else {
        format!("{ratio:.0}x")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> u64 {
        parse(text).unwrap().as_secs()
    }

    #[test]
    fn parses_short_forms() {
        assert_eq!(secs("15m"), 900);
        assert_eq!(secs("4h"), 4 * 3600);
        assert_eq!(secs("35d"), 35 * 86_400);
        assert_eq!(secs("2w"), 14 * 86_400);
        assert_eq!(secs("0m"), 0);
    }

    #[test]
    fn parses_iso_8601() {
        assert_eq!(secs("PT4H"), 4 * 3600);
        assert_eq!(secs("P1D"), 86_400);
        assert_eq!(secs("P2W"), 14 * 86_400);
        assert_eq!(secs("P1DT12H30M"), 86_400 + 12 * 3600 + 1800);
        assert_eq!(secs("PT90S"), 90);
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for text in [
            "", "h", "4", "4 h", "4hours", "2 hours", "P", "PT", "P1H", "PT1D", "P1DT", "PT1M1H",
            "PT1H1H", "-4h", "4.5h",
        ] {
            assert!(parse(text).is_err(), "{text:?}");
        }
        assert_eq!(
            parse("99999999999999999999w"),
            Err(DurationError::TooLarge("99999999999999999999w".into()))
        );
        assert!(matches!(
            parse("999999999999999999w"),
            Err(DurationError::TooLarge(_))
        ));
    }

    #[test]
    fn latencies_for_people() {
        assert_eq!(millis(Duration::from_micros(420)), "0.4 ms");
        assert_eq!(millis(Duration::from_micros(183_400)), "183 ms");
        assert_eq!(millis(Duration::from_secs(3)), "3 s");
        assert_eq!(millis(Duration::from_millis(2500)), "2500 ms");
    }

    #[test]
    fn parses_command_line_durations() {
        assert_eq!(parse_cli("0"), Ok(Duration::ZERO));
        assert_eq!(parse_cli("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_cli("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_cli("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_cli("3").is_err());
        assert!(parse_cli("3 days").is_err());
        assert!(parse_cli("-1s").is_err());
    }

    #[test]
    fn shows_durations_for_people() {
        assert_eq!(human(crate::program::error_budget()), "40m 19s");
        assert_eq!(human(Duration::from_secs(62 * 3600)), "62h");
        assert_eq!(human(Duration::from_secs(2 * 3600 + 1800)), "2h 30m");
        assert_eq!(human(Duration::from_secs(45)), "45s");
        assert_eq!(human(Duration::from_secs(7 * DAY)), "7d");
        assert_eq!(human(Duration::from_secs(35 * DAY + 6 * HOUR)), "35d 6h");
        assert_eq!(human(Duration::from_secs(6 * DAY + 23 * HOUR)), "167h");
        assert_eq!(
            ratio(Duration::from_secs(7200), crate::program::error_budget()),
            "3.0x"
        );
        assert_eq!(
            ratio(
                Duration::from_secs(62 * 3600),
                crate::program::error_budget()
            ),
            "92x"
        );
    }
}
