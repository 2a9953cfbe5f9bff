#pragma once
// Random answer records for one compiled questionnaire, for the tests that evaluate every
// questionnaire on many records (property_test.cpp, format_test.cpp).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "compile/program.hpp"

namespace stepcare::testing {

inline std::size_t code_points(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}
/// Draws random records for one questionnaire.
class record_maker {
    using json = nlohmann::json;
    using question_kind = stepcare::question_kind;

public:
    record_maker(const stepcare::program& p, std::uint64_t seed) : p_(p), random_(seed) {
        for (const stepcare::value& c : p.constants) {
            if (c.type == stepcare::value::kind::number) numbers_.push_back(c.number);
        }
        for (const auto& t : p.constant_texts) texts_.push_back(*t);
    }

    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : random_() % n; }
    bool one_in(std::uint64_t n) { return below(n) == 0; }

    /// A valid answer to question `q`.
    json valid(std::uint32_t q) {
        const stepcare::compiled_question& question = p_.questions[q];
        switch (question.kind) {
            case question_kind::yesno: {
                bool const b = one_in(2);
                if (one_in(2)) return b;
                return b ? "yes" : "no";
            }
            case question_kind::choice: return options(q)[below(options(q).size())];
            case question_kind::multi: {
                json chosen = json::array();
                for (const std::string& id : options(q)) {
                    if (one_in(2)) chosen.push_back(id);
                }
                return chosen;
            }
            case question_kind::integer: {
                double const n = number(question);
                return static_cast<std::int64_t>(std::clamp(std::round(n), question.min, question.max));
            }
            case question_kind::decimal: {
                double const n = number(question);
                if (n == std::floor(n) && std::fabs(n) < 1e15 && one_in(2)) return static_cast<std::int64_t>(n);
                return n;
            }
            case question_kind::text: {
                static const char* const samples[] = {
                    "", "ok", "José", "e\u0301", "{brace} 'quote' #", "a longer free text answer"};
                std::string text =
                    !texts_.empty() && one_in(3) ? texts_[below(texts_.size())] : samples[below(std::size(samples))];
                if (question.max_length && code_points(text) > *question.max_length) {
                    text = std::string(std::min<std::size_t>(*question.max_length, 2), 'o');
                }
                return text;
            }
        }
        return nullptr;
    }

    /// An answer to question `q` that must be rejected: of the wrong type, out of range
    /// or not an option.
    json rejected(std::uint32_t q) {
        const stepcare::compiled_question& question = p_.questions[q];
        if (one_in(2)) {
            // The wrong type.
            switch (question.kind) {
                case question_kind::yesno: return one_in(2) ? json(1) : json("maybe");
                case question_kind::choice: return one_in(2) ? json(1) : json::array({options(q)[0]});
                case question_kind::multi: return one_in(2) ? json(options(q)[0]) : json::array({1});
                case question_kind::integer:
                case question_kind::decimal: return one_in(2) ? json("12") : json(true);
                case question_kind::text: return one_in(2) ? json(3) : json::object();
            }
        }
        switch (question.kind) {
            case question_kind::yesno: return "Yes";
            case question_kind::choice: return "no_such_option";
            case question_kind::multi: return json::array({options(q)[0], "no_such_option"});
            case question_kind::integer:
                if (question.min == question.max || one_in(3)) return question.min + 0.5;
                return static_cast<std::int64_t>(one_in(2) ? question.min - 1 : question.max + 1);
            case question_kind::decimal: return one_in(2) ? question.min - 0.25 : question.max + 0.25;
            case question_kind::text:
                if (question.max_length) return std::string(*question.max_length + 1, 'x');
                return 7;
        }
        return nullptr;
    }

    /// A record: mostly valid answers, sometimes absent or null, now and then a problem.
    json record(int serial) {
        json answers = json::object();
        bool const troubled = one_in(6);
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            std::uint64_t const pick = below(20);
            if (pick < 5) continue;  // absent
            if (pick == 5) {
                answers[p_.questions[q].id] = nullptr;
            } else if (troubled && pick == 6) {
                answers[p_.questions[q].id] = rejected(q);
            } else {
                answers[p_.questions[q].id] = valid(q);
            }
        }
        if (troubled && one_in(4)) answers["no_such_question"] = true;
        json out = {{"answers", answers}};
        if (one_in(3)) out["id"] = serial;
        if (one_in(3)) out["id"] = "record-" + std::to_string(serial);
        if (troubled && one_in(8)) out["extra"] = 1;
        return out;
    }

private:
    const stepcare::program& p_;
    std::mt19937_64 random_;
    std::vector<double> numbers_;
    std::vector<std::string> texts_;

    const std::vector<std::string>& options(std::uint32_t q) const {
        return p_.option_sets[p_.questions[q].option_set].ids;
    }

    /// A number in the question's range: its bounds, the questionnaire's own numbers and
    /// their neighbours (where rules change), or anywhere in between.
    double number(const stepcare::compiled_question& question) {
        auto const clamp = [&](double n) { return std::clamp(n, question.min, question.max); };
        switch (below(4)) {
            case 0: return one_in(2) ? question.min : question.max;
            case 1:
                if (!numbers_.empty()) {
                    double const n = numbers_[below(numbers_.size())];
                    return clamp(n + static_cast<double>(below(3)) - 1);
                }
                [[fallthrough]];
            default: {
                double const span = question.max - question.min;
                return clamp(question.min + span * static_cast<double>(below(1001)) / 1000);
            }
        }
    }
};

}  // namespace stepcare::testing
