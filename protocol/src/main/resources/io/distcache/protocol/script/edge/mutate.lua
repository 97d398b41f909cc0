-- Conditional write of one entry, its version and its change-log record, atomically (docs/design.md §3).
-- KEYS[1] entry, KEYS[2] version counter, KEYS[3] change log, KEYS[4] meta hash (these three only
-- without ARGV[10]), then with ARGV[11] the entry's lease key (lease.lua) as the last key
-- ARGV[1] expectation: "" any state, "absent" no live entry, otherwise the live entry's version
-- ARGV[2] operation: "set" or "del"
-- ARGV[3] envelope flags byte (set)   ARGV[4] payload (set)
-- ARGV[5] ttl: "-1" eternal, "keep" keep the current TTL, else milliseconds (set)
-- ARGV[6] encoded cache key (log)     ARGV[7] change-log MAXLEN
-- ARGV[8] "1" to return the previous envelope
-- ARGV[9] a generation id prefix; the meta hash gets a new generation if it has none (first write,
--         or after FLUSHALL)
-- ARGV[10] "" normally; on Redis Cluster the version announce.lua already logged: the entry is
--         written with it (or, if the entry already holds that version or a newer one, with the
--         next one, which the caller must log) and counter, log and meta are left alone
-- ARGV[11] "" normally; else the token of the lease the caller holds: the write is fenced on it
--         (nothing is written unless the lease is still the caller's) and a write releases it
-- Returns {applied (1/0, or -1 when the lease was lost), version, previous envelope or nil, previous
-- entry live (1/0)}, or {-2, 0, owner, 0} with nothing written when a producer owns the namespace. When the expectation fails, or a "del" finds no live entry, nothing is written and
-- the current envelope is returned so the caller can retry its compare-and-set without another read.
--#include generation
--#include changelog
if ARGV[10] == '' then
  local producer = producerOwner(KEYS[4])
  if producer then
    return {-2, 0, producer, 0}
  end
end
local current = redis.call('GET', KEYS[1])
local live = current and bit.band(string.byte(current, 1), 32) == 0
local currentVersion = 0
if current then
  currentVersion = struct.unpack('>i8', current, 2)
end
local leaseToken = ARGV[11]
if leaseToken ~= '' and redis.call('GET', KEYS[#KEYS]) ~= leaseToken then
  return {-1, currentVersion, false, live and 1 or 0}
end
local expect = ARGV[1]
local ok = true
if expect == 'absent' then
  ok = not live
elseif expect ~= '' then
  ok = live and currentVersion == tonumber(expect)
end
if (not ok) or (ARGV[2] == 'del' and not live) then
  if live then
    return {0, currentVersion, current, 1}
  end
  return {0, currentVersion, false, 0}
end
local announced = ARGV[10]
local version
if announced == '' then
  ensureGeneration(KEYS[4], ARGV[9])
  version = redis.call('INCR', KEYS[2])
else
  version = math.max(tonumber(announced), currentVersion + 1)
end
if ARGV[2] == 'set' then
  local envelope = ARGV[3] .. struct.pack('>i8', version) .. ARGV[4]
  local ttl = ARGV[5]
  if ttl == 'keep' and live then
    redis.call('SET', KEYS[1], envelope, 'KEEPTTL')
  elseif ttl ~= 'keep' and tonumber(ttl) > 0 then
    redis.call('SET', KEYS[1], envelope, 'PX', ttl)
  else
    redis.call('SET', KEYS[1], envelope)
  end
else
  redis.call('DEL', KEYS[1])
end
if leaseToken ~= '' then
  redis.call('DEL', KEYS[#KEYS])
end
if announced == '' then
  log_change(KEYS[3], ARGV[7], ARGV[6], version)
end
if not live then
  return {1, version, false, 0}
end
if ARGV[8] == '1' then
  return {1, version, current, 1}
end
return {1, version, false, 1}
