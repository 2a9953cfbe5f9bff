#pragma once
/// The compiled form of a questionnaire: flat, immutable, shared by threads.
///
/// Expressions become postfix code for a small stack machine over `value`s; questions,
/// lets and outcomes are addressed by dense indices (a question's index is its answer
/// slot). The flow (language.md section 7) runs as one `schedule`: each question's
/// visibility is decided right after the lets and outcomes it may use. The schedule is
/// itself compiled to code (`flow`), so a whole evaluation is one run of the machine.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "check/checked_questionnaire.hpp"
#include "foundation/name_index.hpp"
#include "foundation/value.hpp"
#include "compile/message_catalog.hpp"
#include "stepcare/questionnaire.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

enum class opcode : std::uint8_t {
    constant,  ///< push constants[operand]
    question,  ///< push the value of question `operand`
    let,       ///< push lets[operand]
    outcome,   ///< push outcomes[operand]
    answered,  ///< `question operand; call_answered`: whether it has a counted answer
    logical_not,
    logical_and,
    logical_or,
    logical_implies,
    equal,
    not_equal,
    less,
    less_equal,
    greater,
    greater_equal,
    in_set,  ///< option in a set (an `options` mask)
    has,     ///< options has option
    add,
    subtract,
    multiply,
    divide,
    negate,
    coalesce,     ///< `x ?? d`
    conditional,  ///< `if c then a else b`
/// `call_<builtin>`, one per builtin (check/builtins.hpp), in the order of `builtin`:
/// the builtin over the `operand` values on top; for `score`, whose one argument is an
/// option, `operand` is the option set.
#define STEPCARE_CALL_OPCODE(name) call_##name,
    STEPCARE_BUILTINS(STEPCARE_CALL_OPCODE)
#undef STEPCARE_CALL_OPCODE
    // Fused forms of common sequences, made by the compiler's peephole pass.
    question_score,  ///< `question operand; call_score`: the score of its answer
    // A binary operator whose right operand is constants[operand] instead of the top.
    equal_constant,
    not_equal_constant,
    less_constant,
    less_equal_constant,
    greater_constant,
    greater_equal_constant,
    in_set_constant,
    has_constant,
    add_constant,
    subtract_constant,
    multiply_constant,
    divide_constant,
    coalesce_constant,
    // The flow (program::flow): they consume the value on top and leave an empty stack.
    question_shown,  ///< question `operand` has no `when`: shown, its answer counts if before the limit
    question_when,   ///< the same, shown as the popped visibility says
    require,         ///< requirement_sites[operand]: record a known false on an answered question
    store_let,       ///< pop into lets[operand]
    store_outcome,   ///< pop into outcomes[operand]
    // Only in program::flow_code (made by the compiler's lower_step).
    end_of_flow,  ///< the flow's last instruction
    /// Where every `stop` outcome is computed: the evaluator finds the stop point, then
    /// goes on with the right limit (before the first question after the stop code).
    stop_point,
    questions_shown,  ///< question_shown for the `second` questions from `operand` on
    // `question operand; <op>_constant second`.
    question_equal_constant,
    question_not_equal_constant,
    question_less_constant,
    question_less_equal_constant,
    question_greater_constant,
    question_greater_equal_constant,
    question_in_set_constant,
    question_has_constant,
    question_add_constant,
    question_subtract_constant,
    question_multiply_constant,
    question_divide_constant,
    question_coalesce_constant,
    // `let operand; <op>_constant second`.
    let_equal_constant,
    let_not_equal_constant,
    let_less_constant,
    let_less_equal_constant,
    let_greater_constant,
    let_greater_equal_constant,
    let_in_set_constant,
    let_has_constant,
    let_add_constant,
    let_subtract_constant,
    let_multiply_constant,
    let_divide_constant,
    let_coalesce_constant,
    // `question_score operand; <op>_constant second` (a score is a number).
    question_score_equal_constant,
    question_score_not_equal_constant,
    question_score_less_constant,
    question_score_less_equal_constant,
    question_score_greater_constant,
    question_score_greater_equal_constant,
    question_score_add_constant,
    question_score_subtract_constant,
    question_score_multiply_constant,
    question_score_divide_constant,
    question_score_coalesce_constant,
    /// `question_score_coalesce_constant operand second; add`: `... + score(q) ?? c`.
    add_question_score_coalesce_constant,
    logical_and_not,    ///< `logical_not; logical_and`
    and_not_outcome,    ///< `outcome operand; logical_and_not`
    and_question,       ///< `question operand; logical_and`
    and_let,            ///< `let operand; logical_and`
    or_let,             ///< `let operand; logical_or`
    question_when_let,  ///< `let second; question_when operand`
    /// `store_let operand` whose value the next step loads first: it stays on top.
    store_let_keep,
    store_let_and_outcome,      ///< `store_let_keep operand; store_outcome second`
    logical_and_store_let,      ///< `logical_and; store_let operand`
    logical_or_store_let,       ///< `logical_or; store_let operand`
    logical_and_store_outcome,  ///< `logical_and; store_outcome operand`
    logical_or_store_outcome,   ///< `logical_or; store_outcome operand`
    logical_and_question_when,  ///< `logical_and; question_when operand`
};

/// The opcode that calls `function`.
constexpr opcode call_opcode(builtin function) {
    return static_cast<opcode>(static_cast<int>(opcode::call_answered) + static_cast<int>(function));
}

/// The builtin that `code` calls, if it is a call.
constexpr std::optional<builtin> called_builtin(opcode code) {
    int const index = static_cast<int>(code) - static_cast<int>(opcode::call_answered);
    if (index < 0 || index >= static_cast<int>(builtins.size())) return std::nullopt;
    return static_cast<builtin>(index);
}

/// Whether the instruction reads a question's answer (operand: the question).
constexpr bool reads_question(opcode code) { return code == opcode::question || code == opcode::question_score; }

struct instruction {
    opcode code = opcode::constant;
    std::uint32_t operand = 0;
    std::uint32_t second = 0;  ///< a second operand, in program::flow_code's fused forms
};

/// A run of instructions in program::code that leaves one value on the stack.
struct code_span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

inline constexpr std::uint32_t no_text = UINT32_MAX;

struct compiled_option_set {
    std::string name;
    std::vector<std::string> ids;
    name_index id_index;                ///< finds an id's position in `ids`
    std::vector<std::uint32_t> labels;  ///< text ids
    std::vector<double> scores;         ///< 0 where an option has none (score() is then refused)
};

struct compiled_requirement {
    code_span condition;
    std::uint32_t message = no_text;
};

struct compiled_question {
    std::string id;
    question_kind kind = question_kind::yesno;
    std::uint32_t option_set = no_index;
    double min = 0;
    double max = 0;
    std::optional<std::uint32_t> max_length;
    bool optional = false;
    std::vector<code_span> visibility;  ///< all must be true for it to be shown
    /// The questions its visibility depends on through lets and outcomes, in file order.
    std::vector<std::uint32_t> visibility_depends_on;
    /// Its conditions use `answered` or `??` (directly or through lets and outcomes), so a
    /// false one can still turn true when more questions are answered.
    bool hidden_can_be_undone = false;
    std::vector<compiled_requirement> requirements;
    std::uint32_t ask = no_text;
    std::uint32_t help = no_text;
    std::uint32_t unit = no_text;
    std::uint32_t section = no_index;
};

struct compiled_section {
    std::string id;
    std::uint32_t title = no_text;
};

struct compiled_let {
    std::string id;
    code_span code;
    expr_type type;
};

struct compiled_outcome {
    std::string id;
    outcome_level level = outcome_level::info;
    code_span when;
    bool stop = false;
    std::uint32_t title = no_text;
    std::vector<std::uint32_t> says;
    std::vector<std::string> cites;
    /// Every question its condition depends on through lets and outcomes, in file order.
    std::vector<std::uint32_t> depends_on;
};

/// One step of the flow: decide a question's visibility and value, or compute a let or outcome.
struct flow_step {
    enum class kind : std::uint8_t { question, let, outcome };
    kind what = kind::question;
    std::uint32_t index = 0;
};

/// A test's answer, already converted to a slot value.
struct compiled_given {
    std::uint32_t question = 0;
    value answer;
    std::string text;  ///< storage for a text answer
};

struct compiled_test {
    std::string name;
    std::vector<compiled_given> given;
    std::vector<code_span> expectations;
    std::vector<ast::expr_ref> expectation_nodes;  ///< for messages
    const ast::test_def* node = nullptr;
};

struct compiled_invariant {
    std::string name;
    code_span condition;
    const ast::invariant_def* node = nullptr;
};

class program {
public:
    // Identity.
    std::string id;
    std::string version;
    std::string sha256;
    std::vector<std::string> languages;
    std::uint32_t title = no_text;
    std::uint32_t description = no_text;

    // Code.
    std::vector<instruction> code;
    std::vector<value> constants;
    /// Per constant: the option set of an option or options constant, otherwise no_index.
    /// Only listings read it (program_printer.hpp): the evaluator needs no set to compare.
    std::vector<std::uint32_t> constant_option_sets;
    std::vector<std::unique_ptr<std::string>> constant_texts;  ///< stable storage for text constants
    std::uint32_t max_stack = 1;

    std::vector<compiled_option_set> option_sets;
    std::vector<compiled_section> sections;
    std::vector<compiled_question> questions;
    std::vector<compiled_let> lets;
    std::vector<compiled_outcome> outcomes;
    /// Outcome indices in result order: by level, then file order.
    std::vector<std::uint32_t> outcome_order;
    std::uint32_t referral_title = no_text;
    std::vector<std::uint32_t> referral_says;
    std::vector<std::string> referral_cites;
    struct source {
        std::string id;
        std::uint32_t title = no_text;
    };
    std::vector<source> sources;

    std::vector<flow_step> schedule;
    /// The schedule as code: one run of the machine evaluates a whole record.
    code_span flow;
    /// What the evaluator runs instead of `flow`: the same steps, with more instructions
    /// fused, in forms that only the evaluator reads (explanations and tests walk `code`).
    std::vector<instruction> flow_code;
    /// Per question: where its step begins in flow_code. Everything before it reads only
    /// earlier questions, so the flow goes on from there after a stop.
    std::vector<std::uint32_t> question_flow_start;
    /// The code of `stop_schedule`, which stores lets and outcomes without deciding questions.
    code_span stop_flow;
    /// Where the stop flow's code begins in flow_code, after the flow's `end_of_flow`.
    std::uint32_t stop_flow_start = 0;
    struct requirement_site {
        std::uint32_t question = 0;
        std::uint32_t requirement = 0;
    };
    std::vector<requirement_site> requirement_sites;
    /// The lets and outcomes that `stop` outcomes depend on (themselves included), in
    /// dependency order: what must be recomputed to find where a `stop` would have fired.
    std::vector<flow_step> stop_schedule;
    /// The questions that `stop` outcomes depend on, in file order.
    std::vector<std::uint32_t> stop_questions;
    /// The `stop` outcomes.
    std::vector<std::uint32_t> stop_outcomes;
    bool has_stop = false;
    /// Whether a `stop` outcome fires when no question is answered (it then fires before
    /// the first question). Found by running the evaluator once, so it is recorded by the
    /// pipeline right after compiling (engine/pipeline/compile.cpp), not by the compiler.
    bool stop_fires_unanswered = false;
    /// Whether the `stop` outcomes' code can only become more known as answers are added:
    /// true unless it uses `answered` or `??`, the two ways out of unknown. Then no prefix
    /// of the answers can fire a `stop` that all of them do not.
    bool stop_is_monotone = true;

    std::vector<compiled_test> tests;
    std::vector<compiled_invariant> invariants;

    message_catalog texts{{}};
    name_index question_index;  ///< finds a question's position by its id

    // The checked source, for explanations and for the tests' and invariants' diagnostics.
    std::string source_text;
    std::string source_name;
    std::unique_ptr<ast::questionnaire> tree;
    std::unique_ptr<checked_questionnaire> model;

    /// The question with this id, or no_index.
    std::uint32_t find_question(std::string_view name) const;
    /// The index of a declared language, or nothing.
    std::optional<std::size_t> find_language(std::string_view tag) const;
};

/// Compiles a questionnaire that checked without errors. Takes over the tree and model.
std::shared_ptr<program> compile_program(std::unique_ptr<ast::questionnaire> tree,
                                         std::unique_ptr<checked_questionnaire> model, std::string source_text,
                                         std::string source_name);

}  // namespace stepcare
