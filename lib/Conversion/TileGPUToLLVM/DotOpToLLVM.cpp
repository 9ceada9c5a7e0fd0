//===- DotOpToLLVM.cpp - tile.dot with fused multiply-adds -----------------===//
//
// The portable dot, exact for every input type: products are formed in the
// accumulator's type (f16/bf16 products are exact in f32, i8 in i32).
//
// - GPUs: the operands go to shared memory (A rows padded by one element
//   against bank conflicts), then each thread runs a loop over K that loads
//   the A row and B column elements of its accumulator registers and
//   multiply-adds them. When A and B do not fit the dot's shared-memory
//   budget, K is split into chunks that take turns in the buffer.
// - CPU: the operands are stored row-major to stack buffers and a loop nest
//   (batch, i, k, j) updates the accumulator in place; the innermost loop
//   runs along contiguous memory, which LLVM vectorizes. The IR is the same
//   size whatever the tile size.
//
// Tensor-core instructions (mma.sync, wgmma, MFMA) are the faster paths that
// replace this one per target and type; this one stays as their reference.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
/// Shapes of a dot as (batch, M, N, K), batch 1 for 2-D dots.
struct DotShape {
  int64_t batch, m, n, k;
  explicit DotShape(tile::DotOp op) {
    auto a = cast<RankedTensorType>(op.getA().getType()).getShape();
    auto b = cast<RankedTensorType>(op.getB().getType()).getShape();
    unsigned rank = a.size();
    batch = rank == 3 ? a[0] : 1;
    m = a[rank - 2];
    k = a[rank - 1];
    n = b[rank - 1];
  }
};

/// Shared memory the GPU dot uses for a chunk of `kc` columns of A (rows
/// padded by one element) and `kc` rows of B, A first, 16-byte aligned.
struct DotSharedLayout {
  int64_t kc, aElems, bOffsetBytes, bytes;
  DotSharedLayout(const DotShape &s, int64_t elemBytes, int64_t kc) : kc(kc) {
    aElems = s.batch * s.m * (kc + 1);
    bOffsetBytes = llvm::alignTo(aElems * elemBytes, 16);
    bytes = bOffsetBytes + s.batch * kc * s.n * elemBytes;
  }
};

/// Shared memory a dot may use: A and B chunks larger than this take turns.
constexpr int64_t kDotSharedBudget = 32 * 1024;

DotSharedLayout chooseSharedLayout(tile::DotOp op) {
  DotShape shape(op);
  int64_t elemBytes = memoryBytes(
      cast<RankedTensorType>(op.getA().getType()).getElementType());
  int64_t kc = shape.k;
  while (kc > 1 && DotSharedLayout(shape, elemBytes, kc).bytes > kDotSharedBudget)
    kc /= 2;
  return DotSharedLayout(shape, elemBytes, kc);
}

/// Converts an input element to the accumulator's type.
Value toAccumulator(OpBuilder &b, Location loc, Value v, Type acc) {
  Type from = v.getType();
  if (from == acc)
    return v;
  if (isa<IntegerType>(from))
    return LLVM::SExtOp::create(b, loc, acc, v);
  return LLVM::FPExtOp::create(b, loc, acc, v);
}

/// acc + x * y in the accumulator's type.
Value multiplyAdd(OpBuilder &b, Location loc, Value x, Value y, Value acc) {
  if (isa<IntegerType>(acc.getType()))
    return LLVM::AddOp::create(b, loc, acc, LLVM::MulOp::create(b, loc, x, y));
  return LLVM::FMAOp::create(b, loc, x, y, acc);
}

Value i32Add(OpBuilder &b, Location loc, Value x, Value y) {
  return LLVM::AddOp::create(b, loc, x, y);
}
Value i32Mul(OpBuilder &b, Location loc, Value x, int64_t y) {
  return LLVM::MulOp::create(b, loc, x, i32Const(b, loc, y));
}

/// Runs `body(iv, carried)` for iv in [0, count) and returns the carried
/// values after the loop (scf.for on i32).
SmallVector<Value>
loop(OpBuilder &b, Location loc, int64_t count, ValueRange init,
     function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> body) {
  auto forOp = scf::ForOp::create(b, 
      loc, i32Const(b, loc, 0), i32Const(b, loc, count), i32Const(b, loc, 1),
      init, [&](OpBuilder &nb, Location l, Value iv, ValueRange carried) {
        scf::YieldOp::create(nb, l, body(nb, iv, carried));
      });
  return SmallVector<Value>(forOp.getResults());
}

struct DotOpLowering : TileGPUOpPattern<tile::DotOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  LogicalResult
  matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Tensor-core layouts are the mma and mfma patterns' (MmaDotToLLVM.cpp,
    // MfmaDotToLLVM.cpp, WgmmaDotToLLVM.cpp).
    if (isMatrixInstructionLayout(
            cast<RankedTensorType>(op.getAcc().getType()).getEncoding()))
      return failure();
    if (state.target.isGPU() && state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Value result = state.target.isGPU() ? lowerOnGPU(op, adaptor, rewriter)
                                        : lowerOnCPU(op, adaptor, rewriter);
    rewriter.replaceOp(op, result);
    return success();
  }

  /// Runtime coordinates of register `reg` of the executing thread.
  static SmallVector<Value> coordinates(OpBuilder &b, Location loc,
                                        const LinearLayout &layout,
                                        ArrayRef<Value> thread, int64_t reg) {
    LinearLayout::Coord regCoord = layout.applyPart(LinearLayout::Register, reg);
    SmallVector<Value> coord;
    for (unsigned d = 0; d < layout.getRank(); ++d)
      coord.push_back(
          LLVM::XOrOp::create(b, loc, thread[d], i32Const(b, loc, regCoord[d])));
    return coord;
  }

  /// (batch, row, column) of a 2-D or 3-D coordinate.
  static std::array<Value, 3> split3(OpBuilder &b, Location loc,
                                     ArrayRef<Value> c) {
    if (c.size() == 3)
      return {c[0], c[1], c[2]};
    return {i32Const(b, loc, 0), c[0], c[1]};
  }

  Value lowerOnGPU(tile::DotOp op, OpAdaptor adaptor,
                   ConversionPatternRewriter &b) const {
    Location loc = op.getLoc();
    DotShape s(op);
    DotSharedLayout smem = chooseSharedLayout(op);
    LinearLayout la = layoutOf(op.getA()), lb = layoutOf(op.getB()),
                 lc = layoutOf(op.getAcc());
    VectorType accType = vectorOf(op.getAcc());
    Type accElem = accType.getElementType();
    Type inElem = vectorOf(op.getA()).getElementType();
    auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
    Value aBase = sharedScratch(b, loc, state);
    Value bBase = LLVM::GEPOp::create(b, 
        loc, sharedPtr, b.getI8Type(), aBase,
        ValueRange{i32Const(b, loc, smem.bOffsetBytes)});
    auto elemAt = [&](OpBuilder &eb, Value base, Value index) {
      return LLVM::GEPOp::create(eb, loc, sharedPtr, inElem, base,
                                 ValueRange{index});
    };
    int64_t kc = smem.kc, chunks = s.k / kc;
    unsigned kcBits = llvm::Log2_64(kc);
    // Index of A[batch, i, kk] and B[batch, kk, j] within a chunk.
    auto aIndex = [&](OpBuilder &ib, Value batch, Value i, Value kk) {
      return i32Add(
          ib, loc,
          i32Mul(ib, loc, i32Add(ib, loc, i32Mul(ib, loc, batch, s.m), i),
                 kc + 1),
          kk);
    };
    auto bIndex = [&](OpBuilder &ib, Value batch, Value kk, Value j) {
      return i32Add(
          ib, loc,
          i32Mul(ib, loc, i32Add(ib, loc, i32Mul(ib, loc, batch, kc), kk),
                 s.n),
          j);
    };
    // Stores the elements of `src` whose K coordinate (`kDim`) falls in
    // chunk `chunk` (a runtime value; null when there is one chunk) at
    // `index(batch, row or column, kk)`.
    auto storeChunk = [&](OpBuilder &sb, Value src, const LinearLayout &layout,
                          unsigned kDim, Value base, Value chunk, auto index) {
      SmallVector<Value> thread = threadCoordinates(sb, loc, layout, state);
      for (int64_t r = 0; r < layout.getSize(LinearLayout::Register); ++r) {
        if (layout.isDuplicateRegister(r))
          continue;
        auto [batch, x, y] =
            split3(sb, loc, coordinates(sb, loc, layout, thread, r));
        Value k = kDim == 1 ? x : y, other = kDim == 1 ? y : x;
        Value kk = LLVM::AndOp::create(sb, loc, k, i32Const(sb, loc, kc - 1));
        Value ptr = elemAt(sb, base, kDim == 1 ? index(sb, batch, kk, other)
                                               : index(sb, batch, other, kk));
        Value v = extract(sb, loc, src, r);
        if (!chunk) {
          LLVM::StoreOp::create(sb, loc, v, ptr);
          continue;
        }
        Value inChunk = LLVM::ICmpOp::create(
            sb, loc, LLVM::ICmpPredicate::eq,
            LLVM::LShrOp::create(sb, loc, k, i32Const(sb, loc, kcBits)), chunk);
        guarded(sb, loc, inChunk,
                [&](OpBuilder &gb) { LLVM::StoreOp::create(gb, loc, v, ptr); });
      }
    };

    // Where each accumulator register reads A and B (kk = 0).
    SmallVector<Value> cThread = threadCoordinates(b, loc, lc, state);
    int64_t numRegs = accType.getNumElements();
    SmallVector<Value> rowStart, colStart;
    Value zero = i32Const(b, loc, 0);
    for (int64_t r = 0; r < numRegs; ++r) {
      auto [batch, i, j] = split3(b, loc, coordinates(b, loc, lc, cThread, r));
      rowStart.push_back(aIndex(b, batch, i, zero));
      colStart.push_back(bIndex(b, batch, zero, j));
    }

    // One chunk: stage A and B, then multiply-add over its kc columns.
    auto chunkBody = [&](OpBuilder &cb, Value chunk, Value acc) {
      barrier(cb, loc, state);
      storeChunk(cb, adaptor.getA(), la, /*kDim=*/2, aBase, chunk, aIndex);
      storeChunk(cb, adaptor.getB(), lb, /*kDim=*/1, bBase, chunk, bIndex);
      barrier(cb, loc, state);
      return loop(cb, loc, kc, acc,
                  [&](OpBuilder &lbuild, Value kk, ValueRange carried) {
                    Value vec = carried[0];
                    Value bRow = i32Mul(lbuild, loc, kk, s.n);
                    for (int64_t r = 0; r < numRegs; ++r) {
                      Value x = LLVM::LoadOp::create(
                          lbuild, loc, inElem,
                          elemAt(lbuild, aBase,
                                 i32Add(lbuild, loc, rowStart[r], kk)));
                      Value y = LLVM::LoadOp::create(
                          lbuild, loc, inElem,
                          elemAt(lbuild, bBase,
                                 i32Add(lbuild, loc, colStart[r], bRow)));
                      Value sum = multiplyAdd(
                          lbuild, loc, toAccumulator(lbuild, loc, x, accElem),
                          toAccumulator(lbuild, loc, y, accElem),
                          extract(lbuild, loc, vec, r));
                      vec = insert(lbuild, loc, vec, sum, r);
                    }
                    return SmallVector<Value>{vec};
                  })
          .front();
    };
    if (chunks == 1)
      return chunkBody(b, Value(), adaptor.getAcc());
    // Several chunks take turns in a runtime loop, so the IR (one copy of
    // the stores and of the multiply-adds) does not grow with their number.
    return loop(b, loc, chunks, adaptor.getAcc(),
                [&](OpBuilder &cb, Value chunk, ValueRange carried) {
                  return SmallVector<Value>{chunkBody(cb, chunk, carried[0])};
                })
        .front();
  }

  /// The elements of `vec` (laid out by `layout`) in row-major order.
  static Value toRowMajor(OpBuilder &b, Location loc, Value vec,
                          const LinearLayout &layout) {
    int64_t numel = ShapedType::getNumElements(layout.getShape());
    SmallVector<int32_t> mask(numel, 0);
    for (int64_t r = layout.getSize(LinearLayout::Register) - 1; r >= 0; --r)
      mask[layout.linearize(layout.applyPart(LinearLayout::Register, r))] = r;
    return shuffle(b, loc, vec, mask);
  }
  /// The inverse: registers of `layout` from a row-major vector.
  static Value fromRowMajor(OpBuilder &b, Location loc, Value vec,
                            const LinearLayout &layout) {
    SmallVector<int32_t> mask;
    for (int64_t r = 0; r < layout.getSize(LinearLayout::Register); ++r)
      mask.push_back(
          layout.linearize(layout.applyPart(LinearLayout::Register, r)));
    return shuffle(b, loc, vec, mask);
  }

  Value lowerOnCPU(tile::DotOp op, OpAdaptor adaptor,
                   ConversionPatternRewriter &b) const {
    Location loc = op.getLoc();
    DotShape s(op);
    VectorType accType = vectorOf(op.getAcc());
    Type accElem = accType.getElementType();
    Type inElem = vectorOf(op.getA()).getElementType();
    LinearLayout lc = layoutOf(op.getAcc());
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());

    // Stack buffers in the entry block, holding the row-major tiles.
    auto buffer = [&](Type elem, int64_t count) {
      return entryAlloca(b, loc, elem, count, /*alignment=*/64);
    };
    Value aBuf = buffer(inElem, s.batch * s.m * s.k);
    Value bBuf = buffer(inElem, s.batch * s.k * s.n);
    Value cBuf = buffer(accElem, s.batch * s.m * s.n);
    LLVM::StoreOp::create(b, 
        loc, toRowMajor(b, loc, adaptor.getA(), layoutOf(op.getA())), aBuf);
    LLVM::StoreOp::create(b, 
        loc, toRowMajor(b, loc, adaptor.getB(), layoutOf(op.getB())), bBuf);
    LLVM::StoreOp::create(b, loc, toRowMajor(b, loc, adaptor.getAcc(), lc),
                            cBuf);
    auto at = [&](OpBuilder &ob, Value base, Type elem, Value index) {
      return LLVM::GEPOp::create(ob, loc, ptrType, elem, base, ValueRange{index});
    };
    loop(b, loc, s.batch, {}, [&](OpBuilder &b1, Value batch, ValueRange) {
      loop(b1, loc, s.m, {}, [&](OpBuilder &b2, Value i, ValueRange) {
        Value row = i32Add(b2, loc, i32Mul(b2, loc, batch, s.m), i);
        loop(b2, loc, s.k, {}, [&](OpBuilder &b3, Value k, ValueRange) {
          Value x = LLVM::LoadOp::create(b3, 
              loc, inElem,
              at(b3, aBuf, inElem, i32Add(b3, loc, i32Mul(b3, loc, row, s.k), k)));
          x = toAccumulator(b3, loc, x, accElem);
          Value bRow = i32Mul(
              b3, loc, i32Add(b3, loc, i32Mul(b3, loc, batch, s.k), k), s.n);
          Value cRow = i32Mul(b3, loc, row, s.n);
          loop(b3, loc, s.n, {}, [&](OpBuilder &b4, Value j, ValueRange) {
            Value y = LLVM::LoadOp::create(b4, 
                loc, inElem, at(b4, bBuf, inElem, i32Add(b4, loc, bRow, j)));
            Value cPtr = at(b4, cBuf, accElem, i32Add(b4, loc, cRow, j));
            Value c = LLVM::LoadOp::create(b4, loc, accElem, cPtr);
            LLVM::StoreOp::create(b4, 
                loc,
                multiplyAdd(b4, loc, x, toAccumulator(b4, loc, y, accElem), c),
                cPtr);
            return SmallVector<Value>{};
          });
          return SmallVector<Value>{};
        });
        return SmallVector<Value>{};
      });
      return SmallVector<Value>{};
    });
    auto rowMajor = VectorType::get({s.batch * s.m * s.n}, accElem);
    Value result = LLVM::LoadOp::create(b, loc, rowMajor, cBuf);
    return fromRowMajor(b, loc, result, lc);
  }
};
} // namespace

int64_t tessel::dotSharedMemoryBytes(tile::DotOp op) {
  Attribute accLayout =
      cast<RankedTensorType>(op.getAcc().getType()).getEncoding();
  if (isa<MfmaLayoutAttr>(accLayout))
    return 0; // MFMA operands arrive in registers
  if (isa<MmaLayoutAttr>(accLayout))
    return wgmmaSharedMemoryBytes(op);
  return chooseSharedLayout(op).bytes;
}

void tessel::populateDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                         const LoweringState &state,
                                         RewritePatternSet &patterns) {
  patterns.add<DotOpLowering>(converter, state);
}
