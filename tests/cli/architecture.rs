//! The library's modules import each other only downwards: no module under `src/` imports one
//! that imports it back, directly or through others. (`src/lib.rs` draws the layers.) The
//! binary (`src/main.rs` and `src/cli/`) is checked on its own: main dispatches to the
//! commands, the commands share `cli/mod.rs`, nothing points back up.
//!
//! The import graph is read from the source text: every path that starts with `crate::`,
//! `super::` or `self::`, or with the name of a child module declared in the same file, names
//! the deepest module file it reaches (`crate::ticket::rules::probe::diagnostics` imports
//! `src/ticket/rules/probe.rs`). Declaring a child module (`mod x;`) is not an import; a file's own
//! unit tests count like the rest of it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::root;

/// A module, as the path of its file under `src/` without the extension (`rules/probe`,
/// `rules` for `rules/mod.rs`, `lib` for the crate root).
type Module = String;

/// Whether a module is the binary's (`main.rs` and `src/cli/`), not the library's.
fn is_binary(module: &str) -> bool {
    module == "main" || module == "cli" || module.starts_with("cli/")
}

/// Every module file of the library (not the binary's).
fn modules() -> BTreeMap<Module, String> {
    let mut all = every_module();
    all.retain(|module, _| !is_binary(module));
    all
}

/// Every module file of the binary: `main` (its root) and `cli/...`.
fn binary_modules() -> BTreeMap<Module, String> {
    let mut all = every_module();
    all.retain(|module, _| is_binary(module));
    all
}

/// Every module file under `src/`, the library's and the binary's.
fn every_module() -> BTreeMap<Module, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<Module, String>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                walk(&path, &format!("{prefix}{name}/"), out);
            } else if let Some(stem) = name.strip_suffix(".rs") {
                let module = match stem {
                    "mod" => prefix.trim_end_matches('/').to_owned(),
                    _ => format!("{prefix}{stem}"),
                };
                out.insert(module, std::fs::read_to_string(&path).expect("readable"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root().join("src"), "", &mut out);
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    PathSep,
    Open,
    Close,
    Comma,
    Semicolon,
    Other,
}

/// The tokens of Rust source that matter for paths: comments, strings and characters are
/// skipped (a URL in a string is not a path).
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && raw_string_at(&chars, i) {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1; // the opening quote
            while j < chars.len() {
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
            out.push(Token::Other);
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(Token::Other);
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{..}') or a lifetime ('a).
            if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else {
                i += 1;
            }
            out.push(Token::Other);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else if c == ':' && next == Some(':') {
            out.push(Token::PathSep);
            i += 2;
        } else {
            out.push(match c {
                '{' => Token::Open,
                '}' => Token::Close,
                ',' => Token::Comma,
                ';' => Token::Semicolon,
                _ => Token::Other,
            });
            i += 1;
        }
    }
    out
}

/// Whether `r` at `i` starts a raw string (`r"`, `r#"`), not an identifier ending in `r`.
fn raw_string_at(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j]);
    if before.is_some_and(|b| b.is_alphanumeric() || b == '_') {
        return false;
    }
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

/// The full paths of a path tree starting at `tokens[at]` (`a::b::{c, d::e}`): each as
/// segments. Returns the paths and the index after the tree.
fn path_tree(tokens: &[Token], mut at: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut segments = prefix;
    loop {
        match tokens.get(at) {
            Some(Token::Word(word)) => {
                segments.push(word.clone());
                at += 1;
            }
            Some(Token::Open) => {
                let mut paths = Vec::new();
                at += 1;
                loop {
                    match tokens.get(at) {
                        Some(Token::Close) => return (paths, at + 1),
                        Some(Token::Comma) => at += 1,
                        None => return (paths, at),
                        _ => {
                            let (inner, after) = path_tree(tokens, at, segments.clone());
                            paths.extend(inner);
                            // A glob (`*`) or anything else that is not a path: step over it.
                            at = after.max(at + 1);
                        }
                    }
                }
            }
            _ => return (vec![segments], at),
        }
        if tokens.get(at) == Some(&Token::PathSep) {
            at += 1;
        } else {
            return (vec![segments], at);
        }
    }
}

/// The modules `module`'s source imports.
fn imports(module: &str, source: &str, all: &BTreeMap<Module, String>) -> BTreeSet<Module> {
    let tokens = tokens(source);
    // `crate` as segments: `rules/probe` is ["rules", "probe"]; the root (`lib`, or `main`
    // for the binary) is [].
    let own: Vec<String> = if module == "lib" || module == "main" {
        Vec::new()
    } else {
        module.split('/').map(str::to_owned).collect()
    };
    let children: BTreeSet<String> = tokens
        .windows(3)
        .filter_map(|w| match w {
            [Token::Word(m), Token::Word(name), Token::Semicolon] if m == "mod" => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect();
    // Inline modules (`mod tests { ... }`) shift what `super` means inside them.
    let mut inline: Vec<usize> = Vec::new(); // the brace depth each one opened at
    let mut depth = 0;
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
            }
            Token::Word(word) if word == "mod" => {
                if let (Some(Token::Word(_)), Some(Token::Open)) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    inline.push(depth);
                }
            }
            _ => {}
        }
        let starts_path = matches!(&tokens[i], Token::Word(w) if w == "crate" || w == "super" || w == "self" || children.contains(w))
            && tokens.get(i + 1) == Some(&Token::PathSep)
            && !matches!(i.checked_sub(1).map(|j| &tokens[j]), Some(Token::PathSep));
        if starts_path {
            let (paths, after) = path_tree(&tokens, i, Vec::new());
            for path in paths {
                let absolute: Vec<String> = match path[0].as_str() {
                    "crate" => path[1..].to_vec(),
                    "self" => [own.as_slice(), &path[1..]].concat(),
                    "super" => {
                        let supers = path.iter().take_while(|s| *s == "super").count();
                        // Inside `mod tests { }`, a `super` first leaves the inline module.
                        let leaving_files = supers.saturating_sub(inline.len());
                        let up = &own[..own.len().saturating_sub(leaving_files)];
                        [up, &path[supers..]].concat()
                    }
                    _ => [own.as_slice(), &path].concat(), // a child module's name
                };
                if let Some(target) = deepest(&absolute, all) {
                    found.insert(target);
                }
            }
            i = after;
            continue;
        }
        i += 1;
    }
    found.remove(module);
    found
}

/// The deepest module file a path reaches (`rules::probe::diagnostics` -> `rules/probe`).
fn deepest(segments: &[String], all: &BTreeMap<Module, String>) -> Option<Module> {
    (1..=segments.len())
        .rev()
        .map(|n| segments[..n].join("/"))
        .find(|candidate| all.contains_key(candidate))
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'g> {
        graph: &'g BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        out: Vec<Vec<Module>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g str) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        for target in state.graph.get(node).into_iter().flatten() {
            let target = target.as_str();
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[target].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.index[target].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.to_owned());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.out
}

fn import_graph() -> BTreeMap<Module, BTreeSet<Module>> {
    graph_of(&modules())
}

fn graph_of(all: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    all.iter()
        .map(|(module, source)| (module.clone(), imports(module, source, all)))
        .collect()
}

/// The cycles of `graph`, each as its edges (empty when there is none).
fn shown_cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    let found = cycles(graph);
    let shown: Vec<String> = found
        .iter()
        .map(|component| {
            let edges: Vec<String> = component
                .iter()
                .flat_map(|from| {
                    graph[from]
                        .iter()
                        .filter(|to| component.contains(to))
                        .map(move |to| format!("{from} -> {to}"))
                })
                .collect();
            format!("{} modules: {}", component.len(), edges.join(", "))
        })
        .collect();
    shown
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let shown = shown_cycles(&import_graph());
    assert!(shown.is_empty(), "import cycles:\n{}", shown.join("\n"));
}

/// `main.rs` parses and dispatches; each command's arguments and glue are in `src/cli/`, over
/// the shared pieces of `cli/mod.rs`, which imports no command; nothing imports `main`.
#[test]
fn the_binary_dispatches_down_to_its_commands() {
    let all = binary_modules();
    let graph = graph_of(&all);
    let shown = shown_cycles(&graph);
    assert!(shown.is_empty(), "import cycles:\n{}", shown.join("\n"));
    assert!(
        graph["main"].iter().any(|m| m.starts_with("cli/")),
        "main dispatches to the commands in cli/"
    );
    assert!(
        graph["cli"].is_empty(),
        "cli/mod.rs, the shared pieces, imports {:?}",
        graph["cli"]
    );
    // A `crate::` path from a command that does not go into `cli` names an item of main.rs.
    for (module, source) in all.iter().filter(|(m, _)| *m != "main") {
        let tokens = tokens(source);
        let up: Vec<String> = tokens
            .windows(3)
            .filter_map(|w| match w {
                [Token::Word(c), Token::PathSep, Token::Word(next)] if c == "crate" => {
                    (next != "cli").then(|| next.clone())
                }
                [Token::Word(c), Token::PathSep, Token::Open] if c == "crate" => {
                    Some("{..}".to_owned())
                }
                _ => None,
            })
            .collect();
        assert!(up.is_empty(), "{module} imports main's {up:?}");
    }
    let lines = all["main"].lines().count();
    assert!(
        lines < 200,
        "main.rs is {lines} lines: dispatch only keeps it under 200"
    );
}

#[test]
fn the_import_reader_sees_paths_groups_super_and_children() {
    let all: BTreeMap<Module, String> = ["lib", "a", "b", "c", "c/d", "c/e", "f"]
        .into_iter()
        .map(|m| (m.to_owned(), String::new()))
        .collect();
    let source = r#"
        //! crate::f in a comment is not an import
        use crate::{a, b::Thing};
        mod d;
        pub use d::Exported;
        fn f() { let _ = "crate::f in a string"; e_like::call(); super::f::g(); }
        mod tests { use super::*; use crate::c::e::helper; }
    "#;
    let found = imports("c", source, &all);
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["a", "b", "c/d", "c/e", "f"]
    );
}

/// What the layers are, for the record: run with `--nocapture` to print the graph.
#[test]
fn the_registry_is_a_leaf_and_the_stages_point_down() {
    let graph = import_graph();
    if std::env::var_os("CFREADY_PRINT_IMPORTS").is_some() {
        for (module, targets) in &graph {
            let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
            println!("{module} -> {}", targets.join(", "));
        }
    }
    let below = |module: &str| -> BTreeSet<Module> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![module.to_owned()];
        while let Some(next) = todo.pop() {
            for target in graph.get(&next).into_iter().flatten() {
                if seen.insert(target.clone()) {
                    todo.push(target.clone());
                }
            }
        }
        seen
    };
    // What a rule *is* sits below every stage; what the stages are does not reach the checks.
    for module in graph.keys().filter(|m| m.starts_with("ticket/registry")) {
        let reached: Vec<Module> = below(module)
            .into_iter()
            .filter(|m| !m.starts_with("ticket/registry") && m != "suggest")
            .collect();
        assert!(reached.is_empty(), "{module} imports {reached:?}");
    }
    // The language server is a stage above lint that never reaches the network (the probe and
    // what runs it; `net` only splits URLs), and no
    // stage below it knows it exists.
    let reached: Vec<Module> = below("ticket/server")
        .into_iter()
        .filter(|m| {
            ["ticket/probe", "ticket/check", "badge"]
                .iter()
                .any(|n| m == n || m.starts_with(&format!("{n}/")))
        })
        .collect();
    assert!(reached.is_empty(), "server reaches {reached:?}");
    assert!(
        below("ticket/server").contains("ticket/lint"),
        "the server lints through lint"
    );
    for module in graph
        .keys()
        .filter(|m| !m.starts_with("ticket/server") && *m != "lib")
    {
        assert!(
            !below(module).iter().any(|m| m.starts_with("ticket/server")),
            "{module} reaches the server"
        );
    }
    for stage in ["ticket/load", "ticket/schema", "diagnostic", "source"] {
        let reached: Vec<Module> = below(stage)
            .into_iter()
            .filter(|m| {
                m.starts_with("ticket/rules") || m == "ticket/lint" || m.starts_with("ticket/probe")
            })
            .collect();
        assert!(reached.is_empty(), "{stage} reaches {reached:?}");
    }
}

/// The folder tree is the product's two halves: `ticket/` (before approval: the questionnaire
/// to the approval ticket) never reaches `badge/` (after approval: monitor, store, SLO,
/// alerts), directly or through another module, and every library module but the root's small
/// helpers and the output formats sits in one of them.
#[test]
fn the_ticket_half_never_reaches_the_badge_half() {
    let graph = import_graph();
    let mut reached: BTreeSet<(Module, Module)> = BTreeSet::new();
    for start in graph.keys().filter(|m| m.starts_with("ticket")) {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.clone()];
        while let Some(next) = todo.pop() {
            for target in graph.get(&next).into_iter().flatten() {
                if seen.insert(target.clone()) {
                    todo.push(target.clone());
                }
            }
        }
        for badge in seen.into_iter().filter(|m| m.starts_with("badge")) {
            reached.insert((start.clone(), badge));
        }
    }
    assert!(reached.is_empty(), "ticket/ reaches badge/: {reached:?}");
    let root: BTreeSet<&str> = [
        "lib",
        "badge",
        "ticket",
        "date",
        "diagnostic",
        "duration",
        "net",
        "program",
        "report",
        "source",
        "suggest",
        "timestamp",
        "words",
        "write",
    ]
    .into_iter()
    .collect();
    let stray: Vec<&Module> = graph
        .keys()
        .filter(|m| !m.contains('/') && !root.contains(m.as_str()))
        .collect();
    assert!(
        stray.is_empty(),
        "{stray:?} at the root of src/: a stage belongs in ticket/ or badge/"
    );
}
