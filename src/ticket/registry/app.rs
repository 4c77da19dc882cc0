//! App and health check: base URLs Atlassian's monitor can reach, a health path it can judge,
//! and a mailbox that receives its alerts.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::app`.

use super::rule::Family;
use super::rule::Severity::{Error, Info, Warning};

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

    DESCRIPTOR_UNREADABLE {
        code: "CF208",
        name: "descriptor-unreadable",
        severity: Error,
        summary: "The descriptor or manifest named by the questionnaire cannot be read",
        docs: "## What it checks
`app.descriptor` (Connect, JSON) or `app.manifest` (Forge, YAML), or `--descriptor PATH`,
names a file that exists and reads as one mapping, with the questionnaire's loader and its
limits (4 MiB, 64 levels, no duplicate keys, aliases bounded).

## Why it matters
The cross-checks of the questionnaire against the app (key, name, base URLs) need the file.
A path that points nowhere is a questionnaire that no longer describes the repository.

## Example
Fails: `descriptor: atlassian-connect.json` where the file was moved to `static/`.

Passes: `descriptor: static/atlassian-connect.json`.
",
    }

    DESCRIPTOR_TEMPLATED {
        code: "CF209",
        name: "descriptor-templated",
        severity: Info,
        summary: "A descriptor value is a template placeholder and cannot be checked",
        docs: "## What it checks
A value the cross-check compares (`key`, `baseUrl`, `name`) holds a template placeholder such
as atlassian-connect-express's `{{localBaseUrl}}`.

## Why it matters
The value is only known when the app starts, so cfready cannot compare it; this is a note,
not an error of the app. Set `app.health_check.descriptor_path` so that `cfready probe`
checks the descriptor each base URL actually serves.

## Example
Reported: `\"baseUrl\": \"{{localBaseUrl}}\"`.

Quiet: `\"baseUrl\": \"https://timesheets.acme.example\"`.
",
    }

    DESCRIPTOR_KEY_MISMATCH {
        code: "CF210",
        name: "descriptor-key-mismatch",
        severity: Error,
        summary: "The app key differs from the descriptor's key or the manifest's app id",
        docs: "## What it checks
Connect: the descriptor's `key` equals `app.key`. Forge: the manifest's `app.id` equals
`app.key`. When a Forge app's `app.key` is still its Connect key (the manifest's
`app.connect.key`), the safe fix writes the manifest's app id, the key of a Forge app; the
Connect key stays in the manifest and in `app.connect_key` (CF218).

## Why it matters
The ticket is about the app with that key; a mistyped key sends the reviewer to another app,
or to none.

## Example
Fails: `key: com.acme.timesheet` beside a descriptor whose key is `com.acme.timesheets`.

Passes: the same key in both.
",
    }

    DESCRIPTOR_BASE_URL_UNLISTED {
        code: "CF211",
        name: "descriptor-base-url-unlisted",
        severity: Error,
        summary: "The descriptor's baseUrl is not among the questionnaire's base URLs",
        docs: "## What it checks
The Connect descriptor's `baseUrl` is one of `app.base_urls` (compared without a trailing
slash, the scheme and host without case).

## Why it matters
Atlassian monitors the base URLs that receive customer traffic, and those come from the
descriptors. A `baseUrl` missing from the ticket is a URL whose SLO nobody listed, and a
changed `baseUrl` needs approval again.

## Example
Fails: a descriptor with `\"baseUrl\": \"https://eu.timesheets.acme.example\"` beside
`base_urls: [https://timesheets.acme.example]`.

Passes: both base URLs listed.
",
    }

    DESCRIPTOR_NAME_MISMATCH {
        code: "CF212",
        name: "descriptor-name-mismatch",
        severity: Warning,
        summary: "The app name or vendor differs between the questionnaire and the descriptor",
        docs: "## What it checks
The Connect descriptor's `name` equals `app.name`, and its `vendor.name` equals
`app.partner`.

## Why it matters
The reviewer reads both; two names for one app make them ask which is meant.

## Example
Fails: `name: Acme Timesheets` beside a descriptor named `Acme Timesheets for Jira`.

Passes: the same name in both.
",
    }

    DESCRIPTOR_AS_HEALTH_CHECK {
        code: "CF213",
        name: "descriptor-as-health-check",
        severity: Warning,
        summary: "The health check path is the descriptor, served as a static file",
        docs: "## What it checks
`app.health_check.path` is the descriptor's own path (such as `/atlassian-connect.json`)
while the descriptor in the repository is a static file (no template placeholder).

## Why it matters
The program says a static resource is not an appropriate health check for a server-backed
app, and `atlassian-connect.json` may only serve as one if the server generates it
dynamically: a static file answers 200 while the app is down.

## Example
Fails: `path: /atlassian-connect.json` with a plain `atlassian-connect.json`.

Passes: `path: /healthcheck`, an endpoint that checks the app.
",
    }

    FORGE_REMOTE_UNLISTED {
        code: "CF214",
        name: "forge-remote-unlisted",
        severity: Warning,
        summary: "A Forge remote's https baseUrl is not among the questionnaire's base URLs",
        docs: "## What it checks
Each `remotes[].baseUrl` of the Forge manifest that is an https URL is one of
`app.base_urls`.

## Why it matters
Forge Remote endpoints receive customer traffic: they are the base URLs whose reliability the
reviewer asks about.

## Example
Fails: a remote `https://api.acme.example` not listed under `base_urls`.

Passes: it is listed.
",
    }

    BASE_URL_IN_NO_REMOTE {
        code: "CF215",
        name: "base-url-in-no-remote",
        severity: Warning,
        summary: "A Forge app lists a base URL that is in none of the manifest's remotes",
        docs: "## What it checks
Each of `app.base_urls` of a Forge app is the `baseUrl` of one of the manifest's `remotes`.

## Why it matters
A Forge app receives customer traffic at Atlassian's infrastructure and at its remotes; a
base URL in no remote is one the app does not call, left over or mistyped.

## Example
Fails: `base_urls: [https://old.acme.example]` with remotes on `https://api.acme.example`.

Passes: the remote's URL listed.
",
    }

    DESCRIPTOR_INCOMPLETE {
        code: "CF216",
        name: "descriptor-incomplete",
        severity: Error,
        summary: "The descriptor or manifest lacks what its framework requires, so it cannot be checked",
        docs: "## What it checks
The Connect descriptor has a `key` and a `baseUrl` (both text), which every Connect
descriptor must have; the Forge manifest has an `app.id`.

## Why it matters
The cross-checks of the questionnaire against the app compare exactly these values: without
them nothing is compared, and a check that compares nothing would pass silently. A descriptor
without a `key` or a `baseUrl` is also one that Atlassian cannot install; it is often another
JSON file named by mistake, or a fragment that a build step completes.

## Example
Fails: `descriptor: atlassian-connect.json` where the file has a `key` but no `baseUrl`.

Passes: a descriptor with both, such as `\"key\": \"com.acme.timesheets\"` and
`\"baseUrl\": \"https://timesheets.acme.example\"` (a template such as `{{localBaseUrl}}` is
a note, CF209).
",
    }

    CONNECT_KEY_MISMATCH {
        code: "CF217",
        name: "connect-key-mismatch",
        severity: Error,
        summary: "The Connect key differs from the Connect on Forge manifest's app.connect.key",
        docs: "## What it checks
For a Forge app with a manifest (`app.manifest`, or `--descriptor PATH`): `app.connect_key`
equals the manifest's `app.connect.key`, and is set only when the manifest has one.

## Why it matters
A Connect on Forge app is a Forge app whose manifest still carries Connect modules under
the Connect key it had on Connect (`app.connect.key`, which Atlassian documents for apps that
adopt Forge from Connect): installations, app properties and the Marketplace listing are the
Connect key's. A questionnaire that names another key describes another app; one that names
a Connect key the manifest no longer carries describes a migration that has finished (remove
`app.connect_key` then).

## Example
Fails: `connect_key: com.acme.timesheet` beside a manifest with
`app: {connect: {key: com.acme.timesheets}}`.

Passes: the same key in both.
",
    }

    CONNECT_KEY_UNDECLARED {
        code: "CF218",
        name: "connect-key-undeclared",
        severity: Warning,
        summary: "The manifest carries a Connect key the questionnaire does not name",
        docs: "## What it checks
For a Forge app with a manifest: the manifest has `app.connect.key` (a Connect on Forge app)
and the questionnaire has no `app.connect_key`.

## Why it matters
The reviewer knows the app by the Connect key its listing and installations have; the
ticket names it beside the app id only when the questionnaire does. The fix is safe: it
writes the manifest's own value as `app.connect_key`, above `app.key` (`lint --fix`).

## Example
Fails: a manifest with `app.connect.key: com.acme.timesheets` beside a questionnaire with no
`connect_key`.

Passes:
```yaml
app:
  connect_key: com.acme.timesheets
  key: ari:cloud:ecosystem::app/2c6e5f0a-3b7d-4e8f-9a1b-0c2d3e4f5a6b
  framework: forge
  manifest: manifest.yml
```
",
    }

    REVIEW_DUE {
        code: "CF219",
        name: "annual-review-due",
        severity: Info,
        summary: "Atlassian's annual review of the app is within 30 days",
        docs: "## What it checks
`app.approved_on`, the date Atlassian approved the app, gives the next annual review: the
last week of the approval month, the first year that week is not over. The note appears from
30 days before that week starts until it ends, with the review's dates: Atlassian's notice
(two weeks before) and the deadline to fix what it finds (four weeks after).

## Why it matters
Atlassian reviews every Cloud Fortified app once a year, and also checks the Marketplace
Privacy & Security tab and the support contact. A month is the time to prepare the pack
(`cfready review --since REV --format markdown`): the year of the SLO, the answers changed
since approval, the findings new since then. `monitor --notify` reminds at 30 and 14 days.

## Example
Reported (today 2026-11-24): `approved_on: 2025-11-05`, a review from 2026-11-24 to
2026-11-30.

Quiet: `approved_on: 2026-03-12`, a review in March 2027.
",
    }
}
