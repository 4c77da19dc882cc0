//! The packaging files agree with each other and with Cargo.toml, the one source of the
//! version: the release matrix, the npm platform packages, the cargo-binstall overrides, every
//! version a package file or a partner's copy of the documentation holds, and CHANGELOG.md,
//! whose section of a version is that release's notes. (scripts/package-proofs.sh runs the
//! real installers and scripts/release-dry-run.sh builds a tag's artefacts; these tests catch a
//! disagreement before anything is built.)

use std::collections::BTreeSet;
use std::process::Command;

use saphyr::{LoadableYamlNode, Yaml};

use super::root;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The targets the release workflow builds.
fn release_targets() -> Vec<String> {
    let text = read(".github/workflows/release.yml");
    let documents = Yaml::load_from_str(&text).expect("release.yml is YAML");
    let include = &documents[0]["jobs"]["build"]["strategy"]["matrix"]["include"];
    let targets: Vec<String> = include
        .as_vec()
        .expect("the build job has a matrix of targets")
        .iter()
        .map(|entry| entry["target"].as_str().expect("a target").to_owned())
        .collect();
    assert!(!targets.is_empty());
    targets
}

/// The npm platform packages a release target fills: a static Linux binary fills the glibc
/// and the musl package of its cpu.
fn npm_packages_for(target: &str) -> Vec<String> {
    let cpu = match target.split('-').next() {
        Some("x86_64") => "x64",
        Some("aarch64") => "arm64",
        other => panic!("no npm cpu for {other:?}"),
    };
    if target.ends_with("-linux-musl") {
        vec![
            format!("@cfready/cli-linux-{cpu}"),
            format!("@cfready/cli-linux-{cpu}-musl"),
        ]
    } else if target.ends_with("-apple-darwin") {
        vec![format!("@cfready/cli-darwin-{cpu}")]
    } else if target.ends_with("-windows-msvc") {
        vec![format!("@cfready/cli-win32-{cpu}")]
    } else {
        panic!("the release builds {target}, which no npm package covers")
    }
}

#[test]
fn every_npm_platform_package_is_built_by_the_release_and_no_other() {
    let launcher: serde_json::Value =
        serde_json::from_str(&read("npm/cfready/package.json")).expect("package.json is JSON");
    let listed: BTreeSet<String> = launcher["optionalDependencies"]
        .as_object()
        .expect("optionalDependencies")
        .keys()
        .cloned()
        .collect();
    let built: BTreeSet<String> = release_targets()
        .iter()
        .flat_map(|target| npm_packages_for(target))
        .collect();
    assert_eq!(listed, built);
}

#[test]
fn the_npm_launcher_runs_no_install_script() {
    let launcher: serde_json::Value =
        serde_json::from_str(&read("npm/cfready/package.json")).expect("package.json is JSON");
    assert!(launcher.get("scripts").is_none(), "no install-time scripts");
    assert_eq!(launcher["engines"]["node"], ">=18");
    assert_eq!(launcher["bin"]["cfready"], "bin/cfready");
}

#[test]
fn every_windows_target_has_its_zip_for_cargo_binstall() {
    let manifest = read("Cargo.toml");
    for target in release_targets() {
        let section = format!("[package.metadata.binstall.overrides.{target}]");
        assert_eq!(
            manifest.contains(&section),
            target.contains("windows"),
            "{section}: Windows archives are zips, the others the default tar.gz"
        );
    }
}

/// Every version written after `prefix` in `text`, with the line it is on.
fn versions_after<'a>(text: &'a str, prefix: &str) -> Vec<(&'a str, &'a str)> {
    text.lines()
        .flat_map(|line| {
            line.match_indices(prefix).map(move |(at, _)| {
                let rest = &line[at + prefix.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .unwrap_or(rest.len());
                (line, rest[..end].trim_end_matches('.'))
            })
        })
        .filter(|(_, version)| !version.is_empty())
        .collect()
}

#[test]
fn the_versions_partners_copy_are_cargos() {
    let major = VERSION.split('.').next().unwrap();
    let mut seen = 0;
    for path in [
        "README.md",
        "docs/ci.md",
        ".pre-commit-hooks.yaml",
        "examples/ci/github-actions.yml",
        "examples/ci/gitlab-ci.yml",
        "action.yml",
    ] {
        let text = read(path);
        for prefix in [
            "rev: v",
            "cfready==",
            "cfready@",
            "cfready/cfready@v",
            "cfready/cfready@<sha> # v",
            "version: ",
        ] {
            for (line, version) in versions_after(&text, prefix) {
                // `cfready/cfready@v0` is the action's major tag; the rest name a release.
                let expected = if version.contains('.') {
                    VERSION
                } else {
                    major
                };
                if prefix == "version: " && !line.contains("# version:") {
                    continue; // the questionnaire's `version: 1`, not a release
                }
                assert_eq!(version, expected, "{path}: {line}");
                seen += 1;
            }
        }
    }
    assert!(
        seen >= 8,
        "only {seen} versions found: the scan has lost its way"
    );
}

#[test]
fn the_wheel_takes_its_version_from_cargo() {
    let pyproject = read("pyproject.toml");
    assert!(pyproject.contains("dynamic = [\"version\"]"));
    assert!(pyproject.contains("bindings = \"bin\""));
    assert!(!pyproject.lines().any(|l| l.starts_with("version")));
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The version of the `cfready` package in a Cargo.lock.
fn locked_version(path: &str) -> String {
    let text = read(path);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"cfready\"" {
            let next = lines.next().unwrap_or_default();
            return next
                .strip_prefix("version = \"")
                .and_then(|rest| rest.strip_suffix('"'))
                .unwrap_or(next)
                .to_owned();
        }
    }
    panic!("{path} locks no cfready package")
}

/// Every file that holds a copy of the version holds Cargo.toml's. The packaging scripts write
/// Cargo's version into what they build (the wheel through maturin, the npm packages, the
/// .vsix, the pre-commit mirror); the copies checked here are what the repository shows and
/// what `npm ci` and `cargo --locked` compare. benches/ and fuzz/ are packages of their own,
/// never published, at 0.0.0.
#[test]
fn every_version_in_the_repository_is_cargos() {
    let mut found: Vec<(&str, String, String)> = Vec::new();
    let text = |value: &serde_json::Value| value.as_str().unwrap_or("(not a string)").to_owned();

    let launcher = json("npm/cfready/package.json");
    found.push((
        "npm/cfready/package.json",
        "version".into(),
        text(&launcher["version"]),
    ));
    for (name, version) in launcher["optionalDependencies"]
        .as_object()
        .expect("optionalDependencies")
    {
        found.push((
            "npm/cfready/package.json",
            format!("optionalDependencies {name}"),
            text(version),
        ));
    }
    let extension = json("editors/vscode/package.json");
    found.push((
        "editors/vscode/package.json",
        "version".into(),
        text(&extension["version"]),
    ));
    let lock = json("editors/vscode/package-lock.json");
    found.push((
        "editors/vscode/package-lock.json",
        "version".into(),
        text(&lock["version"]),
    ));
    found.push((
        "editors/vscode/package-lock.json",
        "packages[\"\"].version".into(),
        text(&lock["packages"][""]["version"]),
    ));
    for path in ["Cargo.lock", "fuzz/Cargo.lock"] {
        found.push((path, "cfready".into(), locked_version(path)));
    }
    // The version the action's input takes, as its description and error message show it.
    for path in ["action.yml", "scripts/github-action.sh"] {
        for (_, version) in versions_after(&read(path), "such as ") {
            found.push((path, "the example version".into(), version.to_owned()));
        }
    }

    let wrong: Vec<String> = found
        .iter()
        .filter(|(_, _, version)| version != VERSION)
        .map(|(path, what, version)| format!("{path}: {what} is {version}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "Cargo.toml's version is {VERSION}; these files say otherwise:\n{}",
        wrong.join("\n")
    );
    assert!(
        found.len() >= 16,
        "only {} versions found: the scan has lost its way",
        found.len()
    );
}

/// A version's numbers, for ordering: `0.10.0` is newer than `0.9.0`.
fn numbers(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|n| {
            n.parse()
                .unwrap_or_else(|_| panic!("not a version: {version}"))
        })
        .collect()
}

/// CHANGELOG.md in Keep a Changelog's form: `## [Unreleased]` first when there is one, then
/// `## [X.Y.Z] - YYYY-MM-DD`, newest first; the standard `###` kinds only; a link for every
/// heading. Cargo's version is either released there (the newest) or on its way: newer than
/// every release, with an [Unreleased] section, which is renamed when the version is tagged.
#[test]
fn the_changelog_is_keep_a_changelog_and_knows_cargos_version() {
    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.starts_with("# Changelog\n"),
        "CHANGELOG.md: title"
    );
    let mut headings = Vec::new();
    let mut releases: Vec<(Vec<u64>, &str)> = Vec::new();
    for line in changelog.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let (name, rest) = heading
                .strip_prefix('[')
                .and_then(|h| h.split_once(']'))
                .unwrap_or_else(|| panic!("CHANGELOG.md: `{line}` is not `## [NAME]...`"));
            headings.push(name);
            if name == "Unreleased" {
                assert_eq!(rest, "", "CHANGELOG.md: `{line}`");
                assert_eq!(headings.len(), 1, "CHANGELOG.md: [Unreleased] comes first");
                continue;
            }
            let date = rest
                .strip_prefix(" - ")
                .unwrap_or_else(|| panic!("CHANGELOG.md: `{line}` has no ` - DATE`"));
            let digits = date.bytes().filter(u8::is_ascii_digit).count();
            assert!(
                date.len() == 10 && digits == 8 && date.as_bytes()[4] == b'-',
                "CHANGELOG.md: `{line}`: the date is YYYY-MM-DD"
            );
            releases.push((numbers(name), date));
        } else if let Some(kind) = line.strip_prefix("### ") {
            assert!(
                [
                    "Added",
                    "Changed",
                    "Deprecated",
                    "Removed",
                    "Fixed",
                    "Security"
                ]
                .contains(&kind),
                "CHANGELOG.md: `{line}` is not one of Keep a Changelog's kinds"
            );
        }
    }
    assert!(!releases.is_empty(), "CHANGELOG.md: no release");
    for pair in releases.windows(2) {
        assert!(
            pair[0].0 > pair[1].0 && pair[0].1 >= pair[1].1,
            "CHANGELOG.md: releases newest first, {:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
    for name in &headings {
        let link = format!("\n[{name}]: https://");
        assert!(
            changelog.contains(&link),
            "CHANGELOG.md: no link for [{name}]"
        );
    }
    let cargo = numbers(VERSION);
    let newest = &releases[0].0;
    assert!(
        *newest == cargo || (*newest < cargo && headings[0] == "Unreleased"),
        "CHANGELOG.md: Cargo.toml's version {VERSION} is neither its newest release nor newer \
         work under [Unreleased] (newest release: {newest:?})"
    );
}

/// `scripts/changelog-section.sh VERSION [FILE]` and its exit status.
fn changelog_section(version: &str, file: Option<&std::path::Path>) -> (i32, String, String) {
    let mut command = Command::new("bash");
    command
        .arg(root().join("scripts/changelog-section.sh"))
        .arg(version);
    if let Some(file) = file {
        command.arg(file);
    }
    let output = command.output().expect("bash runs");
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_release_notes_are_one_section_of_the_changelog() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("CHANGELOG.md");
    std::fs::write(
        &file,
        "# Changelog\n\nPreamble.\n\n## [Unreleased]\n\n### Added\n\n- next\n\n\
         ## [0.10.0] - 2026-12-10\n\n### Fixed\n\n- ten\n\n\n- ten again\n  [0.9.0]: not a link\n\n\
         ## [0.2.0] - 2026-11-30\n\n\n## [0.1.0] - 2026-11-24\n\n### Added\n\n- one\n\n\
         [Unreleased]: https://example.invalid/compare/v0.10.0...HEAD\n\
         [0.10.0]: https://example.invalid/compare/v0.1.0...v0.10.0\n\
         [0.1.0]: https://example.invalid/tree/v0.1.0\n",
    )
    .unwrap();
    let section = |version| changelog_section(version, Some(&file));
    // Blank lines inside a section stay; around it and the closing links go.
    assert_eq!(
        section("0.10.0"),
        (
            0,
            "### Fixed\n\n- ten\n\n\n- ten again\n  [0.9.0]: not a link\n".into(),
            String::new()
        )
    );
    assert_eq!(section("0.1.0").1, "### Added\n\n- one\n");
    assert_eq!(section("Unreleased").1, "### Added\n\n- next\n");
    assert_eq!(section("unreleased").1, "### Added\n\n- next\n");
    // A version is named whole: 0.1 and 0.10 are not 0.1.0 or 0.10.0.
    for missing in ["0.1", "0.10", "0.3.0"] {
        let (code, stdout, stderr) = section(missing);
        assert_eq!((code, stdout.as_str()), (1, ""), "{missing}");
        assert!(
            stderr.contains(&format!("no section [{missing}]")),
            "{missing}: {stderr}"
        );
    }
    let (code, _, stderr) = section("0.2.0");
    assert_eq!(code, 1);
    assert!(stderr.contains("the section [0.2.0]") && stderr.contains("is empty"));
    assert_eq!(
        changelog_section("0.1.0", Some(&dir.path().join("none"))).0,
        2
    );

    // Every release of the project's own changelog has notes for its release.
    let changelog = read("CHANGELOG.md");
    let mut released = 0;
    for line in changelog.lines() {
        let Some(name) = line
            .strip_prefix("## [")
            .and_then(|h| h.split_once(']'))
            .map(|(name, _)| name)
        else {
            continue;
        };
        let (code, notes, stderr) = changelog_section(name, None);
        assert_eq!(code, 0, "[{name}]: {stderr}");
        assert!(notes.starts_with("### "), "[{name}]: {notes}");
        assert!(!notes.contains("\n## ") && !notes.contains("]: https://"));
        released += 1;
    }
    assert!(released >= 2, "only {released} sections");
}

/// Whether the pre-commit hook's `files:` pattern, of the form `(^|/)(ALT|...)\.ya?ml$` where
/// each alternative is a literal stem or `[^/]+\.` and a literal, matches a path. Read, not
/// compiled (the tests have no regex engine): a pattern of another form fails the test.
fn hook_matches(pattern: &str, path: &str) -> bool {
    let alternatives = pattern
        .strip_prefix(r"(^|/)(")
        .and_then(|rest| rest.strip_suffix(r")\.ya?ml$"))
        .unwrap_or_else(|| panic!("the hook's pattern has another form: {pattern}"));
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    alternatives.split('|').any(|alternative| {
        let literal = |text: &str| {
            assert!(
                !text
                    .replace(r"\.", "")
                    .contains(['\\', '[', '(', '*', '+', '?', '.']),
                "not a literal: {text}"
            );
            text.replace(r"\.", ".")
        };
        match alternative.strip_prefix(r"[^/]+") {
            Some(rest) => stem
                .strip_suffix(literal(rest).as_str())
                .is_some_and(|prefix| !prefix.is_empty()),
            None => stem == literal(alternative),
        }
    })
}

/// One naming convention for questionnaires: the pre-commit hook, the language server and the
/// VS Code extension take the same names (`cloud-fortified.yaml`, `NAME.cloud-fortified.yaml`,
/// `.yml` alike), and the hook also keeps the `NAME.cfready.yaml` it took until 0.4.0.
#[test]
fn the_hook_the_server_and_the_extension_take_the_same_names() {
    let hooks = read(".pre-commit-hooks.yaml");
    let pattern = hooks
        .lines()
        .find_map(|line| line.trim().strip_prefix("files: "))
        .expect("the hook names its files");
    for (path, questionnaire) in [
        ("cloud-fortified.yaml", true),
        ("cloud-fortified.yml", true),
        ("apps/jira/cloud-fortified.yaml", true),
        ("acme.cloud-fortified.yaml", true),
        ("apps/acme-eu.cloud-fortified.yml", true),
        ("cloud-fortified.json", false),
        ("notcloud-fortified.yaml", false),
        ("cloud-fortified.yaml.bak", false),
        (".cloud-fortified.yaml", false),
        ("reliability.yaml", false),
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert_eq!(
            cfready::ticket::lint::is_questionnaire_name(name),
            questionnaire,
            "server: {path}"
        );
        assert_eq!(hook_matches(pattern, path), questionnaire, "hook: {path}");
    }
    // The old suffix, kept by the hook only: removing it would stop linting such files.
    assert!(hook_matches(pattern, "config/reliability.cfready.yaml"));
    assert!(!cfready::ticket::lint::is_questionnaire_name(
        "reliability.cfready.yaml"
    ));

    let globs = [
        "**/cloud-fortified.{yaml,yml}",
        "**/*.cloud-fortified.{yaml,yml}",
    ];
    let manifest = read("editors/vscode/package.json");
    let extension = read("editors/vscode/extension.js");
    for glob in globs {
        assert!(
            manifest.contains(&format!("\"workspaceContains:{glob}\"")),
            "package.json: {glob}"
        );
        assert!(
            extension.contains(&format!("pattern: \"{glob}\"")),
            "extension.js: {glob}"
        );
    }
    // What the documentation says the hook and the server take.
    for (file, text) in [
        ("docs/ci.md", "`*.cloud-fortified.yaml`"),
        ("docs/editors.md", "`*.cloud-fortified.yaml`"),
        ("packaging/pre-commit/README.md", "`*.cloud-fortified.yaml`"),
        ("editors/vscode/README.md", "`*.cloud-fortified.yaml`"),
    ] {
        assert!(read(file).contains(text), "{file}");
    }
}
