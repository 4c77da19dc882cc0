//! Incident management: coverage measured against the error budget, alerts that watch
//! availability, detection before customers, thresholds with numbers.

use super::{Context, Family, Rule};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Warning};
use crate::duration::{human, ratio};
use crate::model::{Channel, Coverage};
use crate::program::{ALERT_WINDOW, error_budget};
use std::time::Duration;

pub const COVERAGE_GAP: Rule = Rule {
    code: "CF601",
    name: "coverage-gap",
    severity: Warning,
    family: Family::Incident,
    summary: "Responders are not available around the clock: the longest gap outlasts the error budget",
    docs: "## What it checks
For `business-hours` and `extended-hours` coverage, cfready computes the longest stretch of
the week with nobody available from `hours` (for example `Mon-Fri 08:00-18:00` leaves Friday
18:00 to Monday 08:00, 62 hours) and compares it with the error budget: 99.9 % over 28 days
is 40 min 19 s.

## Why it matters
Atlassian alerts after a single failed health check in 15 minutes, at any hour. An outage
that starts when nobody is available lasts until someone is: a weekend outage is about 92
times the whole 28-day budget. Say how out-of-hours alerts reach a responder, or extend
coverage; if you have an answer, suppress the warning with a reason
(`# cfready: ignore[CF601] <why>`).

## Example
Fails:
```yaml
    coverage: business-hours
    hours: Mon-Fri 08:00-18:00
    timezone: Europe/Berlin
```

Passes:
```yaml
    coverage: 24x7
```
",
};

pub const NO_AVAILABILITY_ALERT: Rule = Rule {
    code: "CF602",
    name: "no-availability-alert",
    severity: Warning,
    family: Family::Incident,
    summary: "No alert watches availability or the health check",
    docs: "## What it checks
At least one entry of `incident_management.alerts` watches availability: its metric or
threshold mentions the health check, availability, uptime or downtime.

## Why it matters
The program's one SLI is availability, measured through the health check. Without an alert
of your own on it, Atlassian's SLO-breach email is how you learn of an outage; the program
exists so that partners detect incidents before customers (and Atlassian) do.

## Example
Fails: alerts on CPU and error rates only.

Passes:
```yaml
    - metric: Health check failures (per base URL)
      threshold: 1 failed check in 5 minutes
      notifies: On-call engineer (PagerDuty)
```
",
};

pub const CUSTOMERS_DETECT: Rule = Rule {
    code: "CF603",
    name: "detection-by-customers-only",
    severity: Error,
    family: Family::Incident,
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
};

pub const THRESHOLD_WITHOUT_NUMBER: Rule = Rule {
    code: "CF604",
    name: "threshold-without-number",
    severity: Warning,
    family: Family::Incident,
    summary: "An alert threshold has no number in it",
    docs: "## What it checks
Each `incident_management.alerts[].threshold` contains a number (digits or a number word).

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
};

pub const RULES: &[&Rule] = &[
    &COVERAGE_GAP,
    &NO_AVAILABILITY_ALERT,
    &CUSTOMERS_DETECT,
    &THRESHOLD_WITHOUT_NUMBER,
];

const MINUTES_PER_WEEK: usize = 7 * 24 * 60;
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The longest uncovered stretch of the week for `hours` such as `Mon-Fri 08:00-18:00`:
/// (minute of the week it starts, its length in minutes). `None` when `hours` does not parse
/// or the whole week is covered.
pub fn longest_gap(hours: &str) -> Option<(usize, usize)> {
    let (days, times) = hours.trim().split_once(' ')?;
    let (first, last) = days.split_once('-')?;
    let day = |name: &str| DAYS.iter().position(|d| d[..3].eq_ignore_ascii_case(name));
    let (first, last) = (day(first)?, day(last)?);
    let (start, end) = times.split_once('-')?;
    let minute = |t: &str| -> Option<usize> {
        let (h, m) = t.split_once(':')?;
        let (h, m): (usize, usize) = (h.parse().ok()?, m.parse().ok()?);
        (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
    };
    let (start, end) = (minute(start)?, minute(end)?);
    // An end at or before the start is an overnight shift into the next day.
    let length = if end > start {
        end - start
    } else {
        end + 24 * 60 - start
    };
    let mut covered = vec![false; MINUTES_PER_WEEK];
    let count = (last + 7 - first) % 7 + 1;
    for offset in 0..count {
        let from = ((first + offset) % 7) * 24 * 60 + start;
        for minute in from..from + length {
            covered[minute % MINUTES_PER_WEEK] = true;
        }
    }
    let first_covered = covered.iter().position(|&c| c)?;
    let mut best: Option<(usize, usize)> = None;
    let mut run_start = None;
    // Walk one full week starting at a covered minute, so that a gap across Sunday midnight is one run.
    for step in 1..=MINUTES_PER_WEEK {
        let minute = (first_covered + step) % MINUTES_PER_WEEK;
        match (covered[minute], run_start) {
            (false, None) => run_start = Some((minute, step)),
            (true, Some((at, began))) => {
                let length = step - began;
                if best.is_none_or(|(_, l)| length > l) {
                    best = Some((at, length));
                }
                run_start = None;
            }
            _ => {}
        }
    }
    best
}

fn minute_of_week(minute: usize) -> String {
    let day = DAYS[minute / (24 * 60) % 7];
    format!("{day} {:02}:{:02}", minute % (24 * 60) / 60, minute % 60)
}

fn watches_availability(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "health",
        "availab",
        "uptime",
        "up-time",
        "downtime",
        "reachab",
        "heartbeat",
        "liveness",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "fifteen", "twenty", "thirty", "sixty", "hundred", "single", "once",
    "twice", "half",
];

fn has_number(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        || text
            .split(|c: char| !c.is_alphabetic())
            .any(|word| NUMBER_WORDS.contains(&word.to_lowercase().as_str()))
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(incidents) = &context.questionnaire.incident_management else {
        return;
    };
    if let Some(availability) = &incidents.availability
        && let Some(coverage) = availability.coverage
        && coverage != Coverage::TwentyFourSeven
        && let Some(hours) = availability.hours.as_deref()
        && let Some((start, minutes)) = longest_gap(hours)
    {
        let gap = Duration::from_secs(minutes as u64 * 60);
        let budget = error_budget();
        let zone = availability
            .timezone
            .as_deref()
            .map(|z| format!(" {z}"))
            .unwrap_or_default();
        out.push(
            context
                .at(
                    &COVERAGE_GAP,
                    "/incident_management/availability/coverage",
                    format!(
                        "{} coverage: an outage that starts {}{zone} and waits for {} lasts {}, {} the 28-day error budget of {}",
                        coverage.as_str(),
                        minute_of_week(start),
                        minute_of_week(start + minutes),
                        human(gap),
                        ratio(gap, budget),
                        human(budget)
                    ),
                )
                .help(format!(
                    "Atlassian alerts after one failed health check in {} minutes, at any hour: say how out-of-hours alerts reach a responder, or extend coverage",
                    ALERT_WINDOW.as_secs() / 60
                )),
        );
    }
    // Judged once some alert names its metric (the starter's empty alert is not judged).
    if let Some(alerts) = &incidents.alerts
        && alerts.iter().any(|alert| alert.metric.is_some())
        && !alerts.iter().any(|alert| {
            alert.metric.as_deref().is_some_and(watches_availability)
                || alert.threshold.as_deref().is_some_and(watches_availability)
        })
    {
        out.push(
            context
                .at_key(
                    &NO_AVAILABILITY_ALERT,
                    "/incident_management/alerts",
                    "no alert watches availability or the health check: Atlassian's SLO-breach email would be the first to tell you",
                )
                .help("alert on health check failures for every base URL, within minutes"),
        );
    }
    if let Some(detection) = &incidents.detection
        && let Some(channels) = &detection.channels
        && !channels.is_empty()
        && channels
            .iter()
            .all(|c| matches!(c, Channel::SupportTickets | Channel::CustomerReports))
    {
        out.push(
            context
                .at(
                    &CUSTOMERS_DETECT,
                    "/incident_management/detection/channels",
                    "incidents are only detected when customers report them",
                )
                .help("add monitoring of the health check and error rates; the program exists to detect incidents before customers do"),
        );
    }
    for (index, alert) in incidents.alerts.iter().flat_map(|a| a.iter()).enumerate() {
        if let Some(threshold) = alert.threshold.as_deref()
            && !has_number(threshold)
            && crate::rules::text::placeholder(threshold).is_none()
        {
            out.push(
                context
                    .at(
                        &THRESHOLD_WITHOUT_NUMBER,
                        &format!("/incident_management/alerts/{index}/threshold"),
                        format!("alert threshold `{threshold}` has no number in it"),
                    )
                    .help("give the value and the window, such as `above 1 % of requests for 5 minutes`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours_leave_the_weekend_open() {
        let (start, minutes) = longest_gap("Mon-Fri 08:00-18:00").unwrap();
        assert_eq!(minute_of_week(start), "Friday 18:00");
        assert_eq!(minutes, 62 * 60);
        assert_eq!(minute_of_week(start + minutes), "Monday 08:00");
    }

    #[test]
    fn gaps_across_sunday_midnight_and_overnight_shifts() {
        let (start, minutes) = longest_gap("Tue-Sat 09:00-17:00").unwrap();
        assert_eq!(
            (minute_of_week(start).as_str(), minutes),
            ("Saturday 17:00", (7 + 24 + 24 + 9) * 60)
        );
        // 22:00-06:00 every day leaves 16 hours a day.
        assert_eq!(longest_gap("Mon-Sun 22:00-06:00").unwrap().1, 16 * 60);
        assert_eq!(longest_gap("Mon-Sun 00:00-24:00"), None);
        assert_eq!(longest_gap("Fri-Mon 00:00-24:00").unwrap().1, 3 * 24 * 60);
        assert_eq!(longest_gap("weekdays"), None);
    }

    #[test]
    fn thresholds_need_numbers() {
        assert!(has_number("1 failed check in 5 minutes"));
        assert!(has_number("a single failed check"));
        assert!(!has_number("when latency is high"));
    }
}
