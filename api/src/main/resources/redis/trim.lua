-- Trims a branch stream by age: drops entries committed before ARGV[1] (epoch ms), never the
-- newest one (it tells the relay where the stream stands). Entry ids are <seq>-0 with dense seqs,
-- so the cut is found by binary search over seq, a handful of reads whatever the stream's length.
local stream, cutoff = KEYS[1], tonumber(ARGV[1])
local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
if #first == 0 then return 0 end
local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
local lo = tonumber(string.match(first[1][1], '^(%d+)'))
local hi = tonumber(string.match(last[1][1], '^(%d+)'))
local function tsAt(seq)
  local e = redis.call('XRANGE', stream, string.format('%d-0', seq), '+', 'COUNT', 1)
  local fields = e[1][2]
  for f = 1, #fields, 2 do
    if fields[f] == 'ts' then return tonumber(fields[f + 1]), tonumber(string.match(e[1][1], '^(%d+)')) end
  end
  return 0, seq
end
-- smallest seq in [lo, hi] whose entry is not older than the cutoff; hi at most
while lo < hi do
  local mid = math.floor((lo + hi) / 2)
  local ts, actual = tsAt(mid)
  if ts < cutoff then lo = actual + 1 else hi = mid end
end
return redis.call('XTRIM', stream, 'MINID', string.format('%d-0', lo))
