-- Removes a webhook: delivered (ARGV[2] = 'done') or dead-lettered (ARGV[2] = 'dead'): then the
-- dead count grows and its "id body" goes to the front of the dead list, capped at ARGV[3].
-- KEYS: due, jobs, meta, dead (list), dead count. ARGV: id, how, kept.
local body = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if body and ARGV[2] == 'dead' then
  redis.call('INCR', KEYS[5])
  local kept = tonumber(ARGV[3])
  if kept > 0 then
    redis.call('LPUSH', KEYS[4], ARGV[1] .. ' ' .. body)
    redis.call('LTRIM', KEYS[4], 0, kept - 1)
  end
end
return body and 1 or 0
