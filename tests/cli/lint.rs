//! `cfready lint`: the example, the invalid examples, hostile inputs, formats and exit codes.

use super::{cfready, files_in, relative, root, run};
use std::path::Path;

const EXAMPLE: &str = "examples/acme-timesheets.yaml";

#[test]
fn the_example_passes() {
    let (code, stdout, _) = run(cfready().args(["lint", EXAMPLE]));
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, "All checks passed (1 file).\n");
}

#[test]
fn the_example_with_bom_and_crlf_passes() {
    let (code, stdout, _) = run(cfready().args(["lint", "tests/fixtures/bom-crlf.yaml"]));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn each_invalid_example_fails_as_shown() {
    let files = files_in(Path::new("examples/invalid"));
    assert!(files.len() >= 4);
    for file in files {
        let name = relative(&file);
        // --strict: some of them show warnings only.
        let (code, stdout, _) = run(cfready().args(["lint", "--strict", &name]));
        assert_eq!(code, 1, "{name}:\n{stdout}");
        let snapshot = file.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("invalid-{snapshot}"), stdout);
    }
}

/// Every hostile or malformed file gets a diagnostic and exit 1 or 2, never a panic.
#[test]
fn bad_inputs_get_a_diagnostic_never_a_panic() {
    let files = files_in(Path::new("tests/fixtures/bad-input"));
    assert!(files.len() >= 15);
    let mut outline = String::new();
    for file in files {
        let name = relative(&file);
        let (code, stdout, _) = run(cfready().args(["lint", "--quiet", &name]));
        assert!(code == 1 || code == 2, "{name}: exit {code}");
        let first = stdout.lines().next().unwrap_or_default();
        assert!(first.starts_with("error[CF"), "{name}: {stdout}");
        outline.push_str(&format!("{name}: exit {code}: {first}\n"));
    }
    insta::assert_snapshot!("bad-inputs", outline);
}

#[test]
fn a_file_over_the_size_cap_is_refused_with_its_real_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    // 4,195,187 bytes: 883 past the cap, where only one byte past it is read.
    let text = format!("# {}\n", "x".repeat(4_195_187 - 3));
    std::fs::write(&big, &text).unwrap();
    let (code, stdout, _) = run(cfready().args(["lint", "-q"]).arg(&big));
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "error[CF002]: the file is 4,195,187 bytes, over the 4 MiB cap for a questionnaire"
        ),
        "{stdout}"
    );
    // Standard input is not read past the cap: its size is not known.
    let (code, stdout, _) = run(cfready().args(["lint", "-q", "-"]).write_stdin(text));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("error[CF002]: the input is more than 4 MiB, the cap for a questionnaire"),
        "{stdout}"
    );
}

#[test]
fn a_tab_after_a_colon_is_named_with_its_fix() {
    let file = "tests/fixtures/bad-input/tab-after-colon.yaml";
    let (code, stdout, _) = run(cfready().args(["lint", file]));
    assert_eq!(code, 1);
    assert!(
        stdout
            .contains("error[CF003]: YAML syntax error: a tab after `:`, where a space is needed"),
        "{stdout}"
    );
    // At the tab itself.
    assert!(stdout.contains(&format!("--> {file}:3:8")), "{stdout}");
    assert!(
        stdout.contains("help: replace the tab with a space"),
        "{stdout}"
    );
    assert!(!stdout.contains("valid YAML whitespace"), "{stdout}");
}

/// The example with one edit, written to a temporary file: (exit code, stdout).
fn lint_edited(find: &str, replace: &str, args: &[&str]) -> (i32, String) {
    let example = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    assert!(example.contains(find), "the example has no {find:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cloud-fortified.yaml");
    std::fs::write(&path, example.replacen(find, replace, 1)).unwrap();
    let (code, stdout, _) = run(cfready().arg("lint").args(args).arg(&path));
    (code, stdout)
}

#[test]
fn a_suppression_is_not_called_unused_while_the_schema_refuses_a_value() {
    // The rule cannot read `fifty`: the suppression waits for the corrected value.
    let (code, stdout) = lint_edited(
        "    max_retries: 4",
        "    max_retries: fifty  # cfready: ignore[CF304] the queue retries over hours",
        &["--strict"],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout
            .contains("error[CF012]: `max_retries` must be a whole number; found the text `fifty`"),
        "{stdout}"
    );
    assert!(!stdout.contains("CF902"), "{stdout}");
    // The same when the value the rule needs is on another line (`paged`).
    let (code, stdout) = lint_edited(
        "    coverage: 24x7\n",
        "    coverage: extended-hours\n    hours: Mon-Sun 06:00-23:00\n    timezone: Australia/Sydney\n    out_of_hours:\n      paged: yes\n      acknowledge_within: 30m  # cfready: ignore[CF601] the rota acknowledges within 10m\n",
        &[],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[CF012]: `paged`"), "{stdout}");
    assert!(!stdout.contains("CF902"), "{stdout}");
    // Once the file passes the schema, a suppression that silences nothing is reported.
    let (code, stdout) = lint_edited(
        "    max_retries: 4",
        "    max_retries: 4  # cfready: ignore[CF304] the queue retries over hours",
        &["--strict"],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("warning[CF902]: this suppression of CF304 silences nothing on line 65"),
        "{stdout}"
    );
}

#[test]
fn schema_errors_json_shape() {
    let (code, stdout, _) = run(cfready().args([
        "lint",
        "--format",
        "json",
        "examples/invalid/schema-mistakes.yaml",
    ]));
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    let version = env!("CARGO_PKG_VERSION");
    insta::assert_snapshot!(
        "json-schema-mistakes",
        stdout.replace(
            &format!("\"version\": \"{version}\""),
            "\"version\": \"[VERSION]\""
        )
    );
    // The typo `retension` is one finding (CF010 with a rename), not also a missing `retention`.
    assert_eq!(value["summary"]["errors"], 6);
}

#[test]
fn several_files_are_each_reported() {
    let (code, stdout, _) = run(cfready().args([
        "lint",
        EXAMPLE,
        "examples/invalid/yaml-syntax.yaml",
        "examples/invalid/duplicate-keys.yaml",
    ]));
    assert_eq!(code, 1);
    assert!(stdout.contains("examples/invalid/yaml-syntax.yaml:5:4"));
    assert!(stdout.contains("examples/invalid/duplicate-keys.yaml:8:3"));
    assert!(
        stdout.ends_with("Found 3 errors, 0 warnings in 3 files.\n"),
        "{stdout}"
    );
}

#[test]
fn standard_input_is_read_for_a_dash() {
    let example = std::fs::read(root().join(EXAMPLE)).unwrap();
    let (code, stdout, _) = run(cfready().args(["lint", "-"]).write_stdin(example));
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = run(cfready().args(["lint", "-"]).write_stdin("version: [\n"));
    assert_eq!(code, 1);
    assert!(stdout.contains("--> <stdin>:2:1"), "{stdout}");
}

#[test]
fn the_default_file_is_cloud_fortified_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run(cfready().arg("lint").current_dir(dir.path()));
    assert_eq!(code, 2);
    assert!(
        stdout.contains("cannot read `cloud-fortified.yaml`: no such file"),
        "{stdout}"
    );
    std::fs::copy(
        root().join(EXAMPLE),
        dir.path().join("cloud-fortified.yaml"),
    )
    .unwrap();
    let (code, _, _) = run(cfready().arg("lint").current_dir(dir.path()));
    assert_eq!(code, 0);
}

#[test]
fn unreadable_files_exit_2_but_the_others_are_still_linted() {
    let (code, stdout, _) = run(cfready().args([
        "lint",
        "no/such/file.yaml",
        "examples",
        "examples/invalid/yaml-syntax.yaml",
    ]));
    assert_eq!(code, 2);
    assert!(stdout.contains("cannot read `no/such/file.yaml`: no such file"));
    assert!(stdout.contains("cannot read `examples`: is a directory"));
    assert!(stdout.contains("error[CF003]"));
    assert!(stdout.contains("2 files could not be read"), "{stdout}");
}

#[test]
fn ignore_drops_a_code_and_strict_is_accepted() {
    let (code, stdout, _) = run(cfready().args([
        "lint",
        "--ignore",
        "CF004",
        "--strict",
        "examples/invalid/duplicate-keys.yaml",
    ]));
    assert_eq!(code, 0, "{stdout}");
    let (code, _, _) = run(cfready().args([
        "lint",
        "--ignore",
        "duplicate-key",
        "examples/invalid/duplicate-keys.yaml",
    ]));
    assert_eq!(code, 0);
}

#[test]
fn ignore_takes_only_rules_that_exist_in_every_command() {
    let commands: [&[&str]; 4] = [
        &["lint", EXAMPLE],
        &["check", "--offline", EXAMPLE],
        &["render", EXAMPLE],
        // Refused before any request.
        &[
            "probe",
            "--url",
            "https://timesheets.acme.invalid/healthcheck",
        ],
    ];
    for command in commands {
        let (code, stdout, stderr) = run(cfready().args(command).args(["--ignore", "CF9999"]));
        assert_eq!(code, 2, "{command:?}: {stderr}");
        assert!(stdout.is_empty(), "{command:?}: {stdout}");
        assert!(
            stderr.contains(
                "invalid value 'CF9999' for '--ignore <CODE>': `CF9999` is not a rule code or name; `cfready rules` lists every rule"
            ),
            "{command:?}: {stderr}"
        );
        let (code, _, stderr) = run(cfready().args(command).args(["--ignore", "coverage-gaps"]));
        assert_eq!(code, 2, "{command:?}: {stderr}");
        assert!(
            stderr.contains("did you mean CF601 (coverage-gap)?"),
            "{command:?}: {stderr}"
        );
    }
    // Codes and names, in any case.
    let (code, _, stderr) = run(cfready().args([
        "lint",
        EXAMPLE,
        "--ignore",
        "cf601",
        "--ignore",
        "Coverage-Gap",
    ]));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn probe_url_without_an_http_scheme_is_a_usage_error() {
    let (code, stdout, stderr) =
        run(cfready().args(["probe", "--url", "127.0.0.1:8765/api/health"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(
            "no `https://` (or `http://`) in front: write the whole URL, such as https://127.0.0.1:8765/api/health"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("CF703"), "{stderr}");
    let (code, _, stderr) =
        run(cfready().args(["probe", "--url", "ftp://files.acme.example/health"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the scheme `ftp` is not http or https: the health check is an HTTP GET, such as https://files.acme.example/health"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = run(cfready().args(["lint", "--format", "yaml"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'yaml'"), "{stderr}");
    let (code, _, _) = run(cfready().arg("frobnicate"));
    assert_eq!(code, 2);
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let file = "examples/invalid/yaml-syntax.yaml";
    let (_, plain, _) = run(cfready().args(["lint", file]));
    assert!(!plain.contains('\x1b'));
    let (_, forced, _) = run(cfready().args(["lint", "--color", "always", file]));
    assert!(forced.contains("\x1b["), "{forced}");
    let (_, never, _) = run(cfready()
        .args(["lint", "--color", "never", file])
        .env_remove("NO_COLOR"));
    assert!(!never.contains('\x1b'));
}

#[test]
fn the_input_file_is_never_modified() {
    let path = root().join("examples/invalid/schema-mistakes.yaml");
    let before = std::fs::read(&path).unwrap();
    run(cfready().args(["lint", "examples/invalid/schema-mistakes.yaml"]));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
