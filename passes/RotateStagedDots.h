//===- RotateStagedDots.h - overlap a loop's second wgmma with its first ----===//
//
// Helpers of tessel-pipeline-dot-operands for loops of two wgmma dots where
// the second multiplies a register A computed from the first's result and
// accumulates into the loop-carried value (attention: S = Q K^T, softmax,
// O = O * alpha + P V).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_PASSES_ROTATESTAGEDDOTS_H
#define TESSEL_PASSES_ROTATESTAGEDDOTS_H

#include "dialects/TileGPU/IR/TileGPUDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace tessel {
/// Whether `loop`'s two dots (in body order) have the shape the rotation
/// needs: `second`'s A is computed in the body, its result is only yielded
/// (as iteration argument k), and argument k feeds nothing but one op whose
/// only user is `second`'s accumulator (the rescale), or is that accumulator.
bool canRotateDots(mlir::scf::ForOp loop, tile::DotOp first, tile::DotOp second);

/// Rotates `loop` (whose dots are now the staged dots `first` and `second`,
/// as canRotateDots checked them): iteration j issues `first` of j, then
/// `second` of j - 1 (its A, accumulator and stage carried from j - 1), then
/// waits for `first` alone, runs the code between them (the softmax) while
/// `second` of j - 1 multiplies, and waits for it where the body reads the
/// carried value. Iteration 0 without `second` runs before the loop and
/// `second` of the last iteration after it, both under a check that the loop
/// runs at all. With several warpgroups the ring needs one stage more than
/// the unrotated loop (the copies of iteration j may only reuse the stage of
/// j - 2: another warpgroup may still read j - 1's); one warpgroup has
/// waited for its own second dot of j - 1 before it issues them.
void rotateStagedDots(mlir::scf::ForOp loop, tilegpu::StagedDotOp first,
                      tilegpu::StagedDotOp second);
} // namespace tessel

#endif
