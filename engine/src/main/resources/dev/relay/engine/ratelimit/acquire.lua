-- Token bucket: takes `permits` tokens if the bucket holds them. Atomic, one key, Redis clock, so
-- every instance sharing the key shares one bucket.
--
-- KEYS[1] relay:rl:<key>   hash t = tokens left (float), ts = time of that count (ms)
-- ARGV[1] capacity (burst), ARGV[2] refill tokens per millisecond (float), ARGV[3] permits
--
-- Returns {1, 0} when taken, {0, ms until the permits would be available} when refused. The key
-- expires once the bucket would be full again (then absent and full mean the same).

redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local permits = tonumber(ARGV[3])

local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1])
local stamp = tonumber(state[2])
if tokens == nil or stamp == nil then
  tokens = capacity
elseif now > stamp then
  tokens = math.min(capacity, tokens + (now - stamp) * rate)
end

local allowed = 0
local wait = 0
if tokens >= permits then
  tokens = tokens - permits
  allowed = 1
else
  wait = math.ceil((permits - tokens) / rate)
end

redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%.0f', math.max(now, stamp or now)))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
return {allowed, wait}
