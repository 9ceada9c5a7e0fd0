//===- Passes.h - Tessel passes ---------------------------------*- C++ -*-===//
#ifndef TESSEL_PASSES_PASSES_H
#define TESSEL_PASSES_PASSES_H

#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/Pass.h"

namespace mlir::NVVM {
class NVVMDialect;
}
namespace mlir::ROCDL {
class ROCDLDialect;
}

namespace tessel {
#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Which backend a target string ("cpu", "nvidia:sm_90a", "amd:gfx942") names.
enum class TargetKind { CPU, NVIDIA, AMD };
struct TargetInfo {
  TargetKind kind = TargetKind::CPU;
  std::string arch; // sm_90a, gfx942, or empty for the host.
  unsigned threadsPerWarp() const { return kind == TargetKind::AMD ? 64 : (kind == TargetKind::CPU ? 1 : 32); }
  bool isGPU() const { return kind != TargetKind::CPU; }
  /// sm_XX as the number XX (0 when not NVIDIA).
  unsigned smVersion() const {
    unsigned v = 0;
    if (kind == TargetKind::NVIDIA)
      llvm::StringRef(arch).drop_front(3).take_while(llvm::isDigit).getAsInteger(10, v);
    return v;
  }
  /// Warp-level tensor-core instructions (mma.sync, sm_80 and later).
  bool hasMmaSync() const { return smVersion() >= 80; }
  /// float32 to float8 conversions (cvt.rn.satfinite.e4m3x2/e5m2x2.f32:
  /// sm_89 and later).
  bool hasFloat8Conversions() const { return smVersion() >= 89; }
  /// Matrix-core instructions of CDNA GPUs (MFMA; the gfx90a and gfx942
  /// forms are lowered).
  bool hasMfma() const {
    return kind == TargetKind::AMD && (arch == "gfx90a" || arch == "gfx942");
  }
  /// Warpgroup tensor-core instructions (wgmma: sm_90a only).
  bool hasWgmma() const { return kind == TargetKind::NVIDIA && arch == "sm_90a"; }
  /// Shared memory one program (thread block) may use, in bytes, with the
  /// dynamic opt-in; 0 on the CPU (no limit).
  int64_t maxSharedBytes() const {
    if (kind == TargetKind::AMD)
      return 64 * 1024; // LDS per workgroup on gfx9
    if (kind == TargetKind::CPU)
      return 0;
    unsigned sm = smVersion();
    if (sm >= 90)
      return 227 * 1024;
    if (sm == 80 || sm == 87)
      return 163 * 1024;
    if (sm == 86 || sm == 89)
      return 99 * 1024;
    if (sm == 70 || sm == 72)
      return 96 * 1024;
    return 64 * 1024;
  }
};
mlir::FailureOr<TargetInfo> parseTarget(llvm::StringRef target);
/// The target recorded on a module by convert-tile-to-tilegpu.
mlir::FailureOr<TargetInfo> getModuleTarget(mlir::ModuleOp module);
/// The target library's name for the function `base` on `type`: __nv_expf
/// (libdevice), __ocml_exp_f32 (OCML), expf (libm).
std::string libraryName(const TargetInfo &target, llvm::StringRef base,
                        mlir::FloatType type);
} // namespace tessel

#endif
