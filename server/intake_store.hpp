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
    /// The questionnaire, with `created_at`, is set by `create` and never changes after.
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

/// What became of a write.
enum class store_outcome {
    done,
    taken,     ///< create: an intake has this id already
    conflict,  ///< save: the stored revision was not `intake.revision - 1`: someone saved first
    missing,   ///< save, remove: no intake has this id
    failed,    ///< the storage itself failed (disk full, I/O error, bad revision given); see last_error
};

/// An intake looked up.
struct intake_lookup {
    std::optional<stored_intake> intake;  ///< nothing when there is none or the read failed
    bool failed = false;                  ///< the storage could not be read
};

/// Which intakes `list` gives: newest update first, then by id.
struct intake_filter {
    bool ended_only = true;  ///< finished and stopped only
    std::size_t limit = 100;
    std::size_t offset = 0;
};

/// Every method may be called from many threads at once. Every write is durable (committed
/// and synced) when it returns. A failure of the storage itself (disk full, I/O error) is a
/// value of its own, never an ordinary answer and never thrown: `store_outcome::failed`, a
/// lookup that `failed`, or nothing from `list` and `remove_updated_before`. A caller tells
/// "no such intake" from "the storage failed" by the result alone.
class intake_store {
public:
    virtual ~intake_store() = default;

    /// Adds a new intake: `done`; `taken` when an intake has this id already (and nothing is
    /// changed); `failed` when the storage failed or `intake.revision` is not 0.
    virtual store_outcome create(const stored_intake& intake) = 0;
    /// The intake with this id; no intake and not `failed` when there is none.
    virtual intake_lookup load(std::string_view id) = 0;
    /// Replaces the intake whose stored revision is `intake.revision - 1` with `intake`: `done`;
    /// only one of many saves from the same revision is `done`, the others `conflict`;
    /// `missing` when no intake has this id (deleted meanwhile); `failed` when the storage
    /// failed or `intake.revision` is below 1. The language, status, answers, notices, update
    /// time and revision are replaced; `created_at` and the questionnaire (id, version,
    /// sha256) are kept as created, whatever `intake` holds: they never change.
    virtual store_outcome save(const stored_intake& intake) = 0;
    /// The intakes that `filter` selects, in its order; nothing when the storage failed.
    virtual std::optional<std::vector<intake_summary>> list(const intake_filter& filter) = 0;
    /// Deletes one intake: `done`, `missing` when there was none, or `failed`.
    virtual store_outcome remove(std::string_view id) = 0;
    /// Deletes every intake last updated before `cutoff` (Unix seconds); how many, or nothing
    /// when the storage failed (and then none is deleted).
    virtual std::optional<std::size_t> remove_updated_before(std::int64_t cutoff) = 0;
    /// A random secret, made once when the storage is created and kept with it, for the
    /// server's form tokens: every server on the same storage shares it.
    virtual std::string secret() = 0;
    /// A description of the most recent failure of any call, from any thread, for the log
    /// only: it does not tell which call failed (the results do); empty when none has failed.
    virtual std::string last_error() const = 0;
};

}  // namespace stepcare::server
