//! Scalability: how the app behaves when Atlassian's APIs rate-limit it.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::scalability`.

use super::rule::Family;
use super::rule::Severity::{Error, Warning};

super::rule::family! {
    Family::Scalability;
    RETRY_AFTER_IGNORED {
        code: "CF301",
        name: "retry-after-ignored",
        severity: Error,
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
    }

    NO_BACKOFF {
        code: "CF302",
        name: "no-backoff",
        severity: Error,
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
    }

    FIXED_BACKOFF {
        code: "CF303",
        name: "fixed-backoff",
        severity: Warning,
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
    }

    RETRY_COUNT {
        code: "CF304",
        name: "retry-count",
        severity: Warning,
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
    }
}
