//! Human output for `probe` and `check`: one block per URL, the checklist, the verdict.

use crate::duration::millis;
use crate::program::HEALTH_CHECK_TIMEOUT;
use crate::ticket::check::Readiness;
use crate::ticket::probe::findings::status_line;
use crate::ticket::probe::{Attempt, TargetResult};

fn one_attempt(attempt: &Attempt) -> String {
    let mut parts = Vec::new();
    match (attempt.status, attempt.total_time) {
        (Some(status), Some(total)) => parts.push(format!(
            "{} in {}{}",
            status_line(status),
            millis(total),
            attempt
                .time_to_headers
                .map(|h| format!(" (headers {})", millis(h)))
                .unwrap_or_default()
        )),
        (_, Some(total)) => parts.push(format!("failed after {}", millis(total))),
        _ => parts.push("not requested".to_owned()),
    }
    if let Some(tls) = &attempt.tls {
        if let Some(version) = &tls.version {
            parts.push(version.clone());
        }
        if let Some(days) = tls.certificate_days_left {
            parts.push(format!("certificate valid {days} more days"));
        }
    }
    if let Some(address) = &attempt.remote_address {
        parts.push(address.clone());
    }
    parts.join(" · ")
}

/// One block per probed URL.
pub fn results(results: &[TargetResult]) -> String {
    let mut out = String::new();
    for result in results {
        let mark = if result.passed() { "ok  " } else { "FAIL" };
        out.push_str(&format!("{mark} GET {}\n", result.target.url));
        if let Some(last) = result.attempts.last() {
            out.push_str(&format!("     {}\n", one_attempt(last)));
        }
        let total = result.attempts.len();
        if total > 1 {
            let successes = result.successes();
            let mut line = format!(
                "     {successes}/{total} succeeded ({:.1} %)",
                successes as f64 * 100.0 / total as f64
            );
            if let Some(latency) = result.latency() {
                line.push_str(&format!(
                    " · p50 {} · p95 {} · max {} · headroom to {}: {}",
                    millis(latency.p50),
                    millis(latency.p95),
                    millis(latency.max),
                    millis(HEALTH_CHECK_TIMEOUT),
                    millis(HEALTH_CHECK_TIMEOUT.saturating_sub(latency.p95))
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The probe's closing line.
pub fn verdict(results: &[TargetResult]) -> String {
    let failed = results.iter().filter(|r| !r.passed()).count();
    if failed == 0 {
        format!(
            "Probe passed: {} answered {} within {} on every request.",
            if results.len() == 1 {
                "the URL".to_owned()
            } else {
                format!("all {} URLs", results.len())
            },
            status_line(200),
            millis(HEALTH_CHECK_TIMEOUT)
        )
    } else {
        let which = match results.len() {
            1 => "the URL".to_owned(),
            all if all == failed => format!("all {all} URLs"),
            all => format!("{failed} of {all} URLs"),
        };
        format!(
            "Probe failed: {which} did not answer {} within the limit on every request.",
            status_line(200)
        )
    }
}

/// The checklist and the verdict of `check`.
pub fn readiness(path: &str, readiness: &Readiness) -> String {
    let mut out = format!("Readiness of {path}\n");
    for item in &readiness.items {
        let codes = if item.codes.is_empty() {
            String::new()
        } else {
            format!("  ({})", item.codes.join(", "))
        };
        out.push_str(&format!(
            "  [{}] {}{codes}\n",
            item.status.label(),
            item.step
        ));
    }
    out.push_str(&readiness.verdict);
    out.push('\n');
    out
}
