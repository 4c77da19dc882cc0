//! The corpus that guards precision. `tests/corpus/ready/` holds questionnaires a reviewer would
//! accept, in different partners' styles (most written blind, from `cfready init`'s starter and
//! `cfready schema` only): any finding there is a false alarm. `tests/corpus/send-back/` holds
//! answers a reviewer would return, each one defect in an otherwise ready questionnaire, named
//! on its first line (`# send-back: CF503: ...`): each must keep exactly that finding.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

fn lint_json(file: &str) -> (i32, Value) {
    let output = super::cfready()
        .args(["lint", "--strict", "--format", "json", file])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{file}: {e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap_or(-1), json)
}

fn codes(json: &Value) -> Vec<String> {
    json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} (line {}): {}",
                d["code"].as_str().unwrap(),
                d["pointer"].as_str().unwrap_or(""),
                d["line"],
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

fn corpus(folder: &str) -> Vec<String> {
    let files: Vec<String> = super::files_in(Path::new(folder))
        .iter()
        .map(|path| super::relative(path))
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    assert!(!files.is_empty(), "{folder} is empty");
    files
}

#[test]
fn ready_questionnaires_have_no_finding_and_render_in_both_flavors() {
    let files = corpus("tests/corpus/ready");
    assert!(files.len() >= 6, "{} ready questionnaires", files.len());
    for file in &files {
        let (code, json) = lint_json(file);
        let found = codes(&json);
        assert!(
            found.is_empty() && code == 0,
            "{file}: a ready questionnaire got findings (false alarms): {found:#?}"
        );
        let text = std::fs::read_to_string(super::root().join(file)).unwrap();
        assert!(
            !text.contains("cfready: ignore"),
            "{file}: a ready questionnaire passes without suppressions"
        );
        for flavor in ["markdown", "jira"] {
            let output = super::cfready()
                .args(["render", "--flavor", flavor, file])
                .output()
                .unwrap();
            assert!(
                output.status.success() && !output.stdout.is_empty(),
                "{file} does not render in {flavor}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// The code a send-back answer must get, from its first line.
fn expected(file: &str) -> String {
    let text = std::fs::read_to_string(super::root().join(file)).unwrap();
    let first = text.lines().next().unwrap_or_default();
    first
        .strip_prefix("# send-back: ")
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_else(|| panic!("{file}: first line must be `# send-back: CFxxx: why`"))
        .to_owned()
}

#[test]
fn send_back_answers_keep_exactly_their_finding() {
    let files = corpus("tests/corpus/send-back");
    assert!(files.len() >= 6, "{} send-back answers", files.len());
    for file in &files {
        let want = expected(file);
        let (code, json) = lint_json(file);
        let got: BTreeSet<&str> = json["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(code, 1, "{file}: lint --strict must fail");
        assert_eq!(
            got,
            BTreeSet::from([want.as_str()]),
            "{file}: one defect, one finding: {:#?}",
            codes(&json)
        );
    }
}

/// The documentation states the corpus in numbers (docs/findings.md, "Precision"); they stay
/// true.
#[test]
fn the_documentation_counts_the_corpus() {
    let ready = corpus("tests/corpus/ready").len();
    let send_back = corpus("tests/corpus/send-back").len();
    let page = std::fs::read_to_string(super::root().join("docs/findings.md")).unwrap();
    let line = format!(
        "{ready} ready questionnaires, 0 findings; {send_back} send-back answers, {send_back} caught"
    );
    assert!(page.contains(&line), "docs/findings.md should say: {line}");
}
