//===- DiskCache.h - compiled kernels on disk -------------------*- C++ -*-===//
//
// Compiled kernels are kept on disk, one file per compile, under
// $TESSEL_CACHE_DIR (default $XDG_CACHE_HOME/tessel or ~/.cache/tessel), so
// that a new process (Python or a C/C++ host) skips compiling. The key
// covers the Tile IR, the options, the compiler build and the toolchain the
// compile used (ptxas and libdevice, the ROCm libraries, the host CPU).
// Files are written to a temporary name and renamed, so readers see whole
// entries only; a damaged or truncated entry fails its checksum and is
// compiled again.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_COMPILER_DISKCACHE_H
#define TESSEL_LIB_COMPILER_DISKCACHE_H

#include "tessel/Compiler.h"

#include <optional>
#include <string>

namespace tessel::diskcache {

/// The cache directory, or empty when caching is off (TESSEL_CACHE_DIR set
/// to "" or "0", or TESSEL_DUMP_IR set: a dump needs a real compile).
std::string directory();
/// The key of a compile (hex), or empty when it cannot be formed.
std::string key(const std::string &tileIR, const CompileOptions &options);
/// The entry for `key`, if a whole, undamaged one exists.
std::optional<CompiledKernel> load(const std::string &dir,
                                   const std::string &key);
/// Writes the entry for `key`; failures (a read-only disk) are ignored.
/// Past the budget, the least recently used entries are removed.
void store(const std::string &dir, const std::string &key,
           const CompiledKernel &kernel);
/// Bytes the cache may hold: TESSEL_CACHE_MAX_BYTES (0: no limit), else 2 GiB.
uint64_t budgetBytes();
/// Removes the least recently used entries (by modification time, which a
/// hit refreshes) until the cache holds 3/4 of the budget, when it is over.
void evictIfOverBudget(const std::string &dir);

} // namespace tessel::diskcache

#endif
