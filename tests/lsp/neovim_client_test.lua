-- Run by run_neovim_client_test.sh, after editors/neovim/stepcare.lua, in a headless Neovim
-- (0.7, Debian's): Neovim's own LSP client against the real `stepcare lsp`, through the
-- functions a user calls. Opens STEPCARE_TEST_FILE (a copy of ketamine-trd.sq) and checks that
-- the client attaches; that an undefined name typed in gets its diagnostic and loses it when
-- removed; that formatting leaves the formatted file as it is and puts back a line indented
-- wrongly; that go to definition jumps to a let; that hover shows it; that rename changes
-- every use and nothing else, and leaves a file without errors; that the server exits cleanly.
-- Prints one line per check and "N passed, N failed"; quits with status 1 when one fails.
-- Every wait is on a condition, with a generous limit, never a fixed pause.
local passed, failed = 0, 0
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    io.stdout:write('ok   ' .. name .. '\n')
  else
    failed = failed + 1
    io.stdout:write('FAIL ' .. name .. (detail and ('\n     ' .. tostring(detail)) or '') .. '\n')
  end
  io.stdout:flush()
end
local function wait(condition) return (vim.wait(20000, condition, 10)) end
local function finish()
  io.stdout:write(passed .. ' passed, ' .. failed .. ' failed\n')
  io.stdout:flush()
  vim.cmd(failed > 0 and 'cquit 1' or 'qall!')
end

-- How the server exits, and every diagnostics notification it sends, seen beside what the
-- snippet and Neovim do with them.
local client_id, exit_code, exit_signal
local start_client = vim.lsp.start_client
vim.lsp.start_client = function(config)
  config.on_exit = function(code, signal) exit_code, exit_signal = code, signal end
  client_id = start_client(config)
  return client_id
end
local published = {} -- { version = ..., errors = ... } in the order they came
local on_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  local errors = 0
  for _, d in ipairs(result and result.diagnostics or {}) do
    if d.severity == 1 then errors = errors + 1 end
  end
  table.insert(published, { version = result and result.version, errors = errors })
  return on_publish(err, result, ctx, config)
end

vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.STEPCARE_TEST_FILE))
local buf = vim.api.nvim_get_current_buf()
check('the file type is stepcare', vim.bo[buf].filetype == 'stepcare', vim.bo[buf].filetype)
check('the snippet starts a client', client_id ~= nil)
if not client_id then return finish() end
check('attached to the buffer', vim.lsp.buf_is_attached(buf, client_id))
local client = vim.lsp.get_client_by_id(client_id)
check('the client initializes', wait(function() return client.initialized end))
if not client.initialized then return finish() end
check('the server is stepcare', client.name == 'stepcare' and client.config.cmd[2] == 'lsp')

local function lines() return vim.api.nvim_buf_get_lines(buf, 0, -1, false) end
local function text() return table.concat(lines(), '\n') end
local function line_matching(pattern)
  for i, l in ipairs(lines()) do
    local at = l:find(pattern)
    if at then return i, at end
  end
end
-- The version Neovim gave the buffer's last change (sent, or about to be sent).
local function version() return vim.lsp.util.buf_versions[buf] end
-- The last of at least `count` notifications for the buffer's current version (the quick
-- diagnostics, then those of the full check with tests and proofs after a pause), or nil.
local function published_for_now(count)
  local n, last = 0, nil
  for _, p in ipairs(published) do
    if p.version == version() then n, last = n + 1, p end
  end
  if n >= count then return last end
end
local function diagnostics_of_now(count)
  wait(function() return published_for_now(count) ~= nil end)
  return published_for_now(count)
end
local function with_code(code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return d end
  end
end

local original = text()
check('the file has no diagnostics when opened', diagnostics_of_now(1) ~= nil and #vim.diagnostic.get(buf) == 0)

-- An undefined name typed in: its diagnostic, which suggests the name meant.
local let_line = line_matching('^  let adult = ')
vim.api.nvim_buf_set_lines(buf, let_line, let_line, false, { '  let broken = adultt' })
local undefined
check('an undefined-name diagnostic arrives for a name typed in', wait(function()
  undefined = with_code('undefined-name')
  return undefined ~= nil
end))
if undefined then
  check('on the line typed in', undefined.lnum == let_line, undefined.lnum)
  check("suggesting 'adult'", undefined.message:find("'adult'") ~= nil, undefined.message)
end
vim.api.nvim_buf_set_lines(buf, let_line, let_line + 1, false, {})
check('the diagnostics clear when the line is removed', wait(function()
  local now = published_for_now(1)
  return now ~= nil and now.errors == 0 and #vim.diagnostic.get(buf) == 0
end), vim.inspect(vim.diagnostic.get(buf)))
check('the buffer is as opened again', text() == original)

-- Formatting: nothing to change in a formatted file; a line indented wrongly is put back.
local format = function()
  if vim.lsp.buf.format then return vim.lsp.buf.format({ timeout_ms = 20000 }) end
  return vim.lsp.buf.formatting_sync(nil, 20000)
end
local tick = vim.api.nvim_buf_get_changedtick(buf)
format()
check('formatting leaves the formatted file unchanged', text() == original and
  vim.api.nvim_buf_get_changedtick(buf) == tick)
vim.api.nvim_buf_set_lines(buf, let_line - 1, let_line, false, { '      let   adult=age>=18' })
format()
check('formatting puts back a line written in another layout', text() == original,
  vim.api.nvim_buf_get_lines(buf, let_line - 1, let_line, false)[1])

-- Go to definition from `when adult`.
local use_line, use_at = line_matching('when adult')
vim.api.nvim_win_set_cursor(0, { use_line, use_at - 1 + #'when ad' })
vim.lsp.buf.definition()
local name_column = #'  let '
check('go to definition jumps to the name in `let adult`', wait(function()
  local at = vim.api.nvim_win_get_cursor(0)
  return at[1] == let_line and at[2] == name_column
end), vim.inspect(vim.api.nvim_win_get_cursor(0)) .. ', wanted { ' .. let_line .. ', ' .. name_column .. ' }')

-- Hover on the same use: the floating window shows the let.
vim.api.nvim_win_set_cursor(0, { use_line, use_at - 1 + #'when ad' })
local main_window = vim.api.nvim_get_current_win()
vim.lsp.buf.hover()
local shown
check('hover shows `let adult = age >= 18`', wait(function()
  for _, window in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(window).relative ~= '' then
      shown = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(window), 0, -1, false), '\n')
      if shown:find('let adult = age >= 18', 1, true) then return true end
    end
  end
  return false
end), shown)
for _, window in ipairs(vim.api.nvim_list_wins()) do
  if vim.api.nvim_win_get_config(window).relative ~= '' then vim.api.nvim_win_close(window, true) end
end
vim.api.nvim_set_current_win(main_window)

-- Rename from the use: every use of the name changes, no comment or text does.
-- The code of a line: its strings blanked and its comment cut off.
local function code_of(line)
  local out, in_string, i = {}, false, 1
  while i <= #line do
    local c = line:sub(i, i)
    if in_string then
      if c == '\\' then i = i + 1 elseif c == '"' then in_string = false end
      c = ' '
    elseif c == '"' then
      in_string, c = true, ' '
    elseif c == '#' then
      break
    end
    table.insert(out, c)
    i = i + 1
  end
  return table.concat(out)
end
local function uses_of(name)
  local n = 0
  for _, l in ipairs(lines()) do
    for _ in code_of(l):gmatch('%f[%w_]' .. name .. '%f[^%w_]') do n = n + 1 end
  end
  return n
end
-- Everything but the code: the strings and comments, in order.
local function words_and_comments()
  local out = {}
  for _, l in ipairs(lines()) do
    local code = code_of(l)
    for i = 1, #l do
      if i > #code or code:sub(i, i) ~= l:sub(i, i) then table.insert(out, l:sub(i, i)) end
    end
  end
  return table.concat(out)
end
local uses = uses_of('adult')
local prose = words_and_comments()
local edits
local on_rename = vim.lsp.handlers['textDocument/rename']
vim.lsp.handlers['textDocument/rename'] = function(err, result, ctx, config)
  edits = 0
  for _, changes in pairs(result and result.changes or {}) do edits = edits + #changes end
  return on_rename(err, result, ctx, config)
end
tick = vim.api.nvim_buf_get_changedtick(buf)
vim.api.nvim_win_set_cursor(0, { use_line, use_at - 1 + #'when ad' })
vim.lsp.buf.rename('grown_up')
check('rename changes the buffer', wait(function() return vim.api.nvim_buf_get_changedtick(buf) ~= tick end))
check('with one edit for each of the ' .. uses .. ' uses of adult', edits == uses and uses > 10, edits)
check('no use of adult is left', uses_of('adult') == 0, uses_of('adult'))
check('every use is now grown_up', uses_of('grown_up') == uses, uses_of('grown_up'))
check('no text and no comment changed', #prose > 10000 and words_and_comments() == prose, #prose)
check('the let is `let grown_up = age >= 18`', lines()[let_line] == '  let grown_up = age >= 18', lines()[let_line])
-- Both the diagnostics at once and those of the full check after the pause.
local after = diagnostics_of_now(2)
check('the server publishes the renamed file without errors, after its tests and proofs',
  after ~= nil and after.errors == 0 and #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) == 0,
  vim.inspect(vim.diagnostic.get(buf)))

-- The server stops when asked, with status 0.
vim.lsp.stop_client(client.id)
check('the server exits with status 0 when stopped', wait(function() return exit_code ~= nil end) and
  exit_code == 0 and exit_signal == 0, tostring(exit_code) .. ', signal ' .. tostring(exit_signal))
finish()
