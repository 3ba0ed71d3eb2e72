-- Sets a present user's state in a room. Atomic, on the room's presence shard slot.
--
-- KEYS[1] subs  relay:{p<N>}:presence:subs:<room>   hash sub -> number of connections
-- KEYS[2] state relay:{p<N>}:presence:state:<room>  hash sub -> state JSON
-- ARGV[1] sub, ARGV[2] state JSON
--
-- Returns 1 when stored, 0 (nothing stored) when the user has no connection in the room.

if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
