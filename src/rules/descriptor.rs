//! The questionnaire against the app itself: the Connect descriptor (`app.descriptor`) or the
//! Forge manifest (`app.manifest`) read beside it, or the file `--descriptor` names. Each
//! finding stands at the questionnaire's value and names the descriptor's line.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::context::Context;
use crate::diagnostic::{Applicability, Change, Diagnostic, Edit, Fix};
use crate::load::{Document, MAX_FILE_SIZE};
use crate::model::Framework;
use crate::registry::app::{
    BASE_URL_IN_NO_REMOTE, CONNECT_KEY_MISMATCH, CONNECT_KEY_UNDECLARED,
    DESCRIPTOR_AS_HEALTH_CHECK, DESCRIPTOR_BASE_URL_UNLISTED, DESCRIPTOR_INCOMPLETE,
    DESCRIPTOR_KEY_MISMATCH, DESCRIPTOR_NAME_MISMATCH, DESCRIPTOR_TEMPLATED, DESCRIPTOR_UNREADABLE,
    FORGE_REMOTE_UNLISTED,
};

/// A URL compared as the monitor would: no trailing slash, scheme and host without case.
pub fn same_url(a: &str, b: &str) -> bool {
    normal(a) == normal(b)
}

fn normal(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{path}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => url.to_owned(),
    }
}

/// A value only known when the app runs (`{{localBaseUrl}}`, `${BASE_URL}`).
pub fn templated(text: &str) -> bool {
    text.contains("{{") || text.contains("${")
}

/// Read a descriptor or manifest with the questionnaire's loader and limits.
pub fn read(path: &Path) -> Result<Document, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| crate::source::plain_io(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::source::plain_io(&e))?;
    let name = path.display().to_string();
    crate::load::load(&name, &bytes)
        .document
        .map_err(|diagnostics| {
            diagnostics.first().map_or_else(
                || "it is not a mapping".to_owned(),
                |d| match d.span {
                    Some(span) => format!("{name}:{}:{}: {}", span.line, span.column, d.message),
                    None => d.message.clone(),
                },
            )
        })
}

/// `file:line:col` of a value of the descriptor, for messages.
fn at(name: &str, document: &Document, pointer: &str) -> String {
    document.positions.value(pointer).map_or_else(
        || name.to_owned(),
        |s| format!("{name}:{}:{}", s.line, s.column),
    )
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(app) = &context.questionnaire.app else {
        return;
    };
    let forge = app.framework == Some(Framework::Forge);
    let (named, pointer) = if forge {
        (app.manifest.as_deref(), "/app/manifest")
    } else {
        (app.descriptor.as_deref(), "/app/descriptor")
    };
    let path: PathBuf = match (context.descriptor, named) {
        (Some(path), _) => path.to_owned(),
        (None, Some(named)) => context
            .path
            .and_then(Path::parent)
            .map_or_else(|| PathBuf::from(named), |dir| dir.join(named)),
        (None, None) => return,
    };
    // Findings about the whole file stand at the key that names it, or at `app`.
    let anchor = if named.is_some() { pointer } else { "/app" };
    let name = path.display().to_string();
    let document = match read(&path) {
        Ok(document) => document,
        Err(reason) => {
            out.push(
                context
                    .at(
                        &DESCRIPTOR_UNREADABLE,
                        anchor,
                        format!("{name} cannot be read: {reason}"),
                    )
                    .help("fix the file, or the path to it (relative to the questionnaire)"),
            );
            return;
        }
    };
    let value = &document.value;
    let text = |pointer: &str| value.pointer(pointer).and_then(Value::as_str);
    // What the framework requires and the cross-checks compare: without it they compare
    // nothing, so say so instead of passing. (value in the file, name, what it is checked
    // against)
    let required: &[(&str, &str, &str)] = if forge {
        &[("/app/id", "`app.id`", "`app.key`")]
    } else {
        &[
            ("/key", "`key`", "`app.key`"),
            ("/baseUrl", "`baseUrl`", "`app.base_urls`"),
        ]
    };
    let missing: Vec<(String, &str)> = required
        .iter()
        .filter(|(pointer, ..)| text(pointer).is_none())
        .map(|&(pointer, what, against)| match value.pointer(pointer) {
            None => (format!("no {what}"), against),
            Some(_) => (format!("a {what} that is not text"), against),
        })
        .collect();
    if !missing.is_empty() {
        let kind = if forge {
            "Forge manifest"
        } else {
            "Connect descriptor"
        };
        let lacks: Vec<&str> = missing.iter().map(|(what, _)| what.as_str()).collect();
        let against: Vec<&str> = missing.iter().map(|(_, against)| *against).collect();
        out.push(
            context
                .at(
                    &DESCRIPTOR_INCOMPLETE,
                    anchor,
                    format!(
                        "{name} has {}, which every {kind} must have: it cannot be checked against {}",
                        lacks.join(" and "),
                        against.join(" and ")
                    ),
                )
                .help("name the app's real descriptor or manifest, or complete it"),
        );
    }
    // The key, unless the descriptor only knows it when it runs.
    let compare = |out: &mut Vec<Diagnostic>,
                   theirs_pointer: &str,
                   ours: Option<&str>,
                   ours_pointer: &str,
                   rule: &'static crate::registry::Rule,
                   what: &str| {
        let (Some(theirs), Some(ours)) = (text(theirs_pointer), ours) else {
            return;
        };
        if templated(theirs) {
            out.push(context.at(
                &DESCRIPTOR_TEMPLATED,
                ours_pointer,
                format!(
                    "{what} in {} is the template `{theirs}`: it cannot be checked against `{ours}`",
                    at(&name, &document, theirs_pointer)
                ),
            ));
        } else if theirs != ours {
            out.push(context.at(
                rule,
                ours_pointer,
                format!(
                    "`{ours}` differs from the {what} `{theirs}` in {}",
                    at(&name, &document, theirs_pointer)
                ),
            ));
        }
    };
    let base_urls: Vec<&str> = app
        .base_urls
        .iter()
        .flat_map(|b| b.iter())
        .map(String::as_str)
        .collect();
    if forge {
        let connect_key = text("/app/connect/key");
        match (app.key.as_deref(), text("/app/id")) {
            // The Connect key left as the app's key, mid-migration: the fix moves the app id in.
            (Some(key), Some(id)) if Some(key) == connect_key && !templated(id) => out.push(
                context
                    .at(
                        &DESCRIPTOR_KEY_MISMATCH,
                        "/app/key",
                        format!(
                            "`{key}` is the Connect key (the manifest's app.connect.key); a Forge app's key is its app id `{id}` in {}",
                            at(&name, &document, "/app/id")
                        ),
                    )
                    .fix(
                        Fix::replace(
                            Applicability::Safe,
                            "/app/key",
                            Value::String(id.to_owned()),
                            context.positions.value("/app/key"),
                        )
                        .titled(format!("write the app id `{id}`")),
                    ),
            ),
            _ => compare(
                out,
                "/app/id",
                app.key.as_deref(),
                "/app/key",
                &DESCRIPTOR_KEY_MISMATCH,
                "app id",
            ),
        }
        connect_keys(context, &name, &document, connect_key, out);
        let remotes: Vec<(usize, &str)> = value
            .pointer("/remotes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .flat_map(|(i, r)| remote_urls(r).into_iter().map(move |url| (i, url)))
            .collect();
        for (index, remote) in &remotes {
            if remote.starts_with("https://") && !base_urls.iter().any(|b| same_url(b, remote)) {
                out.push(
                    context
                        .at_key(
                            &FORGE_REMOTE_UNLISTED,
                            "/app/base_urls",
                            format!(
                                "the remote `{remote}` ({}) is not among the base URLs",
                                at(&name, &document, &format!("/remotes/{index}/baseUrl"))
                            ),
                        )
                        .help("Forge Remote endpoints receive customer traffic: list the remote's URL under base_urls"),
                );
            }
        }
        for (index, base) in base_urls.iter().enumerate() {
            if !remotes.iter().any(|(_, r)| same_url(base, r)) {
                out.push(context.at(
                    &BASE_URL_IN_NO_REMOTE,
                    &format!("/app/base_urls/{index}"),
                    format!("`{base}` is the baseUrl of none of the remotes in {name}"),
                ));
            }
        }
        return;
    }
    compare(
        out,
        "/key",
        app.key.as_deref(),
        "/app/key",
        &DESCRIPTOR_KEY_MISMATCH,
        "descriptor key",
    );
    compare(
        out,
        "/name",
        app.name.as_deref(),
        "/app/name",
        &DESCRIPTOR_NAME_MISMATCH,
        "descriptor name",
    );
    compare(
        out,
        "/vendor/name",
        app.partner.as_deref(),
        "/app/partner",
        &DESCRIPTOR_NAME_MISMATCH,
        "vendor name",
    );
    if let Some(base) = text("/baseUrl") {
        if templated(base) {
            out.push(context.at(
                &DESCRIPTOR_TEMPLATED,
                "/app/base_urls",
                format!(
                    "the baseUrl in {} is the template `{base}`: set app.health_check.descriptor_path so that cfready probe checks the served one",
                    at(&name, &document, "/baseUrl")
                ),
            ));
        } else if !base_urls.iter().any(|b| same_url(b, base)) {
            out.push(
                context
                    .at_key(
                        &DESCRIPTOR_BASE_URL_UNLISTED,
                        "/app/base_urls",
                        format!(
                            "the descriptor's baseUrl `{base}` ({}) is not among the base URLs",
                            at(&name, &document, "/baseUrl")
                        ),
                    )
                    .help(
                        "Atlassian monitors every base URL that receives customer traffic: list it",
                    ),
            );
        }
    }
    // The descriptor as the health check: a static file answers 200 while the app is down.
    if let Some(health) = app.health_check.as_ref().and_then(|h| h.path.as_deref())
        && let Some(file) = path.file_name().and_then(|f| f.to_str())
        && health.trim_end_matches('/').rsplit('/').next() == Some(file)
        && !text("/baseUrl").is_some_and(templated)
    {
        out.push(
            context
                .at(
                    &DESCRIPTOR_AS_HEALTH_CHECK,
                    "/app/health_check/path",
                    format!("the health check `{health}` is the descriptor, and {name} is a static file"),
                )
                .help("a static resource is not a health check: serve an endpoint that checks the app (or generate the descriptor on the server)"),
        );
    }
}

/// A remote's base URLs: `baseUrl` as text, or its `default` and region-specific URLs (the
/// manifest's object form for data residency).
fn remote_urls(remote: &Value) -> Vec<&str> {
    match remote.get("baseUrl") {
        Some(Value::String(url)) => vec![url.as_str()],
        Some(Value::Object(regions)) => regions.values().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Connect on Forge: the questionnaire's `app.connect_key` against the manifest's
/// `app.connect.key` (CF217), or the manifest's key when the questionnaire names none
/// (CF218, with the safe fix that writes it above `app.key`).
fn connect_keys(
    context: &Context<'_>,
    name: &str,
    document: &Document,
    theirs: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(app) = &context.questionnaire.app else {
        return;
    };
    match (app.connect_key.as_deref(), theirs) {
        (Some(ours), Some(theirs)) if templated(theirs) => out.push(context.at(
            &DESCRIPTOR_TEMPLATED,
            "/app/connect_key",
            format!(
                "the Connect key in {} is the template `{theirs}`: it cannot be checked against `{ours}`",
                at(name, document, "/app/connect/key")
            ),
        )),
        (Some(ours), Some(theirs)) if ours != theirs => out.push(context.at(
            &CONNECT_KEY_MISMATCH,
            "/app/connect_key",
            format!(
                "`{ours}` differs from the Connect key `{theirs}` in {}",
                at(name, document, "/app/connect/key")
            ),
        )),
        (Some(ours), None) => out.push(
            context
                .at(
                    &CONNECT_KEY_MISMATCH,
                    "/app/connect_key",
                    format!("`{ours}` is set, but {name} carries no app.connect.key"),
                )
                .help("a manifest without Connect modules ends the migration: remove app.connect_key"),
        ),
        (None, Some(theirs)) if !templated(theirs) => out.push(
            context
                .at_key(
                    &CONNECT_KEY_UNDECLARED,
                    "/app",
                    format!(
                        "the manifest carries Connect modules under the Connect key `{theirs}` ({}): name it as app.connect_key",
                        at(name, document, "/app/connect/key")
                    ),
                )
                .fix(insert_connect_key(context, theirs)),
        ),
        _ => {}
    }
}

/// The fix that writes `connect_key: KEY` on its own line above `app.key`, at its indentation;
/// shown only when `app.key` is not a line of a block mapping.
fn insert_connect_key(context: &Context<'_>, key: &str) -> Fix {
    let value = Value::String(key.to_owned());
    let shown = Fix::display("/app/connect_key", value.clone());
    let (Some(source), Some(span)) = (context.source, context.positions.key("/app/key")) else {
        return shown;
    };
    let line_start = source.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &source.text[line_start..span.start];
    if !indent.chars().all(|c| c == ' ') {
        return shown;
    }
    Fix {
        applicability: Applicability::Safe,
        title: format!("write `connect_key: {key}` above `key`"),
        change: Change::Set {
            pointer: "/app/connect_key".to_owned(),
            value: value.clone(),
        },
        edits: vec![Edit {
            start: line_start,
            end: line_start,
            content: format!(
                "{indent}connect_key: {}\n",
                crate::diagnostic::yaml_text(&value)
            ),
        }],
    }
}
