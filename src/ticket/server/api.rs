//! One function per LSP method the server answers (as ruff_server's `api.rs`): `request` and
//! `notification` in `mod.rs` check the lifecycle and read the parameters, then call these.

use lsp_server::{Message, Request, RequestId};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentDiagnosticParams, DocumentDiagnosticReport,
    DocumentDiagnosticReportResult, FullDocumentDiagnosticReport, Hover, HoverContents,
    HoverParams, MarkupContent, MarkupKind, MessageType, RelatedFullDocumentDiagnosticReport,
    notification, request,
};
use serde_json::{Value, json};

use super::document::{Document, Encoding, LineIndex};
use super::{ActionParams, Server, actions, completion, diagnostics, hover, log, publish};

impl Server {
    /// `shutdown`: answer no request after it but `exit`.
    pub(super) fn shut_down(&mut self) -> Value {
        self.shutdown = true;
        Value::Null
    }

    /// `textDocument/diagnostic`: the findings of a questionnaire, pulled.
    pub(super) fn diagnostic(&self, p: DocumentDiagnosticParams) -> Value {
        let items = self
            .documents
            .get(&p.text_document.uri)
            .filter(|d| d.report.is_some())
            .map(|d| diagnostics::all(d, self.encoding, self.settings.strict))
            .unwrap_or_default();
        let report = DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            },
        ));
        serde_json::to_value(report).expect("plain data serialises")
    }

    /// `textDocument/hover`: the rule's documentation, or the key's, under the cursor.
    pub(super) fn hover(&self, p: HoverParams) -> Value {
        let position = p.text_document_position_params;
        let Some(document) = self.questionnaire(&position.text_document.uri) else {
            return Value::Null;
        };
        let offset = document.offset(position.position, self.encoding);
        match hover::at(document, offset) {
            Some(value) => serde_json::to_value(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                }),
                range: None,
            })
            .expect("plain data serialises"),
            None => Value::Null,
        }
    }

    /// `textDocument/codeAction`: the quick fixes of the findings in a range, and fix-all.
    pub(super) fn code_action(&self, p: ActionParams) -> Value {
        let Some(document) = self.questionnaire(&p.text_document.uri) else {
            return json!([]);
        };
        let found = actions::actions(
            document,
            self.encoding,
            &actions::Request {
                range: p.range,
                only: p.context.only.as_deref(),
                strict: self.settings.strict,
            },
        );
        serde_json::to_value(found).expect("plain data serialises")
    }

    /// `textDocument/completion`: keys and choices from the schema.
    pub(super) fn completion(&self, p: CompletionParams) -> Value {
        let position = p.text_document_position;
        let Some(document) = self.questionnaire(&position.text_document.uri) else {
            return Value::Null;
        };
        let offset = document.offset(position.position, self.encoding);
        let at = document
            .index
            .position(&document.normalised, offset, Encoding::Utf8);
        let items = completion::at(
            &document.normalised,
            at.line as usize,
            at.character as usize,
        );
        serde_json::to_value(CompletionResponse::Array(items)).expect("plain data serialises")
    }

    /// `initialized`: log the settings that did not read, and ask to hear of changed
    /// descriptors and manifests.
    pub(super) fn initialized(&mut self, out: &mut Vec<Message>) {
        for problem in std::mem::take(&mut self.pending_logs) {
            out.push(log(MessageType::WARNING, &problem));
        }
        if self.watch_registration {
            self.next_id += 1;
            out.push(Message::Request(Request::new(
                RequestId::from(format!("cfready-{}", self.next_id)),
                request::RegisterCapability::METHOD.to_owned(),
                json!({ "registrations": [{
                    "id": "cfready-descriptors",
                    "method": notification::DidChangeWatchedFiles::METHOD,
                    "registerOptions": { "watchers": [
                        { "globPattern": "**/*.json" },
                        { "globPattern": "**/*.{yml,yaml}" },
                    ]},
                }]}),
            )));
        }
    }

    /// `textDocument/didOpen`: keep the text and lint it.
    pub(super) fn did_open(&mut self, p: DidOpenTextDocumentParams, out: &mut Vec<Message>) {
        let item = p.text_document;
        let document = Document::new(
            item.uri.clone(),
            Some(item.version),
            Some(item.language_id),
            item.text,
        );
        self.documents.insert(item.uri.clone(), document);
        self.relint(&item.uri, out);
    }

    /// `textDocument/didChange`: apply the changes (whole or ranged) and lint again.
    pub(super) fn did_change(&mut self, p: DidChangeTextDocumentParams, out: &mut Vec<Message>) {
        let uri = p.text_document.uri;
        let Some(old) = self.documents.remove(&uri) else {
            return;
        };
        let mut text = old.text;
        for change in p.content_changes {
            match change.range {
                None => text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&text);
                    let start = index.offset(&text, range.start, self.encoding);
                    let end = index.offset(&text, range.end, self.encoding).max(start);
                    text.replace_range(start..end, &change.text);
                }
            }
        }
        let mut document = Document::new(
            uri.clone(),
            Some(p.text_document.version),
            old.language_id,
            text,
        );
        // Keep publishing (an empty list, at least) for what was a questionnaire.
        document.report = old.report.map(|mut r| {
            r.diagnostics.clear();
            r
        });
        self.documents.insert(uri.clone(), document);
        self.relint(&uri, out);
    }

    /// `textDocument/didClose`: forget the text, and clear its findings when pushed.
    pub(super) fn did_close(&mut self, p: DidCloseTextDocumentParams, out: &mut Vec<Message>) {
        if let Some(document) = self.documents.remove(&p.text_document.uri)
            && document.report.is_some()
            && !self.pull
        {
            out.push(publish(&p.text_document.uri, Vec::new(), None));
        }
    }

    /// `workspace/didChangeConfiguration`: take the settings and lint every document again.
    pub(super) fn did_change_configuration(&mut self, p: &Value, out: &mut Vec<Message>) {
        if let Some(settings) = p.get("settings") {
            for problem in self.settings.update(settings) {
                out.push(log(MessageType::WARNING, &problem));
            }
        }
        self.relint_all(out);
    }
}
