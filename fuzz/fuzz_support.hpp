#pragma once
// What the fuzz targets share: loading a fixed questionnaire once, and failing loudly
// when a property that must always hold does not.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "stepcare/compile.hpp"
#include "stepcare/result.hpp"

namespace stepcare::fuzz {

/// Stops the run with a message; libFuzzer saves the input that got here.
[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "property violated: %s\n", what.c_str());
    std::abort();
}

inline void require(bool holds, const char* what) {
    if (!holds) fail(what);
}

/// Compiles a bundled questionnaire (tests not run: they do not change the program).
inline questionnaire load(const char* path) {
    compile_options options;
    options.run_tests = false;
    compile_result compiled = compile_file(path, options);
    if (!compiled.compiled) fail(std::string("cannot compile ") + path);
    return *compiled.compiled;
}

/// Whether two results say the same, field by field (cheaper than comparing their JSON).
inline bool same(const result& a, const result& b) {
    auto const same_outcome = [](const fired_outcome& x, const fired_outcome& y) {
        return x.id == y.id && x.level == y.level && x.title == y.title && x.text == y.text && x.cites == y.cites;
    };
    auto const same_undetermined = [](const undetermined_outcome& x, const undetermined_outcome& y) {
        return x.id == y.id && x.missing == y.missing;
    };
    auto const same_error = [](const answer_error& x, const answer_error& y) {
        return x.question == y.question && x.message == y.message;
    };
    return a.id_json == b.id_json && a.status == b.status &&
           std::equal(a.outcomes.begin(), a.outcomes.end(), b.outcomes.begin(), b.outcomes.end(), same_outcome) &&
           std::equal(a.undetermined.begin(), a.undetermined.end(), b.undetermined.begin(), b.undetermined.end(),
                      same_undetermined) &&
           a.referral.title == b.referral.title && a.referral.text == b.referral.text &&
           a.referral.cites == b.referral.cites && a.values == b.values && a.missing == b.missing &&
           a.ignored == b.ignored &&
           std::equal(a.errors.begin(), a.errors.end(), b.errors.begin(), b.errors.end(), same_error);
}

/// Every result names the referral, whatever the input (language.md section 7), and its
/// JSON reads back.
inline void check_result(const result& r) {
    require(!r.referral.title.empty(), "a result without the referral");
    std::string error;
    require(result_from_json(to_json(r), &error).has_value(), "a result whose JSON does not read back");
}

}  // namespace stepcare::fuzz
