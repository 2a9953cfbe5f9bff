#pragma once
// Processing batches of lines on several threads while handing them on in input order,
// with a fixed number of batches in flight, so memory stays the same whatever the input's
// length.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "stepcare/record_lines.hpp"

namespace stepcare::cli {

/// A run of consecutive lines and, once evaluated, their results. Batches are reused, so
/// their buffers keep their capacity.
struct line_batch {
    std::uint64_t sequence = 0;  ///< its place in the input, from 0
    record_lines input;
    std::string results;            ///< one result line per line, each ending in '\n'
    std::size_t by_status[4] = {};  ///< results per stepcare::result_status
};

/// Processes one batch in place; one is made per worker thread, so it may keep state.
using batch_processor = std::function<void(line_batch&)>;

struct ordering_options {
    unsigned jobs = 1;                ///< worker threads; 1 runs everything on the calling thread
    std::size_t max_lines = 128;      ///< lines per batch
    std::size_t max_bytes = 1 << 18;  ///< about this many input bytes per batch
};

/// Reads `reader` to its end in batches, processes each with a processor from
/// `make_processor` (one per worker), and calls `consume` with each processed batch in
/// input order, on the calling thread. With jobs > 1 a reader thread fills batches and
/// `jobs` workers process them; at most 2 * jobs + 2 batches exist, so a slow `consume`
/// holds the reader back instead of letting results pile up. Stops early, returning
/// false, when `consume` returns false.
bool process_in_order(record_line_reader& reader, const ordering_options& options,
                      const std::function<batch_processor()>& make_processor,
                      const std::function<bool(line_batch&)>& consume);

}  // namespace stepcare::cli
