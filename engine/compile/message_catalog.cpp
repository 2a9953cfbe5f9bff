// The texts of a compiled questionnaire as ICU MessageFormat patterns (language.md section 3).
//
// Each text keeps, per declared language, its string as written (UTF-8, returned as it is
// for plain text and when ICU fails), its pattern as a UnicodeString and its arguments
// (names and the symbols the checker bound them to). icu::MessageFormat keeps mutable
// caches, so formatters are never shared between threads: each thread builds its own,
// lazily, in a small thread_local cache keyed by the catalog's serial number.

#include "compile/message_catalog.hpp"

#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/parseerr.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <atomic>

namespace stepcare {

namespace {

/// Serial numbers of catalogs; 0 marks an unused cache slot, so the first is 1.
std::atomic<std::uint64_t> next_serial{1};

std::uint64_t new_serial() { return next_serial.fetch_add(1, std::memory_order_relaxed); }

/// One thread's formatters for a few catalogs, most recently used first. A catalog that
/// falls out of it (or is destroyed) costs only the formatters it held; serials are never
/// reused, so a stale slot can never be mistaken for a live catalog.
struct formatter_cache {
    struct slot {
        std::uint64_t serial = 0;
        /// Indexed by text id * language count + language; null until first needed.
        std::vector<std::unique_ptr<icu::MessageFormat>> formatters;
    };
    static constexpr std::size_t capacity = 4;
    std::array<slot, capacity> slots;

    /// The formatters of catalog `serial`, moved to the front.
    std::vector<std::unique_ptr<icu::MessageFormat>>& of(std::uint64_t serial) {
        auto found = std::find_if(slots.begin(), slots.end(), [&](const slot& s) { return s.serial == serial; });
        if (found == slots.end()) {
            found = slots.end() - 1;  // the least recently used
            found->serial = serial;
            found->formatters.clear();
        }
        std::rotate(slots.begin(), found, found + 1);
        return slots.front().formatters;
    }
};

thread_local formatter_cache formatters;

/// Arguments of one rendering up to this many live on the stack.
constexpr std::size_t inline_arguments = 16;

/// `pattern[parts b..e)` (text from `text_begin` to `text_end`) with every argument that
/// needs a number but is given words (`unknown` above all) replaced by what can be shown:
/// a `plural` or `selectordinal` by its `other` branch, `#` there by the words; a `number`
/// (or other styled) argument by the plain `{name}`; and a `select` given a number by its
/// `other` branch. `number_name` is the plural whose branch this is, for its `#`.
icu::UnicodeString shown_without_numbers(const icu::MessagePattern& parsed, std::int32_t b, std::int32_t e,
                                         std::int32_t text_begin, std::int32_t text_end,
                                         const std::vector<icu::UnicodeString>& names,
                                         const std::vector<bool>& is_number, const icu::UnicodeString* number_name) {
    const icu::UnicodeString& pattern = parsed.getPatternString();
    icu::UnicodeString out;
    std::int32_t copied = text_begin;
    int depth = 0;  // arguments entered and kept, inside this range
    for (std::int32_t i = b; i < e; ++i) {
        const icu::MessagePattern::Part& part = parsed.getPart(i);
        UMessagePatternPartType const type = part.getType();
        if (type == UMSGPAT_PART_TYPE_REPLACE_NUMBER && depth == 0 && number_name != nullptr) {
            out.append(pattern, copied, part.getIndex() - copied).append(u'{').append(*number_name).append(u'}');
            copied = part.getLimit();
        } else if (type == UMSGPAT_PART_TYPE_ARG_LIMIT) {
            --depth;
        } else if (type == UMSGPAT_PART_TYPE_ARG_START) {
            std::int32_t const limit = parsed.getLimitPartIndex(i);
            icu::UnicodeString const name = parsed.getSubstring(parsed.getPart(i + 1));
            auto const found = std::find(names.begin(), names.end(), name);
            UMessagePatternArgType const kind = part.getArgType();
            bool const words = found != names.end() && !is_number[static_cast<std::size_t>(found - names.begin())];
            bool const wants_number = kind == UMSGPAT_ARG_TYPE_PLURAL || kind == UMSGPAT_ARG_TYPE_SELECTORDINAL ||
                                      kind == UMSGPAT_ARG_TYPE_SIMPLE || kind == UMSGPAT_ARG_TYPE_CHOICE;
            bool const replace =
                found != names.end() && (wants_number ? words : kind == UMSGPAT_ARG_TYPE_SELECT && !words);
            if (!replace) {
                ++depth;
                continue;
            }
            out.append(pattern, copied, part.getIndex() - copied);
            copied = parsed.getPart(limit).getLimit();
            bool const branches = kind == UMSGPAT_ARG_TYPE_PLURAL || kind == UMSGPAT_ARG_TYPE_SELECTORDINAL ||
                                  kind == UMSGPAT_ARG_TYPE_SELECT;
            bool found_other = false;
            for (std::int32_t j = i + 2; branches && j < limit && !found_other; ++j) {
                const icu::MessagePattern::Part& selector = parsed.getPart(j);
                if (selector.getType() != UMSGPAT_PART_TYPE_ARG_SELECTOR) continue;
                std::int32_t message = j + 1;
                while (parsed.getPart(message).getType() != UMSGPAT_PART_TYPE_MSG_START) ++message;
                std::int32_t const message_limit = parsed.getLimitPartIndex(message);
                if (parsed.getSubstring(selector) == u"other") {
                    found_other = true;
                    out.append(shown_without_numbers(parsed, message + 1, message_limit,
                                                     parsed.getPart(message).getLimit(),
                                                     parsed.getPart(message_limit).getIndex(), names, is_number,
                                                     kind == UMSGPAT_ARG_TYPE_SELECT ? nullptr : &name));
                }
                j = message_limit;
            }
            if (!found_other) out.append(u'{').append(name).append(u'}');
            i = limit;
        }
    }
    out.append(pattern, copied, text_end - copied);
    return out;
}

}  // namespace

struct message_catalog::entry {
    /// The text's string in one language.
    struct variant {
        bool present = false;
        bool plain = true;           ///< no `{` or `}`: shown as written, without ICU
        std::string text;            ///< as written (NFC, escapes decoded)
        icu::UnicodeString pattern;  ///< patterns only
        /// The questions and lets the pattern names, each once, in order of first use;
        /// `names[i]` is bound to `symbols[i]`.
        std::vector<icu::UnicodeString> names;
        std::vector<symbol> symbols;
    };
    std::vector<variant> variants;  ///< one per language of the catalog
    bool has_arguments = false;
};

message_catalog::message_catalog(std::vector<std::string> languages)
    : languages_(std::move(languages)), serial_(new_serial()) {}

message_catalog::~message_catalog() = default;

// The moved-into catalog takes over the serial with the entries, so formatters that
// threads built for them stay valid; the moved-from one, emptied, gets a fresh serial, so
// that texts added to it later are never formatted with those formatters.
message_catalog::message_catalog(message_catalog&& other) noexcept
    : entries_(std::move(other.entries_)), languages_(std::move(other.languages_)), serial_(other.serial_) {
    other.entries_.clear();
    other.languages_.clear();
    other.serial_ = new_serial();
}

message_catalog& message_catalog::operator=(message_catalog&& other) noexcept {
    if (this != &other) {
        entries_ = std::move(other.entries_);
        languages_ = std::move(other.languages_);
        serial_ = other.serial_;
        other.entries_.clear();
        other.languages_.clear();
        other.serial_ = new_serial();
    }
    return *this;
}

std::uint32_t message_catalog::add(const ast::text& text, const checked_questionnaire& model) {
    entry e;
    e.variants.resize(languages_.size());
    for (const ast::translation& t : text.translations) {
        // The untagged string is the default language's.
        std::size_t language = 0;
        if (!t.language.name.empty()) {
            auto const found = std::find(languages_.begin(), languages_.end(), t.language.name);
            if (found == languages_.end()) continue;  // undeclared: an error of the checker
            language = static_cast<std::size_t>(found - languages_.begin());
        }
        if (language >= e.variants.size()) continue;  // no languages at all
        entry::variant& v = e.variants[language];
        if (v.present) continue;  // a second string for one language: an error, keep the first
        v.present = true;
        v.text = t.value.value;
        if (v.text.find_first_of("{}") == std::string::npos) continue;
        v.plain = false;
        v.pattern = icu::UnicodeString::fromUTF8(v.text);
        UErrorCode status = U_ZERO_ERROR;
        icu::MessagePattern const parsed(v.pattern, nullptr, status);
        if (U_FAILURE(status)) continue;  // the formatter will fail too: shown as written
        for (std::int32_t i = 0; i < parsed.countParts(); ++i) {
            const icu::MessagePattern::Part& part = parsed.getPart(i);
            if (part.getType() != UMSGPAT_PART_TYPE_ARG_NAME) continue;
            icu::UnicodeString const name = parsed.getSubstring(part);
            if (std::find(v.names.begin(), v.names.end(), name) != v.names.end()) continue;
            std::string utf8;
            name.toUTF8String(utf8);
            symbol const what = model.find(utf8);
            // Anything else is an error of the checker; ICU then leaves `{name}` as it is.
            if (what.kind != symbol_kind::question && what.kind != symbol_kind::let) continue;
            v.names.push_back(name);
            v.symbols.push_back(what);
        }
        if (!v.names.empty()) e.has_arguments = true;
    }
    entries_.push_back(std::move(e));
    return static_cast<std::uint32_t>(entries_.size() - 1);
}

std::string message_catalog::render(std::uint32_t id, std::size_t language, const argument_lookup& lookup) const {
    if (id >= entries_.size()) return {};
    const entry& e = entries_[id];
    if (language >= e.variants.size() || !e.variants[language].present) language = 0;
    if (language >= e.variants.size() || !e.variants[language].present) return {};
    const entry::variant& v = e.variants[language];
    if (v.plain) return v.text;

    // The values first: a lookup may itself render texts (of this or another catalog),
    // which may reorder this thread's formatter cache.
    std::size_t const count = v.names.size();
    std::array<icu::Formattable, inline_arguments> inline_values;
    std::vector<icu::Formattable> many_values;
    icu::Formattable* values = inline_values.data();
    if (count > inline_arguments) {
        many_values.resize(count);
        values = many_values.data();
    }
    for (std::size_t i = 0; i < count; ++i) {
        display_value const value = lookup(v.symbols[i]);
        if (value.is_number) {
            values[i].setDouble(value.number);
        } else {
            values[i].setString(icu::UnicodeString::fromUTF8(value.words));
        }
    }

    auto& cached = formatters.of(serial_);
    std::size_t const slot = static_cast<std::size_t>(id) * languages_.size() + language;
    if (cached.size() <= slot) {
        cached.resize(std::max(slot + 1, entries_.size() * languages_.size()));
    }
    if (!cached[slot]) {
        UParseError parse_error{};
        UErrorCode status = U_ZERO_ERROR;
        auto format = std::make_unique<icu::MessageFormat>(v.pattern, icu::Locale(languages_[language].c_str()),
                                                           parse_error, status);
        if (U_FAILURE(status)) return v.text;
        cached[slot] = std::move(format);
    }

    icu::UnicodeString shown;
    UErrorCode status = U_ZERO_ERROR;
    cached[slot]->format(v.names.data(), values, static_cast<std::int32_t>(count), shown, status);
    if (U_FAILURE(status)) {
        // A plural or number over words (an unknown value): show what can be shown rather
        // than the braces of the pattern (docs/language.md).
        std::vector<bool> is_number(count);
        for (std::size_t i = 0; i < count; ++i) is_number[i] = values[i].getType() == icu::Formattable::kDouble;
        status = U_ZERO_ERROR;
        icu::MessagePattern const parsed(v.pattern, nullptr, status);
        if (U_FAILURE(status)) return v.text;
        icu::UnicodeString const fallback =
            shown_without_numbers(parsed, 0, parsed.countParts(), 0, v.pattern.length(), v.names, is_number, nullptr);
        UParseError parse_error{};
        icu::MessageFormat const format(fallback, icu::Locale(languages_[language].c_str()), parse_error, status);
        shown.remove();
        if (U_SUCCESS(status)) format.format(v.names.data(), values, static_cast<std::int32_t>(count), shown, status);
    }
    if (U_FAILURE(status)) return v.text;
    std::string out;
    shown.toUTF8String(out);
    return out;
}

bool message_catalog::has_arguments(std::uint32_t id) const {
    return id < entries_.size() && entries_[id].has_arguments;
}

const std::vector<symbol>& message_catalog::arguments(std::uint32_t id, std::size_t language) const {
    static const std::vector<symbol> none;
    if (id >= entries_.size()) return none;
    const entry& e = entries_[id];
    if (language >= e.variants.size() || !e.variants[language].present) language = 0;
    if (language >= e.variants.size() || !e.variants[language].present || e.variants[language].plain) return none;
    return e.variants[language].symbols;
}

std::size_t message_catalog::size() const { return entries_.size(); }

}  // namespace stepcare
