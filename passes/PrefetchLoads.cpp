//===- PrefetchLoads.cpp - loads of a dot loop issued an iteration early --===//
//
//   for i = lb to ub iter_args(p = p0):        x0 = load(P(lb, p0), M & lb <
//   ub)
//     x = load(P(i, p), M(i, p))          =>    for i = lb to ub iter_args(p =
//     p0, x = x0): acc = dot(x, ...)                           xn = load(P(i+s,
//     Y(i, p)), M' & i+s < ub) yield Y(i, p)                               acc
//     = dot(x, ...)
//                                                 yield Y(i, p), xn
//
// P, M and Y are recomputed by cloning their pure producers: at the top of
// the body for the next iteration (the iteration arguments of i + 1 are the
// values yielded by i), before the loop for the first one.
//
//===----------------------------------------------------------------------===//
#include "dialects/Tile/IR/TileDialect.h"
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/AxisInfo.h"
#include "passes/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace tessel {
#define GEN_PASS_DEF_PREFETCHLOADS
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

namespace {
/// Recomputes values of a loop body for another iteration: the induction
/// variable and the iteration arguments take given values, body ops are
/// cloned (pure ones only), values from outside the loop stay.
class IterationCloner {
public:
  IterationCloner(scf::ForOp loop, Value iv, ArrayRef<Value> args,
                  IterationCloner *argsFrom = nullptr)
      : loop(loop), iv(iv), args(args), argsFrom(argsFrom) {}

  /// Whether `v` can be recomputed this way.
  bool canClone(Value v) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != loop.getBody())
        return !loop->isAncestor(arg.getOwner()->getParentOp());
      if (arg == loop.getInductionVar())
        return true;
      unsigned i = arg.getArgNumber() - 1;
      // The next iteration's arguments are the current yield operands.
      return !argsFrom || argsFrom->canClone(yieldOperand(i));
    }
    Operation *def = v.getDefiningOp();
    if (!loop->isAncestor(def))
      return true;
    if (def->getBlock() != loop.getBody() || def->getNumRegions() ||
        isa<tile::LoadOp>(def) || !isMemoryEffectFree(def))
      return false;
    return llvm::all_of(def->getOperands(),
                        [&](Value operand) { return canClone(operand); });
  }

  /// `v` for this iteration; call after canClone returned true.
  Value clone(OpBuilder &b, Value v) {
    if (Value done = mapping.lookupOrNull(v))
      return done;
    Value result;
    if (auto arg = dyn_cast<BlockArgument>(v);
        arg && arg.getOwner() == loop.getBody()) {
      unsigned n = arg.getArgNumber();
      if (n == 0)
        result = iv;
      else if (argsFrom)
        result = argsFrom->clone(b, yieldOperand(n - 1));
      else
        result = args[n - 1];
    } else if (Operation *def = v.getDefiningOp();
               def && loop->isAncestor(def)) {
      for (Value operand : def->getOperands())
        clone(b, operand);
      Operation *copy = b.clone(*def, mapping);
      result = copy->getResult(cast<OpResult>(v).getResultNumber());
    } else {
      result = v;
    }
    mapping.map(v, result);
    return result;
  }

private:
  Value yieldOperand(unsigned i) {
    return loop.getBody()->getTerminator()->getOperand(i);
  }

  scf::ForOp loop;
  Value iv;
  SmallVector<Value> args;
  IterationCloner *argsFrom;
  IRMapping mapping;
};

/// `load` for the iteration whose values `cloner` gives, masked off unless
/// `inRange`.
Value prefetch(OpBuilder &b, tile::LoadOp load, IterationCloner &cloner,
               Value inRange) {
  Location loc = load.getLoc();
  Value ptr = cloner.clone(b, load.getPtr());
  auto ptrType = cast<RankedTensorType>(ptr.getType());
  Value mask = tile::SplatOp::create(
      b, loc, RankedTensorType::get(ptrType.getShape(), b.getI1Type()),
      inRange);
  if (load.getMask())
    mask = arith::AndIOp::create(b, loc, cloner.clone(b, load.getMask()), mask);
  Value other = load.getOther() ? cloner.clone(b, load.getOther()) : Value();
  return tile::LoadOp::create(b, loc, ptr, mask, other, load.getCache(),
                              load.getEvict(), load.getIsVolatile())
      .getResult();
}

struct PrefetchLoadsPass : tessel::impl::PrefetchLoadsBase<PrefetchLoadsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    std::optional<AxisInfoAnalysis> axis;
    if (cpAsyncRing)
      axis.emplace(getOperation());
    getOperation().walk([&](scf::ForOp loop) {
      bool hasDot =
          llvm::any_of(loop.getBody()->getOperations(),
                       [](Operation &op) { return isa<tile::DotOp>(op); });
      // tl.range(..., num_stages=N) overrides the kernel's for its loop.
      if (hasDot && tile::loopNumStages(loop, numStages) >= 2 &&
          !(axis && ringCandidate(loop, *axis)))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      prefetchLoop(loop);
  }

  /// Whether `load` can become 16-byte cp.async copies (8 16-bit elements
  /// per run along the row, 16-byte aligned, a mask uniform over runs, zero
  /// or no `other`): tessel-pipeline-dot-operands' condition before layouts.
  static bool copyable(tile::LoadOp load, const AxisInfoAnalysis &axis) {
    auto type = dyn_cast<RankedTensorType>(load.getType());
    if (!type || type.getRank() != 2 || load.getIsVolatile() ||
        tile::getElementBitWidth(type.getElementType()) != 16)
      return false;
    if (axis.getPtrContiguity(load.getPtr(), 1) < 8 ||
        axis.getPtrAlignment(load.getPtr(), 1) < 16 ||
        (load.getMask() && axis.getMaskConstancy(load.getMask(), 1) < 8))
      return false;
    Value other = load.getOther();
    return !other || matchPattern(other, m_AnyZeroFloat()) ||
           matchPattern(other, m_Zero());
  }

  /// Whether the cp.async ring of tessel-pipeline-dot-operands takes the
  /// loop (it must not be prefetched as well): nothing in the body writes
  /// memory, every dot is one mma.sync takes (2-D, 16-bit operands, M, N
  /// and K multiples of 16, 8 and 16; a chain of dots 16 rows per warp),
  /// and each dot operand is a load of the
  /// body the ring copies (B possibly through tl.trans), a value defined
  /// before the loop (attention's Q), or computed from another dot's result
  /// without loads (attention's P); at least one is a ring load.
  bool ringCandidate(scf::ForOp loop, const AxisInfoAnalysis &axis) const {
    Block *body = loop.getBody();
    bool anyRingLoad = false;
    // A chain of dots keeps its rows in warps only with M a multiple of 16
    // rows per warp (convert-tile-to-tilegpu); otherwise its reductions go
    // through shared memory, which the ring does not allow.
    int64_t chainRows = 16 * std::max<int64_t>(1, numThreads / 32);
    bool chain = llvm::count_if(body->getOperations(), [](Operation &op) {
                   return isa<tile::DotOp>(op);
                 }) > 1;
    for (Operation &op : body->getOperations()) {
      auto dot = dyn_cast<tile::DotOp>(op);
      if (!dot) {
        if (!isa<tile::LoadOp, scf::YieldOp>(op) && !isMemoryEffectFree(&op))
          return false;
        continue;
      }
      auto acc = cast<RankedTensorType>(dot.getAcc().getType());
      auto a = cast<RankedTensorType>(dot.getA().getType());
      if (acc.getRank() != 2 ||
          tile::getElementBitWidth(a.getElementType()) != 16 ||
          acc.getShape()[0] % (chain ? chainRows : 16) ||
          acc.getShape()[1] % 8 || a.getShape()[1] % 16)
        return false;
      for (Value operand : {dot.getA(), dot.getB()}) {
        Value loaded = operand;
        // B may be the transpose of an N x K load (A B^T).
        if (auto trans = operand.getDefiningOp<tile::TransOp>();
            trans && operand == dot.getB() && trans->hasOneUse() &&
            trans.getOrder().size() == 2 && trans.getOrder()[0] == 1)
          loaded = trans.getSrc();
        if (auto load = loaded.getDefiningOp<tile::LoadOp>();
            load && load->getBlock() == body) {
          if (!load->hasOneUse() || !copyable(load, axis))
            return false;
          anyRingLoad = true;
          continue;
        }
        if (!loop->isAncestor(operand.getParentRegion()->getParentOp()))
          continue; // defined before the loop
        if (!fromDotsOnly(operand, body))
          return false;
      }
    }
    return anyRingLoad;
  }

  /// Whether `v`, computed in `body`, derives from a dot's result there
  /// through loads-free ops (and values from outside the body).
  static bool fromDotsOnly(Value v, Block *body) {
    SmallVector<Value> work{v};
    llvm::SmallPtrSet<Operation *, 16> seen;
    bool dot = false;
    while (!work.empty()) {
      Operation *def = work.pop_back_val().getDefiningOp();
      if (!def || def->getBlock() != body || !seen.insert(def).second)
        continue;
      if (isa<tile::DotOp>(def)) {
        dot = true;
        continue;
      }
      // Reductions' regions only combine values (the softmax's max, sum).
      if (isa<tile::LoadOp>(def) ||
          (def->getNumRegions() && !isa<tile::ReduceOp>(def)))
        return false;
      work.append(def->operand_begin(), def->operand_end());
    }
    return dot;
  }

  /// 32-bit registers per thread of a tensor of `type` spread over the
  /// program's threads, `copies` times.
  int64_t registersOf(RankedTensorType type, int64_t copies = 1) const {
    int64_t bits =
        type.getNumElements() * tile::getElementBitWidth(type.getElementType());
    return llvm::divideCeil(bits * copies, 32 * int64_t(numThreads));
  }

  /// The registers per thread the loop would need with `loads` prefetched:
  /// each dot's accumulator and its operand fragments (an mma.sync split of
  /// the warps over 16x8 tiles: A is copied on every warp along N, B on
  /// every warp along M), the prefetched tiles, and 40 for the rest.
  int64_t estimateRegisters(scf::ForOp loop,
                            ArrayRef<tile::LoadOp> loads) const {
    int64_t warps = std::max<int64_t>(1, numThreads / 32), total = 40;
    for (Operation &op : loop.getBody()->getOperations()) {
      auto dot = dyn_cast<tile::DotOp>(op);
      if (!dot)
        continue;
      auto acc = cast<RankedTensorType>(dot.getAcc().getType());
      auto a = cast<RankedTensorType>(dot.getA().getType());
      auto b = cast<RankedTensorType>(dot.getB().getType());
      total += registersOf(acc);
      if (acc.getRank() != 2) {
        total += registersOf(a) + registersOf(b);
        continue;
      }
      auto [wm, wn] = tilegpu::splitWarps(unsigned(warps), acc.getShape()[0],
                                          acc.getShape()[1], 16, 8);
      total += registersOf(a, wn) + registersOf(b, wm);
    }
    for (tile::LoadOp load : loads)
      total += registersOf(cast<RankedTensorType>(load.getType()));
    return total;
  }

  void prefetchLoop(scf::ForOp loop) {
    IterationCloner current(loop, loop.getInductionVar(),
                            SmallVector<Value>(loop.getRegionIterArgs()));
    SmallVector<tile::LoadOp> loads;
    for (Operation &op : loop.getBody()->getOperations()) {
      auto load = dyn_cast<tile::LoadOp>(op);
      if (!load || !isa<RankedTensorType>(load.getType()))
        continue;
      IterationCloner next(loop, Value(), {}, &current);
      bool ok = next.canClone(load.getPtr()) &&
                (!load.getMask() || next.canClone(load.getMask())) &&
                (!load.getOther() || next.canClone(load.getOther()));
      if (ok)
        loads.push_back(load);
    }
    if (loads.empty())
      return;
    if (registerBudget &&
        estimateRegisters(loop, loads) > int64_t(registerBudget))
      return;

    // The first iteration's loads, before the loop.
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    IterationCloner first(loop, loop.getLowerBound(),
                          SmallVector<Value>(loop.getInitArgs()));
    Value anyIteration =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                              loop.getLowerBound(), loop.getUpperBound());
    SmallVector<Value> inits;
    for (tile::LoadOp load : loads)
      inits.push_back(prefetch(b, load, first, anyIteration));

    // The next iteration's loads at the top of the body: issued before this
    // iteration's dot.
    OpBuilder top = OpBuilder::atBlockBegin(loop.getBody());
    Value iv = loop.getInductionVar();
    Value nextIv = arith::AddIOp::create(top, loc, iv, loop.getStep());
    Value inRange = arith::CmpIOp::create(top, loc, arith::CmpIPredicate::slt,
                                          nextIv, loop.getUpperBound());
    IterationCloner next(loop, nextIv, {}, &current);
    SmallVector<Value> nexts;
    for (tile::LoadOp load : loads)
      nexts.push_back(prefetch(top, load, next, inRange));

    IRRewriter rewriter(loop.getContext());
    rewriter.setInsertionPoint(loop);
    FailureOr<LoopLikeOpInterface> replaced = loop.replaceWithAdditionalYields(
        rewriter, inits, /*replaceInitOperandUsesInLoop=*/false,
        [&](OpBuilder &, Location, ArrayRef<BlockArgument>) { return nexts; });
    if (failed(replaced))
      return;
    auto newLoop = cast<scf::ForOp>(replaced->getOperation());
    auto carried = newLoop.getRegionIterArgs().take_back(loads.size());
    for (auto [load, arg] : llvm::zip(loads, carried)) {
      load.getResult().replaceAllUsesWith(arg);
      load.erase();
    }
  }
};
} // namespace
