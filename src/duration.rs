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
        parse_short(text).ok_or_else(malformed)?
    };
    seconds
        .map(Duration::from_secs)
        .ok_or_else(|| DurationError::TooLarge(text.to_owned()))
}

/// `15m`, `4h`, `35d`, `2w`, and compounds with the units in that order, each at most once
/// (`1h30m`, `1d12h`, `2w3d`).
fn parse_short(text: &str) -> Option<Option<u64>> {
    const UNITS: [(char, u64); 4] = [('w', WEEK), ('d', DAY), ('h', HOUR), ('m', MINUTE)];
    let mut rest = text;
    let mut total: Option<u64> = Some(0);
    let mut next = 0;
    while !rest.is_empty() {
        let split = rest.find(|c: char| !c.is_ascii_digit())?;
        let (number, tail) = rest.split_at(split);
        let unit = tail.chars().next()?;
        let index = next + UNITS[next..].iter().position(|&(u, _)| u == unit)?;
        let value = number_times(number, UNITS[index].1)?;
        total = total.zip(value).and_then(|(t, v)| t.checked_add(v));
        next = index + 1;
        rest = &tail[1..];
        if next == UNITS.len() && !rest.is_empty() {
            return None;
        }
    }
    Some(total)
}

/// The questionnaire's spelling of a duration people write in English (`30 minutes`, `2
/// hours`, `1.5 hours`, `daily`, `every 15 min`, `1h 30m`, `45` meaning nothing yet), and
/// whether it means exactly the same (`false` for months, quarters and years, which the
/// questionnaire counts in days, and for a bare number, whose unit is a guess).
pub fn canonical(text: &str) -> Option<(String, bool)> {
    let lower = text.trim().to_ascii_lowercase();
    let lower = lower.strip_prefix("every ").unwrap_or(&lower).trim();
    let words: &[(&str, &str, bool)] = &[
        ("hourly", "1h", true),
        ("daily", "1d", true),
        ("nightly", "1d", true),
        ("every day", "1d", true),
        ("every night", "1d", true),
        ("weekly", "1w", true),
        ("fortnightly", "2w", true),
        ("monthly", "30d", false),
        ("quarterly", "90d", false),
        ("yearly", "365d", false),
        ("annually", "365d", false),
        ("half an hour", "30m", true),
        ("half hour", "30m", true),
    ];
    if let Some(&(_, short, exact)) = words.iter().find(|(word, _, _)| *word == lower) {
        return Some((short.to_owned(), exact));
    }
    // Pairs of a number and a unit: `2 hours`, `1 hour and 30 minutes`, `1h 30m`, `90 mins`.
    let mut tokens = Vec::new();
    for word in lower.split(|c: char| c.is_whitespace() || c == ',') {
        if word.is_empty() || word == "and" {
            continue;
        }
        // `15min`, `2hrs`: a number glued to its unit.
        match word.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
            Some(split) if split > 0 => {
                tokens.push(&word[..split]);
                tokens.push(&word[split..]);
            }
            _ => tokens.push(word),
        }
    }
    if tokens.len() == 1 {
        // A bare number: minutes is the questionnaire's smallest unit and the likeliest meant.
        let minutes: u64 = tokens[0].parse().ok()?;
        return Some((format!("{minutes}m"), false));
    }
    if tokens.is_empty() || tokens.len() % 2 != 0 {
        return None;
    }
    let mut seconds = 0f64;
    let mut exact = true;
    // As written when every number is whole and the units are the questionnaire's, largest
    // first (`35d`, `4h30m`); otherwise the shortest spelling of the total.
    let mut as_written = Some(String::new());
    let mut last_unit = u64::MAX;
    for pair in tokens.chunks(2) {
        let number: f64 = match pair[0] {
            "a" | "an" | "one" => 1.0,
            "two" => 2.0,
            "three" => 3.0,
            "four" => 4.0,
            "five" => 5.0,
            "six" => 6.0,
            "ten" => 10.0,
            "fifteen" => 15.0,
            "twenty" => 20.0,
            "thirty" => 30.0,
            "forty" => 40.0,
            "sixty" => 60.0,
            "ninety" => 90.0,
            number => number
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite() && *n >= 0.0)?,
        };
        let (unit, letter) = match pair[1].trim_end_matches('.') {
            "s" | "sec" | "secs" | "second" | "seconds" => (1, None),
            "m" | "min" | "mins" | "minute" | "minutes" => (MINUTE, Some('m')),
            "h" | "hr" | "hrs" | "hour" | "hours" => (HOUR, Some('h')),
            "d" | "day" | "days" => (DAY, Some('d')),
            "w" | "wk" | "wks" | "week" | "weeks" => (WEEK, Some('w')),
            "month" | "months" => {
                exact = false;
                (30 * DAY, None)
            }
            "year" | "years" => {
                exact = false;
                (365 * DAY, None)
            }
            _ => return None,
        };
        seconds += number * unit as f64;
        as_written = match (as_written, letter) {
            (Some(mut out), Some(letter)) if number.fract() == 0.0 && unit < last_unit => {
                out.push_str(&format!("{}{letter}", number as u64));
                Some(out)
            }
            _ => None,
        };
        last_unit = unit;
    }
    if seconds.fract() != 0.0 || seconds > u32::MAX as f64 {
        return None;
    }
    Some((
        as_written.unwrap_or_else(|| shortest(seconds as u64)),
        exact,
    ))
}

/// The questionnaire's spelling of a number of seconds: `90m`, `1h30m`, `35d`, `2w`, and
/// ISO 8601 when seconds are left over (`PT45S`).
pub fn shortest(seconds: u64) -> String {
    if seconds == 0 {
        return "0m".to_owned();
    }
    if !seconds.is_multiple_of(MINUTE) {
        return if seconds < HOUR {
            format!("PT{seconds}S")
        } else {
            format!(
                "PT{}H{}M{}S",
                seconds / HOUR,
                seconds % HOUR / MINUTE,
                seconds % MINUTE
            )
        };
    }
    let mut out = String::new();
    for (unit, within) in [(DAY, u64::MAX), (HOUR, DAY), (MINUTE, HOUR)] {
        let count = seconds % within / unit;
        if count > 0 {
            let letter = match unit {
                DAY => 'd',
                HOUR => 'h',
                _ => 'm',
            };
            out.push_str(&format!("{count}{letter}"));
        }
    }
    // `90m` reads better than `1h30m` under two hours.
    if seconds < 2 * HOUR && !seconds.is_multiple_of(HOUR) {
        return format!("{}m", seconds / MINUTE);
    }
    out
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
        assert_eq!(secs("1h30m"), 5400);
        assert_eq!(secs("1d12h"), 36 * 3600);
        assert_eq!(secs("2w3d"), 17 * 86_400);
    }

    #[test]
    fn english_spellings_have_one_exact_replacement() {
        let cases = [
            ("30 minutes", "30m", true),
            ("30 mins", "30m", true),
            ("15min", "15m", true),
            ("every 15 minutes", "15m", true),
            ("1 hour", "1h", true),
            ("an hour", "1h", true),
            ("2 hours", "2h", true),
            ("2hrs", "2h", true),
            ("1.5 hours", "90m", true),
            ("1 hour 30 minutes", "1h30m", true),
            ("1h 30m", "1h30m", true),
            ("36 hours", "36h", true),
            ("4 hours and 30 minutes", "4h30m", true),
            ("half an hour", "30m", true),
            ("daily", "1d", true),
            ("Daily", "1d", true),
            ("nightly", "1d", true),
            ("weekly", "1w", true),
            ("2 weeks", "2w", true),
            ("90 days", "90d", true),
            ("35 days", "35d", true),
            ("45 seconds", "PT45S", true),
            ("120 seconds", "2m", true),
            ("quarterly", "90d", false),
            ("monthly", "30d", false),
            ("annually", "365d", false),
            ("6 months", "180d", false),
            ("45", "45m", false),
        ];
        for (text, short, exact) in cases {
            assert_eq!(canonical(text), Some((short.to_owned(), exact)), "{text:?}");
            // Every replacement is a duration the questionnaire accepts.
            assert!(parse(short).is_ok(), "{short:?} for {text:?}");
        }
        for text in [
            "soon",
            "as fast as possible",
            "a few hours",
            "2 hours ago!",
            "-3 days",
            "1e9 hours",
        ] {
            assert_eq!(canonical(text), None, "{text:?}");
        }
    }

    #[test]
    fn parses_iso_8601() {
        assert_eq!(secs("PT4H"), 4 * 3600);
        assert_eq!(secs("P1D"), 86_400);
        assert_eq!(secs("P2W"), 14 * 86_400);
        assert_eq!(secs("P2W3D"), 17 * 86_400);
        assert_eq!(secs("P1DT12H30M"), 86_400 + 12 * 3600 + 1800);
        assert_eq!(secs("PT90S"), 90);
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for text in [
            "", "h", "4", "4 h", "4hours", "2 hours", "P", "PT", "P1H", "PT1D", "P1DT", "PT1M1H",
            "PT1H1H", "-4h", "4.5h", "30m1h", "1h1h", "1m1", "1s",
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
