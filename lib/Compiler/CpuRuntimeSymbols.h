//===- CpuRuntimeSymbols.h - functions CPU kernels call into ----*- C++ -*-===//
#ifndef TESSEL_LIB_COMPILER_CPURUNTIMESYMBOLS_H
#define TESSEL_LIB_COMPILER_CPURUNTIMESYMBOLS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

namespace tessel {
/// Defines, in the JIT's main library, what CPU kernels may call besides
/// libm: the device_assert hook and the compiler-rt float conversions the
/// host process may lack (double to half/bfloat16).
llvm::Error defineCpuRuntimeSymbols(llvm::orc::LLJIT &jit);
/// Whether `name` is one of those symbols.
bool isCpuRuntimeSymbol(llvm::StringRef name);
} // namespace tessel

#endif
