//! `cfready lint --fix`, `--unsafe-fixes` and `--diff`: the fixture pairs of
//! `tests/fixtures/fix/` (`X.yaml` fixed is `X.fixed.yaml`, and with `--unsafe-fixes`
//! `X.unsafe.fixed.yaml`, compared byte for byte as ruff's fixtures are), standard input, the
//! files that are never written, and a property over every questionnaire the repository holds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cfready::date::Date;
use cfready::diagnostic::{Applicability, Diagnostic};
use cfready::ticket::fix::{self, FixError};
use cfready::ticket::lint::{LintOptions, lint_bytes};

use super::{cfready, files_in, root, run};

const FIXTURES: &str = "tests/fixtures/fix";

fn options() -> LintOptions {
    LintOptions {
        today: Date::parse(super::TODAY).unwrap(),
        ..LintOptions::default()
    }
}

/// The inputs of the fixture pairs (not their `.fixed.yaml`, not suggestions.yaml, which
/// tests/cli/fixes.rs reads).
fn inputs() -> Vec<PathBuf> {
    files_in(Path::new(FIXTURES))
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".yaml") && !name.ends_with(".fixed.yaml") && name != "suggestions.yaml"
        })
        .collect()
}

/// `X.fixed.yaml` beside `X.yaml`, or `X.unsafe.fixed.yaml`.
fn expected(input: &Path, kind: &str) -> PathBuf {
    let stem = input.file_stem().unwrap().to_string_lossy();
    input.with_file_name(format!("{stem}.{kind}yaml"))
}

/// Copy `input` into a new temporary folder, run `cfready lint ARGS COPY` there, and return
/// the copy's bytes afterwards, the exit code and stdout.
fn fix_copy(input: &Path, args: &[&str]) -> (Vec<u8>, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(input.file_name().unwrap());
    std::fs::copy(input, &copy).unwrap();
    let (code, stdout, _) = run(cfready().arg("lint").args(args).arg(&copy));
    (std::fs::read(&copy).unwrap(), code, stdout)
}

#[test]
fn every_fixture_is_fixed_byte_for_byte_and_a_second_run_changes_nothing() {
    let mut pairs = 0;
    for input in inputs() {
        for (kind, args) in [
            ("fixed.", &["--fix"][..]),
            ("unsafe.fixed.", &["--fix", "--unsafe-fixes"][..]),
        ] {
            let want = expected(&input, kind);
            if kind == "unsafe.fixed." && !want.exists() {
                continue;
            }
            let want = std::fs::read(&want)
                .unwrap_or_else(|_| panic!("{} has no {}", input.display(), want.display()));
            let (got, _, stdout) = fix_copy(&input, args);
            assert!(
                got == want,
                "{} {args:?}:\n--- got\n{}\n--- want\n{}",
                input.display(),
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            );
            if got != std::fs::read(&input).unwrap() {
                assert!(stdout.contains("\nFixed "), "{stdout}");
            }
            // Applying twice changes nothing the second time.
            let dir = tempfile::tempdir().unwrap();
            let again = dir.path().join("again.yaml");
            std::fs::write(&again, &got).unwrap();
            let (_, stdout, _) = run(cfready().arg("lint").args(args).arg(&again));
            assert_eq!(std::fs::read(&again).unwrap(), got, "{}", input.display());
            assert!(!stdout.contains("Fixed "), "{stdout}");
            pairs += 1;
        }
    }
    // Seven rules with a fix (both modes each), CRLF and BOM.
    assert!(pairs >= 16, "{pairs} pairs");
}

/// Every questionnaire the repository holds, fixtures of every folder included.
fn questionnaires() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for folder in [
        "examples",
        "tests/fixtures",
        "tests/corpus/ready",
        "tests/corpus/send-back",
    ] {
        walk(&root().join(folder), &mut files);
    }
    files.sort();
    files
}

#[test]
fn every_rule_that_offers_a_fix_has_a_fixture_pair() {
    let mut codes = BTreeSet::new();
    for path in questionnaires() {
        let report = lint_bytes("q.yaml", &std::fs::read(&path).unwrap(), &options());
        codes.extend(
            report
                .diagnostics
                .iter()
                .filter(|d| d.fix.as_ref().is_some_and(|f| !f.edits.is_empty()))
                .map(|d| d.code),
        );
    }
    assert!(codes.len() >= 4, "{codes:?}");
    for code in codes {
        let input = root().join(FIXTURES).join(format!("{code}.yaml"));
        assert!(
            input.exists() && expected(&input, "fixed.").exists(),
            "{code} offers a fix but has no fixture pair in {FIXTURES}"
        );
    }
}

type Found = BTreeSet<(&'static str, String)>;

fn found(diagnostics: &[Diagnostic]) -> Found {
    diagnostics
        .iter()
        .map(|d| (d.code, d.pointer.clone().unwrap_or_default()))
        .collect()
}

/// The lines that are only a comment.
fn comment_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| line.trim_start().starts_with('#'))
        .collect()
}

#[test]
fn all_safe_fixes_of_every_questionnaire_parse_keep_comments_and_add_no_finding() {
    let (mut files, mut changed, mut applied) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in questionnaires() {
        let name = path.to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let before = lint_bytes(&name, &bytes, &options());
        let fixed = fix::fix_bytes(&name, &bytes, &options(), Applicability::Safe);
        files += 1;
        let Some(text) = &fixed.text else {
            assert!(fixed.applied.is_empty());
            continue;
        };
        changed += 1;
        applied += fixed.applied.len();
        if fixed
            .applied
            .iter()
            .any(|a| a.applicability != Applicability::Safe)
        {
            failures.push(format!("{name}: a fix that is not safe was applied"));
        }
        if fixed.report.document.is_none() {
            failures.push(format!("{name}: the fixed text does not parse"));
        }
        let original = String::from_utf8_lossy(&bytes);
        let kept: BTreeSet<&str> = comment_lines(text).into_iter().collect();
        for line in comment_lines(&original) {
            if !kept.contains(line) {
                failures.push(format!("{name}: comment line lost: {line:?}"));
            }
        }
        // A fixed value (a renamed key's, under its right name) is checked for the first time
        // as what it says: `30 minutes` made `30m` may be too slow for the budget.
        // A file that did not parse (a syntax fix made it) is read for the first time: all its
        // findings are new.
        let renamed: Vec<String> = fixed.applied.iter().map(|a| a.change.target()).collect();
        let new: Vec<_> = found(&fixed.report.diagnostics)
            .into_iter()
            .filter(|_| before.document.is_some())
            .collect::<Found>()
            .difference(&found(&before.diagnostics))
            .filter(|(_, pointer)| {
                !renamed
                    .iter()
                    .any(|t| pointer == t || pointer.starts_with(&format!("{t}/")))
            })
            .cloned()
            .collect();
        if !new.is_empty() {
            failures.push(format!("{name}: new findings {new:?}"));
        }
        if !fixed.settled {
            failures.push(format!("{name}: fixing did not settle"));
        }
        let again = fix::fix_bytes(&name, text.as_bytes(), &options(), Applicability::Safe);
        if again.text.is_some() {
            failures.push(format!("{name}: a second run changes it again"));
        }
    }
    eprintln!("safe fixes: {applied} applied to {changed} of {files} questionnaires");
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        files >= 100 && changed >= 8 && applied >= 30,
        "{files} {changed} {applied}"
    );
}

#[test]
fn standard_input_fixed_goes_to_stdout_and_the_findings_to_stderr() {
    let input = root().join(FIXTURES).join("CF012.yaml");
    let (code, stdout, stderr) = run(cfready()
        .args(["lint", "--fix", "-"])
        .write_stdin(std::fs::read(&input).unwrap()));
    assert_eq!(
        stdout.as_bytes(),
        std::fs::read(expected(&input, "fixed.")).unwrap()
    );
    assert!(stderr.contains("Fixed 6 findings."), "{stderr}");
    assert!(stderr.contains("error[CF011]"), "{stderr}");
    assert_eq!(code, 1);
    // A file that does not parse comes back as it was, with the reason on stderr.
    let broken = "version: 1\napp: [yes\n";
    let (code, stdout, stderr) = run(cfready().args(["lint", "--fix", "-"]).write_stdin(broken));
    assert_eq!((code, stdout.as_str()), (1, broken));
    assert!(stderr.contains("error[CF003]"), "{stderr}");
}

#[test]
fn diff_prints_the_fixes_writes_nothing_and_exits_1_when_there_is_something_to_fix() {
    let input = format!("{FIXTURES}/CF014.yaml");
    let before = std::fs::read(root().join(&input)).unwrap();
    let (code, stdout, stderr) = run(cfready().args(["lint", "--diff", &input]));
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with(&format!("--- {input}\n+++ {input}\n@@ -5,17 +5,17 @@\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains("-    interval: every 15 minutes   # every 15 minutes is 15m\n+    interval: 15m   # every 15 minutes is 15m\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("90d"), "{stdout}");
    assert_eq!(
        stderr, "Would apply 6 fixes (1 more with --unsafe-fixes).\n",
        "{stderr}"
    );
    assert_eq!(std::fs::read(root().join(&input)).unwrap(), before);
    // With --unsafe-fixes the unsafe one is in the diff too.
    let (code, stdout, _) = run(cfready().args(["lint", "--diff", "--unsafe-fixes", &input]));
    assert_eq!(code, 1);
    assert!(stdout.contains("+      interval: 90d "), "{stdout}");
    // Nothing to fix: no diff, exit 0.
    let fixed = format!("{FIXTURES}/CF014.unsafe.fixed.yaml");
    let (code, stdout, stderr) = run(cfready().args(["lint", "--diff", "--unsafe-fixes", &fixed]));
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    // A file that does not parse: no diff, the reason on stderr, exit 1; a missing one: exit 2.
    let (code, stdout, stderr) =
        run(cfready().args(["lint", "--diff", "examples/invalid/yaml-syntax.yaml"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("error[CF003]"), "{stderr}");
    let (code, _, stderr) = run(cfready().args(["lint", "--diff", "missing.yaml"]));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_file_that_does_not_parse_or_is_over_the_cap_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let syntax = dir.path().join("syntax.yaml");
    let text = b"# keep me\nversion: 1\nscalability:\n  rate_limits: {honours_retry_after: yes\n";
    std::fs::write(&syntax, text).unwrap();
    let (code, stdout, _) = run(cfready().args(["lint", "--fix"]).arg(&syntax));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("error[CF003]") && !stdout.contains("Fixed"),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&syntax).unwrap(), text);

    let large = dir.path().join("large.yaml");
    let mut big =
        b"version: 1\nscalability:\n  rate_limits:\n    honours_retry_after: yes\n".to_vec();
    big.resize(cfready::ticket::load::MAX_FILE_SIZE + 1, b'#');
    std::fs::write(&large, &big).unwrap();
    let (code, stdout, _) = run(cfready().args(["lint", "--fix"]).arg(&large));
    assert_eq!(code, 1);
    assert!(stdout.contains("error[CF002]"), "{stdout}");
    assert!(std::fs::read(&large).unwrap() == big);

    // An unreadable path: exit 2, as lint.
    let (code, stdout, _) = run(cfready().args(["lint", "--fix", "missing.yaml"]));
    assert_eq!(code, 2, "{stdout}");
}

#[test]
fn a_file_that_changed_on_disk_since_it_was_read_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.yaml");
    std::fs::copy(root().join(FIXTURES).join("CF014.yaml"), &path).unwrap();
    let name = path.to_string_lossy().into_owned();
    let read = fix::fix_path(&name, &options(), Applicability::Safe);
    let text = read.fixed.text.clone().expect("something to fix");
    let stamp = read.read.clone().unwrap();
    // Someone saves the file meanwhile.
    std::fs::write(&path, "version: 1\n# the partner's newer text\n").unwrap();
    let error = fix::write_back(&path, &stamp, &text).unwrap_err();
    assert!(matches!(error, FixError::Changed(_)), "{error}");
    assert!(error.to_string().contains("changed on disk"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "version: 1\n# the partner's newer text\n"
    );
    // Unchanged, it is written, and through a symbolic link the link stays a link.
    std::fs::copy(root().join(FIXTURES).join("CF014.yaml"), &path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        let name = link.to_string_lossy().into_owned();
        let read = fix::fix_path(&name, &options(), Applicability::Safe);
        fix::write_back(
            &link,
            read.read.as_ref().unwrap(),
            read.fixed.text.as_ref().unwrap(),
        )
        .unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(root().join(FIXTURES).join("CF014.fixed.yaml")).unwrap()
        );
    }
}

#[test]
fn human_output_marks_what_fix_would_fix_and_counts_it() {
    let (code, stdout, _) = run(cfready().args(["lint", "tests/fixtures/fix/suggestions.yaml"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("honours_retry_after: yes\n   |                          ^^^\n   |\n   = help: YAML 1.2 reads `yes` as text, not a boolean: write `true`\n   = note: [*] fixable with --fix (safe): write `true`\n"),
        "{stdout}"
    );
    // Unsafe fixes are marked as --unsafe-fixes', display-only ones as suggestions.
    assert!(
        stdout.contains("= note: fixable with --fix --unsafe-fixes (unsafe): write `35m`\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("= note: suggested fix (display-only): set `out_of_hours:"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "Found 10 errors, 1 warning in 1 file.\n[*] 7 fixable with --fix (2 more with --unsafe-fixes).\n"
        ),
        "{stdout}"
    );
    let (_, stdout, _) = run(cfready().args([
        "lint",
        "--unsafe-fixes",
        "tests/fixtures/fix/suggestions.yaml",
    ]));
    assert!(
        stdout.contains("= note: [*] fixable with --fix (unsafe): write `35m`\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("[*] 9 fixable with --fix.\n"), "{stdout}");
    // After --fix: what was fixed, what is left.
    let (_, _, stdout) = fix_copy(
        &root().join("tests/fixtures/fix/suggestions.yaml"),
        &["--fix"],
    );
    assert!(stdout.ends_with(
        "Fixed 8 findings.\nFound 3 errors, 1 warning in 1 file.\n3 fixable with --fix --unsafe-fixes.\n"
    ), "{stdout}");
}
