-- Varied traffic for wrk (issue 12): the list of paths is cut into one slice per connection,
-- and each walks its slice in order, wrapping around, so that no path is asked again before
-- its whole slice has been.
--
--   wrk -t2 -c16 -d15s -s bench/varied.lua http://127.0.0.1:8001 -- LIST 2 16 [PHASE PHASES]
--
-- LIST is a file of paths (with their query strings), one a line; then wrk's thread and
-- connection counts again (a script cannot read them). Slice j of the connections is paths
-- floor(j * n / c) + 1 .. floor((j + 1) * n / c); thread t owns slices t * c / T .. and
-- hands them out in turn, one request each. wrk's request() is not told which socket it
-- writes to, so a slice belongs to one of the thread's request slots rather than to a fixed
-- socket; with every connection busy that is the same thing: c walks, each of its own slice.
-- PHASE of PHASES (default 0 of 1): every walk starts PHASE / PHASES of the way into its
-- slice, so that successive runs over one list (a warm-up, then rounds) start on paths the
-- runs before them did not start on.

local threads_set_up = 0

function setup(thread)
  thread:set("thread_number", threads_set_up)
  threads_set_up = threads_set_up + 1
end

function init(args)
  local paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  local threads, connections = tonumber(args[2]), tonumber(args[3])
  local phase, phases = tonumber(args[4] or "0"), tonumber(args[5] or "1")
  if connections % threads ~= 0 then
    error("the connections must divide among the threads evenly")
  end
  if #paths < connections then
    error(args[1] .. " has fewer paths than there are connections")
  end
  local per_thread = connections / threads
  slices = {}
  for s = 0, per_thread - 1 do
    local j = thread_number * per_thread + s
    local requests = {}
    for i = math.floor(j * #paths / connections) + 1, math.floor((j + 1) * #paths / connections) do
      requests[#requests + 1] = wrk.format("GET", paths[i])
    end
    slices[#slices + 1] = { requests = requests, next = math.floor(#requests * phase / phases) }
  end
  turn = 0
end

function request()
  turn = turn % #slices + 1
  local slice = slices[turn]
  local next_request = slice.requests[slice.next + 1]
  slice.next = (slice.next + 1) % #slice.requests
  return next_request
end
