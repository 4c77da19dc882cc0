//! Probe findings: what Atlassian's monitor would count as a failure, and what leaves it little
//! margin. Emitted from the probe's results, not from the questionnaire's text.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! the probe (`crate::ticket::probe::findings`).

use super::rule::Family;
use super::rule::Severity::{Error, Warning};

super::rule::family! {
    Family::Probe;
    PRIVATE_HOST {
        code: "CF701",
        name: "probe-private-host",
        severity: Error,
        summary: "The health check host is one Atlassian's monitor cannot reach",
        docs: "## What it checks
Before any request, the probe resolves the host and refuses it when the name or any address
it resolves to is loopback, private, link-local, unique-local IPv6 or otherwise not on the
public internet. `--allow-private` lifts the refusal, for a staging server or a test.

## Why it matters
Atlassian's monitor requests the health check from Atlassian's infrastructure: it cannot
reach such a host, so every request would fail. The check is on the resolved address, so a
public-looking name that points inside a private network is caught too, and a questionnaire
in CI cannot turn the probe into a scanner of the internal network.

## Example
Fails: `https://timesheets.internal` or a name that resolves to `10.0.0.5`.

Passes: a public host name that resolves to public addresses.
",
    }

    DNS {
        code: "CF702",
        name: "probe-dns",
        severity: Error,
        summary: "The health check host name does not resolve",
        docs: "## What it checks
The host of each health check URL resolves to at least one address.

## Why it matters
A name that does not resolve fails every one of the monitor's requests. Typical causes: a
typo in the base URL, a record not created yet, or a name only internal DNS knows.

## Example
Fails: `https://timesheets.acme.exmaple` (misspelt).

Passes: the name customers' sites actually call.
",
    }

    CONNECTION {
        code: "CF703",
        name: "probe-connection",
        severity: Error,
        summary: "The connection was refused or closed without a response",
        docs: "## What it checks
The server accepts the connection and answers: a refused connection, a reset, or a connection
closed before any response are failures, each named.

## Why it matters
Each is a failed request for the monitor. A refused connection usually means nothing listens
on that port (wrong port, service down); a closed connection means the server or a proxy in
front of it gave up on the request.

## Example
Fails: `connection refused` on port 443.

Passes: the server answers `200 OK`.
",
    }

    TLS {
        code: "CF704",
        name: "probe-tls",
        severity: Error,
        summary: "The TLS handshake failed (expired, untrusted or wrong-name certificate)",
        docs: "## What it checks
The https connection succeeds with the system's trusted certificate authorities: the
certificate is valid today, signed by a trusted authority, and issued for the host name.
The message gives rustls's reason.

## Why it matters
Atlassian's monitor verifies certificates like any client; a certificate it does not accept
fails every request, and Atlassian requires TLS 1.2 or higher for all app traffic.

## Example
Fails: a self-signed certificate, or one that expired last night.

Passes: a certificate from a public authority, renewed automatically.
",
    }

    TIMEOUT {
        code: "CF705",
        name: "probe-timeout",
        severity: Error,
        summary: "No whole response within the 3-second limit",
        docs: "## What it checks
The status line, the headers and the body arrive within 3 seconds (or the lower `--timeout`).
The message says which part was late: nothing came back, or the body did not finish.

## Why it matters
Atlassian's monitor counts a response that takes longer than 3 seconds as a failure. A
health check that checks dependencies must still answer within that limit.

## Example
Fails: a health check that queries every downstream service in sequence and takes 4 s.

Passes: a dedicated endpoint that answers in milliseconds.
",
    }

    REDIRECT {
        code: "CF706",
        name: "probe-redirect",
        severity: Error,
        summary: "The health check answers with a redirect",
        docs: "## What it checks
The health check URL answers directly, not with a 3xx redirect. The message names the
`Location`.

## Why it matters
Atlassian's monitor does not follow redirects: a 301 or 302 is a failure, even if the target
would answer 200. Common causes: `http` to `https`, a missing or extra trailing slash, or a
login redirect.

## Example
Fails: `/healthcheck` answers `301` to `/healthcheck/`.

Passes: `/healthcheck` answers `200` itself.
",
    }

    STATUS {
        code: "CF707",
        name: "probe-status",
        severity: Error,
        summary: "The health check answers with a status other than 200",
        docs: "## What it checks
The status is exactly 200.

## Why it matters
Only 200 OK counts as success for Atlassian's monitor (any 2xx did before April 2023): 204
No Content fails too. A 401 or 403 means the endpoint demands authentication, but the
monitor sends unauthenticated requests; a 404 means the path is wrong.

## Example
Fails: `401 Unauthorized`, `204 No Content`, `503 Service Unavailable`.

Passes: `200 OK`.
",
    }

    SLOW {
        code: "CF708",
        name: "probe-slow",
        severity: Warning,
        summary: "The health check's p95 latency leaves little headroom to 3 seconds",
        docs: "## What it checks
With `--samples`, the 95th percentile of the total response time is at most 1 second.

## Why it matters
A health check that takes more than a second on a quiet afternoon will cross 3 seconds under
load or during a slow dependency, and each such request is a failure against a budget of 40
minutes per 28 days.

## Example
Fails: p95 1.8 s (headroom 1.2 s).

Passes: p95 40 ms.
",
    }

    CERTIFICATE_EXPIRING {
        code: "CF709",
        name: "probe-certificate-expiring",
        severity: Warning,
        summary: "The TLS certificate expires within 30 days",
        docs: "## What it checks
The leaf certificate of each https base URL is valid for at least 30 more days.

## Why it matters
An expired certificate fails every request of the monitor from the minute it lapses; 30
days leave time to notice a renewal that did not happen.

## Example
Fails: a certificate that expires in 12 days.

Passes: a certificate renewed automatically 30 days before it expires.
",
    }

    STATIC_RESPONSE {
        code: "CF710",
        name: "probe-static-response",
        severity: Warning,
        summary: "The health check response looks like a static file",
        docs: "## What it checks
The response carries `ETag`, `Last-Modified` or `Accept-Ranges` without
`Cache-Control: no-store`: the marks of a file served by a web server or a CDN.

## Why it matters
For a server-backed app Atlassian considers a static resource not appropriate as a health
check: a CDN or web server keeps serving it while the app behind it is down.

## Example
Fails: `/healthcheck.json` served from a bucket with an `ETag`.

Passes: an endpoint the app server answers itself, with `Cache-Control: no-store`.
",
    }

    NO_HSTS {
        code: "CF711",
        name: "probe-no-hsts",
        severity: Warning,
        summary: "An https base URL sends no HSTS header with a max-age of a year",
        docs: "## What it checks
The health check response over https carries `Strict-Transport-Security` with a `max-age`
of at least 31,536,000 seconds (one year).

## Why it matters
Atlassian's Marketplace security requirements ask for TLS 1.2 or higher on all traffic and
HSTS with a max-age of at least one year. The health check is the one endpoint the probe may
call anonymously, so it is where cfready can see it.

## Example
Fails: no `Strict-Transport-Security` header, or `max-age=86400`.

Passes: `Strict-Transport-Security: max-age=31536000; includeSubDomains`.
",
    }

    LARGE_BODY {
        code: "CF712",
        name: "probe-large-body",
        severity: Warning,
        summary: "The health check response is larger than 1 MiB",
        docs: "## What it checks
The body of the health check response is at most 1 MiB; the probe stops reading there and
never interprets it.

## Why it matters
A health check answers \"up\" in a few bytes. A large body costs transfer time against the
3-second limit on every request, about every 60 seconds, on every base URL.

## Example
Fails: the health check returns the whole app bundle.

Passes: `{\"status\":\"ok\"}`.
",
    }

    SERVED_DESCRIPTOR_MISMATCH {
        code: "CF713",
        name: "served-descriptor-mismatch",
        severity: Error,
        summary: "A base URL serves a descriptor whose baseUrl or key is another",
        docs: "## What it checks
With `app.health_check.descriptor_path` set (such as `/atlassian-connect.json`), `probe` and
`check` fetch the descriptor each base URL serves, once, with the health check's safety
(the private-host guard, 3 s, 1 MiB), and compare its `baseUrl` with that base URL and its
`key` with `app.key`.

## Why it matters
Customers installed from that base URL run an app whose descriptor points elsewhere: their
traffic goes to another host, whose health nobody listed, or another app is served there.
A changed `baseUrl` also needs Atlassian's approval again.

## Example
Fails: `https://eu.timesheets.acme.example/atlassian-connect.json` serves
`\"baseUrl\": \"https://timesheets.acme.example\"`.

Passes: each base URL serves a descriptor with its own `baseUrl`.
",
    }

    SERVED_DESCRIPTOR_UNAVAILABLE {
        code: "CF714",
        name: "served-descriptor-unavailable",
        severity: Warning,
        summary: "The descriptor a base URL serves cannot be fetched or is not a descriptor",
        docs: "## What it checks
The request for `app.health_check.descriptor_path` on each base URL answers 200 within 3 s
with a JSON object that has a `key` and a `baseUrl` (text), as every Connect descriptor has.

## Why it matters
Atlassian installs and updates the app from the descriptor its base URL serves; one that
cannot be fetched, or that lacks the `key` or `baseUrl` CF713 compares, cannot be checked,
and may not be installable.

## Example
Reported: `/atlassian-connect.json` answers 404, or `{\"status\":\"ok\"}` (a path that names
the health check, not the descriptor).

Quiet: it answers 200 with the descriptor.
",
    }
    FORGE_NOTHING_TO_PROBE {
        code: "CF715",
        name: "forge-nothing-to-probe",
        severity: Error,
        summary: "probe, monitor or export was asked of a Forge app that declares no health check",
        docs: "## What it checks
`cfready probe`, `monitor` and `export prometheus` read a Forge app's questionnaire (one with
`framework: forge`) and find no health check URL to request: a Forge app without a remote
(no `app.base_urls`), or a Forge app with a remote, or a Connect on Forge app, whose
`app.health_check.path` is not declared. `lint` and `check` do not report it: the program
asks no health check of a Forge app. (A Connect app without one is CF207.)

## Why it matters
Atlassian's availability requirement, a health check requested on every base URL, is written
for Connect apps; for Forge apps no health check requirement is documented. A Forge app
without a remote runs on Atlassian's platform, and what Atlassian shows of its reliability
is its functions' invocations (the developer console's invocation success rate, count and
errors), which no health check request can measure: `cfready monitor --forge` polls them
from Atlassian's App metrics API into the store and `cfready slo --forge` reports them (`slo
--forge-metrics` reads files saved from the API). A Forge remote is the partner's own server: when the partner declares a
health check on it, cfready probes and monitors it like any other, for the partner's own
watch. The command refuses (exit 1 for `probe` and `export`, 2 for `monitor`), since there is
nothing it could do.

## Example
Reported:
```yaml
app:
  framework: forge
  key: ari:cloud:ecosystem::app/2c6e5f0a-3b7d-4e8f-9a1b-0c2d3e4f5a6b
```

Quiet: a Forge remote with its health check:
```yaml
app:
  framework: forge
  base_urls: [https://remote.glossaria.example]
  health_check:
    path: /status/health
```
",
    }
}
