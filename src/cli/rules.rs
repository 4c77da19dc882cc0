//! `cfready rules`, `explain` and `schema`: what the registry and the schema say, printed.

use clap::{Args, ValueEnum};

use cfready::report;

use super::{Exit, print, unknown_rule};

pub const RULES_AFTER_HELP: &str =
    "Examples:\n  cfready rules\n  cfready rules --format json\n  cfready explain CF601";
pub const EXPLAIN_AFTER_HELP: &str = "Examples:\n  cfready explain CF601\n  cfready explain coverage-gap\n  cfready explain placeholder      part of one rule's name: CF101 (placeholder-answer)";
pub const SCHEMA_AFTER_HELP: &str = "Example:\n  cfready schema > cloud-fortified.schema.json\n\nThen point your editor at it with the first line of the questionnaire:\n  # yaml-language-server: $schema=cloud-fortified.schema.json";

#[derive(Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    format: RulesFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// A rule code (CF601) or name (coverage-gap), or part of one rule's name (placeholder).
    code: String,
}

pub fn rules(args: RulesArgs) -> anyhow::Result<Exit> {
    print(&match args.format {
        RulesFormat::Human => report::rules::table(),
        RulesFormat::Json => report::rules::json(),
        RulesFormat::Markdown => report::rules::markdown(),
    })?;
    Ok(Exit::Clean)
}

pub fn explain(args: ExplainArgs) -> anyhow::Result<Exit> {
    match cfready::ticket::registry::find(&args.code) {
        Some(rule) => {
            print(&report::rules::explain(rule))?;
            Ok(Exit::Clean)
        }
        // Part of one rule's name is that rule (`placeholder`); part of several is a question.
        None => match cfready::ticket::registry::named_like(&args.code).as_slice() {
            [rule] => {
                eprintln!(
                    "note: `{}` is part of one rule's name: {} ({})",
                    args.code, rule.code, rule.name
                );
                print(&report::rules::explain(rule))?;
                Ok(Exit::Clean)
            }
            _ => {
                eprintln!("error: {}", unknown_rule(&args.code));
                Ok(Exit::Failure)
            }
        },
    }
}

pub fn schema() -> anyhow::Result<Exit> {
    print(cfready::ticket::schema::SCHEMA_TEXT)?;
    Ok(Exit::Clean)
}
