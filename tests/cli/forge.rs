//! `cfready slo --forge-metrics`: a Forge app's invocation success rate from local stand-ins for
//! the App metrics API's answers (tests/fixtures/forge-metrics/): an OTLP JSON export and the
//! documented GraphQL response, overlapping by one point.

use super::{cfready, run};

const EXPORT: &str = "tests/fixtures/forge-metrics/otlp-export.json";
const GRAPHQL: &str = "tests/fixtures/forge-metrics/graphql-response.json";

/// The figures, worked by hand: resolver 3 of 3,500 failed (99.91 %), trigger 10 of 400
/// (97.50 %), the app 13 of 3,900 (99.67 %), below 99.9 %: exit 1. Only the second hour
/// (13 of 1,200) is below the team's 99.95 %. The point both files hold counts once.
#[test]
fn forge_metrics_report_the_success_rate_per_function_and_overall() {
    let (code, stdout, stderr) = run(cfready().args([
        "slo",
        "--forge-metrics",
        EXPORT,
        GRAPHQL,
        "--objective",
        "99.95",
    ]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    for line in [
        "  the app   28 days 99.67 % (13 of 3900 failed)  below 99.9 %\n",
        "  resolver  28 days 99.91 % (3 of 3500 failed)  below the objective\n",
        "  trigger   28 days 97.50 % (10 of 400 failed)  below 99.9 %\n",
        "            year    97.50 % (10 of 400 failed)\n",
        "Hours of the 28 days below 99.95 %: 1 of 4 with invocations\n  2026-11-30T01:00Z  98.92 % (13 of 1200 failed)\n",
        "  hourly  █▇██ (last 72 hours at most)\n",
        "Read 8 points from 2 files (1 already read from another file, counted once). Not counted: forge_backend_invocation_latency.\n",
    ] {
        assert!(stdout.contains(line), "{line:?} not in\n{stdout}");
    }
    // JSON says the same, and the window can end later (--at): the hours fall out of the 28
    // days but stay in the year.
    let (code, stdout, _) = run(cfready().args([
        "slo",
        "--forge-metrics",
        EXPORT,
        GRAPHQL,
        "--format",
        "json",
        "--at",
        "2027-01-30T00:00:00Z",
    ]));
    assert_eq!(code, 0, "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["overall"]["window"]["invocations"], 0.0);
    assert_eq!(json["overall"]["year"]["invocations"], 3900.0);
    assert_eq!(json["functions"][1]["function"], "trigger");
    assert_eq!(json["below_program"], false);
}

#[test]
fn forge_metrics_say_what_they_could_not_read() {
    // Exact names that match nothing: the metrics the files hold are named.
    let (code, _, stderr) = run(cfready().args([
        "slo",
        "--forge-metrics",
        EXPORT,
        "--invocations-metric",
        "calls",
        "--errors-metric",
        "failures",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("no invocation or error metric in 1 file (metrics found: forge_backend_invocation_count, forge_backend_invocation_errors, forge_backend_invocation_latency)"),
        "{stderr}"
    );
    // A file that is not App metrics, and the GraphQL API's own error.
    let dir = tempfile::tempdir().unwrap();
    let error = dir.path().join("error.json");
    std::fs::write(
        &error,
        r#"{"data":{"ecosystem":{"forgeMetrics":{"appMetrics":{"message":"Forbidden","identifier":"403"}}}}}"#,
    )
    .unwrap();
    let (code, _, stderr) = run(cfready().args(["slo", "--forge-metrics"]).arg(&error));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the App metrics API answered an error: Forbidden"),
        "{stderr}"
    );
    let (code, _, stderr) = run(cfready().args(["slo", "--forge-metrics", "Cargo.toml"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("Cargo.toml: not JSON"), "{stderr}");
    // Not with a store's options.
    let (code, _, _) = run(cfready().args(["slo", "h.db", "--forge-metrics", EXPORT]));
    assert_eq!(code, 2);
}

/// `cfready monitor --forge` against a local stand-in for the App metrics API that answers
/// the documented request (POST, basic authentication, `X-ExperimentalApi: ForgeMetricsQuery`,
/// the page's query and variables) with documented answers (`data.ecosystem.forgeMetrics.
/// appMetrics.resourceMetrics` in OTLP JSON, delta sums named as the page names them, and a
/// `QueryError` or an HTTP status when told to).
mod stand_in {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::sync::{Arc, Mutex};

    use serde_json::{Value, json};

    pub const APP: &str = "ari:cloud:ecosystem::app/b3542c12-68de-4b8a-b4a0-1e29fdc34d9e";
    pub const ENVIRONMENT: &str = "8cb293d5-be08-47ae-a75c-95b89da5ad1d";
    pub const EMAIL: &str = "owner@example.com";
    pub const TOKEN: &str = "tok-123-secret";
    /// base64("owner@example.com:tok-123-secret")
    const BASIC: &str = "Basic b3duZXJAZXhhbXBsZS5jb206dG9rLTEyMy1zZWNyZXQ=";

    /// How the stand-in answers.
    #[derive(Clone, Copy, PartialEq)]
    pub enum Mode {
        /// Points; the first call is answered 429 with `Retry-After: 1`.
        Points,
        /// Every call: a `QueryError` with statusCode 403.
        Forbidden,
        /// Every call: HTTP 500.
        ServerError,
        /// Every call: an answer without points (an environment that is not the app's).
        Empty,
    }

    /// What the stand-in saw: each call's interval (ms), and what it refused.
    #[derive(Default)]
    pub struct Seen {
        pub intervals: Vec<(i64, i64)>,
        pub rate_limited: usize,
        pub refused: Vec<String>,
    }

    fn millis(text: &str) -> i64 {
        let t = cfready::timestamp::Timestamp::parse(text).expect("an ISO 8601 instant");
        t.0
    }

    fn point(value: i64, minute_end: i64, attrs: &[(&str, &str)]) -> Value {
        json!({
            "asInt": value,
            "attributes": attrs.iter().map(|(k, v)| json!({"key": k, "value": {"stringValue": v}})).collect::<Vec<_>>(),
            "startTimeUnixNano": ((minute_end - 60_000) * 1_000_000).to_string(),
            "timeUnixNano": (minute_end * 1_000_000).to_string(),
        })
    }

    /// The counts of one minute (ending at `minute_end`, ms): resolver 10 invocations on each
    /// of two sites, trigger 5 on one; one resolver timeout in every tenth minute.
    pub fn minute(minute_end: i64) -> (i64, i64) {
        (25, i64::from((minute_end / 60_000) % 10 == 0))
    }

    pub fn answer(start: i64, end: i64) -> Value {
        let (site_a, site_b) = (
            "ari:cloud:confluence::site/13095d29-407d-47ec-aa57-76764a470f36",
            "ari:cloud:jira::site/6a9ea14f-759d-4f4a-b3ac-11395d8bf519",
        );
        let (mut count, mut errors, mut requests) = (Vec::new(), Vec::new(), Vec::new());
        // Every minute whose end falls in [start, end]: the edges are in two answers.
        let mut m = (start + 59_999) / 60_000 * 60_000;
        while m <= end {
            for (site, function, n) in [
                (site_a, "resolver", 10),
                (site_b, "resolver", 10),
                (site_a, "trigger", 5),
            ] {
                count.push(point(
                    n,
                    m,
                    &[
                        ("appId", "b3542c12"),
                        ("contextAri", site),
                        ("environmentId", ENVIRONMENT),
                        ("functionKey", function),
                    ],
                ));
            }
            if minute(m).1 > 0 {
                errors.push(point(
                    1,
                    m,
                    &[
                        ("contextAri", site_a),
                        ("errorType", "TIMEOUT"),
                        ("functionKey", "resolver"),
                    ],
                ));
            }
            requests.push(point(3, m, &[("remote", "stargate"), ("status", "2xx")]));
            m += 60_000;
        }
        let sum = |name: &str, points: Vec<Value>| json!({"name": name, "description": "", "sum": {"aggregationTemporality": 1, "dataPoints": points}, "unit": "s"});
        json!({"data": {"ecosystem": {"forgeMetrics": {"appMetrics": {"resourceMetrics": [{
            "resource": {}, "schemaUrl": "https://opentelemetry.io/schemas/1.9.0",
            "scopeMetrics": [{"metrics": [
                sum("forge_api_request_count", requests),
                sum("forge_backend_invocation_count", count),
                sum("forge_backend_invocation_errors", errors),
            ]}]
        }]}}}}})
    }

    /// Check the request as the page documents it; `Err` says what is wrong.
    fn check(head: &str, body: &Value, now: i64) -> Result<(i64, i64), String> {
        let header = |name: &str| {
            head.lines()
                .find_map(|l| {
                    l.split_once(':')
                        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                })
                .map(|(_, v)| v.trim().to_owned())
        };
        if !head.starts_with("POST /graphql ") {
            return Err(format!(
                "not POST /graphql: {}",
                head.lines().next().unwrap_or("")
            ));
        }
        if header("authorization").as_deref() != Some(BASIC) {
            return Err("not basic authentication with the email and token".into());
        }
        if header("x-experimentalapi").as_deref() != Some("ForgeMetricsQuery") {
            return Err("no X-ExperimentalApi: ForgeMetricsQuery".into());
        }
        if !header("user-agent").is_some_and(|ua| ua.starts_with("ForgeMetricsExportServer/1.0.0"))
        {
            return Err("not the recommended User-Agent".into());
        }
        let query = body["query"].as_str().unwrap_or("");
        if !query.contains("forgeMetrics(appId: $appId)") || !query.contains("... on QueryError") {
            return Err("not the documented query".into());
        }
        let variables = &body["variables"];
        if variables["appId"] != APP {
            return Err(format!("appId {}", variables["appId"]));
        }
        let filters = &variables["query"]["filters"];
        if filters["environments"] != json!([ENVIRONMENT]) {
            return Err(format!("environments {}", filters["environments"]));
        }
        let metrics = filters["metrics"].as_array().cloned().unwrap_or_default();
        for wanted in [
            "FORGE_BACKEND_INVOCATION_COUNT",
            "FORGE_BACKEND_INVOCATION_ERRORS",
        ] {
            if !metrics.iter().any(|m| m == wanted) {
                return Err(format!("metrics without {wanted}"));
            }
        }
        let start = millis(filters["interval"]["start"].as_str().unwrap_or(""));
        let end = millis(filters["interval"]["end"].as_str().unwrap_or(""));
        if !(start < end && end - start <= 15 * 60_000) {
            return Err("an interval over 15 minutes".into());
        }
        if start < now - 14 * 86_400_000 || end > now {
            return Err("an interval outside the 14 days to now".into());
        }
        Ok((start, end))
    }

    fn respond(stream: &mut TcpStream, status: &str, extra: &str, body: &str) {
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n{body}",
            body.len()
        );
    }

    /// Serve until the test ends; each connection may carry several requests.
    pub fn start(mode: Mode) -> (u16, Arc<Mutex<Seen>>) {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let shared = seen.clone();
        let port = super::super::probe::serve(move |stream| {
            let mut reader = BufReader::new(stream.try_clone().expect("a clone"));
            let mut stream = stream;
            loop {
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    head.push_str(&line);
                    if line == "\r\n" {
                        break;
                    }
                }
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.split_once(':')
                            .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    })
                    .and_then(|(_, v)| v.trim().parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let now = cfready::timestamp::Timestamp::now().0;
                let mut seen = shared.lock().unwrap();
                match check(&head, &body, now) {
                    Err(reason) => {
                        seen.refused.push(reason.clone());
                        respond(
                            &mut stream,
                            "400 Bad Request",
                            "",
                            &json!({"message": reason}).to_string(),
                        );
                    }
                    Ok(_) if mode == Mode::Forbidden => {
                        let error = json!({"data": {"ecosystem": {"forgeMetrics": {"appMetrics": {
                            "message": "Not authorised to read this app's metrics", "identifier": "FORBIDDEN",
                            "extensions": {"statusCode": 403, "errorType": "FORBIDDEN"}}}}}});
                        respond(&mut stream, "200 OK", "", &error.to_string());
                    }
                    Ok(_) if mode == Mode::ServerError => {
                        seen.intervals.push((0, 0));
                        respond(&mut stream, "500 Internal Server Error", "", "{}");
                    }
                    Ok(_) if mode == Mode::Empty => {
                        seen.intervals.push((0, 0));
                        let empty = json!({"data": {"ecosystem": {"forgeMetrics": {"appMetrics": {"resourceMetrics": []}}}}});
                        respond(&mut stream, "200 OK", "", &empty.to_string());
                    }
                    Ok(_) if seen.rate_limited == 0 => {
                        seen.rate_limited += 1;
                        respond(
                            &mut stream,
                            "429 Too Many Requests",
                            "retry-after: 1\r\n",
                            "{}",
                        );
                    }
                    Ok((start, end)) => {
                        seen.intervals.push((start, end));
                        respond(&mut stream, "200 OK", "", &answer(start, end).to_string());
                    }
                }
            }
        });
        (port, seen)
    }
}

fn forge_monitor(port: u16, store: &std::path::Path) -> assert_cmd::Command {
    forge_monitor_of(
        port,
        store,
        std::path::Path::new("tests/corpus/ready/forge-tiny-no-remote.yaml"),
    )
}

/// `monitor --forge QUESTIONNAIRE --backfill 1h --once` against the stand-in on `port`.
fn forge_monitor_of(
    port: u16,
    store: &std::path::Path,
    questionnaire: &std::path::Path,
) -> assert_cmd::Command {
    let mut command = cfready();
    command
        .args(["monitor", "--forge"])
        .arg(questionnaire)
        .args([
            "--environment",
            stand_in::ENVIRONMENT,
            "--backfill",
            "1h",
            "--once",
        ])
        .arg("--endpoint")
        .arg(format!("http://127.0.0.1:{port}/graphql"))
        .arg("--store")
        .arg(store)
        .env("CFREADY_FORGE_EMAIL", stand_in::EMAIL)
        .env("CFREADY_FORGE_API_TOKEN", stand_in::TOKEN);
    command
}

/// An hour back, caught up in contiguous calls of at most 15 minutes after a 429; every point
/// the stand-in served counted once (the minute on each edge is in two answers); the token in
/// no output and not in the store; `slo --forge` reports the same counts.
#[test]
fn monitor_forge_polls_the_documented_api_into_the_store() {
    let (port, seen) = stand_in::start(stand_in::Mode::Points);
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("h.db");
    let (code, stdout, stderr) = run(&mut forge_monitor(port, &store));
    println!("{stdout}\n{stderr}");
    let seen = seen.lock().unwrap();
    assert!(seen.refused.is_empty(), "{:?}", seen.refused);
    assert_eq!(seen.rate_limited, 1);
    assert!(
        (4..=5).contains(&seen.intervals.len()),
        "{:?}",
        seen.intervals
    );
    for pair in seen.intervals.windows(2) {
        assert_eq!(pair[0].1, pair[1].0, "contiguous: {:?}", seen.intervals);
    }
    let (first, last) = (seen.intervals[0].0, seen.intervals.last().unwrap().1);
    // 55 minutes: from an hour back to 5 minutes back (a minute more if one ended meanwhile).
    assert!(
        (55..=56).contains(&((last - first) / 60_000)),
        "{:?}",
        seen.intervals
    );
    let minutes: Vec<i64> = (first / 60_000..=last / 60_000)
        .map(|m| m * 60_000)
        .collect();
    let invocations: i64 = minutes.iter().map(|&m| stand_in::minute(m).0).sum();
    let errors: i64 = minutes.iter().map(|&m| stand_in::minute(m).1).sum();
    assert_eq!(
        code,
        i32::from(errors * 1000 > invocations),
        "{stdout}{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "monitor --forge: {} calls",
            seen.intervals.len() + 1
        )),
        "{stderr}"
    );
    assert!(stdout.contains("Forge invocation success rate"), "{stdout}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains(stand_in::TOKEN), "the token leaked: {text}");
    }
    let bytes = std::fs::read(&store).unwrap();
    assert!(
        !bytes
            .windows(stand_in::TOKEN.len())
            .any(|w| w == stand_in::TOKEN.as_bytes())
    );

    let (code, stdout, stderr) = run(cfready()
        .args(["slo", "--forge", "--format", "json"])
        .arg(&store));
    assert!(code == 0 || code == 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["overall"]["window"]["invocations"], invocations as f64,
        "{stdout}"
    );
    assert_eq!(json["overall"]["window"]["errors"], errors as f64);
    assert_eq!(json["functions"][0]["function"], "resolver");
    assert_eq!(
        json["functions"][1]["window"]["invocations"],
        5.0 * minutes.len() as f64
    );
    assert_eq!(json["store"]["covered_seconds"], (last - first) / 1000);
    assert_eq!(json["store"]["gaps"], 0);

    // `slo` without --forge finds no health check observation, and says where the counts are.
    let (code, _, stderr) = run(cfready().arg("slo").arg(&store));
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "it holds the Forge invocation counts of {}: `cfready slo --forge`",
            stand_in::APP
        )),
        "{stderr}"
    );

    // The same answers saved as files give `slo --forge-metrics` the same counts.
    let files: Vec<std::path::PathBuf> = seen
        .intervals
        .iter()
        .enumerate()
        .map(|(i, (start, end))| {
            let file = dir.path().join(format!("answer-{i}.json"));
            std::fs::write(&file, stand_in::answer(*start, *end).to_string()).unwrap();
            file
        })
        .collect();
    let (_, stdout, stderr) = run(cfready()
        .args(["slo", "--format", "json", "--forge-metrics"])
        .args(&files));
    let from_files: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
    assert_eq!(from_files["overall"]["window"], json["overall"]["window"]);
    assert_eq!(from_files["functions"], json["functions"]);

    // --at in the middle of an hour: the window ends at that hour (counts are per hour), and
    // each minute counts in the hour it starts in.
    let at = first + 30 * 60_000 + 17_000;
    let hour = at / 3_600_000 * 3_600_000;
    let (_, stdout, _) = run(cfready()
        .args(["slo", "--forge", "--format", "json", "--at"])
        .arg(cfready::timestamp::Timestamp(at).to_string())
        .arg(&store));
    let rounded: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let before: i64 = minutes
        .iter()
        .filter(|&&m| m - 60_000 < hour)
        .map(|&m| stand_in::minute(m).0)
        .sum();
    assert_eq!(
        rounded["overall"]["window"]["invocations"], before,
        "{stdout}"
    );
    assert_eq!(
        rounded["end"],
        cfready::timestamp::Timestamp(hour).to_string()
    );
    assert_eq!(
        rounded["rounded_from"],
        cfready::timestamp::Timestamp(at).to_string()
    );

    // Run again: it resumes where the last call ended, asks only what is new, counts nothing twice.
    drop(seen);
    let (code, _, stderr) = run(&mut forge_monitor(port, &store));
    assert!(code == 0 || code == 1, "{stderr}");
    let (_, stdout, _) = run(cfready()
        .args(["slo", "--forge", "--format", "json"])
        .arg(&store));
    let again: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let new_last = again["store"]["last_poll"].as_str().unwrap();
    let new_last = cfready::timestamp::Timestamp::parse(new_last).unwrap().0;
    let more: i64 = (last / 60_000 + 1..=new_last / 60_000)
        .map(|m| stand_in::minute(m * 60_000).0)
        .sum();
    assert_eq!(
        again["overall"]["window"]["invocations"],
        (invocations + more) as f64
    );
}

#[test]
fn monitor_forge_stops_on_the_apis_refusal_and_on_what_it_is_not_given() {
    let (port, seen) = stand_in::start(stand_in::Mode::Forbidden);
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("h.db");
    let (code, stdout, stderr) = run(&mut forge_monitor(port, &store));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("error: the App metrics API refused the call: QueryError: Not authorised to read this app's metrics (identifier FORBIDDEN, status 403)")
            && stderr.contains("CFREADY_FORGE_API_TOKEN"),
        "{stderr}"
    );
    assert_eq!(seen.lock().unwrap().refused, Vec::<String>::new());
    assert!(!stderr.contains(stand_in::TOKEN));

    // No credentials: named, nothing requested.
    let (code, _, stderr) = run(forge_monitor(port, &store).env_remove("CFREADY_FORGE_API_TOKEN"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("CFREADY_FORGE_API_TOKEN not set"),
        "{stderr}"
    );
    // No environment, a Connect app, http to another host: refused before any request.
    let (code, _, stderr) = run(cfready()
        .args([
            "monitor",
            "--forge",
            "tests/corpus/ready/forge-tiny-no-remote.yaml",
        ])
        .env("CFREADY_FORGE_EMAIL", "a@example.com")
        .env("CFREADY_FORGE_API_TOKEN", "x"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--forge needs --environment UUID"),
        "{stderr}"
    );
    let (code, _, stderr) = run(cfready().args([
        "monitor",
        "--forge",
        "examples/acme-timesheets.yaml",
        "--environment",
        stand_in::ENVIRONMENT,
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("app.framework is not forge"), "{stderr}");
    let (code, _, stderr) = run(cfready()
        .args([
            "monitor",
            "--forge",
            "tests/corpus/ready/forge-tiny-no-remote.yaml",
        ])
        .args(["--environment", stand_in::ENVIRONMENT])
        .args(["--endpoint", "http://metrics.example.com/graphql"])
        .env("CFREADY_FORGE_EMAIL", stand_in::EMAIL)
        .env("CFREADY_FORGE_API_TOKEN", stand_in::TOKEN));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the credentials go only over https"),
        "{stderr}"
    );
    assert_eq!(seen.lock().unwrap().intervals.len(), 0);
}

/// A `--once` run (a cron job) ends: after three failed calls in a row it stops with exit 2
/// and says where the next run resumes; an answer without points is not a success either.
#[test]
fn monitor_forge_once_gives_up_and_says_why() {
    let (port, seen) = stand_in::start(stand_in::Mode::ServerError);
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("h.db");
    let (code, stdout, stderr) = run(forge_monitor(port, &store).args(["--every", "1s"]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(seen.lock().unwrap().intervals.len(), 3);
    assert!(
        stderr.contains("error: the App metrics API: 3 calls in a row failed, the last: HTTP 500; the next run resumes at"),
        "{stderr}"
    );

    // An app key in capitals (the schema allows either case) is sent as the page writes it:
    // the stand-in refuses any other appId.
    let (port, seen) = stand_in::start(stand_in::Mode::Empty);
    let store = dir.path().join("empty.db");
    let questionnaire = dir.path().join("cloud-fortified.yaml");
    let text = std::fs::read_to_string("tests/corpus/ready/forge-tiny-no-remote.yaml").unwrap();
    let upper = stand_in::APP.replace(
        "b3542c12-68de-4b8a-b4a0-1e29fdc34d9e",
        "B3542C12-68DE-4B8A-B4A0-1E29FDC34D9E",
    );
    std::fs::write(&questionnaire, text.replace(stand_in::APP, &upper)).unwrap();
    let (code, _, stderr) = run(&mut forge_monitor_of(port, &store, &questionnaire));
    assert_eq!(seen.lock().unwrap().refused, Vec::<String>::new());
    assert!(!seen.lock().unwrap().intervals.is_empty());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("check --environment ({})", stand_in::ENVIRONMENT)),
        "{stderr}"
    );
}
