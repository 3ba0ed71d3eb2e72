-- Appends one event to a partition stream, at most once per (room, nonce). Atomic: Redis runs a
-- script without interleaving other commands, and every key shares the partition's hash tag.
--
-- KEYS[1] stream  relay:{p<N>}:events
-- KEYS[2] epoch   relay:{p<N>}:epoch
-- KEYS[3] nonce   relay:{p<N>}:nonce:<room>:<nonce>   (only when the event has a nonce)
-- ARGV[1] epoch candidate (random base36), used only when the stream starts a new life
-- ARGV[2] MINID threshold: now - retention, in milliseconds
-- ARGV[3] idempotency window in seconds
-- ARGV[4..] the entry's field/value pairs, without the epoch field
--
-- Returns {stream id, epoch, '1' if the nonce was seen before else '0'}.

if KEYS[3] then
  local seen = redis.call('GET', KEYS[3])
  if seen then
    local dot = string.find(seen, '.', 1, true)
    return {string.sub(seen, 1, dot - 1), string.sub(seen, dot + 1), '1'}
  end
end

-- A missing stream is a new life (first append, flush, restart without persistence): it gets a
-- fresh epoch even if an old epoch key survived, so no old id can pass for one of this life.
local epoch = false
if redis.call('EXISTS', KEYS[1]) == 1 then
  epoch = redis.call('GET', KEYS[2])
end
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[2], epoch)
end

local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], '*', 'ep', epoch, unpack(ARGV, 4))

if KEYS[3] then
  redis.call('SET', KEYS[3], id .. '.' .. epoch, 'EX', ARGV[3])
end
return {id, epoch, '0'}
