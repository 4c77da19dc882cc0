// The cfready extension for VS Code: runs `cfready server`, cfready's language server over
// stdio, for YAML documents. The server itself tells a questionnaire from other YAML (by its
// file name or cfready's schema modeline) and says nothing about the rest, so every YAML file
// is offered to it. Plain JavaScript with no build step: this file is what the .vsix carries,
// beside node_modules/vscode-languageclient.
"use strict";

const os = require("node:os");
const fs = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient, DidChangeConfigurationNotification } = require("vscode-languageclient/node");

/** The ways to install cfready, for the message shown when no executable is found. */
const INSTALL_COMMANDS = [
  "pipx install cfready (or pip install cfready)",
  "npm install --save-dev cfready (in the workspace, where this extension looks first)",
  "cargo install cfready (or cargo binstall cfready)",
];

/**
 * Every YAML document, saved or not, and the questionnaire's conventional names whatever
 * language a user has mapped them to. A selector cannot look inside a file, and a questionnaire
 * named anything else is recognised by its modeline: the server decides, per document.
 */
const DOCUMENT_SELECTOR = [
  { scheme: "file", language: "yaml" },
  { scheme: "untitled", language: "yaml" },
  { scheme: "file", pattern: "**/cloud-fortified.{yaml,yml}" },
  { scheme: "file", pattern: "**/*.cloud-fortified.{yaml,yml}" },
];

/** Whether this Linux runs on musl rather than glibc (as the npm launcher decides it). */
function isMusl() {
  try {
    const report = process.report.getReport();
    const header = typeof report === "string" ? JSON.parse(report).header : report.header;
    return !header.glibcVersionRuntime;
  } catch {
    return false;
  }
}

/**
 * The npm platform packages that may hold the binary for this platform, best first: the ones
 * scripts/package-npm.mjs writes (`@cfready/cli-<os>-<cpu>[-musl]`). Linux binaries are
 * static, so the other libc's package runs too.
 */
function platformPackages(platform, arch, musl) {
  const base = `@cfready/cli-${platform}-${arch}`;
  if (platform !== "linux") return [base];
  return musl ? [`${base}-musl`, base] : [base, `${base}-musl`];
}

/** Whether `file` is a regular file this process may execute. */
function isExecutable(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the cfready executable, in this order:
 *   1. the `cfready.path` setting (`~` and `${workspaceFolder}` expanded, a relative path taken
 *      from the first workspace folder); when it is set and points nowhere, that is the answer:
 *      an error, rather than another cfready than the one the user chose;
 *   2. the npm package's platform binary in a workspace folder's node_modules
 *      (node_modules/@cfready/cli-<platform>/bin/cfready), in a trusted workspace only: it is
 *      code from the workspace;
 *   3. `cfready` on PATH (on Windows, with PATHEXT's extensions).
 * Returns `{ command, source, shell }`, or `{ error }` with a message that says what was looked
 * for and how to install cfready. Everything it reads comes in `lookup`, so that it can be tested
 * without VS Code.
 */
function findCfready(lookup) {
  const {
    setting = "",
    folders = [],
    trusted = true,
    platform = process.platform,
    arch = process.arch,
    musl = platform === "linux" && isMusl(),
    env = process.env,
    home = os.homedir(),
    isFile = isExecutable,
  } = lookup;
  const paths = platform === "win32" ? path.win32 : path.posix;
  const windows = platform === "win32";
  const shellFor = (file) => windows && /\.(cmd|bat)$/i.test(file);

  const configured = (setting || "").trim();
  if (configured) {
    let file = configured.replace(/\$\{workspaceFolder\}/g, folders[0] || "${workspaceFolder}");
    if (file === "~" || file.startsWith("~/") || (windows && file.startsWith("~\\"))) {
      file = paths.join(home, file.slice(1));
    }
    if (!paths.isAbsolute(file) && folders[0]) file = paths.resolve(folders[0], file);
    if (isFile(file)) {
      return { command: file, source: "the cfready.path setting", shell: shellFor(file) };
    }
    return {
      error:
        `cfready.path is set to "${configured}", but ${file} is not an executable file. ` +
        `Correct the setting, or clear it to use the cfready of the workspace's node_modules or PATH.`,
    };
  }

  const packages = platformPackages(platform, arch, musl);
  const executable = windows ? "cfready.exe" : "cfready";
  if (trusted) {
    for (const folder of folders) {
      for (const pkg of packages) {
        const file = paths.join(folder, "node_modules", ...pkg.split("/"), "bin", executable);
        if (isFile(file)) return { command: file, source: `${pkg} in ${folder}`, shell: false };
      }
    }
  }

  const extensions = windows
    ? (env.PATHEXT || ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean).map((e) => e.toLowerCase())
    : [""];
  const pathVariable = windows ? env.PATH || env.Path || "" : env.PATH || "";
  for (const dir of pathVariable.split(windows ? ";" : ":")) {
    if (!dir) continue;
    for (const extension of extensions) {
      const file = paths.join(dir, `cfready${extension}`);
      if (isFile(file)) return { command: file, source: "PATH", shell: shellFor(file) };
    }
  }

  const npm = trusted
    ? `no ${packages[0]} in the workspace's node_modules`
    : `the workspace's node_modules not searched (the workspace is not trusted)`;
  return {
    error:
      `cfready was not found (cfready.path is not set, ${npm}, no cfready on PATH). ` +
      `Install it with one of: ${INSTALL_COMMANDS.join("; ")}. ` +
      `Then run "cfready: Restart the language server", or set cfready.path to the executable.`,
  };
}

/** The server's settings, as `initializationOptions` and `workspace/didChangeConfiguration`
 * carry them: `{ ignore: ["CF503", ...], strict: false }`, rule codes or names as `--ignore`
 * takes them, and `--strict`. */
function serverSettings(configuration) {
  const ignore = configuration.get("ignore", []);
  return {
    ignore: Array.isArray(ignore)
      ? [...new Set(ignore.filter((rule) => typeof rule === "string" && rule.trim()).map((rule) => rule.trim()))]
      : [],
    strict: configuration.get("strict", false) === true,
  };
}

let client = null;
let output = null;

function workspaceFolders() {
  return (vscode.workspace.workspaceFolders || [])
    .filter((folder) => folder.uri.scheme === "file")
    .map((folder) => folder.uri.fsPath);
}

async function start() {
  const configuration = vscode.workspace.getConfiguration("cfready");
  const found = findCfready({
    setting: configuration.get("path", ""),
    folders: workspaceFolders(),
    trusted: vscode.workspace.isTrusted,
  });
  if (found.error) {
    output.appendLine(found.error);
    const choice = await vscode.window.showErrorMessage(found.error, "Open Settings", "Show Output");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "cfready.path");
    } else if (choice === "Show Output") {
      output.show(true);
    }
    return;
  }
  output.appendLine(`Starting ${found.command} server (found through ${found.source})`);
  const folders = workspaceFolders();
  const serverOptions = {
    // No `transport`: vscode-languageclient would add `--stdio`, and `cfready server` takes no
    // arguments; stdio is what it speaks.
    command: found.command,
    args: ["server"],
    options: { cwd: folders[0], shell: found.shell },
  };
  const clientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: serverSettings(configuration),
    outputChannel: output,
    diagnosticCollectionName: "cfready",
  };
  client = new LanguageClient("cfready", "cfready", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message =
      `${found.command} did not start its language server (\`cfready server\`; an older cfready ` +
      `lacks it): ${error && error.message ? error.message : error}`;
    output.appendLine(message);
    vscode.window.showErrorMessage(message, "Show Output").then((choice) => {
      if (choice) output.show(true);
    });
  }
}

async function stop() {
  const running = client;
  client = null;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.appendLine(`Stopping the language server: ${error && error.message ? error.message : error}`);
    }
  }
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  output = vscode.window.createOutputChannel("cfready");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("cfready.restart", restart),
    vscode.commands.registerCommand("cfready.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("cfready.path")) {
        return restart();
      }
      if (client && (event.affectsConfiguration("cfready.ignore") || event.affectsConfiguration("cfready.strict"))) {
        const settings = serverSettings(vscode.workspace.getConfiguration("cfready"));
        return client.sendNotification(DidChangeConfigurationNotification.type, { settings });
      }
      return undefined;
    }),
    // Trust lets the workspace's node_modules and its cfready.path be used.
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = {
  activate,
  deactivate,
  findCfready,
  platformPackages,
  serverSettings,
  DOCUMENT_SELECTOR,
  INSTALL_COMMANDS,
};
