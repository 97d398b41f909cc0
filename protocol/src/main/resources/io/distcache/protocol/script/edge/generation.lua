-- Gives a namespace a generation when its meta hash has none (first write, or after FLUSHALL). The
-- server time makes every re-creation distinct, so followers see the change even when the same
-- client re-creates it after a FLUSHALL.
local function ensureGeneration(metaKey, idPrefix)
  if redis.call('HEXISTS', metaKey, 'generation') == 0 then
    local now = redis.call('TIME')
    redis.call('HSET', metaKey, 'generation', idPrefix .. '-' .. now[1] .. now[2])
  end
end

-- The owner of a namespace a producer projects from a topic ("producer:<topic>"), or nil. Edges may not
-- write such a namespace: its versions are source offsets, and an edge's counter versions would be
-- ignored by other edges or overwritten by the producer.
local function producerOwner(metaKey)
  local owner = redis.call('HGET', metaKey, 'owner')
  if owner and string.sub(owner, 1, 9) == 'producer:' then
    return owner
  end
  return nil
end
