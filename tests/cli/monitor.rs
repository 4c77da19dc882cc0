//! `cfready monitor` against scripted local servers, and `cfready slo` on histories with known
//! answers: a torn last line, a `kill -9` mid-run and a restart, 28 days of three URLs.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cfready::history::{self, Observation};
use cfready::timestamp::{Timestamp, at};

use super::probe::{read_request, response, serve};
use super::{cfready, run};

/// A server whose n-th request (from 0) gets `script(n)`: (status line, extra headers, delay).
fn scripted(script: fn(usize) -> (&'static str, &'static [&'static str], u64)) -> u16 {
    let count = Arc::new(AtomicUsize::new(0));
    serve(move |mut stream| {
        read_request(&mut stream);
        let n = count.fetch_add(1, Ordering::SeqCst);
        let (status, headers, delay) = script(n);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = stream.write_all(&response(status, headers, "{\"status\":\"ok\"}"));
    })
}

fn url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/health")
}

fn observations_of<'a>(all: &'a [Observation], url: &str) -> Vec<&'a Observation> {
    all.iter().filter(|o| o.url == url).collect()
}

#[test]
fn monitor_records_each_round_as_the_probe_judges_it() {
    let healthy = scripted(|_| ("200 OK", &[], 0));
    // Requests 1 and 2 fall in an outage.
    let outage = scripted(|n| {
        if (1..=2).contains(&n) {
            ("503 Service Unavailable", &[], 0)
        } else {
            ("200 OK", &[], 0)
        }
    });
    // Request 1 takes 4 s: past the 3 s limit, and past the next two slots of a 1 s cadence.
    let slow = scripted(|n| ("200 OK", &[], if n == 1 { 4000 } else { 0 }));
    let redirect = scripted(|_| ("302 Found", &["Location: /elsewhere"], 0));
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.jsonl");
    let mut command = cfready();
    command.args(["monitor", "--allow-private", "--every", "1s", "--for", "6s"]);
    command.args(["--history", history.to_str().unwrap()]);
    for port in [healthy, outage, slow, redirect] {
        command.args(["--url", &url(port)]);
    }
    let (code, stdout, stderr) = run(&mut command);
    // The redirect fails every request: under 99.9 %.
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("FAIL {}", url(redirect))),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("PASS {}", url(healthy))),
        "{stdout}"
    );
    let read = history::read(&history).unwrap();
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    let all = read.observations;
    let rounds = observations_of(&all, &url(healthy)).len();
    // Six slots in 6 s; the second round lasts 3 s (the slow request is cut at the limit), so
    // the two slots it runs past are skipped, not run late or at once: rounds at 0, 1, 4 and
    // 5 s. A busy machine may skip one more, never add one.
    assert!((3..=4).contains(&rounds), "{rounds} rounds");
    let first = all[0].at;
    let late: Vec<u64> = all
        .iter()
        .step_by(4)
        .map(|o| o.at.since(first).as_millis() as u64)
        .collect();
    assert!(late[2] >= 3900, "the third round started at {late:?} ms");
    for port in [outage, slow, redirect] {
        assert_eq!(observations_of(&all, &url(port)).len(), rounds);
    }
    // Every URL of a round shares the round's instant.
    for chunk in all.chunks(4) {
        assert!(chunk.iter().all(|o| o.at == chunk[0].at), "{chunk:?}");
    }
    let kinds = |port| -> Vec<Option<String>> {
        observations_of(&all, &url(port))
            .iter()
            .map(|o| o.failure.clone())
            .collect()
    };
    assert!(kinds(healthy).iter().all(Option::is_none));
    assert_eq!(
        kinds(outage)[..3],
        [None, Some("status".into()), Some("status".into())]
    );
    assert_eq!(kinds(slow)[1].as_deref(), Some("timeout-before-headers"));
    assert!(
        kinds(redirect)
            .iter()
            .all(|k| k.as_deref() == Some("redirect"))
    );
    let failed = observations_of(&all, &url(outage))[1];
    assert_eq!(failed.status, Some(503));
    assert!(!failed.success);
    // The summary counts what was appended.
    assert!(
        stderr.contains(&format!(
            "monitor: {rounds} rounds ({} observations)",
            rounds * 4
        )),
        "{stderr}"
    );
}

#[test]
fn monitor_refuses_private_hosts_as_the_probe_does_before_the_first_round() {
    let port = scripted(|_| ("200 OK", &[], 0));
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.jsonl");
    let (code, stdout, stderr) = run(cfready().args([
        "monitor",
        "--url",
        &url(port),
        "--every",
        "1s",
        "--for",
        "1s",
        "--history",
        history.to_str().unwrap(),
    ]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        format!(
            "error: cannot monitor {}: `127.0.0.1` is a loopback address, which Atlassian's monitor cannot reach\n  help: monitor the public URL; --allow-private monitors it anyway (staging, tests)\n",
            url(port)
        )
    );
    assert!(stdout.is_empty(), "no SLO summary: {stdout}");
    assert!(!history.exists(), "the history is not even created");
}

#[test]
fn monitor_refuses_urls_that_can_never_succeed_and_leaves_the_history_alone() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.jsonl");
    let before = Observation {
        at: at(2026, 11, 25, 10, 0),
        url: "https://app.example.com/health".to_owned(),
        base_url: None,
        success: true,
        failure: None,
        status: Some(200),
        total_ms: Some(180),
    }
    .line();
    std::fs::write(&history, &before).unwrap();
    for (given, message, help) in [
        (
            "127.0.0.1:8765/api/health",
            "the URL has no scheme: the monitor requests http:// and https:// URLs",
            Some("write it whole: https://127.0.0.1:8765/api/health"),
        ),
        (
            "app.example.com/health",
            "the URL has no scheme: the monitor requests http:// and https:// URLs",
            Some("write it whole: https://app.example.com/health"),
        ),
        (
            "ftp://app.example.com/health",
            "cannot request this URL: the scheme `ftp` is not http or https",
            Some("the monitor requests http and https URLs only"),
        ),
        (
            "http://localhost:8765/health",
            "`localhost` is the local machine (localhost), which Atlassian's monitor cannot reach",
            Some("monitor the public URL; --allow-private monitors it anyway (staging, tests)"),
        ),
        (
            "https://user:secret@app.example.com/health",
            "cannot request this URL: the URL carries credentials; the monitor sends none",
            None,
        ),
    ] {
        let (code, stdout, stderr) = run(cfready().args([
            "monitor",
            "--url",
            given,
            "--for",
            "1s",
            "--history",
            history.to_str().unwrap(),
        ]));
        assert_eq!(code, 2, "{given}: {stdout}{stderr}");
        let mut expected = format!("error: cannot monitor {given}: {message}\n");
        if let Some(help) = help {
            expected.push_str(&format!("  help: {help}\n"));
        }
        assert_eq!(stderr, expected, "{given}");
        assert_eq!(
            std::fs::read_to_string(&history).unwrap(),
            before,
            "{given}"
        );
    }
    // A URL that can never succeed is refused even with --allow-private, and all are named.
    let (code, _, stderr) = run(cfready().args([
        "monitor",
        "--allow-private",
        "--url",
        "gopher://app.example.com/health",
        "--url",
        "app.example.com/health",
        "--history",
        history.to_str().unwrap(),
    ]));
    assert_eq!(code, 2);
    assert_eq!(
        stderr.matches("error: cannot monitor").count(),
        2,
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&history).unwrap(), before);
}

/// `cfready monitor --every 100ms` on a local URL, running until stopped.
fn spawn_monitor(
    port: u16,
    history: &std::path::Path,
    output: fn() -> std::process::Stdio,
) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("cfready"))
        .args([
            "monitor",
            "--allow-private",
            "--every",
            "100ms",
            "--url",
            &url(port),
        ])
        .args(["--history", history.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .stdout(output())
        .stderr(output())
        .spawn()
        .expect("cfready starts")
}

/// Until the history holds `count` observations (bounded: a hang fails after a minute).
fn wait_for_observations(history: &std::path::Path, count: usize) {
    let mut waited = 0;
    while history::read(history).map_or(0, |h| h.observations.len()) < count {
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
        assert!(waited < 1200, "the monitor wrote nothing");
    }
}

#[test]
fn a_killed_monitor_loses_nothing_it_wrote_and_a_restart_appends() {
    let port = scripted(|_| ("200 OK", &[], 0));
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.jsonl");
    let mut child = spawn_monitor(port, &history, std::process::Stdio::null);
    wait_for_observations(&history, 5);
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let before = std::fs::read(&history).unwrap();
    let first = history::parse("h", &before);
    assert!(first.observations.len() >= 5);
    let (code, stdout, stderr) = run(cfready().args([
        "monitor",
        "--allow-private",
        "--every",
        "100ms",
        "--for",
        "300ms",
        "--url",
        &url(port),
        "--history",
        history.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let after = std::fs::read(&history).unwrap();
    // What was written before the kill is still there, byte for byte.
    assert_eq!(after[..before.len()], before[..]);
    let second = history::parse("h", &after);
    assert_eq!(
        second.observations[..first.observations.len()],
        first.observations[..]
    );
    let added = second.observations.len() - first.observations.len();
    // Three slots of 100 ms; a busy machine may skip some, never add one.
    assert!((1..=3).contains(&added), "{added} observations appended");
    // No instant twice.
    let mut instants: Vec<Timestamp> = second.observations.iter().map(|o| o.at).collect();
    instants.dedup();
    assert_eq!(instants.len(), second.observations.len());
}

/// One observation a minute for `days` days from 2026-10-28, of each URL; `failing(url index,
/// minute)` says which fail.
fn write_history(
    path: &std::path::Path,
    urls: usize,
    days: usize,
    failing: fn(usize, usize) -> bool,
) {
    let start = at(2026, 10, 28, 0, 0);
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for minute in 0..days * 24 * 60 {
        for index in 0..urls {
            let fail = failing(index, minute);
            let observation = Observation {
                at: start.plus(Duration::from_secs(60 * minute as u64)),
                url: format!("https://app{index}.example.com/health"),
                base_url: Some(format!("https://app{index}.example.com")),
                success: !fail,
                failure: fail.then(|| "status".to_owned()),
                status: Some(if fail { 503 } else { 200 }),
                total_ms: Some(100 + (minute % 100) as u64),
            };
            file.write_all(observation.line().as_bytes()).unwrap();
        }
    }
}

#[test]
fn slo_on_28_days_of_three_urls_has_the_known_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("month.jsonl");
    // URL 0 never fails; URL 1 fails one minute; URL 2 fails 41 minutes, 20 minutes apart.
    write_history(&path, 3, 28, |index, minute| match index {
        1 => minute == 1000,
        2 => minute % 20 == 0 && minute < 41 * 20,
        _ => false,
    });
    let (code, stdout, stderr) =
        run(cfready().args(["slo", path.to_str().unwrap(), "--format", "json"]));
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["version"], 1);
    let urls = report["urls"].as_array().unwrap();
    assert_eq!(urls.len(), 3);
    for url in urls {
        assert_eq!(url["observations"], 40_320);
        assert_eq!(url["budget_s"], 2419.2);
        assert_eq!(url["latency_ms"]["max"], 199);
    }
    assert_eq!(urls[0]["good"], 40_320);
    assert_eq!(urls[0]["alerts"].as_array().unwrap().len(), 0);
    assert_eq!(urls[1]["good"], 40_319);
    assert_eq!(urls[1]["budget_used_s"], 60.0);
    assert_eq!(urls[1]["alerts"][0]["at"], "2026-10-28T16:40:00.000Z");
    assert_eq!(urls[2]["good"], 40_320 - 41);
    assert_eq!(urls[2]["budget_used_s"], 41.0 * 60.0);
    assert_eq!(urls[2]["incidents"].as_array().unwrap().len(), 41);
    // 20 minutes apart: one alert each.
    assert_eq!(urls[2]["alerts"].as_array().unwrap().len(), 41);
    let (code, human, _) = run(cfready().args(["slo", path.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(human.contains("PASS https://app1.example.com/health: 99.997 % >= 99.9 %, 2.5 % of the error budget used"), "{human}");
    assert!(
        human.contains("FAIL https://app2.example.com/health: 99.898 % < 99.9 %"),
        "{human}"
    );
}

#[test]
fn slo_skips_a_torn_last_line_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    write_history(&path, 1, 1, |_, minute| minute == 30);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(b"{\"version\":1,\"at\":\"2026-10-29T00:0")
        .unwrap();
    let (code, stdout, stderr) = run(cfready().args(["slo", path.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[CF751]"), "{stderr}");
    assert!(
        stderr.contains("h.jsonl:1441: the last line is incomplete"),
        "{stderr}"
    );
    assert!(
        stdout.contains("1439 good of 1440 observations"),
        "{stdout}"
    );
}

#[test]
fn slo_without_observations_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.jsonl");
    std::fs::write(&path, "").unwrap();
    let (code, _, stderr) = run(cfready().args(["slo", path.to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(stderr.contains("holds no observation"), "{stderr}");
    let (code, _, stderr) = run(cfready().args(["slo", "no-such-history.jsonl"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-history.jsonl"), "{stderr}");
}

#[test]
fn slo_html_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    write_history(&path, 2, 3, |index, minute| {
        index == 1 && (600..602).contains(&minute)
    });
    let page = dir.path().join("slo.html");
    let (code, stdout, stderr) = run(cfready().args([
        "slo",
        path.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    // Nothing is fetched: no script, no external reference of any kind.
    for forbidden in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // Three charts per URL, each an inline SVG with its size.
    assert_eq!(html.matches("<svg viewBox=\"0 0 880 180\"").count(), 6);
    assert_eq!(html.matches("class=\"alert\"").count(), 1);
    assert!(html.contains("<td>2m</td>"), "the incident table");
}

#[test]
fn maintenance_and_window_take_part_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    write_history(&path, 1, 2, |_, minute| (1500..1560).contains(&minute));
    let (code, stdout, _) =
        run(cfready().args(["slo", path.to_str().unwrap(), "--format", "json"]));
    assert_eq!(code, 1, "an hour down is more than the budget");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["urls"][0]["good"], 2880 - 60);
    let (code, stdout, stderr) = run(cfready().args([
        "slo",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--window",
        "1d",
        "--maintenance",
        "2026-10-29T01:00:00Z/2026-10-29T02:00:00Z",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["window_s"], 86_400.0);
    assert_eq!(report["urls"][0]["observations"], 1441 - 60);
    assert_eq!(report["urls"][0]["good"], 1441 - 60);
    let (code, _, stderr) = run(cfready().args([
        "slo",
        path.to_str().unwrap(),
        "--maintenance",
        "2026-10-29T02:00:00Z/2026-10-29T01:00:00Z",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the end is not after the start"),
        "{stderr}"
    );
}

#[test]
fn sigterm_stops_after_the_round_in_flight_and_prints_the_summary() {
    let port = scripted(|_| ("200 OK", &[], 0));
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.jsonl");
    let child = spawn_monitor(port, &history, std::process::Stdio::piped);
    wait_for_observations(&history, 2);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Exit 0 (not killed by the signal): every URL met 99.9 %, and the summary is printed.
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("PASS {}", url(port))), "{stdout}");
    let read = history::read(&history).unwrap();
    assert!(
        read.warnings.is_empty(),
        "no torn line: {:?}",
        read.warnings
    );
    assert!(
        stderr.contains(&format!("monitor: {} round", read.observations.len())),
        "{stderr}"
    );
}
