-- Functions shared by the sink scripts; each script includes this file first, so every rule
-- lives in one place whichever topology runs it. The meta hash fields they use are listed in claim.lua.

-- The server's clock in milliseconds (scripts replicate their effects, so reading it is allowed).
local function now_millis()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- The writer's right to write. The meta hash must hold:
--   the writer's generation (else -1: FLUSHALL, failover to an empty node, a rebuild);
--   the writer's fencing token in 'writer' (else -3: another instance claimed the namespace, see claim.lua);
--   for every partition, the stored offset the batch starts from (else -2: a lost batch or chunk).
-- A call that passes renews the writer's claim (claim.lua), so a writer busy with long work (a clear, page
-- by page) keeps it. The renewal is a protected call: when Redis is out of memory it is skipped instead of
-- failing the script, so an unlink, which frees memory, still runs.
-- ARGV[at] is n, followed by n triples: meta field "offset:<partition>", the offset the batch starts from
-- ("" = none stored yet), the offset after the batch.
local function fence(meta, generation, token, at)
  local state = redis.call('HMGET', meta, 'generation', 'writer')
  if state[1] ~= generation then
    return -1
  end
  if state[2] ~= token then
    return -3
  end
  for j = 0, tonumber(ARGV[at]) - 1 do
    if (redis.call('HGET', meta, ARGV[at + 1 + 3 * j]) or '') ~= ARGV[at + 2 + 3 * j] then
      return -2
    end
  end
  local claim = redis.call('HGET', meta, 'writer-claim-ms')
  if claim then
    redis.pcall('HSET', meta, 'writer-expires', now_millis() + tonumber(claim))
  end
  return 0
end

-- A batch of several chunks applies them as a chain: chunk i runs only when chunk i - 1 of the same batch
-- did, which a meta field records, so a chunk that failed (OOM, BUSY, a lost connection) makes every later
-- chunk of its batch, and the offset move that the last one carries, refuse with -2.
-- batch: "" for a batch of one chunk, else the batch's id, "<writer>:<n>"; index: the chunk's position, from 0.
-- Each writer has its own field, 'chunk:<writer>': the members of a consumer group send batches at once.
local function chain_field(batch)
  return 'chunk:' .. string.match(batch, '^(.*):[^:]*$')
end

local function chain_holds(meta, batch, index)
  if batch == '' or index == 0 then
    return true
  end
  return redis.call('HGET', meta, chain_field(batch)) == batch .. ':' .. (index - 1)
end

-- Records that chunk index of batch applied, or, for the last chunk, clears the record.
local function chain_advance(meta, batch, index, last)
  if batch == '' then
    return
  end
  if last then
    redis.call('HDEL', meta, chain_field(batch))
  else
    redis.call('HSET', meta, chain_field(batch), batch .. ':' .. index)
  end
end

-- Drops the records of chains cut off half-way (a writer that crashed in a batch): a new generation starts.
local function drop_chains(meta)
  for _, field in ipairs(redis.call('HKEYS', meta)) do
    if string.sub(field, 1, 6) == 'chunk:' then
      redis.call('HDEL', meta, field)
    end
  end
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

-- log_change and log_switch: the change-log records, as the provider's scripts write them.
--#include changelog
