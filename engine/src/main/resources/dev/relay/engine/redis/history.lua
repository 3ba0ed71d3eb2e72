-- Reads a page of a room's history: its newest non-volatile entries still in retention, newest
-- first, older than a position when one is given. Read-only: creates nothing.
--
-- KEYS[1] stream  relay:{R}:s
-- KEYS[2] meta    relay:{R}:m
-- ARGV[1] before: stream id, exclusive, or '' for the newest   ARGV[2] before's epoch or ''
-- ARGV[3] the most entries to return                            ARGV[4] retention cut-off, ms
-- ARGV[5] the most entries to scan (volatile ones included)
--
-- Returns {epoch or '', more '1'/'0', id, type, traceparent or '', envelope, id, ...}: no epoch
-- (and no entries) when the room has no life, no entries when 'before' is of another epoch.

local PAGE = 200

local epoch = redis.call('HGET', KEYS[2], 'ep')
if not epoch then
  return {'', '0'}
end
if ARGV[2] ~= '' and ARGV[2] ~= epoch then
  return {epoch, '0'}
end

local limit = tonumber(ARGV[3])
local min_millis = tonumber(ARGV[4])
local scan_limit = tonumber(ARGV[5])
local out = {epoch, '0'}
local kept, scanned = 0, 0
local from = ARGV[1] == '' and '+' or ('(' .. ARGV[1])
while true do
  local page = redis.call('XREVRANGE', KEYS[1], from, '-', 'COUNT', PAGE)
  for _, entry in ipairs(page) do
    local id = entry[1]
    if tonumber(string.sub(id, 1, string.find(id, '-', 1, true) - 1)) < min_millis then
      return out
    end
    scanned = scanned + 1
    if scanned > scan_limit then
      out[2] = '1'
      return out
    end
    local f = {}
    local body = entry[2]
    for i = 1, #body, 2 do
      f[body[i]] = body[i + 1]
    end
    if f['x'] ~= '1' then
      if kept == limit then
        out[2] = '1'
        return out
      end
      kept = kept + 1
      out[#out + 1] = id
      out[#out + 1] = f['t'] or ''
      out[#out + 1] = f['tp'] or ''
      out[#out + 1] = f['e'] or ''
    end
  end
  if #page < PAGE then
    return out
  end
  from = '(' .. page[#page][1]
end
