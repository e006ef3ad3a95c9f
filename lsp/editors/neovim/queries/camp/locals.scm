; Camp names are global in a package; only a template's parameters are
; local, to its body.

(source_file) @local.scope

(template_decl) @local.scope

(parameter name: (identifier) @local.definition.parameter)

(scene_decl name: (identifier) @local.definition.type)
(category_decl name: (identifier) @local.definition.type)
(region_decl name: (identifier) @local.definition.type)
(segment_decl name: (identifier) @local.definition.type)
(fund_decl name: (identifier) @local.definition.type)
(pool_decl name: (identifier) @local.definition.type)
(campaign_decl name: (identifier) @local.definition.type)
(merchant_group_decl name: (identifier) @local.definition.type)
(instrument_decl name: (identifier) @local.definition.type)
(template_decl name: (identifier) @local.definition.function)

(atom (identifier) @local.reference)
