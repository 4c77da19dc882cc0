//! `cfready render`: the approval ticket in both flavors, escaping, custom templates, `-o`.

use super::{cfready, run};

/// Render a questionnaire; returns (exit code, stdout, stderr).
fn render(file: &str, extra: &[&str]) -> (i32, String, String) {
    run(cfready().args(["render", file]).args(extra))
}

/// The ticket of a questionnaire that must render cleanly.
fn ticket(file: &str, flavor: &str) -> String {
    let (code, stdout, stderr) = render(file, &["--flavor", flavor]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stdout.contains("(not answered)"),
        "a complete questionnaire has no gaps:\n{stdout}"
    );
    stdout
}

#[test]
fn the_example_in_markdown() {
    insta::assert_snapshot!(ticket("examples/acme-timesheets.yaml", "markdown"));
}

#[test]
fn the_example_in_jira_markup() {
    insta::assert_snapshot!(ticket("examples/acme-timesheets.yaml", "jira"));
}

#[test]
fn an_app_that_stores_no_data_and_skips_the_optional_answers() {
    for flavor in ["markdown", "jira"] {
        let text = ticket("tests/fixtures/render/no-data.yaml", flavor);
        assert!(text.contains("The app stores no customer data"), "{text}");
        // Optional answers that are absent leave no trace: no heading, no "None".
        for absent in [
            "Synthetic tests written",
            "Status page",
            "Backups",
            "verifies the app's dependencies",
            "without checking",
            "None",
        ] {
            assert!(!text.contains(absent), "{flavor}: `{absent}` in\n{text}");
        }
        assert!(text.contains("No instances to exclude."), "{text}");
        insta::assert_snapshot!(format!("no-data-{flavor}"), text);
    }
}

#[test]
fn business_hours_coverage_names_the_hours_and_the_time_zone() {
    for flavor in ["markdown", "jira"] {
        let (code, stdout, stderr) = render(
            "tests/fixtures/render/business-hours.yaml",
            &["--flavor", flavor],
        );
        assert_eq!(code, 0, "warnings do not stop the ticket: {stderr}");
        // The lint warning goes to stderr; stdout is only the ticket.
        assert!(stderr.contains("warning[CF601]"), "{stderr}");
        assert!(!stdout.contains("CF601"), "{stdout}");
        assert!(
            stdout.contains("Business hours, Mon-Fri 08:00-18:00 (Europe/Berlin)"),
            "{stdout}"
        );
        insta::assert_snapshot!(format!("business-hours-{flavor}"), stdout);
    }
}

#[test]
fn hostile_text_is_escaped_in_markdown() {
    let text = ticket("tests/fixtures/render/hostile.yaml", "markdown");
    for escaped in [
        "\\# Not a heading, \\> not a quote, and &lt;script\\>alert(\"x\")&lt;/script\\> is not HTML.",
        // A numbered line is a numbered step (as `- ` is a bullet); its text is escaped.
        "1. not a list either; {noformat}, \\[text\\|https://evil.example\\] and !\\[img\\](x.png) are text.",
        "\\| not \\| a \\| table \\| and C:\\\\\\\\path\\\\\\\\to stays a path; &amp;copy; is not an entity.",
        "\\----",
    ] {
        assert!(text.contains(escaped), "missing {escaped:?} in\n{text}");
    }
    assert!(!text.contains("<script>"), "{text}");
    // The hostile alert row still has exactly the table's four column pipes.
    let row = text
        .lines()
        .find(|line| line.starts_with("| Errors"))
        .expect("the alert row");
    let unescaped = row
        .char_indices()
        .filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\'))
        .count();
    assert_eq!(unescaped, 4, "{row}");
    assert!(row.contains("\\*more\\* than \\_1 %\\_"), "{row}");
}

#[test]
fn hostile_text_is_escaped_in_jira_markup() {
    let text = ticket("tests/fixtures/render/hostile.yaml", "jira");
    for escaped in [
        "\\{noformat\\}",
        "\\[text\\|https://evil.example\\]",
        "\\!\\[img\\](x.png)",
        "C:&#92;&#92;path&#92;&#92;to",
        "&amp;copy;",
        "\\-\\-\\-\\-",
        "h2\\. not a Jira heading",
        "bq\\. not a Jira quote",
    ] {
        assert!(text.contains(escaped), "missing {escaped:?} in\n{text}");
    }
    let row = text
        .lines()
        .find(|line| line.starts_with("|Errors"))
        .expect("the alert row");
    assert_eq!(
        row,
        "|Errors \\| 5xx \\{code\\} \\[link\\|https://evil.example\\] <b>bold</b>|\\*more\\* than \\_1 %\\_ of \\-requests\\- \\^5\\^ \\~min\\~ \\?\\?cite\\?\\? &#92;&#92; break|h1\\. On-call \\| #ops \\!alert.png\\!|"
    );
    // No line of user text can start a heading or a quote, and only a numbered step (written
    // `1. `) a numbered list.
    assert!(
        text.contains("\n# not a list either; \\{noformat\\}"),
        "{text}"
    );
    for line in text.lines() {
        assert!(
            !line.starts_with("h2. not")
                && !line.starts_with("bq. ")
                && (!line.starts_with("# ") || line.starts_with("# not a list either")),
            "{line}"
        );
    }
}

#[test]
fn lint_errors_stop_the_ticket_unless_forced() {
    let (code, stdout, stderr) = render("examples/invalid/recovery.yaml", &[]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "no ticket: {stdout}");
    assert!(stderr.contains("error[CF501]"), "{stderr}");
    assert!(
        stderr
            .contains("not rendering the ticket: examples/invalid/recovery.yaml has 2 lint errors"),
        "{stderr}"
    );

    for (flavor, banner) in [
        (
            "markdown",
            "> **NOT READY: do not submit this ticket as it is.** `cfready lint` reports 2 errors and 1 warning",
        ),
        (
            "jira",
            "{warning:title=NOT READY: do not submit this ticket as it is}",
        ),
    ] {
        let (code, stdout, _) = render(
            "examples/invalid/recovery.yaml",
            &["--force", "--flavor", flavor],
        );
        assert_eq!(code, 1, "still not ready");
        assert!(stdout.starts_with(banner), "{stdout}");
        assert!(stdout.contains("Acme Timesheets for Jira"), "{stdout}");
    }
}

#[test]
fn force_on_a_questionnaire_with_schema_errors_marks_the_gaps() {
    let (code, stdout, stderr) = render("examples/invalid/missing-answers.yaml", &["--force"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.starts_with("> **NOT READY"), "{stdout}");
    assert!(stdout.contains("_(not answered)_"), "{stdout}");
}

#[test]
fn a_file_that_is_not_a_questionnaire_is_an_error() {
    let (code, stdout, stderr) = render("tests/fixtures/bad-input/empty.yaml", &["--force"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("error[CF005]"), "{stderr}");
}

#[test]
fn templates_can_be_overridden_by_name() {
    let dir = tempfile::tempdir().unwrap();
    // Override only the Markdown building blocks: the body and the entry template stay.
    let markup = cfready::ticket::render::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "markup.md.j2")
        .unwrap()
        .1
        .replace(
            "{% macro h2(text) %}## {{ text }}{% endmacro %}",
            "{% macro h2(text) %}## {{ text|upper }} ##{% endmacro %}",
        );
    std::fs::write(dir.path().join("markup.md.j2"), markup).unwrap();
    let (code, stdout, stderr) = render(
        "examples/acme-timesheets.yaml",
        &["--templates", dir.path().to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("## BASE URLS AND HEALTH CHECK ##"),
        "{stdout}"
    );
    assert!(stdout.contains("### Scaling factors"), "{stdout}");
}

#[test]
fn a_broken_template_is_a_clear_error() {
    for (name, source, expected) in [
        (
            "ticket.md.j2",
            "{% import \"markup.md.j2\" as m %}\n{{ m.h1(app.nmae) }}\n",
            "error: template `ticket.md.j2` line 2: `app.nmae` is not defined; did you mean `app.name`?",
        ),
        (
            "ticket.md.j2",
            "# {{ app.name }}\n{% if %}\n",
            "error: template `ticket.md.j2` line 2: syntax error",
        ),
        (
            "markup.md.j2",
            "{% macro h1(text) %}# {{ text }{% endmacro %}\n",
            "error: template `markup.md.j2` line 1: syntax error",
        ),
        (
            "ticket.md.j2",
            "{{ app.name|nonsense }}\n",
            "error: template `ticket.md.j2` line 1: unknown filter",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), source).unwrap();
        let (code, stdout, stderr) = render(
            "examples/acme-timesheets.yaml",
            &["--templates", dir.path().to_str().unwrap()],
        );
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

#[test]
fn output_files_are_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ticket.md");
    let out_text = out.to_str().unwrap();

    let (code, stdout, stderr) = render("examples/acme-timesheets.yaml", &["-o", out_text]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "the ticket goes to the file: {stdout}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, ticket("examples/acme-timesheets.yaml", "markdown"));

    // A template that fails half-way: the old file stays as it was, and no temporary file
    // is left beside it.
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("ticket.md.j2"),
        "# {{ app.name }}\n{% for i in range(1000) %}line {{ i }}\n{% endfor %}{{ app.missing }}\n",
    )
    .unwrap();
    let (code, _, stderr) = render(
        "examples/acme-timesheets.yaml",
        &[
            "-o",
            out_text,
            "--templates",
            templates.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["ticket.md"]);

    // Lint errors: nothing is written either.
    let fresh = dir.path().join("fresh.md");
    let (code, ..) = render(
        "examples/invalid/recovery.yaml",
        &["-o", fresh.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(!fresh.exists());
}

#[test]
fn the_questionnaire_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = dir.path().join("cloud-fortified.yaml");
    std::fs::copy(
        super::root().join("examples/acme-timesheets.yaml"),
        &questionnaire,
    )
    .unwrap();
    let before = std::fs::read(&questionnaire).unwrap();
    let path = questionnaire.to_str().unwrap();
    let (code, _, stderr) = render(path, &["-o", path]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is the questionnaire itself; cfready never modifies its input"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&questionnaire).unwrap(), before);
}

/// Found by the `lint` fuzz target: `--force` on a questionnaire whose durations are
/// malformed (`2 hours`) stopped with a template error instead of showing them as written.
#[test]
fn force_renders_every_invalid_example() {
    for file in super::files_in(std::path::Path::new("examples/invalid")) {
        let path = super::relative(&file);
        let (code, stdout, stderr) = render(&path, &["--force"]);
        if path.ends_with("yaml-syntax.yaml") || path.ends_with("duplicate-keys.yaml") {
            // Not a questionnaire at all: nothing to render.
            assert_eq!(code, 1, "{path}: {stderr}");
            assert!(stdout.is_empty(), "{path}");
            continue;
        }
        // Warnings only (exit 0) render plainly; errors (exit 1) under the banner; a
        // template error (exit 2) is the bug this test guards against.
        assert!(code == 0 || code == 1, "{path}: exit {code}: {stderr}");
        assert_eq!(stdout.starts_with("> **NOT READY"), code == 1, "{path}");
    }
    let (_, stdout, _) = render("examples/invalid/schema-mistakes.yaml", &["--force"]);
    assert!(
        stdout.contains("Typically 2 hours."),
        "shown as written: {stdout}"
    );
}

/// Found by the `lint` fuzz target: `app:` left empty (null where a mapping is required)
/// made `--force` fail on `app.name` instead of marking the gaps.
#[test]
fn force_renders_a_questionnaire_whose_sections_are_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty-sections.yaml");
    std::fs::write(&path, "version: 1\napp:\n+ name: z\"Ac,e").unwrap();
    let (code, stdout, stderr) = render(path.to_str().unwrap(), &["--force"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.starts_with("> **NOT READY"), "{stdout}");
    assert!(stdout.contains("**App:** _(not answered)_"), "{stdout}");
}

/// The text a reader sees in the Markdown ticket, block by block: parsed by a CommonMark
/// parser (with GFM tables and task lists), so escapes are undone the way a renderer undoes
/// them and list markers are gone. Each block (paragraph, list item, heading, table cell) is
/// one string.
fn markdown_blocks(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut blocks = vec![String::new()];
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(text) | Event::Code(text) => blocks.last_mut().unwrap().push_str(&text),
            Event::SoftBreak | Event::HardBreak => blocks.last_mut().unwrap().push(' '),
            Event::Start(Tag::Paragraph | Tag::Item | Tag::Heading { .. } | Tag::TableCell)
            | Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell,
            ) => blocks.push(String::new()),
            _ => {}
        }
    }
    blocks
        .into_iter()
        .map(|block| fold(&block))
        .filter(|block| !block.is_empty())
        .collect()
}

/// The text a reader sees in the Jira ticket: escapes and entities undone (`\{` is `{`,
/// `&#92;` is `\`, `&amp;` is `&`) and the line-start markers (`* `, `h2. `) dropped.
fn jira_text(jira: &str) -> String {
    let mut out = String::new();
    for line in jira.lines() {
        let mut line = line.trim_start();
        for marker in ["* ", "# ", "h1. ", "h2. ", "h3. ", "h4. "] {
            line = line.strip_prefix(marker).unwrap_or(line);
        }
        let line = line.replace("&#92;", "\u{0}").replace("&amp;", "&");
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some(next)) if next.is_ascii_punctuation() => {}
                ('\u{0}', _) => out.push('\\'),
                (c, _) => out.push(c),
            }
        }
        out.push(' ');
    }
    fold(&out)
}

/// Whitespace folded to single spaces.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The list marker a line of an answer starts with (`- `, `* `, `1. `, `12) `): the ticket
/// shows the item without it.
fn list_marker(line: &str) -> Option<&str> {
    if line.starts_with("- ") || line.starts_with("* ") {
        return Some(&line[..2]);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    ((1..=3).contains(&digits) && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then(|| &line[..digits + 2])
}

/// The ways a ticket may show a string the partner wrote: as written, as a label
/// (`extended-hours` is "Extended hours"), as a duration in words (`4h` is "4 hours") or as
/// a frequency ("every hour"); a multi-line answer without its list markers.
fn shown_as(text: &str) -> Vec<String> {
    use cfready::ticket::render::{every, label, words};
    let as_written: Vec<&str> = text
        .lines()
        .map(|line| {
            let line = line.trim();
            list_marker(line).map_or(line, |marker| &line[marker.len()..])
        })
        .collect();
    let mut forms = vec![fold(&as_written.join(" ")), label(text)];
    forms.extend(words(text));
    forms.extend(every(text));
    forms
}

/// A key added to the schema later cannot silently fall out of the ticket: every string the
/// partner wrote, in the example and in each render fixture, is in both flavors.
#[test]
fn every_string_the_partner_wrote_is_in_both_flavors() {
    let mut files = vec![super::root().join("examples/acme-timesheets.yaml")];
    files.extend(super::files_in(
        &super::root().join("tests/fixtures/render"),
    ));
    files.extend(super::files_in(&super::root().join("tests/corpus/ready")));
    let mut checked = 0;
    for file in &files {
        let name = super::relative(file);
        let bytes = std::fs::read(file).unwrap();
        let document = cfready::ticket::load::load(&name, &bytes)
            .document
            .unwrap_or_else(|_| panic!("{name} loads"));
        let (_, markdown, stderr) = render(&name, &["--force", "--flavor", "markdown"]);
        assert!(!markdown.is_empty(), "{name}: {stderr}");
        let markdown = markdown_blocks(&markdown).join(" ");
        let (_, jira, stderr) = render(&name, &["--force", "--flavor", "jira"]);
        assert!(!jira.is_empty(), "{name}: {stderr}");
        let jira = jira_text(&jira);
        cfready::ticket::load::for_each_string(&document.value, &mut |pointer, text| {
            let forms = shown_as(text);
            for (flavor, ticket) in [("markdown", &markdown), ("jira", &jira)] {
                assert!(
                    forms.iter().any(|form| ticket.contains(form.as_str())),
                    "{name}: {pointer} ({text:?}) is not in the {flavor} ticket"
                );
            }
            checked += 1;
        });
    }
    assert!(checked > 100, "{checked} strings");
}

/// Each field of the Markdown ticket is its own element once rendered: no paragraph or list
/// item carries two `**Name:**` labels (consecutive lines of one paragraph are joined by
/// every CommonMark renderer), and the header and contacts are list items.
#[test]
fn markdown_fields_survive_rendering_as_elements_of_their_own() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    for file in [
        "examples/acme-timesheets.yaml",
        "tests/fixtures/render/business-hours.yaml",
        "tests/fixtures/render/no-data.yaml",
        "tests/fixtures/render/out-of-hours.yaml",
    ] {
        let (_, markdown, stderr) = render(file, &["--force", "--flavor", "markdown"]);
        assert!(!markdown.is_empty(), "{stderr}");
        let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
        let (mut labels, mut in_strong, mut strong) = (0, false, String::new());
        let mut tasks = 0;
        for event in Parser::new_ext(&markdown, options) {
            match event {
                Event::Start(Tag::Paragraph | Tag::Item) | Event::End(TagEnd::Item) => labels = 0,
                Event::Start(Tag::Strong) => (in_strong, strong) = (true, String::new()),
                Event::Text(text) if in_strong => strong.push_str(&text),
                Event::End(TagEnd::Strong) => {
                    in_strong = false;
                    if strong.ends_with(':') {
                        labels += 1;
                        assert!(
                            labels < 2,
                            "{file}: `{strong}` shares its element:\n{markdown}"
                        );
                    }
                }
                Event::TaskListMarker(_) => tasks += 1,
                _ => {}
            }
        }
        assert_eq!(tasks, 3, "{file}: the three final-step confirmations");
        let blocks = markdown_blocks(&markdown);
        for field in [
            "App: ",
            "App key: ",
            "Partner: ",
            "Framework: ",
            "Products: ",
        ] {
            assert_eq!(
                blocks.iter().filter(|b| b.starts_with(field)).count(),
                1,
                "{file}: `{field}` is not an element of its own: {blocks:#?}"
            );
        }
    }
    let (_, markdown, _) = render("examples/acme-timesheets.yaml", &[]);
    let blocks = markdown_blocks(&markdown);
    for expected in [
        "App: Acme Timesheets for Jira",
        "App key: com.acme.timesheets",
        "Framework: Connect",
        "SLO-breach notifications: reliability@acme.example",
    ] {
        assert!(
            blocks.iter().any(|b| b == expected),
            "`{expected}` is not one element: {blocks:#?}"
        );
    }
}

#[test]
fn the_final_steps_show_each_confirmation_as_checked_or_open() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(super::root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replace(
            "developer_console_verified: true",
            "developer_console_verified: false",
        );
    let path = dir.path().join("open.yaml");
    std::fs::write(&path, example).unwrap();
    let file = path.to_str().unwrap();
    let (_, markdown, stderr) = render(file, &["--force", "--flavor", "markdown"]);
    assert!(
        markdown.contains("- [x] We are familiar with Atlassian's incident management process."),
        "{markdown}{stderr}"
    );
    // An open post-access step says when it is confirmed; a done one does not.
    assert!(
        markdown.contains("- [ ] We have validated our access to the developer console, and its metrics match our expectations. To be confirmed once Atlassian has granted access.\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- [x] We receive the email notifications when SLIs breach their SLOs (at reliability@acme.example).\n"),
        "{markdown}"
    );
    assert_eq!(
        markdown
            .matches("once Atlassian has granted access")
            .count(),
        1
    );
    let (_, jira, _) = render(file, &["--force", "--flavor", "jira"]);
    assert!(jira.contains("* (/) We are familiar with"), "{jira}");
    // An open step is an empty box, not Jira's red cross `(x)` that reads as "failed".
    assert!(jira.contains("* ☐ We have validated our access"), "{jira}");
    assert!(!jira.contains("(x)"), "{jira}");
    assert!(
        jira.contains("expectations. To be confirmed once Atlassian has granted access.\n"),
        "{jira}"
    );
}

#[test]
fn out_of_hours_paging_is_in_both_flavors() {
    let (code, markdown, stderr) = render("tests/fixtures/render/out-of-hours.yaml", &[]);
    assert_eq!(code, 0, "{stderr}");
    let blocks = markdown_blocks(&markdown);
    for expected in [
        "Coverage: Extended hours, Mon-Fri 07:00-22:00, Sat-Sun 09:00-17:00 (Australia/Sydney)",
        "Outside these hours: alerts page the on-call engineer, acknowledged within 20 minutes.",
    ] {
        assert!(
            blocks.iter().any(|b| b == expected),
            "`{expected}` is not one element: {blocks:#?}"
        );
    }
    let (code, jira, stderr) = render(
        "tests/fixtures/render/out-of-hours.yaml",
        &["--flavor", "jira"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        jira.contains("\n\n*Outside these hours:* alerts page the on-call engineer, acknowledged within 20 minutes.\n\nh4. How responders are notified\n\nAlerts page"),
        "{jira}"
    );
}

/// Every rendered ticket (the example, each render fixture, each invalid example with
/// `--force`) in both flavors: never two blank lines in a row, and the notification answer
/// under a heading of its own, not an unlabelled paragraph after the out-of-hours field.
#[test]
fn availability_and_notification_are_each_labelled_without_stray_blank_lines() {
    let mut files = vec![super::root().join("examples/acme-timesheets.yaml")];
    files.extend(super::files_in(std::path::Path::new(
        "tests/fixtures/render",
    )));
    files.extend(super::files_in(std::path::Path::new("examples/invalid")));
    for file in &files {
        let name = super::relative(file);
        for flavor in ["markdown", "jira"] {
            let (_, text, _) = render(&name, &["--force", "--flavor", flavor]);
            assert!(
                !text.contains("\n\n\n"),
                "{name} {flavor}: two blank lines in a row:\n{text}"
            );
        }
    }
    let (_, markdown, _) = render("tests/fixtures/render/out-of-hours.yaml", &[]);
    let blocks = markdown_blocks(&markdown);
    let at = |block: &str| {
        blocks
            .iter()
            .position(|b| b == block)
            .unwrap_or_else(|| panic!("`{block}` is not one element: {blocks:#?}"))
    };
    let heading = at("How responders are notified");
    assert_eq!(
        at(
            "Outside these hours: alerts page the on-call engineer, acknowledged within 20 minutes."
        ),
        heading - 1
    );
    assert!(blocks[heading + 1].starts_with("Alerts page the on-call engineer through PagerDuty"));
    assert!(
        markdown.contains("**Outside these hours:** alerts page"),
        "{markdown}"
    );
}

/// The base URLs are listed as base URLs, each with its health check URL; without a health
/// path (`--force` on a Connect app that lacks one) they are still listed, and the ticket says
/// that there is no health check URL.
#[test]
fn the_base_urls_are_listed_with_the_health_check_url_of_each() {
    let (_, markdown, _) = render("examples/acme-timesheets.yaml", &[]);
    let blocks = markdown_blocks(&markdown);
    for base in [
        "https://timesheets.acme.example",
        "https://eu.timesheets.acme.example",
    ] {
        let expected = format!("{base}: health check URL {base}/healthcheck");
        assert!(blocks.contains(&expected), "`{expected}` in {blocks:#?}");
    }
    let (_, jira, _) = render("examples/acme-timesheets.yaml", &["--flavor", "jira"]);
    assert!(
        jira.contains("\n* [https://eu.timesheets.acme.example]: health check URL [https://eu.timesheets.acme.example/healthcheck]\n"),
        "{jira}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-health-path.yaml");
    let text = std::fs::read_to_string(super::root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replace("    path: /healthcheck\n", "");
    std::fs::write(&path, text).unwrap();
    let (_, markdown, stderr) = render(path.to_str().unwrap(), &["--force"]);
    let blocks = markdown_blocks(&markdown);
    assert!(
        blocks.contains(&"https://timesheets.acme.example".to_owned()),
        "{blocks:#?}{stderr}"
    );
    assert!(
        blocks.contains(&"This Connect app has no health check URL.".to_owned()),
        "{blocks:#?}"
    );
    assert!(!markdown.contains("monitor requests"), "{markdown}");
}

/// Prose for the scalar-style property: numbered (`P<n>` opens it, so its place in the ticket
/// is unique), one to four lines, each a few words drawn from the ones YAML reads as syntax
/// (`#`, `: `, quotes, brackets, `&`, `*`) and from Unicode, some lines list items.
fn prose(n: usize, random: &mut impl FnMut(usize) -> usize) -> String {
    const WORDS: &[&str] = &[
        "alerts",
        "go",
        "to",
        "the",
        "engineer",
        "#ops",
        "on",
        "Slack",
        "Sev 1:",
        "key: value",
        "\"quoted\"",
        "'single'",
        "O'Brien",
        "Zürich",
        "東京",
        "naïve",
        "—",
        "✓",
        "50%",
        "p95 < 500 ms",
        "a & b",
        "C#",
        "issue#42",
        "#inc-42",
        "[link]",
        "{x}",
        "*stars*",
        "_under_",
        "`tick`",
        "back\\slash",
        "~tilde~",
        "|pipe|",
        "@here",
        "!bang",
        "&amp;",
        "100 %",
        "-dash-",
        "x:y",
        "?",
        "% of",
        "=",
        ">",
        "<b>",
    ];
    let lines = 1 + random(4);
    let mut out = Vec::new();
    for line in 0..lines {
        let mut words = vec![if line == 0 {
            format!("P{n}")
        } else {
            "then".to_owned()
        }];
        for _ in 0..2 + random(6) {
            words.push(WORDS[random(WORDS.len())].to_owned());
        }
        let mut text = words.join(" ");
        if random(5) == 0 {
            text.push(':');
        } else {
            text.push('.');
        }
        if line > 0 && random(2) == 0 {
            text = format!("- {text}");
        }
        out.push(text);
    }
    out.join("\n")
}

/// `prose` written as the value of `customer_communication` in a scalar style, two spaces
/// deeper than the key. Styles that fold lines (plain, quoted) get a blank line between
/// lines, which YAML reads as one line break.
fn written(prose: &str, style: &str) -> String {
    let lines: Vec<&str> = prose.lines().collect();
    let indent = |lines: &[String]| {
        lines
            .iter()
            .map(|line| {
                if line.is_empty() {
                    String::new()
                } else {
                    format!("    {line}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let spaced = |lines: Vec<String>| lines.join("\n\n");
    match style {
        "literal" => format!(
            " |\n{}\n",
            indent(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>())
        ),
        "folded" => format!(
            " >\n{}\n",
            indent(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>())
        ),
        "double" => format!(" {}\n", serde_json::Value::String(prose.to_owned())),
        "single" => {
            let quoted: Vec<String> = lines.iter().map(|l| l.replace('\'', "''")).collect();
            let text = spaced(quoted);
            format!(" '{}'\n", text.replace("\n\n", "\n\n    "))
        }
        _ => {
            let text = spaced(lines.iter().map(|l| l.to_string()).collect());
            format!(" {}\n", text.replace("\n\n", "\n\n    "))
        }
    }
}

/// Whether `shown` carries every word of `prose`, in order (list markers at a line's start
/// aside: the ticket shows items as a list).
fn carries(shown: &str, prose: &str) -> bool {
    let mut at = 0;
    for line in prose.lines() {
        let line = line.trim();
        let line = list_marker(line).map_or(line, |marker| &line[marker.len()..]);
        for word in line.split_whitespace() {
            match shown[at..].find(word) {
                Some(found) => at += found + word.len(),
                None => return false,
            }
        }
    }
    true
}

/// Issue 32: every character the partner wrote reaches the ticket. Prose with `#`, `: `,
/// quotes, list lines and Unicode, written in each of YAML's five scalar styles, either loads
/// with every word and shows every word in both flavors, or gets a finding that says what YAML
/// did to it (CF003, CF104), and then the finding's fix brings every word back.
#[test]
fn prose_in_every_scalar_style_reaches_both_ticket_flavors_or_is_a_finding() {
    use cfready::diagnostic::Applicability;
    use cfready::ticket::lint::{LintOptions, lint_bytes};
    use cfready::ticket::render::{Flavor, RenderOptions, ticket};
    let example =
        std::fs::read_to_string(super::root().join("examples/acme-timesheets.yaml")).unwrap();
    let answer = example.find("  customer_communication: |").unwrap();
    let after = answer + example[answer..].find("  status_page:").unwrap();
    let options = LintOptions {
        today: cfready::date::Date::parse(super::TODAY).unwrap(),
        ..LintOptions::default()
    };
    // A fixed generator: the same 60 proses every run.
    let mut state: u64 = 0x5eed_3232;
    let mut random = move |below: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % below
    };
    let (mut shown, mut found, mut fixed) = (0, 0, 0);
    for n in 0..60 {
        let prose = prose(n, &mut random);
        for style in ["plain", "single", "double", "literal", "folded"] {
            let text = format!(
                "{}  customer_communication:{}{}",
                &example[..answer],
                written(&prose, style),
                &example[after..]
            );
            let report = lint_bytes("p.yaml", text.as_bytes(), &options);
            let traps: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == "CF003" || d.code == "CF104")
                .collect();
            let value = report.document.as_ref().and_then(|d| {
                d.value["incident_management"]["customer_communication"]
                    .as_str()
                    .map(str::to_owned)
            });
            let loaded = value.as_deref().is_some_and(|value| carries(value, &prose));
            assert!(
                loaded || !traps.is_empty(),
                "{style}: words were lost without a finding:\n{prose}\nread as {value:?}"
            );
            if !traps.is_empty() {
                // Only what YAML reads as syntax is a trap: quotes and blocks never are.
                assert_eq!(style, "plain", "{prose}: {traps:?}");
                found += 1;
                let repaired = cfready::ticket::fix::fix_bytes(
                    "p.yaml",
                    text.as_bytes(),
                    &options,
                    Applicability::Unsafe,
                );
                let value = repaired.report.document.as_ref().and_then(|d| {
                    d.value["incident_management"]["customer_communication"]
                        .as_str()
                        .map(str::to_owned)
                });
                assert!(
                    value.as_deref().is_some_and(|value| carries(value, &prose)),
                    "the fix of {:?} does not bring back\n{prose}\nread as {value:?}",
                    traps[0].message
                );
                fixed += 1;
                continue;
            }
            let value = &report.document.as_ref().unwrap().value;
            for flavor in [Flavor::Markdown, Flavor::Jira] {
                let rendered = ticket(
                    value,
                    &RenderOptions {
                        flavor,
                        templates: None,
                        not_ready: None,
                    },
                )
                .unwrap();
                let read = match flavor {
                    Flavor::Markdown => markdown_blocks(&rendered).join(" "),
                    Flavor::Jira => jira_text(&rendered),
                };
                let from = read.find(&format!("P{n} ")).unwrap_or_else(|| {
                    panic!("{style} {flavor:?}: P{n} is not in the ticket:\n{rendered}")
                });
                assert!(
                    carries(&read[from..], &prose),
                    "{style} {flavor:?}: the ticket does not carry\n{prose}\nin\n{read}"
                );
            }
            shown += 1;
        }
    }
    eprintln!("prose: {shown} shown in both flavors, {found} findings, {fixed} fixed");
    // Not vacuous: most ways of writing it reach the ticket, and plain text falls into traps.
    assert!(
        shown >= 200 && found >= 20,
        "{shown} shown, {found} findings"
    );
}

/// The ticket states the SLO-breach address and nothing about it that cfready did not check:
/// CF206 only tells when an address looks like a person's, so no ticket calls one shared.
#[test]
fn the_ticket_claims_nothing_unchecked_about_the_slo_breach_address() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::fs::read_to_string(super::root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replace(
            "slo_alerts: reliability@acme.example",
            "slo_alerts: jane.doe@acme.example",
        );
    let path = dir.path().join("personal.yaml");
    std::fs::write(&path, example).unwrap();
    let file = path.to_str().unwrap();
    for (file, address) in [
        (file, "jane.doe@acme.example"),
        ("examples/acme-timesheets.yaml", "reliability@acme.example"),
    ] {
        let (code, markdown, stderr) = render(file, &[]);
        assert_eq!(code, 0, "{stderr}");
        let blocks = markdown_blocks(&markdown);
        let line = format!("SLO-breach notifications: {address}");
        assert!(blocks.contains(&line), "`{line}`: {blocks:#?}");
        let (_, jira, _) = render(file, &["--flavor", "jira"]);
        assert!(
            jira.contains(&format!("* *SLO-breach notifications:* {address}\n")),
            "{jira}"
        );
        for ticket in [&markdown, &jira] {
            assert!(!ticket.to_lowercase().contains("shared"), "{ticket}");
        }
    }
}
