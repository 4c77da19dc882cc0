// extension.js loaded in plain Node with fakes for `vscode` and `vscode-languageclient/node`
// (VS Code itself does not run here): the order in which it looks for cfready, the message when
// there is none, and what it hands the language client. Run: node --test test/
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const Module = require("node:module");

// --- fakes -----------------------------------------------------------------------------------

const fake = {
  settings: {},
  folders: [],
  trusted: true,
  errors: [],
  answer: undefined,
  commands: {},
  executed: [],
  clients: [],
  notifications: [],
  listeners: { configuration: [], trust: [] },
};

const vscode = {
  workspace: {
    get workspaceFolders() {
      return fake.folders.map((fsPath) => ({ uri: { scheme: "file", fsPath } }));
    },
    get isTrusted() {
      return fake.trusted;
    },
    getConfiguration(section) {
      assert.equal(section, "cfready");
      return { get: (key, fallback) => (key in fake.settings ? fake.settings[key] : fallback) };
    },
    onDidChangeConfiguration(listener) {
      fake.listeners.configuration.push(listener);
      return { dispose() {} };
    },
    onDidGrantWorkspaceTrust(listener) {
      fake.listeners.trust.push(listener);
      return { dispose() {} };
    },
  },
  window: {
    createOutputChannel: () => ({ lines: [], appendLine(line) { this.lines.push(line); }, show() {}, dispose() {} }),
    showErrorMessage(message, ...actions) {
      fake.errors.push({ message, actions });
      return Promise.resolve(fake.answer);
    },
  },
  commands: {
    registerCommand(name, handler) {
      fake.commands[name] = handler;
      return { dispose() {} };
    },
    executeCommand(...args) {
      fake.executed.push(args);
      return Promise.resolve();
    },
  },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
    fake.clients.push(this);
  }
  start() {
    this.started = true;
    return Promise.resolve();
  }
  stop() {
    this.stopped = true;
    return Promise.resolve();
  }
  sendNotification(type, params) {
    fake.notifications.push({ method: type.method, params });
    return Promise.resolve();
  }
}
const languageClient = {
  LanguageClient,
  DidChangeConfigurationNotification: { type: { method: "workspace/didChangeConfiguration" } },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return languageClient;
  return load.call(this, request, ...rest);
};
const extension = require("../extension.js");
const { findCfready, serverSettings, DOCUMENT_SELECTOR, INSTALL_COMMANDS } = extension;

// --- the lookup, with a fake file system -----------------------------------------------------

/** findCfready on Linux x64 (glibc) with exactly `files` executable. */
function lookup(files, options = {}) {
  const present = new Set(files);
  return findCfready({
    platform: "linux",
    arch: "x64",
    musl: false,
    home: "/home/partner",
    folders: ["/srv/acme/app"],
    env: { PATH: "/usr/local/bin:/home/partner/.local/bin" },
    isFile: (file) => present.has(file),
    ...options,
  });
}

const npmBinary = "/srv/acme/app/node_modules/@cfready/cli-linux-x64/bin/cfready";
const onPath = "/home/partner/.local/bin/cfready";

test("the cfready.path setting comes first", () => {
  const found = lookup(["/opt/cfready/bin/cfready", npmBinary, onPath], { setting: "/opt/cfready/bin/cfready" });
  assert.deepEqual(found, { command: "/opt/cfready/bin/cfready", source: "the cfready.path setting", shell: false });
});

test("cfready.path expands ~ and ${workspaceFolder}, and takes a relative path from the first folder", () => {
  assert.equal(lookup(["/home/partner/bin/cfready"], { setting: "~/bin/cfready" }).command, "/home/partner/bin/cfready");
  assert.equal(lookup(["/srv/acme/app/tools/cfready"], { setting: "${workspaceFolder}/tools/cfready" }).command, "/srv/acme/app/tools/cfready");
  assert.equal(lookup(["/srv/acme/app/tools/cfready"], { setting: "tools/cfready" }).command, "/srv/acme/app/tools/cfready");
});

test("a cfready.path that points nowhere is an error, not another cfready", () => {
  const found = lookup([npmBinary, onPath], { setting: "/opt/missing/cfready" });
  assert.equal(found.command, undefined);
  assert.match(found.error, /cfready\.path is set to "\/opt\/missing\/cfready", but \/opt\/missing\/cfready is not an executable file/);
});

test("then the npm platform package in the workspace's node_modules, before PATH", () => {
  assert.deepEqual(lookup([npmBinary, onPath]), {
    command: npmBinary,
    source: "@cfready/cli-linux-x64 in /srv/acme/app",
    shell: false,
  });
  // Every workspace folder is searched, in order.
  const second = "/srv/acme/other/node_modules/@cfready/cli-linux-x64/bin/cfready";
  assert.equal(lookup([second, onPath], { folders: ["/srv/acme/app", "/srv/acme/other"] }).command, second);
});

test("the platform package follows the platform: musl first on musl, the other libc after", () => {
  const musl = "/srv/acme/app/node_modules/@cfready/cli-linux-x64-musl/bin/cfready";
  assert.equal(lookup([musl, npmBinary], { musl: true }).command, musl);
  assert.equal(lookup([musl]).command, musl); // glibc machine, only the static musl package installed
  const arm = "/srv/acme/app/node_modules/@cfready/cli-darwin-arm64/bin/cfready";
  assert.equal(lookup([arm], { platform: "darwin", arch: "arm64" }).command, arm);
});

test("the package names are the ones scripts/package-npm.mjs writes and the launcher lists", () => {
  const launcher = require("../../../npm/cfready/package.json");
  for (const [platform, arch] of [["linux", "x64"], ["linux", "arm64"], ["darwin", "x64"], ["darwin", "arm64"], ["win32", "x64"], ["win32", "arm64"]]) {
    for (const name of extension.platformPackages(platform, arch, false)) {
      assert.ok(name in launcher.optionalDependencies, `${name} is not a package of npm/cfready`);
    }
  }
});

test("an untrusted workspace's node_modules is not searched", () => {
  const found = lookup([npmBinary, onPath], { trusted: false });
  assert.equal(found.command, onPath);
  assert.match(lookup([npmBinary], { trusted: false }).error, /not searched \(the workspace is not trusted\)/);
});

test("then PATH, in order", () => {
  assert.deepEqual(lookup([onPath, "/usr/local/bin/cfready"]), { command: "/usr/local/bin/cfready", source: "PATH", shell: false });
  assert.equal(lookup([onPath]).command, onPath);
});

test("on Windows: cfready.exe in the package, PATHEXT on PATH, a .cmd shim through the shell", () => {
  const windows = {
    platform: "win32",
    folders: ["C:\\work\\app"],
    env: { Path: "C:\\tools;C:\\Users\\p\\AppData\\Roaming\\npm", PATHEXT: ".COM;.EXE;.BAT;.CMD" },
  };
  const packaged = "C:\\work\\app\\node_modules\\@cfready\\cli-win32-x64\\bin\\cfready.exe";
  assert.equal(lookup([packaged], windows).command, packaged);
  const shim = lookup(["C:\\Users\\p\\AppData\\Roaming\\npm\\cfready.cmd"], windows);
  assert.deepEqual(shim, { command: "C:\\Users\\p\\AppData\\Roaming\\npm\\cfready.cmd", source: "PATH", shell: true });
  assert.equal(lookup(["C:\\tools\\cfready.exe"], windows).shell, false);
});

test("nothing found: one message that says where it looked and gives the install commands", () => {
  const found = lookup([]);
  assert.equal(found.command, undefined);
  assert.match(found.error, /^cfready was not found \(cfready\.path is not set, no @cfready\/cli-linux-x64 in the workspace's node_modules, no cfready on PATH\)\./);
  for (const command of ["pipx install cfready", "pip install cfready", "npm install --save-dev cfready", "cargo install cfready"]) {
    assert.ok(found.error.includes(command), `the message lacks ${command}`);
  }
  assert.equal(INSTALL_COMMANDS.length, 3);
});

test("the lookup against a real folder: an executable file is found, a plain file is not", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfready-vscode-"));
  try {
    const bin = path.join(dir, "node_modules", "@cfready", `cli-${process.platform}-${process.arch}`, "bin");
    fs.mkdirSync(bin, { recursive: true });
    const file = path.join(bin, process.platform === "win32" ? "cfready.exe" : "cfready");
    fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o644 });
    const real = { folders: [dir], env: { PATH: "" }, musl: false };
    if (process.platform !== "win32") {
      assert.ok(findCfready(real).error, "a file without the execute bit was taken");
    }
    fs.chmodSync(file, 0o755);
    assert.equal(findCfready(real).command, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --- settings and the client -----------------------------------------------------------------

test("settings become { ignore, strict }", () => {
  const get = (values) => ({ get: (key, fallback) => (key in values ? values[key] : fallback) });
  assert.deepEqual(serverSettings(get({})), { ignore: [], strict: false });
  assert.deepEqual(serverSettings(get({ ignore: [" CF503 ", "CF503", "", 7, "restore-time"], strict: true })), {
    ignore: ["CF503", "restore-time"],
    strict: true,
  });
  assert.deepEqual(serverSettings(get({ ignore: "CF503", strict: "yes" })), { ignore: [], strict: false });
});

test("the selector offers every YAML document and the questionnaire's names", () => {
  assert.deepEqual(DOCUMENT_SELECTOR, [
    { scheme: "file", language: "yaml" },
    { scheme: "untitled", language: "yaml" },
    { scheme: "file", pattern: "**/cloud-fortified.{yaml,yml}" },
    { scheme: "file", pattern: "**/*.cloud-fortified.{yaml,yml}" },
  ]);
  const manifest = require("../package.json");
  assert.ok(manifest.activationEvents.includes("onLanguage:yaml"));
});

test("activate starts `cfready server` with the settings as initializationOptions", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfready-vscode-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const binary = path.join(dir, "cfready");
  fs.writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });
  Object.assign(fake, { settings: { path: binary, ignore: ["CF503"], strict: true }, folders: [dir], clients: [], notifications: [] });

  const context = { subscriptions: [] };
  await extension.activate(context);
  assert.equal(fake.clients.length, 1);
  const [client] = fake.clients;
  assert.ok(client.started);
  assert.equal(client.id, "cfready");
  assert.deepEqual(client.serverOptions, { command: binary, args: ["server"], options: { cwd: dir, shell: false } });
  assert.equal(client.serverOptions.transport, undefined, "a transport would add --stdio");
  assert.deepEqual(client.clientOptions.initializationOptions, { ignore: ["CF503"], strict: true });
  assert.equal(client.clientOptions.documentSelector, DOCUMENT_SELECTOR);
  assert.ok(fake.commands["cfready.restart"] && fake.commands["cfready.showOutput"]);

  // A change of ignore or strict is sent as workspace/didChangeConfiguration, same shape.
  fake.settings.strict = false;
  const [onChange] = fake.listeners.configuration.slice(-1);
  await onChange({ affectsConfiguration: (key) => key === "cfready" || key === "cfready.strict" });
  assert.deepEqual(fake.notifications, [{ method: "workspace/didChangeConfiguration", params: { settings: { ignore: ["CF503"], strict: false } } }]);

  // A change of cfready.path restarts the server.
  await onChange({ affectsConfiguration: (key) => key === "cfready" || key === "cfready.path" });
  assert.equal(fake.clients.length, 2);
  assert.ok(client.stopped && fake.clients[1].started);
  await extension.deactivate();
  assert.ok(fake.clients[1].stopped);
});

test("activate without cfready shows the message and starts nothing; Open Settings opens cfready.path", async () => {
  Object.assign(fake, { settings: {}, folders: [], clients: [], errors: [], executed: [], answer: "Open Settings" });
  const PATH = process.env.PATH;
  process.env.PATH = "";
  try {
    await extension.activate({ subscriptions: [] });
  } finally {
    process.env.PATH = PATH;
  }
  assert.equal(fake.clients.length, 0);
  assert.equal(fake.errors.length, 1);
  assert.match(fake.errors[0].message, /^cfready was not found .*pipx install cfready/);
  assert.deepEqual(fake.errors[0].actions, ["Open Settings", "Show Output"]);
  assert.deepEqual(fake.executed, [["workbench.action.openSettings", "cfready.path"]]);
});
