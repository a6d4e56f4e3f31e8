-- wrk script for bench/run.py. Arguments after `--`: the targets file, the mode, the expected
-- status. Each line of the targets file is one request: method, Cookie header, path, body (tabs).
--
-- mode "once": every line is sent at most once. Thread i of n takes lines i, i+n, i+2n, … and
--   stops when all but two lines per connection have been answered, so no line (no session) is
--   ever sent twice. A stopped thread writes <targets>.done.<i>: wrk's main thread sleeps until
--   -d is over, so bench/run.py ends it (SIGINT) once every thread is done, and times the run.
-- mode "cycle": the lines are sent round and round until -d ends (repeat views).
--
-- Counts responses other than the expected status (a redirect to the login page would otherwise
-- look fine).
local threads = {}
local targets = {}
local counter = 0
local answered = 0
local stop_after = 0
bad = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  targets_file = args[1]
  mode = args[2]
  expected = tonumber(args[3])
  local n_threads = tonumber(args[4])
  local per_thread_connections = tonumber(args[5])
  local index = 0
  for line in io.lines(args[1]) do
    if mode ~= "once" or index % n_threads == id then
      local method, cookie, path, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
      local headers = {}
      if cookie ~= "" then
        headers["Cookie"] = cookie
      end
      if body ~= "" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        body = nil
      end
      table.insert(targets, wrk.format(method, path, headers, body))
    end
    index = index + 1
  end
  if mode == "once" then
    stop_after = #targets - per_thread_connections
  else
    counter = id * 7919
  end
end

function request()
  counter = counter + 1
  return targets[(counter - 1) % #targets + 1]
end

function response(status, headers, body)
  if status ~= expected then
    bad = bad + 1
  end
  answered = answered + 1
  if mode == "once" and answered == stop_after then
    wrk.thread:stop()
    local marker = io.open(targets_file .. ".done." .. id, "w")
    marker:close()
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
