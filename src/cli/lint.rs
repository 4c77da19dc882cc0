//! `cfready lint`: its arguments, and the glue between them, the library and the terminal
//! (lint, and with `--fix` or `--diff` the fixes applied, written or shown).

use std::path::Path;

use clap::Args;

use cfready::diagnostic::Applicability;
use cfready::report::{self, Format, Style};
use cfready::ticket::fix::{self, FileFix};
use cfready::ticket::lint::{self, DEFAULT_FILE, FileReport};

use super::{ColorChoice, Exit, OutputArgs, print, use_color};

pub const EXAMPLES: &str = "\
Examples:
  cfready lint
  cfready lint cloud-fortified.yaml --format json
  cat cloud-fortified.yaml | cfready lint -
  cfready lint --fix                      apply the safe fixes in place, report what is left
  cfready lint --fix --unsafe-fixes       the unsafe ones too (they change what you commit to)
  cfready lint --diff                     show the fixes as a diff, change nothing
  cfready lint --fix - < in.yaml > out.yaml

Fixes are text edits: comments, quoting, layout, anchors and line endings outside the
edited text stay as written. A file that does not parse, is over the size cap, or changed
on disk while it was being fixed is never written. Exit codes are lint's, for what is left;
with --diff, 1 when there is something to fix.";

#[derive(Args)]
pub struct LintArgs {
    /// Questionnaire files; `-` reads standard input.
    #[arg(default_value = DEFAULT_FILE)]
    files: Vec<String>,

    /// Apply the safe fixes in place (for `-`: print the fixed text), then report what is left.
    #[arg(long)]
    fix: bool,

    /// Apply the unsafe fixes too: they change what you commit to, so review them.
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing (exit 1 when there is something to
    /// fix).
    #[arg(long)]
    diff: bool,

    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: LintArgs, color: ColorChoice) -> anyhow::Result<Exit> {
    let options = args.output.lint.options();
    let allowed = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mut style = Style {
        unsafe_fixes: args.unsafe_fixes,
        ..args.output.style(color)
    };
    if args.diff {
        return diff(&args, &options, allowed, color);
    }
    if !args.fix {
        let reports: Vec<_> = args
            .files
            .iter()
            .map(|path| lint::lint_path(path, &options).findings_only())
            .collect();
        print(&report::render(&reports, args.output.format(), style))?;
        return Ok(Exit::of(lint::exit_code(&reports, args.output.strict)));
    }
    let mut reports = Vec::new();
    let mut fixed = 0;
    // Standard input's fixed text goes to stdout: the findings go to stderr then.
    let mut stdout_text = String::new();
    for path in &args.files {
        let FileFix {
            fixed: result,
            read,
        } = fix::fix_path(path, &options, allowed);
        let mut report = result.report;
        match (&result.text, &read) {
            (_, Some(read)) if path == "-" => {
                let original = String::from_utf8_lossy(&read.bytes);
                stdout_text.push_str(result.text.as_deref().unwrap_or(&original));
                fixed += result.applied.len();
            }
            (Some(text), Some(read)) => match fix::write_back(Path::new(path), read, text) {
                Ok(()) => fixed += result.applied.len(),
                Err(error) => {
                    // Nothing was written: report the file as it was read.
                    report = lint::lint_bytes(path, &read.bytes, &options);
                    report.failure = Some(error.to_string());
                }
            },
            _ => {}
        }
        reports.push(report.findings_only());
    }
    style.fixed = Some(fixed);
    let format = args.output.format();
    if args.files.iter().any(|path| path == "-") {
        print(&stdout_text)?;
        style.color = use_color(color, &std::io::stderr());
        eprint!("{}", report::render(&reports, format, style));
    } else {
        print(&report::render(&reports, format, style))?;
    }
    Ok(Exit::of(lint::exit_code(&reports, args.output.strict)))
}

/// `--diff`: each file's fixes as a unified diff on stdout, nothing written; what could not be
/// fixed (a file that does not parse, is over the cap, cannot be read) on stderr.
fn diff(
    args: &LintArgs,
    options: &lint::LintOptions,
    allowed: Applicability,
    color: ColorChoice,
) -> anyhow::Result<Exit> {
    let mut out = String::new();
    let mut would_fix = 0;
    let mut left: Vec<FileReport> = Vec::new();
    let mut blocked = Vec::new();
    for path in &args.files {
        let file = fix::fix_path(path, options, allowed);
        let name = if path == "-" { "<stdin>" } else { path };
        if let (Some(text), Some(read)) = (&file.fixed.text, &file.read) {
            out.push_str(&fix::unified_diff(
                name,
                &String::from_utf8_lossy(&read.bytes),
                text,
            ));
            would_fix += file.fixed.applied.len();
        }
        let report = file.fixed.report;
        if report.failure.is_some() || report.document.is_none() {
            blocked.push(report.findings_only());
        } else {
            left.push(report.findings_only());
        }
    }
    print(&out)?;
    let style = Style {
        color: use_color(color, &std::io::stderr()),
        quiet: true,
        unsafe_fixes: args.unsafe_fixes,
        fixed: None,
    };
    if !blocked.is_empty() {
        eprint!("{}", report::render(&blocked, Format::Human, style));
    }
    if !args.output.quiet {
        let fixes = if would_fix == 1 { "fix" } else { "fixes" };
        // What `--unsafe-fixes` would add (when it was not given).
        let hidden: usize = left
            .iter()
            .filter_map(|r| Some((&r.source.as_ref()?.text, &r.diagnostics)))
            .map(|(text, diagnostics)| {
                let now = fix::fixable(text, diagnostics, allowed);
                let all = fix::fixable(text, diagnostics, Applicability::Unsafe);
                now.iter()
                    .zip(all)
                    .filter(|(now, all)| *all && !**now)
                    .count()
            })
            .sum();
        let more = if hidden > 0 {
            format!(" ({hidden} more with --unsafe-fixes)")
        } else {
            String::new()
        };
        eprintln!("Would apply {would_fix} {fixes}{more}.");
    }
    Ok(if blocked.iter().any(|r| r.failure.is_some()) {
        Exit::Failure
    } else {
        Exit::findings_if(would_fix > 0 || !blocked.is_empty())
    })
}
