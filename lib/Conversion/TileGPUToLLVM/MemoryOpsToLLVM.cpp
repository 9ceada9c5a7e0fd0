//===- MemoryOpsToLLVM.cpp - pointer arithmetic, loads and stores ---------===//
//
// Each thread accesses its registers in chunks of consecutive elements: as
// wide as the axis analysis proves contiguous and aligned (16 bytes at most
// on GPUs). On GPUs a chunk's mask is uniform (the analysis proves it) and
// guards the access with scf.if; on the CPU masks go to LLVM's masked
// load/store/gather/scatter intrinsics, element by element.
//
//===----------------------------------------------------------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;
using namespace tessel::llvmutil;

/// In memory, booleans take a byte.
static Type memoryType(Type elem) {
  if (elem.isInteger(1))
    return IntegerType::get(elem.getContext(), 8);
  return elem;
}


static Type withElement(Type type, Type elem) {
  if (auto vec = dyn_cast<VectorType>(type))
    return VectorType::get(vec.getShape(), elem);
  return elem;
}

Value llvmutil::guarded(OpBuilder &b, Location loc, Value cond, Type type,
                     function_ref<Value(OpBuilder &)> body,
                     function_ref<Value(OpBuilder &)> orElse) {
  if (!cond)
    return body(b);
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, cond, true, true);
  OpBuilder then = ifOp.getThenBodyBuilder();
  scf::YieldOp::create(then, loc, body(then));
  OpBuilder otherwise = ifOp.getElseBodyBuilder();
  scf::YieldOp::create(otherwise, loc, orElse(otherwise));
  return ifOp.getResult(0);
}

void llvmutil::guarded(OpBuilder &b, Location loc, Value cond,
                       function_ref<void(OpBuilder &)> body) {
  if (!cond) {
    body(b);
    return;
  }
  auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
  OpBuilder then = OpBuilder::atBlockTerminator(ifOp.thenBlock());
  body(then);
}

Value llvmutil::andOf(OpBuilder &b, Location loc, Value x, Value y) {
  if (!x)
    return y;
  if (!y)
    return x;
  return LLVM::AndOp::create(b, loc, x, y);
}

/// PTX qualifiers for Triton's cache_modifier or eviction_policy (".cg",
/// ".L1::evict_first"); empty when neither is set. PTX does not combine a
/// cache operator with an eviction priority: the cache operator wins.
static std::string ptxCacheHints(tile::CacheModifier cache,
                                 tile::EvictionPolicy evict) {
  if (cache != tile::CacheModifier::None)
    return "." + tile::stringifyCacheModifier(cache).str();
  if (evict != tile::EvictionPolicy::Normal)
    return ".L1::" + tile::stringifyEvictionPolicy(evict).str();
  return "";
}

/// AMD's forms of Triton's hints, as LLVM flags the AMDGPU backend turns
/// into cache-policy bits: streaming (`.cs`) and `evict_first` accesses are
/// non-temporal (`nt`), and `.cv` loads are volatile (they bypass the caches:
/// `sc0 sc1` on gfx942). The other hints have no such form and are ignored.
struct AmdCacheHints {
  bool nontemporal = false, isVolatile = false;
  AmdCacheHints(const TargetInfo &target, tile::CacheModifier cache,
                tile::EvictionPolicy evict) {
    if (target.kind != TargetKind::AMD)
      return;
    nontemporal = cache == tile::CacheModifier::CS ||
                  (cache == tile::CacheModifier::None &&
                   evict == tile::EvictionPolicy::First);
    isVolatile = cache == tile::CacheModifier::CV;
  }
};

/// A global access of `bytes` bytes in PTX registers: 16-bit ones, or
/// 32-bit ones (up to a v4); 0 registers when PTX has no such access.
static std::pair<unsigned, unsigned> ptxRegisters(int64_t bytes) {
  if (bytes == 2)
    return {1, 16};
  if (bytes >= 4 && bytes <= 16 && bytes % 4 == 0 &&
      llvm::isPowerOf2_64(bytes / 4))
    return {unsigned(bytes / 4), 32};
  return {0, 0};
}

/// `ld.global<hints>` of a `type` value (a scalar or a vector chunk) as
/// inline PTX; null when PTX has no access of that width.
static Value ptxLoad(OpBuilder &b, Location loc, Type type, Value ptr,
                     StringRef hints) {
  int64_t bytes = memoryBytes(getElementTypeOrSelf(type)) *
                  (isa<VectorType>(type) ? cast<VectorType>(type).getNumElements()
                                         : 1);
  auto [count, bits] = ptxRegisters(bytes);
  if (!count)
    return {};
  Type reg = b.getIntegerType(bits);
  std::string regs, constraints;
  for (unsigned i = 0; i < count; ++i) {
    regs += (i ? ", $" : "$") + std::to_string(i);
    constraints += std::string(i ? "," : "") + (bits == 16 ? "=h" : "=r");
  }
  std::string text = "ld.global" + hints.str() +
                     (count > 1 ? ".v" + std::to_string(count) : "") + ".b" +
                     std::to_string(bits) + " " +
                     (count > 1 ? "{" + regs + "}" : regs) + ", [$" +
                     std::to_string(count) + "];";
  Type result = count == 1 ? reg
                           : LLVM::LLVMStructType::getLiteral(
                                 b.getContext(), SmallVector<Type>(count, reg));
  auto load = LLVM::InlineAsmOp::create(
      b, loc, result, ValueRange{ptr}, text, constraints + ",l",
      /*has_side_effects=*/true, /*is_align_stack=*/false,
      LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
  load->setAttr(tilegpu::kGlobalMemoryOnlyAttr, b.getUnitAttr());
  Value raw = load.getResult(0);
  if (count > 1) {
    SmallVector<Value> parts;
    for (unsigned i = 0; i < count; ++i)
      parts.push_back(LLVM::ExtractValueOp::create(b, loc, raw, i));
    raw = pack(b, loc, VectorType::get({count}, reg), parts);
  }
  return LLVM::BitcastOp::create(b, loc, type, raw);
}

/// `st.global<hints>` of `value`; false when PTX has no store of that width.
static bool ptxStore(OpBuilder &b, Location loc, Value value, Value ptr,
                     StringRef hints) {
  Type type = value.getType();
  int64_t bytes = memoryBytes(getElementTypeOrSelf(type)) *
                  (isa<VectorType>(type) ? cast<VectorType>(type).getNumElements()
                                         : 1);
  auto [count, bits] = ptxRegisters(bytes);
  if (!count)
    return false;
  Type reg = b.getIntegerType(bits);
  Value raw = LLVM::BitcastOp::create(
      b, loc, count == 1 ? reg : VectorType::get({count}, reg), value);
  SmallVector<Value> operands{ptr};
  std::string regs, constraints = "l";
  for (unsigned i = 0; i < count; ++i) {
    operands.push_back(count == 1 ? raw : extract(b, loc, raw, i));
    regs += (i ? ", $" : "$") + std::to_string(i + 1);
    constraints += bits == 16 ? ",h" : ",r";
  }
  std::string text = "st.global" + hints.str() +
                     (count > 1 ? ".v" + std::to_string(count) : "") + ".b" +
                     std::to_string(bits) + " [$0], " +
                     (count > 1 ? "{" + regs + "}" : regs) + ";";
  auto store = LLVM::InlineAsmOp::create(
      b, loc, LLVM::LLVMVoidType::get(b.getContext()), operands, text,
      constraints, /*has_side_effects=*/true, /*is_align_stack=*/false,
      LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
  store->setAttr(tilegpu::kGlobalMemoryOnlyAttr, b.getUnitAttr());
  return true;
}

namespace {
template <typename Op>
struct MemoryPattern : TileGPUOpPattern<Op> {
  using TileGPUOpPattern<Op>::TileGPUOpPattern;
  using TileGPUOpPattern<Op>::state;

  /// Elements per access and their alignment in bytes.
  std::pair<int64_t, int64_t> accessWidth(Value ptr, Value mask,
                                          Type elem) const {
    auto tensor = cast<RankedTensorType>(ptr.getType());
    LinearLayout layout = *toLinearLayout(tensor);
    int64_t bytes = memoryBytes(elem);
    ArrayRef<LinearLayout::Coord> regBases =
        layout.getBases(LinearLayout::Register);
    if (regBases.empty())
      return {1, bytes};
    // The dimension along which registers are consecutive, if any.
    unsigned dim = 0;
    while (dim < layout.getRank() && regBases[0][dim] != 1)
      ++dim;
    if (dim == layout.getRank())
      return {1, bytes};
    int64_t vec = std::min(layout.getContiguousRegisters(dim),
                           state.axisInfo->getPtrContiguity(ptr, dim));
    int64_t align = state.axisInfo->getPtrAlignment(ptr, dim);
    if (state.target.isGPU()) {
      vec = std::min(vec, std::max<int64_t>(1, 16 / bytes));
      vec = std::min(vec, std::max<int64_t>(1, align / bytes));
      vec = std::min(vec, state.axisInfo->getMaskConstancy(mask, dim));
    }
    vec = std::max<int64_t>(vec, 1);
    // Elements are at least naturally aligned, as in C and Triton.
    return {vec, std::max(bytes, std::min(align, vec * bytes))};
  }
};

struct AddPtrOpLowering : MemoryPattern<tile::AddPtrOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult
  matchAndRewrite(tile::AddPtrOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type pointee = tile::getPointeeTypeLike(op.getType());
    Type elem = memoryType(getElementTypeOrSelf(pointee));
    if (isa<tile::PointerType>(elem))
      elem = LLVM::LLVMPointerType::get(getContext(),
                                        getTypeConverter<TileGPUTypeConverter>()
                                            ->globalAddressSpace());
    Type resultType = getTypeConverter()->convertType(op.getType());
    rewriter.replaceOpWithNewOp<LLVM::GEPOp>(op, resultType, elem,
                                             adaptor.getPtr(),
                                             ValueRange{adaptor.getOffset()});
    return success();
  }
};

struct LoadOpLowering : MemoryPattern<tile::LoadOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult
  matchAndRewrite(tile::LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type resultType = getTypeConverter()->convertType(op.getType());
    Type elem = getElementTypeOrSelf(resultType);
    Type memElem = memoryType(elem);
    Value ptrs = adaptor.getPtr(), mask = adaptor.getMask(),
          other = adaptor.getOther();
    auto fromMemory = [&](OpBuilder &b, Value v) -> Value {
      if (memElem == elem)
        return v;
      Value zero = LLVM::ZeroOp::create(b, loc, v.getType());
      return LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, v, zero);
    };
    auto fallback = [&](OpBuilder &b, Type type, Value otherPart) -> Value {
      if (otherPart)
        return otherPart;
      return LLVM::ZeroOp::create(b, loc, type);
    };

    // Cache hints reach NVIDIA's PTX; a volatile load is LLVM's.
    std::string hints = state.target.kind == TargetKind::NVIDIA && !op.getIsVolatile()
                            ? ptxCacheHints(op.getCache(), op.getEvict())
                            : "";
    AmdCacheHints amd(state.target, op.getCache(), op.getEvict());
    auto access = [&](OpBuilder &b, Type type, Value ptr,
                      int64_t align) -> Value {
      if (!hints.empty())
        if (Value v = ptxLoad(b, loc, type, ptr, hints))
          return v;
      return LLVM::LoadOp::create(b, loc, type, ptr, align,
                                  op.getIsVolatile() || amd.isVolatile,
                                  amd.nontemporal);
    };

    auto vecType = dyn_cast<VectorType>(resultType);
    if (!vecType) {
      Value v = guarded(
          rewriter, loc, mask, elem,
          [&](OpBuilder &b) {
            return fromMemory(b, access(b, memElem, ptrs, 0));
          },
          [&](OpBuilder &b) { return fallback(b, elem, other); });
      rewriter.replaceOp(op, v);
      return success();
    }

    auto [vec, align] = accessWidth(op.getPtr(), op.getMask(), memElem);
    int64_t numRegs = vecType.getNumElements();
    if (!state.target.isGPU()) {
      Value result = cpuLoad(rewriter, loc, vecType, memElem, ptrs, mask, other,
                             vec, align);
      rewriter.replaceOp(op, fromMemory(rewriter, result));
      return success();
    }
    SmallVector<Value> elems;
    for (int64_t start = 0; start < numRegs; start += vec) {
      Type chunkType = vec == 1 ? memElem : VectorType::get({vec}, memElem);
      Type valueType = vec == 1 ? elem : VectorType::get({vec}, elem);
      Value ptr = extract(rewriter, loc, ptrs, start);
      Value pred = mask ? extract(rewriter, loc, mask, start) : Value();
      Value chunk = guarded(
          rewriter, loc, pred, valueType,
          [&](OpBuilder &b) {
            return fromMemory(b, access(b, chunkType, ptr, align));
          },
          [&](OpBuilder &b) -> Value {
            if (!other)
              return LLVM::ZeroOp::create(b, loc, valueType);
            if (vec == 1)
              return extract(b, loc, other, start);
            SmallVector<int32_t> lanes = registerRange(start, vec);
            return LLVM::ShuffleVectorOp::create(b, loc, other, other, lanes);
          });
      for (int64_t i = 0; i < vec; ++i)
        elems.push_back(vec == 1 ? chunk : extract(rewriter, loc, chunk, i));
    }
    rewriter.replaceOp(op, pack(rewriter, loc, vecType, elems));
    return success();
  }

  Value cpuLoad(OpBuilder &b, Location loc, VectorType vecType, Type memElem,
                Value ptrs, Value mask, Value other, int64_t vec,
                int64_t align) const {
    int64_t numRegs = vecType.getNumElements();
    auto memVecType = VectorType::get({numRegs}, memElem);
    if (other && memElem != vecType.getElementType())
      other = LLVM::ZExtOp::create(b, loc, memVecType, other);
    if (!other)
      other = LLVM::ZeroOp::create(b, loc, memVecType);
    if (!mask)
      mask = LLVM::ConstantOp::create(b, 
          loc, VectorType::get({numRegs}, b.getI1Type()),
          DenseElementsAttr::get(VectorType::get({numRegs}, b.getI1Type()),
                                 true));
    if (vec == 1)
      return LLVM::masked_gather::create(b, loc, memVecType, ptrs, mask, other,
                                           align);
    SmallVector<Value> chunks;
    auto chunkType = VectorType::get({vec}, memElem);
    for (int64_t start = 0; start < numRegs; start += vec) {
      SmallVector<int32_t> lanes = registerRange(start, vec);
      Value chunkMask = vec == numRegs ? mask : shuffle(b, loc, mask, lanes);
      Value chunkOther = vec == numRegs ? other : shuffle(b, loc, other, lanes);
      chunks.push_back(LLVM::MaskedLoadOp::create(b, 
          loc, chunkType, extract(b, loc, ptrs, start), chunkMask, chunkOther,
          align));
    }
    return concat(b, loc, chunks);
  }

  /// Concatenates equal-width vectors by pairwise shuffles.
  static Value concat(OpBuilder &b, Location loc, SmallVector<Value> parts) {
    while (parts.size() > 1) {
      SmallVector<Value> next;
      for (size_t i = 0; i < parts.size(); i += 2) {
        int64_t n = cast<VectorType>(parts[i].getType()).getNumElements();
        next.push_back(LLVM::ShuffleVectorOp::create(b, 
            loc, parts[i], parts[i + 1], registerRange(0, 2 * n)));
      }
      parts = std::move(next);
    }
    return parts.front();
  }
};

struct StoreOpLowering : MemoryPattern<tile::StoreOp> {
  using MemoryPattern::MemoryPattern;
  LogicalResult
  matchAndRewrite(tile::StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value ptrs = adaptor.getPtr(), values = adaptor.getValue(),
          mask = adaptor.getMask();
    Type elem = getElementTypeOrSelf(values.getType());
    Type memElem = memoryType(elem);
    if (memElem != elem)
      values = LLVM::ZExtOp::create(rewriter, 
          loc, withElement(values.getType(), memElem), values);

    std::string hints = state.target.kind == TargetKind::NVIDIA
                            ? ptxCacheHints(op.getCache(), op.getEvict())
                            : "";
    AmdCacheHints amd(state.target, op.getCache(), op.getEvict());
    auto access = [&](OpBuilder &b, Value value, Value ptr, int64_t align) {
      if (hints.empty() || !ptxStore(b, loc, value, ptr, hints))
        LLVM::StoreOp::create(b, loc, value, ptr, align, /*isVolatile=*/false,
                              amd.nontemporal);
    };

    auto vecType = dyn_cast<VectorType>(values.getType());
    if (!vecType) {
      // One thread stores a scalar.
      Value pred = mask;
      if (state.target.isGPU()) {
        auto [lane, warp] = laneAndWarp(rewriter, loc, state);
        Value first = LLVM::ICmpOp::create(rewriter, 
            loc, LLVM::ICmpPredicate::eq,
            LLVM::OrOp::create(rewriter, loc, lane, warp),
            i32Const(rewriter, loc, 0));
        pred = andOf(rewriter, loc, pred, first);
      }
      guarded(rewriter, loc, pred,
              [&](OpBuilder &b) { access(b, values, ptrs, 0); });
      rewriter.eraseOp(op);
      return success();
    }

    auto [vec, align] = accessWidth(op.getPtr(), op.getMask(), memElem);
    int64_t numRegs = vecType.getNumElements();
    if (!state.target.isGPU()) {
      cpuStore(rewriter, loc, values, ptrs, mask, vec, align);
      rewriter.eraseOp(op);
      return success();
    }
    LinearLayout layout =
        *toLinearLayout(cast<RankedTensorType>(op.getPtr().getType()));
    Value owner = ownerPredicate(rewriter, loc, layout, state);
    for (int64_t start = 0; start < numRegs; start += vec) {
      if (layout.isDuplicateRegister(start))
        continue;
      Value ptr = extract(rewriter, loc, ptrs, start);
      Value pred = mask ? extract(rewriter, loc, mask, start) : Value();
      pred = andOf(rewriter, loc, pred, owner);
      Value chunk;
      if (vec == 1) {
        chunk = extract(rewriter, loc, values, start);
      } else {
        SmallVector<int32_t> lanes = registerRange(start, vec);
        chunk = LLVM::ShuffleVectorOp::create(rewriter, loc, values, values, lanes);
      }
      guarded(rewriter, loc, pred,
              [&](OpBuilder &b) { access(b, chunk, ptr, align); });
    }
    rewriter.eraseOp(op);
    return success();
  }

  void cpuStore(OpBuilder &b, Location loc, Value values, Value ptrs,
                Value mask, int64_t vec, int64_t align) const {
    int64_t numRegs = cast<VectorType>(values.getType()).getNumElements();
    auto maskType = VectorType::get({numRegs}, b.getI1Type());
    if (!mask)
      mask = LLVM::ConstantOp::create(b, loc, maskType,
                                        DenseElementsAttr::get(maskType, true));
    if (vec == 1) {
      LLVM::masked_scatter::create(b, loc, values, ptrs, mask, align);
      return;
    }
    for (int64_t start = 0; start < numRegs; start += vec) {
      SmallVector<int32_t> lanes = registerRange(start, vec);
      Value chunk = vec == numRegs ? values : shuffle(b, loc, values, lanes);
      Value chunkMask = vec == numRegs ? mask : shuffle(b, loc, mask, lanes);
      LLVM::MaskedStoreOp::create(b, loc, chunk, extract(b, loc, ptrs, start),
                                    chunkMask, align);
    }
  }
};
} // namespace

void tessel::populateMemoryOpsToLLVMPatterns(TileGPUTypeConverter &converter,
                                             const LoweringState &state,
                                             RewritePatternSet &patterns) {
  patterns.add<AddPtrOpLowering, LoadOpLowering, StoreOpLowering>(converter,
                                                                 state);
  // Pointers are untyped in LLVM: a pointer cast is the pointer itself.
  patterns.add<ForwardOperandLowering<tile::PtrCastOp>>(converter,
                                                        patterns.getContext());
}
