//! Incident management: coverage measured against the error budget, alerts that watch
//! availability, detection before customers, thresholds with numbers.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::incident`.

use super::rule::Family;
use super::rule::Severity::{Error, Warning};

super::rule::family! {
    Family::Incident;
    COVERAGE_GAP {
        code: "CF601",
        name: "coverage-gap",
        severity: Warning,
        summary: "Out of hours, an outage outlasts the error budget: the longest gap, or alert plus acknowledgement",
        docs: "## What it checks
For `business-hours` and `extended-hours` coverage, cfready judges the worst case the program
would see outside the covered hours against the error budget: 99.9 % over 28 days is
40 min 19 s.

- Without out-of-hours paging (`out_of_hours` absent, or `paged: false`): the longest stretch
  of the week with nobody available, computed from `hours` (one range or a list of ranges)
  across the week boundary. `Mon-Fri 08:00-18:00` leaves Friday 18:00 to Monday 08:00, 62
  hours.
- With `out_of_hours: {paged: true, acknowledge_within: 30m}`: detection plus acknowledgement.
  For a Connect app, Atlassian alerts within 15 minutes of a failed health check, so 30m
  makes 45m, 1.1x the budget; 25m (40m) fits. Atlassian probes no health check of a Forge
  app, so there only the acknowledgement is judged.
- A Forge app with no remote backend (no `base_urls`) is not judged: it runs on Atlassian's
  platform and has no base URL whose 28-day SLO an outage could breach.

The suggestion is computed from the budget, so applying it clears the finding: an unsafe fix
to `acknowledge_within` (25m for Connect, 40m for Forge with a remote), or, without paging, the
`out_of_hours` mapping to add.

## Why it matters
Atlassian alerts after a single failed health check in 15 minutes, at any hour. An outage
that starts when nobody is available lasts until someone is: a weekend outage is about 92
times the whole 28-day budget. Page a responder out of hours and acknowledge fast enough,
or extend coverage.

## Example
Fails:
```yaml
    coverage: business-hours
    hours: Mon-Fri 08:00-18:00
    timezone: Europe/Berlin
```

Passes:
```yaml
    coverage: extended-hours
    hours: [Mon-Fri 07:00-22:00, Sat-Sun 09:00-17:00]
    timezone: Australia/Sydney
    out_of_hours:
      paged: true
      acknowledge_within: 20m
```
",
    }

    NO_AVAILABILITY_ALERT {
        code: "CF602",
        name: "no-availability-alert",
        severity: Warning,
        summary: "No alert watches availability or the health check",
        docs: "## What it checks
At least one entry of `incident_management.alerts` watches availability: its metric or
threshold mentions the health check, availability, uptime, downtime, reachability, a
heartbeat or liveness. For a Forge app (`framework: forge`, with or without a remote), whose
functions run on Atlassian's platform, an alert on its functions' invocation errors, error
rate, failure rate or success rate counts as well. Alerts that only watch resources (CPU,
memory, queue depth) do not.

## Why it matters
The program's one SLI is availability, measured for a Connect app through the health check
on every base URL. Without an alert of your own on it, Atlassian's SLO-breach email is how
you learn of an outage; the program exists so that partners detect incidents before
customers (and Atlassian) do. The program documents no health check for Forge: what
Atlassian shows of a Forge app is its invocations (the developer console's success rate,
count and errors), so the help for a Forge app says to alert on those (a Forge alert rule),
and on the remote's own health check or errors where the partner watches one.

## Example
Fails: alerts on CPU and error rates only.

Passes:
```yaml
    - metric: Health check failures (per base URL)
      threshold: 1 failed check in 5 minutes
      notifies: On-call engineer (PagerDuty)
```
",
    }

    CUSTOMERS_DETECT {
        code: "CF603",
        name: "detection-by-customers-only",
        severity: Error,
        summary: "Incidents are only detected through support tickets or customer reports",
        docs: "## What it checks
`incident_management.detection.channels` includes at least one channel other than
`support-tickets` and `customer-reports`.

## Why it matters
The Cloud Fortified program exists to reduce the mean time to detect: \"to detect issues by
monitoring rather than relying on customers to report issues\". Detection only through
customers is the opposite of what the reviewer looks for.

## Example
Fails:
```yaml
    channels: [support-tickets, customer-reports]
```

Passes:
```yaml
    channels: [monitoring, health-check, support-tickets]
```
",
    }

    THRESHOLD_WITHOUT_NUMBER {
        code: "CF604",
        name: "threshold-without-number",
        severity: Warning,
        summary: "An alert threshold has no number in it",
        docs: "## What it checks
Each `incident_management.alerts[].threshold` contains a number: digits, a number word
(`one`, `five`, `single`, `twice`...), or a word that is a count in a threshold (`any`,
`every`, `each`, `first`). \"any failed check\" is Atlassian's own alert rule and passes; so
does \"a single failure\". A heuristic on prose: a warning.

## Why it matters
The seed asks for \"the alert thresholds\". \"When latency is high\" is not a threshold; a
reviewer cannot judge whether the alert fires in time without a value and a window.

## Example
Fails:
```yaml
      threshold: when the error rate is high
```

Passes:
```yaml
      threshold: above 1 % of requests for 5 minutes
```
",
    }

    CUSTOMERS_FIRST {
        code: "CF605",
        name: "customers-report-first",
        severity: Warning,
        summary: "The detection answer says customers find most incidents first",
        docs: "## What it checks
`incident_management.detection.description` is read one clause at a time (sentences, and
the parts of a sentence joined by `, and`, `but`, `while`, `whereas`). A clause is flagged
when it says that customers, users, clients or support tickets usually find incidents:
a word for who (`customers`, `users`, `support tickets`), a word for how often (`most`,
`usually`, `often`, `typically`, `mainly`, `first`...) and a word for finding out
(`report`, `notice`, `find`, `tell us`, `learn`, `come from`...), as in \"Most incidents are
reported by customers first\" or \"We usually learn about outages from support tickets\".
It fires even when `channels` lists monitoring: the answer says what the channels do.

It leaves alone a clause that denies it (`rarely`, `never`, `not`, `few`, `rather than`,
`instead of`), a clause in which monitoring comes first (\"monitoring catches most incidents
before a ticket arrives\"): when the clause names monitoring or alerts too, it is flagged
only if the customers come before a `before`), and clauses that say how tickets are handled
without saying they come first (\"urgent support tickets page on-call\"). A heuristic on
prose: a warning.

## Why it matters
The program exists to detect incidents before customers do. An answer that admits customers
usually come first is the answer a reviewer asks about, whatever the channel list says.

## Example
Fails:
```yaml
    description: |
      Datadog watches the service, but in practice customers usually report incidents first.
```

Passes:
```yaml
    description: |
      Datadog alerts on the health check and error rates; most incidents are caught by
      monitoring before a support ticket arrives.
```
",
    }
}
