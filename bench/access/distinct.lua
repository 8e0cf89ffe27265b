-- wrk: a new bearer credential on every request, so no decision can be reused or shared.
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer alice-" .. n .. "-" .. math.random(1e9) })
end
