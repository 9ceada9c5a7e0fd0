//===- ScheduleStagedDots.cpp - issue a loop's wgmma dots early, wait late -===//
//
// A loop body of staged dots that each wait for their own group leaves the
// tensor cores idle while the code between the dots runs. Attention's dK/dV
// loop is
//
//   S^T = K Q^T; P^T = f(S^T); dV += P^T dO; dP^T = V dO^T;
//   dS^T = P^T * (dP^T - delta); dK += dS^T Q
//
// Scheduled, dP^T is issued right after S^T (it needs only the ring), the
// wait for S^T lets dP^T run on while P^T is computed, dV's group runs while
// dS^T is computed, and dV and dK are waited for only where the iteration
// yields them:
//
//   S^T, dP^T issued; wait <= 1 (S^T); P^T; dV issued; wait <= 1 (dP^T);
//   dS^T; dK issued; ...; wait <= 1 (dV), wait 0 (dK); yield
//
// wgmma groups complete in the order they were committed, so waiting for a
// group leaves pending exactly the groups committed after it.
//
//===----------------------------------------------------------------------===//
#include "passes/ScheduleStagedDots.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
bool isPlainLoad(Operation *op) {
  auto load = dyn_cast<tile::LoadOp>(op);
  return load && !load.getIsVolatile();
}

/// Moves `op` above its predecessors while `passable(prev)` holds and `prev`
/// computes none of `op`'s operands and has no regions; whether it moved.
bool moveUpWhile(Operation *op, llvm::function_ref<bool(Operation *)> passable) {
  Operation *prev = op->getPrevNode();
  while (prev && !prev->getNumRegions() && passable(prev) &&
         llvm::none_of(op->getOperands(),
                       [&](Value v) { return v.getDefiningOp() == prev; }))
    prev = prev->getPrevNode();
  Operation *target = prev ? prev->getNextNode() : &op->getBlock()->front();
  if (target == op)
    return false;
  op->moveBefore(target);
  return true;
}

/// What a staged dot may move above: a pure op, a load from global memory
/// (a staged dot reads only shared memory and registers) or a staged dot
/// whose A the body computes (groups may be issued in either order, the
/// waits are placed after; one whose operands are all staged came first in
/// the kernel's text and keeps its place, so its result is waited for first).
bool dotCanPass(Operation *prev) {
  if (auto other = dyn_cast<StagedDotOp>(prev))
    return other.getA() != nullptr;
  return isPure(prev) || isPlainLoad(prev);
}

/// A dot_wait before the first use of each staged dot's result, leaving
/// pending the groups committed between the dot and that use.
bool placeWaits(Block *body) {
  bool changed = false;
  SmallVector<StagedDotOp> issued;
  for (Operation &op : body->getOperations())
    if (auto dot = dyn_cast<StagedDotOp>(op))
      issued.push_back(dot);
  for (auto [index, dot] : llvm::enumerate(issued)) {
    if (dot.getPendings() != 0)
      continue; // already scheduled (in flight across the back edge)
    Operation *firstUse = nullptr;
    for (Operation *user : dot->getUsers()) {
      Operation *inBody = body->findAncestorOpInBlock(*user);
      if (inBody && (!firstUse || inBody->isBeforeInBlock(firstUse)))
        firstUse = inBody;
    }
    if (!firstUse)
      continue;
    int32_t later = 0;
    for (StagedDotOp other : ArrayRef(issued).drop_front(index + 1))
      later += other->isBeforeInBlock(firstUse);
    // The first use is the next op and no group follows: waiting at issue
    // is the same.
    if (later == 0 && firstUse == dot->getNextNode())
      continue;
    dot.setPendings(-1);
    OpBuilder b(firstUse);
    auto wait = DotWaitOp::create(b, dot.getLoc(), dot.getType(),
                                  dot.getResult(), b.getI32IntegerAttr(later));
    dot.getResult().replaceAllUsesExcept(wait.getResult(), wait);
    changed = true;
  }
  return changed;
}

/// What a pure op or a global load may move above: a pure op, another load,
/// a staged dot or its wait (which read shared memory and registers only).
bool loadCanPass(Operation *prev) {
  return isPure(prev) || isa<StagedDotOp, DotWaitOp>(prev) || isPlainLoad(prev);
}

/// Moves `op` (a load or a pure op of `body`) as early as it can go, its
/// operands' pure producers in the body first (each once: `done`).
bool hoistWithOperands(Operation *op, Block *body,
                       llvm::SmallPtrSetImpl<Operation *> &done) {
  if (!done.insert(op).second)
    return false;
  bool changed = false;
  for (Value v : op->getOperands())
    if (Operation *def = v.getDefiningOp();
        def && def->getBlock() == body && isPure(def) && !def->getNumRegions())
      changed |= hoistWithOperands(def, body, done);
  return moveUpWhile(op, loadCanPass) || changed;
}
} // namespace

bool tessel::scheduleStagedDots(scf::ForOp loop, ArrayRef<StagedDotOp> dots) {
  Block *body = loop.getBody();
  bool changed = false;
  // 1. Issue early: each dot (in order) moves up past what it does not use.
  for (StagedDotOp dot : dots)
    changed |= moveUpWhile(dot, dotCanPass);
  // 2. Wait late.
  changed |= placeWaits(body);
  // 3. Load early.
  changed |= hoistLoadsAboveStagedDots(loop);
  return changed;
}

bool tessel::hoistLoadsAboveStagedDots(scf::ForOp loop) {
  Block *body = loop.getBody();
  SmallVector<Operation *> loads;
  for (Operation &op : body->getOperations())
    if (isPlainLoad(&op))
      loads.push_back(&op);
  bool changed = false;
  llvm::SmallPtrSet<Operation *, 32> done;
  for (Operation *load : loads)
    changed |= hoistWithOperands(load, body, done);
  return changed;
}

