-- Test script: always refused, with an error that is not NOSCRIPT.
return redis.error_reply('ERR refused on purpose')
