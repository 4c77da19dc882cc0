//! JSON-RPC over stdio as LSP frames it: `Content-Length` headers, then the JSON body.
//!
//! `lsp-server`'s own reader stops the connection at the first message it cannot parse; this
//! one answers such a message with the protocol's error and reads on, and refuses a body over
//! [`MAX_BODY`] without holding it in memory.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message, RequestId};
use serde_json::{Value, json};

/// The largest message body read: far above the questionnaire's cap (a document a little over
/// the cap still arrives, and gets lint's "too large" finding), far below the machine's memory.
pub const MAX_BODY: usize = 64 * 1024 * 1024;
/// The longest header line accepted.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// One read from the client.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A frame that is not a message: answered with `code` (with the request's id when it had
    /// one), and the connection goes on.
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
    /// The client closed its end.
    Eof,
}

/// Read the next frame.
pub fn read(input: &mut impl BufRead) -> io::Result<Incoming> {
    let mut length: Option<usize> = None;
    let mut bad_header: Option<String> = None;
    let mut any = false;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(Incoming::Eof);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if any {
                break;
            }
            continue; // stray blank lines between frames
        }
        any = true;
        if !line.ends_with(b"\n") {
            bad_header.get_or_insert_with(|| "a header line is too long".to_owned());
            continue;
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        bad_header =
                            Some(format!("Content-Length `{}` is not a number", value.trim()))
                    }
                }
            }
            Some(_) => {} // Content-Type and anything else
            None => {
                bad_header.get_or_insert_with(|| format!("`{}` is not a header", shorten(text)));
            }
        }
    }
    let malformed = |code, message: String| {
        Ok(Incoming::Malformed {
            id: None,
            code,
            message,
        })
    };
    let Some(length) = length else {
        let reason = bad_header.unwrap_or_else(|| "no Content-Length header".to_owned());
        return malformed(ErrorCode::ParseError, reason);
    };
    if length > MAX_BODY {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return malformed(
            ErrorCode::InvalidRequest,
            format!("a message of {length} bytes is over the {MAX_BODY}-byte limit"),
        );
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).or_else(|error| {
        if error.kind() == io::ErrorKind::UnexpectedEof {
            Ok(())
        } else {
            Err(error)
        }
    })?;
    if let Some(reason) = bad_header {
        return malformed(ErrorCode::ParseError, reason);
    }
    Ok(parse(&body))
}

/// A body as a message, or why it is not one.
pub fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                message: format!("the message is not JSON: {error}"),
            };
        }
    };
    let id = value
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    let has_method = value.get("method").is_some();
    match serde_json::from_value::<Message>(value) {
        // `{"id": 1, "method": 12}` reads as a response with neither result nor error.
        Ok(Message::Response(_)) if has_method => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: "`method` is not a string".to_owned(),
        },
        Ok(message) => Incoming::Message(message),
        Err(error) => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: format!("not a JSON-RPC request, response or notification: {error}"),
        },
    }
}

/// Write one message.
pub fn write(output: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(output)
}

/// The error answer to a malformed frame; its id is `null` when the frame had none.
pub fn write_error(
    output: &mut impl Write,
    id: Option<&RequestId>,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if out.len() < text.len() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(text: &str) -> Vec<String> {
        let mut input = io::Cursor::new(text.as_bytes().to_vec());
        let mut out = Vec::new();
        loop {
            match read(&mut input).unwrap() {
                Incoming::Eof => return out,
                Incoming::Message(m) => out.push(format!("{m:?}").chars().take(20).collect()),
                Incoming::Malformed { code, .. } => out.push(format!("error {}", code as i32)),
            }
        }
    }

    #[test]
    fn a_bad_frame_is_answered_and_the_next_one_read() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let text = format!(
            "Content-Length: 5\r\n\r\n{{oops\r\nContent-Length: 8\r\n\r\n{{\"a\": 1}}garbage\r\n\r\nContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        assert_eq!(
            frames(&text),
            [
                "error -32700",
                "error -32600",
                "error -32700",
                "Notification(Notific"
            ]
        );
    }
}
