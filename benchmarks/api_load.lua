-- wrk script for benchmarks/api_load.py (which runs it; see there for the why).
-- Arguments after `--`: kind, sessions file, start (Unix seconds), spread (seconds).
--   kind: app_put | app_list | base_put | base_list
--   sessions file: one Cookie header value per line (one signed-in person each);
--     the baseline kinds use only the line number, as the person's id.
-- Each request goes to the next person in turn; every PUT has a new uuid4 and an
-- occurred_at between 1 hour and `spread` seconds before `start` (so a person's weeks hold
-- a diary's worth of check-ins, not the whole run's).
-- Prints one line `RESULT {json}` at the end; non-2xx answers are counted as errors.

local threads = {}
local next_thread_id = 1

function setup(thread)
  thread:set("id", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

non2xx = 0
local kind, start, spread, person
local sessions = {}

local notes = {
  "Long shift, but the team pulled together.",
  "Short-staffed again; two calls ran over and I missed my break.",
  "Good day. Mrs K laughed at my terrible joke and we had tea.",
  "Tired after the night shift, slept badly. Feeling a bit flat.",
}
local factors = { '["workload","staffing"]', '["travel"]', '[]', '["workload"]' }

function init(args)
  kind, start, spread = args[1], tonumber(args[3]), tonumber(args[4])
  for line in io.lines(args[2]) do
    table.insert(sessions, line)
  end
  math.randomseed(os.time() * 1000 + id)
  person = id
end

local function uuid4()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    return string.format("%x", c == "x" and math.random(0, 15) or math.random(8, 11))
  end))
end

local function checkin_body(extra)
  local pick = math.random(1, #notes)
  local occurred_at = os.date("!%Y-%m-%dT%H:%M:%S+00:00", start - math.random(3600, spread))
  return string.format(
    '{%s"occurred_at":"%s","mood":%d,"energy":%d,"sleep":null,"stress":%d,'
      .. '"factors":%s,"needs":["someone_to_talk_to"],"note":"%s"}',
    extra, occurred_at, math.random(1, 5), math.random(1, 5), math.random(1, 5),
    factors[pick], notes[pick]
  )
end

function request()
  person = person % #sessions + 1
  if kind == "app_put" then
    return wrk.format("PUT", "/api/v1/entries/" .. uuid4(),
      { ["Content-Type"] = "application/json", ["Cookie"] = sessions[person] },
      checkin_body(""))
  elseif kind == "app_list" then
    return wrk.format("GET", "/api/v1/entries?limit=20", { ["Cookie"] = sessions[person] })
  elseif kind == "base_put" then
    return wrk.format("PUT", "/rows/" .. uuid4(),
      { ["Content-Type"] = "application/json" },
      checkin_body(string.format('"person":%d,', person)))
  else
    return wrk.format("GET", string.format("/rows?person=%d&limit=20", person))
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, bad, e.connect, e.read, e.write, e.timeout
  ))
end
