//===- DiskCache.cpp - compiled kernels on disk ---------------------------===//
#include "lib/Compiler/DiskCache.h"
#include "lib/Target/LLVMIRTranslation.h"
#include "passes/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <atomic>
#include <dlfcn.h>
#include <mutex>
#include <random>

using namespace tessel;

/// Bumped when the entry layout changes.
static constexpr uint32_t kFormatVersion = 2;
static constexpr char kMagic[8] = {'T', 'E', 'S', 'S', 'E', 'L', 'K', 'C'};
static constexpr const char *kSuffix = ".tkc";
/// Entries past this many bytes are evicted, least recently used first.
static constexpr uint64_t kDefaultBudgetBytes = uint64_t(2) << 30;

std::string diskcache::directory() {
  if (getenv("TESSEL_DUMP_IR"))
    return "";
  if (const char *dir = getenv("TESSEL_CACHE_DIR")) {
    std::string d = dir;
    return d == "0" ? "" : d;
  }
  llvm::SmallString<256> path;
  if (const char *xdg = getenv("XDG_CACHE_HOME"); xdg && *xdg)
    path = xdg;
  else if (!llvm::sys::path::cache_directory(path))
    return "";
  llvm::sys::path::append(path, "tessel");
  return std::string(path);
}

/// Size and modification time of a file ("" when it is missing).
static std::string fileStamp(const std::string &path) {
  llvm::sys::fs::file_status status;
  if (path.empty() || llvm::sys::fs::status(path, status))
    return path + ":missing";
  return path + ":" + std::to_string(status.getSize()) + ":" +
         std::to_string(
             status.getLastModificationTime().time_since_epoch().count());
}

/// The compiler build: the file holding this code (the Python extension, a
/// tool, a host program), by size and modification time. Any rebuild
/// changes it, unlike the version number.
static const std::string &compilerBuild() {
  static std::string build = [] {
    Dl_info info;
    std::string file;
    if (dladdr(reinterpret_cast<void *>(&compilerBuild), &info) &&
        info.dli_fname)
      file = info.dli_fname;
    return std::string(getVersion()) + " " + fileStamp(file);
  }();
  return build;
}

static std::string toolchain(const TargetInfo &target) {
  std::string files;
  switch (target.kind) {
  case TargetKind::NVIDIA:
    files = nvidiaToolchainFiles();
    break;
  case TargetKind::AMD:
    files = amdToolchainFiles();
    break;
  case TargetKind::CPU: {
    static std::string host = hostCpuDescription();
    return host;
  }
  }
  std::string text;
  for (llvm::StringRef line : llvm::split(files, '\n'))
    text += fileStamp(line.str()) + "\n";
  return text;
}

std::string diskcache::key(const std::string &tileIR,
                           const CompileOptions &options) {
  auto target = parseTarget(options.target);
  if (failed(target))
    return "";
  std::string text = compilerBuild() + "\n" + toolchain(*target) + "\n" +
                     options.describe() + "\n" + tileIR;
  // Two independent 64-bit hashes: 128 bits against collisions.
  return llvm::utohexstr(llvm::xxh3_64bits(text), true, 16) +
         llvm::utohexstr(llvm::xxh3_64bits(text + "\x01"), true, 16);
}

namespace {
struct Writer {
  std::string out;
  void u32(uint32_t v) { out.append(reinterpret_cast<char *>(&v), 4); }
  void str(const std::string &s) {
    uint64_t n = s.size();
    out.append(reinterpret_cast<char *>(&n), 8);
    out += s;
  }
};

struct Reader {
  llvm::StringRef in;
  bool ok = true;
  uint32_t u32() {
    uint32_t v = 0;
    if (in.size() < 4)
      return ok = false, 0;
    memcpy(&v, in.data(), 4);
    in = in.drop_front(4);
    return v;
  }
  std::string str() {
    uint64_t n = 0;
    if (in.size() < 8)
      return ok = false, "";
    memcpy(&n, in.data(), 8);
    in = in.drop_front(8);
    if (n > in.size())
      return ok = false, "";
    std::string s = in.take_front(n).str();
    in = in.drop_front(n);
    return s;
  }
};
} // namespace

/// Marks an entry used now (its modification time orders eviction).
static void touch(const std::string &path) {
  int fd;
  if (llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_OpenExisting,
                                      llvm::sys::fs::OF_Append))
    return;
  llvm::sys::fs::setLastAccessAndModificationTime(
      fd, std::chrono::system_clock::now());
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
}

static std::string entryPath(const std::string &dir, const std::string &key) {
  // Two-character subdirectories keep directories small.
  return dir + "/" + key.substr(0, 2) + "/" + key + kSuffix;
}

std::optional<CompiledKernel> diskcache::load(const std::string &dir,
                                              const std::string &key) {
  if (dir.empty() || key.empty())
    return std::nullopt;
  // Read, never mapped: another process may replace or evict the entry
  // while this one reads it, and on a network file system a mapped file
  // whose server copy is gone faults (SIGBUS, a stale handle) where a read
  // returns an error, which is a miss.
  auto buffer = llvm::MemoryBuffer::getFile(entryPath(dir, key),
                                            /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false,
                                            /*IsVolatile=*/true);
  if (!buffer)
    return std::nullopt;
  llvm::StringRef data = (*buffer)->getBuffer();
  // magic, then the payload, then its xxh3 checksum.
  if (data.size() < sizeof(kMagic) + 8 ||
      !data.starts_with(llvm::StringRef(kMagic, sizeof(kMagic))))
    return std::nullopt;
  llvm::StringRef payload = data.drop_front(sizeof(kMagic)).drop_back(8);
  uint64_t checksum;
  memcpy(&checksum, data.end() - 8, 8);
  if (llvm::xxh3_64bits(payload) != checksum)
    return std::nullopt;
  Reader r{payload};
  if (r.u32() != kFormatVersion || r.str() != key)
    return std::nullopt;
  CompiledKernel k;
  k.name = r.str();
  k.target = r.str();
  k.numWarps = r.u32();
  k.threadsPerWarp = r.u32();
  k.sharedBytes = r.u32();
  k.clusterCtas = r.u32();
  for (uint32_t n = r.u32(), i = 0; r.ok && i < n; ++i)
    k.argTypes.push_back(r.str());
  for (uint32_t n = r.u32(), i = 0; r.ok && i < n; ++i) {
    std::string name = r.str();
    k.asmText[name] = r.str();
  }
  k.binary = r.str();
  k.binaryKind = r.str();
  if (!r.ok || !r.in.empty())
    return std::nullopt;
  // A hit is a use: eviction removes the least recently used entries.
  touch(entryPath(dir, key));
  return k;
}

void diskcache::store(const std::string &dir, const std::string &key,
                      const CompiledKernel &k) {
  if (dir.empty() || key.empty())
    return;
  Writer w;
  w.u32(kFormatVersion);
  w.str(key);
  w.str(k.name);
  w.str(k.target);
  w.u32(k.numWarps);
  w.u32(k.threadsPerWarp);
  w.u32(k.sharedBytes);
  w.u32(k.clusterCtas);
  w.u32(k.argTypes.size());
  for (const std::string &t : k.argTypes)
    w.str(t);
  w.u32(k.asmText.size());
  for (const auto &[name, text] : k.asmText) {
    w.str(name);
    w.str(text);
  }
  w.str(k.binary);
  w.str(k.binaryKind);
  uint64_t checksum = llvm::xxh3_64bits(w.out);

  std::string path = entryPath(dir, key);
  if (llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path)))
    return;
  // A private temporary name, then an atomic rename: concurrent writers of
  // one key each publish a whole entry, the last one wins.
  static std::mt19937_64 rng(std::random_device{}());
  static std::mutex rngMutex;
  uint64_t nonce;
  {
    std::lock_guard<std::mutex> lock(rngMutex);
    nonce = rng();
  }
  std::string temp = path + ".tmp." +
                     std::to_string(llvm::sys::Process::getProcessId()) + "." +
                     llvm::utohexstr(nonce);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(temp, ec, llvm::sys::fs::OF_None);
    if (ec)
      return;
    os.write(kMagic, sizeof(kMagic));
    os << w.out;
    os.write(reinterpret_cast<const char *>(&checksum), 8);
    os.close();
    if (os.has_error()) {
      os.clear_error();
      llvm::sys::fs::remove(temp);
      return;
    }
  }
  if (llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return;
  }
  // Scanning the directory costs about a microsecond per entry: on the first
  // store of a process, then every 32nd.
  static std::atomic<unsigned> stores{0};
  if (stores.fetch_add(1) % 32 == 0)
    evictIfOverBudget(dir);
}

uint64_t diskcache::budgetBytes() {
  if (const char *env = getenv("TESSEL_CACHE_MAX_BYTES")) {
    char *end = nullptr;
    unsigned long long n = strtoull(env, &end, 10);
    if (end != env && *end == '\0')
      return n;
  }
  return kDefaultBudgetBytes;
}

void diskcache::evictIfOverBudget(const std::string &dir) {
  uint64_t budget = budgetBytes();
  if (budget == 0)
    return; // no limit
  struct Entry {
    std::string path;
    uint64_t size;
    llvm::sys::TimePoint<> used;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end;
       it != end && !ec; it.increment(ec)) {
    if (!llvm::StringRef(it->path()).ends_with(kSuffix))
      continue;
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(it->path(), status))
      continue;
    entries.push_back(
        {it->path(), status.getSize(), status.getLastModificationTime()});
    total += status.getSize();
  }
  if (total <= budget)
    return;
  // Oldest first, down to 3/4 of the budget so that eviction is rare.
  std::sort(entries.begin(), entries.end(),
            [](const Entry &a, const Entry &b) { return a.used < b.used; });
  for (const Entry &e : entries) {
    if (total <= budget / 4 * 3)
      break;
    if (!llvm::sys::fs::remove(e.path))
      total -= e.size;
  }
}
