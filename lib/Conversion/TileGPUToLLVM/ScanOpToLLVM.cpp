//===- ScanOpToLLVM.cpp - inclusive scans within and across threads -------===//
//
// A thread's registers that are consecutive along the axis form a chunk; each
// chunk is scanned in registers. When lanes, warps or repeated registers
// split the axis, the chunk totals are scanned in shared memory
// (Hillis-Steele: log2(chunks) steps over two buffers) and each chunk then
// combines its elements with the total of the chunks before it. On the CPU the
// whole axis is one chunk.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
using Values = SmallVector<Value>;

/// How the axis of a layout splits into per-thread chunks.
struct ChunkPlan {
  int64_t chunkLen = 1;  // consecutive elements one thread holds
  int64_t numChunks = 1; // chunks along the axis
  int64_t numKeys = 1;   // elements of the other dimensions
};

FailureOr<ChunkPlan> planChunks(const LinearLayout &layout, unsigned axis) {
  ChunkPlan plan;
  if (!basesMoveAlongAxisAlone(layout, axis))
    return failure();
  // The low register bits along the axis must be 1, 2, 4, ... in order.
  for (const LinearLayout::Coord &basis :
       layout.getBases(LinearLayout::Register)) {
    if (basis[axis] == 0)
      continue;
    if (basis[axis] != plan.chunkLen)
      break;
    plan.chunkLen *= 2;
  }
  plan.numChunks = layout.getShape()[axis] / plan.chunkLen;
  for (unsigned d = 0; d < layout.getRank(); ++d)
    if (d != axis)
      plan.numKeys *= layout.getShape()[d];
  return plan;
}

struct ScanOpLowering : TileGPUOpPattern<tile::ScanOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  LogicalResult
  matchAndRewrite(tile::ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &b) const override {
    Location loc = op.getLoc();
    unsigned axis = op.getAxisAttr().getInt();
    bool reverse = op.getReverse();
    LinearLayout layout = layoutOf(op.getSrcs()[0]);
    auto plan = planChunks(layout, axis);
    if (failed(plan))
      return op.emitOpError("cannot scan a layout whose bases move along the "
                            "axis and another dimension");
    ValueRange srcs = adaptor.getSrcs();
    unsigned n = srcs.size();
    int64_t numRegs = layout.getSize(LinearLayout::Register);

    // Registers of each chunk, in axis order (reversed for reverse scans).
    // Key: the register's coordinates with the axis component rounded down
    // to its chunk.
    llvm::MapVector<int64_t, SmallVector<int64_t>> chunks;
    for (int64_t r = 0; r < numRegs; ++r) {
      LinearLayout::Coord coord = layout.applyPart(LinearLayout::Register, r);
      coord[axis] -= coord[axis] % plan->chunkLen;
      chunks[layout.linearize(coord)].push_back(r);
    }
    // Within each chunk, in scan order (reversed for reverse scans).
    for (auto &[key, regs] : chunks)
      llvm::sort(regs, [&](int64_t x, int64_t y) {
        int64_t cx = layout.applyPart(LinearLayout::Register, x)[axis];
        int64_t cy = layout.applyPart(LinearLayout::Register, y)[axis];
        return reverse ? cx > cy : cx < cy;
      });
    // Hillis-Steele on the whole register vector: step d combines each
    // register with the one d places before it in its chunk.
    SmallVector<int64_t> rankInChunk(numRegs), chunkOf(numRegs);
    SmallVector<SmallVector<int64_t> *> chunkList;
    for (auto &[key, regs] : chunks) {
      for (auto [i, r] : llvm::enumerate(regs)) {
        rankInChunk[r] = i;
        chunkOf[r] = chunkList.size();
      }
      chunkList.push_back(&regs);
    }
    Values vecs(srcs.begin(), srcs.end());
    auto maskType = VectorType::get({numRegs}, b.getI1Type());
    for (int64_t d = 1; d < plan->chunkLen; d *= 2) {
      SmallVector<int32_t> partner;
      SmallVector<bool> valid;
      for (int64_t r = 0; r < numRegs; ++r) {
        bool has = rankInChunk[r] >= d;
        valid.push_back(has);
        partner.push_back(has ? (*chunkList[chunkOf[r]])[rankInChunk[r] - d]
                              : r);
      }
      Value validMask = LLVM::ConstantOp::create(b, 
          loc, maskType, DenseElementsAttr::get(maskType, ArrayRef(valid)));
      Values earlier;
      for (Value v : vecs)
        earlier.push_back(shuffle(b, loc, v, partner));
      Values combined = combineVectors(op.getCombineOp(), b, earlier, vecs);
      for (unsigned i = 0; i < n; ++i)
        vecs[i] = LLVM::SelectOp::create(b, loc, validMask, combined[i], vecs[i]);
    }
    std::vector<Values> values(numRegs);
    for (int64_t r = 0; r < numRegs; ++r)
      for (Value v : vecs)
        values[r].push_back(extract(b, loc, v, r));

    if (plan->numChunks > 1) {
      if (state.sharedSymbol.empty())
        return op.emitOpError("scan across threads needs shared memory");
      acrossChunks(op, b, layout, axis, *plan, chunks, values);
    }

    Values results;
    for (unsigned i = 0; i < n; ++i) {
      Values elems;
      for (int64_t r = 0; r < numRegs; ++r)
        elems.push_back(values[r][i]);
      results.push_back(pack(b, loc, vectorOf(op.getResult(i)), elems));
    }
    b.replaceOp(op, results);
    return success();
  }

  /// Scans the chunk totals in shared memory and folds each chunk's
  /// predecessors into its elements.
  void acrossChunks(tile::ScanOp op, ConversionPatternRewriter &b,
                    const LinearLayout &layout, unsigned axis,
                    const ChunkPlan &plan,
                    llvm::MapVector<int64_t, SmallVector<int64_t>> &chunks,
                    std::vector<Values> &values) const {
    Location loc = op.getLoc();
    bool reverse = op.getReverse();
    unsigned n = values.front().size();
    SmallVector<Value> thread = threadCoordinates(b, loc, layout, state);
    auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
    Value base = sharedScratch(b, loc, state);
    Type i32 = b.getI32Type();

    // Runtime (row-major key index, chunk index) of a chunk.
    auto position = [&](int64_t reg) {
      LinearLayout::Coord coord = layout.applyPart(LinearLayout::Register, reg);
      Value key = i32Const(b, loc, 0), chunk;
      for (unsigned d = 0; d < layout.getRank(); ++d) {
        Value c = LLVM::XOrOp::create(b, loc, thread[d],
                                        i32Const(b, loc, coord[d]));
        if (d == axis) {
          chunk = LLVM::LShrOp::create(b, 
              loc, c, i32Const(b, loc, llvm::Log2_64(plan.chunkLen)));
          continue;
        }
        key = LLVM::AddOp::create(b, 
            loc, LLVM::MulOp::create(b, loc, key,
                                       i32Const(b, loc, layout.getShape()[d])),
            c);
      }
      return std::make_pair(key, chunk);
    };
    // Buffers: [2][operand][key][chunk].
    SmallVector<Type> memTypes;
    SmallVector<int64_t> offsets;
    int64_t offset = 0;
    for (unsigned i = 0; i < n; ++i) {
      Type t = values.front()[i].getType();
      memTypes.push_back(t.isInteger(1) ? b.getI8Type() : t);
      offsets.push_back(offset);
      offset += llvm::alignTo(plan.numKeys * plan.numChunks *
                                  memoryBytes(memTypes.back()),
                              16);
    }
    int64_t bufferBytes = offset;
    auto slot = [&](int buffer, unsigned i, Value key, Value chunk) {
      Value index = LLVM::AddOp::create(b, 
          loc,
          LLVM::MulOp::create(b, loc, key, i32Const(b, loc, plan.numChunks)),
          chunk);
      Value arr = LLVM::GEPOp::create(b, 
          loc, sharedPtr, b.getI8Type(), base,
          ArrayRef<LLVM::GEPArg>{
              LLVM::GEPArg(int32_t(buffer * bufferBytes + offsets[i]))});
      return LLVM::GEPOp::create(b, loc, sharedPtr, memTypes[i], arr,
                                   ValueRange{index});
    };
    auto store = [&](OpBuilder &ob, Value v, Value ptr, unsigned i) {
      if (memTypes[i] != v.getType())
        v = LLVM::ZExtOp::create(ob, loc, memTypes[i], v);
      LLVM::StoreOp::create(ob, loc, v, ptr);
    };
    auto load = [&](Value ptr, unsigned i, Type t) -> Value {
      Value v = LLVM::LoadOp::create(b, loc, memTypes[i], ptr);
      if (memTypes[i] != t)
        v = LLVM::TruncOp::create(b, loc, t, v);
      return v;
    };

    // Each chunk's total is its last element in scan order.
    SmallVector<std::pair<Value, Value>> pos;
    for (auto &[key, regs] : chunks)
      pos.push_back(position(regs.front()));
    barrier(b, loc, state);
    for (auto [c, entry] : llvm::enumerate(chunks))
      for (unsigned i = 0; i < n; ++i)
        store(b, values[entry.second.back()][i],
              slot(0, i, pos[c].first, pos[c].second), i);
    barrier(b, loc, state);

    // Hillis-Steele over chunks: after step d, buffer holds the scan over
    // the 2d chunks ending at each one. Replicated threads write the same
    // values, so the races are benign.
    int cur = 0;
    for (int64_t d = 1; d < plan.numChunks; d *= 2) {
      for (auto [c, entry] : llvm::enumerate(chunks)) {
        auto [key, chunk] = pos[c];
        Value dist = i32Const(b, loc, d);
        Value hasPrev =
            reverse ? LLVM::ICmpOp::create(b, 
                          loc, LLVM::ICmpPredicate::slt, chunk,
                          i32Const(b, loc, plan.numChunks - d))
                    : LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::sge,
                                             chunk, dist);
        Value prevChunk = reverse ? LLVM::AddOp::create(b, loc, chunk, dist)
                                        .getResult()
                                  : LLVM::SubOp::create(b, loc, chunk, dist)
                                        .getResult();
        Values mine, theirs;
        for (unsigned i = 0; i < n; ++i) {
          Type t = values.front()[i].getType();
          mine.push_back(load(slot(cur, i, key, chunk), i, t));
          // Clamp the index: the value is only used when hasPrev holds.
          Value safe = LLVM::SelectOp::create(b, loc, hasPrev, prevChunk, chunk);
          theirs.push_back(load(slot(cur, i, key, safe), i, t));
        }
        Values combined = combine(op.getCombineOp(), b, theirs, mine);
        for (unsigned i = 0; i < n; ++i)
          store(b,
                LLVM::SelectOp::create(b, loc, hasPrev, combined[i], mine[i]),
                slot(1 - cur, i, key, chunk), i);
      }
      barrier(b, loc, state);
      cur = 1 - cur;
    }

    // Fold the scan of the preceding chunks into each element.
    for (auto [c, entry] : llvm::enumerate(chunks)) {
      auto [key, chunk] = pos[c];
      Value hasPrev =
          reverse ? LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::slt,
                                           chunk,
                                           i32Const(b, loc, plan.numChunks - 1))
                  : LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::sgt,
                                           chunk, i32Const(b, loc, 0));
      Value prevChunk =
          reverse ? LLVM::AddOp::create(b, loc, chunk, i32Const(b, loc, 1))
                        .getResult()
                  : LLVM::SubOp::create(b, loc, chunk, i32Const(b, loc, 1))
                        .getResult();
      Value safe = LLVM::SelectOp::create(b, loc, hasPrev, prevChunk, chunk);
      Values prefix;
      for (unsigned i = 0; i < n; ++i)
        prefix.push_back(load(slot(cur, i, key, safe), i,
                              values.front()[i].getType()));
      for (int64_t reg : entry.second) {
        Values combined = combine(op.getCombineOp(), b, prefix, values[reg]);
        for (unsigned i = 0; i < n; ++i)
          values[reg][i] = LLVM::SelectOp::create(b, loc, hasPrev, combined[i],
                                                    values[reg][i]);
      }
    }
    (void)i32;
  }
};
} // namespace

int64_t tessel::scanSharedMemoryBytes(tile::ScanOp op) {
  auto srcType = cast<RankedTensorType>(op.getSrcs()[0].getType());
  auto layout = toLinearLayout(srcType);
  if (failed(layout))
    return 0;
  auto plan = planChunks(*layout, op.getAxisAttr().getInt());
  if (failed(plan) || plan->numChunks == 1)
    return 0;
  int64_t bytes = 0;
  for (Value src : op.getSrcs())
    bytes += llvm::alignTo(
        plan->numKeys * plan->numChunks *
            memoryBytes(cast<RankedTensorType>(src.getType()).getElementType()),
        16);
  return 2 * bytes;
}

void tessel::populateScanOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                          const LoweringState &state,
                                          RewritePatternSet &patterns) {
  patterns.add<ScanOpLowering>(converter, state);
}
