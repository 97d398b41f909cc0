--#include library
-- Makes a built generation current in one step, if the caller still may write and the build is the one it
-- loaded up to the offsets it names (see fence): the build's offsets become the namespace's, its key space and
-- projection version the current ones, the old key space is retired, and a switch record tells edges, which
-- move their reads to the new space and flush their near caches.
-- KEYS[1] meta hash, KEYS[2] change log, KEYS[3] the edges' version counter (dropped: entries edges wrote
-- before the producer owned the namespace stay in the old space)
-- ARGV[1] the writer's generation (the current one)   ARGV[2] its token   ARGV[3] the build's generation
-- ARGV[4] change-log MAXLEN   ARGV[5] ms after which the old space is deleted, or -1 when it holds nothing
-- ARGV[6] n, triples "shadow-offset:<p>", the build's next offset, the same again (see fence)
-- Returns 0, or -1 / -2 / -3 with nothing changed.
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 6)
if refused < 0 then
  return refused
end
local build = redis.call('HMGET', KEYS[1], 'shadow', 'shadow-space', 'shadow-version', 'space')
if build[1] ~= ARGV[3] then
  return -1
end
if tonumber(ARGV[5]) >= 0 then
  redis.call('HSET', KEYS[1], 'retired:' .. (build[4] or ''), now_millis() + tonumber(ARGV[5]))
end
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 7) == 'offset:' then
    redis.call('HDEL', KEYS[1], field)
  end
end
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 14) == 'shadow-offset:' then
    redis.call('HSET', KEYS[1], string.sub(field, 8), redis.call('HGET', KEYS[1], field))
    redis.call('HDEL', KEYS[1], field)
  end
end
redis.call('HSET', KEYS[1], 'generation', ARGV[3], 'space', build[2], 'projection-version', build[3])
redis.call('HDEL', KEYS[1], 'state', 'shadow', 'shadow-space', 'shadow-version')
drop_chains(KEYS[1])
redis.call('DEL', KEYS[3])
log_switch(KEYS[2], ARGV[4], ARGV[3], build[2])
return 0
