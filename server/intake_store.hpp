#pragma once
// Saved intakes: the storage behind `stepcare serve`, as a small interface so that a
// PostgreSQL backend can follow the SQLite one (docs/serve.md, "Storage").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepcare::server {

/// Where an intake stands. `finished` and `stopped` are both ended.
enum class intake_status { in_progress, finished, stopped };

/// "in_progress", "finished" or "stopped".
const char* to_string(intake_status status);
/// The status named by `to_string`, or nothing.
std::optional<intake_status> intake_status_named(std::string_view name);

/// One saved intake, as a store keeps it.
struct stored_intake {
    std::string id;  ///< 32 lowercase hex digits: 128 random bits
    std::string questionnaire_id;
    std::string questionnaire_version;
    std::string questionnaire_sha256;  ///< the intake is never resumed on other source bytes
    std::string language;
    intake_status status = intake_status::in_progress;
    std::string state_json;       ///< `session::save_json()`
    std::string notice_json;      ///< a JSON array of urgent outcome ids to show first on the next page
    std::int64_t created_at = 0;  ///< Unix seconds, UTC
    std::int64_t updated_at = 0;
    std::int64_t revision = 0;  ///< 0 when created, one more on every save
};

/// An intake without its answers, for listings.
struct intake_summary {
    std::string id;
    std::string questionnaire_id;
    std::string questionnaire_version;
    std::string questionnaire_sha256;
    std::string language;
    intake_status status = intake_status::in_progress;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

enum class save_outcome {
    saved,
    conflict,  ///< the stored revision was not the expected one: someone saved first
    missing,   ///< no intake has this id (deleted meanwhile)
};

/// Which intakes `list` gives: newest update first, then by id.
struct intake_filter {
    bool ended_only = true;  ///< finished and stopped only
    std::size_t limit = 100;
    std::size_t offset = 0;
};

/// Every method may be called from many threads at once. Every write is durable (committed
/// and synced) when it returns. Failures of the storage itself (disk full, I/O error) are
/// reported through `last_error` by a false, `missing` or empty return, never thrown.
class intake_store {
public:
    virtual ~intake_store() = default;

    /// Adds a new intake (its revision must be 0); false when the id is taken or on failure.
    virtual bool create(const stored_intake& intake) = 0;
    /// The intake with this id; nothing when there is none or on failure.
    virtual std::optional<stored_intake> load(std::string_view id) = 0;
    /// Replaces the intake whose stored revision is `intake.revision - 1` with `intake`, every
    /// field; only one of many saves from the same revision is `saved`, the others `conflict`.
    virtual save_outcome save(const stored_intake& intake) = 0;
    /// The intakes that `filter` selects, in its order; empty on failure too.
    virtual std::vector<intake_summary> list(const intake_filter& filter) = 0;
    /// Deletes one intake; false when there was none.
    virtual bool remove(std::string_view id) = 0;
    /// Deletes every intake last updated before `cutoff` (Unix seconds); returns how many.
    virtual std::size_t remove_updated_before(std::int64_t cutoff) = 0;
    /// A random secret, made once when the storage is created and kept with it, for the
    /// server's form tokens: every server on the same storage shares it.
    virtual std::string secret() = 0;
    /// What went wrong with the storage itself, last; empty when nothing did.
    virtual std::string last_error() const = 0;
};

}  // namespace stepcare::server
