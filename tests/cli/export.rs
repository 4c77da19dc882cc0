//! `cfready export prometheus`: stable files from the questionnaire and the program's numbers,
//! nothing written for a questionnaire with nothing to probe. (scripts/prometheus-proofs.sh
//! runs promtool and a real blackbox_exporter on the output.)

use super::{cfready, root, run};

fn export(files: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    run(cfready()
        .args(["export", "prometheus"])
        .args(files)
        .args(["-o", dir.to_str().unwrap()]))
}

fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_export_is_atlassians_monitor_and_byte_identical_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    let (code, _, stderr) = export(&["examples/acme-timesheets.yaml"], &first);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(export(&["examples/acme-timesheets.yaml"], &second).0, 0);
    let mut names: Vec<String> = std::fs::read_dir(&first)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "README.md",
            "blackbox.yml",
            "prometheus.yml",
            "rules.slo.test.yml",
            "rules.test.yml",
            "rules.yml"
        ]
    );
    for name in &names {
        assert_eq!(read(&first, name), read(&second, name), "{name}");
    }
    let blackbox = read(&first, "blackbox.yml");
    for expected in [
        "timeout: 3s",
        "method: GET",
        "valid_status_codes: [200]",
        "follow_redirects: false",
        "preferred_ip_protocol: ip4",
        "ip_protocol_fallback: true",
        concat!(
            "User-Agent: \"cfready/",
            env!("CARGO_PKG_VERSION"),
            " (Cloud Fortified health check probe)\""
        ),
    ] {
        assert!(blackbox.contains(expected), "{expected}\n{blackbox}");
    }
    // blackbox_exporter 0.19.0 replaced `no_follow_redirects` (0.23.0 logs it as deprecated).
    assert!(!blackbox.contains("no_follow_redirects:"), "{blackbox}");
    let readme = read(&first, "README.md");
    assert!(
        readme.contains("start blackbox_exporter 0.19.0 or later"),
        "{readme}"
    );
    // The Alertmanager example sends to the questionnaire's own SLO-breach mailbox.
    assert!(
        readme.contains("      - to: \"reliability@acme.example\"\n"),
        "{readme}"
    );
    let scrape = read(&first, "prometheus.yml");
    assert!(scrape.contains("scrape_interval: 60s"), "{scrape}");
    assert!(scrape.contains("- targets: [\"https://timesheets.acme.example/healthcheck\"]"));
    assert!(scrape.contains("app_key: \"com.acme.timesheets\""));
    assert!(scrape.contains("base_url: \"https://eu.timesheets.acme.example\""));
    let rules = read(&first, "rules.yml");
    for expected in [
        "min_over_time(probe_success{job=\"cloud_fortified\"}[15m])) == 0",
        "> 0.0144 and",
        "> 0.006 and",
        "cloud_fortified:probe_success:avg28d < 0.999",
        "severity: ticket",
    ] {
        assert!(rules.contains(expected), "{expected}\n{rules}");
    }
}

#[test]
fn several_apps_share_the_files_in_a_stable_order() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.yaml");
    let text = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replace("key: com.acme.timesheets", "key: com.acme.approvals")
        .replace("timesheets.acme.example", "approvals.acme.example");
    std::fs::write(&other, text).unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let other = other.to_str().unwrap();
    assert_eq!(export(&["examples/acme-timesheets.yaml", other], &one).0, 0);
    assert_eq!(export(&[other, "examples/acme-timesheets.yaml"], &two).0, 0);
    let scrape = read(&one, "prometheus.yml");
    assert_eq!(
        scrape,
        read(&two, "prometheus.yml"),
        "the order of the files does not matter"
    );
    assert_eq!(scrape.matches("- targets:").count(), 4);
    let approvals = scrape.find("com.acme.approvals").unwrap();
    assert!(approvals < scrape.find("com.acme.timesheets").unwrap());
}

#[test]
fn nothing_to_probe_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let forge = dir.path().join("forge.yaml");
    let text = std::fs::read_to_string(root().join("examples/acme-timesheets.yaml"))
        .unwrap()
        .replace("framework: connect", "framework: forge");
    let text = text
        .lines()
        .filter(|line| {
            !line.starts_with("    - https://") || !line.contains("timesheets.acme.example")
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace("  base_urls:\n", "");
    std::fs::write(&forge, text).unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = export(
        &["examples/acme-timesheets.yaml", forge.to_str().unwrap()],
        &out,
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("error[CF715]"), "{stdout}");
    assert!(stderr.contains("nothing exported"), "{stderr}");
    assert!(!out.exists(), "no file is written");
    // No staging folder is left behind either.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

/// `--help` names every file the export writes, and says how many (it once said five of six).
#[test]
fn the_help_names_every_file_written() {
    let (code, help, _) = run(cfready().args(["export", "--help"]));
    assert_eq!(code, 0);
    let (_, prometheus_help, _) = run(cfready().args(["export", "prometheus", "--help"]));
    let count = ["one", "two", "three", "four", "five", "six", "seven"]
        [cfready::badge::export::FILES.len() - 1];
    for name in cfready::badge::export::FILES {
        assert!(help.contains(name), "{name} is not in\n{help}");
    }
    assert!(help.contains(&format!("Writes {count} files")), "{help}");
    assert!(
        prometheus_help.contains(&format!("the export's {count} files")),
        "{prometheus_help}"
    );
}
