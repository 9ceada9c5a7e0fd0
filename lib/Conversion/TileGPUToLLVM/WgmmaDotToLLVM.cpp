//===- WgmmaDotToLLVM.cpp - tile.dot on Hopper tensor cores (wgmma) --------===//
//
// A dot whose accumulator has an #tilegpu.mma version 3 layout (all warps
// along M, so warps 4g..4g+3 form warpgroup g over 64 consecutive rows of
// each M repeat) runs as wgmma.mma_async on operands in shared memory:
//
// 1. every thread stores its A and B elements into shared memory in the
//    K-major, 128-byte-swizzled layout wgmma reads: per 64-element K slice,
//    A as M rows and B transposed as N rows of 128 bytes, 16-byte chunk c of
//    row r at chunk c ^ (r mod 8) (A's runs of 8 contiguous K elements are
//    one 16-byte store);
// 2. fence.proxy.async (generic stores become visible to the tensor cores),
//    a barrier;
// 3. per M repeat and 16-wide K step, one wgmma.mma_async m64nNk16 whose
//    descriptors point at the warpgroup's rows, then commit and wait (the
//    accumulators pass through the wait, so nothing reads them early).
//
// The buffer is the kernel's shared memory, aligned to 1024 bytes (the
// swizzle pattern repeats every 8 rows of 128 bytes).
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
/// Bytes in one swizzled row: 64 16-bit elements of K.
constexpr int64_t kRowBytes = 128;
constexpr int64_t kSliceK = 64;

/// An inline-assembly statement with side effects (kept in order).
LLVM::InlineAsmOp asmStatement(OpBuilder &b, Location loc, Type result,
                               ValueRange operands, StringRef text,
                               StringRef constraints) {
  return b.create<LLVM::InlineAsmOp>(
      loc, result, operands, text, constraints, /*has_side_effects=*/true,
      /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
}

Value i32(OpBuilder &b, Location loc, int64_t v) { return i32Const(b, loc, v); }

/// Byte offset of element (row, k) in a swizzled K-major tile of `rows` rows
/// (2-byte elements).
Value swizzledOffset(OpBuilder &b, Location loc, Value row, Value k,
                     int64_t rows) {
  Value slice = b.create<LLVM::LShrOp>(loc, k, i32(b, loc, 6));
  Value kk = b.create<LLVM::AndOp>(loc, k, i32(b, loc, kSliceK - 1));
  Value chunk = b.create<LLVM::LShrOp>(loc, kk, i32(b, loc, 3));
  Value swizzled = b.create<LLVM::XOrOp>(
      loc, chunk, b.create<LLVM::AndOp>(loc, row, i32(b, loc, 7)));
  Value offset = b.create<LLVM::MulOp>(loc, slice, i32(b, loc, rows * kRowBytes));
  offset = b.create<LLVM::AddOp>(
      loc, offset, b.create<LLVM::MulOp>(loc, row, i32(b, loc, kRowBytes)));
  offset = b.create<LLVM::AddOp>(
      loc, offset, b.create<LLVM::ShlOp>(loc, swizzled, i32(b, loc, 4)));
  Value within = b.create<LLVM::ShlOp>(
      loc, b.create<LLVM::AndOp>(loc, kk, i32(b, loc, 7)), i32(b, loc, 1));
  return b.create<LLVM::AddOp>(loc, offset, within);
}

/// The 64-bit shared-memory matrix descriptor of a 128-byte-swizzled
/// K-major tile starting at shared address `address`: start address >> 4,
/// leading byte offset 1 (unused when swizzled), stride byte offset 1024 >>
/// 4 (between groups of 8 rows), swizzle mode 1 (128 bytes).
Value descriptor(OpBuilder &b, Location loc, Value address) {
  Type i64 = b.getI64Type();
  Value start = b.create<LLVM::LShrOp>(
      loc, b.create<LLVM::AndOp>(loc, address, i32(b, loc, 0x3FFFF)),
      i32(b, loc, 4));
  Value desc = b.create<LLVM::ZExtOp>(loc, i64, start);
  uint64_t fixed = (uint64_t(1) << 16) | (uint64_t(1024 >> 4) << 32) |
                   (uint64_t(1) << 62);
  return b.create<LLVM::OrOp>(
      loc, desc,
      b.create<LLVM::ConstantOp>(loc, i64, b.getI64IntegerAttr(fixed)));
}

struct WgmmaDotOpLowering : TileGPUOpPattern<tile::DotOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  LogicalResult
  matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &b) const override {
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    auto mma = dyn_cast<MmaLayoutAttr>(accType.getEncoding());
    if (!mma || mma.getVersion() != 3)
      return failure();
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    auto aType = cast<RankedTensorType>(op.getA().getType());
    Type inElem = aType.getElementType();
    int64_t m = accType.getShape()[0], n = accType.getShape()[1],
            k = aType.getShape()[1];
    unsigned warps = mma.getWarpsPerCTA()[0];
    int64_t mReps = m / (16 * warps);
    const char *type = inElem.isF16() ? "f16" : "bf16";

    auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
    Value base = b.create<LLVM::AddressOfOp>(loc, sharedPtr, state.sharedSymbol);
    Value baseAddr = b.create<LLVM::PtrToIntOp>(loc, b.getI32Type(), base);
    int64_t bOffset = m * k * 2;

    // 1. Store the operands, swizzled.
    barrier(b, loc, state);
    auto storeOperand = [&](Value vec, const LinearLayout &layout, bool isA,
                            int64_t rows, int64_t regionOffset) {
      SmallVector<Value> thread = threadCoordinates(b, loc, layout, state);
      // Runs of 8 registers along K fill one 16-byte chunk (A only: B's
      // rows are its columns).
      int64_t run = isA ? std::min<int64_t>(8, layout.getContiguousRegisters(1))
                        : 1;
      if (run < 8)
        run = 1;
      for (int64_t r = 0; r < layout.getSize(LinearLayout::Register); r += run) {
        if (layout.isDuplicateRegister(r))
          continue;
        LinearLayout::Coord regCoord =
            layout.applyPart(LinearLayout::Register, r);
        Value x = b.create<LLVM::XOrOp>(loc, thread[0], i32(b, loc, regCoord[0]));
        Value y = b.create<LLVM::XOrOp>(loc, thread[1], i32(b, loc, regCoord[1]));
        Value row = isA ? x : y, kk = isA ? y : x;
        Value offset = b.create<LLVM::AddOp>(
            loc, swizzledOffset(b, loc, row, kk, rows),
            i32(b, loc, regionOffset));
        Value ptr = b.create<LLVM::GEPOp>(loc, sharedPtr, b.getI8Type(), base,
                                          ValueRange{offset});
        Value value;
        if (run == 1) {
          value = extract(b, loc, vec, r);
        } else {
          value = shuffle(b, loc, vec, registerRange(r, run));
        }
        b.create<LLVM::StoreOp>(loc, value, ptr, /*alignment=*/run * 2);
      }
    };
    storeOperand(adaptor.getA(), layoutOf(op.getA()), /*isA=*/true, m, 0);
    storeOperand(adaptor.getB(), layoutOf(op.getB()), /*isA=*/false, n,
                 bOffset);
    // 2. Make the generic-proxy stores visible to the async proxy.
    asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
                 "fence.proxy.async.shared::cta;", "");
    barrier(b, loc, state);

    // 3. wgmma per M repeat and K step.
    Value tid = b.create<NVVM::ThreadIdXOp>(loc, b.getI32Type());
    Value group = b.create<LLVM::LShrOp>(loc, tid, i32(b, loc, 7));
    // Row of the warpgroup's first row within an M repeat: 64 g.
    Value groupRow = b.create<LLVM::MulOp>(loc, group, i32(b, loc, 64));
    Value acc = adaptor.getAcc();
    int64_t regsPerRep = n / 2;
    asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
                 "wgmma.fence.sync.aligned;", "");
    std::string text, constraints;
    {
      std::string regs;
      for (int64_t i = 0; i < regsPerRep; ++i) {
        regs += (i ? ", $" : "$") + std::to_string(i);
        constraints += (i ? ",=f" : "=f");
      }
      text = "{ .reg .pred p; setp.ne.b32 p, 1, 0; wgmma.mma_async.sync."
             "aligned.m64n" +
             std::to_string(n) + "k16.f32." + type + "." + type + " {" + regs +
             "}, $" + std::to_string(regsPerRep) + ", $" +
             std::to_string(regsPerRep + 1) + ", p, 1, 1, 0, 0; }";
      constraints += ",l,l";
      for (int64_t i = 0; i < regsPerRep; ++i)
        constraints += "," + std::to_string(i);
    }
    auto f32 = b.getF32Type();
    auto repResult = LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(regsPerRep, f32));
    for (int64_t mi = 0; mi < mReps; ++mi) {
      SmallVector<Value> regs;
      for (int64_t i = 0; i < regsPerRep; ++i)
        regs.push_back(extract(b, loc, acc, mi * regsPerRep + i));
      Value aRow = b.create<LLVM::AddOp>(loc, groupRow,
                                         i32(b, loc, mi * 16 * warps));
      for (int64_t s = 0; s < k / 16; ++s) {
        int64_t slice = s * 16 / kSliceK, within = (s * 16 % kSliceK) * 2;
        Value aAddr = b.create<LLVM::AddOp>(
            loc, baseAddr,
            b.create<LLVM::AddOp>(
                loc, b.create<LLVM::MulOp>(loc, aRow, i32(b, loc, kRowBytes)),
                i32(b, loc, slice * m * kRowBytes + within)));
        Value bAddr = b.create<LLVM::AddOp>(
            loc, baseAddr, i32(b, loc, bOffset + slice * n * kRowBytes + within));
        SmallVector<Value> operands{descriptor(b, loc, aAddr),
                                    descriptor(b, loc, bAddr)};
        operands.append(regs);
        auto mmaOp = asmStatement(b, loc, repResult, operands, text, constraints);
        for (int64_t i = 0; i < regsPerRep; ++i)
          regs[i] = b.create<LLVM::ExtractValueOp>(loc, mmaOp.getResult(0), i);
      }
      for (int64_t i = 0; i < regsPerRep; ++i)
        acc = insert(b, loc, acc, regs[i], mi * regsPerRep + i);
    }
    asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
                 "wgmma.commit_group.sync.aligned;", "");
    // The wait returns the accumulators, so that their uses follow it.
    int64_t total = mReps * regsPerRep;
    std::string waitConstraints;
    for (int64_t i = 0; i < total; ++i)
      waitConstraints += (i ? ",=f" : "=f");
    for (int64_t i = 0; i < total; ++i)
      waitConstraints += "," + std::to_string(i);
    SmallVector<Value> all;
    for (int64_t i = 0; i < total; ++i)
      all.push_back(extract(b, loc, acc, i));
    auto waitOp = asmStatement(
        b, loc,
        LLVM::LLVMStructType::getLiteral(b.getContext(),
                                         SmallVector<Type>(total, f32)),
        all, "wgmma.wait_group.sync.aligned 0;", waitConstraints);
    for (int64_t i = 0; i < total; ++i)
      acc = insert(b, loc,
                   acc, b.create<LLVM::ExtractValueOp>(loc, waitOp.getResult(0), i),
                   i);
    b.replaceOp(op, acc);
    return success();
  }
};
} // namespace

int64_t tessel::wgmmaSharedMemoryBytes(tile::DotOp op) {
  auto accType = cast<RankedTensorType>(op.getAcc().getType());
  auto mma = dyn_cast<MmaLayoutAttr>(accType.getEncoding());
  if (!mma || mma.getVersion() != 3)
    return 0;
  int64_t k = cast<RankedTensorType>(op.getA().getType()).getShape()[1];
  return (accType.getShape()[0] + accType.getShape()[1]) * k * 2;
}

void tessel::populateWgmmaDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                             const LoweringState &state,
                                             RewritePatternSet &patterns) {
  patterns.add<WgmmaDotOpLowering>(converter, state);
}
