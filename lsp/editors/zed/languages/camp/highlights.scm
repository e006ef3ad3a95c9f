; Generated from grammar/tree-sitter-camp/queries/highlights.scm with Zed's
; capture names by grammar/tree-sitter-camp/bindings/rust/tests/queries.rs.
; Do not edit: change the source and run
; `UPDATE_EDITOR_QUERIES=1 cargo test -p tree-sitter-camp --test queries`.

; Camp highlights. This file is the one source: the Neovim copy is
; identical, the Helix and Zed copies are generated from it with their
; capture names (grammar/tree-sitter-camp/bindings/rust/tests/queries.rs).
;
; Capture names are Neovim's (`:help treesitter-highlight-groups`). Every
; node is captured by at most one pattern, so the order of the patterns
; does not matter in any editor (a test checks it).

; ---------------------------------------------------------------- comments

(comment) @comment

(doc_comment) @comment.doc

; ---------------------------------------------------------------- declarations

(scene_decl "scene" @keyword name: (identifier) @type)
(category_decl "category" @keyword name: (identifier) @type)
(region_decl "region" @keyword name: (identifier) @type)
(segment_decl "segment" @keyword name: (identifier) @type)
(fund_decl "fund" @keyword name: (identifier) @type)
(policy_decl "policy" @keyword)
(template_decl "template" @keyword name: (identifier) @function)
(campaign_decl "campaign" @keyword name: (identifier) @type)
(test_decl "test" @keyword name: (identifier) @function)
(test_decl "test" @keyword name: (string))
(merchant_group_decl "merchant_group" @keyword name: (identifier) @type)
(instrument_decl "instrument" @keyword name: (identifier) @type)
(pool_decl "pool" @keyword name: (identifier) @type)

(from_clause template: (identifier) @function)

(parameter name: (identifier) @variable.parameter)
(argument name: (identifier) @variable.parameter)

((type_name) @type.builtin
  (#any-of? @type.builtin
    "Money" "Rate" "Count" "Duration" "Text" "Scene" "Category" "Region" "Segment" "Fund" "MerchantGroup" "Instrument" "Pool"))

((type_name) @type
  (#not-any-of? @type
    "Money" "Rate" "Count" "Duration" "Text" "Scene" "Category" "Region" "Segment" "Fund" "MerchantGroup" "Instrument" "Pool"))

; ---------------------------------------------------------------- fields

(generic_field key: (identifier) @property)

[
  "approvals"
  "window"
  "reward"
  "limit"
  "guard"
  "stacking"
  "hours"
] @property

(throughput_key) @property

; `per user`, `per day`; `halt when spend`
(limit_field per: (identifier) @constant.builtin)
(guard_field metric: (identifier) @constant.builtin)

[
  "from"
  "in"
  "to"
  "per"
  "halt"
  "when"
  "exclusive"
  "stacks_with"
  "up_to"
  "stage"
  "for"
  "pay"
  "at"
  "no"
  "discount"
  "back"
  "card"
  "ip"
  "time"
  "refused"
  "conflicting"
  "replay"
  "claim"
  "claimed"
  "total"
  "off"
  "random"
  "tiers"
  "spend"
  "cap"
  "min_spend"
  "every"
  "price"
  "max_spend"
  "rollout"
] @keyword

(stage_segment "segment" @keyword (identifier) @variable)
(pay_attribute ["category" "region" "segment" "group" "merchant" "user" "device" "id"] @keyword (identifier) @variable)
(claim_line campaign: (identifier) @variable)
(pay_attribute "card" (identifier) @variable)
(no_discount reason: (identifier) @constant.builtin)
(claim_outcome reason: (identifier) @constant.builtin)
(pay scene: (identifier) @variable)

; ---------------------------------------------------------------- values

((atom (identifier) @boolean)
  (#any-of? @boolean "true" "false"))

((atom (identifier) @constant.builtin)
  (#eq? @constant.builtin "any"))

((atom (identifier) @variable)
  (#not-any-of? @variable "true" "false" "any"))

(string) @string

(escape_sequence) @string.escape

(money currency: (currency) @constant.builtin amount: (number) @number)

(atom (number) @number)

(rate) @number

(duration) @number

(instant (date) @string.special (time) @string.special)
(clock) @string.special

(zone) @constant

; A currency code on its own: `currencies: [CNY, HKD]`.
((upper_word) @constant.builtin
  (#match? @constant.builtin "^[A-Z][A-Z][A-Z]$"))

((upper_word) @constant
  (#not-match? @constant "^[A-Z][A-Z][A-Z]$"))

; ---------------------------------------------------------------- punctuation

[
  "=>"
  ">"
  ".."
] @operator

[
  ":"
  ","
  ";"
] @punctuation.delimiter

[
  "{"
  "}"
  "["
  "]"
  "("
  ")"
] @punctuation.bracket
