#include "batch/ordered_batches.hpp"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace stepcare::cli {

namespace {

bool process_on_this_thread(record_line_reader& reader, const ordering_options& options,
                            const std::function<batch_processor()>& make_processor,
                            const std::function<bool(line_batch&)>& consume) {
    batch_processor const process = make_processor();
    line_batch batch;
    while (!reader.done()) {
        reader.fill(batch.input, options.max_lines, options.max_bytes);
        if (batch.input.lines.empty()) continue;
        process(batch);
        if (!consume(batch)) return false;
    }
    return true;
}

/// The batches in flight and the queues between the threads, under one lock: a batch
/// moves free -> (reader) -> work -> (worker) -> done -> (consumer) -> free.
class flow {
public:
    explicit flow(std::size_t window) : storage_(window), done_(window, nullptr) {
        for (auto& batch : storage_) {
            batch = std::make_unique<line_batch>();
            free_.push_back(batch.get());
        }
    }

    /// For the reader: a free batch, or null once stopped.
    line_batch* take_free() {
        std::unique_lock lock(mutex_);
        free_ready_.wait(lock, [&] { return stopped_ || !free_.empty(); });
        if (stopped_) return nullptr;
        line_batch* const batch = free_.back();
        free_.pop_back();
        return batch;
    }

    void give_back(line_batch* batch) {
        {
            std::lock_guard lock(mutex_);
            free_.push_back(batch);
        }
        free_ready_.notify_one();
    }

    void add_work(line_batch* batch) {
        {
            std::lock_guard lock(mutex_);
            batch->sequence = read_++;
            work_.push_back(batch);
        }
        work_ready_.notify_one();
    }

    void end_of_input() {
        {
            std::lock_guard lock(mutex_);
            input_ended_ = true;
        }
        work_ready_.notify_all();
        done_ready_.notify_all();
    }

    /// For a worker: the next batch to process, or null when there is none left.
    line_batch* take_work() {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stopped_ || !work_.empty() || input_ended_; });
        if (stopped_ || work_.empty()) return nullptr;
        line_batch* const batch = work_.front();
        work_.pop_front();
        return batch;
    }

    void finished(line_batch* batch) {
        {
            std::lock_guard lock(mutex_);
            // Sequences in flight lie within one window, so their slots never collide.
            done_[batch->sequence % done_.size()] = batch;
        }
        done_ready_.notify_one();
    }

    /// For the consumer: the batch that comes next in input order, or null at the end.
    line_batch* take_next() {
        std::unique_lock lock(mutex_);
        line_batch*& slot = done_[next_ % done_.size()];
        done_ready_.wait(lock, [&] { return slot != nullptr || (input_ended_ && next_ == read_); });
        line_batch* const batch = slot;
        slot = nullptr;
        if (batch != nullptr) ++next_;
        return batch;
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
        }
        free_ready_.notify_all();
        work_ready_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable free_ready_;
    std::condition_variable work_ready_;
    std::condition_variable done_ready_;
    std::vector<std::unique_ptr<line_batch>> storage_;
    std::vector<line_batch*> free_;
    std::deque<line_batch*> work_;
    std::vector<line_batch*> done_;  ///< by sequence modulo the window
    std::uint64_t read_ = 0;         ///< batches handed to the workers so far
    std::uint64_t next_ = 0;         ///< the sequence the consumer waits for
    bool input_ended_ = false;
    bool stopped_ = false;
};

}  // namespace

bool process_in_order(record_line_reader& reader, const ordering_options& options,
                      const std::function<batch_processor()>& make_processor,
                      const std::function<bool(line_batch&)>& consume) {
    if (options.jobs <= 1) return process_on_this_thread(reader, options, make_processor, consume);

    flow batches(2 * static_cast<std::size_t>(options.jobs) + 2);
    std::thread reading([&] {
        while (!reader.done()) {
            line_batch* const batch = batches.take_free();
            if (batch == nullptr) break;
            reader.fill(batch->input, options.max_lines, options.max_bytes);
            if (batch->input.lines.empty()) {
                batches.give_back(batch);
            } else {
                batches.add_work(batch);
            }
        }
        batches.end_of_input();
    });
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < options.jobs; ++i) {
        workers.emplace_back([&batches, process = make_processor()] {
            while (line_batch* const batch = batches.take_work()) {
                process(*batch);
                batches.finished(batch);
            }
        });
    }
    bool completed = true;
    while (line_batch* const batch = batches.take_next()) {
        if (!consume(*batch)) {
            completed = false;
            break;
        }
        batches.give_back(batch);
    }
    batches.stop();
    reading.join();
    for (std::thread& worker : workers) worker.join();
    return completed;
}

}  // namespace stepcare::cli
