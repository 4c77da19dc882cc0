//! Applying the fixes that diagnostics carry (`lint --fix`, and the language server's quick
//! fixes): text edits at spans of the file as written, never a re-serialised document.
//!
//! A diagnostic's edits are byte offsets into the BOM-less, LF-normalised text that the rules
//! read ([`crate::source::Source`]). [`apply`] maps them back onto the text as it is on disk, so
//! a byte order mark stays, CRLF stays CRLF, and every byte outside an edited range is kept.
//! Like ruff, one pass applies the fixes whose edits do not overlap one already chosen;
//! [`fix_bytes`] lints again and repeats, a bounded number of passes, until no fix applies.

use std::path::Path;
use std::time::SystemTime;

use thiserror::Error;

use crate::diagnostic::{Applicability, Change, Diagnostic, Edit, Fix};
use crate::ticket::lint::{self, FileReport, Input, LintOptions};
use crate::write;

mod diff;

pub use diff::unified as unified_diff;

/// Most lint-and-fix passes over one file: each pass applies every fix that does not overlap
/// another, so a file needs a second pass only for fixes that touch the same text.
pub const MAX_PASSES: usize = 10;

/// A fix that was applied: which finding it resolved, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub title: String,
    pub applicability: Applicability,
    /// What it changed, as data.
    pub change: Change,
    /// The 1-based line of the finding, in the text the pass started from.
    pub line: Option<usize>,
}

/// What one pass of [`apply`] made of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    /// The new text (the same as the input when nothing applied).
    pub text: String,
    /// The fixes applied, in the order of their place in the file.
    pub applied: Vec<Applied>,
    /// Fixes left out because their edits overlap one applied before them (a next pass,
    /// after linting again, may still apply them).
    pub deferred: usize,
}

/// Whether a fix of `applicability` is applied when `allowed` is asked for: `Safe` applies the
/// safe fixes, `Unsafe` (or `DisplayOnly`) the safe and the unsafe ones; display-only fixes
/// never apply.
pub fn applies(applicability: Applicability, allowed: Applicability) -> bool {
    match applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => allowed != Applicability::Safe,
        Applicability::DisplayOnly => false,
    }
}

/// Where the text as written differs from the text the diagnostics point into.
struct Layout {
    /// 3 when the text starts with a byte order mark.
    bom: usize,
    /// The normalised offsets of the line feeds that are CRLF in the text as written.
    crlf: Vec<usize>,
    /// The normalised text.
    normalised: String,
}

impl Layout {
    fn of(original: &str) -> Layout {
        let body = original.strip_prefix('\u{feff}').unwrap_or(original);
        let bom = original.len() - body.len();
        let mut crlf = Vec::new();
        let mut normalised = String::with_capacity(body.len());
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                    crlf.push(normalised.len());
                }
                normalised.push('\n');
            } else {
                normalised.push(c);
            }
        }
        Layout {
            bom,
            crlf,
            normalised,
        }
    }

    /// The offset in the text as written of the normalised offset `at` (a CRLF line feed maps
    /// to its carriage return, so a range never splits the pair).
    fn original(&self, at: usize) -> usize {
        self.bom + at + self.crlf.partition_point(|&lf| lf < at)
    }

    /// Whether an edit fits the normalised text (in bounds, on character boundaries).
    fn fits(&self, edit: &Edit) -> bool {
        edit.start <= edit.end
            && self.normalised.is_char_boundary(edit.start)
            && self.normalised.is_char_boundary(edit.end)
    }

    /// The edits of `fix` as they would be made, when `allowed` admits it and every edit can be.
    fn edits(&self, fix: &Fix, allowed: Applicability) -> Option<Vec<Edit>> {
        if !applies(fix.applicability, allowed) || fix.edits.is_empty() {
            return None;
        }
        fix.edits
            .iter()
            .map(|edit| self.fits(edit).then(|| self.narrow(edit)).flatten())
            .collect()
    }

    /// The edit narrowed to the scalar it replaces, as written: past an anchor in front of it
    /// (`&name yes` keeps `&name`), and up to its closing quote or its last character (a comment
    /// after it stays). Edits that start at a space or insert are kept as they are. `None` for an edit that is not safe to make as text: an alias (`*name`:
    /// the anchored value is fixed instead, and the link kept), a value with a tag (`!!str no`
    /// would still be text), an unterminated quote.
    fn narrow(&self, edit: &Edit) -> Option<Edit> {
        let mut start = edit.start;
        let mut rest = &self.normalised[edit.start..edit.end];
        // Not a scalar: an insertion, or an edit of the layout itself.
        if rest.chars().next().is_none_or(char::is_whitespace) {
            return Some(edit.clone());
        }
        while let Some(anchored) = rest.strip_prefix('&') {
            let name = anchored.find(char::is_whitespace)?;
            let value = anchored[name..].trim_start();
            start += rest.len() - value.len();
            rest = value;
        }
        let len = match rest.chars().next()? {
            '*' | '!' => return None,
            '"' => {
                let mut escaped = false;
                let close = rest[1..].char_indices().find_map(|(i, c)| {
                    let close = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    close.then_some(i)
                })?;
                close + 2
            }
            '\'' => {
                // `''` inside single quotes is one quote.
                let body = &rest[1..];
                let mut i = 0;
                loop {
                    i += body[i..].find('\'')?;
                    if body[i + 1..].starts_with('\'') {
                        i += 2;
                    } else {
                        break i + 2;
                    }
                }
            }
            _ => {
                let comment = [" #", "\t#", "\n#"]
                    .iter()
                    .filter_map(|mark| rest.find(mark))
                    .min()
                    .unwrap_or(rest.len());
                rest[..comment].trim_end().len()
            }
        };
        Some(Edit {
            start,
            end: start + len,
            content: edit.content.clone(),
        })
    }

    /// An edit's new text in the file's line endings: CRLF when the file has any.
    fn content<'a>(&self, content: &'a str) -> std::borrow::Cow<'a, str> {
        if self.crlf.is_empty() || !content.contains('\n') {
            content.into()
        } else {
            content.replace('\n', "\r\n").into()
        }
    }
}

/// Two edits touch: their ranges overlap, or both insert at the same place (whose text would
/// come first is not defined).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// For each diagnostic, whether `--fix` (with `allowed`) would apply its fix to `text` (as
/// written, or normalised: both give the same answer), leaving aside overlaps with other
/// fixes, which a next pass resolves. What the human report marks `[*]` and counts.
pub fn fixable(text: &str, diagnostics: &[Diagnostic], allowed: Applicability) -> Vec<bool> {
    let layout = Layout::of(text);
    diagnostics
        .iter()
        .map(|d| {
            d.fix
                .as_ref()
                .is_some_and(|fix| layout.edits(fix, allowed).is_some())
        })
        .collect()
}

/// One pass: apply to `original` (the text as written: a BOM and CRLF line endings are kept)
/// the fixes of `diagnostics` that `allowed` admits ([`applies`]), skipping any fix whose
/// edits overlap a fix applied before it. The diagnostics must come from linting this text.
pub fn apply(original: &str, diagnostics: &[Diagnostic], allowed: Applicability) -> Pass {
    let layout = Layout::of(original);
    // Each applicable fix, with its edits narrowed to the text they replace.
    let mut candidates: Vec<(&Diagnostic, &Fix, Vec<Edit>)> = diagnostics
        .iter()
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            Some((d, fix, layout.edits(fix, allowed)?))
        })
        .collect();
    candidates.sort_by_key(|(_, _, edits)| edits.iter().map(|e| e.start).min());
    let mut chosen: Vec<Edit> = Vec::new();
    let mut applied = Vec::new();
    let mut deferred = 0;
    for (diagnostic, fix, edits) in candidates {
        let clash = edits.iter().enumerate().any(|(i, edit)| {
            chosen.iter().any(|other| overlaps(edit, other))
                || edits[..i].iter().any(|other| overlaps(edit, other))
        });
        if clash {
            deferred += 1;
            continue;
        }
        chosen.extend(edits);
        applied.push(Applied {
            code: diagnostic.code,
            title: fix.title.clone(),
            applicability: fix.applicability,
            change: fix.change.clone(),
            line: diagnostic.span.map(|span| span.line),
        });
    }
    chosen.sort_by_key(|edit| edit.start);
    let mut text = String::with_capacity(original.len());
    let mut copied = 0;
    for edit in &chosen {
        let (start, end) = (layout.original(edit.start), layout.original(edit.end));
        text.push_str(&original[copied..start]);
        text.push_str(&layout.content(&edit.content));
        copied = end;
    }
    text.push_str(&original[copied..]);
    Pass {
        text,
        applied,
        deferred,
    }
}

/// Linting and fixing one text until no fix applies.
#[derive(Debug)]
pub struct Fixed {
    /// The lint of the final text: what is left.
    pub report: FileReport,
    /// The final text, when a fix applied (`None`: the input stays as it is).
    pub text: Option<String>,
    /// Every fix applied, pass after pass.
    pub applied: Vec<Applied>,
    /// Whether the last pass found nothing more to apply (false: [`MAX_PASSES`] ran out, or a
    /// pass would have made the file unreadable and was dropped).
    pub settled: bool,
}

/// Lint `bytes` (named `name`, as [`lint::lint_bytes`]), apply the fixes `allowed` admits, lint
/// again and repeat until none applies. A file that does not parse is changed only by the fix
/// its syntax error carries (an answer's text rewritten as a `|` block), and only when that
/// makes the file parse; otherwise its report says why. A pass that makes a file that parsed
/// unreadable is dropped.
pub fn fix_bytes(name: &str, bytes: &[u8], options: &LintOptions, allowed: Applicability) -> Fixed {
    let mut report = lint::lint_bytes(name, bytes, options);
    let parsed = std::str::from_utf8(bytes).ok().filter(|text| {
        report.document.is_some() || parses_once_fixed(name, text, &report, options, allowed)
    });
    let Some(mut text) = parsed.map(str::to_owned) else {
        return Fixed {
            report,
            text: None,
            applied: Vec::new(),
            settled: true,
        };
    };
    let mut fixed = Fixed {
        report: FileReport::without_source(name.to_owned(), Vec::new()),
        text: None,
        applied: Vec::new(),
        settled: false,
    };
    for _ in 0..MAX_PASSES {
        let pass = apply(&text, &report.diagnostics, allowed);
        if pass.applied.is_empty() {
            fixed.settled = true;
            break;
        }
        let next = lint::lint_bytes(name, pass.text.as_bytes(), options);
        if next.document.is_none() && report.document.is_some() {
            break;
        }
        text = pass.text;
        report = next;
        fixed.applied.extend(pass.applied);
    }
    fixed.report = report;
    fixed.text = (!fixed.applied.is_empty()).then_some(text);
    fixed
}

/// Whether the syntax fixes of a file that does not parse make it parse, pass after pass (the
/// parser stops at the first error, so each pass can reveal the next).
fn parses_once_fixed(
    name: &str,
    text: &str,
    report: &FileReport,
    options: &LintOptions,
    allowed: Applicability,
) -> bool {
    let mut diagnostics = report.diagnostics.clone();
    let mut text = text.to_owned();
    for _ in 0..MAX_PASSES {
        let pass = apply(&text, &diagnostics, allowed);
        if pass.applied.is_empty() {
            return false;
        }
        let next = lint::lint_bytes(name, pass.text.as_bytes(), options);
        if next.document.is_some() {
            return true;
        }
        text = pass.text;
        diagnostics = next.diagnostics;
    }
    false
}

/// The state of a file when it was read, to tell whether it changed before the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub bytes: Vec<u8>,
    pub modified: Option<SystemTime>,
}

impl Stamp {
    fn now(path: &Path, bytes: Vec<u8>) -> Stamp {
        Stamp {
            bytes,
            modified: modified(path),
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Fixing one file (or standard input) by path.
#[derive(Debug)]
pub struct FileFix {
    pub fixed: Fixed,
    /// What was read (for a file, with its time, for the check before writing); `None` when
    /// the input could not be read whole.
    pub read: Option<Stamp>,
}

/// Read `path` (`-`: standard input) and fix it in memory; nothing is written. A file that
/// cannot be read, or is over the size cap, gets lint's report of why.
pub fn fix_path(path: &str, options: &LintOptions, allowed: Applicability) -> FileFix {
    let name = if path == "-" { "<stdin>" } else { path };
    // The time is taken before the read: a change during the read shows as a later time.
    let before = (path != "-").then(|| modified(Path::new(path))).flatten();
    match lint::read_input(path) {
        Ok(Input::Bytes(bytes)) => {
            let fixed = fix_bytes(name, &bytes, options, allowed);
            let read = Some(Stamp {
                bytes,
                modified: before,
            });
            FileFix { fixed, read }
        }
        // Over the cap, unreadable: lint says why, and nothing is changed.
        _ => FileFix {
            fixed: Fixed {
                report: lint::lint_path(path, options),
                text: None,
                applied: Vec::new(),
                settled: true,
            },
            read: None,
        },
    }
}

#[derive(Debug, Error)]
pub enum FixError {
    #[error(
        "`{}` changed on disk while cfready was fixing it; nothing was written (run `cfready lint --fix` again)",
        .0.display()
    )]
    Changed(std::path::PathBuf),
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// Write `text` over `path`, atomically, unless the file is no longer what `read` saw. A
/// symbolic link is written through (the file it names is replaced, the link stays), and the
/// file keeps its permissions.
pub fn write_back(path: &Path, read: &Stamp, text: &str) -> Result<(), FixError> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let now = std::fs::read(&target)
        .ok()
        .map(|bytes| Stamp::now(&target, bytes));
    if now.as_ref() != Some(read) {
        return Err(FixError::Changed(path.to_path_buf()));
    }
    let permissions = std::fs::metadata(&target).map(|m| m.permissions()).ok();
    write::atomically(&target, text.as_bytes(), write::Existing::Replace)?;
    if let Some(permissions) = permissions {
        let _ = std::fs::set_permissions(&target, permissions);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::diagnostic::Span;
    use crate::ticket::registry::schema::WRONG_TYPE;

    fn with_edits(applicability: Applicability, edits: &[(usize, usize, &str)]) -> Diagnostic {
        Diagnostic::new(&WRONG_TYPE, "m")
            .at(Some(Span {
                line: 1,
                column: 1,
                start: edits[0].0,
                end: edits[0].1,
            }))
            .fix(Fix {
                applicability,
                title: "t".to_owned(),
                change: Change::Set {
                    pointer: "/a".to_owned(),
                    value: serde_json::Value::Null,
                },
                edits: edits
                    .iter()
                    .map(|&(start, end, content)| Edit {
                        start,
                        end,
                        content: content.to_owned(),
                    })
                    .collect(),
            })
    }

    #[test]
    fn offsets_map_back_past_a_bom_and_crlf() {
        // Normalised: "a: yes\nb: no\n"; `no` is at 10..12.
        let original = "\u{feff}a: yes\r\nb: no\r\n";
        let pass = apply(
            original,
            &[
                with_edits(Applicability::Safe, &[(10, 12, "false")]),
                with_edits(Applicability::Safe, &[(3, 6, "true")]),
            ],
            Applicability::Safe,
        );
        assert_eq!(pass.text, "\u{feff}a: true\r\nb: false\r\n");
        assert_eq!(pass.applied.len(), 2);
    }

    #[test]
    fn an_edit_ending_at_a_line_end_keeps_the_crlf_and_new_lines_get_it() {
        let original = "a: 1\r\nb: 2\r\n";
        let pass = apply(
            original,
            &[with_edits(Applicability::Safe, &[(3, 4, "x\ny")])],
            Applicability::Safe,
        );
        assert_eq!(pass.text, "a: x\r\ny\r\nb: 2\r\n");
        // An edit that replaces the line feed itself replaces the whole CRLF.
        let joined = apply(
            original,
            &[with_edits(Applicability::Safe, &[(4, 5, " ")])],
            Applicability::Safe,
        );
        assert_eq!(joined.text, "a: 1 b: 2\r\n");
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let pass = apply(
            "abcdef",
            &[
                with_edits(Applicability::Safe, &[(2, 4, "X")]),
                with_edits(Applicability::Safe, &[(0, 3, "Y")]),
                with_edits(Applicability::Safe, &[(4, 4, "Z")]),
            ],
            Applicability::Safe,
        );
        // Sorted by place: 0..3 first, then 2..4 overlaps it, then the insertion at 4.
        assert_eq!(pass.text, "YdZef");
        assert_eq!((pass.applied.len(), pass.deferred), (2, 1));
    }

    #[test]
    fn applicability_decides_what_applies() {
        let diagnostics = [
            with_edits(Applicability::Safe, &[(0, 1, "S")]),
            with_edits(Applicability::Unsafe, &[(1, 2, "U")]),
            with_edits(Applicability::DisplayOnly, &[(2, 3, "D")]),
        ];
        assert_eq!(apply("abc", &diagnostics, Applicability::Safe).text, "Sbc");
        assert_eq!(
            apply("abc", &diagnostics, Applicability::Unsafe).text,
            "SUc"
        );
        assert_eq!(
            apply("abc", &diagnostics, Applicability::DisplayOnly).text,
            "SUc"
        );
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_skipped() {
        let diagnostics = [
            with_edits(Applicability::Safe, &[(2, 9, "x")]),
            with_edits(Applicability::Safe, &[(1, 2, "x")]),
        ];
        let pass = apply("é!", &diagnostics, Applicability::Safe);
        assert_eq!(pass.text, "é!");
        assert!(pass.applied.is_empty());
    }

    #[test]
    fn an_edit_stops_at_its_scalar_keeps_anchors_and_skips_aliases_and_tags() {
        // The loader's span of a quoted value may run on over the comment after it.
        let text = "a: \"4\"   # four\nb: &x yes  # c\nc: *x\nd: !!str on\ne: 'it''s' #\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let line_end = |from: usize| from + text[from..].find('\n').unwrap();
        let diagnostics = [
            with_edits(
                Applicability::Safe,
                &[(at("\"4"), line_end(at("\"4")), "4")],
            ),
            with_edits(
                Applicability::Safe,
                &[(at("&x"), line_end(at("&x")), "true")],
            ),
            with_edits(Applicability::Safe, &[(at("*x"), at("*x") + 2, "true")]),
            with_edits(
                Applicability::Safe,
                &[(at("!!str"), at("!!str") + 9, "true")],
            ),
            with_edits(
                Applicability::Safe,
                &[(at("'it"), line_end(at("'it")), "x")],
            ),
        ];
        let pass = apply(text, &diagnostics, Applicability::Safe);
        assert_eq!(
            pass.text,
            "a: 4   # four\nb: &x true  # c\nc: *x\nd: !!str on\ne: x #\n"
        );
        assert_eq!(pass.applied.len(), 3);
    }

    #[test]
    fn fixable_says_what_a_pass_would_apply() {
        let text = "a: yes\nb: *x\nc: 4\n";
        let diagnostics = [
            with_edits(Applicability::Safe, &[(3, 6, "true")]),
            with_edits(Applicability::Safe, &[(10, 12, "true")]),
            with_edits(Applicability::Unsafe, &[(16, 17, "4m")]),
        ];
        assert_eq!(
            fixable(text, &diagnostics, Applicability::Safe),
            [true, false, false]
        );
        assert_eq!(
            fixable(text, &diagnostics, Applicability::Unsafe),
            [true, false, true]
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_left_alone() {
        let options = LintOptions {
            today: Date::parse("2026-11-24").unwrap(),
            ..LintOptions::default()
        };
        let fixed = fix_bytes("t.yaml", b"a: [yes\n", &options, Applicability::Unsafe);
        assert!(fixed.text.is_none() && fixed.applied.is_empty());
        assert!(!fixed.report.diagnostics.is_empty());
    }
}
