//! App and health check: base URLs Atlassian's monitor can reach, a health path it can judge,
//! and a mailbox that receives its alerts.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::rules::app`.

use super::rule::Family;
use super::rule::Severity::{Error, Warning};

super::rule::family! {
    Family::App;
    NOT_HTTPS {
        code: "CF201",
        name: "base-url-not-https",
        severity: Error,
        summary: "A base URL does not use https",
        docs: "## What it checks
Every entry of `app.base_urls` must start with `https://`.

## Why it matters
Atlassian's security requirements for Marketplace apps demand TLS 1.2 or higher for all
traffic, and its monitor requests the health check on each base URL exactly as written: a
plain `http://` base URL fails both the review and the security requirements.

## Example
Fails:
```yaml
  base_urls:
    - http://timesheets.acme.example
```

Passes:
```yaml
  base_urls:
    - https://timesheets.acme.example
```
",
    }

    UNREACHABLE {
        code: "CF202",
        name: "unreachable-base-url",
        severity: Error,
        summary: "A base URL points at a host Atlassian cannot reach",
        docs: "## What it checks
The host of each base URL must be reachable from the public internet: not `localhost`, not
an IP literal in a loopback, private, link-local, unique-local or shared range, not a
single-label name, and not a `.local`, `.internal` or similar private name.

## Why it matters
Atlassian's monitor sends its health check requests from Atlassian's own infrastructure.
A host it cannot reach fails every request: 0 % availability from the first minute.

## Example
Fails:
```yaml
  base_urls:
    - https://timesheets.internal
```

Passes:
```yaml
  base_urls:
    - https://timesheets.acme.example
```
",
    }

    CREDENTIALS_OR_QUERY {
        code: "CF203",
        name: "base-url-credentials-or-query",
        severity: Error,
        summary: "A base URL carries credentials, a query string or a fragment",
        docs: "## What it checks
Base URLs must not contain `user:password@`, a `?query` or a `#fragment`.

## Why it matters
The health check URL is the base URL followed by the health path; a query or fragment in the
base URL produces a broken URL, and credentials in a questionnaire end up in a ticket and in
your repository history. Atlassian's monitor sends no credentials at all.

## Example
Fails:
```yaml
  base_urls:
    - https://monitor:s3cret@timesheets.acme.example?region=eu
```

Passes:
```yaml
  base_urls:
    - https://eu.timesheets.acme.example
```
",
    }

    DUPLICATE_BASE_URL {
        code: "CF204",
        name: "duplicate-base-url",
        severity: Warning,
        summary: "The same base URL is listed twice",
        docs: "## What it checks
Base URLs that are the same after ignoring the case of the scheme and host and a trailing
`/`.

## Why it matters
Atlassian applies the SLO to each base URL individually; a duplicate suggests a region or a
version that was meant to be listed and is missing.

## Example
Fails:
```yaml
  base_urls:
    - https://timesheets.acme.example
    - https://Timesheets.acme.example/
```

Passes: each base URL that receives customer traffic, once.
",
    }

    STATIC_HEALTH_CHECK {
        code: "CF205",
        name: "static-health-check",
        severity: Warning,
        summary: "The health check path looks like a static file",
        docs: "## What it checks
A health check path that names a static resource: `atlassian-connect.json`, or a path
ending in `.html`, `.htm`, `.json`, `.txt`, `.xml` or an image extension.

## Why it matters
For a server-backed app Atlassian considers a static resource not appropriate as a health
check: a CDN keeps serving it while the app is down, so the monitor measures nothing.
`atlassian-connect.json` may serve only when the server generates it dynamically.

## Example
Fails:
```yaml
  health_check:
    path: /atlassian-connect.json
```

Passes:
```yaml
  health_check:
    path: /healthcheck
```
",
    }

    PERSONAL_MAILBOX {
        code: "CF206",
        name: "personal-slo-mailbox",
        severity: Warning,
        summary: "The SLO-breach address looks like a person's, not a shared mailbox",
        docs: "## What it checks
`app.contacts.slo_alerts` should be a shared mailbox: an address of the form
`first.last@` (with no role word such as ops, sre, alerts or reliability), or one at a free
mail provider, is flagged.

## Why it matters
Atlassian sends SLO-breach alerts (after a single failed health check in 15 minutes) to a
generic email address the partner gives in the ticket, not to a person: people go on
holiday and leave the company, and the alert goes unread.

## Example
Fails:
```yaml
    slo_alerts: jane.doe@acme.example
```

Passes:
```yaml
    slo_alerts: reliability@acme.example
```
",
    }

    CONNECT_WITHOUT_HEALTH_CHECK {
        code: "CF207",
        name: "connect-without-health-check",
        severity: Error,
        summary: "A Connect app declares no health check or no base URLs",
        docs: "## What it checks
When `framework` is `connect`, `app.health_check` and `app.base_urls` are required. (The
schema phase reports it, at the `app` mapping.)

## Why it matters
Atlassian measures a Connect app's availability, its one SLI, by requesting the health
check on every base URL about every 60 seconds. Without them there is nothing to measure
and the approval cannot start.

## Example
Fails:
```yaml
app:
  framework: connect
  base_urls: [https://timesheets.acme.example]
```

Passes:
```yaml
app:
  framework: connect
  base_urls: [https://timesheets.acme.example]
  health_check:
    path: /healthcheck
```
",
    }
}
