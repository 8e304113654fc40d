-- Replaces a branch snapshot with one read from PostgreSQL at seq ARGV[1], unless the snapshot
-- already reflects that seq or a later one (events applied by the relay win over an older read).
-- KEYS[1] snapshot hash; ARGV[1] seq, then field/value pairs.
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], 'seq', ARGV[1])
return 1
