//! A monitor history: one JSON line per observation, appended by `cfready monitor` and read
//! by `cfready slo`.
//!
//! ```json
//! {"version":1,"at":"2026-11-25T10:00:00.123Z","url":"https://app.example.com/health","base_url":"https://app.example.com","success":true,"failure":null,"status":200,"total_ms":182}
//! ```
//!
//! `cfready monitor --notify` appends a second kind of line, one per delivery attempt of an
//! alert, so that `slo` shows which alerts went out and a restarted monitor does not send again
//! what was delivered. It carries `"kind":"notification"` and never a secret (the target is its
//! redacted label):
//!
//! ```json
//! {"version":1,"kind":"notification","at":"2026-11-25T10:00:01.250Z","target":"pagerduty:env:PD_ROUTING_KEY","event":"failure","key":"cfready:https://app.example.com:down:2026-11-25T10:00:00.000Z","base_url":"https://app.example.com","attempt":1,"outcome":"delivered","status":202,"error":null}
//! ```
//!
//! A line of a kind this cfready does not know (a later version's) is skipped without a
//! warning: it is not a damaged observation.
//!
//! Appending writes each round's lines with one `write` and flushes before the next round, so
//! a process killed at any moment leaves at worst a torn last line. Reading is tolerant: a
//! torn last line (no newline at the end) is skipped with a warning, and so is any other line
//! that is not an observation; nothing before it is lost.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::registry::slo::{HISTORY_BAD_LINE, HISTORY_TORN_LINE};
use crate::timestamp::Timestamp;

/// The format version of a history line.
pub const VERSION: u64 = 1;

/// One request of the monitor and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub at: Timestamp,
    /// The health check URL requested.
    pub url: String,
    /// The base URL it belongs to (`None` for a URL given on the command line).
    pub base_url: Option<String>,
    pub success: bool,
    /// The probe's failure kind (`timeout-before-headers`, `status`, ...), when it failed.
    pub failure: Option<String>,
    pub status: Option<u16>,
    /// The whole response, in milliseconds, when one came.
    pub total_ms: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct Line {
    version: u64,
    at: String,
    url: String,
    base_url: Option<String>,
    success: bool,
    failure: Option<String>,
    status: Option<u16>,
    total_ms: Option<u64>,
}

impl Observation {
    /// The observation as one JSON line, with its newline.
    pub fn line(&self) -> String {
        let line = Line {
            version: VERSION,
            at: self.at.to_string(),
            url: self.url.clone(),
            base_url: self.base_url.clone(),
            success: self.success,
            failure: self.failure.clone(),
            status: self.status,
            total_ms: self.total_ms,
        };
        let mut text = serde_json::to_string(&line).expect("an observation serializes");
        text.push('\n');
        text
    }

    /// Read one line; the reason when it is not an observation.
    pub fn parse(text: &str) -> Result<Observation, String> {
        let line: Line = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if line.version != VERSION {
            return Err(format!(
                "history format version {} (this cfready reads {VERSION})",
                line.version
            ));
        }
        let at = Timestamp::parse(&line.at)
            .ok_or_else(|| format!("`at` is not an RFC 3339 instant: `{}`", line.at))?;
        if line.success && line.failure.is_some() {
            return Err("`success` is true but a `failure` is named".to_owned());
        }
        Ok(Observation {
            at,
            url: line.url,
            base_url: line.base_url,
            success: line.success,
            failure: line.failure,
            status: line.status,
            total_ms: line.total_ms,
        })
    }
}

/// What came of one attempt to deliver an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The receiver accepted it.
    Delivered,
    /// This attempt failed; another follows.
    Retry,
    /// The last attempt failed: the alert did not go out.
    Undelivered,
}

/// One attempt to deliver an alert to a notification target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// When the attempt ended.
    #[serde(with = "instant")]
    pub at: Timestamp,
    /// The target's label, secrets redacted (`pagerduty:env:PD_ROUTING_KEY`).
    pub target: String,
    /// `failure`, `recovered`, `budget-50`, `burn`, `test`...
    pub event: String,
    /// The alert's deduplication key (the same for a trigger and its resolve).
    pub key: String,
    pub base_url: Option<String>,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub outcome: Outcome,
    /// The receiver's HTTP status (or SMTP reply code), when it answered.
    pub status: Option<u16>,
    /// Why the attempt failed, secrets redacted.
    pub error: Option<String>,
}

mod instant {
    use crate::timestamp::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an RFC 3339 instant")))
    }
}

/// The `kind` of a delivery line.
pub const NOTIFICATION: &str = "notification";

#[derive(Serialize, Deserialize)]
struct DeliveryLine {
    version: u64,
    kind: String,
    #[serde(flatten)]
    delivery: Delivery,
}

impl Delivery {
    /// The attempt as one JSON line, with its newline.
    pub fn line(&self) -> String {
        let line = DeliveryLine {
            version: VERSION,
            kind: NOTIFICATION.to_owned(),
            delivery: self.clone(),
        };
        let mut text = serde_json::to_string(&line).expect("a delivery serializes");
        text.push('\n');
        text
    }
}

/// The `kind` of a line: absent for an observation (the first kind, written before there were
/// others).
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    kind: Option<String>,
}

/// A line as read.
enum Read {
    Observation(Observation),
    Delivery(Delivery),
    /// A kind this cfready does not know.
    Other,
}

fn read_line(text: &str) -> Result<Read, String> {
    let head: Head = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match head.kind.as_deref() {
        None => Observation::parse(text).map(Read::Observation),
        Some(NOTIFICATION) => {
            let line: DeliveryLine = serde_json::from_str(text).map_err(|e| e.to_string())?;
            if line.version != VERSION {
                return Err(format!(
                    "history format version {} (this cfready reads {VERSION})",
                    line.version
                ));
            }
            Ok(Read::Delivery(line.delivery))
        }
        Some(_) => Ok(Read::Other),
    }
}

/// A history as read: the observations and the alerts' delivery attempts, in file order, and
/// warnings for skipped lines.
#[derive(Debug, Default)]
pub struct History {
    pub observations: Vec<Observation>,
    pub deliveries: Vec<Delivery>,
    pub warnings: Vec<Diagnostic>,
}

/// Read a history file, a line at a time (a 28-day history of three URLs is 120,960 lines).
/// Only a file that cannot be read is an error.
pub fn read(path: &Path) -> std::io::Result<History> {
    let file = File::open(path)?;
    parse_from(&path.display().to_string(), std::io::BufReader::new(file))
}

/// Read a history from its bytes (`name` for the warnings).
pub fn parse(name: &str, bytes: &[u8]) -> History {
    parse_from(name, bytes).expect("reading from memory cannot fail")
}

fn parse_from(name: &str, mut reader: impl std::io::BufRead) -> std::io::Result<History> {
    let mut history = History::default();
    let mut raw = Vec::new();
    let mut number = 0;
    loop {
        raw.clear();
        if reader.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        number += 1;
        // A last line without its newline was torn: the writer stopped in the middle.
        let torn = raw.last() != Some(&b'\n');
        let text = String::from_utf8_lossy(&raw);
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        match read_line(text) {
            Ok(Read::Observation(observation)) => history.observations.push(observation),
            Ok(Read::Delivery(delivery)) => history.deliveries.push(delivery),
            Ok(Read::Other) => {}
            Err(reason) if torn => {
                history.warnings.push(Diagnostic::new(
                    &HISTORY_TORN_LINE,
                    format!(
                        "{name}:{number}: the last line is incomplete (a monitor stopped while writing it?) and is skipped: {reason}"
                    ),
                ));
            }
            Err(reason) => history.warnings.push(Diagnostic::new(
                &HISTORY_BAD_LINE,
                format!("{name}:{number}: not an observation, skipped: {reason}"),
            )),
        }
    }
    Ok(history)
}

/// A history open for appending (created when missing; never truncated).
pub struct Appender {
    file: File,
}

impl Appender {
    /// Open `path` for appending. A file that ends in a torn line gets a newline first, so
    /// that the next observation starts a line of its own.
    pub fn open(path: &Path) -> std::io::Result<Appender> {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)?;
        let length = file.metadata()?.len();
        if length > 0 {
            use std::io::{Read, Seek, SeekFrom};
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(length - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        Ok(Appender { file })
    }

    /// Append a round's observations with one write, and flush them to the file.
    pub fn append(&mut self, observations: &[Observation]) -> std::io::Result<()> {
        let text: String = observations.iter().map(Observation::line).collect();
        self.file.write_all(text.as_bytes())?;
        self.file.flush()?;
        self.file.sync_data()
    }

    /// Append one delivery attempt, flushed like a round.
    pub fn append_delivery(&mut self, delivery: &Delivery) -> std::io::Result<()> {
        self.file.write_all(delivery.line().as_bytes())?;
        self.file.flush()?;
        self.file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(minute: i64, success: bool) -> Observation {
        Observation {
            at: crate::timestamp::at(2026, 11, 25, 10, minute),
            url: "https://app.example.com/health".to_owned(),
            base_url: Some("https://app.example.com".to_owned()),
            success,
            failure: (!success).then(|| "timeout-before-headers".to_owned()),
            status: success.then_some(200),
            total_ms: success.then_some(182),
        }
    }

    #[test]
    fn a_line_round_trips_in_the_documented_shape() {
        let line = observation(0, true).line();
        assert_eq!(
            line,
            "{\"version\":1,\"at\":\"2026-11-25T10:00:00.000Z\",\"url\":\"https://app.example.com/health\",\"base_url\":\"https://app.example.com\",\"success\":true,\"failure\":null,\"status\":200,\"total_ms\":182}\n"
        );
        assert_eq!(
            Observation::parse(line.trim_end()).unwrap(),
            observation(0, true)
        );
    }

    #[test]
    fn a_torn_last_line_is_skipped_with_a_warning_and_nothing_before_it_is_lost() {
        let mut text = observation(0, true).line() + &observation(1, false).line();
        let third = observation(2, true).line();
        text.push_str(&third[..third.len() / 2]);
        let history = parse("h.jsonl", text.as_bytes());
        assert_eq!(
            history.observations,
            [observation(0, true), observation(1, false)]
        );
        assert_eq!(history.warnings.len(), 1);
        assert_eq!(history.warnings[0].code, "CF751");
        assert!(
            history.warnings[0]
                .message
                .starts_with("h.jsonl:3: the last line is incomplete")
        );
    }

    #[test]
    fn a_bad_line_in_the_middle_is_skipped_with_its_line_number() {
        let text = observation(0, true).line() + "not json\n" + &observation(2, true).line();
        let history = parse("h.jsonl", text.as_bytes());
        assert_eq!(history.observations.len(), 2);
        assert_eq!(history.warnings[0].code, "CF752");
        assert!(
            history.warnings[0]
                .message
                .starts_with("h.jsonl:2: not an observation")
        );
    }

    fn delivery(attempt: u32, outcome: Outcome) -> Delivery {
        Delivery {
            at: crate::timestamp::at(2026, 11, 25, 10, 1),
            target: "pagerduty:env:PD_ROUTING_KEY".to_owned(),
            event: "failure".to_owned(),
            key: "cfready:https://app.example.com:down:2026-11-25T10:00:00.000Z".to_owned(),
            base_url: Some("https://app.example.com".to_owned()),
            attempt,
            outcome,
            status: Some(202),
            error: None,
        }
    }

    #[test]
    fn delivery_lines_are_read_beside_observations_and_unknown_kinds_are_skipped_quietly() {
        let line = delivery(1, Outcome::Delivered).line();
        assert_eq!(
            line,
            "{\"version\":1,\"kind\":\"notification\",\"at\":\"2026-11-25T10:01:00.000Z\",\"target\":\"pagerduty:env:PD_ROUTING_KEY\",\"event\":\"failure\",\"key\":\"cfready:https://app.example.com:down:2026-11-25T10:00:00.000Z\",\"base_url\":\"https://app.example.com\",\"attempt\":1,\"outcome\":\"delivered\",\"status\":202,\"error\":null}\n"
        );
        let text = observation(0, false).line()
            + &line
            + "{\"version\":3,\"kind\":\"from-the-future\"}\n"
            + &observation(1, true).line();
        let history = parse("h.jsonl", text.as_bytes());
        assert!(history.warnings.is_empty(), "{:?}", history.warnings);
        assert_eq!(
            history.observations,
            [observation(0, false), observation(1, true)]
        );
        assert_eq!(history.deliveries, [delivery(1, Outcome::Delivered)]);
    }

    #[test]
    fn appending_after_a_torn_line_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        std::fs::write(&path, observation(0, true).line() + "{\"version\":1,\"at").unwrap();
        Appender::open(&path)
            .unwrap()
            .append(&[observation(1, true)])
            .unwrap();
        let history = read(&path).unwrap();
        assert_eq!(
            history.observations,
            [observation(0, true), observation(1, true)]
        );
        assert_eq!(history.warnings.len(), 1);
        assert_eq!(history.warnings[0].code, "CF752");
    }
}
