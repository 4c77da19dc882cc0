//! URLs and hosts as Atlassian sees them: which hosts its monitor (on the public internet) can
//! never reach. Shared by the lint rules (on the names written) and the probe (on the
//! addresses a name resolves to). Also the one place the async runtime is built.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The async runtime of whatever uses the network (the probe, monitor, notify, SMTP): one
/// thread, built only here and only when a request is to be made (lint, render and the rest
/// never start one).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Ctrl-C (and SIGTERM on Unix) ask a run (the monitor's, the Forge poller's) to stop after
/// the work in flight: `stop` is set and `stopped` notified. Needs a runtime..
pub fn stop_on_signal(
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    stopped: std::sync::Arc<tokio::sync::Notify>,
) {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut terminate) = signal(SignalKind::terminate()) else {
                let _ = tokio::signal::ctrl_c().await;
                stop.store(true, std::sync::atomic::Ordering::SeqCst);
                stopped.notify_one();
                return;
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        stopped.notify_one();
    });
}

/// The parts of an absolute URL, split without normalising anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts<'a> {
    pub scheme: &'a str,
    pub userinfo: Option<&'a str>,
    /// The host as written, without the brackets of an IPv6 literal.
    pub host: &'a str,
    pub port: Option<&'a str>,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

/// Split `scheme://[userinfo@]host[:port][path][?query][#fragment]`.
pub fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        return None;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (rest, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    Some(UrlParts {
        scheme,
        userinfo,
        host,
        port,
        path,
        query,
        fragment,
    })
}

/// Why Atlassian's monitor could not reach this address, if it could not.
pub fn unreachable_ip(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => unreachable_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return unreachable_v4(v4);
            }
            let first = v6.segments()[0];
            if v6.is_loopback() {
                Some("a loopback address")
            } else if v6.is_unspecified() {
                Some("the unspecified address")
            } else if first & 0xfe00 == 0xfc00 {
                Some("a unique-local (private) IPv6 address")
            } else if first & 0xffc0 == 0xfe80 {
                Some("a link-local address")
            } else if v6 == Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0)
                || (first == 0x2001 && v6.segments()[1] == 0xdb8)
            {
                Some("a documentation address")
            } else {
                None
            }
        }
    }
}

fn unreachable_v4(v4: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = v4.octets();
    if v4.is_loopback() {
        Some("a loopback address")
    } else if v4.is_private() {
        Some("a private address")
    } else if v4.is_link_local() {
        Some("a link-local address")
    } else if v4.is_unspecified() || a == 0 {
        Some("the unspecified address")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a shared (carrier-grade NAT) address")
    } else if v4.is_broadcast() || a >= 224 {
        Some("a multicast or reserved address")
    } else if (a, b, c) == (192, 0, 2) || (a, b, c) == (198, 51, 100) || (a, b, c) == (203, 0, 113)
    {
        Some("a documentation address")
    } else {
        None
    }
}

/// Why Atlassian's monitor could not reach a host written in a URL, if it could not.
pub fn unreachable_host(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = host.parse::<IpAddr>() {
        return unreachable_ip(ip).map(str::to_owned);
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Some("the local machine (localhost)".to_owned());
    }
    for suffix in [
        ".local",
        ".internal",
        ".lan",
        ".home.arpa",
        ".intranet",
        ".corp",
    ] {
        if host.ends_with(suffix) {
            return Some(format!("a private `{suffix}` name"));
        }
    }
    if !host.contains('.') {
        return Some("a single-label name that only resolves inside a private network".to_owned());
    }
    None
}

/// `%XX` escapes decoded (a URL's user, password or path), invalid UTF-8 replaced.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls() {
        let parts = split_url("https://user:pw@app.example.com:8443/base?x=1#top").unwrap();
        assert_eq!(parts.scheme, "https");
        assert_eq!(parts.userinfo, Some("user:pw"));
        assert_eq!(parts.host, "app.example.com");
        assert_eq!(parts.port, Some("8443"));
        assert_eq!(parts.path, "/base");
        assert_eq!(parts.query, Some("x=1"));
        assert_eq!(parts.fragment, Some("top"));
        let v6 = split_url("http://[::1]:8080/").unwrap();
        assert_eq!((v6.host, v6.port, v6.path), ("::1", Some("8080"), "/"));
        assert_eq!(split_url("https://").map(|p| p.host), None);
        assert_eq!(split_url("app.example.com"), None);
    }

    #[test]
    fn knows_what_the_monitor_cannot_reach() {
        for host in [
            "localhost",
            "api.localhost",
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "app.internal",
            "printer.local",
            "intranet",
            "203.0.113.5",
        ] {
            assert!(unreachable_host(host).is_some(), "{host}");
        }
        for host in [
            "timesheets.acme.example",
            "8.8.8.8",
            "2606:4700::1111",
            "172.32.0.1",
            "app.example.com.",
        ] {
            assert_eq!(unreachable_host(host), None, "{host}");
        }
    }
}
