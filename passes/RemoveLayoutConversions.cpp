//===- RemoveLayoutConversions.cpp - fewer tilegpu.convert_layout ops -----===//
//
// A conversion costs a round trip through shared memory and two barriers on
// GPUs; recomputing a make_range, a splat or a few adds in another layout
// costs a handful of register instructions. The rules (each tested in
// test/Passes/remove-layout-conversions.mlir):
//   fold     convert(x : L -> L) = x; convert(convert(x)) = convert(x)
//   remat    convert(cheap chain) = the chain recomputed in the new layout
//            (through broadcast, and expand_dims from the slice layout)
//   store    store(p, convert(v), m) = store(p', v, m') with p', m'
//            recomputed in v's layout (not for a tensor-core result outside
//            loops, or in a loop over tiles around its K loop: the epilogue
//            converts it to coalesced stores)
//   sink     f(convert(a), convert(b), c) = convert(f(a, b, c')) when a and b
//            share a layout and c can be recomputed in it; also
//            f(convert(a)) = convert(f(a)) for unary f that does not widen
//   hoist    a conversion in a loop of a value defined before it runs once,
//            before the loop
//   loop     a loop-carried value that each iteration converts to L1 and
//            back (dot accumulators) is carried in L1: one conversion
//            before the loop and one after it
//   forward  a wgmma dot's result layout flows forward through the ops that
//            compute in any layout (elementwise, reductions into its slice,
//            expand_dims, broadcast, other conversions, loop-carried values)
//            when that leaves fewer conversions in the loop: the softmax of
//            attention then runs in the accumulator's layout (as Triton's
//            forward propagation from dot anchors)
//
//===----------------------------------------------------------------------===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/AxisInfo.h"
#include "passes/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace tessel {
#define GEN_PASS_DEF_REMOVELAYOUTCONVERSIONS
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
/// Most ops one recomputation may clone: beyond this a conversion is
/// cheaper than the code it would replace.
constexpr unsigned kMaxClonedOps = 24;

Attribute layoutOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getEncoding();
}

RankedTensorType withLayout(Type type, Attribute layout) {
  auto tensor = cast<RankedTensorType>(type);
  return RankedTensorType::get(tensor.getShape(), tensor.getElementType(),
                               layout);
}

/// Ops whose result can be computed in any layout from operands in that
/// layout (or scalars).
bool isCheap(Operation *op) {
  if (isa<tile::MakeRangeOp, tile::SplatOp>(op))
    return true;
  if (auto cst = dyn_cast<arith::ConstantOp>(op))
    return isa<SplatElementsAttr>(cst.getValue());
  if (op->getNumResults() != 1 || op->getNumRegions() != 0 ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return false;
  bool elementwise = isa<arith::ArithDialect>(op->getDialect()) ||
                     op->getDialect()->getNamespace() == "math" ||
                     isa<tile::AddPtrOp, tile::Float8EncodeOp>(op);
  return elementwise && llvm::all_of(op->getOperandTypes(), [](Type t) {
           return isa<RankedTensorType>(t);
         });
}

/// Whether nothing between `from` and `to` (later in the same block) may
/// write memory: a load moved from one to the other reads the same values.
bool noWritesBetween(Operation *from, Operation *to) {
  if (from->getBlock() != to->getBlock() || !from->isBeforeInBlock(to))
    return false;
  for (Operation *op = from->getNextNode(); op && op != to;
       op = op->getNextNode()) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects ? !isMemoryEffectFree(op)
                 : effects.hasEffect<MemoryEffects::Write>() ||
                       effects.hasEffect<MemoryEffects::Free>())
      return false;
    if (op->getNumRegions() && !isMemoryEffectFree(op))
      return false;
  }
  return true;
}

/// Recomputes values in another layout by cloning their cheap producers.
///
/// Given a `scope` (the `forward` rule's region) it may also reload a tile
/// in the new layout where the tile's only use is on the way (a 1-D load of
/// softmax statistics broadcast over a dot's result, as attention's backward
/// has), and convert the source of a conversion it cannot recompute to the
/// new layout instead (one conversion for another, placed after the source:
/// `newConversions` counts those whose source is computed in `scope`, an
/// upper bound; one of a value computed outside `scope`, such as before the
/// loop whose body is the scope, runs there).
class Rematerializer {
public:
  explicit Rematerializer(OpBuilder &builder) : builder(builder) {}
  Rematerializer(OpBuilder &builder, Region *scope)
      : builder(builder), scope(scope) {}

  /// Conversions the `scope` rules add in it (see the class comment).
  unsigned newConversions = 0;

  /// Whether `v` can be had in `layout` without a conversion.
  bool canProvide(Value v, Attribute layout) {
    unsigned budget = kMaxClonedOps;
    return check(v, layout, budget);
  }

  /// Lets canProvide count on `v` in `layout` (a loop argument about to be
  /// carried in it); provide then needs `v` retyped first.
  void assumeAvailable(Value v, Attribute layout) {
    assumed.insert({v, layout});
  }

  /// `v` in `layout`; call only after canProvide returned true.
  Value provide(Value v, Attribute layout) {
    if (layoutOf(v) == layout)
      return v;
    auto key = std::make_pair(v, layout);
    if (Value done = cache.lookup(key))
      return done;
    Operation *def = v.getDefiningOp();
    Value result;
    if (retargeted.contains(key)) {
      // The source converted straight to `layout`, next to its definition.
      Value src = cast<ConvertLayoutOp>(def).getSrc();
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointAfterValue(src);
      result = ConvertLayoutOp::create(builder, def->getLoc(),
                                       withLayout(v.getType(), layout), src);
    } else if (auto cvt = dyn_cast<ConvertLayoutOp>(def)) {
      result = provide(cvt.getSrc(), layout);
    } else if (isa<tile::BroadcastOp, tile::ExpandDimsOp>(def)) {
      IRMapping mapping;
      mapping.map(def->getOperand(0),
                  provide(def->getOperand(0), operandLayout(def, layout)));
      Operation *clone = builder.clone(*def, mapping);
      clone->getResult(0).setType(withLayout(v.getType(), layout));
      result = clone->getResult(0);
    } else if (auto cst = dyn_cast<arith::ConstantOp>(def)) {
      auto type = withLayout(cst.getType(), layout);
      result = arith::ConstantOp::create(
          builder, cst.getLoc(), type,
          SplatElementsAttr::get(type, cast<SplatElementsAttr>(cst.getValue())
                                           .getSplatValue<Attribute>()));
    } else {
      IRMapping mapping;
      for (Value operand : def->getOperands())
        if (isa<RankedTensorType>(operand.getType()))
          mapping.map(operand, provide(operand, layout));
      Operation *clone = builder.clone(*def, mapping);
      clone->getResult(0).setType(withLayout(v.getType(), layout));
      result = clone->getResult(0);
    }
    cache[key] = result;
    return result;
  }

private:
  /// The layout the operand of a broadcast or expand_dims needs for its
  /// result to have `layout`.
  static Attribute operandLayout(Operation *op, Attribute layout) {
    if (auto expand = dyn_cast<tile::ExpandDimsOp>(op))
      return SliceLayoutAttr::get(op->getContext(), expand.getAxis(), layout);
    return layout;
  }

  /// Whether `v` can be recomputed in `layout` within `budget` cloned ops;
  /// a value shared by several operands counts once (provide clones it once).
  bool check(Value v, Attribute layout, unsigned &budget) {
    if (layoutOf(v) == layout || assumed.contains({v, layout}) ||
        providable.contains({v, layout}))
      return true;
    if (!checkUncached(v, layout, budget))
      return false;
    providable.insert({v, layout});
    return true;
  }

  bool checkUncached(Value v, Attribute layout, unsigned &budget) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return false;
    if (auto cvt = dyn_cast<ConvertLayoutOp>(def)) {
      if (check(cvt.getSrc(), layout, budget))
        return true;
      if (!scope)
        return false;
      retargeted.insert({v, layout});
      newConversions += scope->isAncestor(cvt.getSrc().getParentRegion());
      return true;
    }
    if (auto load = dyn_cast<tile::LoadOp>(def)) {
      if (!scope || load.getIsVolatile() || !v.hasOneUse() || budget == 0 ||
          !noWritesBetween(load, &*builder.getInsertionPoint()))
        return false;
      --budget;
      return llvm::all_of(load->getOperands(), [&](Value operand) {
        return !isa<RankedTensorType>(operand.getType()) ||
               check(operand, layout, budget);
      });
    }
    // Shape ops pass the layout on: broadcast keeps it, expand_dims takes
    // its slice.
    if (isa<tile::BroadcastOp, tile::ExpandDimsOp>(def)) {
      if (budget == 0)
        return false;
      --budget;
      return check(def->getOperand(0), operandLayout(def, layout), budget);
    }
    if (!isCheap(def) || budget == 0)
      return false;
    --budget;
    return llvm::all_of(def->getOperands(), [&](Value operand) {
      return !isa<RankedTensorType>(operand.getType()) ||
             check(operand, layout, budget);
    });
  }

  OpBuilder &builder;
  Region *scope = nullptr; // set: reloads and retargeted conversions apply
  DenseSet<std::pair<Value, Attribute>> retargeted;
  DenseMap<std::pair<Value, Attribute>, Value> cache;
  DenseSet<std::pair<Value, Attribute>> assumed;
  DenseSet<std::pair<Value, Attribute>> providable;
};

/// The `forward` rule for one anchor: a conversion of a wgmma dot's result.
/// Collects the values that can take the dot's layout (`assigned`), checks
/// that fewer conversions remain in the anchor's region, then retypes them.
class ForwardPropagation {
public:
  explicit ForwardPropagation(ConvertLayoutOp anchor)
      : anchor(anchor), scope(anchor->getParentRegion()),
        loop(dyn_cast<scf::ForOp>(anchor->getParentOp())) {}

  /// Whether the rewrite happened.
  bool run(DenseSet<Operation *> &erased) {
    assign(anchor.getResult(), layoutOf(anchor.getSrc()));
    while (!worklist.empty() && !failed) {
      Value v = worklist.pop_back_val();
      for (OpOperand &use : v.getUses())
        visitUse(use, assigned[v]);
    }
    if (failed || !resolveOperands())
      return false;
    if (added >= removed)
      return false;
    apply(erased);
    return true;
  }

private:
  /// Ops that compute in whatever layout their operands have.
  static bool isElementwise(Operation *op) {
    if (op->getNumResults() != 1 || op->getNumRegions() != 0 ||
        !isa<RankedTensorType>(op->getResult(0).getType()))
      return false;
    if (!isa<arith::ArithDialect>(op->getDialect()) &&
        op->getDialect()->getNamespace() != "math" &&
        !isa<tile::AddPtrOp, tile::Float8EncodeOp>(op))
      return false;
    return llvm::all_of(op->getOperandTypes(),
                        [](Type t) { return isa<RankedTensorType>(t); });
  }

  /// Operands of wgmma dots are written to shared memory from any layout.
  static bool isWgmmaOperand(OpOperand &use) {
    auto dot = dyn_cast<tile::DotOp>(use.getOwner());
    if (!dot || use.get() == dot.getAcc())
      return false;
    auto mma = dyn_cast<MmaLayoutAttr>(layoutOf(dot.getAcc()));
    return mma && mma.getVersion() == 3;
  }

  bool inScope(Operation *op) const {
    return scope->isAncestor(op->getParentRegion());
  }

  bool isLoopIterArg(Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    return loop && arg && arg.getOwner() == loop.getBody() &&
           arg.getArgNumber() >= loop.getNumInductionVars();
  }

  void assign(Value v, Attribute layout) {
    auto [it, inserted] = assigned.try_emplace(v, layout);
    if (!inserted) {
      failed |= it->second != layout;
      return;
    }
    worklist.push_back(v);
  }

  /// An op joins with all its tensor operands required in `layout`.
  void join(Operation *op, Attribute operandLayout) {
    auto [it, inserted] = members.try_emplace(op, operandLayout);
    if (!inserted) {
      failed |= it->second != operandLayout;
      return;
    }
    for (Value operand : op->getOperands())
      if (isLoopIterArg(operand))
        assign(operand, operandLayout); // carried in the new layout
  }

  void visitUse(OpOperand &use, Attribute layout) {
    Operation *user = use.getOwner();
    if (user->getBlock() != anchor->getBlock()) {
      exits.push_back(&use);
      return;
    }
    if (auto cvt = dyn_cast<ConvertLayoutOp>(user)) {
      folded.insert(cvt);
      assign(cvt.getResult(), layout);
      return;
    }
    if (isa<scf::YieldOp>(user) && loop && user->getParentOp() == loop) {
      assign(loop.getRegionIterArgs()[use.getOperandNumber()], layout);
      return;
    }
    if (isElementwise(user) || isa<tile::BroadcastOp>(user)) {
      join(user, layout);
      assign(user->getResult(0), layout);
      return;
    }
    if (auto expand = dyn_cast<tile::ExpandDimsOp>(user)) {
      auto slice = dyn_cast<SliceLayoutAttr>(layout);
      if (slice && slice.getDim() == unsigned(expand.getAxis())) {
        join(user, layout);
        assign(expand.getResult(), slice.getParent());
        return;
      }
    }
    if (auto reduce = dyn_cast<tile::ReduceOp>(user)) {
      join(user, layout);
      auto slice =
          SliceLayoutAttr::get(user->getContext(), reduce.getAxis(), layout);
      for (Value result : reduce.getResults())
        if (isa<RankedTensorType>(result.getType()))
          assign(result, slice);
      return;
    }
    if (isWgmmaOperand(use))
      return;
    exits.push_back(&use);
  }

  /// Finds how each operand entering the set gets its layout, counting the
  /// conversions the rewrite adds and removes in the anchor's region.
  bool resolveOperands() {
    removed = 0;
    for (ConvertLayoutOp cvt : folded)
      removed += inScope(cvt);
    removed += inScope(anchor) && !folded.contains(anchor);
    for (auto [op, layout] : members)
      for (OpOperand &operand : op->getOpOperands())
        if (!resolve(operand, layout, inScope(op)))
          return false;
    // What each carried value's yield must now provide.
    if (loop) {
      auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
      for (BlockArgument arg : loop.getRegionIterArgs())
        if (auto it = assigned.find(arg); it != assigned.end()) {
          OpOperand &operand = yield->getOpOperand(arg.getArgNumber() - 1);
          if (auto cvt = operand.get().getDefiningOp<ConvertLayoutOp>();
              cvt && !assigned.count(cvt.getResult()) &&
              layoutOf(cvt.getSrc()) == it->second) {
            yieldSources.push_back({&operand, cvt.getSrc()});
            removed += cvt->hasOneUse();
            continue;
          }
          if (!resolve(operand, it->second, /*counted=*/true))
            return false;
        }
    }
    for (OpOperand *use : exits)
      added += inScope(use->getOwner());
    return true;
  }

  bool resolve(OpOperand &operand, Attribute layout, bool counted) {
    Value v = operand.get();
    if (!isa<RankedTensorType>(v.getType()))
      return true;
    if (auto it = assigned.find(v); it != assigned.end())
      return it->second == layout;
    if (layoutOf(v) == layout)
      return true;
    OpBuilder builder(operand.getOwner());
    Rematerializer remat(builder, scope);
    // Recomputing may itself convert sources (retargeted conversions): not
    // when that costs more than converting the operand once.
    if (remat.canProvide(v, layout) && remat.newConversions <= 1) {
      entries.push_back({&operand, layout, /*convert=*/false});
      added += counted ? remat.newConversions : 0;
      return true;
    }
    entries.push_back({&operand, layout, /*convert=*/true});
    added += counted;
    return true;
  }

  void apply(DenseSet<Operation *> &erased) {
    // Old types first: retyping below changes them.
    DenseMap<Value, Type> oldTypes;
    for (auto &[v, layout] : assigned)
      oldTypes[v] = v.getType();
    // Exits keep the old layout through a conversion.
    for (OpOperand *use : exits) {
      Value v = use->get();
      OpBuilder builder(use->getOwner());
      use->set(ConvertLayoutOp::create(builder, use->getOwner()->getLoc(),
                                       oldTypes[v], v));
    }
    // Entries: recomputed or converted just before their user.
    for (Entry &entry : entries) {
      Operation *user = entry.operand->getOwner();
      OpBuilder builder(user);
      Value v = entry.operand->get();
      if (entry.convert) {
        entry.operand->set(ConvertLayoutOp::create(
            builder, user->getLoc(), withLayout(v.getType(), entry.layout), v));
      } else if (Rematerializer remat(builder, scope);
                 remat.canProvide(v, entry.layout)) {
        entry.operand->set(remat.provide(v, entry.layout));
      } else { // resolve checked it; the IR has not changed since
        entry.operand->set(ConvertLayoutOp::create(
            builder, user->getLoc(), withLayout(v.getType(), entry.layout), v));
      }
    }
    for (auto [operand, source] : yieldSources)
      operand->set(source);
    // Loops carry the new layout: a conversion in before, one out after.
    if (loop) {
      OpBuilder before(loop);
      for (BlockArgument arg : loop.getRegionIterArgs()) {
        auto it = assigned.find(arg);
        if (it == assigned.end())
          continue;
        unsigned i = arg.getArgNumber() - 1;
        Type newType = withLayout(arg.getType(), it->second);
        OpOperand &init = loop.getInitsMutable()[i];
        init.set(ConvertLayoutOp::create(before, loop.getLoc(), newType,
                                         init.get()));
        Value result = loop.getResult(i);
        Type oldType = result.getType();
        result.setType(newType);
        OpBuilder after(loop->getContext());
        after.setInsertionPointAfter(loop);
        auto back =
            ConvertLayoutOp::create(after, loop.getLoc(), oldType, result);
        result.replaceAllUsesExcept(back.getResult(), back);
      }
    }
    for (auto &[v, layout] : assigned)
      v.setType(withLayout(v.getType(), layout));
    // Conversions inside the set are now identities.
    for (ConvertLayoutOp cvt : folded)
      if (!erased.contains(cvt)) {
        cvt.getResult().replaceAllUsesWith(cvt.getSrc());
        erased.insert(cvt);
        cvt.erase();
      }
    if (!folded.contains(anchor)) {
      anchor.getResult().replaceAllUsesWith(anchor.getSrc());
      erased.insert(anchor);
      anchor.erase();
    }
  }

  struct Entry {
    OpOperand *operand;
    Attribute layout;
    bool convert;
  };

  ConvertLayoutOp anchor;
  Region *scope;
  scf::ForOp loop;
  bool failed = false;
  unsigned added = 0, removed = 0;
  llvm::MapVector<Value, Attribute> assigned;
  llvm::MapVector<Operation *, Attribute> members;
  llvm::SetVector<ConvertLayoutOp> folded;
  SmallVector<Value> worklist;
  SmallVector<OpOperand *> exits;
  SmallVector<Entry> entries;
  SmallVector<std::pair<OpOperand *, Value>> yieldSources;
};

/// Anchors of the `forward` rule: conversions of a wgmma dot's result.
bool isForwardAnchor(ConvertLayoutOp cvt) {
  auto dot = cvt.getSrc().getDefiningOp<tile::DotOp>();
  if (!dot)
    return false;
  auto mma = dyn_cast<MmaLayoutAttr>(layoutOf(dot.getResult()));
  return mma != nullptr;
}

struct RemoveLayoutConversionsPass
    : tessel::impl::RemoveLayoutConversionsBase<RemoveLayoutConversionsPass> {
  void runOnOperation() override {
    AxisInfoAnalysis axisInfo(getOperation());
    this->axisInfo = &axisInfo;
    // Each rule removes at least one conversion, so this terminates; the
    // bound only guards against surprises.
    for (unsigned round = 0; round < 16; ++round) {
      bool changed = false;
      SmallVector<Operation *> ops;
      getOperation().walk([&](Operation *op) { ops.push_back(op); });
      DenseSet<Operation *> erased;
      for (Operation *op : ops) {
        if (erased.contains(op))
          continue;
        if (auto cvt = dyn_cast<ConvertLayoutOp>(op)) {
          if (isForwardAnchor(cvt) && ForwardPropagation(cvt).run(erased)) {
            changed = true;
            continue;
          }
          changed |= simplifyConversion(cvt, erased);
        } else if (auto store = dyn_cast<tile::StoreOp>(op))
          changed |= storeInValueLayout(store, erased);
        else if (auto loop = dyn_cast<scf::ForOp>(op)) {
          changed |= hoistInvariantConversions(loop);
          changed |= carryInUsedLayout(loop, erased);
        } else if (isCheap(op))
          changed |= sinkConversions(op, erased);
      }
      if (!changed)
        break;
    }
    // What the rules left without users: conversions (each would still cost
    // a shared-memory round trip once lowered) and the chains and loads
    // they replaced (a load reread in another layout).
    SmallVector<Operation *> dead;
    getOperation().walk([&](Operation *op) {
      if (isa<ConvertLayoutOp, tile::BroadcastOp, tile::ExpandDimsOp,
              tile::LoadOp>(op) ||
          isCheap(op))
        dead.push_back(op);
    });
    for (Operation *op : llvm::reverse(dead))
      if (isOpTriviallyDead(op))
        op->erase();
  }

  /// fold and remat.
  bool simplifyConversion(ConvertLayoutOp cvt, DenseSet<Operation *> &erased) {
    Attribute target = layoutOf(cvt.getResult());
    OpBuilder builder(cvt);
    Rematerializer remat(builder);
    if (!remat.canProvide(cvt.getSrc(), target)) {
      // Still collapse a chain of conversions into one.
      if (auto inner = cvt.getSrc().getDefiningOp<ConvertLayoutOp>()) {
        cvt.getSrcMutable().assign(inner.getSrc());
        eraseIfDead(inner, erased);
        return true;
      }
      return false;
    }
    Value replacement = remat.provide(cvt.getSrc(), target);
    cvt.getResult().replaceAllUsesWith(replacement);
    Value src = cvt.getSrc();
    erased.insert(cvt);
    cvt.erase();
    if (Operation *def = src.getDefiningOp())
      eraseIfDead(def, erased);
    return true;
  }

  /// Whether `store` runs after every dot's loop is done with its shared
  /// memory: outside loops, or in loops over tiles (a persistent matmul)
  /// whose bodies hold no dot themselves, only K loops, whose rings are
  /// drained and retired before the rest of the body runs. Not under
  /// warp_specialize, whose producer fills the next tile's stages during
  /// the epilogue (the conversion's tile would not fit beside them).
  static bool isEpilogue(tile::StoreOp store) {
    for (Operation *op = store->getParentOp(); op; op = op->getParentOp()) {
      if (!isa<LoopLikeOpInterface>(op))
        continue;
      auto loop = dyn_cast<scf::ForOp>(op);
      if (!loop || loop->hasAttr(tile::kWarpSpecializeAttrName) ||
          llvm::any_of(loop.getBody()->getOperations(),
                       [](Operation &o) { return isa<tile::DotOp>(o); }))
        return false;
    }
    return true;
  }

  /// store: write a converted value in its own layout.
  bool storeInValueLayout(tile::StoreOp store, DenseSet<Operation *> &erased) {
    auto cvt = store.getValue().getDefiningOp<ConvertLayoutOp>();
    if (!cvt)
      return false;
    Attribute layout = layoutOf(cvt.getSrc());
    auto ptrType = cast<RankedTensorType>(store.getPtr().getType());
    // A tensor-core result leaves as Triton's epilogue does: a vectorized
    // conversion through shared memory, then the coalesced (16-byte) stores
    // of the layout coalesce chose, instead of each thread storing its
    // fragments' pairs row by row. Not inside loops where a pipeline may
    // hold the shared memory the conversion would use. (An MFMA result's
    // lanes already run along a row's columns, and AMD's 64 KiB of LDS
    // would not hold a 128x128 float32 tile: it stores as it is.)
    if (isa<MmaLayoutAttr>(layout) && ptrType.getRank() == 2 &&
        isEpilogue(store))
      return false;
    // An MFMA result whose lanes run along contiguous addresses (columns of
    // a row-major tile) stores as it is: each instruction writes whole
    // 32- or 16-element row segments.
    bool lanesCoalesce = false;
    if (auto mfma = dyn_cast<MfmaLayoutAttr>(layout))
      lanesCoalesce = ptrType.getRank() == 2 &&
                      axisInfo->get(store.getPtr()).contiguity[1] >=
                          int64_t(mfma.getNonKDim());
    // A 2-D tile keeps a layout that runs along its contiguous addresses
    // (what the coalesce pass chose): lanes writing other rows would not
    // coalesce. 1-D blocks (reduction results) are small and always gain.
    if (ptrType.getRank() >= 2 && !lanesCoalesce) {
      int64_t now = fastestDim(ptrType);
      int64_t then = fastestDim(withLayout(ptrType, layout));
      AxisInfo info = axisInfo->get(store.getPtr());
      if (now >= 0 &&
          (then < 0 || info.contiguity[then] < info.contiguity[now]))
        return false;
    }
    OpBuilder builder(store);
    Rematerializer remat(builder);
    Value mask = store.getMask();
    if (!remat.canProvide(store.getPtr(), layout) ||
        (mask && !remat.canProvide(mask, layout)))
      return false;
    store.getPtrMutable().assign(remat.provide(store.getPtr(), layout));
    store.getValueMutable().assign(cvt.getSrc());
    if (mask)
      store.getMaskMutable().assign(remat.provide(mask, layout));
    eraseIfDead(cvt, erased);
    return true;
  }

  /// sink: one conversion after an elementwise op instead of several before.
  bool sinkConversions(Operation *op, DenseSet<Operation *> &erased) {
    if (!isa<arith::ArithDialect>(op->getDialect()) &&
        op->getDialect()->getNamespace() != "math" &&
        !isa<tile::AddPtrOp, tile::Float8EncodeOp>(op))
      return false;
    DenseMap<Attribute, unsigned> fromLayout;
    for (Value operand : op->getOperands())
      if (auto cvt = operand.getDefiningOp<ConvertLayoutOp>())
        ++fromLayout[layoutOf(cvt.getSrc())];
    Attribute best;
    unsigned count = 0;
    for (auto [layout, n] : fromLayout)
      if (n > count)
        best = layout, count = n;
    // One conversion moves past a unary op when that does not widen what
    // travels (a truncation halves it, and lets the store rule apply).
    bool narrowingUnary = count == 1 && op->getNumOperands() == 1 &&
                          getElementTypeOrSelf(op->getResult(0).getType())
                                  .getIntOrFloatBitWidth() <=
                              getElementTypeOrSelf(op->getOperand(0).getType())
                                  .getIntOrFloatBitWidth();
    if (count < 2 && !narrowingUnary)
      return false;
    OpBuilder builder(op);
    Rematerializer remat(builder);
    for (Value operand : op->getOperands())
      if (!remat.canProvide(operand, best))
        return false;
    IRMapping mapping;
    for (Value operand : op->getOperands())
      mapping.map(operand, remat.provide(operand, best));
    Operation *moved = builder.clone(*op, mapping);
    Value result = op->getResult(0);
    moved->getResult(0).setType(withLayout(result.getType(), best));
    auto back = ConvertLayoutOp::create(builder, op->getLoc(), result.getType(),
                                        moved->getResult(0));
    result.replaceAllUsesWith(back.getResult());
    // Producers, once each (an operand used twice must not be erased twice),
    // collected before the erasure invalidates the operands.
    llvm::SetVector<Operation *> producers;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        producers.insert(def);
    erased.insert(op);
    op->erase();
    for (Operation *def : producers)
      eraseIfDead(def, erased);
    return true;
  }

  /// hoist: a conversion in a loop's body of a value defined before the
  /// loop (attention's Q, converted to an mma.sync operand layout) runs once,
  /// before the loop, instead of once per iteration.
  bool hoistInvariantConversions(scf::ForOp loop) {
    bool changed = false;
    for (Operation &op :
         llvm::make_early_inc_range(loop.getBody()->getOperations())) {
      auto cvt = dyn_cast<ConvertLayoutOp>(op);
      // Defined in the loop (its body or the loop's own arguments).
      if (!cvt ||
          loop->isAncestor(cvt.getSrc().getParentRegion()->getParentOp()))
        continue;
      cvt->moveBefore(loop);
      changed = true;
    }
    return changed;
  }

  /// loop: carry iter_arg i in L1 when each use in the body converts it to
  /// L1 or computes, through cheap ops, what the body yields for it (a
  /// dot accumulator converted there and back; a pointer tile advanced each
  /// iteration and loaded in L1). The yielded value is recomputed in L1
  /// from the retyped argument: one conversion before the loop and one
  /// after it replace those in the body.
  bool carryInUsedLayout(scf::ForOp loop, DenseSet<Operation *> &erased) {
    bool changed = false;
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (unsigned i = 0; i < loop.getNumRegionIterArgs(); ++i) {
      BlockArgument arg = loop.getRegionIterArgs()[i];
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || !type.getEncoding() || arg.use_empty())
        continue;
      std::optional<CarriedUses> uses = usesOfCarried(arg, yield, i);
      if (!uses)
        continue;
      Attribute used = uses->layout;
      RankedTensorType carried = withLayout(type, used);
      arg.setType(carried);
      for (ConvertLayoutOp cvt : uses->conversions) {
        OpBuilder builder(cvt);
        Rematerializer remat(builder);
        cvt.getResult().replaceAllUsesWith(remat.provide(cvt.getSrc(), used));
        erased.insert(cvt);
        cvt.erase();
      }
      Value yielded = yield.getOperand(i);
      // Taken before the chain goes: the yielded value may be in it.
      Operation *yieldedDef = yielded.getDefiningOp();
      {
        OpBuilder builder(yield);
        Rematerializer remat(builder);
        yield.setOperand(i, remat.provide(yielded, used));
      }
      for (Operation *op : llvm::reverse(uses->chain)) {
        erased.insert(op);
        op->erase();
      }
      if (yieldedDef)
        eraseIfDead(yieldedDef, erased);
      OpBuilder builder(loop);
      OpOperand &init = loop.getInitsMutable()[i];
      init.set(
          ConvertLayoutOp::create(builder, loop.getLoc(), carried, init.get()));
      Value result = loop.getResult(i);
      result.setType(carried);
      builder.setInsertionPointAfter(loop);
      auto after =
          ConvertLayoutOp::create(builder, loop.getLoc(), type, result);
      result.replaceAllUsesExcept(after.getResult(), after);
      changed = true;
    }
    return changed;
  }

  /// How a loop body uses a carried value: the cheap ops computed from it
  /// (in order), the conversions of it or of them, all to `layout`.
  struct CarriedUses {
    Attribute layout;
    SmallVector<Operation *> chain;
    SmallVector<ConvertLayoutOp> conversions;
  };

  /// The uses of iter_arg `index`, when they allow carrying it in the one
  /// layout they convert it to; nothing otherwise.
  std::optional<CarriedUses> usesOfCarried(BlockArgument arg,
                                           scf::YieldOp yield, unsigned index) {
    CarriedUses uses;
    llvm::SetVector<Value> values;
    values.insert(arg);
    llvm::SetVector<Operation *> chain;
    for (unsigned next = 0; next < values.size(); ++next) {
      for (OpOperand &use : values[next].getUses()) {
        Operation *user = use.getOwner();
        if (user == yield.getOperation()) {
          if (use.getOperandNumber() != index)
            return std::nullopt;
          continue;
        }
        if (auto cvt = dyn_cast<ConvertLayoutOp>(user)) {
          Attribute to = layoutOf(cvt.getResult());
          if (uses.layout && uses.layout != to)
            return std::nullopt;
          uses.layout = to;
          uses.conversions.push_back(cvt);
          continue;
        }
        if (!isCheap(user) || user->getParentRegion() != arg.getParentRegion())
          return std::nullopt;
        if (chain.insert(user))
          values.insert(user->getResult(0));
      }
    }
    if (!uses.layout || uses.layout == layoutOf(arg) ||
        chain.size() > kMaxClonedOps)
      return std::nullopt;
    // Every conversion and the yielded value must be recomputable in the
    // layout from the argument in it.
    OpBuilder unused(arg.getContext());
    Rematerializer remat(unused);
    remat.assumeAvailable(arg, uses.layout);
    if (!remat.canProvide(yield.getOperand(index), uses.layout) ||
        !llvm::all_of(uses.conversions, [&](ConvertLayoutOp cvt) {
          return remat.canProvide(cvt.getSrc(), uses.layout);
        }))
      return std::nullopt;
    uses.chain = chain.takeVector();
    llvm::sort(uses.chain, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    return uses;
  }

  /// The dimension along which a thread's registers hold consecutive
  /// elements (the one vector accesses run along), or -1.
  static int64_t fastestDim(RankedTensorType type) {
    auto layout = toLinearLayout(type);
    if (failed(layout) || layout->getBases(LinearLayout::Register).empty())
      return -1;
    const LinearLayout::Coord &first =
        layout->getBases(LinearLayout::Register).front();
    for (unsigned d = 0; d < first.size(); ++d)
      if (first[d] == 1)
        return d;
    return -1;
  }

  const AxisInfoAnalysis *axisInfo = nullptr;

  static void eraseIfDead(Operation *op, DenseSet<Operation *> &erased) {
    // `erased` first: an erased op's memory is gone.
    if (erased.contains(op) || !op->use_empty() ||
        !(isa<ConvertLayoutOp>(op) || isCheap(op)))
      return;
    erased.insert(op);
    op->erase();
  }
};
} // namespace
