-- wrk script of the load benchmark (bench/bench_load.py writes bench/.results/load_data.lua,
-- which this script reads). Each thread rotates through a cycle of request kinds; each
-- kind rotates through its own pool of requests (users, pages, submissions). Saves use
-- the version each submission will have: thread t saves only its own submissions, one
-- at a time each, so the k-th save of a submission carries its initial version + k.

local data = dofile(os.getenv("BENCH_LOAD_DATA"))
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local position, counters = 0, {}
statuses = {}  -- global: done() reads each thread's with thread:get

local function pick(kind)
  local pool = data.pools[kind]
  if kind == "save" then
    pool = data.saves[id + 1]
  end
  local n = (counters[kind] or 0)
  counters[kind] = n + 1
  return pool[(n % #pool) + 1], math.floor(n / #pool)
end

function request()
  position = position + 1
  local kind = data.cycle[((position - 1) % #data.cycle) + 1]
  local item, round = pick(kind)
  local body = nil
  if kind == "save" then
    local version = item.version + round
    local template = (round % 2 == 0) and item.body_a or item.body_b
    body = string.gsub(template, "VERSION", tostring(version))
  end
  return wrk.format(item.method, item.path, item.headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local other = 0
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      if status ~= 200 then
        other = other + count
      end
    end
  end
  io.write(string.format(
    "BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"connect_errors\": %d, \"read_errors\": %d, " ..
    "\"write_errors\": %d, \"status_errors\": %d, \"timeouts\": %d, \"not_200\": %d, " ..
    "\"p50_us\": %d, \"p95_us\": %d, \"p99_us\": %d, \"max_us\": %d, \"mean_us\": %d}\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, other, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
