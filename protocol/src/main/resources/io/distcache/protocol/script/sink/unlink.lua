--#include library
-- One page of a namespace clear on a standalone or Sentinel master: unlinks the page's entries only if
-- the caller still may write (see fence), so an instance that lost its claim, or replays an old
-- truncate, removes nothing.
-- KEYS[1] meta hash, KEYS[2..] entry keys; ARGV[1] the writer's generation, ARGV[2] its token,
-- ARGV[3] n offset moves and their triples (see fence)
-- Returns the number of keys unlinked, or -1 / -2 / -3 (see fence) with nothing unlinked.
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 3)
if refused < 0 then
  return refused
end
if #KEYS == 1 then
  return 0
end
return redis.call('UNLINK', unpack(KEYS, 2))
