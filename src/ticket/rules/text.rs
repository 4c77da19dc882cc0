//! Text quality: placeholders, answers too short to say anything, and answers pasted twice.

use crate::words::plural;
use std::collections::HashMap;

use super::context::{Context, Text};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::ticket::load::traps::{comment_line_after, hash_is_text, value_owner};
use crate::ticket::load::{NodePosition, Written, dotted};
use crate::ticket::registry::text::{
    CUT_BY_COMMENT, DUPLICATE_ANSWER, FOLDED_LIST, PLACEHOLDER, SHORT_ANSWER,
};
use crate::ticket::schema::TextKind;

/// Fewer words than this say nothing in answer to one of the long questions (scalability,
/// recovery): `We roll back.`, `Horizontal autoscaling on AWS.`
pub const MIN_ANSWER_WORDS: usize = 6;

/// Fewer words than this say nothing in answer to a question that a short complete answer
/// answers: `PagerDuty.` does, `Statuspage.io incidents and in-app banners.` does not.
pub const MIN_SHORT_ANSWER_WORDS: usize = 3;

/// Questions that a short complete answer answers: who is reached and how, how the team talks,
/// how customers are told, how issues are detected, how deprecations are tracked, what is
/// tested on the DFR site. Patterns as the schema's text table writes them (`*` for a list
/// index).
const SHORT_QUESTIONS: &[&str] = &[
    "/commitments/deprecation_notices",
    "/dfr_testing/post_deployment",
    "/dfr_testing/pre_deployment",
    "/incident_management/availability/notification",
    "/incident_management/customer_communication",
    "/incident_management/detection/description",
    "/incident_management/team_communication",
];

/// The fewest words that can say anything in answer to the question at `pointer`.
pub fn min_words(pointer: &str) -> usize {
    if SHORT_QUESTIONS.contains(&pointer) {
        MIN_SHORT_ANSWER_WORDS
    } else {
        MIN_ANSWER_WORDS
    }
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
        cut_by_comment(context, text, out);
        if text.kind != TextKind::Answer {
            continue;
        }
        folded_list(context, text, out);
        let count = words(text.text);
        // An empty answer is the schema's (CF015).
        if text.text.trim().is_empty() {
            continue;
        }
        let least = min_words(&question(&text.pointer));
        if count < least {
            out.push(
                context
                    .at(
                        &SHORT_ANSWER,
                        &text.pointer,
                        format!(
                            "`{}` is {} long: too short to answer the question",
                            dotted(&text.pointer),
                            plural(count, "word")
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

/// The node of a text as the file writes it, with the file's text.
fn written<'a>(context: &'a Context<'_>, text: &Text<'_>) -> Option<(&'a str, &'a NodePosition)> {
    Some((
        context.source?.text.as_str(),
        context.positions.node(&text.pointer)?,
    ))
}

/// The byte offset where the line holding `at` ends.
fn line_end(source: &str, at: usize) -> usize {
    source[at..].find('\n').map_or(source.len(), |i| at + i)
}

/// The end of `text`, for a message: its last few words, after an ellipsis when cut.
fn ending(text: &str) -> String {
    let text = text.trim_end();
    let words: Vec<&str> = text.split_whitespace().collect();
    let tail = words[words.len().saturating_sub(6)..].join(" ");
    if words.len() > 6 {
        format!("…{tail}")
    } else {
        tail
    }
}

/// Where YAML cut a plain text: the offset of the `#`, where the lost text ends, and whether
/// it is a comment line of its own after the value (rather than the rest of its last line).
struct Cut {
    hash: usize,
    end: usize,
    own_line: bool,
}

/// CF104's finding: a plain text followed on its line by a comment that is the rest of the
/// text (an answer's, or a short text's `#word`), or by comment lines indented under it that
/// start with `#word`.
fn comment_cut(source: &str, node: &NodePosition, kind: TextKind) -> Option<Cut> {
    if node.written != Some(Written::Plain) {
        return None;
    }
    let end = node.value.end.min(source.len());
    let last_line_end = line_end(source, end);
    let after = &source[end..last_line_end];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    if gap > 0 && after[gap..].starts_with('#') {
        let hash = end + gap;
        return (kind == TextKind::Answer || hash_is_text(source, hash)).then_some(Cut {
            hash,
            end: last_line_end,
            own_line: false,
        });
    }
    // `#inc-...` at the start of the next line, indented like the text: a comment line.
    let owner = value_owner(source, node.key, node.value.start)?;
    let (hash, mut cut_end) = comment_line_after(source, end)?;
    let column = hash - source[..hash].rfind('\n').map_or(0, |i| i + 1);
    if column <= owner.column || !hash_is_text(source, hash) {
        return None;
    }
    // And the comment lines right after it at that depth.
    while let Some((next, next_end)) = comment_line_after(source, cut_end) {
        let next_column = next - source[..next].rfind('\n').map_or(0, |i| i + 1);
        if next_column <= owner.column {
            break;
        }
        cut_end = next_end;
    }
    Some(Cut {
        hash,
        end: cut_end,
        own_line: true,
    })
}

/// CF104: a ` #` that cut a text, with the fix that keeps the rest.
fn cut_by_comment(context: &Context<'_>, text: &Text<'_>, out: &mut Vec<Diagnostic>) {
    let Some((source, node)) = written(context, text) else {
        return;
    };
    let Some(cut) = comment_cut(source, node, text.kind) else {
        return;
    };
    let lost: Vec<&str> = source[cut.hash..cut.end].lines().map(str::trim).collect();
    let lost = lost.join(" ");
    let (line, _) = context
        .source
        .map_or((0, 0), |source| source.line_col(cut.hash));
    let message = if cut.own_line {
        format!(
            "line {line} of `{}` starts with `#`, which YAML reads as a comment line: the ticket gets \"{}\" and loses `{lost}`",
            dotted(&text.pointer),
            ending(text.text)
        )
    } else {
        format!(
            "`{}` stops at ` #`, which starts a YAML comment: the ticket gets \"{}\" and loses `{lost}`",
            dotted(&text.pointer),
            ending(text.text)
        )
    };
    let mut diagnostic = context
        .at(&CUT_BY_COMMENT, &text.pointer, message)
        .help(if node.in_flow {
            "write the text in double quotes, where `#` is text; if it is a comment, put it on a line of its own"
        } else {
            "write the text as a `|` block or in double quotes, where `#` is text; if it is a comment, put it on a line of its own"
        });
    let owner = (!node.in_flow)
        .then(|| value_owner(source, node.key, node.value.start))
        .flatten();
    if let Some(owner) = owner {
        // A real comment would become text: applied only when asked for.
        let fix = if text.kind == TextKind::Answer {
            let lines: Vec<&str> = source[node.value.start..cut.end]
                .split('\n')
                .map(str::trim)
                .collect();
            Fix::literal_block(
                Applicability::Unsafe,
                &text.pointer,
                (owner.from, cut.end),
                &lines,
                owner.indent(),
            )
        } else {
            let gap = if cut.own_line {
                " "
            } else {
                &source[node.value.end..cut.hash]
            };
            let whole = format!("{}{gap}{lost}", text.text);
            Some(Fix {
                applicability: Applicability::Unsafe,
                title: "write the text in double quotes".to_owned(),
                edits: vec![Edit {
                    start: owner.from,
                    end: cut.end,
                    content: format!(" {}", serde_json::Value::String(whole.clone())),
                }],
                change: crate::diagnostic::Change::Set {
                    pointer: text.pointer.clone(),
                    value: whole.into(),
                },
            })
        };
        if let Some(fix) = fix {
            diagnostic = diagnostic.fix(fix);
        }
    }
    out.push(diagnostic);
}

/// Whether a line of text starts a list item, as the ticket's renderer reads one.
fn is_item(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("- ") || line.starts_with("* ")
}

/// The indentation of a line, in spaces.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// CF105: list items on lines of their own in a text whose lines YAML joins.
fn folded_list(context: &Context<'_>, text: &Text<'_>, out: &mut Vec<Diagnostic>) {
    let Some((source, node)) = written(context, text) else {
        return;
    };
    let Some(written) = node.written.filter(|w| *w != Written::Literal) else {
        return;
    };
    let start = node.value.start.min(source.len());
    let end = node.value.end.min(source.len());
    let block = &source[start..end];
    // A `>` block's span runs to the start of the line after it; its last line is its end.
    let block = block.trim_end_matches(['\n', ' ']);
    // The first line starts at the value; the rest as written, with their indentation.
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let lines: Vec<&str> = source[line_start..start + block.len()]
        .split('\n')
        .collect();
    if lines.len() < 2 {
        return;
    }
    let base = indentation(lines[if written == Written::Folded { 0 } else { 1 }]);
    // A line joins the one before it unless either is blank or (in `>`) indented deeper.
    let joined = |i: usize| {
        let (before, line) = (lines[i - 1], lines[i]);
        !before.trim().is_empty()
            && !line.trim().is_empty()
            && (written != Written::Folded
                || (indentation(before) <= base && indentation(line) <= base))
    };
    let folded: Vec<usize> = (1..lines.len())
        .filter(|&i| is_item(lines[i]) && joined(i))
        .collect();
    let Some(&first) = folded.first() else {
        return;
    };
    let first_line = context
        .positions
        .value(&text.pointer)
        .map_or(0, |span| span.line)
        + first;
    let mut diagnostic = context
        .at(
            &FOLDED_LIST,
            &text.pointer,
            format!(
                "the lines of `{}` run together: YAML joins them with spaces, so the list item{} from line {first_line} reach{} the ticket inside one paragraph",
                dotted(&text.pointer),
                if folded.len() == 1 { "" } else { "s" },
                if folded.len() == 1 { "es" } else { "" },
            ),
        )
        .help("write the text as a `|` block, which keeps every line as it is");
    let end = start + block.len();
    if let Some(fix) = folded_list_fix(source, node, &text.pointer, written, (&lines, end)) {
        diagnostic = diagnostic.fix(fix);
    }
    out.push(diagnostic);
}

/// The text of a folded list as a `|` block, line for line: a plain text's lines trimmed, a
/// `>` block's with the block's indentation taken off (a quoted text is not rewritten: its
/// escapes and quotes would need reading).
fn folded_list_fix(
    source: &str,
    node: &NodePosition,
    pointer: &str,
    written: Written,
    (lines, end): (&[&str], usize),
) -> Option<Fix> {
    if node.in_flow {
        return None;
    }
    let (owner, body): (_, Vec<&str>) = match written {
        Written::Plain => {
            let mut body: Vec<&str> = lines.iter().map(|line| line.trim()).collect();
            // The first line is the value's, from its start.
            body[0] = source[node.value.start..].split('\n').next()?.trim();
            (value_owner(source, node.key, node.value.start)?, body)
        }
        Written::Folded => {
            // `key: >` (a chomping indicator may follow), nothing else, on the line before.
            let header_end = source[..node.value.start].rfind('\n')?;
            let header = source[..header_end].rfind('>')?;
            let rest = source[header + 1..header_end]
                .trim_start_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
            if !rest.trim().is_empty() {
                return None;
            }
            let base = indentation(lines[0]);
            let body = lines
                .iter()
                .map(|line| line.get(base.min(indentation(line))..).unwrap_or_default())
                .collect();
            (value_owner(source, node.key, header)?, body)
        }
        _ => return None,
    };
    Fix::literal_block(
        Applicability::Safe,
        pointer,
        (owner.from, end),
        &body,
        owner.indent(),
    )
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
        let notification = question("/incident_management/availability/notification");
        assert_eq!(min_words(&notification), MIN_SHORT_ANSWER_WORDS);
        assert_eq!(
            min_words(&question("/scalability/scaling_factors/3/description")),
            MIN_ANSWER_WORDS
        );
        // Complete short answers pass; a bare name or a slogan does not.
        let customers = min_words("/incident_management/customer_communication");
        assert!(words("Statuspage.io incidents and in-app banners.") >= customers);
        assert!(words("PagerDuty.") < min_words(&notification));
        assert!(words("We roll back.") < min_words("/recovery/bad_deployment/process"));
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
