; Generated from grammar/tree-sitter-camp/queries/indents.scm with Helix's
; capture names by grammar/tree-sitter-camp/bindings/rust/tests/queries.rs.
; Do not edit: change the source and run
; `UPDATE_EDITOR_QUERIES=1 cargo test -p tree-sitter-camp --test queries`.

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
] @indent

[
  "}"
  "]"
  ")"
] @outdent
