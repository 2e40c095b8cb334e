-- wrk script for scripts/bench-load.sh: a district office's day at national scale.
--   60% dashboard polls (PMKS and completeness; Kota Cirebon, a province, the nation),
--   30% report reads (the demo reports of Kota Cirebon),
--   10% report writes: PUT drafts, each to a kecamatan/period no other request writes.
-- Needs env TOKEN and KEC_FILE (kecamatan codes, one a line). LuaJIT (Lua 5.1): no // operator.
local token = os.getenv("TOKEN")
local kecFile = os.getenv("KEC_FILE")
local threads = {}

function setup(thread)
  thread:set("tid", #threads)   -- a global in that thread's Lua state
  table.insert(threads, thread)
end

local kecs, months = {}, {}
local json = {}  -- filled in init(): wrk.format with a header table sends only those headers
local counter, id = 0, 0

function init(args)
  id = tonumber(tid) or 0
  for line in io.lines(kecFile) do kecs[#kecs + 1] = line end
  for y = 2019, 2026 do
    for m = 1, 12 do
      if y < 2026 or m <= 10 then months[#months + 1] = string.format("%04d-%02d", y, m) end
    end
  end
  wrk.headers["Authorization"] = "Bearer " .. token
  json = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json", ["Host"] = wrk.headers["Host"]}
  polls, reads, writes, answers, bad = 0, 0, 0, 0, 0
end

local demo = {"32.74.01", "32.74.02", "32.74.03", "32.74.04", "32.74.05"}
local demoMonths = {"2026-07", "2026-08", "2026-09", "2026-10"}
local polls_paths = {
  "/v1/stats/pmks?region=32.74&period=2026-10&by=region",
  "/v1/stats/completeness?region=32.74&period=2026-10",
  "/v1/stats/pmks?region=32&period=2026-01&period_to=2026-10&by=period,category",
  -- National: the summary and the provinces (list=none). The default list of every kecamatan still
  -- missing a report is 1 MB at national scale; scripts/bench-load.sh times it once on its own.
  "/v1/stats/completeness?period=2026-10&list=none",
}
local body = '{"pmks":[{"category":"LUT","male":3,"female":4},{"category":"FM","count":12}],' ..
             '"psks":[{"type":"PSM","count":5}],"notes":{"kendala":"beban uji"}}'

function request()
  counter = counter + 1
  local r = counter % 10
  if r < 6 then
    polls = polls + 1
    return wrk.format("GET", polls_paths[counter % 4 + 1])
  elseif r < 9 then
    reads = reads + 1
    return wrk.format("GET", "/v1/reports/" .. demo[counter % 5 + 1] .. "/" .. demoMonths[math.floor(counter / 5) % 4 + 1])
  end
  writes = writes + 1
  -- Distinct keys across threads: the thread id in the low bits, this thread's write count above.
  local n = writes * 64 + id
  local kec = kecs[n % #kecs + 1]
  local month = months[math.floor(n / #kecs) % #months + 1]
  return wrk.format("PUT", "/v1/reports/" .. kec .. "/" .. month, json, body)
end

function response(status, headers, resp)
  answers = answers + 1
  if status < 200 or status >= 300 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("non-2xx " .. status .. ": " .. string.sub(resp or "", 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local t = {polls = 0, reads = 0, writes = 0, answers = 0, bad = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (tonumber(thread:get(k)) or 0) end
  end
  io.write(string.format("mix sent: polls %d, reads %d, writes %d; answers %d, non-2xx %d\n",
    t.polls, t.reads, t.writes, t.answers, t.bad))
  io.write(string.format("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("throughput: %.0f requests/s (%d in %.1f s)\n",
    summary.requests / (summary.duration / 1e6), summary.requests, summary.duration / 1e6))
end
