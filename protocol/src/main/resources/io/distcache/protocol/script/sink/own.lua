--#include library
-- Records a member of a consumer group as the owner of partitions, if the caller still may write (see fence).
-- Every batch of a member is fenced on the owner field of each partition it moves (owner:<p>), so once another
-- member owns a partition, the batches of the one before it refuse.
-- KEYS[1] meta hash
-- ARGV[1] the writer's generation   ARGV[2] its token (the group's)   ARGV[3] "0" (no offsets to fence on)
-- ARGV[4] n, then n triples: partition, the owner token the caller held ("" to take the partition, because the
--         group just gave it to the caller), the owner token it holds from now on
-- An owner token is "<member>/<group generation>/<count>". A partition is taken unless a member took it in a
-- later generation of the group (the caller was paused before it could take it). It is kept when its owner
-- field is the token the caller held, or absent (Redis lost the meta hash); another token there means the caller
-- lost it.
-- Returns {0, then per partition its stored next offset ("" when none), or "-" when the caller lost it}, or
-- {-1} / {-3} with nothing changed.
local function group_generation(token)
  return tonumber(string.match(token or '', '^[^/]*/(%d+)/') or '-1')
end

local refused = fence(KEYS[1], ARGV[1], ARGV[2], 3)
if refused < 0 then
  return {refused}
end
local reply = {0}
for j = 0, tonumber(ARGV[4]) - 1 do
  local partition = ARGV[5 + 3 * j]
  local held = ARGV[6 + 3 * j]
  local token = ARGV[7 + 3 * j]
  local owner = redis.call('HGET', KEYS[1], 'owner:' .. partition)
  local owns
  if held == '' then
    owns = group_generation(owner) <= group_generation(token)
  else
    owns = held ~= '-' and (not owner or owner == held)
  end
  if owns then
    redis.call('HSET', KEYS[1], 'owner:' .. partition, token)
    reply[#reply + 1] = redis.call('HGET', KEYS[1], 'offset:' .. partition) or ''
  else
    reply[#reply + 1] = '-'
  end
end
return reply
