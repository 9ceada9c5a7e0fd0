//===- Kernel.h - compile and launch a kernel from a host program -*- C++ -*-===//
//
// The host-program API: Tile IR text in, a launchable kernel out, through the
// same pipeline and on-disk cache as the Python JIT. The kernel runs in
// process on the CPU target or on the current CUDA device on NVIDIA targets.
// The C API (tessel/tessel.h) wraps this.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_KERNEL_H
#define TESSEL_KERNEL_H

#include "tessel/Compiler.h"
#include "tessel/Runtime.h"

#include <memory>
#include <string>
#include <vector>

namespace tessel {

/// What went wrong, for callers that react differently (the C API's status).
enum class ErrorKind {
  None,
  Compile,         ///< the Tile IR did not compile
  InvalidArgument, ///< wrong arguments (count, kind, target name)
  Runtime,         ///< a driver error or a failed device assertion
  Unavailable,     ///< the target cannot run here (no CUDA driver, AMD)
};

/// A value or an error message (llvm::Expected without LLVM in the header).
template <typename T> class Result {
public:
  Result(T value) : value(std::move(value)), ok(true) {}
  static Result error(ErrorKind kind, std::string message) {
    Result r;
    r.kind = kind;
    r.message = std::move(message);
    return r;
  }
  explicit operator bool() const { return ok; }
  T &operator*() { return value; }
  T *operator->() { return &value; }
  /// The error message (empty on success).
  const std::string &getError() const { return message; }
  ErrorKind getErrorKind() const { return kind; }

private:
  Result() = default;
  T value{};
  std::string message;
  ErrorKind kind = ErrorKind::None;
  bool ok = false;
};

/// The target of the present device: the current CUDA device's
/// ("nvidia:sm_90a" on Hopper) when the driver has one, else "cpu".
std::string presentTarget();

class Kernel {
public:
  /// Compiles `tileIR` (one kernel) for `options.target` ("" means
  /// presentTarget()) and loads it. Compile errors come back located
  /// ("file:line:col: error: ..."). AMD targets compile but do not launch.
  static Result<std::unique_ptr<Kernel>> compile(const std::string &tileIR,
                                                 CompileOptions options = {});
  ~Kernel();

  const CompiledKernel &getInfo() const;
  /// Parameter kinds, in order (what launch() expects).
  const std::vector<runtime::ArgKind> &getArgKinds() const;

  /// Launches a gx * gy * gz grid. CPU kernels run to completion; CUDA
  /// launches are asynchronous on `stream` (a CUstream; 0 is the default
  /// stream). Wrong argument counts or kinds, a failed device assertion (CPU)
  /// and driver errors come back as messages.
  Result<bool> launch(unsigned gx, unsigned gy, unsigned gz,
                      const std::vector<runtime::KernelArg> &args,
                      uint64_t stream = 0) const;

private:
  Kernel() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace tessel

#endif
