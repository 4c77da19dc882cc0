//! The whole lint path on arbitrary bytes: load, schema, rules, every output format, and the
//! ticket (as `render --force` would). Nothing may panic, whatever the bytes.
#![no_main]

use cfready::date::Date;
use cfready::ticket::lint::{LintOptions, lint_bytes};
use cfready::ticket::render::{Flavor, NotReady, RenderOptions, ticket};
use cfready::report::{Format, Style, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = LintOptions {
        ignore: Vec::new(),
        today: Date::parse("2026-11-24").expect("a date"),
        descriptor: None,
    };
    let report = lint_bytes("fuzz.yaml", data, &options);
    let reports = [report];
    let formats = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ];
    for format in formats {
        for color in [false, true] {
            let text = render(
                &reports,
                format,
                Style {
                    color,
                    quiet: false,
                },
            );
            if matches!(format, Format::Json | Format::Sarif) {
                assert!(
                    serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                    "the {format:?} output parses"
                );
            }
        }
    }
    if let Some(document) = &reports[0].document {
        for flavor in [Flavor::Markdown, Flavor::Jira] {
            let options = RenderOptions {
                flavor,
                templates: None,
                not_ready: Some(NotReady {
                    errors: 1,
                    warnings: 0,
                }),
            };
            // A template error is an answer (exit 2), not a crash; with the embedded
            // templates and a completed context there should be none.
            if let Err(error) = ticket(&document.value, &options) {
                panic!("the embedded templates failed: {error}");
            }
        }
    }
});
