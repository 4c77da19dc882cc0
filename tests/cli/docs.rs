//! Documentation that matches behaviour: every man page the man pages name exists.

use super::{cfready, run};

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
