//===- MfmaDotToLLVM.cpp - tile.dot on AMD matrix cores (MFMA) -------------===//
//
// A dot whose accumulator has an #tilegpu.mfma layout and whose operands have
// its #tilegpu.dot_operand layouts is one MFMA per (M tile, N tile, K step)
// the wave owns. The layouts put each instruction's fragments in consecutive
// registers (see mfmaToLinear/mfmaOperandToLinear), so operands are sliced
// and packed directly:
//
//   A: kWidth elements at kWidth (k + kReps m)
//   B: kWidth elements at kWidth (k + kReps n)
//   C: nonKDim^2 / 64 elements at that many times (n + nReps m)
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
/// One MFMA intrinsic and the LLVM types of its operands.
struct MfmaInstr {
  StringRef name;    // the ROCDL op, e.g. "rocdl.mfma.f32.32x32x8f16"
  Type operandType;  // what A and B travel as (<4 x half>, <4 x i16>, i64, ...)
};

/// The instruction for `in` x `in` into `acc` with kWidth elements per
/// lane, at nonKDim 32 or 16 (the pairs mfmaKWidth accepts).
FailureOr<MfmaInstr> selectMfma(MLIRContext *ctx, Type in, Type acc,
                                unsigned nonKDim, unsigned kWidth) {
  bool big = nonKDim == 32;
  if (in.isF16() && acc.isF32() && kWidth == 4)
    return MfmaInstr{big ? "rocdl.mfma.f32.32x32x8f16"
                         : "rocdl.mfma.f32.16x16x16f16",
                     VectorType::get({4}, in)};
  // The bf16 "_1k" forms (gfx90a and later) take bf16 bits as i16.
  if (in.isBF16() && acc.isF32() && kWidth == 4)
    return MfmaInstr{big ? "rocdl.mfma.f32.32x32x8bf16.1k"
                         : "rocdl.mfma.f32.16x16x16bf16.1k",
                     VectorType::get({4}, IntegerType::get(ctx, 16))};
  if (in.isInteger(8) && acc.isInteger(32) && kWidth == 8) // gfx942
    return MfmaInstr{big ? "rocdl.mfma.i32.32x32x16.i8"
                         : "rocdl.mfma.i32.16x16x32.i8",
                     IntegerType::get(ctx, 64)};
  if (in.isInteger(8) && acc.isInteger(32) && kWidth == 4) // gfx90a
    return MfmaInstr{big ? "rocdl.mfma.i32.32x32x8i8"
                         : "rocdl.mfma.i32.16x16x16i8",
                     IntegerType::get(ctx, 32)};
  if (in.isF32() && acc.isF32() && kWidth == 1)
    return MfmaInstr{big ? "rocdl.mfma.f32.32x32x2f32"
                         : "rocdl.mfma.f32.16x16x4f32",
                     in};
  return failure();
}

struct MfmaDotOpLowering : TileGPUOpPattern<tile::DotOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  LogicalResult
  matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &b) const override {
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    auto mfma = dyn_cast<MfmaLayoutAttr>(accType.getEncoding());
    if (!mfma)
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    Type inElem = cast<RankedTensorType>(op.getA().getType()).getElementType();
    Type accElem = accType.getElementType();
    unsigned kWidth = 0;
    for (Value operand : {op.getA(), op.getB()}) {
      auto layout = dyn_cast<DotOperandLayoutAttr>(
          cast<RankedTensorType>(operand.getType()).getEncoding());
      if (!layout || layout.getParent() != mfma ||
          (kWidth && layout.getKWidth() != kWidth))
        return op.emitOpError("mfma operands need dot_operand layouts of the "
                              "accumulator's mfma layout, with one kWidth");
      kWidth = layout.getKWidth();
    }
    unsigned d = mfma.getNonKDim();
    auto instr = selectMfma(ctx, inElem, accElem, d, kWidth);
    if (failed(instr))
      return op.emitOpError("no MFMA for ")
             << inElem << " inputs into " << accElem << " with kWidth "
             << kWidth;

    auto aShape = cast<RankedTensorType>(op.getA().getType()).getShape();
    int64_t m = accType.getShape()[0], n = accType.getShape()[1],
            k = aShape[1];
    unsigned wm = mfma.getWarpsPerCTA()[0], wn = mfma.getWarpsPerCTA()[1];
    int64_t instrK = int64_t(kWidth) * (64 / d);
    if (k % instrK)
      return op.emitOpError("K = ") << k << " is not a multiple of " << instrK;
    int64_t mReps = std::max<int64_t>(1, m / (d * wm)),
            nReps = std::max<int64_t>(1, n / (d * wn)), kReps = k / instrK;
    int64_t accPerLane = int64_t(d) * d / 64;
    auto accVector = VectorType::get({accPerLane}, accElem);

    Value a = adaptor.getA(), bv = adaptor.getB(), acc = adaptor.getAcc();
    // kWidth elements starting at `start`, as the instruction's operand.
    auto packOperand = [&](Value vec, int64_t start) -> Value {
      if (kWidth == 1) // one float32 per lane
        return extract(b, loc, vec, start);
      SmallVector<Value> elems;
      for (int64_t i = 0; i < kWidth; ++i)
        elems.push_back(extract(b, loc, vec, start + i));
      Value packed = pack(b, loc, VectorType::get({int64_t(kWidth)}, inElem),
                          elems);
      if (packed.getType() == instr->operandType)
        return packed;
      return LLVM::BitcastOp::create(b, loc, instr->operandType, packed);
    };
    // cbsz, abid, blgp: no broadcast between blocks or lanes.
    Value zero = LLVM::ConstantOp::create(b, loc, b.getI32Type(),
                                          b.getI32IntegerAttr(0));

    for (int64_t mi = 0; mi < mReps; ++mi)
      for (int64_t ni = 0; ni < nReps; ++ni) {
        int64_t cBase = accPerLane * (ni + nReps * mi);
        SmallVector<Value> cElems;
        for (int64_t i = 0; i < accPerLane; ++i)
          cElems.push_back(extract(b, loc, acc, cBase + i));
        Value c = pack(b, loc, accVector, cElems);
        for (int64_t ki = 0; ki < kReps; ++ki) {
          Value aOp = packOperand(a, kWidth * (ki + kReps * mi));
          Value bOp = packOperand(bv, kWidth * (ki + kReps * ni));
          OperationState state(loc, instr->name);
          state.addOperands({aOp, bOp, c, zero, zero, zero});
          state.addTypes(accVector);
          c = b.create(state)->getResult(0);
        }
        for (int64_t i = 0; i < accPerLane; ++i)
          acc = insert(b, loc, acc, extract(b, loc, c, i), cBase + i);
      }
    b.replaceOp(op, acc);
    return success();
  }
};
} // namespace

void tessel::populateMfmaDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                             const LoweringState &state,
                                             RewritePatternSet &patterns) {
  patterns.add<MfmaDotOpLowering>(converter, state);
}
