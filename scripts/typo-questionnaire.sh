# shellcheck shell=bash
# Sourced by the editor proofs (scripts/editor-proofs.sh: Neovim, scripts/code-server-proofs.sh:
# VS Code in code-server), run from the repository's root. Both open the same questionnaire with
# two known mistakes and apply the fix of one in the editor; both check the outcome alike.
#
# `typo_questionnaire WORK` writes WORK/cloud-fortified.yaml, a copy of the example with a key
# typo (`retension`, CF010) and `honours_retry_after: yes` (CF012), and WORK/before.yaml, the
# same text kept for comparison.
typo_questionnaire() {
  python3 - examples/acme-timesheets.yaml "$1/cloud-fortified.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
for old, new in [("      retention:", "      retension:"),
                 ("honours_retry_after: true", "honours_retry_after: yes")]:
    assert old in text, old
    text = text.replace(old, new, 1)
open(sys.argv[2], "w").write(text)
PY
  cp "$1/cloud-fortified.yaml" "$1/before.yaml"
}

# `typo_fixed EDITOR WORK CFREADY` checks what the editor did: WORK/diagnostics.jsonl (one
# `{"code", "line"}` a line, the findings the editor showed) must hold the codes and lines of
# `cfready lint --format json` of before.yaml, and the saved cloud-fortified.yaml must be
# before.yaml with only the key renamed to `retention`, linting with one finding fewer.
typo_fixed() {
  local editor=$1 work=$2 cfready=$3
  "$cfready" lint --format json "$work/before.yaml" >"$work/lint-before.json" || true
  "$cfready" lint --format json "$work/cloud-fortified.yaml" >"$work/lint-after.json" || true
  python3 - "$editor" "$work" <<'PY'
import json, sys
editor, work = sys.argv[1:]
shown = [json.loads(line) for line in open(f"{work}/diagnostics.jsonl")]
linted = json.load(open(f"{work}/lint-before.json"))["files"][0]["diagnostics"]
pairs = lambda items: sorted((d["code"], d["line"]) for d in items)
assert pairs(shown) == pairs(linted), f"{editor} showed {pairs(shown)}, lint found {pairs(linted)}"
typo = next(d for d in linted if "retension" in d["message"])
after = json.load(open(f"{work}/lint-after.json"))["files"][0]["diagnostics"]
assert not any("retension" in d["message"] for d in after), "the typo's finding is gone"
assert len(after) == len(linted) - 1, f"one finding fewer: {len(linted)} -> {len(after)}"
before_text = open(f"{work}/before.yaml").read()
after_text = open(f"{work}/cloud-fortified.yaml").read()
assert after_text == before_text.replace("      retension:", "      retention:", 1), "only the key changed"
print(f"editor proof passed: {editor} showed the {len(shown)} findings lint reports "
      f"({', '.join(c for c, _ in pairs(shown))}); the fix of {typo['code']} "
      f"at line {typo['line']} was applied and saved; the saved file lints with {len(after)}.")
PY
}
