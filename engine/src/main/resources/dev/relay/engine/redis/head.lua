-- The room's head: its epoch, created when the room has none (so a room without events has a
-- start position), and its newest stream id. Refreshes the TTL of the room's keys, so a followed
-- room's stream and meta expire together, never one without the other.
--
-- KEYS[1] stream  relay:{R}:s
-- KEYS[2] meta    relay:{R}:m
-- ARGV[1] epoch candidate (random base36), used only when the room has no meta
-- ARGV[2] TTL of stream and meta in milliseconds (retention + 10 minutes)
--
-- Returns '<last>.<epoch>' ('0-0.<epoch>' when the epoch has no entry yet).

local function last_generated(stream)
  local info = redis.call('XINFO', 'STREAM', stream)
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then
      return info[i + 1]
    end
  end
  return '0-0'
end

local exists = redis.call('EXISTS', KEYS[1]) == 1
local meta = redis.call('HMGET', KEYS[2], 'ep', 'last')
local epoch, last = meta[1], meta[2]
if not epoch then
  -- a new epoch; an existing stream's entries belong to an unknown life, the epoch starts after them
  epoch = ARGV[1]
  last = '0-0'
  if exists then
    last = last_generated(KEYS[1])
  end
  redis.call('HSET', KEYS[2], 'ep', epoch, 'last', last, 'n', 0)
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
if exists then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return (last or '0-0') .. '.' .. epoch
