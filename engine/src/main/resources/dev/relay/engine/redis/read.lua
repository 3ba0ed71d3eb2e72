-- Reads a room's entries after a position and proves, in the same atomic step, that none is
-- missing; otherwise answers why not, with no entries. Used by replay (volatile entries left out)
-- and by a feed's repair (volatile entries included, and with markLoss a detected loss moves the
-- room to a new epoch).
--
-- KEYS[1] stream  relay:{R}:s
-- KEYS[2] meta    relay:{R}:m
-- ARGV[1] after: stream id ('0-0' for the epoch's start)   ARGV[2] after's epoch
-- ARGV[3] max entries to return                             ARGV[4] '1' to include volatile entries
-- ARGV[5] '1' for markLoss                                  ARGV[6] new epoch candidate (markLoss)
-- ARGV[7] the most entries to scan                          ARGV[8] meta TTL in ms (markLoss)
--
-- Returns {outcome} or {'COMPLETE', id, type, volatile, traceparent or '', envelope, id, ...}.

local PAGE = 500

local function parse(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end

local function compare(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  if am ~= bm then
    return am < bm and -1 or 1
  end
  if as ~= bs then
    return as < bs and -1 or 1
  end
  return 0
end

local function last_generated(stream)
  local info = redis.call('XINFO', 'STREAM', stream)
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then
      return info[i + 1]
    end
  end
  return '0-0'
end

-- 'after' was read from this store, yet the store has no trace of it: it lost its newest writes.
local function lost(newest)
  if ARGV[5] == '1' then
    redis.call('HSET', KEYS[2], 'ep', ARGV[6], 'n', 0, 'last', newest)
    redis.call('PEXPIRE', KEYS[2], ARGV[8])
    return {'EPOCH_CHANGED'}
  end
  return {'UNKNOWN_ID'}
end

local meta = redis.call('HMGET', KEYS[2], 'ep', 'n', 'last')
if not meta[1] or meta[1] ~= ARGV[2] then
  return {'EPOCH_CHANGED'}
end
local n = tonumber(meta[2] or '0')
local after = ARGV[1]

if redis.call('EXISTS', KEYS[1]) == 0 then
  if n > 0 then
    return lost('0-0')
  end
  if compare(after, meta[3] or '0-0') <= 0 then
    return {'COMPLETE'}
  end
  return lost('0-0')
end

if after == '0-0' then
  if redis.call('XLEN', KEYS[1]) ~= n then
    return {'TRIMMED'}
  end
else
  local newest = last_generated(KEYS[1])
  local cmp = compare(after, newest)
  if cmp > 0 then
    return lost(newest)
  end
  if cmp == 0 then
    return {'COMPLETE'}
  end
  local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
  if not first or compare(first[1], after) > 0 then
    return {'TRIMMED'}
  end
  -- trimming removes a prefix only: an id between the first entry and the newest that is not
  -- there was lost (a failover to a lagging replica that has appended since, an older AOF)
  if #redis.call('XRANGE', KEYS[1], after, after) == 0 then
    return lost(newest)
  end
end

local max = tonumber(ARGV[3])
local scan_limit = tonumber(ARGV[7])
local with_volatile = ARGV[4] == '1'
local out = {'COMPLETE'}
local kept, scanned = 0, 0
local from = '(' .. after
while true do
  local page = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', PAGE)
  for _, entry in ipairs(page) do
    scanned = scanned + 1
    if scanned > scan_limit then
      return {'TOO_MANY'}
    end
    local f = {}
    local body = entry[2]
    for i = 1, #body, 2 do
      f[body[i]] = body[i + 1]
    end
    if with_volatile or f['x'] ~= '1' then
      kept = kept + 1
      if kept > max then
        return {'TOO_MANY'}
      end
      out[#out + 1] = entry[1]
      out[#out + 1] = f['t'] or ''
      out[#out + 1] = f['x'] or '0'
      out[#out + 1] = f['tp'] or ''
      out[#out + 1] = f['e'] or ''
    end
  end
  if #page < PAGE then
    break
  end
  from = '(' .. page[#page][1]
end
return out
