-- Renews an instance's liveness in one presence shard.
--
-- KEYS[1] live zset relay:{p<N>}:presence:live
-- ARGV[1] instance id, ARGV[2] instance TTL ms
-- Returns 1 when the instance was alive in this shard before, 0 when it was absent or expired.

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[2])), ARGV[1])
if deadline and tonumber(deadline) >= now then
  return 1
end
return 0
