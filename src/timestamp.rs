//! Instants in UTC to the millisecond, written and read as RFC 3339
//! (`2026-11-25T10:00:00.123Z`): the `at` of every observation in a monitor history.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::date::{civil_from_days, days_from_civil};

const DAY_MS: i64 = 86_400_000;

/// Milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Timestamp {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
    }

    /// `2026-11-25T10:00:00Z`, `2026-11-25T10:00:00.123Z`, or with an offset such as
    /// `+01:00`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let bytes = text.as_bytes();
        if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' {
            return None;
        }
        if !matches!(bytes[10], b'T' | b't' | b' ') || bytes[16] != b':' {
            return None;
        }
        let number = |range| crate::date::digits(text, range);
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        let date = crate::date::Date::parse(text.get(0..10)?)?;
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut rest = &text[19..];
        let mut millis = 0;
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
            millis = padded.parse::<i64>().ok()?;
            rest = &fraction[digits..];
        }
        let offset_minutes = match rest {
            "Z" | "z" => 0,
            _ => {
                let sign = match rest.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let (h, m) = rest[1..].split_once(':')?;
                if h.len() != 2 || m.len() != 2 {
                    return None;
                }
                let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
                if h > 23 || m > 59 {
                    return None;
                }
                sign * (h * 60 + m)
            }
        };
        let days = date.0;
        let ms = days * DAY_MS
            + ((hour * 60 + minute - offset_minutes) * 60 + second.min(59)) * 1000
            + millis;
        Some(Timestamp(ms))
    }

    /// Whole milliseconds from `earlier` to `self` (zero when `earlier` is later).
    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration::from_millis(u64::try_from(self.0 - earlier.0).unwrap_or(0))
    }

    pub fn plus(self, duration: Duration) -> Timestamp {
        Timestamp(
            self.0
                .saturating_add(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)),
        )
    }

    pub fn minus(self, duration: Duration) -> Timestamp {
        Timestamp(
            self.0
                .saturating_sub(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)),
        )
    }

    /// The start of the hour this instant is in.
    pub fn hour(self) -> Timestamp {
        Timestamp(self.0.div_euclid(3_600_000) * 3_600_000)
    }
}

impl std::fmt::Display for Timestamp {
    /// RFC 3339 in UTC with milliseconds: `2026-11-25T10:00:00.123Z`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let days = self.0.div_euclid(DAY_MS);
        let ms = self.0.rem_euclid(DAY_MS);
        let (year, month, day) = civil_from_days(days);
        let (hour, minute) = (ms / 3_600_000, ms / 60_000 % 60);
        let (second, millis) = (ms / 1000 % 60, ms % 1000);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z"
        )
    }
}

/// Serialised as its RFC 3339 text, the one form histories, stores and JSON reports hold.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an RFC 3339 instant")))
    }
}

/// The days since the epoch of a civil date (for tests and generated histories).
pub fn at(year: i64, month: i64, day: i64, hour: i64, minute: i64) -> Timestamp {
    Timestamp(days_from_civil(year, month, day) * DAY_MS + (hour * 60 + minute) * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc_3339() {
        let t = Timestamp::parse("2026-11-25T10:00:00.123Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-25T10:00:00.123Z");
        assert_eq!(
            Timestamp::parse("2026-11-25T10:00:00Z").unwrap().0 + 123,
            t.0
        );
        assert_eq!(
            Timestamp::parse("2026-11-25T11:00:00+01:00").unwrap(),
            Timestamp::parse("2026-11-25T10:00:00Z").unwrap()
        );
        assert_eq!(
            at(2026, 11, 25, 10, 0),
            Timestamp::parse("2026-11-25T10:00:00Z").unwrap()
        );
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn refuses_what_is_not_an_instant() {
        for text in [
            "",
            "2026-11-25",
            "2026-11-25T10:00:00",
            "2026-02-30T10:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T10:00:00.Z",
            "2026-11-25T10:00:00+1:00",
            "2026-11-25T10:00:00ZZ",
            "２026-11-25T10:00:00Z",
        ] {
            assert_eq!(Timestamp::parse(text), None, "{text}");
        }
    }
}
