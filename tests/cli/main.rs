//! Integration tests: they run the `cfready` binary as users do and compare whole outputs.
//! One test binary (like ripgrep's), with modules by area and the helpers below.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

mod architecture;
mod corpus;
mod descriptor;
mod docs;
mod drill;
mod export;
mod fix;
mod fixes;
mod forge;
mod formats;
mod hostile;
mod init_schema;
mod lint;
mod monitor;
mod notify;
mod packaging;
mod probe;
mod reconcile;
mod render;
mod review;
mod rules;
mod server;
mod year;

/// The repository root, where `examples/` and `tests/fixtures/` are.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The day the tests take as today, so that dated answers (the example's last restore test)
/// are judged the same way every year.
const TODAY: &str = "2026-11-24";

/// A `cfready` command run from the repository root, without colors or terminal guesses.
fn cfready() -> Command {
    let mut command = Command::cargo_bin("cfready").expect("the binary is built");
    command
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("CFREADY_TODAY", TODAY)
        .env_remove("CLICOLOR_FORCE");
    command
}

/// Run and return (exit code, stdout, stderr).
fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("cfready runs");
    let stdout = String::from_utf8(stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(stderr).expect("stderr is UTF-8");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "cfready panicked:\n{stderr}"
    );
    (status.code().expect("exited, not killed"), stdout, stderr)
}

/// The files of a fixtures folder, sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("fixtures folder exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// A path relative to the repository root, with forward slashes, for snapshots.
fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What a monitor wrote to its store, as a v1 history would hold it (empty while the store
/// does not exist yet).
fn read_store(path: &Path) -> cfready::badge::history::History {
    let mut history = cfready::badge::history::History::default();
    let Ok(reader) = cfready::badge::store::Reader::open(path) else {
        return history;
    };
    let (from, to) = (
        cfready::timestamp::Timestamp(i64::MIN / 2),
        cfready::timestamp::Timestamp(i64::MAX / 2),
    );
    for info in reader.series().unwrap() {
        reader
            .points(info.id, from, to, &mut |point| {
                history.observations.push(point.observation(
                    &info.app,
                    &info.url,
                    info.base_url.as_deref(),
                ));
            })
            .unwrap();
    }
    history.observations.sort_by_key(|o| o.at);
    history.deliveries = reader
        .deliveries(from, to)
        .unwrap()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    history
}

/// `--at` just after a v1 history's last observation: `slo` judges the window that ends now,
/// and a fixture's history ended in the past.
fn at_end_of(path: &Path) -> String {
    let history = if cfready::badge::store::is_store(path) {
        read_store(path)
    } else {
        cfready::badge::history::read(path).unwrap()
    };
    let last = history.observations.iter().map(|o| o.at).max();
    cfready::timestamp::Timestamp(last.map_or(0, |at| at.0 + 1)).to_string()
}

/// `cfready slo HISTORY --at END ARGS...`, END just after the history's last observation:
/// (exit code, stdout, stderr).
fn slo_at(history: &Path, args: &[&str]) -> (i32, String, String) {
    let at = at_end_of(history);
    run(cfready()
        .args(["slo", "--at", &at, history.to_str().unwrap()])
        .args(args))
}

/// A child process killed and reaped when dropped, so that a test failing half-way leaves no
/// monitor running after it.
struct Reaped(Option<std::process::Child>);

impl Reaped {
    fn child(&mut self) -> &mut std::process::Child {
        self.0.as_mut().expect("not taken")
    }

    /// The child itself, for `wait_with_output`: the caller reaps it.
    fn take(mut self) -> std::process::Child {
        self.0.take().expect("not taken")
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
