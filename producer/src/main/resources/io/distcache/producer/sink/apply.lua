-- Applies one batch of producer writes to a namespace on a standalone or Sentinel master, atomically:
-- fence, entries under the version rule with a change-log record per written entry, then the offsets.
-- KEYS[1] meta hash, KEYS[2] change log, KEYS[3..] entry keys
-- ARGV[1] the writer's generation   ARGV[2] change-log MAXLEN   ARGV[3] tombstone TTL in milliseconds
-- ARGV[4] n offset moves and their triples (see fence); the last chunk of a batch carries them, earlier
--         chunks carry none
-- then for each entry key, three arguments: version (source offset), envelope, encoded cache key
-- Offsets move in the same script as the data they cover. Returns the number of entries written, or -1
-- (generation) / -2 (offsets) with nothing written.
local refused = fence(KEYS[1], ARGV[1], 4)
if refused < 0 then
  return refused
end
local base = 4 + 3 * tonumber(ARGV[4])
local applied = 0
for i = 3, #KEYS do
  local a = base + (i - 3) * 3
  if write_if_newer(KEYS[i], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[3]) then
    log_change(KEYS[2], ARGV[2], ARGV[a + 3], ARGV[a + 1])
    applied = applied + 1
  end
end
move_offsets(KEYS[1], 4)
return applied
