-- Run by run_neovim_test.sh, after editors/neovim/stepcare.lua, in a headless Neovim. Opens
-- the .sq files of the folder STEPCARE_TEST_DIR and checks their file type and comment
-- string, and how the server is started, after STEPCARE_TEST_MODE:
--   start         as Neovim 0.8 and later do it: vim.lsp.start, here recorded, not run
--   start_client  as on Neovim 0.7: vim.lsp.start_client and buf_attach_client, recorded
--   real          with this Neovim's own functions: the program `stepcare` on PATH must be
--                 run with the argument lsp (the test's program writes its arguments down)
-- Prints one line per check and "N passed, N failed"; quits with status 1 when one fails.
local dir = vim.env.STEPCARE_TEST_DIR
local mode = vim.env.STEPCARE_TEST_MODE
local passed, failed = 0, 0

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    io.stdout:write('ok   ' .. name .. '\n')
  else
    failed = failed + 1
    io.stdout:write('FAIL ' .. name .. (detail and ('\n     ' .. detail) or '') .. '\n')
  end
end

-- Each file with the workspace the server must be given.
local files = {
  { path = dir .. '/repo/forms/a.sq', root = dir .. '/repo' },
  { path = dir .. '/repo/forms/b.sq', root = dir .. '/repo' },
  { path = dir .. '/repo/my forms, old/c.sq', root = dir .. '/repo' },
  { path = dir .. '/worktree/d.sq', root = dir .. '/worktree' },
  { path = dir .. '/alone/e.sq', root = dir .. '/alone' },
}

local started = {}
local attached = {}
if mode == 'start' then
  vim.lsp.start = function(config, opts)
    table.insert(started, { config = config, bufnr = opts and opts.bufnr })
  end
elseif mode == 'start_client' then
  vim.lsp.start = nil
  vim.lsp.start_client = function(config)
    table.insert(started, { config = config })
    return #started
  end
  vim.lsp.get_client_by_id = function(id)
    return started[id] and { is_stopped = function() return false end } or nil
  end
  vim.lsp.buf_attach_client = function(buf, id)
    attached[buf] = id
  end
end

for _, file in ipairs(files) do
  vim.cmd('edit ' .. vim.fn.fnameescape(file.path))
  file.buf = vim.api.nvim_get_current_buf()
  check(file.path:sub(#dir + 2) .. ': file type stepcare, comment string "# %s"',
    vim.bo.filetype == 'stepcare' and vim.bo.commentstring == '# %s',
    'file type "' .. vim.bo.filetype .. '", comment string "' .. vim.bo.commentstring .. '"')
end

local function same_command(config)
  return vim.deep_equal(config.cmd, { 'stepcare', 'lsp' }) and config.name == 'stepcare'
end

if mode == 'start' then
  check('vim.lsp.start is called once for each file', #started == #files, #started .. ' calls')
  for i, file in ipairs(files) do
    local call = started[i] or { config = {} }
    check(file.path:sub(#dir + 2) .. ': stepcare lsp, in ' .. file.root:sub(#dir + 2),
      same_command(call.config) and call.config.root_dir == file.root and call.bufnr == file.buf,
      vim.inspect(call))
  end
elseif mode == 'start_client' then
  check('one client for each workspace (3)', #started == 3, #started .. ' clients: ' .. vim.inspect(started))
  for _, file in ipairs(files) do
    local call = started[attached[file.buf] or 0] or { config = {} }
    check(file.path:sub(#dir + 2) .. ': attached to stepcare lsp in ' .. file.root:sub(#dir + 2),
      same_command(call.config) and call.config.root_dir == file.root, vim.inspect(call))
  end
elseif mode == 'real' then
  local args_file = dir .. '/arguments'
  local ran = vim.wait(5000, function() return vim.fn.filereadable(args_file) == 1 end, 50)
  local args = ran and vim.fn.readfile(args_file)[1] or ''
  check('the program stepcare is run with the argument lsp', args == 'lsp', 'arguments: "' .. args .. '"')
end

io.stdout:write(passed .. ' passed, ' .. failed .. ' failed\n')
vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
