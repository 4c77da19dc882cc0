//! What the readiness checks read: the questionnaire as typed data and as a value with
//! positions, every text answer with its kind, and the date taken as today.

use serde_json::Value;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::ticket::health_check::Kind;
use crate::ticket::load::{Document, Positions, for_each_string};
use crate::ticket::model::{Framework, Questionnaire};
use crate::ticket::registry::Rule;
use crate::ticket::schema::{TextKind, text_kind};

/// One text value of the questionnaire, with where it is and what kind it is.
#[derive(Debug)]
pub struct Text<'a> {
    pub pointer: String,
    pub text: &'a str,
    pub kind: TextKind,
}

/// What the readiness checks read.
pub struct Context<'a> {
    pub questionnaire: &'a Questionnaire,
    pub value: &'a Value,
    pub positions: &'a Positions,
    /// Every text value the schema calls text or an answer, in document order.
    pub texts: Vec<Text<'a>>,
    /// The date "today" is, for the age of the last restore test.
    pub today: Date,
    /// The questionnaire's path, for the files it names (`app.descriptor`, `app.manifest`).
    pub path: Option<&'a std::path::Path>,
    /// `--descriptor PATH`: the descriptor or manifest, instead of the one the file names.
    pub descriptor: Option<&'a std::path::Path>,
    /// The file's text, for what YAML dropped from it (a comment that cuts an answer).
    pub source: Option<&'a Source>,
}

impl<'a> Context<'a> {
    pub fn new(document: &'a Document, questionnaire: &'a Questionnaire, today: Date) -> Self {
        let mut texts = Vec::new();
        for_each_string(&document.value, &mut |pointer, text| {
            if let Some(kind) = text_kind(pointer) {
                texts.push(Text {
                    pointer: pointer.to_owned(),
                    text,
                    kind,
                });
            }
        });
        Context {
            questionnaire,
            value: &document.value,
            positions: &document.positions,
            texts,
            today,
            path: None,
            descriptor: None,
            source: None,
        }
    }

    /// Whether Atlassian measures the app's availability against the 28-day SLO: a Connect app
    /// (or one whose framework is not said yet), or a Forge app with a remote backend, which
    /// has base URLs. A Forge app with no remote runs on Atlassian's platform and has no base
    /// URL whose SLO an outage could breach, so the error-budget arithmetic does not apply.
    pub fn measured(&self) -> bool {
        let Some(app) = &self.questionnaire.app else {
            return true;
        };
        app.framework != Some(Framework::Forge)
            || app
                .base_urls
                .as_ref()
                .is_some_and(|urls| !urls.0.is_empty())
    }

    /// The app's kind (Connect, Forge with or without a remote, Connect on Forge), as every
    /// command reads it.
    pub fn kind(&self) -> Kind {
        Kind::of(self.value)
    }

    /// A finding about the value at `pointer`.
    pub fn at(&self, rule: &Rule, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, message)
            .at(self.positions.value(pointer))
            .pointer(pointer)
    }

    /// A finding about the key at `pointer` (for something missing under it).
    pub fn at_key(&self, rule: &Rule, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, message)
            .at(self.positions.key(pointer))
            .pointer(pointer)
    }
}
