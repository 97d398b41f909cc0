-- Gives a namespace a generation when its meta hash has none (first write, or after FLUSHALL). The
-- server time makes every re-creation distinct, so followers see the change even when the same
-- client re-creates it after a FLUSHALL.
local function ensureGeneration(metaKey, idPrefix)
  if redis.call('HEXISTS', metaKey, 'generation') == 0 then
    local now = redis.call('TIME')
    redis.call('HSET', metaKey, 'generation', idPrefix .. '-' .. now[1] .. now[2])
  end
end
