//! What each target receives for an event, in the fields its service documents.
//!
//! - webhook: cfready's own JSON, versioned like the reports (`"version": 1`).
//! - Slack incoming webhook: `text` (the notification's fallback) and `blocks` (a `header`
//!   and `section` blocks with `mrkdwn` text), as <https://api.slack.com/messaging/webhooks>
//!   and the Block Kit reference describe them.
//! - PagerDuty Events API v2 (<https://developer.pagerduty.com/docs/events-API-v2/trigger-events/>):
//!   `routing_key`, `event_action` (`trigger`, `resolve`), `dedup_key` (at most 255
//!   characters), and for a trigger `payload.summary` (at most 1024), `payload.source`,
//!   `payload.severity` (`critical`, `error`, `warning`, `info`), `payload.timestamp`
//!   (ISO 8601), `payload.component`, `payload.group`, `payload.class`,
//!   `payload.custom_details`; `client` names the sender. A resolve needs only the key.
//! - Opsgenie Alert API v2 (<https://docs.opsgenie.com/docs/alert-api>): create is
//!   `POST /v2/alerts` with `Authorization: GenieKey KEY` and `message` (at most 130
//!   characters), `alias` (the deduplication key, at most 512), `description` (at most
//!   15,000), `priority` (`P1`..`P5`), `details` (a map of strings), `source`, `entity`,
//!   `tags`; close is `POST /v2/alerts/{alias}/close?identifierType=alias` with `source`
//!   and `note`. Both answer 202 (the request is processed asynchronously).
//! - email: a plain-text message whose subject says what happened.

use serde_json::{Value, json};

use super::event::{Event, EventKind};
use super::target::{Kind, Target};
use crate::duration::human;

/// A request to send, secrets included: never printed, never logged.
pub enum Message {
    Http {
        url: String,
        /// `Authorization` for Opsgenie.
        authorization: Option<String>,
        body: Value,
    },
    Email {
        subject: String,
        body: String,
    },
}

/// One line that says what happened, for a title or a subject.
pub fn summary(event: &Event) -> String {
    let base = &event.base_url;
    let observation = &event.observation;
    let failure = match (&observation.failure, observation.status) {
        (Some(kind), Some(status)) if kind == "status" => format!("status {status}"),
        (Some(kind), _) => kind.clone(),
        (None, _) => "ok".to_owned(),
    };
    let figures = &event.figures;
    match event.kind {
        EventKind::Failure if event.reopened => format!(
            "DOWN again: {base} health check failed ({failure}), less than {} after it recovered",
            human(crate::program::ALERT_WINDOW)
        ),
        EventKind::Failure => format!(
            "DOWN: {base} health check failed ({failure}); of a Connect app, Atlassian's monitor records this failure too and emails the SLO-breach mailbox"
        ),
        EventKind::Recovered => format!(
            "RECOVERED: {base} health check passes again, after {}",
            human(observation.at.since(event.since))
        ),
        EventKind::Budget(step) => format!(
            "BUDGET: {base} has spent {step} % of its {} error budget ({:.1} %)",
            human(crate::program::SLO_WINDOW),
            figures.budget_used_percent
        ),
        EventKind::Burn => format!(
            "FAST BURN: {base} spends its error budget at {:.1}x over 1h and {:.1}x over 5m (above {}x)",
            figures.burn_rate_1h,
            figures.burn_rate_5m,
            crate::program::FAST_BURN_RATE
        ),
        EventKind::BurnEnded => format!(
            "BURN ENDED: {base} no longer spends its error budget above {}x",
            crate::program::FAST_BURN_RATE
        ),
        EventKind::Test => format!(
            "TEST from cfready monitor --notify-test, not an alert: {base} is wired to this target"
        ),
        EventKind::HistoryUnwritable => format!(
            "HISTORY UNWRITABLE: cfready monitor cannot write its store ({}); it keeps probing and alerting, holds the observations in memory and writes them once it can",
            observation.failure.as_deref().unwrap_or("write failed")
        ),
        EventKind::ReviewDue(_) => {
            let start = event.since;
            let day = |t: crate::timestamp::Timestamp| t.to_string()[..10].to_owned();
            let end = start.plus(std::time::Duration::from_secs(
                (u64::from(crate::program::REVIEW_WEEK_DAYS) - 1) * 86_400,
            ));
            format!(
                "ANNUAL REVIEW: Atlassian reviews {base} in {} days, the week of {} to {} (notice by {}, fixes due by {}); prepare the pack with cfready review",
                start.since(observation.at).as_secs().div_ceil(86_400),
                day(start),
                day(end),
                day(start.minus(crate::program::REVIEW_NOTICE)),
                day(end.plus(crate::program::REVIEW_FIX_TIME))
            )
        }
    }
}

/// cfready's own JSON for an event (the `webhook:` body).
pub fn webhook_body(event: &Event) -> Value {
    let o = &event.observation;
    json!({
        "version": 1,
        "source": "cfready",
        "test": event.kind == EventKind::Test,
        "event": event.kind.name(),
        "key": event.key,
        "base_url": event.base_url,
        "reopened": event.reopened,
        "since": event.since.to_string(),
        "summary": summary(event),
        "observation": {
            "at": o.at.to_string(),
            "url": o.url,
            "success": o.success,
            "failure": o.failure,
            "status": o.status,
            "total_ms": o.total_ms,
        },
        "slo": event.figures,
    })
}

fn severity(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Failure | EventKind::Burn | EventKind::Budget(100) => "critical",
        EventKind::Budget(_) | EventKind::HistoryUnwritable => "warning",
        _ => "info",
    }
}

fn priority(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Failure | EventKind::Burn | EventKind::Budget(100) => "P1",
        EventKind::Budget(_) | EventKind::HistoryUnwritable => "P3",
        _ => "P5",
    }
}

fn details(event: &Event) -> serde_json::Map<String, Value> {
    let o = &event.observation;
    let f = &event.figures;
    let mut map = serde_json::Map::new();
    let mut put = |k: &str, v: String| {
        map.insert(k.to_owned(), Value::String(v));
    };
    put("event", event.kind.name());
    put("url", o.url.clone());
    put("observed_at", o.at.to_string());
    put("failure", o.failure.clone().unwrap_or_default());
    put(
        "status",
        o.status.map(|s| s.to_string()).unwrap_or_default(),
    );
    put(
        "slo",
        format!(
            "{} % over {}",
            f.slo_percent,
            human(crate::program::SLO_WINDOW)
        ),
    );
    put("budget_used", format!("{:.1} %", f.budget_used_percent));
    put("burn_rate_1h", format!("{:.1}", f.burn_rate_1h));
    put("burn_rate_5m", format!("{:.1}", f.burn_rate_5m));
    put("alert_opened", event.since.to_string());
    map
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// What `target` receives for `event`.
pub fn message(target: &Target, event: &Event) -> Message {
    let title = summary(event);
    match &target.kind {
        Kind::Webhook { url } => Message::Http {
            url: url.expose().to_owned(),
            authorization: None,
            body: webhook_body(event),
        },
        Kind::Slack { url } => {
            let o = &event.observation;
            let mut fields = vec![
                json!({"type": "mrkdwn", "text": format!("*Health check*\n{}", o.url)}),
                json!({"type": "mrkdwn", "text": format!("*Observed*\n{}", o.at)}),
                json!({"type": "mrkdwn", "text": format!("*Error budget used*\n{:.1} % of {}", event.figures.budget_used_percent, human(crate::program::error_budget()))}),
                json!({"type": "mrkdwn", "text": format!("*Burn rate*\n{:.1}x (1h) · {:.1}x (5m)", event.figures.burn_rate_1h, event.figures.burn_rate_5m)}),
            ];
            if let Some(failure) = &o.failure {
                fields.insert(
                    1,
                    json!({"type": "mrkdwn", "text": format!("*Failure*\n{failure}")}),
                );
            }
            Message::Http {
                url: url.expose().to_owned(),
                authorization: None,
                body: json!({
                    "text": title,
                    "blocks": [
                        {"type": "header", "text": {"type": "plain_text", "text": cut(&title, 150)}},
                        {"type": "section", "fields": fields},
                        {"type": "context", "elements": [
                            {"type": "mrkdwn", "text": format!("cfready monitor · alert `{}`", event.key)}
                        ]},
                    ],
                }),
            }
        }
        Kind::PagerDuty {
            routing_key,
            endpoint,
        } => {
            let body = if event.kind.resolves() {
                json!({
                    "routing_key": routing_key.expose(),
                    "event_action": "resolve",
                    "dedup_key": event.key,
                })
            } else {
                json!({
                    "routing_key": routing_key.expose(),
                    "event_action": "trigger",
                    "dedup_key": event.key,
                    "client": "cfready",
                    "payload": {
                        "summary": cut(&title, 1024),
                        "source": event.base_url,
                        "severity": severity(event.kind),
                        "timestamp": event.observation.at.to_string(),
                        "component": "health-check",
                        "group": "cloud-fortified",
                        "class": event.kind.name(),
                        "custom_details": details(event),
                    },
                })
            };
            Message::Http {
                url: endpoint.clone(),
                authorization: None,
                body,
            }
        }
        Kind::Opsgenie { api_key, endpoint } => {
            let authorization = Some(format!("GenieKey {}", api_key.expose()));
            if event.kind.resolves() {
                Message::Http {
                    url: format!(
                        "{}/{}/close?identifierType=alias",
                        endpoint.trim_end_matches('/'),
                        encode_path(&cut(&event.key, 512))
                    ),
                    authorization,
                    body: json!({"source": "cfready", "note": cut(&title, 25_000)}),
                }
            } else {
                Message::Http {
                    url: endpoint.clone(),
                    authorization,
                    body: json!({
                        "message": cut(&title, 130),
                        "alias": cut(&event.key, 512),
                        "description": cut(&text_body(event), 15_000),
                        "priority": priority(event.kind),
                        "source": "cfready",
                        "entity": event.base_url,
                        "tags": ["cfready", "cloud-fortified", event.kind.name()],
                        "details": details(event),
                    }),
                }
            }
        }
        Kind::Email(_) => Message::Email {
            subject: format!("[cfready] {}", cut(&title, 200)),
            body: text_body(event),
        },
    }
}

/// The plain-text account of an event (email body, Opsgenie description).
pub fn text_body(event: &Event) -> String {
    let mut text = summary(event);
    text.push_str("\n\n");
    for (key, value) in details(event) {
        text.push_str(&format!("{key}: {}\n", value.as_str().unwrap_or("")));
    }
    text.push_str(&format!("alert key: {}\n", event.key));
    if event.kind == EventKind::Test {
        text.push_str(
            "\nThis is a test sent by `cfready monitor --notify-test`. Nothing failed.\n",
        );
    } else {
        text.push_str(
            "\nSent by `cfready monitor --notify`; `cfready slo HISTORY` shows the whole SLO.\n",
        );
    }
    text
}

/// Percent-encode a path segment (an Opsgenie alias holds `:` and `/`).
fn encode_path(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
