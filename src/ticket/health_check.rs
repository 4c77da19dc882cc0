//! The health check URLs of a questionnaire: its health path on every base URL, the URLs
//! Atlassian's monitor requests. Read by the probe, the ticket and the monitor alike.

use serde::Serialize;

/// One URL to probe.
/// The `User-Agent` of every request cfready sends, and of the exported blackbox module.
pub const USER_AGENT: &str = concat!(
    "cfready/",
    env!("CARGO_PKG_VERSION"),
    " (Cloud Fortified health check probe)"
);

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// The health check URL: base URL + health path.
    pub url: String,
    /// The base URL it came from, when probing a questionnaire.
    pub base_url: Option<String>,
    /// The JSON pointer of that base URL in the questionnaire, for diagnostics.
    #[serde(skip)]
    pub pointer: Option<String>,
    /// The app it belongs to, when a monitor watches several questionnaires.
    #[serde(skip)]
    pub app: Option<String>,
}

impl Target {
    /// A URL given on the command line, not from a questionnaire.
    pub fn url(url: &str) -> Target {
        Target {
            url: url.to_owned(),
            base_url: None,
            pointer: None,
            app: None,
        }
    }
}

/// The health check URL for a base URL and a path: exactly one `/` between them.
pub fn health_url(base_url: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// The kinds of app cfready tells apart: what Atlassian measures differs between them, and every
/// command (check, probe, monitor, render, export, explain) reads the kind from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A Connect app (or one whose framework is not said yet): Atlassian's monitor requests its
    /// health check on every base URL, and the program requires both.
    Connect,
    /// A Forge app with no remote: it runs on Atlassian's platform; its availability is its
    /// functions' invocations, which Atlassian shows in the developer console.
    ForgeWithoutRemote,
    /// A Forge app whose remotes are its base URLs, with a health check where the partner
    /// declares one (the program documents none for Forge).
    ForgeWithRemote,
    /// Connect on Forge: a Forge app whose manifest still carries Connect modules, the middle
    /// of a migration (`app.connect_key` names the Connect key it keeps).
    ConnectOnForge,
}

impl Kind {
    /// The kind of a questionnaire's app, from `app.framework`, `app.connect_key` and
    /// `app.base_urls`.
    pub fn of(value: &serde_json::Value) -> Kind {
        let app = &value["app"];
        if app["framework"].as_str() != Some("forge") {
            return Kind::Connect;
        }
        let declared = |key: &str| {
            app[key]
                .as_str()
                .is_some_and(|text| !text.trim().is_empty())
        };
        let remotes = app["base_urls"]
            .as_array()
            .is_some_and(|urls| urls.iter().any(serde_json::Value::is_string));
        if declared("connect_key") {
            Kind::ConnectOnForge
        } else if remotes {
            Kind::ForgeWithRemote
        } else {
            Kind::ForgeWithoutRemote
        }
    }

    /// The kind in a partner's words, for messages and the ticket.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Connect => "Connect app",
            Kind::ForgeWithoutRemote => "Forge app without a remote",
            Kind::ForgeWithRemote => "Forge app with a remote",
            Kind::ConnectOnForge => "Connect on Forge app",
        }
    }

    /// Whether the program requires a health check on every base URL: Connect apps only (for
    /// Forge apps no health check requirement is documented).
    pub fn health_check_required(self) -> bool {
        self == Kind::Connect
    }

    /// Whether Atlassian's own monitor requests the health check and alerts on it. Documented
    /// for Connect apps only; for the others a declared health check is the partner's own.
    pub fn atlassian_probes(self) -> bool {
        self == Kind::Connect
    }

    /// Why there is nothing to probe, for an app of this kind without base URLs or a health
    /// path: the finding `probe`, `monitor` and `export` give.
    pub fn nothing_to_probe(self, missing: &str) -> String {
        match self {
            Kind::Connect => format!("nothing to probe: {missing}"),
            Kind::ForgeWithoutRemote => "nothing to probe: a Forge app without a remote runs on Atlassian's platform, which measures its functions' invocations (the developer console's invocation success rate), not a health check".to_owned(),
            Kind::ForgeWithRemote | Kind::ConnectOnForge => format!(
                "nothing to probe: {missing}; the program documents no health check for a {}, so declaring one is the partner's choice",
                self.label()
            ),
        }
    }
}

/// Whether the program asks this app for a health check: Connect apps do; for Forge apps no
/// health check requirement is documented.
pub fn required(value: &serde_json::Value) -> bool {
    Kind::of(value).health_check_required()
}

/// The health check URLs of a questionnaire: its health path on every base URL. `Err` says
/// what is missing.
pub fn targets_from(value: &serde_json::Value) -> Result<Vec<Target>, String> {
    let path = value
        .pointer("/app/health_check/path")
        .and_then(serde_json::Value::as_str)
        .ok_or("the questionnaire declares no `app.health_check.path` to probe")?;
    let base_urls = value
        .pointer("/app/base_urls")
        .and_then(serde_json::Value::as_array)
        .ok_or("the questionnaire lists no `app.base_urls` to probe")?;
    let targets: Vec<Target> = base_urls
        .iter()
        .enumerate()
        .filter_map(|(index, base)| {
            let base = base.as_str()?;
            Some(Target {
                url: health_url(base, path),
                base_url: Some(base.to_owned()),
                pointer: Some(format!("/app/base_urls/{index}")),
                app: None,
            })
        })
        .collect();
    if targets.is_empty() {
        return Err("the questionnaire lists no base URL to probe".to_owned());
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_urls_join_with_one_slash() {
        assert_eq!(
            health_url("https://a.example", "/healthcheck"),
            "https://a.example/healthcheck"
        );
        assert_eq!(
            health_url("https://a.example/", "/healthcheck"),
            "https://a.example/healthcheck"
        );
        assert_eq!(
            health_url("https://a.example/app", "health"),
            "https://a.example/app/health"
        );
    }
}
