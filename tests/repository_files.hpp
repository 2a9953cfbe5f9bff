#pragma once
// The questionnaire files of the repository, for the tests that run over all of them
// (prove_test.cpp, format_test.cpp).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace stepcare::testing {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Every `.sq` file of the repository, sorted: the bundled questionnaires and those of the
/// tests, with or without errors (npm's folders aside).
inline std::vector<std::filesystem::path> repository_questionnaires() {
    std::vector<std::filesystem::path> found;
    for (char const* root : {STEPCARE_QUESTIONNAIRES, STEPCARE_TESTS_ROOT}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (entry.path().extension() == ".sq" && entry.path().string().find("node_modules") == std::string::npos) {
                found.push_back(entry.path());
            }
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace stepcare::testing
