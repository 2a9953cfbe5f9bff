-- Drives Neovim's own LSP client against `stepcare lsp`: diagnostics arrive for an error,
-- go to definition jumps to a let, and rename changes every use. Exits 0 when all hold.
local failures = {}
local function check(what, ok) if not ok then table.insert(failures, what) end; print((ok and 'ok   ' or 'FAIL ') .. what) end
local function wait(ms, condition) return vim.wait(ms, condition, 20) end

vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('STEPCARE_TEST_FILE')))
local buf = vim.api.nvim_get_current_buf()
check('the file type is stepcare', vim.bo[buf].filetype == 'stepcare')
check('a client attaches', wait(10000, function() return #vim.lsp.buf_get_clients(buf) > 0 end))
local client = vim.lsp.buf_get_clients(buf)[next(vim.lsp.buf_get_clients(buf))]
check('the client initializes', wait(10000, function() return client.initialized end))

-- An undefined name: the diagnostic arrives while typing.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local let_line
for i, l in ipairs(lines) do if l:match('^  let adult') then let_line = i end end
vim.api.nvim_buf_set_lines(buf, let_line, let_line, false, { '  let broken = adultt' })
check('an undefined-name diagnostic arrives', wait(10000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == 'undefined-name' then return true end end
  return false
end))
vim.api.nvim_buf_set_lines(buf, let_line, let_line + 1, false, {})
check('it goes away when the line is removed', wait(10000, function() return #vim.diagnostic.get(buf) == 0 end))

-- Go to definition from a use of `adult`.
local use_line, use_col
lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
for i, l in ipairs(lines) do
  local c = l:find('when adult')
  if c then use_line, use_col = i - 1, c + 4; break end
end
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = use_line, character = use_col } }
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/definition', params, 5000) or {}
local _, first = next(responses)
local target = first and first.result and (first.result.range or (first.result[1] or {}).range)
check('definition points at the let', target ~= nil and target.start.line == let_line - 1)

-- Rename `adult` everywhere.
params.newName = 'grown_up'
responses = vim.lsp.buf_request_sync(buf, 'textDocument/rename', params, 5000) or {}
_, first = next(responses)
if first and first.result then vim.lsp.util.apply_workspace_edit(first.result, client.offset_encoding or 'utf-16') end
local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
check('rename changed every use', text:find('let grown_up') ~= nil and text:find('when adult') == nil and text:find('%(adult and') == nil)

vim.lsp.stop_client(client.id)
if #failures > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
