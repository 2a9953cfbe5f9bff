#pragma once
/// `QuestionnaireResponse` resources read as answers records (docs/fhir.md, Responses in).
///
/// Most responses are plain: resourceType first, linkId before answers, every answer
/// fitting its question. A SAX reader takes those straight into the answer slots; on
/// anything else it gives up, and the response is read again, whole, as a document, by the
/// reader that says what is wrong and where. The document reader is the one source of
/// meaning and messages; the SAX reader only makes the common case fast.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "fhir/fhir_names.hpp"

namespace stepcare {

/// What each linkId of a questionnaire's FHIR form is (docs/fhir.md, linkIds).
class fhir_links {
public:
    enum class kind : std::uint8_t { question, group, calculated, display };
    struct link {
        kind what = kind::question;
        std::uint32_t question = no_index;  ///< questions only
    };

    explicit fhir_links(const program& p);
    /// The item with this linkId, or nullptr.
    const link* find(std::string_view link_id) const;

    /// The same, trying first the item after the last one found through `cursor`: responses
    /// list their items in the order Stepcare writes them, and one comparison is cheaper
    /// than hashing.
    const link* find_next(std::string_view link_id, std::uint32_t& cursor) const;

private:
    struct hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct entry {
        link what;
        std::uint32_t position = 0;  ///< in `ordered_`
    };
    std::unordered_map<std::string, entry, hash, std::equal_to<>> links_;
    /// Every linkId in the order of a response: sections and questions, lets, outcomes.
    std::vector<std::pair<std::string, link>> ordered_;
};

/// Reads the responses of one input (a QuestionnaireResponse, or a Bundle of them) into
/// answers records, keeping its storage from one input to the next. Use one per thread.
class fhir_response_reader {
public:
    /// `p` and `names` must outlive the reader.
    fhir_response_reader(const program& p, const fhir_names& names);

    /// Reads `text`. Returns false when it holds no response at all (`error()` says why);
    /// otherwise `records()` has one record per response (its errors say what did not fit).
    bool read(std::string_view text);
    std::size_t count() const { return count_; }
    answer_record& record(std::size_t i) { return records_[i]; }
    const std::string& error() const { return error_; }

private:
    answer_record& next_record();
    void read_document(std::string_view text);

    const program& p_;
    const fhir_names& names_;
    fhir_links links_;
    std::vector<answer_record> records_;
    std::size_t count_ = 0;
    std::string error_;
    nlohmann::json document_;
    std::vector<std::string> codes_;  ///< the SAX reader's options of a multi
};

}  // namespace stepcare
