-- wrk script of bench/serve_bench.sh: every request is a durable step of an intake of
-- `stepcare serve`. Each wrk thread takes its share of the intakes listed in the file given
-- after `--` (one id a line, every intake at the same question: by default the first,
-- `in_danger_now`) and cycles over them: on each intake it alternately answers that
-- question (by default `false`) and goes back to it, so every request changes the intake
-- and is committed before its response, and no intake ever runs out of questions. An intake comes round again only
-- after all the thread's other intakes, long after its previous request was answered, so
-- the steps of one intake never overlap (a step that failed puts its intake out of step
-- for one request, which then fails with 409 and puts it back; wrk counts those as
-- non-2xx responses).
--
-- wrk -t2 -c64 -d30s --latency -s bench/serve_answer.lua http://127.0.0.1:PORT \
--     -- intakes.txt THREADS [QUESTION ANSWER_JSON]
-- THREADS is wrk's -t (each thread takes every THREADS-th intake).

local threads = {}

function setup(thread)
    thread:set("thread_number", #threads)
    table.insert(threads, thread)
end

function init(args)
    local file = assert(io.open(args[1], "r"), "give the file of intake ids after --")
    local thread_count = tonumber(args[2]) or 1
    local headers = {["Content-Type"] = "application/json"}
    local question = args[3] or "in_danger_now"
    local answer = args[4] or "false"
    local answer_body = '{"question":"' .. question .. '","answer":' .. answer .. '}'
    answers, backs = {}, {}
    local index = 0
    for id in file:lines() do
        if id ~= "" then
            if index % thread_count == thread_number then
                local path = "/api/v1/intakes/" .. id
                table.insert(answers, wrk.format("POST", path .. "/answer", headers, answer_body))
                table.insert(backs, wrk.format("POST", path .. "/back", headers, "{}"))
            end
            index = index + 1
        end
    end
    file:close()
    assert(#answers > 0, "no intake for this thread")
    answered = {}  -- whether each intake is at its second question (answered, not yet back)
    for i = 1, #answers do answered[i] = false end
    next_intake = 1
    -- wrk calls request() once in its first thread before the run, to see whether the
    -- script pipelines (script_verify_request); that request is never sent.
    checked = thread_number ~= 0
end

function request()
    if not checked then
        checked = true
        return answers[1]
    end
    local i = next_intake
    next_intake = next_intake % #answers + 1
    local was_answered = answered[i]
    answered[i] = not was_answered
    if was_answered then return backs[i] end
    return answers[i]
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
