//! `cfready server`'s in-process path on the bundled example
//! (`cargo bench -p cfready-benches --bench server`): a full-text change in, the published
//! diagnostics out, and the requests an editor sends while the partner moves around (hover,
//! code actions, completion). The whole-stdio figure (200 changes through a server process
//! against 200 `cfready lint` processes) comes from `scripts/bench-cold.sh`.

use std::hint::black_box;

use cfready::date::Date;
use cfready::ticket::server::Server;
use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};

const EXAMPLE: &str = include_str!("../examples/acme-timesheets.yaml");
const URI: &str = "file:///bench/cloud-fortified.yaml";

fn request(id: i32, method: &str, params: Value) -> Message {
    Message::Request(Request::new(RequestId::from(id), method.to_owned(), params))
}

fn notification(method: &str, params: Value) -> Message {
    Message::Notification(Notification::new(method.to_owned(), params))
}

fn server() -> Server {
    let mut server = Server::new().with_today(Some(Date::parse("2026-11-24").expect("a date")));
    server.handle(request(1, "initialize", json!({ "capabilities": {} })));
    server.handle(notification("initialized", json!({})));
    server.handle(notification(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "yaml", "version": 1, "text": EXAMPLE } }),
    ));
    server
}

fn bench(c: &mut Criterion) {
    let mut server = server();
    let mut version = 1;
    let text = EXAMPLE.replacen("honours_retry_after: true", "honours_retry_after: yes", 1);
    c.bench_function("server: didChange -> publishDiagnostics (example)", |b| {
        b.iter(|| {
            version += 1;
            let out = server.handle(notification(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": URI, "version": version },
                        "contentChanges": [{ "text": black_box(&text) }] }),
            ));
            assert_eq!(out.len(), 1, "one publishDiagnostics");
            out
        })
    });
    let line = text
        .lines()
        .position(|l| l.contains("honours_retry_after"))
        .expect("a line") as u32;
    let at =
        json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": 27 } });
    c.bench_function("server: hover on a finding", |b| {
        b.iter(|| server.handle(request(2, "textDocument/hover", black_box(at.clone()))))
    });
    let range = json!({ "textDocument": { "uri": URI },
        "range": { "start": at["position"], "end": at["position"] }, "context": { "diagnostics": [] } });
    c.bench_function("server: code actions at a finding", |b| {
        b.iter(|| {
            server.handle(request(
                3,
                "textDocument/codeAction",
                black_box(range.clone()),
            ))
        })
    });
    c.bench_function("server: completion of a value", |b| {
        b.iter(|| server.handle(request(4, "textDocument/completion", black_box(at.clone()))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
