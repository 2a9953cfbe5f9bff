// Finding questions and options by name (foundation/name_index.hpp), which the answer
// readers do for every answer.

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "foundation/name_index.hpp"

using stepcare::name_index;

namespace {

/// Checks that every name is found at its position and that each of `absent` is not.
void check_index(const std::vector<std::string>& names, const std::vector<std::string>& absent) {
    std::vector<std::string_view> views(names.begin(), names.end());
    name_index const index(views);
    for (std::uint32_t i = 0; i < names.size(); ++i) {
        INFO(names[i]);
        // A copy, so that the index cannot answer by the address of the name it was given.
        std::string const probe = names[i];
        CHECK(index.find(probe) == i);
    }
    for (const std::string& name : absent) {
        INFO(name);
        CHECK(index.find(name) == name_index::not_found);
    }
}

}  // namespace

TEST_CASE("name index: names of every length are found, and names that are not there are not", "[eval]") {
    // Lengths 1 to 3 (bytewise), 4 to 7 and 8 to 16 (two overlapping words), and longer
    // (the words at both ends, then the bytes between).
    check_index({"a", "ab", "abc", "abcd", "abcdefg", "abcdefgh", "more_than_half", "sixteen_bytes_16",
                 "a_name_longer_than_sixteen_bytes"},
                {"", "b", "ba", "abd", "abce", "abcdefh", "abcdefgi", "more_than_hall", "sixteen_bytes_17",
                 "a_name_longer_than_sixteen_bytez", "a_name_longer_THAN_sixteen_bytes", "abcdefghi", "A"});
}

TEST_CASE("name index: names alike at both ends are told apart by the bytes between", "[eval]") {
    // Same length, same first and last eight bytes: the same slot, so the probe must go on.
    std::vector<std::string> names;
    std::vector<std::string> absent;
    for (char middle = 'a'; middle <= 'z'; ++middle) {
        names.push_back(std::string("question_") + middle + "_of_the_form");
        absent.push_back(std::string("question_") + static_cast<char>(middle - 'a' + 'A') + "_of_the_form");
    }
    check_index(names, absent);
}

TEST_CASE("name index: an empty index and an index of many names", "[eval]") {
    CHECK(name_index().find("anything") == name_index::not_found);
    CHECK(name_index().find("") == name_index::not_found);
    check_index({}, {"", "x"});

    std::mt19937 random(11);
    std::vector<std::string> names;
    std::vector<std::string> absent;
    for (int i = 0; i < 3000; ++i) {
        std::string name = "q";
        for (std::uint32_t n = random() % 24; n > 0; --n) name += static_cast<char>('a' + random() % 26);
        name += std::to_string(i);
        names.push_back(name);
        absent.push_back(name + "x");
        absent.push_back(name.substr(0, name.size() - 1) + "_");
    }
    check_index(names, absent);
}
