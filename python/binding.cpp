// The native part of the Python package `stepcare` (docs/python.md): the engine's public API
// as a few plain functions and classes. Results cross as their JSON lines, the bytes
// `stepcare eval` writes, which stepcare/__init__.py reads into Python objects only when
// asked; the package's Pythonic surface is written in Python over this.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "stepcare/batch.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/diagnostic.hpp"
#include "stepcare/questionnaire.hpp"
#include "stepcare/session.hpp"
#include "stepcare/version.hpp"

namespace py = pybind11;

namespace {

py::dict diagnostic_dict(const stepcare::diagnostic& d) {
    py::list notes;
    for (const stepcare::diagnostic& note : d.notes) notes.append(diagnostic_dict(note));
    py::dict out;
    out["file"] = d.file;
    out["line"] = d.line;
    out["column"] = d.column;
    out["end_line"] = d.end_line;
    out["end_column"] = d.end_column;
    out["severity"] = stepcare::to_string(d.level);
    out["code"] = d.code;
    out["message"] = d.message;
    out["notes"] = notes;
    return out;
}

/// (the questionnaire or None, its diagnostics as dicts).
py::tuple compiled(const stepcare::compile_result& result) {
    py::list diagnostics;
    for (const stepcare::diagnostic& d : result.diagnostics) diagnostics.append(diagnostic_dict(d));
    if (result.compiled) return py::make_tuple(py::cast(*result.compiled), diagnostics);
    return py::make_tuple(py::none(), diagnostics);
}

const char* kind_name(stepcare::question_kind kind) {
    switch (kind) {
        case stepcare::question_kind::yesno: return "yesno";
        case stepcare::question_kind::choice: return "choice";
        case stepcare::question_kind::multi: return "multi";
        case stepcare::question_kind::integer: return "integer";
        case stepcare::question_kind::decimal: return "decimal";
        case stepcare::question_kind::text: return "text";
    }
    return "";
}

py::object question_dict(const std::optional<stepcare::question_view>& q) {
    if (!q) return py::none();
    py::list options;
    for (const stepcare::option_view& option : q->options) {
        py::dict o;
        o["id"] = option.id;
        o["label"] = option.label;
        o["key"] = option.key;
        options.append(o);
    }
    py::dict out;
    out["id"] = q->id;
    out["kind"] = kind_name(q->kind);
    out["optional"] = q->optional;
    out["section"] = q->section_id.empty() ? py::object(py::none()) : py::cast(q->section_id);
    out["ask"] = q->ask;
    out["help"] = q->help;
    out["unit"] = q->unit;
    out["options"] = options;
    bool const numeric = q->kind == stepcare::question_kind::integer || q->kind == stepcare::question_kind::decimal;
    out["min"] = numeric ? py::cast(q->min) : py::object(py::none());
    out["max"] = numeric ? py::cast(q->max) : py::object(py::none());
    out["max_length"] = q->max_length ? py::cast(*q->max_length) : py::object(py::none());
    return out;
}

py::dict feedback_dict(const stepcare::answer_feedback& f) {
    py::list set_aside;
    for (const stepcare::set_aside_answer& a : f.set_aside) set_aside.append(py::make_tuple(a.question, a.message));
    py::dict out;
    out["accepted"] = f.accepted;
    out["message"] = f.message;
    out["set_aside"] = set_aside;
    out["urgent"] = f.urgent;
    return out;
}

/// The bytes of a line given as str (its UTF-8) or bytes, valid while the object lives.
std::string_view text_of(py::handle line, std::size_t number) {
    if (PyBytes_Check(line.ptr())) {
        return {PyBytes_AS_STRING(line.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(line.ptr()))};
    }
    if (PyUnicode_Check(line.ptr())) {
        Py_ssize_t size = 0;
        const char* text = PyUnicode_AsUTF8AndSize(line.ptr(), &size);
        if (text == nullptr) throw py::error_already_set();
        return {text, static_cast<std::size_t>(size)};
    }
    throw py::type_error("record " + std::to_string(number) + " is a " +
                         std::string(py::str(py::type::of(line).attr("__name__"))) + "; give a dict or a line of JSON");
}

/// Evaluates chunks of records on `jobs` threads while Python does something else: the
/// records of a chunk are cut into `jobs` runs evaluated side by side, each by a batch
/// evaluator of its own that keeps its caches from chunk to chunk and writes its results
/// one after another into a buffer it reuses, as `stepcare eval` does; they come back in
/// the records' order. One chunk is evaluated at a time; `submit` returns at once and
/// `collect` waits for it, without the GIL. The thread that submits owns the chunk: the
/// workers only read it, and allocate and free nothing of it.
class batch_runner {
public:
    batch_runner(const stepcare::questionnaire& q, const stepcare::batch_options& options, unsigned jobs) {
        for (unsigned i = 0; i < std::max(jobs, 1u); ++i) workers_.push_back(std::make_unique<worker>(q, options));
    }

    ~batch_runner() {
        py::gil_scoped_release unlocked;  // a worker may still be finishing a chunk
        for (auto& w : workers_) w->stop();
    }

    batch_runner(const batch_runner&) = delete;
    batch_runner& operator=(const batch_runner&) = delete;

    /// Starts evaluating `lines`: JSON lines as str or bytes, numbered from `first_number`
    /// as `stepcare eval` numbers input lines. As there, a blank line gives no result and a
    /// line over the limit is not read but gets an invalid result naming its number.
    void submit(const py::list& lines, std::size_t first_number) {
        if (pending_) throw std::logic_error("a chunk is already being evaluated; collect it first");
        chunk_.records.clear();
        chunk_.rejections.clear();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::string_view line = text_of(lines[i], first_number + i);
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
            if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
            if (line.size() > max_record_bytes) {
                chunk_.records.emplace_back();
                chunk_.rejections.push_back("line " + std::to_string(first_number + i) + " is longer than " +
                                            std::to_string(max_record_bytes) +
                                            " bytes, the most a record may take; it was not read");
                continue;
            }
            chunk_.records.emplace_back(line);
            chunk_.rejections.emplace_back();
        }
        std::size_t const n = chunk_.records.size();
        std::size_t const per = (n + workers_.size() - 1) / workers_.size();
        for (std::size_t i = 0; i < workers_.size(); ++i) {
            workers_[i]->start(&chunk_, std::min(n, i * per), std::min(n, (i + 1) * per));
        }
        pending_ = true;
    }

    /// The results of the chunk submitted last, as JSON lines (bytes) in order.
    py::list collect() {
        if (!pending_) throw std::logic_error("no chunk is being evaluated; submit one first");
        {
            py::gil_scoped_release unlocked;
            for (auto& w : workers_) w->wait();
        }
        pending_ = false;
        py::list results(chunk_.records.size());
        std::size_t k = 0;
        for (auto& w : workers_) {
            std::size_t from = 0;
            for (std::size_t const to : w->ends()) {
                results[k++] = py::bytes(w->output().data() + from, to - from);
                from = to;
            }
        }
        return results;
    }

    /// The most bytes one record may take, as for `stepcare eval` (docs/limits.md).
    static constexpr std::size_t max_record_bytes = 1048576;

private:
    struct chunk {
        std::vector<std::string> records;
        std::vector<std::string> rejections;  ///< non-empty: the record was not read, and why
    };

    class worker {
    public:
        worker(const stepcare::questionnaire& q, const stepcare::batch_options& options)
            : evaluator_(q, options), thread_([this] { run(); }) {}

        void start(const chunk* c, std::size_t begin, std::size_t end) {
            {
                std::lock_guard lock(mutex_);
                chunk_ = c;
                begin_ = begin;
                end_ = end;
                busy_ = true;
            }
            wake_.notify_all();
        }

        void wait() {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return !busy_; });
        }

        void stop() {
            {
                std::lock_guard lock(mutex_);
                stopping_ = true;
            }
            wake_.notify_all();
            thread_.join();
        }

        /// The results of its run of the last chunk, one after another, and where each ends.
        const std::string& output() const { return output_; }
        const std::vector<std::size_t>& ends() const { return ends_; }

    private:
        stepcare::batch_evaluator evaluator_;
        std::string output_;
        std::vector<std::size_t> ends_;
        std::mutex mutex_;
        std::condition_variable wake_;
        const chunk* chunk_ = nullptr;
        std::size_t begin_ = 0;
        std::size_t end_ = 0;
        bool busy_ = false;
        bool stopping_ = false;
        std::thread thread_;  ///< last: it starts once the rest is ready

        void run() {
            std::unique_lock lock(mutex_);
            while (true) {
                wake_.wait(lock, [this] { return busy_ || stopping_; });
                if (stopping_ && !busy_) return;
                lock.unlock();
                output_.clear();
                ends_.clear();
                for (std::size_t i = begin_; i < end_; ++i) {
                    if (!chunk_->rejections[i].empty()) {
                        evaluator_.reject(chunk_->rejections[i], output_);
                    } else {
                        evaluator_.evaluate(chunk_->records[i], output_);
                    }
                    ends_.push_back(output_.size());
                }
                lock.lock();
                busy_ = false;
                wake_.notify_all();
            }
        }
    };

    std::vector<std::unique_ptr<worker>> workers_;
    chunk chunk_;
    bool pending_ = false;
};

}  // namespace

PYBIND11_MODULE(_stepcare, m) {
    m.doc() = "The native part of the stepcare package; use the package itself (docs/python.md).";
    m.attr("engine_version") = stepcare::version();

    py::class_<stepcare::questionnaire>(m, "Compiled")
        .def_property_readonly("id", &stepcare::questionnaire::id)
        .def_property_readonly("version", &stepcare::questionnaire::version)
        .def_property_readonly("sha256", &stepcare::questionnaire::sha256)
        .def_property_readonly("languages", &stepcare::questionnaire::languages)
        .def("title", &stepcare::questionnaire::title, py::arg("language") = "")
        .def("description", &stepcare::questionnaire::description, py::arg("language") = "")
        .def("question_ids", &stepcare::questionnaire::question_ids)
        .def("question",
             [](const stepcare::questionnaire& q, const std::string& id, const std::string& language) {
                 return question_dict(stepcare::session(q, language).question(id));
             })
        .def(
            "evaluate_json",
            [](const stepcare::questionnaire& q, const std::string& record, const std::string& language,
               bool with_texts) {
                std::string out;
                {
                    py::gil_scoped_release unlocked;
                    q.evaluate_json(record, out, language, nullptr,
                                    with_texts ? stepcare::result_texts::full : stepcare::result_texts::none);
                }
                return py::bytes(out);
            },
            py::arg("record"), py::arg("language") = "", py::arg("with_texts") = true)
        .def(
            "explain",
            [](const stepcare::questionnaire& q, const std::string& record, const std::string& language) {
                py::gil_scoped_release unlocked;
                return q.explain(record, language);
            },
            py::arg("record"), py::arg("language") = "");

    m.def(
        "compile_source",
        [](const std::string& source, const std::string& name) {
            std::optional<stepcare::compile_result> result;
            {
                py::gil_scoped_release unlocked;
                result = stepcare::compile_source(source, name);
            }
            return compiled(*result);
        },
        py::arg("source"), py::arg("name"));
    m.def(
        "compile_file",
        [](const std::string& path) {
            std::optional<stepcare::compile_result> result;
            {
                py::gil_scoped_release unlocked;
                result = stepcare::compile_file(path);
            }
            return compiled(*result);
        },
        py::arg("path"));

    py::class_<stepcare::session>(m, "Session")
        .def(py::init<stepcare::questionnaire, std::string>(), py::arg("questionnaire"), py::arg("language") = "")
        .def_property_readonly("language", &stepcare::session::language)
        .def("current", [](const stepcare::session& s) { return question_dict(s.current()); })
        .def("answer_json",
             [](stepcare::session& s, const std::string& json) { return feedback_dict(s.answer_json(json)); })
        .def("skip", [](stepcare::session& s) { return feedback_dict(s.skip()); })
        .def("back", &stepcare::session::back)
        .def_property_readonly("finished", &stepcare::session::finished)
        .def_property_readonly("stopped", &stepcare::session::stopped)
        .def("result_json", [](const stepcare::session& s) { return py::bytes(stepcare::to_json(s.current_result())); })
        .def("save_json", &stepcare::session::save_json)
        .def("restore_json", [](stepcare::session& s, const std::string& json) {
            py::list errors;
            for (const stepcare::answer_error& e : s.restore_json(json)) {
                errors.append(py::make_tuple(e.question ? py::cast(*e.question) : py::object(py::none()), e.message));
            }
            return errors;
        });

    py::class_<batch_runner>(m, "BatchRunner")
        .def(py::init([](const stepcare::questionnaire& q, const std::string& language, bool with_answers,
                         bool with_texts, unsigned jobs) {
                 stepcare::batch_options options;
                 options.language = language;
                 options.with_answers = with_answers;
                 options.texts = with_texts ? stepcare::result_texts::full : stepcare::result_texts::none;
                 return std::make_unique<batch_runner>(q, options, jobs);
             }),
             py::arg("questionnaire"), py::arg("language"), py::arg("with_answers"), py::arg("with_texts"),
             py::arg("jobs"))
        .def("submit", &batch_runner::submit, py::arg("lines"), py::arg("first_number"))
        .def("collect", &batch_runner::collect);
}
