--#include library
-- Gives up an instance's claim on a namespace when it stops gracefully, so a standby takes over at once
-- instead of after the claim time.
-- KEYS[1] meta hash; ARGV[1] the instance's token. Returns 1 when released, 0 when not held.
if redis.call('HGET', KEYS[1], 'writer') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'writer', 'writer-expires')
  return 1
end
return 0
