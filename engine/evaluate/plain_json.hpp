#pragma once
/// A quick path for reading records: most records are plain JSON (ASCII strings without
/// escapes, whole numbers, shallow nesting), which this scanner turns into the same SAX
/// events nlohmann's parser would, several times faster. On anything else it gives up, and
/// the caller parses the record again, from the start, with nlohmann's parser, so that
/// every record that is not plain, and every malformed one with its error message, is
/// read exactly as before. (Records of the usual shape whose answers all fit are read
/// quicker still, without events, by answer_reader.cpp's plain record reader; this scanner
/// reads those it leaves, the ones with errors among them.)

#include <nlohmann/json.hpp>
#include <string_view>

namespace stepcare {

enum class plain_scan {
    done,       ///< the whole text was plain JSON; every event was delivered
    stopped,    ///< a handler returned false, as it would have under nlohmann's parser
    not_plain,  ///< something else was met: parse the text again with nlohmann's parser
};

/// Delivers the events of `text` to `sax`, if it is plain JSON: objects and arrays nested
/// at most 32 deep; strings of printable ASCII without backslashes; numbers without
/// fraction or exponent and of at most 18 digits; true, false and null; the JSON spaces
/// around them. Never calls `parse_error`.
plain_scan scan_plain_json(std::string_view text, nlohmann::json_sax<nlohmann::json>& sax);

}  // namespace stepcare
