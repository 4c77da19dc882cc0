//! SARIF 2.1.0 (OASIS), as a few serde structs: the rule registry as `tool.driver.rules`,
//! one result per finding with a physical location. Validated in CI against the official
//! schema (`tests/schemas/sarif-2.1.0.json`) with check-jsonschema.

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::ticket::lint::FileReport;
use crate::ticket::registry::{self, Rule};

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
    /// Safe and unsafe fixes with text edits (GitHub code scanning shows them as suggestions).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: DeletedRegion,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative paths stay relative, with `/` separators and the
/// characters a URI cannot hold percent-encoded. A URL (`probe --url`) stays as it is.
pub fn uri(path: &str) -> String {
    if path.contains("://") {
        return path.to_owned();
    }
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn descriptor(rule: &Rule) -> RuleDescriptor {
    RuleDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_owned(),
        },
        full_description: Text {
            text: rule.docs.trim().to_owned(),
        },
        help: Help {
            text: format!("{} (cfready explain {})", rule.summary, rule.code),
            markdown: rule.docs,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
    }
}

fn result<'a>(report: &FileReport, diagnostic: &'a Diagnostic, index: usize) -> SarifResult<'a> {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!(" (help: {help})"));
    }
    let fixes = match (&diagnostic.fix, &report.source) {
        (Some(fix), Some(source))
            if fix.applicability != Applicability::DisplayOnly && !fix.edits.is_empty() =>
        {
            vec![SarifFix {
                description: Text {
                    text: format!("{} ({} fix)", fix.title, fix.applicability.as_str()),
                },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: ArtifactLocation {
                        uri: uri(&report.path),
                    },
                    replacements: fix
                        .edits
                        .iter()
                        .map(|edit| {
                            let (start_line, start_column) = source.line_col(edit.start);
                            let (end_line, end_column) = source.line_col(edit.end);
                            Replacement {
                                deleted_region: DeletedRegion {
                                    start_line,
                                    start_column,
                                    end_line,
                                    end_column,
                                },
                                inserted_content: Text {
                                    text: edit.content.clone(),
                                },
                            }
                        })
                        .collect(),
                }],
            }]
        }
        _ => Vec::new(),
    };
    SarifResult {
        fixes,
        rule_id: diagnostic.code,
        rule_index: index,
        level: level(diagnostic.severity),
        message: Text { text: message },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(&report.path),
                },
                region: diagnostic.span.map(|span| Region {
                    start_line: span.line,
                    start_column: span.column,
                }),
            },
            logical_locations: diagnostic
                .pointer
                .as_deref()
                .map(|pointer| LogicalLocation {
                    fully_qualified_name: pointer,
                    kind: "member",
                })
                .into_iter()
                .collect(),
        }],
    }
}

pub fn render(reports: &[FileReport]) -> String {
    let registry: Vec<&Rule> = registry::all().collect();
    let index_of = |code: &str| registry.iter().position(|r| r.code == code).unwrap_or(0);
    let results = reports
        .iter()
        .flat_map(|report| {
            report
                .diagnostics
                .iter()
                .map(move |d| result(report, d, index_of(d.code)))
        })
        .collect();
    let notifications: Vec<Notification> = reports
        .iter()
        .filter_map(|report| {
            report.failure.as_ref().map(|failure| Notification {
                level: "error",
                message: Text {
                    text: format!("{}: {failure}", report.path),
                },
            })
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: registry.iter().map(|rule| descriptor(rule)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("plain data serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("examples/acme timesheets.yaml"),
            "examples/acme%20timesheets.yaml"
        );
        assert_eq!(uri("dir\\file.yaml"), "dir/file.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("https://a.example/x"), "https://a.example/x");
    }
}
