-- The token bucket, one home for the rule of every Relay rate limit kept in Redis: loaded in front
-- of acquire.lua (a bucket on its own key) and append.lua (the room's bucket, taken in the append).
--
-- take_tokens(key, capacity, rate, permits): key a hash, t = tokens left (float), ts = time of that
-- count (ms, Redis clock, so every instance shares one bucket); capacity the burst; rate refill
-- tokens per millisecond (float). Takes the permits when the bucket holds them and returns 0, else
-- returns the ms until it would and writes nothing (the refill is linear, so not storing it is the
-- same as storing it). The key expires once the bucket would be full again (then absent and full
-- mean the same).
local function take_tokens(key, capacity, rate, permits)
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local state = redis.call('HMGET', key, 't', 'ts')
  local tokens = tonumber(state[1])
  local stamp = tonumber(state[2])
  if tokens == nil or stamp == nil then
    tokens = capacity
  elseif now > stamp then
    tokens = math.min(capacity, tokens + (now - stamp) * rate)
  end
  if tokens < permits then
    return math.ceil((permits - tokens) / rate)
  end
  tokens = tokens - permits
  redis.call('HSET', key, 't', string.format('%.17g', tokens),
    'ts', string.format('%.0f', math.max(now, stamp or now)))
  redis.call('PEXPIRE', key, math.ceil((capacity - tokens) / rate) + 1000)
  return 0
end
