-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script: GET the path template of MORTAR_BENCH_PATH with "{id}" replaced, request
-- after request, by each id listed one per line in the file MORTAR_BENCH_IDS, with the
-- API key of MORTAR_BENCH_KEY. Each wrk thread starts at a different offset so that
-- threads do not ask for the same record in step. Used for
--   /api/configurations?filter%5Borganization_id%5D={id}&page%5Bsize%5D=100 and
--   /api/passwords/{id}.
wrk.headers["x-api-key"] = os.getenv("MORTAR_BENCH_KEY") or ""

local ids = {}
local prefix, suffix = "", ""
local next_index = 1

function init(args)
  local template = os.getenv("MORTAR_BENCH_PATH") or error("MORTAR_BENCH_PATH is not set")
  local at = template:find("{id}", 1, true)
  if not at then error("MORTAR_BENCH_PATH has no {id}: " .. template) end
  prefix, suffix = template:sub(1, at - 1), template:sub(at + 4)
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
  return wrk.format("GET", prefix .. id .. suffix)
end
