-- Appends the "namespace cleared" record to the change log after the entries were unlinked.
-- KEYS[1] version counter, KEYS[2] change log; ARGV[1] change-log MAXLEN. Returns the version.
local version = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'k', '*', 'v', version)
return version
