//! What the probe asks for and what it finds: the options of a run, and each request's
//! outcome judged as Atlassian's monitor judges it.

use std::time::Duration;

use serde::Serialize;

use crate::program::HEALTH_CHECK_TIMEOUT;
pub use crate::ticket::health_check::Target;

/// The body is read up to this many bytes, then dropped; it is never interpreted.
pub const BODY_CAP: usize = 1024 * 1024;

/// How the probe runs.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// The limit for the whole response: the program's 3 s, or lower (`--timeout`).
    pub limit: Duration,
    /// Requests per URL.
    pub samples: u32,
    /// Pause between two requests to the same URL.
    pub interval: Duration,
    /// Probe loopback, private and link-local hosts too (tests, staging).
    pub allow_private: bool,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            limit: HEALTH_CHECK_TIMEOUT,
            samples: 1,
            interval: Duration::ZERO,
            allow_private: false,
        }
    }
}

/// Why a request did not count as a success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Failure {
    /// The URL cannot be requested at all.
    InvalidUrl {
        reason: String,
    },
    /// The host is one Atlassian's monitor could not reach, and private hosts are not allowed.
    PrivateHost {
        host: String,
        /// The resolved address that is private, when the name itself is not.
        address: Option<String>,
        reason: String,
    },
    Dns {
        reason: String,
    },
    ConnectionRefused,
    Connect {
        reason: String,
    },
    Tls {
        reason: String,
    },
    /// The server closed the connection (or reset it) before a response.
    NoResponse {
        reason: String,
    },
    /// No status line and headers within the limit.
    TimeoutBeforeHeaders,
    /// Headers came, the rest of the body did not, within the limit.
    TimeoutReadingBody,
    Redirect {
        status: u16,
        location: Option<String>,
    },
    Status {
        status: u16,
    },
    Body {
        reason: String,
    },
}

impl Failure {
    /// The failure's kind as JSON and histories name it: `timeout-before-headers`, `status`...
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::InvalidUrl { .. } => "invalid-url",
            Failure::PrivateHost { .. } => "private-host",
            Failure::Dns { .. } => "dns",
            Failure::ConnectionRefused => "connection-refused",
            Failure::Connect { .. } => "connect",
            Failure::Tls { .. } => "tls",
            Failure::NoResponse { .. } => "no-response",
            Failure::TimeoutBeforeHeaders => "timeout-before-headers",
            Failure::TimeoutReadingBody => "timeout-reading-body",
            Failure::Redirect { .. } => "redirect",
            Failure::Status { .. } => "status",
            Failure::Body { .. } => "body",
        }
    }
}

/// The certificate and protocol of an https response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsSummary {
    pub version: Option<String>,
    /// Whole days until the leaf certificate expires (negative once expired).
    pub certificate_days_left: Option<i64>,
}

/// One request and what came of it.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    pub failure: Option<Failure>,
    pub status: Option<u16>,
    /// From sending the request to the status line and headers.
    #[serde(serialize_with = "millis")]
    pub time_to_headers: Option<Duration>,
    /// From sending the request to the end of the body (or the cap).
    #[serde(serialize_with = "millis")]
    pub total_time: Option<Duration>,
    pub remote_address: Option<String>,
    pub tls: Option<TlsSummary>,
    /// Response headers that say "static file" (ETag, Last-Modified, Accept-Ranges), when
    /// `Cache-Control: no-store` is absent.
    pub static_file_headers: Vec<String>,
    /// `Strict-Transport-Security: max-age` in seconds, when sent.
    pub hsts_max_age: Option<u64>,
    pub body_bytes: usize,
    /// The body went past the cap; the rest was not read.
    pub body_capped: bool,
    /// The body, kept only when asked (the served descriptor), up to the cap.
    #[serde(skip)]
    pub body: Option<Vec<u8>>,
}

impl Attempt {
    pub fn failed(failure: Failure) -> Attempt {
        Attempt {
            failure: Some(failure),
            status: None,
            time_to_headers: None,
            total_time: None,
            remote_address: None,
            tls: None,
            static_file_headers: Vec::new(),
            hsts_max_age: None,
            body_bytes: 0,
            body_capped: false,
            body: None,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.failure.is_none()
    }
}

fn millis<S: serde::Serializer>(
    value: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(duration) => serializer.serialize_some(&(duration.as_secs_f64() * 1000.0)),
        None => serializer.serialize_none(),
    }
}

/// Every request to one URL, with the figures over them.
#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    #[serde(flatten)]
    pub target: Target,
    pub attempts: Vec<Attempt>,
}

/// Latency figures over the successful requests of one URL.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Latency {
    #[serde(serialize_with = "millis_plain")]
    pub p50: Duration,
    #[serde(serialize_with = "millis_plain")]
    pub p95: Duration,
    #[serde(serialize_with = "millis_plain")]
    pub max: Duration,
}

fn millis_plain<S: serde::Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(value.as_secs_f64() * 1000.0)
}

impl TargetResult {
    pub fn successes(&self) -> usize {
        self.attempts.iter().filter(|a| a.succeeded()).count()
    }

    pub fn passed(&self) -> bool {
        !self.attempts.is_empty() && self.successes() == self.attempts.len()
    }

    /// p50, p95 and max of the total time of the successful requests (nearest rank).
    pub fn latency(&self) -> Option<Latency> {
        let mut times: Vec<Duration> = self
            .attempts
            .iter()
            .filter(|a| a.succeeded())
            .filter_map(|a| a.total_time)
            .collect();
        if times.is_empty() {
            return None;
        }
        times.sort();
        let rank =
            |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        Some(Latency {
            p50: rank(0.50),
            p95: rank(0.95),
            max: times[times.len() - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failures_kind_is_the_one_its_json_carries() {
        let all = [
            Failure::InvalidUrl {
                reason: String::new(),
            },
            Failure::PrivateHost {
                host: String::new(),
                address: None,
                reason: String::new(),
            },
            Failure::Dns {
                reason: String::new(),
            },
            Failure::ConnectionRefused,
            Failure::Connect {
                reason: String::new(),
            },
            Failure::Tls {
                reason: String::new(),
            },
            Failure::NoResponse {
                reason: String::new(),
            },
            Failure::TimeoutBeforeHeaders,
            Failure::TimeoutReadingBody,
            Failure::Redirect {
                status: 301,
                location: None,
            },
            Failure::Status { status: 503 },
            Failure::Body {
                reason: String::new(),
            },
        ];
        for failure in all {
            assert_eq!(
                serde_json::to_value(&failure).unwrap()["kind"],
                failure.kind()
            );
        }
    }

    #[test]
    fn latency_uses_nearest_rank() {
        let attempt = |ms: u64| Attempt {
            total_time: Some(Duration::from_millis(ms)),
            failure: None,
            ..Attempt::failed(Failure::TimeoutBeforeHeaders)
        };
        let result = TargetResult {
            target: Target {
                url: "u".into(),
                base_url: None,
                pointer: None,
                app: None,
            },
            attempts: (1..=100).map(attempt).collect(),
        };
        let latency = result.latency().unwrap();
        assert_eq!(latency.p50, Duration::from_millis(50));
        assert_eq!(latency.p95, Duration::from_millis(95));
        assert_eq!(latency.max, Duration::from_millis(100));
        assert!(result.passed());
    }
}
