//! `cfready init` and `cfready schema`.

use super::{cfready, root, run};

#[test]
fn init_writes_a_starter_that_fails_lint_until_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(cfready().arg("init").current_dir(dir.path()));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote cloud-fortified.yaml"), "{stderr}");
    let starter = std::fs::read_to_string(dir.path().join("cloud-fortified.yaml")).unwrap();
    assert!(starter.starts_with("# yaml-language-server: $schema="));

    let (code, stdout, _) = run(cfready().arg("lint").current_dir(dir.path()));
    assert_eq!(code, 1);
    // Every unanswered question is listed, at its key.
    assert!(
        stdout.contains("error[CF012]: `name` is empty; expected text"),
        "{stdout}"
    );
    assert!(stdout.contains("error[CF012]: `framework` is empty; expected one of connect, forge"));
    // Free-text answers are `|` blocks, empty until answered, shown at their key with the
    // question; an empty block is not also "too short".
    assert!(stdout.contains("error[CF015]: `deprecation_notices` is empty\n"));
    assert!(!stdout.contains("CF102"), "{stdout}");
    for answer in ["concurrent_users", "notification", "team_communication"] {
        assert!(
            starter.contains(&format!("  {answer}: |\n")),
            "{answer} is not a `|` block"
        );
    }
    // Nothing temporary is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["cloud-fortified.yaml"]);
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine.yaml");
    std::fs::write(&target, "version: 1\n").unwrap();
    let (code, _, stderr) = run(cfready().arg("init").arg(&target));
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "version: 1\n");
}

#[test]
fn a_write_into_a_missing_folder_says_so_once_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("no/such/dir");
    let target = folder.join("x.yaml");
    let (code, _, stderr) = run(cfready().arg("init").arg(&target));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "error: cannot write `{}`: the folder `{}` does not exist\n",
            target.display(),
            folder.display()
        )
    );
    // `render -o` writes the same way.
    let ticket = folder.join("ticket.md");
    let (code, stdout, stderr) = run(cfready()
        .args(["render", "examples/acme-timesheets.yaml", "-o"])
        .arg(&ticket));
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.ends_with(&format!(
            "error: cannot write `{}`: the folder `{}` does not exist\n",
            ticket.display(),
            folder.display()
        )),
        "{stderr}"
    );
    assert!(!dir.path().join("no").exists());
}

#[test]
fn init_into_a_directory_uses_the_conventional_name() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = run(cfready().arg("init").arg(dir.path()));
    assert_eq!(code, 0);
    assert!(dir.path().join("cloud-fortified.yaml").is_file());
}

#[test]
fn schema_prints_the_bundled_schema() {
    let (code, stdout, _) = run(cfready().arg("schema"));
    assert_eq!(code, 0);
    let bundled =
        std::fs::read_to_string(root().join("schemas/questionnaire.schema.json")).unwrap();
    assert_eq!(stdout, bundled);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        value["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let (code, stdout, _) = run(cfready().arg("--help"));
    assert_eq!(code, 0);
    assert!(stdout.contains("Examples:"));
    assert!(stdout.contains("Exit codes: 0 clean"));
}

/// Issue 32: a fresh file cannot fall into YAML's traps in prose. Every free-text answer of
/// the starter is a `|` block, where `#`, `: `, quotes and list lines are text.
#[test]
fn the_starter_writes_every_free_text_answer_as_a_block() {
    use cfready::ticket::load::{Written, for_each_string, load};
    use cfready::ticket::schema::{TextKind, text_kind};
    let document = load("starter.yaml", cfready::ticket::init::STARTER.as_bytes())
        .document
        .expect("the starter parses");
    let mut answers = Vec::new();
    for_each_string(&document.value, &mut |pointer, _| {
        if text_kind(pointer) == Some(TextKind::Answer) {
            answers.push(pointer.to_owned());
        }
    });
    // Every answer the schema defines: the scaling factor's, 5 on scalability, 2 on DFR
    // testing, 3 on recovery, 4 on incidents and 1 final step.
    assert_eq!(answers.len(), 16, "{answers:?}");
    for pointer in &answers {
        let written = document
            .positions
            .node(pointer)
            .and_then(|node| node.written);
        assert_eq!(written, Some(Written::Literal), "{pointer}");
    }
}

/// Every key the schema reads as an email address (`slo_alerts`, `support`) says so in the
/// comment `init` writes above it, as empty as it is.
#[test]
fn init_says_which_answers_are_email_addresses() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/questionnaire.schema.json")).unwrap(),
    )
    .unwrap();
    let mut emails = Vec::new();
    fn walk(node: &serde_json::Value, emails: &mut Vec<String>) {
        if let Some(properties) = node.get("properties").and_then(|p| p.as_object()) {
            for (key, value) in properties {
                if value.get("$ref").and_then(|r| r.as_str()) == Some("#/$defs/email") {
                    emails.push(key.clone());
                }
            }
        }
        match node {
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, emails)),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, emails)),
            _ => {}
        }
    }
    walk(&schema, &mut emails);
    emails.sort();
    emails.dedup();
    assert_eq!(emails, ["slo_alerts", "support"]);

    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(cfready().arg("init").current_dir(dir.path()));
    assert_eq!(code, 0, "{stderr}");
    let starter = std::fs::read_to_string(dir.path().join("cloud-fortified.yaml")).unwrap();
    let lines: Vec<&str> = starter.lines().collect();
    for key in &emails {
        let at = lines
            .iter()
            .position(|line| line.trim() == format!("{key}:"))
            .unwrap_or_else(|| panic!("no empty `{key}:` in the starter"));
        let comment: Vec<&str> = lines[..at]
            .iter()
            .rev()
            .take_while(|line| line.trim_start().starts_with('#'))
            .copied()
            .collect();
        assert!(
            comment.iter().any(|line| line.contains("email address")),
            "`{key}`: {comment:?}"
        );
    }
}

/// `init --framework connect|forge [--remote]`: each starter holds only its kind's keys, and
/// lint asks only for those (no base URL or health check of a Forge app without a remote).
#[test]
fn init_writes_the_starter_of_each_kind_of_app() {
    let dir = tempfile::tempdir().unwrap();
    let lint_pointers = |name: &str, args: &[&str]| -> Vec<String> {
        let (code, _, stderr) = run(cfready()
            .args(["init", name])
            .args(args)
            .current_dir(dir.path()));
        assert_eq!(code, 0, "{stderr}");
        let (_, stdout, _) = run(cfready()
            .args(["lint", name, "--format", "json"])
            .current_dir(dir.path()));
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        json["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    d["code"].as_str().unwrap(),
                    d["pointer"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    let connect = lint_pointers("connect.yaml", &["--framework", "connect"]);
    let forge = lint_pointers("forge.yaml", &["--framework", "forge"]);
    let remote = lint_pointers("remote.yaml", &["--framework", "forge", "--remote"]);
    for found in [&connect, &forge, &remote] {
        assert!(
            !found.iter().any(|f| f.ends_with("/app/framework")),
            "{found:?}"
        );
    }
    assert!(
        connect.iter().any(|f| f.contains("/app/health_check/path")),
        "{connect:?}"
    );
    assert!(
        !forge
            .iter()
            .any(|f| f.contains("/app/base_urls") || f.contains("health_check")),
        "{forge:?}"
    );
    assert!(
        remote.iter().any(|f| f.contains("/app/base_urls/0")),
        "{remote:?}"
    );
    assert!(
        !remote
            .iter()
            .any(|f| f.contains("health_check") || f.starts_with("CF207")),
        "{remote:?}"
    );
    let text = std::fs::read_to_string(dir.path().join("forge.yaml")).unwrap();
    assert!(
        text.contains("\n  framework: forge\n") && !text.contains("descriptor"),
        "{text}"
    );
    // --remote is Forge's.
    let (code, _, stderr) = run(cfready()
        .args(["init", "x.yaml", "--remote"])
        .current_dir(dir.path()));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--remote is for Forge apps"), "{stderr}");
    assert!(!dir.path().join("x.yaml").exists());
}
