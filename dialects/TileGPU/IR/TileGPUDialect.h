//===- TileGPUDialect.h - the TileGPU dialect -------------------*- C++ -*-===//
#ifndef TESSEL_DIALECTS_TILEGPU_IR_TILEGPUDIALECT_H
#define TESSEL_DIALECTS_TILEGPU_IR_TILEGPUDIALECT_H

#include "dialects/Tile/IR/TileDialect.h"
#include "dialects/TileGPU/IR/LinearLayout.h"
#include "mlir/IR/TensorEncoding.h"

#include "dialects/TileGPU/IR/TileGPUDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/TileGPU/IR/TileGPUAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/TileGPU/IR/TileGPUOps.h.inc"

namespace tessel::tilegpu {
/// Module attributes set when Tile IR is converted to TileGPU IR.
inline constexpr llvm::StringLiteral kNumWarpsAttr = "tilegpu.num_warps";
inline constexpr llvm::StringLiteral kThreadsPerWarpAttr =
    "tilegpu.threads_per_warp";
inline constexpr llvm::StringLiteral kTargetAttr = "tilegpu.target";
/// Warps a warp-specialized kernel launches past tilegpu.num_warps (its TMA
/// producer); absent: none.
inline constexpr llvm::StringLiteral kProducerWarpsAttr =
    "tilegpu.producer_warps";
/// CTAs per thread-block cluster a module's kernels launch with (consecutive
/// programs along x; tessel-pipeline-dot-operands sets 2 where a ring shares
/// copies across the pair); absent: no clusters. A launch whose grid is not
/// a multiple of it may go without: the kernels then copy everything
/// themselves.
inline constexpr llvm::StringLiteral kClusterCtasAttr = "tilegpu.cluster_ctas";
/// On a tilegpu.convert_layout in a loop with an mma.sync ring: the ring
/// relies on it moving elements within each thread's registers (shared
/// memory there belongs to the ring); the lowering fails otherwise.
inline constexpr llvm::StringLiteral kRegistersOnlyAttr =
    "tilegpu.registers_only";
/// Where the shared memory that ops use for themselves starts (past rings
/// that stay live around them); absent: 0.
inline constexpr llvm::StringLiteral kScratchOffsetAttr =
    "tilegpu.scratch_offset";
/// The warps a module's kernels launch with: tilegpu.num_warps plus the
/// producer warps (1 without the attributes).
unsigned launchWarps(mlir::ModuleOp module);
/// Marks inline assembly the lowering emits that accesses global memory only
/// (loads and stores with cache hints, atomics): tessel-elide-barriers need
/// not treat it as a shared-memory access, and drops the mark.
inline constexpr llvm::StringLiteral kGlobalMemoryOnlyAttr =
    "tessel.global_memory_only";

/// The linear layout of `layout` (a layout attribute of this dialect) over a
/// tensor of `shape`. Fails for attributes that are not layouts.
mlir::FailureOr<LinearLayout> toLinearLayout(mlir::Attribute layout,
                                             llvm::ArrayRef<int64_t> shape);
inline mlir::FailureOr<LinearLayout> toLinearLayout(mlir::RankedTensorType t) {
  return toLinearLayout(t.getEncoding(), t.getShape());
}

/// Elements of `in` per 32-bit register of an mma.sync operand (the
/// dot_operand layout's kWidth) when mma.sync multiplies `in` into `acc`:
/// f16 -> f32/f16 and bf16 -> f32: 2; f32 (as tf32) -> f32: 1; i8 -> i32: 4.
std::optional<unsigned> mmaSyncKWidth(mlir::Type in, mlir::Type acc);

/// Elements of `in` per lane of an MFMA operand (the dot_operand layout's
/// kWidth) when the CDNA GPU `arch` (gfx90a, gfx942) multiplies `in` into
/// `acc` on its matrix cores: f16/bf16 -> f32: 4; i8 -> i32: 8 on gfx942
/// (v_mfma_i32_*_i8 with 64-bit operands), 4 on gfx90a; f32 -> f32: 1
/// (v_mfma_f32_*f32: float32 products and sums, any input_precision).
std::optional<unsigned> mfmaKWidth(mlir::Type in, mlir::Type acc,
                                   llvm::StringRef arch);

/// How `warps` warps split over an M x N accumulator of tileM x tileN
/// instruction tiles: (warps along M, warps along N), doubling where more
/// tiles are left to share (M on ties). mma.sync uses 16x8 tiles, MFMA
/// nonKDim x nonKDim.
std::pair<unsigned, unsigned> splitWarps(unsigned warps, int64_t m, int64_t n,
                                         int64_t tileM, int64_t tileN);

/// Whether `layout` is the accumulator layout of matrix instructions
/// (#tilegpu.mma or #tilegpu.mfma), whose dots the tensor-core lowerings
/// take.
bool isMatrixInstructionLayout(mlir::Attribute layout);

/// Bytes per row of the swizzled shared-memory layout wgmma reads a tile
/// of `elementBytes`-byte elements in, for a tile whose contiguous (second)
/// dimension has `contiguousElements`: the widest of the 128-, 64- and
/// 32-byte swizzles whose rows divide it; 0 when none does (fewer than 32
/// bytes, or not a multiple of 32 bytes).
int64_t wgmmaSwizzleBytes(int64_t contiguousElements, int64_t elementBytes = 2);
/// The most elements along one dimension of a TMA box (cp.async.bulk.tensor).
inline constexpr int64_t kMaxTmaBoxRows = 256;
/// Bytes of one mbarrier in shared memory.
inline constexpr int64_t kMbarrierBytes = 8;
/// More shared memory than any program of a supported GPU has (Hopper: 227
/// KiB): what ops placing data at byte offsets of it may address.
inline constexpr int64_t kSharedMemoryBytesBound = 256 * 1024;

/// Bytes per element of a wgmma operand of type `in` accumulated into
/// `acc`: 2 for f16/bf16 into f32, 1 for i8 into i32 (s8); 0 when wgmma
/// does not multiply them. 8-bit operands must both be K-major in shared
/// memory (wgmma transposes only 16-bit tiles).
int64_t wgmmaElementBytes(mlir::Type in, mlir::Type acc);

/// The element type wgmma multiplies for operand A (`isA`) or B of `dot`:
/// the operand's own, or for float8 codes (i8 with a_float8 / b_float8)
/// f8E4M3FN or f8E5M2.
mlir::Type wgmmaOperandType(tile::DotOp dot, bool isA);

/// Triton-style default blocked layout: `vec` consecutive elements per thread
/// along the fastest dimension, lanes then warps spread fastest-first.
/// `order` lists dimensions fastest first (default: the last dimension
/// fastest, row-major).
BlockedLayoutAttr getDefaultBlockedLayout(mlir::MLIRContext *ctx,
                                          llvm::ArrayRef<int64_t> shape,
                                          unsigned numWarps,
                                          unsigned threadsPerWarp, unsigned vec,
                                          llvm::ArrayRef<unsigned> order = {});
} // namespace tessel::tilegpu

#endif
