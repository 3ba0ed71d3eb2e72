-- Records a revoked token id and tells every instance. Atomic.
--
-- KEYS[1] relay:revoked   zset jti -> keep-until (Unix seconds: the token's exp plus the grace)
-- ARGV[1] jti, ARGV[2] keep-until, ARGV[3] Pub/Sub channel (relay:revocations)
--
-- Returns 1 when stored and published, 0 when keep-until has already passed (nothing stored).
-- Entries past their keep-until are pruned here; the key itself expires with its last entry.

redis.replicate_commands()
local now = tonumber(redis.call('TIME')[1])
local untilSeconds = tonumber(ARGV[2])
if untilSeconds <= now then
  return 0
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('EXPIREAT', KEYS[1], last[2])
redis.call('PUBLISH', ARGV[3], ARGV[2] .. ' ' .. ARGV[1])
return 1
