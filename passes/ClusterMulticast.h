//===- ClusterMulticast.h - a TMA ring shared by a 2-CTA cluster ----------===//
//
// Helpers of tessel-pipeline-dot-operands for num_ctas = 2 on Hopper: the
// kernel launches in clusters of two consecutive programs, and where both
// programs of a pair copy the same block of an operand in every iteration
// (a matmul's programs 2k and 2k + 1 of one GROUP_SIZE_M column share their
// B block), one TMA copy lands it in both (multicast), halving the L2 reads
// of that operand. Whether they do is decided at run time, once, before the
// loop: each program's copies are a pure function of the induction
// variable and a few scalars from outside the loop, which the two compare
// (tilegpu.cluster_peer_match). Then, for use u of the ring:
//
//   program (u % S) % 2 (the issuer)        the other program
//   wait empty[u % S] (u >= S: both          expect its stage's bytes,
//     programs released use u - S)           copy its own operands only
//   expect its stage's bytes, copy its own
//     operands and the shared ones to both
//
// and every program, once all its warps are past the barrier that frees
// stage (i + D) % S in iteration i, arrives on empty[(i + D) % S] of the
// program issuing use i + D (tilegpu.cluster_stage_release). Each program's
// full barrier expects the whole stage, whoever copies into it (a multicast
// may complete bytes before the expecting arrival: the transaction count
// goes below zero meanwhile). A cluster barrier ends the ring before its
// barriers are retired.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_PASSES_CLUSTERMULTICAST_H
#define TESSEL_PASSES_CLUSTERMULTICAST_H

#include "passes/WarpSpecializeRing.h"

namespace tessel {
/// The run-time state of a ring shared by a 2-CTA cluster.
struct ClusterRing {
  /// i32: this program's rank in the cluster.
  mlir::Value rank;
  /// Per ring slot, an i1: whether its copies are multicast (the two
  /// programs copy the same blocks).
  llvm::SmallVector<mlir::Value> multicast;
  /// i1: whether any slot is.
  mlir::Value anyMulticast;
  /// Where the empty barriers (one per stage, two arrivals) start.
  int64_t emptyOffset = 0;
};

/// The shared memory (past the ring's full barriers at `barrierOffset`) a
/// cluster ring of `stages` stages over `slots` needs for its empty
/// barriers and the run-time comparison.
int64_t clusterRingBytes(mlir::scf::ForOp loop, llvm::ArrayRef<RingSlot> slots,
                         int stages);

/// Whether a thread-0 TMA ring over `slots` in `loop` may share copies
/// across a 2-CTA cluster: the loop sits in its kernel's entry block (both
/// programs run it, and the comparison before it, exactly once) and each
/// slot's coordinates are computed from the induction variable, the loop's
/// own carried integers and integers from outside the loop by ops without
/// memory effects.
bool canShareAcrossCluster(mlir::scf::ForOp loop,
                           llvm::ArrayRef<RingSlot> slots);

/// At `pre` (before the ring's prologue, after its full barriers were
/// initialized): the empty barriers at `barrierOffset` + 8 * stages, and
/// per slot the run-time comparison with the other program.
ClusterRing setUpClusterRing(mlir::OpBuilder &pre, mlir::scf::ForOp loop,
                             llvm::ArrayRef<RingSlot> slots, int stages,
                             int64_t barrierOffset);

/// The i1 under which this program copies a slot into `stage` (`valid`:
/// the use exists): always for its own blocks, only as the stage's issuer
/// for multicast ones.
mlir::Value copiesSlot(mlir::OpBuilder &b, mlir::Location loc,
                       const ClusterRing &cluster, unsigned slot,
                       mlir::Value stage, mlir::Value valid);

/// Before use `use`'s copies into `stage` (of `stages`): its issuer waits
/// until both programs released the stage's previous use.
void waitForClusterStage(mlir::OpBuilder &b, mlir::Location loc,
                         const ClusterRing &cluster, mlir::Value use,
                         mlir::Value stage, mlir::Value valid, int stages);

/// In the loop body at `b` (all warps past the barrier that frees the stage
/// of ring use `use`'s copies, where `valid`): tells use `use`'s issuer.
void releaseClusterStage(mlir::OpBuilder &b, mlir::Location loc,
                         const ClusterRing &cluster, mlir::Value use,
                         mlir::Value valid, int stages);

/// After the loop, before `retire` (the full barriers' retirement): the
/// cluster barrier, then the empty barriers' retirement.
void finishClusterRing(mlir::Operation *retire, int stages,
                       const ClusterRing &cluster);
} // namespace tessel

#endif // TESSEL_PASSES_CLUSTERMULTICAST_H
