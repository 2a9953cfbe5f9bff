-- wrk script: intakes of `stepcare serve` answered forward, as people answer them. Every
-- request answers the question an intake is at, with a valid answer read from the previous
-- response (yes/no: no; a choice: its first option; several: a "none" option or the first;
-- a number: its minimum, age 40; text: "x"); an intake that ends is left, and the next
-- fresh one from the file after `--` is started. Every request is an answer committed
-- before its response. An intake has one request in flight at most: it is queued again
-- only when its response, which names it, has come.
--
-- wrk -t2 -c64 -d30s --latency -s bench/serve_forward.lua http://127.0.0.1:PORT -- intakes.txt THREADS

local threads = {}

function setup(thread)
    thread:set("thread_number", #threads)
    table.insert(threads, thread)
end

function init(args)
    local file = assert(io.open(args[1], "r"), "give the file of intake ids after --")
    local thread_count = tonumber(args[2]) or 1
    headers = {["Content-Type"] = "application/json"}
    fresh, next_fresh = {}, 1
    local index = 0
    for id in file:lines() do
        if id ~= "" then
            if index % thread_count == thread_number then table.insert(fresh, id) end
            index = index + 1
        end
    end
    file:close()
    ready, ready_head, ready_tail = {}, 1, 0
    ended, refused = 0, 0
    checked = thread_number ~= 0
end

local function answer_request(id, question, answer)
    return wrk.format("POST", "/api/v1/intakes/" .. id .. "/answer", headers,
                      '{"question":"' .. question .. '","answer":' .. answer .. '}')
end

function request()
    if not checked then
        checked = true
        return answer_request(fresh[1], "in_danger_now", "false")
    end
    if ready_head <= ready_tail then
        local r = ready[ready_head]
        ready[ready_head] = nil
        ready_head = ready_head + 1
        return r
    end
    local id = assert(fresh[next_fresh], "out of fresh intakes: create more")
    next_fresh = next_fresh + 1
    return answer_request(id, "in_danger_now", "false")
end

-- The answer this script gives to the question a state shows.
local function answer_for(body)
    local question = body:match('"question":{"id":"([%w_]+)"')
    if not question then return nil end
    local kind = body:match('"question":{"id":"[%w_]+","kind":"(%a+)"')
    if question == "age" then return question, "40" end
    if kind == "yesno" then return question, "false" end
    if kind == "choice" then return question, '"' .. body:match('"options":%[{"id":"([%w_]+)"') .. '"' end
    if kind == "multi" then
        local options = body:match('"options":(%b[])')
        local none = options:match('"id":"([%w_]*none[%w_]*)"')
        return question, '["' .. (none or options:match('"id":"([%w_]+)"')) .. '"]'
    end
    if kind == "integer" or kind == "decimal" then return question, body:match('"min":(%-?[%d%.]+)') end
    return question, '"x"'
end

function response(status, _, body)
    if status ~= 200 then
        refused = refused + 1
        return
    end
    local id = body:match('^{"id":"(%x+)"')
    local question, answer = answer_for(body)
    if not question then
        ended = ended + 1
        return
    end
    ready_tail = ready_tail + 1
    ready[ready_tail] = answer_request(id, question, answer)
end

function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        "RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
        "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency.max, errors.status, errors.connect, errors.read, errors.write,
        errors.timeout))
end
