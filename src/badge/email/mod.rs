//! Atlassian's SLO-breach email: built for a drill (`cfready drill`), read back from a mailbox
//! (`cfready slo --atlassian`).
//!
//! - [`incident`]: the `incident-data` JSON object the email's HTML carries, found and checked;
//! - [`mime`]: the message written by hand (RFC 5322, MIME, quoted-printable), a pure function;
//! - [`drill`]: the drill email of a questionnaire's app, marked DRILL everywhere;
//! - [`read`]: `.eml` files and mboxes read with `mail-parser`, each message's incident data;
//! - [`smtp`]: submission of a built message (lettre, STARTTLS or implicit TLS).

pub mod drill;
pub mod incident;
pub mod mime;
pub mod read;
pub mod smtp;
