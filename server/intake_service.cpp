#include "intake_service.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

namespace stepcare::server {

namespace {

std::string hex(const unsigned char* bytes, std::size_t count) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(count * 2);
    for (std::size_t i = 0; i < count; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0x0F];
    }
    return out;
}

}  // namespace

void set_urgent_notice(stored_intake& intake, const std::vector<std::string>& urgent) {
    intake.notice_json = nlohmann::json(urgent).dump();
}

std::vector<fired_outcome> urgent_notice(const open_intake& open) {
    std::vector<fired_outcome> urgent;
    nlohmann::json const ids = nlohmann::json::parse(open.stored.notice_json, nullptr, false);
    if (!ids.is_array()) return urgent;
    result const now = open.intake.current_result();
    for (const nlohmann::json& id : ids) {
        if (!id.is_string()) continue;
        if (const fired_outcome* fired = now.find_outcome(id.get<std::string>())) urgent.push_back(*fired);
    }
    return urgent;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

intake_service::intake_service(std::vector<questionnaire> questionnaires, intake_store& store,
                               std::string default_language, int retain_days, unsigned creations_per_minute)
    : questionnaires_(std::move(questionnaires)),
      store_(store),
      default_language_(std::move(default_language)),
      retain_days_(retain_days),
      creations_per_minute_(creations_per_minute),
      secret_(store.secret()) {}

const questionnaire* intake_service::find(std::string_view id) const {
    for (const questionnaire& q : questionnaires_) {
        if (q.id() == id) return &q;
    }
    return nullptr;
}

std::string intake_service::default_language(const questionnaire& q) const {
    if (!default_language_.empty() && q.has_language(default_language_)) return default_language_;
    return q.languages().empty() ? std::string() : q.languages().front();
}

bool intake_service::is_intake_id(std::string_view id) {
    return id.size() == 32 &&
           std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::variant<stored_intake, intake_problem> intake_service::create(const questionnaire& q,
                                                                   const std::string& language) {
    session const fresh(q, language);
    stored_intake intake;
    intake.questionnaire_id = q.id();
    intake.questionnaire_version = q.version();
    intake.questionnaire_sha256 = q.sha256();
    intake.language = fresh.language();
    intake.status = intake_status::in_progress;
    intake.state_json = fresh.save_json();
    set_urgent_notice(intake, {});
    intake.created_at = intake.updated_at = unix_now();
    // 128 random bits; a clash is all but impossible, and `create` refuses one anyway.
    for (int attempt = 0; attempt < 3; ++attempt) {
        unsigned char bytes[16];
        if (RAND_bytes(bytes, sizeof bytes) != 1) break;
        intake.id = hex(bytes, sizeof bytes);
        store_outcome const outcome = store_.create(intake);
        if (outcome == store_outcome::done) return intake;
        if (outcome != store_outcome::taken) break;  // only a taken id is worth another try
    }
    return intake_problem{503, "storage_failed", "the intake could not be saved; try again later"};
}

std::optional<intake_problem> intake_service::with_intake(std::string_view id, const step& step,
                                                          const std::function<void(const open_intake&)>& saved) {
    if (!is_intake_id(id)) return intake_problem{404, "unknown_intake", "there is no intake with this id"};
    std::lock_guard const one_at_a_time(intake_locks_[std::hash<std::string_view>{}(id) % intake_locks_.size()]);
    intake_lookup lookup = store_.load(id);
    if (lookup.failed) return intake_problem{503, "storage_failed", "the intake could not be read; try again later"};
    std::optional<stored_intake>& stored = lookup.intake;
    if (!stored) {
        return intake_problem{404, "unknown_intake", "there is no intake with this id (it may have been deleted)"};
    }
    const questionnaire* q = find(stored->questionnaire_id);
    if (q == nullptr || q->sha256() != stored->questionnaire_sha256) {
        return intake_problem{409, "questionnaire_changed",
                              "this intake was started on another version of the questionnaire (" +
                                  stored->questionnaire_id + " " + stored->questionnaire_version +
                                  "), which this server no longer serves; start a new intake"};
    }
    std::string const language = stored->language;
    open_intake open{std::move(*stored), session(*q, language)};
    open.intake.restore_json(open.stored.state_json);
    if (!step(open)) return std::nullopt;
    open.stored.state_json = open.intake.save_json();
    open.stored.language = open.intake.language();
    open.stored.status = open.intake.stopped()    ? intake_status::stopped
                         : open.intake.finished() ? intake_status::finished
                                                  : intake_status::in_progress;
    open.stored.updated_at = unix_now();
    open.stored.revision += 1;
    switch (store_.save(open.stored)) {
        case store_outcome::done:
            if (saved) saved(open);
            return std::nullopt;
        case store_outcome::conflict:
            return intake_problem{409, "changed_meanwhile",
                                  "the intake was changed by another request at the same time; reload it"};
        case store_outcome::missing: return intake_problem{404, "unknown_intake", "the intake was deleted meanwhile"};
        case store_outcome::taken:
        case store_outcome::failed: break;
    }
    return intake_problem{503, "storage_failed", "the answer could not be saved; try again"};
}

std::optional<std::size_t> intake_service::remove_expired() {
    // A failed sweep deletes nothing; the next one, an hour later, tries again.
    return store_.remove_updated_before(unix_now() - static_cast<std::int64_t>(retain_days_) * 86400);
}

std::string intake_service::form_token(std::string_view purpose) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(), digest, &length);
    return hex(digest, std::min<std::size_t>(length, 16));
}

bool intake_service::token_matches(std::string_view token, std::string_view purpose) const {
    std::string const expected = form_token(purpose);
    return token.size() == expected.size() && CRYPTO_memcmp(token.data(), expected.data(), token.size()) == 0;
}

bool intake_service::may_create(const std::string& client) {
    auto const now = std::chrono::steady_clock::now();
    std::lock_guard const guard(buckets_lock_);
    // Forget clients whose buckets are full again, so the table cannot grow without end.
    if (buckets_.size() > 10000) {
        std::erase_if(buckets_, [&](const auto& entry) {
            return std::chrono::duration<double>(now - entry.second.filled).count() * creations_per_minute_ / 60 +
                       entry.second.tokens >=
                   creations_per_minute_;
        });
    }
    auto [place, added] = buckets_.try_emplace(client, bucket{creations_per_minute_, now});
    bucket& b = place->second;
    if (!added) {
        double const refill = std::chrono::duration<double>(now - b.filled).count() * creations_per_minute_ / 60;
        b.tokens = std::min(creations_per_minute_, b.tokens + refill);
        b.filled = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
}

}  // namespace stepcare::server
