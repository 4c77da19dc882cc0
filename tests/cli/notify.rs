//! `cfready monitor --notify` against local receivers: an HTTP server that records every
//! request (webhook, Slack, PagerDuty and Opsgenie shapes) and an SMTP server, both in this
//! process. Payloads are checked against the fields each service documents; episodes,
//! restarts, retries and a receiver that never answers against the history's order.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cfready::badge::history::Outcome;
use serde_json::Value;

use super::probe::{read_request, response, serve};
use super::{cfready, run, slo_at};

/// A request as a receiver saw it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Log = Arc<Mutex<Vec<Received>>>;

/// An HTTP receiver: the n-th request (from 0) gets `script(n)` (status line, or `None` to
/// hold the connection without answering).
fn receiver(script: fn(usize) -> Option<&'static str>) -> (u16, Log) {
    let log: Log = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = log.clone();
    let port = serve(move |mut stream: TcpStream| {
        let head = read_request(&mut stream);
        if head.is_empty() {
            return;
        }
        let mut lines = head.lines();
        let path = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or("")
            .to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        let _ = stream.read_exact(&mut body);
        seen.lock().unwrap().push(Received {
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        match script(count.fetch_add(1, Ordering::SeqCst)) {
            Some(status) => {
                let _ = stream.write_all(&response(status, &[], "{}"));
            }
            None => std::thread::sleep(Duration::from_secs(30)),
        }
    });
    (port, log)
}

/// An SMTP server that accepts every message; each message's DATA as received.
fn smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    let mails: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = mails.clone();
    let port = serve(move |stream: TcpStream| {
        let mut out = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let _ = out.write_all(b"220 localhost ESMTP cfready-test\r\n");
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => b"250-localhost\r\n250 8BITMIME\r\n",
                "DATA" => {
                    let _ = out.write_all(b"354 go ahead\r\n");
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == ".\r\n" {
                            break;
                        }
                        data.push_str(&line);
                    }
                    seen.lock().unwrap().push(data);
                    b"250 2.0.0 queued\r\n"
                }
                "QUIT" => {
                    let _ = out.write_all(b"221 bye\r\n");
                    return;
                }
                _ => b"250 OK\r\n",
            };
            let _ = out.write_all(reply);
        }
    });
    (port, mails)
}

/// A health check whose n-th request fails when `failing(n)`.
fn health(failing: fn(usize) -> bool) -> String {
    let count = Arc::new(AtomicUsize::new(0));
    let port = serve(move |mut stream| {
        read_request(&mut stream);
        let n = count.fetch_add(1, Ordering::SeqCst);
        let status = if failing(n) {
            "503 Service Unavailable"
        } else {
            "200 OK"
        };
        let _ = stream.write_all(&response(status, &[], "{\"status\":\"ok\"}"));
    });
    format!("http://127.0.0.1:{port}/health")
}

const PD_KEY: &str = "R0UTING0KEY0SECRET";
const OG_KEY: &str = "0PSGENIE0KEY0SECRET";
const SLACK_TOKEN: &str = "SLACK0TOKEN0SECRET";

fn monitor(url: &str, history: &std::path::Path, run_for: &str) -> assert_cmd::Command {
    let mut command = cfready();
    command.args([
        "monitor",
        "--allow-private",
        "--every",
        "1s",
        "--for",
        run_for,
    ]);
    command.args(["--url", url, "--history", history.to_str().unwrap()]);
    command.args(["--notify-backoff", "100ms"]);
    command.env("PD_KEY", PD_KEY).env("OG_KEY", OG_KEY);
    command
}

fn events(log: &Log, path: &str) -> Vec<Value> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|r| r.path.starts_with(path))
        .map(Received::json)
        .collect()
}

/// cfready's own JSON: a failure, then its recovery under the same key.
fn webhook_payloads(log: &Log, url: &str) {
    let hook = events(log, "/hook");
    assert_eq!(hook.len(), 2, "{hook:#?}");
    assert_eq!(hook[0]["version"], 1);
    assert_eq!(hook[0]["event"], "failure");
    assert_eq!(hook[1]["event"], "recovered");
    assert_eq!(hook[0]["key"], hook[1]["key"]);
    assert_eq!(hook[0]["test"], false);
    assert_eq!(hook[0]["base_url"], url);
    assert_eq!(hook[0]["observation"]["status"], 503);
    assert_eq!(hook[0]["observation"]["failure"], "status");
    assert_eq!(hook[1]["observation"]["success"], true);
    assert_eq!(hook[0]["slo"]["slo_percent"], 99.9);
    assert_eq!(hook[0]["slo"]["window_s"], 28 * 86_400);
}

/// Slack: `text` as the fallback, `blocks` with a header and fields.
fn slack_payloads(log: &Log) {
    let slack = events(log, "/slack/");
    assert_eq!(slack.len(), 2);
    for message in &slack {
        assert!(message["text"].as_str().unwrap().len() > 10);
        assert_eq!(message["blocks"][0]["type"], "header");
        assert_eq!(message["blocks"][0]["text"]["type"], "plain_text");
        assert_eq!(message["blocks"][1]["type"], "section");
        assert_eq!(message["blocks"][1]["fields"][0]["type"], "mrkdwn");
    }
    assert!(slack[0]["text"].as_str().unwrap().starts_with("DOWN"));
    assert!(slack[1]["text"].as_str().unwrap().starts_with("RECOVERED"));
}

/// PagerDuty Events API v2: trigger, then resolve with the same dedup_key.
fn pagerduty_payloads(log: &Log, url: &str) {
    let pd = events(log, "/v2/enqueue");
    assert_eq!(pd.len(), 2);
    assert_eq!(pd[0]["routing_key"], PD_KEY);
    assert_eq!(pd[0]["event_action"], "trigger");
    assert_eq!(pd[1]["event_action"], "resolve");
    assert_eq!(pd[0]["dedup_key"], pd[1]["dedup_key"]);
    assert!(pd[0]["dedup_key"].as_str().unwrap().len() <= 255);
    let payload = &pd[0]["payload"];
    assert!(payload["summary"].as_str().unwrap().len() <= 1024);
    assert_eq!(payload["source"], url);
    assert_eq!(payload["severity"], "critical");
    assert!(cfready::timestamp::Timestamp::parse(payload["timestamp"].as_str().unwrap()).is_some());
    assert!(payload["custom_details"].is_object());
}

/// Opsgenie Alert API v2: create with an alias, close by that alias.
fn opsgenie_payloads(log: &Log) {
    let og: Vec<Received> = log
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.path.starts_with("/v2/alerts"))
        .cloned()
        .collect();
    assert_eq!(og.len(), 2);
    assert_eq!(og[0].path, "/v2/alerts");
    assert_eq!(
        og[0].header("authorization"),
        Some(format!("GenieKey {OG_KEY}").as_str())
    );
    let create = og[0].json();
    assert!(create["message"].as_str().unwrap().chars().count() <= 130);
    assert_eq!(create["priority"], "P1");
    assert!(
        create["details"]
            .as_object()
            .unwrap()
            .values()
            .all(Value::is_string)
    );
    let alias = create["alias"].as_str().unwrap();
    assert!(alias.len() <= 512);
    assert!(
        og[1].path.ends_with("/close?identifierType=alias"),
        "{}",
        og[1].path
    );
    assert!(
        og[1].path.contains("cfready%3Ahttp%3A%2F%2F127.0.0.1"),
        "{}",
        og[1].path
    );
    assert_eq!(og[1].json()["source"], "cfready");
}

/// Email: one message each way, to contacts.slo_alerts or ?to=; the messages.
fn emails(mails: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    let mails = mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 2, "{mails:#?}");
    assert!(
        mails[0].contains("Subject: [cfready] DOWN: "),
        "{}",
        mails[0]
    );
    assert!(
        mails[1].contains("Subject: [cfready] RECOVERED: "),
        "{}",
        mails[1]
    );
    assert!(mails[0].contains("To: reliability@acme.example"));
    mails
}

#[test]
fn one_outage_gives_one_trigger_and_one_resolve_on_every_kind_of_target() {
    // Requests 2 and 3 fail: one outage, whatever rounds a busy machine skips.
    let url = health(|n| (2..4).contains(&n));
    let (http, log) = receiver(|_| Some("202 Accepted"));
    let (smtp_port, mails) = smtp();
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.db");
    let base = format!("http://127.0.0.1:{http}");
    let mut command = monitor(&url, &history, "7s");
    command.env("SLACK_URL", format!("{base}/slack/T0/B0/{SLACK_TOKEN}"));
    command.args(["--notify", &format!("webhook:{base}/hook")]);
    command.args(["--notify", "slack:env:SLACK_URL"]);
    command.args([
        "--notify",
        &format!("pagerduty:env:PD_KEY,endpoint={base}/v2/enqueue"),
    ]);
    command.args([
        "--notify",
        &format!("opsgenie:env:OG_KEY,endpoint={base}/v2/alerts"),
    ]);
    command.args([
        "--notify",
        &format!("email:smtp://127.0.0.1:{smtp_port}?tls=none&to=reliability@acme.example"),
    ]);
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    webhook_payloads(&log, &url);
    slack_payloads(&log);
    pagerduty_payloads(&log, &url);
    opsgenie_payloads(&log);
    let mails = emails(&mails);

    // Each delivery is a row of the store; no secret anywhere, in its bytes or its export.
    let (_, export, _) = run(cfready().args(["history", "export", history.to_str().unwrap()]));
    let text = String::from_utf8_lossy(&std::fs::read(&history).unwrap()).into_owned() + &export;
    let read = crate::read_store(&history);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(read.deliveries.len(), 10, "{:#?}", read.deliveries);
    assert!(
        read.deliveries
            .iter()
            .all(|d| d.outcome == Outcome::Delivered)
    );
    for secret in [PD_KEY, OG_KEY, SLACK_TOKEN] {
        for (name, shown) in [("history", &text), ("stdout", &stdout), ("stderr", &stderr)] {
            assert!(!shown.contains(secret), "{name} shows a secret:\n{shown}");
        }
    }
    assert!(
        stderr.contains("notify: pagerduty:env:PD_KEY: 2 alerts delivered"),
        "{stderr}"
    );
    assert!(stderr.contains("notify: slack:env:SLACK_URL: 2 alerts delivered"));

    // slo lists them, in human and JSON output.
    let (_, slo, _) = slo_at(&history, &[]);
    assert!(
        slo.contains("alerts sent by monitor --notify: 10 delivered, 0 not delivered"),
        "{slo}"
    );
    let (_, json, _) = slo_at(&history, &["--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["alerts_sent"].as_array().unwrap().len(), 10);
    assert_eq!(json["alerts_sent"][0]["outcome"], "delivered");

    // The figures of the closing note: one payload per kind, secrets redacted.
    if std::env::var_os("CFREADY_SHOW_PAYLOADS").is_some() {
        let redact = |t: &str| {
            t.replace(PD_KEY, "<PD_KEY>")
                .replace(OG_KEY, "<OG_KEY>")
                .replace(SLACK_TOKEN, "<TOKEN>")
        };
        for r in log.lock().unwrap().iter() {
            eprintln!("POST {}\n{}\n", redact(&r.path), redact(&r.body));
        }
        eprintln!("{}", mails[0]);
    }
}

#[test]
fn a_restart_between_trigger_and_resolve_sends_no_second_trigger() {
    // Requests 1 to 4 fail: the first run sees the outage begin, the second sees it end.
    let url = health(|n| (1..5).contains(&n));
    let (http, log) = receiver(|_| Some("202 Accepted"));
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.db");
    let target = format!("pagerduty:env:PD_KEY,endpoint=http://127.0.0.1:{http}/v2/enqueue");
    let (code, _, stderr) = run(monitor(&url, &history, "3s").args(["--notify", &target]));
    assert_eq!(code, 0, "{stderr}");
    let first = events(&log, "/v2/enqueue");
    assert_eq!(first.len(), 1, "{first:#?}");
    assert_eq!(first[0]["event_action"], "trigger");
    let (code, _, stderr) = run(monitor(&url, &history, "5s").args(["--notify", &target]));
    assert_eq!(code, 0, "{stderr}");
    let all = events(&log, "/v2/enqueue");
    let actions: Vec<&str> = all
        .iter()
        .map(|e| e["event_action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["trigger", "resolve"], "{all:#?}");
    assert_eq!(all[0]["dedup_key"], all[1]["dedup_key"]);
}

#[test]
fn a_receiver_that_answers_500_twice_then_202_gets_three_attempts() {
    let url = health(|_| true);
    let (http, log) = receiver(|n| {
        Some(if n < 2 {
            "500 Internal Server Error"
        } else {
            "202 Accepted"
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.db");
    let target = format!("webhook:http://127.0.0.1:{http}/hook");
    let (code, _, stderr) = run(monitor(&url, &history, "2s").args(["--notify", &target]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(log.lock().unwrap().len(), 3);
    let read = crate::read_store(&history);
    let attempts: Vec<(u32, Outcome, Option<u16>)> = read
        .deliveries
        .iter()
        .map(|d| (d.attempt, d.outcome, d.status))
        .collect();
    assert_eq!(
        attempts,
        [
            (1, Outcome::Retry, Some(500)),
            (2, Outcome::Retry, Some(500)),
            (3, Outcome::Delivered, Some(202))
        ]
    );
    assert!(stderr.contains("1 alert delivered"), "{stderr}");
}

#[test]
fn a_receiver_that_never_answers_does_not_shift_the_rounds() {
    let url = health(|_| true);
    let (http, _log) = receiver(|_| None);
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.db");
    let target = format!("webhook:http://127.0.0.1:{http}/hook");
    let (code, _, stderr) = run(monitor(&url, &history, "5s").args([
        "--notify",
        &target,
        "--notify-timeout",
        "2500ms",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let read = crate::read_store(&history);
    // The trigger was raised by the first round; its first attempt ended (no answer) only
    // after the rounds that followed were written: they did not wait for it.
    let first_attempt = read.deliveries.first().expect("an attempt was recorded").at;
    let rounds_before = read
        .observations
        .iter()
        .filter(|o| o.at < first_attempt)
        .count();
    assert!(
        rounds_before >= 2,
        "rounds waited for the delivery: {:#?}",
        read.observations
    );
    let start = read.observations[0].at;
    // Every round started in its own slot of the schedule (start + n x 1 s, to the nearest
    // slot): none waited for the delivery in flight.
    let slots: Vec<u128> = read
        .observations
        .iter()
        .map(|o| (o.at.since(start).as_millis() + 500) / 1000)
        .collect();
    assert!(slots.windows(2).all(|w| w[0] < w[1]), "{slots:?}");
    assert!(
        read.deliveries
            .iter()
            .all(|d| d.outcome != Outcome::Delivered)
    );
    assert!(
        read.deliveries.iter().any(|d| d
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no answer within"))),
        "{:#?}",
        read.deliveries
    );
    assert!(
        stderr.contains("failure not delivered to webhook:http://127.0.0.1"),
        "{stderr}"
    );
    assert!(stderr.contains("NOT delivered"), "{stderr}");
}

#[test]
fn notify_test_sends_one_marked_event_to_every_target_and_fails_when_one_fails() {
    let (http, log) = receiver(|_| Some("200 OK"));
    let mut command = cfready();
    command.args([
        "monitor",
        "--url",
        "https://app.example.com/health",
        "--notify-test",
    ]);
    command.args(["--notify", &format!("webhook:http://127.0.0.1:{http}/hook")]);
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    let hook = events(&log, "/hook");
    assert_eq!(hook.len(), 1);
    assert_eq!(hook[0]["event"], "test");
    assert_eq!(hook[0]["test"], true);
    assert!(hook[0]["summary"].as_str().unwrap().starts_with("TEST"));
    // A Slack URL whose token must not show, to a port where nothing listens.
    let mut command = cfready();
    command.args([
        "monitor",
        "--url",
        "https://app.example.com/health",
        "--notify-test",
    ]);
    command.args(["--notify", &format!("webhook:http://127.0.0.1:{http}/hook")]);
    command.args([
        "--notify",
        &format!("slack:http://127.0.0.1:1/services/T0/{SLACK_TOKEN}"),
    ]);
    command.args(["--notify-timeout", "2s", "--notify-backoff", "10ms"]);
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("notify-test: slack:http://127.0.0.1:1/…: FAILED after 3 attempts"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 2 targets accepted"), "{stderr}");
    assert!(!stderr.contains(SLACK_TOKEN), "{stderr}");
}

#[test]
fn a_target_without_its_secret_is_a_usage_error_that_names_the_variable() {
    let mut command = cfready();
    command.args(["monitor", "--url", "https://app.example.com/health"]);
    command.args(["--notify", "pagerduty:env:CFREADY_TEST_UNSET_KEY"]);
    command.env_remove("CFREADY_TEST_UNSET_KEY");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the environment variable CFREADY_TEST_UNSET_KEY is not set"),
        "{stderr}"
    );
}

#[test]
fn a_trigger_no_attempt_delivered_goes_out_again_after_a_restart_under_the_same_key() {
    // The outage lasts through both runs; the receiver fails the first run's three attempts.
    let url = health(|_| true);
    let (http, log) = receiver(|n| {
        Some(if n < 3 {
            "503 Service Unavailable"
        } else {
            "202 Accepted"
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.db");
    let target = format!("pagerduty:env:PD_KEY,endpoint=http://127.0.0.1:{http}/v2/enqueue");
    let (code, _, stderr) = run(monitor(&url, &history, "2s").args(["--notify", &target]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("failure not delivered to pagerduty:env:PD_KEY after 3 attempts"),
        "{stderr}"
    );
    let (code, _, stderr) = run(monitor(&url, &history, "2s").args(["--notify", &target]));
    assert_eq!(code, 0, "{stderr}");
    let all = events(&log, "/v2/enqueue");
    assert_eq!(all.len(), 4, "{all:#?}");
    assert!(all.iter().all(|e| e["event_action"] == "trigger"));
    assert!(all.iter().all(|e| e["dedup_key"] == all[0]["dedup_key"]));
    let read = crate::read_store(&history);
    assert_eq!(read.deliveries.last().unwrap().outcome, Outcome::Delivered);
}

/// A store that cannot grow (a file-size limit stands for a full disk; SIGXFSZ ignored, so a
/// write fails as on a full disk): the monitor goes on probing, holds the rounds, says so on
/// stderr, raises one `history-unwritable` alert, and leaves the store undamaged.
#[cfg(unix)]
#[test]
fn a_store_that_cannot_be_written_raises_one_alert_and_the_monitor_goes_on() {
    let health = serve(|mut stream: TcpStream| {
        let _ = read_request(&mut stream);
        let _ = stream.write_all(&response("200 OK", &[], "ok"));
    });
    let (hook, log) = receiver(|_| Some("200 OK"));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("h.db");
    let output = std::process::Command::new("bash")
        .args(["-c", "trap '' XFSZ; ulimit -f 96; exec \"$0\" \"$@\""])
        .arg(assert_cmd::cargo::cargo_bin("cfready"))
        .args([
            "monitor",
            "--allow-private",
            "--url",
            &format!("http://127.0.0.1:{health}/health"),
            "--every",
            "50ms",
            "--for",
            "2s",
            "--store",
            store.to_str().unwrap(),
            "--notify",
            &format!("webhook:http://127.0.0.1:{hook}/hook"),
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("the store cannot be written"), "{stderr}");
    assert!(
        stderr.contains("observations could not be written"),
        "{stderr}"
    );
    let events: Vec<String> = log
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.json()["event"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        events.iter().filter(|e| *e == "history-unwritable").count(),
        1,
        "{events:?}"
    );
    let found = cfready::badge::store::Reader::open(&store)
        .unwrap()
        .verify()
        .unwrap();
    assert!(found.damage.is_empty(), "{:?}", found.damage);
}

/// One store, one monitor: a second one on the same store is refused, exit 2, and the first
/// goes on.
#[test]
fn a_second_monitor_on_the_same_store_is_refused() {
    let health = serve(|mut stream: TcpStream| {
        let _ = read_request(&mut stream);
        let _ = stream.write_all(&response("200 OK", &[], "ok"));
    });
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("h.db");
    let url = format!("http://127.0.0.1:{health}/health");
    let args = |run_for: &'static str| {
        vec![
            "monitor".to_owned(),
            "--allow-private".to_owned(),
            "--url".to_owned(),
            url.clone(),
            "--every".to_owned(),
            "100ms".to_owned(),
            "--for".to_owned(),
            run_for.to_owned(),
            "--store".to_owned(),
            store.to_str().unwrap().to_owned(),
        ]
    };
    let first = crate::Reaped(Some(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("cfready"))
            .args(args("60s"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    ));
    let mut waited = 0;
    while crate::read_store(&store).observations.is_empty() {
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
        assert!(waited < 1200, "the first monitor wrote nothing");
    }
    let (code, _, stderr) = run(cfready().args(args("1s")));
    drop(first);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("another cfready monitor is writing this store"),
        "{stderr}"
    );
}
