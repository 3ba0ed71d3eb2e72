-- Queues a webhook, due now (Redis time). KEYS: due (zset), jobs (hash id->body),
-- meta (hash id->"attempts:firstMillis"). ARGV: id, body, capacity.
-- Returns 1 when queued or already queued, 0 when refused (full).
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  return 1
end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], string.format('0:%d', now))
redis.call('ZADD', KEYS[1], string.format('%d', now), ARGV[1])
return 1
