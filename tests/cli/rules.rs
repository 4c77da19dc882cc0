//! The readiness rules: a failing and a passing fixture per rule (`tests/fixtures/rules/`),
//! the example clean, suppressions, and the registry as `rules` and `explain` show it.

use super::{TODAY, cfready, root, run};
use cfready::date::Date;
use cfready::ticket::lint::{LintOptions, lint_bytes};
use serde_json::Value;

const EXAMPLE: &str = "examples/acme-timesheets.yaml";

fn options() -> LintOptions {
    LintOptions {
        ignore: Vec::new(),
        today: Date::parse(TODAY).unwrap(),
        descriptor: None,
    }
}

fn example() -> String {
    std::fs::read_to_string(root().join(EXAMPLE)).unwrap()
}

/// The codes of every finding on a questionnaire text.
fn codes(text: &str) -> Vec<&'static str> {
    lint_bytes("fixture.yaml", text.as_bytes(), &options())
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

/// One edit of the example: (find, replace).
type Edit = (String, String);

/// A fixture's cases, read with cfready's own loader: (fail edits, pass edits).
fn fixture(code: &str) -> Option<(Vec<Edit>, Vec<Edit>)> {
    let path = root().join(format!("tests/fixtures/rules/{code}.yaml"));
    let bytes = std::fs::read(path).ok()?;
    let document = cfready::ticket::load::load(code, &bytes)
        .document
        .unwrap_or_else(|e| panic!("{code} fixture: {e:?}"));
    let cases = |key: &str| -> Vec<Edit> {
        document.value[key]
            .as_array()
            .unwrap_or_else(|| panic!("{code}: `{key}` is a list"))
            .iter()
            .map(|case| {
                let text = |k: &str| {
                    case[k]
                        .as_str()
                        .unwrap_or_else(|| panic!("{code}: {k}"))
                        .to_owned()
                };
                (text("find"), text("replace"))
            })
            .collect()
    };
    Some((cases("fail"), cases("pass")))
}

fn edited(code: &str, (find, replace): &Edit) -> String {
    let example = example();
    assert!(
        example.contains(find.as_str()),
        "{code}: the example has no {find:?}"
    );
    example.replacen(find.as_str(), replace, 1)
}

#[test]
fn the_example_has_no_findings_at_all() {
    assert_eq!(codes(&example()), Vec::<&str>::new());
}

#[test]
fn every_rule_fires_on_its_failing_fixtures_and_not_on_its_passing_ones() {
    // CF001 (not UTF-8) and CF002 (over 4 MiB) cannot be written as a text edit; the bad-input
    // fixtures and the size test cover them.
    let untestable_by_edit = ["CF001", "CF002"];
    let mut checked = 0;
    for rule in cfready::ticket::registry::all() {
        // The probe's findings come from a server's answers, not from the questionnaire's
        // text: tests/cli/probe.rs fires each of them against a local server.
        if untestable_by_edit.contains(&rule.code)
            || rule.family == cfready::ticket::registry::Family::Probe
            || rule.family == cfready::ticket::registry::Family::Slo
        {
            continue;
        }
        let (fail, pass) = fixture(rule.code).unwrap_or_else(|| {
            panic!(
                "{} has no fixture tests/fixtures/rules/{}.yaml",
                rule.code, rule.code
            )
        });
        assert!(!fail.is_empty(), "{}: no failing case", rule.code);
        for case in &fail {
            let found = codes(&edited(rule.code, case));
            assert!(
                found.contains(&rule.code),
                "{} did not fire on {case:?}: {found:?}",
                rule.code
            );
        }
        for case in &pass {
            let found = codes(&edited(rule.code, case));
            assert!(
                !found.contains(&rule.code),
                "{} fired on its passing case {case:?}",
                rule.code
            );
        }
        checked += 1;
    }
    // The monitor's (tests/cli/monitor.rs) come from histories.
    let probe_rules = cfready::ticket::registry::all()
        .filter(|rule| {
            rule.family == cfready::ticket::registry::Family::Probe
                || rule.family == cfready::ticket::registry::Family::Slo
        })
        .count();
    assert_eq!(
        checked,
        cfready::ticket::registry::all().count() - untestable_by_edit.len() - probe_rules
    );
    // And no fixture names a rule that does not exist.
    for entry in std::fs::read_dir(root().join("tests/fixtures/rules")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let code = name.trim_end_matches(".yaml");
        assert!(
            cfready::ticket::registry::find(code).is_some(),
            "fixture {name} names no rule"
        );
    }
}

#[test]
fn rules_run_on_the_well_formed_parts_of_a_file_with_schema_errors() {
    let text = example()
        .replacen("    backoff: exponential-jitter", "    backoff: linear", 1)
        .replacen(
            "    honours_retry_after: true",
            "    honours_retry_after: false",
            1,
        )
        .replacen(
            "      restore_time: 30m",
            "      restore_time: 2h\n      restore_takes_app_down: true",
            1,
        );
    let found = codes(&text);
    assert!(found.contains(&"CF013"), "{found:?}");
    assert!(found.contains(&"CF301"), "{found:?}");
    assert!(found.contains(&"CF503"), "{found:?}");
}

#[test]
fn messages_carry_the_numbers() {
    let text = example()
        .replacen(
            "      restore_time: 30m",
            "      restore_time: 2h\n      restore_takes_app_down: true",
            1,
        )
        .replacen(
            "    coverage: 24x7\n",
            "    coverage: business-hours\n    hours: Mon-Fri 08:00-18:00\n    timezone: Europe/Berlin\n",
            1,
        );
    let report = lint_bytes("x.yaml", text.as_bytes(), &options());
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(messages.contains(
        &"restore_time 2h is 3.0x the 28-day error budget of 40m 19s at 99.9 %: a restore that takes the app down would breach the SLO on its own"
    ), "{messages:#?}");
    assert!(messages.contains(
        &"business-hours coverage: an outage that starts Friday 18:00 Europe/Berlin and waits for Monday 08:00 lasts 62h, 92x the 28-day error budget of 40m 19s"
    ), "{messages:#?}");
}

/// CF601 on the example with its coverage replaced, as (message, help) of each finding.
fn coverage_findings(framework: &str, availability: &str) -> Vec<(String, String)> {
    let text = example()
        .replacen(
            "  framework: connect\n",
            &format!("  framework: {framework}\n"),
            1,
        )
        .replacen("    coverage: 24x7\n", availability, 1);
    lint_bytes("x.yaml", text.as_bytes(), &options())
        .diagnostics
        .into_iter()
        .filter(|d| d.code == "CF601")
        .map(|d| (d.message, d.help.unwrap_or_default()))
        .collect()
}

#[test]
fn out_of_hours_paging_is_judged_as_detection_plus_acknowledgement() {
    let paged = |within: &str| {
        format!(
            "    coverage: extended-hours\n    hours: Mon-Sun 06:00-23:00\n    timezone: Australia/Sydney\n    out_of_hours:\n      paged: true\n      acknowledge_within: {within}\n"
        )
    };
    // Connect: Atlassian's alert (15m) + 30m to acknowledge.
    let findings = coverage_findings("connect", &paged("30m"));
    assert_eq!(
        findings,
        [(
            "extended-hours coverage with out-of-hours paging: an outage that starts out of hours is acknowledged after 45m: 15m to Atlassian's alert + 30m to acknowledge, 1.1x the budget of 40m 19s".to_owned(),
            "Atlassian alerts within 15 minutes of a failed health check, at any hour: acknowledge out-of-hours pages within 25m so that both fit in the 28-day error budget, or extend coverage".to_owned()
        )]
    );
    assert_eq!(coverage_findings("connect", &paged("25m")), []);
    assert_eq!(coverage_findings("connect", &paged("PT20M")), []);
    // Forge: Atlassian probes no health check; only the acknowledgement is known.
    assert_eq!(coverage_findings("forge", &paged("30m")), []);
    let findings = coverage_findings("forge", &paged("1h"));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        findings[0].0,
        "extended-hours coverage with out-of-hours paging: a page out of hours is acknowledged after 1h, 1.5x the 28-day error budget of 40m 19s"
    );
    assert!(
        !findings[0].1.contains("failed health check"),
        "{findings:?}"
    );
}

#[test]
fn without_out_of_hours_paging_the_help_fits_the_framework() {
    let unpaged = "    coverage: extended-hours\n    hours: Mon-Sun 06:00-23:00\n    timezone: Australia/Sydney\n";
    for framework in ["connect", "forge"] {
        let findings = coverage_findings(framework, unpaged);
        assert_eq!(findings.len(), 1, "{framework}: {findings:?}");
        let (message, help) = &findings[0];
        assert_eq!(
            message,
            "extended-hours coverage: an outage that starts Monday 23:00 Australia/Sydney and waits for Tuesday 06:00 lasts 7h, 10x the 28-day error budget of 40m 19s"
        );
        // The suggested acknowledgement fits the budget it is judged against.
        let fits = if framework == "connect" { "25m" } else { "40m" };
        assert!(
            help.contains(&format!(
                "out_of_hours: {{paged: true, acknowledge_within: {fits}}}"
            )),
            "{help}"
        );
        match framework {
            "connect" => assert!(
                help.starts_with("Atlassian alerts after one failed health check in 15 minutes"),
                "{help}"
            ),
            _ => {
                assert!(!help.contains("health check"), "{help}");
                assert!(
                    help.starts_with("nobody responds before Tuesday 06:00 Australia/Sydney"),
                    "{help}"
                );
            }
        }
    }
}

#[test]
fn a_suppression_silences_one_rule_for_one_value() {
    let trailing = example().replacen(
        "    backoff: exponential-jitter",
        "    backoff: fixed  # cfready: ignore[CF303] the queue library only has a fixed delay",
        1,
    );
    assert_eq!(codes(&trailing), Vec::<&str>::new());
    let above = example().replacen(
        "    coverage: 24x7\n",
        "    # cfready: ignore[coverage-gap] nights and weekends page the founders through PagerDuty\n    coverage: business-hours\n    hours: Mon-Fri 08:00-18:00\n    timezone: Europe/Berlin\n",
        1,
    );
    assert_eq!(codes(&above), Vec::<&str>::new());
    // The same comment two lines above does not reach the value.
    let far = example().replacen(
        "    honours_retry_after: true\n    backoff: exponential-jitter",
        "    # cfready: ignore[CF303] the queue library only has a fixed delay\n    honours_retry_after: true\n    backoff: fixed",
        1,
    );
    let found = codes(&far);
    assert!(
        found.contains(&"CF303") && found.contains(&"CF902"),
        "{found:?}"
    );
    // A suppression of one rule leaves another on the same value.
    let other = example().replacen(
        "    backoff: exponential-jitter",
        "    backoff: fixed  # cfready: ignore[CF302] wrong code",
        1,
    );
    let found = codes(&other);
    assert!(
        found.contains(&"CF303") && found.contains(&"CF902"),
        "{found:?}"
    );
}

#[test]
fn a_marker_inside_an_answer_is_text_not_a_suppression() {
    let text = example().replacen(
        "    with the production app, and",
        "    with the production app # cfready: ignore[CF102] not a comment, and",
        1,
    );
    assert_eq!(codes(&text), Vec::<&str>::new());
}

#[test]
fn rules_lists_every_code() {
    let (code, stdout, _) = run(cfready().arg("rules"));
    assert_eq!(code, 0);
    // A renamed or re-numbered rule is a visible change to this snapshot.
    insta::assert_snapshot!("rules", stdout);
    let (_, json, _) = run(cfready().args(["rules", "--format", "json"]));
    let rules: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        rules.as_array().unwrap().len(),
        cfready::ticket::registry::all().count()
    );
    assert_eq!(rules[0]["code"], "CF001");
}

#[test]
fn explain_prints_the_documentation() {
    for code in ["CF101", "CF503", "CF601", "CF901"] {
        let (exit, stdout, _) = run(cfready().args(["explain", code]));
        assert_eq!(exit, 0);
        insta::assert_snapshot!(format!("explain-{code}"), stdout);
    }
    let (_, by_name, _) = run(cfready().args(["explain", "coverage-gap"]));
    let (_, by_code, _) = run(cfready().args(["explain", "cf601"]));
    assert_eq!(by_name, by_code);
}

#[test]
fn explain_suggests_codes_for_an_unknown_one() {
    let (code, stdout, stderr) = run(cfready().args(["explain", "CF31"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("`CF31` is not a rule code or name; did you mean CF301"),
        "{stderr}"
    );
}

/// Part of one rule's name explains that rule (saying so on stderr); part of several names
/// them all as the did-you-mean, exit 2; `--ignore` still takes only whole codes and names.
#[test]
fn explain_finds_a_rule_by_part_of_its_name() {
    let (code, stdout, stderr) = run(cfready().args(["explain", "placeholder"]));
    assert_eq!(code, 0, "{stderr}");
    let (_, by_code, _) = run(cfready().args(["explain", "CF101"]));
    assert_eq!(stdout, by_code);
    assert!(
        stderr.contains("`placeholder` is part of one rule's name: CF101 (placeholder-answer)"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(cfready().args(["explain", "answer"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("did you mean CF101 (placeholder-answer), CF102 (short-answer), CF103 (duplicate-answer)?"),
        "{stderr}"
    );
    let (code, _, stderr) = run(cfready().args([
        "lint",
        "--ignore",
        "placeholder",
        "examples/acme-timesheets.yaml",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean CF101 (placeholder-answer)?"),
        "{stderr}"
    );
}

/// The documentation's rules table (docs/rules/index.md) is `cfready rules --format markdown`
/// with each code linked to its page.
#[test]
fn the_documented_rules_table_matches_the_registry() {
    let index = std::fs::read_to_string(root().join("docs/rules/index.md")).unwrap();
    let table = &index[index.find("| code |").expect("the index has the table")..];
    let linked = unlinked(table);
    assert_eq!(
        linked,
        cfready::report::rules::markdown(),
        "docs/rules/index.md's table is stale: run `CFREADY_UPDATE_DOCS=1 cargo test --test cli generated_pages`"
    );
    for line in table.lines().filter(|l| l.starts_with("| [`CF")) {
        let code = &line[4..9];
        assert!(
            line.starts_with(&format!("| [`{code}`]({code}.md) |")),
            "{line}"
        );
        assert!(
            root().join(format!("docs/rules/{code}.md")).exists(),
            "{code}"
        );
    }
}

/// A table row's linked code (`[`CF001`](CF001.md)`) as the plain code (`` `CF001` ``).
fn unlinked(table: &str) -> String {
    table
        .lines()
        .map(|line| match line.strip_prefix("| [`") {
            Some(rest) => {
                let code = &rest[..5];
                let after = rest
                    .strip_prefix(&format!("{code}`]({code}.md)"))
                    .unwrap_or(rest);
                format!("| `{code}`{after}")
            }
            None => line.to_owned(),
        })
        .map(|line| line + "\n")
        .collect()
}

#[test]
fn today_can_be_pinned_for_reproducible_runs() {
    let (code, stdout, _) = run(cfready()
        .args(["lint", "--strict", EXAMPLE])
        .env("CFREADY_TODAY", "2031-01-01"));
    assert_eq!(code, 1);
    assert!(stdout.contains("warning[CF505]"), "{stdout}");
    let (code, _, stderr) = run(cfready()
        .args(["lint", EXAMPLE])
        .env("CFREADY_TODAY", "soon"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`soon` is not a date written YYYY-MM-DD"),
        "{stderr}"
    );
}
