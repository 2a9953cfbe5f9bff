// The native part of the Python package `stepcare` (docs/python.md): the engine's public API
// as a few plain functions and classes. Results cross as their JSON lines, the bytes
// `stepcare eval` writes, which stepcare/__init__.py reads into Python objects only when
// asked; the package's Pythonic surface is written in Python over this.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <limits>
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
#include "stepcare/record_lines.hpp"
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

/// The bytes of a line given as str (its UTF-8) or bytes, valid while the object lives (a
/// str keeps its UTF-8 form once asked for it); none for any other object.
std::optional<std::string_view> text_of(py::handle line) {
    if (PyBytes_Check(line.ptr())) {
        return std::string_view{PyBytes_AS_STRING(line.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(line.ptr()))};
    }
    if (PyUnicode_Check(line.ptr())) {
        Py_ssize_t size = 0;
        const char* text = PyUnicode_AsUTF8AndSize(line.ptr(), &size);
        if (text == nullptr) throw py::error_already_set();
        return std::string_view{text, static_cast<std::size_t>(size)};
    }
    return std::nullopt;
}

/// The records of one chunk, read where they are: in the objects of the list given (or in
/// the lines made of them) or in the lines read from a file, which the chunk keeps.
struct record_chunk {
    struct record {
        std::string_view text;
        std::uint64_t too_long_line = 0;  ///< not 0: the record was a line over the limit, not read
    };
    py::object given;
    py::list made_lines;
    stepcare::record_lines read;
    std::vector<record> records;
};

/// A chunk of the objects of `lines`: JSON lines as str or bytes, numbered from
/// `first_number` as `stepcare eval` numbers input lines; any other object is given to
/// `to_line` with its number, which returns its line or raises. As in `eval`, a blank line
/// gives no result and a line over the limit is not read but gets an invalid result.
std::shared_ptr<record_chunk> chunk_of(const py::list& lines, std::size_t first_number, const py::function& to_line) {
    auto chunk = std::make_shared<record_chunk>();
    chunk->given = lines;
    chunk->records.reserve(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::optional<std::string_view> text = text_of(lines[i]);
        if (!text) {
            py::object made = to_line(lines[i], first_number + i);
            text = text_of(made);
            if (!text) throw py::type_error("to_line gave neither str nor bytes");
            chunk->made_lines.append(made);
        }
        std::string_view line = *text;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        if (line.size() > stepcare::max_record_line_bytes) {
            chunk->records.push_back({{}, first_number + i});
        } else {
            chunk->records.push_back({line, 0});
        }
    }
    return chunk;
}

/// Reads a binary file object in chunks of lines, through the engine's reader of record
/// lines, as `stepcare eval` reads its input: no Python object per line. It calls the
/// file's `readinto1` (or `readinto`) with the GIL held; the file releases it to wait.
class line_reader {
public:
    explicit line_reader(const py::object& file)
        : readinto_(py::hasattr(file, "readinto1") ? file.attr("readinto1") : file.attr("readinto")),
          reader_(stepcare::record_source{[this](char* into, std::size_t size) { return read(into, size); }, {}}) {}

    /// The next chunk of at most `max_lines` records, or None at the end of the file.
    std::shared_ptr<record_chunk> next(std::size_t max_lines) {
        auto chunk = std::make_shared<record_chunk>();
        chunk->read.text.reserve(last_size_);
        do {
            reader_.fill(chunk->read, max_lines, std::numeric_limits<std::size_t>::max());
            if (failure_) {
                py::error_already_set failure = std::move(*failure_);
                failure_.reset();
                throw failure;
            }
        } while (chunk->read.lines.empty() && !reader_.done());
        if (chunk->read.lines.empty()) return nullptr;
        last_size_ = chunk->read.text.size();
        chunk->records.reserve(chunk->read.lines.size());
        for (const stepcare::record_line& line : chunk->read.lines) {
            chunk->records.push_back({chunk->read.text_of(line), line.too_long ? line.number : 0});
        }
        return chunk;
    }

private:
    py::object readinto_;
    std::optional<py::error_already_set> failure_;
    std::size_t last_size_ = 0;
    stepcare::record_line_reader reader_;  ///< last: its source reads through the members above

    /// The engine's source: a Python exception ends the input, and `next` raises it.
    std::ptrdiff_t read(char* into, std::size_t size) {
        try {
            py::object const n = readinto_(py::memoryview::from_memory(into, static_cast<py::ssize_t>(size)));
            if (!n.is_none()) return n.cast<std::ptrdiff_t>();
            PyErr_SetString(PyExc_ValueError, "the file has no data ready (it is non-blocking); give a blocking one");
            failure_.emplace();
        } catch (py::error_already_set& failure) {
            failure_ = std::move(failure);
        } catch (const std::exception& failure) {  // readinto returned something else than a count
            PyErr_SetString(PyExc_TypeError, failure.what());
            failure_.emplace();
        }
        return -EIO;
    }
};

/// Evaluates chunks of records on `jobs` threads while Python does something else. The
/// threads take the records of a chunk a slice at a time, so that they finish together
/// whatever the records cost; each has a batch evaluator of its own that keeps its caches
/// from chunk to chunk and writes its results one after another into a buffer it reuses,
/// as `stepcare eval` does, noting where each record's result is. One chunk is evaluated
/// at a time; `submit` returns at once and `collect` waits for it, without the GIL, and
/// gives the results in the records' order. The runner keeps the chunk until then: the
/// workers only read it, and allocate and free nothing of it.
class batch_runner {
public:
    batch_runner(const stepcare::questionnaire& q, const stepcare::batch_options& options, unsigned jobs) {
        for (unsigned i = 0; i < std::max(jobs, 1u); ++i) workers_.push_back(std::make_unique<worker>(q, options, i));
    }

    ~batch_runner() {
        py::gil_scoped_release unlocked;  // a worker may still be finishing a chunk
        for (auto& w : workers_) w->stop();
    }

    batch_runner(const batch_runner&) = delete;
    batch_runner& operator=(const batch_runner&) = delete;

    /// Starts evaluating `chunk`.
    void submit(std::shared_ptr<record_chunk> chunk) {
        if (chunk_) throw std::logic_error("a chunk is already being evaluated; collect it first");
        chunk_ = std::move(chunk);
        places_.resize(chunk_->records.size());
        next_.store(0, std::memory_order_relaxed);
        for (auto& w : workers_) w->start(work{chunk_.get(), &next_, places_.data()});
    }

    /// The results of the chunk submitted last, as JSON lines (bytes) in order.
    py::list collect() {
        if (!chunk_) throw std::logic_error("no chunk is being evaluated; submit one first");
        {
            py::gil_scoped_release unlocked;
            for (auto& w : workers_) w->wait();
        }
        chunk_.reset();
        py::list results(places_.size());
        for (std::size_t i = 0; i < places_.size(); ++i) {
            const place& at = places_[i];
            results[i] = py::bytes(workers_[at.worker]->output().data() + at.begin, at.end - at.begin);
        }
        return results;
    }

private:
    /// Where a record's result is: in which worker's output, from where to where.
    struct place {
        std::size_t worker = 0;
        std::size_t begin = 0;
        std::size_t end = 0;
    };

    /// A chunk as the workers share it: each takes the next slice of records from `next`
    /// and notes where each result went in `places` (its own entries only).
    struct work {
        const record_chunk* chunk = nullptr;
        std::atomic<std::size_t>* next = nullptr;
        place* places = nullptr;
    };

    /// Records a worker takes at a time: small enough that the workers finish a chunk
    /// together, large enough that taking them costs nothing beside evaluating them.
    static constexpr std::size_t slice = 16;

    class worker {
    public:
        worker(const stepcare::questionnaire& q, const stepcare::batch_options& options, std::size_t number)
            : evaluator_(q, options), number_(number), thread_([this] { run(); }) {}

        void start(const work& w) {
            {
                std::lock_guard lock(mutex_);
                work_ = w;
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

        /// The results it wrote for the last chunk, one after another.
        const std::string& output() const { return output_; }

    private:
        stepcare::batch_evaluator evaluator_;
        std::size_t number_;
        std::string output_;
        std::mutex mutex_;
        std::condition_variable wake_;
        work work_;
        bool busy_ = false;
        bool stopping_ = false;
        std::thread thread_;  ///< last: it starts once the rest is ready

        void run() {
            std::unique_lock lock(mutex_);
            while (true) {
                wake_.wait(lock, [this] { return busy_ || stopping_; });
                if (stopping_ && !busy_) return;
                lock.unlock();
                evaluate_slices();
                lock.lock();
                busy_ = false;
                wake_.notify_all();
            }
        }

        void evaluate_slices() {
            output_.clear();
            const std::vector<record_chunk::record>& records = work_.chunk->records;
            for (;;) {
                std::size_t const first = work_.next->fetch_add(slice, std::memory_order_relaxed);
                if (first >= records.size()) return;
                for (std::size_t i = first; i < std::min(records.size(), first + slice); ++i) {
                    std::size_t const begin = output_.size();
                    if (records[i].too_long_line != 0) {
                        evaluator_.reject(stepcare::too_long_line_message(records[i].too_long_line), output_);
                    } else {
                        evaluator_.evaluate(records[i].text, output_);
                    }
                    work_.places[i] = {number_, begin, output_.size()};
                }
            }
        }
    };

    std::vector<std::unique_ptr<worker>> workers_;
    std::shared_ptr<record_chunk> chunk_;  ///< the chunk being evaluated
    std::atomic<std::size_t> next_{0};     ///< the first of its records no worker has taken yet
    std::vector<place> places_;            ///< where each of its records' results is
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

    py::class_<record_chunk, std::shared_ptr<record_chunk>>(m, "Chunk");
    m.def("chunk_of", &chunk_of, py::arg("lines"), py::arg("first_number"), py::arg("to_line"));
    py::class_<line_reader>(m, "LineReader")
        .def(py::init<py::object>(), py::arg("file"))
        .def("next", &line_reader::next, py::arg("max_lines"));

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
        .def("submit", &batch_runner::submit, py::arg("chunk"))
        .def("collect", &batch_runner::collect);
}
