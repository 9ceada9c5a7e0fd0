//===- AtomicOpsToLLVM.cpp - atomic read-modify-write and CAS -------------===//
//
// One LLVM atomic per element the thread owns (replicated copies in other
// lanes or warps do not repeat it), guarded by the element's mask. A scalar
// atomic is issued once per program and its old value broadcast to every
// thread through shared memory, so that all of them can branch on it.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

static LLVM::AtomicOrdering ordering(tile::MemSemantic sem) {
  switch (sem) {
  case tile::MemSemantic::Relaxed:
    return LLVM::AtomicOrdering::monotonic;
  case tile::MemSemantic::Acquire:
    return LLVM::AtomicOrdering::acquire;
  case tile::MemSemantic::Release:
    return LLVM::AtomicOrdering::release;
  case tile::MemSemantic::AcqRel:
    return LLVM::AtomicOrdering::acq_rel;
  }
  llvm_unreachable("unknown memory semantic");
}

/// LLVM's synchronization scope names per target ("" is the whole system).
static StringRef syncScope(tile::MemScope scope, const TargetInfo &target) {
  if (!target.isGPU() || scope == tile::MemScope::System)
    return "";
  if (target.kind == TargetKind::NVIDIA)
    return scope == tile::MemScope::CTA ? "block" : "device";
  return scope == tile::MemScope::CTA ? "workgroup" : "agent";
}

static LLVM::AtomicBinOp binOp(tile::RMWKind kind) {
  switch (kind) {
  case tile::RMWKind::And:
    return LLVM::AtomicBinOp::_and;
  case tile::RMWKind::Or:
    return LLVM::AtomicBinOp::_or;
  case tile::RMWKind::Xor:
    return LLVM::AtomicBinOp::_xor;
  case tile::RMWKind::Add:
    return LLVM::AtomicBinOp::add;
  case tile::RMWKind::FAdd:
    return LLVM::AtomicBinOp::fadd;
  case tile::RMWKind::Max:
    return LLVM::AtomicBinOp::max;
  case tile::RMWKind::Min:
    return LLVM::AtomicBinOp::min;
  case tile::RMWKind::UMax:
    return LLVM::AtomicBinOp::umax;
  case tile::RMWKind::UMin:
    return LLVM::AtomicBinOp::umin;
  case tile::RMWKind::Xchg:
    return LLVM::AtomicBinOp::xchg;
  }
  llvm_unreachable("unknown atomic kind");
}

namespace {
/// Shared by both atomics: `emit(builder, ptr, operands)` issues one atomic
/// and returns the old value; operands are per-element values.
template <typename Op>
struct AtomicPattern : TileGPUOpPattern<Op> {
  using TileGPUOpPattern<Op>::TileGPUOpPattern;
  using TileGPUOpPattern<Op>::state;

  Value lower(Op op, Value ptrs, ArrayRef<Value> operands, Value mask,
              ConversionPatternRewriter &b,
              function_ref<Value(OpBuilder &, Value, ArrayRef<Value>)> emit)
      const {
    Location loc = op.getLoc();
    Type resultType = this->getTypeConverter()->convertType(op.getType());
    Type elem = getElementTypeOrSelf(resultType);
    auto zero = [&](OpBuilder &ob) -> Value {
      return ob.create<LLVM::ZeroOp>(loc, elem);
    };
    auto vecType = dyn_cast<VectorType>(resultType);
    if (!vecType) {
      Value pred = mask;
      if (state.target.isGPU()) {
        auto [lane, warp] = laneAndWarp(b, loc, state);
        pred = andOf(b, loc, pred,
                     b.create<LLVM::ICmpOp>(
                         loc, LLVM::ICmpPredicate::eq,
                         b.create<LLVM::OrOp>(loc, lane, warp),
                         i32Const(b, loc, 0)));
      }
      Value old = guarded(
          b, loc, pred, elem,
          [&](OpBuilder &ob) { return emit(ob, ptrs, operands); }, zero);
      if (!state.target.isGPU() || op->use_empty())
        return old;
      return broadcast(b, loc, pred, old);
    }
    LinearLayout layout = this->layoutOf(op.getPtr());
    Value owner = ownerPredicate(b, loc, layout, state);
    SmallVector<Value> olds;
    for (int64_t r = 0; r < vecType.getNumElements(); ++r) {
      if (layout.isDuplicateRegister(r)) {
        // The same element as a lower register: reuse its old value.
        int64_t canonical = r;
        for (auto [bit, basis] :
             llvm::enumerate(layout.getBases(LinearLayout::Register)))
          if (llvm::all_of(basis, [](int64_t c) { return c == 0; }))
            canonical &= ~(int64_t(1) << bit);
        olds.push_back(olds[canonical]);
        continue;
      }
      SmallVector<Value> elems;
      for (Value v : operands)
        elems.push_back(extract(b, loc, v, r));
      Value ptr = extract(b, loc, ptrs, r);
      Value pred = andOf(b, loc, mask ? extract(b, loc, mask, r) : Value(),
                         owner);
      olds.push_back(guarded(
          b, loc, pred, elem,
          [&](OpBuilder &ob) { return emit(ob, ptr, elems); }, zero));
    }
    return pack(b, loc, vecType, olds);
  }

  /// Every thread gets the value thread 0 computed.
  Value broadcast(OpBuilder &b, Location loc, Value isFirst, Value v) const {
    auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
    Value slot =
        b.create<LLVM::AddressOfOp>(loc, sharedPtr, state.sharedSymbol);
    barrier(b, loc, state);
    guarded(b, loc, isFirst,
            [&](OpBuilder &ob) { ob.create<LLVM::StoreOp>(loc, v, slot); });
    barrier(b, loc, state);
    return b.create<LLVM::LoadOp>(loc, v.getType(), slot);
  }
};

struct AtomicRMWOpLowering : AtomicPattern<tile::AtomicRMWOp> {
  using AtomicPattern::AtomicPattern;
  LogicalResult
  matchAndRewrite(tile::AtomicRMWOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LLVM::AtomicBinOp kind = binOp(op.getKind());
    LLVM::AtomicOrdering order = ordering(op.getSem());
    StringRef scope = syncScope(op.getScope(), state.target);
    Location loc = op.getLoc();
    Value result = lower(
        op, adaptor.getPtr(), {adaptor.getVal()}, adaptor.getMask(), rewriter,
        [&](OpBuilder &b, Value ptr, ArrayRef<Value> vals) -> Value {
          return b.create<LLVM::AtomicRMWOp>(loc, kind, ptr, vals[0], order,
                                             scope);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct AtomicCASOpLowering : AtomicPattern<tile::AtomicCASOp> {
  using AtomicPattern::AtomicPattern;
  LogicalResult
  matchAndRewrite(tile::AtomicCASOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LLVM::AtomicOrdering order = ordering(op.getSem());
    // A failed exchange only reads: it cannot release.
    LLVM::AtomicOrdering failure =
        order == LLVM::AtomicOrdering::acq_rel ||
                order == LLVM::AtomicOrdering::acquire
            ? LLVM::AtomicOrdering::acquire
            : LLVM::AtomicOrdering::monotonic;
    StringRef scope = syncScope(op.getScope(), state.target);
    Location loc = op.getLoc();
    Value result = lower(
        op, adaptor.getPtr(), {adaptor.getCmp(), adaptor.getVal()}, Value(),
        rewriter, [&](OpBuilder &b, Value ptr, ArrayRef<Value> vals) -> Value {
          Value cmp = vals[0], val = vals[1];
          Type type = cmp.getType();
          // LLVM's cmpxchg works on integers.
          if (isa<FloatType>(type)) {
            Type intType = b.getIntegerType(type.getIntOrFloatBitWidth());
            cmp = b.create<LLVM::BitcastOp>(loc, intType, cmp);
            val = b.create<LLVM::BitcastOp>(loc, intType, val);
          }
          auto pair = b.create<LLVM::AtomicCmpXchgOp>(loc, ptr, cmp, val, order,
                                                     failure, scope);
          Value old = b.create<LLVM::ExtractValueOp>(loc, pair, 0);
          if (old.getType() != type)
            old = b.create<LLVM::BitcastOp>(loc, type, old);
          return old;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

bool tessel::needsAtomicBroadcast(Operation *op) {
  return isa<tile::AtomicRMWOp, tile::AtomicCASOp>(op) &&
         !isa<RankedTensorType>(op->getResult(0).getType()) &&
         !op->use_empty();
}

void tessel::populateAtomicOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                             const LoweringState &state,
                                             RewritePatternSet &patterns) {
  patterns.add<AtomicRMWOpLowering, AtomicCASOpLowering>(converter, state);
}
