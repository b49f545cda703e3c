-- PolicyLang in Neovim: `.policy` files get the `policylang` filetype and `policyc lsp`.
-- Put this file in ~/.config/nvim/plugin/ (or `require` it from init.lua); `policyc` must be on
-- PATH, or set vim.g.policyc to its full path. Works with Neovim 0.7 and later.
vim.cmd([[autocmd BufRead,BufNewFile *.policy setlocal filetype=policylang commentstring=#\ %s]])

local function start()
  local config = {
    name = 'policyc',
    cmd = { vim.g.policyc or 'policyc', 'lsp' },
    root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':p:h'),
    -- `lang` ('en' or 'zh') overrides the locale; `rootDirectory` confines imports to a folder.
    init_options = vim.g.policylang_init_options,
  }
  if vim.lsp.start then
    vim.lsp.start(config) -- Neovim 0.8 and later: reuses a running client
  else
    local id = vim.lsp.start_client(config)
    if id then vim.lsp.buf_attach_client(0, id) end
  end
end

vim.api.nvim_create_autocmd('FileType', { pattern = 'policylang', callback = start })
