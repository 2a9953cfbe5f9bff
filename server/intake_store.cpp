#include "intake_store.hpp"

namespace stepcare::server {

const char* to_string(intake_status status) {
    switch (status) {
        case intake_status::in_progress: return "in_progress";
        case intake_status::finished: return "finished";
        case intake_status::stopped: return "stopped";
    }
    return "in_progress";
}

std::optional<intake_status> intake_status_named(std::string_view name) {
    for (intake_status const status : {intake_status::in_progress, intake_status::finished, intake_status::stopped}) {
        if (name == to_string(status)) return status;
    }
    return std::nullopt;
}

}  // namespace stepcare::server
