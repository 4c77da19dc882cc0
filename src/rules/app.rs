//! App and health check: base URLs Atlassian's monitor can reach, a health path it can judge,
//! and a mailbox that receives its alerts.

use super::{Context, Family, Rule};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Warning};
use crate::net::{split_url, unreachable_host};

pub const NOT_HTTPS: Rule = Rule {
    code: "CF201",
    name: "base-url-not-https",
    severity: Error,
    family: Family::App,
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
};

pub const UNREACHABLE: Rule = Rule {
    code: "CF202",
    name: "unreachable-base-url",
    severity: Error,
    family: Family::App,
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
};

pub const CREDENTIALS_OR_QUERY: Rule = Rule {
    code: "CF203",
    name: "base-url-credentials-or-query",
    severity: Error,
    family: Family::App,
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
};

pub const DUPLICATE_BASE_URL: Rule = Rule {
    code: "CF204",
    name: "duplicate-base-url",
    severity: Warning,
    family: Family::App,
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
};

pub const STATIC_HEALTH_CHECK: Rule = Rule {
    code: "CF205",
    name: "static-health-check",
    severity: Warning,
    family: Family::App,
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
};

pub const PERSONAL_MAILBOX: Rule = Rule {
    code: "CF206",
    name: "personal-slo-mailbox",
    severity: Warning,
    family: Family::App,
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
};

pub const CONNECT_WITHOUT_HEALTH_CHECK: Rule = Rule {
    code: "CF207",
    name: "connect-without-health-check",
    severity: Error,
    family: Family::App,
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
};

pub const RULES: &[&Rule] = &[
    &NOT_HTTPS,
    &UNREACHABLE,
    &CREDENTIALS_OR_QUERY,
    &DUPLICATE_BASE_URL,
    &STATIC_HEALTH_CHECK,
    &PERSONAL_MAILBOX,
    &CONNECT_WITHOUT_HEALTH_CHECK,
];

const STATIC_EXTENSIONS: &[&str] = &[
    ".html", ".htm", ".json", ".txt", ".xml", ".png", ".gif", ".jpg", ".svg", ".ico", ".css", ".js",
];

/// Words that make an address a role mailbox rather than a person's.
const ROLE_WORDS: &[&str] = &[
    "admin",
    "alert",
    "alerts",
    "apps",
    "atlassian",
    "cloud",
    "devops",
    "dev",
    "engineering",
    "help",
    "incident",
    "incidents",
    "info",
    "it",
    "marketplace",
    "monitoring",
    "noc",
    "oncall",
    "on-call",
    "ops",
    "operations",
    "platform",
    "reliability",
    "security",
    "service",
    "sla",
    "slo",
    "sre",
    "status",
    "support",
    "team",
    "tech",
    "uptime",
];

const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "aol.com",
    "mail.ru",
    "yandex.ru",
    "qq.com",
];

/// Why an address looks personal, if it does.
pub fn personal_address(address: &str) -> Option<String> {
    let (local, domain) = address.rsplit_once('@')?;
    let local = local.to_ascii_lowercase();
    let domain = domain.to_ascii_lowercase();
    let parts: Vec<&str> = local
        .split(['.', '_', '-', '+'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.iter().any(|part| ROLE_WORDS.contains(part)) {
        return None;
    }
    if FREE_MAIL.contains(&domain.as_str()) {
        return Some(format!("`{domain}` is a personal mail provider"));
    }
    let name_like = |p: &&str| p.len() > 1 && p.chars().all(|c| c.is_ascii_alphabetic());
    if parts.len() == 2 && parts.iter().all(name_like) && local.contains(['.', '_']) {
        return Some(format!(
            "`{local}` reads like a person's first and last name"
        ));
    }
    None
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(app) = &context.questionnaire.app else {
        return;
    };
    let mut seen: Vec<(String, usize)> = Vec::new();
    let urls = context
        .value
        .pointer("/app/base_urls")
        .and_then(|v| v.as_array());
    for (index, url) in urls.into_iter().flatten().enumerate() {
        let Some(url) = url.as_str() else { continue };
        let pointer = format!("/app/base_urls/{index}");
        let Some(parts) = split_url(url) else {
            continue;
        };
        if !parts.scheme.eq_ignore_ascii_case("https") {
            out.push(
                context
                    .at(
                        &NOT_HTTPS,
                        &pointer,
                        format!("base URL `{url}` does not use https"),
                    )
                    .help("Atlassian requires TLS 1.2 or higher for all app traffic: use https://"),
            );
        }
        if let Some(why) = unreachable_host(parts.host) {
            out.push(
                context
                    .at(
                        &UNREACHABLE,
                        &pointer,
                        format!("base URL `{url}` points at {why}, which Atlassian's monitor cannot reach"),
                    )
                    .help("list the public URL that customers' Jira or Confluence sites call"),
            );
        }
        let mut extras = Vec::new();
        if parts.userinfo.is_some() {
            extras.push("credentials");
        }
        if parts.query.is_some() {
            extras.push("a query string");
        }
        if parts.fragment.is_some() {
            extras.push("a fragment");
        }
        if !extras.is_empty() {
            out.push(
                context
                    .at(
                        &CREDENTIALS_OR_QUERY,
                        &pointer,
                        format!("base URL `{url}` contains {}", extras.join(" and ")),
                    )
                    .help("a base URL is scheme, host and optional path only; the monitor sends no credentials"),
            );
        }
        let normal = format!(
            "{}://{}{}{}",
            parts.scheme.to_ascii_lowercase(),
            parts.host.to_ascii_lowercase(),
            parts.port.map(|p| format!(":{p}")).unwrap_or_default(),
            parts.path.trim_end_matches('/')
        );
        if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == normal) {
            let line = context
                .positions
                .value(&format!("/app/base_urls/{first}"))
                .map_or(String::new(), |s| format!(" (line {})", s.line));
            out.push(context.at(
                &DUPLICATE_BASE_URL,
                &pointer,
                format!("base URL `{url}` is already listed{line}"),
            ));
        } else {
            seen.push((normal, index));
        }
    }

    if let Some(path) = app.health_check.as_ref().and_then(|h| h.path.as_deref()) {
        let file = path
            .split(['?', '#'])
            .next()
            .unwrap_or(path)
            .to_ascii_lowercase();
        let looks_static = file.ends_with("atlassian-connect.json")
            || STATIC_EXTENSIONS.iter().any(|ext| file.ends_with(ext));
        if looks_static {
            out.push(
                context
                    .at(
                        &STATIC_HEALTH_CHECK,
                        "/app/health_check/path",
                        format!("health check path `{path}` looks like a static file"),
                    )
                    .help("serve a dedicated endpoint that the app server answers itself, such as /healthcheck"),
            );
        }
    }

    if let Some(address) = app.contacts.as_ref().and_then(|c| c.slo_alerts.as_deref())
        && let Some(why) = personal_address(address)
    {
        out.push(
            context
                .at(
                    &PERSONAL_MAILBOX,
                    "/app/contacts/slo_alerts",
                    format!("SLO-breach alerts go to `{address}`, which looks personal: {why}"),
                )
                .help("use a shared mailbox such as reliability@ or oncall@ that a team reads"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_people_from_mailboxes() {
        assert!(personal_address("jane.doe@acme.example").is_some());
        assert!(personal_address("jane_doe@acme.example").is_some());
        assert!(personal_address("acme.reliability@gmail.com").is_none());
        assert!(personal_address("acmeapps@gmail.com").is_some());
        for shared in [
            "reliability@acme.example",
            "sre.team@acme.example",
            "oncall@acme.example",
            "cloud-ops@acme.example",
            "jira.alerts@acme.example",
        ] {
            assert_eq!(personal_address(shared), None, "{shared}");
        }
    }
}
