//===- ChunkEmitter.cpp - one vector chunk of a deferred tile -------------===//
//
// A chunk is elements [base, base + width) of a tile in row-major order, with
// `width` a power of two and `base` a multiple of it. Shapes are powers of
// two, so each coordinate of an element is a bit field of its flat index, and
// the bits of `base` and of the lane never overlap: any index map that is
// linear in the coordinates (transposes, gathers off the axis) splits into a
// scalar part from `base` plus a constant vector from the lanes.
//
//===----------------------------------------------------------------------===//
#include "CPULowering.h"
#include "lib/Conversion/TileGPUToLLVM/PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::cpu;

static int64_t log2(int64_t v) { return llvm::Log2_64(uint64_t(v)); }

/// Row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Coordinate `dim` of flat index `flat` (any integer) in `shape`.
static int64_t coordinate(int64_t flat, ArrayRef<int64_t> shape, unsigned dim) {
  return (flat >> log2(stridesOf(shape)[dim])) & (shape[dim] - 1);
}

Value FunctionLowering::elementPtr(OpBuilder &b, Location loc, Value buffer,
                                   Type elem, Value index) {
  return LLVM::GEPOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()),
                             storageType(elem), buffer, ValueRange{index});
}

Value FunctionLowering::loadBufferChunk(OpBuilder &b, Location loc,
                                        Value buffer, Type elem, Value base,
                                        int64_t width) {
  Type storage = storageType(elem);
  int64_t bytes = memoryBytes(storage);
  Value ptr = elementPtr(b, loc, buffer, elem, base);
  Value v = LLVM::LoadOp::create(b, loc, VectorType::get({width}, storage), ptr,
                                 std::min<int64_t>(64, width * bytes));
  if (storage != computeType(elem))
    v = LLVM::ICmpOp::create(
        b, loc, LLVM::ICmpPredicate::ne, v,
        LLVM::ZeroOp::create(b, loc, VectorType::get({width}, storage)));
  return v;
}

void FunctionLowering::storeBufferChunk(OpBuilder &b, Location loc,
                                        Value buffer, Type elem, Value base,
                                        Value vec) {
  Type storage = storageType(elem);
  int64_t width = cast<VectorType>(vec.getType()).getNumElements();
  if (storage != computeType(elem))
    vec = LLVM::ZExtOp::create(b, loc, VectorType::get({width}, storage), vec);
  LLVM::StoreOp::create(b, loc, vec, elementPtr(b, loc, buffer, elem, base),
                        std::min<int64_t>(64, width * memoryBytes(storage)));
}

void FunctionLowering::forEachChunk(
    OpBuilder &b, Location loc, int64_t n, int64_t width,
    function_ref<void(OpBuilder &, Value)> body) {
  if (n == width) {
    forgetChunks();
    body(b, i64Const(b, loc, 0));
    forgetChunks();
    return;
  }
  auto forOp = scf::ForOp::create(b, loc, i64Const(b, loc, 0),
                                  i64Const(b, loc, n), i64Const(b, loc, width));
  OpBuilder ob = loopBodyBuilder(forOp);
  forgetChunks();
  body(ob, forOp.getInductionVar());
  forgetChunks();
}

OpBuilder cpu::loopBodyBuilder(scf::ForOp loop) {
  // Bodies are filled after the loop is in place, so that code emitted in
  // them can find the function and module around it.
  Block *body = loop.getBody();
  OpBuilder b = OpBuilder::atBlockEnd(body);
  if (!body->empty() && body->back().hasTrait<OpTrait::IsTerminator>())
    b.setInsertionPoint(&body->back());
  return b;
}

/// A vector of i64 constants.
static Value i64Vector(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
  auto type = VectorType::get({int64_t(values.size())}, b.getI64Type());
  return arith::ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, values));
}

/// Whether a chunk of `width` elements of pointer tile `ptr` addresses
/// consecutive elements, and the alignment in bytes of its first address.
static std::pair<bool, int64_t> accessShape(const AxisInfoAnalysis &axis,
                                            Value ptr, int64_t width,
                                            int64_t bytes) {
  auto type = cast<RankedTensorType>(ptr.getType());
  unsigned last = type.getRank() - 1;
  bool contiguous = width == 1 || (width <= type.getShape()[last] &&
                                   axis.getPtrContiguity(ptr, last) >= width);
  int64_t align = std::min(axis.getPtrAlignment(ptr, last), width * bytes);
  return {contiguous, std::max(bytes, align)};
}

static Value allTrue(OpBuilder &b, Location loc, int64_t width) {
  auto type = VectorType::get({width}, b.getI1Type());
  return arith::ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, true));
}

void FunctionLowering::storeThroughPointers(OpBuilder &b, Location loc,
                                            Value ptrOperand, Value ptrs,
                                            Value vec, Value mask,
                                            int64_t width) {
  Type elem = getElementTypeOrSelf(vec.getType());
  Type storage = storageType(elem);
  if (storage != elem)
    vec = LLVM::ZExtOp::create(b, loc, VectorType::get({width}, storage), vec);
  int64_t bytes = memoryBytes(storage);
  auto [contiguous, align] = accessShape(axisInfo, ptrOperand, width, bytes);
  if (!contiguous) {
    LLVM::masked_scatter::create(b, loc, vec, ptrs,
                                 mask ? mask : allTrue(b, loc, width), align);
    return;
  }
  Value first = llvmutil::extract(b, loc, ptrs, 0);
  if (mask)
    LLVM::MaskedStoreOp::create(b, loc, vec, first, mask, align);
  else
    LLVM::StoreOp::create(b, loc, vec, first, align);
}

namespace {
/// Computes chunks of the ops a FunctionLowering deferred.
struct ChunkBuilder {
  FunctionLowering &lowering;
  OpBuilder &b;
  Value base;
  int64_t width;
  Location loc;

  Value get(Value v, Value at, int64_t w) { return lowering.chunk(b, v, at, w); }
  Value get(Value v) { return get(v, base, width); }
  Value c64(int64_t v) { return lowering.i64Const(b, loc, v); }
  VectorType vecOf(Value tensor, int64_t w) {
    return lowering.vectorType(
        cast<RankedTensorType>(tensor.getType()).getElementType(), w);
  }

  /// Σ over dims of coordinate(base, dim) * scale[dim], as an i64 value.
  Value linearOfBase(ArrayRef<int64_t> shape, ArrayRef<int64_t> scale) {
    SmallVector<int64_t> strides = stridesOf(shape);
    Value sum = c64(0);
    for (unsigned d = 0; d < shape.size(); ++d) {
      if (scale[d] == 0 || strides[d] * shape[d] <= width)
        continue; // A dimension the lanes cover: base has no bits there.
      Value coord = arith::ShRUIOp::create(b, loc, base, c64(log2(strides[d])));
      coord = arith::AndIOp::create(b, loc, coord, c64(shape[d] - 1));
      coord = arith::MulIOp::create(b, loc, coord, c64(scale[d]));
      sum = arith::AddIOp::create(b, loc, sum, coord);
    }
    return sum;
  }
  /// The same for each lane's part of the flat index.
  SmallVector<int64_t> linearOfLanes(ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> scale) {
    SmallVector<int64_t> out;
    for (int64_t t = 0; t < width; ++t) {
      int64_t sum = 0;
      for (unsigned d = 0; d < shape.size(); ++d)
        sum += coordinate(t, shape, d) * scale[d];
      out.push_back(sum);
    }
    return out;
  }
  /// Loads lanes of a stored tile at `start` + `offsets` (i64 vector).
  Value gatherFromBuffer(Value tensor, Value start, Value offsets) {
    Type elem = cast<RankedTensorType>(tensor.getType()).getElementType();
    Type storage = lowering.storageType(elem);
    Buffer buf = lowering.bufferOf(b, tensor);
    Value first = lowering.elementPtr(b, loc, buf.ptr, elem, start);
    auto ptrVec =
        VectorType::get({width}, LLVM::LLVMPointerType::get(b.getContext()));
    Value ptrs = LLVM::GEPOp::create(b, loc, ptrVec, storage, first,
                                     ValueRange{offsets});
    Value v = LLVM::masked_gather::create(
        b, loc, VectorType::get({width}, storage), ptrs, allTrue(b, loc, width),
        ValueRange{}, memoryBytes(storage));
    if (storage != lowering.computeType(elem))
      v = LLVM::ICmpOp::create(
          b, loc, LLVM::ICmpPredicate::ne, v,
          LLVM::ZeroOp::create(b, loc, VectorType::get({width}, storage)));
    return v;
  }

  Value constant(arith::ConstantOp op) {
    auto dense = cast<DenseElementsAttr>(op.getValue());
    auto type = vecOf(op.getResult(), width);
    return arith::ConstantOp::create(
        b, loc, type, DenseElementsAttr::get(type, dense.getSplatValue<Attribute>()));
  }

  Value makeRange(tile::MakeRangeOp op) {
    SmallVector<int32_t> lanes;
    for (int64_t t = 0; t < width; ++t)
      lanes.push_back(op.getStart() + int32_t(t));
    auto type = VectorType::get({width}, b.getI32Type());
    Value iota = arith::ConstantOp::create(b, loc, type,
                                           DenseElementsAttr::get(type, ArrayRef<int32_t>(lanes)));
    Value start = arith::TruncIOp::create(b, loc, b.getI32Type(), base);
    return arith::AddIOp::create(b, loc, iota,
                                 llvmutil::splat(b, loc, start, type));
  }

  Value broadcast(tile::BroadcastOp op) {
    ArrayRef<int64_t> r = op.getType().getShape();
    ArrayRef<int64_t> s = op.getSrc().getType().getShape();
    unsigned n = r.size();
    SmallVector<int64_t> suffix(n + 1, 1);
    for (int i = int(n) - 1; i >= 0; --i)
      suffix[i] = suffix[i + 1] * r[i];
    // Dims j.. lie whole inside the chunk, dim j-1 partly.
    unsigned j = 0;
    while (suffix[j] > width)
      ++j;
    SmallVector<int64_t> srcStrides = stridesOf(s), extent(n, 1);
    int64_t srcWidth = 1;
    for (unsigned i = j ? j - 1 : 0; i < n; ++i) {
      extent[i] = i + 1 == j ? width / suffix[j] : r[i];
      if (s[i] != 1)
        srcWidth *= extent[i];
    }
    SmallVector<int64_t> scale(n, 0);
    for (unsigned i = 0; i < n; ++i)
      if (s[i] != 1)
        scale[i] = srcStrides[i];
    Value srcBase = linearOfBase(r, scale);
    SmallVector<int32_t> mask;
    for (int64_t t = 0; t < width; ++t) {
      int64_t rem = t, off = 0;
      for (int i = int(n) - 1; i >= int(j ? j - 1 : 0); --i) {
        int64_t ti = rem % extent[i];
        rem /= extent[i];
        if (s[i] != 1)
          off += ti * srcStrides[i];
      }
      mask.push_back(int32_t(off));
    }
    Value src = get(op.getSrc(), srcBase, srcWidth);
    return llvmutil::shuffle(b, loc, src, mask);
  }

  Value addPtr(tile::AddPtrOp op) {
    Type pointee = lowering.storageType(
        cast<tile::PointerType>(getElementTypeOrSelf(op.getType()))
            .getPointeeType());
    return LLVM::GEPOp::create(b, loc, vecOf(op.getResult(), width), pointee,
                               get(op.getPtr()), ValueRange{get(op.getOffset())});
  }

  Value load(tile::LoadOp op) {
    Type elem = getElementTypeOrSelf(op.getType());
    Type storage = lowering.storageType(elem);
    auto storageVec = VectorType::get({width}, storage);
    int64_t bytes = memoryBytes(storage);
    Value ptrs = get(op.getPtr());
    Value mask = op.getMask() ? get(op.getMask()) : Value();
    Value other = op.getOther()
                      ? get(op.getOther())
                      : Value(LLVM::ZeroOp::create(b, loc, vecOf(op.getResult(),
                                                                  width)));
    if (storage != lowering.computeType(elem))
      other = LLVM::ZExtOp::create(b, loc, storageVec, other);
    auto [contiguous, align] =
        accessShape(lowering.axis(), op.getPtr(), width, bytes);
    Value v;
    if (!contiguous) {
      v = LLVM::masked_gather::create(b, loc, storageVec, ptrs,
                                      mask ? mask : allTrue(b, loc, width),
                                      ValueRange{other}, bytes);
    } else {
      Value first = llvmutil::extract(b, loc, ptrs, 0);
      if (mask)
        v = LLVM::MaskedLoadOp::create(b, loc, storageVec, first, mask, other,
                                       align);
      else
        v = LLVM::LoadOp::create(b, loc, storageVec, first, align,
                                 op.getIsVolatile());
    }
    if (storage != lowering.computeType(elem))
      v = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, v,
                               LLVM::ZeroOp::create(b, loc, storageVec));
    return v;
  }

  FailureOr<Value> externCall(tile::ExternElementwiseOp op) {
    Type elem = lowering.computeType(getElementTypeOrSelf(op.getType()));
    SmallVector<Type> params;
    SmallVector<Value> args;
    for (Value v : op.getSrcs()) {
      args.push_back(get(v));
      params.push_back(getElementTypeOrSelf(args.back().getType()));
    }
    auto callee = llvmutil::externCallee(op, b, TargetInfo{}, elem, params);
    if (failed(callee))
      return failure();
    SmallVector<Value> lanes;
    for (int64_t t = 0; t < width; ++t) {
      SmallVector<Value> laneArgs;
      for (Value a : args)
        laneArgs.push_back(llvmutil::extract(b, loc, a, t));
      lanes.push_back(
          llvmutil::callExtern(b, loc, *callee, laneArgs, op.getPure()));
    }
    return llvmutil::pack(b, loc, VectorType::get({width}, elem), lanes);
  }

  Value trans(tile::TransOp op) {
    ArrayRef<int64_t> r = op.getType().getShape();
    SmallVector<int64_t> srcStrides =
        stridesOf(op.getSrc().getType().getShape());
    SmallVector<int64_t> scale;
    for (int32_t d : op.getOrder())
      scale.push_back(srcStrides[d]);
    return gatherFromBuffer(op.getSrc(), linearOfBase(r, scale),
                            i64Vector(b, loc, linearOfLanes(r, scale)));
  }

  Value gather(tile::GatherOp op) {
    ArrayRef<int64_t> r = op.getType().getShape();
    unsigned axis = op.getAxis();
    SmallVector<int64_t> scale = stridesOf(op.getSrc().getType().getShape());
    int64_t axisStride = scale[axis];
    scale[axis] = 0;
    Value index = get(op.getIndex());
    auto i64Vec = VectorType::get({width}, b.getI64Type());
    if (index.getType() != i64Vec)
      index = arith::ExtSIOp::create(b, loc, i64Vec, index);
    Value offsets = arith::AddIOp::create(
        b, loc, i64Vector(b, loc, linearOfLanes(r, scale)),
        arith::MulIOp::create(
            b, loc, index,
            llvmutil::splat(b, loc, c64(axisStride), i64Vec)));
    return gatherFromBuffer(op.getSrc(), linearOfBase(r, scale), offsets);
  }

  Value join(tile::JoinOp op) {
    Value half = arith::ShRUIOp::create(b, loc, base, c64(1));
    if (width == 1) {
      Value odd = arith::TruncIOp::create(b, loc, b.getI1Type(), base);
      return arith::SelectOp::create(b, loc, odd, get(op.getRhs(), half, 1),
                                     get(op.getLhs(), half, 1));
    }
    Value lhs = get(op.getLhs(), half, width / 2);
    Value rhs = get(op.getRhs(), half, width / 2);
    SmallVector<int32_t> mask;
    for (int64_t t = 0; t < width; ++t)
      mask.push_back(int32_t(t / 2 + (t % 2) * (width / 2)));
    return LLVM::ShuffleVectorOp::create(b, loc, lhs, rhs, mask);
  }

  Value split(tile::SplitOp op, unsigned which) {
    Value twice = arith::ShLIOp::create(b, loc, base, c64(1));
    Value src = get(op.getSrc(), twice, 2 * width);
    SmallVector<int32_t> mask;
    for (int64_t t = 0; t < width; ++t)
      mask.push_back(int32_t(2 * t + which));
    return LLVM::ShuffleVectorOp::create(b, loc, src, src, mask);
  }

  Value xorPermute(tile::XorPermuteOp op) {
    ArrayRef<int64_t> shape = op.getType().getShape();
    int64_t flatMask = op.getMask() << log2(stridesOf(shape)[op.getAxis()]);
    int64_t lanes = flatMask & (width - 1), high = flatMask & ~(width - 1);
    Value srcBase =
        high ? Value(arith::XOrIOp::create(b, loc, base, c64(high))) : base;
    Value src = get(op.getSrc(), srcBase, width);
    SmallVector<int32_t> mask;
    for (int64_t t = 0; t < width; ++t)
      mask.push_back(int32_t(t ^ lanes));
    return llvmutil::shuffle(b, loc, src, mask);
  }
};
} // namespace

Value FunctionLowering::chunk(OpBuilder &b, Value v, Value base,
                              int64_t width) {
  if (!isa<RankedTensorType>(v.getType()))
    return scalar(v);
  auto key = std::make_tuple(v, base, width);
  if (auto it = chunkCache.find(key); it != chunkCache.end())
    return it->second;
  Location loc = v.getLoc();
  Value result;
  if (auto it = buffers.find(v); it != buffers.end()) {
    result = loadBufferChunk(b, loc, it->second.ptr,
                             cast<RankedTensorType>(v.getType()).getElementType(),
                             base, width);
  } else {
    Operation *op = v.getDefiningOp();
    assert(op && "a tile block argument without a buffer");
    ChunkBuilder cb{*this, b, base, width, loc};
    result =
        llvm::TypeSwitch<Operation *, Value>(op)
            .Case([&](arith::ConstantOp c) { return cb.constant(c); })
            .Case([&](tile::SplatOp s) {
              return llvmutil::splat(b, loc, scalar(s.getSrc()),
                                     cb.vecOf(s.getResult(), width));
            })
            .Case([&](tile::MakeRangeOp r) { return cb.makeRange(r); })
            .Case([&](tile::BroadcastOp o) { return cb.broadcast(o); })
            .Case<tile::ExpandDimsOp, tile::ReshapeOp, tile::HintOp,
                  tile::PtrCastOp>([&](Operation *o) {
              return chunk(b, o->getOperand(0), base, width);
            })
            .Case([&](tile::AddPtrOp o) { return cb.addPtr(o); })
            .Case([&](tile::LoadOp o) {
              evaluatedLoads.insert(o.getResult());
              return cb.load(o);
            })
            .Case([&](tile::ExternElementwiseOp o) -> Value {
              FailureOr<Value> r = cb.externCall(o);
              return succeeded(r) ? *r : Value();
            })
            .Case([&](tile::TransOp o) { return cb.trans(o); })
            .Case([&](tile::GatherOp o) { return cb.gather(o); })
            .Case([&](tile::JoinOp o) { return cb.join(o); })
            .Case([&](tile::SplitOp o) {
              return cb.split(o, cast<OpResult>(v).getResultNumber());
            })
            .Case([&](tile::XorPermuteOp o) { return cb.xorPermute(o); })
            .Default([&](Operation *o) -> Value {
              SmallVector<Value> operands;
              for (Value operand : o->getOperands())
                operands.push_back(chunk(b, operand, base, width));
              Operation *vectorOp =
                  rebuildElementwise(b, o, operands, width);
              return vectorOp->getResult(cast<OpResult>(v).getResultNumber());
            });
  }
  chunkCache[key] = result;
  return result;
}
