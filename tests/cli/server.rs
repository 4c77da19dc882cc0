//! `cfready server`, driven over stdio as an editor drives it: the real binary, a small
//! JSON-RPC client here. Every answer is awaited by id; the server handles one message at a
//! time, so whatever it sent before an answer belongs to the messages before that request.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use super::{TODAY, files_in, root};

/// How long to wait for one answer before calling the server stuck. Only a guard against a
/// hang (a test never measures time): a lint takes milliseconds.
const STUCK: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests received while waiting for answers.
    seen: Vec<Value>,
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Client {
    fn start() -> Client {
        Client::start_with(&[])
    }

    fn start_with(env: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cfready"));
        command
            .arg("server")
            .current_dir(root())
            .env("CFREADY_TODAY", TODAY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("cfready server starts");
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().expect("a length"));
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).expect("the whole body");
                let value: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if send.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            next_id: 0,
            seen: Vec::new(),
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("the server reads");
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let mut message = message;
        message["jsonrpc"] = json!("2.0");
        self.send_raw(&frame(&message.to_string()));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "method": method, "params": params }));
    }

    /// Send a request and wait for its answer (the whole response object).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "id": id, "method": method, "params": params }));
        self.answer(&json!(id))
    }

    fn answer(&mut self, id: &Value) -> Value {
        loop {
            let message = self
                .incoming
                .recv_timeout(STUCK)
                .expect("the server answers");
            if message.get("method").is_none() && message.get("id") == Some(id) {
                return message;
            }
            self.seen.push(message);
        }
    }

    /// The result of a request that must succeed.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities,
                    "initializationOptions": options }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// The notifications seen so far with this method, taken out.
    fn take(&mut self, method: &str) -> Vec<Value> {
        let (taken, kept) = std::mem::take(&mut self.seen)
            .into_iter()
            .partition(|m| m["method"] == method);
        self.seen = kept;
        taken
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
    }

    /// The diagnostics last published for `uri`, after a round trip.
    fn published(&mut self, uri: &str) -> Vec<Value> {
        self.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
        );
        let found = self.take("textDocument/publishDiagnostics");
        let last = found
            .iter()
            .rev()
            .find(|n| n["params"]["uri"] == uri)
            .unwrap_or_else(|| panic!("diagnostics published for {uri}"));
        last["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn shutdown(mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.stdin = None;
        self.child
            .wait()
            .expect("the server exits")
            .code()
            .expect("an exit code")
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `cfready lint --format json` of a file: (code, line, column, severity, message) each.
fn lint_json(path: &Path) -> Vec<(String, u64, u64, String, String)> {
    let output = super::cfready()
        .args(["lint", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    value["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["severity"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The same five of LSP diagnostics (ASCII files: UTF-16 columns are characters).
fn lsp_findings(diagnostics: &[Value]) -> Vec<(String, u64, u64, String, String)> {
    diagnostics
        .iter()
        .map(|d| {
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                _ => "info",
            };
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
                severity.to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn examples() -> Vec<std::path::PathBuf> {
    let mut files = vec![root().join("examples/acme-timesheets.yaml")];
    files.extend(files_in(Path::new("examples/invalid")));
    files
}

#[test]
fn diagnostics_are_lints_findings_pushed_and_pulled() {
    let mut pushed = Client::start();
    pushed.initialize(json!({}), Value::Null);
    let mut pulled = Client::start();
    pulled.initialize(json!({ "textDocument": { "diagnostic": {} } }), Value::Null);
    let mut compared = 0;
    let mut files = examples();
    files.extend(files_in(Path::new("tests/corpus/send-back")));
    files.extend(files_in(Path::new("tests/fixtures/fix")));
    for path in files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let expected = lint_json(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        // Named as a questionnaire, in its own folder (where a descriptor would be read).
        let stem = path.file_stem().unwrap().to_string_lossy();
        let uri = uri_of(&path.with_file_name(format!("{stem}.cloud-fortified.yaml")));
        pushed.open(&uri, &text);
        assert_eq!(
            lsp_findings(&pushed.published(&uri)),
            expected,
            "{}",
            path.display()
        );
        pulled.open(&uri, &text);
        let report = pulled.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        );
        assert_eq!(report["kind"], "full");
        assert_eq!(lsp_findings(report["items"].as_array().unwrap()), expected);
        assert!(
            pulled.take("textDocument/publishDiagnostics").is_empty(),
            "a pulling client is not pushed to"
        );
        compared += expected.len();
    }
    assert!(
        compared > 50,
        "the examples have findings to compare ({compared})"
    );
    assert_eq!(pushed.shutdown(), 0);
}

#[test]
fn other_yaml_gets_nothing_and_a_modeline_makes_a_questionnaire() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    client.open("file:///tmp/ci.yaml", "on: push\njobs: {}\n");
    let text = "# yaml-language-server: $schema=../schemas/questionnaire.schema.json\nversion: 1\n";
    client.open("file:///tmp/mine.yaml", text);
    client.open("file:///tmp/cloud-fortified.yaml", "version: 1\n");
    client.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///tmp/ci.yaml" }, "position": { "line": 0, "character": 0 } }));
    let uris: Vec<Value> = client
        .take("textDocument/publishDiagnostics")
        .into_iter()
        .map(|n| n["params"]["uri"].clone())
        .collect();
    assert_eq!(
        uris,
        ["file:///tmp/mine.yaml", "file:///tmp/cloud-fortified.yaml"]
    );
}

/// Every prefix of every example and fixture (this test and the next), cut at each line and
/// sent as a full-text change: the server answers each (diagnostics, and a hover, a
/// completion and the code actions at the cut) and never stops.
#[test]
fn every_prefix_of_the_examples_and_the_bad_inputs() {
    let mut files = examples();
    files.extend(files_in(Path::new("tests/fixtures/bad-input")));
    let answered = type_every_line_of(&files);
    assert!(answered > 1_500, "{answered} prefixes");
}

/// The same over the other fixtures: a test of its own, so that the two halves share the
/// cores with the rest of the suite instead of one long test ending it.
#[test]
fn every_prefix_of_the_rule_fix_render_and_descriptor_fixtures() {
    let mut files = Vec::new();
    for folder in ["tests/fixtures/render", "tests/fixtures/fix"] {
        files.extend(files_in(Path::new(folder)));
    }
    for folder in ["tests/fixtures/rules", "tests/fixtures/descriptors"] {
        files.extend(
            files_in(Path::new(folder))
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml")),
        );
    }
    let answered = type_every_line_of(&files);
    assert!(answered > 1_500, "{answered} prefixes");
}

/// Types each file into one open document a line at a time, asking for hover, completion
/// and code actions at every prefix; every change gets exactly one publish and the server
/// shuts down cleanly. Returns how many prefixes were answered.
fn type_every_line_of(files: &[std::path::PathBuf]) -> usize {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/prefix/cloud-fortified.yaml";
    client.open(uri, "");
    assert_eq!(client.published(uri).len(), 1, "an empty file is CF003");
    let mut version = 1;
    let mut answered = 0;
    for path in files {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let cuts: Vec<usize> = text
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .chain([text.len()])
            .collect();
        for (line, &cut) in cuts.iter().enumerate() {
            version += 1;
            client.change(uri, version, &text[..cut]);
            let at = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 4 } });
            client.request("textDocument/hover", at.clone());
            client.request("textDocument/completion", at.clone());
            client.request(
                "textDocument/codeAction",
                json!({ "textDocument": { "uri": uri },
                        "range": { "start": { "line": 0, "character": 0 }, "end": { "line": line, "character": 0 } },
                        "context": { "diagnostics": [] } }),
            );
            answered += 1;
        }
        let published = client.take("textDocument/publishDiagnostics");
        assert_eq!(
            published.len(),
            cuts.len(),
            "{}: one publish per change",
            path.display()
        );
    }
    assert_eq!(client.shutdown(), 0);
    answered
}

#[test]
fn a_document_over_the_cap_gets_lints_finding() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/big/cloud-fortified.yaml";
    let big = format!(
        "version: 1\n{}",
        "# padding padding padding padding\n".repeat(140_000)
    );
    assert!(big.len() > 4 * 1024 * 1024);
    client.open(uri, &big);
    let diagnostics = client.published(uri);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "CF002");
    // Still answering, with the document held.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 100_000, "character": 3 } }),
    );
    assert!(hover.is_null() || hover.is_object());
    client.change(uri, 2, "version: 1\n");
    assert!(client.published(uri).iter().all(|d| d["code"] != "CF002"));
}

#[test]
fn positions_outside_the_document_are_answered() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let path = root().join("examples/invalid/recovery.yaml");
    let uri = uri_of(&path);
    client.open(&uri, &std::fs::read_to_string(&path).unwrap());
    for (line, character) in [
        (0, 10_000),
        (100_000, 0),
        (u32::MAX, u32::MAX),
        (5, u32::MAX),
    ] {
        let at = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
        client.request("textDocument/hover", at.clone());
        client.request("textDocument/completion", at.clone());
        let range = json!({ "start": at["position"], "end": at["position"] });
        client.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [] } }),
        );
    }
    // A document that was never opened.
    let unknown = json!({ "textDocument": { "uri": "file:///nowhere.yaml" }, "position": { "line": 1, "character": 1 } });
    assert_eq!(client.request("textDocument/hover", unknown), Value::Null);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn malformed_messages_get_the_protocols_error_and_the_server_goes_on() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let null = Value::Null;
    client.send_raw(&frame("{ this is not json"));
    assert_eq!(client.answer(&null)["error"]["code"], -32700);
    client.send_raw(&frame(r#"{"jsonrpc":"2.0","id":77,"method":12}"#));
    assert_eq!(client.answer(&json!(77))["error"]["code"], -32600);
    client.send_raw(b"Content-Type: text/plain\r\n\r\n");
    assert_eq!(client.answer(&null)["error"]["code"], -32700);
    client.send_raw(&frame("[1, 2, 3]"));
    assert_eq!(client.answer(&null)["error"]["code"], -32600);
    let unknown = client.call("textDocument/unheardOf", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad_params = client.call("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(bad_params["error"]["code"], -32602);
    // A code action request whose context diagnostics are in a shape of the client's own
    // (Neovim 0.7 sends them without ranges): the server finds the findings itself.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": "file:///x" },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": [{ "message": "no range" }] } }),
    );
    assert_eq!(actions, json!([]));
    // A notification with bad parameters is dropped.
    client.notify("textDocument/didOpen", json!({ "nonsense": true }));
    let hover = client.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///x" }, "position": { "line": 0, "character": 0 } }));
    assert_eq!(hover, Value::Null);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn the_shutdown_sequence_and_a_closed_stdin() {
    // Before initialize: requests are refused with ServerNotInitialized.
    let mut client = Client::start();
    assert_eq!(
        client.call("shutdown", Value::Null)["error"]["code"],
        -32002
    );
    client.initialize(json!({}), Value::Null);
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    // After shutdown: requests are invalid, and exit ends the process with 0.
    let after = client.call("textDocument/hover", json!({}));
    assert_eq!(after["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(0));

    // `exit` without `shutdown`: 1, as LSP asks.
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));

    // Standard input closed: a clean exit.
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    client.stdin = None;
    assert_eq!(client.child.wait().unwrap().code(), Some(0));
}

#[test]
fn a_panic_in_a_request_is_logged_answered_and_survived() {
    let mut client = Client::start_with(&[("CFREADY_SERVER_TEST_PANIC", "1")]);
    client.initialize(json!({}), Value::Null);
    let answer = client.call("cfready/panic", Value::Null);
    assert_eq!(answer["error"]["code"], -32603);
    let logs = client.take("window/logMessage");
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0]["params"]["type"], 1);
    assert!(
        logs[0]["params"]["message"]
            .as_str()
            .unwrap()
            .contains("cfready/panic was asked for")
    );
    let uri = "file:///tmp/p/cloud-fortified.yaml";
    client.open(uri, "version: 1\n");
    assert!(!client.published(uri).is_empty());
    assert_eq!(client.shutdown(), 0);
}

/// A questionnaire with two known mistakes: a key typo and `yes` for `true`.
fn with_mistakes() -> String {
    let text = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml")).unwrap();
    let text = text.replacen("    retention:", "    retension:", 1);
    let text = text.replacen("honours_retry_after: true", "honours_retry_after: yes", 1);
    assert!(text.contains("retension:") && text.contains("honours_retry_after: yes"));
    text
}

fn apply(text: &str, edits: &[Value]) -> String {
    // LSP edits of one action do not overlap: apply from the end.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = lines[..line.min(lines.len())].iter().map(|l| l.len()).sum();
        start + p["character"].as_u64().unwrap() as usize // ASCII text
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn code_actions_fix_suppress_and_fix_all() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/fix/cloud-fortified.yaml";
    let text = with_mistakes();
    client.open(uri, &text);
    let diagnostics = client.published(uri);
    let typo = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("retension"))
        .expect("the typo is found")
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": typo["range"], "context": { "diagnostics": [typo] } }),
    );
    let actions = actions.as_array().unwrap();
    let preferred: Vec<&Value> = actions
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{actions:#?}");
    assert_eq!(preferred[0]["kind"], "quickfix");
    let edits = preferred[0]["edit"]["changes"][uri].as_array().unwrap();
    let fixed = apply(&text, edits);
    assert!(fixed.contains("    retention:") && fixed.contains("honours_retry_after: yes"));
    client.change(uri, 2, &fixed);
    let after = client.published(uri);
    assert_eq!(after.len(), diagnostics.len() - 1);

    // Suppress: the comment above the line, indented like it, with a placeholder reason.
    let suppress = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress"))
        .expect("a suppression is offered");
    let edit = &suppress["edit"]["changes"][uri][0];
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": typo["range"]["start"]["line"], "character": 0 })
    );
    let code = typo["code"].as_str().unwrap();
    let line = text
        .lines()
        .nth(typo["range"]["start"]["line"].as_u64().unwrap() as usize)
        .unwrap();
    let indent = &line[..line.len() - line.trim_start().len()];
    assert_eq!(
        edit["newText"],
        format!("{indent}# cfready: ignore[{code}] <reason>\n")
    );

    // Fix all: every safe fix at once; the yes-boolean and the typo both go.
    client.change(uri, 3, &text);
    let all = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
    );
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["kind"], "source.fixAll.cfready");
    let fixed = apply(&text, all[0]["edit"]["changes"][uri].as_array().unwrap());
    assert!(fixed.contains("    retention:") && fixed.contains("honours_retry_after: true"));
    client.change(uri, 4, &fixed);
    let lint_of_example = lint_json(&root().join("examples/acme-timesheets.yaml"));
    assert_eq!(client.published(uri).len(), lint_of_example.len());
}

#[test]
fn hover_explains_findings_suppressions_keys_and_durations() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/hover/cloud-fortified.yaml";
    let text = with_mistakes().replacen(
        "  fix_lead_time:",
        "  # cfready: ignore[CF601] a reason\n  fix_lead_time:",
        1,
    );
    client.open(uri, &text);
    let diagnostics = client.published(uri);
    let hover = |client: &mut Client, line: usize, character: usize| -> String {
        let result = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        result["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap();
    // A finding: the rule's documentation, as `cfready explain` prints it.
    let yes = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("yes"))
        .unwrap();
    let start = &yes["range"]["start"];
    let shown = hover(
        &mut client,
        start["line"].as_u64().unwrap() as usize,
        start["character"].as_u64().unwrap() as usize,
    );
    let code = yes["code"].as_str().unwrap();
    let explain = super::cfready().args(["explain", code]).output().unwrap();
    assert!(
        shown.contains(String::from_utf8_lossy(&explain.stdout).trim()),
        "{shown}"
    );
    // A code in a suppression comment.
    let shown = hover(&mut client, line_of("ignore[CF601]"), 23);
    assert!(shown.starts_with("# CF601 "), "{shown}");
    // A key: the schema's description.
    let shown = hover(&mut client, line_of("  fix_lead_time:"), 4);
    assert!(
        shown.contains("Typical time from a fix being merged"),
        "{shown}"
    );
    // A duration: in words and against the error budget.
    let line = line_of("  fix_lead_time:");
    let value = text.lines().nth(line).unwrap().find(": ").unwrap() + 2;
    let shown = hover(&mut client, line, value);
    assert!(shown.contains("error budget (40m 19s)"), "{shown}");
}

#[test]
fn completion_offers_keys_values_booleans_and_durations() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/complete/cloud-fortified.yaml";
    let text = "version: 1\n\nrecovery:\n  fix_lead_time: \n  \n";
    client.open(uri, text);
    let labels = |client: &mut Client, line: u32, character: u32| -> Vec<String> {
        let result = client.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };
    let top = labels(&mut client, 1, 0);
    assert_eq!(top[0], "app");
    assert!(!top.contains(&"version".to_owned()));
    assert!(labels(&mut client, 4, 2).contains(&"bad_deployment".to_owned()));
    assert!(labels(&mut client, 3, 17).contains(&"4h".to_owned()));
}

/// In an empty questionnaire the server offers the starters `cfready init --framework ...`
/// writes, each the same text.
#[test]
fn completion_in_an_empty_document_offers_the_starters_init_writes() {
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/starters/cloud-fortified.yaml";
    client.open(uri, "# a new questionnaire\n\n");
    let result = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 0 } }),
    );
    let items = result.as_array().unwrap();
    let details: Vec<&str> = items
        .iter()
        .map(|i| i["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        details,
        [
            "cfready init --framework connect",
            "cfready init --framework forge",
            "cfready init --framework forge --remote"
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    for item in items {
        let args: Vec<&str> = item["detail"]
            .as_str()
            .unwrap()
            .split(' ')
            .skip(1)
            .collect();
        let (code, _, _) = super::run(
            super::cfready()
                .args(&args)
                .arg("s.yaml")
                .current_dir(dir.path()),
        );
        assert_eq!(code, 0);
        let written = std::fs::read_to_string(dir.path().join("s.yaml")).unwrap();
        std::fs::remove_file(dir.path().join("s.yaml")).unwrap();
        assert_eq!(
            item["insertText"].as_str().unwrap(),
            written,
            "{}",
            item["label"]
        );
    }
}

#[test]
fn settings_ignore_and_strict_as_the_cli_flags() {
    let path = root().join("examples/invalid/scalability.yaml");
    let uri = uri_of(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    let all = lint_json(&path);
    let code = all[0].0.clone();
    let mut client = Client::start();
    client.initialize(json!({}), json!({ "ignore": [code] }));
    client.open(&uri, &text);
    let shown = lsp_findings(&client.published(&uri));
    assert!(shown.iter().all(|f| f.0 != code) && shown.len() < all.len());
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "cfready": { "ignore": [], "strict": true } } }),
    );
    let strict = client.published(&uri);
    assert_eq!(strict.len(), all.len());
    assert!(
        strict.iter().all(|d| d["severity"] != 2),
        "warnings are errors with strict"
    );
    assert!(all.iter().any(|f| f.3 == "warning"));
}

#[test]
fn the_descriptor_is_read_again_when_the_client_says_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = dir.path().join("cloud-fortified.yaml");
    let text = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replacen(
            "  framework: connect\n",
            "  framework: connect\n  descriptor: atlassian-connect.json\n",
            1,
        );
    std::fs::write(&questionnaire, &text).unwrap();
    let descriptor = dir.path().join("atlassian-connect.json");
    let good = std::fs::read_to_string(
        root().join("tests/fixtures/descriptors/connect/atlassian-connect.json"),
    )
    .unwrap();
    std::fs::write(
        &descriptor,
        good.replace("com.acme.timesheets", "com.acme.other"),
    )
    .unwrap();
    let uri = uri_of(&questionnaire);
    let mut client = Client::start();
    client.initialize(
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
        Value::Null,
    );
    client.open(&uri, &text);
    let before = client.published(&uri);
    assert_eq!(lsp_findings(&before), lint_json(&questionnaire));
    let mismatch = before
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("com.acme.other"))
        .expect("the descriptor's other key is reported");
    let related = &mismatch["relatedInformation"][0]["location"];
    assert!(
        related["uri"]
            .as_str()
            .unwrap()
            .ends_with("/atlassian-connect.json"),
        "{mismatch}"
    );
    assert!(
        client.take("client/registerCapability").len() == 1,
        "file watchers are registered"
    );
    std::fs::write(&descriptor, &good).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri_of(&descriptor), "type": 2 }] }),
    );
    let after = client.published(&uri);
    assert!(
        after
            .iter()
            .all(|d| !d["message"].as_str().unwrap().contains("com.acme.other"))
    );
    assert_eq!(lsp_findings(&after), lint_json(&questionnaire));
}

#[test]
fn the_annual_review_within_30_days_is_a_note_in_the_editor_and_in_check() {
    let example = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml")).unwrap();
    // Approved in November 2025: the review week (2026-11-24 to 30) is under way today.
    let text = example.replacen(
        "  partner: Acme Software Ltd\n",
        "  partner: Acme Software Ltd\n  approved_on: 2025-11-05\n",
        1,
    );
    let mut client = Client::start();
    client.initialize(json!({}), Value::Null);
    let uri = uri_of(&root().join("examples/review.cloud-fortified.yaml"));
    client.open(&uri, &text);
    let notes: Vec<Value> = client
        .published(&uri)
        .into_iter()
        .filter(|d| d["code"] == "CF219")
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["severity"], 3, "information");
    assert!(
        notes[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Atlassian's annual review of this app is under way: the week of 2026-11-24 to 2026-11-30"),
        "{notes:?}"
    );
    assert_eq!(client.shutdown(), 0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud-fortified.yaml");
    std::fs::write(&file, &text).unwrap();
    let output = super::cfready()
        .arg("check")
        .arg(&file)
        .arg("--offline")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("CF219"), "{stdout}");
    assert!(stdout.contains("fixes due by 2026-12-28"), "{stdout}");
}
