-- wrk's report as one JSON line (bench/wrk.py reads it): requests per second, p50 and
-- p99 latency in milliseconds, and the exact count of answers that were not 2xx (wrk's
-- own "Non-2xx or 3xx responses" lets redirects through, and a redirect to the sign-in
-- page is a failure here). Each thread counts in its own Lua state; done() adds them up.
-- The session cookie comes from the command line: wrk -H "Cookie: ...".

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
  responses = 0
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local non = 0
  local counted = 0
  for _, thread in ipairs(threads) do
    non = non + thread:get("non_2xx")
    counted = counted + thread:get("responses")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "responses": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, counted, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
