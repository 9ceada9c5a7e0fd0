//===- RotateStagedDots.cpp - overlap a loop's second wgmma with its first --===//
//
// Attention's loop issues S = Q K^T, waits for it, runs the softmax, then
// issues O = O * alpha + P V and waits for that: the tensor cores idle during
// the softmax. Rotated (FlashAttention-3's intra-warpgroup overlap), iteration
// j issues S_j, then P_{j-1} V_{j-1} (its operands carried from iteration
// j - 1), waits only for S_j (wgmma groups finish in order) and runs the
// softmax of S_j while P_{j-1} V_{j-1} multiplies; it waits for that where
// the body rescales O. Nothing is in flight across the back edge.
//
//   if (lb < ub) {
//     body(lb) without the second dot          (prologue: S_0, softmax, P_0)
//     for j = lb + step to ub, carrying P, O * alpha, stage:
//       S = first(j) (no wait); O' = second(P, O * alpha, stage) (wait <= 1)
//       S = dot_wait(S, 1); softmax...; O = dot_wait(O', 0) before its use
//     O = second(P, O * alpha, stage) of the last iteration (wait 0)
//   }
//
//===----------------------------------------------------------------------===//
#include "passes/RotateStagedDots.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
/// The iteration argument the second dot's result is yielded into.
BlockArgument carriedArgument(scf::ForOp loop, Operation *second) {
  if (!second->getResult(0).hasOneUse())
    return {};
  OpOperand &use = *second->getResult(0).getUses().begin();
  if (!isa<scf::YieldOp>(use.getOwner()))
    return {};
  return loop.getRegionIterArgs()[use.getOperandNumber()];
}
} // namespace

bool tessel::canRotateDots(scf::ForOp loop, tile::DotOp first,
                           tile::DotOp second) {
  Block *body = loop.getBody();
  if (first->getBlock() != body || second->getBlock() != body ||
      !first->isBeforeInBlock(second))
    return false;
  Operation *aDef = second.getA().getDefiningOp();
  if (!aDef || aDef->getBlock() != body)
    return false;
  BlockArgument arg = carriedArgument(loop, second);
  if (!arg)
    return false;
  if (arg == second.getAcc())
    return arg.hasOneUse();
  // The rescale: one pure op reading the argument, feeding only the dot.
  if (!arg.hasOneUse())
    return false;
  Operation *rescale = arg.getUses().begin()->getOwner();
  return rescale->getBlock() == body && first->isBeforeInBlock(rescale) &&
         isPure(rescale) &&
         rescale->getNumResults() == 1 && rescale->getResult(0).hasOneUse() &&
         rescale->getResult(0) == second.getAcc();
}

void tessel::rotateStagedDots(scf::ForOp loop, StagedDotOp first,
                              StagedDotOp second) {
  Location loc = loop.getLoc();
  Block *body = loop.getBody();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  BlockArgument carried = carriedArgument(loop, second);
  unsigned k = carried.getArgNumber() - 1;
  unsigned numArgs = loop.getNumRegionIterArgs();
  OpBuilder b(loop);

  auto cloneSecond = [&](OpBuilder &builder, Value a, Value acc, Value stage,
                         int32_t pendings) {
    auto op = cast<StagedDotOp>(builder.clone(*second));
    op.getAccMutable().assign(acc);
    op.getAMutable().assign(a);
    op.getStageMutable().assign(stage);
    op.setPendings(pendings);
    return op;
  };

  // if (lb < ub): the rotated loop between its prologue and epilogue.
  Value runs = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                     loop.getLowerBound(),
                                     loop.getUpperBound());
  auto guard = scf::IfOp::create(b, loc, loop.getResultTypes(), runs,
                                 /*withElseRegion=*/true);
  OpBuilder otherwise = guard.getElseBodyBuilder();
  scf::YieldOp::create(otherwise, loc, loop.getInitArgs());
  OpBuilder then = guard.getThenBodyBuilder();

  // Prologue: iteration lb without the second dot.
  IRMapping first0;
  first0.map(loop.getInductionVar(), loop.getLowerBound());
  for (unsigned i = 0; i < numArgs; ++i)
    first0.map(loop.getRegionIterArgs()[i], loop.getInitArgs()[i]);
  for (Operation &op : body->without_terminator())
    if (&op != second.getOperation())
      then.clone(op, first0);
  // What an iteration hands the next: the yielded values but the second
  // dot's result, then the second dot's A, accumulator and stage.
  auto handedOn = [&](IRMapping &iteration) {
    SmallVector<Value> values;
    for (unsigned i = 0; i < numArgs; ++i)
      if (i != k)
        values.push_back(iteration.lookupOrDefault(yield.getOperand(i)));
    for (Value v : {Value(second.getA()), Value(second.getAcc()),
                    Value(second.getStage())})
      values.push_back(iteration.lookupOrDefault(v));
    return values;
  };
  SmallVector<Value> inits = handedOn(first0);

  // The rotated loop over the remaining iterations.
  Value start = arith::AddIOp::create(then, loc, loop.getLowerBound(),
                                      loop.getStep());
  auto rotated = scf::ForOp::create(then, loc, start, loop.getUpperBound(),
                                    loop.getStep(), inits);
  Block *newBody = rotated.getBody();
  OpBuilder in = OpBuilder::atBlockEnd(newBody);
  IRMapping map;
  map.map(loop.getInductionVar(), rotated.getInductionVar());
  unsigned next = 0;
  for (unsigned i = 0; i < numArgs; ++i)
    if (i != k)
      map.map(loop.getRegionIterArgs()[i], rotated.getRegionIterArgs()[next++]);
  Value prevA = rotated.getRegionIterArgs()[next];
  Value prevAcc = rotated.getRegionIterArgs()[next + 1];
  Value prevStage = rotated.getRegionIterArgs()[next + 2];
  StagedDotOp pendingSecond;
  for (Operation &op : body->without_terminator()) {
    if (&op == second.getOperation())
      continue;
    // The carried value is read (rescaled) here, or the next copies may
    // reuse (or the warps release) the stage the previous iteration's second
    // dot reads: wait for that dot first.
    if (pendingSecond && !map.contains(carried) &&
        (llvm::is_contained(op.getOperands(), carried) ||
         isa<AsyncCopyOp, TmaExpectOp, TmaCopyOp, MbarrierArriveOp>(op)))
      map.map(carried, DotWaitOp::create(in, loc, carried.getType(),
                                         pendingSecond.getResult(),
                                         in.getI32IntegerAttr(0))
                           .getResult());
    Operation *copy = in.clone(op, map);
    if (&op != first.getOperation())
      continue;
    // first(j) without a wait, second(j - 1) behind it, then the wait that
    // lets only second(j - 1) run on.
    auto issued = cast<StagedDotOp>(copy);
    issued.setPendings(-1);
    pendingSecond = cloneSecond(in, prevA, prevAcc, prevStage, /*pendings=*/1);
    auto done = DotWaitOp::create(in, loc, issued.getType(), issued.getResult(),
                                  in.getI32IntegerAttr(1));
    map.map(first.getResult(), done.getResult());
  }
  // An accumulator neither rescaled nor followed by copies: at the end.
  if (!map.contains(carried))
    map.map(carried, DotWaitOp::create(in, loc, carried.getType(),
                                       pendingSecond.getResult(),
                                       in.getI32IntegerAttr(0))
                         .getResult());
  scf::YieldOp::create(in, loc, handedOn(map));

  // Epilogue: the last iteration's second dot.
  unsigned last = rotated.getNumResults() - 3;
  StagedDotOp tail = cloneSecond(then, rotated.getResult(last),
                                 rotated.getResult(last + 1),
                                 rotated.getResult(last + 2), /*pendings=*/0);
  SmallVector<Value> results;
  next = 0;
  for (unsigned i = 0; i < numArgs; ++i)
    results.push_back(i == k ? tail.getResult() : rotated.getResult(next++));
  scf::YieldOp::create(then, loc, results);

  loop.replaceAllUsesWith(guard.getResults());
  loop.erase();
}
