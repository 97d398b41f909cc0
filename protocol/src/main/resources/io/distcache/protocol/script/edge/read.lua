-- Reads entries with their remaining time to live in one round trip (caches with expiry).
-- KEYS: entry keys. Returns {envelope or nil, pttl, envelope or nil, pttl, ...}.
local out = {}
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  out[2 * i - 1] = value
  if value then
    out[2 * i] = redis.call('PTTL', key)
  else
    out[2 * i] = -2
  end
end
return out
