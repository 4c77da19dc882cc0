//! `cfready review`: the annual review's dates and pack, against a git repository holding the
//! approved revision of a questionnaire and later changes, and against a saved copy.

use std::path::Path;
use std::process::Command as Process;

use serde_json::Value;

use super::{cfready, root, run};

fn git(dir: &Path, args: &[&str]) {
    let status = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Review Test",
            "-c",
            "user.email=review@example.com",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

/// A repository: the example approved on 2025-12-10 (tagged `approved`), then a commit that
/// turns one answer into a placeholder and lengthens the fix lead time.
fn repository(dir: &Path) -> std::path::PathBuf {
    let example = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml")).unwrap();
    let approved = example.replacen(
        "  partner: Acme Software Ltd\n",
        "  partner: Acme Software Ltd\n  approved_on: 2025-12-10\n",
        1,
    );
    assert_ne!(approved, example);
    let file = dir.join("cloud-fortified.yaml");
    std::fs::write(&file, &approved).unwrap();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "cloud-fortified.yaml"]);
    git(dir, &["commit", "-q", "-m", "approved"]);
    git(dir, &["tag", "approved"]);
    let start = approved.find("  concurrent_users: |\n").unwrap();
    let end = approved.find("  large_datasets: |\n").unwrap();
    let later = format!(
        "{}  concurrent_users: TBD\n{}",
        &approved[..start],
        &approved[end..]
    )
    .replacen("  fix_lead_time: 30m\n", "  fix_lead_time: 2h\n", 1);
    std::fs::write(&file, later).unwrap();
    git(dir, &["commit", "-q", "-am", "later"]);
    file
}

/// `cfready review FILE --since approved --format FORMAT --at 2026-12-01 --history STORE`.
fn pack(file: &Path, store: &Path, format: &str) -> (i32, String, String) {
    run(cfready()
        .arg("review")
        .arg(file)
        .args(["--since", "approved", "--format", format])
        .args(["--at", "2026-12-01T00:00:00Z", "--history"])
        .arg(store))
}

#[test]
fn the_pack_names_the_changed_answers_the_new_findings_and_the_dates() {
    let dir = tempfile::tempdir().unwrap();
    let file = repository(dir.path());
    let store = dir.path().join("h.db");
    let (code, _, stderr) = run(cfready()
        .args([
            "history",
            "import",
            "tests/fixtures/emails/history.jsonl",
            "--into",
        ])
        .arg(&store));
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = pack(&file, &store, "json");
    assert_eq!(code, 0, "{stderr}");
    let found: Value = serde_json::from_str(&stdout).unwrap();
    // Approved 2025-12-10 (today is 2026-11-24): the review is the last week of December 2026.
    assert_eq!(found["dates"]["review_start"], "2026-12-25");
    assert_eq!(found["dates"]["review_end"], "2026-12-31");
    assert_eq!(found["dates"]["notice"], "2026-12-11");
    assert_eq!(found["dates"]["fix_by"], "2027-01-28");
    assert_eq!(found["dates"]["days_to_review"], 31);
    assert_eq!(found["since"], "git revision approved");
    let changes: Vec<(&str, &str)> = found["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["key"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("scalability.concurrent_users", "changed"),
            ("recovery.fix_lead_time", "changed")
        ]
    );
    assert_eq!(found["changes"][1]["before"], "30m");
    assert_eq!(found["changes"][1]["after"], "2h");
    let new: Vec<&str> = found["findings"]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(new.contains(&"CF101"), "the placeholder is new: {new:?}");
    assert!(
        found["findings"]["new"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["key"] == "scalability.concurrent_users"
                || f["key"] == "recovery.fix_lead_time"),
        "only the changed answers have new findings: {}",
        found["findings"]["new"]
    );
    let ticket = found["ticket"].as_str().unwrap();
    assert!(ticket.contains("TBD (changed since approval)"), "{ticket}");
    assert!(ticket.contains("Cloud Fortified since"), "{ticket}");
    assert_eq!(
        found["year"]["urls"][0]["windows"]
            .as_array()
            .unwrap()
            .len(),
        13
    );
    assert_eq!(found["checklist"].as_array().unwrap().len(), 6);
    assert!(
        found["checklist"][0]["item"]
            .as_str()
            .unwrap()
            .contains("Privacy & Security tab")
    );

    // The same pack as Markdown and HTML, end to end.
    let (code, markdown, _) = pack(&file, &store, "markdown");
    assert_eq!(code, 0);
    for part in [
        "# Cloud Fortified annual review: Acme Timesheets for Jira\n\nApproved on 2025-12-10. Next annual review: the week of 2026-12-25 to 2026-12-31 (in 31 days).",
        "## The year\n",
        "| `recovery.fix_lead_time` | changed | 30m | 2h |\n",
        "- **New since approval:** error CF101 `scalability.concurrent_users`:",
        "> - **Cloud Fortified since:** 2025-12-10",
        "- [ ] The Marketplace listing's Privacy & Security tab is current",
    ] {
        assert!(markdown.contains(part), "{part}\n---\n{markdown}");
    }
    let page = dir.path().join("review.html");
    let (code, _, _) = run(cfready()
        .arg("review")
        .arg(&file)
        .args(["--since", "approved", "--format", "html", "--history"])
        .arg(&store)
        .arg("-o")
        .arg(&page));
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script") && !html.contains(" src="));
    assert!(html.contains("<h2>Answers changed since approval (2)</h2>"));
}

#[test]
fn a_saved_copy_is_the_approved_revision_too_and_without_a_date_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = repository(dir.path());
    let saved = dir.path().join("approved.yaml");
    git(dir.path(), &["show", "approved:cloud-fortified.yaml"]);
    let shown = Process::new("git")
        .arg("-C")
        .arg(dir.path())
        .args(["show", "approved:cloud-fortified.yaml"])
        .output()
        .unwrap();
    std::fs::write(&saved, shown.stdout).unwrap();
    let (code, stdout, stderr) = run(cfready()
        .arg("review")
        .arg(&file)
        .arg("--since")
        .arg(&saved)
        .args(["--history", "none.db"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("changed since approval: 2 answers (against "),
        "{stdout}"
    );
    assert!(
        stdout.contains("the year: No monitor store at none.db"),
        "{stdout}"
    );
    let (code, _, stderr) = run(cfready().args(["review", "examples/acme-timesheets.yaml"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("app.approved_on is not set"), "{stderr}");
    let (code, _, stderr) = run(cfready()
        .arg("review")
        .arg(&file)
        .args(["--since", "no-such-rev"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--since no-such-rev: neither a file nor a git revision"),
        "{stderr}"
    );
}
