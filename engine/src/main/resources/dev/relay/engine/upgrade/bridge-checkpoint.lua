-- Moves a partition's bridge checkpoint forward, never back: several bridges copy the same
-- partition, and a slow one must not make a restarted bridge start before what a fast one copied
-- with everything before it.
--
-- KEYS[1] relay:{p<N>}:bridged
-- ARGV[1] stream id <millis>-<sequence> up to which this bridge copied every entry
-- ARGV[2] time to live in seconds, renewed on every call
--
-- Returns 1 when the checkpoint moved, 0 when it already was at or after ARGV[1].

local current = redis.call('GET', KEYS[1])
if current then
  local cm, cs = string.match(current, '^(%d+)-(%d+)$')
  local nm, ns = string.match(ARGV[1], '^(%d+)-(%d+)$')
  cm, cs, nm, ns = tonumber(cm), tonumber(cs), tonumber(nm), tonumber(ns)
  if cm and (nm < cm or (nm == cm and ns <= cs)) then
    redis.call('EXPIRE', KEYS[1], ARGV[2])
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
