-- One presence shard's page of occupied rooms, in byte order, with their number of present users
-- (users whose connections are on instances not yet swept still count). Read-only.
--
-- KEYS[1] occupied zset relay:{p<N>}:presence:occupied (room -> 0), KEYS[2] counts hash (room -> n)
-- ARGV[1] ZRANGEBYLEX min, ARGV[2] max, ARGV[3] at most this many rooms
-- Returns {room1, count1, room2, count2, ...}.

local rooms = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, room in ipairs(rooms) do
  out[#out + 1] = room
  out[#out + 1] = redis.call('HGET', KEYS[2], room) or '0'
end
return out
