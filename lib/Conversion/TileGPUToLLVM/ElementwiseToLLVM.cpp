//===- ElementwiseToLLVM.cpp - arith/math on tensors to vectors -----------===//
//
// Elementwise ops act on each element independently, so on per-thread vectors
// they stay the same op; the standard arith/math lowerings take it from there.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

static bool hasTensorTypes(Operation *op) {
  auto isTensor = [](Type t) { return isa<RankedTensorType>(t); };
  return llvm::any_of(op->getOperandTypes(), isTensor) ||
         llvm::any_of(op->getResultTypes(), isTensor);
}

namespace {
struct RetypeElementwiseOp : ConversionPattern {
  RetypeElementwiseOp(TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
        isa<arith::ConstantOp>(op) || op->getNumRegions() != 0 ||
        !hasTensorTypes(op))
      return failure();
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return rewriter.notifyMatchFailure(op, "unsupported tensor type");
    OperationState state(op->getLoc(), op->getName(), operands, resultTypes,
                         op->getAttrs());
    Operation *newOp = rewriter.create(state);
    rewriter.replaceOp(op, newOp->getResults());
    return success();
  }
};

struct TensorConstantOp : OpConversionPattern<arith::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto tensorType = dyn_cast<RankedTensorType>(op.getType());
    if (!tensorType)
      return failure();
    auto vecType = dyn_cast_or_null<VectorType>(
        getTypeConverter()->convertType(tensorType));
    auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!vecType || !dense)
      return rewriter.notifyMatchFailure(op, "unsupported constant");
    if (!isa<IntegerType, FloatType>(vecType.getElementType()))
      return rewriter.notifyMatchFailure(op, "non-numeric constant");
    DenseElementsAttr value;
    if (dense.isSplat()) {
      value = DenseElementsAttr::get(vecType, dense.getSplatValue<Attribute>());
    } else {
      // Gather the element each register holds; only layouts without lanes
      // and warps (the CPU) give every thread the same registers.
      auto layout = toLinearLayout(tensorType);
      if (layout->getSize(LinearLayout::Lane) > 1 ||
          layout->getSize(LinearLayout::Warp) > 1)
        return op.emitOpError(
            "non-splat tensor constants are not supported on GPU targets yet");
      auto values = llvm::to_vector(dense.getValues<Attribute>());
      SmallVector<Attribute> regs;
      for (int64_t r = 0; r < vecType.getNumElements(); ++r)
        regs.push_back(values[layout->linearize(
            layout->applyPart(LinearLayout::Register, r))]);
      value = DenseElementsAttr::get(vecType, regs);
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, vecType, value);
    return success();
  }
};
struct AssumeOpLowering : OpConversionPattern<tile::AssumeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::AssumeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value cond = adaptor.getCond();
    if (auto vec = dyn_cast<VectorType>(cond.getType())) {
      for (int64_t i = 0; i < vec.getNumElements(); ++i)
        LLVM::AssumeOp::create(rewriter, 
            loc, llvmutil::extract(rewriter, loc, cond, i));
    } else {
      LLVM::AssumeOp::create(rewriter, loc, cond);
    }
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void tessel::populateElementwiseToLLVMPatterns(
    TileGPUTypeConverter &converter, const LoweringState &state,
    RewritePatternSet &patterns) {
  patterns.add<RetypeElementwiseOp>(converter, patterns.getContext());
  // Hints only inform the axis analysis, which has run by now.
  patterns.add<TensorConstantOp, ForwardOperandLowering<tile::HintOp>,
               AssumeOpLowering>(
      converter, patterns.getContext());
}
