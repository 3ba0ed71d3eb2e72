-- Removes one connection from a room. Atomic, on the room's presence shard slot.
--
-- KEYS[1] room, KEYS[2] subs, KEYS[3] instance, KEYS[4] info (as in join.lua),
-- KEYS[5] state relay:{p<N>}:presence:state:<room> hash sub -> state JSON
-- KEYS[6] occupied zset, KEYS[7] counts hash (the occupancy index, as in join.lua)
-- ARGV[1] field "<instance>|<connection>|<sub>", ARGV[2] sub, ARGV[3] room
--
-- Returns 1 when this was the user's last connection in the room, 2 when the room is also left
-- without users (vacated), else 0 (also when the connection was not there, e.g. because a sweep
-- already removed and reported it).

if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
if redis.call('HINCRBY', KEYS[3], ARGV[3], -1) <= 0 then
  redis.call('HDEL', KEYS[3], ARGV[3])
end
if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  redis.call('HDEL', KEYS[4], ARGV[2])
  redis.call('HDEL', KEYS[5], ARGV[2])
  if redis.call('HINCRBY', KEYS[7], ARGV[3], -1) <= 0 then
    redis.call('HDEL', KEYS[7], ARGV[3])
    redis.call('ZREM', KEYS[6], ARGV[3])
  end
  if redis.call('EXISTS', KEYS[2]) == 0 then
    return 2
  end
  return 1
end
return 0
