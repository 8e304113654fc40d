-- Appends a branch's events to its stream, publishes each live, and folds it into the snapshot:
-- all in one atomic step, so the stream, the live channel and the snapshot never disagree.
-- Exactly once per seq: an event whose seq is not above the stream's last entry is already there
-- (a relay retried after dying between this script and marking its rows sent) and is skipped.
--
-- KEYS[1] stream, KEYS[2] snapshot hash, KEYS[3] live channel (same hash tag: one cluster slot)
-- ARGV[1] stream max length (approximate), ARGV[2] 'PUBLISH' or 'SPUBLISH', ARGV[3] event count,
-- then per event: seq, commit time (epoch ms), envelope JSON, patch count, then field/value pairs.
local stream, snapshot, channel = KEYS[1], KEYS[2], KEYS[3]
local maxlen, publish, n = ARGV[1], ARGV[2], tonumber(ARGV[3])

local last = 0
local top = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
if #top > 0 then
  last = tonumber(string.match(top[1][1], '^(%d+)'))
end
local snapSeq = tonumber(redis.call('HGET', snapshot, 'seq') or '0')

local i = 4
local added = 0
for _ = 1, n do
  local seqText, ts, envelope = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local seq, patches = tonumber(seqText), tonumber(ARGV[i + 3])
  if seq > last then
    redis.call('XADD', stream, 'MAXLEN', '~', maxlen, seqText .. '-0', 'ts', ts, 'e', envelope)
    redis.call(publish, channel, envelope)
    last = seq
    added = added + 1
  end
  if seq > snapSeq then
    for p = 0, patches - 1 do
      redis.call('HSET', snapshot, ARGV[i + 4 + 2 * p], ARGV[i + 5 + 2 * p])
    end
    redis.call('HSET', snapshot, 'seq', seqText)
    snapSeq = seq
  end
  i = i + 4 + 2 * patches
end
return added
