--#include library
-- Starts building a new generation of a namespace beside the current one, in a key space of its own that
-- nobody reads yet, if the caller still may write (see fence). A build already under way is abandoned: its
-- key space is retired. A pending rebuild request is taken.
-- KEYS[1] meta hash
-- ARGV[1] the writer's generation (the current one)   ARGV[2] its token   ARGV[3] the new generation
-- ARGV[4] its key space   ARGV[5] its projection version   ARGV[6] ms after which an abandoned space is deleted
-- ARGV[7] the topic's id and ARGV[8] its partition count now: the build reads this topic, so the stored offsets
-- are checked against it from now on   ARGV[9] "0" (no offsets to fence on)
-- ARGV[10] n, then n pairs: partition, the next offset the build starts from
-- Returns 0, or -1 / -3 (see fence) with nothing changed.
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 9)
if refused < 0 then
  return refused
end
local abandoned = redis.call('HGET', KEYS[1], 'shadow-space')
if abandoned and abandoned ~= ARGV[4] then
  redis.call('HSET', KEYS[1], 'retired:' .. abandoned, now_millis() + tonumber(ARGV[6]))
end
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 14) == 'shadow-offset:' then
    redis.call('HDEL', KEYS[1], field)
  end
end
redis.call('HSET', KEYS[1], 'shadow', ARGV[3], 'shadow-space', ARGV[4], 'shadow-version', ARGV[5],
    'topic-id', ARGV[7], 'partitions', ARGV[8])
for j = 0, tonumber(ARGV[10]) - 1 do
  redis.call('HSET', KEYS[1], 'shadow-offset:' .. ARGV[11 + 2 * j], ARGV[12 + 2 * j])
end
redis.call('HDEL', KEYS[1], 'rebuild-requested')
drop_chains(KEYS[1])
return 0
