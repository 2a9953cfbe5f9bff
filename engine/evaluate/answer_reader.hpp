#pragma once
/// Reading answers (interfaces.md section 2) into answer slots, checking each against its
/// question: JSON records straight from text with a SAX parser, and typed answers.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "stepcare/answer.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// One record read: its id, its answers and the problems found. Reused across records,
/// it keeps its storage.
struct answer_record {
    std::string id_json;  ///< empty when the record has no id
    answer_slots answers;
    std::vector<answer_error> errors;
    std::vector<bool> given;  ///< per question: a key named it (to find duplicates)
};

/// Empties `out` for a record of `p`: no id, no answers, no errors.
void start_record(const program& p, answer_record& out);

/// Reads one record, `{"id": ..., "answers": {...}}`, into `out` (cleared first).
/// Every problem becomes an error in `out.errors`; reading never throws for bad input.
/// A record of the usual shape is read by `read_plain_record`, any other by
/// `read_record_by_events`.
void read_record(const program& p, std::string_view json, answer_record& out);

/// The quick path of `read_record`: reads a record of the usual shape (plain JSON, an id and
/// answers that all fit) straight from its text and returns true; for any other, returns
/// false, and `out` is to be read again. What it takes it reads as `read_record_by_events`.
bool read_plain_record(const program& p, std::string_view json, answer_record& out);

/// `read_record` for any record: by the scanner's events (plain_json.hpp) or, when it is not
/// plain, by nlohmann's parser's, which gives the message for a malformed one.
void read_record_by_events(const program& p, std::string_view json, answer_record& out);

/// Reads just an answers object, `{"question": answer, ...}`, as `read_record` does.
void read_answers_object(const program& p, std::string_view json, answer_record& out);

/// Reads typed (question id, answer) pairs into `out` (cleared first), with the checks and
/// messages of `read_record`; the record has no id.
void read_typed_answers(const program& p, const std::vector<std::pair<std::string, answer_value>>& answers,
                        answer_record& out);

/// Checks `answer` for question `q` and stores it in `slots`. Returns the error message
/// (naming the question) when the answer does not fit, and then leaves the slot unchanged.
std::optional<std::string> assign_answer(const program& p, std::uint32_t q, const answer_value& answer,
                                         answer_slots& slots);

/// What question `q` takes, in words: "a whole number from 0 to 120", "one of: a, b".
std::string describe_expected(const program& p, std::uint32_t q);

/// The answer in slot `v` of question `q` as a JSON value (`null` when unknown).
std::string answer_to_json(const program& p, std::uint32_t q, value v);

/// The typed form of a slot value of question `q`.
answer_value answer_from_slot(const program& p, std::uint32_t q, value v);

}  // namespace stepcare
