-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script: GET /api/organizations/:id, cycling through the ids listed one per line in
-- the file MORTAR_BENCH_IDS, with the API key of MORTAR_BENCH_KEY. Each wrk thread
-- starts at a different offset so that threads do not ask for the same record in step.
wrk.headers["x-api-key"] = os.getenv("MORTAR_BENCH_KEY") or ""

local ids = {}
local next_index = 1

function init(args)
  local path = os.getenv("MORTAR_BENCH_IDS")
  for line in io.lines(path) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  if #ids == 0 then error("no ids in " .. tostring(path)) end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))
  next_index = math.random(#ids)
end

function request()
  local id = ids[next_index]
  next_index = next_index % #ids + 1
  return wrk.format("GET", "/api/organizations/" .. id)
end
