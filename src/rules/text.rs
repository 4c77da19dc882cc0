//! Text quality: placeholders, answers too short to say anything, and answers pasted twice.

use std::collections::HashMap;

use super::context::{Context, Text};
use crate::diagnostic::Diagnostic;
use crate::load::dotted;
use crate::registry::text::{DUPLICATE_ANSWER, PLACEHOLDER, SHORT_ANSWER};
use crate::schema::TextKind;

/// Fewer words than this do not answer one of the ticket's questions.
pub const MIN_ANSWER_WORDS: usize = 12;

/// Whole answers that are placeholders, lowercased, without surrounding punctuation.
const PLACEHOLDERS: &[&str] = &[
    "todo",
    "tbd",
    "tba",
    "tbc",
    "fixme",
    "n/a",
    "na",
    "none",
    "-",
    "--",
    "---",
    "...",
    "…",
    "xxx",
    "?",
    "??",
    "???",
    "lorem ipsum",
    "fill in",
    "fill me in",
    "placeholder",
    "answer here",
    "coming soon",
    "to be defined",
    "to be done",
    "to be determined",
    "to be confirmed",
];

/// Markers that, leading an answer (`TODO: ...`), make it a placeholder in any case.
const LEADING_MARKERS: &[&str] = &["todo", "tbd", "tba", "fixme", "xxx", "placeholder"];

/// A text longer than this (in bytes) is not compared whole with the placeholders, whose
/// longest is 16 bytes before the punctuation around it: a long answer is never lowercased
/// whole (lint runs on every commit).
const LONGEST_PLACEHOLDER: usize = 64;

/// Why a text is a placeholder, if it is one.
pub fn placeholder(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.len() <= LONGEST_PLACEHOLDER {
        let bare = trimmed
            .trim_matches(|c: char| c.is_whitespace() || ".!:;,*_`'\"".contains(c))
            .to_lowercase();
        if trimmed == "..." || trimmed == "…" || PLACEHOLDERS.contains(&bare.as_str()) {
            return Some(format!("the answer is only `{}`", trimmed));
        }
    }
    let first_word = trimmed
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    let after = &trimmed[first_word.len()..];
    if LEADING_MARKERS
        .iter()
        .any(|marker| first_word.eq_ignore_ascii_case(marker))
        && (after.is_empty() || after.starts_with([':', ' ', '-', '(', '.', '!']))
    {
        return Some(format!("the answer starts with `{first_word}`"));
    }
    if let Some(bracketed) = angle_placeholder(trimmed) {
        return Some(format!("it contains the placeholder `{bracketed}`"));
    }
    if contains_ignoring_ascii_case(trimmed, "lorem ipsum") {
        return Some("it contains `lorem ipsum`".to_owned());
    }
    trimmed
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| matches!(*word, "TODO" | "TBD" | "FIXME") || word.eq_ignore_ascii_case("xxx"))
        .map(|word| format!("it contains `{word}`"))
}

/// Whether `needle` (ASCII) occurs in `text`, ASCII letters compared without case.
fn contains_ignoring_ascii_case(text: &str, needle: &str) -> bool {
    let Some(&first) = needle.as_bytes().first() else {
        return true;
    };
    text.as_bytes().windows(needle.len()).any(|window| {
        window[0].eq_ignore_ascii_case(&first) && window.eq_ignore_ascii_case(needle.as_bytes())
    })
}

/// HTML-ish tags that may appear in an answer and are not placeholders.
const TAGS: &[&str] = &[
    "br", "p", "b", "i", "em", "strong", "code", "pre", "ul", "ol", "li", "a", "div", "span",
];

/// A `<fill in>`-style placeholder: `<` and `>` hugging words (`<frequency>`, `<your answer>`,
/// `<...>`), unlike a comparison such as `p95 < 500 ms and errors > 1 %`.
fn angle_placeholder(text: &str) -> Option<&str> {
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        if let Some(end) = after.find('>') {
            let inside = &after[..end];
            let hugging = inside
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '.' || c == '…')
                && inside
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphabetic() || c == '.' || c == '…');
            let wordy = inside.chars().count() <= 40
                && inside
                    .chars()
                    .all(|c| c.is_alphabetic() || " _-./…'".contains(c));
            let tag = TAGS.contains(&inside.trim_start_matches('/').to_ascii_lowercase().as_str());
            if hugging && wordy && !tag {
                let begin = offset + start;
                return Some(&text[begin..begin + end + 2]);
            }
        }
        offset += start + 1;
        rest = &rest[start + 1..];
    }
    None
}

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// An answer reduced to its words, lowercased and joined by single spaces, for comparing
/// pasted answers (one allocation per answer).
fn fingerprint(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut between = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if between && !out.is_empty() {
                out.push(' ');
            }
            between = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            between = true;
        }
    }
    out
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Text<'_>> = HashMap::new();
    for text in &context.texts {
        if let Some(why) = placeholder(text.text) {
            out.push(
                context
                    .at(
                        &PLACEHOLDER,
                        &text.pointer,
                        format!("`{}` is a placeholder: {why}", dotted(&text.pointer)),
                    )
                    .help("answer the question; cfready init explains each one"),
            );
            continue;
        }
        if text.kind != TextKind::Answer {
            continue;
        }
        let count = words(text.text);
        if count < MIN_ANSWER_WORDS {
            out.push(
                context
                    .at(
                        &SHORT_ANSWER,
                        &text.pointer,
                        format!(
                            "`{}` is {count} word{} long: too short to answer the question",
                            dotted(&text.pointer),
                            if count == 1 { "" } else { "s" }
                        ),
                    )
                    .help(format!(
                        "say how it works, with figures; answers of fewer than {MIN_ANSWER_WORDS} words are flagged"
                    )),
            );
        }
        let fingerprint = fingerprint(text.text);
        if fingerprint.is_empty() {
            continue;
        }
        match seen.get(&fingerprint) {
            Some(first) => {
                let line = context
                    .positions
                    .value(&first.pointer)
                    .map_or(String::new(), |span| format!(" (line {})", span.line));
                out.push(
                    context
                        .at(
                            &DUPLICATE_ANSWER,
                            &text.pointer,
                            format!(
                                "`{}` repeats the answer to `{}`{line}",
                                dotted(&text.pointer),
                                dotted(&first.pointer)
                            ),
                        )
                        .help("each question asks something different: answer this one on its own"),
                );
            }
            None => {
                seen.insert(fingerprint, text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_placeholders() {
        for text in [
            "TODO",
            "todo",
            "TBD.",
            "n/a",
            "N/A",
            "-",
            "...",
            "…",
            "xxx",
            "XXX",
            "?",
            "Lorem ipsum",
            "TODO: describe the backups",
            "tbd - ask ops",
            "FIXME later",
            "We back up every <frequency> hours",
            "<fill in>",
            "<...>",
            "Backups run nightly. TODO add retention",
            "The rest is lorem ipsum dolor sit amet",
            "Handled by XXX team",
        ] {
            assert!(placeholder(text).is_some(), "{text:?} was not flagged");
        }
    }

    #[test]
    fn leaves_real_prose_alone() {
        for text in [
            "Engineers have a lot to do during an incident, so we keep a runbook.",
            "Todoist is the tool we use for the rota.",
            "Latency p95 < 500 ms and error rate > 0.1 % trigger a page.",
            "Nothing to do for the customer: we retry automatically.",
            "Answers render as HTML, so <br> and <b>bold</b> stay as written.",
            "Alert when p95 <500 ms is breached or errors >1 % for 5 min.",
            "None of our endpoints holds state between requests.",
            "Our todo list for incidents lives in the runbook.",
        ] {
            assert_eq!(placeholder(text), None, "{text:?} was flagged");
        }
    }

    #[test]
    fn pasted_answers_compare_by_words() {
        assert_eq!(
            fingerprint("We use Slack.\n"),
            fingerprint("we  use   slack")
        );
        assert_ne!(fingerprint("We use Slack."), fingerprint("We use Teams."));
        assert_eq!(words("We roll back, fast."), 4);
        assert_eq!(words("- - -"), 0);
    }
}
