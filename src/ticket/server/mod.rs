//! `cfready server`: a language server over stdio. Lint's findings while the partner types
//! (pushed on open and change, and as pull diagnostics), the rules' documentation on hover,
//! quick fixes from the fixes the findings carry, and completion from the schema.
//!
//! A stage above [`crate::ticket::lint`]: it lints each open questionnaire in memory exactly as
//! `cfready lint` lints the file (the descriptor or manifest it names read from disk beside
//! it), and never uses the network. Synchronous: one message at a time, each answered before
//! the next is read; a lint of a questionnaire takes about a millisecond.
//!
//! [`Server::handle`] is the whole server as data in, data out (what the benchmark and the
//! fuzz target drive); [`run_stdio`] frames it over standard input and output.

mod actions;
mod api;
mod completion;
mod diagnostics;
mod document;
mod hover;
mod outline;
mod transport;

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_server::{ErrorCode, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DiagnosticOptions, DiagnosticServerCapabilities, HoverProviderCapability, InitializeResult,
    LogMessageParams, MessageType, PositionEncodingKind, PublishDiagnosticsParams, Range,
    ServerCapabilities, ServerInfo, TextDocumentIdentifier, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url, notification, request,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::date::Date;
use crate::ticket::lint::LintOptions;
use crate::ticket::registry;
use document::{Document, Encoding};

pub use actions::FIX_ALL;
/// The message types [`Server::handle`] takes and returns (for the benchmark and the fuzz
/// target, which drive it in process).
pub use lsp_server::{Message, Notification, Request, RequestId};
pub use transport::MAX_BODY;

/// The settings a client may give (`initializationOptions`, `workspace/didChangeConfiguration`,
/// either flat or under a `cfready` key): the same meaning as the CLI's flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// `--ignore`: codes or rule names whose findings are dropped.
    pub ignore: Vec<String>,
    /// `--strict`: warnings fail, so they are shown as errors.
    pub strict: bool,
}

impl Settings {
    /// Read what a client sent; what is missing or of the wrong type keeps its current value.
    fn update(&mut self, value: &Value) -> Vec<String> {
        let value = value.get("cfready").unwrap_or(value);
        let mut problems = Vec::new();
        if let Some(ignore) = value.get("ignore") {
            match ignore.as_array() {
                Some(codes) => {
                    self.ignore = codes
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    for code in &self.ignore {
                        if registry::find(code).is_none() {
                            problems.push(format!("setting `ignore`: `{code}` names no rule"));
                        }
                    }
                }
                None => problems.push("setting `ignore` is not a list of codes".to_owned()),
            }
        }
        if let Some(strict) = value.get("strict") {
            match strict.as_bool() {
                Some(strict) => self.strict = strict,
                None => problems.push("setting `strict` is not true or false".to_owned()),
            }
        }
        problems
    }
}

/// The language server's state.
pub struct Server {
    initialized: bool,
    shutdown: bool,
    exit: Option<i32>,
    encoding: Encoding,
    settings: Settings,
    /// The client asks for diagnostics (`textDocument/diagnostic`) rather than being sent them.
    pull: bool,
    /// The client can be asked to pull diagnostics again (`workspace/diagnostic/refresh`).
    refresh: bool,
    /// The client lets the server register file watchers.
    watch_registration: bool,
    documents: HashMap<Url, Document>,
    next_id: i32,
    /// The date taken as today (`--today`); the real date when `None`.
    today: Option<Date>,
    /// Problems with the settings of `initialize`, logged on `initialized`.
    pending_logs: Vec<String>,
    /// Answer `cfready/panic` by panicking (the robustness test's way in).
    panic_method: bool,
}

impl Default for Server {
    fn default() -> Self {
        Server::new()
    }
}

/// What a code action request needs, read leniently: clients send the diagnostics of the
/// context in shapes of their own (Neovim 0.7 without their ranges), and the server finds
/// the findings itself.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionParams {
    text_document: TextDocumentIdentifier,
    range: Range,
    #[serde(default)]
    context: ActionContext,
}

#[derive(Deserialize, Default)]
struct ActionContext {
    #[serde(default)]
    only: Option<Vec<CodeActionKind>>,
}

/// The answer a request gets.
type Answer = Result<Value, (ErrorCode, String)>;

fn params<P: DeserializeOwned>(value: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

impl Server {
    pub fn new() -> Server {
        Server {
            initialized: false,
            shutdown: false,
            exit: None,
            encoding: Encoding::Utf16,
            settings: Settings::default(),
            pull: false,
            refresh: false,
            watch_registration: false,
            documents: HashMap::new(),
            next_id: 0,
            pending_logs: Vec::new(),
            today: None,
            panic_method: std::env::var_os("CFREADY_SERVER_TEST_PANIC").is_some(),
        }
    }

    /// Take `today` as the date (the readiness rules judge dated answers).
    pub fn with_today(mut self, today: Option<Date>) -> Server {
        self.today = today;
        self
    }

    /// The process exit code, once `exit` was received: 0 after `shutdown`, 1 without.
    pub fn exit_code(&self) -> Option<i32> {
        self.exit
    }

    /// Handle one message; what to send back, in order.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        let mut out = Vec::new();
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                let answer = catch_unwind(AssertUnwindSafe(|| self.request(request)))
                    .unwrap_or_else(|payload| {
                        let text = format!(
                            "cfready server: internal error in `{method}`, a bug in cfready {}: {}",
                            env!("CARGO_PKG_VERSION"),
                            panic_text(payload.as_ref())
                        );
                        out.push(log(MessageType::ERROR, &text));
                        Err((ErrorCode::InternalError, text))
                    });
                out.push(Message::Response(match answer {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, text)) => Response::new_err(id, code as i32, text),
                }));
            }
            Message::Notification(notification) => {
                let method = notification.method.clone();
                if let Err(payload) = catch_unwind(AssertUnwindSafe(|| {
                    self.notification(notification, &mut out)
                })) {
                    out.push(log(
                        MessageType::ERROR,
                        &format!(
                            "cfready server: internal error in `{method}`, a bug in cfready {}: {}",
                            env!("CARGO_PKG_VERSION"),
                            panic_text(payload.as_ref())
                        ),
                    ));
                }
            }
            Message::Response(_) => {} // the client's answer to a registration
        }
        out
    }

    fn request(&mut self, request: Request) -> Answer {
        let Request {
            method, params: p, ..
        } = request;
        if method == request::Initialize::METHOD {
            if self.initialized {
                return Err((
                    ErrorCode::InvalidRequest,
                    "initialize was already received".into(),
                ));
            }
            return self.initialize(p);
        }
        if !self.initialized {
            return Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized".into(),
            ));
        }
        if self.shutdown {
            return Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            ));
        }
        match method.as_str() {
            request::Shutdown::METHOD => Ok(self.shut_down()),
            request::DocumentDiagnosticRequest::METHOD => Ok(self.diagnostic(params(p)?)),
            request::HoverRequest::METHOD => Ok(self.hover(params(p)?)),
            request::CodeActionRequest::METHOD => Ok(self.code_action(params(p)?)),
            request::Completion::METHOD => Ok(self.completion(params(p)?)),
            "cfready/panic" if self.panic_method => {
                panic!("cfready/panic was asked for");
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{method}`"),
            )),
        }
    }

    fn initialize(&mut self, p: Value) -> Answer {
        // Read leniently: a client's capabilities are not ours to refuse.
        let offered = p
            .pointer("/capabilities/general/positionEncodings")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        self.encoding = if offered.iter().any(|e| e == "utf-8") {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.pull = p
            .pointer("/capabilities/textDocument/diagnostic")
            .is_some_and(Value::is_object);
        self.refresh = p
            .pointer("/capabilities/workspace/diagnostics/refreshSupport")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.watch_registration = p
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut problems = Vec::new();
        if let Some(options) = p.get("initializationOptions").filter(|o| !o.is_null()) {
            problems = self.settings.update(options);
        }
        self.initialized = true;
        let capabilities = ServerCapabilities {
            position_encoding: Some(match self.encoding {
                Encoding::Utf8 => PositionEncodingKind::UTF8,
                Encoding::Utf16 => PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![":".into(), " ".into(), "-".into()]),
                ..CompletionOptions::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::new(FIX_ALL),
                ]),
                ..CodeActionOptions::default()
            })),
            diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("cfready".into()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..DiagnosticOptions::default()
            })),
            ..ServerCapabilities::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "cfready".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        // Logged once the client says it is initialized (a response carries no log).
        self.pending_logs = problems;
        Ok(serde_json::to_value(result).expect("plain data serialises"))
    }

    fn notification(&mut self, notification: Notification, out: &mut Vec<Message>) {
        let Notification { method, params: p } = notification;
        if method == notification::Exit::METHOD {
            self.exit = Some(if self.shutdown { 0 } else { 1 });
            return;
        }
        if !self.initialized {
            return;
        }
        // Parameters that do not read are ignored: a notification has no answer to carry an
        // error.
        match method.as_str() {
            notification::Initialized::METHOD => self.initialized(out),
            notification::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value(p) {
                    self.did_open(p, out);
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value(p) {
                    self.did_change(p, out);
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value(p) {
                    self.did_close(p, out);
                }
            }
            notification::DidChangeConfiguration::METHOD => self.did_change_configuration(&p, out),
            // A descriptor or manifest (or anything else) changed on disk: lint reads them
            // afresh, so lint every questionnaire again.
            notification::DidChangeWatchedFiles::METHOD
            | notification::DidSaveTextDocument::METHOD => self.relint_all(out),
            _ => {} // $/cancelRequest, $/setTrace, ...: nothing to do
        }
    }

    /// The document at `uri`, when it is an open questionnaire.
    fn questionnaire(&self, uri: &Url) -> Option<&Document> {
        self.documents.get(uri).filter(|d| d.report.is_some())
    }

    fn options(&self) -> LintOptions {
        LintOptions {
            ignore: self.settings.ignore.clone(),
            today: self.today.unwrap_or_else(Date::today),
            descriptor: None,
        }
    }

    /// Lint one document again and publish what it found (unless the client pulls).
    fn relint(&mut self, uri: &Url, out: &mut Vec<Message>) {
        let options = self.options();
        let Some(document) = self.documents.get_mut(uri) else {
            return;
        };
        let was = document.report.is_some();
        if document.is_questionnaire() {
            document.lint(&options);
        } else {
            document.report = None;
            if !was {
                return; // not a questionnaire: say nothing
            }
        }
        if !self.pull {
            let items = diagnostics::all(document, self.encoding, self.settings.strict);
            out.push(publish(uri, items, document.version));
        }
    }

    fn relint_all(&mut self, out: &mut Vec<Message>) {
        let mut uris: Vec<Url> = self.documents.keys().cloned().collect();
        uris.sort();
        for uri in uris {
            self.relint(&uri, out);
        }
        if self.pull && self.refresh {
            out.push(Message::Request(Request::new(
                RequestId::from(format!("cfready-refresh-{}", self.next_id)),
                request::WorkspaceDiagnosticRefresh::METHOD.to_owned(),
                Value::Null,
            )));
            self.next_id += 1;
        }
    }
}

fn publish(uri: &Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Message {
    Message::Notification(Notification::new(
        notification::PublishDiagnostics::METHOD.to_owned(),
        PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        },
    ))
}

fn log(kind: MessageType, message: &str) -> Message {
    Message::Notification(Notification::new(
        notification::LogMessage::METHOD.to_owned(),
        LogMessageParams {
            typ: kind,
            message: message.to_owned(),
        },
    ))
}

/// Serve over standard input and output until `exit` or until standard input closes. Returns
/// the exit code: 0, or 1 for `exit` without `shutdown` (as LSP asks).
pub fn run_stdio(today: Option<Date>) -> io::Result<u8> {
    let stdin = io::stdin();
    let stdout = io::stdout();
    serve(
        Server::new().with_today(today),
        &mut stdin.lock(),
        &mut stdout.lock(),
    )
}

/// [`run_stdio`] on any streams.
pub fn serve(
    mut server: Server,
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> io::Result<u8> {
    loop {
        let incoming = match transport::read(input) {
            Ok(incoming) => incoming,
            // The client's end is gone (or unreadable): nothing more will come.
            Err(_) => return Ok(0),
        };
        match incoming {
            transport::Incoming::Eof => return Ok(0),
            transport::Incoming::Malformed { id, code, message } => {
                transport::write_error(output, id.as_ref(), code, &message)?;
            }
            transport::Incoming::Message(message) => {
                for reply in server.handle(message) {
                    transport::write(output, &reply)?;
                }
                output.flush()?;
                if let Some(code) = server.exit_code() {
                    return Ok(code as u8);
                }
            }
        }
    }
}
