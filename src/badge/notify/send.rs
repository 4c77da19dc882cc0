//! Delivering a message: one HTTP request (reqwest) or one SMTP submission (lettre), within a
//! bounded time, retried with backoff as Alertmanager does, each attempt recorded.

use std::time::Duration;

use super::event::Event;
use super::payload::{self, Message};
use super::target::{Email, Kind, Target, Tls};
use crate::badge::history::{Delivery, Outcome};
use crate::timestamp::Timestamp;

/// How hard a delivery tries.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// The most one attempt may take, connection included.
    pub timeout: Duration,
    /// Attempts in all (the first included).
    pub attempts: u32,
    /// The wait after the first failed attempt; it doubles after each.
    pub backoff: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            timeout: Duration::from_secs(10),
            attempts: 3,
            backoff: Duration::from_secs(1),
        }
    }
}

impl Policy {
    /// The longest a delivery can take, every attempt and wait included.
    pub fn bound(&self) -> Duration {
        let waits: Duration = (0..self.attempts.saturating_sub(1))
            .map(|n| self.backoff * 2u32.saturating_pow(n))
            .sum();
        self.timeout * self.attempts + waits
    }
}

/// Why an attempt failed, with no secret in it.
#[derive(Debug, Clone)]
pub struct Failed {
    pub status: Option<u16>,
    pub reason: String,
    /// Worth another attempt (a timeout, a refused connection, 429, 5xx, a transient SMTP
    /// reply); a 4xx or a permanent SMTP reply is not.
    pub retry: bool,
}

/// The HTTP client of the notifications: rustls on ring, as the probe's; redirects not
/// followed (a secret in a body must not travel to another host); the environment's proxy
/// honoured, since a partner's on-call service is often reached through one.
pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(crate::ticket::health_check::USER_AGENT)
        .timeout(timeout)
        .connect_timeout(timeout)
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {}", e.without_url()))
}

/// One attempt: the receiver's status (or SMTP reply code) when it accepted.
pub async fn attempt(
    client: &reqwest::Client,
    target: &Target,
    message: &Message,
    timeout: Duration,
) -> Result<u16, Failed> {
    match (message, &target.kind) {
        (
            Message::Http {
                url,
                authorization,
                body,
            },
            _,
        ) => {
            let mut request = client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(body).expect("a payload serializes"));
            if let Some(value) = authorization {
                request = request.header(reqwest::header::AUTHORIZATION, value);
            }
            let answer = tokio::time::timeout(timeout, async {
                let response = request.send().await?;
                let status = response.status();
                // Read (and drop) the body so the connection ends cleanly.
                let _ = response.bytes().await;
                Ok::<_, reqwest::Error>(status)
            })
            .await;
            match answer {
                Err(_) => Err(Failed {
                    status: None,
                    reason: format!("no answer within {}", crate::duration::human(timeout)),
                    retry: true,
                }),
                Ok(Err(e)) if e.is_timeout() => Err(Failed {
                    status: None,
                    reason: format!("no answer within {}", crate::duration::human(timeout)),
                    retry: true,
                }),
                Ok(Err(e)) => Err(Failed {
                    status: None,
                    reason: http_reason(&e),
                    retry: true,
                }),
                Ok(Ok(status)) if status.is_success() => Ok(status.as_u16()),
                Ok(Ok(status)) => Err(Failed {
                    status: Some(status.as_u16()),
                    reason: format!("the receiver answered {status}"),
                    retry: status.as_u16() == 429 || status.is_server_error(),
                }),
            }
        }
        (Message::Email { subject, body }, Kind::Email(email)) => {
            send_mail(email, subject, body, timeout).await
        }
        (Message::Email { .. }, _) => Err(Failed {
            status: None,
            reason: "an email for a target that is not email (a bug)".to_owned(),
            retry: false,
        }),
    }
}

/// A reqwest error said without its URL (a webhook's URL holds its token).
pub fn http_reason(e: &reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

async fn send_mail(
    email: &Email,
    subject: &str,
    body: &str,
    timeout: Duration,
) -> Result<u16, Failed> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

    let _ = rustls::crypto::ring::default_provider().install_default();
    let permanent = |reason: String| Failed {
        status: None,
        reason,
        retry: false,
    };
    let mut mail = lettre::Message::builder()
        .from(
            email
                .from
                .parse()
                .map_err(|e| permanent(format!("from `{}`: {e}", email.from)))?,
        )
        .subject(subject)
        .header(ContentType::TEXT_PLAIN);
    for to in &email.to {
        mail = mail.to(to
            .parse()
            .map_err(|e| permanent(format!("to `{to}`: {e}")))?);
    }
    let mail = mail
        .body(body.to_owned())
        .map_err(|e| permanent(e.to_string()))?;
    let builder = match email.tls {
        Tls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&email.host),
        Tls::Implicit => AsyncSmtpTransport::<Tokio1Executor>::relay(&email.host),
        Tls::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &email.host,
        )),
    }
    .map_err(|e| permanent(e.to_string()))?;
    let mut builder = builder.port(email.port).timeout(Some(timeout));
    if let (Some(user), Some(password)) = (&email.user, &email.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
    }
    let transport = builder.build();
    match tokio::time::timeout(timeout, transport.send(mail)).await {
        Err(_) => Err(Failed {
            status: None,
            reason: format!("no answer within {}", crate::duration::human(timeout)),
            retry: true,
        }),
        Ok(Ok(response)) => Ok(response.code().to_string().parse().unwrap_or(250)),
        Ok(Err(e)) => Err(Failed {
            status: e.status().and_then(|code| code.to_string().parse().ok()),
            reason: e.to_string(),
            retry: !e.is_permanent(),
        }),
    }
}

/// Deliver `event` to `target`: attempts until one is accepted or the policy's attempts are
/// spent, each recorded as it ends. True when delivered.
pub async fn deliver(
    client: &reqwest::Client,
    target: &Target,
    event: &Event,
    policy: &Policy,
    record: &(dyn Fn(Delivery) + Send + Sync),
) -> bool {
    let message = payload::message(target, event);
    let mut wait = policy.backoff;
    for number in 1..=policy.attempts.max(1) {
        let result = attempt(client, target, &message, policy.timeout).await;
        let last = number >= policy.attempts.max(1);
        let (outcome, status, error) = match &result {
            Ok(status) => (Outcome::Delivered, Some(*status), None),
            Err(failed) if failed.retry && !last => {
                (Outcome::Retry, failed.status, Some(failed.reason.clone()))
            }
            Err(failed) => (
                Outcome::Undelivered,
                failed.status,
                Some(failed.reason.clone()),
            ),
        };
        record(Delivery {
            at: Timestamp::now(),
            target: target.label.clone(),
            event: event.kind.into(),
            key: event.key.clone(),
            base_url: Some(event.base_url.clone()),
            attempt: number,
            outcome,
            status,
            error,
        });
        match outcome {
            Outcome::Delivered => return true,
            Outcome::Undelivered => return false,
            Outcome::Retry => {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
        }
    }
    false
}
