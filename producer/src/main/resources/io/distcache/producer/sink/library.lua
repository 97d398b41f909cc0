-- Functions shared by the sink scripts (DESIGN.md §3, §5); SinkScript puts this file in front of each script,
-- so every rule lives in one place whichever topology runs it.

-- The writer's right to write: the meta hash must hold the writer's generation (else -1: FLUSHALL, failover
-- to an empty node, a rebuild) and every partition's stored offset must be where the batch starts (else -2:
-- a lost batch, or another instance moved it). ARGV[at] is n, followed by n triples: meta field
-- "offset:<partition>", the offset the batch starts from ("" = none stored yet), the offset after the batch.
local function fence(meta, generation, at)
  if redis.call('HGET', meta, 'generation') ~= generation then
    return -1
  end
  for j = 0, tonumber(ARGV[at]) - 1 do
    if (redis.call('HGET', meta, ARGV[at + 1 + 3 * j]) or '') ~= ARGV[at + 2 + 3 * j] then
      return -2
    end
  end
  return 0
end

-- Moves the offsets of the triples at ARGV[at] (see fence) to the offsets after the batch.
local function move_offsets(meta, at)
  for j = 0, tonumber(ARGV[at]) - 1 do
    redis.call('HSET', meta, ARGV[at + 1 + 3 * j], ARGV[at + 3 + 3 * j])
  end
end

-- The version rule: writes the envelope only when the stored version (tombstones included) is older, so
-- replays are no-ops, a stale writer cannot overwrite newer data and an older write cannot resurrect a
-- deleted key. Tombstones expire after tombstone_ttl milliseconds. Returns whether it wrote.
local function write_if_newer(key, version, envelope, tombstone_ttl)
  local current = redis.call('GET', key)
  if current and string.len(current) >= 9 and struct.unpack('>i8', current, 2) >= version then
    return false
  end
  if bit.band(string.byte(envelope, 1), 32) ~= 0 then
    redis.call('SET', key, envelope, 'PX', tombstone_ttl)
  else
    redis.call('SET', key, envelope)
  end
  return true
end

-- Appends a change-log record: k = encoded cache key, v = version.
local function log_change(log, max_length, encoded_key, version)
  redis.call('XADD', log, 'MAXLEN', '~', max_length, '*', 'k', encoded_key, 'v', version)
end

