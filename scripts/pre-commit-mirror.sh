#!/usr/bin/env bash
# Write the pre-commit mirror repository's files for one cfready version into DIR:
#
#   scripts/pre-commit-mirror.sh VERSION DIR
#
# From packaging/pre-commit/ with @VERSION@ replaced; in its .pre-commit-hooks.yaml, @HOOKS@
# becomes the hooks of the project's own .pre-commit-hooks.yaml with `language: python` for
# `language: rust`, so that both run the same command on the same files. The release workflow
# commits the result to github.com/cfready/cfready-pre-commit; scripts/package-proofs.sh tries
# it with `pre-commit try-repo`.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: scripts/pre-commit-mirror.sh VERSION DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
version=$1
dir=$2
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "pre-commit-mirror: not a version: $version" >&2; exit 2; }
hooks=$(sed -n '/^- id:/,$p' "$root/.pre-commit-hooks.yaml")
grep -q '^  language: rust$' <<<"$hooks" || {
  echo "pre-commit-mirror: .pre-commit-hooks.yaml has no 'language: rust' hook to mirror" >&2
  exit 1
}
hooks=${hooks//  language: rust/  language: python}
mkdir -p "$dir"
for file in .pre-commit-hooks.yaml pyproject.toml README.md; do
  text=$(<"$root/packaging/pre-commit/$file")
  text=${text//@VERSION@/$version}
  printf '%s\n' "${text//@HOOKS@/$hooks}" >"$dir/$file"
done
