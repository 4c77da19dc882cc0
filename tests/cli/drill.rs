//! `cfready drill`: the email printed and submitted to a local SMTP server, parsed back with
//! `mail-parser`: the HTML part's incident-data holds every documented field, of its type.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use serde_json::Value;

use super::{cfready, run};

const TIME: &str = "2026-12-03T08:35:00Z";

/// The incident-data object of an email's HTML part, as JSON, and the parsed message's subject.
fn incident_data(raw: &[u8]) -> (Value, String) {
    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("an email");
    let html = message.body_html(0).expect("an HTML part").into_owned();
    assert_eq!(message.html_body_count(), 1);
    assert_eq!(message.text_body_count(), 1);
    let start = html
        .find("<script type=\"application/json\" id=\"incident-data\">")
        .expect("the incident-data script");
    let json = &html[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    (
        serde_json::from_str(json).expect("JSON"),
        message.subject().unwrap_or_default().to_owned(),
    )
}

/// Every field Atlassian documents, of its type, with the questionnaire's values.
fn assert_documented_fields(data: &Value) {
    let string = |pointer: &str| {
        data.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{pointer} is a string in {data}"))
            .to_owned()
    };
    assert_eq!(string("/appKey"), "com.acme.timesheets");
    assert_eq!(string("/appDetails/name"), "Acme Timesheets for Jira");
    assert_eq!(string("/appDetails/partnerName"), "Acme Software Ltd");
    assert!(string("/incidentId").starts_with("DRILL-"));
    assert_eq!(string("/incidentStatus"), "ANOMALOUS");
    assert_eq!(string("/time"), TIME);
    assert_eq!(string("/metricName"), "App Availability Success Rate");
    assert_eq!(string("/metricUnit"), "PERCENT");
    assert_eq!(data["measurementDurationSeconds"].as_u64(), Some(2_419_200));
    assert!(data["sliValue"].is_f64() && data["sliValue"].as_f64() == Some(99.8));
    assert!(data["sloValue"].is_f64() && data["sloValue"].as_f64() == Some(99.9));
    assert_eq!(data.as_object().unwrap().len(), 10, "{data}");
    // And cfready's own reader agrees.
    let read = cfready::badge::email::incident::parse(&data.to_string()).expect("documented shape");
    assert_eq!(read.sli_value, 99.8);
}

#[test]
fn the_printed_drill_parses_back_into_every_documented_field() {
    let (code, stdout, stderr) = run(cfready().args([
        "drill",
        "examples/acme-timesheets.yaml",
        "--print",
        "--time",
        TIME,
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.lines().all(|line| line.len() <= 79), "{stdout}");
    assert!(!stdout.replace("\r\n", "").contains('\n'), "CRLF only");
    let (data, subject) = incident_data(stdout.as_bytes());
    assert!(subject.starts_with("[DRILL] "), "{subject}");
    assert_documented_fields(&data);
    // The text part says DRILL too.
    let message = mail_parser::MessageParser::default()
        .parse(stdout.as_bytes())
        .unwrap();
    assert!(message.body_text(0).unwrap().starts_with("DRILL: "));
    assert!(message.date().is_some() && message.message_id().is_some());
}

/// A one-connection SMTP server on 127.0.0.1: it accepts one message and sends back the
/// envelope's recipients and the DATA (dot-unstuffed).
fn smtp_server() -> (u16, mpsc::Receiver<(Vec<String>, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut say = |text: &str| writer.write_all(format!("{text}\r\n").as_bytes());
        say("220 test ESMTP").unwrap();
        let (mut recipients, mut data) = (Vec::new(), String::new());
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let command = line.trim_end().to_ascii_uppercase();
            if command.starts_with("EHLO") || command.starts_with("HELO") {
                say("250-test\r\n250 8BITMIME").unwrap();
            } else if command.starts_with("RCPT TO:") {
                recipients.push(line.trim_end()[8..].trim().to_owned());
                say("250 ok").unwrap();
            } else if command == "DATA" {
                say("354 go on").unwrap();
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                say("250 queued as drill").unwrap();
            } else if command == "QUIT" {
                say("221 bye").unwrap();
                break;
            } else {
                say("250 ok").unwrap();
            }
        }
        let _ = sender.send((recipients, data));
    });
    (port, receiver)
}

#[test]
fn the_drill_submitted_by_smtp_reaches_the_slo_alerts_mailbox_whole() {
    let (port, received) = smtp_server();
    let (code, stdout, stderr) = run(cfready().args([
        "drill",
        "examples/acme-timesheets.yaml",
        "--smtp",
        &format!("smtp://127.0.0.1:{port}"),
        "--time",
        TIME,
    ]));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("drill: sent"), "{stderr}");
    let (recipients, data) = received
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the server got a message");
    assert_eq!(recipients, ["<reliability@acme.example>"]);
    let (json, subject) = incident_data(data.as_bytes());
    assert!(subject.starts_with("[DRILL] "));
    assert_documented_fields(&json);
}

#[test]
fn a_drill_needs_a_way_out_and_a_mailbox() {
    let (code, _, stderr) = run(cfready().args(["drill", "examples/acme-timesheets.yaml"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--print"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.yaml");
    let text = std::fs::read_to_string(super::root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replace("slo_alerts:", "slo_alerts_gone:");
    std::fs::write(&file, text).unwrap();
    let (code, _, stderr) = run(cfready().args(["drill", file.to_str().unwrap(), "--print"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--to ADDRESS"), "{stderr}");
    let (code, _, stderr) = run(cfready().args([
        "drill",
        "examples/acme-timesheets.yaml",
        "--smtp",
        "smtp://user:secret@mail.example",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("CFREADY_SMTP_PASSWORD") && !stderr.contains("secret@"),
        "{stderr}"
    );
}
