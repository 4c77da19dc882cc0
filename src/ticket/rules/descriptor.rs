//! The questionnaire against the app itself: the Connect descriptor (`app.descriptor`) or the
//! Forge manifest (`app.manifest`) read beside it, or the file `--descriptor` names. Each
//! finding stands at the questionnaire's value and names the descriptor's line.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::context::Context;
use crate::diagnostic::{Applicability, Change, Diagnostic, Edit, Fix};
use crate::ticket::load::{Document, MAX_FILE_SIZE};
use crate::ticket::model::{App, Framework};
use crate::ticket::registry::Rule;
use crate::ticket::registry::app::{
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
    crate::ticket::load::load(&name, &bytes)
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

/// The descriptor or manifest a questionnaire names, read.
struct Descriptor<'a> {
    app: &'a App,
    forge: bool,
    path: PathBuf,
    /// The path as messages give it.
    name: String,
    document: Document,
    /// Where findings about the whole file stand: the key that names it, or `app`.
    anchor: &'static str,
    base_urls: Vec<&'a str>,
}

impl Descriptor<'_> {
    fn text(&self, pointer: &str) -> Option<&str> {
        self.document.value.pointer(pointer).and_then(Value::as_str)
    }

    /// `file:line:col` of a value of the descriptor.
    fn at(&self, pointer: &str) -> String {
        at(&self.name, &self.document, pointer)
    }

    /// The values it shares with the questionnaire.
    fn shared(&self) -> &'static [Shared] {
        if self.forge {
            &[FORGE_APP_ID]
        } else {
            &[CONNECT_KEY, CONNECT_NAME, VENDOR_NAME]
        }
    }
}

/// A value the descriptor and the questionnaire both state: where it is in each, and its name.
struct Shared {
    theirs: &'static str,
    ours: &'static str,
    value: fn(&App) -> Option<&str>,
    what: &'static str,
}

const FORGE_APP_ID: Shared = Shared {
    theirs: "/app/id",
    ours: "/app/key",
    value: |app| app.key.as_deref(),
    what: "app id",
};
const CONNECT_KEY: Shared = Shared {
    theirs: "/key",
    ours: "/app/key",
    value: |app| app.key.as_deref(),
    what: "descriptor key",
};
const CONNECT_NAME: Shared = Shared {
    theirs: "/name",
    ours: "/app/name",
    value: |app| app.name.as_deref(),
    what: "descriptor name",
};
const VENDOR_NAME: Shared = Shared {
    theirs: "/vendor/name",
    ours: "/app/partner",
    value: |app| app.partner.as_deref(),
    what: "vendor name",
};

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(descriptor) = read_named(context, out) else {
        return;
    };
    incomplete(context, &descriptor, out);
    templated_value(context, &descriptor, out);
    key_mismatch(context, &descriptor, out);
    if descriptor.forge {
        connect_keys(context, &descriptor, out);
        forge_remote_unlisted(context, &descriptor, out);
        base_url_in_no_remote(context, &descriptor, out);
    } else {
        name_mismatch(context, &descriptor, out);
        base_url_unlisted(context, &descriptor, out);
        descriptor_as_health_check(context, &descriptor, out);
    }
}

/// The descriptor the questionnaire (or `--descriptor`) names, read; CF208 when it cannot be.
fn read_named<'a>(context: &Context<'a>, out: &mut Vec<Diagnostic>) -> Option<Descriptor<'a>> {
    let app = context.questionnaire.app.as_ref()?;
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
        (None, None) => return None,
    };
    let anchor = if named.is_some() { pointer } else { "/app" };
    let name = path.display().to_string();
    let document = match read(&path) {
        Ok(document) => document,
        Err(reason) => {
            unreadable(context, anchor, &name, &reason, out);
            return None;
        }
    };
    let base_urls = app
        .base_urls
        .iter()
        .flat_map(|b| b.iter())
        .map(String::as_str)
        .collect();
    Some(Descriptor {
        app,
        forge,
        path,
        name,
        document,
        anchor,
        base_urls,
    })
}

/// CF208: the descriptor cannot be read.
fn unreadable(
    context: &Context<'_>,
    anchor: &str,
    name: &str,
    reason: &str,
    out: &mut Vec<Diagnostic>,
) {
    out.push(
        context
            .at(
                &DESCRIPTOR_UNREADABLE,
                anchor,
                format!("{name} cannot be read: {reason}"),
            )
            .help("fix the file, or the path to it (relative to the questionnaire)"),
    );
}

/// CF216: what the framework requires and the cross-checks compare: without it they compare
/// nothing, so say so instead of passing.
fn incomplete(context: &Context<'_>, descriptor: &Descriptor<'_>, out: &mut Vec<Diagnostic>) {
    // (value in the file, name, what it is checked against)
    let required: &[(&str, &str, &str)] = if descriptor.forge {
        &[("/app/id", "`app.id`", "`app.key`")]
    } else {
        &[
            ("/key", "`key`", "`app.key`"),
            ("/baseUrl", "`baseUrl`", "`app.base_urls`"),
        ]
    };
    let missing: Vec<(String, &str)> = required
        .iter()
        .filter(|(pointer, ..)| descriptor.text(pointer).is_none())
        .map(
            |&(pointer, what, against)| match descriptor.document.value.pointer(pointer) {
                None => (format!("no {what}"), against),
                Some(_) => (format!("a {what} that is not text"), against),
            },
        )
        .collect();
    if missing.is_empty() {
        return;
    }
    let kind = if descriptor.forge {
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
                descriptor.anchor,
                format!(
                    "{} has {}, which every {kind} must have: it cannot be checked against {}",
                    descriptor.name,
                    lacks.join(" and "),
                    against.join(" and ")
                ),
            )
            .help("name the app's real descriptor or manifest, or complete it"),
    );
}

/// CF209: a shared value, or the Connect baseUrl, that the descriptor only knows when it runs.
fn templated_value(context: &Context<'_>, descriptor: &Descriptor<'_>, out: &mut Vec<Diagnostic>) {
    for shared in descriptor.shared() {
        if let (Some(theirs), Some(ours)) = (
            descriptor.text(shared.theirs),
            (shared.value)(descriptor.app),
        ) && templated(theirs)
        {
            out.push(context.at(
                &DESCRIPTOR_TEMPLATED,
                shared.ours,
                format!(
                    "{} in {} is the template `{theirs}`: it cannot be checked against `{ours}`",
                    shared.what,
                    descriptor.at(shared.theirs)
                ),
            ));
        }
    }
    if !descriptor.forge
        && let Some(base) = descriptor.text("/baseUrl")
        && templated(base)
    {
        out.push(context.at(
            &DESCRIPTOR_TEMPLATED,
            "/app/base_urls",
            format!(
                "the baseUrl in {} is the template `{base}`: set app.health_check.descriptor_path so that cfready probe checks the served one",
                descriptor.at("/baseUrl")
            ),
        ));
    }
}

/// A shared value that differs, as `rule` (the key, or a name).
fn mismatch(
    context: &Context<'_>,
    descriptor: &Descriptor<'_>,
    shared: &Shared,
    rule: &'static Rule,
    out: &mut Vec<Diagnostic>,
) {
    if let (Some(theirs), Some(ours)) = (
        descriptor.text(shared.theirs),
        (shared.value)(descriptor.app),
    ) && !templated(theirs)
        && theirs != ours
    {
        out.push(context.at(
            rule,
            shared.ours,
            format!(
                "`{ours}` differs from the {} `{theirs}` in {}",
                shared.what,
                descriptor.at(shared.theirs)
            ),
        ));
    }
}

/// CF210: the app key differs from the descriptor's key or the manifest's app id.
fn key_mismatch(context: &Context<'_>, descriptor: &Descriptor<'_>, out: &mut Vec<Diagnostic>) {
    if descriptor.forge
        && let Some(key) = descriptor.app.key.as_deref()
        && let Some(id) = descriptor.text("/app/id")
        && descriptor.text("/app/connect/key") == Some(key)
        && !templated(id)
    {
        // The Connect key left as the app's key, mid-migration: the fix moves the app id in.
        let fix = Fix::replace(
            Applicability::Safe,
            "/app/key",
            Value::String(id.to_owned()),
            context.positions.value("/app/key"),
        );
        out.push(
            context
                .at(
                    &DESCRIPTOR_KEY_MISMATCH,
                    "/app/key",
                    format!(
                        "`{key}` is the Connect key (the manifest's app.connect.key); a Forge app's key is its app id `{id}` in {}",
                        descriptor.at("/app/id")
                    ),
                )
                .fix(Fix {
                    title: format!("write the app id `{id}`"),
                    ..fix
                }),
        );
        return;
    }
    let key = if descriptor.forge {
        &FORGE_APP_ID
    } else {
        &CONNECT_KEY
    };
    mismatch(context, descriptor, key, &DESCRIPTOR_KEY_MISMATCH, out);
}

/// CF212: the app's name or the partner's differs, Connect only (a Forge manifest names neither).
fn name_mismatch(context: &Context<'_>, descriptor: &Descriptor<'_>, out: &mut Vec<Diagnostic>) {
    for shared in [&CONNECT_NAME, &VENDOR_NAME] {
        mismatch(context, descriptor, shared, &DESCRIPTOR_NAME_MISMATCH, out);
    }
}

/// CF211: the Connect descriptor's baseUrl is not among the base URLs.
fn base_url_unlisted(
    context: &Context<'_>,
    descriptor: &Descriptor<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(base) = descriptor.text("/baseUrl")
        && !templated(base)
        && !descriptor.base_urls.iter().any(|b| same_url(b, base))
    {
        out.push(
            context
                .at_key(
                    &DESCRIPTOR_BASE_URL_UNLISTED,
                    "/app/base_urls",
                    format!(
                        "the descriptor's baseUrl `{base}` ({}) is not among the base URLs",
                        descriptor.at("/baseUrl")
                    ),
                )
                .help("Atlassian monitors every base URL that receives customer traffic: list it"),
        );
    }
}

/// The manifest's remotes' base URLs, with their index.
fn remotes<'a>(descriptor: &'a Descriptor<'_>) -> Vec<(usize, &'a str)> {
    descriptor
        .document
        .value
        .pointer("/remotes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .flat_map(|(i, r)| remote_urls(r).into_iter().map(move |url| (i, url)))
        .collect()
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

/// CF214: a Forge remote on https that is not among the base URLs.
fn forge_remote_unlisted(
    context: &Context<'_>,
    descriptor: &Descriptor<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (index, remote) in remotes(descriptor) {
        if remote.starts_with("https://")
            && !descriptor.base_urls.iter().any(|b| same_url(b, remote))
        {
            out.push(
                context
                    .at_key(
                        &FORGE_REMOTE_UNLISTED,
                        "/app/base_urls",
                        format!(
                            "the remote `{remote}` ({}) is not among the base URLs",
                            descriptor.at(&format!("/remotes/{index}/baseUrl"))
                        ),
                    )
                    .help("Forge Remote endpoints receive customer traffic: list the remote's URL under base_urls"),
            );
        }
    }
}

/// CF215: a base URL of a Forge app that is no remote's.
fn base_url_in_no_remote(
    context: &Context<'_>,
    descriptor: &Descriptor<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let remotes = remotes(descriptor);
    for (index, base) in descriptor.base_urls.iter().enumerate() {
        if !remotes.iter().any(|(_, r)| same_url(base, r)) {
            out.push(context.at(
                &BASE_URL_IN_NO_REMOTE,
                &format!("/app/base_urls/{index}"),
                format!(
                    "`{base}` is the baseUrl of none of the remotes in {}",
                    descriptor.name
                ),
            ));
        }
    }
}

/// CF213: the descriptor as the health check: a static file answers 200 while the app is down.
fn descriptor_as_health_check(
    context: &Context<'_>,
    descriptor: &Descriptor<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(health) = descriptor
        .app
        .health_check
        .as_ref()
        .and_then(|h| h.path.as_deref())
        && let Some(file) = descriptor.path.file_name().and_then(|f| f.to_str())
        && health.trim_end_matches('/').rsplit('/').next() == Some(file)
        && !descriptor.text("/baseUrl").is_some_and(templated)
    {
        out.push(
            context
                .at(
                    &DESCRIPTOR_AS_HEALTH_CHECK,
                    "/app/health_check/path",
                    format!(
                        "the health check `{health}` is the descriptor, and {} is a static file",
                        descriptor.name
                    ),
                )
                .help("a static resource is not a health check: serve an endpoint that checks the app (or generate the descriptor on the server)"),
        );
    }
}

/// CF217 and CF218, Connect on Forge: the questionnaire's `app.connect_key` against the
/// manifest's `app.connect.key` (CF217), or the manifest's key when the questionnaire names
/// none (CF218, with the safe fix that writes it above `app.key`).
fn connect_keys(context: &Context<'_>, descriptor: &Descriptor<'_>, out: &mut Vec<Diagnostic>) {
    let name = &descriptor.name;
    match (
        descriptor.app.connect_key.as_deref(),
        descriptor.text("/app/connect/key"),
    ) {
        (Some(ours), Some(theirs)) if templated(theirs) => out.push(context.at(
            &DESCRIPTOR_TEMPLATED,
            "/app/connect_key",
            format!(
                "the Connect key in {} is the template `{theirs}`: it cannot be checked against `{ours}`",
                descriptor.at("/app/connect/key")
            ),
        )),
        (Some(ours), Some(theirs)) if ours != theirs => out.push(context.at(
            &CONNECT_KEY_MISMATCH,
            "/app/connect_key",
            format!(
                "`{ours}` differs from the Connect key `{theirs}` in {}",
                descriptor.at("/app/connect/key")
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
                        descriptor.at("/app/connect/key")
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
