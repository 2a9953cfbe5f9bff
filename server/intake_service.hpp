#pragma once
// What the web intake and the JSON API both do with saved intakes: the questionnaires
// served, the intakes' sessions restored from storage and saved back, and the tokens.
// One implementation, so that the two can never disagree (and the terminal intake and
// batch share the session library beneath).

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "intake_store.hpp"
#include "stepcare/questionnaire.hpp"
#include "stepcare/session.hpp"

namespace stepcare::server {

/// Why a request about an intake cannot go on: the HTTP status, a stable code and a message.
struct intake_problem {
    int status = 400;
    std::string code;
    std::string message;
};

/// An intake loaded for one request: what storage holds and its session, restored.
struct open_intake {
    stored_intake stored;
    session intake;
};

class intake_service {
public:
    /// `questionnaires` have distinct ids. Intakes untouched for `retain_days` days are deleted.
    /// A client address may start `creations_per_minute` intakes a minute (as many at once).
    intake_service(std::vector<questionnaire> questionnaires, intake_store& store, std::string default_language,
                   int retain_days, unsigned creations_per_minute);

    const std::vector<questionnaire>& questionnaires() const { return questionnaires_; }
    const questionnaire* find(std::string_view id) const;
    /// The language an intake of `q` starts in when none is asked for: `--lang` when `q` has it.
    std::string default_language(const questionnaire& q) const;

    /// Starts an intake of `q` in `language` (one of q's) and saves it.
    std::variant<stored_intake, intake_problem> create(const questionnaire& q, const std::string& language);

    /// Whether `id` has the form of an intake id (32 lowercase hex digits).
    static bool is_intake_id(std::string_view id);

    /// A step on an intake: reads or changes it; returns true when it changed it.
    using step = std::function<bool(open_intake&)>;
    /// Loads intake `id`, restores its session, runs `step` and, when it changed something,
    /// saves the session's answers (committed before this returns), then calls `saved` with
    /// the intake as stored. Steps on one intake run one at a time. Problems: 404 `unknown_intake`, 409 `questionnaire_changed` (the
    /// intake was started on other source bytes), 409 `changed_meanwhile`, 503 `storage_failed`.
    std::optional<intake_problem> with_intake(std::string_view id, const step& step,
                                              const std::function<void(const open_intake&)>& saved = {});

    /// Deletes the intakes last touched more than the retention period ago; returns how many,
    /// or nothing when the storage failed (`store().last_error()` says why).
    std::optional<std::size_t> remove_expired();
    int retain_days() const { return retain_days_; }

    /// A form token for `purpose` (for example an intake id and its revision): 32 hex digits
    /// of an HMAC with the storage's secret, so any server on the same storage accepts it.
    std::string form_token(std::string_view purpose) const;
    bool token_matches(std::string_view token, std::string_view purpose) const;

    /// Whether `client` may start another intake now (a token bucket per client address).
    bool may_create(const std::string& client);

    intake_store& store() { return store_; }

private:
    std::vector<questionnaire> questionnaires_;
    intake_store& store_;
    std::string default_language_;
    int retain_days_;
    double creations_per_minute_;
    std::string secret_;
    std::array<std::mutex, 64> intake_locks_;
    std::mutex buckets_lock_;
    struct bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point filled;
    };
    std::map<std::string, bucket> buckets_;
};

/// Records the urgent outcomes a step made fire, to show first until the next step.
void set_urgent_notice(stored_intake& intake, const std::vector<std::string>& urgent);
/// The urgent outcomes of the intake's notice that still fire, as they read now.
std::vector<fired_outcome> urgent_notice(const open_intake& open);

/// Unix seconds now.
std::int64_t unix_now();

}  // namespace stepcare::server
