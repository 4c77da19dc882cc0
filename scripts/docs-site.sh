#!/usr/bin/env bash
# The documentation site: installs mkdocs-material with pip into target/docs-venv (under
# CARGO_TARGET_DIR when it is set) and runs `mkdocs build --strict` into target/site, so that
# a broken link, a missing page or a snippet of the README that is not found fails the run.
# It needs no Rust: the generated pages (docs/rules/, docs/reference/) are committed, and
# `cargo test` checks that they are what `cfready generate-docs` writes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/docs-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "mkdocs-material==9.8.2"
cd "$root"
NO_MKDOCS_2_WARNING=1 "$venv/bin/mkdocs" build --strict --site-dir "$target/site"
