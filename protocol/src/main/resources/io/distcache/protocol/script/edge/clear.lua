-- Appends the "namespace cleared" record to the change log after the entries were unlinked.
-- KEYS[1] version counter, KEYS[2] change log; ARGV[1] change-log MAXLEN. Returns the version.
--#include changelog
local version = redis.call('INCR', KEYS[1])
log_change(KEYS[2], ARGV[1], '*', version)
return version
