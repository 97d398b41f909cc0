-- Logs ARGV[2] with version ARGV[3], then a switch to generation ARGV[4] in space ARGV[5], on KEYS[1] capped
-- at about ARGV[1] records. Returns what helpers.lua answers.
--#include helpers
log_change(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
log_switch(KEYS[1], ARGV[1], ARGV[4], ARGV[5])
return answer()
