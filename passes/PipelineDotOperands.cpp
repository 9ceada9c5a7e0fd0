//===- PipelineDotOperands.cpp - a cp.async ring feeding wgmma ------------===//
//
// A loop whose wgmma dot (tilegpu.async_dot) reads two tiles loaded in the
// same iteration becomes a software pipeline over S = D + 2 shared-memory
// stages, with the loads issued D = num_stages - 1 iterations ahead as
// cp.async straight into the stage the dot will read (no registers):
//
//   copy iterations 0 .. D-1 into stages 0 .. D-1          (prologue)
//   for i:
//     wait until iteration i's copies landed; fence; barrier
//     acc = shared_dot acc, stage i % S      (wgmma; then wait for i - 1's)
//     copy iteration i + D into stage (i + D) % S
//   wait for the (empty) copies still in flight
//
// One barrier per iteration suffices: when a thread passes iteration i's
// barrier, every warpgroup has finished wgmma i - 2, so the stages in use
// are i % S and (i - 1) % S, and (i + D) % S = (i - 2) % S is free. Copies
// for iterations past the end read nothing (their mask is false).
//
// Applies when each operand is a tile.load whose pointers give every thread
// 16-byte aligned runs of 16 bytes (8 f16/bf16 or 16 i8 elements) along the
// second dimension, whose mask is uniform over such runs and whose `other` is
// 0, and whose pointers and mask the loop computes from its iteration arguments
// and induction variable alone. The body must not write memory.
//
// Loops with several wgmma dots (attention: S = Q K^T, then P V) get a
// ring too, with the dots as tilegpu.staged_dot over explicit regions:
//   - an operand loaded in the loop (V as B, or K through tl.trans as a
//     K-major B) is copied D iterations ahead into its slot of the stage,
//   - a loop-invariant loaded operand (Q) is copied once, before the loop,
//     into a region of its own,
//   - any other A operand (P, computed in the loop) comes from registers:
//     wgmma reads it there when it is in the accumulator's layout (the
//     softmax of a previous dot's result), else the dot stores it into a
//     scratch region.
// Each staged_dot waits for its own wgmma, so S = D + 1 stages suffice: at
// iteration i's barrier every thread has finished iteration i - 1, whose
// stage the copies for iteration i + D then reuse. A loop whose only dot
// accumulates into its loop-carried value (A B^T; 8-bit operands) from ring
// or resident operands instead leaves the wgmma in flight, as shared_dot
// does (pendings = 1, a dot_wait after the loop), over S = D + 2 stages.
//
//===----------------------------------------------------------------------===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/AxisInfo.h"
#include "passes/ClusterMulticast.h"
#include "passes/Passes.h"
#include "passes/RotateStagedDots.h"
#include "passes/ScheduleStagedDots.h"
#include "passes/WarpSpecializeRing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace tessel {
#define GEN_PASS_DEF_PIPELINEDOTOPERANDS
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
/// Bytes per cp.async.
constexpr int64_t kRunBytes = 16;

/// Bytes per element of a tile.
int64_t elementBytes(Value v) {
  return tile::getElementBitWidth(
             cast<RankedTensorType>(v.getType()).getElementType()) /
         8;
}
/// Shared memory a Hopper thread block may use (the opt-in maximum).
const int64_t kMaxSharedBytes =
    TargetInfo{TargetKind::NVIDIA, "sm_90a"}.maxSharedBytes();

/// Whether `op` is a pure, region-free op of the loop's own body (one that
/// can be recomputed for another iteration).
bool isPureBodyOp(scf::ForOp loop, Operation *op) {
  return op && op->getBlock() == loop.getBody() && !op->getNumRegions() &&
         isPure(op);
}

/// Values of the loop body as of a later iteration, or of iteration j
/// before the loop (the prologue), by cloning the body's pure ops.
class IterationCloner {
public:
  /// With `cloneCurrent`, values of the current iteration (depth 0) are
  /// recomputed at the builder too, for copies issued before the body
  /// computes them.
  IterationCloner(scf::ForOp loop, bool prologue, bool cloneCurrent = false)
      : loop(loop), prologue(prologue), cloneCurrent(cloneCurrent) {}

  /// Whether `v`, `depth` iterations on, can be computed this way.
  bool canClone(Value v, int depth) {
    if (!loop.getBody()->getParent()->isAncestor(v.getParentRegion()))
      return true;
    if (v == loop.getInductionVar())
      return true;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != loop.getBody())
        return false;
      if (depth == 0)
        return true;
      auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
      return canClone(yield.getOperand(arg.getArgNumber() - 1), depth - 1);
    }
    Operation *op = v.getDefiningOp();
    if (!isPureBodyOp(loop, op))
      return false;
    return llvm::all_of(op->getOperands(),
                        [&](Value o) { return canClone(o, depth); });
  }

  /// `v` at `depth` iterations after the current one (in the loop) or at
  /// iteration `depth` (prologue); new ops go at `b`'s insertion point.
  Value at(OpBuilder &b, Value v, int depth) {
    if (!loop.getBody()->getParent()->isAncestor(v.getParentRegion()))
      return v;
    auto key = std::make_pair(v, depth);
    if (auto it = memo.find(key); it != memo.end())
      return it->second;
    Value result;
    Location loc = v.getLoc();
    if (v == loop.getInductionVar()) {
      Value base = prologue ? loop.getLowerBound() : v;
      result = depth == 0
                   ? base
                   : arith::AddIOp::create(b, loc, base, stepTimes(b, depth));
    } else if (auto arg = dyn_cast<BlockArgument>(v)) {
      unsigned index = arg.getArgNumber() - 1;
      if (depth == 0) {
        result = prologue ? loop.getInitArgs()[index] : v;
      } else {
        auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
        result = at(b, yield.getOperand(index), depth - 1);
      }
    } else if (!prologue && depth == 0 && !cloneCurrent) {
      result = v; // the body's own value (the clone sits at the body's end)
    } else {
      Operation *op = v.getDefiningOp();
      IRMapping map;
      for (Value operand : op->getOperands())
        map.map(operand, at(b, operand, depth));
      Operation *clone = b.clone(*op, map);
      result = clone->getResult(cast<OpResult>(v).getResultNumber());
    }
    memo[key] = result;
    return result;
  }

  scf::ForOp getLoop() const { return loop; }

  /// Makes `at(v, depth)` return `is` (a value carried that far ahead).
  void assume(Value v, int depth, Value is) { memo[{v, depth}] = is; }

  Value stepTimes(OpBuilder &b, int n) {
    Location loc = loop.getLoc();
    Value count = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(loop.getStep().getType(), n));
    return arith::MulIOp::create(b, loc, loop.getStep(), count);
  }

private:
  scf::ForOp loop;
  bool prologue, cloneCurrent;
  llvm::DenseMap<std::pair<Value, int>, Value> memo;
};

/// Issues one iteration's copies (`cloner` at `iterDepth`) into `stage`,
/// where the iteration exists (`valid`), and commits them as a group.
using IssueFn =
    llvm::function_ref<void(OpBuilder &, IterationCloner &, int, Value, Value)>;

Value constI32(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}

/// The prologue: iterations 0 .. depth-1 into stages 0 .. depth-1, at `pre`.
void issuePrologue(OpBuilder &pre, scf::ForOp loop, int depth, IssueFn issue) {
  Location loc = loop.getLoc();
  IterationCloner before(loop, /*prologue=*/true);
  for (int j = 0; j < depth; ++j) {
    Value iv = before.at(pre, loop.getInductionVar(), j);
    Value valid = arith::CmpIOp::create(pre, loc, arith::CmpIPredicate::slt, iv,
                                        loop.getUpperBound());
    issue(pre, before, j, constI32(pre, loc, j), valid);
  }
}

/// A ring whose copies are TMA loads (host descriptors' blocks on Hopper):
/// one thread issues them, one mbarrier per stage (at `barrierOffset`)
/// counts their bytes, and the phase of a stage's barrier flips with each
/// use, so iteration i waits for parity (i / stages) % 2 of stage
/// i % stages. Iterations past the end issue nothing, so nothing is in
/// flight after the loop. With `producerWarp` a producer warp issues the
/// copies (WarpSpecializeRing.h): the consumers wait without a barrier and
/// release stages through empty mbarriers.
struct TmaRing {
  int stages;
  int64_t barrierOffset;
  bool producerWarp = false;
  /// The use number of the loop's first iteration, when it continues an
  /// earlier loop's producer ring (null: 0).
  Value useBase;
  /// With num_ctas = 2: the copies the programs of a cluster share
  /// (ClusterMulticast.h).
  std::optional<ClusterRing> cluster;
};

/// In the body at `b`: waits until this iteration's copies landed and
/// returns the iteration's use of the ring (an i32 from 0, or from the
/// ring's use base).
Value waitForIteration(OpBuilder &b, scf::ForOp loop, int depth,
                       const std::optional<TmaRing> &tma) {
  Location loc = loop.getLoc();
  if (!tma)
    AsyncCopyWaitOp::create(b, loc,
                            b.getI32IntegerAttr(std::max(depth - 1, 0)));
  Value iteration = iterationNumber(b, loc, loop.getInductionVar(),
                                    loop.getLowerBound(), loop.getStep());
  if (tma && tma->useBase)
    iteration = arith::AddIOp::create(b, loc, tma->useBase, iteration);
  if (tma) {
    Value stages = constI32(b, loc, tma->stages);
    Value stage = arith::RemUIOp::create(b, loc, iteration, stages);
    Value phase = arith::AndIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, iteration, stages),
        constI32(b, loc, 1));
    TmaWaitOp::create(b, loc, stage, phase,
                      b.getI64IntegerAttr(tma->barrierOffset),
                      b.getBoolAttr(!tma->producerWarp));
  }
  return iteration;
}

/// Before the prologue of a TMA ring: whatever used shared memory earlier
/// is done, then the stages' barriers.
void initTmaRing(OpBuilder &pre, Location loc, const TmaRing &tma) {
  tile::BarrierOp::create(pre, loc);
  MbarrierInitOp::create(pre, loc, pre.getI64IntegerAttr(tma.stages),
                         pre.getI64IntegerAttr(tma.barrierOffset));
}

/// Whether `load` is a host descriptor's block TMA can copy into a ring
/// stage (see tile.load's tensor map).
bool tmaLoadable(tile::LoadOp load) {
  if (!load.getTensormap() || load.getIsVolatile())
    return false;
  auto type = cast<RankedTensorType>(load.getType());
  unsigned bits = tile::getElementBitWidth(type.getElementType());
  if (type.getRank() != 2 || (bits != 8 && bits != 16) ||
      type.getShape()[0] > kMaxTmaBoxRows ||
      !wgmmaSwizzleBytes(type.getShape()[1], bits / 8))
    return false;
  // TMA fills out-of-bounds elements with zeros.
  Value other = load.getOther();
  return !other || matchPattern(other, m_AnyZeroFloat()) ||
         matchPattern(other, m_Zero());
}

/// One TMA ring stage's copies: the arrival expecting their bytes, then a
/// copy of each load's block at its offset.
void issueTmaStage(OpBuilder &b, Location loc, const TmaRing &tma,
                   IterationCloner &cloner, int iterDepth, Value stage,
                   Value valid, int64_t stageBytes,
                   ArrayRef<std::pair<tile::LoadOp, int64_t>> slots) {
  int64_t bytes = 0;
  for (auto [load, offset] : slots)
    bytes += cast<RankedTensorType>(load.getType()).getNumElements() *
             elementBytes(load.getResult());
  auto barrierOffset = b.getI64IntegerAttr(tma.barrierOffset);
  Value use;
  if (tma.cluster) {
    scf::ForOp loop = cloner.getLoop();
    use =
        iterationNumber(b, loc, cloner.at(b, loop.getInductionVar(), iterDepth),
                        loop.getLowerBound(), loop.getStep());
    waitForClusterStage(b, loc, *tma.cluster, use, stage, valid, tma.stages);
  }
  TmaExpectOp::create(b, loc, stage, valid, b.getI64IntegerAttr(bytes),
                      barrierOffset, /*producer=*/UnitAttr());
  for (auto [index, slot] : llvm::enumerate(slots)) {
    auto [load, offset] = slot;
    SmallVector<Value> coords;
    for (Value c : load.getCoords())
      coords.push_back(cloner.at(b, c, iterDepth));
    Value copies = valid, multicast;
    if (tma.cluster) {
      copies = copiesSlot(b, loc, *tma.cluster, index, stage, valid);
      multicast = tma.cluster->multicast[index];
    }
    TmaCopyOp::create(b, loc, load.getTensormap(), coords, stage, copies,
                      multicast, TypeAttr::get(load.getType()),
                      b.getI64IntegerAttr(stageBytes),
                      b.getI64IntegerAttr(offset), barrierOffset,
                      /*producer=*/UnitAttr());
  }
}

/// One iteration's cp.async copies of `slots` (loads and their offsets in
/// the stage; `cloner` at `iterDepth`) into `stage`, where the iteration
/// exists (`valid`), committed as one group.
void issueAsyncCopies(OpBuilder &b, Location loc, IterationCloner &cloner,
                      int iterDepth, Value stage, Value valid,
                      int64_t stageBytes,
                      ArrayRef<std::pair<tile::LoadOp, int64_t>> slots) {
  for (auto [load, offset] : slots) {
    Value ptr = cloner.at(b, load.getPtr(), iterDepth);
    auto ptrType = cast<RankedTensorType>(ptr.getType());
    auto maskType = RankedTensorType::get(ptrType.getShape(), b.getI1Type(),
                                          ptrType.getEncoding());
    Value mask = tile::SplatOp::create(b, loc, maskType, valid);
    if (load.getMask())
      mask = arith::AndIOp::create(
          b, loc, cloner.at(b, load.getMask(), iterDepth), mask);
    AsyncCopyOp::create(b, loc, ptr, mask, stage,
                        b.getI64IntegerAttr(stageBytes),
                        b.getI64IntegerAttr(offset));
  }
  AsyncCopyCommitOp::create(b, loc);
}

/// Whether `v` has the same value in every iteration: defined outside the
/// loop, or computed in the body by pure ops from such values.
bool isLoopInvariant(scf::ForOp loop, Value v) {
  if (!loop.getBody()->getParent()->isAncestor(v.getParentRegion()))
    return true;
  Operation *op = v.getDefiningOp();
  if (!isPureBodyOp(loop, op))
    return false;
  return llvm::all_of(op->getOperands(),
                      [&](Value o) { return isLoopInvariant(loop, o); });
}

/// Loop-carried values the copies only need `depth` iterations ahead: an
/// argument advanced by a loop-invariant step (a pointer tile moved by
/// BLOCK_K each iteration) whose other users are the loads the ring
/// replaces (`removed`) and whose final value is unused. It is carried
/// `depth` iterations ahead instead (its initial value advanced in the
/// preheader), so the copies read it as it is rather than advancing it
/// `depth` more times in every iteration.
void carryAhead(scf::ForOp loop, IterationCloner &ahead, int depth,
                llvm::function_ref<bool(Operation *)> removed) {
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  OpBuilder pre(loop);
  IterationCloner before(loop, /*prologue=*/true);
  for (unsigned index = 0; index < loop.getNumRegionIterArgs(); ++index) {
    BlockArgument arg = loop.getRegionIterArgs()[index];
    Operation *step = yield.getOperand(index).getDefiningOp();
    if (!isPureBodyOp(loop, step) || step->getNumResults() != 1 ||
        !step->getResult(0).hasOneUse() || !loop.getResult(index).use_empty())
      continue;
    bool advancedByInvariant = llvm::all_of(step->getOperands(), [&](Value v) {
      return v == arg || isLoopInvariant(loop, v);
    });
    bool onlyRemovedUsers = llvm::all_of(arg.getUsers(), [&](Operation *user) {
      return user == step || removed(user);
    });
    if (!advancedByInvariant || !onlyRemovedUsers)
      continue;
    loop.getInitArgsMutable()[index].set(before.at(pre, arg, depth));
    ahead.assume(arg, depth, arg);
  }
}

/// Iteration i + depth's copies at the end of the body (everything the
/// clones read is computed by then) into stage (i + depth) % stages, and,
/// after the loop, a wait for every copy: those past the end still write
/// (zeros) into their stage. Returns that wait (or the TMA barriers'
/// retirement).
Operation *issueAheadAndDrain(scf::ForOp loop, IterationCloner &ahead,
                              int depth, int stages, Value iteration,
                              IssueFn issue,
                              llvm::function_ref<bool(Operation *)> removed,
                              const std::optional<TmaRing> &tma) {
  Location loc = loop.getLoc();
  carryAhead(loop, ahead, depth, removed);
  OpBuilder end(loop.getBody()->getTerminator());
  Value nextIv = ahead.at(end, loop.getInductionVar(), depth);
  Value valid = arith::CmpIOp::create(end, loc, arith::CmpIPredicate::slt,
                                      nextIv, loop.getUpperBound());
  Value nextStage = arith::RemUIOp::create(
      end, loc,
      arith::AddIOp::create(end, loc, iteration, constI32(end, loc, depth)),
      constI32(end, loc, stages));
  issue(end, ahead, depth, nextStage, valid);
  OpBuilder after(loop->getContext());
  after.setInsertionPointAfter(loop);
  if (tma)
    return MbarrierInvalOp::create(after, loc,
                                   after.getI64IntegerAttr(tma->stages),
                                   after.getI64IntegerAttr(tma->barrierOffset));
  return AsyncCopyWaitOp::create(after, loc, after.getI32IntegerAttr(0));
}

/// Operands a kernel's last staged loop left resident in shared memory (each
/// load at its byte offset), as of `end`, that loop's last op: a later loop
/// of the block reading the same load at the same offset, with nothing
/// between that touches shared memory, finds it there.
struct HeldResidents {
  Operation *end = nullptr;
  llvm::SmallDenseMap<Operation *, int64_t> offsets;

  bool holds(scf::ForOp next, Operation *load, int64_t offset) const {
    auto it = offsets.find(load);
    if (it == offsets.end() || it->second != offset ||
        end->getBlock() != next->getBlock() || !end->isBeforeInBlock(next))
      return false;
    return llvm::all_of(
        llvm::make_range(std::next(end->getIterator()), next->getIterator()),
        [](Operation &op) { return keepsOffSharedMemory(op); });
  }
};

struct PipelineDotOperandsPass
    : tessel::impl::PipelineDotOperandsBase<PipelineDotOperandsPass> {
  using PipelineDotOperandsBase::PipelineDotOperandsBase;

  /// Each kernel's producer-warp ring of staged loops, which a later loop
  /// may continue.
  llvm::DenseMap<Operation *, ProducerRing> producerRings;
  /// Each kernel's operands left resident by its last staged loop.
  llvm::DenseMap<Operation *, HeldResidents> heldResidents;
  /// Kernels with a ring shared across a 2-CTA cluster.
  llvm::DenseSet<Operation *> clusterRings;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    producerRings.clear();
    heldResidents.clear();
    clusterRings.clear();
    AxisInfoAnalysis axis(module);
    SmallVector<AsyncDotOp> dots;
    module.walk([&](AsyncDotOp dot) { dots.push_back(dot); });
    for (AsyncDotOp dot : dots)
      pipeline(dot, axis);
    // Loops whose wgmma dots stayed tile.dot (several per loop, operands
    // not all loaded).
    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      pipelineStaged(loop, axis);
    // mma.sync dots (sm_80 and later, and Hopper's dots wgmma does not take)
    // read their operands from a ring through ldmatrix.
    auto target = getModuleTarget(module);
    if (failed(target) || !target->hasMmaSync())
      return;
    SmallVector<scf::ForOp> mmaLoops;
    module.walk([&](scf::ForOp loop) { mmaLoops.push_back(loop); });
    for (scf::ForOp loop : mmaLoops)
      pipelineMma(loop, axis, target->maxSharedBytes());
  }

  /// Whether a conversion moves elements between threads (through shared
  /// memory) rather than between a thread's registers: the lanes and warps
  /// of the two layouts hold different elements, or a result register's
  /// element is not among the source's (the lowering's register mapping).
  static bool needsSharedMemory(ConvertLayoutOp cvt) {
    auto from = toLinearLayout(cvt.getSrc().getType());
    auto to = toLinearLayout(cvt.getType());
    if (failed(from) || failed(to))
      return true;
    for (auto in : {LinearLayout::Lane, LinearLayout::Warp})
      if (from->getBases(in) != to->getBases(in))
        return true;
    llvm::DenseSet<int64_t> held;
    for (int64_t r = 0; r < from->getSize(LinearLayout::Register); ++r)
      held.insert(from->linearize(from->applyPart(LinearLayout::Register, r)));
    for (int64_t r = 0; r < to->getSize(LinearLayout::Register); ++r)
      if (!held.contains(
              to->linearize(to->applyPart(LinearLayout::Register, r))))
        return true;
    return false;
  }

  /// Whether a load can become 16-byte cp.async copies with zero fill.
  static bool copyable(tile::LoadOp load, const AxisInfoAnalysis &axis) {
    auto type = dyn_cast<RankedTensorType>(load.getPtr().getType());
    if (!type || type.getRank() != 2 || load.getIsVolatile())
      return false;
    Type elem = cast<RankedTensorType>(load.getType()).getElementType();
    if (!elem.isF16() && !elem.isBF16() && !elem.isInteger(8))
      return false;
    int64_t run = kRunBytes / elementBytes(load.getResult());
    auto layout = toLinearLayout(type);
    if (failed(layout) || layout->getContiguousRegisters(1) < run)
      return false;
    if (axis.getPtrContiguity(load.getPtr(), 1) < run ||
        axis.getPtrAlignment(load.getPtr(), 1) < 16)
      return false;
    if (load.getMask() && axis.getMaskConstancy(load.getMask(), 1) < run)
      return false;
    if (Value other = load.getOther()) {
      // cp.async fills masked-out elements with zeros.
      if (!matchPattern(other, m_AnyZeroFloat()) &&
          !matchPattern(other, m_Zero()))
        return false;
    }
    return true;
  }

  /// Whether `op` in a loop body would use the kernel's shared memory for
  /// itself (the staged regions start at offset 0). Conservative: any
  /// conversion, shape op moving data between threads, scan, or reduction
  /// across warps.
  static bool usesSharedMemory(Operation *op) {
    if (isa<ConvertLayoutOp, tile::TransOp, tile::ReshapeOp, tile::JoinOp,
            tile::SplitOp, tile::XorPermuteOp, tile::GatherOp, tile::ScanOp,
            AsyncDotOp, SharedDotOp, StagedDotOp>(op))
      return true;
    if (auto reduce = dyn_cast<tile::ReduceOp>(op)) {
      auto layout =
          toLinearLayout(cast<RankedTensorType>(reduce.getSrcs()[0].getType()));
      if (failed(layout))
        return true;
      unsigned axis = reduce.getAxis();
      for (const LinearLayout::Coord &basis :
           layout->getBases(LinearLayout::Warp))
        if (basis[axis] != 0)
          return true;
    }
    return false;
  }

  static bool isWgmmaDot(tile::DotOp dot) {
    auto accType = cast<RankedTensorType>(dot.getAcc().getType());
    auto mma = dyn_cast<MmaLayoutAttr>(accType.getEncoding());
    return mma && mma.getVersion() == 3 &&
           wgmmaElementBytes(wgmmaOperandType(dot, /*isA=*/true),
                             accType.getElementType());
  }

  /// Where one dot operand comes from in the staged pipeline.
  struct Operand {
    enum Kind { Ring, Resident, Registers } kind;
    tile::LoadOp load;           // Ring, Resident
    Operation *trans = nullptr;  // a K-major B: the tl.trans of the load
    int64_t offset = 0;          // in the stage (Ring) or the buffer
    bool wgmmaRegisters = false; // Registers read by wgmma: no region
  };

  /// The 2-D transpose feeding `user` as a dot's B (a K-major B) in the
  /// same block, or null.
  static tile::TransOp transposeForB(Operation *user) {
    auto t = dyn_cast<tile::TransOp>(user);
    if (!t || !t->hasOneUse())
      return nullptr;
    auto dot = dyn_cast<tile::DotOp>(*t->getUsers().begin());
    auto order = t.getOrder();
    if (!dot || dot->getBlock() != t->getBlock() ||
        dot.getB() != t.getResult() || order.size() != 2 || order[0] != 1 ||
        order[1] != 0)
      return nullptr;
    return t;
  }

  /// Whether every use of `load` is a dot's A or B operand, directly or as
  /// a K-major B through tl.trans: one ring slot then serves them all (the
  /// swizzled tile is the same whichever way a dot reads it). Attention's
  /// backward reads Q and dO this way, K-major in one dot, MN-major in
  /// another.
  static bool feedsOnlyDots(tile::LoadOp load) {
    return llvm::all_of(load->getUses(), [&](OpOperand &use) {
      Operation *user = use.getOwner();
      if (user->getBlock() != load->getBlock())
        return false; // a dot nested in the body is not a staged dot
      if (auto dot = dyn_cast<tile::DotOp>(user))
        return &use != &dot.getAccMutable();
      return transposeForB(user) != nullptr;
    });
  }

  /// Classifies operand `v` of `dot` (A when `isA`); nullopt: unsupported.
  std::optional<Operand> classify(scf::ForOp loop, Value v, bool isA,
                                  const AxisInfoAnalysis &axis) {
    Operation *def = v.getDefiningOp();
    Operation *trans = nullptr;
    if (!isA)
      if (auto t = dyn_cast_or_null<tile::TransOp>(def);
          t && transposeForB(t)) {
        trans = t;
        def = t.getSrc().getDefiningOp();
      }
    auto load = dyn_cast_or_null<tile::LoadOp>(def);
    if (load && copyable(load, axis)) {
      if (load->getBlock() == loop.getBody() && feedsOnlyDots(load))
        return Operand{Operand::Ring, load, trans};
      // Loaded before the loop (attention's Q): copied once before it, even
      // when later code (the causal diagonal's loop) reads it too.
      if (!loop->isAncestor(load) && !trans)
        return Operand{Operand::Resident, load, nullptr};
    }
    if (isA)
      return Operand{Operand::Registers, nullptr, nullptr};
    return std::nullopt;
  }

  /// Whether the only dot of `loop` may leave its wgmma group in flight
  /// across the back edge: its accumulator is an iteration argument used by
  /// the dot alone, its result only yielded back into that argument, and no
  /// operand is stored from registers (the next iteration would overwrite
  /// the region the group still reads).
  static bool keepsDotInFlight(scf::ForOp loop, ArrayRef<tile::DotOp> dots,
                               ArrayRef<std::pair<Operand, Operand>> operands) {
    if (dots.size() != 1)
      return false;
    tile::DotOp dot = dots.front();
    for (const Operand *o : {&operands.front().first, &operands.front().second})
      if (o->kind == Operand::Registers)
        return false;
    auto arg = dyn_cast<BlockArgument>(dot.getAcc());
    if (!arg || arg.getOwner() != loop.getBody() || arg.getArgNumber() == 0 ||
        !arg.hasOneUse() || !dot.getResult().hasOneUse())
      return false;
    OpOperand &use = *dot.getResult().getUses().begin();
    return isa<scf::YieldOp>(use.getOwner()) &&
           use.getOperandNumber() == arg.getArgNumber() - 1;
  }

  /// The staged pipeline for a loop of several wgmma dots (see the top).
  void pipelineStaged(scf::ForOp loop, const AxisInfoAnalysis &axis) {
    // tl.range(..., num_stages=N) overrides the kernel's for its loop.
    unsigned loopStages = tile::loopNumStages(loop, numStages);
    // num_stages = 1: nothing copied ahead, but the operands still reach the
    // tensor cores through one shared-memory stage, copied in the iteration
    // that reads them (through registers and each dot's scratch they ran
    // 3-15x slower).
    bool synchronous = loopStages < 2;
    SmallVector<tile::DotOp> dots;
    for (Operation &op : loop.getBody()->getOperations()) {
      if (auto dot = dyn_cast<tile::DotOp>(op)) {
        if (!isWgmmaDot(dot))
          return;
        dots.push_back(dot);
        continue;
      }
      if (isa<tile::LoadOp, scf::YieldOp>(op))
        continue;
      // A transpose feeding a dot's B becomes a K-major B (classify checks).
      if (transposeForB(&op))
        continue;
      if (!isMemoryEffectFree(&op) || usesSharedMemory(&op))
        return;
      // A dot nested in the body (under scf.if) would stage its operands
      // over the ring.
      bool nestedSafe = true;
      op.walk([&](Operation *inner) {
        if (inner != &op &&
            (!isMemoryEffectFree(inner) || usesSharedMemory(inner) ||
             isa<tile::DotOp>(inner)))
          nestedSafe = false;
      });
      if (!nestedSafe)
        return;
    }
    if (dots.empty())
      return;
    SmallVector<std::pair<Operand, Operand>> operands;
    bool anyRing = false;
    for (tile::DotOp dot : dots) {
      auto a = classify(loop, dot.getA(), /*isA=*/true, axis);
      auto b = classify(loop, dot.getB(), /*isA=*/false, axis);
      if (!a || !b)
        return;
      // wgmma reads 8-bit B only K-major, and 8-bit A only from memory.
      if (elementBytes(dot.getA()) == 1 && !b->trans)
        return;
      anyRing |= a->kind == Operand::Ring || b->kind == Operand::Ring;
      operands.push_back({*a, *b});
    }
    if (!anyRing)
      return;
    auto tileBytes = [](Value v) {
      return int64_t(
          llvm::alignTo(cast<RankedTensorType>(v.getType()).getNumElements() *
                            elementBytes(v),
                        1024));
    };
    // The stage: every ring load's slot, in order (one per load, however
    // many dots read it).
    int64_t stageBytes = 0;
    llvm::MapVector<Operation *, int64_t> ringSlots;
    for (auto &[a, b] : operands)
      for (Operand *o : {&a, &b})
        if (o->kind == Operand::Ring) {
          auto [slot, added] = ringSlots.try_emplace(o->load, stageBytes);
          if (added)
            stageBytes += tileBytes(o->load.getResult());
          o->offset = slot->second;
        }
    // After the stages: resident operands, then scratch for register ones
    // (none for an A in the accumulator's layout: wgmma reads it from
    // registers).
    int64_t fixedBytes = 0;
    for (auto [dot, pair] : llvm::zip(dots, operands))
      for (auto [o, v] : {std::make_pair(&pair.first, dot.getA()),
                          std::make_pair(&pair.second, dot.getB())})
        if (o->kind == Operand::Registers && elementBytes(v) == 2 &&
            cast<RankedTensorType>(v.getType()).getEncoding() ==
                cast<RankedTensorType>(dot.getAcc().getType()).getEncoding())
          o->wgmmaRegisters = true;
        else if (o->kind != Operand::Ring) {
          o->offset = fixedBytes; // relative to the end of the stages
          fixedBytes += tileBytes(v);
        }
    int64_t fit = (kMaxSharedBytes - fixedBytes) / stageBytes;
    // A loop's only dot, accumulating into its loop-carried value from ring
    // or resident operands, leaves its wgmma running into the next
    // iteration: one more stage, since the copies then reuse the stage of
    // iteration i - 2.
    bool inFlight =
        !synchronous && fit >= 3 && keepsDotInFlight(loop, dots, operands);
    // Two dots whose second multiplies a register A computed from the first
    // (attention) are rotated so that the second overlaps the code between
    // them (RotateStagedDots.cpp): also one more stage.
    // With one warpgroup, its own wait for the second dot of j - 1 (before
    // iteration j's copies) frees that stage; with several, another
    // warpgroup may still be reading it, so the copies must reuse the stage
    // of j - 2: one more stage.
    auto warpsAttr =
        loop->getParentOfType<ModuleOp>()->getAttrOfType<IntegerAttr>(
            kNumWarpsAttr);
    bool oneWarpgroup = warpsAttr && warpsAttr.getInt() == 4;
    bool rotate = !synchronous && !inFlight && fit >= (oneWarpgroup ? 2 : 3) &&
                  dots.size() == 2 && operands[1].first.wgmmaRegisters &&
                  canRotateDots(loop, dots[0], dots[1]);
    if (fit < (synchronous ? 1 : 2))
      return;
    int extra = inFlight || (rotate && !oneWarpgroup) ? 2 : 1;
    int depth =
        synchronous
            ? 0
            : int(std::min<int64_t>(int64_t(loopStages) - 1, fit - extra));
    int stages = depth + extra;
    int64_t ringBytes = stages * stageBytes;
    int64_t sharedBytes = ringBytes + fixedBytes;
    // Host descriptors' blocks travel by TMA (every ring load must).
    std::optional<TmaRing> tma;
    if (llvm::all_of(ringSlots, [](auto &slot) {
          return tmaLoadable(cast<tile::LoadOp>(slot.first));
        }))
      tma = TmaRing{stages, int64_t(llvm::alignTo(sharedBytes, 8)),
                    /*producerWarp=*/false, /*useBase=*/Value()};
    // tl.range(..., warp_specialize=True): a producer warp issues the copies
    // and the warpgroups never meet at a barrier in the loop; not when a dot
    // stores a register A into scratch every iteration (one region for all
    // warpgroups, which that barrier guards). Rotated loops (attention's
    // forward) only: what the H200 has run.
    SmallVector<RingSlot> slots;
    for (auto [op, offset] : ringSlots)
      slots.push_back({cast<tile::LoadOp>(op), offset});
    bool scratchA = llvm::any_of(operands, [](auto &pair) {
      return pair.first.kind == Operand::Registers &&
             !pair.first.wgmmaRegisters;
    });
    // A later loop of the kernel on a ring of the same shape (attention's
    // causal diagonal) continues the producer's ring: the producer copies
    // its first stages while the consumers finish the earlier loop.
    auto func = loop->getParentOfType<func::FuncOp>();
    auto earlierRing = producerRings.find(func);
    bool continuesRing = false;
    if (tma && rotate && !scratchA &&
        loop->hasAttr(tile::kWarpSpecializeAttrName)) {
      continuesRing =
          earlierRing != producerRings.end() &&
          canContinueProducerRing(earlierRing->second, loop, slots, stages,
                                  stageBytes, tma->barrierOffset);
      tma->producerWarp =
          continuesRing || canWarpSpecialize(loop, /*outer=*/nullptr, slots);
    }
    IterationCloner ahead(loop, /*prologue=*/false);
    for (auto [op, offset] : ringSlots) {
      auto load = cast<tile::LoadOp>(op);
      SmallVector<Value> read{load.getPtr(), load.getMask()};
      if (tma)
        read.assign(load.getCoords().begin(), load.getCoords().end());
      for (Value v : read)
        if (v && !ahead.canClone(v, depth) && !(tma && tma->producerWarp))
          return;
    }

    Location loc = loop.getLoc();
    auto copy = [&](OpBuilder &b, Value ptr, Value mask, Value valid,
                    Value stage, int64_t stageSize, int64_t offset) {
      auto ptrType = cast<RankedTensorType>(ptr.getType());
      if (valid) {
        auto maskType = RankedTensorType::get(ptrType.getShape(), b.getI1Type(),
                                              ptrType.getEncoding());
        Value all = tile::SplatOp::create(b, loc, maskType, valid);
        mask =
            mask ? arith::AndIOp::create(b, loc, mask, all).getResult() : all;
      }
      AsyncCopyOp::create(b, loc, ptr, mask, stage,
                          b.getI64IntegerAttr(stageSize),
                          b.getI64IntegerAttr(offset));
    };
    // One iteration's ring copies (`cloner` at `iterDepth`) into `stage`.
    auto issueRing = [&](OpBuilder &b, IterationCloner &cloner, int iterDepth,
                         Value stage, Value valid) {
      if (tma) {
        SmallVector<std::pair<tile::LoadOp, int64_t>> slots;
        for (auto [op, offset] : ringSlots)
          slots.push_back({cast<tile::LoadOp>(op), offset});
        issueTmaStage(b, loc, *tma, cloner, iterDepth, stage, valid, stageBytes,
                      slots);
        return;
      }
      for (auto [op, offset] : ringSlots) {
        auto load = cast<tile::LoadOp>(op);
        copy(b, cloner.at(b, load.getPtr(), iterDepth),
             load.getMask() ? cloner.at(b, load.getMask(), iterDepth) : Value(),
             valid, stage, stageBytes, offset);
      }
      AsyncCopyCommitOp::create(b, loc);
    };

    // Before the loop: whatever used shared memory earlier is done (the
    // copies overwrite it), the resident operands, then iterations
    // 0 .. D-1.
    // Operands an earlier loop left resident where this one reads them
    // (attention's Q in the causal form's second loop) are not copied again.
    HeldResidents residents;
    auto earlier = heldResidents.find(func);
    bool anyResident = false;
    for (auto &[a, b] : operands)
      for (Operand *o : {&a, &b})
        if (o->kind == Operand::Resident) {
          int64_t offset = ringBytes + o->offset;
          residents.offsets[o->load] = offset;
          anyResident |= earlier == heldResidents.end() ||
                         !earlier->second.holds(loop, o->load, offset);
        }
    OpBuilder pre(loop);
    // Nothing between a continued ring's loops used shared memory.
    if (!continuesRing || anyResident)
      tile::BarrierOp::create(pre, loc);
    if (continuesRing)
      tma->useBase = continuedUseBase(pre, earlierRing->second);
    for (auto &[a, b] : operands)
      for (Operand *o : {&a, &b})
        if (o->kind == Operand::Resident && anyResident)
          copy(pre, o->load.getPtr(), o->load.getMask(), Value(),
               constI32(pre, loc, 0), 0, ringBytes + o->offset);
    if (anyResident)
      AsyncCopyCommitOp::create(pre, loc);
    if (!tma || !tma->producerWarp) {
      if (tma)
        initTmaRing(pre, loc, *tma);
      issuePrologue(pre, loop, depth, issueRing);
    }
    // The loop waits for TMA stages only: the resident copies land first.
    if (tma && anyResident)
      AsyncCopyWaitOp::create(pre, loc, pre.getI32IntegerAttr(0));

    // In the loop: wait for this iteration's copies before the first dot.
    OpBuilder b(dots.front());
    if (synchronous) {
      // The one stage is refilled once every warp is done with the previous
      // iteration's dots (each completes within its iteration).
      tile::BarrierOp::create(b, loc);
      IterationCloner current(loop, /*prologue=*/false, /*cloneCurrent=*/true);
      issueRing(b, current, 0, constI32(b, loc, 0),
                arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
    }
    Value iteration = waitForIteration(b, loop, depth, tma);
    Value stage =
        arith::RemUIOp::create(b, loc, iteration, constI32(b, loc, stages));
    auto place = [&](const Operand &o) -> std::pair<int64_t, int64_t> {
      if (o.wgmmaRegisters)
        return {0, 0};
      if (o.kind == Operand::Ring)
        return {o.offset, stageBytes};
      return {ringBytes + o.offset, 0};
    };
    SmallVector<StagedDotOp> stagedDots;
    for (auto [dot, pair] : llvm::zip(dots, operands)) {
      OpBuilder db(dot);
      auto [aOffset, aStage] = place(pair.first);
      auto [bOffset, bStage] = place(pair.second);
      Value aRegs =
          pair.first.kind == Operand::Registers ? dot.getA() : Value();
      auto staged = StagedDotOp::create(
          db, dot.getLoc(), dot.getType(), dot.getAcc(), stage, aRegs,
          // Float8 codes (i8) carry their format in the element type.
          TypeAttr::get(cast<RankedTensorType>(dot.getA().getType())
                            .clone(wgmmaOperandType(dot, /*isA=*/true))),
          TypeAttr::get(cast<RankedTensorType>(dot.getB().getType())
                            .clone(wgmmaOperandType(dot, /*isA=*/false))),
          db.getI64IntegerAttr(aOffset), db.getI64IntegerAttr(aStage),
          db.getI64IntegerAttr(bOffset), db.getI64IntegerAttr(bStage),
          db.getBoolAttr(pair.second.trans != nullptr),
          db.getI64IntegerAttr(sharedBytes),
          db.getI32IntegerAttr(inFlight ? 1 : 0));
      dot.getResult().replaceAllUsesWith(staged.getResult());
      stagedDots.push_back(staged);
    }
    if (inFlight) {
      // After the loop, the last group finishes before anything reads it.
      auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
      for (OpOperand &use : yield->getOpOperands()) {
        if (!use.get().getDefiningOp<StagedDotOp>())
          continue;
        Value result = loop.getResult(use.getOperandNumber());
        OpBuilder after(loop->getContext());
        after.setInsertionPointAfter(loop);
        auto wait = DotWaitOp::create(after, loc, result.getType(), result,
                                      after.getI32IntegerAttr(0));
        result.replaceAllUsesExcept(wait.getResult(), wait);
      }
    }

    if (tma && tma->producerWarp) {
      // At the end of iteration i every warp releases i - 1's stage: its
      // dots completed within iteration i - 1, or (rotated) the second one
      // before this release (RotateStagedDots waits for it first).
      OpBuilder end(loop.getBody()->getTerminator());
      releaseStage(end, loc, iteration, stages, tma->barrierOffset);
      ProducerRing ring =
          continuesRing
              ? continueProducerRing(earlierRing->second, loop, slots,
                                     tma->useBase)
              : addProducerWarp(loop, /*outer=*/nullptr, slots, stages,
                                stageBytes, tma->barrierOffset);
      residents.end = ring.retire;
      producerRings[func] = ring;
    } else if (synchronous) {
      // Every copy was waited for in its iteration.
      residents.end = loop;
      if (tma) {
        OpBuilder after(loop->getContext());
        after.setInsertionPointAfter(loop);
        residents.end = MbarrierInvalOp::create(
            after, loc, after.getI64IntegerAttr(stages),
            after.getI64IntegerAttr(tma->barrierOffset));
      }
    } else {
      residents.end = issueAheadAndDrain(
          loop, ahead, depth, stages, iteration, issueRing,
          [&](Operation *op) { return ringSlots.count(op) != 0; }, tma);
    }

    // The dots, then the transposes, then the loads (a ring load may feed
    // several of them).
    llvm::SetVector<Operation *> transposes, loads;
    for (auto [dot, pair] : llvm::zip(dots, operands)) {
      dot.erase();
      for (Operand *o : {&pair.first, &pair.second}) {
        if (o->trans)
          transposes.insert(o->trans);
        if (o->kind != Operand::Registers)
          loads.insert(o->load);
      }
    }
    for (Operation *op : transposes)
      op->erase();
    for (Operation *op : loads)
      if (op->use_empty()) { // a resident load may have users after the loop
        residents.offsets.erase(op);
        op->erase();
      }
    heldResidents[func] = std::move(residents);
    if (rotate) {
      hoistLoadsAboveStagedDots(loop); // the rotation keeps the body's order
      rotateStagedDots(loop, stagedDots[0], stagedDots[1]);
    } else if (!inFlight)
      scheduleStagedDots(loop, stagedDots);
  }

  /// The load behind `operand` of an mma.sync dot in `loop`: a layout
  /// conversion (to the dot operand layout) of a 16-bit load of the body
  /// that cp.async can copy, or, for B (`isB`), of its 2-D transpose (A B^T
  /// with B loaded N x K), each used once; null otherwise. `trans` is the
  /// transpose, if any.
  static tile::LoadOp mmaRingLoad(scf::ForOp loop, Value operand, bool isB,
                                  const AxisInfoAnalysis &axis,
                                  tile::TransOp &trans) {
    auto convert = operand.getDefiningOp<ConvertLayoutOp>();
    if (!convert || convert->getBlock() != loop.getBody() ||
        !convert->hasOneUse())
      return nullptr;
    Value src = convert.getSrc();
    trans = isB ? src.getDefiningOp<tile::TransOp>() : nullptr;
    if (trans) {
      ArrayRef<int32_t> order = trans.getOrder();
      if (order.size() != 2 || order[0] != 1 || !trans->hasOneUse() ||
          trans->getBlock() != loop.getBody())
        return nullptr;
      src = trans.getSrc();
    }
    auto load = src.getDefiningOp<tile::LoadOp>();
    if (!load || load->getBlock() != loop.getBody() || !load->hasOneUse() ||
        elementBytes(load.getResult()) != 2 || !copyable(load, axis))
      return nullptr;
    return load;
  }

  /// One operand of an mma.sync dot read from the ring: the conversion to
  /// its operand layout the stage read replaces, the load the ring copies,
  /// and the transpose between them (a K-major B), if any.
  struct MmaSlot {
    ConvertLayoutOp convert;
    tile::LoadOp load;
    tile::TransOp trans;
    int64_t offset = 0;
  };

  /// The ring of a loop's mma.sync dots (sm_80): S = D + 1 stages, each
  /// holding every operand tile the loop loads (attention: K and V) in
  /// async_copy's swizzled layout, read into the dots' operand registers
  /// with ldmatrix (tilegpu.stage_load) after the iteration's wait; other
  /// operands (a loop-invariant Q, attention's P) stay in registers. The
  /// reads complete before the thread reaches the next iteration's barrier,
  /// so once every thread passed it the stage iteration i - 1 read,
  /// (i + D) % S, takes iteration i + D's copies. Replaces register
  /// prefetching (tessel-prefetch-loads leaves the loops of one dot alone:
  /// ringCandidate): operands no longer pass through registers and a
  /// conversion through shared memory per iteration.
  void pipelineMma(scf::ForOp loop, const AxisInfoAnalysis &axis,
                   int64_t maxSharedBytes) {
    unsigned loopStages = tile::loopNumStages(loop, numStages);
    if (loopStages < 2)
      return;
    SmallVector<MmaSlot> slots;
    for (Operation &op : loop.getBody()->getOperations()) {
      auto dot = dyn_cast<tile::DotOp>(op);
      if (!dot)
        continue;
      auto mma = dyn_cast<MmaLayoutAttr>(
          cast<RankedTensorType>(dot.getAcc().getType()).getEncoding());
      if (!mma || mma.getVersion() != 2)
        return;
      for (bool isB : {false, true}) {
        MmaSlot slot;
        Value operand = isB ? dot.getB() : dot.getA();
        slot.load = mmaRingLoad(loop, operand, isB, axis, slot.trans);
        if (!slot.load)
          continue;
        slot.convert = operand.getDefiningOp<ConvertLayoutOp>();
        slots.push_back(slot);
      }
    }
    if (slots.empty())
      return;
    llvm::SmallPtrSet<Operation *, 8> replaced;
    for (MmaSlot &slot : slots) {
      replaced.insert(slot.convert);
      if (slot.trans)
        replaced.insert(slot.trans);
    }
    // Loads move D iterations earlier: nothing in the loop may write, and
    // nothing else may use shared memory (the ring starts at offset 0);
    // conversions within each thread's registers (P into the next dot's
    // operand layout) are fine, and marked so that the lowering checks it.
    SmallVector<ConvertLayoutOp> kept;
    for (Operation &op : loop.getBody()->getOperations()) {
      if (replaced.contains(&op) ||
          isa<tile::DotOp, tile::LoadOp, scf::YieldOp>(op))
        continue;
      if (auto cvt = dyn_cast<ConvertLayoutOp>(op);
          cvt && !needsSharedMemory(cvt)) {
        kept.push_back(cvt);
        continue;
      }
      if (!isMemoryEffectFree(&op) || usesSharedMemory(&op))
        return;
      if (op.getNumRegions() && op.walk([](Operation *inner) {
                                    return isMemoryEffectFree(inner) &&
                                                   !usesSharedMemory(inner)
                                               ? WalkResult::advance()
                                               : WalkResult::interrupt();
                                  }).wasInterrupted())
        return;
    }
    // Each tile on a 128-byte boundary, where its swizzle keeps the rows a
    // ldmatrix reads in different banks.
    int64_t stageBytes = 0;
    for (MmaSlot &slot : slots) {
      slot.offset = stageBytes;
      stageBytes = llvm::alignTo(
          stageBytes +
              cast<RankedTensorType>(slot.load.getType()).getNumElements() * 2,
          128);
    }
    int64_t fit = maxSharedBytes / stageBytes;
    if (fit < 2)
      return;
    int depth = int(std::min<int64_t>(int64_t(loopStages) - 1, fit - 1));
    int stages = depth + 1;
    IterationCloner ahead(loop, /*prologue=*/false);
    for (MmaSlot &slot : slots)
      for (Value v : {slot.load.getPtr(), slot.load.getMask()})
        if (v && !ahead.canClone(v, depth))
          return;
    for (ConvertLayoutOp cvt : kept)
      cvt->setAttr(kRegistersOnlyAttr, UnitAttr::get(cvt.getContext()));

    Location loc = loop.getLoc();
    SmallVector<std::pair<tile::LoadOp, int64_t>> copies;
    for (MmaSlot &slot : slots)
      copies.push_back({slot.load, slot.offset});
    auto issue = [&](OpBuilder &b, IterationCloner &cloner, int iterDepth,
                     Value stage, Value valid) {
      issueAsyncCopies(b, loc, cloner, iterDepth, stage, valid, stageBytes,
                       copies);
    };
    // Whatever used shared memory before the loop is done: the copies
    // overwrite it.
    OpBuilder pre(loop);
    tile::BarrierOp::create(pre, loc);
    issuePrologue(pre, loop, depth, issue);

    // The operands of iteration i come from stage i % S, read where their
    // conversions were, after one wait before the first.
    Operation *first = slots.front().convert;
    for (MmaSlot &slot : slots)
      if (slot.convert->isBeforeInBlock(first))
        first = slot.convert;
    OpBuilder b(first);
    Value iteration = waitForIteration(b, loop, depth, std::nullopt);
    Value stage =
        arith::RemUIOp::create(b, loc, iteration, constI32(b, loc, stages));
    // B through tl.trans: the stage holds the N x K tile as loaded; the
    // read transposes it.
    for (MmaSlot &slot : slots) {
      OpBuilder cb(slot.convert);
      auto read = StageLoadOp::create(cb, loc, slot.convert.getType(), stage,
                                      cb.getI64IntegerAttr(stageBytes),
                                      cb.getI64IntegerAttr(slot.offset),
                                      cb.getI32IntegerAttr(stages));
      if (slot.trans)
        read.setTransposed(true);
      slot.convert.getResult().replaceAllUsesWith(read.getResult());
    }
    llvm::SmallPtrSet<Operation *, 8> loads;
    for (MmaSlot &slot : slots)
      loads.insert(slot.load);
    issueAheadAndDrain(
        loop, ahead, depth, stages, iteration, issue,
        [&](Operation *op) { return loads.contains(op); }, std::nullopt);
    for (MmaSlot &slot : slots) {
      slot.convert.erase();
      if (slot.trans)
        slot.trans.erase();
      slot.load.erase();
    }
  }

  void pipeline(AsyncDotOp dot, const AxisInfoAnalysis &axis) {
    auto loop = dyn_cast<scf::ForOp>(dot->getParentOp());
    if (!loop)
      return;
    unsigned loopStages = tile::loopNumStages(loop, numStages);
    if (loopStages < 2)
      return;
    auto aLoad = dot.getA().getDefiningOp<tile::LoadOp>();
    auto bLoad = dot.getB().getDefiningOp<tile::LoadOp>();
    if (!aLoad || !bLoad || aLoad->getBlock() != loop.getBody() ||
        bLoad->getBlock() != loop.getBody() || !dot.getA().hasOneUse() ||
        !dot.getB().hasOneUse() || !copyable(aLoad, axis) ||
        !copyable(bLoad, axis))
      return;
    // Loads move D iterations earlier: nothing in the loop may write.
    for (Operation &op : loop.getBody()->getOperations())
      if (&op != dot.getOperation() && !isa<tile::LoadOp>(op) &&
          !isMemoryEffectFree(&op) && !isa<scf::YieldOp>(op))
        return;
    auto aType0 = cast<RankedTensorType>(dot.getA().getType());
    auto accType0 = cast<RankedTensorType>(dot.getAcc().getType());
    // shared_dot reads B MN-major: 16-bit operands only.
    if (elementBytes(dot.getA()) != 2)
      return;
    int64_t stageBytes0 = (accType0.getShape()[0] + accType0.getShape()[1]) *
                          aType0.getShape()[1] * 2;
    // Fewer stages when num_stages + 1 of them would not fit the 227 KiB a
    // Hopper block may have.
    int64_t fit = kMaxSharedBytes / stageBytes0;
    if (fit < 3)
      return;
    int depth = int(std::min<int64_t>(int64_t(loopStages) - 1, fit - 2));
    int stages = depth + 2;
    IterationCloner ahead(loop, /*prologue=*/false);
    for (tile::LoadOp load : {aLoad, bLoad})
      for (Value v : {load.getPtr(), load.getMask()})
        if (v && !ahead.canClone(v, depth))
          return;

    auto aType = cast<RankedTensorType>(dot.getA().getType());
    auto accType = cast<RankedTensorType>(dot.getAcc().getType());
    int64_t m = accType.getShape()[0], n = accType.getShape()[1],
            k = aType.getShape()[1];
    int64_t stageBytes = (m + n) * k * 2, bOffset = m * k * 2;
    Location loc = dot.getLoc();
    // Host descriptors' blocks travel by TMA (both, from 1024-byte aligned
    // slots: the 128-byte swizzle follows the address).
    std::optional<TmaRing> tma;
    if (tmaLoadable(aLoad) && tmaLoadable(bLoad) && bOffset % 1024 == 0 &&
        stageBytes % 1024 == 0)
      tma = TmaRing{stages, stages * stageBytes, /*producerWarp=*/false,
                    /*useBase=*/Value()};
    if (tma)
      for (tile::LoadOp load : {aLoad, bLoad})
        for (Value v : load.getCoords())
          if (!ahead.canClone(v, depth))
            tma.reset();
    SmallVector<RingSlot> slots{{aLoad, 0}, {bLoad, bOffset}};
    // The copies of one iteration (`cloner` at `iterDepth`) into `stage`,
    // where the iteration exists (`valid`).
    // tl.range(..., warp_specialize=True): a producer warp issues the TMA
    // copies (WarpSpecializeRing.h).
    // On a persistent kernel's loop over tiles, the flag covers the K loop
    // inside it.
    auto outer = dyn_cast<scf::ForOp>(loop->getParentOp());
    if (!outer || !outer->hasAttr(tile::kWarpSpecializeAttrName))
      outer = nullptr;
    if (tma && (outer || loop->hasAttr(tile::kWarpSpecializeAttrName)) &&
        canWarpSpecialize(loop, outer, slots)) {
      warpSpecializeRing(loop, outer, dot, slots, stages, stageBytes,
                         tma->barrierOffset, [&](OpBuilder &b, Value stage) {
                           return SharedDotOp::create(
                                      b, loc, dot.getType(), dot.getAcc(),
                                      stage, TypeAttr::get(aType),
                                      TypeAttr::get(dot.getB().getType()),
                                      b.getI32IntegerAttr(stages))
                               .getResult();
                         });
      return;
    }
    auto issue = [&](OpBuilder &b, IterationCloner &cloner, int iterDepth,
                     Value stage, Value valid) {
      if (tma) {
        issueTmaStage(b, loc, *tma, cloner, iterDepth, stage, valid, stageBytes,
                      {{aLoad, 0}, {bLoad, bOffset}});
        return;
      }
      issueAsyncCopies(b, loc, cloner, iterDepth, stage, valid, stageBytes,
                       {{aLoad, 0}, {bLoad, bOffset}});
    };

    // Prologue: iterations 0 .. D-1 into stages 0 .. D-1.
    OpBuilder pre(loop);
    if (tma)
      initTmaRing(pre, loc, *tma);
    // num_ctas = 2: the first such ring of a kernel may share copies across
    // the cluster's pair of programs (one per kernel: the comparison and
    // its barriers sit in the kernel's entry block).
    if (tma && numCtas == 2 && !clusterRings.count(loop->getParentOp()) &&
        canShareAcrossCluster(loop, slots) &&
        stages * stageBytes + clusterRingBytes(loop, slots, stages) +
                stages * kMbarrierBytes <=
            kMaxSharedBytes) {
      tma->cluster =
          setUpClusterRing(pre, loop, slots, stages, tma->barrierOffset);
      clusterRings.insert(loop->getParentOp());
      loop->getParentOfType<ModuleOp>()->setAttr(
          kClusterCtasAttr, pre.getI32IntegerAttr(numCtas));
    }
    issuePrologue(pre, loop, depth, issue);

    // The dot of iteration i reads stage i % S.
    OpBuilder b(dot);
    Value iteration = waitForIteration(b, loop, depth, tma);
    if (tma && tma->cluster) {
      // Past the wait's barrier, stage (i + D) % S is free here: tell the
      // issuer of use i + D at once (at the end of the body the issuer
      // would wait for the other program's whole iteration: 562 instead of
      // 666 TFLOP/s at 4096^3).
      Value iv = loop.getInductionVar();
      Value nextIv =
          arith::AddIOp::create(b, loc, iv, ahead.stepTimes(b, depth));
      Value next = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                         nextIv, loop.getUpperBound());
      Value nextUse =
          arith::AddIOp::create(b, loc, iteration, constI32(b, loc, depth));
      releaseClusterStage(b, loc, *tma->cluster, nextUse, next, stages);
    }
    Value stage =
        arith::RemUIOp::create(b, loc, iteration, constI32(b, loc, stages));
    auto shared = SharedDotOp::create(
        b, loc, dot.getType(), dot.getAcc(), stage, TypeAttr::get(aType),
        TypeAttr::get(dot.getB().getType()), b.getI32IntegerAttr(stages));
    dot.getResult().replaceAllUsesWith(shared.getResult());

    Operation *retire = issueAheadAndDrain(
        loop, ahead, depth, stages, iteration, issue,
        [&](Operation *op) { return op == aLoad || op == bLoad; }, tma);
    if (tma && tma->cluster)
      finishClusterRing(retire, stages, *tma->cluster);

    dot.erase();
    aLoad.erase();
    bLoad.erase();
  }
};
} // namespace
