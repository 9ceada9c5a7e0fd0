//===- Compiler.h - Tessel's compile entry point ----------------*- C++ -*-===//
//
// One function compiles Tile IR text for a target through the one pipeline
// (lib/Compiler/Pipeline.cpp); Python, the C API and the tools all call it.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_COMPILER_H
#define TESSEL_COMPILER_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tessel {

struct CompileOptions {
  /// "cpu", "nvidia:sm_80", "nvidia:sm_90a", "amd:gfx90a", "amd:gfx942".
  std::string target = "cpu";
  unsigned numWarps = 4;
  /// Triton's num_stages: 2 and more prefetch the next iteration's loads of
  /// a loop computing a dot (tessel-prefetch-loads); 1 turns that off.
  unsigned numStages = 3;
  /// Writes the IR before and after every pass there; defaults to the
  /// TESSEL_DUMP_IR environment variable.
  std::string dumpDir;
  /// Names the input in diagnostics of ops that carry no location of their own.
  std::string sourceName = "<tile-ir>";
  /// CPU only: also emit a host object file into `binary`.
  bool emitObject = false;
  /// Triton's enable_fp_fusion: GPU code generation may contract a multiply
  /// and an add into one fused multiply-add (one rounding instead of two).
  /// The CPU never contracts, so its results stay those of NumPy.
  bool enableFpFusion = true;
  /// Triton's maxnreg: the most registers a thread of an NVIDIA kernel may
  /// use (PTX `.maxnreg`); 0 leaves it to ptxas. Ignored on other targets.
  unsigned maxNumRegisters = 0;
  /// Triton's num_ctas (1 or 2): with 2, NVIDIA Hopper kernels whose loop
  /// copies operands by TMA launch in clusters of two consecutive programs
  /// that copy the blocks both need once, for both (TMA multicast). The
  /// results are those of num_ctas = 1; other targets ignore it.
  unsigned numCtas = 1;

  /// Sets an option by its Triton name ("num_warps", "num_stages",
  /// "num_ctas", "enable_fp_fusion", "maxnreg") from text ("8", "true", "0",
  /// ...). On an unknown name or a bad value returns false and sets `error`.
  /// The tools, the C API and Python all set options through this one place.
  bool set(const std::string &name, const std::string &value,
           std::string &error);
  /// Sets each "name=value" of a list separated by spaces or commas
  /// ("num_warps=8 enable_fp_fusion=0"), as `set`.
  bool setAll(const std::string &list, std::string &error);
  /// The options that change the generated code, "name=value" joined by
  /// spaces, for cache keys and dump directories.
  std::string describe() const;
};

struct CompiledKernel {
  std::string name;
  std::string target;
  unsigned numWarps = 1;
  unsigned threadsPerWarp = 1;
  unsigned sharedBytes = 0;
  /// CTAs per thread-block cluster (consecutive programs along x) the
  /// kernel launches with where the grid allows; 1: no clusters.
  unsigned clusterCtas = 1;
  /// Kernel parameter types: ptr, i1..i64, f16, bf16, f32, f64.
  std::vector<std::string> argTypes;
  /// Textual stages: "tile", "tilegpu", "llvmir", and "ptx" or "amdgcn".
  std::map<std::string, std::string> asmText;
  /// cubin (or PTX when no ptxas was found), hsaco, or empty for the CPU.
  std::string binary;
  /// "cubin", "ptx", "hsaco", "obj" or "".
  std::string binaryKind;
  /// Whether the result came from the on-disk cache (no compile ran).
  bool fromDiskCache = false;
};

/// Compiles Tile IR text, or finds the result of the same compile in the
/// on-disk cache ($TESSEL_CACHE_DIR, default ~/.cache/tessel; "0" turns it
/// off). On failure returns false and sets `error` to the located
/// diagnostics ("file:line:col: error: ...").
bool compile(const std::string &tileIR, const CompileOptions &options,
             CompiledKernel &result, std::string &error);

/// A kernel compiled for the host and loaded in process.
class CpuJitKernel {
public:
  using EntryFn = void (*)(void **args, int32_t, int32_t, int32_t, int32_t,
                           int32_t, int32_t);
  /// Compiles and loads; returns null and sets `error` on failure.
  static std::unique_ptr<CpuJitKernel> create(const std::string &tileIR,
                                              std::string &error,
                                              const std::string &dumpDir = "",
                                              unsigned numStages = 1);
  ~CpuJitKernel();
  EntryFn getEntry() const { return entry; }
  const CompiledKernel &getInfo() const { return info; }

private:
  CpuJitKernel() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
  EntryFn entry = nullptr;
  CompiledKernel info;
};

/// The first `tl.device_assert` that failed in a CPU kernel since the last
/// call ("file:line: function: message"), clearing it; false if none did.
bool takeCpuAssertFailure(std::string &message);

const char *getVersion();

} // namespace tessel

#endif
