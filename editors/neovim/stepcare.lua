-- Stepcare questionnaires (.sq) in Neovim 0.7 or later: the file type, the comment string,
-- and the language server `stepcare lsp` for diagnostics, hover, go to definition,
-- references, rename, completion, symbols, formatting, code actions and folding.
-- Save this file as ~/.config/nvim/plugin/stepcare.lua, or paste it into your init.lua.

-- The program: a name found on PATH, or a full path.
local stepcare = 'stepcare'

vim.filetype.add({ extension = { sq = 'stepcare' } })
-- Neovim 0.7 still detects file types with filetype.vim unless g:do_filetype_lua is set,
-- and then ignores vim.filetype.add.
if vim.fn.has('nvim-0.8') == 0 then
  vim.api.nvim_create_autocmd({ 'BufNewFile', 'BufRead' }, {
    pattern = '*.sq',
    callback = function(args)
      vim.bo[args.buf].filetype = 'stepcare'
    end,
  })
end

-- The server's workspace: the folder that holds .git above the file (a folder, or a file
-- in a git worktree), else the file's own folder.
local function root_of(file)
  local folder = vim.fn.fnamemodify(file, ':p:h')
  local search = vim.fn.escape(folder, ' ,\\') .. ';'
  local git = vim.fn.finddir('.git', search)
  if git == '' then
    git = vim.fn.findfile('.git', search)
  end
  if git == '' then
    return folder
  end
  return vim.fn.fnamemodify((vim.fn.fnamemodify(git, ':p'):gsub('/$', '')), ':h')
end

-- Neovim 0.7 has no vim.lsp.start: one client per workspace, attached to its buffers.
local clients = {}
local function start_on_0_7(config, buf)
  local id = clients[config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(buf, id)
  end
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'stepcare',
  callback = function(args)
    vim.bo[args.buf].commentstring = '# %s'
    local config = {
      name = 'stepcare',
      cmd = { stepcare, 'lsp' },
      root_dir = root_of(vim.api.nvim_buf_get_name(args.buf)),
    }
    if vim.lsp.start then
      -- Reuses the client already running for the same workspace.
      vim.lsp.start(config, { bufnr = args.buf })
    else
      start_on_0_7(config, args.buf)
    end
  end,
})
