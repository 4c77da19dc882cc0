#!/usr/bin/env bash
# The output formats proven with their real consumers (run by .ci/run after the tests):
#   1. SARIF validates against the official OASIS 2.1.0 schema (check-jsonschema), and a
#      deliberately broken SARIF file is rejected by the same step;
#   2. JUnit XML parses with junitparser, whose failure count equals cfready's findings;
#   3. the pre-commit hook, run by the real `pre-commit try-repo` against this checkout,
#      passes on a good questionnaire and fails on a bad one with cfready's message;
#   4. the Markdown ticket reads the same in Python-Markdown (which knows no task lists) as
#      in CommonMark (markdown-it-py): every block's text equal, escapes undone alike, and
#      the structure a reviewer relies on (headings, one label per element, the final steps'
#      boxes and their note, each base URL with its health check URL, the alerts table).
# Installs check-jsonschema, junitparser, pre-commit, markdown and markdown-it-py from PyPI
# into target/ci-venv (under CARGO_TARGET_DIR when it is set).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/ci-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema junitparser pre-commit \
  markdown markdown-it-py

# The binary .ci/run built once ($CFREADY), or a debug build.
# shellcheck source=scripts/binary.sh
source scripts/binary.sh
cfready=$(cfready_binary debug)
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

echo "== the Markdown ticket in Python-Markdown and in CommonMark (markdown-it-py)"
sed -e 's/developer_console_verified: true/developer_console_verified: false/' \
  -e 's/slo_breach_emails: true/slo_breach_emails: false/' "$good" >"$work/open-steps.yaml"
tickets=()
for file in "$good" "$work/open-steps.yaml" tests/fixtures/render/*.yaml; do
  ticket="$work/ticket-$(basename "$file" .yaml).md"
  "$cfready" render "$file" --force >"$ticket" 2>/dev/null || true
  tickets+=("$ticket")
done
"$venv/bin/python" - "${tickets[@]}" <<'PY'
import difflib, re, sys
from html.parser import HTMLParser
import markdown
from markdown_it import MarkdownIt

class Blocks(HTMLParser):
    """Each block element (p, li, h1-h6, th, td) as (tag, folded text, labels, links)."""
    BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td"}
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current, self.strong = [], None, None
    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.flush()
            self.current = [tag, [], 0, []]
        elif tag == "strong":
            self.strong = []
        elif tag == "a" and self.current:
            self.current[3].append(dict(attrs)["href"])
    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.flush()
        elif tag == "strong" and self.strong is not None:
            if "".join(self.strong).endswith(":") and self.current:
                self.current[2] += 1
            self.strong = None
    def handle_data(self, data):
        if self.current:
            self.current[1].append(data)
        if self.strong is not None:
            self.strong.append(data)
    def flush(self):
        if self.current:
            tag, text, labels, links = self.current
            text = " ".join("".join(text).split())
            if text:
                self.blocks.append((tag, text, labels, links))
        self.current = None

def blocks(html):
    parser = Blocks()
    parser.feed(html)
    parser.flush()
    return parser.blocks

commonmark = MarkdownIt("commonmark").enable(["table", "strikethrough"])
for path in sys.argv[1:]:
    source = open(path, encoding="utf-8").read()
    python = blocks(markdown.markdown(source, extensions=["tables"]))
    reference = blocks(commonmark.render(source))
    if [b[1] for b in python] != [b[1] for b in reference]:
        diff = difflib.unified_diff([b[1] for b in reference], [b[1] for b in python], lineterm="", n=0)
        sys.exit(f"FAIL: {path} reads differently in Python-Markdown:\n" + "\n".join(diff))
    headings = [line for line in source.splitlines() if re.match(r"#{1,6} ", line)]
    assert len(headings) == sum(1 for b in python if b[0][0] == "h" and b[0] != "th"), path
    for tag, text, labels, _ in python:
        assert labels <= 1, f"{path}: two labels in one <{tag}>: {text}"
    # The final steps: no task list in Python-Markdown, so each box stays visible as text.
    steps = [b[1] for b in python if b[0] == "li" and re.match(r"\[[ x]\] ", b[1])]
    assert len(steps) == 3, f"{path}: {steps}"
    for step in steps:
        after_access = "developer console" in step or "email notifications" in step
        noted = "once Atlassian has granted access" in step
        assert noted == (after_access and step.startswith("[ ]")), f"{path}: {step}"
    # Each base URL with its health check URL: two links, the second under the first.
    bases = [b for b in python if b[0] == "li" and ": health check URL " in b[1]]
    assert bases and all(len(b[3]) == 2 and b[3][1].startswith(b[3][0]) for b in bases), path
    assert [b[1] for b in python if b[0] == "th"] == ["Metric", "Threshold", "Who is notified"], path
    opened = sum("once Atlassian" in step for step in steps)
    print(f"ok: {path.rsplit('/', 1)[-1]}: {len(python)} blocks read alike, {len(headings)} headings, {len(bases)} base URLs, {opened} open post-access steps noted")
PY

# The `language: rust` hook compiles cfready again inside pre-commit's cache (about five
# minutes on two cores): run where releases come from (ci.yml sets CFREADY_SLOW_PROOFS=1 on the
# default branch and on tags), skipped and said so elsewhere.
if [ "${CFREADY_SLOW_PROOFS:-0}" = 1 ]; then
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
  cp "$bad" "$repo/reliability.cloud-fortified.yaml"
  git -C "$repo" add reliability.cloud-fortified.yaml
  if (cd "$repo" && "$venv/bin/pre-commit" try-repo "$root" cfready-lint --all-files) >"$work/bad.log" 2>&1; then
    cat "$work/bad.log"; echo "FAIL: the hook passed on a bad questionnaire" >&2; exit 1
  fi
  grep -E "cfready lint\.+Failed" "$work/bad.log"
  grep -F "error[CF501]" "$work/bad.log"
  echo "ok: pre-commit passes on the good questionnaire and fails on the bad one"
else
  echo "skipped: pre-commit try-repo (language: rust, compiles cfready again; set CFREADY_SLOW_PROOFS=1 to run it)"
fi
