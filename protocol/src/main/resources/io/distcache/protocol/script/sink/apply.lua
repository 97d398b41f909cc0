--#include library
-- Applies one chunk of a batch of producer writes to a namespace on a standalone or Sentinel master,
-- atomically: fence and chunk chain, entries under the version rule with a change-log record per written
-- entry, then, with the last chunk, the offsets.
-- KEYS[1] meta hash, KEYS[2] change log, KEYS[3..] entry keys
-- ARGV[1] the writer's generation   ARGV[2] the writer's token   ARGV[3] change-log MAXLEN
-- ARGV[4] tombstone TTL in milliseconds   ARGV[5] batch id ("" for a batch of one chunk)
-- ARGV[6] the chunk's index   ARGV[7] "1" for the batch's last chunk, else "0"
-- ARGV[8] n offset moves and their triples (see fence): every chunk is fenced on them, the last moves them
-- then for each entry key, three arguments: version (source offset), envelope, encoded cache key
-- Returns the number of entries written, or -1 (generation) / -2 (offsets, chain) / -3 (token) with
-- nothing written.
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 8)
if refused < 0 then
  return refused
end
local index = tonumber(ARGV[6])
local last = ARGV[7] == '1'
if not chain_holds(KEYS[1], ARGV[5], index) then
  return -2
end
local base = 9 + 3 * tonumber(ARGV[8])
local applied = 0
for i = 3, #KEYS do
  local a = base + (i - 3) * 3
  if write_if_newer(KEYS[i], tonumber(ARGV[a]), ARGV[a + 1], ARGV[4]) then
    log_change(KEYS[2], ARGV[3], ARGV[a + 2], ARGV[a])
    applied = applied + 1
  end
end
chain_advance(KEYS[1], ARGV[5], index, last)
if last then
  move_offsets(KEYS[1], 8)
end
return applied
