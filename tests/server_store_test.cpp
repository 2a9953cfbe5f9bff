// The SQLite storage of saved intakes (server/sqlite_store.hpp), on real database files in a
// fresh folder per test: every operation, the file modes, reopening, refused files, and many
// threads saving at once (grouped commits) with every result exact, and a storage that fails
// under the store's feet reported as a failure, never as an ordinary answer.

#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "sqlite_store.hpp"

namespace {

using stepcare::server::intake_filter;
using stepcare::server::intake_lookup;
using stepcare::server::intake_status;
using stepcare::server::intake_store;
using stepcare::server::intake_summary;
using stepcare::server::open_sqlite_store;
using stepcare::server::store_outcome;
using stepcare::server::stored_intake;

/// A new empty folder, removed with everything in it at the end of the test.
class temporary_folder {
public:
    temporary_folder() {
        std::string name = (std::filesystem::temp_directory_path() / "stepcare-store-XXXXXX").string();
        REQUIRE(mkdtemp(name.data()) != nullptr);
        path_ = name;
    }
    ~temporary_folder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    temporary_folder(const temporary_folder&) = delete;
    temporary_folder& operator=(const temporary_folder&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::unique_ptr<intake_store> open_store(const std::filesystem::path& data_dir) {
    std::string error;
    std::unique_ptr<intake_store> store = open_sqlite_store(data_dir, error);
    INFO(error);
    REQUIRE(store);
    CHECK(error.empty());
    return store;
}

/// What `open_sqlite_store` says when it refuses `data_dir`.
std::string refusal(const std::filesystem::path& data_dir) {
    std::string error;
    std::unique_ptr<intake_store> const store = open_sqlite_store(data_dir, error);
    CHECK_FALSE(store);
    return error;
}

/// An intake whose every field differs from the others', so that a swapped column shows.
stored_intake make_intake(const std::string& id, intake_status status = intake_status::in_progress,
                          std::int64_t updated_at = 1700000100) {
    stored_intake intake;
    intake.id = id;
    intake.questionnaire_id = "ketamine-trd";
    intake.questionnaire_version = "1.2.0";
    intake.questionnaire_sha256 = std::string(64, 'a');
    intake.language = "es";
    intake.status = status;
    intake.state_json = R"({"answers":{"tried":3,"note":"caf\u00e9 \"quoted\""}})";
    intake.notice_json = R"(["crisis"])";
    intake.created_at = 1700000000;
    intake.updated_at = updated_at;
    intake.revision = 0;
    return intake;
}

void check_same(const stored_intake& got, const stored_intake& expected) {
    CHECK(got.id == expected.id);
    CHECK(got.questionnaire_id == expected.questionnaire_id);
    CHECK(got.questionnaire_version == expected.questionnaire_version);
    CHECK(got.questionnaire_sha256 == expected.questionnaire_sha256);
    CHECK(got.language == expected.language);
    CHECK(got.status == expected.status);
    CHECK(got.state_json == expected.state_json);
    CHECK(got.notice_json == expected.notice_json);
    CHECK(got.created_at == expected.created_at);
    CHECK(got.updated_at == expected.updated_at);
    CHECK(got.revision == expected.revision);
}

/// The ids a listing gives, in its order; a failed listing fails the test.
std::vector<std::string> ids_of(const std::optional<std::vector<intake_summary>>& summaries) {
    REQUIRE(summaries);
    std::vector<std::string> ids;
    for (const intake_summary& summary : *summaries) ids.push_back(summary.id);
    return ids;
}

/// The intake `store` has with this id; the test fails when there is none or the read failed.
stored_intake loaded(intake_store& store, std::string_view id) {
    intake_lookup lookup = store.load(id);
    REQUIRE_FALSE(lookup.failed);
    REQUIRE(lookup.intake);
    return std::move(*lookup.intake);
}

/// Whether `store` read that it has no intake with this id.
bool has_none(intake_store& store, std::string_view id) {
    intake_lookup const lookup = store.load(id);
    return !lookup.failed && !lookup.intake;
}

unsigned mode_of(const std::filesystem::path& path) {
    struct stat status {};
    REQUIRE(stat(path.c_str(), &status) == 0);
    return status.st_mode & 07777;
}

/// Runs `sql` on the database file directly, as another program would.
void run_sql(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    int const result = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(result == SQLITE_OK);
}

}  // namespace

TEST_CASE("an intake comes back with every field as created", "[store]") {
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    stored_intake const intake = make_intake("0123456789abcdef0123456789abcdef", intake_status::stopped);
    REQUIRE(store->create(intake) == store_outcome::done);
    check_same(loaded(*store, intake.id), intake);

    intake_lookup const none = store->load("ffffffffffffffffffffffffffffffff");
    CHECK_FALSE(none.intake);
    CHECK_FALSE(none.failed);
    CHECK(store->last_error().empty());
}

TEST_CASE("a save replaces the intake only from the expected revision", "[store]") {
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    stored_intake intake = make_intake("a1");
    REQUIRE(store->create(intake) == store_outcome::done);

    stored_intake first = intake;
    first.revision = 1;
    first.status = intake_status::finished;
    first.language = "en";
    first.state_json = R"({"answers":{}})";
    first.notice_json = "[]";
    first.updated_at = 1700000200;
    CHECK(store->save(first) == store_outcome::done);
    check_same(loaded(*store, "a1"), first);

    SECTION("a second save from the same revision is a conflict and changes nothing") {
        stored_intake late = intake;
        late.revision = 1;
        late.state_json = "{}";
        CHECK(store->save(late) == store_outcome::conflict);
        check_same(loaded(*store, "a1"), first);
        CHECK(store->last_error().empty());
    }
    SECTION("a save that skips a revision is a conflict") {
        stored_intake ahead = first;
        ahead.revision = 3;
        CHECK(store->save(ahead) == store_outcome::conflict);
        check_same(loaded(*store, "a1"), first);
        CHECK(store->last_error().empty());
    }
    SECTION("a save of an intake that is not there is missing, not a conflict") {
        stored_intake other = make_intake("b2");
        other.revision = 1;
        CHECK(store->save(other) == store_outcome::missing);
        CHECK(has_none(*store, "b2"));
        CHECK(store->remove("a1") == store_outcome::done);
        stored_intake next = first;
        next.revision = 2;
        CHECK(store->save(next) == store_outcome::missing);
        CHECK(has_none(*store, "a1"));
        CHECK(store->last_error().empty());
    }
    SECTION("a save with a revision below 1 fails and changes nothing") {
        stored_intake bad = first;
        bad.revision = 0;
        bad.state_json = "{}";
        CHECK(store->save(bad) == store_outcome::failed);
        CHECK(store->last_error() ==
              "intake a1 was given to save with revision 0; a saved intake has revision 1 or more");
        bad.revision = INT64_MIN;
        CHECK(store->save(bad) == store_outcome::failed);
        check_same(loaded(*store, "a1"), first);
    }
}

TEST_CASE("a save keeps the questionnaire and the creation time as created", "[store]") {
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    stored_intake const intake = make_intake("k1");
    REQUIRE(store->create(intake) == store_outcome::done);

    stored_intake changed = intake;
    changed.revision = 1;
    changed.questionnaire_id = "other-questionnaire";
    changed.questionnaire_version = "9.9.9";
    changed.questionnaire_sha256 = std::string(64, 'b');
    changed.created_at = 1800000000;
    changed.language = "en";
    changed.status = intake_status::finished;
    changed.state_json = "{}";
    changed.notice_json = "[]";
    changed.updated_at = 1700000300;
    REQUIRE(store->save(changed) == store_outcome::done);

    stored_intake expected = changed;
    expected.questionnaire_id = intake.questionnaire_id;
    expected.questionnaire_version = intake.questionnaire_version;
    expected.questionnaire_sha256 = intake.questionnaire_sha256;
    expected.created_at = intake.created_at;
    check_same(loaded(*store, "k1"), expected);

    std::optional<std::vector<intake_summary>> const summaries = store->list(intake_filter{false, 100, 0});
    REQUIRE(summaries);
    REQUIRE(summaries->size() == 1);
    CHECK((*summaries)[0].questionnaire_id == intake.questionnaire_id);
    CHECK((*summaries)[0].questionnaire_version == intake.questionnaire_version);
    CHECK((*summaries)[0].questionnaire_sha256 == intake.questionnaire_sha256);
    CHECK((*summaries)[0].created_at == intake.created_at);
    CHECK((*summaries)[0].updated_at == changed.updated_at);
    CHECK(store->last_error().empty());
}

TEST_CASE("an intake cannot be created twice", "[store]") {
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    stored_intake const intake = make_intake("c3");
    REQUIRE(store->create(intake) == store_outcome::done);
    stored_intake other = make_intake("c3", intake_status::finished);
    other.state_json = "{}";
    CHECK(store->create(other) == store_outcome::taken);
    check_same(loaded(*store, "c3"), intake);
    CHECK(store->last_error().empty());

    SECTION("not even after a save") {
        stored_intake saved = intake;
        saved.revision = 1;
        REQUIRE(store->save(saved) == store_outcome::done);
        CHECK(store->create(intake) == store_outcome::taken);
        check_same(loaded(*store, "c3"), saved);
        CHECK(store->last_error().empty());
    }
    SECTION("a create with a revision other than 0 fails, whether or not the id is taken") {
        stored_intake saved_before = make_intake("d4");
        saved_before.revision = 2;
        CHECK(store->create(saved_before) == store_outcome::failed);
        CHECK(has_none(*store, "d4"));
        CHECK(store->last_error() == "intake d4 was given to create with revision 2; a new intake has revision 0");
        stored_intake taken = intake;
        taken.revision = 1;
        CHECK(store->create(taken) == store_outcome::failed);
        check_same(loaded(*store, "c3"), intake);
    }
}

TEST_CASE("a listing gives the newest updates first, filtered and in pages", "[store]") {
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    using strings = std::vector<std::string>;
    CHECK(ids_of(store->list(intake_filter{false, 100, 0})).empty());  // none yet: empty, not failed

    // Two pairs share an update time, which the id orders.
    REQUIRE(store->create(make_intake("e", intake_status::finished, 300)) == store_outcome::done);
    REQUIRE(store->create(make_intake("a", intake_status::in_progress, 500)) == store_outcome::done);
    REQUIRE(store->create(make_intake("d", intake_status::stopped, 300)) == store_outcome::done);
    REQUIRE(store->create(make_intake("b", intake_status::finished, 100)) == store_outcome::done);
    REQUIRE(store->create(make_intake("c", intake_status::in_progress, 200)) == store_outcome::done);
    REQUIRE(store->create(make_intake("f", intake_status::stopped, 500)) == store_outcome::done);

    CHECK(ids_of(store->list(intake_filter{})) == strings{"f", "d", "e", "b"});
    CHECK(ids_of(store->list(intake_filter{false, 100, 0})) == strings{"a", "f", "d", "e", "c", "b"});
    CHECK(ids_of(store->list(intake_filter{false, 2, 0})) == strings{"a", "f"});
    CHECK(ids_of(store->list(intake_filter{false, 2, 2})) == strings{"d", "e"});
    CHECK(ids_of(store->list(intake_filter{false, 2, 4})) == strings{"c", "b"});
    CHECK(ids_of(store->list(intake_filter{false, 2, 6})).empty());
    CHECK(ids_of(store->list(intake_filter{true, 3, 1})) == strings{"d", "e", "b"});
    CHECK(ids_of(store->list(intake_filter{true, 0, 0})).empty());
    CHECK(ids_of(store->list(intake_filter{true, SIZE_MAX, 3})) == strings{"b"});
    CHECK(ids_of(store->list(intake_filter{true, 1, SIZE_MAX})).empty());

    std::optional<std::vector<intake_summary>> const summaries = store->list(intake_filter{true, 1, 0});
    REQUIRE(summaries);
    REQUIRE(summaries->size() == 1);
    const intake_summary& summary = summaries->front();
    stored_intake const expected = make_intake("f", intake_status::stopped, 500);
    CHECK(summary.questionnaire_id == expected.questionnaire_id);
    CHECK(summary.questionnaire_version == expected.questionnaire_version);
    CHECK(summary.questionnaire_sha256 == expected.questionnaire_sha256);
    CHECK(summary.language == expected.language);
    CHECK(summary.status == intake_status::stopped);
    CHECK(summary.created_at == expected.created_at);
    CHECK(summary.updated_at == 500);
    CHECK(store->last_error().empty());
}

TEST_CASE("intakes are removed one by one or by their age", "[store]") {
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    REQUIRE(store->create(make_intake("old1", intake_status::finished, 100)) == store_outcome::done);
    REQUIRE(store->create(make_intake("old2", intake_status::in_progress, 199)) == store_outcome::done);
    REQUIRE(store->create(make_intake("edge", intake_status::stopped, 200)) == store_outcome::done);
    REQUIRE(store->create(make_intake("new", intake_status::in_progress, 300)) == store_outcome::done);

    CHECK(store->remove("new") == store_outcome::done);
    CHECK(store->remove("new") == store_outcome::missing);
    CHECK(store->remove("never") == store_outcome::missing);
    CHECK(has_none(*store, "new"));
    CHECK(store->remove_updated_before(100) == std::optional<std::size_t>(0));
    CHECK(store->remove_updated_before(200) == std::optional<std::size_t>(2));
    CHECK(store->remove_updated_before(200) == std::optional<std::size_t>(0));
    CHECK(ids_of(store->list(intake_filter{false, 100, 0})) == std::vector<std::string>{"edge"});
    CHECK(store->remove_updated_before(INT64_MAX) == std::optional<std::size_t>(1));
    CHECK(ids_of(store->list(intake_filter{false, 100, 0})).empty());
    CHECK(store->last_error().empty());
}

TEST_CASE("a failing storage is reported as failed, never as missing, taken or empty", "[store]") {
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    stored_intake const intake = make_intake("s1");
    REQUIRE(store->create(intake) == store_outcome::done);
    check_same(loaded(*store, "s1"), intake);  // a reader is open and its statements prepared
    REQUIRE(store->last_error().empty());

    // Another program drops the table: every statement of the store fails from now on, its
    // prepared ones included, on the writer and on the readers alike.
    std::filesystem::path const file = folder.path() / "stepcare.db";
    run_sql(file, "DROP TABLE intakes");
    std::string const read_error = "cannot read '" + file.string() + "': no such table: intakes";
    std::string const write_error = "cannot write to '" + file.string() + "': no such table: intakes";

    intake_lookup const lookup = store->load("s1");
    CHECK(lookup.failed);
    CHECK_FALSE(lookup.intake);
    CHECK(store->last_error() == read_error);
    CHECK_FALSE(store->list(intake_filter{false, 100, 0}));
    CHECK_FALSE(store->list(intake_filter{}));

    CHECK(store->create(intake) == store_outcome::failed);  // not taken
    CHECK(store->last_error() == write_error);
    CHECK(store->create(make_intake("s2")) == store_outcome::failed);

    stored_intake next = intake;
    next.revision = 1;
    CHECK(store->save(next) == store_outcome::failed);  // not missing, not a conflict
    CHECK(store->remove("s1") == store_outcome::failed);
    CHECK(store->remove("s2") == store_outcome::failed);
    CHECK_FALSE(store->remove_updated_before(INT64_MAX));
    CHECK(store->last_error() == write_error);

    // A read after the writes still tells its own failure apart.
    CHECK(store->load("nothing-here").failed);
    CHECK(store->last_error() == read_error);
}

TEST_CASE("the data folder and the database are private, whatever the umask", "[store]") {
    temporary_folder const folder;
    std::filesystem::path const data = folder.path() / "nested" / "data";
    {
        mode_t const previous = umask(0);
        std::string error;
        std::unique_ptr<intake_store> const store = open_sqlite_store(data, error);
        umask(previous);
        INFO(error);
        REQUIRE(store);
        REQUIRE(store->create(make_intake("m1")) == store_outcome::done);
        CHECK(mode_of(data) == 0700);
        CHECK(mode_of(data / "stepcare.db") == 0600);
        CHECK(mode_of(data / "stepcare.db-wal") == 0600);
        CHECK(mode_of(data / "stepcare.db-shm") == 0600);
    }

    SECTION("a database file readable by others is made private on opening") {
        REQUIRE(chmod((data / "stepcare.db").c_str(), 0644) == 0);
        REQUIRE(chmod(data.c_str(), 0755) == 0);
        std::unique_ptr<intake_store> const store = open_store(data);
        CHECK(mode_of(data / "stepcare.db") == 0600);
        CHECK(mode_of(data) == 0755);  // an existing folder is the owner's choice
        CHECK(store->load("m1").intake);
    }
    SECTION("a trailing slash names the same folder") {
        std::unique_ptr<intake_store> const store = open_store(data.string() + "/");
        CHECK(store->load("m1").intake);
    }
}

TEST_CASE("a reopened database keeps its intakes and its secret", "[store]") {
    temporary_folder const folder;
    std::string secret;
    stored_intake saved = make_intake("r1", intake_status::finished);
    {
        std::unique_ptr<intake_store> const store = open_store(folder.path());
        secret = store->secret();
        REQUIRE(store->create(make_intake("r1")) == store_outcome::done);
        saved.revision = 1;
        REQUIRE(store->save(saved) == store_outcome::done);
        REQUIRE(store->create(make_intake("r2")) == store_outcome::done);
    }
    CHECK(secret.size() == 64);
    CHECK(secret.find_first_not_of("0123456789abcdef") == std::string::npos);

    std::unique_ptr<intake_store> const store = open_store(folder.path());
    CHECK(store->secret() == secret);
    check_same(loaded(*store, "r1"), saved);
    CHECK(store->load("r2").intake);

    temporary_folder const other;
    CHECK(open_store(other.path())->secret() != secret);
}

TEST_CASE("a database of a newer Stepcare is refused", "[store]") {
    temporary_folder const folder;
    { open_store(folder.path()); }
    std::filesystem::path const file = folder.path() / "stepcare.db";
    run_sql(file, "PRAGMA user_version = 7");
    CHECK(refusal(folder.path()) == "'" + file.string() +
                                        "' was written by a newer Stepcare (schema 7, this one knows up to 1); use "
                                        "that version or a new --data folder");
}

TEST_CASE("files that are not Stepcare databases are refused", "[store]") {
    temporary_folder const folder;
    std::filesystem::path const file = folder.path() / "stepcare.db";
    std::string const expected_end = "; move it away or give another --data folder";

    SECTION("a text file") {
        std::ofstream(file) << std::string(5000, 'x') << "\n";
        std::string const error = refusal(folder.path());
        CHECK(error == "'" + file.string() + "' is not an SQLite database" + expected_end);
    }
    SECTION("another program's SQLite database") {
        run_sql(file, "CREATE TABLE notes (text TEXT)");
        std::string const error = refusal(folder.path());
        CHECK(error == "'" + file.string() + "' is a database of another program" + expected_end);
    }
    SECTION("a folder in the database's place") {
        std::filesystem::create_directory(file);
        CHECK(refusal(folder.path()) == "'" + file.string() + "' is not a file" + expected_end);
    }
    SECTION("a data folder that cannot be made") {
        std::ofstream(folder.path() / "plain") << "a file\n";
        std::filesystem::path const data = folder.path() / "plain" / "data";
        CHECK(refusal(data) ==
              "cannot create the data folder '" + data.string() + "': Not a directory; give a writable --data folder");
        CHECK(refusal(folder.path() / "plain") ==
              "'" + (folder.path() / "plain").string() + "' is not a folder; give a folder as --data");
    }
}

TEST_CASE("many threads save their own intakes at once, every save durable and exact", "[store]") {
    constexpr int thread_count = 8;
    constexpr int saves_per_thread = 500;
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    for (int t = 0; t < thread_count; ++t) {
        REQUIRE(store->create(make_intake("t" + std::to_string(t))) == store_outcome::done);
    }

    std::atomic<int> not_saved{0};
    std::atomic<int> bad_loads{0};
    std::atomic<int> loads{0};
    std::atomic<bool> saving{true};
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            stored_intake intake = make_intake("t" + std::to_string(t));
            for (int revision = 1; revision <= saves_per_thread; ++revision) {
                intake.revision = revision;
                intake.updated_at = 1700000000 + revision;
                intake.state_json = "{\"step\":" + std::to_string(revision) + "}";
                if (store->save(intake) != store_outcome::done) ++not_saved;
            }
        });
    }
    // Readers alongside: each load sees a whole save, never a revision going back. Paced
    // as a server's page views would be, rather than taking every core from the writers.
    for (int r = 0; r < 2; ++r) {
        threads.emplace_back([&, r] {
            std::vector<std::int64_t> seen(thread_count, 0);
            for (int round = 0; saving; ++round) {
                std::this_thread::sleep_for(std::chrono::microseconds(100));
                ++loads;
                int const t = (round + r) % thread_count;
                std::optional<stored_intake> const got = store->load("t" + std::to_string(t)).intake;
                if (!got || got->revision < seen[t] ||
                    got->state_json != (got->revision == 0 ? make_intake("").state_json
                                                           : "{\"step\":" + std::to_string(got->revision) + "}")) {
                    ++bad_loads;
                } else {
                    seen[t] = got->revision;
                }
            }
        });
    }
    for (int t = 0; t < thread_count; ++t) threads[t].join();
    saving = false;
    for (std::thread& thread : threads) {
        if (thread.joinable()) thread.join();
    }

    CHECK(not_saved == 0);
    CHECK(loads > 0);
    CHECK(bad_loads == 0);
    CHECK(store->last_error().empty());
    for (int t = 0; t < thread_count; ++t) {
        stored_intake const got = loaded(*store, "t" + std::to_string(t));
        CHECK(got.revision == saves_per_thread);
        CHECK(got.state_json == "{\"step\":" + std::to_string(saves_per_thread) + "}");
    }
}

TEST_CASE("threads racing to save one intake: exactly one wins each revision", "[store]") {
    constexpr int thread_count = 8;
    constexpr std::int64_t last_revision = 300;
    temporary_folder const folder;
    std::unique_ptr<intake_store> const store = open_store(folder.path());
    REQUIRE(store->create(make_intake("one")) == store_outcome::done);

    std::mutex winners_mutex;
    std::map<std::int64_t, int> winners;  // revision -> the thread that saved it
    std::atomic<int> saves{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            for (;;) {
                std::optional<stored_intake> got = store->load("one").intake;
                if (!got) {
                    ++failures;
                    return;
                }
                if (got->revision >= last_revision) return;
                got->revision += 1;
                got->state_json = "{\"by\":" + std::to_string(t) + "}";
                switch (store->save(*got)) {
                    case store_outcome::done: {
                        ++saves;
                        std::lock_guard const lock(winners_mutex);
                        if (!winners.emplace(got->revision, t).second) ++failures;
                        break;
                    }
                    case store_outcome::conflict: break;
                    case store_outcome::taken:
                    case store_outcome::missing:
                    case store_outcome::failed: ++failures; return;
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();

    CHECK(failures == 0);
    std::optional<stored_intake> const final_intake = loaded(*store, "one");
    CHECK(final_intake->revision == last_revision);
    CHECK(saves == last_revision);
    REQUIRE(winners.size() == static_cast<std::size_t>(last_revision));
    CHECK(winners.begin()->first == 1);
    CHECK(winners.rbegin()->first == last_revision);
    CHECK(final_intake->state_json == "{\"by\":" + std::to_string(winners.rbegin()->second) + "}");
    CHECK(store->last_error().empty());
}
