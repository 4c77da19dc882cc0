//! `cfready init`: a commented starter questionnaire, written without ever overwriting a file.
//! One starter per kind of app (`--framework connect|forge [--remote]`), which the language
//! server offers too.

use std::path::{Path, PathBuf};

use crate::ticket::lint::DEFAULT_FILE;
use crate::ticket::model::Framework;
use crate::write::{self, Existing, WriteError};

/// The starter questionnaire: every question, explained, with its answer left empty so that
/// `cfready lint` lists what is still to do. `framework` is left for the partner to choose.
pub const STARTER: &str = include_str!("../../templates/starter.yaml");

/// Which starter: the generic one, or one for a framework (and, for Forge, with a remote).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Starter {
    pub framework: Option<Framework>,
    /// A Forge app with a Forge Remote backend: base URLs, and an optional health check.
    pub remote: bool,
}

impl Starter {
    /// Every starter a partner chooses from, with its name: the language server offers them.
    pub const ALL: [(&'static str, Starter); 3] = [
        (
            "Connect app",
            Starter {
                framework: Some(Framework::Connect),
                remote: false,
            },
        ),
        (
            "Forge app",
            Starter {
                framework: Some(Framework::Forge),
                remote: false,
            },
        ),
        (
            "Forge app with a remote",
            Starter {
                framework: Some(Framework::Forge),
                remote: true,
            },
        ),
    ];

    /// The starter's text.
    pub fn text(self) -> String {
        match self.framework {
            None => STARTER.to_owned(),
            Some(Framework::Connect) => replace_all(STARTER, CONNECT),
            Some(Framework::Forge) if self.remote => replace_all(STARTER, FORGE_REMOTE),
            Some(Framework::Forge) => replace_all(STARTER, FORGE),
        }
    }
}

/// The generic starter's lines that differ between the kinds of app.
const KEY: &str = "  # Connect: the descriptor key (letters, digits, '-', '.', '_'; at most 64 characters).\n  # Forge: the app id, ari:cloud:ecosystem::app/<uuid>.\n";
const FRAMEWORK: &str = "  # connect | forge\n  framework:\n";
const SLO_ALERTS: &str = " Atlassian alerts after one failed\n    # health check in 15 minutes.\n";
const OWN_FILE: &str = "  # Optional: the app's own descriptor (Connect) or manifest (Forge), relative to this file;\n  # cfready lint checks its key, name, vendor, baseUrl and remotes against these answers.\n  # descriptor: atlassian-connect.json\n  # manifest: manifest.yml\n";
/// From the base URLs to the end of the health check.
const BASE_URLS_START: &str = "  # Every base URL that receives customer traffic";
const BASE_URLS_END: &str = "    # descriptor_path: /atlassian-connect.json\n";

const CONNECT: &[(&str, &str)] = &[
    (
        KEY,
        "  # The descriptor key (letters, digits, '-', '.', '_'; at most 64 characters).\n",
    ),
    (FRAMEWORK, "  framework: connect\n"),
    (
        OWN_FILE,
        "  # Optional: the app descriptor, relative to this file; cfready lint checks its key,\n  # name, vendor and baseUrl against these answers.\n  # descriptor: atlassian-connect.json\n",
    ),
];

const FORGE_KEY: (&str, &str) = (
    KEY,
    "  # The app id, ari:cloud:ecosystem::app/<uuid>: app.id in manifest.yml.\n",
);
const FORGE_SLO_ALERTS: (&str, &str) = (
    SLO_ALERTS,
    " (The program documents no health\n    # check for Forge apps: this is the address the ticket gives.)\n",
);
const FORGE_OUT_OF_HOURS: (&str, &str) = (
    "acknowledge? Atlassian alerts within 15 minutes of a failed health check, at any hour;\n    # 15 minutes plus the acknowledgement should fit in the error budget (40m 19s).\n",
    "acknowledge? Atlassian requests no health check of a Forge app, so your own alert starts\n    # the clock: the acknowledgement should fit in the error budget (40m 19s).\n",
);
const FORGE_OWN_FILE: (&str, &str) = (
    OWN_FILE,
    "  # Optional: the app manifest, relative to this file; cfready lint checks its app id and\n  # remotes against these answers.\n  # manifest: manifest.yml\n",
);

const FORGE: &[(&str, &str)] = &[
    FORGE_KEY,
    (FRAMEWORK, "  framework: forge\n"),
    FORGE_SLO_ALERTS,
    (
        BASE_URLS_START,
        "  # A Forge app without a remote runs on Atlassian's platform: no base URLs and no health\n  # check (the program documents none for Forge). Adding a Forge Remote? Start from\n  # `cfready init --framework forge --remote`, or add its `base_urls` here.\n",
    ),
    FORGE_OWN_FILE,
    FORGE_OUT_OF_HOURS,
];

const FORGE_REMOTE: &[(&str, &str)] = &[
    FORGE_KEY,
    (FRAMEWORK, "  framework: forge\n"),
    FORGE_SLO_ALERTS,
    (
        BASE_URLS_START,
        "  # The baseUrl of every remote in manifest.yml (`remotes[].baseUrl`) that receives customer\n  # traffic (https), in every data-residency region.\n  base_urls:\n    -\n  # Optional for Forge: a health check your remote serves. The program documents none for\n  # Forge apps, so Atlassian does not request it; cfready check, probe and monitor do, for\n  # your own watch. Only 200 OK within 3 seconds counts; redirects fail.\n  # health_check:\n  #   path: /healthcheck\n",
    ),
    FORGE_OWN_FILE,
    FORGE_OUT_OF_HOURS,
];

/// The generic starter with each part replaced; `BASE_URLS_START` replaces the whole block
/// down to `BASE_URLS_END`. Every part is in the generic starter (a unit test reads them all).
fn replace_all(starter: &str, parts: &[(&str, &str)]) -> String {
    let mut text = starter.to_owned();
    for (from, to) in parts {
        if *from == BASE_URLS_START {
            let start = text.find(BASE_URLS_START).expect("the starter's base URLs");
            let end = text[start..].find(BASE_URLS_END).expect("their end") + start;
            text.replace_range(start..end + BASE_URLS_END.len(), to);
        } else {
            assert!(text.contains(from), "the starter has {from:?}");
            text = text.replacen(from, to, 1);
        }
    }
    text
}

/// Write the generic starter to `path` (or to `path/cloud-fortified.yaml` when `path` is a
/// directory).
pub fn write_starter(path: &Path) -> Result<PathBuf, WriteError> {
    write(path, Starter::default())
}

/// Write a starter to `path` (or to `path/cloud-fortified.yaml` when `path` is a directory).
pub fn write(path: &Path, starter: Starter) -> Result<PathBuf, WriteError> {
    let target = if path.is_dir() {
        path.join(DEFAULT_FILE)
    } else {
        path.to_path_buf()
    };
    write::atomically(&target, starter.text().as_bytes(), Existing::Keep)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_replaces_every_part_it_names() {
        for (name, starter) in Starter::ALL {
            let text = starter.text();
            assert_ne!(text, STARTER, "{name}");
            let framework = starter.framework.unwrap().as_str();
            assert!(
                text.contains(&format!("\n  framework: {framework}\n")),
                "{name}"
            );
        }
    }

    #[test]
    fn a_forge_starter_has_no_connect_keys_and_a_connect_one_no_manifest() {
        let [(_, connect), (_, forge), (_, remote)] = Starter::ALL;
        let (connect, forge, remote) = (connect.text(), forge.text(), remote.text());
        assert!(!connect.contains("manifest"));
        for text in [&forge, &remote] {
            assert!(!text.contains("descriptor"), "{text}");
            assert!(!text.contains("\n  health_check:\n"), "{text}");
        }
        assert!(!forge.contains("\n  base_urls:\n"));
        assert!(remote.contains("\n  base_urls:\n    -\n"));
        assert!(remote.contains("\n  # health_check:\n  #   path: /healthcheck\n"));
    }
}
