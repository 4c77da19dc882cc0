//! Stage 1: bytes -> text -> one YAML document as a `serde_json::Value`, with the position of
//! every key and value recorded under its JSON pointer.
//!
//! The YAML is read with saphyr's parser (saphyr-parser), pulled event by event, so that the
//! limits below stop a hostile file as soon as it crosses one instead of after it was built.
//! Scalars are resolved with saphyr's YAML 1.2 core schema (`yes` stays a string, `2026-10-01`
//! stays a string, `1` is an integer).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr::{Scalar, ScalarStyle};
use saphyr_parser::{Event, Parser, ScanError, Span as YamlSpan, Tag};
use serde_json::{Map, Value};

use crate::diagnostic::{Change, Diagnostic, Fix, Span};
use crate::source::Source;
use crate::ticket::registry::input::{
    DUPLICATE_KEY, FILE_TOO_LARGE, INVALID_ENCODING, NOT_A_QUESTIONNAIRE, UNSUPPORTED_YAML,
    YAML_SYNTAX,
};

pub mod traps;

/// Files larger than this are refused before parsing.
pub const MAX_FILE_SIZE: usize = 4 * 1024 * 1024;
/// Deepest nesting of mappings and lists accepted (a questionnaire needs six).
pub const MAX_DEPTH: usize = 64;
/// Most nodes that alias expansion may produce in one file.
pub const MAX_ALIAS_NODES: usize = 10_000;

pub use traps::Written;

impl From<ScalarStyle> for Written {
    fn from(style: ScalarStyle) -> Self {
        match style {
            ScalarStyle::Plain => Written::Plain,
            ScalarStyle::SingleQuoted => Written::SingleQuoted,
            ScalarStyle::DoubleQuoted => Written::DoubleQuoted,
            ScalarStyle::Literal => Written::Literal,
            ScalarStyle::Folded => Written::Folded,
        }
    }
}

/// Where a value (and, in a mapping, its key) stands in the source.
#[derive(Debug, Clone, Copy)]
pub struct NodePosition {
    pub key: Option<Span>,
    pub value: Span,
    /// How a scalar is written (`None` for a collection or an alias).
    pub written: Option<Written>,
    /// Whether the node is inside a flow collection (`{...}`, `[...]`), where a block scalar
    /// cannot be written.
    pub in_flow: bool,
}

/// JSON pointer -> position, for every node the file spells out. Nodes produced by an alias
/// have no entry of their own and resolve to the alias.
#[derive(Debug, Default)]
pub struct Positions {
    map: HashMap<String, NodePosition>,
}

impl Positions {
    /// The position of the value at `pointer`, or of its nearest ancestor that has one.
    pub fn value(&self, pointer: &str) -> Option<Span> {
        self.nearest(pointer).map(|position| position.value)
    }

    /// The position of the key of `pointer` (its value for list items and the root), or of the
    /// nearest ancestor that has one.
    pub fn key(&self, pointer: &str) -> Option<Span> {
        self.nearest(pointer)
            .map(|position| position.key.unwrap_or(position.value))
    }

    /// The pointer of the innermost value whose span holds the byte `offset`.
    pub fn innermost(&self, offset: usize) -> Option<String> {
        self.map
            .iter()
            .filter(|(_, position)| position.value.start <= offset && offset <= position.value.end)
            .min_by_key(|(pointer, position)| {
                (
                    position.value.end - position.value.start,
                    std::cmp::Reverse(pointer.len()),
                )
            })
            .map(|(pointer, _)| pointer.clone())
    }

    /// The node at exactly `pointer`, when the file spells it out (not through an alias).
    pub fn node(&self, pointer: &str) -> Option<&NodePosition> {
        self.map.get(pointer)
    }

    fn nearest(&self, mut pointer: &str) -> Option<&NodePosition> {
        loop {
            if let Some(position) = self.map.get(pointer) {
                return Some(position);
            }
            if pointer.is_empty() {
                return None;
            }
            pointer = &pointer[..pointer.rfind('/').unwrap_or(0)];
        }
    }
}

/// A questionnaire that parsed: its value and where each part of it stands.
#[derive(Debug)]
pub struct Document {
    pub value: Value,
    pub positions: Positions,
}

/// What loading produced: the source (when the bytes are text) and the document or the reasons
/// there is none.
pub struct Loaded {
    pub source: Option<Source>,
    pub document: Result<Document, Vec<Diagnostic>>,
}

/// Escape one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Call `visit` with the pointer and text of every string in `value`, in document order.
pub fn for_each_string<'a>(value: &'a Value, visit: &mut dyn FnMut(&str, &'a str)) {
    fn walk<'a>(value: &'a Value, pointer: &mut String, visit: &mut dyn FnMut(&str, &'a str)) {
        let length = pointer.len();
        match value {
            Value::String(text) => visit(pointer, text),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let _ = write!(pointer, "/{index}");
                    walk(item, pointer, visit);
                    pointer.truncate(length);
                }
            }
            Value::Object(entries) => {
                for (key, item) in entries {
                    pointer.push('/');
                    pointer.push_str(&escape_token(key));
                    walk(item, pointer, visit);
                    pointer.truncate(length);
                }
            }
            _ => {}
        }
    }
    walk(value, &mut String::new(), visit);
}

/// Decode, check and parse one file's bytes.
pub fn load(name: &str, bytes: &[u8]) -> Loaded {
    let fail = |diagnostic: Diagnostic| Loaded {
        source: None,
        document: Err(vec![diagnostic]),
    };
    if bytes.len() > MAX_FILE_SIZE {
        return fail(too_large(Some(bytes.len() as u64)));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            // Show the file as far as it is text, pointing at the first bad byte.
            let valid = error.valid_up_to();
            let source = Source::new(name, normalise_newlines(&String::from_utf8_lossy(bytes)));
            let prefix = normalise_newlines(&String::from_utf8_lossy(&bytes[..valid]));
            let span = source.span_at(prefix.len(), 1);
            let diagnostic = Diagnostic::new(
                &INVALID_ENCODING,
                format!(
                    "the file is not valid UTF-8: byte 0x{:02X} at line {}, column {}",
                    bytes[valid], span.line, span.column
                ),
            )
            .at(Some(span))
            .help("save the file as UTF-8");
            return Loaded {
                source: Some(source),
                document: Err(vec![diagnostic]),
            };
        }
    };
    let source = Source::new(name, normalise_newlines(text));
    if let Some(nul) = source.text.find('\0') {
        let span = source.span_at(nul, 1);
        let diagnostic = Diagnostic::new(
            &INVALID_ENCODING,
            format!(
                "the file contains a NUL byte at line {}, column {}: it looks binary, not like a YAML questionnaire",
                span.line, span.column
            ),
        );
        return Loaded {
            source: None,
            document: Err(vec![diagnostic.at(Some(span))]),
        };
    }
    let document = Builder::new(&source).run();
    Loaded {
        source: Some(source),
        document,
    }
}

/// CF002 for an input over [`MAX_FILE_SIZE`], with its real size when it is known (a file's,
/// from its metadata; a stream's is not, since nothing past the cap is read).
pub fn too_large(size: Option<u64>) -> Diagnostic {
    let mib = MAX_FILE_SIZE / (1024 * 1024);
    let message = match size {
        Some(size) => format!(
            "the file is {} bytes, over the {mib} MiB cap for a questionnaire",
            thousands(size)
        ),
        None => format!("the input is more than {mib} MiB, the cap for a questionnaire"),
    };
    Diagnostic::new(&FILE_TOO_LARGE, message)
        .help("a complete questionnaire is a few kilobytes: is this the right file?")
}

/// `4195187` as `4,195,187`.
fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// CRLF and lone CR become LF, so that lines and columns match what editors show.
fn normalise_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// A collection under construction.
enum Frame {
    Sequence {
        items: Vec<Value>,
        pointer: String,
        anchor: usize,
        /// Written in flow style (`[...]`).
        flow: bool,
    },
    Mapping {
        entries: Map<String, Value>,
        pointer: String,
        anchor: usize,
        /// The key read and waiting for its value.
        pending_key: Option<(String, Span)>,
        /// Written in flow style (`{...}`).
        flow: bool,
    },
}

impl Frame {
    fn flow(&self) -> bool {
        match self {
            Frame::Sequence { flow, .. } | Frame::Mapping { flow, .. } => *flow,
        }
    }
}

/// The last scalar value read, for the syntax errors that a value's text causes (a `: ` or a
/// ` #` inside a plain scalar is only reported once the scalar before it was read).
struct LastValue {
    pointer: String,
    value: Span,
    key: Option<Span>,
    written: Written,
}

/// A value that was anchored (`&name`), kept for its aliases along with its size.
struct Anchored {
    value: Value,
    nodes: usize,
}

struct Builder<'s> {
    source: &'s Source,
    stack: Vec<Frame>,
    positions: Positions,
    anchors: HashMap<usize, Anchored>,
    alias_nodes: usize,
    root: Option<Value>,
    documents: usize,
    /// Findings that do not stop parsing (duplicate keys): all of them are reported.
    findings: Vec<Diagnostic>,
    last_value: Option<LastValue>,
    /// Whether a syntax error gets a fix (false while checking one, so that a fix is never
    /// searched for inside another's check).
    suggest: bool,
}

// The parse stops at its first fatal finding; returning that `Diagnostic` by value on the
// (cold) error path is simpler than boxing it.
#[allow(clippy::result_large_err)]
impl<'s> Builder<'s> {
    fn new(source: &'s Source) -> Self {
        Builder {
            source,
            stack: Vec::new(),
            positions: Positions::default(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            root: None,
            documents: 0,
            findings: Vec::new(),
            last_value: None,
            suggest: true,
        }
    }

    fn span(&self, span: YamlSpan) -> Span {
        self.source.span(
            (span.start.line(), span.start.col()),
            (span.end.line(), span.end.col()),
        )
    }

    fn run(mut self) -> Result<Document, Vec<Diagnostic>> {
        let mut parser = Parser::new_from_str(&self.source.text);
        let stop = loop {
            let Some(next) = parser.next_event() else {
                break None;
            };
            let step = match next {
                Ok((event, span)) => self.event(event, span),
                Err(error) => Err(self.syntax_error(&error)),
            };
            match step {
                Ok(true) => continue,
                Ok(false) => break None,
                Err(diagnostic) => break Some(diagnostic),
            }
        };
        if let Some(diagnostic) = stop {
            self.findings.push(diagnostic);
        }
        if !self.findings.is_empty() {
            return Err(self.findings);
        }
        match self.root {
            Some(Value::Object(_)) => Ok(Document {
                value: self.root.take().unwrap_or_default(),
                positions: self.positions,
            }),
            Some(other) => {
                let span = self.positions.value("");
                Err(vec![
                    Diagnostic::new(
                        &NOT_A_QUESTIONNAIRE,
                        format!(
                            "the document is {}, but a questionnaire is a mapping of keys such as `version` and `app`",
                            describe(&other)
                        ),
                    )
                    .at(span)
                    .help("start from `cfready init`, which writes a complete starter questionnaire"),
                ])
            }
            None => Err(vec![
                Diagnostic::new(
                    &NOT_A_QUESTIONNAIRE,
                    "the file is empty: it has no YAML content, only whitespace or comments",
                )
                .help("start from `cfready init`, which writes a complete starter questionnaire"),
            ]),
        }
    }

    fn syntax_error(&self, error: &ScanError) -> Diagnostic {
        let mark = error.marker();
        let span = self
            .source
            .span((mark.line(), mark.col()), (mark.line(), mark.col() + 1));
        if error.info() == "recursion limit exceeded" {
            // The scanner's own bound on flow nesting (`[[[[...`), met before ours.
            return self.too_deep(span);
        }
        if let Some((at, message, help)) = self.tab_error(error.info(), span) {
            let indenting = message.contains("indented with a tab");
            let mut diagnostic =
                Diagnostic::new(&YAML_SYNTAX, format!("YAML syntax error: {message}"))
                    .at(Some(self.source.span_at(at, 1)))
                    .help(help);
            if let Some(fix) = self.suggest.then(|| self.tab_fix(at, indenting)).flatten() {
                diagnostic = diagnostic.fix(fix);
            }
            return diagnostic;
        }
        if let Some(diagnostic) = self.prose_error(error.info(), span) {
            return diagnostic;
        }
        Diagnostic::new(&YAML_SYNTAX, format!("YAML syntax error: {}", error.info()))
            .at(Some(span))
            .help("fix the YAML syntax here; nothing else is checked until the file parses")
    }

    /// The fix of a tab the parser refused ([`traps::tab_edits`]), described as the value it
    /// gives: the file with the edits made is parsed (without suggestions of its own), and the
    /// change sets the innermost node at the first edit. `None` when it still does not parse.
    fn tab_fix(&self, tab: usize, indenting: bool) -> Option<Fix> {
        let text = &self.source.text;
        let (edits, applicability) = traps::tab_edits(text, tab, indenting)?;
        let mut fixed = String::with_capacity(text.len());
        let mut copied = 0;
        for edit in &edits {
            fixed.push_str(&text[copied..edit.start]);
            fixed.push_str(&edit.content);
            copied = edit.end;
        }
        fixed.push_str(&text[copied..]);
        let source = Source::new(&self.source.name, fixed);
        let mut builder = Builder::new(&source);
        builder.suggest = false;
        let document = builder.run().ok()?;
        // Offsets before the first edit are unchanged; the first character after its new
        // indentation (or space) belongs to the node the tab was in.
        let probe = edits[0].start + edits[0].content.len();
        let pointer = document.positions.innermost(probe)?;
        let value = document.value.pointer(&pointer)?.clone();
        let title = if indenting {
            "indent with spaces instead of tabs"
        } else {
            "replace the tab with a space"
        };
        Some(Fix {
            applicability,
            title: title.to_owned(),
            change: Change::Set { pointer, value },
            edits,
        })
    }

    /// A syntax error that an answer's text causes (a `: ` or a ` #` in a plain scalar, text
    /// after `|` on its line, the text under `|` not indented), worded for its fix.
    fn prose_error(&self, info: &str, at: Span) -> Option<Diagnostic> {
        let text = &self.source.text;
        let span_at = |offset: usize, len: usize| self.source.span_at(offset, len);
        if info.starts_with("while scanning a block scalar")
            && let Some(Frame::Mapping {
                pending_key: Some((key, key_span)),
                pointer,
                ..
            }) = self.stack.last()
        {
            let child = format!("{pointer}/{}", escape_token(key));
            let name = dotted(&child);
            return traps::after_block_indicator(
                text,
                at.start,
                (&child, &name),
                *key_span,
                span_at,
            );
        }
        let last = self.last_value.as_ref()?;
        let name = dotted(&last.pointer);
        let before = traps::Before {
            pointer: &last.pointer,
            name: &name,
            value: last.value,
            key: last.key,
            written: last.written,
        };
        if let Some(diagnostic) = traps::in_plain_text(text, info, at.start, &before, span_at) {
            return Some(diagnostic);
        }
        // `key: |` with nothing under it, and the text on the next line not indented: the
        // parser reads that text as a key and fails a line or two later.
        let key = last.key?;
        let header_end = key.end + text.get(key.end..)?.find('\n')?;
        let header_line = self.source.line_col(header_end).0;
        (matches!(last.written, Written::Literal | Written::Folded)
            && last.value.start == last.value.end
            && at.line <= header_line + 2)
            .then(|| {
                traps::under_indented_block(text, (&last.pointer, &name), key, header_end, span_at)
            })
            .flatten()
    }

    /// A syntax error that a tab causes, worded for its fix: where the tab is, the message and
    /// the help. The parser's own words ("':' must be followed by a valid YAML whitespace")
    /// name neither the tab nor the space it wants.
    fn tab_error(&self, info: &str, at: Span) -> Option<(usize, String, String)> {
        let text = &self.source.text;
        let line_count = self.source.line_count();
        // The first tab in the indentation of the error's line or of a line after it (the
        // parser reports some of these where the value or the block began).
        let indenting_tab = || {
            (at.line.min(line_count)..=line_count).find_map(|line| {
                let range = self.source.line_range(line);
                let body = &text[range.clone()];
                let indent = body.len() - body.trim_start_matches([' ', '\t']).len();
                body[..indent].find('\t').map(|i| (line, range.start + i))
            })
        };
        match info {
            "':' must be followed by a valid YAML whitespace"
            | "'-' must be followed by a valid YAML whitespace" => {
                let sign = if info.starts_with("':'") { ':' } else { '-' };
                // The mark is after the tabs: step back over them to the sign.
                let before = text[..at.start.min(text.len())].trim_end_matches([' ', '\t']);
                // YAML 1.2 lets a tab separate `key:` from a plain value, but neither this
                // parser nor PyYAML does; after `-` a tab would indent a nested list.
                let why = if sign == ':' {
                    "cfready's YAML parser, like PyYAML, does not accept a tab between `:` and a value"
                } else {
                    "a tab cannot indent the list that starts after `-`"
                };
                before.ends_with(sign).then(|| {
                    (
                        before.len(),
                        format!("a tab after `{sign}`, where a space is needed"),
                        format!("replace the tab with a space: {why}"),
                    )
                })
            }
            "tabs disallowed within this context (block indentation)"
            | "tab cannot be used as indentation"
            | "while scanning a plain scalar, found a tab" => {
                let (line, tab) = indenting_tab()?;
                Some((
                    tab,
                    format!("line {line} is indented with a tab"),
                    format!(
                        "YAML indents with spaces only: replace the tab at the start of line {line} with spaces"
                    ),
                ))
            }
            "a block scalar content cannot start with a tab" => {
                let (line, tab) = indenting_tab()?;
                Some((
                    tab,
                    format!(
                        "the text of the block that starts on line {} is indented with a tab",
                        at.line
                    ),
                    format!(
                        "YAML indents with spaces only: indent line {line} (and the lines of text after it) with spaces, further than their key"
                    ),
                ))
            }
            "tabs disallowed in this context" | "expected whitespace" => {
                let before = &text[..at.start.min(text.len())];
                let tab = if text[before.len()..].starts_with('\t') {
                    before.len()
                } else {
                    let blank = before.trim_end_matches([' ', '\t']);
                    blank.len() + before[blank.len()..].find('\t')?
                };
                Some((
                    tab,
                    "a tab where a space is needed".to_owned(),
                    "replace the tab with a space: cfready's YAML parser does not accept a tab here"
                        .to_owned(),
                ))
            }
            _ => {
                // Any other error on a line indented with a tab: the parser's words, and the
                // tab as the likely cause.
                let (line, _) = indenting_tab().filter(|&(line, _)| line == at.line)?;
                Some((
                    at.start,
                    info.to_owned(),
                    format!(
                        "YAML indents with spaces only: replace the tab at the start of line {line} with spaces"
                    ),
                ))
            }
        }
    }

    /// Handle one parser event. `Ok(false)` ends the stream.
    fn event(&mut self, event: Event<'_>, span: YamlSpan) -> Result<bool, Diagnostic> {
        match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => return Ok(false),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Diagnostic::new(
                        &NOT_A_QUESTIONNAIRE,
                        "a second YAML document starts here: a questionnaire is one document",
                    )
                    .at(Some(self.span(span)))
                    .help("keep one questionnaire per file, without a second `---`"));
                }
            }
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag)
                if tag.as_deref().is_some_and(|tag| !tag.is_yaml_core_schema()) =>
            {
                let _ = anchor;
                return Err(self.custom_tag(tag.as_deref(), span));
            }
            Event::MappingStart(anchor, _) => {
                let pointer = self.child_pointer(span)?;
                self.open(span, &pointer)?;
                let flow = self.opens_flow(span);
                self.stack.push(Frame::Mapping {
                    entries: Map::new(),
                    pointer,
                    anchor,
                    pending_key: None,
                    flow,
                });
            }
            Event::SequenceStart(anchor, _) => {
                let pointer = self.child_pointer(span)?;
                self.open(span, &pointer)?;
                let flow = self.opens_flow(span);
                self.stack.push(Frame::Sequence {
                    items: Vec::new(),
                    pointer,
                    anchor,
                    flow,
                });
            }
            Event::MappingEnd => {
                if let Some(Frame::Mapping {
                    entries, anchor, ..
                }) = self.stack.pop()
                {
                    self.complete(Value::Object(entries), anchor);
                }
            }
            Event::SequenceEnd => {
                if let Some(Frame::Sequence { items, anchor, .. }) = self.stack.pop() {
                    self.complete(Value::Array(items), anchor);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar_event(text, style, anchor, tag, span)?;
            }
            Event::Alias(id) => self.alias(id, span)?,
        }
        Ok(true)
    }

    /// A scalar: the pending key of a mapping, or a value with its position recorded.
    fn scalar_event(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        span: YamlSpan,
    ) -> Result<(), Diagnostic> {
        if tag.as_deref().is_some_and(|tag| !tag.is_yaml_core_schema()) {
            return Err(self.custom_tag(tag.as_deref(), span));
        }
        let at = self.span(span);
        if let Some(Frame::Mapping {
            pending_key: pending @ None,
            ..
        }) = self.stack.last_mut()
        {
            // A scalar where a key is expected is the key itself.
            *pending = Some((text.into_owned(), at));
            return Ok(());
        }
        let at = self.tighten(at, style);
        let written = Written::from(style);
        let value = self.scalar(text, style, tag.as_ref(), at)?;
        let pointer = self.child_pointer(span)?;
        self.record(&pointer, at, Some(written));
        self.last_value = Some(LastValue {
            key: self.pending_key(),
            pointer: pointer.clone(),
            value: at,
            written,
        });
        self.complete(value, anchor);
        Ok(())
    }

    /// An alias: the anchored value again (a key, or a value), its expansion bounded.
    fn alias(&mut self, id: usize, span: YamlSpan) -> Result<(), Diagnostic> {
        let at = self.span(span);
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(
                Diagnostic::new(&YAML_SYNTAX, "this alias refers to no anchor").at(Some(at)),
            );
        };
        self.alias_nodes += anchored.nodes;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(Diagnostic::new(
                &UNSUPPORTED_YAML,
                format!(
                    "aliases expand to more than {MAX_ALIAS_NODES} values (a \"billion laughs\" file?)"
                ),
            )
            .at(Some(at))
            .help("write the answers out instead of repeating them through aliases"));
        }
        let value = anchored.value.clone();
        if let Some(Frame::Mapping {
            pending_key: pending @ None,
            ..
        }) = self.stack.last_mut()
        {
            let Value::String(key) = value else {
                return Err(self.complex_key(at));
            };
            *pending = Some((key, at));
            return Ok(());
        }
        let pointer = self.child_pointer(span)?;
        self.record(&pointer, at, None);
        self.complete(value, 0);
        Ok(())
    }

    /// Checks before a collection opens: it is not a key, and not too deep.
    fn open(&mut self, span: YamlSpan, pointer: &str) -> Result<(), Diagnostic> {
        let at = self.span(span);
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(at));
        }
        self.record(pointer, at, None);
        Ok(())
    }

    /// Whether the collection that starts at `span` is written in flow style: its span is its
    /// opening bracket (a block collection's is empty).
    fn opens_flow(&self, span: YamlSpan) -> bool {
        let at = self.span(span);
        self.source
            .text
            .get(at.start..)
            .is_some_and(|rest| rest.starts_with(['{', '[']))
    }

    /// The span of the key waiting for its value in the innermost mapping.
    fn pending_key(&self) -> Option<Span> {
        match self.stack.last() {
            Some(Frame::Mapping {
                pending_key: Some((_, key)),
                ..
            }) => Some(*key),
            _ => None,
        }
    }

    /// The pointer of the node that starts now, from the frame it goes into. Fails when the
    /// node would be a mapping key that is not a scalar.
    fn child_pointer(&self, span: YamlSpan) -> Result<String, Diagnostic> {
        Ok(match self.stack.last() {
            None => String::new(),
            Some(Frame::Sequence { items, pointer, .. }) => format!("{pointer}/{}", items.len()),
            Some(Frame::Mapping {
                pending_key: Some((key, _)),
                pointer,
                ..
            }) => format!("{pointer}/{}", escape_token(key)),
            Some(Frame::Mapping {
                pending_key: None, ..
            }) => return Err(self.complex_key(self.span(span))),
        })
    }

    /// Note where a node stands; in a mapping, with its key.
    fn record(&mut self, pointer: &str, value: Span, written: Option<Written>) {
        let key = self.pending_key();
        let in_flow = self.stack.last().is_some_and(Frame::flow);
        // The first occurrence wins, so that a duplicate key can point back at it.
        self.positions
            .map
            .entry(pointer.to_owned())
            .or_insert(NodePosition {
                key,
                value,
                written,
                in_flow,
            });
    }

    /// A finished node goes into its parent (or becomes the root).
    fn complete(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            let nodes = count_nodes(&value);
            self.anchors.insert(
                anchor,
                Anchored {
                    value: value.clone(),
                    nodes,
                },
            );
        }
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping {
                entries,
                pending_key,
                pointer,
                ..
            }) => {
                let Some((key, key_span)) = pending_key.take() else {
                    return;
                };
                if entries.contains_key(&key) {
                    let child = format!("{pointer}/{}", escape_token(&key));
                    let first = self.positions.map.get(&child).and_then(|p| p.key);
                    let mut diagnostic = Diagnostic::new(
                        &DUPLICATE_KEY,
                        format!("duplicate key `{key}` in {}", describe_pointer(pointer)),
                    )
                    .at(Some(key_span))
                    .pointer(child);
                    if let Some(first) = first {
                        diagnostic = diagnostic.help(format!(
                            "`{key}` is first defined at line {}; keep one of the two",
                            first.line
                        ));
                    }
                    self.findings.push(diagnostic);
                } else {
                    entries.insert(key, value);
                }
            }
        }
    }

    /// The parser's span of a scalar value can start at its anchor (`&name "x"`) and,
    /// for a quoted scalar, run on over the spaces and comment after the closing quote: narrow
    /// it to the scalar as written, so carets and fix edits cover the value and nothing else.
    fn tighten(&self, at: Span, style: ScalarStyle) -> Span {
        let text = &self.source.text;
        let (mut start, mut end) = (at.start, at.end.min(text.len()));
        // Skip an anchor (`&name`) and the spaces after it. A tag (`!!str on`) stays in the
        // span: it is part of what the value means, and a fix must not leave it behind.
        while let Some(rest) = text.get(start..end) {
            let skip = if rest.starts_with('&') {
                rest.find(char::is_whitespace).unwrap_or(0)
            } else {
                0
            };
            if skip == 0 {
                break;
            }
            let after = &rest[skip..];
            start += skip + (after.len() - after.trim_start().len());
        }
        let quote = match style {
            ScalarStyle::SingleQuoted => Some('\''),
            ScalarStyle::DoubleQuoted => Some('"'),
            _ => None,
        };
        if let Some(quote) = quote
            && let Some(body) = text.get(start..end)
            && body.starts_with(quote)
        {
            // The closing quote: `\"` escapes in double quotes, `''` in single ones.
            let bytes = body.as_bytes();
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' if quote == '"' => i += 2,
                    b'\'' if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b if b == quote as u8 => {
                        end = start + i + 1;
                        break;
                    }
                    _ => i += 1,
                }
            }
        }
        if (start, end) == (at.start, at.end) {
            return at;
        }
        let (line, column) = self.source.line_col(start);
        Span {
            line,
            column,
            start,
            end,
        }
    }

    fn scalar(
        &self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Cow<'_, Tag>>,
        at: Span,
    ) -> Result<Value, Diagnostic> {
        let raw = text.to_string();
        // Core tags other than these (`!!binary`, `!!timestamp`, ...) are not resolved by the
        // core schema: they are refused like custom tags.
        if let Some(tag) = tag
            && !matches!(
                tag.suffix.as_str(),
                "str" | "int" | "float" | "bool" | "null"
            )
        {
            return Err(self.unsupported_tag(&tag_text(tag), at));
        }
        let Some(scalar) = Scalar::parse_from_cow_and_metadata(text, style, tag) else {
            let tag = tag
                .map(|tag| format!("!!{}", tag.suffix))
                .unwrap_or_default();
            return Err(Diagnostic::new(
                &YAML_SYNTAX,
                format!("`{raw}` is not a valid {tag} value"),
            )
            .at(Some(at)));
        };
        Ok(match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(b),
            Scalar::Integer(i) => Value::from(i),
            Scalar::FloatingPoint(f) => serde_json::Number::from_f64(f.into_inner())
                .map_or(Value::String(raw), Value::Number),
            Scalar::String(s) => Value::String(s.into_owned()),
        })
    }

    fn too_deep(&self, at: Span) -> Diagnostic {
        Diagnostic::new(
            &UNSUPPORTED_YAML,
            format!("nesting is deeper than {MAX_DEPTH} levels"),
        )
        .at(Some(at))
        .help("a questionnaire is at most six levels deep")
    }

    fn custom_tag(&self, tag: Option<&Tag>, span: YamlSpan) -> Diagnostic {
        let tag = tag.map(tag_text).unwrap_or_default();
        self.unsupported_tag(&tag, self.span(span))
    }

    fn unsupported_tag(&self, tag: &str, at: Span) -> Diagnostic {
        Diagnostic::new(
            &UNSUPPORTED_YAML,
            format!("the YAML tag `{tag}` is not used in a questionnaire"),
        )
        .at(Some(at))
        .help("remove the tag; answers are plain text, numbers, true/false, lists and mappings")
    }

    fn complex_key(&self, at: Span) -> Diagnostic {
        Diagnostic::new(
            &UNSUPPORTED_YAML,
            "a mapping key must be plain text, not a list or a mapping",
        )
        .at(Some(at))
    }
}

/// A tag as it is written: `!!binary`, `!secret`.
fn tag_text(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        tag.to_string()
    }
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(entries) => entries.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// "a list", "the text `x`", ... for messages.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "empty (null)".to_owned(),
        Value::Bool(b) => format!("`{b}` (true/false)"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("the text `{}…`", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("the text `{s}`"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// A JSON pointer as the user reads it: `recovery.data.backup`, `alerts[0].metric`.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&token);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

/// "`recovery.data`" or "the top level".
pub fn describe_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        "the top level".to_owned()
    } else {
        format!("`{}`", dotted(pointer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Document {
        match load("t.yaml", text.as_bytes()).document {
            Ok(document) => document,
            Err(diagnostics) => panic!("{diagnostics:?}"),
        }
    }

    fn codes(text: &[u8]) -> Vec<&'static str> {
        match load("t.yaml", text).document {
            Ok(_) => vec![],
            Err(diagnostics) => diagnostics.iter().map(|d| d.code).collect(),
        }
    }

    #[test]
    fn value_spans_cover_the_scalar_only() {
        let text = "a: \"4\"   # four\nb: &x 'it''s'  # c\nc: !!str on\nd: plain # p\n";
        // The tag stays with its value; the anchor and the comment do not.
        let document = ok(text);
        let shown = |pointer: &str| {
            let span = document.positions.value(pointer).unwrap();
            &text[span.start..span.end]
        };
        assert_eq!(shown("/a"), "\"4\"");
        assert_eq!(shown("/b"), "'it''s'");
        assert_eq!(shown("/c"), "!!str on");
        assert_eq!(shown("/d"), "plain");
    }

    #[test]
    fn records_key_and_value_positions() {
        let document = ok("version: 1\napp:\n  name: Acme\n  products: [jira, confluence]\n");
        let name = document.positions.map.get("/app/name").unwrap();
        assert_eq!((name.key.unwrap().line, name.key.unwrap().column), (3, 3));
        assert_eq!((name.value.line, name.value.column), (3, 9));
        let second = document.positions.value("/app/products/1").unwrap();
        assert_eq!((second.line, second.column), (4, 20));
        assert_eq!(document.value["app"]["products"][1], "confluence");
    }

    #[test]
    fn resolves_scalars_with_the_core_schema() {
        let document = ok("a: yes\nb: 2026-10-01\nc: 1\nd: true\ne:\nf: '1'\ng: 1.5\n");
        let v = &document.value;
        assert_eq!(v["a"], "yes");
        assert_eq!(v["b"], "2026-10-01");
        assert_eq!(v["c"], 1);
        assert_eq!(v["d"], true);
        assert_eq!(v["e"], Value::Null);
        assert_eq!(v["f"], "1");
        assert_eq!(v["g"], 1.5);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let document = ok("\u{feff}version: 1\r\napp:\r\n  name: |\r\n    two\r\n    lines\r\n");
        assert_eq!(document.value["app"]["name"], "two\nlines\n");
        // A block scalar's value starts with its text, on the line after `|`.
        assert_eq!(document.positions.value("/app/name").unwrap().line, 4);
        assert_eq!(document.positions.key("/app/name").unwrap().line, 3);
    }

    #[test]
    fn reports_every_duplicate_key() {
        let err = load("t", b"a: 1\na: 2\nb:\n  c: 1\n  c: 2\n")
            .document
            .unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(err[0].span.unwrap().line, 2);
        assert_eq!(err[1].span.unwrap().line, 5);
        assert!(err[1].help.as_deref().unwrap().contains("line 4"));
    }

    #[test]
    fn refuses_what_is_not_one_mapping() {
        assert_eq!(codes(b""), ["CF005"]);
        assert_eq!(codes(b"  \n# only a comment\n"), ["CF005"]);
        assert_eq!(codes(b"- a\n"), ["CF005"]);
        assert_eq!(codes(b"just text\n"), ["CF005"]);
        assert_eq!(codes(b"a: 1\n---\nb: 2\n"), ["CF005"]);
        assert_eq!(codes(b"---\na: 1\n...\n"), Vec::<&str>::new());
    }

    #[test]
    fn refuses_bad_bytes() {
        assert_eq!(codes(b"a: \xff\xfe\n"), ["CF001"]);
        assert_eq!(codes(b"a: 1\n\0\0\0"), ["CF001"]);
        assert_eq!(codes(&vec![b'#'; MAX_FILE_SIZE + 1]), ["CF002"]);
        let err = load("t", &vec![b'#'; 4_195_187]).document.unwrap_err();
        assert_eq!(
            err[0].message,
            "the file is 4,195,187 bytes, over the 4 MiB cap for a questionnaire"
        );
        assert_eq!(
            too_large(None).message,
            "the input is more than 4 MiB, the cap for a questionnaire"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn invalid_utf8_points_at_the_bad_byte() {
        let loaded = load("t", b"a: 1\nb: caf\xe9\n");
        let err = loaded.document.unwrap_err();
        let span = err[0].span.unwrap();
        assert_eq!((span.line, span.column), (2, 7));
        assert!(loaded.source.is_some());
    }

    #[test]
    fn refuses_deep_nesting_and_alias_bombs() {
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(codes(deep.as_bytes()), ["CF006"]);
        let deep: String = (0..1000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert_eq!(codes(deep.as_bytes()), ["CF006"]);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (name, prev) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("f", "e")] {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        assert_eq!(codes(bomb.as_bytes()), ["CF006"]);
    }

    #[test]
    fn small_aliases_are_expanded() {
        let document = ok("a: &text hello\nb: *text\n");
        assert_eq!(document.value["b"], "hello");
        assert_eq!(document.positions.value("/b").unwrap().line, 2);
    }

    #[test]
    fn refuses_custom_tags_and_complex_keys() {
        assert_eq!(codes(b"a: !secret x\n"), ["CF006"]);
        assert_eq!(codes(b"? [a, b]\n: c\n"), ["CF006"]);
        assert_eq!(codes(b"a: !!int x\n"), ["CF003"]);
        assert_eq!(codes(b"a: !!binary aGVsbG8=\n"), ["CF006"]);
        assert_eq!(codes(b"a: !!str 1\n"), Vec::<&str>::new());
    }

    #[test]
    fn syntax_errors_point_where_the_parser_stopped() {
        let err = load("t", b"a:\n  b: 1\n   c: 2\n").document.unwrap_err();
        assert_eq!(err[0].code, "CF003");
        assert_eq!(err[0].span.unwrap().line, 3);
        let err = load("t", b"a:\n\tb: 1\n").document.unwrap_err();
        assert_eq!(err[0].code, "CF003");
        assert!(err[0].help.as_deref().unwrap().contains("tab"), "{err:?}");
    }

    #[test]
    fn tabs_are_named_with_their_fix() {
        // (text, message after "YAML syntax error: ", line and column of the tab)
        let cases = [
            (
                "version: 1\napp:\n  name:\tRetro\n",
                "a tab after `:`, where a space is needed",
                (3, 8),
            ),
            (
                "app: {name:\tRetro}\n",
                "a tab after `:`, where a space is needed",
                (1, 12),
            ),
            (
                "a:\n  -\t- x\n",
                "a tab after `-`, where a space is needed",
                (2, 4),
            ),
            ("a:\n\tb: 1\n", "line 2 is indented with a tab", (2, 1)),
            ("a:\n  b:\n\t  c\n", "line 3 is indented with a tab", (3, 1)),
            (
                "a:\n  b: one\n\ttwo\n",
                "line 3 is indented with a tab",
                (3, 1),
            ),
            (
                "a:\n  b: |\n\ttext\n",
                "the text of the block that starts on line 2 is indented with a tab",
                (3, 1),
            ),
            (
                "a:\n  ?\tb\n  : c\n",
                "a tab where a space is needed",
                (2, 4),
            ),
        ];
        for (text, message, (line, column)) in cases {
            let err = load("t", text.as_bytes()).document.unwrap_err();
            assert_eq!(err[0].code, "CF003", "{text:?}");
            assert_eq!(
                err[0].message,
                format!("YAML syntax error: {message}"),
                "{text:?}"
            );
            let span = err[0].span.unwrap();
            assert_eq!((span.line, span.column), (line, column), "{text:?}");
            let help = err[0].help.as_deref().unwrap();
            assert!(help.contains("space"), "{text:?}: {help}");
        }
    }

    /// Apply a syntax error's fix (its edits, in order) to `text`.
    fn fixed(text: &str, diagnostic: &Diagnostic) -> String {
        let fix = diagnostic.fix.as_ref().expect("a fix");
        let mut out = String::new();
        let mut copied = 0;
        for edit in &fix.edits {
            out.push_str(&text[copied..edit.start]);
            out.push_str(&edit.content);
            copied = edit.end;
        }
        out + &text[copied..]
    }

    #[test]
    fn prose_traps_are_named_and_fixed_as_blocks() {
        // (text, message after "YAML syntax error: ", the text fixed)
        let cases = [
            (
                "a:\n  b: Alerts go to: the engineer\n    on duty\n  c: x\n",
                "the text of `a.b` contains `: ` (a colon before a space or a line end), which YAML reads as a new key",
                "a:\n  b: |\n    Alerts go to: the engineer\n    on duty\n  c: x\n",
            ),
            (
                "a:\n  - b: Note:\n",
                "the text of `a[0].b` contains `: ` (a colon before a space or a line end), which YAML reads as a new key",
                "a:\n  - b: |\n      Note:\n",
            ),
            (
                "b: Alerts go to the #ops\n  channel and more\nc: x\n",
                "a ` #` in the text of `b` starts a YAML comment, and the text goes on after it",
                "b: |\n  Alerts go to the #ops\n  channel and more\nc: x\n",
            ),
            (
                "b: a channel such as\n  #inc-42 and then\n  more text\nc: x\n",
                "a line of the text of `b` starts with `#`, which YAML reads as a comment line, and the text goes on after it",
                "b: |\n  a channel such as\n  #inc-42 and then\n  more text\nc: x\n",
            ),
            (
                "a:\n  b: | We scale\n    and cache.\n",
                "text follows `|` on its line, but the text of a block starts on the next line",
                "a:\n  b: |\n    We scale\n    and cache.\n",
            ),
        ];
        for (text, message, want) in cases {
            let err = load("t", text.as_bytes()).document.unwrap_err();
            assert_eq!(
                err[0].message,
                format!("YAML syntax error: {message}"),
                "{text:?}"
            );
            let fixed = fixed(text, &err[0]);
            assert_eq!(fixed, want, "{text:?}");
            // The fix parses, and its change says the value it gives.
            let document = ok(&fixed);
            let fix = err[0].fix.as_ref().unwrap();
            let Change::Set { pointer, value } = &fix.change else {
                panic!("{fix:?}")
            };
            assert_eq!(document.value.pointer(pointer), Some(value), "{text:?}");
        }
        // A key indented too far is named as such, without a fix.
        let err = load("t", b"a:\n  name: Acme\n   key: x\n")
            .document
            .unwrap_err();
        assert!(
            err[0].message.contains("`key` is indented deeper"),
            "{err:?}"
        );
        assert!(err[0].fix.is_none());
        // An empty block with its text under-indented.
        let err = load("t", b"a:\n  b: |\n  We scale\n  c: x\n")
            .document
            .unwrap_err();
        assert!(
            err[0].message.contains("must be indented deeper than `b`"),
            "{err:?}"
        );
    }

    #[test]
    fn tabs_get_spaces_where_the_line_above_says_how_many() {
        let cases = [
            ("a:\n  name:\tRetro\n", "a:\n  name: Retro\n"),
            (
                "a:\n  b: |\n    one\n\ttwo\n\t\tthree\n",
                "a:\n  b: |\n    one\n    two\n      three\n",
            ),
            ("a:\n  b: |\n\ttext\n", "a:\n  b: |\n    text\n"),
        ];
        for (text, want) in cases {
            let err = load("t", text.as_bytes()).document.unwrap_err();
            assert_eq!(fixed(text, &err[0]), want, "{text:?}");
        }
        // After `key:` the depth is anyone's guess.
        let err = load("t", b"a:\n\tb: 1\n").document.unwrap_err();
        assert!(err[0].fix.is_none(), "{err:?}");
    }

    #[test]
    fn pointers_read_as_dotted_paths() {
        assert_eq!(dotted("/recovery/data/backup"), "recovery.data.backup");
        assert_eq!(
            dotted("/incident_management/alerts/0/metric"),
            "incident_management.alerts[0].metric"
        );
        assert_eq!(dotted("/a~1b"), "a/b");
        assert_eq!(describe_pointer(""), "the top level");
    }
}
