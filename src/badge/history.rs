//! Observations, and the v1 history format: one JSON line per observation, which
//! `cfready monitor` appended before 0.4 (it writes [`crate::badge::store`] now), `cfready slo` still
//! reads (streaming), and `cfready history import` / `export` convert.
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
//! Reading is tolerant: a torn last line (no newline at the end: a writer stopped in the
//! middle) is skipped with a warning, and so is any other line that is not an observation;
//! nothing before it is lost.

use std::fs::File;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::ticket::registry::slo::{HISTORY_BAD_LINE, HISTORY_TORN_LINE};
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
    /// The app it belongs to, when the monitor watches several (`None` for one app, and in
    /// histories written before 0.4).
    pub app: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app: Option<String>,
}

/// An observation as the SLO holds it, without its URL (held once per series): 32 bytes, so
/// that a 28-day window of 10 URLs at 60 s (403,200 observations) takes 13 MB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub at: Timestamp,
    pub status: Option<u16>,
    pub total_ms: Option<u32>,
    /// The failure kind when it failed (empty when the history named none); `None` is a
    /// success.
    pub failure: Option<Box<str>>,
}

impl Point {
    pub fn success(&self) -> bool {
        self.failure.is_none()
    }

    /// The compact form of an observation.
    pub fn of(observation: &Observation) -> Point {
        Point {
            at: observation.at,
            status: observation.status,
            total_ms: observation
                .total_ms
                .map(|ms| u32::try_from(ms).unwrap_or(u32::MAX)),
            failure: (!observation.success).then(|| {
                observation
                    .failure
                    .as_deref()
                    .unwrap_or("")
                    .to_owned()
                    .into_boxed_str()
            }),
        }
    }

    /// The observation again, with its series' names.
    pub fn observation(&self, app: &str, url: &str, base_url: Option<&str>) -> Observation {
        Observation {
            at: self.at,
            url: url.to_owned(),
            base_url: base_url.map(str::to_owned),
            success: self.success(),
            failure: self
                .failure
                .as_deref()
                .filter(|kind| !kind.is_empty())
                .map(str::to_owned),
            status: self.status,
            total_ms: self.total_ms.map(u64::from),
            app: (!app.is_empty()).then(|| app.to_owned()),
        }
    }
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
            app: self.app.clone(),
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
            app: line.app,
        })
    }
}

/// What happened: the kind of an alert event (`crate::badge::notify`), named as delivery lines
/// and the store record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Failure,
    Recovered,
    /// The budget crossed this share, in percent.
    Budget(u32),
    Burn,
    BurnEnded,
    /// `--notify-test`.
    Test,
    /// The monitor cannot write its store (a disk full): it keeps probing and alerting, and
    /// holds the observations in memory until it can.
    HistoryUnwritable,
    /// Atlassian's annual review starts in at most this many days (30, then 14): once each.
    ReviewDue(u32),
}

impl EventKind {
    /// `failure`, `recovered`, `budget-50`, `burn`, `burn-ended`, `test`,
    /// `history-unwritable`, `review-30`.
    pub fn name(self) -> String {
        match self {
            EventKind::Failure => "failure".to_owned(),
            EventKind::Recovered => "recovered".to_owned(),
            EventKind::Budget(step) => format!("budget-{step}"),
            EventKind::Burn => "burn".to_owned(),
            EventKind::BurnEnded => "burn-ended".to_owned(),
            EventKind::Test => "test".to_owned(),
            EventKind::HistoryUnwritable => "history-unwritable".to_owned(),
            EventKind::ReviewDue(days) => format!("review-{days}"),
        }
    }

    /// Whether the event closes an alert (a resolve) rather than opening or updating one.
    pub fn resolves(self) -> bool {
        matches!(self, EventKind::Recovered | EventKind::BurnEnded)
    }
}

/// The event a delivery carried: a kind this cfready knows, or the name a store or history
/// written by another version holds, kept as written. Serialised as the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryEvent {
    Known(EventKind),
    Other(String),
}

impl DeliveryEvent {
    /// The event a name stands for; a name this cfready would not write the same way is kept as
    /// `Other`, so that reading and writing it again changes no byte.
    pub fn parse(name: &str) -> DeliveryEvent {
        let known = match name {
            "failure" => Some(EventKind::Failure),
            "recovered" => Some(EventKind::Recovered),
            "burn" => Some(EventKind::Burn),
            "burn-ended" => Some(EventKind::BurnEnded),
            "test" => Some(EventKind::Test),
            "history-unwritable" => Some(EventKind::HistoryUnwritable),
            _ => {
                let step = |prefix: &str| name.strip_prefix(prefix)?.parse().ok();
                step("budget-")
                    .map(EventKind::Budget)
                    .or_else(|| step("review-").map(EventKind::ReviewDue))
            }
        };
        match known {
            Some(kind) if kind.name() == name => DeliveryEvent::Known(kind),
            _ => DeliveryEvent::Other(name.to_owned()),
        }
    }
}

impl From<EventKind> for DeliveryEvent {
    fn from(kind: EventKind) -> DeliveryEvent {
        DeliveryEvent::Known(kind)
    }
}

impl std::fmt::Display for DeliveryEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryEvent::Known(kind) => f.pad(&kind.name()),
            DeliveryEvent::Other(name) => f.pad(name),
        }
    }
}

impl Serialize for DeliveryEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DeliveryEvent {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DeliveryEvent, D::Error> {
        Ok(DeliveryEvent::parse(&String::deserialize(deserializer)?))
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
    pub at: Timestamp,
    /// The target's label, secrets redacted (`pagerduty:env:PD_ROUTING_KEY`).
    pub target: String,
    /// `failure`, `recovered`, `budget-50`, `burn`, `test`...
    pub event: DeliveryEvent,
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

fn parse_from(name: &str, reader: impl std::io::BufRead) -> std::io::Result<History> {
    let mut history = History::default();
    each_record(name, reader, &mut |record, _| {
        match record {
            Record::Observation(observation) => history.observations.push(observation),
            Record::Delivery(delivery) => history.deliveries.push(delivery),
            Record::Warning(warning) => history.warnings.push(warning),
        }
        true
    })?;
    Ok(history)
}

/// One line of a history as it streams by.
#[derive(Debug)]
pub enum Record {
    Observation(Observation),
    Delivery(Delivery),
    /// A line that is not one (torn, damaged), with where and why.
    Warning(Diagnostic),
}

/// Read a history a line at a time, handing each record to `each` with the bytes read so far
/// (for progress); `each` returns false to stop. Memory holds one line, whatever the file's
/// length. Lines of kinds this cfready does not know are skipped quietly; only a read error is
/// an error.
pub fn each_record(
    name: &str,
    mut reader: impl std::io::BufRead,
    each: &mut dyn FnMut(Record, u64) -> bool,
) -> std::io::Result<()> {
    let mut raw = Vec::new();
    let mut number = 0;
    let mut bytes = 0u64;
    loop {
        raw.clear();
        let read = reader.read_until(b'\n', &mut raw)?;
        if read == 0 {
            break;
        }
        bytes += read as u64;
        number += 1;
        // A last line without its newline was torn: the writer stopped in the middle.
        let torn = raw.last() != Some(&b'\n');
        let text = String::from_utf8_lossy(&raw);
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let record = match read_line(text) {
            Ok(Read::Observation(observation)) => Record::Observation(observation),
            Ok(Read::Delivery(delivery)) => Record::Delivery(delivery),
            Ok(Read::Other) => continue,
            Err(reason) if torn => Record::Warning(Diagnostic::new(
                &HISTORY_TORN_LINE,
                format!(
                    "{name}:{number}: the last line is incomplete (a monitor stopped while writing it?) and is skipped: {reason}"
                ),
            )),
            Err(reason) => Record::Warning(Diagnostic::new(
                &HISTORY_BAD_LINE,
                format!("{name}:{number}: not an observation, skipped: {reason}"),
            )),
        };
        if !each(record, bytes) {
            break;
        }
    }
    Ok(())
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
            app: None,
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
            event: EventKind::Failure.into(),
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
    fn delivery_events_keep_their_names_known_or_not() {
        let kinds = [
            EventKind::Failure,
            EventKind::Recovered,
            EventKind::Budget(75),
            EventKind::Burn,
            EventKind::BurnEnded,
            EventKind::Test,
            EventKind::HistoryUnwritable,
            EventKind::ReviewDue(30),
            EventKind::ReviewDue(14),
        ];
        for kind in kinds {
            assert_eq!(
                DeliveryEvent::parse(&kind.name()),
                DeliveryEvent::Known(kind)
            );
        }
        // A newer cfready's event, and a name this one would write otherwise, stay as written.
        for name in [
            "page-escalated",
            "budget-075",
            "budget-",
            "review-014",
            "Failure",
        ] {
            let event = DeliveryEvent::parse(name);
            assert_eq!(event, DeliveryEvent::Other(name.to_owned()));
            assert_eq!(event.to_string(), name);
        }
        let mut other = delivery(1, Outcome::Delivered);
        other.event = DeliveryEvent::parse("page-escalated");
        let line = other.line();
        assert!(line.contains("\"event\":\"page-escalated\""), "{line}");
        assert_eq!(parse("h.jsonl", line.as_bytes()).deliveries, [other]);
        assert_eq!(
            format!("{:<10}|", DeliveryEvent::from(EventKind::Burn)),
            "burn      |"
        );
    }
}
