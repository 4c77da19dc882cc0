//! Developer First Rollout testing: real DFR sites, synthetic tests that run often, and no
//! reliance on the removed Metrics publish API.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::dfr`.

use super::rule::Family;
use super::rule::Severity::{Error, Warning};

super::rule::family! {
    Family::Dfr;
    NOT_A_CLOUD_SITE {
        code: "CF401",
        name: "dfr-instance-not-cloud-site",
        severity: Error,
        summary: "A DFR instance is not an https://<site>.atlassian.net site",
        docs: "## What it checks
Each entry of `dfr_testing.instances` must be an Atlassian Cloud site URL of the form
`https://<site>.atlassian.net`.

## Why it matters
Developer First Rollout instances are Atlassian Cloud sites that receive product changes
early; Atlassian expects Cloud Fortified apps to test on them to catch breaking changes
before customers do. A staging server of your own is not a DFR instance.

## Example
Fails:
```yaml
  instances:
    - https://staging.acme.example
```

Passes:
```yaml
  instances:
    - https://acme-dfr-jira.atlassian.net
```
",
    }

    NO_SYNTHETIC_TESTS {
        code: "CF402",
        name: "no-synthetic-tests",
        severity: Warning,
        summary: "No synthetic tests run against the DFR instance",
        docs: "## What it checks
`dfr_testing.synthetic_tests` is present.

## Why it matters
Step 2 of the program's reliability requirements asks for synthetic tests that simulate
users through Jira or Confluence and run regularly against the Developer First Rollout
instance, so that a product change that breaks the app's core journeys is spotted quickly.

## Example
Fails: a `dfr_testing` section without `synthetic_tests`.

Passes:
```yaml
  synthetic_tests:
    tool: Playwright
    interval: 15m
    scenarios:
      - Log time from the issue view panel
```
",
    }

    SYNTHETIC_INTERVAL {
        code: "CF403",
        name: "synthetic-interval-too-long",
        severity: Warning,
        summary: "Synthetic tests run less often than once a day",
        docs: "## What it checks
`dfr_testing.synthetic_tests.interval` is at most 24 hours (and not zero).

## Why it matters
Synthetic tests exist to spot product changes that degrade the app *quickly*. Run weekly,
they report a breakage days after customers met it.

## Example
Fails:
```yaml
    interval: 1w
```

Passes:
```yaml
    interval: 15m
```
",
    }

    METRICS_PUBLISH_API {
        code: "CF404",
        name: "metrics-publish-api",
        severity: Warning,
        summary: "An answer relies on the removed Metrics publish API",
        docs: "## What it checks
A heuristic on prose, so a warning (`--strict` fails on it). It fires on a sentence of any
answer that names the Metrics publish API
(`PUT /rest/atlassian-connect/latest/addons-metrics/{addon_key}/publish`, \"metrics publish
API\", \"addons-metrics\"), for example to publish synthetic test results or iframe metrics.

It deliberately leaves alone a sentence that says the API is gone from the app: negation
(\"no longer\", \"do not use\", \"never\"), the past (\"used to\", \"previously\",
\"stopped\"), or a replacement (\"removed\", \"deprecated\", \"replaced\", \"instead of\",
\"migrated away from\"). \"We no longer use the Metrics publish API, which Atlassian removed\"
passes.

## Why it matters
The Metrics publish API was deprecated and removed after April 24, 2023, and the metrics it
carried (custom iframe events, synthetic test results) left the program on October 24, 2022.
An answer that relies on it describes a process that no longer works.

## Example
Fails:
```yaml
  post_deployment: |
    Synthetic test results are sent to Atlassian through the Metrics publish API.
```

Passes:
```yaml
  post_deployment: |
    Synthetic test failures page our on-call engineer through PagerDuty.
```
",
    }
}
