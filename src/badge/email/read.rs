//! Atlassian's emails as a partner keeps them: `.eml` files (one message each) or an mbox
//! (messages after `From ` lines), multipart or not, the HTML quoted-printable, base64 or
//! plain. `mail-parser` decodes them; each message gives its incident data or the reason it
//! has none. Nothing here fails on a message: only a file that cannot be read is an error.

use std::path::Path;

use mail_parser::{MessageParser, PartType};

use super::incident::{self, IncidentData, Problem};

/// One message read from a file.
#[derive(Debug, Clone)]
pub struct Received {
    /// The file, and for an mbox the message's number in it: `inbox.mbox#2`.
    pub source: String,
    pub subject: Option<String>,
    pub incident: Result<IncidentData, Problem>,
}

/// The messages of a file (`.eml` or mbox).
pub fn read_file(path: &Path) -> std::io::Result<Vec<Received>> {
    let bytes = std::fs::read(path)?;
    Ok(read_bytes(&path.display().to_string(), &bytes))
}

/// The messages of a file's bytes: an mbox when it starts with a `From ` line.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Vec<Received> {
    if !bytes.starts_with(b"From ") {
        return vec![message(name.to_owned(), bytes)];
    }
    mail_parser::mailbox::mbox::MessageIterator::new(bytes)
        .enumerate()
        .map(|(i, item)| {
            let source = format!("{name}#{}", i + 1);
            match item {
                Ok(item) => message(source, item.contents()),
                Err(error) => Received {
                    source,
                    subject: None,
                    incident: Err(Problem::Malformed(format!(
                        "unreadable mbox entry: {error}"
                    ))),
                },
            }
        })
        .collect()
}

/// The incident data of one message: the first HTML part with an `incident-data` script.
pub fn message(source: String, bytes: &[u8]) -> Received {
    let Some(parsed) = MessageParser::default().parse(bytes) else {
        return Received {
            source,
            subject: None,
            incident: Err(Problem::Missing),
        };
    };
    let mut incident = Err(Problem::Missing);
    for part in &parsed.parts {
        if let PartType::Html(html) = &part.body {
            incident = incident::from_html(html);
            if !matches!(incident, Err(Problem::Missing)) {
                break;
            }
        }
    }
    Received {
        source,
        subject: parsed.subject().map(str::to_owned),
        incident,
    }
}
