#include "server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include "jsonrpc.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/format.hpp"
#include "stepcare/source_index.hpp"
#include "stepcare/version.hpp"
#include "text_document.hpp"

namespace stepcare::lsp {

namespace {

using nlohmann::json;
using clock_type = std::chrono::steady_clock;

/// How long typing must pause before the file's tests and invariants run.
constexpr std::chrono::milliseconds full_check_pause{400};

/// A `file:` URI's path, percent-decoded, for diagnostics to name the file as `check` does;
/// any other URI as it is.
std::string name_of(const std::string& uri) {
    std::string_view path = uri;
    if (path.rfind("file://", 0) != 0) return uri;
    path.remove_prefix(7);
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        auto const hex = [](char c) {
            return c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
        };
        if (path[i] == '%' && i + 2 < path.size() && hex(path[i + 1]) >= 0 && hex(path[i + 2]) >= 0) {
            out += static_cast<char>(hex(path[i + 1]) * 16 + hex(path[i + 2]));
            i += 2;
        } else {
            out += path[i];
        }
    }
    return out;
}

class server {
public:
    explicit server(std::ostream& out) : out_(out), checker_([this] { check_after_pauses(); }) {}

    ~server() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        checker_.join();
    }

    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Answers a request whose handling failed on its content.
    void failed(const json& id, const std::string& why) {
        send(error_response(id, invalid_params, std::string("the request's parameters are not as expected: ") + why));
    }

    /// Answers a message that could not be read.
    void malformed(const std::string& problem) { send(error_response(nullptr, parse_error, problem)); }

    /// Handles one message; returns the exit status once the client asked to exit.
    std::optional<int> handle(const json& message) {
        json const id = message.contains("id") ? message["id"] : json();
        bool const request = message.contains("id");
        auto const method = message.find("method");
        if (method == message.end() || !method->is_string()) {
            if (request) send(error_response(id, invalid_request, "a request needs a method"));
            return std::nullopt;  // a response to us, or nothing to answer
        }
        std::string const name = *method;
        // Parameters that are not an object are read as none, so a field read never throws.
        json const params =
            message.contains("params") && message["params"].is_object() ? message["params"] : json::object();
        if (name == "exit") return shut_down_ ? 0 : 1;
        if (!initialized_ && name != "initialize") {
            if (request) send(error_response(id, server_not_initialized, "the server is not initialized yet"));
            return std::nullopt;
        }
        if (shut_down_ && request) {
            send(error_response(id, invalid_request, "the server is shutting down"));
            return std::nullopt;
        }
        if (name == "initialize") {
            if (initialized_) {
                send(error_response(id, invalid_request, "the server is already initialized"));
            } else {
                reply(id, initialize(params));
            }
        } else if (name == "shutdown") {
            shut_down_ = true;
            reply(id, nullptr);
        } else if (name == "textDocument/didOpen") {
            opened(params);
        } else if (name == "textDocument/didChange") {
            changed(params);
        } else if (name == "textDocument/didClose") {
            closed(params);
        } else if (name == "textDocument/formatting") {
            formatting(id, params);
        } else if (name == "textDocument/prepareRename" || name == "textDocument/rename") {
            rename(name, id, params);
        } else if (name == "textDocument/codeAction") {
            code_actions(id, params);
        } else if (name == "textDocument/completion") {
            completion(id, params);
        } else if (name == "textDocument/documentSymbol" || name == "textDocument/foldingRange") {
            outline(name, id, params);
        } else if (name == "textDocument/hover" || name == "textDocument/definition" ||
                   name == "textDocument/references" || name == "textDocument/documentHighlight") {
            about_name(name, id, params);
        } else if (request) {
            send(error_response(id, method_not_found, "the server does not handle '" + name + "'"));
        }
        return std::nullopt;
    }

private:
    std::ostream& out_;
    std::mutex output_mutex_;
    position_encoding encoding_ = position_encoding::utf16;
    bool initialized_ = false;
    bool shut_down_ = false;
    /// Whether the check after a pause proves the invariants (`check --prove`) rather than
    /// sampling them; `initializationOptions.prove` may turn it off.
    std::atomic<bool> prove_ = true;

    std::mutex mutex_;  ///< guards what follows, which the checker thread shares
    std::map<std::string, text_document> documents_;
    struct pending_check {
        std::int64_t version;
        clock_type::time_point due;
    };
    std::map<std::string, pending_check> pending_;
    bool stopping_ = false;
    std::condition_variable wake_;
    std::thread checker_;

    void send(const json& message) {
        std::lock_guard lock(output_mutex_);
        write_message(out_, message);
    }

    void reply(const json& id, const json& result) { send({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}}); }

    json initialize(const json& params) {
        initialized_ = true;
        json const prove = params.value("/initializationOptions/prove"_json_pointer, json());
        if (prove.is_boolean()) prove_ = prove.get<bool>();
        // UTF-8 positions when the client can take them; UTF-16, the protocol's default, otherwise.
        json const offered = params.value("/capabilities/general/positionEncodings"_json_pointer, json::array());
        if (offered.is_array()) {
            for (const json& kind : offered) {
                if (kind == "utf-8") encoding_ = position_encoding::utf8;
            }
        }
        return {{"capabilities",
                 {{"positionEncoding", encoding_ == position_encoding::utf8 ? "utf-8" : "utf-16"},
                  {"textDocumentSync", {{"openClose", true}, {"change", 2}}},
                  {"documentFormattingProvider", true},
                  {"hoverProvider", true},
                  {"definitionProvider", true},
                  {"referencesProvider", true},
                  {"documentHighlightProvider", true},
                  {"documentSymbolProvider", true},
                  {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}},
                  {"renameProvider", {{"prepareProvider", true}}},
                  {"completionProvider", {{"triggerCharacters", json::array({"=", " ", "{"})}}},
                  {"foldingRangeProvider", true}}},
                {"serverInfo", {{"name", "stepcare"}, {"version", stepcare::version()}}}};
    }

    /// The document a request names, or nothing (then the request is answered with an error).
    static std::optional<std::string> uri_of(const json& params) {
        json const uri = params.value("/textDocument/uri"_json_pointer, json());
        if (!uri.is_string()) return std::nullopt;
        return uri.get<std::string>();
    }

    void opened(const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        json const text = params.value("/textDocument/text"_json_pointer, json());
        if (!uri || !text.is_string()) return;
        json const version_field = params.value("/textDocument/version"_json_pointer, json());
        std::int64_t const version = version_field.is_number_integer() ? version_field.get<std::int64_t>() : 0;
        std::string const source = text;
        {
            std::lock_guard lock(mutex_);
            documents_.insert_or_assign(*uri, text_document(source, version));
        }
        edited(*uri, source, version);
    }

    void changed(const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        json const changes = params.value("contentChanges", json());
        json const version_field = params.value("/textDocument/version"_json_pointer, json());
        if (!uri || !changes.is_array() || !version_field.is_number_integer()) return;
        std::int64_t const version = version_field;
        std::string source;
        {
            std::lock_guard lock(mutex_);
            auto const found = documents_.find(*uri);
            if (found == documents_.end()) return;  // never opened: nothing to change
            text_document& document = found->second;
            for (const json& change : changes) {
                if (!change.is_object() || !change.contains("text") || !change["text"].is_string()) continue;
                std::string const text = change["text"];
                if (!change.contains("range")) {
                    document.reset(text, version);
                    continue;
                }
                std::optional<position> const from = position_at(change["range"], "start");
                std::optional<position> const to = position_at(change["range"], "end");
                if (!from || !to) continue;
                document.replace(document.offset_of(*from, encoding_), document.offset_of(*to, encoding_), text,
                                 version);
            }
            source = document.text();
        }
        edited(*uri, source, version);
    }

    static std::optional<position> position_at(const json& range, const char* which) {
        if (!range.is_object() || !range.contains(which)) return std::nullopt;
        const json& p = range[which];
        if (!p.is_object() || !p.value("line", json()).is_number_unsigned() ||
            !p.value("character", json()).is_number_unsigned()) {
            return std::nullopt;
        }
        return position{p["line"].get<std::uint32_t>(), p["character"].get<std::uint32_t>()};
    }

    void closed(const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        if (!uri) return;
        {
            std::lock_guard lock(mutex_);
            documents_.erase(*uri);
            pending_.erase(*uri);
            indexes_.erase(*uri);
        }
        send({{"jsonrpc", "2.0"},
              {"method", "textDocument/publishDiagnostics"},
              {"params", {{"uri", *uri}, {"diagnostics", json::array()}}}});
    }

    /// After each edit: the syntax and checking diagnostics at once, from the index that
    /// hover and the other requests then read; those of the file's tests, invariants and
    /// proofs once typing pauses.
    void edited(const std::string& uri, const std::string& source, std::int64_t version) {
        source_index index = index_source(source, name_of(uri));
        std::vector<diagnostic> const quick = index.diagnostics;
        {
            std::lock_guard lock(mutex_);
            auto const document = documents_.find(uri);
            if (document != documents_.end() && document->second.version() == version) {
                keep_index(uri, version, std::move(index));
            }
            pending_[uri] = {version, clock_type::now() + full_check_pause};
        }
        publish(uri, version, quick);
        wake_.notify_all();
    }

    /// The checker thread: runs `check`'s full compilation of a document once no edit came
    /// for a pause, and publishes it unless the document changed meanwhile.
    void check_after_pauses() {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            if (pending_.empty()) {
                wake_.wait(lock);
                continue;
            }
            auto due = pending_.begin();
            for (auto at = pending_.begin(); at != pending_.end(); ++at) {
                if (at->second.due < due->second.due) due = at;
            }
            // A copy: while the lock is released an edit may replace or erase the entry.
            clock_type::time_point const when = due->second.due;
            if (clock_type::now() < when) {
                wake_.wait_until(lock, when);
                continue;
            }
            std::string const uri = due->first;
            std::int64_t const version = due->second.version;
            pending_.erase(due);
            auto const document = documents_.find(uri);
            if (document == documents_.end() || document->second.version() != version) continue;
            std::string const source = document->second.text();
            lock.unlock();
            // As `stepcare check` (with --prove unless the client turned proofs off).
            compile_options full;
            full.invariant_samples = 10000;
            full.prove = prove_;
            compile_result const result = compile_source(source, name_of(uri), full);
            lock.lock();
            auto const now = documents_.find(uri);
            if (now == documents_.end() || now->second.version() != version || pending_.count(uri) > 0) continue;
            lock.unlock();
            publish(uri, version, result.diagnostics);
            lock.lock();
        }
    }

    /// Publishes the diagnostics of `version`, unless the document has changed since. Sent
    /// under the lock, so that those of an older version can never follow a newer one's.
    void publish(const std::string& uri, std::int64_t version, const std::vector<diagnostic>& found) {
        std::lock_guard lock(mutex_);
        auto const document = documents_.find(uri);
        if (document == documents_.end() || document->second.version() != version) return;
        json diagnostics = json::array();
        for (const diagnostic& d : found) diagnostics.push_back(to_protocol(document->second, uri, d));
        send({{"jsonrpc", "2.0"},
              {"method", "textDocument/publishDiagnostics"},
              {"params", {{"uri", uri}, {"version", version}, {"diagnostics", diagnostics}}}});
    }

    /// The open document a request names. Otherwise, or when the request needs a position
    /// and has none, answers it with an error and gives nothing. The caller holds mutex_.
    const text_document* open_document(const json& id, const std::optional<std::string>& uri, bool has_position) {
        auto const document = uri ? documents_.find(*uri) : documents_.end();
        if (document == documents_.end()) {
            send(error_response(id, invalid_params, "the document is not open"));
            return nullptr;
        }
        if (!has_position) {
            send(error_response(id, invalid_params, "the request has no valid position"));
            return nullptr;
        }
        return &document->second;
    }

    /// A span of a document as the protocol's range.
    json range_json(const text_document& document, source_span span) const {
        position const from = document.position_of(span.begin, encoding_);
        position const to = document.position_of(span.end, encoding_);
        return {{"start", {{"line", from.line}, {"character", from.character}}},
                {"end", {{"line", to.line}, {"character", to.character}}}};
    }

    json range_of(const text_document& document, const diagnostic& d) const {
        auto const at = [&](std::uint32_t line, std::uint32_t column) {
            position const p = document.position_of(document.offset_of_code_points(line - 1, column - 1), encoding_);
            return json{{"line", p.line}, {"character", p.character}};
        };
        return {{"start", at(d.line, d.column)}, {"end", at(d.end_line, d.end_column)}};
    }

    json to_protocol(const text_document& document, const std::string& uri, const diagnostic& d) const {
        json out = {{"range", range_of(document, d)},
                    {"severity", d.level == severity::error     ? 1
                                 : d.level == severity::warning ? 2
                                                                : 3},
                    {"code", d.code},
                    {"source", "stepcare"},
                    {"message", d.message}};
        json related = json::array();
        for (const diagnostic& note : d.notes) {
            related.push_back(
                {{"location", {{"uri", uri}, {"range", range_of(document, note)}}}, {"message", note.message}});
        }
        if (!related.empty()) out["relatedInformation"] = related;
        return out;
    }

    /// The index of a document at its current version, and the latest one whose names were
    /// resolved: while a line is half typed the file does not parse, and completion still
    /// needs the names.
    struct indexed {
        std::int64_t version = -1;
        std::shared_ptr<const source_index> index;
        std::shared_ptr<const source_index> resolved;
    };
    std::map<std::string, indexed> indexes_;  ///< guarded by mutex_

    /// Keeps `index` as the index of `version`; the caller holds mutex_.
    void keep_index(const std::string& uri, std::int64_t version, source_index index) {
        indexed& entry = indexes_[uri];
        entry.version = version;
        entry.index = std::make_shared<const source_index>(std::move(index));
        if (entry.index->resolved) entry.resolved = entry.index;
    }

    /// The index of an open document; the caller holds mutex_.
    const source_index& index_of(const std::string& uri, const text_document& doc) {
        if (indexes_[uri].version != doc.version())
            keep_index(uri, doc.version(), index_source(doc.text(), name_of(uri)));
        return *indexes_[uri].index;
    }

    /// The names completion offers: those of the current index, or of the latest with
    /// resolved names; the caller holds mutex_.
    const source_index& names_of(const std::string& uri, const text_document& doc) {
        const source_index& current = index_of(uri, doc);
        const indexed& entry = indexes_[uri];
        return current.resolved || !entry.resolved ? current : *entry.resolved;
    }

    /// The place that names a definition at `offset` (its end included, where a cursor
    /// after a name stands), or the index's end.
    static std::vector<name_use>::const_iterator use_at(const source_index& index, std::uint32_t offset) {
        return std::find_if(index.uses.begin(), index.uses.end(),
                            [&](const name_use& use) { return use.span.begin <= offset && offset <= use.span.end; });
    }

    static int symbol_kind_of(definition_kind kind) {
        switch (kind) {
            case definition_kind::questionnaire: return 2;  // Module
            case definition_kind::source: return 14;        // Constant
            case definition_kind::option_set: return 10;    // Enum
            case definition_kind::option: return 22;        // EnumMember
            case definition_kind::section: return 3;        // Namespace
            case definition_kind::question: return 8;       // Field
            case definition_kind::let: return 13;           // Variable
            case definition_kind::outcome: return 24;       // Event
            case definition_kind::referral: return 24;      // Event
            case definition_kind::test: return 6;           // Method
            case definition_kind::invariant: return 17;     // Boolean
        }
        return 13;
    }

    /// The outline (definitions nested as in the file) and the folding ranges (every
    /// definition over several lines).
    void outline(const std::string& method, const json& id, const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        std::lock_guard lock(mutex_);
        const text_document* const open = open_document(id, uri, true);
        if (open == nullptr) return;
        const text_document& doc = *open;
        const source_index& index = index_of(*uri, doc);
        auto const range = [&](source_span span) { return range_json(doc, span); };
        if (method == "textDocument/foldingRange") {
            json folds = json::array();
            for (const definition& d : index.definitions) {
                position const from = doc.position_of(d.span.begin, encoding_);
                position const to = doc.position_of(d.span.end, encoding_);
                if (to.line > from.line) folds.push_back({{"startLine", from.line}, {"endLine", to.line}});
            }
            reply(id, folds);
            return;
        }
        // Children after their parents in the index, so one pass from the end nests them.
        std::vector<json> symbols(index.definitions.size());
        for (std::size_t i = 0; i < index.definitions.size(); ++i) {
            const definition& d = index.definitions[i];
            symbols[i] = {{"name", d.name.empty() ? "(unnamed)" : d.name},
                          {"detail", d.detail},
                          {"kind", symbol_kind_of(d.kind)},
                          {"range", range(d.span)},
                          {"selectionRange", range(d.name_span)},
                          {"children", json::array()}};
        }
        json roots = json::array();
        for (std::size_t i = index.definitions.size(); i-- > 0;) {
            std::size_t const parent = index.definitions[i].parent;
            json& into = parent < symbols.size() ? symbols[parent]["children"] : roots;
            into.insert(into.begin(), std::move(symbols[i]));
        }
        // In the order of the file at every level.
        auto const in_file_order = [](json& list, auto& self) -> void {
            std::sort(list.begin(), list.end(), [](const json& a, const json& b) {
                return std::make_pair(a["range"]["start"]["line"].get<std::uint32_t>(),
                                      a["range"]["start"]["character"].get<std::uint32_t>()) <
                       std::make_pair(b["range"]["start"]["line"].get<std::uint32_t>(),
                                      b["range"]["start"]["character"].get<std::uint32_t>());
            });
            for (json& symbol : list) self(symbol["children"], self);
        };
        in_file_order(roots, in_file_order);
        reply(id, roots);
    }

    /// Rename of a question, let, outcome, option, option set, section or source: every place
    /// that names it, refused when the file would then have errors (a clash with another
    /// name, a reserved word, a text that shows it as an argument).
    void rename(const std::string& method, const json& id, const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        std::optional<position> const at = position_at(params, "position");
        std::lock_guard lock(mutex_);
        const text_document* const open = open_document(id, uri, at.has_value());
        if (open == nullptr) return;
        const text_document& doc = *open;
        const source_index& index = index_of(*uri, doc);
        std::uint32_t const offset = doc.offset_of(*at, encoding_);
        auto const under = use_at(index, offset);
        auto const range = [&](source_span span) { return range_json(doc, span); };
        definition_kind const kind =
            under == index.uses.end() ? definition_kind::questionnaire : index.definitions[under->definition].kind;
        bool const renamable = kind != definition_kind::questionnaire && kind != definition_kind::referral &&
                               kind != definition_kind::test && kind != definition_kind::invariant;
        if (!renamable) {
            send(error_response(id, request_failed,
                                "only the name of a question, let, outcome, option, option set, section or source "
                                "can be renamed"));
            return;
        }
        if (method == "textDocument/prepareRename") {
            reply(id, {{"range", range(under->span)}, {"placeholder", index.definitions[under->definition].name}});
            return;
        }
        json const wanted = params.value("newName", json());
        if (!wanted.is_string()) {
            send(error_response(id, invalid_params, "the new name is missing"));
            return;
        }
        std::string const new_name = wanted;
        std::string renamed = doc.text();
        json edits = json::array();
        std::vector<source_span> spans;
        for (const name_use& use : index.uses) {
            if (use.definition == under->definition) spans.push_back(use.span);
        }
        for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
            renamed.replace(span->begin, span->end - span->begin, new_name);
            edits.push_back({{"range", range(*span)}, {"newText", new_name}});
        }
        std::vector<diagnostic> const after = index_source(renamed, name_of(*uri)).diagnostics;
        if (count(after, severity::error) > count(index.diagnostics, severity::error)) {
            auto const first_error = std::find_if(after.begin(), after.end(),
                                                  [](const diagnostic& d) { return d.level == severity::error; });
            send(error_response(id, request_failed,
                                "renaming it to '" + new_name + "' would give errors: " + first_error->message));
            return;
        }
        reply(id, {{"changes", {{*uri, edits}}}});
    }

    /// A quick fix for every diagnostic that suggests a name ("did you mean 'tried'?"): the
    /// name written in place of the wrong one. The diagnostic's range is the wrong name,
    /// except for a text that shows an unknown argument, where it is the whole string and
    /// the fix changes only the `{name}` the message quotes.
    void code_actions(const json& id, const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        json const diagnostics = params.value("/context/diagnostics"_json_pointer, json::array());
        std::lock_guard lock(mutex_);
        const text_document* const open = open_document(id, uri, true);
        if (open == nullptr) return;
        const text_document& doc = *open;
        json actions = json::array();
        static std::regex const suggestion(R"(did you mean '([A-Za-z_][A-Za-z0-9_]*)'\?)");
        static std::regex const shown(R"(shows \{([A-Za-z_][A-Za-z0-9_]*)\})");
        for (const json& d : diagnostics.is_array() ? diagnostics : json::array()) {
            if (!d.is_object() || !d.value("message", json()).is_string()) continue;
            std::optional<position> const from = position_at(d.value("range", json()), "start");
            std::optional<position> const to = position_at(d.value("range", json()), "end");
            std::string const message = d["message"];
            std::smatch suggested;
            if (!from || !to || !std::regex_search(message, suggested, suggestion)) continue;
            std::uint32_t begin = doc.offset_of(*from, encoding_);
            std::uint32_t end = std::max(begin, doc.offset_of(*to, encoding_));
            std::smatch argument;
            if (std::regex_search(message, argument, shown)) {
                // The `{name` inside the string, braces and spaces aside.
                std::string const within = doc.text().substr(begin, end - begin);
                std::regex const written("\\{\\s*(" + argument[1].str() + ")(?![A-Za-z0-9_])");
                std::smatch place;
                if (!std::regex_search(within, place, written)) continue;
                begin += static_cast<std::uint32_t>(place.position(1));
                end = begin + static_cast<std::uint32_t>(place.length(1));
            }
            std::string const name = suggested[1];
            actions.push_back(
                {{"title", "Change to '" + name + "'"},
                 {"kind", "quickfix"},
                 {"diagnostics", json::array({d})},
                 {"isPreferred", true},
                 {"edit",
                  {{"changes",
                    {{*uri, json::array({{{"range", range_json(doc, {begin, end})}, {"newText", name}}})}}}}}});
        }
        reply(id, actions);
    }

    /// Completion: after `==`, `!=`, `in {` or `has`, the options of the question on the
    /// other side; elsewhere the names of questions, lets, outcomes and sources, the
    /// keywords, and the builtins with their signatures.
    void completion(const json& id, const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        std::optional<position> const at = position_at(params, "position");
        std::lock_guard lock(mutex_);
        const text_document* const open = open_document(id, uri, at.has_value());
        if (open == nullptr) return;
        const text_document& doc = *open;
        const source_index& index = names_of(*uri, doc);
        std::string const& text = doc.text();
        std::uint32_t const offset = doc.offset_of(*at, encoding_);
        std::uint32_t word = offset;
        auto const identifier_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
        while (word > 0 && identifier_char(text[word - 1])) --word;
        std::uint32_t const line_start = doc.offset_of({at->line, 0}, encoding_);
        std::string const before = text.substr(line_start, word - std::min(word, line_start));

        json items = json::array();
        static std::regex const option_context(
            R"(([A-Za-z_][A-Za-z0-9_]*)\s*(?:(?:==|!=)\s*|\s+in\s*\{[^}]*|\s+has\s+)$)");
        std::smatch matched;
        if (std::regex_search(before, matched, option_context)) {
            for (const definition& d : index.definitions) {
                if (d.kind != definition_kind::question || d.name != matched[1].str() || d.options == SIZE_MAX)
                    continue;
                for (const definition& option : index.definitions) {
                    if (option.kind != definition_kind::option || option.parent != d.options) continue;
                    items.push_back({{"label", option.name},
                                     {"kind", 20},
                                     {"detail", option.detail},
                                     {"documentation", option.documentation}});
                }
            }
        } else {
            for (const definition& d : index.definitions) {
                int const kind = d.kind == definition_kind::question  ? 5
                                 : d.kind == definition_kind::let     ? 6
                                 : d.kind == definition_kind::outcome ? 23
                                 : d.kind == definition_kind::source  ? 21
                                                                      : 0;
                if (kind == 0) continue;
                items.push_back({{"label", d.name}, {"kind", kind}, {"detail", d.detail}});
            }
            for (const language_word& word : language_words()) {
                if (word.signature.empty()) {
                    items.push_back({{"label", word.word}, {"kind", 14}});
                } else {
                    items.push_back({{"label", word.word},
                                     {"kind", 3},
                                     {"detail", word.signature},
                                     {"documentation", word.documentation}});
                }
            }
        }
        reply(id, {{"isIncomplete", false}, {"items", items}});
    }

    /// Hover, definition, references and highlights: what the name under the cursor means.
    void about_name(const std::string& method, const json& id, const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        std::optional<position> const at = position_at(params, "position");
        std::lock_guard lock(mutex_);
        const text_document* const open = open_document(id, uri, at.has_value());
        if (open == nullptr) return;
        const text_document& doc = *open;
        const source_index& index = index_of(*uri, doc);
        std::uint32_t const offset = doc.offset_of(*at, encoding_);
        auto const under = use_at(index, offset);
        if (under == index.uses.end()) {
            reply(id, method == "textDocument/references" || method == "textDocument/documentHighlight"
                          ? json::array()
                          : json(nullptr));
            return;
        }
        const definition& meant = index.definitions[under->definition];
        auto const range = [&](source_span span) { return range_json(doc, span); };
        if (method == "textDocument/hover") {
            std::string text = "**" + meant.name + "**: " + meant.detail;
            if (!meant.documentation.empty()) text += "\n\n" + meant.documentation;
            reply(id, {{"contents", {{"kind", "markdown"}, {"value", text}}}, {"range", range(under->span)}});
            return;
        }
        if (method == "textDocument/definition") {
            reply(id, {{"uri", *uri}, {"range", range(meant.name_span)}});
            return;
        }
        bool const with_declaration = params.value("/context/includeDeclaration"_json_pointer, json(true)) == true;
        json found = json::array();
        for (const name_use& use : index.uses) {
            if (use.definition != under->definition) continue;
            if (method == "textDocument/references") {
                if (use.is_definition && !with_declaration) continue;
                found.push_back({{"uri", *uri}, {"range", range(use.span)}});
            } else {
                found.push_back({{"range", range(use.span)}, {"kind", use.is_definition ? 3 : 2}});
            }
        }
        reply(id, found);
    }

    void formatting(const json& id, const json& params) {
        std::optional<std::string> const uri = uri_of(params);
        std::string source;
        json whole_end;
        {
            std::lock_guard lock(mutex_);
            const text_document* const open = open_document(id, uri, true);
            if (open == nullptr) return;
            source = open->text();
            position const end = open->position_of(static_cast<std::uint32_t>(source.size()), encoding_);
            whole_end = {{"line", end.line}, {"character", end.character}};
        }
        format_result const result = format_source(source, name_of(*uri));
        if (!result.formatted) {
            send(error_response(id, request_failed, "the file has errors, so it is not formatted; correct them first"));
            return;
        }
        if (*result.formatted == source) {
            reply(id, json::array());
            return;
        }
        json const whole = {{"start", {{"line", 0}, {"character", 0}}}, {"end", whole_end}};
        reply(id, json::array({{{"range", whole}, {"newText", *result.formatted}}}));
    }
};

}  // namespace

int serve(std::istream& in, std::ostream& out) {
    server handler(out);
    while (true) {
        incoming const message = read_message(in);
        if (message.what == incoming::kind::end) return 1;  // the client went away without `exit`
        if (message.what == incoming::kind::malformed) {
            handler.malformed(message.problem);
            continue;
        }
        try {
            if (std::optional<int> const status = handler.handle(message.body)) return *status;
        } catch (const nlohmann::json::exception& problem) {
            // A field of the wrong type somewhere the handlers did not expect one.
            if (message.body.contains("id")) handler.failed(message.body["id"], problem.what());
        }
    }
}

}  // namespace stepcare::lsp
