//! App and health check: base URLs Atlassian's monitor can reach, a health path it can judge,
//! and a mailbox that receives its alerts.

use super::context::Context;
use crate::diagnostic::Diagnostic;
use crate::net::{split_url, unreachable_host};
use crate::ticket::registry::app::{
    CREDENTIALS_OR_QUERY, DUPLICATE_BASE_URL, NOT_HTTPS, PERSONAL_MAILBOX, STATIC_HEALTH_CHECK,
    UNREACHABLE,
};

const STATIC_EXTENSIONS: &[&str] = &[
    ".html", ".htm", ".json", ".txt", ".xml", ".png", ".gif", ".jpg", ".svg", ".ico", ".css", ".js",
];

/// Words that make an address a role mailbox rather than a person's.
const ROLE_WORDS: &[&str] = &[
    "admin",
    "alert",
    "alerts",
    "apps",
    "atlassian",
    "cloud",
    "devops",
    "dev",
    "engineering",
    "help",
    "incident",
    "incidents",
    "info",
    "it",
    "marketplace",
    "monitoring",
    "noc",
    "oncall",
    "on-call",
    "ops",
    "operations",
    "platform",
    "reliability",
    "security",
    "service",
    "sla",
    "slo",
    "sre",
    "status",
    "support",
    "team",
    "tech",
    "uptime",
];

const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "aol.com",
    "mail.ru",
    "yandex.ru",
    "qq.com",
];

/// Why an address looks personal, if it does.
pub fn personal_address(address: &str) -> Option<String> {
    let (local, domain) = address.rsplit_once('@')?;
    let local = local.to_ascii_lowercase();
    let domain = domain.to_ascii_lowercase();
    let parts: Vec<&str> = local
        .split(['.', '_', '-', '+'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.iter().any(|part| ROLE_WORDS.contains(part)) {
        return None;
    }
    if FREE_MAIL.contains(&domain.as_str()) {
        return Some(format!("`{domain}` is a personal mail provider"));
    }
    let name_like = |p: &&str| p.len() > 1 && p.chars().all(|c| c.is_ascii_alphabetic());
    if parts.len() == 2 && parts.iter().all(name_like) && local.contains(['.', '_']) {
        return Some(format!(
            "`{local}` reads like a person's first and last name"
        ));
    }
    None
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(app) = &context.questionnaire.app else {
        return;
    };
    let mut seen: Vec<(String, usize)> = Vec::new();
    let urls = context
        .value
        .pointer("/app/base_urls")
        .and_then(|v| v.as_array());
    for (index, url) in urls.into_iter().flatten().enumerate() {
        let Some(url) = url.as_str() else { continue };
        let pointer = format!("/app/base_urls/{index}");
        let Some(parts) = split_url(url) else {
            continue;
        };
        if !parts.scheme.eq_ignore_ascii_case("https") {
            out.push(
                context
                    .at(
                        &NOT_HTTPS,
                        &pointer,
                        format!("base URL `{url}` does not use https"),
                    )
                    .help("Atlassian requires TLS 1.2 or higher for all app traffic: use https://"),
            );
        }
        if let Some(why) = unreachable_host(parts.host) {
            out.push(
                context
                    .at(
                        &UNREACHABLE,
                        &pointer,
                        format!("base URL `{url}` points at {why}, which Atlassian cannot reach"),
                    )
                    .help("list the public URL that customers' Jira or Confluence sites call"),
            );
        }
        let mut extras = Vec::new();
        if parts.userinfo.is_some() {
            extras.push("credentials");
        }
        if parts.query.is_some() {
            extras.push("a query string");
        }
        if parts.fragment.is_some() {
            extras.push("a fragment");
        }
        if !extras.is_empty() {
            out.push(
                context
                    .at(
                        &CREDENTIALS_OR_QUERY,
                        &pointer,
                        format!("base URL `{url}` contains {}", extras.join(" and ")),
                    )
                    .help("a base URL is scheme, host and optional path only; the monitor sends no credentials"),
            );
        }
        let normal = format!(
            "{}://{}{}{}",
            parts.scheme.to_ascii_lowercase(),
            parts.host.to_ascii_lowercase(),
            parts.port.map(|p| format!(":{p}")).unwrap_or_default(),
            parts.path.trim_end_matches('/')
        );
        if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == normal) {
            let line = context
                .positions
                .value(&format!("/app/base_urls/{first}"))
                .map_or(String::new(), |s| format!(" (line {})", s.line));
            out.push(context.at(
                &DUPLICATE_BASE_URL,
                &pointer,
                format!("base URL `{url}` is already listed{line}"),
            ));
        } else {
            seen.push((normal, index));
        }
    }

    if let Some(path) = app.health_check.as_ref().and_then(|h| h.path.as_deref()) {
        let file = path
            .split(['?', '#'])
            .next()
            .unwrap_or(path)
            .to_ascii_lowercase();
        let looks_static = file.ends_with("atlassian-connect.json")
            || STATIC_EXTENSIONS.iter().any(|ext| file.ends_with(ext));
        if looks_static {
            out.push(
                context
                    .at(
                        &STATIC_HEALTH_CHECK,
                        "/app/health_check/path",
                        format!("health check path `{path}` looks like a static file"),
                    )
                    .help("serve a dedicated endpoint that the app server answers itself, such as /healthcheck"),
            );
        }
    }

    if let Some(address) = app.contacts.as_ref().and_then(|c| c.slo_alerts.as_deref())
        && let Some(why) = personal_address(address)
    {
        out.push(
            context
                .at(
                    &PERSONAL_MAILBOX,
                    "/app/contacts/slo_alerts",
                    format!("SLO-breach alerts go to `{address}`, which looks personal: {why}"),
                )
                .help("use a shared mailbox such as reliability@ or oncall@ that a team reads"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_people_from_mailboxes() {
        assert!(personal_address("jane.doe@acme.example").is_some());
        assert!(personal_address("jane_doe@acme.example").is_some());
        assert!(personal_address("acme.reliability@gmail.com").is_none());
        assert!(personal_address("acmeapps@gmail.com").is_some());
        for shared in [
            "reliability@acme.example",
            "sre.team@acme.example",
            "oncall@acme.example",
            "cloud-ops@acme.example",
            "jira.alerts@acme.example",
        ] {
            assert_eq!(personal_address(shared), None, "{shared}");
        }
    }
}
