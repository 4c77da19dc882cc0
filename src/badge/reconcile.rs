//! `cfready slo HISTORY --atlassian MAIL...`: Atlassian's SLO-breach emails against the
//! history. Each email's incident-data names an SLI value over `measurementDurationSeconds`
//! ending at `time`; the history's availability over the same window, per health check URL,
//! either **agrees** (within one observation's worth), **differs** (both figures, and the failed
//! observations that explain it), or the window is **not observed** (the history covers less
//! than 90 % of it). An email without incident-data, or with a malformed one, is a finding
//! with its file: never an error.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::badge::email::incident::{IncidentData, Problem};
use crate::badge::email::read::Received;
use crate::badge::history::Observation;
use crate::diagnostic::Diagnostic;
use crate::program::HEALTH_CHECK_INTERVAL;
use crate::ticket::registry::slo::{
    ATLASSIAN_BAD_INCIDENT_DATA, ATLASSIAN_NO_INCIDENT_DATA, ATLASSIAN_NOT_OBSERVED,
    ATLASSIAN_SLI_DIFFERS,
};
use crate::timestamp::Timestamp;

/// The share of a window's expected observations the history must hold to compare it.
pub const MIN_COVERAGE: f64 = 0.9;

/// The failed observations listed per window, at most.
const LISTED: usize = 10;

/// How an email compares with the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    Agree,
    Differ,
    NotObserved,
}

impl Agreement {
    pub fn words(self) -> &'static str {
        match self {
            Agreement::Agree => "agree",
            Agreement::Differ => "differ",
            Agreement::NotObserved => "not observed",
        }
    }
}

/// A failed observation inside an email's window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failed {
    pub at: String,
    pub failure: Option<String>,
}

/// One health check URL of the history over an email's window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UrlWindow {
    pub url: String,
    pub observations: usize,
    pub failed: usize,
    /// How many observations the window holds at the URL's cadence.
    pub expected: usize,
    /// `observations / expected`, at most 1.
    pub coverage: f64,
    /// Good over all, in percent (`None` when nothing was observed).
    pub availability_percent: Option<f64>,
    /// `availability_percent - sliValue`, in percentage points.
    pub difference: Option<f64>,
    /// One observation's worth, in percentage points: what "agree" allows.
    pub tolerance: f64,
    pub agreement: Agreement,
    /// The failed observations of the window (the first ten).
    pub failures: Vec<Failed>,
}

/// One email reconciled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciled {
    pub source: String,
    pub subject: Option<String>,
    pub incident: IncidentData,
    /// The window: `time` minus the duration, to `time`.
    pub start: String,
    pub end: String,
    pub agreement: Agreement,
    /// The URL the verdict is about (the closest one), when one was observed.
    pub url: Option<String>,
    /// The failed checks Atlassian's figure stands for at its 60 s cadence (rounded).
    pub atlassian_failed: u64,
    /// One sentence: the figures, and what explains a difference.
    pub explanation: String,
    pub urls: Vec<UrlWindow>,
}

impl Reconciled {
    pub fn window(&self) -> (Timestamp, Timestamp) {
        let end = self.incident.end();
        (end.minus(self.incident.duration()), end)
    }
}

/// An email that could not be compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unread {
    pub source: String,
    pub code: &'static str,
    pub reason: String,
}

/// Every email given, reconciled or not, and the findings.
#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    pub emails: Vec<Reconciled>,
    pub unread: Vec<Unread>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

/// Reconcile the emails with the history's observations.
pub fn reconcile(observations: &[Observation], received: Vec<Received>) -> Reconciliation {
    let mut by_url: BTreeMap<&str, Vec<&Observation>> = BTreeMap::new();
    for observation in observations {
        by_url
            .entry(&observation.url)
            .or_default()
            .push(observation);
    }
    let mut urls: Vec<(&str, Vec<&Observation>, Duration)> = by_url
        .into_iter()
        .map(|(url, mut list)| {
            list.sort_by_key(|o| o.at);
            let owned: Vec<Observation> = list.iter().map(|o| (*o).clone()).collect();
            let interval = crate::badge::slo::cadence(&owned);
            (url, list, interval)
        })
        .collect();
    urls.sort_by(|a, b| a.0.cmp(b.0));
    let mut reconciliation = Reconciliation {
        emails: Vec::new(),
        unread: Vec::new(),
        diagnostics: Vec::new(),
    };
    for email in received {
        let incident = match email.incident {
            Ok(incident) => incident,
            Err(problem) => {
                let (rule, reason) = match problem {
                    Problem::Missing => (
                        &ATLASSIAN_NO_INCIDENT_DATA,
                        "no <script type=\"application/json\" id=\"incident-data\"> in an HTML part: not Atlassian's SLO-breach email, or not saved whole".to_owned(),
                    ),
                    Problem::Malformed(why) => (&ATLASSIAN_BAD_INCIDENT_DATA, format!("incident-data is not the documented object: {why}")),
                };
                reconciliation.diagnostics.push(Diagnostic::new(
                    rule,
                    format!("{}: {reason}; skipped", email.source),
                ));
                reconciliation.unread.push(Unread {
                    source: email.source,
                    code: rule.code,
                    reason,
                });
                continue;
            }
        };
        let reconciled = one(email.source, email.subject, incident, &urls);
        let rule = match reconciled.agreement {
            Agreement::Agree => None,
            Agreement::Differ => Some(&ATLASSIAN_SLI_DIFFERS),
            Agreement::NotObserved => Some(&ATLASSIAN_NOT_OBSERVED),
        };
        if let Some(rule) = rule {
            reconciliation.diagnostics.push(Diagnostic::new(
                rule,
                format!("{}: {}", reconciled.source, reconciled.explanation),
            ));
        }
        reconciliation.emails.push(reconciled);
    }
    reconciliation
}

/// A percentage without noise: `98.333`, `95`.
fn figure(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn one(
    source: String,
    subject: Option<String>,
    incident: IncidentData,
    urls: &[(&str, Vec<&Observation>, Duration)],
) -> Reconciled {
    let end = incident.end();
    let span = incident.duration();
    let start = end.minus(span);
    let windows: Vec<UrlWindow> = urls
        .iter()
        .map(|(url, list, interval)| window(url, list, *interval, start, end, &incident))
        .collect();
    // Atlassian's email does not name the base URL: the closest observed URL speaks for it.
    let best = windows
        .iter()
        .filter(|w| w.agreement != Agreement::NotObserved)
        .min_by(|a, b| {
            let distance = |w: &UrlWindow| w.difference.map_or(f64::MAX, f64::abs);
            distance(a).total_cmp(&distance(b))
        });
    let atlassian_checks = span.as_secs_f64() / HEALTH_CHECK_INTERVAL.as_secs_f64();
    let atlassian_failed = ((100.0 - incident.sli_value) / 100.0 * atlassian_checks)
        .round()
        .max(0.0) as u64;
    let head = format!(
        "Atlassian {} % over the {} to {} (about {atlassian_failed} failed of {} checks at its {}s cadence)",
        figure(incident.sli_value),
        crate::duration::human(span),
        incident.time,
        atlassian_checks.round(),
        HEALTH_CHECK_INTERVAL.as_secs()
    );
    let (agreement, url, explanation) = match best {
        None => {
            let covered = windows
                .iter()
                .map(|w| format!("{} of {} expected observations", w.observations, w.expected))
                .max()
                .unwrap_or_else(|| "no observation".to_owned());
            (
                Agreement::NotObserved,
                None,
                format!(
                    "{head}; the history covers {covered} there (less than {} %): a gap, nothing to compare",
                    MIN_COVERAGE * 100.0
                ),
            )
        }
        Some(w) => {
            let availability = w.availability_percent.unwrap_or_default();
            let mut text = format!(
                "{head}; the history {} % ({} failed of {} observations of {})",
                figure(availability),
                w.failed,
                w.observations,
                w.url
            );
            if !w.failures.is_empty() {
                let listed: Vec<String> = w
                    .failures
                    .iter()
                    .map(|f| format!("{} {}", f.at, f.failure.as_deref().unwrap_or("failed")))
                    .collect();
                text.push_str(&format!(": {}", listed.join(", ")));
                if w.failed > w.failures.len() {
                    text.push_str(", ...");
                }
            }
            if w.agreement == Agreement::Agree {
                text.push_str(&format!(
                    "; within one observation's worth ({} points)",
                    figure(w.tolerance)
                ));
            } else if availability > incident.sli_value {
                text.push_str("; Atlassian counted failures this monitor did not see: its requests failed where the monitor's succeeded (DNS, routing, a firewall rule for Atlassian's addresses, a region), or between the monitor's observations");
            } else {
                text.push_str("; this monitor saw failures Atlassian did not count: the failed observations above (the monitor's own network, or requests Atlassian's monitor did not make)");
            }
            (w.agreement, Some(w.url.clone()), text)
        }
    };
    Reconciled {
        source,
        subject,
        start: format!("{}Z", &start.to_string()[..19]),
        end: incident.time.clone(),
        incident,
        agreement,
        url,
        atlassian_failed,
        explanation,
        urls: windows,
    }
}

fn window(
    url: &str,
    list: &[&Observation],
    interval: Duration,
    start: Timestamp,
    end: Timestamp,
    incident: &IncidentData,
) -> UrlWindow {
    let span = end.since(start);
    let inside: Vec<&&Observation> = list
        .iter()
        .filter(|o| start < o.at && o.at <= end)
        .collect();
    let observations = inside.len();
    let failed: Vec<&&Observation> = inside.iter().copied().filter(|o| !o.success).collect();
    let expected =
        ((span.as_secs_f64() / interval.as_secs_f64().max(0.001)).round() as usize).max(1);
    let coverage = (observations as f64 / expected as f64).min(1.0);
    // One observation's worth at the coarser cadence: Atlassian's 60 s or the monitor's.
    let coarser = interval.max(HEALTH_CHECK_INTERVAL);
    let tolerance = 100.0 * coarser.as_secs_f64() / span.as_secs_f64().max(1.0);
    let availability = (observations > 0)
        .then(|| (observations - failed.len()) as f64 / observations as f64 * 100.0);
    let difference = availability.map(|a| a - incident.sli_value);
    let agreement = match difference {
        _ if coverage < MIN_COVERAGE => Agreement::NotObserved,
        Some(d) if d.abs() <= tolerance + 1e-9 => Agreement::Agree,
        _ => Agreement::Differ,
    };
    UrlWindow {
        url: url.to_owned(),
        observations,
        failed: failed.len(),
        expected,
        coverage,
        availability_percent: availability,
        difference,
        tolerance,
        agreement,
        failures: failed
            .iter()
            .take(LISTED)
            .map(|o| Failed {
                at: format!("{}Z", &o.at.to_string()[..19]),
                failure: o.failure.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::email::incident::AppDetails;
    use crate::timestamp::at;

    fn observations(failing: &[u64], gap: std::ops::Range<u64>) -> Vec<Observation> {
        (0..240)
            .filter(|m| !gap.contains(m))
            .map(|minute| Observation {
                app: None,
                at: at(2026, 11, 30, 0, 0).plus(Duration::from_secs(60 * minute)),
                url: "https://a.example/health".into(),
                base_url: Some("https://a.example".into()),
                success: !failing.contains(&minute),
                failure: failing.contains(&minute).then(|| "status".into()),
                status: Some(200),
                total_ms: Some(100),
            })
            .collect()
    }

    fn email(time: &str, sli: f64) -> Received {
        Received {
            source: format!("{time}.eml"),
            subject: None,
            incident: Ok(IncidentData {
                app_key: "k".into(),
                app_details: AppDetails {
                    name: "n".into(),
                    partner_name: "p".into(),
                },
                incident_id: "i".into(),
                incident_status: "ANOMALOUS".into(),
                time: time.into(),
                metric_name: "m".into(),
                metric_unit: "PERCENT".into(),
                measurement_duration_seconds: 3600,
                sli_value: sli,
                slo_value: 99.9,
            }),
        }
    }

    #[test]
    fn agree_differ_and_not_observed() {
        let history = observations(&[30, 80], 120..180);
        let result = reconcile(
            &history,
            vec![
                email("2026-11-30T01:00:00Z", 98.33),
                email("2026-11-30T02:00:00Z", 95.0),
                email("2026-11-30T03:00:00Z", 90.0),
            ],
        );
        let verdicts: Vec<Agreement> = result.emails.iter().map(|e| e.agreement).collect();
        assert_eq!(
            verdicts,
            [Agreement::Agree, Agreement::Differ, Agreement::NotObserved]
        );
        let differ = &result.emails[1];
        assert_eq!(differ.urls[0].observations, 59);
        assert_eq!(differ.urls[0].failed, 1);
        assert_eq!(differ.atlassian_failed, 3);
        assert_eq!(differ.urls[0].failures[0].at, "2026-11-30T01:20:00Z");
        assert!(differ.explanation.contains("Atlassian counted failures"));
        let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["CF758", "CF759"]);
    }

    #[test]
    fn one_observation_off_agrees_and_two_differ() {
        let history = observations(&[30], 999..999);
        // 59 of 60 good is 98.333 %; one observation is 1.667 points.
        for (sli, expected) in [
            (100.0, Agreement::Agree),
            (96.67, Agreement::Agree),
            (96.6, Agreement::Differ),
        ] {
            let result = reconcile(&history, vec![email("2026-11-30T01:00:00Z", sli)]);
            assert_eq!(result.emails[0].agreement, expected, "{sli}");
        }
    }

    #[test]
    fn an_email_without_data_is_a_finding_with_its_file() {
        let result = reconcile(
            &observations(&[], 0..0),
            vec![Received {
                source: "inbox.mbox#2".into(),
                subject: None,
                incident: Err(Problem::Malformed("not JSON".into())),
            }],
        );
        assert!(result.emails.is_empty());
        assert_eq!(result.unread[0].code, "CF757");
        assert!(result.diagnostics[0].message.starts_with("inbox.mbox#2: "));
    }
}
