// Fuzz target: one answers record for the reference questionnaire -> evaluate, explain,
// and the same text restored into a session, saved and restored again.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "stepcare/session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace stepcare;
    static const questionnaire reference = fuzz::load(STEPCARE_FUZZ_REFERENCE);
    std::string_view const record(reinterpret_cast<const char*>(data), size);

    result const r = reference.evaluate(record);
    fuzz::check_result(r);
    fuzz::require(r.status != result_status::invalid || (r.outcomes.empty() && !r.errors.empty()),
                  "an invalid record must have errors and no outcomes");
    reference.explain(record, "es");

    // The intake's --resume and --answers read the same format.
    session first(reference);
    first.restore_json(record);
    session second(reference);
    fuzz::require(second.restore_json(first.save_json()).empty(), "a saved session does not restore cleanly");
    result const restored = second.current_result();
    fuzz::require(!restored.referral.title.empty(), "a session result without the referral");
    fuzz::require(fuzz::same(restored, first.current_result()), "a restored session gives another result");
    return 0;
}
