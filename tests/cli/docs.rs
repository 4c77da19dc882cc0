//! Documentation that matches behaviour: the examples of the README and of the documentation
//! site's pages are the commands' real output, the site's generated pages (rules, the
//! questionnaire's and the command line's reference) are what the code generates now, and
//! every man page the man pages name exists.
//!
//! A block of README.md or of a page under docs/ is checked when the line before its fence is
//! a marker naming the command:
//!
//! ````text
//! <!-- output of: cfready lint examples/invalid/schema-mistakes.yaml -->
//! ```text
//! error[CF014]: ...
//! ...
//! Found 7 errors, 1 warning in 1 file.
//! ```
//! ````
//!
//! The command runs (from a folder holding a copy of `examples/` and `tests/fixtures/`, with
//! colors off and today pinned as in every test) and its output, stdout then stderr, must be
//! the block; its exit code is the command's business (a template error's is 2). A line that
//! is only `...` stands for any number of lines left out; a first line `$ COMMAND` shows the
//! command and is part of the expected text. When a block is stale, the failure prints the
//! block as it should read, ready to paste; `CFREADY_UPDATE_README=1` writes every such block
//! into its file instead (review the diff, as with insta).

use std::path::Path;

use super::{cfready, root, run};

/// `cfready man --dir` writes `cfready.1` and a page for every subcommand, nested ones
/// included, and every `cfready-NAME(1)` that any page names (its SUBCOMMANDS list) is one of
/// them; `cfready man` prints the same `cfready.1`.
#[test]
fn every_man_page_named_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let (code, _, stderr) = run(cfready().args(["man", "--dir", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert!(
        stderr.contains(&format!("wrote {} man pages", pages.len())),
        "{stderr}"
    );
    for expected in [
        "cfready.1",
        "cfready-lint.1",
        "cfready-export.1",
        "cfready-export-prometheus.1",
        "cfready-man.1",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} in {pages:?}"
        );
    }
    let mut named = 0;
    for page in &pages {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            text.starts_with(".ie") && text.contains(".TH "),
            "{page} is a man page"
        );
        // roff escapes the dashes: `cfready\-export\-prometheus(1)`.
        for reference in text
            .split(|c: char| c.is_whitespace())
            .filter(|w| w.starts_with("cfready\\-") && w.ends_with("(1)"))
        {
            let file = reference.replace("\\-", "-").replace("(1)", ".1");
            assert!(
                pages.contains(&file),
                "{page} names {reference}, which was not written: {pages:?}"
            );
            named += 1;
        }
    }
    // The main page names every subcommand, and `export` names `prometheus`.
    assert_eq!(named, pages.len() - 1, "{pages:?}");
    let (code, stdout, _) = run(cfready().arg("man"));
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        std::fs::read_to_string(out.join("cfready.1")).unwrap()
    );
    assert!(
        !stdout.contains("cfready\\-help(1)"),
        "clap's help subcommand has no page"
    );

    // Again into the same folder: the pages are replaced, other files stay, nothing is left
    // behind beside it.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let (code, _, stderr) = run(cfready().args(["man", "--dir", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), pages.len() + 1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

const MARKER: (&str, &str) = ("<!-- output of: ", " -->");
const ELLIPSIS: &str = "...";

/// A checked block of the README: its command, and where its lines are (0-based, the
/// fence's lines excluded).
struct Block {
    command: String,
    marker_line: usize,
    lines: std::ops::Range<usize>,
}

fn blocks(file: &str, readme: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    for (index, line) in readme.iter().enumerate() {
        let Some(command) = line
            .strip_prefix(MARKER.0)
            .and_then(|rest| rest.strip_suffix(MARKER.1))
        else {
            continue;
        };
        let fence = readme.get(index + 1).copied().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{file}:{}: the marker is not followed by a fenced block",
            index + 1
        );
        let start = index + 2;
        let end = (start..readme.len())
            .find(|&i| readme[i] == "```")
            .unwrap_or_else(|| panic!("{file}:{}: the block is not closed", index + 2));
        out.push(Block {
            command: command.to_owned(),
            marker_line: index,
            lines: start..end,
        });
    }
    out
}

/// Copy a folder recursively (the files the README's commands read).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What a command prints, stdout then stderr, as lines.
fn output_of(command: &str, dir: &Path) -> Vec<String> {
    assert!(
        !command.contains(['"', '\'', '*', '|', '>', '<']),
        "`{command}`: a checked command is plain words, run without a shell"
    );
    let mut words = command.split_whitespace();
    assert_eq!(words.next(), Some("cfready"), "`{command}`");
    let (_, stdout, stderr) = run(cfready().current_dir(dir).args(words));
    format!("{stdout}{stderr}")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// How alike two lines are, from 0 (no word in common) to 1 (the same words).
fn similarity(a: &str, b: &str) -> f64 {
    let a: std::collections::BTreeSet<&str> = a.split_whitespace().collect();
    let b: std::collections::BTreeSet<&str> = b.split_whitespace().collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// The block's lines aligned with the output: the cost of the cheapest alignment (0 when the
/// block matches, its ellipses standing for the lines left out), and the block rewritten
/// along it, which is the block as it should read: each line replaced by the output line it
/// stands for (the most alike one), lines the output no longer has dropped, new ones added,
/// the ellipses kept where they were.
fn align(block: &[&str], output: &[String]) -> (u32, Vec<String>) {
    const GAP: u32 = 100;
    let (rows, columns) = (block.len(), output.len());
    let is_ellipsis = |line: &str| line.trim() == ELLIPSIS;
    let substitute = |i: usize, j: usize| -> u32 {
        if block[i] == output[j] {
            0
        } else {
            // Between 50 and 100: always cheaper than a line dropped and a line added.
            50 + (50.0 * (1.0 - similarity(block[i], &output[j]))).round() as u32
        }
    };
    // cost[i][j]: aligning block[i..] with output[j..].
    let mut cost = vec![vec![0u32; columns + 1]; rows + 1];
    for j in (0..columns).rev() {
        cost[rows][j] = cost[rows][j + 1] + GAP;
    }
    for i in (0..rows).rev() {
        for j in (0..=columns).rev() {
            cost[i][j] = if is_ellipsis(block[i]) {
                let skip = if j < columns {
                    cost[i][j + 1]
                } else {
                    u32::MAX
                };
                cost[i + 1][j].min(skip)
            } else {
                let mut best = cost[i + 1][j] + GAP;
                if j < columns {
                    best = best.min(cost[i][j + 1] + GAP);
                    best = best.min(substitute(i, j) + cost[i + 1][j + 1]);
                }
                best
            };
        }
    }
    let (mut i, mut j, mut rewritten) = (0, 0, Vec::new());
    while i < rows || j < columns {
        if i == rows {
            rewritten.push(output[j].clone());
            j += 1;
        } else if is_ellipsis(block[i]) {
            // The ellipsis leaves out as few lines as the cheapest alignment allows.
            if cost[i][j] == cost[i + 1][j] {
                rewritten.push(block[i].to_owned());
                i += 1;
            } else {
                j += 1;
            }
        } else if j < columns && cost[i][j] == substitute(i, j) + cost[i + 1][j + 1] {
            rewritten.push(output[j].clone());
            (i, j) = (i + 1, j + 1);
        } else if cost[i][j] == cost[i + 1][j] + GAP {
            i += 1;
        } else {
            rewritten.push(output[j].clone());
            j += 1;
        }
    }
    (cost[0][0], rewritten)
}

#[test]
fn alignment_keeps_ellipses_and_rewrites_changed_lines() {
    let output: Vec<String> = ["a", "error: old words here", "b", "c", "Found 2"]
        .map(str::to_owned)
        .to_vec();
    let lines = |text: &[&str]| text.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    // An exact excerpt costs nothing and is itself.
    let block = ["...", "error: old words here", "...", "Found 2"];
    assert_eq!(align(&block, &output), (0, lines(&block)));
    // A changed line is replaced by the output line most like it; the ellipses stay.
    let block = ["...", "error: older words here", "...", "Found 1"];
    let (cost, rewritten) = align(&block, &output);
    assert!(cost > 0);
    assert_eq!(
        rewritten,
        lines(&["...", "error: old words here", "...", "Found 2"])
    );
    // A whole block: lines gone from the output are dropped, new ones added.
    let block = ["a", "gone", "error: old words here", "b", "c"];
    let (_, rewritten) = align(&block, &output);
    assert_eq!(rewritten, output);
}

/// The hand-written Markdown files whose examples are checked: README.md and the pages under
/// docs/ (not the generated ones, which `the_generated_pages_are_current` checks whole), as
/// paths relative to the repository.
fn documented_files() -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}/{name}");
            if entry.file_type().unwrap().is_dir() {
                if !GENERATED.contains(&path.as_str()) {
                    walk(&entry.path(), &path, out);
                }
            } else if name.ends_with(".md") && !GENERATED.contains(&path.as_str()) {
                out.push(path);
            }
        }
    }
    let mut files = vec!["README.md".to_owned()];
    walk(&root().join("docs"), "docs", &mut files);
    files.sort();
    files
}

/// Every block of the README and of the documentation's pages marked
/// `<!-- output of: COMMAND -->` is what COMMAND prints now.
#[test]
fn the_documented_examples_are_the_commands_real_output() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["examples", "tests/fixtures"] {
        copy_dir(&root().join(folder), &dir.path().join(folder));
    }
    let mut checked = 0;
    let mut message = String::new();
    for file in documented_files() {
        let path = root().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let blocks = blocks(&file, &lines);
        checked += blocks.len();
        let mut stale = Vec::new();
        for block in &blocks {
            let mut output = output_of(&block.command, dir.path());
            let shown = &lines[block.lines.clone()];
            let prompt = format!("$ {}", block.command);
            if shown.first() == Some(&prompt.as_str()) {
                output.insert(0, prompt);
            }
            let (cost, rewritten) = align(shown, &output);
            if cost > 0 {
                stale.push((block, rewritten));
            }
        }
        if stale.is_empty() {
            continue;
        }
        if std::env::var_os("CFREADY_UPDATE_README").is_some() {
            let mut updated: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            // From the last block up, so that earlier line numbers stay right.
            for (block, rewritten) in stale.iter().rev() {
                updated.splice(block.lines.clone(), rewritten.iter().cloned());
            }
            std::fs::write(&path, updated.join("\n") + "\n").unwrap();
            eprintln!(
                "{file}: {} stale block(s) rewritten; review the diff",
                stale.len()
            );
            continue;
        }
        for (block, rewritten) in &stale {
            message.push_str(&format!(
                "\n---- {file}:{} {}{}{}\n{}\n{}\n```\n",
                block.marker_line + 1,
                MARKER.0,
                block.command,
                MARKER.1,
                lines[block.marker_line + 1],
                rewritten.join("\n")
            ));
        }
    }
    // The README keeps the readiness check; the pages hold lint's, render's, slo's and
    // export's examples.
    assert!(checked >= 9, "{checked} checked blocks");
    assert!(
        message.is_empty(),
        "Blocks that are not what their command prints. Each should read as below (or run \
         `CFREADY_UPDATE_README=1 cargo test --test cli documented` to write them, then review \
         the diff):\n{message}"
    );
}

/// The folders `cfready generate-docs` writes under docs/: nothing in them is written by hand.
const GENERATED: [&str; 2] = ["docs/rules", "docs/reference"];

/// The site's generated pages are what `cfready generate-docs` writes now: a page per rule of
/// the registry and the rules' table, the questionnaire's reference (a section per key of the
/// schema) and the command line's reference. A rule, a key or a command without its page, or
/// a page of a rule that is gone, fails here; `CFREADY_UPDATE_DOCS=1` writes them instead
/// (review the diff).
#[test]
fn the_generated_pages_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(cfready().args(["generate-docs", dir.path().to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    let (_, rules, _) = run(cfready().args(["rules", "--format", "json"]));
    let rules: Vec<serde_json::Value> = serde_json::from_str(&rules).unwrap();
    let update = std::env::var_os("CFREADY_UPDATE_DOCS").is_some();
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let mut problems = Vec::new();
    for folder in GENERATED {
        let generated = dir.path().join(folder.trim_start_matches("docs/"));
        let committed = root().join(folder);
        let expected = names(&generated);
        if folder == "docs/rules" {
            // One page per rule and the table.
            assert_eq!(expected.len(), rules.len() + 1, "{expected:?}");
            for rule in &rules {
                let page = format!("{}.md", rule["code"].as_str().unwrap());
                assert!(expected.contains(&page), "no page for {page}");
            }
        }
        for name in &expected {
            let want = std::fs::read_to_string(generated.join(name)).unwrap();
            let have = std::fs::read_to_string(committed.join(name)).unwrap_or_default();
            if want != have {
                if update {
                    std::fs::create_dir_all(&committed).unwrap();
                    std::fs::write(committed.join(name), want).unwrap();
                } else {
                    problems.push(format!("{folder}/{name} is missing or stale"));
                }
            }
        }
        for name in names(&committed) {
            if !expected.contains(&name) {
                if update {
                    std::fs::remove_file(committed.join(&name)).unwrap();
                } else {
                    problems.push(format!(
                        "{folder}/{name} is not generated (a rule that is gone?)"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nRun `CFREADY_UPDATE_DOCS=1 cargo test --test cli generated_pages` to write them, \
         then review the diff.",
        problems.join("\n")
    );
}

/// mkdocs.yml names every hand-written page of docs/ in its navigation (mkdocs itself only
/// notes a page left out), and the generated ones that are not reached from a table.
#[test]
fn the_site_navigation_names_every_page() {
    let mkdocs = std::fs::read_to_string(root().join("mkdocs.yml")).unwrap();
    let mut pages: Vec<String> = documented_files()
        .into_iter()
        .filter_map(|f| f.strip_prefix("docs/").map(str::to_owned))
        .collect();
    pages.extend(
        [
            "rules/index.md",
            "reference/questionnaire.md",
            "reference/cli.md",
        ]
        .map(String::from),
    );
    assert!(pages.len() > 20, "{pages:?}");
    for page in pages {
        assert!(
            mkdocs.contains(&format!(": {page}\n")),
            "mkdocs.yml's nav has no entry for docs/{page}"
        );
    }
}
