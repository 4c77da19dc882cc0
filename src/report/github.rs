//! GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` per
//! finding, which GitHub shows as an annotation on the file.

use crate::diagnostic::Severity;
use crate::ticket::lint::FileReport;

/// Escape a command's message: `%`, CR and LF.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: the message's escapes, plus `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        if let Some(failure) = &report.failure {
            out.push_str(&format!(
                "::error file={}::{}\n",
                property(&report.path),
                data(&format!("cannot read {}: {failure}", report.path))
            ));
        }
        for diagnostic in &report.diagnostics {
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = vec![format!("file={}", property(&report.path))];
            if let Some(span) = diagnostic.span {
                properties.push(format!("line={}", span.line));
                properties.push(format!("col={}", span.column));
            }
            properties.push(format!("title={}", property(diagnostic.code)));
            let mut message = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            out.push_str(&format!(
                "::{command} {}::{}\n",
                properties.join(","),
                data(&message)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(data("50% of a\r\nb"), "50%25 of a%0D%0Ab");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
