//! `cfready probe` and `cfready check` against real servers on 127.0.0.1: a `TcpListener`
//! thread per test that answers with raw bytes, so every misbehaviour (a slow status line, a
//! stalled body, a closed socket, a redirect) is exactly what the test wrote.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::{cfready, root, run};

/// A server on 127.0.0.1 that hands every connection to `handler` on its own thread.
pub(super) fn serve(handler: impl Fn(TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("bound").port();
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let handler = handler.clone();
            std::thread::spawn(move || handler(stream));
        }
    });
    port
}

/// Read the request head (up to the blank line), so that the client is not reset. A failed
/// TLS handshake, or a client that sends nothing for 5 s, reads nothing.
pub(super) fn read_request(stream: &mut impl Read) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// A whole response: status line, headers, a body with its length.
pub(super) fn response(status: &str, headers: &[&str], body: &str) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status}\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    text.into_bytes()
}

/// A server that answers every request the same way, after `delay`.
fn answering(status: &'static str, headers: &'static [&'static str], delay: Duration) -> u16 {
    serve(move |mut stream| {
        read_request(&mut stream);
        std::thread::sleep(delay);
        let _ = stream.write_all(&response(status, headers, "{\"status\":\"ok\"}"));
    })
}

/// How long a server that "never answers" holds a connection open: far beyond any limit the
/// probe has, so a probe that does not cut the request gets a late answer and fails the test
/// (rather than hanging it).
const NEVER: Duration = Duration::from_secs(60);

/// A server that reads the request and answers nothing until the client gives up (closes the
/// connection) or `NEVER` passes, then a 200: only a probe that cuts the request at its limit
/// reports a timeout.
fn never_answering() -> u16 {
    serve(|mut stream| {
        read_request(&mut stream);
        let _ = stream.set_read_timeout(Some(NEVER));
        let mut rest = [0u8; 64];
        // Returns at the client's close (0 bytes or an error), or after NEVER.
        let _ = stream.read(&mut rest);
        let _ = stream.write_all(&response("200 OK", &[], "{\"status\":\"ok\"}"));
    })
}

fn ok_server() -> u16 {
    answering("200 OK", &[], Duration::ZERO)
}

/// `cfready probe --url URL --allow-private` with extra arguments.
fn probe_url(url: &str, extra: &[&str]) -> (i32, String, String) {
    run(cfready()
        .args(["probe", "--url", url, "--allow-private"])
        .args(extra))
}

/// `cfready probe ARGS...`, which must fail (exit 1) with finding `code` and `words` in it.
fn fails_with(args: &[&str], code: &str, words: &str) -> String {
    let (exit, stdout, _) = run(cfready().arg("probe").args(args));
    assert_eq!(exit, 1, "{args:?}: {stdout}");
    assert!(
        stdout.contains(&format!("error[{code}]")),
        "{args:?}: {stdout}"
    );
    assert!(stdout.contains(words), "{args:?}: {stdout}");
    stdout
}

/// The human output marks `passed` ok and `failed` FAIL.
fn assert_one_passed(stdout: &str, passed: &str, failed: &str) {
    assert!(stdout.contains(&format!("ok   GET {passed}\n")), "{stdout}");
    assert!(stdout.contains(&format!("FAIL GET {failed}\n")), "{stdout}");
}

/// The codes in a `--format json` output.
fn json_codes(stdout: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    value["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|file| file["diagnostics"].as_array().expect("diagnostics").clone())
        .map(|d| d["code"].as_str().expect("code").to_owned())
        .collect()
}

fn json_probe(url: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let (code, stdout, _) = probe_url(url, &[&["--format", "json"], extra].concat());
    (code, serde_json::from_str(&stdout).expect("JSON output"))
}

#[test]
fn a_fast_200_passes() {
    let port = ok_server();
    let url = format!("http://127.0.0.1:{port}/healthcheck");
    let (code, stdout, stderr) = probe_url(&url, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(&format!("ok   GET {url}")), "{stdout}");
    assert!(stdout.contains("200 OK in "), "{stdout}");
    assert!(
        stdout.contains("Probe passed: the URL answered 200 OK within 3 s on every request."),
        "{stdout}"
    );
    assert!(
        stderr.is_empty(),
        "no progress bar without a terminal: {stderr}"
    );
}

#[test]
fn the_request_is_an_anonymous_get_naming_cfready() {
    let (sender, received) = std::sync::mpsc::channel();
    let sender = std::sync::Mutex::new(sender);
    let port = serve(move |mut stream| {
        let head = read_request(&mut stream);
        let _ = stream.write_all(&response("200 OK", &[], "ok"));
        let _ = sender.lock().unwrap().send(head);
    });
    let (code, ..) = probe_url(&format!("http://127.0.0.1:{port}/health?x=1"), &[]);
    assert_eq!(code, 0);
    let head = received
        .recv_timeout(Duration::from_secs(5))
        .expect("a request");
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("get /health?x=1 http/1.1\r\n"), "{head}");
    assert!(
        head.contains(&format!(
            "user-agent: cfready/{}",
            env!("CARGO_PKG_VERSION")
        )),
        "{head}"
    );
    assert!(!head.contains("authorization:"), "{head}");
    assert!(!head.contains("cookie:"), "{head}");
}

#[test]
fn a_200_after_the_limit_is_a_timeout_before_headers() {
    let port = never_answering();
    let (code, json) = json_probe(
        &format!("http://127.0.0.1:{port}/"),
        &["--timeout", "400ms"],
    );
    assert_eq!(code, 1);
    let diagnostic = &json["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "CF705");
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("no response within 400 ms: the status line and headers did not arrive"),
        "{diagnostic}"
    );
    assert_eq!(
        json["probe"][0]["attempts"][0]["failure"]["kind"],
        "timeout-before-headers"
    );
}

#[test]
fn a_slow_200_under_the_limit_passes() {
    // 300 ms late against a 2 s limit: a busy machine may add to the 300 ms, not 1.7 s of it.
    let port = answering("200 OK", &[], Duration::from_millis(300));
    let (code, json) = json_probe(&format!("http://127.0.0.1:{port}/"), &["--timeout", "2s"]);
    assert_eq!(code, 0, "{json}");
    let total = json["probe"][0]["attempts"][0]["total_time"]
        .as_f64()
        .unwrap();
    assert!((300.0..2000.0).contains(&total), "{total}");
}

/// The program's limit is 3 s: an answer after 2 s passes without `--timeout`, a request that
/// is never answered is cut at 3 s. Both URLs are probed at once: the slow one's request
/// arrives before the fine one has answered (an order, not a wall-clock bound).
#[test]
fn the_default_limit_is_three_seconds() {
    let events = Arc::new(std::sync::Mutex::new(Vec::<&'static str>::new()));
    let log = events.clone();
    let fine = serve(move |mut stream| {
        read_request(&mut stream);
        std::thread::sleep(Duration::from_secs(2));
        log.lock().unwrap().push("fine answered");
        let _ = stream.write_all(&response("200 OK", &[], "{\"status\":\"ok\"}"));
    });
    let log = events.clone();
    let slow = serve(move |mut stream| {
        read_request(&mut stream);
        log.lock().unwrap().push("slow asked");
        let _ = stream.set_read_timeout(Some(NEVER));
        let _ = stream.read(&mut [0u8; 64]);
        let _ = stream.write_all(&response("200 OK", &[], "{}"));
    });
    let (code, stdout, _) = run(cfready().args([
        "probe",
        "--allow-private",
        "--url",
        &format!("http://127.0.0.1:{fine}/"),
        "--url",
        &format!("http://127.0.0.1:{slow}/"),
    ]));
    assert_eq!(code, 1, "{stdout}");
    assert_one_passed(
        &stdout,
        &format!("http://127.0.0.1:{fine}/"),
        &format!("http://127.0.0.1:{slow}/"),
    );
    assert!(stdout.contains("error[CF705]"), "{stdout}");
    assert!(stdout.contains("no response within 3 s"), "{stdout}");
    assert_eq!(
        *events.lock().unwrap(),
        ["slow asked", "fine answered"],
        "the base URLs were not probed at once"
    );
}

#[test]
fn the_timeout_may_only_be_lowered() {
    let (code, _, stderr) = probe_url("http://127.0.0.1:9/", &["--timeout", "5s"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--timeout may only lower the program's 3000 ms limit"),
        "{stderr}"
    );
}

#[test]
fn redirects_are_failures_with_their_location() {
    for status in ["301 Moved Permanently", "302 Found"] {
        let port = serve(move |mut stream| {
            read_request(&mut stream);
            let _ = stream.write_all(&response(
                status,
                &["Location: https://elsewhere.example/healthcheck"],
                "",
            ));
        });
        fails_with(
            &[
                "--allow-private",
                "--url",
                &format!("http://127.0.0.1:{port}/healthcheck"),
            ],
            "CF706",
            &format!(
                "answered {status} to `https://elsewhere.example/healthcheck`: the monitor does not follow redirects"
            ),
        );
    }
}

#[test]
fn statuses_other_than_200_fail_with_a_reason() {
    for (status, reason) in [
        (
            "500 Internal Server Error",
            "the app reports itself unhealthy",
        ),
        (
            "201 Created",
            "only 200 counts (any 2xx did before April 2023)",
        ),
        ("204 No Content", "only 200 counts"),
        ("401 Unauthorized", "the monitor does not authenticate"),
        ("403 Forbidden", "the monitor does not authenticate"),
        ("404 Not Found", "the path does not exist on this base URL"),
    ] {
        let port = answering(status, &[], Duration::ZERO);
        fails_with(
            &[
                "--allow-private",
                "--url",
                &format!("http://127.0.0.1:{port}/"),
            ],
            "CF707",
            &format!("answered {status}: {reason}"),
        );
    }
}

#[test]
fn static_file_headers_warn_unless_no_store() {
    let static_port = answering(
        "200 OK",
        &[
            "ETag: \"5f2b-1a\"",
            "Last-Modified: Tue, 03 Nov 2026 10:00:00 GMT",
            "Accept-Ranges: bytes",
        ],
        Duration::ZERO,
    );
    let (code, stdout, _) = probe_url(&format!("http://127.0.0.1:{static_port}/"), &[]);
    assert_eq!(code, 0, "a warning does not fail the probe: {stdout}");
    assert!(
        stdout.contains(
            "warning[CF710]: GET http://127.0.0.1:{port}/: the response looks like a static file (etag, last-modified, accept-ranges without Cache-Control: no-store)"
                .replace("{port}", &static_port.to_string())
                .as_str()
        ),
        "{stdout}"
    );
    let (code, _, _) = probe_url(&format!("http://127.0.0.1:{static_port}/"), &["--strict"]);
    assert_eq!(code, 1, "--strict fails on the warning");

    let dynamic = answering(
        "200 OK",
        &["ETag: \"5f2b-1a\"", "Cache-Control: no-cache, no-store"],
        Duration::ZERO,
    );
    let (code, stdout, _) = probe_url(&format!("http://127.0.0.1:{dynamic}/"), &["--strict"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("CF710"), "{stdout}");
}

#[test]
fn a_50_mb_body_is_read_to_the_cap_and_dropped() {
    const SIZE: usize = 50 * 1024 * 1024;
    let port = serve(|mut stream| {
        read_request(&mut stream);
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {SIZE}\r\n\r\n");
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        // Stops when the probe hangs up after its cap.
        while sent < SIZE && stream.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
    });
    let (code, json) = json_probe(&format!("http://127.0.0.1:{port}/"), &["--timeout", "2s"]);
    assert_eq!(code, 0, "{json}");
    let attempt = &json["probe"][0]["attempts"][0];
    assert_eq!(attempt["body_capped"], true);
    let read = attempt["body_bytes"].as_u64().unwrap();
    assert!(
        read > 1024 * 1024 && read < 2 * 1024 * 1024,
        "read {read} bytes"
    );
    assert_eq!(json_codes(&json.to_string()), ["CF712"]);
}

#[test]
fn headers_then_a_stalled_body_is_a_timeout_while_reading_the_body() {
    let port = serve(|mut stream| {
        read_request(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"sta");
        // Stall until the client gives up; a probe that waited would see the connection
        // closed after NEVER, a different failure than the one asserted below.
        let _ = stream.set_read_timeout(Some(NEVER));
        let _ = stream.read(&mut [0u8; 64]);
    });
    let (code, json) = json_probe(&format!("http://127.0.0.1:{port}/"), &["--timeout", "2s"]);
    assert_eq!(code, 1);
    let attempt = &json["probe"][0]["attempts"][0];
    assert_eq!(attempt["status"], 200);
    assert_eq!(attempt["failure"]["kind"], "timeout-reading-body");
    assert!(attempt["time_to_headers"].as_f64().unwrap() < 2000.0);
    let message = json["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("the headers arrived but the body did not finish within 2 s"),
        "{message}"
    );
}

#[test]
fn a_body_that_streams_forever_cannot_hang_the_probe() {
    let port = serve(|mut stream| {
        read_request(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        // One small chunk every 50 ms: never past the cap, never finished.
        while stream.write_all(b"1\r\nx\r\n").is_ok() {
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let (code, json) = json_probe(&format!("http://127.0.0.1:{port}/"), &["--timeout", "2s"]);
    assert_eq!(code, 1);
    assert_eq!(
        json["probe"][0]["attempts"][0]["failure"]["kind"],
        "timeout-reading-body"
    );
}

#[test]
fn a_connection_closed_without_a_response_is_named() {
    let port = serve(|mut stream| {
        read_request(&mut stream);
        drop(stream);
    });
    fails_with(
        &[
            "--allow-private",
            "--url",
            &format!("http://127.0.0.1:{port}/"),
        ],
        "CF703",
        "no response: the server closed the connection",
    );
}

#[test]
fn a_refused_connection_is_named() {
    // Bind, note the port, and close it again: nothing listens there now.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let stdout = fails_with(
        &[
            "--allow-private",
            "--url",
            &format!("http://127.0.0.1:{port}/"),
        ],
        "CF703",
        &format!("GET http://127.0.0.1:{port}/: connection refused"),
    );
    assert!(stdout.contains("is the service running, and is the port right?"));
}

#[test]
fn hosts_the_monitor_cannot_reach_are_refused_unless_allowed() {
    let port = ok_server();
    for (url, words) in [
        (
            format!("http://127.0.0.1:{port}/"),
            "`127.0.0.1` is a loopback address, which Atlassian cannot reach",
        ),
        (
            format!("http://localhost:{port}/"),
            "`localhost` is the local machine (localhost), which Atlassian cannot reach",
        ),
        (
            "http://10.1.2.3/".to_owned(),
            "`10.1.2.3` is a private address",
        ),
        (
            "http://[fd00::1]/".to_owned(),
            "`fd00::1` is a unique-local (private) IPv6 address",
        ),
        (
            "http://169.254.169.254/latest/meta-data/".to_owned(),
            "`169.254.169.254` is a link-local address",
        ),
        (
            "https://timesheets.internal/healthcheck".to_owned(),
            "`timesheets.internal` is a private `.internal` name",
        ),
        (
            "https://printer.local/healthcheck".to_owned(),
            "`printer.local` is a private `.local` name",
        ),
    ] {
        fails_with(&["--url", &url], "CF701", words);
    }
    let (code, stdout, _) = probe_url(&format!("http://localhost:{port}/"), &[]);
    assert_eq!(code, 0, "allowed with --allow-private: {stdout}");
}

#[test]
fn an_unresolvable_name_is_a_dns_failure() {
    // `.invalid` is reserved (RFC 6761): it never resolves, with or without a network.
    fails_with(
        &["--url", "https://timesheets.acme.invalid/healthcheck"],
        "CF702",
        "DNS failure: cannot resolve `timesheets.acme.invalid`",
    );
}

#[test]
fn samples_report_the_success_rate_and_latency() {
    let port = ok_server();
    let (code, json) = json_probe(
        &format!("http://127.0.0.1:{port}/"),
        &["--samples", "5", "--interval", "10ms"],
    );
    assert_eq!(code, 0, "{json}");
    let probe = &json["probe"][0];
    assert_eq!(probe["attempts"].as_array().unwrap().len(), 5);
    assert_eq!(probe["successes"], 5);
    assert!(probe["latency_ms"]["p95"].as_f64().unwrap() < 1000.0);
    let (_, stdout, _) = probe_url(&format!("http://127.0.0.1:{port}/"), &["--samples", "3"]);
    assert!(
        stdout.contains("3/3 succeeded (100.0 %) · p50 "),
        "{stdout}"
    );
    assert!(stdout.contains(" · headroom to 3 s: "), "{stdout}");
}

#[test]
fn a_slow_p95_warns() {
    let port = answering("200 OK", &[], Duration::from_millis(1100));
    let (code, stdout, _) = probe_url(&format!("http://127.0.0.1:{port}/"), &["--samples", "2"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[CF708]"), "{stdout}");
    assert!(stdout.contains("of headroom to the 3 s limit"), "{stdout}");
}

#[test]
fn intermittent_failures_are_counted() {
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let port = serve(move |mut stream| {
        read_request(&mut stream);
        let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let status = if n % 2 == 1 {
            "503 Service Unavailable"
        } else {
            "200 OK"
        };
        let _ = stream.write_all(&response(status, &[], "{}"));
    });
    let (code, stdout, _) = probe_url(&format!("http://127.0.0.1:{port}/"), &["--samples", "4"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("2/4 succeeded (50.0 %)"), "{stdout}");
    assert!(
        stdout.contains("answered 503 Service Unavailable: the app reports itself unhealthy, or the server failed (2 of 4 requests)"),
        "{stdout}"
    );
}

/// The example questionnaire with its two base URLs pointed at local servers.
fn questionnaire_with(base_urls: [&str; 2]) -> tempfile::NamedTempFile {
    let example = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml")).unwrap();
    let text = example
        .replacen(
            "https://timesheets.acme.example\n",
            &format!("{}\n", base_urls[0]),
            1,
        )
        .replacen(
            "https://eu.timesheets.acme.example\n",
            &format!("{}\n", base_urls[1]),
            1,
        );
    assert_ne!(text, example);
    let mut file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

#[test]
fn two_base_urls_where_one_fails() {
    let good = ok_server();
    let bad = answering("503 Service Unavailable", &[], Duration::ZERO);
    let file = questionnaire_with([
        &format!("http://127.0.0.1:{good}"),
        &format!("http://127.0.0.1:{bad}"),
    ]);
    let path = file.path().to_str().unwrap();
    let (code, stdout, _) = run(cfready().args(["probe", path, "--allow-private"]));
    assert_eq!(code, 1, "{stdout}");
    assert_one_passed(
        &stdout,
        &format!("http://127.0.0.1:{good}/healthcheck"),
        &format!("http://127.0.0.1:{bad}/healthcheck"),
    );
    // The finding points at the failing base URL in the questionnaire: line 18, its value.
    assert!(stdout.contains(&format!("{path}:18:7")), "{stdout}");
    assert!(
        stdout.contains("Probe failed: 1 of 2 URLs did not answer 200 OK within the limit"),
        "{stdout}"
    );
    // The questionnaire's own findings (http base URLs) are lint's business, not the probe's.
    assert!(!stdout.contains("CF2"), "{stdout}");
}

#[test]
fn a_questionnaire_without_a_health_check_has_nothing_to_probe() {
    // A Forge app without a remote: said in Forge's terms (CF715), not CF207's Connect ones.
    let (code, stdout, _) = run(cfready().args(["probe", "tests/fixtures/probe/forge-app.yaml"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[CF715]: nothing to probe: a Forge app without a remote runs on Atlassian's platform"),
        "{stdout}"
    );
    assert!(!stdout.contains("CF207"), "{stdout}");
}

/// A Forge app with a remote and a health check: `check` probes it as `probe` does, both with
/// the same finding, and the ticket says whose monitor requests it (not Atlassian's).
#[test]
fn check_probe_and_the_ticket_agree_on_a_forge_remote_health_check() {
    let bad = answering("503 Service Unavailable", &[], Duration::ZERO);
    let file = questionnaire_with([
        &format!("http://127.0.0.1:{bad}"),
        &format!("http://127.0.0.1:{bad}/eu"),
    ]);
    let text = std::fs::read_to_string(file.path())
        .unwrap()
        .replacen("framework: connect", "framework: forge", 1)
        .replacen(
            "key: com.acme.timesheets",
            "key: ari:cloud:ecosystem::app/5f0c1e2a-7b3d-4c8e-9a61-2d4f8b7e1c03",
            1,
        );
    std::fs::write(file.path(), text).unwrap();
    let path = file.path().to_str().unwrap();
    let (probe_code, probed, _) = run(cfready().args(["probe", path, "--allow-private"]));
    let (check_code, checked, _) = run(cfready().args(["check", path, "--allow-private"]));
    assert_eq!((probe_code, check_code), (1, 1), "{probed}{checked}");
    assert!(probed.contains("error[CF707]"), "{probed}");
    assert!(checked.contains("error[CF707]"), "{checked}");
    assert!(checked.contains("[FAIL] Health check"), "{checked}");
    let (_, ticket, _) = run(cfready().args(["render", path, "--force"]));
    assert!(
        ticket.contains("the partner's own monitor requests the health check URL of each (Atlassian documents no health check for a Forge app with a remote)"),
        "{ticket}"
    );
    assert!(!ticket.contains("Atlassian's monitor requests"), "{ticket}");
    // After approval, the monitor's summary and `slo` speak of alerts by Atlassian's rule, not
    // of emails Atlassian would have sent: the store records that the app is a Forge app.
    let store = tempfile::tempdir().unwrap();
    let history = store.path().join("h.db");
    let (code, summary, stderr) = run(cfready()
        .args([
            "monitor",
            path,
            "--allow-private",
            "--every",
            "100ms",
            "--for",
            "1s",
        ])
        .arg("--store")
        .arg(&history));
    // At risk (every request failed, for a second): exit 0.
    assert_eq!(code, 0, "{summary}{stderr}");
    assert!(
        summary
            .contains("alerts by Atlassian's rule (no email: Atlassian documents none for Forge)")
            || summary.contains("1 alert by Atlassian's rule"),
        "{summary}"
    );
    assert!(!summary.contains("Atlassian would have sent"), "{summary}");
    let (_, json, _) = run(cfready().args(["slo", "--format", "json"]).arg(&history));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["urls"][0]["forge"], true, "{json}");
    let (_, html, _) = run(cfready().args(["slo", "--format", "html"]).arg(&history));
    assert!(html.contains("a Forge remote's health check: Atlassian documents no email for Forge"));
    let (_, year, _) = run(cfready()
        .args(["slo", "--year", "--format", "html"])
        .arg(&history));
    assert!(
        year.contains("for a Forge app's remote, counted by the same rule"),
        "{year}"
    );
}

#[test]
fn a_self_signed_certificate_is_a_tls_failure() {
    let port = tls::server(tls::self_signed());
    fails_with(
        &[
            "--allow-private",
            "--url",
            &format!("https://127.0.0.1:{port}/healthcheck"),
        ],
        "CF704",
        "TLS failure: the certificate is not signed by a trusted authority (unknown issuer; self-signed?)",
    );
}

/// `cfready probe --url URL`, trusting the test CA in `ca_pem` (through SSL_CERT_FILE).
fn probe_trusting(ca_pem: &str, url: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    run(cfready()
        .env("SSL_CERT_FILE", &ca_file)
        .env_remove("SSL_CERT_DIR")
        .args(["probe", "--allow-private", "--url", url]))
}

#[test]
fn an_expired_certificate_is_a_tls_failure() {
    let (ca_pem, chain) = tls::signed_by_test_ca(-5);
    let port = tls::server(chain);
    let (code, stdout, _) = probe_trusting(&ca_pem, &format!("https://127.0.0.1:{port}/"));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[CF704]")
            && stdout.contains("TLS failure: the certificate has expired"),
        "{stdout}"
    );
}

#[test]
fn tls_details_a_certificate_near_expiry_and_missing_hsts() {
    let (ca_pem, chain) = tls::signed_by_test_ca(10);
    let port = tls::server(chain);
    let (code, stdout, _) =
        probe_trusting(&ca_pem, &format!("https://127.0.0.1:{port}/healthcheck"));
    assert_eq!(code, 0, "warnings only: {stdout}");
    assert!(stdout.contains("200 OK in "), "{stdout}");
    assert!(stdout.contains("TLS 1.3"), "{stdout}");
    assert!(
        stdout.contains("certificate valid 9 more days")
            || stdout.contains("certificate valid 10 more days"),
        "{stdout}"
    );
    assert!(stdout.contains("warning[CF709]"), "{stdout}");
    assert!(
        stdout.contains("warning[CF711]") && stdout.contains("no Strict-Transport-Security header"),
        "{stdout}"
    );
}

#[test]
fn a_tls_1_2_server_is_reached_and_named() {
    let (ca_pem, chain) = tls::signed_by_test_ca(90);
    let port = tls::server_with(chain, &[&rustls::version::TLS12]);
    let (code, stdout, _) =
        probe_trusting(&ca_pem, &format!("https://127.0.0.1:{port}/healthcheck"));
    assert!(stdout.contains("200 OK in "), "{stdout}");
    assert!(stdout.contains("TLS 1.2"), "{stdout}");
    // The missing HSTS header is the one finding, a warning.
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[CF711]"), "{stdout}");
}

#[test]
fn check_offline_on_the_example_is_ready_except_the_probe() {
    let (code, stdout, _) =
        run(cfready().args(["check", "examples/acme-timesheets.yaml", "--offline"]));
    assert_eq!(code, 0, "{stdout}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn check_on_an_invalid_questionnaire_is_not_ready() {
    let (code, stdout, _) =
        run(cfready().args(["check", "examples/invalid/recovery.yaml", "--offline"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("[FAIL] Answer 3: service recovery plan"),
        "{stdout}"
    );
    assert!(stdout.contains("[skip] Health check"), "{stdout}");
    assert!(
        stdout.lines().last().unwrap().starts_with("Not ready: "),
        "{stdout}"
    );
}

#[test]
fn check_probes_every_base_url_and_folds_the_result_into_the_checklist() {
    let good = ok_server();
    let bad = answering("302 Found", &["Location: /login"], Duration::ZERO);
    let file = questionnaire_with([
        &format!("http://127.0.0.1:{good}"),
        &format!("http://127.0.0.1:{bad}"),
    ]);
    let path = file.path().to_str().unwrap();
    let (code, stdout, _) =
        run(cfready().args(["check", path, "--allow-private", "--format", "json"]));
    assert_eq!(code, 1, "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["readiness"]["ready"], false);
    let health = json["readiness"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["step"].as_str().unwrap().starts_with("Health check"))
        .unwrap()
        .clone();
    assert_eq!(health["status"], "fail", "{health}");
    assert!(
        health["codes"]
            .as_array()
            .unwrap()
            .contains(&"CF706".into()),
        "{health}"
    );
    assert_eq!(json["probe"].as_array().unwrap().len(), 2);
    // Lint's findings count too: a base URL without https is an error in the questionnaire.
    let codes = json_codes(&stdout);
    assert!(codes.contains(&"CF201".to_owned()), "{codes:?}");
}

/// A TLS server for the probe: rustls on a plain thread, certificates from rcgen.
mod tls {
    use std::io::Write;
    use std::sync::Arc;

    use rcgen::{CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

    pub struct Chain {
        certificates: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    }

    fn leaf_params(days: i64) -> CertificateParams {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.subject_alt_names = vec![SanType::IpAddress("127.0.0.1".parse().unwrap())];
        params
            .distinguished_name
            .push(DnType::CommonName, "cfready test server");
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(30);
        params.not_after = now + time::Duration::days(days) + time::Duration::hours(1);
        params
    }

    /// A certificate for 127.0.0.1 that signs itself.
    pub fn self_signed() -> Chain {
        let key = KeyPair::generate().unwrap();
        let certificate = leaf_params(90).self_signed(&key).unwrap();
        Chain {
            certificates: vec![certificate.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        }
    }

    /// A test CA (returned as PEM, for SSL_CERT_FILE) and a leaf it signed that expires in
    /// `days` days.
    pub fn signed_by_test_ca(days: i64) -> (String, Chain) {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "cfready test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let key = KeyPair::generate().unwrap();
        let leaf = leaf_params(days).signed_by(&key, &issuer).unwrap();
        (
            ca.pem(),
            Chain {
                certificates: vec![leaf.der().clone()],
                key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            },
        )
    }

    /// Serve `200 OK` over TLS with this chain, TLS 1.2 and 1.3 offered.
    pub fn server(chain: Chain) -> u16 {
        server_with(chain, rustls::DEFAULT_VERSIONS)
    }

    /// Serve `200 OK` over TLS with this chain and only these protocol versions.
    pub fn server_with(
        chain: Chain,
        versions: &[&'static rustls::SupportedProtocolVersion],
    ) -> u16 {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(versions)
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain.certificates, chain.key)
            .unwrap();
        let config = Arc::new(config);
        super::serve(move |stream| {
            let Ok(connection) = rustls::ServerConnection::new(config.clone()) else {
                return;
            };
            let mut tls = rustls::StreamOwned::new(connection, stream);
            if super::read_request(&mut tls).is_empty() {
                return;
            }
            let _ = tls.write_all(&super::response("200 OK", &[], "{\"status\":\"ok\"}"));
            tls.conn.send_close_notify();
            let _ = tls.flush();
        })
    }
}

#[test]
fn check_does_not_probe_a_forge_app() {
    let (code, stdout, _) = run(cfready().args(["check", "tests/fixtures/probe/forge-app.yaml"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("[skip] Health check"), "{stdout}");
    assert!(
        stdout.ends_with(
            "Ready to submit (0 errors, 0 warnings; a Forge app without a remote declares no health check to probe, and the program asks none of it).\n"
        ),
        "{stdout}"
    );
}

#[test]
fn every_probe_rule_is_fired_by_a_test_here() {
    let tests = include_str!("probe.rs");
    for rule in cfready::ticket::registry::all()
        .filter(|r| r.family == cfready::ticket::registry::Family::Probe)
    {
        assert!(
            tests.contains(&format!("[{}]", rule.code))
                || tests.contains(&format!("\"{}\"", rule.code)),
            "{} is asserted by no probe test",
            rule.code
        );
    }
}

/// A server that answers the health check and serves a descriptor with `base_url` and `key`.
fn serving_descriptor(base_url: fn(u16) -> String, key: &'static str) -> u16 {
    serving_descriptor_after(base_url, key, |_| {})
}

/// The same, calling `before(true)` before it answers a descriptor request and
/// `before(false)` before it answers a health check.
fn serving_descriptor_after(
    base_url: fn(u16) -> String,
    key: &'static str,
    before: impl Fn(bool) + Send + Sync + 'static,
) -> u16 {
    let port = Arc::new(std::sync::OnceLock::<u16>::new());
    let own = port.clone();
    let bound = serve(move |mut stream| {
        let head = read_request(&mut stream);
        let port = *own
            .get()
            .expect("the port is known before the first request");
        let descriptor = head.starts_with("GET /atlassian-connect.json ");
        before(descriptor);
        let body = if descriptor {
            format!("{{\"key\":\"{key}\",\"baseUrl\":\"{}\"}}", base_url(port))
        } else {
            "{\"status\":\"ok\"}".to_owned()
        };
        let _ = stream.write_all(&response(
            "200 OK",
            &["Content-Type: application/json"],
            &body,
        ));
    });
    port.set(bound).unwrap();
    bound
}

/// A questionnaire whose base URLs are `base_urls` and whose health check names the
/// descriptor each serves (`descriptor_path`).
fn questionnaire_serving_descriptors(base_urls: [&str; 2]) -> tempfile::NamedTempFile {
    let file = questionnaire_with(base_urls);
    let text = std::fs::read_to_string(file.path()).unwrap().replace(
        "    checks_dependencies: true\n",
        "    checks_dependencies: true\n    descriptor_path: /atlassian-connect.json\n",
    );
    std::fs::write(file.path(), text).unwrap();
    file
}

#[test]
fn a_base_url_serving_a_descriptor_for_another_host_is_an_error() {
    let own = serving_descriptor(
        |port| format!("http://127.0.0.1:{port}"),
        "com.acme.timesheets",
    );
    let elsewhere = serving_descriptor(|_| "https://old.acme.example".to_owned(), "com.acme.other");
    let file = questionnaire_serving_descriptors([
        &format!("http://127.0.0.1:{own}"),
        &format!("http://127.0.0.1:{elsewhere}"),
    ]);
    let path = file.path().to_str().unwrap();
    let (code, stdout, _) = run(cfready().args(["probe", path, "--allow-private"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!("error[CF713]: http://127.0.0.1:{elsewhere} serves a descriptor whose baseUrl is `https://old.acme.example`")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("error[CF713]: http://127.0.0.1:{elsewhere} serves the descriptor of `com.acme.other`, not of `com.acme.timesheets`")),
        "{stdout}"
    );
    // At that base URL in the questionnaire (line 18), and nothing about the other one.
    assert!(stdout.contains(&format!("{path}:18:7")), "{stdout}");
    assert_eq!(stdout.matches("CF713").count(), 2, "{stdout}");
    assert!(!stdout.contains("CF714"), "{stdout}");
}

#[test]
fn a_descriptor_that_cannot_be_fetched_is_a_warning() {
    let port = ok_server();
    let file = questionnaire_serving_descriptors([
        &format!("http://127.0.0.1:{port}"),
        &format!("http://127.0.0.1:{port}"),
    ]);
    let (_, stdout, _) =
        run(cfready().args(["probe", file.path().to_str().unwrap(), "--allow-private"]));
    // ok_server answers {"status":"ok"} everywhere: a JSON object, but no baseUrl or key, so
    // not a descriptor that could be checked (it once passed silently).
    assert!(!stdout.contains("CF713"), "{stdout}");
    assert_eq!(
        stdout.matches(&format!("warning[CF714]: the descriptor served by http://127.0.0.1:{port} cannot be checked: it has no `key` and no `baseUrl`, which every Connect descriptor must have")).count(),
        2,
        "{stdout}"
    );
    let refused = questionnaire_serving_descriptors(["http://127.0.0.1:1", "http://127.0.0.1:1"]);
    let (code, stdout, _) =
        run(cfready().args(["probe", refused.path().to_str().unwrap(), "--allow-private"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "warning[CF714]: the descriptor served by http://127.0.0.1:1 cannot be checked"
        ),
        "{stdout}"
    );
}

/// `probe` and `check` fetch the served descriptors while the health checks are in flight,
/// not after them: the health check here answers only once both descriptor requests have
/// arrived (or after 2.5 s, inside the 3 s limit, when they never do). Fetched one after the
/// other, the health checks would answer first. An order, not a wall-clock bound.
#[test]
fn the_descriptor_is_fetched_while_the_health_check_is_answered() {
    use std::sync::{Condvar, Mutex};
    let state = Arc::new((Mutex::new(Vec::<&'static str>::new()), Condvar::new()));
    let server_state = state.clone();
    let bound = serving_descriptor_after(
        |port| format!("http://127.0.0.1:{port}"),
        "com.acme.timesheets",
        move |descriptor| {
            let (events, arrived) = &*server_state;
            if descriptor {
                events.lock().unwrap().push("descriptor asked");
                arrived.notify_all();
                return;
            }
            let asked =
                |events: &Vec<&str>| events.iter().filter(|e| **e == "descriptor asked").count();
            let guard = events.lock().unwrap();
            let (mut guard, _) = arrived
                .wait_timeout_while(guard, Duration::from_millis(2500), |events| {
                    asked(events) < 2
                })
                .unwrap();
            guard.push("health answered");
        },
    );
    let base = format!("http://127.0.0.1:{bound}");
    let file = questionnaire_serving_descriptors([&base, &base]);
    let path = file.path().to_str().unwrap();
    for command in ["probe", "check"] {
        state.0.lock().unwrap().clear();
        let (_, stdout, stderr) = run(cfready().args([command, path, "--allow-private"]));
        assert!(!stdout.contains("CF71"), "{command}: {stdout}{stderr}");
        assert!(!stdout.contains("CF705"), "{command}: {stdout}");
        assert_eq!(
            *state.0.lock().unwrap(),
            [
                "descriptor asked",
                "descriptor asked",
                "health answered",
                "health answered"
            ],
            "{command}: the descriptors were not fetched while the health checks ran"
        );
    }
}
