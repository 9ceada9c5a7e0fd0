//===- AsyncDots.cpp - wgmma dots of a loop overlap the next iteration ----===//
//
//   for i = lb to ub iter_args(acc = c0):     for i = lb to ub iter_args(acc = c0):
//     d = tile.dot a, b, acc          =>        s = ((i - lb) / step) mod 2
//     yield d                                   d = tilegpu.async_dot a, b, acc stage s
//   use(result)                                 yield d
//                                             use(tilegpu.dot_wait result)
//
// Only for accumulators with an mma version 3 (wgmma) layout that the body
// uses for nothing else (an in-flight accumulator may only feed the next
// wgmma or the wait), and only in bodies where nothing else uses shared
// memory: the other users share the buffer's base, which the tensor cores
// may still be reading.
//
//===----------------------------------------------------------------------===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace tessel {
#define GEN_PASS_DEF_ASYNCDOTS
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
/// Shared-memory buffers an asynchronous dot alternates between.
constexpr unsigned kAsyncDotStages = 2;

struct AsyncDotsPass : tessel::impl::AsyncDotsBase<AsyncDotsPass> {
  using AsyncDotsBase::AsyncDotsBase;

  void runOnOperation() override {
    SmallVector<tile::DotOp> dots;
    getOperation().walk([&](tile::DotOp dot) { dots.push_back(dot); });
    for (tile::DotOp dot : dots)
      makeAsync(dot);
  }

  static bool isWgmma(tile::DotOp dot) {
    auto mma = dyn_cast<MmaLayoutAttr>(
        cast<RankedTensorType>(dot.getAcc().getType()).getEncoding());
    return mma && mma.getVersion() == 3;
  }

  /// Ops that never touch shared memory once lowered.
  static bool isRegisterOnly(Operation &op) {
    if (isa<tile::LoadOp, tile::StoreOp, tile::AddPtrOp, tile::SplatOp,
            tile::BroadcastOp, tile::ExpandDimsOp, tile::MakeRangeOp,
            tile::HintOp, tile::PtrCastOp, scf::YieldOp>(op))
      return true;
    StringRef dialect = op.getDialect() ? op.getDialect()->getNamespace() : "";
    return (dialect == "arith" || dialect == "math") && op.getNumRegions() == 0;
  }

  void makeAsync(tile::DotOp dot) {
    auto loop = dyn_cast<scf::ForOp>(dot->getParentOp());
    // async_dot has no float8 formats (those dots stay tile.dot).
    if (!loop || !isWgmma(dot) || dot.isFloat8() ||
        tile::loopNumStages(loop, numStages) < 2)
      return;
    for (Operation &op : loop.getBody()->getOperations())
      if (&op != dot.getOperation() && !isRegisterOnly(op))
        return;
    auto arg = dyn_cast<BlockArgument>(dot.getAcc());
    if (!arg || arg.getOwner() != loop.getBody() || arg.getArgNumber() == 0 ||
        !arg.hasOneUse() || !dot.getResult().hasOneUse())
      return;
    unsigned index = arg.getArgNumber() - 1;
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    OpOperand &use = *dot.getResult().getUses().begin();
    if (use.getOwner() != yield || use.getOperandNumber() != index)
      return;

    OpBuilder b(dot);
    Location loc = dot.getLoc();
    Type i32 = b.getI32Type();
    auto toI32 = [&](Value v) -> Value {
      if (v.getType() == i32)
        return v;
      if (v.getType().isIndex())
        return arith::IndexCastOp::create(b, loc, i32, v);
      return arith::TruncIOp::create(b, loc, i32, v);
    };
    // The iteration number's parity: (i - lb) / step, mod the stage count.
    Value iteration = arith::DivSIOp::create(
        b, loc,
        arith::SubIOp::create(b, loc, loop.getInductionVar(),
                              loop.getLowerBound()),
        loop.getStep());
    Value stage = arith::RemUIOp::create(
        b, loc, toI32(iteration),
        arith::ConstantIntOp::create(b, loc, i32, kAsyncDotStages));
    auto async = AsyncDotOp::create(b, loc, dot.getType(), dot.getA(),
                                    dot.getB(), dot.getAcc(), stage,
                                    b.getI32IntegerAttr(kAsyncDotStages));
    dot.getResult().replaceAllUsesWith(async.getResult());
    dot.erase();

    Value result = loop.getResult(index);
    b.setInsertionPointAfter(loop);
    auto wait = DotWaitOp::create(b, loc, result.getType(), result,
                                  b.getI32IntegerAttr(0));
    result.replaceAllUsesExcept(wait.getResult(), wait);
  }
};
} // namespace
