//===- ReduceOpToLLVM.cpp - reductions within and across threads ----------===//
//
// A reduction along `axis` runs in three steps, each read off the operand's
// linear layout: registers of one thread whose coordinates differ only along
// the axis combine first; then lanes whose bit moves along the axis, by
// butterfly shuffles; then warps whose bit moves along the axis, through
// shared memory. Replicated registers, lanes and warps (zero bases) are never
// combined, so sums do not count copies twice. The result is left in the
// slice of the operand's layout.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

namespace {
using Values = SmallVector<Value>;

struct ReduceOpLowering : TileGPUOpPattern<tile::ReduceOp> {
  using TileGPUOpPattern::TileGPUOpPattern;

  LogicalResult
  matchAndRewrite(tile::ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    unsigned axis = op.getAxisAttr().getInt();
    LinearLayout layout = layoutOf(op.getSrcs()[0]);
    ValueRange srcs = adaptor.getSrcs();
    if (!basesMoveAlongAxisAlone(layout, axis))
      return op.emitOpError("cannot reduce a layout whose bases move along "
                            "the axis and another dimension");

    // Keys: a register's coordinates with the axis component dropped.
    auto keyOf = [&](LinearLayout::Coord coord) {
      coord[axis] = 0;
      return layout.linearize(coord);
    };
    // Within the thread: one vector step per register bit along the axis,
    // combining register r with r ^ bit (log2 steps, whatever the count).
    Values vecs(srcs.begin(), srcs.end());
    int64_t numRegs = layout.getSize(LinearLayout::Register);
    int64_t axisBits = 0;
    for (auto [bit, basis] :
         llvm::enumerate(layout.getBases(LinearLayout::Register))) {
      if (basis[axis] == 0)
        continue;
      axisBits |= int64_t(1) << bit;
      SmallVector<int32_t> partner;
      for (int64_t r = 0; r < numRegs; ++r)
        partner.push_back(r ^ (int64_t(1) << bit));
      Values other;
      for (Value v : vecs)
        other.push_back(shuffle(rewriter, loc, v, partner));
      vecs = combineVectors(op.getCombineOp(), rewriter, vecs, other);
    }
    llvm::MapVector<int64_t, Values> acc;
    for (int64_t r = 0; r < numRegs; ++r) {
      if ((r & axisBits) || layout.isDuplicateRegister(r))
        continue;
      Values elems;
      for (Value v : vecs)
        elems.push_back(extract(rewriter, loc, v, r));
      acc.insert({keyOf(layout.applyPart(LinearLayout::Register, r)), elems});
    }

    for (auto [bit, basis] : llvm::enumerate(layout.getBases(LinearLayout::Lane))) {
      if (basis[axis] == 0)
        continue;
      for (auto &[key, values] : acc) {
        Values other;
        for (Value v : values)
          other.push_back(shuffleXor(rewriter, loc, v, 1 << bit, state));
        values = combine(op.getCombineOp(), rewriter, values, other);
      }
    }

    SmallVector<unsigned> warpBits;
    for (auto [bit, basis] : llvm::enumerate(layout.getBases(LinearLayout::Warp)))
      if (basis[axis] != 0)
        warpBits.push_back(bit);
    if (!warpBits.empty()) {
      if (state.sharedSymbol.empty())
        return op.emitOpError("reduction across warps needs shared memory");
      acrossWarps(op, rewriter, layout, axis, warpBits, acc);
    }

    Values results;
    for (auto [i, result] : llvm::enumerate(op.getResults())) {
      if (!isa<RankedTensorType>(result.getType())) {
        results.push_back(acc.front().second[i]);
        continue;
      }
      LinearLayout out = layoutOf(result);
      Values elems;
      for (int64_t r = 0; r < out.getSize(LinearLayout::Register); ++r) {
        LinearLayout::Coord coord = out.applyPart(LinearLayout::Register, r);
        coord.insert(coord.begin() + axis, 0);
        auto it = acc.find(layout.linearize(coord));
        if (it == acc.end())
          return op.emitOpError("result layout is not the slice of the "
                                "operand layout");
        elems.push_back(it->second[i]);
      }
      results.push_back(pack(rewriter, loc, vectorOf(result), elems));
    }
    rewriter.replaceOp(op, results);
    return success();
  }

  /// Each warp writes its partial results to shared memory, indexed by the
  /// output element and the warp's position along the axis; every thread then
  /// combines the partials of the elements it holds.
  void acrossWarps(tile::ReduceOp op, ConversionPatternRewriter &b,
                   const LinearLayout &layout, unsigned axis,
                   ArrayRef<unsigned> warpBits,
                   llvm::MapVector<int64_t, Values> &acc) const {
    Location loc = op.getLoc();
    int64_t numWarps = int64_t(1) << warpBits.size();
    auto [lane, warp] = laneAndWarp(b, loc, state);
    Value warpIndex = i32Const(b, loc, 0);
    for (auto [j, bit] : llvm::enumerate(warpBits)) {
      Value set = LLVM::AndOp::create(b, 
          loc, LLVM::LShrOp::create(b, loc, warp, i32Const(b, loc, bit)),
          i32Const(b, loc, 1));
      warpIndex = LLVM::OrOp::create(b, 
          loc, warpIndex, LLVM::ShlOp::create(b, loc, set, i32Const(b, loc, j)));
    }
    SmallVector<Value> thread = threadCoordinates(b, loc, layout, state);
    // Row-major index of an output element among the reduced shape.
    auto outputIndex = [&](int64_t key) {
      SmallVector<int64_t> coord(layout.getRank());
      for (int d = layout.getRank() - 1, k = key; d >= 0; --d) {
        coord[d] = k % layout.getShape()[d];
        k /= layout.getShape()[d];
      }
      Value index = i32Const(b, loc, 0);
      for (unsigned d = 0; d < layout.getRank(); ++d) {
        if (d == axis)
          continue;
        Value c = LLVM::XOrOp::create(b, loc, thread[d],
                                        i32Const(b, loc, coord[d]));
        index = LLVM::AddOp::create(b, 
            loc,
            LLVM::MulOp::create(b, loc, index,
                                  i32Const(b, loc, layout.getShape()[d])),
            c);
      }
      return index;
    };
    int64_t numOutputs = layout.getShape().empty() ? 1 : 1;
    for (unsigned d = 0; d < layout.getRank(); ++d)
      if (d != axis)
        numOutputs *= layout.getShape()[d];

    auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
    Value base = sharedScratch(b, loc, state);
    unsigned numOperands = acc.front().second.size();
    int64_t offset = 0;
    SmallVector<Value> operandBase;
    SmallVector<Type> memTypes;
    for (unsigned i = 0; i < numOperands; ++i) {
      Type t = acc.front().second[i].getType();
      Type mem = t.isInteger(1) ? b.getI8Type() : t;
      memTypes.push_back(mem);
      operandBase.push_back(LLVM::GEPOp::create(b, 
          loc, sharedPtr, b.getI8Type(), base,
          ArrayRef<LLVM::GEPArg>{LLVM::GEPArg(int32_t(offset))}));
      offset += llvm::alignTo(numOutputs * numWarps * memoryBytes(mem), 16);
    }
    auto slot = [&](unsigned i, Value index) {
      return LLVM::GEPOp::create(b, loc, sharedPtr, memTypes[i], operandBase[i],
                                   ValueRange{index});
    };
    barrier(b, loc, state);
    for (auto &[key, values] : acc) {
      Value index = LLVM::AddOp::create(b, 
          loc,
          LLVM::MulOp::create(b, loc, outputIndex(key),
                                i32Const(b, loc, numWarps)),
          warpIndex);
      for (unsigned i = 0; i < numOperands; ++i) {
        Value v = values[i];
        if (memTypes[i] != v.getType())
          v = LLVM::ZExtOp::create(b, loc, memTypes[i], v);
        LLVM::StoreOp::create(b, loc, v, slot(i, index));
      }
    }
    barrier(b, loc, state);
    for (auto &[key, values] : acc) {
      Value first = LLVM::MulOp::create(b, loc, outputIndex(key),
                                          i32Const(b, loc, numWarps));
      Values partials;
      for (int64_t w = 0; w < numWarps; ++w) {
        Value index = LLVM::AddOp::create(b, loc, first, i32Const(b, loc, w));
        Values loaded;
        for (unsigned i = 0; i < numOperands; ++i) {
          Type t = values[i].getType();
          Value v = LLVM::LoadOp::create(b, loc, memTypes[i], slot(i, index));
          if (memTypes[i] != t)
            v = LLVM::TruncOp::create(b, loc, t, v);
          loaded.push_back(v);
        }
        partials = w == 0 ? loaded : combine(op.getCombineOp(), b, partials, loaded);
      }
      values = partials;
    }
  }
};
} // namespace

int64_t tessel::reduceSharedMemoryBytes(tile::ReduceOp op) {
  auto srcType = cast<RankedTensorType>(op.getSrcs()[0].getType());
  auto layout = toLinearLayout(srcType);
  if (failed(layout))
    return 0;
  unsigned axis = op.getAxisAttr().getInt();
  int64_t warps = 1;
  for (const LinearLayout::Coord &basis : layout->getBases(LinearLayout::Warp))
    if (basis[axis] != 0)
      warps *= 2;
  if (warps == 1)
    return 0;
  int64_t outputs = srcType.getNumElements() / srcType.getDimSize(axis);
  int64_t bytes = 0;
  for (Value src : op.getSrcs()) {
    Type elem = cast<RankedTensorType>(src.getType()).getElementType();
    bytes += llvm::alignTo(outputs * warps * memoryBytes(elem), 16);
  }
  return bytes;
}

void tessel::populateReduceOpToLLVMPatterns(TileGPUTypeConverter &converter,
                                            const LoweringState &state,
                                            RewritePatternSet &patterns) {
  patterns.add<ReduceOpLowering>(converter, state);
}
