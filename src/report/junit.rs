//! JUnit XML, as Jenkins and GitLab read it: one test suite per file, one test case per
//! rule checked; a rule with findings has one failing test case per finding, so the
//! failures a reader counts are the findings cfready reported.

use crate::diagnostic::Diagnostic;
use crate::ticket::lint::FileReport;
use crate::ticket::registry::{self, Family};

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold other control characters at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn failure(path: &str, diagnostic: &Diagnostic) -> String {
    let place = diagnostic
        .span
        .map(|s| format!("{path}:{}:{}", s.line, s.column))
        .unwrap_or_else(|| path.to_owned());
    let mut body = format!("{place}: {}", diagnostic.message);
    if let Some(help) = &diagnostic.help {
        body.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
        diagnostic.severity.as_str(),
        xml(&diagnostic.message),
        xml(&body)
    )
}

/// `probe`: true when the probe's rules were checked too (`probe`, `check`).
pub fn render(reports: &[FileReport], probe: bool) -> String {
    let checked: Vec<_> = registry::all()
        // The monitor's findings come from `slo`, never from a questionnaire.
        .filter(|rule| rule.family != Family::Slo && (probe || rule.family != Family::Probe))
        .collect();
    let mut suites = String::new();
    let (mut all_tests, mut all_failures, mut all_errors) = (0, 0, 0);
    for report in reports {
        let mut cases = String::new();
        let (mut tests, mut failures) = (0, 0);
        let classname = xml(&report.path);
        if let Some(reason) = &report.failure {
            all_errors += 1;
            tests += 1;
            cases.push_str(&format!(
                "    <testcase name=\"read {classname}\" classname=\"{classname}\">\n      <error message=\"{}\"/>\n    </testcase>\n",
                xml(reason)
            ));
        }
        for rule in &checked {
            let found: Vec<&Diagnostic> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code)
                .collect();
            let name = format!("{} {}", rule.code, rule.name);
            if found.is_empty() {
                tests += 1;
                cases.push_str(&format!(
                    "    <testcase name=\"{}\" classname=\"{classname}\"/>\n",
                    xml(&name)
                ));
            }
            for diagnostic in found {
                tests += 1;
                failures += 1;
                let at = diagnostic
                    .span
                    .map(|s| format!(" at {}:{}", s.line, s.column))
                    .unwrap_or_default();
                cases.push_str(&format!(
                    "    <testcase name=\"{}{at}\" classname=\"{classname}\">\n{}    </testcase>\n",
                    xml(&name),
                    failure(&report.path, diagnostic)
                ));
            }
        }
        let errors = usize::from(report.failure.is_some());
        all_tests += tests;
        all_failures += failures;
        suites.push_str(&format!(
            "  <testsuite name=\"{classname}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n{cases}  </testsuite>\n"
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cfready\" tests=\"{all_tests}\" failures=\"{all_failures}\" errors=\"{all_errors}\">\n{suites}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            xml("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}"
        );
    }
}
