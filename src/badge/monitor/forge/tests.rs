use super::*;
use crate::timestamp::at;

const MINUTE: Duration = Duration::from_secs(60);

/// The instant the answers' `Retry-After` dates are read at.
const NOW: Timestamp = Timestamp(1_796_599_200_000); // 2026-12-06T23:20:00Z

fn options() -> ForgeOptions {
    ForgeOptions {
        endpoint: "http://127.0.0.1:1/graphql".to_owned(),
        app_id: "ari:cloud:ecosystem::app/8ce114f4-d82c-45e2-b4fb-c6a0751d7d57".to_owned(),
        environments: vec!["8cb293d5-be08-47ae-a75c-95b89da5ad1d".to_owned()],
        credentials: Credentials::from_env(|name| {
            Some(match name {
                EMAIL_VARIABLE => "owner@example.com".to_owned(),
                _ => "secret-token-value".to_owned(),
            })
        })
        .unwrap(),
        every: Duration::from_secs(300),
        settle: DEFAULT_SETTLE,
        backfill: Duration::from_secs(3600),
        once: true,
        run_for: None,
        names: MetricNames::default(),
        timeout: Duration::from_secs(30),
    }
}

#[test]
fn a_new_store_starts_at_the_backfill_and_asks_at_most_15_minutes() {
    let now = at(2026, 12, 6, 12, 0).plus(Duration::from_secs(17));
    let plan = plan(None, now, Duration::from_secs(3600), DEFAULT_SETTLE);
    assert_eq!(
        plan,
        Plan::Call {
            start: at(2026, 12, 6, 11, 0),
            end: at(2026, 12, 6, 11, 15),
            gap: None
        }
    );
}

#[test]
fn the_last_call_ends_where_the_settled_time_ends_then_it_is_caught_up() {
    let now = at(2026, 12, 6, 12, 0);
    assert_eq!(
        plan(Some(at(2026, 12, 6, 11, 45)), now, MINUTE, DEFAULT_SETTLE),
        Plan::Call {
            start: at(2026, 12, 6, 11, 45),
            end: at(2026, 12, 6, 11, 55),
            gap: None
        }
    );
    assert_eq!(
        plan(Some(at(2026, 12, 6, 11, 55)), now, MINUTE, DEFAULT_SETTLE),
        Plan::CaughtUp {
            until: Some(at(2026, 12, 6, 11, 55))
        }
    );
}

#[test]
fn time_older_than_the_lookback_is_a_gap_and_never_asked_for() {
    let now = at(2026, 12, 20, 12, 0);
    let resume = at(2026, 12, 1, 0, 0);
    let Plan::Call { start, end, gap } = plan(Some(resume), now, MINUTE, DEFAULT_SETTLE) else {
        panic!("a call is due");
    };
    // 14 days back from now, and a minute inside it.
    assert_eq!(start, at(2026, 12, 6, 12, 1));
    assert_eq!(end.since(start), FORGE_METRICS_CALL_SPAN);
    assert_eq!(gap, Some((resume, start)));
    assert!(now.since(start) < FORGE_METRICS_LOOKBACK);
}

#[test]
fn calls_behind_counts_the_15_minute_calls_left() {
    let now = at(2026, 12, 6, 12, 0);
    assert_eq!(
        calls_behind(at(2026, 12, 6, 11, 55), now, DEFAULT_SETTLE),
        0
    );
    assert_eq!(
        calls_behind(at(2026, 12, 6, 11, 40), now, DEFAULT_SETTLE),
        1
    );
    assert_eq!(
        calls_behind(at(2026, 12, 6, 11, 39), now, DEFAULT_SETTLE),
        2
    );
}

#[test]
fn the_pace_never_allows_a_sixth_call_within_a_minute() {
    let start = Instant::now();
    let mut pace = Pace::default();
    let mut made = Vec::new();
    // A poller that calls whenever the pace allows, on a simulated clock of 100 ms steps.
    let mut clock = start;
    while made.len() < 23 {
        while made.len() < 23 && pace.wait(clock).is_zero() {
            pace.record(clock);
            made.push(clock);
        }
        clock += Duration::from_millis(100);
    }
    for (i, call) in made.iter().enumerate() {
        let within: usize = made[i..]
            .iter()
            .take_while(|later| later.duration_since(*call) < MINUTE)
            .count();
        assert!(
            within <= FORGE_METRICS_CALLS_PER_MINUTE,
            "call {i}: {within} in a minute"
        );
    }
    // Five at once, then five more a little over a minute later: the limit, not slower.
    assert_eq!(made[4], start);
    assert!(made[5].duration_since(start) <= Duration::from_secs(62));
}

#[test]
fn the_request_is_the_documented_query_with_its_variables() {
    let options = options();
    let body = request_body(&options, at(2026, 12, 6, 11, 0), at(2026, 12, 6, 11, 15));
    assert!(
        body["query"]
            .as_str()
            .unwrap()
            .contains("appMetrics(query: $query)")
    );
    assert_eq!(body["variables"]["appId"], options.app_id.as_str());
    let filters = &body["variables"]["query"]["filters"];
    assert_eq!(
        filters["environments"][0],
        "8cb293d5-be08-47ae-a75c-95b89da5ad1d"
    );
    assert_eq!(filters["interval"]["start"], "2026-12-06T11:00:00.000Z");
    assert_eq!(filters["interval"]["end"], "2026-12-06T11:15:00.000Z");
    assert_eq!(
        filters["metrics"],
        json!([
            "FORGE_BACKEND_INVOCATION_COUNT",
            "FORGE_BACKEND_INVOCATION_ERRORS"
        ])
    );
}

#[test]
fn the_token_never_shows_in_debug_and_missing_variables_are_named() {
    let text = format!("{:?}", options());
    assert!(!text.contains("secret-token-value"), "{text}");
    let missing = Credentials::from_env(|_| None).unwrap_err();
    assert!(missing.contains(EMAIL_VARIABLE) && missing.contains(TOKEN_VARIABLE));
    let only_email = Credentials::from_env(|name| {
        (name == EMAIL_VARIABLE).then(|| "owner@example.com".to_owned())
    })
    .unwrap_err();
    assert!(only_email.starts_with(TOKEN_VARIABLE), "{only_email}");
}

#[test]
fn credentials_go_over_https_or_to_this_machine_only() {
    assert!(check_endpoint(DEFAULT_ENDPOINT).is_ok());
    assert!(check_endpoint("http://127.0.0.1:8080/graphql").is_ok());
    assert!(check_endpoint("http://localhost/graphql").is_ok());
    assert!(check_endpoint("http://metrics.example.com/graphql").is_err());
    assert!(check_endpoint("ftp://example.com").is_err());
    assert!(check_endpoint("api.atlassian.com/graphql").is_err());
}

#[test]
fn environment_ids_are_lowercase_uuids() {
    assert!(is_environment_id("8cb293d5-be08-47ae-a75c-95b89da5ad1d"));
    assert!(!is_environment_id("production"));
    assert!(!is_environment_id("8CB293D5-BE08-47AE-A75C-95B89DA5AD1D"));
    assert!(!is_environment_id("8cb293d5-be08-47ae-a75c-95b89da5ad1"));
}

#[test]
fn answers_are_classified_as_the_page_and_http_say() {
    let names = MetricNames::default();
    assert_eq!(
        classify(429, Some("7"), "", &names, NOW),
        Answer::RateLimited(Some(Duration::from_secs(7)))
    );
    assert_eq!(
        classify(429, None, "", &names, NOW),
        Answer::RateLimited(None)
    );
    assert!(
        matches!(classify(401, None, "", &names, NOW), Answer::Fatal(m) if m.contains(TOKEN_VARIABLE))
    );
    assert!(
        matches!(classify(503, None, "", &names, NOW), Answer::Transient(m) if m == "HTTP 503")
    );
    assert!(
        matches!(classify(302, None, "", &names, NOW), Answer::Fatal(m) if m.contains("redirect"))
    );
    assert!(
        matches!(classify(400, None, r#"{"message":"bad"}"#, &names, NOW), Answer::Fatal(m) if m == "HTTP 400: bad")
    );
    assert!(matches!(
        classify(200, None, "<html>", &names, NOW),
        Answer::Transient(_)
    ));
    let query_error = |code: i64| {
        json!({"data": {"ecosystem": {"forgeMetrics": {"appMetrics": {
            "message": "nope", "identifier": "X", "extensions": {"statusCode": code, "errorType": "E"}}}}}})
        .to_string()
    };
    assert_eq!(
        classify(200, None, &query_error(429), &names, NOW),
        Answer::RateLimited(None)
    );
    assert!(matches!(
        classify(200, None, &query_error(503), &names, NOW),
        Answer::Transient(_)
    ));
    assert!(matches!(
        classify(200, None, &query_error(400), &names, NOW),
        Answer::Fatal(m) if m == "QueryError: nope (identifier X, status 400)"
    ));
    let graphql_error =
        r#"{"errors":[{"message":"Field 'x' undefined","extensions":{"statusCode":400}}]}"#;
    assert!(
        matches!(classify(200, None, graphql_error, &names, NOW), Answer::Fatal(m) if m.contains("Field 'x' undefined"))
    );
    // A Retry-After date: the wait to it; one past: none.
    assert_eq!(
        classify(429, Some("Sun, 06 Dec 2026 23:59:00 GMT"), "", &names, NOW),
        Answer::RateLimited(Some(Duration::from_secs(39 * 60)))
    );
    assert_eq!(
        retry_after_wait("Sun, 06 Dec 2026 23:00:00 GMT", NOW),
        Some(Duration::ZERO)
    );
    assert_eq!(retry_after_wait("-5", NOW), None);
    assert_eq!(retry_after_wait("soon", NOW), None);
    let empty = r#"{"data":{"ecosystem":{"forgeMetrics":{"appMetrics":{"resourceMetrics":[]}}}}}"#;
    assert_eq!(
        classify(200, None, empty, &names, NOW),
        Answer::Points(Vec::new())
    );
}

#[test]
fn the_documented_sample_answer_reads_as_invocations_and_errors_per_function() {
    let text = include_str!("../../../../tests/fixtures/forge-metrics/app-metrics-answer.json");
    let Answer::Points(found) = classify(200, None, text, &MetricNames::default(), NOW) else {
        panic!("points");
    };
    // The API request count is another metric; the invocations and errors are read.
    let invocations: f64 = found
        .iter()
        .filter(|p| p.counted == crate::badge::slo::forge::Counted::Invocations)
        .map(|p| p.value)
        .sum();
    let errors: Vec<_> = found
        .iter()
        .filter(|p| p.counted == crate::badge::slo::forge::Counted::Errors)
        .collect();
    assert_eq!(invocations, 70.0 + 30.0);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].function.as_deref(), Some("process-app-event"));
    // Two points of one series at two times are two identities; one point is one identity.
    let mut identities: Vec<i64> = found.iter().map(ForgePoint::identity).collect();
    identities.sort();
    identities.dedup();
    assert_eq!(identities.len(), found.len());
}
