--#include library
-- Finishes a namespace clear (a Debezium truncate, or a rebuild): a new generation, so edges flush their
-- near caches, and a clear record in the change log, if the caller still may write (see fence).
-- KEYS[1] meta hash, KEYS[2] change log, KEYS[3] the edges' version counter (dropped: edges wrote before
-- the producer owned the namespace, and their entries are gone now)
-- ARGV[1] the writer's generation   ARGV[2] its token   ARGV[3] the new generation
-- ARGV[4] the clear record's version   ARGV[5] change-log MAXLEN
-- ARGV[6] "1" for a rebuild from the start of a topic: every stored offset is dropped and ARGV[7] (topic
--         id) and ARGV[8] (partition count) recorded; "0" for a truncate, whose offset moves ARGV[9] carry
-- ARGV[9] n offset moves and their triples (see fence)
-- Returns 0, or -1 / -2 / -3 with nothing changed.
local refused = fence(KEYS[1], ARGV[1], ARGV[2], 9)
if refused < 0 then
  return refused
end
if ARGV[6] == '1' then
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 7) == 'offset:' then
      redis.call('HDEL', KEYS[1], field)
    end
  end
  redis.call('HSET', KEYS[1], 'topic-id', ARGV[7], 'partitions', ARGV[8])
else
  move_offsets(KEYS[1], 9)
end
drop_chains(KEYS[1])
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[1], 'generation', ARGV[3])
log_change(KEYS[2], ARGV[5], '*', ARGV[4])
return 0
