-- Token bucket: takes `permits` tokens if the bucket holds them (take_tokens, bucket.lua, loaded in
-- front of this script). Atomic, one key, Redis clock, so every instance sharing the key shares one
-- bucket.
--
-- KEYS[1] relay:rl:<key>   hash t = tokens left (float), ts = time of that count (ms)
-- ARGV[1] capacity (burst), ARGV[2] refill tokens per millisecond (float), ARGV[3] permits
--
-- Returns {1, 0} when taken, {0, ms until the permits would be available} when refused.

redis.replicate_commands()
local wait = take_tokens(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
if wait == 0 then
  return {1, 0}
end
return {0, wait}
