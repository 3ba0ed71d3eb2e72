-- The open streamed messages of a room with the room's newest id, in one atomic step: every delta
-- at or before that id is in the texts returned, none after it is (SPEC §12 snapshots). Read-only.
--
-- KEYS[1] meta    relay:{R}:m
-- KEYS[2] open    relay:{R}:mo   hash: message id -> 'seq|lastDeltaMillis|lastDeltaId|conversationId'
-- ARGV[1] the prefix of the text keys, relay:{R}:mc: (same slot: the room's hash tag)
-- ARGV[2] stale cut-off in ms (now - room TTL): older open entries have lost their text
--
-- Returns {epoch or '', newest id, id, conversation, seq, text, id, ...}.

local meta = redis.call('HMGET', KEYS[1], 'ep', 'last')
if not meta[1] then
  return {'', '0-0'}
end
local out = {meta[1], meta[2] or '0-0'}
local all = redis.call('HGETALL', KEYS[2])
local cutoff = tonumber(ARGV[2])
for i = 1, #all, 2 do
  local value = all[i + 1]
  local a = string.find(value, '|', 1, true)
  local b = string.find(value, '|', a + 1, true)
  local c = string.find(value, '|', b + 1, true)
  if tonumber(string.sub(value, a + 1, b - 1)) >= cutoff then
    local text = redis.call('GET', ARGV[1] .. all[i])
    if text then
      out[#out + 1] = all[i]
      out[#out + 1] = string.sub(value, c + 1)
      out[#out + 1] = string.sub(value, 1, a - 1)
      out[#out + 1] = text
    end
  end
end
return out
