//! Stage 4: the health check probed exactly as Atlassian's monitor requests it.
//!
//! For every base URL: `GET {base_url}{health_path}`, no credentials, no cookies, no proxy,
//! redirects not followed, a fresh connection per request, and the whole response within the
//! program limit (3 s). Success is status 200 within the limit, nothing else. Hosts the
//! monitor could not reach (loopback, private, link-local) are refused unless allowed, and
//! that is checked on the addresses a name resolves to, which are then the only ones used.

pub mod cert;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::lint::{self, FileReport, LintOptions};
use crate::net::{unreachable_host, unreachable_ip};
use crate::program::{HEALTH_CHECK_STATUS, HEALTH_CHECK_TIMEOUT};

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

/// One URL to probe.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// The health check URL: base URL + health path.
    pub url: String,
    /// The base URL it came from, when probing a questionnaire.
    pub base_url: Option<String>,
    /// The JSON pointer of that base URL in the questionnaire, for diagnostics.
    #[serde(skip)]
    pub pointer: Option<String>,
}

impl Target {
    /// A URL given on the command line, not from a questionnaire.
    pub fn url(url: &str) -> Target {
        Target {
            url: url.to_owned(),
            base_url: None,
            pointer: None,
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
}

impl Attempt {
    fn failed(failure: Failure) -> Attempt {
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

/// The health check URL for a base URL and a path: exactly one `/` between them.
pub fn health_url(base_url: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// Whether the program asks this app for a health check: Connect apps do; for Forge apps no
/// health check requirement is documented.
pub fn required(value: &serde_json::Value) -> bool {
    value
        .pointer("/app/framework")
        .and_then(serde_json::Value::as_str)
        != Some("forge")
}

/// The health check URLs of a questionnaire: its health path on every base URL. `Err` says
/// what is missing.
pub fn targets_from(value: &serde_json::Value) -> Result<Vec<Target>, String> {
    let path = value
        .pointer("/app/health_check/path")
        .and_then(serde_json::Value::as_str)
        .ok_or("the questionnaire declares no `app.health_check.path` to probe")?;
    let base_urls = value
        .pointer("/app/base_urls")
        .and_then(serde_json::Value::as_array)
        .ok_or("the questionnaire lists no `app.base_urls` to probe")?;
    let targets: Vec<Target> = base_urls
        .iter()
        .enumerate()
        .filter_map(|(index, base)| {
            let base = base.as_str()?;
            Some(Target {
                url: health_url(base, path),
                base_url: Some(base.to_owned()),
                pointer: Some(format!("/app/base_urls/{index}")),
            })
        })
        .collect();
    if targets.is_empty() {
        return Err("the questionnaire lists no base URL to probe".to_owned());
    }
    Ok(targets)
}

/// What `cfready probe` found: a report per questionnaire or per URL (its findings), and the
/// probe's results.
#[derive(Debug)]
pub struct ProbeRun {
    pub reports: Vec<FileReport>,
    pub results: Vec<TargetResult>,
}

impl ProbeRun {
    /// 2 when the file could not be read; 1 for findings at error level (or warnings too,
    /// with `strict`), a failed request, or nothing to probe; 0 otherwise.
    pub fn exit_code(&self, strict: bool) -> u8 {
        let failed = self.results.is_empty() || self.results.iter().any(|r| !r.passed());
        lint::exit_code(&self.reports, strict).max(u8::from(failed))
    }
}

/// Probe a questionnaire's health check on every base URL. The report holds the probe's
/// findings: the questionnaire's own are `lint`'s, unless the file does not even parse.
pub fn probe_file(
    path: &str,
    lint_options: &LintOptions,
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> ProbeRun {
    let mut file = lint::lint_path(path, lint_options);
    if file.document.is_some() {
        file.diagnostics.clear();
    }
    let results = probe_report(&mut file, options, progress).unwrap_or_default();
    lint::settle(&mut file.diagnostics, &lint_options.ignore);
    ProbeRun {
        reports: vec![file],
        results,
    }
}

/// Probe URLs given on the command line: one report per URL, so that each finding names it.
pub fn probe_urls(
    urls: &[String],
    ignore: &[String],
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> ProbeRun {
    let targets: Vec<Target> = urls.iter().map(|url| Target::url(url)).collect();
    let results = probe(&targets, options, progress);
    let reports = results
        .iter()
        .map(|result| {
            let mut diagnostics =
                crate::rules::probe::diagnostics(std::slice::from_ref(result), options, None);
            lint::settle(&mut diagnostics, ignore);
            FileReport::without_source(result.target.url.clone(), diagnostics)
        })
        .collect();
    ProbeRun { reports, results }
}

/// Probe a linted questionnaire's health check and add the findings to its report. `None`
/// (with a finding) when there is nothing to probe.
pub fn probe_report(
    report: &mut FileReport,
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> Option<Vec<TargetResult>> {
    let document = report.document.as_ref()?;
    match targets_from(&document.value) {
        Err(missing) => {
            report.diagnostics.push(
                crate::diagnostic::Diagnostic::new(
                    &crate::rules::app::CONNECT_WITHOUT_HEALTH_CHECK,
                    format!("nothing to probe: {missing}"),
                )
                .at(document.positions.key("/app"))
                .pointer("/app"),
            );
            None
        }
        Ok(targets) => {
            let results = probe(&targets, options, progress);
            report.diagnostics.extend(crate::rules::probe::diagnostics(
                &results,
                options,
                Some(&document.positions),
            ));
            Some(results)
        }
    }
}

/// Progress of a probe run: (requests done, requests in all).
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// Probe every target (in parallel; the samples of one target one after the other).
pub fn probe(
    targets: &[Target],
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> Vec<TargetResult> {
    // The async runtime exists only here: lint, render and the rest never start one.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime builds");
    runtime.block_on(probe_all(targets, options, progress))
}

async fn probe_all(
    targets: &[Target],
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> Vec<TargetResult> {
    let total = targets.len() * options.samples.max(1) as usize;
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, target) in targets.iter().enumerate() {
        let target = target.clone();
        let options = options.clone();
        let progress = progress.clone();
        let done = done.clone();
        tasks.spawn(async move {
            let attempts = probe_target(&target.url, &options, |_| {
                let now = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(progress) = &progress {
                    progress(now, total);
                }
            })
            .await;
            (index, TargetResult { target, attempts })
        });
    }
    let mut results: Vec<Option<TargetResult>> = vec![None; targets.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, result)) = joined {
            results[index] = Some(result);
        }
    }
    results.into_iter().flatten().collect()
}

/// All samples of one URL.
async fn probe_target(
    url: &str,
    options: &ProbeOptions,
    mut on_attempt: impl FnMut(&Attempt),
) -> Vec<Attempt> {
    let samples = options.samples.max(1) as usize;
    let client = match prepare(url, options).await {
        Ok(client) => client,
        Err(failure) => {
            let attempt = Attempt::failed(failure);
            for _ in 0..samples {
                on_attempt(&attempt);
            }
            return vec![attempt];
        }
    };
    let mut attempts = Vec::with_capacity(samples);
    for sample in 0..samples {
        if sample > 0 && !options.interval.is_zero() {
            tokio::time::sleep(options.interval).await;
        }
        let attempt = request(&client, url, options.limit).await;
        on_attempt(&attempt);
        attempts.push(attempt);
    }
    attempts
}

/// Resolve the host, refuse what the monitor could not reach, and build a client pinned to the
/// checked addresses (so that a second lookup cannot swap them).
async fn prepare(url: &str, options: &ProbeOptions) -> Result<reqwest::Client, Failure> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Failure::InvalidUrl {
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Failure::InvalidUrl {
            reason: format!("the scheme `{}` is not http or https", parsed.scheme()),
        });
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Failure::InvalidUrl {
            reason: "the URL carries credentials; the monitor sends none".to_owned(),
        });
    }
    let host = parsed.host_str().ok_or_else(|| Failure::InvalidUrl {
        reason: "the URL has no host".to_owned(),
    })?;
    let port = parsed.port_or_known_default().unwrap_or(443);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    // By name first (`localhost`, `.internal`, `.local`), then by every resolved address.
    if !options.allow_private
        && let Some(reason) = unreachable_host(bare)
    {
        return Err(Failure::PrivateHost {
            host: bare.to_owned(),
            address: None,
            reason,
        });
    }
    let addresses: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => {
            let lookup =
                tokio::time::timeout(options.limit, tokio::net::lookup_host((bare, port))).await;
            match lookup {
                Ok(Ok(found)) => found.collect(),
                Ok(Err(error)) => {
                    return Err(Failure::Dns {
                        reason: format!("cannot resolve `{bare}`: {}", lint::plain_io(&error)),
                    });
                }
                Err(_) => {
                    return Err(Failure::Dns {
                        reason: format!(
                            "resolving `{bare}` took longer than {} ms",
                            options.limit.as_millis()
                        ),
                    });
                }
            }
        }
    };
    if addresses.is_empty() {
        return Err(Failure::Dns {
            reason: format!("`{bare}` resolves to no address"),
        });
    }
    if !options.allow_private {
        refuse_private(bare, &addresses)?;
    }
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!(
            "cfready/",
            env!("CARGO_PKG_VERSION"),
            " (Cloud Fortified health check probe)"
        ))
        .tls_info(true)
        // A fresh connection per request, as a monitor that polls every 60 s gets.
        .pool_max_idle_per_host(0)
        .http1_only();
    if bare.parse::<IpAddr>().is_err() {
        builder = builder.resolve_to_addrs(bare, &addresses);
    }
    builder.build().map_err(|e| Failure::InvalidUrl {
        reason: format!("cannot build an HTTP client: {e}"),
    })
}

/// Refuse a host when any address it resolved to is one the monitor could not reach: one is
/// enough, since the request could go there.
fn refuse_private(host: &str, addresses: &[SocketAddr]) -> Result<(), Failure> {
    match addresses
        .iter()
        .find_map(|a| unreachable_ip(a.ip()).map(|reason| (a.ip(), reason)))
    {
        Some((address, reason)) => Err(Failure::PrivateHost {
            host: host.to_owned(),
            address: Some(address.to_string()),
            reason: reason.to_owned(),
        }),
        None => Ok(()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Connecting,
    ReadingBody,
}

/// One GET, judged as the monitor judges it.
async fn request(client: &reqwest::Client, url: &str, limit: Duration) -> Attempt {
    let started = Instant::now();
    let mut phase = Phase::Connecting;
    let mut attempt = Attempt::failed(Failure::TimeoutBeforeHeaders);
    let outcome = tokio::time::timeout(limit, async {
        let mut response = client.get(url).send().await?;
        phase = Phase::ReadingBody;
        attempt.time_to_headers = Some(started.elapsed());
        attempt.status = Some(response.status().as_u16());
        attempt.remote_address = response.remote_addr().map(|a| a.to_string());
        attempt.tls = response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .map(tls_summary);
        inspect_headers(response.headers(), &mut attempt);
        while let Some(chunk) = response.chunk().await? {
            attempt.body_bytes += chunk.len();
            if attempt.body_bytes > BODY_CAP {
                attempt.body_capped = true;
                break;
            }
        }
        Ok::<_, reqwest::Error>(
            response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned),
        )
    })
    .await;
    attempt.total_time = Some(started.elapsed());
    attempt.failure = match outcome {
        Err(_elapsed) => Some(match phase {
            Phase::Connecting => Failure::TimeoutBeforeHeaders,
            Phase::ReadingBody => Failure::TimeoutReadingBody,
        }),
        Ok(Err(error)) => Some(classify(&error, phase)),
        Ok(Ok(location)) => match attempt.status {
            Some(status) if status == HEALTH_CHECK_STATUS => None,
            Some(status) if (300..400).contains(&status) => {
                Some(Failure::Redirect { status, location })
            }
            Some(status) => Some(Failure::Status { status }),
            None => Some(Failure::TimeoutBeforeHeaders),
        },
    };
    attempt
}

fn inspect_headers(headers: &reqwest::header::HeaderMap, attempt: &mut Attempt) {
    let no_store = headers
        .get_all("cache-control")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("no-store"));
    if !no_store {
        attempt.static_file_headers = ["etag", "last-modified", "accept-ranges"]
            .into_iter()
            .filter(|name| headers.contains_key(*name))
            .map(str::to_owned)
            .collect();
    }
    attempt.hsts_max_age = headers
        .get("strict-transport-security")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';').find_map(|part| {
                let (key, value) = part.trim().split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("max-age")
                    .then(|| value.trim().trim_matches('"').parse().ok())?
            })
        });
}

fn tls_summary(info: &reqwest::tls::TlsInfo) -> TlsSummary {
    let version = info.version().map(|v| {
        match v {
            v if v == reqwest::tls::Version::TLS_1_3 => "TLS 1.3",
            v if v == reqwest::tls::Version::TLS_1_2 => "TLS 1.2",
            v if v == reqwest::tls::Version::TLS_1_1 => "TLS 1.1",
            _ => "TLS 1.0",
        }
        .to_owned()
    });
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let certificate_days_left = info
        .peer_certificate()
        .and_then(cert::not_after)
        .map(|expiry| (expiry - now).div_euclid(86_400));
    TlsSummary {
        version,
        certificate_days_left,
    }
}

/// Every error in a chain, looking inside `io::Error`s too: their `source()` skips the error
/// they wrap (hyper wraps rustls's error in an `io::Error` inside another `io::Error`).
fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(error);
    while let Some(cause) = next {
        out.push(cause);
        next = match cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => cause.source(),
        };
    }
    out
}

/// Name a transport failure precisely, from the error's chain of causes.
fn classify(error: &reqwest::Error, phase: Phase) -> Failure {
    let chain = causes(error);
    if let Some(tls) = chain.iter().find_map(|c| c.downcast_ref::<rustls::Error>()) {
        return Failure::Tls {
            reason: tls_reason(tls),
        };
    }
    for io in chain
        .iter()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
    {
        match io.kind() {
            std::io::ErrorKind::ConnectionRefused => return Failure::ConnectionRefused,
            std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::UnexpectedEof => {
                return Failure::NoResponse {
                    reason: "the server closed the connection before answering".to_owned(),
                };
            }
            _ => {}
        }
    }
    // The innermost message says the most; the outer ones repeat the URL.
    let joined = chain.last().map(|c| c.to_string()).unwrap_or_default();
    let whole = chain
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    if whole.contains("connection closed before message completed")
        || whole.contains("IncompleteMessage")
    {
        return Failure::NoResponse {
            reason: "the server closed the connection without a response".to_owned(),
        };
    }
    if phase == Phase::ReadingBody {
        return Failure::Body { reason: joined };
    }
    if error.is_connect() {
        return Failure::Connect { reason: joined };
    }
    Failure::NoResponse { reason: joined }
}

fn tls_reason(error: &rustls::Error) -> String {
    use rustls::CertificateError;
    match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => "the certificate has expired".to_owned(),
            CertificateError::UnknownIssuer => {
                "the certificate is not signed by a trusted authority (unknown issuer; self-signed?)".to_owned()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "the certificate is not valid for this host name".to_owned()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the certificate is not valid yet".to_owned()
            }
            CertificateError::Revoked => "the certificate has been revoked".to_owned(),
            CertificateError::Other(other) if other.to_string().contains("CaUsedAsEndEntity") => {
                "the server presents a CA certificate as its own (self-signed?)".to_owned()
            }
            other => format!("invalid certificate: {other}"),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_urls_join_with_one_slash() {
        assert_eq!(
            health_url("https://a.example", "/healthcheck"),
            "https://a.example/healthcheck"
        );
        assert_eq!(
            health_url("https://a.example/", "/healthcheck"),
            "https://a.example/healthcheck"
        );
        assert_eq!(
            health_url("https://a.example/app", "health"),
            "https://a.example/app/health"
        );
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
            },
            attempts: (1..=100).map(attempt).collect(),
        };
        let latency = result.latency().unwrap();
        assert_eq!(latency.p50, Duration::from_millis(50));
        assert_eq!(latency.p95, Duration::from_millis(95));
        assert_eq!(latency.max, Duration::from_millis(100));
        assert!(result.passed());
    }

    #[test]
    fn a_public_name_that_resolves_inside_is_refused_by_its_address() {
        let addresses = |list: &[&str]| -> Vec<SocketAddr> {
            list.iter()
                .map(|a| SocketAddr::new(a.parse().unwrap(), 443))
                .collect()
        };
        assert_eq!(
            refuse_private("app.example.com", &addresses(&["93.184.216.34"])),
            Ok(())
        );
        assert_eq!(
            refuse_private(
                "app.example.com",
                &addresses(&["93.184.216.34", "10.0.0.5"])
            ),
            Err(Failure::PrivateHost {
                host: "app.example.com".into(),
                address: Some("10.0.0.5".into()),
                reason: "a private address".into(),
            })
        );
        assert!(refuse_private("rebind.example.com", &addresses(&["::ffff:127.0.0.1"])).is_err());
        assert!(refuse_private("v6.example.com", &addresses(&["fe80::1"])).is_err());
    }

    #[test]
    fn hsts_and_static_headers() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("etag", "\"abc\"".parse().unwrap());
        headers.insert(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains".parse().unwrap(),
        );
        let mut attempt = Attempt::failed(Failure::TimeoutBeforeHeaders);
        inspect_headers(&headers, &mut attempt);
        assert_eq!(attempt.static_file_headers, ["etag"]);
        assert_eq!(attempt.hsts_max_age, Some(31_536_000));
        headers.insert("cache-control", "no-cache, no-store".parse().unwrap());
        let mut attempt = Attempt::failed(Failure::TimeoutBeforeHeaders);
        inspect_headers(&headers, &mut attempt);
        assert!(attempt.static_file_headers.is_empty());
    }
}
