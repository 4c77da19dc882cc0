//! Stage 2: the questionnaire against the bundled JSON Schema, with jsonschema's errors turned
//! into diagnostics a person understands, each at the offending value (or key, or parent).

use std::sync::OnceLock;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::duration;
use crate::suggest::closest;
use crate::ticket::load::{Document, Positions, describe, describe_pointer, dotted, escape_token};
use crate::ticket::registry::schema::{
    INVALID_CHOICE, INVALID_FORMAT, MISSING_KEY, OUT_OF_RANGE, UNKNOWN_KEY, WRONG_TYPE,
};

/// The bundled schema for questionnaire format version 1, as text.
pub const SCHEMA_TEXT: &str = include_str!("../../schemas/questionnaire.schema.json");

/// The bundled schema, parsed once per process.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).expect("the bundled schema is JSON"))
}

/// Bytes aligned for a DFA's `u32` transition table (`include_bytes!` aligns to 1).
#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u32; 0],
    bytes: B,
}

// `Questionnaire`, the bundled schema compiled into Rust code when cfready is built, and
// `PATTERNS`: a run pays neither the compilation of the schema, nor its check against the
// 2020-12 meta-schema (a unit test does that once), nor the compilation of its patterns.
// Format validation is on (2020-12 only annotates `format` otherwise).
include!(concat!(env!("OUT_DIR"), "/validator.rs"));

/// The keyword build.rs puts in place of `pattern` for the generated validator.
const PATTERN_KEYWORD: &str = "x-cfready-pattern";

/// A schema `pattern`, matched (unanchored, like JSON Schema's) by the DFA build.rs compiled.
struct Pattern {
    pattern: &'static str,
    dfa: regex_automata::dfa::dense::DFA<&'static [u32]>,
}

/// The factory of `x-cfready-pattern` for the generated validator: the pattern's DFA, read
/// from the bytes compiled into the binary.
pub fn pattern_keyword<'a>(
    _parent: &'a serde_json::Map<String, Value>,
    value: &'a Value,
    _location: jsonschema::paths::Location,
) -> Result<Box<dyn for<'i> jsonschema::Keyword<'i>>, ValidationError<'a>> {
    let (pattern, bytes) = PATTERNS
        .iter()
        .find(|(pattern, _)| Some(*pattern) == value.as_str())
        .ok_or_else(|| ValidationError::custom("build.rs compiled no DFA for this pattern"))?;
    let (dfa, _) = regex_automata::dfa::dense::DFA::from_bytes(&bytes.bytes)
        .map_err(|e| ValidationError::custom(format!("the DFA of `{pattern}`: {e}")))?;
    Ok(Box::new(Pattern { pattern, dfa }))
}

impl Pattern {
    fn matches(&self, text: &str) -> bool {
        use regex_automata::{Input, dfa::Automaton};
        self.dfa
            .try_search_fwd(&Input::new(text).earliest(true))
            .is_ok_and(|found| found.is_some())
    }
}

impl<'i> jsonschema::Keyword<'i> for Pattern {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            // The message carries the pattern, for `explain`.
            Err(ValidationError::custom(self.pattern))
        }
    }

    /// Like `pattern`, only text is judged.
    fn is_valid(&self, instance: &'i Value) -> bool {
        instance.as_str().is_none_or(|text| self.matches(text))
    }
}

/// Compile the bundled schema at run time, as cfready did before the validator was generated
/// at build time (public for the benchmarks, which compare both).
pub fn compile() -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema())
        .expect("the bundled schema compiles")
}

/// Every schema violation of the document, in source order, at most one per value and code.
pub fn validate(document: &Document) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    // A set, not a scan of the list: a file with 100,000 unknown keys must stay linear.
    let mut seen = std::collections::HashSet::new();
    for error in Questionnaire::iter_errors(&document.value) {
        for diagnostic in explain(&error, document) {
            if seen.insert((diagnostic.code, diagnostic.pointer.clone())) {
                diagnostics.push(diagnostic);
            }
        }
    }
    merge_typos(&mut diagnostics);
    diagnostics.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
    diagnostics
}

/// A key typo is one mistake: the unknown key that is a near miss of a required key missing
/// beside it is reported once, at the typo, and the "missing" finding for that key is dropped.
fn merge_typos(diagnostics: &mut Vec<Diagnostic>) {
    let renamed: std::collections::HashSet<String> = diagnostics
        .iter()
        .filter(|d| d.code == UNKNOWN_KEY.code)
        .filter_map(|d| match &d.fix.as_ref()?.change {
            crate::diagnostic::Change::Rename { .. } => d.fix.as_ref().map(|f| f.change.target()),
            _ => None,
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        d.code != MISSING_KEY.code || !d.pointer.as_ref().is_some_and(|p| renamed.contains(p))
    });
}

/// Whether the schema declares a duration at an instance pointer.
fn is_duration(pointer: &str) -> bool {
    refers_to(pointer, "#/$defs/duration")
}

fn refers_to(pointer: &str, definition: &str) -> bool {
    property_node(pointer)
        .and_then(|node| node.get("$ref"))
        .and_then(Value::as_str)
        == Some(definition)
}

/// The help line of a value that is not an absolute URL: the spaces it holds, the scheme a
/// `host.example/path` lacks, or what a URL is made of.
fn url_help(found: &str) -> String {
    let found = found.trim();
    if found.contains(char::is_whitespace) {
        "a URL holds no spaces: remove them, or write each as `%20`".to_owned()
    } else if found
        .split('/')
        .next()
        .is_some_and(|host| host.contains('.') && !host.contains(':'))
    {
        format!("a URL starts with its scheme: write `https://{}`", found)
    } else {
        "write the scheme, `://` and the host, as a browser's address bar shows the URL".to_owned()
    }
}

/// A value of the wrong type that has one obvious spelling of the right type: `yes` for
/// `true`, `"4"` for `4`, and a bare number where a duration is expected (`45`: the unit is a
/// guess, so the fix is unsafe).
fn retyped(
    kind: &TypeKind,
    instance: &Value,
    pointer: &str,
) -> Option<(Value, Applicability, String)> {
    let expects = |name: &str| match kind {
        TypeKind::Single(t) => t.to_string() == name,
        TypeKind::Multiple(set) => set.iter().any(|t| t.to_string() == name),
    };
    match instance {
        Value::String(text) if expects("boolean") => {
            let value = match text.trim().to_ascii_lowercase().as_str() {
                "yes" | "y" | "on" | "true" => true,
                "no" | "n" | "off" | "false" => false,
                _ => return None,
            };
            Some((
                Value::Bool(value),
                Applicability::Safe,
                format!("YAML 1.2 reads `{text}` as text, not a boolean: write `{value}`"),
            ))
        }
        Value::String(text) if expects("integer") => {
            let number: u64 = text.trim().parse().ok()?;
            Some((
                Value::from(number),
                Applicability::Safe,
                format!("write the number without quotes: `{number}`"),
            ))
        }
        Value::Number(number) if expects("string") && is_duration(pointer) => {
            let (short, _) = duration::canonical(&number.to_string())?;
            Some((
                Value::String(short.clone()),
                Applicability::Unsafe,
                format!(
                    "a duration needs a unit: `{short}` if {number} means minutes (m, h, d or w, such as `{number}h`)"
                ),
            ))
        }
        _ => None,
    }
}

/// The node of the bundled schema at a schema path, following `$ref`s met on the way.
fn schema_node(path: &str) -> Option<&'static Value> {
    let root = schema();
    let mut node = root;
    for token in path.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node
            .get(&token)
            .or_else(|| node.get(token.parse::<usize>().ok()?))
        {
            Some(next) => next,
            None => {
                let target = node.get("$ref")?.as_str()?.strip_prefix('#')?;
                root.pointer(target)?.get(&token)?
            }
        };
    }
    Some(node)
}

/// The schema that describes the value at an instance pointer, following `properties`,
/// `items` and `$ref` (not the conditional branches, which only narrow).
fn schema_for_instance(pointer: &str) -> Option<&'static Value> {
    let node = property_node(pointer)?;
    if node.get("description").is_some() {
        Some(node)
    } else {
        Some(deref(node))
    }
}

/// The node a `$ref` points to, or the node itself.
fn deref(node: &'static Value) -> &'static Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|target| schema().pointer(target))
        .unwrap_or(node)
}

/// The schema node declaring the value at an instance pointer, as written (a `$ref` with a
/// `description` beside it is not followed).
fn property_node(pointer: &str) -> Option<&'static Value> {
    let mut node = schema();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let parent = deref(node);
        node = match parent.get("items") {
            Some(items) if token.bytes().all(|b| b.is_ascii_digit()) => items,
            _ => parent.get("properties")?.get(&token)?,
        };
    }
    Some(node)
}

/// The schema node declaring the value at a path, `$ref` followed; with the `description`
/// of the property itself (which a `$ref` beside it overrides).
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// The property as written (its description and examples).
    pub declared: &'static Value,
    /// What it refers to (its type, enum, properties).
    pub resolved: &'static Value,
}

impl Node {
    pub fn description(&self) -> Option<&'static str> {
        self.declared
            .get("description")
            .or_else(|| self.resolved.get("description"))
            .and_then(Value::as_str)
    }

    pub fn get(&self, keyword: &str) -> Option<&'static Value> {
        self.declared
            .get(keyword)
            .or_else(|| self.resolved.get(keyword))
    }

    /// The properties of an object, with those a conditional adds (`allOf`/`then`).
    pub fn properties(&self) -> Vec<(&'static str, Node)> {
        let mut out: Vec<(&'static str, Node)> = Vec::new();
        if let Some(Value::Object(properties)) = self.resolved.get("properties") {
            for (name, node) in properties {
                out.push((name.as_str(), resolve(node)));
            }
        }
        out
    }

    pub fn required(&self) -> Vec<&'static str> {
        self.resolved
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }

    pub fn is_duration(&self) -> bool {
        self.declared.get("$ref").and_then(Value::as_str) == Some("#/$defs/duration")
    }

    pub fn kind(&self) -> Option<&'static str> {
        self.get("type").and_then(Value::as_str)
    }

    /// Enum values (or the one `const`) as YAML text.
    pub fn values(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(crate::diagnostic::yaml_text)
            .collect();
        if let Some(value) = self.get("const") {
            out.push(crate::diagnostic::yaml_text(value));
        }
        if self.kind() == Some("boolean") {
            out.extend(["true".to_owned(), "false".to_owned()]);
        }
        out
    }

    pub fn examples(&self) -> Vec<String> {
        self.get("examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(crate::diagnostic::yaml_text)
            .collect()
    }

    /// The schema of the items of a list.
    pub fn items(&self) -> Option<Node> {
        self.resolved.get("items").map(resolve)
    }
}

fn resolve(node: &'static Value) -> Node {
    let resolved = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|target| schema().pointer(target))
        .unwrap_or(node);
    Node {
        declared: node,
        resolved,
    }
}

/// The schema node for a path (keys, and any index for a list item).
pub fn schema_at(path: &[String]) -> Option<Node> {
    let mut node = resolve(schema());
    for segment in path {
        node = match node.items() {
            Some(items) if segment.bytes().all(|b| b.is_ascii_digit()) => items,
            _ => {
                node.properties()
                    .into_iter()
                    .find(|(name, _)| name == segment)?
                    .1
            }
        };
    }
    Some(node)
}

/// What kind of text the schema expects at a pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A name, a tool, a metric (`$defs/text`).
    Short,
    /// A free-text answer to a ticket question (`$defs/answer`).
    Answer,
}

include!(concat!(env!("OUT_DIR"), "/text_kinds.rs"));

/// The kind of text the schema declares at an instance pointer, from the table build.rs wrote
/// (no schema is parsed on the way).
pub fn text_kind(pointer: &str) -> Option<TextKind> {
    let mut pattern = String::with_capacity(pointer.len());
    for token in pointer.split('/').skip(1) {
        pattern.push('/');
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            pattern.push('*');
        } else {
            pattern.push_str(token);
        }
    }
    TEXT_KINDS
        .binary_search_by(|(candidate, _)| (*candidate).cmp(pattern.as_str()))
        .ok()
        .map(|i| TEXT_KINDS[i].1)
}

/// The kind of text as the schema itself says, walking it at run time (what the table must
/// agree with).
#[cfg(test)]
fn text_kind_from_schema(pointer: &str) -> Option<TextKind> {
    match property_node(pointer)?.get("$ref")?.as_str()? {
        "#/$defs/text" => Some(TextKind::Short),
        "#/$defs/answer" => Some(TextKind::Answer),
        _ => None,
    }
}

/// The `description` of the value at an instance pointer, for help lines.
fn description_of(pointer: &str) -> Option<&'static str> {
    schema_for_instance(pointer)?.get("description")?.as_str()
}

/// What the value at a pointer is, when the schema says more than its type: its
/// `x-expected` (a duration such as `15m`, ...) or its format (an email address such as ...).
fn expected_form(pointer: &str) -> Option<String> {
    let node = deref(property_node(pointer)?);
    node.get("x-expected")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            let format = node.get("format")?.as_str()?;
            Some(format_name(format).to_owned())
        })
}

/// What an empty value should have been: "an email address such as ...", "a duration such as
/// ...", "text", "one of connect, forge", ...
fn expectation(kind: &ValidationErrorKind, pointer: &str) -> Option<String> {
    Some(match kind {
        ValidationErrorKind::Type { kind } => {
            expected_form(pointer).unwrap_or_else(|| type_name(kind))
        }
        ValidationErrorKind::Enum { options } => format!(
            "one of {}",
            options
                .as_array()?
                .iter()
                .map(show)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ValidationErrorKind::Constant { expected_value } => show(expected_value),
        _ => return None,
    })
}

/// The schema path without its last token (the keyword that failed).
fn parent_path(path: &str) -> &str {
    &path[..path.rfind('/').unwrap_or(0)]
}

/// The key a pointer ends with, for messages: `backoff` for `/scalability/rate_limits/backoff`.
fn key_name(pointer: &str) -> String {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    if last.bytes().all(|b| b.is_ascii_digit()) && !last.is_empty() {
        format!("`{}`", dotted(pointer))
    } else if pointer.is_empty() {
        "the questionnaire".to_owned()
    } else {
        format!("`{}`", last.replace("~1", "/").replace("~0", "~"))
    }
}

/// "(needed because `coverage` is `business-hours`)" for a requirement inside `then`/`else`.
fn condition(keyword_path: &str, instance: &Value) -> Option<String> {
    let branch = parent_path(keyword_path);
    let conditional = branch
        .strip_suffix("/then")
        .or_else(|| branch.strip_suffix("/else"))?;
    let condition = schema_node(&format!("{conditional}/if"))?;
    let keys: Vec<String> = condition
        .get("properties")?
        .as_object()?
        .keys()
        .filter_map(|key| {
            let value = instance.get(key)?;
            let shown = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            Some(format!("`{key}` is `{shown}`"))
        })
        .collect();
    (!keys.is_empty()).then(|| format!(" (needed because {})", keys.join(" and ")))
}

fn type_name(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a mapping",
        "null" => "empty",
        _ => "another type",
    };
    match kind {
        TypeKind::Single(t) => name(t).to_owned(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| name(&t))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn format_name(format: &str) -> &str {
    match format {
        "email" => "an email address such as `reliability@example.com`",
        "uri" => "an absolute URL such as `https://app.example.com`",
        "date" => "a date written YYYY-MM-DD",
        "hostname" => "a host name such as `example.atlassian.net`",
        other => other,
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One jsonschema error as diagnostics (several for several unknown keys).
fn explain(error: &ValidationError<'_>, document: &Document) -> Vec<Diagnostic> {
    let pointer = error.instance_path().as_str();
    let schema_path = error.schema_path().as_str();
    let instance = error.instance();
    let positions = &document.positions;
    let at_value =
        |diagnostic: Diagnostic| diagnostic.at(positions.value(pointer)).pointer(pointer);
    let single = |diagnostic: Diagnostic| vec![at_value(diagnostic)];
    let expected = || {
        schema_node(parent_path(schema_path))
            .and_then(|node| node.get("x-expected"))
            .and_then(Value::as_str)
    };

    if instance.is_null()
        && let Some(expected) = expectation(error.kind(), pointer)
    {
        return vec![empty_value(pointer, expected, positions)];
    }

    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            unknown_keys(pointer, instance, unexpected, positions)
        }
        ValidationErrorKind::Required { property } => {
            vec![missing_key(
                pointer,
                schema_path,
                instance,
                property,
                positions,
            )]
        }
        ValidationErrorKind::Type { kind } => {
            single(wrong_type(pointer, kind, instance, positions))
        }
        ValidationErrorKind::Enum { options } => single(invalid_choice(pointer, options, instance)),
        ValidationErrorKind::Constant { expected_value } => single(Diagnostic::new(
            &INVALID_CHOICE,
            format!(
                "{} must be {}; found {}",
                key_name(pointer),
                show(expected_value),
                describe(instance)
            ),
        )),
        ValidationErrorKind::Pattern { pattern }
        | ValidationErrorKind::Custom {
            keyword: _,
            message: pattern,
        } if error.kind().keyword() == "pattern" || error.kind().keyword() == PATTERN_KEYWORD => {
            // A custom keyword's error does not carry the instance: read it from the document.
            let found = document.value.pointer(pointer).unwrap_or(instance);
            single(pattern_mismatch(
                pointer,
                pattern,
                expected(),
                found,
                positions,
            ))
        }
        ValidationErrorKind::Format { format } => {
            single(format_mismatch(pointer, format, instance))
        }
        // An empty text (`key: |` with nothing under it, as `cfready init` writes an answer):
        // shown at its key, like a missing value, with the question it asks.
        ValidationErrorKind::MinLength { .. } => {
            vec![empty_text(pointer, positions)]
        }
        ValidationErrorKind::MaxLength { limit } => single(Diagnostic::new(
            &OUT_OF_RANGE,
            format!(
                "{} must be at most {limit} characters; found {}",
                key_name(pointer),
                show(instance).chars().count()
            ),
        )),
        ValidationErrorKind::MinItems { limit } => single(Diagnostic::new(
            &OUT_OF_RANGE,
            format!(
                "{} needs at least {limit} {}",
                key_name(pointer),
                if *limit == 1 { "entry" } else { "entries" }
            ),
        )),
        ValidationErrorKind::UniqueItems => single(Diagnostic::new(
            &OUT_OF_RANGE,
            format!("{} lists the same value more than once", key_name(pointer)),
        )),
        ValidationErrorKind::Minimum { limit } => single(Diagnostic::new(
            &OUT_OF_RANGE,
            format!(
                "{} must be at least {limit}; found {}",
                key_name(pointer),
                show(instance)
            ),
        )),
        ValidationErrorKind::Maximum { limit } => single(Diagnostic::new(
            &OUT_OF_RANGE,
            format!(
                "{} must be at most {limit}; found {}",
                key_name(pointer),
                show(instance)
            ),
        )),
        // The bundled schema uses no other keyword; should it ever, say what jsonschema says.
        _ => single(Diagnostic::new(
            &INVALID_FORMAT,
            format!("{} is not valid: {error}", key_name(pointer)),
        )),
    }
}

/// A value of the wrong type, with the value retyped as a fix where one reading fits.
fn wrong_type(
    pointer: &str,
    kind: &TypeKind,
    instance: &Value,
    positions: &Positions,
) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        &WRONG_TYPE,
        format!(
            "{} must be {}; found {}",
            key_name(pointer),
            type_name(kind),
            describe(instance)
        ),
    );
    if let Some((value, applicability, help)) = retyped(kind, instance, pointer) {
        diagnostic = diagnostic.help(help).fix(Fix::replace(
            applicability,
            pointer,
            value,
            positions.value(pointer),
        ));
    }
    diagnostic
}

/// A value that is none of the choices, with the nearest as a did-you-mean.
fn invalid_choice(pointer: &str, options: &Value, instance: &Value) -> Diagnostic {
    let choices: Vec<String> = options
        .as_array()
        .map(|options| options.iter().map(show).collect())
        .unwrap_or_default();
    let found = show(instance);
    let mut message = format!(
        "{} must be one of {}; found `{found}`",
        key_name(pointer),
        choices.join(", ")
    );
    if let Some(suggestion) = closest(&found, choices.iter().map(String::as_str)) {
        message.push_str(&format!(" — did you mean `{suggestion}`?"));
    }
    Diagnostic::new(&INVALID_CHOICE, message)
}

/// A value not in its format (an email address, a URL, a date, a host name).
fn format_mismatch(pointer: &str, format: &str, instance: &Value) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        &INVALID_FORMAT,
        format!(
            "{} must be {}; found `{}`",
            key_name(pointer),
            format_name(format),
            show(instance)
        ),
    );
    if format == "uri" {
        diagnostic = diagnostic.help(url_help(&show(instance)));
    }
    diagnostic
}

/// An empty text, shown at its key with the question it asks.
fn empty_text(pointer: &str, positions: &Positions) -> Diagnostic {
    let help = description_of(pointer).map_or_else(
        || "answer the question, or remove the key if it is optional".to_owned(),
        |description| format!("{}: {description}", key_name(pointer)),
    );
    Diagnostic::new(&OUT_OF_RANGE, format!("{} is empty", key_name(pointer)))
        .at(positions.key(pointer))
        .pointer(pointer)
        .help(help)
}

/// A key given no value (`key:`), shown at its key with what it expects and the question.
fn empty_value(
    pointer: &str,
    expected: impl std::fmt::Display,
    positions: &Positions,
) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        &WRONG_TYPE,
        format!("{} is empty; expected {expected}", key_name(pointer)),
    )
    .at(positions.key(pointer))
    .pointer(pointer);
    match description_of(pointer) {
        Some(description) => diagnostic.help(format!("{}: {description}", key_name(pointer))),
        None => diagnostic,
    }
}

/// Keys the schema does not know, each with the nearest free key as a rename.
fn unknown_keys(
    pointer: &str,
    instance: &Value,
    unexpected: &[String],
    positions: &Positions,
) -> Vec<Diagnostic> {
    let known: Vec<&str> = schema_for_instance(pointer)
        .and_then(|node| node.get("properties"))
        .and_then(Value::as_object)
        .map(|properties| properties.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // Only keys not already given are candidates: a rename must not make a duplicate.
    let present = instance.as_object();
    let free: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| !present.is_some_and(|p| p.contains_key(*k)))
        .collect();
    let allowed = format!("the keys allowed here are: {}", known.join(", "));
    unexpected
        .iter()
        .map(|key| {
            let child = format!("{pointer}/{}", escape_token(key));
            let mut message = format!("unknown key `{key}` in {}", describe_pointer(pointer));
            let suggestion = closest(key, free.iter().copied());
            let mut diagnostic = Diagnostic::new(&UNKNOWN_KEY, String::new())
                .at(positions.key(&child))
                .pointer(child.clone())
                .help(allowed.clone());
            if let Some(suggestion) = suggestion {
                message.push_str(&format!(" — did you mean `{suggestion}`?"));
                // Safe when no other free key is as near: the typo has one reading.
                let near = free
                    .iter()
                    .filter(|k| closest(key, [**k]).is_some())
                    .count();
                let applicability = if near == 1 {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                diagnostic = diagnostic.fix(Fix::rename(
                    applicability,
                    &child,
                    suggestion,
                    positions.key(&child),
                ));
            }
            diagnostic.message = message;
            diagnostic
        })
        .collect()
}

/// A required key that is missing, as the readiness rule its condition names (or CF002).
fn missing_key(
    pointer: &str,
    schema_path: &str,
    instance: &Value,
    property: &Value,
    positions: &Positions,
) -> Diagnostic {
    let property = show(property);
    let reason = condition(schema_path, instance).unwrap_or_default();
    let place = if pointer.is_empty() {
        String::new()
    } else {
        format!(" in {}", describe_pointer(pointer))
    };
    // A conditional requirement may name the readiness rule it stands for.
    let rule = schema_node(parent_path(schema_path))
        .and_then(|branch| branch.get("x-rule"))
        .and_then(Value::as_str)
        .and_then(crate::ticket::registry::find)
        .unwrap_or(&MISSING_KEY);
    let mut diagnostic = Diagnostic::new(
        rule,
        format!("missing required key `{property}`{place}{reason}"),
    )
    .at(positions.key(pointer))
    .pointer(format!("{pointer}/{}", escape_token(&property)));
    if let Some(description) = description_of(&format!("{pointer}/{}", escape_token(&property))) {
        diagnostic = diagnostic.help(format!("`{property}`: {description}"));
    }
    diagnostic
}

/// Text that does not match its pattern: what it should be (the schema's `x-expected`), with
/// the exact duration as a fix, or a URL's help.
fn pattern_mismatch(
    pointer: &str,
    pattern: &str,
    expected: Option<&str>,
    found: &Value,
    positions: &Positions,
) -> Diagnostic {
    let expected = expected.map_or_else(|| format!("text matching `{pattern}`"), str::to_owned);
    let mut diagnostic = Diagnostic::new(
        &INVALID_FORMAT,
        format!(
            "{} must be {expected}; found `{}`",
            key_name(pointer),
            show(found)
        ),
    );
    // English durations have one exact spelling (`30 minutes` is `30m`).
    if is_duration(pointer)
        && let Some((short, exact)) = found.as_str().and_then(duration::canonical)
    {
        let (applicability, help) = if exact {
            (Applicability::Safe, format!("write `{short}`"))
        } else {
            (
                Applicability::Unsafe,
                format!(
                    "durations are counted in minutes, hours, days and weeks: `{short}` is the nearest"
                ),
            )
        };
        diagnostic = diagnostic.help(help).fix(Fix::replace(
            applicability,
            pointer,
            Value::String(short),
            positions.value(pointer),
        ));
    } else if refers_to(pointer, "#/$defs/url") {
        diagnostic = diagnostic.help(url_help(&show(found)));
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_schema_is_valid_2020_12() {
        assert_eq!(
            schema()["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        jsonschema::meta::validate(schema()).expect("valid against the 2020-12 meta-schema");
    }

    /// Walks every subschema that declares properties.
    fn each_object(node: &Value, path: &str, visit: &mut dyn FnMut(&str, &Value)) {
        match node {
            Value::Object(map) => {
                if map.contains_key("properties") {
                    visit(path, node);
                }
                for (key, child) in map {
                    each_object(child, &format!("{path}/{key}"), visit);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    each_object(child, &format!("{path}/{i}"), visit);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_property_is_described_and_every_object_is_closed() {
        each_object(schema(), "", &mut |path, node| {
            // Subschemas under if/then/else only narrow properties declared elsewhere.
            if path.contains("/if") || path.contains("/then") || path.contains("/else") {
                return;
            }
            assert_eq!(node["additionalProperties"], false, "{path} is open");
            for (key, property) in node["properties"].as_object().unwrap() {
                assert!(
                    property
                        .get("description")
                        .and_then(Value::as_str)
                        .is_some(),
                    "{path}/properties/{key} has no description"
                );
            }
        });
    }

    /// The DFAs build.rs compiled match what jsonschema's own `pattern` (ECMA 262 regular
    /// expressions, as cfready ran them before) matches, on every string of the examples and
    /// fixtures and on strings at the edges of each pattern.
    #[test]
    fn the_compiled_patterns_agree_with_jsonschema() {
        let mut corpus: Vec<String> = [
            "",
            " ",
            "/",
            "x",
            "\n",
            "PT4H",
            "PT4H\n",
            "\nPT4H",
            "P1D",
            "P1DT",
            "PT",
            "P",
            "4h",
            "4 h",
            "15m",
            "2w",
            "35d",
            "PT1H30M",
            "PT30M15S",
            "P2W",
            "P1DT12H",
            "pt4h",
            "Mon-Fri 08:00-18:00",
            "Mon-Fri 8:00-18:00",
            "Sun-Sat 23:59-24:00",
            "Mon-Fri 08:00-24:01",
            "Mon-Fri 08:00-18:00 ",
            "mon-fri 08:00-18:00",
            "https://x",
            "http:/x",
            "ftp://a",
            "é://x",
            "https://é",
            "https:///x",
            "https://?x",
            "com.acme.timesheets",
            "com acme",
            "com.acme.é",
            "a-b_c.d",
            "ari:cloud:ecosystem::app/123e4567-e89b-12d3-a456-426614174000",
            "ari:cloud:ecosystem::app/123e4567-e89b-12d3-a456-42661417400",
            "UTC",
            "utc",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "europe/berlin",
            "Etc/GMT+5",
            "A/B/C/D",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("examples"), root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    files.push(path);
                }
            }
        }
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            if let Ok(document) = crate::ticket::load::load("f", &bytes).document {
                crate::ticket::load::for_each_string(&document.value, &mut |_, text| {
                    corpus.push(text.to_owned());
                });
            }
        }
        assert!(corpus.len() > 500, "{} strings", corpus.len());
        assert!(PATTERNS.len() >= 6, "{} patterns", PATTERNS.len());
        for (pattern, _) in PATTERNS {
            let keyword = pattern_keyword(
                &serde_json::Map::new(),
                &Value::from(*pattern),
                jsonschema::paths::Location::new(),
            )
            .unwrap();
            let reference = jsonschema::draft202012::new(&serde_json::json!({"pattern": pattern}))
                .expect("the pattern compiles");
            for text in &corpus {
                let text = Value::from(text.as_str());
                assert_eq!(
                    keyword.is_valid(&text),
                    reference.is_valid(&text),
                    "{pattern} on {text}"
                );
            }
        }
    }

    #[test]
    fn the_generated_table_agrees_with_the_schema() {
        assert!(TEXT_KINDS.len() > 20, "{} text pointers", TEXT_KINDS.len());
        assert!(TEXT_KINDS.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        for (pattern, kind) in TEXT_KINDS {
            let pointer = pattern.replace('*', "0");
            assert_eq!(text_kind_from_schema(&pointer), Some(*kind), "{pattern}");
            assert_eq!(text_kind(&pointer), Some(*kind), "{pattern}");
        }
        // And every text of the example the schema calls text is in the table.
        let example = include_str!("../../examples/acme-timesheets.yaml");
        let document = crate::ticket::load::load("example", example.as_bytes())
            .document
            .expect("the example loads");
        let mut checked = 0;
        crate::ticket::load::for_each_string(&document.value, &mut |pointer, _| {
            assert_eq!(
                text_kind(pointer),
                text_kind_from_schema(pointer),
                "{pointer}"
            );
            checked += 1;
        });
        assert!(checked > 30);
    }

    #[test]
    fn text_kinds_come_from_the_schema() {
        assert_eq!(text_kind("/app/name"), Some(TextKind::Short));
        assert_eq!(
            text_kind("/scalability/concurrent_users"),
            Some(TextKind::Answer)
        );
        assert_eq!(
            text_kind("/scalability/scaling_factors/3/description"),
            Some(TextKind::Answer)
        );
        assert_eq!(
            text_kind("/incident_management/alerts/0/threshold"),
            Some(TextKind::Short)
        );
        assert_eq!(text_kind("/recovery/fix_lead_time"), None);
        assert_eq!(text_kind("/app/nope"), None);
    }

    #[test]
    fn schema_x_rules_name_registered_rules() {
        let mut found = 0;
        fn walk(node: &Value, found: &mut usize) {
            match node {
                Value::Object(map) => {
                    if let Some(code) = map.get("x-rule") {
                        let code = code.as_str().unwrap();
                        assert!(
                            crate::ticket::registry::find(code).is_some(),
                            "{code} is not a rule"
                        );
                        *found += 1;
                    }
                    map.values().for_each(|v| walk(v, found));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
                _ => {}
            }
        }
        walk(schema(), &mut found);
        assert_eq!(found, 2);
    }

    #[test]
    fn schema_paths_follow_refs() {
        assert_eq!(
            schema_node("/$defs/duration/x-expected").and_then(Value::as_str),
            Some("a duration such as `15m`, `4h`, `1h30m`, `1d`, `2w` or `PT4H`")
        );
        assert_eq!(
            description_of("/scalability/scaling_factors/0/factor"),
            Some("The kind of scaling factor.")
        );
        assert_eq!(
            description_of("/recovery/fix_lead_time"),
            Some("Typical time from a fix being merged to it being fully deployed to production.")
        );
    }

    /// The findings of the example with `from` replaced by `to`: (message, help).
    fn findings_of_example(edits: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        let mut text = include_str!("../../examples/acme-timesheets.yaml").to_owned();
        for (from, to) in edits {
            assert!(text.contains(from), "{from}");
            text = text.replacen(from, to, 1);
        }
        let document = crate::ticket::load::load("example", text.as_bytes())
            .document
            .expect("it loads");
        validate(&document)
            .into_iter()
            .map(|d| (d.message, d.help))
            .collect()
    }

    #[test]
    fn an_empty_value_says_the_form_it_expects_not_text() {
        let found = findings_of_example(&[
            ("slo_alerts: reliability@acme.example", "slo_alerts:"),
            ("fix_lead_time: 30m", "fix_lead_time:"),
            ("status_page: https://status.acme.example", "status_page:"),
            ("partner: Acme Software Ltd", "partner:"),
        ]);
        let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
        for expected in [
            "`slo_alerts` is empty; expected an email address such as `reliability@example.com`",
            "`fix_lead_time` is empty; expected a duration such as `15m`, `4h`, `1h30m`, `1d`, `2w` or `PT4H`",
            "`status_page` is empty; expected an absolute URL such as `https://app.example.com`",
            // A plain text has no form beyond its type.
            "`partner` is empty; expected text",
        ] {
            assert!(messages.contains(&expected), "{expected}: {messages:#?}");
        }
    }

    #[test]
    fn a_value_that_is_not_a_url_has_a_help_line() {
        let found = findings_of_example(&[
            (
                "    - https://timesheets.acme.example\n",
                "    - timesheets.acme.example/jira\n",
            ),
            (
                "status_page: https://status.acme.example",
                "status_page: \"https://status acme.example\"",
            ),
        ]);
        let help = |start: &str| {
            found
                .iter()
                .find(|(m, _)| m.starts_with(start))
                .and_then(|(_, help)| help.clone())
                .unwrap_or_else(|| panic!("{start}: {found:#?}"))
        };
        assert_eq!(
            help("`app.base_urls[0]` must be an absolute URL"),
            "a URL starts with its scheme: write `https://timesheets.acme.example/jira`"
        );
        assert_eq!(
            help("`status_page` must be an absolute URL"),
            "a URL holds no spaces: remove them, or write each as `%20`"
        );
        assert_eq!(
            url_help("https:/timesheets.acme.example"),
            "write the scheme, `://` and the host, as a browser's address bar shows the URL"
        );
    }
}
