-- wrk script: POST batches of unique ticket events to /v1/events.
--   wrk ... -s Benchmarks/http/events.lua URL -- BATCH TOKEN [DELAY_MS]
-- BATCH events per request (NDJSON); DELAY_MS > 0 paces each connection
-- (for latency at a fixed rate). Counts the events the server stored.

local threads = {}

function setup(thread)
    thread:set("prefix", string.format("%x%x", math.random(0, 0xFFFFFF), #threads))
    table.insert(threads, thread)
end

function init(args)
    batch = tonumber(args[1] or "1")
    token = args[2] or ""
    pause = tonumber(args[3] or "0")
    counter = 0
    stored = 0
    statuses = {}
end

function request()
    counter = counter + 1
    local lines = {}
    for i = 1, batch do
        local id = prefix .. "-" .. counter .. "-" .. i
        lines[i] = '{"id":"' .. id .. '","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z",'
            .. '"ticket":{"id":"T-' .. id .. '","subject":"Card declined on renewal","priority":"urgent",'
            .. '"tags":["billing"],"requester":{"id":"U-1","plan":"pro"}}}'
    end
    return wrk.format("POST", "/v1/events",
        { ["Content-Type"] = "application/x-ndjson", ["Authorization"] = "Bearer " .. token },
        table.concat(lines, "\n"))
end

function delay()
    return pause
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if status == 202 then
        local n = string.match(body, '"stored":(%d+)')
        stored = stored + tonumber(n or "0")
    end
end

function done(summary, latency, requests)
    local total = 0
    local byStatus = {}
    for _, thread in ipairs(threads) do
        total = total + thread:get("stored")
        for status, count in pairs(thread:get("statuses")) do
            byStatus[status] = (byStatus[status] or 0) + count
        end
    end
    local seconds = summary.duration / 1e6
    io.write(string.format("events stored (acknowledged): %d  (%.0f events/s)\n", total, total / seconds))
    for status, count in pairs(byStatus) do io.write(string.format("status %d: %d\n", status, count)) end
    io.write(string.format("latency p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
    local file = io.open(os.getenv("WRK_STORED_FILE") or "/dev/null", "w")
    if file then file:write(tostring(total)) file:close() end
end
