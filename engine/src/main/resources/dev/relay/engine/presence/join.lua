-- Adds one connection to a room and renews its instance's liveness. Atomic; every key carries the
-- room's presence shard tag {p<N>}, so this runs on one Redis Cluster slot.
--
-- KEYS[1] room       relay:{p<N>}:presence:room:<room>   hash "<instance>|<connection>|<sub>" -> joinedAt ms
-- KEYS[2] subs       relay:{p<N>}:presence:subs:<room>   hash sub -> number of connections
-- KEYS[3] instance   relay:{p<N>}:presence:inst:<inst>   hash room -> number of the instance's connections
-- KEYS[4] live       relay:{p<N>}:presence:live          zset instance -> liveness deadline ms
-- KEYS[5] info       relay:{p<N>}:presence:info:<room>   hash sub -> info JSON
-- KEYS[6] occupied   relay:{p<N>}:presence:occupied      zset room -> 0 (lexicographic index of occupied rooms)
-- KEYS[7] counts     relay:{p<N>}:presence:counts        hash room -> number of present users
-- ARGV[1] field, ARGV[2] sub, ARGV[3] room, ARGV[4] instance id, ARGV[5] instance TTL ms,
-- ARGV[6] info JSON ('' for none: clears the user's info; the latest join's info wins)
--
-- Returns 1 when this made the user present (their connection count went from 0 to 1), 2 when it
-- also made the room occupied (the user is its only one), else 0.

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZADD', KEYS[4], 'GT', string.format('%.0f', now + tonumber(ARGV[5])), ARGV[4])
if ARGV[6] == '' then
  redis.call('HDEL', KEYS[5], ARGV[2])
else
  redis.call('HSET', KEYS[5], ARGV[2], ARGV[6])
end
if redis.call('HSETNX', KEYS[1], ARGV[1], string.format('%.0f', now)) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
  if redis.call('HINCRBY', KEYS[7], ARGV[3], 1) == 1 then
    redis.call('ZADD', KEYS[6], 0, ARGV[3])
  end
  if redis.call('HLEN', KEYS[2]) == 1 then
    return 2
  end
  return 1
end
return 0
