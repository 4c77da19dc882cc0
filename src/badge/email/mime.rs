//! An email as RFC 5322 and RFC 2045-2047 write it, built by hand so that it is a pure
//! function of its parts: a `multipart/alternative` of a text and an HTML part, each
//! quoted-printable, CRLF line ends, no line over 78 characters, a `Date` and a `Message-ID`,
//! and a subject in encoded words when it is not ASCII.

use std::fmt::Write as _;

use crate::timestamp::Timestamp;

/// What an email is made of.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub date: Timestamp,
    /// Without the angle brackets: `drill.x@cfready.invalid`.
    pub message_id: String,
    /// Extra header fields, in order (`Auto-Submitted`, `X-...`); ASCII only.
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub html: String,
}

/// The message as bytes for `sendmail` or SMTP `DATA` (before dot-stuffing): CRLF line ends.
pub fn render(mail: &Mail) -> String {
    // "=_" never occurs in quoted-printable text, so the boundary cannot occur in a part.
    let boundary = format!("=_cfready_{}", boundary_token(&mail.message_id));
    let mut out = String::new();
    let mut header = |name: &str, value: &str| {
        let _ = write!(out, "{name}: {value}\r\n");
    };
    header("Date", &rfc5322_date(mail.date));
    header("From", &mail.from);
    header("To", &mail.to.join(", "));
    header("Message-ID", &format!("<{}>", mail.message_id));
    header("Subject", &encoded_words(&mail.subject, "Subject: ".len()));
    for (name, value) in &mail.headers {
        header(name, value);
    }
    header("MIME-Version", "1.0");
    header(
        "Content-Type",
        &format!("multipart/alternative;\r\n boundary=\"{boundary}\""),
    );
    out.push_str("\r\nThis is a MIME message: a text part and an HTML part.\r\n");
    for (kind, body) in [("plain", &mail.text), ("html", &mail.html)] {
        let _ = write!(
            out,
            "\r\n--{boundary}\r\nContent-Type: text/{kind}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}",
            quoted_printable(body)
        );
    }
    let _ = write!(out, "\r\n--{boundary}--\r\n");
    out
}

/// The letters and digits of a message ID, for a boundary (at most 40 of them).
fn boundary_token(message_id: &str) -> String {
    message_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(40)
        .collect()
}

/// `Thu, 03 Dec 2026 08:35:49 +0000` (RFC 5322 §3.3), in UTC.
pub fn rfc5322_date(at: Timestamp) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let text = at.to_string();
    let days = at.0.div_euclid(86_400_000);
    let month: usize = text[5..7].parse().unwrap_or(1);
    format!(
        "{}, {} {} {} {} +0000",
        DAYS[days.rem_euclid(7) as usize],
        &text[8..10],
        MONTHS[month - 1],
        &text[..4],
        &text[11..19]
    )
}

/// A header value as it is when it is printable ASCII, or as RFC 2047 encoded words (UTF-8,
/// base64) of at most 75 characters each, folded onto continuation lines.
pub fn encoded_words(text: &str, indent: usize) -> String {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) && text.len() + indent <= 78 {
        return text.to_owned();
    }
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return fold(text, indent);
    }
    // 75 - "=?utf-8?B?" - "?=" leaves 63 characters of base64: 45 bytes of UTF-8 at most.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?utf-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?utf-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// Fold an ASCII header value at spaces so that no line exceeds 78 characters.
fn fold(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut line = indent;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if line + 1 + word.len() > 78 {
                out.push_str("\r\n ");
                line = 1;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// Base64 (RFC 4648), with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks become CRLF, `=`, control
/// characters and non-ASCII bytes are `=XX`, a space or tab before a line end is encoded, and
/// lines longer than 76 characters get soft line breaks.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    for (number, line) in lines.iter().enumerate() {
        let bytes = line.as_bytes();
        let mut width = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal = ((byte == b' ' || byte == b'\t') && !last)
                || ((33..=126).contains(&byte) && byte != b'=');
            let piece = if literal {
                (byte as char).to_string()
            } else {
                format!("={byte:02X}")
            };
            // Keep room for the soft break's `=` (76 characters in all), except on the last
            // piece of the line, which needs none.
            let room = if last { 76 } else { 75 };
            if width + piece.len() > room {
                out.push_str("=\r\n");
                width = 0;
            }
            out.push_str(&piece);
            width += piece.len();
        }
        if number + 1 < lines.len() {
            out.push_str("\r\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_encodes_what_rfc_2045_says() {
        assert_eq!(quoted_printable("a=b"), "a=3Db");
        assert_eq!(quoted_printable("end \nnext"), "end=20\r\nnext");
        assert_eq!(quoted_printable("café"), "caf=C3=A9");
        let long = "x".repeat(200);
        let encoded = quoted_printable(&long);
        assert!(
            encoded.split("\r\n").all(|line| line.len() <= 76),
            "{encoded}"
        );
        assert_eq!(encoded.replace("=\r\n", ""), long);
        // An encoded byte is never split by a soft break.
        let equals = "=".repeat(60);
        let encoded = quoted_printable(&equals);
        assert!(encoded.split("\r\n").all(|line| line.len() <= 76));
        assert_eq!(encoded.replace("=\r\n", ""), "=3D".repeat(60));
    }

    #[test]
    fn base64_and_encoded_words() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(encoded_words("plain", 9), "plain");
        assert_eq!(encoded_words("é", 9), "=?utf-8?B?w6k=?=");
        let long = "é".repeat(40);
        assert!(
            encoded_words(&long, 9)
                .split("\r\n ")
                .all(|word| word.len() <= 75)
        );
    }

    #[test]
    fn dates_are_rfc_5322() {
        let at = crate::timestamp::at(2026, 12, 3, 8, 35);
        assert_eq!(rfc5322_date(at), "Thu, 03 Dec 2026 08:35:00 +0000");
        assert_eq!(
            rfc5322_date(crate::timestamp::at(2026, 11, 29, 0, 0)),
            "Sun, 29 Nov 2026 00:00:00 +0000"
        );
    }

    #[test]
    fn every_line_is_short_and_ends_with_crlf() {
        let mail = Mail {
            from: "a@example.com".into(),
            to: vec!["b@example.com".into()],
            subject: "[DRILL] a subject that is long enough to need folding on a second line of the header".into(),
            date: crate::timestamp::at(2026, 12, 3, 8, 35),
            message_id: "x.1@example.com".into(),
            headers: vec![("Auto-Submitted".into(), "auto-generated".into())],
            text: "hello\nworld".into(),
            html: format!("<p>{}</p>", "y".repeat(300)),
        };
        let text = render(&mail);
        assert!(!text.replace("\r\n", "").contains('\n'));
        assert!(text.split("\r\n").all(|line| line.len() <= 78), "{text}");
        assert!(text.contains("boundary=\"=_cfready_x1examplecom\""));
    }
}
