//===- ScheduleStagedDots.h - issue a loop's wgmma dots early, wait late -===//
//
// Helper of tessel-pipeline-dot-operands for loops of several staged dots
// that the rotation does not cover (attention's backward: four dots in the
// dK/dV loop, three in the dQ loop).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_PASSES_SCHEDULESTAGEDDOTS_H
#define TESSEL_PASSES_SCHEDULESTAGEDDOTS_H

#include "dialects/TileGPU/IR/TileGPUDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace tessel {
/// Schedules the staged dots of `loop` (in body order, each waiting for its
/// own group): every dot moves up past the pure ops it does not depend on,
/// so that it is issued as soon as its operands exist, and waits for its
/// group just before the first use of its result (a tilegpu.dot_wait that
/// lets the groups issued after it run on). Every group is complete by the
/// end of the iteration, as before, so the ring keeps its stage count.
/// Global loads left in the loop (statistics reread in the dots' layout)
/// then move up as hoistLoadsAboveStagedDots does. Returns whether anything
/// moved or now waits later.
bool scheduleStagedDots(mlir::scf::ForOp loop,
                        llvm::ArrayRef<tilegpu::StagedDotOp> dots);

/// Moves the global loads of `loop`'s body, with their address
/// computations, above its staged dots and dot waits (up to the copies'
/// wait), so that their latency overlaps the tensor cores instead of
/// following a wait. Returns whether any moved.
bool hoistLoadsAboveStagedDots(mlir::scf::ForOp loop);
} // namespace tessel

#endif
