//===- CpuRuntimeSymbols.cpp - functions CPU kernels call into ------------===//
#include "lib/Compiler/CpuRuntimeSymbols.h"
#include "tessel/Compiler.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/DynamicLibrary.h"

#include <cstring>
#include <mutex>

using namespace tessel;

namespace {
std::mutex assertMutex;
std::string assertMessage;
bool assertFailed = false;

/// Called by CPU kernels where a device_assert fails; the first failure is
/// kept for the launcher to report after the grid finishes.
extern "C" void tesselCpuAssertFail(const char *message, const char *file,
                                    int32_t line, const char *function) {
  std::lock_guard<std::mutex> lock(assertMutex);
  if (assertFailed)
    return;
  assertFailed = true;
  assertMessage = std::string(file) + ":" + std::to_string(line) + ": " +
                  function + ": device-side assertion failed: " + message;
}

/// `value` rounded to nearest-even into a float with `mantissa` stored bits
/// and `exponent` bits (IEEE layout, with infinities and NaNs).
template <unsigned Mantissa, unsigned Exponent>
uint16_t narrowDouble(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  uint16_t sign = uint16_t((bits >> 63) << (Mantissa + Exponent));
  uint64_t magnitude = bits & ~(uint64_t(1) << 63);
  constexpr int bias = (1 << (Exponent - 1)) - 1;
  constexpr uint16_t infinity = uint16_t(((1u << Exponent) - 1) << Mantissa);
  if (magnitude > 0x7ff0000000000000ull) // NaN: keep it quiet
    return sign | infinity | uint16_t(1u << (Mantissa - 1));
  int exp = int(magnitude >> 52) - 1023;
  uint64_t frac = magnitude & ((uint64_t(1) << 52) - 1);
  uint64_t mant = (magnitude >> 52) ? frac | (uint64_t(1) << 52) : frac;
  if (!(magnitude >> 52))
    exp = -1022;
  // value = mant * 2^(exp - 52); the result's quantum is 2^(e - Mantissa)
  // for normals and 2^(1 - bias - Mantissa) below them.
  int minExp = 1 - bias;
  int shift = 52 - int(Mantissa) + std::max(0, minExp - exp);
  if (shift > 63)
    return sign;
  uint64_t r = mant >> shift;
  uint64_t rem = mant & ((uint64_t(1) << shift) - 1);
  uint64_t half = uint64_t(1) << (shift - 1);
  if (rem > half || (rem == half && (r & 1)))
    ++r;
  uint64_t out = exp >= minExp ? (uint64_t(exp + bias) << Mantissa) + r -
                                     (uint64_t(1) << Mantissa)
                               : r;
  if (out >= infinity)
    return sign | infinity;
  return sign | uint16_t(out);
}

// compiler-rt's names; LLVM passes half and bfloat16 results in a float
// register holding the 16 bits.
extern "C" float tesselTruncDFHF2(double value) {
  uint32_t bits = narrowDouble<10, 5>(value);
  float result;
  std::memcpy(&result, &bits, sizeof result);
  return result;
}

extern "C" float tesselTruncDFBF2(double value) {
  uint32_t bits = narrowDouble<7, 8>(value);
  float result;
  std::memcpy(&result, &bits, sizeof result);
  return result;
}

struct RuntimeSymbol {
  const char *name;
  void *address;
  bool onlyIfMissing; // the process's own definition wins
};

const RuntimeSymbol kSymbols[] = {
    {"tessel_cpu_assert_fail", reinterpret_cast<void *>(&tesselCpuAssertFail),
     false},
    {"__truncdfhf2", reinterpret_cast<void *>(&tesselTruncDFHF2), true},
    {"__truncdfbf2", reinterpret_cast<void *>(&tesselTruncDFBF2), true},
};
} // namespace

bool tessel::takeCpuAssertFailure(std::string &message) {
  std::lock_guard<std::mutex> lock(assertMutex);
  if (!assertFailed)
    return false;
  message = assertMessage;
  assertFailed = false;
  return true;
}

bool tessel::isCpuRuntimeSymbol(llvm::StringRef name) {
  for (const RuntimeSymbol &s : kSymbols)
    if (name == s.name)
      return true;
  return false;
}

llvm::Error tessel::defineCpuRuntimeSymbols(llvm::orc::LLJIT &jit) {
  llvm::orc::MangleAndInterner mangle(jit.getExecutionSession(),
                                      jit.getDataLayout());
  llvm::orc::SymbolMap symbols;
  for (const RuntimeSymbol &s : kSymbols) {
    if (s.onlyIfMissing &&
        llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(s.name))
      continue;
    symbols[mangle(s.name)] = {llvm::orc::ExecutorAddr::fromPtr(s.address),
                               llvm::JITSymbolFlags::Exported |
                                   llvm::JITSymbolFlags::Callable};
  }
  return jit.getMainJITDylib().define(
      llvm::orc::absoluteSymbols(std::move(symbols)));
}
