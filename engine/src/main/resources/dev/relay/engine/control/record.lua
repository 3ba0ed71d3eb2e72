-- Records one server-side control signal (a removal from a room, or a disconnect) and tells every
-- instance. Atomic; one key, so one Redis Cluster slot.
--
-- KEYS[1] relay:control:removals or relay:control:disconnects  zset "<room|code> <sub>" -> time ms
-- ARGV[1] member, ARGV[2] keep ms, ARGV[3] most records kept, ARGV[4] Pub/Sub channel
-- (relay:control), ARGV[5] message kind ('r' removal, 'd' disconnect)
--
-- Publishes "<kind> <time ms> <member>" and returns the time (Redis TIME, strictly after any time
-- already recorded for the member). Records older than keep are pruned, and beyond the cap the
-- oldest; the key expires with its newest record.

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local before = redis.call('ZSCORE', KEYS[1], ARGV[1])
if before and tonumber(before) >= now then
  now = tonumber(before) + 1
end
local keep = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', now - keep))
redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[1])
local cap = tonumber(ARGV[3])
if redis.call('ZCARD', KEYS[1]) > cap then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(cap + 1))
end
redis.call('PEXPIRE', KEYS[1], keep)
local stamp = string.format('%.0f', now)
redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. stamp .. ' ' .. ARGV[1])
return stamp
