#include "fhir/fhir_names.hpp"

#include <array>
#include <cctype>
#include <map>
#include <set>

namespace stepcare {
namespace {

/// Names FHIRPath and SDC give meanings of their own (`%resource`, ...).
constexpr std::array<std::string_view, 11> reserved_variables{
    "resource", "rootResource", "context", "questionnaire", "qitem",  "ucum",
    "sct",      "loinc",        "factory", "terminologies", "server",
};

constexpr std::size_t max_variable_length = 64;

/// Rule 2 of docs/fhir.md's variable names: drop each `_`, upper-case the letter after it.
std::string camel_case(std::string_view name) {
    std::string out;
    bool upper = false;
    for (char const c : name) {
        if (c == '_') {
            upper = !out.empty();
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, 1, 'v');
    return out;
}

/// Gives every let and outcome a variable name: letters and digits only, unique, in the
/// order of docs/fhir.md (names without `_` first, then the others, each in file order).
class variable_namer {
public:
    variable_namer() { taken_.insert(reserved_variables.begin(), reserved_variables.end()); }

    std::string take(std::string_view wanted) {
        std::string base(wanted.substr(0, max_variable_length));
        std::string name = base;
        for (int number = 2; taken_.contains(name); ++number) {
            std::string const suffix = std::to_string(number);
            name = base.substr(0, max_variable_length - suffix.size()) + suffix;
        }
        taken_.insert(name);
        return name;
    }

private:
    std::set<std::string, std::less<>> taken_;
};

}  // namespace

std::string fhir_url(std::string_view id, std::string_view base_url) {
    if (base_url.empty()) return "urn:stepcare:" + std::string(id);
    while (base_url.size() > 1 && base_url.back() == '/') base_url.remove_suffix(1);
    return std::string(base_url);
}

fhir_names make_fhir_names(const program& p, std::string_view base_url) {
    fhir_names names;
    names.url = fhir_url(p.id, base_url);
    names.canonical = names.url + "|" + p.version;
    for (const compiled_option_set& set : p.option_sets)
        names.option_systems.push_back(names.url + "/options/" + set.name);
    names.let_variables.resize(p.lets.size());
    names.outcome_variables.resize(p.outcomes.size());

    // Lets and outcomes in file order, as the model keeps them.
    struct entry {
        std::size_t position;  ///< in the file
        std::string* variable;
        const std::string* name;
    };
    std::vector<entry> entries;
    const checked_questionnaire& model = *p.model;
    for (std::size_t i = 0; i < p.lets.size(); ++i) {
        entries.push_back({model.lets[i].node->range.begin, &names.let_variables[i], &p.lets[i].id});
    }
    for (std::size_t i = 0; i < p.outcomes.size(); ++i) {
        entries.push_back({model.outcomes[i].node->range.begin, &names.outcome_variables[i], &p.outcomes[i].id});
    }
    std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.position < b.position; });
    variable_namer namer;
    for (const entry& e : entries) {
        if (e.name->find('_') == std::string::npos) *e.variable = namer.take(*e.name);
    }
    for (const entry& e : entries) {
        if (e.name->find('_') != std::string::npos) *e.variable = namer.take(camel_case(*e.name));
    }
    return names;
}

std::string fhir_resource_id(std::string_view id) {
    std::string out(id.substr(0, max_variable_length));
    for (char& c : out) {
        if (c == '_') c = '-';
    }
    return out;
}

std::string fhir_resource_name(std::string_view id) {
    std::string out;
    bool upper = true;
    for (char const c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    // que-0: a capital letter first.
    if (out.empty() || !std::isupper(static_cast<unsigned char>(out[0]))) out.insert(0, 1, 'Q');
    return out;
}

std::string fhirpath_string(std::string_view text) {
    std::string out = "'";
    for (char const c : text) {
        switch (c) {
            case '\'': out += "\\'"; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
    out += '\'';
    return out;
}

}  // namespace stepcare
