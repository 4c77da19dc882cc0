//! Human output: rustc-style snippets with a caret under the offending value
//! (annotate-snippets, the renderer rustc uses).

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;

/// How human output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    /// Leave out the closing summary line.
    pub quiet: bool,
}

pub fn render(reports: &[FileReport], style: Style) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for report in reports {
        if let Some(failure) = &report.failure {
            let group = Level::ERROR.primary_title(failure.as_str());
            out.push_str(&renderer.render(&[Group::with_title(group)]));
            out.push_str("\n\n");
        }
        for diagnostic in &report.diagnostics {
            out.push_str(&render_one(&renderer, report, diagnostic));
            out.push_str("\n\n");
        }
    }
    if !style.quiet {
        out.push_str(&summary(reports));
        out.push('\n');
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

fn render_one(renderer: &Renderer, report: &FileReport, diagnostic: &Diagnostic) -> String {
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
    let suggestion = diagnostic.fix.as_ref().map(|fix| {
        format!(
            "suggested fix ({}): {}",
            fix.applicability.as_str(),
            fix.title
        )
    });
    if let Some(suggestion) = &suggestion {
        group = group.element(Level::NOTE.message(suggestion.as_str()));
    }
    renderer.render(&[group])
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
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
