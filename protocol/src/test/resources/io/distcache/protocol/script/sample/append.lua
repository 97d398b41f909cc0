-- Test script: appends ARGV[1] to the list KEYS[1] and answers the list's length.
redis.call('RPUSH', KEYS[1], ARGV[1])
return redis.call('LLEN', KEYS[1])
