//! Incident management: coverage measured against the error budget, alerts that watch
//! availability, detection before customers (in the channels and in the answer's words),
//! thresholds with numbers.

use serde_json::Value;

use super::context::Context;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::duration::{self, human, ratio};
use crate::program::{ALERT_WINDOW, error_budget};
use crate::ticket::health_check::Kind;
use crate::ticket::model::{Availability, Channel, Coverage, Framework, IncidentManagement};
use crate::ticket::registry::incident::{
    COVERAGE_GAP, CUSTOMERS_DETECT, CUSTOMERS_FIRST, NO_AVAILABILITY_ALERT,
    THRESHOLD_WITHOUT_NUMBER,
};
use std::time::Duration;

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

/// Mark the minutes of the week one range such as `Mon-Fri 08:00-18:00` covers; `None` when
/// it does not parse.
fn mark(range: &str, covered: &mut [bool]) -> Option<()> {
    let (days, times) = range.trim().split_once(' ')?;
    // `Sat 10:00-16:00` is one day: `Sat-Sat`.
    let (first, last) = days.split_once('-').unwrap_or((days, days));
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
    let count = (last + 7 - first) % 7 + 1;
    for offset in 0..count {
        let from = ((first + offset) % 7) * 24 * 60 + start;
        for minute in from..from + length {
            covered[minute % MINUTES_PER_WEEK] = true;
        }
    }
    Some(())
}

/// The longest uncovered stretch of the week for `hours`, one range or several (follow the
/// sun, weekend rotas), such as `Mon-Fri 08:00-18:00`: (minute of the week it starts, its
/// length in minutes). `None` when a range does not parse or the whole week is covered.
pub fn longest_gap<S: AsRef<str>>(ranges: &[S]) -> Option<(usize, usize)> {
    let mut covered = vec![false; MINUTES_PER_WEEK];
    for range in ranges {
        mark(range.as_ref(), &mut covered)?;
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

/// Words that are a count in a threshold: "any failed check" is Atlassian's own alert rule,
/// "every failure", "each error" and "a single failure" say one, as digits do.
const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "fifteen", "twenty", "thirty", "sixty", "hundred", "single", "once",
    "twice", "half", "any", "every", "each", "first",
];

/// What counts as an availability signal of a Forge app with no remote: Atlassian runs its
/// functions, so invocation errors and the success rate are what tell it is down.
fn watches_forge_invocations(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "invocation",
        "success rate",
        "error rate",
        "errors",
        "failure rate",
        "failed function",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// CF602's message for an app of this kind: who would tell the partner first.
fn no_availability_message(kind: Kind) -> &'static str {
    match kind {
        Kind::Connect => {
            "no alert watches availability or the health check: Atlassian's SLO-breach email would be the first to tell you"
        }
        _ => {
            "no alert watches availability or the functions' invocations: a customer or Forge's own alert email would be the first to tell you"
        }
    }
}

/// CF602's help for an app of this kind: what watches its availability.
fn availability_alert_help(kind: Kind) -> &'static str {
    match kind {
        Kind::Connect => "alert on health check failures for every base URL, within minutes",
        Kind::ForgeWithoutRemote => {
            "alert on your functions' invocation errors or success rate (the developer console's metrics, or a Forge alert rule), within minutes"
        }
        Kind::ForgeWithRemote | Kind::ConnectOnForge => {
            "alert on your functions' invocation errors or success rate (a Forge alert rule), and on your remote's own health check or errors if you watch it, within minutes"
        }
    }
}

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
    coverage_gap(context, incidents, out);
    no_availability_alert(context, incidents, out);
    customers_detect(context, incidents, out);
    detection_says_customers_first(context, incidents, out);
    threshold_without_number(context, incidents, out);
}

/// CF602: no alert watches availability. Judged once some alert names its metric (the
/// starter's empty alert is not judged).
fn no_availability_alert(
    context: &Context<'_>,
    incidents: &IncidentManagement,
    out: &mut Vec<Diagnostic>,
) {
    // A Forge app's functions run on Atlassian's platform: their invocation errors and success
    // rate are an availability signal (the only one of a Forge app with no remote).
    let kind = context.kind();
    let forge = kind != Kind::Connect;
    let watches =
        |text: &str| watches_availability(text) || (forge && watches_forge_invocations(text));
    if let Some(alerts) = &incidents.alerts
        && alerts.iter().any(|alert| alert.metric.is_some())
        && !alerts.iter().any(|alert| {
            alert.metric.as_deref().is_some_and(watches)
                || alert.threshold.as_deref().is_some_and(watches)
        })
    {
        out.push(
            context
                .at_key(
                    &NO_AVAILABILITY_ALERT,
                    "/incident_management/alerts",
                    no_availability_message(kind),
                )
                .help(availability_alert_help(kind)),
        );
    }
}

/// CF603: the detection channels are only customers' reports and tickets.
fn customers_detect(
    context: &Context<'_>,
    incidents: &IncidentManagement,
    out: &mut Vec<Diagnostic>,
) {
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
}

/// CF605: the detection answer says customers usually find incidents first.
fn detection_says_customers_first(
    context: &Context<'_>,
    incidents: &IncidentManagement,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(description) = incidents
        .detection
        .as_ref()
        .and_then(|d| d.description.as_deref())
        && let Some(clause) = customers_first(description)
    {
        out.push(
            context
                .at(
                    &CUSTOMERS_FIRST,
                    "/incident_management/detection/description",
                    format!("the detection answer says customers find incidents first: \"{clause}\""),
                )
                .help("say how monitoring catches incidents before customers do (alerts on the health check and error rates), or make it so"),
        );
    }
}

/// CF604: an alert threshold with no number in it.
fn threshold_without_number(
    context: &Context<'_>,
    incidents: &IncidentManagement,
    out: &mut Vec<Diagnostic>,
) {
    for (index, alert) in incidents.alerts.iter().flat_map(|a| a.iter()).enumerate() {
        if let Some(threshold) = alert.threshold.as_deref()
            && !has_number(threshold)
            && super::text::placeholder(threshold).is_none()
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

/// Who, in a detection answer, finds incidents when it is not the partner's monitoring.
const REPORTERS: &[&str] = &["customer", "user", "client", "ticket", "support request"];
/// How often: the clause says it is the usual way.
const USUALLY: &[&str] = &[
    "most",
    "usually",
    "often",
    "majority",
    "typically",
    "generally",
    "mainly",
    "primarily",
    "first",
    "tend to",
    "normally",
];
/// Finding out.
const FINDS: &[&str] = &[
    "report",
    "notice",
    "find",
    "found",
    "discover",
    "tell",
    "told",
    "hear",
    "learn",
    "detect",
    "spot",
    "raise",
    "come from",
    "comes from",
    "come in",
    "let us know",
    "contact us",
    "complain",
    "flag",
];
/// A clause that says the opposite.
const DENIES: &[&str] = &[
    "rarely",
    "seldom",
    "never",
    "not ",
    "n't",
    "few ",
    "fewer",
    "hardly",
    "rather than",
    "instead of",
    "no longer",
    "unlike",
];
/// The partner's own detection, named in the same clause.
const MONITORING: &[&str] = &[
    "monitor",
    "alert",
    "alarm",
    "synthetic",
    "health check",
    "health-check",
    "probe",
    "uptime",
    "datadog",
    "sentry",
    "new relic",
    "grafana",
    "pagerduty",
    "opsgenie",
    "dashboard",
];
const BEFORE: &[&str] = &["before", "ahead of", "earlier than", "sooner than"];

/// The clauses of a text: its sentences, and the parts joined by a contrast or `, and`, each
/// trimmed of spaces and list markers.
fn clauses(text: &str) -> Vec<&str> {
    const JOINS: &[&str] = &[", and ", " but ", " while ", " whereas ", ", although "];
    let mut out = Vec::new();
    for sentence in text.split(['.', ';', '\n', ':']) {
        let mut rest = sentence;
        while let Some((at, join)) = JOINS
            .iter()
            .filter_map(|join| rest.find(join).map(|at| (at, join.len())))
            .min()
        {
            out.push(&rest[..at]);
            rest = &rest[at + join..];
        }
        out.push(rest);
    }
    out.into_iter()
        .map(|clause| clause.trim_matches(|c: char| c.is_whitespace() || c == '-' || c == '*'))
        .filter(|clause| !clause.is_empty())
        .collect()
}

/// CF605: the clause of a detection answer that says customers (or their tickets) usually find
/// incidents first, if one does.
pub fn customers_first(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let first = |cues: &[&str], clause: &str| cues.iter().filter_map(|cue| clause.find(cue)).min();
    for clause in clauses(&lower) {
        let Some(reporter) = first(REPORTERS, clause) else {
            continue;
        };
        if first(USUALLY, clause).is_none()
            || first(FINDS, clause).is_none()
            || first(DENIES, &format!("{clause} ")).is_some()
        {
            continue;
        }
        // Monitoring named too: customers first only when they come before a `before`.
        let before = first(BEFORE, clause);
        let ahead = before.is_some_and(|at| reporter < at);
        if ahead || (first(MONITORING, clause).is_none() && before.is_none()) {
            // The clause as written, when lowercasing kept the offsets.
            let start = clause.as_ptr() as usize - lower.as_ptr() as usize;
            let written = text
                .get(start..start + clause.len())
                .filter(|written| written.to_lowercase() == clause);
            return Some(written.unwrap_or(clause).to_owned());
        }
    }
    None
}

/// CF601: the worst case the program would see outside the covered hours, against the 28-day
/// error budget. With out-of-hours paging, detection plus acknowledgement (for a Connect app,
/// detection is Atlassian's alert on a failed health check); without it, the longest gap.
fn coverage_gap(context: &Context<'_>, incidents: &IncidentManagement, out: &mut Vec<Diagnostic>) {
    if let Some(availability) = &incidents.availability
        && let Some(coverage) = availability.coverage
        && coverage != Coverage::TwentyFourSeven
        && let Some(hours) = &availability.hours
        && let Some(gap) = longest_gap(&hours.0)
        && context.measured()
    {
        gap_against_budget(context, availability, coverage, gap, out);
    }
}

/// CF601 once a gap is found: the worst case set against the budget, with or without paging.
fn gap_against_budget(
    context: &Context<'_>,
    availability: &Availability,
    coverage: Coverage,
    (start, minutes): (usize, usize),
    out: &mut Vec<Diagnostic>,
) {
    let budget = error_budget();
    let alert_minutes = ALERT_WINDOW.as_secs() / 60;
    // Atlassian probes the health check of a Connect app (and of one whose framework is not
    // said yet); it documents no health check for Forge.
    let probed = context
        .questionnaire
        .app
        .as_ref()
        .and_then(|app| app.framework)
        != Some(Framework::Forge);
    let out_of_hours = availability.out_of_hours.as_ref();
    // Whole minutes of the budget left for an acknowledgement, once the detection is taken.
    let room =
        |taken: Duration| Duration::from_secs(budget.saturating_sub(taken).as_secs() / 60 * 60);
    // The acknowledgement time that fits: after Atlassian's alert for a probed app.
    let fits = room(if probed { ALERT_WINDOW } else { Duration::ZERO });
    let suggested = duration::shortest(fits.as_secs());
    let paging = format!("`out_of_hours: {{paged: true, acknowledge_within: {suggested}}}`");
    if out_of_hours.and_then(|o| o.paged) == Some(true) {
        // A missing or malformed acknowledge_within is the schema's finding.
        let Some(acknowledge) = out_of_hours
            .and_then(|o| o.acknowledge_within.as_deref())
            .and_then(|text| duration::parse(text).ok())
        else {
            return;
        };
        let Some((message, help)) = acknowledged_late(coverage, probed, acknowledge, fits) else {
            return;
        };
        const ACKNOWLEDGE: &str =
            "/incident_management/availability/out_of_hours/acknowledge_within";
        out.push(
            context
                .at(&COVERAGE_GAP, ACKNOWLEDGE, message)
                .help(help)
                .fix(Fix::replace(
                    Applicability::Unsafe,
                    ACKNOWLEDGE,
                    Value::String(suggested),
                    context.positions.value(ACKNOWLEDGE),
                )),
        );
        return;
    }
    let gap = Duration::from_secs(minutes as u64 * 60);
    let zone = availability
        .timezone
        .as_deref()
        .map(|z| format!(" {z}"))
        .unwrap_or_default();
    let help = if probed {
        format!(
            "Atlassian alerts after one failed health check in {alert_minutes} minutes, at any hour: page a responder out of hours ({paging}), or extend coverage"
        )
    } else {
        format!(
            "nobody responds before {}{zone}: page a responder out of hours ({paging}), or extend coverage",
            minute_of_week(start + minutes)
        )
    };
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
            .help(help)
            .fix(Fix::display(
                "/incident_management/availability/out_of_hours",
                serde_json::json!({"paged": true, "acknowledge_within": suggested}),
            )),
    );
}

/// CF601 with out-of-hours paging: the message and help when the acknowledgement (after
/// Atlassian's alert, for a probed app) outlasts the budget; `None` when it fits.
fn acknowledged_late(
    coverage: Coverage,
    probed: bool,
    acknowledge: Duration,
    fits: Duration,
) -> Option<(String, String)> {
    let budget = error_budget();
    let alert_minutes = ALERT_WINDOW.as_secs() / 60;
    Some(if probed {
        let worst = ALERT_WINDOW + acknowledge;
        if worst <= budget {
            return None;
        }
        (
            format!(
                "{} coverage with out-of-hours paging: an outage that starts out of hours is acknowledged after {}: {} to Atlassian's alert + {} to acknowledge, {} the budget of {}",
                coverage.as_str(),
                human(worst),
                human(ALERT_WINDOW),
                human(acknowledge),
                ratio(worst, budget),
                human(budget)
            ),
            format!(
                "Atlassian alerts within {alert_minutes} minutes of a failed health check, at any hour: acknowledge out-of-hours pages within {} so that both fit in the 28-day error budget, or extend coverage",
                human(fits)
            ),
        )
    } else {
        if acknowledge <= budget {
            return None;
        }
        (
            format!(
                "{} coverage with out-of-hours paging: a page out of hours is acknowledged after {}, {} the 28-day error budget of {}",
                coverage.as_str(),
                human(acknowledge),
                ratio(acknowledge, budget),
                human(budget)
            ),
            format!(
                "Atlassian probes no health check of a Forge app, so your own alert starts the clock: acknowledge within {}, or extend coverage",
                human(fits)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours_leave_the_weekend_open() {
        let (start, minutes) = longest_gap(&["Mon-Fri 08:00-18:00"]).unwrap();
        assert_eq!(minute_of_week(start), "Friday 18:00");
        assert_eq!(minutes, 62 * 60);
        assert_eq!(minute_of_week(start + minutes), "Monday 08:00");
    }

    #[test]
    fn gaps_across_sunday_midnight_and_overnight_shifts() {
        let (start, minutes) = longest_gap(&["Tue-Sat 09:00-17:00"]).unwrap();
        assert_eq!(
            (minute_of_week(start).as_str(), minutes),
            ("Saturday 17:00", (7 + 24 + 24 + 9) * 60)
        );
        // 22:00-06:00 every day leaves 16 hours a day.
        assert_eq!(longest_gap(&["Mon-Sun 22:00-06:00"]).unwrap().1, 16 * 60);
        assert_eq!(longest_gap(&["Mon-Sun 00:00-24:00"]), None);
        assert_eq!(
            longest_gap(&["Fri-Mon 00:00-24:00"]).unwrap().1,
            3 * 24 * 60
        );
        assert_eq!(longest_gap(&["weekdays"]), None);
    }

    #[test]
    fn several_ranges_are_one_week() {
        // A weekday rota and a shorter weekend one: the longest gap is Saturday night.
        let (start, minutes) =
            longest_gap(&["Mon-Fri 07:00-22:00", "Sat-Sun 09:00-17:00"]).unwrap();
        assert_eq!(minute_of_week(start), "Saturday 17:00");
        assert_eq!(minutes, 16 * 60);
        // Only Saturday on weekends: from Saturday 17:00 to Monday 07:00.
        let (start, minutes) =
            longest_gap(&["Mon-Fri 07:00-22:00", "Sat-Sat 09:00-17:00"]).unwrap();
        assert_eq!(minute_of_week(start), "Saturday 17:00");
        assert_eq!(minutes, (7 + 24 + 7) * 60);
        // One day alone is the same range as `Sat-Sat`.
        assert_eq!(
            longest_gap(&["Mon-Fri 07:00-22:00", "Sat 09:00-17:00"]),
            longest_gap(&["Mon-Fri 07:00-22:00", "Sat-Sat 09:00-17:00"])
        );
        // Follow the sun: two overlapping shifts cover every day.
        assert_eq!(
            longest_gap(&["Mon-Sun 00:00-13:00", "Mon-Sun 12:00-24:00"]),
            None
        );
        // One range that does not parse: no judgement.
        assert_eq!(longest_gap(&["Mon-Fri 08:00-18:00", "weekends"]), None);
    }

    #[test]
    fn customers_first_is_read_in_the_answer() {
        for text in [
            "Datadog watches the service, but in practice customers usually report incidents first.",
            "Most incidents are reported by customers.",
            "We usually learn about outages from support tickets.",
            "In practice customers usually tell us before our monitoring does.",
            "Our users are often the first to notice a problem.",
        ] {
            assert!(customers_first(text).is_some(), "{text:?} was not flagged");
        }
        for text in [
            "Most incidents in the last year were found by monitoring before a ticket arrived.",
            "Support tickets tagged \"outage\" in Jira Service Management also page on-call.",
            "Customers rarely report an incident first: monitoring does.",
            "Most incidents are detected by monitoring and reported to customers on the status page.",
            "Customers reach us through the support portal; we reply within one business day, usually within a few hours.",
            "Most alerts come from monitoring, and some from customer reports.",
            "We find most issues before customers notice them.",
        ] {
            assert_eq!(customers_first(text), None, "{text:?} was flagged");
        }
    }

    #[test]
    fn thresholds_need_numbers() {
        assert!(has_number("1 failed check in 5 minutes"));
        assert!(has_number("a single failed check"));
        assert!(has_number("any failed check"));
        assert!(has_number("every failure"));
        assert!(!has_number("when latency is high"));
    }
}
