//! Scalability: how the app behaves when Atlassian's APIs rate-limit it.

use super::{Context, Family, Rule};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Warning};
use crate::model::Backoff;

/// Retry counts above this keep a request hammering a rate-limited API for minutes.
pub const MAX_SENSIBLE_RETRIES: i64 = 10;

pub const RETRY_AFTER_IGNORED: Rule = Rule {
    code: "CF301",
    name: "retry-after-ignored",
    severity: Error,
    family: Family::Scalability,
    summary: "The app does not honour Retry-After on rate-limited responses",
    docs: "## What it checks
`scalability.rate_limits.honours_retry_after` must be `true`.

## Why it matters
Atlassian's APIs answer a rate-limited request with HTTP 429 and a `Retry-After` header
giving the seconds to wait; retrying earlier fails again and prolongs the limit for every
user of the site. Atlassian's rate-limiting guidance asks apps to honour it.

## Example
Fails:
```yaml
    honours_retry_after: false
```

Passes:
```yaml
    honours_retry_after: true
```
",
};

pub const NO_BACKOFF: Rule = Rule {
    code: "CF302",
    name: "no-backoff",
    severity: Error,
    family: Family::Scalability,
    summary: "The app retries rate-limited requests without backing off",
    docs: "## What it checks
`scalability.rate_limits.backoff` must not be `none`.

## Why it matters
Without `Retry-After`, Atlassian's guidance is exponential backoff with jitter (for example
a 5 s base doubling to a 30 s cap, with x0.7-1.3 jitter). Retrying at once turns a rate limit
into a retry storm that keeps the app limited and its users waiting.

## Example
Fails:
```yaml
    backoff: none
```

Passes:
```yaml
    backoff: exponential-jitter
```
",
};

pub const FIXED_BACKOFF: Rule = Rule {
    code: "CF303",
    name: "fixed-backoff",
    severity: Warning,
    family: Family::Scalability,
    summary: "The app retries rate-limited requests at a fixed interval",
    docs: "## What it checks
`scalability.rate_limits.backoff: fixed` is flagged.

## Why it matters
A fixed delay makes every client retry in lockstep, so the load returns in waves; Atlassian
recommends exponential backoff with jitter, which spreads retries out.

## Example
Fails:
```yaml
    backoff: fixed
```

Passes:
```yaml
    backoff: exponential-jitter
```
",
};

pub const RETRY_COUNT: Rule = Rule {
    code: "CF304",
    name: "retry-count",
    severity: Warning,
    family: Family::Scalability,
    summary: "The retry limit is 0 or above 10",
    docs: "## What it checks
`scalability.rate_limits.max_retries` between 1 and 10.

## Why it matters
With no retries a single 429 becomes an error for the user; with many, one request keeps
hitting a rate-limited API for minutes. Atlassian's example is 4 retries.

## Example
Fails:
```yaml
    max_retries: 50
```

Passes:
```yaml
    max_retries: 4
```
",
};

pub const RULES: &[&Rule] = &[
    &RETRY_AFTER_IGNORED,
    &NO_BACKOFF,
    &FIXED_BACKOFF,
    &RETRY_COUNT,
];

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(limits) = context
        .questionnaire
        .scalability
        .as_ref()
        .and_then(|s| s.rate_limits.as_ref())
    else {
        return;
    };
    const BASE: &str = "/scalability/rate_limits";
    if limits.honours_retry_after == Some(false) {
        out.push(
            context
                .at(
                    &RETRY_AFTER_IGNORED,
                    &format!("{BASE}/honours_retry_after"),
                    "the app does not wait for Retry-After when Atlassian's APIs answer 429",
                )
                .help("wait the number of seconds in Retry-After before retrying; retrying earlier fails again"),
        );
    }
    match limits.backoff {
        Some(Backoff::None) => out.push(
            context
                .at(
                    &NO_BACKOFF,
                    &format!("{BASE}/backoff"),
                    "rate-limited requests are retried without any backoff",
                )
                .help("use exponential backoff with jitter (Atlassian's example: 5 s base, 30 s cap, x0.7-1.3 jitter)"),
        ),
        Some(Backoff::Fixed) => out.push(
            context
                .at(
                    &FIXED_BACKOFF,
                    &format!("{BASE}/backoff"),
                    "rate-limited requests are retried at a fixed interval, so clients retry in lockstep",
                )
                .help("use exponential backoff with jitter, as Atlassian recommends"),
        ),
        _ => {}
    }
    if let Some(retries) = limits.max_retries
        && (retries == 0 || retries > MAX_SENSIBLE_RETRIES)
    {
        let why = if retries == 0 {
            "a single 429 becomes an error for the user".to_owned()
        } else {
            format!(
                "above {MAX_SENSIBLE_RETRIES}, one request keeps hitting a rate-limited API for minutes"
            )
        };
        out.push(
            context
                .at(
                    &RETRY_COUNT,
                    &format!("{BASE}/max_retries"),
                    format!("max_retries is {retries}: {why}"),
                )
                .help("Atlassian's example is 4 retries"),
        );
    }
}
