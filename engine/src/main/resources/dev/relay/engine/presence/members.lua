-- The live members of a room: one entry per user with a connection on a live instance, with the
-- earliest join time among those connections. Read-only; connections of dead instances are left
-- for the sweep (sweep.lua), which reports them.
--
-- KEYS[1] room hash, KEYS[2] live zset, KEYS[3] info hash, KEYS[4] state hash (as in join.lua and
-- leave.lua)
-- Returns {sub1, joinedAt1, info1, state1, sub2, ...} (joinedAt in ms, as strings; info and state
-- '' when none), unsorted.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local entries = redis.call('HGETALL', KEYS[1])
local alive = {}
local earliest = {}
local order = {}
for i = 1, #entries, 2 do
  local field = entries[i]
  local first = string.find(field, '|', 1, true)
  local second = string.find(field, '|', first + 1, true)
  local instance = string.sub(field, 1, first - 1)
  local sub = string.sub(field, second + 1)
  local live = alive[instance]
  if live == nil then
    local deadline = redis.call('ZSCORE', KEYS[2], instance)
    live = (deadline and tonumber(deadline) >= now) or false
    alive[instance] = live
  end
  if live then
    local at = tonumber(entries[i + 1])
    if earliest[sub] == nil then
      order[#order + 1] = sub
      earliest[sub] = at
    elseif at < earliest[sub] then
      earliest[sub] = at
    end
  end
end

local out = {}
for _, sub in ipairs(order) do
  out[#out + 1] = sub
  out[#out + 1] = string.format('%.0f', earliest[sub])
  out[#out + 1] = redis.call('HGET', KEYS[3], sub) or ''
  out[#out + 1] = redis.call('HGET', KEYS[4], sub) or ''
end
return out
