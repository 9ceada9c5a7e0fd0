//===- FatalErrors.cpp - LLVM fatal errors as compile errors --------------===//
//
// One process-wide handler (LLVM has one slot): on a thread inside
// runCatchingFatalErrors it records the reason and jumps back to it; on any
// other thread it does what LLVM does without a handler (print, then LLVM
// exits). longjmp is how LLVM's own CrashRecoveryContext leaves a failed
// job on Unix, without its signal handlers.
//
//===----------------------------------------------------------------------===//
#include "lib/Compiler/FatalErrors.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <csetjmp>
#include <mutex>

namespace {
thread_local std::jmp_buf *activeJump = nullptr;
thread_local std::string fatalReason;

void onFatalError(void *, const char *reason, bool) {
  if (activeJump) {
    fatalReason = reason;
    std::longjmp(*activeJump, 1);
  }
  llvm::errs() << "LLVM ERROR: " << reason << "\n";
}
} // namespace

bool tessel::runCatchingFatalErrors(llvm::function_ref<bool()> work,
                                    std::string &error,
                                    const std::string &what) {
  static std::once_flag installed;
  std::call_once(installed,
                 [] { llvm::install_fatal_error_handler(onFatalError); });
  std::jmp_buf jump;
  std::jmp_buf *outer = activeJump;
  if (setjmp(jump) != 0) {
    activeJump = outer;
    error = "error: " + what + ": " + fatalReason + "\n";
    return false;
  }
  activeJump = &jump;
  bool ok = work();
  activeJump = outer;
  return ok;
}
