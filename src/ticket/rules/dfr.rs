//! Developer First Rollout testing: real DFR sites, synthetic tests that run often, and no
//! reliance on the removed Metrics publish API.

use std::time::Duration;

use super::context::Context;
use crate::diagnostic::Diagnostic;
use crate::duration::{self, human};
use crate::net::split_url;
use crate::ticket::load::dotted;
use crate::ticket::registry::dfr::{
    METRICS_PUBLISH_API, NO_SYNTHETIC_TESTS, NOT_A_CLOUD_SITE, SYNTHETIC_INTERVAL,
};

/// Synthetic tests that run less often than this cannot catch a product change the same day.
pub const MAX_SYNTHETIC_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);

/// Whether a sentence names the removed Metrics publish API.
fn names_metrics_publish_api(lower: &str) -> bool {
    lower.contains("addons-metrics")
        || lower.contains("metrics publish api")
        || lower.contains("metrics-publish api")
        || lower.contains("metric publish api")
        || (lower.contains("publish api") && lower.contains("metric"))
}

/// Words that, in the same sentence, say the API is gone from the app: negation, the past,
/// a replacement.
const NOT_RELIED_ON: &[&str] = &[
    "no longer",
    "not use",
    "not rely",
    "n't use",
    "n't rely",
    "never",
    "removed",
    "deprecated",
    "retired",
    "replaced",
    "instead of",
    "migrated",
    "moved away",
    "stopped",
    "used to",
    "previously",
    "formerly",
    "dropped",
    "decommissioned",
    "sunset",
];

/// Whether an answer relies on the removed Metrics publish API: a sentence names it, and does
/// not say it is no longer used, removed, replaced or migrated away from.
pub fn mentions_metrics_publish_api(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(['.', ';', '\n'])
        .filter(|sentence| names_metrics_publish_api(sentence))
        .any(|sentence| !NOT_RELIED_ON.iter().any(|cue| sentence.contains(cue)))
}

/// Whether a URL is a Cloud site: `https://<site>.atlassian.net` with no more than a `/`.
fn is_cloud_site(url: &str) -> bool {
    let Some(parts) = split_url(url) else {
        return false;
    };
    let host = parts.host.to_ascii_lowercase();
    let site = host.strip_suffix(".atlassian.net").unwrap_or_default();
    parts.scheme.eq_ignore_ascii_case("https")
        && !site.is_empty()
        && !site.contains('.')
        && site.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && parts.userinfo.is_none()
        && parts.port.is_none()
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for text in &context.texts {
        if mentions_metrics_publish_api(text.text) {
            out.push(
                context
                    .at(
                        &METRICS_PUBLISH_API,
                        &text.pointer,
                        format!(
                            "`{}` relies on the Metrics publish API, which was removed after April 24, 2023",
                            dotted(&text.pointer)
                        ),
                    )
                    .help("synthetic test results and iframe metrics left the program on October 24, 2022: describe what you do instead"),
            );
        }
    }
    let Some(dfr) = &context.questionnaire.dfr_testing else {
        return;
    };
    let instances = context
        .value
        .pointer("/dfr_testing/instances")
        .and_then(|v| v.as_array());
    for (index, url) in instances.into_iter().flatten().enumerate() {
        if let Some(url) = url.as_str()
            && !is_cloud_site(url)
        {
            out.push(
                context
                    .at(
                        &NOT_A_CLOUD_SITE,
                        &format!("/dfr_testing/instances/{index}"),
                        format!("DFR instance `{url}` is not an https://<site>.atlassian.net site"),
                    )
                    .help("sign up for a Developer First Rollout site through Atlassian's Jira or Confluence form"),
            );
        }
    }
    match &dfr.synthetic_tests {
        None => out.push(
            context
                .at_key(
                    &NO_SYNTHETIC_TESTS,
                    "/dfr_testing",
                    "no synthetic tests run against the DFR instance",
                )
                .help("add `synthetic_tests` that walk your app's core journeys through Jira or Confluence, every 15m to 1h"),
        ),
        Some(synthetic) => {
            if let Some((text, every)) = duration::field(synthetic.interval.as_deref())
                && (every > MAX_SYNTHETIC_INTERVAL || every.is_zero())
            {
                let why = if every.is_zero() {
                    "an interval of zero is not a schedule".to_owned()
                } else {
                    format!(
                        "a product change that breaks the app could go unnoticed for up to {}",
                        human(every)
                    )
                };
                out.push(
                    context
                        .at(
                            &SYNTHETIC_INTERVAL,
                            "/dfr_testing/synthetic_tests/interval",
                            format!("synthetic tests run every {text}: {why}"),
                        )
                        .help(format!(
                            "run them at least every {}; every 15m to 1h is common",
                            human(MAX_SYNTHETIC_INTERVAL)
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_sites() {
        assert!(is_cloud_site("https://acme-dfr.atlassian.net"));
        assert!(is_cloud_site("https://acme-dfr.atlassian.net/"));
        assert!(!is_cloud_site("http://acme-dfr.atlassian.net"));
        assert!(!is_cloud_site("https://atlassian.net"));
        assert!(!is_cloud_site("https://a.b.atlassian.net"));
        assert!(!is_cloud_site("https://acme.atlassian.net.evil.example"));
        assert!(!is_cloud_site("https://staging.acme.example"));
    }

    #[test]
    fn metrics_publish_api() {
        assert!(mentions_metrics_publish_api(
            "We PUT results to /rest/atlassian-connect/latest/addons-metrics/x/publish"
        ));
        assert!(mentions_metrics_publish_api(
            "Results go through the Metrics Publish API."
        ));
        assert!(!mentions_metrics_publish_api(
            "We publish release notes and watch our metrics."
        ));
        for gone in [
            "We no longer use the Metrics publish API, which Atlassian removed.",
            "Synthetic results used to go to the metrics publish API; we replaced it with Datadog.",
            "We migrated away from the Metrics Publish API in 2022.",
            "Instead of the metrics publish API we alert on our own dashboards.",
            "We do not use the addons-metrics endpoint.",
        ] {
            assert!(!mentions_metrics_publish_api(gone), "{gone:?}");
        }
        // A sentence that relies on it is still caught beside one that says something else.
        assert!(mentions_metrics_publish_api(
            "Deployments were replaced by blue-green. We PUT results to the Metrics publish API."
        ));
    }
}
