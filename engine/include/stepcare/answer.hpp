#pragma once
/// Typed answers, as intake software hands them to a session or an evaluation.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "stepcare/export.h"

namespace stepcare {

/// Whether `key` is one of the fields that a saved intake (`session::save_json`) adds to an
/// answers record: "position", "history", "changes" and "questionnaire". Every reader of
/// answers records ignores them, so a save file can be evaluated, explained or prefilled.
STEPCARE_API bool is_saved_intake_field(std::string_view key);

class answer_value;
/// The answer as JSON text, as the answers format writes it: `true`, `3`, `2.5`, `"daily"`,
/// `["a","b"]`; `null` when it is empty.
STEPCARE_API std::string to_json(const answer_value& answer);

/// One answer before it is checked against its question. Which alternatives a question
/// accepts (interfaces.md section 2):
/// - yesno: `true`/`false`, or the text "yes"/"no";
/// - choice: the option id as text; multi: the option ids (empty: answered, none chosen);
/// - integer: a whole number; decimal: any number; text: the text.
/// `std::monostate` means "no answer".
class answer_value {
public:
    using option_ids = std::vector<std::string>;
    using storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, option_ids>;

    answer_value() = default;
    answer_value(bool b) : data_(b) {}
    answer_value(int n) : data_(std::int64_t{n}) {}
    answer_value(std::int64_t n) : data_(n) {}
    answer_value(double d) : data_(d) {}
    answer_value(std::string text) : data_(std::move(text)) {}
    answer_value(const char* text) : data_(std::string(text)) {}
    answer_value(option_ids ids) : data_(std::move(ids)) {}

    const storage& data() const { return data_; }
    bool empty() const { return std::holds_alternative<std::monostate>(data_); }

private:
    storage data_;
};

}  // namespace stepcare
