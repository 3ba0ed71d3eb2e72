-- Leases up to ARGV[1] due webhooks for ARGV[2] ms (Redis time): their due time moves to the
-- end of the lease, so a job whose holder dies is due again then, for anyone.
-- KEYS: due, jobs, meta. Returns a flat list id, body, attempt, firstMillis per job.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now),
  'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, id in ipairs(ids) do
  local body = redis.call('HGET', KEYS[2], id)
  if not body then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
  else
    local meta = redis.call('HGET', KEYS[3], id) or string.format('0:%d', now)
    local sep = string.find(meta, ':', 1, true)
    local attempt = tonumber(string.sub(meta, 1, sep - 1)) + 1
    local first = string.sub(meta, sep + 1)
    redis.call('HSET', KEYS[3], id, string.format('%d:%s', attempt, first))
    redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[2])), id)
    out[#out + 1] = id
    out[#out + 1] = body
    out[#out + 1] = string.format('%d', attempt)
    out[#out + 1] = first
  end
end
return out
