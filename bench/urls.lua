-- wrk script: cycles through the request paths listed (one per line) in the file named by the
-- BENCH_PATHS environment variable, and prints one machine-readable BENCHLINE when done.
local paths = {}
local requests = {}
local i = 0
local next_id = 0

-- Runs in the main Lua state once per thread, before init.
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

init = function(args)
  local list = os.getenv("BENCH_PATHS")
  assert(list, "BENCH_PATHS is not set")
  for line in io.lines(list) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  assert(#paths > 0, "no paths in " .. list)
  for k, p in ipairs(paths) do
    requests[k] = wrk.format("GET", p)
  end
  -- Each thread starts at a different place in the cycle.
  i = ((id or 0) * 7) % #requests
end

request = function()
  i = i % #requests + 1
  return requests[i]
end

done = function(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    "BENCHLINE requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
