//! Scalability: how the app behaves when Atlassian's APIs rate-limit it.

use super::context::Context;
use crate::diagnostic::Diagnostic;
use crate::ticket::model::Backoff;
use crate::ticket::registry::scalability::{
    FIXED_BACKOFF, NO_BACKOFF, RETRY_AFTER_IGNORED, RETRY_COUNT,
};

/// Retry counts above this keep a request hammering a rate-limited API for minutes.
pub const MAX_SENSIBLE_RETRIES: i64 = 10;

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
