//! `cfready slo HISTORY --atlassian MAIL...` on a test history and Atlassian-shaped emails
//! (tests/fixtures/emails): one that agrees, one that differs, one over a gap of the history,
//! one without incident-data, one with a malformed object, and an mbox of two.

use serde_json::Value;

use super::{cfready, run};

const DIR: &str = "tests/fixtures/emails";

fn slo(args: &[&str]) -> (i32, String, String) {
    let mut command = cfready();
    command.args(["slo", &format!("{DIR}/history.jsonl"), "--atlassian"]);
    run(command.args(args))
}

fn emails(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| format!("{DIR}/{n}")).collect()
}

#[test]
fn three_emails_agree_differ_and_fall_in_a_gap() {
    let files = emails(&["agree.eml", "differ.eml", "not-observed.eml"]);
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend(["--format", "json"]);
    let (code, stdout, stderr) = slo(&args);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let emails = report["atlassian"]["emails"].as_array().unwrap();
    let verdicts: Vec<&str> = emails
        .iter()
        .map(|e| e["agreement"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["agree", "differ", "not-observed"]);
    // agree: 59 good of 60 in the hour to 01:00, Atlassian 98.33 %.
    let agree = &emails[0]["urls"][0];
    assert_eq!(
        (agree["observations"].as_u64(), agree["failed"].as_u64()),
        (Some(60), Some(1))
    );
    // differ: the history saw one failure (01:20, a timeout), Atlassian about three.
    let differ = &emails[1];
    assert_eq!(differ["atlassian_failed"], 3);
    assert_eq!(
        differ["urls"][0]["failures"][0]["at"],
        "2026-11-30T01:20:00Z"
    );
    assert_eq!(
        differ["urls"][0]["failures"][0]["failure"],
        "timeout-before-headers"
    );
    assert_eq!(differ["incident"]["sliValue"], 95.0);
    // not observed: the monitor was down from 02:00 to 03:00.
    assert_eq!(emails[2]["urls"][0]["observations"], 1);
    assert!(
        stderr.contains("warning[CF758]") && stderr.contains("info[CF759]"),
        "{stderr}"
    );
}

#[test]
fn the_human_report_ends_with_the_reconciliation() {
    let files = emails(&["agree.eml", "differ.eml", "not-observed.eml"]);
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, stdout, _) = slo(&args);
    assert_eq!(code, 0);
    let section = &stdout[stdout
        .find("Atlassian's emails against the history")
        .unwrap()..];
    insta::assert_snapshot!(section);
}

#[test]
fn emails_without_data_are_findings_with_their_file_never_a_crash() {
    let files = emails(&["malformed.eml", "no-incident-data.eml", "atlassian.mbox"]);
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend(["--format", "json"]);
    let (code, stdout, stderr) = slo(&args);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let unread: Vec<(String, String)> = report["atlassian"]["unread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["source"].as_str().unwrap().to_owned(),
                u["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        unread,
        [
            (format!("{DIR}/malformed.eml"), "CF757".to_owned()),
            (format!("{DIR}/no-incident-data.eml"), "CF756".to_owned()),
            (format!("{DIR}/atlassian.mbox#2"), "CF756".to_owned()),
        ]
    );
    // The mbox's first message is the agreeing email.
    assert_eq!(
        report["atlassian"]["emails"][0]["source"],
        format!("{DIR}/atlassian.mbox#1")
    );
    assert_eq!(report["atlassian"]["emails"][0]["agreement"], "agree");
    assert!(
        stderr.contains("`sloValue` is missing") || stderr.contains("not JSON"),
        "{stderr}"
    );
    // A file that does not exist is an I/O error: exit 2.
    let (code, _, stderr) = slo(&["tests/fixtures/emails/nowhere.eml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nowhere.eml"), "{stderr}");
}

#[test]
fn the_html_report_has_the_table_and_the_episodes_on_the_chart() {
    let files = emails(&[
        "agree.eml",
        "differ.eml",
        "not-observed.eml",
        "no-incident-data.eml",
    ]);
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend(["--format", "html"]);
    let (code, stdout, _) = slo(&args);
    assert_eq!(code, 0);
    assert!(stdout.contains("<h2>Atlassian's emails against the history</h2>"));
    for class in ["agree", "differ", "not-observed"] {
        assert!(
            stdout.contains(&format!("<tr class=\"{class}\">")),
            "{class}"
        );
        assert!(
            stdout.contains(&format!("<rect class=\"atlassian {class}\"")),
            "{class}"
        );
    }
    assert!(stdout.contains("<tr class=\"unread\">"));
}

#[test]
fn the_objective_is_reported_beside_the_programs_never_instead() {
    let (code, stdout, _) = run(cfready().args([
        "slo",
        &format!("{DIR}/history.jsonl"),
        "--objective",
        "99.95",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["slo_percent"], 99.9);
    assert_eq!(report["objective_percent"], 99.95);
    let url = &report["urls"][0];
    assert_eq!(url["budget_s"], 2419.2, "the program's budget stays");
    let objective = &url["objective"];
    assert_eq!(objective["budget_s"], 1209.6);
    // The same two failed minutes spend twice the share of the team's half budget.
    let program = url["budget_used_s"].as_f64().unwrap() / 2419.2;
    let team = objective["budget_used_percent"].as_f64().unwrap() / 100.0;
    assert!((team - 2.0 * program).abs() < 1e-9, "{team} {program}");
    let (code, _, stderr) = run(cfready().args([
        "slo",
        &format!("{DIR}/history.jsonl"),
        "--objective",
        "99.5",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("tighter target"), "{stderr}");
}
