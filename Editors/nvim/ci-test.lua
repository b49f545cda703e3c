-- The headless Neovim check CI runs (Scripts/nvim-lsp-test.sh sets the environment): open a
-- policy with a mistake through Neovim's own LSP client, wait for the diagnostic, check its line
-- and code, fix the mistake with an edit (incremental sync) and wait for the diagnostic to go,
-- format the buffer and compare it with `policyc fmt`. Exits 0 on success, 1 on any failure.
local env = {
  policyc = os.getenv('POLICYC'),
  file = os.getenv('POLICY_FILE'),
  line = tonumber(os.getenv('EXPECTED_LINE') or ''), -- 1-based, as editors show it
  code = os.getenv('EXPECTED_CODE'),
  wrong = os.getenv('WRONG_NAME'),
  right = os.getenv('RIGHT_NAME'),
  formatted = os.getenv('FORMATTED_FILE'),
}
local timeout = 20000

local function finish(ok, message)
  io.stderr:write((ok and 'nvim-lsp-test: ok: ' or 'nvim-lsp-test: FAIL: ') .. message .. '\n')
  vim.cmd(ok and 'qall!' or 'cquit 1')
end

local function run()
  for key, value in pairs(env) do
    if value == nil then return finish(false, 'environment variable for ' .. key .. ' is missing') end
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(env.file))
  local buffer = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'policyc',
    cmd = { env.policyc, 'lsp' },
    root_dir = vim.fn.fnamemodify(env.file, ':p:h'),
  })
  if not client then return finish(false, 'cannot start ' .. env.policyc .. ' lsp') end
  vim.lsp.buf_attach_client(buffer, client)

  -- 1. The diagnostic of the mistake, on its line, with its code.
  if not vim.wait(timeout, function() return #vim.diagnostic.get(buffer) > 0 end, 20) then
    return finish(false, 'no diagnostics within ' .. timeout .. ' ms')
  end
  local diagnostics = vim.diagnostic.get(buffer)
  local first = diagnostics[1]
  if #diagnostics ~= 1 or first.lnum + 1 ~= env.line or first.code ~= env.code then
    return finish(false, string.format('expected one %s on line %d, got %d: %s on line %d: %s',
      env.code, env.line, #diagnostics, tostring(first.code), first.lnum + 1, first.message))
  end

  -- 2. Fix the name in place: Neovim sends an incremental change; the diagnostic goes away.
  local text = vim.api.nvim_buf_get_lines(buffer, first.lnum, first.lnum + 1, true)[1]
  local from, to = string.find(text, env.wrong, 1, true)
  if not from then return finish(false, 'the line does not hold ' .. env.wrong .. ': ' .. text) end
  vim.api.nvim_buf_set_text(buffer, first.lnum, from - 1, first.lnum, to, { env.right })
  if not vim.wait(timeout, function() return #vim.diagnostic.get(buffer) == 0 end, 20) then
    return finish(false, 'the diagnostic stayed after the fix: ' .. vim.diagnostic.get(buffer)[1].message)
  end

  -- 3. Format through the server and compare with `policyc fmt`.
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = buffer, timeout_ms = timeout })
  else
    vim.lsp.buf.formatting_sync(nil, timeout)
  end
  local lines = vim.api.nvim_buf_get_lines(buffer, 0, -1, true)
  local expected = vim.fn.readfile(env.formatted)
  if table.concat(lines, '\n') ~= table.concat(expected, '\n') then
    for i = 1, math.max(#lines, #expected) do
      if lines[i] ~= expected[i] then
        return finish(false, string.format('formatted buffer differs at line %d:\n  got:      %s\n  expected: %s',
          i, tostring(lines[i]), tostring(expected[i])))
      end
    end
  end
  vim.lsp.stop_client(client)
  vim.wait(5000, function() return vim.lsp.client_is_stopped(client) end, 20)
  finish(true, string.format('%s on line %d, fixed, formatted (%d lines)', env.code, env.line, #lines))
end

local ok, err = pcall(run)
if not ok then finish(false, tostring(err)) end
