//! SMTP submission of a message cfready built: `smtp://` with STARTTLS required (port 587 by
//! default) or `smtps://` with implicit TLS (465), rustls with the system's roots. Plain SMTP
//! only to a loopback host (a local relay, a test server). The user name may be in the URL; a
//! password never is: it comes from an environment variable, and is written nowhere.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// The environment variable that holds the SMTP password.
pub const PASSWORD_ENV: &str = "CFREADY_SMTP_PASSWORD";

/// How long one submission may take, connection to the server's last answer.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how to submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub implicit_tls: bool,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
}

impl Server {
    /// `smtp://[user@]host[:port]` or `smtps://...`; the reason when it is not.
    pub fn parse(url: &str) -> Result<Server, String> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or("write smtp://HOST[:PORT] (STARTTLS) or smtps://HOST[:PORT] (implicit TLS)")?;
        let implicit_tls = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => false,
            "smtps" => true,
            other => {
                return Err(format!(
                    "the scheme `{other}` is not smtp (STARTTLS) or smtps (implicit TLS)"
                ));
            }
        };
        let authority = rest.trim_end_matches('/');
        if authority.contains(['/', '?', '#']) {
            return Err("an SMTP URL has no path or query: smtp://user@host:587".to_owned());
        }
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user), host),
            None => (None, authority),
        };
        if user.is_some_and(|u| u.contains(':')) {
            return Err(format!(
                "a password does not belong in the URL (it would show in the shell's history and in process lists): set {PASSWORD_ENV} instead"
            ));
        }
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => (
                host,
                port.parse::<u16>()
                    .map_err(|_| format!("`{port}` is not a port number"))?,
            ),
            _ => (host_port, if implicit_tls { 465 } else { 587 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err("the SMTP URL has no host".to_owned());
        }
        Ok(Server {
            implicit_tls,
            host: host.to_owned(),
            port,
            user: user.map(crate::net::percent_decode),
        })
    }

    /// Whether the host is this machine, where plain SMTP is allowed.
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

/// Submit `message` (CRLF text) from `from` to `to`. `password` is the value of
/// [`PASSWORD_ENV`], used only with a user name.
pub fn send(
    server: &Server,
    password: Option<&str>,
    from: &str,
    to: &[String],
    message: &str,
) -> Result<String, String> {
    let address = |text: &str| {
        let bare = text
            .rsplit_once('<')
            .map_or(text, |(_, rest)| rest.trim_end_matches('>'));
        bare.trim()
            .parse::<Address>()
            .map_err(|e| format!("`{text}` is not an email address: {e}"))
    };
    let recipients = to
        .iter()
        .map(|t| address(t))
        .collect::<Result<Vec<_>, _>>()?;
    let envelope = Envelope::new(Some(address(from)?), recipients).map_err(|e| e.to_string())?;
    let builder = if server.implicit_tls {
        AsyncSmtpTransport::<Tokio1Executor>::relay(&server.host)
    } else if server.is_loopback() {
        Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &server.host,
        ))
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&server.host)
    }
    .map_err(|e| e.to_string())?;
    let mut builder = builder.port(server.port).timeout(Some(TIMEOUT));
    if let Some(user) = &server.user {
        let password = password.ok_or(format!(
            "{PASSWORD_ENV} is not set: the SMTP server's password for {user}"
        ))?;
        builder = builder.credentials(Credentials::new(user.clone(), password.to_owned()));
    }
    let transport = builder.build();
    let runtime = crate::net::runtime().map_err(|e| e.to_string())?;
    let response = runtime
        .block_on(transport.send_raw(&envelope, message.as_bytes()))
        .map_err(|e| e.to_string())?;
    Ok(response.message().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_server_and_never_a_password() {
        assert_eq!(
            Server::parse("smtp://alerts%40acme.example@mail.acme.example").unwrap(),
            Server {
                implicit_tls: false,
                host: "mail.acme.example".into(),
                port: 587,
                user: Some("alerts@acme.example".into())
            }
        );
        let server = Server::parse("smtps://mail.acme.example").unwrap();
        assert_eq!((server.implicit_tls, server.port), (true, 465));
        assert!(
            Server::parse("smtp://127.0.0.1:2525")
                .unwrap()
                .is_loopback()
        );
        assert!(
            Server::parse("smtp://u:secret@mail.example")
                .unwrap_err()
                .contains(PASSWORD_ENV)
        );
        assert!(Server::parse("http://mail.example").is_err());
        assert!(Server::parse("smtp://mail.example:x").is_err());
    }
}
