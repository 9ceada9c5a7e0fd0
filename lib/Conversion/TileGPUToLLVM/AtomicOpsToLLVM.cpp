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

/// PTX's `.sem` and `.scope` qualifiers of an atomic. LLVM 22's NVPTX
/// backend drops the ordering and scope of atomicrmw (a plain relaxed
/// `atom.global`), so NVIDIA atomics are written in PTX, in the qualifier
/// orders Triton emits (and its tests look for): read-modify-writes
/// `atom.global.gpu.acq_rel.add.f32` (scope first), compare-and-swap
/// `atom.global.acq_rel.gpu.cas.b32` (order first).
static std::string ptxSemantic(tile::MemSemantic sem) {
  return "." + tile::stringifyMemSemantic(sem).str();
}
static std::string ptxScope(tile::MemScope scope) {
  return scope == tile::MemScope::CTA   ? ".cta"
         : scope == tile::MemScope::GPU ? ".gpu"
                                        : ".sys";
}

/// `.op.type` and the register constraint of an NVIDIA atomic read-modify-
/// write on `type` for `target`, when PTX has one with an order and scope:
/// 32/64-bit integers and floats, and the add of f16 (sm_70) and bf16
/// (sm_90).
static std::optional<std::pair<std::string, std::string>>
ptxRMW(tile::RMWKind kind, Type type, const TargetInfo &target) {
  unsigned bits = type.getIntOrFloatBitWidth();
  if (kind == tile::RMWKind::FAdd && type.isF16() && target.smVersion() >= 70)
    return std::make_pair(std::string(".add.noftz.f16"), std::string("h"));
  if (kind == tile::RMWKind::FAdd && type.isBF16() && target.smVersion() >= 90)
    return std::make_pair(std::string(".add.noftz.bf16"), std::string("h"));
  if (bits != 32 && bits != 64)
    return std::nullopt;
  bool isFloat = isa<FloatType>(type);
  std::string b = bits == 32 ? "32" : "64";
  std::string reg = isFloat ? (bits == 32 ? "f" : "d") : (bits == 32 ? "r" : "l");
  switch (kind) {
  case tile::RMWKind::And:
  case tile::RMWKind::Or:
  case tile::RMWKind::Xor:
    if (isFloat)
      return std::nullopt;
    return std::make_pair("." + tile::stringifyRMWKind(kind).str() + ".b" + b, reg);
  case tile::RMWKind::Add:
    return isFloat ? std::nullopt
                   : std::optional(std::make_pair(".add.u" + b, reg));
  case tile::RMWKind::FAdd:
    return isFloat ? std::optional(std::make_pair(".add.f" + b, reg))
                   : std::nullopt;
  case tile::RMWKind::Max:
  case tile::RMWKind::Min:
    if (isFloat)
      return std::nullopt;
    return std::make_pair(std::string(kind == tile::RMWKind::Max ? ".max" : ".min") +
                              ".s" + b,
                          reg);
  case tile::RMWKind::UMax:
  case tile::RMWKind::UMin:
    if (isFloat)
      return std::nullopt;
    return std::make_pair(std::string(kind == tile::RMWKind::UMax ? ".max" : ".min") +
                              ".u" + b,
                          reg);
  case tile::RMWKind::Xchg:
    return std::make_pair(".exch.b" + b, reg);
  }
  return std::nullopt;
}

/// One PTX atomic: `text` with operands (old value out, then inputs).
static Value ptxAtomic(OpBuilder &b, Location loc, Type result,
                       StringRef text, StringRef constraints,
                       ValueRange operands) {
  auto atomic = LLVM::InlineAsmOp::create(
      b, loc, result, operands, text, constraints, /*has_side_effects=*/true,
      /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
  // Only the global atomics are assembly ("atom.global..."): shared-memory
  // ones lower to LLVM atomics, which tessel-elide-barriers sees.
  atomic->setAttr(tilegpu::kGlobalMemoryOnlyAttr, b.getUnitAttr());
  return atomic.getResult(0);
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
      return LLVM::ZeroOp::create(ob, loc, elem);
    };
    auto vecType = dyn_cast<VectorType>(resultType);
    if (!vecType) {
      Value pred = mask;
      if (state.target.isGPU()) {
        auto [lane, warp] = laneAndWarp(b, loc, state);
        pred = andOf(b, loc, pred,
                     LLVM::ICmpOp::create(b, 
                         loc, LLVM::ICmpPredicate::eq,
                         LLVM::OrOp::create(b, loc, lane, warp),
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
        sharedScratch(b, loc, state);
    barrier(b, loc, state);
    guarded(b, loc, isFirst,
            [&](OpBuilder &ob) { LLVM::StoreOp::create(ob, loc, v, slot); });
    barrier(b, loc, state);
    return LLVM::LoadOp::create(b, loc, v.getType(), slot);
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
    Type elem = getElementTypeOrSelf(op.getVal().getType());
    auto native = state.target.kind == TargetKind::NVIDIA
                      ? ptxRMW(op.getKind(), elem, state.target)
                      : std::nullopt;
    bool nvidia = state.target.kind == TargetKind::NVIDIA;
    Value result = lower(
        op, adaptor.getPtr(), {adaptor.getVal()}, adaptor.getMask(), rewriter,
        [&](OpBuilder &b, Value ptr, ArrayRef<Value> vals) -> Value {
          if (native) {
            std::string text = "atom.global" + ptxScope(op.getScope()) +
                               ptxSemantic(op.getSem()) + native->first +
                               " $0, [$1], $2;";
            std::string reg = native->second;
            // 16-bit floats travel in 16-bit integer registers ("h").
            Type valType = vals[0].getType();
            Type regType = reg == "h" ? Type(b.getI16Type()) : valType;
            Value val = vals[0];
            if (regType != valType)
              val = LLVM::BitcastOp::create(b, loc, regType, val);
            Value old = ptxAtomic(b, loc, regType, text,
                                  "=" + reg + ",l," + reg, {ptr, val});
            if (regType != valType)
              old = LLVM::BitcastOp::create(b, loc, valType, old);
            return old;
          }
          if (!nvidia)
            return llvmutil::atomicRMW(b, loc, op.getKind(), op.getSem(),
                                       scope, ptr, vals[0]);
          // Types PTX has no ordered form for (16-bit floats): a relaxed
          // atomic between fences, which NVPTX does honour.
          bool releases = order == LLVM::AtomicOrdering::release ||
                          order == LLVM::AtomicOrdering::acq_rel;
          bool acquires = order == LLVM::AtomicOrdering::acquire ||
                          order == LLVM::AtomicOrdering::acq_rel;
          if (releases)
            LLVM::FenceOp::create(b, loc, LLVM::AtomicOrdering::release, scope);
          Value old = LLVM::AtomicRMWOp::create(b, 
              loc, kind, ptr, vals[0], LLVM::AtomicOrdering::monotonic, scope);
          if (acquires)
            LLVM::FenceOp::create(b, loc, LLVM::AtomicOrdering::acquire, scope);
          return old;
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
    StringRef scope = syncScope(op.getScope(), state.target);
    Location loc = op.getLoc();
    Value result = lower(
        op, adaptor.getPtr(), {adaptor.getCmp(), adaptor.getVal()}, Value(),
        rewriter, [&](OpBuilder &b, Value ptr, ArrayRef<Value> vals) -> Value {
          if (state.target.kind != TargetKind::NVIDIA)
            return llvmutil::atomicCAS(b, loc, op.getSem(), scope, ptr,
                                       vals[0], vals[1]);
          Value cmp = vals[0], val = vals[1];
          Type type = cmp.getType();
          // LLVM's cmpxchg works on integers.
          if (isa<FloatType>(type)) {
            Type intType = b.getIntegerType(type.getIntOrFloatBitWidth());
            cmp = LLVM::BitcastOp::create(b, loc, intType, cmp);
            val = LLVM::BitcastOp::create(b, loc, intType, val);
          }
          unsigned bits = cmp.getType().getIntOrFloatBitWidth();
          Value old;
          if (state.target.kind == TargetKind::NVIDIA &&
              (bits == 16 || bits == 32 || bits == 64)) {
            // PTX keeps the ordering and scope (see ptxSemantic).
            std::string reg = bits == 16 ? "h" : bits == 32 ? "r" : "l";
            std::string text = "atom.global" + ptxSemantic(op.getSem()) +
                               ptxScope(op.getScope()) + ".cas.b" +
                               std::to_string(bits) + " $0, [$1], $2, $3;";
            old = ptxAtomic(b, loc, cmp.getType(), text,
                            "=" + reg + ",l," + reg + "," + reg,
                            {ptr, cmp, val});
          } else {
            return llvmutil::atomicCAS(b, loc, op.getSem(), scope, ptr,
                                       vals[0], vals[1]);
          }
          if (old.getType() != type)
            old = LLVM::BitcastOp::create(b, loc, type, old);
          return old;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

Value llvmutil::atomicRMW(OpBuilder &b, Location loc, tile::RMWKind kind,
                          tile::MemSemantic sem, StringRef scope, Value ptr,
                          Value val) {
  return LLVM::AtomicRMWOp::create(b, loc, binOp(kind), ptr, val,
                                   ordering(sem), scope);
}

Value llvmutil::atomicCAS(OpBuilder &b, Location loc, tile::MemSemantic sem,
                          StringRef scope, Value ptr, Value cmp, Value val) {
  LLVM::AtomicOrdering order = ordering(sem);
  LLVM::AtomicOrdering failure = order == LLVM::AtomicOrdering::acq_rel ||
                                         order == LLVM::AtomicOrdering::acquire
                                     ? LLVM::AtomicOrdering::acquire
                                     : LLVM::AtomicOrdering::monotonic;
  // cmpxchg takes integers: floats travel as their bits.
  Type type = cmp.getType();
  if (isa<FloatType>(type)) {
    Type intType = b.getIntegerType(type.getIntOrFloatBitWidth());
    cmp = LLVM::BitcastOp::create(b, loc, intType, cmp);
    val = LLVM::BitcastOp::create(b, loc, intType, val);
  }
  // A failed exchange only reads: it cannot release.
  auto pair =
      LLVM::AtomicCmpXchgOp::create(b, loc, ptr, cmp, val, order, failure, scope);
  Value old = LLVM::ExtractValueOp::create(b, loc, pair, 0);
  if (old.getType() != type)
    old = LLVM::BitcastOp::create(b, loc, type, old);
  return old;
}

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
