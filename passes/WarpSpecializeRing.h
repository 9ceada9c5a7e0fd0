//===- WarpSpecializeRing.h - a TMA ring's producer warp ------------------===//
//
// Helpers of tessel-pipeline-dot-operands for a matmul loop whose ring is fed
// by TMA: instead of the computing warps issuing the copies a few iterations
// ahead and meeting at a barrier every iteration, one more warp (the
// producer) issues them, and the two sides hand stages over through
// mbarriers (FlashAttention-3's and CUTLASS's producer/consumer warps):
//
//   producer warp                        consumer warps (num_warps)
//   for i: wait empty[i % S] (i >= S)    for i: wait full[i % S]
//          expect + copy into i % S             wgmma on i % S; wait for
//                                               i - 1's; arrive on
//                                               empty[(i - 1) % S]
//
// full[s] counts the stage's TMA bytes (one arrival, the producer's);
// empty[s] one arrival per consumer warp. The kernel becomes
//
//   mbarrier_init full, empty (every thread)
//   if producer_warp { producer loop } else { the kernel as it was }
//
// so every barrier of the original code runs on the consumer warps alone
// (their own named barrier) and the producer needs only the loop bounds and
// the blocks' coordinates, which it recomputes from the kernel's scalars.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_PASSES_WARPSPECIALIZERING_H
#define TESSEL_PASSES_WARPSPECIALIZERING_H

#include "dialects/TileGPU/IR/TileGPUDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace tessel {
/// One ring load: the block `load` reads lands at `offset` of each stage.
struct RingSlot {
  tile::LoadOp load;
  int64_t offset;
};

/// The iteration number (an i32 from 0) of a loop's induction variable
/// `iv`, given its lower bound and step.
mlir::Value iterationNumber(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value iv, mlir::Value lb, mlir::Value step);

/// Whether `loop` can get a producer warp: it sits in its kernel's entry
/// block, or directly in the body of `outer` (when not null: a persistent
/// kernel's loop over tiles) which does; the loops' bounds (the same for
/// every tile) and every slot's coordinates are computed from the kernel's
/// arguments and the induction variables by scalar ops without memory
/// effects (which the producer recomputes); and nothing before them uses
/// shared memory (global loads may: attention's Q).
bool canWarpSpecialize(mlir::scf::ForOp loop, mlir::scf::ForOp outer,
                       llvm::ArrayRef<RingSlot> slots);

/// How a warp-specialized kernel with `consumerWarps` consumer warps splits
/// its registers: with two or more consumer warpgroups the producer is a
/// whole warpgroup (setmaxnreg acts on warpgroups) that keeps
/// `producerRegisters` per thread and gives the rest to the consumers
/// (`consumerRegisters` each); with one, a single producer warp and no split
/// (registers 0).
struct RegisterSplit {
  int32_t producerWarps;
  int32_t producerRegisters;
  int32_t consumerRegisters;
};
RegisterSplit registerSplit(int64_t consumerWarps);

/// The byte offset of a ring's empty barriers (after its `stages` full ones
/// at `barrierOffset`).
int64_t emptyBarrierOffset(int stages, int64_t barrierOffset);

/// In a consumer's iteration with use number `use`: every warp releases the
/// stage of use `use` - 1 (where there is one) on its empty barrier, so the
/// producer may refill it. Every wgmma that read that stage must be complete.
void releaseStage(mlir::OpBuilder &b, mlir::Location loc, mlir::Value use,
                  int stages, int64_t barrierOffset);

/// A producer warp's ring as addProducerWarp (or continueProducerRing) left
/// it: a later loop of the kernel on a ring of the same shape may continue
/// it, so that the producer copies that loop's first stages while the
/// consumers still run the earlier one (attention's causal diagonal after
/// the blocks left of it).
struct ProducerRing {
  /// The producer's loop for the consumers' last loop on the ring.
  mlir::scf::ForOp copies;
  /// The consumers' loop's bounds as it was built (a rotation may rebuild
  /// the loop and peel its first iteration).
  mlir::Value lowerBound, upperBound, step;
  /// The use number of their first iteration (null: 0), in the consumers
  /// and in the producer.
  mlir::Value consumerBase, producerBase;
  /// The barriers' retirement, right after the consumers' last loop.
  mlir::Operation *retire = nullptr;
  int stages = 0;
  int64_t stageBytes = 0, barrierOffset = 0;
};

/// Whether `op` leaves shared memory alone (scalar code, elementwise
/// tensors, global loads), so that it may run while a producer fills a ring
/// or between loops whose shared memory carries over.
bool keepsOffSharedMemory(mlir::Operation &op);

/// Whether `next`, a loop after the ring's last in its block, can continue the
/// ring with `slots` in `stages` stages of `stageBytes` (barriers at
/// `barrierOffset`): the same shape, nothing between the loops uses shared
/// memory, and the producer can recompute `next`'s bounds and coordinates.
bool canContinueProducerRing(const ProducerRing &ring, mlir::scf::ForOp next,
                             llvm::ArrayRef<RingSlot> slots, int stages,
                             int64_t stageBytes, int64_t barrierOffset);

/// In the consumers at `b` (after the ring's last loop): the use number of the
/// first iteration of the loop that continues the ring.
mlir::Value continuedUseBase(mlir::OpBuilder &b, ProducerRing ring);

/// Continues `ring` with `next` (as canContinueProducerRing checked it),
/// whose consumers number their uses from `consumerBase`
/// (continuedUseBase): the producer copies `next`'s iterations after the
/// earlier loop's, and the barriers retire after `next`. Returns the ring
/// with `next` as its last loop.
ProducerRing continueProducerRing(ProducerRing ring, mlir::scf::ForOp next,
                                  llvm::ArrayRef<RingSlot> slots,
                                  mlir::Value consumerBase);

/// Gives the kernel of `loop` (as canWarpSpecialize checked it) a producer
/// warp for its TMA ring: the stages' full and empty mbarriers (at
/// `barrierOffset`) initialized at the kernel's start, then a branch in which
/// the producer issues every iteration's copies of `slots` into `stages`
/// stages of `stageBytes` bytes, each after the consumers released the
/// stage's previous use; the rest of the kernel becomes the consumers'
/// branch, whose loop must wait for each stage's full barrier (without a
/// barrier after it) and release stages (releaseStage) itself. Both sets of
/// barriers are retired after the ring's loop.
ProducerRing addProducerWarp(mlir::scf::ForOp loop, mlir::scf::ForOp outer,
                             llvm::ArrayRef<RingSlot> slots, int stages,
                             int64_t stageBytes, int64_t barrierOffset);

/// Rewrites `loop` (as canWarpSpecialize checked it) around `dot`, the dot
/// whose operands are the slots: the consumer waits for its stage's copies,
/// runs `makeDot(builder, stage)` in place of `dot`, and releases the
/// previous iteration's stage; a producer warp issues the copies into
/// `stages` stages of `stageBytes` bytes, with the stages' full and empty
/// mbarriers at `barrierOffset`. Under an `outer` loop the stages and
/// phases count on from tile to tile, the producer fills the next tile's
/// stages while the consumers finish the last one (its epilogue), and the
/// shared memory of the consumers' own ops moves past the ring. Erases
/// `dot` and the slots' loads.
void warpSpecializeRing(
    mlir::scf::ForOp loop, mlir::scf::ForOp outer, mlir::Operation *dot,
    llvm::ArrayRef<RingSlot> slots, int stages, int64_t stageBytes,
    int64_t barrierOffset,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Value)> makeDot);
} // namespace tessel

#endif
