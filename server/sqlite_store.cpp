// The SQLite storage of saved intakes. Writes are committed in groups, since each commit
// waits for an fsync: a writer queues its work and waits; one committing thread, the only
// user of the writer connection, runs everything queued in one transaction, wakes each
// writer with its own result, and starts on what was queued meanwhile. Reads use a pool of
// read-only connections, which WAL lets read while the writer writes.

#include "sqlite_store.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <span>
#include <system_error>
#include <thread>
#include <utility>

namespace stepcare::server {

namespace {

/// How long a connection waits for a lock that another process (or a checkpoint) holds.
constexpr int busy_timeout_ms = 5000;
/// The database header's application id, "StCr": tells a Stepcare database from another
/// program's SQLite file.
constexpr std::int64_t stepcare_application_id = 0x53744372;

struct connection_closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using connection = std::unique_ptr<sqlite3, connection_closer>;

struct statement_finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using statement = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

/// Resets a statement when its use ends, so that it keeps no read snapshot (which would hold
/// back checkpoints) and no pointer to the caller's bound strings.
class statement_use {
public:
    explicit statement_use(const statement& used) : statement_(used.get()) {}
    ~statement_use() {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }
    statement_use(const statement_use&) = delete;
    statement_use& operator=(const statement_use&) = delete;

private:
    sqlite3_stmt* statement_;
};

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::string system_error_text(int number) { return std::generic_category().message(number); }

/// A prepared statement of `db`, or null (the reason is in `sqlite3_errmsg(db)`).
statement prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* prepared = nullptr;
    sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &prepared, nullptr);
    return statement(prepared);
}

bool exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

/// Runs a statement that returns no row (or whose rows do not matter) to its end.
bool run(const statement& query) {
    statement_use const use(query);
    int result = SQLITE_ROW;
    while (result == SQLITE_ROW) result = sqlite3_step(query.get());
    return result == SQLITE_DONE;
}

void bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
    sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void bind_number(sqlite3_stmt* statement, int index, std::int64_t number) {
    sqlite3_bind_int64(statement, index, number);
}

std::int64_t clamped(std::size_t number) {
    constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(number < largest ? number : largest);
}

std::string column_text(sqlite3_stmt* statement, int column) {
    auto const* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
    if (text == nullptr) return {};
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

/// The value of a pragma that returns one integer, or nothing when the file cannot be read.
std::optional<std::int64_t> pragma_number(sqlite3* db, const char* sql) {
    statement const query = prepare(db, sql);
    if (!query) return std::nullopt;
    statement_use const use(query);
    if (sqlite3_step(query.get()) != SQLITE_ROW) return std::nullopt;
    return sqlite3_column_int64(query.get(), 0);
}

// The columns of `intakes` in the order every statement below names them, so that
// `bind_intake` fills parameters 1 to 11 of both the insert and the update (which leaves
// 2 to 4 and 9, the questionnaire and the creation time, unused: they never change).
#define INTAKE_COLUMNS                                                                                  \
    "id, questionnaire_id, questionnaire_version, questionnaire_sha256, language, status, state_json, " \
    "notice_json, created_at, updated_at, revision"

void bind_intake(sqlite3_stmt* statement, const stored_intake& intake) {
    bind_text(statement, 1, intake.id);
    bind_text(statement, 2, intake.questionnaire_id);
    bind_text(statement, 3, intake.questionnaire_version);
    bind_text(statement, 4, intake.questionnaire_sha256);
    bind_text(statement, 5, intake.language);
    bind_text(statement, 6, to_string(intake.status));
    bind_text(statement, 7, intake.state_json);
    bind_text(statement, 8, intake.notice_json);
    bind_number(statement, 9, intake.created_at);
    bind_number(statement, 10, intake.updated_at);
    bind_number(statement, 11, intake.revision);
}

/// 32 random bytes as 64 lowercase hex digits, or nothing when OpenSSL has no randomness.
std::optional<std::string> random_secret() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return std::nullopt;
    std::string hex;
    for (unsigned char const byte : bytes) {
        hex += "0123456789abcdef"[byte >> 4];
        hex += "0123456789abcdef"[byte & 0xf];
    }
    return hex;
}

/// A step of the schema: run inside a transaction; false with the reason in `failure`.
using migration = bool (*)(sqlite3* db, std::string& failure);

/// Schema 1: the intakes, their indexes for listings and expiry, and the settings with the
/// form-token secret.
bool create_schema_1(sqlite3* db, std::string& failure) {
    std::string const mark = "PRAGMA application_id = " + std::to_string(stepcare_application_id);
    if (!exec(db,
              "CREATE TABLE intakes ("
              " id TEXT PRIMARY KEY NOT NULL,"
              " questionnaire_id TEXT NOT NULL,"
              " questionnaire_version TEXT NOT NULL,"
              " questionnaire_sha256 TEXT NOT NULL,"
              " language TEXT NOT NULL,"
              " status TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'stopped')),"
              " state_json TEXT NOT NULL,"
              " notice_json TEXT NOT NULL,"
              " created_at INTEGER NOT NULL,"
              " updated_at INTEGER NOT NULL,"
              " revision INTEGER NOT NULL);"
              "CREATE INDEX intakes_by_status ON intakes (status, updated_at);"
              "CREATE INDEX intakes_by_update ON intakes (updated_at);"
              "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);") ||
        !exec(db, mark.c_str())) {
        failure = sqlite3_errmsg(db);
        return false;
    }
    std::optional<std::string> const secret = random_secret();
    if (!secret) {
        failure = "OpenSSL gave no random bytes for the form-token secret";
        return false;
    }
    statement const insert = prepare(db, "INSERT INTO settings (key, value) VALUES ('secret', ?1)");
    if (insert) bind_text(insert.get(), 1, *secret);
    if (insert && run(insert)) return true;
    failure = sqlite3_errmsg(db);
    return false;
}

/// The schema's steps in order: step i brings `user_version` i to i + 1. A released step is
/// never changed (databases already went through it); a new schema is a new step.
constexpr std::array<migration, 1> migrations = {create_schema_1};
constexpr auto latest_schema = static_cast<std::int64_t>(migrations.size());

/// Creates the data folder, readable by its owner only, when it is missing (its parents as
/// `mkdir -p` would); an existing folder is left as its owner set it.
bool make_data_folder(const std::filesystem::path& folder, std::string& error) {
    auto const is_folder = [&folder] {
        struct stat status {};
        return stat(folder.c_str(), &status) == 0 && S_ISDIR(status.st_mode);
    };
    if (is_folder()) return true;
    if (std::filesystem::exists(std::filesystem::symlink_status(folder))) {
        error = quoted(folder) + " is not a folder; give a folder as --data";
        return false;
    }
    std::error_code parents_error;
    std::filesystem::path const parent = folder.parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, parents_error);
    int number = parents_error.value();
    if (number == 0) {
        // chmod as well, since mkdir's mode passes through the umask.
        if (mkdir(folder.c_str(), 0700) == 0 && chmod(folder.c_str(), 0700) == 0) return true;
        number = errno;
        if (number == EEXIST && is_folder()) return true;  // another server made it meanwhile
    }
    error = "cannot create the data folder " + quoted(folder) + ": " + system_error_text(number) +
            "; give a writable --data folder";
    return false;
}

/// Makes an existing file readable and writable by its owner only.
bool make_private(const std::filesystem::path& file, std::string& error) {
    struct stat status {};
    if (stat(file.c_str(), &status) != 0) {
        if (errno == ENOENT) return true;
    } else if ((status.st_mode & 0777) == 0600 || chmod(file.c_str(), 0600) == 0) {
        return true;
    }
    int const number = errno;
    error = "cannot make " + quoted(file) + " private to its owner: " + system_error_text(number) +
            "; run as the owner of the --data folder";
    return false;
}

/// Creates the database file with mode 0600 before SQLite opens it, so that it is never
/// readable by others whatever the umask; an existing one (and its WAL files) gets that mode.
bool make_database_file(const std::filesystem::path& file, std::string& error) {
    int const descriptor = open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (descriptor >= 0) {
        bool const private_mode = fchmod(descriptor, 0600) == 0;
        int const number = errno;
        close(descriptor);
        if (private_mode) return true;
        error = "cannot make " + quoted(file) + " private to its owner: " + system_error_text(number) +
                "; give another --data folder";
        return false;
    }
    if (int const number = errno; number != EEXIST) {
        error = "cannot create " + quoted(file) + ": " + system_error_text(number) + "; give a writable --data folder";
        return false;
    }
    struct stat status {};
    if (stat(file.c_str(), &status) == 0 && !S_ISREG(status.st_mode)) {
        error = quoted(file) + " is not a file; move it away or give another --data folder";
        return false;
    }
    std::filesystem::path wal = file;
    std::filesystem::path shm = file;
    wal += "-wal";
    shm += "-shm";
    return make_private(file, error) && make_private(wal, error) && make_private(shm, error);
}

/// One read-only connection with its statements; used by one thread at a time.
struct reader {
    connection db;
    statement load;
    statement list_all;
    statement list_ended;
};

/// A write waiting in the queue: `work` runs inside the shared transaction and gives its
/// result, or nothing when a statement failed; `result` holds only once committed.
struct write_job {
    explicit write_job(std::function<std::optional<std::int64_t>()> given) : work(std::move(given)) {}

    std::function<std::optional<std::int64_t>()> work;
    std::optional<std::int64_t> result;
    std::condition_variable woken;  // its writer waits here for `done`
    bool done = false;              // committed or failed, so `result` is final; guarded by the queue's mutex
};

class sqlite_store final : public intake_store {
public:
    explicit sqlite_store(std::filesystem::path file) : file_(std::move(file)) {}
    ~sqlite_store() override;
    sqlite_store(const sqlite_store&) = delete;
    sqlite_store& operator=(const sqlite_store&) = delete;

    /// Opens the writer, brings the schema up to date, reads the secret, opens a first
    /// reader and starts the committing thread; false with the reason in `error` when the
    /// file cannot be used.
    bool connect(std::string& error);

    store_outcome create(const stored_intake& intake) override;
    intake_lookup load(std::string_view id) override;
    store_outcome save(const stored_intake& intake) override;
    std::optional<std::vector<intake_summary>> list(const intake_filter& filter) override;
    store_outcome remove(std::string_view id) override;
    std::optional<std::size_t> remove_updated_before(std::int64_t cutoff) override;
    std::string secret() override;
    std::string last_error() const override;

private:
    /// Lends a reader and takes it back into the pool when done.
    class reader_lease {
    public:
        reader_lease(sqlite_store& store, std::unique_ptr<reader> lent) : store_(store), reader_(std::move(lent)) {}
        ~reader_lease() { store_.give_back(std::move(reader_)); }
        reader_lease(const reader_lease&) = delete;
        reader_lease& operator=(const reader_lease&) = delete;
        reader* operator->() const { return reader_.get(); }
        explicit operator bool() const { return reader_ != nullptr; }

    private:
        sqlite_store& store_;
        std::unique_ptr<reader> reader_;
    };

    bool open_writer(std::string& error);
    bool migrate(std::string& error);
    std::unique_ptr<reader> open_reader(std::string& error) const;
    reader_lease borrow_reader();
    void give_back(std::unique_ptr<reader> lent) noexcept;

    /// Queues `work`, waits until a transaction holding it committed, and gives its result;
    /// nothing when it failed (the reason is in `last_error`).
    std::optional<std::int64_t> write(std::function<std::optional<std::int64_t>()> work);
    /// The committing thread: commits what is queued, batch after batch, until `stopping_`.
    void commit_queued() noexcept;
    /// Runs `batch` in one transaction; when that fails, each job in a transaction of its
    /// own, so that one failing write fails no other.
    void commit_batch(std::span<write_job* const> batch) noexcept;
    enum class transaction_end { committed, not_begun, failed };
    transaction_end commit_together(std::span<write_job* const> jobs) noexcept;

    /// Keeps "cannot ACTION 'file': SQLite's message" for `last_error`.
    void record_error(std::string_view action, sqlite3* db) noexcept;
    void record_error(std::string message) noexcept;
    /// For a method that ran out of memory (the only exception its code can meet).
    void record_out_of_memory() noexcept;

    std::filesystem::path const file_;
    std::string secret_;  // written by `connect` only

    // The writer and its statements, used only by the committing thread once it runs.
    // Each connection is declared before its statements, so that it is closed after them.
    connection writer_;
    statement begin_;
    statement commit_;
    statement rollback_;
    statement insert_;
    statement update_;
    statement exists_;
    statement delete_one_;
    statement delete_before_;

    std::mutex queue_mutex_;
    std::condition_variable queued_;  // the committing thread waits here for jobs or `stopping_`
    std::vector<write_job*> queue_;   // jobs that no commit has taken yet
    bool stopping_ = false;
    std::vector<write_job*> batch_;  // the jobs being committed, by the committing thread only
    std::thread committer_;

    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<reader>> idle_readers_;  // grows to the number of threads reading at once

    mutable std::mutex error_mutex_;
    std::string last_error_;
};

bool sqlite_store::connect(std::string& error) {
    if (!open_writer(error) || !migrate(error)) return false;
    statement const read_secret = prepare(writer_.get(), "SELECT value FROM settings WHERE key = 'secret'");
    if (read_secret) {
        statement_use const use(read_secret);
        if (sqlite3_step(read_secret.get()) == SQLITE_ROW) secret_ = column_text(read_secret.get(), 0);
    }
    if (secret_.size() != 64) {
        error = quoted(file_) + " has no valid form-token secret; restore it from a backup or give a new --data folder";
        return false;
    }
    sqlite3* const db = writer_.get();
    begin_ = prepare(db, "BEGIN IMMEDIATE");
    commit_ = prepare(db, "COMMIT");
    rollback_ = prepare(db, "ROLLBACK");
    insert_ = prepare(db, "INSERT INTO intakes (" INTAKE_COLUMNS
                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO NOTHING");
    // The questionnaire and the creation time stay as created.
    update_ = prepare(db,
                      "UPDATE intakes SET language = ?5, status = ?6, state_json = ?7, notice_json = ?8,"
                      " updated_at = ?10, revision = ?11 WHERE id = ?1 AND revision = ?11 - 1");
    exists_ = prepare(db, "SELECT 1 FROM intakes WHERE id = ?1");
    delete_one_ = prepare(db, "DELETE FROM intakes WHERE id = ?1");
    delete_before_ = prepare(db, "DELETE FROM intakes WHERE updated_at < ?1");
    for (const statement* prepared :
         {&begin_, &commit_, &rollback_, &insert_, &update_, &exists_, &delete_one_, &delete_before_}) {
        if (!*prepared) {
            error = "cannot use " + quoted(file_) + ": " + sqlite3_errmsg(db) + "; give another --data folder";
            return false;
        }
    }
    // A first reader now, so that a file that cannot be read fails here rather than later.
    std::unique_ptr<reader> first = open_reader(error);
    if (!first) return false;
    idle_readers_.push_back(std::move(first));
    committer_ = std::thread([this] { commit_queued(); });
    return true;
}

sqlite_store::~sqlite_store() {
    if (!committer_.joinable()) return;
    {
        std::lock_guard const lock(queue_mutex_);
        stopping_ = true;
    }
    queued_.notify_one();
    committer_.join();
}

bool sqlite_store::open_writer(std::string& error) {
    sqlite3* opened = nullptr;
    int const result = sqlite3_open_v2(file_.c_str(), &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    writer_.reset(opened);
    if (result != SQLITE_OK) {
        error = "cannot open " + quoted(file_) + ": " +
                (opened != nullptr ? sqlite3_errmsg(opened) : sqlite3_errstr(result)) +
                "; give a writable --data folder";
        return false;
    }
    sqlite3* const db = writer_.get();
    if (sqlite3_db_readonly(db, "main") == 1) {
        error = "cannot write to " + quoted(file_) + "; make it writable by this user or give another --data folder";
        return false;
    }
    sqlite3_busy_timeout(db, busy_timeout_ms);
    // The first read of the file: a file of another kind fails here.
    std::optional<std::int64_t> const application_id = pragma_number(db, "PRAGMA application_id");
    std::optional<std::int64_t> const version = pragma_number(db, "PRAGMA user_version");
    std::optional<std::int64_t> const tables =
        pragma_number(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
    if (!application_id || !version || !tables) {
        if (sqlite3_errcode(db) == SQLITE_NOTADB) {
            error = quoted(file_) + " is not an SQLite database; move it away or give another --data folder";
        } else {
            error = "cannot read " + quoted(file_) + ": " + sqlite3_errmsg(db) + "; give a readable --data folder";
        }
        return false;
    }
    // A new database is empty; any other must carry Stepcare's id.
    if (*application_id != stepcare_application_id && (*application_id != 0 || *version != 0 || *tables != 0)) {
        error = quoted(file_) + " is a database of another program; move it away or give another --data folder";
        return false;
    }
    // WAL lets readers read while the writer writes; synchronous=FULL syncs the log on every
    // commit, so that a write that returned survives a power cut.
    statement const journal = prepare(db, "PRAGMA journal_mode = WAL");
    bool wal = false;
    if (journal) {
        statement_use const use(journal);
        wal = sqlite3_step(journal.get()) == SQLITE_ROW && column_text(journal.get(), 0) == "wal";
    }
    if (!wal || !exec(db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")) {
        error = "cannot use " + quoted(file_) + " with a write-ahead log: " + sqlite3_errmsg(db) +
                "; give a --data folder on a local file system";
        return false;
    }
    return true;
}

bool sqlite_store::migrate(std::string& error) {
    sqlite3* const db = writer_.get();
    std::string failure;
    // One step per transaction, the version read inside it: another server opening the
    // same file at once may have applied the step meanwhile.
    for (;;) {
        std::optional<std::int64_t> version;
        if (exec(db, "BEGIN IMMEDIATE")) version = pragma_number(db, "PRAGMA user_version");
        if (!version) {
            failure = sqlite3_errmsg(db);
            break;
        }
        if (*version >= latest_schema) {
            exec(db, "ROLLBACK");
            if (*version == latest_schema) return true;
            error = quoted(file_) + " was written by a newer Stepcare (schema " + std::to_string(*version) +
                    ", this one knows up to " + std::to_string(latest_schema) +
                    "); use that version or a new --data folder";
            return false;
        }
        if (!migrations[static_cast<std::size_t>(*version)](db, failure)) break;
        std::string const set_version = "PRAGMA user_version = " + std::to_string(*version + 1);
        if (!exec(db, set_version.c_str()) || !exec(db, "COMMIT")) {
            failure = sqlite3_errmsg(db);
            break;
        }
    }
    if (sqlite3_get_autocommit(db) == 0) exec(db, "ROLLBACK");
    error = "cannot bring " + quoted(file_) + " up to date: " + failure + "; give a writable --data folder";
    return false;
}

std::unique_ptr<reader> sqlite_store::open_reader(std::string& error) const {
    auto opened = std::make_unique<reader>();
    sqlite3* db = nullptr;
    int const result = sqlite3_open_v2(file_.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    opened->db.reset(db);
    if (result == SQLITE_OK) {
        sqlite3_busy_timeout(db, busy_timeout_ms);
        opened->load = prepare(db, "SELECT " INTAKE_COLUMNS " FROM intakes WHERE id = ?1");
        opened->list_all = prepare(db,
                                   "SELECT id, questionnaire_id, questionnaire_version, questionnaire_sha256, language,"
                                   " status, created_at, updated_at FROM intakes"
                                   " ORDER BY updated_at DESC, id LIMIT ?1 OFFSET ?2");
        opened->list_ended = prepare(db,
                                     "SELECT id, questionnaire_id, questionnaire_version, questionnaire_sha256,"
                                     " language, status, created_at, updated_at FROM intakes"
                                     " WHERE status IN ('finished', 'stopped')"
                                     " ORDER BY updated_at DESC, id LIMIT ?1 OFFSET ?2");
        if (opened->load && opened->list_all && opened->list_ended) return opened;
    }
    error = "cannot read " + quoted(file_) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result));
    return nullptr;
}

sqlite_store::reader_lease sqlite_store::borrow_reader() {
    {
        std::lock_guard const lock(readers_mutex_);
        if (!idle_readers_.empty()) {
            std::unique_ptr<reader> lent = std::move(idle_readers_.back());
            idle_readers_.pop_back();
            return reader_lease(*this, std::move(lent));
        }
    }
    std::string error;
    std::unique_ptr<reader> opened = open_reader(error);
    if (!opened) record_error(std::move(error));
    return reader_lease(*this, std::move(opened));
}

void sqlite_store::give_back(std::unique_ptr<reader> lent) noexcept {
    if (!lent) return;
    std::lock_guard const lock(readers_mutex_);
    try {
        idle_readers_.push_back(std::move(lent));
    } catch (...) {
        // Out of memory: the reader is closed instead of kept.
    }
}

std::optional<std::int64_t> sqlite_store::write(std::function<std::optional<std::int64_t>()> work) {
    write_job job(std::move(work));
    std::unique_lock lock(queue_mutex_);
    queue_.push_back(&job);
    queued_.notify_one();
    job.woken.wait(lock, [&job] { return job.done; });
    return job.result;
}

void sqlite_store::commit_queued() noexcept {
    std::unique_lock lock(queue_mutex_);
    for (;;) {
        queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        // Every method has returned before the destructor runs, so nothing is left queued.
        if (queue_.empty()) return;
        batch_.swap(queue_);
        lock.unlock();
        commit_batch(batch_);
        lock.lock();
        // Woken under the lock: once its writer sees `done`, the job is gone.
        for (write_job* const taken : batch_) {
            taken->done = true;
            taken->woken.notify_one();
        }
        batch_.clear();
    }
}

void sqlite_store::commit_batch(std::span<write_job* const> batch) noexcept {
    if (commit_together(batch) != transaction_end::failed || batch.size() == 1) return;
    for (write_job* const job : batch) commit_together(std::span(&job, 1));
}

sqlite_store::transaction_end sqlite_store::commit_together(std::span<write_job* const> jobs) noexcept {
    for (write_job* const job : jobs) job->result.reset();
    if (!run(begin_)) {
        record_error("write to", writer_.get());
        return transaction_end::not_begun;
    }
    bool all_ran = true;
    for (write_job* const job : jobs) {
        job->result = job->work();
        if (!job->result) {
            all_ran = false;
            break;
        }
    }
    if (all_ran && run(commit_)) return transaction_end::committed;
    record_error("write to", writer_.get());
    // Some errors (a full disk, an I/O error) end the transaction themselves.
    if (sqlite3_get_autocommit(writer_.get()) == 0) run(rollback_);
    for (write_job* const job : jobs) job->result.reset();
    return transaction_end::failed;
}

void sqlite_store::record_error(std::string_view action, sqlite3* db) noexcept {
    try {
        record_error("cannot " + std::string(action) + " " + quoted(file_) + ": " + sqlite3_errmsg(db));
    } catch (...) {
        record_out_of_memory();
    }
}

void sqlite_store::record_error(std::string message) noexcept {
    std::lock_guard const lock(error_mutex_);
    last_error_.swap(message);
}

void sqlite_store::record_out_of_memory() noexcept {
    std::lock_guard const lock(error_mutex_);
    last_error_ = "out of memory";  // short enough to need no allocation
}

store_outcome sqlite_store::create(const stored_intake& intake) {
    try {
        if (intake.revision != 0) {
            record_error("intake " + intake.id + " was given to create with revision " +
                         std::to_string(intake.revision) + "; a new intake has revision 0");
            return store_outcome::failed;
        }
        std::optional<std::int64_t> const inserted = write([this, &intake]() -> std::optional<std::int64_t> {
            statement_use const use(insert_);
            bind_intake(insert_.get(), intake);
            if (sqlite3_step(insert_.get()) != SQLITE_DONE) return std::nullopt;
            return sqlite3_changes64(writer_.get());
        });
        if (!inserted) return store_outcome::failed;
        // The insert does nothing when the id is taken.
        return *inserted == 1 ? store_outcome::done : store_outcome::taken;
    } catch (...) {
        record_out_of_memory();
        return store_outcome::failed;
    }
}

store_outcome sqlite_store::save(const stored_intake& intake) {
    try {
        if (intake.revision < 1) {
            record_error("intake " + intake.id + " was given to save with revision " + std::to_string(intake.revision) +
                         "; a saved intake has revision 1 or more");
            return store_outcome::failed;
        }
        std::optional<std::int64_t> const outcome = write([this, &intake]() -> std::optional<std::int64_t> {
            {
                statement_use const use(update_);
                bind_intake(update_.get(), intake);
                if (sqlite3_step(update_.get()) != SQLITE_DONE) return std::nullopt;
            }
            if (sqlite3_changes64(writer_.get()) == 1) return static_cast<std::int64_t>(store_outcome::done);
            // No row had the expected revision: tell a later save from a deletion.
            statement_use const use(exists_);
            bind_text(exists_.get(), 1, intake.id);
            switch (sqlite3_step(exists_.get())) {
                case SQLITE_ROW: return static_cast<std::int64_t>(store_outcome::conflict);
                case SQLITE_DONE: return static_cast<std::int64_t>(store_outcome::missing);
                default: return std::nullopt;
            }
        });
        return outcome ? static_cast<store_outcome>(*outcome) : store_outcome::failed;
    } catch (...) {
        record_out_of_memory();
        return store_outcome::failed;
    }
}

store_outcome sqlite_store::remove(std::string_view id) {
    try {
        std::optional<std::int64_t> const removed = write([this, &id]() -> std::optional<std::int64_t> {
            statement_use const use(delete_one_);
            bind_text(delete_one_.get(), 1, id);
            if (sqlite3_step(delete_one_.get()) != SQLITE_DONE) return std::nullopt;
            return sqlite3_changes64(writer_.get());
        });
        if (!removed) return store_outcome::failed;
        return *removed == 1 ? store_outcome::done : store_outcome::missing;
    } catch (...) {
        record_out_of_memory();
        return store_outcome::failed;
    }
}

std::optional<std::size_t> sqlite_store::remove_updated_before(std::int64_t cutoff) {
    try {
        std::optional<std::int64_t> const removed = write([this, cutoff]() -> std::optional<std::int64_t> {
            statement_use const use(delete_before_);
            bind_number(delete_before_.get(), 1, cutoff);
            if (sqlite3_step(delete_before_.get()) != SQLITE_DONE) return std::nullopt;
            return sqlite3_changes64(writer_.get());
        });
        if (!removed) return std::nullopt;
        return static_cast<std::size_t>(*removed);
    } catch (...) {
        record_out_of_memory();
        return std::nullopt;
    }
}

intake_lookup sqlite_store::load(std::string_view id) {
    intake_lookup lookup;
    try {
        reader_lease const lease = borrow_reader();
        if (!lease) {
            lookup.failed = true;
            return lookup;
        }
        sqlite3_stmt* const query = lease->load.get();
        statement_use const use(lease->load);
        bind_text(query, 1, id);
        int const result = sqlite3_step(query);
        if (result == SQLITE_DONE) return lookup;
        if (result != SQLITE_ROW) {
            record_error("read", lease->db.get());
            lookup.failed = true;
            return lookup;
        }
        stored_intake& intake = lookup.intake.emplace();
        intake.id = column_text(query, 0);
        intake.questionnaire_id = column_text(query, 1);
        intake.questionnaire_version = column_text(query, 2);
        intake.questionnaire_sha256 = column_text(query, 3);
        intake.language = column_text(query, 4);
        // The schema's CHECK admits only the statuses that `intake_status_named` knows.
        intake.status = intake_status_named(column_text(query, 5)).value_or(intake_status::in_progress);
        intake.state_json = column_text(query, 6);
        intake.notice_json = column_text(query, 7);
        intake.created_at = sqlite3_column_int64(query, 8);
        intake.updated_at = sqlite3_column_int64(query, 9);
        intake.revision = sqlite3_column_int64(query, 10);
        return lookup;
    } catch (...) {
        record_out_of_memory();
        lookup.intake.reset();
        lookup.failed = true;
        return lookup;
    }
}

std::optional<std::vector<intake_summary>> sqlite_store::list(const intake_filter& filter) {
    try {
        reader_lease const lease = borrow_reader();
        if (!lease) return std::nullopt;
        const statement& chosen = filter.ended_only ? lease->list_ended : lease->list_all;
        sqlite3_stmt* const query = chosen.get();
        statement_use const use(chosen);
        bind_number(query, 1, clamped(filter.limit));
        bind_number(query, 2, clamped(filter.offset));
        std::vector<intake_summary> summaries;
        int result = SQLITE_ROW;
        while ((result = sqlite3_step(query)) == SQLITE_ROW) {
            intake_summary& summary = summaries.emplace_back();
            summary.id = column_text(query, 0);
            summary.questionnaire_id = column_text(query, 1);
            summary.questionnaire_version = column_text(query, 2);
            summary.questionnaire_sha256 = column_text(query, 3);
            summary.language = column_text(query, 4);
            summary.status = intake_status_named(column_text(query, 5)).value_or(intake_status::in_progress);
            summary.created_at = sqlite3_column_int64(query, 6);
            summary.updated_at = sqlite3_column_int64(query, 7);
        }
        if (result == SQLITE_DONE) return summaries;
        record_error("read", lease->db.get());
        return std::nullopt;
    } catch (...) {
        record_out_of_memory();
        return std::nullopt;
    }
}

std::string sqlite_store::secret() {
    try {
        return secret_;
    } catch (...) {
        record_out_of_memory();
        return {};
    }
}

std::string sqlite_store::last_error() const {
    std::lock_guard const lock(error_mutex_);
    try {
        return last_error_;
    } catch (...) {
        return {};
    }
}

}  // namespace

std::unique_ptr<intake_store> open_sqlite_store(const std::filesystem::path& data_dir, std::string& error) {
    try {
        error.clear();
        // "data/" names the folder "data".
        std::filesystem::path const folder = data_dir.has_filename() ? data_dir : data_dir.parent_path();
        std::filesystem::path const file = folder / database_file_name;
        if (!make_data_folder(folder, error) || !make_database_file(file, error)) return nullptr;
        auto store = std::make_unique<sqlite_store>(file);
        if (!store->connect(error)) return nullptr;
        return store;
    } catch (const std::exception& failure) {
        error = std::string("cannot open the storage in '") + data_dir.string() + "': " + failure.what();
    } catch (...) {
        error = "cannot open the storage in '" + data_dir.string() + "'";
    }
    return nullptr;
}

}  // namespace stepcare::server
