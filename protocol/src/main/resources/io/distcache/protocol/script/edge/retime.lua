-- Sets the remaining TTL of an entry without a new version (access expiry), unless a producer owns the
-- namespace: an edge never changes a producer's entries, so their expiry stays the producer's (none).
-- KEYS[1] entry, KEYS[2] meta hash; ARGV[1] milliseconds, or "-1" to make the entry eternal.
-- Returns 1 when applied, 0 when the entry is absent or the namespace is a producer's.
--#include generation
if producerOwner(KEYS[2]) then
  return 0
end
if ARGV[1] == '-1' then
  return redis.call('PERSIST', KEYS[1])
end
return redis.call('PEXPIRE', KEYS[1], ARGV[1])
