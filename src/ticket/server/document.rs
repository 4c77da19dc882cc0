//! The documents the server looks after: which ones are questionnaires, their text as lint
//! reads it, and the arithmetic between byte offsets and LSP positions.

use lsp_types::{Position, Range, Url};

use crate::ticket::lint::{self, FileReport, LintOptions};

/// How positions count characters in a line: LSP's default is UTF-16 code units; a client may
/// offer UTF-8 (bytes) instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Whether a document is a questionnaire: `cloud-fortified.yaml`/`.yml`,
/// `*.cloud-fortified.yaml`/`.yml`, or YAML whose first comment is the schema modeline naming
/// cfready's schema.
pub fn is_questionnaire(uri: &Url, language_id: Option<&str>, text: &str) -> bool {
    let name = uri
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .unwrap_or_default();
    let name = crate::net::percent_decode(name).to_ascii_lowercase();
    let yaml_name = name.ends_with(".yaml") || name.ends_with(".yml");
    if lint::is_questionnaire_name(&name) {
        return true;
    }
    (yaml_name || language_id == Some("yaml")) && has_modeline(text)
}

/// The first comment of the text is `# yaml-language-server: $schema=...` naming cfready's
/// schema (the bundled `questionnaire.schema.json`, what `cfready schema` writes, or a URL
/// that names cfready).
pub fn has_modeline(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(comment) = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && *line != "---")
        .and_then(|line| line.strip_prefix('#'))
    else {
        return false;
    };
    let Some((_, schema)) = comment.split_once("$schema=") else {
        return false;
    };
    if !comment.contains("yaml-language-server:") {
        return false;
    }
    let schema = schema.split_whitespace().next().unwrap_or_default();
    schema.ends_with("questionnaire.schema.json")
        || schema.ends_with("cloud-fortified.schema.json")
        || schema.contains("cfready")
}

/// Lines of a text, for position arithmetic. Lines end at `\n`, `\r\n` or `\r`, as LSP counts
/// them and as lint normalises them.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of each line's first character.
    starts: Vec<usize>,
    /// Byte offset just past each line's content (before its line ending).
    ends: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut ends = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    ends.push(i);
                    starts.push(i + 1);
                }
                b'\r' => {
                    ends.push(i);
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        ends.push(bytes.len());
        LineIndex {
            starts,
            ends,
            len: bytes.len(),
        }
    }

    /// The byte range of a 0-based line's content, or `None` past the last line.
    pub fn line(&self, line: usize) -> Option<std::ops::Range<usize>> {
        Some(*self.starts.get(line)?..self.ends[line])
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let offset = offset.min(self.ends[line]);
        let column = units(&text[start..offset], encoding);
        Position::new(line as u32, column as u32)
    }

    /// The byte offset of a position; a line or column past the end is clamped to the end of
    /// the text or of the line.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(range) = self.line(position.line as usize) else {
            return self.len;
        };
        let wanted = position.character as usize;
        let mut counted = 0;
        for (i, c) in text[range.clone()].char_indices() {
            if counted >= wanted {
                return range.start + i;
            }
            counted += match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        range.end
    }
}

/// The length of a text in the encoding's units.
pub fn units(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
    }
}

/// One open document.
#[derive(Debug)]
pub struct Document {
    pub uri: Url,
    pub version: Option<i32>,
    pub language_id: Option<String>,
    /// The text as the client holds it.
    pub text: String,
    /// The text as lint reads it: no BOM, every line ending `\n`. Byte offsets of
    /// diagnostics and fixes are into this text.
    pub normalised: String,
    pub index: LineIndex,
    /// The client's text starts with a byte-order mark: columns of the first line are one
    /// character further right than in the normalised text.
    pub bom: bool,
    /// The client's line ending, for inserted lines.
    pub eol: &'static str,
    /// What lint found, when the document is a questionnaire.
    pub report: Option<FileReport>,
}

impl Document {
    pub fn new(uri: Url, version: Option<i32>, language_id: Option<String>, text: String) -> Self {
        let bom = text.starts_with('\u{feff}');
        let stripped = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let normalised = if stripped.contains('\r') {
            stripped.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            stripped.to_owned()
        };
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Document {
            uri,
            version,
            language_id,
            index: LineIndex::new(&normalised),
            text,
            normalised,
            bom,
            eol,
            report: None,
        }
    }

    pub fn is_questionnaire(&self) -> bool {
        is_questionnaire(&self.uri, self.language_id.as_deref(), &self.text)
    }

    /// The name lint gives the file: its path, so that the descriptor or manifest it names is
    /// read beside it; `-` for a document that is not a file (nothing is read then).
    pub fn lint_name(&self) -> String {
        match self.uri.to_file_path() {
            Ok(path) if self.uri.scheme() == "file" => path.display().to_string(),
            _ => "-".to_owned(),
        }
    }

    /// Lint the text as `cfready lint` would the file.
    pub fn lint(&mut self, options: &LintOptions) {
        self.report = Some(lint::lint_bytes(
            &self.lint_name(),
            self.text.as_bytes(),
            options,
        ));
    }

    /// The client position of a byte offset into the normalised text.
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let mut position = self.index.position(&self.normalised, offset, encoding);
        if self.bom && position.line == 0 {
            position.character += units("\u{feff}", encoding) as u32;
        }
        position
    }

    pub fn range(&self, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(
            self.position(start, encoding),
            self.position(end.max(start), encoding),
        )
    }

    /// The byte offset into the normalised text of a client position (clamped).
    pub fn offset(&self, mut position: Position, encoding: Encoding) -> usize {
        if self.bom && position.line == 0 {
            position.character = position
                .character
                .saturating_sub(units("\u{feff}", encoding) as u32);
        }
        self.index.offset(&self.normalised, position, encoding)
    }

    /// Text to insert, with the client's line endings.
    pub fn with_eol(&self, text: &str) -> String {
        if self.eol == "\n" {
            text.to_owned()
        } else {
            text.replace('\n', self.eol)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(path: &str) -> Url {
        Url::parse(&format!("file:///work/{path}")).unwrap()
    }

    #[test]
    fn questionnaires_by_name_or_modeline() {
        assert!(is_questionnaire(&uri("cloud-fortified.yaml"), None, ""));
        assert!(is_questionnaire(&uri("a/cloud-fortified.yml"), None, ""));
        assert!(is_questionnaire(
            &uri("acme.cloud-fortified.yaml"),
            None,
            ""
        ));
        let modeline =
            "# yaml-language-server: $schema=../schemas/questionnaire.schema.json\nversion: 1\n";
        assert!(is_questionnaire(&uri("x.yaml"), None, modeline));
        assert!(!is_questionnaire(&uri("x.json"), None, modeline));
        assert!(!is_questionnaire(
            &uri("ci.yaml"),
            Some("yaml"),
            "on: push\n"
        ));
        let other =
            "# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\n";
        assert!(!is_questionnaire(&uri("ci.yaml"), None, other));
        let later =
            "# a comment first\n# yaml-language-server: $schema=questionnaire.schema.json\n";
        assert!(!is_questionnaire(&uri("x.yaml"), None, later));
    }

    #[test]
    fn positions_count_utf16_units_and_survive_crlf_and_bom() {
        let doc = Document::new(
            uri("x.yaml"),
            None,
            None,
            "\u{feff}a: 😀b\r\nc: d\r\n".into(),
        );
        assert_eq!(doc.normalised, "a: 😀b\nc: d\n");
        // `b` is byte 7 of the normalised text; 😀 is two UTF-16 units; the BOM one more.
        assert_eq!(doc.position(7, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(doc.position(7, Encoding::Utf8), Position::new(0, 10));
        assert_eq!(doc.offset(Position::new(0, 6), Encoding::Utf16), 7);
        assert_eq!(doc.position(9, Encoding::Utf16), Position::new(1, 0));
        // Outside the document: clamped.
        assert_eq!(doc.offset(Position::new(99, 0), Encoding::Utf16), 14);
        assert_eq!(doc.offset(Position::new(1, 99), Encoding::Utf16), 13);
        assert_eq!(doc.position(999, Encoding::Utf16), Position::new(2, 0));
        assert_eq!(doc.with_eol("x\n"), "x\r\n");
    }
}
