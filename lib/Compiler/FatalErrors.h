//===- FatalErrors.h - LLVM fatal errors as compile errors ----------------===//
//
// LLVM stops some compiles with report_fatal_error, whose default is to
// print and exit the process: code generation that finds no way to lower an
// operation ("no libcall available for frem"), a "Cannot select". Tessel is
// a library inside Python and host programs, so a compile must fail, not
// end its host.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_COMPILER_FATALERRORS_H
#define TESSEL_LIB_COMPILER_FATALERRORS_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>

namespace tessel {
/// Runs `work` on this thread; an LLVM fatal error inside it makes it return
/// false with `error` set to "error: <what>: <LLVM's reason>" instead of
/// exiting. What `work` allocated when the error struck is leaked (the error
/// leaves its frames without unwinding them). Otherwise returns what `work`
/// does.
bool runCatchingFatalErrors(llvm::function_ref<bool()> work,
                            std::string &error, const std::string &what);
} // namespace tessel

#endif
