--#include library
-- Redis Cluster, step 1 of a batch: the change-log records of every write, before any entry changes.
-- An edge that reads a record drops its near copy and refuses to re-cache an older version, so data never
-- changes without a record; a crash before the data only costs a spurious invalidation.
-- KEYS[1] meta hash, KEYS[2] change log (both in the bookkeeping slot)
-- ARGV[1] the writer's generation   ARGV[2] the writer's token   ARGV[3] change-log MAXLEN
-- ARGV[4] n offset moves and their triples (see fence), then for each write two arguments: encoded cache
-- key, version
-- Offsets do not move here (commit.lua does, after the data). Returns the number of records appended, or
-- -1 (generation) / -2 (offsets) / -3 (token) with nothing appended.
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 4)
if refused < 0 then
  return refused
end
local base = 5 + 3 * tonumber(ARGV[4])
for a = base, #ARGV, 2 do
  log_change(KEYS[2], ARGV[3], ARGV[a], ARGV[a + 1])
end
return (#ARGV - base + 1) / 2
