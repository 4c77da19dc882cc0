//! Stage 5 for `cfready check`: lint and probe findings folded into the program's checklist,
//! and one verdict.

use crate::words::plural;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::ticket::health_check;
use crate::ticket::lint::{self, FileReport, LintOptions};
use crate::ticket::probe::{self, ProbeOptions, Progress, TargetResult};

/// How one step of the checklist stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    /// Not checked (the probe with `--offline`).
    Skip,
}

/// One step of the program, as the seed page orders them.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub step: &'static str,
    pub status: Status,
    /// The codes of the findings behind a warn or a fail.
    pub codes: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub items: Vec<Item>,
    pub ready: bool,
    pub verdict: String,
}

/// The steps, and which findings belong to each: by JSON pointer prefix, then by code prefix.
const STEPS: &[(&str, &[&str], &[&str])] = &[
    (
        "Health check: 200 within 3 s, no redirect, on every base URL",
        &["/app/health_check"],
        &["CF7", "CF205", "CF207"],
    ),
    (
        "Synthetic tests against the Developer First Rollout instance",
        &["/dfr_testing/synthetic_tests"],
        &["CF402", "CF403"],
    ),
    (
        "SLI understood: availability per base URL; the ticket's header (app, base URLs, contacts)",
        &["/app", "/version"],
        &["CF2"],
    ),
    (
        "Answer 1: scalability characteristics",
        &["/scalability"],
        &["CF3"],
    ),
    (
        "Answer 2: testing against DFR instances",
        &["/dfr_testing"],
        &["CF4"],
    ),
    ("Answer 3: service recovery plan", &["/recovery"], &["CF5"]),
    (
        "Answer 4: incident management process",
        &["/incident_management"],
        &["CF6"],
    ),
    (
        "Final steps: incident process, developer console, SLO-breach emails, deprecations",
        &["/commitments"],
        &["CF8"],
    ),
];

/// The order in which the checklist is shown (the seed's: metrics, synthetic tests, health
/// check, the ticket's answers, final steps), while `STEPS` is in matching order.
const SHOWN: [usize; 8] = [2, 1, 0, 3, 4, 5, 6, 7];

fn step_of(diagnostic: &Diagnostic) -> Option<usize> {
    let by_code = |index: usize| {
        STEPS[index]
            .2
            .iter()
            .any(|c| diagnostic.code.starts_with(c))
    };
    // The health check's and the synthetic tests' findings sit elsewhere (a base URL, the
    // `dfr_testing` mapping) but belong to their own steps.
    if let Some(index) = (0..2).find(|&index| by_code(index)) {
        return Some(index);
    }
    let by_pointer = diagnostic.pointer.as_deref().and_then(|pointer| {
        STEPS.iter().position(|(_, prefixes, _)| {
            prefixes
                .iter()
                .any(|p| pointer == *p || pointer.starts_with(&format!("{p}/")))
        })
    });
    by_pointer.or_else(|| (0..STEPS.len()).find(|&index| by_code(index)))
}

/// Whether the health check was probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Done,
    /// `--offline`, or a questionnaire that does not parse.
    Skipped,
    /// An app the program asks no health check of (a Forge app) that declares none to probe.
    NotRequired(health_check::Kind),
}

/// What `cfready check` found: the file's report (lint and probe findings), the probe's
/// results when it ran, and the checklist.
#[derive(Debug)]
pub struct CheckRun {
    pub report: FileReport,
    pub results: Option<Vec<TargetResult>>,
    pub readiness: Readiness,
}

impl CheckRun {
    /// 2 when the file could not be read, 1 when not ready, 0 when ready.
    pub fn exit_code(&self) -> u8 {
        if self.report.failure.is_some() {
            2
        } else {
            u8::from(!self.readiness.ready)
        }
    }
}

/// Lint the questionnaire, probe its health check (`probe: None` is `--offline`), and fold
/// every finding into the checklist.
pub fn run(
    path: &str,
    lint_options: &LintOptions,
    probe_options: Option<&ProbeOptions>,
    strict: bool,
    progress: Option<Progress>,
) -> CheckRun {
    let mut report = lint::lint_path(path, lint_options);
    let (results, probed) = match (&report.document, probe_options) {
        (None, _) | (_, None) => (None, Probe::Skipped),
        // A Forge app's health check is probed when the partner declares one, as `probe`,
        // `monitor` and the ticket read it; when none is declared there is nothing to probe.
        (Some(document), Some(_))
            if !health_check::required(&document.value)
                && health_check::targets_from(&document.value).is_err() =>
        {
            (
                None,
                Probe::NotRequired(health_check::Kind::of(&document.value)),
            )
        }
        (Some(_), Some(options)) => {
            let results = probe::probe_report(&mut report, options, progress);
            let probed = if results.is_some() {
                Probe::Done
            } else {
                Probe::Skipped
            };
            (results, probed)
        }
    };
    lint::settle(&mut report.diagnostics, &lint_options.ignore);
    let readiness = assess(&report.diagnostics, probed, strict);
    CheckRun {
        report,
        results,
        readiness,
    }
}

/// Fold findings into the checklist.
pub fn assess(diagnostics: &[Diagnostic], probe: Probe, strict: bool) -> Readiness {
    let unparsed = diagnostics.iter().any(|d| d.code < "CF010");
    let mut items: Vec<Item> = STEPS
        .iter()
        .map(|(step, _, _)| Item {
            step,
            status: Status::Pass,
            codes: Vec::new(),
        })
        .collect();
    if probe != Probe::Done {
        items[0].status = Status::Skip;
    }
    for diagnostic in diagnostics {
        let targets: Vec<usize> = if unparsed {
            (0..items.len()).collect()
        } else {
            step_of(diagnostic).into_iter().collect()
        };
        for index in targets {
            let item = &mut items[index];
            let status = match diagnostic.severity {
                Severity::Error => Status::Fail,
                Severity::Warning => Status::Warn,
                Severity::Info => continue,
            };
            item.status = item.status.max_with(status);
            if !item.codes.contains(&diagnostic.code) {
                item.codes.push(diagnostic.code);
            }
        }
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let ready = !diagnostics.iter().any(|d| d.severity.fails(strict));
    let counts = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    let verdict = match (ready, probe) {
        (true, Probe::Done) => format!("Ready to submit ({counts})."),
        (true, Probe::NotRequired(kind)) => format!(
            "Ready to submit ({counts}; a {} declares no health check to probe, and the program asks none of it).",
            kind.label()
        ),
        (true, Probe::Skipped) => format!(
            "Ready to submit, except that the health check was not probed (--offline) ({counts})."
        ),
        (false, _) if unparsed => {
            "Not ready: the questionnaire does not parse; fix it first.".to_owned()
        }
        (false, _) if errors == 0 => format!("Not ready with --strict: {counts}."),
        (false, _) => format!("Not ready: {counts}."),
    };
    Readiness {
        items: SHOWN.iter().map(|&i| items[i].clone()).collect(),
        ready,
        verdict,
    }
}

impl Status {
    fn max_with(self, other: Status) -> Status {
        let rank = |s: Status| match s {
            Status::Skip => 0,
            Status::Pass => 1,
            Status::Warn => 2,
            Status::Fail => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
            Status::Skip => "skip",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &str, pointer: Option<&str>) -> Diagnostic {
        let mut d = Diagnostic::new(crate::ticket::registry::find(code).unwrap(), "m");
        d.pointer = pointer.map(str::to_owned);
        d
    }

    #[test]
    fn findings_land_in_their_step() {
        let readiness = assess(
            &[
                finding(
                    "CF301",
                    Some("/scalability/rate_limits/honours_retry_after"),
                ),
                finding("CF402", Some("/dfr_testing")),
                finding("CF707", Some("/app/base_urls/0")),
            ],
            Probe::Done,
            false,
        );
        let status = |step: &str| {
            readiness
                .items
                .iter()
                .find(|i| i.step.starts_with(step))
                .unwrap()
                .status
        };
        assert_eq!(status("Answer 1"), Status::Fail);
        assert_eq!(status("Synthetic"), Status::Warn);
        assert_eq!(status("Health check"), Status::Fail);
        assert_eq!(status("Answer 2"), Status::Pass);
        assert!(!readiness.ready);
    }

    #[test]
    fn offline_skips_the_probe_but_can_be_ready() {
        let readiness = assess(&[], Probe::Skipped, false);
        assert!(readiness.ready);
        assert_eq!(readiness.items[2].status, Status::Skip);
        assert!(readiness.verdict.contains("not probed"));
        let forge = assess(
            &[],
            Probe::NotRequired(health_check::Kind::ForgeWithoutRemote),
            false,
        );
        assert!(forge.ready && forge.verdict.contains("Forge app without a remote"));
        assert!(
            !assess(
                &[finding("CF303", Some("/scalability/rate_limits/backoff"))],
                Probe::Done,
                true
            )
            .ready
        );
    }
}
