//===- MmaDotToLLVM.cpp - tile.dot on NVIDIA tensor cores (mma.sync) ----===//
//
// A dot whose accumulator has an #tilegpu.mma layout and whose operands have
// the matching #tilegpu.dot_operand layouts is one mma.sync per (M tile,
// N tile, K step) the warp owns. The layouts put each instruction's
// fragments in consecutive registers (see mmaToLinear/dotOperandToLinear),
// so the operands are sliced and packed into 32-bit registers directly:
//
//   A: 4 registers of kWidth elements at e + 4 kWidth (k + kReps m)
//   B: 2 registers of kWidth elements at e + 2 kWidth (k + kReps n)
//   C: 4 elements (f16: 2 registers of 2) at e + 4 (n + nReps m)
//
// Operands pipelined through a cp.async ring come from their stage with
// tilegpu.stage_load: ldmatrix from the swizzled tile (SharedTiles.h).
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"
#include "SharedTiles.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
/// One mma.sync shape and type combination.
struct MmaInstr {
  std::string shape; // "m16n8k16": K = 8 kWidth
  std::string types; // ".f32.f16.f16.f32" (d, a, b, c)
  unsigned kWidth;   // input elements per 32-bit register
  bool packedAcc;    // f16 accumulators travel as f16x2 registers
};

/// The instruction for the pairs mmaSyncKWidth accepts.
FailureOr<MmaInstr> selectMma(Type in, Type acc) {
  std::optional<unsigned> kWidth = mmaSyncKWidth(in, acc);
  if (!kWidth)
    return failure();
  auto ptxType = [](Type t) -> std::string {
    if (t.isF32())
      return "f32";
    if (t.isF16())
      return "f16";
    if (t.isBF16())
      return "bf16";
    return t.isInteger(8) ? "s8" : "s32";
  };
  std::string a = in.isF32() ? "tf32" : ptxType(in), d = ptxType(acc);
  return MmaInstr{"m16n8k" + std::to_string(8 * *kWidth),
                  "." + d + "." + a + "." + a + "." + d, *kWidth, acc.isF16()};
}
} // namespace

namespace {
struct MmaDotOpLowering : TileGPUOpPattern<tile::DotOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  LogicalResult matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    auto mma = dyn_cast<MmaLayoutAttr>(accType.getEncoding());
    if (!mma || mma.getVersion() != 2)
      return failure();
    Location loc = op.getLoc();
    Type inElem = cast<RankedTensorType>(op.getA().getType()).getElementType();
    Type accElem = accType.getElementType();
    auto instr = selectMma(inElem, accElem);
    if (failed(instr))
      return op.emitOpError("no mma.sync for ")
             << inElem << " inputs into " << accElem;
    for (Value operand : {op.getA(), op.getB()}) {
      auto layout = dyn_cast<DotOperandLayoutAttr>(
          cast<RankedTensorType>(operand.getType()).getEncoding());
      if (!layout || layout.getParent() != mma ||
          layout.getKWidth() != instr->kWidth)
        return op.emitOpError("mma operands need dot_operand layouts of the "
                              "accumulator's mma layout with kWidth ")
               << instr->kWidth;
    }
    auto aShape = cast<RankedTensorType>(op.getA().getType()).getShape();
    int64_t m = accType.getShape()[0], n = accType.getShape()[1], k = aShape[1];
    unsigned wm = mma.getWarpsPerCTA()[0], wn = mma.getWarpsPerCTA()[1];
    int64_t kWidth = instr->kWidth, instrK = 8 * kWidth;
    int64_t mReps = std::max<int64_t>(1, m / (16 * wm)),
            nReps = std::max<int64_t>(1, n / (8 * wn)),
            kReps = std::max<int64_t>(1, k / instrK);
    if (k % instrK)
      return op.emitOpError("K = ") << k << " is not a multiple of " << instrK;

    Value a = adaptor.getA(), bv = adaptor.getB();
    Value acc = adaptor.getAcc();
    Type i32 = b.getI32Type();
    // kWidth elements starting at `start`, as one 32-bit register.
    auto packRegister = [&](Value vec, int64_t start) -> Value {
      if (kWidth == 1)
        return LLVM::BitcastOp::create(b, loc, i32,
                                       extract(b, loc, vec, start));
      SmallVector<Value> elems;
      for (int64_t i = 0; i < kWidth; ++i)
        elems.push_back(extract(b, loc, vec, start + i));
      Value packed = pack(b, loc, VectorType::get({kWidth}, inElem), elems);
      return LLVM::BitcastOp::create(b, loc, i32, packed);
    };

    // Assembly text and constraints, outputs tied to the C inputs.
    unsigned numC = instr->packedAcc ? 2 : 4;
    std::string text =
        "mma.sync.aligned." + instr->shape + ".row.col" + instr->types + " {";
    std::string constraints;
    unsigned operand = 0;
    auto list = [&](unsigned count, const char *constraint, bool output) {
      std::string out;
      for (unsigned i = 0; i < count; ++i, ++operand) {
        out += (i ? ", $" : "$") + std::to_string(operand);
        constraints += (constraints.empty() ? "" : ",") +
                       std::string(output ? "=" : "") + constraint;
      }
      return out;
    };
    const char *cReg = accElem.isF32() ? "f" : "r";
    text += list(numC, cReg, true) + "}, {" + list(4, "r", false) + "}, {" +
            list(2, "r", false) + "}, {";
    for (unsigned i = 0; i < numC; ++i) {
      text += (i ? ", $" : "$") + std::to_string(operand + i);
      constraints += "," + std::to_string(i);
    }
    text += "};";
    Type cRegType = instr->packedAcc ? i32 : accElem;
    auto resultType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(numC, cRegType));

    for (int64_t mi = 0; mi < mReps; ++mi)
      for (int64_t ni = 0; ni < nReps; ++ni) {
        int64_t cBase = 4 * (ni + nReps * mi);
        SmallVector<Value> cRegs;
        for (unsigned i = 0; i < numC; ++i) {
          if (!instr->packedAcc) {
            cRegs.push_back(extract(b, loc, acc, cBase + i));
            continue;
          }
          Value pair = pack(b, loc, VectorType::get({2}, accElem),
                            {extract(b, loc, acc, cBase + 2 * i),
                             extract(b, loc, acc, cBase + 2 * i + 1)});
          cRegs.push_back(LLVM::BitcastOp::create(b, loc, i32, pair));
        }
        for (int64_t ki = 0; ki < kReps; ++ki) {
          SmallVector<Value> operands;
          int64_t aBase = 4 * kWidth * (ki + kReps * mi);
          for (int64_t r = 0; r < 4; ++r)
            operands.push_back(packRegister(a, aBase + r * kWidth));
          int64_t bBase = 2 * kWidth * (ki + kReps * ni);
          for (int64_t r = 0; r < 2; ++r)
            operands.push_back(packRegister(bv, bBase + r * kWidth));
          operands.append(cRegs);
          auto asmOp = LLVM::InlineAsmOp::create(
              b, loc, resultType, operands, text, constraints,
              /*has_side_effects=*/false, /*is_align_stack=*/false,
              LLVM::tailcallkind::TailCallKind::None,
              LLVM::AsmDialectAttr::get(b.getContext(),
                                        LLVM::AsmDialect::AD_ATT),
              /*operand_attrs=*/ArrayAttr());
          for (unsigned i = 0; i < numC; ++i)
            cRegs[i] =
                LLVM::ExtractValueOp::create(b, loc, asmOp.getResult(0), i);
        }
        for (unsigned i = 0; i < numC; ++i) {
          if (!instr->packedAcc) {
            acc = insert(b, loc, acc, cRegs[i], cBase + i);
            continue;
          }
          Value pair = LLVM::BitcastOp::create(
              b, loc, VectorType::get({2}, accElem), cRegs[i]);
          acc = insert(b, loc, acc, extract(b, loc, pair, 0), cBase + 2 * i);
          acc =
              insert(b, loc, acc, extract(b, loc, pair, 1), cBase + 2 * i + 1);
        }
      }
    b.replaceOp(op, acc);
    return success();
  }
};

/// `layout` with its two dimensions swapped.
LinearLayout transposeLayout(const LinearLayout &layout) {
  LinearLayout t({layout.getShape()[1], layout.getShape()[0]});
  for (auto dim :
       {LinearLayout::Register, LinearLayout::Lane, LinearLayout::Warp})
    for (const LinearLayout::Coord &basis : layout.getBases(dim))
      t.addBasis(dim, {basis[1], basis[0]});
  return t;
}

/// tilegpu.stage_load: a tile of a ring stage (the swizzled layout
/// async_copy writes) into registers. mma.sync fragments (16-bit) take one
/// ldmatrix.x4 per group of 8 registers; other layouts one load per run of
/// consecutive elements (up to 16 bytes) along the second dimension.
struct StageLoadOpLowering : TileGPUOpPattern<StageLoadOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  LogicalResult matchAndRewrite(StageLoadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    LinearLayout to = layoutOf(op.getResult());
    // A transposing read: the layout in the stored tile's coordinates (the
    // registers stay the same elements).
    if (op.getTransposed()) {
      type = RankedTensorType::get({type.getShape()[1], type.getShape()[0]},
                                   type.getElementType(), type.getEncoding());
      to = transposeLayout(to);
    }
    SwizzledTile tile(type);
    Type elem = type.getElementType();
    int64_t elementBytes = elementBytesOf(type);
    Value base = stageBase(b, loc, state, adaptor.getStage(),
                           op.getStageBytes(), op.getOffset());
    auto at = [&](Value offset, int64_t immediate) {
      Value ptr = LLVM::GEPOp::create(b, loc, base.getType(), b.getI8Type(),
                                      base, ValueRange{offset});
      if (!immediate)
        return ptr;
      return LLVM::GEPOp::create(b, loc, base.getType(), b.getI8Type(), ptr,
                                 ValueRange{i32Const(b, loc, immediate)})
          .getResult();
    };
    int64_t registers = to.getSize(LinearLayout::Register);
    SmallVector<Value> elems(registers);
    std::optional<LinearLayout> rows =
        ldmatrixRows(state.target, to, elementBytes);
    bool duplicates = false;
    if (rows)
      for (int64_t g = 0; g < rows->getSize(LinearLayout::Register); ++g)
        duplicates |= rows->isDuplicateRegister(g);
    if (rows && !duplicates) {
      // Lane L gives the address of row L % 8 of matrix L / 8 of its group.
      bool transpose = to.getBases(LinearLayout::Register)[0][0] == 1;
      forEachSwizzledRun(b, loc, *rows, state, tile, /*run=*/1,
                         [&](int64_t g, Value offset, int64_t immediate) {
                           SmallVector<Value> words = loadMatrices(
                               b, loc, at(offset, immediate), transpose);
                           for (int64_t i = 0; i < 4; ++i) {
                             Value pair = LLVM::BitcastOp::create(
                                 b, loc, VectorType::get({2}, elem), words[i]);
                             for (int64_t h = 0; h < 2; ++h)
                               elems[8 * g + 2 * i + h] =
                                   extract(b, loc, pair, h);
                           }
                         });
    } else {
      // Each register's element is the thread's coordinates XOR the
      // register's (a linear layout), read in runs within 16-byte chunks.
      int64_t run =
          std::min<int64_t>(tile.chunkElements(), to.getContiguousRegisters(1));
      SmallVector<Value> thread = threadCoordinates(b, loc, to, state);
      Type runType = run == 1 ? elem : VectorType::get({run}, elem);
      for (int64_t r = 0; r < registers; r += run) {
        LinearLayout::Coord coord = to.applyPart(LinearLayout::Register, r);
        Value row =
            LLVM::XOrOp::create(b, loc, thread[0], i32Const(b, loc, coord[0]));
        Value col =
            LLVM::XOrOp::create(b, loc, thread[1], i32Const(b, loc, coord[1]));
        Value v = LLVM::LoadOp::create(b, loc, runType,
                                       at(tile.offset(b, loc, row, col), 0),
                                       /*alignment=*/run * elementBytes);
        for (int64_t i = 0; i < run; ++i)
          elems[r + i] = run == 1 ? v : extract(b, loc, v, i);
      }
    }
    b.replaceOp(op, pack(b, loc, vectorOf(op.getResult()), elems));
    return success();
  }
};
} // namespace

void tessel::populateMmaDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                            const LoweringState &state,
                                            RewritePatternSet &patterns) {
  patterns.add<MmaDotOpLowering, StageLoadOpLowering>(converter, state);
}
