//! The lint pipeline's stages on the bundled example, one at a time and whole:
//! `cargo bench -p cfready-benches` (criterion). Whole-process figures (start-up included)
//! come from `scripts/bench-cold.sh` and `scripts/bench-peers.sh` with hyperfine.

use std::hint::black_box;

use cfready::date::Date;
use cfready::ticket::lint::{LintOptions, lint_bytes};
use cfready::ticket::model::Questionnaire;
use cfready::ticket::render::{Flavor, RenderOptions, ticket};
use cfready::ticket::rules::{self, Context};
use cfready::ticket::{load, schema};
use criterion::{Criterion, criterion_group, criterion_main};

const EXAMPLE: &[u8] = include_bytes!("../examples/acme-timesheets.yaml");

fn today() -> Date {
    Date::parse("2026-11-24").expect("a date")
}

fn stages(c: &mut Criterion) {
    let loaded = load::load("example.yaml", EXAMPLE);
    let document = loaded.document.as_ref().expect("the example loads");
    // The first validation fills the validator's lazily compiled patterns, as one process does.
    assert!(schema::validate(document).is_empty());

    // What every process paid before the validator was generated at build time (kept to
    // show what the generated validator saves).
    c.bench_function("run-time schema compilation (no longer paid)", |b| {
        b.iter(schema::compile)
    });
    c.bench_function("load (YAML with positions)", |b| {
        b.iter(|| load::load("example.yaml", black_box(EXAMPLE)))
    });
    c.bench_function("schema validation", |b| {
        b.iter(|| schema::validate(black_box(document)))
    });
    c.bench_function("rules", |b| {
        b.iter(|| {
            let questionnaire = Questionnaire::from_value(&document.value);
            let context = Context::new(document, &questionnaire, today());
            rules::check(black_box(&context))
        })
    });
    let options = LintOptions {
        ignore: Vec::new(),
        today: today(),
        descriptor: None,
    };
    c.bench_function("lint (load + schema + rules + suppressions)", |b| {
        b.iter(|| lint_bytes("example.yaml", black_box(EXAMPLE), &options))
    });
    for flavor in [Flavor::Markdown, Flavor::Jira] {
        let options = RenderOptions {
            flavor,
            templates: None,
            not_ready: None,
        };
        c.bench_function(&format!("render ticket ({flavor:?})"), |b| {
            b.iter(|| ticket(black_box(&document.value), &options))
        });
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
