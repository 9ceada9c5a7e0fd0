//===- ClusterMulticast.cpp - a TMA ring shared by a 2-CTA cluster --------===//
//
// See ClusterMulticast.h.
//
//===----------------------------------------------------------------------===//
#include "passes/ClusterMulticast.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
/// Bytes per compared value in the exchange area.
constexpr int64_t kExchangeBytes = 8;

/// Whether `v` is the same in every program of a launch: the kernel's
/// arguments, constants, the number of programs, and arith ops on those.
bool sameInEveryProgram(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return isa<func::FuncOp>(arg.getOwner()->getParentOp());
  Operation *op = v.getDefiningOp();
  if (matchPattern(v, m_Constant()) || isa<tile::NumProgramsOp>(op))
    return true;
  if (!isa<arith::ArithDialect>(op->getDialect()) || !isMemoryEffectFree(op))
    return false;
  return llvm::all_of(op->getOperands(), sameInEveryProgram);
}

/// Adds to `roots` the values from outside `loop` that `v` (used by the
/// loop's copies) is computed from, leaving out those the same in every
/// program. Fails where `v` depends on anything else: memory, ops with
/// regions, non-integer values from outside.
bool collectRoots(scf::ForOp loop, Value v, llvm::SetVector<Value> &roots,
                  llvm::DenseSet<Value> &seen) {
  if (!seen.insert(v).second)
    return true;
  if (!loop->isAncestor(v.getParentRegion()->getParentOp())) {
    if (sameInEveryProgram(v))
      return true;
    if (!v.getType().isSignlessIntOrIndex())
      return false;
    roots.insert(v);
    return true;
  }
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (arg == loop.getInductionVar())
      return true; // the bounds are compared
    if (arg.getOwner() != loop.getBody())
      return false;
    // A carried value: its initial value and how the body advances it.
    unsigned index = arg.getArgNumber() - loop.getNumInductionVars();
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    return collectRoots(loop, loop.getInitArgs()[index], roots, seen) &&
           collectRoots(loop, yield.getOperand(index), roots, seen);
  }
  Operation *op = v.getDefiningOp();
  if (op->getNumRegions() || !isMemoryEffectFree(op))
    return false;
  return llvm::all_of(op->getOperands(), [&](Value operand) {
    return collectRoots(loop, operand, roots, seen);
  });
}

/// What the two programs compare before sharing `slot`'s copies: its
/// coordinates' roots and the loop's bounds (the same trip count). Fails
/// where the coordinates are not computed as collectRoots allows.
FailureOr<SmallVector<Value>> comparedValues(scf::ForOp loop, RingSlot slot) {
  llvm::SetVector<Value> roots;
  llvm::DenseSet<Value> seen;
  for (Value v : {loop.getLowerBound(), loop.getUpperBound(), loop.getStep()})
    if (!collectRoots(loop, v, roots, seen))
      return failure();
  for (Value c : slot.load.getCoords())
    if (!collectRoots(loop, c, roots, seen))
      return failure();
  return SmallVector<Value>(roots.begin(), roots.end());
}

Value constI32(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}

/// The rank of the program that issues the shared copies into `stage`:
/// stage % 2, so that each stage's empty barrier hears of every use of the
/// stage (with an odd number of stages, use % 2 would alternate the issuer
/// between a stage's uses, and each program's barrier would count only
/// half of them).
Value issuerRank(OpBuilder &b, Location loc, Value stage) {
  return arith::AndIOp::create(b, loc, stage, constI32(b, loc, 1));
}
} // namespace

int64_t tessel::clusterRingBytes(scf::ForOp loop, ArrayRef<RingSlot> slots,
                                 int stages) {
  int64_t values = 0;
  for (RingSlot slot : slots)
    if (auto compared = comparedValues(loop, slot); succeeded(compared))
      values += compared->size();
  return stages * kMbarrierBytes + values * kExchangeBytes;
}

bool tessel::canShareAcrossCluster(scf::ForOp loop, ArrayRef<RingSlot> slots) {
  auto func = dyn_cast<func::FuncOp>(loop->getParentOp());
  if (!func || !func->hasAttr(tile::kKernelAttrName) ||
      loop->getBlock() != &func.getBody().front())
    return false;
  return llvm::all_of(slots, [&](RingSlot slot) {
    return succeeded(comparedValues(loop, slot));
  });
}

ClusterRing tessel::setUpClusterRing(OpBuilder &pre, scf::ForOp loop,
                                     ArrayRef<RingSlot> slots, int stages,
                                     int64_t barrierOffset) {
  Location loc = loop.getLoc();
  ClusterRing cluster;
  cluster.emptyOffset = barrierOffset + stages * kMbarrierBytes;
  // One arrival per program of the pair.
  MbarrierInitOp::create(pre, loc, pre.getI64IntegerAttr(stages),
                         pre.getI64IntegerAttr(cluster.emptyOffset),
                         pre.getI64IntegerAttr(2), UnitAttr());
  int64_t exchange = cluster.emptyOffset + stages * kMbarrierBytes;
  cluster.rank = ClusterRankOp::create(pre, loc, pre.getI32Type());
  for (RingSlot slot : slots) {
    SmallVector<Value> compared = *comparedValues(loop, slot);
    cluster.multicast.push_back(ClusterPeerMatchOp::create(
        pre, loc, pre.getI1Type(), compared, pre.getI64IntegerAttr(exchange)));
    exchange += int64_t(compared.size()) * kExchangeBytes;
    cluster.anyMulticast =
        cluster.anyMulticast
            ? arith::OrIOp::create(pre, loc, cluster.anyMulticast,
                                   cluster.multicast.back())
                  .getResult()
            : cluster.multicast.back();
  }
  return cluster;
}

Value tessel::copiesSlot(OpBuilder &b, Location loc, const ClusterRing &cluster,
                         unsigned slot, Value stage, Value valid) {
  Value issuer = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                       cluster.rank, issuerRank(b, loc, stage));
  Value own = arith::XOrIOp::create(
      b, loc, cluster.multicast[slot],
      arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
  return arith::AndIOp::create(b, loc, valid,
                               arith::OrIOp::create(b, loc, own, issuer));
}

void tessel::waitForClusterStage(OpBuilder &b, Location loc,
                                 const ClusterRing &cluster, Value use,
                                 Value stage, Value valid, int stages) {
  // Use u - S released the stage: phase ((u - S) / S) % 2 of its barrier.
  Value s = constI32(b, loc, stages);
  Value phase = arith::AndIOp::create(
      b, loc,
      arith::AddIOp::create(b, loc, arith::DivUIOp::create(b, loc, use, s),
                            constI32(b, loc, 1)),
      constI32(b, loc, 1));
  Value reused =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, use, s);
  Value issuer = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                       cluster.rank, issuerRank(b, loc, stage));
  Value wait = arith::AndIOp::create(
      b, loc, arith::AndIOp::create(b, loc, valid, cluster.anyMulticast),
      arith::AndIOp::create(b, loc, reused, issuer));
  ClusterStageWaitOp::create(b, loc, stage, phase, wait,
                             b.getI64IntegerAttr(cluster.emptyOffset));
}

void tessel::releaseClusterStage(OpBuilder &b, Location loc,
                                 const ClusterRing &cluster, Value use,
                                 Value valid, int stages) {
  // Uses before S fill stages nobody used: no release to wait for.
  Value s = constI32(b, loc, stages);
  Value stage = arith::RemUIOp::create(b, loc, use, s);
  Value reused =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, use, s);
  ClusterStageReleaseOp::create(
      b, loc, stage, issuerRank(b, loc, stage),
      arith::AndIOp::create(b, loc,
                            arith::AndIOp::create(b, loc, valid, reused),
                            cluster.anyMulticast),
      b.getI64IntegerAttr(cluster.emptyOffset));
}

void tessel::finishClusterRing(Operation *retire, int stages,
                               const ClusterRing &cluster) {
  OpBuilder b(retire);
  Location loc = retire->getLoc();
  ClusterBarrierOp::create(b, loc);
  b.setInsertionPointAfter(retire);
  MbarrierInvalOp::create(b, loc, b.getI64IntegerAttr(stages),
                          b.getI64IntegerAttr(cluster.emptyOffset));
}
