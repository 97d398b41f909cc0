-- Loads one chunk of a batch into a generation being built (build.lua), the fastest exact way: nobody reads
-- its key space yet, so there is no version rule and no change-log record, only SETs (tombstones with their
-- TTL). A replay after a crash applies the same records again in source order, which ends in the same state.
-- Fenced like apply.lua, on the build's generation and its offsets too, so a stale instance writes nothing.
-- KEYS[1] meta hash, KEYS[2..] entry keys in the build's key space
-- ARGV[1] the writer's generation (the current one)   ARGV[2] its token   ARGV[3] the build's generation
-- ARGV[4] tombstone TTL in milliseconds   ARGV[5] batch id ("" for one chunk)   ARGV[6] the chunk's index
-- ARGV[7] "1" for the batch's last chunk   ARGV[8] n offset moves, triples on the fields "shadow-offset:<p>"
-- then one envelope per entry key
-- Returns the number of entries written, or -1 (either generation) / -2 (offsets, chain) / -3 (token).
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 8)
if refused < 0 then
  return refused
end
if redis.call('HGET', KEYS[1], 'shadow') ~= ARGV[3] then
  return -1
end
local index = tonumber(ARGV[6])
local last = ARGV[7] == '1'
if not chain_holds(KEYS[1], ARGV[5], index) then
  return -2
end
local base = 9 + 3 * tonumber(ARGV[8]) - 2
-- Values go in with one MSET per run of values (MSET sets in order, so a key written twice keeps the later
-- value); a tombstone first writes the run before it, so every key ends with its last write in source order.
local values = {}
for i = 2, #KEYS do
  local envelope = ARGV[base + i]
  if bit.band(string.byte(envelope, 1), 32) ~= 0 then
    if #values > 0 then
      redis.call('MSET', unpack(values))
      values = {}
    end
    redis.call('SET', KEYS[i], envelope, 'PX', ARGV[4])
  else
    values[#values + 1] = KEYS[i]
    values[#values + 1] = envelope
  end
end
if #values > 0 then
  redis.call('MSET', unpack(values))
end
chain_advance(KEYS[1], ARGV[5], index, last)
if last then
  move_offsets(KEYS[1], 8)
end
return #KEYS - 1
