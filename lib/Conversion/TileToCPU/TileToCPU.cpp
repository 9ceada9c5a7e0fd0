//===- TileToCPU.cpp - the convert-tile-to-cpu pass -----------------------===//
//
// Walks each function of Tile IR in program order and rebuilds it with
// scalars, LLVM pointers, vector chunks and loops (CPULowering.h). Control
// flow carries tiles in buffers: a loop-carried tile lives in one buffer that
// each iteration's yield overwrites.
//
//===----------------------------------------------------------------------===//
#include "CPULowering.h"
#include "lib/Conversion/TileGPUToLLVM/PatternUtils.h"

#include "dialects/TileGPU/IR/TileGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace tessel {
#define GEN_PASS_DEF_CONVERTTILETOCPU
#include "passes/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::cpu;

/// Deferred values at most this costly are recomputed by every consumer
/// rather than stored (address and mask arithmetic).
static constexpr int kRecomputeCost = 8;
/// Tiles up to this many bytes live on the stack, as long as the function's
/// stack buffers stay under kStackBudget; larger ones on the heap.
static constexpr int64_t kStackBufferBytes = 64 * 1024;
static constexpr int64_t kStackBudget = 256 * 1024;

static bool isTensor(Type t) { return isa<RankedTensorType>(t); }
static bool hasTensors(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), isTensor) ||
         llvm::any_of(op->getResultTypes(), isTensor);
}

FunctionLowering::FunctionLowering(
    func::FuncOp oldFunc, func::FuncOp newFunc,
    const AxisInfoAnalysis &axisInfo, int64_t vectorWidth,
    const llvm::StringMap<FunctionType> &oldSignatures)
    : oldFunc(oldFunc), newFunc(newFunc), axisInfo(axisInfo),
      vectorWidth(vectorWidth), oldSignatures(oldSignatures) {}

Type FunctionLowering::computeType(Type elem) const {
  if (isa<tile::PointerType>(elem))
    return LLVM::LLVMPointerType::get(elem.getContext());
  return elem;
}

Type FunctionLowering::storageType(Type elem) const {
  if (elem.isInteger(1))
    return IntegerType::get(elem.getContext(), 8);
  return computeType(elem);
}

VectorType FunctionLowering::vectorType(Type elem, int64_t width) const {
  return VectorType::get({width}, computeType(elem));
}

int64_t FunctionLowering::numElements(Value tensor) {
  return cast<RankedTensorType>(tensor.getType()).getNumElements();
}

Value FunctionLowering::i64Const(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
}

Value FunctionLowering::scalar(Value v) const {
  auto it = scalars.find(v);
  assert(it != scalars.end() && "scalar used before it was lowered");
  return it->second;
}

SmallVector<Value> FunctionLowering::scalarsOf(ValueRange values) const {
  SmallVector<Value> out;
  for (Value v : values)
    if (!isTensor(v.getType()))
      out.push_back(scalar(v));
  return out;
}

void FunctionLowering::bind(ValueRange oldValues, ArrayRef<Value> tileBuffers,
                            ValueRange newScalars) {
  unsigned s = 0, t = 0;
  for (Value v : oldValues) {
    if (isTensor(v.getType()))
      buffers[v] = {tileBuffers[t++], /*owned=*/true};
    else
      scalars[v] = newScalars[s++];
  }
}

Value FunctionLowering::gridArg(unsigned index) const {
  Block &entry = const_cast<func::FuncOp &>(newFunc).getBody().front();
  return entry.getArgument(entry.getNumArguments() - kNumGridArgs + index);
}

Value FunctionLowering::allocBuffer(OpBuilder &b, Location loc, Type elem,
                                    int64_t n) {
  Type storage = storageType(elem);
  int64_t bytes = n * memoryBytes(storage);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&newFunc.getBody().front());
  auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
  if (bytes <= kStackBufferBytes && stackBytes + bytes <= kStackBudget) {
    stackBytes += bytes;
    Value count = LLVM::ConstantOp::create(b, loc, b.getI64Type(),
                                           b.getI64IntegerAttr(n));
    return LLVM::AllocaOp::create(b, loc, ptrType, storage, count,
                                  /*alignment=*/64);
  }
  // Large tiles would overflow a worker thread's stack.
  auto module = newFunc->getParentOfType<ModuleOp>();
  auto alloc = module.lookupSymbol<LLVM::LLVMFuncOp>("aligned_alloc");
  if (!alloc) {
    OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
    alloc = LLVM::LLVMFuncOp::create(
        mb, loc, "aligned_alloc",
        LLVM::LLVMFunctionType::get(ptrType, {b.getI64Type(), b.getI64Type()}));
  }
  Value ptr =
      LLVM::CallOp::create(b, loc, alloc,
                           ValueRange{i64Const(b, loc, 64),
                                      i64Const(b, loc, llvm::alignTo(bytes, 64))})
          .getResult();
  heapBuffers.push_back(ptr);
  return ptr;
}

Buffer FunctionLowering::bufferOf(OpBuilder &b, Value v) {
  auto it = buffers.find(v);
  if (it != buffers.end())
    return it->second;
  auto type = cast<RankedTensorType>(v.getType());
  Location loc = v.getLoc();
  Value buf = allocBuffer(b, loc, type.getElementType(), type.getNumElements());
  emitInto(b, loc, v, buf);
  // Stored in the block that defines it, the buffer serves every later use;
  // stored inside a nested region it serves only this one.
  if (v.getParentBlock() == currentBlock) {
    buffers[v] = {buf, /*owned=*/true};
    deferred.erase(v);
  }
  return {buf, true};
}

void FunctionLowering::emitInto(OpBuilder &b, Location loc, Value v,
                                Value dst) {
  auto type = cast<RankedTensorType>(v.getType());
  Type elem = type.getElementType();
  int64_t n = type.getNumElements();
  auto it = buffers.find(v);
  if (it != buffers.end()) {
    if (it->second.ptr == dst)
      return;
    int64_t bytes = n * memoryBytes(storageType(elem));
    LLVM::MemcpyOp::create(b, loc, dst, it->second.ptr, i64Const(b, loc, bytes),
                           /*isVolatile=*/false);
    return;
  }
  int64_t width = chunkWidth(n);
  forEachChunk(b, loc, n, width, [&](OpBuilder &body, Value base) {
    storeBufferChunk(body, loc, dst, elem, base, chunk(body, v, base, width));
  });
}

//===----------------------------------------------------------------------===//
// Deciding what to store
//===----------------------------------------------------------------------===//

/// Ops whose results are computed element by element from their operands'
/// chunks (possibly at other positions of a stored source).
static bool isChunkable(Operation *op) {
  if (op->getNumRegions() != 0 || op->getNumResults() == 0 ||
      !isTensor(op->getResult(0).getType()))
    return false;
  if (isa<arith::ArithDialect, math::MathDialect>(op->getDialect()))
    return true;
  if (auto ext = dyn_cast<tile::ExternElementwiseOp>(op))
    return ext.getPure();
  return isa<tile::SplatOp, tile::MakeRangeOp, tile::BroadcastOp,
             tile::ExpandDimsOp, tile::ReshapeOp, tile::AddPtrOp,
             tile::PtrCastOp, tile::HintOp, tile::LoadOp, tile::TransOp,
             tile::JoinOp, tile::SplitOp, tile::XorPermuteOp, tile::GatherOp>(
      op);
}

/// How much work one chunk of `op` costs, roughly in vector instructions.
static int opCost(Operation *op) {
  if (isa<tile::LoadOp, tile::ExternElementwiseOp, tile::TransOp,
          tile::GatherOp>(op) ||
      isa<math::MathDialect>(op->getDialect()))
    return kRecomputeCost + 1;
  if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp,
          arith::DivFOp, arith::RemFOp>(op))
    return 4;
  return 1;
}

void FunctionLowering::deferOrStore(OpBuilder &b, Value v) {
  Operation *op = v.getDefiningOp();
  Deferred info;
  info.hasLoad = isa<tile::LoadOp>(op);
  info.cost = opCost(op);
  for (Value operand : op->getOperands()) {
    auto it = deferred.find(operand);
    if (it == deferred.end())
      continue;
    info.hasLoad |= it->second.hasLoad;
    info.cost += it->second.cost;
  }
  // One consuming op (which may take `v` as several operands), right here.
  Operation *user = v.use_empty() ? nullptr : v.getUses().begin()->getOwner();
  bool singleLocalUse =
      user && user->getBlock() == op->getBlock() &&
      llvm::all_of(v.getUsers(), [&](Operation *u) { return u == user; });
  bool defer = info.hasLoad ? singleLocalUse
                            : singleLocalUse || info.cost <= kRecomputeCost;
  deferred[v] = info;
  if (isa<tile::LoadOp>(op) && defer)
    pendingLoads.push_back(v);
  if (!defer)
    bufferOf(b, v);
}

void FunctionLowering::storePendingLoads(OpBuilder &b, Operation *op) {
  SmallVector<Value> pending = std::move(pendingLoads);
  pendingLoads.clear();
  for (Value load : pending) {
    if (evaluatedLoads.count(load) || buffers.count(load))
      continue;
    // Follow the chain of single uses through deferred values to the op
    // that will evaluate the load.
    Value v = load;
    Operation *consumer = nullptr;
    while (true) {
      consumer = v.getUses().begin()->getOwner();
      if (consumer->getNumResults() != 1 ||
          !deferred.count(consumer->getResult(0)))
        break;
      v = consumer->getResult(0);
    }
    if (consumer == op)
      pendingLoads.push_back(load);
    else
      bufferOf(b, load);
  }
}

//===----------------------------------------------------------------------===//
// Walking the function
//===----------------------------------------------------------------------===//

LogicalResult FunctionLowering::run() {
  Block &oldEntry = oldFunc.getBody().front();
  Block &entry = newFunc.getBody().front();
  for (auto [i, arg] : llvm::enumerate(oldEntry.getArguments())) {
    Value newArg = entry.getArgument(i);
    if (isTensor(arg.getType())) {
      buffers[arg] = {newArg, /*owned=*/false};
    } else {
      scalars[arg] = newArg;
    }
  }
  unsigned numResultArgs = 0;
  for (Type t : oldFunc.getResultTypes())
    numResultArgs += isTensor(t);
  for (unsigned i = 0; i < numResultArgs; ++i)
    resultBuffers.push_back(entry.getArgument(oldEntry.getNumArguments() + i));
  OpBuilder b = OpBuilder::atBlockEnd(&entry);
  return lowerBlock(b, oldEntry);
}

LogicalResult FunctionLowering::lowerBlock(OpBuilder &b, Block &block) {
  Block *savedBlock = currentBlock;
  SmallVector<Value> savedPending = std::move(pendingLoads);
  pendingLoads.clear();
  currentBlock = &block;
  for (Operation &op : block) {
    // The parent op lowers its region's terminator (yields, conditions).
    if (op.hasTrait<OpTrait::IsTerminator>() && !isa<func::ReturnOp>(op)) {
      storePendingLoads(b, &op);
      break;
    }
    if (failed(lowerOp(b, &op)))
      return failure();
  }
  currentBlock = savedBlock;
  pendingLoads = std::move(savedPending);
  return success();
}

LogicalResult FunctionLowering::lowerOp(OpBuilder &b, Operation *op) {
  // A write (or anything that may write) is about to happen: deferred loads
  // consumed later must read memory now.
  bool mayWrite = !isPure(op) && !isa<tile::LoadOp>(op);
  if (mayWrite || (op->getNumRegions() && !isa<tile::ReduceOp, tile::ScanOp>(op)))
    storePendingLoads(b, op);

  if (isChunkable(op)) {
    if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
      auto dense = dyn_cast<DenseElementsAttr>(cst.getValue());
      if (!dense)
        return op->emitOpError("unsupported tensor constant on the CPU");
      if (!dense.isSplat()) {
        // An array in the module's read-only data.
        auto type = cast<RankedTensorType>(cst.getType());
        Type storage = storageType(type.getElementType());
        if (storage != type.getElementType())
          dense = dense.bitcast(storage).reshape(
              RankedTensorType::get(type.getShape(), storage));
        if (!isa<IntegerType, FloatType>(storage))
          return op->emitOpError("unsupported tensor constant on the CPU");
        auto module = newFunc->getParentOfType<ModuleOp>();
        OpBuilder mb = OpBuilder::atBlockBegin(module.getBody());
        std::string name;
        for (unsigned i = 0;; ++i) {
          name = "tessel_const_" + std::to_string(i);
          if (!module.lookupSymbol(name))
            break;
        }
        auto flat = dense.reshape(
            RankedTensorType::get({type.getNumElements()}, storage));
        auto global = LLVM::GlobalOp::create(
            mb, op->getLoc(),
            LLVM::LLVMArrayType::get(storage, type.getNumElements()),
            /*isConstant=*/true, LLVM::Linkage::Internal, name, flat,
            /*alignment=*/64);
        buffers[cst.getResult()] = {
            LLVM::AddressOfOp::create(b, op->getLoc(), global), false};
        return success();
      }
    }
    if (auto ext = dyn_cast<tile::ExternElementwiseOp>(op)) {
      // Declared now, so that a bad name is an error before any chunk.
      SmallVector<Type> params;
      for (Value v : ext.getSrcs())
        params.push_back(computeType(getElementTypeOrSelf(v.getType())));
      if (failed(llvmutil::externCallee(
              ext, b, TargetInfo{},
              computeType(getElementTypeOrSelf(ext.getType())), params)))
        return failure();
    }
    // Transposes and gathers read their source at arbitrary positions.
    if (isa<tile::TransOp>(op))
      bufferOf(b, op->getOperand(0));
    // Other ops that move elements read a loaded source at other positions
    // than the consumer writes: loaded first, memory is read as a whole
    // before any of it is overwritten (an in-place flip stays exact).
    if (isa<tile::BroadcastOp, tile::XorPermuteOp, tile::JoinOp,
            tile::SplitOp>(op))
      for (Value operand : op->getOperands()) {
        auto it = deferred.find(operand);
        if (it != deferred.end() && it->second.hasLoad)
          bufferOf(b, operand);
      }
    if (auto gather = dyn_cast<tile::GatherOp>(op))
      bufferOf(b, gather.getSrc());
    for (Value result : op->getResults())
      deferOrStore(b, result);
    return success();
  }
  if (!hasTensors(op) && !isa<scf::ForOp, scf::IfOp, scf::WhileOp,
                              func::CallOp, func::ReturnOp, scf::YieldOp>(op))
    return lowerScalarOp(b, op);

  if (auto store = dyn_cast<tile::StoreOp>(op))
    return lowerStore(b, store);
  if (isa<tile::AtomicRMWOp, tile::AtomicCASOp>(op))
    return lowerAtomic(b, op);
  if (auto reduce = dyn_cast<tile::ReduceOp>(op))
    return lowerReduce(b, reduce);
  if (auto scan = dyn_cast<tile::ScanOp>(op))
    return lowerScan(b, scan);
  if (auto dot = dyn_cast<tile::DotOp>(op))
    return lowerDot(b, dot);
  if (auto print = dyn_cast<tile::PrintOp>(op))
    return lowerPrint(b, print);
  if (auto check = dyn_cast<tile::AssertOp>(op))
    return lowerAssert(b, check);
  if (isa<tile::AssumeOp>(op))
    return success(); // Facts about tiles only inform the axis analysis.
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return lowerFor(b, loop);
  if (auto branch = dyn_cast<scf::IfOp>(op))
    return lowerIf(b, branch);
  if (auto loop = dyn_cast<scf::WhileOp>(op))
    return lowerWhile(b, loop);
  if (auto call = dyn_cast<func::CallOp>(op))
    return lowerCall(b, call);
  if (auto ret = dyn_cast<func::ReturnOp>(op))
    return lowerReturn(b, ret);
  if (isa<tile::InlineAsmOp>(op))
    return op->emitOpError("inline assembly is supported on NVIDIA targets "
                           "only, not on the CPU");
  return op->emitOpError("is not supported on tiles on the CPU target");
}

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

static Value zeroOf(OpBuilder &b, Location loc, Type type) {
  return LLVM::ZeroOp::create(b, loc, type);
}

Operation *FunctionLowering::rebuildElementwise(OpBuilder &b, Operation *op,
                                                ArrayRef<Value> operands,
                                                int64_t width) {
  Location loc = op->getLoc();
  SmallVector<Value> args(operands);
  // x86 traps on division by zero and on INT_MIN / -1; GPUs give some
  // value. Dividing by 1 instead gives x (and x % 1 == 0).
  if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp,
          arith::FloorDivSIOp, arith::CeilDivSIOp, arith::CeilDivUIOp>(op)) {
    Type type = args[1].getType();
    auto cst = [&](int64_t v) -> Value {
      IntegerAttr value = b.getIntegerAttr(getElementTypeOrSelf(type), v);
      if (auto vec = dyn_cast<VectorType>(type))
        return arith::ConstantOp::create(b, loc, type,
                                         DenseElementsAttr::get(vec, value));
      return arith::ConstantOp::create(b, loc, type, value);
    };
    Value bad = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      args[1], cst(0));
    if (isa<arith::DivSIOp, arith::RemSIOp, arith::FloorDivSIOp,
            arith::CeilDivSIOp>(op)) {
      unsigned bits = getElementTypeOrSelf(type).getIntOrFloatBitWidth();
      Value minusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                             args[1], cst(-1));
      Value intMin = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, args[0],
          cst(bits == 64 ? INT64_MIN : -(int64_t(1) << (bits - 1))));
      bad = arith::OrIOp::create(
          b, loc, bad, arith::AndIOp::create(b, loc, minusOne, intMin));
    }
    args[1] = arith::SelectOp::create(b, loc, bad, cst(1), args[1]);
  }
  SmallVector<Type> types;
  for (Type t : op->getResultTypes()) {
    Type elem = computeType(getElementTypeOrSelf(t));
    types.push_back(width ? Type(VectorType::get({width}, elem)) : elem);
  }
  OperationState state(loc, op->getName(), args, types, op->getAttrs());
  return b.create(state);
}

LogicalResult FunctionLowering::lowerScalarOp(OpBuilder &b, Operation *op) {
  Location loc = op->getLoc();
  auto mapped = [&](Value v) { return scalar(v); };
  if (isa<tile::ProgramIdOp, tile::NumProgramsOp>(op)) {
    if (!newFunc->hasAttr(tile::kKernelAttrName))
      return op->emitOpError("on the CPU target, grid queries must be in the "
                             "kernel function itself");
    unsigned index = 0;
    if (auto pid = dyn_cast<tile::ProgramIdOp>(op))
      index = unsigned(pid.getAxis());
    else
      index = 3 + unsigned(cast<tile::NumProgramsOp>(op).getAxis());
    scalars[op->getResult(0)] = gridArg(index);
    return success();
  }
  if (isa<tile::PtrCastOp, tile::HintOp>(op)) {
    scalars[op->getResult(0)] = mapped(op->getOperand(0));
    return success();
  }
  if (auto add = dyn_cast<tile::AddPtrOp>(op)) {
    Type pointee = storageType(cast<tile::PointerType>(add.getType())
                                   .getPointeeType());
    scalars[add.getResult()] = LLVM::GEPOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()), pointee,
        mapped(add.getPtr()), ValueRange{mapped(add.getOffset())});
    return success();
  }
  if (auto load = dyn_cast<tile::LoadOp>(op)) {
    Type elem = load.getType();
    Type storage = storageType(elem);
    Value ptr = mapped(load.getPtr());
    auto emit = [&](OpBuilder &ob) -> Value {
      Value v = LLVM::LoadOp::create(ob, loc, storage, ptr,
                                     memoryBytes(storage), load.getIsVolatile());
      if (storage != elem)
        v = LLVM::ICmpOp::create(ob, loc, LLVM::ICmpPredicate::ne, v,
                                 zeroOf(ob, loc, storage));
      return v;
    };
    Value result;
    if (load.getMask())
      result = llvmutil::guarded(
          b, loc, mapped(load.getMask()), elem, emit, [&](OpBuilder &ob) {
            return load.getOther() ? mapped(load.getOther())
                                   : zeroOf(ob, loc, computeType(elem));
          });
    else
      result = emit(b);
    scalars[load.getResult()] = result;
    return success();
  }
  if (auto store = dyn_cast<tile::StoreOp>(op)) {
    Value value = mapped(store.getValue());
    Type storage = storageType(value.getType());
    auto emit = [&](OpBuilder &ob) {
      Value v = value;
      if (storage != v.getType())
        v = LLVM::ZExtOp::create(ob, loc, storage, v);
      LLVM::StoreOp::create(ob, loc, v, mapped(store.getPtr()),
                            memoryBytes(storage));
    };
    if (store.getMask())
      llvmutil::guarded(b, loc, mapped(store.getMask()), emit);
    else
      emit(b);
    return success();
  }
  if (isa<tile::AtomicRMWOp, tile::AtomicCASOp>(op))
    return lowerAtomic(b, op);
  if (auto print = dyn_cast<tile::PrintOp>(op))
    return lowerPrint(b, print);
  if (auto check = dyn_cast<tile::AssertOp>(op))
    return lowerAssert(b, check);
  if (auto assume = dyn_cast<tile::AssumeOp>(op)) {
    LLVM::AssumeOp::create(b, loc, mapped(assume.getCond()));
    return success();
  }
  if (isa<tile::BarrierOp>(op))
    return success(); // A CPU program is one thread.
  if (auto ext = dyn_cast<tile::ExternElementwiseOp>(op)) {
    SmallVector<Type> params;
    SmallVector<Value> args;
    for (Value v : ext.getSrcs()) {
      args.push_back(mapped(v));
      params.push_back(args.back().getType());
    }
    auto callee = llvmutil::externCallee(ext, b, TargetInfo{}, ext.getType(),
                                         params);
    if (failed(callee))
      return failure();
    scalars[ext.getResult()] =
        llvmutil::callExtern(b, loc, *callee, args, ext.getPure());
    return success();
  }
  if (isa<tile::InlineAsmOp>(op))
    return op->emitOpError("inline assembly is supported on NVIDIA targets "
                           "only, not on the CPU");
  if (op->getNumRegions() != 0)
    return op->emitOpError("is not supported on the CPU target");
  SmallVector<Value> operands;
  for (Value v : op->getOperands())
    operands.push_back(mapped(v));
  Operation *newOp = rebuildElementwise(b, op, operands, /*width=*/0);
  for (auto [from, to] : llvm::zip(op->getResults(), newOp->getResults()))
    scalars[from] = to;
  return success();
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

bool FunctionLowering::readsConflicting(Value v, Value buf,
                                        ArrayRef<Value> others,
                                        bool sameIndex) {
  auto it = buffers.find(v);
  if (it != buffers.end()) {
    Value ptr = it->second.ptr;
    return (ptr == buf && !sameIndex) || llvm::is_contained(others, ptr);
  }
  Operation *op = v.getDefiningOp();
  if (!op || !deferred.count(v))
    return false;
  // Ops that move elements read their operands at other positions.
  bool moves = isa<tile::BroadcastOp, tile::TransOp, tile::JoinOp,
                   tile::SplitOp, tile::XorPermuteOp, tile::GatherOp>(op);
  for (Value operand : op->getOperands())
    if (isTensor(operand.getType()) &&
        readsConflicting(operand, buf, others, sameIndex && !moves))
      return true;
  return false;
}

void FunctionLowering::assignBuffers(OpBuilder &b, Location loc,
                                     ArrayRef<Value> values,
                                     ArrayRef<Value> targets) {
  // 1. Values that read another slot's buffer (or their own at other
  //    positions) go through a temporary first.
  SmallVector<Value> sources(values.size());
  SmallVector<bool> direct(values.size(), false);
  for (auto [i, v] : llvm::enumerate(values)) {
    SmallVector<Value> others;
    for (auto [j, t] : llvm::enumerate(targets))
      if (j != i)
        others.push_back(t);
    auto it = buffers.find(v);
    if (it != buffers.end()) {
      if (it->second.ptr == targets[i])
        continue;
      if (!llvm::is_contained(others, it->second.ptr)) {
        sources[i] = it->second.ptr;
        continue;
      }
    } else if (!readsConflicting(v, targets[i], others, /*sameIndex=*/true)) {
      direct[i] = true;
      continue;
    }
    auto type = cast<RankedTensorType>(v.getType());
    sources[i] = allocBuffer(b, loc, type.getElementType(),
                             type.getNumElements());
    emitInto(b, loc, v, sources[i]);
  }
  // 2. Values computed straight into their own slot.
  for (auto [i, v] : llvm::enumerate(values))
    if (direct[i])
      emitInto(b, loc, v, targets[i]);
  // 3. Copies.
  for (auto [i, v] : llvm::enumerate(values)) {
    if (!sources[i])
      continue;
    auto type = cast<RankedTensorType>(v.getType());
    int64_t bytes =
        type.getNumElements() * memoryBytes(storageType(type.getElementType()));
    LLVM::MemcpyOp::create(b, loc, targets[i], sources[i],
                           i64Const(b, loc, bytes), /*isVolatile=*/false);
  }
}

/// Buffers for the tensor-typed values among `values`, one per tensor.
static SmallVector<Value> tensorValues(ValueRange values) {
  SmallVector<Value> out;
  for (Value v : values)
    if (isTensor(v.getType()))
      out.push_back(v);
  return out;
}

void FunctionLowering::stageInits(OpBuilder &b, Location loc,
                                  ValueRange inits,
                                  SmallVectorImpl<Value> &buffers,
                                  SmallVectorImpl<Value> &scalars) {
  for (Value init : inits) {
    if (!isTensor(init.getType())) {
      scalars.push_back(scalar(init));
      continue;
    }
    auto type = cast<RankedTensorType>(init.getType());
    Value buf =
        allocBuffer(b, loc, type.getElementType(), type.getNumElements());
    emitInto(b, loc, init, buf);
    buffers.push_back(buf);
  }
}

LogicalResult FunctionLowering::lowerFor(OpBuilder &b, scf::ForOp op) {
  Location loc = op.getLoc();
  SmallVector<Value> iterBuffers, scalarInits;
  stageInits(b, loc, op.getInitArgs(), iterBuffers, scalarInits);
  auto loop = scf::ForOp::create(b, loc, scalar(op.getLowerBound()),
                                 scalar(op.getUpperBound()),
                                 scalar(op.getStep()), scalarInits);
  {
    OpBuilder body = loopBodyBuilder(loop);
    Block *oldBody = op.getBody();
    scalars[op.getInductionVar()] = loop.getInductionVar();
    bind(op.getRegionIterArgs(), iterBuffers, loop.getRegionIterArgs());
    if (failed(lowerBlock(body, *oldBody)))
      return failure();
    auto yield = cast<scf::YieldOp>(oldBody->getTerminator());
    Block *saved = currentBlock;
    currentBlock = oldBody;
    assignBuffers(body, loc, tensorValues(yield.getOperands()), iterBuffers);
    currentBlock = saved;
    if (!scalarInits.empty())
      scf::YieldOp::create(body, loc, scalarsOf(yield.getOperands()));
  }
  bind(op.getResults(), iterBuffers, loop.getResults());
  return success();
}

/// Lowers an scf.yield's operands: tensors into `targets`, scalars returned.
static SmallVector<Value> yieldInto(FunctionLowering &lowering, OpBuilder &b,
                                   Location loc, ValueRange values,
                                   ArrayRef<Value> targets) {
  SmallVector<Value> scalarYields;
  unsigned t = 0;
  for (Value v : values) {
    if (isTensor(v.getType()))
      lowering.emitInto(b, loc, v, targets[t++]);
    else
      scalarYields.push_back(lowering.scalar(v));
  }
  return scalarYields;
}

LogicalResult FunctionLowering::lowerIf(OpBuilder &b, scf::IfOp op) {
  Location loc = op.getLoc();
  SmallVector<Value> resultBufs;
  SmallVector<Type> scalarTypes;
  for (Value result : op.getResults()) {
    if (auto type = dyn_cast<RankedTensorType>(result.getType()))
      resultBufs.push_back(
          allocBuffer(b, loc, type.getElementType(), type.getNumElements()));
    else
      scalarTypes.push_back(computeType(result.getType()));
  }
  bool hasElse = !op.getElseRegion().empty();
  auto newIf = scf::IfOp::create(b, loc, scalarTypes, scalar(op.getCondition()),
                                 /*addThenBlock=*/true, hasElse);
  auto lowerRegion = [&](Region &oldRegion, Region &newRegion) {
    Block &oldBlock = oldRegion.front();
    Block &newBlock = newRegion.front();
    // Drop the implicit terminator scf.if builds for empty result lists.
    if (!newBlock.empty())
      newBlock.back().erase();
    OpBuilder body = OpBuilder::atBlockEnd(&newBlock);
    if (failed(lowerBlock(body, oldBlock)))
      return failure();
    Block *saved = currentBlock;
    currentBlock = &oldBlock;
    SmallVector<Value> yields =
        yieldInto(*this, body, loc, oldBlock.getTerminator()->getOperands(),
                  resultBufs);
    currentBlock = saved;
    scf::YieldOp::create(body, loc, yields);
    return success();
  };
  if (failed(lowerRegion(op.getThenRegion(), newIf.getThenRegion())))
    return failure();
  if (hasElse && failed(lowerRegion(op.getElseRegion(), newIf.getElseRegion())))
    return failure();
  bind(op.getResults(), resultBufs, newIf.getResults());
  return success();
}

LogicalResult FunctionLowering::lowerWhile(OpBuilder &b, scf::WhileOp op) {
  Location loc = op.getLoc();
  // Tiles entering the `before` region live in `beforeBufs`; those passed
  // on to `after` (and out of the loop) in `afterBufs`.
  SmallVector<Value> beforeBufs, afterBufs, scalarInits;
  SmallVector<Type> afterScalarTypes;
  stageInits(b, loc, op.getInits(), beforeBufs, scalarInits);
  for (Type t : op.getResultTypes()) {
    if (auto type = dyn_cast<RankedTensorType>(t))
      afterBufs.push_back(
          allocBuffer(b, loc, type.getElementType(), type.getNumElements()));
    else
      afterScalarTypes.push_back(computeType(t));
  }
  SmallVector<Type> beforeScalarTypes;
  for (Value v : scalarInits)
    beforeScalarTypes.push_back(v.getType());
  auto newWhile =
      scf::WhileOp::create(b, loc, afterScalarTypes, scalarInits);
  Block &oldBefore = op.getBefore().front(), &oldAfter = op.getAfter().front();
  Block *before = b.createBlock(&newWhile.getBefore(), {}, beforeScalarTypes,
                                SmallVector<Location>(beforeScalarTypes.size(), loc));
  bind(oldBefore.getArguments(), beforeBufs, before->getArguments());
  OpBuilder body = OpBuilder::atBlockEnd(before);
  if (failed(lowerBlock(body, oldBefore)))
    return failure();
  auto condition = cast<scf::ConditionOp>(oldBefore.getTerminator());
  currentBlock = &oldBefore;
  SmallVector<Value> passed =
      yieldInto(*this, body, loc, condition.getArgs(), afterBufs);
  currentBlock = op->getBlock();
  scf::ConditionOp::create(body, loc, scalar(condition.getCondition()), passed);

  Block *after = b.createBlock(&newWhile.getAfter(), {}, afterScalarTypes,
                               SmallVector<Location>(afterScalarTypes.size(), loc));
  bind(oldAfter.getArguments(), afterBufs, after->getArguments());
  body = OpBuilder::atBlockEnd(after);
  if (failed(lowerBlock(body, oldAfter)))
    return failure();
  auto yield = cast<scf::YieldOp>(oldAfter.getTerminator());
  currentBlock = &oldAfter;
  assignBuffers(body, loc, tensorValues(yield.getOperands()), beforeBufs);
  currentBlock = op->getBlock();
  scf::YieldOp::create(body, loc, scalarsOf(yield.getOperands()));
  b.setInsertionPointAfter(newWhile);

  bind(op.getResults(), afterBufs, newWhile.getResults());
  return success();
}

LogicalResult FunctionLowering::lowerCall(OpBuilder &b, func::CallOp op) {
  Location loc = op.getLoc();
  SmallVector<Value> args, resultBufs;
  for (Value v : op.getOperands())
    args.push_back(isTensor(v.getType()) ? bufferOf(b, v).ptr : scalar(v));
  SmallVector<Type> scalarTypes;
  for (Value result : op.getResults()) {
    if (auto type = dyn_cast<RankedTensorType>(result.getType())) {
      resultBufs.push_back(
          allocBuffer(b, loc, type.getElementType(), type.getNumElements()));
      args.push_back(resultBufs.back());
    } else {
      scalarTypes.push_back(computeType(result.getType()));
    }
  }
  auto call = func::CallOp::create(b, loc, op.getCallee(), scalarTypes, args);
  bind(op.getResults(), resultBufs, call.getResults());
  return success();
}

LogicalResult FunctionLowering::lowerReturn(OpBuilder &b, func::ReturnOp op) {
  SmallVector<Value> results =
      yieldInto(*this, b, op.getLoc(), op.getOperands(), resultBuffers);
  if (!heapBuffers.empty()) {
    auto module = newFunc->getParentOfType<ModuleOp>();
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    auto freeFn = module.lookupSymbol<LLVM::LLVMFuncOp>("free");
    if (!freeFn) {
      OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
      freeFn = LLVM::LLVMFuncOp::create(
          mb, op.getLoc(), "free",
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(b.getContext()),
                                      {ptrType}));
    }
    for (Value buf : heapBuffers)
      LLVM::CallOp::create(b, op.getLoc(), freeFn, ValueRange{buf});
  }
  func::ReturnOp::create(b, op.getLoc(), results);
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertTileToCPUPass
    : tessel::impl::ConvertTileToCPUBase<ConvertTileToCPUPass> {
  using ConvertTileToCPUBase::ConvertTileToCPUBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    module->setAttr(tilegpu::kTargetAttr, StringAttr::get(ctx, "cpu"));
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    // The CPU multiplies float8 codes as f16 (exact in f32).
    module.walk([&](tile::DotOp dot) {
      OpBuilder builder(dot);
      dot.widenFloat8Operands(builder);
    });
    AxisInfoAnalysis axisInfo(module);

    SmallVector<func::FuncOp> funcs;
    llvm::StringMap<FunctionType> signatures;
    for (auto func : module.getOps<func::FuncOp>()) {
      signatures[func.getName()] = func.getFunctionType();
      if (!func.isExternal())
        funcs.push_back(func);
    }
    for (func::FuncOp func : funcs) {
      // Tiles travel as buffer pointers; tile results as trailing
      // out-parameters; kernels take their grid position last.
      SmallVector<Type> inputs, results;
      for (Type t : func.getArgumentTypes())
        inputs.push_back(
            isa<RankedTensorType, tile::PointerType, tile::TensorMapType>(t)
                ? Type(ptrType)
                : t);
      for (Type t : func.getResultTypes()) {
        if (isTensor(t))
          inputs.push_back(ptrType);
        else
          results.push_back(isa<tile::PointerType>(t) ? Type(ptrType) : t);
      }
      bool isKernel = func->hasAttr(tile::kKernelAttrName);
      if (isKernel)
        inputs.append(kNumGridArgs, IntegerType::get(ctx, 32));
      auto newFunc = func::FuncOp::create(
          func.getLoc(), func.getName(), FunctionType::get(ctx, inputs, results));
      for (NamedAttribute attr : func->getAttrs())
        if (attr.getName() != func.getFunctionTypeAttrName() &&
            attr.getName() != func.getArgAttrsAttrName() &&
            attr.getName() != func.getResAttrsAttrName())
          newFunc->setAttr(attr.getName(), attr.getValue());
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        for (NamedAttribute attr : func.getArgAttrDict(i) ? func.getArgAttrDict(i).getValue() : ArrayRef<NamedAttribute>{})
          newFunc.setArgAttr(i, attr.getName(), attr.getValue());
      newFunc.addEntryBlock();
      module.getBody()->getOperations().insert(Block::iterator(func), newFunc);
      FunctionLowering lowering(func, newFunc, axisInfo, vectorWidth,
                                signatures);
      // The old function keeps its symbol until it is gone.
      newFunc.setName((func.getName() + ".cpu").str());
      if (failed(lowering.run()))
        return signalPassFailure();
      std::string name = func.getName().str();
      func.erase();
      newFunc.setName(name);
    }
  }
};
} // namespace
