#!/usr/bin/env bash
# `cfready server` proven with a real editor: Debian's Neovim and its built-in LSP client
# (run by .ci/run).
#   - a copy of the example questionnaire with two known mistakes (a key typo, `retension`,
#     and `honours_retry_after: yes`) is opened in `nvim --headless`, with a small Lua config
#     that attaches `cfready server` to it;
#   - Neovim waits for the diagnostics and writes them out; they must equal
#     `cfready lint --format json` of the same text (codes and lines);
#   - it asks for the code actions at the typo, applies the preferred one and saves; the saved
#     file must lint without the typo's finding, with `retention:` written, and nothing else
#     in it changed.
# CFREADY=path uses that binary instead of building a debug one.
# Needs: neovim (apt-get install neovim; installed here when missing), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/binary.sh
source scripts/binary.sh
# shellcheck source=scripts/typo-questionnaire.sh
source scripts/typo-questionnaire.sh
cfready=$(cfready_binary debug)
if ! command -v nvim >/dev/null; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
nvim --version | head -1

work=$(mktemp -d)
[ -n "${PROOF_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
file="$work/cloud-fortified.yaml"
typo_questionnaire "$work"

cat > "$work/proof.lua" <<'LUA'
-- Attach cfready server to the questionnaire, wait for diagnostics, write them out, apply the
-- preferred code action at the typo, save. Any failure exits non-zero.
local function fail(message)
  io.stderr:write("editor proof: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local ok, err = pcall(function()
  local file, out = vim.env.PROOF_FILE, vim.env.PROOF_OUT
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = "cfready",
    cmd = { vim.env.CFREADY, "server" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
  })
  if not client then return fail("the client did not start") end
  vim.lsp.buf_attach_client(buf, client)

  local function code(d)
    return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  end
  if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
    return fail("no diagnostics within 30 s")
  end
  local diagnostics = vim.diagnostic.get(buf)
  table.sort(diagnostics, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  local lines, typo = {}, nil
  for _, d in ipairs(diagnostics) do
    table.insert(lines, vim.fn.json_encode({ code = code(d), line = d.lnum + 1, message = d.message }))
    if d.message:find("retension", 1, true) then typo = d end
  end
  vim.fn.writefile(lines, out .. "/diagnostics.jsonl")
  if not typo then return fail("no diagnostic for the typo") end

  -- Hover on the typo: the rule's documentation.
  local uri = vim.uri_from_bufnr(buf)
  local at = { line = typo.lnum, character = typo.col }
  local hovers = vim.lsp.buf_request_sync(buf, "textDocument/hover",
    { textDocument = { uri = uri }, position = at }, 10000) or {}
  local hover = ""
  for _, response in pairs(hovers) do
    if response.result then hover = response.result.contents.value end
  end
  vim.fn.writefile(vim.split(hover, "\n"), out .. "/hover.md")

  local params = {
    textDocument = { uri = uri },
    range = { start = at, ["end"] = { line = typo.end_lnum, character = typo.end_col } },
    context = { diagnostics = { typo.user_data and typo.user_data.lsp or {} } },
  }
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000) or {}
  local titles, applied = {}, nil
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, (action.isPreferred and "* " or "  ") .. action.title)
      if action.isPreferred and not applied then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        applied = action.title
      end
    end
  end
  vim.fn.writefile(titles, out .. "/actions.txt")
  if not applied then return fail("no preferred code action at the typo") end
  vim.cmd("write")
  vim.lsp.stop_client(client)
  vim.cmd("qall!")
end)
if not ok then fail(tostring(err)) end
LUA

PROOF_FILE="$file" PROOF_OUT="$work" CFREADY="$cfready" \
  timeout 120 nvim --headless --noplugin -i NONE -u "$work/proof.lua"
echo

echo "-- diagnostics Neovim showed ($(wc -l < "$work/diagnostics.jsonl")):"
cat "$work/diagnostics.jsonl"
echo "-- code actions at the typo (* preferred):"
cat "$work/actions.txt"
echo "-- hover at the typo (first line): $(head -1 "$work/hover.md")"

typo_fixed Neovim "$work" "$cfready"
