//! Hostile inputs, generated at test time (nothing huge is committed): each must end with exit
//! 1 or 2 and a diagnostic, under a memory limit, in every output format.
//!
//! The bounds are for what only a fault crosses, never for a slow or busy machine: CPU time
//! with `ulimit -t` (a loop that never ends), memory with `ulimit -v` (a runaway allocation
//! aborts the process and fails the test), and a wall-clock watchdog far beyond both for a
//! process that waits on something forever (stdin is closed). How long each case takes is a
//! benchmark's business: `scripts/bench-cold.sh` times them on a release build.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

/// CPU seconds a case may use (`ulimit -t`). A debug build takes about 3 s of CPU for the
/// worst case, and another busy process does not add to this process's CPU time.
const CPU_LIMIT_SECONDS: u64 = 60;

/// A process still running after this much wall time is waiting on something: killed, and the
/// test fails. Only a hang gets near it.
const WATCHDOG: Duration = Duration::from_secs(600);

/// Virtual memory for the whole process, in KiB (`ulimit -v`).
const MEMORY_LIMIT_KIB: u64 = 512 * 1024;

/// A small deterministic generator (xorshift64*), so "random" bytes are the same every run.
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

fn alias_bomb() -> Vec<u8> {
    let mut text = String::from("version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..=9 {
        let previous = format!("*a{}", level - 1);
        let list = [previous.as_str(); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{list}]\n"));
    }
    text.push_str("app: *a9\n");
    text.into_bytes()
}

fn deep_flow_nesting(depth: usize) -> Vec<u8> {
    format!(
        "version: 1\napp: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
    .into_bytes()
}

fn deep_block_nesting(depth: usize) -> Vec<u8> {
    let mut text = String::from("version: 1\n");
    for level in 0..depth {
        text.push_str(&" ".repeat(level));
        text.push_str("k:\n");
    }
    text.into_bytes()
}

fn many_keys(count: usize) -> Vec<u8> {
    let mut text = String::from("version: 1\napp:\n");
    for index in 0..count {
        text.push_str(&format!("  key{index}: {index}\n"));
    }
    text.into_bytes()
}

fn long_key(len: usize) -> Vec<u8> {
    format!("version: 1\n{}: 1\n", "k".repeat(len)).into_bytes()
}

fn long_line(len: usize) -> Vec<u8> {
    let words = "lorem ipsum dolor sit amet ".repeat(len / 27 + 1);
    format!(
        "version: 1\nscalability:\n  testing: \"{}\"\n",
        &words[..len]
    )
    .into_bytes()
}

fn huge_sequence(count: usize) -> Vec<u8> {
    let mut text = String::from("version: 1\napp:\n  products:\n");
    for _ in 0..count {
        text.push_str("    - jira\n");
    }
    text.into_bytes()
}

/// The example with a NUL byte in the middle of an answer.
fn with_nul() -> Vec<u8> {
    let example = std::fs::read(super::root().join("examples/acme-timesheets.yaml")).unwrap();
    let middle = example.len() / 2;
    [&example[..middle], b"\0", &example[middle..]].concat()
}

/// The inputs that end quickly; the two large ones have tests of their own, so that the test
/// threads share the work.
fn cases() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("alias bomb (10^10 values)", alias_bomb()),
        ("10,000-deep flow nesting", deep_flow_nesting(10_000)),
        ("10,000-deep block nesting", deep_block_nesting(10_000)),
        ("50 MB file", vec![b'#'; 50 * 1024 * 1024]),
        ("1 MB single line", long_line(1024 * 1024)),
        ("NUL byte", with_nul()),
        (
            "random bytes",
            random_bytes(256 * 1024, 0x9E37_79B9_7F4A_7C15),
        ),
        (
            "invalid UTF-8",
            b"version: 1\napp:\n  name: caf\xe9\n".to_vec(),
        ),
        ("a 1 MB key", long_key(1024 * 1024)),
    ]
}

/// Run `cfready ARGS FILE` under the CPU and memory limits, stdin closed, with the watchdog;
/// (exit code, stdout, stderr). A process killed by a limit has no exit code and fails its
/// case with what killed it.
fn run_limited(args: &[&str], file: &std::path::Path) -> (i32, String, String) {
    let binary = std::process::Command::cargo_bin("cfready").expect("the binary is built");
    let program = binary.get_program().to_owned();
    let out = tempfile::tempdir().unwrap();
    let (stdout_path, stderr_path) = (out.path().join("stdout"), out.path().join("stderr"));
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -t {CPU_LIMIT_SECONDS} && ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(program)
        .args(args)
        .arg(file)
        .env("NO_COLOR", "1")
        .env("CFREADY_TODAY", super::TODAY)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("sh runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("cfready {args:?} hung: still running after {WATCHDOG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |path| String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let (stdout, stderr) = (read(&stdout_path), read(&stderr_path));
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        panic!(
            "cfready {args:?} was killed by signal {signal} (SIGXCPU 24 or SIGKILL 9: more than \
             {CPU_LIMIT_SECONDS} s of CPU; SIGABRT 6: over the memory limit)\n{stderr}"
        );
    }
    (status.code().unwrap_or(-1), stdout, stderr)
}

#[test]
fn hostile_inputs_end_with_a_diagnostic_within_the_limits() {
    for (name, bytes) in cases() {
        check(name, &bytes);
    }
}

#[test]
fn twenty_thousand_unknown_keys_end_with_a_diagnostic_within_the_limits() {
    check("20,000 unknown keys", &many_keys(20_000));
}

#[test]
fn a_200_000_item_sequence_ends_with_a_diagnostic_within_the_limits() {
    check("a 200,000-item sequence", &huge_sequence(200_000));
}

/// `bytes` as a questionnaire, linted in every output format, rendered and checked: each run
/// ends with exit 1 or 2 and a diagnostic, within the limits.
fn check(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.yaml");
    std::fs::File::create(&path)
        .and_then(|mut file| file.write_all(bytes))
        .unwrap();
    for format in ["human", "json", "sarif", "github", "junit"] {
        let (code, stdout, stderr) = run_limited(&["lint", "--format", format], &path);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("memory allocation"),
            "{name} ({format}): {stderr}"
        );
        assert!(
            code == 1 || code == 2,
            "{name} ({format}): exit {code}\n{stderr}"
        );
        match format {
            "json" => {
                let value: serde_json::Value = serde_json::from_str(&stdout)
                    .unwrap_or_else(|e| panic!("{name}: JSON output: {e}"));
                let file = &value["files"][0];
                assert!(
                    file["error"].is_string()
                        || !file["diagnostics"].as_array().unwrap().is_empty(),
                    "{name}: no diagnostic"
                );
            }
            "sarif" => {
                let log: serde_json::Value = serde_json::from_str(&stdout)
                    .unwrap_or_else(|e| panic!("{name}: SARIF output: {e}"));
                let run = &log["runs"][0];
                assert!(
                    !run["results"].as_array().unwrap().is_empty()
                        || !run["invocations"][0]["executionSuccessful"]
                            .as_bool()
                            .unwrap(),
                    "{name}: no SARIF result"
                );
            }
            "github" => assert!(
                stdout.starts_with("::error "),
                "{name}: no annotation\n{stdout}"
            ),
            "junit" => assert!(
                stdout.contains("<failure ") || stdout.contains("<error "),
                "{name}: no failing test case\n{stdout}"
            ),
            _ => assert!(
                stdout.contains("error[CF") || stderr.contains("error"),
                "{name}: no diagnostic\n{stdout}{stderr}"
            ),
        }
    }
    // The ticket and the checklist go through the same loader.
    for command in [&["render", "--force"][..], &["check", "--offline"][..]] {
        let (code, _, stderr) = run_limited(command, &path);
        assert!(
            !stderr.contains("panicked"),
            "{name} ({command:?}): {stderr}"
        );
        assert!(code == 1 || code == 2, "{name} ({command:?}): exit {code}");
    }
}

#[test]
fn the_memory_limit_is_real() {
    // The same harness on the example passes, so the limit above is not what fails.
    let (code, _, stderr) = run_limited(
        &["lint"],
        &super::root().join("examples/acme-timesheets.yaml"),
    );
    assert_eq!(code, 0, "{stderr}");
}
