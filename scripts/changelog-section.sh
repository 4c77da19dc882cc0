#!/usr/bin/env bash
# Print one version's section of the changelog: the release notes of that version.
#
#   scripts/changelog-section.sh VERSION [CHANGELOG]
#
# VERSION is a heading of CHANGELOG (CHANGELOG.md at the repository's root by default), as
# Keep a Changelog writes them: `## [0.4.0] - 2026-12-10` or `## [Unreleased]`. What is printed
# is the text between that heading and the next `## ` heading, without the link definitions
# (`[0.4.0]: https://...`) that close the file and without leading or trailing blank lines.
# Exit 1 when the changelog has no such section or the section is empty (the release workflow
# then stops before it builds anything), 2 on a usage error.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: scripts/changelog-section.sh VERSION [CHANGELOG]" >&2
  exit 2
fi
version=$1
changelog=${2:-$(cd "$(dirname "$0")/.." && pwd)/CHANGELOG.md}
[ -f "$changelog" ] || { echo "changelog-section: no such file: $changelog" >&2; exit 2; }
[ -n "$version" ] || { echo "changelog-section: the version is empty" >&2; exit 2; }

status=0
awk -v version="$version" '
  function heading(line) { line = substr(line, 5); return substr(line, 1, index(line, "]") - 1) }
  /^## / {
    if (found) exit
    if (substr($0, 1, 4) == "## [" && tolower(heading($0)) == tolower(version)) { found = 1; next }
  }
  found && /^\[[^]]+\]:[ \t]/ { next }
  found {
    if ($0 ~ /^[ \t]*$/) { if (printed) blank++; next }
    while (blank > 0) { print ""; blank-- }
    print
    printed = 1
  }
  END {
    if (!found) exit 3
    if (!printed) exit 4
  }
' "$changelog" || status=$?
case "$status" in
  0) ;;
  3) echo "changelog-section: $changelog has no section [$version] (a heading '## [$version] - YYYY-MM-DD')" >&2; exit 1 ;;
  4) echo "changelog-section: the section [$version] of $changelog is empty" >&2; exit 1 ;;
  *) exit "$status" ;;
esac
