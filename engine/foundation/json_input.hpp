#pragma once
/// Reading whole JSON documents (saved intakes, answers files) with a bound on nesting,
/// so that code walking a document recursively, as writing it back out does, never runs
/// out of stack (docs/limits.md).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "foundation/limits.hpp"

namespace stepcare {

/// The end of a message about input nested too deep: "is nested deeper than ...".
inline std::string nesting_too_deep() {
    return "nested deeper than " + std::to_string(max_json_nesting) + " levels of arrays and objects";
}

enum class json_read { ok, invalid, too_deep };

/// Parses `text` into `out`, which is discarded unless the result is `ok`.
inline json_read read_json(std::string_view text, nlohmann::json& out) {
    bool too_deep = false;
    auto const limit = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        using event_t = nlohmann::json::parse_event_t;
        if ((event == event_t::object_start || event == event_t::array_start) && depth >= max_json_nesting) {
            too_deep = true;
        }
        return !too_deep;  // once too deep, keep nothing more
    };
    out = nlohmann::json::parse(text, limit, false);
    if (too_deep) return json_read::too_deep;
    return out.is_discarded() ? json_read::invalid : json_read::ok;
}

}  // namespace stepcare
