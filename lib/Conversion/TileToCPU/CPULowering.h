//===- CPULowering.h - Tile IR to loops over native-width vectors -*- C++ -*-===//
//
// The CPU half of the lowering. A program is one thread, so a tile is not
// spread over lanes: it is a row-major buffer of its elements, or not stored
// at all. Elementwise work is *deferred*: a value is a recipe that computes
// any aligned chunk of `width` consecutive elements (flat, row-major) as one
// LLVM vector. A consumer that needs memory (a store, a reduction, a loop
// carrying the tile) runs one loop over the chunks and evaluates the recipes
// it reaches inside that loop, so chains of elementwise ops fuse into one
// loop and the generated IR grows with the program, not with the tile.
//
// A value is stored into a buffer (materialized) when it is expensive and
// used twice, when it is a load whose single consumer lies past a write to
// memory, or when an op needs random access to it (transposes, gathers,
// reductions, scans, dots).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_CONVERSION_TILETOCPU_CPULOWERING_H
#define TESSEL_LIB_CONVERSION_TILETOCPU_CPULOWERING_H

#include "dialects/Tile/IR/TileDialect.h"
#include "passes/AxisInfo.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace tessel::cpu {

/// Grid position arguments appended to every CPU kernel (see
/// lib/Runtime/CpuLauncher.cpp): pid x, y, z, then num x, y, z.
inline constexpr unsigned kNumGridArgs = 6;

/// A builder at the end of `loop`'s body (before its implicit yield).
mlir::OpBuilder loopBodyBuilder(mlir::scf::ForOp loop);

/// Reports assertion `op` as failed unless `all` (i1) holds.
void emitAssertIfFalse(mlir::OpBuilder &b, mlir::Location loc,
                       tile::AssertOp op, mlir::Value all);

/// A stored tile: `numElements` elements of the storage type, row-major.
struct Buffer {
  mlir::Value ptr;
  /// Whether this function made the buffer and may overwrite it in place.
  bool owned = false;
};

/// Lowers one function of Tile IR into `newFunc` (an empty function with the
/// converted signature).
class FunctionLowering {
public:
  FunctionLowering(mlir::func::FuncOp oldFunc, mlir::func::FuncOp newFunc,
                   const AxisInfoAnalysis &axisInfo, int64_t vectorWidth,
                   const llvm::StringMap<mlir::FunctionType> &oldSignatures);
  mlir::LogicalResult run();

  //===--- Types -----------------------------------------------------------===//
  /// Type of an element in registers (pointers become !llvm.ptr).
  mlir::Type computeType(mlir::Type elem) const;
  /// Type of an element in a buffer (i1 is a byte).
  mlir::Type storageType(mlir::Type elem) const;
  mlir::VectorType vectorType(mlir::Type elem, int64_t width) const;
  static int64_t numElements(mlir::Value tensor);
  /// Elements per chunk for a tile of `n` elements.
  int64_t chunkWidth(int64_t n) const { return std::min(n, vectorWidth); }

  //===--- Chunks (ChunkEmitter.cpp) ----------------------------------------===//
  /// Elements [base, base + width) of tensor `v` (or scalar `v`) as a vector.
  mlir::Value chunk(mlir::OpBuilder &b, mlir::Value v, mlir::Value base,
                    int64_t width);
  /// Vector load/store of `width` elements at `base` of a buffer.
  mlir::Value loadBufferChunk(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value buffer, mlir::Type elem,
                              mlir::Value base, int64_t width);
  void storeBufferChunk(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value buffer, mlir::Type elem, mlir::Value base,
                        mlir::Value vec);
  /// Address of element `index` (i64) of a buffer.
  mlir::Value elementPtr(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value buffer, mlir::Type elem,
                         mlir::Value index);
  /// Emits `body(base)` for base = 0, width, 2 * width, ... < n (no loop
  /// when there is one chunk).
  void forEachChunk(mlir::OpBuilder &b, mlir::Location loc, int64_t n,
                    int64_t width,
                    llvm::function_ref<void(mlir::OpBuilder &, mlir::Value)>
                        body);
  /// Stores elements of vector chunks `vec` through the pointers `ptrs`
  /// where `mask` (may be null) holds.
  void storeThroughPointers(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value ptrOperand, mlir::Value ptrs,
                            mlir::Value vec, mlir::Value mask, int64_t width);
  mlir::Value i64Const(mlir::OpBuilder &b, mlir::Location loc, int64_t v);
  /// Clears chunks remembered for the loop body being emitted.
  void forgetChunks() { chunkCache.clear(); }

  //===--- Values ----------------------------------------------------------===//
  /// The buffer holding tensor `v`, storing it first if it is deferred.
  Buffer bufferOf(mlir::OpBuilder &b, mlir::Value v);
  /// Computes tensor `v` into `dst` (a buffer of its size).
  void emitInto(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                mlir::Value dst);
  /// A new buffer for `n` elements of `elem` (stack, or heap when large).
  mlir::Value allocBuffer(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type elem, int64_t n);
  mlir::Value scalar(mlir::Value v) const;
  /// The lowered values of the scalars among `values`, in order.
  llvm::SmallVector<mlir::Value> scalarsOf(mlir::ValueRange values) const;
  /// Maps control flow's old results or block arguments: tiles to
  /// `tileBuffers`, scalars to `newScalars`, each in order.
  void bind(mlir::ValueRange oldValues, llvm::ArrayRef<mlir::Value> tileBuffers,
            mlir::ValueRange newScalars);
  void setBuffer(mlir::Value v, Buffer buffer) { buffers[v] = buffer; }
  bool isStored(mlir::Value v) const { return buffers.count(v); }
  const AxisInfoAnalysis &axis() const { return axisInfo; }
  mlir::Value gridArg(unsigned index) const;

  //===--- Ops with their own loops (TileOpsToLoops.cpp) --------------------===//
  mlir::LogicalResult lowerReduce(mlir::OpBuilder &b, tile::ReduceOp op);
  mlir::LogicalResult lowerScan(mlir::OpBuilder &b, tile::ScanOp op);
  mlir::LogicalResult lowerDot(mlir::OpBuilder &b, tile::DotOp op);
  mlir::LogicalResult lowerAtomic(mlir::OpBuilder &b, mlir::Operation *op);
  mlir::LogicalResult lowerStore(mlir::OpBuilder &b, tile::StoreOp op);
  mlir::LogicalResult lowerPrint(mlir::OpBuilder &b, tile::PrintOp op);
  mlir::LogicalResult lowerAssert(mlir::OpBuilder &b, tile::AssertOp op);
  /// Applies a reduce/scan combine region to vectors (element by element).
  llvm::SmallVector<mlir::Value> combine(mlir::OpBuilder &b,
                                         mlir::Region &region,
                                         llvm::ArrayRef<mlir::Value> lhs,
                                         llvm::ArrayRef<mlir::Value> rhs);
  /// Rebuilds a scalar arith/math/LLVM op on mapped (possibly vector)
  /// operands; divisions never trap.
  mlir::Operation *rebuildElementwise(mlir::OpBuilder &b, mlir::Operation *op,
                                      llvm::ArrayRef<mlir::Value> operands,
                                      int64_t width);

private:
  friend struct BlockLowering;
  mlir::LogicalResult lowerBlock(mlir::OpBuilder &b, mlir::Block &block);
  mlir::LogicalResult lowerOp(mlir::OpBuilder &b, mlir::Operation *op);
  mlir::LogicalResult lowerScalarOp(mlir::OpBuilder &b, mlir::Operation *op);
  /// A loop's initial values: each tile into a fresh buffer (`buffers`),
  /// each scalar as it is (`scalars`).
  void stageInits(mlir::OpBuilder &b, mlir::Location loc,
                  mlir::ValueRange inits,
                  llvm::SmallVectorImpl<mlir::Value> &buffers,
                  llvm::SmallVectorImpl<mlir::Value> &scalars);
  mlir::LogicalResult lowerFor(mlir::OpBuilder &b, mlir::scf::ForOp op);
  mlir::LogicalResult lowerIf(mlir::OpBuilder &b, mlir::scf::IfOp op);
  mlir::LogicalResult lowerWhile(mlir::OpBuilder &b, mlir::scf::WhileOp op);
  mlir::LogicalResult lowerCall(mlir::OpBuilder &b, mlir::func::CallOp op);
  mlir::LogicalResult lowerReturn(mlir::OpBuilder &b, mlir::func::ReturnOp op);
  /// Defers tensor result `v` of an elementwise op, or stores it now.
  void deferOrStore(mlir::OpBuilder &b, mlir::Value v);
  /// Stores every deferred load whose consumer is not `op` (a write to
  /// memory is about to happen).
  void storePendingLoads(mlir::OpBuilder &b, mlir::Operation *op);
  /// Writes `values` (yielded for `targets`, the buffers of loop-carried
  /// tiles) without one slot's write clobbering what another still reads.
  void assignBuffers(mlir::OpBuilder &b, mlir::Location loc,
                     llvm::ArrayRef<mlir::Value> values,
                     llvm::ArrayRef<mlir::Value> targets);
  /// Whether evaluating `v` reads buffer `buf` at other than the same
  /// element, or reads any of `others`.
  bool readsConflicting(mlir::Value v, mlir::Value buf,
                        llvm::ArrayRef<mlir::Value> others, bool sameIndex);

  struct Deferred {
    bool hasLoad = false;
    int cost = 1;
  };

  mlir::func::FuncOp oldFunc, newFunc;
  const AxisInfoAnalysis &axisInfo;
  int64_t vectorWidth;
  const llvm::StringMap<mlir::FunctionType> &oldSignatures;
  llvm::DenseMap<mlir::Value, mlir::Value> scalars;
  llvm::DenseMap<mlir::Value, Buffer> buffers;
  llvm::DenseMap<mlir::Value, Deferred> deferred;
  llvm::SmallVector<mlir::Value> pendingLoads;
  llvm::DenseSet<mlir::Value> evaluatedLoads;
  /// Chunks computed in the loop body being emitted, by (value, base, width).
  llvm::DenseMap<std::tuple<mlir::Value, mlir::Value, int64_t>, mlir::Value>
      chunkCache;
  /// Out-parameters for tensor results (noinline functions).
  llvm::SmallVector<mlir::Value> resultBuffers;
  /// Heap buffers to free before returning.
  llvm::SmallVector<mlir::Value> heapBuffers;
  int64_t stackBytes = 0;
  mlir::Block *currentBlock = nullptr;
};

} // namespace tessel::cpu

#endif
