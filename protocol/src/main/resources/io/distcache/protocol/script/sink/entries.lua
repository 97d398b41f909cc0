--#include library
-- Redis Cluster, step 2 of a batch: entry writes of one hash slot under the version rule.
-- KEYS[1..] entry keys of one slot; ARGV[1] tombstone TTL in milliseconds, then for each key two
-- arguments: version (source offset), envelope. Returns the number of entries written.
local applied = 0
for i = 1, #KEYS do
  if write_if_newer(KEYS[i], tonumber(ARGV[2 * i]), ARGV[2 * i + 1], ARGV[1]) then
    applied = applied + 1
  end
end
return applied
