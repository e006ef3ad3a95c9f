; Neovim's indent captures (nvim-treesitter): a block indents its lines, its
; closing bracket goes back. The Helix copy is generated with Helix's
; captures (`@indent`, `@outdent`).

[
  (body)
  (rollout_block)
  (tiers_reward)
  (test_decl)
  (parameters)
  (arguments)
  (list)
] @indent.begin

[
  "}"
  "]"
  ")"
] @indent.branch
