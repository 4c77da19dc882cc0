#!/usr/bin/env bash
# A release of a tag, done here and published nowhere: the artefacts the release workflow
# (.github/workflows/release.yml) makes, built for this machine's platform with the same
# scripts, and every version in them checked against Cargo.toml's.
#
#   scripts/release-dry-run.sh [--unreleased] [vX.Y.Z]
#
# The tag defaults to v + Cargo.toml's version; as in the workflow's plan job, a tag that is not
# Cargo's version, or a version without its section in CHANGELOG.md, stops the run before
# anything is built. With `--unreleased`, a version without its section yet takes the notes of
# CHANGELOG.md's [Unreleased] section instead: a try of the release before its section is
# written (as .ci/run does on every commit).
#
# Writes into target/release-dry-run/ (under CARGO_TARGET_DIR when it is set):
#   notes.md            the release notes (scripts/changelog-section.sh)
#   wheels/             the wheel (maturin build) and the sdist (maturin sdist)
#   crate/              the crates.io package (cargo package; not built again, as `cargo
#                       publish` would: that is the wheel's build once more)
#   archives/           cfready-HOST.tar.gz and its .sha256 (scripts/package-archive.sh)
#   npm/                the launcher and this platform's package (scripts/package-npm.sh)
#   vscode/             cfready-VERSION.vsix (scripts/package-vscode.sh: vsce from the
#                       extension's lock file, installed under the target dir)
#   pre-commit-mirror/  the mirror's files (scripts/pre-commit-mirror.sh)
# then prints each artefact with its size and the versions found in it: file names, package
# metadata, the .vsix manifest, and `cfready --version` of the binary inside each.
#
# maturin builds the binary, and the archive and the npm package hold that binary, as in the
# workflow (so scripts/binary.sh's $CFREADY, a binary built elsewhere, does not apply). Its
# profile is CFREADY_RELEASE_PROFILE: `release` by default, as scripts/package-proofs.sh
# builds; `dist` is what the workflow ships (fat LTO: minutes longer on 2 cores). The other
# five targets of the release need their own runners and are not built here.
# maturin goes into target/ci-venv (PyPI) and vsce into target/vscode-extension (npm), as the
# proof scripts install them; nothing is uploaded anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

unreleased=false
tag=""
for argument in "$@"; do
  case "$argument" in
    --unreleased) unreleased=true ;;
    v*) [ -z "$tag" ] || { echo "usage: scripts/release-dry-run.sh [--unreleased] [vX.Y.Z]" >&2; exit 2; }; tag=$argument ;;
    *) echo "usage: scripts/release-dry-run.sh [--unreleased] [vX.Y.Z]" >&2; exit 2 ;;
  esac
done

started=$SECONDS
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "release-dry-run: no version in Cargo.toml" >&2; exit 1; }
tag=${tag:-v$version}
if [ "$tag" != "v$version" ]; then
  echo "release-dry-run: the tag $tag is not Cargo.toml's version v$version" >&2
  exit 1
fi
profile=${CFREADY_RELEASE_PROFILE:-release}
host=$(rustc -vV | sed -n 's/^host: //p')
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/release-dry-run"
rm -rf "$out"
mkdir -p "$out"
echo "== release dry run of $tag: cfready $version for $host, profile $profile, into $out"

notes_from=$version
if $unreleased && ! scripts/changelog-section.sh "$version" >/dev/null 2>&1; then
  notes_from=Unreleased
fi
echo "== notes: CHANGELOG.md's section [$notes_from]"
scripts/changelog-section.sh "$notes_from" >"$out/notes.md"
echo "$(wc -l <"$out/notes.md") lines, starting: $(grep -m 1 . "$out/notes.md")"

echo "== tools: maturin (target/ci-venv)"
venv="$target/ci-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check maturin==1.16.0

step() { echo "== $1 ($((SECONDS - started)) s in)"; }
step "wheel and sdist: maturin build --profile $profile --locked, maturin sdist"
"$venv/bin/maturin" build --quiet --profile "$profile" --locked --out "$out/wheels" 2>&1 | { grep -v '^$' || true; }
"$venv/bin/maturin" sdist --out "$out/wheels" 2>&1 | { grep -v '^$' || true; }
binary="$target/$profile/cfready"
[ -x "$binary" ] || { echo "release-dry-run: maturin built no $binary" >&2; exit 1; }

step "crate: cargo package --locked --no-verify"
cargo package --quiet --locked --no-verify --allow-dirty
mkdir -p "$out/crate"
cp "$target/package/cfready-$version.crate" "$out/crate/"

step "archive: scripts/package-archive.sh $host"
scripts/package-archive.sh "$host" "$binary" "$out/archives" >/dev/null

step "npm tarballs: scripts/package-npm.sh"
scripts/package-npm.sh "$binary" "$out/npm" >/dev/null

step "VS Code extension: scripts/package-vscode.sh"
scripts/package-vscode.sh "$out/vscode" >/dev/null 2>"$out/vscode.log" || { cat "$out/vscode.log" >&2; exit 1; }

step "pre-commit mirror: scripts/pre-commit-mirror.sh $version"
scripts/pre-commit-mirror.sh "$version" "$out/pre-commit-mirror"

step "versions"
"$venv/bin/python" - "$out" "$version" <<'PY'
"""Every artefact in OUT, with its size and every version found in it; exit 1 when one is not
VERSION or an artefact is missing."""
import email.parser, io, json, os, re, stat, subprocess, sys, tarfile, tempfile, tomllib, zipfile

out, version = sys.argv[1:]
rows, wrong = [], []


def check(artefact, what, found):
    rows.append((artefact, what, found))
    if found != version:
        wrong.append(f"{artefact}: {what} is {found!r}")


def one(folder, pattern):
    names = [n for n in sorted(os.listdir(os.path.join(out, folder))) if re.fullmatch(pattern, n)]
    if len(names) != 1:
        wrong.append(f"{folder}/: {len(names)} files named {pattern}, expected one: {names}")
        return None
    return os.path.join(out, folder, names[0])


def run_binary(data):
    """`cfready --version` of the executable bytes `data`, as a version."""
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "cfready")
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, stat.S_IRWXU)
        said = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return said.removeprefix("cfready ")


def name_version(path, prefix, suffix):
    base = os.path.basename(path)
    return base[len(prefix):-len(suffix)] if base.startswith(prefix) and base.endswith(suffix) else base


# The wheel: its name, METADATA and the executable it installs.
wheel = one("wheels", r"cfready-.*\.whl")
if wheel:
    check(os.path.basename(wheel), "file name", os.path.basename(wheel).split("-")[1])
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        check(os.path.basename(wheel), "METADATA Version", email.parser.Parser().parsestr(z.read(meta).decode())["Version"])
        script = next(n for n in z.namelist() if n.endswith(".data/scripts/cfready"))
        check(os.path.basename(wheel), "cfready --version", run_binary(z.read(script)))

# The sdist: its name and PKG-INFO.
sdist = one("wheels", r"cfready-.*\.tar\.gz")
if sdist:
    check(os.path.basename(sdist), "file name", name_version(sdist, "cfready-", ".tar.gz"))
    with tarfile.open(sdist) as t:
        info = t.extractfile(f"cfready-{version}/PKG-INFO").read().decode()
    check(os.path.basename(sdist), "PKG-INFO Version", email.parser.Parser().parsestr(info)["Version"])

# The crate: its name and the Cargo.toml inside.
crate = one("crate", r"cfready-.*\.crate")
if crate:
    check(os.path.basename(crate), "file name", name_version(crate, "cfready-", ".crate"))
    with tarfile.open(crate) as t:
        manifest = tomllib.loads(t.extractfile(f"cfready-{version}/Cargo.toml").read().decode())
    check(os.path.basename(crate), "Cargo.toml version", manifest["package"]["version"])

# The archive: no version in its name (cargo-binstall's path has it); the binary inside.
archive = one("archives", r"cfready-.*\.tar\.gz")
if archive:
    with tarfile.open(archive) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("/cfready"))
        check(os.path.basename(archive), "cfready --version", run_binary(t.extractfile(member).read()))

# The npm tarballs: package.json of each, the launcher's optional dependencies, the binary.
for path in sorted(os.listdir(os.path.join(out, "npm"))):
    with tarfile.open(os.path.join(out, "npm", path)) as t:
        package = json.load(t.extractfile("package/package.json"))
        check(path, f"{package['name']} version", package["version"])
        for dependency, wanted in package.get("optionalDependencies", {}).items():
            check(path, f"optionalDependencies {dependency}", wanted)
        if "package/bin/cfready" in t.getnames() and package["name"].startswith("@cfready/cli-"):
            check(path, "cfready --version", run_binary(t.extractfile("package/bin/cfready").read()))
if len(os.listdir(os.path.join(out, "npm"))) != 2:
    wrong.append(f"npm/: {os.listdir(os.path.join(out, 'npm'))}, expected the launcher and one platform package")

# The .vsix: its name, the extension's package.json and the manifest's Identity.
vsix = one("vscode", r"cfready-.*\.vsix")
if vsix:
    check(os.path.basename(vsix), "file name", name_version(vsix, "cfready-", ".vsix"))
    with zipfile.ZipFile(vsix) as z:
        check(os.path.basename(vsix), "package.json version", json.loads(z.read("extension/package.json"))["version"])
        identity = re.search(r'<Identity [^>]*Version="([^"]*)"', z.read("extension.vsixmanifest").decode())
        check(os.path.basename(vsix), "vsixmanifest Identity Version", identity and identity.group(1))

# The pre-commit mirror: its package, the wheel it depends on, the rev its README shows.
mirror = os.path.join(out, "pre-commit-mirror")
project = tomllib.load(open(os.path.join(mirror, "pyproject.toml"), "rb"))["project"]
check("pre-commit mirror", "pyproject.toml version", project["version"])
check("pre-commit mirror", "dependency", project["dependencies"][0].removeprefix("cfready=="))
for file in ("README.md", ".pre-commit-hooks.yaml"):
    for rev in re.findall(r"rev: v(\S+)", open(os.path.join(mirror, file)).read()):
        check("pre-commit mirror", f"{file} rev", rev)

sizes = {}
for folder, _, files in os.walk(out):
    for f in files:
        sizes.setdefault(f, os.path.getsize(os.path.join(folder, f)))
width = max(len(a) for a, _, _ in rows)
for artefact, what, found in rows:
    size = f"{sizes[artefact] // 1024:>7,} KiB" if artefact in sizes else " " * 11
    print(f"{'ok  ' if found == version else 'FAIL'} {artefact:<{width}} {size}  {what}: {found}")
if wrong:
    print(f"FAIL: {len(wrong)} versions are not Cargo.toml's {version}:", *wrong, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(rows)} versions in {len(sizes)} files, all {version}")
PY
echo "== release dry run of $tag passed in $((SECONDS - started)) s; artefacts in $out"
