-- Checks that a partition stream still holds the entry a reader read last. When the entry is gone
-- and retention cannot have trimmed it, the stream lost its newest entries (failover to a lagging
-- replica, restart from an AOF that missed its last second), and the partition moves to a new
-- epoch, once for all readers: the first reader to find the loss makes the epoch, later ones find
-- it already changed. Atomic, and both keys share the partition's hash tag (one Cluster slot).
--
-- KEYS[1] stream  relay:{p<N>}:events
-- KEYS[2] epoch   relay:{p<N>}:epoch
-- ARGV[1] the stream id of the entry the reader read last (P)
-- ARGV[2] the epoch the reader read P in
-- ARGV[3] epoch candidate (random base36), set when this call starts the new epoch
-- ARGV[4] retention in milliseconds
-- ARGV[5] clock margin in milliseconds: how far a publisher's clock (which sets the MINID
--         threshold) may run ahead of Redis's (which sets the ids)
--
-- Returns {'present'}, {'trimmed'}, {'gone'} when there is no stream at all (the next append
-- starts a new epoch, see append.lua), or {'truncated', epoch from now on, newest id or '0-0'}.

if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'gone'}
end
if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 1 then
  return {'present'}
end

local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
-- Trimming only ever removes a prefix, so an entry at or before P proves P was not trimmed.
local before = redis.call('XRANGE', KEYS[1], '-', ARGV[1], 'COUNT', 1)
if #before == 0 and #newest == 1 then
  -- An append trims P only when it comes at least the retention after P, and that append's entry
  -- (or a later one) is still in the stream: the trim and the entry are one command, kept or lost
  -- together.
  local function millis(id)
    return tonumber(string.match(id, '^(%d+)'))
  end
  if millis(ARGV[1]) + tonumber(ARGV[4]) - tonumber(ARGV[5]) < millis(newest[1][1]) then
    return {'trimmed'}
  end
end

local epoch = redis.call('GET', KEYS[2])
if (not epoch) or epoch == ARGV[2] then
  epoch = ARGV[3]
  redis.call('SET', KEYS[2], epoch)
end
local resume = '0-0'
if #newest == 1 then
  resume = newest[1][1]
end
return {'truncated', epoch, resume}
