//! Text quality: placeholders, answers too short to say anything, and answers pasted twice.

use std::collections::HashMap;

use super::context::{Context, Text};
use crate::diagnostic::Diagnostic;
use crate::load::dotted;
use crate::registry::text::{DUPLICATE_ANSWER, PLACEHOLDER, SHORT_ANSWER};
use crate::schema::TextKind;

/// Fewer words than this do not answer one of the long questions (scalability, recovery).
pub const MIN_ANSWER_WORDS: usize = 12;

/// Questions that a short complete answer answers, with the fewest words that can: who is
/// reached and how ("Opsgenie pages the on-call engineer by push and phone call."), how the
/// team talks, how customers are told, how deprecations are tracked. Patterns as the schema's
/// text table writes them (`*` for a list index).
const SHORT_QUESTIONS: &[(&str, usize)] = &[
    ("/commitments/deprecation_notices", 6),
    ("/dfr_testing/post_deployment", 8),
    ("/dfr_testing/pre_deployment", 8),
    ("/incident_management/availability/notification", 5),
    ("/incident_management/customer_communication", 6),
    ("/incident_management/detection/description", 6),
    ("/incident_management/team_communication", 5),
];

/// The fewest words that answer the question at `pointer`.
pub fn min_words(pointer: &str) -> usize {
    SHORT_QUESTIONS
        .iter()
        .find(|(question, _)| *question == pointer)
        .map_or(MIN_ANSWER_WORDS, |&(_, words)| words)
}

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

/// Markers that make a clause a placeholder when they lead it followed by anything: none of
/// them is a word of ordinary prose.
const MARKERS: &[&str] = &["tbd", "tba", "tbc", "fixme", "xxx"];

/// `TODO` leads a placeholder clause only as a marker (`TODO:`, `TODO -`, `TODO (ask ops)`,
/// or alone): followed by a space it is a word (an app's "TODO items").
const TODO: &str = "todo";

/// A text longer than this (in bytes) is not compared whole with the placeholders, whose
/// longest is 16 bytes before the punctuation around it: a long answer is never lowercased
/// whole (lint runs on every commit).
const LONGEST_PLACEHOLDER: usize = 64;

/// Why a text is a placeholder, if it is one: the whole answer is a placeholder, or a clause
/// of it is (it starts with a marker, or it is a `<fill in>`/`[fill in]` blank), never because
/// a sentence contains a word.
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
    for clause in clauses(trimmed) {
        if let Some(marker) = leading_marker(clause) {
            return Some(if clause.len() == trimmed.len() {
                format!("the answer starts with `{marker}`")
            } else {
                format!("a sentence starts with `{marker}`")
            });
        }
    }
    if let Some(blank) = blank(trimmed) {
        return Some(format!("it contains the blank `{blank}`"));
    }
    if contains_ignoring_ascii_case(trimmed, "lorem ipsum") {
        return Some("it contains `lorem ipsum`".to_owned());
    }
    None
}

/// The sentences and lines of a text, each trimmed (a clause starts after `.`, `;`, `!`, `?`
/// followed by a space, after `(`, or at a new line or list item).
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|line| {
        let line = line.trim_start_matches(|c: char| c.is_whitespace() || c == '-' || c == '*');
        let mut pieces = Vec::new();
        let mut start = 0;
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, b'.' | b';' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
                pieces.push(line[start..=i].trim());
                start = i + 1;
            } else if b == b'(' {
                // A bracketed aside is a clause of its own: `(TBD: confirm the limit)`.
                pieces.push(line[start..i].trim());
                start = i + 1;
            }
        }
        pieces.push(line[start..].trim());
        pieces.into_iter().filter(|p| !p.is_empty())
    })
}

/// The marker a clause starts with, if it is a placeholder's.
fn leading_marker(clause: &str) -> Option<&str> {
    let word = clause
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    let after = &clause[word.len()..];
    let lower = word.to_ascii_lowercase();
    let as_marker = after.is_empty()
        || after.starts_with([':', '(', '!'])
        || after.starts_with(" -")
        || after.starts_with(" –")
        || after.starts_with(" (")
        || after.trim_end() == "."
        || after.starts_with(". ");
    let leads = if lower == TODO {
        as_marker
    } else {
        // TBD, FIXME...: in capitals followed by anything, or in any case as a marker.
        MARKERS.contains(&lower.as_str())
            && (as_marker
                || (word.chars().all(|c| c.is_ascii_uppercase()) && after.starts_with(' ')))
    };
    leads.then_some(word)
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

/// Words that open a `[fill in]`-style blank in square brackets.
const BLANK_WORDS: &[&str] = &[
    "fill", "insert", "describe", "add", "your", "answer", "todo", "tbd", "enter", "specify",
];

/// A blank left to fill: `<frequency>`, `<your answer>`, `<...>` standing as a word of its own
/// (space or the text's edge on both sides), or `[fill in]`/`[describe ...]`. A name pattern
/// such as `#inc-<date>-<topic>` or `<app-key>.json` is part of a word and not a blank, and a
/// comparison such as `p95 < 500 ms` has no closing bracket hugging a word.
fn blank(text: &str) -> Option<&str> {
    let standalone = |start: usize, end: usize| {
        let before = text[..start].chars().next_back();
        let mut after = text[end..].chars();
        // A word's edge: a space or the end, or punctuation that a space or the end follows
        // (`<frequency>.` ends a sentence; `<app-key>.json` is a name).
        let edge = |c: Option<char>| c.is_none_or(char::is_whitespace);
        let next = after.next();
        before.is_none_or(|c| c.is_whitespace() || c == '(' || c == '"')
            && (edge(next) || (next.is_some_and(|c| ".,;:)!?\"".contains(c)) && edge(after.next())))
    };
    let mut offset = 0;
    while let Some(found) = text[offset..].find(['<', '[']) {
        let start = offset + found;
        let (open, close) = if text.as_bytes()[start] == b'<' {
            ('<', '>')
        } else {
            ('[', ']')
        };
        offset = start + 1;
        let Some(length) = text[start + 1..].find(close) else {
            continue;
        };
        let inside = &text[start + 1..start + 1 + length];
        let end = start + length + 2;
        if inside.is_empty() || inside.chars().count() > 40 || !standalone(start, end) {
            continue;
        }
        let wordy = inside
            .chars()
            .all(|c| c.is_alphabetic() || " _-./…'".contains(c));
        let hugging =
            |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() || c == '.' || c == '…');
        let is_blank = if open == '<' {
            wordy
                && hugging(inside.chars().next())
                && hugging(inside.chars().last())
                && !TAGS.contains(&inside.trim_start_matches('/').to_ascii_lowercase().as_str())
        } else {
            let first = inside
                .split(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            wordy
                && (BLANK_WORDS.contains(&first.as_str())
                    || inside.chars().all(|c| c == '.' || c == '…'))
        };
        if is_blank {
            return Some(&text[start..end]);
        }
    }
    None
}

/// A pointer as the question it answers: list indexes as `*`.
fn question(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|token| {
            if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                token
            }
        })
        .collect::<Vec<_>>()
        .join("/")
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
        let least = min_words(&question(&text.pointer));
        if count < least {
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
                        "say how it works, with figures; answers to this question of fewer than {least} words are flagged"
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
            "TBD after the load test",
            "FIXME later",
            "We back up every <frequency> hours",
            "<fill in>",
            "<...>",
            "<describe the rollback>",
            "[fill in]",
            "Backups run nightly. [describe retention]",
            "Backups run nightly. TODO: add retention",
            "Backups run nightly.\nTBD: retention",
            "Backups run nightly.\nTBD.\nRetention is 35 days.",
            "The rest is lorem ipsum dolor sit amet",
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
            // An app whose product has TODO items, and a team's channel-naming convention.
            "TODO items are stored per issue, so the table grows with the number of issues and is paginated at 50 rows.",
            "Each project has up to 10,000 TODO lists; we index them by project key.",
            "We open a channel named #inc-<date>-<topic> for every incident.",
            "Descriptors are served as <app-key>.json from the CDN.",
            "Arrays such as [1, 2, 3] and the flag [beta] are shown as written.",
            "Our TODO app has no TBD-style fields.",
        ] {
            assert_eq!(placeholder(text), None, "{text:?} was flagged");
        }
    }

    #[test]
    fn short_questions_accept_short_complete_answers() {
        assert_eq!(
            min_words(&question("/incident_management/availability/notification")),
            5
        );
        assert_eq!(
            min_words(&question("/scalability/scaling_factors/3/description")),
            MIN_ANSWER_WORDS
        );
        assert!(words("Opsgenie pages the on-call engineer by push and phone call.") >= 5);
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
