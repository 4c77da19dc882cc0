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

/// Whether the program asks this app for a health check: Connect apps do; for Forge apps no
/// health check requirement is documented.
pub fn required(value: &serde_json::Value) -> bool {
    value
        .pointer("/app/framework")
        .and_then(serde_json::Value::as_str)
        != Some("forge")
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
