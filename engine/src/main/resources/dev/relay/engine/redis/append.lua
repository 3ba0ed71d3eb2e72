-- Appends one event to its room's stream and publishes it on the room's sharded channel, at most
-- once per (room, nonce). Atomic: Redis runs a script without interleaving other commands, and every
-- key (and the channel) carries the room's hash tag, so on a cluster all of it is on one slot.
--
-- KEYS[1] stream   relay:{R}:s
-- KEYS[2] meta     relay:{R}:m        hash: ep (epoch), last (newest stream id), n (entries this epoch),
--                                     xp (ms when the room's TTLs were last renewed, see below)
-- KEYS[3] bucket   relay:{R}:rl       the room's publish token bucket (take_tokens, bucket.lua)
-- KEYS[4] nonce    relay:{R}:n:<nonce> (only when the event has a nonce)
-- for a streamed-message event (ARGV[10] 'd' delta or 'c' completion), before the channel:
-- KEYS[#-3] open   relay:{R}:mo       hash: message id -> 'seq|lastDeltaMillis|lastDeltaId|conversationId'
-- KEYS[#-2] text   relay:{R}:mc:<id>  the message's accumulated text
-- KEYS[#-1] done   relay:{R}:md:<id>  set when the message completed
-- KEYS[#] channel  relay:{R}:live     (a KEY so the cluster slot check covers it)
-- ARGV[1] epoch candidate (random base36), used only when the room starts a new life
-- ARGV[2] MINID threshold: now - retention, in milliseconds
-- ARGV[3] idempotency window in seconds
-- ARGV[4] maxRoomEvents: approximate length cap of the stream
-- ARGV[5] TTL of stream and meta in milliseconds (retention + 10 minutes)
-- ARGV[6] type   ARGV[7] volatile '1'/'0'   ARGV[8] traceparent or ''   ARGV[9] envelope without id
-- ARGV[10] '' | 'd' | 'c'   ARGV[11] message id   ARGV[12] conversation id   ARGV[13] seq
-- ARGV[14] delta text       ARGV[15] max text bytes   ARGV[16] max open messages   ARGV[17] now ms
-- ARGV[18] room bucket capacity, '' (or absent) for no room limit   ARGV[19] its refill per ms
--
-- Room limit: after the nonce check (a duplicate is answered without spending a token) and before
-- everything else, one token is taken from the room's bucket; none left -> {'', '', 'L', ms until
-- one is} with nothing written.
--
-- A delta (seq rules, docs/streaming.md): its message open at seq s -> seq <= s is a duplicate
-- (nothing written, the newest delta's id returned with '1'), seq = s + 1 is applied, else
-- out_of_sequence; not open -> seq must be 1 (message_closed if it completed, too_many_open_messages
-- when the room has the most open ones). Applied: the text APPENDed, the open entry updated, both
-- expiring with the room. A completion removes the open entry and the text, and marks the message
-- done. Open entries older than the room TTL are stale (their text expired) and are dropped.
--
-- Publishes 'id|epoch|prev|volatile|type|traceparent|envelopeWithoutId', prev being the stream id
-- of the room's previous entry in this epoch ('0-0' for the first).
-- Returns {stream id, epoch, '1' if the nonce was seen before else '0'}, {'', '', 'R', code}
-- when a streamed-message event is refused (nothing written), or {'', '', 'L', ms} (room limit).

local channel = KEYS[#KEYS]
local part = ARGV[10]
local nonce = false
local base = 4
if part ~= '' then
  base = 7
end
if #KEYS == base + 1 then
  nonce = KEYS[4]
  local seen = redis.call('GET', nonce)
  if seen then
    local dot = string.find(seen, '.', 1, true)
    return {string.sub(seen, 1, dot - 1), string.sub(seen, dot + 1), '1'}
  end
end

if ARGV[18] and ARGV[18] ~= '' then
  local wait = take_tokens(KEYS[3], tonumber(ARGV[18]), tonumber(ARGV[19]), 1)
  if wait > 0 then
    return {'', '', 'L', wait}
  end
end

local meta = redis.call('HMGET', KEYS[2], 'ep', 'last', 'n', 'xp')
local stream_exists = redis.call('EXISTS', KEYS[1]) == 1
local epoch, prev, n
if stream_exists then
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

local now = tonumber(ARGV[17] or '0')
local ttl = tonumber(ARGV[5])
local open_key, text_key, done_key

-- The room's keys get their TTL back at most once a minute (meta 'xp': when they last did), not on
-- every append: a PEXPIRE costs as much as the XADD. Always when the stream is new (XADD creates it
-- without a TTL), when 'xp' is missing (new or expired meta) or in the future (another publisher's
-- clock is ahead), or without a clock. Stream, meta and the open-message hash are renewed together,
-- so they still expire together, at most a minute earlier than when renewed on every append: ttl is
-- retention + 10 minutes, so an event is still kept for its whole retention.
local last_renewal = tonumber(meta[4] or '')
local renew = (not stream_exists) or now == 0 or last_renewal == nil or now < last_renewal
  or now - last_renewal >= 60000

-- 'seq|lastMillis|lastId|conversation' -> seq, lastMillis, lastId, conversation
local function open_entry(value)
  local a = string.find(value, '|', 1, true)
  local b = string.find(value, '|', a + 1, true)
  local c = string.find(value, '|', b + 1, true)
  return tonumber(string.sub(value, 1, a - 1)), tonumber(string.sub(value, a + 1, b - 1)),
    string.sub(value, b + 1, c - 1), string.sub(value, c + 1)
end

if part ~= '' then
  open_key, text_key, done_key = KEYS[#KEYS - 3], KEYS[#KEYS - 2], KEYS[#KEYS - 1]
end
local opens = false
if part == 'd' then
  local seq = tonumber(ARGV[13])
  local value = redis.call('HGET', open_key, ARGV[11])
  if value then
    local s, last_millis, last_id, conversation = open_entry(value)
    if last_millis < now - ttl then
      redis.call('HDEL', open_key, ARGV[11])
      value = false
    elseif conversation ~= ARGV[12] then
      return {'', '', 'R', 'out_of_sequence'}
    elseif seq <= s then
      return {last_id, epoch, '1'}
    elseif seq ~= s + 1 then
      return {'', '', 'R', 'out_of_sequence'}
    elseif redis.call('STRLEN', text_key) + #ARGV[14] > tonumber(ARGV[15]) then
      return {'', '', 'R', 'message_too_large'}
    end
  end
  if not value then
    if redis.call('EXISTS', done_key) == 1 then
      return {'', '', 'R', 'message_closed'}
    end
    if seq ~= 1 then
      return {'', '', 'R', 'out_of_sequence'}
    end
    if #ARGV[14] > tonumber(ARGV[15]) then
      return {'', '', 'R', 'message_too_large'}
    end
    if redis.call('HLEN', open_key) >= tonumber(ARGV[16]) then
      local all = redis.call('HGETALL', open_key)
      for i = 1, #all, 2 do
        local _, last_millis = open_entry(all[i + 1])
        if last_millis < now - ttl then
          redis.call('HDEL', open_key, all[i])
        end
      end
      if redis.call('HLEN', open_key) >= tonumber(ARGV[16]) then
        return {'', '', 'R', 'too_many_open_messages'}
      end
    end
    redis.call('DEL', text_key)
    opens = true
  end
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
if renew then
  redis.call('HSET', KEYS[2], 'ep', epoch, 'last', id, 'n', n + 1, 'xp', now)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
else
  redis.call('HSET', KEYS[2], 'ep', epoch, 'last', id, 'n', n + 1)
end
if nonce then
  redis.call('SET', nonce, id .. '.' .. epoch, 'EX', ARGV[3])
end
if part == 'd' then
  -- the text is one message's (renewed by each of its deltas); the open hash is the room's, renewed
  -- with the room's keys, and when a message opens (the hash may be new then)
  redis.call('APPEND', text_key, ARGV[14])
  redis.call('PEXPIRE', text_key, ARGV[5])
  redis.call('HSET', open_key, ARGV[11], ARGV[13] .. '|' .. now .. '|' .. id .. '|' .. ARGV[12])
  if renew or opens then
    redis.call('PEXPIRE', open_key, ARGV[5])
  end
elseif part == 'c' then
  redis.call('HDEL', open_key, ARGV[11])
  redis.call('DEL', text_key)
  redis.call('SET', done_key, '1', 'PX', ARGV[5])
end
redis.call('SPUBLISH', channel,
  id .. '|' .. epoch .. '|' .. prev .. '|' .. ARGV[7] .. '|' .. ARGV[6] .. '|' .. ARGV[8] .. '|'
    .. ARGV[9])
return {id, epoch, '0'}
