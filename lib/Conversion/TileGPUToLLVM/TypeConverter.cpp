//===- TypeConverter.cpp - tensors to per-thread vectors ------------------===//
#include "PatternUtils.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::tilegpu;

TileGPUTypeConverter::TileGPUTypeConverter(MLIRContext *ctx,
                                           const TargetInfo &target)
    : target(target), ctx(ctx) {
  addConversion([](Type type) -> std::optional<Type> {
    if (isa<RankedTensorType, tile::PointerType, tile::TensorMapType>(type))
      return std::nullopt;
    return type;
  });
  // The address of the 128-byte kernel parameter (a generic pointer).
  addConversion([ctx](tile::TensorMapType) -> Type {
    return LLVM::LLVMPointerType::get(ctx);
  });
  addConversion([this, ctx](tile::PointerType type) -> Type {
    return LLVM::LLVMPointerType::get(ctx, globalAddressSpace());
  });
  addConversion([this](RankedTensorType type) -> std::optional<Type> {
    auto layout = toLinearLayout(type);
    if (failed(layout))
      return std::nullopt;
    Type elem = convertType(type.getElementType());
    if (!elem)
      return std::nullopt;
    return VectorType::get({layout->getSize(LinearLayout::Register)}, elem);
  });
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs,
                 Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

bool tessel::basesMoveAlongAxisAlone(const LinearLayout &layout,
                                     unsigned axis) {
  for (auto in :
       {LinearLayout::Register, LinearLayout::Lane, LinearLayout::Warp})
    for (const LinearLayout::Coord &basis : layout.getBases(in))
      if (basis[axis] != 0 &&
          llvm::count(basis, 0) != int64_t(layout.getRank()) - 1)
        return false;
  return true;
}

int64_t tessel::memoryBytes(Type type) {
  if (isa<LLVM::LLVMPointerType, tile::PointerType>(type))
    return 8;
  return std::max(1u, type.getIntOrFloatBitWidth() / 8);
}

int64_t tessel::sharedRowLength(ArrayRef<int64_t> shape) {
  return std::max<int64_t>(32, shape.size() >= 2 ? shape.back() : 32);
}

int64_t tessel::paddedSharedElements(ArrayRef<int64_t> shape) {
  int64_t n = ShapedType::getNumElements(shape);
  return n + n / sharedRowLength(shape);
}

bool tessel::isRegisterOnlyConversion(const LinearLayout &from,
                                      const LinearLayout &to) {
  return from.sameBases(to, LinearLayout::Lane) &&
         from.sameBases(to, LinearLayout::Warp);
}

LLVM::InlineAsmOp llvmutil::asmStatement(OpBuilder &b, Location loc,
                                         Type result, ValueRange operands,
                                         StringRef text, StringRef constraints) {
  return LLVM::InlineAsmOp::create(
      b, loc, result, operands, text, constraints, /*has_side_effects=*/true,
      /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
      /*operand_attrs=*/ArrayAttr());
}

Value llvmutil::sharedScratch(OpBuilder &b, Location loc,
                              const LoweringState &state) {
  auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
  Value base = LLVM::AddressOfOp::create(b, loc, sharedPtr, state.sharedSymbol);
  if (!state.scratchOffset)
    return base;
  return LLVM::GEPOp::create(b, loc, sharedPtr, b.getI8Type(), base,
                             ValueRange{i32Const(b, loc, state.scratchOffset)});
}

Value llvmutil::sharedBase(OpBuilder &b, Location loc,
                           const LoweringState &state, Value offset) {
  auto sharedPtr = LLVM::LLVMPointerType::get(b.getContext(), 3);
  Value base = LLVM::AddressOfOp::create(b, loc, sharedPtr, state.sharedSymbol);
  return LLVM::GEPOp::create(b, loc, sharedPtr, b.getI8Type(), base,
                             ValueRange{offset});
}

Value llvmutil::i32Const(OpBuilder &b, Location loc, int64_t value) {
  return LLVM::ConstantOp::create(b, loc, b.getI32Type(),
                                    b.getI32IntegerAttr(value));
}

Value llvmutil::extract(OpBuilder &b, Location loc, Value vec, int64_t index) {
  return LLVM::ExtractElementOp::create(b, loc, vec, i32Const(b, loc, index));
}

Value llvmutil::insert(OpBuilder &b, Location loc, Value vec, Value elem,
                       int64_t index) {
  return LLVM::InsertElementOp::create(b, loc, vec, elem,
                                         i32Const(b, loc, index));
}

Value llvmutil::splat(OpBuilder &b, Location loc, Value scalar,
                      VectorType type) {
  Value poison = LLVM::PoisonOp::create(b, loc, type);
  Value one = insert(b, loc, poison, scalar, 0);
  if (type.getNumElements() == 1)
    return one;
  SmallVector<int32_t> zeros(type.getNumElements(), 0);
  return LLVM::ShuffleVectorOp::create(b, loc, one, one, zeros);
}

Value llvmutil::shuffle(OpBuilder &b, Location loc, Value vec,
                        ArrayRef<int32_t> mask) {
  auto type = cast<VectorType>(vec.getType());
  bool identity = int64_t(mask.size()) == type.getNumElements();
  for (auto [i, m] : llvm::enumerate(mask))
    identity &= int64_t(i) == m;
  if (identity)
    return vec;
  return LLVM::ShuffleVectorOp::create(b, loc, vec, vec, mask);
}

SmallVector<int32_t> llvmutil::registerRange(int64_t start, int64_t count) {
  SmallVector<int32_t> lanes;
  for (int64_t i = 0; i < count; ++i)
    lanes.push_back(start + i);
  return lanes;
}

Value llvmutil::pack(OpBuilder &b, Location loc, VectorType type,
                     ArrayRef<Value> elems) {
  Value vec = LLVM::PoisonOp::create(b, loc, type);
  for (auto [i, e] : llvm::enumerate(elems))
    vec = insert(b, loc, vec, e, i);
  return vec;
}

Operation *llvmutil::barrier(OpBuilder &b, Location loc,
                             const LoweringState &state) {
  // A warp-specialized kernel's code other than its producer runs on the
  // consumer warps alone: their own named barrier.
  if (state.target.kind == TargetKind::NVIDIA && state.producerWarps)
    return asmStatement(b, loc, LLVM::LLVMVoidType::get(b.getContext()), {},
                        "bar.sync " + std::to_string(kConsumerBarrierId) +
                            ", " +
                            std::to_string(state.numWarps * state.threadsPerWarp) +
                            ";",
                        "");
  if (state.target.kind == TargetKind::NVIDIA)
    return NVVM::Barrier0Op::create(b, loc);
  if (state.target.kind == TargetKind::AMD)
    return ROCDL::BarrierOp::create(b, loc);
  return nullptr;
}

SmallVector<Value> llvmutil::combine(Region &region, OpBuilder &b,
                                     ArrayRef<Value> lhs,
                                     ArrayRef<Value> rhs) {
  Block &body = region.front();
  IRMapping map;
  unsigned n = lhs.size();
  for (unsigned i = 0; i < n; ++i) {
    map.map(body.getArgument(i), lhs[i]);
    map.map(body.getArgument(n + i), rhs[i]);
  }
  for (Operation &inner : body.without_terminator())
    b.clone(inner, map);
  SmallVector<Value> out;
  for (Value v : body.getTerminator()->getOperands())
    out.push_back(map.lookupOrDefault(v));
  return out;
}

SmallVector<Value> llvmutil::combineVectors(Region &region, OpBuilder &b,
                                            ArrayRef<Value> lhs,
                                            ArrayRef<Value> rhs) {
  Block &body = region.front();
  int64_t width = cast<VectorType>(lhs.front().getType()).getNumElements();
  auto widen = [&](Type t) -> Type { return VectorType::get({width}, t); };
  IRMapping map;
  unsigned n = lhs.size();
  for (unsigned i = 0; i < n; ++i) {
    map.map(body.getArgument(i), lhs[i]);
    map.map(body.getArgument(n + i), rhs[i]);
  }
  for (Operation &inner : body.without_terminator()) {
    if (auto cst = dyn_cast<arith::ConstantOp>(inner)) {
      auto type = cast<VectorType>(widen(cst.getType()));
      map.map(cst.getResult(),
              arith::ConstantOp::create(b, 
                   cst.getLoc(), type,
                   DenseElementsAttr::get(type, cst.getValue()))
                  .getResult());
      continue;
    }
    SmallVector<Value> operands;
    for (Value v : inner.getOperands()) {
      Value mapped = map.lookupOrNull(v);
      if (!mapped) {
        // Defined outside the region (a hoisted constant, say): every
        // element sees the same scalar.
        mapped = splat(b, inner.getLoc(), v,
                       cast<VectorType>(widen(v.getType())));
        map.map(v, mapped);
      }
      operands.push_back(mapped);
    }
    SmallVector<Type> types;
    for (Type t : inner.getResultTypes())
      types.push_back(widen(t));
    OperationState state(inner.getLoc(), inner.getName(), operands, types,
                         inner.getAttrs());
    Operation *vectorOp = b.create(state);
    map.map(inner.getResults(), vectorOp->getResults());
  }
  SmallVector<Value> out;
  for (Value v : body.getTerminator()->getOperands())
    out.push_back(map.lookupOrDefault(v));
  return out;
}

std::pair<Value, Value> llvmutil::laneAndWarp(OpBuilder &b, Location loc,
                                              const LoweringState &state) {
  if (!state.target.isGPU()) {
    Value zero = i32Const(b, loc, 0);
    return {zero, zero};
  }
  Value tid;
  if (state.target.kind == TargetKind::NVIDIA)
    tid = NVVM::ThreadIdXOp::create(b, loc, b.getI32Type());
  else
    tid = ROCDL::ThreadIdXOp::create(b, loc, b.getI32Type());
  unsigned lanes = state.threadsPerWarp;
  Value lane = LLVM::AndOp::create(b, loc, tid, i32Const(b, loc, lanes - 1));
  Value warp = LLVM::LShrOp::create(b, loc, tid,
                                      i32Const(b, loc, llvm::Log2_32(lanes)));
  return {lane, warp};
}

SmallVector<Value> llvmutil::threadCoordinates(OpBuilder &b, Location loc,
                                               const LinearLayout &layout,
                                               const LoweringState &state) {
  unsigned rank = layout.getRank();
  SmallVector<Value> coords(rank, Value());
  if (!state.target.isGPU() || (layout.getNumBits(LinearLayout::Lane) == 0 &&
                                layout.getNumBits(LinearLayout::Warp) == 0)) {
    for (auto &c : coords)
      c = i32Const(b, loc, 0);
    return coords;
  }
  auto [lane, warp] = laneAndWarp(b, loc, state);
  Value zero = i32Const(b, loc, 0);
  for (auto &c : coords)
    c = zero;
  for (auto [in, index] : {std::pair{LinearLayout::Lane, lane},
                           std::pair{LinearLayout::Warp, warp}}) {
    for (auto [bit, basis] : llvm::enumerate(layout.getBases(in))) {
      // ((index >> bit) & 1) * basis[d], XORed into each coordinate.
      Value set = LLVM::AndOp::create(b, 
          loc, LLVM::LShrOp::create(b, loc, index, i32Const(b, loc, bit)),
          i32Const(b, loc, 1));
      for (unsigned d = 0; d < rank; ++d) {
        if (basis[d] == 0)
          continue;
        Value term = LLVM::MulOp::create(b, loc, set, i32Const(b, loc, basis[d]));
        coords[d] = LLVM::XOrOp::create(b, loc, coords[d], term);
      }
    }
  }
  return coords;
}

Value llvmutil::ownerPredicate(OpBuilder &b, Location loc,
                               const LinearLayout &layout,
                               const LoweringState &state) {
  if (!state.target.isGPU())
    return {};
  int64_t laneMask = 0, warpMask = 0;
  for (unsigned bit : layout.getZeroBits(LinearLayout::Lane))
    laneMask |= int64_t(1) << bit;
  for (unsigned bit : layout.getZeroBits(LinearLayout::Warp))
    warpMask |= int64_t(1) << bit;
  // Lanes and warps beyond the layout's bits hold copies too.
  laneMask |= int64_t(state.threadsPerWarp) - layout.getSize(LinearLayout::Lane);
  warpMask |= int64_t(state.numWarps) - layout.getSize(LinearLayout::Warp);
  laneMask &= state.threadsPerWarp - 1;
  warpMask &= state.numWarps - 1;
  if (!laneMask && !warpMask)
    return {};
  auto [lane, warp] = laneAndWarp(b, loc, state);
  Value bits = LLVM::OrOp::create(b, 
      loc, LLVM::AndOp::create(b, loc, lane, i32Const(b, loc, laneMask)),
      LLVM::AndOp::create(b, loc, warp, i32Const(b, loc, warpMask)));
  return LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, bits,
                                i32Const(b, loc, 0));
}

using namespace tessel::llvmutil;

static Value shuffle32(OpBuilder &b, Location loc, Value word, unsigned mask,
                     const LoweringState &state) {
  Type i32 = b.getI32Type();
  if (state.target.kind == TargetKind::NVIDIA) {
    Value all = i32Const(b, loc, -1);
    return NVVM::ShflOp::create(b, loc, i32, all, word, i32Const(b, loc, mask),
                                  i32Const(b, loc, 0x1f), NVVM::ShflKind::bfly,
                                  UnitAttr());
  }
  // AMD: ds_bpermute takes the source lane's byte address.
  auto [lane, warp] = laneAndWarp(b, loc, state);
  Value src = LLVM::XOrOp::create(b, loc, lane, i32Const(b, loc, mask));
  Value address = LLVM::ShlOp::create(b, loc, src, i32Const(b, loc, 2));
  return ROCDL::DsBpermuteOp::create(b, loc, i32, address, word);
}


Value llvmutil::entryAlloca(OpBuilder &b, Location loc, Type elem,
                           int64_t count, unsigned alignment) {
  OpBuilder::InsertionGuard guard(b);
  Operation *func = b.getInsertionBlock()->getParentOp();
  while (!isa<FunctionOpInterface>(func))
    func = func->getParentOp();
  b.setInsertionPointToStart(&func->getRegion(0).front());
  Value size = LLVM::ConstantOp::create(b, loc, b.getI64Type(),
                                          b.getI64IntegerAttr(count));
  return LLVM::AllocaOp::create(b, 
      loc, LLVM::LLVMPointerType::get(b.getContext()), elem, size, alignment);
}

/// The value `v` of lane (lane ^ mask).
Value llvmutil::shuffleXor(OpBuilder &b, Location loc, Value v, unsigned mask,
                         const LoweringState &state) {
  Type type = v.getType();
  unsigned bits = isa<LLVM::LLVMPointerType>(type)
                      ? 64
                      : type.getIntOrFloatBitWidth();
  Type i32 = b.getI32Type();
  if (bits == 64) {
    // Two 32-bit halves.
    Type i64 = b.getI64Type();
    Value whole = isa<LLVM::LLVMPointerType>(type)
                      ? LLVM::PtrToIntOp::create(b, loc, i64, v).getResult()
                      : LLVM::BitcastOp::create(b, loc, i64, v).getResult();
    Value lo = LLVM::TruncOp::create(b, loc, i32, whole);
    Value hi = LLVM::TruncOp::create(b, 
        loc, i32,
        LLVM::LShrOp::create(b, loc, whole,
                               LLVM::ConstantOp::create(b, 
                                   loc, i64, b.getI64IntegerAttr(32))));
    lo = LLVM::ZExtOp::create(b, loc, i64, shuffle32(b, loc, lo, mask, state));
    hi = LLVM::ZExtOp::create(b, loc, i64, shuffle32(b, loc, hi, mask, state));
    Value joined = LLVM::OrOp::create(b, 
        loc, lo,
        LLVM::ShlOp::create(b, loc, hi,
                              LLVM::ConstantOp::create(b, 
                                  loc, i64, b.getI64IntegerAttr(32))));
    if (isa<LLVM::LLVMPointerType>(type))
      return LLVM::IntToPtrOp::create(b, loc, type, joined);
    return LLVM::BitcastOp::create(b, loc, type, joined);
  }
  Value word = v;
  if (bits < 32) {
    Type narrow = b.getIntegerType(bits);
    if (type != narrow)
      word = LLVM::BitcastOp::create(b, loc, narrow, word);
    word = LLVM::ZExtOp::create(b, loc, i32, word);
  } else if (type != i32) {
    word = LLVM::BitcastOp::create(b, loc, i32, word);
  }
  Value shuffled = shuffle32(b, loc, word, mask, state);
  if (bits < 32) {
    Type narrow = b.getIntegerType(bits);
    shuffled = LLVM::TruncOp::create(b, loc, narrow, shuffled);
    if (type != narrow)
      shuffled = LLVM::BitcastOp::create(b, loc, type, shuffled);
    return shuffled;
  }
  return type == i32 ? shuffled
                     : LLVM::BitcastOp::create(b, loc, type, shuffled);
}

