; The outline panel: every declaration, by kind and name.

(scene_decl "scene" @context name: (identifier) @name) @item
(category_decl "category" @context name: (identifier) @name) @item
(region_decl "region" @context name: (identifier) @name) @item
(segment_decl "segment" @context name: (identifier) @name) @item
(fund_decl "fund" @context name: (identifier) @name) @item
(policy_decl "policy" @name) @item
(pool_decl "pool" @context name: (identifier) @name) @item
(template_decl "template" @context name: (identifier) @name) @item
(campaign_decl "campaign" @context name: (identifier) @name) @item
(test_decl "test" @context name: (identifier) @name) @item
