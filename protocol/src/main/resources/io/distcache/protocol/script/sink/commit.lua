--#include library
-- Redis Cluster, step 3 of a batch, sent once every entry write of the batch was answered: checks the
-- writer's generation, token and the batch's start offsets again and moves the offsets, so they are
-- written after the data they cover.
-- KEYS[1] meta hash; ARGV[1] the writer's generation, ARGV[2] its token, ARGV[3] n offset moves and their
-- triples (see fence)
-- Returns 0, or -1 (generation) / -2 (offsets) / -3 (token) with nothing moved.
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 3)
if refused < 0 then
  return refused
end
move_offsets(KEYS[1], 3)
return 0
