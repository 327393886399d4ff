-- wrk script for `make bench`: GET the paths listed in a file (one per line) in turn, with the headers given by -H,
-- and print one line of JSON with the throughput and latency percentiles (microseconds).
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(paths, line) end
  end
  counter = math.random(#paths)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], wrk.headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bad": %d, "p50": %.0f, "p95": %.0f, "p99": %.0f}\n',
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout + errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
