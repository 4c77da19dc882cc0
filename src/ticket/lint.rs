//! The lint pipeline for one file: load -> schema (-> readiness rules), as data.

use std::io::Read;
use std::path::Path;

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Source, plain_io};
use crate::ticket::load::{self, Document, MAX_FILE_SIZE};
use crate::ticket::model::Questionnaire;
use crate::ticket::registry;
use crate::ticket::rules::{self, Context};
use crate::ticket::schema;

/// The conventional name of the questionnaire, used when no file is given.
pub const DEFAULT_FILE: &str = "cloud-fortified.yaml";

/// Whether a file's name follows the naming convention of questionnaires, which the language
/// server, the pre-commit hook and the VS Code extension all follow: `cloud-fortified.yaml`,
/// or `NAME.cloud-fortified.yaml` for several in one folder (`.yml` alike, any case).
pub fn is_questionnaire_name(file_name: &str) -> bool {
    let name = file_name.to_ascii_lowercase();
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "cloud-fortified"
        || stem
            .strip_suffix(".cloud-fortified")
            .is_some_and(|prefix| !prefix.is_empty())
}

/// What linting one file found.
#[derive(Debug)]
pub struct FileReport {
    /// The path as the user gave it; `<stdin>` for `-`.
    pub path: String,
    /// The text, when the file could be read as text (for snippets).
    pub source: Option<Source>,
    pub diagnostics: Vec<Diagnostic>,
    /// The file could not be read at all (missing, a directory, no permission): exit 2.
    pub failure: Option<String>,
    /// The typed questionnaire, when the file parsed (for the later stages).
    pub questionnaire: Option<Questionnaire>,
    /// The loaded value and its positions, when the file parsed (the probe places its
    /// findings at the base URLs).
    pub document: Option<Document>,
}

impl FileReport {
    /// A report with no file behind it (the probe of `--url`).
    pub fn without_source(path: String, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport {
            path,
            source: None,
            diagnostics,
            failure: None,
            questionnaire: None,
            document: None,
        }
    }

    /// Drop what only later stages need (the document and the typed model), and the source
    /// when there is nothing to show from it: linting 1,000 files keeps memory flat.
    pub fn findings_only(mut self) -> FileReport {
        self.document = None;
        self.questionnaire = None;
        if self.diagnostics.is_empty() {
            self.source = None;
        }
        self
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Options every lint run takes.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// Codes (or rule names) whose findings are dropped.
    pub ignore: Vec<String>,
    /// The date the readiness rules take as today (restore tests are dated).
    pub today: Date,
    /// `--descriptor PATH`: the Connect descriptor or Forge manifest to cross-check, instead of
    /// the one the questionnaire names.
    pub descriptor: Option<std::path::PathBuf>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            ignore: Vec::new(),
            today: Date::today(),
            descriptor: None,
        }
    }
}

/// The phases after a successful load: schema, then every readiness rule (even with schema
/// errors: the rules read a lenient model), then the file's suppression comments.
fn check_document(
    name: &str,
    source: &Source,
    document: &Document,
    options: &LintOptions,
) -> (Vec<Diagnostic>, Questionnaire) {
    let questionnaire = Questionnaire::from_value(&document.value);
    let mut diagnostics = schema::validate(document);
    let mut context = Context::new(document, &questionnaire, options.today);
    // The files a questionnaire names are beside it (standard input: the current folder).
    context.path = (name != "-").then(|| std::path::Path::new(name));
    context.descriptor = options.descriptor.as_deref();
    context.source = Some(source);
    diagnostics.extend(rules::check(&context));
    // Where a `#` is part of a string and not a comment.
    let mut text_spans = Vec::new();
    load::for_each_string(&document.value, &mut |pointer, _| {
        if let Some(span) = document.positions.value(pointer) {
            text_spans.push((span.start, span.end));
        }
    });
    rules::suppression::apply(source, &document.positions, &text_spans, &mut diagnostics);
    (diagnostics, questionnaire)
}

/// Lint one questionnaire held in memory.
pub fn lint_bytes(name: &str, bytes: &[u8], options: &LintOptions) -> FileReport {
    let loaded = load::load(name, bytes);
    let (mut diagnostics, questionnaire) = match (&loaded.document, &loaded.source) {
        (Ok(document), Some(source)) => {
            let (diagnostics, questionnaire) = check_document(name, source, document, options);
            (diagnostics, Some(questionnaire))
        }
        (Err(diagnostics), _) => (diagnostics.clone(), None),
        (Ok(_), None) => (Vec::new(), None),
    };
    settle(&mut diagnostics, &options.ignore);
    FileReport {
        path: name.to_owned(),
        source: loaded.source,
        diagnostics,
        failure: None,
        questionnaire,
        document: loaded.document.ok(),
    }
}

/// Drop the findings of ignored rules (codes or names) and put the rest in source order.
pub fn settle(diagnostics: &mut Vec<Diagnostic>, ignore: &[String]) {
    diagnostics.retain(|d| {
        !ignore
            .iter()
            .any(|ignored| registry::find(ignored).is_some_and(|rule| rule.code == d.code))
    });
    diagnostics.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
}

/// What reading one input gave.
#[derive(Debug)]
pub enum Input {
    /// The whole file.
    Bytes(Vec<u8>),
    /// More than [`MAX_FILE_SIZE`]: the file's size, or `None` for standard input (nothing
    /// past the cap is read, so its size is not known).
    TooLarge(Option<u64>),
}

/// Read a file (or standard input for `-`), at most one byte past the size cap.
pub fn read_input(path: &str) -> std::io::Result<Input> {
    let mut bytes = Vec::new();
    let limit = MAX_FILE_SIZE as u64 + 1;
    let size = if path == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)?;
        None
    } else {
        let file = std::fs::File::open(Path::new(path))?;
        let metadata = file.metadata()?;
        if metadata.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a directory, not a questionnaire file",
            ));
        }
        file.take(limit).read_to_end(&mut bytes)?;
        // A file that grew after its size was read is over the cap by an unknown amount.
        Some(metadata.len()).filter(|&size| size > MAX_FILE_SIZE as u64)
    };
    if bytes.len() > MAX_FILE_SIZE {
        return Ok(Input::TooLarge(size));
    }
    Ok(Input::Bytes(bytes))
}

/// Lint one file by path (`-` for standard input).
pub fn lint_path(path: &str, options: &LintOptions) -> FileReport {
    let name = if path == "-" { "<stdin>" } else { path };
    match read_input(path) {
        Ok(Input::Bytes(bytes)) => lint_bytes(name, &bytes, options),
        Ok(Input::TooLarge(size)) => {
            let mut diagnostics = vec![load::too_large(size)];
            settle(&mut diagnostics, &options.ignore);
            FileReport::without_source(name.to_owned(), diagnostics)
        }
        Err(error) => FileReport {
            path: name.to_owned(),
            source: None,
            diagnostics: Vec::new(),
            failure: Some(format!("cannot read `{name}`: {}", io_reason(&error))),
            questionnaire: None,
            document: None,
        },
    }
}

/// Why a questionnaire could not be read: the common causes in a few words, else the system's.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => plain_io(error),
    }
}

/// The exit code for a run: 2 when a file could not be read, 1 for findings at error level
/// (or warnings too, with `strict`), 0 otherwise.
pub fn exit_code(reports: &[FileReport], strict: bool) -> u8 {
    if reports.iter().any(|r| r.failure.is_some()) {
        return 2;
    }
    let failing = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity.fails(strict));
    u8::from(failing)
}
