//===- WarpSpecializeRing.cpp - a TMA ring's producer warp ----------------===//
//
// See WarpSpecializeRing.h.
//
//===----------------------------------------------------------------------===//
#include "passes/WarpSpecializeRing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
/// Whether the producer can recompute `v` (see canWarpSpecialize) from the
/// kernel's arguments and the induction variables `ivs`.
bool producerComputable(Value v, ArrayRef<Value> ivs) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return llvm::is_contained(ivs, v) ||
           isa<func::FuncOp>(arg.getOwner()->getParentOp());
  Operation *op = v.getDefiningOp();
  if (!op || op->getNumRegions() || !isMemoryEffectFree(op) ||
      llvm::any_of(op->getResultTypes(),
                   [](Type t) { return !t.isIntOrIndexOrFloat(); }))
    return false;
  return llvm::all_of(op->getOperands(),
                      [&](Value o) { return producerComputable(o, ivs); });
}

/// An index or integer loop value as an i32 (the ring's counters).
Value asI32(OpBuilder &b, Location loc, Value v) {
  Type i32 = b.getI32Type();
  if (v.getType().isIndex())
    return arith::IndexCastOp::create(b, loc, i32, v);
  if (v.getType() != i32)
    return arith::TruncIOp::create(b, loc, i32, v);
  return v;
}

/// The number of iterations (an i32, at least 0) of a loop with bounds
/// `lb`, `ub` and positive `step`.
Value tripCount(OpBuilder &b, Location loc, Value lb, Value ub, Value step) {
  Value span = arith::SubIOp::create(b, loc, ub, lb);
  Value one =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(step.getType(), 1));
  Value zero =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(step.getType(), 0));
  Value count = arith::DivSIOp::create(
      b, loc,
      arith::SubIOp::create(b, loc, arith::AddIOp::create(b, loc, span, step),
                            one),
      step);
  return asI32(b, loc, arith::MaxSIOp::create(b, loc, count, zero));
}

/// `v` recomputed at `b` (the producer's branch), its kernel arguments as
/// they are and the values in `map` (the induction variable) replaced.
Value cloneForProducer(OpBuilder &b, Value v, IRMapping &map) {
  if (Value mapped = map.lookupOrNull(v))
    return mapped;
  if (isa<BlockArgument>(v))
    return v;
  Operation *op = v.getDefiningOp();
  for (Value operand : op->getOperands())
    cloneForProducer(b, operand, map);
  Operation *clone = b.clone(*op, map);
  return clone->getResult(cast<OpResult>(v).getResultNumber());
}

Value constI32(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}

int64_t blockBytes(tile::LoadOp load) {
  auto type = cast<RankedTensorType>(load.getType());
  return type.getNumElements() *
         tile::getElementBitWidth(type.getElementType()) / 8;
}
} // namespace

Value tessel::iterationNumber(OpBuilder &b, Location loc, Value iv, Value lb,
                              Value step) {
  return asI32(b, loc,
               arith::DivSIOp::create(
                   b, loc, arith::SubIOp::create(b, loc, iv, lb), step));
}

namespace {
/// Whether the producer can recompute `loop`'s bounds and every slot's
/// coordinates (`ivs`: the induction variables of loops around it, which
/// the producer has too).
bool producerCanFollow(scf::ForOp loop, SmallVector<Value> ivs,
                       ArrayRef<RingSlot> slots) {
  for (Value v : {loop.getLowerBound(), loop.getUpperBound(), loop.getStep()})
    if (!producerComputable(v, {}))
      return false;
  ivs.push_back(loop.getInductionVar());
  for (RingSlot slot : slots)
    for (Value c : slot.load.getCoords())
      if (!producerComputable(c, ivs))
        return false;
  return true;
}

} // namespace

bool tessel::keepsOffSharedMemory(Operation &op) {
  if (isa<tile::LoadOp>(op))
    return true;
  return isMemoryEffectFree(&op) && !op.getNumRegions() &&
         !isa<ConvertLayoutOp, tile::ReduceOp, tile::ScanOp, tile::TransOp,
              tile::ReshapeOp, tile::JoinOp, tile::SplitOp, tile::GatherOp,
              tile::XorPermuteOp, tile::DotOp>(op);
}

bool tessel::canWarpSpecialize(scf::ForOp loop, scf::ForOp outer,
                               ArrayRef<RingSlot> slots) {
  Operation *top = outer ? outer.getOperation() : loop.getOperation();
  auto func = dyn_cast<func::FuncOp>(top->getParentOp());
  if (!func || !func->hasAttr(tile::kKernelAttrName) ||
      !func.getBody().hasOneBlock())
    return false;
  if (outer && loop->getParentOp() != outer.getOperation())
    return false;
  SmallVector<Value> ivs;
  if (outer) {
    ivs.push_back(outer.getInductionVar());
    for (Value v :
         {outer.getLowerBound(), outer.getUpperBound(), outer.getStep()})
      if (!producerComputable(v, {}))
        return false;
  }
  // The same number of iterations for every tile (the stages and phases
  // count on through them).
  if (!producerCanFollow(loop, ivs, slots))
    return false;
  // The mbarriers are initialized at the kernel's start: nothing before the
  // loop may use shared memory.
  for (Operation &op : func.getBody().front()) {
    if (&op == top)
      break;
    if (!keepsOffSharedMemory(op))
      return false;
  }
  return true;
}

namespace {
/// Registers per Hopper SM, all of which a thread block with a producer
/// warpgroup divides between its warpgroups.
constexpr int64_t kRegistersPerSM = 65536;
/// What a producer warpgroup keeps: its loop computes coordinates and
/// counters only.
constexpr int32_t kProducerRegisters = 40;
constexpr int64_t kWarpsPerWarpgroup = 4;
constexpr int64_t kThreadsPerWarp = 32;
} // namespace

RegisterSplit tessel::registerSplit(int64_t consumerWarps) {
  // One consumer warpgroup: one producer warp (ptxas's budget of 2
  // warpgroups covers it).
  if (consumerWarps < 2 * kWarpsPerWarpgroup)
    return {1, 0, 0};
  // ptxas gives every thread the budget of the launch's threads (rounded
  // down to 8 registers); the producer warpgroup returns all but
  // kProducerRegisters of it to the block's pool and the consumers share
  // what it returned.
  int64_t producerThreads = kWarpsPerWarpgroup * kThreadsPerWarp,
          consumerThreads = consumerWarps * kThreadsPerWarp;
  int64_t entry = kRegistersPerSM / (producerThreads + consumerThreads) / 8 * 8;
  int64_t consumer = (entry * (producerThreads + consumerThreads) -
                      kProducerRegisters * producerThreads) /
                     consumerThreads / 8 * 8;
  return {int32_t(kWarpsPerWarpgroup), kProducerRegisters,
          int32_t(std::min<int64_t>(consumer, 256))};
}

namespace {
/// The ring's use number of an iteration of `loop` (stages and phases
/// count on across tiles): the iteration of the loop, after `tile` whole
/// runs of it (when not null).
Value useNumber(OpBuilder &b, Location loc, Value iv, Value lb, Value ub,
                Value step, Value tile) {
  Value it = iterationNumber(b, loc, iv, lb, step);
  if (!tile)
    return it;
  return arith::AddIOp::create(
             b, loc,
             arith::MulIOp::create(b, loc, tile,
                                   tripCount(b, loc, lb, ub, step)),
             it)
      .getResult();
}
} // namespace

int64_t tessel::emptyBarrierOffset(int stages, int64_t barrierOffset) {
  return barrierOffset + stages * kMbarrierBytes;
}

namespace {
/// At `p` (the producer's branch): `loop`'s iterations (its values recomputed
/// through `map`; under a persistent loop `tile` counts the tiles), each
/// waiting until the consumers released its stage's previous use, then
/// expecting and copying the slots' blocks. Use numbers start at `base`
/// (null: 0).
scf::ForOp emitProducerCopies(OpBuilder &p, Location loc, scf::ForOp loop,
                              IRMapping &map, Value tile, Value base,
                              ArrayRef<RingSlot> slots, int stages,
                              int64_t stageBytes, int64_t barrierOffset) {
  auto attr = [&](OpBuilder &b, int64_t v) { return b.getI64IntegerAttr(v); };
  int64_t full = barrierOffset,
          empty = emptyBarrierOffset(stages, barrierOffset);
  Value lb = cloneForProducer(p, loop.getLowerBound(), map);
  Value ub = cloneForProducer(p, loop.getUpperBound(), map);
  Value step = cloneForProducer(p, loop.getStep(), map);
  auto copies = scf::ForOp::create(p, loc, lb, ub, step);
  OpBuilder in(copies.getBody()->getTerminator());
  map.map(loop.getInductionVar(), copies.getInductionVar());
  Value pit = useNumber(in, loc, copies.getInductionVar(), lb, ub, step, tile);
  if (base)
    pit = arith::AddIOp::create(in, loc, base, pit);
  Value pStages = constI32(in, loc, stages);
  Value pStage = arith::RemUIOp::create(in, loc, pit, pStages);
  Value reuse =
      arith::CmpIOp::create(in, loc, arith::CmpIPredicate::uge, pit, pStages);
  auto wait = scf::IfOp::create(in, loc, TypeRange{}, reuse,
                                /*withElseRegion=*/false);
  {
    OpBuilder w(wait.thenBlock()->getTerminator());
    // Use n >= 1 of the stage waits for the consumers' n-th release.
    Value usePhase = arith::AndIOp::create(
        w, loc,
        arith::AddIOp::create(w, loc,
                              arith::DivUIOp::create(w, loc, pit, pStages),
                              constI32(w, loc, 1)),
        constI32(w, loc, 1));
    TmaWaitOp::create(w, loc, pStage, usePhase, attr(w, empty),
                      w.getBoolAttr(false));
  }
  int64_t bytes = 0;
  for (RingSlot slot : slots)
    bytes += blockBytes(slot.load);
  Value always = arith::ConstantIntOp::create(in, loc, in.getI1Type(), 1);
  TmaExpectOp::create(in, loc, pStage, always, attr(in, bytes), attr(in, full),
                      in.getUnitAttr());
  for (RingSlot slot : slots) {
    SmallVector<Value> coords;
    for (Value c : slot.load.getCoords())
      coords.push_back(cloneForProducer(in, c, map));
    TmaCopyOp::create(in, loc, slot.load.getTensormap(), coords, pStage, always,
                      /*multicast=*/Value(), TypeAttr::get(slot.load.getType()), attr(in, stageBytes),
                      attr(in, slot.offset), attr(in, full), in.getUnitAttr());
  }
  return copies;
}
} // namespace

void tessel::releaseStage(OpBuilder &b, Location loc, Value use, int stages,
                          int64_t barrierOffset) {
  Value previous = arith::RemUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, use, constI32(b, loc, stages - 1)),
      constI32(b, loc, stages));
  Value released = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, use,
                                         constI32(b, loc, 0));
  MbarrierArriveOp::create(
      b, loc, previous, released,
      b.getI64IntegerAttr(emptyBarrierOffset(stages, barrierOffset)));
}

ProducerRing tessel::addProducerWarp(scf::ForOp loop, scf::ForOp outer,
                                     ArrayRef<RingSlot> slots, int stages,
                                     int64_t stageBytes,
                                     int64_t barrierOffset) {
  Location loc = loop.getLoc();
  Operation *ring = outer ? outer.getOperation() : loop.getOperation();
  auto func = cast<func::FuncOp>(ring->getParentOp());
  auto module = func->getParentOfType<ModuleOp>();
  int64_t consumerWarps = 1;
  if (auto w = module->getAttrOfType<IntegerAttr>(kNumWarpsAttr))
    consumerWarps = w.getInt();
  RegisterSplit split = registerSplit(consumerWarps);
  module->setAttr(kProducerWarpsAttr,
                  IntegerAttr::get(IntegerType::get(module.getContext(), 32),
                                   split.producerWarps));
  int64_t full = barrierOffset,
          empty = emptyBarrierOffset(stages, barrierOffset);
  auto attr = [&](OpBuilder &b, int64_t v) { return b.getI64IntegerAttr(v); };
  if (outer) {
    // The epilogue of one tile runs while the producer fills the ring for
    // the next: ops' own shared memory goes past the ring and barriers.
    int64_t end = llvm::alignTo(empty + stages * kMbarrierBytes, 1024);
    module->setAttr(
        kScratchOffsetAttr,
        IntegerAttr::get(IntegerType::get(module.getContext(), 64), end));
  }
  OpBuilder after(loop->getContext());
  after.setInsertionPointAfter(ring);
  Operation *retire = MbarrierInvalOp::create(
      after, loc, attr(after, 2 * stages), attr(after, barrierOffset));

  // The kernel: barriers, then the producer's branch and the rest.
  Block &entry = func.getBody().front();
  OpBuilder top = OpBuilder::atBlockBegin(&entry);
  MbarrierInitOp::create(top, loc, attr(top, stages), attr(top, full),
                         attr(top, 1), top.getUnitAttr());
  MbarrierInitOp::create(top, loc, attr(top, stages), attr(top, empty),
                         attr(top, consumerWarps), top.getUnitAttr());
  Value producer = ProducerWarpOp::create(top, loc, top.getI1Type());
  auto branch = scf::IfOp::create(top, loc, TypeRange{}, producer,
                                  /*withElseRegion=*/true);
  Operation *consumerEnd = branch.elseBlock()->getTerminator();
  for (Operation &op : llvm::make_early_inc_range(
           llvm::make_range(std::next(branch->getIterator()),
                            entry.getTerminator()->getIterator())))
    op.moveBefore(consumerEnd);

  // The producer: the same iterations, each waiting until the consumers
  // released the stage's previous use. A producer warpgroup first gives its
  // registers to the consumers; its first warp alone then runs the loop.
  OpBuilder p(branch.thenBlock()->getTerminator());
  if (split.producerRegisters) {
    SetMaxRegistersOp::create(p, loc, split.producerRegisters,
                              /*increase=*/false);
    OpBuilder c = OpBuilder::atBlockBegin(branch.elseBlock());
    SetMaxRegistersOp::create(c, loc, split.consumerRegisters,
                              /*increase=*/true);
    Value leader = ProducerWarpOp::create(p, loc, p.getI1Type(),
                                          /*leader=*/true);
    auto first = scf::IfOp::create(p, loc, TypeRange{}, leader,
                                   /*withElseRegion=*/false);
    p.setInsertionPoint(first.thenBlock()->getTerminator());
  }
  IRMapping map;
  Value pTile;
  if (outer) {
    Value olb = cloneForProducer(p, outer.getLowerBound(), map);
    Value oub = cloneForProducer(p, outer.getUpperBound(), map);
    Value ostep = cloneForProducer(p, outer.getStep(), map);
    auto tiles = scf::ForOp::create(p, loc, olb, oub, ostep);
    p.setInsertionPoint(tiles.getBody()->getTerminator());
    map.map(outer.getInductionVar(), tiles.getInductionVar());
    pTile = iterationNumber(p, loc, tiles.getInductionVar(), olb, ostep);
  }
  ProducerRing built;
  built.copies = emitProducerCopies(p, loc, loop, map, pTile, /*base=*/Value(),
                                    slots, stages, stageBytes, barrierOffset);
  built.lowerBound = loop.getLowerBound();
  built.upperBound = loop.getUpperBound();
  built.step = loop.getStep();
  built.retire = retire;
  built.stages = stages;
  built.stageBytes = stageBytes;
  built.barrierOffset = barrierOffset;
  return built;
}

bool tessel::canContinueProducerRing(const ProducerRing &ring, scf::ForOp next,
                                     ArrayRef<RingSlot> slots, int stages,
                                     int64_t stageBytes,
                                     int64_t barrierOffset) {
  if (stages != ring.stages || stageBytes != ring.stageBytes ||
      barrierOffset != ring.barrierOffset ||
      // Under a persistent loop the copies count on through its tiles.
      isa<scf::ForOp>(ring.copies->getParentOp()))
    return false;
  // The earlier loop's barriers retire right after it (and after the scf.if
  // its rotation put it under); the producer fills the ring's first stages
  // for `next` while the consumers run the code between the loops.
  if (ring.retire->getBlock() != next->getBlock() ||
      !ring.retire->isBeforeInBlock(next))
    return false;
  for (Operation &op : llvm::make_range(std::next(ring.retire->getIterator()),
                                        next->getIterator()))
    if (!keepsOffSharedMemory(op))
      return false;
  return producerCanFollow(next, {}, slots);
}

Value tessel::continuedUseBase(OpBuilder &b, ProducerRing ring) {
  Location loc = ring.retire->getLoc();
  Value count = tripCount(b, loc, ring.lowerBound, ring.upperBound, ring.step);
  if (!ring.consumerBase)
    return count;
  return arith::AddIOp::create(b, loc, ring.consumerBase, count);
}

ProducerRing tessel::continueProducerRing(ProducerRing ring, scf::ForOp next,
                                          ArrayRef<RingSlot> slots,
                                          Value consumerBase) {
  Location loc = next.getLoc();
  OpBuilder p(ring.copies->getContext());
  p.setInsertionPointAfter(ring.copies);
  Value base = tripCount(p, loc, ring.copies.getLowerBound(),
                         ring.copies.getUpperBound(), ring.copies.getStep());
  if (ring.producerBase)
    base = arith::AddIOp::create(p, loc, ring.producerBase, base);
  IRMapping map;
  ProducerRing continued = ring;
  continued.copies =
      emitProducerCopies(p, loc, next, map, /*tile=*/Value(), base, slots,
                         ring.stages, ring.stageBytes, ring.barrierOffset);
  continued.lowerBound = next.getLowerBound();
  continued.upperBound = next.getUpperBound();
  continued.step = next.getStep();
  continued.consumerBase = consumerBase;
  continued.producerBase = base;
  ring.retire->moveAfter(next);
  return continued;
}

void tessel::warpSpecializeRing(
    scf::ForOp loop, scf::ForOp outer, Operation *dot, ArrayRef<RingSlot> slots,
    int stages, int64_t stageBytes, int64_t barrierOffset,
    function_ref<Value(OpBuilder &, Value)> makeDot) {
  Location loc = loop.getLoc();
  // Consumers: wait for the stage, multiply, release the previous stage
  // (the dot waited for the wgmma that read it).
  OpBuilder b(dot);
  Value tile = outer ? iterationNumber(b, loc, outer.getInductionVar(),
                                       outer.getLowerBound(), outer.getStep())
                     : Value();
  Value it = useNumber(b, loc, loop.getInductionVar(), loop.getLowerBound(),
                       loop.getUpperBound(), loop.getStep(), tile);
  Value numStages = constI32(b, loc, stages);
  Value stage = arith::RemUIOp::create(b, loc, it, numStages);
  Value phase = arith::AndIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, it, numStages),
      constI32(b, loc, 1));
  TmaWaitOp::create(b, loc, stage, phase, b.getI64IntegerAttr(barrierOffset),
                    b.getBoolAttr(false));
  dot->getResult(0).replaceAllUsesWith(makeDot(b, stage));
  releaseStage(b, loc, it, stages, barrierOffset);
  addProducerWarp(loop, outer, slots, stages, stageBytes, barrierOffset);
  dot->erase();
  for (RingSlot slot : slots)
    if (slot.load->use_empty())
      slot.load.erase();
}
