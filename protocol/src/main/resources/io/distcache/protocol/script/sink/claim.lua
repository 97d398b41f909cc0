--#include library
-- Claims a namespace for one producer instance, or renews the claim; run at start and every quarter of
-- the claim time (every fenced script renews it too, see fence in library.lua).
-- The meta hash of a producer namespace holds:
--   generation       the id of the namespace's current contents; edges drop near copies when it changes
--   owner            "producer:<topic>"; edges refuse to write a namespace that has one
--   codec, value-type  how values are encoded, for readers
--   writer           the fencing token of the one instance allowed to write; every batch checks it
--   writer-expires   when that claim lapses (server clock, ms) unless renewed; then another may claim
--   writer-claim-ms  the claim time, by which every successful fence pushes writer-expires forward
--   offset:<p>       the next source offset of partition p, moved only with (or after) the data it covers
--   chunk:<writer>   "<batch>:<i>" while a batch of several chunks is half applied (library.lua chain_*)
--   topic-id, partitions  the source topic's identity, to notice a re-created or re-partitioned topic
--   space            the key space of the current generation's entries (none: <prefix>:<ns>:k:); edges read it
--   state            "building" while the current generation is not built yet (a new namespace, or one that
--                    lost its data): edges keep serving near copies of a lost one, marked stale, until the switch
--   projection-version  the projection version (configuration) the current generation was built with
--   shadow, shadow-space, shadow-version, shadow-offset:<p>  a generation being built beside the current one:
--                    its id, key space, projection version and next source offsets (build.lua; the bulk load, BulkLoad.java)
--   rebuild-requested  set by the rebuild command; the writer starts a new build and removes it
--   retired:<space>  a key space no generation uses any more, deleted once the server clock passes the value (ms)
--   owner:<p>        in a consumer group (writer = "group:<id>"), the token of the member that owns partition p;
--                    every batch of a member is fenced on it (own.lua)
-- KEYS[1] meta hash, KEYS[2] the version counter edges take their versions from (a producer never does)
-- ARGV[1] the instance's token   ARGV[2] claim time in ms   ARGV[3] a new generation id, used when none
-- ARGV[4] owner   ARGV[5] codec id   ARGV[6] value type   ARGV[7] topic id   ARGV[8] partition count
-- ARGV[9] "1" when the writer builds generations beside the current one: a namespace it creates, or takes over
--         from edges, is marked state = building until its first build is switched in
-- Returns {2, owner} with nothing changed when another projection owns the namespace; {0, ms the other
-- holder's claim still runs} when another instance holds it; else {1, generation, owner found before ("" when
-- none), topic id found, partitions found, 1 while entries edges wrote are still there (the counter edges
-- take versions from exists; a rebuild deletes it), else 0, then the fields space, state, projection-version,
-- shadow, shadow-space, shadow-version and rebuild-requested (nil when absent)}.
local function claimed(generation, owner_before, topic, partitions)
  local found = redis.call('HMGET', KEYS[1], 'space', 'state', 'projection-version', 'shadow', 'shadow-space',
      'shadow-version', 'rebuild-requested')
  return {1, generation, owner_before, topic, partitions, redis.call('EXISTS', KEYS[2]), found[1], found[2], found[3],
      found[4], found[5], found[6], found[7]}
end

local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= '' and owner ~= ARGV[4] then
  return {2, owner}
end
local now = now_millis()
local held = redis.call('HMGET', KEYS[1], 'writer', 'writer-expires')
if held[1] and held[1] ~= ARGV[1] and tonumber(held[2] or '0') > now then
  return {0, tonumber(held[2]) - now}
end
if held[1] ~= ARGV[1] then
  -- partition owners belong to the writer that recorded them (a consumer group's members, a connector's tasks)
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 6) == 'owner:' then
      redis.call('HDEL', KEYS[1], field)
    end
  end
end
redis.call('HSET', KEYS[1], 'writer', ARGV[1], 'writer-expires', now + tonumber(ARGV[2]), 'writer-claim-ms', ARGV[2])
local found = redis.call('HMGET', KEYS[1], 'generation', 'owner', 'topic-id', 'partitions')
if not found[1] then
  redis.call('HSET', KEYS[1], 'generation', ARGV[3], 'owner', ARGV[4], 'codec', ARGV[5], 'value-type', ARGV[6],
      'topic-id', ARGV[7], 'partitions', ARGV[8])
  if ARGV[9] == '1' then
    redis.call('HSET', KEYS[1], 'state', 'building')
  end
  return claimed(ARGV[3], '', ARGV[7], ARGV[8])
end
if not found[2] or found[2] == '' then
  -- edges gave the namespace its generation: by reading it (harmless), or by writing it (the counter exists)
  redis.call('HSET', KEYS[1], 'owner', ARGV[4], 'codec', ARGV[5], 'value-type', ARGV[6], 'topic-id', ARGV[7],
      'partitions', ARGV[8])
  if ARGV[9] == '1' then
    redis.call('HSET', KEYS[1], 'state', 'building')
  end
  return claimed(found[1], '', ARGV[7], ARGV[8])
end
if not found[3] then
  -- a namespace written before the topic's identity was recorded
  redis.call('HSET', KEYS[1], 'topic-id', ARGV[7], 'partitions', ARGV[8])
  found[3] = ARGV[7]
  found[4] = ARGV[8]
end
return claimed(found[1], found[2], found[3], found[4])
