// Fuzz target: an intake session driven by a string of commands. The first byte picks
// the questionnaire and language; then each byte is a command (mostly answers; typed text
// read by parse_answer, answer as JSON, back, skip, result, save and restore), and
// answers take their values from the bytes that follow: mostly fitting the question,
// sometimes of the wrong type or out of range.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "stepcare/session.hpp"

namespace {

using namespace stepcare;

/// The input, read a little at a time; zeros once it runs out.
class bytes {
public:
    bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    bool empty() const { return at_ >= size_; }
    std::uint8_t next() { return at_ < size_ ? data_[at_++] : 0; }

    std::uint64_t next64() {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | next();
        return v;
    }

    std::string text(std::size_t length) {
        std::string s;
        while (s.size() < length && !empty()) s.push_back(static_cast<char>(next()));
        return s;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

answer_value wrong_type(bytes& in) {
    switch (in.next() % 6) {
        case 0: return answer_value(in.next() % 2 == 0);
        case 1: return answer_value(static_cast<std::int64_t>(in.next64()));
        case 2: {
            double d = 0;
            std::uint64_t const bits = in.next64();
            std::memcpy(&d, &bits, sizeof d);  // any bit pattern: NaN, infinities, denormals
            return answer_value(d);
        }
        case 3: return answer_value(in.text(in.next() % 16));
        case 4: return answer_value(answer_value::option_ids{in.text(in.next() % 8)});
        default: return answer_value();
    }
}

answer_value fitting(const question_view& q, bytes& in) {
    std::size_t const options = q.options.size();
    switch (q.kind) {
        case question_kind::yesno: {
            std::uint8_t const b = in.next();
            if (b % 4 == 3) return answer_value(b % 8 == 3 ? "yes" : "no");
            return answer_value(b % 2 == 0);
        }
        case question_kind::choice: {
            std::size_t const i = in.next() % (options + 1);
            return answer_value(i < options ? q.options[i].id : in.text(4));
        }
        case question_kind::multi: {
            answer_value::option_ids ids;
            std::uint64_t const mask = in.next64();
            for (std::size_t i = 0; i < options && i < 64; ++i) {
                if ((mask >> i) & 1U) ids.push_back(q.options[i].id);
            }
            if (in.next() % 8 == 0) ids.push_back(in.text(4));
            return answer_value(std::move(ids));
        }
        case question_kind::integer: {
            // From one below the range to one above it.
            auto const span = static_cast<std::int64_t>(q.max - q.min) + 3;
            auto const offset = static_cast<std::int64_t>(in.next64() % static_cast<std::uint64_t>(span));
            return answer_value(static_cast<std::int64_t>(q.min) - 1 + offset);
        }
        case question_kind::decimal: {
            double const fraction = static_cast<double>(in.next()) / 200.0;  // up to 1.275
            return answer_value(q.min + (q.max - q.min) * fraction);
        }
        case question_kind::text: return answer_value(in.text(in.next() % 48));
    }
    return answer_value();
}

void check_restores(const session& s) {
    session copy(s.questionnaire_used(), s.language());
    fuzz::require(copy.restore_json(s.save_json()).empty(), "a saved session does not restore cleanly");
    fuzz::require(fuzz::same(copy.current_result(), s.current_result()), "a restored session gives another result");
    fuzz::require(copy.finished() == s.finished(), "a restored session is finished differently");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const questionnaire reference = fuzz::load(STEPCARE_FUZZ_REFERENCE);
    static const questionnaire intake = fuzz::load(STEPCARE_FUZZ_INTAKE);
    bytes in(data, size);
    std::uint8_t const setup = in.next();
    session s(setup % 2 == 0 ? reference : intake, setup % 4 < 2 ? "en" : "es");

    for (int step = 0; step < 128 && !in.empty(); ++step) {
        std::optional<question_view> const current = s.current();
        fuzz::require(current.has_value() == !s.finished(), "a current question exactly while not finished");
        switch (in.next() % 16) {
            case 8:
                if (current) {
                    // Typed text, as a front end reads it, then given as the answer it reads as.
                    parsed_answer const parsed = s.parse_answer(*current, in.text(in.next() % 32));
                    fuzz::require(parsed.value.has_value() != parsed.problem.has_value(),
                                  "typed text reads as an answer or as a problem, never both or neither");
                    if (parsed.problem) fuzz::require(!parsed.problem->message.empty(), "a problem that says nothing");
                    if (parsed.value) s.answer(*parsed.value);
                }
                break;
            case 9: s.answer_json(in.text(in.next() % 24)); break;
            case 10:
            case 11: s.back(); break;
            case 12:
                if (!s.skip().accepted) {
                    fuzz::require(!current || !current->optional, "an optional question that cannot be skipped");
                }
                break;
            case 13:
            case 14: {
                fuzz::require(!s.current_result().referral.title.empty(), "a result without the referral");
                session_progress const progress = s.progress();
                fuzz::require(progress.number <= progress.total, "progress past its total");
                if (current) s.used_by(current->id);
                break;
            }
            case 15: check_restores(s); break;
            default:
                if (current) {
                    answer_value const value = in.next() % 8 == 0 ? wrong_type(in) : fitting(*current, in);
                    answer_feedback const feedback = s.answer(value);
                    fuzz::require(feedback.accepted == feedback.message.empty(),
                                  "a rejected answer says why, an accepted one says nothing");
                } else {
                    fuzz::require(!s.answer(answer_value(true)).accepted, "an answer after the end");
                }
                break;
        }
    }
    fuzz::check_result(s.current_result());
    check_restores(s);
    return 0;
}
