-- Finishes a namespace clear (Debezium truncate): a new generation, so edges flush their near caches,
-- and a clear record in the change log. Offsets are kept: the clear happened at a source position.
-- KEYS[1] meta hash, KEYS[2] change log; ARGV[1] new generation, ARGV[2] version (offset), ARGV[3] MAXLEN
redis.call('HSET', KEYS[1], 'generation', ARGV[1])
log_change(KEYS[2], ARGV[3], '*', ARGV[2])
return ARGV[1]
