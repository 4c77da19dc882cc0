//! The questionnaire against the app's own descriptor or manifest (`app.descriptor`,
//! `app.manifest`, `--descriptor`). Each rule's mismatches are in tests/fixtures/rules/CF2*.yaml;
//! these tests cover where the file is found and what the findings point at.

use super::{cfready, root, run};

const DESCRIPTORS: &str = "tests/fixtures/descriptors";

/// A folder with the example as `cloud-fortified.yaml`, naming `atlassian-connect.json`
/// beside it: a copy of the descriptor fixture `fixture`.
fn beside_descriptor(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replace(
            "  framework: connect\n",
            "  framework: connect\n  descriptor: atlassian-connect.json\n",
        );
    std::fs::write(dir.path().join("cloud-fortified.yaml"), example).unwrap();
    std::fs::copy(
        root().join(DESCRIPTORS).join(fixture),
        dir.path().join("atlassian-connect.json"),
    )
    .unwrap();
    dir
}

#[test]
fn the_descriptor_is_found_beside_the_questionnaire_and_findings_name_its_line() {
    let dir = beside_descriptor("connect-other-base-url.json");
    let (code, stdout, _) = run(cfready()
        .current_dir(dir.path())
        .args(["lint", "cloud-fortified.yaml"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[CF211]: the descriptor's baseUrl `https://apac.timesheets.acme.example` (atlassian-connect.json:9:14) is not among the base URLs"),
        "{stdout}"
    );
    // At the questionnaire's `base_urls`.
    assert!(stdout.contains("--> cloud-fortified.yaml:17:3"), "{stdout}");
    // --descriptor names another file, relative to the current folder.
    std::fs::copy(
        root()
            .join(DESCRIPTORS)
            .join("connect/atlassian-connect.json"),
        dir.path().join("good.json"),
    )
    .unwrap();
    let (code, stdout, _) = run(cfready().current_dir(dir.path()).args([
        "lint",
        "cloud-fortified.yaml",
        "--descriptor",
        "good.json",
    ]));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn a_broken_descriptor_is_a_finding_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("binary.json", vec![0u8, 159, 146, 150, 0, 1]),
        (
            "deep.json",
            ("[".repeat(10_000) + &"]".repeat(10_000)).into_bytes(),
        ),
        ("list.json", b"[1, 2, 3]".to_vec()),
        ("huge.json", vec![b' '; 5 * 1024 * 1024]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, stdout, _) = run(cfready().args([
            "lint",
            "examples/acme-timesheets.yaml",
            "--descriptor",
            path.to_str().unwrap(),
        ]));
        assert_eq!(code, 1, "{name}: {stdout}");
        assert!(stdout.contains("error[CF208]"), "{name}: {stdout}");
    }
}

/// A Connect descriptor without `baseUrl` (or `key`) once passed the cross-check silently:
/// it is an error that says what cannot be checked, at the key that names the file.
#[test]
fn a_descriptor_without_what_connect_requires_cannot_be_checked() {
    for (fixture, expected) in [
        (
            "connect-no-base-url.json",
            "error[CF216]: atlassian-connect.json has no `baseUrl`, which every Connect descriptor must have: it cannot be checked against `app.base_urls`",
        ),
        (
            "connect-no-key-no-base-url.json",
            "error[CF216]: atlassian-connect.json has no `key` and no `baseUrl`, which every Connect descriptor must have: it cannot be checked against `app.key` and `app.base_urls`",
        ),
    ] {
        let dir = beside_descriptor(fixture);
        let (code, stdout, _) = run(cfready()
            .current_dir(dir.path())
            .args(["lint", "cloud-fortified.yaml"]));
        assert_eq!(code, 1, "{fixture}: {stdout}");
        assert!(stdout.contains(expected), "{fixture}: {stdout}");
        // At `descriptor:` in the questionnaire (line 11, its value), and nothing else.
        assert!(
            stdout.contains("--> cloud-fortified.yaml:11:15"),
            "{stdout}"
        );
        assert_eq!(stdout.matches("error[").count(), 1, "{stdout}");
    }
    // A baseUrl that is a template is a note (CF209), not a missing one.
    let (code, stdout, _) = run(cfready().args([
        "lint",
        "examples/acme-timesheets.yaml",
        "--descriptor",
        "tests/fixtures/descriptors/connect-templated.json",
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("CF216"), "{stdout}");
}

/// The move from Connect: a questionnaire whose framework and manifest say Forge while its key
/// is still the Connect key. `lint --fix` does the safe part (the app id as the key, the
/// Connect key as `connect_key`, both read from the manifest) and the result lints clean; the
/// region-specific base URLs of the Connect remote count as remotes (no CF215).
#[test]
fn lint_fix_moves_a_connect_on_forge_questionnaire_to_its_app_id() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["connect-on-forge.yaml", "manifest-connect.yml"] {
        std::fs::copy(root().join(DESCRIPTORS).join(file), dir.path().join(file)).unwrap();
    }
    let (code, stdout, _) = run(cfready()
        .current_dir(dir.path())
        .args(["lint", "connect-on-forge.yaml"]));
    assert_eq!(code, 1, "{stdout}");
    for expected in [
        "error[CF210]: `com.acme.timesheets` is the Connect key (the manifest's app.connect.key); a Forge app's key is its app id `ari:cloud:ecosystem::app/2c6e5f0a-3b7d-4e8f-9a1b-0c2d3e4f5a6b` in manifest-connect.yml:4:7",
        "warning[CF218]: the manifest carries Connect modules under the Connect key `com.acme.timesheets` (manifest-connect.yml:6:10): name it as app.connect_key",
    ] {
        assert!(stdout.contains(expected), "{stdout}");
    }
    assert!(!stdout.contains("CF215"), "{stdout}");
    let (code, stdout, _) =
        run(cfready()
            .current_dir(dir.path())
            .args(["lint", "--fix", "connect-on-forge.yaml"]));
    assert_eq!(code, 0, "{stdout}");
    let fixed = std::fs::read_to_string(dir.path().join("connect-on-forge.yaml")).unwrap();
    assert!(
        fixed.contains("\n  connect_key: com.acme.timesheets\n  key: \"ari:cloud:ecosystem::app/2c6e5f0a-3b7d-4e8f-9a1b-0c2d3e4f5a6b\"\n  framework: forge\n"),
        "{fixed}"
    );
    // The ticket now names both keys.
    let (_, ticket, _) = run(cfready()
        .current_dir(dir.path())
        .args(["render", "connect-on-forge.yaml"]));
    assert!(
        ticket.contains("**Connect key (Connect on Forge):** com.acme.timesheets"),
        "{ticket}"
    );
}
