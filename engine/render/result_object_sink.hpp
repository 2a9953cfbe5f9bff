#pragma once
/// The result emitter's sink that builds a `result` object, its texts rendered with
/// `render_text`: what `questionnaire::evaluate`, sessions and explanations return.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "render/result_emitter.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// Fills a `result` (which starts empty) from the emitter's parts.
class result_object_sink {
public:
    using output = result;
    /// The public `result` has no `"answers"` block.
    static constexpr bool holds_answers = false;

    result_object_sink(const program& p, std::size_t language) : p_(p), language_(language) {}

    void open(result& r, std::string_view id_json, result_status status);
    void outcome(result& r, std::uint32_t o, text_ref title, paragraphs_ref text);
    void undetermined(result& r, std::uint32_t o, const std::vector<std::uint32_t>& waiting);
    void referral(result& r, text_ref title, paragraphs_ref text);
    void let_value(result& r, std::uint32_t let, value v);
    void missing(result& r, const std::vector<std::uint32_t>& questions);
    void ignored(result& r, const std::vector<std::uint32_t>& questions);
    void errors(result& r, const std::vector<answer_error>& errors);
    void close(result& r);

private:
    const program& p_;
    std::size_t language_;

    std::string rendered(text_ref text) const;
    std::string rendered(paragraphs_ref text) const;
    std::vector<std::string> question_ids(const std::vector<std::uint32_t>& questions) const;
};

/// The result of an evaluated record.
result build_result(const program& p, std::string_view id_json, const answer_slots& answers, const evaluation& state,
                    std::size_t language);

/// The result of a record whose answers were rejected: no outcomes, the referral, the errors.
result build_invalid_result(const program& p, std::string_view id_json, const std::vector<answer_error>& errors,
                            std::size_t language);

}  // namespace stepcare
