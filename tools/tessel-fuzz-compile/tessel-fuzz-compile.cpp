//===- tessel-fuzz-compile.cpp - libFuzzer harness over tessel::compile ---===//
//
// Built with -DTESSEL_BUILD_FUZZER=ON (clang, -fsanitize=fuzzer,address; see
// docs/fuzzing.md). The first byte of an input picks the target, the rest is
// Tile IR text; every input must compile or fail with an error, never crash,
// leak or touch memory it does not own.
//
//===----------------------------------------------------------------------===//
#include "tessel/Compiler.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // PTX only: running ptxas per input would make the fuzzer a ptxas fuzzer.
  setenv("TESSEL_PTXAS", "", /*overwrite=*/1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  static const char *const kTargets[] = {"cpu", "nvidia:sm_90a", "amd:gfx942"};
  tessel::CompileOptions options;
  options.target = kTargets[data[0] % 3];
  options.sourceName = "fuzz-input";
  std::string ir(reinterpret_cast<const char *>(data + 1), size - 1);
  tessel::CompiledKernel kernel;
  std::string error;
  (void)tessel::compile(ir, options, kernel, error);
  return 0;
}
