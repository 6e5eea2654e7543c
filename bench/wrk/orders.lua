-- POST /orders (or another path) with an Idempotency-Key per request, for bench/run.sh.
-- Arguments (after wrk's "--"): mode, run prefix, number of replay keys, path (/orders by default).
--   new:    a key never used before on every request (first executions)
--   seed:   keys <prefix>-seed-0 .. N-1 in turn, wrapping around; run with one thread (-t1), long enough
--           to go round at least once, so that every key is completed
--   replay: keys drawn from those seed keys (replays of completed requests)
-- Prints one "RESULT key=value ..." line; counts answers that are not 2xx, and replays without the
-- Idempotent-Replayed header, which would mean the handler ran again.

local threads = {}

-- The same body for every mode, so that a replay's fingerprint matches its seed.
local body = '{"customer":"customer-0042","amount":5000,"currency":"USD","items":['
    .. '{"sku":"sku-1","quantity":2},{"sku":"sku-2","quantity":1},{"sku":"sku-3","quantity":5}]}'

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "new"
  prefix = args[2] or "run"
  replay_keys = tonumber(args[3] or "1000")
  path = args[4] or "/orders"
  counter = 0
  non2xx = 0
  not_replayed = 0
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  local key
  if mode == "new" then
    key = prefix .. "-" .. id .. "-" .. counter
  elseif mode == "seed" then
    key = prefix .. "-seed-" .. ((counter - 1) % replay_keys)
  else
    -- A stride through the seed keys, so that concurrent connections rarely ask for the same one.
    key = prefix .. "-seed-" .. ((counter * 7 + id * 101) % replay_keys)
  end
  headers["Idempotency-Key"] = key
  return wrk.format("POST", path, headers, body)
end

function response(status, response_headers, response_body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if mode == "replay" and response_headers["Idempotent-Replayed"] ~= "true" then
    not_replayed = not_replayed + 1
  end
end

function done(summary, latency, requests)
  local bad, unreplayed = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    unreplayed = unreplayed + thread:get("not_replayed")
  end
  local errors = summary.errors
  io.write(string.format(
      "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d not_replayed=%d socket_errors=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), bad, unreplayed,
      errors.connect + errors.read + errors.write + errors.timeout))
end
