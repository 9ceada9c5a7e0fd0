//===- Coalesce.cpp - layouts for memory accesses from their addresses ----===//
#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "passes/AxisInfo.h"
#include "passes/Passes.h"

namespace tessel {
#define GEN_PASS_DEF_COALESCE
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

namespace {
struct CoalescePass : tessel::impl::CoalesceBase<CoalescePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto target = getModuleTarget(module);
    // A CPU program is one thread: every element is in its registers.
    if (failed(target) || !target->isGPU())
      return;
    unsigned warps = 4, lanes = target->threadsPerWarp();
    if (auto w = module->getAttrOfType<IntegerAttr>(kNumWarpsAttr))
      warps = w.getInt();
    AxisInfoAnalysis axisInfo(module);
    SmallVector<Operation *> accesses;
    module.walk([&](Operation *op) {
      if (isa<tile::LoadOp, tile::StoreOp>(op) &&
          isa<RankedTensorType>(op->getOperand(0).getType()))
        accesses.push_back(op);
    });
    for (Operation *op : accesses) {
      Value ptr = op->getOperand(0);
      auto type = cast<RankedTensorType>(ptr.getType());
      auto blocked = dyn_cast<BlockedLayoutAttr>(type.getEncoding());
      if (!blocked || type.getRank() < 2)
        continue;
      Operation *dot = feedsTensorCoreDot(op);
      Attribute layout =
          dot ? fittedLayout(axisInfo.get(ptr), type, blocked, warps, lanes)
              : coalescedLayout(axisInfo.get(ptr), type, blocked, warps, lanes);
      if (!layout)
        continue;
      OpBuilder b(op);
      auto convert = [&](Value v) -> Value {
        if (!v)
          return v;
        auto t = cast<RankedTensorType>(v.getType());
        return ConvertLayoutOp::create(
            b, op->getLoc(),
            RankedTensorType::get(t.getShape(), t.getElementType(), layout), v);
      };
      if (auto load = dyn_cast<tile::LoadOp>(op)) {
        Value newPtr = convert(load.getPtr());
        Value newMask = convert(load.getMask());
        Value newOther = convert(load.getOther());
        auto moved = cast<tile::LoadOp>(b.clone(*load));
        moved.getPtrMutable().assign(newPtr);
        if (newMask)
          moved.getMaskMutable().assign(newMask);
        if (newOther)
          moved.getOtherMutable().assign(newOther);
        auto resultType = cast<RankedTensorType>(load.getType());
        moved.getResult().setType(RankedTensorType::get(
            resultType.getShape(), resultType.getElementType(), layout));
        load.getResult().replaceAllUsesWith(
            dot ? moved.getResult()
                : ConvertLayoutOp::create(b, op->getLoc(), resultType,
                                          moved.getResult())
                      .getResult());
        load.erase();
      } else {
        auto store = cast<tile::StoreOp>(op);
        store.getPtrMutable().assign(convert(store.getPtr()));
        store.getValueMutable().assign(convert(store.getValue()));
        if (store.getMask())
          store.getMaskMutable().assign(convert(store.getMask()));
      }
    }
  }

  /// A tensor-core dot (NVIDIA: wgmma, mma.sync) a load's tile goes to
  /// (directly or through tl.trans) when every use goes to one, or null.
  /// Such an operand is written to shared memory from any layout (wgmma
  /// reads it there, mma.sync's operand conversion or cp.async ring goes
  /// through it), so its load can take the one that suits its own addresses
  /// best (attention's backward reads Q and dO in two dots each): 16-byte
  /// vectors of its own type, where a kernel-wide layout fitted to a float32
  /// store would give float16 tiles 8-byte vectors, too narrow for cp.async.
  static Operation *feedsTensorCoreDot(Operation *access) {
    auto load = dyn_cast<tile::LoadOp>(access);
    if (!load || load.getResult().use_empty())
      return nullptr;
    Operation *found = nullptr;
    for (Operation *user : load.getResult().getUsers()) {
      Operation *dot = tensorCoreDotOf(user);
      if (!dot)
        return nullptr;
      found = dot;
    }
    return found;
  }

  /// `user` when it is a tensor-core dot, or the one a tl.trans feeds;
  /// else null.
  static Operation *tensorCoreDotOf(Operation *user) {
    if (isa<tile::TransOp>(user) && user->getResult(0).hasOneUse())
      user = *user->getResult(0).getUsers().begin();
    // mma.sync operands reach the dot through a conversion to their
    // operand layout.
    if (isa<ConvertLayoutOp>(user) && user->getResult(0).hasOneUse())
      user = *user->getResult(0).getUsers().begin();
    auto dot = dyn_cast<tile::DotOp>(user);
    if (!dot)
      return nullptr;
    auto accType = cast<RankedTensorType>(dot.getAcc().getType());
    auto mma = dyn_cast_or_null<MmaLayoutAttr>(accType.getEncoding());
    if (auto cvt = dot.getAcc().getDefiningOp<ConvertLayoutOp>(); !mma && cvt)
      mma = dyn_cast<MmaLayoutAttr>(
          cast<RankedTensorType>(cvt.getResult().getType()).getEncoding());
    return mma ? dot.getOperation() : nullptr;
  }

  /// The fastest dimension of the addresses and the vector width along it
  /// (16 bytes at most, bounded by contiguity and alignment).
  static std::pair<unsigned, int64_t> fastestAccess(const AxisInfo &info,
                                                    RankedTensorType type,
                                                    ArrayRef<unsigned> order) {
    unsigned best = order[0];
    for (unsigned d = 0; d < type.getRank(); ++d)
      if (info.contiguity[d] > info.contiguity[best])
        best = d;
    Type pointee =
        cast<tile::PointerType>(type.getElementType()).getPointeeType();
    int64_t bytes = std::max<int64_t>(1, tile::getElementBitWidth(pointee) / 8);
    int64_t vec = std::min<int64_t>(info.contiguity[best], 16 / bytes);
    vec = std::min<int64_t>(
        vec, std::max<int64_t>(1, info.divisibility[best] / bytes));
    return {best, std::max<int64_t>(1, vec)};
  }

  static SmallVector<unsigned> withFastest(ArrayRef<unsigned> order,
                                           unsigned fastest) {
    SmallVector<unsigned> newOrder = {fastest};
    for (unsigned d : order)
      if (d != fastest)
        newOrder.push_back(d);
    return newOrder;
  }

  /// A layout whose fastest dimension is the one the addresses are most
  /// contiguous along, or null when the current one is as good.
  static Attribute coalescedLayout(const AxisInfo &info, RankedTensorType type,
                                   BlockedLayoutAttr current, unsigned warps,
                                   unsigned lanes) {
    if (fastestAccess(info, type, current.getOrder()).first ==
        current.getOrder()[0])
      return {};
    return fittedLayout(info, type, current, warps, lanes);
  }

  /// The layout fitted to this access alone: lanes and warps spread over its
  /// own shape (the kernel-wide layout is fitted to the largest tile, and
  /// would replicate a smaller one across lanes), vectors as wide as its own
  /// element type allows (the kernel-wide width follows the widest element
  /// any access touches). Null when that is the current layout.
  static Attribute fittedLayout(const AxisInfo &info, RankedTensorType type,
                                BlockedLayoutAttr current, unsigned warps,
                                unsigned lanes) {
    ArrayRef<unsigned> order = current.getOrder();
    auto [best, vec] = fastestAccess(info, type, order);
    BlockedLayoutAttr layout =
        getDefaultBlockedLayout(type.getContext(), type.getShape(), warps,
                                lanes, vec, withFastest(order, best));
    return layout == current ? Attribute() : layout;
  }
};
} // namespace
