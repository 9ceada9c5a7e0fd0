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
//            recomputed in v's layout
//   sink     f(convert(a), convert(b), c) = convert(f(a, b, c')) when a and b
//            share a layout and c can be recomputed in it; also
//            f(convert(a)) = convert(f(a)) for unary f that does not widen
//   loop     a loop-carried value that each iteration converts to L1 and
//            back (dot accumulators) is carried in L1: one conversion
//            before the loop and one after it
//
//===----------------------------------------------------------------------===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/AxisInfo.h"
#include "passes/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
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
                     isa<tile::AddPtrOp>(op);
  return elementwise && llvm::all_of(op->getOperandTypes(), [](Type t) {
           return isa<RankedTensorType>(t);
         });
}

/// Recomputes values in another layout by cloning their cheap producers.
class Rematerializer {
public:
  explicit Rematerializer(OpBuilder &builder) : builder(builder) {}

  /// Whether `v` can be had in `layout` without a conversion.
  bool canProvide(Value v, Attribute layout) {
    unsigned budget = kMaxClonedOps;
    return check(v, layout, budget);
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
    if (auto cvt = dyn_cast<ConvertLayoutOp>(def)) {
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
      result = arith::ConstantOp::create(builder, 
          cst.getLoc(), type,
          SplatElementsAttr::get(
              type, cast<SplatElementsAttr>(cst.getValue())
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

  bool check(Value v, Attribute layout, unsigned &budget) {
    if (layoutOf(v) == layout)
      return true;
    Operation *def = v.getDefiningOp();
    if (!def)
      return false;
    if (auto cvt = dyn_cast<ConvertLayoutOp>(def))
      return check(cvt.getSrc(), layout, budget);
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
  DenseMap<std::pair<Value, Attribute>, Value> cache;
};

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
        if (auto cvt = dyn_cast<ConvertLayoutOp>(op))
          changed |= simplifyConversion(cvt, erased);
        else if (auto store = dyn_cast<tile::StoreOp>(op))
          changed |= storeInValueLayout(store, erased);
        else if (auto loop = dyn_cast<scf::ForOp>(op))
          changed |= carryInUsedLayout(loop, erased);
        else if (isCheap(op))
          changed |= sinkConversions(op, erased);
      }
      if (!changed)
        break;
    }
    // Conversions the rules left without users (each would still cost a
    // shared-memory round trip once lowered).
    SmallVector<ConvertLayoutOp> dead;
    getOperation().walk([&](ConvertLayoutOp cvt) {
      if (cvt->use_empty())
        dead.push_back(cvt);
    });
    for (ConvertLayoutOp cvt : llvm::reverse(dead))
      if (cvt->use_empty())
        cvt.erase();
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

  /// store: write a converted value in its own layout.
  bool storeInValueLayout(tile::StoreOp store, DenseSet<Operation *> &erased) {
    auto cvt = store.getValue().getDefiningOp<ConvertLayoutOp>();
    if (!cvt)
      return false;
    Attribute layout = layoutOf(cvt.getSrc());
    // A 2-D tile keeps a layout that runs along its contiguous addresses
    // (what the coalesce pass chose): lanes writing other rows would not
    // coalesce. 1-D blocks (reduction results) are small and always gain.
    auto ptrType = cast<RankedTensorType>(store.getPtr().getType());
    if (ptrType.getRank() >= 2) {
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
        op->getDialect()->getNamespace() != "math" && !isa<tile::AddPtrOp>(op))
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
    bool narrowingUnary =
        count == 1 && op->getNumOperands() == 1 &&
        getElementTypeOrSelf(op->getResult(0).getType()).getIntOrFloatBitWidth() <=
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

  /// loop: carry iter_arg i in L1 when the body only converts it to L1 and
  /// yields a conversion from L1.
  bool carryInUsedLayout(scf::ForOp loop, DenseSet<Operation *> &erased) {
    bool changed = false;
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (unsigned i = 0; i < loop.getNumRegionIterArgs(); ++i) {
      BlockArgument arg = loop.getRegionIterArgs()[i];
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!type || !type.getEncoding())
        continue;
      auto back = yield.getOperand(i).getDefiningOp<ConvertLayoutOp>();
      if (!back || arg.use_empty())
        continue;
      Attribute used = layoutOf(back.getSrc());
      bool allConvertToUsed = llvm::all_of(arg.getUsers(), [&](Operation *u) {
        auto cvt = dyn_cast<ConvertLayoutOp>(u);
        return cvt && layoutOf(cvt.getResult()) == used;
      });
      if (!allConvertToUsed)
        continue;
      RankedTensorType carried = withLayout(type, used);
      OpBuilder builder(loop);
      OpOperand &init = loop.getInitsMutable()[i];
      init.set(ConvertLayoutOp::create(builder, loop.getLoc(), carried,
                                               init.get()));
      for (Operation *user : llvm::make_early_inc_range(arg.getUsers())) {
        user->getResult(0).replaceAllUsesWith(arg);
        erased.insert(user);
        user->erase();
      }
      arg.setType(carried);
      yield.setOperand(i, back.getSrc());
      eraseIfDead(back, erased);
      Value result = loop.getResult(i);
      result.setType(carried);
      builder.setInsertionPointAfter(loop);
      auto after = ConvertLayoutOp::create(builder, loop.getLoc(), type, result);
      result.replaceAllUsesExcept(after.getResult(), after);
      changed = true;
    }
    return changed;
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
