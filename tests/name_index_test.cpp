// Finding names: questions and options by name (foundation/name_index.hpp), which the
// answer readers do for every answer, and the closest name for a typo (foundation/text.hpp).

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "foundation/name_index.hpp"
#include "foundation/text.hpp"

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

namespace {

/// The optimal string alignment distance by its definition, over the whole table.
std::size_t reference_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

TEST_CASE("closest name: one or two edits away, never the name itself, nothing when too far", "[eval]") {
    std::vector<std::string_view> const names = {"tried", "age", "mood_total", "trials_unsure", "adequate_failed"};
    CHECK(stepcare::closest_name("tryed", names) == "tried");           // a substitution
    CHECK(stepcare::closest_name("tirde", names) == "tried");           // two swaps
    CHECK(stepcare::closest_name("agee", names) == "age");              // an insertion
    CHECK(stepcare::closest_name("mod_total", names) == "mood_total");  // a deletion
    CHECK(stepcare::closest_name("adequtae_failed", names) == "adequate_failed");
    CHECK(stepcare::closest_name("tried", names).empty());               // the name itself
    CHECK(stepcare::closest_name("tried", {"tries", "tried"}).empty());  // even with another one near
    CHECK(stepcare::closest_name("ag", names) == "age");                 // half its length: one edit
    CHECK(stepcare::closest_name("eg", {"age"}).empty());                // but not two
    CHECK(stepcare::closest_name("trials_sure_un", names).empty());      // too far
    CHECK(stepcare::closest_name("", names).empty());
}

TEST_CASE("closest name: the same choice as the distance computed in full", "[eval]") {
    // A small alphabet makes names one or two edits apart common.
    std::mt19937 random(5);
    auto const word = [&] {
        std::string w;
        for (std::uint32_t n = 1 + random() % 9; n > 0; --n) w += static_cast<char>('a' + random() % 3);
        return w;
    };
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::string> candidates;
        for (int i = 0; i < 6; ++i) candidates.push_back(word());
        std::string const name = word();
        INFO(name);
        std::size_t const limit = std::min<std::size_t>(2, name.size() / 2);
        std::string expected;
        std::size_t best = limit + 1;
        for (const std::string& candidate : candidates) {
            if (candidate == name) {
                expected.clear();
                break;
            }
            std::size_t const distance = reference_distance(name, candidate);
            if (distance < best) {
                expected = candidate;
                best = distance;
            }
        }
        std::vector<std::string_view> const views(candidates.begin(), candidates.end());
        CHECK(std::string(stepcare::closest_name(name, views)) == expected);
    }
}
