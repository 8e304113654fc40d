-- Appends a branch's events to its stream, publishes each live, and folds it into the snapshot:
-- all in one atomic step, so the stream, the live channel and the snapshot never disagree.
-- Exactly once per seq: an event whose seq is not above the stream's last entry is already there
-- (a relay retried after dying between this script and marking its rows sent) and is skipped.
-- A snapshot that is missing (Redis lost its data) is not folded into: a few events would make a
-- partial one; the API seeds it whole from PostgreSQL instead.
--
-- KEYS[1] stream, KEYS[2] snapshot hash, KEYS[3] live channel (same hash tag: one cluster slot)
-- ARGV[1] stream max length (approximate), ARGV[2] 'PUBLISH', 'SPUBLISH', or 'RESTORE' (events the
-- stream lost, written back from the outbox: neither published live nor folded), ARGV[3] event
-- count, then per event: seq, commit time (epoch ms), envelope JSON, patch count, then field/value
-- pairs; then, optionally, 'GUARD': if the first event is not the one after the stream's last, the
-- stream lost events (Redis lost its data): nothing is written and -1 - last is returned, so the
-- relay writes the lost ones back first.
local stream, snapshot, channel = KEYS[1], KEYS[2], KEYS[3]
local maxlen, publish, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
local restoring = publish == 'RESTORE'

local last = 0
local top = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
if #top > 0 then
  last = tonumber(string.match(top[1][1], '^(%d+)'))
end

local j = 4
for _ = 1, n do
  j = j + 4 + 2 * tonumber(ARGV[j + 3])
end
if ARGV[j] == 'GUARD' and n > 0 and tonumber(ARGV[4]) > last + 1 then
  return -1 - last
end

local fold = not restoring and redis.call('EXISTS', snapshot) == 1
local snapSeq = tonumber(redis.call('HGET', snapshot, 'seq') or '0')

local i = 4
local added = 0
for _ = 1, n do
  local seqText, ts, envelope = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local seq, patches = tonumber(seqText), tonumber(ARGV[i + 3])
  if seq > last then
    redis.call('XADD', stream, 'MAXLEN', '~', maxlen, seqText .. '-0', 'ts', ts, 'e', envelope)
    if not restoring then
      redis.call(publish, channel, envelope)
    end
    last = seq
    added = added + 1
  end
  if fold and seq > snapSeq then
    for p = 0, patches - 1 do
      redis.call('HSET', snapshot, ARGV[i + 4 + 2 * p], ARGV[i + 5 + 2 * p])
    end
    redis.call('HSET', snapshot, 'seq', seqText)
    snapSeq = seq
  end
  i = i + 4 + 2 * patches
end
return added
