[
  (body)
  (rollout_block)
  (tiers_reward)
  (test_decl)
  (parameters)
  (arguments)
  (list)
] @fold
