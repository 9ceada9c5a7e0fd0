//===- GPUVectorCleanup.h - vectors GPUs do not have ------------*- C++ -*-===//
//
// LLVM IR rewrites run before O3 for the GPU targets: the lowering carries a
// tile's per-thread registers as LLVM vectors, which GPUs have no registers
// for. Both keep the code the same and save work (or bad code) downstream.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_TARGET_GPUVECTORCLEANUP_H
#define TESSEL_LIB_TARGET_GPUVECTORCLEANUP_H

#include "llvm/IR/Function.h"

namespace tessel {

/// Splits the element-wise ops that compute vectors of i1 (masks: compares,
/// and/or/xor, selects) into one scalar op per element. GPUs have no vector
/// predicates: NVPTX legalizes `and <64 x i1>` by packing the bits into
/// integers and unpacking each lane again (about 50 SASS instructions for
/// the masks of one pipelined attention loop), where scalar predicates cost
/// one instruction per element the kernel uses. O3 then drops the unused
/// elements and folds the extracts of the rebuilt vectors.
void scalarizeBoolVectors(llvm::Function &fn);

/// Splits a loop-carried vector (a tile's registers, e.g. the 128
/// accumulators per thread of a wgmma) into one phi per lane, where the
/// vector only exists to be carried: every incoming value is built lane by
/// lane (constant, or insertelements), and every use reads constant lanes
/// or starts a chain that overwrites them all. The same code results, but
/// O3 no longer walks 128-lane insert chains (InstCombine's demanded-lane
/// masks are quadratic in them) and instruction selection no longer splits
/// the vector: 7% of the compile of a 128x256x64 matmul.
void scalarizeCarriedVectors(llvm::Function &fn);

} // namespace tessel

#endif // TESSEL_LIB_TARGET_GPUVECTORCLEANUP_H
