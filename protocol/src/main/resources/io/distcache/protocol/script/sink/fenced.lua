--#include library
-- Whether the caller may still write (see fence), changing nothing: on Redis Cluster a page of a clear
-- cannot share a script with the meta hash, so it is checked just before each page.
-- KEYS[1] meta hash; ARGV[1] the writer's generation, ARGV[2] its token, ARGV[3] n offset moves and
-- their triples. Returns 0, or -1 / -2 / -3.
return fence(KEYS[1], ARGV[1], ARGV[2], 3)
