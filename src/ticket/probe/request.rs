//! One request, exactly as Atlassian's monitor sends it: the host resolved and refused when the
//! monitor could not reach it, a client pinned to the checked addresses, an unauthenticated
//! GET with redirects not followed, and the whole response within the limit.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::cert;
use super::result::{Attempt, BODY_CAP, Failure, ProbeOptions, TlsSummary};
use crate::net::{unreachable_host, unreachable_ip};
use crate::program::HEALTH_CHECK_STATUS;
use crate::source::plain_io;

/// All samples of one URL, `options.interval` apart (one attempt when the URL cannot be
/// requested at all, reported once per sample).
pub async fn samples(
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
        let attempt = request(&client, url, options.limit, false).await;
        on_attempt(&attempt);
        attempts.push(attempt);
    }
    attempts
}

/// Resolve the host, refuse what the monitor could not reach, and build a client pinned to the
/// checked addresses (so that a second lookup cannot swap them).
pub(super) async fn prepare(url: &str, options: &ProbeOptions) -> Result<reqwest::Client, Failure> {
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
                        reason: format!("cannot resolve `{bare}`: {}", plain_io(&error)),
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
        .use_preconfigured_tls(tls_config()?)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(crate::ticket::health_check::USER_AGENT)
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

/// The TLS settings of every request: the platform's verifier (the system's roots), with
/// rustls's crypto from `ring` (see the README's dependencies). Built once per process: reading
/// the roots is most of what building a client costs, and each request builds one (a fresh
/// connection, as Atlassian's monitor gets).
fn tls_config() -> Result<rustls::ClientConfig, Failure> {
    static CONFIG: std::sync::OnceLock<Result<rustls::ClientConfig, String>> =
        std::sync::OnceLock::new();
    CONFIG
        .get_or_init(|| {
            use rustls_platform_verifier::ConfigVerifierExt;
            // Installed once per process; a second call finds it installed and changes nothing.
            let _ = rustls::crypto::ring::default_provider().install_default();
            rustls::ClientConfig::with_platform_verifier().map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|reason| Failure::InvalidUrl {
            reason: format!("cannot set up TLS: {reason}"),
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

/// One GET with the probe's safety (the host checked, the limit, the body cap), its body kept:
/// the descriptor a base URL serves.
pub async fn fetch(url: &str, options: &ProbeOptions) -> Attempt {
    match prepare(url, options).await {
        Ok(client) => request(&client, url, options.limit, true).await,
        Err(failure) => Attempt::failed(failure),
    }
}

/// One GET, judged as the monitor judges it.
async fn request(client: &reqwest::Client, url: &str, limit: Duration, keep_body: bool) -> Attempt {
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
            if keep_body && attempt.body_bytes <= BODY_CAP {
                attempt
                    .body
                    .get_or_insert_with(Vec::new)
                    .extend_from_slice(&chunk);
            }
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
