-- The per-key lease (docs/consistency.md, "Contention"): one holder at a time computes, writes through and commits a
-- key. The lease key lives in the entry's cluster slot, so mutate.lua can check and release it.
-- KEYS[1] lease, KEYS[2] entry
-- ARGV[1] "acquire", "renew" or "release"   ARGV[2] the holder's token   ARGV[3] lease time in ms
-- acquire: {1, entry envelope or nil} when taken; {0, remaining ms of the holder's lease} when held.
-- renew:   {1} when still held by the token (its time restarts), {0} when lost.
-- release: {1} when the token held it (deleted), {0} otherwise.
local op = ARGV[1]
if op == 'acquire' then
  if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[3]) then
    return {1, redis.call('GET', KEYS[2])}
  end
  return {0, redis.call('PTTL', KEYS[1])}
end
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return {0}
end
if op == 'renew' then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return {1}
