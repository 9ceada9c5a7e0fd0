//===- ElementwiseToLLVM.cpp - arith/math on tensors to vectors -----------===//
//
// Elementwise ops act on each element independently, so on per-thread vectors
// they stay the same op; the standard arith/math lowerings take it from there.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

static bool hasTensorTypes(Operation *op) {
  auto isTensor = [](Type t) { return isa<RankedTensorType>(t); };
  return llvm::any_of(op->getOperandTypes(), isTensor) ||
         llvm::any_of(op->getResultTypes(), isTensor);
}

/// For each register of `type`'s layout, the first register whose element
/// is equal to it by the axis analysis (`constancy`: aligned blocks of
/// equal values), or nothing when every register holds its own value. A
/// thread's element is the XOR of its thread part and the register's
/// coordinates, so two registers fall in the same block for every thread
/// exactly when their coordinates do.
static std::optional<SmallVector<int32_t>>
equalRegisters(RankedTensorType type, const AxisInfo &info) {
  if (llvm::all_of(info.constancy, [](int64_t c) { return c == 1; }))
    return std::nullopt;
  FailureOr<LinearLayout> layout = toLinearLayout(type);
  if (failed(layout) || info.rank() != type.getRank())
    return std::nullopt;
  SmallVector<int32_t> first;
  DenseMap<SmallVector<int64_t>, int32_t> blocks;
  bool shared = false;
  for (int64_t r = 0; r < layout->getSize(LinearLayout::Register); ++r) {
    LinearLayout::Coord coord = layout->applyPart(LinearLayout::Register, r);
    SmallVector<int64_t> block;
    for (unsigned d = 0; d < type.getRank(); ++d)
      block.push_back(coord[d] / info.constancy[d]);
    auto [it, inserted] = blocks.try_emplace(block, int32_t(r));
    first.push_back(it->second);
    shared |= !inserted;
  }
  if (!shared)
    return std::nullopt;
  return first;
}

namespace {
/// The op on the per-thread vectors. On GPUs, registers the axis analysis
/// proves equal (a mask `cols < n` with n a multiple of 16 is constant over
/// 16 columns) read one lane, so LLVM computes each distinct value once, as
/// Triton's lowering does.
struct RetypeElementwiseOp : ConversionPattern {
  RetypeElementwiseOp(TypeConverter &converter, MLIRContext *ctx,
                      const LoweringState &state)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        state(state) {}
  const LoweringState &state;

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
    SmallVector<Value> results(newOp->getResults());
    // GPUs compute each element with a scalar instruction; the CPU's SIMD
    // ops cost the same whatever the lanes hold.
    if (results.size() == 1 && this->state.axisInfo &&
        this->state.target.isGPU())
      if (auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType()))
        if (auto first = equalRegisters(
                type, this->state.axisInfo->get(op->getResult(0))))
          results[0] = llvmutil::shuffle(rewriter, op->getLoc(), results[0],
                                         *first);
    rewriter.replaceOp(op, results);
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

/// tile.float8_encode on NVIDIA sm_89 and later: one cvt.rn.satfinite per
/// pair of a thread's elements (the first element goes to the low byte).
struct Float8EncodeOpLowering : TileGPUOpPattern<tile::Float8EncodeOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult
  matchAndRewrite(tile::Float8EncodeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &b) const override {
    if (!state.target.hasFloat8Conversions())
      return op.emitOpError("needs tessel-expand-float8-encode on ")
             << (state.target.arch.empty() ? "this target" : state.target.arch);
    Location loc = op.getLoc();
    std::string text =
        std::string("cvt.rn.satfinite.") +
        (op.getFormat() == tile::Float8Format::E4M3 ? "e4m3x2" : "e5m2x2") +
        ".f32 $0, $2, $1;";
    Type i8 = b.getI8Type(), i16 = b.getI16Type();
    auto convertPair = [&](Value low, Value high) {
      Value bits =
          LLVM::InlineAsmOp::create(
              b, loc, i16, ValueRange{low, high}, text, "=h,f,f",
              /*has_side_effects=*/false, /*is_align_stack=*/false,
              LLVM::tailcallkind::TailCallKind::None,
              LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
              /*operand_attrs=*/ArrayAttr())
              .getResult(0);
      return LLVM::BitcastOp::create(b, loc, VectorType::get({2}, i8), bits);
    };
    Value src = adaptor.getSrc();
    auto vec = dyn_cast<VectorType>(src.getType());
    if (!vec) {
      Value zero = LLVM::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
      b.replaceOp(op, llvmutil::extract(b, loc, convertPair(src, zero), 0));
      return success();
    }
    int64_t count = vec.getNumElements();
    SmallVector<Value> codes;
    for (int64_t i = 0; i < count; i += 2) {
      Value low = llvmutil::extract(b, loc, src, i);
      Value high = i + 1 < count
                       ? llvmutil::extract(b, loc, src, i + 1)
                       : LLVM::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f))
                             .getResult();
      Value pair = convertPair(low, high);
      for (int64_t j = 0; j < 2 && i + j < count; ++j)
        codes.push_back(llvmutil::extract(b, loc, pair, j));
    }
    b.replaceOp(op, llvmutil::pack(b, loc, VectorType::get({count}, i8), codes));
    return success();
  }
};
} // namespace

void tessel::populateElementwiseToLLVMPatterns(
    TileGPUTypeConverter &converter, const LoweringState &state,
    RewritePatternSet &patterns) {
  patterns.add<RetypeElementwiseOp>(converter, patterns.getContext(), state);
  patterns.add<Float8EncodeOpLowering>(converter, state);
  // Hints only inform the axis analysis, which has run by now.
  patterns.add<TensorConstantOp, ForwardOperandLowering<tile::HintOp>,
               AssumeOpLowering>(
      converter, patterns.getContext());
}
