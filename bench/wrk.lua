-- wrk script for bench/run.py: each request takes the next (Cookie header, path) line of the
-- targets file given after `--`, so the requests rotate over many distinct logged-in customers.
-- Counts responses other than 200 (a redirect to the login page would otherwise look fine).
local threads = {}
local targets = {}
local counter = 0
bad = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local cookie, path = line:match("^([^\t]*)\t(.+)$")
    table.insert(targets, { cookie, path })
  end
  counter = (id or 0) * 7919
end

function request()
  counter = counter + 1
  local target = targets[counter % #targets + 1]
  local headers = {}
  if target[1] ~= "" then
    headers["Cookie"] = target[1]
  end
  return wrk.format("GET", target[2], headers)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, "bad": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    total_bad, e.connect + e.read + e.write + e.timeout))
end
