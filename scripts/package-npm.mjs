// Stage the npm packages for one cfready binary (run by scripts/package-npm.sh).
//
//   node scripts/package-npm.mjs BINARY STAGEDIR VERSION [glibc|musl]
//
// Reads BINARY's header to learn its platform (ELF, Mach-O or PE; the cpu; on Linux, glibc or
// musl from its interpreter, musl when static), then writes into STAGEDIR two package folders
// ready for `npm pack`:
//   cfready/            the launcher package (npm/cfready), versions set to VERSION
//   <platform>/         @cfready/cli-<os>-<cpu>[-musl]: package.json with os, cpu (and libc),
//                       and the binary in bin/, nothing else
// and prints the platform folder's name. The platform package must be one the launcher
// lists in its optionalDependencies.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, chmodSync, cpSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const [binary, stage, version, libcOverride] = process.argv.slice(2);
if (!binary || !stage || !version) {
  console.error("usage: package-npm.mjs BINARY STAGEDIR VERSION [glibc|musl]");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  console.error(`package-npm: ${message}`);
  process.exit(1);
}

/** { os, cpu, libc } of an executable, from its header. */
function platformOf(bytes) {
  if (bytes.length < 64) fail(`${binary} is too short to be an executable`);
  // ELF
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    if (bytes[4] !== 2 || bytes[5] !== 1) fail(`${binary}: only 64-bit little-endian ELF is packaged`);
    const machine = bytes.readUInt16LE(0x12);
    const cpu = { 0x3e: "x64", 0xb7: "arm64" }[machine];
    if (!cpu) fail(`${binary}: ELF machine 0x${machine.toString(16)} is not packaged`);
    const phoff = Number(bytes.readBigUInt64LE(0x20));
    const phentsize = bytes.readUInt16LE(0x36);
    const phnum = bytes.readUInt16LE(0x38);
    let interpreter = null;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (bytes.readUInt32LE(at) === 3 /* PT_INTERP */) {
        const offset = Number(bytes.readBigUInt64LE(at + 8));
        const size = Number(bytes.readBigUInt64LE(at + 32));
        interpreter = bytes.subarray(offset, offset + size).toString("latin1").replace(/\0.*$/s, "");
      }
    }
    // A static binary (no interpreter) runs on either libc; by default it is the musl build.
    const libc = interpreter === null ? "musl" : interpreter.includes("musl") ? "musl" : "glibc";
    return { os: "linux", cpu, libc, static: interpreter === null };
  }
  // Mach-O, 64-bit, little-endian
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cputype = bytes.readUInt32LE(4);
    const cpu = { 0x01000007: "x64", 0x0100000c: "arm64" }[cputype];
    if (!cpu) fail(`${binary}: Mach-O cpu type 0x${cputype.toString(16)} is not packaged`);
    return { os: "darwin", cpu };
  }
  // PE
  if (bytes.toString("latin1", 0, 2) === "MZ") {
    const pe = bytes.readUInt32LE(0x3c);
    if (bytes.toString("latin1", pe, pe + 4) !== "PE\0\0") fail(`${binary}: not a PE executable`);
    const machine = bytes.readUInt16LE(pe + 4);
    const cpu = { 0x8664: "x64", 0xaa64: "arm64" }[machine];
    if (!cpu) fail(`${binary}: PE machine 0x${machine.toString(16)} is not packaged`);
    return { os: "win32", cpu };
  }
  fail(`${binary} is not an ELF, Mach-O or PE executable`);
}

const platform = platformOf(readFileSync(binary));
if (libcOverride) {
  if (platform.os !== "linux" || !["glibc", "musl"].includes(libcOverride)) {
    fail(`a libc (${libcOverride}) applies to Linux binaries only, as glibc or musl`);
  }
  if (!platform.static && libcOverride !== platform.libc) {
    fail(`${binary} is linked against ${platform.libc}; only a static binary can be packaged as ${libcOverride}`);
  }
  platform.libc = libcOverride;
}
const suffix = `${platform.os}-${platform.cpu}${platform.libc === "musl" ? "-musl" : ""}`;
const name = `@cfready/cli-${suffix}`;

const launcher = JSON.parse(readFileSync(join(root, "npm/cfready/package.json"), "utf8"));
if (!(name in launcher.optionalDependencies)) {
  fail(`${name} is not among the optionalDependencies of npm/cfready/package.json`);
}

// The launcher package, every version set to VERSION.
const launcherDir = join(stage, "cfready");
cpSync(join(root, "npm/cfready"), launcherDir, { recursive: true });
launcher.version = version;
for (const dependency of Object.keys(launcher.optionalDependencies)) {
  launcher.optionalDependencies[dependency] = version;
}
writeFileSync(join(launcherDir, "package.json"), JSON.stringify(launcher, null, 2) + "\n");
copyFileSync(join(root, "README.md"), join(launcherDir, "README.md"));
for (const license of ["LICENSE-MIT", "LICENSE-APACHE"]) {
  copyFileSync(join(root, license), join(launcherDir, license));
}

// The platform package: package.json and the binary, nothing else.
const platformDir = join(stage, suffix);
mkdirSync(join(platformDir, "bin"), { recursive: true });
const executable = platform.os === "win32" ? "cfready.exe" : "cfready";
copyFileSync(binary, join(platformDir, "bin", executable));
chmodSync(join(platformDir, "bin", executable), 0o755);
const manifest = {
  name,
  version,
  description: `The cfready binary for ${suffix}. Install \`cfready\`, which picks this package on this platform.`,
  license: launcher.license,
  homepage: launcher.homepage,
  repository: launcher.repository,
  os: [platform.os],
  cpu: [platform.cpu],
  ...(platform.os === "linux" ? { libc: [platform.libc] } : {}),
  files: [`bin/${executable}`],
  preferUnplugged: true,
};
manifest.repository = { ...launcher.repository, directory: "npm" };
writeFileSync(join(platformDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(suffix);
