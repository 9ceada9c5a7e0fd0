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
      Attribute layout = coalescedLayout(axisInfo.get(ptr), type, blocked,
                                         warps, lanes);
      if (!layout)
        continue;
      OpBuilder b(op);
      auto convert = [&](Value v) -> Value {
        if (!v)
          return v;
        auto t = cast<RankedTensorType>(v.getType());
        return ConvertLayoutOp::create(b, 
            op->getLoc(),
            RankedTensorType::get(t.getShape(), t.getElementType(), layout),
            v);
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
        auto back = ConvertLayoutOp::create(b, op->getLoc(), resultType,
                                              moved.getResult());
        load.getResult().replaceAllUsesWith(back.getResult());
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

  /// A layout whose fastest dimension is the one the addresses are most
  /// contiguous along, or null when the current one is as good.
  static Attribute coalescedLayout(const AxisInfo &info, RankedTensorType type,
                                   BlockedLayoutAttr current, unsigned warps,
                                   unsigned lanes) {
    ArrayRef<unsigned> order = current.getOrder();
    unsigned fastest = order[0];
    unsigned best = fastest;
    for (unsigned d = 0; d < type.getRank(); ++d)
      if (info.contiguity[d] > info.contiguity[best])
        best = d;
    if (best == fastest)
      return {};
    Type pointee =
        cast<tile::PointerType>(type.getElementType()).getPointeeType();
    int64_t bytes = std::max<int64_t>(1, tile::getElementBitWidth(pointee) / 8);
    int64_t vec = std::min<int64_t>(info.contiguity[best], 16 / bytes);
    vec = std::min<int64_t>(vec, std::max<int64_t>(1, info.divisibility[best] / bytes));
    SmallVector<unsigned> newOrder = {best};
    for (unsigned d : order)
      if (d != best)
        newOrder.push_back(d);
    BlockedLayoutAttr layout = getDefaultBlockedLayout(
        type.getContext(), type.getShape(), warps, lanes,
        std::max<int64_t>(1, vec), newOrder);
    return layout == current ? Attribute() : layout;
  }
};
} // namespace
