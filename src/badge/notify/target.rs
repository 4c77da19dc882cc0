//! Notification targets as the command line names them, and their secrets.
//!
//! ```text
//! webhook:URL                 cfready's own JSON to a URL with no secret in it
//! webhook:env:VAR             the same, the URL read from $VAR (it embeds a token)
//! slack:env:VAR | slack:URL   a Slack incoming webhook (its URL is the secret: use env:)
//! pagerduty:env:VAR           PagerDuty Events API v2, the routing key read from $VAR
//! opsgenie:env:VAR            Opsgenie Alert API v2 (US), the API key read from $VAR
//! opsgenie-eu:env:VAR         the same on the EU endpoint (api.eu.opsgenie.com)
//! email:SMTP_URL              SMTP submission: smtp://[USER@]HOST[:PORT] (STARTTLS) or
//!                             smtps://... (TLS from the first byte); query options
//!                             password_env=VAR, to=ADDR, from=ADDR
//! ```
//!
//! PagerDuty and Opsgenie take `,endpoint=URL` after the variable (a proxy, a test receiver).
//! Secrets are read from the environment when the target is parsed and kept in memory only:
//! a target shows itself everywhere by its [`Target::label`], which names the variable, never
//! its value, and cuts a literal URL down to its origin.

use std::fmt;

/// Where PagerDuty's Events API v2 takes events
/// (<https://developer.pagerduty.com/docs/events-API-v2/trigger-events/>).
pub const PAGERDUTY_ENDPOINT: &str = "https://events.pagerduty.com/v2/enqueue";
/// Opsgenie's Alert API v2, US instance (<https://docs.opsgenie.com/docs/alert-api>).
pub const OPSGENIE_US: &str = "https://api.opsgenie.com/v2/alerts";
/// The same on the EU instance.
pub const OPSGENIE_EU: &str = "https://api.eu.opsgenie.com/v2/alerts";

/// A value that must never be printed: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How an SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// `smtp://`: STARTTLS, required.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://...?tls=none`: plain text, to a relay on this machine only.
    None,
}

/// An email target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub from: String,
    pub to: Vec<String>,
}

/// What a target is, with what it needs to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Webhook {
        url: Secret,
    },
    Slack {
        url: Secret,
    },
    PagerDuty {
        routing_key: Secret,
        endpoint: String,
    },
    Opsgenie {
        api_key: Secret,
        endpoint: String,
    },
    Email(Email),
}

/// A notification target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// How it shows in the history, on stderr and in reports: no secret in it.
    pub label: String,
    pub kind: Kind,
}

impl Target {
    /// `webhook`, `slack`, `pagerduty`, `opsgenie`, `email`.
    pub fn service(&self) -> &'static str {
        match self.kind {
            Kind::Webhook { .. } => "webhook",
            Kind::Slack { .. } => "slack",
            Kind::PagerDuty { .. } => "pagerduty",
            Kind::Opsgenie { .. } => "opsgenie",
            Kind::Email(_) => "email",
        }
    }
}

/// Parse a `--notify` value. `env` reads an environment variable; `slo_alerts` is the
/// questionnaire's `contacts.slo_alerts`, the default recipient of `email:`.
pub fn parse(
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
    slo_alerts: Option<&str>,
) -> Result<Target, String> {
    let (service, rest) = text.split_once(':').ok_or_else(|| {
        "write KIND:VALUE, such as pagerduty:env:PD_ROUTING_KEY or webhook:https://alerts.internal/cfready (kinds: webhook, slack, pagerduty, opsgenie, opsgenie-eu, email)".to_owned()
    })?;
    let from_env = |rest: &str| -> Result<(String, Secret, Option<String>), String> {
        let spec = rest.strip_prefix("env:").ok_or_else(|| {
            format!(
                "{service}: the secret comes from an environment variable: write {service}:env:VAR"
            )
        })?;
        let (var, option) = match spec.split_once(',') {
            Some((var, option)) => (var, Some(option)),
            None => (spec, None),
        };
        if var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "{service}: `{var}` is not an environment variable name"
            ));
        }
        let value = env(var)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("{service}: the environment variable {var} is not set"))?;
        let endpoint = match option {
            None => None,
            Some(option) => Some(
                option
                    .strip_prefix("endpoint=")
                    .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
                    .ok_or_else(|| {
                        format!(
                            "{service}: after the variable, only `,endpoint=URL` (http or https)"
                        )
                    })?
                    .to_owned(),
            ),
        };
        Ok((
            format!("{service}:env:{var}"),
            Secret(value.trim().to_owned()),
            endpoint,
        ))
    };
    let url_target = |rest: &str| -> Result<(String, Secret), String> {
        if rest.starts_with("env:") {
            let (label, secret, endpoint) = from_env(rest)?;
            if endpoint.is_some() {
                return Err(format!(
                    "{service}: `,endpoint=` is for pagerduty and opsgenie"
                ));
            }
            check_http(service, secret.expose()).map_err(|e| {
                format!(
                    "{e} (the value of {})",
                    label.trim_start_matches(&format!("{service}:env:"))
                )
            })?;
            return Ok((label, secret));
        }
        check_http(service, rest)?;
        Ok((
            format!("{service}:{}", redact_url(rest)),
            Secret(rest.to_owned()),
        ))
    };
    match service {
        "webhook" => {
            let (label, url) = url_target(rest)?;
            Ok(Target {
                label,
                kind: Kind::Webhook { url },
            })
        }
        "slack" => {
            let (label, url) = url_target(rest)?;
            Ok(Target {
                label,
                kind: Kind::Slack { url },
            })
        }
        "pagerduty" => {
            let (label, routing_key, endpoint) = from_env(rest)?;
            Ok(Target {
                label,
                kind: Kind::PagerDuty {
                    routing_key,
                    endpoint: endpoint.unwrap_or_else(|| PAGERDUTY_ENDPOINT.to_owned()),
                },
            })
        }
        "opsgenie" | "opsgenie-eu" => {
            let (label, api_key, endpoint) = from_env(rest)?;
            let region = if service == "opsgenie" {
                OPSGENIE_US
            } else {
                OPSGENIE_EU
            };
            Ok(Target {
                label,
                kind: Kind::Opsgenie {
                    api_key,
                    endpoint: endpoint.unwrap_or_else(|| region.to_owned()),
                },
            })
        }
        "email" => email(rest, env, slo_alerts),
        other => Err(format!(
            "`{other}` is no notification kind (webhook, slack, pagerduty, opsgenie, opsgenie-eu, email)"
        )),
    }
}

fn check_http(service: &str, url: &str) -> Result<(), String> {
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Ok(())
        }
        _ => Err(format!("{service}: not an http or https URL")),
    }
}

/// A URL cut down to what identifies its receiver without any token: scheme, host and port
/// (`https://hooks.slack.com/…`). Paths and queries are where webhooks keep their tokens.
pub fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(parsed) => {
            let host = parsed.host_str().unwrap_or("");
            let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
            let more = if parsed.path() == "/" && parsed.query().is_none() {
                ""
            } else {
                "/…"
            };
            format!("{}://{host}{port}{more}", parsed.scheme())
        }
        Err(_) => "(a URL)".to_owned(),
    }
}

fn email(
    rest: &str,
    env: &dyn Fn(&str) -> Option<String>,
    slo_alerts: Option<&str>,
) -> Result<Target, String> {
    let url = reqwest::Url::parse(rest).map_err(|_| {
        "email: write email:smtp://USER@HOST:587 or email:smtps://USER@HOST:465".to_owned()
    })?;
    if url.password().is_some() {
        return Err(
            "email: no password in the URL; name the variable that holds it: ?password_env=VAR"
                .to_owned(),
        );
    }
    let mut tls = match url.scheme() {
        "smtp" => Tls::StartTls,
        "smtps" => Tls::Implicit,
        _ => return Err("email: the URL is smtp:// (STARTTLS) or smtps:// (TLS)".to_owned()),
    };
    let host = url
        .host_str()
        .ok_or("email: the URL names no host")?
        .trim_matches(['[', ']'])
        .to_owned();
    let port = url
        .port()
        .unwrap_or(if tls == Tls::Implicit { 465 } else { 587 });
    let user = (!url.username().is_empty()).then(|| crate::net::percent_decode(url.username()));
    let (mut password, mut from, mut to) = (None, None, Vec::new());
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "password_env" => {
                let value = env(&value)
                    .ok_or_else(|| format!("email: the environment variable {value} is not set"))?;
                password = Some(Secret(value));
            }
            "to" => to.push(value.into_owned()),
            "from" => from = Some(value.into_owned()),
            "tls" if value == "none" => {
                if tls != Tls::StartTls || !is_loopback(&host) {
                    return Err(
                        "email: tls=none is for a relay on this machine (smtp://localhost) only"
                            .to_owned(),
                    );
                }
                tls = Tls::None;
            }
            other => {
                return Err(format!(
                    "email: unknown option `{other}` (password_env, to, from, tls=none)"
                ));
            }
        }
    }
    if user.is_some() != password.is_some() {
        return Err("email: a user needs ?password_env=VAR, and a password a user".to_owned());
    }
    if to.is_empty() {
        to.push(
            slo_alerts
                .ok_or("email: no recipient: add ?to=ADDR, or monitor a questionnaire whose contacts.slo_alerts receives it")?
                .to_owned(),
        );
    }
    let from = from
        .or_else(|| user.clone().filter(|u| u.contains('@')))
        .unwrap_or_else(|| {
            format!(
                "cfready@{}",
                if is_loopback(&host) {
                    "localhost"
                } else {
                    &host
                }
            )
        });
    let label = format!("email:{}://{}:{port}", url.scheme(), host);
    Ok(Target {
        label,
        kind: Kind::Email(Email {
            host,
            port,
            tls,
            user,
            password,
            from,
            to,
        }),
    })
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(var: &str) -> Option<String> {
        match var {
            "PD" => Some("R0UTINGKEY".to_owned()),
            "HOOK" => Some("https://hooks.slack.com/services/T0/B0/SECRET".to_owned()),
            "SMTP_PASSWORD" => Some("hunter2".to_owned()),
            _ => None,
        }
    }

    #[test]
    fn labels_name_the_variable_and_never_the_secret() {
        let cases = [
            ("pagerduty:env:PD", "pagerduty:env:PD"),
            ("slack:env:HOOK", "slack:env:HOOK"),
            (
                "slack:https://hooks.slack.com/services/T0/B0/SECRET",
                "slack:https://hooks.slack.com/…",
            ),
            (
                "webhook:http://alerts.internal:9000/cfready",
                "webhook:http://alerts.internal:9000/…",
            ),
            ("opsgenie-eu:env:PD", "opsgenie:env:PD"),
            (
                "email:smtp://alerts%40acme.example@smtp.acme.example?password_env=SMTP_PASSWORD",
                "email:smtp://smtp.acme.example:587",
            ),
        ];
        for (text, label) in cases {
            let target = parse(text, &env, Some("reliability@acme.example")).unwrap();
            assert!(
                target.label.starts_with(label.split(':').next().unwrap()),
                "{text}"
            );
            if !text.starts_with("opsgenie-eu") {
                assert_eq!(target.label, label);
            }
            let shown = format!("{target:?}");
            for secret in ["R0UTINGKEY", "SECRET", "hunter2"] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }

    #[test]
    fn opsgenie_has_a_us_and_an_eu_endpoint_and_pagerduty_an_override() {
        let eu = parse("opsgenie-eu:env:PD", &env, None).unwrap();
        assert!(matches!(eu.kind, Kind::Opsgenie { ref endpoint, .. } if endpoint == OPSGENIE_EU));
        let us = parse("opsgenie:env:PD", &env, None).unwrap();
        assert!(matches!(us.kind, Kind::Opsgenie { ref endpoint, .. } if endpoint == OPSGENIE_US));
        let pd = parse(
            "pagerduty:env:PD,endpoint=http://127.0.0.1:9/v2/enqueue",
            &env,
            None,
        )
        .unwrap();
        assert!(
            matches!(pd.kind, Kind::PagerDuty { ref endpoint, .. } if endpoint == "http://127.0.0.1:9/v2/enqueue")
        );
    }

    #[test]
    fn secrets_must_come_from_the_environment() {
        for (text, says) in [
            ("pagerduty:R0UTINGKEY", "pagerduty:env:VAR"),
            ("pagerduty:env:MISSING", "MISSING is not set"),
            ("email:smtp://u:pw@smtp.example", "no password in the URL"),
            ("email:smtp://smtp.example", "no recipient"),
            (
                "email:smtp://smtp.example?to=a@b.example&tls=none",
                "this machine",
            ),
            ("teams:https://x.example", "no notification kind"),
        ] {
            let error = parse(text, &env, None).unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
            assert!(
                !error.contains("R0UTINGKEY") && !error.contains(":pw@"),
                "{error}"
            );
        }
    }

    #[test]
    fn email_goes_to_slo_alerts_unless_told_and_from_the_user() {
        let target = parse(
            "email:smtps://alerts%40acme.example@smtp.acme.example?password_env=SMTP_PASSWORD",
            &env,
            Some("reliability@acme.example"),
        )
        .unwrap();
        let Kind::Email(email) = target.kind else {
            panic!()
        };
        assert_eq!(email.to, ["reliability@acme.example"]);
        assert_eq!(email.from, "alerts@acme.example");
        assert_eq!((email.port, email.tls), (465, Tls::Implicit));
        assert_eq!(email.password.unwrap().expose(), "hunter2");
    }
}
