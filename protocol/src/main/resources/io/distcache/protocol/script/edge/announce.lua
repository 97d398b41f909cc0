-- Logs a cache write on Redis Cluster before it is made: the entry lives in another slot than the
-- namespace's bookkeeping keys, so data and log cannot share one script. Logging first means no
-- change is ever unlogged: a follower that sees the record drops its near copy, and its fill-race
-- marker refuses to cache older versions until the write lands; a write that then fails or finds
-- its expectation unmet only costs that spurious invalidation.
-- KEYS[1] version counter, KEYS[2] change log, KEYS[3] meta hash
-- ARGV[1] encoded cache key   ARGV[2] change-log MAXLEN   ARGV[3] generation id prefix
-- ARGV[4] "" to take the next version; else the version an entry was written with, to be logged
-- (raising the counter to it)
-- Returns the version logged, or -1 with nothing logged when a producer owns the namespace.
--#include generation
--#include changelog
if producerOwner(KEYS[3]) then
  return -1
end
ensureGeneration(KEYS[3], ARGV[3])
local version
if ARGV[4] == '' then
  version = redis.call('INCR', KEYS[1])
else
  version = tonumber(ARGV[4])
  if tonumber(redis.call('GET', KEYS[1]) or '0') < version then
    redis.call('SET', KEYS[1], version)
  end
end
log_change(KEYS[2], ARGV[2], ARGV[1], version)
return version
