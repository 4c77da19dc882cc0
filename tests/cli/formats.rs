//! The machine formats for CI: SARIF, GitHub annotations, JUnit. Snapshots on the example
//! (clean) and on a failing file; their consumers check them for real in scripts/ci-proofs.sh.

use super::{cfready, run};

const FILES: [&str; 2] = [
    "examples/acme-timesheets.yaml",
    "examples/invalid/recovery.yaml",
];

fn output(file: &str, format: &str) -> (i32, String) {
    let (code, stdout, stderr) = run(cfready().args(["lint", file, "--format", format]));
    assert!(
        stderr.is_empty(),
        "machine formats keep stderr empty: {stderr}"
    );
    (code, stdout)
}

fn name(file: &str) -> &str {
    file.rsplit('/').next().unwrap().trim_end_matches(".yaml")
}

#[test]
fn sarif() {
    for file in FILES {
        let (code, stdout) = output(file, "sarif");
        assert_eq!(code, i32::from(file.contains("invalid")));
        let mut log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let driver = &mut log["runs"][0]["tool"]["driver"];
        // The rule descriptors are the registry, in its order, with their documentation.
        let rules = driver["rules"].as_array().unwrap();
        let registry: Vec<_> = cfready::ticket::registry::all().collect();
        assert_eq!(rules.len(), registry.len());
        for (descriptor, rule) in rules.iter().zip(&registry) {
            assert_eq!(descriptor["id"], rule.code);
            assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
            assert_eq!(descriptor["fullDescription"]["text"], rule.docs.trim());
        }
        driver["rules"] = serde_json::json!(format!("{} rules", rules.len()));
        // The version is Cargo's; the snapshot holds a placeholder, so a release touches none.
        for key in ["version", "semanticVersion"] {
            assert_eq!(driver[key], env!("CARGO_PKG_VERSION"), "{key}");
            driver[key] = serde_json::json!("[version]");
        }
        insta::assert_snapshot!(
            format!("sarif-{}", name(file)),
            serde_json::to_string_pretty(&log).unwrap()
        );
    }
}

#[test]
fn github_annotations() {
    let (code, stdout) = output(FILES[0], "github");
    assert_eq!((code, stdout.as_str()), (0, ""));
    let (code, stdout) = output(FILES[1], "github");
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn junit() {
    for file in FILES {
        let (_, stdout) = output(file, "junit");
        insta::assert_snapshot!(format!("junit-{}", name(file)), stdout);
    }
}

#[test]
fn probe_and_check_speak_the_same_formats() {
    let (code, stdout, _) = run(cfready().args([
        "check",
        "examples/invalid/recovery.yaml",
        "--offline",
        "--format",
        "github",
    ]));
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with(
            "::error file=examples/invalid/recovery.yaml,line=108,col=18,title=CF501::"
        ),
        "{stdout}"
    );
    let (_, stdout, _) =
        run(cfready().args(["probe", "--url", "http://127.0.0.1:9/", "--format", "sarif"]));
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "CF701");
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (code, stdout, _) = run(cfready().args(["completions", shell]));
        assert_eq!(code, 0, "{shell}");
        assert!(
            stdout.contains("lint") && stdout.contains("format"),
            "{shell}"
        );
    }
    let (code, stdout, _) = run(cfready().arg("man"));
    assert_eq!(code, 0);
    assert!(stdout.contains(".TH cfready 1"), "{stdout}");
    assert!(stdout.contains("render"), "the subcommands are listed");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cfready"))
        .args([
            "lint",
            "examples/invalid/schema-mistakes.yaml",
            "examples/invalid/recovery.yaml",
        ])
        .current_dir(super::root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then hang up, as `| head -c 1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(
        status.code(),
        Some(1),
        "the findings' exit code, not a pipe error"
    );
}
