//! Reads the bundled schema once, when cfready is built, for what every lint needs, so that a
//! run parses no schema JSON and compiles no regular expression (issue 13: most of a cold lint
//! went into the schema before anything was checked):
//!
//! - `text_kinds.rs`: which values are short texts (`$defs/text`) and which are answers
//!   (`$defs/answer`), as a sorted table;
//! - `pattern-N.dfa`: each distinct `pattern` of the schema as a dense DFA (regex-automata),
//!   serialized for the target's byte order, and `validator.rs`: jsonschema's `validator`
//!   macro on the schema with each `pattern` keyword renamed `x-cfready-pattern`, a custom
//!   keyword that runs those DFAs (`schema::pattern_keyword`). The schema file itself, the one
//!   editors and other validators read, keeps its `pattern`s.

use std::fmt::Write as _;
use std::path::Path;

use regex_automata::dfa::{StartKind, dense};
use serde_json::Value;

const SCHEMA: &str = "schemas/questionnaire.schema.json";

/// The custom keyword the validator runs in place of `pattern`.
const PATTERN_KEYWORD: &str = "x-cfready-pattern";

fn main() {
    println!("cargo::rerun-if-changed={SCHEMA}");
    println!("cargo::rerun-if-changed=build.rs");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let text = std::fs::read_to_string(SCHEMA).expect("the bundled schema is readable");
    let schema: Value = serde_json::from_str(&text).expect("the bundled schema is JSON");

    write_text_kinds(&schema, out);

    let mut validator_schema = schema.clone();
    let mut patterns = Vec::new();
    rename_patterns(&mut validator_schema, &mut patterns);
    patterns.sort();
    patterns.dedup();
    let little_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() != Ok("big");
    let mut table = String::new();
    for (index, pattern) in patterns.iter().enumerate() {
        let dfa = dense::Builder::new()
            .configure(dense::DFA::config().start_kind(StartKind::Unanchored))
            .build(pattern)
            .unwrap_or_else(|e| panic!("pattern {pattern:?} of the schema: {e}"));
        let (bytes, padding) = if little_endian {
            dfa.to_bytes_little_endian()
        } else {
            dfa.to_bytes_big_endian()
        };
        let file = format!("pattern-{index}.dfa");
        std::fs::write(out.join(&file), &bytes[padding..]).expect("OUT_DIR is writable");
        writeln!(
            table,
            "    ({pattern:?}, &Aligned {{ _align: [], bytes: *include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\")) }}),"
        )
        .unwrap();
    }
    let json = serde_json::to_string(&validator_schema).expect("the schema serializes");
    assert!(
        !json.contains("\"###"),
        "the schema cannot be a raw string literal"
    );
    let validator = format!(
        "/// The bundled schema as Rust code, generated when cfready is built (by build.rs and\n\
         /// jsonschema's `validator` macro), its `pattern`s run by `{PATTERN_KEYWORD}`.\n\
         #[jsonschema::validator(\n\
         \x20   schema = r###\"{json}\"###,\n\
         \x20   draft = Draft202012,\n\
         \x20   validate_formats = true,\n\
         \x20   keywords = {{ \"{PATTERN_KEYWORD}\" => crate::ticket::schema::pattern_keyword }}\n\
         )]\n\
         pub struct Questionnaire;\n\n\
         /// Every distinct `pattern` of the schema with its DFA, serialized by build.rs.\n\
         static PATTERNS: &[(&str, &Aligned<[u8]>)] = &[\n{table}];\n"
    );
    std::fs::write(out.join("validator.rs"), validator).expect("OUT_DIR is writable");
}

/// Rename every `pattern` keyword (a string beside `type`, not a property named `pattern`).
fn rename_patterns(node: &mut Value, patterns: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(pattern)) = map.get("pattern") {
                let pattern = pattern.clone();
                map.remove("pattern");
                map.insert(PATTERN_KEYWORD.to_owned(), Value::String(pattern.clone()));
                patterns.push(pattern);
            }
            for (key, child) in map.iter_mut() {
                // The names under `properties` are keys of the questionnaire, not keywords.
                if key == "properties" {
                    if let Value::Object(properties) = child {
                        for property in properties.values_mut() {
                            rename_patterns(property, patterns);
                        }
                    }
                } else {
                    rename_patterns(child, patterns);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rename_patterns(item, patterns)),
        _ => {}
    }
}

fn write_text_kinds(schema: &Value, out: &Path) {
    let mut kinds = Vec::new();
    walk(schema, schema, String::new(), 0, &mut kinds);
    kinds.sort();
    kinds.dedup();
    let mut text = String::from(
        "/// Generated by build.rs from the bundled schema: the instance pointers (`*` for any\n\
         /// list index) whose value the schema declares as short text or as an answer, sorted.\n\
         pub(crate) static TEXT_KINDS: &[(&str, TextKind)] = &[\n",
    );
    for (pointer, kind) in &kinds {
        writeln!(text, "    ({pointer:?}, TextKind::{kind}),").unwrap();
    }
    text.push_str("];\n");
    std::fs::write(out.join("text_kinds.rs"), text).expect("OUT_DIR is writable");
}

/// The node a `$ref` points to, or the node itself (as `schema::deref` does at run time).
fn deref<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|target| root.pointer(target))
        .unwrap_or(node)
}

/// Every pointer the instance can have below `node`, the way `schema::property_node` follows
/// `properties`, `items` and `$ref`.
fn walk(
    root: &Value,
    node: &Value,
    pointer: String,
    depth: usize,
    kinds: &mut Vec<(String, &'static str)>,
) {
    assert!(depth < 64, "the bundled schema nests too deep at {pointer}");
    match node.get("$ref").and_then(Value::as_str) {
        Some("#/$defs/text") => kinds.push((pointer.clone(), "Short")),
        Some("#/$defs/answer") => kinds.push((pointer.clone(), "Answer")),
        _ => {}
    }
    let parent = deref(root, node);
    if let Some(items) = parent.get("items") {
        walk(root, items, format!("{pointer}/*"), depth + 1, kinds);
    }
    if let Some(properties) = parent.get("properties").and_then(Value::as_object) {
        for (key, child) in properties {
            let token = key.replace('~', "~0").replace('/', "~1");
            walk(root, child, format!("{pointer}/{token}"), depth + 1, kinds);
        }
    }
}
