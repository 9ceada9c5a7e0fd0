//===- TileOpsToLoops.cpp - CPU loops of stores, reductions, scans, dots --===//
//
// Ops that consume tiles (stores, atomics, prints, assertions) run one loop
// over chunks and evaluate their operands' recipes inside it. Reductions,
// scans and dots read stored operands as [outer, axis, inner] and vectorize
// over the inner dimension (or along the axis when nothing is inner).
//
//===----------------------------------------------------------------------===//
#include "CPULowering.h"
#include "lib/Conversion/TileGPUToLLVM/PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::cpu;

using Values = SmallVector<Value>;

/// scf.for over [lo, hi) by `step` (i64) carrying `inits`; straight-line code
/// when it runs once.
static Values loop(FunctionLowering &l, OpBuilder &b, Location loc, int64_t lo,
                   int64_t hi, int64_t step, ValueRange inits,
                   function_ref<Values(OpBuilder &, Value, ValueRange)> body) {
  if (hi <= lo)
    return llvm::to_vector(inits);
  if (hi - lo <= step)
    return body(b, l.i64Const(b, loc, lo), inits);
  auto forOp = scf::ForOp::create(b, loc, l.i64Const(b, loc, lo),
                                  l.i64Const(b, loc, hi),
                                  l.i64Const(b, loc, step), inits);
  OpBuilder ob = loopBodyBuilder(forOp);
  Values results = body(ob, forOp.getInductionVar(), forOp.getRegionIterArgs());
  if (!inits.empty())
    scf::YieldOp::create(ob, loc, results);
  return forOp.getResults();
}

static Value addI64(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}
static Value mulI64(FunctionLowering &l, OpBuilder &b, Location loc, Value x,
                    int64_t y) {
  return arith::MulIOp::create(b, loc, x, l.i64Const(b, loc, y));
}

Values FunctionLowering::combine(OpBuilder &b, Region &region,
                                 ArrayRef<Value> lhs, ArrayRef<Value> rhs) {
  Block &body = region.front();
  int64_t width = cast<VectorType>(lhs.front().getType()).getNumElements();
  IRMapping map;
  unsigned n = lhs.size();
  for (unsigned i = 0; i < n; ++i) {
    map.map(body.getArgument(i), lhs[i]);
    map.map(body.getArgument(n + i), rhs[i]);
  }
  for (Operation &inner : body.without_terminator()) {
    Location loc = inner.getLoc();
    if (auto cst = dyn_cast<arith::ConstantOp>(inner)) {
      auto type = VectorType::get({width}, cst.getType());
      map.map(cst.getResult(),
              arith::ConstantOp::create(
                  b, loc, type, DenseElementsAttr::get(type, cst.getValue()))
                  .getResult());
      continue;
    }
    Values operands;
    for (Value v : inner.getOperands()) {
      Value mapped = map.lookupOrNull(v);
      if (!mapped) {
        // Defined outside the region (a shared constant): every lane sees it.
        mapped = llvmutil::splat(b, loc, scalar(v),
                                 VectorType::get({width}, scalar(v).getType()));
        map.map(v, mapped);
      }
      operands.push_back(mapped);
    }
    if (auto check = dyn_cast<tile::AssertOp>(inner)) {
      // Assertions in a combine function check every lane.
      Value all;
      for (int64_t t = 0; t < width; ++t)
        all = llvmutil::andOf(b, loc, all,
                              llvmutil::extract(b, loc, operands[0], t));
      emitAssertIfFalse(b, loc, check, all);
      continue;
    }
    Operation *vectorOp = rebuildElementwise(b, &inner, operands, width);
    map.map(inner.getResults(), vectorOp->getResults());
  }
  Values out;
  for (Value v : body.getTerminator()->getOperands())
    out.push_back(map.lookup(v));
  return out;
}

/// A tile's shape around one axis: the product of the dimensions before it,
/// its length, the product of those after it. A struct, not a tuple: the
/// loop lambdas capture its fields (C++17 cannot capture structured bindings).
struct AxisSplit {
  int64_t outer, length, inner;
};

static AxisSplit splitAround(ArrayRef<int64_t> shape, unsigned axis) {
  int64_t outer = 1, inner = 1;
  for (unsigned d = 0; d < axis; ++d)
    outer *= shape[d];
  for (unsigned d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  return {outer, shape[axis], inner};
}

static bool regionIsElementwise(Region &region) {
  for (Operation &op : region.front().without_terminator())
    if (op.getNumRegions() ||
        (!isa<arith::ArithDialect, math::MathDialect>(op.getDialect()) &&
         !isa<tile::AssertOp>(op)))
      return false;
  return true;
}

/// A reduction's or scan's inputs, stored, with their element types.
template <typename Op>
static FailureOr<std::pair<Values, SmallVector<Type>>>
storedCombineInputs(FunctionLowering &l, OpBuilder &b, Op op) {
  if (!regionIsElementwise(op.getCombineOp()))
    return op.emitOpError("combine functions on the CPU may use arith and "
                          "math operations only");
  Values srcs;
  SmallVector<Type> elems;
  for (Value src : op.getSrcs()) {
    srcs.push_back(l.bufferOf(b, src).ptr);
    elems.push_back(cast<RankedTensorType>(src.getType()).getElementType());
  }
  return std::make_pair(srcs, elems);
}

LogicalResult FunctionLowering::lowerReduce(OpBuilder &b, tile::ReduceOp op) {
  Location loc = op.getLoc();
  auto inputs = storedCombineInputs(*this, b, op);
  if (failed(inputs))
    return failure();
  Values &srcs = inputs->first;
  SmallVector<Type> &elems = inputs->second;
  auto srcType = cast<RankedTensorType>(op.getSrcs()[0].getType());
  // Plain copies: the loop lambdas capture them.
  AxisSplit split = splitAround(srcType.getShape(), op.getAxis());
  int64_t outer = split.outer, length = split.length, inner = split.inner;
  Values outs;
  bool scalarResults = !isa<RankedTensorType>(op.getResult(0).getType());
  if (!scalarResults)
    for (Type elem : elems)
      outs.push_back(allocBuffer(b, loc, elem, outer * inner));
  auto loadAll = [&](OpBuilder &ob, Value at, int64_t width) {
    Values v;
    for (auto [buf, elem] : llvm::zip(srcs, elems))
      v.push_back(loadBufferChunk(ob, loc, buf, elem, at, width));
    return v;
  };
  Values scalarsOut;
  if (inner > 1) {
    // Vectors across the inner dimensions, accumulated along the axis.
    int64_t width = std::min(vectorWidth, inner);
    loop(*this, b, loc, 0, outer, 1, {}, [&](OpBuilder &ob, Value o,
                                             ValueRange) {
      loop(*this, ob, loc, 0, inner, width, {}, [&](OpBuilder &ib, Value i,
                                                    ValueRange) {
        Value start = addI64(ib, loc, mulI64(*this, ib, loc, o, length * inner), i);
        Values acc = loop(
            *this, ib, loc, 1, length, 1, loadAll(ib, start, width),
            [&](OpBuilder &kb, Value k, ValueRange accs) {
              Value at = addI64(kb, loc, start, mulI64(*this, kb, loc, k, inner));
              return combine(kb, op.getCombineOp(), llvm::to_vector(accs),
                             loadAll(kb, at, width));
            });
        Value outAt = addI64(ib, loc, mulI64(*this, ib, loc, o, inner), i);
        for (auto [buf, elem, v] : llvm::zip(outs, elems, acc))
          storeBufferChunk(ib, loc, buf, elem, outAt, v);
        return Values{};
      });
      return Values{};
    });
  } else {
    // Vectors along the axis, then halved until one lane is left.
    int64_t width = std::min(vectorWidth, length);
    auto reduceRow = [&](OpBuilder &ob, Value o) {
      Value start = mulI64(*this, ob, loc, o, length);
      Values acc = loop(*this, ob, loc, width, length, width,
                        loadAll(ob, start, width),
                        [&](OpBuilder &kb, Value k, ValueRange accs) {
                          return combine(kb, op.getCombineOp(),
                                         llvm::to_vector(accs),
                                         loadAll(kb, addI64(kb, loc, start, k),
                                                 width));
                        });
      for (int64_t half = width / 2; half >= 1; half /= 2) {
        Values lo, hi;
        for (Value v : acc) {
          lo.push_back(llvmutil::shuffle(ob, loc, v,
                                         llvmutil::registerRange(0, half)));
          hi.push_back(llvmutil::shuffle(ob, loc, v,
                                         llvmutil::registerRange(half, half)));
        }
        acc = combine(ob, op.getCombineOp(), lo, hi);
      }
      return acc;
    };
    if (scalarResults) {
      for (Value v : reduceRow(b, i64Const(b, loc, 0)))
        scalarsOut.push_back(llvmutil::extract(b, loc, v, 0));
    } else {
      loop(*this, b, loc, 0, outer, 1, {}, [&](OpBuilder &ob, Value o,
                                               ValueRange) {
        for (auto [buf, elem, v] : llvm::zip(outs, elems, reduceRow(ob, o)))
          storeBufferChunk(ob, loc, buf, elem, o, v);
        return Values{};
      });
    }
  }
  for (auto [i, result] : llvm::enumerate(op.getResults())) {
    if (scalarResults) {
      if (inner > 1)
        return op.emitOpError("a reduction to scalars has one dimension");
      scalars[result] = scalarsOut[i];
    } else {
      buffers[result] = {outs[i], /*owned=*/true};
    }
  }
  return success();
}

LogicalResult FunctionLowering::lowerScan(OpBuilder &b, tile::ScanOp op) {
  Location loc = op.getLoc();
  auto inputs = storedCombineInputs(*this, b, op);
  if (failed(inputs))
    return failure();
  Values &srcs = inputs->first;
  SmallVector<Type> &elems = inputs->second;
  auto srcType = cast<RankedTensorType>(op.getSrcs()[0].getType());
  // Plain copies: the loop lambdas capture them.
  AxisSplit split = splitAround(srcType.getShape(), op.getAxis());
  int64_t outer = split.outer, length = split.length, inner = split.inner;
  Values outs;
  for (Type elem : elems)
    outs.push_back(allocBuffer(b, loc, elem, srcType.getNumElements()));
  bool reverse = op.getReverse();
  int64_t width = std::min(vectorWidth, inner);
  loop(*this, b, loc, 0, outer, 1, {}, [&](OpBuilder &ob, Value o,
                                           ValueRange) {
    loop(*this, ob, loc, 0, inner, width, {}, [&](OpBuilder &ib, Value i,
                                                  ValueRange) {
      Value row = addI64(ib, loc, mulI64(*this, ib, loc, o, length * inner), i);
      auto at = [&](OpBuilder &kb, Value step) {
        // Position `step` along the scan order.
        Value k = reverse ? arith::SubIOp::create(
                                kb, loc, i64Const(kb, loc, length - 1), step)
                                .getResult()
                          : step;
        return addI64(kb, loc, row, mulI64(*this, kb, loc, k, inner));
      };
      Value first = at(ib, i64Const(ib, loc, 0));
      Values init;
      for (auto [buf, out, elem] : llvm::zip(srcs, outs, elems)) {
        init.push_back(loadBufferChunk(ib, loc, buf, elem, first, width));
        storeBufferChunk(ib, loc, out, elem, first, init.back());
      }
      loop(*this, ib, loc, 1, length, 1, init,
           [&](OpBuilder &kb, Value k, ValueRange accs) {
             Value pos = at(kb, k);
             Values x;
             for (auto [buf, elem] : llvm::zip(srcs, elems))
               x.push_back(loadBufferChunk(kb, loc, buf, elem, pos, width));
             Values next =
                 combine(kb, op.getCombineOp(), llvm::to_vector(accs), x);
             for (auto [out, elem, v] : llvm::zip(outs, elems, next))
               storeBufferChunk(kb, loc, out, elem, pos, v);
             return next;
           });
      return Values{};
    });
    return Values{};
  });
  for (auto [i, result] : llvm::enumerate(op.getResults()))
    buffers[result] = {outs[i], /*owned=*/true};
  return success();
}

/// Converts a dot operand vector (or scalar) to the accumulator's type.
static Value toAccumulator(OpBuilder &b, Location loc, Value v, Type accElem) {
  Type elem = getElementTypeOrSelf(v.getType());
  if (elem == accElem)
    return v;
  Type to = accElem;
  if (auto vec = dyn_cast<VectorType>(v.getType()))
    to = VectorType::get(vec.getShape(), accElem);
  if (isa<FloatType>(accElem))
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::ExtSIOp::create(b, loc, to, v);
}

LogicalResult FunctionLowering::lowerDot(OpBuilder &b, tile::DotOp op) {
  Location loc = op.getLoc();
  auto aType = cast<RankedTensorType>(op.getA().getType());
  auto bType = cast<RankedTensorType>(op.getB().getType());
  auto accType = cast<RankedTensorType>(op.getAcc().getType());
  unsigned rank = aType.getRank();
  int64_t batch = rank == 3 ? aType.getShape()[0] : 1;
  int64_t m = aType.getShape()[rank - 2], k = aType.getShape()[rank - 1];
  int64_t n = bType.getShape()[rank - 1];
  Type aElem = aType.getElementType(), bElem = bType.getElementType();
  Type accElem = accType.getElementType();
  Value aBuf = bufferOf(b, op.getA()).ptr;
  Value bBuf = bufferOf(b, op.getB()).ptr;
  // The accumulator is updated in place when nothing else reads it.
  Value acc = op.getAcc();
  Value out;
  auto it = buffers.find(acc);
  if (it != buffers.end() && it->second.owned && acc.hasOneUse() &&
      acc.getParentBlock() == op->getBlock())
    out = it->second.ptr;
  if (!out) {
    out = allocBuffer(b, loc, accElem, accType.getNumElements());
    emitInto(b, loc, acc, out);
  }
  int64_t width = std::min(vectorWidth, n);
  // Rows of A per step: each load of B feeds that many multiply-adds.
  int64_t rows = std::min<int64_t>(4, m);
  bool isFloat = isa<FloatType>(accElem);
  loop(*this, b, loc, 0, batch, 1, {}, [&](OpBuilder &bb, Value batchIdx,
                                           ValueRange) {
    Value aBatch = mulI64(*this, bb, loc, batchIdx, m * k);
    Value bBatch = mulI64(*this, bb, loc, batchIdx, k * n);
    Value cBatch = mulI64(*this, bb, loc, batchIdx, m * n);
    loop(*this, bb, loc, 0, m, rows, {}, [&](OpBuilder &mb, Value row,
                                             ValueRange) {
      loop(*this, mb, loc, 0, n, width, {}, [&](OpBuilder &nb, Value col,
                                                ValueRange) {
        Values cAt, init;
        for (int64_t r = 0; r < rows; ++r) {
          Value rowR = addI64(nb, loc, row, i64Const(nb, loc, r));
          cAt.push_back(addI64(
              nb, loc, addI64(nb, loc, cBatch, mulI64(*this, nb, loc, rowR, n)),
              col));
          init.push_back(loadBufferChunk(nb, loc, out, accElem, cAt[r], width));
        }
        Values sums = loop(
            *this, nb, loc, 0, k, 1, init,
            [&](OpBuilder &kb, Value kk, ValueRange accs) {
              Value bAt = addI64(
                  kb, loc, addI64(kb, loc, bBatch, mulI64(*this, kb, loc, kk, n)),
                  col);
              Value bVec = toAccumulator(
                  kb, loc, loadBufferChunk(kb, loc, bBuf, bElem, bAt, width),
                  accElem);
              Values next;
              for (int64_t r = 0; r < rows; ++r) {
                Value rowR = addI64(kb, loc, row, i64Const(kb, loc, r));
                Value aAt = addI64(
                    kb, loc,
                    addI64(kb, loc, aBatch, mulI64(*this, kb, loc, rowR, k)), kk);
                Value aScalar = LLVM::LoadOp::create(
                    kb, loc, storageType(aElem),
                    elementPtr(kb, loc, aBuf, aElem, aAt));
                Value aVec = llvmutil::splat(
                    kb, loc, toAccumulator(kb, loc, aScalar, accElem),
                    cast<VectorType>(bVec.getType()));
                next.push_back(
                    isFloat ? Value(math::FmaOp::create(kb, loc, aVec, bVec,
                                                        accs[r]))
                            : Value(arith::AddIOp::create(
                                  kb, loc, accs[r],
                                  arith::MulIOp::create(kb, loc, aVec, bVec))));
              }
              return next;
            });
        for (int64_t r = 0; r < rows; ++r)
          storeBufferChunk(nb, loc, out, accElem, cAt[r], sums[r]);
        return Values{};
      });
      return Values{};
    });
    return Values{};
  });
  buffers[op.getResult()] = {out, /*owned=*/true};
  return success();
}

LogicalResult FunctionLowering::lowerStore(OpBuilder &b, tile::StoreOp op) {
  Location loc = op.getLoc();
  int64_t n = numElements(op.getPtr());
  int64_t width = chunkWidth(n);
  forEachChunk(b, loc, n, width, [&](OpBuilder &ob, Value base) {
    Value ptrs = chunk(ob, op.getPtr(), base, width);
    Value value = chunk(ob, op.getValue(), base, width);
    Value mask = op.getMask() ? chunk(ob, op.getMask(), base, width) : Value();
    storeThroughPointers(ob, loc, op.getPtr(), ptrs, value, mask, width);
  });
  return success();
}

LogicalResult FunctionLowering::lowerAtomic(OpBuilder &b, Operation *op) {
  Location loc = op->getLoc();
  auto rmw = dyn_cast<tile::AtomicRMWOp>(op);
  auto cas = dyn_cast<tile::AtomicCASOp>(op);
  Value ptr = rmw ? rmw.getPtr() : cas.getPtr();
  Value mask = rmw ? rmw.getMask() : Value();
  Type elem = computeType(getElementTypeOrSelf(op->getResult(0).getType()));
  // One element: the atomic under its mask; 0 where the mask is clear.
  auto one = [&](OpBuilder &ob, ArrayRef<Value> operands, Value pred) {
    return llvmutil::guarded(
        ob, loc, pred, elem,
        [&](OpBuilder &gb) -> Value {
          if (rmw)
            return llvmutil::atomicRMW(gb, loc, rmw.getKind(), rmw.getSem(), "",
                                       operands[0], operands[1]);
          return llvmutil::atomicCAS(gb, loc, cas.getSem(), "", operands[0],
                                     operands[1], operands[2]);
        },
        [&](OpBuilder &gb) -> Value { return LLVM::ZeroOp::create(gb, loc, elem); });
  };
  SmallVector<Value> operandsOld = {ptr};
  if (rmw)
    operandsOld.push_back(rmw.getVal());
  else
    operandsOld.append({cas.getCmp(), cas.getVal()});
  Value result = op->getResult(0);
  if (!isa<RankedTensorType>(ptr.getType())) {
    SmallVector<Value> operands;
    for (Value v : operandsOld)
      operands.push_back(scalar(v));
    scalars[result] = one(b, operands, mask ? scalar(mask) : Value());
    return success();
  }
  int64_t n = numElements(ptr);
  Type resultElem = cast<RankedTensorType>(result.getType()).getElementType();
  Value out = result.use_empty() ? Value() : allocBuffer(b, loc, resultElem, n);
  forEachChunk(b, loc, n, 1, [&](OpBuilder &ob, Value index) {
    SmallVector<Value> operands;
    for (Value v : operandsOld)
      operands.push_back(
          llvmutil::extract(ob, loc, chunk(ob, v, index, 1), 0));
    Value pred =
        mask ? llvmutil::extract(ob, loc, chunk(ob, mask, index, 1), 0) : Value();
    Value old = one(ob, operands, pred);
    if (out)
      LLVM::StoreOp::create(ob, loc, old,
                            elementPtr(ob, loc, out, resultElem, index));
  });
  if (out)
    buffers[result] = {out, /*owned=*/true};
  return success();
}

LogicalResult FunctionLowering::lowerPrint(OpBuilder &b, tile::PrintOp op) {
  Location loc = op.getLoc();
  TargetInfo cpu;
  std::string prefix = llvmutil::escapePercent(op.getPrefix());
  Value shaped;
  for (Value v : op.getArgs())
    if (isa<RankedTensorType>(v.getType()))
      shaped = v;
  auto printOne = [&](OpBuilder &ob, Value index) {
    Values args;
    for (Value pid : op.getPids())
      args.push_back(scalar(pid));
    std::string format = "pid (%d, %d, %d)";
    if (shaped) {
      auto shape = cast<RankedTensorType>(shaped.getType()).getShape();
      format += " idx (";
      int64_t stride = 1;
      Values coords(shape.size());
      for (int d = int(shape.size()) - 1; d >= 0; --d) {
        Value c = arith::ShRUIOp::create(ob, loc, index,
                                         i64Const(ob, loc, llvm::Log2_64(stride)));
        c = arith::AndIOp::create(ob, loc, c, i64Const(ob, loc, shape[d] - 1));
        coords[d] = arith::TruncIOp::create(ob, loc, ob.getI32Type(), c);
        stride *= shape[d];
      }
      for (auto [d, c] : llvm::enumerate(coords)) {
        format += d ? ", %d" : "%d";
        args.push_back(c);
      }
      format += ")";
    }
    format += " " + prefix;
    for (auto [i, v] : llvm::enumerate(op.getArgs())) {
      Value elem = isa<RankedTensorType>(v.getType())
                       ? llvmutil::extract(ob, loc, chunk(ob, v, index, 1), 0)
                       : scalar(v);
      auto [arg, spec] =
          llvmutil::printfArg(ob, loc, elem, op.getIsSigned()[i], op.getHex());
      format += (i ? ", " : "") + spec;
      args.push_back(arg);
    }
    format += "\n";
    llvmutil::emitPrintf(ob, loc, cpu, format, args);
  };
  if (!shaped) {
    printOne(b, Value());
    return success();
  }
  forEachChunk(b, loc, numElements(shaped), 1, printOne);
  return success();
}

void cpu::emitAssertIfFalse(OpBuilder &b, Location loc, tile::AssertOp op,
                            Value all) {
  Value failed = arith::XOrIOp::create(
      b, loc, all, arith::ConstantOp::create(b, loc, b.getBoolAttr(true)));
  llvmutil::guarded(b, loc, failed, [&](OpBuilder &gb) {
    llvmutil::emitAssertFail(gb, loc, TargetInfo{}, op);
  });
}

LogicalResult FunctionLowering::lowerAssert(OpBuilder &b, tile::AssertOp op) {
  Location loc = op.getLoc();
  auto check = [&](OpBuilder &ob, Value all) {
    emitAssertIfFalse(ob, loc, op, all);
  };
  Value cond = op.getCond();
  if (!isa<RankedTensorType>(cond.getType())) {
    check(b, scalar(cond));
    return success();
  }
  int64_t n = numElements(cond);
  int64_t width = chunkWidth(n);
  forEachChunk(b, loc, n, width, [&](OpBuilder &ob, Value base) {
    Value lanes = chunk(ob, cond, base, width);
    Value all;
    for (int64_t t = 0; t < width; ++t)
      all = llvmutil::andOf(ob, loc, all, llvmutil::extract(ob, loc, lanes, t));
    check(ob, all);
  });
  return success();
}
