-- Applies one batch of producer writes to a namespace, atomically, under the version rule (DESIGN.md §3).
-- KEYS[1] meta hash, KEYS[2] change log, KEYS[3..] entry keys
-- ARGV[1] the generation the writer belongs to; nothing is written when the meta hash holds another
--         (FLUSHALL, failover to an empty node, a rebuild): the writer must rebuild or adopt it
-- ARGV[2] change-log MAXLEN   ARGV[3] tombstone TTL in milliseconds
-- ARGV[4] n = number of offset moves, then n triples: meta field "offset:<partition>", the offset the
--         batch starts from ("" = none stored yet), the next offset after the batch
-- then for each entry key, three arguments: version (source offset), envelope, encoded cache key
-- An entry is written only when its stored version (tombstones included) is older: replays are
-- no-ops, a stale writer cannot overwrite newer data, an older write cannot resurrect a deleted key.
-- Offsets move only from where the batch starts, in the same script as the data they cover: a writer
-- whose earlier batch was lost, or that races another instance, is refused and must re-read them.
-- Returns the number of entries written, -1 for a generation mismatch, -2 for moved offsets; nothing
-- is written in either case.
if redis.call('HGET', KEYS[1], 'generation') ~= ARGV[1] then
  return -1
end
local offsets = tonumber(ARGV[4])
for j = 0, offsets - 1 do
  if (redis.call('HGET', KEYS[1], ARGV[5 + 3 * j]) or '') ~= ARGV[6 + 3 * j] then
    return -2
  end
end
local base = 4 + 3 * offsets
local applied = 0
for i = 3, #KEYS do
  local a = base + (i - 3) * 3
  local version = tonumber(ARGV[a + 1])
  local current = redis.call('GET', KEYS[i])
  if (not current) or string.len(current) < 9 or struct.unpack('>i8', current, 2) < version then
    local envelope = ARGV[a + 2]
    if bit.band(string.byte(envelope, 1), 32) ~= 0 then
      redis.call('SET', KEYS[i], envelope, 'PX', ARGV[3])
    else
      redis.call('SET', KEYS[i], envelope)
    end
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'k', ARGV[a + 3], 'v', ARGV[a + 1])
    applied = applied + 1
  end
end
for j = 0, offsets - 1 do
  redis.call('HSET', KEYS[1], ARGV[5 + 3 * j], ARGV[7 + 3 * j])
end
return applied
