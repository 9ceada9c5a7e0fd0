//===- LayoutOpsToLLVM.cpp - ops that place elements in threads -----------===//
//
// make_range, splat, broadcast, expand_dims and convert_layout, all written
// against linear layouts: a register holds the element at
// layout(register) XOR layout(lane) XOR layout(warp).
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
template <typename Op>
using LayoutPattern = TileGPUOpPattern<Op>;

struct MakeRangeOpLowering : LayoutPattern<tile::MakeRangeOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::MakeRangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    LinearLayout layout = layoutOf(op.getResult());
    VectorType type = vectorOf(op.getResult());
    SmallVector<int32_t> regValues;
    for (int64_t r = 0; r < type.getNumElements(); ++r)
      regValues.push_back(layout.applyPart(LinearLayout::Register, r)[0]);
    Value regs = rewriter.create<LLVM::ConstantOp>(
        loc, type, rewriter.getI32VectorAttr(regValues));
    Value thread = threadCoordinates(rewriter, loc, layout, state)[0];
    Value coords =
        rewriter.create<LLVM::XOrOp>(loc, regs, splat(rewriter, loc, thread, type));
    Value start = splat(rewriter, loc, i32Const(rewriter, loc, op.getStartAttr().getInt()), type);
    rewriter.replaceOpWithNewOp<LLVM::AddOp>(op, coords, start);
    return success();
  }
};

struct SplatOpLowering : LayoutPattern<tile::SplatOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::SplatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, splat(rewriter, op.getLoc(), adaptor.getSrc(),
                                 vectorOf(op.getResult())));
    return success();
  }
};

/// For each register of `to`, the register of `from` holding the element
/// that `mapCoord` sends the register's coordinates to. Fails when the lanes
/// and warps of the two layouts do not agree after the mapping.
template <typename MapCoord>
static FailureOr<SmallVector<int32_t>>
registerMapping(const LinearLayout &from, const LinearLayout &to,
                MapCoord mapCoord) {
  for (auto in : {LinearLayout::Lane, LinearLayout::Warp}) {
    if (from.getNumBits(in) != to.getNumBits(in))
      return failure();
    for (auto [a, b] : llvm::zip(from.getBases(in), to.getBases(in)))
      if (a != mapCoord(b))
        return failure();
  }
  DenseMap<int64_t, int32_t> regOf;
  for (int64_t r = from.getSize(LinearLayout::Register) - 1; r >= 0; --r)
    regOf[from.linearize(from.applyPart(LinearLayout::Register, r))] = r;
  SmallVector<int32_t> mask;
  for (int64_t r = 0; r < to.getSize(LinearLayout::Register); ++r) {
    auto it = regOf.find(
        from.linearize(mapCoord(to.applyPart(LinearLayout::Register, r))));
    if (it == regOf.end())
      return failure();
    mask.push_back(it->second);
  }
  return mask;
}

struct BroadcastOpLowering : LayoutPattern<tile::BroadcastOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LinearLayout from = layoutOf(op.getSrc()), to = layoutOf(op.getResult());
    ArrayRef<int64_t> srcShape = op.getSrc().getType().getShape();
    auto mask = registerMapping(from, to, [&](LinearLayout::Coord c) {
      for (unsigned d = 0; d < c.size(); ++d)
        if (srcShape[d] == 1)
          c[d] = 0;
      return c;
    });
    if (failed(mask))
      return op.emitOpError("source and result layouts do not match: ")
             << op.getSrc().getType() << " -> " << op.getType();
    rewriter.replaceOp(op, shuffle(rewriter, op.getLoc(), adaptor.getSrc(), *mask));
    return success();
  }
};

struct ExpandDimsOpLowering : LayoutPattern<tile::ExpandDimsOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::ExpandDimsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LinearLayout from = layoutOf(op.getSrc()), to = layoutOf(op.getResult());
    unsigned axis = op.getAxis();
    auto mask = registerMapping(from, to, [&](LinearLayout::Coord c) {
      c.erase(c.begin() + axis);
      return c;
    });
    if (failed(mask))
      return op.emitOpError("source layout is not the slice of the result "
                            "layout: ")
             << op.getSrc().getType() << " -> " << op.getType();
    rewriter.replaceOp(op, shuffle(rewriter, op.getLoc(), adaptor.getSrc(), *mask));
    return success();
  }
};

/// Moves elements into another layout, where result coordinate c holds the
/// source element at s with s[perm[i]] = c[i] (identity for convert_layout):
/// in registers when lanes and warps agree, else through shared memory.
template <typename Op>
struct RemapPattern : LayoutPattern<Op> {
  using TileGPUOpPattern<Op>::TileGPUOpPattern;
  using TileGPUOpPattern<Op>::state;

  LogicalResult remap(Op op, Value src, ArrayRef<int32_t> perm,
                      ConversionPatternRewriter &rewriter) const {
    LinearLayout from = this->layoutOf(op.getSrc()),
                 to = this->layoutOf(op.getResult());
    auto toSource = [&](LinearLayout::Coord c) {
      LinearLayout::Coord s(c.size());
      for (unsigned i = 0; i < c.size(); ++i)
        s[perm[i]] = c[i];
      return s;
    };
    auto mask = registerMapping(from, to, toSource);
    if (succeeded(mask)) {
      rewriter.replaceOp(op, shuffle(rewriter, op.getLoc(), src, *mask));
      return success();
    }
    if (state.sharedSymbol.empty())
      return op.emitOpError("moving elements between threads needs shared "
                            "memory");
    rewriter.replaceOp(op, throughSharedMemory(op, src, from, to, perm,
                                               rewriter));
    return success();
  }

  /// Every thread writes its elements at their row-major source index, then
  /// reads the ones its result layout gives it.
  Value throughSharedMemory(Op op, Value src, const LinearLayout &from,
                            const LinearLayout &to, ArrayRef<int32_t> perm,
                            ConversionPatternRewriter &b) const {
    Location loc = op.getLoc();
    auto vecType = this->vectorOf(op.getResult());
    Type elem = vecType.getElementType();
    Type memElem = elem.isInteger(1) ? b.getI8Type() : elem;
    auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
    Value base = b.create<LLVM::AddressOfOp>(loc, sharedPtr, state.sharedSymbol);
    // Row-major index in the source shape of the element a register holds;
    // `sourceDim[i]` is the source dimension of the layout's dimension i.
    auto addressOf = [&](const LinearLayout &layout, ArrayRef<Value> thread,
                         int64_t reg, ArrayRef<int32_t> sourceDim) {
      LinearLayout::Coord regCoord =
          layout.applyPart(LinearLayout::Register, reg);
      SmallVector<Value> coord(from.getRank());
      for (unsigned d = 0; d < layout.getRank(); ++d)
        coord[sourceDim[d]] = b.create<LLVM::XOrOp>(
            loc, thread[d], i32Const(b, loc, regCoord[d]));
      Value index = i32Const(b, loc, 0);
      for (unsigned d = 0; d < from.getRank(); ++d)
        index = b.create<LLVM::AddOp>(
            loc,
            b.create<LLVM::MulOp>(loc, index,
                                  i32Const(b, loc, from.getShape()[d])),
            coord[d]);
      return b.create<LLVM::GEPOp>(loc, sharedPtr, memElem, base,
                                   ValueRange{index});
    };
    SmallVector<int32_t> identity;
    for (unsigned d = 0; d < from.getRank(); ++d)
      identity.push_back(d);
    barrier(b, loc, state);
    SmallVector<Value> fromThread = threadCoordinates(b, loc, from, state);
    for (int64_t r = 0; r < from.getSize(LinearLayout::Register); ++r) {
      if (from.isDuplicateRegister(r))
        continue;
      Value v = extract(b, loc, src, r);
      if (memElem != elem)
        v = b.create<LLVM::ZExtOp>(loc, memElem, v);
      b.create<LLVM::StoreOp>(loc, v,
                              addressOf(from, fromThread, r, identity));
    }
    barrier(b, loc, state);
    SmallVector<Value> toThread = threadCoordinates(b, loc, to, state);
    SmallVector<Value> elems;
    for (int64_t r = 0; r < to.getSize(LinearLayout::Register); ++r) {
      Value v = b.create<LLVM::LoadOp>(loc, memElem,
                                       addressOf(to, toThread, r, perm));
      if (memElem != elem)
        v = b.create<LLVM::TruncOp>(loc, elem, v);
      elems.push_back(v);
    }
    return pack(b, loc, vecType, elems);
  }
};

struct ConvertLayoutOpLowering : RemapPattern<ConvertLayoutOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(ConvertLayoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<int32_t> identity;
    for (int64_t d = 0; d < op.getType().getRank(); ++d)
      identity.push_back(d);
    return remap(op, adaptor.getSrc(), identity, rewriter);
  }
};

struct BarrierOpLowering : LayoutPattern<tile::BarrierOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::BarrierOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    barrier(rewriter, op.getLoc(), state);
    rewriter.eraseOp(op);
    return success();
  }
};

struct TransOpLowering : RemapPattern<tile::TransOp> {
  using RemapPattern::RemapPattern;
  LogicalResult
  matchAndRewrite(tile::TransOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return remap(op, adaptor.getSrc(), op.getOrder(), rewriter);
  }
};
} // namespace

void tessel::populateLayoutOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                             const LoweringState &state,
                                             RewritePatternSet &patterns) {
  patterns.add<MakeRangeOpLowering, SplatOpLowering, BroadcastOpLowering,
               ExpandDimsOpLowering, ConvertLayoutOpLowering, TransOpLowering,
               BarrierOpLowering>(
      converter, state);
}
