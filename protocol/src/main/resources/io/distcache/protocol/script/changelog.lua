-- The change-log record, written here only: the provider's and the producer's scripts include this file
-- (see LuaScript), and edges read the records in ChangeRecords (docs/design.md, section 3, "Change log").
-- Each record is one stream entry, capped at about max_length entries (XADD MAXLEN ~).

-- A change of one entry: k = the encoded cache key, v = the entry's new version. A clear of the whole
-- namespace is the key '*'.
local function log_change(log, max_length, encoded_key, version)
  redis.call('XADD', log, 'MAXLEN', '~', max_length, '*', 'k', encoded_key, 'v', version)
end

-- The switch to a rebuilt generation: k = '*' and v = 0, so that an edge that does not know switches
-- flushes; g = the new generation, s = its key space.
local function log_switch(log, max_length, generation, space)
  redis.call('XADD', log, 'MAXLEN', '~', max_length, '*', 'k', '*', 'v', '0', 'g', generation, 's', space)
end
