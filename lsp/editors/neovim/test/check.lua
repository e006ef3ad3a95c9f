-- Driven by run.sh: sets Camp up as a user would, opens the incident example
-- and checks the filetype, the parser, the highlighting and the language
-- server's diagnostics. Exits non-zero on the first failure.

local branch = assert(os.getenv("CAMP_NVIM_BRANCH"))
local root = assert(os.getenv("CAMP_ROOT"))

local function fail(message)
  io.stderr:write("FAIL (" .. branch .. " branch): " .. message .. "\n")
  os.exit(1)
end

local function check(condition, message)
  if not condition then
    fail(message)
  end
end

if branch == "0.10" then
  local has = vim.fn.has
  vim.fn.has = function(feature)
    if feature == "nvim-0.11" then
      return 0
    end
    return has(feature)
  end
  -- Neither exists on 0.10: the 0.10 branch must not touch them.
  vim.lsp.config = nil
  vim.lsp.enable = nil
end

require("camp").setup({ cmd = { assert(os.getenv("CAMP_LSP")) } })

local package_dir = root .. "/examples/incident-2025-01-16"
vim.cmd.edit(vim.fn.fnameescape(package_dir .. "/promotion.camp"))
local buf = vim.api.nvim_get_current_buf()

check(vim.bo[buf].filetype == "camp", "filetype is '" .. vim.bo[buf].filetype .. "', not 'camp'")
check(vim.bo[buf].commentstring == "// %s", "commentstring is " .. vim.bo[buf].commentstring)

-- The parser and the queries, through Neovim's own query engine.
local tree = vim.treesitter.get_parser(buf, "camp"):parse()[1]
check(not tree:root():has_error(), "the example does not parse: " .. tree:root():sexpr())
check(vim.treesitter.highlighter.active[buf] ~= nil, "tree-sitter highlighting did not start")
for _, query in ipairs({ "highlights", "locals", "folds", "indents" }) do
  local ok, parsed = pcall(vim.treesitter.query.get, "camp", query)
  check(ok and parsed ~= nil, "query " .. query .. ": " .. tostring(parsed))
end

-- `template routine_promotion(` is highlighted as a declaration.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row
for index, line in ipairs(lines) do
  if line:match("^template ") then
    row = index - 1
    break
  end
end
check(row ~= nil, "no template line in the example")
local function captures_at(col)
  local names = {}
  for _, capture in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
    names[#names + 1] = capture.capture
  end
  return table.concat(names, " ")
end
check(captures_at(0) == "keyword.type", "`template` captured as '" .. captures_at(0) .. "'")
check(captures_at(9) == "function", "the template name captured as '" .. captures_at(9) .. "'")

-- The language server: the incident's E0701 (a bare `20` for a rate).
local found = vim.wait(60000, function()
  for _, diagnostic in ipairs(vim.diagnostic.get(buf)) do
    if diagnostic.code == "E0701" then
      return true
    end
  end
  return false
end, 100)
local clients = vim.lsp.get_clients({ bufnr = buf })
check(#clients == 1, #clients .. " language server clients on the buffer")
check(clients[1].name == "camp", "client named " .. clients[1].name)
check(clients[1].config.root_dir == package_dir, "root " .. tostring(clients[1].config.root_dir))
check(found, "no E0701 from camp-lsp; diagnostics: " .. vim.inspect(vim.diagnostic.get(buf)))

io.stdout:write(
  ("ok (%s branch): filetype, parser, highlights, %d diagnostics from camp-lsp\n"):format(
    branch,
    #vim.diagnostic.get(buf)
  )
)
vim.lsp.stop_client(clients[1].id, true)
os.exit(0)
