-- Opens a namespace for a producer: records the generation unless one exists, and returns the one in force.
-- KEYS[1] meta hash; ARGV[1] new generation, ARGV[2] owner, ARGV[3] codec id, ARGV[4] value type hint
if redis.call('HSETNX', KEYS[1], 'generation', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'codec', ARGV[3], 'value-type', ARGV[4])
end
return redis.call('HGET', KEYS[1], 'generation')
