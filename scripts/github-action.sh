#!/usr/bin/env bash
# The body of the cfready GitHub Action (action.yml): install the cfready wheel from PyPI into
# a virtual environment under RUNNER_TEMP, put it on PATH for the job's later steps, lint the
# files with `--format github` (annotations on the file), and write SARIF when asked.
#
# Inputs arrive as environment variables, never as text spliced into the script:
#   INPUT_FILES    questionnaires, separated by spaces or newlines (default cloud-fortified.yaml)
#   INPUT_STRICT   `true`: warnings fail too
#   INPUT_VERSION  a version on PyPI, `latest`, or empty for the version of this action's
#                  release (its Cargo.toml, the project's one source of the version)
#   INPUT_SARIF    a path for a SARIF log, or empty
# Exit status: cfready lint's (0 clean, 1 findings, 2 usage or I/O error).
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
fi
if [ "$version" = latest ]; then
  requirement=cfready
elif [[ "$version" =~ ^[0-9]+(\.[0-9]+)*([.+-]?[a-z0-9]+)*$ ]]; then
  requirement="cfready==$version"
else
  echo "::error title=cfready::version must be a release such as 0.4.0, or latest; found '$version'"
  exit 2
fi

python=$(command -v python3 || command -v python || true)
[ -n "$python" ] || { echo "::error title=cfready::the action needs Python 3 on the runner (actions/setup-python)"; exit 2; }
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cfready-venv"
"$python" -m venv "$venv"
bin="$venv/bin"
[ -d "$bin" ] || bin="$venv/Scripts"   # Windows
"$bin/python" -m pip install --quiet --disable-pip-version-check "$requirement"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin" >>"$GITHUB_PATH"
fi
"$bin/cfready" --version

read -r -d '' -a files <<<"${INPUT_FILES:-cloud-fortified.yaml}" || true
[ ${#files[@]} -gt 0 ] || files=(cloud-fortified.yaml)
options=()
case "${INPUT_STRICT:-false}" in
  true) options+=(--strict) ;;
  false | "") ;;
  *) echo "::error title=cfready::strict must be true or false; found '$INPUT_STRICT'"; exit 2 ;;
esac

status=0
"$bin/cfready" lint "${files[@]}" "${options[@]}" --format github || status=$?
if [ -n "${INPUT_SARIF:-}" ]; then
  # The SARIF log holds every finding whatever the exit status; a failed write is an error.
  "$bin/cfready" lint "${files[@]}" "${options[@]}" --format sarif >"$INPUT_SARIF" || [ $? -eq 1 ]
fi
exit "$status"
