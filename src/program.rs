//! The Cloud Fortified program's numbers, in one place.
//!
//! Every figure the tool enforces comes from `reference/program-facts.md` (Atlassian's
//! reliability requirements and app availability pages). Cloud Fortified is being retired in
//! favour of "Architected for Atlassian"; a future program profile changes them here only.

use std::time::Duration;

/// The one SLI in force: app availability success rate, in percent.
pub const AVAILABILITY_SLO_PERCENT: f64 = 99.9;

/// The SLO window: 28 days.
pub const SLO_WINDOW: Duration = Duration::from_secs(28 * 24 * 60 * 60);

/// Only this status counts as a successful health check (any 2xx did before April 2023).
pub const HEALTH_CHECK_STATUS: u16 = 200;

/// A health check response must arrive whole within this limit.
pub const HEALTH_CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// Atlassian's monitor requests the health check about this often.
pub const HEALTH_CHECK_INTERVAL: Duration = Duration::from_secs(60);

/// Atlassian alerts when at least one health check failed within this window.
pub const ALERT_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Atlassian's security requirements: HSTS with a `max-age` of at least one year, in seconds.
pub const HSTS_MIN_MAX_AGE: u64 = 365 * 24 * 60 * 60;

/// The year `slo --year` shows: this many consecutive SLO windows ending now (364 days).
pub const YEAR_WINDOWS: u32 = 13;

/// The annual review falls in the last week of the month the app was approved in: the review
/// starts this many days before the month's end (its last 7 days).
pub const REVIEW_WEEK_DAYS: u32 = 7;

/// Atlassian gives this much notice before the annual review.
pub const REVIEW_NOTICE: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// After the review, the partner has this long to fix what it found.
pub const REVIEW_FIX_TIME: Duration = Duration::from_secs(28 * 24 * 60 * 60);

/// A fast burn: an hour that spends the budget at more than this many times the rate that
/// lasts the window (the SRE workbook's paging threshold for a 1h/5m window pair; at that rate
/// a 28-day budget is gone in under two days). `slo`'s "at risk" and the export's fast-burn
/// alert share it.
pub const FAST_BURN_RATE: f64 = 14.4;

/// Forge's App metrics API ("Export app metrics",
/// https://developer.atlassian.com/platform/forge/export-app-metrics): a query reaches this far
/// into the past.
pub const FORGE_METRICS_LOOKBACK: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// The App metrics API: one call returns at most this much time of metrics.
pub const FORGE_METRICS_CALL_SPAN: Duration = Duration::from_secs(15 * 60);

/// The App metrics API: at most this many calls per minute per user.
pub const FORGE_METRICS_CALLS_PER_MINUTE: usize = 5;

/// The App metrics API: the page recommends fetching every three or five minutes.
pub const FORGE_METRICS_EVERY: Duration = Duration::from_secs(5 * 60);

/// The error budget: the downtime the SLO allows per window (40 min 19.2 s).
pub fn error_budget() -> Duration {
    SLO_WINDOW.mul_f64((100.0 - AVAILABILITY_SLO_PERCENT) / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_budget_is_40_minutes_19_seconds() {
        let budget = error_budget();
        assert_eq!(budget.as_millis(), 40 * 60 * 1000 + 19_200);
    }

    #[test]
    fn hsts_max_age_of_a_year_is_the_usual_header_value() {
        assert_eq!(HSTS_MIN_MAX_AGE, 31_536_000);
    }
}
