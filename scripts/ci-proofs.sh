#!/usr/bin/env bash
# The output formats proven with their real consumers (run by .ci/run after the tests):
#   1. SARIF validates against the official OASIS 2.1.0 schema (check-jsonschema), and a
#      deliberately broken SARIF file is rejected by the same step;
#   2. JUnit XML parses with junitparser, whose failure count equals cfready's findings;
#   3. the pre-commit hook, run by the real `pre-commit try-repo` against this checkout,
#      passes on a good questionnaire and fails on a bad one with cfready's message.
# Installs check-jsonschema, junitparser and pre-commit from PyPI into target/ci-venv
# (under CARGO_TARGET_DIR when it is set).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/ci-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema junitparser pre-commit

cargo build --quiet
cfready="$target/debug/cfready"
export CFREADY_TODAY=2026-11-24 NO_COLOR=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
good=examples/acme-timesheets.yaml
bad=examples/invalid/recovery.yaml

echo "== SARIF against the OASIS SARIF 2.1.0 schema (tests/schemas/sarif-2.1.0.json)"
for file in "$good" "$bad"; do
  "$cfready" lint "$file" --format sarif >"$work/out.sarif" || true
  "$venv/bin/check-jsonschema" --schemafile tests/schemas/sarif-2.1.0.json "$work/out.sarif"
done
"$venv/bin/python" - "$work/out.sarif" "$work/broken.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
result = log["runs"][0]["results"][0]
result["level"] = "fatal"
result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
json.dump(log, open(sys.argv[2], "w"))
PY
if "$venv/bin/check-jsonschema" --schemafile tests/schemas/sarif-2.1.0.json "$work/broken.sarif"; then
  echo "FAIL: the broken SARIF file (level fatal, startLine 0) was accepted" >&2
  exit 1
fi
echo "ok: the broken SARIF file was rejected"

echo "== JUnit XML read by junitparser"
for file in "$good" "$bad" examples/invalid/schema-mistakes.yaml; do
  "$cfready" lint "$file" --format junit >"$work/out.xml" || true
  "$cfready" lint "$file" --format json >"$work/out.json" || true
  "$venv/bin/python" - "$work/out.xml" "$work/out.json" "$file" <<'PY'
import json, sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
findings = sum(len(f["diagnostics"]) for f in json.load(open(sys.argv[2]))["files"])
failures = sum(
    1 for suite in xml for case in suite for result in case.result if isinstance(result, Failure)
)
cases = sum(1 for suite in xml for case in suite)
assert failures == findings, f"{sys.argv[3]}: junitparser read {failures} failures, cfready reported {findings}"
print(f"ok: {sys.argv[3]}: {cases} test cases, {failures} failures = {findings} findings")
PY
done

echo "== pre-commit try-repo against this checkout"
repo="$work/partner"
git init --quiet "$repo"
cp "$good" "$repo/cloud-fortified.yaml"
git -C "$repo" add cloud-fortified.yaml
export PRE_COMMIT_HOME="$work/pre-commit-home"
# pre-commit builds the hook with `cargo install`: a quicker profile than the release's LTO.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
(cd "$repo" && "$venv/bin/pre-commit" try-repo "$root" cfready-lint --all-files) >"$work/good.log" 2>&1 || {
  cat "$work/good.log"; echo "FAIL: the hook failed on a good questionnaire" >&2; exit 1; }
grep -E "cfready lint\.+Passed" "$work/good.log"
cp "$bad" "$repo/reliability.cfready.yaml"
git -C "$repo" add reliability.cfready.yaml
if (cd "$repo" && "$venv/bin/pre-commit" try-repo "$root" cfready-lint --all-files) >"$work/bad.log" 2>&1; then
  cat "$work/bad.log"; echo "FAIL: the hook passed on a bad questionnaire" >&2; exit 1
fi
grep -E "cfready lint\.+Failed" "$work/bad.log"
grep -F "error[CF501]" "$work/bad.log"
echo "ok: pre-commit passes on the good questionnaire and fails on the bad one"
