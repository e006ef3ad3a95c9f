(body "}" @end) @indent
(rollout_block "}" @end) @indent
(tiers_reward "}" @end) @indent
(test_decl "}" @end) @indent
(parameters ")" @end) @indent
(arguments ")" @end) @indent
(list "]" @end) @indent
