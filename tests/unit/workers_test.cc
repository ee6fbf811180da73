// workers_test.cc — the worker pool: every job runs exactly once, FIFO with
// one worker, free drains the queue, and submissions after free starts are
// refused.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "server/transport/workers.h"

namespace {

struct Counter {
  std::atomic<int> *slots;
  int index;
};

void Bump(void *arg) {
  auto *c = static_cast<Counter *>(arg);
  c->slots[c->index].fetch_add(1);
}

TEST(Workers, EveryJobRunsExactlyOnce) {
  constexpr int kJobs = 20000;
  std::vector<std::atomic<int>> slots(kJobs);
  std::vector<Counter> args(kJobs);
  nu_workers *w = nu_workers_new(4);
  ASSERT_NE(w, nullptr);
  // Submitted from several threads at once.
  std::vector<std::thread> submitters;
  for (int t = 0; t < 4; t++) {
    submitters.emplace_back([&, t] {
      for (int i = t; i < kJobs; i += 4) {
        args[i] = {slots.data(), i};
        ASSERT_EQ(nu_workers_submit(w, Bump, &args[i]), 0);
      }
    });
  }
  for (auto &s : submitters) s.join();
  nu_workers_free(w);
  for (int i = 0; i < kJobs; i++) ASSERT_EQ(slots[i].load(), 1) << "job " << i;
}

struct Log {
  std::mutex mu;
  std::vector<int> order;
};

struct Entry {
  Log *log;
  int n;
};

void Append(void *arg) {
  auto *e = static_cast<Entry *>(arg);
  std::lock_guard<std::mutex> lock(e->log->mu);
  e->log->order.push_back(e->n);
}

TEST(Workers, FifoWithOneWorker) {
  Log log;
  std::vector<Entry> entries(1000);
  nu_workers *w = nu_workers_new(1);
  ASSERT_NE(w, nullptr);
  for (int i = 0; i < 1000; i++) {
    entries[i] = {&log, i};
    ASSERT_EQ(nu_workers_submit(w, Append, &entries[i]), 0);
  }
  nu_workers_free(w);
  ASSERT_EQ(log.order.size(), 1000u);
  for (int i = 0; i < 1000; i++) ASSERT_EQ(log.order[i], i);
}

// A job that holds the only worker until released, so that everything
// submitted meanwhile is still queued when free starts.
struct Gate {
  std::atomic<bool> started{false};
  std::atomic<bool> open{false};
};

void Wait(void *arg) {
  auto *g = static_cast<Gate *>(arg);
  g->started = true;
  while (!g->open) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Nothing(void *) {}

TEST(Workers, FreeDrainsTheQueue) {
  Gate gate;
  constexpr int kQueued = 500;
  std::vector<std::atomic<int>> slots(kQueued);
  std::vector<Counter> args(kQueued);
  nu_workers *w = nu_workers_new(1);
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(nu_workers_submit(w, Wait, &gate), 0);
  while (!gate.started) std::this_thread::yield();
  for (int i = 0; i < kQueued; i++) {
    args[i] = {slots.data(), i};
    ASSERT_EQ(nu_workers_submit(w, Bump, &args[i]), 0);
  }
  std::thread freer([w] { nu_workers_free(w); });
  // Free has started once the pool refuses work (what it accepted before
  // is a no-op).
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (nu_workers_submit(w, Nothing, nullptr) == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
  }
  for (int i = 0; i < kQueued; i++) EXPECT_EQ(slots[i].load(), 0) << "still held by the gate";
  gate.open = true;
  freer.join();
  for (int i = 0; i < kQueued; i++) ASSERT_EQ(slots[i].load(), 1) << "job " << i;
}

// A job keeps submitting until refused: once free has started the pool
// refuses; everything it accepted still ran.
struct Resubmitter {
  nu_workers *w;
  std::atomic<bool> *free_called;
  std::atomic<int> accepted{0};
  std::atomic<int> ran{0};
  int refused_rc = 0;
};

void Noted(void *arg) { static_cast<Resubmitter *>(arg)->ran.fetch_add(1); }

void SubmitUntilRefused(void *arg) {
  auto *r = static_cast<Resubmitter *>(arg);
  while (!*r->free_called) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int i = 0; i < 100000; i++) {
    int rc = nu_workers_submit(r->w, Noted, r);
    if (rc != 0) {
      r->refused_rc = rc;
      return;
    }
    r->accepted.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

TEST(Workers, SubmitAfterFreeStartsIsRefused) {
  std::atomic<bool> free_called{false};
  Resubmitter r;
  r.free_called = &free_called;
  nu_workers *w = nu_workers_new(2);
  ASSERT_NE(w, nullptr);
  r.w = w;
  ASSERT_EQ(nu_workers_submit(w, SubmitUntilRefused, &r), 0);
  std::thread freer([&] {
    free_called = true;
    nu_workers_free(w);
  });
  freer.join();
  EXPECT_EQ(r.refused_rc, -1);
  EXPECT_EQ(r.ran.load(), r.accepted.load()) << "every accepted job ran before free returned";
}

TEST(Workers, FreeOfAnIdlePoolAndOfNull) {
  nu_workers *w = nu_workers_new(3);
  ASSERT_NE(w, nullptr);
  nu_workers_free(w);
  nu_workers_free(nullptr);
}

// Jobs really run in parallel on a pool of n threads: n jobs that each wait
// for all n to have started only finish if they run at once.
struct Barrier {
  std::atomic<int> arrived{0};
  int n;
  std::atomic<int> done{0};
};

void Meet(void *arg) {
  auto *b = static_cast<Barrier *>(arg);
  b->arrived.fetch_add(1);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (b->arrived.load() < b->n && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
  }
  if (b->arrived.load() >= b->n) b->done.fetch_add(1);
}

TEST(Workers, RunsJobsConcurrently) {
  Barrier b;
  b.n = 3;
  nu_workers *w = nu_workers_new(3);
  ASSERT_NE(w, nullptr);
  for (int i = 0; i < 3; i++) ASSERT_EQ(nu_workers_submit(w, Meet, &b), 0);
  nu_workers_free(w);
  EXPECT_EQ(b.done.load(), 3);
}

// With no thread, queued jobs would never run.
TEST(Workers, RefusesAnEmptyPool) {
  EXPECT_EQ(nu_workers_new(0), nullptr);
  EXPECT_EQ(nu_workers_new(-1), nullptr);
}

}  // namespace
