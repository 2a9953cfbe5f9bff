// Flow (language.md section 7): what every let and outcome depends on, cycles among them,
// the order to evaluate them in, and `when`s and `require`s that look ahead in the file.
//
// Lets and outcomes are the nodes of one graph, with an edge from each to every let or
// outcome it names. Its strongly connected components (Tarjan's algorithm, with an
// explicit stack) come out dependencies first, which is the evaluation order; a component
// with more than one member, or a member naming itself, is a cycle.

#include <algorithm>

#include "check/check_context.hpp"

namespace stepcare::check_detail {

namespace {

/// A question, let or outcome named in an expression, at the first place it is named.
struct use {
    symbol what;
    source_range where;
};

/// At most this many notes explain a chain of uses (a cycle, or how a `when` comes to
/// depend on a later question), and at most this many names spell out a cycle.
constexpr std::size_t max_chain_notes = 8;
constexpr std::size_t max_cycle_names = 10;

class flow {
public:
    explicit flow(checker& c) : c_(c), m_(c.model), let_count_(static_cast<std::uint32_t>(c.model.lets.size())) {}

    void run() {
        collect_uses();
        order_and_find_cycles();
        find_latest_questions();
        check_lookahead();
    }

private:
    checker& c_;
    checked_questionnaire& m_;
    std::uint32_t let_count_;
    /// Per node (lets first, then outcomes): its uses, and the lets and outcomes among them.
    std::vector<std::vector<use>> uses_;
    std::vector<std::vector<std::uint32_t>> edges_;
    std::vector<bool> in_cycle_;
    /// Per node: the use through which it depends on its latest question.
    std::vector<use> latest_via_;

    std::uint32_t node_count() const { return static_cast<std::uint32_t>(uses_.size()); }

    std::uint32_t node_of(symbol what) const {
        return what.kind == symbol_kind::let ? what.index : let_count_ + what.index;
    }

    symbol symbol_of(std::uint32_t node) const {
        if (node < let_count_) return {symbol_kind::let, node};
        return {symbol_kind::outcome, node - let_count_};
    }

    ast::expr_ref root_of(std::uint32_t node) const {
        return node < let_count_ ? m_.lets[node].value : m_.outcomes[node - let_count_].when;
    }

    std::uint32_t& latest_question(std::uint32_t node) {
        return node < let_count_ ? m_.lets[node].latest_question : m_.outcomes[node - let_count_].latest_question;
    }

    static bool is_value(symbol what) {
        return what.kind == symbol_kind::question || what.kind == symbol_kind::let || what.kind == symbol_kind::outcome;
    }

    void collect_uses() {
        std::uint32_t const count = let_count_ + static_cast<std::uint32_t>(m_.outcomes.size());
        auto const question_count = static_cast<std::uint32_t>(m_.questions.size());
        uses_.resize(count);
        edges_.resize(count);
        // Per question, then per node: the last node that named it, so each use is kept
        // once without searching.
        std::vector<std::uint32_t> named_by(question_count + count, no_index);
        for (std::uint32_t node = 0; node < count; ++node) {
            std::vector<use>& uses = uses_[node];
            for_each_node(c_.tree, root_of(node), [&](ast::expr_ref ref) {
                symbol const what = m_.expressions[ref].binding;
                if (!is_value(what)) return;
                std::uint32_t const key =
                    what.kind == symbol_kind::question ? what.index : question_count + node_of(what);
                if (named_by[key] == node) return;
                named_by[key] = node;
                uses.push_back({what, c_.tree.expressions[ref].range});
            });
            std::vector<symbol> symbols;
            for (const use& u : uses) {
                symbols.push_back(u.what);
                if (u.what.kind != symbol_kind::question) edges_[node].push_back(node_of(u.what));
            }
            if (node < let_count_) {
                m_.lets[node].uses = std::move(symbols);
            } else {
                m_.outcomes[node - let_count_].uses = std::move(symbols);
            }
        }
    }

    /// The nodes in the order they are defined in the file.
    std::vector<std::uint32_t> file_order() const {
        std::vector<std::uint32_t> nodes(node_count());
        for (std::uint32_t node = 0; node < node_count(); ++node) nodes[node] = node;
        std::sort(nodes.begin(), nodes.end(), [&](std::uint32_t a, std::uint32_t b) {
            return c_.definition_range(symbol_of(a)).begin < c_.definition_range(symbol_of(b)).begin;
        });
        return nodes;
    }

    void order_and_find_cycles() {
        constexpr std::uint32_t unvisited = no_index;
        std::vector<std::uint32_t> index(node_count(), unvisited);
        std::vector<std::uint32_t> low(node_count(), 0);
        std::vector<bool> on_stack(node_count(), false);
        std::vector<std::uint32_t> component_stack;
        std::vector<std::pair<std::uint32_t, std::size_t>> calls;  // node, next edge
        std::uint32_t next_index = 0;
        in_cycle_.assign(node_count(), false);

        auto visit = [&](std::uint32_t node) {
            index[node] = low[node] = next_index++;
            component_stack.push_back(node);
            on_stack[node] = true;
            calls.emplace_back(node, 0);
        };
        std::vector<std::uint32_t> const order = file_order();
        for (std::uint32_t const start : order) {
            if (index[start] != unvisited) continue;
            visit(start);
            while (!calls.empty()) {
                auto& [node, next_edge] = calls.back();
                if (next_edge < edges_[node].size()) {
                    std::uint32_t const target = edges_[node][next_edge++];
                    if (index[target] == unvisited) {
                        visit(target);
                    } else if (on_stack[target]) {
                        low[node] = std::min(low[node], index[target]);
                    }
                    continue;
                }
                std::uint32_t const finished = node;
                calls.pop_back();
                if (!calls.empty()) {
                    std::uint32_t const parent = calls.back().first;
                    low[parent] = std::min(low[parent], low[finished]);
                }
                if (low[finished] != index[finished]) continue;
                std::vector<std::uint32_t> component;
                std::uint32_t member = 0;
                do {
                    member = component_stack.back();
                    component_stack.pop_back();
                    on_stack[member] = false;
                    component.push_back(member);
                } while (member != finished);
                finish_component(component);
            }
        }
    }

    void finish_component(std::vector<std::uint32_t>& component) {
        std::sort(component.begin(), component.end(), [&](std::uint32_t a, std::uint32_t b) {
            return c_.definition_range(symbol_of(a)).begin < c_.definition_range(symbol_of(b)).begin;
        });
        for (std::uint32_t const node : component) m_.evaluation_order.push_back(symbol_of(node));
        std::uint32_t const first = component.front();
        bool const names_itself = std::find(edges_[first].begin(), edges_[first].end(), first) != edges_[first].end();
        if (component.size() == 1 && !names_itself) return;
        for (std::uint32_t const node : component) in_cycle_[node] = true;
        report_cycle(first, component);
    }

    /// The use by which `from` names `to`.
    const use& use_of(std::uint32_t from, std::uint32_t to) const {
        return *std::find_if(uses_[from].begin(), uses_[from].end(), [&](const use& u) {
            return u.what.kind != symbol_kind::question && node_of(u.what) == to;
        });
    }

    /// Reports the shortest cycle through `start`, found breadth first within its component.
    void report_cycle(std::uint32_t start, const std::vector<std::uint32_t>& component) {
        std::vector<std::uint32_t> parent(node_count(), no_index);
        std::vector<std::uint32_t> queue{start};
        std::uint32_t last = no_index;  // the member whose edge closes the cycle
        for (std::size_t head = 0; head < queue.size() && last == no_index; ++head) {
            std::uint32_t const node = queue[head];
            for (std::uint32_t const target : edges_[node]) {
                if (target == start) {
                    last = node;
                    break;
                }
                bool const member = std::binary_search(
                    component.begin(), component.end(), target, [&](std::uint32_t a, std::uint32_t b) {
                        return c_.definition_range(symbol_of(a)).begin < c_.definition_range(symbol_of(b)).begin;
                    });
                if (member && parent[target] == no_index && target != start) {
                    parent[target] = node;
                    queue.push_back(target);
                }
            }
        }
        std::vector<std::uint32_t> path{start};
        for (std::uint32_t node = last; node != start; node = parent[node]) path.push_back(node);
        path.push_back(start);
        std::reverse(path.begin() + 1, path.end() - 1);
        std::string names;
        for (std::size_t i = 0; i < path.size(); ++i) {
            // A very long cycle is shown by its two ends.
            bool const elided =
                path.size() > max_cycle_names && i >= max_cycle_names / 2 && i + max_cycle_names / 2 < path.size();
            if (elided && i > max_cycle_names / 2) continue;
            if (!names.empty()) names += " -> ";
            names += elided ? std::string("...") : c_.name_of(symbol_of(path[i]));
        }
        auto& error = c_.found.error("cycle", c_.definition_range(symbol_of(start)),
                                     cat(c_.describe(symbol_of(start)), " depends on itself: ", names,
                                         "; lets and outcomes may not refer to each other in a circle"));
        for (std::size_t i = 0; i + 1 < path.size() && i < max_chain_notes; ++i) {
            error.notes.push_back(
                {use_of(path[i], path[i + 1]).where, cat(quoted(c_.name_of(symbol_of(path[i]))), " uses ",
                                                         quoted(c_.name_of(symbol_of(path[i + 1]))), " here")});
        }
    }

    void find_latest_questions() {
        latest_via_.resize(node_count());
        for (symbol const what : m_.evaluation_order) {
            std::uint32_t const node = node_of(what);
            std::uint32_t& latest = latest_question(node);
            for (const use& u : uses_[node]) {
                std::uint32_t const question =
                    u.what.kind == symbol_kind::question ? u.what.index : latest_question(node_of(u.what));
                if (question != no_index && (latest == no_index || question > latest)) {
                    latest = question;
                    latest_via_[node] = u;
                }
            }
        }
    }

    // ---- forward references ---------------------------------------------------------------

    void check_lookahead() {
        for (const section_info& section : m_.sections) {
            if (section.node->when == ast::no_expr) continue;
            check_lookahead(section.node->when, section.first_question, no_index,
                            cat("the 'when' of section ", quoted(section.name)),
                            "a 'when' may only use questions asked before it");
        }
        for (std::uint32_t q = 0; q < m_.questions.size(); ++q) {
            const question_info& question = m_.questions[q];
            if (question.node->when != ast::no_expr) {
                check_lookahead(question.node->when, q, q, cat("the 'when' of question ", quoted(question.name)),
                                "a 'when' may only use questions asked before it");
            }
            for (const requirement& r : question.requirements) {
                check_lookahead(r.condition, q + 1, q, cat("the 'require' of question ", quoted(question.name)),
                                "a 'require' may only use this question's answer and earlier "
                                "ones");
            }
        }
    }

    /// Reports every name in `root` that is, or depends on, a question at index `limit` or
    /// later. `self` is the question that `root` belongs to (no_index for a section).
    void check_lookahead(ast::expr_ref root, std::uint32_t limit, std::uint32_t self, const std::string& clause,
                         std::string_view rule) {
        for_each_node(c_.tree, root, [&](ast::expr_ref ref) {
            symbol const what = m_.expressions[ref].binding;
            source_range const where = c_.tree.expressions[ref].range;
            if (what.kind == symbol_kind::question) {
                if (what.index < limit) return;
                report_lookahead(where, clause, rule, what.index, self, {});
                return;
            }
            if (what.kind != symbol_kind::let && what.kind != symbol_kind::outcome) return;
            std::uint32_t const node = node_of(what);
            if (in_cycle_[node]) return;
            std::uint32_t const question = latest_question(node);
            if (question == no_index || question < limit) return;
            report_lookahead(where, clause, rule, question, self, what);
        });
    }

    void report_lookahead(source_range where, const std::string& clause, std::string_view rule, std::uint32_t question,
                          std::uint32_t self, symbol through) {
        std::string const name = quoted(m_.questions[question].name);
        if (through.kind == symbol_kind::none) {
            std::string const which = question == self ? cat("question ", name, " itself")
                                                       : cat("question ", name, ", which comes later in the file");
            auto& error = c_.found.error("forward-reference", where, cat(clause, " refers to ", which, "; ", rule));
            if (question != self) {
                error.notes.push_back(
                    {c_.definition_range({symbol_kind::question, question}), cat(name, " is defined here")});
            }
            return;
        }
        auto& error = c_.found.error("forward-reference", where,
                                     cat(clause, " uses ", c_.describe(through), ", which depends on question ", name,
                                         question == self ? " itself" : ", asked later in the file", "; ", rule));
        // Follow the chain of uses down to the question, one note per step.
        std::uint32_t node = node_of(through);
        for (std::size_t step = 0; step < max_chain_notes; ++step) {
            const use& via = latest_via_[node];
            error.notes.push_back(
                {via.where, cat(quoted(c_.name_of(symbol_of(node))), " uses ", quoted(c_.name_of(via.what)), " here")});
            if (via.what.kind == symbol_kind::question) break;
            node = node_of(via.what);
        }
    }
};

}  // namespace

void checker::check_flow() { flow(*this).run(); }

}  // namespace stepcare::check_detail
