//! `cfready slo --year`: 13 windows of 28 days from a store, as JSON (the contract of issue
//! 30), for people, as a self-contained page; Atlassian's emails in the window they belong to.

use std::fmt::Write as _;

use serde_json::Value;

use super::{cfready, run};

const END: &str = "2026-12-01T00:00:00Z";

/// A store of 364 days of one URL every 10 minutes to END, down an hour in the fourth window
/// (2026-03-10, from 12:00): history import of the JSON lines a monitor writes.
fn store(dir: &std::path::Path) -> std::path::PathBuf {
    let jsonl = dir.join("year.jsonl");
    let mut text = String::new();
    let start = 1_796_083_200_000_i64 - 364 * 86_400_000; // END in ms, less 364 days
    let down = (1_773_144_000_000_i64, 1_773_147_600_000_i64); // 2026-03-10 12:00..13:00Z
    for i in 0..364 * 144 {
        let at = start + i * 600_000;
        let failed = at >= down.0 && at < down.1;
        let _ = writeln!(
            text,
            r#"{{"version":1,"at":"{}","url":"https://a.example/health","base_url":"https://a.example","success":{},"failure":{},"status":{},"total_ms":150}}"#,
            cfready::timestamp::Timestamp(at),
            !failed,
            if failed { "\"status\"" } else { "null" },
            if failed { 503 } else { 200 }
        );
    }
    std::fs::write(&jsonl, text).unwrap();
    let db = dir.join("h.db");
    let (code, _, stderr) = run(cfready()
        .args(["history", "import"])
        .arg(&jsonl)
        .arg("--into")
        .arg(&db)
        .arg("-q"));
    assert_eq!(code, 0, "{stderr}");
    db
}

#[test]
fn the_year_as_json_holds_the_contract_and_the_breach_in_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let (code, stdout, stderr) = run(cfready()
        .arg("slo")
        .arg(&db)
        .args(["--year", "--at", END, "--format", "json"]));
    assert_eq!(code, 0, "the last window is clean: {stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let urls = report["urls"].as_array().unwrap();
    assert_eq!(urls.len(), 1);
    assert_eq!(urls[0]["url"], "https://a.example/health");
    assert_eq!(urls[0]["app"], "");
    let windows = urls[0]["windows"].as_array().unwrap();
    assert_eq!(windows.len(), 13);
    assert_eq!(windows[0]["start"], "2025-12-02T00:00:00.000Z");
    assert_eq!(windows[12]["end"], "2026-12-01T00:00:00.000Z");
    for (i, w) in windows.iter().enumerate() {
        for key in [
            "observed_seconds",
            "failed_seconds",
            "budget_seconds",
            "alerts",
        ] {
            assert!(w[key].is_number(), "window {i}: {key} in {w}");
        }
        assert!(w["breached"].is_boolean());
        assert_eq!(w["budget_seconds"], 2419.2);
        // Every window is observed whole: 4,032 observations of 10 minutes.
        assert_eq!(w["observed_seconds"], 28.0 * 86_400.0, "window {i}");
        let breached = i == 3;
        assert_eq!(w["breached"], breached, "window {i}");
        assert_eq!(w["failed_seconds"], if breached { 3600.0 } else { 0.0 });
        assert_eq!(w["alerts"], u64::from(breached));
    }
    assert_eq!(windows[3]["start"], "2026-02-24T00:00:00.000Z");
    assert_eq!(
        windows[3]["incidents"][0]["start"],
        "2026-03-10T12:00:00.000Z"
    );
    assert_eq!(
        windows[3]["incidents"][0]["end"],
        "2026-03-10T13:00:00.000Z"
    );
}

#[test]
fn the_year_for_people_is_a_table_and_a_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let (code, stdout, _) = run(cfready().arg("slo").arg(&db).args(["--year", "--at", END]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("1 of 13 windows breached; availability 99.988 % over the year"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  4   2026-02-24 .. 2026-03-24      99.851 %  1h of 40m 19.2s       148.8%          1       1  BREACHED\n"),
        "{stdout}"
    );
    let page = dir.path().join("year.html");
    let (code, _, stderr) = run(cfready()
        .arg("slo")
        .arg(&db)
        .args(["--year", "--at", END, "--format", "html", "-o"])
        .arg(&page));
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains(" src="));
    assert_eq!(html.matches("<rect class=\"day\"").count(), 364);
    assert_eq!(html.matches("<rect class=\"window\"").count(), 13);
    assert_eq!(html.matches("class=\"breach\"").count(), 1);
    assert!(html.contains("@page{size:A4"));
    assert!(html.contains("2026-03-10: 95.833 % (138 good of 144), 1h failed"));
    assert!(html.contains("more than the whole budget: that day alone breaches the window"));
}

#[test]
fn atlassian_emails_land_in_the_window_their_measurement_ends_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("emails.db");
    let (code, _, stderr) = run(cfready()
        .args([
            "history",
            "import",
            "tests/fixtures/emails/history.jsonl",
            "--into",
        ])
        .arg(&db)
        .arg("-q"));
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(cfready().arg("slo").arg(&db).args([
        "--year",
        "--at",
        END,
        "--format",
        "json",
        "--atlassian",
        "tests/fixtures/emails/agree.eml",
        "tests/fixtures/emails/differ.eml",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let last = &report["urls"][0]["windows"][12];
    let agreements: Vec<&str> = last["atlassian"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["agreement"].as_str().unwrap())
        .collect();
    assert_eq!(agreements, ["agree", "differ"]);
    for w in report["urls"][0]["windows"].as_array().unwrap()[..12].iter() {
        assert!(w.get("atlassian").is_none());
    }
}

#[test]
fn the_year_of_a_jsonl_history_is_refused_with_the_import_to_run() {
    let (code, _, stderr) =
        run(cfready().args(["slo", "tests/fixtures/emails/history.jsonl", "--year"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--year reads the monitor's store, not a JSONL history"),
        "{stderr}"
    );
    let (code, _, stderr) = run(cfready().args(["slo", "x.db", "--year", "--since", "30d"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}
