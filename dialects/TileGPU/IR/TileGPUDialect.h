//===- TileGPUDialect.h - the TileGPU dialect -------------------*- C++ -*-===//
#ifndef TESSEL_DIALECTS_TILEGPU_IR_TILEGPUDIALECT_H
#define TESSEL_DIALECTS_TILEGPU_IR_TILEGPUDIALECT_H

#include "dialects/Tile/IR/TileDialect.h"
#include "dialects/TileGPU/IR/LinearLayout.h"

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

/// The linear layout of `layout` (a layout attribute of this dialect) over a
/// tensor of `shape`. Fails for attributes that are not layouts.
mlir::FailureOr<LinearLayout> toLinearLayout(mlir::Attribute layout,
                                             llvm::ArrayRef<int64_t> shape);
inline mlir::FailureOr<LinearLayout> toLinearLayout(mlir::RankedTensorType t) {
  return toLinearLayout(t.getEncoding(), t.getShape());
}

/// Triton-style default blocked layout: `vec` consecutive elements per thread
/// along the fastest dimension, lanes then warps spread fastest-first.
/// `order` lists dimensions fastest first (default: the last dimension
/// fastest, row-major).
BlockedLayoutAttr getDefaultBlockedLayout(mlir::MLIRContext *ctx,
                                          llvm::ArrayRef<int64_t> shape,
                                          unsigned numWarps,
                                          unsigned threadsPerWarp,
                                          unsigned vec,
                                          llvm::ArrayRef<unsigned> order = {});
} // namespace tessel::tilegpu

#endif
