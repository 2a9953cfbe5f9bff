// A small program that embeds the Stepcare engine: it compiles a questionnaire, evaluates
// one record in a single call, then takes the same questionnaire through a session as an
// intake screen would. Run it as `minimal FILE.sq`; it is written for the two-question
// example of the language specification (questions `low` and `tried`).

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <stepcare/compile.hpp>
#include <stepcare/questionnaire.hpp>
#include <stepcare/result.hpp>
#include <stepcare/session.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: minimal FILE.sq\n";
        return 2;
    }

    // 1. Compile once. Problems in the file come back as diagnostics, never as exceptions.
    stepcare::compile_result compiled = stepcare::compile_file(argv[1]);
    for (const stepcare::diagnostic& d : compiled.diagnostics) std::cerr << stepcare::render_text(d);
    if (!compiled.compiled) return 1;  // present only when there are no errors
    const stepcare::questionnaire questionnaire = *compiled.compiled;
    std::cout << "compiled " << questionnaire.id() << " " << questionnaire.version() << "\n";

    // 2. One call per record, in the answers JSON format. Bad answers give an `invalid`
    //    result with errors; they do not throw.
    stepcare::result batch = questionnaire.evaluate(R"({"id": "rec-1", "answers": {"low": "daily", "tried": 3}})");
    std::cout << stepcare::to_json(batch) << "\n";

    // 3. A session in Spanish: one question at a time. "25" is out of range for `tried`,
    //    so it is refused with a message and the same question is asked again.
    stepcare::session intake(questionnaire, "es");
    const std::vector<std::string> typed = {R"("most")", "25", "2"};
    for (const std::string& answer : typed) {
        std::optional<stepcare::question_view> question = intake.current();
        if (!question) break;
        stepcare::session_progress progress = intake.progress();
        stepcare::answer_feedback feedback = intake.answer_json(answer);
        std::cout << "[" << progress.number << "/" << progress.total << "] " << question->ask << " " << answer
                  << (feedback.accepted ? "" : " -> " + feedback.message) << "\n";
    }

    // 4. The result of the session: fired outcomes by level, and always the referral.
    stepcare::result result = intake.current_result();
    std::cout << "status: " << stepcare::to_string(result.status) << "\n";
    for (const stepcare::fired_outcome& outcome : result.outcomes) {
        std::cout << stepcare::to_string(outcome.level) << ": " << outcome.title << "\n";
    }
    std::cout << "referral: " << result.referral.title << "\n";
    return 0;
}
