-- Removes a dead instance's connections from some rooms of one presence shard and reports the users
-- whose last connection in a room that was. Atomic: a heartbeat either comes before (then nothing
-- is removed) or after; and each connection is removed by exactly one HDEL, so each loss is
-- reported once, by whichever caller removed it.
--
-- KEYS[1] live zset, KEYS[2] the instance's hash (room -> count)
-- KEYS[4j-1], KEYS[4j], KEYS[4j+1], KEYS[4j+2] room, subs, info and state hashes of room j (j = 1..n)
-- KEYS[4n+3], KEYS[4n+4] the shard's occupancy index: occupied zset and counts hash (join.lua)
-- ARGV[1] instance id, ARGV[j+1] room j
-- Returns {room, sub, vacated, room, sub, vacated, ...}: vacated is '1' when that loss left the
-- room without users (room.vacated), else '0'.

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
if deadline and tonumber(deadline) >= now then
  return {}
end

local occupiedKey = KEYS[#KEYS - 1]
local countsKey = KEYS[#KEYS]
local prefix = ARGV[1] .. '|'
local lost = {}
for j = 1, #ARGV - 1 do
  local room = ARGV[j + 1]
  local roomKey = KEYS[4 * j - 1]
  local subsKey = KEYS[4 * j]
  for _, field in ipairs(redis.call('HKEYS', roomKey)) do
    if string.sub(field, 1, #prefix) == prefix then
      redis.call('HDEL', roomKey, field)
      local bar = string.find(field, '|', #prefix + 1, true)
      local sub = string.sub(field, bar + 1)
      if redis.call('HINCRBY', subsKey, sub, -1) <= 0 then
        redis.call('HDEL', subsKey, sub)
        redis.call('HDEL', KEYS[4 * j + 1], sub)
        redis.call('HDEL', KEYS[4 * j + 2], sub)
        if redis.call('HINCRBY', countsKey, room, -1) <= 0 then
          redis.call('HDEL', countsKey, room)
          redis.call('ZREM', occupiedKey, room)
        end
        lost[#lost + 1] = room
        lost[#lost + 1] = sub
        lost[#lost + 1] = redis.call('EXISTS', subsKey) == 0 and '1' or '0'
      end
    end
  end
  redis.call('HDEL', KEYS[2], room)
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return lost
