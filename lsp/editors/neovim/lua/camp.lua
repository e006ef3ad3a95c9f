-- Camp for Neovim 0.10 and 0.11+: the `camp` filetype, the language server
-- (`camp-lsp`) and tree-sitter highlighting.
--
-- Put this folder (lsp/editors/neovim) on 'runtimepath' and call setup():
--
--   vim.opt.runtimepath:append("/path/to/camp/lsp/editors/neovim")
--   require("camp").setup()
--
-- The highlight, fold, indent and locals queries are in queries/camp/ here.
-- The parser is found as parser/camp.so on 'runtimepath' (build it with
-- build-parser.sh, beside this folder) or installed by nvim-treesitter
-- (`:TSInstall camp` once setup() has registered it). See README.md.

local M = {}

local defaults = {
  -- The language server command.
  cmd = { "camp-lsp" },
  -- A package is the folder holding camp.toml.
  root_markers = { "camp.toml", ".git" },
  -- Start tree-sitter highlighting in Camp buffers.
  highlight = true,
  -- Where nvim-treesitter fetches the grammar from.
  repository = "https://github.com/camp-lang/camp",
}

local warned = false

-- The language server on 0.10: `vim.lsp.start` for each Camp buffer, which
-- re-uses a running client with the same name and root.
local function start_server_0_10(opts)
  vim.api.nvim_create_autocmd("FileType", {
    group = vim.api.nvim_create_augroup("camp_lsp", { clear = true }),
    pattern = "camp",
    callback = function(args)
      vim.lsp.start({
        name = "camp",
        cmd = opts.cmd,
        root_dir = vim.fs.root(args.buf, opts.root_markers),
      }, { bufnr = args.buf })
    end,
  })
end

-- The language server on 0.11+: a named configuration, enabled for Camp
-- buffers by Neovim itself.
local function start_server_0_11(opts)
  vim.lsp.config("camp", {
    cmd = opts.cmd,
    filetypes = { "camp" },
    root_markers = opts.root_markers,
  })
  vim.lsp.enable("camp")
end

-- Lets nvim-treesitter install the parser (`:TSInstall camp`), on its
-- `master` branch (a parser table) and on its `main` branch (an event).
local function register_with_nvim_treesitter(opts)
  local install_info = {
    url = opts.repository,
    location = "grammar/tree-sitter-camp",
    files = { "src/parser.c" },
    branch = "main",
  }
  local ok, parsers = pcall(require, "nvim-treesitter.parsers")
  if not ok then
    return
  end
  if type(parsers.get_parser_configs) == "function" then
    parsers.get_parser_configs().camp = { install_info = install_info, filetype = "camp" }
  else
    vim.api.nvim_create_autocmd("User", {
      group = vim.api.nvim_create_augroup("camp_nvim_treesitter", { clear = true }),
      pattern = "TSUpdate",
      callback = function()
        require("nvim-treesitter.parsers").camp = { install_info = install_info }
      end,
    })
  end
end

local function start_highlighting(buf)
  local ok, err = pcall(vim.treesitter.start, buf, "camp")
  if not ok and not warned then
    warned = true
    vim.notify(
      "camp: no tree-sitter parser for Camp, so no highlighting ("
        .. tostring(err)
        .. "); run lsp/editors/neovim/build-parser.sh or :TSInstall camp",
      vim.log.levels.WARN
    )
  end
end

function M.setup(opts)
  opts = vim.tbl_deep_extend("force", defaults, opts or {})

  vim.filetype.add({ extension = { camp = "camp" } })

  if vim.fn.has("nvim-0.11") == 1 then
    start_server_0_11(opts)
  else
    start_server_0_10(opts)
  end

  register_with_nvim_treesitter(opts)

  vim.api.nvim_create_autocmd("FileType", {
    group = vim.api.nvim_create_augroup("camp_buffer", { clear = true }),
    pattern = "camp",
    callback = function(args)
      vim.bo[args.buf].commentstring = "// %s"
      if opts.highlight then
        start_highlighting(args.buf)
      end
    end,
  })
end

return M
