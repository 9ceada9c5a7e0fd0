//===- WgmmaDotToLLVM.cpp - tile.dot on Hopper tensor cores (wgmma)
//--------===//
//
// A dot whose accumulator has an #tilegpu.mma version 3 layout (all warps
// along M, so warps 4g..4g+3 form warpgroup g over 64 consecutive rows of
// each M repeat) runs as wgmma.mma_async on operands in shared memory:
//
// 1. every thread stores its A and B elements into shared memory in the
//    swizzled layouts wgmma reads (SwizzledTile): each tile in rows of W =
//    128, 64 or 32 bytes (the widest that divides its contiguous dimension)
//    whose 16-byte chunks are XOR-permuted by row, A K-major (K slices of
//    W / 2 elements, M rows each), B MN-major (N slices, K rows), so that a
//    thread's 8 consecutive elements along the contiguous dimension of
//    row-major A and B are one 16-byte store;
// 2. fence.proxy.async (generic stores become visible to the tensor cores),
//    a barrier;
// 3. per M repeat and 16-wide K step, one wgmma.mma_async m64nNk16 (B
//    transposed, i.e. MN-major) whose descriptors point at the warpgroup's
//    rows and the step's K, then commit and wait (the accumulators pass
//    through the wait, so nothing reads them early).
//
// The buffer is the kernel's shared memory, aligned to 1024 bytes (the
// 128-byte swizzle repeats every 8 rows of 128 bytes; every tile starts at a
// multiple of its own swizzle's 8-row repeat).
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"
#include "SharedTiles.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
Value i32(OpBuilder &b, Location loc, int64_t v) { return i32Const(b, loc, v); }

/// The 64-bit shared-memory matrix descriptor of a wgmma operand in `tile`
/// starting at shared address `address`: start address >> 4, leading byte
/// offset (K-major: unused, 1; MN-major: the bytes between slices) and
/// stride byte offset (bytes between groups of 8 rows), both >> 4, and the
/// tile's swizzle mode.
Value descriptor(OpBuilder &b, Location loc, Value address,
                 const SwizzledTile &tile, bool mnMajor) {
  Type i64 = b.getI64Type();
  Value start = LLVM::LShrOp::create(
      b, loc, LLVM::AndOp::create(b, loc, address, i32(b, loc, 0x3FFFF)),
      i32(b, loc, 4));
  Value desc = LLVM::ZExtOp::create(b, loc, i64, start);
  uint64_t leading = mnMajor ? uint64_t(tile.sliceBytes()) >> 4 : 1;
  uint64_t fixed = (leading << 16) | (uint64_t(tile.groupBytes() >> 4) << 32) |
                   (tile.descriptorMode() << 62);
  return LLVM::OrOp::create(
      b, loc, desc,
      LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(fixed)));
}

/// PTX's name for a wgmma operand element type.
StringRef wgmmaTypeName(Type elem) {
  if (elem.isF16())
    return "f16";
  if (elem.isBF16())
    return "bf16";
  if (isa<Float8E4M3FNType>(elem))
    return "e4m3";
  if (isa<Float8E5M2Type>(elem))
    return "e5m2";
  assert(elem.isInteger(8) && "not a wgmma operand type");
  return "s8";
}

/// The inline-assembly output constraint of a wgmma accumulator register:
/// f32 or (i8 products) s32.
std::string accumulatorConstraint(Type elem) {
  return elem.isInteger(32) ? "=r" : "=f";
}

/// The accumulators passed through `wgmma.wait_group N`, so that their
/// uses follow the wait.
Value waitGroups(OpBuilder &b, Location loc, Value acc, unsigned pendings) {
  auto vecType = cast<VectorType>(acc.getType());
  int64_t total = vecType.getNumElements();
  std::string output = accumulatorConstraint(vecType.getElementType());
  std::string constraints;
  for (int64_t i = 0; i < total; ++i)
    constraints += (i ? "," : "") + output;
  for (int64_t i = 0; i < total; ++i)
    constraints += "," + std::to_string(i);
  SmallVector<Value> all;
  for (int64_t i = 0; i < total; ++i)
    all.push_back(extract(b, loc, acc, i));
  auto waitOp = asmStatement(
      b, loc,
      LLVM::LLVMStructType::getLiteral(
          b.getContext(), SmallVector<Type>(total, vecType.getElementType())),
      all, "wgmma.wait_group.sync.aligned " + std::to_string(pendings) + ";",
      constraints);
  for (int64_t i = 0; i < total; ++i)
    acc =
        insert(b, loc, acc,
               LLVM::ExtractValueOp::create(b, loc, waitOp.getResult(0), i), i);
  return acc;
}

/// Makes every thread's generic-proxy writes to shared memory (stores,
/// cp.async) visible to the tensor cores' async proxy: a proxy fence, then a
/// barrier so that all threads' writes are in.
void publishToTensorCores(OpBuilder &b, Location loc,
                          const LoweringState &state) {
  asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
               "fence.proxy.async.shared::cta;", "");
  barrier(b, loc, state);
}

/// The shared pointer `bytes` past `base`.
Value bytesAfter(OpBuilder &b, Location loc, Value base, int64_t bytes) {
  return LLVM::GEPOp::create(b, loc, base.getType(), b.getI8Type(), base,
                             ValueRange{i32(b, loc, bytes)});
}

/// Issues and commits the wgmma groups of a dot whose A (`aType`, M x K,
/// K-major) is stored swizzled at shared pointer `aBase` and B (K x N) at
/// `bBase`: MN-major (N slices of K rows), or K-major (K
/// slices of N rows) with `bKMajor` (always for 8-bit operands); returns
/// the pending accumulators. Each instruction takes 32 bytes of K: 16
/// f16/bf16 (k16), or 32 float8 (k32, f32 accumulators) or s8 (k32, s32
/// accumulators). `aType`'s element type is what wgmma multiplies (f8E4M3FN
/// or f8E5M2 for float8 codes), `bElem` B's when it differs (mixed float8).
///
/// With `aRegs` (A's 16-bit elements in the accumulator's mma layout, as a
/// previous wgmma left them: attention's P), A comes from registers instead:
/// the accumulator fragment of columns 16s .. 16s + 15 is the A fragment of
/// K step s, so registers 8s .. 8s + 7 of each M repeat pair up into the
/// step's four 32-bit A registers.
///
/// With `zeroAcc` (the accumulators are known zeros: attention's scores)
/// the first K step does not read them (scale-d false), so no instruction
/// writes the zeros first.
Value issueWgmma(OpBuilder &b, Location loc, RankedTensorType aType,
                 RankedTensorType accType, Value acc, Value aBase, Value bBase,
                 bool bKMajor, Value aRegs = Value(), bool zeroAcc = false,
                 Type bElem = Type()) {
  auto mma = cast<MmaLayoutAttr>(accType.getEncoding());
  Type inElem = aType.getElementType();
  int64_t m = accType.getShape()[0], n = accType.getShape()[1],
          k = aType.getShape()[1];
  unsigned warps = mma.getWarpsPerCTA()[0];
  int64_t mReps = m / (16 * warps);
  Type accElem = accType.getElementType();
  int64_t elementBytes = wgmmaElementBytes(inElem, accElem);
  assert(elementBytes && "not a wgmma operand type");
  assert((elementBytes == 2 || (bKMajor && !aRegs)) &&
         "8-bit wgmma reads both operands K-major from shared memory");
  bool integer = accElem.isInteger(32);
  int64_t kStep = 32 / elementBytes;
  std::string shape = "m64n" + std::to_string(n) + "k" + std::to_string(kStep);
  std::string types = (integer ? ".s32." : ".f32.") +
                      wgmmaTypeName(inElem).str() + "." +
                      wgmmaTypeName(bElem ? bElem : inElem).str();
  std::string output = accumulatorConstraint(accElem);
  Value baseAddr = LLVM::PtrToIntOp::create(b, loc, b.getI32Type(), aBase);
  Value bBaseAddr = LLVM::PtrToIntOp::create(b, loc, b.getI32Type(), bBase);
  Value tid = NVVM::ThreadIdXOp::create(b, loc, b.getI32Type());
  Value group = LLVM::LShrOp::create(b, loc, tid, i32(b, loc, 7));
  // Row of the warpgroup's first row within an M repeat: 64 g.
  Value groupRow = LLVM::MulOp::create(b, loc, group, i32(b, loc, 64));
  int64_t regsPerRep = n / 2;
  // A is M x K (K-major); B is K x N (MN-major) or N x K (K-major).
  SwizzledTile aTile(m, k, elementBytes),
      bTile = bKMajor ? SwizzledTile(n, k, elementBytes)
                      : SwizzledTile(k, n, elementBytes);
  asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
               "wgmma.fence.sync.aligned;", "");
  std::string text, constraints, firstText, firstConstraints;
  {
    std::string regs;
    for (int64_t i = 0; i < regsPerRep; ++i) {
      regs += (i ? ", $" : "$") + std::to_string(i);
      constraints += (i ? "," : "") + output;
    }
    std::string aText = "$" + std::to_string(regsPerRep);
    int64_t bIndex = regsPerRep + 1;
    if (aRegs) {
      aText = "{";
      for (int64_t i = 0; i < 4; ++i)
        aText += (i ? ", $" : "$") + std::to_string(regsPerRep + i);
      aText += "}";
      bIndex = regsPerRep + 4;
    }
    // The predicate is scale-d: whether D accumulates. 16-bit types then
    // take the immediates scale-a, scale-b, trans-a (shared-memory A only)
    // and trans-b; float8 scale-a and scale-b (no transposes); s8 none.
    std::string immediates = integer             ? ""
                             : elementBytes == 1 ? ", 1, 1"
                                                 : std::string(", 1, 1, ") +
                                                       (aRegs ? "" : "0, ") +
                                                       (bKMajor ? "0" : "1");
    auto instruction = [&](bool accumulate) {
      return std::string("{ .reg .pred p; setp.ne.b32 p, ") +
             (accumulate ? "1" : "0") + ", 0; wgmma.mma_async.sync.aligned." +
             shape + types + " {" + regs + "}, " + aText + ", $" +
             std::to_string(bIndex) + ", p" + immediates + "; }";
    };
    text = instruction(true);
    firstText = instruction(false);
    constraints += aRegs ? ",r,r,r,r,l" : ",l,l";
    firstConstraints = constraints;
    for (int64_t i = 0; i < regsPerRep; ++i)
      constraints += "," + std::to_string(i);
  }
  auto repResult = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(regsPerRep, accElem));
  // A K step's descriptor is its operand's first descriptor plus the step's
  // (16-byte aligned) offset >> 4: the start address field cannot carry (a
  // shared address is below 2^18), and one 64-bit add per instruction on
  // values ptxas keeps uniform replaces the mask and shifts of each address.
  auto stepDescriptor = [&](Value first, int64_t offset) -> Value {
    assert(offset % 16 == 0 && "wgmma operand steps are 16-byte aligned");
    if (!offset)
      return first;
    return LLVM::AddOp::create(
        b, loc, first,
        LLVM::ConstantOp::create(b, loc, b.getI64Type(),
                                 b.getI64IntegerAttr(offset >> 4)));
  };
  Value bFirst = descriptor(b, loc, bBaseAddr, bTile, !bKMajor);
  for (int64_t mi = 0; mi < mReps; ++mi) {
    SmallVector<Value> regs;
    for (int64_t i = 0; i < regsPerRep; ++i)
      regs.push_back(extract(b, loc, acc, mi * regsPerRep + i));
    Value aFirst;
    if (!aRegs) {
      Value aRow =
          LLVM::AddOp::create(b, loc, groupRow, i32(b, loc, mi * 16 * warps));
      Value aAddr = LLVM::AddOp::create(
          b, loc, baseAddr,
          LLVM::MulOp::create(b, loc, aRow, i32(b, loc, aTile.rowBytes)));
      aFirst = descriptor(b, loc, aAddr, aTile, /*mnMajor=*/false);
    }
    for (int64_t s = 0; s < k / kStep; ++s) {
      SmallVector<Value> operands;
      if (aRegs) {
        // Registers 8s .. 8s + 7 of repeat mi, two 16-bit values each.
        int64_t first = mi * (k / 2) + s * 8;
        for (int64_t pair = 0; pair < 4; ++pair) {
          Value two =
              shuffle(b, loc, aRegs, registerRange(first + 2 * pair, 2));
          operands.push_back(
              LLVM::BitcastOp::create(b, loc, b.getI32Type(), two));
        }
      } else {
        operands.push_back(
            stepDescriptor(aFirst, aTile.stepOffset(0, s * kStep)));
      }
      // B MN-major: the step's 16 rows (of every N slice); K-major: as A,
      // the step's 16 columns of all N rows.
      operands.push_back(stepDescriptor(
          bFirst, bKMajor ? bTile.stepOffset(0, s * kStep)
                          : s * kStep * bTile.rowBytes));
      bool overwrite = zeroAcc && s == 0;
      if (!overwrite)
        operands.append(regs);
      auto mmaOp = asmStatement(b, loc, repResult, operands,
                                overwrite ? firstText : text,
                                overwrite ? firstConstraints : constraints);
      for (int64_t i = 0; i < regsPerRep; ++i)
        regs[i] = LLVM::ExtractValueOp::create(b, loc, mmaOp.getResult(0), i);
    }
    for (int64_t i = 0; i < regsPerRep; ++i)
      acc = insert(b, loc, acc, regs[i], mi * regsPerRep + i);
  }
  asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
               "wgmma.commit_group.sync.aligned;", "");
  return acc;
}

/// Stores a thread's elements of a tile (`vec` of `type`, laid out by
/// `layout`) at shared pointer `base` as a SwizzledTile; runs of 16 bytes
/// along the second dimension are one store. With `transposed` (a K x N B
/// that wgmma must read K-major), the tile stored is the N x K transpose,
/// one element per store.
void storeSwizzledTile(OpBuilder &b, Location loc, const LoweringState &state,
                       Value vec, RankedTensorType type,
                       const LinearLayout &layout, Value base,
                       bool transposed = false) {
  int64_t elementBytes = elementBytesOf(type);
  int64_t chunk = 16 / elementBytes;
  int64_t run = std::min<int64_t>(chunk, layout.getContiguousRegisters(1));
  if (run < chunk || transposed)
    run = 1;
  SwizzledTile tile =
      transposed
          ? SwizzledTile(type.getShape()[1], type.getShape()[0], elementBytes)
          : SwizzledTile(type);
  forEachSwizzledRun(
      b, loc, layout, state, tile, run,
      [&](int64_t r, Value offset, int64_t immediate) {
        Value ptr = LLVM::GEPOp::create(b, loc, base.getType(), b.getI8Type(),
                                        base, ValueRange{offset});
        if (immediate)
          ptr = bytesAfter(b, loc, ptr, immediate);
        Value value = run == 1 ? extract(b, loc, vec, r)
                               : shuffle(b, loc, vec, registerRange(r, run));
        LLVM::StoreOp::create(b, loc, value, ptr,
                              /*alignment=*/run * elementBytes);
      },
      transposed);
}

/// Shared by the synchronous and the asynchronous dot: stores A and B into
/// the shared-memory buffer at `bufferOffset` bytes, then issues and commits
/// the wgmma groups; returns the (possibly pending) accumulators.
template <typename Op> struct WgmmaPattern : TileGPUOpPattern<Op> {
  using TileGPUOpPattern<Op>::TileGPUOpPattern;
  using TileGPUOpPattern<Op>::state;

  Value emit(Op op, Value aVec, Value bVec, Value acc, Value bufferOffset,
             ConversionPatternRewriter &b, Type aElem, Type bElem) const {
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    Location loc = op.getLoc();
    auto aType = cast<RankedTensorType>(op.getA().getType());
    int64_t m = accType.getShape()[0], k = aType.getShape()[1];
    Value base = sharedBase(b, loc, state, bufferOffset);
    int64_t elementBytes = elementBytesOf(aType);
    int64_t bOffset = m * k * elementBytes;
    // 8-bit B can only be read K-major.
    bool bKMajor = elementBytes == 1;

    // 1. Store the operands, swizzled (the caller made the buffer free).
    // A is K-major (rows of K), B MN-major (rows of N) or K-major.
    storeSwizzledTile(b, loc, this->state, aVec, aType,
                      this->layoutOf(op.getA()), base);
    storeSwizzledTile(
        b, loc, this->state, bVec, cast<RankedTensorType>(op.getB().getType()),
        this->layoutOf(op.getB()), bytesAfter(b, loc, base, bOffset), bKMajor);
    // 2. Make the generic-proxy stores visible to the async proxy.
    publishToTensorCores(b, loc, state);

    // 3. The wgmma groups.
    return issueWgmma(b, loc, aType.clone(aElem), accType, acc, base,
                      bytesAfter(b, loc, base, bOffset), bKMajor, Value(),
                      /*zeroAcc=*/false, bElem);
  }
};

/// tile.dot with a wgmma accumulator: one buffer, waits for its own group.
struct WgmmaDotOpLowering : WgmmaPattern<tile::DotOp> {
  using WgmmaPattern::WgmmaPattern;
  LogicalResult matchAndRewrite(tile::DotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    auto mma = dyn_cast<MmaLayoutAttr>(
        cast<RankedTensorType>(op.getAcc().getType()).getEncoding());
    if (!mma || mma.getVersion() != 3)
      return failure();
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    barrier(b, loc, state);
    Value acc = emit(op, adaptor.getA(), adaptor.getB(), adaptor.getAcc(),
                     i32(b, loc, 0), b, wgmmaOperandType(op, /*isA=*/true),
                     wgmmaOperandType(op, /*isA=*/false));
    b.replaceOp(op, waitGroups(b, loc, acc, 0));
    return success();
  }
};

/// tilegpu.async_dot: buffer `stage`, freed by waiting until at most
/// numStages - 1 groups are pending; returns without waiting.
struct AsyncDotOpLowering : WgmmaPattern<AsyncDotOp> {
  using WgmmaPattern::WgmmaPattern;
  LogicalResult matchAndRewrite(AsyncDotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
                 "wgmma.wait_group.sync.aligned " +
                     std::to_string(op.getNumStages() - 1) + ";",
                 "");
    // Every warpgroup is past its wait: no group reads the buffer now.
    barrier(b, loc, state);
    int64_t stageBytes =
        wgmmaStageBytes(op.getA().getType(), op.getAcc().getType());
    Value offset = LLVM::MulOp::create(b, loc, adaptor.getStage(),
                                       i32(b, loc, stageBytes));
    b.replaceOp(op, emit(op, adaptor.getA(), adaptor.getB(), adaptor.getAcc(),
                         offset, b, op.getA().getType().getElementType(),
                         op.getB().getType().getElementType()));
    return success();
  }
};

/// tilegpu.shared_dot: the operands are in stage `stage` already; issue,
/// commit, and let one group (this one) stay in flight.
struct SharedDotOpLowering : TileGPUOpPattern<SharedDotOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(SharedDotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    auto aType = cast<RankedTensorType>(op.getAType());
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    int64_t stageBytes = wgmmaStageBytes(aType, accType);
    Value base = sharedBase(b, loc, state,
                            LLVM::MulOp::create(b, loc, adaptor.getStage(),
                                                i32(b, loc, stageBytes)));
    Value acc =
        issueWgmma(b, loc, aType, accType, adaptor.getAcc(), base,
                   bytesAfter(b, loc, base,
                              accType.getShape()[0] * aType.getShape()[1] *
                                  elementBytesOf(aType)),
                   /*bKMajor=*/false);
    b.replaceOp(op, waitGroups(b, loc, acc, 1));
    return success();
  }
};

/// tilegpu.staged_dot: the operands' regions from the attributes. A
/// register A in the accumulator's own mma layout feeds wgmma directly;
/// another register A is stored first (each warpgroup writes and reads its
/// own rows, so its own earlier wait made the region free).
struct StagedDotOpLowering : TileGPUOpPattern<StagedDotOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  /// Whether A's registers are wgmma's A fragments as they are.
  static bool isRegisterOperand(StagedDotOp op) {
    auto type = cast<RankedTensorType>(op.getA().getType());
    return type.getEncoding() == op.getAcc().getType().getEncoding() &&
           elementBytesOf(type) == 2;
  }

  LogicalResult matchAndRewrite(StagedDotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    auto aType = cast<RankedTensorType>(op.getAType());
    auto accType = cast<RankedTensorType>(op.getAcc().getType());
    auto region = [&](int64_t offset, int64_t stageBytes) {
      Value bytes = i32(b, loc, offset);
      if (stageBytes)
        bytes =
            LLVM::AddOp::create(b, loc, bytes,
                                LLVM::MulOp::create(b, loc, adaptor.getStage(),
                                                    i32(b, loc, stageBytes)));
      return sharedBase(b, loc, state, bytes);
    };
    Value aBase = region(op.getAOffset(), op.getAStageBytes());
    Value bBase = region(op.getBOffset(), op.getBStageBytes());
    // pendings < 0: no wait (a tilegpu.dot_wait follows).
    auto finish = [&](Value acc) {
      int32_t pendings = static_cast<int32_t>(op.getPendings());
      b.replaceOp(op, pendings < 0 ? acc : waitGroups(b, loc, acc, pendings));
      return success();
    };
    bool zeroAcc = matchPattern(op.getAcc(), m_AnyZeroFloat()) ||
                   matchPattern(op.getAcc(), m_Zero());
    if (adaptor.getA() && isRegisterOperand(op))
      return finish(issueWgmma(b, loc, aType, accType, adaptor.getAcc(), aBase,
                               bBase, op.getBKMajor(), adaptor.getA(),
                               zeroAcc));
    if (adaptor.getA()) {
      storeSwizzledTile(b, loc, state, adaptor.getA(), aType,
                        layoutOf(op.getA()), aBase);
      publishToTensorCores(b, loc, state);
    }
    return finish(
        issueWgmma(b, loc, aType, accType, adaptor.getAcc(), aBase, bBase,
                   op.getBKMajor(), Value(), zeroAcc,
                   cast<RankedTensorType>(op.getBType()).getElementType()));
  }
};

/// tilegpu.async_copy: one 16-byte cp.async per run of 8 registers along
/// the second dimension, to its swizzled place in the stage.
struct AsyncCopyOpLowering : TileGPUOpPattern<AsyncCopyOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(AsyncCopyOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    if (state.sharedSymbol.empty())
      return op.emitOpError("needs shared memory");
    Location loc = op.getLoc();
    LinearLayout layout = layoutOf(op.getPtr());
    auto type = cast<RankedTensorType>(op.getPtr().getType());
    // One cp.async per 16 bytes: 8 16-bit or 16 8-bit elements.
    int64_t run = 16 / elementBytesOf(type);
    if (layout.getContiguousRegisters(1) < run)
      return op.emitOpError("needs ")
             << run << " consecutive elements per thread along the second "
             << "dimension";
    Value base = stageBase(b, loc, state, adaptor.getStage(),
                           op.getStageBytes(), op.getOffset());
    Value baseAddr = LLVM::PtrToIntOp::create(b, loc, b.getI32Type(), base);
    Type voidType = LLVM::LLVMVoidType::get(b.getContext());
    // Lanes or warps holding replicated copies of a run must not copy it
    // again (a second cp.async to the same bytes is a write-write race).
    Value owner = ownerPredicate(b, loc, layout, state);
    Value issue = owner ? LLVM::ZExtOp::create(b, loc, b.getI32Type(), owner)
                        : i32(b, loc, 1);
    forEachSwizzledRun(
        b, loc, layout, state, SwizzledTile(type), run,
        [&](int64_t r, Value offset, int64_t immediate) {
          Value dst = LLVM::AddOp::create(b, loc, baseAddr, offset);
          Value src = extract(b, loc, adaptor.getPtr(), r);
          // Masked-out runs copy 0 bytes: the destination is zero-filled.
          Value size = i32(b, loc, 16);
          if (adaptor.getMask())
            size = LLVM::SelectOp::create(b, loc,
                                          extract(b, loc, adaptor.getMask(), r),
                                          size, i32(b, loc, 0));
          // The run's constant part stays in the address ([$0 + imm]).
          asmStatement(b, loc, voidType, ValueRange{dst, src, size, issue},
                       "{ .reg .pred p; setp.ne.b32 p, $3, 0; "
                       "@p cp.async.cg.shared.global [$0 + " +
                           std::to_string(immediate) + "], [$1], 16, $2; }",
                       "r,l,r,r");
        });
    b.eraseOp(op);
    return success();
  }
};

struct AsyncCopyCommitOpLowering : TileGPUOpPattern<AsyncCopyCommitOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(AsyncCopyCommitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    asmStatement(b, op.getLoc(), LLVM::LLVMVoidType::get(b.getContext()), {},
                 "cp.async.commit_group;", "");
    b.eraseOp(op);
    return success();
  }
};

struct AsyncCopyWaitOpLowering : TileGPUOpPattern<AsyncCopyWaitOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(AsyncCopyWaitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    Type voidType = LLVM::LLVMVoidType::get(b.getContext());
    asmStatement(
        b, loc, voidType, {},
        "cp.async.wait_group " + std::to_string(op.getPendings()) + ";", "");
    // The copies wrote through the generic proxy; wgmma reads through the
    // async proxy, and every thread's copies must have landed. Before
    // Hopper there is one proxy (and no proxy fence): the mma.sync ring's
    // ldmatrix only needs the barrier.
    if (state.target.smVersion() >= 90)
      publishToTensorCores(b, loc, state);
    else
      barrier(b, loc, state);
    b.eraseOp(op);
    return success();
  }
};

struct DotWaitOpLowering : TileGPUOpPattern<DotWaitOp> {
  using TileGPUOpPattern::TileGPUOpPattern;
  LogicalResult matchAndRewrite(DotWaitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &b) const override {
    b.replaceOp(op,
                waitGroups(b, op.getLoc(), adaptor.getSrc(), op.getPendings()));
    return success();
  }
};
} // namespace

int64_t tessel::wgmmaStageBytes(Type aType, Type accType) {
  auto a = cast<RankedTensorType>(aType), acc = cast<RankedTensorType>(accType);
  return (acc.getShape()[0] + acc.getShape()[1]) * a.getShape()[1] *
         elementBytesOf(a);
}

int64_t tessel::wgmmaSharedMemoryBytes(Operation *op) {
  if (auto shared = dyn_cast<SharedDotOp>(op))
    return shared.getNumStages() *
           wgmmaStageBytes(shared.getAType(), shared.getAcc().getType());
  if (auto staged = dyn_cast<StagedDotOp>(op))
    return staged.getSharedBytes();
  if (auto async = dyn_cast<AsyncDotOp>(op))
    return async.getNumStages() *
           wgmmaStageBytes(async.getA().getType(), async.getAcc().getType());
  auto dot = dyn_cast<tile::DotOp>(op);
  if (!dot)
    return 0;
  auto mma = dyn_cast<MmaLayoutAttr>(
      cast<RankedTensorType>(dot.getAcc().getType()).getEncoding());
  if (!mma || mma.getVersion() != 3)
    return 0;
  return wgmmaStageBytes(dot.getA().getType(), dot.getAcc().getType());
}

void tessel::populateWgmmaDotOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                              const LoweringState &state,
                                              RewritePatternSet &patterns) {
  patterns.add<WgmmaDotOpLowering, AsyncDotOpLowering, DotWaitOpLowering,
               SharedDotOpLowering, StagedDotOpLowering, AsyncCopyOpLowering,
               AsyncCopyCommitOpLowering, AsyncCopyWaitOpLowering>(converter,
                                                                   state);
}
