-- Appends one event to its room's stream and publishes it on the room's sharded channel, at most
-- once per (room, nonce). Atomic: Redis runs a script without interleaving other commands, and every
-- key (and the channel) carries the room's hash tag, so on a cluster all of it is on one slot.
--
-- KEYS[1] stream   relay:{R}:s
-- KEYS[2] meta     relay:{R}:m        hash: ep (epoch), last (newest stream id), n (entries this epoch)
-- KEYS[3] nonce    relay:{R}:n:<nonce> (only when the event has a nonce)
-- KEYS[#] channel  relay:{R}:live     (a KEY so the cluster slot check covers it)
-- ARGV[1] epoch candidate (random base36), used only when the room starts a new life
-- ARGV[2] MINID threshold: now - retention, in milliseconds
-- ARGV[3] idempotency window in seconds
-- ARGV[4] maxRoomEvents: approximate length cap of the stream
-- ARGV[5] TTL of stream and meta in milliseconds (retention + 10 minutes)
-- ARGV[6] type   ARGV[7] volatile '1'/'0'   ARGV[8] traceparent or ''   ARGV[9] envelope without id
--
-- Publishes 'id|epoch|prev|volatile|type|traceparent|envelopeWithoutId', prev being the stream id
-- of the room's previous entry in this epoch ('0-0' for the first).
-- Returns {stream id, epoch, '1' if the nonce was seen before else '0'}.

local channel = KEYS[#KEYS]
local nonce = false
if #KEYS == 4 then
  nonce = KEYS[3]
  local seen = redis.call('GET', nonce)
  if seen then
    local dot = string.find(seen, '.', 1, true)
    return {string.sub(seen, 1, dot - 1), string.sub(seen, dot + 1), '1'}
  end
end

local meta = redis.call('HMGET', KEYS[2], 'ep', 'last', 'n')
local epoch, prev, n
if redis.call('EXISTS', KEYS[1]) == 1 then
  if meta[1] then
    epoch, prev, n = meta[1], meta[2] or '0-0', tonumber(meta[3] or '0')
  else
    -- entries of an unknown life: none of them can be vouched for in a new epoch
    epoch, prev, n = ARGV[1], '0-0', 0
  end
elseif meta[1] and tonumber(meta[3] or '0') == 0 then
  -- an epoch a reader's head created (or a loss marked) before any append: keep it
  epoch, prev, n = meta[1], '0-0', 0
else
  -- no stream: first append, or the stream was lost (restart, flush, failover): a new life
  epoch, prev, n = ARGV[1], '0-0', 0
end

local fields = {'t', ARGV[6], 'x', ARGV[7]}
if ARGV[8] ~= '' then
  fields[#fields + 1] = 'tp'
  fields[#fields + 1] = ARGV[8]
end
fields[#fields + 1] = 'e'
fields[#fields + 1] = ARGV[9]

local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], '*', unpack(fields))
redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[4])
redis.call('HSET', KEYS[2], 'ep', epoch, 'last', id, 'n', n + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if nonce then
  redis.call('SET', nonce, id .. '.' .. epoch, 'EX', ARGV[3])
end
redis.call('SPUBLISH', channel,
  id .. '|' .. epoch .. '|' .. prev .. '|' .. ARGV[7] .. '|' .. ARGV[6] .. '|' .. ARGV[8] .. '|'
    .. ARGV[9])
return {id, epoch, '0'}
