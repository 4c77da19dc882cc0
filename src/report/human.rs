//! Human output: rustc-style snippets with a caret under the offending value
//! (annotate-snippets, the renderer rustc uses).

use crate::words::plural;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::ticket::fix;
use crate::ticket::lint::FileReport;

/// How human output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    /// Leave out the closing summary line.
    pub quiet: bool,
    /// `--unsafe-fixes`: unsafe fixes count as fixable (marked, and in the summary's count).
    pub unsafe_fixes: bool,
    /// After `--fix`: how many fixes were applied (the summary says so).
    pub fixed: Option<usize>,
}

impl Style {
    /// The fixes `--fix` applies in this run.
    fn allowed(self) -> Applicability {
        if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }
}

/// For each finding of a report, whether `--fix` would fix it now (`.0`), and whether only
/// `--unsafe-fixes` would (`.1`). Without the text, nothing can be fixed.
fn fixable(report: &FileReport, style: Style) -> Vec<(bool, bool)> {
    let Some(source) = &report.source else {
        return vec![(false, false); report.diagnostics.len()];
    };
    let now = fix::fixable(&source.text, &report.diagnostics, style.allowed());
    let all = fix::fixable(&source.text, &report.diagnostics, Applicability::Unsafe);
    now.into_iter()
        .zip(all)
        .map(|(now, all)| (now, all && !now))
        .collect()
}

pub fn render(reports: &[FileReport], style: Style) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    let (mut now, mut hidden) = (0, 0);
    for report in reports {
        if let Some(failure) = &report.failure {
            let group = Level::ERROR.primary_title(failure.as_str());
            out.push_str(&renderer.render(&[Group::with_title(group)]));
            out.push_str("\n\n");
        }
        for (diagnostic, (fixable, more)) in report.diagnostics.iter().zip(fixable(report, style)) {
            out.push_str(&render_one(&renderer, report, diagnostic, (fixable, more)));
            out.push_str("\n\n");
            now += usize::from(fixable);
            hidden += usize::from(more);
        }
    }
    if !style.quiet {
        if let Some(fixed) = style.fixed.filter(|&n| n > 0) {
            out.push_str(&format!("Fixed {}.\n", plural(fixed, "finding")));
        }
        out.push_str(&summary(reports));
        out.push('\n');
        out.push_str(&fixable_line(now, hidden));
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

fn render_one(
    renderer: &Renderer,
    report: &FileReport,
    diagnostic: &Diagnostic,
    (fixable, more): (bool, bool),
) -> String {
    let title = level(diagnostic.severity)
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code);
    let mut group = match (diagnostic.span, &report.source) {
        (Some(span), Some(source)) => {
            let line = span.line.min(source.line_count());
            let range = source.line_range(line);
            let text = &source.text[range.clone()];
            // Underline the first line of the value only: a block answer may run for pages.
            let mut start = span.start.clamp(range.start, range.end) - range.start;
            let mut end = span.end.clamp(range.start, range.end) - range.start;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if end <= start {
                end = text[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
            }
            title.element(
                Snippet::source(text)
                    .line_start(line)
                    .path(report.path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        (Some(span), None) => title.element(
            Origin::path(report.path.as_str())
                .line(span.line)
                .char_column(span.column),
        ),
        (None, _) => title.element(Origin::path(report.path.as_str())),
    };
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    // `[*]` marks what `--fix` would fix, as ruff marks it.
    let suggestion = diagnostic.fix.as_ref().map(|fix| {
        let how = match (fixable, more) {
            (true, _) => "[*] fixable with --fix",
            (false, true) => "fixable with --fix --unsafe-fixes",
            (false, false) => "suggested fix",
        };
        format!("{how} ({}): {}", fix.applicability.as_str(), fix.title)
    });
    if let Some(suggestion) = &suggestion {
        group = group.element(Level::NOTE.message(suggestion.as_str()));
    }
    renderer.render(&[group])
}

/// The closing line: what was checked and what was found.
pub fn summary(reports: &[FileReport]) -> String {
    let count = |severity| reports.iter().map(|r| r.count(severity)).sum::<usize>();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let unreadable = reports.iter().filter(|r| r.failure.is_some()).count();
    let files = plural(reports.len(), "file");
    if errors + warnings + infos + unreadable == 0 {
        return format!("All checks passed ({files}).");
    }
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "note"));
    }
    let mut line = format!("Found {} in {files}", parts.join(", "));
    if unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            plural(unreadable, "file")
        ));
    }
    line.push('.');
    line
}

/// The line after the summary: what `--fix` would fix now (`[*] N fixable with --fix (M more
/// with --unsafe-fixes).`); empty when nothing is.
fn fixable_line(now: usize, hidden: usize) -> String {
    let mut out = String::new();
    match (now, hidden) {
        (0, 0) => {}
        (0, hidden) => out.push_str(&format!("{hidden} fixable with --fix --unsafe-fixes.\n")),
        (now, 0) => out.push_str(&format!("[*] {now} fixable with --fix.\n")),
        (now, hidden) => out.push_str(&format!(
            "[*] {now} fixable with --fix ({hidden} more with --unsafe-fixes).\n"
        )),
    }
    out
}
