//! `cfready monitor` against scripted local servers, and `cfready slo` on histories with known
//! answers: a torn last line, a `kill -9` mid-run and a restart, 28 days of three URLs.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cfready::badge::history::Observation;
use cfready::timestamp::{Timestamp, at};

use super::probe::{read_request, response, serve};
use super::{at_end_of, cfready, run, slo_at};

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
    let history = dir.path().join("h.db");
    let mut command = cfready();
    command.args(["monitor", "--allow-private", "--every", "1s", "--for", "6s"]);
    command.args(["--history", history.to_str().unwrap()]);
    for port in [healthy, outage, slow, redirect] {
        command.args(["--url", &url(port)]);
    }
    let (code, stdout, stderr) = run(&mut command);
    // The redirect fails every request: a few seconds of failed time spend the budget far too
    // fast, but do not exceed it (40m 19.2s): at risk, which is no breach (exit 0).
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("AT RISK {}: ", url(redirect))),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "WITHIN BUDGET {}: 0s of the 40m 19.2s error budget used (0.0 %) in ",
            url(healthy)
        )),
        "{stdout}"
    );
    let read = crate::read_store(&history);
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
    let history = dir.path().join("h.db");
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
            "error: cannot monitor {}: `127.0.0.1` is a loopback address, which Atlassian cannot reach\n  help: monitor the public URL; --allow-private monitors it anyway (staging, tests)\n",
            url(port)
        )
    );
    assert!(stdout.is_empty(), "no SLO summary: {stdout}");
    assert!(!history.exists(), "the history is not even created");
}

#[test]
fn monitor_refuses_urls_that_can_never_succeed_and_leaves_the_history_alone() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.db");
    let before = Observation {
        app: None,
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
            "`localhost` is the local machine (localhost), which Atlassian cannot reach",
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

/// A questionnaire that names nothing to monitor (a Forge app without base URLs) is refused
/// with its finding and exit 2, as `monitor --help` says of every refusal; no history is made.
#[test]
fn monitor_refuses_a_questionnaire_with_nothing_to_monitor_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let example =
        std::fs::read_to_string(super::root().join("examples/acme-timesheets.yaml")).unwrap();
    let start = example.find("  base_urls:\n").unwrap();
    let end = example.find("  health_check:\n").unwrap();
    let forge = format!("{}{}", &example[..start], &example[end..])
        .replace("framework: connect", "framework: forge");
    let path = dir.path().join("cloud-fortified.yaml");
    std::fs::write(&path, forge).unwrap();
    let (code, stdout, stderr) =
        run(cfready().args(["monitor", path.to_str().unwrap(), "--for", "1s"]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("error[CF715]: nothing to probe: a Forge app without a remote"),
        "{stdout}"
    );
    assert!(
        stderr.contains("error: nothing monitored: 1 questionnaire cannot be monitored"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["cloud-fortified.yaml"]);
}

/// `cfready monitor --every 100ms` on a local URL, running until stopped.
fn spawn_monitor(
    port: u16,
    history: &std::path::Path,
    output: fn() -> std::process::Stdio,
) -> crate::Reaped {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cfready"))
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
        .expect("cfready starts");
    crate::Reaped(Some(child))
}

/// Until the history holds `count` observations (bounded: a hang fails after a minute).
fn wait_for_observations(history: &std::path::Path, count: usize) {
    let mut waited = 0;
    while crate::read_store(history).observations.len() < count {
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
        assert!(waited < 1200, "the monitor wrote nothing");
    }
}

#[test]
fn a_killed_monitor_loses_nothing_it_wrote_and_a_restart_appends() {
    let port = scripted(|_| ("200 OK", &[], 0));
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.db");
    let mut child = spawn_monitor(port, &history, std::process::Stdio::null);
    wait_for_observations(&history, 5);
    child.child().kill().expect("SIGKILL");
    child.child().wait().unwrap();
    // Every round committed before the kill is in the store (the round in flight may be lost).
    let first = crate::read_store(&history);
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
    let second = crate::read_store(&history);
    // What was written before the kill is still there, unchanged.
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
                app: None,
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
    let (code, stdout, stderr) = slo_at(&path, &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["version"], 2);
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
    assert_eq!(report["verdict"], "breached");
    assert_eq!(report["observed_s"], 28.0 * 86_400.0);
    let verdicts: Vec<&str> = urls
        .iter()
        .map(|u| u["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["within-budget", "within-budget", "breached"]);
    // The breach is in the window that ends now: today's verdict, not a past breach.
    assert_eq!(urls[2]["past_breaches"].as_array().unwrap().len(), 0);
    let (code, human, _) = slo_at(&path, &[]);
    assert_eq!(code, 1);
    assert!(
        human.contains("observed 28d of 28d, from 2026-10-28 00:00Z"),
        "{human}"
    );
    assert!(human.contains("WITHIN BUDGET https://app1.example.com/health: 1m of the 40m 19.2s error budget used (2.5 %) in 28d of 28d observed\n"), "{human}");
    assert!(human.contains("availability  99.997 % over the 28d observed (40319 good of 40320 observations, one every 1m)"), "{human}");
    assert!(
        human.contains("BREACHED https://app2.example.com/health: 41m failed in the last 28d, more than the 40m 19.2s error budget\n"),
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
    let (code, stdout, stderr) = slo_at(&path, &[]);
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
    assert!(stderr.contains("no observation in the 28d to "), "{stderr}");
    let (code, _, stderr) = run(cfready().args(["slo", "no-such-history.jsonl"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-history.jsonl"), "{stderr}");
}

/// `cfready slo HISTORY --format html -o slo.html` beside the history: (exit code, stdout,
/// stderr, the page).
fn slo_html(history: &std::path::Path) -> (i32, String, String, String) {
    let page = history.with_file_name("slo.html");
    let (code, stdout, stderr) =
        slo_at(history, &["--format", "html", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    (code, stdout, stderr, html)
}

#[test]
fn slo_html_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    write_history(&path, 2, 3, |index, minute| {
        index == 1 && (600..602).contains(&minute)
    });
    let (code, stdout, stderr, html) = slo_html(&path);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
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
    let (code, stdout, _) = slo_at(&path, &["--format", "json"]);
    assert_eq!(code, 1, "an hour down is more than the budget");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["urls"][0]["good"], 2880 - 60);
    let (code, stdout, stderr) = slo_at(
        &path,
        &[
            "--format",
            "json",
            "--window",
            "1d",
            "--maintenance",
            "2026-10-29T01:00:00Z/2026-10-29T02:00:00Z",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["window_s"], 86_400.0);
    // The window is [--at - 1d, --at): the observation exactly a day before --at is outside.
    assert_eq!(report["urls"][0]["observations"], 1440 - 60);
    assert_eq!(report["urls"][0]["good"], 1440 - 60);
    let (code, _, stderr) = slo_at(
        &path,
        &["--maintenance", "2026-10-29T02:00:00Z/2026-10-29T01:00:00Z"],
    );
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
    let history = dir.path().join("h.db");
    let mut child = spawn_monitor(port, &history, std::process::Stdio::piped);
    wait_for_observations(&history, 2);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.child().id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.take().wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Exit 0 (not killed by the signal): no URL breached, and the summary is printed.
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("WITHIN BUDGET {}: 0s of the 40m 19.2s", url(port))),
        "{stdout}"
    );
    let read = crate::read_store(&history);
    let found = cfready::badge::store::Reader::open(&history)
        .unwrap()
        .verify()
        .unwrap();
    assert!(found.damage.is_empty(), "{:?}", found.damage);
    assert!(
        stderr.contains(&format!("monitor: {} round", read.observations.len())),
        "{stderr}"
    );
}

/// `rounds` rounds `every_ms` apart from 2026-11-25 10:23:05.412, each a few milliseconds late
/// as a monitor's are, of `urls` URLs; `failing(url index, round)` says which fail.
fn write_rounds(
    path: &std::path::Path,
    urls: usize,
    rounds: usize,
    every_ms: u64,
    failing: &dyn Fn(usize, usize) -> bool,
) {
    let start = at(2026, 11, 25, 10, 23).plus(Duration::from_millis(5412));
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for round in 0..rounds {
        let late = (round as u64 * 37) % 40;
        for index in 0..urls {
            let fail = failing(index, round);
            let observation = Observation {
                app: None,
                at: start.plus(Duration::from_millis(every_ms * round as u64 + late)),
                url: format!("https://app{index}.example.com/health"),
                base_url: Some(format!("https://app{index}.example.com")),
                success: !fail,
                failure: fail.then(|| "status".to_owned()),
                status: Some(if fail { 503 } else { 200 }),
                total_ms: (!fail).then_some(150 + (round % 50) as u64),
            };
            file.write_all(observation.line().as_bytes()).unwrap();
        }
    }
}

#[test]
fn slo_verdicts_of_a_minute_a_day_and_a_month_agree_with_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    let slo = |path: &std::path::Path| {
        let (code, human, stderr) = slo_at(path, &[]);
        let (_, json, _) = slo_at(path, &["--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        (code, human, stderr, json)
    };
    // One minute, one good observation.
    write_rounds(&path, 1, 1, 60_000, &|_, _| false);
    let (code, human, _, json) = slo(&path);
    assert_eq!(code, 0);
    assert!(human.contains("observed 1m of 28d"), "{human}");
    assert!(human.ends_with("WITHIN BUDGET https://app0.example.com/health: 0s of the 40m 19.2s error budget used (0.0 %) in 1m of 28d observed\n"), "{human}");
    assert_eq!(json["verdict"], "within-budget");
    assert_eq!(json["observed_s"], 60.0);
    // A day at one a minute, two failed (the README's soak test): 5 % of the budget in 1/28 of
    // the window is 1.4x the rate that lasts it: at risk, no breach, exit 0.
    write_rounds(&path, 1, 1440, 60_000, &|_, round| {
        round == 600 || round == 1200
    });
    let (code, human, _, json) = slo(&path);
    assert_eq!(code, 0, "{human}");
    assert!(
        human.contains("observed 1d of 28d, from 2026-11-25 10:23Z"),
        "{human}"
    );
    assert!(human.contains("availability  99.861 % over the 1d observed (1438 good of 1440 observations, one every 1m)"), "{human}");
    assert!(human.ends_with("AT RISK https://app0.example.com/health: 2m of the 40m 19.2s error budget used (5.0 %) in 1d of 28d observed: at this rate it lasts 20d 4h of the 28d\n"), "{human}");
    assert_eq!(json["verdict"], "at-risk");
    let observed = json["urls"][0]["observed_s"].as_f64().unwrap();
    assert!((observed - 86_400.0).abs() < 0.1, "{observed}");
    assert_eq!(json["urls"][0]["budget_used_s"], 120.0);
    // 28 days, 40 failed minutes: within budget; 41: breached, exit 1.
    write_rounds(&path, 1, 28 * 1440, 60_000, &|_, round| {
        round % 1000 == 7 && round < 40_000
    });
    let (code, human, _, json) = slo(&path);
    assert_eq!(code, 0, "{human}");
    assert_eq!(json["urls"][0]["budget_used_s"], 40.0 * 60.0);
    assert!(human.ends_with("WITHIN BUDGET https://app0.example.com/health: 40m of the 40m 19.2s error budget used (99.2 %) in 28d of 28d observed\n"), "{human}");
    write_rounds(&path, 1, 28 * 1440, 60_000, &|_, round| round % 980 == 7);
    let (code, human, _, json) = slo(&path);
    assert_eq!(code, 1, "{human}");
    assert_eq!(json["verdict"], "breached");
    assert!(
        human.contains("BREACHED https://app0.example.com/health: 42m failed in the last 28d, more than the 40m 19.2s error budget"),
        "{human}"
    );
}

/// Every point of every chart of an HTML report: (chart index, x, y) of the series' points,
/// their dots, and the alert markers' tops; and the number of charts.
fn drawn(html: &str) -> (usize, Vec<(usize, f64, f64)>) {
    let number = |text: &str, name: &str| -> Vec<f64> {
        text.split(&format!(" {name}=\""))
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse::<f64>().unwrap())
            .collect()
    };
    let mut points = Vec::new();
    let charts: Vec<&str> = html
        .split("<svg ")
        .skip(1)
        .map(|rest| &rest[..rest.find("</svg>").unwrap()])
        .collect();
    for (index, svg) in charts.iter().enumerate() {
        for line in svg.split("<polyline points=\"").skip(1) {
            let list = &line[..line.find('"').unwrap()];
            let pairs: Vec<(f64, f64)> = list
                .split_whitespace()
                .map(|pair| {
                    let (x, y) = pair.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            // Every series shows: two points or more, across 4 units at least, or with a dot.
            assert!(pairs.len() >= 2, "chart {index}: {list}");
            let width = pairs.last().unwrap().0 - pairs[0].0;
            assert!(
                width >= 4.0 || svg.contains("<circle"),
                "chart {index}: {list}"
            );
            points.extend(pairs.into_iter().map(|(x, y)| (index, x, y)));
        }
        for (x, y) in number(svg, "cx").into_iter().zip(number(svg, "cy")) {
            points.push((index, x, y));
        }
        for alert in svg.split("class=\"alert\"").skip(1) {
            points.push((index, number(alert, "x1")[0], number(alert, "y1")[0]));
        }
    }
    (charts.len(), points)
}

/// Which (URL index, round) of a generated history fail.
type Failing = fn(usize, usize) -> bool;

#[test]
fn every_point_of_the_html_charts_lies_inside_its_chart_from_a_minute_to_28_days() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    // (rounds, ms between rounds, URLs, failing), and what the charts are per.
    let histories: [(usize, u64, usize, Failing, &str); 5] = [
        (1, 60_000, 1, |_, _| false, "5 minutes"),
        (
            60,
            10_000,
            2,
            |url, round| url == 1 && [20, 21, 24].contains(&round),
            "minute",
        ),
        (60, 60_000, 1, |_, round| round == 30, "5 minutes"),
        (
            1440,
            60_000,
            1,
            |_, round| round == 600 || round == 1200,
            "5 minutes",
        ),
        (
            28 * 1440,
            60_000,
            1,
            |_, round| round % 1500 == 1000,
            "hour",
        ),
    ];
    for (rounds, every, urls, failing, per) in histories {
        write_rounds(&path, urls, rounds, every, &failing);
        let (code, _, stderr, html) = slo_html(&path);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            html.contains(&format!("Availability per {per},")),
            "{rounds} rounds"
        );
        let (charts, points) = drawn(&html);
        assert_eq!(charts, 3 * urls);
        assert!(points.len() >= 2 * charts, "{rounds} rounds: {points:?}");
        // The plot area: LEFT 58 to WIDTH 880 - RIGHT 12, TOP 12 to HEIGHT 180 - BOTTOM 26.
        for (chart, x, y) in points {
            assert!(
                (58.0..=868.0).contains(&x) && (12.0..=154.0).contains(&y),
                "{rounds} rounds every {every} ms: chart {chart} draws ({x}, {y})"
            );
        }
    }
}

#[test]
fn incidents_under_a_minute_cadence_show_seconds_and_durations_round_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    let start = at(2026, 11, 25, 10, 0);
    // One request a second; round 10 fails and the next good one comes 1.999 s after it,
    // round 20 fails and the next good one comes 2 s after it (a round was skipped).
    let mut lines = String::new();
    for (ms, success) in (0..30u64)
        .filter(|&r| r != 21)
        .map(|r| (r * 1000 + u64::from(r == 11) * 999, r != 10 && r != 20))
    {
        lines.push_str(
            &Observation {
                app: None,
                at: start.plus(Duration::from_millis(ms)),
                url: "https://app.example.com/health".to_owned(),
                base_url: None,
                success,
                failure: (!success).then(|| "status".to_owned()),
                status: Some(if success { 200 } else { 503 }),
                total_ms: success.then_some(100),
            }
            .line(),
        );
    }
    std::fs::write(&path, lines).unwrap();
    let (_, human, _) = slo_at(&path, &[]);
    assert!(
        human.contains("  incidents     2\n                2026-11-25 10:00:10Z for 2s (1 failed: status 503)\n                2026-11-25 10:00:20Z for 2s (1 failed: status 503)\n"),
        "{human}"
    );
    let (_, _, _, html) = slo_html(&path);
    assert!(
        html.contains("<tr><td>2026-11-25 10:00:10Z</td><td>2026-11-25 10:00:11Z</td><td>2s</td>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><td>2026-11-25 10:00:20Z</td><td>2026-11-25 10:00:22Z</td><td>2s</td>"),
        "{html}"
    );
}

/// `cfready history`: a v1 history imported (a damaged line warned about, a second import adding
/// nothing), exported back line for line, verified, damaged and verified again (exit 1, nothing
/// changed), pruned; and `slo` reads the store as it read the JSON lines.
#[test]
fn history_import_export_verify_and_prune_round_trip_a_v1_history() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("h.jsonl");
    write_history(&jsonl, 2, 2, |index, minute| index == 1 && minute == 100);
    let good = std::fs::read_to_string(&jsonl).unwrap();
    std::fs::write(&jsonl, format!("{good}not json\n")).unwrap();
    let store = dir.path().join("h.db");
    let import = |expected: &str| {
        let (code, _, stderr) = run(cfready().args([
            "history",
            "import",
            jsonl.to_str().unwrap(),
            "--into",
            store.to_str().unwrap(),
        ]));
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(
            stderr.contains("h.jsonl:5761: not an observation"),
            "{stderr}"
        );
    };
    import("5760 observations added (0 already in the store)");
    import("0 observations added (5760 already in the store)");
    let (code, exported, _) = run(cfready().args(["history", "export", store.to_str().unwrap()]));
    assert_eq!(code, 0);
    assert_eq!(exported, good, "the v1 lines back, in time order");
    let (_, from_jsonl, _) = slo_at(&jsonl, &[]);
    let (_, from_store, _) =
        run(cfready().args(["slo", "--at", &at_end_of(&jsonl), store.to_str().unwrap()]));
    assert_eq!(from_store, from_jsonl);
    let (code, verified, _) = run(cfready().args(["history", "verify", store.to_str().unwrap()]));
    assert_eq!(code, 0);
    assert!(
        verified.contains("2 series, 5760 observations"),
        "{verified}"
    );
    assert!(verified.ends_with("no damage found\n"), "{verified}");
    rusqlite_update(
        &store,
        "UPDATE hours SET observations = observations + 1 WHERE hour % 24 = 5",
    );
    let before = std::fs::read(&store).unwrap();
    let (code, verified, _) = run(cfready().args(["history", "verify", store.to_str().unwrap()]));
    assert_eq!(code, 1, "{verified}");
    assert!(verified.contains("damage: series"), "{verified}");
    assert_eq!(
        std::fs::read(&store).unwrap(),
        before,
        "verify changes nothing"
    );
    let (code, _, stderr) =
        run(cfready().args(["history", "prune", store.to_str().unwrap(), "--keep", "1d"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("5760 observations before"), "{stderr}");
}

/// Change a store behind cfready's back (damage for `verify` to find).
fn rusqlite_update(store: &std::path::Path, sql: &str) {
    let connection = rusqlite::Connection::open(store).unwrap();
    connection.execute_batch(sql).unwrap();
    connection
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
}
