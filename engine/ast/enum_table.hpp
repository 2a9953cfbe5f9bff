#pragma once
/// Checks for the tables that describe each enumerator of an enumeration (the builtins,
/// the question kinds), so that an enumerator cannot be added without its row.

#include <array>
#include <cstddef>

namespace stepcare {

/// Whether `table` has one row per enumerator, each at its enumerator's index (its `id`).
/// `is_enumerator` is an exhaustive switch over the enumeration, so -Wswitch names a new
/// enumerator there, and then a row missing from the table makes this false.
template <typename Row, std::size_t size>
constexpr bool one_row_per_enumerator(const std::array<Row, size>& table, bool (*is_enumerator)(decltype(Row::id))) {
    if (is_enumerator(static_cast<decltype(Row::id)>(size))) return false;
    for (std::size_t i = 0; i < size; ++i) {
        if (static_cast<std::size_t>(table[i].id) != i) return false;
    }
    return true;
}

}  // namespace stepcare
