//! The language server's document handling on arbitrary bytes: the bytes are opened as a
//! questionnaire, then edited at positions the bytes choose (incremental changes, positions
//! past the end included), and at each step asked for hover, completion and code actions;
//! every fix-all edit is applied and the result opened again. Nothing may panic (the server
//! catches a panic per message and logs it: a log of one fails the target), and every answer
//! to a request is a result, never an error.
#![no_main]

use cfready::date::Date;
use cfready::ticket::server::{Message, Notification, Request, RequestId, Server};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const URI: &str = "file:///fuzz/cloud-fortified.yaml";

fn send(server: &mut Server, message: Message) -> Vec<Message> {
    let out = server.handle(message);
    for message in &out {
        match message {
            Message::Response(response) => {
                assert!(response.error.is_none(), "an error answer: {response:?}")
            }
            Message::Notification(n) => {
                assert_ne!(n.method, "window/logMessage", "a logged internal error: {n:?}")
            }
            Message::Request(_) => {}
        }
    }
    out
}

fn request(server: &mut Server, method: &str, params: Value) -> Value {
    let out = send(
        server,
        Message::Request(Request::new(RequestId::from(1), method.to_owned(), params)),
    );
    match out.into_iter().last() {
        Some(Message::Response(response)) => response.result.unwrap_or(Value::Null),
        other => panic!("no answer to {method}: {other:?}"),
    }
}

fn notify(server: &mut Server, method: &str, params: Value) {
    send(server, Message::Notification(Notification::new(method.to_owned(), params)));
}

fn ask_everything(server: &mut Server, line: u32, character: u32) -> Value {
    let at = json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": character } });
    request(server, "textDocument/hover", at.clone());
    request(server, "textDocument/completion", at.clone());
    request(server, "textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }));
    request(
        server,
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI },
                "range": { "start": { "line": 0, "character": 0 }, "end": at["position"] },
                "context": { "diagnostics": [] } }),
    )
}

fuzz_target!(|data: &[u8]| {
    let (edits, text) = data.split_at(data.len().min(24));
    let text = String::from_utf8_lossy(text).into_owned();
    let mut server = Server::new().with_today(Some(Date::parse("2026-11-24").expect("a date")));
    let utf8 = edits.first().is_some_and(|b| b & 1 == 1);
    let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
    request(
        &mut server,
        "initialize",
        json!({ "capabilities": { "general": { "positionEncodings": encodings } } }),
    );
    notify(&mut server, "initialized", json!({}));
    notify(
        &mut server,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "yaml", "version": 1, "text": text } }),
    );
    // Edits: 3 bytes each (line, character, what to insert or delete).
    for (version, edit) in edits.chunks_exact(3).enumerate() {
        let (line, character, op) = (u32::from(edit[0] % 64), u32::from(edit[1]), edit[2]);
        let start = json!({ "line": line, "character": character });
        let end = json!({ "line": line + u32::from(op % 3), "character": character / 2 });
        let inserted = [":", " ", "\n", "- ", "yes", "#", "\"", "é😀", "\r\n", ""][usize::from(op % 10)];
        notify(
            &mut server,
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": version + 2 },
                    "contentChanges": [{ "range": { "start": start, "end": end }, "text": inserted }] }),
        );
        ask_everything(&mut server, line, character);
    }
    // Fix all, applied (edits are in range and do not overlap), then linted again.
    let actions = ask_everything(&mut server, u32::MAX, u32::MAX);
    if let Some(fix_all) = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["kind"] == "source.fixAll.cfready")
    {
        let edits = fix_all["edit"]["changes"][URI].as_array().expect("edits").clone();
        let changes: Vec<Value> = edits
            .iter()
            .rev()
            .map(|e| json!({ "range": e["range"], "text": e["newText"] }))
            .collect();
        notify(
            &mut server,
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": 1000 }, "contentChanges": changes }),
        );
        ask_everything(&mut server, 0, 0);
    }
});
