//===- CpuLauncher.cpp - running CPU kernels over a thread pool -----------===//
//
// Every program of a grid is independent, so a launch splits the linearized
// grid into contiguous chunks that the calling thread and the pool's workers
// claim from an atomic counter until none are left.
//
//===----------------------------------------------------------------------===//
#include "tessel/Runtime.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <thread>

namespace tessel::runtime {

namespace {

struct Job {
  CpuLauncher::KernelFn fn;
  void **args;
  uint64_t gx, gy, gz, total, chunk;
  std::atomic<uint64_t> next{0};

  // Claims and runs chunks until the grid is exhausted.
  void work() {
    for (;;) {
      uint64_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= total)
        return;
      uint64_t end = std::min(begin + chunk, total);
      for (uint64_t id = begin; id != end; ++id)
        fn(args, int32_t(id % gx), int32_t(id / gx % gy),
           int32_t(id / (gx * gy)), int32_t(gx), int32_t(gy), int32_t(gz));
    }
  }
};

class ThreadPool {
public:
  explicit ThreadPool(unsigned numThreads) {
    // The launching thread works too, so one fewer worker.
    for (unsigned i = 1; i < numThreads; ++i)
      workers.emplace_back([this] { workerLoop(); });
  }

  unsigned size() const { return workers.size() + 1; }

  void run(Job &job) {
    std::lock_guard<std::mutex> launchLock(launchMutex); // one job at a time
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (stopped) { // after shutdown (static destructors): run inline
        job.work();
        return;
      }
      current = &job;
      ++generation;
      publishedGeneration.store(generation, std::memory_order_release);
    }
    wake.notify_all();
    job.work();
    // Every chunk is claimed now; unfinished ones belong to busy workers.
    // Workers that wake later find no job and need not be waited for.
    std::unique_lock<std::mutex> lock(mutex);
    idle.wait(lock, [&] { return busy == 0; });
    current = nullptr;
  }

  // Joins the workers; the object itself stays alive (it is never freed) so
  // a straggling launch after exit still finds a valid, inline-running pool.
  void shutdown() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopped = true;
    }
    wake.notify_all();
    for (std::thread &t : workers)
      if (t.joinable())
        t.join();
  }

private:
  void workerLoop() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      // Launches often come back to back: spin a little before sleeping, so
      // that the next one does not pay a wake-up (several microseconds).
      lock.unlock();
      for (int i = 0; i < kSpinIterations &&
                      publishedGeneration.load(std::memory_order_acquire) == seen;
           ++i)
        spinPause();
      lock.lock();
      wake.wait(lock, [&] { return stopped || generation != seen; });
      if (stopped)
        return;
      seen = generation;
      Job *job = current;
      if (!job)
        continue;
      ++busy;
      lock.unlock();
      job->work();
      lock.lock();
      if (--busy == 0)
        idle.notify_all();
    }
  }

  std::vector<std::thread> workers;
  std::mutex launchMutex, mutex;
  std::condition_variable wake, idle;
  Job *current = nullptr;
  uint64_t generation = 0;
  /// `generation`, readable without the mutex by spinning workers.
  std::atomic<uint64_t> publishedGeneration{0};
  /// About 20 us of spinning on current x86 cores.
  static constexpr int kSpinIterations = 2000;
  static void spinPause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
  }
  unsigned busy = 0;
  bool stopped = false;
};

unsigned configuredThreads() {
  if (const char *env = std::getenv("TESSEL_NUM_THREADS")) {
    char *end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0)
      return unsigned(std::min(n, 1024L));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// Joins the workers when the process exits (static destruction).
struct PoolHolder {
  std::mutex mutex;
  ThreadPool *pool = nullptr;
  pid_t owner = 0;
  ~PoolHolder() {
    std::lock_guard<std::mutex> lock(mutex);
    if (pool && owner == getpid())
      pool->shutdown();
  }
};
PoolHolder holder;

ThreadPool &getPool() {
  std::lock_guard<std::mutex> lock(holder.mutex);
  // After fork() the child has none of the parent's threads: start afresh
  // (and leak the old pool, whose threads cannot be joined).
  if (!holder.pool || holder.owner != getpid()) {
    holder.pool = new ThreadPool(configuredThreads());
    holder.owner = getpid();
  }
  return *holder.pool;
}

} // namespace

CpuLauncher::CpuLauncher(KernelFn fn, std::vector<ArgKind> argKinds)
    : fn(fn), packer(std::move(argKinds)) {
  if (!fn)
    throw std::invalid_argument("CpuLauncher needs a kernel function");
}

unsigned CpuLauncher::getNumThreads() { return getPool().size(); }

void CpuLauncher::launch(unsigned gx, unsigned gy, unsigned gz,
                         const std::vector<KernelArg> &args,
                         bool cooperative) const {
  constexpr unsigned kMaxDim = std::numeric_limits<int32_t>::max();
  if (gx > kMaxDim || gy > kMaxDim || gz > kMaxDim)
    throw std::invalid_argument("CPU grid dimensions must fit in int32");
  std::vector<uint8_t> storage;
  std::vector<void *> ptrs;
  packer.pack(args, storage, ptrs);

  Job job;
  job.fn = fn;
  job.args = ptrs.data();
  job.gx = gx;
  job.gy = gy;
  job.gz = gz;
  job.total = uint64_t(gx) * gy * gz;
  if (job.total == 0)
    return;
  if (cooperative) {
    // Every program on a thread of its own, all alive together, so programs
    // may wait for each other (a grid-wide barrier on atomics); the pool
    // would run some only after others finished.
    if (job.total > kMaxCooperativePrograms)
      throw std::invalid_argument(
          "a cooperative CPU launch runs each program on a thread of its own: "
          "at most " + std::to_string(kMaxCooperativePrograms) +
          " programs, got " + std::to_string(job.total));
    job.chunk = 1;
    std::vector<std::thread> threads;
    for (uint64_t i = 1; i < job.total; ++i)
      threads.emplace_back([&job] { job.work(); });
    job.work();
    for (std::thread &t : threads)
      t.join();
    return;
  }
  ThreadPool &pool = getPool();
  unsigned threads = pool.size();
  if (job.total == 1 || threads == 1) { // nothing to share out
    job.chunk = job.total;
    job.work();
    return;
  }
  // A few chunks per thread balance uneven programs; contiguous ranges keep
  // neighbouring programs (which share data) on one core.
  job.chunk = std::max<uint64_t>(1, job.total / (uint64_t(threads) * 4));
  pool.run(job);
}

} // namespace tessel::runtime
